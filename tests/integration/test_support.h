// Helpers shared by the integration tests.

#ifndef TRACKOPS_TESTS_INTEGRATION_TEST_SUPPORT_H_
#define TRACKOPS_TESTS_INTEGRATION_TEST_SUPPORT_H_

#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "simdjson.h"
#include "trackops/config.h"

namespace trackops::testing {

// Polls `condition` every 10 ms until it holds or `timeout` passes.
inline bool WaitUntil(const std::function<bool()>& condition,
                      std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

// The properties text of a connector for `db` on `server`, plus `extra` lines.
inline std::string BaseProperties(const PgServer& server, const std::string& db,
                                  const std::string& extra = "") {
  return absl::StrCat("debezium.source.database.hostname=", server.host(), "\n",
                      "debezium.source.database.port=", server.port(), "\n",
                      "debezium.source.database.user=", PgServer::kUser, "\n",
                      "debezium.source.database.password=", PgServer::kPassword, "\n",
                      "debezium.source.database.dbname=", db, "\n",
                      "debezium.source.slot.name=", db, "\n",
                      "debezium.source.topic.prefix=shop\n",
                      "debezium.source.snapshot.mode=no_data\n",
                      "debezium.source.status.update.interval.ms=200\n",
                      "debezium.source.retriable.restart.connector.wait.ms=1000\n", extra);
}

inline Config BaseConfig(const PgServer& server, const std::string& db,
                         const std::string& extra = "") {
  absl::StatusOr<Properties> props = Properties::Parse(BaseProperties(server, db, extra));
  EXPECT_TRUE(props.ok()) << props.status();
  std::vector<std::string> warnings;
  absl::StatusOr<Config> config = Config::FromProperties(*props, &warnings);
  EXPECT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  return *config;
}

// Whether the replication slot named `slot` is being streamed from.
inline bool SlotActive(const PgServer& server, const std::string& slot) {
  auto active = server.QueryValue(
      absl::StrCat("SELECT active FROM pg_replication_slots WHERE slot_name = '", slot, "'"));
  return active.ok() && *active == "t";
}

// A fixture with one PostgreSQL server for the whole suite (`server_`; a
// suite that needs settings starts it itself with StartServer) and, for each
// test, a database named after the test (`db_`).
class PgDatabaseTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { StartServer(PgServerOptions()); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static void StartServer(const PgServerOptions& options) {
    auto server = PgServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }

  void SetUp() override {
    db_ = absl::StrCat("db_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
    for (char& c : db_) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(server_->Execute(absl::StrCat("CREATE DATABASE ", db_)).ok());
  }

  absl::Status Sql(const std::string& sql) const { return server_->Execute(sql, db_); }

  inline static PgServer* server_ = nullptr;
  std::string db_;
};

// A SQL session that stays open between statements (for interleaving).
class SqlSession {
 public:
  SqlSession(const PgServer& server, const std::string& db)
      : conn_(PQconnectdb(server.SocketConnInfo(db).c_str())) {}
  ~SqlSession() { PQfinish(conn_); }
  absl::Status Run(const std::string& sql) {
    PGresult* r = PQexec(conn_, sql.c_str());
    ExecStatusType st = PQresultStatus(r);
    absl::Status s = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
                         ? absl::OkStatus()
                         : absl::InternalError(PQresultErrorMessage(r));
    PQclear(r);
    return s;
  }

 private:
  PGconn* conn_;
};

// A parsed JSON document with failing-test accessors.
class Json {
 public:
  static Json Parse(const std::string& text) {
    auto parser = std::make_shared<simdjson::dom::parser>();
    simdjson::dom::element root;
    auto error = parser->parse(text).get(root);
    EXPECT_EQ(error, simdjson::SUCCESS) << "not JSON: " << text;
    return Json(parser, root);
  }

  Json Get(std::string_view key) const {
    simdjson::dom::element child;
    if (element_.at_key(key).get(child) != simdjson::SUCCESS) {
      ADD_FAILURE() << "no field '" << key << "' in " << simdjson::to_string(element_);
      return Json(parser_, element_);
    }
    return Json(parser_, child);
  }
  bool IsNull() const { return element_.is_null(); }
  std::string AsString() const {
    std::string_view s;
    if (element_.get(s) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not a string: " << simdjson::to_string(element_);
    }
    return std::string(s);
  }
  int64_t AsInt() const {
    int64_t v = 0;
    if (element_.get(v) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not an integer: " << simdjson::to_string(element_);
    }
    return v;
  }
  bool AsBool() const {
    bool v = false;
    if (element_.get(v) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not a boolean: " << simdjson::to_string(element_);
    }
    return v;
  }

 private:
  Json(std::shared_ptr<simdjson::dom::parser> p, simdjson::dom::element e)
      : parser_(std::move(p)), element_(e) {}
  std::shared_ptr<simdjson::dom::parser> parser_;
  simdjson::dom::element element_;
};

inline std::string DaemonPath() {
  const char* dir = std::getenv("TRACKOPS_BINARY_DIR");
  return absl::StrCat(dir != nullptr ? dir : ".", "/src/cdcd/trackops-cdcd");
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A temporary folder removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string t = "/tmp/trackops-test-XXXXXX";
    path_ = mkdtemp(t.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// trackops-cdcd as a child process; killed (SIGKILL) if still running at the end.
class Daemon {
 public:
  // Starts trackops-cdcd with `args`, appending stdout to `out` and stderr to `err`.
  Daemon(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
    std::vector<std::string> argv = {DaemonPath()};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = fork();
    if (pid_ == 0) {
      int o = open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      int e = open(err.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(o, STDOUT_FILENO);
      dup2(e, STDERR_FILENO);
      std::vector<char*> a;
      for (std::string& s : argv) a.push_back(s.data());
      a.push_back(nullptr);
      execv(a[0], a.data());
      _exit(127);
    }
  }
  ~Daemon() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      Wait();
    }
  }
  void Signal(int sig) { kill(pid_, sig); }
  // Waits for the exit; returns the exit code (128 + signal when killed).
  int Wait() {
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  // Like Wait(), but gives up after `timeout` (then returns -1; the process
  // is killed by the destructor).
  int WaitFor(std::chrono::milliseconds timeout) {
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
};

}  // namespace trackops::testing

#endif  // TRACKOPS_TESTS_INTEGRATION_TEST_SUPPORT_H_
