// schema::Catalog over a libpq connection: NOT NULL, event key (primary key or
// unique index, as Debezium picks it), type (domain base type, enum labels) and
// column default facts from pg_attribute, pg_index, pg_type, pg_enum and
// pg_attrdef. Reads the live catalog, as Debezium does: see schema/catalog.h.

#ifndef TRACKOPS_ENGINE_PG_CATALOG_H_
#define TRACKOPS_ENGINE_PG_CATALOG_H_

#include "replication/pg_connection.h"
#include "schema/catalog.h"

namespace trackops::engine {

class PgCatalog : public schema::Catalog {
 public:
  // `conn` (an ordinary, non-replication connection) must outlive this.
  explicit PgCatalog(replication::PgConnection* conn) : conn_(conn) {}

  absl::StatusOr<std::vector<schema::ColumnFacts>> ColumnsOf(RelationId relation) override;
  absl::StatusOr<schema::TypeFacts> TypeOf(uint32_t type_oid) override;

 private:
  replication::PgConnection* conn_;
};

}  // namespace trackops::engine

#endif  // TRACKOPS_ENGINE_PG_CATALOG_H_
