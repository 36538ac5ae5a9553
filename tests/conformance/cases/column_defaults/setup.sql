-- Column defaults in the value schema ("default"), and NULLs written as the default.
CREATE TABLE d (
  id    serial PRIMARY KEY,
  i     int DEFAULT 42,
  i_nn  int NOT NULL DEFAULT 7,
  b     bigint DEFAULT -1,
  s     smallint DEFAULT 3,
  t     text DEFAULT 'new',
  v     varchar(10) DEFAULT 'x''y',
  c     char(3) DEFAULT 'ab',
  bo    boolean DEFAULT true,
  n     numeric(5,2) DEFAULT 1.5,
  nv    numeric DEFAULT 2.25,
  f     double precision DEFAULT 0.5,
  r     real DEFAULT 1.25,
  d     date DEFAULT '2026-01-02',
  ts    timestamp DEFAULT '2026-01-02 03:04:05',
  tsn   timestamptz DEFAULT now(),
  u     uuid DEFAULT '00000000-0000-0000-0000-000000000001',
  j     jsonb DEFAULT '{}',
  e     text DEFAULT ''
);
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE DOMAIN posint AS int DEFAULT 5;
CREATE TABLE d2 (
  id   bigserial PRIMARY KEY,
  mo   mood DEFAULT 'ok',
  tm   time DEFAULT '10:11:12',
  tm3  time(3) DEFAULT current_time,
  bt   bit(1) DEFAULT B'1',
  b8   bit(8) DEFAULT B'00000011',
  tz   timestamptz DEFAULT '2026-01-02 03:04:05+00',
  d0   date DEFAULT current_date,
  u    uuid DEFAULT 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
  iv   interval DEFAULT '1 day',
  pi   posint,
  pi2  posint DEFAULT 9,
  tn   text DEFAULT NULL,
  up   text DEFAULT upper('x'),
  f8   float8 DEFAULT 'NaN'
);
