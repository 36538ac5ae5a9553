#include "engine/pg_catalog.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace trackops::engine {

absl::StatusOr<std::vector<schema::ColumnFacts>> PgCatalog::ColumnsOf(RelationId relation) {
  // Per column: NOT NULL, primary key, and the type through domains (the
  // first domain typmod on the way, as PgJDBC/Debezium take a domain's
  // length and scale), with enum labels in sort order.
  TRACKOPS_ASSIGN_OR_RETURN(
      replication::PgResult r,
      conn_->ExecParams(
          "WITH RECURSIVE chain AS ("
          "  SELECT a.attnum, a.atttypid AS type_oid, -1 AS typmod, 0 AS depth "
          "  FROM pg_attribute a "
          "  WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped "
          "  UNION ALL "
          "  SELECT c.attnum, t.typbasetype, "
          "         CASE WHEN c.typmod = -1 THEN t.typtypmod ELSE c.typmod END, c.depth + 1 "
          "  FROM chain c JOIN pg_type t ON t.oid = c.type_oid "
          "  WHERE t.typtype = 'd' AND c.depth < 32) "
          "SELECT a.attname, a.attnotnull, "
          "       coalesce(a.attnum = ANY(i.indkey::int2[]), false), "
          "       b.type_oid, b.typmod, bt.typtype = 'e', "
          "       (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) "
          "        FROM pg_enum e WHERE e.enumtypid = coalesce(et.oid, b.type_oid)), "
          "       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END "
          "FROM pg_attribute a "
          "LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary "
          "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
          "JOIN LATERAL (SELECT c.type_oid, c.typmod FROM chain c WHERE c.attnum = a.attnum "
          "              ORDER BY c.depth DESC LIMIT 1) b ON true "
          "JOIN pg_type bt ON bt.oid = b.type_oid "
          "LEFT JOIN pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A' "
          "                     AND et.typtype = 'e' "
          "WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped "
          "ORDER BY a.attnum",
          {absl::StrCat(relation.value())}));
  if (r.rows() == 0) {
    return absl::NotFoundError(absl::StrCat("relation ", relation.value(), " not in the catalog"));
  }
  std::vector<schema::ColumnFacts> facts;
  facts.reserve(static_cast<size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    schema::ColumnFacts f;
    f.name = std::string(r.Get(i, 0));
    f.not_null = r.Get(i, 1) == "t";
    f.primary_key = r.Get(i, 2) == "t";
    if (!absl::SimpleAtoi(r.Get(i, 3), &f.base_type_oid) ||
        !absl::SimpleAtoi(r.Get(i, 4), &f.base_type_modifier)) {
      return absl::InternalError(absl::StrCat("unexpected type facts for relation ",
                                              relation.value(), " column ", f.name));
    }
    f.is_enum = r.Get(i, 5) == "t";
    f.is_enum_array = !f.is_enum && !r.IsNull(i, 6);
    if (f.is_enum || f.is_enum_array) f.enum_labels = std::string(r.Get(i, 6));
    f.has_default = !r.IsNull(i, 7);
    if (f.has_default) f.default_expression = std::string(r.Get(i, 7));
    facts.push_back(std::move(f));
  }
  return facts;
}

}  // namespace trackops::engine
