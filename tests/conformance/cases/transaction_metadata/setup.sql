-- provide.transaction.metadata=true: BEGIN/END records on conf.transaction and the transaction block.
CREATE TABLE tx_a (id int PRIMARY KEY, v text);
CREATE TABLE tx_b (id int PRIMARY KEY, v text);
CREATE TABLE tx_skip (id int PRIMARY KEY);
