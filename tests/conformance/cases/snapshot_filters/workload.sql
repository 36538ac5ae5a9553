UPDATE kept SET v = 'c' WHERE id = 1;
INSERT INTO dropped VALUES (2, 'y');
