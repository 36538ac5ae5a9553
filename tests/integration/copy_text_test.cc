// snapshot::ParseCopyTextRow on the bytes of a real PostgreSQL 15's
// `COPY (SELECT ...) TO STDOUT`: the parsed values equal what a plain SELECT
// of the same rows returns, for tabs, newlines, backslashes, NULLs, empty
// strings, unicode and the output of types that write backslashes themselves.

#include "snapshot/copy_text.h"

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "replication/pg_connection.h"

namespace trackops::testing {
namespace {

using Value = std::optional<std::string>;  // nullopt for NULL.
using Row = std::vector<Value>;

// Rows in a fixed order; every column is text so that the plain SELECT
// returns the same bytes COPY writes before escaping.
constexpr const char* kQuery = R"sql(
SELECT id::text, a, b, c, d::text, e::text, f::text FROM (VALUES
  (1, 'plain', '', NULL, '\x00ff5c'::bytea, '{"k": "tab\there"}'::jsonb, ARRAY['x y', NULL, 'c\d']),
  (2, E'tab\there', E'line 1\nline 2\r\n', E'back\\slash', NULL, NULL, NULL),
  (3, E'\\N', 'N', E'\\\\N\\', '\x'::bytea, '"\\N"'::jsonb, ARRAY[E'\\N', E'\t']),
  (4, 'héllo wörld', '日本語', '😀 grinning', '\xc3a9'::bytea, '"é\n"'::jsonb, ARRAY['日本']),
  (5, E'\b\f' || chr(11) || E'\r', chr(1) || chr(127), E'\\t is not a tab', NULL, NULL, '{}'),
  (6, NULL, NULL, NULL, NULL, NULL, NULL),
  (7, '', '', '', ''::bytea, '""'::jsonb, ARRAY['']),
  (8, repeat(E'\\\t\n', 5000), repeat('long ', 5000), repeat('日', 5000), NULL, NULL, NULL)
) AS v(id, a, b, c, d, e, f)
ORDER BY id
)sql";

struct FreeCopyData {
  void operator()(char* data) const { PQfreemem(data); }
};

TEST(CopyTextTest, ParsedCopyOutputEqualsSelect) {
  auto server = PgServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  auto conn = replication::PgConnection::Connect((*server)->ConnInfo(), false);
  ASSERT_TRUE(conn.ok()) << conn.status();
  PGconn* raw = (*conn)->raw();

  auto selected = (*conn)->Exec(kQuery);
  ASSERT_TRUE(selected.ok()) << selected.status();
  const size_t column_count = static_cast<size_t>(selected->columns());
  ASSERT_EQ(column_count, 7u);
  std::vector<Row> expected;
  for (int row = 0; row < selected->rows(); ++row) {
    Row values;
    for (int column = 0; column < selected->columns(); ++column) {
      if (selected->IsNull(row, column)) {
        values.push_back(std::nullopt);
      } else {
        const absl::string_view value = selected->Get(row, column);
        values.emplace_back(std::string(value.data(), value.size()));
      }
    }
    expected.push_back(std::move(values));
  }
  ASSERT_EQ(expected.size(), 8u);

  PGresult* started = PQexec(raw, absl::StrCat("COPY (", kQuery, ") TO STDOUT").c_str());
  ASSERT_EQ(PQresultStatus(started), PGRES_COPY_OUT) << PQerrorMessage(raw);
  PQclear(started);
  std::string buffer;
  std::vector<pgoutput::TupleColumn> columns;
  std::vector<Row> copied;
  std::vector<std::string> raw_rows;
  int size = 0;
  char* data = nullptr;
  while ((size = PQgetCopyData(raw, &data, 0)) > 0) {
    const std::unique_ptr<char, FreeCopyData> owned(data);
    std::string_view line(data, static_cast<size_t>(size));
    ASSERT_FALSE(line.empty());
    ASSERT_EQ(line.back(), '\n');
    line.remove_suffix(1);
    raw_rows.emplace_back(line);
    const absl::Status status = snapshot::ParseCopyTextRow(line, column_count, &buffer, &columns);
    ASSERT_TRUE(status.ok()) << status << " for row " << line;
    Row values;
    for (const pgoutput::TupleColumn& column : columns) {
      if (column.kind == pgoutput::TupleKind::kNull) {
        values.push_back(std::nullopt);
      } else {
        values.emplace_back(std::string(column.data));
      }
    }
    copied.push_back(std::move(values));
  }
  ASSERT_EQ(size, -1) << PQerrorMessage(raw);
  PGresult* finished = PQgetResult(raw);
  EXPECT_EQ(PQresultStatus(finished), PGRES_COMMAND_OK) << PQerrorMessage(raw);
  PQclear(finished);
  EXPECT_EQ(PQgetResult(raw), nullptr);

  ASSERT_EQ(copied.size(), expected.size());
  for (size_t row = 0; row < expected.size(); ++row) {
    ASSERT_EQ(copied[row].size(), column_count);
    for (size_t column = 0; column < column_count; ++column) {
      EXPECT_EQ(copied[row][column], expected[row][column])
          << "row " << row + 1 << " column " << column + 1 << ", COPY wrote " << raw_rows[row];
    }
  }
  // The rows really exercise the escapes (guards against a query that lost them).
  EXPECT_NE(raw_rows[1].find("tab\\there"), std::string::npos) << raw_rows[1];
  EXPECT_NE(raw_rows[2].find("\\\\N"), std::string::npos) << raw_rows[2];
  EXPECT_NE(raw_rows[5].find("\\N\t\\N"), std::string::npos) << raw_rows[5];
}

}  // namespace
}  // namespace trackops::testing
