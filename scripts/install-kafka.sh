#!/usr/bin/env bash
# Installs the Apache Kafka broker used by tests, the demo and benchmarks:
# kafka_2.13 (see tools/kafka-broker/pom.xml for the version and why) and its
# dependencies from Maven Central into tools/kafka-broker/target/lib, plus a
# JDK, Maven and kcat from Debian when missing. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
project=tools/kafka-broker
stamp=$project/target/.trackops-build-stamp
hash=$(sha256sum "$project/pom.xml" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] && [ -d "$project/target/lib" ] \
   && command -v java >/dev/null && command -v kcat >/dev/null; then
  exit 0
fi
missing=()
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v kcat >/dev/null || missing+=(kcat)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "install-kafka: installing ${missing[*]}" >&2
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
echo "install-kafka: fetching Kafka from Maven Central (first time: a minute)" >&2
mvn -q -B -Dstyle.color=never -f "$project/pom.xml" package
echo "$hash" > "$stamp"
