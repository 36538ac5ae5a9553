// The initial snapshot: every row of the captured tables as Debezium's read
// events (op "r"), from one consistent snapshot of the database, delivered to
// the sink before streaming starts.
//
// Consistency: the snapshot is the one the replication slot exported when it
// was created (BeginSnapshot with its name), so every transaction is either
// in the snapshot or streamed from the slot's consistent point, never both
// and never neither. Without an exported snapshot (the slot existed already)
// BeginSnapshot takes a new one; streaming then resumes from the slot's
// confirmed position, so changes made before the snapshot may be seen again
// after it (at least once), but none is lost.
//
// Tables are read in Debezium's order (captured_tables.h) with COPY, each row
// encoded by the streaming path's ChangeEncoder with the snapshot's source
// fields and the markers of row_sequencer.h.
//
// Tables larger than `chunk_pages` heap pages are read in chunks of that
// many pages (TID range scans, PostgreSQL 14 and later), in heap order. The
// rows go to the sink in transactions (SnapshotPhase::kRunning) that end at
// chunk boundaries once `rows_per_transaction` rows are in, each carrying
// the SnapshotPosition it reaches; the last one (kCompleted, possibly empty)
// says the snapshot is complete. A sink that keeps its position records it.
//
// Resuming (SnapshotOptions::resume, from such a sink): the tables before
// the position and the pages before it are not read again. The rest is read
// in a new snapshot, in which rows may have changed since the first one;
// streaming still starts at the first one's consistent point, so the stream
// delivers those changes. The rows they wrote are found in the slot's
// pending changes (changed_rows.h) and not read, so that no row comes twice:
// each row comes once, from the snapshot as it was in both snapshots, or
// from the stream. Two tables are read again whole, their delivered rows
// coming twice: one rewritten in between (its heap pages moved), and one
// without a key, where a row the stream wrote before the position cannot be
// told from an equal one after it.
//
// Thread safety: one thread; `stop` may be set from any.

#ifndef TRACKOPS_SNAPSHOT_INITIAL_SNAPSHOT_H_
#define TRACKOPS_SNAPSHOT_INITIAL_SNAPSHOT_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "event/change_encoder.h"
#include "replication/pg_connection.h"
#include "schema/catalog.h"
#include "snapshot/changed_rows.h"
#include "trackops/config.h"
#include "trackops/sink.h"
#include "trackops/types.h"

namespace trackops::snapshot {

// What every snapshot record's source block says.
struct SnapshotPoint {
  Lsn lsn;              // source.lsn: the slot's consistent point (or the WAL position).
  Xid xid;              // source.txId: the snapshot transaction's id.
  UnixMicros time = 0;  // source.ts_*: the snapshot transaction's start.
  // Where streaming resumes after the snapshot: the position the sink
  // records with the snapshot's rows (TransactionInfo::end_lsn). The
  // consistent point for a new slot; for one that existed, its position.
  Lsn resume;
};

// Opens a transaction on `conn` (an ordinary connection) in the snapshot
// `exported_snapshot` (REPEATABLE READ), with the output settings the value
// converters expect (DateStyle ISO, IntervalStyle postgres, bytea_output
// hex, extra_float_digits 1), as a walsender has them.
absl::Status ImportSnapshot(replication::PgConnection& conn, const std::string& exported_snapshot);

// Opens the snapshot transaction on `conn` (an ordinary connection):
// REPEATABLE READ, importing `exported_snapshot` when not empty. `lsn` is
// source.lsn; when it is Lsn() the server's current WAL position is used.
// `resume` is set to the same. Sets the output settings as ImportSnapshot.
absl::StatusOr<SnapshotPoint> BeginSnapshot(replication::PgConnection& conn,
                                            const std::string& exported_snapshot, Lsn lsn);

// Counters another thread may read while the snapshot runs.
struct SnapshotProgress {
  std::atomic<uint64_t> rows{0};  // Rows delivered to the sink.
  std::atomic<uint32_t> tables_total{0};
  std::atomic<uint32_t> tables_done{0};
};

struct SnapshotOptions {
  event::EncoderOptions encoder;
  // snapshot.max.threads: connections reading at once. Above 1, tables are
  // read in chunks of heap pages (`chunk_pages`), in the heap's order, by
  // that many worker connections inside the same snapshot (`exported`, or
  // one exported from the main connection); rows are still delivered in
  // order by the calling thread.
  int max_threads = 1;
  int64_t chunk_pages = 4096;
  std::string conninfo;           // For the workers.
  std::string exported_snapshot;  // The main connection's; empty: export one.
  // "schema.table" names never read (the signal table).
  std::vector<std::string> skip_tables;
  // Rows per sink transaction, at least: transactions end at chunk ends.
  int64_t rows_per_transaction = 2048;
  // A snapshot cut short at this position: read what it did not deliver.
  // `slot` and `publication` then name where the changes since its
  // consistent point wait to be streamed.
  const SnapshotPosition* resume = nullptr;
  std::string slot;
  std::string publication;
  const std::atomic<bool>* stop = nullptr;  // Checked between rows; may be null.
  SnapshotProgress* progress = nullptr;     // May be null.
};

struct SnapshotResult {
  uint64_t rows = 0;
  uint32_t tables = 0;
  uint64_t skipped = 0;  // Resuming: rows left to the stream.
};

// Reads and delivers the snapshot. `conn` is inside BeginSnapshot's
// transaction; `catalog` reads over it (so that table facts are the
// snapshot's). Errors: kCancelled when `stop` was set (nothing after the last
// committed sink transaction counts), kDataLoss for a row the encoder cannot
// read (naming table and column), a connection's kUnavailable, and whatever
// the sink returns. The sink's open transaction is aborted on error.
absl::StatusOr<SnapshotResult> RunInitialSnapshot(replication::PgConnection& conn,
                                                  schema::Catalog* catalog,
                                                  const ConnectorConfig& config,
                                                  const SnapshotPoint& point, Sink* sink,
                                                  const SnapshotOptions& options);

}  // namespace trackops::snapshot

#endif  // TRACKOPS_SNAPSHOT_INITIAL_SNAPSHOT_H_
