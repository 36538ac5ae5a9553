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
#include "integration/kafka_test_support.h"

namespace trackops::testing {
namespace {

void Produce(rd_kafka_t* producer, const std::string& topic, const std::string& value) {
  rd_kafka_resp_err_t err = rd_kafka_producev(
      producer, RD_KAFKA_V_TOPIC(topic.c_str()),
      RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  ASSERT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(err);
}

std::vector<std::string> Consume(const std::string& bootstrap, const std::string& topic,
                                 const std::string& group, size_t want) {
  std::vector<std::string> values;
  for (const ConsumedRecord& r : ConsumeCommitted(bootstrap, topic, group, want)) {
    values.push_back(r.value.value_or("<null>"));
  }
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
  KafkaHandle producer = NewKafkaClient(RD_KAFKA_PRODUCER, {{"bootstrap.servers", broker_->bootstrap()},
                                                       {"transactional.id", "trackops-test-1"}});
  ASSERT_EQ(KafkaErrorText(rd_kafka_init_transactions(producer.get(), 60000)), "");
  ASSERT_EQ(KafkaErrorText(rd_kafka_begin_transaction(producer.get())), "");
  for (const char* v : {"c1", "c2", "c3"}) Produce(producer.get(), "eos", v);
  ASSERT_EQ(KafkaErrorText(rd_kafka_commit_transaction(producer.get(), 60000)), "");
  ASSERT_EQ(KafkaErrorText(rd_kafka_begin_transaction(producer.get())), "");
  for (const char* v : {"aborted1", "aborted2"}) Produce(producer.get(), "eos", v);
  ASSERT_EQ(rd_kafka_flush(producer.get(), 60000), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_EQ(KafkaErrorText(rd_kafka_abort_transaction(producer.get(), 60000)), "");
  ASSERT_EQ(KafkaErrorText(rd_kafka_begin_transaction(producer.get())), "");
  Produce(producer.get(), "eos", "c4");
  ASSERT_EQ(KafkaErrorText(rd_kafka_commit_transaction(producer.get(), 60000)), "");

  EXPECT_THAT(Consume(broker_->bootstrap(), "eos", "g1", 4),
              ::testing::ElementsAre("c1", "c2", "c3", "c4"));

  // The group committed its offsets: the next member starts after c4.
  ASSERT_EQ(KafkaErrorText(rd_kafka_begin_transaction(producer.get())), "");
  Produce(producer.get(), "eos", "c5");
  ASSERT_EQ(KafkaErrorText(rd_kafka_commit_transaction(producer.get(), 60000)), "");
  EXPECT_THAT(Consume(broker_->bootstrap(), "eos", "g1", 1), ::testing::ElementsAre("c5"));
}

TEST_F(KafkaBrokerTest, ASecondProducerWithTheSameTransactionalIdFencesTheFirst) {
  std::vector<std::pair<std::string, std::string>> settings = {
      {"bootstrap.servers", broker_->bootstrap()}, {"transactional.id", "trackops-test-2"}};
  KafkaHandle zombie = NewKafkaClient(RD_KAFKA_PRODUCER, settings);
  ASSERT_EQ(KafkaErrorText(rd_kafka_init_transactions(zombie.get(), 60000)), "");
  ASSERT_EQ(KafkaErrorText(rd_kafka_begin_transaction(zombie.get())), "");
  Produce(zombie.get(), "fenced", "from the zombie");

  KafkaHandle successor = NewKafkaClient(RD_KAFKA_PRODUCER, settings);
  ASSERT_EQ(KafkaErrorText(rd_kafka_init_transactions(successor.get(), 60000)), "");

  rd_kafka_error_t* error = rd_kafka_commit_transaction(zombie.get(), 60000);
  ASSERT_NE(error, nullptr);
  EXPECT_TRUE(rd_kafka_error_is_fatal(error)) << rd_kafka_error_string(error);
  rd_kafka_error_destroy(error);

  ASSERT_EQ(KafkaErrorText(rd_kafka_begin_transaction(successor.get())), "");
  Produce(successor.get(), "fenced", "from the successor");
  ASSERT_EQ(KafkaErrorText(rd_kafka_commit_transaction(successor.get(), 60000)), "");
  EXPECT_THAT(Consume(broker_->bootstrap(), "fenced", "g2", 1),
              ::testing::ElementsAre("from the successor"));
}

}  // namespace
}  // namespace trackops::testing
