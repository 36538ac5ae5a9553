SELECT pg_logical_emit_message(true, 'alone', 'transactional, alone');
BEGIN;
INSERT INTO lm_a VALUES (1, 'one');
SELECT pg_logical_emit_message(true, 'inside', 'between rows');
SELECT pg_logical_emit_message(true, 'bytes', '\x00ff10'::bytea);
INSERT INTO lm_a VALUES (2, 'two');
COMMIT;
SELECT pg_logical_emit_message(true, '', '');
SELECT pg_logical_emit_message(true, 'unicode ü', 'ü €');
