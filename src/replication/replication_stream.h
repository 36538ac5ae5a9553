// The streaming half of PostgreSQL's replication protocol on a walsender
// connection: IDENTIFY_SYSTEM, CREATE_REPLICATION_SLOT, START_REPLICATION and
// the CopyBoth loop (XLogData, primary keepalives, standby status updates).
//
// Thread safety: one thread at a time.

#ifndef TRACKOPS_REPLICATION_REPLICATION_STREAM_H_
#define TRACKOPS_REPLICATION_REPLICATION_STREAM_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "replication/pg_connection.h"
#include "trackops/types.h"

namespace trackops::replication {

struct SystemIdentity {
  std::string system_id;
  int timeline = 0;
  Lsn xlog_position;
  std::string dbname;
};

struct StartOptions {
  std::string slot_name;
  Lsn start_lsn;  // Lsn() lets the server start at the slot's confirmed_flush_lsn.
  int protocol_version = 1;
  std::vector<std::string> publication_names;
  bool binary = false;
  std::string streaming;  // "", "on" or "parallel".
  bool messages = false;
  bool two_phase = false;  // Needs a slot created with two_phase (protocol >= 3).
};

// What CREATE_REPLICATION_SLOT answers.
struct CreatedSlot {
  // The first LSN the slot decodes: every transaction committing at or after
  // it is streamed, every one before it is in the exported snapshot.
  Lsn consistent_point;
  // The exported snapshot's name (SET TRANSACTION SNAPSHOT), valid while the
  // connection that created the slot runs no other command; empty when none
  // was asked for.
  std::string snapshot_name;
};

// One unit read from the stream.
struct StreamEvent {
  enum class Kind { kNone, kData, kKeepalive };
  Kind kind = Kind::kNone;
  Lsn wal_start;       // kData: WAL position of the payload.
  Lsn wal_end;         // Server's reported WAL end (see docs/architecture.md).
  UnixMicros server_time = 0;
  bool reply_requested = false;  // kKeepalive: the server wants a status update now.
  // kData: the pgoutput message. Valid until the next call to Next().
  std::span<const uint8_t> payload;
};

class ReplicationStream {
 public:
  // Takes a walsender connection (PgConnection::Connect with replication=true).
  explicit ReplicationStream(std::unique_ptr<PgConnection> conn);
  ~ReplicationStream();

  absl::StatusOr<SystemIdentity> IdentifySystem();

  // Creates a logical slot for pgoutput. kAlreadyExists when it exists.
  // With `export_snapshot` the server exports the snapshot the slot starts
  // from, until this connection's next command. A `temporary` slot goes away
  // with this connection. With `two_phase` the slot decodes prepared
  // transactions at PREPARE.
  struct SlotOptions {
    bool export_snapshot = false;
    bool temporary = false;
    bool two_phase = false;
  };
  absl::StatusOr<CreatedSlot> CreateSlot(const std::string& slot_name, const SlotOptions& options);

  absl::Status Start(const StartOptions& options);

  // Once the reader has caught up with the server, which sends each message
  // as it decodes it, waits this long after the first byte arrives before
  // reading, so that one read takes a run of messages rather than one wake-up
  // per message. Never delays data that is already waiting. 0 (the default):
  // read at the first byte.
  void SetReadCoalescing(std::chrono::microseconds delay) { coalesce_ = delay; }

  // Waits up to `timeout` for the next message (0: only what has already
  // arrived, buffered or on the socket). kNone on timeout. Errors:
  // kUnavailable when the connection is lost or the server ends the stream.
  absl::StatusOr<StreamEvent> Next(std::chrono::milliseconds timeout);

  // Sends a standby status update. `flush` moves the slot's confirmed_flush_lsn.
  absl::Status SendStatus(Lsn write, Lsn flush, Lsn apply, bool reply_requested = false);

  PgConnection& connection() { return *conn_; }

  // How many times Next() read the socket.
  int64_t socket_reads() const { return socket_reads_; }

 private:
  absl::Status ReadError(absl::string_view context);

  std::unique_ptr<PgConnection> conn_;
  char* buffer_ = nullptr;  // From PQgetCopyData; freed on the next read.
  bool streaming_ = false;
  std::chrono::microseconds coalesce_{0};
  int64_t socket_reads_ = 0;
};

}  // namespace trackops::replication

#endif  // TRACKOPS_REPLICATION_REPLICATION_STREAM_H_
