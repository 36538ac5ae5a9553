// trackops-cdcd into a real Kafka broker, exactly once: every committed row
// change appears once, in commit order, however often the daemon is killed;
// partitions are those Kafka's default partitioner gives; a slot confirmed
// beyond what Kafka recorded is refused.

#include <signal.h>

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/kafka_broker.h"
#include "harness/pg_server.h"
#include "integration/kafka_test_support.h"
#include "integration/test_support.h"

namespace trackops::testing {
namespace {

using ::testing::HasSubstr;

class KafkaSinkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = PgServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    auto broker = KafkaBroker::Start();
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = broker->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    delete server_;
  }

  void SetUp() override {
    db_ = absl::StrCat("k_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    for (char& c : db_) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(server_->Execute(absl::StrCat("CREATE DATABASE ", db_)).ok());
    ASSERT_TRUE(server_->Execute("CREATE TABLE items (id bigint PRIMARY KEY, v text)", db_).ok());
  }

  // Topic prefix per test, so tests do not share topics.
  std::string Prefix() const { return db_; }

  std::string WriteConfig(const std::string& extra = "") {
    std::string path = dir_.File("application.properties");
    std::ofstream(path) << BaseProperties(*server_, db_,
                                          absl::StrCat("debezium.source.topic.prefix=", Prefix(),
                                                       "\n"
                                                       "debezium.sink.type=kafka\n"
                                                       "debezium.sink.kafka.producer.bootstrap.servers=",
                                                       broker_->bootstrap(),
                                                       "\n"
                                                       "debezium.sink.kafka.topic.partitions=3\n"
                                                       "debezium.sink.kafka.batch.max.ms=20\n"
                                                       "debezium.sink.kafka.idle.commit.ms=200\n"
                                                       "debezium.format.key.schemas.enable=false\n"
                                                       "debezium.format.value.schemas.enable=false\n",
                                                       extra));
    return path;
  }

  static PgServer* server_;
  static KafkaBroker* broker_;
  std::string db_;
  TempDir dir_;
};

PgServer* KafkaSinkTest::server_ = nullptr;
KafkaBroker* KafkaSinkTest::broker_ = nullptr;

// The "id" of a value's "after" ("before" for a delete), -1 for a tombstone.
int64_t IdOf(const ConsumedRecord& r) {
  if (!r.value.has_value()) return -1;
  Json v = Json::Parse(*r.value);
  return v.Get("op").AsString() == "d" ? v.Get("before").Get("id").AsInt()
                                       : v.Get("after").Get("id").AsInt();
}

TEST_F(KafkaSinkTest, EveryCommittedChangeExactlyOnceAcrossKillNine) {
  std::string config = WriteConfig();
  std::string out = dir_.File("out"), err = dir_.File("err");
  constexpr int kPhases = 3;
  constexpr int kPerPhase = 400;
  auto daemon = std::make_unique<Daemon>(std::vector<std::string>{"--config", config}, out, err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); })) << ReadFile(err);

  // Phase p+1 starts after the p-th kill: single-row and 4-row transactions,
  // and one 2000-row transaction in the middle phase.
  std::atomic<int> kills{0};
  std::atomic<int> written{0};
  std::thread workload([&] {
    SqlSession s(*server_, db_);
    int id = 1;
    for (int phase = 0; phase < kPhases; ++phase) {
      while (kills.load() < phase) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      if (phase == 1) {
        ASSERT_TRUE(s.Run(absl::StrCat("INSERT INTO items SELECT g, 'big' FROM generate_series(",
                                       id, ", ", id + 1999, ") g"))
                        .ok());
        id += 2000;
      }
      for (int n = 0; n < kPerPhase; ++n) {
        if (n % 5 == 0) {
          ASSERT_TRUE(s.Run(absl::StrCat("INSERT INTO items SELECT g, 'multi' FROM "
                                         "generate_series(", id, ", ", id + 3, ") g"))
                          .ok());
          id += 4;
        } else {
          ASSERT_TRUE(s.Run(absl::StrCat("INSERT INTO items VALUES (", id++, ", 'one')")).ok());
        }
      }
      written.store(id - 1);
    }
  });
  const std::string topic = Prefix() + ".public.items";
  auto confirmed = [&] {
    return *server_->QueryValue(absl::StrCat(
        "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '", db_, "'"));
  };
  for (int kill = 0; kill < kPhases - 1; ++kill) {
    // Kill once the daemon has committed part of this phase to Kafka (and so
    // confirmed it to the slot).
    std::string before = confirmed();
    ASSERT_TRUE(WaitUntil([&] { return confirmed() != before; })) << ReadFile(err);
    daemon->Signal(SIGKILL);
    EXPECT_EQ(daemon->Wait(), 128 + SIGKILL);
    daemon = std::make_unique<Daemon>(std::vector<std::string>{"--config", config}, out, err);
    kills.store(kill + 1);
  }
  workload.join();
  const int64_t rows = written.load();
  std::vector<ConsumedRecord> records =
      ConsumeCommitted(broker_->bootstrap(), topic, db_ + "-reader", static_cast<size_t>(rows));
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(), 0) << ReadFile(err);

  ASSERT_EQ(records.size(), static_cast<size_t>(rows)) << ReadFile(err);
  std::map<int64_t, int> seen;
  std::map<int32_t, int64_t> last_id_in_partition;
  for (const ConsumedRecord& r : records) {
    int64_t id = IdOf(r);
    ++seen[id];
    // Kafka's default partitioner over the key bytes.
    ASSERT_TRUE(r.key.has_value());
    EXPECT_EQ(r.partition, JavaDefaultPartition(*r.key, 3)) << *r.key;
    // Commit order within a partition (ids increase with commit order here).
    EXPECT_GT(id, last_id_in_partition[r.partition]);
    last_id_in_partition[r.partition] = id;
  }
  for (int64_t id = 1; id <= rows; ++id) {
    ASSERT_EQ(seen[id], 1) << "id " << id << (seen[id] == 0 ? " lost" : " duplicated");
  }
}

TEST_F(KafkaSinkTest, AtLeastOnceDeliversEveryChangeAcrossKillNine) {
  std::string config = WriteConfig("debezium.sink.kafka.delivery=at-least-once\n");
  std::string out = dir_.File("out"), err = dir_.File("err");
  auto daemon = std::make_unique<Daemon>(std::vector<std::string>{"--config", config}, out, err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); })) << ReadFile(err);
  ASSERT_TRUE(server_->Execute("INSERT INTO items SELECT g, 'a' FROM generate_series(1, 300) g",
                               db_).ok());
  const std::string topic = Prefix() + ".public.items";
  ASSERT_EQ(ConsumeCommitted(broker_->bootstrap(), topic, db_ + "-probe", 300).size(), 300u);
  daemon->Signal(SIGKILL);
  EXPECT_EQ(daemon->Wait(), 128 + SIGKILL);
  ASSERT_TRUE(server_->Execute("INSERT INTO items SELECT g, 'b' FROM generate_series(301, 600) g",
                               db_).ok());
  daemon = std::make_unique<Daemon>(std::vector<std::string>{"--config", config}, out, err);
  std::vector<ConsumedRecord> records =
      ConsumeCommitted(broker_->bootstrap(), topic, db_ + "-reader", 600);
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(), 0) << ReadFile(err);
  std::set<int64_t> ids;
  for (const ConsumedRecord& r : records) ids.insert(IdOf(r));
  for (int64_t id = 1; id <= 600; ++id) ASSERT_TRUE(ids.contains(id)) << "lost id " << id;
}

int Occurrences(const std::string& text, std::string_view what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A broker down for longer than timeout.ms: the daemon keeps running, stops
// confirming, and once the broker is back delivers what was written meanwhile,
// exactly once.
TEST_F(KafkaSinkTest, ABrokerDownLongerThanTheTimeoutLosesNothing) {
  std::string config = WriteConfig("debezium.sink.kafka.timeout.ms=2000\n");
  std::string out = dir_.File("out"), err = dir_.File("err");
  Daemon daemon({"--config", config}, out, err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); })) << ReadFile(err);
  ASSERT_TRUE(server_->Execute("INSERT INTO items SELECT g, 'a' FROM generate_series(1, 100) g",
                               db_).ok());
  const std::string topic = Prefix() + ".public.items";
  ASSERT_EQ(ConsumeCommitted(broker_->bootstrap(), topic, db_ + "-probe", 100).size(), 100u);

  ASSERT_TRUE(broker_->Stop(/*crash=*/true).ok());
  const std::string outage_start = *server_->QueryValue("SELECT pg_current_wal_lsn()", db_);
  for (int id = 101; id <= 300; id += 10) {
    ASSERT_TRUE(server_->Execute(absl::StrCat("INSERT INTO items SELECT g, 'b' FROM "
                                              "generate_series(", id, ", ", id + 9, ") g"),
                                 db_).ok());
  }
  // The Kafka calls time out and the daemon backs off and retries, at least
  // twice, without exiting and without confirming what Kafka does not have.
  ASSERT_TRUE(WaitUntil([&] { return Occurrences(ReadFile(err), "reconnecting in") >= 2; },
                        std::chrono::seconds(120)))
      << ReadFile(err);
  EXPECT_EQ(daemon.WaitFor(std::chrono::milliseconds(1)), -1) << ReadFile(err);
  EXPECT_EQ(*server_->QueryValue(absl::StrCat("SELECT confirmed_flush_lsn <= '", outage_start,
                                              "' FROM pg_replication_slots WHERE slot_name = '",
                                              db_, "'")),
            "t");

  ASSERT_TRUE(broker_->StartAgain().ok());
  std::vector<ConsumedRecord> records =
      ConsumeCommitted(broker_->bootstrap(), topic, db_ + "-reader", 300);
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(), 0) << ReadFile(err);
  std::map<int64_t, int> seen;
  for (const ConsumedRecord& r : records) ++seen[IdOf(r)];
  ASSERT_EQ(records.size(), 300u) << ReadFile(err);
  for (int64_t id = 1; id <= 300; ++id) ASSERT_EQ(seen[id], 1) << "id " << id;
}

TEST_F(KafkaSinkTest, SlotConfirmedBeyondKafkaIsRefused) {
  std::string config = WriteConfig();
  std::string out = dir_.File("out"), err = dir_.File("err");
  {
    Daemon daemon({"--config", config}, out, err);
    ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); })) << ReadFile(err);
    ASSERT_TRUE(server_->Execute("INSERT INTO items VALUES (1, 'a')", db_).ok());
    ASSERT_EQ(ConsumeCommitted(broker_->bootstrap(), Prefix() + ".public.items", "r1", 1).size(),
              1u);
    daemon.Signal(SIGTERM);
    ASSERT_EQ(daemon.Wait(), 0) << ReadFile(err);
  }
  // Something else moves the slot past changes Kafka never got.
  // Flushed at once (the test server commits asynchronously), so that the
  // slot can be advanced past it.
  ASSERT_TRUE(server_
                  ->Execute("BEGIN; SET LOCAL synchronous_commit = on; "
                            "INSERT INTO items VALUES (2, 'b'); COMMIT;",
                            db_)
                  .ok());
  ASSERT_TRUE(server_
                  ->Execute(absl::StrCat("SELECT pg_replication_slot_advance('", db_,
                                         "', pg_current_wal_lsn())"),
                            db_)
                  .ok());
  Daemon again({"--config", config}, out, err);
  EXPECT_EQ(again.WaitFor(std::chrono::seconds(120)), 2) << ReadFile(err);
  EXPECT_THAT(ReadFile(err), HasSubstr("but the sink recorded delivery only up to"));
}

}  // namespace
}  // namespace trackops::testing
