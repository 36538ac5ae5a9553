// Decimal digits of unsigned integers, written into caller-provided char
// buffers: the building block of the encoders' number and date formatting.
// Two digits per step from a table, no division instructions (the compiler
// turns the constant divisions into multiplications), no allocation.

#ifndef TRACKOPS_UTIL_DECIMAL_DIGITS_H_
#define TRACKOPS_UTIL_DECIMAL_DIGITS_H_

#include <bit>
#include <cstddef>
#include <cstdint>

namespace trackops {

// Enough for any uint64_t (20 digits) or int64_t (a sign and 19 digits).
inline constexpr size_t kMaxDecimalDigits = 20;

namespace decimal_digits_internal {
inline constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";
}  // namespace decimal_digits_internal

// The number of decimal digits of `value` (1 for 0).
inline int DecimalLength(uint64_t value) {
  // No division: the bit length gives the digit count or one more
  // (1233 / 4096 is just above log10(2)); one comparison settles it.
  static constexpr uint64_t kPowersOfTen[] = {
      0ULL,  // Not 1: guess 0 means 0 or 1, one digit either way.
      10ULL,
      100ULL,
      1000ULL,
      10000ULL,
      100000ULL,
      1000000ULL,
      10000000ULL,
      100000000ULL,
      1000000000ULL,
      10000000000ULL,
      100000000000ULL,
      1000000000000ULL,
      10000000000000ULL,
      100000000000000ULL,
      1000000000000000ULL,
      10000000000000000ULL,
      100000000000000000ULL,
      1000000000000000000ULL,
      10000000000000000000ULL,
  };
  const int bits = std::bit_width(value | 1);
  const int guess = (bits * 1233) >> 12;  // 0..19
  return guess + 1 - (value < kPowersOfTen[guess] ? 1 : 0);
}

// Writes `value` (below 100) as two digits at out[0, 2).
inline void WriteTwoDigits(unsigned value, char* out) {
  out[0] = decimal_digits_internal::kPairs[value * 2];
  out[1] = decimal_digits_internal::kPairs[value * 2 + 1];
}

// Writes the last `width` decimal digits of `value`, zero-padded on the
// left, to out[0, width). Digits beyond `width` are dropped: callers pass
// DecimalLength(value) or a width known to hold the value.
inline void WriteDecimal(uint64_t value, int width, char* out) {
  using decimal_digits_internal::kPairs;
  char* p = out + width;
  // 64-bit divisions cost about twice the 32-bit ones: split off eight
  // digits at a time until the rest fits 32 bits.
  while (value > UINT32_MAX && p - out >= 8) {
    uint32_t low = static_cast<uint32_t>(value % 100000000);
    value /= 100000000;
    for (int i = 0; i < 4; ++i) {
      const uint32_t pair = low % 100 * 2;
      low /= 100;
      p -= 2;
      p[0] = kPairs[pair];
      p[1] = kPairs[pair + 1];
    }
  }
  // Fewer than eight digits left to write, or a value below 2^32.
  uint32_t v = static_cast<uint32_t>(value > UINT32_MAX ? value % 100000000 : value);
  while (p - out >= 2) {
    const uint32_t pair = v % 100 * 2;
    v /= 100;
    p -= 2;
    p[0] = kPairs[pair];
    p[1] = kPairs[pair + 1];
  }
  if (p != out) *--p = static_cast<char>('0' + v % 10);
}

// Writes the decimal digits of `value` (no sign, no padding) at `out`,
// which must have room for DecimalLength(value) (at most kMaxDecimalDigits)
// chars. Returns the number written.
inline size_t FormatDecimal(uint64_t value, char* out) {
  const int length = DecimalLength(value);
  WriteDecimal(value, length, out);
  return static_cast<size_t>(length);
}

// Like FormatDecimal with a leading '-' for negative values (Java's
// Long.toString). `out` needs kMaxDecimalDigits chars.
inline size_t FormatSignedDecimal(int64_t value, char* out) {
  if (value >= 0) return FormatDecimal(static_cast<uint64_t>(value), out);
  *out = '-';
  // Negating in unsigned arithmetic keeps INT64_MIN exact.
  return 1 + FormatDecimal(0 - static_cast<uint64_t>(value), out + 1);
}

}  // namespace trackops

#endif  // TRACKOPS_UTIL_DECIMAL_DIGITS_H_
