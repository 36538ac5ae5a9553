#include "sink/kafka_sink.h"

#include "absl/strings/numbers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trackops::sink {
namespace {

using ::testing::HasSubstr;

Config KafkaConfig(const std::map<std::string, std::string>& sink) {
  Config c;
  c.connector.dbname = "shop";
  c.connector.slot_name = "s1";
  c.sink_type = "kafka";
  for (const auto& [k, v] : sink) c.sink.Set(k, v);
  return c;
}

TEST(KafkaSinkOptionsTest, DefaultsAreExactlyOnceWithJavaPartitioning) {
  absl::StatusOr<KafkaSinkOptions> o =
      KafkaSinkOptions::FromConfig(KafkaConfig({{"producer.bootstrap.servers", "b:9092"}}));
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_TRUE(o->exactly_once);
  EXPECT_EQ(o->transactional_id, "trackops-shop-s1");
  EXPECT_EQ(o->offsets_key, "shop/s1");
  EXPECT_EQ(o->producer.at("transactional.id"), "trackops-shop-s1");
  EXPECT_EQ(o->producer.at("partitioner"), "murmur2_random");
  EXPECT_EQ(o->producer.at("bootstrap.servers"), "b:9092");
}

TEST(KafkaSinkOptionsTest, AtLeastOnceUsesAnIdempotentProducer) {
  absl::StatusOr<KafkaSinkOptions> o =
      KafkaSinkOptions::FromConfig(KafkaConfig({{"producer.bootstrap.servers", "b:9092"},
                                                {"delivery", "at-least-once"},
                                                {"producer.partitioner", "consistent"},
                                                {"batch.max.ms", "5"},
                                                {"batch.min.ms", "0"}}));
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_FALSE(o->exactly_once);
  EXPECT_FALSE(o->producer.contains("transactional.id"));
  EXPECT_EQ(o->producer.at("enable.idempotence"), "true");
  EXPECT_EQ(o->producer.at("partitioner"), "consistent");  // The user's choice stands.
  EXPECT_EQ(o->batch_max_ms, 5);
  EXPECT_EQ(o->batch_min_ms, 0);
}

TEST(KafkaSinkOptionsTest, ProducerDefaultsStandUnlessTold) {
  absl::StatusOr<KafkaSinkOptions> o =
      KafkaSinkOptions::FromConfig(KafkaConfig({{"producer.bootstrap.servers", "b:9092"}}));
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->producer.at("compression.codec"), "lz4");
  EXPECT_EQ(o->producer.at("queue.buffering.max.kbytes"), "8192");
  EXPECT_EQ(o->producer.at("linger.ms"), "1000");
  EXPECT_EQ(o->producer.at("transaction.timeout.ms"), "900000");
  EXPECT_EQ(o->batch_max_transactions, 2000);
  EXPECT_EQ(o->batch_min_ms, 100);
  EXPECT_EQ(o->transactional_producers, 1);

  o = KafkaSinkOptions::FromConfig(KafkaConfig({{"producer.bootstrap.servers", "b:9092"},
                                                {"producer.compression.type", "zstd"},
                                                {"producer.queue.buffering.max.kbytes", "1024"}}));
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_FALSE(o->producer.contains("compression.codec"));  // Its alias was given.
  EXPECT_EQ(o->producer.at("compression.type"), "zstd");
  EXPECT_EQ(o->producer.at("queue.buffering.max.kbytes"), "1024");

  o = KafkaSinkOptions::FromConfig(KafkaConfig({{"producer.bootstrap.servers", "b:9092"},
                                                {"producer.queue.buffering.max.ms", "20"}}));
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_FALSE(o->producer.contains("linger.ms"));  // Its alias was given.
  EXPECT_EQ(o->producer.at("queue.buffering.max.ms"), "20");
}

TEST(KafkaSinkOptionsTest, OneOrTwoTransactionalProducers) {
  absl::StatusOr<KafkaSinkOptions> o = KafkaSinkOptions::FromConfig(
      KafkaConfig({{"producer.bootstrap.servers", "b:9092"}, {"transactional.producers", "2"}}));
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->transactional_producers, 2);
  EXPECT_EQ(SecondTransactionalId(o->transactional_id), "trackops-shop-s1.1");
  for (const char* bad : {"0", "3", "two", ""}) {
    EXPECT_THAT(KafkaSinkOptions::FromConfig(KafkaConfig({{"producer.bootstrap.servers", "b"},
                                                          {"transactional.producers", bad}}))
                    .status()
                    .message(),
                HasSubstr("debezium.sink.kafka.transactional.producers"))
        << bad;
  }
  EXPECT_THAT(KafkaSinkOptions::FromConfig(KafkaConfig({{"producer.bootstrap.servers", "b"},
                                                        {"delivery", "at-least-once"},
                                                        {"transactional.producers", "2"}}))
                  .status()
                  .message(),
              HasSubstr("needs debezium.sink.kafka.delivery=exactly-once"));
}

TEST(KafkaSinkOptionsTest, QueueHoldsTheLargestRecord) {
  // 20 MB records: the queue must hold one (twice over) or it would never
  // accept it.
  absl::StatusOr<KafkaSinkOptions> o = KafkaSinkOptions::FromConfig(KafkaConfig(
      {{"producer.bootstrap.servers", "b:9092"}, {"producer.message.max.bytes", "20000000"}}));
  ASSERT_TRUE(o.ok()) << o.status();
  int64_t kbytes = 0;
  ASSERT_TRUE(absl::SimpleAtoi(o->producer.at("queue.buffering.max.kbytes"), &kbytes));
  EXPECT_GE(kbytes * 1024, 2 * 20000000);

  EXPECT_THAT(KafkaSinkOptions::FromConfig(
                  KafkaConfig({{"producer.bootstrap.servers", "b"},
                               {"producer.message.max.bytes", "lots"}}))
                  .status()
                  .message(),
              HasSubstr("debezium.sink.kafka.producer.message.max.bytes"));
}

TEST(KafkaSinkOptionsTest, ErrorsNameTheProperty) {
  EXPECT_THAT(KafkaSinkOptions::FromConfig(KafkaConfig({})).status().message(),
              HasSubstr("debezium.sink.kafka.producer.bootstrap.servers"));
  EXPECT_THAT(KafkaSinkOptions::FromConfig(
                  KafkaConfig({{"producer.bootstrap.servers", "b"}, {"delivery", "maybe"}}))
                  .status()
                  .message(),
              HasSubstr("debezium.sink.kafka.delivery"));
  EXPECT_THAT(KafkaSinkOptions::FromConfig(
                  KafkaConfig({{"producer.bootstrap.servers", "b"}, {"batch.max.bytes", "0"}}))
                  .status()
                  .message(),
              HasSubstr("debezium.sink.kafka.batch.max.bytes"));
  EXPECT_THAT(KafkaSinkOptions::FromConfig(
                  KafkaConfig({{"producer.bootstrap.servers", "b"}, {"batch.min.ms", "-1"}}))
                  .status()
                  .message(),
              HasSubstr("debezium.sink.kafka.batch.min.ms"));
  EXPECT_THAT(KafkaSinkOptions::FromConfig(
                  KafkaConfig({{"producer.bootstrap.servers", "b"}, {"no.such", "1"}}))
                  .status()
                  .message(),
              HasSubstr("unknown property debezium.sink.kafka.no.such"));
}

}  // namespace
}  // namespace trackops::sink
