// Where the engine delivers records. The engine calls a Sink from one thread
// at a time, in commit order: BeginTransaction, Write for every record of the
// transaction, CommitTransaction. A transaction is never split or interleaved
// with another.
//
// Durability contract: the engine tells PostgreSQL that WAL up to DurableLsn()
// may be discarded. A sink must therefore return from DurableLsn() only end
// LSNs of transactions it has delivered durably (for stdout: written and
// flushed; for Kafka: committed). Returning more loses data after a crash.

#ifndef TRACKOPS_SINK_H_
#define TRACKOPS_SINK_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trackops/record.h"
#include "trackops/types.h"

namespace trackops {

// Where a delivered transaction stands in an initial snapshot.
enum class SnapshotPhase : uint8_t {
  kNone,       // Streamed changes.
  kRunning,    // Rows of a snapshot that has more to deliver.
  kCompleted,  // The snapshot's last rows: it is complete once this commits.
};

// How far a snapshot's rows went: every table before `table` in the
// snapshot's order, and the heap pages of `table` before `page`, are
// delivered.
struct SnapshotPosition {
  std::string table;      // "schema.table": where the next rows come from.
  int64_t page = 0;       // The first heap page not delivered.
  uint32_t filenode = 0;  // pg_relation_filenode of `table` when read (a rewrite changes it).
};

struct TransactionInfo {
  Xid xid;
  Lsn commit_lsn;          // LSN of the commit record.
  Lsn end_lsn;             // End of the commit record; valid in CommitTransaction only.
  UnixMicros commit_time;  // Commit timestamp.
  // A snapshot's rows come in transactions of their own, which all carry the
  // snapshot's transaction id, start time and LSN (where streaming resumes)
  // as xid, commit_time, commit_lsn and end_lsn.
  SnapshotPhase snapshot = SnapshotPhase::kNone;
  // With kRunning, in CommitTransaction: how far the snapshot's rows go
  // once this transaction is delivered. Null otherwise.
  const SnapshotPosition* snapshot_position = nullptr;
  // In CommitTransaction, when signal.data.collection is set: the state of
  // the incremental snapshots once this transaction is delivered (JSON; empty
  // when none is running). Null: unchanged since the last one given.
  const std::string* incremental_snapshot = nullptr;
};

class Sink {
 public:
  virtual ~Sink() = default;

  virtual absl::Status BeginTransaction(const TransactionInfo& txn) = 0;
  virtual absl::Status Write(const Record& record) = 0;
  virtual absl::Status CommitTransaction(const TransactionInfo& txn) = 0;

  // The transaction begun last will not be committed: the connection to
  // PostgreSQL was lost mid-transaction, and the whole transaction will be
  // delivered again from its start. Sinks that can, discard what they wrote.
  virtual absl::Status AbortTransaction() { return absl::OkStatus(); }

  // Makes everything committed so far durable. Called before shutdown and when
  // the stream is idle.
  virtual absl::Status Flush() = 0;

  // End LSN of the last transaction durably delivered (Lsn() when none yet).
  virtual Lsn DurableLsn() const = 0;

  // Sinks that keep their own record of what they delivered (Kafka: an
  // offsets topic written in the same transaction as the records) return
  // true. The engine then starts each connection where Open() says, refuses
  // to start when the slot was confirmed beyond it, skips transactions that
  // committed before it, and never confirms past DurableLsn(), not even when
  // idle: it calls Tick() instead, so the sink can record the idle position.
  virtual bool KeepsPosition() const { return false; }

  // Called at the start of every connection, before streaming. Returns the
  // position the sink recorded (Lsn() when it keeps none or has none yet).
  // After a failure it redoes whatever set-up the sink needs.
  virtual absl::StatusOr<Lsn> Open() { return Lsn(); }
  // After Open(), for sinks that keep their position: true when the position
  // recorded is inside an initial snapshot that did not complete (its last
  // transaction committed was SnapshotPhase::kRunning). The engine then
  // resumes the snapshot from SnapshotResume(), or takes it again from the
  // start when that says nothing.
  virtual bool SnapshotIncomplete() const { return false; }
  // With SnapshotIncomplete(): the snapshot_position of that transaction.
  virtual std::optional<SnapshotPosition> SnapshotResume() const { return std::nullopt; }
  // After Open(), for sinks that keep their position: the incremental
  // snapshot state recorded with it (TransactionInfo::incremental_snapshot),
  // empty when none. The engine carries on from it.
  virtual std::string IncrementalSnapshotState() const { return ""; }

  // Called from the engine's loop at least every 100 ms outside transactions.
  // `idle_lsn`: every transaction before it is delivered (or was empty), so
  // the sink may record it as its position. `caught_up`: the engine's last
  // read of the stream found nothing more (it has everything the server sent
  // so far). Sinks that batch commit here when their batch is due.
  virtual absl::Status Tick(Lsn idle_lsn, bool caught_up) { return absl::OkStatus(); }
  // How soon the sink wants its next Tick() (the engine never waits longer
  // than 100 ms anyway): a batching sink returns the time left until its open
  // batch is due, so that a quiet stream does not hold the batch back.
  virtual std::chrono::milliseconds NextTickIn() const { return std::chrono::milliseconds(100); }
};

}  // namespace trackops

#endif  // TRACKOPS_SINK_H_
