// How far a snapshot has read a table, as the log says it: the rows read,
// the table's estimated size, the rate, and the time left at that rate.
//
//   DescribeProgress(120000, 1000000, 10s)
//     "120000 of about 1000000 rows, 12000 rows/s, about 1m13s left"
//
// Shared by the initial and the incremental snapshot.

#ifndef TRACKOPS_SNAPSHOT_PROGRESS_H_
#define TRACKOPS_SNAPSHOT_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <string>

namespace trackops::snapshot {

using Clock = std::chrono::steady_clock;

// Rows read of a table between two progress lines in the log.
constexpr auto kProgressInterval = std::chrono::seconds(10);

// "1h02m03s", "4m05s", "6.1s".
std::string FormatDuration(Clock::duration d);

// `rows` read in `elapsed` of a table of about `estimated_rows` (negative:
// not known). The total and the time left are given only while the
// estimate exceeds the rows read; the rate only once time has passed.
std::string DescribeProgress(uint64_t rows, int64_t estimated_rows, Clock::duration elapsed);

}  // namespace trackops::snapshot

#endif  // TRACKOPS_SNAPSHOT_PROGRESS_H_
