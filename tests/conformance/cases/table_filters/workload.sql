INSERT INTO kept VALUES (1, 'a');
INSERT INTO dropped VALUES (1, 'a');
INSERT INTO kept_too VALUES (1, 'b');
BEGIN;
INSERT INTO dropped VALUES (2, 'b');
UPDATE kept SET v = 'c' WHERE id = 1;
COMMIT;
