#!/usr/bin/env bash
# bench/snapshot/run.sh's session, next to a fresh PostgreSQL
# (trackops-pg-sandbox). One table row per tool on stdout, progress on stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${TRACKOPS_BUILD_DIR:-build}
rows=${SNAPSHOT_ROWS:-10000000}
threads=${SNAPSHOT_THREADS:-1 2 4}
tools=${SNAPSHOT_TOOLS:-trackops debezium}
repeat=${SNAPSHOT_REPEAT:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { echo "snapshot bench: $*" >&2; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

say "writing $rows rows"
psql -q -v ON_ERROR_STOP=1 <<SQL
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL,
                     amount numeric(12,2) NOT NULL, created_at timestamptz NOT NULL, note text);
INSERT INTO orders SELECT g, g % 1000, 'new', (g % 100000) / 100.0, now(),
                          CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || g END
FROM generate_series(1, $rows) g;
VACUUM ANALYZE orders;
SQL
# Read once, so that every run finds the table in the page cache.
psql -qAtc "SELECT count(*) FROM orders" >/dev/null
table_mb=$(psql -Atc "SELECT pg_relation_size('orders') / 1048576")

properties() {  # slot, mode, further lines
  tools/pg-sandbox/source-properties.sh
  cat <<PROPS
debezium.source.topic.prefix=bench
debezium.source.snapshot.mode=$2
debezium.source.slot.name=$1
debezium.source.publication.name=$1_pub
$3
PROPS
}

echo "| tool | rows | seconds | rows/s | table MB/s | CPU s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
row() {  # label
  local seconds cpu rss
  seconds=$(cut -d' ' -f1 "$work/runs" | median)
  cpu=$(cut -d' ' -f2 "$work/runs" | median)
  rss=$(cut -d' ' -f3 "$work/runs" | median)
  awk -v l="$1" -v n="$rows" -v s="$seconds" -v c="$cpu" -v r="$rss" -v mb="$table_mb" \
    'BEGIN { printf "| %s | %d | %.2f | %.0f | %.1f | %.2f | %.0f |\n", l, n, s, n / s, mb / s, c, r / 1024 }'
}
timed() {  # command...
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@"
  awk '{ printf "%s %.2f %d\n", $1, $2 + $3, $4 }' "$work/time" >> "$work/runs"
}

for tool in $tools; do
  case $tool in
    trackops)
      for n in $threads; do
        : > "$work/runs"
        for run in $(seq 1 "$repeat"); do
          say "trackops-cdcd, snapshot.max.threads=$n (run $run of $repeat)"
          properties "trk_${n}_$run" initial_only "debezium.source.snapshot.max.threads=$n
debezium.sink.type=stdout" > "$work/trackops.properties"
          timed "$build"/src/cdcd/trackops-cdcd --config "$work/trackops.properties" \
            --progress 0 > /dev/null 2> "$work/trackops.log" || { tail "$work/trackops.log" >&2; exit 1; }
          grep -q "snapshot: completed, $rows rows" "$work/trackops.log" || {
            tail "$work/trackops.log" >&2; exit 1; }
        done
        row "trackops-cdcd, $n thread$([ "$n" = 1 ] || echo s)"
      done
      ;;
    debezium)
      : > "$work/runs"
      for run in $(seq 1 "$repeat"); do
        say "Debezium 3.6.1 (run $run of $repeat)"
        properties "dbz_$run" initial "" > "$work/debezium.properties"
        timed tools/debezium-reference/run.sh --properties "$work/debezium.properties" \
          --out /dev/null --max-records "$rows" 2> "$work/debezium.log" || {
            tail "$work/debezium.log" >&2; exit 1; }
        psql -qAtc "SELECT pg_drop_replication_slot('dbz_$run')" >/dev/null
      done
      row "Debezium 3.6.1 embedded, 1 thread"
      ;;
  esac
done
