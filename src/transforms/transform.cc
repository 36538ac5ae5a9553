#include "transforms/transform.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "util/string_view.h"

namespace trackops::transforms {

std::string OptionReader::Get(std::string_view name, std::string_view default_value) {
  read_.emplace_back(name);
  auto it = options_.find(name);
  if (it == options_.end()) return std::string(default_value);
  return std::string(absl::StripAsciiWhitespace(it->second));
}

absl::Status OptionReader::GetBool(std::string_view name, bool default_value, bool* out) {
  std::string value = Get(name, default_value ? "true" : "false");
  std::string lower = absl::AsciiStrToLower(value);
  if (lower == "true") *out = true;
  else if (lower == "false") *out = false;
  else return Invalid(name, value, "true or false");
  return absl::OkStatus();
}

absl::Status OptionReader::Invalid(std::string_view name, std::string_view value,
                                   std::string_view expected) {
  return absl::InvalidArgumentError(absl::StrCat(ToAbsl(name), ": invalid value '",
                                                 ToAbsl(value), "' (",
                                                 ToAbsl(expected), ")"));
}

std::vector<std::string> OptionReader::Unknown() const {
  std::vector<std::string> unknown;
  for (const auto& entry : options_) {
    if (std::find(read_.begin(), read_.end(), entry.first) == read_.end()) {
      unknown.push_back(entry.first);
    }
  }
  return unknown;
}

}  // namespace trackops::transforms
