#include "engine/change_pipeline.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pgoutput/capture_file.h"
#include "pgoutput/test_bytes.h"

namespace trackops::engine {
namespace {

using ::testing::HasSubstr;
using pgoutput::Bytes;

// Keeps what the pipeline hands over, in call order.
class LogSink : public Sink {
 public:
  absl::Status BeginTransaction(const TransactionInfo& t) override {
    log.push_back(absl::StrCat("begin ", t.xid.value()));
    return absl::OkStatus();
  }
  absl::Status Write(const Record& r) override {
    log.push_back(absl::StrCat("write ", std::string(r.topic), " ",
                               r.key ? std::string(*r.key) : "null"));
    return absl::OkStatus();
  }
  absl::Status CommitTransaction(const TransactionInfo& t) override {
    log.push_back(absl::StrCat("commit ", t.end_lsn.ToString()));
    durable = t.end_lsn;
    return absl::OkStatus();
  }
  absl::Status Flush() override { return absl::OkStatus(); }
  Lsn DurableLsn() const override { return durable; }
  std::vector<std::string> log;
  Lsn durable;
};

constexpr uint32_t kRel = 16385;

Bytes BeginMsg(uint32_t xid, uint64_t final_lsn) {
  return std::move(Bytes('B').Lsn(final_lsn).Timestamp(1764000000000000).Int32(xid));
}
Bytes CommitMsg(uint64_t commit_lsn, uint64_t end_lsn) {
  return std::move(
      Bytes('C').Byte(uint8_t{0}).Lsn(commit_lsn).Lsn(end_lsn).Timestamp(1764000000000000));
}
Bytes RelationMsg(const char* schema, const char* table, uint32_t rel = kRel) {
  return std::move(Bytes('R')
                       .Int32(rel)
                       .String(schema)
                       .String(table)
                       .Byte('d')
                       .Int16(2)
                       .Byte(uint8_t{1})
                       .String("id")
                       .Int32(20)
                       .Int32(0xFFFFFFFF)
                       .Byte(uint8_t{0})
                       .String("name")
                       .Int32(25)
                       .Int32(0xFFFFFFFF));
}
Bytes InsertMsg(const char* id, const char* name, uint32_t rel = kRel) {
  return std::move(Bytes('I').Int32(rel).Byte('N').Int16(2).Text(id).Text(name));
}

class ChangePipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.topic_prefix = "shop";
    config_.dbname = "db";
    config_.key_schemas_enable = false;
    config_.value_schemas_enable = false;
    auto p = ChangePipeline::Create(config_, nullptr, &sink_);
    ASSERT_TRUE(p.ok()) << p.status();
    pipeline_ = *std::move(p);
  }
  absl::Status Feed(uint64_t lsn, const Bytes& b) { return pipeline_->Handle(Lsn(lsn), b); }

  ConnectorConfig config_;
  LogSink sink_;
  std::unique_ptr<ChangePipeline> pipeline_;
};

TEST_F(ChangePipelineTest, DeliversATransactionWholeAndTracksPositions) {
  ASSERT_TRUE(Feed(100, BeginMsg(700, 300)).ok());
  EXPECT_TRUE(pipeline_->in_transaction());
  ASSERT_TRUE(Feed(110, RelationMsg("public", "orders")).ok());
  ASSERT_TRUE(Feed(120, InsertMsg("1", "ada")).ok());
  ASSERT_TRUE(Feed(130, InsertMsg("2", "bo")).ok());
  EXPECT_TRUE(pipeline_->sink_transaction_open());
  ASSERT_TRUE(Feed(300, CommitMsg(300, 340)).ok());
  EXPECT_FALSE(pipeline_->in_transaction());
  EXPECT_THAT(sink_.log, ::testing::ElementsAre(
                             "begin 700", "write shop.public.orders {\"id\":1}",
                             "write shop.public.orders {\"id\":2}", "commit 0/154"));
  EXPECT_EQ(pipeline_->last_delivered_end(), Lsn(340));
  EXPECT_EQ(pipeline_->counters().transactions, 1u);
  EXPECT_EQ(pipeline_->counters().events, 2u);
}

TEST_F(ChangePipelineTest, EmptyTransactionsReachNoSinkButMoveThePosition) {
  ASSERT_TRUE(Feed(100, BeginMsg(700, 300)).ok());
  ASSERT_TRUE(Feed(300, CommitMsg(300, 340)).ok());
  EXPECT_TRUE(sink_.log.empty());
  EXPECT_EQ(pipeline_->last_seen_end(), Lsn(340));
  EXPECT_EQ(pipeline_->last_delivered_end(), Lsn());
}

TEST_F(ChangePipelineTest, ExcludedTablesAreCountedNotWritten) {
  config_.table_exclude_list = {"public\\.audit"};
  auto p = ChangePipeline::Create(config_, nullptr, &sink_);
  ASSERT_TRUE(p.ok());
  pipeline_ = *std::move(p);
  ASSERT_TRUE(Feed(100, BeginMsg(1, 300)).ok());
  ASSERT_TRUE(Feed(110, RelationMsg("public", "audit")).ok());
  ASSERT_TRUE(Feed(120, InsertMsg("1", "x")).ok());
  ASSERT_TRUE(Feed(300, CommitMsg(300, 340)).ok());
  EXPECT_TRUE(sink_.log.empty());
  EXPECT_EQ(pipeline_->counters().skipped, 1u);
}

TEST_F(ChangePipelineTest, MalformedBytesNameTheWalPosition) {
  ASSERT_TRUE(Feed(100, BeginMsg(700, 300)).ok());
  Bytes truncated('I');
  truncated.Int32(kRel);
  absl::Status s = Feed(0x1A2B3C4DULL, truncated);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(s.message(), HasSubstr("Insert"));
  EXPECT_THAT(s.message(), HasSubstr("at WAL position 0/1A2B3C4D"));
}

TEST_F(ChangePipelineTest, RowForAnUnknownRelationIsDataLoss) {
  ASSERT_TRUE(Feed(100, BeginMsg(700, 300)).ok());
  absl::Status s = Feed(120, InsertMsg("1", "x", 999));
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(s.message(), HasSubstr("relation 999"));
}

TEST_F(ChangePipelineTest, OutOfOrderMessagesAreDataLoss) {
  EXPECT_EQ(Feed(120, InsertMsg("1", "x")).code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Feed(300, CommitMsg(300, 340)).code(), absl::StatusCode::kDataLoss);
  ASSERT_TRUE(Feed(100, BeginMsg(700, 300)).ok());
  EXPECT_THAT(Feed(101, BeginMsg(701, 400)).message(), HasSubstr("Begin inside"));
  EXPECT_THAT(Feed(300, CommitMsg(299, 340)).message(), HasSubstr("does not match"));
}

// Protocol 2 streaming, recorded from PostgreSQL 15 (tools/pgoutput-capture,
// scenario "streaming"): a committed streamed transaction (25 inserts, an
// update, a delete, a message and a truncate, 25 inserts), a streamed one
// rolled back (ids 101-125), and one whose savepoint was rolled back (ids
// 201-225 gone, 200 and 300 kept).
TEST_F(ChangePipelineTest, StreamedTransactionsAreDeliveredWholeAtTheirCommit) {
  absl::StatusOr<pgoutput::CaptureFile> capture =
      pgoutput::ReadCaptureFile(pgoutput::CaptureDir() / "streaming.hex");
  ASSERT_TRUE(capture.ok()) << capture.status();
  config_.protocol_version = capture->options.protocol_version;
  config_.streaming = StreamingMode::kOn;
  auto p = ChangePipeline::Create(config_, nullptr, &sink_);
  ASSERT_TRUE(p.ok()) << p.status();
  pipeline_ = *std::move(p);
  uint64_t lsn = 1000;
  bool buffered_some = false;
  for (const std::vector<uint8_t>& m : capture->messages) {
    ASSERT_TRUE(pipeline_->Handle(Lsn(lsn += 10), m).ok());
    buffered_some |= pipeline_->streamed_bytes() > 0;
  }
  EXPECT_TRUE(buffered_some);
  EXPECT_EQ(pipeline_->streamed_bytes(), 0u);  // Nothing left behind.

  std::vector<std::string> keys;
  int begins = 0, commits = 0;
  for (const std::string& line : sink_.log) {
    begins += line.starts_with("begin ");
    commits += line.starts_with("commit ");
    if (line.starts_with("write shop.public.stream_rows ")) keys.push_back(line.substr(30));
  }
  EXPECT_EQ(begins, 2);
  EXPECT_EQ(commits, 2);
  ASSERT_EQ(keys.size(), 55u);  // 50 inserts, update, delete + tombstone; then 2 inserts.
  EXPECT_EQ(keys[0], "{\"id\":1}");
  EXPECT_EQ(keys[25], "{\"id\":1}");  // The update.
  EXPECT_EQ(keys[26], "{\"id\":2}");  // The delete...
  EXPECT_EQ(keys[27], "{\"id\":2}");  // ...and its tombstone.
  EXPECT_EQ(keys[53], "{\"id\":200}");
  EXPECT_EQ(keys[54], "{\"id\":300}");
  EXPECT_EQ(pipeline_->counters().skipped, 1u);  // The truncate; the message is emitted.
}

Bytes TruncateMsg(std::vector<uint32_t> rels) {
  Bytes b('T');
  b.Int32(static_cast<uint32_t>(rels.size())).Byte(uint8_t{0});
  for (uint32_t r : rels) b.Int32(r);
  return b;
}
Bytes MessageMsg(bool transactional, uint64_t lsn, const char* prefix, const char* content) {
  return std::move(Bytes('M')
                       .Byte(uint8_t{transactional ? uint8_t{1} : uint8_t{0}})
                       .Lsn(lsn)
                       .String(prefix)
                       .Int32(static_cast<uint32_t>(strlen(content)))
                       .Raw(content));
}

class ChangePipelineEventsTest : public ChangePipelineTest {
 protected:
  void Recreate() {
    auto p = ChangePipeline::Create(config_, nullptr, &sink_);
    ASSERT_TRUE(p.ok()) << p.status();
    pipeline_ = *std::move(p);
  }
};

TEST_F(ChangePipelineEventsTest, TruncateIsSkippedByDefault) {
  ASSERT_TRUE(Feed(100, BeginMsg(700, 300)).ok());
  ASSERT_TRUE(Feed(110, RelationMsg("public", "orders")).ok());
  ASSERT_TRUE(Feed(120, TruncateMsg({kRel})).ok());
  ASSERT_TRUE(Feed(300, CommitMsg(300, 340)).ok());
  EXPECT_TRUE(sink_.log.empty());
  EXPECT_EQ(pipeline_->counters().skipped, 1u);
}

TEST_F(ChangePipelineEventsTest, TruncateGivesOneEventPerIncludedTable) {
  config_.skip_truncates = false;
  config_.table_exclude_list = {"public\\.audit"};
  Recreate();
  ASSERT_TRUE(Feed(100, BeginMsg(700, 300)).ok());
  ASSERT_TRUE(Feed(110, RelationMsg("public", "orders")).ok());
  ASSERT_TRUE(Feed(111, RelationMsg("public", "audit", kRel + 1)).ok());
  ASSERT_TRUE(Feed(112, RelationMsg("public", "lines", kRel + 2)).ok());
  ASSERT_TRUE(Feed(120, TruncateMsg({kRel, kRel + 1, kRel + 2})).ok());
  ASSERT_TRUE(Feed(300, CommitMsg(300, 340)).ok());
  EXPECT_THAT(sink_.log, ::testing::ElementsAre("begin 700", "write shop.public.orders null",
                                                "write shop.public.lines null", "commit 0/154"));
  EXPECT_EQ(pipeline_->counters().skipped, 1u);
}

TEST_F(ChangePipelineEventsTest, SkippedOperationsDropRowEvents) {
  config_.skip_creates = true;
  Recreate();
  ASSERT_TRUE(Feed(100, BeginMsg(700, 300)).ok());
  ASSERT_TRUE(Feed(110, RelationMsg("public", "orders")).ok());
  ASSERT_TRUE(Feed(120, InsertMsg("1", "ada")).ok());
  ASSERT_TRUE(Feed(300, CommitMsg(300, 340)).ok());
  EXPECT_TRUE(sink_.log.empty());
  EXPECT_EQ(pipeline_->counters().skipped, 1u);
}

TEST_F(ChangePipelineEventsTest, TransactionMetadataWrapsEveryTransaction) {
  config_.provide_transaction_metadata = true;
  Recreate();
  ASSERT_TRUE(Feed(100, BeginMsg(700, 300)).ok());
  ASSERT_TRUE(Feed(110, RelationMsg("public", "orders")).ok());
  ASSERT_TRUE(Feed(120, InsertMsg("1", "ada")).ok());
  ASSERT_TRUE(Feed(130, InsertMsg("2", "bo")).ok());
  ASSERT_TRUE(Feed(300, CommitMsg(300, 340)).ok());
  // A transaction without captured changes still gets BEGIN and END.
  ASSERT_TRUE(Feed(400, BeginMsg(701, 500)).ok());
  ASSERT_TRUE(Feed(500, CommitMsg(500, 540)).ok());
  EXPECT_THAT(sink_.log,
              ::testing::ElementsAre(
                  "begin 700", "write shop.transaction {\"id\":\"700:100\"}",
                  "write shop.public.orders {\"id\":1}", "write shop.public.orders {\"id\":2}",
                  "write shop.transaction {\"id\":\"700:300\"}", "commit 0/154", "begin 701",
                  "write shop.transaction {\"id\":\"701:400\"}",
                  "write shop.transaction {\"id\":\"701:500\"}", "commit 0/21C"));
}

TEST_F(ChangePipelineEventsTest, NonTransactionalMessageIsATransactionOfItsOwn) {
  ASSERT_TRUE(Feed(200, MessageMsg(false, 200, "audit", "x")).ok());
  EXPECT_THAT(sink_.log, ::testing::ElementsAre("begin 0", "write shop.message {\"prefix\":\"audit\"}",
                                                "commit 0/C8"));
  EXPECT_EQ(pipeline_->last_delivered_end(), Lsn(200));
  EXPECT_EQ(pipeline_->last_seen_end(), Lsn(200));
  EXPECT_FALSE(pipeline_->sink_transaction_open());
}

TEST_F(ChangePipelineTest, HeartbeatIsASinkTransactionOfItsOwn) {
  ASSERT_TRUE(Feed(100, BeginMsg(700, 300)).ok());
  ASSERT_TRUE(Feed(110, RelationMsg("public", "orders")).ok());
  ASSERT_TRUE(Feed(120, InsertMsg("1", "ada")).ok());
  // Never inside a transaction, whether its sink transaction is open or not.
  EXPECT_EQ(pipeline_->Heartbeat(Lsn(340), 1795653789040).code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Feed(300, CommitMsg(300, 340)).ok());
  ASSERT_TRUE(pipeline_->Heartbeat(Lsn(400), 1795653789040).ok());
  EXPECT_THAT(sink_.log, ::testing::ElementsAre(
                             "begin 700", "write shop.public.orders {\"id\":1}", "commit 0/154",
                             "begin 0", "write __debezium-heartbeat.shop {\"serverName\":\"shop\"}",
                             "commit 0/190"));
  EXPECT_EQ(pipeline_->last_delivered_end(), Lsn(400));
  EXPECT_EQ(pipeline_->counters().heartbeats, 1u);
  EXPECT_EQ(pipeline_->counters().transactions, 1u);
  EXPECT_EQ(pipeline_->counters().events, 1u);
  EXPECT_FALSE(pipeline_->sink_transaction_open());
}

TEST_F(ChangePipelineEventsTest, TransactionalMessageStaysInItsTransaction) {
  config_.message_prefix_exclude_list = {"secret.*"};
  Recreate();
  ASSERT_TRUE(Feed(100, BeginMsg(700, 300)).ok());
  ASSERT_TRUE(Feed(120, MessageMsg(true, 120, "audit", "x")).ok());
  ASSERT_TRUE(Feed(130, MessageMsg(true, 130, "secret-1", "x")).ok());
  ASSERT_TRUE(Feed(300, CommitMsg(300, 340)).ok());
  EXPECT_THAT(sink_.log, ::testing::ElementsAre("begin 700",
                                                "write shop.message {\"prefix\":\"audit\"}",
                                                "commit 0/154"));
  EXPECT_EQ(pipeline_->counters().skipped, 1u);
}

// Keeps the values written, for tests that look inside records.
class ValueSink : public LogSink {
 public:
  absl::Status Write(const Record& r) override {
    values.push_back(r.value ? std::string(*r.value) : "null");
    return LogSink::Write(r);
  }
  std::vector<std::string> values;
};

TEST(ChangePipelineColumnsTest, ExcludedColumnsAreLeftOutOfSchemasAndValues) {
  ConnectorConfig config;
  config.topic_prefix = "shop";
  config.dbname = "db";
  config.key_schemas_enable = false;
  config.value_schemas_enable = true;
  config.column_exclude_list = {"public\\.orders\\.name"};
  ValueSink sink;
  auto p = ChangePipeline::Create(config, nullptr, &sink);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE((*p)->Handle(Lsn(100), BeginMsg(700, 300)).ok());
  ASSERT_TRUE((*p)->Handle(Lsn(110), RelationMsg("public", "orders")).ok());
  ASSERT_TRUE((*p)->Handle(Lsn(120), InsertMsg("1", "secret")).ok());
  ASSERT_TRUE((*p)->Handle(Lsn(300), CommitMsg(300, 340)).ok());
  ASSERT_EQ(sink.values.size(), 1u);
  EXPECT_THAT(sink.values[0], HasSubstr(R"("after":{"id":1},)"));
  EXPECT_THAT(sink.values[0],
              HasSubstr(R"("fields":[{"type":"int64","optional":true,"field":"id"}],)"
                        R"("optional":true,"name":"shop.public.orders.Value")"));
  EXPECT_THAT(sink.values[0], ::testing::Not(HasSubstr("secret")));
}

// Debezium's TableSchemaBuilder filters only the value's fields: a key column
// left out by column.include.list stays in the key, optional (the catalog
// look-up skips left-out columns, so their NOT NULL is unknown).
TEST(ChangePipelineColumnsTest, KeyColumnLeftOutOfTheValueStaysInTheKey) {
  ConnectorConfig config;
  config.topic_prefix = "shop";
  config.dbname = "db";
  config.key_schemas_enable = true;
  config.value_schemas_enable = false;
  config.column_include_list = {"public\\.orders\\.name"};
  ValueSink sink;
  auto p = ChangePipeline::Create(config, nullptr, &sink);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE((*p)->Handle(Lsn(100), BeginMsg(700, 300)).ok());
  ASSERT_TRUE((*p)->Handle(Lsn(110), RelationMsg("public", "orders")).ok());
  ASSERT_TRUE((*p)->Handle(Lsn(120), InsertMsg("1", "ada")).ok());
  ASSERT_TRUE((*p)->Handle(Lsn(300), CommitMsg(300, 340)).ok());
  ASSERT_EQ(sink.values.size(), 1u);
  EXPECT_THAT(sink.values[0], HasSubstr(R"({"before":null,"after":{"name":"ada"},)"));
  EXPECT_THAT(sink.log[1],
              HasSubstr(R"({"schema":{"type":"struct","fields":[{"type":"int64","optional":true,)"
                        R"("field":"id"}],"optional":false,"name":"shop.public.orders.Key"},)"
                        R"("payload":{"id":1}})"));
}

}  // namespace
}  // namespace trackops::engine
