// Transforms in the daemon, end to end: outbox rows become events on their
// own Kafka topics in the same exactly-once transactions as the changes; a
// row the outbox router cannot process goes to the dead-letter topic with
// headers naming the error, or, without one, stops the daemon having lost
// nothing: configured afterwards, the same row reaches the dead-letter topic.

#include <fstream>
#include <map>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/kafka_broker.h"
#include "harness/pg_server.h"
#include "integration/kafka_test_support.h"
#include "integration/test_support.h"

namespace trackops::testing {
namespace {

using ::testing::HasSubstr;

constexpr char kOutboxTransform[] =
    "debezium.transforms=outbox\n"
    "debezium.transforms.outbox.type=io.debezium.transforms.outbox.EventRouter\n"
    "debezium.transforms.outbox.table.fields.additional.placement=type:header:eventType\n"
    "debezium.transforms.outbox.predicate=isOutbox\n"
    "debezium.predicates=isOutbox\n"
    "debezium.predicates.isOutbox.type="
    "org.apache.kafka.connect.transforms.predicates.TopicNameMatches\n"
    "debezium.predicates.isOutbox.pattern=.*\\\\.public\\\\.(legacy_)?outbox\n";

constexpr char kNoSchemas[] =
    "debezium.format.key.schemas.enable=false\n"
    "debezium.format.value.schemas.enable=false\n"
    "debezium.format.header.schemas.enable=false\n";

class TransformsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = PgServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
    auto broker = KafkaBroker::Start();
    ASSERT_TRUE(broker.ok()) << broker.status();
    broker_ = broker->release();
  }
  static void TearDownTestSuite() {
    delete broker_;
    delete server_;
  }

  void SetUp() override {
    db_ = absl::StrCat("t_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    for (char& c : db_) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(server_->Execute(absl::StrCat("CREATE DATABASE ", db_)).ok());
    // A proper outbox table, and a legacy one without aggregatetype.
    ASSERT_TRUE(server_
                    ->Execute("CREATE TABLE outbox (id uuid PRIMARY KEY, aggregatetype text NOT "
                              "NULL, aggregateid text NOT NULL, type text NOT NULL, payload jsonb)",
                              db_)
                    .ok());
    ASSERT_TRUE(server_
                    ->Execute("CREATE TABLE legacy_outbox (id uuid PRIMARY KEY, aggregateid text, "
                              "payload jsonb)",
                              db_)
                    .ok());
    ASSERT_TRUE(server_->Execute("CREATE TABLE orders (id int PRIMARY KEY, status text)", db_).ok());
  }

  std::string WriteConfig(const std::string& sink, const std::string& extra) {
    std::string path = dir_.File(absl::StrCat("application-", files_++, ".properties"));
    std::ofstream(path) << BaseProperties(*server_, db_,
                                          absl::StrCat("debezium.source.topic.prefix=", db_, "\n",
                                                       sink, kOutboxTransform, extra));
    return path;
  }

  std::string KafkaSink() const {
    return absl::StrCat("debezium.sink.type=kafka\n"
                        "debezium.sink.kafka.producer.bootstrap.servers=", broker_->bootstrap(), "\n"
                        "debezium.sink.kafka.batch.max.ms=20\n", kNoSchemas);
  }

  static std::map<std::string, std::string> Headers(const ConsumedRecord& r) {
    std::map<std::string, std::string> h;
    for (const auto& [k, v] : r.headers) h[k] = v;
    return h;
  }

  static PgServer* server_;
  static KafkaBroker* broker_;
  std::string db_;
  int files_ = 0;
  TempDir dir_;
};

PgServer* TransformsTest::server_ = nullptr;
KafkaBroker* TransformsTest::broker_ = nullptr;

TEST_F(TransformsTest, OutboxEventsAndDeadLettersInKafka) {
  std::string config =
      WriteConfig(KafkaSink(), "debezium.source.errors.deadletterqueue.topic.name=" + db_ + ".dlq\n");
  std::string out = dir_.File("out"), err = dir_.File("err");
  Daemon daemon({"--config", config}, out, err);
  ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); })) << ReadFile(err);

  SqlSession s(*server_, db_);
  constexpr int kOrders = 20;
  for (int i = 1; i <= kOrders; ++i) {
    // The order, its event, and the outbox row deleted in the same transaction.
    ASSERT_TRUE(s.Run(absl::StrCat(
                          "BEGIN; INSERT INTO orders VALUES (", i, ", 'NEW'); "
                          "INSERT INTO outbox VALUES (gen_random_uuid(), 'order', '", i,
                          "', 'OrderCreated', '{\"order\": ", i, "}'); DELETE FROM outbox; COMMIT"))
                    .ok());
  }
  ASSERT_TRUE(s.Run("INSERT INTO legacy_outbox VALUES (gen_random_uuid(), 'x', '{}')").ok());

  auto events = ConsumeCommitted(broker_->bootstrap(), "outbox.event.order", db_ + "-events",
                                 kOrders);
  ASSERT_EQ(events.size(), static_cast<size_t>(kOrders)) << ReadFile(err);
  std::map<std::string, int> by_key;
  for (const ConsumedRecord& e : events) {
    ASSERT_TRUE(e.key.has_value());
    ++by_key[*e.key];
    Json payload = Json::Parse(Json::Parse(*e.value).AsString());  // jsonb as a JSON string.
    EXPECT_EQ(absl::StrCat("\"", payload.Get("order").AsInt(), "\""), *e.key);
    std::map<std::string, std::string> h = Headers(e);
    EXPECT_EQ(h["eventType"], "\"OrderCreated\"");
    EXPECT_EQ(h["id"].size(), 38u) << h["id"];  // A quoted UUID.
  }
  EXPECT_EQ(by_key.size(), static_cast<size_t>(kOrders));  // Each order once.
  // The order changes themselves are untouched.
  EXPECT_EQ(ConsumeCommitted(broker_->bootstrap(), db_ + ".public.orders", db_ + "-orders", kOrders)
                .size(),
            static_cast<size_t>(kOrders));

  auto letters = ConsumeCommitted(broker_->bootstrap(), db_ + ".dlq", db_ + "-dlq", 1);
  ASSERT_EQ(letters.size(), 1u) << ReadFile(err);
  std::map<std::string, std::string> h = Headers(letters[0]);
  EXPECT_EQ(h["__connect.errors.topic"], absl::StrCat("\"", db_, ".public.legacy_outbox\""));
  EXPECT_EQ(h["__trackops.errors.table"], "\"public.legacy_outbox\"");
  EXPECT_THAT(h["__connect.errors.exception.message"], HasSubstr("aggregatetype"));
  EXPECT_THAT(h["__trackops.errors.transform"], HasSubstr("io.debezium.transforms.outbox.EventRouter"));
  EXPECT_GT(std::stoll(h["__trackops.errors.lsn"]), 0);
  // The dead letter is the original change event.
  EXPECT_EQ(Json::Parse(*letters[0].value).Get("op").AsString(), "c");
  EXPECT_THAT(ReadFile(err), HasSubstr("sent to " + db_ + ".dlq"));
}

TEST_F(TransformsTest, WithoutDeadLetterTopicTheDaemonStopsAndLosesNothing) {
  std::string out = dir_.File("out"), err = dir_.File("err");
  {
    Daemon daemon({"--config", WriteConfig(absl::StrCat("debezium.sink.type=stdout\n", kNoSchemas), "")}, out, err);
    ASSERT_TRUE(WaitUntil([&] { return SlotActive(*server_, db_); })) << ReadFile(err);
    SqlSession s(*server_, db_);
    ASSERT_TRUE(s.Run("INSERT INTO orders VALUES (1, 'NEW')").ok());
    ASSERT_TRUE(s.Run("INSERT INTO legacy_outbox VALUES (gen_random_uuid(), 'x', '{}')").ok());
    ASSERT_TRUE(s.Run("INSERT INTO orders VALUES (2, 'NEW')").ok());
    EXPECT_EQ(daemon.WaitFor(std::chrono::seconds(60)), 2) << ReadFile(err);
  }
  EXPECT_THAT(ReadFile(err), HasSubstr("transform 'outbox' (io.debezium.transforms.outbox.EventRouter)"));
  EXPECT_THAT(ReadFile(err), HasSubstr("errors.deadletterqueue.topic.name"));
  EXPECT_THAT(ReadFile(out), HasSubstr("\"topic\":\"" + db_ + ".public.orders\""));
  EXPECT_THAT(ReadFile(out), ::testing::Not(HasSubstr("legacy_outbox")));

  // Restarted with a dead-letter topic: the row that stopped it, then what followed.
  std::string out2 = dir_.File("out2"), err2 = dir_.File("err2");
  Daemon daemon(
      {"--config", WriteConfig(absl::StrCat("debezium.sink.type=stdout\n", kNoSchemas),
                               "debezium.source.errors.deadletterqueue.topic.name=dead\n")},
      out2, err2);
  ASSERT_TRUE(WaitUntil([&] {
    return ReadFile(out2).find("\"id\":2") != std::string::npos;
  })) << ReadFile(err2);
  std::string second = ReadFile(out2);
  size_t letter = second.find("{\"topic\":\"dead\"");
  ASSERT_NE(letter, std::string::npos) << second;
  EXPECT_LT(letter, second.find("\"id\":2"));
  EXPECT_THAT(second, HasSubstr("\"__trackops.errors.table\":\"public.legacy_outbox\""));
}

}  // namespace
}  // namespace trackops::testing
