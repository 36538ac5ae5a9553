# Sourced by bench/e2e's sessions: trackops-cdcd's properties for the sandbox
# database (TRACKOPS_PG_*, PG*) and the bench_pub publication.
properties() {  # slot, further lines (sink, overrides)
  tools/pg-sandbox/source-properties.sh
  cat <<PROPS
debezium.source.topic.prefix=bench
debezium.source.snapshot.mode=no_data
debezium.source.slot.name=$1
debezium.source.publication.name=bench_pub
debezium.source.publication.autocreate.mode=disabled
$2
PROPS
}
