#include "engine/pg_catalog.h"

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace trackops::engine {

absl::StatusOr<std::vector<schema::ColumnFacts>> PgCatalog::ColumnsOf(RelationId relation) {
  TRACKOPS_ASSIGN_OR_RETURN(
      replication::PgResult r,
      conn_->ExecParams(
          "SELECT a.attname, a.attnotnull, "
          "       coalesce(a.attnum = ANY(i.indkey::int2[]), false) "
          "FROM pg_attribute a "
          "LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary "
          "WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped "
          "ORDER BY a.attnum",
          {absl::StrCat(relation.value())}));
  if (r.rows() == 0) {
    return absl::NotFoundError(absl::StrCat("relation ", relation.value(), " not in the catalog"));
  }
  std::vector<schema::ColumnFacts> facts;
  facts.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    facts.push_back({std::string(r.Get(i, 0)), r.Get(i, 1) == "t", r.Get(i, 2) == "t"});
  }
  return facts;
}

}  // namespace trackops::engine
