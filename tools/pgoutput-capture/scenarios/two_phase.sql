-- description: Protocol 3 two-phase commit (slot and option two_phase): Begin Prepare, Prepare, Commit Prepared, Rollback Prepared.
-- protocol_version: 3
-- options: two_phase=on

CREATE TABLE tp_rows (id integer PRIMARY KEY, v text);
CREATE PUBLICATION capture FOR ALL TABLES;
-- The fourth argument enables two-phase decoding for the slot.
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput', false, true);

-- An ordinary transaction still arrives as Begin ... Commit.
INSERT INTO tp_rows VALUES (1, 'plain');
BEGIN;
INSERT INTO tp_rows VALUES (2, 'prepared then committed');
PREPARE TRANSACTION 'trackops-gid-commit';
COMMIT PREPARED 'trackops-gid-commit';
BEGIN;
UPDATE tp_rows SET v = 'prepared then rolled back' WHERE id = 1;
PREPARE TRANSACTION 'trackops-gid-rollback';
ROLLBACK PREPARED 'trackops-gid-rollback';
