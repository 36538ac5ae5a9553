-- hstore.handling.mode=map: hstore as a Connect map of string to optional string.
\ir ../../shared/hstore_table.sql
