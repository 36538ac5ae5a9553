-- The outbox EventRouter with its default columns, a header placement and
-- tombstones for empty payloads; other tables pass unchanged (predicate).
CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  aggregatetype varchar(255) NOT NULL,
  aggregateid varchar(255) NOT NULL,
  type varchar(255) NOT NULL,
  payload jsonb
);
CREATE TABLE orders (id int PRIMARY KEY, status text);
