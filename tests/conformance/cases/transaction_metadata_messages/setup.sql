-- provide.transaction.metadata with logical decoding messages and a truncate (END's data_collections and non-transactional source.ts_* are Debezium's random identity hashes and clock: ignored).
CREATE TABLE p_a (id int PRIMARY KEY, v text);
