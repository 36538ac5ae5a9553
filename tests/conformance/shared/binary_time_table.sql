-- Table m of the binary and time modes cases, with NOT NULL columns for key-only deletes.
CREATE TABLE m (
  id   int PRIMARY KEY,
  by   bytea,
  t    time,
  t3   time(3),
  ts3  timestamp(3),
  by_nn bytea NOT NULL,
  t_nn  time(3) NOT NULL
);
