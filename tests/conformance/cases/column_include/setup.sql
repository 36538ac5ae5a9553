-- column.include.list: regexes over schema.table.column; key columns left out of the value stay in the key.
CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL, email text, secret text);
CREATE TABLE orders (tenant int NOT NULL, num int NOT NULL DEFAULT 7, item text, qty int, PRIMARY KEY (num, tenant));
ALTER TABLE orders REPLICA IDENTITY FULL;
CREATE TABLE nothing_kept (id int PRIMARY KEY, v text);
