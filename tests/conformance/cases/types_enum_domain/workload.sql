INSERT INTO e VALUES (1, 'happy', 'sad', 7, 'hello', 12.5, 3.99);
INSERT INTO e VALUES (2, NULL, 'ok', NULL, NULL, NULL, NULL);
UPDATE e SET mo = 'ok' WHERE id = 1;
DELETE FROM e WHERE id = 2;
