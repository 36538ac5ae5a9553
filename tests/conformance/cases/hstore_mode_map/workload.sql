\ir ../../shared/hstore_workload.sql
