// Facts about a table that pgoutput's Relation message does not carry, read
// from the system catalogs. An interface so the schema module needs no
// database; engine/pg_catalog.h implements it over libpq.
//
// The facts are those of the live catalog when the Relation message is
// handled, which can be ahead of the change that follows the message (a later
// ALTER TABLE already committed). Debezium reads the live catalog the same way
// (PgOutputMessageDecoder.handleRelationMessage); what the Relation message
// itself says (column names, types, typmods) is always as of the change.

#ifndef TRACKOPS_SCHEMA_CATALOG_H_
#define TRACKOPS_SCHEMA_CATALOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "trackops/types.h"

namespace trackops::schema {

struct ColumnFacts {
  std::string name;
  bool not_null = false;
  // 1-based position in the event key (Debezium's: the primary key in its
  // column order; without one, the first unique index without expressions,
  // see engine/pg_catalog.h), 0: not in the key.
  int key_position = 0;
  // The column's declared type (pg_attribute.atttypid); 0: unknown. The type
  // facts below hold only when it is the type the Relation message names.
  uint32_t type_oid = 0;
  // The type the column's type resolves to through domains (its own type when
  // not a domain), with the typmod of the first domain in the chain that has
  // one (-1: none). 0: unknown (no resolution).
  uint32_t base_type_oid = 0;
  int32_t base_type_modifier = -1;
  // pg_type.typname of base_type_oid ("citext", "_hstore"): Debezium
  // recognizes extension types by name.
  std::string base_type_name;
  bool is_enum = false;     // The base type is an enum ...
  bool is_enum_array = false;  // ... or a one-dimensional array of an enum ...
  std::string enum_labels;  // ... with these labels, in sort order, joined by ','.
  // pg_get_expr of the column default (not for generated columns).
  bool has_default = false;
  std::string default_expression;
};

// What a type resolves to, as in ColumnFacts (which see), by type OID.
struct TypeFacts {
  uint32_t base_type_oid = 0;
  int32_t base_type_modifier = -1;
  std::string base_type_name;
  bool is_enum = false;
  bool is_enum_array = false;
  std::string enum_labels;
};

class Catalog {
 public:
  virtual ~Catalog() = default;
  // The live columns of the relation, in attribute order. kNotFound when it
  // no longer exists.
  virtual absl::StatusOr<std::vector<ColumnFacts>> ColumnsOf(RelationId relation) = 0;
  // The type `type_oid` through domains, with its enum labels: for a column
  // whose live type is no longer the one the Relation message names (altered
  // or renamed since), as Debezium resolves the message's type OID in its
  // type registry. kNotFound when no such type exists.
  virtual absl::StatusOr<TypeFacts> TypeOf(uint32_t type_oid) = 0;
};

}  // namespace trackops::schema

#endif  // TRACKOPS_SCHEMA_CATALOG_H_
