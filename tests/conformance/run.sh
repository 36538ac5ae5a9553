#!/usr/bin/env bash
# The conformance suite: trackops-cdcd against the real Debezium 3.6.1, side by side.
#
#   tests/conformance/run.sh BUILD_DIR [CASE...]     (default: every case)
#
# Each case is a folder of tests/conformance/cases/: setup.sql (run before the
# connectors start), workload.sql (run while they stream, one statement per
# transaction unless it says BEGIN/COMMIT) and optionally connector.properties
# (extra debezium.source.* / debezium.format.* lines for both tools). For each
# case one throwaway PostgreSQL serves four connectors at once, each with its
# own slot and publication: Debezium and trackops-cdcd, schemas on and schemas
# off. After the workload a row in conformance_end marks the end; once every
# connector has sent it, they are stopped and tools/trackops-diff compares the
# streams record by record (the normalisations it applies are listed in
# docs/debezium-compatibility.md). Results go to $TRACKOPS_CONFORMANCE_RESULTS
# (default BUILD_DIR/conformance), one folder per case.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(cd "${1:?usage: run.sh BUILD_DIR [CASE...]}" && pwd)
shift
results=${TRACKOPS_CONFORMANCE_RESULTS:-$build/conformance}
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for d in "$here"/cases/*/; do cases+=("$(basename "$d")"); done
fi

for tool in "$build/src/cdcd/trackops-cdcd" "$build/tools/trackops-diff/trackops-diff" \
            "$build/tools/pg-sandbox/trackops-pg-sandbox"; do
  [ -x "$tool" ] || { echo "conformance: $tool is not built" >&2; exit 2; }
done
"$repo/scripts/install-reference.sh" >/dev/null

mkdir -p "$results"
: > "$results/results.tsv.new"
passed=0
failed=0
for case in "${cases[@]}"; do
  dir="$here/cases/$case"
  out="$results/$case"
  rm -rf "$out"
  mkdir -p "$out"
  echo "conformance: $case"
  if TRACKOPS_CASE_DIR="$dir" TRACKOPS_CASE_OUT="$out" TRACKOPS_BUILD="$build" \
     TRACKOPS_REPO="$repo" "$build/tools/pg-sandbox/trackops-pg-sandbox" \
       -- "$here/run_case.sh" > "$out/run.log" 2>&1; then
    echo "conformance: $case: identical"
    passed=$((passed + 1))
  else
    echo "conformance: $case: DIFFERENT (details in $out)"
    sed -n '1,60p' "$out/diff.txt" 2>/dev/null || tail -n 40 "$out/run.log"
    failed=$((failed + 1))
  fi
  # case <TAB> description <TAB> per mode: "schemas=<summary>" "plain=<summary>"
  description=$(sed -n '1s/^-- *//p' "$dir/setup.sql")
  summaries=$(awk '/^== / { mode = $2 } /^compared / { print mode "=" $0 }' "$out/diff.txt" \
              2>/dev/null | paste -sd '\t')
  printf '%s\t%s\t%s\n' "$case" "$description" "${summaries:-no result}" \
    >> "$results/results.tsv.new"
done
mv "$results/results.tsv.new" "$results/results.tsv"
echo "conformance: $passed passed, $failed failed"
[ $failed -eq 0 ]
