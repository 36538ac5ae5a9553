// An initial snapshot into Kafka with exactly-once delivery, through a
// kill -9 in the middle of it: the snapshot is taken again at the next start
// and every row reaches Kafka, then streaming follows; a later start takes
// no snapshot.

#include <fstream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/kafka_broker.h"
#include "harness/pg_server.h"
#include "integration/kafka_test_support.h"
#include "integration/test_support.h"
#include "simdjson.h"

namespace trackops::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The rows delivered by the last "progress: snapshot, N rows" line of a log.
int64_t SnapshotRowsLogged(const std::string& log) {
  static constexpr std::string_view kMark = "progress: snapshot, ";
  size_t at = log.rfind(kMark);
  if (at == std::string::npos) return 0;
  return std::atoll(log.c_str() + at + kMark.size());
}

// A PostgreSQL server and a Kafka broker per test, and a database named
// after the test with an `items` table.
class SnapshotKafkaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = PgServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto broker = KafkaBroker::Start();
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = *std::move(broker);
    db_ = absl::StrCat("db_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    for (char& c : db_) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(server_->Execute(absl::StrCat("CREATE DATABASE ", db_)).ok());
    ASSERT_TRUE(Sql("CREATE TABLE items (id int PRIMARY KEY, v text)").ok());
  }

  absl::Status Sql(const std::string& sql) const { return server_->Execute(sql, db_); }

  // trackops-cdcd's properties into the broker, snapshot.mode=initial, plus `extra`.
  std::string WriteConfig(const std::string& extra) const {
    std::string path = dir_.File("kafka.properties");
    std::ofstream(path) << BaseProperties(
        *server_, db_,
        absl::StrCat("debezium.source.snapshot.mode=initial\n"
                     "debezium.format.value.schemas.enable=false\n"
                     "debezium.sink.type=kafka\n"
                     "debezium.sink.kafka.producer.bootstrap.servers=", broker_->bootstrap(),
                     "\n", extra));
    return path;
  }

  std::unique_ptr<PgServer> server_;
  std::unique_ptr<KafkaBroker> broker_;
  std::string db_;
  TempDir dir_;
};

TEST_F(SnapshotKafkaTest, KilledMidSnapshotItIsTakenAgainAndEveryRowReachesKafka) {
  constexpr int kRows = 200000;
  ASSERT_TRUE(Sql(absl::StrCat("INSERT INTO items SELECT g, repeat('v', 200) || g "
                               "FROM generate_series(1, ",
                               kRows, ") g"))
                  .ok());
  // Small Kafka batches, so that part of the snapshot is committed when the
  // daemon is killed.
  std::string config = WriteConfig(
      "debezium.format.key.schemas.enable=false\n"
      "debezium.sink.kafka.batch.max.bytes=1000000\n");
  const std::vector<std::string> args = {"--config", config, "--progress", "1"};
  std::string err = dir_.File("err");
  {
    Daemon first(args, dir_.File("out"), err);
    ASSERT_TRUE(WaitUntil([&] { return SnapshotRowsLogged(ReadFile(err)) >= kRows / 4; },
                          std::chrono::seconds(120)))
        << ReadFile(err);
    first.Signal(SIGKILL);
    EXPECT_EQ(first.Wait(), 128 + SIGKILL);
  }
  ASSERT_THAT(ReadFile(err), Not(HasSubstr("snapshot: completed")))
      << "the snapshot ended before the kill";
  const size_t first_log = ReadFile(err).size();

  auto daemon = std::make_unique<Daemon>(args, dir_.File("out"), err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); }, std::chrono::seconds(180)))
      << ReadFile(err);
  std::string second_log = ReadFile(err).substr(first_log);
  EXPECT_THAT(second_log, HasSubstr("the initial snapshot did not complete before"));
  EXPECT_THAT(second_log, HasSubstr(absl::StrCat("snapshot: completed, ", kRows, " rows")));
  ASSERT_TRUE(Sql("INSERT INTO items VALUES (0, 'streamed')").ok());

  // Everything committed in Kafka: the first run's part of the snapshot, the
  // whole second snapshot, the streamed insert.
  std::vector<ConsumedRecord> records =
      ConsumeCommitted(broker_->bootstrap(), "shop.public.items", "check", kRows + 1,
                       /*to_end=*/true);
  std::map<int64_t, int> reads;
  int creates = 0;
  simdjson::dom::parser parser;
  for (const ConsumedRecord& r : records) {
    ASSERT_TRUE(r.value.has_value());
    simdjson::dom::element v;
    ASSERT_EQ(parser.parse(*r.value).get(v), simdjson::SUCCESS);
    std::string_view op;
    int64_t id = -1;
    ASSERT_EQ(v["op"].get(op), simdjson::SUCCESS);
    ASSERT_EQ(v["after"]["id"].get(id), simdjson::SUCCESS);
    if (op == "r") ++reads[id];
    if (op == "c") {
      EXPECT_EQ(id, 0);
      ++creates;
    }
  }
  EXPECT_EQ(reads.size(), static_cast<size_t>(kRows)) << "rows missing from Kafka";
  EXPECT_EQ(reads.begin()->first, 1);
  EXPECT_EQ(reads.rbegin()->first, kRows);
  EXPECT_EQ(creates, 1);
  // The rows the first run committed come twice (at least once within a
  // snapshot that is taken again), and no others.
  int twice = 0;
  for (const auto& [id, n] : reads) {
    ASSERT_LE(n, 2) << "id " << id;
    twice += n == 2;
  }
  EXPECT_EQ(records.size(), static_cast<size_t>(kRows + 1 + twice));

  // Started again: the snapshot is complete, streaming goes on.
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(), 0) << ReadFile(err);
  const size_t second_end = ReadFile(err).size();
  daemon = std::make_unique<Daemon>(args, dir_.File("out"), err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); })) << ReadFile(err);
  ASSERT_TRUE(Sql("UPDATE items SET v = 'after' WHERE id = 1").ok());
  std::vector<ConsumedRecord> more =
      ConsumeCommitted(broker_->bootstrap(), "shop.public.items", "check", 1);
  ASSERT_EQ(more.size(), 1u);
  EXPECT_THAT(*more[0].value, HasSubstr("\"op\":\"u\""));
  EXPECT_THAT(ReadFile(err).substr(second_end), Not(HasSubstr("snapshot:")));
}

TEST_F(SnapshotKafkaTest, ASlotWithoutRecordedPositionGetsASnapshot) {
  // A run that created the slot and died before its first Kafka commit
  // leaves a slot and no offsets; so does a slot made by hand.
  ASSERT_TRUE(Sql("INSERT INTO items VALUES (1, 'one'), (2, 'two')").ok());
  ASSERT_TRUE(
      Sql(absl::StrCat("SELECT pg_create_logical_replication_slot('", db_, "', 'pgoutput')")).ok());
  std::string config = WriteConfig("");
  std::string err = dir_.File("err");
  Daemon daemon({"--config", config}, dir_.File("out"), err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); })) << ReadFile(err);
  EXPECT_THAT(ReadFile(err), HasSubstr("the sink has no recorded position: taking a snapshot"));
  std::vector<ConsumedRecord> records =
      ConsumeCommitted(broker_->bootstrap(), "shop.public.items", "check", 2);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(*records[0].value, HasSubstr("\"op\":\"r\""));
  EXPECT_THAT(*records[1].value, HasSubstr("\"snapshot\":\"last\""));
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(), 0) << ReadFile(err);
}

}  // namespace
}  // namespace trackops::testing
