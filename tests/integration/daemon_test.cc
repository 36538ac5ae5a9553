// trackops-cdcd as a process: exit codes, SIGTERM, kill -9 and restart.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "integration/test_support.h"

namespace trackops::testing {
namespace {

using ::testing::HasSubstr;

// The "id" values in the "after" of every create event in a JSON-lines file.
std::multiset<int64_t> CreatedIds(const std::string& path) {
  std::multiset<int64_t> ids;
  std::string text = ReadFile(path);
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    // A line cut by kill -9 is incomplete; a complete one parses.
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(std::string(line)).get(doc) != simdjson::SUCCESS) continue;
    simdjson::dom::element value;
    if (doc["value"].get(value) != simdjson::SUCCESS || value.is_null()) continue;
    std::string_view op;
    if (value["op"].get(op) != simdjson::SUCCESS || op != "c") continue;
    int64_t id;
    if (value["after"]["id"].get(id) == simdjson::SUCCESS) ids.insert(id);
  }
  return ids;
}

size_t LineCount(const std::string& path) {
  std::string text = ReadFile(path);
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

class DaemonTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = PgServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() { delete server_; }

  void SetUp() override {
    db_ = absl::StrCat("d_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    for (char& c : db_) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(server_->Execute(absl::StrCat("CREATE DATABASE ", db_)).ok());
    ASSERT_TRUE(server_->Execute("CREATE TABLE items (id bigint PRIMARY KEY, v text)", db_).ok());
  }

  std::string WriteConfig(const std::string& extra = "") {
    std::string path = dir_.File("application.properties");
    std::ofstream(path) << BaseProperties(*server_, db_,
                                          "debezium.format.value.schemas.enable=false\n" + extra);
    return path;
  }

  bool SlotActive() { return trackops::testing::SlotActive(*server_, db_); }

  static PgServer* server_;
  std::string db_;
  TempDir dir_;
};

PgServer* DaemonTest::server_ = nullptr;

TEST_F(DaemonTest, HelpAndVersion) {
  std::string out = dir_.File("out"), err = dir_.File("err");
  EXPECT_EQ(Daemon({"--version"}, out, err).Wait(), 0);
  EXPECT_THAT(ReadFile(out), HasSubstr("trackops-cdcd 0."));
  EXPECT_EQ(Daemon({"--help"}, out, err).Wait(), 0);
  EXPECT_THAT(ReadFile(out), HasSubstr("--config FILE"));
}

TEST_F(DaemonTest, InvalidPropertyExitsWithTwoNamingIt) {
  std::string config = WriteConfig("debezium.source.database.port=fivefourthreetwo\n");
  std::string out = dir_.File("out"), err = dir_.File("err");
  EXPECT_EQ(Daemon({"--config", config}, out, err).Wait(), 2);
  EXPECT_THAT(ReadFile(err), HasSubstr("debezium.source.database.port"));
}

TEST_F(DaemonTest, DatabaseSetUpErrorExitsWithTwo) {
  std::string config = WriteConfig("debezium.source.database.password=not-it\n");
  std::string out = dir_.File("out"), err = dir_.File("err");
  // Later properties override earlier ones in the file.
  EXPECT_EQ(Daemon({"--config", config}, out, err).Wait(), 2);
  EXPECT_THAT(ReadFile(err), HasSubstr("password authentication failed"));
}

TEST_F(DaemonTest, SigtermFinishesFlushesAndConfirms) {
  std::string config = WriteConfig();
  std::string out = dir_.File("out"), err = dir_.File("err");
  Daemon daemon({"--config", config}, out, err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(); })) << ReadFile(err);
  std::string before = *server_->QueryValue("SELECT pg_current_wal_lsn()", db_);
  ASSERT_TRUE(
      server_->Execute("INSERT INTO items SELECT g, 'v' FROM generate_series(1, 50) g", db_).ok());
  ASSERT_TRUE(WaitUntil([&] { return CreatedIds(out).size() == 50; })) << ReadFile(err);
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(), 0) << ReadFile(err);
  auto confirmed = server_->QueryValue(
      absl::StrCat("SELECT confirmed_flush_lsn > '", before,
                   "'::pg_lsn AND NOT active FROM pg_replication_slots "
                   "WHERE slot_name = '", db_, "'"));
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(*confirmed, "t");
  // Every delivered transaction is confirmed: a restart delivers nothing again.
  Daemon again({"--config", config}, out, err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(); }));
  ASSERT_TRUE(server_->Execute("INSERT INTO items VALUES (51, 'last')", db_).ok());
  ASSERT_TRUE(WaitUntil([&] { return CreatedIds(out).count(51) == 1; }));
  again.Signal(SIGTERM);
  EXPECT_EQ(again.Wait(), 0);
  std::multiset<int64_t> ids = CreatedIds(out);
  EXPECT_EQ(ids.size(), 51u);  // No duplicates after a clean stop.
  EXPECT_THAT(ReadFile(err), HasSubstr("stopped; confirmed"));
}

TEST_F(DaemonTest, KillNineMidStreamThenRestartLosesNothing) {
  std::string config = WriteConfig();
  std::string out = dir_.File("out"), err = dir_.File("err");
  constexpr int kRows = 3000;
  constexpr int kPhases = 3;
  auto daemon = std::make_unique<Daemon>(std::vector<std::string>{"--config", config}, out, err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(); })) << ReadFile(err);

  // The workload runs in phases; phase p+1 starts only after the p-th kill,
  // so every kill falls between rows delivered and rows still to come.
  std::atomic<int> kills{0};
  std::thread workload([&] {
    SqlSession s(*server_, db_);
    int id = 1;
    for (int phase = 0; phase < kPhases; ++phase) {
      while (kills.load() < phase) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      for (int n = 0; n < kRows / kPhases; ++n) {
        // Single-row and three-row transactions.
        if (n % 4 == 0 && n + 3 <= kRows / kPhases) {
          ASSERT_TRUE(s.Run(absl::StrCat("INSERT INTO items VALUES (", id, ", 'a'), (", id + 1,
                                         ", 'b'), (", id + 2, ", 'c')"))
                          .ok());
          id += 3;
          n += 2;
        } else {
          ASSERT_TRUE(s.Run(absl::StrCat("INSERT INTO items VALUES (", id++, ", 'x')")).ok());
        }
      }
    }
  });
  for (int kill = 0; kill < kPhases - 1; ++kill) {
    size_t before = LineCount(out);
    ASSERT_TRUE(WaitUntil([&] { return LineCount(out) > before + 20; })) << ReadFile(err);
    daemon->Signal(SIGKILL);
    EXPECT_EQ(daemon->Wait(), 128 + SIGKILL);
    daemon = std::make_unique<Daemon>(std::vector<std::string>{"--config", config}, out, err);
    kills.store(kill + 1);
  }
  workload.join();
  ASSERT_TRUE(WaitUntil([&] {
    std::multiset<int64_t> ids = CreatedIds(out);
    return std::set<int64_t>(ids.begin(), ids.end()).size() == kRows;
  })) << ReadFile(err);
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(), 0) << ReadFile(err);
  std::multiset<int64_t> ids = CreatedIds(out);
  for (int i = 1; i <= kRows; ++i) ASSERT_GE(ids.count(i), 1u) << "lost id " << i;
}

}  // namespace
}  // namespace trackops::testing
