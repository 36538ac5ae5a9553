#include "event/pg_text.h"

#include <cmath>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace trackops::event {
namespace {

TEST(PgTextTest, Bool) {
  bool v = false;
  ASSERT_TRUE(ParsePgBool("t", &v));
  EXPECT_TRUE(v);
  ASSERT_TRUE(ParsePgBool("f", &v));
  EXPECT_FALSE(v);
  EXPECT_FALSE(ParsePgBool("true", &v));
  EXPECT_FALSE(ParsePgBool("", &v));
}

TEST(PgTextTest, Integers) {
  int64_t v = 0;
  ASSERT_TRUE(ParsePgInteger("32767", -32768, 32767, &v));
  EXPECT_EQ(v, 32767);
  ASSERT_TRUE(ParsePgInteger("-32768", -32768, 32767, &v));
  EXPECT_EQ(v, -32768);
  EXPECT_FALSE(ParsePgInteger("32768", -32768, 32767, &v));
  ASSERT_TRUE(ParsePgInteger("-9223372036854775808", std::numeric_limits<int64_t>::min(),
                             std::numeric_limits<int64_t>::max(), &v));
  EXPECT_EQ(v, std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(ParsePgInteger("9223372036854775808", std::numeric_limits<int64_t>::min(),
                              std::numeric_limits<int64_t>::max(), &v));
  for (const char* bad : {"", "+1", "1.0", " 1", "1 ", "0x10", "-"}) {
    EXPECT_FALSE(ParsePgInteger(bad, -100, 100, &v)) << bad;
  }
}

TEST(PgTextTest, Floats) {
  double d = 0;
  ASSERT_TRUE(ParsePgDouble("4.44", &d));
  EXPECT_EQ(d, 4.44);
  ASSERT_TRUE(ParsePgDouble("1e+100", &d));
  EXPECT_EQ(d, 1e100);
  ASSERT_TRUE(ParsePgDouble("-1.5e-07", &d));
  EXPECT_EQ(d, -1.5e-07);
  ASSERT_TRUE(ParsePgDouble("NaN", &d));
  EXPECT_TRUE(std::isnan(d));
  ASSERT_TRUE(ParsePgDouble("-Infinity", &d));
  EXPECT_EQ(d, -std::numeric_limits<double>::infinity());
  float f = 0;
  ASSERT_TRUE(ParsePgFloat("3.3", &f));
  EXPECT_EQ(f, 3.3f);
  ASSERT_TRUE(ParsePgFloat("Infinity", &f));
  EXPECT_EQ(f, std::numeric_limits<float>::infinity());
  for (const char* bad : {"", "inf", "nan", "abc", "1.0x", "+1"}) {
    EXPECT_FALSE(ParsePgDouble(bad, &d)) << bad;
  }
}

// numeric text beyond the double range (up to 131072 digits): rounded as
// BigDecimal.doubleValue() does, to +-Infinity or +-0.0, never an error.
TEST(PgTextTest, NumericAsDouble) {
  double d = 0;
  ASSERT_TRUE(ParsePgNumericAsDouble("22.2222", &d));
  EXPECT_EQ(d, 22.2222);
  ASSERT_TRUE(ParsePgNumericAsDouble("1" + std::string(400, '0'), &d));
  EXPECT_EQ(d, std::numeric_limits<double>::infinity());
  ASSERT_TRUE(ParsePgNumericAsDouble("-1" + std::string(400, '0'), &d));
  EXPECT_EQ(d, -std::numeric_limits<double>::infinity());
  ASSERT_TRUE(ParsePgNumericAsDouble("-0." + std::string(400, '0') + "1", &d));
  EXPECT_EQ(d, 0.0);
  EXPECT_TRUE(std::signbit(d));
  ASSERT_TRUE(ParsePgNumericAsDouble("0." + std::string(320, '0') + "5", &d));
  EXPECT_EQ(d, 5e-321);  // Subnormal.
  ASSERT_TRUE(ParsePgNumericAsDouble("NaN", &d));
  EXPECT_TRUE(std::isnan(d));
  for (const char* bad : {"", "1e5", "abc", "1.", "+1"}) {
    EXPECT_FALSE(ParsePgNumericAsDouble(bad, &d)) << bad;
  }
}

TEST(PgTextTest, Numeric) {
  PgNumeric n;
  ASSERT_TRUE(ParsePgNumeric("-123.4500", &n));
  EXPECT_EQ(n.special, PgNumeric::Special::kNone);
  EXPECT_TRUE(n.negative);
  EXPECT_EQ(n.integer_digits, "123");
  EXPECT_EQ(n.fraction_digits, "4500");
  ASSERT_TRUE(ParsePgNumeric("22", &n));
  EXPECT_FALSE(n.negative);
  EXPECT_EQ(n.integer_digits, "22");
  EXPECT_EQ(n.fraction_digits, "");
  ASSERT_TRUE(ParsePgNumeric("NaN", &n));
  EXPECT_EQ(n.special, PgNumeric::Special::kNaN);
  ASSERT_TRUE(ParsePgNumeric("Infinity", &n));
  EXPECT_EQ(n.special, PgNumeric::Special::kPositiveInfinity);
  ASSERT_TRUE(ParsePgNumeric("-Infinity", &n));
  EXPECT_EQ(n.special, PgNumeric::Special::kNegativeInfinity);
  for (const char* bad : {"", "1.", ".5", "1e5", "--1", "+1", "1.2.3", "-", "nan"}) {
    EXPECT_FALSE(ParsePgNumeric(bad, &n)) << bad;
  }
}

TEST(PgTextTest, Dates) {
  int64_t day = 0;
  PgInfinity inf;
  ASSERT_TRUE(ParsePgDate("2016-11-04", &day, &inf));  // AbstractRecordsProducerTest: 17109
  EXPECT_EQ(inf, PgInfinity::kNone);
  EXPECT_EQ(day, 17109);
  ASSERT_TRUE(ParsePgDate("1970-01-01", &day, &inf));
  EXPECT_EQ(day, 0);
  ASSERT_TRUE(ParsePgDate("1969-12-31", &day, &inf));
  EXPECT_EQ(day, -1);
  ASSERT_TRUE(ParsePgDate("0001-01-01", &day, &inf));
  EXPECT_EQ(day, -719162);
  // 1 BC is proleptic year 0; PostgreSQL's first date is Julian day 0,
  // 2440588 days before the Unix epoch.
  ASSERT_TRUE(ParsePgDate("0001-01-01 BC", &day, &inf));
  EXPECT_EQ(day, -719528);
  ASSERT_TRUE(ParsePgDate("4714-11-24 BC", &day, &inf));
  EXPECT_EQ(day, -2440588);
  ASSERT_TRUE(ParsePgDate("5874897-12-31", &day, &inf));
  EXPECT_EQ(day, 2145042905);
  ASSERT_TRUE(ParsePgDate("infinity", &day, &inf));
  EXPECT_EQ(inf, PgInfinity::kPositive);
  ASSERT_TRUE(ParsePgDate("-infinity", &day, &inf));
  EXPECT_EQ(inf, PgInfinity::kNegative);
  for (const char* bad :
       {"", "2016-13-01", "2016-02-30", "2015-02-29", "16-11-04", "2016-1-04", "2016-11-04 AD",
        "2016-11-04 ", "2016/11/04", "Infinity", "0000-01-01 BC"}) {
    EXPECT_FALSE(ParsePgDate(bad, &day, &inf)) << bad;
  }
  EXPECT_TRUE(ParsePgDate("2016-02-29", &day, &inf));
}

TEST(PgTextTest, Timestamps) {
  PgInstant t;
  PgInfinity inf;
  ASSERT_TRUE(ParsePgTimestamp("2016-11-04 13:51:30.123456", &t, &inf));
  EXPECT_EQ(t.epoch_second, 1478267490);
  EXPECT_EQ(t.nano, 123456000);
  // Before 1970 the second is floored and the fraction stays positive.
  ASSERT_TRUE(ParsePgTimestamp("1936-10-25 22:10:12.608", &t, &inf));
  EXPECT_EQ(t.epoch_second, -1047174588);
  EXPECT_EQ(t.nano, 608000000);
  ASSERT_TRUE(ParsePgTimestamp("2016-11-04 13:51:30", &t, &inf));
  EXPECT_EQ(t.nano, 0);
  ASSERT_TRUE(ParsePgTimestamp("4713-12-31 23:59:59.999999 BC", &t, &inf));
  EXPECT_EQ(t.epoch_second * 1000000 + t.nano / 1000, -210831897600000001LL);  // ts_min
  ASSERT_TRUE(ParsePgTimestamp("infinity", &t, &inf));
  EXPECT_EQ(inf, PgInfinity::kPositive);
  for (const char* bad : {"2016-11-04T13:51:30", "2016-11-04 24:00:00", "2016-11-04 13:61:00",
                          "2016-11-04 13:51:30.", "2016-11-04 13:51:30.1234567890",
                          "2016-11-04 13:51:30+02", "2016-11-04", "2016-11-04 13:51:30 bc"}) {
    EXPECT_FALSE(ParsePgTimestamp(bad, &t, &inf)) << bad;
  }
}

TEST(PgTextTest, TimestampsWithTimeZone) {
  PgInstant t;
  PgInfinity inf;
  // The same instant, 2016-11-04T11:51:30.123456Z, in three session zones.
  for (const char* text : {"2016-11-04 11:51:30.123456+00", "2016-11-04 13:51:30.123456+02",
                           "2016-11-04 07:21:30.123456-04:30"}) {
    ASSERT_TRUE(ParsePgTimestampTz(text, &t, &inf)) << text;
    EXPECT_EQ(t.epoch_second, 1478260290) << text;
    EXPECT_EQ(t.nano, 123456000) << text;
  }
  // Local mean time offsets have seconds (e.g. Europe/Prague before 1891).
  ASSERT_TRUE(ParsePgTimestampTz("1890-01-01 00:57:44+00:57:44", &t, &inf));
  EXPECT_EQ(t.epoch_second, -2524521600);
  ASSERT_TRUE(ParsePgTimestampTz("4714-12-31 23:59:59.999999+00 BC", &t, &inf));
  EXPECT_EQ(t.epoch_second, -210863520001);
  EXPECT_EQ(t.nano, 999999000);
  ASSERT_TRUE(ParsePgTimestampTz("-infinity", &t, &inf));
  EXPECT_EQ(inf, PgInfinity::kNegative);
  for (const char* bad :
       {"2016-11-04 13:51:30", "2016-11-04 13:51:30+2", "2016-11-04 13:51:30Z",
        "2016-11-04 13:51:30+19", "2016-11-04 13:51:30+02:60", "2016-11-04 13:51:30+02 "}) {
    EXPECT_FALSE(ParsePgTimestampTz(bad, &t, &inf)) << bad;
  }
}

TEST(PgTextTest, ByteaHex) {
  std::string bytes = "keep";
  ASSERT_TRUE(ParsePgByteaHex("\\x0102ff", &bytes));
  EXPECT_EQ(bytes, std::string("keep\x01\x02\xff", 7));
  bytes.clear();
  ASSERT_TRUE(ParsePgByteaHex("\\x", &bytes));
  EXPECT_EQ(bytes, "");
  ASSERT_TRUE(ParsePgByteaHex("\\xABcd", &bytes));
  EXPECT_EQ(bytes, "\xab\xcd");
  for (const char* bad : {"", "\\x0", "\\xzz", "\\001\\002", "x01"}) {
    bytes.clear();
    EXPECT_FALSE(ParsePgByteaHex(bad, &bytes)) << bad;
    EXPECT_EQ(bytes, "") << bad;
  }
}

TEST(PgTextTest, Times) {
  int64_t us = -1;
  EXPECT_TRUE(ParsePgTime("10:11:12.123456", &us));
  EXPECT_EQ(us, 36672123456);
  EXPECT_TRUE(ParsePgTime("24:00:00", &us));
  EXPECT_EQ(us, 86400000000);
  EXPECT_TRUE(ParsePgTime("00:00:00.5", &us));
  EXPECT_EQ(us, 500000);
  EXPECT_FALSE(ParsePgTime("24:00:00.000001", &us));
  EXPECT_FALSE(ParsePgTime("10:11", &us));
  EXPECT_FALSE(ParsePgTime("10:11:12.", &us));
  EXPECT_FALSE(ParsePgTime("10:11:12.1234567", &us));

  EXPECT_TRUE(ParsePgTimeTz("11:51:30.123789+02", &us));
  EXPECT_EQ(us, 35490123789);  // 09:51:30.123789 UTC
  EXPECT_TRUE(ParsePgTimeTz("00:00:00-05:30", &us));
  EXPECT_EQ(us, 19800000000);
  EXPECT_TRUE(ParsePgTimeTz("13:14:15+14", &us));
  EXPECT_EQ(us, 83655000000);  // Wrapped into the day.
  EXPECT_FALSE(ParsePgTimeTz("13:14:15", &us));
}

TEST(PgTextTest, Intervals) {
  PgInterval iv;
  ASSERT_TRUE(ParsePgInterval("1 year 2 mons 3 days 04:05:06.78", &iv));
  EXPECT_EQ(iv.years, 1);
  EXPECT_EQ(iv.months, 2);
  EXPECT_EQ(iv.days, 3);
  EXPECT_EQ(iv.hours, 4);
  EXPECT_EQ(iv.minutes, 5);
  EXPECT_DOUBLE_EQ(iv.seconds, 6.78);
  ASSERT_TRUE(ParsePgInterval("-1 days -02:03:04", &iv));
  EXPECT_EQ(iv.days, -1);
  EXPECT_EQ(iv.hours, -2);
  EXPECT_EQ(iv.minutes, -3);
  EXPECT_DOUBLE_EQ(iv.seconds, -4);
  ASSERT_TRUE(ParsePgInterval("-1 days +02:00:00", &iv));
  EXPECT_EQ(iv.hours, 2);
  ASSERT_TRUE(ParsePgInterval("00:00:00", &iv));
  EXPECT_EQ(iv.years, 0);
  EXPECT_DOUBLE_EQ(iv.seconds, 0);
  EXPECT_FALSE(ParsePgInterval("1 fortnight", &iv));
  EXPECT_FALSE(ParsePgInterval("1", &iv));
  EXPECT_FALSE(ParsePgInterval("P1Y", &iv));
}

TEST(PgTextTest, CivilDaysRoundTrip) {
  // Debezium's date infinities: LocalDate -5877611-06-21 / -22 as epoch days.
  EXPECT_EQ(DaysFromCivil(-5877611, 6, 21), -2147472692);
  EXPECT_EQ(DaysFromCivil(-5877611, 6, 22), -2147472691);
  for (int64_t day : {-2440588LL, -719528LL, -1LL, 0LL, 17109LL, 2145042905LL, -2147472692LL}) {
    int64_t y;
    int m, d;
    CivilFromDays(day, &y, &m, &d);
    EXPECT_EQ(DaysFromCivil(y, m, d), day);
  }
  int64_t y;
  int m, d;
  CivilFromDays(-719528, &y, &m, &d);
  EXPECT_EQ(y, 0);
  EXPECT_EQ(m, 1);
  EXPECT_EQ(d, 1);
}

}  // namespace
}  // namespace trackops::event
