#include "pgoutput/decoder.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pgoutput/capture_file.h"
#include "pgoutput/pgoutput_format.h"
#include "pgoutput/test_bytes.h"

namespace trackops::pgoutput {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

// ---------------------------------------------------------------------------
// Test helpers.

// Matches an absl::Status (or StatusOr) whose code is `code` and whose message
// contains `substr`. Abseil 20220623 ships no status matchers.
const absl::Status& StatusOf(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

// Matches an absl::Status (or StatusOr) whose code is `code` and whose message
// contains `substr`. Abseil 20220623 ships no status matchers.
MATCHER_P2(StatusIs, code, substr,
           absl::StrCat("has code ", absl::StatusCodeToString(code), " and a message containing \"",
                        substr, "\"")) {
  const absl::Status& status = StatusOf(arg);
  if (status.code() == code && status.message().find(substr) != absl::string_view::npos) {
    return true;
  }
  *result_listener << "status is " << status;
  return false;
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = StatusOf(arg);
  if (status.ok()) return true;
  *result_listener << "status is " << status;
  return false;
}

std::unique_ptr<Decoder> NewDecoder(int protocol_version = 1, bool streaming_parallel = false) {
  auto decoder = Decoder::Create(
      {.protocol_version = protocol_version, .streaming_parallel = streaming_parallel});
  EXPECT_THAT(decoder, IsOk());
  return decoder.ok() ? *std::move(decoder) : nullptr;
}

constexpr uint32_t kStreamXid = 7001;

// Puts `decoder` inside a streamed block for transaction kStreamXid.
void EnterStreamedBlock(Decoder& decoder) {
  Message message;
  ASSERT_THAT(decoder.Decode(Bytes('S').Int32(kStreamXid).Byte(uint8_t{1}), &message), IsOk());
  ASSERT_TRUE(decoder.in_streamed_block());
}

absl::Status DecodeStatus(Decoder& decoder, std::span<const uint8_t> bytes) {
  Message message;
  return decoder.Decode(bytes, &message);
}

// Abseil 20220623 here is built without std::string_view aliasing.
absl::string_view AbslView(std::string_view view) { return {view.data(), view.size()}; }

std::string ColumnString(const TupleColumn& column) {
  switch (column.kind) {
    case TupleKind::kNull:
      return "null";
    case TupleKind::kUnchangedToast:
      return "unchanged";
    case TupleKind::kText:
      return absl::StrCat("t:", AbslView(column.data));
    case TupleKind::kBinary:
      return absl::StrCat("b:", absl::CHexEscape(AbslView(column.data)));
  }
  return "?";
}

std::vector<std::string> TupleStrings(Tuple tuple) {
  std::vector<std::string> out;
  for (const TupleColumn& column : tuple) out.push_back(ColumnString(column));
  return out;
}

// Every string_view of a decoded message.
std::vector<std::string_view> StringViewsOf(const Message& message) {
  std::vector<std::string_view> views;
  auto add_tuple = [&](Tuple tuple) {
    for (const TupleColumn& column : tuple) views.push_back(column.data);
  };
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Origin>) {
          views.push_back(m.name);
        } else if constexpr (std::is_same_v<T, Relation>) {
          views.push_back(m.schema_name);
          views.push_back(m.relation_name);
          for (const RelationColumn& column : m.columns) views.push_back(column.name);
        } else if constexpr (std::is_same_v<T, Type>) {
          views.push_back(m.schema_name);
          views.push_back(m.type_name);
        } else if constexpr (std::is_same_v<T, Insert>) {
          add_tuple(m.new_tuple);
        } else if constexpr (std::is_same_v<T, Update>) {
          add_tuple(m.old_tuple);
          add_tuple(m.new_tuple);
        } else if constexpr (std::is_same_v<T, Delete>) {
          add_tuple(m.old_tuple);
        } else if constexpr (std::is_same_v<T, LogicalMessage>) {
          views.push_back(m.prefix);
          views.push_back(m.content);
        } else if constexpr (std::is_same_v<T, BeginPrepare> || std::is_base_of_v<Prepare, T> ||
                             std::is_same_v<T, CommitPrepared> ||
                             std::is_same_v<T, RollbackPrepared>) {
          views.push_back(m.gid);
        }
      },
      message);
  return views;
}

// True when every non-empty string_view of `message` lies inside `bytes`.
bool ViewsInside(const Message& message, std::span<const uint8_t> bytes) {
  const auto* begin = reinterpret_cast<const char*>(bytes.data());
  const auto* end = begin + bytes.size();
  for (std::string_view view : StringViewsOf(message)) {
    if (view.empty()) continue;
    if (view.data() < begin || view.data() + view.size() > end) return false;
  }
  return true;
}

constexpr uint64_t kLsnA = 0x16B374D848;
constexpr uint64_t kLsnB = 0x16B374D900;
constexpr uint64_t kLsnC = 0x16B3750000;
constexpr UnixMicros kTimeA = 1700000000123456;  // 2023-11-14T22:13:20.123456Z
constexpr UnixMicros kTimeB = 1700000001000000;

// ---------------------------------------------------------------------------
// Options.

TEST(DecoderCreateTest, AcceptsEveryProtocolVersion) {
  for (int version = kProtocolVersionMin; version <= kProtocolVersionMax; ++version) {
    auto decoder = Decoder::Create({.protocol_version = version});
    ASSERT_THAT(decoder, IsOk());
    EXPECT_EQ((*decoder)->options().protocol_version, version);
    EXPECT_FALSE((*decoder)->in_streamed_block());
  }
  EXPECT_THAT(Decoder::Create({.protocol_version = 4, .streaming_parallel = true}), IsOk());
}

TEST(DecoderCreateTest, DefaultsToProtocolVersionOne) {
  auto decoder = Decoder::Create({});
  ASSERT_THAT(decoder, IsOk());
  EXPECT_EQ((*decoder)->options().protocol_version, 1);
  EXPECT_FALSE((*decoder)->options().streaming_parallel);
}

TEST(DecoderCreateTest, RejectsBadOptions) {
  EXPECT_THAT(Decoder::Create({.protocol_version = 0}),
              StatusIs(absl::StatusCode::kInvalidArgument, "protocol_version 0"));
  EXPECT_THAT(Decoder::Create({.protocol_version = 5}),
              StatusIs(absl::StatusCode::kInvalidArgument, "protocol_version 5"));
  EXPECT_THAT(Decoder::Create({.protocol_version = 3, .streaming_parallel = true}),
              StatusIs(absl::StatusCode::kInvalidArgument, "parallel"));
}

TEST(MessageTypeNameTest, NamesEveryType) {
  EXPECT_STREQ(MessageTypeName('B'), "Begin");
  EXPECT_STREQ(MessageTypeName('C'), "Commit");
  EXPECT_STREQ(MessageTypeName('O'), "Origin");
  EXPECT_STREQ(MessageTypeName('R'), "Relation");
  EXPECT_STREQ(MessageTypeName('Y'), "Type");
  EXPECT_STREQ(MessageTypeName('I'), "Insert");
  EXPECT_STREQ(MessageTypeName('U'), "Update");
  EXPECT_STREQ(MessageTypeName('D'), "Delete");
  EXPECT_STREQ(MessageTypeName('T'), "Truncate");
  EXPECT_STREQ(MessageTypeName('M'), "Message");
  EXPECT_STREQ(MessageTypeName('S'), "Stream Start");
  EXPECT_STREQ(MessageTypeName('E'), "Stream Stop");
  EXPECT_STREQ(MessageTypeName('c'), "Stream Commit");
  EXPECT_STREQ(MessageTypeName('A'), "Stream Abort");
  EXPECT_STREQ(MessageTypeName('b'), "Begin Prepare");
  EXPECT_STREQ(MessageTypeName('P'), "Prepare");
  EXPECT_STREQ(MessageTypeName('K'), "Commit Prepared");
  EXPECT_STREQ(MessageTypeName('r'), "Rollback Prepared");
  EXPECT_STREQ(MessageTypeName('p'), "Stream Prepare");
  EXPECT_STREQ(MessageTypeName('x'), "Unknown");
  EXPECT_STREQ(MessageTypeName('\0'), "Unknown");
}

// Keeps a copy of every input alive for the whole test, so that the views of
// decoded messages stay valid after the builder temporary is gone.
class DecoderTest : public ::testing::Test {
 protected:
  // Decodes `bytes`, expecting success and a message of type T.
  template <typename T>
  T DecodeAs(Decoder& decoder, std::span<const uint8_t> bytes) {
    const std::vector<uint8_t>& input = inputs_.emplace_back(bytes.begin(), bytes.end());
    Message message;
    const absl::Status status = decoder.Decode(input, &message);
    EXPECT_THAT(status, IsOk());
    if (!status.ok()) return T{};
    EXPECT_TRUE(std::holds_alternative<T>(message)) << "variant index " << message.index();
    if (!std::holds_alternative<T>(message)) return T{};
    EXPECT_TRUE(ViewsInside(message, input));
    return std::get<T>(message);
  }

 private:
  std::deque<std::vector<uint8_t>> inputs_;
};

// ---------------------------------------------------------------------------
// Each message type, decoded with its exact field values.

TEST_F(DecoderTest, Begin) {
  auto decoder = NewDecoder();
  const Begin m =
      DecodeAs<Begin>(*decoder, Bytes('B').Lsn(kLsnA).Timestamp(kTimeA).Int32(0xFEDCBA98));
  EXPECT_EQ(m.final_lsn, Lsn(kLsnA));
  EXPECT_EQ(m.commit_time, kTimeA);
  EXPECT_EQ(m.xid, Xid(0xFEDCBA98));
}

TEST_F(DecoderTest, TimestampsAreConvertedFromThePostgresEpoch) {
  auto decoder = NewDecoder();
  // 0 on the wire is 2000-01-01 00:00:00 UTC.
  Begin m = DecodeAs<Begin>(*decoder, Bytes('B').Lsn(kLsnA).Int64(0).Int32(1));
  EXPECT_EQ(m.commit_time, 946684800LL * 1000000);
  // Before 2000: negative on the wire.
  m = DecodeAs<Begin>(*decoder,
                      Bytes('B').Lsn(kLsnA).Int64(static_cast<uint64_t>(int64_t{-1})).Int32(1));
  EXPECT_EQ(m.commit_time, 946684800LL * 1000000 - 1);
}

TEST_F(DecoderTest, Commit) {
  auto decoder = NewDecoder();
  const Commit m = DecodeAs<Commit>(
      *decoder, Bytes('C').Byte(uint8_t{0}).Lsn(kLsnA).Lsn(kLsnB).Timestamp(kTimeA));
  EXPECT_EQ(m.flags, 0);
  EXPECT_EQ(m.commit_lsn, Lsn(kLsnA));
  EXPECT_EQ(m.end_lsn, Lsn(kLsnB));
  EXPECT_EQ(m.commit_time, kTimeA);
}

TEST_F(DecoderTest, Origin) {
  auto decoder = NewDecoder();
  const Origin m = DecodeAs<Origin>(*decoder, Bytes('O').Lsn(kLsnC).String("pg_16390"));
  EXPECT_EQ(m.origin_lsn, Lsn(kLsnC));
  EXPECT_EQ(m.name, "pg_16390");
}

TEST_F(DecoderTest, Relation) {
  auto decoder = NewDecoder();
  const Bytes bytes = std::move(Bytes('R')
                                    .Int32(16384)
                                    .String("public")
                                    .String("orders")
                                    .Byte('d')
                                    .Int16(3)
                                    .Byte(uint8_t{1})
                                    .String("id")
                                    .Int32(23)
                                    .Int32(0xFFFFFFFF)
                                    .Byte(uint8_t{0})
                                    .String("note")
                                    .Int32(1043)
                                    .Int32(68)
                                    .Byte(uint8_t{0})
                                    .String("payload")
                                    .Int32(17)
                                    .Int32(0xFFFFFFFF));
  const Relation m = DecodeAs<Relation>(*decoder, bytes);
  EXPECT_EQ(m.xid, Xid(0));
  EXPECT_EQ(m.relation_id, RelationId(16384));
  EXPECT_EQ(m.schema_name, "public");
  EXPECT_EQ(m.relation_name, "orders");
  EXPECT_EQ(m.replica_identity, kReplicaIdentityDefault);
  ASSERT_THAT(m.columns, SizeIs(3));
  EXPECT_EQ(m.columns[0].flags, kColumnFlagKey);
  EXPECT_EQ(m.columns[0].name, "id");
  EXPECT_EQ(m.columns[0].type_oid, 23u);
  EXPECT_EQ(m.columns[0].type_modifier, -1);
  EXPECT_EQ(m.columns[1].flags, 0);
  EXPECT_EQ(m.columns[1].name, "note");
  EXPECT_EQ(m.columns[1].type_oid, 1043u);
  EXPECT_EQ(m.columns[1].type_modifier, 68);  // varchar(64)
  EXPECT_EQ(m.columns[2].name, "payload");
  EXPECT_EQ(m.columns[2].type_oid, 17u);
}

TEST_F(DecoderTest, RelationInPgCatalogWithoutColumns) {
  auto decoder = NewDecoder();
  const Relation m =
      DecodeAs<Relation>(*decoder, Bytes('R').Int32(1).String("").String("t").Byte('f').Int16(0));
  EXPECT_EQ(m.schema_name, "");  // Empty means pg_catalog.
  EXPECT_EQ(m.relation_name, "t");
  EXPECT_EQ(m.replica_identity, kReplicaIdentityFull);
  EXPECT_TRUE(m.columns.empty());
}

TEST_F(DecoderTest, Type) {
  auto decoder = NewDecoder();
  const Type m = DecodeAs<Type>(*decoder, Bytes('Y').Int32(16390).String("public").String("mood"));
  EXPECT_EQ(m.xid, Xid(0));
  EXPECT_EQ(m.type_oid, 16390u);
  EXPECT_EQ(m.schema_name, "public");
  EXPECT_EQ(m.type_name, "mood");
}

TEST_F(DecoderTest, InsertWithEveryTupleKind) {
  auto decoder = NewDecoder();
  const std::string binary("\x00\x01\xff", 3);
  const Insert m = DecodeAs<Insert>(
      *decoder,
      Bytes('I').Int32(16384).Byte('N').Int16(5).Text("42").Null().Unchanged().Binary(binary).Text(
          ""));
  EXPECT_EQ(m.xid, Xid(0));
  EXPECT_EQ(m.relation_id, RelationId(16384));
  ASSERT_THAT(m.new_tuple, SizeIs(5));
  EXPECT_EQ(m.new_tuple[0].kind, TupleKind::kText);
  EXPECT_EQ(m.new_tuple[0].data, "42");
  EXPECT_EQ(m.new_tuple[1].kind, TupleKind::kNull);
  EXPECT_TRUE(m.new_tuple[1].data.empty());
  EXPECT_EQ(m.new_tuple[2].kind, TupleKind::kUnchangedToast);
  EXPECT_TRUE(m.new_tuple[2].data.empty());
  EXPECT_EQ(m.new_tuple[3].kind, TupleKind::kBinary);
  EXPECT_EQ(m.new_tuple[3].data, binary);
  EXPECT_EQ(m.new_tuple[4].kind, TupleKind::kText);
  EXPECT_EQ(m.new_tuple[4].data, "");
}

TEST_F(DecoderTest, InsertWithoutColumns) {
  auto decoder = NewDecoder();
  const Insert m = DecodeAs<Insert>(*decoder, Bytes('I').Int32(5).Byte('N').Int16(0));
  EXPECT_TRUE(m.new_tuple.empty());
}

TEST_F(DecoderTest, UpdateWithoutOldTuple) {
  auto decoder = NewDecoder();
  const Update m =
      DecodeAs<Update>(*decoder, Bytes('U').Int32(16384).Byte('N').Int16(2).Text("1").Text("b"));
  EXPECT_EQ(m.relation_id, RelationId(16384));
  EXPECT_EQ(m.old_tuple_kind, 0);
  EXPECT_TRUE(m.old_tuple.empty());
  EXPECT_THAT(TupleStrings(m.new_tuple), ElementsAre("t:1", "t:b"));
}

TEST_F(DecoderTest, UpdateWithKeyTuple) {
  auto decoder = NewDecoder();
  const Update m = DecodeAs<Update>(*decoder, Bytes('U')
                                                  .Int32(16384)
                                                  .Byte('K')
                                                  .Int16(2)
                                                  .Text("1")
                                                  .Null()
                                                  .Byte('N')
                                                  .Int16(2)
                                                  .Text("2")
                                                  .Unchanged());
  EXPECT_EQ(m.old_tuple_kind, kKeyTupleMarker);
  EXPECT_THAT(TupleStrings(m.old_tuple), ElementsAre("t:1", "null"));
  EXPECT_THAT(TupleStrings(m.new_tuple), ElementsAre("t:2", "unchanged"));
}

TEST_F(DecoderTest, UpdateWithOldTuple) {
  auto decoder = NewDecoder();
  const Update m = DecodeAs<Update>(*decoder, Bytes('U')
                                                  .Int32(16384)
                                                  .Byte('O')
                                                  .Int16(3)
                                                  .Text("1")
                                                  .Text("old")
                                                  .Binary("\x01")
                                                  .Byte('N')
                                                  .Int16(3)
                                                  .Text("1")
                                                  .Text("new")
                                                  .Null());
  EXPECT_EQ(m.old_tuple_kind, kOldTupleMarker);
  EXPECT_THAT(TupleStrings(m.old_tuple), ElementsAre("t:1", "t:old", "b:\\x01"));
  EXPECT_THAT(TupleStrings(m.new_tuple), ElementsAre("t:1", "t:new", "null"));
}

TEST_F(DecoderTest, DeleteWithKeyTuple) {
  auto decoder = NewDecoder();
  const Delete m =
      DecodeAs<Delete>(*decoder, Bytes('D').Int32(16384).Byte('K').Int16(2).Text("9").Null());
  EXPECT_EQ(m.relation_id, RelationId(16384));
  EXPECT_EQ(m.old_tuple_kind, kKeyTupleMarker);
  EXPECT_THAT(TupleStrings(m.old_tuple), ElementsAre("t:9", "null"));
}

TEST_F(DecoderTest, DeleteWithOldTuple) {
  auto decoder = NewDecoder();
  const Delete m =
      DecodeAs<Delete>(*decoder, Bytes('D').Int32(16384).Byte('O').Int16(2).Text("9").Text("gone"));
  EXPECT_EQ(m.old_tuple_kind, kOldTupleMarker);
  EXPECT_THAT(TupleStrings(m.old_tuple), ElementsAre("t:9", "t:gone"));
}

TEST_F(DecoderTest, Truncate) {
  auto decoder = NewDecoder();
  const Truncate m = DecodeAs<Truncate>(
      *decoder, Bytes('T')
                    .Int32(3)
                    .Byte(static_cast<uint8_t>(kTruncateCascade | kTruncateRestartIdentity))
                    .Int32(16384)
                    .Int32(16390)
                    .Int32(0xFFFFFFF0));
  EXPECT_EQ(m.xid, Xid(0));
  EXPECT_EQ(m.options, kTruncateCascade | kTruncateRestartIdentity);
  EXPECT_THAT(m.relation_ids,
              ElementsAre(RelationId(16384), RelationId(16390), RelationId(0xFFFFFFF0)));
}

TEST_F(DecoderTest, TruncateWithoutRelations) {
  auto decoder = NewDecoder();
  const Truncate m = DecodeAs<Truncate>(*decoder, Bytes('T').Int32(0).Byte(uint8_t{0}));
  EXPECT_EQ(m.options, 0);
  EXPECT_TRUE(m.relation_ids.empty());
}

TEST_F(DecoderTest, TransactionalMessage) {
  auto decoder = NewDecoder();
  const std::string content("a\0b", 3);
  const LogicalMessage m =
      DecodeAs<LogicalMessage>(*decoder, Bytes('M')
                                             .Byte(kMessageFlagTransactional)
                                             .Lsn(kLsnA)
                                             .String("trackops")
                                             .Int32(static_cast<uint32_t>(content.size()))
                                             .Raw(content));
  EXPECT_EQ(m.xid, Xid(0));
  EXPECT_TRUE(m.transactional());
  EXPECT_EQ(m.lsn, Lsn(kLsnA));
  EXPECT_EQ(m.prefix, "trackops");
  EXPECT_EQ(m.content, content);
}

TEST_F(DecoderTest, NonTransactionalMessageWithEmptyContent) {
  auto decoder = NewDecoder();
  const LogicalMessage m = DecodeAs<LogicalMessage>(
      *decoder, Bytes('M').Byte(uint8_t{0}).Lsn(kLsnB).String("heartbeat").Int32(0));
  EXPECT_FALSE(m.transactional());
  EXPECT_EQ(m.lsn, Lsn(kLsnB));
  EXPECT_EQ(m.prefix, "heartbeat");
  EXPECT_EQ(m.content, "");
}

// ---------------------------------------------------------------------------
// Streaming (protocol 2+).

TEST_F(DecoderTest, StreamStartAndStopTrackTheBlock) {
  auto decoder = NewDecoder(2);
  const StreamStart start = DecodeAs<StreamStart>(*decoder, Bytes('S').Int32(700).Byte(uint8_t{1}));
  EXPECT_EQ(start.xid, Xid(700));
  EXPECT_TRUE(start.first_segment);
  EXPECT_TRUE(decoder->in_streamed_block());
  DecodeAs<StreamStop>(*decoder, Bytes('E'));
  EXPECT_FALSE(decoder->in_streamed_block());
  const StreamStart again = DecodeAs<StreamStart>(*decoder, Bytes('S').Int32(700).Byte(uint8_t{0}));
  EXPECT_FALSE(again.first_segment);
  EXPECT_TRUE(decoder->in_streamed_block());
  decoder->Reset();
  EXPECT_FALSE(decoder->in_streamed_block());
}

TEST_F(DecoderTest, ChangesInsideAStreamedBlockCarryTheXid) {
  auto decoder = NewDecoder(2);
  EnterStreamedBlock(*decoder);
  constexpr uint32_t kSubXid = 7002;

  const Relation relation = DecodeAs<Relation>(*decoder, Bytes('R')
                                                             .Int32(kSubXid)
                                                             .Int32(16384)
                                                             .String("public")
                                                             .String("t")
                                                             .Byte('d')
                                                             .Int16(1)
                                                             .Byte(uint8_t{1})
                                                             .String("id")
                                                             .Int32(20)
                                                             .Int32(0xFFFFFFFF));
  EXPECT_EQ(relation.xid, Xid(kSubXid));
  EXPECT_EQ(relation.relation_id, RelationId(16384));
  ASSERT_THAT(relation.columns, SizeIs(1));
  EXPECT_EQ(relation.columns[0].name, "id");

  const Type type =
      DecodeAs<Type>(*decoder, Bytes('Y').Int32(kStreamXid).Int32(16390).String("s").String("e"));
  EXPECT_EQ(type.xid, Xid(kStreamXid));
  EXPECT_EQ(type.type_oid, 16390u);

  const Insert insert = DecodeAs<Insert>(
      *decoder, Bytes('I').Int32(kSubXid).Int32(16384).Byte('N').Int16(1).Text("1"));
  EXPECT_EQ(insert.xid, Xid(kSubXid));
  EXPECT_EQ(insert.relation_id, RelationId(16384));
  EXPECT_THAT(TupleStrings(insert.new_tuple), ElementsAre("t:1"));

  const Update update = DecodeAs<Update>(*decoder, Bytes('U')
                                                       .Int32(kStreamXid)
                                                       .Int32(16384)
                                                       .Byte('K')
                                                       .Int16(1)
                                                       .Text("1")
                                                       .Byte('N')
                                                       .Int16(1)
                                                       .Text("2"));
  EXPECT_EQ(update.xid, Xid(kStreamXid));
  EXPECT_THAT(TupleStrings(update.old_tuple), ElementsAre("t:1"));
  EXPECT_THAT(TupleStrings(update.new_tuple), ElementsAre("t:2"));

  const Delete del = DecodeAs<Delete>(
      *decoder, Bytes('D').Int32(kStreamXid).Int32(16384).Byte('K').Int16(1).Text("2"));
  EXPECT_EQ(del.xid, Xid(kStreamXid));
  EXPECT_THAT(TupleStrings(del.old_tuple), ElementsAre("t:2"));

  const Truncate truncate = DecodeAs<Truncate>(
      *decoder, Bytes('T').Int32(kStreamXid).Int32(1).Byte(uint8_t{0}).Int32(16384));
  EXPECT_EQ(truncate.xid, Xid(kStreamXid));
  EXPECT_THAT(truncate.relation_ids, ElementsAre(RelationId(16384)));

  const LogicalMessage message = DecodeAs<LogicalMessage>(
      *decoder,
      Bytes('M').Int32(kStreamXid).Byte(uint8_t{1}).Lsn(kLsnA).String("p").Int32(1).Raw("x"));
  EXPECT_EQ(message.xid, Xid(kStreamXid));
  EXPECT_EQ(message.prefix, "p");
  EXPECT_EQ(message.content, "x");

  // Origin has no xid, even inside a streamed block.
  const Origin origin = DecodeAs<Origin>(*decoder, Bytes('O').Lsn(kLsnC).String("o"));
  EXPECT_EQ(origin.origin_lsn, Lsn(kLsnC));
  EXPECT_EQ(origin.name, "o");

  DecodeAs<StreamStop>(*decoder, Bytes('E'));
  // After Stream Stop the same bytes no longer parse: the xid is gone.
  EXPECT_THAT(
      DecodeStatus(*decoder, Bytes('I').Int32(kSubXid).Int32(16384).Byte('N').Int16(1).Text("1")),
      StatusIs(absl::StatusCode::kDataLoss, "pgoutput Insert: expected tuple marker 'N'"));
}

TEST_F(DecoderTest, StreamCommit) {
  auto decoder = NewDecoder(2);
  const StreamCommit m = DecodeAs<StreamCommit>(
      *decoder, Bytes('c').Int32(700).Byte(uint8_t{0}).Lsn(kLsnA).Lsn(kLsnB).Timestamp(kTimeA));
  EXPECT_EQ(m.xid, Xid(700));
  EXPECT_EQ(m.flags, 0);
  EXPECT_EQ(m.commit_lsn, Lsn(kLsnA));
  EXPECT_EQ(m.end_lsn, Lsn(kLsnB));
  EXPECT_EQ(m.commit_time, kTimeA);
}

TEST_F(DecoderTest, StreamAbortWithoutAbortInfo) {
  // Protocols 2 and 3, and 4 without streaming = parallel: two xids only.
  for (int version : {2, 3, 4}) {
    SCOPED_TRACE(version);
    auto decoder = NewDecoder(version);
    const StreamAbort m = DecodeAs<StreamAbort>(*decoder, Bytes('A').Int32(700).Int32(701));
    EXPECT_EQ(m.xid, Xid(700));
    EXPECT_EQ(m.subxid, Xid(701));
    EXPECT_FALSE(m.has_abort_lsn);
    EXPECT_EQ(m.abort_lsn, Lsn());
    EXPECT_EQ(m.abort_time, 0);
    // The parallel layout is too long here.
    EXPECT_THAT(
        DecodeStatus(*decoder, Bytes('A').Int32(700).Int32(701).Lsn(kLsnA).Timestamp(kTimeA)),
        StatusIs(absl::StatusCode::kDataLoss,
                 "pgoutput Stream Abort: 16 trailing bytes at byte 9 of 25"));
  }
}

TEST_F(DecoderTest, StreamAbortWithAbortInfo) {
  auto decoder = NewDecoder(4, /*streaming_parallel=*/true);
  const StreamAbort m = DecodeAs<StreamAbort>(
      *decoder, Bytes('A').Int32(700).Int32(700).Lsn(kLsnC).Timestamp(kTimeB));
  EXPECT_EQ(m.xid, Xid(700));
  EXPECT_EQ(m.subxid, Xid(700));
  EXPECT_TRUE(m.has_abort_lsn);
  EXPECT_EQ(m.abort_lsn, Lsn(kLsnC));
  EXPECT_EQ(m.abort_time, kTimeB);
  // The short layout is truncated here.
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('A').Int32(700).Int32(700)),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput Stream Abort: truncated at byte 9 of 9 (reading abort LSN)"));
}

// ---------------------------------------------------------------------------
// Two-phase commit (protocol 3+).

TEST_F(DecoderTest, BeginPrepare) {
  auto decoder = NewDecoder(3);
  const BeginPrepare m = DecodeAs<BeginPrepare>(
      *decoder, Bytes('b').Lsn(kLsnA).Lsn(kLsnB).Timestamp(kTimeA).Int32(800).String("gid-1"));
  EXPECT_EQ(m.prepare_lsn, Lsn(kLsnA));
  EXPECT_EQ(m.end_lsn, Lsn(kLsnB));
  EXPECT_EQ(m.prepare_time, kTimeA);
  EXPECT_EQ(m.xid, Xid(800));
  EXPECT_EQ(m.gid, "gid-1");
}

TEST_F(DecoderTest, Prepare) {
  auto decoder = NewDecoder(3);
  const Prepare m = DecodeAs<Prepare>(*decoder, Bytes('P')
                                                    .Byte(uint8_t{0})
                                                    .Lsn(kLsnA)
                                                    .Lsn(kLsnB)
                                                    .Timestamp(kTimeA)
                                                    .Int32(800)
                                                    .String("gid-1"));
  EXPECT_EQ(m.flags, 0);
  EXPECT_EQ(m.prepare_lsn, Lsn(kLsnA));
  EXPECT_EQ(m.end_lsn, Lsn(kLsnB));
  EXPECT_EQ(m.prepare_time, kTimeA);
  EXPECT_EQ(m.xid, Xid(800));
  EXPECT_EQ(m.gid, "gid-1");
}

TEST_F(DecoderTest, CommitPrepared) {
  auto decoder = NewDecoder(3);
  const CommitPrepared m = DecodeAs<CommitPrepared>(*decoder, Bytes('K')
                                                                  .Byte(uint8_t{0})
                                                                  .Lsn(kLsnB)
                                                                  .Lsn(kLsnC)
                                                                  .Timestamp(kTimeB)
                                                                  .Int32(800)
                                                                  .String("gid-1"));
  EXPECT_EQ(m.flags, 0);
  EXPECT_EQ(m.commit_lsn, Lsn(kLsnB));
  EXPECT_EQ(m.end_lsn, Lsn(kLsnC));
  EXPECT_EQ(m.commit_time, kTimeB);
  EXPECT_EQ(m.xid, Xid(800));
  EXPECT_EQ(m.gid, "gid-1");
}

TEST_F(DecoderTest, RollbackPrepared) {
  auto decoder = NewDecoder(3);
  const RollbackPrepared m = DecodeAs<RollbackPrepared>(*decoder, Bytes('r')
                                                                      .Byte(uint8_t{0})
                                                                      .Lsn(kLsnA)
                                                                      .Lsn(kLsnC)
                                                                      .Timestamp(kTimeA)
                                                                      .Timestamp(kTimeB)
                                                                      .Int32(800)
                                                                      .String("gid-1"));
  EXPECT_EQ(m.flags, 0);
  EXPECT_EQ(m.prepare_end_lsn, Lsn(kLsnA));
  EXPECT_EQ(m.rollback_end_lsn, Lsn(kLsnC));
  EXPECT_EQ(m.prepare_time, kTimeA);
  EXPECT_EQ(m.rollback_time, kTimeB);
  EXPECT_EQ(m.xid, Xid(800));
  EXPECT_EQ(m.gid, "gid-1");
}

TEST_F(DecoderTest, StreamPrepare) {
  auto decoder = NewDecoder(3);
  const StreamPrepare m = DecodeAs<StreamPrepare>(
      *decoder,
      Bytes('p').Byte(uint8_t{0}).Lsn(kLsnA).Lsn(kLsnB).Timestamp(kTimeA).Int32(801).String(""));
  EXPECT_EQ(m.prepare_lsn, Lsn(kLsnA));
  EXPECT_EQ(m.end_lsn, Lsn(kLsnB));
  EXPECT_EQ(m.prepare_time, kTimeA);
  EXPECT_EQ(m.xid, Xid(801));
  EXPECT_EQ(m.gid, "");
}

// ---------------------------------------------------------------------------
// Protocol versions and placement.

TEST_F(DecoderTest, RejectsMessagesTheProtocolVersionLacks) {
  auto v1 = NewDecoder(1);
  EXPECT_THAT(DecodeStatus(*v1, Bytes('S').Int32(1).Byte(uint8_t{1})),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput Stream Start: message type needs protocol version 2 or higher, "
                       "decoder is configured for version 1 at byte 0 of 6"));
  EXPECT_THAT(DecodeStatus(*v1, Bytes('A').Int32(1).Int32(1)),
              StatusIs(absl::StatusCode::kDataLoss, "pgoutput Stream Abort: message type needs"));
  EXPECT_THAT(DecodeStatus(*v1, Bytes('c').Int32(1)),
              StatusIs(absl::StatusCode::kDataLoss, "pgoutput Stream Commit: message type needs"));
  EXPECT_THAT(DecodeStatus(*v1, Bytes('E')),
              StatusIs(absl::StatusCode::kDataLoss, "pgoutput Stream Stop: message type needs"));

  auto v2 = NewDecoder(2);
  for (char type : {'b', 'P', 'K', 'r', 'p'}) {
    EXPECT_THAT(DecodeStatus(*v2, Bytes(type)),
                StatusIs(absl::StatusCode::kDataLoss,
                         absl::StrCat("pgoutput ", MessageTypeName(type),
                                      ": message type needs protocol version 3 or higher")));
  }
}

TEST_F(DecoderTest, RejectsStreamMessagesOutOfPlace) {
  auto decoder = NewDecoder(4);
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('E')),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput Stream Stop: unexpected outside a streamed block"));
  EnterStreamedBlock(*decoder);
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('S').Int32(1).Byte(uint8_t{0})),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput Stream Start: unexpected inside a streamed block"));
  for (char type : {'B', 'C', 'c', 'A', 'b', 'P', 'K', 'r', 'p'}) {
    EXPECT_THAT(DecodeStatus(*decoder, Bytes(type)),
                StatusIs(absl::StatusCode::kDataLoss,
                         absl::StrCat("pgoutput ", MessageTypeName(type),
                                      ": unexpected inside a streamed block")));
  }
  // Errors leave the state alone.
  EXPECT_TRUE(decoder->in_streamed_block());
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('E').Byte('x')),
              StatusIs(absl::StatusCode::kDataLoss, "pgoutput Stream Stop: 1 trailing byte"));
  EXPECT_TRUE(decoder->in_streamed_block());
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('E')), IsOk());
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('S').Int32(1)),
              StatusIs(absl::StatusCode::kDataLoss, "pgoutput Stream Start: truncated"));
  EXPECT_FALSE(decoder->in_streamed_block());
}

// ---------------------------------------------------------------------------
// Zero-copy and buffer reuse.

TEST_F(DecoderTest, StringsPointIntoTheInput) {
  auto decoder = NewDecoder();
  const Bytes bytes = std::move(Bytes('R')
                                    .Int32(1)
                                    .String("s")
                                    .String("r")
                                    .Byte('d')
                                    .Int16(1)
                                    .Byte(uint8_t{1})
                                    .String("c")
                                    .Int32(23)
                                    .Int32(0));
  Message message;
  ASSERT_THAT(decoder->Decode(bytes, &message), IsOk());
  const Relation& relation = std::get<Relation>(message);
  const auto* base = reinterpret_cast<const char*>(bytes.data().data());
  EXPECT_EQ(relation.schema_name.data(), base + 5);
  EXPECT_EQ(relation.relation_name.data(), base + 7);
  EXPECT_EQ(relation.columns[0].name.data(), base + 13);
  EXPECT_TRUE(ViewsInside(message, bytes));
}

TEST_F(DecoderTest, ReusesItsColumnStorage) {
  auto decoder = NewDecoder();
  Bytes big('U');
  big.Int32(1).Byte('O').Int16(40);
  for (int i = 0; i < 40; ++i) big.Text("v");
  big.Byte('N').Int16(40);
  for (int i = 0; i < 40; ++i) big.Null();
  const Update first = DecodeAs<Update>(*decoder, big);
  ASSERT_THAT(first.old_tuple, SizeIs(40));
  ASSERT_THAT(first.new_tuple, SizeIs(40));
  EXPECT_EQ(first.new_tuple.data(), first.old_tuple.data() + 40);

  // Smaller messages reuse the same storage: no allocation once grown.
  const Insert second =
      DecodeAs<Insert>(*decoder, Bytes('I').Int32(1).Byte('N').Int16(3).Text("a").Null().Null());
  EXPECT_EQ(second.new_tuple.data(), first.old_tuple.data());
  const Delete third = DecodeAs<Delete>(*decoder, Bytes('D').Int32(1).Byte('K').Int16(1).Text("a"));
  EXPECT_EQ(third.old_tuple.data(), first.old_tuple.data());

  const Truncate t1 =
      DecodeAs<Truncate>(*decoder, Bytes('T').Int32(3).Byte(uint8_t{0}).Int32(1).Int32(2).Int32(3));
  const Truncate t2 = DecodeAs<Truncate>(*decoder, Bytes('T').Int32(1).Byte(uint8_t{0}).Int32(9));
  EXPECT_EQ(t1.relation_ids.data(), t2.relation_ids.data());
  EXPECT_THAT(t2.relation_ids, ElementsAre(RelationId(9)));
}

// ---------------------------------------------------------------------------
// Malformed input: exact messages.

TEST(DecoderErrorTest, EmptyAndUnknownType) {
  auto decoder = NewDecoder(4);
  EXPECT_THAT(DecodeStatus(*decoder, std::span<const uint8_t>()),
              StatusIs(absl::StatusCode::kDataLoss, "pgoutput: empty message"));
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('X').Int32(1)),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput: unknown message type 'X' (0x58) at byte 0 of 5"));
  EXPECT_THAT(
      DecodeStatus(*decoder, Bytes('\x01')),
      StatusIs(absl::StatusCode::kDataLoss, "pgoutput: unknown message type 0x01 at byte 0 of 1"));
}

TEST(DecoderErrorTest, TruncatedColumnLength) {
  auto decoder = NewDecoder();
  // 'I', relid (1-4), 'N' (5), count (6-7), column 1 'n' (8), column 2 't'
  // (9), then 2 of the 4 length bytes.
  Bytes bytes('I');
  bytes.Int32(16384).Byte('N').Int16(2).Null().Byte('t').Byte(uint8_t{0}).Byte(uint8_t{0});
  const absl::Status status = DecodeStatus(*decoder, bytes);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(status.message(),
            "pgoutput Insert: truncated at byte 10 of 12 (reading new tuple column 2 length)");
}

TEST(DecoderErrorTest, TruncatedColumnData) {
  auto decoder = NewDecoder();
  EXPECT_THAT(
      DecodeStatus(*decoder, Bytes('I').Int32(1).Byte('N').Int16(1).Byte('t').Int32(5).Raw("abc")),
      StatusIs(absl::StatusCode::kDataLoss,
               "pgoutput Insert: truncated at byte 13 of 16 (reading new tuple column 1 "
               "data)"));
}

TEST(DecoderErrorTest, NegativeColumnLength) {
  auto decoder = NewDecoder();
  EXPECT_THAT(
      DecodeStatus(*decoder, Bytes('I').Int32(1).Byte('N').Int16(1).Byte('b').Int32(0xFFFFFFFF)),
      StatusIs(absl::StatusCode::kDataLoss,
               "pgoutput Insert: negative length -1 at byte 9 of 13 (reading new tuple column 1 "
               "length)"));
}

TEST(DecoderErrorTest, UnknownTupleKind) {
  auto decoder = NewDecoder();
  EXPECT_THAT(
      DecodeStatus(*decoder,
                   Bytes('U').Int32(1).Byte('O').Int16(2).Null().Byte('x').Byte('N').Int16(0)),
      StatusIs(absl::StatusCode::kDataLoss,
               "pgoutput Update: unknown column kind 'x' (0x78) at byte 9 of 13 (reading "
               "old tuple column 2 kind)"));
}

TEST(DecoderErrorTest, WrongTupleMarkers) {
  auto decoder = NewDecoder();
  EXPECT_THAT(
      DecodeStatus(*decoder, Bytes('I').Int32(1).Byte('K').Int16(0)),
      StatusIs(absl::StatusCode::kDataLoss,
               "pgoutput Insert: expected tuple marker 'N', got 'K' (0x4b) at byte 5 of 8"));
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('U').Int32(1).Byte('X').Int16(0)),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput Update: expected tuple marker 'K', 'O' or 'N', got 'X'"));
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('U').Int32(1).Byte('K').Int16(0).Byte('K').Int16(0)),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput Update: expected tuple marker 'N', got 'K' (0x4b) at byte 8"));
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('D').Int32(1).Byte('N').Int16(0)),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput Delete: expected tuple marker 'K' or 'O', got 'N'"));
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('D').Int32(1)),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput Delete: truncated at byte 5 of 5 (reading tuple marker)"));
}

TEST(DecoderErrorTest, HostileColumnCounts) {
  auto decoder = NewDecoder();
  // Above PostgreSQL's limit.
  EXPECT_THAT(
      DecodeStatus(*decoder, Bytes('I').Int32(1).Byte('N').Int16(1665)),
      StatusIs(absl::StatusCode::kDataLoss,
               "pgoutput Insert: column count 1665 exceeds the limit of 1664 at byte 6 of 8 "
               "(reading new tuple column count)"));
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('I').Int32(1).Byte('N').Int16(0xFFFF)),
              StatusIs(absl::StatusCode::kDataLoss, "column count 65535 exceeds"));
  // Within the limit, but more columns than bytes left.
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('I').Int32(1).Byte('N').Int16(1664).Null().Null()),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput Insert: column count 1664 does not fit in the 2 remaining bytes"));
  // A Relation column takes at least 10 bytes.
  EXPECT_THAT(
      DecodeStatus(*decoder, Bytes('R').Int32(1).String("s").String("t").Byte('d').Int16(2).Raw(
                                 std::string(19, 'x'))),
      StatusIs(absl::StatusCode::kDataLoss,
               "pgoutput Relation: column count 2 does not fit in the 19 remaining bytes at "
               "byte 10 of 31 (reading relation column count)"));
  EXPECT_THAT(
      DecodeStatus(*decoder, Bytes('R').Int32(1).String("s").String("t").Byte('d').Int16(1700)),
      StatusIs(absl::StatusCode::kDataLoss, "column count 1700 exceeds the limit"));
}

TEST(DecoderErrorTest, HostileTruncateCounts) {
  auto decoder = NewDecoder();
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('T').Int32(0x80000000).Byte(uint8_t{0})),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput Truncate: negative relation count -2147483648 at byte 1 of 6"));
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('T').Int32(0x7FFFFFFF).Byte(uint8_t{0}).Int32(1)),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput Truncate: relation count 2147483647 does not fit in the 4 "
                       "remaining bytes at byte 1 of 10"));
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('T').Int32(2).Byte(uint8_t{0}).Int32(1).Int16(0)),
              StatusIs(absl::StatusCode::kDataLoss, "relation count 2 does not fit"));
}

TEST(DecoderErrorTest, UnterminatedStrings) {
  auto decoder = NewDecoder();
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('R').Int32(1).String("public").Raw("orders")),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput Relation: unterminated string at byte 12 of 18 (reading relation "
                       "name)"));
  EXPECT_THAT(
      DecodeStatus(*decoder, Bytes('O').Lsn(1).Raw("origin")),
      StatusIs(absl::StatusCode::kDataLoss,
               "pgoutput Origin: unterminated string at byte 9 of 15 (reading origin name)"));
}

TEST(DecoderErrorTest, NegativeMessageLength) {
  auto decoder = NewDecoder();
  EXPECT_THAT(
      DecodeStatus(*decoder, Bytes('M').Byte(uint8_t{0}).Lsn(1).String("p").Int32(0xFFFFFFFE)),
      StatusIs(absl::StatusCode::kDataLoss,
               "pgoutput Message: negative length -2 at byte 12 of 16 (reading content length)"));
  EXPECT_THAT(
      DecodeStatus(*decoder, Bytes('M').Byte(uint8_t{0}).Lsn(1).String("p").Int32(10).Raw("abc")),
      StatusIs(absl::StatusCode::kDataLoss,
               "pgoutput Message: truncated at byte 16 of 19 (reading content)"));
}

TEST(DecoderErrorTest, TimestampOutOfRange) {
  auto decoder = NewDecoder();
  EXPECT_THAT(DecodeStatus(*decoder, Bytes('B').Lsn(1).Int64(0x7FFFFFFFFFFFFFFF).Int32(1)),
              StatusIs(absl::StatusCode::kDataLoss,
                       "pgoutput Begin: timestamp 9223372036854775807 out of range at byte 9 of "
                       "21 (reading commit time)"));
}

TEST(DecoderErrorTest, TrailingBytes) {
  auto decoder = NewDecoder();
  EXPECT_THAT(
      DecodeStatus(*decoder, Bytes('I').Int32(1).Byte('N').Int16(1).Null().Raw("zzz")),
      StatusIs(absl::StatusCode::kDataLoss, "pgoutput Insert: 3 trailing bytes at byte 9 of 12"));
}

// ---------------------------------------------------------------------------
// Malformed input: sweeps over every valid message.

struct Sample {
  std::string name;  // MessageTypeName of the message.
  int protocol_version = 1;
  bool streaming_parallel = false;
  bool streamed = false;  // Decode inside a streamed block.
  std::vector<uint8_t> bytes;
};

std::vector<Sample> ValidSamples() {
  std::vector<Sample> samples;
  auto add = [&](int version, bool parallel, bool streamed, const Bytes& bytes) {
    samples.push_back({MessageTypeName(static_cast<char>(bytes.data()[0])), version, parallel,
                       streamed, bytes.data()});
  };
  for (bool streamed : {false, true}) {
    const int version = streamed ? 2 : 1;
    auto xid = [&](Bytes& b) -> Bytes& { return streamed ? b.Int32(kStreamXid) : b; };
    Bytes relation('R');
    xid(relation)
        .Int32(16384)
        .String("public")
        .String("orders")
        .Byte('i')
        .Int16(2)
        .Byte(uint8_t{1})
        .String("id")
        .Int32(23)
        .Int32(0xFFFFFFFF)
        .Byte(uint8_t{0})
        .String("note")
        .Int32(25)
        .Int32(0xFFFFFFFF);
    add(version, false, streamed, relation);
    Bytes type('Y');
    xid(type).Int32(16390).String("public").String("mood");
    add(version, false, streamed, type);
    Bytes insert('I');
    xid(insert).Int32(16384).Byte('N').Int16(4).Text("1").Null().Unchanged().Binary("\x00\x01");
    add(version, false, streamed, insert);
    Bytes update_plain('U');
    xid(update_plain).Int32(16384).Byte('N').Int16(2).Text("1").Text("x");
    add(version, false, streamed, update_plain);
    Bytes update_key('U');
    xid(update_key)
        .Int32(16384)
        .Byte('K')
        .Int16(2)
        .Text("1")
        .Null()
        .Byte('N')
        .Int16(2)
        .Text("2")
        .Text("y");
    add(version, false, streamed, update_key);
    Bytes update_old('U');
    xid(update_old)
        .Int32(16384)
        .Byte('O')
        .Int16(2)
        .Text("1")
        .Text("x")
        .Byte('N')
        .Int16(2)
        .Text("1")
        .Unchanged();
    add(version, false, streamed, update_old);
    Bytes delete_key('D');
    xid(delete_key).Int32(16384).Byte('K').Int16(1).Text("1");
    add(version, false, streamed, delete_key);
    Bytes delete_old('D');
    xid(delete_old).Int32(16384).Byte('O').Int16(2).Text("1").Binary("zz");
    add(version, false, streamed, delete_old);
    Bytes truncate('T');
    xid(truncate).Int32(2).Byte(uint8_t{1}).Int32(16384).Int32(16390);
    add(version, false, streamed, truncate);
    Bytes message('M');
    xid(message).Byte(uint8_t{1}).Lsn(kLsnA).String("prefix").Int32(5).Raw("hello");
    add(version, false, streamed, message);
    add(version, false, streamed, Bytes('O').Lsn(kLsnA).String("origin"));
  }
  add(1, false, false, Bytes('B').Lsn(kLsnA).Timestamp(kTimeA).Int32(700));
  add(1, false, false, Bytes('C').Byte(uint8_t{0}).Lsn(kLsnA).Lsn(kLsnB).Timestamp(kTimeA));
  add(2, false, false, Bytes('S').Int32(700).Byte(uint8_t{1}));
  add(2, false, true, Bytes('E'));
  add(2, false, false,
      Bytes('c').Int32(700).Byte(uint8_t{0}).Lsn(kLsnA).Lsn(kLsnB).Timestamp(kTimeA));
  add(2, false, false, Bytes('A').Int32(700).Int32(701));
  add(4, false, false, Bytes('A').Int32(700).Int32(701));
  add(4, true, false, Bytes('A').Int32(700).Int32(701).Lsn(kLsnC).Timestamp(kTimeB));
  add(3, false, false, Bytes('b').Lsn(kLsnA).Lsn(kLsnB).Timestamp(kTimeA).Int32(800).String("g"));
  add(3, false, false,
      Bytes('P').Byte(uint8_t{0}).Lsn(kLsnA).Lsn(kLsnB).Timestamp(kTimeA).Int32(800).String("g"));
  add(3, false, false,
      Bytes('K').Byte(uint8_t{0}).Lsn(kLsnB).Lsn(kLsnC).Timestamp(kTimeB).Int32(800).String("g"));
  add(3, false, false,
      Bytes('r')
          .Byte(uint8_t{0})
          .Lsn(kLsnA)
          .Lsn(kLsnC)
          .Timestamp(kTimeA)
          .Timestamp(kTimeB)
          .Int32(800)
          .String("g"));
  add(3, false, false,
      Bytes('p').Byte(uint8_t{0}).Lsn(kLsnA).Lsn(kLsnB).Timestamp(kTimeA).Int32(801).String("g"));
  return samples;
}

std::unique_ptr<Decoder> DecoderFor(const Sample& sample) {
  auto decoder = NewDecoder(sample.protocol_version, sample.streaming_parallel);
  if (decoder != nullptr && sample.streamed) EnterStreamedBlock(*decoder);
  return decoder;
}

std::string Describe(const Sample& sample) {
  return absl::StrCat(
      sample.name, " v", sample.protocol_version, sample.streaming_parallel ? " parallel" : "",
      sample.streamed ? " streamed" : "", " ",
      absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(sample.bytes.data()),
                                               sample.bytes.size())));
}

TEST(DecoderSweepTest, EverySampleDecodes) {
  const std::vector<Sample> samples = ValidSamples();
  EXPECT_THAT(samples, SizeIs(::testing::Ge(19u)));
  for (const Sample& sample : samples) {
    SCOPED_TRACE(Describe(sample));
    auto decoder = DecoderFor(sample);
    ASSERT_NE(decoder, nullptr);
    Message message;
    ASSERT_THAT(decoder->Decode(sample.bytes, &message), IsOk());
    EXPECT_STREQ(MessageTypeName(static_cast<char>(sample.bytes[0])), sample.name.c_str());
    EXPECT_TRUE(ViewsInside(message, sample.bytes));
  }
}

TEST(DecoderSweepTest, EveryPrefixIsDataLossNamingTheType) {
  for (const Sample& sample : ValidSamples()) {
    SCOPED_TRACE(Describe(sample));
    for (size_t length = 0; length < sample.bytes.size(); ++length) {
      SCOPED_TRACE(length);
      auto decoder = DecoderFor(sample);
      // A fresh copy of exactly `length` bytes, so ASan sees any overread.
      const std::vector<uint8_t> prefix(sample.bytes.begin(), sample.bytes.begin() + length);
      const absl::Status status = DecodeStatus(*decoder, prefix);
      if (length == 0) {
        EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss, "pgoutput: empty message"));
      } else {
        EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss,
                                     absl::StrCat("pgoutput ", sample.name, ": ")));
        EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss, absl::StrCat(" of ", length)));
      }
      EXPECT_EQ(decoder->in_streamed_block(), sample.streamed);
    }
  }
}

TEST(DecoderSweepTest, TrailingGarbageIsDataLoss) {
  for (const Sample& sample : ValidSamples()) {
    SCOPED_TRACE(Describe(sample));
    for (size_t extra : {1, 2, 9}) {
      auto decoder = DecoderFor(sample);
      std::vector<uint8_t> bytes = sample.bytes;
      bytes.insert(bytes.end(), extra, 0);
      EXPECT_THAT(DecodeStatus(*decoder, bytes),
                  StatusIs(absl::StatusCode::kDataLoss,
                           absl::StrCat("pgoutput ", sample.name, ": ", extra, " trailing byte")));
    }
  }
}

// Overwrites each byte with a handful of values: the result must be a clean
// DataLoss or a message whose strings all lie inside the input.
TEST(DecoderSweepTest, CorruptedBytesNeverEscapeTheInput) {
  for (const Sample& sample : ValidSamples()) {
    SCOPED_TRACE(Describe(sample));
    for (size_t i = 0; i < sample.bytes.size(); ++i) {
      const uint8_t original = sample.bytes[i];
      for (uint8_t value : {uint8_t{0x00}, uint8_t{0xFF}, uint8_t{0x7F}, uint8_t{0x80},
                            static_cast<uint8_t>(original ^ 0x01),
                            static_cast<uint8_t>(original + 1), uint8_t{'n'}, uint8_t{'N'}}) {
        std::vector<uint8_t> bytes = sample.bytes;
        bytes[i] = value;
        auto decoder = DecoderFor(sample);
        Message message;
        const absl::Status status = decoder->Decode(bytes, &message);
        if (status.ok()) {
          EXPECT_TRUE(ViewsInside(message, bytes)) << "byte " << i << " = " << int{value};
        } else {
          EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Captured bytes from a real PostgreSQL 15: tests/data/pgoutput/*.hex,
// recorded by tools/pgoutput-capture/ from the workloads in its scenarios/
// folder (read them next to these tests). Xids, LSNs and commit times change
// when the captures are regenerated; row values, names and the shape of each
// transaction do not.

constexpr UnixMicros kYear2024 = 1704067200000000;  // 2024-01-01T00:00:00Z
constexpr UnixMicros kYear2100 = 4102444800000000;  // 2100-01-01T00:00:00Z

// One decoded message of a capture. The spans of `message` are re-pointed at
// the copies below (the Decoder reuses its own storage on the next call);
// its string_views point into the capture's bytes.
struct Decoded {
  char type = 0;
  bool streamed = false;  // Decoded inside a streamed block.
  Message message;
  std::vector<TupleColumn> old_columns;
  std::vector<TupleColumn> new_columns;
  std::vector<RelationColumn> relation_columns;
  std::vector<RelationId> truncate_ids;
};

void TakeOwnership(Decoded& decoded) {
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Relation>) {
          decoded.relation_columns.assign(m.columns.begin(), m.columns.end());
          m.columns = decoded.relation_columns;
        } else if constexpr (std::is_same_v<T, Insert>) {
          decoded.new_columns.assign(m.new_tuple.begin(), m.new_tuple.end());
          m.new_tuple = decoded.new_columns;
        } else if constexpr (std::is_same_v<T, Update>) {
          decoded.old_columns.assign(m.old_tuple.begin(), m.old_tuple.end());
          decoded.new_columns.assign(m.new_tuple.begin(), m.new_tuple.end());
          m.old_tuple = decoded.old_columns;
          m.new_tuple = decoded.new_columns;
        } else if constexpr (std::is_same_v<T, Delete>) {
          decoded.old_columns.assign(m.old_tuple.begin(), m.old_tuple.end());
          m.old_tuple = decoded.old_columns;
        } else if constexpr (std::is_same_v<T, Truncate>) {
          decoded.truncate_ids.assign(m.relation_ids.begin(), m.relation_ids.end());
          m.relation_ids = decoded.truncate_ids;
        }
      },
      decoded.message);
}

// A capture file and all its messages decoded in order by one Decoder.
struct DecodedCapture {
  std::string name;
  CaptureFile file;
  std::deque<Decoded> messages;  // A deque: the spans inside stay put.
  std::string types;             // The type bytes in order, e.g. "BRIC".

  template <typename T>
  const T& Get(size_t i) const {
    static const T kEmpty{};
    EXPECT_LT(i, messages.size());
    if (i >= messages.size()) return kEmpty;
    const T* message = std::get_if<T>(&messages[i].message);
    EXPECT_NE(message, nullptr) << name << " message " << i + 1 << " is '" << types[i] << "'";
    return message != nullptr ? *message : kEmpty;
  }

  template <typename T>
  std::vector<const T*> All() const {
    std::vector<const T*> out;
    for (const Decoded& decoded : messages) {
      if (const T* message = std::get_if<T>(&decoded.message)) out.push_back(message);
    }
    return out;
  }

  // The Relation message named `relation_name` (the last one, if resent).
  const Relation* FindRelation(std::string_view relation_name) const {
    const Relation* found = nullptr;
    for (const Relation* relation : All<Relation>()) {
      if (relation->relation_name == relation_name) found = relation;
    }
    EXPECT_NE(found, nullptr) << "no Relation " << relation_name << " in " << name;
    return found;
  }
};

std::vector<std::filesystem::path> CaptureFiles() {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(CaptureDir(), error)) {
    if (entry.path().extension() == ".hex") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Loads and decodes tests/data/pgoutput/<name>.hex; null (after a test
// failure) when that fails.
std::unique_ptr<DecodedCapture> LoadDecoded(const std::string& name) {
  auto capture = std::make_unique<DecodedCapture>();
  capture->name = name;
  absl::StatusOr<CaptureFile> file = ReadCaptureFile(CaptureDir() / (name + ".hex"));
  EXPECT_THAT(file, IsOk());
  if (!file.ok()) return nullptr;
  capture->file = *std::move(file);
  auto decoder = Decoder::Create(capture->file.options);
  EXPECT_THAT(decoder, IsOk());
  if (!decoder.ok()) return nullptr;
  for (size_t i = 0; i < capture->file.messages.size(); ++i) {
    const std::vector<uint8_t>& bytes = capture->file.messages[i];
    Decoded& decoded = capture->messages.emplace_back();
    decoded.type = static_cast<char>(bytes[0]);
    decoded.streamed = (*decoder)->in_streamed_block();
    const absl::Status status = (*decoder)->Decode(bytes, &decoded.message);
    EXPECT_THAT(status, IsOk()) << name << " message " << i + 1;
    if (!status.ok()) return nullptr;
    EXPECT_TRUE(ViewsInside(decoded.message, bytes)) << name << " message " << i + 1;
    TakeOwnership(decoded);
    capture->types.push_back(decoded.type);
  }
  EXPECT_FALSE((*decoder)->in_streamed_block()) << name << " ends inside a streamed block";
  return capture;
}

// "name type_oid type_modifier [key]" for each column of a Relation.
std::vector<std::string> ColumnStrings(const Relation& relation) {
  std::vector<std::string> out;
  for (const RelationColumn& column : relation.columns) {
    out.push_back(absl::StrCat(AbslView(column.name), " ", column.type_oid, " ",
                               column.type_modifier,
                               (column.flags & kColumnFlagKey) != 0 ? " key" : ""));
  }
  return out;
}

std::string Bin(std::string_view bytes) {
  return absl::StrCat("b:", absl::CHexEscape(AbslView(bytes)));
}

TEST(DecoderCaptureTest, LoadsTheCaptureFormat) {
  const std::filesystem::path path =
      std::filesystem::path(::testing::TempDir()) / "pgoutput_capture_test.hex";
  {
    std::ofstream out(path);
    out << "# a comment\n# protocol_version: 4\n# streaming_parallel: true\n\n"
        << "530000000101 45\n";  // Two messages on one line: not hex.
  }
  EXPECT_THAT(ReadCaptureFile(path), StatusIs(absl::StatusCode::kInvalidArgument, ":5: not a hex"));
  {
    std::ofstream out(path);
    out << "# protocol_version: x\n";
  }
  EXPECT_THAT(ReadCaptureFile(path),
              StatusIs(absl::StatusCode::kInvalidArgument, ":1: bad protocol_version"));
  {
    std::ofstream out(path);
    out << "# Regenerate: a comment with two colons: ignored\n"
        << "# protocol_version: 4\n# streaming_parallel: true\n"
        << "0/16B374D8|\\x530000000101\n"
        << "0/16B374D8|Stream Stop|45\n"
        << "41000002bc000002bd00000016b37500000000000000000001\n";
  }
  absl::StatusOr<CaptureFile> capture = ReadCaptureFile(path);
  ASSERT_THAT(capture, IsOk());
  EXPECT_EQ(capture->options.protocol_version, 4);
  EXPECT_TRUE(capture->options.streaming_parallel);
  ASSERT_THAT(capture->messages, SizeIs(3));
  EXPECT_THAT(capture->messages[1], ElementsAre(uint8_t{'E'}));
  auto decoder = Decoder::Create(capture->options);
  ASSERT_THAT(decoder, IsOk());
  Message message;
  for (const std::vector<uint8_t>& bytes : capture->messages) {
    ASSERT_THAT((*decoder)->Decode(bytes, &message), IsOk());
  }
  ASSERT_TRUE(std::holds_alternative<StreamAbort>(message));
  EXPECT_EQ(std::get<StreamAbort>(message).abort_lsn, Lsn(kLsnC));
  std::filesystem::remove(path);
  EXPECT_THAT(ReadCaptureFile(path), StatusIs(absl::StatusCode::kNotFound, "cannot open"));
}

TEST(DecoderCaptureTest, EveryCaptureFileDecodes) {
  const std::vector<std::filesystem::path> files = CaptureFiles();
  ASSERT_THAT(files, SizeIs(::testing::Ge(11u))) << "captures missing from " << CaptureDir();
  for (const std::filesystem::path& file : files) {
    SCOPED_TRACE(file.string());
    std::unique_ptr<DecodedCapture> capture = LoadDecoded(file.stem().string());
    ASSERT_NE(capture, nullptr);
    EXPECT_FALSE(capture->messages.empty());
  }
}

// Together the captures hold every message type PostgreSQL 15 sends. (The
// protocol 4 Stream Abort with abort LSN and time needs PostgreSQL 16: it is
// covered by the hand-built tests above.)
TEST(DecoderCaptureTest, TheCapturesCoverEveryMessageType) {
  std::string seen;
  std::set<char> kinds;
  for (const std::filesystem::path& file : CaptureFiles()) {
    std::unique_ptr<DecodedCapture> capture = LoadDecoded(file.stem().string());
    ASSERT_NE(capture, nullptr);
    seen += capture->types;
    for (const Decoded& decoded : capture->messages) {
      auto add = [&](Tuple tuple) {
        for (const TupleColumn& column : tuple) kinds.insert(static_cast<char>(column.kind));
      };
      if (const auto* insert = std::get_if<Insert>(&decoded.message)) add(insert->new_tuple);
      if (const auto* update = std::get_if<Update>(&decoded.message)) {
        add(update->old_tuple);
        add(update->new_tuple);
      }
      if (const auto* del = std::get_if<Delete>(&decoded.message)) add(del->old_tuple);
    }
  }
  for (char type : std::string("BCORYIUDTMSEcAbPKrp")) {
    EXPECT_NE(seen.find(type), std::string::npos) << "no '" << type << "' message captured";
  }
  EXPECT_THAT(kinds, ElementsAre('b', 'n', 't', 'u'));
}

// Invariants PostgreSQL keeps in every capture: transactions are bracketed,
// commit records match their Begin, changes name a Relation sent before them
// with as many columns, streamed blocks carry their transaction's xid (or a
// later subtransaction's), prepared transactions keep their gid.
TEST(DecoderCaptureTest, EveryCaptureKeepsTheProtocolInvariants) {
  for (const std::filesystem::path& file : CaptureFiles()) {
    SCOPED_TRACE(file.string());
    std::unique_ptr<DecodedCapture> capture = LoadDecoded(file.stem().string());
    ASSERT_NE(capture, nullptr);
    std::map<uint32_t, size_t> relation_columns;  // Relation id -> column count.
    std::optional<Begin> begin;
    std::optional<BeginPrepare> begin_prepare;
    std::optional<Xid> block_xid;
    std::set<uint32_t> streamed_xids;
    auto check_time = [](UnixMicros time) {
      EXPECT_GE(time, kYear2024);
      EXPECT_LT(time, kYear2100);
    };
    auto check_change = [&](const Decoded& decoded, Xid xid, RelationId relation_id,
                            std::initializer_list<Tuple> tuples) {
      EXPECT_TRUE(relation_columns.count(relation_id.value())) << "no Relation before";
      for (Tuple tuple : tuples) {
        if (!tuple.empty()) {
          EXPECT_EQ(tuple.size(), relation_columns[relation_id.value()]);
        }
      }
      EXPECT_TRUE(begin || begin_prepare || block_xid) << "change outside a transaction";
      if (decoded.streamed) {
        EXPECT_GE(xid, *block_xid);
      } else {
        EXPECT_EQ(xid, Xid());
      }
    };
    for (size_t i = 0; i < capture->messages.size(); ++i) {
      SCOPED_TRACE(absl::StrCat("message ", i + 1, " '", std::string(1, capture->types[i]), "'"));
      const Decoded& decoded = capture->messages[i];
      EXPECT_EQ(decoded.streamed, block_xid.has_value());
      std::visit(
          [&](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, Begin>) {
              EXPECT_FALSE(begin || begin_prepare || block_xid);
              EXPECT_TRUE(m.final_lsn.is_valid());
              check_time(m.commit_time);
              begin = m;
            } else if constexpr (std::is_same_v<T, Commit>) {
              ASSERT_TRUE(begin.has_value());
              EXPECT_EQ(m.flags, 0);
              EXPECT_EQ(m.commit_lsn, begin->final_lsn);
              EXPECT_GT(m.end_lsn, m.commit_lsn);
              EXPECT_EQ(m.commit_time, begin->commit_time);
              begin.reset();
            } else if constexpr (std::is_same_v<T, Origin>) {
              EXPECT_TRUE(begin.has_value());
              EXPECT_FALSE(m.name.empty());
            } else if constexpr (std::is_same_v<T, Relation>) {
              relation_columns[m.relation_id.value()] = m.columns.size();
              EXPECT_FALSE(m.relation_name.empty());
              if (!decoded.streamed) {
                EXPECT_EQ(m.xid, Xid());
              }
            } else if constexpr (std::is_same_v<T, Type>) {
              EXPECT_GE(m.type_oid, 16384u);  // FirstNormalObjectId: user-defined.
              EXPECT_FALSE(m.type_name.empty());
            } else if constexpr (std::is_same_v<T, Insert>) {
              check_change(decoded, m.xid, m.relation_id, {m.new_tuple});
            } else if constexpr (std::is_same_v<T, Update>) {
              EXPECT_EQ(m.old_tuple.empty(), m.old_tuple_kind == 0);
              check_change(decoded, m.xid, m.relation_id, {m.old_tuple, m.new_tuple});
            } else if constexpr (std::is_same_v<T, Delete>) {
              check_change(decoded, m.xid, m.relation_id, {m.old_tuple});
            } else if constexpr (std::is_same_v<T, Truncate>) {
              EXPECT_FALSE(m.relation_ids.empty());
              for (RelationId id : m.relation_ids) EXPECT_TRUE(relation_columns.count(id.value()));
            } else if constexpr (std::is_same_v<T, LogicalMessage>) {
              EXPECT_TRUE(m.lsn.is_valid());
              if (!m.transactional()) {
                EXPECT_FALSE(decoded.streamed);
              }
            } else if constexpr (std::is_same_v<T, StreamStart>) {
              EXPECT_FALSE(begin || begin_prepare);
              EXPECT_EQ(m.first_segment, streamed_xids.insert(m.xid.value()).second);
              block_xid = m.xid;
            } else if constexpr (std::is_same_v<T, StreamStop>) {
              block_xid.reset();
            } else if constexpr (std::is_same_v<T, StreamCommit>) {
              EXPECT_EQ(streamed_xids.erase(m.xid.value()), 1u);
              EXPECT_GT(m.end_lsn, m.commit_lsn);
              check_time(m.commit_time);
            } else if constexpr (std::is_same_v<T, StreamAbort>) {
              EXPECT_TRUE(streamed_xids.count(m.xid.value()));
              EXPECT_GE(m.subxid, m.xid);
              EXPECT_FALSE(m.has_abort_lsn);
              if (m.subxid == m.xid) streamed_xids.erase(m.xid.value());
            } else if constexpr (std::is_same_v<T, BeginPrepare>) {
              EXPECT_FALSE(begin || begin_prepare || block_xid);
              EXPECT_GT(m.end_lsn, m.prepare_lsn);
              check_time(m.prepare_time);
              begin_prepare = m;
            } else if constexpr (std::is_same_v<T, StreamPrepare>) {
              EXPECT_EQ(streamed_xids.erase(m.xid.value()), 1u);
              EXPECT_GT(m.end_lsn, m.prepare_lsn);
              EXPECT_FALSE(m.gid.empty());
            } else if constexpr (std::is_same_v<T, Prepare>) {
              ASSERT_TRUE(begin_prepare.has_value());
              EXPECT_EQ(m.prepare_lsn, begin_prepare->prepare_lsn);
              EXPECT_EQ(m.end_lsn, begin_prepare->end_lsn);
              EXPECT_EQ(m.prepare_time, begin_prepare->prepare_time);
              EXPECT_EQ(m.xid, begin_prepare->xid);
              EXPECT_EQ(m.gid, begin_prepare->gid);
              begin_prepare.reset();
            } else if constexpr (std::is_same_v<T, CommitPrepared>) {
              EXPECT_FALSE(begin || begin_prepare || block_xid);
              EXPECT_GT(m.end_lsn, m.commit_lsn);
              check_time(m.commit_time);
            } else if constexpr (std::is_same_v<T, RollbackPrepared>) {
              EXPECT_FALSE(begin || begin_prepare || block_xid);
              EXPECT_GT(m.rollback_end_lsn, m.prepare_end_lsn);
              EXPECT_GE(m.rollback_time, m.prepare_time);
            }
          },
          decoded.message);
    }
    EXPECT_FALSE(begin || begin_prepare || block_xid) << "unfinished transaction";
    EXPECT_TRUE(streamed_xids.empty()) << "streamed transaction never ended";
  }
}

// basic.sql: a mix of built-in types, every value in text form, NULLs.
TEST(DecoderCaptureTest, BasicInsertUpdateDelete) {
  std::unique_ptr<DecodedCapture> c = LoadDecoded("basic");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->file.options.protocol_version, 1);
  ASSERT_EQ(c->types, "BRIICBUCBUCBDC");
  const auto& relation = c->Get<Relation>(1);
  EXPECT_EQ(relation.schema_name, "public");
  EXPECT_EQ(relation.relation_name, "basic_items");
  EXPECT_EQ(relation.replica_identity, kReplicaIdentityDefault);
  EXPECT_EQ(relation.xid, Xid());
  // Type OIDs from pg_type; typmods: varchar(16) = 16 + 4, numeric(10,2) =
  // (10 << 16 | 2) + 4.
  EXPECT_THAT(ColumnStrings(relation),
              ElementsAre("id 23 -1 key", "sku 1043 20", "qty 21 -1", "total 20 -1",
                          "price 1700 655366", "ratio 701 -1", "in_stock 16 -1", "label 25 -1",
                          "added_on 1082 -1", "added_at 1184 -1", "tag_id 2950 -1", "payload 17 -1",
                          "attrs 3802 -1", "sizes 1007 -1"));
  const auto& first = c->Get<Insert>(2);
  EXPECT_EQ(first.relation_id, relation.relation_id);
  EXPECT_THAT(
      TupleStrings(first.new_tuple),
      ElementsAre("t:1", "t:SKU-1", "t:3", "t:9000000000", "t:12.50", "t:0.25", "t:t",
                  "t:caf\xc3\xa9 \"quoted\", comma", "t:2024-02-29",
                  "t:2024-02-29 13:14:15.123456+00", "t:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                  "t:\\x00ff10", "t:{\"n\": [1, 2], \"color\": \"red\"}", "t:{1,2,3}"));
  EXPECT_THAT(TupleStrings(c->Get<Insert>(3).new_tuple),
              ElementsAre("t:2", "t:SKU-2", "null", "null", "null", "null", "null", "null", "null",
                          "null", "null", "null", "null", "null"));
  // Both inserts were one transaction: one Begin, one xid; later ones grow.
  const Xid xid = c->Get<Begin>(0).xid;
  EXPECT_LT(xid, c->Get<Begin>(5).xid);
  EXPECT_LT(c->Get<Begin>(5).xid, c->Get<Begin>(8).xid);
  const auto& update = c->Get<Update>(6);
  EXPECT_EQ(update.old_tuple_kind, 0);
  EXPECT_THAT(update.old_tuple, SizeIs(0));
  EXPECT_THAT(TupleStrings(update.new_tuple),
              ElementsAre("t:1", "t:SKU-1", "t:4", "t:9000000000", "t:12.50", "t:0.25", "t:t",
                          "null", "t:2024-02-29", "t:2024-02-29 13:14:15.123456+00",
                          "t:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "t:\\x00ff10",
                          "t:{\"n\": [1, 2], \"color\": \"red\"}", "t:{1,2,3}"));
  EXPECT_THAT(TupleStrings(c->Get<Update>(9).new_tuple),
              ElementsAre("t:2", "t:SKU-2", "null", "null", "t:-0.01", "null", "null", "t:second",
                          "null", "null", "null", "null", "null", "null"));
  // DEFAULT identity: the key columns, the others NULL.
  const auto& del = c->Get<Delete>(12);
  EXPECT_EQ(del.relation_id, relation.relation_id);
  EXPECT_EQ(del.old_tuple_kind, kKeyTupleMarker);
  EXPECT_THAT(TupleStrings(del.old_tuple),
              ElementsAre("t:1", "null", "null", "null", "null", "null", "null", "null", "null",
                          "null", "null", "null", "null", "null"));
}

// replica_identity.sql: FULL ('O'), USING INDEX and DEFAULT with key changes ('K').
TEST(DecoderCaptureTest, ReplicaIdentities) {
  std::unique_ptr<DecodedCapture> c = LoadDecoded("replica_identity");
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->types, "BRUCBDCBRUCBUCBDCBRUCBUCBDC");

  const auto& full = c->Get<Relation>(1);
  EXPECT_EQ(full.relation_name, "ri_full");
  EXPECT_EQ(full.replica_identity, kReplicaIdentityFull);
  EXPECT_THAT(ColumnStrings(full),
              ElementsAre("id 23 -1 key", "name 25 -1 key", "score 23 -1 key"));
  const auto& full_update = c->Get<Update>(2);
  EXPECT_EQ(full_update.old_tuple_kind, kOldTupleMarker);
  EXPECT_THAT(TupleStrings(full_update.old_tuple), ElementsAre("t:1", "t:full-a", "t:10"));
  EXPECT_THAT(TupleStrings(full_update.new_tuple), ElementsAre("t:1", "t:full-a", "t:11"));
  const auto& full_delete = c->Get<Delete>(5);
  EXPECT_EQ(full_delete.old_tuple_kind, kOldTupleMarker);
  EXPECT_THAT(TupleStrings(full_delete.old_tuple), ElementsAre("t:2", "t:full-b", "null"));

  const auto& index = c->Get<Relation>(8);
  EXPECT_EQ(index.relation_name, "ri_index");
  EXPECT_EQ(index.replica_identity, kReplicaIdentityIndex);
  EXPECT_THAT(ColumnStrings(index), ElementsAre("id 23 -1", "code 25 -1 key", "name 25 -1"));
  const auto& same_key = c->Get<Update>(9);
  EXPECT_EQ(same_key.old_tuple_kind, 0);
  EXPECT_THAT(TupleStrings(same_key.new_tuple), ElementsAre("t:1", "t:code-a", "t:index-a2"));
  const auto& new_key = c->Get<Update>(12);
  EXPECT_EQ(new_key.old_tuple_kind, kKeyTupleMarker);
  EXPECT_THAT(TupleStrings(new_key.old_tuple), ElementsAre("null", "t:code-a", "null"));
  EXPECT_THAT(TupleStrings(new_key.new_tuple), ElementsAre("t:1", "t:code-b", "t:index-a2"));
  const auto& index_delete = c->Get<Delete>(15);
  EXPECT_EQ(index_delete.old_tuple_kind, kKeyTupleMarker);
  EXPECT_THAT(TupleStrings(index_delete.old_tuple), ElementsAre("null", "t:code-b", "null"));

  const auto& primary = c->Get<Relation>(18);
  EXPECT_EQ(primary.relation_name, "ri_default");
  EXPECT_EQ(primary.replica_identity, kReplicaIdentityDefault);
  EXPECT_THAT(ColumnStrings(primary), ElementsAre("id 23 -1 key", "name 25 -1"));
  const auto& pk_change = c->Get<Update>(19);
  EXPECT_EQ(pk_change.relation_id, primary.relation_id);
  EXPECT_EQ(pk_change.old_tuple_kind, kKeyTupleMarker);
  EXPECT_THAT(TupleStrings(pk_change.old_tuple), ElementsAre("t:1", "null"));
  EXPECT_THAT(TupleStrings(pk_change.new_tuple), ElementsAre("t:3", "t:default-a"));
  EXPECT_EQ(c->Get<Update>(22).old_tuple_kind, 0);
  EXPECT_THAT(TupleStrings(c->Get<Update>(22).new_tuple), ElementsAre("t:2", "t:default-b2"));
  EXPECT_THAT(TupleStrings(c->Get<Delete>(25).old_tuple), ElementsAre("t:3", "null"));
}

// toast.sql: updating the title of a row whose 4 kB body is stored out of line.
TEST(DecoderCaptureTest, UnchangedToast) {
  std::unique_ptr<DecodedCapture> c = LoadDecoded("toast");
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->types, "BRUCBUCBDC");
  EXPECT_THAT(ColumnStrings(c->Get<Relation>(1)),
              ElementsAre("id 23 -1 key", "title 25 -1", "body 25 -1"));
  EXPECT_THAT(TupleStrings(c->Get<Update>(2).new_tuple),
              ElementsAre("t:1", "t:second title", "unchanged"));
  EXPECT_THAT(TupleStrings(c->Get<Update>(5).new_tuple), ElementsAre("t:1", "null", "unchanged"));
  EXPECT_EQ(c->Get<Update>(5).new_tuple[2].data, "");
  EXPECT_THAT(TupleStrings(c->Get<Delete>(8).old_tuple), ElementsAre("t:1", "null", "null"));
}

// truncate.sql: one relation, CASCADE, RESTART IDENTITY and both together.
TEST(DecoderCaptureTest, Truncate) {
  std::unique_ptr<DecodedCapture> c = LoadDecoded("truncate");
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->types, "BRTCBRRTCBRTCBRRRRTC");
  std::map<uint32_t, std::string> names;
  for (const Relation* relation : c->All<Relation>()) {
    names[relation->relation_id.value()] = std::string(relation->relation_name);
  }
  auto truncated = [&](const Truncate& truncate) {
    std::vector<std::string> out;
    for (RelationId id : truncate.relation_ids) out.push_back(names[id.value()]);
    return out;
  };
  const std::vector<const Truncate*> truncates = c->All<Truncate>();
  ASSERT_THAT(truncates, SizeIs(4));
  EXPECT_EQ(truncates[0]->options, 0);
  EXPECT_THAT(truncated(*truncates[0]), ElementsAre("trunc_other"));
  EXPECT_EQ(truncates[1]->options, kTruncateCascade);
  EXPECT_THAT(truncated(*truncates[1]), ElementsAre("trunc_parent", "trunc_child"));
  EXPECT_EQ(truncates[2]->options, kTruncateRestartIdentity);
  EXPECT_THAT(truncated(*truncates[2]), ElementsAre("trunc_serial"));
  EXPECT_EQ(truncates[3]->options, kTruncateCascade | kTruncateRestartIdentity);
  EXPECT_THAT(truncated(*truncates[3]),
              ElementsAre("trunc_serial", "trunc_other", "trunc_parent", "trunc_child"));
  for (const Truncate* truncate : truncates) EXPECT_EQ(truncate->xid, Xid());
}

// custom_type.sql: an enum in schema app and a domain over integer.
TEST(DecoderCaptureTest, CustomTypes) {
  std::unique_ptr<DecodedCapture> c = LoadDecoded("custom_type");
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->types, "BYYRIICBUC");
  const auto& mood = c->Get<Type>(1);
  EXPECT_EQ(mood.schema_name, "app");
  EXPECT_EQ(mood.type_name, "mood");
  // A domain is announced with its own OID but its base type's name and
  // schema (pg_catalog, sent as "").
  const auto& domain = c->Get<Type>(2);
  EXPECT_EQ(domain.schema_name, "");
  EXPECT_EQ(domain.type_name, "int4");
  EXPECT_NE(domain.type_oid, 23u);
  const auto& relation = c->Get<Relation>(3);
  EXPECT_EQ(relation.schema_name, "app");
  EXPECT_EQ(relation.relation_name, "feelings");
  EXPECT_THAT(ColumnStrings(relation),
              ElementsAre("id 23 -1 key", absl::StrCat("mood ", mood.type_oid, " -1"),
                          absl::StrCat("weight ", domain.type_oid, " -1"), "note 25 -1"));
  EXPECT_THAT(TupleStrings(c->Get<Insert>(4).new_tuple),
              ElementsAre("t:1", "t:happy", "t:5", "t:sunny"));
  EXPECT_THAT(TupleStrings(c->Get<Insert>(5).new_tuple),
              ElementsAre("t:2", "null", "null", "null"));
  EXPECT_THAT(TupleStrings(c->Get<Update>(8).new_tuple),
              ElementsAre("t:2", "t:sad", "null", "null"));
}

// messages.sql: pg_logical_emit_message() with and without a transaction.
TEST(DecoderCaptureTest, LogicalDecodingMessages) {
  std::unique_ptr<DecodedCapture> c = LoadDecoded("messages");
  ASSERT_NE(c, nullptr);
  // The non-transactional message emitted inside the second transaction is
  // sent at once, before that transaction's Begin; the rolled-back
  // transactional message is not sent at all.
  ASSERT_EQ(c->types, "BMCMBRIMMCM");
  std::vector<std::string> messages;
  for (const LogicalMessage* m : c->All<LogicalMessage>()) {
    messages.push_back(absl::StrCat(m->transactional() ? "tx " : "non-tx ", AbslView(m->prefix),
                                    " ", absl::CHexEscape(AbslView(m->content))));
    EXPECT_EQ(m->flags & ~kMessageFlagTransactional, 0);
    EXPECT_TRUE(m->lsn.is_valid());
  }
  EXPECT_THAT(messages, ElementsAre("tx trackops/audit hello transactional",
                                    "non-tx trackops/heartbeat non-transactional",
                                    "tx trackops/binary \\x00\\x01\\x02\\x03\\xff",
                                    "tx trackops/empty ", "non-tx trackops/heartbeat tick"));
  // A transactional message's LSN lies inside its transaction.
  const auto& audit = c->Get<LogicalMessage>(1);
  EXPECT_LE(audit.lsn, c->Get<Begin>(0).final_lsn);
  EXPECT_THAT(TupleStrings(c->Get<Insert>(6).new_tuple), ElementsAre("t:1", "t:with message"));
}

// binary.sql: option binary = true sends each type's send() format.
TEST(DecoderCaptureTest, BinaryColumns) {
  std::unique_ptr<DecodedCapture> c = LoadDecoded("binary");
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->types, "BYRIICBUCBDC");
  EXPECT_EQ(c->Get<Type>(1).type_name, "binary_color");
  EXPECT_THAT(TupleStrings(c->Get<Insert>(3).new_tuple),
              ElementsAre(Bin(std::string_view("\0\0\0\1", 4)),     // int4 1
                          Bin("\xff\xff\xff\xff\xff\xff\xff\xfe"),  // int8 -2
                          Bin("\x01"),                              // bool true
                          Bin("bin"),                               // text
                          // numeric 12.34: ndigits 2, weight 0, sign +, dscale 2, digits 12 3400.
                          Bin(std::string_view("\0\2\0\0\0\0\0\2\0\x0c\x0d\x48", 12)),
                          Bin(std::string_view("\x3f\xf8\0\0\0\0\0\0", 8)),  // float8 1.5
                          // timestamptz: 1 s after 2000-01-01, in microseconds.
                          Bin(std::string_view("\0\0\0\0\0\x0f\x42\x40", 8)),
                          Bin("\xde\xad\xbe\xef"),  // bytea
                          Bin("green")));           // enum: its label
  EXPECT_THAT(TupleStrings(c->Get<Insert>(4).new_tuple),
              ElementsAre(Bin(std::string_view("\0\0\0\2", 4)), "null", "null", "null", "null",
                          "null", "null", "null", "null"));
  EXPECT_EQ(c->Get<Update>(7).new_tuple[3].data, "bin2");
  EXPECT_EQ(c->Get<Update>(7).new_tuple[3].kind, TupleKind::kBinary);
  EXPECT_THAT(TupleStrings(c->Get<Delete>(10).old_tuple),
              ElementsAre(Bin(std::string_view("\0\0\0\2", 4)), "null", "null", "null", "null",
                          "null", "null", "null", "null"));
}

// origin.sql: a transaction replayed from origin 'upstream_a'.
TEST(DecoderCaptureTest, Origin) {
  std::unique_ptr<DecodedCapture> c = LoadDecoded("origin");
  ASSERT_NE(c, nullptr);
  ASSERT_EQ(c->types, "BRICBOIC");
  const auto& origin = c->Get<Origin>(5);
  EXPECT_EQ(origin.name, "upstream_a");
  EXPECT_EQ(origin.origin_lsn, Lsn(0xAB12CD34));
  // pg_replication_origin_xact_setup's timestamp becomes the commit time.
  constexpr UnixMicros kOriginTime = 1704164645000000;  // 2024-01-02T03:04:05Z
  EXPECT_EQ(c->Get<Begin>(4).commit_time, kOriginTime);
  EXPECT_EQ(c->Get<Commit>(7).commit_time, kOriginTime);
  EXPECT_NE(c->Get<Begin>(0).commit_time, kOriginTime);
  EXPECT_THAT(TupleStrings(c->Get<Insert>(6).new_tuple), ElementsAre("t:2", "t:from upstream_a"));
}

// streaming.sql: three transactions larger than logical_decoding_work_mem.
TEST(DecoderCaptureTest, Streaming) {
  std::unique_ptr<DecodedCapture> c = LoadDecoded("streaming");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->file.options.protocol_version, 2);
  EXPECT_EQ(c->types.find_first_of("BC"), std::string::npos);  // Nothing unstreamed.
  std::vector<Xid> top;
  for (const StreamStart* start : c->All<StreamStart>()) {
    if (start->first_segment) top.push_back(start->xid);
  }
  ASSERT_THAT(top, SizeIs(3));
  const Xid committed = top[0], aborted = top[1], with_savepoint = top[2];
  EXPECT_LT(committed, aborted);
  EXPECT_LT(aborted, with_savepoint);
  // The first transaction spans several blocks.
  const std::vector<const StreamStart*> starts = c->All<StreamStart>();
  EXPECT_GE(std::count_if(starts.begin(), starts.end(),
                          [&](const StreamStart* s) { return s->xid == committed; }),
            2);

  const Relation* rows = c->FindRelation("stream_rows");
  ASSERT_NE(rows, nullptr);
  const Type& mood = c->Get<Type>(1);
  EXPECT_EQ(mood.type_name, "stream_mood");
  EXPECT_EQ(mood.xid, committed);
  // The publication's column list leaves out pad.
  EXPECT_THAT(ColumnStrings(*rows),
              ElementsAre("id 23 -1 key", absl::StrCat("mood ", mood.type_oid, " -1"), "v 25 -1"));

  // Inserts by (sub)transaction.
  std::map<uint32_t, std::vector<std::vector<std::string>>> inserts;
  for (const Insert* insert : c->All<Insert>()) {
    EXPECT_EQ(insert->relation_id, rows->relation_id);
    inserts[insert->xid.value()].push_back(TupleStrings(insert->new_tuple));
  }
  const auto& committed_rows = inserts[committed.value()];
  ASSERT_THAT(committed_rows, SizeIs(50));
  EXPECT_THAT(committed_rows[0], ElementsAre("t:1", "t:calm", "t:row 1"));
  EXPECT_THAT(committed_rows[24], ElementsAre("t:25", "t:calm", "t:row 25"));
  EXPECT_THAT(committed_rows[49], ElementsAre("t:50", "null", "null"));

  // Every other change kind inside the streamed blocks, with the xid.
  const std::vector<const Update*> updates = c->All<Update>();
  ASSERT_THAT(updates, SizeIs(1));
  EXPECT_EQ(updates[0]->xid, committed);
  EXPECT_EQ(updates[0]->old_tuple_kind, 0);
  EXPECT_THAT(TupleStrings(updates[0]->new_tuple), ElementsAre("t:1", "t:busy", "t:updated"));
  const std::vector<const Delete*> deletes = c->All<Delete>();
  ASSERT_THAT(deletes, SizeIs(1));
  EXPECT_EQ(deletes[0]->xid, committed);
  EXPECT_THAT(TupleStrings(deletes[0]->old_tuple), ElementsAre("t:2", "null", "null"));
  const std::vector<const LogicalMessage*> messages = c->All<LogicalMessage>();
  ASSERT_THAT(messages, SizeIs(1));
  EXPECT_EQ(messages[0]->xid, committed);
  EXPECT_TRUE(messages[0]->transactional());
  EXPECT_EQ(messages[0]->prefix, "trackops/stream");
  EXPECT_EQ(messages[0]->content, "inside a streamed transaction");
  const std::vector<const Truncate*> truncates = c->All<Truncate>();
  ASSERT_THAT(truncates, SizeIs(1));
  EXPECT_EQ(truncates[0]->xid, committed);
  EXPECT_EQ(truncates[0]->options, 0);
  const Relation* side = c->FindRelation("stream_side");
  ASSERT_NE(side, nullptr);
  EXPECT_EQ(side->xid, committed);
  EXPECT_THAT(truncates[0]->relation_ids, ElementsAre(side->relation_id));

  // Rolled back after streaming part of it: only the streamed inserts, then
  // Stream Abort with subxid = xid.
  const auto& aborted_rows = inserts[aborted.value()];
  EXPECT_THAT(aborted_rows, SizeIs(::testing::AllOf(::testing::Gt(0u), ::testing::Lt(25u))));
  for (const auto& row : aborted_rows) EXPECT_EQ(row[2], "t:aborted");

  const std::vector<const StreamAbort*> aborts = c->All<StreamAbort>();
  ASSERT_THAT(aborts, SizeIs(2));
  EXPECT_EQ(aborts[0]->xid, aborted);
  EXPECT_EQ(aborts[0]->subxid, aborted);
  // The savepoint's inserts carry the subtransaction's xid, which its Stream
  // Abort names; the row inserted after ROLLBACK TO is in yet another one.
  EXPECT_EQ(aborts[1]->xid, with_savepoint);
  const Xid subxid = aborts[1]->subxid;
  EXPECT_GT(subxid, with_savepoint);
  EXPECT_THAT(inserts[with_savepoint.value()],
              ElementsAre(ElementsAre("t:200", "t:calm", "t:before savepoint")));
  const auto& savepoint_rows = inserts[subxid.value()];
  EXPECT_THAT(savepoint_rows, SizeIs(::testing::Gt(0u)));
  for (const auto& row : savepoint_rows) EXPECT_EQ(row[2], "t:in savepoint");
  bool after_found = false;
  for (const auto& [xid, rows_of_xid] : inserts) {
    if (rows_of_xid.size() == 1 && rows_of_xid[0][0] == "t:300") {
      after_found = true;
      EXPECT_GT(xid, subxid.value());
      EXPECT_THAT(rows_of_xid[0], ElementsAre("t:300", "t:calm", "t:after savepoint"));
    }
  }
  EXPECT_TRUE(after_found);

  const std::vector<const StreamCommit*> commits = c->All<StreamCommit>();
  ASSERT_THAT(commits, SizeIs(2));
  EXPECT_EQ(commits[0]->xid, committed);
  EXPECT_EQ(commits[1]->xid, with_savepoint);
  EXPECT_EQ(commits[0]->flags, 0);
  EXPECT_LT(commits[0]->end_lsn, commits[1]->commit_lsn);
  EXPECT_EQ(c->types.back(), 'c');
}

// two_phase.sql: PREPARE TRANSACTION then COMMIT PREPARED / ROLLBACK PREPARED.
TEST(DecoderCaptureTest, TwoPhaseCommit) {
  std::unique_ptr<DecodedCapture> c = LoadDecoded("two_phase");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->file.options.protocol_version, 3);
  ASSERT_EQ(c->types, "BRICbIPKbUPr");
  EXPECT_THAT(TupleStrings(c->Get<Insert>(2).new_tuple), ElementsAre("t:1", "t:plain"));

  const auto& begin_commit = c->Get<BeginPrepare>(4);
  EXPECT_EQ(begin_commit.gid, "trackops-gid-commit");
  EXPECT_THAT(TupleStrings(c->Get<Insert>(5).new_tuple),
              ElementsAre("t:2", "t:prepared then committed"));
  const auto& prepare = c->Get<Prepare>(6);
  EXPECT_EQ(prepare.gid, "trackops-gid-commit");
  EXPECT_EQ(prepare.xid, begin_commit.xid);
  EXPECT_EQ(prepare.flags, 0);
  const auto& commit_prepared = c->Get<CommitPrepared>(7);
  EXPECT_EQ(commit_prepared.gid, "trackops-gid-commit");
  EXPECT_EQ(commit_prepared.xid, begin_commit.xid);
  EXPECT_EQ(commit_prepared.flags, 0);
  EXPECT_GE(commit_prepared.commit_lsn, prepare.end_lsn);
  EXPECT_GE(commit_prepared.commit_time, prepare.prepare_time);

  const auto& begin_rollback = c->Get<BeginPrepare>(8);
  EXPECT_EQ(begin_rollback.gid, "trackops-gid-rollback");
  EXPECT_GT(begin_rollback.xid, begin_commit.xid);
  EXPECT_THAT(TupleStrings(c->Get<Update>(9).new_tuple),
              ElementsAre("t:1", "t:prepared then rolled back"));
  const auto& prepare_rollback = c->Get<Prepare>(10);
  const auto& rollback = c->Get<RollbackPrepared>(11);
  EXPECT_EQ(rollback.gid, "trackops-gid-rollback");
  EXPECT_EQ(rollback.xid, begin_rollback.xid);
  EXPECT_EQ(rollback.prepare_end_lsn, prepare_rollback.end_lsn);
  EXPECT_EQ(rollback.prepare_time, prepare_rollback.prepare_time);
  EXPECT_GE(rollback.rollback_time, rollback.prepare_time);
}

// stream_prepare.sql: prepared transactions larger than logical_decoding_work_mem.
TEST(DecoderCaptureTest, StreamPrepare) {
  std::unique_ptr<DecodedCapture> c = LoadDecoded("stream_prepare");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->file.options.protocol_version, 3);
  EXPECT_EQ(c->types.find_first_of("BCbP"), std::string::npos);
  const std::vector<const StreamPrepare*> prepares = c->All<StreamPrepare>();
  ASSERT_THAT(prepares, SizeIs(2));
  EXPECT_EQ(prepares[0]->gid, "trackops-stream-commit");
  EXPECT_EQ(prepares[1]->gid, "trackops-stream-rollback");
  const std::vector<const CommitPrepared*> commits = c->All<CommitPrepared>();
  ASSERT_THAT(commits, SizeIs(1));
  EXPECT_EQ(commits[0]->gid, "trackops-stream-commit");
  EXPECT_EQ(commits[0]->xid, prepares[0]->xid);
  EXPECT_GE(commits[0]->commit_lsn, prepares[0]->end_lsn);
  const std::vector<const RollbackPrepared*> rollbacks = c->All<RollbackPrepared>();
  ASSERT_THAT(rollbacks, SizeIs(1));
  EXPECT_EQ(rollbacks[0]->gid, "trackops-stream-rollback");
  EXPECT_EQ(rollbacks[0]->xid, prepares[1]->xid);
  EXPECT_EQ(rollbacks[0]->prepare_end_lsn, prepares[1]->end_lsn);
  EXPECT_EQ(rollbacks[0]->prepare_time, prepares[1]->prepare_time);
  // All 25 rows of each transaction were streamed before its Stream Prepare.
  std::map<uint32_t, std::vector<std::string>> ids;
  for (const Insert* insert : c->All<Insert>()) {
    ids[insert->xid.value()].push_back(ColumnString(insert->new_tuple[0]));
  }
  EXPECT_THAT(ids[prepares[0]->xid.value()], SizeIs(25));
  EXPECT_EQ(ids[prepares[0]->xid.value()].front(), "t:1");
  EXPECT_THAT(ids[prepares[1]->xid.value()], SizeIs(25));
  EXPECT_EQ(ids[prepares[1]->xid.value()].back(), "t:125");
  // Stream Prepare follows the transaction's last Stream Stop, then Commit
  // Prepared; the second transaction streams after that.
  const size_t first_prepare = c->types.find('p');
  EXPECT_EQ(c->types[first_prepare - 1], 'E');
  EXPECT_EQ(c->types[first_prepare + 1], 'K');
}

// The capture files need the protocol version they declare.
TEST(DecoderCaptureTest, NewerMessagesNeedTheirProtocolVersion) {
  struct Case {
    std::string name;
    int version;
    std::string error;
  };
  for (const Case& test : {Case{"streaming", 1,
                                "pgoutput Stream Start: message type needs "
                                "protocol version 2 or higher"},
                           Case{"two_phase", 2,
                                "pgoutput Begin Prepare: message type needs "
                                "protocol version 3 or higher"},
                           Case{"stream_prepare", 2,
                                "pgoutput Stream Prepare: message type "
                                "needs protocol version 3 or higher"}}) {
    SCOPED_TRACE(test.name);
    absl::StatusOr<CaptureFile> capture = ReadCaptureFile(CaptureDir() / (test.name + ".hex"));
    ASSERT_THAT(capture, IsOk());
    auto decoder = NewDecoder(test.version);
    absl::Status first_error;
    Message message;
    for (const std::vector<uint8_t>& bytes : capture->messages) {
      first_error = decoder->Decode(bytes, &message);
      if (!first_error.ok()) break;
    }
    EXPECT_THAT(first_error, StatusIs(absl::StatusCode::kDataLoss, test.error));
  }
}

// ---------------------------------------------------------------------------
// Corrupted variants of every captured message.

// A count or length field of a message, located by walking the grammar of
// docs/pgoutput.md independently of the decoder (on well-formed input).
struct SizeField {
  size_t offset = 0;
  int width = 0;  // 2 (column counts) or 4 (data lengths, relation count).
  uint32_t value = 0;
  bool ends_message = false;  // value - 1 would leave trailing bytes.
  std::string what;
};

class SizeFieldWalker {
 public:
  SizeFieldWalker(std::span<const uint8_t> bytes, bool streamed) : bytes_(bytes) {
    const char type = static_cast<char>(bytes[0]);
    pos_ = 1;
    if (streamed && std::string_view("RYIUDTM").find(type) != std::string_view::npos) pos_ += 4;
    switch (type) {
      case 'I':
        pos_ += 5;  // Relation id, 'N'.
        WalkTuple("new tuple");
        break;
      case 'U':
        pos_ += 4;
        if (bytes_[pos_] == 'K' || bytes_[pos_] == 'O') {
          ++pos_;
          WalkTuple("old tuple");
        }
        ++pos_;  // 'N'.
        WalkTuple("new tuple");
        break;
      case 'D':
        pos_ += 5;
        WalkTuple("old tuple");
        break;
      case 'R': {
        pos_ += 4;
        SkipString();
        SkipString();
        ++pos_;  // Replica identity.
        const uint32_t count = Read(2);
        Add(2, count, true, "relation column count");
        for (uint32_t i = 0; i < count; ++i) {
          ++pos_;  // Flags.
          SkipString();
          pos_ += 8;  // Type OID, modifier.
        }
        break;
      }
      case 'T':
        Add(4, Read(4), true, "relation count");
        break;
      case 'M': {
        pos_ += 9;  // Flags, LSN.
        SkipString();
        const uint32_t length = Read(4);
        Add(4, length, true, "content length");
        break;
      }
      default:
        break;
    }
  }

  std::vector<SizeField> TakeFields() { return std::move(fields_); }

 private:
  uint32_t Read(int width) const {
    uint32_t value = 0;
    for (int i = 0; i < width; ++i) value = value << 8 | bytes_[pos_ + i];
    return value;
  }
  void SkipString() {
    while (bytes_[pos_] != 0) ++pos_;
    ++pos_;
  }
  void Add(int width, uint32_t value, bool ends_message, std::string what) {
    fields_.push_back({pos_, width, value, ends_message, std::move(what)});
    pos_ += width;
  }
  void WalkTuple(const std::string& name) {
    const uint32_t count = Read(2);
    Add(2, count, true, name + " column count");
    for (uint32_t i = 0; i < count; ++i) {
      const char kind = static_cast<char>(bytes_[pos_++]);
      if (kind != 't' && kind != 'b') continue;
      const uint32_t length = Read(4);
      Add(4, length, pos_ + 4 + length == bytes_.size(),
          absl::StrCat(name, " column ", i + 1, " length"));
      pos_ += length;
    }
  }

  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
  std::vector<SizeField> fields_;
};

// Values to write into `field` that make the message malformed whatever
// surrounds it: a negative length, a count past the end or past the limit,
// one more (the next column's kind byte, 'N' or nothing is read instead of a
// kind), and one less when that leaves bytes over.
std::vector<uint32_t> MalformedValues(const SizeField& field) {
  std::vector<uint32_t> values;
  if (field.width == 2) {
    values = {field.value + 1, 0xFFFF, kMaxColumns + 1};
  } else {
    values = {field.value + 1, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF};
  }
  if (field.value > 0 && field.ends_message) {
    values.push_back(field.value - 1);
    values.push_back(0);
  }
  return values;
}

// Every captured message, cut at every length and with each count or length
// field made inconsistent: always kDataLoss, never a crash, and the Decoder's
// streamed-block state survives the errors (the intact message decodes right
// after). With its type byte replaced: kDataLoss, except for the few bodies
// that are also well-formed messages of the new type.
TEST(DecoderCaptureTest, CorruptedCaptureMessagesAreDataLoss) {
  size_t variants = 0;
  size_t look_alikes = 0;
  for (const std::filesystem::path& file : CaptureFiles()) {
    SCOPED_TRACE(file.string());
    absl::StatusOr<CaptureFile> capture = ReadCaptureFile(file);
    ASSERT_THAT(capture, IsOk());
    auto decoder = Decoder::Create(capture->options);
    ASSERT_THAT(decoder, IsOk());
    for (size_t i = 0; i < capture->messages.size(); ++i) {
      const std::vector<uint8_t>& bytes = capture->messages[i];
      const char type = static_cast<char>(bytes[0]);
      const bool streamed = (*decoder)->in_streamed_block();
      SCOPED_TRACE(absl::StrCat("message ", i + 1, " (", MessageTypeName(type), ")"));
      for (size_t length = 0; length < bytes.size(); ++length) {
        // A fresh copy of exactly `length` bytes, so ASan sees any overread.
        const std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + length);
        ASSERT_THAT(
            DecodeStatus(**decoder, prefix),
            StatusIs(absl::StatusCode::kDataLoss,
                     length == 0 ? std::string("empty message") : absl::StrCat(" of ", length)))
            << "cut at " << length;
        ++variants;
      }
      for (const SizeField& field : SizeFieldWalker(bytes, streamed).TakeFields()) {
        for (uint32_t value : MalformedValues(field)) {
          std::vector<uint8_t> corrupt = bytes;
          for (int b = 0; b < field.width; ++b) {
            corrupt[field.offset + b] = static_cast<uint8_t>(value >> (8 * (field.width - 1 - b)));
          }
          ASSERT_THAT(DecodeStatus(**decoder, corrupt),
                      StatusIs(absl::StatusCode::kDataLoss, MessageTypeName(type)))
              << field.what << " = " << value << " (was " << field.value << ")";
          ++variants;
        }
      }
      for (int other = 0; other < 256; ++other) {
        if (other == bytes[0]) continue;
        std::vector<uint8_t> corrupt = bytes;
        corrupt[0] = static_cast<uint8_t>(other);
        // A fresh Decoder in the same state: a flip that happened to decode
        // as Stream Start or Stop must not disturb the sequence.
        auto probe =
            NewDecoder(capture->options.protocol_version, capture->options.streaming_parallel);
        ASSERT_NE(probe, nullptr);
        if (streamed) EnterStreamedBlock(*probe);
        Message message;
        const absl::Status status = probe->Decode(corrupt, &message);
        if (std::string_view(MessageTypeName(static_cast<char>(other))) == "Unknown") {
          ASSERT_THAT(status, StatusIs(absl::StatusCode::kDataLoss, "unknown message type"))
              << "type byte " << other;
        } else if (status.ok()) {
          // pgoutput has no checksum: a message whose body also fits the
          // layout of the new type is one (Insert <-> Update without old
          // tuple, Prepare <-> Commit Prepared with the gid absorbing the
          // difference, ...). It must still stay inside its input.
          EXPECT_TRUE(ViewsInside(message, corrupt)) << "type byte " << other;
          ++look_alikes;
        } else {
          ASSERT_THAT(status, StatusIs(absl::StatusCode::kDataLoss, "pgoutput"))
              << "type byte " << other;
        }
        ++variants;
      }
      EXPECT_EQ((*decoder)->in_streamed_block(), streamed);
      Message message;
      ASSERT_THAT((*decoder)->Decode(bytes, &message), IsOk());
    }
  }
  EXPECT_GT(variants, 50000u);
  // A few hundred of the ~130000 type-byte flips, mostly Insert <-> Update.
  EXPECT_LT(look_alikes * 100, variants);
}

}  // namespace
}  // namespace trackops::pgoutput
