// replication::ReplicationStream against a real PostgreSQL 15: Next with a
// zero timeout returns a message that has arrived on the socket (the engine
// polls with 0 when a status update or heartbeat is due); with read
// coalescing, a run of messages sent one by one is read at once.

#include "replication/replication_stream.h"

#include <chrono>
#include <memory>
#include <thread>

#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "integration/test_support.h"
#include "replication/pg_connection.h"

namespace trackops::testing {
namespace {

// A server with table t in publication p, and a stream started on slot s.
class ReplicationStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = PgServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    ASSERT_TRUE(server_->Execute("CREATE TABLE t (id int PRIMARY KEY)").ok());
    ASSERT_TRUE(server_->Execute("CREATE PUBLICATION p FOR ALL TABLES").ok());
    ASSERT_TRUE(
        server_->Execute("SELECT pg_create_logical_replication_slot('s', 'pgoutput')").ok());
    auto conn = replication::PgConnection::Connect(server_->ConnInfo(), true);
    ASSERT_TRUE(conn.ok()) << conn.status();
    stream_ = std::make_unique<replication::ReplicationStream>(*std::move(conn));
    replication::StartOptions start;
    start.slot_name = "s";
    start.publication_names = {"p"};
    ASSERT_TRUE(stream_->Start(start).ok());
  }

  std::unique_ptr<PgServer> server_;
  std::unique_ptr<replication::ReplicationStream> stream_;
};

TEST_F(ReplicationStreamTest, NextWithZeroTimeoutReadsTheSocket) {
  PgServer& pg = *server_;
  replication::ReplicationStream& stream = *stream_;

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

TEST_F(ReplicationStreamTest, ReadCoalescingReadsARunOfMessagesAtOnce) {
  PgServer& pg = *server_;
  replication::ReplicationStream& stream = *stream_;
  // Whatever the walsender sends on its own at the start (a keepalive).
  absl::StatusOr<replication::StreamEvent> ev;
  do {
    ev = stream.Next(std::chrono::milliseconds(200));
    ASSERT_TRUE(ev.ok()) << ev.status();
  } while (ev->kind != replication::StreamEvent::Kind::kNone);

  // 20 transactions 10 ms apart, each sent by the walsender as it commits.
  // Reading at the first byte would take 20 reads at least. The delay is far
  // longer than the 20 take to commit, even on a loaded machine.
  stream.SetReadCoalescing(std::chrono::seconds(3));
  const int64_t reads_before = stream.socket_reads();
  absl::Status written;
  std::thread writer([&] {
    written = pg.Execute(
        "DO $$ BEGIN FOR i IN 1..20 LOOP INSERT INTO t VALUES (i); COMMIT; "
        "PERFORM pg_sleep(0.01); END LOOP; END $$");
  });
  int commits = 0;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (commits < 20 && std::chrono::steady_clock::now() < give_up) {
    ev = stream.Next(std::chrono::seconds(5));
    if (!ev.ok()) break;
    if (ev->kind == replication::StreamEvent::Kind::kData && !ev->payload.empty() &&
        ev->payload[0] == 'C') {
      ++commits;
    }
  }
  writer.join();
  ASSERT_TRUE(written.ok()) << written;
  ASSERT_TRUE(ev.ok()) << ev.status();
  ASSERT_EQ(commits, 20);
  // One read takes them all; two if the writer was slower than the delay.
  EXPECT_LE(stream.socket_reads() - reads_before, 2);
}

}  // namespace
}  // namespace trackops::testing
