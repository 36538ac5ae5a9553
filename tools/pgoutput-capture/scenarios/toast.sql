-- description: Unchanged TOASTed value ('u') after updating another column of a row with a large out-of-line text.
-- protocol_version: 1

CREATE TABLE toast_docs (id integer PRIMARY KEY, title text, body text);
-- EXTERNAL: stored out of line without compression once the row exceeds ~2 kB.
ALTER TABLE toast_docs ALTER COLUMN body SET STORAGE EXTERNAL;
-- Inserted before the slot exists, so the 4 kB body is not in the capture.
INSERT INTO toast_docs VALUES (1, 'first title', repeat('0123456789abcdef', 256));
CREATE PUBLICATION capture FOR ALL TABLES;
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput');

UPDATE toast_docs SET title = 'second title' WHERE id = 1;
UPDATE toast_docs SET title = NULL WHERE id = 1;
DELETE FROM toast_docs WHERE id = 1;
