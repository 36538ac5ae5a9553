// A captured table ready to be read by a snapshot: the encoding of its
// events, the SELECT of the columns they carry, and the columns that tell
// its rows apart. Shared by the initial and the incremental snapshots.

#ifndef TRACKOPS_SNAPSHOT_PREPARED_TABLE_H_
#define TRACKOPS_SNAPSHOT_PREPARED_TABLE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "event/change_encoder.h"
#include "schema/catalog.h"
#include "snapshot/captured_tables.h"
#include "trackops/config.h"

namespace trackops::snapshot {

struct PreparedTable {
  std::string name;         // schema.table, for messages.
  std::string quoted_name;  // "schema"."table"
  RelationId relation_id;
  std::unique_ptr<event::TableEncoding> encoding;
  std::string select;  // SELECT <columns> FROM <table>
  size_t columns = 0;
  int64_t estimated_rows = -1;
  int64_t pages = 0;
  bool partitioned = false;
  uint32_t filenode = 0;
  // The columns that tell its rows apart (replica identity key, else all),
  // as names and as positions in the SELECT list.
  std::vector<std::string> identity_names;
  std::vector<size_t> identity;
  // True when the identity is a key (the primary key or the replica identity
  // index): no two rows share it. Otherwise equal rows cannot be told apart.
  bool identity_unique = false;
  // The event key's columns (primary key, or message.key.columns), as
  // positions in the SELECT list and quoted for SQL; empty: no key.
  std::vector<size_t> key;
  std::vector<std::string> key_sql;
};

// Builds each table's schema over `catalog` (which must read the database as
// the snapshot sees it), applies the column filters of `config`, and makes
// its encoding with `encoder`.
absl::StatusOr<std::vector<PreparedTable>> PrepareTables(const std::vector<CapturedTable>& tables,
                                                         schema::Catalog* catalog,
                                                         const ConnectorConfig& config,
                                                         const event::ChangeEncoder& encoder);

}  // namespace trackops::snapshot

#endif  // TRACKOPS_SNAPSHOT_PREPARED_TABLE_H_
