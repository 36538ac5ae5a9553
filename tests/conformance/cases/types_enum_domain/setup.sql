-- enum (io.debezium.data.Enum with its labels) and domains over int, text and numeric(p,s).
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE DOMAIN label AS text;
CREATE DOMAIN price AS numeric(10,2);
CREATE DOMAIN money_ish AS price;
CREATE TABLE e (
  id    int PRIMARY KEY,
  mo    mood,
  mo_nn mood NOT NULL,
  pi    posint,
  lb    label,
  pr    price,
  pr2   money_ish
);
