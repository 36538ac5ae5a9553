INSERT INTO commented VALUES (1, 'a', 2);
COMMENT ON COLUMN commented.n IS 'added while streaming';
ALTER TABLE commented ADD COLUMN w text;
COMMENT ON COLUMN commented.w IS 'a new column';
INSERT INTO commented VALUES (2, 'b', 3, 'c');
UPDATE commented SET v = 'd' WHERE id = 1;
DELETE FROM commented WHERE id = 2;
