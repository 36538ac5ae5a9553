-- arrays: int[], text[], numeric[], uuid[], date[], bool[]; empty and NULL-holding arrays.
CREATE TABLE a (
  id  int PRIMARY KEY,
  ia  int[],
  ba  bigint[],
  ta  text[],
  na  numeric[],
  n2a numeric(6,2)[],
  va  varchar(10)[],
  ua  uuid[],
  da  date[],
  bo  boolean[]
);
