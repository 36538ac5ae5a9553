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

TEST(SnapshotKafkaTest, KilledMidSnapshotItIsTakenAgainAndEveryRowReachesKafka) {
  constexpr int kRows = 200000;
  auto server = PgServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto broker = KafkaBroker::Start();
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string db = "snapkafka";
  ASSERT_TRUE((*server)->Execute(absl::StrCat("CREATE DATABASE ", db)).ok());
  ASSERT_TRUE((*server)->Execute("CREATE TABLE items (id int PRIMARY KEY, v text)", db).ok());
  ASSERT_TRUE((*server)
                  ->Execute(absl::StrCat("INSERT INTO items SELECT g, repeat('v', 200) || g "
                                         "FROM generate_series(1, ",
                                         kRows, ") g"),
                            db)
                  .ok());

  TempDir dir;
  std::string config = dir.File("kafka.properties");
  // Small Kafka batches, so that part of the snapshot is committed when the
  // daemon is killed.
  std::ofstream(config) << BaseProperties(
      **server, db,
      absl::StrCat("debezium.source.snapshot.mode=initial\n"
                   "debezium.format.value.schemas.enable=false\n"
                   "debezium.format.key.schemas.enable=false\n"
                   "debezium.sink.type=kafka\n"
                   "debezium.sink.kafka.producer.bootstrap.servers=", (*broker)->bootstrap(), "\n"
                   "debezium.sink.kafka.batch.max.bytes=1000000\n"));
  const std::vector<std::string> args = {"--config", config, "--progress", "1"};
  std::string err = dir.File("err");
  {
    Daemon first(args, dir.File("out"), err);
    ASSERT_TRUE(WaitUntil([&] { return SnapshotRowsLogged(ReadFile(err)) >= kRows / 4; },
                          std::chrono::seconds(120)))
        << ReadFile(err);
    first.Signal(SIGKILL);
    EXPECT_EQ(first.Wait(), 128 + SIGKILL);
  }
  ASSERT_THAT(ReadFile(err), Not(HasSubstr("snapshot: completed")))
      << "the snapshot ended before the kill";
  const size_t first_log = ReadFile(err).size();

  auto daemon = std::make_unique<Daemon>(args, dir.File("out"), err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(**server, db); }, std::chrono::seconds(180)))
      << ReadFile(err);
  std::string second_log = ReadFile(err).substr(first_log);
  EXPECT_THAT(second_log, HasSubstr("the initial snapshot did not complete before"));
  EXPECT_THAT(second_log, HasSubstr(absl::StrCat("snapshot: completed, ", kRows, " rows")));
  ASSERT_TRUE((*server)->Execute("INSERT INTO items VALUES (0, 'streamed')", db).ok());

  // Everything committed in Kafka: the first run's part of the snapshot, the
  // whole second snapshot, the streamed insert.
  std::vector<ConsumedRecord> records =
      ConsumeCommitted((*broker)->bootstrap(), "shop.public.items", "check", kRows + 1,
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
  daemon = std::make_unique<Daemon>(args, dir.File("out"), err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(**server, db); })) << ReadFile(err);
  ASSERT_TRUE((*server)->Execute("UPDATE items SET v = 'after' WHERE id = 1", db).ok());
  std::vector<ConsumedRecord> more =
      ConsumeCommitted((*broker)->bootstrap(), "shop.public.items", "check", 1);
  ASSERT_EQ(more.size(), 1u);
  EXPECT_THAT(*more[0].value, HasSubstr("\"op\":\"u\""));
  EXPECT_THAT(ReadFile(err).substr(second_end), Not(HasSubstr("snapshot:")));
}

TEST(SnapshotKafkaTest, ASlotWithoutRecordedPositionGetsASnapshot) {
  // A run that created the slot and died before its first Kafka commit
  // leaves a slot and no offsets; so does a slot made by hand.
  auto server = PgServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto broker = KafkaBroker::Start();
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string db = "snapnooffsets";
  ASSERT_TRUE((*server)->Execute(absl::StrCat("CREATE DATABASE ", db)).ok());
  ASSERT_TRUE((*server)->Execute("CREATE TABLE items (id int PRIMARY KEY, v text)", db).ok());
  ASSERT_TRUE((*server)->Execute("INSERT INTO items VALUES (1, 'one'), (2, 'two')", db).ok());
  ASSERT_TRUE((*server)
                  ->Execute(absl::StrCat("SELECT pg_create_logical_replication_slot('", db,
                                         "', 'pgoutput')"),
                            db)
                  .ok());
  TempDir dir;
  std::string config = dir.File("kafka.properties");
  std::ofstream(config) << BaseProperties(
      **server, db,
      absl::StrCat("debezium.source.snapshot.mode=initial\n"
                   "debezium.format.value.schemas.enable=false\n"
                   "debezium.sink.type=kafka\n"
                   "debezium.sink.kafka.producer.bootstrap.servers=", (*broker)->bootstrap(),
                   "\n"));
  std::string err = dir.File("err");
  Daemon daemon({"--config", config}, dir.File("out"), err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(**server, db); })) << ReadFile(err);
  EXPECT_THAT(ReadFile(err), HasSubstr("the sink has no recorded position: taking a snapshot"));
  std::vector<ConsumedRecord> records =
      ConsumeCommitted((*broker)->bootstrap(), "shop.public.items", "check", 2);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(*records[0].value, HasSubstr("\"op\":\"r\""));
  EXPECT_THAT(*records[1].value, HasSubstr("\"snapshot\":\"last\""));
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(), 0) << ReadFile(err);
}

}  // namespace
}  // namespace trackops::testing
