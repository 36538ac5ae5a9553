// Decodes pgoutput logical replication messages (protocol versions 1 to 4)
// from bytes into the structs of messages.h. The grammar is in
// docs/pgoutput.md.
//
// The decoder does no I/O: the caller hands it the payload of one XLogData
// ('w') message of the streaming replication protocol, i.e. exactly one
// pgoutput message starting with its type byte.
//
//   TRACKOPS_ASSIGN_OR_RETURN(auto decoder,
//                             Decoder::Create({.protocol_version = 2}));
//   Message message;
//   TRACKOPS_RETURN_IF_ERROR(decoder->Decode(payload, &message));
//   if (const auto* insert = std::get_if<Insert>(&message)) { ... }
//
// Zero-copy: every string_view in a decoded message points into the bytes
// given to Decode; tuple columns, relation columns and truncated relation ids
// live in vectors owned by the Decoder and reused by the next call, so once
// their capacities have grown to the largest message seen, decoding
// allocates nothing.
//
// Thread safety: a Decoder is not thread-safe; use one per replication
// connection from one thread. Distinct Decoders share nothing.

#ifndef TRACKOPS_PGOUTPUT_DECODER_H_
#define TRACKOPS_PGOUTPUT_DECODER_H_

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pgoutput/messages.h"
#include "pgoutput/pgoutput_format.h"
#include "trackops/types.h"

namespace trackops::pgoutput {

struct DecoderOptions {
  // The proto_version given to START_REPLICATION, 1 to 4. Message types the
  // version does not have (Stream * before 2, two-phase messages before 3)
  // are rejected as malformed. Default: 1.
  int protocol_version = kProtocolVersionMin;

  // True when the slot was started with streaming = 'parallel' (protocol 4
  // only): Stream Abort then carries the abort LSN and abort time.
  // Default: false (streaming off or on).
  bool streaming_parallel = false;
};

class Decoder {
 public:
  // Returns kInvalidArgument when protocol_version is not in 1..4, or when
  // streaming_parallel is set with a protocol version below 4.
  static absl::StatusOr<std::unique_ptr<Decoder>> Create(const DecoderOptions& options);

  Decoder(const Decoder&) = delete;
  Decoder& operator=(const Decoder&) = delete;
  ~Decoder() = default;

  // Decodes the single pgoutput message in `data` into `*out`.
  //
  // On success, string_views and spans in `*out` refer into `data` and into
  // storage owned by this Decoder: "data" and this Decoder must remain live
  // and unchanged until the next call to Decode or Reset, which invalidates
  // them.
  //
  // Returns kDataLoss when `data` is not exactly one well-formed message for
  // the configured protocol version: empty, an unknown type byte, a field
  // running past the end, an unterminated string, a negative length, an
  // unknown tuple column kind or marker, a column count above kMaxColumns or
  // larger than the remaining bytes could hold, a timestamp out of range,
  // trailing bytes, a message type the protocol version lacks, or a message
  // out of place with respect to Stream Start / Stream Stop. The message
  // names the message type and the byte offset, e.g.
  //   "pgoutput Insert: truncated at byte 9 of 12 (reading new tuple column 1 length)".
  // The caller should add the WAL position. On error `*out` is unspecified
  // and the streamed-block state is unchanged.
  absl::Status Decode(std::span<const uint8_t> data, Message* out);

  // True between a successfully decoded Stream Start and the matching Stream
  // Stop. Inside such a block Relation, Type, Insert, Update, Delete, Truncate
  // and Message carry the xid of the streamed (sub)transaction.
  bool in_streamed_block() const { return in_streamed_block_; }

  // Forgets the streamed-block state, e.g. when replication restarts on a new
  // connection. Keeps the buffers' capacities.
  void Reset() { in_streamed_block_ = false; }

  const DecoderOptions& options() const { return options_; }

 private:
  class Reader;

  explicit Decoder(const DecoderOptions& options) : options_(options) {}

  absl::Status DecodeBody(char type, Reader& reader, Message* out);
  absl::Status DecodeBegin(Reader& reader, Message* out);
  absl::Status DecodeCommit(Reader& reader, Message* out);
  absl::Status DecodeOrigin(Reader& reader, Message* out);
  absl::Status DecodeRelation(Reader& reader, Message* out);
  absl::Status DecodeType(Reader& reader, Message* out);
  absl::Status DecodeInsert(Reader& reader, Message* out);
  absl::Status DecodeUpdate(Reader& reader, Message* out);
  absl::Status DecodeDelete(Reader& reader, Message* out);
  absl::Status DecodeTruncate(Reader& reader, Message* out);
  absl::Status DecodeLogicalMessage(Reader& reader, Message* out);
  absl::Status DecodeStreamStart(Reader& reader, Message* out);
  absl::Status DecodeStreamCommit(Reader& reader, Message* out);
  absl::Status DecodeStreamAbort(Reader& reader, Message* out);
  absl::Status DecodeBeginPrepare(Reader& reader, Message* out);
  absl::Status DecodePrepare(Reader& reader, Prepare* out);
  absl::Status DecodeCommitPrepared(Reader& reader, Message* out);
  absl::Status DecodeRollbackPrepared(Reader& reader, Message* out);

  // Reads the Int32 xid present only inside a streamed block.
  absl::Status ReadStreamedXid(Reader& reader, Xid* xid);

  // Reads one TupleData, appending its columns to the tuple_count_ columns
  // of tuple_columns_ in use. `name` is
  // "new tuple", "key tuple" or "old tuple" for error messages.
  absl::Status ReadTuple(Reader& reader, const char* name);

  DecoderOptions options_;
  bool in_streamed_block_ = false;

  // Reused storage behind the spans of the last decoded message. An Update
  // keeps its old tuple first, then its new tuple.
  std::vector<TupleColumn> tuple_columns_;  // Only grows; see tuple_count_.
  size_t tuple_count_ = 0;                  // Columns of tuple_columns_ in use.
  std::vector<RelationColumn> relation_columns_;
  std::vector<RelationId> truncate_relation_ids_;
};

}  // namespace trackops::pgoutput

#endif  // TRACKOPS_PGOUTPUT_DECODER_H_
