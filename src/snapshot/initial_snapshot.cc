#include "snapshot/initial_snapshot.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "config/table_filter.h"
#include "replication/pg_error.h"
#include "schema/column_selection.h"
#include "schema/schema_cache.h"
#include "snapshot/captured_tables.h"
#include "snapshot/chunk_reader.h"
#include "snapshot/copy_text.h"
#include "snapshot/prepared_table.h"
#include "snapshot/progress.h"
#include "snapshot/row_sequencer.h"
#include "util/log.h"
#include "util/status_macros.h"
#include "util/string_view.h"

namespace trackops::snapshot {
namespace {

constexpr uint64_t kCheckEvery = 1024;  // Rows between stop / progress checks.

// One chunk per table, or for a table of more than `chunk_pages` heap pages
// (PostgreSQL 14 and later), ranges of that many pages in the heap's order (a
// TID range scan each), so that the rows come in the order one sequential
// scan gives, as Debezium's unordered SELECT, and a snapshot cut short
// resumes at a range. The last range is open: the table may have grown since
// its size was read. Chunks from `first_table` on; of that one, the ranges
// from `first_page`.
std::vector<Chunk> PlanChunks(const std::vector<PreparedTable>& tables, int64_t chunk_pages,
                              bool tid_ranges, size_t first_table, int64_t first_page) {
  std::vector<Chunk> chunks;
  for (size_t i = first_table; i < tables.size(); ++i) {
    const PreparedTable& t = tables[i];
    const int64_t start = i == first_table ? first_page : 0;
    if (!tid_ranges || t.partitioned || (t.pages <= chunk_pages && start == 0)) {
      Chunk whole{i, absl::StrCat("table ", t.name),
                  absl::StrCat("COPY (", t.select, ") TO STDOUT")};
      // Unbounded (a partitioned table, an old server): committed inside.
      whole.commit_inside = t.pages > chunk_pages || t.partitioned;
      chunks.push_back(std::move(whole));
      continue;
    }
    for (int64_t from = start; from == start || from < t.pages; from += chunk_pages) {
      const bool last = from + chunk_pages >= t.pages;
      std::string where = absl::StrCat(" WHERE ctid >= '(", from, ",0)'::tid");
      if (!last) absl::StrAppend(&where, " AND ctid < '(", from + chunk_pages, ",0)'::tid");
      Chunk c{i, absl::StrCat("table ", t.name, " from page ", from),
              absl::StrCat("COPY (", t.select, where, ") TO STDOUT")};
      c.first_page = from;
      chunks.push_back(std::move(c));
    }
  }
  return chunks;
}

// Where a resumed snapshot starts: the table to start at (tables.size():
// none left) and its first page. Logs what it decides.
std::pair<size_t, int64_t> ResumeAt(const std::vector<PreparedTable>& tables,
                                    const SnapshotPosition& position) {
  auto at = std::find_if(tables.begin(), tables.end(),
                         [&](const PreparedTable& t) { return t.name == position.table; });
  if (at == tables.end()) {
    Log(LogLevel::kWarning,
        "snapshot: table %s, where the snapshot stopped, is no longer captured; reading every "
        "table again",
        position.table);
    return {0, 0};
  }
  const size_t i = static_cast<size_t>(at - tables.begin());
  if (position.page > 0 && at->filenode != position.filenode) {
    Log(LogLevel::kWarning,
        "snapshot: table %s was rewritten since the snapshot stopped in it (VACUUM FULL, "
        "CLUSTER, ALTER TABLE): reading it again whole, its first %d pages' rows a second time",
        position.table, position.page);
    return {i, 0};
  }
  if (position.page > 0 && !at->identity_unique) {
    // A row the stream wrote may have landed before the position, equal to
    // one after it that was not delivered: which of the two to leave to the
    // stream cannot be told. Read whole, every row the stream did not write
    // is delivered (the earlier pages' a second time).
    Log(LogLevel::kWarning,
        "snapshot: table %s has no key to tell equal rows apart: reading it again whole, its "
        "first %d pages' rows a second time",
        position.table, position.page);
    return {i, 0};
  }
  Log(LogLevel::kInfo, "snapshot: resuming at page %d of %s (table %d of %d)", position.page,
      position.table, i + 1, tables.size());
  return {i, position.page};
}

}  // namespace

absl::Status ImportSnapshot(replication::PgConnection& conn, const std::string& exported_snapshot) {
  TRACKOPS_RETURN_IF_ERROR(conn.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ").status());
  if (!exported_snapshot.empty()) {
    // The first statement of the transaction, as PostgreSQL requires.
    TRACKOPS_RETURN_IF_ERROR(
        conn.Exec(absl::StrCat("SET TRANSACTION SNAPSHOT ", conn.QuoteLiteral(exported_snapshot)))
            .status());
  }
  return SetWalsenderOutput(conn, /*local=*/true);
}

absl::StatusOr<SnapshotPoint> BeginSnapshot(replication::PgConnection& conn,
                                            const std::string& exported_snapshot, Lsn lsn) {
  TRACKOPS_RETURN_IF_ERROR(ImportSnapshot(conn, exported_snapshot));
  // As Debezium: source.ts_* is CURRENT_TIMESTAMP (the transaction's start),
  // source.txId the transaction's own id (none on a standby).
  TRACKOPS_ASSIGN_OR_RETURN(
      replication::PgResult r,
      conn.Exec("SELECT (extract(epoch FROM current_timestamp) * 1000000)::int8, "
                "CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_xact_id()::text END, "
                "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() "
                "     ELSE pg_current_wal_lsn() END::text"));
  SnapshotPoint point;
  uint64_t xid = 0;
  if (r.rows() != 1 || !absl::SimpleAtoi(r.Get(0, 0), &point.time) ||
      (!r.IsNull(0, 1) && !absl::SimpleAtoi(r.Get(0, 1), &xid))) {
    return absl::InternalError("unexpected answer to the snapshot's time and transaction id");
  }
  point.xid = Xid(static_cast<uint32_t>(xid));
  point.lsn = lsn;
  if (!point.lsn.is_valid()) {
    std::optional<Lsn> current = r.IsNull(0, 2) ? std::nullopt : Lsn::Parse(ToStd(r.Get(0, 2)));
    if (!current.has_value()) {
      return absl::InternalError(absl::StrCat("unexpected WAL position '", r.Get(0, 2), "'"));
    }
    point.lsn = *current;
  }
  point.resume = point.lsn;
  return point;
}

absl::StatusOr<SnapshotResult> RunInitialSnapshot(replication::PgConnection& conn,
                                                  schema::Catalog* catalog,
                                                  const ConnectorConfig& config,
                                                  const SnapshotPoint& point, Sink* sink,
                                                  const SnapshotOptions& options) {
  const auto started = Clock::now();
  const TableFilter table_filter(config.table_include_list, config.table_exclude_list);
  TRACKOPS_ASSIGN_OR_RETURN(std::vector<CapturedTable> captured,
                            ListCapturedTables(conn, table_filter, options.skip_tables));
  if (!config.snapshot_include_list.empty()) {
    // snapshot.include.collection.list: a subset of the captured tables.
    const TableFilter subset(config.snapshot_include_list, {});
    std::erase_if(captured, [&subset](const CapturedTable& t) {
      return !subset.Includes(t.schema_name, t.table_name);
    });
  }
  TRACKOPS_RETURN_IF_ERROR(EstimateUnknownSizes(conn, &captured));
  event::ChangeEncoder encoder(options.encoder);
  TRACKOPS_ASSIGN_OR_RETURN(std::vector<PreparedTable> tables,
                            PrepareTables(captured, catalog, config, encoder));
  if (options.progress != nullptr) {
    options.progress->tables_total = static_cast<uint32_t>(tables.size());
  }
  Log(LogLevel::kInfo, "snapshot: %d tables at %s (transaction %d)", tables.size(),
      point.lsn.ToString(), point.xid.value());

  // Resuming: from where the sink's position says, without the rows the
  // stream will deliver.
  size_t first_table = 0;
  int64_t first_page = 0;
  if (options.resume != nullptr) {
    std::tie(first_table, first_page) = ResumeAt(tables, *options.resume);
  }
  std::optional<ChangedRows> changed;
  if (options.resume != nullptr && first_table < tables.size()) {
    TRACKOPS_ASSIGN_OR_RETURN(replication::PgResult r,
                              conn.Exec("SELECT pg_current_wal_insert_lsn()::text"));
    std::optional<Lsn> upto = Lsn::Parse(ToStd(r.Get(0, 0)));
    if (!upto.has_value()) {
      return absl::InternalError(absl::StrCat("unexpected WAL position '", r.Get(0, 0), "'"));
    }
    std::vector<IdentifiedTable> remaining;
    for (size_t i = first_table; i < tables.size(); ++i) {
      remaining.push_back(IdentifiedTable{tables[i].name, tables[i].identity_names});
    }
    TRACKOPS_ASSIGN_OR_RETURN(auto window,
                              replication::PgConnection::Connect(options.conninfo, false));
    TRACKOPS_ASSIGN_OR_RETURN(
        changed, CollectChangedRows(*window, PeekOptions{options.slot, options.publication, *upto},
                                    remaining));
  }
  if (options.progress != nullptr) {
    options.progress->tables_done = static_cast<uint32_t>(first_table);
  }

  event::ChangeContext context;
  context.commit_time = point.time;
  context.xid = point.xid;
  context.lsn = point.lsn;
  TransactionInfo txn{point.xid, point.resume, point.resume, point.time, SnapshotPhase::kRunning};
  bool sink_open = false;
  int64_t in_transaction = 0;
  SnapshotResult result;
  result.tables = static_cast<uint32_t>(tables.size());
  auto write = [sink](const Record& r) { return sink->Write(r); };
  auto emit = [&](size_t table, pgoutput::Tuple row, event::SnapshotMarker marker) -> absl::Status {
    if (!sink_open) {
      TRACKOPS_RETURN_IF_ERROR(sink->BeginTransaction(txn));
      sink_open = true;
    }
    context.snapshot = marker;
    context.processing_time_ns = absl::GetCurrentTimeNanos();
    TRACKOPS_RETURN_IF_ERROR(encoder.EncodeRead(*tables[table].encoding, row, context, write));
    ++result.rows;
    ++in_transaction;
    if (options.progress != nullptr) options.progress->rows.fetch_add(1, std::memory_order_relaxed);
    return absl::OkStatus();
  };
  // Commits what was emitted; `next` is the first chunk with rows not
  // delivered (chunks.size(): every chunk's).
  SnapshotPosition position;
  auto commit = [&](const std::vector<Chunk>& chunks, size_t next) -> absl::Status {
    sink_open = false;
    in_transaction = 0;
    if (next < chunks.size()) {
      const PreparedTable& t = tables[chunks[next].table];
      position = SnapshotPosition{t.name, chunks[next].first_page, t.filenode};
    } else {
      position = SnapshotPosition{"", 0, 0};
    }
    txn.snapshot_position = &position;
    absl::Status committed = sink->CommitTransaction(txn);
    txn.snapshot_position = nullptr;
    return committed;
  };
  auto fail = [&](absl::Status s) -> absl::Status {
    if (sink_open) {
      absl::Status aborted = sink->AbortTransaction();
      if (!aborted.ok()) Log(LogLevel::kWarning, "sink abort failed: %s", aborted.ToString());
    }
    return s;
  };

  // Readers: this connection alone, or worker connections in the same
  // snapshot (an exported one, valid while this transaction lasts).
  const std::vector<Chunk> chunks = PlanChunks(
      tables, options.chunk_pages, conn.server_version() >= 140000, first_table, first_page);
  // Workers pay only when some table has several chunks.
  size_t tables_read = 0;
  for (size_t c = 0; c < chunks.size(); ++c) {
    tables_read += c == 0 || chunks[c].table != chunks[c - 1].table;
  }
  std::vector<std::unique_ptr<replication::PgConnection>> workers;
  if (options.max_threads > 1 && chunks.size() > tables_read) {
    std::string name = options.exported_snapshot;
    if (name.empty()) {
      TRACKOPS_ASSIGN_OR_RETURN(replication::PgResult r, conn.Exec("SELECT pg_export_snapshot()"));
      name = std::string(r.Get(0, 0));
    }
    for (int i = 0; i < options.max_threads; ++i) {
      TRACKOPS_ASSIGN_OR_RETURN(auto worker,
                                replication::PgConnection::Connect(options.conninfo, false));
      TRACKOPS_RETURN_IF_ERROR(ImportSnapshot(*worker, name));
      workers.push_back(std::move(worker));
    }
    Log(LogLevel::kInfo, "snapshot: %d readers, %d chunks of up to %d pages", workers.size(),
        chunks.size(), options.chunk_pages);
  }
  ChunkReader reader(&chunks, &conn, std::move(workers));

  RowSequencer sequencer(tables.size());
  std::string unescaped, identity;
  std::vector<pgoutput::TupleColumn> columns;
  auto next_progress = started + kProgressInterval;
  Clock::time_point table_started;
  uint64_t rows = 0;  // Of the current table.
  // The chunk of the row the sequencer holds back (chunks.size(): none).
  size_t held_chunk = chunks.size();
  for (size_t c = 0; c < chunks.size(); ++c) {
    const size_t i = chunks[c].table;
    const PreparedTable& table = tables[i];
    const bool first_chunk = c == 0 || chunks[c - 1].table != i;
    const bool last_chunk = c + 1 == chunks.size() || chunks[c + 1].table != i;
    const bool skipping = changed.has_value() && changed->HasTable(table.name);
    if (first_chunk) {
      table_started = Clock::now();
      rows = 0;
      Log(LogLevel::kInfo, "snapshot: reading %s (%d of %d tables, %s)", table.name, i + 1,
          tables.size(),
          table.estimated_rows >= 0 ? absl::StrCat("about ", table.estimated_rows, " rows")
                                    : std::string("size not known yet"));
      sequencer.BeginTable(i);
    }
    absl::Status s = reader.ForEachLine(c, [&](std::string_view line) -> absl::Status {
      absl::Status parsed = ParseCopyTextRow(line, table.columns, &unescaped, &columns);
      if (!parsed.ok()) {
        return absl::DataLossError(absl::StrCat("snapshot of table ", table.name, ", row ",
                                                rows + 1, ": ", parsed.message()));
      }
      if (skipping) {
        identity.clear();
        if (AppendTupleIdentity(&identity, table.identity, pgoutput::Tuple(columns),
                                pgoutput::Tuple()) &&
            changed->Take(table.name, identity)) {
          ++result.skipped;
          return absl::OkStatus();
        }
      }
      // A row after chunks that are all emitted once the held one is.
      const bool boundary = held_chunk != c;
      TRACKOPS_RETURN_IF_ERROR(sequencer.Add(pgoutput::Tuple(columns), emit));
      held_chunk = c;
      if (in_transaction >= options.rows_per_transaction && (boundary || chunks[c].commit_inside)) {
        TRACKOPS_RETURN_IF_ERROR(commit(chunks, c));
      }
      if (++rows % kCheckEvery != 0) return absl::OkStatus();
      if (options.stop != nullptr && options.stop->load(std::memory_order_relaxed)) {
        return absl::CancelledError(absl::StrCat("stopped during the snapshot of table ",
                                                 table.name, " after ", rows, " rows"));
      }
      const auto now = Clock::now();
      if (now < next_progress) return absl::OkStatus();
      next_progress = now + kProgressInterval;
      Log(LogLevel::kInfo, "snapshot: %s: %s", table.name,
          DescribeProgress(rows, table.estimated_rows, now - table_started));
      return absl::OkStatus();
    });
    if (!s.ok()) {
      reader.Cancel();
      return fail(s);
    }
    if (last_chunk) {
      sequencer.EndTable();
      if (options.progress != nullptr) options.progress->tables_done.fetch_add(1);
      Log(LogLevel::kInfo, "snapshot: read %d rows of %s (%d of %d tables) in %s", rows, table.name,
          i + 1, tables.size(), FormatDuration(Clock::now() - table_started));
    }
  }
  absl::Status finished = sequencer.Finish(emit);
  if (!finished.ok()) return fail(finished);
  // The last transaction says the snapshot is complete, even when empty.
  txn.snapshot = SnapshotPhase::kCompleted;
  if (!sink_open) {
    absl::Status begun = sink->BeginTransaction(txn);
    if (!begun.ok()) return begun;
  }
  sink_open = false;
  TRACKOPS_RETURN_IF_ERROR(sink->CommitTransaction(txn));
  TRACKOPS_RETURN_IF_ERROR(sink->Flush());
  Log(LogLevel::kInfo, "snapshot: completed, %d rows of %d tables in %s", result.rows,
      result.tables, FormatDuration(Clock::now() - started));
  if (result.skipped > 0) {
    Log(LogLevel::kInfo,
        "snapshot: %d rows changed since the snapshot stopped come from the stream",
        result.skipped);
  }
  return result;
}

}  // namespace trackops::snapshot
