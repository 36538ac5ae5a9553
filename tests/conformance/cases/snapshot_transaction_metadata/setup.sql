-- provide.transaction.metadata with an initial snapshot: read events have "transaction": null and no BEGIN/END records, streamed ones do; snapshot source fields normalised as in snapshot_initial.
CREATE TABLE t (id int PRIMARY KEY, v text);
INSERT INTO t VALUES (1, 'a'), (2, 'b');
