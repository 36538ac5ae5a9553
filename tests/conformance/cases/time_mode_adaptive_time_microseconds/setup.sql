-- time.precision.mode=adaptive_time_microseconds: bytea, time, timestamp and NOT NULL fallbacks on a key-only delete.
\ir ../../shared/binary_time_table.sql
