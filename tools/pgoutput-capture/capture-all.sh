#!/usr/bin/env bash
# Regenerates the pgoutput captures in tests/data/pgoutput/, each scenario
# against its own fresh PostgreSQL 15 started by trackops-pg-sandbox.
#
#   tools/pgoutput-capture/capture-all.sh [SCENARIO...]   (default: every scenario)
#
# Needs a build of the sandbox tool: TRACKOPS_BUILD_DIR (default build/)
# /tools/pg-sandbox/trackops-pg-sandbox, or TRACKOPS_PG_SANDBOX pointing at it.
# Settings a scenario needs (e.g. logical_decoding_work_mem=64kB to make
# streaming happen) come from its "-- sandbox:" header line.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build_dir=${TRACKOPS_BUILD_DIR:-build}
case $build_dir in /*) ;; *) build_dir=$root/$build_dir ;; esac
sandbox=${TRACKOPS_PG_SANDBOX:-$build_dir/tools/pg-sandbox/trackops-pg-sandbox}
if [ ! -x "$sandbox" ]; then
  echo "capture-all.sh: $sandbox not found; build it (ninja -C $build_dir trackops-pg-sandbox)" \
       "or set TRACKOPS_PG_SANDBOX" >&2
  exit 2
fi

if [ $# -gt 0 ]; then
  scenarios=("$@")
else
  scenarios=()
  for sql in "$here"/scenarios/*.sql; do scenarios+=("$(basename "$sql" .sql)"); done
fi

for scenario in "${scenarios[@]}"; do
  sql=$here/scenarios/$scenario.sql
  [ -f "$sql" ] || { echo "capture-all.sh: no scenario $sql" >&2; exit 2; }
  # shellcheck disable=SC2207  # the header holds "--set name=value" words
  settings=($(sed -n 's/^-- sandbox: *//p' "$sql" | head -n 1))
  "$sandbox" --set synchronous_commit=on "${settings[@]}" -- "$here/capture.sh" "$scenario"
done
