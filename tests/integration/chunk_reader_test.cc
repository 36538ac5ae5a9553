// snapshot::ChunkReader against a real PostgreSQL 15: chunks come back in
// order, each whole, with or without worker connections (which wait for the
// consumer when their buffers are full); an error in one
// chunk is that chunk's result; a consumer that stops early leaves no worker
// behind (the reader's destructor returns).

#include "snapshot/chunk_reader.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "replication/pg_connection.h"

namespace trackops::testing {
namespace {

using ::testing::HasSubstr;

class ChunkReaderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = PgServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    ASSERT_TRUE(server_->Execute("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 20000) g")
                    .ok());
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  std::unique_ptr<replication::PgConnection> Connect() {
    auto conn = replication::PgConnection::Connect(server_->ConnInfo(), false);
    EXPECT_TRUE(conn.ok()) << conn.status();
    return conn.ok() ? *std::move(conn) : nullptr;
  }
  std::vector<std::unique_ptr<replication::PgConnection>> Workers(int n) {
    std::vector<std::unique_ptr<replication::PgConnection>> workers;
    for (int i = 0; i < n; ++i) workers.push_back(Connect());
    return workers;
  }

  // Ten chunks of 2000 ids each, about 200 kB with their padding, so that
  // a chunk takes several blocks; the fourth one fails when `broken`.
  static std::vector<snapshot::Chunk> Chunks(bool broken) {
    std::vector<snapshot::Chunk> chunks;
    for (int i = 0; i < 10; ++i) {
      std::string sql = absl::StrCat("COPY (SELECT id, repeat('x', 1000) FROM t WHERE id > ",
                                     i * 2000,
                                     " AND id <= ", (i + 1) * 2000, " ORDER BY id) TO STDOUT");
      if (broken && i == 3) sql = "COPY (SELECT id / 0 FROM t) TO STDOUT";
      chunks.push_back(snapshot::Chunk{0, absl::StrCat("chunk ", i), sql});
    }
    return chunks;
  }

  static PgServer* server_;
};

PgServer* ChunkReaderTest::server_ = nullptr;

TEST_F(ChunkReaderTest, ChunksComeInOrderWithAndWithoutWorkers) {
  const std::vector<snapshot::Chunk> chunks = Chunks(false);
  for (int workers : {0, 1, 3}) {
    auto main = Connect();
    // A small buffer, so that workers wait for the consumer.
    snapshot::ChunkReader reader(&chunks, main.get(), Workers(workers), 4096);
    int64_t expected = 1;
    for (size_t c = 0; c < chunks.size(); ++c) {
      absl::Status s = reader.ForEachLine(c, [&](std::string_view line) {
        EXPECT_EQ(line, absl::StrCat(expected, "\t", std::string(1000, 'x')))
            << workers << " workers";
        ++expected;
        return absl::OkStatus();
      });
      ASSERT_TRUE(s.ok()) << s;
    }
    EXPECT_EQ(expected, 20001) << workers << " workers";
  }
}

TEST_F(ChunkReaderTest, AFailingChunkIsThatChunksErrorAndStoppingEarlyLeavesNoWorker) {
  const std::vector<snapshot::Chunk> chunks = Chunks(true);
  for (int workers : {0, 2}) {
    auto main = Connect();
    snapshot::ChunkReader reader(&chunks, main.get(), Workers(workers), 4096);
    for (size_t c = 0; c < 3; ++c) {
      ASSERT_TRUE(reader.ForEachLine(c, [](std::string_view) { return absl::OkStatus(); }).ok());
    }
    absl::Status s = reader.ForEachLine(3, [](std::string_view) { return absl::OkStatus(); });
    EXPECT_THAT(s.message(), HasSubstr("division by zero")) << workers << " workers";
    EXPECT_THAT(s.message(), HasSubstr("chunk 3"));
    // The consumer gives up here; the workers hold full buffers of later
    // chunks. The destructor must still return.
  }
  // A consumer's own error stops the chunk at once.
  auto main = Connect();
  snapshot::ChunkReader reader(&chunks, main.get(), Workers(2), 4096);
  int lines = 0;
  absl::Status s = reader.ForEachLine(0, [&](std::string_view) {
    return ++lines == 10 ? absl::DataLossError("bad row") : absl::OkStatus();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(lines, 10);
}

}  // namespace
}  // namespace trackops::testing
