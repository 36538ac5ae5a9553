#include "harness/pg_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace trackops::testing {
namespace {

constexpr const char* kDefaultBinDir = "/usr/lib/postgresql/15/bin";

absl::StatusOr<int> FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket() failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return absl::InternalError("could not bind a loopback port");
  }
  int port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

std::string ReadTail(const std::string& path, size_t max_bytes = 4000) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > max_bytes) text = text.substr(text.size() - max_bytes);
  return text;
}

// Forks and execs `argv`, as (uid, gid) when `drop` is set, with stdout and
// stderr appended to `log_path`. When `tie_to_parent` is set the child gets
// SIGQUIT if this process dies, so no server outlives a crashed test.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv, bool drop, uid_t uid,
                            gid_t gid, const std::string& log_path, bool tie_to_parent) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork() failed");
  if (pid == 0) {
    int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log_fd >= 0) {
      dup2(log_fd, STDOUT_FILENO);
      dup2(log_fd, STDERR_FILENO);
      close(log_fd);
    }
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    setpgid(0, 0);  // Signals sent to the test's process group do not reach it.
    if (drop) {
      if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0) _exit(126);
    }
    if (tie_to_parent) {
      prctl(PR_SET_PDEATHSIG, SIGQUIT);
      if (getppid() != parent) _exit(125);
    }
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

absl::StatusOr<int> RunToCompletion(const std::vector<std::string>& argv, bool drop, uid_t uid,
                                    gid_t gid, const std::string& log_path) {
  TRACKOPS_ASSIGN_OR_RETURN(pid_t pid, Spawn(argv, drop, uid, gid, log_path, false));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return absl::InternalError("waitpid failed");
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string Quote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PgServer>> PgServer::Start(PgServerOptions options) {
  std::unique_ptr<PgServer> server(new PgServer());
  server->options_ = std::move(options);
  if (server->options_.bin_dir.empty()) {
    const char* env = std::getenv("TRACKOPS_PG_BINDIR");
    server->options_.bin_dir = env != nullptr ? env : kDefaultBinDir;
  }
  TRACKOPS_RETURN_IF_ERROR(server->Init());
  TRACKOPS_RETURN_IF_ERROR(server->StartAgain());
  return server;
}

absl::Status PgServer::Init() {
  if (geteuid() == 0) {
    const passwd* pw = getpwnam("postgres");
    if (pw == nullptr) pw = getpwnam("nobody");
    if (pw == nullptr) {
      return absl::FailedPreconditionError(
          "running as root and neither the 'postgres' nor the 'nobody' user exists: "
          "PostgreSQL refuses to run as root");
    }
    drop_privileges_ = true;
    run_uid_ = pw->pw_uid;
    run_gid_ = pw->pw_gid;
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/trackops-pg-XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp failed for ", templ));
  }
  root_dir_ = templ;
  data_dir_ = root_dir_ + "/data";
  socket_dir_ = root_dir_;
  log_path_ = root_dir_ + "/postgres.log";
  std::string pwfile = root_dir_ + "/pwfile";
  {
    std::ofstream out(pwfile);
    out << kPassword << "\n";
  }
  if (drop_privileges_) {
    if (chown(root_dir_.c_str(), run_uid_, run_gid_) != 0 ||
        chown(pwfile.c_str(), run_uid_, run_gid_) != 0) {
      return absl::InternalError("chown of the server folder failed");
    }
  }
  std::vector<std::string> initdb = {options_.bin_dir + "/initdb", "-D",       data_dir_,
                                     "-U",                         kUser,      "--pwfile",
                                     pwfile,                       "-E",       "UTF8",
                                     "--locale=C",                 "--auth-local=trust",
                                     "--auth-host=scram-sha-256",  "--no-sync"};
  TRACKOPS_ASSIGN_OR_RETURN(int rc,
                            RunToCompletion(initdb, drop_privileges_, run_uid_, run_gid_,
                                            root_dir_ + "/initdb.log"));
  if (rc != 0) {
    return absl::InternalError(absl::StrCat("initdb failed (exit ", rc, "):\n",
                                            ReadTail(root_dir_ + "/initdb.log")));
  }
  TRACKOPS_ASSIGN_OR_RETURN(port_, FreeLoopbackPort());

  std::map<std::string, std::string> settings = {
      {"listen_addresses", "127.0.0.1"},
      {"port", std::to_string(port_)},
      {"unix_socket_directories", socket_dir_},
      {"wal_level", "logical"},
      {"max_replication_slots", "20"},
      {"max_wal_senders", "20"},
      {"max_prepared_transactions", "10"},
      {"max_connections", "60"},
      {"shared_buffers", "64MB"},
      {"fsync", "off"},
      {"synchronous_commit", "off"},
      {"full_page_writes", "off"},
      {"logging_collector", "off"},
      {"TimeZone", "UTC"},
  };
  for (const auto& [k, v] : options_.settings) settings[k] = v;
  std::ofstream conf(data_dir_ + "/postgresql.auto.conf", std::ios::app);
  for (const auto& [k, v] : settings) conf << k << " = " << Quote(v) << "\n";
  if (!conf) return absl::InternalError("could not write postgresql.auto.conf");
  return absl::OkStatus();
}

absl::Status PgServer::Launch() {
  std::vector<std::string> argv = {options_.bin_dir + "/postgres", "-D", data_dir_};
  TRACKOPS_ASSIGN_OR_RETURN(pid_,
                            Spawn(argv, drop_privileges_, run_uid_, run_gid_, log_path_, true));
  return absl::OkStatus();
}

absl::Status PgServer::WaitReady() {
  std::string conninfo = SocketConnInfo() + " connect_timeout=2";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      return absl::InternalError(
          absl::StrCat("postgres exited during start-up:\n", ReadTail(log_path_)));
    }
    if (PQping(conninfo.c_str()) == PQPING_OK) return absl::OkStatus();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return absl::DeadlineExceededError(
      absl::StrCat("postgres did not accept connections within 60 s:\n", ReadTail(log_path_)));
}

absl::Status PgServer::StartAgain() {
  if (pid_ > 0) return absl::FailedPreconditionError("server already running");
  TRACKOPS_RETURN_IF_ERROR(Launch());
  return WaitReady();
}

absl::Status PgServer::Stop(bool crash) {
  if (pid_ <= 0) return absl::OkStatus();
  // SIGINT: fast shutdown (checkpoint). SIGQUIT: immediate, like a crash.
  kill(pid_, crash ? SIGQUIT : SIGINT);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int status = 0;
  while (true) {
    pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_ || (done < 0 && errno == ECHILD)) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  return absl::OkStatus();
}

absl::Status PgServer::Restart(bool crash) {
  TRACKOPS_RETURN_IF_ERROR(Stop(crash));
  return StartAgain();
}

PgServer::~PgServer() {
  Stop(false).IgnoreError();
  if (!root_dir_.empty() && std::getenv("TRACKOPS_KEEP_PG") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(root_dir_, ec);
  }
}

std::string PgServer::ConnInfo(const std::string& dbname) const {
  return absl::StrCat("host=", host_, " port=", port_, " user=", kUser,
                      " password=", kPassword, " dbname=", dbname);
}

std::string PgServer::SocketConnInfo(const std::string& dbname) const {
  return absl::StrCat("host=", socket_dir_, " port=", port_, " user=", kUser,
                      " dbname=", dbname);
}

absl::Status PgServer::Execute(const std::string& sql, const std::string& dbname) const {
  return QueryValue(sql, dbname).status();
}

absl::StatusOr<std::string> PgServer::QueryValue(const std::string& sql,
                                                 const std::string& dbname) const {
  PGconn* conn = PQconnectdb(SocketConnInfo(dbname).c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    PQfinish(conn);
    return absl::UnavailableError(absl::StrCat("connect: ", msg));
  }
  PGresult* res = PQexec(conn, sql.c_str());
  ExecStatusType st = PQresultStatus(res);
  absl::StatusOr<std::string> out;
  if (st == PGRES_TUPLES_OK) {
    out = (PQntuples(res) > 0 && PQnfields(res) > 0) ? std::string(PQgetvalue(res, 0, 0))
                                                     : std::string();
  } else if (st == PGRES_COMMAND_OK || st == PGRES_EMPTY_QUERY) {
    out = std::string();
  } else {
    out = absl::InternalError(absl::StrCat("SQL failed: ", PQresultErrorMessage(res), "in: ", sql));
  }
  PQclear(res);
  PQfinish(conn);
  return out;
}

}  // namespace trackops::testing
