-- numeric at its limits: 1000 significant digits, numeric(38,10) extremes, 1000 fraction digits, NaN and infinities, numeric[].
CREATE TABLE nx (
  id   int PRIMARY KEY,
  n    numeric,
  n38  numeric(38,10),
  n1k  numeric(1000,0),
  nneg numeric(5,-2),
  n_a  numeric(38,10)[]
);
