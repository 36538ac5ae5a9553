// The outbox EventRouter's table.expand.json.payload: a JSON text becomes a
// Kafka Connect struct whose schema is inferred from the document, as
// Debezium's JsonSchemaData infers it (objects -> optional structs named by
// their path, strings, booleans, int32 / int64 / float64 numbers, arrays of
// the first non-null element's schema; null fields and empty arrays left
// out, or null fields as optional bytes).

#ifndef TRACKOPS_TRANSFORMS_JSON_EXPANSION_H_
#define TRACKOPS_TRANSFORMS_JSON_EXPANSION_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace trackops::transforms {

class JsonExpansion {
 public:
  // `null_as_optional_bytes`: table.json.payload.null.behavior=optional_bytes.
  explicit JsonExpansion(bool null_as_optional_bytes);
  ~JsonExpansion();

  // Expands the JSON object `text` into a struct named `name`: its Connect
  // schema JSON into `*schema` and its value JSON into `*value` (both
  // replaced). kInvalidArgument (with Debezium's reason) when Debezium would
  // not expand it either: not an object, a heterogeneous array, an array
  // without a non-null element, an integer beyond int64.
  absl::Status Expand(std::string_view name, std::string_view text, std::string* schema,
                      std::string* value);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trackops::transforms

#endif  // TRACKOPS_TRANSFORMS_JSON_EXPANSION_H_
