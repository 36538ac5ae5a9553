#include "gtest/gtest.h"
#include "trackops/types.h"

namespace trackops {
namespace {

TEST(LsnTest, PrintsLikePostgres) {
  EXPECT_EQ(Lsn(0x16B374D848ULL).ToString(), "16/B374D848");
  EXPECT_EQ(Lsn(0).ToString(), "0/0");
}

TEST(LsnTest, ParsesWhatItPrints) {
  std::optional<Lsn> lsn = Lsn::Parse("16/B374D848");
  ASSERT_TRUE(lsn.has_value());
  EXPECT_EQ(lsn->value(), 0x16B374D848ULL);
  EXPECT_EQ(Lsn::Parse("0/1a")->value(), 0x1aULL);
}

TEST(LsnTest, RejectsMalformedText) {
  EXPECT_FALSE(Lsn::Parse("").has_value());
  EXPECT_FALSE(Lsn::Parse("16B374D848").has_value());
  EXPECT_FALSE(Lsn::Parse("/1").has_value());
  EXPECT_FALSE(Lsn::Parse("1/").has_value());
  EXPECT_FALSE(Lsn::Parse("1/G").has_value());
  EXPECT_FALSE(Lsn::Parse("123456789/0").has_value());
}

TEST(LsnTest, OrdersByPosition) {
  EXPECT_LT(Lsn(1), Lsn(2));
  EXPECT_EQ(Lsn(7), Lsn(7));
}

}  // namespace
}  // namespace trackops
