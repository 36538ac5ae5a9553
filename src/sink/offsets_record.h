// The Kafka sink's offsets record: the value it commits, keyed by
// "<dbname>/<slot>", into its compacted offsets topic in the same Kafka
// transaction as a batch's records, and reads back when it opens.
//
//   {"slot": "shop/trackops", "end_lsn": 23456, "commit_lsn": 23400, "xid": 751,
//    "snapshot": "INITIAL", "snapshot_completed": false,        (a snapshot's rows only)
//    "snapshot_table": "public.orders", "snapshot_page": 8192,  (where it resumes)
//    "snapshot_filenode": 16391,
//    "incremental_snapshot": {"tables": [...], "key": [...], "max": [...]}}
//
// "snapshot" and "snapshot_completed" are Debezium's offset keys; the others
// are TrackOps' own.

#ifndef TRACKOPS_SINK_OFFSETS_RECORD_H_
#define TRACKOPS_SINK_OFFSETS_RECORD_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "trackops/sink.h"

namespace trackops::sink {

// What an offsets record says.
struct OffsetsRecord {
  Lsn end_lsn;  // Delivered up to here: the stream resumes from it.
  // kRunning: written with the rows of a snapshot that had more to deliver.
  SnapshotPhase snapshot = SnapshotPhase::kNone;
  // With kRunning, how far its rows went (absent in records of earlier
  // versions, which resume such a snapshot from its start).
  std::optional<SnapshotPosition> snapshot_position;
  std::string incremental_snapshot;  // JSON, minified; empty when none.
};

// The record for `txn` (its end_lsn, commit_lsn, xid and snapshot phase), with
// `position` when txn.snapshot is kRunning (may be null) and the incremental
// snapshots' state (JSON, may be empty).
std::string FormatOffsetsRecord(std::string_view slot, const TransactionInfo& txn,
                                const SnapshotPosition* position,
                                std::string_view incremental_snapshot);

// kDataLoss when `value` is not an offsets record (not JSON, or no end_lsn):
// resuming from a guess could lose or repeat changes.
absl::StatusOr<OffsetsRecord> ParseOffsetsRecord(std::string_view value);

}  // namespace trackops::sink

#endif  // TRACKOPS_SINK_OFFSETS_RECORD_H_
