#include "trackops-diff/record_diff.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "simdjson.h"
#include "util/status_macros.h"
#include "util/string_view.h"

namespace trackops::diff {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::string_view kMissing = "(missing)";

bool IsBlank(std::string_view text) {
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

std::string_view TrimLineEnd(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// ---------------------------------------------------------------------------
// Readers.

class JsonLinesFileReader : public RecordReader {
 public:
  // Takes `file`; closes it unless it is stdin.
  JsonLinesFileReader(std::string name, FILE* file) : name_(std::move(name)), file_(file) {}
  ~JsonLinesFileReader() override {
    if (file_ != stdin) fclose(file_);
    free(line_buffer_);
  }

  absl::StatusOr<bool> Next(InputRecord* record) override {
    while (true) {
      errno = 0;
      ssize_t n = getline(&line_buffer_, &line_capacity_, file_);
      if (n < 0) {
        if (ferror(file_)) {
          return absl::UnavailableError(
              absl::StrCat(name_, ": reading after line ", line_, " failed: ", strerror(errno)));
        }
        return false;
      }
      ++line_;
      std::string_view text(line_buffer_, static_cast<size_t>(n));
      if (IsBlank(text)) continue;
      text = TrimLineEnd(text);
      record->json.assign(text.data(), text.size());
      record->location = absl::StrCat("line ", line_);
      return true;
    }
  }

  const std::string& name() const override { return name_; }

 private:
  std::string name_;
  FILE* file_;
  char* line_buffer_ = nullptr;
  size_t line_capacity_ = 0;
  uint64_t line_ = 0;
};

class JsonLinesStringReader : public RecordReader {
 public:
  JsonLinesStringReader(std::string name, std::string text)
      : name_(std::move(name)), text_(std::move(text)) {}

  absl::StatusOr<bool> Next(InputRecord* record) override {
    while (position_ < text_.size()) {
      size_t end = text_.find('\n', position_);
      if (end == std::string::npos) end = text_.size();
      std::string_view line(text_.data() + position_, end - position_);
      position_ = end + 1;
      ++line_;
      if (IsBlank(line)) continue;
      line = TrimLineEnd(line);
      record->json.assign(line.data(), line.size());
      record->location = absl::StrCat("line ", line_);
      return true;
    }
    return false;
  }

  const std::string& name() const override { return name_; }

 private:
  std::string name_;
  std::string text_;
  size_t position_ = 0;
  uint64_t line_ = 0;
};

// ---------------------------------------------------------------------------
// JSON text helpers.

// Appends `s` as a JSON string literal.
void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (u < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 0xF]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

bool IsUtf8Continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The largest n <= limit that does not cut a UTF-8 sequence of `s`.
size_t Utf8Boundary(std::string_view s, size_t limit) {
  if (limit >= s.size()) return s.size();
  while (limit > 0 && IsUtf8Continuation(s[limit])) --limit;
  return limit;
}

// `s` when it fits in `max` bytes, else its start and how long it was.
std::string Cut(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t keep = Utf8Boundary(s, max);
  std::string out = s.substr(0, keep);
  absl::StrAppend(&out, "...(", s.size(), " bytes)");
  return out;
}

// JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(std::string_view t) {
  size_t i = 0;
  auto digits = [&]() {
    size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i - start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0') {
    ++i;
  } else if (digits() == 0) {
    return false;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == t.size();
}

bool IsNumberChar(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Records the text of every number in `text` (outside strings), in document
// order, in `numbers`, and overwrites each in `buffer` (a copy of `text`) with
// "0" and spaces: simdjson then checks the structure, every number's text
// survives exactly, and numbers beyond int64 or double still compare. Returns
// the offset of the first malformed number, or nullopt.
std::optional<size_t> ExtractNumbers(std::string_view text, std::string* buffer,
                                     std::vector<std::string_view>* numbers) {
  numbers->clear();
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"') {
      ++i;
      while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
      ++i;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      size_t start = i;
      while (i < text.size() && IsNumberChar(text[i])) ++i;
      std::string_view number = text.substr(start, i - start);
      if (!IsJsonNumber(number)) return start;
      numbers->push_back(number);
      (*buffer)[start] = '0';
      for (size_t j = start + 1; j < i; ++j) (*buffer)[j] = ' ';
    } else {
      ++i;
    }
  }
  return std::nullopt;
}

// Typed views of an element whose type the caller has checked. (get() rather
// than value_unsafe() on a temporary result, which GCC 12 warns about.)
simdjson::dom::object ObjectOf(element e) {
  simdjson::dom::object o;
  if (e.get(o) != simdjson::SUCCESS) return {};
  return o;
}
simdjson::dom::array ArrayOf(element e) {
  simdjson::dom::array a;
  if (e.get(a) != simdjson::SUCCESS) return {};
  return a;
}
bool BoolOf(element e) {
  bool b = false;
  return e.get(b) == simdjson::SUCCESS && b;
}
std::string_view StringOf(element e) {
  std::string_view s;
  if (e.get(s) != simdjson::SUCCESS) return {};
  return s;
}

// Numbers are counted in document order; a cursor is an index into a
// record's number texts, and walking past an element moves it by this much.
size_t CountNumbers(element e) {
  switch (e.type()) {
    case element_type::ARRAY: {
      size_t n = 0;
      for (element child : ArrayOf(e)) n += CountNumbers(child);
      return n;
    }
    case element_type::OBJECT: {
      size_t n = 0;
      for (simdjson::dom::key_value_pair member : ObjectOf(e)) {
        n += CountNumbers(member.value);
      }
      return n;
    }
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return 1;
    default:
      return 0;
  }
}

enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

Kind KindOf(element e) {
  switch (e.type()) {
    case element_type::ARRAY:
      return Kind::kArray;
    case element_type::OBJECT:
      return Kind::kObject;
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return Kind::kNumber;
    case element_type::STRING:
      return Kind::kString;
    case element_type::BOOL:
      return Kind::kBool;
    case element_type::NULL_VALUE:
      break;
  }
  return Kind::kNull;
}

using Numbers = std::vector<std::string_view>;

// Appends `e` as compact JSON, numbers as written; advances *cursor past it.
void Render(element e, const Numbers& numbers, size_t* cursor, std::string* out) {
  switch (KindOf(e)) {
    case Kind::kNull:
      out->append("null");
      return;
    case Kind::kBool:
      out->append(BoolOf(e) ? "true" : "false");
      return;
    case Kind::kNumber:
      out->append(numbers[(*cursor)++]);
      return;
    case Kind::kString:
      AppendJsonString(StringOf(e), out);
      return;
    case Kind::kArray: {
      out->push_back('[');
      bool first = true;
      for (element child : ArrayOf(e)) {
        if (!first) out->push_back(',');
        first = false;
        Render(child, numbers, cursor, out);
      }
      out->push_back(']');
      return;
    }
    case Kind::kObject: {
      out->push_back('{');
      bool first = true;
      for (simdjson::dom::key_value_pair member : ObjectOf(e)) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(member.key, out);
        out->push_back(':');
        Render(member.value, numbers, cursor, out);
      }
      out->push_back('}');
      return;
    }
  }
}

// A JsonConverter value with schemas.enable=true: {"schema":...,"payload":...}.
bool IsEnvelope(element e) {
  if (e.type() != element_type::OBJECT) return false;
  simdjson::dom::object o = ObjectOf(e);
  auto it = o.begin();
  if (it == o.end() || it.key() != "schema") return false;
  ++it;
  if (it == o.end() || it.key() != "payload") return false;
  ++it;
  return !(it != o.end());
}

// Finds member `name` of `o`, moving *cursor past the members before it.
bool FindMember(simdjson::dom::object o, std::string_view name, size_t* cursor, element* found) {
  for (simdjson::dom::key_value_pair member : o) {
    if (member.key == name) {
      *found = member.value;
      return true;
    }
    *cursor += CountNumbers(member.value);
  }
  return false;
}

// The payload of a key or value: itself, or "payload" of an envelope.
element PayloadOf(element e, size_t* cursor) {
  if (!IsEnvelope(e)) return e;
  element payload;
  FindMember(ObjectOf(e), "payload", cursor, &payload);
  return payload;
}

// Strict equality without reporting, for normalized values.
bool Equal(element l, const Numbers& ln, size_t* lc, element r, const Numbers& rn, size_t* rc) {
  Kind kind = KindOf(l);
  if (kind != KindOf(r)) return false;
  switch (kind) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return BoolOf(l) == BoolOf(r);
    case Kind::kNumber:
      return ln[(*lc)++] == rn[(*rc)++];
    case Kind::kString:
      return StringOf(l) == StringOf(r);
    case Kind::kArray: {
      simdjson::dom::array la = ArrayOf(l);
      simdjson::dom::array ra = ArrayOf(r);
      auto li = la.begin();
      auto ri = ra.begin();
      for (; li != la.end() && ri != ra.end(); ++li, ++ri) {
        if (!Equal(*li, ln, lc, *ri, rn, rc)) return false;
      }
      return !(li != la.end()) && !(ri != ra.end());
    }
    case Kind::kObject: {
      simdjson::dom::object lo = ObjectOf(l);
      simdjson::dom::object ro = ObjectOf(r);
      auto li = lo.begin();
      auto ri = ro.begin();
      for (; li != lo.end() && ri != ro.end(); ++li, ++ri) {
        if (li.key() != ri.key() || !Equal(li.value(), ln, lc, ri.value(), rn, rc)) return false;
      }
      return !(li != lo.end()) && !(ri != ro.end());
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// Normalization rules: a tree of member names; a node with a rule index
// normalizes the member it stands for.

struct RuleNode {
  int rule = -1;
  std::map<std::string, RuleNode, std::less<>> children;

  const RuleNode* Find(std::string_view name) const {
    auto it = children.find(name);
    return it == children.end() ? nullptr : &it->second;
  }
};

// ---------------------------------------------------------------------------
// One side of a comparison: a parsed record.

class Side {
 public:
  // Parses `record`; errors name `stream` and the record's location.
  absl::Status Parse(const InputRecord& record, std::string_view stream, element empty_object) {
    text_ = record.json;
    buffer_.reserve(text_.size() + simdjson::SIMDJSON_PADDING);
    buffer_.assign(text_);
    location_ = record.location;
    auto fail = [&](std::string_view what) {
      return absl::DataLossError(absl::StrCat(ToAbsl(stream), " ", location_, ": ", ToAbsl(what)));
    };
    if (std::optional<size_t> bad = ExtractNumbers(text_, &buffer_, &numbers_)) {
      return fail(absl::StrCat("not JSON: malformed number at byte ", *bad + 1));
    }
    element root;
    simdjson::error_code error = parser_.parse(buffer_.data(), buffer_.size(), false).get(root);
    if (error != simdjson::SUCCESS) {
      return fail(absl::StrCat("not JSON: ", simdjson::error_message(error)));
    }
    if (root.type() != element_type::OBJECT) return fail("not a record: not a JSON object");
    bool has_topic = false, has_key = false, has_value = false;
    has_headers_ = false;
    size_t cursor = 0;
    for (simdjson::dom::key_value_pair member : ObjectOf(root)) {
      std::string_view name = member.key;
      bool* seen = name == "topic"     ? &has_topic
                   : name == "key"     ? &has_key
                   : name == "value"   ? &has_value
                   : name == "headers" ? &has_headers_
                                       : nullptr;
      if (seen != nullptr) {
        if (*seen) return fail(absl::StrCat("not a record: \"", ToAbsl(name), "\" twice"));
        *seen = true;
      }
      if (name == "topic") {
        if (member.value.type() != element_type::STRING) {
          return fail("not a record: \"topic\" is not a string");
        }
        topic_ = StringOf(member.value);
      } else if (name == "key") {
        key_ = member.value;
        key_cursor_ = cursor;
      } else if (name == "value") {
        value_ = member.value;
        value_cursor_ = cursor;
      } else if (name == "headers") {
        if (member.value.type() != element_type::OBJECT) {
          return fail("not a record: \"headers\" is not an object");
        }
        headers_ = member.value;
        headers_cursor_ = cursor;
      }
      cursor += CountNumbers(member.value);
    }
    if (!has_topic) return fail("not a record: no \"topic\"");
    if (!has_key) return fail("not a record: no \"key\"");
    if (!has_value) return fail("not a record: no \"value\"");
    if (!has_headers_) {
      headers_ = empty_object;
      headers_cursor_ = 0;
    }
    return absl::OkStatus();
  }

  const std::string& location() const { return location_; }
  std::string_view topic() const { return topic_; }
  element key() const { return key_; }
  element value() const { return value_; }
  element headers() const { return headers_; }
  size_t key_cursor() const { return key_cursor_; }
  size_t value_cursor() const { return value_cursor_; }
  size_t headers_cursor() const { return headers_cursor_; }
  const Numbers& numbers() const { return numbers_; }

  // The key for messages: its payload, compact.
  std::string KeyText(size_t max) const {
    size_t cursor = key_cursor_;
    element payload = PayloadOf(key_, &cursor);
    std::string out;
    Render(payload, numbers_, &cursor, &out);
    return Cut(std::move(out), max);
  }

  // source.schema + "." + source.table and source.lsn from the value, when
  // there.
  void SourceFacts(std::string* table, std::string* lsn) const {
    size_t cursor = value_cursor_;
    element payload = PayloadOf(value_, &cursor);
    if (payload.type() != element_type::OBJECT) return;
    element source;
    if (!FindMember(ObjectOf(payload), "source", &cursor, &source) ||
        source.type() != element_type::OBJECT) {
      return;
    }
    simdjson::dom::object fields = ObjectOf(source);
    element schema, name, position;
    size_t ignored = 0;
    if (FindMember(fields, "schema", &ignored, &schema) && schema.type() == element_type::STRING &&
        FindMember(fields, "table", &ignored, &name) && name.type() == element_type::STRING) {
      *table = absl::StrCat(ToAbsl(StringOf(schema)), ".", ToAbsl(StringOf(name)));
    }
    if (FindMember(fields, "lsn", &cursor, &position) && KindOf(position) == Kind::kNumber) {
      lsn->assign(numbers_[cursor]);
    }
  }

 private:
  simdjson::dom::parser parser_;
  std::string text_;    // The record as read; numbers_ point into it.
  std::string buffer_;  // What simdjson parses: text_ with numbers blanked.
  Numbers numbers_;
  std::string location_;
  std::string_view topic_;
  element key_, value_, headers_;
  bool has_headers_ = false;
  size_t key_cursor_ = 0, value_cursor_ = 0, headers_cursor_ = 0;
};

// ---------------------------------------------------------------------------
// The lock-step walk.

struct Segment {
  std::string_view name;
  size_t index = 0;
  bool is_index = false;
};

bool IsPlainName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '$';
    if (!ok) return false;
  }
  return true;
}

std::string FormatPath(const std::vector<Segment>& path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    const Segment& s = path[i];
    if (s.is_index) {
      absl::StrAppend(&out, "[", s.index, "]");
    } else if (i == 0) {
      out.append(s.name);
    } else if (IsPlainName(s.name)) {
      out.push_back('.');
      out.append(s.name);
    } else {
      out.push_back('[');
      AppendJsonString(s.name, &out);
      out.push_back(']');
    }
  }
  return out;
}

std::string NameList(simdjson::dom::object o) {
  std::string out = "[";
  bool first = true;
  for (simdjson::dom::key_value_pair member : o) {
    if (!first) out.push_back(',');
    first = false;
    AppendJsonString(member.key, &out);
  }
  out.push_back(']');
  return out;
}

class Walker {
 public:
  Walker(const Side& left, const Side& right, size_t max_bytes, std::vector<bool>* normalized,
         RecordComparison* out)
      : left_(left), right_(right), max_(max_bytes), normalized_(normalized), out_(out) {}

  // Compares the record member `root` ("key", "value", "headers").
  bool SameRoot(std::string_view root, element l, size_t lc, element r, size_t rc,
                const RuleNode* rules) {
    path_.clear();
    path_.push_back(Segment{root});
    return Same(l, &lc, r, &rc, rules);
  }

 private:
  // Compares `l` and `r` (at path_), advancing the cursors past them. On the
  // first difference fills *out_ and returns false; path_ then names it.
  bool Same(element l, size_t* lc, element r, size_t* rc, const RuleNode* rules) {
    Kind kind = KindOf(l);
    if (kind != KindOf(r)) return Differ(l, *lc, r, *rc, "");
    switch (kind) {
      case Kind::kNull:
        return true;
      case Kind::kBool:
        if (BoolOf(l) != BoolOf(r)) {
          return Differ(l, *lc, r, *rc, "");
        }
        return true;
      case Kind::kNumber: {
        std::string_view a = left_.numbers()[*lc];
        std::string_view b = right_.numbers()[*rc];
        if (a != b) {
          std::string a_text(a), b_text(b);
          bool same_value =
              std::strtod(a_text.c_str(), nullptr) == std::strtod(b_text.c_str(), nullptr);
          return Differ(l, *lc, r, *rc, same_value ? "same number written differently" : "");
        }
        ++*lc;
        ++*rc;
        return true;
      }
      case Kind::kString:
        if (StringOf(l) != StringOf(r)) return DifferStrings(StringOf(l), StringOf(r));
        return true;
      case Kind::kArray:
        return SameArrays(l, lc, r, rc);
      case Kind::kObject:
        return SameObjects(l, lc, r, rc, rules);
    }
    return true;
  }

  bool SameArrays(element l, size_t* lc, element r, size_t* rc) {
    simdjson::dom::array la = ArrayOf(l);
    simdjson::dom::array ra = ArrayOf(r);
    auto li = la.begin();
    auto ri = ra.begin();
    size_t i = 0;
    for (; li != la.end() && ri != ra.end(); ++li, ++ri, ++i) {
      path_.push_back(Segment{{}, i, true});
      if (!Same(*li, lc, *ri, rc, nullptr)) return false;
      path_.pop_back();
    }
    if (li != la.end()) {
      path_.push_back(Segment{{}, i, true});
      return Missing(/*on_left=*/false, *li, *lc);
    }
    if (ri != ra.end()) {
      path_.push_back(Segment{{}, i, true});
      return Missing(/*on_left=*/true, *ri, *rc);
    }
    return true;
  }

  bool SameObjects(element l, size_t* lc, element r, size_t* rc, const RuleNode* rules) {
    simdjson::dom::object lo = ObjectOf(l);
    simdjson::dom::object ro = ObjectOf(r);
    auto li = lo.begin();
    auto ri = ro.begin();
    for (; li != lo.end() && ri != ro.end(); ++li, ++ri) {
      std::string_view name = li.key();
      if (name != ri.key()) {
        bool left_name_on_right = ro.at_key(name).error() == simdjson::SUCCESS;
        bool right_name_on_left = lo.at_key(ri.key()).error() == simdjson::SUCCESS;
        if (!left_name_on_right) {
          path_.push_back(Segment{name});
          return Missing(/*on_left=*/false, li.value(), *lc);
        }
        if (!right_name_on_left) {
          path_.push_back(Segment{ri.key()});
          return Missing(/*on_left=*/true, ri.value(), *rc);
        }
        out_->identical = false;
        out_->path = FormatPath(path_);
        out_->what = "field order differs";
        out_->left = Cut(NameList(lo), max_);
        out_->right = Cut(NameList(ro), max_);
        return false;
      }
      path_.push_back(Segment{name});
      const RuleNode* child = rules != nullptr ? rules->Find(name) : nullptr;
      if (child != nullptr && child->rule >= 0) {
        size_t l_probe = *lc, r_probe = *rc;
        if (!Equal(li.value(), left_.numbers(), &l_probe, ri.value(), right_.numbers(), &r_probe)) {
          (*normalized_)[child->rule] = true;
        }
        *lc += CountNumbers(li.value());
        *rc += CountNumbers(ri.value());
      } else if (!Same(li.value(), lc, ri.value(), rc, child)) {
        return false;
      }
      path_.pop_back();
    }
    if (li != lo.end()) {
      path_.push_back(Segment{li.key()});
      return Missing(/*on_left=*/false, li.value(), *lc);
    }
    if (ri != ro.end()) {
      path_.push_back(Segment{ri.key()});
      return Missing(/*on_left=*/true, ri.value(), *rc);
    }
    return true;
  }

  // How `e` (at path_) reads in a message.
  std::string Display(element e, const Numbers& numbers, size_t cursor) const {
    std::string out;
    if (path_.size() == 1 && !path_[0].is_index && path_[0].name == "value" &&
        e.type() == element_type::NULL_VALUE) {
      return "null (tombstone)";
    }
    if (path_.size() == 1 && IsEnvelope(e)) {
      // The schema says little and is long: show the payload.
      element payload = PayloadOf(e, &cursor);
      out = "{\"schema\":...,\"payload\":";
      Render(payload, numbers, &cursor, &out);
      out.push_back('}');
    } else {
      Render(e, numbers, &cursor, &out);
    }
    return Cut(std::move(out), max_);
  }

  bool Differ(element l, size_t lc, element r, size_t rc, std::string_view what) {
    out_->identical = false;
    out_->path = FormatPath(path_);
    out_->what = std::string(what);
    out_->left = Display(l, left_.numbers(), lc);
    out_->right = Display(r, right_.numbers(), rc);
    return false;
  }

  bool Missing(bool on_left, element present, size_t cursor) {
    out_->identical = false;
    out_->path = FormatPath(path_);
    out_->what.clear();
    std::string shown = Display(present, on_left ? right_.numbers() : left_.numbers(), cursor);
    out_->left = on_left ? std::string(kMissing) : shown;
    out_->right = on_left ? shown : std::string(kMissing);
    return false;
  }

  // Two different strings; long ones are shown around their first difference.
  bool DifferStrings(std::string_view a, std::string_view b) {
    out_->identical = false;
    out_->path = FormatPath(path_);
    if (a.size() + 2 <= max_ && b.size() + 2 <= max_) {
      out_->what.clear();
      out_->left = JsonString(a);
      out_->right = JsonString(b);
      return false;
    }
    size_t at = 0;
    while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
    size_t width = max_ - 8;
    size_t start = Utf8Boundary(a.size() < b.size() ? a : b, at > width / 3 ? at - width / 3 : 0);
    auto window = [&](std::string_view s) {
      std::string out;
      if (start > 0) out.append("...");
      size_t from = std::min(start, s.size());
      size_t end = Utf8Boundary(s, from + width);
      AppendJsonString(s.substr(from, end - from), &out);
      if (end < s.size()) out.append("...");
      return out;
    };
    out_->what =
        absl::StrCat("strings differ at byte ", at, " (lengths ", a.size(), " and ", b.size(), ")");
    out_->left = window(a);
    out_->right = window(b);
    return false;
  }

  const Side& left_;
  const Side& right_;
  size_t max_;
  std::vector<bool>* normalized_;
  RecordComparison* out_;
  std::vector<Segment> path_;
};

RecordContext ContextOf(const Side& main, const Side* other, size_t max) {
  RecordContext context;
  context.topic = std::string(main.topic());
  context.key = main.KeyText(max);
  main.SourceFacts(&context.table, &context.lsn);
  if (other != nullptr) {
    std::string table, lsn;
    other->SourceFacts(&table, &lsn);
    if (context.table.empty()) context.table = table;
    if (context.lsn.empty()) context.lsn = lsn;
  }
  return context;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

// ---------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<RecordReader>> OpenJsonLinesFile(const std::string& path) {
  if (path == "-") return std::make_unique<JsonLinesFileReader>("(standard input)", stdin);
  FILE* file = fopen(path.c_str(), "r");
  if (file == nullptr) {
    int error = errno;
    std::string message = absl::StrCat(path, ": cannot open: ", strerror(error));
    if (error == ENOENT) return absl::NotFoundError(message);
    if (error == EACCES) return absl::PermissionDeniedError(message);
    return absl::UnavailableError(message);
  }
  return std::make_unique<JsonLinesFileReader>(path, file);
}

std::unique_ptr<RecordReader> NewJsonLinesReader(std::string name, std::string text) {
  return std::make_unique<JsonLinesStringReader>(std::move(name), std::move(text));
}

const std::vector<Normalization>& BuiltinNormalizations() {
  using Target = Normalization::Target;
  static const std::vector<Normalization>* const kBuiltins = new std::vector<Normalization>{
      {"value.ts_ms", Target::kValueField, "ts_ms",
       "the envelope's ts_ms: the connector's clock when it processed the event "
       "(source.ts_ms, the commit time, is compared)"},
      {"value.ts_us", Target::kValueField, "ts_us", "the envelope's ts_us, the same clock in us"},
      {"value.ts_ns", Target::kValueField, "ts_ns", "the envelope's ts_ns, the same clock in ns"},
      {"value.source.version", Target::kValueField, "source.version",
       "the connector's version string"},
      {"header.__debezium.context.runId", Target::kHeader, "__debezium.context.runId",
       "a random id each connector run makes (extended.headers.enabled)"},
  };
  return *kBuiltins;
}

class RecordDiffer::Impl {
 public:
  absl::Status Init(const DiffOptions& options) {
    options_ = options;
    if (options.max_value_bytes < 16) {
      return absl::InvalidArgumentError("the value width must be at least 16 bytes");
    }
    for (const std::string& name : options.disabled_normalizations) {
      bool known = false;
      for (const Normalization& n : BuiltinNormalizations()) known = known || n.name == name;
      if (!known) {
        return absl::InvalidArgumentError(
            absl::StrCat("no normalization named \"", name, "\" (--list-normalizations)"));
      }
    }
    if (options.builtin_normalizations) {
      for (const Normalization& n : BuiltinNormalizations()) {
        bool disabled = false;
        for (const std::string& name : options.disabled_normalizations) {
          disabled = disabled || n.name == name;
        }
        if (!disabled) TRACKOPS_RETURN_IF_ERROR(Add(n));
      }
    }
    for (const std::string& topic : options.shape_only_topics) {
      if (topic.empty()) return absl::InvalidArgumentError("a shape-only topic cannot be empty");
    }
    if (!options.shape_only_topics.empty()) {
      // Shape-only records differ in their clock: value.ts_ms stays in force.
      for (const Normalization& n : BuiltinNormalizations()) {
        if (n.name == "value.ts_ms") TRACKOPS_RETURN_IF_ERROR(Add(n));
      }
    }
    for (const std::string& path : options.ignore_fields) {
      TRACKOPS_RETURN_IF_ERROR(
          Add(Normalization{absl::StrCat("value.", path), Normalization::Target::kValueField, path,
                            "--ignore-field"}));
    }
    for (const std::string& name : options.ignore_headers) {
      TRACKOPS_RETURN_IF_ERROR(Add(Normalization{
          absl::StrCat("header.", name), Normalization::Target::kHeader, name, "--ignore-header"}));
    }
    enveloped_rules_.children["payload"] = payload_rules_;
    simdjson::error_code error =
        empty_parser_.parse(kEmptyObject.data(), kEmptyObject.size(), true).get(empty_object_);
    if (error != simdjson::SUCCESS) {
      return absl::InternalError(simdjson::error_message(error));
    }
    return absl::OkStatus();
  }

  std::vector<std::string> Active() const { return names_; }

  absl::StatusOr<RecordComparison> Compare(const InputRecord& left, std::string_view left_name,
                                           const InputRecord& right, std::string_view right_name) {
    TRACKOPS_RETURN_IF_ERROR(left_.Parse(left, left_name, empty_object_));
    TRACKOPS_RETURN_IF_ERROR(right_.Parse(right, right_name, empty_object_));
    RecordComparison out;
    differed_.assign(names_.size(), false);
    Walker walker(left_, right_, options_.max_value_bytes, &differed_, &out);
    if (left_.topic() != right_.topic()) {
      out.identical = false;
      out.path = "topic";
      out.left = Cut(JsonString(left_.topic()), options_.max_value_bytes);
      out.right = Cut(JsonString(right_.topic()), options_.max_value_bytes);
    } else if (!walker.SameRoot("key", left_.key(), left_.key_cursor(), right_.key(),
                                right_.key_cursor(), nullptr)) {
    } else if (!walker.SameRoot("value", left_.value(), left_.value_cursor(), right_.value(),
                                right_.value_cursor(),
                                IsEnvelope(left_.value()) && IsEnvelope(right_.value())
                                    ? &enveloped_rules_
                                    : &payload_rules_)) {
    } else {
      walker.SameRoot("headers", left_.headers(), left_.headers_cursor(), right_.headers(),
                      right_.headers_cursor(), &header_rules_);
    }
    if (out.identical) {
      out.context.topic = std::string(left_.topic());
    } else {
      out.context = ContextOf(left_, &right_, options_.max_value_bytes);
    }
    for (size_t i = 0; i < names_.size(); ++i) {
      if (differed_[i]) out.normalized.push_back(names_[i]);
    }
    return out;
  }

  absl::StatusOr<DiffSummary> DiffStreams(RecordReader& left, RecordReader& right,
                                          const ReportSink& out) {
    DiffSummary summary;
    std::vector<uint64_t> normalized(names_.size(), 0);
    InputRecord left_record, right_record;
    bool left_more = true, right_more = true;
    uint64_t shown = 0, not_shown = 0;
    std::vector<ShapedRecord> left_shaped, right_shaped;
    // A difference block, unless max_diffs are shown already.
    auto show = [&](std::string_view left_location, std::string_view right_location,
                    const RecordComparison& comparison) {
      if (shown < options_.max_diffs) {
        ++shown;
        out(FormatDifference(summary.compared, left_location, right_location, comparison));
      } else {
        ++not_shown;
      }
    };
    while (true) {
      bool has_left = false, has_right = false;
      if (left_more) {
        TRACKOPS_ASSIGN_OR_RETURN(has_left, NextPaired(left, &left_record, &left_shaped));
        left_more = has_left;
      }
      if (right_more) {
        TRACKOPS_ASSIGN_OR_RETURN(has_right, NextPaired(right, &right_record, &right_shaped));
        right_more = has_right;
      }
      if (!has_left && !has_right) break;
      ++summary.compared;
      RecordComparison comparison;
      if (has_left && has_right) {
        TRACKOPS_ASSIGN_OR_RETURN(comparison,
                                  Compare(left_record, left.name(), right_record, right.name()));
        TopicCounts& counts = summary.topics[comparison.context.topic];
        if (comparison.identical) {
          ++summary.identical;
          ++counts.identical;
          for (size_t i = 0; i < names_.size(); ++i) normalized[i] += differed_[i] ? 1 : 0;
          continue;
        }
        ++summary.different;
        ++counts.different;
      } else {
        const Side& side = has_left ? left_ : right_;
        TRACKOPS_RETURN_IF_ERROR(has_left
                                     ? left_.Parse(left_record, left.name(), empty_object_)
                                     : right_.Parse(right_record, right.name(), empty_object_));
        comparison.identical = false;
        comparison.what = has_left ? "only left" : "only right";
        comparison.context = ContextOf(side, nullptr, options_.max_value_bytes);
        TopicCounts& counts = summary.topics[comparison.context.topic];
        ++(has_left ? summary.only_left : summary.only_right);
        ++(has_left ? counts.only_left : counts.only_right);
      }
      show(has_left ? left_record.location : "-", has_right ? right_record.location : "-",
           comparison);
    }
    for (const std::string& topic : options_.shape_only_topics) {
      TRACKOPS_RETURN_IF_ERROR(DiffShapes(topic, left_shaped, left.name(), right_shaped,
                                          right.name(), &summary, &normalized, show));
    }
    if (not_shown > 0) {
      out(absl::StrCat("(", not_shown, " more different records not shown: --max-diffs ",
                       options_.max_diffs, ")\n"));
    }
    if (!options_.skip_topics.empty()) {
      out(absl::StrCat("not compared (--skip-topic ", absl::StrJoin(options_.skip_topics, ", "),
                       "): ", skipped_[std::string(left.name())], " left, ",
                       skipped_[std::string(right.name())], " right\n"));
    }
    for (size_t i = 0; i < names_.size(); ++i) {
      summary.normalized.emplace_back(names_[i], normalized[i]);
    }
    out(FormatSummary(summary));
    return summary;
  }

 private:
  static constexpr std::string_view kEmptyObject = "{}";

  // Records of --skip-topic topics left out, per input name.
  absl::flat_hash_map<std::string, uint64_t> skipped_;

  // A record of a shape-only topic, set aside.
  struct ShapedRecord {
    std::string topic;
    InputRecord record;
  };

  // Reads the next record of `reader` to pair by position into *record,
  // setting records of shape-only topics aside in *shaped.
  absl::StatusOr<bool> NextPaired(RecordReader& reader, InputRecord* record,
                                  std::vector<ShapedRecord>* shaped) {
    while (true) {
      TRACKOPS_ASSIGN_OR_RETURN(bool more, reader.Next(record));
      if (!more || (options_.shape_only_topics.empty() && options_.skip_topics.empty())) {
        return more;
      }
      TRACKOPS_RETURN_IF_ERROR(probe_.Parse(*record, reader.name(), empty_object_));
      std::string_view topic = probe_.topic();
      if (std::find(options_.skip_topics.begin(), options_.skip_topics.end(), topic) !=
          options_.skip_topics.end()) {
        ++skipped_[std::string(reader.name())];
        continue;
      }
      if (std::find(options_.shape_only_topics.begin(), options_.shape_only_topics.end(), topic) ==
          options_.shape_only_topics.end()) {
        return true;
      }
      shaped->push_back(ShapedRecord{std::string(topic), *record});
    }
  }

  // Compares the set-aside records of shape-only `topic`: every left one
  // with the first right one, every further right one with the first left
  // one; a side without any is a difference.
  template <typename Show>
  absl::Status DiffShapes(const std::string& topic, const std::vector<ShapedRecord>& left_all,
                          const std::string& left_name, const std::vector<ShapedRecord>& right_all,
                          const std::string& right_name, DiffSummary* summary,
                          std::vector<uint64_t>* normalized, Show& show) {
    std::vector<const InputRecord*> lefts, rights;
    for (const ShapedRecord& r : left_all) {
      if (r.topic == topic) lefts.push_back(&r.record);
    }
    for (const ShapedRecord& r : right_all) {
      if (r.topic == topic) rights.push_back(&r.record);
    }
    summary->shape_only.push_back({topic, lefts.size(), rights.size()});
    TopicCounts& counts = summary->topics[topic];
    if (lefts.empty() && rights.empty()) {
      // Nothing to compare, and a shape-only topic must not pass unseen.
      ++summary->compared;
      ++summary->different;
      ++counts.different;
      RecordComparison comparison;
      comparison.identical = false;
      comparison.what = "shape-only topic with no record on either side";
      comparison.context.topic = topic;
      comparison.context.key = "-";
      show("-", "-", comparison);
      return absl::OkStatus();
    }
    if (lefts.empty() || rights.empty()) {
      const bool on_left = rights.empty();
      for (const InputRecord* r : on_left ? lefts : rights) {
        Side& side = on_left ? left_ : right_;
        TRACKOPS_RETURN_IF_ERROR(side.Parse(*r, on_left ? left_name : right_name, empty_object_));
        ++summary->compared;
        ++(on_left ? summary->only_left : summary->only_right);
        ++(on_left ? counts.only_left : counts.only_right);
        RecordComparison comparison;
        comparison.identical = false;
        comparison.what = on_left ? "only left (shape-only topic: none on the right)"
                                  : "only right (shape-only topic: none on the left)";
        comparison.context = ContextOf(side, nullptr, options_.max_value_bytes);
        show(on_left ? r->location : "-", on_left ? "-" : r->location, comparison);
      }
      return absl::OkStatus();
    }
    auto pair = [&](const InputRecord& l, const InputRecord& r) -> absl::Status {
      TRACKOPS_ASSIGN_OR_RETURN(RecordComparison comparison, Compare(l, left_name, r, right_name));
      ++summary->compared;
      if (comparison.identical) {
        ++summary->identical;
        ++counts.identical;
        for (size_t i = 0; i < names_.size(); ++i) (*normalized)[i] += differed_[i] ? 1 : 0;
        return absl::OkStatus();
      }
      ++summary->different;
      ++counts.different;
      show(l.location, r.location, comparison);
      return absl::OkStatus();
    };
    for (const InputRecord* l : lefts) TRACKOPS_RETURN_IF_ERROR(pair(*l, *rights.front()));
    for (size_t i = 1; i < rights.size(); ++i) {
      TRACKOPS_RETURN_IF_ERROR(pair(*lefts.front(), *rights[i]));
    }
    return absl::OkStatus();
  }

  absl::Status Add(const Normalization& n) {
    for (const std::string& name : names_) {
      if (name == n.name) return absl::OkStatus();
    }
    if (n.path.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("normalization \"", n.name, "\": empty"));
    }
    RuleNode* node = nullptr;
    if (n.target == Normalization::Target::kHeader) {
      node = &header_rules_.children[n.path];
    } else {
      node = &payload_rules_;
      for (absl::string_view segment : absl::StrSplit(n.path, '.')) {
        if (segment.empty()) {
          return absl::InvalidArgumentError(
              absl::StrCat("field path \"", n.path, "\" has an empty member name"));
        }
        node = &node->children[std::string(segment)];
      }
    }
    if (node->rule < 0) node->rule = static_cast<int>(names_.size());
    names_.push_back(n.name);
    return absl::OkStatus();
  }

  DiffOptions options_;
  std::vector<std::string> names_;  // Normalizations in force; rule indexes.
  RuleNode payload_rules_;          // Below the value payload.
  RuleNode enveloped_rules_;        // Below a {"schema","payload"} value.
  RuleNode header_rules_;           // Below "headers".
  simdjson::dom::parser empty_parser_;
  element empty_object_;  // Headers of a record without them.
  Side left_, right_;
  Side probe_;                  // Reads the topic of records before pairing (shape-only topics).
  std::vector<bool> differed_;  // Per rule, for the last comparison.
};

absl::StatusOr<std::unique_ptr<RecordDiffer>> RecordDiffer::Create(const DiffOptions& options) {
  auto impl = std::make_unique<Impl>();
  TRACKOPS_RETURN_IF_ERROR(impl->Init(options));
  return std::unique_ptr<RecordDiffer>(new RecordDiffer(std::move(impl)));
}

RecordDiffer::RecordDiffer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RecordDiffer::~RecordDiffer() = default;

absl::StatusOr<RecordComparison> RecordDiffer::Compare(const InputRecord& left,
                                                       const InputRecord& right) {
  return impl_->Compare(left, "left", right, "right");
}

absl::StatusOr<DiffSummary> RecordDiffer::DiffStreams(RecordReader& left, RecordReader& right,
                                                      const ReportSink& out) {
  return impl_->DiffStreams(left, right, out);
}

std::vector<std::string> RecordDiffer::ActiveNormalizations() const { return impl_->Active(); }

std::string FormatDifference(uint64_t record_number, std::string_view left_location,
                             std::string_view right_location, const RecordComparison& comparison) {
  const RecordContext& c = comparison.context;
  std::string out = absl::StrCat("record ", record_number, " (left ", ToAbsl(left_location),
                                 ", right ", ToAbsl(right_location), ") ", c.topic);
  if (!c.table.empty() && !EndsWith(c.topic, absl::StrCat(".", c.table))) {
    absl::StrAppend(&out, " table ", c.table);
  }
  absl::StrAppend(&out, " key ", c.key);
  if (!c.lsn.empty()) absl::StrAppend(&out, " lsn ", c.lsn);
  out.append(": ");
  if (comparison.path.empty()) {
    absl::StrAppend(&out, comparison.what, "\n");
    return out;
  }
  absl::StrAppend(&out, comparison.path, ": ");
  if (!comparison.what.empty()) absl::StrAppend(&out, comparison.what, ": ");
  absl::StrAppend(&out, "left ", comparison.left, " right ", comparison.right, "\n");
  return out;
}

std::string FormatSummary(const DiffSummary& summary) {
  std::string out;
  if (summary.normalized.empty()) {
    out.append("normalized: nothing\n");
  }
  for (const auto& [name, count] : summary.normalized) {
    absl::StrAppend(&out, "normalized ", name, ": differed in ", count, " of ", summary.identical,
                    " identical records\n");
  }
  for (const DiffSummary::ShapeOnlyCount& shape : summary.shape_only) {
    absl::StrAppend(&out, "shape only ", shape.topic, ": ", shape.left, " left, ", shape.right,
                    " right\n");
  }
  absl::StrAppend(&out, "compared ", summary.compared, " records: ", summary.identical,
                  " identical, ", summary.different, " different, ", summary.only_left,
                  " only left, ", summary.only_right, " only right\n");
  if (summary.Same()) return out;
  int width = 5;
  for (const auto& [topic, counts] : summary.topics) {
    width = std::max(width, static_cast<int>(topic.size()));
  }
  absl::StrAppend(&out, absl::StrFormat("%-*s %10s %10s %10s %10s\n", width, "topic", "identical",
                                        "different", "only left", "only right"));
  for (const auto& [topic, counts] : summary.topics) {
    absl::StrAppend(&out,
                    absl::StrFormat("%-*s %10d %10d %10d %10d\n", width, topic, counts.identical,
                                    counts.different, counts.only_left, counts.only_right));
  }
  return out;
}

}  // namespace trackops::diff
