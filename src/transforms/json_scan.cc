#include "transforms/json_scan.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "util/string_view.h"
#include "util/utf8.h"

namespace trackops::transforms {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void SkipSpace(std::string_view* in) {
  size_t i = 0;
  while (i < in->size() && IsSpace((*in)[i])) ++i;
  in->remove_prefix(i);
}

absl::Status Malformed(std::string_view what, std::string_view near) {
  return absl::InvalidArgumentError(
      absl::StrCat("malformed JSON: ", ToAbsl(what), " near '", ToAbsl(near.substr(0, 32)), "'"));
}

// Length of the string token at the start of `in` (which starts with '"').
absl::StatusOr<size_t> StringLength(std::string_view in) {
  for (size_t i = 1; i < in.size(); ++i) {
    if (in[i] == '\\') {
      ++i;
    } else if (in[i] == '"') {
      return i + 1;
    }
  }
  return Malformed("unterminated string", in);
}

bool Hex4(std::string_view s, uint32_t* out) {
  if (s.size() < 4) return false;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= c - '0';
    else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
    else return false;
  }
  *out = v;
  return true;
}

}  // namespace

absl::StatusOr<std::string_view> TakeValue(std::string_view* in) {
  SkipSpace(in);
  if (in->empty()) return Malformed("value expected", *in);
  const std::string_view all = *in;
  size_t end = 0;
  char c = all[0];
  if (c == '"') {
    auto length = StringLength(all);
    if (!length.ok()) return length.status();
    end = *length;
  } else if (c == '{' || c == '[') {
    int depth = 0;
    size_t i = 0;
    for (; i < all.size(); ++i) {
      char d = all[i];
      if (d == '"') {
        auto length = StringLength(all.substr(i));
        if (!length.ok()) return length.status();
        i += *length - 1;
      } else if (d == '{' || d == '[') {
        ++depth;
      } else if (d == '}' || d == ']') {
        if (--depth == 0) break;
      }
    }
    if (i == all.size()) return Malformed("unterminated object or array", all);
    end = i + 1;
  } else {
    // Number or literal: up to the next delimiter.
    while (end < all.size() && all[end] != ',' && all[end] != '}' && all[end] != ']' &&
           !IsSpace(all[end])) {
      ++end;
    }
  }
  in->remove_prefix(end);
  return all.substr(0, end);
}

absl::Status ForEachMember(
    std::string_view object,
    absl::FunctionRef<absl::Status(std::string_view raw_key, std::string_view value)> visit) {
  std::string_view in = object;
  SkipSpace(&in);
  if (in.empty() || in[0] != '{') return Malformed("object expected", object);
  in.remove_prefix(1);
  SkipSpace(&in);
  if (!in.empty() && in[0] == '}') return absl::OkStatus();
  while (true) {
    SkipSpace(&in);
    if (in.empty() || in[0] != '"') return Malformed("member name expected", in);
    auto length = StringLength(in);
    if (!length.ok()) return length.status();
    std::string_view key = in.substr(0, *length);
    in.remove_prefix(*length);
    SkipSpace(&in);
    if (in.empty() || in[0] != ':') return Malformed("':' expected", in);
    in.remove_prefix(1);
    auto value = TakeValue(&in);
    if (!value.ok()) return value.status();
    absl::Status status = visit(key, *value);
    if (!status.ok()) return status;
    SkipSpace(&in);
    if (in.empty()) return Malformed("unterminated object", object);
    if (in[0] == '}') return absl::OkStatus();
    if (in[0] != ',') return Malformed("',' or '}' expected", in);
    in.remove_prefix(1);
  }
}

absl::Status ForEachElement(std::string_view array,
                            absl::FunctionRef<absl::Status(std::string_view element)> visit) {
  std::string_view in = array;
  SkipSpace(&in);
  if (in.empty() || in[0] != '[') return Malformed("array expected", array);
  in.remove_prefix(1);
  SkipSpace(&in);
  if (!in.empty() && in[0] == ']') return absl::OkStatus();
  while (true) {
    auto value = TakeValue(&in);
    if (!value.ok()) return value.status();
    absl::Status status = visit(*value);
    if (!status.ok()) return status;
    SkipSpace(&in);
    if (in.empty()) return Malformed("unterminated array", array);
    if (in[0] == ']') return absl::OkStatus();
    if (in[0] != ',') return Malformed("',' or ']' expected", in);
    in.remove_prefix(1);
  }
}

absl::StatusOr<std::string_view> FindMember(std::string_view object, std::string_view name) {
  std::string_view found;
  bool done = false;
  absl::Status status = ForEachMember(object, [&](std::string_view key, std::string_view value) {
    if (!done && StringTokenEquals(key, name)) {
      found = value;
      done = true;
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

bool StringTokenEquals(std::string_view raw, std::string_view text) {
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return false;
  std::string_view body = raw.substr(1, raw.size() - 2);
  // The common case: no escapes, compare directly.
  if (body.find('\\') == std::string_view::npos) return body == text;
  std::string decoded;
  if (!DecodeString(raw, &decoded).ok()) return false;
  return decoded == text;
}

absl::Status DecodeString(std::string_view raw, std::string* out) {
  out->clear();
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') {
    return Malformed("string expected", raw);
  }
  std::string_view body = raw.substr(1, raw.size() - 2);
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    if (++i == body.size()) return Malformed("dangling escape", raw);
    switch (body[i]) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '/': out->push_back('/'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        uint32_t cp;
        if (!Hex4(body.substr(i + 1), &cp)) return Malformed("bad \\u escape", raw);
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < body.size() && body[i + 1] == '\\' &&
            body[i + 2] == 'u') {
          uint32_t low;
          if (Hex4(body.substr(i + 3), &low) && low >= 0xDC00 && low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 6;
          }
        }
        // A lone surrogate decodes to U+FFFD.
        if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
        AppendUtf8(cp, out);
        break;
      }
      default:
        return Malformed("bad escape", raw);
    }
  }
  return absl::OkStatus();
}

std::string_view Inner(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  if (text.size() < 2) return {};
  text = text.substr(1, text.size() - 2);
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace trackops::transforms
