// The tables an initial snapshot reads, in the order Debezium 3.6.1 reads
// them (RelationalSnapshotChangeEventSource.determineCapturedTables): the
// ordinary and partitioned tables of every user schema that table.include.list
// / table.exclude.list capture, grouped by the first include pattern each
// matches (in the list's order) and sorted by "schema.table" within a group.
//
// Each table is described as pgoutput's Relation message would describe it
// (columns in attribute order without dropped or generated ones, the type and
// typmod of each, the replica identity key flags), so that its events come out
// of the same schema and encoder code as streamed ones.

#ifndef TRACKOPS_SNAPSHOT_CAPTURED_TABLES_H_
#define TRACKOPS_SNAPSHOT_CAPTURED_TABLES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "config/table_filter.h"
#include "pgoutput/messages.h"
#include "replication/pg_connection.h"
#include "trackops/types.h"

namespace trackops::snapshot {

// Sets the output settings a walsender has (DateStyle ISO, IntervalStyle
// postgres, bytea_output hex, extra_float_digits 1), so that values read on
// `conn` come out as pgoutput sends them: for the open transaction only
// (`local`) or for the session.
absl::Status SetWalsenderOutput(replication::PgConnection& conn, bool local);

// `name` quoted as an SQL identifier ("a""b" for a"b); no connection needed.
std::string QuoteIdentifier(std::string_view name);

struct CapturedColumn {
  std::string name;
  uint32_t type_oid = 0;
  int32_t type_modifier = -1;
  bool in_replica_identity = false;
};

struct CapturedTable {
  RelationId relation_id;
  std::string schema_name;
  std::string table_name;
  char replica_identity = pgoutput::kReplicaIdentityDefault;
  std::vector<CapturedColumn> columns;
  // An estimate of the row count (pg_class.reltuples); -1 when unknown
  // (never vacuumed nor analysed) until EstimateUnknownSizes.
  int64_t estimated_rows = -1;
  // The heap's size in pages now (0 for a partitioned table, which has none).
  int64_t pages = 0;
  bool partitioned = false;
  // pg_class.relfilenode as of the snapshot (0 for a partitioned table):
  // a rewrite (VACUUM FULL, CLUSTER, some ALTER TABLE) changes it, and with
  // it every row's place in the heap.
  uint32_t filenode = 0;

  // As a Relation message. Its views point into this table and `*storage`.
  pgoutput::Relation AsRelation(std::vector<pgoutput::RelationColumn>* storage) const;
  // "schema"."table", quoted for SQL.
  std::string QuotedName() const;
};

// Reads the catalog as `conn`'s current transaction sees it (inside the
// snapshot's transaction: as of the snapshot). `skip`: "schema.table" names
// never read (the signal table), may be empty.
absl::StatusOr<std::vector<CapturedTable>> ListCapturedTables(replication::PgConnection& conn,
                                                              const TableFilter& tables,
                                                              const std::vector<std::string>& skip);

// Gives the tables whose size is unknown one: their count when small (up to
// 1 MiB of heap), else the planner's estimate. For the tables about to be
// read only: it costs a query each.
absl::Status EstimateUnknownSizes(replication::PgConnection& conn,
                                  std::vector<CapturedTable>* tables);

}  // namespace trackops::snapshot

#endif  // TRACKOPS_SNAPSHOT_CAPTURED_TABLES_H_
