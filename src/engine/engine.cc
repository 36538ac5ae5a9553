#include "trackops/engine.h"

#include <chrono>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "engine/change_pipeline.h"
#include "engine/heartbeat_action.h"
#include "engine/pg_catalog.h"
#include "engine/spill_file.h"
#include "engine/status_keeper.h"
#include "replication/pg_error.h"
#include "replication/replication_stream.h"
#include "replication/source_setup.h"
#include "snapshot/incremental_snapshot.h"
#include "snapshot/initial_snapshot.h"
#include "transforms/transform_chain.h"
#include "transforms/transforming_sink.h"
#include "util/log.h"
#include "util/status_macros.h"

namespace trackops {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long Run() may take to notice Stop().
constexpr milliseconds kStopPollInterval(100);
// A slot still held by the walsender of a client that just died is released
// within moments; retry START_REPLICATION this many times before giving up.
constexpr int kSlotBusyRetries = 10;
constexpr milliseconds kSlotBusyWait(500);

class EngineImpl : public Engine {
 public:
  EngineImpl(const Config& config, Sink* sink, std::unique_ptr<Sink> owned_sink)
      : config_(config), owned_sink_(std::move(owned_sink)), sink_(sink) {}

  absl::Status Run() override;
  void Stop() override { stop_.store(true, std::memory_order_relaxed); }
  EngineStats stats() const override {
    EngineStats out;
    {
      absl::MutexLock lock(&stats_mu_);
      out = stats_;
    }
    out.snapshot_running = snapshot_running_.load(std::memory_order_relaxed);
    out.snapshot_rows = snapshot_progress_.rows.load(std::memory_order_relaxed);
    out.snapshot_tables_done = snapshot_progress_.tables_done.load(std::memory_order_relaxed);
    out.snapshot_tables_total = snapshot_progress_.tables_total.load(std::memory_order_relaxed);
    return out;
  }

 private:
  // One connection's lifetime: set-up, then stream until stopped or failed.
  absl::Status Session(bool* made_progress);
  absl::Status StartStream(replication::ReplicationStream& stream, Lsn start);
  // The flush LSN that may be reported now: never past what the sink made
  // durable; when idle, the server's position from its last keepalive.
  Lsn FlushLsn(const engine::ChangePipeline& pipeline) const;
  absl::Status SendStatus(replication::ReplicationStream& stream,
                          const engine::ChangePipeline& pipeline, bool reply_requested);
  void SleepUnlessStopped(milliseconds duration);
  void PublishStats(const engine::ChangePipeline& pipeline);
  // heartbeat.interval.ms: between transactions, once the interval since the
  // last heartbeat has passed, delivers a heartbeat record and runs
  // heartbeat.action.query (`action`, may be null).
  absl::Status MaybeHeartbeat(engine::ChangePipeline& pipeline, engine::HeartbeatAction* action,
                              Clock::time_point* next_heartbeat);
  // Whether this connection starts with an initial snapshot (snapshot.mode),
  // given the slot and what the sink recorded. May clear `*resume` (stream
  // from the slot's position instead of the sink's).
  absl::StatusOr<bool> NeedsSnapshot(const std::optional<replication::SlotInfo>& slot,
                                     Lsn* resume) const;
  // Reads and delivers the initial snapshot over a new connection, in the
  // exported snapshot `exported` at `lsn` (both empty: a new snapshot at the
  // current WAL position). The sink records `resume` as its position.
  // `position`: a snapshot cut short there, to resume (null: a whole one).
  absl::Status TakeSnapshot(const std::string& conninfo, const std::string& exported, Lsn lsn,
                            Lsn resume, const SnapshotPosition* position = nullptr);

  const Config config_;
  const std::unique_ptr<Sink> owned_sink_;  // The transforms' sink, if any.
  Sink* const sink_;
  engine::StatusKeeper* keeper_ = nullptr;  // The current connection's, while streaming.
  std::atomic<bool> stop_{false};

  // Positions, kept across reconnects.
  Lsn received_lsn_;
  Lsn idle_lsn_;  // From the last keepalive of this connection, outside a transaction.
  Lsn confirmed_lsn_;
  uint64_t base_transactions_ = 0, base_events_ = 0, base_skipped_ = 0, base_heartbeats_ = 0;
  uint64_t base_spilled_transactions_ = 0, base_spilled_bytes_ = 0;
  uint64_t heartbeat_action_errors_ = 0;
  // An initial snapshot was begun in this run and has not completed: a
  // reconnect takes it again (a sink that keeps no position cannot tell).
  bool snapshot_pending_ = false;
  bool snapshot_taken_ = false;                   // snapshot.mode=always: once per run.
  snapshot::SnapshotProgress snapshot_progress_;  // The last snapshot's, this run.
  // signal.data.collection: kept across connections.
  std::unique_ptr<snapshot::IncrementalSnapshot> incremental_;
  std::atomic<bool> snapshot_running_{false};

  mutable absl::Mutex stats_mu_;
  EngineStats stats_ ABSL_GUARDED_BY(stats_mu_);
};

Lsn EngineImpl::FlushLsn(const engine::ChangePipeline& pipeline) const {
  Lsn durable = sink_->DurableLsn();
  // A sink that records its own position also records the idle one (Tick).
  if (sink_->KeepsPosition()) return durable;
  if (pipeline.in_transaction() || durable < pipeline.last_delivered_end()) return durable;
  // Everything handed to the sink is durable and no transaction is open: all
  // WAL the server has sent so far is accounted for.
  return std::max({durable, pipeline.last_seen_end(), idle_lsn_});
}

absl::Status EngineImpl::SendStatus(replication::ReplicationStream& stream,
                                    const engine::ChangePipeline& pipeline, bool reply_requested) {
  Lsn flush = std::max(FlushLsn(pipeline), confirmed_lsn_);
  Lsn write = std::max(received_lsn_, flush);
  if (keeper_ != nullptr) {
    absl::MutexLock lock(&keeper_->lock());
    TRACKOPS_RETURN_IF_ERROR(stream.SendStatus(write, flush, flush, reply_requested));
    keeper_->Sent(write, flush);
  } else {
    TRACKOPS_RETURN_IF_ERROR(stream.SendStatus(write, flush, flush, reply_requested));
  }
  confirmed_lsn_ = flush;
  return absl::OkStatus();
}

void EngineImpl::PublishStats(const engine::ChangePipeline& pipeline) {
  absl::MutexLock lock(&stats_mu_);
  stats_.transactions = base_transactions_ + pipeline.counters().transactions;
  stats_.events = base_events_ + pipeline.counters().events;
  stats_.skipped = base_skipped_ + pipeline.counters().skipped;
  stats_.heartbeats = base_heartbeats_ + pipeline.counters().heartbeats;
  if (incremental_ != nullptr) {
    stats_.incremental_snapshot_running = incremental_->running();
    stats_.incremental_snapshot_rows = incremental_->rows();
    const snapshot::IncrementalSnapshot::TableProgress table = incremental_->progress();
    stats_.incremental_snapshot_table_rows = table.rows;
    stats_.incremental_snapshot_table_estimated_rows = table.estimated_rows;
    stats_.incremental_snapshot_table_seconds =
        std::chrono::duration<double>(table.elapsed).count();
    stats_.incremental_snapshot_tables_queued = static_cast<uint32_t>(table.tables_queued);
  }
  stats_.spilled_transactions =
      base_spilled_transactions_ + pipeline.counters().spilled_transactions;
  stats_.spilled_bytes = base_spilled_bytes_ + pipeline.counters().spilled_bytes;
  stats_.heartbeat_action_errors = heartbeat_action_errors_;
  stats_.received_lsn = received_lsn_;
  stats_.confirmed_lsn = confirmed_lsn_;
}

absl::StatusOr<bool> EngineImpl::NeedsSnapshot(const std::optional<replication::SlotInfo>& slot,
                                               Lsn* resume) const {
  const ConnectorConfig& c = config_.connector;
  const SnapshotMode mode = c.snapshot_mode;
  if (sink_->KeepsPosition() && slot.has_value() && resume->is_valid() &&
      slot->confirmed_flush_lsn > *resume) {
    std::string gap = absl::StrCat(
        "replication slot ", c.slot_name, " was confirmed up to ",
        slot->confirmed_flush_lsn.ToString(), " but the sink recorded delivery only up to ",
        resume->ToString(),
        ": the changes in between were confirmed without being delivered here (another client "
        "used the slot, or the sink's offsets were deleted)");
    if (mode != SnapshotMode::kWhenNeeded) {
      return absl::FailedPreconditionError(absl::StrCat(
          gap,
          ". Use a new slot.name to start over, or snapshot.mode=when_needed to take a new "
          "snapshot and stream from the slot's position"));
    }
    Log(LogLevel::kWarning, "%s; snapshot.mode=when_needed: taking a new snapshot", gap);
    *resume = Lsn();
    return true;
  }
  if (mode == SnapshotMode::kNoData) {
    if (sink_->KeepsPosition() && sink_->SnapshotIncomplete()) {
      Log(LogLevel::kWarning,
          "the sink's position is inside an initial snapshot that did not complete, and "
          "snapshot.mode=no_data takes none: the rows it did not deliver are not sent");
    }
    return false;
  }
  // initial_only creates no slot: what the sink recorded says whether the
  // snapshot was taken.
  if (mode == SnapshotMode::kInitialOnly && !slot.has_value() && sink_->KeepsPosition() &&
      resume->is_valid() && !sink_->SnapshotIncomplete()) {
    return false;
  }
  if (!slot.has_value() || snapshot_pending_) return true;
  // As Debezium: no recorded position, a snapshot. For a sink that keeps its
  // position that also covers a run that created the slot and died before
  // its first commit.
  if (sink_->KeepsPosition() && !resume->is_valid() && mode != SnapshotMode::kAlways) {
    Log(LogLevel::kInfo, "the sink has no recorded position: taking a snapshot");
    return true;
  }
  if (mode == SnapshotMode::kAlways) return !snapshot_taken_;
  if (sink_->KeepsPosition() && sink_->SnapshotIncomplete()) {
    Log(LogLevel::kInfo, "the initial snapshot did not complete before: %s",
        sink_->SnapshotResume().has_value() ? "resuming it" : "taking it again");
    return true;
  }
  return false;
}

absl::Status EngineImpl::TakeSnapshot(const std::string& conninfo, const std::string& exported,
                                      Lsn lsn, Lsn resume, const SnapshotPosition* position) {
  const ConnectorConfig& c = config_.connector;
  TRACKOPS_ASSIGN_OR_RETURN(auto conn, replication::PgConnection::Connect(conninfo, false));
  // A resumed snapshot's rows say the same position as the first part's.
  TRACKOPS_ASSIGN_OR_RETURN(
      snapshot::SnapshotPoint point,
      snapshot::BeginSnapshot(*conn, exported, position != nullptr ? resume : lsn));
  point.resume = resume.is_valid() ? resume : point.lsn;
  engine::PgCatalog catalog(conn.get());
  snapshot::SnapshotOptions options;
  options.encoder = engine::EncoderOptionsFor(c);
  options.max_threads = static_cast<int>(c.snapshot_max_threads);
  options.chunk_pages = c.snapshot_chunk_pages;
  options.conninfo = conninfo;
  options.exported_snapshot = exported;
  options.stop = &stop_;
  options.progress = &snapshot_progress_;
  options.resume = position;
  // The signal table's rows are not part of a snapshot.
  if (!c.signal_data_collection.empty()) options.skip_tables = {c.signal_data_collection};
  options.slot = c.slot_name;
  options.publication = c.publication_name;
  snapshot_progress_.rows = 0;
  snapshot_progress_.tables_done = 0;
  snapshot_progress_.tables_total = 0;
  snapshot_running_ = true;
  absl::StatusOr<snapshot::SnapshotResult> result =
      snapshot::RunInitialSnapshot(*conn, &catalog, c, point, sink_, options);
  snapshot_running_ = false;
  return result.status();
}

absl::Status EngineImpl::MaybeHeartbeat(engine::ChangePipeline& pipeline,
                                        engine::HeartbeatAction* action,
                                        Clock::time_point* next_heartbeat) {
  if (pipeline.in_transaction() || Clock::now() < *next_heartbeat) return absl::OkStatus();
  // The position the heartbeat stands for: every transaction before it was
  // delivered or empty. Unknown only until the server's first keepalive on a
  // new slot (Debezium, too, sends none before it has an offset).
  Lsn position = std::max({pipeline.last_seen_end(), idle_lsn_, confirmed_lsn_});
  if (!position.is_valid()) return absl::OkStatus();
  // Like Debezium: the record first, then the action query; the interval
  // restarts after both.
  TRACKOPS_RETURN_IF_ERROR(pipeline.Heartbeat(position, absl::ToUnixMillis(absl::Now())));
  if (action != nullptr && !action->Run()) ++heartbeat_action_errors_;
  *next_heartbeat = Clock::now() + milliseconds(config_.connector.heartbeat_interval_ms);
  PublishStats(pipeline);
  return absl::OkStatus();
}

void EngineImpl::SleepUnlessStopped(milliseconds duration) {
  auto until = Clock::now() + duration;
  while (!stop_.load(std::memory_order_relaxed) && Clock::now() < until) {
    std::this_thread::sleep_for(std::min<Clock::duration>(kStopPollInterval, until - Clock::now()));
  }
}

absl::Status EngineImpl::StartStream(replication::ReplicationStream& stream, Lsn start) {
  const ConnectorConfig& c = config_.connector;
  replication::StartOptions options;
  options.slot_name = c.slot_name;
  options.start_lsn = start;  // Lsn(): the slot's confirmed position.
  options.protocol_version = c.protocol_version;
  options.publication_names = {c.publication_name};
  options.binary = c.binary;
  options.streaming = c.streaming == StreamingMode::kOn         ? "on"
                      : c.streaming == StreamingMode::kParallel ? "parallel"
                                                                : "";
  options.messages = c.messages && stream.connection().server_version() >= 140000;
  return stream.Start(options);
}

absl::Status EngineImpl::Session(bool* made_progress) {
  const ConnectorConfig& c = config_.connector;
  // An earlier connection's keepalive tells what that connection was sent,
  // not what the sink made durable: a sink that keeps its position may have
  // lost the end of it (a batch not yet committed when the connection
  // failed). Recording it as the idle position before the server resends
  // those transactions would skip them after the next restart.
  idle_lsn_ = Lsn();
  std::string conninfo = c.ConnInfo();
  TRACKOPS_ASSIGN_OR_RETURN(auto side, replication::PgConnection::Connect(conninfo, false));
  TRACKOPS_RETURN_IF_ERROR(replication::CheckServer(*side, c));
  TRACKOPS_RETURN_IF_ERROR(replication::EnsurePublication(*side, c));
  TRACKOPS_ASSIGN_OR_RETURN(std::optional<replication::SlotInfo> slot,
                            replication::InspectSlot(*side, c));

  // The sink's own record of what it delivered (Kafka), checked against the slot.
  TRACKOPS_ASSIGN_OR_RETURN(Lsn resume, sink_->Open());
  TRACKOPS_ASSIGN_OR_RETURN(const bool snapshot, NeedsSnapshot(slot, &resume));
  if (sink_->KeepsPosition() && resume.is_valid()) confirmed_lsn_ = resume;
  const bool initial_only = c.snapshot_mode == SnapshotMode::kInitialOnly;

  TRACKOPS_ASSIGN_OR_RETURN(auto repl_conn, replication::PgConnection::Connect(conninfo, true));
  auto stream = std::make_unique<replication::ReplicationStream>(std::move(repl_conn));
  TRACKOPS_ASSIGN_OR_RETURN(replication::SystemIdentity identity, stream->IdentifySystem());
  std::optional<replication::CreatedSlot> created;
  // A sink that keeps no position cannot tell after a crash whether the
  // snapshot completed; the slot's existence says it instead. The snapshot
  // reads from a temporary slot, which a crash takes away, and the slot is
  // made a copy of it once the snapshot is delivered.
  const bool temporary = snapshot && !sink_->KeepsPosition();
  const std::string created_name =
      temporary ? absl::StrCat(c.slot_name.substr(0, 48), "_snapshot") : c.slot_name;
  if (!slot.has_value() && !initial_only) {
    // A snapshot reads what the slot exports: the database as it was at the
    // slot's consistent point.
    replication::ReplicationStream::SlotOptions options;
    options.export_snapshot = snapshot;
    options.temporary = temporary;
    absl::StatusOr<replication::CreatedSlot> made = stream->CreateSlot(created_name, options);
    if (made.ok()) {
      created = *std::move(made);
      Log(LogLevel::kInfo, "created %sreplication slot %s (pgoutput) at %s",
          temporary ? "temporary " : "", created_name, created->consistent_point.ToString());
    } else if (temporary && absl::IsAlreadyExists(made.status())) {
      // The connection of a run that just died still holds it; it goes
      // when the server notices.
      return absl::UnavailableError(
          absl::StrCat("temporary replication slot ", created_name,
                       " exists: the connection of an earlier run still holds it"));
    } else if (!absl::IsAlreadyExists(made.status())) {
      return made.status();
    }
  } else if (slot.has_value()) {
    Log(LogLevel::kInfo, "resuming replication slot %s at %s", c.slot_name,
        slot->confirmed_flush_lsn.ToString());
    if (slot->confirmed_flush_lsn > confirmed_lsn_) confirmed_lsn_ = slot->confirmed_flush_lsn;
  }

  if (snapshot) {
    snapshot_pending_ = true;
    // Streaming resumes where the slot starts (a new slot), else where the
    // sink or the slot says.
    Lsn from = created.has_value()                           ? created->consistent_point
               : sink_->KeepsPosition() && resume.is_valid() ? resume
               : slot.has_value()                            ? slot->confirmed_flush_lsn
                                                             : Lsn();
    // A snapshot cut short that the sink recorded how far it went resumes
    // there, streaming from where it started.
    std::optional<SnapshotPosition> position;
    if (!created.has_value() && slot.has_value() && sink_->KeepsPosition() && resume.is_valid() &&
        sink_->SnapshotIncomplete() && c.snapshot_mode != SnapshotMode::kAlways) {
      position = sink_->SnapshotResume();
    }
    absl::Status taken =
        created.has_value()
            ? TakeSnapshot(conninfo, created->snapshot_name, created->consistent_point, from)
            : TakeSnapshot(conninfo, "", Lsn(), from, position ? &*position : nullptr);
    if (absl::IsCancelled(taken) && stop_.load()) {
      Log(LogLevel::kInfo, "%s: the snapshot is taken again at the next start", taken.message());
      return absl::OkStatus();
    }
    TRACKOPS_RETURN_IF_ERROR(taken);
    if (temporary && created.has_value()) {
      // The slot proper, at the temporary one's consistent point; the
      // temporary one goes with its connection.
      TRACKOPS_RETURN_IF_ERROR(
          side->ExecParams("SELECT pg_copy_logical_replication_slot($1, $2, false)",
                           {created_name, c.slot_name})
              .status());
      Log(LogLevel::kInfo, "created replication slot %s (pgoutput) at %s", c.slot_name,
          created->consistent_point.ToString());
      TRACKOPS_ASSIGN_OR_RETURN(auto again, replication::PgConnection::Connect(conninfo, true));
      stream = std::make_unique<replication::ReplicationStream>(std::move(again));
    }
    snapshot_pending_ = false;
    snapshot_taken_ = true;
    if (from.is_valid()) {
      if (sink_->KeepsPosition()) resume = from;
      confirmed_lsn_ = std::max(confirmed_lsn_, from);
    }
  }
  if (initial_only) {
    Log(LogLevel::kInfo, "snapshot.mode=initial_only: %s; not streaming",
        snapshot ? "snapshot completed" : "the snapshot was taken before");
    return absl::OkStatus();
  }

  absl::Status started;
  for (int attempt = 0;; ++attempt) {
    started = StartStream(*stream, sink_->KeepsPosition() ? resume : Lsn());
    if (started.ok() || replication::SqlStateOf(started) != "55006" ||
        attempt >= kSlotBusyRetries || stop_.load()) {
      break;
    }
    // The slot is held by another walsender, typically that of a connector
    // that just died: wait for the server to notice, on a fresh connection.
    SleepUnlessStopped(kSlotBusyWait);
    TRACKOPS_ASSIGN_OR_RETURN(auto again, replication::PgConnection::Connect(conninfo, true));
    stream = std::make_unique<replication::ReplicationStream>(std::move(again));
  }
  TRACKOPS_RETURN_IF_ERROR(started);
  stream->SetReadCoalescing(std::chrono::microseconds(c.read_coalesce_us));
  Log(LogLevel::kInfo, "streaming from slot %s, publication %s (database %s, server %s)",
      c.slot_name, c.publication_name, c.dbname, identity.system_id);

  engine::PgCatalog catalog(side.get());
  // One pipeline per connection: the in-progress streamed transactions of an
  // earlier connection, and their spill files, went with its pipeline (the
  // server sends them again from the slot's restart point).
  TRACKOPS_ASSIGN_OR_RETURN(auto pipeline, engine::ChangePipeline::Create(c, &catalog, sink_));
  // signal.data.collection: incremental snapshots on a connection of their own.
  std::unique_ptr<replication::PgConnection> signal_conn;
  std::optional<engine::PgCatalog> signal_catalog;
  if (!c.signal_data_collection.empty()) {
    TRACKOPS_ASSIGN_OR_RETURN(signal_conn, replication::PgConnection::Connect(conninfo, false));
    signal_catalog.emplace(signal_conn.get());
    if (incremental_ == nullptr) {
      incremental_ =
          std::make_unique<snapshot::IncrementalSnapshot>(c, engine::EncoderOptionsFor(c));
    }
    // A sink that keeps its position recorded how far the incremental
    // snapshots went at that position, where the stream resumes.
    if (sink_->KeepsPosition()) incremental_->Restore(sink_->IncrementalSnapshotState());
    TRACKOPS_RETURN_IF_ERROR(incremental_->Attach(signal_conn.get(), &*signal_catalog));
    pipeline->SetIncrementalSnapshot(incremental_.get());
  }
  // After a crash the server may resend transactions the sink already has.
  if (sink_->KeepsPosition()) pipeline->SkipTransactionsBefore(resume);

  const milliseconds status_interval(c.status_update_interval_ms);
  auto next_status = Clock::now() + status_interval;
  // Heartbeats: checked between transactions after every message and while
  // idle (as Debezium does at each commit and when no message comes).
  const bool heartbeats = c.heartbeat_interval_ms > 0;
  auto next_heartbeat = Clock::now() + milliseconds(c.heartbeat_interval_ms);
  std::unique_ptr<engine::HeartbeatAction> action;
  if (heartbeats && !absl::StripAsciiWhitespace(c.heartbeat_action_query).empty()) {
    action = std::make_unique<engine::HeartbeatAction>(conninfo, c.heartbeat_action_query);
  }
  // Answers the walsender while this thread is in the sink (status_keeper.h).
  auto keeper = std::make_unique<engine::StatusKeeper>(stream.get(), status_interval);
  keeper_ = keeper.get();
  struct ClearKeeper {
    engine::StatusKeeper** keeper;
    ~ClearKeeper() { *keeper = nullptr; }
  } clear_keeper{&keeper_};
  // trackops.replication.receive.timeout.ms: time spent waiting on the socket
  // with nothing from the server (not time spent in the sink), as PostgreSQL's
  // own wal_receiver_timeout does for a standby.
  const milliseconds receive_timeout(c.receive_timeout_ms);
  Clock::duration silent{};
  bool reply_asked = false;
  absl::Status result;
  while (true) {
    if (stop_.load(std::memory_order_relaxed) && !pipeline->in_transaction()) break;
    auto now = Clock::now();
    // A heartbeat due between transactions shortens the wait; never to 0:
    // Next(0) returns what is buffered without reading the socket.
    auto until = heartbeats && !pipeline->in_transaction() ? std::min(next_status, next_heartbeat)
                                                           : next_status;
    auto wait = std::chrono::duration_cast<milliseconds>(until - now);
    if (!pipeline->in_transaction()) wait = std::min(wait, sink_->NextTickIn());
    wait = std::clamp(wait, heartbeats ? milliseconds(1) : milliseconds(0), kStopPollInterval);
    absl::StatusOr<replication::StreamEvent> ev;
    {
      absl::MutexLock lock(&keeper->lock());
      ev = stream->Next(wait);
    }
    if (!ev.ok()) {
      result = ev.status();
      break;
    }
    if (ev->kind == replication::StreamEvent::Kind::kNone) {
      silent += Clock::now() - now;  // Only a wait that brought nothing reads the clock again.
    } else {
      silent = Clock::duration::zero();
      reply_asked = false;
    }
    if (receive_timeout.count() > 0 && silent >= receive_timeout / 2) {
      if (silent >= receive_timeout) {
        result = absl::UnavailableError(absl::StrCat(
            "no message from the server for ",
            std::chrono::duration_cast<milliseconds>(silent).count(),
            " ms (trackops.replication.receive.timeout.ms): the replication connection is "
            "dead or stalled"));
        break;
      }
      if (!reply_asked) {
        // A healthy walsender answers at once with a keepalive.
        result = SendStatus(*stream, *pipeline, true);
        if (!result.ok()) break;
        reply_asked = true;
      }
    }
    bool reply_now = false;
    switch (ev->kind) {
      case replication::StreamEvent::Kind::kData:
        received_lsn_ = std::max(received_lsn_, ev->wal_start);
        result = pipeline->Handle(ev->wal_start, ev->payload);
        *made_progress = true;
        if (!pipeline->in_transaction()) PublishStats(*pipeline);
        break;
      case replication::StreamEvent::Kind::kKeepalive:
        if (!pipeline->in_transaction()) {
          idle_lsn_ = std::max(idle_lsn_, ev->wal_end);
          received_lsn_ = std::max(received_lsn_, ev->wal_end);
        }
        reply_now = ev->reply_requested;
        break;
      case replication::StreamEvent::Kind::kNone:
        break;
    }
    if (!result.ok()) break;
    if (heartbeats) {
      result = MaybeHeartbeat(*pipeline, action.get(), &next_heartbeat);
      if (!result.ok()) break;
    }
    if (!pipeline->in_transaction()) {
      result = sink_->Tick(std::max({pipeline->last_seen_end(), idle_lsn_, confirmed_lsn_}),
                           ev->kind == replication::StreamEvent::Kind::kNone);
      if (!result.ok()) break;
    }
    if (reply_now || Clock::now() >= next_status) {
      result = SendStatus(*stream, *pipeline, false);
      if (!result.ok()) break;
      next_status = Clock::now() + status_interval;
      PublishStats(*pipeline);
    }
  }

  if (pipeline->sink_transaction_open()) {
    // The rest of the transaction will come again after reconnecting.
    absl::Status aborted = sink_->AbortTransaction();
    if (!aborted.ok()) Log(LogLevel::kWarning, "sink abort failed: %s", aborted.ToString());
  }
  if (result.ok()) {
    // Stopped between transactions: make everything durable and confirm it.
    TRACKOPS_RETURN_IF_ERROR(sink_->Flush());
    TRACKOPS_RETURN_IF_ERROR(SendStatus(*stream, *pipeline, false));
    Log(LogLevel::kInfo, "stopped; confirmed %s to slot %s", confirmed_lsn_.ToString(),
        c.slot_name);
  }
  keeper_ = nullptr;
  keeper.reset();
  PublishStats(*pipeline);
  base_transactions_ += pipeline->counters().transactions;
  base_events_ += pipeline->counters().events;
  base_skipped_ += pipeline->counters().skipped;
  base_heartbeats_ += pipeline->counters().heartbeats;
  base_spilled_transactions_ += pipeline->counters().spilled_transactions;
  base_spilled_bytes_ += pipeline->counters().spilled_bytes;
  if (result.ok() && c.slot_drop_on_stop) {
    // The walsender must release the slot first.
    stream.reset();
    TRACKOPS_RETURN_IF_ERROR(replication::DropSlot(*side, c.slot_name));
    Log(LogLevel::kInfo, "dropped replication slot %s (slot.drop.on.stop)", c.slot_name);
  }
  return result;
}

absl::Status EngineImpl::Run() {
  const ConnectorConfig& c = config_.connector;
  milliseconds backoff(200);
  const milliseconds max_backoff(c.retriable_restart_wait_ms);
  int64_t failures = 0;
  while (true) {
    bool made_progress = false;
    absl::Status s = Session(&made_progress);
    if (s.ok()) return s;
    if (s.code() != absl::StatusCode::kUnavailable) return s;
    if (stop_.load()) return absl::OkStatus();
    if (made_progress) {
      failures = 0;
      backoff = milliseconds(200);
    }
    if (c.max_retries >= 0 && failures >= c.max_retries) return s;
    ++failures;
    {
      absl::MutexLock lock(&stats_mu_);
      ++stats_.reconnects;
    }
    Log(LogLevel::kWarning, "%s; reconnecting in %d ms (attempt %d)", s.message(),
        static_cast<int>(backoff.count()), static_cast<int>(failures));
    SleepUnlessStopped(backoff);
    if (stop_.load()) return absl::OkStatus();
    backoff = std::min(backoff * 2, max_backoff);
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<Engine>> Engine::Create(const Config& config, Sink* sink) {
  if (sink == nullptr) return absl::InvalidArgumentError("Engine::Create needs a sink");
  const ConnectorConfig& c = config.connector;
  if (c.streaming != StreamingMode::kOff) {
    TRACKOPS_RETURN_IF_ERROR(
        engine::CheckSpillDirectory(engine::SpillDirectory(c.streaming_spill_directory)));
  }
  const transforms::RecordFormat format{c.key_schemas_enable, c.value_schemas_enable,
                                        c.header_schemas_enable};
  TRACKOPS_ASSIGN_OR_RETURN(auto chain,
                            transforms::TransformChain::Create(config.transforms, format));
  // With transforms, the engine writes to a TransformingSink wrapping `sink`.
  std::unique_ptr<Sink> transforming;
  if (!chain->empty()) {
    transforming = std::make_unique<transforms::TransformingSink>(std::move(chain), sink,
                                                                  c.dead_letter_topic, format);
    sink = transforming.get();
  }
  return std::unique_ptr<Engine>(new EngineImpl(config, sink, std::move(transforming)));
}

}  // namespace trackops
