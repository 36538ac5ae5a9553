-- description: Logical decoding messages from pg_logical_emit_message(), transactional and not (option messages).
-- protocol_version: 1
-- options: messages=true

CREATE TABLE msg_events (id integer PRIMARY KEY, v text);
CREATE PUBLICATION capture FOR ALL TABLES;
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput');

-- Transactional, alone in its transaction: Begin, Message, Commit.
SELECT 'm' FROM pg_logical_emit_message(true, 'trackops/audit', 'hello transactional');
-- Transactional next to a change, plus a non-transactional one sent at once
-- (before the transaction's Begin), with binary content and an empty one.
BEGIN;
INSERT INTO msg_events VALUES (1, 'with message');
SELECT 'm' FROM pg_logical_emit_message(true, 'trackops/binary', '\x00010203ff'::bytea);
SELECT 'm' FROM pg_logical_emit_message(false, 'trackops/heartbeat', 'non-transactional');
SELECT 'm' FROM pg_logical_emit_message(true, 'trackops/empty', '');
COMMIT;
-- Non-transactional, outside any transaction.
SELECT 'm' FROM pg_logical_emit_message(false, 'trackops/heartbeat', 'tick');
-- A rolled-back transaction's transactional message is never sent.
BEGIN;
SELECT 'm' FROM pg_logical_emit_message(true, 'trackops/audit', 'rolled back');
ROLLBACK;
