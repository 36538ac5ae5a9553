INSERT INTO a VALUES (1, '{1,2,3}', '{9223372036854775807}', '{"a","b c","with \"quote\"",""}', '{1.5,22.2222}', '{1.50,2.00}', '{x,y}', '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', '{2026-11-25,1970-01-01}', '{t,f}');
INSERT INTO a VALUES (2, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}');
INSERT INTO a VALUES (3, '{1,NULL,3}', '{NULL}', '{NULL,"NULL",x}', '{NULL,1}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL,t}');
