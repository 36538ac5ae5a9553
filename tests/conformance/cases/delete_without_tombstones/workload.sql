INSERT INTO items VALUES (1, 'a'), (2, 'b');
DELETE FROM items WHERE id = 1;
UPDATE items SET id = 3 WHERE id = 2;
