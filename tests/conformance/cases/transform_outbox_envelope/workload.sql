INSERT INTO events (event_id, topic_name, event_key, event_type, body) VALUES
  ('6f1c2a8e-0d1b-4f5e-9a3b-2c4d5e6f7a8b', 'shop_orders', 7, 'Created', '{"a":1}'),
  ('0e9a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b', 'shop_customers', NULL, 'Renamed', 'plain text'),
  ('1a2b3c4d-5e6f-4a0b-9c8d-7e6f5a4b3c2d', 'other', 9, 'Ignored', '');
DELETE FROM events;
