#include "replication/source_setup.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trackops::replication {
namespace {

using ::testing::HasSubstr;

TEST(CheckServerVersionTest, RejectsServersOlderThanTen) {
  absl::Status s = CheckServerVersion(90624, 1);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("9.6.24 is too old"));
  EXPECT_THAT(s.message(), HasSubstr("PostgreSQL 10 or newer"));
}

TEST(CheckServerVersionTest, NamesTheVersionEachProtocolNeeds) {
  EXPECT_TRUE(CheckServerVersion(100000, 1).ok());
  EXPECT_TRUE(CheckServerVersion(150020, 3).ok());
  absl::Status s = CheckServerVersion(130005, 2);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("protocol version 2 needs PostgreSQL 14"));
  EXPECT_THAT(CheckServerVersion(150020, 4).message(), HasSubstr("needs PostgreSQL 16"));
}

}  // namespace
}  // namespace trackops::replication
