#include "event/heartbeat_encoder.h"

#include <string>

#include "gtest/gtest.h"
#include "event/test_capture.h"

// Expected JSON: heartbeat records of a real Debezium 3.6.1 run
// (heartbeat.interval.ms=200, topic.prefix "conf", as in the conformance case
// heartbeats): key and value as written, no headers.

namespace trackops::event {
namespace {

class HeartbeatEncoderTest : public CapturingTest {};

TEST_F(HeartbeatEncoderTest, SchemasDisabled) {
  HeartbeatEncoder encoder(TestOptions(false), kDefaultHeartbeatTopicPrefix);
  ASSERT_TRUE(encoder.Encode(1795653789040, Lsn(22062024), sink_).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].topic, "__debezium-heartbeat.conf");
  EXPECT_EQ(records_[0].key, R"({"serverName":"conf"})");
  EXPECT_EQ(records_[0].value, R"({"ts_ms":1795653789040})");
  EXPECT_EQ(records_[0].headers, 0u);
  EXPECT_EQ(records_[0].lsn, Lsn(22062024));
}

TEST_F(HeartbeatEncoderTest, SchemasEnabled) {
  HeartbeatEncoder encoder(TestOptions(true), kDefaultHeartbeatTopicPrefix);
  ASSERT_TRUE(encoder.Encode(1795653789091, Lsn(22062024), sink_).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].topic, "__debezium-heartbeat.conf");
  EXPECT_EQ(records_[0].key,
            R"({"schema":{"type":"struct","fields":[{"type":"string","optional":false,)"
            R"("field":"serverName"}],"optional":false,)"
            R"("name":"io.debezium.connector.common.ServerNameKey","version":1},)"
            R"("payload":{"serverName":"conf"}})");
  EXPECT_EQ(records_[0].value,
            R"({"schema":{"type":"struct","fields":[{"type":"int64","optional":false,)"
            R"("field":"ts_ms"}],"optional":false,)"
            R"("name":"io.debezium.connector.common.Heartbeat","version":1},)"
            R"("payload":{"ts_ms":1795653789091}})");
  EXPECT_EQ(records_[0].headers, 0u);
}

TEST_F(HeartbeatEncoderTest, TopicPrefixIsTakenAsIs) {
  // AbstractTopicNamingStrategy.heartbeatTopic joins the two prefixes with
  // the delimiter and sanitizes nothing.
  EncoderOptions options = TestOptions(false);
  options.topic_prefix = "shop\"1";
  HeartbeatEncoder encoder(options, "beats$");
  ASSERT_TRUE(encoder.Encode(-5, Lsn(), sink_).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].topic, "beats$.shop\"1");
  EXPECT_EQ(records_[0].key, R"({"serverName":"shop\"1"})");
  EXPECT_EQ(records_[0].value, R"({"ts_ms":-5})");
}

TEST_F(HeartbeatEncoderTest, ReusesItsBuffersAcrossRecords) {
  HeartbeatEncoder encoder(TestOptions(false), kDefaultHeartbeatTopicPrefix);
  ASSERT_TRUE(encoder.Encode(1000, Lsn(1), sink_).ok());
  ASSERT_TRUE(encoder.Encode(2000, Lsn(2), sink_).ok());
  ASSERT_EQ(records_.size(), 2u);
  EXPECT_EQ(records_[0].value, R"({"ts_ms":1000})");
  EXPECT_EQ(records_[1].value, R"({"ts_ms":2000})");
  EXPECT_EQ(records_[1].lsn, Lsn(2));
}

TEST_F(HeartbeatEncoderTest, EmitErrorIsReturned) {
  HeartbeatEncoder encoder(TestOptions(false), kDefaultHeartbeatTopicPrefix);
  absl::Status s = encoder.Encode(1, Lsn(1), [](const Record&) {
    return absl::UnavailableError("sink down");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace trackops::event
