// The broker TrackOps runs against, with the librdkafka TrackOps links
// (Debian 12: 2.0.2): transactions commit and abort, a read_committed consumer
// sees only committed records, consumer groups keep their offsets, a second
// producer with the same transactional.id fences the first. This is what the
// choice of broker version rests on (tools/kafka-broker/pom.xml).

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/kafka_broker.h"

namespace trackops::testing {
namespace {

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

KafkaHandle NewClient(rd_kafka_type_t type,
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
std::string Check(rd_kafka_error_t* error) {
  if (error == nullptr) return "";
  std::string text = rd_kafka_error_string(error);
  rd_kafka_error_destroy(error);
  return text;
}

void Produce(rd_kafka_t* producer, const std::string& topic, const std::string& value) {
  rd_kafka_resp_err_t err = rd_kafka_producev(
      producer, RD_KAFKA_V_TOPIC(topic.c_str()),
      RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  ASSERT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(err);
}

// Reads `topic` with a consumer in `group` until `want` records or 60 s.
std::vector<std::string> Consume(const std::string& bootstrap, const std::string& topic,
                                 const std::string& group, size_t want) {
  KafkaHandle consumer = NewClient(RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstrap},
                                                       {"group.id", group},
                                                       {"isolation.level", "read_committed"},
                                                       {"auto.offset.reset", "earliest"},
                                                       {"enable.auto.commit", "false"}});
  rd_kafka_poll_set_consumer(consumer.get());
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
  EXPECT_EQ(rd_kafka_subscribe(consumer.get(), topics), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(topics);
  std::vector<std::string> values;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (values.size() < want && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 200);
    if (m == nullptr) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      values.emplace_back(static_cast<const char*>(m->payload), m->len);
    }
    rd_kafka_message_destroy(m);
  }
  EXPECT_EQ(rd_kafka_commit(consumer.get(), nullptr, 0), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_consumer_close(consumer.get());
  return values;
}

class KafkaBrokerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto broker = KafkaBroker::Start();
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = broker->release();
  }
  static void TearDownTestSuite() { delete broker_; }
  static KafkaBroker* broker_;
};

KafkaBroker* KafkaBrokerTest::broker_ = nullptr;

TEST_F(KafkaBrokerTest, ReadCommittedSeesOnlyCommittedTransactionsAndGroupsKeepOffsets) {
  KafkaHandle producer = NewClient(RD_KAFKA_PRODUCER, {{"bootstrap.servers", broker_->bootstrap()},
                                                       {"transactional.id", "trackops-test-1"}});
  ASSERT_EQ(Check(rd_kafka_init_transactions(producer.get(), 60000)), "");
  ASSERT_EQ(Check(rd_kafka_begin_transaction(producer.get())), "");
  for (const char* v : {"c1", "c2", "c3"}) Produce(producer.get(), "eos", v);
  ASSERT_EQ(Check(rd_kafka_commit_transaction(producer.get(), 60000)), "");
  ASSERT_EQ(Check(rd_kafka_begin_transaction(producer.get())), "");
  for (const char* v : {"aborted1", "aborted2"}) Produce(producer.get(), "eos", v);
  ASSERT_EQ(rd_kafka_flush(producer.get(), 60000), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(Check(rd_kafka_abort_transaction(producer.get(), 60000)), "");
  ASSERT_EQ(Check(rd_kafka_begin_transaction(producer.get())), "");
  Produce(producer.get(), "eos", "c4");
  ASSERT_EQ(Check(rd_kafka_commit_transaction(producer.get(), 60000)), "");

  EXPECT_THAT(Consume(broker_->bootstrap(), "eos", "g1", 4),
              ::testing::ElementsAre("c1", "c2", "c3", "c4"));

  // The group committed its offsets: the next member starts after c4.
  ASSERT_EQ(Check(rd_kafka_begin_transaction(producer.get())), "");
  Produce(producer.get(), "eos", "c5");
  ASSERT_EQ(Check(rd_kafka_commit_transaction(producer.get(), 60000)), "");
  EXPECT_THAT(Consume(broker_->bootstrap(), "eos", "g1", 1), ::testing::ElementsAre("c5"));
}

TEST_F(KafkaBrokerTest, ASecondProducerWithTheSameTransactionalIdFencesTheFirst) {
  std::vector<std::pair<std::string, std::string>> settings = {
      {"bootstrap.servers", broker_->bootstrap()}, {"transactional.id", "trackops-test-2"}};
  KafkaHandle zombie = NewClient(RD_KAFKA_PRODUCER, settings);
  ASSERT_EQ(Check(rd_kafka_init_transactions(zombie.get(), 60000)), "");
  ASSERT_EQ(Check(rd_kafka_begin_transaction(zombie.get())), "");
  Produce(zombie.get(), "fenced", "from the zombie");

  KafkaHandle successor = NewClient(RD_KAFKA_PRODUCER, settings);
  ASSERT_EQ(Check(rd_kafka_init_transactions(successor.get(), 60000)), "");

  rd_kafka_error_t* error = rd_kafka_commit_transaction(zombie.get(), 60000);
  ASSERT_NE(error, nullptr);
  EXPECT_TRUE(rd_kafka_error_is_fatal(error)) << rd_kafka_error_string(error);
  rd_kafka_error_destroy(error);

  ASSERT_EQ(Check(rd_kafka_begin_transaction(successor.get())), "");
  Produce(successor.get(), "fenced", "from the successor");
  ASSERT_EQ(Check(rd_kafka_commit_transaction(successor.get(), 60000)), "");
  EXPECT_THAT(Consume(broker_->bootstrap(), "fenced", "g2", 1),
              ::testing::ElementsAre("from the successor"));
}

}  // namespace
}  // namespace trackops::testing
