-- time.precision.mode=connect: numeric, money, time, timestamps, bytea and interval columns.
\ir ../../shared/mode_table.sql
