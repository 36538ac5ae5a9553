-- Column types Debezium has no schema for (include.unknown.datatypes=false): left out of schema and payload; bit(n)[] (bit's schema, value always null).
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE DOMAIN boxd AS box;
CREATE TYPE pair AS (a int, b text);
CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE TABLE u (
  id    int PRIMARY KEY,
  keep  text,
  dom_a posint[],
  mon_a money[],
  nam_a name[],
  ivl_a interval[],
  vb_a  varbit[],
  xml_a xml[],
  pt_a  point[],
  box_a box[],
  bx    box,
  ci    circle,
  ln    line,
  ls    lseg,
  pa    path,
  pg    polygon,
  bxd   boxd,
  tq    tsquery,
  lsn   pg_lsn,
  snap  txid_snapshot,
  jp    jsonpath,
  mr    int4multirange,
  fr    floatrange,
  pr    pair,
  pr_a  pair[],
  rc    refcursor,
  rg    regclass,
  xi    xid,
  keep2 int,
  ba3   bit(3)[],
  ba1   bit[]
);
-- A table whose every non-key column is dropped, REPLICA IDENTITY FULL.
CREATE TABLE only_unsupported (id int PRIMARY KEY, bx box, pa path);
ALTER TABLE only_unsupported REPLICA IDENTITY FULL;
