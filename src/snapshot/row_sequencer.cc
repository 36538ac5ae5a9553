#include "snapshot/row_sequencer.h"

#include <cstring>

#include "util/status_macros.h"

namespace trackops::snapshot {

using event::SnapshotMarker;

void RowSequencer::BeginTable(size_t table) {
  table_ = table;
  table_has_rows_ = false;
}

SnapshotMarker RowSequencer::MarkerOf(const Held& row) const {
  if (row.last_in_table && row.table + 1 == table_count_) return SnapshotMarker::kLast;
  if (row.first_in_table && row.table == 0) return SnapshotMarker::kFirst;
  if (row.last_in_table) return SnapshotMarker::kLastInDataCollection;
  if (row.first_in_table) return SnapshotMarker::kFirstInDataCollection;
  return SnapshotMarker::kTrue;
}

absl::Status RowSequencer::EmitHeld(SnapshotMarker marker, Emit emit) {
  holding_ = false;
  ++emitted_;
  return emit(held_.table, pgoutput::Tuple(held_.columns), marker);
}

absl::Status RowSequencer::Add(pgoutput::Tuple row, Emit emit) {
  if (holding_) TRACKOPS_RETURN_IF_ERROR(EmitHeld(MarkerOf(held_), emit));
  held_.table = table_;
  held_.first_in_table = !table_has_rows_;
  held_.last_in_table = false;
  table_has_rows_ = true;
  // Copy the row: its bytes first (one buffer, grown once and reused), then
  // views into it.
  size_t size = 0;
  for (const pgoutput::TupleColumn& c : row) size += c.data.size();
  held_.bytes.resize(size);
  held_.columns.resize(row.size());
  char* out = held_.bytes.data();
  for (size_t i = 0; i < row.size(); ++i) {
    const std::string_view data = row[i].data;
    if (!data.empty()) std::memcpy(out, data.data(), data.size());
    held_.columns[i] = pgoutput::TupleColumn{row[i].kind, std::string_view(out, data.size())};
    out += data.size();
  }
  holding_ = true;
  return absl::OkStatus();
}

void RowSequencer::EndTable() {
  if (holding_ && held_.table == table_) held_.last_in_table = true;
}

absl::Status RowSequencer::Finish(Emit emit) {
  if (!holding_) return absl::OkStatus();
  return EmitHeld(SnapshotMarker::kLast, emit);
}

}  // namespace trackops::snapshot
