-- binary.handling.mode=base64-url-safe: bytea, time, timestamp and NOT NULL fallbacks on a key-only delete.
\ir ../../shared/binary_time_table.sql
