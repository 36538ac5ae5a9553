// Facts about a table that pgoutput's Relation message does not carry, read
// from the system catalogs. An interface so the schema module needs no
// database; replication/pg_catalog.h implements it over libpq.

#ifndef TRACKOPS_SCHEMA_CATALOG_H_
#define TRACKOPS_SCHEMA_CATALOG_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "trackops/types.h"

namespace trackops::schema {

struct ColumnFacts {
  std::string name;
  bool not_null = false;
  bool primary_key = false;
};

class Catalog {
 public:
  virtual ~Catalog() = default;
  // The live columns of the relation. kNotFound when it no longer exists.
  virtual absl::StatusOr<std::vector<ColumnFacts>> ColumnsOf(RelationId relation) = 0;
};

}  // namespace trackops::schema

#endif  // TRACKOPS_SCHEMA_CATALOG_H_
