// Strong types for the identifiers that travel through the replication stream.
//
// Thread safety: all types here are plain values, safe to copy across threads.

#ifndef TRACKOPS_TYPES_H_
#define TRACKOPS_TYPES_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace trackops {

// A position in PostgreSQL's write-ahead log. Prints and parses as PostgreSQL
// does: two hexadecimal halves separated by a slash, e.g. "16/B374D848".
class Lsn {
 public:
  constexpr Lsn() = default;
  constexpr explicit Lsn(uint64_t value) : value_(value) {}

  // Parses "X/Y" (upper or lower case hex). Returns nullopt on anything else.
  static std::optional<Lsn> Parse(std::string_view text);

  constexpr uint64_t value() const { return value_; }
  constexpr bool is_valid() const { return value_ != 0; }
  std::string ToString() const;

  friend constexpr auto operator<=>(Lsn a, Lsn b) = default;

 private:
  uint64_t value_ = 0;
};

// A PostgreSQL transaction id as sent by pgoutput (32 bits).
class Xid {
 public:
  constexpr Xid() = default;
  constexpr explicit Xid(uint32_t value) : value_(value) {}
  constexpr uint32_t value() const { return value_; }
  friend constexpr auto operator<=>(Xid a, Xid b) = default;

  template <typename H>
  friend H AbslHashValue(H h, Xid xid) {
    return H::combine(std::move(h), xid.value_);
  }

 private:
  uint32_t value_ = 0;
};

// The OID of a relation as sent in pgoutput Relation and row messages.
class RelationId {
 public:
  constexpr RelationId() = default;
  constexpr explicit RelationId(uint32_t value) : value_(value) {}
  constexpr uint32_t value() const { return value_; }
  friend constexpr auto operator<=>(RelationId a, RelationId b) = default;

  template <typename H>
  friend H AbslHashValue(H h, RelationId id) {
    return H::combine(std::move(h), id.value_);
  }

 private:
  uint32_t value_ = 0;
};

// Microseconds since the Unix epoch (1970-01-01 00:00:00 UTC).
using UnixMicros = int64_t;

}  // namespace trackops

#endif  // TRACKOPS_TYPES_H_
