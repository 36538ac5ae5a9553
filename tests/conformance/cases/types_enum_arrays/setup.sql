-- arrays of an enum (array of io.debezium.data.Enum), timestamp(3)[], timestamptz[], bytea[].
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE ea (id int PRIMARY KEY, ma mood[], tsa timestamp(3)[], tza timestamptz[], ba bytea[]);
