-- Unchanged TOASTed text and jsonb: the placeholder under REPLICA IDENTITY DEFAULT, the old value under FULL.
CREATE TABLE docs (id int PRIMARY KEY, title text, body text, meta jsonb);
ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL;
ALTER TABLE docs ALTER COLUMN meta SET STORAGE EXTERNAL;
CREATE TABLE docs_full (id int PRIMARY KEY, title text, body text, meta jsonb);
ALTER TABLE docs_full ALTER COLUMN body SET STORAGE EXTERNAL;
ALTER TABLE docs_full ALTER COLUMN meta SET STORAGE EXTERNAL;
ALTER TABLE docs_full REPLICA IDENTITY FULL;
