#!/usr/bin/env bash
# Inserts row N into the case's conformance_sync table and waits until every
# connector has sent it, so that what follows in the workload (DDL above all)
# runs only once every connector has handled what came before. Debezium and
# TrackOps read the live catalog when they handle a Relation message; a later
# DDL racing with that look-up would make the output depend on timing.
#
# From a workload (psql), two lines; the second fails the workload
# (ON_ERROR_STOP) unless the first printed "true":
#
#   \set sync `"$TRACKOPS_REPO"/tests/conformance/sync.sh N`
#   SELECT :'sync'::boolean AS synced \gset
#
# Prints "true" once synced, else why not (which the cast to boolean rejects).
set -uo pipefail
n=${1:?usage: sync.sh N}
if ! err=$(psql -q -v ON_ERROR_STOP=1 -c "INSERT INTO conformance_sync VALUES ($n)" 2>&1); then
  echo "sync $n: insert failed: $err" | tr '\n' ' '
  exit 0
fi
deadline=$((SECONDS + 120))
for f in "$TRACKOPS_CASE_OUT"/{debezium,trackops}-{schemas,plain}.jsonl; do
  until grep -q "\"topic\":\"conf.public.conformance_sync\".*\"after\":{\"id\":$n}" "$f"; do
    if [ $SECONDS -ge $deadline ]; then
      echo "sync $n: not in $(basename "$f") after 120 s"
      exit 0
    fi
    sleep 0.1
  done
done
echo true
