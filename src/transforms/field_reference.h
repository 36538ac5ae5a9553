// add.fields / add.headers entries of Debezium's ExtractNewRecordState: a
// field of the change event envelope ("op", "ts_ms"), of its source block
// ("table", "lsn", "source.ts_ms") or of its transaction block
// ("transaction.id"), optionally renamed ("source.ts_ms:ts"), written under a
// prefixed name ("__op", "__source_ts_ms", "__ts").

#ifndef TRACKOPS_TRANSFORMS_FIELD_REFERENCE_H_
#define TRACKOPS_TRANSFORMS_FIELD_REFERENCE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "transforms/change_event.h"

namespace trackops::transforms {

struct FieldReference {
  enum class Parent { kEnvelope, kSource, kTransaction };
  Parent parent = Parent::kEnvelope;
  std::string field;       // The field's name in its parent.
  std::string new_field;       // Prefixed output name.
  std::string new_field_json;  // The same as a JSON string.
  // The output schema: the field's schema, optional, without its default
  // (Connect's SchemaUtil.copySchemaBasics + optional()).
  std::string schema_json;
  // The field has a default the streamed events never set (source.snapshot):
  // its raw value is null whatever JsonConverter wrote.
  bool unset_in_streaming = false;

  // The field's value in `event` (JSON text; "null" when absent).
  absl::StatusOr<std::string_view> Value(const ChangeEventView& event) const;
};

// Parses a comma-separated list ("op,source.ts_ms:ts,table") against the
// PostgreSQL connector's envelope. Entries naming no field of it are left
// out, as Debezium leaves them out; kInvalidArgument for a malformed entry or
// a struct-typed field.
absl::StatusOr<std::vector<FieldReference>> ParseFieldReferences(std::string_view prefix,
                                                                 std::string_view list);

}  // namespace trackops::transforms

#endif  // TRACKOPS_TRANSFORMS_FIELD_REFERENCE_H_
