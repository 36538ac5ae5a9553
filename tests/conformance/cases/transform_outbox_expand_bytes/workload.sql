\ir ../../shared/outbox_expand_workload.sql
