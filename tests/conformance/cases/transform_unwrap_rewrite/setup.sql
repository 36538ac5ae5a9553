-- ExtractNewRecordState: rewrite-with-tombstone, add.fields and add.headers.
\ir ../../shared/unwrap_tables.sql
