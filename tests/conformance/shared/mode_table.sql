-- Table m of the handling-mode cases: one column of each type a mode changes.
CREATE TABLE m (
  id   int PRIMARY KEY,
  n    numeric,
  n2   numeric(12,2),
  mo   money,
  t    time,
  t3   time(3),
  ttz  timetz,
  d    date,
  ts   timestamp,
  ts3  timestamp(3),
  tstz timestamptz,
  by   bytea,
  iv   interval
);
