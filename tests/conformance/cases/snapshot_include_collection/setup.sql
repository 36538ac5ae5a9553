-- snapshot.include.collection.list: the snapshot reads only the matching tables, all captured tables are streamed; snapshot source fields normalised as in snapshot_initial.
CREATE TABLE a (id int PRIMARY KEY, v text);
CREATE TABLE b (id int PRIMARY KEY, v text);
CREATE TABLE c (id int PRIMARY KEY, v text);
INSERT INTO a VALUES (1, 'a1'), (2, 'a2');
INSERT INTO b VALUES (1, 'b1');
INSERT INTO c VALUES (1, 'c1');
