-- Schema changes committed before the connectors read the catalog: one transaction changes rows and then alters (renames, retypes, adds keys to, drops) their tables, so every catalog look-up sees the state after the commit, ahead of the changes.
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE TABLE renamed (id int PRIMARY KEY, v text NOT NULL DEFAULT 'v', w int NOT NULL);
CREATE TABLE retyped (id int PRIMARY KEY, x int, d posint, n numeric(5,2));
CREATE TABLE keyed_later (a int NOT NULL, b text NOT NULL, c int);
ALTER TABLE keyed_later REPLICA IDENTITY FULL;
CREATE TABLE dropped_later (id int PRIMARY KEY, v text NOT NULL);
