#include "replication/replication_stream.h"

#include <poll.h>

#include <algorithm>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "pgoutput/pgoutput_format.h"
#include "replication/pg_error.h"
#include "util/status_macros.h"
#include "util/string_view.h"

namespace trackops::replication {
namespace {

uint64_t ReadU64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

void WriteU64(uint64_t v, char* p) {
  for (int i = 7; i >= 0; --i) {
    p[i] = static_cast<char>(v & 0xFF);
    v >>= 8;
  }
}

UnixMicros FromPostgresTime(uint64_t t) {
  return static_cast<int64_t>(t) + pgoutput::kPostgresEpochOffsetMicros;
}

}  // namespace

ReplicationStream::ReplicationStream(std::unique_ptr<PgConnection> conn) : conn_(std::move(conn)) {}

ReplicationStream::~ReplicationStream() {
  if (buffer_ != nullptr) PQfreemem(buffer_);
}

absl::StatusOr<SystemIdentity> ReplicationStream::IdentifySystem() {
  TRACKOPS_ASSIGN_OR_RETURN(PgResult r, conn_->Exec("IDENTIFY_SYSTEM"));
  if (r.rows() != 1 || r.columns() < 4) {
    return absl::InternalError("IDENTIFY_SYSTEM returned an unexpected result shape");
  }
  SystemIdentity id;
  id.system_id = std::string(r.Get(0, 0));
  id.timeline = std::atoi(std::string(r.Get(0, 1)).c_str());
  std::optional<Lsn> pos = Lsn::Parse(ToStd(r.Get(0, 2)));
  if (!pos.has_value()) return absl::InternalError("IDENTIFY_SYSTEM returned a malformed xlogpos");
  id.xlog_position = *pos;
  if (!r.IsNull(0, 3)) id.dbname = std::string(r.Get(0, 3));
  return id;
}

absl::StatusOr<CreatedSlot> ReplicationStream::CreateSlot(const std::string& slot_name,
                                                          const SlotOptions& options) {
  const bool export_snapshot = options.export_snapshot;
  std::string sql =
      absl::StrCat("CREATE_REPLICATION_SLOT ", conn_->QuoteIdentifier(slot_name),
                   options.temporary ? " TEMPORARY" : "", " LOGICAL pgoutput");
  // The option list form exists since PostgreSQL 15; older servers take the
  // keyword form (and have no two-phase slots).
  if (conn_->server_version() >= 150000) {
    absl::StrAppend(&sql, " (SNAPSHOT '", export_snapshot ? "export" : "nothing", "'",
                    options.two_phase ? ", TWO_PHASE" : "", ")");
  } else {
    absl::StrAppend(&sql, export_snapshot ? " EXPORT_SNAPSHOT" : " NOEXPORT_SNAPSHOT");
  }
  absl::StatusOr<PgResult> r = conn_->Exec(sql);
  if (!r.ok() && SqlStateOf(r.status()) == "42710") {
    return absl::AlreadyExistsError(absl::StrCat("replication slot ", slot_name, " exists"));
  }
  if (!r.ok()) return r.status();
  // slot_name, consistent_point, snapshot_name, output_plugin.
  if (r->rows() != 1 || r->columns() < 3) {
    return absl::InternalError("CREATE_REPLICATION_SLOT returned an unexpected result shape");
  }
  CreatedSlot created;
  std::optional<Lsn> point = Lsn::Parse(ToStd(r->Get(0, 1)));
  if (!point.has_value()) {
    return absl::InternalError(absl::StrCat(
        "CREATE_REPLICATION_SLOT returned a malformed consistent_point: ", r->Get(0, 1)));
  }
  created.consistent_point = *point;
  if (!r->IsNull(0, 2)) created.snapshot_name = std::string(r->Get(0, 2));
  if (export_snapshot && created.snapshot_name.empty()) {
    return absl::InternalError("CREATE_REPLICATION_SLOT exported no snapshot");
  }
  return created;
}

absl::Status ReplicationStream::Start(const StartOptions& o) {
  std::vector<std::string> quoted;
  for (const std::string& p : o.publication_names) quoted.push_back(conn_->QuoteIdentifier(p));
  std::string pubs = absl::StrJoin(quoted, ",");
  std::string sql = absl::StrCat(
      "START_REPLICATION SLOT ", conn_->QuoteIdentifier(o.slot_name), " LOGICAL ",
      o.start_lsn.ToString(), " (proto_version '", o.protocol_version,
      "', publication_names ", conn_->QuoteLiteral(pubs));
  if (o.binary) absl::StrAppend(&sql, ", binary 'true'");
  if (!o.streaming.empty()) absl::StrAppend(&sql, ", streaming '", o.streaming, "'");
  if (o.messages) absl::StrAppend(&sql, ", messages 'true'");
  if (o.two_phase) absl::StrAppend(&sql, ", two_phase 'true'");
  absl::StrAppend(&sql, ")");
  PgResult r(PQexec(conn_->raw(), sql.c_str()));
  if (PQresultStatus(r.raw()) != PGRES_COPY_BOTH) {
    return ResultError(conn_->raw(), r.raw(), absl::StrCat("START_REPLICATION of slot ",
                                                           o.slot_name, " failed"));
  }
  streaming_ = true;
  return absl::OkStatus();
}

absl::Status ReplicationStream::ReadError(absl::string_view context) {
  // The server ended COPY or the connection broke: fetch the final result.
  PGresult* raw = PQgetResult(conn_->raw());
  PgResult r(raw);
  streaming_ = false;
  if (raw != nullptr && PQresultStatus(raw) == PGRES_FATAL_ERROR) {
    absl::Status s = ResultError(conn_->raw(), raw, context);
    // The stream is over whatever the cause; a server error that is not a
    // person's to fix is worth a reconnect.
    if (s.code() == absl::StatusCode::kInternal) return absl::UnavailableError(s.message());
    return s;
  }
  return absl::UnavailableError(
      absl::StrCat(context, ": ", PQerrorMessage(conn_->raw())));
}

absl::StatusOr<StreamEvent> ReplicationStream::Next(std::chrono::milliseconds timeout) {
  if (!streaming_) return absl::FailedPreconditionError("replication stream not started");
  if (buffer_ != nullptr) {
    PQfreemem(buffer_);
    buffer_ = nullptr;
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool socket_checked = false;  // Read without waiting once the deadline passed.
  while (true) {
    int len = PQgetCopyData(conn_->raw(), &buffer_, /*async=*/1);
    if (len == -1) return ReadError("replication stream ended");
    if (len == -2) return ReadError("replication stream read failed");
    if (len > 0) {
      const uint8_t* p = reinterpret_cast<const uint8_t*>(buffer_);
      StreamEvent ev;
      if (p[0] == 'w') {
        if (len < 25) return absl::DataLossError("XLogData message shorter than its header");
        ev.kind = StreamEvent::Kind::kData;
        ev.wal_start = Lsn(ReadU64(p + 1));
        ev.wal_end = Lsn(ReadU64(p + 9));
        ev.server_time = FromPostgresTime(ReadU64(p + 17));
        ev.payload = std::span<const uint8_t>(p + 25, static_cast<size_t>(len - 25));
        return ev;
      }
      if (p[0] == 'k') {
        if (len < 18) return absl::DataLossError("keepalive message shorter than 18 bytes");
        ev.kind = StreamEvent::Kind::kKeepalive;
        ev.wal_end = Lsn(ReadU64(p + 1));
        ev.server_time = FromPostgresTime(ReadU64(p + 9));
        ev.reply_requested = p[17] != 0;
        return ev;
      }
      return absl::DataLossError(
          absl::StrCat("unknown replication message type 0x", absl::Hex(p[0])));
    }
    // No complete message buffered: wait for the socket. Past the deadline
    // (a zero timeout too) the socket is still read once without waiting, so
    // that Next(0) returns what has arrived rather than only what libpq holds.
    auto now = std::chrono::steady_clock::now();
    const bool expired = now >= deadline;
    if (expired && socket_checked) return StreamEvent{};
    int wait_ms = 0;
    if (!expired) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
      wait_ms = std::max(1, static_cast<int>(left.count()));
    }
    pollfd pfd{PQsocket(conn_->raw()), POLLIN, 0};
    // With coalescing, data already waiting is read at once; only a reader
    // that had to wait for it waits the delay too.
    const bool coalesce = coalesce_.count() > 0;
    int rc = poll(&pfd, 1, coalesce ? 0 : wait_ms);
    if (coalesce && rc == 0 && wait_ms > 0) {
      rc = poll(&pfd, 1, wait_ms);
      if (rc > 0) {
        const auto left = deadline - std::chrono::steady_clock::now();
        if (left > std::chrono::steady_clock::duration::zero()) {
          std::this_thread::sleep_for(
              std::min<std::chrono::steady_clock::duration>(coalesce_, left));
        }
      }
    }
    socket_checked = expired;
    if (rc < 0 && errno != EINTR) {
      return absl::UnavailableError("poll() on the replication socket failed");
    }
    if (rc > 0) {
      ++socket_reads_;
      if (PQconsumeInput(conn_->raw()) == 0) return ReadError("replication connection lost");
    }
  }
}

absl::Status ReplicationStream::SendStatus(Lsn write, Lsn flush, Lsn apply, bool reply_requested) {
  char msg[34];
  msg[0] = 'r';
  WriteU64(write.value(), msg + 1);
  WriteU64(flush.value(), msg + 9);
  WriteU64(apply.value(), msg + 17);
  int64_t now = absl::ToUnixMicros(absl::Now()) - pgoutput::kPostgresEpochOffsetMicros;
  WriteU64(static_cast<uint64_t>(now), msg + 25);
  msg[33] = reply_requested ? 1 : 0;
  if (PQputCopyData(conn_->raw(), msg, sizeof(msg)) != 1 || PQflush(conn_->raw()) != 0) {
    return absl::UnavailableError(absl::StrCat("sending a standby status update failed: ",
                                               PQerrorMessage(conn_->raw())));
  }
  return absl::OkStatus();
}

}  // namespace trackops::replication
