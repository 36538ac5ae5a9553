INSERT INTO ta SELECT 1, 't', decode(repeat('deadbeef', 1000), 'hex'), array_fill('text'::text, ARRAY[600]), array_fill('vc'::varchar, ARRAY[800]), array_fill('{"k":1}'::jsonb, ARRAY[400]), array_fill(7, ARRAY[700]), array_fill(8::int8, ARRAY[400]), array_fill('2026-01-02'::date, ARRAY[700]), array_fill('\x0102'::bytea, ARRAY[900]), array_fill('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, ARRAY[200]), array_fill(1.5::numeric, ARRAY[600]);
UPDATE ta SET title = 'changed' WHERE id = 1;
INSERT INTO ta_full SELECT * FROM ta;
UPDATE ta_full SET title = 'changed again' WHERE id = 1;
DELETE FROM ta_full WHERE id = 1;
