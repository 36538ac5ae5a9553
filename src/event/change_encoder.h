// Row changes (pgoutput Insert/Update/Delete) to Debezium change events: the
// records Debezium 3.6.1's PostgreSQL connector emits, serialized as Kafka
// Connect's JsonConverter writes them. See README.md for the facts this
// follows and where each comes from.
//
// Use:
//   ChangeEncoder encoder(options);
//   // On every Relation message (new or changed table schema):
//   auto table = encoder.NewTableEncoding(schema);          // keep per relation
//   // Per row message, inside a transaction:
//   encoder.EncodeInsert(**table, insert, context, emit);   // emit: the sink
//
// Per row, everything constant for the table (topic, schema JSON, field names,
// source block fragments) comes precomputed from the TableEncoding, and what
// is constant for the transaction (most of the source block) is formatted at
// its first event; only the payload is written, into buffers the ChangeEncoder
// owns and reuses, so the steady state allocates nothing per event.
//
// Thread safety: a TableEncoding is immutable and may be shared. A
// ChangeEncoder is used by one thread at a time.

#ifndef TRACKOPS_EVENT_CHANGE_ENCODER_H_
#define TRACKOPS_EVENT_CHANGE_ENCODER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "event/json_writer.h"
#include "event/value_converter.h"
#include "pgoutput/messages.h"
#include "schema/table_schema.h"
#include "trackops/record.h"
#include "trackops/types.h"

namespace trackops::event {

struct EncoderOptions {
  // topic.prefix: first part of every topic and schema name, and source.name.
  // Required (NewTableEncoding fails on an empty one).
  std::string topic_prefix;
  // database.dbname: source.db.
  std::string database_name;
  // source.version.
  std::string connector_version = "3.6.1.Final";
  // key.converter / value.converter / header.converter schemas.enable
  // (JsonConverter's default is true for all three; Debezium Server's
  // debezium.format.header defaults to json, so headers are JSON too).
  bool key_schemas_enable = true;
  bool value_schemas_enable = true;
  bool header_schemas_enable = true;
  // tombstones.on.delete: a record with the delete's key and a null value
  // after every delete.
  bool tombstones_on_delete = true;
  // unavailable.value.placeholder: written for unchanged TOAST values.
  std::string unavailable_value_placeholder = std::string(kDefaultUnavailablePlaceholder);
  // extended.headers.enabled (default true in 3.6.1): every record carries
  // __debezium.context.{connectorLogicalName, taskId, connectorName, runId}
  // string headers. `run_id` should be a random UUID per run (Debezium makes
  // one at task start; empty writes ""); `task_id` is "0" for the one task.
  bool extended_headers_enabled = true;
  std::string task_id = "0";
  std::string run_id;
  // decimal / time.precision / binary / interval handling modes (Debezium's
  // defaults: precise, adaptive, bytes, numeric).
  TypeModes type_modes;
};

// source.snapshot: Debezium's SnapshotRecord, written in lower case. Streamed
// changes are kFalse; an initial snapshot marks its rows kTrue except the
// first and last of each table and of the whole snapshot; an incremental
// snapshot's rows are kIncremental.
enum class SnapshotMarker : uint8_t {
  kFalse,
  kTrue,
  kFirst,
  kFirstInDataCollection,
  kLastInDataCollection,
  kLast,
  kIncremental,
};

// "false", "true", "first", ...
std::string_view SnapshotMarkerName(SnapshotMarker marker);

// The position of an event in its transaction (provide.transaction.metadata):
// Debezium's TransactionContext counters. The owner keeps one per transaction
// and one data collection counter per table.
struct TransactionOrder {
  std::string_view id;                         // "<xid>:<lsn>"; must outlive the call.
  int64_t total_order = 0;                     // Events of the transaction so far.
  int64_t* data_collection_order = nullptr;    // Events of this table so far.
};

// Counts one more event in `*order` and writes its "transaction" block:
// {"id":..,"total_order":..,"data_collection_order":..}.
void AppendTransactionBlock(TransactionOrder* order, JsonWriter* out);

// What the engine knows about a change besides the row: the transaction
// (from Begin), the change's position, the connector's clock.
struct ChangeContext {
  UnixMicros commit_time = 0;  // Begin.commit_time: source.ts_ms / ts_us / ts_ns.
  Xid xid;                     // Begin.xid: source.txId.
  // The WAL position of this row message: the XLogData header's dataStart
  // (PostgreSQL sets it to the change record's LSN). source.lsn and the second
  // entry of source.sequence. Also Record::lsn.
  Lsn lsn;
  // The first entry of source.sequence: the XLogData dataStart of the last
  // Commit message processed before this transaction, which PostgreSQL sets to
  // the commit record's end (pgoutput Commit.end_lsn). Debezium keeps it in
  // its offsets (lsn_commit) across restarts. Lsn() writes null.
  Lsn last_commit_lsn;
  // From an Origin message in this transaction (cleared at Begin): source.origin
  // and source.origin_lsn. Empty / Lsn(): null. Must stay valid during the call.
  std::string_view origin;
  Lsn origin_lsn;
  // The connector's clock when it processes the change, in nanoseconds since
  // the epoch: the envelope's ts_ms / ts_us / ts_ns.
  int64_t processing_time_ns = 0;
  // source.snapshot; kFalse for everything streamed.
  SnapshotMarker snapshot = SnapshotMarker::kFalse;
  // provide.transaction.metadata: when set, each event written increments
  // its counters and writes the envelope's "transaction" block
  // {id, total_order, data_collection_order}; null writes "transaction":null.
  TransactionOrder* transaction = nullptr;
};

// Per-table state: everything about a table's events that does not depend on
// the row. Build one with ChangeEncoder::NewTableEncoding for each table
// schema and rebuild it whenever the schema changes (each Relation message);
// it copies what it needs, so the TableSchema may go away.
class TableEncoding {
 public:
  // "<prefix>.<schema>.<table>", sanitized.
  const std::string& topic() const { return topic_; }
  bool has_key() const { return !key_columns_.empty(); }
  size_t column_count() const { return columns_.size(); }
  const ColumnCodec& column(size_t i) const { return columns_[i]; }

  // The Connect schemas as JSON (empty key schema when the table has no key).
  const std::string& key_schema_json() const { return key_schema_json_; }
  const std::string& value_schema_json() const { return envelope_schema_json_; }

 private:
  friend class ChangeEncoder;
  TableEncoding() = default;

  uint64_t id_ = 0;  // Unique among all TableEncodings of the process (never 0).
  std::string schema_name_;
  std::string table_name_;
  std::string topic_;
  std::vector<ColumnCodec> columns_;
  std::vector<size_t> key_columns_;  // Indexes into columns_, in key order.
  // Per column: `"name":`, with a leading ',', or '{' for the first (saving
  // an append per row); empty for a column left out (ColumnCodec::included
  // false, or not in the value).
  std::vector<std::string> value_fields_;
  bool has_value_fields_ = false;        // Some value_fields_ entry is not empty.
  std::vector<std::string> key_fields_;  // Per key column, likewise.
  std::string key_schema_json_;
  std::string envelope_schema_json_;
  std::string key_open_with_schema_;  // `{"schema":<key>,"payload":`
  std::string value_open_;            // Up to and including `"before":`.
  std::string source_table_;          // `,"schema":"..","table":"..","txId":`
};

class ChangeEncoder {
 public:
  // Receives each record produced. Every view in the Record points into the
  // encoder's buffers and is valid only during the call. A non-OK status
  // stops the encoding and is returned as is.
  using Emit = absl::FunctionRef<absl::Status(const Record&)>;

  explicit ChangeEncoder(EncoderOptions options);

  ChangeEncoder(const ChangeEncoder&) = delete;
  ChangeEncoder& operator=(const ChangeEncoder&) = delete;

  const EncoderOptions& options() const { return options_; }

  // Builds the per-table state for `table` with this encoder's options.
  // kInvalidArgument when options().topic_prefix is empty.
  absl::StatusOr<std::unique_ptr<TableEncoding>> NewTableEncoding(
      const schema::TableSchema& table) const;

  // The Encode functions emit the records of one row message, in Debezium's
  // order. `table` must come from this encoder's NewTableEncoding, for the
  // schema the message's relation has now. Errors (nothing more is emitted):
  //   kDataLoss: a tuple does not match the table (column count) or a value's
  //     text is not what PostgreSQL writes for its type; the message names the
  //     table, column, type and LSN;
  //   kFailedPrecondition: a value Debezium cannot convert either (numeric
  //     NaN/Infinity in precise mode, unchanged TOAST of a non-text type) in a
  //     key or NOT NULL column; in an optional column Debezium (and so this
  //     encoder) writes null instead;
  //   kUnimplemented: a binary-format tuple value (kind 'b');
  //   whatever `emit` returns.

  // Insert: one create event (op "c").
  absl::Status EncodeInsert(const TableEncoding& table, const pgoutput::Insert& insert,
                            const ChangeContext& context, Emit emit);

  // Update: one update event (op "u"); "before" is the old tuple when the
  // message carries one ('O' with REPLICA IDENTITY FULL, or 'K'), else null.
  // When an old tuple is present and the key differs, Debezium's primary key
  // change instead: a delete (header __debezium.newkey), its tombstone, and a
  // create (header __debezium.oldkey). Unchanged TOAST values in the new
  // tuple take the old tuple's value when it has one, else the placeholder.
  absl::Status EncodeUpdate(const TableEncoding& table, const pgoutput::Update& update,
                            const ChangeContext& context, Emit emit);

  // Delete: a delete event (op "d", "before" from the old tuple; NOT NULL
  // columns a key-only tuple lacks get their type's fallback), then a
  // tombstone when tombstones_on_delete.
  absl::Status EncodeDelete(const TableEncoding& table, const pgoutput::Delete& del,
                            const ChangeContext& context, Emit emit);

  // A row read by a snapshot: one read event (op "r", "before" null, "after"
  // the row). `context` describes the snapshot: commit_time its start
  // (source.ts_*), xid its transaction, lsn the position streaming resumes
  // from, snapshot the row's marker.
  absl::Status EncodeRead(const TableEncoding& table, pgoutput::Tuple row,
                          const ChangeContext& context, Emit emit);

  // Truncate (skipped.operations without "t"), for one table of a pgoutput
  // Truncate message: a truncate event (op "t", null key, "before" and
  // "after" null), no tombstone.
  absl::Status EncodeTruncate(const TableEncoding& table, const ChangeContext& context,
                              Emit emit);

 private:
  enum class Op : char {
    kCreate = 'c',
    kUpdate = 'u',
    kDelete = 'd',
    kTruncate = 't',
    kRead = 'r',
  };

  absl::Status CheckTuple(const TableEncoding& table, pgoutput::Tuple tuple,
                          const ChangeContext& context, const char* what) const;
  absl::Status AppendColumn(const TableEncoding& table, size_t index, pgoutput::Tuple tuple,
                            pgoutput::Tuple toast_source, bool in_key, const ChangeContext& context,
                            JsonWriter* out);
  absl::Status AppendRow(const TableEncoding& table, pgoutput::Tuple tuple,
                         pgoutput::Tuple toast_source, const ChangeContext& context,
                         JsonWriter* out);
  // Writes the key record (JsonConverter form) into `*out`, replacing it.
  absl::Status WriteKey(const TableEncoding& table, pgoutput::Tuple tuple,
                        const ChangeContext& context, bool schemas_enable, JsonBuffer* out);
  // Writes the value record into value_; a null `before` / `after` tuple
  // writes null.
  absl::Status WriteValue(const TableEncoding& table, Op op, const pgoutput::Tuple* before,
                          const pgoutput::Tuple* after, pgoutput::Tuple toast_source,
                          const ChangeContext& context);
  // Writes `,"source":{...},"transaction":`.
  void AppendSource(const TableEncoding& table, const ChangeContext& context, JsonWriter* out);
  // Formats source_ for `context` unless it holds that transaction already.
  void PrepareSource(const ChangeContext& context);
  // The record headers: [(key, value) unless key is empty] + the extended
  // headers (record_headers_, a view of headers_).
  void SetHeaders(std::string_view key, std::string_view value);
  absl::Status EmitRecord(const TableEncoding& table, const JsonBuffer* key,
                          const JsonBuffer* value, const ChangeContext& context, Emit emit);

  // The source block minus what changes per event (the LSN) or per table
  // (schema, table): everything else comes from the transaction (Begin's
  // commit time and xid, the last commit's LSN, the Origin) or the options.
  // Formatted at the first event of a transaction and reused for the others,
  // keyed by the context fields it was made from. The block is
  //   head <lsn, quoted, or null> middle <lsn> tail
  // with middle = times table.source_table_ tx_id, for the table table_id.
  struct TransactionSource {
    bool valid = false;
    UnixMicros commit_time = 0;
    Xid xid;
    Lsn last_commit_lsn;
    std::string origin;
    Lsn origin_lsn;
    SnapshotMarker snapshot = SnapshotMarker::kFalse;
    // `,"source":{"version":..,"ts_ms":<ms>,"snapshot":<marker>,"db":..,
    // "sequence":"[<last commit>,`
    JsonBuffer head;
    JsonBuffer times;  // `]","ts_us":<us>,"ts_ns":<ns>`
    JsonBuffer tx_id;  // `<txId>,"lsn":`
    // `,"xmin":null,"origin":..,"origin_lsn":..},"transaction":`
    JsonBuffer tail;
    uint64_t table_id = 0;  // TableEncoding::id_ of `middle`; 0: none.
    JsonBuffer middle;
  };

  EncoderOptions options_;
  std::string source_open_;  // `{"version":..,"connector":"postgresql","name":..,"ts_ms":`
  std::string source_db_;    // `,"db":"..","sequence":`
  TransactionSource source_;
  ValueConverter converter_;
  JsonBuffer key_;
  JsonBuffer old_key_;
  JsonBuffer value_;
  JsonBuffer header_value_;
  std::vector<std::string> extended_header_values_;
  std::vector<Header> headers_;  // [key change header slot] + extended headers.
  std::span<const Header> record_headers_;
};

}  // namespace trackops::event

#endif  // TRACKOPS_EVENT_CHANGE_ENCODER_H_
