#include "engine/change_pipeline.h"

#include <algorithm>
#include <optional>
#include <random>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "schema/column_selection.h"
#include "snapshot/changed_rows.h"
#include "trackops/version.h"
#include "util/arithmetic.h"
#include "util/log.h"
#include "util/status_macros.h"

namespace trackops::engine {
namespace {

// Adds the WAL position to a decoding or encoding error.
absl::Status AtLsn(const absl::Status& s, Lsn lsn) {
  return absl::Status(s.code(),
                      absl::StrCat(s.message(), " (at WAL position ", lsn.ToString(), ")"));
}

std::string RandomUuid() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd());
  uint64_t hi = gen(), lo = gen();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                  // Version 4.
  lo = (lo & ~(0xC000ULL << 48)) | (0x8000ULL << 48);  // Variant 1.
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF,
                         lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

}  // namespace

event::EncoderOptions EncoderOptionsFor(const ConnectorConfig& c) {
  event::EncoderOptions o;
  o.topic_prefix = c.topic_prefix;
  o.database_name = c.dbname;
  o.connector_version = absl::StrCat("trackops-", TRACKOPS_VERSION);
  o.key_schemas_enable = c.key_schemas_enable;
  o.value_schemas_enable = c.value_schemas_enable;
  o.header_schemas_enable = c.header_schemas_enable;
  o.tombstones_on_delete = c.tombstones_on_delete;
  o.type_modes.decimal = c.decimal_handling_mode;
  o.type_modes.time = c.time_precision_mode;
  o.type_modes.binary = c.binary_handling_mode;
  o.type_modes.interval = c.interval_handling_mode;
  o.type_modes.hstore = c.hstore_handling_mode;
  o.run_id = RandomUuid();
  return o;
}

absl::StatusOr<std::unique_ptr<ChangePipeline>> ChangePipeline::Create(
    const ConnectorConfig& config, schema::Catalog* catalog, Sink* sink) {
  pgoutput::DecoderOptions options;
  options.protocol_version = config.protocol_version;
  options.streaming_parallel = config.streaming == StreamingMode::kParallel;
  TRACKOPS_ASSIGN_OR_RETURN(std::unique_ptr<pgoutput::Decoder> decoder,
                            pgoutput::Decoder::Create(options));
  TRACKOPS_ASSIGN_OR_RETURN(std::unique_ptr<pgoutput::Decoder> replay_decoder,
                            pgoutput::Decoder::Create(options));
  if (config.streaming != StreamingMode::kOff) {
    TRACKOPS_RETURN_IF_ERROR(CheckSpillDirectory(SpillDirectory(config.streaming_spill_directory)));
  }
  return std::unique_ptr<ChangePipeline>(
      new ChangePipeline(config, catalog, sink, std::move(decoder), std::move(replay_decoder)));
}

ChangePipeline::ChangePipeline(const ConnectorConfig& config, schema::Catalog* catalog, Sink* sink,
                               std::unique_ptr<pgoutput::Decoder> decoder,
                               std::unique_ptr<pgoutput::Decoder> replay_decoder)
    : config_(config),
      filter_(config.table_include_list, config.table_exclude_list),
      column_filter_(config.column_include_list, config.column_exclude_list),
      sink_(sink),
      decoder_(std::move(decoder)),
      replay_decoder_(std::move(replay_decoder)),
      schemas_(catalog),
      encoder_(EncoderOptionsFor(config)),
      transaction_encoder_(encoder_.options()),
      message_encoder_(encoder_.options()),
      heartbeat_encoder_(encoder_.options(), config.heartbeat_topic_prefix),
      spill_directory_(SpillDirectory(config.streaming_spill_directory)) {
  // Patterns were checked by Config::FromProperties.
  for (const std::string& p : config.message_prefix_include_list) message_include_.emplace_back(p);
  for (const std::string& p : config.message_prefix_exclude_list) message_exclude_.emplace_back(p);
}

ChangePipeline::CollectionCount& ChangePipeline::NewCollection() {
  if (tx_collections_.size() <= tx_collections_used_) tx_collections_.emplace_back();
  CollectionCount& c = tx_collections_[tx_collections_used_++];
  c.count = 0;
  return c;
}

void ChangePipeline::CountEvent(TableState& table, Lsn lsn) {
  if (!config_.provide_transaction_metadata) {
    context_.transaction = nullptr;
    return;
  }
  if (table.tx_seq != tx_seq_) {
    // First event of this table in the transaction.
    table.tx_seq = tx_seq_;
    table.tx_slot = tx_collections_used_;
    CollectionCount& c = NewCollection();
    c.name.assign(table.schema->schema_name);
    c.name.push_back('.');
    c.name.append(table.schema->table_name);
  }
  // Debezium's id: "<xid>:<lsn>" with the LSN of the event.
  tx_id_.clear();
  absl::StrAppend(&tx_id_, txn_.xid.value(), ":", lsn.value());
  tx_order_.id = tx_id_;
  tx_order_.data_collection_order = &tx_collections_[table.tx_slot].count;
  context_.transaction = &tx_order_;
}

absl::Status ChangePipeline::OnMessage(const pgoutput::LogicalMessage& message, Lsn lsn) {
  auto matches = [&](const std::vector<std::regex>& patterns) {
    for (const std::regex& re : patterns) {
      if (std::regex_match(message.prefix.begin(), message.prefix.end(), re)) return true;
    }
    return false;
  };
  if ((!message_include_.empty() && !matches(message_include_)) ||
      (!message_exclude_.empty() && matches(message_exclude_))) {
    ++counters_.skipped;
    return absl::OkStatus();
  }
  auto emit = [this](const Record& r) { return Emit(r); };
  if (message.transactional()) {
    if (!in_transaction_) {
      return AtLsn(absl::DataLossError("pgoutput transactional Message outside a transaction"),
                   lsn);
    }
    if (skipping_) return absl::OkStatus();
    context_.lsn = lsn;
    context_.processing_time_ns = absl::GetCurrentTimeNanos();
    context_.transaction = nullptr;
    if (config_.provide_transaction_metadata) {
      // Debezium counts the message as an event of a data collection of its
      // own, named by Object.toString() of a new LogicalDecodingMessageId:
      // "...$LogicalDecodingMessageId@<identity hash>". The hash is random;
      // TrackOps writes the LSN's low 32 bits in its place.
      CollectionCount& c = NewCollection();
      c.name.assign(
          "io.debezium.connector.postgresql.LogicalDecodingMessageMonitor$"
          "LogicalDecodingMessageId@");
      absl::StrAppend(&c.name, absl::Hex(lsn.value() & 0xFFFFFFFFu));
      tx_id_.clear();
      absl::StrAppend(&tx_id_, txn_.xid.value(), ":", lsn.value());
      tx_order_.id = tx_id_;
      tx_order_.data_collection_order = &c.count;
      context_.transaction = &tx_order_;
    }
    absl::Status s = message_encoder_.Encode(message, context_, emit);
    return s.ok() || s.code() == absl::StatusCode::kUnavailable ? s : AtLsn(s, lsn);
  }
  if (in_transaction_) {
    return AtLsn(absl::DataLossError("pgoutput non-transactional Message inside a transaction"),
                 lsn);
  }
  // Sent on its own, at its position (the end of its WAL record), outside any
  // transaction: delivered to the sink as a transaction of its own whose
  // commit and end LSN are that position, so the flush LSN passes it only
  // once it is durable. Debezium has no commit time or xid for it and treats
  // it as a commit (source.sequence's first entry becomes its LSN).
  context_.last_commit_lsn = lsn;
  last_seen_end_ = lsn;
  if (lsn < skip_before_) return absl::OkStatus();  // The sink has it already.
  event::ChangeContext context;
  context.lsn = lsn;
  context.last_commit_lsn = lsn;
  context.processing_time_ns = absl::GetCurrentTimeNanos();
  txn_ = TransactionInfo{Xid(), lsn, Lsn(), context.processing_time_ns / 1000};
  TRACKOPS_RETURN_IF_ERROR(message_encoder_.Encode(message, context, emit));
  txn_.end_lsn = lsn;
  if (sink_open_) {
    sink_open_ = false;
    TRACKOPS_RETURN_IF_ERROR(sink_->CommitTransaction(txn_));
    last_delivered_end_ = lsn;
    ++counters_.transactions;
  }
  return absl::OkStatus();
}

absl::Status ChangePipeline::Heartbeat(Lsn position, int64_t ts_ms) {
  if (in_transaction_ || sink_open_) {
    return absl::FailedPreconditionError("a heartbeat cannot be sent inside a transaction");
  }
  txn_ = TransactionInfo{Xid(), position, position, ts_ms * 1000};
  TRACKOPS_RETURN_IF_ERROR(sink_->BeginTransaction(txn_));
  sink_open_ = true;
  TRACKOPS_RETURN_IF_ERROR(heartbeat_encoder_.Encode(
      ts_ms, position, [this](const Record& r) { return sink_->Write(r); }));
  sink_open_ = false;
  TRACKOPS_RETURN_IF_ERROR(sink_->CommitTransaction(txn_));
  last_delivered_end_ = std::max(last_delivered_end_, position);
  ++counters_.heartbeats;
  return absl::OkStatus();
}

absl::Status ChangePipeline::EnsureSinkTransaction() {
  if (sink_open_) return absl::OkStatus();
  TRACKOPS_RETURN_IF_ERROR(sink_->BeginTransaction(txn_));
  sink_open_ = true;
  return absl::OkStatus();
}

absl::Status ChangePipeline::Emit(const Record& record) {
  TRACKOPS_RETURN_IF_ERROR(EnsureSinkTransaction());
  TRACKOPS_RETURN_IF_ERROR(sink_->Write(record));
  ++counters_.events;
  return absl::OkStatus();
}

absl::Status ChangePipeline::OnRelation(const pgoutput::Relation& relation) {
  TRACKOPS_ASSIGN_OR_RETURN(const schema::TableSchema* schema, schemas_.Update(relation));
  TableState& state = tables_[relation.relation_id];
  state.schema = schema;
  state.encoding.reset();
  state.kept_columns.clear();
  state.key_positions.clear();
  state.signal = false;
  if (incremental_ != nullptr) {
    for (size_t i = 0; i < schema->columns.size(); ++i) {
      if (schema->columns[i].is_key) state.key_positions.push_back(i);
    }
    if (incremental_->IsSignalTable(schema->schema_name, schema->table_name)) {
      static constexpr const char* kNames[3] = {"id", "type", "data"};
      int found = 0;
      for (int n = 0; n < 3; ++n) {
        for (size_t i = 0; i < schema->columns.size(); ++i) {
          if (schema->columns[i].name == kNames[n]) {
            state.signal_columns[n] = i;
            ++found;
            break;
          }
        }
      }
      state.signal = found == 3;
      if (!state.signal) {
        Log(LogLevel::kError,
            "signal table %s.%s needs the columns id, type and data; its rows are not signals",
            schema->schema_name, schema->table_name);
      }
    }
  }
  // The signal table is captured whatever the filters say, as in Debezium.
  state.included = filter_.Includes(schema->schema_name, schema->table_name) || state.signal;
  if (!state.included) return absl::OkStatus();
  // column.include.list / column.exclude.list against "schema.table.column".
  schema::ColumnSelection selection = schema::SelectColumns(*schema, column_filter_);
  state.kept_columns = std::move(selection.kept);
  TRACKOPS_ASSIGN_OR_RETURN(state.encoding, encoder_.NewTableEncoding(selection.table));
  return absl::OkStatus();
}

pgoutput::Tuple ChangePipeline::FilterTuple(const TableState& table, pgoutput::Tuple tuple,
                                            std::vector<pgoutput::TupleColumn>* out) {
  // A tuple of another width is left whole: the encoder reports the mismatch.
  if (tuple.empty() || tuple.size() != table.schema->columns.size()) return tuple;
  out->clear();
  for (size_t i : table.kept_columns) out->push_back(tuple[i]);
  return pgoutput::Tuple(*out);
}

pgoutput::Insert ChangePipeline::FilterColumns(const TableState& table, const pgoutput::Insert& m) {
  pgoutput::Insert f = m;
  f.new_tuple = FilterTuple(table, m.new_tuple, &filtered_new_);
  return f;
}

pgoutput::Update ChangePipeline::FilterColumns(const TableState& table, const pgoutput::Update& m) {
  pgoutput::Update f = m;
  f.new_tuple = FilterTuple(table, m.new_tuple, &filtered_new_);
  f.old_tuple = FilterTuple(table, m.old_tuple, &filtered_old_);
  return f;
}

pgoutput::Delete ChangePipeline::FilterColumns(const TableState& table, const pgoutput::Delete& m) {
  pgoutput::Delete f = m;
  f.old_tuple = FilterTuple(table, m.old_tuple, &filtered_old_);
  return f;
}

absl::StatusOr<ChangePipeline::TableState*> ChangePipeline::TableFor(RelationId id,
                                                                     const char* what) {
  auto it = tables_.find(id);
  if (it == tables_.end()) {
    return absl::DataLossError(absl::StrCat("pgoutput ", what, " for relation ", id.value(),
                                            " that no Relation message described"));
  }
  return &it->second;
}

namespace {

// The xid carried by a message sent inside a streamed block (that of the
// subtransaction that made the change), or nullopt for other messages.
std::optional<Xid> StreamedXidOf(const pgoutput::Message& message) {
  return std::visit(
      [](const auto& m) -> std::optional<Xid> {
        using M = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<M, pgoutput::Relation> || std::is_same_v<M, pgoutput::Type> ||
                      std::is_same_v<M, pgoutput::Insert> || std::is_same_v<M, pgoutput::Update> ||
                      std::is_same_v<M, pgoutput::Delete> ||
                      std::is_same_v<M, pgoutput::Truncate> ||
                      std::is_same_v<M, pgoutput::LogicalMessage>) {
          return m.xid;
        } else {
          return std::nullopt;
        }
      },
      message);
}

// A Stream Start / Stream Stop message for the replay decoder.
std::vector<uint8_t> StreamStartBytes(Xid xid) {
  uint32_t v = xid.value();
  return {'S',
          static_cast<uint8_t>(v >> 24),
          static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 8),
          static_cast<uint8_t>(v),
          0};
}
const std::vector<uint8_t> kStreamStopBytes = {'E'};

}  // namespace

absl::Status ChangePipeline::Handle(Lsn lsn, std::span<const uint8_t> payload) {
  if (!spill_error_.ok()) return spill_error_;
  absl::Status decoded = decoder_->Decode(payload, &message_);
  if (!decoded.ok()) return AtLsn(decoded, lsn);

  if (decoder_->in_streamed_block()) {
    if (auto* m = std::get_if<pgoutput::StreamStart>(&message_)) {
      stream_xid_ = m->xid;
      return absl::OkStatus();
    }
    // A change of an in-progress transaction: kept until its Stream Commit,
    // because its commit time, and whether it commits at all, are unknown.
    std::optional<Xid> subxid = StreamedXidOf(message_);
    if (!subxid.has_value()) {
      return AtLsn(absl::DataLossError(absl::StrCat(
                       "pgoutput ", pgoutput::MessageTypeName(static_cast<char>(payload[0])),
                       " inside a streamed block")),
                   lsn);
    }
    absl::Status held = HoldStreamed(stream_xid_, lsn, *subxid, payload);
    if (!held.ok()) spill_error_ = held;
    return held;
  }
  if (std::holds_alternative<pgoutput::StreamStop>(message_)) return absl::OkStatus();
  if (auto* m = std::get_if<pgoutput::StreamAbort>(&message_)) {
    auto it = streamed_.find(m->xid);
    if (it == streamed_.end()) return absl::OkStatus();  // Nothing was streamed for it.
    if (m->subxid == m->xid) {
      // Closing its spill file, if any, deletes it.
      StreamedTransaction& txn = it->second;
      streamed_bytes_ -= txn.size;
      if (txn.spill != nullptr) {
        --spill_files_;
      } else {
        streamed_memory_bytes_ -= txn.held.memory_bytes();
      }
      streamed_.erase(it);
    } else {
      it->second.aborted_subxids.insert(m->subxid);
    }
    return absl::OkStatus();
  }
  if (auto* m = std::get_if<pgoutput::StreamCommit>(&message_)) {
    return ReplayStreamed(*m, lsn);
  }
  return Dispatch(message_, lsn);
}

absl::Status ChangePipeline::HoldStreamed(Xid xid, Lsn lsn, Xid subxid,
                                          std::span<const uint8_t> payload) {
  StreamedTransaction& txn = streamed_[xid];
  if (txn.size == 0) txn.first_lsn = lsn;
  const uint64_t limit =
      static_cast<uint64_t>(std::max<int64_t>(config_.streaming_memory_bytes, 0));
  // Over the limit: spill the largest transaction held in memory, this one
  // counted with its new change, until the change fits or this one spilled.
  while (txn.spill == nullptr &&
         streamed_memory_bytes_ + HeldChanges::MemoryFor(payload.size()) > limit) {
    Xid victim_xid = xid;
    StreamedTransaction* victim = &txn;
    uint64_t victim_bytes = txn.held.memory_bytes() + HeldChanges::MemoryFor(payload.size());
    for (auto& [other_xid, other] : streamed_) {
      if (other.spill == nullptr && other.held.memory_bytes() > victim_bytes) {
        victim_xid = other_xid;
        victim = &other;
        victim_bytes = other.held.memory_bytes();
      }
    }
    TRACKOPS_RETURN_IF_ERROR(Spill(victim_xid, *victim));
  }
  txn.size += payload.size();
  streamed_bytes_ += payload.size();
  if (txn.spill != nullptr) {
    counters_.spilled_bytes += payload.size();
    absl::Status s = txn.spill->Append(lsn, subxid, payload);
    return s.ok() ? s : AtLsn(s, lsn);
  }
  txn.held.Append(lsn, subxid, payload);
  streamed_memory_bytes_ += HeldChanges::MemoryFor(payload.size());
  return absl::OkStatus();
}

absl::Status ChangePipeline::Spill(Xid xid, StreamedTransaction& txn) {
  Log(LogLevel::kInfo,
      "streamed transaction %d: spilling its %d bytes so far to %s "
      "(trackops.pgoutput.streaming.memory.bytes %d reached)",
      xid.value(), txn.size, spill_directory_, config_.streaming_memory_bytes);
  TRACKOPS_ASSIGN_OR_RETURN(txn.spill, SpillFile::Create(spill_directory_));
  ++spill_files_;
  ++counters_.spilled_transactions;
  for (size_t i = 0; i < txn.held.size(); ++i) {
    HeldChanges::Change change = txn.held[i];
    // Changes of subtransactions rolled back already are left out.
    if (txn.aborted_subxids.contains(change.subxid)) continue;
    TRACKOPS_RETURN_IF_ERROR(txn.spill->Append(change.lsn, change.subxid, change.bytes));
    counters_.spilled_bytes += change.bytes.size();
  }
  streamed_memory_bytes_ -= txn.held.memory_bytes();
  txn.held.Release();
  return absl::OkStatus();
}

absl::Status ChangePipeline::ReplayOne(std::span<const uint8_t> bytes, Lsn lsn) {
  absl::Status s = replay_decoder_->Decode(bytes, &replayed_);
  if (!s.ok()) return AtLsn(s, lsn);
  return Dispatch(replayed_, lsn);
}

absl::Status ChangePipeline::ReplayStreamed(const pgoutput::StreamCommit& commit, Lsn lsn) {
  if (in_transaction_) {
    return AtLsn(absl::DataLossError("pgoutput Stream Commit inside an open transaction"), lsn);
  }
  auto it = streamed_.find(commit.xid);
  // The BEGIN record's position: that of the transaction's first change.
  Lsn begin_lsn = it != streamed_.end() ? it->second.first_lsn : lsn;
  TRACKOPS_RETURN_IF_ERROR(BeginTransaction(
      TransactionInfo{commit.xid, commit.commit_lsn, Lsn(), commit.commit_time}, begin_lsn));
  if (it != streamed_.end()) {
    StreamedTransaction txn = std::move(it->second);
    streamed_.erase(it);
    streamed_bytes_ -= txn.size;
    TRACKOPS_RETURN_IF_ERROR(replay_decoder_->Decode(StreamStartBytes(commit.xid), &replayed_));
    if (txn.spill != nullptr) {
      // Closed, and so deleted, when `txn` goes, whether replay succeeds or not.
      --spill_files_;
      absl::Status s = txn.spill->StartReading();
      if (!s.ok()) return spill_error_ = AtLsn(s, lsn);
      SpillFile::Record record;
      while (true) {
        absl::StatusOr<bool> more = txn.spill->Read(&record);
        if (!more.ok()) return spill_error_ = AtLsn(more.status(), lsn);
        if (!*more) break;
        if (txn.aborted_subxids.contains(record.subxid)) continue;
        TRACKOPS_RETURN_IF_ERROR(ReplayOne(record.bytes, record.lsn));
      }
    } else {
      streamed_memory_bytes_ -= txn.held.memory_bytes();
      for (size_t i = 0; i < txn.held.size(); ++i) {
        HeldChanges::Change change = txn.held[i];
        if (txn.aborted_subxids.contains(change.subxid)) continue;
        TRACKOPS_RETURN_IF_ERROR(ReplayOne(change.bytes, change.lsn));
      }
    }
    TRACKOPS_RETURN_IF_ERROR(replay_decoder_->Decode(kStreamStopBytes, &replayed_));
  }
  return CommitTransaction(commit.commit_lsn, commit.end_lsn, lsn);
}

absl::Status ChangePipeline::BeginTransaction(const TransactionInfo& txn, Lsn lsn) {
  in_transaction_ = true;
  skipping_ = txn.commit_lsn < skip_before_;
  if (skipping_) ++counters_.already_delivered;
  txn_ = txn;
  context_.commit_time = txn.commit_time;
  context_.xid = txn.xid;
  context_.origin = {};
  context_.origin_lsn = Lsn();
  context_.transaction = nullptr;
  origin_name_.clear();
  if (!config_.provide_transaction_metadata || skipping_) return absl::OkStatus();
  // PostgresTransactionMonitor: a BEGIN record at every Begin, even when no
  // change of the transaction is captured; id "<xid>:<Begin's LSN>".
  ++tx_seq_;
  tx_collections_used_ = 0;
  tx_order_.total_order = 0;
  tx_id_.clear();
  absl::StrAppend(&tx_id_, txn.xid.value(), ":", lsn.value());
  return transaction_encoder_.EncodeBegin(tx_id_, FloorDiv(txn.commit_time, 1000), lsn,
                                          [this](const Record& r) { return Emit(r); });
}

absl::Status ChangePipeline::CommitTransaction(Lsn commit_lsn, Lsn end_lsn, Lsn lsn) {
  if (commit_lsn != txn_.commit_lsn) {
    return AtLsn(absl::DataLossError(absl::StrCat("pgoutput Commit LSN ", commit_lsn.ToString(),
                                                  " does not match its Begin's final LSN ",
                                                  txn_.commit_lsn.ToString())),
                 lsn);
  }
  txn_.end_lsn = end_lsn;
  if (config_.provide_transaction_metadata && !skipping_) {
    // The END record: id "<xid>:<Commit's LSN>", the per-table counts in the
    // iteration order of Debezium's HashMap.
    tx_end_counts_.clear();
    for (size_t i = 0; i < tx_collections_used_; ++i) {
      tx_end_counts_.push_back({tx_collections_[i].name, tx_collections_[i].count});
    }
    tx_hash_capacity_ =
        std::max(tx_hash_capacity_, event::JavaHashMapCapacity(tx_collections_used_));
    event::OrderLikeJavaHashMap(tx_end_counts_, tx_hash_capacity_);
    tx_id_.clear();
    absl::StrAppend(&tx_id_, txn_.xid.value(), ":", lsn.value());
    TRACKOPS_RETURN_IF_ERROR(transaction_encoder_.EncodeEnd(
        tx_id_, tx_order_.total_order, tx_end_counts_, FloorDiv(txn_.commit_time, 1000), lsn,
        [this](const Record& r) { return Emit(r); }));
  }
  in_transaction_ = false;
  context_.last_commit_lsn = lsn;
  last_seen_end_ = end_lsn;
  if (sink_open_) {
    sink_open_ = false;
    txn_.incremental_snapshot = incremental_ != nullptr ? &incremental_->state() : nullptr;
    TRACKOPS_RETURN_IF_ERROR(sink_->CommitTransaction(txn_));
    last_delivered_end_ = end_lsn;
    ++counters_.transactions;
  }
  return absl::OkStatus();
}

absl::Status ChangePipeline::WatchInsert(const pgoutput::Insert& m) {
  auto state = tables_.find(m.relation_id);
  if (state == tables_.end()) return absl::OkStatus();
  const TableState& table = state->second;
  if (!table.signal) {
    WatchChange(m.relation_id, m.new_tuple, pgoutput::Tuple());
    return absl::OkStatus();
  }
  std::string_view values[3];
  for (int n = 0; n < 3; ++n) {
    const size_t at = table.signal_columns[n];
    if (at < m.new_tuple.size() && m.new_tuple[at].kind == pgoutput::TupleKind::kText) {
      values[n] = m.new_tuple[at].data;
    }
  }
  return incremental_->OnSignal(values[0], values[1], values[2], context_,
                                [this](const Record& r) { return Emit(r); });
}

void ChangePipeline::WatchChange(RelationId relation, pgoutput::Tuple row, pgoutput::Tuple old) {
  if (relation != incremental_->window_table()) return;
  auto state = tables_.find(relation);
  if (state == tables_.end()) return;
  // The key of the row as it is now, and for an update that changed the key
  // the old one, whose row it ends.
  const std::vector<size_t>& key = state->second.key_positions;
  window_key_.clear();
  if (!snapshot::AppendTupleIdentity(&window_key_, key, row, old)) return;
  incremental_->OnWindowChange(window_key_);
  if (!old.empty() && old.size() == row.size()) {
    window_old_key_.clear();
    if (snapshot::AppendTupleIdentity(&window_old_key_, key, old, pgoutput::Tuple()) &&
        window_old_key_ != window_key_) {
      incremental_->OnWindowChange(window_old_key_);
    }
  }
}

absl::Status ChangePipeline::Dispatch(const pgoutput::Message& message, Lsn lsn) {
  context_.lsn = lsn;
  auto in_txn = [&](const char* what) -> absl::Status {
    if (in_transaction_) return absl::OkStatus();
    return AtLsn(absl::DataLossError(absl::StrCat("pgoutput ", what, " outside a transaction")),
                 lsn);
  };
  auto row = [&](const auto& msg, const char* what, bool skip, auto encode) -> absl::Status {
    TRACKOPS_RETURN_IF_ERROR(in_txn(what));
    if (skipping_) return absl::OkStatus();
    TRACKOPS_ASSIGN_OR_RETURN(TableState * table, TableFor(msg.relation_id, what));
    if (!table->included || skip) {
      ++counters_.skipped;
      return absl::OkStatus();
    }
    CountEvent(*table, lsn);
    context_.processing_time_ns = absl::GetCurrentTimeNanos();
    absl::Status s = table->kept_columns.empty()
                         ? encode(*table->encoding, msg)
                         : encode(*table->encoding, FilterColumns(*table, msg));
    if (!s.ok() && s.code() != absl::StatusCode::kUnavailable) return AtLsn(s, lsn);
    return s;
  };
  auto emit = [this](const Record& r) { return Emit(r); };

  if (auto* m = std::get_if<pgoutput::Insert>(&message)) {
    TRACKOPS_RETURN_IF_ERROR(row(*m, "Insert", config_.skip_creates,
                                 [&](const event::TableEncoding& t, const pgoutput::Insert& i) {
                                   return encoder_.EncodeInsert(t, i, context_, emit);
                                 }));
    if (ABSL_PREDICT_FALSE(incremental_ != nullptr) && !skipping_) {
      absl::Status s = WatchInsert(*m);
      if (!s.ok() && s.code() != absl::StatusCode::kUnavailable) return AtLsn(s, lsn);
      return s;
    }
    return absl::OkStatus();
  }
  if (auto* m = std::get_if<pgoutput::Update>(&message)) {
    TRACKOPS_RETURN_IF_ERROR(row(*m, "Update", config_.skip_updates,
                                 [&](const event::TableEncoding& t, const pgoutput::Update& u) {
                                   return encoder_.EncodeUpdate(t, u, context_, emit);
                                 }));
    if (ABSL_PREDICT_FALSE(incremental_ != nullptr) && !skipping_) {
      WatchChange(m->relation_id, m->new_tuple, m->old_tuple);
    }
    return absl::OkStatus();
  }
  if (auto* m = std::get_if<pgoutput::Delete>(&message)) {
    TRACKOPS_RETURN_IF_ERROR(row(*m, "Delete", config_.skip_deletes,
                                 [&](const event::TableEncoding& t, const pgoutput::Delete& d) {
                                   return encoder_.EncodeDelete(t, d, context_, emit);
                                 }));
    if (ABSL_PREDICT_FALSE(incremental_ != nullptr) && !skipping_) {
      WatchChange(m->relation_id, m->old_tuple, pgoutput::Tuple());
    }
    return absl::OkStatus();
  }
  if (auto* m = std::get_if<pgoutput::Begin>(&message)) {
    if (in_transaction_) {
      return AtLsn(absl::DataLossError("pgoutput Begin inside an open transaction"), lsn);
    }
    return BeginTransaction(TransactionInfo{m->xid, m->final_lsn, Lsn(), m->commit_time}, lsn);
  }
  if (auto* m = std::get_if<pgoutput::Commit>(&message)) {
    TRACKOPS_RETURN_IF_ERROR(in_txn("Commit"));
    return CommitTransaction(m->commit_lsn, m->end_lsn, lsn);
  }
  if (auto* m = std::get_if<pgoutput::Relation>(&message)) {
    absl::Status s = OnRelation(*m);
    return s.ok() || s.code() == absl::StatusCode::kUnavailable ? s : AtLsn(s, lsn);
  }
  if (auto* m = std::get_if<pgoutput::Origin>(&message)) {
    origin_name_.assign(m->name.data(), m->name.size());
    context_.origin = origin_name_;
    context_.origin_lsn = m->origin_lsn;
    return absl::OkStatus();
  }
  if (std::holds_alternative<pgoutput::Type>(message)) {
    return absl::OkStatus();  // Type names of custom types; not needed for the types mapped.
  }
  if (auto* m = std::get_if<pgoutput::Truncate>(&message)) {
    TRACKOPS_RETURN_IF_ERROR(in_txn("Truncate"));
    if (skipping_) return absl::OkStatus();
    if (config_.skip_truncates) {
      // Debezium's default skipped.operations=t: TRUNCATE emits nothing.
      ++counters_.skipped;
      return absl::OkStatus();
    }
    // One truncate event per table, in the message's order.
    for (RelationId id : m->relation_ids) {
      if (ABSL_PREDICT_FALSE(incremental_ != nullptr) && id == incremental_->window_table()) {
        incremental_->OnWindowTruncate();
      }
      TRACKOPS_ASSIGN_OR_RETURN(TableState * table, TableFor(id, "Truncate"));
      if (!table->included) {
        ++counters_.skipped;
        continue;
      }
      CountEvent(*table, lsn);
      context_.processing_time_ns = absl::GetCurrentTimeNanos();
      absl::Status s = encoder_.EncodeTruncate(*table->encoding, context_, emit);
      if (!s.ok()) return s.code() == absl::StatusCode::kUnavailable ? s : AtLsn(s, lsn);
    }
    return absl::OkStatus();
  }
  if (auto* m = std::get_if<pgoutput::LogicalMessage>(&message)) {
    return OnMessage(*m, lsn);
  }
  return AtLsn(absl::UnimplementedError(
                   "pgoutput two-phase messages were not requested and are not handled"),
               lsn);
}

}  // namespace trackops::engine
