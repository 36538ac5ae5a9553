-- skipped.operations=none: TRUNCATE events (op "t"), one per table, no key, no tombstone.
CREATE TABLE tr_a (id int PRIMARY KEY, v text);
CREATE TABLE tr_b (id int PRIMARY KEY, a_id int REFERENCES tr_a (id));
CREATE TABLE tr_nokey (v text);
