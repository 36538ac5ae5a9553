#!/usr/bin/env bash
# End-to-end throughput on this machine, one command: the same WAL read from
# its own replication slot by each tool in turn, one after another:
#   pg_recvlogical to /dev/null  (the walsender's limit for one slot)
#   trackops-cdcd, stdout sink to /dev/null
#   trackops-cdcd into Kafka with exactly-once delivery
#   the Debezium 3.6.1 embedded engine (tools/debezium-reference), JSON to a file
#   the same Debezium into Kafka, as Debezium Server's Kafka sink (at least once)
# For each: events/s, WAL MB/s, CPU seconds and peak RSS (GNU time). An
# unreported pg_recvlogical pass first reads the WAL once, so all read it warm,
# and unreported passes into Kafka warm the broker's JVM (E2E_KAFKA_WARMUPS, at
# most 5: until its JIT compilers are nearly idle).
#
#   bench/e2e/run.sh                      1,000,000-row transaction and 100,000 1-row transactions
#   E2E_ROWS=200000 E2E_TXNS=20000 bench/e2e/run.sh
#   E2E_TOOLS="recvlogical trackops" bench/e2e/run.sh
#   E2E_REPEAT=3 bench/e2e/run.sh         each tool 3 times per workload (interleaved), medians reported
#   E2E_WORKLOADS="one_txn many_txns" bench/e2e/run.sh   (default: one_txn wide many_txns)
#   E2E_KAFKA_PROPS="debezium.sink.kafka.producer.linger.ms=50" bench/e2e/run.sh
#   E2E_TRACKOPS_PROPS="debezium.source.trackops.pgoutput.streaming=on ..." bench/e2e/run.sh
#   E2E_BASELINE=/path/to/other/trackops-cdcd E2E_TOOLS="recvlogical trackops-kafka baseline-kafka" bench/e2e/run.sh
#                                         another build of the daemon as tools baseline and
#                                         baseline-kafka, interleaved with this one's runs (A/B)
# The Kafka rows also give the CPU seconds the broker's JVM spent meanwhile.
#   bench/e2e/run.sh | tee results.md && bench/e2e/chart.sh results.md chart.png
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/install-deps.sh
scripts/install-kafka.sh
scripts/install-reference.sh >/dev/null
echo "e2e: building (release)..." >&2
TRACKOPS_TARGETS="trackops-cdcd trackops-pg-sandbox" scripts/build.sh >/dev/null
exec tools/kafka-broker/broker.sh run -- \
  "${TRACKOPS_BUILD_DIR:-build}"/tools/pg-sandbox/trackops-pg-sandbox \
  --set max_replication_slots=64 -- bench/e2e/session.sh
