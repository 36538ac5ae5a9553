#include "event/topic.h"

namespace trackops::event {
namespace {

bool IsValidTopicChar(char c) {
  return c == '.' || c == '_' || c == '-' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9');
}

// Length in bytes of the UTF-8 sequence starting with `lead`, or 1 when the
// byte cannot start one.
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 1;
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) > ' ') return false;
  }
  return true;
}

}  // namespace

std::string SanitizeTopicName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  size_t units = 0;  // UTF-16 code units consumed so far.
  for (size_t i = 0; i < name.size() && units < kMaxTopicNameLength;) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      out.push_back(IsValidTopicChar(name[i]) ? name[i] : '_');
      ++units;
      ++i;
      continue;
    }
    size_t length = SequenceLength(c);
    bool complete = i + length <= name.size();
    for (size_t k = 1; complete && k < length; ++k) {
      complete = (static_cast<unsigned char>(name[i + k]) & 0xC0) == 0x80;
    }
    if (!complete) length = 1;
    // A four-byte sequence is a supplementary character: a surrogate pair.
    size_t replacement = length == 4 ? 2 : 1;
    if (units + replacement > kMaxTopicNameLength) replacement = kMaxTopicNameLength - units;
    out.append(replacement, '_');
    units += replacement;
    i += length;
  }
  if (out == ".") return "_";
  if (out == "..") return "__";
  return out;
}

std::string DataChangeTopic(std::string_view prefix, std::string_view schema_name,
                            std::string_view table_name) {
  std::string joined;
  for (std::string_view part : {prefix, schema_name, table_name}) {
    if (IsBlank(part)) continue;
    if (!joined.empty()) joined.push_back('.');
    joined.append(part);
  }
  return SanitizeTopicName(joined);
}

}  // namespace trackops::event
