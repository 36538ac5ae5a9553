// column.include.list / column.exclude.list applied to a table: the columns
// its events carry. Debezium's TableSchemaBuilder filters value fields only,
// so a left-out key column stays in the key: optional, without default (its
// catalog look-up skips it) and out of the value.

#ifndef TRACKOPS_SCHEMA_COLUMN_SELECTION_H_
#define TRACKOPS_SCHEMA_COLUMN_SELECTION_H_

#include <cstddef>
#include <vector>

#include "config/table_filter.h"
#include "schema/table_schema.h"

namespace trackops::schema {

struct ColumnSelection {
  // The table as its events see it: the kept columns, in attribute order.
  TableSchema table;
  // Indexes of the kept columns in the full table's columns; empty when every
  // column is kept (the full tuple is the events' tuple).
  std::vector<size_t> kept;
};

// `column_filter` matches "schema" against "table.column".
ColumnSelection SelectColumns(const TableSchema& full, const TableFilter& column_filter);

}  // namespace trackops::schema

#endif  // TRACKOPS_SCHEMA_COLUMN_SELECTION_H_
