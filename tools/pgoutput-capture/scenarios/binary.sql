-- description: Binary mode (option binary): column values in the types' send format ('b').
-- protocol_version: 1
-- options: binary=true

CREATE TYPE binary_color AS ENUM ('red', 'green');
CREATE TABLE binary_rows (
  id      integer PRIMARY KEY,
  big     bigint,
  flag    boolean,
  label   text,
  price   numeric(10,2),
  ratio   double precision,
  at      timestamptz,
  raw     bytea,
  color   binary_color
);
CREATE PUBLICATION capture FOR ALL TABLES;
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput');

INSERT INTO binary_rows VALUES
  (1, -2, true, 'bin', 12.34, 1.5, '2000-01-01 00:00:01+00', '\xdeadbeef', 'green'),
  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE binary_rows SET label = 'bin2' WHERE id = 1;
DELETE FROM binary_rows WHERE id = 2;
