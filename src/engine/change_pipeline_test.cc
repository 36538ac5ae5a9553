#include "engine/change_pipeline.h"

#include <stdlib.h>

#include <filesystem>
#include <regex>

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

// Everything a record carries, but the processing time at the end of the
// value and the run id header (each pipeline has its own).
class RecordSink : public Sink {
 public:
  absl::Status BeginTransaction(const TransactionInfo& t) override {
    log.push_back(absl::StrCat("begin ", t.xid.value(), " ", t.commit_lsn.ToString()));
    return absl::OkStatus();
  }
  absl::Status Write(const Record& r) override {
    // Change events end with it; message events have it after "op".
    static const std::regex kEnvelopeTime("\"ts_ms\":\\d+,\"ts_us\":\\d+,\"ts_ns\":\\d+(\\}+)$");
    static const std::regex kMessageTime("(\"op\":\"m\",)\"ts_ms\":\\d+");
    std::string value = "null";
    if (r.value) {
      value = std::regex_replace(std::string(*r.value), kEnvelopeTime, "\"ts\":T$1");
      value = std::regex_replace(value, kMessageTime, "$1\"ts\":T");
    }
    std::string line = "write " + std::string(r.topic) + " lsn " + std::to_string(r.lsn.value()) +
                       " key " + (r.key ? std::string(*r.key) : "null") + " value " + value;
    for (const Header& h : r.headers) {
      if (!h.key.ends_with("runId")) line += " " + std::string(h.key) + "=" + std::string(h.value);
    }
    log.push_back(std::move(line));
    return absl::OkStatus();
  }
  absl::Status CommitTransaction(const TransactionInfo& t) override {
    log.push_back(absl::StrCat("commit ", t.end_lsn.ToString()));
    return absl::OkStatus();
  }
  absl::Status Flush() override { return absl::OkStatus(); }
  Lsn DurableLsn() const override { return Lsn(); }
  std::vector<std::string> log;
};

// Descriptors this process has open (entries of /proc/self/fd).
size_t OpenFiles() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

// Runs the capture `name` through a pipeline and returns what its sink got.
struct CaptureRun {
  std::vector<std::string> log;
  PipelineCounters counters;
  size_t max_spill_files = 0;
  uint64_t max_memory_bytes = 0;
  uint64_t streamed_bytes_after = 0;
  size_t spill_files_after = 0;
};
CaptureRun RunCapture(const char* name, ConnectorConfig config) {
  CaptureRun run;
  absl::StatusOr<pgoutput::CaptureFile> capture =
      pgoutput::ReadCaptureFile(pgoutput::CaptureDir() / name);
  EXPECT_TRUE(capture.ok()) << capture.status();
  if (!capture.ok()) return run;
  config.protocol_version = capture->options.protocol_version;
  config.streaming = StreamingMode::kOn;
  RecordSink sink;
  auto pipeline = ChangePipeline::Create(config, nullptr, &sink);
  EXPECT_TRUE(pipeline.ok()) << pipeline.status();
  if (!pipeline.ok()) return run;
  uint64_t lsn = 1000;
  for (const std::vector<uint8_t>& m : capture->messages) {
    absl::Status s = (*pipeline)->Handle(Lsn(lsn += 10), m);
    EXPECT_TRUE(s.ok()) << s;
    if (!s.ok()) break;
    run.max_spill_files = std::max(run.max_spill_files, (*pipeline)->spill_files());
    run.max_memory_bytes = std::max(run.max_memory_bytes, (*pipeline)->streamed_memory_bytes());
  }
  run.log = std::move(sink.log);
  run.counters = (*pipeline)->counters();
  run.streamed_bytes_after = (*pipeline)->streamed_bytes();
  run.spill_files_after = (*pipeline)->spill_files();
  return run;
}

// The first line where two sink logs differ, to keep failures readable.
void ExpectSameLog(const std::vector<std::string>& actual,
                   const std::vector<std::string>& expected) {
  for (size_t i = 0; i < std::min(actual.size(), expected.size()); ++i) {
    ASSERT_EQ(actual[i], expected[i]) << "line " << i;
  }
  EXPECT_EQ(actual.size(), expected.size());
}

TEST_F(ChangePipelineTest, SpilledStreamedTransactionsGiveTheSameRecords) {
  for (bool metadata : {false, true}) {
    SCOPED_TRACE(metadata ? "with transaction metadata" : "without transaction metadata");
    ConnectorConfig config = config_;
    config.provide_transaction_metadata = metadata;
    config.value_schemas_enable = metadata;
    const size_t files_before = OpenFiles();
    CaptureRun in_memory = RunCapture("streaming.hex", config);
    ASSERT_GT(in_memory.log.size(), 50u);
    EXPECT_EQ(in_memory.counters.spilled_transactions, 0u);
    EXPECT_GT(in_memory.max_memory_bytes, 0u);

    config.streaming_memory_bytes = 1;  // Every streamed change spills.
    CaptureRun spilled = RunCapture("streaming.hex", config);
    ExpectSameLog(spilled.log, in_memory.log);
    // The committed one, the rolled-back one, the one with a savepoint.
    EXPECT_EQ(spilled.counters.spilled_transactions, 3u);
    EXPECT_GT(spilled.counters.spilled_bytes, 0u);
    EXPECT_EQ(spilled.max_memory_bytes, 0u);
    EXPECT_GE(spilled.max_spill_files, 1u);
    EXPECT_EQ(spilled.streamed_bytes_after, 0u);
    EXPECT_EQ(spilled.spill_files_after, 0u);

    // Some in memory, some spilled.
    config.streaming_memory_bytes = 2000;
    CaptureRun mixed = RunCapture("streaming.hex", config);
    ExpectSameLog(mixed.log, in_memory.log);
    EXPECT_GE(mixed.counters.spilled_transactions, 1u);
    EXPECT_LE(mixed.max_memory_bytes, 2000u);
    EXPECT_GT(mixed.max_memory_bytes, 0u);

    EXPECT_EQ(OpenFiles(), files_before);  // Every spill file closed.
  }
}

// Streamed messages of protocol 2, built by hand.
Bytes StreamStartMsg(uint32_t xid) { return std::move(Bytes('S').Int32(xid).Byte(uint8_t{1})); }
Bytes StreamStopMsg() { return Bytes('E'); }
Bytes StreamRelationMsg(uint32_t xid) {
  Bytes b = RelationMsg("public", "orders");
  Bytes out('R');
  out.Int32(xid);
  out.Raw(std::string_view(reinterpret_cast<const char*>(b.data().data()) + 1,
                           b.data().size() - 1));
  return out;
}
Bytes StreamInsertMsg(uint32_t subxid, const char* id, const std::string& name) {
  return std::move(Bytes('I').Int32(subxid).Int32(kRel).Byte('N').Int16(2).Text(id).Text(name));
}
Bytes StreamAbortMsg(uint32_t xid, uint32_t subxid) {
  return std::move(Bytes('A').Int32(xid).Int32(subxid));
}
Bytes StreamCommitMsg(uint32_t xid, uint64_t commit_lsn, uint64_t end_lsn) {
  return std::move(Bytes('c').Int32(xid).Byte(uint8_t{0}).Lsn(commit_lsn).Lsn(end_lsn).Timestamp(
      1764000000000000));
}

class ChangePipelineSpillTest : public ChangePipelineTest {
 protected:
  void SetUp() override {
    config_.topic_prefix = "shop";
    config_.dbname = "db";
    config_.key_schemas_enable = false;
    config_.value_schemas_enable = false;
    config_.protocol_version = 2;
    config_.streaming = StreamingMode::kOn;
    std::string pattern =
        (std::filesystem::temp_directory_path() / "spill-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    config_.streaming_spill_directory = dir_;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Recreate() {
    auto p = ChangePipeline::Create(config_, nullptr, &sink_);
    ASSERT_TRUE(p.ok()) << p.status();
    pipeline_ = *std::move(p);
  }
  // Feeds one streamed block of `xid`.
  void Block(uint32_t xid, uint64_t* lsn, const std::vector<Bytes>& changes) {
    ASSERT_TRUE(Feed(*lsn += 10, StreamStartMsg(xid)).ok());
    for (const Bytes& b : changes) ASSERT_TRUE(Feed(*lsn += 10, b).ok());
    ASSERT_TRUE(Feed(*lsn += 10, StreamStopMsg()).ok());
  }
  std::vector<std::string> Keys() const {
    std::vector<std::string> keys;
    for (const std::string& line : sink_.log) {
      if (line.starts_with("write ")) keys.push_back(line.substr(line.find('{')));
    }
    return keys;
  }

  std::string dir_;
};

TEST_F(ChangePipelineSpillTest, SubtransactionAbortDropsExactlyItsChangesWhenSpilled) {
  config_.streaming_memory_bytes = 1;
  Recreate();
  const size_t files_before = OpenFiles();
  uint64_t lsn = 1000;
  const std::string name(500, 'x');
  // xid 900 with subtransactions 901 (rolled back) and 902 (kept).
  Block(900, &lsn, {StreamRelationMsg(900), StreamInsertMsg(900, "1", name),
                    StreamInsertMsg(901, "2", name)});
  EXPECT_EQ(pipeline_->spill_files(), 1u);
  EXPECT_EQ(OpenFiles(), files_before + 1);
  Block(900, &lsn, {StreamInsertMsg(901, "3", name), StreamInsertMsg(902, "4", name)});
  ASSERT_TRUE(Feed(lsn += 10, StreamAbortMsg(900, 901)).ok());
  Block(900, &lsn, {StreamInsertMsg(900, "5", name)});
  EXPECT_EQ(pipeline_->streamed_memory_bytes(), 0u);
  EXPECT_GT(pipeline_->streamed_bytes(), 2000u);
  ASSERT_TRUE(Feed(lsn += 10, StreamCommitMsg(900, 5000, 5040)).ok());
  EXPECT_THAT(Keys(), ::testing::ElementsAre("{\"id\":1}", "{\"id\":4}", "{\"id\":5}"));
  EXPECT_EQ(sink_.log.front(), "begin 900");
  EXPECT_EQ(sink_.log.back(), "commit 0/13B0");
  EXPECT_EQ(pipeline_->counters().spilled_transactions, 1u);
  EXPECT_EQ(pipeline_->spill_files(), 0u);
  EXPECT_EQ(pipeline_->streamed_bytes(), 0u);
  EXPECT_EQ(OpenFiles(), files_before);
  EXPECT_TRUE(std::filesystem::is_empty(dir_));
}

TEST_F(ChangePipelineSpillTest, WholeAbortClosesTheSpillFile) {
  config_.streaming_memory_bytes = 1;
  Recreate();
  const size_t files_before = OpenFiles();
  uint64_t lsn = 1000;
  Block(900, &lsn, {StreamRelationMsg(900), StreamInsertMsg(900, "1", "a")});
  Block(910, &lsn, {StreamRelationMsg(910), StreamInsertMsg(910, "2", "b")});
  EXPECT_EQ(pipeline_->spill_files(), 2u);
  EXPECT_EQ(OpenFiles(), files_before + 2);
  EXPECT_TRUE(std::filesystem::is_empty(dir_));  // Unnamed from the start.
  ASSERT_TRUE(Feed(lsn += 10, StreamAbortMsg(900, 900)).ok());
  EXPECT_EQ(pipeline_->spill_files(), 1u);
  EXPECT_EQ(OpenFiles(), files_before + 1);
  ASSERT_TRUE(Feed(lsn += 10, StreamCommitMsg(910, 5000, 5040)).ok());
  EXPECT_THAT(Keys(), ::testing::ElementsAre("{\"id\":2}"));
  EXPECT_EQ(pipeline_->spill_files(), 0u);
  EXPECT_EQ(pipeline_->streamed_bytes(), 0u);
  EXPECT_EQ(OpenFiles(), files_before);
  EXPECT_EQ(pipeline_->counters().spilled_transactions, 2u);
}

TEST_F(ChangePipelineSpillTest, TheLargestTransactionSpillsFirst) {
  // Room for a few small changes: the big transaction goes to disk, the
  // small one stays in memory.
  config_.streaming_memory_bytes = 3000;
  Recreate();
  uint64_t lsn = 1000;
  Block(900, &lsn, {StreamRelationMsg(900), StreamInsertMsg(900, "1", std::string(2000, 'b'))});
  Block(910, &lsn, {StreamRelationMsg(910), StreamInsertMsg(910, "2", "s")});
  EXPECT_EQ(pipeline_->spill_files(), 0u);
  Block(910, &lsn, {StreamInsertMsg(910, "3", std::string(900, 's'))});
  EXPECT_EQ(pipeline_->spill_files(), 1u);  // 900's, not 910's.
  EXPECT_EQ(pipeline_->counters().spilled_transactions, 1u);
  EXPECT_GT(pipeline_->streamed_memory_bytes(), 900u);
  EXPECT_LE(pipeline_->streamed_memory_bytes(), 3000u);
  ASSERT_TRUE(Feed(lsn += 10, StreamCommitMsg(910, 5000, 5040)).ok());
  ASSERT_TRUE(Feed(lsn += 10, StreamCommitMsg(900, 6000, 6040)).ok());
  EXPECT_THAT(Keys(), ::testing::ElementsAre("{\"id\":2}", "{\"id\":3}", "{\"id\":1}"));
  EXPECT_EQ(pipeline_->streamed_memory_bytes(), 0u);
  EXPECT_EQ(pipeline_->spill_files(), 0u);
}

TEST_F(ChangePipelineSpillTest, UnwritableSpillDirectoryIsAClearError) {
  config_.streaming_spill_directory = "/proc";  // Not writable, even for root.
  auto p = ChangePipeline::Create(config_, nullptr, &sink_);
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status().message(), HasSubstr("trackops.pgoutput.streaming.spill.directory"));
  EXPECT_THAT(p.status().message(), HasSubstr("/proc is not writable"));

  config_.streaming_spill_directory = dir_ + "/missing";
  p = ChangePipeline::Create(config_, nullptr, &sink_);
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(p.status().message(), HasSubstr("No such file or directory"));

  // Without streaming, no spill file is ever made: not checked.
  config_.streaming = StreamingMode::kOff;
  EXPECT_TRUE(ChangePipeline::Create(config_, nullptr, &sink_).ok());
}

TEST_F(ChangePipelineSpillTest, SpillDirectoryGoneLaterStopsThePipeline) {
  config_.streaming_memory_bytes = 100;
  Recreate();
  std::filesystem::remove_all(dir_);
  uint64_t lsn = 1000;
  ASSERT_TRUE(Feed(lsn += 10, StreamStartMsg(900)).ok());
  ASSERT_TRUE(Feed(lsn += 10, StreamRelationMsg(900)).ok());
  absl::Status s = Feed(lsn += 10, StreamInsertMsg(900, "1", std::string(200, 'x')));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr(dir_));
  EXPECT_THAT(s.message(), HasSubstr("No such file or directory"));
  // Never a change lost: every later message gets the error too.
  EXPECT_EQ(Feed(lsn += 10, StreamStopMsg()), s);
  EXPECT_EQ(Feed(lsn += 10, StreamCommitMsg(900, 5000, 5040)), s);
  EXPECT_TRUE(sink_.log.empty());
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
