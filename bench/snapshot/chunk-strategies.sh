#!/usr/bin/env bash
# How an initial snapshot should split a table into chunks, measured: the
# same rows read with COPY (as trackops-cdcd reads them) as one scan, as
# ranges of heap pages (TID range scans, what trackops-cdcd does), and as
# ranges of primary-key values (split points sampled with TABLESAMPLE, each
# chunk with and without ORDER BY), for a table whose keys follow the heap
# order (inserted in key order) and for one whose keys do not (inserted in
# random order, as with UUIDs or after years of updates). Medians of
# CHUNK_REPEAT runs (5), taken in turn; chunks of trackops.snapshot.chunk.pages (4096) pages.
#
#   bench/snapshot/chunk-strategies.sh
#   CHUNK_ROWS=1000000 bench/snapshot/chunk-strategies.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${PGHOST:-}" ]; then
  scripts/install-deps.sh
  TRACKOPS_TARGETS="trackops-pg-sandbox" scripts/build.sh >/dev/null
  exec "${TRACKOPS_BUILD_DIR:-build}"/tools/pg-sandbox/trackops-pg-sandbox \
    --set shared_buffers=512MB -- "$0" "$@"
fi
rows=${CHUNK_ROWS:-4000000}
repeat=${CHUNK_REPEAT:-5}
chunk_pages=4096
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
say() { echo "chunk strategies: $*" >&2; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }

say "writing $rows rows twice"
psql -q -v ON_ERROR_STOP=1 <<SQL
CREATE TABLE in_key_order (id bigint PRIMARY KEY, customer_id bigint NOT NULL,
                           status text NOT NULL, amount numeric(12,2) NOT NULL,
                           created_at timestamptz NOT NULL, note text);
INSERT INTO in_key_order SELECT g, g % 1000, 'new', (g % 100000) / 100.0, now(),
                                CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || g END
FROM generate_series(1, $rows) g;
CREATE TABLE in_random_order (LIKE in_key_order INCLUDING ALL);
INSERT INTO in_random_order SELECT * FROM in_key_order ORDER BY random();
VACUUM ANALYZE in_key_order;
VACUUM ANALYZE in_random_order;
SQL

echo "| table | chunks | how | seconds | rows/s |"
echo "|---|---|---|---|---|"
for table in in_key_order in_random_order; do
  psql -qAtc "SELECT count(*) FROM $table" >/dev/null  # into the page cache
  pages=$(psql -Atc "SELECT pg_relation_size('$table') / current_setting('block_size')::int")
  chunks=$(( (pages + chunk_pages - 1) / chunk_pages ))
  # Key split points: quantiles of a 1 % sample of the heap's pages.
  start=$(now)
  mapfile -t bounds < <(psql -Atc "
    SELECT unnest(percentile_disc(array(SELECT g::float8 / $chunks FROM generate_series(1, $chunks - 1) g))
                  WITHIN GROUP (ORDER BY id)) FROM $table TABLESAMPLE SYSTEM (1)")
  split_seconds=$(echo "$(now) - $start" | bc)
  echo "COPY (SELECT * FROM $table) TO STDOUT;" > "$work/one scan"
  : > "$work/heap pages"; : > "$work/key ranges"
  for ((c = 0; c < chunks; c++)); do
    tid="ctid >= '($((c * chunk_pages)),0)'::tid"
    [ "$c" -lt $((chunks - 1)) ] && tid="$tid AND ctid < '($(((c + 1) * chunk_pages)),0)'::tid"
    echo "COPY (SELECT * FROM $table WHERE $tid) TO STDOUT;" >> "$work/heap pages"
    key="true"
    [ "$c" -gt 0 ] && key="id > ${bounds[$((c - 1))]}"
    [ "$c" -lt $((chunks - 1)) ] && key="$key AND id <= ${bounds[$c]}"
    echo "COPY (SELECT * FROM $table WHERE $key ORDER BY id) TO STDOUT;" >> "$work/key ranges"
  done
  sed 's/ ORDER BY id//' "$work/key ranges" > "$work/key ranges, unordered"
  hows=("one scan" "heap pages" "key ranges" "key ranges, unordered")
  for how in "${hows[@]}"; do  # Each reads every row once.
    got=$(psql -q -v ON_ERROR_STOP=1 -f "$work/$how" | wc -l)
    [ "$got" -eq "$rows" ] || { say "$how read $got rows, not $rows"; exit 1; }
    : > "$work/runs $how"
  done
  # Round robin, so that a slower or faster moment of the machine falls on all.
  for run in $(seq 1 "$repeat"); do
    say "$table, run $run of $repeat"
    for how in "${hows[@]}"; do
      start=$(now)
      psql -q -v ON_ERROR_STOP=1 -f "$work/$how" > /dev/null
      echo "$(now) - $start" | bc >> "$work/runs $how"
    done
  done
  for how in "${hows[@]}"; do
    n=$([ "$how" = "one scan" ] && echo 1 || echo "$chunks")
    awk -v t="$table" -v c="$n" -v h="$how" -v s="$(median < "$work/runs $how")" -v r="$rows" \
      'BEGIN { printf "| %s | %d | %s | %.2f | %.0f |\n", t, c, h, s, r / s }'
  done
  printf "| %s | | key split points (1 %% sample) | %.2f | |\n" "$table" "$split_seconds"
done
