#include "engine/heartbeat_action.h"

#include <libpq-fe.h>

#include <utility>

#include "util/log.h"
#include "util/string_view.h"

namespace trackops::engine {

HeartbeatAction::HeartbeatAction(std::string conninfo, std::string query)
    : conninfo_(std::move(conninfo)), query_(std::move(query)) {}

bool HeartbeatAction::Run() {
  ++runs_;
  if (connection_ == nullptr) {
    auto connected = replication::PgConnection::Connect(conninfo_, false);
    if (!connected.ok()) {
      ++errors_;
      Log(LogLevel::kError, "could not run heartbeat.action.query: %s",
          ToStd(connected.status().message()));
      return false;
    }
    connection_ = std::move(*connected);
  }
  auto result = connection_->Exec(query_);
  if (!result.ok()) {
    ++errors_;
    Log(LogLevel::kError, "heartbeat.action.query failed: %s", ToStd(result.status().message()));
    // Open a new connection next time if this one is lost.
    if (PQstatus(connection_->raw()) != CONNECTION_OK) connection_.reset();
    return false;
  }
  return true;
}

}  // namespace trackops::engine
