#include "event/message_encoder.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "event/test_capture.h"

// Expected JSON: records of a real Debezium 3.6.1 run (conformance case
// logical_messages), with the connector clock replaced by a fixed one.

namespace trackops::event {
namespace {

class MessageEncoderTest : public CapturingTest {};

TEST_F(MessageEncoderTest, TransactionalMessage) {
  MessageEncoder encoder(TestOptions(false));
  pgoutput::LogicalMessage m;
  m.flags = pgoutput::kMessageFlagTransactional;
  m.prefix = "bytes";
  m.content = std::string_view("\x00\xff\x10", 3);
  ChangeContext context;
  context.commit_time = 1795646552833312;
  context.xid = Xid(734);
  context.lsn = Lsn(22055168);
  context.last_commit_lsn = Lsn(22055104);
  context.processing_time_ns = 1795646553285000000;
  ASSERT_TRUE(encoder.Encode(m, context, sink_).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].topic, "conf.message");
  EXPECT_EQ(records_[0].key, R"({"prefix":"bytes"})");
  EXPECT_EQ(records_[0].value,
            R"({"op":"m","ts_ms":1795646553285,"source":{"version":"3.6.1.Final",)"
            R"("connector":"postgresql","name":"conf","ts_ms":1795646552833,"snapshot":"false",)"
            R"("db":"postgres","sequence":"[\"22055104\",\"22055168\"]",)"
            R"("ts_us":1795646552833312,"ts_ns":1795646552833312000,"schema":"","table":"",)"
            R"("txId":734,"lsn":22055168,"xmin":null,"origin":null,"origin_lsn":null},)"
            R"("transaction":null,"message":{"prefix":"bytes","content":"AP8Q"}})");
  EXPECT_EQ(records_[0].headers, 0u);
  EXPECT_EQ(records_[0].lsn, Lsn(22055168));
}

TEST_F(MessageEncoderTest, NonTransactionalMessageUsesTheClock) {
  MessageEncoder encoder(TestOptions(false));
  pgoutput::LogicalMessage m;
  m.prefix = "outside";
  m.content = "not transactional";
  ChangeContext context;
  context.lsn = Lsn(22054576);
  context.last_commit_lsn = Lsn(22054576);
  context.processing_time_ns = 1795646550479300795;
  ASSERT_TRUE(encoder.Encode(m, context, sink_).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].value,
            R"({"op":"m","ts_ms":1795646550479,"source":{"version":"3.6.1.Final",)"
            R"("connector":"postgresql","name":"conf","ts_ms":1795646550479,"snapshot":"false",)"
            R"("db":"postgres","sequence":"[\"22054576\",\"22054576\"]",)"
            R"("ts_us":1795646550479300,"ts_ns":1795646550479300795,"schema":"","table":"",)"
            R"("txId":null,"lsn":22054576,"xmin":null,"origin":null,"origin_lsn":null},)"
            R"("transaction":null,"message":{"prefix":"outside",)"
            R"("content":"bm90IHRyYW5zYWN0aW9uYWw="}})");
}

TEST_F(MessageEncoderTest, SchemasEnabled) {
  MessageEncoder encoder(TestOptions(true));
  pgoutput::LogicalMessage m;
  m.flags = pgoutput::kMessageFlagTransactional;
  m.prefix = "";
  m.content = "";
  ChangeContext context;
  context.xid = Xid(735);
  context.lsn = Lsn(22055400);
  ASSERT_TRUE(encoder.Encode(m, context, sink_).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].key,
            R"({"schema":{"type":"struct","fields":[{"type":"string","optional":true,)"
            R"("field":"prefix"}],"optional":false,)"
            R"("name":"io.debezium.connector.postgresql.MessageKey","version":1},)"
            R"("payload":{"prefix":""}})");
  EXPECT_THAT(*records_[0].value,
              ::testing::HasSubstr(
                  R"({"type":"struct","fields":[{"type":"string","optional":true,)"
                  R"("field":"prefix"},{"type":"bytes","optional":true,"field":"content"}],)"
                  R"("optional":false,"name":"io.debezium.connector.postgresql.Message",)"
                  R"("version":1,"field":"message"}],"optional":false,)"
                  R"("name":"io.debezium.connector.postgresql.MessageValue","version":1},)"
                  R"("payload":{"op":"m","ts_ms":0,)"));
  EXPECT_THAT(*records_[0].value,
              ::testing::EndsWith(R"("message":{"prefix":"","content":""}}})"));
}

}  // namespace
}  // namespace trackops::event
