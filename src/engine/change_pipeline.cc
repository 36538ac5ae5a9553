#include "engine/change_pipeline.h"

#include <random>

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
  return std::unique_ptr<ChangePipeline>(
      new ChangePipeline(config, catalog, sink, std::move(decoder)));
}

ChangePipeline::ChangePipeline(const ConnectorConfig& config, schema::Catalog* catalog,
                               Sink* sink, std::unique_ptr<pgoutput::Decoder> decoder)
    : config_(config),
      filter_(config.table_include_list, config.table_exclude_list),
      sink_(sink),
      decoder_(std::move(decoder)),
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

absl::Status ChangePipeline::Handle(Lsn lsn, std::span<const uint8_t> payload) {
  absl::Status decoded = decoder_->Decode(payload, &message_);
  if (!decoded.ok()) return AtLsn(decoded, lsn);

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

  if (auto* m = std::get_if<pgoutput::Insert>(&message_)) {
    return row(*m, "Insert", [&](const event::TableEncoding& t, const pgoutput::Insert& i) {
      return encoder_.EncodeInsert(t, i, context_, emit);
    });
  }
  if (auto* m = std::get_if<pgoutput::Update>(&message_)) {
    return row(*m, "Update", [&](const event::TableEncoding& t, const pgoutput::Update& u) {
      return encoder_.EncodeUpdate(t, u, context_, emit);
    });
  }
  if (auto* m = std::get_if<pgoutput::Delete>(&message_)) {
    return row(*m, "Delete", [&](const event::TableEncoding& t, const pgoutput::Delete& d) {
      return encoder_.EncodeDelete(t, d, context_, emit);
    });
  }
  if (auto* m = std::get_if<pgoutput::Begin>(&message_)) {
    if (in_transaction_) {
      return AtLsn(absl::DataLossError("pgoutput Begin inside an open transaction"), lsn);
    }
    in_transaction_ = true;
    txn_ = TransactionInfo{m->xid, m->final_lsn, Lsn(), m->commit_time};
    context_.commit_time = m->commit_time;
    context_.xid = m->xid;
    context_.origin = {};
    context_.origin_lsn = Lsn();
    origin_name_.clear();
    return absl::OkStatus();
  }
  if (auto* m = std::get_if<pgoutput::Commit>(&message_)) {
    TRACKOPS_RETURN_IF_ERROR(in_txn("Commit"));
    if (m->commit_lsn != txn_.commit_lsn) {
      return AtLsn(absl::DataLossError(absl::StrCat(
                       "pgoutput Commit LSN ", m->commit_lsn.ToString(),
                       " does not match its Begin's final LSN ", txn_.commit_lsn.ToString())),
                   lsn);
    }
    txn_.end_lsn = m->end_lsn;
    in_transaction_ = false;
    context_.last_commit_lsn = lsn;
    last_seen_end_ = m->end_lsn;
    if (sink_open_) {
      sink_open_ = false;
      TRACKOPS_RETURN_IF_ERROR(sink_->CommitTransaction(txn_));
      last_delivered_end_ = m->end_lsn;
      ++counters_.transactions;
    }
    return absl::OkStatus();
  }
  if (auto* m = std::get_if<pgoutput::Relation>(&message_)) {
    absl::Status s = OnRelation(*m);
    return s.ok() || s.code() == absl::StatusCode::kUnavailable ? s : AtLsn(s, lsn);
  }
  if (auto* m = std::get_if<pgoutput::Origin>(&message_)) {
    origin_name_.assign(m->name.data(), m->name.size());
    context_.origin = origin_name_;
    context_.origin_lsn = m->origin_lsn;
    return absl::OkStatus();
  }
  if (std::holds_alternative<pgoutput::Type>(message_)) {
    return absl::OkStatus();  // Type names of custom types; not needed for the types mapped.
  }
  if (std::holds_alternative<pgoutput::Truncate>(message_)) {
    // Debezium's default skipped.operations=t: TRUNCATE emits nothing.
    ++counters_.skipped;
    return absl::OkStatus();
  }
  if (std::holds_alternative<pgoutput::LogicalMessage>(message_)) {
    // Only sent with trackops.pgoutput.messages=true; the .message topic is not
    // produced yet.
    ++counters_.skipped;
    return absl::OkStatus();
  }
  return AtLsn(absl::UnimplementedError(absl::StrCat(
                   "pgoutput message type '", std::string(1, static_cast<char>(payload[0])),
                   "' (streaming or two-phase) was not requested and is not handled")),
               lsn);
}

}  // namespace trackops::engine
