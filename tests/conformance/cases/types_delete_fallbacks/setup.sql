-- NOT NULL columns of the newer types on a key-only delete: Debezium's per-type fallbacks.
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE f (
  id  int PRIMARY KEY,
  t   time NOT NULL,
  t3  time(3) NOT NULL,
  ttz timetz NOT NULL,
  iv  interval NOT NULL,
  mo  money NOT NULL,
  b1  bit(1) NOT NULL,
  b8  bit(8) NOT NULL,
  vb  varbit NOT NULL,
  ia  int[] NOT NULL,
  ta  text[] NOT NULL,
  e   mood NOT NULL,
  x   xml NOT NULL,
  ip  inet NOT NULL
);
