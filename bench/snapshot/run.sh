#!/usr/bin/env bash
# Initial snapshot throughput on this machine, one command: a table of
# SNAPSHOT_ROWS orders rows (default 10,000,000) read by
#   trackops-cdcd, snapshot.mode=initial_only, stdout sink to /dev/null,
#     with snapshot.max.threads 1, 2 and 4 (SNAPSHOT_THREADS)
#   the Debezium 3.6.1 embedded engine (tools/debezium-reference),
#     snapshot.mode=initial, JSON lines to /dev/null, until it has the rows
# one after another, each timed with GNU time: rows/s, CPU seconds, peak RSS.
#
#   bench/snapshot/run.sh
#   SNAPSHOT_ROWS=1000000 SNAPSHOT_TOOLS="trackops" bench/snapshot/run.sh
#   SNAPSHOT_REPEAT=3 bench/snapshot/run.sh      medians of 3 runs per tool
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/install-deps.sh
scripts/install-reference.sh >/dev/null
echo "snapshot bench: building (release)..." >&2
TRACKOPS_TARGETS="trackops-cdcd trackops-pg-sandbox" scripts/build.sh >/dev/null
exec "${TRACKOPS_BUILD_DIR:-build}"/tools/pg-sandbox/trackops-pg-sandbox \
  --set shared_buffers=512MB -- bench/snapshot/session.sh
