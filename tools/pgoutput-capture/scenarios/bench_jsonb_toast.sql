-- description: Benchmark corpus: rows with ~2.5 kB jsonb documents stored out of line; inserts, updates of other columns (unchanged TOAST 'u') and of the document.
-- protocol_version: 1

CREATE TABLE documents (
  id         bigint PRIMARY KEY,
  kind       text NOT NULL,
  version    integer NOT NULL,
  doc        jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);
-- EXTERNAL: out of line, uncompressed, as large documents usually end up.
ALTER TABLE documents ALTER COLUMN doc SET STORAGE EXTERNAL;
CREATE PUBLICATION capture FOR ALL TABLES;
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput');

INSERT INTO documents
SELECT i, 'invoice', 1,
       jsonb_build_object(
         'invoice', i, 'currency', 'EUR', 'customer', jsonb_build_object('id', 1000 + i, 'name', 'Customer ' || i),
         'lines', (SELECT jsonb_agg(jsonb_build_object('sku', 'SKU-' || (i * 100 + j), 'qty', j,
                                                       'price', (j * 1.25)::numeric(8,2), 'tags', jsonb_build_array('std', 'eu')))
                     FROM generate_series(1, 30) j)),
       '2024-03-01 10:00:00+00'::timestamptz + i * interval '1 minute'
  FROM generate_series(1, 4) i;
-- Metadata updates: the document is sent as unchanged TOAST ('u').
UPDATE documents SET version = version + 1, updated_at = updated_at + interval '1 hour';
UPDATE documents SET version = version + 1, updated_at = updated_at + interval '1 hour';
UPDATE documents SET kind = 'paid invoice', version = version + 1;
UPDATE documents SET version = version + 1, updated_at = updated_at + interval '1 hour';
-- Document updates: the whole new document is sent.
UPDATE documents SET doc = jsonb_set(doc, '{status}', '"paid"'), version = version + 1 WHERE id <= 2;
