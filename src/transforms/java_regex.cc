#include "transforms/java_regex.h"

#include "absl/strings/str_cat.h"
#include "util/string_view.h"

namespace trackops::transforms {

absl::StatusOr<JavaRegex> JavaRegex::Compile(std::string_view pattern) {
  JavaRegex out;
  std::string translated;
  size_t group = 0;
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      translated.append(pattern.substr(i, 2));
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      translated.push_back(c);
      continue;
    }
    if (c == '[') {
      in_class = true;
    } else if (c == '(') {
      if (pattern.substr(i, 3) == "(?<" && i + 3 < pattern.size() && pattern[i + 3] != '=' &&
          pattern[i + 3] != '!') {
        size_t close = pattern.find('>', i + 3);
        if (close == std::string_view::npos) {
          return absl::InvalidArgumentError(
              absl::StrCat("invalid regular expression '", ToAbsl(pattern),
                           "': unterminated group name"));
        }
        out.names_.emplace_back(std::string(pattern.substr(i + 3, close - i - 3)), ++group);
        translated.push_back('(');
        i = close;
        continue;
      }
      if (pattern.substr(i, 2) != "(?") ++group;
    }
    translated.push_back(c);
  }
  try {
    out.regex_ = std::regex(translated, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid regular expression '", ToAbsl(pattern), "': ", e.what()));
  }
  return out;
}

bool JavaRegex::Matches(std::string_view input) const {
  return std::regex_match(input.begin(), input.end(), regex_);
}

absl::StatusOr<bool> JavaRegex::Replace(std::string_view input, std::string_view replacement,
                                        std::string* out) const {
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(input.begin(), input.end(), m, regex_)) return false;
  out->clear();
  for (size_t i = 0; i < replacement.size(); ++i) {
    char c = replacement[i];
    if (c == '\\' && i + 1 < replacement.size()) {
      out->push_back(replacement[++i]);
      continue;
    }
    if (c != '$' || i + 1 == replacement.size()) {
      out->push_back(c);
      continue;
    }
    size_t number = 0;
    if (replacement[i + 1] == '{') {
      size_t close = replacement.find('}', i + 2);
      if (close == std::string_view::npos) {
        return absl::InvalidArgumentError("unterminated ${ in replacement");
      }
      std::string_view name = replacement.substr(i + 2, close - i - 2);
      bool found = false;
      for (const auto& entry : names_) {
        if (entry.first == name) {
          number = entry.second;
          found = true;
        }
      }
      if (!found) {
        return absl::InvalidArgumentError(
            absl::StrCat("no group named '", ToAbsl(name), "' in the regular expression"));
      }
      i = close;
    } else if (replacement[i + 1] >= '0' && replacement[i + 1] <= '9') {
      number = static_cast<size_t>(replacement[++i] - '0');
    } else {
      return absl::InvalidArgumentError("'$' in replacement must name a group");
    }
    if (number >= m.size()) {
      return absl::InvalidArgumentError(absl::StrCat("no group ", number));
    }
    out->append(m[number].first, m[number].second);
  }
  return true;
}

}  // namespace trackops::transforms
