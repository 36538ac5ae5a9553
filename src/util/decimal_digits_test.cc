#include "util/decimal_digits.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "gtest/gtest.h"

namespace trackops {
namespace {

std::string Format(uint64_t v) {
  char buffer[kMaxDecimalDigits];
  return std::string(buffer, FormatDecimal(v, buffer));
}

std::string FormatSigned(int64_t v) {
  char buffer[kMaxDecimalDigits];
  return std::string(buffer, FormatSignedDecimal(v, buffer));
}

std::string Reference(uint64_t v) {
  char buffer[32];
  return std::string(buffer, std::to_chars(buffer, buffer + sizeof(buffer), v).ptr);
}

TEST(DecimalDigitsTest, FormatsAroundEveryPowerOfTen) {
  EXPECT_EQ(Format(0), "0");
  uint64_t power = 1;
  for (int digits = 1; digits <= 20; ++digits) {
    EXPECT_EQ(DecimalLength(power), digits) << power;
    EXPECT_EQ(Format(power), Reference(power));
    EXPECT_EQ(Format(power - 1), Reference(power - 1));
    EXPECT_EQ(Format(power + 1), Reference(power + 1));
    if (digits < 20) power *= 10;
  }
  EXPECT_EQ(Format(std::numeric_limits<uint64_t>::max()), "18446744073709551615");
  EXPECT_EQ(DecimalLength(std::numeric_limits<uint64_t>::max()), 20);
}

TEST(DecimalDigitsTest, FormatsAroundTwoToTheThirtyTwo) {
  // Where WriteDecimal switches from 64-bit to 32-bit arithmetic.
  for (uint64_t v : {0xFFFFFFFFULL, 0x100000000ULL, 0x100000001ULL, 99999999ULL, 100000000ULL,
                     4294967295999999999ULL}) {
    EXPECT_EQ(Format(v), Reference(v));
  }
}

TEST(DecimalDigitsTest, SignedLikeLongToString) {
  EXPECT_EQ(FormatSigned(0), "0");
  EXPECT_EQ(FormatSigned(-1), "-1");
  EXPECT_EQ(FormatSigned(std::numeric_limits<int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(FormatSigned(std::numeric_limits<int64_t>::max()), "9223372036854775807");
}

TEST(DecimalDigitsTest, WriteDecimalPadsAndKeepsTheLastDigits) {
  char buffer[8];
  WriteDecimal(7, 4, buffer);
  EXPECT_EQ(std::string(buffer, 4), "0007");
  WriteDecimal(123456, 3, buffer);
  EXPECT_EQ(std::string(buffer, 3), "456");
  WriteDecimal(12345678901234567890ULL, 5, buffer);
  EXPECT_EQ(std::string(buffer, 5), "67890");
}

TEST(DecimalDigitsTest, MatchesToCharsOnRandomValues) {
  std::mt19937_64 random(42);
  for (int i = 0; i < 100000; ++i) {
    const uint64_t v = random() >> (random() % 64);
    ASSERT_EQ(Format(v), Reference(v));
  }
}

}  // namespace
}  // namespace trackops
