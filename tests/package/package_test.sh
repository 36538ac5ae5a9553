#!/usr/bin/env bash
# Installs TrackOps from the build tree into a temporary prefix, builds
# examples/embedded_stream against it with find_package(trackops), and runs
# it next to a throwaway PostgreSQL: it must receive the three changes made.
#   package_test.sh SOURCE_DIR BINARY_DIR
set -euo pipefail
src=$1
bin=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$bin" --prefix "$work/prefix" >/dev/null
cmake -S "$src/examples/embedded_stream" -B "$work/example" -G Ninja \
      -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/example" >/dev/null
echo "package: example built against the installed trackops::trackops"

export EXAMPLE="$work/example/embedded_stream" WORK="$work" SRC="$src"
"$bin/tools/pg-sandbox/trackops-pg-sandbox" -- bash -c '
  set -euo pipefail
  psql -qc "CREATE TABLE items (id int PRIMARY KEY, name text)"
  { "$SRC/tools/pg-sandbox/source-properties.sh"; cat <<PROPS; } > "$WORK/app.properties"
debezium.source.topic.prefix=app
debezium.source.snapshot.mode=no_data
PROPS
  "$EXAMPLE" --config "$WORK/app.properties" --max-events 4 > "$WORK/events.txt" 2> "$WORK/example.log" &
  pid=$!
  for _ in $(seq 1 600); do
    [ "$(psql -Atc "SELECT count(*) FROM pg_replication_slots WHERE active")" = 1 ] && break
    kill -0 $pid 2>/dev/null || { cat "$WORK/example.log"; exit 1; }
    sleep 0.05
  done
  psql -qc "INSERT INTO items VALUES (1, '"'"'a'"'"')"
  psql -qc "UPDATE items SET name = '"'"'b'"'"' WHERE id = 1"
  psql -qc "DELETE FROM items WHERE id = 1"
  wait $pid
'
expected='app.public.items op=c key={"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"app.public.items.Key"},"payload":{"id":1}}
app.public.items op=u key={"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"app.public.items.Key"},"payload":{"id":1}}
app.public.items op=d key={"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"app.public.items.Key"},"payload":{"id":1}}
app.public.items op=tombstone key={"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],"optional":false,"name":"app.public.items.Key"},"payload":{"id":1}}'
actual=$(cat "$work/events.txt")
if [ "$actual" != "$expected" ]; then
  echo "package: unexpected events:"; echo "$actual"; cat "$work/example.log"; exit 1
fi
echo "package: the example received insert, update, delete and tombstone"
