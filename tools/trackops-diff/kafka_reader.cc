#include "trackops-diff/kafka_reader.h"

#include <librdkafka/rdkafka.h>
#include <unistd.h>

#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace trackops::diff {
namespace {

constexpr char kScheme[] = "kafka://";

struct KafkaDeleter {
  void operator()(rd_kafka_t* k) const {
    rd_kafka_consumer_close(k);
    rd_kafka_destroy(k);
  }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(ch);
    } else if (c < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
    } else {
      out->push_back(ch);
    }
  }
  out->push_back('"');
}

// Key, value or header bytes: their JSON text as is; none: null.
void AppendJsonBytes(const void* data, size_t size, std::string* out) {
  if (data == nullptr) {
    out->append("null");
  } else {
    out->append(static_cast<const char*>(data), size);
  }
}

class KafkaTopicsReader : public RecordReader {
 public:
  KafkaTopicsReader(std::string name, std::vector<InputRecord> records)
      : name_(std::move(name)), records_(std::move(records)) {}

  absl::StatusOr<bool> Next(InputRecord* record) override {
    if (next_ == records_.size()) return false;
    *record = std::move(records_[next_++]);
    return true;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string name_;
  std::vector<InputRecord> records_;
  size_t next_ = 0;
};

}  // namespace

bool IsKafkaInput(const std::string& input) { return input.starts_with(kScheme); }

absl::StatusOr<std::unique_ptr<RecordReader>> OpenKafkaTopics(const std::string& input,
                                                              std::chrono::milliseconds timeout) {
  std::string rest = input.substr(sizeof(kScheme) - 1);
  size_t slash = rest.find('/');
  if (!IsKafkaInput(input) || slash == std::string::npos || slash == 0 ||
      slash + 1 == rest.size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        input, ": expected kafka://HOST:PORT[,HOST:PORT...]/TOPIC[,TOPIC...]"));
  }
  std::string bootstrap = rest.substr(0, slash);
  std::vector<std::string> topics = absl::StrSplit(rest.substr(slash + 1), ',', absl::SkipEmpty());

  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  const std::pair<const char*, std::string> settings[] = {
      {"bootstrap.servers", bootstrap},
      {"group.id", absl::StrCat("trackops-diff-", getpid())},  // Never commits.
      {"isolation.level", "read_committed"},
      {"enable.auto.commit", "false"},
      {"enable.partition.eof", "true"},
      {"auto.offset.reset", "earliest"},
      // The end is found by a fetch that returns nothing, which the broker
      // would otherwise hold for 500 ms.
      {"fetch.wait.max.ms", "10"},
  };
  for (const auto& [key, value] : settings) {
    if (rd_kafka_conf_set(conf, key, value.c_str(), err, sizeof(err)) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return absl::InvalidArgumentError(absl::StrCat(input, ": ", err));
    }
  }
  rd_kafka_t* raw = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof(err));
  if (raw == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::UnavailableError(absl::StrCat(input, ": ", err));
  }
  KafkaHandle consumer(raw);
  const int timeout_ms = static_cast<int>(timeout.count());

  // Every partition of every topic, from the beginning.
  rd_kafka_topic_partition_list_t* assignment = rd_kafka_topic_partition_list_new(16);
  std::map<std::pair<std::string, int32_t>, std::vector<InputRecord>> by_partition;
  for (const std::string& topic : topics) {
    rd_kafka_topic_t* rkt = rd_kafka_topic_new(consumer.get(), topic.c_str(), nullptr);
    const rd_kafka_metadata_t* metadata = nullptr;
    rd_kafka_resp_err_t e = rd_kafka_metadata(consumer.get(), 0, rkt, &metadata, timeout_ms);
    rd_kafka_topic_destroy(rkt);
    if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_topic_partition_list_destroy(assignment);
      return absl::UnavailableError(
          absl::StrCat(input, ": metadata of ", topic, ": ", rd_kafka_err2str(e)));
    }
    bool found = metadata->topic_cnt == 1 &&
                 metadata->topics[0].err == RD_KAFKA_RESP_ERR_NO_ERROR &&
                 metadata->topics[0].partition_cnt > 0;
    if (found) {
      for (int p = 0; p < metadata->topics[0].partition_cnt; ++p) {
        int32_t id = metadata->topics[0].partitions[p].id;
        rd_kafka_topic_partition_list_add(assignment, topic.c_str(), id)->offset =
            RD_KAFKA_OFFSET_BEGINNING;
        by_partition[{topic, id}];
      }
    }
    rd_kafka_metadata_destroy(metadata);
    if (!found) {
      rd_kafka_topic_partition_list_destroy(assignment);
      return absl::NotFoundError(absl::StrCat(input, ": no topic ", topic));
    }
  }
  rd_kafka_resp_err_t e = rd_kafka_assign(consumer.get(), assignment);
  rd_kafka_topic_partition_list_destroy(assignment);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat(input, ": ", rd_kafka_err2str(e)));
  }

  size_t at_end = 0;
  std::map<std::pair<std::string, int32_t>, bool> ended;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (at_end < by_partition.size()) {
    if (std::chrono::steady_clock::now() > deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          input, ": the end of ", by_partition.size() - at_end, " partition(s) not reached in ",
          timeout.count(), " ms"));
    }
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 200);
    if (m == nullptr) continue;
    std::pair<std::string, int32_t> where{m->rkt ? rd_kafka_topic_name(m->rkt) : "",
                                          m->partition};
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (!ended[where]) {
        ended[where] = true;
        ++at_end;
      }
    } else if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::string message = rd_kafka_message_errstr(m);
      rd_kafka_message_destroy(m);
      return absl::UnavailableError(absl::StrCat(input, ": ", message));
    } else if (!ended[where]) {
      InputRecord r;
      r.location = absl::StrCat("topic ", where.first, " partition ", where.second, " offset ",
                                m->offset);
      r.json = "{\"topic\":";
      AppendJsonString(where.first, &r.json);
      absl::StrAppend(&r.json, ",\"partition\":", where.second, ",\"offset\":", m->offset,
                      ",\"key\":");
      AppendJsonBytes(m->key, m->key_len, &r.json);
      r.json.append(",\"value\":");
      AppendJsonBytes(m->payload, m->len, &r.json);
      r.json.append(",\"headers\":{");
      rd_kafka_headers_t* headers = nullptr;
      if (rd_kafka_message_headers(m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name;
        const void* value;
        size_t size;
        for (size_t i = 0; !rd_kafka_header_get_all(headers, i, &name, &value, &size); ++i) {
          if (i > 0) r.json.push_back(',');
          AppendJsonString(name, &r.json);
          r.json.push_back(':');
          AppendJsonBytes(value, size, &r.json);
        }
      }
      r.json.append("}}");
      by_partition[where].push_back(std::move(r));
    }
    rd_kafka_message_destroy(m);
  }

  // Topic by topic as given, partitions in order (the map's order).
  std::vector<InputRecord> records;
  for (const std::string& topic : topics) {
    for (auto& [where, list] : by_partition) {
      if (where.first != topic) continue;
      for (InputRecord& r : list) records.push_back(std::move(r));
      list.clear();
    }
  }
  return std::unique_ptr<RecordReader>(new KafkaTopicsReader(input, std::move(records)));
}

}  // namespace trackops::diff
