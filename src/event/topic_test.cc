#include "event/topic.h"

#include <string>

#include "gtest/gtest.h"

namespace trackops::event {
namespace {

// AbstractTopicNamingStrategy.sanitizedTopicName / isValidCharacter.
TEST(TopicTest, KeepsValidCharacters) {
  EXPECT_EQ(SanitizeTopicName("server1.inventory.customers"), "server1.inventory.customers");
  EXPECT_EQ(SanitizeTopicName("a-b_c.D9"), "a-b_c.D9");
}

TEST(TopicTest, ReplacesInvalidCharactersPerUtf16Unit) {
  EXPECT_EQ(SanitizeTopicName("my table$x"), "my_table_x");
  EXPECT_EQ(SanitizeTopicName("t\u00e9st"), "t_st");  // One BMP character: one '_'.
  EXPECT_EQ(SanitizeTopicName("\u20ac"), "_");
  EXPECT_EQ(SanitizeTopicName("a\U0001F600b"), "a__b");  // Surrogate pair: two.
  EXPECT_EQ(SanitizeTopicName("a\xffz"), "a_z");         // Invalid byte: one.
}

TEST(TopicTest, ReplacesDotNames) {
  EXPECT_EQ(SanitizeTopicName("."), "_");
  EXPECT_EQ(SanitizeTopicName(".."), "__");
}

TEST(TopicTest, CutsAt249Characters) {
  std::string name(300, 'x');
  EXPECT_EQ(SanitizeTopicName(name), std::string(249, 'x'));
  std::string wide = std::string(248, 'x') + "\U0001F600";
  EXPECT_EQ(SanitizeTopicName(wide), std::string(248, 'x') + "_");
}

TEST(TopicTest, JoinsPrefixSchemaAndTable) {
  EXPECT_EQ(DataChangeTopic("dbserver1", "public", "orders"), "dbserver1.public.orders");
  EXPECT_EQ(DataChangeTopic("dbserver1", "Sales Dept", "Order$"), "dbserver1.Sales_Dept.Order_");
  // Blank parts are left out (mkString filters isNullOrBlank).
  EXPECT_EQ(DataChangeTopic("p", "", "t"), "p.t");
  EXPECT_EQ(DataChangeTopic("p", " ", "t"), "p.t");
}

}  // namespace
}  // namespace trackops::event
