-- binary.handling.mode=hex: numeric, money, time, timestamps, bytea and interval columns.
\ir ../../shared/mode_table.sql
