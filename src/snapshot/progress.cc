#include "snapshot/progress.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace trackops::snapshot {

std::string FormatDuration(Clock::duration d) {
  const double seconds = std::chrono::duration<double>(d).count();
  if (seconds < 60) return absl::StrFormat("%.1fs", seconds);
  const int64_t s = static_cast<int64_t>(seconds);
  if (s < 3600) return absl::StrFormat("%dm%02ds", s / 60, s % 60);
  return absl::StrFormat("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
}

std::string DescribeProgress(uint64_t rows, int64_t estimated_rows, Clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  const double rate = seconds > 0 ? static_cast<double>(rows) / seconds : 0;
  const bool known_total = estimated_rows > static_cast<int64_t>(rows);
  std::string out = absl::StrCat(rows);
  if (known_total) absl::StrAppend(&out, " of about ", estimated_rows);
  absl::StrAppend(&out, " rows");
  if (rate > 0) absl::StrAppend(&out, absl::StrFormat(", %.0f rows/s", rate));
  if (known_total && rate > 0) {
    const double left = static_cast<double>(estimated_rows - static_cast<int64_t>(rows)) / rate;
    absl::StrAppend(&out, ", about ",
                    FormatDuration(std::chrono::duration_cast<Clock::duration>(
                        std::chrono::duration<double>(left))),
                    " left");
  }
  return out;
}

}  // namespace trackops::snapshot
