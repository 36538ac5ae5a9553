-- hstore (extension, recognized by name): json or map by hstore.handling.mode.
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE TABLE h (id int PRIMARY KEY, hs hstore, hs_nn hstore NOT NULL, hs_a hstore[]);
CREATE TABLE h_toast (id int PRIMARY KEY, title text, hs hstore);
ALTER TABLE h_toast ALTER COLUMN hs SET STORAGE EXTERNAL;
