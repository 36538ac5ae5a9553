#include "schema/schema_cache.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace trackops::schema {

TableSchema BuildTableSchema(const pgoutput::Relation& relation,
                             const std::vector<ColumnFacts>* facts) {
  TableSchema t;
  t.relation_id = relation.relation_id;
  // pgoutput sends an empty namespace for pg_catalog.
  t.schema_name = relation.schema_name.empty() ? "pg_catalog" : std::string(relation.schema_name);
  t.table_name = std::string(relation.relation_name);
  t.replica_identity = relation.replica_identity;
  for (const pgoutput::RelationColumn& rc : relation.columns) {
    ColumnSchema c;
    c.name = std::string(rc.name);
    c.type_oid = rc.type_oid;
    c.type_modifier = rc.type_modifier;
    if (facts == nullptr) {
      // No catalog: the key is the replica identity the Relation message flags.
      c.is_key = (rc.flags & pgoutput::kColumnFlagKey) != 0 &&
                 relation.replica_identity != pgoutput::kReplicaIdentityFull;
      t.columns.push_back(std::move(c));
      continue;
    }
    // Matched by name, as Debezium does: a column renamed or dropped in the
    // live catalog since the change is not found, and is optional without
    // default or key (the key keeps only columns the message has).
    const ColumnFacts* fact = nullptr;
    for (const ColumnFacts& f : *facts) {
      if (f.name == c.name) {
        fact = &f;
        break;
      }
    }
    if (fact != nullptr) {
      c.optional = !fact->not_null;
      c.is_key = fact->key_position > 0;
      c.key_position = fact->key_position;
      // The type facts describe the live column's type; they apply only when
      // that is still the type the Relation message names (not after a later
      // ALTER COLUMN TYPE).
      const bool same_type = fact->type_oid == 0 || fact->type_oid == rc.type_oid;
      const bool is_domain =
          same_type && fact->base_type_oid != 0 && fact->base_type_oid != rc.type_oid;
      if (same_type) {
        // Domains resolve to their base type (Debezium's root type), taking
        // the domain's typmod when the column has none.
        if (is_domain) {
          c.type_oid = fact->base_type_oid;
          if (c.type_modifier < 0) c.type_modifier = fact->base_type_modifier;
        }
        c.type_name = fact->base_type_name;
        c.is_enum = fact->is_enum;
        c.is_enum_array = fact->is_enum_array;
        c.enum_labels = fact->enum_labels;
      }
      if (fact->has_default && !is_domain) {
        c.has_default = true;
        c.default_expression = fact->default_expression;
      }
    }
    t.columns.push_back(std::move(c));
  }
  return t;
}

TableSchema BuildTableSchema(const pgoutput::Relation& relation,
                             const std::vector<ColumnFacts>& facts) {
  return BuildTableSchema(relation, &facts);
}

absl::Status SchemaCache::ResolveMessageTypes(const pgoutput::Relation& relation,
                                              std::vector<ColumnFacts>* facts) {
  for (const pgoutput::RelationColumn& rc : relation.columns) {
    auto it = std::find_if(facts->begin(), facts->end(),
                           [&](const ColumnFacts& f) { return f.name == rc.name; });
    if (it != facts->end() && (it->type_oid == 0 || it->type_oid == rc.type_oid)) continue;
    absl::StatusOr<TypeFacts> type = catalog_->TypeOf(rc.type_oid);
    if (!type.ok()) {
      if (type.status().code() == absl::StatusCode::kNotFound) continue;
      return type.status();
    }
    if (it == facts->end()) {
      // Renamed or dropped since: known by its type only (optional, no
      // default, not in the key).
      facts->emplace_back();
      it = facts->end() - 1;
      it->name = std::string(rc.name);
    }
    it->type_oid = rc.type_oid;
    it->base_type_oid = type->base_type_oid;
    it->base_type_modifier = type->base_type_modifier;
    it->base_type_name = std::move(type->base_type_name);
    it->is_enum = type->is_enum;
    it->is_enum_array = type->is_enum_array;
    it->enum_labels = std::move(type->enum_labels);
  }
  return absl::OkStatus();
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
    // kNotFound: the table was dropped since. Its changes still decode, like
    // Debezium's: every column optional, no key.
    TRACKOPS_RETURN_IF_ERROR(ResolveMessageTypes(relation, &facts));
  }
  auto schema = std::make_unique<TableSchema>(
      BuildTableSchema(relation, catalog_ != nullptr ? &facts : nullptr));
  const TableSchema* out = schema.get();
  tables_[relation.relation_id] = std::move(schema);
  return out;
}

const TableSchema* SchemaCache::Find(RelationId relation) const {
  auto it = tables_.find(relation);
  return it == tables_.end() ? nullptr : it->second.get();
}

}  // namespace trackops::schema
