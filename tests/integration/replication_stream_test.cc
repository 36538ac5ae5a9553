// replication::ReplicationStream against a real PostgreSQL 15: Next with a
// zero timeout returns a message that has arrived on the socket (the engine
// polls with 0 when a status update or heartbeat is due).

#include <chrono>

#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "integration/test_support.h"
#include "replication/pg_connection.h"
#include "replication/replication_stream.h"

namespace trackops::testing {
namespace {

TEST(ReplicationStreamTest, NextWithZeroTimeoutReadsTheSocket) {
  auto server = PgServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  PgServer& pg = **server;
  ASSERT_TRUE(pg.Execute("CREATE TABLE t (id int PRIMARY KEY)").ok());
  ASSERT_TRUE(pg.Execute("CREATE PUBLICATION p FOR ALL TABLES").ok());
  ASSERT_TRUE(pg.Execute("SELECT pg_create_logical_replication_slot('s', 'pgoutput')").ok());
  auto conn = replication::PgConnection::Connect(pg.ConnInfo(), true);
  ASSERT_TRUE(conn.ok()) << conn.status();
  replication::ReplicationStream stream(*std::move(conn));
  replication::StartOptions start;
  start.slot_name = "s";
  start.publication_names = {"p"};
  ASSERT_TRUE(stream.Start(start).ok());

  ASSERT_TRUE(pg.Execute("INSERT INTO t VALUES (1)").ok());
  // Only zero-timeout calls: each must look at the socket.
  int data = 0;
  EXPECT_TRUE(WaitUntil([&] {
    absl::StatusOr<replication::StreamEvent> ev = stream.Next(std::chrono::milliseconds(0));
    EXPECT_TRUE(ev.ok()) << ev.status();
    if (ev.ok() && ev->kind == replication::StreamEvent::Kind::kData) ++data;
    return data >= 3;  // Begin, Relation or Insert, Commit.
  }));
}

}  // namespace
}  // namespace trackops::testing
