#include "replication/pg_connection.h"

#include "absl/strings/str_cat.h"
#include "replication/pg_error.h"

namespace trackops::replication {

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& conninfo,
                                                                    bool replication) {
  std::string full = conninfo;
  if (replication) full += " replication=database";
  PGconn* conn = PQconnectdb(full.c_str());
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    const char* user = conn != nullptr ? PQuser(conn) : "";
    absl::Status status = ConnectError(
        conn, user != nullptr ? user : "",
        replication ? "replication connection to PostgreSQL failed"
                    : "connection to PostgreSQL failed");
    PQfinish(conn);
    return status;
  }
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

absl::StatusOr<PgResult> PgConnection::Check(PGresult* raw, absl::string_view sql) {
  PgResult result(raw);
  ExecStatusType st = PQresultStatus(raw);
  if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) return result;
  absl::string_view shown = sql.size() > 120 ? sql.substr(0, 120) : sql;
  return ResultError(conn_, raw, absl::StrCat("'", shown, "' failed"));
}

absl::StatusOr<PgResult> PgConnection::Exec(absl::string_view sql) {
  std::string text(sql);
  return Check(PQexec(conn_, text.c_str()), sql);
}

absl::StatusOr<PgResult> PgConnection::ExecParams(absl::string_view sql,
                                                  const std::vector<std::string>& params) {
  std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& p : params) values.push_back(p.c_str());
  return Check(PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                            values.data(), nullptr, nullptr, 0),
               sql);
}

std::string PgConnection::QuoteIdentifier(absl::string_view name) {
  char* q = PQescapeIdentifier(conn_, name.data(), name.size());
  if (q == nullptr) return std::string(name);
  std::string out(q);
  PQfreemem(q);
  return out;
}

std::string PgConnection::QuoteLiteral(absl::string_view value) {
  char* q = PQescapeLiteral(conn_, value.data(), value.size());
  if (q == nullptr) return "''";
  std::string out(q);
  PQfreemem(q);
  return out;
}

}  // namespace trackops::replication
