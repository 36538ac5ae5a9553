-- tombstones.on.delete=false: a delete event and no tombstone.
CREATE TABLE items (id int PRIMARY KEY, name text);
