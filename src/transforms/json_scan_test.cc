#include "transforms/json_scan.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace trackops::transforms {
namespace {

TEST(JsonScanTest, TakeValueReturnsEachKindOfValue) {
  std::string_view in = R"( {"a":[1,{"b":"}]"}],"c":"x\"y"} , 12.5e3,"s\\",null)";
  auto object = TakeValue(&in);
  ASSERT_TRUE(object.ok()) << object.status();
  EXPECT_EQ(*object, R"({"a":[1,{"b":"}]"}],"c":"x\"y"})");
  ASSERT_EQ(in.substr(0, 2), " ,");
  in.remove_prefix(2);
  EXPECT_EQ(*TakeValue(&in), "12.5e3");
  in.remove_prefix(1);
  EXPECT_EQ(*TakeValue(&in), R"("s\\")");
  in.remove_prefix(1);
  EXPECT_EQ(*TakeValue(&in), "null");
  EXPECT_TRUE(in.empty());
}

TEST(JsonScanTest, MalformedInputIsAnError) {
  for (std::string_view bad : {"", "  ", R"("open)", R"({"a":[1,2})", "[1,2"}) {
    std::string_view in = bad;
    EXPECT_FALSE(TakeValue(&in).ok()) << bad;
  }
  EXPECT_FALSE(ForEachMember(R"({"a" 1})", [](auto, auto) { return absl::OkStatus(); }).ok());
  EXPECT_FALSE(ForEachMember("[1]", [](auto, auto) { return absl::OkStatus(); }).ok());
  EXPECT_FALSE(ForEachElement("[1 2]", [](auto) { return absl::OkStatus(); }).ok());
}

TEST(JsonScanTest, MembersAndElementsInOrder) {
  std::vector<std::string> seen;
  ASSERT_TRUE(ForEachMember(R"({ "x" : {"y":1} , "z":[] })",
                            [&](std::string_view k, std::string_view v) {
                              seen.push_back(std::string(k) + "=" + std::string(v));
                              return absl::OkStatus();
                            })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{R"("x"={"y":1})", R"("z"=[])"}));
  seen.clear();
  ASSERT_TRUE(ForEachElement(R"([ true,"a" ,{}])", [&](std::string_view v) {
                seen.emplace_back(v);
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"true", R"("a")", "{}"}));
  EXPECT_TRUE(ForEachMember("{}", [](auto, auto) { return absl::InternalError("no"); }).ok());
}

TEST(JsonScanTest, FindMemberComparesDecodedNames) {
  std::string_view object = R"({"a\"b":1,"\u00e9":2,"plain":3,"plain":4})";
  EXPECT_EQ(*FindMember(object, "a\"b"), "1");
  EXPECT_EQ(*FindMember(object, "\xC3\xA9"), "2");
  EXPECT_EQ(*FindMember(object, "plain"), "3");  // The first of duplicates.
  EXPECT_EQ(*FindMember(object, "missing"), "");
}

TEST(JsonScanTest, DecodeStringHandlesEscapesAndSurrogatePairs) {
  std::string out;
  ASSERT_TRUE(DecodeString(R"("a\n\t\\\/\"\u0041\uD83D\uDE00\uD800x")", &out).ok());
  EXPECT_EQ(out, "a\n\t\\/\"A\xF0\x9F\x98\x80\xEF\xBF\xBDx");
  EXPECT_FALSE(DecodeString(R"("\q")", &out).ok());
  EXPECT_FALSE(DecodeString("12", &out).ok());
  EXPECT_TRUE(StringTokenEquals(R"("x\u0079")", "xy"));
  EXPECT_FALSE(StringTokenEquals(R"("xy")", "x"));
}

TEST(JsonScanTest, InnerStripsBrackets) {
  EXPECT_EQ(Inner(R"( { "a":1 } )"), R"("a":1)");
  EXPECT_EQ(Inner("[]"), "");
}

}  // namespace
}  // namespace trackops::transforms
