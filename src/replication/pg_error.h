// Translation of libpq failures into absl::Status, in one place.
//
// Codes follow what the caller should do next:
//   kUnavailable         retry later (server down, connection lost, shutdown)
//   kFailedPrecondition  a person must fix something (wal_level, grants,
//                        password, slot or publication set-up)
//   kInternal            anything else
// The SQLSTATE, when there is one, is kept in the message ("[SQLSTATE 42501]")
// and in the payload kSqlStatePayload.

#ifndef TRACKOPS_REPLICATION_PG_ERROR_H_
#define TRACKOPS_REPLICATION_PG_ERROR_H_

#include <libpq-fe.h>

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace trackops::replication {

inline constexpr absl::string_view kSqlStatePayload = "trackops/sqlstate";

// For a failed PQconnectdb: `conn` is the failed connection.
absl::Status ConnectError(PGconn* conn, absl::string_view user, absl::string_view context);

// For a failed command result (may be null when the connection broke).
absl::Status ResultError(PGconn* conn, const PGresult* result, absl::string_view context);

// The SQLSTATE a status was built from, if any.
std::optional<std::string> SqlStateOf(const absl::Status& status);

}  // namespace trackops::replication

#endif  // TRACKOPS_REPLICATION_PG_ERROR_H_
