INSERT INTO items VALUES (1, 'one', 10), (2, 'two', 20);
UPDATE items SET qty = 11 WHERE id = 1;
-- Until each of the four connectors has run heartbeat.action.query, i.e. has
-- sent at least one heartbeat (both tools send the record, then run the query).
DO $$
BEGIN
  FOR i IN 1..1200 LOOP
    IF (SELECT count(DISTINCT pid) FROM heartbeat_log) >= 4 THEN
      RETURN;
    END IF;
    PERFORM pg_sleep(0.05);
  END LOOP;
  RAISE EXCEPTION 'not every connector ran heartbeat.action.query within 60 s';
END
$$;
DELETE FROM items WHERE id = 2;
INSERT INTO items VALUES (3, 'three', NULL);
