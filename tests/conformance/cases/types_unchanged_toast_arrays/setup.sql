-- Unchanged TOASTed bytea and arrays (> 2 kB, stored out of line): Debezium's per-type placeholders under REPLICA IDENTITY DEFAULT, the old values under FULL.
CREATE TABLE ta (
  id    int PRIMARY KEY,
  title text,
  b     bytea,
  t_a   text[],
  v_a   varchar(10)[],
  j_a   jsonb[],
  i4_a  int4[],
  i8_a  int8[],
  d_a   date[],
  by_a  bytea[],
  u_a   uuid[],
  n_a   numeric[]
);
ALTER TABLE ta ALTER COLUMN b SET STORAGE EXTERNAL;
ALTER TABLE ta ALTER COLUMN t_a SET STORAGE EXTERNAL;
ALTER TABLE ta ALTER COLUMN v_a SET STORAGE EXTERNAL;
ALTER TABLE ta ALTER COLUMN j_a SET STORAGE EXTERNAL;
ALTER TABLE ta ALTER COLUMN i4_a SET STORAGE EXTERNAL;
ALTER TABLE ta ALTER COLUMN i8_a SET STORAGE EXTERNAL;
ALTER TABLE ta ALTER COLUMN d_a SET STORAGE EXTERNAL;
ALTER TABLE ta ALTER COLUMN by_a SET STORAGE EXTERNAL;
ALTER TABLE ta ALTER COLUMN u_a SET STORAGE EXTERNAL;
ALTER TABLE ta ALTER COLUMN n_a SET STORAGE EXTERNAL;
CREATE TABLE ta_full (LIKE ta INCLUDING ALL);
ALTER TABLE ta_full REPLICA IDENTITY FULL;
