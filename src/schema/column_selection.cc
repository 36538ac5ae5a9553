#include "schema/column_selection.h"

#include "absl/strings/str_cat.h"

namespace trackops::schema {

ColumnSelection SelectColumns(const TableSchema& full, const TableFilter& column_filter) {
  ColumnSelection out;
  out.table = full;
  out.table.columns.clear();
  bool all_in_value = true;
  for (size_t i = 0; i < full.columns.size(); ++i) {
    const ColumnSchema& column = full.columns[i];
    const bool in_value =
        column_filter.Includes(full.schema_name, absl::StrCat(full.table_name, ".", column.name));
    if (!in_value && !column.is_key) {
      all_in_value = false;
      continue;
    }
    out.kept.push_back(i);
    out.table.columns.push_back(column);
    if (!in_value) {
      all_in_value = false;
      ColumnSchema& key_only = out.table.columns.back();
      key_only.in_value = false;
      key_only.optional = true;
      key_only.has_default = false;
      key_only.default_expression.clear();
    }
  }
  if (all_in_value) out.kept.clear();
  return out;
}

}  // namespace trackops::schema
