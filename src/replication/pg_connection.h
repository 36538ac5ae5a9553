// A libpq connection with Status-returning calls.
//
// Thread safety: a PgConnection is used by one thread at a time.

#ifndef TRACKOPS_REPLICATION_PG_CONNECTION_H_
#define TRACKOPS_REPLICATION_PG_CONNECTION_H_

#include <libpq-fe.h>

#include <memory>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"

namespace trackops::replication {

// Owns a PGresult.
class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}

  int rows() const { return result_ ? PQntuples(result_.get()) : 0; }
  int columns() const { return result_ ? PQnfields(result_.get()) : 0; }
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  absl::string_view Get(int row, int column) const {
    return absl::string_view(PQgetvalue(result_.get(), row, column),
                            static_cast<size_t>(PQgetlength(result_.get(), row, column)));
  }
  PGresult* raw() const { return result_.get(); }

 private:
  std::unique_ptr<PGresult, void (*)(PGresult*)> result_{nullptr, &PQclear};
};

class PgConnection {
 public:
  // Connects with a libpq conninfo string. With `replication` set the
  // connection is a walsender connection (replication=database) that accepts
  // replication commands as well as simple queries.
  static absl::StatusOr<std::unique_ptr<PgConnection>> Connect(const std::string& conninfo,
                                                               bool replication);
  ~PgConnection();

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs a command or query (simple protocol; one statement).
  absl::StatusOr<PgResult> Exec(absl::string_view sql);
  // Runs a query with text parameters ($1, $2, ...). Not on walsender connections.
  absl::StatusOr<PgResult> ExecParams(absl::string_view sql, const std::vector<std::string>& params);

  // Quotes an identifier / literal for SQL (PQescapeIdentifier / PQescapeLiteral).
  std::string QuoteIdentifier(absl::string_view name);
  std::string QuoteLiteral(absl::string_view value);

  int server_version() const { return PQserverVersion(conn_); }
  std::string user() const { return PQuser(conn_); }
  PGconn* raw() const { return conn_; }

 private:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  absl::StatusOr<PgResult> Check(PGresult* result, absl::string_view sql);

  PGconn* conn_;
};

}  // namespace trackops::replication

#endif  // TRACKOPS_REPLICATION_PG_CONNECTION_H_
