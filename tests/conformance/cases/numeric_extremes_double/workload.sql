\ir ../../shared/numeric_extremes_workload.sql
