#include "engine/pg_catalog.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace trackops::engine {

absl::StatusOr<std::vector<schema::ColumnFacts>> PgCatalog::ColumnsOf(RelationId relation) {
  // Per column: NOT NULL, its position in the event key, and the type
  // through domains (the first domain typmod on the way, as PgJDBC/Debezium
  // take a domain's length and scale), with enum labels in sort order.
  //
  // The key is Debezium's (PgOutputMessageDecoder.handleRelationMessage): the
  // primary key in its column order (PgJDBC getPrimaryKeys, KEY_SEQ: its key
  // columns, not INCLUDE ones); without one, the first unique index in the
  // order of PgJDBC getIndexInfo (clustered first, then by name) that has no
  // expression column (JdbcConnection.readTableUniqueIndices), with every
  // column of its indkey (INCLUDE columns too, partial indexes too), whatever
  // the replica identity is.
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
          "  WHERE t.typtype = 'd' AND c.depth < 32), "
          "key_index AS ("
          "  SELECT i.indkey::int2[] AS cols, "
          "         CASE WHEN i.indisprimary THEN i.indnkeyatts ELSE i.indnatts END AS ncols "
          "  FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid "
          "  WHERE i.indrelid = $1::oid AND (i.indisprimary OR (i.indisunique "
          "        AND 0 <> ALL (i.indkey::int2[]) "
          "        AND NOT EXISTS (SELECT 1 FROM pg_index p "
          "                        WHERE p.indrelid = $1::oid AND p.indisprimary))) "
          "  ORDER BY i.indisprimary DESC, i.indisclustered DESC, ci.relname "
          "  LIMIT 1) "
          "SELECT a.attname, a.attnotnull, "
          "       coalesce((SELECT min(k.n) FROM key_index, "
          "                 unnest(key_index.cols) WITH ORDINALITY AS k(attnum, n) "
          "                 WHERE k.attnum = a.attnum AND k.n <= key_index.ncols), 0), "
          "       b.type_oid, b.typmod, bt.typtype = 'e', "
          "       (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) "
          "        FROM pg_enum e WHERE e.enumtypid = coalesce(et.oid, b.type_oid)), "
          "       CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END, "
          "       a.atttypid, bt.typname "
          "FROM pg_attribute a "
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
    if (!absl::SimpleAtoi(r.Get(i, 2), &f.key_position) ||
        !absl::SimpleAtoi(r.Get(i, 8), &f.type_oid) ||
        !absl::SimpleAtoi(r.Get(i, 3), &f.base_type_oid) ||
        !absl::SimpleAtoi(r.Get(i, 4), &f.base_type_modifier)) {
      return absl::InternalError(absl::StrCat("unexpected type facts for relation ",
                                              relation.value(), " column ", f.name));
    }
    f.is_enum = r.Get(i, 5) == "t";
    f.is_enum_array = !f.is_enum && !r.IsNull(i, 6);
    if (f.is_enum || f.is_enum_array) f.enum_labels = std::string(r.Get(i, 6));
    f.has_default = !r.IsNull(i, 7);
    if (f.has_default) f.default_expression = std::string(r.Get(i, 7));
    f.base_type_name = std::string(r.Get(i, 9));
    facts.push_back(std::move(f));
  }
  return facts;
}

absl::StatusOr<schema::TypeFacts> PgCatalog::TypeOf(uint32_t type_oid) {
  // As the type part of ColumnsOf, for one type.
  TRACKOPS_ASSIGN_OR_RETURN(
      replication::PgResult r,
      conn_->ExecParams(
          "WITH RECURSIVE chain AS ("
          "  SELECT $1::oid AS type_oid, -1 AS typmod, 0 AS depth "
          "  UNION ALL "
          "  SELECT t.typbasetype, "
          "         CASE WHEN c.typmod = -1 THEN t.typtypmod ELSE c.typmod END, c.depth + 1 "
          "  FROM chain c JOIN pg_type t ON t.oid = c.type_oid "
          "  WHERE t.typtype = 'd' AND c.depth < 32) "
          "SELECT b.type_oid, b.typmod, bt.typtype = 'e', "
          "       (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) "
          "        FROM pg_enum e WHERE e.enumtypid = coalesce(et.oid, b.type_oid)), "
          "       bt.typname "
          "FROM (SELECT type_oid, typmod FROM chain ORDER BY depth DESC LIMIT 1) b "
          "JOIN pg_type bt ON bt.oid = b.type_oid "
          "LEFT JOIN pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A' "
          "                     AND et.typtype = 'e'",
          {absl::StrCat(type_oid)}));
  if (r.rows() == 0) {
    return absl::NotFoundError(absl::StrCat("type ", type_oid, " not in the catalog"));
  }
  schema::TypeFacts f;
  if (!absl::SimpleAtoi(r.Get(0, 0), &f.base_type_oid) ||
      !absl::SimpleAtoi(r.Get(0, 1), &f.base_type_modifier)) {
    return absl::InternalError(absl::StrCat("unexpected facts for type ", type_oid));
  }
  f.is_enum = r.Get(0, 2) == "t";
  f.is_enum_array = !f.is_enum && !r.IsNull(0, 3);
  if (f.is_enum || f.is_enum_array) f.enum_labels = std::string(r.Get(0, 3));
  f.base_type_name = std::string(r.Get(0, 4));
  return f;
}

}  // namespace trackops::engine
