// Exactly once into Kafka under chaos: a writer commits mixed transactions
// while trackops-cdcd is killed with SIGKILL at random moments, the Kafka
// broker is restarted once and PostgreSQL crashes and restarts once. At the
// end every committed row change must be in Kafka exactly once, per key in
// commit order, as seen by a read_committed consumer.
//
//   TRACKOPS_CHAOS_SEED=N    the seed of the run (printed; random by default)
//   TRACKOPS_CHAOS_KILLS=N   how many times the daemon is killed (default 10)

#include <libpq-fe.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "harness/kafka_broker.h"
#include "harness/pg_server.h"
#include "integration/kafka_test_support.h"
#include "integration/test_support.h"
#include "trackops/types.h"

namespace trackops::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr int kPartitions = 3;
constexpr int kHotKeys = 20;             // counters rows, updated over and over.
constexpr int64_t kBulkRows = 100000;    // The one large transaction.
constexpr int kMaxTransactions = 12000;  // Bounds the volume on slow machines.
const char* const kTables[] = {"accounts", "counters", "bulk", "txlog"};

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  uint64_t out = 0;
  if (v == nullptr || !absl::SimpleAtoi(v, &out)) return fallback;
  return out;
}

// "table/id": one Kafka key of one topic.
std::string KeyOf(const std::string& table, int64_t id) { return absl::StrCat(table, "/", id); }

// The expected change events of one key, in commit order: "c<seq>" for an
// insert, "u<seq>" for an update, "d" for a delete and "t" for its tombstone.
using History = std::map<std::string, std::vector<std::string>>;

// One change of a planned transaction (applied to the model once committed).
struct Change {
  std::string key;
  std::string token;
};

// The workload: a single writer whose transactions each insert their number
// into txlog, so that one cut off by a crash can be looked up afterwards.
// Every inserted or updated row gets a fresh sequence number in `seq`.
class Writer {
 public:
  Writer(const PgServer& server, std::string db, uint64_t seed)
      : server_(server), db_(std::move(db)), rng_(seed) {}
  ~Writer() { PQfinish(conn_); }

  // Runs transactions until `stop` is set (or kMaxTransactions); the
  // transaction of kBulkRows rows comes once `bulk_now` is set, and before
  // the end in any case.
  void Run(const std::atomic<bool>& bulk_now, const std::atomic<bool>& stop) {
    bool hot_keys_done = false;
    int64_t txn = 0;
    while ((!stop.load() || !bulk_done_) && txn < kMaxTransactions &&
           !::testing::Test::HasFailure()) {
      std::vector<Change> changes;
      std::string sql;
      ++txn;
      // Each of the two comes again when a crash cut its commit off.
      const bool hot_keys = !hot_keys_done;
      const bool bulk = hot_keys_done && !bulk_done_ && (bulk_now.load() || stop.load());
      if (hot_keys) {
        sql = HotKeys(&changes);
      } else if (bulk) {
        sql = Bulk(&changes);
      } else {
        sql = Mixed(&changes);
      }
      sql += absl::StrCat("INSERT INTO txlog VALUES (", txn, ", ", txn, ");");
      changes.push_back({KeyOf("txlog", txn), absl::StrCat("c", txn)});
      if (!Commit(txn, sql)) continue;
      hot_keys_done = hot_keys_done || hot_keys;
      bulk_done_ = bulk_done_ || bulk;
      ++committed_;
      events_ += changes.size();
      for (Change& c : changes) Apply(c);
      std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<int>(0, 10)(rng_)));
    }
  }

  const History& history() const { return history_; }
  int64_t committed() const { return committed_; }
  int64_t events() const { return events_; }
  int64_t uncertain() const { return uncertain_; }
  bool bulk_done() const { return bulk_done_; }

 private:
  int64_t NextSeq() { return ++seq_; }

  // The hot keys, updated again and again afterwards.
  std::string HotKeys(std::vector<Change>* changes) {
    std::string sql = "BEGIN;";
    for (int k = 1; k <= kHotKeys; ++k) {
      int64_t s = NextSeq();
      absl::StrAppend(&sql, "INSERT INTO counters VALUES (", k, ", ", s, ");");
      changes->push_back({KeyOf("counters", k), absl::StrCat("c", s)});
    }
    return sql;
  }

  std::string Bulk(std::vector<Change>* changes) {
    const int64_t first = seq_ + 1;
    seq_ += kBulkRows;
    for (int64_t i = 0; i < kBulkRows; ++i) {
      changes->push_back({KeyOf("bulk", i + 1), absl::StrCat("c", first + i)});
    }
    return absl::StrCat("BEGIN; INSERT INTO bulk SELECT g, ", first - 1,
                        " + g FROM generate_series(1, ", kBulkRows, ") g;");
  }

  std::string InsertAccounts(int n, std::vector<Change>* changes) {
    const int64_t id = next_account_;
    const int64_t first = seq_ + 1;
    next_account_ += n;
    seq_ += n;
    for (int i = 0; i < n; ++i) {
      changes->push_back({KeyOf("accounts", id + i), absl::StrCat("c", first + i)});
      pending_live_.insert(id + i);
    }
    return absl::StrCat("INSERT INTO accounts SELECT g, ", first - id, " + g, 'n' FROM ",
                        "generate_series(", id, ", ", id + n - 1, ") g;");
  }

  std::string UpdateHot(int n, std::vector<Change>* changes) {
    std::string sql;
    for (int i = 0; i < n; ++i) {
      int k = std::uniform_int_distribution<int>(1, kHotKeys)(rng_);
      int64_t s = NextSeq();
      absl::StrAppend(&sql, "UPDATE counters SET seq = ", s, " WHERE id = ", k, ";");
      changes->push_back({KeyOf("counters", k), absl::StrCat("u", s)});
    }
    return sql;
  }

  // Accounts committed and not yet deleted or chosen in this transaction.
  std::vector<int64_t> PickLive(int n) {
    std::vector<int64_t> out;
    for (int tries = 0; tries < 4 * n && !live_.empty() && static_cast<int>(out.size()) < n;
         ++tries) {
      auto it = live_.lower_bound(
          std::uniform_int_distribution<int64_t>(*live_.begin(), *live_.rbegin())(rng_));
      if (it == live_.end()) continue;
      if (pending_dead_.contains(*it) || std::find(out.begin(), out.end(), *it) != out.end()) {
        continue;
      }
      out.push_back(*it);
    }
    return out;
  }

  std::string UpdateAccounts(int n, std::vector<Change>* changes) {
    std::string sql;
    for (int64_t id : PickLive(n)) {
      int64_t s = NextSeq();
      absl::StrAppend(&sql, "UPDATE accounts SET seq = ", s, ", note = 'u' WHERE id = ", id, ";");
      changes->push_back({KeyOf("accounts", id), absl::StrCat("u", s)});
    }
    return sql;
  }

  std::string DeleteAccounts(int n, std::vector<Change>* changes) {
    std::vector<int64_t> ids = PickLive(n);
    if (ids.empty()) return "";
    for (int64_t id : ids) {
      changes->push_back({KeyOf("accounts", id), "d"});
      changes->push_back({KeyOf("accounts", id), "t"});
      pending_dead_.insert(id);
    }
    return absl::StrCat("DELETE FROM accounts WHERE id IN (", absl::StrJoin(ids, ","), ");");
  }

  std::string Mixed(std::vector<Change>* changes) {
    std::string sql = "BEGIN;";
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); };
    switch (pick(0, 9)) {
      case 0:
      case 1:
      case 2:  // One row.
        sql += InsertAccounts(1, changes);
        break;
      case 3:
      case 4:  // Several rows.
        sql += InsertAccounts(pick(2, 50), changes);
        break;
      case 5:  // Several tables.
        sql += InsertAccounts(pick(1, 3), changes);
        sql += UpdateHot(pick(1, 3), changes);
        sql += DeleteAccounts(1, changes);
        break;
      case 6:
      case 7:  // The same keys again and again, several times in one transaction.
        sql += UpdateHot(pick(1, 8), changes);
        break;
      case 8:
        sql += DeleteAccounts(pick(1, 10), changes);
        break;
      default:
        sql += UpdateAccounts(pick(1, 10), changes);
        // An update then a delete of the same row in one transaction.
        sql += DeleteAccounts(1, changes);
        break;
    }
    return sql;
  }

  void Apply(const Change& c) { history_[c.key].push_back(c.token); }

  // Connects (again), waiting while the server restarts.
  bool EnsureConnected() {
    if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK) return true;
    PQfinish(conn_);
    conn_ = nullptr;
    std::string conninfo = server_.SocketConnInfo(db_) + " connect_timeout=2";
    bool ok = WaitUntil(
        [&] {
          PQfinish(conn_);
          conn_ = PQconnectdb(conninfo.c_str());
          return PQstatus(conn_) == CONNECTION_OK;
        },
        seconds(120));
    if (!ok) {
      ADD_FAILURE() << "the writer could not reconnect: " << PQerrorMessage(conn_);
      return false;
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    // Acknowledged commits must survive a server crash.
    PGresult* r = PQexec(conn_, "SET synchronous_commit = on");
    PQclear(r);
    return PQstatus(conn_) == CONNECTION_OK;
  }

  // Runs one transaction; true when it committed. A transaction whose outcome
  // a lost connection hid is looked up in txlog after reconnecting.
  bool Commit(int64_t txn, std::string sql) {
    sql += "COMMIT;";
    bool committed = false;
    if (EnsureConnected()) {
      PGresult* r = PQexec(conn_, sql.c_str());
      ExecStatusType st = PQresultStatus(r);
      const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
      // No SQLSTATE (the client lost the server), connection exception (08)
      // or operator intervention (57P: shutdown, crash, not yet up).
      bool connection_lost = PQstatus(conn_) != CONNECTION_OK || state == nullptr ||
                             std::string_view(state).starts_with("08") ||
                             std::string_view(state).starts_with("57P");
      if (st == PGRES_COMMAND_OK && std::string(PQcmdStatus(r)) == "COMMIT") {
        committed = true;
      } else if (!connection_lost) {
        ADD_FAILURE() << "workload SQL failed: " << PQresultErrorMessage(r) << "in: " << sql;
        PQclear(PQexec(conn_, "ROLLBACK"));
      } else {
        PQfinish(conn_);
        conn_ = nullptr;
        committed = Lookup(txn);
      }
      PQclear(r);
    }
    if (committed) {
      live_.insert(pending_live_.begin(), pending_live_.end());
      for (int64_t id : pending_dead_) live_.erase(id);
    }
    pending_live_.clear();
    pending_dead_.clear();
    return committed;
  }

  bool Lookup(int64_t txn) {
    ++uncertain_;
    for (int attempt = 0; attempt < 10; ++attempt) {
      if (!EnsureConnected()) return false;
      PGresult* r =
          PQexec(conn_, absl::StrCat("SELECT count(*) FROM txlog WHERE id = ", txn).c_str());
      bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
      bool found = ok && std::string(PQgetvalue(r, 0, 0)) == "1";
      PQclear(r);
      if (ok) return found;
    }
    ADD_FAILURE() << "could not learn whether transaction " << txn << " committed";
    return false;
  }

  const PgServer& server_;
  const std::string db_;
  std::mt19937_64 rng_;
  PGconn* conn_ = nullptr;
  int64_t seq_ = 0;
  int64_t next_account_ = 1;
  std::set<int64_t> live_;
  std::set<int64_t> pending_live_, pending_dead_;
  History history_;
  int64_t committed_ = 0;
  int64_t events_ = 0;
  int64_t uncertain_ = 0;
  bool bulk_done_ = false;
};

// Reads every partition of the topics of `prefix` (one per table of
// kTables) from the start with a read_committed consumer until each is read
// to its end: the end the consumer reports (the last stable offset) has
// reached the partition's high watermark, so no transaction is still open or
// awaiting its markers. Returns the records of each "table/id" key in
// partition order, as History tokens.
History ReadAll(const std::string& bootstrap, const std::string& prefix, int64_t* records_read) {
  KafkaHandle consumer = NewKafkaClient(RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstrap},
                                                            {"group.id", prefix + "-checker"},
                                                            {"isolation.level", "read_committed"},
                                                            {"enable.partition.eof", "true"},
                                                            {"enable.auto.commit", "false"}});
  KafkaHandle probe = NewKafkaClient(RD_KAFKA_CONSUMER, {{"bootstrap.servers", bootstrap},
                                                         {"group.id", prefix + "-probe"},
                                                         {"isolation.level", "read_uncommitted"}});
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(16);
  std::vector<std::string> topics;
  for (const char* table : kTables) {
    topics.push_back(absl::StrCat(prefix, ".public.", table));
    for (int p = 0; p < kPartitions; ++p) {
      rd_kafka_topic_partition_list_add(parts, topics.back().c_str(), p)->offset =
          RD_KAFKA_OFFSET_BEGINNING;
    }
  }
  EXPECT_EQ(rd_kafka_assign(consumer.get(), parts), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(parts);

  History by_key;
  std::map<std::pair<std::string, int32_t>, int64_t> eof;  // Offset of the last end reached.
  auto read_to_end = [&] {
    for (const std::string& topic : topics) {
      for (int p = 0; p < kPartitions; ++p) {
        int64_t low = 0, high = 0;
        if (rd_kafka_query_watermark_offsets(probe.get(), topic.c_str(), p, &low, &high, 5000) !=
            RD_KAFKA_RESP_ERR_NO_ERROR) {
          return false;
        }
        auto it = eof.find({topic, p});
        if (it == eof.end() || it->second < high) return false;
      }
    }
    return true;
  };
  auto deadline = std::chrono::steady_clock::now() + seconds(180);
  auto next_check = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer.get(), 100);
    if (m != nullptr) {
      std::string topic = m->rkt != nullptr ? rd_kafka_topic_name(m->rkt) : "";
      if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        eof[{topic, m->partition}] = m->offset;
      } else if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        ADD_FAILURE() << "consumer: " << rd_kafka_message_errstr(m);
      } else {
        std::string key =
            m->key != nullptr ? std::string(static_cast<const char*>(m->key), m->key_len) : "";
        // One key, one partition: Kafka's default partitioner.
        EXPECT_EQ(m->partition, JavaDefaultPartition(key, kPartitions)) << topic << " " << key;
        std::string table = topic.substr(topic.rfind('.') + 1);
        std::string token = "t";  // A tombstone.
        if (m->payload != nullptr) {
          Json v = Json::Parse(std::string(static_cast<const char*>(m->payload), m->len));
          std::string op = v.Get("op").AsString();
          token = op == "d" ? op : absl::StrCat(op, v.Get("after").Get("seq").AsInt());
        }
        by_key[KeyOf(table, Json::Parse(key).Get("id").AsInt())].push_back(std::move(token));
        ++*records_read;
      }
      rd_kafka_message_destroy(m);
      continue;
    }
    // Nothing came for a moment: at the end of every partition?
    if (std::chrono::steady_clock::now() >= next_check) {
      if (eof.size() == topics.size() * kPartitions && read_to_end()) break;
      next_check = std::chrono::steady_clock::now() + milliseconds(500);
    }
  }
  EXPECT_TRUE(read_to_end()) << "the topics were not read to their end in time";
  rd_kafka_consumer_close(consumer.get());
  return by_key;
}

// The parameter: debezium.sink.kafka.transactional.producers (1 or 2).
class ChaosTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    auto server = PgServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    auto broker = KafkaBroker::Start();
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = std::move(*broker);
    ASSERT_TRUE(server_->Execute("CREATE DATABASE chaos").ok());
    for (const char* table : kTables) {
      ASSERT_TRUE(
          server_
              ->Execute(absl::StrCat("CREATE TABLE ", table,
                                     " (id bigint PRIMARY KEY, seq bigint NOT NULL",
                                     std::string(table) == "accounts" ? ", note text" : "", ")"),
                        db_)
              .ok());
    }
  }

  std::string WriteConfig() {
    std::string path = dir_.File("application.properties");
    std::ofstream(path) << BaseProperties(
        *server_, db_,
        absl::StrCat("debezium.source.topic.prefix=", db_,
                     "\n"
                     "debezium.sink.type=kafka\n"
                     "debezium.sink.kafka.producer.bootstrap.servers=",
                     broker_->bootstrap(),
                     "\n"
                     "debezium.sink.kafka.topic.partitions=",
                     kPartitions,
                     "\n"
                     "debezium.sink.kafka.transactional.producers=",
                     GetParam(),
                     "\n"
                     "debezium.sink.kafka.batch.max.ms=20\n"
                     "debezium.sink.kafka.idle.commit.ms=200\n"
                     "debezium.format.key.schemas.enable=false\n"
                     "debezium.format.value.schemas.enable=false\n"));
    return path;
  }

  Lsn Confirmed() {
    auto v = server_->QueryValue(absl::StrCat(
        "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '", db_, "'"));
    if (!v.ok() || v->empty()) return Lsn();
    return Lsn::Parse(*v).value_or(Lsn());
  }

  // The last part of the daemon's log, for failure messages.
  std::string ErrTail() {
    std::string text = ReadFile(dir_.File("err"));
    return text.size() > 12000 ? text.substr(text.size() - 12000) : text;
  }

  const std::string db_ = "chaos";
  std::unique_ptr<PgServer> server_;
  std::unique_ptr<KafkaBroker> broker_;
  TempDir dir_;
};

TEST_P(ChaosTest, EveryCommittedChangeExactlyOnceThroughKillsAndRestarts) {
  const uint64_t seed = EnvOr("TRACKOPS_CHAOS_SEED", std::random_device()());
  const int kills = static_cast<int>(EnvOr("TRACKOPS_CHAOS_KILLS", 10));
  std::cout << "chaos: seed " << seed << " (TRACKOPS_CHAOS_SEED=" << seed << " repeats it), kills "
            << kills << ", transactional producers " << GetParam() << std::endl;
  RecordProperty("seed", std::to_string(seed));
  std::mt19937_64 rng(seed);

  const std::string config = WriteConfig();
  const std::string out = dir_.File("out"), err = dir_.File("err");
  auto start_daemon = [&] {
    return std::make_unique<Daemon>(std::vector<std::string>{"--config", config}, out, err);
  };
  auto daemon = start_daemon();
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); })) << ErrTail();

  // The chaos plan: `kills` kills, with one broker restart and one
  // PostgreSQL crash among them. Each comes at a random moment: mostly a
  // random pause after the daemon is streaming again, sometimes while it is
  // still starting. The large transaction is committed half-way.
  enum class Act { kKill, kBroker, kPostgres };
  std::vector<Act> plan(kills, Act::kKill);
  plan.insert(plan.begin() + std::uniform_int_distribution<int>(0, kills)(rng), Act::kBroker);
  plan.insert(plan.begin() + std::uniform_int_distribution<int>(0, kills + 1)(rng), Act::kPostgres);

  std::atomic<bool> bulk_now{false}, stop{false};
  Writer writer(*server_, db_, rng());
  std::thread workload([&] { writer.Run(bulk_now, stop); });

  int killed = 0, broker_restarts = 0, pg_restarts = 0;
  for (size_t i = 0; i < plan.size() && !HasFailure(); ++i) {
    if (i == plan.size() / 2) bulk_now.store(true);
    if (std::uniform_int_distribution<int>(0, 3)(rng) != 0) {
      EXPECT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); }, seconds(120)))
          << "trackops-cdcd does not stream again\n"
          << ErrTail();
    }
    std::this_thread::sleep_for(milliseconds(std::uniform_int_distribution<int>(0, 4000)(rng)));
    // The daemon never stops by itself.
    int early_exit = daemon->WaitFor(milliseconds(1));
    if (early_exit != -1) {
      ADD_FAILURE() << "trackops-cdcd exited with " << early_exit << ":\n" << ErrTail();
      daemon = start_daemon();
    }
    const Lsn before = Confirmed();
    // The daemon recovers from a server restart by itself: new changes are
    // delivered and confirmed.
    auto recovers = [&](const char* what) {
      EXPECT_TRUE(WaitUntil([&] { return Confirmed() > before; }, seconds(180)))
          << "nothing confirmed after the " << what << " restart\n"
          << ErrTail();
    };
    switch (plan[i]) {
      case Act::kKill:
        daemon->Signal(SIGKILL);
        EXPECT_EQ(daemon->Wait(), 128 + SIGKILL);
        daemon = start_daemon();
        ++killed;
        break;
      case Act::kBroker: {
        absl::Status s = broker_->Restart();
        EXPECT_TRUE(s.ok()) << s;
        ++broker_restarts;
        recovers("broker");
        break;
      }
      case Act::kPostgres: {
        absl::Status s = server_->Restart(/*crash=*/true);
        EXPECT_TRUE(s.ok()) << s;
        ++pg_restarts;
        recovers("PostgreSQL");
        break;
      }
    }
  }
  stop.store(true);
  workload.join();
  ASSERT_FALSE(HasFailure()) << ErrTail();
  ASSERT_TRUE(writer.bulk_done()) << "the transaction of " << kBulkRows << " rows never committed";

  // The expected history agrees with what the database holds: the count and
  // the sum of seq of the rows of each table.
  std::map<std::string, std::pair<int64_t, int64_t>> model;
  for (const auto& [key, tokens] : writer.history()) {
    const std::string& last = tokens.back();
    if (last[0] != 'c' && last[0] != 'u') continue;
    auto& [count, sum] = model[key.substr(0, key.find('/'))];
    ++count;
    sum += std::stoll(last.substr(1));
  }
  for (const char* table : kTables) {
    auto db = server_->QueryValue(
        absl::StrCat("SELECT count(*) || '/' || coalesce(sum(seq), 0) FROM ", table), db_);
    ASSERT_TRUE(db.ok()) << db.status();
    EXPECT_EQ(*db, absl::StrCat(model[table].first, "/", model[table].second)) << table;
  }

  // Caught up: the slot is confirmed (so Kafka committed) past the last commit.
  auto end = server_->QueryValue("SELECT pg_current_wal_lsn()", db_);
  ASSERT_TRUE(end.ok()) << end.status();
  auto end_lsn = Lsn::Parse(*end);
  ASSERT_TRUE(end_lsn.has_value()) << *end;
  ASSERT_TRUE(WaitUntil([&] { return Confirmed() >= *end_lsn; }, seconds(240)))
      << "confirmed " << Confirmed().ToString() << ", want " << *end << "\n"
      << ErrTail();

  int64_t records = 0;
  History by_key = ReadAll(broker_->bootstrap(), db_, &records);
  daemon->Signal(SIGTERM);
  EXPECT_EQ(daemon->Wait(), 0) << ErrTail();

  // Compare per key: lost and duplicated events by count, order by sequence.
  const History& expected = writer.history();
  int64_t lost = 0, duplicated = 0, misordered_keys = 0, reported = 0;
  std::set<std::string> keys;
  for (const auto& [key, tokens] : expected) keys.insert(key);
  for (const auto& [key, recs] : by_key) keys.insert(key);
  static const std::vector<std::string> kNone;
  for (const std::string& key : keys) {
    auto e = expected.find(key);
    const std::vector<std::string>& want = e != expected.end() ? e->second : kNone;
    auto a = by_key.find(key);
    const std::vector<std::string>& got = a != by_key.end() ? a->second : kNone;
    if (got == want) continue;
    std::map<std::string, int> balance;
    for (const std::string& t : want) ++balance[t];
    for (const std::string& t : got) --balance[t];
    bool counts_differ = false;
    for (const auto& [token, n] : balance) {
      if (n > 0) lost += n;
      if (n < 0) duplicated += -n;
      counts_differ = counts_differ || n != 0;
    }
    if (!counts_differ) ++misordered_keys;
    if (++reported <= 20) {
      ADD_FAILURE() << key << ": want [" << absl::StrJoin(want, " ") << "] got ["
                    << absl::StrJoin(got, " ") << "]";
    }
  }
  std::cout << "chaos: seed " << seed << ": transactions " << writer.committed() << ", events "
            << writer.events() << ", records read " << records << ", kills " << killed
            << ", broker restarts " << broker_restarts << ", postgres restarts " << pg_restarts
            << ", commits cut off " << writer.uncertain() << ", lost " << lost << ", duplicated "
            << duplicated << ", keys out of order " << misordered_keys << std::endl;
  EXPECT_EQ(lost, 0) << "seed " << seed;
  EXPECT_EQ(duplicated, 0) << "seed " << seed;
  EXPECT_EQ(misordered_keys, 0) << "seed " << seed;
  EXPECT_EQ(records, writer.events()) << "seed " << seed;
  EXPECT_EQ(killed, kills);
  EXPECT_EQ(broker_restarts, 1);
  EXPECT_EQ(pg_restarts, 1);
  if (HasFailure()) std::cout << "trackops-cdcd log (end):\n" << ErrTail() << std::endl;
}

INSTANTIATE_TEST_SUITE_P(TransactionalProducers, ChaosTest, ::testing::Values(1, 2),
                         [](const ::testing::TestParamInfo<int>& param) {
                           return param.param == 1 ? "One" : "Two";
                         });

}  // namespace
}  // namespace trackops::testing
