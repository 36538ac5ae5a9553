// Java's hashing, for reproducing the iteration order of java.util.HashMap
// where Debezium writes a HashMap's entries (transaction data collections,
// hstore values), and name-based UUIDs (the uuid[] TOAST placeholder).

#ifndef TRACKOPS_EVENT_JAVA_HASH_H_
#define TRACKOPS_EVENT_JAVA_HASH_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace trackops::event {

// java.lang.String.hashCode() of the string `utf8` decodes to (UTF-16 code
// units; malformed bytes count as U+FFFD).
int32_t JavaStringHash(std::string_view utf8);

// The bucket of a key with hash code `hash` in a java.util.HashMap table of
// `capacity` entries (a power of two): (h ^ h >>> 16) & (capacity - 1).
// HashMap iterates by bucket, then in insertion order within a bucket.
inline size_t JavaHashMapBucket(int32_t hash, size_t capacity) {
  uint32_t h = static_cast<uint32_t>(hash);
  return (h ^ (h >> 16)) & (capacity - 1);
}

// MD5 (RFC 1321) of `bytes`: 16 bytes.
std::string Md5(std::string_view bytes);

// java.util.UUID.nameUUIDFromBytes(bytes).toString(): the MD5 of `bytes`
// with the version set to 3 and the IETF variant, as lower-case
// 8-4-4-4-12 hex.
std::string JavaNameUuidFromBytes(std::string_view bytes);

}  // namespace trackops::event

#endif  // TRACKOPS_EVENT_JAVA_HASH_H_
