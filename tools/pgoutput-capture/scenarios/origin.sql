-- description: A transaction replayed from a replication origin (Origin message).
-- protocol_version: 1

CREATE TABLE origin_rows (id integer PRIMARY KEY, v text);
CREATE PUBLICATION capture FOR ALL TABLES;
SELECT 'origin' FROM pg_replication_origin_create('upstream_a');
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput');

-- Local transaction: no Origin message.
INSERT INTO origin_rows VALUES (1, 'local');
-- As an apply worker would: the session replays from 'upstream_a', and the
-- transaction carries the upstream commit LSN 0/AB12CD34.
SELECT 'setup' FROM pg_replication_origin_session_setup('upstream_a');
BEGIN;
SELECT 'xact' FROM pg_replication_origin_xact_setup('0/AB12CD34', '2024-01-02 03:04:05+00');
INSERT INTO origin_rows VALUES (2, 'from upstream_a');
COMMIT;
SELECT 'reset' FROM pg_replication_origin_session_reset();
