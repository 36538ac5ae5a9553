INSERT INTO u VALUES (1, 'a', '{1,2}', '{1.50,-2.25}', '{x,y}', '{1 day,"2 hours"}', '{101,0}', '{<a/>}', '{"(1,2)"}', '{(1,1),(0,0)}', '(1,1),(0,0)', '<(1,2),3>', '{1,-1,0}', '[(0,0),(1,1)]', '((0,0),(1,1),(2,0))', '((0,0),(1,1),(2,0))', '(2,2),(1,1)', 'fat & rat', '16/B374D848', '10:20:10,14,15', '$.a[*] ? (@ > 1)', '{[1,3),[5,7)}', '[1.5,2.5)', '(1,x)', '{"(1,x)","(2,y)"}', 'cur', 'pg_class', '123', 42, '{101,010}', '{1,0}');
INSERT INTO u (id) VALUES (2);
UPDATE u SET keep = 'b', bx = '(3,3),(2,2)' WHERE id = 1;
UPDATE u SET bx = '(4,4),(2,2)' WHERE id = 2;
DELETE FROM u WHERE id = 1;
INSERT INTO only_unsupported VALUES (1, '(1,1),(0,0)', '[(0,0),(1,1)]');
UPDATE only_unsupported SET bx = '(2,2),(0,0)' WHERE id = 1;
DELETE FROM only_unsupported WHERE id = 1;
