// Test-only: builds pgoutput messages byte by byte, big-endian as on the wire.

#ifndef TRACKOPS_PGOUTPUT_TEST_BYTES_H_
#define TRACKOPS_PGOUTPUT_TEST_BYTES_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "pgoutput/pgoutput_format.h"
#include "trackops/types.h"

namespace trackops::pgoutput {

class Bytes {
 public:
  explicit Bytes(char type) { Byte(type); }

  Bytes& Byte(char value) { return Byte(static_cast<uint8_t>(value)); }
  Bytes& Byte(uint8_t value) {
    data_.push_back(value);
    return *this;
  }
  Bytes& Int16(uint16_t value) { return BigEndian(value, 2); }
  Bytes& Int32(uint32_t value) { return BigEndian(value, 4); }
  Bytes& Int64(uint64_t value) { return BigEndian(value, 8); }
  Bytes& Lsn(uint64_t value) { return Int64(value); }
  // A TimestampTz given as Unix microseconds.
  Bytes& Timestamp(UnixMicros unix_micros) {
    return Int64(static_cast<uint64_t>(unix_micros - kPostgresEpochOffsetMicros));
  }
  // A NUL-terminated String.
  Bytes& String(std::string_view value) {
    Raw(value);
    return Byte('\0');
  }
  Bytes& Raw(std::string_view value) {
    data_.insert(data_.end(), value.begin(), value.end());
    return *this;
  }

  // TupleData pieces.
  Bytes& Null() { return Byte('n'); }
  Bytes& Unchanged() { return Byte('u'); }
  Bytes& Text(std::string_view value) { return Counted('t', value); }
  Bytes& Binary(std::string_view value) { return Counted('b', value); }

  const std::vector<uint8_t>& data() const { return data_; }
  operator std::span<const uint8_t>() const { return data_; }  // NOLINT

 private:
  Bytes& BigEndian(uint64_t value, int width) {
    for (int shift = 8 * (width - 1); shift >= 0; shift -= 8) {
      data_.push_back(static_cast<uint8_t>(value >> shift));
    }
    return *this;
  }
  Bytes& Counted(char kind, std::string_view value) {
    Byte(kind);
    Int32(static_cast<uint32_t>(value.size()));
    return Raw(value);
  }

  std::vector<uint8_t> data_;
};

}  // namespace trackops::pgoutput

#endif  // TRACKOPS_PGOUTPUT_TEST_BYTES_H_
