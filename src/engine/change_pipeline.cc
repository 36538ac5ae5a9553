#include "engine/change_pipeline.h"

#include <optional>
#include <random>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "trackops/version.h"
#include "util/status_macros.h"

namespace trackops::engine {
namespace {

// Adds the WAL position to a decoding or encoding error.
absl::Status AtLsn(const absl::Status& s, Lsn lsn) {
  return absl::Status(s.code(), absl::StrCat(s.message(), " (at WAL position ", lsn.ToString(), ")"));
}

std::string RandomUuid() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd());
  uint64_t hi = gen(), lo = gen();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                         // Version 4.
  lo = (lo & ~(0xC000ULL << 48)) | (0x8000ULL << 48);        // Variant 1.
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF,
                         lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

event::EncoderOptions EncoderOptionsFor(const ConnectorConfig& c) {
  event::EncoderOptions o;
  o.topic_prefix = c.topic_prefix;
  o.database_name = c.dbname;
  o.connector_version = absl::StrCat("trackops-", TRACKOPS_VERSION);
  o.key_schemas_enable = c.key_schemas_enable;
  o.value_schemas_enable = c.value_schemas_enable;
  o.header_schemas_enable = c.header_schemas_enable;
  o.tombstones_on_delete = c.tombstones_on_delete;
  o.run_id = RandomUuid();
  return o;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChangePipeline>> ChangePipeline::Create(
    const ConnectorConfig& config, schema::Catalog* catalog, Sink* sink) {
  pgoutput::DecoderOptions options;
  options.protocol_version = config.protocol_version;
  options.streaming_parallel = config.streaming == StreamingMode::kParallel;
  TRACKOPS_ASSIGN_OR_RETURN(std::unique_ptr<pgoutput::Decoder> decoder,
                            pgoutput::Decoder::Create(options));
  TRACKOPS_ASSIGN_OR_RETURN(std::unique_ptr<pgoutput::Decoder> replay_decoder,
                            pgoutput::Decoder::Create(options));
  return std::unique_ptr<ChangePipeline>(new ChangePipeline(
      config, catalog, sink, std::move(decoder), std::move(replay_decoder)));
}

ChangePipeline::ChangePipeline(const ConnectorConfig& config, schema::Catalog* catalog,
                               Sink* sink, std::unique_ptr<pgoutput::Decoder> decoder,
                               std::unique_ptr<pgoutput::Decoder> replay_decoder)
    : config_(config),
      filter_(config.table_include_list, config.table_exclude_list),
      sink_(sink),
      decoder_(std::move(decoder)),
      replay_decoder_(std::move(replay_decoder)),
      schemas_(catalog),
      encoder_(EncoderOptionsFor(config)) {}

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
  state.included = filter_.Includes(schema->schema_name, schema->table_name);
  state.encoding.reset();
  if (state.included) {
    TRACKOPS_ASSIGN_OR_RETURN(state.encoding, encoder_.NewTableEncoding(*schema));
  }
  return absl::OkStatus();
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
  return {'S', static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v), 0};
}
const std::vector<uint8_t> kStreamStopBytes = {'E'};

}  // namespace

absl::Status ChangePipeline::Handle(Lsn lsn, std::span<const uint8_t> payload) {
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
    StreamedTransaction& txn = streamed_[stream_xid_];
    txn.messages.push_back(
        {txn.bytes.size(), payload.size(), lsn, *subxid});
    txn.bytes.insert(txn.bytes.end(), payload.begin(), payload.end());
    streamed_bytes_ += payload.size();
    return absl::OkStatus();
  }
  if (std::holds_alternative<pgoutput::StreamStop>(message_)) return absl::OkStatus();
  if (auto* m = std::get_if<pgoutput::StreamAbort>(&message_)) {
    auto it = streamed_.find(m->xid);
    if (it == streamed_.end()) return absl::OkStatus();  // Nothing was streamed for it.
    if (m->subxid == m->xid) {
      streamed_bytes_ -= it->second.bytes.size();
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

absl::Status ChangePipeline::ReplayStreamed(const pgoutput::StreamCommit& commit, Lsn lsn) {
  if (in_transaction_) {
    return AtLsn(absl::DataLossError("pgoutput Stream Commit inside an open transaction"), lsn);
  }
  TRACKOPS_RETURN_IF_ERROR(BeginTransaction(
      TransactionInfo{commit.xid, commit.commit_lsn, Lsn(), commit.commit_time}));
  auto it = streamed_.find(commit.xid);
  if (it != streamed_.end()) {
    StreamedTransaction txn = std::move(it->second);
    streamed_.erase(it);
    streamed_bytes_ -= txn.bytes.size();
    TRACKOPS_RETURN_IF_ERROR(replay_decoder_->Decode(StreamStartBytes(commit.xid), &replayed_));
    for (const StreamedMessage& sm : txn.messages) {
      if (txn.aborted_subxids.contains(sm.subxid)) continue;
      std::span<const uint8_t> bytes(txn.bytes.data() + sm.offset, sm.size);
      absl::Status s = replay_decoder_->Decode(bytes, &replayed_);
      if (!s.ok()) return AtLsn(s, sm.lsn);
      TRACKOPS_RETURN_IF_ERROR(Dispatch(replayed_, sm.lsn));
    }
    TRACKOPS_RETURN_IF_ERROR(replay_decoder_->Decode(kStreamStopBytes, &replayed_));
  }
  return CommitTransaction(commit.commit_lsn, commit.end_lsn, lsn);
}

absl::Status ChangePipeline::BeginTransaction(const TransactionInfo& txn) {
  in_transaction_ = true;
  txn_ = txn;
  context_.commit_time = txn.commit_time;
  context_.xid = txn.xid;
  context_.origin = {};
  context_.origin_lsn = Lsn();
  origin_name_.clear();
  return absl::OkStatus();
}

absl::Status ChangePipeline::CommitTransaction(Lsn commit_lsn, Lsn end_lsn, Lsn lsn) {
  if (commit_lsn != txn_.commit_lsn) {
    return AtLsn(absl::DataLossError(absl::StrCat("pgoutput Commit LSN ", commit_lsn.ToString(),
                                                  " does not match its Begin's final LSN ",
                                                  txn_.commit_lsn.ToString())),
                 lsn);
  }
  txn_.end_lsn = end_lsn;
  in_transaction_ = false;
  context_.last_commit_lsn = lsn;
  last_seen_end_ = end_lsn;
  if (sink_open_) {
    sink_open_ = false;
    TRACKOPS_RETURN_IF_ERROR(sink_->CommitTransaction(txn_));
    last_delivered_end_ = end_lsn;
    ++counters_.transactions;
  }
  return absl::OkStatus();
}

absl::Status ChangePipeline::Dispatch(const pgoutput::Message& message, Lsn lsn) {
  context_.lsn = lsn;
  auto in_txn = [&](const char* what) -> absl::Status {
    if (in_transaction_) return absl::OkStatus();
    return AtLsn(absl::DataLossError(absl::StrCat("pgoutput ", what, " outside a transaction")),
                 lsn);
  };
  auto row = [&](const auto& msg, const char* what, auto encode) -> absl::Status {
    TRACKOPS_RETURN_IF_ERROR(in_txn(what));
    TRACKOPS_ASSIGN_OR_RETURN(TableState * table, TableFor(msg.relation_id, what));
    if (!table->included) {
      ++counters_.skipped;
      return absl::OkStatus();
    }
    context_.processing_time_ns = absl::GetCurrentTimeNanos();
    absl::Status s = encode(*table->encoding, msg);
    if (!s.ok() && s.code() != absl::StatusCode::kUnavailable) return AtLsn(s, lsn);
    return s;
  };
  auto emit = [this](const Record& r) { return Emit(r); };

  if (auto* m = std::get_if<pgoutput::Insert>(&message)) {
    return row(*m, "Insert", [&](const event::TableEncoding& t, const pgoutput::Insert& i) {
      return encoder_.EncodeInsert(t, i, context_, emit);
    });
  }
  if (auto* m = std::get_if<pgoutput::Update>(&message)) {
    return row(*m, "Update", [&](const event::TableEncoding& t, const pgoutput::Update& u) {
      return encoder_.EncodeUpdate(t, u, context_, emit);
    });
  }
  if (auto* m = std::get_if<pgoutput::Delete>(&message)) {
    return row(*m, "Delete", [&](const event::TableEncoding& t, const pgoutput::Delete& d) {
      return encoder_.EncodeDelete(t, d, context_, emit);
    });
  }
  if (auto* m = std::get_if<pgoutput::Begin>(&message)) {
    if (in_transaction_) {
      return AtLsn(absl::DataLossError("pgoutput Begin inside an open transaction"), lsn);
    }
    return BeginTransaction(TransactionInfo{m->xid, m->final_lsn, Lsn(), m->commit_time});
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
  if (std::holds_alternative<pgoutput::Truncate>(message)) {
    // Debezium's default skipped.operations=t: TRUNCATE emits nothing.
    ++counters_.skipped;
    return absl::OkStatus();
  }
  if (std::holds_alternative<pgoutput::LogicalMessage>(message)) {
    // Only sent with trackops.pgoutput.messages=true, which the engine refuses
    // until the .message topic exists.
    ++counters_.skipped;
    return absl::OkStatus();
  }
  return AtLsn(absl::UnimplementedError(
                   "pgoutput two-phase messages were not requested and are not handled"),
               lsn);
}

}  // namespace trackops::engine
