#!/usr/bin/env bash
# Installs what TrackOps needs to build, test and run its demo, from Debian 12
# packages only. Idempotent: does nothing when everything is there.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libpq-dev postgresql-15 postgresql-client-15
  librdkafka-dev libhiredis-dev libsimdjson-dev libabsl-dev
  libbenchmark-dev libgtest-dev libgmock-dev
  clang-14 libclang-rt-14-dev
  redis-server kcat
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
