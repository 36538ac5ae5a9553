INSERT INTO tz (id, tstz, tst3, ttz, ts, d, t, now_default, tstz_a) VALUES (1, '2026-11-25 10:11:12.123456+00', '2026-11-25 23:59:59.999+05:45', '10:11:12+05:45', '2026-11-25 10:11:12', '2026-11-25', '10:11:12', '2026-01-01 00:00:00+00', '{"2026-11-25 00:00:00+00","1900-01-01 00:00:00+00"}');
INSERT INTO tz (id, tstz, tst3, ttz, ts, d, t, now_default, tstz_a) VALUES (2, '1900-01-01 00:00:00+00', '0001-01-01 00:00:00+00 BC', '00:00:00-12', '1900-01-01 00:00:00', '0001-01-01 BC', '24:00:00', 'infinity', NULL);
INSERT INTO tz (id, tstz, tst3, ttz, ts, d, t, now_default, tstz_a) VALUES (3, '2026-03-29 01:30:00 Europe/London', '1986-01-01 00:00:00', '23:59:59.999999+14', NULL, NULL, NULL, '-infinity', '{infinity}');
UPDATE tz SET tstz = '2026-06-30 18:15:00-07' WHERE id = 1;
DELETE FROM tz WHERE id = 2;
