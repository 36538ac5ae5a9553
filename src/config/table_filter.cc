#include "config/table_filter.h"

#include "absl/strings/str_cat.h"

namespace trackops {

TableFilter::TableFilter(const std::vector<std::string>& include,
                         const std::vector<std::string>& exclude) {
  for (const std::string& p : include) include_.emplace_back(p);
  for (const std::string& p : exclude) exclude_.emplace_back(p);
}

bool TableFilter::Includes(absl::string_view schema, absl::string_view table) const {
  std::string name = absl::StrCat(schema, ".", table);
  auto matches = [&name](const std::regex& re) { return std::regex_match(name, re); };
  if (!include_.empty()) return std::any_of(include_.begin(), include_.end(), matches);
  return std::none_of(exclude_.begin(), exclude_.end(), matches);
}

std::optional<size_t> TableFilter::IncludePosition(absl::string_view schema,
                                                   absl::string_view table) const {
  std::string name = absl::StrCat(schema, ".", table);
  if (include_.empty()) {
    for (const std::regex& re : exclude_) {
      if (std::regex_match(name, re)) return std::nullopt;
    }
    return 0;
  }
  for (size_t i = 0; i < include_.size(); ++i) {
    if (std::regex_match(name, include_[i])) return i;
  }
  return std::nullopt;
}

}  // namespace trackops
