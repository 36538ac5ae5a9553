#include "event/json_writer.h"

#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace trackops::event {
namespace {

std::string AsString(std::string_view s) {
  std::string out;
  JsonWriter(&out).String(s);
  return out;
}

std::string AsDouble(double d) {
  std::string out;
  JsonWriter(&out).Double(d);
  return out;
}

std::string AsFloat(float f) {
  std::string out;
  JsonWriter(&out).Float(f);
  return out;
}

// Jackson's CharTypes.sOutputEscapes128 and UTF8JsonGenerator: short escapes
// for " \ \b \t \n \f \r, \u00XX (upper-case hex, WRITE_HEX_UPPER_CASE
// default) for the other control characters, '/' not escaped.
TEST(JsonWriterTest, EscapesAsJacksonDoes) {
  EXPECT_EQ(AsString("plain"), "\"plain\"");
  EXPECT_EQ(AsString("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
  EXPECT_EQ(AsString("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
  EXPECT_EQ(AsString(std::string_view("\0", 1)), "\"\\u0000\"");
  EXPECT_EQ(AsString("\x01\x0b\x1f"), "\"\\u0001\\u000B\\u001F\"");
  EXPECT_EQ(AsString("\x7f"), "\"\x7f\"");  // DEL is not escaped.
  EXPECT_EQ(AsString(""), "\"\"");
}

TEST(JsonWriterTest, WritesBmpCharactersRaw) {
  // 'žš' is Debezium's own string test value (INSERT_STRING_TYPES_STMT).
  EXPECT_EQ(AsString("\u017E\u0161"), "\"\u017E\u0161\"");
  EXPECT_EQ(AsString("\u20AC \u2028 \uFFFF"), "\"\u20AC \u2028 \uFFFF\"");
}

// UTF8JsonGenerator._outputMultiByteChar: with COMBINE_UNICODE_SURROGATES_IN_UTF8
// off (the default), each UTF-16 surrogate is written as an escape.
TEST(JsonWriterTest, EscapesSupplementaryCharactersAsSurrogates) {
  EXPECT_EQ(AsString("a\U0001F600b"), "\"a\\uD83D\\uDE00b\"");
  EXPECT_EQ(AsString("\U00010000\U0010FFFF"), "\"\\uD800\\uDC00\\uDBFF\\uDFFF\"");
}

// new String(bytes, UTF_8) replaces malformed input with U+FFFD: one per
// maximal subpart, one for a whole encoded surrogate.
TEST(JsonWriterTest, ReplacesMalformedUtf8AsJavaDecodes) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(AsString("\xff"), "\"" + fffd + "\"");
  EXPECT_EQ(AsString("\x80\xbf"), "\"" + fffd + fffd + "\"");
  EXPECT_EQ(AsString("\xc0\xaf"), "\"" + fffd + fffd + "\"");  // Overlong.
  EXPECT_EQ(AsString("\xe2\x82"), "\"" + fffd + "\"");         // Truncated.
  EXPECT_EQ(AsString("A\xe2"
                     "AB"),
            "\"A" + fffd + "AB\"");
  EXPECT_EQ(AsString("\xed\xa0\x80"), "\"" + fffd + "\"");  // Surrogate.
  EXPECT_EQ(AsString("\xed\xa7\x08"), "\"" + fffd + "\\b\"");
  EXPECT_EQ(AsString("\xf4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");
  EXPECT_EQ(AsString("\xf0\x9f\xc2\x80"), "\"" + fffd + "\xc2\x80\"");
}

TEST(JsonWriterTest, StringContentHasNoQuotes) {
  std::string out;
  JsonWriter(&out).StringContent("[\"1\",\"2\"]");
  EXPECT_EQ(out, "[\\\"1\\\",\\\"2\\\"]");
}

TEST(JsonWriterTest, WritesScalars) {
  std::string out;
  JsonWriter w(&out);
  w.Int(-9223372036854775807LL - 1);
  w.Raw(',');
  w.UInt(18446744073709551615ULL);
  w.Raw(',');
  w.Bool(true);
  w.Raw(',');
  w.Bool(false);
  w.Raw(',');
  w.Null();
  EXPECT_EQ(out, "-9223372036854775808,18446744073709551615,true,false,null");
}

TEST(JsonWriterTest, AppendsWithoutClearing) {
  std::string out = "{\"a\":";
  JsonWriter(&out).Int(1);
  EXPECT_EQ(out, "{\"a\":1");
}

// Java's Double.toString (JDK 19+): plain notation in [1e-3, 1e7), at least
// one fraction digit, otherwise d.dddE<exp>.
TEST(JsonWriterTest, DoublesAsJava) {
  EXPECT_EQ(AsDouble(4.44), "4.44");  // AbstractRecordsProducerTest numeric_table.db
  EXPECT_EQ(AsDouble(4.0), "4.0");    // db_int
  EXPECT_EQ(AsDouble(0.0), "0.0");
  EXPECT_EQ(AsDouble(-0.0), "-0.0");
  EXPECT_EQ(AsDouble(100.0), "100.0");
  EXPECT_EQ(AsDouble(0.001), "0.001");
  EXPECT_EQ(AsDouble(0.0001), "1.0E-4");
  EXPECT_EQ(AsDouble(9999999.0), "9999999.0");
  EXPECT_EQ(AsDouble(1.0e7), "1.0E7");
  EXPECT_EQ(AsDouble(123456789.0), "1.23456789E8");
  EXPECT_EQ(AsDouble(-1.5e-7), "-1.5E-7");
  EXPECT_EQ(AsDouble(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(AsDouble(1e21), "1.0E21");
  EXPECT_EQ(AsDouble(1e23), "1.0E23");
  EXPECT_EQ(AsDouble(std::numeric_limits<double>::max()), "1.7976931348623157E308");
  // Double.MIN_VALUE: the two-digit rule gives 4.9E-324, not 5.0E-324.
  EXPECT_EQ(AsDouble(std::numeric_limits<double>::denorm_min()), "4.9E-324");
}

TEST(JsonWriterTest, FloatsAsJava) {
  EXPECT_EQ(AsFloat(3.3f), "3.3");  // AbstractRecordsProducerTest numeric_table.r
  EXPECT_EQ(AsFloat(3.0f), "3.0");  // r_int
  EXPECT_EQ(AsFloat(0.1f), "0.1");
  EXPECT_EQ(AsFloat(1.6777216e7f), "1.6777216E7");
  EXPECT_EQ(AsFloat(std::numeric_limits<float>::max()), "3.4028235E38");
  EXPECT_EQ(AsFloat(std::numeric_limits<float>::denorm_min()), "1.4E-45");
}

// Jackson's QUOTE_NON_NUMERIC_NUMBERS (on by default) quotes these.
TEST(JsonWriterTest, NonFiniteNumbersAreStrings) {
  EXPECT_EQ(AsDouble(std::numeric_limits<double>::quiet_NaN()), "\"NaN\"");
  EXPECT_EQ(AsDouble(std::numeric_limits<double>::infinity()), "\"Infinity\"");
  EXPECT_EQ(AsDouble(-std::numeric_limits<double>::infinity()), "\"-Infinity\"");
  EXPECT_EQ(AsFloat(std::numeric_limits<float>::quiet_NaN()), "\"NaN\"");
  EXPECT_EQ(AsFloat(-std::numeric_limits<float>::infinity()), "\"-Infinity\"");
}

// RFC 4648 section 10 test vectors; Jackson's default variant pads.
TEST(JsonWriterTest, Base64WithPadding) {
  auto b64 = [](std::string_view bytes) {
    std::string out;
    AppendBase64(bytes, &out);
    return out;
  };
  EXPECT_EQ(b64(""), "");
  EXPECT_EQ(b64("f"), "Zg==");
  EXPECT_EQ(b64("fo"), "Zm8=");
  EXPECT_EQ(b64("foo"), "Zm9v");
  EXPECT_EQ(b64("foob"), "Zm9vYg==");
  EXPECT_EQ(b64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(b64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(b64(std::string_view("\xff\xfe\x00", 3)), "//4A");

  std::string out;
  JsonWriter(&out).Base64("\x01\x02\x03");
  EXPECT_EQ(out, "\"AQID\"");
}

}  // namespace
}  // namespace trackops::event
