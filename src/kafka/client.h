// Thin, Status-returning wrappers over librdkafka: client creation from a
// settings map, topic creation, and reading a compacted topic's last value for
// a key with a read_committed consumer.
//
// Thread safety: as librdkafka's (handles are thread-safe; use each consumer
// from one thread).

#ifndef TRACKOPS_KAFKA_CLIENT_H_
#define TRACKOPS_KAFKA_CLIENT_H_

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace trackops::kafka {

struct HandleDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using Handle = std::unique_ptr<rd_kafka_t, HandleDeleter>;

using Settings = std::map<std::string, std::string>;

// kInvalidArgument naming the setting librdkafka refused. `customize`, when
// given, may set callbacks on the configuration before the client is made.
absl::StatusOr<Handle> NewProducer(const Settings& settings,
                                   const std::function<void(rd_kafka_conf_t*)>& customize = {});
absl::StatusOr<Handle> NewConsumer(const Settings& settings);

struct TopicSpec {
  std::string name;
  int partitions = 1;
  int replication_factor = 1;
  std::map<std::string, std::string> config;  // e.g. cleanup.policy=compact
};

// Creates the topic unless it exists, and loads its partitions and leaders
// into `client`.
absl::Status EnsureTopic(rd_kafka_t* client, const TopicSpec& spec,
                         std::chrono::milliseconds timeout);

// The value of the last committed record with `key` in partition 0 of `topic`
// (read_committed), or nullopt when there is none or the topic does not exist.
// `settings` are client settings (bootstrap.servers, security, ...).
absl::StatusOr<std::optional<std::string>> ReadLastValue(const Settings& settings,
                                                         const std::string& topic,
                                                         const std::string& key,
                                                         std::chrono::milliseconds timeout);

}  // namespace trackops::kafka

#endif  // TRACKOPS_KAFKA_CLIENT_H_
