// A throwaway PostgreSQL 15 server for tests, the demo and benchmarks.
//
// Start() runs initdb in a fresh temporary folder, starts `postgres` on a free
// loopback port with its socket in that folder and wal_level=logical, and waits
// until it accepts connections. The destructor stops the server and removes the
// folder. When the process runs as root, the server runs as the unprivileged
// `postgres` user (initdb refuses root).
//
// Superuser: "postgres", password "postgres", database "postgres". Local socket
// connections are trusted; TCP connections (127.0.0.1) need the password
// (scram-sha-256), so password errors can be tested.
//
// Thread safety: not thread-safe; use from one thread.

#ifndef TRACKOPS_TESTS_HARNESS_PG_SERVER_H_
#define TRACKOPS_TESTS_HARNESS_PG_SERVER_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace trackops::testing {

struct PgServerOptions {
  // Extra or overriding postgresql.conf settings, e.g. {"wal_level", "replica"}.
  std::map<std::string, std::string> settings;
  // Folder holding initdb, postgres (Debian's layout by default; the
  // environment variable TRACKOPS_PG_BINDIR overrides it).
  std::string bin_dir;
};

class PgServer {
 public:
  static absl::StatusOr<std::unique_ptr<PgServer>> Start(PgServerOptions options = {});
  ~PgServer();

  PgServer(const PgServer&) = delete;
  PgServer& operator=(const PgServer&) = delete;

  int port() const { return port_; }
  const std::string& host() const { return host_; }          // "127.0.0.1"
  const std::string& socket_dir() const { return socket_dir_; }
  const std::string& data_dir() const { return data_dir_; }
  static constexpr const char* kUser = "postgres";
  static constexpr const char* kPassword = "postgres";
  static constexpr const char* kDatabase = "postgres";

  // libpq conninfo over TCP with the password, for `dbname` (default postgres).
  std::string ConnInfo(const std::string& dbname = kDatabase) const;
  // libpq conninfo over the Unix socket (trusted), for set-up SQL.
  std::string SocketConnInfo(const std::string& dbname = kDatabase) const;

  // Runs SQL (one or more statements) as the superuser over the socket.
  absl::Status Execute(const std::string& sql, const std::string& dbname = kDatabase) const;
  // Runs a query and returns the first column of the first row ("" if none).
  absl::StatusOr<std::string> QueryValue(const std::string& sql,
                                         const std::string& dbname = kDatabase) const;

  // Stops the server (fast shutdown, or immediate when `crash` is true, which
  // loses whatever was not yet checkpointed, as a power cut would) and starts
  // it again on the same port with the same data.
  absl::Status Restart(bool crash = false);
  absl::Status Stop(bool crash = false);
  absl::Status StartAgain();
  bool running() const { return pid_ > 0; }

 private:
  PgServer() = default;
  absl::Status Init();
  absl::Status Launch();
  absl::Status WaitReady();

  PgServerOptions options_;
  std::string root_dir_;
  std::string data_dir_;
  std::string socket_dir_;
  std::string log_path_;
  std::string host_ = "127.0.0.1";
  int port_ = 0;
  pid_t pid_ = -1;
  uid_t run_uid_ = 0;
  gid_t run_gid_ = 0;
  bool drop_privileges_ = false;
};

}  // namespace trackops::testing

#endif  // TRACKOPS_TESTS_HARNESS_PG_SERVER_H_
