-- description: Benchmark corpus: a narrow orders table (bigint, bigint, text, numeric(12,2), timestamptz, text); inserts, status updates, deletes.
-- protocol_version: 1

CREATE TABLE orders (
  id          bigint PRIMARY KEY,
  customer_id bigint NOT NULL,
  status      text NOT NULL,
  amount      numeric(12,2) NOT NULL,
  created_at  timestamptz NOT NULL,
  note        text
);
CREATE PUBLICATION capture FOR ALL TABLES;
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput');

-- 8 transactions of 8 new orders each.
INSERT INTO orders SELECT i, 1000 + i % 17, 'new', (i * 7.31)::numeric(12,2),
  '2024-03-01 10:00:00+00'::timestamptz + i * interval '37 seconds',
  CASE WHEN i % 3 = 0 THEN NULL ELSE 'gift wrap #' || i END FROM generate_series(1, 8) i;
INSERT INTO orders SELECT i, 1000 + i % 17, 'new', (i * 7.31)::numeric(12,2),
  '2024-03-01 10:00:00+00'::timestamptz + i * interval '37 seconds',
  CASE WHEN i % 3 = 0 THEN NULL ELSE 'gift wrap #' || i END FROM generate_series(9, 16) i;
INSERT INTO orders SELECT i, 1000 + i % 17, 'new', (i * 7.31)::numeric(12,2),
  '2024-03-01 10:00:00+00'::timestamptz + i * interval '37 seconds',
  CASE WHEN i % 3 = 0 THEN NULL ELSE 'gift wrap #' || i END FROM generate_series(17, 24) i;
INSERT INTO orders SELECT i, 1000 + i % 17, 'new', (i * 7.31)::numeric(12,2),
  '2024-03-01 10:00:00+00'::timestamptz + i * interval '37 seconds',
  CASE WHEN i % 3 = 0 THEN NULL ELSE 'gift wrap #' || i END FROM generate_series(25, 32) i;
INSERT INTO orders SELECT i, 1000 + i % 17, 'new', (i * 7.31)::numeric(12,2),
  '2024-03-01 10:00:00+00'::timestamptz + i * interval '37 seconds',
  CASE WHEN i % 3 = 0 THEN NULL ELSE 'gift wrap #' || i END FROM generate_series(33, 40) i;
INSERT INTO orders SELECT i, 1000 + i % 17, 'new', (i * 7.31)::numeric(12,2),
  '2024-03-01 10:00:00+00'::timestamptz + i * interval '37 seconds',
  CASE WHEN i % 3 = 0 THEN NULL ELSE 'gift wrap #' || i END FROM generate_series(41, 48) i;
INSERT INTO orders SELECT i, 1000 + i % 17, 'new', (i * 7.31)::numeric(12,2),
  '2024-03-01 10:00:00+00'::timestamptz + i * interval '37 seconds',
  CASE WHEN i % 3 = 0 THEN NULL ELSE 'gift wrap #' || i END FROM generate_series(49, 56) i;
INSERT INTO orders SELECT i, 1000 + i % 17, 'new', (i * 7.31)::numeric(12,2),
  '2024-03-01 10:00:00+00'::timestamptz + i * interval '37 seconds',
  CASE WHEN i % 3 = 0 THEN NULL ELSE 'gift wrap #' || i END FROM generate_series(57, 64) i;
-- Status changes (default replica identity: no old tuple) and cancellations.
UPDATE orders SET status = 'paid' WHERE id % 2 = 0;
UPDATE orders SET status = 'shipped' WHERE id % 4 = 0;
DELETE FROM orders WHERE id % 8 = 1;
