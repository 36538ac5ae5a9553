-- text, varchar, json and jsonb with BMP and astral characters, control characters, quotes and backslashes.
CREATE TABLE tu (id int PRIMARY KEY, t text, v varchar(40), j json, jb jsonb, t_a text[]);
