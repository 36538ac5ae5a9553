// Parsers for PostgreSQL's text output format of the common types, as a
// walsender session sends it in pgoutput tuples (kind 't'): DateStyle ISO,
// bytea_output hex, default extra_float_digits, any TimeZone.
//
// Every parser is strict about the shape PostgreSQL produces and returns false
// on anything else; none allocates. Dates are proleptic Gregorian, like both
// PostgreSQL and java.time; "YYYY-MM-DD BC" is year 1 - YYYY.

#ifndef TRACKOPS_EVENT_PG_TEXT_H_
#define TRACKOPS_EVENT_PG_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace trackops::event {

// "t" / "f".
bool ParsePgBool(std::string_view text, bool* value);

// Decimal integer with an optional '-'; fails outside [min, max].
bool ParsePgInteger(std::string_view text, int64_t min, int64_t max, int64_t* value);

// float8 / float4 output: "3.3", "1e+100", "-1.5e-07", "NaN", "Infinity",
// "-Infinity". Rounds correctly to the target type.
bool ParsePgDouble(std::string_view text, double* value);
bool ParsePgFloat(std::string_view text, float* value);
// numeric_out text ("-12.50", "NaN", "Infinity") to the nearest double, as
// BigDecimal.doubleValue() rounds it: beyond the double range +-Infinity,
// below the smallest subnormal +-0.0 (numeric has up to 131072 digits).
bool ParsePgNumericAsDouble(std::string_view text, double* value);

// numeric output: [-]digits[.digits], or NaN / Infinity / -Infinity.
struct PgNumeric {
  enum class Special { kNone, kNaN, kPositiveInfinity, kNegativeInfinity };
  Special special = Special::kNone;
  bool negative = false;
  std::string_view integer_digits;   // At least one digit unless special.
  std::string_view fraction_digits;  // Possibly empty.
};
bool ParsePgNumeric(std::string_view text, PgNumeric* value);

// time: "HH:MM:SS[.ffffff]", hours 00-24 (24:00:00 is PostgreSQL's end of
// day). `micros` is the time of day in microseconds (86400000000 for 24:00:00).
bool ParsePgTime(std::string_view text, int64_t* micros);

// timetz: a time then its offset "+HH", "+HH:MM" or "+HH:MM:SS". `micros` is
// the time of day in microseconds shifted to UTC (wrapped into 0..24h).
bool ParsePgTimeTz(std::string_view text, int64_t* micros);

// interval in IntervalStyle postgres ("1 year 2 mons 3 days 04:05:06.78",
// "-1 days -02:03:04", "00:00:00"), read as PgJDBC's PGInterval does.
struct PgInterval {
  int32_t years = 0;
  int32_t months = 0;
  int32_t days = 0;
  int32_t hours = 0;
  int32_t minutes = 0;
  // PGInterval.getSeconds(): whole seconds + microseconds / 1e6 (a double).
  double seconds = 0;
};
bool ParsePgInterval(std::string_view text, PgInterval* value);

// Which of a date/timestamp's infinities, if any, the text was.
enum class PgInfinity { kNone, kPositive, kNegative };

// date: "YYYY-MM-DD", "YYYY-MM-DD BC", "infinity", "-infinity". `epoch_day`
// is set only for finite dates.
bool ParsePgDate(std::string_view text, int64_t* epoch_day, PgInfinity* infinity);

// A point in time: seconds since the Unix epoch (floor) and nanoseconds
// within that second (0..999999999).
struct PgInstant {
  int64_t epoch_second = 0;
  int32_t nano = 0;
};

// timestamp: "YYYY-MM-DD HH:MM:SS[.f]" with an optional " BC", read as UTC.
bool ParsePgTimestamp(std::string_view text, PgInstant* instant, PgInfinity* infinity);

// timestamptz: as timestamp, then an offset "+HH", "+HH:MM" or "+HH:MM:SS"
// (either sign) before the optional " BC"; the result is the UTC instant.
bool ParsePgTimestampTz(std::string_view text, PgInstant* instant, PgInfinity* infinity);

// bytea hex output "\x0a0b..." (either case); appends the bytes to `bytes`.
bool ParsePgByteaHex(std::string_view text, std::string* bytes);

// Days since 1970-01-01 of a proleptic Gregorian date (year 0 = 1 BC), as
// java.time.LocalDate.toEpochDay computes it.
int64_t DaysFromCivil(int64_t year, int month, int day);

// The inverse of DaysFromCivil.
void CivilFromDays(int64_t epoch_day, int64_t* year, int* month, int* day);

}  // namespace trackops::event

#endif  // TRACKOPS_EVENT_PG_TEXT_H_
