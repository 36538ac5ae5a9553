-- ExtractNewRecordState with its defaults (delete.tombstone.handling.mode=tombstone).
\ir ../../shared/unwrap_tables.sql
