-- Schema changes mid-stream: ADD (with and without default) / DROP / RENAME COLUMN, ALTER COLUMN TYPE, ADD / DROP PRIMARY KEY, between changes inside and across transactions.
CREATE TABLE conformance_sync (id int PRIMARY KEY);
CREATE TABLE items (id int PRIMARY KEY, a int, v varchar(10), n numeric(5,2));
CREATE TABLE keyed (a int NOT NULL, b text NOT NULL, c int);
ALTER TABLE keyed REPLICA IDENTITY FULL;
