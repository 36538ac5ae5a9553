-- decimal.handling.mode=string: numeric, money, time, timestamps, bytea and interval columns.
\ir ../../shared/mode_table.sql
CREATE TABLE nn (id int PRIMARY KEY, n numeric NOT NULL, n2 numeric(5,2) NOT NULL, mo money NOT NULL, iv interval NOT NULL);
