#include "transforms/transform_chain.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "transforms/test_records.h"
#include "transforms/transforming_sink.h"

namespace trackops::transforms {
namespace {

Properties Props(std::vector<std::pair<std::string, std::string>> entries) {
  Properties p;
  for (auto& e : entries) p.Set(e.first, e.second);
  return p;
}

class Collect : public Sink {
 public:
  absl::Status BeginTransaction(const TransactionInfo&) override { return absl::OkStatus(); }
  absl::Status Write(const Record& r) override {
    topics.emplace_back(r.topic);
    values.emplace_back(r.value.value_or("<tombstone>"));
    std::string h;
    for (const Header& header : r.headers) h += std::string(header.key) + "=" + std::string(header.value) + ";";
    headers.push_back(h);
    return absl::OkStatus();
  }
  absl::Status CommitTransaction(const TransactionInfo&) override { return absl::OkStatus(); }
  absl::Status Flush() override { return absl::OkStatus(); }
  Lsn DurableLsn() const override { return Lsn(); }
  std::vector<std::string> topics, values, headers;
};

TEST(TransformChainTest, NoTransformsIsAnEmptyChain) {
  auto chain = TransformChain::Create(Props({}), RecordFormat{});
  ASSERT_TRUE(chain.ok());
  EXPECT_TRUE((*chain)->empty());
}

TEST(TransformChainTest, ConfigurationErrorsNameTheProperty) {
  struct Case {
    std::vector<std::pair<std::string, std::string>> props;
    std::string mentions;
  };
  for (const Case& c : std::vector<Case>{
           {{{"transforms", "u"}}, "debezium.transforms.u.type"},
           {{{"transforms", "u"}, {"transforms.u.type", "com.example.Nope"}}, "unknown transform"},
           {{{"transforms", "u"},
             {"transforms.u.type", "io.debezium.transforms.ExtractNewRecordState"},
             {"transforms.u.add.fields", "a:b:c"}},
            "debezium.transforms.u.add.fields"},
           {{{"transforms", "u"},
             {"transforms.u.type", "io.debezium.transforms.ExtractNewRecordState"},
             {"transforms.u.predicate", "p"}},
            "debezium.transforms.u.predicate"},
           {{{"predicates", "p"}, {"predicates.p.type", "Nope"}}, "debezium.predicates.p.type"},
       }) {
    auto chain = TransformChain::Create(Props(c.props), RecordFormat{});
    ASSERT_FALSE(chain.ok());
    EXPECT_NE(chain.status().message().find(c.mentions), std::string::npos) << chain.status();
  }
}

TEST(TransformChainTest, PredicatesSelectTheRecordsATransformSees) {
  auto chain = TransformChain::Create(
      Props({{"transforms", "unwrap"},
             {"transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState"},
             {"transforms.unwrap.predicate", "other"},
             {"transforms.unwrap.negate", "true"},
             {"predicates", "other"},
             {"predicates.other.type",
              "org.apache.kafka.connect.transforms.predicates.TopicNameMatches"},
             {"predicates.other.pattern", "conf\\.public\\.other.*"}}),
      RecordFormat{false, false, false});
  ASSERT_TRUE(chain.ok()) << chain.status();
  std::string value = testing::Value(false, "c", "null", R"({"id":1,"name":"a"})");
  Record t = testing::ChangeRecord(value, "k");
  Record other = t;
  other.topic = "conf.public.other";
  std::vector<std::string> got;
  TransformFailure failure;
  for (const Record* r : {&t, &other}) {
    ASSERT_TRUE((*chain)
                    ->Apply(*r,
                            [&](const Record& out) {
                              got.emplace_back(*out.value);
                              return absl::OkStatus();
                            },
                            &failure)
                    .ok());
  }
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], R"({"id":1,"name":"a"})");  // Unwrapped.
  EXPECT_EQ(got[1], value);                      // Negated predicate matched: unchanged.
}

TEST(TransformingSinkTest, FailuresGoToTheDeadLetterTopicWithErrorHeaders) {
  auto chain = TransformChain::Create(
      Props({{"transforms", "outbox"},
             {"transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter"}}),
      RecordFormat{false, false, false});
  ASSERT_TRUE(chain.ok()) << chain.status();
  Collect collect;
  TransformingSink sink(*std::move(chain), &collect, "dlq", RecordFormat{false, false, false});
  // A change of a table that is not an outbox table: no aggregatetype.
  std::string value = testing::Value(false, "c", "null", R"({"id":1,"name":"a"})");
  ASSERT_TRUE(sink.Write(testing::ChangeRecord(value, "k")).ok());
  ASSERT_EQ(collect.topics, std::vector<std::string>{"dlq"});
  EXPECT_EQ(collect.values[0], value);  // The original record, unchanged.
  const std::string& h = collect.headers[0];
  EXPECT_NE(h.find(R"(__connect.errors.topic="conf.public.t";)"), std::string::npos) << h;
  EXPECT_NE(h.find(R"(__connect.errors.stage="TRANSFORMATION";)"), std::string::npos) << h;
  EXPECT_NE(h.find("__connect.errors.exception.message=\"outbox: unable to find"),
            std::string::npos) << h;
  EXPECT_NE(h.find("__trackops.errors.lsn=1234;"), std::string::npos) << h;
  EXPECT_EQ(sink.dead_lettered(), 1u);
}

TEST(TransformingSinkTest, WithoutADeadLetterTopicAFailureStops) {
  auto chain = TransformChain::Create(
      Props({{"transforms", "outbox"},
             {"transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter"}}),
      RecordFormat{false, false, false});
  ASSERT_TRUE(chain.ok());
  Collect collect;
  TransformingSink sink(*std::move(chain), &collect, "", RecordFormat{false, false, false});
  std::string value = testing::Value(false, "c", "null", R"({"id":1})");
  absl::Status s = sink.Write(testing::ChangeRecord(value, "k"));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("errors.deadletterqueue.topic.name"), std::string::npos) << s;
  EXPECT_TRUE(collect.topics.empty());
}

}  // namespace
}  // namespace trackops::transforms
