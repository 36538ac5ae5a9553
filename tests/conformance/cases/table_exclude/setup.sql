-- table.exclude.list: matching tables are not emitted; the rest are.
CREATE SCHEMA other;
CREATE TABLE kept (id int PRIMARY KEY, v text);
CREATE TABLE audit_log (id int PRIMARY KEY, v text);
CREATE TABLE audit_log2 (id int PRIMARY KEY, v text);
CREATE TABLE other.kept (id int PRIMARY KEY, v text);
CREATE TABLE other.skipped (id int PRIMARY KEY, v text);
