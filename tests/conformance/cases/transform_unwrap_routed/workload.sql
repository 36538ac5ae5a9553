INSERT INTO routed VALUES (1, 'conf.routed.a'), (2, 'conf.routed.b'), (3, NULL), (4, '  ');
UPDATE routed SET dest = 'conf.routed.c' WHERE id = 1;
DELETE FROM routed WHERE id = 2;
INSERT INTO dropped VALUES (1, 'x');
UPDATE dropped SET v = 'y';
DELETE FROM dropped;
INSERT INTO plain VALUES (1, 'p');
DELETE FROM plain;
