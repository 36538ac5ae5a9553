// Debezium's source.snapshot markers for the rows of an initial snapshot,
// decided as Debezium 3.6.1 decides them (RelationalSnapshotChangeEventSource
// with one thread, EventDispatcher's BufferingSnapshotChangeRecordReceiver):
//
//   each row:  last of the last table          -> last
//              first of the first table        -> first
//              last of its table               -> last_in_data_collection
//              first of its table              -> first_in_data_collection
//              otherwise                       -> true
//   and the row emitted last is "last" whatever it was (the last tables may
//   be empty).
//
// "First table" is the first in the snapshot's order even when it is empty
// (then no row is "first"), as in Debezium. To know whether a row is its
// table's last, and whether it is the snapshot's last, the sequencer holds
// one row back: Add() emits the previous row, Finish() the one held.
//
// Thread safety: one thread at a time.

#ifndef TRACKOPS_SNAPSHOT_ROW_SEQUENCER_H_
#define TRACKOPS_SNAPSHOT_ROW_SEQUENCER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "event/change_encoder.h"
#include "pgoutput/messages.h"

namespace trackops::snapshot {

class RowSequencer {
 public:
  // Receives each row with its marker and the table it belongs to (the
  // index given to BeginTable). The row's views are valid during the call.
  using Emit =
      absl::FunctionRef<absl::Status(size_t table, pgoutput::Tuple row, event::SnapshotMarker)>;

  // `table_count`: the number of tables in the snapshot, empty ones included.
  explicit RowSequencer(size_t table_count) : table_count_(table_count) {}

  // Tables come in snapshot order, 0 first; each is begun once.
  void BeginTable(size_t table);
  // A row of the table begun last; copied, so `row` need not outlive the call.
  absl::Status Add(pgoutput::Tuple row, Emit emit);
  // The table begun last has no more rows.
  void EndTable();
  // No more tables: emits the row held back as "last".
  absl::Status Finish(Emit emit);

  // Rows emitted so far.
  size_t emitted() const { return emitted_; }

 private:
  struct Held {
    size_t table = 0;
    bool first_in_table = false;
    bool last_in_table = false;
    std::string bytes;
    std::vector<pgoutput::TupleColumn> columns;
  };

  absl::Status EmitHeld(event::SnapshotMarker marker, Emit emit);
  event::SnapshotMarker MarkerOf(const Held& row) const;

  const size_t table_count_;
  size_t table_ = 0;
  bool table_has_rows_ = false;
  bool holding_ = false;
  Held held_;
  size_t emitted_ = 0;
};

}  // namespace trackops::snapshot

#endif  // TRACKOPS_SNAPSHOT_ROW_SEQUENCER_H_
