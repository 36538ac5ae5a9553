-- description: Protocol 3 with streaming and two_phase: a prepared transaction larger than logical_decoding_work_mem (Stream Prepare), committed, and another rolled back.
-- protocol_version: 3
-- options: streaming=on two_phase=on
-- sandbox: --set logical_decoding_work_mem=64kB

CREATE TABLE sp_rows (id integer PRIMARY KEY, v text, pad text);
ALTER TABLE sp_rows ALTER COLUMN pad SET STORAGE PLAIN;
-- pad is not published: it triggers streaming without bloating the capture.
CREATE PUBLICATION capture FOR TABLE sp_rows (id, v);
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput', false, true);

BEGIN;
INSERT INTO sp_rows SELECT i, 'prepared ' || i, repeat('p', 3000) FROM generate_series(1, 25) i;
PREPARE TRANSACTION 'trackops-stream-commit';
COMMIT PREPARED 'trackops-stream-commit';

BEGIN;
INSERT INTO sp_rows SELECT i, 'to roll back', repeat('p', 3000) FROM generate_series(101, 125) i;
PREPARE TRANSACTION 'trackops-stream-rollback';
ROLLBACK PREPARED 'trackops-stream-rollback';
