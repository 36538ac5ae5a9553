// The engine with a sink that keeps its own position (as the Kafka sink
// does), against a real PostgreSQL 15: the idle position the engine hands to
// Sink::Tick never passes a transaction the sink has not been given again
// after a reconnect.

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "integration/test_support.h"
#include "trackops/engine.h"

namespace trackops::testing {
namespace {

// Keeps its position but never makes anything durable, as if every batch
// were still open: Open() always answers "nothing delivered", so each
// connection starts again from the slot. Records, per connection, the
// transactions given and the idle positions passed to Tick(); fails one
// Tick() on request.
class UncommittedSink : public Sink {
 public:
  struct TickSeen {
    int session;
    Lsn idle;
    size_t transactions_before;  // Given in the same session before this Tick.
  };

  bool KeepsPosition() const override { return true; }
  absl::StatusOr<Lsn> Open() override {
    absl::MutexLock lock(&mu_);
    ++session_;
    given_.emplace_back();
    return Lsn();
  }
  absl::Status BeginTransaction(const TransactionInfo&) override { return absl::OkStatus(); }
  absl::Status Write(const Record&) override { return absl::OkStatus(); }
  absl::Status CommitTransaction(const TransactionInfo& txn) override {
    absl::MutexLock lock(&mu_);
    given_.back().push_back(txn);
    return absl::OkStatus();
  }
  absl::Status Flush() override { return absl::OkStatus(); }
  Lsn DurableLsn() const override { return Lsn(); }
  absl::Status Tick(Lsn idle, bool) override {
    absl::MutexLock lock(&mu_);
    ticks_.push_back({session_, idle, given_.empty() ? 0 : given_.back().size()});
    if (fail_next_tick_) {
      fail_next_tick_ = false;
      return absl::UnavailableError("the sink lost its open batch");
    }
    return absl::OkStatus();
  }

  void FailNextTick() {
    absl::MutexLock lock(&mu_);
    fail_next_tick_ = true;
  }
  int session() const {
    absl::MutexLock lock(&mu_);
    return session_;
  }
  // Transactions given in `session` (1-based).
  std::vector<TransactionInfo> given(int session) const {
    absl::MutexLock lock(&mu_);
    return session <= static_cast<int>(given_.size()) ? given_[session - 1]
                                                      : std::vector<TransactionInfo>{};
  }
  std::vector<TickSeen> ticks() const {
    absl::MutexLock lock(&mu_);
    return ticks_;
  }

 private:
  mutable absl::Mutex mu_;
  int session_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<std::vector<TransactionInfo>> given_ ABSL_GUARDED_BY(mu_);
  std::vector<TickSeen> ticks_ ABSL_GUARDED_BY(mu_);
  bool fail_next_tick_ ABSL_GUARDED_BY(mu_) = false;
};

TEST(SinkPositionTest, KeepaliveOfAFailedConnectionIsNotTheIdlePositionOfTheNext) {
  auto server = PgServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  PgServer& pg = **server;
  ASSERT_TRUE(pg.Execute("CREATE TABLE t (id int PRIMARY KEY)").ok());
  UncommittedSink sink;
  auto engine = Engine::Create(BaseConfig(pg, "postgres"), &sink);
  ASSERT_TRUE(engine.ok()) << engine.status();
  absl::Status run;
  std::thread runner([&] { run = (*engine)->Run(); });

  ASSERT_TRUE(WaitUntil([&] { return SlotActive(pg, "postgres"); }));
  // Two transactions, given to the sink and never made durable.
  ASSERT_TRUE(pg.Execute("INSERT INTO t VALUES (1)").ok());
  ASSERT_TRUE(pg.Execute("INSERT INTO t VALUES (2)").ok());
  ASSERT_TRUE(WaitUntil([&] { return sink.given(1).size() == 2; }));
  const TransactionInfo second = sink.given(1)[1];
  // WAL after them (no transaction to send) makes the server send a
  // keepalive beyond them.
  ASSERT_TRUE(pg.Execute("CHECKPOINT").ok());
  auto keepalive_seen = [&] {
    for (const UncommittedSink::TickSeen& t : sink.ticks()) {
      if (t.session == 1 && t.idle > second.end_lsn) return true;
    }
    return false;
  };
  EXPECT_TRUE(WaitUntil(keepalive_seen));
  // The sink loses its open batch: the engine reconnects and the server sends
  // both transactions again.
  sink.FailNextTick();
  EXPECT_TRUE(WaitUntil([&] { return sink.given(2).size() == 2; }));
  (*engine)->Stop();
  runner.join();
  EXPECT_TRUE(run.ok()) << run;

  // Until the second transaction is given again, no idle position may pass
  // its commit: a sink recording one would skip it after a restart.
  for (const UncommittedSink::TickSeen& t : sink.ticks()) {
    if (t.session == 2 && t.transactions_before < 2) {
      EXPECT_LE(t.idle.value(), second.commit_lsn.value())
          << "idle " << t.idle.ToString() << " after " << t.transactions_before
          << " transactions; second commits at " << second.commit_lsn.ToString();
    }
  }
}

// Holds the first transaction's commit until released; records, per Tick,
// how many transactions it had been given and whether the engine said the
// stream was caught up.
class GatedSink : public Sink {
 public:
  struct TickSeen {
    size_t given;
    bool caught_up;
  };

  absl::Status BeginTransaction(const TransactionInfo&) override { return absl::OkStatus(); }
  absl::Status Write(const Record&) override { return absl::OkStatus(); }
  absl::Status CommitTransaction(const TransactionInfo&) override {
    absl::MutexLock lock(&mu_);
    ++given_;
    if (given_ == 1) mu_.Await(absl::Condition(&released_));
    return absl::OkStatus();
  }
  absl::Status Flush() override { return absl::OkStatus(); }
  Lsn DurableLsn() const override { return Lsn(); }
  absl::Status Tick(Lsn, bool caught_up) override {
    absl::MutexLock lock(&mu_);
    ticks_.push_back({given_, caught_up});
    return absl::OkStatus();
  }

  void Release() {
    absl::MutexLock lock(&mu_);
    released_ = true;
  }
  size_t given() const {
    absl::MutexLock lock(&mu_);
    return given_;
  }
  std::vector<TickSeen> ticks() const {
    absl::MutexLock lock(&mu_);
    return ticks_;
  }

 private:
  mutable absl::Mutex mu_;
  size_t given_ ABSL_GUARDED_BY(mu_) = 0;
  bool released_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<TickSeen> ticks_ ABSL_GUARDED_BY(mu_);
};

// Tick's caught_up (what lets a batching sink commit early) is false while
// transactions the server already sent wait to be read, and true once the
// engine has read them all.
TEST(SinkPositionTest, TickSaysCaughtUpOnlyOnceEverythingSentWasRead) {
  auto server = PgServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  PgServer& pg = **server;
  ASSERT_TRUE(pg.Execute("CREATE TABLE t (id int PRIMARY KEY)").ok());
  GatedSink sink;
  auto engine = Engine::Create(BaseConfig(pg, "postgres"), &sink);
  ASSERT_TRUE(engine.ok()) << engine.status();
  absl::Status run;
  std::thread runner([&] { run = (*engine)->Run(); });
  struct Release {
    GatedSink* sink;
    ~Release() { sink->Release(); }  // Lets the runner finish on any failure.
  } release{&sink};

  ASSERT_TRUE(WaitUntil([&] { return SlotActive(pg, "postgres"); }));
  ASSERT_TRUE(pg.Execute("INSERT INTO t VALUES (0)").ok());
  ASSERT_TRUE(WaitUntil([&] { return sink.given() == 1; }));  // Held in its commit.
  constexpr int kMore = 9;
  for (int i = 1; i <= kMore; ++i) {
    ASSERT_TRUE(pg.Execute(absl::StrCat("INSERT INTO t VALUES (", i, ")")).ok());
  }
  // The walsender has written all of them to the engine's socket (it moves
  // sent_lsn on only once a decoded record's output is flushed). The insert
  // position: the server commits asynchronously, so the WAL written so far
  // (pg_current_wal_lsn) may end before the last commits.
  absl::StatusOr<std::string> end = pg.QueryValue("SELECT pg_current_wal_insert_lsn()");
  ASSERT_TRUE(end.ok()) << end.status();
  ASSERT_TRUE(WaitUntil([&] {
    auto sent = pg.QueryValue(absl::StrCat("SELECT count(*) = 1 AND bool_and(sent_lsn >= '", *end,
                                           "') FROM pg_stat_replication"));
    return sent.ok() && *sent == "t";
  }));
  const size_t ticks_before = sink.ticks().size();
  sink.Release();
  auto caught_up_after_all = [&] {
    for (const GatedSink::TickSeen& t : sink.ticks()) {
      if (t.caught_up && t.given == 1 + kMore) return true;
    }
    return false;
  };
  EXPECT_TRUE(WaitUntil(caught_up_after_all));
  (*engine)->Stop();
  runner.join();
  EXPECT_TRUE(run.ok()) << run;

  const std::vector<GatedSink::TickSeen> ticks = sink.ticks();
  size_t between = 0;
  for (size_t i = ticks_before; i < ticks.size(); ++i) {
    if (ticks[i].given > 1 + kMore - 1) break;
    ++between;
    EXPECT_FALSE(ticks[i].caught_up)
        << "after " << ticks[i].given << " of " << 1 + kMore << " transactions, all already sent";
  }
  EXPECT_GE(between, static_cast<size_t>(kMore - 1));  // A Tick after each commit read.
}

}  // namespace
}  // namespace trackops::testing
