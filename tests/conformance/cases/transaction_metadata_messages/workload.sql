SELECT pg_logical_emit_message(false, 'outside', 'not transactional');
SELECT pg_logical_emit_message(true, 'alone', 'transactional, alone');
BEGIN;
INSERT INTO p_a VALUES (1, 'one');
SELECT pg_logical_emit_message(true, 'inside', 'between rows');
INSERT INTO p_a VALUES (2, 'two');
COMMIT;
TRUNCATE p_a;
