#!/usr/bin/env bash
# bench/e2e/latency.sh's session, next to a fresh PostgreSQL
# (trackops-pg-sandbox) and a Kafka broker (KAFKA_BOOTSTRAP).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${TRACKOPS_BUILD_DIR:-build}
rate=${E2E_RATE:-5000}
seconds=${E2E_SECONDS:-120}
# The broker is fresh: its JIT compilers work through the first minute or so
# of load (at 5000 tx/s still 0.15 CPU between the 30th and the 50th second,
# 0.02-0.05 after the 90th), and commits then take longer (docs/performance.md).
warmup=${E2E_WARMUP_SECONDS:-90}
work=$(mktemp -d)
# E2E_LOGS=DIR keeps the daemon's, the consumer's and pgbench's logs there.
cleanup() {
  [ -n "${consumer:-}" ] && kill "$consumer" 2>/dev/null || true
  [ -n "${daemon:-}" ] && kill -TERM "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true
  [ -z "${E2E_LOGS:-}" ] || { mkdir -p "$E2E_LOGS"; cp "$work"/*.log "$E2E_LOGS"/ 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
say() { echo "latency: $*" >&2; }

psql -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL,
                     amount numeric(12,2) NOT NULL, created_at timestamptz NOT NULL, note text);
CREATE PUBLICATION bench_pub FOR TABLE orders;
SQL

. bench/e2e/properties.sh
properties latency "debezium.sink.type=kafka
debezium.sink.kafka.producer.bootstrap.servers=$KAFKA_BOOTSTRAP
${E2E_PROPERTIES:-}" > "$work/cdcd.properties"
# E2E_PROGRESS=SECONDS logs the daemon's progress (position received and
# confirmed) that often.
# Debug logging: a line per Kafka commit, with when it started and ended.
TRACKOPS_LOG_LEVEL=debug \
  "$build"/src/cdcd/trackops-cdcd --config "$work/cdcd.properties" --progress "${E2E_PROGRESS:-0}" \
  > /dev/null 2> "$work/cdcd.log" &
daemon=$!
until [ "$(psql -Atc "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'latency' AND active")" = 1 ]; do
  kill -0 "$daemon" 2>/dev/null || { cat "$work/cdcd.log" >&2; exit 1; }
  sleep 0.1
done
# One change first, so that the topic exists before the consumer subscribes.
psql -qc "INSERT INTO orders (customer_id, status, amount, created_at) VALUES (0, 'probe', 0, now())"
until kcat -b "$KAFKA_BOOTSTRAP" -L -t bench.public.orders 2>/dev/null | grep -q "partition 0"; do
  kill -0 "$daemon" 2>/dev/null || { cat "$work/cdcd.log" >&2; exit 1; }
  sleep 0.1
done

# The consumer: per record, the commit-to-visible time in ms, split at the
# record's Kafka timestamp (set by the producer when trackops-cdcd handed the
# record over): commit-to-produced (walsender, decoding, encoding) and
# produced-to-visible (batch wait, Kafka commit, consumer fetch).
python3 - "$work/latencies" "$warmup" > "$work/consumer.log" 2>&1 <<'PY' &
import os, subprocess, sys, time
out_path, warmup_s = sys.argv[1], float(sys.argv[2])
kcat = subprocess.Popen(
    ["kcat", "-C", "-b", os.environ["KAFKA_BOOTSTRAP"], "-t", "bench.public.orders",
     "-X", "isolation.level=read_committed", "-X", "fetch.wait.max.ms=5",
     "-o", "beginning", "-u", "-q", "-f", "%T %s\n"],
    stdout=subprocess.PIPE)

# The consumer shares the machine with what it measures, so it costs as little
# as it can: it reads whatever kcat has written in one go, timestamps it when it
# arrives (a read_committed consumer gets a Kafka transaction's records
# together), and finds the three numbers it needs in each record's bytes with
# bytes.find, without decoding or parsing the JSON (schema included), which fell
# behind by seconds. The after image starts with the id, and the payload's
# source block is the only "source":{ object; the schema names fields as
# "field":"...", which these patterns cannot match.
def number_after(line, key, start):
    i = line.find(key, start)
    if i < 0:
        sys.exit("consumer: no %s in a record: %r" % (key.decode(), line[:400]))
    i += len(key)
    j = i
    while line[j:j + 1].isdigit():
        j += 1
    return int(line[i:j])

start = None
pending = b""
fd = kcat.stdout.fileno()
with open(out_path, "w", buffering=1) as out:
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        now_ms = time.time() * 1000.0
        lines = (pending + chunk).split(b"\n")
        pending = lines.pop()
        measured = []
        for line in lines:
            space = line.index(b" ")
            if start is None:
                # Records before the probe (none are expected) are not measured.
                if b'"status":"probe"' in line:
                    start = now_ms
                    measured.append("ready\n")
                continue
            produced_ms = int(line[:space])
            row_id = number_after(line, b'"after":{"id":', space)
            committed_ms = number_after(line, b'"ts_ms":', line.index(b'"source":{', space))
            measured.append("%s%.3f %d %.3f %d %d %d\n" % (
                "w" if now_ms - start < warmup_s * 1000 else "", now_ms - committed_ms,
                produced_ms - committed_ms, now_ms - produced_ms, row_id, produced_ms,
                committed_ms))
        out.write("".join(measured))
PY
consumer=$!
until grep -q ready "$work/latencies" 2>/dev/null; do
  kill -0 "$consumer" 2>/dev/null || { cat "$work/consumer.log" >&2; exit 1; }
  sleep 0.1
done

say "$rate transactions/s for $seconds s (the first $warmup s not counted)"
cat > "$work/insert.sql" <<'SQL'
INSERT INTO orders (customer_id, status, amount, created_at, note)
VALUES (:client_id, 'new', 12.50, now(), 'latency');
SQL
# Commits flushed at once, as in production (the sandbox commits asynchronously,
# which would add up to wal_writer_delay before the walsender sees a commit).
PGOPTIONS="-c synchronous_commit=on" pgbench -n -R "$rate" -T "$seconds" -c 4 -j 2 -f "$work/insert.sql" \
  -h "$TRACKOPS_PG_HOST" -p "$TRACKOPS_PG_PORT" "$PGDATABASE" > "$work/pgbench.log" 2>&1 ||
  { cat "$work/pgbench.log" >&2; exit 1; }
committed=$(psql -Atc "SELECT count(*) - 1 FROM orders")
achieved=$(grep -o "tps = [0-9.]*" "$work/pgbench.log" | head -1 | cut -d' ' -f3)
# Wait for the consumer to see the last change (at most 60 s).
last=$(psql -Atc "SELECT max(id) FROM orders")
deadline=$((SECONDS + 60))
until grep -q "^[^ ]* [^ ]* [^ ]* $last " "$work/latencies"; do
  if [ $SECONDS -ge $deadline ]; then
    say "the last change (id $last) did not arrive within 60 s"; tail "$work/cdcd.log" >&2; exit 1
  fi
  sleep 0.2
done
kill "$consumer" 2>/dev/null || true
grep -v "^ready\|^w" "$work/latencies" > "$work/measured"
python3 - "$work/measured" "$committed" "$achieved" "$rate" "$work/cdcd.log" <<'PY'
import bisect, re, sys
path, committed, achieved, rate, daemon_log = sys.argv[1:]
rows = [line.split() for line in open(path) if line.strip()]
if not rows:
    sys.exit("latency: no change arrived")
# When each record was committed in Kafka: the end of the first Kafka commit
# that started after the record was produced (the daemon produces nothing
# while it commits). Kafka timestamps are whole milliseconds, so a commit
# that started in the record's millisecond counts as after it.
commits = sorted((int(m.group(1)) // 1000, int(m.group(2)) / 1000.0)
                 for m in re.finditer(r"Kafka commit: .* unix us (\d+) to (\d+)",
                                      open(daemon_log).read()))
starts = [c[0] for c in commits]
for r in rows:
    i = bisect.bisect_left(starts, int(r[4]))
    if i == len(commits):
        sys.exit("latency: no Kafka commit after a record produced at %s ms" % r[4])
    in_kafka_ms = commits[i][1]
    r += [in_kafka_ms - float(r[5]), float(r[0]) + float(r[5]) - in_kafka_ms]
print("| rate asked (tx/s) | achieved (tx/s) | changes measured | span | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |")
print("|---|---|---|---|---|---|---|---|---|")
# Percentiles of each span separately (the p99 of the parts need not add up
# to the p99 of the whole). Kafka timestamps have millisecond precision.
for column, span in ((0, "commit → visible"), (1, "commit → produced"), (2, "produced → visible"),
                     (6, "commit → committed in Kafka"), (7, "committed in Kafka → visible")):
    values = sorted(float(r[column]) for r in rows)
    n = len(values)
    pct = lambda p: values[min(n - 1, int(p / 100.0 * n))]
    print("| %s | %.0f | %d of %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f |" % (
        rate, float(achieved), n, committed, span, pct(50), pct(90), pct(99), pct(99.9),
        values[-1]))
PY
