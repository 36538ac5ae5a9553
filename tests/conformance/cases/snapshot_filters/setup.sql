-- An initial snapshot under table.include.list (tables in include-pattern order) and column.exclude.list; snapshot source fields normalised as in snapshot_initial.
CREATE TABLE kept (id int PRIMARY KEY, secret text, v text);
CREATE TABLE kept_too (id int, k text, secret text, PRIMARY KEY (id, k));
CREATE TABLE dropped (id int PRIMARY KEY, v text);
INSERT INTO kept VALUES (2, 's2', 'b'), (1, 's1', 'a');
INSERT INTO kept_too VALUES (1, 'k1', 'hidden');
INSERT INTO dropped VALUES (1, 'x');
