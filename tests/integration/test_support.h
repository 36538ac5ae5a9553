// Helpers shared by the integration tests.

#ifndef TRACKOPS_TESTS_INTEGRATION_TEST_SUPPORT_H_
#define TRACKOPS_TESTS_INTEGRATION_TEST_SUPPORT_H_

#include <libpq-fe.h>

#include <chrono>
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

}  // namespace trackops::testing

#endif  // TRACKOPS_TESTS_INTEGRATION_TEST_SUPPORT_H_
