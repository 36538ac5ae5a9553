// Early-return helpers for absl::Status and absl::StatusOr (Abseil 20220623
// ships none).

#ifndef TRACKOPS_UTIL_STATUS_MACROS_H_
#define TRACKOPS_UTIL_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the current function if `expr` is not OK.
#define TRACKOPS_RETURN_IF_ERROR(expr)                         \
  do {                                                         \
    ::absl::Status trackops_status_ = (expr);                  \
    if (!trackops_status_.ok()) return trackops_status_;       \
  } while (0)

#define TRACKOPS_STATUS_CONCAT_INNER_(a, b) a##b
#define TRACKOPS_STATUS_CONCAT_(a, b) TRACKOPS_STATUS_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status, else
// moves the value into `lhs` (which may be a declaration: `auto x`).
#define TRACKOPS_ASSIGN_OR_RETURN(lhs, rexpr)                                       \
  TRACKOPS_ASSIGN_OR_RETURN_IMPL_(TRACKOPS_STATUS_CONCAT_(trackops_statusor_, __LINE__), \
                                  lhs, rexpr)

#define TRACKOPS_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                    \
  if (!statusor.ok()) return std::move(statusor).status();    \
  lhs = std::move(statusor).value()

#endif  // TRACKOPS_UTIL_STATUS_MACROS_H_
