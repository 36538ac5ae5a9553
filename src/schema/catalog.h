// Facts about a table that pgoutput's Relation message does not carry, read
// from the system catalogs. An interface so the schema module needs no
// database; replication/pg_catalog.h implements it over libpq.

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
  bool primary_key = false;
  // The type the column's type resolves to through domains (its own type when
  // not a domain), with the typmod of the first domain in the chain that has
  // one (-1: none). 0: unknown (no resolution).
  uint32_t base_type_oid = 0;
  int32_t base_type_modifier = -1;
  bool is_enum = false;     // The base type is an enum ...
  bool is_enum_array = false;  // ... or a one-dimensional array of an enum ...
  std::string enum_labels;  // ... with these labels, in sort order, joined by ','.
  // pg_get_expr of the column default (not for generated columns).
  bool has_default = false;
  std::string default_expression;
};

class Catalog {
 public:
  virtual ~Catalog() = default;
  // The live columns of the relation. kNotFound when it no longer exists.
  virtual absl::StatusOr<std::vector<ColumnFacts>> ColumnsOf(RelationId relation) = 0;
};

}  // namespace trackops::schema

#endif  // TRACKOPS_SCHEMA_CATALOG_H_
