#include "transforms/outbox_event_router.h"

#include <optional>
#include <string>
#include <vector>

#include "transforms/test_records.h"
#include "gtest/gtest.h"

namespace trackops::transforms {
namespace {

constexpr std::string_view kRowSchema =
    R"({"type":"struct","fields":[)"
    R"({"type":"string","optional":false,"name":"io.debezium.data.Uuid","version":1,"field":"id"},)"
    R"({"type":"string","optional":false,"field":"aggregatetype"},)"
    R"({"type":"string","optional":false,"field":"aggregateid"},)"
    R"({"type":"string","optional":false,"field":"type"},)"
    R"({"type":"string","optional":true,"name":"io.debezium.data.Json","version":1,"field":"payload"}],)"
    R"("optional":true,"name":"conf.public.outbox.Value")";

std::string Row(std::string_view type, std::string_view payload) {
  return testing::Cat(R"({"id":"0b7e","aggregatetype":")", type,
                      R"(","aggregateid":"42","type":"Created","payload":)", payload, "}");
}

std::string Value(bool schemas, std::string_view op, std::string_view row) {
  std::string payload = testing::Cat(R"({"before":null,"after":)", row,
                                     R"(,"source":{},"transaction":null,"op":")", op, R"("})");
  if (!schemas) return payload;
  return testing::Cat(R"({"schema":{"type":"struct","fields":[)", kRowSchema,
                      R"(,"field":"after"}],"optional":false,"name":"conf.public.outbox.Envelope"},)",
                      R"("payload":)", payload, "}");
}

struct Out {
  std::string topic;
  std::string key;
  std::optional<std::string> value;
  std::vector<std::pair<std::string, std::string>> headers;
};

absl::StatusOr<std::vector<Out>> Route(const TransformOptions& options, bool schemas,
                                     const std::string& value) {
  auto t = OutboxEventRouter::Create(options, RecordFormat{schemas, schemas, schemas});
  if (!t.ok()) return t.status();
  Record in;
  in.topic = "conf.public.outbox";
  in.key = std::string_view("{}");
  in.value = value;
  in.kind = RecordKind::kChange;
  Header context{"__debezium.context.taskId", R"("0")"};
  in.headers = std::span<const Header>(&context, 1);
  std::vector<Out> out;
  absl::Status s = (*t)->Apply(in, [&](const Record& r) {
    Out o{std::string(r.topic), std::string(r.key.value_or("<null>")), std::nullopt, {}};
    if (r.value) o.value = std::string(*r.value);
    for (const Header& h : r.headers) o.headers.emplace_back(h.key, h.value);
    out.push_back(std::move(o));
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

TEST(OutboxEventRouterTest, InsertBecomesAnEventOnTheRoutedTopic) {
  auto out = Route({}, false, Value(false, "c", Row("order", R"("{\"a\":1}")")));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 1u);
  const Out& o = (*out)[0];
  EXPECT_EQ(o.topic, "outbox.event.order");
  EXPECT_EQ(o.key, R"("42")");
  EXPECT_EQ(*o.value, R"("{\"a\":1}")");
  EXPECT_EQ(o.headers, (std::vector<std::pair<std::string, std::string>>{
                           {"__debezium.context.taskId", R"("0")"}, {"id", R"("0b7e")"}}));
}

TEST(OutboxEventRouterTest, SchemasComeFromTheRowColumns) {
  auto out = Route({}, true, Value(true, "c", Row("order", R"("{}")")));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 1u);
  const Out& o = (*out)[0];
  EXPECT_EQ(o.key, R"({"schema":{"type":"string","optional":false},"payload":"42"})");
  EXPECT_EQ(*o.value,
            R"({"schema":{"type":"string","optional":true,"name":"io.debezium.data.Json",)"
            R"("version":1},"payload":"{}"})");
  EXPECT_EQ(o.headers[1].second,
            R"({"schema":{"type":"string","optional":false,"name":"io.debezium.data.Uuid",)"
            R"("version":1},"payload":"0b7e"})");
}

TEST(OutboxEventRouterTest, AdditionalFieldsAndEnvelope) {
  auto out = Route({{"table.fields.additional.placement", "type:header:eventType,type:envelope"}},
                 true, Value(true, "c", Row("order", "null")));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 1u);
  const Out& o = (*out)[0];
  EXPECT_EQ(o.headers.back().first, "eventType");
  EXPECT_EQ(*o.value,
            R"({"schema":{"type":"struct","fields":[{"type":"string","optional":true,)"
            R"("name":"io.debezium.data.Json","version":1,"field":"payload"},)"
            R"({"type":"string","optional":false,"field":"type"}],"optional":false,)"
            R"("name":"conf.public.outbox.order.Value"},"payload":{"payload":null,)"
            R"("type":"Created"}})");
}

TEST(OutboxEventRouterTest, RoutingRegexAndEmptyPayloadTombstone) {
  auto out = Route({{"route.topic.regex", "(?<kind>[a-z]+)_(\\d+)"},
                  {"route.topic.replacement", "events.${kind}.$2"},
                  {"route.tombstone.on.empty.payload", "true"}},
                 false, Value(false, "c", Row("order_7", R"(" ")")));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ((*out)[0].topic, "events.order.7");
  EXPECT_FALSE((*out)[0].value.has_value());
}

TEST(OutboxEventRouterTest, DeletesAndUpdatesAreDroppedOrRefused) {
  auto del = Route({}, false, Value(false, "d", Row("order", "null")));
  ASSERT_TRUE(del.ok());
  EXPECT_TRUE(del->empty());
  auto update = Route({}, false, Value(false, "u", Row("order", "null")));
  ASSERT_TRUE(update.ok());
  EXPECT_TRUE(update->empty());
  auto fatal = Route({{"table.op.invalid.behavior", "fatal"}}, false,
                   Value(false, "u", Row("order", "null")));
  EXPECT_EQ(fatal.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(OutboxEventRouterTest, MissingColumnsAreErrors) {
  std::string row = R"({"id":"1","aggregateid":"2","payload":"{}"})";  // No aggregatetype.
  auto out = Route({}, false, Value(false, "c", row));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(out.status().message().find("aggregatetype"), std::string::npos) << out.status();
  auto extra = Route({{"table.fields.additional.placement", "nope:header"}}, false,
                   Value(false, "c", Row("order", "null")));
  EXPECT_EQ(extra.status().code(), absl::StatusCode::kInvalidArgument);
  auto ignored = Route({{"table.fields.additional.placement", "nope:header"},
                      {"table.field.additional.missing", "ignore"}},
                     false, Value(false, "c", Row("order", "null")));
  EXPECT_TRUE(ignored.ok()) << ignored.status();
}

TEST(OutboxEventRouterTest, ExpandedJsonPayloadBecomesAStruct) {
  auto out = Route({{"table.expand.json.payload", "true"}}, true,
                   Value(true, "c", Row("order", R"("{\"id\": 7, \"lines\": [{\"sku\": \"A\"}]}")")));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ(*(*out)[0].value,
            R"({"schema":{"type":"struct","fields":[{"type":"int32","optional":true,"field":"id"},)"
            R"({"type":"array","items":{"type":"struct","fields":[{"type":"string","optional":true,)"
            R"("field":"sku"}],"optional":true,"name":"payload.lines"},"optional":true,)"
            R"("field":"lines"}],"optional":true,"name":"payload"},)"
            R"("payload":{"id":7,"lines":[{"sku":"A"}]}})");
  // Not expandable (a heterogeneous array): the payload stays a string.
  out = Route({{"table.expand.json.payload", "true"}}, false,
              Value(false, "c", Row("order", R"("{\"a\": [1, \"x\"]}")")));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*(*out)[0].value, R"("{\"a\": [1, \"x\"]}")");
}

TEST(OutboxEventRouterTest, UnsupportedOptionsAreRefused) {
  for (TransformOptions o : std::vector<TransformOptions>{
           {{"table.json.payload.null.behavior", "maybe"}},
           {{"table.field.event.timestamp", "ts"}},
           {{"table.fields.additional.placement", "p:partition"}},
           {{"route.topic.regex", "("}},
           {{"whatever", "x"}}}) {
    auto t = OutboxEventRouter::Create(o, RecordFormat{});
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << o.begin()->first;
  }
}

}  // namespace
}  // namespace trackops::transforms
