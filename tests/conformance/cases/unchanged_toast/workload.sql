INSERT INTO docs VALUES (1, 't', repeat('body ', 2000), jsonb_build_object('k', repeat('v', 4000)));
UPDATE docs SET title = 'changed' WHERE id = 1;
INSERT INTO docs_full VALUES (1, 't', repeat('body ', 2000), jsonb_build_object('k', repeat('v', 4000)));
UPDATE docs_full SET title = 'changed' WHERE id = 1;
DELETE FROM docs WHERE id = 1;
