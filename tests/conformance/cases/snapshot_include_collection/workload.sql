INSERT INTO b VALUES (2, 'b2');
UPDATE a SET v = 'a1 changed' WHERE id = 1;
UPDATE c SET v = 'c1 changed' WHERE id = 1;
