#include "transforms/extract_new_record_state.h"

#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "transforms/test_records.h"

namespace trackops::transforms {
namespace {

using testing::ChangeRecord;
using testing::kRowSchema;
using testing::Value;

struct Out {
  std::string topic;
  std::optional<std::string> value;
  std::vector<std::pair<std::string, std::string>> headers;
};

std::vector<Out> Unwrap(Transform& t, const Record& in) {
  std::vector<Out> out;
  absl::Status s = t.Apply(in, [&](const Record& r) {
    Out o{std::string(r.topic), std::nullopt, {}};
    if (r.value) o.value = std::string(*r.value);
    for (const Header& h : r.headers) o.headers.emplace_back(h.key, h.value);
    out.push_back(std::move(o));
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

std::unique_ptr<Transform> Make(TransformOptions options, bool schemas) {
  RecordFormat f{schemas, schemas, schemas};
  auto t = ExtractNewRecordState::Create(options, f);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *std::move(t) : nullptr;
}

constexpr std::string_view kRow = R"({"id":1,"name":"a"})";

TEST(ExtractNewRecordStateTest, InsertBecomesTheRowWithANonOptionalSchema) {
  auto t = Make({}, true);
  std::string value = Value(true, "c", "null", kRow);
  auto out = Unwrap(*t, ChangeRecord(value, "k"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].topic, "conf.public.t");
  std::string schema(kRowSchema);
  schema.replace(schema.find(R"("optional":true,"name")"), 15, R"("optional":false)");
  EXPECT_EQ(*out[0].value, R"({"schema":)" + schema + R"(},"payload":{"id":1,"name":"a"}})");
}

TEST(ExtractNewRecordStateTest, WithoutSchemaAddsFieldsAndHeaders) {
  auto t = Make({{"add.fields", "op,table,source.lsn:pos"}, {"add.headers", "op,db"}}, false);
  std::string value = Value(false, "u", "null", kRow);
  Header original{"h", "1"};
  Record in = ChangeRecord(value, "k");
  in.headers = std::span<const Header>(&original, 1);
  auto out = Unwrap(*t, in);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(*out[0].value, R"({"id":1,"name":"a","__op":"u","__table":"t","__pos":1234})");
  // "db" is not in this source block: null, as Debezium's getWithoutDefault.
  EXPECT_EQ(out[0].headers, (std::vector<std::pair<std::string, std::string>>{
                                {"h", "1"}, {"__op", R"("u")"}, {"__db", "null"}}));
}

TEST(ExtractNewRecordStateTest, AddedFieldSchemasAreOptionalCopies) {
  auto t = Make({{"add.fields", "op,source.ts_ms"}}, true);
  std::string value = Value(true, "c", "null", kRow);
  auto out = Unwrap(*t, ChangeRecord(value, "k"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_NE(out[0].value->find(R"({"type":"string","optional":true,"field":"__op"},)"
                               R"({"type":"int64","optional":true,"field":"__source_ts_ms"}],)"
                               R"("optional":false,"name":"conf.public.t.Value"})"),
            std::string::npos)
      << *out[0].value;
  // ts_ms is not in this source block: Debezium falls back to the envelope.
  EXPECT_NE(out[0].value->find(R"("__op":"c","__source_ts_ms":99})"), std::string::npos)
      << *out[0].value;
}

TEST(ExtractNewRecordStateTest, DeleteModes) {
  std::string value = Value(false, "d", kRow, "null");
  Record del = ChangeRecord(value, "k");
  Record tomb = ChangeRecord(value, "k");
  tomb.value.reset();
  struct Case {
    const char* mode;
    std::vector<std::optional<std::string>> values;  // For [delete, tombstone].
  };
  for (const Case& c : std::vector<Case>{
           {"tombstone", {"null"}},
           {"drop", {}},
           {"delete-to-tombstone", {std::nullopt}},
           {"rewrite", {R"({"id":1,"name":"a","__deleted":"true"})"}},
           {"rewrite-with-tombstone",
            {R"({"id":1,"name":"a","__deleted":"true"})", std::nullopt}},
       }) {
    auto t = Make({{"delete.tombstone.handling.mode", c.mode}}, false);
    std::vector<std::optional<std::string>> got;
    for (const Record* r : {&del, &tomb}) {
      for (const Out& o : Unwrap(*t, *r)) got.push_back(o.value);
    }
    EXPECT_EQ(got, c.values) << c.mode;
  }
}

TEST(ExtractNewRecordStateTest, ATombstoneCarriesTheHeadersAddedToItsDelete) {
  auto t = Make({{"delete.tombstone.handling.mode", "rewrite-with-tombstone"},
                 {"add.headers", "op,table"}},
                false);
  std::string value = Value(false, "d", kRow, "null");
  Record del = ChangeRecord(value, "k");
  Record tomb = del;
  tomb.value.reset();
  using Headers = std::vector<std::pair<std::string, std::string>>;
  ASSERT_EQ(Unwrap(*t, del).size(), 1u);
  auto out = Unwrap(*t, tomb);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].headers, (Headers{{"__op", R"("d")"}, {"__table", R"("t")"}, {"__op", R"("d")"}}));
  // A tombstone not right after a delete gets only its own "op" header.
  out = Unwrap(*t, tomb);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].headers, (Headers{{"__op", R"("d")"}}));
}

TEST(ExtractNewRecordStateTest, TombstoneModeKeepsTheRowSchemaWithANullPayload) {
  auto t = Make({}, true);
  std::string value = Value(true, "d", kRow, "null");
  auto out = Unwrap(*t, ChangeRecord(value, "k"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(*out[0].value, testing::Cat(R"({"schema":)", kRowSchema, R"(},"payload":null})"));
}

TEST(ExtractNewRecordStateTest, RewriteMarksLiveRowsAndTruncatesAreDropped) {
  auto t = Make({{"delete.tombstone.handling.mode", "rewrite"}}, false);
  std::string insert = Value(false, "c", "null", kRow);
  auto out = Unwrap(*t, ChangeRecord(insert, "k"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(*out[0].value, R"({"id":1,"name":"a","__deleted":"false"})");
  std::string truncate = Value(false, "t", "null", "null");
  EXPECT_TRUE(Unwrap(*t, ChangeRecord(truncate, "k")).empty());
}

TEST(ExtractNewRecordStateTest, RouteByField) {
  auto t = Make({{"route.by.field", "name"}}, false);
  std::string value = Value(false, "c", "null", kRow);
  auto out = Unwrap(*t, ChangeRecord(value, "k"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].topic, "a");
}

TEST(ExtractNewRecordStateTest, OtherRecordsPassUnchanged) {
  auto t = Make({}, false);
  Record r;
  r.topic = "conf.transaction";
  r.value = std::string_view(R"({"status":"BEGIN"})");
  r.kind = RecordKind::kTransaction;
  auto out = Unwrap(*t, r);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(*out[0].value, R"({"status":"BEGIN"})");
}

TEST(ExtractNewRecordStateTest, InvalidOptionsAreRefused) {
  RecordFormat f;
  for (TransformOptions o : std::vector<TransformOptions>{
           {{"delete.tombstone.handling.mode", "nope"}},
           {{"replace.null.with.default", "false"}},
           {{"add.fields", "a:b:c"}},
           {{"add.fields", "source"}},
           {{"no.such.option", "1"}}}) {
    auto t = ExtractNewRecordState::Create(o, f);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << o.begin()->first;
  }
}

TEST(ExtractNewRecordStateTest, MalformedValueIsAnError) {
  auto t = Make({}, true);
  std::string value = R"({"schema":{"fields":[)";
  absl::Status s = t->Apply(ChangeRecord(value, "k"), [](const Record&) {
    ADD_FAILURE() << "emitted";
    return absl::OkStatus();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace trackops::transforms
