#!/usr/bin/env bash
# Instructions per row event of decode + encode (bench/pipeline_instructions
# under callgrind): every bench corpus, JSON schemas on and off. Unlike the
# rates of bench/pipeline_benchmark, the counts do not depend on what else
# the machine is doing. Needs valgrind.
#
#   bench/instructions.sh [BUILD_DIR]        (default: build; RelWithDebInfo)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$build/bench/pipeline_instructions
[ -x "$bin" ] || { echo "instructions: $bin is not built (scripts/build.sh)" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "instructions: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
passes=${PASSES:-5}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "| corpus | schemas | instructions/event |"
echo "|---|---|---|"
for corpus in bench_orders bench_wide bench_jsonb_toast; do
  for schemas in 1 0; do
    log=$(valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$out" \
            "$bin" "$corpus" "$schemas" "$passes" 2>&1)
    events=$(grep '^events ' <<<"$log" | cut -d' ' -f2)
    ir=$(grep -o 'Collected : [0-9]*' <<<"$log" | grep -o '[0-9]*$')
    [ -n "$events" ] && [ -n "$ir" ] || { echo "$log" >&2; exit 1; }
    awk -v c="$corpus" -v s="$schemas" -v ir="$ir" -v e="$events" \
      'BEGIN { printf "| %s | %s | %d |\n", c, s == 1 ? "on" : "off", ir / e + 0.5 }'
  done
done
