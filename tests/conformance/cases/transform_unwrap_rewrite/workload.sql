\ir ../../shared/unwrap_workload.sql
