#include "replication/pg_error.h"

#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace trackops::replication {
namespace {

std::string Trim(absl::string_view text) {
  return std::string(absl::StripTrailingAsciiWhitespace(absl::StripLeadingAsciiWhitespace(text)));
}

absl::Status WithState(absl::StatusCode code, std::string message, absl::string_view sqlstate) {
  absl::Status status(code, message);
  if (!sqlstate.empty()) status.SetPayload(kSqlStatePayload, absl::Cord(sqlstate));
  return status;
}

absl::StatusCode CodeForSqlState(absl::string_view state) {
  if (absl::StartsWith(state, "08") || state == "57P01" || state == "57P02" || state == "57P03" ||
      state == "53300" || absl::StartsWith(state, "40") || state == "58030") {
    return absl::StatusCode::kUnavailable;
  }
  if (absl::StartsWith(state, "28") || state == "42501" || state == "55000" || state == "55006" ||
      state == "42704" || state == "3D000" || state == "53400" || state == "0A000" ||
      state == "42710") {
    return absl::StatusCode::kFailedPrecondition;
  }
  return absl::StatusCode::kInternal;
}

// What a person should do about a known failure.
std::string HintFor(absl::string_view state, absl::string_view message, absl::string_view user) {
  if (state == "55000" && absl::StrContains(message, "wal_level")) {
    return " Set wal_level = logical (ALTER SYSTEM SET wal_level = logical) and restart "
           "PostgreSQL.";
  }
  if (state == "55006") {
    return " Another client is streaming from this slot: stop it, wait for its connection to "
           "close, or give this connector its own slot.name.";
  }
  if (state == "42501" && absl::StrContains(message, "replication")) {
    return absl::StrCat(" Grant the REPLICATION attribute: ALTER ROLE \"", user,
                        "\" WITH REPLICATION;");
  }
  if (state == "53400" && absl::StrContains(message, "replication slot")) {
    return " Raise max_replication_slots or drop unused slots (pg_drop_replication_slot).";
  }
  return "";
}

}  // namespace

absl::Status ConnectError(PGconn* conn, absl::string_view user, absl::string_view context) {
  std::string message = Trim(conn != nullptr ? PQerrorMessage(conn) : "out of memory");
  // libpq exposes no SQLSTATE for connection failures: classify by the text,
  // which PostgreSQL sends before any locale is chosen for the session.
  if (absl::StrContains(message, "password authentication failed") ||
      absl::StrContains(message, "no password supplied") ||
      absl::StrContains(message, "authentication failed")) {
    return WithState(absl::StatusCode::kFailedPrecondition,
                     absl::StrCat(context, ": ", message,
                                  " [SQLSTATE 28P01]. Check database.user and "
                                  "database.password."),
                     "28P01");
  }
  if (absl::StrContains(message, "must be superuser or replication role") ||
      absl::StrContains(message, "permission denied to start WAL sender")) {
    return WithState(absl::StatusCode::kFailedPrecondition,
                     absl::StrCat(context, ": ", message, " [SQLSTATE 42501].",
                                  HintFor("42501", "replication", user)),
                     "42501");
  }
  if (absl::StrContains(message, "no pg_hba.conf entry")) {
    return WithState(absl::StatusCode::kFailedPrecondition,
                     absl::StrCat(context, ": ", message,
                                  " [SQLSTATE 28000]. Add a pg_hba.conf line for this user and "
                                  "host (for replication connections: database 'replication' "
                                  "or 'all')."),
                     "28000");
  }
  if (absl::StrContains(message, "does not exist")) {
    return WithState(absl::StatusCode::kFailedPrecondition,
                     absl::StrCat(context, ": ", message, " [SQLSTATE 3D000]"), "3D000");
  }
  return absl::UnavailableError(absl::StrCat(context, ": ", message));
}

absl::Status ResultError(PGconn* conn, const PGresult* result, absl::string_view context) {
  std::string message;
  std::string state;
  if (result != nullptr) {
    message = Trim(PQresultErrorMessage(result));
    const char* s = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    if (s != nullptr) state = s;
  }
  if (message.empty() && conn != nullptr) message = Trim(PQerrorMessage(conn));
  if (state.empty()) {
    // No server error: the connection itself failed.
    if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
      return absl::UnavailableError(absl::StrCat(context, ": connection lost: ", message));
    }
    return absl::InternalError(absl::StrCat(context, ": ", message));
  }
  const char* user = conn != nullptr ? PQuser(conn) : "";
  return WithState(CodeForSqlState(state),
                   absl::StrCat(context, ": ", message, " [SQLSTATE ", state, "].",
                                HintFor(state, message, user != nullptr ? user : "")),
                   state);
}

std::optional<std::string> SqlStateOf(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kSqlStatePayload);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

}  // namespace trackops::replication
