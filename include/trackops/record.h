// A record ready for Kafka: topic, key, value and headers, each exactly the
// bytes a Debezium connector with Kafka Connect's JsonConverter would write.
//
// Lifetime: every view in a Record points into buffers owned by the engine and
// is valid only during the call that receives it. Copy what you keep.

#ifndef TRACKOPS_RECORD_H_
#define TRACKOPS_RECORD_H_

#include <optional>
#include <span>
#include <string_view>

#include "trackops/types.h"

namespace trackops {

struct Header {
  std::string_view key;
  std::string_view value;  // JSON, as Kafka Connect's header converter writes it.
};

// What a record is. Transforms use it the way Debezium's SMTs test a
// record's value schema (a change event envelope or not).
enum class RecordKind {
  kChange,       // A change event (envelope), or its tombstone.
  kTransaction,  // provide.transaction.metadata BEGIN / END.
  kMessage,      // A logical decoding message.
  kHeartbeat,    // heartbeat.interval.ms.
  kOther,
};

struct Record {
  std::string_view topic;
  std::optional<std::string_view> key;    // nullopt: null key (table without key).
  std::optional<std::string_view> value;  // nullopt: tombstone.
  std::span<const Header> headers;
  Lsn lsn;  // WAL position of the change this record came from.
  RecordKind kind = RecordKind::kOther;
};

}  // namespace trackops

#endif  // TRACKOPS_RECORD_H_
