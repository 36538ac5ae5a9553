// The change-data-capture engine: streams a PostgreSQL database's logical
// replication slot, turns row changes into Debezium change events and hands
// them, transaction by transaction in commit order, to a Sink.
//
//   absl::StatusOr<trackops::Config> config = trackops::Config::FromProperties(props, &warnings);
//   trackops::CallbackSink sink([](const trackops::Record& r) { ...; return absl::OkStatus(); });
//   auto engine = trackops::Engine::Create(*config, &sink);
//   std::thread t([&] { absl::Status s = (*engine)->Run(); });
//   ...
//   (*engine)->Stop();
//   t.join();
//
// Delivery is at least once: the slot is confirmed only up to what the sink
// reports as durable (Sink::DurableLsn), so after a crash PostgreSQL resends
// every transaction the sink had not made durable.

#ifndef TRACKOPS_ENGINE_H_
#define TRACKOPS_ENGINE_H_

#include <atomic>
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trackops/config.h"
#include "trackops/sink.h"
#include "trackops/types.h"

namespace trackops {

// Counters, readable from any thread while the engine runs.
struct EngineStats {
  uint64_t transactions = 0;  // Transactions delivered to the sink.
  uint64_t events = 0;        // Records delivered to the sink.
  uint64_t skipped = 0;       // Changes of excluded tables and skipped operations.
  uint64_t reconnects = 0;
  uint64_t heartbeats = 0;               // Heartbeat records delivered (heartbeat.interval.ms).
  uint64_t heartbeat_action_errors = 0;  // Failed runs of heartbeat.action.query.
  // Streamed transactions spilled to disk past trackops.pgoutput.streaming.
  // memory.bytes, and the bytes of their changes written there.
  uint64_t spilled_transactions = 0;
  uint64_t spilled_bytes = 0;
  // The initial snapshot (snapshot.mode): running now, and the rows delivered
  // and tables read by the last one of this run.
  bool snapshot_running = false;
  uint64_t snapshot_rows = 0;
  uint32_t snapshot_tables_done = 0;
  uint32_t snapshot_tables_total = 0;
  // Incremental snapshots (signal.data.collection): one running or queued
  // now, and the read events they emitted in this run.
  bool incremental_snapshot_running = false;
  uint64_t incremental_snapshot_rows = 0;
  // The table one reads now: rows emitted of it in this run, of about its
  // estimated size (-1: not known), in this many seconds; tables queued after.
  uint64_t incremental_snapshot_table_rows = 0;
  int64_t incremental_snapshot_table_estimated_rows = -1;
  double incremental_snapshot_table_seconds = 0;
  uint32_t incremental_snapshot_tables_queued = 0;
  Lsn received_lsn;   // Last WAL position received.
  Lsn confirmed_lsn;  // Last flush LSN reported to PostgreSQL.
};

class Engine {
 public:
  // Validates the configuration against what this engine supports. `sink`
  // must outlive the engine.
  static absl::StatusOr<std::unique_ptr<Engine>> Create(const Config& config, Sink* sink);
  virtual ~Engine() = default;

  // Connects, prepares the publication and slot, and streams until Stop() is
  // called (then returns OK after finishing the current transaction, flushing
  // the sink and confirming its position) or an error that retrying cannot
  // fix: kFailedPrecondition (a person must fix the database set-up),
  // kInvalidArgument, kDataLoss (malformed stream), or kUnavailable once
  // errors.max.retries reconnects have failed. Lost connections are retried
  // with exponential backoff up to retriable.restart.connector.wait.ms.
  virtual absl::Status Run() = 0;

  // Asks Run() to return. Thread-safe and async-signal-safe.
  virtual void Stop() = 0;

  virtual EngineStats stats() const = 0;
};

}  // namespace trackops

#endif  // TRACKOPS_ENGINE_H_
