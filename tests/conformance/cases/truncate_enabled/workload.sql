INSERT INTO tr_a VALUES (1, 'one'), (2, 'two');
INSERT INTO tr_b VALUES (1, 1);
INSERT INTO tr_nokey VALUES ('x');
TRUNCATE tr_nokey;
-- One TRUNCATE message for two tables (CASCADE), then an insert in the same transaction.
BEGIN;
TRUNCATE tr_a CASCADE;
INSERT INTO tr_a VALUES (3, 'three');
COMMIT;
TRUNCATE tr_a, tr_b RESTART IDENTITY;
