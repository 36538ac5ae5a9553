#include "event/json_writer.h"

#include <algorithm>
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

// Copies the longest prefix of [*s, end) that needs no escaping (printable
// ASCII other than '"' and '\\') to *o, which has room for it, advancing
// both. Eight bytes at a time, then byte by byte.
void CopyPlainPrefix(const unsigned char** s, const unsigned char* end, char** o) {
  const unsigned char* p = *s;
  char* out = *o;
  while (end - p >= 8) {
    uint64_t word;
    std::memcpy(&word, p, sizeof(word));
    if (!IsPlainWord(word)) break;
    std::memcpy(out, &word, sizeof(word));
    p += 8;
    out += 8;
  }
  while (p != end && *p < 0x80 && kEscapes.entries[*p] == 0) *out++ = static_cast<char>(*p++);
  *s = p;
  *o = out;
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
// At most: a sign, "0.00" and 17 digits, or a sign, 17 digits, a point,
// 'E' and a sign and three exponent digits.
constexpr size_t kMaxJavaFloatingPoint = 32;

// Writes Java's Double/Float.toString of `value` at `out` (room for
// kMaxJavaFloatingPoint chars); returns the count.
template <typename T>
size_t FormatJavaFloatingPoint(T value, char* out) {
  char* o = out;
  auto put = [&o](const char* data, size_t n) {
    std::memcpy(o, data, n);
    o += n;
  };
  auto zeros = [&o](int n) {
    for (int i = 0; i < n; ++i) *o++ = '0';
  };
  if (std::isnan(value)) {
    put("NaN", 3);
    return static_cast<size_t>(o - out);
  }
  if (std::signbit(value)) *o++ = '-';
  T magnitude = std::fabs(value);
  if (std::isinf(magnitude)) {
    put("Infinity", 8);
    return static_cast<size_t>(o - out);
  }
  if (magnitude == 0) {
    put("0.0", 3);
    return static_cast<size_t>(o - out);
  }
  Decimal d;
  if (!ToScientific(magnitude, -1, &d)) {
    put("NaN", 3);  // Unreachable: to_chars cannot fail with this buffer.
    return static_cast<size_t>(o - out);
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
      put("0.", 2);
      zeros(-d.exponent - 1);
      put(d.digits, static_cast<size_t>(d.length));
    } else {
      int integer_digits = d.exponent + 1;
      if (d.length <= integer_digits) {
        put(d.digits, static_cast<size_t>(d.length));
        zeros(integer_digits - d.length);
        put(".0", 2);
      } else {
        put(d.digits, static_cast<size_t>(integer_digits));
        *o++ = '.';
        put(d.digits + integer_digits, static_cast<size_t>(d.length - integer_digits));
      }
    }
    return static_cast<size_t>(o - out);
  }
  // Computerized scientific notation: d.ddd E exponent.
  *o++ = d.digits[0];
  *o++ = '.';
  if (d.length == 1) {
    *o++ = '0';
  } else {
    put(d.digits + 1, static_cast<size_t>(d.length - 1));
  }
  *o++ = 'E';
  std::to_chars_result r = std::to_chars(o, out + kMaxJavaFloatingPoint, d.exponent);
  return static_cast<size_t>(r.ptr - out);
}

// Writes the padded base64 of `bytes` at `o` ((size + 2) / 3 * 4 chars);
// returns the count.
size_t EncodeBase64(std::string_view bytes, char* o, bool url_safe = false) {
  static constexpr char kStandard[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static constexpr char kUrlSafe[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const char* const kAlphabet = url_safe ? kUrlSafe : kStandard;
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

}  // namespace

void JsonWriter::Grow(size_t n) {
  if (string_ != nullptr) {
    // Room for exactly n bytes: the string's own growth is geometric, and
    // Commit() trims what is not used.
    const size_t used = string_->size();
    string_->resize(used + n);
    pos_ = string_->data() + used;
    limit_ = pos_ + n;
    return;
  }
  const size_t used = static_cast<size_t>(pos_ - base_);
  std::string& bytes = buffer_->bytes_;
  bytes.resize(std::max({bytes.size() * 2, used + n + 1, size_t{256}}));
  base_ = bytes.data();
  pos_ = base_ + used;
  limit_ = base_ + bytes.size();
}

void JsonWriter::RawSlow(std::string_view json) {
  if (string_ != nullptr) {
    string_->append(json);
    return;
  }
  Grow(json.size());
  std::memcpy(pos_, json.data(), json.size());
  pos_ += json.size();
}

void JsonWriter::SyncString() {
  string_->resize(static_cast<size_t>(pos_ - string_->data()));
  limit_ = pos_;
}

void JsonWriter::String(std::string_view utf8) {
  // Most strings need no escaping: copied with their quotes under one
  // capacity check; the first byte that needs attention hands the rest to
  // the general path, which starts there.
  const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* const end = s + utf8.size();
  char* o = Reserve(utf8.size() + 2);
  *o++ = '"';
  CopyPlainPrefix(&s, end, &o);
  if (s != end) {
    Commit(o);
    EscapedContent(s, end);
    o = Reserve(1);
  }
  *o++ = '"';
  Commit(o);
}

void JsonWriter::StringContent(std::string_view utf8) {
  const auto* s = reinterpret_cast<const unsigned char*>(utf8.data());
  const auto* const end = s + utf8.size();
  char* o = Reserve(utf8.size());
  CopyPlainPrefix(&s, end, &o);
  Commit(o);
  if (s != end) EscapedContent(s, end);
}

void JsonWriter::EscapedContent(const unsigned char* p, const unsigned char* end) {
  // In chunks of at most kChunk input bytes, each written under one capacity
  // check: an input byte gives at most 6 output bytes (\u00XX; a 4-byte
  // sequence gives 12, malformed bytes 3 for at least 1), and the last
  // sequence of a chunk may run 3 bytes past it.
  constexpr size_t kChunk = 64;
  auto unicode_escape = [](uint32_t unit, char* o) {
    o[0] = '\\';
    o[1] = 'u';
    o[2] = kHexUpper[(unit >> 12) & 0xF];
    o[3] = kHexUpper[(unit >> 8) & 0xF];
    o[4] = kHexUpper[(unit >> 4) & 0xF];
    o[5] = kHexUpper[unit & 0xF];
  };
  while (p != end) {
    const unsigned char* const chunk_end = p + std::min(static_cast<size_t>(end - p), kChunk);
    char* o = Reserve(6 * static_cast<size_t>(chunk_end - p) + 12);
    while (p < chunk_end) {
      const unsigned char c = *p;
      if (c < 0x80) {
        const char escape = kEscapes.entries[c];
        if (escape == 0) {
          *o++ = static_cast<char>(c);
        } else if (escape == 'u') {
          unicode_escape(c, o);
          o += 6;
        } else {
          o[0] = '\\';
          o[1] = escape;
          o += 2;
        }
        ++p;
        continue;
      }
      Utf8Sequence seq = DecodeUtf8(p, end);
      if (seq.length == 0) {
        // Malformed: Java's decoder turns the maximal subpart into U+FFFD.
        std::memcpy(o, "\xEF\xBF\xBD", 3);
        o += 3;
        p += seq.malformed_length;
      } else if (seq.code_point >= 0x10000) {
        // Jackson escapes both UTF-16 surrogates of a supplementary character
        // (COMBINE_UNICODE_SURROGATES_IN_UTF8 is off by default).
        uint32_t v = seq.code_point - 0x10000;
        unicode_escape(0xD800 + (v >> 10), o);
        unicode_escape(0xDC00 + (v & 0x3FF), o + 6);
        o += 12;
        p += seq.length;
      } else {
        std::memcpy(o, p, static_cast<size_t>(seq.length));  // Raw.
        o += seq.length;
        p += seq.length;
      }
    }
    Commit(o);
  }
}

void JsonWriter::Double(double value) {
  char* o = Reserve(kMaxJavaFloatingPoint + 2);
  if (!std::isfinite(value)) {
    *o++ = '"';
    o += FormatJavaFloatingPoint(value, o);
    *o++ = '"';
  } else {
    o += FormatJavaFloatingPoint(value, o);
  }
  Commit(o);
}

void JsonWriter::Float(float value) {
  char* o = Reserve(kMaxJavaFloatingPoint + 2);
  if (!std::isfinite(value)) {
    *o++ = '"';
    o += FormatJavaFloatingPoint(value, o);
    *o++ = '"';
  } else {
    o += FormatJavaFloatingPoint(value, o);
  }
  Commit(o);
}

void JsonWriter::Base64(std::string_view bytes, bool url_safe) {
  char* o = Reserve((bytes.size() + 2) / 3 * 4 + 2);
  *o++ = '"';
  o += EncodeBase64(bytes, o, url_safe);
  *o++ = '"';
  Commit(o);
}

void AppendJavaDouble(double value, std::string* out) {
  char buffer[kMaxJavaFloatingPoint];
  out->append(buffer, FormatJavaFloatingPoint(value, buffer));
}

void AppendJavaFloat(float value, std::string* out) {
  char buffer[kMaxJavaFloatingPoint];
  out->append(buffer, FormatJavaFloatingPoint(value, buffer));
}

void AppendBase64(std::string_view bytes, std::string* out) {
  const size_t start = out->size();
  out->resize(start + (bytes.size() + 2) / 3 * 4);
  EncodeBase64(bytes, out->data() + start);
}

}  // namespace trackops::event
