// The engine in-process against a real PostgreSQL 15: row changes come out as
// Debezium records, whole transactions in commit order.

#include <signal.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

#include "absl/strings/numbers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "integration/engine_runner.h"
#include "integration/recording_sink.h"
#include "integration/test_support.h"
#include "trackops/engine.h"

namespace trackops::testing {
namespace {

using ::testing::HasSubstr;

class StreamingTest : public PgDatabaseTest {
 protected:
  static void SetUpTestSuite() {
    // Small, so that transactions of a few hundred rows are streamed to a
    // connector that asks for streaming (others spill to disk instead).
    PgServerOptions options;
    options.settings["logical_decoding_work_mem"] = "64kB";
    StartServer(options);
  }

  void SetUp() override {
    // Each test gets its own database, slot and publication.
    ASSERT_NO_FATAL_FAILURE(PgDatabaseTest::SetUp());
    ASSERT_TRUE(Sql("CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, "
                    "amount numeric(12,2), status varchar(20), created timestamptz, "
                    "paid boolean, ref uuid, meta jsonb)")
                    .ok());
  }

  void TearDown() override {
    StopEngine();
  }

  Config MakeConfig(const std::string& extra = "") const {
    return BaseConfig(*server_, db_, extra);
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

TEST_F(StreamingTest, InsertUpdateDelete) {
  StartEngine(MakeConfig("debezium.format.value.schemas.enable=false\n"
                         "debezium.format.key.schemas.enable=false\n"));
  ASSERT_TRUE(Sql("INSERT INTO orders VALUES (1, 'ada', 12.50, 'new', "
                  "'2026-11-25 10:00:00.123456+00', true, "
                  "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"k\": [1, 2]}')")
                  .ok());
  ASSERT_TRUE(Sql("UPDATE orders SET status = 'paid' WHERE id = 1").ok());
  ASSERT_TRUE(Sql("DELETE FROM orders WHERE id = 1").ok());
  ASSERT_TRUE(sink_.WaitForCount(4));
  std::vector<StoredRecord> r = sink_.records();
  ASSERT_EQ(r.size(), 4u);

  for (const StoredRecord& rec : r) EXPECT_EQ(rec.topic, "shop.public.orders");
  EXPECT_EQ(*r[0].key, "{\"id\":1}");
  Json insert = Json::Parse(*r[0].value);
  EXPECT_EQ(insert.Get("op").AsString(), "c");
  EXPECT_TRUE(insert.Get("before").IsNull());
  EXPECT_EQ(insert.Get("after").Get("id").AsInt(), 1);
  EXPECT_EQ(insert.Get("after").Get("customer").AsString(), "ada");
  EXPECT_EQ(insert.Get("after").Get("status").AsString(), "new");
  EXPECT_EQ(insert.Get("after").Get("created").AsString(), "2026-11-25T10:00:00.123456Z");
  EXPECT_TRUE(insert.Get("after").Get("paid").AsBool());
  EXPECT_EQ(insert.Get("after").Get("ref").AsString(), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  EXPECT_EQ(insert.Get("after").Get("meta").AsString(), "{\"k\": [1, 2]}");
  // numeric(12,2) 12.50 in precise mode: unscaled 1250 = 0x04E2, base64 "BOI=".
  EXPECT_EQ(insert.Get("after").Get("amount").AsString(), "BOI=");
  Json source = insert.Get("source");
  EXPECT_EQ(source.Get("connector").AsString(), "postgresql");
  EXPECT_EQ(source.Get("name").AsString(), "shop");
  EXPECT_EQ(source.Get("db").AsString(), db_);
  EXPECT_EQ(source.Get("schema").AsString(), "public");
  EXPECT_EQ(source.Get("table").AsString(), "orders");
  EXPECT_EQ(static_cast<uint32_t>(source.Get("txId").AsInt()), r[0].xid.value());
  EXPECT_GT(source.Get("lsn").AsInt(), 0);

  Json update = Json::Parse(*r[1].value);
  EXPECT_EQ(update.Get("op").AsString(), "u");
  EXPECT_TRUE(update.Get("before").IsNull());  // REPLICA IDENTITY DEFAULT.
  EXPECT_EQ(update.Get("after").Get("status").AsString(), "paid");

  EXPECT_EQ(*r[2].key, "{\"id\":1}");
  Json del = Json::Parse(*r[2].value);
  EXPECT_EQ(del.Get("op").AsString(), "d");
  EXPECT_TRUE(del.Get("after").IsNull());
  EXPECT_EQ(del.Get("before").Get("id").AsInt(), 1);

  // The tombstone: same key, null value.
  EXPECT_EQ(*r[3].key, "{\"id\":1}");
  EXPECT_FALSE(r[3].value.has_value());
}

TEST_F(StreamingTest, SchemasEnabledWrapsSchemaAndPayload) {
  StartEngine(MakeConfig());
  ASSERT_TRUE(Sql("INSERT INTO orders (id, customer) VALUES (7, 'bo')").ok());
  ASSERT_TRUE(sink_.WaitForCount(1));
  std::vector<StoredRecord> r = sink_.records();
  Json key = Json::Parse(*r[0].key);
  EXPECT_EQ(key.Get("schema").Get("name").AsString(), "shop.public.orders.Key");
  EXPECT_EQ(key.Get("payload").Get("id").AsInt(), 7);
  Json value = Json::Parse(*r[0].value);
  EXPECT_EQ(value.Get("schema").Get("name").AsString(), "shop.public.orders.Envelope");
  EXPECT_EQ(value.Get("payload").Get("op").AsString(), "c");
  EXPECT_EQ(value.Get("payload").Get("after").Get("customer").AsString(), "bo");
}

TEST_F(StreamingTest, MultiStatementTransactionIsOneSinkTransaction) {
  StartEngine(MakeConfig("debezium.format.value.schemas.enable=false\n"));
  ASSERT_TRUE(Sql("BEGIN; INSERT INTO orders (id, customer) VALUES (1, 'a'); "
                  "INSERT INTO orders (id, customer) VALUES (2, 'b'); "
                  "UPDATE orders SET customer = 'c' WHERE id = 1; COMMIT;")
                  .ok());
  ASSERT_TRUE(sink_.WaitForCount(3));
  std::vector<StoredRecord> r = sink_.records();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].xid, r[1].xid);
  EXPECT_EQ(r[1].xid, r[2].xid);
  EXPECT_EQ(sink_.transactions().size(), 1u);
  EXPECT_EQ(Json::Parse(*r[2].value).Get("after").Get("customer").AsString(), "c");
  for (const StoredRecord& rec : r) {
    EXPECT_EQ(static_cast<uint32_t>(Json::Parse(*rec.value).Get("source").Get("txId").AsInt()),
              rec.xid.value());
  }
}

TEST_F(StreamingTest, RolledBackTransactionEmitsNothing) {
  StartEngine(MakeConfig("debezium.format.value.schemas.enable=false\n"));
  ASSERT_TRUE(Sql("BEGIN; INSERT INTO orders (id, customer) VALUES (1, 'ghost'); ROLLBACK;").ok());
  ASSERT_TRUE(Sql("INSERT INTO orders (id, customer) VALUES (2, 'marker')").ok());
  ASSERT_TRUE(sink_.WaitForCount(1));
  std::vector<StoredRecord> r = sink_.records();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(Json::Parse(*r[0].value).Get("after").Get("customer").AsString(), "marker");
}

TEST_F(StreamingTest, InterleavedSessionsComeOutInCommitOrder) {
  StartEngine(MakeConfig("debezium.format.value.schemas.enable=false\n"));
  SqlSession a(*server_, db_), b(*server_, db_);
  ASSERT_TRUE(a.Run("BEGIN").ok());
  ASSERT_TRUE(a.Run("INSERT INTO orders (id, customer) VALUES (1, 'a1')").ok());
  ASSERT_TRUE(b.Run("BEGIN").ok());
  ASSERT_TRUE(b.Run("INSERT INTO orders (id, customer) VALUES (2, 'b1')").ok());
  ASSERT_TRUE(a.Run("INSERT INTO orders (id, customer) VALUES (3, 'a2')").ok());
  ASSERT_TRUE(b.Run("COMMIT").ok());
  ASSERT_TRUE(a.Run("COMMIT").ok());
  ASSERT_TRUE(sink_.WaitForCount(3));
  std::vector<StoredRecord> r = sink_.records();
  std::vector<std::string> order;
  for (const StoredRecord& rec : r) {
    order.push_back(Json::Parse(*rec.value).Get("after").Get("customer").AsString());
  }
  EXPECT_THAT(order, ::testing::ElementsAre("b1", "a1", "a2"));
  ASSERT_EQ(sink_.transactions().size(), 2u);
  EXPECT_LT(sink_.transactions()[0].commit_lsn, sink_.transactions()[1].commit_lsn);
}

TEST_F(StreamingTest, TwentyThousandRowTransaction) {
  StartEngine(MakeConfig("debezium.format.value.schemas.enable=false\n"
                         "debezium.format.key.schemas.enable=false\n"));
  ASSERT_TRUE(Sql("INSERT INTO orders (id, customer, amount) "
                  "SELECT g, 'c' || g, g * 1.5 FROM generate_series(1, 20000) g")
                  .ok());
  ASSERT_TRUE(sink_.WaitForCount(20000, absl::Seconds(120)));
  std::vector<StoredRecord> r = sink_.records();
  ASSERT_EQ(r.size(), 20000u);
  ASSERT_EQ(sink_.transactions().size(), 1u);
  for (size_t i = 0; i < r.size(); ++i) {
    ASSERT_EQ(*r[i].key, absl::StrCat("{\"id\":", i + 1, "}"));
  }
}

TEST_F(StreamingTest, ExcludedTablesAreNotEmitted) {
  ASSERT_TRUE(Sql("CREATE TABLE audit (id int PRIMARY KEY)").ok());
  StartEngine(MakeConfig("debezium.source.table.exclude.list=public\\\\.audit\n"
                         "debezium.format.value.schemas.enable=false\n"));
  ASSERT_TRUE(Sql("INSERT INTO audit VALUES (1)").ok());
  ASSERT_TRUE(Sql("INSERT INTO orders (id, customer) VALUES (1, 'kept')").ok());
  ASSERT_TRUE(sink_.WaitForCount(1));
  std::vector<StoredRecord> r = sink_.records();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].topic, "shop.public.orders");
  EXPECT_EQ(runner_.engine()->stats().skipped, 1u);
}

TEST_F(StreamingTest, StopConfirmsTheDeliveredPosition) {
  StartEngine(MakeConfig());
  ASSERT_TRUE(Sql("INSERT INTO orders (id, customer) VALUES (1, 'x')").ok());
  ASSERT_TRUE(sink_.WaitForCount(1));
  StopEngine();
  auto confirmed = server_->QueryValue(
      absl::StrCat("SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '",
                   db_, "'"));
  ASSERT_TRUE(confirmed.ok());
  std::optional<Lsn> lsn = Lsn::Parse(*confirmed);
  ASSERT_TRUE(lsn.has_value());
  EXPECT_GE(*lsn, sink_.transactions().back().end_lsn);

  // A restart resumes after it: nothing is delivered twice.
  RecordingSink second;
  auto engine = Engine::Create(MakeConfig(), &second);
  ASSERT_TRUE(engine.ok());
  std::thread t([&] { EXPECT_TRUE((*engine)->Run().ok()); });
  ASSERT_TRUE(Sql("INSERT INTO orders (id, customer) VALUES (2, 'y')").ok());
  ASSERT_TRUE(second.WaitForCount(1));
  (*engine)->Stop();
  t.join();
  std::vector<StoredRecord> r = second.records();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_THAT(*r[0].value, HasSubstr("\"customer\":\"y\""));
}

TEST_F(StreamingTest, ReconnectsAfterTheConnectionIsTerminated) {
  StartEngine(MakeConfig("debezium.format.value.schemas.enable=false\n"));
  ASSERT_TRUE(Sql("INSERT INTO orders (id, customer) VALUES (1, 'before')").ok());
  ASSERT_TRUE(sink_.WaitForCount(1));
  ASSERT_TRUE(server_->Execute("SELECT pg_terminate_backend(active_pid) FROM "
                               "pg_replication_slots WHERE slot_name = '" + db_ + "'")
                  .ok());
  ASSERT_TRUE(Sql("INSERT INTO orders (id, customer) VALUES (2, 'after')").ok());
  ASSERT_TRUE(sink_.WaitFor([](const std::vector<StoredRecord>& r) {
    for (const StoredRecord& rec : r) {
      if (rec.value && rec.value->find("\"after\"") != std::string::npos &&
          rec.value->find("\"customer\":\"after\"") != std::string::npos) {
        return true;
      }
    }
    return false;
  }));
  EXPECT_GE(runner_.engine()->stats().reconnects, 1u);
}

TEST_F(StreamingTest, ReconnectsWhenTheServerFallsSilent) {
  StartEngine(MakeConfig("debezium.format.value.schemas.enable=false\n"
                         "debezium.source.trackops.replication.receive.timeout.ms=2000\n"));
  ASSERT_TRUE(Sql("INSERT INTO orders (id, customer) VALUES (1, 'before')").ok());
  ASSERT_TRUE(sink_.WaitForCount(1));
  absl::StatusOr<std::string> pid = server_->QueryValue(
      "SELECT active_pid FROM pg_replication_slots WHERE slot_name = '" + db_ + "'");
  ASSERT_TRUE(pid.ok()) << pid.status();
  int walsender = 0;
  ASSERT_TRUE(absl::SimpleAtoi(*pid, &walsender)) << *pid;
  // The walsender stops answering, its connection still open: nothing
  // arrives, not even the reply the engine asks for.
  ASSERT_EQ(kill(walsender, SIGSTOP), 0) << std::strerror(errno);
  struct Resume {
    int pid;
    ~Resume() { kill(pid, SIGCONT); }
  } resume{walsender};
  ASSERT_TRUE(Sql("INSERT INTO orders (id, customer) VALUES (2, 'after')").ok());
  ASSERT_TRUE(WaitUntil([&] { return runner_.engine()->stats().reconnects >= 1; }));
  EXPECT_EQ(sink_.records().size(), 1u);  // Nothing came from the silent server.
  // Let the old walsender see its client gone and release the slot.
  kill(walsender, SIGCONT);
  ASSERT_TRUE(sink_.WaitFor([](const std::vector<StoredRecord>& r) {
    for (const StoredRecord& rec : r) {
      if (rec.value && rec.value->find("\"customer\":\"after\"") != std::string::npos) {
        return true;
      }
    }
    return false;
  }));
}

TEST_F(StreamingTest, StreamedLargeTransactionsKeepCommitOrderAndDropRollbacks) {
  StartEngine(MakeConfig("debezium.source.trackops.pgoutput.protocol.version=2\n"
                         "debezium.source.trackops.pgoutput.streaming=on\n"
                         "debezium.format.value.schemas.enable=false\n"
                         "debezium.format.key.schemas.enable=false\n"));
  SqlSession big(*server_, db_), small(*server_, db_);
  // A large transaction is streamed while a small one commits first.
  ASSERT_TRUE(big.Run("BEGIN").ok());
  ASSERT_TRUE(big.Run("INSERT INTO orders (id, customer) "
                      "SELECT g, repeat('x', 200) FROM generate_series(1, 5000) g")
                  .ok());
  ASSERT_TRUE(small.Run("INSERT INTO orders (id, customer) VALUES (90001, 'small')").ok());
  ASSERT_TRUE(big.Run("SAVEPOINT sp").ok());
  ASSERT_TRUE(big.Run("INSERT INTO orders (id, customer) "
                      "SELECT g, repeat('y', 200) FROM generate_series(5001, 6000) g")
                  .ok());
  ASSERT_TRUE(big.Run("ROLLBACK TO SAVEPOINT sp").ok());
  ASSERT_TRUE(big.Run("INSERT INTO orders (id, customer) VALUES (6001, 'last')").ok());
  ASSERT_TRUE(big.Run("COMMIT").ok());
  // A large transaction rolled back after it was streamed.
  ASSERT_TRUE(big.Run("BEGIN").ok());
  ASSERT_TRUE(big.Run("INSERT INTO orders (id, customer) "
                      "SELECT g, repeat('z', 200) FROM generate_series(7001, 9000) g")
                  .ok());
  ASSERT_TRUE(big.Run("ROLLBACK").ok());
  ASSERT_TRUE(small.Run("INSERT INTO orders (id, customer) VALUES (90002, 'marker')").ok());

  ASSERT_TRUE(sink_.WaitFor([](const std::vector<StoredRecord>& r) {
    return !r.empty() && *r.back().key == "{\"id\":90002}";
  }, absl::Seconds(120)));
  std::vector<StoredRecord> r = sink_.records();
  ASSERT_EQ(r.size(), 1u + 5000u + 1u + 1u);
  EXPECT_EQ(*r[0].key, "{\"id\":90001}");  // Committed first.
  for (int i = 1; i <= 5000; ++i) ASSERT_EQ(*r[i].key, absl::StrCat("{\"id\":", i, "}"));
  EXPECT_EQ(*r[5001].key, "{\"id\":6001}");
  std::vector<TransactionInfo> txns = sink_.transactions();
  ASSERT_EQ(txns.size(), 3u);
  EXPECT_EQ(r[1].xid, r[5001].xid);  // One transaction, whole.
  EXPECT_LT(txns[0].commit_lsn, txns[1].commit_lsn);
  // The server did stream them (rather than spill them to disk).
  EXPECT_TRUE(WaitUntil([&] {
    auto n = server_->QueryValue(absl::StrCat(
        "SELECT stream_txns FROM pg_stat_replication_slots WHERE slot_name = '", db_, "'"));
    return n.ok() && !n->empty() && std::stoi(*n) >= 2;
  }));
}

// Descriptors of this process open on files in `dir` (spill files are
// unnamed, but /proc shows them as "<dir>/#<inode> (deleted)").
size_t OpenFilesIn(const std::string& dir) {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    std::filesystem::path target = std::filesystem::read_symlink(e.path(), ec);
    if (!ec && target.string().starts_with(dir + "/")) ++n;
  }
  return n;
}

// trackops.pgoutput.streaming.memory.bytes: streamed transactions past the
// limit go to spill files in a directory of the test's own.
class SpillingTest : public StreamingTest {
 protected:
  void SetUp() override {
    StreamingTest::SetUp();
    std::string pattern =
        (std::filesystem::temp_directory_path() / "trackops-spill-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    spill_dir_ = pattern;
  }
  void TearDown() override {
    StreamingTest::TearDown();
    std::filesystem::remove_all(spill_dir_);
  }
  Config SpillConfig() const {
    return MakeConfig(absl::StrCat(
        "debezium.source.trackops.pgoutput.protocol.version=2\n"
        "debezium.source.trackops.pgoutput.streaming=on\n"
        "debezium.source.trackops.pgoutput.streaming.memory.bytes=65536\n"
        "debezium.source.trackops.pgoutput.streaming.spill.directory=",
        spill_dir_,
        "\n"
        "debezium.format.value.schemas.enable=false\n"
        "debezium.format.key.schemas.enable=false\n"));
  }
  bool WaitForKey(const std::string& key) {
    return sink_.WaitFor([&](const std::vector<StoredRecord>& r) {
      return !r.empty() && r.back().key && *r.back().key == key;
    }, absl::Seconds(300));
  }
  int StreamedTransactions() const {
    auto n = server_->QueryValue(absl::StrCat(
        "SELECT stream_txns FROM pg_stat_replication_slots WHERE slot_name = '", db_, "'"));
    return n.ok() && !n->empty() ? std::stoi(*n) : 0;
  }

  std::string spill_dir_;
};

TEST_F(SpillingTest, SpilledTransactionDeliversEveryCommittedRowOnceInOrder) {
  StartEngine(SpillConfig());
  {
    SqlSession big(*server_, db_);
    // 50k rows in one transaction: 1-20000, a savepoint rolled back
    // (20001-30000), a savepoint released (30001-40000), 40001-50000.
    ASSERT_TRUE(big.Run("BEGIN").ok());
    ASSERT_TRUE(big.Run("INSERT INTO orders (id, customer) "
                        "SELECT g, 'c' || g FROM generate_series(1, 20000) g")
                    .ok());
    ASSERT_TRUE(big.Run("SAVEPOINT rolled_back").ok());
    ASSERT_TRUE(big.Run("INSERT INTO orders (id, customer) "
                        "SELECT g, 'gone' FROM generate_series(20001, 30000) g")
                    .ok());
    ASSERT_TRUE(big.Run("ROLLBACK TO SAVEPOINT rolled_back").ok());
    ASSERT_TRUE(big.Run("SAVEPOINT kept").ok());
    ASSERT_TRUE(big.Run("INSERT INTO orders (id, customer) "
                        "SELECT g, 'c' || g FROM generate_series(30001, 40000) g")
                    .ok());
    ASSERT_TRUE(big.Run("RELEASE SAVEPOINT kept").ok());
    ASSERT_TRUE(big.Run("INSERT INTO orders (id, customer) "
                        "SELECT g, 'c' || g FROM generate_series(40001, 50000) g")
                    .ok());
    ASSERT_TRUE(big.Run("COMMIT").ok());
  }
  ASSERT_TRUE(Sql("INSERT INTO orders (id, customer) VALUES (90001, 'marker')").ok());
  ASSERT_TRUE(WaitForKey("{\"id\":90001}"));

  std::vector<StoredRecord> r = sink_.records();
  ASSERT_EQ(r.size(), 40000u + 1u);
  std::vector<int> expected;
  for (int i = 1; i <= 20000; ++i) expected.push_back(i);
  for (int i = 30001; i <= 50000; ++i) expected.push_back(i);
  for (size_t i = 0; i < expected.size(); ++i) {
    ASSERT_EQ(*r[i].key, absl::StrCat("{\"id\":", expected[i], "}")) << "record " << i;
    ASSERT_EQ(r[i].xid, r[0].xid);
  }
  ASSERT_EQ(sink_.transactions().size(), 2u);
  // The server streamed it, and the engine spilled it.
  EXPECT_GE(StreamedTransactions(), 1);
  EXPECT_GE(runner_.engine()->stats().spilled_transactions, 1u);
  EXPECT_GT(runner_.engine()->stats().spilled_bytes, 65536u);
  EXPECT_EQ(OpenFilesIn(spill_dir_), 0u);
  EXPECT_TRUE(std::filesystem::is_empty(spill_dir_));
}

TEST_F(SpillingTest, SpilledTransactionRolledBackDeliversNothing) {
  StartEngine(SpillConfig());
  {
    SqlSession big(*server_, db_);
    ASSERT_TRUE(big.Run("BEGIN").ok());
    ASSERT_TRUE(big.Run("INSERT INTO orders (id, customer) "
                        "SELECT g, 'gone' FROM generate_series(1, 20000) g")
                    .ok());
    // Spilled before the rollback (stats are published between streamed blocks).
    ASSERT_TRUE(WaitUntil([&] { return runner_.engine()->stats().spilled_transactions >= 1; },
                          std::chrono::seconds(120)));
    ASSERT_TRUE(big.Run("ROLLBACK").ok());
  }
  ASSERT_TRUE(Sql("INSERT INTO orders (id, customer) VALUES (90001, 'marker')").ok());
  ASSERT_TRUE(WaitForKey("{\"id\":90001}"));
  std::vector<StoredRecord> r = sink_.records();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(sink_.transactions().size(), 1u);
  EXPECT_EQ(OpenFilesIn(spill_dir_), 0u);
}

TEST_F(SpillingTest, ReconnectReleasesSpillFilesAndDeliversTheTransactionOnce) {
  StartEngine(SpillConfig());
  {
    SqlSession big(*server_, db_);
    ASSERT_TRUE(big.Run("BEGIN").ok());
    ASSERT_TRUE(big.Run("INSERT INTO orders (id, customer) "
                        "SELECT g, 'c' || g FROM generate_series(1, 20000) g")
                    .ok());
    // Streamed and spilled, still in progress: a spill file is open.
    ASSERT_TRUE(WaitUntil([&] { return OpenFilesIn(spill_dir_) >= 1; },
                          std::chrono::seconds(120)));
    ASSERT_TRUE(server_->Execute("SELECT pg_terminate_backend(active_pid) FROM "
                                 "pg_replication_slots WHERE slot_name = '" + db_ + "'")
                    .ok());
    ASSERT_TRUE(WaitUntil([&] { return runner_.engine()->stats().reconnects >= 1; }));
    ASSERT_TRUE(big.Run("INSERT INTO orders (id, customer) "
                        "SELECT g, 'c' || g FROM generate_series(20001, 25000) g")
                    .ok());
    ASSERT_TRUE(big.Run("COMMIT").ok());
  }
  ASSERT_TRUE(Sql("INSERT INTO orders (id, customer) VALUES (90001, 'marker')").ok());
  ASSERT_TRUE(WaitForKey("{\"id\":90001}"));
  std::vector<StoredRecord> r = sink_.records();
  ASSERT_EQ(r.size(), 25000u + 1u);
  for (size_t i = 0; i < 25000; ++i) {
    ASSERT_EQ(*r[i].key, absl::StrCat("{\"id\":", i + 1, "}")) << "record " << i;
  }
  // The first connection's spill file went with it.
  EXPECT_EQ(OpenFilesIn(spill_dir_), 0u);
}

}  // namespace
}  // namespace trackops::testing
