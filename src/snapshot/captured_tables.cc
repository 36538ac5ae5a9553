#include "snapshot/captured_tables.h"

#include <algorithm>
#include <tuple>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pgoutput/pgoutput_format.h"
#include "util/status_macros.h"

namespace trackops::snapshot {
namespace {

absl::Status Unexpected(absl::string_view what, absl::string_view value) {
  return absl::InternalError(absl::StrCat("unexpected ", what, " in the catalog: '", value, "'"));
}

// The row count of a plan's top line ("Seq Scan on t  (cost=0.00..35.50
// rows=2550 width=40)"); -1 when it has none.
int64_t PlannedRows(absl::string_view line) {
  const size_t at = line.find(" rows=");
  if (at == absl::string_view::npos) return -1;
  absl::string_view digits = line.substr(at + 6);
  digits = digits.substr(0, digits.find(' '));
  int64_t rows = -1;
  return absl::SimpleAtoi(digits, &rows) ? rows : -1;
}

}  // namespace

pgoutput::Relation CapturedTable::AsRelation(std::vector<pgoutput::RelationColumn>* storage) const {
  storage->clear();
  for (const CapturedColumn& c : columns) {
    storage->push_back(pgoutput::RelationColumn{
        static_cast<uint8_t>(c.in_replica_identity ? pgoutput::kColumnFlagKey : 0), c.name,
        c.type_oid, c.type_modifier});
  }
  pgoutput::Relation r;
  r.relation_id = relation_id;
  r.schema_name = schema_name;
  r.relation_name = table_name;
  r.replica_identity = replica_identity;
  r.columns = *storage;
  return r;
}

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char ch : name) {
    if (ch == '"') out.push_back('"');
    out.push_back(ch);
  }
  return out + "\"";
}

std::string CapturedTable::QuotedName() const {
  return absl::StrCat(QuoteIdentifier(schema_name), ".", QuoteIdentifier(table_name));
}

absl::Status SetWalsenderOutput(replication::PgConnection& conn, bool local) {
  for (const char* setting : {"DateStyle = ISO", "IntervalStyle = postgres", "bytea_output = hex",
                              "extra_float_digits = 1"}) {
    TRACKOPS_RETURN_IF_ERROR(
        conn.Exec(absl::StrCat(local ? "SET LOCAL " : "SET ", setting)).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<CapturedTable>> ListCapturedTables(
    replication::PgConnection& conn, const TableFilter& tables,
    const std::vector<std::string>& skip) {
  TRACKOPS_ASSIGN_OR_RETURN(
      replication::PgResult r,
      conn.Exec("SELECT c.oid, n.nspname, c.relname, c.relreplident, c.reltuples::int8, "
                "       pg_relation_size(c.oid) / current_setting('block_size')::int8, "
                "       c.relkind = 'p', c.relfilenode "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind IN ('r', 'p') "
                "  AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                "  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"));
  const absl::flat_hash_set<std::string> skipped(skip.begin(), skip.end());
  struct Ordered {
    size_t pattern;
    std::string name;
    CapturedTable table;
  };
  std::vector<Ordered> ordered;
  for (int i = 0; i < r.rows(); ++i) {
    CapturedTable t;
    t.schema_name = std::string(r.Get(i, 1));
    t.table_name = std::string(r.Get(i, 2));
    std::optional<size_t> position = tables.IncludePosition(t.schema_name, t.table_name);
    std::string name = absl::StrCat(t.schema_name, ".", t.table_name);
    if (!position.has_value() || skipped.contains(name)) continue;
    uint32_t oid = 0;
    if (!absl::SimpleAtoi(r.Get(i, 0), &oid)) return Unexpected("relation oid", r.Get(i, 0));
    t.relation_id = RelationId(oid);
    t.replica_identity = r.Get(i, 3).empty() ? pgoutput::kReplicaIdentityDefault : r.Get(i, 3)[0];
    if (!absl::SimpleAtoi(r.Get(i, 4), &t.estimated_rows)) t.estimated_rows = -1;
    if (!absl::SimpleAtoi(r.Get(i, 5), &t.pages)) return Unexpected("relation size", r.Get(i, 5));
    t.partitioned = r.Get(i, 6) == "t";
    if (!absl::SimpleAtoi(r.Get(i, 7), &t.filenode)) return Unexpected("relfilenode", r.Get(i, 7));
    ordered.push_back(Ordered{*position, std::move(name), std::move(t)});
  }
  // Debezium: per include pattern, tables sorted by TableId's string (Java's
  // String.compareTo: code unit order, which is byte order for these names
  // outside the supplementary planes).
  std::sort(ordered.begin(), ordered.end(), [](const Ordered& a, const Ordered& b) {
    return std::tie(a.pattern, a.name) < std::tie(b.pattern, b.name);
  });
  std::vector<CapturedTable> out;
  if (ordered.empty()) return out;
  absl::flat_hash_map<uint32_t, size_t> index;
  std::vector<std::string> oids;
  for (Ordered& o : ordered) {
    index[o.table.relation_id.value()] = out.size();
    oids.push_back(absl::StrCat(o.table.relation_id.value()));
    out.push_back(std::move(o.table));
  }
  // The columns pgoutput sends (not dropped, not generated) and its replica
  // identity flags: every column under FULL, none under NOTHING, else the key
  // columns of the primary key (DEFAULT) or of the replica identity index.
  TRACKOPS_ASSIGN_OR_RETURN(
      replication::PgResult cols,
      conn.ExecParams(
          "SELECT a.attrelid, a.attname, a.atttypid, a.atttypmod, "
          "       CASE c.relreplident WHEN 'f' THEN true WHEN 'n' THEN false ELSE EXISTS ("
          "         SELECT 1 FROM pg_index i, "
          "                unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) "
          "         WHERE i.indrelid = c.oid AND k.attnum = a.attnum "
          "           AND k.n <= i.indnkeyatts "
          "           AND CASE c.relreplident WHEN 'd' THEN i.indisprimary "
          "                                   ELSE i.indisreplident END) END "
          "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
          "WHERE a.attrelid = ANY ($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped "
          "  AND a.attgenerated = '' "
          "ORDER BY a.attrelid, a.attnum",
          {absl::StrCat("{", absl::StrJoin(oids, ","), "}")}));
  for (int i = 0; i < cols.rows(); ++i) {
    uint32_t oid = 0;
    CapturedColumn c;
    if (!absl::SimpleAtoi(cols.Get(i, 0), &oid)) return Unexpected("attrelid", cols.Get(i, 0));
    if (!absl::SimpleAtoi(cols.Get(i, 2), &c.type_oid)) {
      return Unexpected("atttypid", cols.Get(i, 2));
    }
    if (!absl::SimpleAtoi(cols.Get(i, 3), &c.type_modifier)) {
      return Unexpected("atttypmod", cols.Get(i, 3));
    }
    c.name = std::string(cols.Get(i, 1));
    c.in_replica_identity = cols.Get(i, 4) == "t";
    auto it = index.find(oid);
    if (it != index.end()) out[it->second].columns.push_back(std::move(c));
  }
  return out;
}

absl::Status EstimateUnknownSizes(replication::PgConnection& conn,
                                  std::vector<CapturedTable>* tables) {
  // A small table is counted: the planner guesses hundreds of rows for a
  // page of three. A larger one gets the planner's estimate, which it makes
  // from the heap's size now.
  constexpr int64_t kCountedPages = 128;  // 1 MiB of heap.
  for (CapturedTable& t : *tables) {
    if (t.estimated_rows >= 0) continue;
    const bool small = !t.partitioned && t.pages <= kCountedPages;
    TRACKOPS_ASSIGN_OR_RETURN(
        replication::PgResult size,
        conn.Exec(absl::StrCat(small ? "SELECT count(*) FROM " : "EXPLAIN SELECT * FROM ",
                               t.QuotedName())));
    if (size.rows() == 0) continue;
    if (!small) {
      t.estimated_rows = PlannedRows(size.Get(0, 0));
    } else if (!absl::SimpleAtoi(size.Get(0, 0), &t.estimated_rows)) {
      t.estimated_rows = -1;
    }
  }
  return absl::OkStatus();
}

}  // namespace trackops::snapshot
