#include "event/value_converter.h"

#include <charconv>
#include <algorithm>
#include <bit>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "event/java_hash.h"
#include "event/pg_text.h"
#include "util/decimal_digits.h"
#include "util/status_macros.h"

namespace trackops::event {
namespace {

ConnectSchema NamedSchema(std::string_view type, bool optional, std::string_view name) {
  ConnectSchema s = PrimitiveSchema(type, optional);
  s.name = std::string(name);
  s.version = 1;
  return s;
}

// Plain strings in Debezium: PostgresValueConverter maps them to
// SchemaBuilder.string() and converts their text with convertString.
bool IsPlainStringType(uint32_t oid) {
  switch (oid) {
    case pg_oid::kText:
    case pg_oid::kVarchar:
    case pg_oid::kBpchar:
    case pg_oid::kChar:
    case pg_oid::kInet:
    case pg_oid::kCidr:
    case pg_oid::kMacaddr:
    case pg_oid::kMacaddr8:
    case pg_oid::kInt4Range:
    case pg_oid::kNumRange:
    case pg_oid::kInt8Range:
    case pg_oid::kTsRange:
    case pg_oid::kTsTzRange:
    case pg_oid::kDateRange:
      return true;
    default:
      return false;
  }
}

const char* BaseTypeName(uint32_t oid) {
  switch (oid) {
    case pg_oid::kBool:
      return "bool";
    case pg_oid::kBytea:
      return "bytea";
    case pg_oid::kChar:
      return "char";
    case pg_oid::kName:
      return "name";
    case pg_oid::kInt8:
      return "int8";
    case pg_oid::kInt2:
      return "int2";
    case pg_oid::kInt4:
      return "int4";
    case pg_oid::kText:
      return "text";
    case pg_oid::kOid:
      return "oid";
    case pg_oid::kJson:
      return "json";
    case pg_oid::kXml:
      return "xml";
    case pg_oid::kCidr:
      return "cidr";
    case pg_oid::kFloat4:
      return "float4";
    case pg_oid::kFloat8:
      return "float8";
    case pg_oid::kMacaddr8:
      return "macaddr8";
    case pg_oid::kMacaddr:
      return "macaddr";
    case pg_oid::kInet:
      return "inet";
    case pg_oid::kBpchar:
      return "bpchar";
    case pg_oid::kVarchar:
      return "varchar";
    case pg_oid::kDate:
      return "date";
    case pg_oid::kTimestamp:
      return "timestamp";
    case pg_oid::kTimestampTz:
      return "timestamptz";
    case pg_oid::kNumeric:
      return "numeric";
    case pg_oid::kUuid:
      return "uuid";
    case pg_oid::kJsonb:
      return "jsonb";
    case pg_oid::kInt4Range:
      return "int4range";
    case pg_oid::kNumRange:
      return "numrange";
    case pg_oid::kTsRange:
      return "tsrange";
    case pg_oid::kTsTzRange:
      return "tstzrange";
    case pg_oid::kDateRange:
      return "daterange";
    case pg_oid::kInt8Range:
      return "int8range";
    case pg_oid::kMoney:
      return "money";
    case pg_oid::kTime:
      return "time";
    case pg_oid::kTimeTz:
      return "timetz";
    case pg_oid::kInterval:
      return "interval";
    case pg_oid::kBit:
      return "bit";
    case pg_oid::kVarbit:
      return "varbit";
    case pg_oid::kPoint:
      return "point";
    case pg_oid::kTsvector:
      return "tsvector";
    default:
      return nullptr;
  }
}

// PgJDBC's TypeInfoCache.getScale / getPrecision for the typmods Debezium
// reads (PgOutputMessageDecoder's ColumnMetaData).
int32_t NumericPrecision(int32_t typmod) { return ((typmod - 4) >> 16) & 0xFFFF; }
int32_t NumericScale(int32_t typmod) { return (typmod - 4) & 0xFFFF; }
int32_t TemporalPrecision(int32_t typmod) { return typmod < 0 ? 6 : typmod; }

// The element type of the array types Debezium converts; 0 for any other.
uint32_t ArrayElementOid(uint32_t oid) {
  switch (oid) {
    case pg_oid::kBoolArray: return pg_oid::kBool;
    case pg_oid::kByteaArray: return pg_oid::kBytea;
    case pg_oid::kCharArray: return pg_oid::kChar;
    case pg_oid::kInt2Array: return pg_oid::kInt2;
    case pg_oid::kInt4Array: return pg_oid::kInt4;
    case pg_oid::kTextArray: return pg_oid::kText;
    case pg_oid::kBpcharArray: return pg_oid::kBpchar;
    case pg_oid::kVarcharArray: return pg_oid::kVarchar;
    case pg_oid::kInt8Array: return pg_oid::kInt8;
    case pg_oid::kFloat4Array: return pg_oid::kFloat4;
    case pg_oid::kFloat8Array: return pg_oid::kFloat8;
    case pg_oid::kOidArray: return pg_oid::kOid;
    case pg_oid::kMacaddrArray: return pg_oid::kMacaddr;
    case pg_oid::kInetArray: return pg_oid::kInet;
    case pg_oid::kCidrArray: return pg_oid::kCidr;
    case pg_oid::kMacaddr8Array: return pg_oid::kMacaddr8;
    case pg_oid::kTimestampArray: return pg_oid::kTimestamp;
    case pg_oid::kDateArray: return pg_oid::kDate;
    case pg_oid::kTimeArray: return pg_oid::kTime;
    case pg_oid::kTimestampTzArray: return pg_oid::kTimestampTz;
    case pg_oid::kNumericArray: return pg_oid::kNumeric;
    case pg_oid::kTimeTzArray: return pg_oid::kTimeTz;
    case pg_oid::kJsonArray: return pg_oid::kJson;
    case pg_oid::kUuidArray: return pg_oid::kUuid;
    case pg_oid::kJsonbArray: return pg_oid::kJsonb;
    case pg_oid::kInt4RangeArray: return pg_oid::kInt4Range;
    case pg_oid::kNumRangeArray: return pg_oid::kNumRange;
    case pg_oid::kTsRangeArray: return pg_oid::kTsRange;
    case pg_oid::kTsTzRangeArray: return pg_oid::kTsTzRange;
    case pg_oid::kDateRangeArray: return pg_oid::kDateRange;
    case pg_oid::kInt8RangeArray: return pg_oid::kInt8Range;
    default: return 0;
  }
}

// PgJDBC's TypeInfoCache.getPrecision for bit / varbit: the typmod, or
// Integer.MAX_VALUE for an unconstrained varbit (Debezium's Bits length).
int64_t BitLength(uint32_t oid, int32_t typmod) {
  if (typmod >= 0) return typmod;
  return oid == pg_oid::kVarbit ? 2147483647 : 1;
}

// Point.buildWKBPoint: little-endian WKB of a 2D point (byte order 1, type
// 1, x, y).
void AppendPointWkb(double x, double y, std::string* out) {
  auto put_le = [out](uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  uint64_t xb, yb;
  std::memcpy(&xb, &x, sizeof(xb));
  std::memcpy(&yb, &y, sizeof(yb));
  out->push_back('\x01');
  put_le(1, 4);
  put_le(xb, 8);
  put_le(yb, 8);
}

// Point.createValue: {"x":..,"y":..,"wkb":..,"srid":null}.
void AppendPointStruct(double x, double y, std::string* wkb, JsonWriter* out) {
  wkb->clear();
  AppendPointWkb(x, y, wkb);
  out->Raw("{\"x\":");
  out->Double(x);
  out->Raw(",\"y\":");
  out->Double(y);
  out->Raw(",\"wkb\":");
  out->Base64(*wkb);
  out->Raw(",\"srid\":null}");
}

// The characters Jackson's writer-based generator escapes (a Writer, as
// Debezium's hstore-to-JSON uses): `"`, `\`, and controls below 0x20;
// everything else, supplementary characters included, stays raw.
void AppendJacksonWriterEscaped(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\f': out->append("\\f"); break;
      case '\r': out->append("\\r"); break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(ch);
        }
    }
  }
}

// One entry of an hstore's text form.
struct HstoreEntry {
  std::string key;
  std::string value;
  bool null_value = false;
  size_t bucket = 0;
};

// PostgreSQL's hstore_out: `"k"=>"v", "k2"=>NULL` (keys and values quoted,
// `"` and `\` backslash-escaped), read as PgJDBC's HStoreConverter.fromString
// does. False when the text is not of that form.
bool ParseHstore(std::string_view text, std::vector<HstoreEntry>* entries) {
  entries->clear();
  size_t pos = 0;
  auto quoted = [&text, &pos](std::string* out) {
    if (pos >= text.size() || text[pos] != '"') return false;
    for (++pos; pos < text.size() && text[pos] != '"'; ++pos) {
      if (text[pos] == '\\' && pos + 1 < text.size()) ++pos;
      out->push_back(text[pos]);
    }
    if (pos >= text.size()) return false;
    ++pos;
    return true;
  };
  while (pos < text.size()) {
    HstoreEntry e;
    if (!quoted(&e.key)) return false;
    if (text.substr(pos, 2) != "=>") return false;
    pos += 2;
    if (text.substr(pos, 4) == "NULL") {
      e.null_value = true;
      pos += 4;
    } else if (!quoted(&e.value)) {
      return false;
    }
    entries->push_back(std::move(e));
    if (pos == text.size()) break;
    if (text.substr(pos, 2) != ", ") return false;
    pos += 2;
  }
  return true;
}

// Orders `entries` (in text order) as the java.util.HashMap HStoreConverter
// fills iterates them: by bucket, then insertion order.
void OrderLikeHashMap(std::vector<HstoreEntry>* entries) {
  size_t capacity = 16;
  while (entries->size() > capacity / 4 * 3) capacity *= 2;
  for (HstoreEntry& e : *entries) e.bucket = JavaHashMapBucket(JavaStringHash(e.key), capacity);
  std::stable_sort(entries->begin(), entries->end(),
                   [](const HstoreEntry& a, const HstoreEntry& b) { return a.bucket < b.bucket; });
}

absl::Status Malformed(const ColumnCodec& codec) {
  return absl::DataLossError(absl::StrCat("malformed ", codec.type_name, " text"));
}

// java.util.concurrent.TimeUnit.SECONDS.toMicros: saturates on overflow.
int64_t SaturatedSecondsToMicros(int64_t seconds) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 1000000;
  if (seconds > kMax) return std::numeric_limits<int64_t>::max();
  if (seconds < -kMax) return std::numeric_limits<int64_t>::min();
  return seconds * 1000000;
}

// Debezium's Conversions.toEpochMicros(Instant): saturated seconds plus the
// microseconds of the nanosecond field, with Java's wrapping long addition.
int64_t EpochMicros(const PgInstant& instant) {
  uint64_t sum = static_cast<uint64_t>(SaturatedSecondsToMicros(instant.epoch_second)) +
                 static_cast<uint64_t>(instant.nano / 1000);
  return static_cast<int64_t>(sum);
}

// java.time.Instant.toEpochMilli (floor).
int64_t EpochMillis(const PgInstant& instant) {
  return instant.epoch_second * 1000 + instant.nano / 1000000;
}

// Writes `value` (non-negative) with at least `width` digits, zero-padded on
// the left, at `p`; returns the end. Needs max(width, 20) chars.
char* WritePadded(uint64_t value, int width, char* p) {
  const int length = std::max(width, DecimalLength(value));
  WriteDecimal(value, length, p);
  return p + length;
}

// A fraction of a second, `fraction` units of 10^-digits s, as java.time's
// ISO_LOCAL_TIME writes it: nothing when zero, else '.' and its `digits`
// digits without the trailing zeros; at `p`, returns the end.
char* WriteTrimmedFraction(int64_t fraction, int digits, char* p) {
  if (fraction == 0) return p;
  while (fraction % 10 == 0) {
    fraction /= 10;
    --digits;
  }
  *p++ = '.';
  WriteDecimal(static_cast<uint64_t>(fraction), digits, p);  // fraction < 10^digits.
  return p + digits;
}

// "HH:MM:SS" of `second_of_day` (0-86399) at `p`; returns the end.
char* WriteTimeOfDay(int64_t second_of_day, char* p) {
  const auto seconds = static_cast<unsigned>(second_of_day);
  WriteTwoDigits(seconds / 3600, p);
  p[2] = ':';
  WriteTwoDigits(seconds / 60 % 60, p + 3);
  p[5] = ':';
  WriteTwoDigits(seconds % 60, p + 6);
  return p + 8;
}

// java.time's ISO_LOCAL_DATE 'T' time, then 'Z': the year has at least four
// digits, a '+' beyond 9999 and a '-' below 0. With fraction_digits 1-9 the
// fraction has exactly that many digits (ZonedTimestamp's formatter for a
// column precision); otherwise ISO_LOCAL_TIME's: none when zero, else the
// nanoseconds without trailing zeros. Appended as a JSON string (quoted),
// written in place under one capacity check.
void AppendZonedTimestamp(const PgInstant& instant, int fraction_digits, JsonWriter* out) {
  int64_t epoch_day = instant.epoch_second / 86400;
  int64_t second_of_day = instant.epoch_second % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    --epoch_day;
  }
  int64_t year;
  int month, day;
  CivilFromDays(epoch_day, &year, &month, &day);
  // Quotes, sign, 20-digit year, "-MM-DDTHH:MM:SS", 9-digit fraction, 'Z'.
  char* p = out->Reserve(64);
  *p++ = '"';
  if (year < 0) {
    *p++ = '-';
    p = WritePadded(0 - static_cast<uint64_t>(year), 4, p);
  } else {
    if (year > 9999) {
      *p++ = '+';
      p = WritePadded(static_cast<uint64_t>(year), 4, p);
    } else {
      WriteTwoDigits(static_cast<unsigned>(year / 100), p);
      WriteTwoDigits(static_cast<unsigned>(year % 100), p + 2);
      p += 4;
    }
  }
  p[0] = '-';
  WriteTwoDigits(static_cast<unsigned>(month), p + 1);
  p[3] = '-';
  WriteTwoDigits(static_cast<unsigned>(day), p + 4);
  p[6] = 'T';
  p += 7;
  p = WriteTimeOfDay(second_of_day, p);
  if (fraction_digits >= 1 && fraction_digits <= 9) {
    int64_t divisor = 1;
    for (int i = fraction_digits; i < 9; ++i) divisor *= 10;
    *p++ = '.';
    WriteDecimal(static_cast<uint64_t>(instant.nano / divisor), fraction_digits, p);
    p += fraction_digits;
  } else {
    p = WriteTrimmedFraction(instant.nano, 9, p);
  }
  *p++ = 'Z';
  *p++ = '"';
  out->Commit(p);
}

// The common timestamptz text of a server in UTC, "YYYY-MM-DD HH:MM:SS"
// with an optional ".f{1,6}" (trailing zeros trimmed, as PostgreSQL prints)
// and the offset "+00", for a valid date of years 1-9999: its ZonedTimestamp
// is the same digits rearranged, so it is written without converting to
// an instant and back. False (nothing written) for any other text, which the
// general path handles.
int DaysInMonthOf(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

bool AppendUtcTimestampText(std::string_view text, int fraction_digits, JsonWriter* out) {
  constexpr size_t kFixed = 19;  // "YYYY-MM-DD HH:MM:SS"
  if (text.size() < kFixed + 3 || text.size() > kFixed + 7 + 3) return false;
  const char* t = text.data();
  auto digit = [t](size_t i) {
    return static_cast<unsigned>(static_cast<unsigned char>(t[i])) - '0';
  };
  const char* offset = t + text.size() - 3;
  if (offset[0] != '+' || offset[1] != '0' || offset[2] != '0') return false;
  // "YYYY-MM-" and "DD HH:MM" as two 8-byte words, the remaining ":SS" by
  // byte: each digit byte minus '0' must be at most 9, the separators exact.
  auto digits_and = [](const char* p, uint64_t separator_mask, uint64_t separators) {
    uint64_t w;
    std::memcpy(&w, p, sizeof(w));
    if ((w & separator_mask) != separators) return false;
    // Digit positions: x - '0' per byte, no byte borrowing from the next
    // since every x >= '0' is checked (high nibble 3 and low nibble <= 9).
    const uint64_t digits = w & ~separator_mask;
    const uint64_t high = digits & (0xF0F0F0F0F0F0F0F0ULL & ~separator_mask);
    const uint64_t low = digits & (0x0F0F0F0F0F0F0F0FULL & ~separator_mask);
    const uint64_t expected_high = 0x3030303030303030ULL & ~separator_mask;
    // low + 6 carries into the high nibble exactly when low > 9.
    return high == expected_high &&
           ((low + (0x0606060606060606ULL & ~separator_mask)) & 0xF0F0F0F0F0F0F0F0ULL) == 0;
  };
  bool fixed_ok;
  if constexpr (std::endian::native == std::endian::little) {
    // Byte i of the word is bits 8i..8i+7.
    fixed_ok = digits_and(t, 0xFF0000FF00000000ULL, 0x2D00002D00000000ULL) &&     // YYYY-MM-
               digits_and(t + 8, 0x0000FF0000FF0000ULL, 0x00003A0000200000ULL);   // DD HH:MM
  } else {
    fixed_ok = digits_and(t, 0x00000000FF0000FFULL, 0x000000002D00002DULL) &&
               digits_and(t + 8, 0x0000FF0000FF0000ULL, 0x00002000003A0000ULL);
  }
  if (!fixed_ok || t[16] != ':' || digit(17) > 9 || digit(18) > 9) return false;
  const int year = static_cast<int>(digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3));
  const int month = static_cast<int>(digit(5) * 10 + digit(6));
  const int day = static_cast<int>(digit(8) * 10 + digit(9));
  if (year < 1 || month < 1 || month > 12 || day < 1 ||
      (day > 28 && day > DaysInMonthOf(year, month)) || digit(11) * 10 + digit(12) > 23 ||
      digit(14) > 5 || digit(17) > 5) {
    return false;
  }
  // The fraction's digits: none, or '.' and 1-6 digits.
  const char* fraction = t + kFixed;
  size_t fraction_length = static_cast<size_t>(offset - fraction);
  if (fraction_length != 0) {
    if (fraction_length < 2 || fraction[0] != '.') return false;
    ++fraction;
    --fraction_length;
    for (size_t i = 0; i < fraction_length; ++i) {
      if (static_cast<unsigned>(static_cast<unsigned char>(fraction[i])) - '0' > 9) return false;
    }
  }
  char* p = out->Reserve(kFixed + 13);
  *p++ = '"';
  std::memcpy(p, t, kFixed);
  p[10] = 'T';
  p += kFixed;
  if (fraction_digits >= 1 && fraction_digits <= 9) {
    // Exactly fraction_digits digits: the nanoseconds (the text's digits
    // padded with zeros) truncated.
    const size_t copied = std::min(fraction_length, static_cast<size_t>(fraction_digits));
    *p++ = '.';
    std::memcpy(p, fraction, copied);
    std::memset(p + copied, '0', static_cast<size_t>(fraction_digits) - copied);
    p += fraction_digits;
  } else {
    // ISO_LOCAL_TIME: the digits without trailing zeros, none when zero.
    while (fraction_length > 0 && fraction[fraction_length - 1] == '0') --fraction_length;
    if (fraction_length > 0) {
      *p++ = '.';
      std::memcpy(p, fraction, fraction_length);
      p += fraction_length;
    }
  }
  *p++ = 'Z';
  *p++ = '"';
  out->Commit(p);
  return true;
}

// numeric(p,s) text of at most 18 digits with at most `scale` fraction
// digits ("-?d+(.d+)?"): the Decimal's bytes (the unscaled value's minimal
// two's complement) computed in one pass and written base64-encoded. False
// (nothing written) for any other text, which the general path handles.
bool AppendSmallDecimalText(std::string_view text, int32_t scale, JsonWriter* out) {
  const char* p = text.data();
  const char* const end = p + text.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  const char* const integer_start = p;
  uint64_t unscaled = 0;
  while (p != end && static_cast<unsigned>(static_cast<unsigned char>(*p)) - '0' <= 9) {
    unscaled = unscaled * 10 + static_cast<unsigned>(*p - '0');
    ++p;
  }
  const size_t integer_digits = static_cast<size_t>(p - integer_start);
  if (integer_digits == 0) return false;
  size_t fraction_digits = 0;
  if (p != end) {
    if (*p != '.') return false;
    const char* const fraction_start = ++p;
    if (end - p > 18) return false;
    while (p != end && static_cast<unsigned>(static_cast<unsigned char>(*p)) - '0' <= 9) {
      unscaled = unscaled * 10 + static_cast<unsigned>(*p - '0');
      ++p;
    }
    fraction_digits = static_cast<size_t>(p - fraction_start);
    if (p != end || fraction_digits == 0) return false;
  }
  // Digits counted with leading zeros: at most 18 in all, with the padding.
  if (scale < 0 || fraction_digits > static_cast<size_t>(scale) ||
      integer_digits + static_cast<size_t>(scale) > 18) {
    return false;
  }
  for (size_t i = fraction_digits; i < static_cast<size_t>(scale); ++i) unscaled *= 10;
  const int64_t value = negative ? -static_cast<int64_t>(unscaled) : static_cast<int64_t>(unscaled);
  char bytes[8];
  out->Base64(std::string_view(bytes, Int64TwosComplement(value, bytes)));
  return true;
}

// ISO_LOCAL_TIME then 'Z' (ZonedTime of an OffsetTime at UTC): HH:MM:SS and
// the fraction without trailing zeros, as a JSON string (quoted).
void AppendZonedTime(int64_t micros_of_day, JsonWriter* out) {
  char* p = out->Reserve(48);
  *p++ = '"';
  p = WriteTimeOfDay(micros_of_day / 1000000, p);
  p = WriteTrimmedFraction(micros_of_day % 1000000, 6, p);
  *p++ = 'Z';
  *p++ = '"';
  out->Commit(p);
}

// True when `text` is an integer in [min, max] written the way both
// PostgreSQL's int2out/int4out/int8out and Java's Long.toString write it: an
// optional '-', no leading zero, no '-0'. Such a text is its own JSON, with
// no conversion to a number and back. Longer than 18 digits (which could
// overflow the check) or in another form: false, the caller parses it.
bool IsCanonicalInteger(std::string_view text, int64_t min, int64_t max) {
  size_t i = 0;
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) i = 1;
  const size_t digits = text.size() - i;
  if (digits == 0 || digits > 18) return false;
  if (text[i] == '0' && (digits > 1 || negative)) return false;
  uint64_t magnitude = 0;
  for (; i < text.size(); ++i) {
    const unsigned digit = static_cast<unsigned char>(text[i]) - static_cast<unsigned>('0');
    if (digit > 9) return false;
    magnitude = magnitude * 10 + digit;
  }
  const int64_t value =
      negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
  return value >= min && value <= max;
}

// Java's (long) cast of a double: truncation, saturating, NaN -> 0.
int64_t JavaDoubleToLong(double v) {
  if (std::isnan(v)) return 0;
  if (v >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (v <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

// MicroDuration.durationMicros with DAYS_PER_MONTH_AVG, in Java's double
// arithmetic and order.
int64_t IntervalMicros(const PgInterval& iv) {
  constexpr double kDaysPerMonthAvg = 365.25 / 12.0;
  double days = static_cast<double>(iv.years * 12 + iv.months) * kDaysPerMonthAvg + iv.days;
  double seconds = (((days * 24 + iv.hours) * 60) + iv.minutes) * 60 + iv.seconds;
  return JavaDoubleToLong(seconds * 1e6 + 0);
}

// BigDecimal.valueOf(seconds) (from Double.toString), scale capped at 9
// (RoundingMode.DOWN), stripTrailingZeros().toPlainString().
void AppendPlainSeconds(double seconds, std::string* out) {
  // Double.toString into `out`, then moved to a stack buffer (no allocation).
  const size_t mark = out->size();
  AppendJavaDouble(seconds, out);
  char java[40];
  const size_t java_len = std::min(out->size() - mark, sizeof(java));
  out->copy(java, java_len, mark);
  out->resize(mark);
  std::string_view t(java, java_len);
  bool negative = !t.empty() && t[0] == '-';
  if (negative) t.remove_prefix(1);
  int exponent = 0;
  if (size_t e = t.find('E'); e != std::string_view::npos) {
    std::string_view exp_text = t.substr(e + 1);
    std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
    t = t.substr(0, e);
  }
  char digits[40];
  size_t n = 0;
  int scale = 0;
  size_t point = t.find('.');
  for (size_t i = 0; i < t.size() && n < sizeof(digits); ++i) {
    if (t[i] != '.') digits[n++] = t[i];
  }
  if (point != std::string_view::npos) scale = static_cast<int>(t.size() - point - 1);
  scale -= exponent;
  if (scale > 9) {  // setScale(9, RoundingMode.DOWN)
    size_t drop = std::min(n, static_cast<size_t>(scale - 9));
    n -= drop;
    scale = 9;
  }
  size_t first = 0;
  while (first < n && digits[first] == '0') ++first;
  if (first == n) {
    out->push_back('0');
    return;
  }
  std::string_view d(digits + first, n - first);
  while (scale > 0 && d.back() == '0') {  // stripTrailingZeros
    d.remove_suffix(1);
    --scale;
  }
  if (negative) out->push_back('-');
  if (scale <= 0) {
    out->append(d);
    out->append(static_cast<size_t>(-scale), '0');
  } else if (d.size() > static_cast<size_t>(scale)) {
    out->append(d.substr(0, d.size() - static_cast<size_t>(scale)));
    out->push_back('.');
    out->append(d.substr(d.size() - static_cast<size_t>(scale)));
  } else {
    out->append("0.");
    out->append(static_cast<size_t>(scale) - d.size(), '0');
    out->append(d);
  }
}

// Interval.toIsoString: "P<y>Y<m>M<d>DT<h>H<min>M<s>S".
void AppendIsoInterval(const PgInterval& iv, std::string* out) {
  absl::StrAppend(out, "P", iv.years, "Y", iv.months, "M", iv.days, "DT", iv.hours, "H",
                  iv.minutes, "M");
  AppendPlainSeconds(iv.seconds, out);
  out->push_back('S');
}

// bytea under binary.handling.mode: base64 (bytes and base64 modes; JSON
// carries bytes as base64), URL-safe base64 with padding, or lower-case hex.
void AppendBinary(BinaryHandlingMode mode, std::string_view bytes, JsonWriter* out) {
  switch (mode) {
    case BinaryHandlingMode::kBytes:
    case BinaryHandlingMode::kBase64:
      out->Base64(bytes);
      return;
    case BinaryHandlingMode::kBase64UrlSafe:
      out->Base64(bytes, /*url_safe=*/true);
      return;
    case BinaryHandlingMode::kHex: {
      static constexpr char kHex[] = "0123456789abcdef";
      char* o = out->Reserve(2 * bytes.size() + 2);
      *o++ = '"';
      for (char ch : bytes) {
        auto b = static_cast<unsigned char>(ch);
        *o++ = kHex[b >> 4];
        *o++ = kHex[b & 0xF];
      }
      *o++ = '"';
      out->Commit(o);
      return;
    }
  }
}

}  // namespace

// The codec of the column's type, without its default.
ColumnCodec MakeTypeCodec(const schema::ColumnSchema& column, const TypeModes& modes);

namespace {

// PostgresDefaultValueConverter.extractDefault(expr, placeholder): a function
// call (nextval(...), now()) or CURRENT_* gives the placeholder; a bare value
// is itself ("NULL::..." none); otherwise the text inside the first pair of
// single quotes (non-greedy: 'x''y' gives x, as Debezium's pattern does).
std::optional<std::string> ExtractDefault(std::string_view expr, std::string_view placeholder) {
  size_t i = 0;
  if (i < expr.size() && expr[i] == '(') ++i;
  size_t name_start = i;
  while (i < expr.size() && (std::isalnum(static_cast<unsigned char>(expr[i])) ||
                             expr[i] == '_' || expr[i] == '.')) {
    ++i;
  }
  if (i > name_start && i < expr.size() && expr[i] == '(' &&
      expr.find(')', i + 1) != std::string_view::npos) {
    return std::string(placeholder);
  }
  std::string lower(expr);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (lower == "current_timestamp" || lower == "current_time" || lower == "current_date" ||
      lower == "localtime" || lower == "localtimestamp") {
    return std::string(placeholder);
  }
  size_t quote = expr.find('\'');
  if (quote == std::string_view::npos) {
    if (expr.substr(0, 6) == "NULL::") return std::nullopt;
    return std::string(expr);
  }
  size_t end = expr.find('\'', quote + 1);
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(expr.substr(quote + 1, end - quote - 1));
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The PostgreSQL text of a column default as Debezium's default value
// mappers read it, for the types they handle; nullopt: no default.
std::optional<std::string> DefaultText(const schema::ColumnSchema& column, const ColumnCodec& c) {
  std::string_view expr = column.default_expression;
  if (column.is_enum) return ExtractDefault(expr, "");
  const bool null_default = expr.substr(0, 6) == "NULL::";
  switch (column.type_oid) {
    case pg_oid::kBpchar:
    case pg_oid::kVarchar:
    case pg_oid::kText:
    case pg_oid::kXml:
      return ExtractDefault(expr, "");
    case pg_oid::kJson:
    case pg_oid::kJsonb:
      return ExtractDefault(expr, "{}");
    case pg_oid::kUuid: {
      std::optional<std::string> v =
          ExtractDefault(TrimSpace(expr), "00000000-0000-0000-0000-000000000000");
      if (v) {
        for (char& ch : *v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
      return v;
    }
    case pg_oid::kBool: {
      if (null_default) return std::nullopt;
      std::optional<std::string> v = ExtractDefault(TrimSpace(expr), "false");
      if (!v) return std::nullopt;
      std::string lower = *v;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return std::string(lower == "true" ? "t" : "f");  // Boolean.parseBoolean
    }
    case pg_oid::kNumeric:
      if (null_default || c.kind == ValueKind::kVariableScaleDecimal) return std::nullopt;
      return ExtractDefault(TrimSpace(expr), "0.0");
    case pg_oid::kFloat4:
    case pg_oid::kFloat8:
      if (null_default) return std::nullopt;
      return ExtractDefault(TrimSpace(expr), "0.0");
    case pg_oid::kInt2:
    case pg_oid::kInt4:
    case pg_oid::kInt8:
      if (null_default) return std::nullopt;
      return ExtractDefault(TrimSpace(expr), "0");
    case pg_oid::kDate:
      return ExtractDefault(TrimSpace(expr), "1970-01-01");
    case pg_oid::kTime:
      return ExtractDefault(TrimSpace(expr), "00:00:00");
    case pg_oid::kTimestamp:
      return ExtractDefault(TrimSpace(expr), "1970-01-01 00:00:00");
    case pg_oid::kTimestampTz:
      return ExtractDefault(TrimSpace(expr), "1970-01-01 00:00:00+00");
    case pg_oid::kInterval: {
      // PGInterval(extractDefault(v, "epoch")): only literals are reproduced.
      std::optional<std::string> v = ExtractDefault(TrimSpace(expr), "epoch");
      if (v && *v == "epoch") return std::nullopt;
      return v;
    }
    case pg_oid::kBit:
      return ExtractDefault(TrimSpace(expr), "00");
    case pg_oid::kVarbit:
      return ExtractDefault(TrimSpace(expr), "0");
    default:
      return std::nullopt;
  }
}

}  // namespace

ColumnCodec MakeColumnCodec(const schema::ColumnSchema& column, const TypeModes& modes) {
  ColumnCodec c = MakeTypeCodec(column, modes);
  if (!column.has_default) return c;
  // Debezium parses the default expression (PostgresDefaultValueConverter),
  // converts it as a value of the column, and puts it in the schema, where
  // JsonConverter also writes it in place of every null of the field.
  std::optional<std::string> text = DefaultText(column, c);
  if (!text) return c;
  ValueConverter converter;
  std::string json;
  JsonWriter w(&json);
  if (!converter.AppendValue(c, *text, &w).ok() || json == "null") return c;
  c.default_json = json;
  c.schema.default_json = std::move(json);
  return c;
}

// `c` as an array of `element` (SchemaBuilder.array(<element schema>)).
ColumnCodec ArrayOf(ColumnCodec c, std::shared_ptr<ColumnCodec> element, bool optional) {
  c.kind = ValueKind::kArray;
  c.schema.type = "array";
  c.schema.optional = optional;
  c.schema.items = std::make_shared<ConnectSchema>(element->schema);
  c.element = std::move(element);
  return c;
}

ColumnCodec MakeTypeCodec(const schema::ColumnSchema& column, const TypeModes& modes) {
  ColumnCodec c;
  c.binary = modes.binary;
  c.decimal = modes.decimal;
  c.name = column.name;
  c.type_oid = column.type_oid;
  c.optional = column.optional;
  const int32_t typmod = column.type_modifier;
  const char* base_name = BaseTypeName(column.type_oid);
  c.type_name = base_name != nullptr ? base_name : absl::StrCat("oid ", column.type_oid);
  const bool opt = column.optional;
  const bool connect_time = modes.time == TimePrecisionMode::kConnect;

  if (column.is_enum) {
    // PostgresValueConverter: io.debezium.data.Enum with the labels in
    // pg_enum sort order; the value is the label text.
    c.type_name = "enum";
    c.kind = ValueKind::kString;
    c.schema = NamedSchema("string", opt, "io.debezium.data.Enum");
    c.schema.parameters = {{"allowed", column.enum_labels}};
    c.placeholder_as_string = true;
    return c;
  }
  if (column.is_enum_array) {
    // SchemaBuilder.array(Enum.builder(labels)): the element schema is not
    // optional, so an array holding a NULL fails to convert (value null).
    auto element = std::make_shared<ColumnCodec>();
    element->name = column.name;
    element->type_name = "enum";
    element->kind = ValueKind::kString;
    element->optional = false;
    element->placeholder_as_string = true;
    element->schema = NamedSchema("string", false, "io.debezium.data.Enum");
    element->schema.parameters = {{"allowed", column.enum_labels}};
    c.type_name = "enum[]";
    return ArrayOf(std::move(c), std::move(element), opt);
  }
  // Arrays Debezium reaches through their element type: tsvector[] (the
  // element schema as built, not optional) and the extension arrays it
  // recognizes by name (TypeRegistry: optional elements).
  const std::string& type_name = column.type_name;
  if (column.type_oid == pg_oid::kTsvectorArray || type_name == "_citext" ||
      type_name == "_ltree" || type_name == "_hstore") {
    schema::ColumnSchema element_column;
    element_column.name = column.name;
    if (column.type_oid == pg_oid::kTsvectorArray) {
      element_column.type_oid = pg_oid::kTsvector;
      element_column.optional = false;
    } else {
      element_column.type_name = type_name.substr(1);
      element_column.optional = true;
    }
    auto element = std::make_shared<ColumnCodec>(MakeTypeCodec(element_column, modes));
    c.type_name = absl::StrCat(element->type_name, "[]");
    return ArrayOf(std::move(c), std::move(element), opt);
  }
  if (column.type_oid == pg_oid::kBitArray) {
    // schemaBuilder: case BIT_ARRAY with BIT, so the column gets bit(n)'s
    // schema; its converter reads an array, which that schema refuses
    // (TableSchemaBuilder warns, the value stays null).
    schema::ColumnSchema bit = column;
    bit.type_oid = pg_oid::kBit;
    ColumnCodec b = MakeTypeCodec(bit, modes);
    c.type_name = absl::StrCat(b.type_name, "[]");
    c.kind = ValueKind::kUnconvertible;
    c.schema = b.schema;
    return c;
  }
  if (uint32_t element_oid = ArrayElementOid(column.type_oid); element_oid != 0) {
    // SchemaBuilder.array(<optional element schema>); the element keeps the
    // column's typmod (numeric(p,s)[], time(3)[]).
    schema::ColumnSchema element_column;
    element_column.name = column.name;
    element_column.type_oid = element_oid;
    element_column.type_modifier = typmod;
    element_column.optional = true;
    auto element = std::make_shared<ColumnCodec>(MakeTypeCodec(element_column, modes));
    c.type_name = absl::StrCat(element->type_name, "[]");
    return ArrayOf(std::move(c), std::move(element), opt);
  }

  switch (column.type_oid) {
    case pg_oid::kBool:
      c.kind = ValueKind::kBoolean;
      c.schema = PrimitiveSchema("boolean", opt);
      break;
    case pg_oid::kInt2:
      c.kind = ValueKind::kInt16;
      c.schema = PrimitiveSchema("int16", opt);
      break;
    case pg_oid::kInt4:
      c.kind = ValueKind::kInt32;
      c.schema = PrimitiveSchema("int32", opt);
      break;
    case pg_oid::kInt8:
    case pg_oid::kOid:
      c.kind = ValueKind::kInt64;
      c.schema = PrimitiveSchema("int64", opt);
      break;
    case pg_oid::kFloat4:
      c.kind = ValueKind::kFloat32;
      c.schema = PrimitiveSchema("float", opt);
      break;
    case pg_oid::kFloat8:
      c.kind = ValueKind::kFloat64;
      c.schema = PrimitiveSchema("double", opt);
      break;
    case pg_oid::kNumeric:
      if (modes.decimal == DecimalHandlingMode::kDouble) {
        c.kind = ValueKind::kDecimalDouble;
        c.schema = PrimitiveSchema("double", opt);
      } else if (modes.decimal == DecimalHandlingMode::kString) {
        c.kind = ValueKind::kDecimalString;
        c.scale = typmod < 0 ? 0 : NumericScale(typmod);
        c.schema = PrimitiveSchema("string", opt);
      } else if (typmod < 0) {
        c.kind = ValueKind::kVariableScaleDecimal;
        c.schema.type = "struct";
        c.schema.optional = opt;
        c.schema.name = "io.debezium.data.VariableScaleDecimal";
        c.schema.version = 1;
        c.schema.doc = "Variable scaled decimal";
        c.schema.fields = {{"scale", PrimitiveSchema("int32", false)},
                           {"value", PrimitiveSchema("bytes", false)}};
      } else {
        c.kind = ValueKind::kDecimal;
        c.scale = NumericScale(typmod);
        int32_t precision = NumericPrecision(typmod);
        c.type_name = absl::StrCat("numeric(", precision, ",", c.scale, ")");
        c.schema = NamedSchema("bytes", opt, "org.apache.kafka.connect.data.Decimal");
        c.schema.parameters = {{"scale", absl::StrCat(c.scale)},
                               {"connect.decimal.precision", absl::StrCat(precision)}};
      }
      break;
    case pg_oid::kName:
      c.kind = ValueKind::kNoValue;
      c.schema = PrimitiveSchema("string", opt);
      c.placeholder_as_string = true;
      break;
    case pg_oid::kUuid:
      c.kind = ValueKind::kString;
      c.schema = NamedSchema("string", opt, "io.debezium.data.Uuid");
      c.placeholder_as_string = true;
      break;
    case pg_oid::kJson:
    case pg_oid::kJsonb:
      c.kind = ValueKind::kString;
      c.schema = NamedSchema("string", opt, "io.debezium.data.Json");
      c.placeholder_as_string = true;
      break;
    case pg_oid::kXml:
      c.kind = ValueKind::kString;
      c.schema = NamedSchema("string", opt, "io.debezium.data.Xml");
      c.placeholder_as_string = true;
      break;
    case pg_oid::kBytea:
      c.kind = ValueKind::kBytes;
      // BinaryHandlingMode.getSchema(): bytes, or a plain string.
      c.schema = PrimitiveSchema(modes.binary == BinaryHandlingMode::kBytes ? "bytes" : "string",
                                 opt);
      c.placeholder_as_bytes = true;
      break;
    case pg_oid::kDate:
      c.kind = ValueKind::kDate;
      c.schema = NamedSchema("int32", opt,
                             connect_time ? "org.apache.kafka.connect.data.Date"
                                          : "io.debezium.time.Date");
      break;
    case pg_oid::kTimestamp: {
      int32_t precision = TemporalPrecision(typmod);
      if (typmod >= 0) c.type_name = absl::StrCat("timestamp(", typmod, ")");
      if (connect_time) {
        c.kind = ValueKind::kTimestampMillis;
        c.schema = NamedSchema("int64", opt, "org.apache.kafka.connect.data.Timestamp");
      } else if (precision <= 3) {
        c.kind = ValueKind::kTimestampMillis;
        c.schema = NamedSchema("int64", opt, "io.debezium.time.Timestamp");
      } else {
        c.kind = ValueKind::kTimestampMicros;
        c.schema = NamedSchema("int64", opt, "io.debezium.time.MicroTimestamp");
      }
      break;
    }
    case pg_oid::kTimestampTz:
      c.kind = ValueKind::kZonedTimestamp;
      c.fraction_digits = TemporalPrecision(typmod);
      if (typmod >= 0) c.type_name = absl::StrCat("timestamptz(", typmod, ")");
      c.schema = NamedSchema("string", opt, "io.debezium.time.ZonedTimestamp");
      break;
    case pg_oid::kTime: {
      int32_t precision = TemporalPrecision(typmod);
      if (typmod >= 0) c.type_name = absl::StrCat("time(", typmod, ")");
      if (connect_time) {
        c.kind = ValueKind::kTimeMillis;
        c.schema = NamedSchema("int32", opt, "org.apache.kafka.connect.data.Time");
      } else if (precision <= 3 && modes.time == TimePrecisionMode::kAdaptive) {
        c.kind = ValueKind::kTimeMillis;
        c.schema = NamedSchema("int32", opt, "io.debezium.time.Time");
      } else {
        c.kind = ValueKind::kTimeMicros;
        c.schema = NamedSchema("int64", opt, "io.debezium.time.MicroTime");
      }
      break;
    }
    case pg_oid::kTimeTz:
      c.kind = ValueKind::kZonedTime;
      c.schema = NamedSchema("string", opt, "io.debezium.time.ZonedTime");
      break;
    case pg_oid::kInterval:
      if (modes.interval == IntervalHandlingMode::kString) {
        c.kind = ValueKind::kIntervalString;
        c.schema = NamedSchema("string", opt, "io.debezium.time.Interval");
      } else {
        c.kind = ValueKind::kIntervalMicros;
        c.schema = NamedSchema("int64", opt, "io.debezium.time.MicroDuration");
      }
      break;
    case pg_oid::kMoney:
      c.kind = ValueKind::kMoney;
      c.scale = 2;  // money.fraction.digits
      if (modes.decimal == DecimalHandlingMode::kDouble) {
        c.schema = PrimitiveSchema("double", opt);
      } else if (modes.decimal == DecimalHandlingMode::kString) {
        c.schema = PrimitiveSchema("string", opt);
      } else {
        c.schema = NamedSchema("bytes", opt, "org.apache.kafka.connect.data.Decimal");
        c.schema.parameters = {{"scale", "2"}};
      }
      break;
    case pg_oid::kBit:
    case pg_oid::kVarbit: {
      int64_t length = BitLength(column.type_oid, typmod);
      if (typmod >= 0) c.type_name = absl::StrCat(c.type_name, "(", typmod, ")");
      if (length > 1) {
        c.kind = ValueKind::kBits;
        c.schema = NamedSchema("bytes", opt, "io.debezium.data.Bits");
        c.schema.parameters = {{"length", absl::StrCat(length)}};
      } else {
        c.kind = ValueKind::kBitBoolean;
        c.schema = PrimitiveSchema("boolean", opt);
      }
      break;
    }
    case pg_oid::kPoint:
      c.kind = ValueKind::kPoint;
      c.schema.type = "struct";
      c.schema.optional = opt;
      c.schema.name = "io.debezium.data.geometry.Point";
      c.schema.version = 1;
      c.schema.doc = "Geometry (POINT)";
      c.schema.fields = {{"x", PrimitiveSchema("double", false)},
                         {"y", PrimitiveSchema("double", false)},
                         {"wkb", PrimitiveSchema("bytes", true)},
                         {"srid", PrimitiveSchema("int32", true)}};
      break;
    case pg_oid::kTsvector:
      c.kind = ValueKind::kString;
      c.schema = NamedSchema("string", opt, "io.debezium.data.Tsvector");
      c.placeholder_as_string = true;
      break;
    default:
      c.kind = ValueKind::kString;
      c.schema = PrimitiveSchema("string", opt);
      c.placeholder_as_string = true;
      if (IsPlainStringType(column.type_oid) || type_name == "citext" || type_name == "isbn") {
        if (base_name == nullptr && !type_name.empty()) c.type_name = type_name;
      } else if (type_name == "ltree") {
        c.type_name = type_name;
        c.schema = NamedSchema("string", opt, "io.debezium.data.Ltree");
      } else if (type_name == "hstore") {
        c.type_name = type_name;
        c.placeholder_as_string = false;
        if (modes.hstore == HStoreHandlingMode::kJson) {
          c.kind = ValueKind::kHstoreJson;
          c.schema = NamedSchema("string", opt, "io.debezium.data.Json");
        } else {
          c.kind = ValueKind::kHstoreMap;
          c.schema.type = "map";
          c.schema.optional = opt;
          c.schema.keys = std::make_shared<ConnectSchema>(PrimitiveSchema("string", false));
          c.schema.values = std::make_shared<ConnectSchema>(PrimitiveSchema("string", true));
        }
      } else {
        // Neither PostgresValueConverter nor JdbcValueConverters has a
        // schema for it (JDBC type OTHER, DISTINCT, STRUCT, ARRAY...): with
        // include.unknown.datatypes=false Debezium leaves the column out.
        c.included = false;
        if (!type_name.empty()) c.type_name = type_name;
      }
      break;
  }
  return c;
}

bool ValueConverter::TryAppendValue(const ColumnCodec& codec, std::string_view text,
                                    JsonWriter* out) {
  switch (codec.kind) {
    case ValueKind::kInt16:
      if (!IsCanonicalInteger(text, std::numeric_limits<int16_t>::min(),
                              std::numeric_limits<int16_t>::max())) {
        return false;
      }
      out->Raw(text);
      return true;
    case ValueKind::kInt32:
      if (!IsCanonicalInteger(text, std::numeric_limits<int32_t>::min(),
                              std::numeric_limits<int32_t>::max())) {
        return false;
      }
      out->Raw(text);
      return true;
    case ValueKind::kInt64:
      if (codec.type_oid == pg_oid::kOid ||
          !IsCanonicalInteger(text, std::numeric_limits<int64_t>::min(),
                              std::numeric_limits<int64_t>::max())) {
        return false;
      }
      out->Raw(text);
      return true;
    case ValueKind::kString:
      out->String(text);
      return true;
    case ValueKind::kDecimal:
      return AppendSmallDecimalText(text, codec.scale, out);
    case ValueKind::kZonedTimestamp:
      return AppendUtcTimestampText(text, codec.fraction_digits, out);
    default:
      return false;
  }
}

absl::Status ValueConverter::AppendValue(const ColumnCodec& codec, std::string_view text,
                                         JsonWriter* out) {
  switch (codec.kind) {
    case ValueKind::kBoolean: {
      bool v;
      if (!ParsePgBool(text, &v)) return Malformed(codec);
      out->Bool(v);
      return absl::OkStatus();
    }
    case ValueKind::kInt16:
    case ValueKind::kInt32:
    case ValueKind::kInt64: {
      int64_t min = std::numeric_limits<int64_t>::min();
      int64_t max = std::numeric_limits<int64_t>::max();
      if (codec.kind == ValueKind::kInt16) {
        min = std::numeric_limits<int16_t>::min();
        max = std::numeric_limits<int16_t>::max();
      } else if (codec.kind == ValueKind::kInt32) {
        min = std::numeric_limits<int32_t>::min();
        max = std::numeric_limits<int32_t>::max();
      } else if (codec.type_oid == pg_oid::kOid) {
        min = 0;
        max = std::numeric_limits<uint32_t>::max();
      }
      if (IsCanonicalInteger(text, min, max)) {
        out->Raw(text);
        return absl::OkStatus();
      }
      int64_t v;
      if (!ParsePgInteger(text, min, max, &v)) return Malformed(codec);
      out->Int(v);
      return absl::OkStatus();
    }
    case ValueKind::kFloat32: {
      float v;
      if (!ParsePgFloat(text, &v)) return Malformed(codec);
      out->Float(v);
      return absl::OkStatus();
    }
    case ValueKind::kFloat64: {
      double v;
      if (!ParsePgDouble(text, &v)) return Malformed(codec);
      out->Double(v);
      return absl::OkStatus();
    }
    case ValueKind::kDecimal:
      if (AppendSmallDecimalText(text, codec.scale, out)) return absl::OkStatus();
      return AppendDecimal(codec, text, out);
    case ValueKind::kVariableScaleDecimal:
      return AppendDecimal(codec, text, out);
    case ValueKind::kString:
      out->String(text);
      return absl::OkStatus();
    case ValueKind::kNoValue:
      // ReplicationMessageColumnValueResolver has no case for "name": with
      // include.unknown.datatypes=false the value resolves to null.
      AppendMissing(codec, out);
      return absl::OkStatus();
    case ValueKind::kBytes:
      bytes_.clear();
      if (!ParsePgByteaHex(text, &bytes_)) return Malformed(codec);
      AppendBinary(codec.binary, bytes_, out);
      return absl::OkStatus();
    case ValueKind::kDecimalDouble: {
      // BigDecimal.doubleValue(); NaN / infinities as Double's.
      double v;
      if (!ParsePgNumericAsDouble(text, &v)) return Malformed(codec);
      out->Double(v);
      return absl::OkStatus();
    }
    case ValueKind::kDecimalString: {
      PgNumeric n;
      if (!ParsePgNumeric(text, &n)) return Malformed(codec);
      switch (n.special) {
        case PgNumeric::Special::kNaN:
          out->String("NAN");
          break;
        case PgNumeric::Special::kPositiveInfinity:
          out->String("POSITIVE_INFINITY");
          break;
        case PgNumeric::Special::kNegativeInfinity:
          out->String("NEGATIVE_INFINITY");
          break;
        case PgNumeric::Special::kNone: {
          // toPlainString of the text PostgreSQL wrote (never in E notation)
          // after setScale(scale): only a negative typmod scale, which PgJDBC
          // reads as (typmod - 4) & 0xFFFF (numeric(5,-2): 2046), adds digits.
          const size_t scale = static_cast<size_t>(codec.scale);
          if (n.fraction_digits.size() >= scale) {
            out->String(text);
            break;
          }
          scratch_.assign(text);
          if (n.fraction_digits.empty()) scratch_.push_back('.');
          scratch_.append(scale - n.fraction_digits.size(), '0');
          out->String(scratch_);
          break;
        }
      }
      return absl::OkStatus();
    }
    case ValueKind::kMoney:
      return AppendMoney(codec, text, out);
    case ValueKind::kTimeMillis:
    case ValueKind::kTimeMicros: {
      int64_t micros;
      if (!ParsePgTime(text, &micros)) return Malformed(codec);
      out->Int(codec.kind == ValueKind::kTimeMillis ? micros / 1000 : micros);
      return absl::OkStatus();
    }
    case ValueKind::kZonedTime: {
      int64_t micros;
      if (!ParsePgTimeTz(text, &micros)) return Malformed(codec);
      AppendZonedTime(micros, out);
      return absl::OkStatus();
    }
    case ValueKind::kIntervalMicros:
    case ValueKind::kIntervalString: {
      PgInterval iv;
      if (!ParsePgInterval(text, &iv)) return Malformed(codec);
      if (codec.kind == ValueKind::kIntervalMicros) {
        out->Int(IntervalMicros(iv));
      } else {
        scratch_.clear();
        AppendIsoInterval(iv, &scratch_);
        out->Raw('"');
        out->Raw(scratch_);
        out->Raw('"');
      }
      return absl::OkStatus();
    }
    case ValueKind::kBitBoolean:
      // Integer.valueOf(text, 2) != 0.
      if (text.empty() || text.find_first_not_of("01") != std::string_view::npos) {
        return Malformed(codec);
      }
      out->Bool(text.find('1') != std::string_view::npos);
      return absl::OkStatus();
    case ValueKind::kBits: {
      // The last character is bit 0; BitSet.toByteArray(): little-endian,
      // no trailing zero bytes (all zeros: empty).
      if (text.find_first_not_of("01") != std::string_view::npos) return Malformed(codec);
      bytes_.clear();
      const size_t n = text.size();
      for (size_t i = 0; i < n; ++i) {
        if (text[n - 1 - i] != '1') continue;
        size_t byte = i / 8;
        if (bytes_.size() <= byte) bytes_.resize(byte + 1, '\0');
        bytes_[byte] = static_cast<char>(static_cast<unsigned char>(bytes_[byte]) | (1u << (i % 8)));
      }
      out->Base64(bytes_);
      return absl::OkStatus();
    }
    case ValueKind::kArray:
      return AppendArray(codec, text, out);
    case ValueKind::kPoint:
      return AppendPoint(codec, text, out);
    case ValueKind::kUnconvertible:
      return absl::FailedPreconditionError(
          absl::StrCat(codec.type_name, " value: Debezium's schema for the type cannot hold it"));
    case ValueKind::kHstoreJson:
    case ValueKind::kHstoreMap:
      return AppendHstore(codec, text, out);
    case ValueKind::kDate: {
      int64_t epoch_day = 0;
      PgInfinity infinity;
      if (!ParsePgDate(text, &epoch_day, &infinity)) return Malformed(codec);
      int32_t days;
      if (infinity == PgInfinity::kPositive) {
        days = kDatePositiveInfinityDays;
      } else if (infinity == PgInfinity::kNegative) {
        days = kDateNegativeInfinityDays;
      } else {
        days = static_cast<int32_t>(static_cast<uint32_t>(epoch_day));  // Java's (int) cast.
      }
      out->Int(days);
      return absl::OkStatus();
    }
    case ValueKind::kTimestampMillis:
    case ValueKind::kTimestampMicros: {
      PgInstant instant;
      PgInfinity infinity;
      if (!ParsePgTimestamp(text, &instant, &infinity)) return Malformed(codec);
      const bool millis = codec.kind == ValueKind::kTimestampMillis;
      int64_t v;
      if (infinity == PgInfinity::kPositive) {
        v = millis ? kTimestampPositiveInfinityMicros / 1000 : kTimestampPositiveInfinityMicros;
      } else if (infinity == PgInfinity::kNegative) {
        v = millis ? kTimestampNegativeInfinityMicros / 1000 : kTimestampNegativeInfinityMicros;
      } else {
        v = millis ? EpochMillis(instant) : EpochMicros(instant);
      }
      out->Int(v);
      return absl::OkStatus();
    }
    case ValueKind::kZonedTimestamp: {
      if (AppendUtcTimestampText(text, codec.fraction_digits, out)) return absl::OkStatus();
      PgInstant instant;
      PgInfinity infinity;
      if (!ParsePgTimestampTz(text, &instant, &infinity)) return Malformed(codec);
      if (infinity == PgInfinity::kPositive) {
        out->String("infinity");
      } else if (infinity == PgInfinity::kNegative) {
        out->String("-infinity");
      } else {
        AppendZonedTimestamp(instant, codec.fraction_digits, out);
      }
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unhandled value kind");
}

absl::Status ValueConverter::AppendDecimal(const ColumnCodec& codec, std::string_view text,
                                           JsonWriter* out) {
  PgNumeric n;
  if (!ParsePgNumeric(text, &n)) return Malformed(codec);
  if (n.special != PgNumeric::Special::kNone) {
    const char* what = n.special == PgNumeric::Special::kNaN ? "NaN" : "an infinity";
    return absl::FailedPreconditionError(absl::StrCat(
        codec.type_name, " value is ", what,
        ", which decimal.handling.mode=precise cannot represent (Debezium fails too for a key "
        "or NOT NULL column; decimal.handling.mode=string or double would carry it)"));
  }
  std::string_view fraction = n.fraction_digits;
  bytes_.clear();
  if (codec.kind == ValueKind::kDecimal) {
    // BigDecimal.setScale(scale): pad with zeros; dropping digits is only
    // possible when they are zeros (PostgreSQL always prints `scale` digits).
    size_t scale = static_cast<size_t>(codec.scale);
    while (fraction.size() > scale) {
      if (fraction.back() != '0') {
        return absl::DataLossError(
            absl::StrCat(codec.type_name, " text has more fraction digits than the scale"));
      }
      fraction.remove_suffix(1);
    }
    char small[8];
    const size_t length = SmallDecimalBytes(n.negative, n.integer_digits, fraction,
                                            scale - fraction.size(), small);
    if (length != 0) {
      out->Base64(std::string_view(small, length));
      return absl::OkStatus();
    }
    decimal_.Append(n.negative, n.integer_digits, fraction, scale - fraction.size(), &bytes_);
    out->Base64(bytes_);
    return absl::OkStatus();
  }
  // VariableScaleDecimal: stripTrailingZeros(), then a negative scale is set
  // back to 0 (which restores the integer's own trailing zeros).
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  decimal_.Append(n.negative, n.integer_digits, fraction, 0, &bytes_);
  out->Raw("{\"scale\":");
  out->Int(static_cast<int64_t>(fraction.size()));
  out->Raw(",\"value\":");
  out->Base64(bytes_);
  out->Raw('}');
  return absl::OkStatus();
}

absl::Status ValueConverter::AppendMoney(const ColumnCodec& codec, std::string_view text,
                                         JsonWriter* out) {
  // PostgresMoney.parse: parentheses or a leading '-' make it negative, one
  // currency symbol is dropped, thousands separators removed.
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  } else if (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
    negative = true;
    text = text.substr(1, text.size() - 2);
  }
  if (!text.empty() && !(text[0] >= '0' && text[0] <= '9') && text[0] != '.') {
    text.remove_prefix(1);
  }
  scratch_.clear();
  if (negative) scratch_.push_back('-');
  for (char ch : text) {
    if (ch != ',') scratch_.push_back(ch);
  }
  PgNumeric n;
  if (!ParsePgNumeric(scratch_, &n) || n.special != PgNumeric::Special::kNone) {
    return Malformed(codec);
  }
  if (codec.decimal == DecimalHandlingMode::kDouble) {
    double v;
    if (!ParsePgDouble(scratch_, &v)) return Malformed(codec);
    out->Double(v);
    return absl::OkStatus();
  }
  if (codec.decimal == DecimalHandlingMode::kString) {
    out->String(scratch_);
    return absl::OkStatus();
  }
  // setScale(2, HALF_UP): PostgreSQL prints exactly the locale's digits.
  std::string_view fraction = n.fraction_digits;
  while (fraction.size() > 2) {
    if (fraction.back() != '0') return Malformed(codec);
    fraction.remove_suffix(1);
  }
  bytes_.clear();
  decimal_.Append(n.negative, n.integer_digits, fraction, 2 - fraction.size(), &bytes_);
  out->Base64(bytes_);
  return absl::OkStatus();
}

absl::Status ValueConverter::AppendPoint(const ColumnCodec& codec, std::string_view text,
                                         JsonWriter* out) {
  // point_out: "(x,y)", each float8_out; PGpoint reads them with
  // Double.parseDouble.
  if (text.size() < 5 || text.front() != '(' || text.back() != ')') return Malformed(codec);
  text = text.substr(1, text.size() - 2);
  size_t comma = text.find(',');
  if (comma == std::string_view::npos) return Malformed(codec);
  double x, y;
  if (!ParsePgDouble(text.substr(0, comma), &x) || !ParsePgDouble(text.substr(comma + 1), &y)) {
    return Malformed(codec);
  }
  AppendPointStruct(x, y, &bytes_, out);
  return absl::OkStatus();
}

absl::Status ValueConverter::AppendHstore(const ColumnCodec& codec, std::string_view text,
                                          JsonWriter* out) {
  std::vector<HstoreEntry> entries;
  if (!ParseHstore(text, &entries)) return Malformed(codec);
  OrderLikeHashMap(&entries);
  if (codec.kind == ValueKind::kHstoreMap) {
    // JsonConverter: a map with string keys is a JSON object.
    out->Raw('{');
    for (size_t i = 0; i < entries.size(); ++i) {
      if (i > 0) out->Raw(',');
      out->String(entries[i].key);
      out->Raw(':');
      if (entries[i].null_value) {
        out->Null();
      } else {
        out->String(entries[i].value);
      }
    }
    out->Raw('}');
    return absl::OkStatus();
  }
  // convertMapToJsonStringRepresentation: the map through a Jackson
  // generator on a Writer, then that text as the string value.
  hstore_.clear();
  hstore_.push_back('{');
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) hstore_.push_back(',');
    hstore_.push_back('"');
    AppendJacksonWriterEscaped(entries[i].key, &hstore_);
    hstore_.append("\":");
    if (entries[i].null_value) {
      hstore_.append("null");
    } else {
      hstore_.push_back('"');
      AppendJacksonWriterEscaped(entries[i].value, &hstore_);
      hstore_.push_back('"');
    }
  }
  hstore_.push_back('}');
  out->String(hstore_);
  return absl::OkStatus();
}

absl::Status ValueConverter::AppendArray(const ColumnCodec& codec, std::string_view text,
                                         JsonWriter* out) {
  // PostgreSQL's array_out: optional "[lb:ub]=" dimensions, then "{a,b,...}";
  // elements quoted ("..." with backslash escapes) when needed, NULL unquoted.
  if (!text.empty() && text[0] == '[') {
    size_t eq = text.find('=');
    if (eq == std::string_view::npos) return Malformed(codec);
    text.remove_prefix(eq + 1);
  }
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return Malformed(codec);
  text = text.substr(1, text.size() - 2);
  if (!text.empty() && text[0] == '{') {
    // Multi-dimensional: PgArray hands Debezium nested Java arrays, which its
    // element converters turn into nulls or object identities; not reproduced.
    out->Null();
    return absl::OkStatus();
  }
  const ColumnCodec& element = *codec.element;
  out->Raw('[');
  size_t pos = 0;
  while (!text.empty()) {
    std::string_view value;
    bool quoted = false;
    if (pos < text.size() && text[pos] == '"') {
      quoted = true;
      element_.clear();
      ++pos;
      while (pos < text.size() && text[pos] != '"') {
        if (text[pos] == '\\' && pos + 1 < text.size()) ++pos;
        element_.push_back(text[pos]);
        ++pos;
      }
      if (pos >= text.size()) return Malformed(codec);
      ++pos;  // The closing quote.
      value = element_;
    } else {
      size_t end = text.find(',', pos);
      if (end == std::string_view::npos) end = text.size();
      value = text.substr(pos, end - pos);
      pos = end;
    }
    if (!quoted && (value == "NULL" || value == "null")) {
      if (!element.optional) {
        // A null in a non-optional element schema: Debezium's converter
        // fails, and the field is left null (optional) or the stream stops.
        return absl::FailedPreconditionError(
            absl::StrCat(codec.type_name, " value holds a NULL, which its schema does not allow"));
      }
      out->Null();
    } else {
      TRACKOPS_RETURN_IF_ERROR(AppendValue(element, value, out));
    }
    if (pos == text.size()) break;
    if (text[pos] != ',' || pos + 1 == text.size()) return Malformed(codec);
    ++pos;
    out->Raw(',');
  }
  out->Raw(']');
  return absl::OkStatus();
}

void ValueConverter::AppendMissing(const ColumnCodec& codec, JsonWriter* out) {
  if (!codec.default_json.empty()) {
    // JsonConverter writes a null field with a default as the default
    // (replace.null.with.default=true).
    out->Raw(codec.default_json);
    return;
  }
  if (codec.optional) {
    out->Null();
    return;
  }
  // JdbcValueConverters.convertValue: the type's fallback for NOT NULL.
  switch (codec.kind) {
    case ValueKind::kBoolean:
      out->Bool(false);
      return;
    case ValueKind::kInt16:
    case ValueKind::kInt32:
    case ValueKind::kInt64:
    case ValueKind::kDate:
    case ValueKind::kTimestampMillis:
    case ValueKind::kTimestampMicros:
      out->Raw('0');
      return;
    case ValueKind::kFloat32:
    case ValueKind::kFloat64:
      out->Raw("0.0");
      return;
    case ValueKind::kDecimal:
      out->Raw("\"AA==\"");  // BigDecimal 0 at the column's scale: unscaled 0.
      return;
    case ValueKind::kVariableScaleDecimal:
      out->Raw("{\"scale\":0,\"value\":\"AA==\"}");
      return;
    case ValueKind::kString:
    case ValueKind::kNoValue:
    case ValueKind::kBytes:  // Empty bytes: "" in base64.
      out->Raw("\"\"");
      return;
    case ValueKind::kZonedTimestamp:
      out->Raw("\"1970-01-01T00:00:00Z\"");
      return;
    case ValueKind::kTimeMillis:
    case ValueKind::kTimeMicros:
    case ValueKind::kIntervalMicros:
      out->Raw('0');
      return;
    case ValueKind::kDecimalDouble:
      out->Raw("0.0");
      return;
    case ValueKind::kDecimalString:  // BigDecimal.ZERO.setScale(scale).toPlainString().
      out->Raw(codec.scale > 0 ? "\"0." : "\"0");
      for (int32_t i = 0; i < codec.scale; ++i) out->Raw('0');
      out->Raw('"');
      return;
    case ValueKind::kMoney:  // BigDecimal.ZERO.setScale(2) in the mode's form.
      out->Raw(codec.decimal == DecimalHandlingMode::kDouble   ? "0.0"
               : codec.decimal == DecimalHandlingMode::kString ? "\"0.00\""
                                                               : "\"AA==\"");
      return;
    case ValueKind::kZonedTime:
      out->Raw("\"00:00:00Z\"");
      return;
    case ValueKind::kIntervalString:
      out->Raw("\"P0Y0M0DT0H0M0S\"");
      return;
    case ValueKind::kBitBoolean:
      out->Bool(false);
      return;
    case ValueKind::kBits:
      out->Raw("\"\"");
      return;
    case ValueKind::kArray:
      out->Raw("[]");
      return;
    case ValueKind::kPoint:  // Point.createValue(schema, 0, 0).
      AppendPointStruct(0, 0, &bytes_, out);
      return;
    case ValueKind::kHstoreJson:
      out->Raw("\"{}\"");
      return;
    case ValueKind::kHstoreMap:
      out->Raw("{}");
      return;
    case ValueKind::kUnconvertible:
      out->Raw(codec.schema.type == "boolean" ? "false" : "\"\"");
      return;
  }
}

absl::Status ValueConverter::AppendUnchangedToast(const ColumnCodec& codec,
                                                  std::string_view placeholder, JsonWriter* out) {
  if (codec.placeholder_as_string) {
    out->String(placeholder);
    return absl::OkStatus();
  }
  if (codec.placeholder_as_bytes) {
    AppendBinary(codec.binary, placeholder, out);
    return absl::OkStatus();
  }
  if (codec.kind == ValueKind::kHstoreJson || codec.kind == ValueKind::kHstoreMap) {
    // UnchangedToastedPlaceholder: the map {placeholder: placeholder}.
    if (codec.kind == ValueKind::kHstoreMap) {
      out->Raw('{');
      out->String(placeholder);
      out->Raw(':');
      out->String(placeholder);
      out->Raw('}');
    } else {
      hstore_.assign("{\"");
      AppendJacksonWriterEscaped(placeholder, &hstore_);
      hstore_.append("\":\"");
      AppendJacksonWriterEscaped(placeholder, &hstore_);
      hstore_.append("\"}");
      out->String(hstore_);
    }
    return absl::OkStatus();
  }
  if (codec.kind == ValueKind::kArray) {
    // UnchangedToastedReplicationMessageColumn picks the placeholder by the
    // array type's name; UnchangedToastedPlaceholder makes the value.
    switch (codec.element->type_oid) {
      case pg_oid::kText:
      case pg_oid::kVarchar:
      case pg_oid::kBpchar:
      case pg_oid::kJson:
      case pg_oid::kJsonb:
        out->Raw('[');
        out->String(placeholder);
        out->Raw(']');
        return absl::OkStatus();
      case pg_oid::kBytea:
        if (codec.binary != BinaryHandlingMode::kBytes) break;  // byte[] in a string schema.
        out->Raw('[');
        out->Base64(placeholder);
        out->Raw(']');
        return absl::OkStatus();
      case pg_oid::kInt4:
      case pg_oid::kDate:
      case pg_oid::kInt8:
        // The placeholder's bytes, each as a (signed) Java byte widened.
        out->Raw('[');
        for (size_t i = 0; i < placeholder.size(); ++i) {
          if (i > 0) out->Raw(',');
          out->Int(static_cast<signed char>(placeholder[i]));
        }
        out->Raw(']');
        return absl::OkStatus();
      case pg_oid::kUuid:
        out->Raw('[');
        out->String(JavaNameUuidFromBytes(placeholder));
        out->Raw(']');
        return absl::OkStatus();
      default:
        break;
    }
    // Any other array gets the plain string placeholder, which its array
    // schema refuses (DataException): the field stays null, as below.
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "unchanged TOAST value in a ", codec.type_name,
      " column: Debezium has no placeholder for this type (REPLICA IDENTITY FULL avoids it)"));
}

}  // namespace trackops::event
