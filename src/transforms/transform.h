// Single message transforms: Debezium's SMTs applied to the records the
// engine produces, before the sink. A Transform takes one record and emits
// zero or more; it works on the records' JSON (as Kafka Connect's
// JsonConverter writes them), moving spans of it, so every byte it does not
// change stays exactly as the event module wrote it.

#ifndef TRACKOPS_TRANSFORMS_TRANSFORM_H_
#define TRACKOPS_TRANSFORMS_TRANSFORM_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "trackops/record.h"

namespace trackops::transforms {

// How the records are serialised (debezium.format.*.schemas.enable): with
// schemas, a key or value is {"schema":...,"payload":...}, a header value
// likewise.
struct RecordFormat {
  bool key_schemas_enable = true;
  bool value_schemas_enable = true;
  bool header_schemas_enable = true;
};

// A transform's options: debezium.transforms.<name>.<option> without the
// prefix (and without "type").
using TransformOptions = std::map<std::string, std::string, std::less<>>;

// Reads a transform's options and remembers which were read, so that the
// others can be reported as unknown. Errors name the option as written in
// the configuration after debezium.transforms.<name>.
class OptionReader {
 public:
  explicit OptionReader(const TransformOptions& options) : options_(options) {}

  std::string Get(std::string_view name, std::string_view default_value);
  // "true" / "false"; kInvalidArgument otherwise.
  absl::Status GetBool(std::string_view name, bool default_value, bool* out);
  // kInvalidArgument: "<name>: invalid value '<value>' (<expected>)".
  static absl::Status Invalid(std::string_view name, std::string_view value,
                              std::string_view expected);
  // Options never read.
  std::vector<std::string> Unknown() const;

 private:
  const TransformOptions& options_;
  std::vector<std::string> read_;
};

class Transform {
 public:
  // Receives each record a transform produces. Views must stay valid during
  // the call only.
  using Emit = absl::FunctionRef<absl::Status(const Record&)>;

  virtual ~Transform() = default;

  // Emits what `record` becomes: nothing (dropped, as the SMT drops it), the
  // record unchanged, or new records. A non-OK status means the transform
  // cannot process this record (kInvalidArgument / kFailedPrecondition, with
  // a message naming the reason); nothing was emitted for it then.
  virtual absl::Status Apply(const Record& record, Emit emit) = 0;
};

}  // namespace trackops::transforms

#endif  // TRACKOPS_TRANSFORMS_TRANSFORM_H_
