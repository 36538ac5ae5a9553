// Read access to a change event record's value (Debezium's envelope), as
// spans of its JSON: the envelope's payload members and, when the value
// carries its schema, the schema's field entries.

#ifndef TRACKOPS_TRANSFORMS_CHANGE_EVENT_H_
#define TRACKOPS_TRANSFORMS_CHANGE_EVENT_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace trackops::transforms {

// Members of a struct: payload values, or schema field entries (each entry
// is the field's schema followed by "field":"<name>"). Empty views for
// members that are absent.
struct EnvelopeParts {
  std::string_view before;
  std::string_view after;
  std::string_view source;
  std::string_view transaction;
  std::string_view op;
  std::string_view ts_ms;
  std::string_view ts_us;
  std::string_view ts_ns;
};

struct ChangeEventView {
  // The envelope schema, its name token and its fields' entries; empty when
  // the value carries no schema.
  std::string_view schema;
  EnvelopeParts schema_fields;
  // The payload object and its members.
  std::string_view payload;
  EnvelopeParts values;
};

// Splits `value` (a change event value with or without schema, per
// `with_schema`). kInvalidArgument when it is not a JSON object of that form.
absl::Status ParseChangeEvent(std::string_view value, bool with_schema, ChangeEventView* view);

// The field named `name` of a struct: its value in `payload` (an object) and,
// when `schema` (a struct schema or struct field entry) is given, its entry
// in the schema's "fields". Empty views when absent.
struct FieldRef {
  std::string_view value;
  std::string_view schema_entry;
};
absl::StatusOr<FieldRef> FindField(std::string_view payload, std::string_view schema,
                                   std::string_view name);

// The name of a struct field entry (its "field" member), decoded; empty when
// it has none.
absl::Status FieldEntryName(std::string_view entry, std::string* name);

// Appends the schema of a struct field entry without its "field" member,
// optionally forcing "optional" to `optional` (values: "true"/"false"; empty
// keeps it). Keys keep JsonConverter's order.
absl::Status AppendEntrySchema(std::string_view entry, std::string_view optional,
                               std::string* out);

}  // namespace trackops::transforms

#endif  // TRACKOPS_TRANSFORMS_CHANGE_EVENT_H_
