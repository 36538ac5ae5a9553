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

// Builds a TableSchema from a Relation message and the catalog's facts about
// the table's columns (matched by name). Key columns: those the facts put in
// the key (ColumnFacts::key_position), in that order. Without facts (null: no
// catalog) every column is optional and the key is the replica identity the
// message flags (none under REPLICA IDENTITY FULL), in attribute order.
TableSchema BuildTableSchema(const pgoutput::Relation& relation,
                             const std::vector<ColumnFacts>* facts);
TableSchema BuildTableSchema(const pgoutput::Relation& relation,
                             const std::vector<ColumnFacts>& facts);

class SchemaCache {
 public:
  // `catalog` may be null (no enrichment: every column optional, key from
  // the Relation message's key flags). Must outlive the cache. A relation the
  // catalog no longer has (kNotFound) gets no facts: every column optional,
  // no key, as in Debezium.
  explicit SchemaCache(Catalog* catalog) : catalog_(catalog) {}

  // Replaces the relation's schema. The returned pointer stays valid until the
  // next Update of the same relation.
  absl::StatusOr<const TableSchema*> Update(const pgoutput::Relation& relation);

  // nullptr when no Relation message was seen for it.
  const TableSchema* Find(RelationId relation) const;

 private:
  // Gives the facts of every column of `relation` whose live type is not the
  // one the message names (retyped, renamed or dropped since) the type facts
  // of the message's type, adding facts for columns the catalog lacks.
  absl::Status ResolveMessageTypes(const pgoutput::Relation& relation,
                                   std::vector<ColumnFacts>* facts);

  Catalog* catalog_;
  absl::flat_hash_map<RelationId, std::unique_ptr<TableSchema>> tables_;
};

}  // namespace trackops::schema

#endif  // TRACKOPS_SCHEMA_SCHEMA_CACHE_H_
