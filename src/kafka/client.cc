#include "kafka/client.h"

#include "absl/strings/str_cat.h"
#include "kafka/kafka_error.h"
#include "util/status_macros.h"

namespace trackops::kafka {
namespace {

absl::StatusOr<Handle> NewClient(rd_kafka_type_t type, const Settings& settings,
                                 const std::function<void(rd_kafka_conf_t*)>& customize = {}) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (customize) customize(conf);
  char err[512];
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), err, sizeof(err)) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return absl::InvalidArgumentError(absl::StrCat("Kafka setting ", key, "=", value, ": ", err));
    }
  }
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof(err));  // Owns conf on success.
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::InvalidArgumentError(absl::StrCat("creating the Kafka client failed: ", err));
  }
  return Handle(rk);
}

struct AdminOptionsDeleter {
  void operator()(rd_kafka_AdminOptions_t* o) const { rd_kafka_AdminOptions_destroy(o); }
};
struct QueueDeleter {
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
};
struct EventDeleter {
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
};

}  // namespace

absl::StatusOr<Handle> NewProducer(const Settings& settings,
                                   const std::function<void(rd_kafka_conf_t*)>& customize) {
  return NewClient(RD_KAFKA_PRODUCER, settings, customize);
}

absl::StatusOr<Handle> NewConsumer(const Settings& settings) {
  return NewClient(RD_KAFKA_CONSUMER, settings);
}

absl::Status EnsureTopic(rd_kafka_t* client, const TopicSpec& spec,
                         std::chrono::milliseconds timeout) {
  char err[512];
  rd_kafka_NewTopic_t* topic = rd_kafka_NewTopic_new(spec.name.c_str(), spec.partitions,
                                                     spec.replication_factor, err, sizeof(err));
  if (topic == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("topic ", spec.name, ": ", err));
  }
  for (const auto& [k, v] : spec.config) rd_kafka_NewTopic_set_config(topic, k.c_str(), v.c_str());
  std::unique_ptr<rd_kafka_queue_t, QueueDeleter> queue(rd_kafka_queue_new(client));
  std::unique_ptr<rd_kafka_AdminOptions_t, AdminOptionsDeleter> options(
      rd_kafka_AdminOptions_new(client, RD_KAFKA_ADMIN_OP_CREATETOPICS));
  rd_kafka_AdminOptions_set_operation_timeout(options.get(), static_cast<int>(timeout.count()),
                                              err, sizeof(err));
  rd_kafka_CreateTopics(client, &topic, 1, options.get(), queue.get());
  rd_kafka_NewTopic_destroy(topic);
  std::unique_ptr<rd_kafka_event_t, EventDeleter> event(
      rd_kafka_queue_poll(queue.get(), static_cast<int>(timeout.count()) + 1000));
  if (event == nullptr) {
    return absl::UnavailableError(absl::StrCat("creating topic ", spec.name, ": no answer"));
  }
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return FromResponse(rd_kafka_event_error(event.get()),
                        absl::StrCat("creating topic ", spec.name));
  }
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event.get());
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  for (size_t i = 0; i < count; ++i) {
    rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
      const char* msg = rd_kafka_topic_result_error_string(results[i]);
      return FromResponse(e, absl::StrCat("creating topic ", spec.name, ": ", msg ? msg : ""));
    }
  }
  // Learn the topic's partitions and leaders now: a producer that first
  // meets a topic in its first record holds that record (and the rest) back
  // until its own metadata refresh, 0.4-0.8 s later (docs/performance.md).
  // A failure here only leaves that to librdkafka, as before.
  rd_kafka_topic_t* known = rd_kafka_topic_new(client, spec.name.c_str(), nullptr);
  if (known != nullptr) {
    const rd_kafka_metadata_t* metadata = nullptr;
    // librdkafka sets `metadata` exactly when it succeeds.
    if (rd_kafka_metadata(client, 0, known, &metadata, static_cast<int>(timeout.count())) ==
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_metadata_destroy(metadata);
    }
    rd_kafka_topic_destroy(known);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> ReadLastValue(const Settings& settings,
                                                         const std::string& topic,
                                                         const std::string& key,
                                                         std::chrono::milliseconds timeout) {
  Settings consumer_settings = settings;
  consumer_settings["group.id"] = "trackops-offsets-reader";  // Never commits.
  consumer_settings["isolation.level"] = "read_committed";
  consumer_settings["enable.auto.commit"] = "false";
  consumer_settings["enable.partition.eof"] = "true";
  consumer_settings["auto.offset.reset"] = "earliest";
  // The end of the topic is found by a fetch that returns nothing new, which
  // the broker holds for fetch.wait.max.ms (500 ms by default) first: that
  // wait would be added to every start.
  consumer_settings["fetch.wait.max.ms"] = "10";
  TRACKOPS_ASSIGN_OR_RETURN(Handle consumer, NewConsumer(consumer_settings));

  // Does the topic exist? (A consumer of a missing topic would wait forever.)
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(consumer.get(), topic.c_str(), nullptr);
  rd_kafka_resp_err_t err = rd_kafka_metadata(consumer.get(), 0, rkt, &metadata,
                                              static_cast<int>(timeout.count()));
  rd_kafka_topic_destroy(rkt);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return FromResponse(err, absl::StrCat("reading metadata of ", topic));
  }
  bool exists = metadata->topic_cnt == 1 && metadata->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
                metadata->topics[0].partition_cnt > 0;
  rd_kafka_metadata_destroy(metadata);
  if (!exists) return std::optional<std::string>();

  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(parts, topic.c_str(), 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
  err = rd_kafka_assign(consumer.get(), parts);
  rd_kafka_topic_partition_list_destroy(parts);
  TRACKOPS_RETURN_IF_ERROR(FromResponse(err, absl::StrCat("assigning ", topic)));

  std::optional<std::string> last;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (std::chrono::steady_clock::now() > deadline) {
      return absl::UnavailableError(absl::StrCat("reading ", topic, " timed out"));
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 200);
    if (m == nullptr) continue;
    std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> owned(
        m, &rd_kafka_message_destroy);
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) break;
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return FromResponse(m->err, absl::StrCat("reading ", topic));
    }
    if (m->key_len == key.size() && std::string_view(static_cast<const char*>(m->key),
                                                     m->key_len) == key) {
      if (m->payload == nullptr) {
        last.reset();
      } else {
        last = std::string(static_cast<const char*>(m->payload), m->len);
      }
    }
  }
  rd_kafka_consumer_close(consumer.get());
  return last;
}

}  // namespace trackops::kafka
