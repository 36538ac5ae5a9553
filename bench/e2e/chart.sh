#!/usr/bin/env bash
# Draws the throughput chart of docs/performance.md from bench/e2e/run.sh's
# table: events/s per tool, one group of bars per workload.
#
#   bench/e2e/chart.sh RESULTS.md OUT.png
#
# RESULTS.md holds run.sh's output (a Markdown table). Needs gnuplot
# (installed here on first use: Debian's gnuplot-nox).
set -euo pipefail
results=$1 out=$2
if ! command -v gnuplot >/dev/null; then
  echo "chart: installing gnuplot-nox" >&2
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get install -y -q gnuplot-nox >/dev/null
fi
data=$(mktemp)
trap 'rm -f "$data"' EXIT
# Columns: workload, then events/s per tool in the order tools first appear.
awk -F'|' '
  function trim(s) { gsub(/^ +| +$/, "", s); return s }
  NF > 8 && $2 !~ /workload|---/ {
    w = trim($2); t = trim($3); rate[w, t] = trim($6)
    if (!(w in seen_w)) { seen_w[w] = 1; workloads[++nw] = w }
    if (!(t in seen_t)) { seen_t[t] = 1; tools[++nt] = t }
  }
  END {
    printf "workload"; for (j = 1; j <= nt; j++) printf "\t%s", tools[j]; printf "\n"
    for (i = 1; i <= nw; i++) {
      printf "%s", workloads[i]
      for (j = 1; j <= nt; j++) printf "\t%s", ((workloads[i], tools[j]) in rate) ? rate[workloads[i], tools[j]] : "NaN"
      printf "\n"
    }
  }' "$results" > "$data"
tools=$(head -1 "$data" | awk -F'\t' '{print NF - 1}')
[ "$tools" -gt 0 ] || { echo "chart: no results table in $results" >&2; exit 1; }
gnuplot <<GP
set terminal pngcairo size 900,480 font "sans,10" noenhanced
set output "$out"
set datafile separator "\t"
set title "Change events per second, one slot, same WAL (higher is better)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top right
set grid ytics
set ylabel "events/s"
set format y "%.0s%c"
set yrange [0:*]
plot for [i=2:$((tools + 1))] "$data" using i:xtic(1) title columnheader(i)
GP
echo "chart: wrote $out" >&2
