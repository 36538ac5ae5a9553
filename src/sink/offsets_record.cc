#include "sink/offsets_record.h"

#include "absl/strings/str_cat.h"
#include "event/json_writer.h"
#include "simdjson.h"
#include "util/string_view.h"

namespace trackops::sink {

std::string FormatOffsetsRecord(std::string_view slot, const TransactionInfo& txn,
                                const SnapshotPosition* position,
                                std::string_view incremental_snapshot) {
  std::string out;
  {
    event::JsonWriter json(&out);
    json.Raw("{\"slot\":");
    json.String(slot);
    json.Raw(",\"end_lsn\":");
    json.UInt(txn.end_lsn.value());
    json.Raw(",\"commit_lsn\":");
    json.UInt(txn.commit_lsn.value());
    json.Raw(",\"xid\":");
    json.UInt(txn.xid.value());
    if (txn.snapshot != SnapshotPhase::kNone) {
      json.Raw(txn.snapshot == SnapshotPhase::kRunning
                   ? ",\"snapshot\":\"INITIAL\",\"snapshot_completed\":false"
                   : ",\"snapshot\":\"INITIAL\",\"snapshot_completed\":true");
    }
    if (txn.snapshot == SnapshotPhase::kRunning && position != nullptr) {
      json.Raw(",\"snapshot_table\":");
      json.String(position->table);
      json.Raw(",\"snapshot_page\":");
      json.Int(position->page);
      json.Raw(",\"snapshot_filenode\":");
      json.UInt(position->filenode);
    }
    if (!incremental_snapshot.empty()) {
      json.Raw(",\"incremental_snapshot\":");
      json.Raw(incremental_snapshot);
    }
    json.Raw('}');
  }
  return out;
}

absl::StatusOr<OffsetsRecord> ParseOffsetsRecord(std::string_view value) {
  auto error = [&](std::string_view what) {
    return absl::DataLossError(absl::StrCat("offsets record ", ToAbsl(what), ": ", ToAbsl(value)));
  };
  simdjson::dom::parser parser;
  simdjson::dom::object record;
  if (parser.parse(value.data(), value.size()).get(record) != simdjson::SUCCESS) {
    return error("is not a JSON object");
  }
  OffsetsRecord out;
  uint64_t end = 0;
  if (record["end_lsn"].get(end) != simdjson::SUCCESS) return error("has no end_lsn");
  out.end_lsn = Lsn(end);
  bool completed = false;
  if (record["snapshot_completed"].get(completed) == simdjson::SUCCESS) {
    out.snapshot = completed ? SnapshotPhase::kCompleted : SnapshotPhase::kRunning;
  }
  std::string_view table;
  int64_t page = 0;
  uint64_t filenode = 0;
  if (out.snapshot == SnapshotPhase::kRunning &&
      record["snapshot_table"].get(table) == simdjson::SUCCESS &&
      record["snapshot_page"].get(page) == simdjson::SUCCESS &&
      record["snapshot_filenode"].get(filenode) == simdjson::SUCCESS) {
    out.snapshot_position =
        SnapshotPosition{std::string(table), page, static_cast<uint32_t>(filenode)};
  }
  simdjson::dom::element incremental;
  if (record["incremental_snapshot"].get(incremental) == simdjson::SUCCESS) {
    out.incremental_snapshot = simdjson::minify(incremental);
  }
  return out;
}

}  // namespace trackops::sink
