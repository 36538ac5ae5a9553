#include "event/connect_schema.h"

#include <memory>

#include "gtest/gtest.h"

namespace trackops::event {
namespace {

// JsonConverter.asJsonSchema key order: type, items/fields, optional, name,
// version, doc, parameters, default; "field" last in struct entries.
TEST(ConnectSchemaTest, PrimitiveSchemas) {
  EXPECT_EQ(SchemaJson(PrimitiveSchema("int32", false)), R"({"type":"int32","optional":false})");
  std::string out;
  AppendSchemaJson(PrimitiveSchema("string", true), "name", &out);
  EXPECT_EQ(out, R"({"type":"string","optional":true,"field":"name"})");
}

TEST(ConnectSchemaTest, AllAttributesInJsonConverterOrder) {
  ConnectSchema s;
  s.type = "bytes";
  s.optional = true;
  s.name = "org.apache.kafka.connect.data.Decimal";
  s.version = 1;
  s.doc = "a \"doc\"";
  s.parameters = {{"scale", "2"}, {"connect.decimal.precision", "3"}};
  s.default_json = "\"AA==\"";
  std::string out;
  AppendSchemaJson(s, "d", &out);
  EXPECT_EQ(out,
            R"({"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal",)"
            R"("version":1,"doc":"a \"doc\"","parameters":{"scale":"2",)"
            R"("connect.decimal.precision":"3"},"default":"AA==","field":"d"})");
}

TEST(ConnectSchemaTest, MapHasKeysThenValuesAfterType) {
  ConnectSchema s;
  s.type = "map";
  s.optional = true;
  s.keys = std::make_shared<ConnectSchema>(PrimitiveSchema("string", false));
  s.values = std::make_shared<ConnectSchema>(PrimitiveSchema("string", true));
  std::string out;
  AppendSchemaJson(s, "h", &out);
  EXPECT_EQ(out,
            R"({"type":"map","keys":{"type":"string","optional":false},)"
            R"("values":{"type":"string","optional":true},"optional":true,"field":"h"})");
}

TEST(ConnectSchemaTest, ArrayHasItemsAfterType) {
  ConnectSchema s;
  s.type = "array";
  s.optional = true;
  s.items = std::make_shared<ConnectSchema>(PrimitiveSchema("int32", true));
  EXPECT_EQ(SchemaJson(s),
            R"({"type":"array","items":{"type":"int32","optional":true},"optional":true})");
}

// SourceInfoTest.schemaIsCorrect (Debezium 3.6.1) lists these fields in this
// order; snapshot is SchemaFactory.snapshotRecordSchema().
TEST(ConnectSchemaTest, PostgresSourceSchema) {
  EXPECT_EQ(
      SchemaJson(PostgresSourceSchema()),
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
      R"("optional":false,"name":"io.debezium.connector.postgresql.Source","version":1})");
}

TEST(ConnectSchemaTest, TransactionBlockSchema) {
  EXPECT_EQ(SchemaJson(TransactionBlockSchema()),
            R"({"type":"struct","fields":[{"type":"string","optional":false,"field":"id"},)"
            R"({"type":"int64","optional":false,"field":"total_order"},)"
            R"({"type":"int64","optional":false,"field":"data_collection_order"}],)"
            R"("optional":true,"name":"event.block","version":1})");
}

TEST(ConnectSchemaTest, EnvelopeFieldOrderAndVersion) {
  ConnectSchema value;
  value.type = "struct";
  value.optional = true;
  value.name = "p.s.t.Value";
  value.fields = {{"id", PrimitiveSchema("int32", false)}};
  std::string json = SchemaJson(EnvelopeSchema("p.s.t.Envelope", value));
  const std::string value_json =
      R"({"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"}],)"
      R"("optional":true,"name":"p.s.t.Value",)";
  EXPECT_EQ(json.rfind(R"({"type":"struct","fields":[)" + value_json + R"("field":"before"},)" +
                           value_json + R"("field":"after"},)",
                       0),
            0u);
  EXPECT_NE(json.find(R"("name":"io.debezium.connector.postgresql.Source","version":1,)"
                      R"("field":"source"},{"type":"struct","fields":[)"),
            std::string::npos);
  EXPECT_NE(json.find(R"("name":"event.block","version":1,"field":"transaction"},)"
                      R"({"type":"string","optional":false,"field":"op"},)"
                      R"({"type":"int64","optional":true,"field":"ts_ms"},)"
                      R"({"type":"int64","optional":true,"field":"ts_us"},)"
                      R"({"type":"int64","optional":true,"field":"ts_ns"}],)"
                      R"("optional":false,"name":"p.s.t.Envelope","version":2})"),
            std::string::npos);
}

}  // namespace
}  // namespace trackops::event
