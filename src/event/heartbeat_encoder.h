// Heartbeat records (heartbeat.interval.ms), as Debezium 3.6.1's
// HeartbeatImpl writes them and Kafka Connect's JsonConverter serializes them:
//
//   topic "<topic.heartbeat.prefix>.<topic.prefix>"  (not sanitized)
//   key   io.debezium.connector.common.ServerNameKey v1 {serverName string}
//         serverName = topic.prefix
//   value io.debezium.connector.common.Heartbeat v1 {ts_ms int64}
//         ts_ms = the connector's clock when the heartbeat is made
//
// Both schemas are required (optional false), fields too. No headers: the
// record goes to Debezium's queue directly, not through the dispatcher that
// adds the __debezium.context.* headers.
//
// Thread safety: one thread at a time. The key is built once; the value
// buffer is reused, so the steady state allocates nothing per record.

#ifndef TRACKOPS_EVENT_HEARTBEAT_ENCODER_H_
#define TRACKOPS_EVENT_HEARTBEAT_ENCODER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "event/change_encoder.h"
#include "trackops/record.h"

namespace trackops::event {

// topic.heartbeat.prefix's default.
inline constexpr std::string_view kDefaultHeartbeatTopicPrefix = "__debezium-heartbeat";

class HeartbeatEncoder {
 public:
  using Emit = absl::FunctionRef<absl::Status(const Record&)>;

  // Uses topic_prefix and the key/value schemas.enable flags of `options`;
  // `heartbeat_topic_prefix` is topic.heartbeat.prefix.
  HeartbeatEncoder(const EncoderOptions& options, std::string_view heartbeat_topic_prefix);

  HeartbeatEncoder(const HeartbeatEncoder&) = delete;
  HeartbeatEncoder& operator=(const HeartbeatEncoder&) = delete;

  // "<heartbeat_topic_prefix>.<topic_prefix>".
  const std::string& topic() const { return topic_; }

  // One heartbeat record with value ts_ms `ts_ms` (epoch milliseconds);
  // `lsn` becomes Record::lsn (the position the heartbeat stands for).
  absl::Status Encode(int64_t ts_ms, Lsn lsn, Emit emit);

 private:
  std::string topic_;
  std::string key_;
  std::string value_open_;   // Up to `"ts_ms":`.
  std::string value_close_;
  std::string value_;
};

}  // namespace trackops::event

#endif  // TRACKOPS_EVENT_HEARTBEAT_ENCODER_H_
