CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int DEFAULT 7, tags text[]);
CREATE TABLE items_full (id int PRIMARY KEY, name text, price numeric(8,2));
ALTER TABLE items_full REPLICA IDENTITY FULL;
CREATE TABLE nokey (a int, b text);
