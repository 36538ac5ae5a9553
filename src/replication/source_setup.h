// Checks and prepares a PostgreSQL database for streaming, on an ordinary
// (non-replication) connection: server version, wal_level, the REPLICATION
// privilege, the publication (publication.autocreate.mode) and the slot.
// Every failure a person must fix is kFailedPrecondition with a message that
// says what to do.

#ifndef TRACKOPS_REPLICATION_SOURCE_SETUP_H_
#define TRACKOPS_REPLICATION_SOURCE_SETUP_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "replication/pg_connection.h"
#include "trackops/config.h"
#include "trackops/types.h"

namespace trackops::replication {

// The oldest server pgoutput works with.
inline constexpr int kMinServerVersion = 100000;

// Fails unless `server_version` (PQserverVersion form, e.g. 150020) can run
// pgoutput with `protocol_version`; names the version each feature needs.
absl::Status CheckServerVersion(int server_version, int protocol_version);

// Server version, wal_level and the user's REPLICATION privilege.
absl::Status CheckServer(PgConnection& conn, const ConnectorConfig& config);

// Creates or updates the publication as publication.autocreate.mode says.
absl::Status EnsurePublication(PgConnection& conn, const ConnectorConfig& config);

struct SlotInfo {
  std::string plugin;
  std::string database;
  bool active = false;
  int active_pid = 0;
  Lsn confirmed_flush_lsn;
};

// The slot's row from pg_replication_slots, or nullopt when there is none.
// Fails when it exists for another plugin or database.
absl::StatusOr<std::optional<SlotInfo>> InspectSlot(PgConnection& conn,
                                                    const ConnectorConfig& config);

absl::Status DropSlot(PgConnection& conn, const std::string& slot_name);

}  // namespace trackops::replication

#endif  // TRACKOPS_REPLICATION_SOURCE_SETUP_H_
