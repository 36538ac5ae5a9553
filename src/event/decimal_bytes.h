// The bytes Kafka Connect's Decimal and Debezium's VariableScaleDecimal carry:
// the unscaled value of a decimal as java.math.BigInteger.toByteArray()
// returns it (big-endian two's complement, minimal length, at least one byte).
//
// Thread safety: a DecimalBytesEncoder keeps scratch space; one thread at a time.

#ifndef TRACKOPS_EVENT_DECIMAL_BYTES_H_
#define TRACKOPS_EVENT_DECIMAL_BYTES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trackops::event {

class DecimalBytesEncoder {
 public:
  // Appends to `out` the two's complement bytes of the integer whose decimal
  // digits are `high` followed by `low` followed by `trailing_zeros` zeros
  // (negated when `negative`). Leading zeros are allowed; all digits must be
  // '0'-'9'. Allocates only when a value is larger than any seen before.
  void Append(bool negative, std::string_view high, std::string_view low, size_t trailing_zeros,
              std::string* out);

 private:
  std::vector<uint32_t> limbs_;  // Little-endian base 2^32 magnitude.
  std::string magnitude_;        // Big-endian magnitude bytes.
};

// The two's complement bytes of a 64-bit integer, BigInteger-style.
void AppendInt64TwosComplement(int64_t value, std::string* out);
// The same bytes written to out[0, 8); returns their count (1 to 8).
size_t Int64TwosComplement(int64_t value, char* out);

// The same bytes DecimalBytesEncoder::Append appends, written to `out` (8
// bytes of room) when the value has at most 18 significant digits, so fits
// an int64_t: returns their count, or 0 (nothing written) for larger values.
// The common case for numeric(p,s) columns, without a scratch string.
size_t SmallDecimalBytes(bool negative, std::string_view high, std::string_view low,
                         size_t trailing_zeros, char* out);

}  // namespace trackops::event

#endif  // TRACKOPS_EVENT_DECIMAL_BYTES_H_
