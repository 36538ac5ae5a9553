// The other direction of copy_text.h, for its tests and fuzz target: a row
// the way PostgreSQL's COPY TO writes it (CopyAttributeOutText): fields
// joined by tabs, NULL as \N, backslash and the six control characters
// escaped.

#ifndef TRACKOPS_SNAPSHOT_COPY_TEXT_WRITER_H_
#define TRACKOPS_SNAPSHOT_COPY_TEXT_WRITER_H_

#include <span>
#include <string>

#include "pgoutput/messages.h"

namespace trackops::snapshot {

inline std::string WriteCopyTextRow(std::span<const pgoutput::TupleColumn> columns) {
  std::string row;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) row += '\t';
    if (columns[i].kind == pgoutput::TupleKind::kNull) {
      row += "\\N";
      continue;
    }
    for (char c : columns[i].data) {
      switch (c) {
        case '\\': row += "\\\\"; break;
        case '\b': row += "\\b"; break;
        case '\f': row += "\\f"; break;
        case '\n': row += "\\n"; break;
        case '\r': row += "\\r"; break;
        case '\t': row += "\\t"; break;
        case '\v': row += "\\v"; break;
        default: row += c;
      }
    }
  }
  return row;
}

}  // namespace trackops::snapshot

#endif  // TRACKOPS_SNAPSHOT_COPY_TEXT_WRITER_H_
