#include <cstdio>

#include "absl/strings/str_format.h"
#include "trackops/types.h"

namespace trackops {
namespace {

bool ParseHexHalf(std::string_view text, uint32_t* out) {
  if (text.empty() || text.size() > 8) return false;
  uint32_t value = 0;
  for (char c : text) {
    uint32_t digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
    value = (value << 4) | digit;
  }
  *out = value;
  return true;
}

}  // namespace

std::optional<Lsn> Lsn::Parse(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  uint32_t high, low;
  if (!ParseHexHalf(text.substr(0, slash), &high) ||
      !ParseHexHalf(text.substr(slash + 1), &low)) {
    return std::nullopt;
  }
  return Lsn((static_cast<uint64_t>(high) << 32) | low);
}

std::string Lsn::ToString() const {
  return absl::StrFormat("%X/%X", static_cast<uint32_t>(value_ >> 32),
                         static_cast<uint32_t>(value_));
}

}  // namespace trackops
