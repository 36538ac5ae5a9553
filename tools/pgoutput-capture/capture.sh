#!/usr/bin/env bash
# Records the pgoutput messages of one scenario from a running PostgreSQL into
# tests/data/pgoutput/<scenario>.hex (the format decoder_test.cc's LoadCapture
# reads; see docs/pgoutput.md).
#
#   tools/pgoutput-capture/capture.sh SCENARIO [OUT_DIR]
#
# Needs a throwaway server in the libpq environment (PGHOST, PGPORT, ...):
# run it through capture-all.sh, which starts one per scenario with
# trackops-pg-sandbox. The scenario is scenarios/SCENARIO.sql, whose header
# lines say how to decode it:
#   -- description: one line, copied into the capture
#   -- protocol_version: N          proto_version option (default 1)
#   -- options: name=value ...      more pgoutput options (messages, binary,
#                                   streaming, two_phase)
#   -- sandbox: --set name=value    server settings (read by capture-all.sh)
# The workload must create the publication "capture" and the pgoutput slot
# "capture" itself (so that it chooses what happens before the slot exists),
# then run its transactions. Afterwards this script peeks every change of the
# slot with pg_logical_slot_peek_binary_changes() and writes one message per
# line: "<lsn>|<message type>|<hex bytes>".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
scenario=${1:?usage: capture.sh SCENARIO [OUT_DIR]}
out_dir=${2:-$root/tests/data/pgoutput}
sql=$here/scenarios/$scenario.sql
[ -f "$sql" ] || { echo "capture.sh: no scenario $sql" >&2; exit 2; }

header() { sed -n "s/^-- $1: *//p" "$sql" | head -n 1; }
description=$(header description)
protocol_version=$(header protocol_version)
protocol_version=${protocol_version:-1}
options=$(header options)
sandbox=$(header sandbox)

# Logical decoding reads only flushed WAL: commit synchronously so that every
# transaction of the workload is visible to the peek below.
export PGOPTIONS="${PGOPTIONS:-} -c synchronous_commit=on -c client_min_messages=warning"
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql -f "$sql" >/dev/null
# A last commit with an xid flushes WAL written outside transactions (e.g.
# non-transactional logical messages); pgoutput skips it as empty.
psql -c 'SELECT txid_current()' >/dev/null

peek_args="'proto_version', '$protocol_version', 'publication_names', 'capture'"
for option in $options; do
  peek_args+=", '${option%%=*}', '${option#*=}'"
done

server_version=$(psql -At -c 'SHOW server_version')
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
{
  echo "# pgoutput capture: $scenario"
  echo "# $description"
  echo "# Recorded from PostgreSQL $server_version by tools/pgoutput-capture/capture.sh"
  echo "# with pg_logical_slot_peek_binary_changes(slot, NULL, NULL, $peek_args)"
  echo "# and the workload tools/pgoutput-capture/scenarios/$scenario.sql${sandbox:+ (server $sandbox)}."
  echo "# Regenerate (do not edit by hand): tools/pgoutput-capture/capture-all.sh $scenario"
  echo "# Lines: <lsn>|<message type>|<message bytes in hex>"
  echo "# protocol_version: $protocol_version"
  psql -At -F '|' <<SQL
SELECT lsn,
       CASE chr(get_byte(data, 0))
         WHEN 'B' THEN 'Begin' WHEN 'C' THEN 'Commit' WHEN 'O' THEN 'Origin'
         WHEN 'R' THEN 'Relation' WHEN 'Y' THEN 'Type' WHEN 'I' THEN 'Insert'
         WHEN 'U' THEN 'Update' WHEN 'D' THEN 'Delete' WHEN 'T' THEN 'Truncate'
         WHEN 'M' THEN 'Message' WHEN 'S' THEN 'Stream Start' WHEN 'E' THEN 'Stream Stop'
         WHEN 'c' THEN 'Stream Commit' WHEN 'A' THEN 'Stream Abort'
         WHEN 'b' THEN 'Begin Prepare' WHEN 'P' THEN 'Prepare'
         WHEN 'K' THEN 'Commit Prepared' WHEN 'r' THEN 'Rollback Prepared'
         WHEN 'p' THEN 'Stream Prepare' ELSE '?' END,
       encode(data, 'hex')
  FROM pg_logical_slot_peek_binary_changes('capture', NULL, NULL, $peek_args);
SQL
} >"$tmp"
messages=$(grep -vc '^#' "$tmp" || true)
if [ "$messages" -eq 0 ]; then
  echo "capture.sh: $scenario produced no messages" >&2
  exit 1
fi
mkdir -p "$out_dir"
mv "$tmp" "$out_dir/$scenario.hex"
trap - EXIT
types=$(grep -v '^#' "$out_dir/$scenario.hex" | cut -d'|' -f2 | sort | uniq -c |
        awk '{n=$1; $1=""; printf "%s%s x%d", sep, substr($0, 2), n; sep=", "}')
echo "capture: $scenario: $messages messages, $(wc -c <"$out_dir/$scenario.hex") bytes ($types)"
