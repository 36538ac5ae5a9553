SELECT pg_logical_emit_message(false, 'outside', 'not transactional');
INSERT INTO lmn_a VALUES (1, 'one');
BEGIN;
INSERT INTO lmn_a VALUES (2, 'two');
SELECT pg_logical_emit_message(false, 'inside-nt', 'non-transactional inside a transaction');
INSERT INTO lmn_a VALUES (3, 'three');
COMMIT;
INSERT INTO lmn_a VALUES (4, 'four');
