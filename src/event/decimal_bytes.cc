#include "event/decimal_bytes.h"

#include <bit>

namespace trackops::event {
namespace {

constexpr uint32_t kPowersOfTen[] = {1,      10,      100,      1000,      10000,
                                     100000, 1000000, 10000000, 100000000, 1000000000};

// Appends the minimal two's complement of the magnitude in `magnitude`
// (big-endian, no leading zero bytes, empty for zero).
void AppendTwosComplement(bool negative, std::string_view magnitude, std::string* out) {
  if (magnitude.empty()) {
    out->push_back('\0');
    return;
  }
  const auto* m = reinterpret_cast<const unsigned char*>(magnitude.data());
  size_t n = magnitude.size();
  if (!negative) {
    if (m[0] & 0x80) out->push_back('\0');
    out->append(magnitude);
    return;
  }
  // -m fits in n bytes iff m <= 2^(8n-1), i.e. the top bit is clear, or the
  // magnitude is exactly 0x80 00 .. 00.
  bool fits = (m[0] & 0x80) == 0;
  if (!fits && m[0] == 0x80) {
    fits = true;
    for (size_t i = 1; i < n; ++i) {
      if (m[i] != 0) {
        fits = false;
        break;
      }
    }
  }
  if (!fits) out->push_back(static_cast<char>(0xFF));
  size_t start = out->size();
  out->resize(start + n);
  // Two's complement: invert and add one, from the least significant byte.
  unsigned carry = 1;
  for (size_t i = n; i-- > 0;) {
    unsigned v = static_cast<unsigned char>(~m[i]) + carry;
    (*out)[start + i] = static_cast<char>(v & 0xFF);
    carry = v >> 8;
  }
}

}  // namespace

// The length: the bits of the value without its sign extension, plus one
// sign bit, rounded up to bytes (0 and -1 take one byte).
size_t Int64TwosComplement(int64_t value, char* out) {
  const uint64_t u = static_cast<uint64_t>(value);
  const uint64_t magnitude_bits = value < 0 ? ~u : u;
  const int length = std::bit_width(magnitude_bits) / 8 + 1;
  for (int i = 0; i < length; ++i) out[i] = static_cast<char>(u >> (8 * (length - 1 - i)));
  return static_cast<size_t>(length);
}

void AppendInt64TwosComplement(int64_t value, std::string* out) {
  char bytes[8];
  out->append(bytes, Int64TwosComplement(value, bytes));  // One append, not one per byte.
}

size_t SmallDecimalBytes(bool negative, std::string_view high, std::string_view low,
                         size_t trailing_zeros, char* out) {
  while (!high.empty() && high.front() == '0') high.remove_prefix(1);
  if (high.empty()) {
    while (!low.empty() && low.front() == '0') low.remove_prefix(1);
  }
  if (high.size() + low.size() == 0) {
    out[0] = '\0';  // Zero, whatever the sign and the trailing zeros.
    return 1;
  }
  if (high.size() + low.size() + trailing_zeros > 18) return 0;
  int64_t v = 0;
  for (char c : high) v = v * 10 + (c - '0');
  for (char c : low) v = v * 10 + (c - '0');
  for (size_t i = 0; i < trailing_zeros; ++i) v *= 10;
  return Int64TwosComplement(negative ? -v : v, out);
}

void DecimalBytesEncoder::Append(bool negative, std::string_view high, std::string_view low,
                                 size_t trailing_zeros, std::string* out) {
  // Skip leading zeros.
  while (!high.empty() && high.front() == '0') high.remove_prefix(1);
  if (high.empty()) {
    while (!low.empty() && low.front() == '0') low.remove_prefix(1);
  }
  size_t total = high.size() + low.size();
  if (total == 0) {
    out->push_back('\0');  // Zero, whatever the sign and the trailing zeros.
    return;
  }
  total += trailing_zeros;
  if (total <= 18) {
    int64_t v = 0;
    for (char c : high) v = v * 10 + (c - '0');
    for (char c : low) v = v * 10 + (c - '0');
    for (size_t i = 0; i < trailing_zeros; ++i) v *= 10;
    AppendInt64TwosComplement(negative ? -v : v, out);
    return;
  }

  limbs_.clear();
  uint32_t chunk = 0;
  int chunk_digits = 0;
  auto flush = [&]() {
    // limbs = limbs * 10^chunk_digits + chunk
    uint64_t carry = chunk;
    uint64_t multiplier = kPowersOfTen[chunk_digits];
    for (uint32_t& limb : limbs_) {
      uint64_t v = uint64_t{limb} * multiplier + carry;
      limb = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
    if (carry != 0) limbs_.push_back(static_cast<uint32_t>(carry));
    chunk = 0;
    chunk_digits = 0;
  };
  auto feed = [&](char c) {
    chunk = chunk * 10 + static_cast<uint32_t>(c - '0');
    if (++chunk_digits == 9) flush();
  };
  for (char c : high) feed(c);
  for (char c : low) feed(c);
  for (size_t i = 0; i < trailing_zeros; ++i) feed('0');
  if (chunk_digits > 0) flush();

  magnitude_.clear();
  bool leading = true;
  for (size_t i = limbs_.size(); i-- > 0;) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      char byte = static_cast<char>(limbs_[i] >> shift);
      if (leading && byte == 0) continue;
      leading = false;
      magnitude_.push_back(byte);
    }
  }
  AppendTwosComplement(negative, magnitude_, out);
}

}  // namespace trackops::event
