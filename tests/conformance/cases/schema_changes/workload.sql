-- Each sync waits until every connector has handled what came before, so the
-- catalog look-up a Relation message triggers sees the table as of that change
-- (see tests/conformance/sync.sh).
INSERT INTO items VALUES (1, 10, 'ten', 1.50);
\set sync `"$TRACKOPS_REPO"/tests/conformance/sync.sh 1`
SELECT :'sync'::boolean AS synced \gset
ALTER TABLE items ADD COLUMN c1 int;
INSERT INTO items VALUES (2, 20, 'twenty', 2.25, 7);
UPDATE items SET c1 = 8 WHERE id = 1;
\set sync `"$TRACKOPS_REPO"/tests/conformance/sync.sh 2`
SELECT :'sync'::boolean AS synced \gset
ALTER TABLE items ADD COLUMN c2 text NOT NULL DEFAULT 'dflt';
INSERT INTO items (id, a, v, n) VALUES (3, 30, 'thirty', 3.75);
UPDATE items SET c2 = 'set' WHERE id = 2;
\set sync `"$TRACKOPS_REPO"/tests/conformance/sync.sh 3`
SELECT :'sync'::boolean AS synced \gset
ALTER TABLE items DROP COLUMN a;
INSERT INTO items VALUES (4, 'four', 4.00, 9, 'x');
\set sync `"$TRACKOPS_REPO"/tests/conformance/sync.sh 4`
SELECT :'sync'::boolean AS synced \gset
ALTER TABLE items RENAME COLUMN c1 TO c1_renamed;
UPDATE items SET c1_renamed = 10 WHERE id = 2;
\set sync `"$TRACKOPS_REPO"/tests/conformance/sync.sh 5`
SELECT :'sync'::boolean AS synced \gset
ALTER TABLE items ALTER COLUMN id TYPE bigint, ALTER COLUMN v TYPE text, ALTER COLUMN n TYPE numeric(10,4);
INSERT INTO items VALUES (5000000000, 'longer than ten characters', 123456.7891, NULL, 'y');
UPDATE items SET n = 1.2345 WHERE id = 3;
DELETE FROM items WHERE id = 1;
\set sync `"$TRACKOPS_REPO"/tests/conformance/sync.sh 6`
SELECT :'sync'::boolean AS synced \gset
-- Inside one transaction: changes before, between and after two ALTERs. The
-- look-up happens after the commit, so the Relation message sent between the
-- ALTERs is described with the catalog after both (c2 is gone: optional, no
-- default), by Debezium and TrackOps alike.
BEGIN;
INSERT INTO items VALUES (6, 'six', 6.5, 6, 'z');
ALTER TABLE items ADD COLUMN c3 boolean DEFAULT true;
INSERT INTO items VALUES (7, 'seven', 7.5, 7, 'z', false);
UPDATE items SET c3 = NULL WHERE id = 6;
ALTER TABLE items DROP COLUMN c2;
DELETE FROM items WHERE id = 7;
INSERT INTO items (id, v) VALUES (8, 'eight');
COMMIT;
\set sync `"$TRACKOPS_REPO"/tests/conformance/sync.sh 7`
SELECT :'sync'::boolean AS synced \gset
-- Primary keys added and dropped (REPLICA IDENTITY FULL: updates and deletes
-- work without one).
INSERT INTO keyed VALUES (1, 'one', 1);
UPDATE keyed SET c = 10 WHERE a = 1;
\set sync `"$TRACKOPS_REPO"/tests/conformance/sync.sh 8`
SELECT :'sync'::boolean AS synced \gset
ALTER TABLE keyed ADD PRIMARY KEY (a);
INSERT INTO keyed VALUES (2, 'two', 2);
UPDATE keyed SET c = 20 WHERE a = 2;
UPDATE keyed SET a = 3 WHERE a = 2;
DELETE FROM keyed WHERE a = 1;
\set sync `"$TRACKOPS_REPO"/tests/conformance/sync.sh 9`
SELECT :'sync'::boolean AS synced \gset
ALTER TABLE keyed DROP CONSTRAINT keyed_pkey;
INSERT INTO keyed VALUES (4, 'four', 4);
UPDATE keyed SET c = 40 WHERE a = 4;
DELETE FROM keyed WHERE a = 3;
\set sync `"$TRACKOPS_REPO"/tests/conformance/sync.sh 10`
SELECT :'sync'::boolean AS synced \gset
ALTER TABLE keyed ADD PRIMARY KEY (b, a);
INSERT INTO keyed VALUES (5, 'five', 5);
UPDATE keyed SET c = 50 WHERE a = 5;
UPDATE keyed SET b = 'FIVE' WHERE a = 5;
DELETE FROM keyed WHERE a = 4;
