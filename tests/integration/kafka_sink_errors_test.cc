// The Kafka sink's error handling against a real broker, in-process: a fenced
// producer fails its commit without moving DurableLsn() and recovers by
// Open(), which fences both of a zombie's producers (transactional.producers=2)
// and aborts their open transactions; an aborted transaction leaves nothing
// visible; a PostgreSQL transaction larger than the batch limits still commits
// whole.

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/kafka_broker.h"
#include "integration/kafka_test_support.h"
#include "kafka/client.h"
#include "kafka/kafka_error.h"
#include "sink/kafka_sink.h"

namespace trackops::testing {
namespace {

class KafkaSinkErrorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto broker = KafkaBroker::Start();
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = broker->release();
  }
  static void TearDownTestSuite() { delete broker_; }

  void SetUp() override {
    // Longer than std::string's inline buffer on purpose: a topic name that
    // does not outlive its Record shows up as garbage sent to the broker.
    name_ = absl::StrCat("kafka-sink-errors", ++test_number_);
    topic_ = name_ + ".events";
  }

  sink::KafkaSinkOptions Options(int transactional_producers = 1) const {
    Config config;
    config.connector.dbname = "db";
    config.connector.slot_name = name_;
    config.sink_type = "kafka";
    config.sink.Set("producer.bootstrap.servers", broker_->bootstrap());
    config.sink.Set("offsets.topic", name_ + ".offsets");
    config.sink.Set("timeout.ms", "15000");
    config.sink.Set("transactional.producers", absl::StrCat(transactional_producers));
    auto options = sink::KafkaSinkOptions::FromConfig(config);
    EXPECT_TRUE(options.ok()) << options.status();
    return *options;
  }

  // Records hold a view of their topic, so the name lives in the fixture.
  const std::string& Topic() const { return topic_; }

  // Delivers one PostgreSQL transaction of `values` through `sink`.
  absl::Status Deliver(sink::KafkaSink& sink, uint64_t end_lsn,
                       const std::vector<std::string>& values) {
    TransactionInfo txn{Xid(static_cast<uint32_t>(end_lsn)), Lsn(end_lsn - 1), Lsn(end_lsn), 0};
    absl::Status s = sink.BeginTransaction(txn);
    if (!s.ok()) return s;
    for (const std::string& v : values) {
      Record r;
      r.topic = Topic();
      r.key = std::string_view(v);
      r.value = std::string_view(v);
      r.lsn = Lsn(end_lsn - 1);
      s = sink.Write(r);
      if (!s.ok()) return s;
    }
    s = sink.CommitTransaction(txn);
    if (!s.ok()) return s;
    return sink.Flush();
  }

  // Opens a batch holding one transaction, of one record "v", ending at
  // `end_lsn`.
  void OpenBatch(sink::KafkaSink& sink, uint64_t end_lsn) {
    TransactionInfo txn{Xid(static_cast<uint32_t>(end_lsn)), Lsn(end_lsn - 1), Lsn(end_lsn), 0};
    ASSERT_TRUE(sink.BeginTransaction(txn).ok());
    Record r;
    r.topic = Topic();
    r.value = std::string_view("v");
    ASSERT_TRUE(sink.Write(r).ok());
    ASSERT_TRUE(sink.CommitTransaction(txn).ok());
  }

  std::vector<std::string> Committed(size_t want) {
    std::vector<std::string> values;
    for (const ConsumedRecord& r :
         ConsumeCommitted(broker_->bootstrap(), Topic(), name_ + "-check", want)) {
      values.push_back(r.value.value_or("<null>"));
    }
    return values;
  }

  static KafkaBroker* broker_;
  static int test_number_;
  std::string name_;
  std::string topic_;
};

KafkaBroker* KafkaSinkErrorsTest::broker_ = nullptr;
int KafkaSinkErrorsTest::test_number_ = 0;

TEST_F(KafkaSinkErrorsTest, AFencedSinkFailsWithoutMovingItsPositionAndRecoversByOpen) {
  sink::KafkaSink first(Options());
  ASSERT_TRUE(first.Open().ok());
  absl::Status delivered = Deliver(first, 100, {"a"});
  ASSERT_TRUE(delivered.ok()) << delivered;
  EXPECT_EQ(first.DurableLsn(), Lsn(100));

  // A second instance with the same transactional.id (a restarted daemon
  // while the old one still runs) fences the first.
  sink::KafkaSink second(Options());
  auto resume = second.Open();
  ASSERT_TRUE(resume.ok()) << resume.status();
  EXPECT_EQ(*resume, Lsn(100));

  absl::Status fenced = Deliver(first, 200, {"lost-by-zombie"});
  EXPECT_EQ(fenced.code(), absl::StatusCode::kUnavailable) << fenced;
  EXPECT_EQ(first.DurableLsn(), Lsn(100));

  ASSERT_TRUE(Deliver(second, 300, {"b"}).ok());
  // The first recovers as the engine makes it: Open() again, which fences
  // the second in turn and resumes after what the second committed.
  auto again = first.Open();
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, Lsn(300));
  ASSERT_TRUE(Deliver(first, 400, {"c"}).ok());
  EXPECT_EQ(Committed(3), (std::vector<std::string>{"a", "b", "c"}));
}

// With transactional.producers=2, batches alternate between two
// transactional ids. A zombie whose open transaction is on the second must be
// fenced and that transaction aborted by the next Open() too: left open, it
// would hold every read_committed consumer of the partition at its first
// record until the broker's transaction timeout (15 minutes).
TEST_F(KafkaSinkErrorsTest, OpenFencesBothProducersAndAbortsTheirOpenTransactions) {
  sink::KafkaSink zombie(Options(2));
  ASSERT_TRUE(zombie.Open().ok());
  ASSERT_TRUE(Deliver(zombie, 100, {"a"}).ok());
  OpenBatch(zombie, 200);  // On the other producer; batched, not committed.

  sink::KafkaSink next(Options(2));
  auto resume = next.Open();
  ASSERT_TRUE(resume.ok()) << resume.status();
  EXPECT_EQ(*resume, Lsn(100));
  ASSERT_TRUE(Deliver(next, 300, {"b"}).ok());
  ASSERT_TRUE(Deliver(next, 400, {"c"}).ok());  // On the other producer.
  // "b" and "c" come after the aborted record: visible only if it was.
  EXPECT_EQ(Committed(3), (std::vector<std::string>{"a", "b", "c"}));

  // The zombie's commit fails on either producer, its position unchanged.
  absl::Status fenced = zombie.Flush();
  EXPECT_EQ(fenced.code(), absl::StatusCode::kUnavailable) << fenced;
  ASSERT_TRUE(zombie.Open().ok());  // Fences `next` in turn.
  absl::Status late = Deliver(next, 500, {"lost-by-zombie"});
  EXPECT_EQ(late.code(), absl::StatusCode::kUnavailable) << late;
  EXPECT_EQ(next.DurableLsn(), Lsn(400));
}

// Another instance taking over the second id fences the producer of every
// other batch, and only with transactional.producers=2: the first batch
// commits on "<id>", the next on "<id>.1".
TEST_F(KafkaSinkErrorsTest, TwoProducersTakeBatchesInTurn) {
  const kafka::Settings second_id{
      {"bootstrap.servers", broker_->bootstrap()},
      {"transactional.id", sink::SecondTransactionalId(Options().transactional_id)}};
  uint64_t end_lsn = 100;
  for (int producers : {1, 2}) {
    SCOPED_TRACE(producers);
    sink::KafkaSink sink(Options(producers));
    ASSERT_TRUE(sink.Open().ok());
    ASSERT_TRUE(Deliver(sink, end_lsn += 100, {"a"}).ok());
    OpenBatch(sink, end_lsn += 100);

    absl::StatusOr<kafka::Handle> other = kafka::NewProducer(second_id);
    ASSERT_TRUE(other.ok()) << other.status();
    absl::Status fenced =
        kafka::FromError(rd_kafka_init_transactions(other->get(), 15000), "fencing");
    ASSERT_TRUE(fenced.ok()) << fenced;
    absl::Status flushed = sink.Flush();
    if (producers == 1) {
      EXPECT_TRUE(flushed.ok()) << flushed;
      EXPECT_EQ(sink.DurableLsn(), Lsn(end_lsn));
    } else {
      EXPECT_EQ(flushed.code(), absl::StatusCode::kUnavailable) << flushed;
      EXPECT_EQ(sink.DurableLsn(), Lsn(end_lsn - 100));
    }
  }
}

TEST_F(KafkaSinkErrorsTest, AnAbortedTransactionLeavesNothingVisible) {
  sink::KafkaSink sink(Options());
  ASSERT_TRUE(sink.Open().ok());
  TransactionInfo txn{Xid(1), Lsn(10), Lsn(11), 0};
  ASSERT_TRUE(sink.BeginTransaction(txn).ok());
  for (int i = 0; i < 10; ++i) {
    std::string v = absl::StrCat("aborted-", i);
    Record r;
    r.topic = Topic();
    r.value = std::string_view(v);
    ASSERT_TRUE(sink.Write(r).ok());
  }
  ASSERT_TRUE(sink.AbortTransaction().ok());
  EXPECT_EQ(sink.DurableLsn(), Lsn());
  ASSERT_TRUE(Deliver(sink, 20, {"kept"}).ok());
  EXPECT_EQ(Committed(1), std::vector<std::string>{"kept"});
  EXPECT_EQ(sink.DurableLsn(), Lsn(20));
}

TEST_F(KafkaSinkErrorsTest, ATransactionLargerThanTheBatchLimitsCommitsWhole) {
  sink::KafkaSinkOptions options = Options();
  options.batch_max_bytes = 1000;
  options.batch_max_transactions = 1;
  sink::KafkaSink sink(options);
  ASSERT_TRUE(sink.Open().ok());
  std::vector<std::string> values;
  for (int i = 0; i < 2000; ++i) values.push_back(absl::StrCat("row-", i, std::string(50, 'x')));
  uint64_t commits_before = sink.commits();
  ASSERT_TRUE(Deliver(sink, 50, values).ok());
  EXPECT_EQ(sink.commits() - commits_before, 1u);  // One Kafka transaction.
  EXPECT_EQ(Committed(values.size()), values);
}

// Errors no retry can cure stop the engine (kFailedPrecondition) instead of
// making it reconnect and send the same record again for ever.
TEST_F(KafkaSinkErrorsTest, AnInvalidTopicNameStopsWithoutMovingThePosition) {
  sink::KafkaSink sink(Options());
  ASSERT_TRUE(sink.Open().ok());
  ASSERT_TRUE(Deliver(sink, 10, {"before"}).ok());
  TransactionInfo txn{Xid(2), Lsn(19), Lsn(20), 0};
  ASSERT_TRUE(sink.BeginTransaction(txn).ok());
  const std::string bad_topic = name_ + ".not a topic!";
  Record r;
  r.topic = bad_topic;
  r.value = std::string_view("v");
  absl::Status s = sink.Write(r);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find(bad_topic), absl::string_view::npos) << s;
  EXPECT_EQ(sink.DurableLsn(), Lsn(10));
}

TEST_F(KafkaSinkErrorsTest, ARecordLargerThanTheProducerAcceptsStops) {
  sink::KafkaSink sink(Options());
  ASSERT_TRUE(sink.Open().ok());
  std::string big(2 << 20, 'x');  // librdkafka's message.max.bytes is 1 MB.
  absl::Status s = Deliver(sink, 10, {big});
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("too large"), absl::string_view::npos) << s;
  EXPECT_EQ(sink.DurableLsn(), Lsn());
}

TEST_F(KafkaSinkErrorsTest, ARecordTheBrokerRefusesAsTooLargeStops) {
  sink::KafkaSinkOptions options = Options();
  options.producer["message.max.bytes"] = "8000000";  // The broker keeps its 1 MB.
  sink::KafkaSink sink(options);
  ASSERT_TRUE(sink.Open().ok());
  // Incompressible, so that lz4 does not bring it under the broker's limit.
  std::string big(2 << 20, ' ');
  uint64_t x = 88172645463325252ULL;
  for (char& c : big) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    c = static_cast<char>('!' + x % 90);
  }
  absl::Status s = Deliver(sink, 10, {big});
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s.message().substr(0, 500);
  EXPECT_NE(s.message().find(Topic()), absl::string_view::npos) << s.message().substr(0, 500);
  EXPECT_EQ(sink.DurableLsn(), Lsn());
  // Nothing of the refused transaction is visible; the sink delivers again
  // once reopened (an operator who raised the broker's limit would see it).
  ASSERT_TRUE(sink.Open().ok());
  ASSERT_TRUE(Deliver(sink, 20, {"small"}).ok());
  EXPECT_EQ(Committed(1), std::vector<std::string>{"small"});
}

// The engine waits for a stream event no longer than NextTickIn(): an open
// batch asks for its Tick when it is due, not at the engine's 100 ms poll.
TEST_F(KafkaSinkErrorsTest, AnOpenBatchAsksForATickWhenItIsDue) {
  sink::KafkaSinkOptions options = Options();
  options.batch_max_ms = 2000;
  options.batch_min_ms = 2000;  // Due at batch.max.ms, caught up or not.
  sink::KafkaSink sink(options);
  ASSERT_TRUE(sink.Open().ok());
  EXPECT_EQ(sink.NextTickIn(), std::chrono::milliseconds(100));  // Nothing open.
  OpenBatch(sink, 11);
  EXPECT_GT(sink.NextTickIn(), std::chrono::milliseconds(100));
  EXPECT_LE(sink.NextTickIn(), std::chrono::milliseconds(2000));
  EXPECT_EQ(sink.DurableLsn(), Lsn());  // Batched, not committed yet.
  // Due: Tick commits it.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (sink.NextTickIn() > std::chrono::milliseconds(0) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(sink.NextTickIn(), std::chrono::milliseconds(0));
  ASSERT_TRUE(sink.Tick(Lsn(11), false).ok());
  EXPECT_EQ(sink.DurableLsn(), Lsn(11));
  EXPECT_EQ(sink.NextTickIn(), std::chrono::milliseconds(100));
}

// A batch at least batch.min.ms old commits at the first Tick that finds the
// stream caught up, long before batch.max.ms; younger, or with more of the
// stream still to read, it stays open.
TEST_F(KafkaSinkErrorsTest, ABatchCommitsOnceTheStreamIsCaughtUp) {
  sink::KafkaSinkOptions options = Options();
  options.batch_max_ms = 1200000;
  options.batch_min_ms = 600000;
  {
    // Younger than batch.min.ms: caught up or not, it stays open, and the
    // engine is asked back when it comes of age, not at batch.max.ms.
    sink::KafkaSink young(options);
    ASSERT_TRUE(young.Open().ok());
    OpenBatch(young, 11);
    ASSERT_TRUE(young.Tick(Lsn(11), true).ok());
    EXPECT_EQ(young.DurableLsn(), Lsn());
    EXPECT_GT(young.NextTickIn(), std::chrono::milliseconds(0));
    EXPECT_LE(young.NextTickIn(), std::chrono::milliseconds(600000));
  }  // Its Kafka transaction is never committed.
  options.batch_min_ms = 0;
  sink::KafkaSink sink(options);
  ASSERT_TRUE(sink.Open().ok());
  OpenBatch(sink, 21);
  EXPECT_EQ(sink.NextTickIn(), std::chrono::milliseconds(0));  // Read without waiting.
  // Of age, but more of the stream was read: still open.
  ASSERT_TRUE(sink.Tick(Lsn(21), false).ok());
  EXPECT_EQ(sink.DurableLsn(), Lsn());
  // Caught up: committed, twenty minutes before batch.max.ms.
  ASSERT_TRUE(sink.Tick(Lsn(21), true).ok());
  EXPECT_EQ(sink.DurableLsn(), Lsn(21));
  EXPECT_EQ(Committed(1), std::vector<std::string>{"v"});
}

// Many batches, one Kafka transaction each: every record once, in order,
// with its key and headers; the position never ahead of what was given.
TEST_F(KafkaSinkErrorsTest, ConsecutiveBatchesKeepEveryRecordInOrder) {
  sink::KafkaSinkOptions options = Options();
  options.batch_max_transactions = 3;
  sink::KafkaSink sink(options);
  ASSERT_TRUE(sink.Open().ok());
  std::vector<std::string> want;
  uint64_t commits_before = sink.commits();
  for (int t = 1; t <= 30; ++t) {
    TransactionInfo txn{Xid(static_cast<uint32_t>(t)), Lsn(100 * t - 1), Lsn(100 * t), 0};
    ASSERT_TRUE(sink.BeginTransaction(txn).ok());
    for (int i = 0; i < 50; ++i) {
      want.push_back(absl::StrCat("t", t, "-", i));
      Record r;
      r.topic = Topic();
      r.key = std::string_view(want.back());
      r.value = std::string_view(want.back());
      const Header header{"h", want.back()};
      r.headers = std::span<const Header>(&header, 1);
      ASSERT_TRUE(sink.Write(r).ok());
    }
    ASSERT_TRUE(sink.CommitTransaction(txn).ok());
    // Never ahead of a transaction the sink was given.
    EXPECT_LE(sink.DurableLsn(), Lsn(100 * t));
  }
  ASSERT_TRUE(sink.Flush().ok());
  EXPECT_EQ(sink.DurableLsn(), Lsn(3000));
  EXPECT_EQ(sink.commits() - commits_before, 10u);
  std::vector<ConsumedRecord> records =
      ConsumeCommitted(broker_->bootstrap(), Topic(), name_ + "-check", want.size());
  ASSERT_EQ(records.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(records[i].value.value_or("<null>"), want[i]) << i;
    EXPECT_EQ(records[i].key.value_or("<null>"), want[i]) << i;
    EXPECT_EQ(records[i].headers,
              (std::vector<std::pair<std::string, std::string>>{{"h", want[i]}}))
        << i;
  }
}

// A PostgreSQL transaction that takes longer to deliver than the producer's
// transaction.timeout.ms: the broker aborts the Kafka transaction and fences
// the producer. Sending it again would fail the same way, so the sink stops
// with a message naming the setting, the position unchanged.
TEST_F(KafkaSinkErrorsTest, ATransactionOpenLongerThanTheTransactionTimeoutStops) {
  sink::KafkaSinkOptions options = Options();
  options.producer["transaction.timeout.ms"] = "2000";
  sink::KafkaSink sink(options);
  ASSERT_TRUE(sink.Open().ok());
  TransactionInfo txn{Xid(1), Lsn(10), Lsn(11), 0};
  ASSERT_TRUE(sink.BeginTransaction(txn).ok());
  Record r;
  r.topic = Topic();
  r.value = std::string_view("slow");
  // Keep writing, as a long transaction streams, until the broker's abort
  // reaches the producer (its timed-out transaction scan runs every second).
  absl::Status s;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (s.ok() && std::chrono::steady_clock::now() < deadline) {
    s = sink.Write(r);
    if (s.ok()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (s.ok()) s = sink.CommitTransaction(txn);
  if (s.ok()) s = sink.Flush();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("transaction.timeout.ms"), absl::string_view::npos) << s;
  EXPECT_EQ(sink.DurableLsn(), Lsn());
}

}  // namespace
}  // namespace trackops::testing
