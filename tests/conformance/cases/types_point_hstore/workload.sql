\ir ../../shared/hstore_workload.sql
INSERT INTO g VALUES (1, '(1,2)', '(-1.5,1e20)', 'fat:2 rat:3 a', ARRAY['a b'::tsvector, 'c'], '{MiXeD,NULL,"a b"}', 'Top.Science.Astronomy', '978-0-306-40615-7', '978-0-306-40615-7');
INSERT INTO g VALUES (2, '(0.1,-0)', '(NaN,Infinity)', '', '{}', '{}', '', NULL, NULL);
INSERT INTO g VALUES (3, NULL, '(1.7976931348623157e308,4.9e-324)', NULL, NULL, NULL, NULL, NULL, NULL);
UPDATE g SET pt = '(3,4)' WHERE id = 1;
DELETE FROM g WHERE id = 2;
INSERT INTO g_full VALUES (1, '(5,6)', 'x y');
UPDATE g_full SET pt = '(7,8)' WHERE id = 1;
DELETE FROM g_full WHERE id = 1;
