INSERT INTO tx_a VALUES (1, 'one');
BEGIN;
INSERT INTO tx_a VALUES (2, 'two');
INSERT INTO tx_b VALUES (1, 'b1');
UPDATE tx_a SET v = 'TWO' WHERE id = 2;
DELETE FROM tx_b WHERE id = 1;
INSERT INTO tx_b VALUES (2, 'b2');
COMMIT;
-- Only excluded tables: no transaction records.
INSERT INTO tx_skip VALUES (1);
BEGIN;
INSERT INTO tx_skip VALUES (2);
INSERT INTO tx_a VALUES (3, 'three');
COMMIT;
