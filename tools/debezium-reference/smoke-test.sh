#!/usr/bin/env bash
# End-to-end check of the Debezium reference runner against a throwaway PostgreSQL:
#   tools/debezium-reference/smoke-test.sh [--keep DIR]
# Starts build/tools/pg-sandbox/trackops-pg-sandbox, runs run.sh (snapshot.mode=no_data,
# slot dbz_ref, publication dbz_ref_pub, topic.prefix shop), inserts/updates/deletes rows and
# checks the records. When build/src/cdcd/trackops-cdcd exists it also runs it on the same
# database (slot trk_ref, publication trk_ref_pub) and prints where the two outputs differ,
# ignoring the top-level ts_ms/ts_us/ts_ns, source.version and the runId header
# (informational: the differences do not fail this script).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

if [ -z "${TRACKOPS_PG_PORT:-}" ]; then
  sandbox="$repo/build/tools/pg-sandbox/trackops-pg-sandbox"
  if [ ! -x "$sandbox" ]; then
    echo "smoke-test.sh: $sandbox is not built" >&2
    exit 2
  fi
  exec "$sandbox" -- "$0" "$@"
fi

keep=""
if [ "${1:-}" = "--keep" ]; then keep=$2; mkdir -p "$keep"; fi
work=${keep:-$(mktemp -d)}
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

psql -v ON_ERROR_STOP=1 -q <<'SQL'
CREATE TABLE orders (id serial PRIMARY KEY, name text, qty int NOT NULL DEFAULT 1,
                     price numeric(10,2), flag boolean);
CREATE TABLE items (sku text PRIMARY KEY, note varchar(20), data jsonb);
ALTER TABLE items REPLICA IDENTITY FULL;
SQL

db="database.hostname=$TRACKOPS_PG_HOST
database.port=$TRACKOPS_PG_PORT
database.user=postgres
database.password=$PGPASSWORD
database.dbname=$PGDATABASE
topic.prefix=shop
publication.autocreate.mode=all_tables
snapshot.mode=no_data"
printf '%s\nslot.name=dbz_ref\npublication.name=dbz_ref_pub\n' "$db" >ref.properties
{ echo "debezium.sink.type=stdout"; printf '%s\nslot.name=trk_ref\npublication.name=trk_ref_pub\n' "$db" \
    | sed 's/^/debezium.source./'; } >trk.properties

cdcd="$repo/build/src/cdcd/trackops-cdcd"
if [ -x "$cdcd" ]; then
  cp "$cdcd" ./trackops-cdcd   # a private copy: the build tree may be rebuilt meanwhile
  ./trackops-cdcd --config trk.properties --progress 0 >trk.jsonl 2>trk.err &
  pids+=($!)
fi
start=$(date +%s%N)
"$here/run.sh" --properties ref.properties --out ref.jsonl --ready-file ref.ready --idle-exit-ms 3000 2>ref.err &
refpid=$!
pids+=($refpid)
for _ in $(seq 1 1200); do
  [ -f ref.ready ] && break
  kill -0 "$refpid" 2>/dev/null || break
  sleep 0.1
done
if [ ! -f ref.ready ]; then
  tail -20 ref.err >&2
  echo "smoke-test.sh: the reference did not become ready" >&2
  exit 1
fi
echo "reference ready after $(( ($(date +%s%N) - start) / 1000000 )) ms: $(cat ref.ready)"
if [ -x ./trackops-cdcd ]; then
  for _ in $(seq 1 100); do
    [ "$(psql -Atc "SELECT count(*) FROM pg_replication_slots WHERE slot_name='trk_ref' AND active")" = 1 ] && break
    sleep 0.1
  done
fi

psql -v ON_ERROR_STOP=1 -q <<'SQL'
INSERT INTO orders (name, price, flag) VALUES ('widget', 12.50, true);
INSERT INTO orders (name, qty) VALUES ('gadget "x"', 3);
BEGIN;
UPDATE orders SET qty = 7 WHERE id = 1;
DELETE FROM orders WHERE id = 2;
COMMIT;
UPDATE orders SET id = 10 WHERE id = 1;
INSERT INTO items VALUES ('A1', 'first', '{"k": [1, 2]}');
UPDATE items SET note = 'changed';
DELETE FROM items;
SQL

rc=0
wait "$refpid" || rc=$?
if [ "$rc" != 0 ]; then
  tail -20 ref.err >&2
  echo "smoke-test.sh: the reference exited with $rc" >&2
  exit 1
fi
if [ -x ./trackops-cdcd ]; then
  sleep 1
  kill -TERM "${pids[0]}" 2>/dev/null || true
  wait "${pids[0]}" || true
fi

python3 - ref.jsonl trk.jsonl <<'PY'
import json, os, re, sys
ref = open(sys.argv[1]).read().splitlines()
expected = [("shop.public.orders", "c"), ("shop.public.orders", "c"), ("shop.public.orders", "u"),
            ("shop.public.orders", "d"), ("shop.public.orders", None),
            ("shop.public.orders", "d"), ("shop.public.orders", None), ("shop.public.orders", "c"),
            ("shop.public.items", "c"), ("shop.public.items", "u"), ("shop.public.items", "d"),
            ("shop.public.items", None)]
got = []
for line in ref:
    r = json.loads(line)
    v = r["value"]
    got.append((r["topic"], v["payload"]["op"] if v else None))
if got != expected:
    print("reference records differ from the expected ones:", got, file=sys.stderr)
    sys.exit(1)
print(f"reference: {len(ref)} records as expected")
if not os.path.exists(sys.argv[2]):
    sys.exit(0)
def norm(line):
    line = re.sub(r'"op":"(\w)","ts_ms":\d+,"ts_us":\d+,"ts_ns":\d+\}', r'"op":"\1","ts_ms":0,"ts_us":0,"ts_ns":0}', line)
    line = re.sub(r'"source":\{"version":"[^"]*"', '"source":{"version":"V"', line)
    line = re.sub(r'("__debezium\.context\.runId":(?:\{"schema":\{[^}]*\},"payload":)?)"[^"]*"', r'\1"R"', line)
    return line
trk = open(sys.argv[2]).read().splitlines()
print(f"trackops-cdcd: {len(trk)} records")
same = 0
for i, (a, b) in enumerate(zip(ref, trk)):
    a, b = norm(a), norm(b)
    if a == b:
        same += 1
        continue
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    print(f"  record {i + 1} differs at character {k}:")
    print(f"    debezium: ...{a[max(0, k - 80):k + 80]}")
    print(f"    trackops: ...{b[max(0, k - 80):k + 80]}")
print(f"{same} of {len(ref)} records identical (ignoring ts_ms/ts_us/ts_ns, source.version, runId)")
PY
