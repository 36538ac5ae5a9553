#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "trackops/config.h"
#include "util/utf8.h"

namespace trackops {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\f'; }

// Splits the text into logical lines, joining `\`-continued physical lines.
std::vector<std::pair<int, std::string>> LogicalLines(std::string_view text) {
  std::vector<std::pair<int, std::string>> lines;
  std::string current;
  int line_no = 0, start_line = 0;
  bool continuing = false;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view raw = text.substr(pos, nl - pos);
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    ++line_no;
    if (continuing) {
      while (!raw.empty() && IsBlank(raw.front())) raw.remove_prefix(1);
    } else {
      current.clear();
      start_line = line_no;
    }
    // A line continues when it ends in an odd number of backslashes.
    size_t slashes = 0;
    while (slashes < raw.size() && raw[raw.size() - 1 - slashes] == '\\') ++slashes;
    bool continues = slashes % 2 == 1;
    if (continues) raw.remove_suffix(1);
    current.append(raw);
    continuing = continues;
    if (!continuing) lines.emplace_back(start_line, current);
    pos = nl + 1;
  }
  if (continuing) lines.emplace_back(start_line, current);
  return lines;
}

absl::StatusOr<std::string> Unescape(std::string_view in, int line_no) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i == in.size()) break;
    switch (in[i]) {
      case 't': out.push_back('\t'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 'f': out.push_back('\f'); break;
      case 'u': {
        if (i + 4 >= in.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat("line ", line_no, ": truncated \\u escape"));
        }
        uint32_t cp = 0;
        for (int k = 1; k <= 4; ++k) {
          char h = in[i + k];
          int d = (h >= '0' && h <= '9')   ? h - '0'
                  : (h >= 'a' && h <= 'f') ? h - 'a' + 10
                  : (h >= 'A' && h <= 'F') ? h - 'A' + 10
                                           : -1;
          if (d < 0) {
            return absl::InvalidArgumentError(
                absl::StrCat("line ", line_no, ": malformed \\u escape"));
          }
          cp = cp * 16 + static_cast<uint32_t>(d);
        }
        AppendUtf8(cp, &out);
        i += 4;
        break;
      }
      default: out.push_back(in[i]);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<Properties> Properties::Parse(std::string_view text) {
  Properties props;
  for (const auto& [line_no, line] : LogicalLines(text)) {
    std::string_view s = line;
    while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
    if (s.empty() || s.front() == '#' || s.front() == '!') continue;
    // The key ends at the first unescaped '=', ':' or blank.
    size_t i = 0;
    while (i < s.size()) {
      if (s[i] == '\\') {
        i += 2;
        continue;
      }
      if (s[i] == '=' || s[i] == ':' || IsBlank(s[i])) break;
      ++i;
    }
    i = std::min(i, s.size());
    std::string_view key = s.substr(0, i);
    std::string_view rest = s.substr(i);
    while (!rest.empty() && IsBlank(rest.front())) rest.remove_prefix(1);
    if (!rest.empty() && (rest.front() == '=' || rest.front() == ':')) rest.remove_prefix(1);
    while (!rest.empty() && IsBlank(rest.front())) rest.remove_prefix(1);
    // Trailing blanks in values are almost always accidents in hand-written files.
    while (!rest.empty() && IsBlank(rest.back())) rest.remove_suffix(1);
    absl::StatusOr<std::string> k = Unescape(key, line_no);
    if (!k.ok()) return k.status();
    absl::StatusOr<std::string> v = Unescape(rest, line_no);
    if (!v.ok()) return v.status();
    props.Set(*std::move(k), *std::move(v));
  }
  return props;
}

absl::StatusOr<Properties> Properties::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read configuration file ", path));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  absl::StatusOr<Properties> props = Parse(ss.str());
  if (!props.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", props.status().message()));
  }
  return props;
}

const std::string* Properties::Find(std::string_view key) const {
  auto it = values_.find(key);
  return it == values_.end() ? nullptr : &it->second;
}

Properties Properties::WithPrefix(std::string_view prefix) const {
  Properties out;
  for (auto it = values_.lower_bound(prefix); it != values_.end(); ++it) {
    if (!it->first.starts_with(prefix)) break;
    out.Set(it->first.substr(prefix.size()), it->second);
  }
  return out;
}

}  // namespace trackops
