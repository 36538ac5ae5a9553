#include "schema/schema_cache.h"

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace trackops::schema {

TableSchema BuildTableSchema(const pgoutput::Relation& relation,
                             const std::vector<ColumnFacts>& facts) {
  TableSchema t;
  t.relation_id = relation.relation_id;
  // pgoutput sends an empty namespace for pg_catalog.
  t.schema_name = relation.schema_name.empty() ? "pg_catalog" : std::string(relation.schema_name);
  t.table_name = std::string(relation.relation_name);
  t.replica_identity = relation.replica_identity;
  bool has_primary_key = false;
  for (const ColumnFacts& f : facts) has_primary_key |= f.primary_key;
  for (const pgoutput::RelationColumn& rc : relation.columns) {
    ColumnSchema c;
    c.name = std::string(rc.name);
    c.type_oid = rc.type_oid;
    c.type_modifier = rc.type_modifier;
    const ColumnFacts* fact = nullptr;
    for (const ColumnFacts& f : facts) {
      if (f.name == c.name) {
        fact = &f;
        break;
      }
    }
    if (fact != nullptr) {
      c.optional = !fact->not_null;
      // Domains resolve to their base type (Debezium's root type), taking the
      // domain's typmod when the column has none.
      if (fact->base_type_oid != 0 && fact->base_type_oid != c.type_oid) {
        c.type_oid = fact->base_type_oid;
        if (c.type_modifier < 0) c.type_modifier = fact->base_type_modifier;
      }
      c.is_enum = fact->is_enum;
      c.is_enum_array = fact->is_enum_array;
      c.enum_labels = fact->enum_labels;
      if (fact->has_default && (fact->base_type_oid == 0 || fact->base_type_oid == rc.type_oid)) {
        c.has_default = true;
        c.default_expression = fact->default_expression;
      }
    }
    bool identity_key = (rc.flags & pgoutput::kColumnFlagKey) != 0;
    if (has_primary_key) {
      c.is_key = fact != nullptr && fact->primary_key;
    } else if (facts.empty() || relation.replica_identity == pgoutput::kReplicaIdentityIndex) {
      c.is_key = identity_key && relation.replica_identity != pgoutput::kReplicaIdentityFull;
    }
    t.columns.push_back(std::move(c));
  }
  return t;
}

absl::StatusOr<const TableSchema*> SchemaCache::Update(const pgoutput::Relation& relation) {
  std::vector<ColumnFacts> facts;
  if (catalog_ != nullptr) {
    absl::StatusOr<std::vector<ColumnFacts>> looked_up = catalog_->ColumnsOf(relation.relation_id);
    if (looked_up.ok()) {
      facts = *std::move(looked_up);
    } else if (looked_up.status().code() != absl::StatusCode::kNotFound) {
      return looked_up.status();
    }
    // kNotFound: the table was dropped since; its changes still decode.
  }
  auto schema = std::make_unique<TableSchema>(BuildTableSchema(relation, facts));
  const TableSchema* out = schema.get();
  tables_[relation.relation_id] = std::move(schema);
  return out;
}

const TableSchema* SchemaCache::Find(RelationId relation) const {
  auto it = tables_.find(relation);
  return it == tables_.end() ? nullptr : it->second.get();
}

}  // namespace trackops::schema
