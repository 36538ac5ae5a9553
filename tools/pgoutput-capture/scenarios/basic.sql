-- description: Insert, update and delete of rows with a mix of built-in types and NULLs.
-- protocol_version: 1

CREATE TABLE basic_items (
  id        integer PRIMARY KEY,
  sku       varchar(16) NOT NULL,
  qty       smallint,
  total     bigint,
  price     numeric(10,2),
  ratio     double precision,
  in_stock  boolean,
  label     text,
  added_on  date,
  added_at  timestamptz,
  tag_id    uuid,
  payload   bytea,
  attrs     jsonb,
  sizes     integer[]
);
CREATE PUBLICATION capture FOR ALL TABLES;
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput');

-- One transaction, two rows: every column set, then almost every column NULL.
BEGIN;
INSERT INTO basic_items VALUES
  (1, 'SKU-1', 3, 9000000000, 12.50, 0.25, true, E'caf\u00e9 "quoted", comma',
   '2024-02-29', '2024-02-29 13:14:15.123456+00', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
   '\x00ff10', '{"color": "red", "n": [1, 2]}', '{1,2,3}');
INSERT INTO basic_items (id, sku) VALUES (2, 'SKU-2');
COMMIT;

UPDATE basic_items SET qty = 4, label = NULL WHERE id = 1;
UPDATE basic_items SET label = 'second', price = -0.01 WHERE id = 2;
DELETE FROM basic_items WHERE id = 1;
