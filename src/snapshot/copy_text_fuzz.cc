// libFuzzer target: parses arbitrary bytes as a COPY text row, expecting as
// many columns as the row has delimiters (and one more and one fewer). Any
// crash, sanitizer report or non-DataLoss error is a bug, and so is a column
// whose bytes lie outside the row and the buffer, or a parse that succeeds
// with the wrong number of columns, or whose columns, written back the way
// PostgreSQL writes them, do not parse to the same values.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "snapshot/copy_text.h"
#include "snapshot/copy_text_writer.h"

namespace {

using trackops::pgoutput::TupleColumn;
using trackops::pgoutput::TupleKind;


bool Within(std::string_view inner, const char* begin, size_t size) {
  return inner.empty() || (inner.data() >= begin && inner.data() + inner.size() <= begin + size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view row(reinterpret_cast<const char*>(data), size);
  const size_t delimiters = static_cast<size_t>(std::count(row.begin(), row.end(), '\t'));
  static std::string buffer;  // Reused, as between the rows of a snapshot.
  std::vector<TupleColumn> columns;
  for (size_t expected : {delimiters + 1, delimiters, delimiters + 2}) {
    const absl::Status status =
        trackops::snapshot::ParseCopyTextRow(row, expected, &buffer, &columns);
    if (!status.ok()) {
      if (!absl::IsDataLoss(status)) std::abort();
      continue;
    }
    if (columns.size() != expected) std::abort();
    for (const TupleColumn& column : columns) {
      if (column.kind == TupleKind::kNull && !column.data.empty()) std::abort();
      if (column.kind != TupleKind::kNull && column.kind != TupleKind::kText) std::abort();
      if (!Within(column.data, row.data(), row.size()) &&
          !Within(column.data, buffer.data(), buffer.size())) {
        std::abort();
      }
    }
    const std::string escaped = trackops::snapshot::WriteCopyTextRow(columns);
    std::string round_trip_buffer;
    std::vector<TupleColumn> round_trip;
    if (!trackops::snapshot::ParseCopyTextRow(escaped, expected, &round_trip_buffer, &round_trip)
             .ok()) {
      std::abort();
    }
    for (size_t i = 0; i < expected; ++i) {
      if (round_trip[i].kind != columns[i].kind || round_trip[i].data != columns[i].data) {
        std::abort();
      }
    }
  }
  return 0;
}
