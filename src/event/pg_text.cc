#include "event/pg_text.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <system_error>

#include "util/arithmetic.h"

namespace trackops::event {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `width` digits at text[*pos].
bool ReadFixedDigits(std::string_view text, size_t* pos, int width, int* value) {
  if (*pos + width > text.size()) return false;
  int v = 0;
  for (int i = 0; i < width; ++i) {
    char c = text[*pos + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += width;
  *value = v;
  return true;
}

// Reads the digits after a decimal point (1 to `scale` of them) as a count of
// 10^-scale units: "5" with scale 6 is 500000.
template <typename Int>
bool ReadFraction(std::string_view text, size_t* pos, int scale, Int* fraction) {
  int digits = 0;
  Int value = 0;
  while (*pos < text.size() && IsDigit(text[*pos])) {
    if (++digits > scale) return false;
    value = value * 10 + (text[*pos] - '0');
    ++*pos;
  }
  if (digits == 0) return false;
  for (int i = digits; i < scale; ++i) value *= 10;
  *fraction = value;
  return true;
}

bool Consume(std::string_view text, size_t* pos, char c) {
  if (*pos < text.size() && text[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

bool IsLeapYear(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// "YYYY-MM-DD" with 4 to 10 year digits (java.time's YEAR_OF_ERA width).
// Returns the year of era; `pos` is left after the day.
bool ParseDatePart(std::string_view text, size_t* pos, int64_t* year_of_era, int* month, int* day) {
  size_t start = *pos;
  int64_t year = 0;
  while (*pos < text.size() && IsDigit(text[*pos])) {
    year = year * 10 + (text[*pos] - '0');
    ++*pos;
    if (*pos - start > 10) return false;
  }
  if (*pos - start < 4) return false;
  if (!Consume(text, pos, '-') || !ReadFixedDigits(text, pos, 2, month) ||
      !Consume(text, pos, '-') || !ReadFixedDigits(text, pos, 2, day)) {
    return false;
  }
  *year_of_era = year;
  return true;
}

// "HH:MM[:SS[.fraction]]" (java.time's ISO_LOCAL_TIME), fraction 1-9 digits.
bool ParseTimePart(std::string_view text, size_t* pos, int* seconds_of_day, int32_t* nano) {
  int hour, minute, second = 0;
  if (!ReadFixedDigits(text, pos, 2, &hour) || !Consume(text, pos, ':') ||
      !ReadFixedDigits(text, pos, 2, &minute)) {
    return false;
  }
  int32_t fraction = 0;
  if (Consume(text, pos, ':')) {
    if (!ReadFixedDigits(text, pos, 2, &second)) return false;
    if (Consume(text, pos, '.') && !ReadFraction(text, pos, 9, &fraction)) return false;
  }
  if (hour > 23 || minute > 59 || second > 59) return false;
  *seconds_of_day = hour * 3600 + minute * 60 + second;
  *nano = fraction;
  return true;
}

// Optional " BC" at the end of the text.
bool ParseEra(std::string_view text, size_t pos, bool* bc) {
  std::string_view rest = text.substr(pos);
  if (rest.empty()) {
    *bc = false;
    return true;
  }
  if (rest == " BC") {
    *bc = true;
    return true;
  }
  return false;
}

// Turns a year of era into a proleptic year and validates the day.
bool ResolveDate(int64_t year_of_era, bool bc, int month, int day, int64_t* epoch_day) {
  if (year_of_era < 1 && bc) return false;
  int64_t year = bc ? 1 - year_of_era : year_of_era;
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return false;
  *epoch_day = DaysFromCivil(year, month, day);
  return true;
}

// Two ASCII digits at `p` as a number, or -1.
int TwoDigits(const char* p) {
  const unsigned tens = static_cast<unsigned char>(p[0]) - static_cast<unsigned>('0');
  const unsigned ones = static_cast<unsigned char>(p[1]) - static_cast<unsigned>('0');
  return tens > 9 || ones > 9 ? -1 : static_cast<int>(tens * 10 + ones);
}

// Fast path for the layout PostgreSQL writes for the years 1000-9999:
// "YYYY-MM-DD HH:MM:SS", fixed positions, then an optional fraction; `pos` is
// left after it. The same as ParseDatePart, ' ', ParseTimePart for these
// texts; false for any other (the general path then parses it).
bool ParseFixedDateTime(std::string_view text, size_t* pos, int64_t* year_of_era, int* month,
                        int* day, int* seconds_of_day, int32_t* nano) {
  if (text.size() < 19) return false;
  const char* p = text.data();
  if (p[4] != '-' || p[7] != '-' || p[10] != ' ' || p[13] != ':' || p[16] != ':') return false;
  const int century = TwoDigits(p), year = TwoDigits(p + 2), mm = TwoDigits(p + 5),
            dd = TwoDigits(p + 8), hour = TwoDigits(p + 11), minute = TwoDigits(p + 14),
            second = TwoDigits(p + 17);
  if ((century | year | mm | dd | hour | minute | second) < 0) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  size_t at = 19;
  int32_t fraction = 0;
  if (at < text.size() && text[at] == '.') {
    ++at;
    if (!ReadFraction(text, &at, 9, &fraction)) return false;
  }
  *pos = at;
  *year_of_era = century * 100 + year;
  *month = mm;
  *day = dd;
  *seconds_of_day = hour * 3600 + minute * 60 + second;
  *nano = fraction;
  return true;
}

bool ParseInfinity(std::string_view text, PgInfinity* infinity) {
  if (text == "infinity") {
    *infinity = PgInfinity::kPositive;
    return true;
  }
  if (text == "-infinity") {
    *infinity = PgInfinity::kNegative;
    return true;
  }
  *infinity = PgInfinity::kNone;
  return false;
}

bool ParseTimestampCommon(std::string_view text, bool with_offset, PgInstant* instant,
                          PgInfinity* infinity) {
  if (ParseInfinity(text, infinity)) return true;
  size_t pos = 0;
  int64_t year_of_era;
  int month, day;
  int seconds_of_day;
  int32_t nano;
  if (!ParseFixedDateTime(text, &pos, &year_of_era, &month, &day, &seconds_of_day, &nano)) {
    pos = 0;
    if (!ParseDatePart(text, &pos, &year_of_era, &month, &day) || !Consume(text, &pos, ' ') ||
        !ParseTimePart(text, &pos, &seconds_of_day, &nano)) {
      return false;
    }
  }
  int offset_seconds = 0;
  if (with_offset) {
    if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return false;
    bool negative = text[pos] == '-';
    ++pos;
    int hours, minutes = 0, seconds = 0;
    if (!ReadFixedDigits(text, &pos, 2, &hours)) return false;
    if (Consume(text, &pos, ':')) {
      if (!ReadFixedDigits(text, &pos, 2, &minutes)) return false;
      if (Consume(text, &pos, ':') && !ReadFixedDigits(text, &pos, 2, &seconds)) return false;
    }
    // java.time.ZoneOffset accepts up to +-18:00.
    if (hours > 18 || minutes > 59 || seconds > 59) return false;
    offset_seconds = hours * 3600 + minutes * 60 + seconds;
    if (offset_seconds > 18 * 3600) return false;
    if (negative) offset_seconds = -offset_seconds;
  }
  bool bc;
  int64_t epoch_day;
  if (!ParseEra(text, pos, &bc) || !ResolveDate(year_of_era, bc, month, day, &epoch_day)) {
    return false;
  }
  instant->epoch_second = epoch_day * 86400 + seconds_of_day - offset_seconds;
  instant->nano = nano;
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <typename T>
bool ParseFloating(std::string_view text, T* value) {
  if (text == "NaN") {
    *value = std::numeric_limits<T>::quiet_NaN();
    return true;
  }
  if (text == "Infinity") {
    *value = std::numeric_limits<T>::infinity();
    return true;
  }
  if (text == "-Infinity") {
    *value = -std::numeric_limits<T>::infinity();
    return true;
  }
  if (text.empty()) return false;
  // from_chars accepts "inf"/"nan" spellings PostgreSQL never writes.
  char first = text[0] == '-' ? (text.size() > 1 ? text[1] : '\0') : text[0];
  if (!IsDigit(first) && first != '.') return false;
  const char* end = text.data() + text.size();
  std::from_chars_result r = std::from_chars(text.data(), end, *value);
  // Out-of-range text cannot come from PostgreSQL's own output.
  return r.ec == std::errc() && r.ptr == end;
}

}  // namespace

bool ParsePgBool(std::string_view text, bool* value) {
  if (text == "t") {
    *value = true;
    return true;
  }
  if (text == "f") {
    *value = false;
    return true;
  }
  return false;
}

bool ParsePgInteger(std::string_view text, int64_t min, int64_t max, int64_t* value) {
  if (text.empty()) return false;
  if (text[0] == '+') return false;
  const char* end = text.data() + text.size();
  int64_t v;
  std::from_chars_result r = std::from_chars(text.data(), end, v);
  if (r.ec != std::errc() || r.ptr != end || v < min || v > max) return false;
  *value = v;
  return true;
}

bool ParsePgDouble(std::string_view text, double* value) { return ParseFloating(text, value); }

bool ParsePgFloat(std::string_view text, float* value) { return ParseFloating(text, value); }

bool ParsePgNumericAsDouble(std::string_view text, double* value) {
  PgNumeric n;
  if (!ParsePgNumeric(text, &n)) return false;
  if (ParseFloating(text, value)) return true;
  // Out of the double range: strtod rounds correctly, to +-HUGE_VAL
  // (infinity) on overflow and to a subnormal or +-0.0 on underflow.
  const std::string copy(text);
  *value = std::strtod(copy.c_str(), nullptr);
  return true;
}

bool ParsePgNumeric(std::string_view text, PgNumeric* value) {
  *value = PgNumeric();
  if (text == "NaN") {
    value->special = PgNumeric::Special::kNaN;
    return true;
  }
  if (text == "Infinity") {
    value->special = PgNumeric::Special::kPositiveInfinity;
    return true;
  }
  if (text == "-Infinity") {
    value->special = PgNumeric::Special::kNegativeInfinity;
    return true;
  }
  size_t pos = 0;
  if (Consume(text, &pos, '-')) value->negative = true;
  size_t start = pos;
  while (pos < text.size() && IsDigit(text[pos])) ++pos;
  if (pos == start) return false;
  value->integer_digits = text.substr(start, pos - start);
  if (Consume(text, &pos, '.')) {
    start = pos;
    while (pos < text.size() && IsDigit(text[pos])) ++pos;
    if (pos == start) return false;
    value->fraction_digits = text.substr(start, pos - start);
  }
  return pos == text.size();
}

bool ParsePgDate(std::string_view text, int64_t* epoch_day, PgInfinity* infinity) {
  if (ParseInfinity(text, infinity)) return true;
  size_t pos = 0;
  int64_t year_of_era;
  int month, day;
  bool bc;
  return ParseDatePart(text, &pos, &year_of_era, &month, &day) && ParseEra(text, pos, &bc) &&
         ResolveDate(year_of_era, bc, month, day, epoch_day);
}

bool ParsePgTimestamp(std::string_view text, PgInstant* instant, PgInfinity* infinity) {
  return ParseTimestampCommon(text, /*with_offset=*/false, instant, infinity);
}

bool ParsePgTimestampTz(std::string_view text, PgInstant* instant, PgInfinity* infinity) {
  return ParseTimestampCommon(text, /*with_offset=*/true, instant, infinity);
}

namespace {

// "HH:MM:SS[.f{1,6}]" at text[*pos], hours 0-24.
bool ParseTimeOfDay(std::string_view text, size_t* pos, int64_t* micros) {
  int hour, minute, second;
  if (!ReadFixedDigits(text, pos, 2, &hour) || !Consume(text, pos, ':') ||
      !ReadFixedDigits(text, pos, 2, &minute) || !Consume(text, pos, ':') ||
      !ReadFixedDigits(text, pos, 2, &second)) {
    return false;
  }
  int64_t fraction = 0;
  if (Consume(text, pos, '.') && !ReadFraction(text, pos, 6, &fraction)) return false;
  if (hour > 24 || minute > 59 || second > 59) return false;
  *micros = (static_cast<int64_t>(hour) * 3600 + minute * 60 + second) * 1000000 + fraction;
  return *micros <= int64_t{86400} * 1000000;
}

// A signed decimal integer that fits an int32.
bool ParseInt32(std::string_view text, int32_t* value) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

bool ParsePgTime(std::string_view text, int64_t* micros) {
  size_t pos = 0;
  return ParseTimeOfDay(text, &pos, micros) && pos == text.size();
}

bool ParsePgTimeTz(std::string_view text, int64_t* micros) {
  size_t pos = 0;
  int64_t local;
  if (!ParseTimeOfDay(text, &pos, &local)) return false;
  if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return false;
  bool negative = text[pos] == '-';
  ++pos;
  int hours, minutes = 0, seconds = 0;
  if (!ReadFixedDigits(text, &pos, 2, &hours)) return false;
  if (Consume(text, &pos, ':')) {
    if (!ReadFixedDigits(text, &pos, 2, &minutes)) return false;
    if (Consume(text, &pos, ':') && !ReadFixedDigits(text, &pos, 2, &seconds)) return false;
  }
  if (pos != text.size() || hours > 18 || minutes > 59 || seconds > 59) return false;
  int64_t offset = (static_cast<int64_t>(hours) * 3600 + minutes * 60 + seconds) * 1000000;
  if (negative) offset = -offset;
  constexpr int64_t kDay = int64_t{86400} * 1000000;
  int64_t utc = (local - offset) % kDay;
  if (utc < 0) utc += kDay;
  *micros = utc;
  return true;
}

bool ParsePgInterval(std::string_view text, PgInterval* value) {
  *value = PgInterval();
  double seconds = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view token = text.substr(pos, end - pos);
    pos = end + 1;
    if (token.empty()) return false;
    if (token.find(':') != std::string_view::npos) {
      // [-+]HH:MM:SS[.ffffff]; the sign applies to every part (PGInterval).
      bool negative = token[0] == '-';
      if (token[0] == '-' || token[0] == '+') token.remove_prefix(1);
      size_t c1 = token.find(':');
      size_t c2 = token.find(':', c1 + 1);
      if (c2 == std::string_view::npos) return false;
      int32_t h, m;
      if (!ParseInt32(token.substr(0, c1), &h) || !ParseInt32(token.substr(c1 + 1, c2 - c1 - 1), &m)) {
        return false;
      }
      std::string_view sec = token.substr(c2 + 1);
      double s;
      if (sec.empty() || !ParseFloating(sec, &s)) return false;
      value->hours = negative ? -h : h;
      value->minutes = negative ? -m : m;
      seconds = negative ? -s : s;
      continue;
    }
    // "<n> <unit>"
    end = text.find(' ', pos);
    if (pos >= text.size()) return false;
    if (end == std::string_view::npos) end = text.size();
    std::string_view unit = text.substr(pos, end - pos);
    pos = end + 1;
    int32_t n;
    if (!ParseInt32(token, &n)) return false;
    if (unit == "year" || unit == "years") {
      value->years = n;
    } else if (unit == "mon" || unit == "mons") {
      value->months = n;
    } else if (unit == "day" || unit == "days") {
      value->days = n;
    } else {
      return false;
    }
  }
  // PGInterval.setSeconds / getSeconds: whole seconds and rounded microseconds.
  int32_t whole = static_cast<int32_t>(seconds);
  int32_t micros = static_cast<int32_t>(std::floor((seconds - whole) * 1000000 + 0.5));
  value->seconds = whole + static_cast<double>(micros) / 1000000;
  return true;
}

bool ParsePgByteaHex(std::string_view text, std::string* bytes) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) return false;
  size_t start = bytes->size();
  bytes->resize(start + (text.size() - 2) / 2);
  char* out = bytes->data() + start;
  for (size_t i = 2; i < text.size(); i += 2) {
    int hi = HexValue(text[i]);
    int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) {
      bytes->resize(start);
      return false;
    }
    *out++ = static_cast<char>((hi << 4) | lo);
  }
  return true;
}

int64_t DaysFromCivil(int64_t year, int month, int day) {
  // Howard Hinnant's days_from_civil, with floor division for any year.
  int64_t y = year - (month <= 2 ? 1 : 0);
  int64_t era = FloorDiv(y, 400);
  int64_t yoe = y - era * 400;                          // [0, 399]
  int64_t mp = month > 2 ? month - 3 : month + 9;       // [0, 11]
  int64_t doy = (153 * mp + 2) / 5 + day - 1;           // [0, 365]
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // [0, 146096]
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t epoch_day, int64_t* year, int* month, int* day) {
  int64_t z = epoch_day + 719468;
  int64_t era = FloorDiv(z, 146097);
  int64_t doe = z - era * 146097;                                       // [0, 146096]
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
  int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
  *day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *year = yoe + era * 400 + (*month <= 2 ? 1 : 0);
}

}  // namespace trackops::event
