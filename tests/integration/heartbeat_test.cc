// Heartbeats (heartbeat.interval.ms, heartbeat.action.query) from the engine
// in-process against a real PostgreSQL 15.

#include <algorithm>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "integration/engine_runner.h"
#include "integration/recording_sink.h"
#include "integration/test_support.h"
#include "trackops/engine.h"

namespace trackops::testing {
namespace {

constexpr char kTopic[] = "__debezium-heartbeat.shop";

bool IsHeartbeat(const StoredRecord& r) { return r.topic == kTopic; }

size_t CountHeartbeats(const std::vector<StoredRecord>& records) {
  return static_cast<size_t>(std::count_if(records.begin(), records.end(), IsHeartbeat));
}

class HeartbeatTest : public PgDatabaseTest {
 protected:

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(PgDatabaseTest::SetUp());
    ASSERT_TRUE(Sql("CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL)").ok());
    // Written by heartbeat.action.query; not captured (table.exclude.list).
    ASSERT_TRUE(Sql("CREATE TABLE heartbeat_log (id serial PRIMARY KEY, "
                    "at timestamptz NOT NULL DEFAULT now())")
                    .ok());
  }

  void TearDown() override { StopEngine(); }


  int64_t Count(const std::string& table) const {
    auto value = server_->QueryValue(absl::StrCat("SELECT count(*) FROM ", table), db_);
    int64_t n = -1;
    if (!value.ok() || !absl::SimpleAtoi(*value, &n)) return -1;
    return n;
  }

  // Schemas off, heartbeats every `interval_ms`, heartbeat_log not captured.
  Config MakeConfig(int interval_ms, const std::string& extra = "") const {
    return BaseConfig(*server_, db_,
                      absl::StrCat("debezium.format.key.schemas.enable=false\n"
                                   "debezium.format.value.schemas.enable=false\n"
                                   "debezium.source.table.exclude.list=public\\\\.heartbeat_log\n"
                                   "debezium.source.heartbeat.interval.ms=",
                                   interval_ms, "\n", extra));
  }

  void StartEngine(const Config& config) {
    runner_.Start(config, &sink_);
    // Streaming has begun once the slot is active.
    ASSERT_TRUE(WaitUntil([&] { return !runner_.running() || SlotActive(*server_, db_); }));
    ASSERT_TRUE(runner_.running()) << runner_.status();
  }

  // Stops the engine; its stats stay readable.
  void StopEngine() { runner_.Stop(); }

  RecordingSink sink_;
  EngineRunner runner_;  // After the sink, so that it stops first.
};

TEST_F(HeartbeatTest, ActionQueryRunsAndHeartbeatsComeWhileNothingIsCaptured) {
  const int64_t start_ms = absl::ToUnixMillis(absl::Now());
  StartEngine(MakeConfig(100, "debezium.source.heartbeat.action.query="
                              "INSERT INTO heartbeat_log DEFAULT VALUES\n"));

  // The action query runs at every heartbeat: its table keeps growing.
  ASSERT_TRUE(WaitUntil([&] { return Count("heartbeat_log") >= 3; })) << Count("heartbeat_log");
  const int64_t seen = Count("heartbeat_log");
  ASSERT_TRUE(WaitUntil([&] { return Count("heartbeat_log") >= seen + 3; }));
  ASSERT_TRUE(sink_.WaitFor([](const auto& r) { return CountHeartbeats(r) >= 3; }));
  StopEngine();

  // Only heartbeats: nothing was captured (heartbeat_log is excluded).
  std::vector<StoredRecord> records = sink_.records();
  ASSERT_GE(records.size(), 3u);
  const int64_t end_ms = absl::ToUnixMillis(absl::Now());
  for (const StoredRecord& r : records) {
    ASSERT_EQ(r.topic, kTopic);
    EXPECT_EQ(r.key, R"({"serverName":"shop"})");
    ASSERT_TRUE(r.value.has_value());
    Json value = Json::Parse(*r.value);
    EXPECT_GE(value.Get("ts_ms").AsInt(), start_ms);
    EXPECT_LE(value.Get("ts_ms").AsInt(), end_ms);
    EXPECT_TRUE(r.headers.empty());
  }
  // Each heartbeat is a sink transaction of its own at a position that never
  // goes back; the action query's rows are committed after the record.
  std::vector<TransactionInfo> txns = sink_.transactions();
  ASSERT_EQ(txns.size(), records.size());
  for (size_t i = 0; i < txns.size(); ++i) {
    EXPECT_EQ(txns[i].xid, Xid());
    EXPECT_TRUE(txns[i].end_lsn.is_valid());
    EXPECT_EQ(txns[i].commit_lsn, txns[i].end_lsn);
    if (i > 0) {
      EXPECT_GE(txns[i].end_lsn, txns[i - 1].end_lsn);
    }
  }
  EXPECT_GE(Count("heartbeat_log"), static_cast<int64_t>(records.size()));
  EXPECT_EQ(runner_.engine()->stats().heartbeats, records.size());
  EXPECT_EQ(runner_.engine()->stats().heartbeat_action_errors, 0u);
}

TEST_F(HeartbeatTest, StatsCountHeartbeatsAndActionErrorsAreNotFatal) {
  StartEngine(MakeConfig(50, "debezium.source.heartbeat.action.query="
                             "INSERT INTO no_such_table DEFAULT VALUES\n"));
  ASSERT_TRUE(WaitUntil([&] { return runner_.engine()->stats().heartbeat_action_errors >= 3; }))
      << runner_.engine()->stats().heartbeat_action_errors;
  // Still streaming: changes and heartbeats keep coming.
  ASSERT_TRUE(Sql("INSERT INTO orders VALUES (1, 'after errors')").ok());
  ASSERT_TRUE(sink_.WaitFor([](const std::vector<StoredRecord>& r) {
    return std::any_of(r.begin(), r.end(),
                       [](const StoredRecord& s) { return s.topic == "shop.public.orders"; });
  }));
  const uint64_t beats = runner_.engine()->stats().heartbeats;
  ASSERT_TRUE(WaitUntil([&] { return runner_.engine()->stats().heartbeats >= beats + 2; }));
  EXPECT_TRUE(runner_.running());
  StopEngine();
  EXPECT_EQ(runner_.engine()->stats().heartbeats, CountHeartbeats(sink_.records()));
}

TEST_F(HeartbeatTest, HeartbeatsAreNeverInsideATransaction) {
  // Heartbeats due far more often than a transaction of many rows takes to
  // come through: they must still fall between transactions.
  StartEngine(MakeConfig(5));
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Sql(absl::StrCat("INSERT INTO orders SELECT g, 'bulk' FROM generate_series(",
                                 i * 2000 + 1, ", ", (i + 1) * 2000, ") g"))
                    .ok());
  }
  // (The size check first: the condition is evaluated at every record.)
  ASSERT_TRUE(sink_.WaitFor([](const std::vector<StoredRecord>& r) {
    return r.size() >= 10000 && r.size() - CountHeartbeats(r) >= 10000;
  })) << sink_.records().size();
  ASSERT_TRUE(sink_.WaitFor([](const auto& r) { return !r.empty() && IsHeartbeat(r.back()); }));
  StopEngine();

  std::vector<StoredRecord> records = sink_.records();
  size_t i = 0;
  int transactions = 0;
  while (i < records.size()) {
    if (IsHeartbeat(records[i])) {
      EXPECT_EQ(records[i].xid, Xid()) << "record " << i;
      ++i;
      continue;
    }
    // A PostgreSQL transaction: 2000 rows in a row, no heartbeat among them.
    const Xid xid = records[i].xid;
    EXPECT_NE(xid, Xid());
    size_t rows = 0;
    while (i < records.size() && records[i].xid == xid) {
      EXPECT_EQ(records[i].topic, "shop.public.orders") << "record " << i;
      ++rows;
      ++i;
    }
    EXPECT_EQ(rows, 2000u);
    ++transactions;
  }
  EXPECT_EQ(transactions, 5);
  EXPECT_GT(CountHeartbeats(records), 1u);
  // Sink transactions never go back in position, heartbeats included.
  std::vector<TransactionInfo> txns = sink_.transactions();
  for (size_t t = 1; t < txns.size(); ++t) {
    EXPECT_GE(txns[t].end_lsn, txns[t - 1].end_lsn);
  }
}

TEST_F(HeartbeatTest, CustomTopicPrefix) {
  StartEngine(MakeConfig(50, "debezium.source.topic.heartbeat.prefix=beats\n"));
  ASSERT_TRUE(sink_.WaitForCount(1));
  StopEngine();
  std::vector<StoredRecord> records = sink_.records();
  ASSERT_FALSE(records.empty());
  for (const StoredRecord& r : records) EXPECT_EQ(r.topic, "beats.shop");
}

}  // namespace
}  // namespace trackops::testing
