-- decimal.handling.mode=double: numeric at its limits (1000 digits, numeric(38,10) extremes, 1000 fraction digits, NaN, infinities, numeric[]).
\ir ../../shared/numeric_extremes_table.sql
