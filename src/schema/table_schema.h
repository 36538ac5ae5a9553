// The description of a captured table that the event encoder works from:
// what the Relation message says, enriched with catalog facts (NOT NULL,
// primary key) read on a side connection.
//
// Thread safety: immutable after construction; share freely.

#ifndef TRACKOPS_SCHEMA_TABLE_SCHEMA_H_
#define TRACKOPS_SCHEMA_TABLE_SCHEMA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "trackops/types.h"

namespace trackops::schema {

struct ColumnSchema {
  std::string name;
  uint32_t type_oid = 0;
  int32_t type_modifier = -1;  // -1 when the column has none.
  // pg_type.typname of type_oid ("citext", "_hstore"); empty when the catalog
  // was not read. Debezium recognizes extension types by name.
  std::string type_name;
  bool is_key = false;         // Part of the event key (primary key or unique index).
  // Among key columns: the 1-based position in the key (the primary key's
  // column order); 0: attribute order (a key from the Relation message).
  int key_position = 0;
  // False for a column left out of the value by column.include.list /
  // column.exclude.list; such a column is still in the key if it is a key column.
  bool in_value = true;
  bool optional = true;        // False for NOT NULL columns.
  // An enum type (after domain resolution): Debezium's io.debezium.data.Enum
  // with `enum_labels`, the labels in pg_enum sort order joined by ','.
  bool is_enum = false;
  bool is_enum_array = false;  // An array of an enum type with `enum_labels`.
  std::string enum_labels;
  // The column default as PostgreSQL prints it ("42", "'new'::text",
  // "nextval('t_id_seq'::regclass)"); not set for domain-typed columns, whose
  // defaults Debezium does not parse.
  bool has_default = false;
  std::string default_expression;
};

struct TableSchema {
  RelationId relation_id;
  std::string schema_name;  // "public"
  std::string table_name;   // "orders"
  char replica_identity = 'd';
  // In the order of the relation's attributes, as in pgoutput tuples.
  std::vector<ColumnSchema> columns;

  bool has_key() const {
    for (const ColumnSchema& c : columns) {
      if (c.is_key) return true;
    }
    return false;
  }
};

}  // namespace trackops::schema

#endif  // TRACKOPS_SCHEMA_TABLE_SCHEMA_H_
