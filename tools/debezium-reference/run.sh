#!/usr/bin/env bash
# Runs the Debezium 3.6.1 reference (embedded engine, PostgreSQL connector) built by
# scripts/install-reference.sh. See tools/debezium-reference/README.md.
#
#   run.sh --properties FILE --out FILE|- [--ready-file FILE] [--max-records N] [--idle-exit-ms N]
#
# Environment: TRACKOPS_REFERENCE_JAVA_HOME (a Java 17+ to use),
#              TRACKOPS_REFERENCE_JAVA_OPTS (JVM options; default "-Xmx1g -XX:+UseSerialGC").
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jar="$here/target/debezium-reference.jar"

if [ ! -f "$jar" ] || [ ! -d "$here/target/lib" ]; then
  echo "run.sh: $jar is not built; run scripts/install-reference.sh first" >&2
  exit 2
fi

# shellcheck source=java-env.sh
. "$here/java-env.sh"
if ! reference_find_java_home; then
  echo "run.sh: no Java 17 or newer found (set TRACKOPS_REFERENCE_JAVA_HOME, or run scripts/install-reference.sh)" >&2
  exit 2
fi

# shellcheck disable=SC2086
exec "$REFERENCE_JAVA_HOME/bin/java" ${TRACKOPS_REFERENCE_JAVA_OPTS:--Xmx1g -XX:+UseSerialGC} \
  -jar "$jar" "$@"
