// The rows a resumed snapshot must not read: those that transactions the
// stream will deliver wrote (inserted, or updated into their current form).
//
// A snapshot cut short resumes in a new database snapshot, while streaming
// still starts at the first snapshot's consistent point. A row that no
// transaction since then touched is the same in both snapshots and is read
// as usual. A row that one did touch reaches the consumer through the stream
// (as a create or an update carrying the whole row); reading it too would
// deliver it twice. CollectChangedRows finds those rows by decoding, without
// consuming, the slot's changes from its position up to a point at or after
// the new snapshot (pg_logical_slot_peek_binary_changes), and the snapshot
// reader Take()s each before emitting a row.
//
// A row is known by its identity: the text of its replica identity columns
// (the primary key, usually), or of all its columns for a table without one.
// Rows with equal identities are counted, so that a table without a key
// that holds duplicate rows skips exactly as many as the stream wrote.
//
// Thread safety: none; one thread.

#ifndef TRACKOPS_SNAPSHOT_CHANGED_ROWS_H_
#define TRACKOPS_SNAPSHOT_CHANGED_ROWS_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "pgoutput/messages.h"
#include "replication/pg_connection.h"
#include "trackops/types.h"

namespace trackops::snapshot {

// Appends one column of an identity: NULL, or the column's text.
void AppendIdentityColumn(std::string* identity, const std::string_view* text);

// Appends the identity of the columns at `positions` of a pgoutput tuple in
// text (`old`, when not empty, fills in columns stored out of line that an
// update left unchanged). False when one is missing or not text: what was
// appended then identifies nothing.
bool AppendTupleIdentity(std::string* identity, std::span<const size_t> positions,
                         pgoutput::Tuple row, pgoutput::Tuple old);

class ChangedRows {
 public:
  // A row of `table` ("schema.table") that the stream delivers.
  void Add(std::string_view table, std::string identity);
  // True when `table` has changed rows at all (lets readers skip the work).
  bool HasTable(std::string_view table) const;
  // Whether a row with `identity` was added and not yet taken; takes one.
  bool Take(std::string_view table, std::string_view identity);

  size_t rows() const { return rows_; }
  // Rows the stream changed whose identity it did not carry (a key column
  // stored out of line and unchanged): read again by the snapshot.
  size_t unidentified() const { return unidentified_; }
  void AddUnidentified() { ++unidentified_; }

 private:
  absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, uint32_t>> tables_;
  size_t rows_ = 0;
  size_t unidentified_ = 0;
};

// A table whose changed rows are wanted, and the columns that identify its
// rows (in the order the snapshot reads them).
struct IdentifiedTable {
  std::string name;  // schema.table
  std::vector<std::string> identity_columns;
};

struct PeekOptions {
  std::string slot;
  std::string publication;
  // Decodes the transactions that committed before this position.
  Lsn upto;
};

// Decodes the slot's pending changes (it must not be in use) on `conn`, an
// ordinary connection outside any transaction with the snapshot's output
// settings (so that values come out as the snapshot reads them), and
// collects the rows of `tables` that inserts and updates wrote. First waits
// until the server has flushed its WAL up to `options.upto` (the slot's
// changes are decoded only that far; with asynchronous commit a transaction
// is visible before then). Errors: kUnavailable when another connection
// holds the slot or the WAL is not flushed within 60 s, kDataLoss for
// changes that do not decode.
absl::StatusOr<ChangedRows> CollectChangedRows(replication::PgConnection& conn,
                                               const PeekOptions& options,
                                               const std::vector<IdentifiedTable>& tables);

}  // namespace trackops::snapshot

#endif  // TRACKOPS_SNAPSHOT_CHANGED_ROWS_H_
