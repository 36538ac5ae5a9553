#include "event/decimal_bytes.h"

#include <string>

#include "event/json_writer.h"
#include "gtest/gtest.h"

namespace trackops::event {
namespace {

// Expected values are java.math.BigInteger.toByteArray() of the number,
// base64-encoded (what Kafka's Decimal.fromLogical + JsonConverter write).
std::string Encode(bool negative, std::string_view high, std::string_view low = "",
                   size_t zeros = 0) {
  DecimalBytesEncoder encoder;
  std::string bytes;
  encoder.Append(negative, high, low, zeros, &bytes);
  std::string out;
  AppendBase64(bytes, &out);
  return out;
}

TEST(DecimalBytesTest, SmallValues) {
  EXPECT_EQ(Encode(false, "0"), "AA==");
  EXPECT_EQ(Encode(true, "0", "00"), "AA==");   // No negative zero.
  EXPECT_EQ(Encode(false, "1", "10"), "bg==");  // 1.10 in numeric(3,2): docs' example.
  EXPECT_EQ(Encode(true, "1", "10"), "kg==");   // -110
  EXPECT_EQ(Encode(false, "127"), "fw==");
  EXPECT_EQ(Encode(false, "128"), "AIA=");  // Sign byte added.
  EXPECT_EQ(Encode(false, "255"), "AP8=");
  EXPECT_EQ(Encode(false, "256"), "AQA=");
  EXPECT_EQ(Encode(true, "1"), "/w==");
  EXPECT_EQ(Encode(true, "128"), "gA==");  // Fits one byte.
  EXPECT_EQ(Encode(true, "129"), "/38=");
  EXPECT_EQ(Encode(true, "256"), "/wA=");
}

TEST(DecimalBytesTest, DigitsAcrossPartsAndZeros) {
  EXPECT_EQ(Encode(false, "22", "2222"), "A2QO");     // 22.2222 (VariableScaleDecimal)
  EXPECT_EQ(Encode(false, "22", "22", 2), "A2P4");    // 22.22 at scale 4: 222200
  EXPECT_EQ(Encode(false, "00010", "1111"), "AYr3");  // 101111, leading zeros ignored
  EXPECT_EQ(Encode(false, "0", "0022"), "Fg==");
}

TEST(DecimalBytesTest, BeyondSixtyFourBits) {
  EXPECT_EQ(Encode(false, "12345678901234567890123456789"), "J+QbMka+ybFuOYEV");
  EXPECT_EQ(Encode(true, "12345678901234567890123456789"), "2BvkzblBNk6Rxn7r");
  std::string nines(38, '9');
  EXPECT_EQ(Encode(false, nines), "SztMqFqGxHoJiiI//////w==");
  EXPECT_EQ(Encode(true, nines), "tMSzV6V5O4X2dd3AAAAAAQ==");
  // Same value whichever way the digits are split.
  EXPECT_EQ(Encode(false, "1234567890123456789", "0123456789"), "J+QbMka+ybFuOYEV");
  EXPECT_EQ(Encode(false, "123456789012345678901234567", "", 0),
            Encode(false, "1234567890123456789", "01234567"));
}

TEST(DecimalBytesTest, ReusesScratchAcrossValues) {
  DecimalBytesEncoder encoder;
  std::string bytes;
  encoder.Append(false, "12345678901234567890123456789", "", 0, &bytes);
  bytes.clear();
  encoder.Append(false, "1", "10", 0, &bytes);
  EXPECT_EQ(bytes, "\x6e");
}

TEST(DecimalBytesTest, Int64) {
  auto b64 = [](int64_t v) {
    std::string bytes;
    AppendInt64TwosComplement(v, &bytes);
    std::string out;
    AppendBase64(bytes, &out);
    return out;
  };
  EXPECT_EQ(b64(0), "AA==");
  EXPECT_EQ(b64(-1), "/w==");
  EXPECT_EQ(b64(-128), "gA==");
  EXPECT_EQ(b64(128), "AIA=");
  EXPECT_EQ(b64(INT64_MIN), "gAAAAAAAAAA=");
  EXPECT_EQ(b64(INT64_MAX), "f/////////8=");
}

}  // namespace
}  // namespace trackops::event
