INSERT INTO ea VALUES (1, '{sad,happy}', '{"2026-11-25 10:11:12.123"}', '{"2026-11-25 10:11:12.5+00"}', '{"\\x0102",NULL}');
INSERT INTO ea VALUES (2, '{}', '{}', '{}', '{}');
INSERT INTO ea VALUES (3, '{NULL,ok}', NULL, NULL, NULL);
