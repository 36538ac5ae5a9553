#include "trackops-diff/record_diff.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trackops::diff {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// Concatenates strings of any kind (Debian's absl::StrCat takes no
// std::string_view).
template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

// Abseil 20220623 ships no status matchers.
MATCHER_P2(StatusIs, code, substr,
           absl::StrCat("has code ", absl::StatusCodeToString(code), " and a message containing \"",
                        substr, "\"")) {
  const absl::Status& status = StatusOf(arg);
  if (status.code() == code && status.message().find(substr) != absl::string_view::npos) {
    return true;
  }
  *result_listener << "status is " << status;
  return false;
}

// A streaming insert's value as Debezium 3.6 writes it with schemas off.
constexpr char kPayload[] =
    R"({"before":null,"after":{"id":3,"amount":"APaO"},"source":{"version":"3.6.1.Final",)"
    R"("connector":"postgresql","name":"shop","ts_ms":1790710562903,"snapshot":"false",)"
    R"("db":"shop","sequence":"[\"22054936\",\"22055176\"]","ts_us":1790710562903499,)"
    R"("ts_ns":1790710562903499000,"schema":"public","table":"orders","txId":760,)"
    R"("lsn":22055176,"xmin":null},"transaction":null,"op":"c","ts_ms":1790710563391,)"
    R"("ts_us":1790710563391393,"ts_ns":1790710563391393044})";

// An abridged envelope schema (its content is compared like any JSON).
constexpr char kValueSchema[] =
    R"({"type":"struct","fields":[{"type":"int64","optional":false,"field":"ts_ms"}],)"
    R"("optional":false,"name":"shop.public.orders.Envelope","version":2})";
constexpr char kKeySchema[] =
    R"({"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],)"
    R"("optional":false,"name":"shop.public.orders.Key"})";

constexpr char kRunIdHeader[] =
    R"("__debezium.context.runId":{"schema":{"type":"string","optional":false},)"
    R"("payload":"671711f6-5517-4c69-806b-87c1b034ee7b"})";

std::string Record(std::string_view value, std::string_view key = R"({"id":3})",
                   std::string_view headers = "{}", std::string_view topic = "shop.public.orders") {
  return Cat(R"({"topic":")", topic, R"(","key":)", key, R"(,"value":)", value, R"(,"headers":)",
             headers, "}");
}

std::string WithSchema(std::string_view schema, std::string_view payload) {
  return Cat(R"({"schema":)", schema, R"(,"payload":)", payload, "}");
}

// `text` with the one occurrence of `from` replaced by `to`.
std::string Replace(std::string text, std::string_view from, std::string_view to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "twice: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

RecordComparison Compare(std::string_view left, std::string_view right,
                         const DiffOptions& options = {}) {
  auto differ = RecordDiffer::Create(options);
  EXPECT_TRUE(differ.ok()) << differ.status();
  if (!differ.ok()) return {};
  auto comparison = (*differ)->Compare(InputRecord{std::string(left), "line 1"},
                                       InputRecord{std::string(right), "line 1"});
  EXPECT_TRUE(comparison.ok()) << comparison.status();
  return comparison.ok() ? *comparison : RecordComparison{};
}

struct StreamResult {
  absl::StatusOr<DiffSummary> summary;
  std::string report;
};

StreamResult DiffLines(const std::vector<std::string>& left, const std::vector<std::string>& right,
                       const DiffOptions& options = {}) {
  StreamResult result{absl::UnknownError("not run"), ""};
  auto differ = RecordDiffer::Create(options);
  EXPECT_TRUE(differ.ok()) << differ.status();
  if (!differ.ok()) return result;
  auto left_reader = NewJsonLinesReader("left.jsonl", absl::StrJoin(left, "\n"));
  auto right_reader = NewJsonLinesReader("right.jsonl", absl::StrJoin(right, "\n"));
  result.summary =
      (*differ)->DiffStreams(*left_reader, *right_reader,
                             [&result](std::string_view text) { result.report.append(text); });
  return result;
}

// --- Identical streams --------------------------------------------------------

TEST(RecordDiffTest, IdenticalStreams) {
  std::vector<std::string> records = {
      Record(kPayload),
      Record(WithSchema(kValueSchema, kPayload), WithSchema(kKeySchema, R"({"id":3})")),
      Record("null"),
  };
  StreamResult result = DiffLines(records, records);
  ASSERT_TRUE(result.summary.ok()) << result.summary.status();
  EXPECT_TRUE(result.summary->Same());
  EXPECT_EQ(result.summary->compared, 3u);
  EXPECT_EQ(result.summary->identical, 3u);
  EXPECT_THAT(result.report, HasSubstr("compared 3 records: 3 identical, 0 different, 0 only left, "
                                       "0 only right\n"));
  EXPECT_THAT(result.report, Not(HasSubstr("record 1")));
  EXPECT_THAT(result.report, Not(HasSubstr("identical  different")));  // No per-topic table.
}

TEST(RecordDiffTest, EmptyStreamsAreIdentical) {
  StreamResult result = DiffLines({}, {});
  ASSERT_TRUE(result.summary.ok());
  EXPECT_TRUE(result.summary->Same());
  EXPECT_THAT(result.report, HasSubstr("compared 0 records: 0 identical"));
}

// --- Each kind of difference ---------------------------------------------------

TEST(RecordDiffTest, TopicDiffers) {
  RecordComparison c =
      Compare(Record(kPayload), Record(kPayload, R"({"id":3})", "{}", "shop.public.order"));
  EXPECT_FALSE(c.identical);
  EXPECT_EQ(c.path, "topic");
  EXPECT_EQ(c.left, R"("shop.public.orders")");
  EXPECT_EQ(c.right, R"("shop.public.order")");
}

TEST(RecordDiffTest, KeyDiffers) {
  RecordComparison c = Compare(Record(kPayload), Record(kPayload, R"({"id":4})"));
  EXPECT_FALSE(c.identical);
  EXPECT_EQ(c.path, "key.id");
  EXPECT_EQ(c.left, "3");
  EXPECT_EQ(c.right, "4");
  EXPECT_EQ(c.context.key, R"({"id":3})");
}

TEST(RecordDiffTest, KeyDiffersWithSchemas) {
  RecordComparison c = Compare(Record(kPayload, WithSchema(kKeySchema, R"({"id":3})")),
                               Record(kPayload, WithSchema(kKeySchema, R"({"id":4})")));
  EXPECT_EQ(c.path, "key.payload.id");
  EXPECT_EQ(c.context.key, R"({"id":3})");  // The key's payload.
}

TEST(RecordDiffTest, NullKeyAgainstKey) {
  RecordComparison c = Compare(Record(kPayload, "null"), Record(kPayload));
  EXPECT_EQ(c.path, "key");
  EXPECT_EQ(c.left, "null");
  EXPECT_EQ(c.right, R"({"id":3})");
}

TEST(RecordDiffTest, ValueFieldDiffers) {
  RecordComparison c =
      Compare(Record(kPayload), Record(Replace(kPayload, R"("APaO")", R"("AfQ=")")));
  EXPECT_FALSE(c.identical);
  EXPECT_EQ(c.path, "value.after.amount");
  EXPECT_EQ(c.what, "");
  EXPECT_EQ(c.left, R"("APaO")");
  EXPECT_EQ(c.right, R"("AfQ=")");
  EXPECT_EQ(c.context.topic, "shop.public.orders");
  EXPECT_EQ(c.context.table, "public.orders");
  EXPECT_EQ(c.context.lsn, "22055176");
}

TEST(RecordDiffTest, DifferenceBlockNamesRecordTopicKeyLsnPathAndValues) {
  std::string left = Record(WithSchema(kValueSchema, kPayload));
  std::string right = Record(WithSchema(kValueSchema, Replace(kPayload, R"("APaO")", R"("AfQ=")")));
  StreamResult result = DiffLines({left, left, left}, {left, left, right});
  ASSERT_TRUE(result.summary.ok()) << result.summary.status();
  EXPECT_FALSE(result.summary->Same());
  EXPECT_THAT(result.report,
              StartsWith(R"(record 3 (left line 3, right line 3) shop.public.orders key {"id":3} )"
                         R"(lsn 22055176: value.payload.after.amount: left "APaO" right "AfQ=")"
                         "\n"));
  EXPECT_THAT(result.report, HasSubstr("compared 3 records: 2 identical, 1 different, 0 only left, "
                                       "0 only right\n"));
}

TEST(RecordDiffTest, TableIsNamedWhenTheTopicDoesNotSayIt) {
  std::string left = Record(kPayload, R"({"id":3})", "{}", "orders-routed");
  std::string right =
      Record(Replace(kPayload, R"("APaO")", R"("AfQ=")"), R"({"id":3})", "{}", "orders-routed");
  StreamResult result = DiffLines({left}, {right});
  EXPECT_THAT(
      result.report,
      StartsWith(R"(record 1 (left line 1, right line 1) orders-routed table public.orders )"
                 R"(key {"id":3} lsn 22055176: value.after.amount:)"));
}

TEST(RecordDiffTest, FieldOrderDiffers) {
  RecordComparison c = Compare(
      Record(kPayload),
      Record(Replace(kPayload, R"({"id":3,"amount":"APaO"})", R"({"amount":"APaO","id":3})")));
  EXPECT_FALSE(c.identical);
  EXPECT_EQ(c.path, "value.after");
  EXPECT_EQ(c.what, "field order differs");
  EXPECT_EQ(c.left, R"(["id","amount"])");
  EXPECT_EQ(c.right, R"(["amount","id"])");
}

TEST(RecordDiffTest, NumberTextMatters) {
  auto with_id = [](std::string_view id) {
    return Record(Replace(kPayload, R"("id":3)", Cat(R"("id":)", id)));
  };
  RecordComparison c = Compare(with_id("1.0"), with_id("1"));
  EXPECT_EQ(c.path, "value.after.id");
  EXPECT_EQ(c.what, "same number written differently");
  EXPECT_EQ(c.left, "1.0");
  EXPECT_EQ(c.right, "1");
  EXPECT_FALSE(Compare(with_id("1.0"), with_id("1.00")).identical);
  EXPECT_FALSE(Compare(with_id("1e2"), with_id("100")).identical);
  EXPECT_FALSE(Compare(with_id("1E2"), with_id("1e2")).identical);
  EXPECT_FALSE(Compare(with_id("-0"), with_id("0")).identical);
  RecordComparison other = Compare(with_id("10"), with_id("11"));
  EXPECT_EQ(other.what, "");
  EXPECT_EQ(other.left, "10");
  EXPECT_TRUE(Compare(with_id("1.50"), with_id("1.50")).identical);
}

// JsonConverter's NUMERIC decimals can exceed int64 and double; their text
// still compares.
TEST(RecordDiffTest, NumbersBeyondInt64AndDoubleCompareByText) {
  auto with_id = [](std::string_view id) {
    return Record(Replace(kPayload, R"("id":3)", Cat(R"("id":)", id)));
  };
  EXPECT_TRUE(
      Compare(with_id("123456789012345678901234567890"), with_id("123456789012345678901234567890"))
          .identical);
  RecordComparison c =
      Compare(with_id("123456789012345678901234567890"), with_id("123456789012345678901234567891"));
  EXPECT_EQ(c.left, "123456789012345678901234567890");
  EXPECT_EQ(c.right, "123456789012345678901234567891");
  EXPECT_TRUE(Compare(with_id("1e400"), with_id("1e400")).identical);
}

TEST(RecordDiffTest, TypeDiffers) {
  RecordComparison c =
      Compare(Record(kPayload), Record(Replace(kPayload, R"("id":3)", R"("id":"3")")));
  EXPECT_EQ(c.path, "value.after.id");
  EXPECT_EQ(c.left, "3");
  EXPECT_EQ(c.right, R"("3")");
}

TEST(RecordDiffTest, MissingFieldOnEitherSide) {
  std::string without_xmin = Record(Replace(kPayload, R"(,"xmin":null)", ""));
  RecordComparison c = Compare(Record(kPayload), without_xmin);
  EXPECT_EQ(c.path, "value.source.xmin");
  EXPECT_EQ(c.left, "null");
  EXPECT_EQ(c.right, "(missing)");
  c = Compare(without_xmin, Record(kPayload));
  EXPECT_EQ(c.path, "value.source.xmin");
  EXPECT_EQ(c.left, "(missing)");
  EXPECT_EQ(c.right, "null");
  // In the middle of an object, not only at its end.
  c = Compare(Record(kPayload), Record(Replace(kPayload, R"("db":"shop",)", "")));
  EXPECT_EQ(c.path, "value.source.db");
  EXPECT_EQ(c.left, R"("shop")");
  EXPECT_EQ(c.right, "(missing)");
}

TEST(RecordDiffTest, ArrayElementsAndLength) {
  auto with_tags = [](std::string_view tags) {
    return Record(Replace(kPayload, R"("amount":"APaO")", Cat(R"("tags":)", tags)));
  };
  RecordComparison c = Compare(with_tags("[1,2,3]"), with_tags("[1,5,3]"));
  EXPECT_EQ(c.path, "value.after.tags[1]");
  c = Compare(with_tags("[1,2]"), with_tags("[1,2,3]"));
  EXPECT_EQ(c.path, "value.after.tags[2]");
  EXPECT_EQ(c.left, "(missing)");
  EXPECT_EQ(c.right, "3");
}

TEST(RecordDiffTest, ExtraRecordOnEitherSide) {
  std::string a = Record(kPayload);
  std::string b = Record(Replace(kPayload, R"("id":3)", R"("id":4)"), R"({"id":4})");
  StreamResult result = DiffLines({a, a, b}, {a, a});
  ASSERT_TRUE(result.summary.ok());
  EXPECT_EQ(result.summary->only_left, 1u);
  EXPECT_EQ(result.summary->only_right, 0u);
  EXPECT_EQ(result.summary->compared, 3u);
  EXPECT_FALSE(result.summary->Same());
  EXPECT_THAT(result.report,
              StartsWith(R"(record 3 (left line 3, right -) shop.public.orders key {"id":4} )"
                         "lsn 22055176: only left\n"));
  EXPECT_THAT(result.report, HasSubstr("3 records: 2 identical, 0 different, 1 only left, "
                                       "0 only right\n"));

  result = DiffLines({a}, {a, b, b});
  ASSERT_TRUE(result.summary.ok());
  EXPECT_EQ(result.summary->only_right, 2u);
  EXPECT_THAT(result.report, HasSubstr("record 2 (left -, right line 2)"));
  EXPECT_THAT(result.report, HasSubstr("record 3 (left -, right line 3)"));
}

TEST(RecordDiffTest, TombstoneAgainstValue) {
  RecordComparison c = Compare(Record("null"), Record(kPayload));
  EXPECT_FALSE(c.identical);
  EXPECT_EQ(c.path, "value");
  EXPECT_EQ(c.left, "null (tombstone)");
  EXPECT_THAT(c.right, StartsWith(R"({"before":null,"after":{"id":3,)"));
  EXPECT_EQ(c.context.lsn, "22055176");  // From the right, as the left has none.

  // With schemas the payload is shown, not the schema.
  c = Compare(Record(WithSchema(kValueSchema, kPayload)), Record("null"));
  EXPECT_THAT(c.left, StartsWith(R"({"schema":...,"payload":{"before":null,)"));
  EXPECT_EQ(c.right, "null (tombstone)");
}

TEST(RecordDiffTest, HeaderDifferences) {
  const std::string old_key = R"("__debezium.oldkey":{"id":1})";
  RecordComparison c =
      Compare(Record(kPayload, R"({"id":3})", Cat("{", old_key, "}")),
              Record(kPayload, R"({"id":3})", R"({"__debezium.oldkey":{"id":2}})"));
  EXPECT_EQ(c.path, R"(headers["__debezium.oldkey"].id)");
  EXPECT_EQ(c.left, "1");
  EXPECT_EQ(c.right, "2");

  // A header on one side only; a record without "headers" has none.
  c = Compare(Record(kPayload, R"({"id":3})", Cat("{", old_key, "}")),
              Cat(R"({"topic":"shop.public.orders","key":{"id":3},"value":)", kPayload, "}"));
  EXPECT_EQ(c.path, R"(headers["__debezium.oldkey"])");
  EXPECT_EQ(c.left, R"({"id":1})");
  EXPECT_EQ(c.right, "(missing)");

  // Header order.
  c = Compare(Record(kPayload, R"({"id":3})", R"({"a":"1","b":"2"})"),
              Record(kPayload, R"({"id":3})", R"({"b":"2","a":"1"})"));
  EXPECT_EQ(c.path, "headers");
  EXPECT_EQ(c.what, "field order differs");

  EXPECT_TRUE(
      Compare(Record(kPayload, R"({"id":3})", "{}"),
              Cat(R"({"topic":"shop.public.orders","key":{"id":3},"value":)", kPayload, "}"))
          .identical);
}

TEST(RecordDiffTest, SchemasOnAgainstSchemasOff) {
  RecordComparison c = Compare(Record(WithSchema(kValueSchema, kPayload)), Record(kPayload));
  EXPECT_FALSE(c.identical);
  EXPECT_EQ(c.path, "value.schema");
  EXPECT_EQ(c.right, "(missing)");
}

TEST(RecordDiffTest, SchemaDifferenceIsReported) {
  RecordComparison c = Compare(
      Record(WithSchema(kValueSchema, kPayload)),
      Record(WithSchema(Replace(kValueSchema, R"("version":2)", R"("version":1)"), kPayload)));
  EXPECT_EQ(c.path, "value.schema.version");
}

TEST(RecordDiffTest, StringsCompareByContent) {
  auto with_amount = [](std::string_view amount) {
    return Record(Replace(kPayload, R"("APaO")", amount));
  };
  EXPECT_TRUE(Compare(with_amount(R"("\u0041")"), with_amount(R"("A")")).identical);
  EXPECT_FALSE(Compare(with_amount(R"("a")"), with_amount(R"("A")")).identical);
  EXPECT_FALSE(Compare(with_amount(R"("A ")"), with_amount(R"("A")")).identical);
  RecordComparison c = Compare(with_amount(R"("a\nb")"), with_amount(R"("a\tb")"));
  EXPECT_EQ(c.left, R"("a\nb")");
  EXPECT_EQ(c.right, R"("a\tb")");
}

TEST(RecordDiffTest, LongStringsAreShownAroundTheirFirstDifference) {
  std::string common(1000, 'a');
  RecordComparison c = Compare(Record(Replace(kPayload, "APaO", common + "X")),
                               Record(Replace(kPayload, "APaO", common + "YZ")));
  EXPECT_EQ(c.path, "value.after.amount");
  EXPECT_EQ(c.what, "strings differ at byte 1000 (lengths 1001 and 1002)");
  EXPECT_THAT(c.left, StartsWith("...\"aaa"));
  EXPECT_THAT(c.left, testing::EndsWith("aX\""));
  EXPECT_THAT(c.right, testing::EndsWith("aYZ\""));
  EXPECT_LE(c.left.size(), 130u);
}

TEST(RecordDiffTest, LongValuesAreCut) {
  std::string big = Cat("[", absl::StrJoin(std::vector<int>(200, 7), ","), "]");
  RecordComparison c = Compare(Record(Replace(kPayload, R"("APaO")", big)), Record(kPayload));
  EXPECT_EQ(c.path, "value.after.amount");
  EXPECT_THAT(c.left, testing::EndsWith("...(401 bytes)"));
  EXPECT_LE(c.left.size(), 140u);
}

// --- Normalizations ------------------------------------------------------------

struct NormalizationCase {
  std::string name;  // The normalization.
  std::string from;  // Text in kPayload or the headers ...
  std::string to;    // ... changed on the right.
  std::string path;  // Where the difference shows without normalization.
  bool in_headers = false;
};

class BuiltinNormalizationTest : public testing::TestWithParam<NormalizationCase> {
 protected:
  // Left and right records differing only in the parameter's value.
  std::pair<std::string, std::string> Records(bool schemas) const {
    const NormalizationCase& p = GetParam();
    std::string headers = Cat("{", kRunIdHeader, "}");
    std::string left_payload = kPayload, right_payload = kPayload;
    std::string right_headers = headers;
    if (p.in_headers) {
      right_headers = Replace(headers, p.from, p.to);
    } else {
      right_payload = Replace(kPayload, p.from, p.to);
    }
    auto value = [&](const std::string& payload) {
      return schemas ? WithSchema(kValueSchema, payload) : payload;
    };
    return {Record(value(left_payload), R"({"id":3})", headers),
            Record(value(right_payload), R"({"id":3})", right_headers)};
  }

  std::string PathWith(bool schemas) const {
    const std::string& path = GetParam().path;
    if (!schemas || GetParam().in_headers) return path;
    return Replace(path, "value.", "value.payload.");
  }
};

TEST_P(BuiltinNormalizationTest, OnByDefault) {
  for (bool schemas : {false, true}) {
    auto [left, right] = Records(schemas);
    RecordComparison c = Compare(left, right);
    EXPECT_TRUE(c.identical) << c.path;
    EXPECT_THAT(c.normalized, ElementsAre(GetParam().name));
  }
}

TEST_P(BuiltinNormalizationTest, OffWithNoNormalize) {
  for (bool schemas : {false, true}) {
    auto [left, right] = Records(schemas);
    DiffOptions options;
    options.builtin_normalizations = false;
    RecordComparison c = Compare(left, right, options);
    EXPECT_FALSE(c.identical);
    EXPECT_EQ(c.path, PathWith(schemas));
    EXPECT_THAT(c.normalized, IsEmpty());
  }
}

TEST_P(BuiltinNormalizationTest, OffByName) {
  auto [left, right] = Records(true);
  DiffOptions options;
  options.disabled_normalizations = {GetParam().name};
  RecordComparison c = Compare(left, right, options);
  EXPECT_FALSE(c.identical);
  EXPECT_EQ(c.path, PathWith(true));
}

TEST_P(BuiltinNormalizationTest, MissingFieldIsStillReported) {
  const NormalizationCase& p = GetParam();
  if (p.in_headers) {
    std::string headers = Cat("{", kRunIdHeader, "}");
    RecordComparison c = Compare(Record(kPayload, R"({"id":3})", headers), Record(kPayload));
    EXPECT_EQ(c.path, R"(headers["__debezium.context.runId"])");
    EXPECT_EQ(c.right, "(missing)");
    return;
  }
  // Remove the member: `from` is `"name":value`, with a comma on one side.
  std::string right = kPayload;
  size_t at = right.find(p.from);
  ASSERT_NE(at, std::string::npos);
  if (right[at - 1] == ',') {
    right.erase(at - 1, p.from.size() + 1);
  } else {
    right.erase(at, p.from.size() + 1);  // First in its object: the comma after.
  }
  RecordComparison c = Compare(Record(kPayload), Record(right));
  EXPECT_FALSE(c.identical);
  EXPECT_EQ(c.path, p.path);
  EXPECT_EQ(c.right, "(missing)");
}

INSTANTIATE_TEST_SUITE_P(
    Builtins, BuiltinNormalizationTest,
    testing::Values(NormalizationCase{"value.ts_ms", R"("ts_ms":1790710563391)",
                                      R"("ts_ms":1790710569999)", "value.ts_ms"},
                    NormalizationCase{"value.ts_us", R"("ts_us":1790710563391393)",
                                      R"("ts_us":1790710569999999)", "value.ts_us"},
                    NormalizationCase{"value.ts_ns", R"("ts_ns":1790710563391393044)",
                                      R"("ts_ns":1790710569999999999)", "value.ts_ns"},
                    NormalizationCase{"value.source.version", R"("version":"3.6.1.Final")",
                                      R"("version":"0.1.0")", "value.source.version"},
                    NormalizationCase{"header.__debezium.context.runId", "671711f6", "deadbeef",
                                      R"(headers["__debezium.context.runId"].payload)", true}),
    [](const testing::TestParamInfo<NormalizationCase>& param_info) {
      std::string name;
      for (char c : param_info.param.name) name.push_back(isalnum(c) ? c : '_');
      return name;
    });

TEST(RecordDiffTest, BuiltinNormalizationsAreListed) {
  std::vector<std::string> names;
  for (const Normalization& n : BuiltinNormalizations()) names.push_back(n.name);
  EXPECT_THAT(names, ElementsAre("value.ts_ms", "value.ts_us", "value.ts_ns",
                                 "value.source.version", "header.__debezium.context.runId"));
  auto differ = RecordDiffer::Create({});
  ASSERT_TRUE(differ.ok());
  EXPECT_EQ((*differ)->ActiveNormalizations(), names);
}

// source.ts_* is the commit time: both connectors must agree on it.
TEST(RecordDiffTest, SourceTimestampsAreNotNormalized) {
  RecordComparison c =
      Compare(Record(kPayload),
              Record(Replace(kPayload, R"("ts_ms":1790710562903)", R"("ts_ms":1790710562904)")));
  EXPECT_FALSE(c.identical);
  EXPECT_EQ(c.path, "value.source.ts_ms");
  c = Compare(Record(kPayload), Record(Replace(kPayload, R"("ts_us":1790710562903499)",
                                               R"("ts_us":1790710562903400)")));
  EXPECT_EQ(c.path, "value.source.ts_us");
}

// A member named like a normalized one deeper down is compared.
TEST(RecordDiffTest, NormalizationsApplyOnlyAtTheirPath) {
  RecordComparison c = Compare(Record(Replace(kPayload, R"("amount":"APaO")", R"("ts_ms":1)")),
                               Record(Replace(kPayload, R"("amount":"APaO")", R"("ts_ms":2)")));
  EXPECT_EQ(c.path, "value.after.ts_ms");
  c = Compare(Record(kPayload, R"({"id":3,"version":"a"})"),
              Record(kPayload, R"({"id":3,"version":"b"})"));
  EXPECT_EQ(c.path, "key.version");
}

TEST(RecordDiffTest, NormalizationsKeepComparingTheRestOfTheRecord) {
  std::string right = Replace(kPayload, R"("ts_ms":1790710563391)", R"("ts_ms":1)");
  right = Replace(right, R"("ts_ns":1790710563391393044)", R"("ts_ns":2)");
  right = Replace(right, R"("ts_us":1790710563391393)", R"("ts_us":"x")");
  EXPECT_TRUE(Compare(Record(kPayload), Record(right)).identical);
  RecordComparison c = Compare(Record(kPayload), Record(right, R"({"id":3})", R"({"h":1})"));
  EXPECT_EQ(c.path, "headers.h");
}

TEST(RecordDiffTest, IgnoreField) {
  std::string left = Record(WithSchema(kValueSchema, kPayload));
  std::string right = Record(
      WithSchema(kValueSchema, Replace(kPayload, R"("[\"22054936\",)", R"("[\"22054000\",)")));
  RecordComparison c = Compare(left, right);
  EXPECT_EQ(c.path, "value.payload.source.sequence");
  DiffOptions options;
  options.ignore_fields = {"source.sequence"};
  c = Compare(left, right, options);
  EXPECT_TRUE(c.identical);
  EXPECT_THAT(c.normalized, ElementsAre("value.source.sequence"));
  // User normalizations apply with the built-in ones off.
  options.builtin_normalizations = false;
  EXPECT_TRUE(Compare(left, right, options).identical);
  // Schemas off too.
  EXPECT_TRUE(Compare(Record(kPayload),
                      Record(Replace(kPayload, R"("[\"22054936\",)", R"("[\"22054000\",)")),
                      options)
                  .identical);
}

TEST(RecordDiffTest, IgnoreHeader) {
  std::string left = Record(kPayload, R"({"id":3})", R"({"trace":"a","x":1})");
  std::string right = Record(kPayload, R"({"id":3})", R"({"trace":"b","x":1})");
  EXPECT_EQ(Compare(left, right).path, "headers.trace");
  DiffOptions options;
  options.ignore_headers = {"trace"};
  RecordComparison c = Compare(left, right, options);
  EXPECT_TRUE(c.identical);
  EXPECT_THAT(c.normalized, ElementsAre("header.trace"));
}

TEST(RecordDiffTest, BadOptions) {
  DiffOptions unknown;
  unknown.disabled_normalizations = {"value.ts_millis"};
  EXPECT_THAT(RecordDiffer::Create(unknown),
              StatusIs(absl::StatusCode::kInvalidArgument, "value.ts_millis"));
  DiffOptions empty_segment;
  empty_segment.ignore_fields = {"source..lsn"};
  EXPECT_THAT(RecordDiffer::Create(empty_segment),
              StatusIs(absl::StatusCode::kInvalidArgument, "source..lsn"));
  DiffOptions empty_header;
  empty_header.ignore_headers = {""};
  EXPECT_THAT(RecordDiffer::Create(empty_header),
              StatusIs(absl::StatusCode::kInvalidArgument, "empty"));
  DiffOptions narrow;
  narrow.max_value_bytes = 3;
  EXPECT_THAT(RecordDiffer::Create(narrow),
              StatusIs(absl::StatusCode::kInvalidArgument, "at least 16"));
}

TEST(RecordDiffTest, SummaryNamesEachNormalizationAndWhatItHid) {
  std::string right = Replace(kPayload, R"("ts_ms":1790710563391)", R"("ts_ms":1)");
  StreamResult result =
      DiffLines({Record(kPayload), Record(kPayload)}, {Record(right), Record(kPayload)});
  ASSERT_TRUE(result.summary.ok());
  EXPECT_TRUE(result.summary->Same());
  EXPECT_THAT(result.report, HasSubstr("normalized value.ts_ms: differed in 1 of 2 identical "
                                       "records\n"));
  EXPECT_THAT(result.report, HasSubstr("normalized value.source.version: differed in 0 of 2"));
  EXPECT_THAT(result.report, HasSubstr("normalized header.__debezium.context.runId: differed"));

  DiffOptions off;
  off.builtin_normalizations = false;
  result = DiffLines({Record(kPayload)}, {Record(right)}, off);
  ASSERT_TRUE(result.summary.ok());
  EXPECT_FALSE(result.summary->Same());
  EXPECT_THAT(result.report, HasSubstr("normalized: nothing\n"));
}

// --- Stream reporting ----------------------------------------------------------

TEST(RecordDiffTest, MaxDiffsLimitsBlocksNotCounts) {
  std::string a = Record(kPayload);
  std::string b = Record(Replace(kPayload, R"("APaO")", R"("AfQ=")"));
  DiffOptions options;
  options.max_diffs = 2;
  StreamResult result = DiffLines({a, a, a, a, a}, {b, b, b, b, b}, options);
  ASSERT_TRUE(result.summary.ok());
  EXPECT_EQ(result.summary->different, 5u);
  EXPECT_THAT(result.report, HasSubstr("record 2 ("));
  EXPECT_THAT(result.report, Not(HasSubstr("record 3 (")));
  EXPECT_THAT(result.report, HasSubstr("(3 more different records not shown: --max-diffs 2)\n"));
  EXPECT_THAT(result.report, HasSubstr("compared 5 records: 0 identical, 5 different"));
}

TEST(RecordDiffTest, PerTopicTableWhenDifferent) {
  std::string orders = Record(kPayload);
  std::string changed = Record(Replace(kPayload, R"("APaO")", R"("AfQ=")"));
  std::string heartbeat = R"({"topic":"__debezium-heartbeat.shop","key":{"serverName":"shop"},)"
                          R"("value":{"ts_ms":1},"headers":{}})";
  StreamResult result = DiffLines({orders, heartbeat, orders}, {changed, heartbeat});
  ASSERT_TRUE(result.summary.ok());
  EXPECT_EQ(result.summary->topics.at("shop.public.orders").different, 1u);
  EXPECT_EQ(result.summary->topics.at("shop.public.orders").only_left, 1u);
  EXPECT_EQ(result.summary->topics.at("__debezium-heartbeat.shop").identical, 1u);
  EXPECT_THAT(result.report,
              HasSubstr("topic                      identical  different  only left only right\n"
                        "__debezium-heartbeat.shop          1          0          0          0\n"
                        "shop.public.orders                 0          1          1          0\n"));
}

// --- Shape-only topics -------------------------------------------------------

// A heartbeat as Debezium 3.6.1 writes it with schemas on.
std::string Heartbeat(int64_t ts_ms, std::string_view server = "shop") {
  return Cat(R"({"topic":"__debezium-heartbeat.shop","key":{"schema":{"type":"struct",)",
             R"("fields":[{"type":"string","optional":false,"field":"serverName"}],)",
             R"("optional":false,"name":"io.debezium.connector.common.ServerNameKey",)",
             R"("version":1},"payload":{"serverName":")", server, R"("}},"value":{"schema":)",
             R"({"type":"struct","fields":[{"type":"int64","optional":false,"field":"ts_ms"}],)",
             R"("optional":false,"name":"io.debezium.connector.common.Heartbeat","version":1},)",
             R"("payload":{"ts_ms":)", std::to_string(ts_ms), R"(}},"headers":{}})");
}

DiffOptions ShapeOnlyHeartbeats() {
  DiffOptions options;
  options.shape_only_topics = {"__debezium-heartbeat.shop"};
  return options;
}

TEST(RecordDiffTest, ShapeOnlyTopicIgnoresCountAndPlace) {
  std::string orders = Record(kPayload);
  StreamResult result =
      DiffLines({Heartbeat(1), orders, Heartbeat(2), Heartbeat(3), orders},
                {orders, Heartbeat(10), orders, Heartbeat(20)}, ShapeOnlyHeartbeats());
  ASSERT_TRUE(result.summary.ok()) << result.summary.status();
  EXPECT_TRUE(result.summary->Same()) << result.report;
  // 2 orders by position; 3 left heartbeats against the first right one, 1
  // more right one against the first left one.
  EXPECT_EQ(result.summary->compared, 6u);
  EXPECT_EQ(result.summary->topics.at("__debezium-heartbeat.shop").identical, 4u);
  ASSERT_EQ(result.summary->shape_only.size(), 1u);
  EXPECT_EQ(result.summary->shape_only[0].left, 3u);
  EXPECT_EQ(result.summary->shape_only[0].right, 2u);
  EXPECT_THAT(result.report, HasSubstr("shape only __debezium-heartbeat.shop: 3 left, 2 right\n"));
}

TEST(RecordDiffTest, SkippedTopicsAreLeftOutAndCounted) {
  std::string orders = Record(kPayload);
  DiffOptions options;
  options.skip_topics = {"__debezium-heartbeat.shop"};
  StreamResult result = DiffLines({Heartbeat(1), orders, Heartbeat(2), Heartbeat(3)},
                                  {orders, Heartbeat(10)}, options);
  ASSERT_TRUE(result.summary.ok()) << result.summary.status();
  EXPECT_TRUE(result.summary->Same()) << result.report;
  EXPECT_EQ(result.summary->compared, 1u);
  EXPECT_THAT(
      result.report,
      HasSubstr("not compared (--skip-topic __debezium-heartbeat.shop): 3 left, 1 right\n"));
  // Without it, the same streams differ.
  result = DiffLines({Heartbeat(1), orders, Heartbeat(2), Heartbeat(3)}, {orders, Heartbeat(10)},
                     DiffOptions());
  ASSERT_TRUE(result.summary.ok()) << result.summary.status();
  EXPECT_FALSE(result.summary->Same());
}

TEST(RecordDiffTest, WithoutShapeOnlyTheSameStreamsDiffer) {
  std::string orders = Record(kPayload);
  StreamResult result =
      DiffLines({Heartbeat(1), orders, Heartbeat(2)}, {orders, Heartbeat(10), orders});
  ASSERT_TRUE(result.summary.ok());
  EXPECT_FALSE(result.summary->Same());
}

TEST(RecordDiffTest, ShapeOnlyTopicStillComparesKeyAndSchema) {
  std::string orders = Record(kPayload);
  StreamResult result =
      DiffLines({orders, Heartbeat(1)}, {orders, Heartbeat(2, "other")}, ShapeOnlyHeartbeats());
  ASSERT_TRUE(result.summary.ok());
  EXPECT_EQ(result.summary->different, 1u);
  EXPECT_THAT(
      result.report,
      HasSubstr(R"(record 2 (left line 2, right line 2) __debezium-heartbeat.shop key )"
                R"({"serverName":"shop"}: key.payload.serverName: left "shop" right "other")"));

  std::string int32_schema = Replace(Heartbeat(2), R"("type":"int64")", R"("type":"int32")");
  result = DiffLines({orders, Heartbeat(1), Heartbeat(2)}, {orders, Heartbeat(3), int32_schema},
                     ShapeOnlyHeartbeats());
  ASSERT_TRUE(result.summary.ok());
  EXPECT_EQ(result.summary->different, 1u);
  EXPECT_THAT(result.report,
              HasSubstr("value.schema.fields[0].type: left \"int64\" right \"int32\""));

  // Every left record is compared too, not only the first.
  result = DiffLines({Heartbeat(1), Heartbeat(2, "other")}, {Heartbeat(3)}, ShapeOnlyHeartbeats());
  ASSERT_TRUE(result.summary.ok());
  EXPECT_EQ(result.summary->different, 1u);
}

TEST(RecordDiffTest, ShapeOnlyTopicNormalizesTsMsEvenWithoutBuiltins) {
  DiffOptions options = ShapeOnlyHeartbeats();
  options.builtin_normalizations = false;
  StreamResult result = DiffLines({Heartbeat(1)}, {Heartbeat(2)}, options);
  ASSERT_TRUE(result.summary.ok());
  EXPECT_TRUE(result.summary->Same()) << result.report;
}

TEST(RecordDiffTest, ShapeOnlyTopicNeedsARecordOnEachSide) {
  std::string orders = Record(kPayload);
  StreamResult result =
      DiffLines({orders}, {orders, Heartbeat(1), Heartbeat(2)}, ShapeOnlyHeartbeats());
  ASSERT_TRUE(result.summary.ok());
  EXPECT_EQ(result.summary->only_right, 2u);
  EXPECT_THAT(result.report, HasSubstr("(left -, right line 2) __debezium-heartbeat.shop key "
                                       R"({"serverName":"shop"}: only right (shape-only topic: )"
                                       "none on the left)\n"));

  result = DiffLines({orders, Heartbeat(1)}, {orders}, ShapeOnlyHeartbeats());
  ASSERT_TRUE(result.summary.ok());
  EXPECT_EQ(result.summary->only_left, 1u);

  result = DiffLines({orders}, {orders}, ShapeOnlyHeartbeats());
  ASSERT_TRUE(result.summary.ok());
  EXPECT_FALSE(result.summary->Same());
  EXPECT_EQ(result.summary->different, 1u);
  EXPECT_THAT(result.report, HasSubstr("shape-only topic with no record on either side"));
}

TEST(RecordDiffTest, EmptyShapeOnlyTopicIsRefused) {
  DiffOptions options;
  options.shape_only_topics = {""};
  EXPECT_THAT(RecordDiffer::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, "shape-only topic"));
}

TEST(RecordDiffTest, BlankLinesAreSkippedButCounted) {
  std::string a = Record(kPayload);
  std::string b = Record(Replace(kPayload, R"("APaO")", R"("AfQ=")"));
  StreamResult result = DiffLines({"", a, "  ", b}, {a, b, ""});
  ASSERT_TRUE(result.summary.ok());
  EXPECT_TRUE(result.summary->Same());
  result = DiffLines({"", a, "  ", a}, {a, b});
  EXPECT_THAT(result.report, StartsWith("record 2 (left line 4, right line 2)"));
}

// --- Malformed input -----------------------------------------------------------

TEST(RecordDiffTest, MalformedLinesNameTheStreamAndLine) {
  std::string a = Record(kPayload);
  EXPECT_THAT(DiffLines({a, "{\"topic\":"}, {a, a}).summary,
              StatusIs(absl::StatusCode::kDataLoss, "left.jsonl line 2: not JSON"));
  EXPECT_THAT(DiffLines({a, a}, {a, "", "[1,2]"}).summary,
              StatusIs(absl::StatusCode::kDataLoss, "right.jsonl line 3: not a record"));
  EXPECT_THAT(
      DiffLines({R"({"key":null,"value":null})"}, {a}).summary,
      StatusIs(absl::StatusCode::kDataLoss, "left.jsonl line 1: not a record: no \"topic\""));
  EXPECT_THAT(DiffLines({a}, {R"({"topic":"t","key":null})"}).summary,
              StatusIs(absl::StatusCode::kDataLoss, "no \"value\""));
  EXPECT_THAT(DiffLines({a}, {R"({"topic":1,"key":null,"value":null})"}).summary,
              StatusIs(absl::StatusCode::kDataLoss, "\"topic\" is not a string"));
  EXPECT_THAT(DiffLines({a}, {R"({"topic":"t","key":01,"value":null})"}).summary,
              StatusIs(absl::StatusCode::kDataLoss,
                       "right.jsonl line 1: not JSON: malformed "
                       "number at byte 20"));
  EXPECT_THAT(DiffLines({a}, {R"({"topic":"t","key":1.,"value":null})"}).summary,
              StatusIs(absl::StatusCode::kDataLoss, "malformed number"));
  // A line only on one side is checked too.
  EXPECT_THAT(DiffLines({a}, {a, "nope"}).summary,
              StatusIs(absl::StatusCode::kDataLoss, "right.jsonl line 2: not JSON"));
  auto differ = RecordDiffer::Create({});
  ASSERT_TRUE(differ.ok());
  EXPECT_THAT((*differ)->Compare({a, "line 9"}, {"{", "line 7"}),
              StatusIs(absl::StatusCode::kDataLoss, "right line 7: not JSON"));
}

// Numbers inside strings are text, and strings may hold quotes and
// backslashes.
TEST(RecordDiffTest, NumbersInsideStringsAreNotNumbers) {
  std::string value = Replace(kPayload, R"("APaO")", R"("1.0 \" 2 \\")");
  EXPECT_TRUE(Compare(Record(value), Record(value)).identical);
  RecordComparison c = Compare(Record(value), Record(Replace(value, R"("id":3)", R"("id":3.0)")));
  EXPECT_EQ(c.path, "value.after.id");
  EXPECT_EQ(c.right, "3.0");
}

TEST(RecordDiffTest, OpenJsonLinesFile) {
  EXPECT_THAT(OpenJsonLinesFile("/nonexistent/trackops-diff.jsonl"),
              StatusIs(absl::StatusCode::kNotFound, "/nonexistent/trackops-diff.jsonl"));
  std::string path = testing::TempDir() + "/open_json_lines.jsonl";
  std::ofstream(path) << "\n" << Record(kPayload) << "\r\n";
  auto reader = OpenJsonLinesFile(path);
  ASSERT_TRUE(reader.ok()) << reader.status();
  InputRecord record;
  auto more = (*reader)->Next(&record);
  ASSERT_TRUE(more.ok());
  EXPECT_TRUE(*more);
  EXPECT_EQ(record.json, Record(kPayload));
  EXPECT_EQ(record.location, "line 2");
  more = (*reader)->Next(&record);
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(*more);
}

// --- The binary ----------------------------------------------------------------

class TrackopsDiffBinaryTest : public testing::Test {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("TRACKOPS_BINARY_DIR");
    if (dir == nullptr) GTEST_SKIP() << "TRACKOPS_BINARY_DIR is not set (run under ctest)";
    binary_ = std::string(dir) + "/tools/trackops-diff/trackops-diff";
    tmp_ = testing::TempDir() + "/trackops_diff_binary_test";
    ASSERT_EQ(std::system(("mkdir -p " + tmp_).c_str()), 0);
  }

  std::string File(const std::string& name, const std::vector<std::string>& lines) {
    std::string path = tmp_ + "/" + name;
    std::ofstream out(path);
    for (const std::string& line : lines) out << line << "\n";
    return path;
  }

  static std::string Slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // Runs the binary with `args`; returns its exit status.
  int Run(const std::string& args) {
    std::string command = binary_ + " " + args + " >" + tmp_ + "/stdout 2>" + tmp_ + "/stderr";
    int status = std::system(command.c_str());
    stdout_ = Slurp(tmp_ + "/stdout");
    stderr_ = Slurp(tmp_ + "/stderr");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string binary_, tmp_, stdout_, stderr_;
};

TEST_F(TrackopsDiffBinaryTest, ExitCodesAndOutput) {
  std::string a = Record(kPayload, R"({"id":3})", Cat("{", kRunIdHeader, "}"));
  std::string a_later = Replace(Replace(a, R"("ts_ms":1790710563391)", R"("ts_ms":1790710564000)"),
                                "671711f6", "00000000");
  std::string b = Record(Replace(kPayload, R"("APaO")", R"("AfQ=")"), R"({"id":3})",
                         Cat("{", kRunIdHeader, "}"));
  std::string left = File("left.jsonl", {a, a});
  std::string same = File("same.jsonl", {a_later, a});
  std::string different = File("different.jsonl", {a, b});
  std::string malformed = File("malformed.jsonl", {a, "{\"topic\":oops}"});

  EXPECT_EQ(Run(left + " " + same), 0) << stderr_;
  EXPECT_THAT(stdout_, HasSubstr("compared 2 records: 2 identical, 0 different, 0 only left, "
                                 "0 only right\n"));
  EXPECT_THAT(stdout_, HasSubstr("normalized value.ts_ms: differed in 1 of 2 identical"));
  EXPECT_EQ(stderr_, "");

  EXPECT_EQ(Run("--no-normalize " + left + " " + same), 1);
  EXPECT_THAT(stdout_, HasSubstr("value.ts_ms: left 1790710563391 right 1790710564000\n"));
  EXPECT_EQ(Run("--no-normalize=value.ts_ms " + left + " " + same), 1);
  EXPECT_EQ(Run("--no-normalize=header.__debezium.context.runId " + left + " " + same), 1);
  EXPECT_THAT(stdout_, HasSubstr(R"(headers["__debezium.context.runId"].payload: left)"));

  EXPECT_EQ(Run(left + " " + different), 1);
  EXPECT_THAT(stdout_, HasSubstr(R"(record 2 (left line 2, right line 2) shop.public.orders )"
                                 R"(key {"id":3} lsn 22055176: value.after.amount: left "APaO" )"
                                 R"(right "AfQ=")"
                                 "\n"));
  EXPECT_THAT(stdout_, HasSubstr("compared 2 records: 1 identical, 1 different"));
  EXPECT_THAT(stdout_, HasSubstr("shop.public.orders          1          1          0          0"));
  EXPECT_EQ(Run("--max-diffs 0 " + left + " " + different), 1);
  EXPECT_THAT(stdout_, Not(HasSubstr("record 2")));
  EXPECT_EQ(Run("--ignore-field=after.amount " + left + " " + different), 0);

  EXPECT_EQ(Run("- " + different + " <" + left), 1);
  EXPECT_THAT(stdout_, HasSubstr("record 2 (left line 2"));

  std::string beats = File("beats.jsonl", {Heartbeat(1), a, Heartbeat(2), a});
  std::string one_beat = File("one_beat.jsonl", {a, a, Heartbeat(3)});
  EXPECT_EQ(Run(beats + " " + one_beat), 1);
  EXPECT_EQ(Run("--shape-only-topic __debezium-heartbeat.shop " + beats + " " + one_beat), 0)
      << stdout_;
  EXPECT_THAT(stdout_, HasSubstr("shape only __debezium-heartbeat.shop: 2 left, 1 right\n"));
  EXPECT_EQ(Run("--shape-only-topic=__debezium-heartbeat.shop " + left + " " + one_beat), 1);

  EXPECT_EQ(Run(left + " " + malformed), 2);
  EXPECT_THAT(stderr_, HasSubstr(malformed + " line 2: not JSON"));
  EXPECT_EQ(Run(left + " " + tmp_ + "/absent.jsonl"), 2);
  EXPECT_THAT(stderr_, HasSubstr("absent.jsonl: cannot open"));
}

TEST_F(TrackopsDiffBinaryTest, UsageErrors) {
  std::string left = File("usage.jsonl", {Record(kPayload)});
  EXPECT_EQ(Run(""), 2);
  EXPECT_THAT(stderr_, HasSubstr("needs two inputs"));
  EXPECT_EQ(Run(left), 2);
  EXPECT_EQ(Run(left + " " + left + " " + left), 2);
  EXPECT_EQ(Run("--frobnicate " + left + " " + left), 2);
  EXPECT_THAT(stderr_, HasSubstr("unknown option --frobnicate"));
  EXPECT_EQ(Run("--max-diffs lots " + left + " " + left), 2);
  EXPECT_EQ(Run("--no-normalize=value.nope " + left + " " + left), 2);
  EXPECT_THAT(stderr_, HasSubstr("no normalization named \"value.nope\""));
  EXPECT_EQ(Run("--ignore-field " + left), 2);
  EXPECT_EQ(Run(left + " " + left + " --shape-only-topic"), 2);
  EXPECT_EQ(Run("- -"), 2);

  EXPECT_EQ(Run("--help"), 0);
  EXPECT_THAT(stdout_, HasSubstr("usage: trackops-diff"));
  EXPECT_EQ(Run("--list-normalizations"), 0);
  for (const Normalization& n : BuiltinNormalizations()) {
    EXPECT_THAT(stdout_, HasSubstr(n.name + " "));
  }
}

}  // namespace
}  // namespace trackops::diff
