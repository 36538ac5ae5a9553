#!/usr/bin/env bash
# A single-node Apache Kafka broker (KRaft, broker + controller in one JVM) on
# free loopback ports, for tests, the demo and benchmarks.
#
#   broker.sh start DIR      format storage in DIR, start, wait until it serves
#                            requests; prints the bootstrap address (also in DIR/bootstrap)
#   broker.sh stop DIR       stop it cleanly (SIGTERM, then SIGKILL after 30 s)
#   broker.sh kill DIR       stop it at once (SIGKILL), as a crash would
#   broker.sh run -- CMD...  start in a temporary DIR, run CMD with KAFKA_BOOTSTRAP (and
#                            KAFKA_BROKER_PID, the JVM's) set, stop, remove DIR, exit
#                            with CMD's status
#
# Built by scripts/install-kafka.sh (Kafka from Maven Central). Offsets and
# transaction-state topics have replication factor 1 and min ISR 1.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lib="$here/target/lib"

java_bin() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME/bin/java"; else echo java; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits until the broker answers a metadata request and can create topics.
wait_ready() {
  local dir=$1 bootstrap deadline
  bootstrap=$(cat "$dir/bootstrap")
  deadline=$((SECONDS + ${TRACKOPS_KAFKA_START_TIMEOUT:-120}))
  until kcat -b "$bootstrap" -L -m 2 2>/dev/null | grep -q "1 brokers"; do
    if ! kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
      echo "broker.sh: the broker exited during start-up:" >&2
      tail -n 30 "$dir/broker.log" >&2
      return 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "broker.sh: the broker did not answer within the time allowed" >&2
      tail -n 30 "$dir/broker.log" >&2
      return 1
    fi
    sleep 0.2
  done
}

launch() {
  local dir=$1
  # shellcheck disable=SC2086
  nohup "$(java_bin)" -Xmx${TRACKOPS_KAFKA_HEAP:-512m} -XX:+UseSerialGC \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$lib/*" kafka.Kafka "$dir/server.properties" >> "$dir/broker.log" 2>&1 &
  echo $! > "$dir/pid"
}

start() {
  local dir=$1
  if [ ! -d "$lib" ]; then
    echo "broker.sh: Kafka is not installed; run scripts/install-kafka.sh" >&2
    exit 2
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ ! -f "$dir/server.properties" ]; then
    local port cport
    port=$(free_port)
    cport=$(free_port)
    cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
group.initial.rebalance.delay.ms=0
transaction.abort.timed.out.transaction.cleanup.interval.ms=1000
PROPS
    echo "127.0.0.1:$port" > "$dir/bootstrap"
    local cluster_id
    cluster_id=$("$(java_bin)" -cp "$lib/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
                 kafka.tools.StorageTool random-uuid 2>> "$dir/format.log")
    "$(java_bin)" -cp "$lib/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
      >> "$dir/format.log" 2>&1 || { cat "$dir/format.log" >&2; exit 1; }
  fi
  launch "$dir"
  wait_ready "$dir"
  cat "$dir/bootstrap"
}

stop() {
  local dir=$1 sig=${2:-TERM} pid
  [ -f "$dir/pid" ] || return 0
  pid=$(cat "$dir/pid")
  kill -"$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$dir/pid"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/pid"
}

case "${1:-}" in
  start) start "${2:?broker.sh start DIR}" ;;
  stop) stop "${2:?broker.sh stop DIR}" TERM ;;
  kill) stop "${2:?broker.sh kill DIR}" KILL ;;
  run)
    shift
    [ "${1:-}" = "--" ] && shift
    dir=$(mktemp -d /tmp/trackops-kafka-XXXXXX)
    trap 'stop "$dir" TERM; rm -rf "$dir"' EXIT
    KAFKA_BOOTSTRAP=$(start "$dir")
    KAFKA_BROKER_PID=$(cat "$dir/pid")
    export KAFKA_BOOTSTRAP KAFKA_BROKER_PID
    status=0
    "$@" || status=$?
    exit $status
    ;;
  *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
