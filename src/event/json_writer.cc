#include "event/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <system_error>

#include "util/decimal_digits.h"

namespace trackops::event {
namespace {

constexpr char kHexUpper[] = "0123456789ABCDEF";

// 0: copy unchanged; 'u': \u00XX; otherwise the character after the backslash.
constexpr char EscapeFor(unsigned char c) {
  switch (c) {
    case '"':
      return '"';
    case '\\':
      return '\\';
    case '\b':
      return 'b';
    case '\t':
      return 't';
    case '\n':
      return 'n';
    case '\f':
      return 'f';
    case '\r':
      return 'r';
    default:
      return c < 0x20 ? 'u' : 0;
  }
}

struct EscapeTable {
  char entries[256];
  constexpr EscapeTable() : entries() {
    for (int i = 0; i < 256; ++i) entries[i] = EscapeFor(static_cast<unsigned char>(i));
  }
};
constexpr EscapeTable kEscapes;

// One UTF-8 sequence: its length and code point, or (length 0) the length of
// the malformed bytes to replace with one U+FFFD, as java.nio's UTF-8 decoder
// does: the maximal subpart of a sequence, except that an encoded surrogate
// (ED A0..BF xx) counts as one three-byte unit.
struct Utf8Sequence {
  int length = 0;
  int malformed_length = 1;
  uint32_t code_point = 0;
};

Utf8Sequence DecodeUtf8(const unsigned char* p, const unsigned char* end) {
  Utf8Sequence s;
  unsigned char lead = p[0];
  int needed;
  unsigned char low = 0x80, high = 0xBF;  // Range of the second byte.
  if (lead >= 0xC2 && lead <= 0xDF) {
    needed = 1;
    s.code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    needed = 2;
    s.code_point = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    needed = 3;
    s.code_point = lead & 0x07;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return s;  // Not a lead byte: one byte malformed.
  }
  for (int i = 1; i <= needed; ++i) {
    if (p + i == end) {
      s.malformed_length = i;
      return s;
    }
    unsigned char b = p[i];
    unsigned char lo = i == 1 ? low : 0x80;
    unsigned char hi = i == 1 ? high : 0xBF;
    if (b < lo || b > hi) {
      s.malformed_length = i;
      return s;
    }
    s.code_point = (s.code_point << 6) | (b & 0x3F);
  }
  if (s.code_point >= 0xD800 && s.code_point <= 0xDFFF) {
    // An encoded surrogate (ED A0..BF xx): Java replaces all three bytes.
    s.malformed_length = 3;
    return s;
  }
  s.length = needed + 1;
  return s;
}

// True when none of the 8 bytes of `word` needs attention: each is ASCII,
// at least 0x20, neither '"' nor '\\'. With every byte below 0x80,
// subtracting 0x20 (or 1 from byte ^ c) from every byte borrows, setting a
// high bit, exactly when some byte is below 0x20 (or equal to c).
bool IsPlainWord(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const uint64_t control = word - kOnes * 0x20;
  const uint64_t quote = (word ^ (kOnes * '"')) - kOnes;
  const uint64_t backslash = (word ^ (kOnes * '\\')) - kOnes;
  return ((word | control | quote | backslash) & kHigh) == 0;
}

// The length of the longest prefix of `utf8` that is copied unchanged
// without inspection: printable ASCII other than '"' and '\\'. Eight bytes
// at a time, then byte by byte.
size_t PlainPrefixLength(std::string_view utf8) {
  const char* p = utf8.data();
  const char* const end = p + utf8.size();
  while (end - p >= 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof(word));
    if (!IsPlainWord(word)) break;
    p += 8;
  }
  while (p != end) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c >= 0x80 || kEscapes.entries[c] != 0) break;
    ++p;
  }
  return static_cast<size_t>(p - utf8.data());
}

// The decimal digits and exponent of a finite, non-zero value: value =
// 0.d1d2...dn * 10^(exponent + 1), i.e. d1.d2...dn * 10^exponent.
struct Decimal {
  char digits[24];
  int length = 0;
  int exponent = 0;
};

// Parses std::to_chars scientific output ("d.ddde+XX" or "de-XX").
template <typename T>
bool ToScientific(T value, int precision, Decimal* d) {
  char buffer[64];
  std::to_chars_result r = precision < 0 ? std::to_chars(buffer, buffer + sizeof(buffer), value,
                                                         std::chars_format::scientific)
                                         : std::to_chars(buffer, buffer + sizeof(buffer), value,
                                                         std::chars_format::scientific, precision);
  if (r.ec != std::errc()) return false;
  const char* p = buffer;
  const char* end = r.ptr;
  if (p < end && *p == '-') ++p;
  d->length = 0;
  for (; p < end && *p != 'e'; ++p) {
    if (*p == '.') continue;
    if (d->length >= static_cast<int>(sizeof(d->digits))) return false;
    d->digits[d->length++] = *p;
  }
  if (p == end) return false;
  ++p;  // 'e'
  int exponent = 0;
  std::from_chars_result e = std::from_chars(p + (*p == '+' ? 1 : 0), end, exponent);
  if (e.ec != std::errc()) return false;
  d->exponent = exponent;
  // Drop trailing zeros (to_chars with a precision may produce "5.0e-324").
  while (d->length > 1 && d->digits[d->length - 1] == '0') --d->length;
  return true;
}

template <typename T>
T ParseBack(const Decimal& d) {
  char buffer[64];
  int n = 0;
  buffer[n++] = d.digits[0];
  buffer[n++] = '.';
  for (int i = 1; i < d.length; ++i) buffer[n++] = d.digits[i];
  buffer[n++] = 'e';
  std::to_chars_result r = std::to_chars(buffer + n, buffer + sizeof(buffer), d.exponent);
  T value{};
  std::from_chars(buffer, r.ptr, value);
  return value;
}

// Java (JDK 19+) picks, among the decimals that round to the value, the
// shortest; when that has a single digit it considers two-digit decimals too
// and takes the closest to the exact value. std::to_chars gives the shortest;
// the correctly rounded two-digit decimal covers the second rule.
template <typename T>
void AppendJavaFloatingPoint(T value, std::string* out) {
  if (std::isnan(value)) {
    out->append("NaN");
    return;
  }
  if (std::signbit(value)) out->push_back('-');
  T magnitude = std::fabs(value);
  if (std::isinf(magnitude)) {
    out->append("Infinity");
    return;
  }
  if (magnitude == 0) {
    out->append("0.0");
    return;
  }
  Decimal d;
  if (!ToScientific(magnitude, -1, &d)) {
    out->append("NaN");  // Unreachable: to_chars cannot fail with this buffer.
    return;
  }
  if (d.length == 1) {
    Decimal two;
    if (ToScientific(magnitude, 1, &two) && two.length == 2 && ParseBack<T>(two) == magnitude) {
      d = two;
    }
  }
  if (d.exponent >= -3 && d.exponent < 7) {
    // Plain notation: integer part, '.', at least one fraction digit.
    if (d.exponent < 0) {
      out->append("0.");
      out->append(static_cast<size_t>(-d.exponent - 1), '0');
      out->append(d.digits, d.length);
    } else {
      int integer_digits = d.exponent + 1;
      if (d.length <= integer_digits) {
        out->append(d.digits, d.length);
        out->append(static_cast<size_t>(integer_digits - d.length), '0');
        out->append(".0");
      } else {
        out->append(d.digits, integer_digits);
        out->push_back('.');
        out->append(d.digits + integer_digits, d.length - integer_digits);
      }
    }
    return;
  }
  // Computerized scientific notation: d.ddd E exponent.
  out->push_back(d.digits[0]);
  out->push_back('.');
  if (d.length == 1) {
    out->push_back('0');
  } else {
    out->append(d.digits + 1, d.length - 1);
  }
  out->push_back('E');
  char buffer[16];
  std::to_chars_result r = std::to_chars(buffer, buffer + sizeof(buffer), d.exponent);
  out->append(buffer, r.ptr);
}

// Writes the padded base64 of `bytes` at `o` ((size + 2) / 3 * 4 chars);
// returns the count.
size_t EncodeBase64(std::string_view bytes, char* o) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  char* const begin = o;
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    *o++ = kAlphabet[v >> 18];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = kAlphabet[(v >> 6) & 63];
    *o++ = kAlphabet[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = uint32_t{p[i]} << 16;
    *o++ = kAlphabet[v >> 18];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = '=';
    *o++ = '=';
  } else if (n - i == 2) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8);
    *o++ = kAlphabet[v >> 18];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = kAlphabet[(v >> 6) & 63];
    *o++ = '=';
  }
  return static_cast<size_t>(o - begin);
}

// Output staged in a local buffer and appended in large pieces: text such
// as JSON documents escapes a character every few bytes, and one append per
// escape would cost more than the escaping.
class StagedOutput {
 public:
  explicit StagedOutput(std::string* out) : out_(out) {}
  StagedOutput(const StagedOutput&) = delete;
  StagedOutput& operator=(const StagedOutput&) = delete;
  ~StagedOutput() { out_->append(buffer_, used_); }

  void Put(const void* data, size_t n) {
    if (n > sizeof(buffer_) - used_) {
      out_->append(buffer_, used_);
      used_ = 0;
      if (n > sizeof(buffer_)) {  // A long run: no staging.
        out_->append(static_cast<const char*>(data), n);
        return;
      }
    }
    std::memcpy(buffer_ + used_, data, n);
    used_ += n;
  }

  // A two-character escape sequence, stored directly (no memcpy call).
  void PutPair(char first, char second) {
    if (sizeof(buffer_) - used_ < 2) {
      out_->append(buffer_, used_);
      used_ = 0;
    }
    buffer_[used_] = first;
    buffer_[used_ + 1] = second;
    used_ += 2;
  }

 private:
  std::string* out_;
  char buffer_[512];
  size_t used_ = 0;
};

}  // namespace

void JsonWriter::String(std::string_view utf8) {
  // Most strings are short and need no escaping: written with their quotes
  // from a local buffer, one append instead of three.
  constexpr size_t kShort = 62;
  if (utf8.size() <= kShort && PlainPrefixLength(utf8) == utf8.size()) {
    char buffer[kShort + 2];
    buffer[0] = '"';
    std::memcpy(buffer + 1, utf8.data(), utf8.size());
    buffer[utf8.size() + 1] = '"';
    out_->append(buffer, utf8.size() + 2);
    return;
  }
  out_->push_back('"');
  StringContent(utf8);
  out_->push_back('"');
}

void JsonWriter::StringContent(std::string_view utf8) {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* end = p + utf8.size();
  const auto* run = p;  // Start of bytes not yet copied.
  p += PlainPrefixLength(utf8);
  if (p == end) {
    out_->append(utf8);
    return;
  }
  StagedOutput staged(out_);
  auto flush = [&](const unsigned char* upto) {
    if (upto != run) staged.Put(run, static_cast<size_t>(upto - run));
  };
  auto unicode_escape = [&](uint32_t unit) {
    const char sequence[6] = {'\\',
                              'u',
                              kHexUpper[(unit >> 12) & 0xF],
                              kHexUpper[(unit >> 8) & 0xF],
                              kHexUpper[(unit >> 4) & 0xF],
                              kHexUpper[unit & 0xF]};
    staged.Put(sequence, sizeof(sequence));
  };
  while (p != end) {
    unsigned char c = *p;
    if (c < 0x80) {
      char escape = kEscapes.entries[c];
      if (escape == 0) {
        ++p;
        continue;
      }
      flush(p);
      if (escape == 'u') {
        unicode_escape(c);
      } else {
        staged.PutPair('\\', escape);
      }
      run = ++p;
      continue;
    }
    Utf8Sequence seq = DecodeUtf8(p, end);
    if (seq.length == 0) {
      // Malformed: Java's decoder turns the maximal subpart into U+FFFD.
      flush(p);
      staged.Put("\xEF\xBF\xBD", 3);
      p += seq.malformed_length;
      run = p;
    } else if (seq.code_point >= 0x10000) {
      // Jackson escapes both UTF-16 surrogates of a supplementary character
      // (COMBINE_UNICODE_SURROGATES_IN_UTF8 is off by default).
      flush(p);
      uint32_t v = seq.code_point - 0x10000;
      unicode_escape(0xD800 + (v >> 10));
      unicode_escape(0xDC00 + (v & 0x3FF));
      p += seq.length;
      run = p;
    } else {
      p += seq.length;  // Copied raw with the run.
    }
  }
  flush(end);
}

void JsonWriter::Int(int64_t value) {
  char buffer[kMaxDecimalDigits];
  out_->append(buffer, FormatSignedDecimal(value, buffer));
}

void JsonWriter::UInt(uint64_t value) {
  char buffer[kMaxDecimalDigits];
  out_->append(buffer, FormatDecimal(value, buffer));
}

void JsonWriter::Double(double value) {
  if (!std::isfinite(value)) {
    out_->push_back('"');
    AppendJavaDouble(value, out_);
    out_->push_back('"');
    return;
  }
  AppendJavaDouble(value, out_);
}

void JsonWriter::Float(float value) {
  if (!std::isfinite(value)) {
    out_->push_back('"');
    AppendJavaFloat(value, out_);
    out_->push_back('"');
    return;
  }
  AppendJavaFloat(value, out_);
}

void JsonWriter::Base64(std::string_view bytes) {
  // Short values (decimals, uuids as bytes) are encoded in a local buffer
  // and appended at once, quotes included.
  constexpr size_t kShort = 48;
  if (bytes.size() <= kShort) {
    char buffer[kShort / 3 * 4 + 2];
    buffer[0] = '"';
    const size_t length = EncodeBase64(bytes, buffer + 1);
    buffer[length + 1] = '"';
    out_->append(buffer, length + 2);
    return;
  }
  out_->push_back('"');
  AppendBase64(bytes, out_);
  out_->push_back('"');
}

void AppendJavaDouble(double value, std::string* out) { AppendJavaFloatingPoint(value, out); }

void AppendJavaFloat(float value, std::string* out) { AppendJavaFloatingPoint(value, out); }

void AppendBase64(std::string_view bytes, std::string* out) {
  const size_t start = out->size();
  out->resize(start + (bytes.size() + 2) / 3 * 4);
  EncodeBase64(bytes, out->data() + start);
}

}  // namespace trackops::event
