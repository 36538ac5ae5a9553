-- An incremental snapshot (signal.data.collection, execute-snapshot): the tables' rows as read events (op r, source.snapshot "incremental") in key order, in chunks of 4 between the streamed changes; a composite key. The read events' source.lsn, txId, ts_* and sequence come from where each connector's stream stood and are normalised; the signal table is captured (as Debezium always does) but not compared, since the four connectors write their watermarks into the same one.
CREATE TABLE dbz_signal (id varchar(42) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048));
CREATE TABLE inc (id int PRIMARY KEY, v text, n numeric(8,2));
CREATE TABLE inc2 (a int, b text, v jsonb, PRIMARY KEY (a, b));
INSERT INTO inc VALUES (3, 'three', 3.30), (1, 'one', NULL), (5, 'five', -5), (2, E'two\ttab', 2.2), (4, NULL, 4);
INSERT INTO inc2 VALUES (2, 'b', '{"x": 1}'), (1, 'z', NULL), (1, 'a', '[]');
