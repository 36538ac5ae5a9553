-- A database TimeZone other than UTC (Asia/Kathmandu, +05:45; set before the connectors start): timestamptz, timetz, timestamp, date, time.
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET timezone = %L', current_database(), 'Asia/Kathmandu'); END $$;
CREATE TABLE tz (
  id   int PRIMARY KEY,
  tstz timestamptz,
  tst3 timestamptz(3),
  ttz  timetz,
  ts   timestamp,
  d    date,
  t    time,
  now_default timestamptz DEFAULT now(),
  tstz_a timestamptz[],
  lit_default timestamptz DEFAULT '2026-01-01 00:00:00+00'
);
