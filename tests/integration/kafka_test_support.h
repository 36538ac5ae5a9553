// Kafka clients for integration tests (librdkafka C API).

#ifndef TRACKOPS_TESTS_INTEGRATION_KAFKA_TEST_SUPPORT_H_
#define TRACKOPS_TESTS_INTEGRATION_KAFKA_TEST_SUPPORT_H_

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace trackops::testing {

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

inline KafkaHandle NewKafkaClient(rd_kafka_type_t type,
                                  const std::vector<std::pair<std::string, std::string>>& settings) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  for (const auto& [k, v] : settings) {
    EXPECT_EQ(rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof(err)), RD_KAFKA_CONF_OK)
        << k << ": " << err;
  }
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof(err));
  EXPECT_NE(rk, nullptr) << err;
  return KafkaHandle(rk);
}

// Returns the error's text, or "" when there is none (and frees it).
inline std::string KafkaErrorText(rd_kafka_error_t* error) {
  if (error == nullptr) return "";
  std::string text = rd_kafka_error_string(error);
  rd_kafka_error_destroy(error);
  return text;
}

struct ConsumedRecord {
  int32_t partition = 0;
  int64_t offset = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<std::pair<std::string, std::string>> headers;  // In order.
};

// Reads `topic` with a read_committed consumer in `group` until `want`
// records arrived or 60 s passed, then commits the group's offsets. With
// `to_end`, stops instead at the end of a one-partition topic's committed
// records (once `want` arrived, at least).
inline std::vector<ConsumedRecord> ConsumeCommitted(const std::string& bootstrap,
                                                    const std::string& topic,
                                                    const std::string& group, size_t want,
                                                    bool to_end = false) {
  KafkaHandle consumer = NewKafkaClient(RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstrap},
                                                            {"group.id", group},
                                                            {"isolation.level", "read_committed"},
                                                            {"auto.offset.reset", "earliest"},
                                                            {"enable.auto.commit", "false"},
                                                            {"enable.partition.eof", "true"}});
  rd_kafka_poll_set_consumer(consumer.get());
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
  EXPECT_EQ(rd_kafka_subscribe(consumer.get(), topics), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(topics);
  std::vector<ConsumedRecord> records;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while ((to_end || records.size() < want) && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 200);
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF && to_end && records.size() >= want) {
      rd_kafka_message_destroy(m);
      break;
    }
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      ConsumedRecord r;
      r.partition = m->partition;
      r.offset = m->offset;
      if (m->key != nullptr) r.key = std::string(static_cast<const char*>(m->key), m->key_len);
      if (m->payload != nullptr) {
        r.value = std::string(static_cast<const char*>(m->payload), m->len);
      }
      rd_kafka_headers_t* headers = nullptr;
      if (rd_kafka_message_headers(m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name;
        const void* value;
        size_t size;
        for (size_t i = 0; !rd_kafka_header_get_all(headers, i, &name, &value, &size); ++i) {
          r.headers.emplace_back(name, value ? std::string(static_cast<const char*>(value), size)
                                             : std::string());
        }
      }
      records.push_back(std::move(r));
    }
    rd_kafka_message_destroy(m);
  }
  if (!records.empty()) {
    EXPECT_EQ(rd_kafka_commit(consumer.get(), nullptr, 0), RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  rd_kafka_consumer_close(consumer.get());
  return records;
}

// Kafka's default partitioner for a keyed record (Java's Utils.murmur2,
// toPositive, modulo the partition count).
inline int32_t JavaDefaultPartition(const std::string& key, int32_t partitions) {
  const uint32_t m = 0x5bd1e995;
  const int r = 24;
  const size_t length = key.size();
  uint32_t h = 0x9747b28cU ^ static_cast<uint32_t>(length);
  const auto* data = reinterpret_cast<const uint8_t*>(key.data());
  for (size_t i = 0; i + 4 <= length; i += 4) {
    uint32_t k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) |
                 (static_cast<uint32_t>(data[i + 3]) << 24);
    k *= m;
    k ^= k >> r;
    k *= m;
    h *= m;
    h ^= k;
  }
  size_t tail = length & ~size_t{3};
  switch (length % 4) {
    case 3: h ^= static_cast<uint32_t>(data[tail + 2]) << 16; [[fallthrough]];
    case 2: h ^= static_cast<uint32_t>(data[tail + 1]) << 8; [[fallthrough]];
    case 1:
      h ^= data[tail];
      h *= m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return static_cast<int32_t>((h & 0x7fffffff) % static_cast<uint32_t>(partitions));
}

}  // namespace trackops::testing

#endif  // TRACKOPS_TESTS_INTEGRATION_KAFKA_TEST_SUPPORT_H_
