#include "transforms/json_expansion.h"

#include <string>

#include "gtest/gtest.h"

namespace trackops::transforms {
namespace {

struct Expanded {
  std::string schema;
  std::string value;
};

Expanded Expand(std::string_view text, bool null_as_bytes = false) {
  JsonExpansion expansion(null_as_bytes);
  Expanded e;
  absl::Status s = expansion.Expand("payload", text, &e.schema, &e.value);
  EXPECT_TRUE(s.ok()) << s << " for " << text;
  return e;
}

TEST(JsonExpansionTest, NumbersByRange) {
  Expanded e = Expand(R"({"i": -5, "l": 3000000000, "d": 1.50, "e": 1e3, "b": true})");
  EXPECT_EQ(e.schema,
            R"({"type":"struct","fields":[{"type":"int32","optional":true,"field":"i"},)"
            R"({"type":"int64","optional":true,"field":"l"},)"
            R"({"type":"double","optional":true,"field":"d"},)"
            R"({"type":"double","optional":true,"field":"e"},)"
            R"({"type":"boolean","optional":true,"field":"b"}],"optional":true,"name":"payload"})");
  EXPECT_EQ(e.value, R"({"i":-5,"l":3000000000,"d":1.5,"e":1000.0,"b":true})");
}

TEST(JsonExpansionTest, NestedObjectsAreNamedByPath) {
  Expanded e = Expand(R"({"a": {"b": {"c": "x\n"}}})");
  EXPECT_NE(e.schema.find(R"("name":"payload.a.b","field":"b"}],"optional":true,"name":"payload.a")"),
            std::string::npos)
      << e.schema;
  EXPECT_EQ(e.value, R"({"a":{"b":{"c":"x\n"}}})");
}

TEST(JsonExpansionTest, NullsAndEmptyArraysAreLeftOutUnlessOptionalBytes) {
  Expanded e = Expand(R"({"n": null, "e": [], "s": "v"})");
  EXPECT_EQ(e.schema,
            R"({"type":"struct","fields":[{"type":"string","optional":true,"field":"s"}],)"
            R"("optional":true,"name":"payload"})");
  EXPECT_EQ(e.value, R"({"s":"v"})");
  Expanded bytes = Expand(R"({"n": null})", true);
  EXPECT_NE(bytes.schema.find(R"({"type":"bytes","optional":true,"field":"n"})"),
            std::string::npos);
  EXPECT_EQ(bytes.value, R"({"n":null})");
}

TEST(JsonExpansionTest, ArraysOfObjectsMergeTheirFields) {
  Expanded e = Expand(R"({"l": [{"a": 1}, null, {"b": "x", "a": 2}]})");
  EXPECT_NE(e.schema.find(R"("items":{"type":"struct","fields":[{"type":"int32","optional":true,)"
                          R"("field":"a"},{"type":"string","optional":true,"field":"b"}])"),
            std::string::npos)
      << e.schema;
  EXPECT_EQ(e.value, R"({"l":[{"a":1,"b":null},null,{"a":2,"b":"x"}]})");
}

TEST(JsonExpansionTest, WhatDebeziumCannotExpandIsAnError) {
  JsonExpansion expansion(false);
  std::string schema, value;
  for (std::string_view bad : {R"([1, 2])", R"({"a": [1, "x"]})", R"({"a": [1, 3000000000]})",
                               R"({"a": [null]})", R"({"a": 18446744073709551615})", "{"}) {
    EXPECT_FALSE(expansion.Expand("payload", bad, &schema, &value).ok()) << bad;
  }
}

}  // namespace
}  // namespace trackops::transforms
