// An initial snapshot into Kafka with exactly-once delivery, through a
// kill -9 in the middle of it and writes while the daemon is down: the next
// start resumes the snapshot where its last Kafka commit left it, and every
// row reaches Kafka once, from the snapshot or from the stream; a later
// start takes no snapshot.

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
                     "debezium.sink.kafka.producer.bootstrap.servers=",
                     broker_->bootstrap(), "\n", extra));
    return path;
  }

  std::unique_ptr<PgServer> server_;
  std::unique_ptr<KafkaBroker> broker_;
  std::string db_;
  TempDir dir_;
};

TEST_F(SnapshotKafkaTest, KilledMidSnapshotItResumesAndEveryRowReachesKafkaOnce) {
  constexpr int kRows = 200000;
  ASSERT_TRUE(Sql(absl::StrCat("INSERT INTO items SELECT g, repeat('v', 200) || g "
                               "FROM generate_series(1, ",
                               kRows, ") g"))
                  .ok());
  // Chunks of 64 pages (about 2,000 rows), so that part of the snapshot is
  // committed when the daemon is killed.
  std::string config = WriteConfig(
      "debezium.format.key.schemas.enable=false\n"
      "debezium.source.trackops.snapshot.chunk.pages=64\n"
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

  // While it is down: rows it delivered and rows it did not are updated,
  // some of the latter deleted, new ones inserted. The stream delivers
  // these; the resumed snapshot must not read them again.
  ASSERT_TRUE(Sql("UPDATE items SET v = 'early ' || id WHERE id <= 10").ok());
  ASSERT_TRUE(Sql(absl::StrCat("UPDATE items SET v = 'late ' || id WHERE id > ", kRows - 10)).ok());
  ASSERT_TRUE(
      Sql(absl::StrCat("DELETE FROM items WHERE id > ", kRows - 20, " AND id <= ", kRows - 15))
          .ok());
  ASSERT_TRUE(Sql(absl::StrCat("INSERT INTO items SELECT g, 'new ' || g FROM generate_series(",
                               kRows + 1, ", ", kRows + 5, ") g"))
                  .ok());

  auto daemon = std::make_unique<Daemon>(args, dir_.File("out"), err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); }, std::chrono::seconds(180)))
      << ReadFile(err);
  std::string second_log = ReadFile(err).substr(first_log);
  EXPECT_THAT(second_log, HasSubstr("the initial snapshot did not complete before: resuming it"));
  EXPECT_THAT(second_log, HasSubstr("snapshot: resuming at page "));
  EXPECT_THAT(second_log,
              HasSubstr("rows changed since the snapshot stopped come from the stream"));
  ASSERT_TRUE(Sql("INSERT INTO items VALUES (0, 'streamed')").ok());

  // Everything committed in Kafka, through the streamed insert of id 0.
  int probe = 0;
  ASSERT_TRUE(WaitUntil([&] {
    std::vector<ConsumedRecord> seen = ConsumeCommitted(broker_->bootstrap(), "shop.public.items",
                                                        absl::StrCat("probe", ++probe), 1, true);
    return !seen.empty() && seen.back().value.has_value() &&
           seen.back().value->find("\"streamed\"") != std::string::npos;
  })) << ReadFile(err);
  std::vector<ConsumedRecord> records =
      ConsumeCommitted(broker_->bootstrap(), "shop.public.items", "check", 1, /*to_end=*/true);
  std::map<int64_t, int> reads;
  std::map<int64_t, std::string> state;  // Rebuilt from the events.
  int deleted_unread = 0;
  simdjson::dom::parser parser;
  for (const ConsumedRecord& r : records) {
    if (!r.value.has_value()) continue;  // Tombstone.
    simdjson::dom::element v;
    ASSERT_EQ(parser.parse(*r.value).get(v), simdjson::SUCCESS);
    std::string_view op, text;
    int64_t id = -1;
    ASSERT_EQ(v["op"].get(op), simdjson::SUCCESS);
    if (op == "d") {
      ASSERT_EQ(v["before"]["id"].get(id), simdjson::SUCCESS);
      // The stream delivers every change since the first snapshot, deletes
      // of rows the resumed snapshot no longer found among them.
      if (state.erase(id) == 0) ++deleted_unread;
      continue;
    }
    ASSERT_EQ(v["after"]["id"].get(id), simdjson::SUCCESS);
    ASSERT_EQ(v["after"]["v"].get(text), simdjson::SUCCESS);
    if (op == "r") {
      ++reads[id];
      EXPECT_FALSE(state.contains(id)) << "read of a row delivered before: " << id;
    }
    if (op == "c") {
      EXPECT_FALSE(state.contains(id)) << "create of a row delivered before: " << id;
    }
    state[id] = std::string(text);
  }
  for (const auto& [id, n] : reads) ASSERT_EQ(n, 1) << "id " << id << " read " << n << " times";
  // The rows changed while the daemon was down and not yet read come from
  // the stream only (a delete of a row never delivered would have failed).
  for (int64_t id = kRows - 9; id <= kRows; ++id) EXPECT_FALSE(reads.contains(id)) << id;
  for (int64_t id = 1; id <= 10; ++id) EXPECT_EQ(reads[id], 1) << id;
  EXPECT_EQ(deleted_unread, 5);
  auto table = server_->QueryValue(
      "SELECT count(*) || ':' || md5(string_agg(id || '=' || v, ',' ORDER BY id)) FROM items", db_);
  ASSERT_TRUE(table.ok()) << table.status();
  std::string rebuilt;
  for (const auto& [id, v] : state)
    absl::StrAppend(&rebuilt, rebuilt.empty() ? "" : ",", id, "=", v);
  auto digest = server_->QueryValue(absl::StrCat("SELECT ", state.size(), " || ':' || md5(",
                                                 "$trackops$", rebuilt, "$trackops$)"),
                                    db_);
  ASSERT_TRUE(digest.ok()) << digest.status();
  EXPECT_EQ(*digest, *table) << "the events do not rebuild the table";

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
