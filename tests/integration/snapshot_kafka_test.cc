// An initial snapshot into Kafka with exactly-once delivery, through a
// kill -9 in the middle of it and writes while the daemon is down: the next
// start resumes the snapshot where its last Kafka commit left it, and every
// row reaches Kafka once, from the snapshot or from the stream (a table
// without a key with its duplicate rows too); a table rewritten meanwhile is
// read again whole; a later start takes no snapshot.

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/kafka_broker.h"
#include "harness/pg_server.h"
#include "integration/kafka_test_support.h"
#include "integration/test_support.h"
#include "simdjson.h"

namespace trackops::testing {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// The rows delivered by the last "progress: snapshot, N rows" line of a log.
int64_t SnapshotRowsLogged(const std::string& log) {
  static constexpr std::string_view kMark = "progress: snapshot, ";
  size_t at = log.rfind(kMark);
  if (at == std::string::npos) return 0;
  return std::atoll(log.c_str() + at + kMark.size());
}

// The events of the items topic applied in order, as a consumer rebuilding
// the table applies them.
struct ItemsReplay {
  std::map<int64_t, std::string> state;  // The table the events rebuild.
  std::map<int64_t, int> reads;          // Op "r" events per id.
  std::map<int64_t, int> events;         // Events of any op per id.
  std::set<int64_t> repeated;            // Ids read or created while in `state`.
  int deleted_unread = 0;                // Deletes of ids not in `state`.
};

void ReplayItems(const std::vector<ConsumedRecord>& records, ItemsReplay* out) {
  simdjson::dom::parser parser;
  for (const ConsumedRecord& r : records) {
    if (!r.value.has_value()) continue;  // Tombstone.
    simdjson::dom::element v;
    ASSERT_EQ(parser.parse(*r.value).get(v), simdjson::SUCCESS);
    std::string_view op, text;
    int64_t id = -1;
    ASSERT_EQ(v["op"].get(op), simdjson::SUCCESS);
    if (op == "d") {
      ASSERT_EQ(v["before"]["id"].get(id), simdjson::SUCCESS);
      ++out->events[id];
      if (out->state.erase(id) == 0) ++out->deleted_unread;
      continue;
    }
    ASSERT_EQ(v["after"]["id"].get(id), simdjson::SUCCESS);
    ASSERT_EQ(v["after"]["v"].get(text), simdjson::SUCCESS);
    ++out->events[id];
    if (op == "r") ++out->reads[id];
    if ((op == "r" || op == "c") && out->state.contains(id)) out->repeated.insert(id);
    out->state[id] = std::string(text);
  }
}

// The rows of a multiset ("row" -> copies) whose counts differ from
// `want`'s, at most 20 of them, each shortened.
std::string MultisetDifferences(const std::map<std::string, int>& got,
                                const std::map<std::string, int>& want) {
  std::set<std::string> rows;
  for (const auto& [row, n] : got) rows.insert(row);
  for (const auto& [row, n] : want) rows.insert(row);
  std::string out;
  int shown = 0;
  for (const std::string& row : rows) {
    auto g = got.find(row);
    auto w = want.find(row);
    const int in_got = g == got.end() ? 0 : g->second;
    const int in_want = w == want.end() ? 0 : w->second;
    if (in_got == in_want) continue;
    if (++shown > 20) {
      absl::StrAppend(&out, "...\n");
      break;
    }
    absl::StrAppend(&out, row.substr(0, 24), "...: ", in_got, " events, ", in_want,
                    " rows in the table\n");
  }
  return out;
}

// A PostgreSQL server and a Kafka broker per test, and a database named
// after the test with an `items` table.
class SnapshotKafkaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = PgServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    auto broker = KafkaBroker::Start();
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = *std::move(broker);
    db_ = absl::StrCat("db_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    for (char& c : db_) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(server_->Execute(absl::StrCat("CREATE DATABASE ", db_)).ok());
    ASSERT_TRUE(Sql("CREATE TABLE items (id int PRIMARY KEY, v text)").ok());
  }

  absl::Status Sql(const std::string& sql) const { return server_->Execute(sql, db_); }

  // trackops-cdcd's properties into the broker, snapshot.mode=initial, plus `extra`.
  std::string WriteConfig(const std::string& extra) const {
    std::string path = dir_.File("kafka.properties");
    std::ofstream(path) << BaseProperties(
        *server_, db_,
        absl::StrCat("debezium.source.snapshot.mode=initial\n"
                     "debezium.format.value.schemas.enable=false\n"
                     "debezium.sink.type=kafka\n"
                     "debezium.sink.kafka.producer.bootstrap.servers=",
                     broker_->bootstrap(), "\n", extra));
    return path;
  }

  // trackops-cdcd's arguments for a snapshot in chunks of 64 pages (about
  // 2,000 rows of 200 bytes), so that part of it is committed when the
  // daemon is killed, logging its progress every second.
  std::vector<std::string> ChunkedSnapshotArgs() const {
    std::string config = WriteConfig(
        "debezium.format.key.schemas.enable=false\n"
        "debezium.source.trackops.snapshot.chunk.pages=64\n"
        "debezium.sink.kafka.batch.max.bytes=1000000\n");
    return {"--config", config, "--progress", "1"};
  }

  // Runs trackops-cdcd with `args` until it has logged `rows` snapshot rows,
  // then kills it (SIGKILL), before the snapshot completes.
  void KillMidSnapshot(const std::vector<std::string>& args, int64_t rows) {
    Daemon first(args, dir_.File("out"), err_);
    ASSERT_TRUE(WaitUntil([&] { return SnapshotRowsLogged(ReadFile(err_)) >= rows; },
                          std::chrono::seconds(120)))
        << ReadFile(err_);
    first.Signal(SIGKILL);
    EXPECT_EQ(first.Wait(), 128 + SIGKILL);
    ASSERT_THAT(ReadFile(err_), Not(HasSubstr("snapshot: completed")))
        << "the snapshot ended before the kill";
  }

  // Fills items with `rows` rows of about 200 bytes and kills the daemon a
  // quarter into its snapshot (KillMidSnapshot).
  void FillItemsAndKillMidSnapshot(const std::vector<std::string>& args, int64_t rows) {
    ASSERT_TRUE(Sql(absl::StrCat("INSERT INTO items SELECT g, repeat('v', 200) || g "
                                 "FROM generate_series(1, ",
                                 rows, ") g"))
                    .ok());
    KillMidSnapshot(args, rows / 4);
  }

  // The records of `topic` committed so far (read in a group of their own).
  std::vector<ConsumedRecord> CommittedSoFar(const std::string& topic) const {
    return ConsumeCommitted(broker_->bootstrap(), topic, "so-far", 1, /*to_end=*/true);
  }

  // Starts trackops-cdcd with `args` into `daemon`, waits until it streams,
  // and sets `log` to what it logged meanwhile. (The slot alone is active
  // already while a resumed snapshot peeks at its changes.)
  void StartUntilStreaming(const std::vector<std::string>& args, std::unique_ptr<Daemon>* daemon,
                           std::string* log) {
    const size_t before = ReadFile(err_).size();
    *daemon = std::make_unique<Daemon>(args, dir_.File("out"), err_);
    ASSERT_TRUE(WaitUntil(
        [&] {
          *log = ReadFile(err_).substr(before);
          return log->find("streaming from slot ") != std::string::npos &&
                 SlotActive(*server_, db_);
        },
        std::chrono::seconds(180)))
        << ReadFile(err_);
  }

  // Inserts the marker row (0, 'streamed') into items, waits until its event
  // is committed in Kafka, and sets `records` to the committed records of
  // `topic`, which the marker's transaction follows (consumer group "check").
  void ConsumeThroughMarker(const std::string& topic, std::vector<ConsumedRecord>* records) {
    ASSERT_TRUE(Sql("INSERT INTO items VALUES (0, 'streamed')").ok());
    int probe = 0;
    ASSERT_TRUE(WaitUntil([&] {
      std::vector<ConsumedRecord> seen = ConsumeCommitted(broker_->bootstrap(), "shop.public.items",
                                                          absl::StrCat("probe", ++probe), 1, true);
      return !seen.empty() && seen.back().value.has_value() &&
             seen.back().value->find("\"streamed\"") != std::string::npos;
    })) << ReadFile(err_);
    *records = ConsumeCommitted(broker_->bootstrap(), topic, "check", 1, /*to_end=*/true);
  }

  // Expects `state` to be the items table: its count and the md5 of its
  // "id=v" list in id order, compared in SQL.
  void ExpectItemsTableIs(const std::map<int64_t, std::string>& state) const {
    auto table = server_->QueryValue(
        "SELECT count(*) || ':' || md5(string_agg(id || '=' || v, ',' ORDER BY id)) FROM items",
        db_);
    ASSERT_TRUE(table.ok()) << table.status();
    std::string rebuilt;
    for (const auto& [id, v] : state)
      absl::StrAppend(&rebuilt, rebuilt.empty() ? "" : ",", id, "=", v);
    auto digest = server_->QueryValue(absl::StrCat("SELECT ", state.size(), " || ':' || md5(",
                                                   "$trackops$", rebuilt, "$trackops$)"),
                                      db_);
    ASSERT_TRUE(digest.ok()) << digest.status();
    EXPECT_EQ(*digest, *table) << "the events do not rebuild the table";
  }

  std::unique_ptr<PgServer> server_;
  std::unique_ptr<KafkaBroker> broker_;
  std::string db_;
  TempDir dir_;
  const std::string err_ = dir_.File("err");  // trackops-cdcd's log, every run's.
};

TEST_F(SnapshotKafkaTest, KilledMidSnapshotItResumesAndEveryRowReachesKafkaOnce) {
  constexpr int kRows = 200000;
  const std::vector<std::string> args = ChunkedSnapshotArgs();
  ASSERT_NO_FATAL_FAILURE(FillItemsAndKillMidSnapshot(args, kRows));

  // While it is down: rows it delivered and rows it did not are updated,
  // some of the latter deleted, new ones inserted. The stream delivers
  // these; the resumed snapshot must not read them again.
  ASSERT_TRUE(Sql("UPDATE items SET v = 'early ' || id WHERE id <= 10").ok());
  ASSERT_TRUE(Sql(absl::StrCat("UPDATE items SET v = 'late ' || id WHERE id > ", kRows - 10)).ok());
  ASSERT_TRUE(
      Sql(absl::StrCat("DELETE FROM items WHERE id > ", kRows - 20, " AND id <= ", kRows - 15))
          .ok());
  ASSERT_TRUE(Sql(absl::StrCat("INSERT INTO items SELECT g, 'new ' || g FROM generate_series(",
                               kRows + 1, ", ", kRows + 5, ") g"))
                  .ok());

  std::unique_ptr<Daemon> daemon;
  std::string second_log;
  ASSERT_NO_FATAL_FAILURE(StartUntilStreaming(args, &daemon, &second_log));
  EXPECT_THAT(second_log, HasSubstr("the initial snapshot did not complete before: resuming it"));
  EXPECT_THAT(second_log, HasSubstr("snapshot: resuming at page "));
  EXPECT_THAT(second_log,
              HasSubstr("rows changed since the snapshot stopped come from the stream"));

  // Everything committed in Kafka, through the streamed insert of id 0.
  std::vector<ConsumedRecord> records;
  ASSERT_NO_FATAL_FAILURE(ConsumeThroughMarker("shop.public.items", &records));
  ItemsReplay replay;
  ASSERT_NO_FATAL_FAILURE(ReplayItems(records, &replay));
  EXPECT_THAT(replay.repeated, IsEmpty()) << "ids read or created after they were delivered";
  for (const auto& [id, n] : replay.reads) {
    ASSERT_EQ(n, 1) << "id " << id << " read " << n << " times";
  }
  // The rows changed while the daemon was down and not yet read come from
  // the stream only (a delete of a row never delivered would have failed).
  for (int64_t id = kRows - 9; id <= kRows; ++id) EXPECT_FALSE(replay.reads.contains(id)) << id;
  for (int64_t id = 1; id <= 10; ++id) EXPECT_EQ(replay.reads[id], 1) << id;
  // The stream delivers every change since the first snapshot, deletes of
  // rows the resumed snapshot no longer found among them.
  EXPECT_EQ(replay.deleted_unread, 5);
  ExpectItemsTableIs(replay.state);

  // Started again: the snapshot is complete, streaming goes on.
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(), 0) << ReadFile(err_);
  const size_t third_start = ReadFile(err_).size();
  std::string third_log;
  ASSERT_NO_FATAL_FAILURE(StartUntilStreaming(args, &daemon, &third_log));
  ASSERT_TRUE(Sql("UPDATE items SET v = 'after' WHERE id = 1").ok());
  std::vector<ConsumedRecord> more =
      ConsumeCommitted(broker_->bootstrap(), "shop.public.items", "check", 1);
  ASSERT_EQ(more.size(), 1u);
  EXPECT_THAT(*more[0].value, HasSubstr("\"op\":\"u\""));
  EXPECT_THAT(ReadFile(err_).substr(third_start), Not(HasSubstr("snapshot:")));
}

// (x|y -> copies) of the r and c events of a table without a key (x, y).
void CountRows(const std::vector<ConsumedRecord>& records, std::map<std::string, int>* out) {
  simdjson::dom::parser parser;
  for (const ConsumedRecord& r : records) {
    ASSERT_TRUE(r.value.has_value()) << "a tombstone of a table without a key";
    simdjson::dom::element v;
    ASSERT_EQ(parser.parse(*r.value).get(v), simdjson::SUCCESS);
    std::string_view op, y;
    int64_t x = 0;
    ASSERT_EQ(v["op"].get(op), simdjson::SUCCESS);
    ASSERT_TRUE(op == "r" || op == "c") << *r.value;
    ASSERT_EQ(v["after"]["x"].get(x), simdjson::SUCCESS);
    ASSERT_EQ(v["after"]["y"].get(y), simdjson::SUCCESS);
    ++(*out)[absl::StrCat(x, "|", std::string(y))];
  }
}

TEST_F(SnapshotKafkaTest, TablesWithoutKeyLoseNoRowAndThoseNotReachedComeOnce) {
  // nokey: 200,000 rows where the snapshot is killed: 980 distinct long
  // ones about 200 times each and, every 50th, a short (7, 's');
  // zz_nokey: read after it, 100 distinct rows 10 times each. Their rows are
  // told apart by all their columns, counted (the publication is for all
  // tables: these take inserts only).
  constexpr int kRows = 200000;
  ASSERT_TRUE(Sql("CREATE TABLE nokey (x int, y text)").ok());
  ASSERT_TRUE(Sql(absl::StrCat("INSERT INTO nokey SELECT CASE WHEN g % 50 = 0 THEN 7 ELSE "
                               "g % 1000 END, CASE WHEN g % 50 = 0 THEN 's' ELSE 'v' || "
                               "(g % 1000) || repeat('.', 190) END FROM generate_series(1, ",
                               kRows, ") g"))
                  .ok());
  ASSERT_TRUE(Sql("CREATE TABLE zz_nokey (x int, y text)").ok());
  ASSERT_TRUE(
      Sql("INSERT INTO zz_nokey SELECT g % 100, 'z' || (g % 100) FROM generate_series(1, 1000) g")
          .ok());
  // The marker's topic exists from the first snapshot on.
  ASSERT_TRUE(Sql("INSERT INTO items VALUES (1, 'one')").ok());
  const std::vector<std::string> args = ChunkedSnapshotArgs();
  ASSERT_NO_FATAL_FAILURE(KillMidSnapshot(args, kRows / 4));
  std::map<std::string, int> first_run;
  ASSERT_NO_FATAL_FAILURE(CountRows(CommittedSoFar("shop.public.nokey"), &first_run));
  ASSERT_FALSE(first_run.empty()) << "no chunk of nokey was committed before the kill";

  // While it is down: once VACUUM has recorded the room left in every
  // page, short rows equal to rows on both sides of the position land in
  // the pages already delivered; new rows; more copies of rows of zz_nokey.
  // The stream delivers them.
  ASSERT_TRUE(Sql("VACUUM nokey").ok());
  ASSERT_TRUE(Sql("INSERT INTO nokey SELECT 7, 's' FROM generate_series(1, 20)").ok());
  ASSERT_TRUE(Sql("INSERT INTO nokey SELECT 1000 + g % 10, 'new ' || (g % 10) "
                  "FROM generate_series(1, 20) g")
                  .ok());
  ASSERT_TRUE(Sql("INSERT INTO zz_nokey SELECT g % 100, 'z' || (g % 100) "
                  "FROM generate_series(1, 300) g")
                  .ok());

  std::unique_ptr<Daemon> daemon;
  std::string second_log;
  ASSERT_NO_FATAL_FAILURE(StartUntilStreaming(args, &daemon, &second_log));
  EXPECT_THAT(second_log, HasSubstr("snapshot: table public.nokey has no key to tell equal rows "
                                    "apart: reading it again whole"));
  EXPECT_THAT(second_log,
              HasSubstr("rows changed since the snapshot stopped come from the stream"));
  std::vector<ConsumedRecord> records;
  ASSERT_NO_FATAL_FAILURE(ConsumeThroughMarker("shop.public.nokey", &records));
  std::map<std::string, int> events, zz_events;
  ASSERT_NO_FATAL_FAILURE(CountRows(records, &events));
  ASSERT_NO_FATAL_FAILURE(CountRows(
      ConsumeCommitted(broker_->bootstrap(), "shop.public.zz_nokey", "zz", 1, true), &zz_events));

  auto table_counts = [this](const std::string& table) {
    std::map<std::string, int> out;
    auto counts =
        server_->QueryValue(absl::StrCat("SELECT string_agg(x || '|' || y || '=' || n, E'\\n') "
                                         "FROM (SELECT x, y, count(*) AS n FROM ",
                                         table, " GROUP BY x, y) c"),
                            db_);
    EXPECT_TRUE(counts.ok()) << counts.status();
    for (absl::string_view line : absl::StrSplit(counts.value_or(""), '\n', absl::SkipEmpty())) {
      const size_t eq = line.rfind('=');
      out[std::string(line.substr(0, eq))] = std::atoi(std::string(line.substr(eq + 1)).c_str());
    }
    return out;
  };
  // nokey: read again whole, so each row as many times as the table holds
  // it, plus the copies the first run delivered (none lost, some twice).
  std::map<std::string, int> expected = table_counts("nokey");
  ASSERT_EQ(expected.size(), 991u);
  for (const auto& [row, n] : first_run) expected[row] += n;
  EXPECT_TRUE(events == expected) << MultisetDifferences(events, expected);
  // zz_nokey, not reached when killed: each row exactly as often as held.
  std::map<std::string, int> zz_table = table_counts("zz_nokey");
  ASSERT_EQ(zz_table.size(), 100u);
  EXPECT_TRUE(zz_events == zz_table) << MultisetDifferences(zz_events, zz_table);

  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(), 0) << ReadFile(err_);
}

TEST_F(SnapshotKafkaTest, ATableRewrittenWhileDownIsReadAgainWhole) {
  constexpr int kRows = 200000;
  const std::vector<std::string> args = ChunkedSnapshotArgs();
  ASSERT_NO_FATAL_FAILURE(FillItemsAndKillMidSnapshot(args, kRows));
  std::set<int64_t> delivered;  // Read by the first run, committed.
  {
    ItemsReplay first;
    ASSERT_NO_FATAL_FAILURE(ReplayItems(CommittedSoFar("shop.public.items"), &first));
    for (const auto& [id, n] : first.reads) delivered.insert(id);
  }
  ASSERT_FALSE(delivered.empty()) << "no chunk was committed before the kill";
  ASSERT_LT(delivered.size(), static_cast<size_t>(kRows));
  ASSERT_TRUE(delivered.contains(1));
  ASSERT_FALSE(delivered.contains(kRows));

  // While it is down: the table is rewritten (a new relfilenode, its rows
  // moved), and rows delivered and not delivered are updated, before the
  // rewrite and after it. The updates come from the stream only.
  ASSERT_TRUE(Sql("UPDATE items SET v = 'early ' || id WHERE id <= 5").ok());
  ASSERT_TRUE(Sql("VACUUM FULL items").ok());
  ASSERT_TRUE(Sql(absl::StrCat("UPDATE items SET v = 'late ' || id WHERE id > ", kRows - 5)).ok());
  auto updated = [](int64_t id) { return id <= 5 || id > kRows - 5; };

  std::unique_ptr<Daemon> daemon;
  std::string second_log;
  ASSERT_NO_FATAL_FAILURE(StartUntilStreaming(args, &daemon, &second_log));
  EXPECT_THAT(second_log, HasSubstr("was rewritten since the snapshot stopped in it"));
  EXPECT_THAT(second_log, Not(HasSubstr("snapshot: resuming at page ")));
  std::vector<ConsumedRecord> records;
  ASSERT_NO_FATAL_FAILURE(ConsumeThroughMarker("shop.public.items", &records));
  ItemsReplay replay;
  ASSERT_NO_FATAL_FAILURE(ReplayItems(records, &replay));

  // Every row of the table has an event, and the events rebuild the table.
  auto ids = server_->QueryValue("SELECT string_agg(id::text, ',') FROM items", db_);
  ASSERT_TRUE(ids.ok()) << ids.status();
  size_t rows = 0, without_event = 0;
  for (absl::string_view id : absl::StrSplit(*ids, ',')) {
    ++rows;
    without_event += !replay.events.contains(std::atoll(std::string(id).c_str()));
  }
  EXPECT_EQ(rows, static_cast<size_t>(kRows + 1));
  EXPECT_EQ(without_event, 0u) << "rows of the table without an event";
  ExpectItemsTableIs(replay.state);

  // The rows the first run delivered are read a second time, the others
  // once; the updated ones are not read again (the stream has them).
  size_t twice = 0, want_twice = 0, wrong = 0;
  std::string examples;
  for (int64_t id = 1; id <= kRows; ++id) {
    const int want = (delivered.contains(id) ? 1 : 0) + (updated(id) ? 0 : 1);
    const int got = replay.reads.contains(id) ? replay.reads.at(id) : 0;
    twice += got == 2;
    want_twice += want == 2;
    if (got != want && ++wrong <= 20) {
      absl::StrAppend(&examples, " id ", id, ": ", got, " reads, want ", want, ";");
    }
  }
  EXPECT_EQ(wrong, 0u) << "ids read a wrong number of times:" << examples;
  EXPECT_GT(twice, 0u);
  EXPECT_EQ(twice, want_twice) << "the delivered rows not updated, read twice";

  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(), 0) << ReadFile(err_);
}

TEST_F(SnapshotKafkaTest, ASlotWithoutRecordedPositionGetsASnapshot) {
  // A run that created the slot and died before its first Kafka commit
  // leaves a slot and no offsets; so does a slot made by hand.
  ASSERT_TRUE(Sql("INSERT INTO items VALUES (1, 'one'), (2, 'two')").ok());
  ASSERT_TRUE(
      Sql(absl::StrCat("SELECT pg_create_logical_replication_slot('", db_, "', 'pgoutput')")).ok());
  std::string config = WriteConfig("");
  std::string err = dir_.File("err");
  Daemon daemon({"--config", config}, dir_.File("out"), err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); })) << ReadFile(err);
  EXPECT_THAT(ReadFile(err), HasSubstr("the sink has no recorded position: taking a snapshot"));
  std::vector<ConsumedRecord> records =
      ConsumeCommitted(broker_->bootstrap(), "shop.public.items", "check", 2);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_THAT(*records[0].value, HasSubstr("\"op\":\"r\""));
  EXPECT_THAT(*records[1].value, HasSubstr("\"snapshot\":\"last\""));
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.Wait(), 0) << ReadFile(err);
}

TEST_F(SnapshotKafkaTest, AnIncrementalSnapshotKilledCarriesOnWhereKafkaHasIt) {
  constexpr int kRows = 100000;
  ASSERT_TRUE(Sql("CREATE TABLE dbz_signal (id varchar(42) PRIMARY KEY, type varchar(32) NOT "
                  "NULL, data varchar(2048))")
                  .ok());
  ASSERT_TRUE(Sql(absl::StrCat("INSERT INTO items SELECT g, 'v' || g FROM generate_series(1, ",
                               kRows, ") g"))
                  .ok());
  const std::vector<std::string> args = {
      "--config",
      WriteConfig("debezium.format.key.schemas.enable=false\n"
                  "debezium.source.signal.data.collection=public.dbz_signal\n"
                  "debezium.source.incremental.snapshot.chunk.size=200\n"),
      "--progress", "1"};
  auto incremental_rows = [this] {
    static constexpr std::string_view kMark = "progress: incremental snapshot, ";
    const std::string log = ReadFile(err_);
    const size_t at = log.rfind(kMark);
    return at == std::string::npos ? 0 : std::atoll(log.c_str() + at + kMark.size());
  };
  {
    std::unique_ptr<Daemon> first;
    std::string log;
    ASSERT_NO_FATAL_FAILURE(StartUntilStreaming(args, &first, &log));
    ASSERT_TRUE(Sql("INSERT INTO dbz_signal VALUES ('ad-hoc-1', 'execute-snapshot', "
                    "'{\"data-collections\": [\"public.items\"]}')")
                    .ok());
    ASSERT_TRUE(
        WaitUntil([&] { return incremental_rows() >= kRows / 4; }, std::chrono::seconds(120)))
        << ReadFile(err_);
    first->Signal(SIGKILL);
    EXPECT_EQ(first->Wait(), 128 + SIGKILL);
  }
  ASSERT_THAT(ReadFile(err_), Not(HasSubstr("incremental snapshot: completed")))
      << "the incremental snapshot ended before the kill";
  // The daemon's progress line: the table's size estimated, a rate, a time left.
  EXPECT_THAT(ReadFile(err_),
              ContainsRegex("progress: incremental snapshot, [0-9]+ rows read; this table [0-9]+ "
                            "of about [0-9]+ rows, [0-9]+ rows/s, about [0-9.hms]+ left; 0 "
                            "tables queued"));

  std::unique_ptr<Daemon> daemon;
  std::string second_log;
  ASSERT_NO_FATAL_FAILURE(StartUntilStreaming(args, &daemon, &second_log));
  // It carries on (once streaming, with the pipeline) from what Kafka has.
  ASSERT_TRUE(WaitUntil([&] {
    return ReadFile(err_).find("incremental snapshot: completed") != std::string::npos;
  })) << ReadFile(err_);
  EXPECT_THAT(ReadFile(err_),
              HasSubstr("incremental snapshot: carrying on with public.items (after key "));
  std::vector<ConsumedRecord> records;
  ASSERT_NO_FATAL_FAILURE(ConsumeThroughMarker("shop.public.items", &records));

  // Each row once from the initial snapshot and once from the incremental
  // one, across the kill.
  std::map<int64_t, int> initial, incremental;
  simdjson::dom::parser parser;
  for (const ConsumedRecord& r : records) {
    if (!r.value.has_value()) continue;
    simdjson::dom::element v;
    ASSERT_EQ(parser.parse(*r.value).get(v), simdjson::SUCCESS);
    std::string_view op, snapshot;
    int64_t id = 0;
    ASSERT_EQ(v["op"].get(op), simdjson::SUCCESS);
    if (op != "r") continue;
    ASSERT_EQ(v["after"]["id"].get(id), simdjson::SUCCESS);
    ASSERT_EQ(v["source"]["snapshot"].get(snapshot), simdjson::SUCCESS);
    ++(snapshot == "incremental" ? incremental : initial)[id];
  }
  EXPECT_EQ(initial.size(), static_cast<size_t>(kRows));
  ASSERT_EQ(incremental.size(), static_cast<size_t>(kRows));
  EXPECT_EQ(incremental.begin()->first, 1);
  EXPECT_EQ(incremental.rbegin()->first, kRows);
  for (const auto& [id, n] : incremental) ASSERT_EQ(n, 1) << "id " << id << " read " << n;

  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(), 0) << ReadFile(err_);
}

}  // namespace
}  // namespace trackops::testing
