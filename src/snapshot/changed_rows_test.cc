#include "snapshot/changed_rows.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace trackops::snapshot {
namespace {

std::string Identity(std::initializer_list<const char*> columns) {
  std::string out;
  for (const char* c : columns) {
    if (c == nullptr) {
      AppendIdentityColumn(&out, nullptr);
    } else {
      std::string_view text(c);
      AppendIdentityColumn(&out, &text);
    }
  }
  return out;
}

TEST(ChangedRowsTest, IdentitiesOfDifferentColumnListsDiffer) {
  EXPECT_NE(Identity({"ab", "c"}), Identity({"a", "bc"}));
  EXPECT_NE(Identity({"", nullptr}), Identity({nullptr, ""}));
  EXPECT_NE(Identity({nullptr}), Identity({""}));
  EXPECT_NE(Identity({"n"}), Identity({nullptr}));
  EXPECT_EQ(Identity({"1", "x"}), Identity({"1", "x"}));
}

TEST(ChangedRowsTest, TakesEachAddedRowOnce) {
  ChangedRows changed;
  changed.Add("public.a", Identity({"1"}));
  changed.Add("public.a", Identity({"2"}));
  EXPECT_EQ(changed.rows(), 2u);
  EXPECT_TRUE(changed.HasTable("public.a"));
  EXPECT_FALSE(changed.HasTable("public.b"));
  EXPECT_FALSE(changed.Take("public.b", Identity({"1"})));
  EXPECT_FALSE(changed.Take("public.a", Identity({"3"})));
  EXPECT_TRUE(changed.Take("public.a", Identity({"1"})));
  EXPECT_FALSE(changed.Take("public.a", Identity({"1"})));
  EXPECT_TRUE(changed.Take("public.a", Identity({"2"})));
}

TEST(ChangedRowsTest, CountsEqualRowsOfATableWithoutKey) {
  // Two equal rows written by the stream: two of the snapshot's equal rows
  // are left to it, the third is read.
  ChangedRows changed;
  changed.Add("public.nokey", Identity({"x", nullptr}));
  changed.Add("public.nokey", Identity({"x", nullptr}));
  EXPECT_TRUE(changed.Take("public.nokey", Identity({"x", nullptr})));
  EXPECT_TRUE(changed.Take("public.nokey", Identity({"x", nullptr})));
  EXPECT_FALSE(changed.Take("public.nokey", Identity({"x", nullptr})));
}

}  // namespace
}  // namespace trackops::snapshot
