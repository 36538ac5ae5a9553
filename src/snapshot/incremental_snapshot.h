// Incremental (ad hoc) snapshots while streaming, triggered through the
// signal table as in Debezium (signal.data.collection): a row inserted with
// type "execute-snapshot" and data {"data-collections": [...]} reads those
// tables again, chunk by chunk, as read events (op "r", source.snapshot
// "incremental"), between the changes the stream delivers.
//
// Each chunk is read between two watermarks (DBLog's algorithm, Debezium's
// insert_insert strategy), both rows written to the signal table:
//
//   INSERT (id "<chunk>-open",  type "snapshot-window-open")
//   SELECT <columns> FROM t WHERE key > last AND key <= max ORDER BY key LIMIT n
//   INSERT (id "<chunk>-close", type "snapshot-window-close")
//
// The chunk's rows wait in a buffer. When the stream reaches the open
// watermark the window opens: every change of the table's rows delivered
// from then on drops that row from the buffer (the change carries a state at
// least as new as the one read). When it reaches the close watermark the
// rows left are emitted, inside that transaction, and the next chunk is
// read. A row changed while its chunk is read is therefore delivered with
// its latest value, after the change, never before it with an older one.
//
// Also handled: "stop-snapshot" (the listed tables, or all), "pause-snapshot"
// and "resume-snapshot", "log" (the message, to the log). An incremental
// snapshot's progress goes with every transaction the sink records (state());
// a sink that keeps its position carries on from it after a restart
// (Restore), others read the table they were in again from its start.
//
// Thread safety: none; the engine's streaming thread calls it.

#ifndef TRACKOPS_SNAPSHOT_INCREMENTAL_SNAPSHOT_H_
#define TRACKOPS_SNAPSHOT_INCREMENTAL_SNAPSHOT_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "event/change_encoder.h"
#include "replication/pg_connection.h"
#include "schema/catalog.h"
#include "snapshot/prepared_table.h"
#include "snapshot/progress.h"
#include "trackops/config.h"
#include "trackops/record.h"

namespace trackops::snapshot {

class IncrementalSnapshot {
 public:
  using Emit = absl::FunctionRef<absl::Status(const Record&)>;

  IncrementalSnapshot(const ConnectorConfig& config, const event::EncoderOptions& encoder);

  // At the start of every connection to the server, before streaming:
  // `conn`, an ordinary connection (autocommit), for the watermarks and the
  // chunk queries, and `catalog` reading over it, both valid until the next
  // Attach. Sets the connection's output settings (as a walsender's). A
  // table whose chunk was in flight is read again from its start (the stream
  // resumes from the sink's position, before or after its watermarks).
  absl::Status Attach(replication::PgConnection* conn, schema::Catalog* catalog);

  // Whether schema.table is signal.data.collection.
  bool IsSignalTable(std::string_view schema, std::string_view table) const;

  // A row the stream delivered as inserted into the signal table, inside the
  // transaction `context` describes; events it causes go to `emit`. Errors:
  // the connection's (kUnavailable), a chunk's row the encoder cannot read
  // (kDataLoss). A malformed signal is logged and ignored.
  absl::Status OnSignal(std::string_view id, std::string_view type, std::string_view data,
                        const event::ChangeContext& context, Emit emit);

  // The table whose chunk's window is open (RelationId() when none): the
  // stream reports each change of its rows with OnWindowChange.
  RelationId window_table() const { return window_open_ ? window_table_ : RelationId(); }
  // The stream changed the row of the window's table whose key columns (in
  // column order, AppendIdentityColumn) make `key`.
  void OnWindowChange(std::string_view key);
  // The stream truncated the window's table: none of the chunk's rows is left.
  void OnWindowTruncate();

  bool running() const { return current_.has_value() || !queue_.empty(); }

  // What is left to read, as JSON, for a sink to record with the position of
  // the transaction just handled: {"tables": [current, queued...], "key":
  // [the key of the last row emitted of the current table], "max": [its
  // maximum key]}; empty when nothing is left.
  const std::string& state() const { return state_; }
  // Carries on from a recorded state() (replacing what is in memory), before
  // Attach. A state that does not parse is logged and dropped.
  void Restore(std::string_view state);
  uint64_t rows() const { return rows_; }

  // The table read now (none: all zero, estimate -1).
  struct TableProgress {
    uint64_t rows = 0;            // Emitted of it, since this process started it.
    int64_t estimated_rows = -1;  // Its estimated size; -1 when not known.
    Clock::duration elapsed{};    // Since this process started it.
    size_t tables_queued = 0;     // After it.
  };
  TableProgress progress() const;

 private:
  struct BufferedRow {
    std::vector<std::optional<std::string>> values;
    bool dropped = false;
  };

  absl::Status Handle(std::string_view id, std::string_view type, std::string_view data,
                      const event::ChangeContext& context, Emit emit);
  absl::Status Execute(std::string_view data);
  absl::Status Stop(std::string_view data);
  // Reads the next chunk between watermarks (moving on to the next table
  // when one is done), unless paused or finished.
  absl::Status ReadChunk();
  // Makes the next queued table current; false when none is left.
  absl::StatusOr<bool> NextTable();
  absl::Status EmitChunk(const event::ChangeContext& context, Emit emit);
  absl::Status Watermark(const std::string& id, const char* type, const std::string& data);
  void FinishTable();

  const ConnectorConfig config_;
  event::ChangeEncoder encoder_;
  replication::PgConnection* conn_ = nullptr;
  schema::Catalog* catalog_ = nullptr;
  std::string signal_schema_, signal_table_;
  std::string signal_insert_;  // INSERT INTO the signal table.

  std::deque<std::string> queue_;  // schema.table names waiting.
  std::optional<PreparedTable> current_;
  std::vector<std::string> max_key_;
  std::vector<std::string> last_key_;  // Empty before the first chunk.
  bool table_done_after_chunk_ = false;
  bool paused_ = false;
  std::string chunk_id_;
  bool window_open_ = false;
  RelationId window_table_;
  std::vector<BufferedRow> buffer_;
  absl::flat_hash_map<std::string, size_t> buffer_keys_;
  std::string key_scratch_;
  std::vector<pgoutput::TupleColumn> columns_;
  // Refreshes state_ from the fields above.
  void UpdateState();
  std::vector<std::string> emitted_key_;   // Of the last row emitted, current table.
  std::vector<std::string> restored_key_;  // Restore(): for the first table read.
  std::vector<std::string> restored_max_;
  std::string restored_table_;
  std::string state_;
  uint64_t rows_ = 0;        // Emitted, all tables.
  uint64_t table_rows_ = 0;  // Emitted, current table.
  uint64_t chunks_ = 0;
  Clock::time_point table_started_;
  Clock::time_point next_progress_;  // Of the next progress line in the log.
};

}  // namespace trackops::snapshot

#endif  // TRACKOPS_SNAPSHOT_INCREMENTAL_SNAPSHOT_H_
