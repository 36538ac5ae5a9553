#!/usr/bin/env bash
# Commit-to-Kafka latency at a steady rate, one command: PostgreSQL commits
# single-row transactions at E2E_RATE per second (pgbench, rate-limited) for
# E2E_SECONDS; trackops-cdcd delivers them into Kafka exactly once; a
# read_committed consumer (kcat) timestamps each change when it becomes
# visible and subtracts the commit time PostgreSQL recorded (source.ts_ms).
# Prints p50, p90, p99, p99.9 and max in milliseconds, of the whole and of its
# two spans split at each record's Kafka timestamp (when the daemon produced it),
# then split instead where the daemon's Kafka commit of that record returned
# (from its debug log): commit → committed in Kafka is what the daemon does,
# committed in Kafka → visible the broker's markers and the consumer's fetch.
# The first E2E_WARMUP_SECONDS (90) are not counted: the broker is fresh.
#
#   bench/e2e/latency.sh                          5000 transactions/s for 120 s
#   E2E_RATE=1000 E2E_SECONDS=50 bench/e2e/latency.sh
#   E2E_PROPERTIES="debezium.sink.kafka.batch.max.ms=20" bench/e2e/latency.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/install-deps.sh
scripts/install-kafka.sh
echo "latency: building (release)..." >&2
TRACKOPS_TARGETS="trackops-cdcd trackops-pg-sandbox" scripts/build.sh >/dev/null
exec tools/kafka-broker/broker.sh run -- \
  "${TRACKOPS_BUILD_DIR:-build}"/tools/pg-sandbox/trackops-pg-sandbox -- bench/e2e/latency-session.sh
