-- Keys, replica identities and the shapes of row events.
CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int);
CREATE TABLE items_full (id int PRIMARY KEY, name text, qty int);
ALTER TABLE items_full REPLICA IDENTITY FULL;
CREATE TABLE pairs (a int, b text, v text, PRIMARY KEY (a, b));
CREATE TABLE nokey (a int, b text);
