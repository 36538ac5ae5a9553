// The path of one XLogData payload: decode (pgoutput), track the transaction,
// keep table schemas (schema), encode row changes as Debezium records (event)
// and hand them to the sink in commit order. No I/O of its own besides the
// catalog look-ups a Relation message triggers, and the spill files of
// streamed transactions (spill_file.h) once they exceed
// trackops.pgoutput.streaming.memory.bytes.
//
// Thread safety: one thread at a time.

#ifndef TRACKOPS_ENGINE_CHANGE_PIPELINE_H_
#define TRACKOPS_ENGINE_CHANGE_PIPELINE_H_

#include <cstdint>
#include <memory>
#include <regex>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "config/table_filter.h"
#include "engine/held_changes.h"
#include "engine/spill_file.h"
#include "event/change_encoder.h"
#include "event/heartbeat_encoder.h"
#include "event/message_encoder.h"
#include "event/transaction_encoder.h"
#include "pgoutput/decoder.h"
#include "schema/schema_cache.h"
#include "snapshot/incremental_snapshot.h"
#include "trackops/config.h"
#include "trackops/sink.h"

namespace trackops::engine {

// The event encoder's options for `config` (a new run id each call).
event::EncoderOptions EncoderOptionsFor(const ConnectorConfig& config);

struct PipelineCounters {
  uint64_t transactions = 0;
  uint64_t events = 0;
  uint64_t skipped = 0;
  uint64_t already_delivered = 0;  // Transactions skipped as delivered before.
  uint64_t heartbeats = 0;         // Heartbeat records delivered.
  // Streamed transactions moved to a spill file, and the bytes of their
  // changes written there (trackops.pgoutput.streaming.memory.bytes).
  uint64_t spilled_transactions = 0;
  uint64_t spilled_bytes = 0;
};

class ChangePipeline {
 public:
  // `catalog` (may be null) and `sink` must outlive the pipeline. With
  // streaming on, kInvalidArgument when the spill directory is missing or not
  // writable (CheckSpillDirectory).
  static absl::StatusOr<std::unique_ptr<ChangePipeline>> Create(const ConnectorConfig& config,
                                                                schema::Catalog* catalog,
                                                                Sink* sink);

  // Handles the pgoutput message `payload` found at WAL position `lsn`.
  // kDataLoss names the position when the bytes are malformed or out of order.
  // A spill file error (spill_file.h: kUnavailable when retrying may help,
  // else kFailedPrecondition) is returned again by every later call: the
  // caller drops the pipeline and reconnects, and PostgreSQL sends the
  // in-progress transactions again. Spill files are closed, and so deleted,
  // with the pipeline.
  absl::Status Handle(Lsn lsn, std::span<const uint8_t> payload);

  // signal.data.collection: rows inserted into the signal table go to
  // `incremental` (which must outlive the pipeline), and so do the keys of
  // the rows changed while one of its chunk windows is open. Call before the
  // first Handle.
  void SetIncrementalSnapshot(snapshot::IncrementalSnapshot* incremental) {
    incremental_ = incremental;
  }

  // Transactions that committed before `lsn` (commit LSN < lsn) are not
  // delivered: the sink has them already.
  void SkipTransactionsBefore(Lsn lsn) { skip_before_ = lsn; }

  // Delivers one heartbeat record (heartbeat.interval.ms) with value ts_ms
  // `ts_ms` as a sink transaction of its own (xid 0, commit and end LSN
  // `position`), so that it is never inside a PostgreSQL transaction's batch
  // and DurableLsn() passes `position` only once the heartbeat is durable.
  // `position` must be one before which every transaction was handed to the
  // sink or was empty (at least last_seen_end()). Outside transactions only:
  // kFailedPrecondition between a Begin and its Commit.
  absl::Status Heartbeat(Lsn position, int64_t ts_ms);

  // True between a Begin and its Commit.
  bool in_transaction() const { return in_transaction_; }
  // True when a transaction was begun on the sink and not yet committed.
  bool sink_transaction_open() const { return sink_open_; }
  // End LSN of the last transaction handed to the sink (with records).
  Lsn last_delivered_end() const { return last_delivered_end_; }
  // End LSN of the last transaction seen, delivered or empty.
  Lsn last_seen_end() const { return last_seen_end_; }
  const PipelineCounters& counters() const { return counters_; }
  // Bytes of in-progress streamed transactions held until their commit, in
  // memory or in spill files.
  uint64_t streamed_bytes() const { return streamed_bytes_; }
  // Of those, the bytes held in memory (with their per-message index): at most
  // trackops.pgoutput.streaming.memory.bytes.
  uint64_t streamed_memory_bytes() const { return streamed_memory_bytes_; }
  // Spill files open: one per in-progress streamed transaction spilled.
  size_t spill_files() const { return spill_files_; }

 private:
  struct TableState {
    const schema::TableSchema* schema = nullptr;
    std::unique_ptr<event::TableEncoding> encoding;
    bool included = false;
    // column.include.list / column.exclude.list: the tuple positions of the
    // columns kept (in the value, or key columns), when some are left out of
    // the value (empty: all kept, all in the value).
    std::vector<size_t> kept_columns;
    // provide.transaction.metadata: the transaction (tx_seq_) whose
    // tx_collections_[tx_slot] counts this table's events.
    uint64_t tx_seq = 0;
    size_t tx_slot = 0;
    // With an incremental snapshot: the tuple positions of the key columns,
    // and for the signal table those of id, type and data.
    std::vector<size_t> key_positions;
    bool signal = false;
    size_t signal_columns[3] = {0, 0, 0};
  };
  // Events of one table in the current transaction (END records).
  struct CollectionCount {
    std::string name;  // "schema.table"; capacity reused across transactions.
    int64_t count = 0;
  };

  // The changes of one in-progress transaction streamed so far (protocol 2,
  // streaming on), as the raw pgoutput messages, until its Stream Commit:
  // in memory, or, once the memory limit was reached, all in `spill` (then
  // `held` is empty: no per-message state is kept).
  struct StreamedTransaction {
    HeldChanges held;
    std::unique_ptr<SpillFile> spill;
    Lsn first_lsn;      // Of its first change.
    uint64_t size = 0;  // Bytes of its changes, in memory or spilled.
    // Subtransactions rolled back: their changes are skipped at replay.
    absl::flat_hash_set<Xid> aborted_subxids;
  };
  ChangePipeline(const ConnectorConfig& config, schema::Catalog* catalog, Sink* sink,
                 std::unique_ptr<pgoutput::Decoder> decoder,
                 std::unique_ptr<pgoutput::Decoder> replay_decoder);

  // Handles a decoded message outside a streamed block.
  absl::Status Dispatch(const pgoutput::Message& message, Lsn lsn);
  // `lsn`: the Begin message's WAL position (BEGIN record's id).
  absl::Status BeginTransaction(const TransactionInfo& txn, Lsn lsn);
  absl::Status CommitTransaction(Lsn commit_lsn, Lsn end_lsn, Lsn lsn);
  // Keeps a change of the streamed transaction `xid`, spilling transactions
  // to disk first when it would take the memory held past the limit.
  absl::Status HoldStreamed(Xid xid, Lsn lsn, Xid subxid, std::span<const uint8_t> payload);
  // Moves the changes of `txn` (of `xid`) from memory to a new spill file.
  absl::Status Spill(Xid xid, StreamedTransaction& txn);
  // Delivers a streamed transaction at its Stream Commit.
  absl::Status ReplayStreamed(const pgoutput::StreamCommit& commit, Lsn lsn);
  // Decodes and dispatches one change of a replayed streamed transaction.
  absl::Status ReplayOne(std::span<const uint8_t> bytes, Lsn lsn);

  absl::Status OnRelation(const pgoutput::Relation& relation);
  // Returns the table state for a row message, or an error naming the
  // relation when no Relation message introduced it.
  absl::StatusOr<TableState*> TableFor(RelationId id, const char* what);
  absl::Status EnsureSinkTransaction();
  // The message with its tuples reduced to table.kept_columns, in reused
  // buffers (valid until the next call).
  pgoutput::Insert FilterColumns(const TableState& table, const pgoutput::Insert& m);
  pgoutput::Update FilterColumns(const TableState& table, const pgoutput::Update& m);
  pgoutput::Delete FilterColumns(const TableState& table, const pgoutput::Delete& m);
  pgoutput::Tuple FilterTuple(const TableState& table, pgoutput::Tuple tuple,
                              std::vector<pgoutput::TupleColumn>* out);
  absl::Status Emit(const Record& record);
  // provide.transaction.metadata: points context_.transaction at the
  // counters for the next event of `table` at `lsn`.
  void CountEvent(TableState& table, Lsn lsn);
  // The next entry of tx_collections_, its count 0 (name left to fill).
  CollectionCount& NewCollection();
  // With an incremental snapshot: a row of the signal table, or of the
  // table whose chunk window is open.
  absl::Status WatchInsert(const pgoutput::Insert& m);
  void WatchChange(RelationId relation, pgoutput::Tuple row, pgoutput::Tuple old);
  // A logical decoding message: inside the transaction when transactional,
  // else delivered as a sink transaction of its own at its LSN.
  absl::Status OnMessage(const pgoutput::LogicalMessage& message, Lsn lsn);

  ConnectorConfig config_;
  snapshot::IncrementalSnapshot* incremental_ = nullptr;
  TableFilter filter_;
  TableFilter column_filter_;  // Matches "schema" against "table.column".
  Sink* sink_;
  std::unique_ptr<pgoutput::Decoder> decoder_;
  std::unique_ptr<pgoutput::Decoder> replay_decoder_;  // Decodes buffered streamed messages.
  schema::SchemaCache schemas_;
  event::ChangeEncoder encoder_;
  event::TransactionEncoder transaction_encoder_;
  std::vector<pgoutput::TupleColumn> filtered_old_;
  std::vector<pgoutput::TupleColumn> filtered_new_;
  event::MessageEncoder message_encoder_;
  event::HeartbeatEncoder heartbeat_encoder_;
  std::vector<std::regex> message_include_;
  std::vector<std::regex> message_exclude_;
  absl::flat_hash_map<RelationId, TableState> tables_;
  pgoutput::Message message_;
  pgoutput::Message replayed_;
  Xid stream_xid_;  // Of the current streamed block.
  absl::flat_hash_map<Xid, StreamedTransaction> streamed_;
  uint64_t streamed_bytes_ = 0;
  uint64_t streamed_memory_bytes_ = 0;
  size_t spill_files_ = 0;
  std::string spill_directory_;
  absl::Status spill_error_;  // The first spill file error; returned by every later Handle.

  bool in_transaction_ = false;
  bool skipping_ = false;  // The current transaction is one the sink has.
  Lsn skip_before_;
  bool sink_open_ = false;
  TransactionInfo txn_;
  event::ChangeContext context_;
  std::string origin_name_;  // Owns context_.origin.
  // provide.transaction.metadata: Debezium's TransactionContext.
  event::TransactionOrder tx_order_;
  std::string tx_id_;  // Owns tx_order_.id: "<xid>:<lsn>".
  uint64_t tx_seq_ = 0;
  std::vector<CollectionCount> tx_collections_;
  size_t tx_collections_used_ = 0;
  std::vector<event::DataCollectionCount> tx_end_counts_;
  size_t tx_hash_capacity_ = 16;  // Of Debezium's HashMap, which never shrinks.
  Lsn last_delivered_end_;
  Lsn last_seen_end_;
  PipelineCounters counters_;
  // WatchChange's keys, kept so that their buffers are reused.
  std::string window_key_;
  std::string window_old_key_;
};

}  // namespace trackops::engine

#endif  // TRACKOPS_ENGINE_CHANGE_PIPELINE_H_
