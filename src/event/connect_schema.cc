#include "event/connect_schema.h"

#include "event/json_writer.h"

namespace trackops::event {

void AppendSchemaJson(const ConnectSchema& schema, std::string_view field_name, std::string* out) {
  JsonWriter w(out);
  w.Raw("{\"type\":");
  w.String(schema.type);
  if (schema.type == "array" && schema.items != nullptr) {
    w.Raw(",\"items\":");
    AppendSchemaJson(*schema.items, "", out);
  }
  if (schema.type == "map" && schema.keys != nullptr && schema.values != nullptr) {
    w.Raw(",\"keys\":");
    AppendSchemaJson(*schema.keys, "", out);
    w.Raw(",\"values\":");
    AppendSchemaJson(*schema.values, "", out);
  }
  if (schema.type == "struct") {
    w.Raw(",\"fields\":[");
    for (size_t i = 0; i < schema.fields.size(); ++i) {
      if (i > 0) w.Raw(',');
      AppendSchemaJson(schema.fields[i].schema, schema.fields[i].name, out);
    }
    w.Raw(']');
  }
  w.Raw(",\"optional\":");
  w.Bool(schema.optional);
  if (!schema.name.empty()) {
    w.Raw(",\"name\":");
    w.String(schema.name);
  }
  if (schema.version.has_value()) {
    w.Raw(",\"version\":");
    w.Int(*schema.version);
  }
  if (!schema.doc.empty()) {
    w.Raw(",\"doc\":");
    w.String(schema.doc);
  }
  if (!schema.parameters.empty()) {
    w.Raw(",\"parameters\":{");
    for (size_t i = 0; i < schema.parameters.size(); ++i) {
      if (i > 0) w.Raw(',');
      w.String(schema.parameters[i].first);
      w.Raw(':');
      w.String(schema.parameters[i].second);
    }
    w.Raw('}');
  }
  if (!schema.default_json.empty()) {
    w.Raw(",\"default\":");
    w.Raw(schema.default_json);
  }
  if (!field_name.empty()) {
    w.Raw(",\"field\":");
    w.String(field_name);
  }
  w.Raw('}');
}

std::string SchemaJson(const ConnectSchema& schema) {
  std::string out;
  AppendSchemaJson(schema, "", &out);
  return out;
}

ConnectSchema PrimitiveSchema(std::string_view type, bool optional) {
  ConnectSchema s;
  s.type = std::string(type);
  s.optional = optional;
  return s;
}

ConnectSchema PostgresSourceSchema() {
  // SchemaFactory.sourceInfoSchemaBuilder + PostgresSourceInfoStructMaker.
  ConnectSchema snapshot;
  snapshot.type = "string";
  snapshot.optional = true;
  snapshot.name = "io.debezium.data.Enum";
  snapshot.version = 1;
  snapshot.parameters = {{"allowed",
                          "true,first,first_in_data_collection,last_in_data_collection,last,false,"
                          "incremental"}};
  snapshot.default_json = "\"false\"";

  ConnectSchema s;
  s.type = "struct";
  s.optional = false;
  s.name = "io.debezium.connector.postgresql.Source";
  s.version = 1;
  s.fields = {
      {"version", PrimitiveSchema("string", false)},
      {"connector", PrimitiveSchema("string", false)},
      {"name", PrimitiveSchema("string", false)},
      {"ts_ms", PrimitiveSchema("int64", false)},
      {"snapshot", snapshot},
      {"db", PrimitiveSchema("string", false)},
      {"sequence", PrimitiveSchema("string", true)},
      {"ts_us", PrimitiveSchema("int64", true)},
      {"ts_ns", PrimitiveSchema("int64", true)},
      {"schema", PrimitiveSchema("string", false)},
      {"table", PrimitiveSchema("string", false)},
      {"txId", PrimitiveSchema("int64", true)},
      {"lsn", PrimitiveSchema("int64", true)},
      {"xmin", PrimitiveSchema("int64", true)},
      {"origin", PrimitiveSchema("string", true)},
      {"origin_lsn", PrimitiveSchema("int64", true)},
  };
  return s;
}

ConnectSchema TransactionBlockSchema() {
  ConnectSchema s;
  s.type = "struct";
  s.optional = true;
  s.name = "event.block";
  s.version = 1;
  s.fields = {
      {"id", PrimitiveSchema("string", false)},
      {"total_order", PrimitiveSchema("int64", false)},
      {"data_collection_order", PrimitiveSchema("int64", false)},
  };
  return s;
}

ConnectSchema EnvelopeSchema(std::string_view envelope_name, const ConnectSchema& value_schema) {
  ConnectSchema s;
  s.type = "struct";
  s.optional = false;
  s.name = std::string(envelope_name);
  s.version = 2;
  s.fields = {
      {"before", value_schema},
      {"after", value_schema},
      {"source", PostgresSourceSchema()},
      {"transaction", TransactionBlockSchema()},
      {"op", PrimitiveSchema("string", false)},
      {"ts_ms", PrimitiveSchema("int64", true)},
      {"ts_us", PrimitiveSchema("int64", true)},
      {"ts_ns", PrimitiveSchema("int64", true)},
  };
  return s;
}

}  // namespace trackops::event
