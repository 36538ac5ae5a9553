// Java regular expressions as Kafka Connect's RegexRouter and predicates use
// them (Pattern.matcher(input).matches(), Matcher.replaceFirst), on
// std::regex (ECMAScript): named groups "(?<name>...)" become numbered ones
// and "${name}" in a replacement refers to them.

#ifndef TRACKOPS_TRANSFORMS_JAVA_REGEX_H_
#define TRACKOPS_TRANSFORMS_JAVA_REGEX_H_

#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace trackops::transforms {

class JavaRegex {
 public:
  // kInvalidArgument with std::regex's reason when `pattern` does not compile.
  static absl::StatusOr<JavaRegex> Compile(std::string_view pattern);

  // True when the whole of `input` matches.
  bool Matches(std::string_view input) const;

  // When the whole of `input` matches: `replacement` with $n and ${name}
  // expanded (\$ and \\ escape), into `*out`, and true. Otherwise false.
  // kInvalidArgument for a replacement naming an unknown group.
  absl::StatusOr<bool> Replace(std::string_view input, std::string_view replacement,
                               std::string* out) const;

 private:
  std::regex regex_;
  std::vector<std::pair<std::string, size_t>> names_;  // Named group -> number.
};

}  // namespace trackops::transforms

#endif  // TRACKOPS_TRANSFORMS_JAVA_REGEX_H_
