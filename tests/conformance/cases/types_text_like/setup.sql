-- inet / cidr / macaddr / macaddr8, ranges, xml, char(n), citext, name, oid.
CREATE EXTENSION IF NOT EXISTS citext;
CREATE TABLE s (
  id   int PRIMARY KEY,
  ip   inet,
  net  cidr,
  mac  macaddr,
  mac8 macaddr8,
  r4   int4range,
  r8   int8range,
  rn   numrange,
  rts  tsrange,
  rtz  tstzrange,
  rd   daterange,
  x    xml,
  c5   char(5),
  ci   citext,
  nm   name,
  o    oid
);
