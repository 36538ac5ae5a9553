-- Non-transactional logical decoding messages: sent at once, outside transactions (source.ts_* is Debezium's clock: ignored).
CREATE TABLE lmn_a (id int PRIMARY KEY, v text);
