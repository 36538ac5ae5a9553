// Minimal logging to standard error: "2026-11-25T21:30:00.123Z INFO  message".
// Thread-safe (one write(2) per line).

#ifndef TRACKOPS_UTIL_LOG_H_
#define TRACKOPS_UTIL_LOG_H_

#include <string_view>

#include "absl/strings/str_format.h"

namespace trackops {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Messages below this level are dropped. Default kInfo; TRACKOPS_LOG_LEVEL
// (debug, info, warning, error) in the environment overrides it.
void SetLogLevel(LogLevel level);
bool LogEnabled(LogLevel level);
void LogLine(LogLevel level, std::string_view message);

template <typename... Args>
void Log(LogLevel level, const absl::FormatSpec<Args...>& format, const Args&... args) {
  if (LogEnabled(level)) LogLine(level, absl::StrFormat(format, args...));
}

}  // namespace trackops

#endif  // TRACKOPS_UTIL_LOG_H_
