#include "transforms/field_reference.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "event/connect_schema.h"
#include "event/json_writer.h"
#include "transforms/json_scan.h"
#include "util/string_view.h"

namespace trackops::transforms {
namespace {

using event::ConnectField;
using event::ConnectSchema;

const ConnectField* FindIn(const ConnectSchema& schema, std::string_view name) {
  for (const ConnectField& f : schema.fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// Debezium's FieldReference.determineStruct.
FieldReference::Parent DefaultParent(std::string_view field) {
  if (field == "id" || field == "total_order" || field == "data_collection_order") {
    return FieldReference::Parent::kTransaction;
  }
  if (field == "op" || field == "ts_ms" || field == "ts_us" || field == "ts_ns") {
    return FieldReference::Parent::kEnvelope;
  }
  return FieldReference::Parent::kSource;
}

}  // namespace

absl::StatusOr<std::string_view> FieldReference::Value(const ChangeEventView& event) const {
  if (unset_in_streaming) return std::string_view("null");
  std::string_view parent_value = event.payload;
  if (parent == Parent::kSource) parent_value = event.values.source;
  if (parent == Parent::kTransaction) parent_value = event.values.transaction;
  if (parent_value.empty() || parent_value.front() != '{') return std::string_view("null");
  auto value = FindMember(parent_value, field);
  if (!value.ok()) return value.status();
  if (value->empty()) {
    // Debezium looks in the envelope when the parent lacks it.
    value = FindMember(event.payload, field);
    if (!value.ok()) return value.status();
  }
  return value->empty() ? std::string_view("null") : *value;
}

absl::StatusOr<std::vector<FieldReference>> ParseFieldReferences(std::string_view prefix,
                                                                 std::string_view list) {
  std::vector<FieldReference> refs;
  if (absl::StripAsciiWhitespace(ToAbsl(list)).empty()) return refs;
  static const ConnectSchema* envelope =
      new ConnectSchema(event::EnvelopeSchema("x.Envelope", event::PrimitiveSchema("string", true)));
  const ConnectSchema source = event::PostgresSourceSchema();
  const ConnectSchema transaction = event::TransactionBlockSchema();
  for (absl::string_view entry : absl::StrSplit(ToAbsl(list), ',')) {
    entry = absl::StripAsciiWhitespace(entry);
    std::vector<absl::string_view> parts = absl::StrSplit(entry, ':');
    if (parts.size() > 2 || parts[0].empty()) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected field name '", entry, "'"));
    }
    std::vector<absl::string_view> path = absl::StrSplit(parts[0], '.');
    FieldReference ref;
    std::string struct_name;
    if (path.size() == 1) {
      ref.field = std::string(path[0]);
      ref.parent = DefaultParent(ref.field);
    } else {
      struct_name = std::string(path[0]);
      ref.field = std::string(path[1]);
      if (struct_name == "source") ref.parent = FieldReference::Parent::kSource;
      else if (struct_name == "transaction") ref.parent = FieldReference::Parent::kTransaction;
      else ref.parent = FieldReference::Parent::kEnvelope;
    }
    if (parts.size() == 2) {
      ref.new_field = absl::StrCat(ToAbsl(prefix), parts[1]);
    } else if (path.size() == 1) {
      ref.new_field = absl::StrCat(ToAbsl(prefix), ref.field);
    } else {
      ref.new_field = absl::StrCat(ToAbsl(prefix), struct_name, "_", ref.field);
    }
    const ConnectField* field = nullptr;
    if (ref.parent == FieldReference::Parent::kSource) field = FindIn(source, ref.field);
    if (ref.parent == FieldReference::Parent::kTransaction) field = FindIn(transaction, ref.field);
    if (field == nullptr) field = FindIn(*envelope, ref.field);
    if (field == nullptr) continue;  // Debezium skips fields the event lacks.
    if (field->schema.type == "struct" || field->schema.type == "array") {
      return absl::InvalidArgumentError(
          absl::StrCat("field '", entry, "' is a ", field->schema.type, ", not a single value"));
    }
    ConnectSchema copy;
    copy.type = field->schema.type;
    copy.optional = true;
    copy.name = field->schema.name;
    copy.version = field->schema.version;
    copy.doc = field->schema.doc;
    copy.parameters = field->schema.parameters;
    ref.schema_json = event::SchemaJson(copy);
    event::JsonWriter(&ref.new_field_json).String(ref.new_field);
    ref.unset_in_streaming = !field->schema.default_json.empty();
    refs.push_back(std::move(ref));
  }
  return refs;
}

}  // namespace trackops::transforms
