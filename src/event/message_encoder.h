// Logical decoding messages (pg_logical_emit_message, PostgreSQL 14+) to the
// records Debezium 3.6.1's PostgreSQL connector writes to "<prefix>.message",
// serialized as Kafka Connect's JsonConverter writes them:
//
//   key   io.debezium.connector.postgresql.MessageKey v1 {prefix}
//   value io.debezium.connector.postgresql.MessageValue v1
//         {op "m", ts_ms, source, transaction, message{prefix, content (bytes)}}
//
// The source block is the PostgreSQL one with schema and table "". For a
// transactional message source.ts_* is the commit time and txId the
// transaction's xid; for a non-transactional one Debezium has neither and
// writes its own clock (to the nanosecond) and a null txId. No headers.
//
// Thread safety: one thread at a time. Buffers are reused: the steady state
// allocates nothing per record.

#ifndef TRACKOPS_EVENT_MESSAGE_ENCODER_H_
#define TRACKOPS_EVENT_MESSAGE_ENCODER_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "event/change_encoder.h"
#include "pgoutput/messages.h"
#include "trackops/record.h"

namespace trackops::event {

class MessageEncoder {
 public:
  using Emit = absl::FunctionRef<absl::Status(const Record&)>;

  // Uses topic_prefix, database_name, connector_version and the key/value
  // schemas.enable flags of `options`.
  explicit MessageEncoder(const EncoderOptions& options);

  MessageEncoder(const MessageEncoder&) = delete;
  MessageEncoder& operator=(const MessageEncoder&) = delete;

  // "<prefix>.message".
  const std::string& topic() const { return topic_; }

  // One record for `message`. `context` as for row changes: lsn (the
  // XLogData position), last_commit_lsn, origin; commit_time and xid only for
  // a transactional message; processing_time_ns the clock; transaction (when
  // not null) gets one more event counted.
  absl::Status Encode(const pgoutput::LogicalMessage& message, const ChangeContext& context,
                      Emit emit);

 private:
  bool key_schemas_enable_;
  bool value_schemas_enable_;
  std::string topic_;
  std::string key_open_;     // Up to `"prefix":`.
  std::string key_close_;
  std::string value_open_;   // Up to `"op":"m","ts_ms":`.
  std::string source_open_;  // `{"version":...,"ts_ms":`
  std::string source_db_;    // `,"snapshot":"false","db":"..","sequence":`
  std::string key_;
  std::string value_;
};

}  // namespace trackops::event

#endif  // TRACKOPS_EVENT_MESSAGE_ENCODER_H_
