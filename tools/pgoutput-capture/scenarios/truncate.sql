-- description: TRUNCATE of one and several relations, with CASCADE and RESTART IDENTITY.
-- protocol_version: 1

CREATE TABLE trunc_parent (id integer PRIMARY KEY);
CREATE TABLE trunc_child (id integer PRIMARY KEY, parent_id integer REFERENCES trunc_parent);
CREATE TABLE trunc_serial (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text);
CREATE TABLE trunc_other (id integer PRIMARY KEY);
CREATE PUBLICATION capture FOR ALL TABLES;
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput');

-- No options, one relation.
TRUNCATE trunc_other;
-- CASCADE: the referencing table is truncated too (two relations).
TRUNCATE trunc_parent CASCADE;
-- RESTART IDENTITY.
TRUNCATE trunc_serial RESTART IDENTITY;
-- Both options, three relations named in one statement.
TRUNCATE trunc_serial, trunc_other, trunc_parent RESTART IDENTITY CASCADE;
