-- Key fields: in the primary key's column order; without a primary key, the columns of the first unique index (also under REPLICA IDENTITY USING INDEX of another index), with updates and deletes.
CREATE TABLE pk_reversed (a int NOT NULL, b text NOT NULL, c int, PRIMARY KEY (b, a));
CREATE TABLE pk_three (x int, y int, z int, v text, PRIMARY KEY (z, x, y));
-- Replica identity index, no primary key.
CREATE TABLE ri_index (a int NOT NULL, b int NOT NULL, v text);
CREATE UNIQUE INDEX ri_index_ba ON ri_index (b, a);
ALTER TABLE ri_index REPLICA IDENTITY USING INDEX ri_index_ba;
-- Primary key and a different replica identity index.
CREATE TABLE pk_and_ri (id int PRIMARY KEY, code text NOT NULL, v text);
CREATE UNIQUE INDEX pk_and_ri_code ON pk_and_ri (code);
ALTER TABLE pk_and_ri REPLICA IDENTITY USING INDEX pk_and_ri_code;
-- Two unique indexes, the replica identity on the one whose name sorts last.
CREATE TABLE two_unique (p int NOT NULL, q int NOT NULL, v text);
CREATE UNIQUE INDEX two_unique_a_q ON two_unique (q);
CREATE UNIQUE INDEX two_unique_b_p ON two_unique (p);
ALTER TABLE two_unique REPLICA IDENTITY USING INDEX two_unique_b_p;
-- No primary key, a unique index, replica identity full.
CREATE TABLE unique_full (u int, w int NOT NULL, v text);
CREATE UNIQUE INDEX unique_full_w_u ON unique_full (w, u);
ALTER TABLE unique_full REPLICA IDENTITY FULL;
-- No primary key, only an expression unique index, replica identity full.
CREATE TABLE unique_expr (t text, v text);
CREATE UNIQUE INDEX unique_expr_lower ON unique_expr (lower(t));
ALTER TABLE unique_expr REPLICA IDENTITY FULL;
-- No primary key: a clustered unique index comes before others by name, its INCLUDE columns too.
CREATE TABLE clustered (p int NOT NULL, q int NOT NULL, r int, v text);
CREATE UNIQUE INDEX clustered_a ON clustered (p);
CREATE UNIQUE INDEX clustered_b ON clustered (q) INCLUDE (r);
CLUSTER clustered USING clustered_b;
ALTER TABLE clustered REPLICA IDENTITY FULL;
