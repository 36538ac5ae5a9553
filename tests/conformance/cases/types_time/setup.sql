-- time, time(3), timetz, interval, 24:00:00, dates before 1 AD, +-infinity dates and timestamps.
CREATE TABLE t (
  id   int PRIMARY KEY,
  t0   time,
  t3   time(3),
  t6   time(6),
  ttz  timetz,
  iv   interval,
  d    date,
  ts   timestamp,
  ts3  timestamp(3),
  tstz timestamptz
);
