-- description: Columns of user-defined types (an enum in a schema, a domain) produce Type messages.
-- protocol_version: 1

CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
CREATE TABLE app.feelings (id integer PRIMARY KEY, mood app.mood, weight positive_int, note text);
CREATE PUBLICATION capture FOR ALL TABLES;
SELECT 'slot' FROM pg_create_logical_replication_slot('capture', 'pgoutput');

INSERT INTO app.feelings VALUES (1, 'happy', 5, 'sunny'), (2, NULL, NULL, NULL);
UPDATE app.feelings SET mood = 'sad' WHERE id = 2;
