-- The outbox EventRouter with table.expand.json.payload: JSON payloads become
-- structs with inferred schemas; what Debezium cannot expand stays a string.
\ir ../../shared/outbox_expand_tables.sql
