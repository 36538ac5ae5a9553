// Table schemas by relation id, rebuilt on every Relation message.
//
// Thread safety: one thread at a time.

#ifndef TRACKOPS_SCHEMA_SCHEMA_CACHE_H_
#define TRACKOPS_SCHEMA_SCHEMA_CACHE_H_

#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "pgoutput/messages.h"
#include "schema/catalog.h"
#include "schema/table_schema.h"

namespace trackops::schema {

// Builds a TableSchema from a Relation message and the catalog's facts.
// Key columns: the primary key; without one, the replica identity index
// columns (REPLICA IDENTITY USING INDEX); otherwise none.
TableSchema BuildTableSchema(const pgoutput::Relation& relation,
                             const std::vector<ColumnFacts>& facts);

class SchemaCache {
 public:
  // `catalog` may be null (no enrichment: every column optional, key from
  // the Relation message's key flags). Must outlive the cache.
  explicit SchemaCache(Catalog* catalog) : catalog_(catalog) {}

  // Replaces the relation's schema. The returned pointer stays valid until the
  // next Update of the same relation.
  absl::StatusOr<const TableSchema*> Update(const pgoutput::Relation& relation);

  // nullptr when no Relation message was seen for it.
  const TableSchema* Find(RelationId relation) const;

 private:
  Catalog* catalog_;
  absl::flat_hash_map<RelationId, std::unique_ptr<TableSchema>> tables_;
};

}  // namespace trackops::schema

#endif  // TRACKOPS_SCHEMA_SCHEMA_CACHE_H_
