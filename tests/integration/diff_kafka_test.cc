// trackops-diff with Kafka topics as input, the way a user checks a topic
// against a reference: the same changes streamed by trackops-cdcd to stdout
// (a JSON-lines file) and into Kafka (exactly once) compare identical; a
// changed record is found and named by its topic, partition and offset.

#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/kafka_broker.h"
#include "harness/pg_server.h"
#include "integration/test_support.h"

namespace trackops::testing {
namespace {

using ::testing::HasSubstr;

struct DiffRun {
  int status = -1;
  std::string output;
};

DiffRun Diff(const std::string& args) {
  const char* dir = std::getenv("TRACKOPS_BINARY_DIR");
  std::string command = absl::StrCat(dir != nullptr ? dir : ".",
                                     "/tools/trackops-diff/trackops-diff ", args, " 2>&1");
  DiffRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) run.output.append(buffer, n);
  int status = pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

TEST(DiffKafkaTest, KafkaTopicsCompareWithAFileOfTheSameChanges) {
  auto server = PgServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto broker = KafkaBroker::Start();
  ASSERT_TRUE(broker.ok()) << broker.status();
  const std::string db = "diffdb";
  ASSERT_TRUE((*server)->Execute(absl::StrCat("CREATE DATABASE ", db)).ok());
  ASSERT_TRUE((*server)->Execute("CREATE TABLE items (id int PRIMARY KEY, v text)", db).ok());

  TempDir dir;
  std::string stdout_config = dir.File("stdout.properties");
  std::ofstream(stdout_config) << BaseProperties(**server, db,
                                                 "debezium.source.slot.name=to_file\n"
                                                 "debezium.sink.type=stdout\n");
  std::string kafka_config = dir.File("kafka.properties");
  std::ofstream(kafka_config) << BaseProperties(
      **server, db,
      absl::StrCat("debezium.source.slot.name=to_kafka\n"
                   "debezium.sink.type=kafka\n"
                   "debezium.sink.kafka.producer.bootstrap.servers=", (*broker)->bootstrap(), "\n"
                   "debezium.sink.kafka.batch.max.ms=20\n"));
  std::string file = dir.File("items.jsonl");
  Daemon to_file({"--config", stdout_config}, file, dir.File("stdout.err"));
  Daemon to_kafka({"--config", kafka_config}, dir.File("kafka.out"), dir.File("kafka.err"));
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(**server, "to_file"); }));
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(**server, "to_kafka"); }))
      << ReadFile(dir.File("kafka.err"));

  SqlSession s(**server, db);
  ASSERT_TRUE(s.Run("INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, 50) g").ok());
  ASSERT_TRUE(s.Run("UPDATE items SET v = 'changed' WHERE id % 7 = 0").ok());
  ASSERT_TRUE(s.Run("DELETE FROM items WHERE id > 45").ok());
  ASSERT_TRUE(s.Run("INSERT INTO items VALUES (1000, 'last')").ok());
  // 50 inserts, 7 updates, 5 deletes and their tombstones, one insert.
  constexpr int kRecords = 50 + 7 + 5 * 2 + 1;
  ASSERT_TRUE(WaitUntil([&] {
    std::string text = ReadFile(file);
    return static_cast<int>(std::count(text.begin(), text.end(), '\n')) >= kRecords;
  }));

  const std::string topics = absl::StrCat("kafka://", (*broker)->bootstrap(), "/shop.public.items");
  // Wait until Kafka has all of them committed, then they must be identical.
  DiffRun same;
  ASSERT_TRUE(WaitUntil([&] {
    same = Diff(absl::StrCat("--kafka-timeout-ms 20000 ", file, " ", topics));
    return same.status == 0;
  })) << same.output;
  EXPECT_THAT(same.output, HasSubstr(absl::StrCat("compared ", kRecords, " records: ", kRecords,
                                                  " identical")));

  // One value changed in the file: found, and named on the Kafka side.
  std::string text = ReadFile(file);
  size_t at = text.find("\"v\":\"changed\"");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 13, "\"v\":\"edited!\"");
  std::string edited = dir.File("edited.jsonl");
  std::ofstream(edited) << text;
  DiffRun different = Diff(absl::StrCat(edited, " ", topics));
  EXPECT_EQ(different.status, 1) << different.output;
  EXPECT_THAT(different.output, HasSubstr("topic shop.public.items partition 0 offset"));
  EXPECT_THAT(different.output, HasSubstr("1 different"));

  // A topic the cluster does not have is trouble, not a difference.
  DiffRun missing = Diff(absl::StrCat(file, " kafka://", (*broker)->bootstrap(), "/no.such.topic"));
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_THAT(missing.output, HasSubstr("no topic no.such.topic"));
}

}  // namespace
}  // namespace trackops::testing
