// replication::EnsurePublication against a real PostgreSQL 15, when another
// session creates the same publication at the same moment (daemons started
// together on one database, each with its own slot).

#include "replication/source_setup.h"

#include <memory>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "replication/pg_connection.h"
#include "test_support.h"

namespace trackops::testing {
namespace {

TEST(SourceSetupTest, APublicationCreatedMeanwhileIsTakenAsFound) {
  auto server = PgServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  PgServer& pg = **server;
  for (PublicationAutocreateMode mode :
       {PublicationAutocreateMode::kAllTables, PublicationAutocreateMode::kNoTables}) {
    ASSERT_TRUE(pg.Execute("DROP PUBLICATION IF EXISTS dbz_publication").ok());
    ConnectorConfig config;
    config.publication_autocreate_mode = mode;
    auto other = replication::PgConnection::Connect(pg.ConnInfo(), false);
    auto ours = replication::PgConnection::Connect(pg.ConnInfo(), false);
    ASSERT_TRUE(other.ok()) << other.status();
    ASSERT_TRUE(ours.ok()) << ours.status();
    // The other session has created it and not committed yet: ours does not
    // see it, and its own CREATE waits on the name until the other commits.
    ASSERT_TRUE((*other)->Exec("BEGIN").ok());
    ASSERT_TRUE((*other)->Exec("CREATE PUBLICATION dbz_publication FOR ALL TABLES").ok());
    absl::Status ensured;
    std::thread ensure([&] { ensured = replication::EnsurePublication(**ours, config); });
    const bool waiting = WaitUntil([&] {
      auto n = pg.QueryValue("SELECT count(*) FROM pg_locks WHERE NOT granted");
      return n.ok() && *n != "0";
    });
    ASSERT_TRUE((*other)->Exec("COMMIT").ok());
    ensure.join();
    ASSERT_TRUE(waiting) << "EnsurePublication never waited for the other session";
    EXPECT_TRUE(ensured.ok()) << ensured;
    auto count =
        pg.QueryValue("SELECT count(*) FROM pg_publication WHERE pubname = 'dbz_publication'");
    ASSERT_TRUE(count.ok()) << count.status();
    EXPECT_EQ(*count, "1");
  }
}

}  // namespace
}  // namespace trackops::testing
