// Initial snapshots against a real PostgreSQL 15: every existing row comes
// out once as a read event, consistent with the stream that follows.

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "integration/engine_runner.h"
#include "integration/state_sink.h"
#include "integration/test_support.h"
#include "simdjson.h"
#include "trackops/engine.h"

namespace trackops::testing {
namespace {

using ::testing::ElementsAre;

class SnapshotTest : public PgDatabaseTest {
 protected:
  void TearDown() override { StopEngine(); }

  std::string Value(const std::string& sql) const {
    absl::StatusOr<std::string> v = server_->QueryValue(sql, db_);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? *v : "";
  }

  Config MakeConfig(const std::string& extra = "") const {
    return BaseConfig(*server_, db_, "debezium.source.snapshot.mode=initial\n" + extra);
  }

  void StartEngine(const Config& config, Sink* sink) { runner_.Start(config, sink); }
  void StopEngine() { runner_.Stop(); }

  // The table's rows as SELECT sees them: id -> v.
  std::map<int64_t, std::string> Rows(const std::string& table) const {
    std::string all = Value(absl::StrCat(
        "SELECT coalesce(string_agg(id || '=' || coalesce(v, ''), ',' ORDER BY id), '') FROM ",
        table));
    std::map<int64_t, std::string> rows;
    for (absl::string_view pair : absl::StrSplit(all, ',', absl::SkipEmpty())) {
      std::pair<std::string, std::string> kv = absl::StrSplit(pair, absl::MaxSplits('=', 1));
      int64_t id = 0;
      EXPECT_TRUE(absl::SimpleAtoi(kv.first, &id)) << pair;
      rows[id] = kv.second;
    }
    return rows;
  }

  // Creates the signal table dbz_signal (Debezium's columns) and streams
  // (snapshot.mode=no_data) into `sink` with it as signal.data.collection,
  // plus `extra` properties. The signal table is captured, as in Debezium:
  // the sink should leave its topic aside.
  void StartWithSignals(StateSink* sink, const std::string& extra = "") {
    ASSERT_TRUE(Sql("CREATE TABLE dbz_signal (id varchar(64) PRIMARY KEY, type varchar(32) NOT "
                    "NULL, data varchar(2048))")
                    .ok());
    StartEngine(MakeConfig("debezium.source.snapshot.mode=no_data\n"
                           "debezium.source.signal.data.collection=public.dbz_signal\n" +
                           extra),
                sink);
    ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); }));
  }

  // A sink that outlives the engine (the fixture stops the engine first).
  StateSink& NewSink(std::vector<std::string> ignored_topics = {}) {
    return *sinks_.emplace_back(std::make_unique<StateSink>(std::move(ignored_topics)));
  }

  std::vector<std::unique_ptr<StateSink>> sinks_;
  EngineRunner runner_;  // After the sinks, so that it stops first.
};

size_t CountOp(const std::vector<Event>& events, const std::string& op) {
  size_t n = 0;
  for (const Event& e : events) n += e.op == op;
  return n;
}

TEST_F(SnapshotTest, AMillionRowsComeOutOnceEachThenStreamingFollows) {
  constexpr int kRows = 1000000;
  ASSERT_TRUE(Sql("CREATE TABLE big (id bigint PRIMARY KEY, v text, amount numeric(12,2), "
                  "at timestamptz)")
                  .ok());
  ASSERT_TRUE(Sql(absl::StrCat("INSERT INTO big SELECT g, 'row ' || g, g / 100.0, "
                               "'2026-01-01'::timestamptz + g * interval '1 second' "
                               "FROM generate_series(1, ",
                               kRows, ") g"))
                  .ok());
  StateSink& sink = NewSink();
  StartEngine(MakeConfig(), &sink);
  ASSERT_TRUE(sink.WaitFor([](const std::vector<Event>& e) { return e.size() >= kRows; }))
      << sink.events().size() << " events; engine: " << runner_.status();
  // Streaming follows the snapshot from its consistent point.
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); }));
  ASSERT_TRUE(Sql("INSERT INTO big VALUES (0, 'streamed', 1, now())").ok());
  ASSERT_TRUE(sink.WaitFor([](const std::vector<Event>& e) { return e.size() >= kRows + 1; }));

  std::vector<Event> events = sink.events();
  ASSERT_EQ(events.size(), kRows + 1u);
  EXPECT_EQ(CountOp(events, "r"), static_cast<size_t>(kRows));
  EXPECT_EQ(sink.conflicts(), 0);
  EXPECT_EQ(sink.state()["shop.public.big"], Rows("big"));
  EXPECT_EQ(events.front().snapshot, "first");
  EXPECT_EQ(events[kRows - 1].snapshot, "last");
  EXPECT_EQ(events[1].snapshot, "true");
  EXPECT_EQ(events.back().op, "c");
  EXPECT_EQ(events.back().snapshot, "false");
  // Every read event carries the slot's consistent point; the stream starts
  // after it.
  const int64_t point = events.front().lsn;
  for (int i = 0; i < kRows; i += 9973) EXPECT_EQ(events[i].lsn, point);
  EXPECT_GT(events.back().lsn, point);
  // The rows came in transactions of their own, the last one completing.
  std::vector<SnapshotPhase> phases = sink.phases();
  ASSERT_GT(phases.size(), 2u);
  EXPECT_EQ(phases.front(), SnapshotPhase::kRunning);
  EXPECT_EQ(phases[phases.size() - 2], SnapshotPhase::kCompleted);
  EXPECT_EQ(phases.back(), SnapshotPhase::kNone);
  EXPECT_EQ(runner_.engine()->stats().snapshot_rows, static_cast<uint64_t>(kRows));
}

TEST_F(SnapshotTest, WritesDuringTheSnapshotAreStreamedAfterItNoneLostNoneTwice) {
  constexpr int kRows = 300000;
  ASSERT_TRUE(Sql("CREATE TABLE t (id bigint PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql(absl::StrCat("INSERT INTO t SELECT g, 'old ' || g FROM generate_series(1, ",
                               kRows, ") g"))
                  .ok());
  StateSink& sink = NewSink();
  // Two readers on chunks of 200 pages: they must share one snapshot.
  StartEngine(MakeConfig("debezium.source.snapshot.max.threads=2\n"
                         "debezium.source.trackops.snapshot.chunk.pages=200\n"),
              &sink);
  // Writes while the snapshot is being read: updates, deletes and inserts on
  // both sides of the snapshot's progress.
  ASSERT_TRUE(WaitUntil([&] { return runner_.engine()->stats().snapshot_running; }));
  std::atomic<int> writes{0};
  std::thread writer([&] {
    SqlSession session(*server_, db_);
    for (int i = 0; i < 200 && runner_.engine()->stats().snapshot_running; ++i) {
      const int64_t id = 1 + (static_cast<int64_t>(i) * 7919) % kRows;
      EXPECT_TRUE(session.Run(absl::StrCat("UPDATE t SET v = 'new ", i, "' WHERE id = ", id)).ok());
      EXPECT_TRUE(session.Run(absl::StrCat("DELETE FROM t WHERE id = ", kRows - i)).ok());
      EXPECT_TRUE(
          session.Run(absl::StrCat("INSERT INTO t VALUES (", kRows + 1 + i, ", 'ins')")).ok());
      writes += 3;
    }
  });
  writer.join();
  ASSERT_GT(writes.load(), 0) << "the snapshot ended before any write";
  // The end of the stream: a marker row written after everything else.
  ASSERT_TRUE(Sql("INSERT INTO t VALUES (0, 'end')").ok());
  ASSERT_TRUE(sink.WaitFor([](const std::vector<Event>& events) {
    return !events.empty() && events.back().id == 0 && events.back().op == "c";
  })) << sink.events().size()
      << " events; engine: " << runner_.status();
  EXPECT_EQ(sink.conflicts(), 0);
  EXPECT_EQ(sink.state()["shop.public.t"], Rows("t"));
}

TEST_F(SnapshotTest, ParallelReadersDeliverTheRowsInTheOrderOneScanGives) {
  constexpr int kRows = 50000;
  ASSERT_TRUE(Sql("CREATE TABLE t (id bigint PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("CREATE TABLE u (id bigint PRIMARY KEY, v text)").ok());
  // Not in id order on the heap: updates move rows to its end.
  ASSERT_TRUE(
      Sql(absl::StrCat("INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, ", kRows, ") g"))
          .ok());
  ASSERT_TRUE(Sql("UPDATE t SET v = 'moved' WHERE id % 10 = 3").ok());
  ASSERT_TRUE(Sql("INSERT INTO u SELECT g, NULL FROM generate_series(1, 1000) g").ok());
  std::vector<int64_t> heap_order;
  for (absl::string_view id :
       absl::StrSplit(Value("SELECT string_agg(id::text, ',') FROM (SELECT id FROM t) s"), ',')) {
    int64_t v = 0;
    ASSERT_TRUE(absl::SimpleAtoi(id, &v));
    heap_order.push_back(v);
  }
  ASSERT_EQ(heap_order.size(), static_cast<size_t>(kRows));
  StateSink& sink = NewSink();
  StartEngine(MakeConfig("debezium.source.snapshot.max.threads=3\n"
                         "debezium.source.trackops.snapshot.chunk.pages=20\n"),
              &sink);
  ASSERT_TRUE(sink.WaitFor([](const std::vector<Event>& e) { return e.size() >= kRows + 1000; }))
      << runner_.status();
  std::vector<Event> events = sink.events();
  ASSERT_EQ(events.size(), kRows + 1000u);
  std::vector<int64_t> got;
  for (int i = 0; i < kRows; ++i) {
    EXPECT_EQ(events[i].topic, "shop.public.t");
    got.push_back(events[i].id);
  }
  EXPECT_EQ(got, heap_order);
  EXPECT_EQ(events.front().snapshot, "first");
  EXPECT_EQ(events[kRows - 1].snapshot, "last_in_data_collection");
  EXPECT_EQ(events[kRows].snapshot, "first_in_data_collection");
  EXPECT_EQ(events.back().snapshot, "last");
  EXPECT_EQ(sink.state()["shop.public.u"], Rows("u"));
}

TEST_F(SnapshotTest, TablesInDebeziumsOrderWithItsMarkersAndOnlyThoseCaptured) {
  ASSERT_TRUE(Sql("CREATE SCHEMA other").ok());
  ASSERT_TRUE(Sql("CREATE TABLE public.b (id int PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("CREATE TABLE public.a (id int PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("CREATE TABLE public.empty (id int PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("CREATE TABLE public.skipped (id int PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("CREATE TABLE other.c (id int PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("INSERT INTO public.a VALUES (1, 'a1'), (2, 'a2'), (3, 'a3')").ok());
  ASSERT_TRUE(Sql("INSERT INTO public.b VALUES (1, 'b1')").ok());
  ASSERT_TRUE(Sql("INSERT INTO public.skipped VALUES (1, 's1')").ok());
  ASSERT_TRUE(Sql("INSERT INTO other.c VALUES (1, 'c1'), (2, NULL)").ok());
  StateSink& sink = NewSink();
  StartEngine(MakeConfig("debezium.source.table.exclude.list=public\\.skipped\n"), &sink);
  ASSERT_TRUE(sink.WaitFor([](const std::vector<Event>& e) { return e.size() >= 6; }))
      << runner_.status();
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); }));
  std::vector<std::string> seen;
  for (const Event& e : sink.events()) {
    seen.push_back(absl::StrCat(e.topic, ":", e.id, ":", e.op, ":", e.snapshot));
  }
  // other.c < public.a < public.b < public.empty; public.empty is last and
  // empty, so public.b's only row is the snapshot's last.
  EXPECT_THAT(seen,
              ElementsAre("shop.other.c:1:r:first", "shop.other.c:2:r:last_in_data_collection",
                          "shop.public.a:1:r:first_in_data_collection", "shop.public.a:2:r:true",
                          "shop.public.a:3:r:last_in_data_collection", "shop.public.b:1:r:last"));
}

TEST_F(SnapshotTest, SnapshotIncludeCollectionListReadsOnlyThoseTablesAndStreamsAll) {
  ASSERT_TRUE(Sql("CREATE TABLE a (id int PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("CREATE TABLE b (id int PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("INSERT INTO a VALUES (1, 'a1'), (2, 'a2')").ok());
  ASSERT_TRUE(Sql("INSERT INTO b VALUES (1, 'b1')").ok());
  StateSink& sink = NewSink();
  StartEngine(MakeConfig("debezium.source.snapshot.include.collection.list=public\\.a\n"), &sink);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); })) << runner_.status();
  ASSERT_TRUE(Sql("INSERT INTO b VALUES (2, 'b2')").ok());
  ASSERT_TRUE(sink.WaitFor([](const std::vector<Event>& e) { return e.size() >= 3; }));
  std::vector<std::string> seen;
  for (const Event& e : sink.events()) {
    seen.push_back(absl::StrCat(e.topic, ":", e.id, ":", e.op, ":", e.snapshot));
  }
  EXPECT_THAT(seen, ElementsAre("shop.public.a:1:r:first", "shop.public.a:2:r:last",
                                "shop.public.b:2:c:false"));
}

TEST_F(SnapshotTest, StoppedDuringTheSnapshotItIsTakenAgainAtTheNextStart) {
  constexpr int kRows = 400000;
  ASSERT_TRUE(Sql("CREATE TABLE t (id bigint PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(
      Sql(absl::StrCat("INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, ", kRows, ") g"))
          .ok());
  {
    StateSink& first = NewSink();
    StartEngine(MakeConfig(), &first);
    ASSERT_TRUE(WaitUntil([&] { return runner_.engine()->stats().snapshot_rows > 0; }));
    StopEngine();
    ASSERT_LT(first.events().size(), static_cast<size_t>(kRows)) << "stopped too late to test";
  }
  // The slot is made only once a snapshot is delivered: none yet.
  EXPECT_EQ(Value(absl::StrCat("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '", db_,
                               "'")),
            "0");
  StateSink& second = NewSink();
  StartEngine(MakeConfig(), &second);
  ASSERT_TRUE(second.WaitFor([](const std::vector<Event>& e) { return e.size() >= kRows; }))
      << runner_.status();
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); }));
  EXPECT_EQ(second.conflicts(), 0);
  EXPECT_EQ(second.state()["shop.public.t"], Rows("t"));
  StopEngine();
  // Started again on the slot: no snapshot, the stream goes on.
  StateSink& third = NewSink();
  StartEngine(MakeConfig(), &third);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); }));
  ASSERT_TRUE(Sql("UPDATE t SET v = 'after' WHERE id = 5").ok());
  ASSERT_TRUE(third.WaitFor([](const std::vector<Event>& e) { return !e.empty(); }));
  std::vector<Event> events = third.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].op, "u");
}

TEST_F(SnapshotTest, AlwaysTakesOneAtEveryStartAndStreamsFromTheSlot) {
  ASSERT_TRUE(Sql("CREATE TABLE t (id bigint PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("INSERT INTO t VALUES (1, 'one'), (2, 'two')").ok());
  const std::string always = "debezium.source.snapshot.mode=always\n";
  StateSink& first = NewSink();
  StartEngine(MakeConfig(always), &first);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); })) << runner_.status();
  ASSERT_TRUE(Sql("UPDATE t SET v = 'uno' WHERE id = 1").ok());
  ASSERT_TRUE(first.WaitFor([](const std::vector<Event>& e) { return e.size() >= 3; }));
  StopEngine();
  // Changed while stopped: in the second snapshot, and streamed from the
  // slot's position (a change may show in both, never in neither).
  ASSERT_TRUE(Sql("INSERT INTO t VALUES (3, 'three')").ok());
  StateSink& second = NewSink();
  StartEngine(MakeConfig(always), &second);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); })) << runner_.status();
  ASSERT_TRUE(Sql("INSERT INTO t VALUES (4, 'four')").ok());
  ASSERT_TRUE(
      second.WaitFor([](const std::vector<Event>& e) { return !e.empty() && e.back().id == 4; }));
  std::vector<Event> events = second.events();
  EXPECT_EQ(CountOp(events, "r"), 3u);
  std::map<int64_t, std::string> seen;
  for (const Event& e : events) seen[e.id] = e.value;
  EXPECT_EQ(seen, Rows("t"));
}

TEST_F(SnapshotTest, NoDataAndInitialOnly) {
  ASSERT_TRUE(Sql("CREATE TABLE t (id bigint PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("INSERT INTO t VALUES (1, 'one'), (2, 'two')").ok());
  {
    // initial_only: the rows, then the engine returns; no slot is made.
    StateSink& sink = NewSink();
    StartEngine(MakeConfig("debezium.source.snapshot.mode=initial_only\n"), &sink);
    ASSERT_TRUE(WaitUntil([&] { return !runner_.running(); })) << "initial_only kept running";
    StopEngine();
    EXPECT_EQ(sink.state()["shop.public.t"], Rows("t"));
    EXPECT_EQ(Value(absl::StrCat("SELECT count(*) FROM pg_replication_slots WHERE slot_name LIKE '",
                                 db_, "%'")),
              "0");
  }
  {
    // no_data: streaming only.
    StateSink& sink = NewSink();
    StartEngine(MakeConfig("debezium.source.snapshot.mode=no_data\n"), &sink);
    ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); }));
    ASSERT_TRUE(Sql("INSERT INTO t VALUES (3, 'three')").ok());
    ASSERT_TRUE(sink.WaitFor([](const std::vector<Event>& e) { return !e.empty(); }));
    std::vector<Event> events = sink.events();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].id, 3);
    EXPECT_EQ(events[0].op, "c");
  }
}

// Incremental snapshots (signal.data.collection): a table read again in
// chunks while a writer updates, deletes and inserts rows all over it. Each
// chunk's rows changed inside its window must give way to the stream's
// newer values, so the events rebuild the table exactly.
TEST_F(SnapshotTest, IncrementalSnapshotRacingUpdatesEndsWithTheLatestValues) {
  constexpr int kRows = 30000;
  ASSERT_TRUE(Sql("CREATE TABLE t (id bigint PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql(absl::StrCat("INSERT INTO t SELECT g, 'old ' || g FROM generate_series(1, ",
                               kRows, ") g"))
                  .ok());
  StateSink& sink = NewSink({"shop.public.dbz_signal"});
  ASSERT_NO_FATAL_FAILURE(
      StartWithSignals(&sink, "debezium.source.incremental.snapshot.chunk.size=100\n"));
  ASSERT_TRUE(Sql("INSERT INTO dbz_signal VALUES ('ad-hoc-1', 'execute-snapshot', "
                  "'{\"data-collections\": [\"public.t\"], \"type\": \"incremental\"}')")
                  .ok());
  // The writer runs until the snapshot is over, touching rows ahead of it,
  // behind it and inside its windows.
  std::set<int64_t> touched;
  int rounds = 0;
  {
    SqlSession session(*server_, db_);
    auto done = [&] {
      EngineStats s = runner_.engine()->stats();
      return s.incremental_snapshot_rows > 0 && !s.incremental_snapshot_running;
    };
    for (; !done() && rounds < 20000; ++rounds) {
      const int64_t id = 1 + (static_cast<int64_t>(rounds) * 7919) % kRows;
      touched.insert(id);
      if (rounds % 10 == 9) {
        ASSERT_TRUE(session.Run(absl::StrCat("DELETE FROM t WHERE id = ", id)).ok());
      } else {
        ASSERT_TRUE(session
                        .Run(absl::StrCat("INSERT INTO t VALUES (", id, ", 'w", rounds,
                                          "') ON CONFLICT (id) DO UPDATE SET v = 'w", rounds, "'"))
                        .ok());
      }
    }
  }
  ASSERT_TRUE(WaitUntil(
      [&] {
        EngineStats s = runner_.engine()->stats();
        return s.incremental_snapshot_rows > 0 && !s.incremental_snapshot_running;
      },
      std::chrono::seconds(120)))
      << "the incremental snapshot did not end";
  ASSERT_GT(rounds, 100) << "too few writes raced the snapshot";
  ASSERT_TRUE(Sql("INSERT INTO t VALUES (0, 'end')").ok());
  ASSERT_TRUE(sink.WaitFor([](const std::vector<Event>& events) {
    return !events.empty() && events.back().id == 0 && events.back().op == "c";
  })) << sink.events().size()
      << " events; engine: " << runner_.status();

  std::map<int64_t, std::string> table = Rows("t");
  EXPECT_EQ(sink.state()["shop.public.t"], table);
  // Rows the writer never touched are read once each, as incremental reads.
  std::map<int64_t, int> reads;
  for (const Event& e : sink.events()) {
    if (e.op != "r") continue;
    EXPECT_EQ(e.snapshot, "incremental");
    ++reads[e.id];
  }
  size_t untouched = 0;
  for (const auto& [id, v] : table) {
    if (id == 0 || touched.contains(id)) continue;
    ++untouched;
    EXPECT_EQ(reads[id], 1) << "id " << id;
  }
  EXPECT_GT(untouched, 0u);
  for (const auto& [id, n] : reads) EXPECT_EQ(n, 1) << "id " << id << " read " << n << " times";
  EXPECT_EQ(runner_.engine()->stats().incremental_snapshot_rows, reads.size() + 0u);
}

TEST_F(SnapshotTest, IncrementalSnapshotSignalsThatAreWrongAreLoggedAndIgnored) {
  ASSERT_TRUE(Sql("CREATE TABLE t (id bigint PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("CREATE TABLE nokey (id bigint, v text)").ok());
  ASSERT_TRUE(Sql("INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')").ok());
  StateSink& sink = NewSink({"shop.public.dbz_signal"});
  ASSERT_NO_FATAL_FAILURE(StartWithSignals(&sink));
  // Not JSON, no table, a table without a key, an unknown type: nothing is
  // read, streaming goes on; then a good one reads t.
  ASSERT_TRUE(Sql("INSERT INTO dbz_signal VALUES ('s1', 'execute-snapshot', 'not json'), "
                  "('s2', 'execute-snapshot', '{\"data-collections\": [\"public.missing\"]}'), "
                  "('s3', 'execute-snapshot', '{\"data-collections\": [\"public.nokey\"]}'), "
                  "('s4', 'no-such-signal', '{}'), "
                  "('s5', 'execute-snapshot', '{\"data-collections\": [\"(\"]}')")
                  .ok());
  ASSERT_TRUE(Sql("INSERT INTO dbz_signal VALUES ('s6', 'execute-snapshot', "
                  "'{\"data-collections\": [\"public\\\\.t\"]}')")
                  .ok());
  ASSERT_TRUE(WaitUntil([&] { return runner_.engine()->stats().incremental_snapshot_rows == 3; }))
      << runner_.engine()->stats().incremental_snapshot_rows;
  ASSERT_TRUE(Sql("INSERT INTO t VALUES (4, 'four')").ok());
  ASSERT_TRUE(
      sink.WaitFor([](const std::vector<Event>& e) { return !e.empty() && e.back().id == 4; }));
  EXPECT_EQ(sink.state()["shop.public.t"], Rows("t"));
  EXPECT_EQ(CountOp(sink.events(), "r"), 3u);
  EXPECT_TRUE(runner_.running());
}

TEST_F(SnapshotTest, IncrementalSnapshotPausedStoppedAndResumed) {
  ASSERT_TRUE(Sql("CREATE TABLE t (id bigint PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("CREATE TABLE u (id bigint PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')").ok());
  ASSERT_TRUE(Sql("INSERT INTO u VALUES (1, 'u1'), (2, 'u2')").ok());
  StateSink& sink = NewSink({"shop.public.dbz_signal"});
  ASSERT_NO_FATAL_FAILURE(StartWithSignals(&sink));
  // Handled in order: paused, nothing is read; u is taken off the queue;
  // resumed, t is read.
  ASSERT_TRUE(Sql("INSERT INTO dbz_signal VALUES ('p1', 'pause-snapshot', '{}'), "
                  "('e1', 'execute-snapshot', '{\"data-collections\": [\"public.t\", "
                  "\"public.u\"]}'), "
                  "('s1', 'stop-snapshot', '{\"data-collections\": [\"public.u\"]}'), "
                  "('l1', 'log', '{\"message\": \"hello\"}'), "
                  "('r1', 'resume-snapshot', '{}')")
                  .ok());
  ASSERT_TRUE(WaitUntil([&] {
    EngineStats s = runner_.engine()->stats();
    return s.incremental_snapshot_rows == 3 && !s.incremental_snapshot_running;
  })) << runner_.engine()->stats().incremental_snapshot_rows;
  ASSERT_TRUE(Sql("INSERT INTO u VALUES (3, 'streamed')").ok());
  ASSERT_TRUE(sink.WaitFor([](const std::vector<Event>& e) {
    return !e.empty() && e.back().topic == "shop.public.u" && e.back().id == 3;
  }));
  std::vector<Event> events = sink.events();
  ASSERT_EQ(events.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].topic, "shop.public.t");
    EXPECT_EQ(events[i].op, "r");
    EXPECT_EQ(events[i].id, i + 1);
    EXPECT_EQ(events[i].snapshot, "incremental");
  }
  EXPECT_EQ(events[3].op, "c");
}

// Progress: the table read now, its size (counted, for a small one never
// analysed), and the tables queued after it; nothing once done.
TEST_F(SnapshotTest, IncrementalSnapshotReportsTheTableItReadsAndWhatIsQueued) {
  ASSERT_TRUE(Sql("CREATE TABLE t (id bigint PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("CREATE TABLE u (id bigint PRIMARY KEY, v text)").ok());
  ASSERT_TRUE(Sql("INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three')").ok());
  ASSERT_TRUE(Sql("INSERT INTO u VALUES (1, 'u1'), (2, 'u2')").ok());
  StateSink& sink = NewSink({"shop.public.dbz_signal"});
  ASSERT_NO_FATAL_FAILURE(
      StartWithSignals(&sink, "debezium.source.incremental.snapshot.chunk.size=1\n"));
  // The first chunk of t is read, then the snapshot pauses: its window
  // closes and its row is emitted, and nothing more is read.
  ASSERT_TRUE(Sql("INSERT INTO dbz_signal VALUES ('e1', 'execute-snapshot', "
                  "'{\"data-collections\": [\"public.t\", \"public.u\"]}'), "
                  "('p1', 'pause-snapshot', '{}')")
                  .ok());
  ASSERT_TRUE(WaitUntil([&] { return runner_.engine()->stats().incremental_snapshot_rows == 1; }));
  EngineStats s = runner_.engine()->stats();
  EXPECT_TRUE(s.incremental_snapshot_running);
  EXPECT_EQ(s.incremental_snapshot_table_rows, 1u);
  // t was never vacuumed nor analysed (reltuples -1), and is small: counted.
  EXPECT_EQ(s.incremental_snapshot_table_estimated_rows, 3);
  EXPECT_GE(s.incremental_snapshot_table_seconds, 0);
  EXPECT_EQ(s.incremental_snapshot_tables_queued, 1u);

  ASSERT_TRUE(Sql("INSERT INTO dbz_signal VALUES ('r1', 'resume-snapshot', '{}')").ok());
  ASSERT_TRUE(WaitUntil([&] {
    EngineStats d = runner_.engine()->stats();
    return d.incremental_snapshot_rows == 5 && !d.incremental_snapshot_running;
  })) << runner_.engine()->stats().incremental_snapshot_rows;
  s = runner_.engine()->stats();
  EXPECT_EQ(s.incremental_snapshot_table_rows, 0u);
  EXPECT_EQ(s.incremental_snapshot_table_estimated_rows, -1);
  EXPECT_EQ(s.incremental_snapshot_tables_queued, 0u);
  EXPECT_EQ(sink.events().size(), 5u);
}

}  // namespace
}  // namespace trackops::testing
