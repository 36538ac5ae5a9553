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
export TRACKOPS_WERROR=ON

echo "== release build"
scripts/build.sh
echo "== tests"
(cd build && ctest --output-on-failure --timeout 600 "$@")

if [ $# -gt 0 ]; then exit 0; fi

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
scripts/build.sh --sanitize
echo "== unit tests under sanitizers"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure -L unit)
echo "== fuzz targets"
scripts/fuzz.sh "${TRACKOPS_FUZZ_SECONDS:-60}"
