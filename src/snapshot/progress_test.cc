#include "snapshot/progress.h"

#include "gtest/gtest.h"

namespace trackops::snapshot {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(ProgressTest, FormatsDurationsBySize) {
  EXPECT_EQ(FormatDuration(milliseconds(6100)), "6.1s");
  EXPECT_EQ(FormatDuration(minutes(4) + seconds(5)), "4m05s");
  EXPECT_EQ(FormatDuration(hours(1) + minutes(2) + seconds(3)), "1h02m03s");
}

TEST(ProgressTest, GivesTheTotalRateAndTimeLeft) {
  EXPECT_EQ(DescribeProgress(120000, 1000000, seconds(10)),
            "120000 of about 1000000 rows, 12000 rows/s, about 1m13s left");
}

TEST(ProgressTest, LeavesOutWhatIsNotKnown) {
  // No estimate (reltuples -1 and nothing better).
  EXPECT_EQ(DescribeProgress(5000, -1, seconds(2)), "5000 rows, 2500 rows/s");
  // An estimate already passed: the table grew, or the statistics are old.
  EXPECT_EQ(DescribeProgress(5000, 4000, seconds(2)), "5000 rows, 2500 rows/s");
  // No time yet: no rate, so no time left either.
  EXPECT_EQ(DescribeProgress(0, 4000, seconds(0)), "0 of about 4000 rows");
}

}  // namespace
}  // namespace trackops::snapshot
