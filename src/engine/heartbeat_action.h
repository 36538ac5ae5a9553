// heartbeat.action.query: the SQL statement run on the database at every
// heartbeat, on a normal (non-replication) connection of its own, so that
// the slot has WAL to advance over when the captured tables are idle but
// the server is not (Debezium's DatabaseHeartbeatImpl).
//
// A failure never stops the engine: Run() logs it and counts it, and a
// broken connection is opened again at the next Run().
//
// Thread safety: one thread at a time.

#ifndef TRACKOPS_ENGINE_HEARTBEAT_ACTION_H_
#define TRACKOPS_ENGINE_HEARTBEAT_ACTION_H_

#include <cstdint>
#include <memory>
#include <string>

#include "replication/pg_connection.h"

namespace trackops::engine {

class HeartbeatAction {
 public:
  // `conninfo`: libpq keywords of the database (ConnectorConfig::ConnInfo);
  // `query`: the statement(s), sent as one simple query. Connects lazily.
  HeartbeatAction(std::string conninfo, std::string query);

  HeartbeatAction(const HeartbeatAction&) = delete;
  HeartbeatAction& operator=(const HeartbeatAction&) = delete;

  // Runs the query once (connecting first when needed). Returns whether it
  // succeeded; a failure is logged with its SQLSTATE and counted.
  bool Run();

  uint64_t runs() const { return runs_; }
  uint64_t errors() const { return errors_; }

 private:
  const std::string conninfo_;
  const std::string query_;
  std::unique_ptr<replication::PgConnection> connection_;
  uint64_t runs_ = 0;
  uint64_t errors_ = 0;
};

}  // namespace trackops::engine

#endif  // TRACKOPS_ENGINE_HEARTBEAT_ACTION_H_
