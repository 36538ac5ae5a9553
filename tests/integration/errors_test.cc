// Each set-up problem a person must fix stops the engine with
// kFailedPrecondition and a message saying what to do.

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "integration/recording_sink.h"
#include "integration/test_support.h"
#include "replication/pg_connection.h"
#include "replication/replication_stream.h"
#include "trackops/engine.h"

namespace trackops::testing {
namespace {

using ::testing::HasSubstr;

absl::Status RunToFailure(const Config& config) {
  RecordingSink sink;
  auto engine = Engine::Create(config, &sink);
  if (!engine.ok()) return engine.status();
  return (*engine)->Run();
}

class ErrorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = PgServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    ASSERT_TRUE(server_->Execute("CREATE TABLE t (id int PRIMARY KEY)").ok());
  }
  static void TearDownTestSuite() { delete server_; }
  static PgServer* server_;
};

PgServer* ErrorsTest::server_ = nullptr;

TEST_F(ErrorsTest, WalLevelNotLogical) {
  PgServerOptions options;
  options.settings["wal_level"] = "replica";
  auto replica = PgServer::Start(options);
  ASSERT_TRUE(replica.ok()) << replica.status();
  absl::Status s = RunToFailure(BaseConfig(**replica, "postgres"));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(s.message(), HasSubstr("wal_level is 'replica'"));
  EXPECT_THAT(s.message(), HasSubstr("ALTER SYSTEM SET wal_level = logical"));
}

TEST_F(ErrorsTest, MissingReplicationPrivilege) {
  ASSERT_TRUE(server_->Execute("CREATE ROLE plain LOGIN PASSWORD 'plainpw'").ok());
  Config config = BaseConfig(*server_, "postgres");
  config.connector.user = "plain";
  config.connector.password = "plainpw";
  absl::Status s = RunToFailure(config);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(s.message(), HasSubstr("has no REPLICATION privilege"));
  EXPECT_THAT(s.message(), HasSubstr("ALTER ROLE \"plain\" WITH REPLICATION"));
}

TEST_F(ErrorsTest, WrongPassword) {
  Config config = BaseConfig(*server_, "postgres");
  config.connector.password = "wrong";
  absl::Status s = RunToFailure(config);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(s.message(), HasSubstr("password authentication failed"));
  EXPECT_THAT(s.message(), HasSubstr("database.password"));
}

TEST_F(ErrorsTest, PublicationMissingWithAutocreateDisabled) {
  Config config = BaseConfig(*server_, "postgres",
                             "debezium.source.publication.autocreate.mode=disabled\n"
                             "debezium.source.publication.name=nopub\n");
  absl::Status s = RunToFailure(config);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(s.message(), HasSubstr("publication nopub does not exist"));
  EXPECT_THAT(s.message(), HasSubstr("CREATE PUBLICATION"));
}

TEST_F(ErrorsTest, FilteredPublicationIsCreatedFromTheIncludeList) {
  ASSERT_TRUE(server_->Execute("CREATE TABLE other (id int PRIMARY KEY)").ok());
  Config config = BaseConfig(*server_, "postgres",
                             "debezium.source.publication.autocreate.mode=filtered\n"
                             "debezium.source.publication.name=onlyt\n"
                             "debezium.source.slot.name=filtered_slot\n"
                             "debezium.source.table.include.list=public\\\\.t\n");
  RecordingSink sink;
  auto engine = Engine::Create(config, &sink);
  ASSERT_TRUE(engine.ok());
  std::thread t([&] { EXPECT_TRUE((*engine)->Run().ok()); });
  ASSERT_TRUE(WaitUntil([&] {
    auto n = server_->QueryValue("SELECT count(*) FROM pg_publication_tables WHERE pubname = 'onlyt'");
    return n.ok() && *n == "1";
  }));
  EXPECT_EQ(*server_->QueryValue(
                "SELECT tablename FROM pg_publication_tables WHERE pubname = 'onlyt'"),
            "t");
  (*engine)->Stop();
  t.join();
}

TEST_F(ErrorsTest, SlotActiveInAnotherProcess) {
  Config config = BaseConfig(*server_, "postgres", "debezium.source.slot.name=busy\n"
                                                   "debezium.source.publication.name=buspub\n");
  ASSERT_TRUE(server_->Execute("CREATE PUBLICATION buspub FOR ALL TABLES").ok());
  ASSERT_TRUE(server_
                  ->Execute("SELECT pg_create_logical_replication_slot('busy', 'pgoutput')")
                  .ok());
  // Another client holds the slot.
  auto conn = replication::PgConnection::Connect(server_->ConnInfo(), true);
  ASSERT_TRUE(conn.ok()) << conn.status();
  replication::ReplicationStream other(*std::move(conn));
  replication::StartOptions start;
  start.slot_name = "busy";
  start.publication_names = {"buspub"};
  ASSERT_TRUE(other.Start(start).ok());

  absl::Status s = RunToFailure(config);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_THAT(s.message(), HasSubstr("is active for PID"));
  EXPECT_THAT(s.message(), HasSubstr("slot.name"));
}

}  // namespace
}  // namespace trackops::testing
