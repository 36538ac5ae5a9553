#!/usr/bin/env bash
# Waits until every connector's output holds at least COUNT lines matching
# PATTERN (grep -E), for what a connector sends on its own accord, such as
# the read events of an incremental snapshot, so that the workload goes on
# once all have sent them.
#
# From a workload (psql), two lines; the second fails the workload
# (ON_ERROR_STOP) unless the first printed "true":
#
#   \set waited `"$TRACKOPS_REPO"/tests/conformance/wait_for.sh PATTERN COUNT`
#   SELECT :'waited'::boolean AS waited \gset
#
# Prints "true" once every output has them, else why not.
set -uo pipefail
pattern=${1:?usage: wait_for.sh PATTERN COUNT}
count=${2:?usage: wait_for.sh PATTERN COUNT}
deadline=$((SECONDS + 120))
for f in "$TRACKOPS_CASE_OUT"/{debezium,trackops}-{schemas,plain}.jsonl; do
  until [ "$(grep -cE -- "$pattern" "$f")" -ge "$count" ]; do
    if [ $SECONDS -ge $deadline ]; then
      echo "$(basename "$f") has $(grep -cE -- "$pattern" "$f") lines matching $pattern after 120 s"
      exit 0
    fi
    sleep 0.1
  done
done
echo true
