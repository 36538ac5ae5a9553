// Decoded pgoutput messages. Every string_view and span refers either into
// the buffer given to Decoder::Decode or into storage owned by the Decoder;
// both must stay alive and unchanged until the next Decode call.

#ifndef TRACKOPS_PGOUTPUT_MESSAGES_H_
#define TRACKOPS_PGOUTPUT_MESSAGES_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

#include "pgoutput/pgoutput_format.h"
#include "trackops/types.h"

namespace trackops::pgoutput {

struct TupleColumn {
  TupleKind kind = TupleKind::kNull;
  std::string_view data;  // Empty unless kind is kText or kBinary.
};

// A row image: one entry per column of the relation, in attribute order.
using Tuple = std::span<const TupleColumn>;

struct Begin {
  Lsn final_lsn;           // LSN of the commit record.
  UnixMicros commit_time;  // Commit timestamp.
  Xid xid;
};

struct Commit {
  uint8_t flags = 0;
  Lsn commit_lsn;  // LSN of the commit record.
  Lsn end_lsn;     // End of the commit record: confirm this to skip the transaction.
  UnixMicros commit_time;
};

struct Origin {
  Lsn origin_lsn;  // Commit LSN on the origin server.
  std::string_view name;
};

struct RelationColumn {
  uint8_t flags = 0;  // kColumnFlagKey when part of the replica identity.
  std::string_view name;
  uint32_t type_oid = 0;
  int32_t type_modifier = -1;
};

struct Relation {
  Xid xid;  // Set only inside a streamed transaction (protocol >= 2).
  RelationId relation_id;
  std::string_view schema_name;  // Empty string for pg_catalog.
  std::string_view relation_name;
  char replica_identity = kReplicaIdentityDefault;
  std::span<const RelationColumn> columns;
};

struct Type {
  Xid xid;  // Set only inside a streamed transaction.
  uint32_t type_oid = 0;
  std::string_view schema_name;
  std::string_view type_name;
};

struct Insert {
  Xid xid;  // Set only inside a streamed transaction.
  RelationId relation_id;
  Tuple new_tuple;
};

struct Update {
  Xid xid;  // Set only inside a streamed transaction.
  RelationId relation_id;
  // 'K' (key columns only, replica identity changed), 'O' (full old row,
  // REPLICA IDENTITY FULL) or 0 when no old tuple was sent.
  char old_tuple_kind = 0;
  Tuple old_tuple;  // Empty when old_tuple_kind is 0.
  Tuple new_tuple;
};

struct Delete {
  Xid xid;  // Set only inside a streamed transaction.
  RelationId relation_id;
  char old_tuple_kind = kKeyTupleMarker;  // 'K' or 'O'.
  Tuple old_tuple;
};

struct Truncate {
  Xid xid;  // Set only inside a streamed transaction.
  uint8_t options = 0;  // kTruncateCascade | kTruncateRestartIdentity.
  std::span<const RelationId> relation_ids;
};

struct LogicalMessage {
  Xid xid;  // Set only inside a streamed transaction.
  uint8_t flags = 0;  // kMessageFlagTransactional.
  Lsn lsn;
  std::string_view prefix;
  std::string_view content;
  bool transactional() const { return (flags & kMessageFlagTransactional) != 0; }
};

struct StreamStart {
  Xid xid;
  bool first_segment = false;
};

struct StreamStop {};

struct StreamCommit {
  Xid xid;
  uint8_t flags = 0;
  Lsn commit_lsn;
  Lsn end_lsn;
  UnixMicros commit_time;
};

struct StreamAbort {
  Xid xid;
  Xid subxid;
  // Present only with protocol version 4 and streaming = parallel.
  bool has_abort_lsn = false;
  Lsn abort_lsn;
  UnixMicros abort_time = 0;
};

struct BeginPrepare {
  Lsn prepare_lsn;
  Lsn end_lsn;
  UnixMicros prepare_time;
  Xid xid;
  std::string_view gid;
};

// Prepare ('P') and Stream Prepare ('p') share one layout.
struct Prepare {
  uint8_t flags = 0;
  Lsn prepare_lsn;
  Lsn end_lsn;
  UnixMicros prepare_time;
  Xid xid;
  std::string_view gid;
};

struct StreamPrepare : Prepare {};

struct CommitPrepared {
  uint8_t flags = 0;
  Lsn commit_lsn;
  Lsn end_lsn;
  UnixMicros commit_time;
  Xid xid;
  std::string_view gid;
};

struct RollbackPrepared {
  uint8_t flags = 0;
  Lsn prepare_end_lsn;
  Lsn rollback_end_lsn;
  UnixMicros prepare_time;
  UnixMicros rollback_time;
  Xid xid;
  std::string_view gid;
};

using Message =
    std::variant<Begin, Commit, Origin, Relation, Type, Insert, Update, Delete, Truncate,
                 LogicalMessage, StreamStart, StreamStop, StreamCommit, StreamAbort,
                 BeginPrepare, Prepare, CommitPrepared, RollbackPrepared, StreamPrepare>;

}  // namespace trackops::pgoutput

#endif  // TRACKOPS_PGOUTPUT_MESSAGES_H_
