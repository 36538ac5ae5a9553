#!/usr/bin/env bash
# The demo's session, run by trackops-pg-sandbox next to a fresh PostgreSQL
# (PG* and TRACKOPS_PG_* variables point at it). Argument: seconds of workload.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
work=$(mktemp -d)
cdcd_pid=""
cleanup() {
  if [ -n "$cdcd_pid" ] && kill -0 "$cdcd_pid" 2>/dev/null; then kill -TERM "$cdcd_pid"; wait "$cdcd_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '\033[1;34m-- %s\033[0m\n' "$*" >&2; }

psql -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE orders (
  id          bigserial PRIMARY KEY,
  customer    text          NOT NULL,
  amount      numeric(12,2) NOT NULL,
  status      text          NOT NULL DEFAULT 'new',
  created_at  timestamptz   NOT NULL DEFAULT now()
);
SQL
say "PostgreSQL 15 on 127.0.0.1:$TRACKOPS_PG_PORT, table public.orders created"

cat > "$work/application.properties" <<PROPS
debezium.source.database.hostname=$TRACKOPS_PG_HOST
debezium.source.database.port=$TRACKOPS_PG_PORT
debezium.source.database.user=$PGUSER
debezium.source.database.password=$PGPASSWORD
debezium.source.database.dbname=$PGDATABASE
debezium.source.topic.prefix=shop
debezium.source.snapshot.mode=no_data
debezium.source.table.include.list=public.orders
debezium.sink.type=stdout
debezium.sink.stdout.pretty=true
debezium.format.key.schemas.enable=false
debezium.format.value.schemas.enable=false
debezium.format.header.schemas.enable=false
PROPS
say "starting trackops-cdcd (schemas off for readability; every record as Kafka would get it)"
build/src/cdcd/trackops-cdcd --config "$work/application.properties" --progress 5 &
cdcd_pid=$!

for _ in $(seq 1 200); do
  [ "$(psql -Atc "SELECT count(*) FROM pg_replication_slots WHERE active")" = "1" ] && break
  sleep 0.05
done

customers=(ada grace linus barbara ken margaret)
end=$((SECONDS + seconds))
n=0
while [ $SECONDS -lt $end ]; do
  n=$((n + 1))
  c=${customers[$((n % ${#customers[@]}))]}
  amount="$((RANDOM % 900 + 10)).$((RANDOM % 90 + 10))"
  say "INSERT order for $c ($amount)"
  id=$(psql -Atqc "INSERT INTO orders (customer, amount) VALUES ('$c', $amount) RETURNING id")
  sleep 1
  say "UPDATE order $id: paid"
  psql -qc "UPDATE orders SET status = 'paid' WHERE id = $id"
  sleep 1
  if [ $((n % 3)) -eq 0 ]; then
    say "DELETE order $id (a delete event, then a tombstone)"
    psql -qc "DELETE FROM orders WHERE id = $id"
    sleep 1
  fi
done
say "stopping trackops-cdcd (SIGTERM: finishes the transaction, confirms its position)"
kill -TERM "$cdcd_pid"
wait "$cdcd_pid"
cdcd_pid=""
say "done"
