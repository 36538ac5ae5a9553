// Kafka Connect schemas and their JSON form, as JsonConverter.asJsonSchema
// writes them: keys in the order type, items | keys,values | fields, optional,
// name, version, doc, parameters, default; a struct field's entry is its
// schema followed by "field":"<name>".
//
// Only what the event module needs: these are built once per table, so the
// representation favours clarity over speed.

#ifndef TRACKOPS_EVENT_CONNECT_SCHEMA_H_
#define TRACKOPS_EVENT_CONNECT_SCHEMA_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trackops::event {

struct ConnectField;

struct ConnectSchema {
  // Connect type literal: boolean, int8, int16, int32, int64, float, double,
  // bytes, string, array, map, struct.
  std::string type;
  bool optional = false;
  std::string name;            // Empty: none.
  std::optional<int> version;  // nullopt: none.
  std::string doc;             // Empty: none.
  // In insertion order (Connect keeps a LinkedHashMap). Empty: none.
  std::vector<std::pair<std::string, std::string>> parameters;
  std::string default_json;              // The default as JSON; empty: none.
  std::vector<ConnectField> fields;      // type "struct".
  std::shared_ptr<ConnectSchema> items;  // type "array".
  std::shared_ptr<ConnectSchema> keys;   // type "map".
  std::shared_ptr<ConnectSchema> values;  // type "map".
};

struct ConnectField {
  std::string name;
  ConnectSchema schema;
};

// Appends the schema's JSON; with a non-empty `field_name`, as a struct field
// entry ("field":"<field_name>" last).
void AppendSchemaJson(const ConnectSchema& schema, std::string_view field_name, std::string* out);
std::string SchemaJson(const ConnectSchema& schema);

// Shorthands for the primitive schemas.
ConnectSchema PrimitiveSchema(std::string_view type, bool optional);

// io.debezium.connector.postgresql.Source, version 1 (Debezium 3.5+ layout).
ConnectSchema PostgresSourceSchema();

// event.block, version 1, optional: the envelope's transaction field.
ConnectSchema TransactionBlockSchema();

// The change event envelope: before/after (`value_schema`), source,
// transaction, op, ts_ms, ts_us, ts_ns; version 2.
ConnectSchema EnvelopeSchema(std::string_view envelope_name, const ConnectSchema& value_schema);

}  // namespace trackops::event

#endif  // TRACKOPS_EVENT_CONNECT_SCHEMA_H_
