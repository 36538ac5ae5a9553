-- bytea, money, bit(1), bit(n), varbit, float4 / float8 with NaN and infinities, numeric NaN.
CREATE TABLE b (
  id  int PRIMARY KEY,
  by  bytea,
  m   money,
  b1  bit(1),
  b8  bit(8),
  b12 bit(12),
  vb  varbit,
  vb5 varbit(5),
  f4  real,
  f8  double precision,
  n   numeric,
  n2  numeric(6,2)
);
