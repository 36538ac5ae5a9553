-- Heartbeats (heartbeat.interval.ms 200, heartbeat.action.query) beside row events; heartbeats compared by shape (their number follows each tool's clock).
CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, qty int);
-- Written by heartbeat.action.query (one row per heartbeat and connector), not captured.
CREATE TABLE heartbeat_log (pid int NOT NULL, at timestamptz NOT NULL DEFAULT now());
