#!/usr/bin/env bash
# The live demo: installs what is missing, builds, starts a throwaway
# PostgreSQL, streams an `orders` table with trackops-cdcd to the terminal
# while a small workload inserts, updates and deletes orders, then stops by
# itself and removes everything it started.
#
#   scripts/demo.sh            about 20 seconds of workload
#   DEMO_SECONDS=60 scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
echo "demo: building (first time: a few minutes)..." >&2
TRACKOPS_TARGETS="trackops-cdcd trackops-pg-sandbox" scripts/build.sh >/dev/null
exec build/tools/pg-sandbox/trackops-pg-sandbox -- scripts/demo-session.sh "${DEMO_SECONDS:-20}"
