// Constants of the pgoutput logical replication protocol (PostgreSQL 10+,
// protocol versions 1 to 4). The grammar is written out in docs/pgoutput.md.

#ifndef TRACKOPS_PGOUTPUT_PGOUTPUT_FORMAT_H_
#define TRACKOPS_PGOUTPUT_PGOUTPUT_FORMAT_H_

#include <cstdint>

namespace trackops::pgoutput {

// The first byte of every pgoutput message.
enum class MessageType : char {
  kBegin = 'B',
  kCommit = 'C',
  kOrigin = 'O',
  kRelation = 'R',
  kType = 'Y',
  kInsert = 'I',
  kUpdate = 'U',
  kDelete = 'D',
  kTruncate = 'T',
  kMessage = 'M',
  kStreamStart = 'S',
  kStreamStop = 'E',
  kStreamCommit = 'c',
  kStreamAbort = 'A',
  kBeginPrepare = 'b',
  kPrepare = 'P',
  kCommitPrepared = 'K',
  kRollbackPrepared = 'r',
  kStreamPrepare = 'p',
};

// Returns a human-readable name ("Insert", "Stream Commit", ...) or
// "Unknown" for a byte that is not a message type.
const char* MessageTypeName(char type);

// The kind byte of each column in a TupleData.
enum class TupleKind : char {
  kNull = 'n',
  kUnchangedToast = 'u',
  kText = 't',
  kBinary = 'b',
};

// Markers introducing a TupleData inside Insert/Update/Delete.
inline constexpr char kNewTupleMarker = 'N';
inline constexpr char kKeyTupleMarker = 'K';
inline constexpr char kOldTupleMarker = 'O';

// Relation column flag: the column is part of the replica identity.
inline constexpr uint8_t kColumnFlagKey = 1;

// Truncate option bits.
inline constexpr uint8_t kTruncateCascade = 1;
inline constexpr uint8_t kTruncateRestartIdentity = 2;

// Message flag: the logical decoding message was emitted transactionally.
inline constexpr uint8_t kMessageFlagTransactional = 1;

// Replica identity settings as sent in Relation messages (pg_class.relreplident).
inline constexpr char kReplicaIdentityDefault = 'd';
inline constexpr char kReplicaIdentityNothing = 'n';
inline constexpr char kReplicaIdentityFull = 'f';
inline constexpr char kReplicaIdentityIndex = 'i';

// Upper bound on the number of columns in a Relation message or a TupleData
// (PostgreSQL's MaxTupleAttributeNumber); a larger count is malformed.
inline constexpr int kMaxColumns = 1664;

// Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01).
inline constexpr int64_t kPostgresEpochOffsetMicros = 946684800LL * 1000000LL;

// Protocol versions.
inline constexpr int kProtocolVersionMin = 1;
inline constexpr int kProtocolVersionStreaming = 2;   // PostgreSQL 14+
inline constexpr int kProtocolVersionTwoPhase = 3;    // PostgreSQL 15+
inline constexpr int kProtocolVersionParallel = 4;    // PostgreSQL 16+
inline constexpr int kProtocolVersionMax = 4;

}  // namespace trackops::pgoutput

#endif  // TRACKOPS_PGOUTPUT_PGOUTPUT_FORMAT_H_
