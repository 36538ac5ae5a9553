#include "sink/offsets_record.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trackops::sink {
namespace {

using ::testing::HasSubstr;

TransactionInfo Txn(SnapshotPhase phase) {
  TransactionInfo txn;
  txn.xid = Xid(751);
  txn.commit_lsn = Lsn(23400);
  txn.end_lsn = Lsn(23456);
  txn.snapshot = phase;
  return txn;
}

TEST(OffsetsRecordTest, StreamedTransaction) {
  const std::string value = FormatOffsetsRecord("shop/s1", Txn(SnapshotPhase::kNone), nullptr, "");
  EXPECT_EQ(value, R"({"slot":"shop/s1","end_lsn":23456,"commit_lsn":23400,"xid":751})");
  absl::StatusOr<OffsetsRecord> parsed = ParseOffsetsRecord(value);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->end_lsn, Lsn(23456));
  EXPECT_EQ(parsed->snapshot, SnapshotPhase::kNone);
  EXPECT_FALSE(parsed->snapshot_position.has_value());
  EXPECT_EQ(parsed->incremental_snapshot, "");
}

TEST(OffsetsRecordTest, SnapshotRunningWithItsPositionAndAnIncrementalSnapshot) {
  const SnapshotPosition position{"public.\"odd\\name", 8192, 4000000000u};
  const std::string incremental = R"({"tables":["public.t"],"key":["5"],"max":["9"]})";
  const std::string value =
      FormatOffsetsRecord("shop/s1", Txn(SnapshotPhase::kRunning), &position, incremental);
  EXPECT_THAT(value, HasSubstr(R"("snapshot":"INITIAL","snapshot_completed":false)"));
  absl::StatusOr<OffsetsRecord> parsed = ParseOffsetsRecord(value);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->snapshot, SnapshotPhase::kRunning);
  ASSERT_TRUE(parsed->snapshot_position.has_value());
  EXPECT_EQ(parsed->snapshot_position->table, position.table);
  EXPECT_EQ(parsed->snapshot_position->page, 8192);
  EXPECT_EQ(parsed->snapshot_position->filenode, 4000000000u);
  EXPECT_EQ(parsed->incremental_snapshot, incremental);
}

TEST(OffsetsRecordTest, APositionGoesOnlyWithARunningSnapshot) {
  const SnapshotPosition position{"public.t", 1, 2};
  const std::string value =
      FormatOffsetsRecord("shop/s1", Txn(SnapshotPhase::kCompleted), &position, "");
  EXPECT_THAT(value, HasSubstr(R"("snapshot_completed":true)"));
  EXPECT_THAT(value, ::testing::Not(HasSubstr("snapshot_table")));
  absl::StatusOr<OffsetsRecord> parsed = ParseOffsetsRecord(value);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->snapshot, SnapshotPhase::kCompleted);
  EXPECT_FALSE(parsed->snapshot_position.has_value());
}

TEST(OffsetsRecordTest, SlotNamesAreEscaped) {
  const std::string value =
      FormatOffsetsRecord("we\"ird\\db/s1", Txn(SnapshotPhase::kNone), nullptr, "");
  EXPECT_THAT(value, HasSubstr(R"("slot":"we\"ird\\db/s1")"));
  EXPECT_TRUE(ParseOffsetsRecord(value).ok());
}

TEST(OffsetsRecordTest, AnythingElseIsDataLoss) {
  for (const char* bad : {"", "not json", "[1]", R"({"slot":"shop/s1"})", R"({"end_lsn":"12"})",
                          R"({"end_lsn":-1})"}) {
    absl::StatusOr<OffsetsRecord> parsed = ParseOffsetsRecord(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kDataLoss) << bad;
  }
}

}  // namespace
}  // namespace trackops::sink
