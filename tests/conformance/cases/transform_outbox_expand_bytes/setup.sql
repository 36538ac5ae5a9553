-- The outbox EventRouter with table.expand.json.payload and
-- table.json.payload.null.behavior=optional_bytes: JSON nulls kept as optional bytes.
\ir ../../shared/outbox_expand_tables.sql
