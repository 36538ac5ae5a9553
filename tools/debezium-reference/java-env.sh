# Sourced by tools/debezium-reference/run.sh and scripts/install-reference.sh.
# Sets REFERENCE_JAVA_HOME to a JDK/JRE of Java 17 or newer (Debezium 3.6.1 is built for Java 17,
# class file version 61), or leaves it empty. Preference order:
#   1. $TRACKOPS_REFERENCE_JAVA_HOME (if set, it must be Java 17+),
#   2. $JAVA_HOME, 3. the `java` on PATH,
#   4. JDKs under /usr/lib/jvm and /opt (Java 17 first, then newer ones).

reference_java_major() {
  # Prints the major version of the java binary $1 (e.g. 17), or nothing.
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
  case "$v" in
    1.*) echo "${v#1.}" | cut -d. -f1 ;;
    *) echo "$v" | cut -d. -f1 ;;
  esac
}

reference_java_ok() {
  # True if $1 is a runnable java of major version 17 or newer.
  [ -x "$1" ] || return 1
  local m
  m=$(reference_java_major "$1")
  [ -n "$m" ] && [ "$m" -ge 17 ] 2>/dev/null
}

reference_find_java_home() {
  REFERENCE_JAVA_HOME=""
  if [ -n "${TRACKOPS_REFERENCE_JAVA_HOME:-}" ]; then
    if reference_java_ok "$TRACKOPS_REFERENCE_JAVA_HOME/bin/java"; then
      REFERENCE_JAVA_HOME=$TRACKOPS_REFERENCE_JAVA_HOME
      return 0
    fi
    echo "TRACKOPS_REFERENCE_JAVA_HOME=$TRACKOPS_REFERENCE_JAVA_HOME is not a Java 17+ installation" >&2
    return 1
  fi
  if [ -n "${JAVA_HOME:-}" ] && reference_java_ok "$JAVA_HOME/bin/java"; then
    REFERENCE_JAVA_HOME=$JAVA_HOME
    return 0
  fi
  local j
  j=$(command -v java 2>/dev/null || true)
  if [ -n "$j" ]; then
    j=$(readlink -f "$j")
    if reference_java_ok "$j"; then
      REFERENCE_JAVA_HOME=$(dirname "$(dirname "$j")")
      return 0
    fi
  fi
  local d best="" best_major=0 m
  for d in /usr/lib/jvm/* /opt/*; do
    [ -x "$d/bin/java" ] || continue
    m=$(reference_java_major "$d/bin/java")
    [ -n "$m" ] && [ "$m" -ge 17 ] 2>/dev/null || continue
    # Prefer exactly 17 (what Debezium 3.6.1 targets), then the oldest newer one.
    if [ -z "$best" ] || { [ "$m" -eq 17 ] && [ "$best_major" -ne 17 ]; } \
        || { [ "$best_major" -ne 17 ] && [ "$m" -lt "$best_major" ]; }; then
      best=$d
      best_major=$m
    fi
  done
  if [ -n "$best" ]; then
    REFERENCE_JAVA_HOME=$best
    return 0
  fi
  return 1
}
