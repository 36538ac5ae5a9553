#!/usr/bin/env bash
# The live demo: installs what is missing, builds, starts a throwaway
# PostgreSQL and a Kafka broker, and runs trackops-cdcd into Kafka with
# exactly-once delivery while a small shop workload writes orders and their
# outbox events; a read_committed consumer shows what arrives on the topics
# (the orders' change events, and the outbox rows routed as ORDER events).
# Stops by itself and removes everything it started.
#
#   scripts/demo.sh            about 20 seconds of workload
#   DEMO_SECONDS=60 scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/install-kafka.sh
echo "demo: building (first time: a few minutes)..." >&2
TRACKOPS_TARGETS="trackops-cdcd trackops-pg-sandbox" scripts/build.sh >/dev/null
echo "demo: starting a Kafka broker and PostgreSQL 15..." >&2
exec tools/kafka-broker/broker.sh run -- \
  "${TRACKOPS_BUILD_DIR:-build}"/tools/pg-sandbox/trackops-pg-sandbox -- scripts/demo-session.sh "${DEMO_SECONDS:-20}"
