#!/usr/bin/env bash
# Configures and builds TrackOps.
#   scripts/build.sh                 release build in build/
#   scripts/build.sh --sanitize      clang + AddressSanitizer + UBSan + fuzz targets in build-asan/
# Extra arguments after the mode go to CMake. TRACKOPS_WERROR=ON makes warnings errors;
# TRACKOPS_TARGETS="a b" builds only those targets.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=release
if [ "${1:-}" = "--sanitize" ]; then mode=sanitize; shift; fi
jobs=$(nproc 2>/dev/null || echo 2)

if [ "$mode" = release ]; then
  dir=${TRACKOPS_BUILD_DIR:-build}
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DTRACKOPS_WERROR="${TRACKOPS_WERROR:-OFF}" "$@" >/dev/null
else
  dir=${TRACKOPS_ASAN_BUILD_DIR:-build-asan}
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
        -DCMAKE_CXX_COMPILER=clang++-14 \
        -DTRACKOPS_SANITIZE=address,undefined -DTRACKOPS_FUZZ=ON \
        -DTRACKOPS_BUILD_BENCHMARKS=OFF \
        -DTRACKOPS_WERROR="${TRACKOPS_WERROR:-OFF}" "$@" >/dev/null
fi
targets=()
for t in ${TRACKOPS_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$dir" -j "$jobs" "${targets[@]}"
