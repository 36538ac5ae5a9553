// snapshot::CollectChangedRows against a real PostgreSQL 15: the rows that
// the slot's pending changes wrote, including those of transactions that
// committed asynchronously and whose WAL the server has not flushed yet.

#include "snapshot/changed_rows.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "replication/pg_connection.h"

namespace trackops::testing {
namespace {

std::string Key(const char* id) {
  std::string identity;
  std::string_view text(id);
  snapshot::AppendIdentityColumn(&identity, &text);
  return identity;
}

TEST(ChangedRowsTest, WaitsForTheWalOfAsynchronousCommits) {
  // The test servers commit asynchronously (synchronous_commit=off); a WAL
  // writer that wakes every 2 s leaves the last commits unflushed for about
  // that long, so the peek would not see them if it ran at once.
  PgServerOptions options;
  options.settings["wal_writer_delay"] = "2000ms";
  auto server = PgServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  PgServer& pg = **server;
  ASSERT_TRUE(pg.Execute("CREATE TABLE k (id int PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(pg.Execute("CREATE PUBLICATION p FOR TABLE k").ok());
  ASSERT_TRUE(pg.Execute("SELECT pg_create_logical_replication_slot('s', 'pgoutput')").ok());

  ASSERT_TRUE(pg.Execute("INSERT INTO k VALUES (1, 'a'), (2, 'b')").ok());
  ASSERT_TRUE(pg.Execute("INSERT INTO k VALUES (3, 'c')").ok());
  ASSERT_TRUE(pg.Execute("UPDATE k SET v = 'b2' WHERE id = 2").ok());
  auto upto_text = pg.QueryValue("SELECT pg_current_wal_insert_lsn()::text");
  ASSERT_TRUE(upto_text.ok()) << upto_text.status();
  std::optional<Lsn> upto = Lsn::Parse(*upto_text);
  ASSERT_TRUE(upto.has_value()) << *upto_text;

  auto conn = replication::PgConnection::Connect(pg.ConnInfo(), false);
  ASSERT_TRUE(conn.ok()) << conn.status();
  auto changed = snapshot::CollectChangedRows(**conn, snapshot::PeekOptions{"s", "p", *upto},
                                              {snapshot::IdentifiedTable{"public.k", {"id"}}});
  ASSERT_TRUE(changed.ok()) << changed.status();
  // Three inserts and an update of a row inserted in the window.
  EXPECT_EQ(changed->rows(), 4u);
  EXPECT_TRUE(changed->Take("public.k", Key("1")));
  EXPECT_TRUE(changed->Take("public.k", Key("2")));
  EXPECT_TRUE(changed->Take("public.k", Key("2")));
  EXPECT_TRUE(changed->Take("public.k", Key("3")));
  EXPECT_FALSE(changed->Take("public.k", Key("4")));
}

}  // namespace
}  // namespace trackops::testing
