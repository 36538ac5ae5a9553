// table.include.list / table.exclude.list: comma-separated regular
// expressions matched against the whole "schema.table" name, as Debezium does.

#ifndef TRACKOPS_CONFIG_TABLE_FILTER_H_
#define TRACKOPS_CONFIG_TABLE_FILTER_H_

#include <optional>
#include <regex>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

namespace trackops {

class TableFilter {
 public:
  // Patterns must be valid (Config::FromProperties checked them).
  TableFilter(const std::vector<std::string>& include, const std::vector<std::string>& exclude);

  bool Includes(absl::string_view schema, absl::string_view table) const;
  // Where an included table comes in Debezium's snapshot order: the index of
  // the first include pattern it matches (0 without an include list).
  // nullopt when the table is not included.
  std::optional<size_t> IncludePosition(absl::string_view schema, absl::string_view table) const;

 private:
  std::vector<std::regex> include_;
  std::vector<std::regex> exclude_;
};

}  // namespace trackops

#endif  // TRACKOPS_CONFIG_TABLE_FILTER_H_
