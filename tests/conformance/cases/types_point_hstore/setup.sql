-- point (io.debezium.data.geometry.Point), tsvector, and extension types by name: hstore (json), citext[], ltree, isbn.
\ir ../../shared/hstore_table.sql
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS ltree;
CREATE EXTENSION IF NOT EXISTS isn;
CREATE TABLE g (
  id    int PRIMARY KEY,
  pt    point,
  pt_nn point NOT NULL,
  tv    tsvector,
  tv_a  tsvector[],
  ci_a  citext[],
  lt    ltree,
  ib    isbn,
  ib13  isbn13
);
CREATE TABLE g_full (id int PRIMARY KEY, pt point, tv tsvector);
ALTER TABLE g_full REPLICA IDENTITY FULL;
