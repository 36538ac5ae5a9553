// Debian 12's Abseil is built with its own absl::string_view and
// absl::optional (not aliases of the std types). These convert between the
// two string views without copying.

#ifndef TRACKOPS_UTIL_STRING_VIEW_H_
#define TRACKOPS_UTIL_STRING_VIEW_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace trackops {

inline std::string_view ToStd(absl::string_view s) { return std::string_view(s.data(), s.size()); }
inline absl::string_view ToAbsl(std::string_view s) { return absl::string_view(s.data(), s.size()); }

}  // namespace trackops

#endif  // TRACKOPS_UTIL_STRING_VIEW_H_
