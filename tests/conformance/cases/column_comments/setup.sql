-- Column and table comments: no "doc" in streamed events (pgoutput Relation messages carry none), also with include.schema.comments.
CREATE TABLE commented (id int PRIMARY KEY, v text, n int NOT NULL DEFAULT 1);
COMMENT ON TABLE commented IS 'a table';
COMMENT ON COLUMN commented.id IS 'the key';
COMMENT ON COLUMN commented.v IS 'a "quoted" comment';
