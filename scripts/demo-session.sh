#!/usr/bin/env bash
# The demo's session, run next to a fresh PostgreSQL (trackops-pg-sandbox: PG*
# and TRACKOPS_PG_* point at it) and a Kafka broker (KAFKA_BOOTSTRAP).
# Argument: seconds of workload.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
build=${TRACKOPS_BUILD_DIR:-build}
work=$(mktemp -d)
cdcd_pid=""
consumer_pid=""
cleanup() {
  if [ -n "$cdcd_pid" ] && kill -0 "$cdcd_pid" 2>/dev/null; then kill -TERM "$cdcd_pid"; wait "$cdcd_pid" || true; fi
  if [ -n "$consumer_pid" ]; then kill -TERM "$consumer_pid" 2>/dev/null || true; wait "$consumer_pid" 2>/dev/null || true; fi
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
-- The transactional outbox: rows written with the order, routed to their own topics.
CREATE TABLE outbox (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  aggregatetype text  NOT NULL,
  aggregateid   text  NOT NULL,
  type          text  NOT NULL,
  payload       jsonb NOT NULL
);
SQL
say "PostgreSQL 15 on 127.0.0.1:$TRACKOPS_PG_PORT (tables orders, outbox); Kafka on $KAFKA_BOOTSTRAP"

{ tools/pg-sandbox/source-properties.sh; cat <<PROPS; } > "$work/application.properties"
debezium.source.topic.prefix=shop
debezium.source.snapshot.mode=no_data
debezium.source.table.include.list=public.orders,public.outbox
debezium.source.decimal.handling.mode=string
debezium.sink.type=kafka
debezium.sink.kafka.producer.bootstrap.servers=$KAFKA_BOOTSTRAP
debezium.format.key.schemas.enable=false
debezium.format.value.schemas.enable=false
debezium.format.header.schemas.enable=false
debezium.transforms=outbox
debezium.transforms.outbox.type=io.debezium.transforms.outbox.EventRouter
debezium.transforms.outbox.table.fields.additional.placement=type:header:eventType
debezium.transforms.outbox.predicate=isOutbox
debezium.predicates=isOutbox
debezium.predicates.isOutbox.type=org.apache.kafka.connect.transforms.predicates.TopicNameMatches
debezium.predicates.isOutbox.pattern=shop\\\\.public\\\\.outbox
PROPS
say "starting trackops-cdcd: Kafka sink, exactly once; outbox rows routed by the outbox EventRouter"
"$build"/src/cdcd/trackops-cdcd --config "$work/application.properties" --progress 5 &
cdcd_pid=$!

for _ in $(seq 1 600); do
  [ "$(psql -Atc "SELECT count(*) FROM pg_replication_slots WHERE active")" = "1" ] && break
  kill -0 "$cdcd_pid" 2>/dev/null || { echo "demo: trackops-cdcd exited" >&2; exit 1; }
  sleep 0.05
done

# The consumer starts once TrackOps has created the topics (on their first record).
start_consumer() {
  local topics=(shop.public.orders outbox.event.order) t
  for t in "${topics[@]}"; do
    for _ in $(seq 1 300); do
      kcat -b "$KAFKA_BOOTSTRAP" -L -t "$t" -m 2 2>/dev/null | grep -q "partition 0" && break
      sleep 0.1
    done
  done
  say "consumer: kcat, isolation.level=read_committed, topics ${topics[*]}"
  kcat -C -b "$KAFKA_BOOTSTRAP" -G trackops-demo -q \
    -X isolation.level=read_committed -X auto.offset.reset=earliest \
    -f '\033[1;32m%t\033[0m key=%k headers=%h\n  %s\n' "${topics[@]}" &
  consumer_pid=$!
}

customers=(ada grace linus barbara ken margaret)
end=$((SECONDS + seconds))
n=0
while [ $SECONDS -lt $end ]; do
  n=$((n + 1))
  c=${customers[$((n % ${#customers[@]}))]}
  amount="$((RANDOM % 900 + 10)).$((RANDOM % 90 + 10))"
  say "order for $c ($amount): INSERT into orders and outbox, one transaction"
  id=$(psql -Atq -v ON_ERROR_STOP=1 <<SQL | tail -n 1
BEGIN;
WITH o AS (INSERT INTO orders (customer, amount) VALUES ('$c', $amount) RETURNING id)
INSERT INTO outbox (aggregatetype, aggregateid, type, payload)
  SELECT 'order', id, 'ORDER_CREATED', json_build_object('order', id, 'customer', '$c', 'amount', $amount) FROM o
  RETURNING aggregateid;
DELETE FROM outbox;
COMMIT;
SQL
)
  if [ -z "$consumer_pid" ]; then start_consumer; fi
  sleep 1
  say "order $id paid: UPDATE orders, ORDER_PAID to the outbox"
  psql -q -v ON_ERROR_STOP=1 -c "BEGIN; UPDATE orders SET status = 'paid' WHERE id = $id;
    INSERT INTO outbox (aggregatetype, aggregateid, type, payload)
      VALUES ('order', '$id', 'ORDER_PAID', json_build_object('order', $id)); DELETE FROM outbox; COMMIT"
  sleep 1
  if [ $((n % 3)) -eq 0 ]; then
    say "DELETE order $id (a delete event, then a tombstone)"
    psql -qc "DELETE FROM orders WHERE id = $id"
    sleep 1
  fi
done
sleep 2  # Let the consumer show the last Kafka transaction.
say "stopping trackops-cdcd (SIGTERM: commits the Kafka transaction, then confirms the slot)"
kill -TERM "$cdcd_pid"
wait "$cdcd_pid"
cdcd_pid=""
say "done"
