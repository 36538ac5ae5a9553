// A parser for one row of PostgreSQL's COPY text format, as `COPY ... TO
// STDOUT` writes it with the default options (PostgreSQL 15 docs, COPY,
// "Text Format"):
//
//   row    = field *( TAB field )          ; the trailing '\n' is not part of it
//   field  = "\N"                          ; NULL, only when it is the whole field
//          | *( plain-byte | escape )
//   escape = "\\" | "\b" | "\f" | "\n" | "\r" | "\t" | "\v"
//          | "\" 1*3octal-digit            ; byte value, modulo 256
//          | "\x" 1*2hex-digit             ; byte value
//          | "\" any-other-byte            ; that byte ("\x" with no hex digit is "x")
//
// PostgreSQL writes only the first two forms of escape; the others are what
// COPY FROM accepts, read here the same way. A tab preceded by a backslash is
// data, not a delimiter. Bytes are not checked against the encoding: an octal
// or hex escape may produce any byte, NUL included.
//
// No I/O, no allocation per row once `*buffer` and `*columns` have grown to
// the largest row seen.

#ifndef TRACKOPS_SNAPSHOT_COPY_TEXT_H_
#define TRACKOPS_SNAPSHOT_COPY_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "pgoutput/messages.h"

namespace trackops::snapshot {

// Splits one COPY text row (`row`, without its trailing '\n') into exactly
// `expected_columns` columns and replaces the contents of `*columns` with them:
// kind kNull for "\N", kText otherwise. A zero-column row is the empty line.
//
// `data` of a field without escapes views into `row`; of a field with escapes,
// into `*buffer`, which holds the unescaped bytes. Both `row` and `*buffer`
// must stay alive and unchanged while the columns are used. `*buffer` is
// scratch space, reused between calls: its size and contents are unspecified
// (it grows to the longest row with an escape and never shrinks).
//
// Returns kDataLoss naming the problem, the column (numbered from 1) and the
// byte offset when the row has more or fewer fields than `expected_columns`
// or ends in a lone backslash. `*columns` is then unspecified.
//
// Thread safety: reentrant; concurrent calls need their own buffer and columns.
absl::Status ParseCopyTextRow(std::string_view row, size_t expected_columns, std::string* buffer,
                              std::vector<pgoutput::TupleColumn>* columns);

}  // namespace trackops::snapshot

#endif  // TRACKOPS_SNAPSHOT_COPY_TEXT_H_
