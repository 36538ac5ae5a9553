# Sourced by bench/e2e's sessions: trackops-cdcd's properties for the sandbox
# database (TRACKOPS_PG_*, PG*) and the bench_pub publication.
properties() {  # slot, further lines (sink, overrides)
  cat <<PROPS
debezium.source.database.hostname=$TRACKOPS_PG_HOST
debezium.source.database.port=$TRACKOPS_PG_PORT
debezium.source.database.user=$PGUSER
debezium.source.database.password=$PGPASSWORD
debezium.source.database.dbname=$PGDATABASE
debezium.source.topic.prefix=bench
debezium.source.snapshot.mode=no_data
debezium.source.slot.name=$1
debezium.source.publication.name=bench_pub
debezium.source.publication.autocreate.mode=disabled
$2
PROPS
}
