#!/usr/bin/env bash
# One conformance case, run by run.sh inside trackops-pg-sandbox (PG* and
# TRACKOPS_PG_* point at a fresh server). Environment from run.sh:
# TRACKOPS_CASE_DIR, TRACKOPS_CASE_OUT, TRACKOPS_BUILD, TRACKOPS_REPO.
set -euo pipefail
dir=$TRACKOPS_CASE_DIR
out=$TRACKOPS_CASE_OUT
build=$TRACKOPS_BUILD
repo=$TRACKOPS_REPO
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

psql -q -v ON_ERROR_STOP=1 -c "CREATE TABLE conformance_end (id int PRIMARY KEY)"
[ -f "$dir/setup.sql" ] && psql -q -v ON_ERROR_STOP=1 -f "$dir/setup.sql"

# name schemas: the properties shared by both tools.
properties() {
  "$repo/tools/pg-sandbox/source-properties.sh"
  cat <<PROPS
debezium.source.topic.prefix=conf
debezium.source.snapshot.mode=no_data
debezium.source.slot.name=$1
debezium.source.publication.name=$1_pub
debezium.format.key.schemas.enable=$2
debezium.format.value.schemas.enable=$2
debezium.format.header.schemas.enable=$2
PROPS
  [ -f "$dir/connector.properties" ] && cat "$dir/connector.properties"
  return 0
}

for schemas in true false; do
  mode=$([ $schemas = true ] && echo schemas || echo plain)
  properties "dbz_$mode" "$schemas" > "$out/debezium-$mode.properties"
  "$repo/tools/debezium-reference/run.sh" --properties "$out/debezium-$mode.properties" \
    --out "$out/debezium-$mode.jsonl" --ready-file "$out/debezium-$mode.ready" \
    2> "$out/debezium-$mode.log" &
  pids+=($!)
  { properties "trk_$mode" "$schemas"; echo "debezium.sink.type=stdout"; } \
    > "$out/trackops-$mode.properties"
  "$build/src/cdcd/trackops-cdcd" --config "$out/trackops-$mode.properties" --progress 0 \
    > "$out/trackops-$mode.jsonl" 2> "$out/trackops-$mode.log" &
  pids+=($!)
done

# Every connector streams: its slot is active (and Debezium says it is ready).
# With snapshot.mode=initial that is after its snapshot (trackops-cdcd reads
# it from a temporary slot of another name), so the workload is streamed.
deadline=$((SECONDS + 180))
until [ "$(psql -Atc "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name IN \
            ('dbz_schemas', 'dbz_plain', 'trk_schemas', 'trk_plain')")" = 4 ] \
      && [ -f "$out/debezium-schemas.ready" ] && [ -f "$out/debezium-plain.ready" ]; do
  for p in "${pids[@]}"; do
    kill -0 "$p" 2>/dev/null || { echo "a connector exited early"; tail -n 20 "$out"/*.log; exit 1; }
  done
  [ $SECONDS -lt $deadline ] || { echo "connectors did not start"; tail -n 20 "$out"/*.log; exit 1; }
  sleep 0.2
done

psql -q -v ON_ERROR_STOP=1 -f "$dir/workload.sql"
psql -q -v ON_ERROR_STOP=1 -c "INSERT INTO conformance_end VALUES (1)"

deadline=$((SECONDS + 180))
for f in "$out"/debezium-schemas.jsonl "$out"/debezium-plain.jsonl \
         "$out"/trackops-schemas.jsonl "$out"/trackops-plain.jsonl; do
  until grep -q '"topic":"conf.public.conformance_end"' "$f"; do
    [ $SECONDS -lt $deadline ] || { echo "no end marker in $f"; tail -n 20 "$out"/*.log; exit 1; }
    sleep 0.2
  done
done
cleanup
pids=()

status=0
: > "$out/diff.txt"
for mode in schemas plain; do
  for tool in debezium trackops; do
    # The end marker, and its transaction's BEGIN/END (provide.transaction.metadata),
    # whose END may or may not have been written when the connector was stopped.
    xid=$(grep -m1 '"topic":"conf.public.conformance_end"' "$out/$tool-$mode.jsonl" \
          | sed -n 's/.*"txId":\([0-9]*\).*/\1/p')
    grep -v '"topic":"conf.public.conformance_end"' "$out/$tool-$mode.jsonl" \
      | grep -v "^{\"topic\":\"conf.transaction\".*\"id\":\"${xid:-none}:" \
      > "$out/$tool-$mode.records.jsonl" || true
  done
  echo "== $mode" >> "$out/diff.txt"
  # shellcheck disable=SC2046  # diff.options: extra trackops-diff options, split on blanks.
  "$build/tools/trackops-diff/trackops-diff" $(cat "$dir/diff.options" 2>/dev/null) \
    "$out/debezium-$mode.records.jsonl" \
    "$out/trackops-$mode.records.jsonl" >> "$out/diff.txt" 2>&1 || status=1
done
cat "$out/diff.txt"
exit $status
