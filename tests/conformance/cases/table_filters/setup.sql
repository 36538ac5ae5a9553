-- table.include.list: only matching tables are emitted.
CREATE TABLE kept (id int PRIMARY KEY, v text);
CREATE TABLE kept_too (id int PRIMARY KEY, v text);
CREATE TABLE dropped (id int PRIMARY KEY, v text);
