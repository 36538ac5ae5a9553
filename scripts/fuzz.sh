#!/usr/bin/env bash
# Runs every fuzz target of the sanitizer build for a bounded time, seeded
# with the checked-in captures.  Usage: scripts/fuzz.sh [SECONDS]
#
# The sanitizer build (scripts/build.sh --sanitize) is read from
# TRACKOPS_ASAN_BUILD_DIR (default build-asan). Seeds are made at run time:
# pgoutput_decoder_fuzz gets one file per message of tests/data/pgoutput/*.hex
# (the captures of tools/pgoutput-capture/), any target also the files in
# tests/data/fuzz/<target>/ if that folder exists. Crash reproducers go to
# <build>/fuzz-artifacts/<target>/. Exits non-zero when a target fails.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${TRACKOPS_ASAN_BUILD_DIR:-build-asan}

# Writes each message of the given capture files as one raw seed file into
# the directory $1 (hex after the last '|' or tab, '#' lines skipped).
write_capture_seeds() {
  local out=$1
  shift
  perl -e '
    my $out = shift;
    for my $file (@ARGV) {
      open(my $in, "<", $file) or die "fuzz: cannot read $file\n";
      (my $base = $file) =~ s{.*/}{};
      $base =~ s/\.hex$//;
      my $n = 0;
      while (my $line = <$in>) {
        next if $line =~ /^\s*(#|$)/;
        $line =~ s/^.*[|\t]//;
        $line =~ s/\s+//g;
        $line =~ s/^\\x//;
        die "fuzz: $file:$.: not hex\n" unless $line =~ /^([0-9a-fA-F]{2})+$/;
        my $seed = sprintf("%s/%s-%03d", $out, $base, ++$n);
        open(my $o, ">:raw", $seed) or die "fuzz: cannot write $seed\n";
        print $o pack("H*", $line);
        close($o);
      }
    }' "$out" "$@"
}

found=0
failed=0
for target in "$build"/src/*/*_fuzz; do
  [ -x "$target" ] || continue
  found=1
  name=$(basename "$target")
  corpus=$(mktemp -d)
  seeds=$(mktemp -d)
  artifacts=$build/fuzz-artifacts/$name/
  mkdir -p "$artifacts"
  case $name in
    pgoutput_decoder_fuzz)
      shopt -s nullglob
      captures=(tests/data/pgoutput/*.hex)
      shopt -u nullglob
      if [ ${#captures[@]} -gt 0 ]; then write_capture_seeds "$seeds" "${captures[@]}"; fi
      ;;
  esac
  if [ -d "tests/data/fuzz/$name" ]; then cp -R "tests/data/fuzz/$name/." "$seeds/"; fi
  echo "fuzz: $name for ${seconds}s, $(find "$seeds" -type f | wc -l) seeds"
  log=$(mktemp)
  if "$target" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts" \
       "$corpus" "$seeds" >"$log" 2>&1; then
    tail -n 15 "$log"
  else
    tail -n 60 "$log"
    echo "fuzz: $name FAILED (reproducers in $artifacts)" >&2
    failed=1
  fi
  rm -rf "$corpus" "$seeds" "$log"
done
if [ $found -eq 0 ]; then
  echo "fuzz: no fuzz targets were built in $build (scripts/build.sh --sanitize)" >&2
  exit 1
fi
exit $failed
