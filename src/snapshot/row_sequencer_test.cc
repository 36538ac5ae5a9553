#include "snapshot/row_sequencer.h"

#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trackops::snapshot {
namespace {

using ::testing::ElementsAre;

// Runs a snapshot of tables with the given rows (each row one text column)
// and returns "table:row:marker" per emitted row.
std::vector<std::string> Sequence(const std::vector<std::vector<std::string>>& tables) {
  std::vector<std::string> out;
  RowSequencer sequencer(tables.size());
  auto emit = [&out](size_t table, pgoutput::Tuple row, event::SnapshotMarker marker) {
    out.push_back(std::to_string(table) + ":" + std::string(row[0].data) + ":" +
                  std::string(event::SnapshotMarkerName(marker)));
    return absl::OkStatus();
  };
  for (size_t t = 0; t < tables.size(); ++t) {
    sequencer.BeginTable(t);
    for (const std::string& text : tables[t]) {
      // A column whose bytes die with the loop iteration: the sequencer copies.
      std::string copy = text;
      pgoutput::TupleColumn column{pgoutput::TupleKind::kText, copy};
      EXPECT_TRUE(sequencer.Add(pgoutput::Tuple(&column, 1), emit).ok());
      copy.assign(copy.size(), '#');
    }
    sequencer.EndTable();
  }
  EXPECT_TRUE(sequencer.Finish(emit).ok());
  EXPECT_EQ(sequencer.emitted(), out.size());
  return out;
}

TEST(RowSequencerTest, MarksFirstAndLastOfEachTableAndOfTheSnapshot) {
  EXPECT_THAT(Sequence({{"a1", "a2", "a3"}, {"b1", "b2", "b3"}, {"c1", "c2"}}),
              ElementsAre("0:a1:first", "0:a2:true", "0:a3:last_in_data_collection",
                          "1:b1:first_in_data_collection", "1:b2:true",
                          "1:b3:last_in_data_collection", "2:c1:first_in_data_collection",
                          "2:c2:last"));
}

TEST(RowSequencerTest, FirstWinsOverLastInTableForASingleRowFirstTable) {
  EXPECT_THAT(Sequence({{"a1"}, {"b1"}, {"c1"}}),
              ElementsAre("0:a1:first", "1:b1:last_in_data_collection", "2:c1:last"));
}

TEST(RowSequencerTest, TheOnlyRowIsLast) {
  EXPECT_THAT(Sequence({{"a1"}}), ElementsAre("0:a1:last"));
}

TEST(RowSequencerTest, AnEmptyFirstTableLeavesNoRowFirst) {
  EXPECT_THAT(Sequence({{}, {"b1", "b2"}, {"c1", "c2"}}),
              ElementsAre("1:b1:first_in_data_collection", "1:b2:last_in_data_collection",
                          "2:c1:first_in_data_collection", "2:c2:last"));
}

TEST(RowSequencerTest, EmptyLastTablesMakeTheLastRowEmittedLast) {
  EXPECT_THAT(Sequence({{"a1", "a2"}, {"b1", "b2"}, {}, {}}),
              ElementsAre("0:a1:first", "0:a2:last_in_data_collection",
                          "1:b1:first_in_data_collection", "1:b2:last"));
}

TEST(RowSequencerTest, NoRowsNoRecords) { EXPECT_THAT(Sequence({{}, {}}), ElementsAre()); }

TEST(RowSequencerTest, KeepsNullsAndEmptyStringsApart) {
  RowSequencer sequencer(1);
  std::vector<pgoutput::TupleColumn> row = {{pgoutput::TupleKind::kNull, {}},
                                            {pgoutput::TupleKind::kText, ""},
                                            {pgoutput::TupleKind::kText, "x"}};
  std::vector<std::pair<pgoutput::TupleKind, std::string>> seen;
  auto emit = [&seen](size_t, pgoutput::Tuple r, event::SnapshotMarker) {
    for (const pgoutput::TupleColumn& c : r) seen.emplace_back(c.kind, std::string(c.data));
    return absl::OkStatus();
  };
  sequencer.BeginTable(0);
  ASSERT_TRUE(sequencer.Add(pgoutput::Tuple(row), emit).ok());
  sequencer.EndTable();
  ASSERT_TRUE(sequencer.Finish(emit).ok());
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].first, pgoutput::TupleKind::kNull);
  EXPECT_EQ(seen[1], std::make_pair(pgoutput::TupleKind::kText, std::string()));
  EXPECT_EQ(seen[2], std::make_pair(pgoutput::TupleKind::kText, std::string("x")));
}

TEST(RowSequencerTest, AnEmitErrorStopsAndIsReturned) {
  RowSequencer sequencer(1);
  pgoutput::TupleColumn column{pgoutput::TupleKind::kText, "r"};
  auto fail = [](size_t, pgoutput::Tuple, event::SnapshotMarker) {
    return absl::UnavailableError("sink down");
  };
  sequencer.BeginTable(0);
  ASSERT_TRUE(sequencer.Add(pgoutput::Tuple(&column, 1), fail).ok());  // Held, not emitted.
  EXPECT_EQ(sequencer.Add(pgoutput::Tuple(&column, 1), fail).code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace trackops::snapshot
