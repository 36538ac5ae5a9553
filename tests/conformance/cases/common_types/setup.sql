-- The common types, each with edge values.
CREATE TABLE orders (
  id          bigint PRIMARY KEY,
  customer_id bigint NOT NULL,
  status      text NOT NULL,
  note        varchar(200),
  code        char(4),
  amount      numeric(12,2),
  ratio       numeric(5,4),
  total       numeric,
  qty         smallint,
  n           integer,
  paid        boolean,
  placed      date,
  created     timestamp,
  created3    timestamp(3),
  updated     timestamptz,
  updated0    timestamptz(0),
  ref         uuid,
  doc         json,
  docb        jsonb
);
