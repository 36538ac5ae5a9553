#!/usr/bin/env bash
# Builds tools/debezium-reference (the Debezium 3.6.1 embedded engine that the conformance
# tests compare trackops-cdcd against). Idempotent: when the built jar is up to date with the
# project's sources it returns at once.
#
#   scripts/install-reference.sh [--force]
#
# Needs a Java 17+ JDK and Maven; on Debian they are installed with apt-get when missing
# (openjdk-17-jdk-headless, maven; as root, or through sudo). Maven's cache is ~/.m2: the first
# build downloads Debezium, Kafka Connect and their dependencies (about 80 MB) from Maven
# Central, later builds are local.
#
# Environment: TRACKOPS_REFERENCE_JAVA_HOME  a Java 17+ JDK to build and run with.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
project="$repo/tools/debezium-reference"
target="$project/target"
stamp="$target/.trackops-build-stamp"
force=0

for arg in "$@"; do
  case "$arg" in
    --force) force=1 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-reference.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

log() { echo "[install-reference] $*"; }

# A hash of everything the build depends on (the pom and the sources).
source_hash() {
  (cd "$project" && find pom.xml src -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -d' ' -f1
}

# shellcheck source=../tools/debezium-reference/java-env.sh
. "$project/java-env.sh"

hash=$(source_hash)
if [ "$force" = 0 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] \
    && [ -f "$target/debezium-reference.jar" ] \
    && [ -f "$target/lib/debezium-embedded-3.6.1.Final.jar" ] \
    && reference_find_java_home; then
  log "up to date: $target/debezium-reference.jar (Java at $REFERENCE_JAVA_HOME)"
  exit 0
fi

apt_updated=0
apt_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo="sudo"
    else
      echo "install-reference.sh: need root (or sudo) to install $*" >&2
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-reference.sh: apt-get not found; install $* by hand" >&2
    exit 1
  fi
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    apt_updated=1
  fi
  log "apt-get install $*"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# A Java 17+ JDK (javac, not just a runtime).
if ! reference_find_java_home || [ ! -x "$REFERENCE_JAVA_HOME/bin/javac" ]; then
  if [ -n "${TRACKOPS_REFERENCE_JAVA_HOME:-}" ]; then
    echo "install-reference.sh: TRACKOPS_REFERENCE_JAVA_HOME=$TRACKOPS_REFERENCE_JAVA_HOME is not a Java 17+ JDK" >&2
    exit 1
  fi
  log "no Java 17+ JDK found; installing openjdk-17-jdk-headless"
  apt_install openjdk-17-jdk-headless
  if [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/javac ] || [ -x /usr/lib/jvm/java-17-openjdk-arm64/bin/javac ]; then
    for d in /usr/lib/jvm/java-17-openjdk-*; do
      [ -x "$d/bin/javac" ] && { export JAVA_HOME=$d; break; }
    done
  fi
  if ! reference_find_java_home || [ ! -x "$REFERENCE_JAVA_HOME/bin/javac" ]; then
    echo "install-reference.sh: still no Java 17+ JDK after installing openjdk-17-jdk-headless" >&2
    exit 1
  fi
fi
log "Java: $REFERENCE_JAVA_HOME ($("$REFERENCE_JAVA_HOME/bin/java" -version 2>&1 | head -n1))"

if ! command -v mvn >/dev/null 2>&1; then
  log "Maven not found; installing maven"
  apt_install maven
fi
log "Maven: $(JAVA_HOME=$REFERENCE_JAVA_HOME mvn -v 2>/dev/null | head -n1 | sed 's/\x1b\[[0-9;]*m//g')"

if [ -d "$HOME/.m2/repository/io/debezium/debezium-embedded/3.6.1.Final" ]; then
  log "building $project (dependencies cached in ~/.m2)"
else
  log "building $project; first build: downloading Debezium 3.6.1.Final and its dependencies (~80 MB) into ~/.m2, this can take minutes"
fi
start=$(date +%s)
rm -rf "$target"
build_log=$(mktemp)
if ! JAVA_HOME=$REFERENCE_JAVA_HOME nice -n 10 mvn -B -q -f "$project/pom.xml" package >"$build_log" 2>&1; then
  cat "$build_log" >&2
  rm -f "$build_log"
  echo "install-reference.sh: the Maven build failed" >&2
  exit 1
fi
rm -f "$build_log"
echo "$hash" >"$stamp"
log "built $target/debezium-reference.jar with $(ls "$target/lib" | wc -l) libraries in target/lib ($(( $(date +%s) - start )) s)"
log "run it with: $project/run.sh --properties FILE --out FILE [--ready-file FILE] [--max-records N] [--idle-exit-ms N]"
