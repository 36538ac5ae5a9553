BEGIN;
INSERT INTO orders VALUES (1, 'NEW');
INSERT INTO outbox VALUES ('6f1c2a8e-0d1b-4f5e-9a3b-2c4d5e6f7a8b', 'order', '1', 'OrderCreated',
                           '{"id": 1, "status": "NEW", "lines": [{"sku": "A", "qty": 2}]}');
DELETE FROM outbox;
COMMIT;
BEGIN;
UPDATE orders SET status = 'PAID' WHERE id = 1;
INSERT INTO outbox VALUES ('0e9a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b', 'order', '1', 'OrderPaid',
                           '{"id": 1, "status": "PAID", "note": "caf\u00e9 \"quoted\""}'),
                          ('1a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d', 'customer', 'c-9', 'Notified',
                           NULL);
UPDATE outbox SET type = 'Changed' WHERE aggregateid = 'c-9';
DELETE FROM outbox;
COMMIT;
