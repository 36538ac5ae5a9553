#include "snapshot/prepared_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "config/table_filter.h"
#include "schema/column_selection.h"
#include "schema/schema_cache.h"
#include "util/status_macros.h"

namespace trackops::snapshot {

absl::StatusOr<std::vector<PreparedTable>> PrepareTables(const std::vector<CapturedTable>& tables,
                                                         schema::Catalog* catalog,
                                                         const ConnectorConfig& config,
                                                         const event::ChangeEncoder& encoder) {
  const TableFilter column_filter(config.column_include_list, config.column_exclude_list);
  schema::SchemaCache schemas(catalog);
  std::vector<pgoutput::RelationColumn> storage;
  std::vector<PreparedTable> out;
  for (const CapturedTable& t : tables) {
    TRACKOPS_ASSIGN_OR_RETURN(const schema::TableSchema* schema,
                              schemas.Update(t.AsRelation(&storage)));
    // Debezium's snapshot selects the columns the events carry.
    schema::ColumnSelection selection = schema::SelectColumns(*schema, column_filter);
    const std::vector<schema::ColumnSchema>& columns = selection.table.columns;
    PreparedTable p;
    p.name = absl::StrCat(t.schema_name, ".", t.table_name);
    p.quoted_name = t.QuotedName();
    p.relation_id = t.relation_id;
    p.estimated_rows = t.estimated_rows;
    p.pages = t.pages;
    p.partitioned = t.partitioned;
    p.filenode = t.filenode;
    TRACKOPS_ASSIGN_OR_RETURN(p.encoding, encoder.NewTableEncoding(selection.table));
    std::string list;
    for (size_t i = 0; i < columns.size(); ++i) {
      std::string quoted = QuoteIdentifier(columns[i].name);
      absl::StrAppend(&list, i == 0 ? "" : ", ", quoted);
      if (columns[i].is_key) {
        p.key.push_back(i);
        p.key_sql.push_back(std::move(quoted));
      }
    }
    p.columns = columns.size();
    p.select = absl::StrCat("SELECT ", list, " FROM ", p.quoted_name);
    if (t.replica_identity == pgoutput::kReplicaIdentityDefault ||
        t.replica_identity == pgoutput::kReplicaIdentityIndex) {
      for (const CapturedColumn& c : t.columns) {
        if (!c.in_replica_identity) continue;
        auto at = std::find_if(columns.begin(), columns.end(),
                               [&c](const schema::ColumnSchema& s) { return s.name == c.name; });
        if (at == columns.end()) {
          p.identity.clear();
          break;
        }
        p.identity.push_back(static_cast<size_t>(at - columns.begin()));
      }
    }
    p.identity_unique = !p.identity.empty();
    if (p.identity.empty()) {
      for (size_t i = 0; i < p.columns; ++i) p.identity.push_back(i);
    }
    for (size_t i : p.identity) p.identity_names.push_back(columns[i].name);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace trackops::snapshot
