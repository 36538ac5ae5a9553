-- Transactional logical decoding messages: conf.message records inside their transaction.
CREATE TABLE lm_a (id int PRIMARY KEY, v text);
