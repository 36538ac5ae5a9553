-- description: Protocol 2 streaming of transactions larger than logical_decoding_work_mem: committed, rolled back, and with a rolled-back subtransaction.
-- protocol_version: 2
-- options: streaming=on messages=true
-- sandbox: --set logical_decoding_work_mem=64kB

CREATE TYPE stream_mood AS ENUM ('calm', 'busy');
-- pad (3 kB, stored uncompressed in the row) is not published: it fills the
-- decoder's memory and so triggers streaming, while the capture stays small.
CREATE TABLE stream_rows (id integer PRIMARY KEY, mood stream_mood, v text, pad text);
ALTER TABLE stream_rows ALTER COLUMN pad SET STORAGE PLAIN;
CREATE TABLE stream_side (id integer PRIMARY KEY);
INSERT INTO stream_side VALUES (1);
CREATE PUBLICATION capture FOR TABLE stream_rows (id, mood, v), stream_side;
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput');

-- Committed: streamed in several blocks, then Stream Commit. Changes of every
-- kind inside the blocks carry the xid.
BEGIN;
INSERT INTO stream_rows SELECT i, 'calm', 'row ' || i, repeat('p', 3000) FROM generate_series(1, 25) i;
UPDATE stream_rows SET v = 'updated', mood = 'busy' WHERE id = 1;
DELETE FROM stream_rows WHERE id = 2;
SELECT 'm' FROM pg_logical_emit_message(true, 'trackops/stream', 'inside a streamed transaction');
TRUNCATE stream_side;
INSERT INTO stream_rows SELECT i, NULL, NULL, repeat('p', 3000) FROM generate_series(26, 50) i;
COMMIT;

-- Rolled back after streaming: Stream Abort with subxid = xid.
BEGIN;
INSERT INTO stream_rows SELECT i, 'calm', 'aborted', repeat('p', 3000) FROM generate_series(101, 125) i;
ROLLBACK;

-- A subtransaction rolled back inside a streamed transaction: Stream Abort
-- with subxid != xid, then the rest of the transaction and Stream Commit.
BEGIN;
INSERT INTO stream_rows VALUES (200, 'calm', 'before savepoint', repeat('p', 3000));
SAVEPOINT sp;
INSERT INTO stream_rows SELECT i, 'busy', 'in savepoint', repeat('p', 3000) FROM generate_series(201, 225) i;
ROLLBACK TO SAVEPOINT sp;
INSERT INTO stream_rows VALUES (300, 'calm', 'after savepoint', repeat('p', 3000));
COMMIT;
