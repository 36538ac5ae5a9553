INSERT INTO items VALUES (1, 'one', 10), (2, 'two', 20), (3, 'three', NULL);
UPDATE items SET qty = 11 WHERE id = 1;
DELETE FROM items WHERE id = 3;
-- A primary-key change: delete + tombstone + create with key headers.
UPDATE items SET id = 20 WHERE id = 2;
INSERT INTO items_full VALUES (1, 'full', 1);
UPDATE items_full SET qty = 2 WHERE id = 1;
DELETE FROM items_full WHERE id = 1;
INSERT INTO pairs VALUES (1, 'x', 'v1'), (1, 'y', 'v2');
UPDATE pairs SET v = 'v3' WHERE a = 1 AND b = 'x';
DELETE FROM pairs WHERE a = 1 AND b = 'y';
INSERT INTO nokey VALUES (1, 'no key');
BEGIN;
INSERT INTO items VALUES (4, 'four', 4);
UPDATE items SET name = 'FOUR' WHERE id = 4;
DELETE FROM items WHERE id = 4;
COMMIT;
