#include "event/change_encoder.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

// Expected JSON follows Debezium 3.6.1 (RelationalChangeRecordEmitter,
// PostgresChangeRecordEmitter, SourceInfo, PostgresSourceInfoStructMaker,
// EventDispatcher) and Kafka's JsonConverter; the first test reproduces a
// value captured from a real Debezium run (debezium-format.md section 3).

namespace trackops::event {
namespace {

using pgoutput::TupleColumn;
using pgoutput::TupleKind;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Captured {
  std::string topic;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<std::pair<std::string, std::string>> headers;
  Lsn lsn;
};

TupleColumn T(std::string_view text) { return TupleColumn{TupleKind::kText, text}; }
TupleColumn Null() { return TupleColumn{TupleKind::kNull, {}}; }
TupleColumn Toast() { return TupleColumn{TupleKind::kUnchangedToast, {}}; }

schema::ColumnSchema Col(std::string name, uint32_t oid, bool key, bool optional,
                         int32_t typmod = -1) {
  schema::ColumnSchema c;
  c.name = std::move(name);
  c.type_oid = oid;
  c.type_modifier = typmod;
  c.is_key = key;
  c.optional = optional;
  return c;
}

class ChangeEncoderTest : public ::testing::Test {
 protected:
  static EncoderOptions Options(bool schemas) {
    EncoderOptions o;
    o.topic_prefix = "dbserver1";
    o.database_name = "inventory";
    o.key_schemas_enable = schemas;
    o.value_schemas_enable = schemas;
    o.header_schemas_enable = schemas;
    o.extended_headers_enabled = false;
    return o;
  }

  // public.customers (id int4 PRIMARY KEY, name varchar NOT NULL, email text).
  static schema::TableSchema Customers() {
    schema::TableSchema t;
    t.relation_id = RelationId(16385);
    t.schema_name = "public";
    t.table_name = "customers";
    t.columns = {Col("id", pg_oid::kInt4, true, false), Col("name", pg_oid::kVarchar, false, false),
                 Col("email", pg_oid::kText, false, true)};
    return t;
  }

  static ChangeContext Context() {
    ChangeContext c;
    c.commit_time = 1790710562903499;
    c.xid = Xid(65249);
    c.lsn = Lsn(314477488);
    c.last_commit_lsn = Lsn(306218576);
    c.processing_time_ns = 1790710563391393044;
    return c;
  }

  std::unique_ptr<TableEncoding> Table(ChangeEncoder& encoder, const schema::TableSchema& t) {
    absl::StatusOr<std::unique_ptr<TableEncoding>> table = encoder.NewTableEncoding(t);
    EXPECT_TRUE(table.ok()) << table.status();
    return std::move(table).value();
  }

  auto Recorder() {
    return [this](const Record& r) {
      Captured c;
      c.topic = std::string(r.topic);
      if (r.key) c.key = std::string(*r.key);
      if (r.value) c.value = std::string(*r.value);
      for (const Header& h : r.headers) c.headers.emplace_back(h.key, h.value);
      c.lsn = r.lsn;
      records_.push_back(std::move(c));
      return absl::OkStatus();
    };
  }

  std::vector<Captured> records_;
};

// The source block of Context() for public.customers.
constexpr char kSource[] =
    R"({"version":"3.6.1.Final","connector":"postgresql","name":"dbserver1",)"
    R"("ts_ms":1790710562903,"snapshot":"false","db":"inventory",)"
    R"("sequence":"[\"306218576\",\"314477488\"]","ts_us":1790710562903499,)"
    R"("ts_ns":1790710562903499000,"schema":"public","table":"customers","txId":65249,)"
    R"("lsn":314477488,"xmin":null,"origin":null,"origin_lsn":null})";
constexpr char kTail[] =
    R"(,"transaction":null,"op":"%","ts_ms":1790710563391,"ts_us":1790710563391393,)"
    R"("ts_ns":1790710563391393044})";

std::string Tail(char op) {
  std::string t = kTail;
  t[t.find('%')] = op;
  return t;
}

// debezium-format.md section 3 shows this value captured from Debezium 2.7.3
// (schemas off); 3.5 added source.origin and source.origin_lsn at the end.
TEST_F(ChangeEncoderTest, ReproducesCapturedDebeziumValue) {
  EncoderOptions options = Options(false);
  options.topic_prefix = "cqrs";
  options.database_name = "cqrs_write";
  options.connector_version = "2.7.3.Final";
  ChangeEncoder encoder(options);
  schema::TableSchema t;
  t.schema_name = "public";
  t.table_name = "widgets";
  t.columns = {Col("id", pg_oid::kText, true, false), Col("name", pg_oid::kText, false, true),
               Col("active", pg_oid::kBool, false, true)};
  auto table = Table(encoder, t);
  TupleColumn row[] = {T("w1"), T("gadget"), T("t")};
  pgoutput::Insert insert;
  insert.new_tuple = row;
  ASSERT_TRUE(encoder.EncodeInsert(*table, insert, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].topic, "cqrs.public.widgets");
  EXPECT_EQ(records_[0].key, R"({"id":"w1"})");
  EXPECT_EQ(
      records_[0].value,
      R"({"before":null,"after":{"id":"w1","name":"gadget","active":true},"source":{"version":"2.7.3.Final","connector":"postgresql","name":"cqrs","ts_ms":1790710562903,"snapshot":"false","db":"cqrs_write","sequence":"[\"306218576\",\"314477488\"]","ts_us":1790710562903499,"ts_ns":1790710562903499000,"schema":"public","table":"widgets","txId":65249,"lsn":314477488,"xmin":null,"origin":null,"origin_lsn":null},"transaction":null,"op":"c","ts_ms":1790710563391,"ts_us":1790710563391393,"ts_ns":1790710563391393044})");
  EXPECT_TRUE(records_[0].headers.empty());
  EXPECT_EQ(records_[0].lsn, Lsn(314477488));
}

// A snapshot row as Debezium 3.6.1 wrote it in a captured initial snapshot
// (schemas off): op "r", the snapshot's marker, a sequence without a last
// commit, the snapshot transaction's time, id and LSN.
TEST_F(ChangeEncoderTest, ReadEventsCarryTheSnapshotMarker) {
  EncoderOptions options = Options(false);
  options.topic_prefix = "snap";
  options.database_name = "postgres";
  ChangeEncoder encoder(options);
  schema::TableSchema t;
  t.schema_name = "public";
  t.table_name = "a";
  t.columns = {Col("id", pg_oid::kInt4, true, false), Col("name", pg_oid::kText, false, true)};
  auto table = Table(encoder, t);
  ChangeContext context;
  context.commit_time = 1795687725334482;
  context.xid = Xid(765);
  context.lsn = Lsn(22116592);
  context.processing_time_ns = 1795687725529022641;
  TupleColumn row[] = {T("3"), T("gamma")};
  const std::pair<SnapshotMarker, const char*> markers[] = {
      {SnapshotMarker::kFirst, "first"},
      {SnapshotMarker::kTrue, "true"},
      {SnapshotMarker::kFirstInDataCollection, "first_in_data_collection"},
      {SnapshotMarker::kLastInDataCollection, "last_in_data_collection"},
      {SnapshotMarker::kLast, "last"}};
  for (const auto& [marker, name] : markers) {
    records_.clear();
    context.snapshot = marker;
    ASSERT_TRUE(encoder.EncodeRead(*table, row, context, Recorder()).ok());
    ASSERT_EQ(records_.size(), 1u);
    EXPECT_EQ(records_[0].topic, "snap.public.a");
    EXPECT_EQ(records_[0].key, R"({"id":3})");
    EXPECT_EQ(
        records_[0].value,
        absl::StrCat(
            R"({"before":null,"after":{"id":3,"name":"gamma"},"source":{"version":"3.6.1.Final",)"
            R"("connector":"postgresql","name":"snap","ts_ms":1795687725334,"snapshot":")",
            name,
            R"(","db":"postgres","sequence":"[null,\"22116592\"]","ts_us":1795687725334482,)"
            R"("ts_ns":1795687725334482000,"schema":"public","table":"a","txId":765,)"
            R"("lsn":22116592,"xmin":null,"origin":null,"origin_lsn":null},"transaction":null,)"
            R"("op":"r","ts_ms":1795687725529,"ts_us":1795687725529022,)"
            R"("ts_ns":1795687725529022641})"));
    EXPECT_EQ(SnapshotMarkerName(marker), name);
  }
  // The source block is cached per transaction: a streamed change after the
  // snapshot says "false" again.
  context.snapshot = SnapshotMarker::kFalse;
  records_.clear();
  pgoutput::Insert insert;
  insert.new_tuple = row;
  ASSERT_TRUE(encoder.EncodeInsert(*table, insert, context, Recorder()).ok());
  EXPECT_THAT(*records_[0].value, HasSubstr(R"("snapshot":"false")"));
}

TEST_F(ChangeEncoderTest, InsertWithSchemas) {
  ChangeEncoder encoder(Options(true));
  auto table = Table(encoder, Customers());
  TupleColumn row[] = {T("1001"), T("Sally"), Null()};
  pgoutput::Insert insert;
  insert.new_tuple = row;
  ASSERT_TRUE(encoder.EncodeInsert(*table, insert, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].topic, "dbserver1.public.customers");
  EXPECT_EQ(
      records_[0].key,
      R"({"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],)"
      R"("optional":false,"name":"dbserver1.public.customers.Key"},"payload":{"id":1001}})");
  const std::string value_schema =
      R"({"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},)"
      R"({"type":"string","optional":false,"field":"name"},)"
      R"({"type":"string","optional":true,"field":"email"}],"optional":true,)"
      R"("name":"dbserver1.public.customers.Value",)";
  const std::string source_schema =
      R"({"type":"struct","fields":[)"
      R"({"type":"string","optional":false,"field":"version"},)"
      R"({"type":"string","optional":false,"field":"connector"},)"
      R"({"type":"string","optional":false,"field":"name"},)"
      R"({"type":"int64","optional":false,"field":"ts_ms"},)"
      R"({"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,)"
      R"("parameters":{"allowed":"true,first,first_in_data_collection,last_in_data_collection,)"
      R"(last,false,incremental"},"default":"false","field":"snapshot"},)"
      R"({"type":"string","optional":false,"field":"db"},)"
      R"({"type":"string","optional":true,"field":"sequence"},)"
      R"({"type":"int64","optional":true,"field":"ts_us"},)"
      R"({"type":"int64","optional":true,"field":"ts_ns"},)"
      R"({"type":"string","optional":false,"field":"schema"},)"
      R"({"type":"string","optional":false,"field":"table"},)"
      R"({"type":"int64","optional":true,"field":"txId"},)"
      R"({"type":"int64","optional":true,"field":"lsn"},)"
      R"({"type":"int64","optional":true,"field":"xmin"},)"
      R"({"type":"string","optional":true,"field":"origin"},)"
      R"({"type":"int64","optional":true,"field":"origin_lsn"}],)"
      R"("optional":false,"name":"io.debezium.connector.postgresql.Source","version":1,)"
      R"("field":"source"})";
  const std::string envelope_schema =
      R"({"type":"struct","fields":[)" + value_schema + R"("field":"before"},)" + value_schema +
      R"("field":"after"},)" + source_schema +
      R"(,{"type":"struct","fields":[{"type":"string","optional":false,"field":"id"},)"
      R"({"type":"int64","optional":false,"field":"total_order"},)"
      R"({"type":"int64","optional":false,"field":"data_collection_order"}],)"
      R"("optional":true,"name":"event.block","version":1,"field":"transaction"},)"
      R"({"type":"string","optional":false,"field":"op"},)"
      R"({"type":"int64","optional":true,"field":"ts_ms"},)"
      R"({"type":"int64","optional":true,"field":"ts_us"},)"
      R"({"type":"int64","optional":true,"field":"ts_ns"}],"optional":false,)"
      R"("name":"dbserver1.public.customers.Envelope","version":2})";
  EXPECT_EQ(table->value_schema_json(), envelope_schema);
  EXPECT_EQ(records_[0].value,
            R"({"schema":)" + envelope_schema +
                R"(,"payload":{"before":null,"after":{"id":1001,"name":"Sally","email":null},)"
                R"("source":)" +
                kSource + Tail('c') + "}");
}

TEST_F(ChangeEncoderTest, UpdateWithoutOldTupleHasNullBefore) {
  ChangeEncoder encoder(Options(false));
  auto table = Table(encoder, Customers());
  TupleColumn row[] = {T("1001"), T("Sally"), T("s@example.com")};
  pgoutput::Update update;
  update.new_tuple = row;
  ASSERT_TRUE(encoder.EncodeUpdate(*table, update, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].key, R"({"id":1001})");
  EXPECT_EQ(records_[0].value, std::string(R"({"before":null,"after":{"id":1001,"name":"Sally",)"
                                           R"("email":"s@example.com"},"source":)") +
                                   kSource + Tail('u'));
}

// REPLICA IDENTITY FULL: the old tuple is "before".
TEST_F(ChangeEncoderTest, UpdateWithFullOldTuple) {
  ChangeEncoder encoder(Options(false));
  auto table = Table(encoder, Customers());
  TupleColumn old_row[] = {T("1001"), T("Sally"), Null()};
  TupleColumn new_row[] = {T("1001"), T("Sally"), T("s@example.com")};
  pgoutput::Update update;
  update.old_tuple_kind = pgoutput::kOldTupleMarker;
  update.old_tuple = old_row;
  update.new_tuple = new_row;
  ASSERT_TRUE(encoder.EncodeUpdate(*table, update, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].value,
            std::string(R"({"before":{"id":1001,"name":"Sally","email":null},)"
                        R"("after":{"id":1001,"name":"Sally","email":"s@example.com"},)"
                        R"("source":)") +
                kSource + Tail('u'));
}

// A 'K' old tuple whose key did not change (a toasted key): Debezium builds
// "before" from it; NOT NULL columns it lacks get the fallback.
TEST_F(ChangeEncoderTest, UpdateWithUnchangedKeyTuple) {
  ChangeEncoder encoder(Options(false));
  auto table = Table(encoder, Customers());
  TupleColumn old_key[] = {T("1001"), Null(), Null()};
  TupleColumn new_row[] = {T("1001"), T("Sally"), Null()};
  pgoutput::Update update;
  update.old_tuple_kind = pgoutput::kKeyTupleMarker;
  update.old_tuple = old_key;
  update.new_tuple = new_row;
  ASSERT_TRUE(encoder.EncodeUpdate(*table, update, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_THAT(*records_[0].value,
              HasSubstr(R"({"before":{"id":1001,"name":"","email":null},"after":)"));
  EXPECT_THAT(*records_[0].value, HasSubstr(R"("op":"u")"));
}

// RelationalChangeRecordEmitter.emitUpdateAsPrimaryKeyChangeRecord plus
// EventDispatcher's tombstone (which keeps the delete's headers).
TEST_F(ChangeEncoderTest, PrimaryKeyChangeWithoutSchemas) {
  ChangeEncoder encoder(Options(false));
  auto table = Table(encoder, Customers());
  TupleColumn old_key[] = {T("1001"), Null(), Null()};
  TupleColumn new_row[] = {T("2002"), T("Sally"), T("s@example.com")};
  pgoutput::Update update;
  update.old_tuple_kind = pgoutput::kKeyTupleMarker;
  update.old_tuple = old_key;
  update.new_tuple = new_row;
  ASSERT_TRUE(encoder.EncodeUpdate(*table, update, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 3u);

  EXPECT_EQ(records_[0].key, R"({"id":1001})");
  EXPECT_EQ(records_[0].value,
            std::string(R"({"before":{"id":1001,"name":"","email":null},"after":null,)"
                        R"("source":)") +
                kSource + Tail('d'));
  EXPECT_THAT(records_[0].headers, ElementsAre(std::pair<std::string, std::string>(
                                       "__debezium.newkey", R"({"id":2002})")));

  EXPECT_EQ(records_[1].key, R"({"id":1001})");
  EXPECT_EQ(records_[1].value, std::nullopt);
  EXPECT_EQ(records_[1].headers, records_[0].headers);

  EXPECT_EQ(records_[2].key, R"({"id":2002})");
  EXPECT_EQ(records_[2].value, std::string(R"({"before":null,"after":{"id":2002,"name":"Sally",)"
                                           R"("email":"s@example.com"},"source":)") +
                                   kSource + Tail('c'));
  EXPECT_THAT(records_[2].headers, ElementsAre(std::pair<std::string, std::string>(
                                       "__debezium.oldkey", R"({"id":1001})")));
  for (const Captured& r : records_) {
    EXPECT_EQ(r.topic, "dbserver1.public.customers");
    EXPECT_EQ(r.lsn, Lsn(314477488));
  }
}

// Header values are the keys as the header converter (JsonConverter,
// schemas.enable) writes them: with their schema.
TEST_F(ChangeEncoderTest, PrimaryKeyChangeHeadersWithSchemas) {
  EncoderOptions options = Options(false);
  options.header_schemas_enable = true;
  options.tombstones_on_delete = false;
  ChangeEncoder encoder(options);
  auto table = Table(encoder, Customers());
  TupleColumn old_row[] = {T("1001"), T("Sally"), Null()};
  TupleColumn new_row[] = {T("2002"), T("Sally"), Null()};
  pgoutput::Update update;
  update.old_tuple_kind = pgoutput::kOldTupleMarker;
  update.old_tuple = old_row;
  update.new_tuple = new_row;
  ASSERT_TRUE(encoder.EncodeUpdate(*table, update, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 2u);
  const std::string key_schema =
      R"({"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],)"
      R"("optional":false,"name":"dbserver1.public.customers.Key"},"payload":)";
  EXPECT_THAT(records_[0].headers, ElementsAre(std::pair<std::string, std::string>(
                                       "__debezium.newkey", key_schema + R"({"id":2002}})")));
  EXPECT_THAT(records_[1].headers, ElementsAre(std::pair<std::string, std::string>(
                                       "__debezium.oldkey", key_schema + R"({"id":1001}})")));
  EXPECT_EQ(records_[0].key, R"({"id":1001})");  // Key converter: schemas off.
  EXPECT_THAT(*records_[0].value, HasSubstr(R"({"before":{"id":1001,"name":"Sally",)"));
}

TEST_F(ChangeEncoderTest, DeleteWithKeyTupleThenTombstone) {
  ChangeEncoder encoder(Options(false));
  auto table = Table(encoder, Customers());
  TupleColumn old_key[] = {T("1001"), Null(), Null()};
  pgoutput::Delete del;
  del.old_tuple = old_key;
  ASSERT_TRUE(encoder.EncodeDelete(*table, del, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 2u);
  EXPECT_EQ(records_[0].key, R"({"id":1001})");
  EXPECT_EQ(records_[0].value,
            std::string(R"({"before":{"id":1001,"name":"","email":null},"after":null,)"
                        R"("source":)") +
                kSource + Tail('d'));
  EXPECT_EQ(records_[1].key, R"({"id":1001})");
  EXPECT_EQ(records_[1].value, std::nullopt);
}

TEST_F(ChangeEncoderTest, DeleteWithSchemasAndNoTombstone) {
  EncoderOptions options = Options(true);
  options.tombstones_on_delete = false;
  ChangeEncoder encoder(options);
  auto table = Table(encoder, Customers());
  TupleColumn old_row[] = {T("1001"), T("Sally"), T("s@example.com")};
  pgoutput::Delete del;
  del.old_tuple_kind = pgoutput::kOldTupleMarker;
  del.old_tuple = old_row;
  ASSERT_TRUE(encoder.EncodeDelete(*table, del, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].value,
            R"({"schema":)" + table->value_schema_json() +
                R"(,"payload":{"before":{"id":1001,"name":"Sally","email":"s@example.com"},)"
                R"("after":null,"source":)" +
                kSource + Tail('d') + "}");
}

// Fallbacks for NOT NULL columns a key-only tuple lacks (debezium-format.md
// section 5; JdbcValueConverters.convertValue).
TEST_F(ChangeEncoderTest, DeleteFallbacksPerType) {
  ChangeEncoder encoder(Options(false));
  schema::TableSchema t;
  t.schema_name = "public";
  t.table_name = "t";
  t.columns = {Col("id", pg_oid::kInt8, true, false),
               Col("b", pg_oid::kBool, false, false),
               Col("n", pg_oid::kNumeric, false, false, ((10 << 16) | 2) + 4),
               Col("v", pg_oid::kNumeric, false, false),
               Col("f", pg_oid::kFloat8, false, false),
               Col("d", pg_oid::kDate, false, false),
               Col("ts", pg_oid::kTimestamp, false, false),
               Col("tz", pg_oid::kTimestampTz, false, false),
               Col("j", pg_oid::kJsonb, false, false),
               Col("by", pg_oid::kBytea, false, false),
               Col("o", pg_oid::kInt2, false, true)};
  auto table = Table(encoder, t);
  std::vector<TupleColumn> old_key(t.columns.size(), Null());
  old_key[0] = T("7");
  pgoutput::Delete del;
  del.old_tuple = old_key;
  ASSERT_TRUE(encoder.EncodeDelete(*table, del, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 2u);
  EXPECT_THAT(*records_[0].value,
              HasSubstr(R"({"before":{"id":7,"b":false,"n":"AA==","v":{"scale":0,"value":"AA=="},)"
                        R"("f":0.0,"d":0,"ts":0,"tz":"1970-01-01T00:00:00Z","j":"","by":"",)"
                        R"("o":null},"after":null,)"));
}

TEST_F(ChangeEncoderTest, TableWithoutKeyHasNullKeys) {
  ChangeEncoder encoder(Options(false));
  schema::TableSchema t = Customers();
  for (schema::ColumnSchema& c : t.columns) c.is_key = false;
  auto table = Table(encoder, t);
  EXPECT_FALSE(table->has_key());
  EXPECT_EQ(table->key_schema_json(), "");
  TupleColumn row[] = {T("1"), T("x"), Null()};
  pgoutput::Insert insert;
  insert.new_tuple = row;
  ASSERT_TRUE(encoder.EncodeInsert(*table, insert, Context(), Recorder()).ok());
  pgoutput::Delete del;
  del.old_tuple_kind = pgoutput::kOldTupleMarker;
  del.old_tuple = row;
  ASSERT_TRUE(encoder.EncodeDelete(*table, del, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 3u);
  for (const Captured& r : records_) EXPECT_EQ(r.key, std::nullopt);
  EXPECT_EQ(records_[2].value, std::nullopt);  // The tombstone: null key, null value.
}

// TableSchemaBuilder adds key fields in Table.primaryKeyColumns() order: the
// primary key's column order (PRIMARY KEY (name, id) here), not attribute order.
TEST_F(ChangeEncoderTest, KeyFieldsFollowTheKeyOrder) {
  ChangeEncoder encoder(Options(true));
  schema::TableSchema t = Customers();
  t.columns[0].key_position = 2;
  t.columns[1].is_key = true;
  t.columns[1].key_position = 1;
  auto table = Table(encoder, t);
  EXPECT_EQ(table->key_schema_json(),
            R"({"type":"struct","fields":[{"type":"string","optional":false,"field":"name"},)"
            R"({"type":"int32","optional":false,"field":"id"}],"optional":false,)"
            R"("name":"dbserver1.public.customers.Key"})");
  TupleColumn row[] = {T("1"), T("ada"), Null()};
  pgoutput::Insert insert;
  insert.new_tuple = row;
  ASSERT_TRUE(encoder.EncodeInsert(*table, insert, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_THAT(*records_[0].key, HasSubstr(R"("payload":{"name":"ada","id":1}})"));
  EXPECT_THAT(*records_[0].value, HasSubstr(R"("after":{"id":1,"name":"ada","email":null})"));
}

// column.include.list leaving out a key column: TableSchemaBuilder filters the
// value's fields only, so the column stays in the key.
TEST_F(ChangeEncoderTest, KeyColumnLeftOutOfTheValueStaysInTheKey) {
  ChangeEncoder encoder(Options(false));
  schema::TableSchema t = Customers();
  t.columns[0].in_value = false;
  t.columns[0].optional = true;
  auto table = Table(encoder, t);
  EXPECT_THAT(table->value_schema_json(),
              HasSubstr(R"({"type":"struct","fields":[{"type":"string","optional":false,)"
                        R"("field":"name"},{"type":"string","optional":true,"field":"email"}],)"
                        R"("optional":true,"name":"dbserver1.public.customers.Value")"));
  EXPECT_THAT(table->key_schema_json(),
              HasSubstr(R"({"type":"int32","optional":true,"field":"id"})"));
  TupleColumn row[] = {T("7"), T("ada"), T("a@x")};
  pgoutput::Insert insert;
  insert.new_tuple = row;
  ASSERT_TRUE(encoder.EncodeInsert(*table, insert, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_EQ(records_[0].key, R"({"id":7})");
  EXPECT_THAT(*records_[0].value, HasSubstr(R"("after":{"name":"ada","email":"a@x"})"));
}

// Columns of types Debezium has no schema for (box, a domain array) are left
// out of the value schema and of before / after; the tuple still has them.
TEST_F(ChangeEncoderTest, ColumnsWithoutSchemaAreLeftOut) {
  ChangeEncoder encoder(Options(true));
  schema::TableSchema t;
  t.schema_name = "public";
  t.table_name = "shapes";
  schema::ColumnSchema domain_array = Col("dom", 16390, false, true);
  domain_array.type_name = "_posint";
  t.columns = {Col("bx", 603, false, true), Col("id", pg_oid::kInt4, true, false), domain_array,
               Col("name", pg_oid::kText, false, true)};
  auto table = Table(encoder, t);
  EXPECT_THAT(table->value_schema_json(),
              HasSubstr(R"({"type":"struct","fields":[{"type":"int32","optional":false,)"
                        R"("field":"id"},{"type":"string","optional":true,"field":"name"}],)"
                        R"("optional":true,"name":"dbserver1.public.shapes.Value")"));
  TupleColumn row[] = {T("(1,1),(0,0)"), T("7"), T("{1,2}"), T("a")};
  pgoutput::Update update;
  update.new_tuple = row;
  update.old_tuple_kind = pgoutput::kOldTupleMarker;
  update.old_tuple = row;
  ASSERT_TRUE(encoder.EncodeUpdate(*table, update, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 1u);
  EXPECT_THAT(*records_[0].value, HasSubstr(R"("payload":{"before":{"id":7,"name":"a"},)"
                                            R"("after":{"id":7,"name":"a"},)"));
}

// PostgresChangeRecordEmitter: an unchanged TOAST value takes the old tuple's
// value when there is one, else the placeholder.
TEST_F(ChangeEncoderTest, UnchangedToastValues) {
  ChangeEncoder encoder(Options(false));
  schema::TableSchema t;
  t.schema_name = "public";
  t.table_name = "docs";
  t.columns = {Col("id", pg_oid::kInt4, true, false), Col("body", pg_oid::kText, false, true),
               Col("blob", pg_oid::kBytea, false, true), Col("meta", pg_oid::kJsonb, false, true)};
  auto table = Table(encoder, t);

  TupleColumn new_row[] = {T("1"), Toast(), Toast(), Toast()};
  pgoutput::Update update;
  update.new_tuple = new_row;
  ASSERT_TRUE(encoder.EncodeUpdate(*table, update, Context(), Recorder()).ok());
  EXPECT_THAT(*records_[0].value,
              HasSubstr(R"("after":{"id":1,"body":"__debezium_unavailable_value",)"
                        R"("blob":"X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ==",)"
                        R"("meta":"__debezium_unavailable_value"})"));

  TupleColumn old_row[] = {T("1"), T("long text"), T("\\x0102"), Null()};
  update.old_tuple_kind = pgoutput::kOldTupleMarker;
  update.old_tuple = old_row;
  ASSERT_TRUE(encoder.EncodeUpdate(*table, update, Context(), Recorder()).ok());
  EXPECT_THAT(*records_[1].value, HasSubstr(R"("after":{"id":1,"body":"long text","blob":"AQI=",)"
                                            R"("meta":"__debezium_unavailable_value"})"));
}

// Debezium's converter throws for numeric NaN (decimal.handling.mode=precise)
// and for an unchanged TOAST numeric; TableSchemaBuilder's value generator
// catches it (event.converting.failure.handling.mode=warn) and leaves the
// field null. A NOT NULL field then fails in JsonConverter; a key fails.
TEST_F(ChangeEncoderTest, UnconvertibleValuesBecomeNullInOptionalColumns) {
  ChangeEncoder encoder(Options(false));
  schema::TableSchema t;
  t.schema_name = "public";
  t.table_name = "n";
  t.columns = {Col("id", pg_oid::kInt4, true, false), Col("a", pg_oid::kNumeric, false, true),
               Col("b", pg_oid::kNumeric, false, true, ((10 << 16) | 2) + 4),
               Col("c", pg_oid::kNumeric, false, false)};
  auto table = Table(encoder, t);
  TupleColumn row[] = {T("1"), T("NaN"), Toast(), T("1.5")};
  pgoutput::Update update;
  update.new_tuple = row;
  ASSERT_TRUE(encoder.EncodeUpdate(*table, update, Context(), Recorder()).ok());
  EXPECT_THAT(*records_[0].value,
              HasSubstr(R"("after":{"id":1,"a":null,"b":null,"c":{"scale":1,"value":"Dw=="}})"));

  TupleColumn not_null[] = {T("1"), Null(), Null(), T("Infinity")};
  update.new_tuple = not_null;
  absl::Status s = encoder.EncodeUpdate(*table, update, Context(), Recorder());
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(s.message()), HasSubstr("column \"c\" (numeric)"));
  EXPECT_EQ(records_.size(), 1u);
}

TEST_F(ChangeEncoderTest, CustomPlaceholder) {
  EncoderOptions options = Options(false);
  options.unavailable_value_placeholder = "<toast>";
  ChangeEncoder encoder(options);
  auto table = Table(encoder, Customers());
  TupleColumn row[] = {T("1"), T("x"), Toast()};
  pgoutput::Update update;
  update.new_tuple = row;
  ASSERT_TRUE(encoder.EncodeUpdate(*table, update, Context(), Recorder()).ok());
  EXPECT_THAT(*records_[0].value, HasSubstr(R"("email":"<toast>"})"));
}

TEST_F(ChangeEncoderTest, SourceWithoutLastCommitAndWithOrigin) {
  ChangeEncoder encoder(Options(false));
  auto table = Table(encoder, Customers());
  TupleColumn row[] = {T("1"), T("x"), Null()};
  pgoutput::Insert insert;
  insert.new_tuple = row;
  ChangeContext context = Context();
  context.last_commit_lsn = Lsn();
  context.origin = "pg_16400";
  context.origin_lsn = Lsn(0x16B374D848ULL);
  ASSERT_TRUE(encoder.EncodeInsert(*table, insert, context, Recorder()).ok());
  EXPECT_THAT(*records_[0].value, HasSubstr(R"("sequence":"[null,\"314477488\"]")"));
  EXPECT_THAT(*records_[0].value,
              HasSubstr(R"("xmin":null,"origin":"pg_16400","origin_lsn":97500059720})"));
}

// extended.headers.enabled (default true): four string headers on every
// record, after the PK-change header; JsonConverter writes string headers
// with their schema.
TEST_F(ChangeEncoderTest, ExtendedHeaders) {
  EncoderOptions options = Options(false);
  options.extended_headers_enabled = true;
  options.header_schemas_enable = true;
  options.run_id = "671711f6-5517-4c69-806b-87c1b034ee7b";
  ChangeEncoder encoder(options);
  auto table = Table(encoder, Customers());
  TupleColumn old_key[] = {T("1"), Null(), Null()};
  TupleColumn new_row[] = {T("2"), T("x"), Null()};
  pgoutput::Update update;
  update.old_tuple_kind = pgoutput::kKeyTupleMarker;
  update.old_tuple = old_key;
  update.new_tuple = new_row;
  ASSERT_TRUE(encoder.EncodeUpdate(*table, update, Context(), Recorder()).ok());
  ASSERT_EQ(records_.size(), 3u);
  auto header = [](const char* value) {
    return std::string(R"({"schema":{"type":"string","optional":false},"payload":")") + value +
           "\"}";
  };
  ASSERT_EQ(records_[2].headers.size(), 5u);
  EXPECT_EQ(records_[2].headers[0].first, "__debezium.oldkey");
  EXPECT_EQ(
      records_[2].headers[1],
      std::make_pair(std::string("__debezium.context.connectorLogicalName"), header("dbserver1")));
  EXPECT_EQ(records_[2].headers[2],
            std::make_pair(std::string("__debezium.context.taskId"), header("0")));
  EXPECT_EQ(records_[2].headers[3],
            std::make_pair(std::string("__debezium.context.connectorName"), header("postgresql")));
  EXPECT_EQ(records_[2].headers[4], std::make_pair(std::string("__debezium.context.runId"),
                                                   header("671711f6-5517-4c69-806b-87c1b034ee7b")));
  EXPECT_EQ(records_[1].headers.size(), 5u);  // Tombstone keeps the delete's.
}

TEST_F(ChangeEncoderTest, TopicAndSchemaNamesAreSanitized) {
  ChangeEncoder encoder(Options(true));
  schema::TableSchema t = Customers();
  t.schema_name = "Sales Dept";
  t.table_name = "order$";
  auto table = Table(encoder, t);
  EXPECT_EQ(table->topic(), "dbserver1.Sales_Dept.order_");
  EXPECT_THAT(table->key_schema_json(), HasSubstr(R"("name":"dbserver1.Sales_Dept.order_.Key")"));
  TupleColumn row[] = {T("1"), T("x"), Null()};
  pgoutput::Insert insert;
  insert.new_tuple = row;
  ASSERT_TRUE(encoder.EncodeInsert(*table, insert, Context(), Recorder()).ok());
  // source.schema / source.table keep the real names.
  EXPECT_THAT(*records_[0].value, HasSubstr(R"("schema":"Sales Dept","table":"order$")"));
}

TEST_F(ChangeEncoderTest, FieldNamesAreEscaped) {
  ChangeEncoder encoder(Options(false));
  schema::TableSchema t;
  t.schema_name = "public";
  t.table_name = "q";
  t.columns = {Col("a\"b", pg_oid::kInt4, true, false),
               Col("\u00e9t\u00e9", pg_oid::kText, false, true)};
  auto table = Table(encoder, t);
  TupleColumn row[] = {T("1"), T("\u20ac")};
  pgoutput::Insert insert;
  insert.new_tuple = row;
  ASSERT_TRUE(encoder.EncodeInsert(*table, insert, Context(), Recorder()).ok());
  EXPECT_EQ(records_[0].key, R"({"a\"b":1})");
  EXPECT_THAT(*records_[0].value,
              HasSubstr("\"after\":{\"a\\\"b\":1,\"\u00e9t\u00e9\":\"\u20ac\"}"));
}

TEST_F(ChangeEncoderTest, ColumnCountMismatchIsDataLoss) {
  ChangeEncoder encoder(Options(false));
  auto table = Table(encoder, Customers());
  TupleColumn row[] = {T("1"), T("x")};
  pgoutput::Insert insert;
  insert.new_tuple = row;
  absl::Status s = encoder.EncodeInsert(*table, insert, Context(), Recorder());
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(s.message(), HasSubstr("\"public\".\"customers\""));
  EXPECT_THAT(s.message(), HasSubstr("has 2 columns, its schema has 3"));
  EXPECT_TRUE(records_.empty());
}

TEST_F(ChangeEncoderTest, MalformedValueNamesTableColumnTypeAndLsn) {
  ChangeEncoder encoder(Options(false));
  auto table = Table(encoder, Customers());
  TupleColumn row[] = {T("12x"), T("x"), Null()};
  pgoutput::Insert insert;
  insert.new_tuple = row;
  absl::Status s = encoder.EncodeInsert(*table, insert, Context(), Recorder());
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(s.message(), HasSubstr("table \"public\".\"customers\" column \"id\" (int4)"));
  EXPECT_THAT(s.message(), HasSubstr("at LSN 0/12BE8BB0"));
  EXPECT_TRUE(records_.empty());
}

TEST_F(ChangeEncoderTest, BinaryTupleValuesAreUnimplemented) {
  ChangeEncoder encoder(Options(false));
  auto table = Table(encoder, Customers());
  TupleColumn row[] = {TupleColumn{TupleKind::kBinary, "\0\0\0\1"}, T("x"), Null()};
  pgoutput::Insert insert;
  insert.new_tuple = row;
  EXPECT_EQ(encoder.EncodeInsert(*table, insert, Context(), Recorder()).code(),
            absl::StatusCode::kUnimplemented);
}

TEST_F(ChangeEncoderTest, EmitErrorStopsTheSequence) {
  ChangeEncoder encoder(Options(false));
  auto table = Table(encoder, Customers());
  TupleColumn old_key[] = {T("1"), Null(), Null()};
  pgoutput::Delete del;
  del.old_tuple = old_key;
  int calls = 0;
  absl::Status s = encoder.EncodeDelete(*table, del, Context(), [&](const Record&) {
    ++calls;
    return absl::UnavailableError("broker down");
  });
  EXPECT_EQ(s, absl::UnavailableError("broker down"));
  EXPECT_EQ(calls, 1);
}

TEST_F(ChangeEncoderTest, EmptyTopicPrefixIsInvalid) {
  EncoderOptions options = Options(false);
  options.topic_prefix = "";
  ChangeEncoder encoder(options);
  EXPECT_EQ(encoder.NewTableEncoding(Customers()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// The hot path reuses its buffers: once warm, the same-sized event is written
// into the same storage.
TEST_F(ChangeEncoderTest, ReusesBuffers) {
  ChangeEncoder encoder(Options(true));
  auto table = Table(encoder, Customers());
  TupleColumn row[] = {T("1001"), T("Sally"), T("s@example.com")};
  pgoutput::Insert insert;
  insert.new_tuple = row;
  std::vector<const char*> key_data, value_data;
  auto remember = [&](const Record& r) {
    key_data.push_back(r.key->data());
    value_data.push_back(r.value->data());
    return absl::OkStatus();
  };
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(encoder.EncodeInsert(*table, insert, Context(), remember).ok());
  }
  EXPECT_EQ(key_data[1], key_data[2]);
  EXPECT_EQ(value_data[1], value_data[2]);
}

}  // namespace
}  // namespace trackops::event
