-- The outbox EventRouter with its own column names, envelope placements and
-- a routing regex with groups.
CREATE TABLE events (
  event_id uuid PRIMARY KEY,
  topic_name text NOT NULL,
  event_key bigint,
  event_type text NOT NULL,
  body text,
  created_at timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00'
);
