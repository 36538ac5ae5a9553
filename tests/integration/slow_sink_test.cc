// A sink slower than wal_sender_timeout (a Kafka commit waiting on a slow or
// absent broker): while the engine thread is blocked in the sink, the engine
// keeps answering the walsender, so the connection survives, nothing is
// resent and every transaction is delivered once.

#include <chrono>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "integration/test_support.h"
#include "trackops/engine.h"

namespace trackops::testing {
namespace {

// Blocks in CommitTransaction for `delay` each time; remembers what it got.
class SlowSink : public Sink {
 public:
  explicit SlowSink(std::chrono::milliseconds delay) : delay_(delay) {}

  absl::Status BeginTransaction(const TransactionInfo&) override { return absl::OkStatus(); }
  absl::Status Write(const Record&) override { return absl::OkStatus(); }
  absl::Status CommitTransaction(const TransactionInfo& txn) override {
    std::this_thread::sleep_for(delay_);
    absl::MutexLock lock(&mu_);
    committed_.push_back(txn.xid.value());
    durable_ = txn.end_lsn;
    return absl::OkStatus();
  }
  absl::Status Flush() override { return absl::OkStatus(); }
  Lsn DurableLsn() const override {
    absl::MutexLock lock(&mu_);
    return durable_;
  }
  std::vector<uint32_t> committed() const {
    absl::MutexLock lock(&mu_);
    return committed_;
  }

 private:
  const std::chrono::milliseconds delay_;
  mutable absl::Mutex mu_;
  std::vector<uint32_t> committed_ ABSL_GUARDED_BY(mu_);
  Lsn durable_ ABSL_GUARDED_BY(mu_);
};

TEST(SlowSinkTest, TheWalsenderIsAnsweredWhileTheSinkBlocks) {
  PgServerOptions options;
  options.settings["wal_sender_timeout"] = "1s";
  auto server = PgServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  PgServer& pg = **server;
  ASSERT_TRUE(pg.Execute("CREATE TABLE t (id int PRIMARY KEY)").ok());
  // Each commit takes four times wal_sender_timeout.
  SlowSink sink(std::chrono::milliseconds(4000));
  auto engine = Engine::Create(BaseConfig(pg, "postgres"), &sink);
  ASSERT_TRUE(engine.ok()) << engine.status();
  absl::Status run;
  std::thread runner([&] { run = (*engine)->Run(); });
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(pg, "postgres"); }));

  ASSERT_TRUE(pg.Execute("INSERT INTO t VALUES (1)").ok());
  ASSERT_TRUE(pg.Execute("INSERT INTO t VALUES (2)").ok());
  ASSERT_TRUE(WaitUntil([&] { return sink.committed().size() >= 2; }, std::chrono::seconds(60)));
  (*engine)->Stop();
  runner.join();
  EXPECT_TRUE(run.ok()) << run;

  // The walsender never dropped the connection: no reconnect, each
  // transaction given once.
  EXPECT_EQ((*engine)->stats().reconnects, 0u);
  std::vector<uint32_t> committed = sink.committed();
  ASSERT_EQ(committed.size(), 2u);
  EXPECT_NE(committed[0], committed[1]);
}

}  // namespace
}  // namespace trackops::testing
