#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs every
# test against real services started here (unit, integration), then the unit
# tests and the fuzz targets under AddressSanitizer + UndefinedBehaviorSanitizer.
#
#   scripts/test.sh                 everything
#   scripts/test.sh -L unit         only ctest labels matching "unit" (release build)
#   TRACKOPS_FUZZ_SECONDS=N         how long each fuzz target runs (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/install-kafka.sh
export TRACKOPS_WERROR=ON
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# Runs ctest in build dir $1 with the remaining arguments, keeping its output.
run_ctest() {
  local dir=$1
  shift
  (cd "$dir" && ctest --output-on-failure --timeout 600 "$@") 2>&1 | tee -a "$logs/ctest.log"
}

# The closing line: every test run by every ctest invocation.
summary() {
  awk '/tests failed out of/ { failed += $(NF-5); total += $NF }
       END { printf "tests: %d passed, %d failed\n", total - failed, failed }' "$logs/ctest.log"
}

echo "== release build"
scripts/build.sh
echo "== tests"
status=0
run_ctest build "$@" || status=1
if [ $# -gt 0 ] || [ $status -ne 0 ]; then
  summary
  exit $status
fi

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
scripts/build.sh --sanitize
echo "== unit tests under sanitizers"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run_ctest build-asan -L unit || status=1
echo "== fuzz targets"
scripts/fuzz.sh "${TRACKOPS_FUZZ_SECONDS:-60}" || status=1
summary
exit $status
