#!/usr/bin/env bash
# bench/e2e/run.sh's session, next to a fresh PostgreSQL (trackops-pg-sandbox)
# and a Kafka broker (KAFKA_BOOTSTRAP). Prints one table row per tool and
# workload on stdout; progress on stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${TRACKOPS_BUILD_DIR:-build}
rows=${E2E_ROWS:-1000000}
txns=${E2E_TXNS:-100000}
wide_rows=${E2E_WIDE_ROWS:-200000}
repeat=${E2E_REPEAT:-1}  # Runs per tool and workload; the table shows medians.
tools=${E2E_TOOLS:-recvlogical trackops trackops-kafka debezium debezium-kafka}
workloads=${E2E_WORKLOADS:-one_txn wide many_txns}
# Further trackops-cdcd properties for the Kafka runs, one per line
# (e.g. "debezium.sink.kafka.producer.linger.ms=50").
kafka_props=${E2E_KAFKA_PROPS:-}
# Further properties for both trackops-cdcd runs (e.g. streaming:
# "debezium.source.trackops.pgoutput.protocol.version=2
#  debezium.source.trackops.pgoutput.streaming=on").
trackops_props=${E2E_TRACKOPS_PROPS:-}
# Debezium into Kafka, as Debezium Server's Kafka sink: the Java producer with
# lz4 and batches up to 1 MB, as trackops-cdcd's librdkafka defaults (the Java
# producer's own batch.size is 16 kB); idempotent (its default), at least once.
debezium_kafka_props=${E2E_DEBEZIUM_KAFKA_PROPS:-"debezium.sink.kafka.producer.compression.type=lz4
debezium.sink.kafka.producer.batch.size=1000000
debezium.sink.kafka.producer.linger.ms=5"}
work=$(mktemp -d)
# E2E_LOGS=DIR keeps each tool's log of the last run there.
trap '[ -z "${E2E_LOGS:-}" ] || { mkdir -p "$E2E_LOGS"; cp "$work"/*.log "$E2E_LOGS"/ 2>/dev/null; }; rm -rf "$work"' EXIT
say() { echo "e2e: $*" >&2; }

psql -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL,
                     amount numeric(12,2) NOT NULL, created_at timestamptz NOT NULL, note text);
-- 30 columns of mixed types, as bench/pipeline_benchmark's bench_wide corpus.
CREATE TABLE wide (id bigint PRIMARY KEY, i2 smallint, i4 integer, i8 bigint, n1 numeric(12,2),
                   n2 numeric, f4 real, f8 double precision, b boolean, t1 text, t2 text,
                   vc varchar(64), c char(8), d date, ts timestamp, tstz timestamptz, tm time,
                   iv interval, u uuid, j jsonb, by bytea, ip inet, ai integer[], at text[],
                   n3 numeric(20,6), t3 text, i4b integer, tstz2 timestamptz, b2 boolean, t4 text);
CREATE PUBLICATION bench_pub FOR TABLE orders, wide;
SQL

lsn() { psql -Atc "SELECT pg_current_wal_lsn()"; }
lsn_bytes() { psql -Atc "SELECT pg_wal_lsn_diff('$2', '$1')"; }
# Waits until slot $1 has confirmed LSN $2, or process $3 is gone (then fails).
# The server checks every 10 ms, in one psql for the whole wait: a psql per
# check (Debian's Perl wrapper, a connection, a backend) took a fifth of this
# 2-vCPU machine from the tool being measured.
wait_confirmed() {
  local slot=$1 end=$2 pid=$3 waiter
  # A backend whose psql is gone stops at its next check.
  PGOPTIONS="-c client_connection_check_interval=100" psql -qAtc "DO \$\$ BEGIN
      WHILE NOT coalesce((SELECT confirmed_flush_lsn >= '$end' FROM pg_replication_slots
                          WHERE slot_name = '$slot'), false) LOOP
        PERFORM pg_sleep(0.01);
        COMMIT;
      END LOOP;
    END \$\$" &
  waiter=$!
  while kill -0 "$waiter" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      kill "$waiter"
      wait "$waiter" 2>/dev/null || true
      return 1
    fi
    sleep 0.05
  done
  wait "$waiter"
}

. bench/e2e/properties.sh
# Status updates every 100 ms, so that the end of a run is seen at once.
status="debezium.source.status.update.interval.ms=100"

# CPU seconds the Kafka broker's JVM has used so far.
broker_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f\n", ($14 + $15) / hz }' "/proc/$KAFKA_BROKER_PID/stat"
}

# CPU seconds the broker's JIT compiler threads (C1, C2) have used so far.
broker_jit_cpu() {
  local task
  for task in /proc/"$KAFKA_BROKER_PID"/task/*; do
    # stat after the thread's name: utime and stime are the 12th and 13th fields.
    if grep -q CompilerThre "$task/comm" 2>/dev/null; then sed 's/^.*[)] //' "$task/stat"; fi
  done | awk -v hz="$(getconf CLK_TCK)" '{ t += $12 + $13 } END { printf "%.2f\n", t / hz }'
}
# Unreported passes into Kafka before the measured runs, at most this many:
# they stop once the broker's JIT compilers used less than 0.2 CPU s in one.
kafka_warmups=${E2E_KAFKA_WARMUPS:-5}

# Runs one tool over the WAL between $start and $end from slot $slot; prints
# "seconds cpu_seconds peak_rss_kb broker_cpu_seconds" (the last "-" for a
# tool that does not write to Kafka).
measure() {
  local tool=$1 slot=$2 end=$3 timing=$work/$tool.time broker_before=-
  case $tool in *kafka) broker_before=$(broker_cpu) ;; esac
  case $tool in
    recvlogical)
      /usr/bin/time -f "%e %U %S %M" -o "$timing" pg_recvlogical \
        -d "host=$TRACKOPS_PG_HOST port=$TRACKOPS_PG_PORT dbname=$PGDATABASE" --slot "$slot" \
        --start --endpos "$end" -o proto_version=1 -o publication_names=bench_pub -f /dev/null
      ;;
    trackops|trackops-kafka|baseline|baseline-kafka)
      local sink="debezium.sink.type=stdout" binary="$build"/src/cdcd/trackops-cdcd
      case $tool in baseline*) binary=${E2E_BASELINE:?baseline tools need E2E_BASELINE} ;; esac
      case $tool in *-kafka)
        sink="debezium.sink.type=kafka
debezium.sink.kafka.producer.bootstrap.servers=$KAFKA_BOOTSTRAP
$kafka_props" ;;
      esac
      properties "$slot" "$status
$sink
$trackops_props" > "$work/$tool.properties"
      /usr/bin/time -f "%e %U %S %M" -o "$timing" \
        "$binary" --config "$work/$tool.properties" --progress 0 \
        > /dev/null 2> "$work/$tool.log" &
      local timer=$!
      wait_confirmed "$slot" "$end" "$timer" || { tail "$work/$tool.log" >&2; return 1; }
      pkill -TERM -P "$timer"
      wait "$timer" || true
      ;;
    debezium)
      properties "$slot" "$status" > "$work/$tool.properties"
      /usr/bin/time -f "%e %U %S %M" -o "$timing" \
        tools/debezium-reference/run.sh --properties "$work/$tool.properties" \
        --out "$work/debezium.jsonl" --max-records "$4" 2> "$work/$tool.log" || {
          tail "$work/$tool.log" >&2; return 1; }
      rm -f "$work/debezium.jsonl"
      ;;
    debezium-kafka)
      properties "$slot" "$status
debezium.sink.type=kafka
debezium.sink.kafka.producer.bootstrap.servers=$KAFKA_BOOTSTRAP
$debezium_kafka_props" > "$work/$tool.properties"
      /usr/bin/time -f "%e %U %S %M" -o "$timing" \
        tools/debezium-reference/run.sh --properties "$work/$tool.properties" \
        --max-records "$4" 2> "$work/$tool.log" || { tail "$work/$tool.log" >&2; return 1; }
      ;;
  esac
  local broker=-
  [ "$broker_before" = - ] || broker=$(awk -v a="$broker_before" -v b="$(broker_cpu)" 'BEGIN { printf "%.2f", b - a }')
  awk -v broker="$broker" '{printf "%s %.2f %d %s\n", $1, $2 + $3, $4, broker}' "$timing"
}

echo "| workload | tool | events | seconds | events/s | WAL MB/s | CPU s | peak RSS MB | broker CPU s |"
echo "|---|---|---|---|---|---|---|---|---|"
# The median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

run_workload() {  # name, SQL, events
  local name=$1 sql=$2 events=$3 tool start end run
  case " $workloads " in *" $name "*) ;; *) return 0 ;; esac
  psql -qAtc "SELECT pg_create_logical_replication_slot('warmup_$name', 'pgoutput')" >/dev/null
  local warmup kafka_warm=false
  case " $tools " in *" trackops-kafka "*|*" debezium-kafka "*|*" baseline-kafka "*)
    kafka_warm=true
    for warmup in $(seq 1 "$kafka_warmups"); do
      psql -qAtc "SELECT pg_create_logical_replication_slot('warmup_kafka_${name}_$warmup', 'pgoutput')" >/dev/null
    done ;;
  esac
  for tool in $tools; do
    for run in $(seq 1 "$repeat"); do
      psql -qAtc "SELECT pg_create_logical_replication_slot('${tool//-/_}_${name}_$run', 'pgoutput')" >/dev/null
    done
  done
  start=$(lsn)
  say "$name: writing the workload"
  psql -q -v ON_ERROR_STOP=1 -c "$sql"
  end=$(lsn)
  local wal_bytes
  wal_bytes=$(lsn_bytes "$start" "$end")
  # One unreported pass first, so that every tool reads the WAL warm.
  say "$name: warm-up pass (pg_recvlogical, not reported)"
  measure recvlogical "warmup_$name" "$end" "$events" > /dev/null || true
  psql -qAtc "SELECT pg_drop_replication_slot('warmup_$name')" >/dev/null
  # A fresh broker's JVM compiles its hot paths during its first minutes of
  # load; a broker in service has long done so. Unreported passes into Kafka
  # first, until its compilers are nearly idle, so that the measured runs meet
  # a warm broker (after one pass they still took up to half of the broker's
  # CPU in a measured run).
  if $kafka_warm; then
    local jit_before jit
    for warmup in $(seq 1 "$kafka_warmups"); do
      if [ -n "${jit:-}" ] && awk -v j="$jit" 'BEGIN { exit !(j < 0.2) }'; then
        psql -qAtc "SELECT pg_drop_replication_slot('warmup_kafka_${name}_$warmup')" >/dev/null
        continue
      fi
      jit_before=$(broker_jit_cpu)
      measure trackops-kafka "warmup_kafka_${name}_$warmup" "$end" "$events" > /dev/null || true
      jit=$(awk -v a="$jit_before" -v b="$(broker_jit_cpu)" 'BEGIN { printf "%.2f", b - a }')
      say "$name: warm-up pass $warmup into Kafka (not reported): the broker's JIT compilers used $jit CPU s"
      psql -qAtc "SELECT pg_drop_replication_slot('warmup_kafka_${name}_$warmup')" >/dev/null
    done
  fi
  # Runs interleaved (each tool once, then again): a machine whose speed
  # drifts during the session slows every tool alike, not the last one.
  for tool in $tools; do : > "$work/runs.$tool"; done
  for run in $(seq 1 "$repeat"); do
    for tool in $tools; do
      say "$name: $tool (run $run of $repeat)"
      measure "$tool" "${tool//-/_}_${name}_$run" "$end" "$events" >> "$work/runs.$tool"
      psql -qAtc "SELECT pg_drop_replication_slot('${tool//-/_}_${name}_$run')" >/dev/null
    done
  done
  for tool in $tools; do
    # Each column's median over the runs.
    local seconds cpu rss broker=- runs=$work/runs.$tool
    seconds=$(cut -d' ' -f1 "$runs" | median)
    cpu=$(cut -d' ' -f2 "$runs" | median)
    rss=$(cut -d' ' -f3 "$runs" | median)
    case $tool in *kafka) broker=$(cut -d' ' -f4 "$runs" | median) ;; esac
    say "$name: $tool: seconds per run: $(cut -d' ' -f1 "$runs" | tr '\n' ' ')"
    awk -v n="$name" -v t="$tool" -v e="$events" -v s="$seconds" -v c="$cpu" -v r="$rss" \
        -v w="$wal_bytes" -v b="$broker" 'BEGIN { printf "| %s | %s | %d | %.2f | %.0f | %.1f | %.2f | %.0f | %s |\n",
        n, t, e, s, e / s, w / s / 1e6, c, r / 1024, b }'
  done
}
run_workload one_txn "INSERT INTO orders SELECT g, g % 1000, 'new', (g % 100000) / 100.0, now(), CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || g END FROM generate_series(1, $rows) g" "$rows"
run_workload wide "INSERT INTO wide SELECT g, g % 30000, g, g * 1000, g / 100.0, g * 1.000001,
  g / 7.0, g / 3.0, g % 2 = 0, 'text ' || g, repeat('x', g % 50), 'vc' || g, 'c' || (g % 100), date '2024-01-01' + g % 1000,
  timestamp '2024-01-01' + g * interval '1 second', now(), time '12:00' + g * interval '1 ms', g * interval '1 minute',
  md5(g::text)::uuid, jsonb_build_object('id', g, 'tags', jsonb_build_array('a', 'b')), decode(md5(g::text), 'hex'),
  '10.0.0.1'::inet, ARRAY[g, g + 1, g + 2], ARRAY['x', 'y'], g / 1000000.0, NULL, g % 7, now(), NULL, 'end'
  FROM generate_series(1, $wide_rows) g" "$wide_rows"
run_workload many_txns "DO \$\$ BEGIN FOR i IN 1..$txns LOOP INSERT INTO orders VALUES ($rows + i, i % 1000, 'new', i / 100.0, now(), 'note'); COMMIT; END LOOP; END \$\$" "$txns"
