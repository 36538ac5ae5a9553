#include "pgoutput/decoder.h"

#include <bit>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "util/status_macros.h"

namespace trackops::pgoutput {
namespace {

// What is being read, for error messages: "relation name", "new tuple column
// count", "new tuple column 2 length" (columns numbered from 1).
struct Field {
  const char* what;
  const char* scope = nullptr;  // "new tuple", "relation", ...
  int column = 0;               // 1-based; 0 when the field is not a column's.
};

std::string DescribeField(const Field& field) {
  if (field.scope == nullptr) return field.what;
  if (field.column == 0) return absl::StrFormat("%s %s", field.scope, field.what);
  return absl::StrFormat("%s column %d %s", field.scope, field.column, field.what);
}

// "'X' (0x58)" for a printable byte, "0x01" otherwise.
std::string DescribeByte(uint8_t byte) {
  if (byte >= 0x20 && byte < 0x7f) {
    return absl::StrFormat("'%c' (0x%02x)", static_cast<char>(byte), byte);
  }
  return absl::StrFormat("0x%02x", byte);
}

// Where a message may appear relative to Stream Start / Stream Stop.
enum class Placement {
  kAnywhere,
  kOutsideStreamedBlock,
  kInsideStreamedBlock,
};

struct MessageTraits {
  int min_protocol_version = 0;  // 0: not a message type.
  Placement placement = Placement::kAnywhere;
};

MessageTraits TraitsOf(char type) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::kBegin:
    case MessageType::kCommit:
      return {kProtocolVersionMin, Placement::kOutsideStreamedBlock};
    case MessageType::kOrigin:
    case MessageType::kRelation:
    case MessageType::kType:
    case MessageType::kInsert:
    case MessageType::kUpdate:
    case MessageType::kDelete:
    case MessageType::kTruncate:
    case MessageType::kMessage:
      return {kProtocolVersionMin, Placement::kAnywhere};
    case MessageType::kStreamStart:
    case MessageType::kStreamCommit:
    case MessageType::kStreamAbort:
      return {kProtocolVersionStreaming, Placement::kOutsideStreamedBlock};
    case MessageType::kStreamStop:
      return {kProtocolVersionStreaming, Placement::kInsideStreamedBlock};
    case MessageType::kBeginPrepare:
    case MessageType::kPrepare:
    case MessageType::kCommitPrepared:
    case MessageType::kRollbackPrepared:
    case MessageType::kStreamPrepare:
      return {kProtocolVersionTwoPhase, Placement::kOutsideStreamedBlock};
  }
  return {};
}

}  // namespace

// Bounds-checked big-endian reads over one message. Every read either
// succeeds or returns kDataLoss naming the message type, the offset and the
// field; nothing is read outside `data`.
class Decoder::Reader {
 public:
  Reader(std::span<const uint8_t> data, const char* type_name)
      : data_(data), type_name_(type_name) {}

  size_t pos() const { return pos_; }
  size_t size() const { return data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }

  // "pgoutput Insert: <problem> at byte <at> of <size>[ (reading <field>)]".
  ABSL_ATTRIBUTE_NOINLINE absl::Status Error(size_t at, std::string_view problem,
                                             const Field* field = nullptr) const {
    std::string message =
        absl::StrFormat("pgoutput %s: %s at byte %d of %d", type_name_, problem, at, size());
    if (field != nullptr) absl::StrAppend(&message, " (reading ", DescribeField(*field), ")");
    return absl::DataLossError(message);
  }

  absl::Status Truncated(const Field& field) const { return Error(pos_, "truncated", &field); }

  absl::Status ReadU8(const Field& field, uint8_t* value) {
    if (ABSL_PREDICT_FALSE(remaining() < 1)) return Truncated(field);
    *value = data_[pos_++];
    return absl::OkStatus();
  }

  absl::Status ReadU16(const Field& field, uint16_t* value) {
    if (ABSL_PREDICT_FALSE(remaining() < 2)) return Truncated(field);
    *value = static_cast<uint16_t>((uint16_t{data_[pos_]} << 8) | uint16_t{data_[pos_ + 1]});
    pos_ += 2;
    return absl::OkStatus();
  }

  absl::Status ReadU32(const Field& field, uint32_t* value) {
    if (ABSL_PREDICT_FALSE(remaining() < 4)) return Truncated(field);
    // One load, and a byte swap (GCC and Clang builtin) on little-endian
    // hosts: the wire is big-endian.
    uint32_t v;
    std::memcpy(&v, data_.data() + pos_, sizeof(v));
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap32(v);
    pos_ += 4;
    *value = v;
    return absl::OkStatus();
  }

  absl::Status ReadI32(const Field& field, int32_t* value) {
    uint32_t v = 0;
    TRACKOPS_RETURN_IF_ERROR(ReadU32(field, &v));
    *value = static_cast<int32_t>(v);
    return absl::OkStatus();
  }

  absl::Status ReadU64(const Field& field, uint64_t* value) {
    if (ABSL_PREDICT_FALSE(remaining() < 8)) return Truncated(field);
    uint64_t v;
    std::memcpy(&v, data_.data() + pos_, sizeof(v));
    if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
    pos_ += 8;
    *value = v;
    return absl::OkStatus();
  }

  absl::Status ReadLsn(const Field& field, Lsn* lsn) {
    uint64_t v = 0;
    TRACKOPS_RETURN_IF_ERROR(ReadU64(field, &v));
    *lsn = Lsn(v);
    return absl::OkStatus();
  }

  absl::Status ReadXid(const Field& field, Xid* xid) {
    uint32_t v = 0;
    TRACKOPS_RETURN_IF_ERROR(ReadU32(field, &v));
    *xid = Xid(v);
    return absl::OkStatus();
  }

  // An Int64 TimestampTz (microseconds since 2000-01-01) as Unix microseconds.
  absl::Status ReadTimestamp(const Field& field, UnixMicros* micros) {
    const size_t start = pos_;
    uint64_t v = 0;
    TRACKOPS_RETURN_IF_ERROR(ReadU64(field, &v));
    const int64_t pg_micros = static_cast<int64_t>(v);
    if (ABSL_PREDICT_FALSE(pg_micros >
                           std::numeric_limits<int64_t>::max() - kPostgresEpochOffsetMicros)) {
      return Error(start, absl::StrFormat("timestamp %d out of range", pg_micros), &field);
    }
    *micros = pg_micros + kPostgresEpochOffsetMicros;
    return absl::OkStatus();
  }

  // A NUL-terminated String; the view excludes the NUL.
  absl::Status ReadString(const Field& field, std::string_view* value) {
    const char* begin = reinterpret_cast<const char*>(data_.data()) + pos_;
    const void* nul = std::memchr(begin, '\0', remaining());
    if (ABSL_PREDICT_FALSE(nul == nullptr)) return Error(pos_, "unterminated string", &field);
    const size_t length = static_cast<size_t>(static_cast<const char*>(nul) - begin);
    *value = std::string_view(begin, length);
    pos_ += length + 1;
    return absl::OkStatus();
  }

  absl::Status ReadBytes(const Field& field, size_t length, std::string_view* value) {
    if (ABSL_PREDICT_FALSE(remaining() < length)) return Truncated(field);
    *value = std::string_view(reinterpret_cast<const char*>(data_.data()) + pos_, length);
    pos_ += length;
    return absl::OkStatus();
  }

  // An Int32 length followed by that many bytes.
  absl::Status ReadCountedBytes(const Field& length_field, const Field& data_field,
                                std::string_view* value) {
    const size_t start = pos_;
    int32_t length = 0;
    TRACKOPS_RETURN_IF_ERROR(ReadI32(length_field, &length));
    if (ABSL_PREDICT_FALSE(length < 0)) {
      return Error(start, absl::StrFormat("negative length %d", length), &length_field);
    }
    return ReadBytes(data_field, static_cast<size_t>(length), value);
  }

  // An Int16 column count, checked against kMaxColumns and against the
  // remaining bytes, given that each column takes at least `min_column_bytes`.
  absl::Status ReadColumnCount(const Field& field, size_t min_column_bytes, uint16_t* count) {
    const size_t start = pos_;
    TRACKOPS_RETURN_IF_ERROR(ReadU16(field, count));
    if (ABSL_PREDICT_FALSE(*count > kMaxColumns)) {
      return Error(start,
                   absl::StrFormat("column count %d exceeds the limit of %d", *count, kMaxColumns),
                   &field);
    }
    if (ABSL_PREDICT_FALSE(size_t{*count} * min_column_bytes > remaining())) {
      return Error(start,
                   absl::StrFormat("column count %d does not fit in the %d remaining bytes", *count,
                                   remaining()),
                   &field);
    }
    return absl::OkStatus();
  }

  // The marker byte introducing a TupleData ('N', 'K' or 'O').
  absl::Status ReadMarker(char* marker) {
    uint8_t byte = 0;
    TRACKOPS_RETURN_IF_ERROR(ReadU8({"tuple marker"}, &byte));
    *marker = static_cast<char>(byte);
    return absl::OkStatus();
  }

  // The error for the marker just read when it is not one of `expected`.
  absl::Status BadMarker(char marker, const char* expected) const {
    const Field field{"tuple marker"};
    return Error(pos_ - 1,
                 absl::StrFormat("expected tuple marker %s, got %s", expected,
                                 DescribeByte(static_cast<uint8_t>(marker))),
                 &field);
  }

  void Skip(size_t n) { pos_ += n; }
  void Rewind(size_t pos) { pos_ = pos; }

  // The fast path of Decoder::ReadTuple: writes `count` TupleData columns
  // to `*columns` from index `first` on (growing it when needed; it is never
  // shrunk) and returns true, or returns false, the position left to the
  // caller to restore, when the bytes are malformed (the caller reads them
  // again for the error).
  bool TryReadColumns(size_t count, size_t first, std::vector<TupleColumn>* columns) {
    if (columns->size() < first + count) columns->resize(first + count);
    TupleColumn* column = columns->data() + first;
    const uint8_t* const data = data_.data();
    const size_t size = data_.size();
    size_t pos = pos_;
    for (size_t i = 0; i < count; ++i, ++column) {
      if (ABSL_PREDICT_FALSE(pos >= size)) return false;
      const TupleKind kind = static_cast<TupleKind>(data[pos++]);
      column->kind = kind;
      if (kind == TupleKind::kText || kind == TupleKind::kBinary) {
        if (ABSL_PREDICT_FALSE(size - pos < 4)) return false;
        uint32_t length;
        std::memcpy(&length, data + pos, sizeof(length));
        if constexpr (std::endian::native == std::endian::little) {
          length = __builtin_bswap32(length);
        }
        pos += 4;
        // A negative Int32 length is above any remaining byte count.
        if (ABSL_PREDICT_FALSE(length > size - pos)) return false;
        column->data = std::string_view(reinterpret_cast<const char*>(data) + pos, length);
        pos += length;
      } else if (ABSL_PREDICT_TRUE(kind == TupleKind::kNull ||
                                   kind == TupleKind::kUnchangedToast)) {
        column->data = std::string_view();
      } else {
        return false;
      }
    }
    pos_ = pos;
    return true;
  }

 private:
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  const char* type_name_;
};

absl::StatusOr<std::unique_ptr<Decoder>> Decoder::Create(const DecoderOptions& options) {
  if (options.protocol_version < kProtocolVersionMin ||
      options.protocol_version > kProtocolVersionMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("pgoutput: protocol_version %d is not supported (use %d to %d)",
                        options.protocol_version, kProtocolVersionMin, kProtocolVersionMax));
  }
  if (options.streaming_parallel && options.protocol_version < kProtocolVersionParallel) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "pgoutput: streaming = parallel needs protocol_version %d or higher, got %d",
        kProtocolVersionParallel, options.protocol_version));
  }
  return std::unique_ptr<Decoder>(new Decoder(options));
}

absl::Status Decoder::Decode(std::span<const uint8_t> data, Message* out) {
  if (ABSL_PREDICT_FALSE(data.empty())) {
    return absl::DataLossError("pgoutput: empty message at byte 0 of 0");
  }
  const char type = static_cast<char>(data[0]);
  const MessageTraits traits = TraitsOf(type);
  if (ABSL_PREDICT_FALSE(traits.min_protocol_version == 0)) {
    return absl::DataLossError(absl::StrFormat("pgoutput: unknown message type %s at byte 0 of %d",
                                               DescribeByte(data[0]), data.size()));
  }

  Reader reader(data, MessageTypeName(type));
  if (ABSL_PREDICT_FALSE(options_.protocol_version < traits.min_protocol_version)) {
    return reader.Error(0, absl::StrFormat("message type needs protocol version %d or higher, "
                                           "decoder is configured for version %d",
                                           traits.min_protocol_version, options_.protocol_version));
  }
  if (ABSL_PREDICT_FALSE(traits.placement == Placement::kOutsideStreamedBlock &&
                         in_streamed_block_)) {
    return reader.Error(0,
                        "unexpected inside a streamed block (no Stream Stop since Stream Start)");
  }
  if (ABSL_PREDICT_FALSE(traits.placement == Placement::kInsideStreamedBlock &&
                         !in_streamed_block_)) {
    return reader.Error(0, "unexpected outside a streamed block (no Stream Start before it)");
  }

  reader.Skip(1);
  TRACKOPS_RETURN_IF_ERROR(DecodeBody(type, reader, out));
  if (ABSL_PREDICT_FALSE(reader.remaining() != 0)) {
    return reader.Error(reader.pos(), absl::StrFormat("%d trailing byte%s", reader.remaining(),
                                                      reader.remaining() == 1 ? "" : "s"));
  }

  // The message is complete: only now may the streamed-block state change.
  if (type == static_cast<char>(MessageType::kStreamStart)) {
    in_streamed_block_ = true;
  } else if (type == static_cast<char>(MessageType::kStreamStop)) {
    in_streamed_block_ = false;
  }
  return absl::OkStatus();
}

absl::Status Decoder::DecodeBody(char type, Reader& reader, Message* out) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::kBegin:
      return DecodeBegin(reader, out);
    case MessageType::kCommit:
      return DecodeCommit(reader, out);
    case MessageType::kOrigin:
      return DecodeOrigin(reader, out);
    case MessageType::kRelation:
      return DecodeRelation(reader, out);
    case MessageType::kType:
      return DecodeType(reader, out);
    case MessageType::kInsert:
      return DecodeInsert(reader, out);
    case MessageType::kUpdate:
      return DecodeUpdate(reader, out);
    case MessageType::kDelete:
      return DecodeDelete(reader, out);
    case MessageType::kTruncate:
      return DecodeTruncate(reader, out);
    case MessageType::kMessage:
      return DecodeLogicalMessage(reader, out);
    case MessageType::kStreamStart:
      return DecodeStreamStart(reader, out);
    case MessageType::kStreamStop:
      out->emplace<StreamStop>();
      return absl::OkStatus();
    case MessageType::kStreamCommit:
      return DecodeStreamCommit(reader, out);
    case MessageType::kStreamAbort:
      return DecodeStreamAbort(reader, out);
    case MessageType::kBeginPrepare:
      return DecodeBeginPrepare(reader, out);
    case MessageType::kPrepare:
      return DecodePrepare(reader, &out->emplace<Prepare>());
    case MessageType::kCommitPrepared:
      return DecodeCommitPrepared(reader, out);
    case MessageType::kRollbackPrepared:
      return DecodeRollbackPrepared(reader, out);
    case MessageType::kStreamPrepare:
      return DecodePrepare(reader, &out->emplace<StreamPrepare>());
  }
  // Unreachable: Decode has checked the type byte.
  return reader.Error(0, "unknown message type");
}

absl::Status Decoder::ReadStreamedXid(Reader& reader, Xid* xid) {
  if (!in_streamed_block_) return absl::OkStatus();
  return reader.ReadXid({"streamed transaction xid"}, xid);
}

absl::Status Decoder::DecodeBegin(Reader& reader, Message* out) {
  Begin& m = out->emplace<Begin>();
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"final LSN"}, &m.final_lsn));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadTimestamp({"commit time"}, &m.commit_time));
  return reader.ReadXid({"xid"}, &m.xid);
}

absl::Status Decoder::DecodeCommit(Reader& reader, Message* out) {
  Commit& m = out->emplace<Commit>();
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU8({"flags"}, &m.flags));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"commit LSN"}, &m.commit_lsn));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"end LSN"}, &m.end_lsn));
  return reader.ReadTimestamp({"commit time"}, &m.commit_time);
}

absl::Status Decoder::DecodeOrigin(Reader& reader, Message* out) {
  Origin& m = out->emplace<Origin>();
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"origin LSN"}, &m.origin_lsn));
  return reader.ReadString({"origin name"}, &m.name);
}

absl::Status Decoder::DecodeRelation(Reader& reader, Message* out) {
  Relation& m = out->emplace<Relation>();
  TRACKOPS_RETURN_IF_ERROR(ReadStreamedXid(reader, &m.xid));
  uint32_t relation_id = 0;
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU32({"relation id"}, &relation_id));
  m.relation_id = RelationId(relation_id);
  TRACKOPS_RETURN_IF_ERROR(reader.ReadString({"namespace"}, &m.schema_name));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadString({"relation name"}, &m.relation_name));
  uint8_t replica_identity = 0;
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU8({"replica identity"}, &replica_identity));
  m.replica_identity = static_cast<char>(replica_identity);

  // Each column: Int8 flags, a String of at least its NUL, Int32, Int32.
  constexpr size_t kMinColumnBytes = 1 + 1 + 4 + 4;
  uint16_t count = 0;
  TRACKOPS_RETURN_IF_ERROR(
      reader.ReadColumnCount({"column count", "relation"}, kMinColumnBytes, &count));
  relation_columns_.clear();
  relation_columns_.reserve(count);
  for (int i = 1; i <= count; ++i) {
    RelationColumn& column = relation_columns_.emplace_back();
    TRACKOPS_RETURN_IF_ERROR(reader.ReadU8({"flags", "relation", i}, &column.flags));
    TRACKOPS_RETURN_IF_ERROR(reader.ReadString({"name", "relation", i}, &column.name));
    TRACKOPS_RETURN_IF_ERROR(reader.ReadU32({"type OID", "relation", i}, &column.type_oid));
    TRACKOPS_RETURN_IF_ERROR(
        reader.ReadI32({"type modifier", "relation", i}, &column.type_modifier));
  }
  m.columns = relation_columns_;
  return absl::OkStatus();
}

absl::Status Decoder::DecodeType(Reader& reader, Message* out) {
  Type& m = out->emplace<Type>();
  TRACKOPS_RETURN_IF_ERROR(ReadStreamedXid(reader, &m.xid));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU32({"type OID"}, &m.type_oid));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadString({"namespace"}, &m.schema_name));
  return reader.ReadString({"type name"}, &m.type_name);
}

absl::Status Decoder::ReadTuple(Reader& reader, const char* name) {
  uint16_t count = 0;
  // Each column takes at least its kind byte.
  TRACKOPS_RETURN_IF_ERROR(reader.ReadColumnCount({"column count", name}, 1, &count));
  const size_t start = reader.pos();
  if (ABSL_PREDICT_TRUE(reader.TryReadColumns(count, tuple_count_, &tuple_columns_))) {
    tuple_count_ += count;
    return absl::OkStatus();
  }
  // Malformed: read again, column by column, for the error naming the field.
  tuple_columns_.resize(tuple_count_);
  reader.Rewind(start);
  tuple_columns_.reserve(tuple_columns_.size() + count);
  for (int i = 1; i <= count; ++i) {
    const size_t kind_pos = reader.pos();
    uint8_t kind = 0;
    TRACKOPS_RETURN_IF_ERROR(reader.ReadU8({"kind", name, i}, &kind));
    TupleColumn column;
    column.kind = static_cast<TupleKind>(kind);
    switch (column.kind) {
      case TupleKind::kNull:
      case TupleKind::kUnchangedToast:
        break;
      case TupleKind::kText:
      case TupleKind::kBinary:
        TRACKOPS_RETURN_IF_ERROR(
            reader.ReadCountedBytes({"length", name, i}, {"data", name, i}, &column.data));
        break;
      default: {
        const Field field{"kind", name, i};
        return reader.Error(kind_pos, absl::StrFormat("unknown column kind %s", DescribeByte(kind)),
                            &field);
      }
    }
    tuple_columns_.push_back(column);
  }
  tuple_count_ = tuple_columns_.size();
  return absl::OkStatus();
}

absl::Status Decoder::DecodeInsert(Reader& reader, Message* out) {
  Insert& m = out->emplace<Insert>();
  TRACKOPS_RETURN_IF_ERROR(ReadStreamedXid(reader, &m.xid));
  uint32_t relation_id = 0;
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU32({"relation id"}, &relation_id));
  m.relation_id = RelationId(relation_id);
  char marker = 0;
  TRACKOPS_RETURN_IF_ERROR(reader.ReadMarker(&marker));
  if (marker != kNewTupleMarker) return reader.BadMarker(marker, "'N'");
  tuple_count_ = 0;
  TRACKOPS_RETURN_IF_ERROR(ReadTuple(reader, "new tuple"));
  m.new_tuple = Tuple(tuple_columns_.data(), tuple_count_);
  return absl::OkStatus();
}

absl::Status Decoder::DecodeUpdate(Reader& reader, Message* out) {
  Update& m = out->emplace<Update>();
  TRACKOPS_RETURN_IF_ERROR(ReadStreamedXid(reader, &m.xid));
  uint32_t relation_id = 0;
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU32({"relation id"}, &relation_id));
  m.relation_id = RelationId(relation_id);
  tuple_count_ = 0;
  char marker = 0;
  TRACKOPS_RETURN_IF_ERROR(reader.ReadMarker(&marker));
  if (marker == kKeyTupleMarker || marker == kOldTupleMarker) {
    m.old_tuple_kind = marker;
    TRACKOPS_RETURN_IF_ERROR(
        ReadTuple(reader, marker == kKeyTupleMarker ? "key tuple" : "old tuple"));
    TRACKOPS_RETURN_IF_ERROR(reader.ReadMarker(&marker));
    if (marker != kNewTupleMarker) return reader.BadMarker(marker, "'N'");
  } else if (marker != kNewTupleMarker) {
    return reader.BadMarker(marker, "'K', 'O' or 'N'");
  }
  const size_t old_count = tuple_count_;
  TRACKOPS_RETURN_IF_ERROR(ReadTuple(reader, "new tuple"));
  // Spans are taken only now: ReadTuple may have grown the vector.
  const Tuple all(tuple_columns_.data(), tuple_count_);
  m.old_tuple = all.first(old_count);
  m.new_tuple = all.subspan(old_count);
  return absl::OkStatus();
}

absl::Status Decoder::DecodeDelete(Reader& reader, Message* out) {
  Delete& m = out->emplace<Delete>();
  TRACKOPS_RETURN_IF_ERROR(ReadStreamedXid(reader, &m.xid));
  uint32_t relation_id = 0;
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU32({"relation id"}, &relation_id));
  m.relation_id = RelationId(relation_id);
  char marker = 0;
  TRACKOPS_RETURN_IF_ERROR(reader.ReadMarker(&marker));
  if (marker != kKeyTupleMarker && marker != kOldTupleMarker) {
    return reader.BadMarker(marker, "'K' or 'O'");
  }
  m.old_tuple_kind = marker;
  tuple_count_ = 0;
  TRACKOPS_RETURN_IF_ERROR(
      ReadTuple(reader, marker == kKeyTupleMarker ? "key tuple" : "old tuple"));
  m.old_tuple = Tuple(tuple_columns_.data(), tuple_count_);
  return absl::OkStatus();
}

absl::Status Decoder::DecodeTruncate(Reader& reader, Message* out) {
  Truncate& m = out->emplace<Truncate>();
  TRACKOPS_RETURN_IF_ERROR(ReadStreamedXid(reader, &m.xid));
  const size_t count_pos = reader.pos();
  const Field count_field{"relation count"};
  int32_t count = 0;
  TRACKOPS_RETURN_IF_ERROR(reader.ReadI32(count_field, &count));
  if (count < 0) {
    return reader.Error(count_pos, absl::StrFormat("negative relation count %d", count),
                        &count_field);
  }
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU8({"options"}, &m.options));
  if (static_cast<size_t>(count) > reader.remaining() / 4) {
    return reader.Error(count_pos,
                        absl::StrFormat("relation count %d does not fit in the %d remaining bytes",
                                        count, reader.remaining()),
                        &count_field);
  }
  truncate_relation_ids_.clear();
  truncate_relation_ids_.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    uint32_t relation_id = 0;
    TRACKOPS_RETURN_IF_ERROR(reader.ReadU32({"relation id"}, &relation_id));
    truncate_relation_ids_.push_back(RelationId(relation_id));
  }
  m.relation_ids = truncate_relation_ids_;
  return absl::OkStatus();
}

absl::Status Decoder::DecodeLogicalMessage(Reader& reader, Message* out) {
  LogicalMessage& m = out->emplace<LogicalMessage>();
  TRACKOPS_RETURN_IF_ERROR(ReadStreamedXid(reader, &m.xid));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU8({"flags"}, &m.flags));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"message LSN"}, &m.lsn));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadString({"prefix"}, &m.prefix));
  return reader.ReadCountedBytes({"content length"}, {"content"}, &m.content);
}

absl::Status Decoder::DecodeStreamStart(Reader& reader, Message* out) {
  StreamStart& m = out->emplace<StreamStart>();
  TRACKOPS_RETURN_IF_ERROR(reader.ReadXid({"xid"}, &m.xid));
  uint8_t first_segment = 0;
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU8({"first segment"}, &first_segment));
  m.first_segment = first_segment == 1;
  return absl::OkStatus();
}

absl::Status Decoder::DecodeStreamCommit(Reader& reader, Message* out) {
  StreamCommit& m = out->emplace<StreamCommit>();
  TRACKOPS_RETURN_IF_ERROR(reader.ReadXid({"xid"}, &m.xid));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU8({"flags"}, &m.flags));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"commit LSN"}, &m.commit_lsn));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"end LSN"}, &m.end_lsn));
  return reader.ReadTimestamp({"commit time"}, &m.commit_time);
}

absl::Status Decoder::DecodeStreamAbort(Reader& reader, Message* out) {
  StreamAbort& m = out->emplace<StreamAbort>();
  TRACKOPS_RETURN_IF_ERROR(reader.ReadXid({"xid"}, &m.xid));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadXid({"subtransaction xid"}, &m.subxid));
  if (options_.protocol_version >= kProtocolVersionParallel && options_.streaming_parallel) {
    TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"abort LSN"}, &m.abort_lsn));
    TRACKOPS_RETURN_IF_ERROR(reader.ReadTimestamp({"abort time"}, &m.abort_time));
    m.has_abort_lsn = true;
  }
  return absl::OkStatus();
}

absl::Status Decoder::DecodeBeginPrepare(Reader& reader, Message* out) {
  BeginPrepare& m = out->emplace<BeginPrepare>();
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"prepare LSN"}, &m.prepare_lsn));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"end LSN"}, &m.end_lsn));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadTimestamp({"prepare time"}, &m.prepare_time));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadXid({"xid"}, &m.xid));
  return reader.ReadString({"gid"}, &m.gid);
}

absl::Status Decoder::DecodePrepare(Reader& reader, Prepare* out) {
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU8({"flags"}, &out->flags));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"prepare LSN"}, &out->prepare_lsn));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"end LSN"}, &out->end_lsn));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadTimestamp({"prepare time"}, &out->prepare_time));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadXid({"xid"}, &out->xid));
  return reader.ReadString({"gid"}, &out->gid);
}

absl::Status Decoder::DecodeCommitPrepared(Reader& reader, Message* out) {
  CommitPrepared& m = out->emplace<CommitPrepared>();
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU8({"flags"}, &m.flags));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"commit LSN"}, &m.commit_lsn));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"end LSN"}, &m.end_lsn));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadTimestamp({"commit time"}, &m.commit_time));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadXid({"xid"}, &m.xid));
  return reader.ReadString({"gid"}, &m.gid);
}

absl::Status Decoder::DecodeRollbackPrepared(Reader& reader, Message* out) {
  RollbackPrepared& m = out->emplace<RollbackPrepared>();
  TRACKOPS_RETURN_IF_ERROR(reader.ReadU8({"flags"}, &m.flags));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"prepare end LSN"}, &m.prepare_end_lsn));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadLsn({"rollback end LSN"}, &m.rollback_end_lsn));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadTimestamp({"prepare time"}, &m.prepare_time));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadTimestamp({"rollback time"}, &m.rollback_time));
  TRACKOPS_RETURN_IF_ERROR(reader.ReadXid({"xid"}, &m.xid));
  return reader.ReadString({"gid"}, &m.gid);
}

}  // namespace trackops::pgoutput
