#include "snapshot/copy_text.h"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "snapshot/copy_text_writer.h"

namespace trackops::snapshot {
namespace {

using pgoutput::TupleColumn;
using pgoutput::TupleKind;
using ::testing::ElementsAre;

// A column's value for comparisons: nullopt for NULL.
using Value = std::optional<std::string>;

// Matches an absl::Status whose code is `code` and whose message contains
// `substr`. Abseil 20220623 ships no status matchers.
MATCHER_P2(StatusIs, code, substr,
           absl::StrCat("has code ", absl::StatusCodeToString(code), " and a message containing \"",
                        substr, "\"")) {
  if (arg.code() == code && arg.message().find(substr) != absl::string_view::npos) return true;
  *result_listener << "status is " << arg;
  return false;
}

std::vector<Value> Values(const std::vector<TupleColumn>& columns) {
  std::vector<Value> values;
  for (const TupleColumn& column : columns) {
    if (column.kind == TupleKind::kNull) {
      EXPECT_TRUE(column.data.empty());
      values.push_back(std::nullopt);
    } else {
      EXPECT_EQ(column.kind, TupleKind::kText);
      values.emplace_back(std::string(column.data));
    }
  }
  return values;
}

// Parses `row` expecting `expected_columns` and returns the values, failing
// the test on an error.
std::vector<Value> Parse(std::string_view row, size_t expected_columns) {
  std::string buffer;
  std::vector<TupleColumn> columns;
  const absl::Status status = ParseCopyTextRow(row, expected_columns, &buffer, &columns);
  EXPECT_TRUE(status.ok()) << status << " for row \"" << row << "\"";
  if (!status.ok()) return {};
  EXPECT_EQ(columns.size(), expected_columns);
  return Values(columns);
}

// The status of parsing `row` expecting `expected_columns`.
absl::Status ParseStatus(std::string_view row, size_t expected_columns) {
  std::string buffer;
  std::vector<TupleColumn> columns;
  return ParseCopyTextRow(row, expected_columns, &buffer, &columns);
}

// Whether `view` lies inside `within` (an empty view is anywhere).
bool Inside(std::string_view view, std::string_view within) {
  if (view.empty()) return true;
  const auto begin = reinterpret_cast<uintptr_t>(within.data());
  const auto at = reinterpret_cast<uintptr_t>(view.data());
  return at >= begin && at + view.size() <= begin + within.size();
}

// One row the way PostgreSQL's COPY TO writes it.
std::string Escape(const std::vector<Value>& values) {
  std::vector<TupleColumn> columns;
  for (const Value& v : values) {
    columns.push_back(v.has_value() ? TupleColumn{TupleKind::kText, *v}
                                    : TupleColumn{TupleKind::kNull, {}});
  }
  return WriteCopyTextRow(columns);
}

// ---------------------------------------------------------------------------
// Plain fields, empty strings and NULL.

TEST(CopyTextTest, PlainFieldsViewIntoTheRow) {
  const std::string row = "1\tshoe\t42.50";
  std::string buffer;
  std::vector<TupleColumn> columns;
  ASSERT_TRUE(ParseCopyTextRow(row, 3, &buffer, &columns).ok());
  EXPECT_THAT(Values(columns), ElementsAre("1", "shoe", "42.50"));
  for (const TupleColumn& column : columns) EXPECT_TRUE(Inside(column.data, row));
  EXPECT_TRUE(buffer.empty()) << "a row without escapes needs no buffer";
}

TEST(CopyTextTest, OneColumn) { EXPECT_THAT(Parse("hello world", 1), ElementsAre("hello world")); }

TEST(CopyTextTest, EmptyStringsAreNotNull) {
  EXPECT_THAT(Parse("", 1), ElementsAre(""));
  EXPECT_THAT(Parse("\t", 2), ElementsAre("", ""));
  EXPECT_THAT(Parse("\t\t", 3), ElementsAre("", "", ""));
  EXPECT_THAT(Parse("a\t\tb", 3), ElementsAre("a", "", "b"));
}

TEST(CopyTextTest, BackslashNIsNullOnlyAsTheWholeField) {
  EXPECT_THAT(Parse("\\N", 1), ElementsAre(std::nullopt));
  EXPECT_THAT(Parse("\\N\t\\N", 2), ElementsAre(std::nullopt, std::nullopt));
  EXPECT_THAT(Parse("\\N\t\t\\N", 3), ElementsAre(std::nullopt, "", std::nullopt));
  EXPECT_THAT(Parse("1\t\\N\tx", 3), ElementsAre("1", std::nullopt, "x"));
  // Inside a longer field "\N" is just an escaped 'N' (COPY FROM reads it so;
  // COPY TO never writes it).
  EXPECT_THAT(Parse("\\Nx\tx\\N\ta\\Nb", 3), ElementsAre("Nx", "xN", "aNb"));
  EXPECT_THAT(Parse("N\t\\n", 2), ElementsAre("N", "\n"));
}

TEST(CopyTextTest, EscapedBackslashBeforeNIsText) {
  // The text \N (backslash, N) is written as \\N.
  EXPECT_THAT(Parse("\\\\N", 1), ElementsAre("\\N"));
  EXPECT_THAT(Parse("\\\\N\t\\N", 2), ElementsAre("\\N", std::nullopt));
}

TEST(CopyTextTest, ZeroColumnsIsTheEmptyLine) {
  std::string buffer;
  std::vector<TupleColumn> columns = {{TupleKind::kText, "stale"}};
  ASSERT_TRUE(ParseCopyTextRow("", 0, &buffer, &columns).ok());
  EXPECT_TRUE(columns.empty());
  EXPECT_THAT(ParseStatus("x", 0), StatusIs(absl::StatusCode::kDataLoss,
                                            "extra data after the last expected column (0)"));
}

// ---------------------------------------------------------------------------
// Escapes.

TEST(CopyTextTest, EveryEscapePostgresWrites) {
  EXPECT_THAT(Parse("\\\\\t\\b\t\\f\t\\n\t\\r\t\\t\t\\v", 7),
              ElementsAre("\\", "\b", "\f", "\n", "\r", "\t", "\v"));
  EXPECT_THAT(Parse("a\\\\b\\bc\\fd\\ne\\rf\\tg\\vh", 1), ElementsAre("a\\b\bc\fd\ne\rf\tg\vh"));
  EXPECT_THAT(Parse("\\\\\\\\", 1), ElementsAre("\\\\"));
  EXPECT_THAT(Parse("line 1\\nline 2\\r\\n", 1), ElementsAre("line 1\nline 2\r\n"));
}

TEST(CopyTextTest, EscapedTabIsNotADelimiter) {
  EXPECT_THAT(Parse("a\\tb\tc", 2), ElementsAre("a\tb", "c"));
  // A backslash before a raw tab escapes it too (COPY FROM accepts this).
  EXPECT_THAT(Parse("a\\\tb\tc", 2), ElementsAre("a\tb", "c"));
  EXPECT_THAT(Parse("\\\t", 1), ElementsAre("\t"));
  EXPECT_THAT(Parse("x\\\\\ty", 2), ElementsAre("x\\", "y"));
}

TEST(CopyTextTest, OctalEscapes) {
  EXPECT_THAT(Parse("\\101\t\\60\t\\7\t\\0", 4),
              ElementsAre("A", "0", "\x07", std::string(1, '\0')));
  // At most three digits: the fourth is a plain byte.
  EXPECT_THAT(Parse("\\1011", 1), ElementsAre("A1"));
  // Values above 0377 wrap to a byte, as in PostgreSQL.
  EXPECT_THAT(Parse("\\377\t\\777\t\\400", 3), ElementsAre("\xff", "\xff", std::string(1, '\0')));
  // '8' and '9' are not octal digits.
  EXPECT_THAT(Parse("\\8\t\\18", 2), ElementsAre("8",
                                                 "\x01"
                                                 "8"));
  // Digits stop at a delimiter and at the end of the row.
  EXPECT_THAT(Parse("\\1\t2\t\\12", 3), ElementsAre("\x01", "2", "\n"));
}

TEST(CopyTextTest, HexEscapes) {
  EXPECT_THAT(Parse("\\x41\t\\x4a\t\\x4A\t\\x7\t\\xff", 5),
              ElementsAre("A", "J", "J", "\x07", "\xff"));
  // At most two digits.
  EXPECT_THAT(Parse("\\x414", 1), ElementsAre("A4"));
  // "\x" without a hex digit is "x".
  EXPECT_THAT(Parse("\\x\t\\xg\t\\x", 3), ElementsAre("x", "xg", "x"));
  EXPECT_THAT(Parse("\\x4\tz", 2), ElementsAre("\x04", "z"));
}

TEST(CopyTextTest, OtherEscapedBytesStandForThemselves) {
  EXPECT_THAT(Parse("\\a\\c\\.\\ \\'\\\"", 1), ElementsAre("ac. '\""));
  // A backslash before a byte of a multibyte character keeps the character.
  EXPECT_THAT(Parse("\\\xc3\xa9", 1), ElementsAre("\xc3\xa9"));
}

TEST(CopyTextTest, MultibyteUtf8) {
  const std::string e_acute = "\xc3\xa9";                // é
  const std::string nihon = "\xe6\x97\xa5\xe6\x9c\xac";  // 日本
  const std::string grinning = "\xf0\x9f\x98\x80";       // U+1F600
  EXPECT_THAT(Parse(absl::StrCat("h", e_acute, "llo\t", nihon, "\t", grinning), 3),
              ElementsAre(absl::StrCat("h", e_acute, "llo"), nihon, grinning));
  EXPECT_THAT(Parse(absl::StrCat(nihon, "\\n", grinning, "\\t", e_acute, "\t\\N"), 2),
              ElementsAre(absl::StrCat(nihon, "\n", grinning, "\t", e_acute), std::nullopt));
}

// ---------------------------------------------------------------------------
// Malformed rows.

TEST(CopyTextTest, TooManyColumns) {
  EXPECT_THAT(ParseStatus("a\tb\tc", 2),
              StatusIs(absl::StatusCode::kDataLoss,
                       "extra data after the last expected column (2) at byte 3 of 5"));
  EXPECT_THAT(ParseStatus("\t", 1),
              StatusIs(absl::StatusCode::kDataLoss, "last expected column (1) at byte 0 of 1"));
  EXPECT_THAT(ParseStatus("\\N\t\\N", 1),
              StatusIs(absl::StatusCode::kDataLoss, "last expected column (1) at byte 2 of 5"));
}

TEST(CopyTextTest, TooFewColumns) {
  EXPECT_THAT(ParseStatus("a\tb", 3),
              StatusIs(absl::StatusCode::kDataLoss, "missing data for column 3: 2 of 3 columns"));
  EXPECT_THAT(ParseStatus("", 2),
              StatusIs(absl::StatusCode::kDataLoss, "missing data for column 2: 1 of 2 columns"));
  // An escaped tab does not count as a delimiter.
  EXPECT_THAT(ParseStatus("a\\tb", 2), StatusIs(absl::StatusCode::kDataLoss, "column 2"));
}

TEST(CopyTextTest, LoneBackslashAtTheEnd) {
  EXPECT_THAT(ParseStatus("\\", 1),
              StatusIs(absl::StatusCode::kDataLoss,
                       "column 1: backslash at the end of the row at byte 0 of 1"));
  EXPECT_THAT(ParseStatus("a\tbc\\", 2),
              StatusIs(absl::StatusCode::kDataLoss,
                       "column 2: backslash at the end of the row at byte 4 of 5"));
  EXPECT_THAT(ParseStatus("a\\n\\\\\\", 1),
              StatusIs(absl::StatusCode::kDataLoss, "column 1: backslash at the end"));
  // Two backslashes are one escaped backslash, not a lone one.
  EXPECT_THAT(Parse("a\\\\", 1), ElementsAre("a\\"));
}

// ---------------------------------------------------------------------------
// The buffer.

TEST(CopyTextTest, ViewsStayValidWhenTheBufferGrows) {
  std::string buffer;
  std::vector<TupleColumn> columns;
  // A short row first, so that the buffer holds something small.
  ASSERT_TRUE(ParseCopyTextRow("\\n", 1, &buffer, &columns).ok());
  EXPECT_THAT(Values(columns), ElementsAre("\n"));

  // Then a row far longer than the buffer, with escapes in every field: a
  // buffer that reallocated part-way through would leave the first views
  // dangling (AddressSanitizer reports it; the values below differ).
  std::vector<Value> expected;
  for (int i = 0; i < 200; ++i) {
    if (i % 7 == 3) {
      expected.push_back(std::nullopt);
    } else {
      expected.push_back(
          absl::StrCat("field ", i, "\ttab\\backslash\nnewline ", std::string(i, 'x')));
    }
  }
  const std::string row = Escape(expected);
  ASSERT_GT(row.size(), 20000u);
  ASSERT_TRUE(ParseCopyTextRow(row, expected.size(), &buffer, &columns).ok());
  EXPECT_EQ(Values(columns), expected);
  for (const TupleColumn& column : columns) EXPECT_TRUE(Inside(column.data, buffer));
}

TEST(CopyTextTest, MixesViewsIntoTheRowAndTheBuffer) {
  const std::string row = "plain\tesc\\taped\t\\N\tplain again";
  std::string buffer;
  std::vector<TupleColumn> columns;
  ASSERT_TRUE(ParseCopyTextRow(row, 4, &buffer, &columns).ok());
  EXPECT_THAT(Values(columns), ElementsAre("plain", "esc\taped", std::nullopt, "plain again"));
  EXPECT_TRUE(Inside(columns[0].data, row));
  EXPECT_TRUE(Inside(columns[1].data, buffer));
  EXPECT_TRUE(Inside(columns[3].data, row));
}

TEST(CopyTextTest, SteadyStateReusesTheBufferAndColumns) {
  const std::string row = "a\\tb\t\\\\c\td\\ne";
  std::string buffer;
  std::vector<TupleColumn> columns;
  ASSERT_TRUE(ParseCopyTextRow(row, 3, &buffer, &columns).ok());
  const char* buffer_data = buffer.data();
  const TupleColumn* columns_data = columns.data();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(ParseCopyTextRow(row, 3, &buffer, &columns).ok());
    ASSERT_TRUE(ParseCopyTextRow("x\ty\tz", 3, &buffer, &columns).ok());
  }
  ASSERT_TRUE(ParseCopyTextRow(row, 3, &buffer, &columns).ok());
  EXPECT_THAT(Values(columns), ElementsAre("a\tb", "\\c", "d\ne"));
  EXPECT_EQ(buffer.data(), buffer_data);
  EXPECT_EQ(columns.data(), columns_data);
}

// ---------------------------------------------------------------------------
// Round trip: random values, written as PostgreSQL writes them, parse back.

TEST(CopyTextTest, RandomRowsRoundTrip) {
  std::mt19937 rng(20240607);
  // Bytes that matter to the format, weighted towards them.
  const std::string interesting = "\\\t\n\r\b\f\vNx01\xc3\xa9";
  std::string buffer;
  std::vector<TupleColumn> columns;
  for (int row_number = 0; row_number < 2000; ++row_number) {
    std::vector<Value> values(1 + rng() % 8);
    for (Value& value : values) {
      if (rng() % 5 == 0) continue;  // NULL.
      std::string text;
      const size_t length = rng() % 12;
      for (size_t i = 0; i < length; ++i) {
        text += rng() % 2 == 0 ? interesting[rng() % interesting.size()]
                               : static_cast<char>(rng() % 256);
      }
      value = text;
    }
    const std::string row = Escape(values);
    ASSERT_TRUE(ParseCopyTextRow(row, values.size(), &buffer, &columns).ok()) << row;
    ASSERT_EQ(Values(columns), values) << row;
  }
}

}  // namespace
}  // namespace trackops::snapshot
