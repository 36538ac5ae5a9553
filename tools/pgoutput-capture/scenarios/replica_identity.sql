-- description: Old-row images: REPLICA IDENTITY FULL ('O'), USING INDEX and a primary-key change ('K').
-- protocol_version: 1

CREATE TABLE ri_full (id integer, name text, score integer);
ALTER TABLE ri_full REPLICA IDENTITY FULL;
CREATE TABLE ri_index (id integer, code text NOT NULL, name text);
CREATE UNIQUE INDEX ri_index_code ON ri_index (code);
ALTER TABLE ri_index REPLICA IDENTITY USING INDEX ri_index_code;
CREATE TABLE ri_default (id integer PRIMARY KEY, name text);
INSERT INTO ri_full VALUES (1, 'full-a', 10), (2, 'full-b', NULL);
INSERT INTO ri_index VALUES (1, 'code-a', 'index-a');
INSERT INTO ri_default VALUES (1, 'default-a'), (2, 'default-b');
CREATE PUBLICATION capture FOR ALL TABLES;
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput');

-- FULL: the whole old row ('O') with updates and deletes.
UPDATE ri_full SET score = 11 WHERE id = 1;
DELETE FROM ri_full WHERE id = 2;
-- USING INDEX: no old tuple when the key keeps its value, 'K' when it changes,
-- and deletes carry only the key column (the others are NULL).
UPDATE ri_index SET name = 'index-a2' WHERE id = 1;
UPDATE ri_index SET code = 'code-b' WHERE id = 1;
DELETE FROM ri_index WHERE id = 1;
-- DEFAULT (primary key): 'K' when the primary key changes.
UPDATE ri_default SET id = 3 WHERE id = 1;
UPDATE ri_default SET name = 'default-b2' WHERE id = 2;
DELETE FROM ri_default WHERE id = 3;
