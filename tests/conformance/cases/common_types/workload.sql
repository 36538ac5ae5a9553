INSERT INTO orders VALUES
  (1, 42, 'new', 'first order', 'AB', 12.50, 0.1234, 22.2222, 7, 100, true,
   '2026-11-25', '2026-11-25 10:11:12.123456', '2026-11-25 10:11:12.123',
   '2026-11-25 10:11:12.123456+00', '2026-11-25 10:11:12+00',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2], "b": null}', '{"b": 1, "a": "x"}');
INSERT INTO orders (id, customer_id, status) VALUES (2, 0, '');
INSERT INTO orders VALUES
  (3, -9223372036854775808, 'edge "quoted" \ back', E'tab\there\nnewline', 'ü',
   -9999999999.99, -0.0001, -1.000, -32768, -2147483648, false,
   '1970-01-01', '1969-12-31 23:59:59.999999', '1900-01-01 00:00:00',
   '2000-02-29 23:59:59.5-08', '1999-12-31 23:00:00+05:30',
   '00000000-0000-0000-0000-000000000000', '[]', '{}');
INSERT INTO orders VALUES
  (4, 9223372036854775807, 'unicode ☃ 日本 😀', '', NULL,
   0, 0, 0, 32767, 2147483647, NULL,
   '0001-01-01', '2262-04-11 23:47:16', NULL,
   NULL, NULL, NULL, 'null', '"string"');
UPDATE orders SET status = 'paid', amount = 13.00 WHERE id = 1;
BEGIN;
UPDATE orders SET note = NULL WHERE id = 3;
DELETE FROM orders WHERE id = 2;
COMMIT;
