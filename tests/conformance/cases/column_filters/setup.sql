-- column.exclude.list: left-out columns are in neither schemas nor values (updates, deletes, REPLICA IDENTITY FULL).
CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, pw_hash text, pw_salt text, age int);
CREATE TABLE users_full (id int PRIMARY KEY, pw_hash text, note text);
ALTER TABLE users_full REPLICA IDENTITY FULL;
CREATE TABLE other (id int PRIMARY KEY, pw_hash text);
