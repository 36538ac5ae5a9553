#include "snapshot/copy_text.h"

#include <cstring>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/strings/str_format.h"

namespace trackops::snapshot {
namespace {

using pgoutput::TupleColumn;
using pgoutput::TupleKind;

constexpr char kDelimiter = '\t';
constexpr char kEscape = '\\';

// The first `c` in [from, end), or `end`.
inline const char* Find(const char* from, const char* end, char c) {
  if (from == end) return end;  // memchr must not see a null pointer, even for 0 bytes.
  const void* found = std::memchr(from, c, static_cast<size_t>(end - from));
  return found != nullptr ? static_cast<const char*>(found) : end;
}

inline bool IsOctal(char c) { return c >= '0' && c <= '7'; }

// The value of a hex digit, or -1.
inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the escape whose introducing backslash is just before `*at` (and
// `*at` < `end`): stores the byte it stands for and advances `*at` past it.
inline char Unescape(const char** at, const char* end) {
  const char* p = *at;
  char c = *p++;
  switch (c) {
    case 'b':
      c = '\b';
      break;
    case 'f':
      c = '\f';
      break;
    case 'n':
      c = '\n';
      break;
    case 'r':
      c = '\r';
      break;
    case 't':
      c = '\t';
      break;
    case 'v':
      c = '\v';
      break;
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      unsigned value = static_cast<unsigned>(c - '0');
      for (int i = 0; i < 2 && p < end && IsOctal(*p); ++i, ++p) {
        value = (value << 3) + static_cast<unsigned>(*p - '0');
      }
      c = static_cast<char>(value & 0xff);
      break;
    }
    case 'x': {
      if (p == end || HexValue(*p) < 0) break;  // Just "x".
      unsigned value = static_cast<unsigned>(HexValue(*p++));
      if (p < end && HexValue(*p) >= 0) {
        value = (value << 4) + static_cast<unsigned>(HexValue(*p++));
      }
      c = static_cast<char>(value);
      break;
    }
    default:
      break;  // "\\" and any other byte: the byte itself.
  }
  *at = p;
  return c;
}

ABSL_ATTRIBUTE_NOINLINE absl::Status RowError(std::string_view row, const char* at, size_t column,
                                              const char* problem) {
  return absl::DataLossError(absl::StrFormat("COPY text row: column %d: %s at byte %d of %d",
                                             column, problem, at - row.data(), row.size()));
}

ABSL_ATTRIBUTE_NOINLINE absl::Status TooManyFields(std::string_view row, const char* at,
                                                   size_t expected_columns) {
  return absl::DataLossError(absl::StrFormat(
      "COPY text row: extra data after the last expected column (%d) at byte %d of %d",
      expected_columns, at - row.data(), row.size()));
}

ABSL_ATTRIBUTE_NOINLINE absl::Status TooFewFields(std::string_view row, size_t fields,
                                                  size_t expected_columns) {
  return absl::DataLossError(
      absl::StrFormat("COPY text row: missing data for column %d: %d of %d columns in %d bytes",
                      fields + 1, fields, expected_columns, row.size()));
}

}  // namespace

absl::Status ParseCopyTextRow(std::string_view row, size_t expected_columns, std::string* buffer,
                              std::vector<TupleColumn>* columns) {
  if (expected_columns == 0) {
    columns->clear();
    if (ABSL_PREDICT_FALSE(!row.empty())) return TooManyFields(row, row.data(), 0);
    return absl::OkStatus();
  }
  columns->resize(expected_columns);
  TupleColumn* column = columns->data();

  const char* p = row.data();  // Start of the current field.
  const char* const end = p + row.size();
  // The next delimiter and the next backslash at or after p (end if none);
  // each is searched for again only once p has passed it, so every byte of
  // the row is scanned at most once per character.
  const char* next_tab = Find(p, end, kDelimiter);
  const char* next_escape = Find(p, end, kEscape);
  // Where unescaped bytes go; set at the first escape of the row. The buffer
  // is sized to the whole row then, which bounds the unescaped bytes (every
  // escape is at least two bytes and stands for one), so it never reallocates
  // while views into it are being handed out.
  char* out = nullptr;
  size_t fields = 0;
  while (true) {
    if (ABSL_PREDICT_FALSE(fields == expected_columns)) {
      return TooManyFields(row, p - 1, expected_columns);
    }
    TupleColumn& field = column[fields++];
    if (next_tab <= next_escape) {
      // No escape before the delimiter (or the end of the row): the bytes
      // themselves.
      field.kind = TupleKind::kText;
      field.data = std::string_view(p, static_cast<size_t>(next_tab - p));
    } else if (next_escape == p && end - p >= 2 && p[1] == 'N' &&
               (p + 2 == end || p[2] == kDelimiter)) {
      field.kind = TupleKind::kNull;
      field.data = std::string_view();
      next_escape = Find(p + 2, end, kEscape);
    } else {
      if (out == nullptr) {
        if (buffer->size() < row.size()) buffer->resize(row.size());
        out = buffer->data();
      }
      char* const field_start = out;
      const char* segment = p;  // Bytes not yet copied to out.
      do {
        const size_t plain = static_cast<size_t>(next_escape - segment);
        std::memcpy(out, segment, plain);
        out += plain;
        segment = next_escape + 1;
        if (ABSL_PREDICT_FALSE(segment == end)) {
          return RowError(row, next_escape, fields, "backslash at the end of the row");
        }
        *out++ = Unescape(&segment, end);
        // An escaped tab ("\" TAB) is data: look for the delimiter again.
        if (next_tab < segment) next_tab = Find(segment, end, kDelimiter);
        next_escape = Find(segment, end, kEscape);
      } while (next_escape < next_tab);
      const size_t plain = static_cast<size_t>(next_tab - segment);
      std::memcpy(out, segment, plain);
      out += plain;
      field.kind = TupleKind::kText;
      field.data = std::string_view(field_start, static_cast<size_t>(out - field_start));
    }
    if (next_tab == end) break;
    p = next_tab + 1;
    next_tab = Find(p, end, kDelimiter);
  }
  if (ABSL_PREDICT_FALSE(fields != expected_columns)) {
    return TooFewFields(row, fields, expected_columns);
  }
  return absl::OkStatus();
}

}  // namespace trackops::snapshot
