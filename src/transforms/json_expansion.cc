#include "transforms/json_expansion.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "event/connect_schema.h"
#include "event/json_writer.h"
#include "simdjson.h"
#include "util/string_view.h"

namespace trackops::transforms {
namespace {

using event::ConnectField;
using event::ConnectSchema;
using simdjson::dom::element;
using simdjson::dom::element_type;

bool IsInt32(int64_t v) {
  return v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
}

// Type identity for the homogeneity check: Debezium compares the node type,
// and for numbers the schema (int32 / int64 / float64).
std::string Kind(element e) {
  switch (e.type()) {
    case element_type::INT64:
      return IsInt32(int64_t(e)) ? "int32" : "int64";
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "float64";
    case element_type::STRING: return "string";
    case element_type::BOOL: return "boolean";
    case element_type::ARRAY: return "array";
    case element_type::OBJECT: return "object";
    case element_type::NULL_VALUE: return "null";
  }
  return "?";
}

}  // namespace

struct JsonExpansion::Impl {
  bool null_as_bytes = false;
  simdjson::dom::parser parser;

  // nullptr schema: the field is left out.
  absl::Status SchemaOf(std::string_view key, element e, std::unique_ptr<ConnectSchema>* out) {
    out->reset();
    switch (e.type()) {
      case element_type::STRING:
        *out = std::make_unique<ConnectSchema>(event::PrimitiveSchema("string", true));
        return absl::OkStatus();
      case element_type::BOOL:
        *out = std::make_unique<ConnectSchema>(event::PrimitiveSchema("boolean", true));
        return absl::OkStatus();
      case element_type::INT64:
        *out = std::make_unique<ConnectSchema>(
            event::PrimitiveSchema(IsInt32(int64_t(e)) ? "int32" : "int64", true));
        return absl::OkStatus();
      case element_type::UINT64:
        return absl::InvalidArgumentError("an integer beyond int64 (a BigInteger in Debezium)");
      case element_type::DOUBLE:
        *out = std::make_unique<ConnectSchema>(event::PrimitiveSchema("double", true));
        return absl::OkStatus();
      case element_type::NULL_VALUE:
        if (null_as_bytes) {
          *out = std::make_unique<ConnectSchema>(event::PrimitiveSchema("bytes", true));
        }
        return absl::OkStatus();
      case element_type::ARRAY: {
        simdjson::dom::array array = e;
        if (array.size() == 0) return absl::OkStatus();
        auto items = std::make_unique<ConnectSchema>();
        absl::Status s = ArrayItems(key, array, items.get());
        if (!s.ok()) return s;
        auto schema = std::make_unique<ConnectSchema>();
        schema->type = "array";
        schema->optional = true;
        schema->items = std::shared_ptr<ConnectSchema>(items.release());
        *out = std::move(schema);
        return absl::OkStatus();
      }
      case element_type::OBJECT: {
        auto schema = std::make_unique<ConnectSchema>();
        schema->type = "struct";
        schema->optional = true;
        schema->name = std::string(key);
        for (auto field : simdjson::dom::object(e)) {
          std::string name(field.key);
          std::string path = key.empty() ? name : absl::StrCat(ToAbsl(key), ".", name);
          std::unique_ptr<ConnectSchema> child;
          absl::Status s = SchemaOf(path, field.value, &child);
          if (!s.ok()) return s;
          // A repeated key: Jackson keeps the last value at the first one's place.
          auto& fields = schema->fields;
          auto it = std::find_if(fields.begin(), fields.end(),
                                 [&](const ConnectField& f) { return f.name == name; });
          if (it == fields.end()) {
            if (child != nullptr) fields.push_back(ConnectField{name, *child});
          } else if (child != nullptr) {
            it->schema = *child;
          } else {
            fields.erase(it);
          }
        }
        *out = std::move(schema);
        return absl::OkStatus();
      }
    }
    return absl::OkStatus();
  }

  absl::Status ArrayItems(std::string_view key, simdjson::dom::array array, ConnectSchema* out) {
    element sample;
    bool have = false;
    for (element e : array) {
      if (e.is_null()) continue;
      if (!have) {
        sample = e;
        have = true;
      }
      if (Kind(e) != Kind(sample)) return absl::InvalidArgumentError("a heterogeneous array");
    }
    if (!have) return absl::InvalidArgumentError("an array without a non-null element");
    std::unique_ptr<ConnectSchema> schema;
    if (sample.type() == element_type::OBJECT) {
      // Objects: their schemas merged, fields in order of appearance.
      for (element e : array) {
        if (!e.is_object()) continue;
        std::unique_ptr<ConnectSchema> element_schema;
        absl::Status s = SchemaOf(key, e, &element_schema);
        if (!s.ok()) return s;
        if (schema == nullptr) {
          schema = std::move(element_schema);
          continue;
        }
        for (ConnectField& f : element_schema->fields) {
          bool replaced = false;
          for (ConnectField& existing : schema->fields) {
            if (existing.name != f.name) continue;
            replaced = true;
            if (existing.schema.type == "bytes" && f.schema.type != "bytes") existing = f;
          }
          if (!replaced) schema->fields.push_back(f);
        }
      }
    } else {
      absl::Status s = SchemaOf("", sample, &schema);
      if (!s.ok()) return s;
      if (schema == nullptr) return absl::InvalidArgumentError("an array of unrecognized members");
    }
    *out = *schema;
    return absl::OkStatus();
  }

  void WriteValue(element e, const ConnectSchema& schema, std::string* out) {
    event::JsonWriter w(out);
    switch (e.type()) {
      case element_type::STRING:
        w.String(std::string_view(e));
        return;
      case element_type::BOOL:
        w.Bool(bool(e));
        return;
      case element_type::INT64:
        w.Int(int64_t(e));
        return;
      case element_type::UINT64:
      case element_type::DOUBLE:
        w.Double(double(e));
        return;
      case element_type::NULL_VALUE:
        w.Null();
        return;
      case element_type::ARRAY: {
        out->push_back('[');
        bool first = true;
        for (element item : simdjson::dom::array(e)) {
          if (!first) out->push_back(',');
          first = false;
          WriteValue(item, *schema.items, out);
        }
        out->push_back(']');
        return;
      }
      case element_type::OBJECT: {
        simdjson::dom::object object = e;
        out->push_back('{');
        bool first = true;
        for (const ConnectField& f : schema.fields) {
          if (!first) out->push_back(',');
          first = false;
          w.String(f.name);
          out->push_back(':');
          // The last value of the key, as Jackson keeps it.
          element child;
          bool found = false;
          for (auto member : object) {
            if (member.key == f.name) {
              child = member.value;
              found = true;
            }
          }
          if (found) {
            WriteValue(child, f.schema, out);
          } else {
            w.Null();
          }
        }
        out->push_back('}');
        return;
      }
    }
  }
};

JsonExpansion::JsonExpansion(bool null_as_optional_bytes) : impl_(std::make_unique<Impl>()) {
  impl_->null_as_bytes = null_as_optional_bytes;
}

JsonExpansion::~JsonExpansion() = default;

absl::Status JsonExpansion::Expand(std::string_view name, std::string_view text,
                                   std::string* schema, std::string* value) {
  element root;
  if (impl_->parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) {
    return absl::InvalidArgumentError("not a JSON document TrackOps can read");
  }
  if (!root.is_object()) return absl::InvalidArgumentError("not a JSON object");
  std::unique_ptr<ConnectSchema> inferred;
  absl::Status s = impl_->SchemaOf(name, root, &inferred);
  if (!s.ok()) return s;
  *schema = event::SchemaJson(*inferred);
  value->clear();
  impl_->WriteValue(root, *inferred, value);
  return absl::OkStatus();
}

}  // namespace trackops::transforms
