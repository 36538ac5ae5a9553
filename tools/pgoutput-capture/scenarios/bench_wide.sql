-- description: Benchmark corpus: a wide row of 30 columns of mixed types; inserts and updates.
-- protocol_version: 1

CREATE TABLE wide_rows (
  id bigint PRIMARY KEY,
  c_int1 integer, c_int2 integer, c_small smallint, c_big1 bigint, c_big2 bigint,
  c_num1 numeric(12,2), c_num2 numeric(18,6), c_real real, c_double double precision,
  c_bool1 boolean, c_bool2 boolean,
  c_text1 text, c_text2 text, c_text3 text, c_var1 varchar(32), c_var2 varchar(64), c_char char(8),
  c_date date, c_ts timestamp, c_tstz1 timestamptz, c_tstz2 timestamptz, c_interval interval,
  c_uuid uuid, c_json jsonb, c_bytea bytea, c_inet inet, c_int_array integer[], c_text_array text[],
  c_null text
);
CREATE PUBLICATION capture FOR ALL TABLES;
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput');

INSERT INTO wide_rows
SELECT i, i * 3, -i, (i % 100)::smallint, i::bigint * 1000000007, -i::bigint * 99991,
       (i * 12.34)::numeric(12,2), (i / 7.0)::numeric(18,6), i * 0.5, i / 3.0,
       i % 2 = 0, i % 3 = 0,
       'customer ' || i, 'street ' || i || ' avenue', md5(i::text), 'var-' || i, 'region-' || (i % 5),
       'C' || i,
       '2024-01-01'::date + i, '2024-01-01 08:00:00'::timestamp + i * interval '1 hour',
       '2024-01-01 08:00:00+00'::timestamptz + i * interval '1 minute', '2024-06-30 12:00:00+00'::timestamptz - i * interval '1 day',
       i * interval '90 minutes',
       ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid,
       jsonb_build_object('id', i, 'ok', i % 2 = 0, 'tags', jsonb_build_array('x', 'y')),
       decode(md5(i::text), 'hex'), ('10.0.' || (i % 256) || '.1')::inet,
       ARRAY[i, i + 1, i + 2], ARRAY['a' || i, 'b' || i], NULL
  FROM generate_series(1, 16) i;
UPDATE wide_rows SET c_int1 = c_int1 + 1, c_text1 = c_text1 || ' (updated)' WHERE id % 2 = 0;
