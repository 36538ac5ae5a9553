// The transforms of a configuration (debezium.transforms=a,b with
// debezium.transforms.<name>.type and options, and Kafka Connect predicates:
// debezium.transforms.<name>.predicate / .negate, debezium.predicates=p with
// debezium.predicates.<p>.type and options), applied in order.
//
// Transform types: io.debezium.transforms.ExtractNewRecordState,
// io.debezium.transforms.outbox.EventRouter. Predicate types (Kafka's
// org.apache.kafka.connect.transforms.predicates.*): TopicNameMatches
// (pattern), HasHeaderKey (name), RecordIsTombstone.

#ifndef TRACKOPS_TRANSFORMS_TRANSFORM_CHAIN_H_
#define TRACKOPS_TRANSFORMS_TRANSFORM_CHAIN_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "transforms/java_regex.h"
#include "transforms/transform.h"
#include "trackops/config.h"

namespace trackops::transforms {

// Why a record could not be transformed.
struct TransformFailure {
  std::string transform;   // Its name in the configuration.
  std::string class_name;  // Its type.
  absl::Status status;
};

class TransformChain {
 public:
  // The chain `transforms` (properties as written after "debezium.":
  // "transforms", "transforms.<name>.<option>", "predicates", ...) describes.
  // An empty chain when there is no "transforms" property. kInvalidArgument
  // naming the property for anything invalid or unknown.
  static absl::StatusOr<std::unique_ptr<TransformChain>> Create(const Properties& transforms,
                                                                const RecordFormat& format);

  bool empty() const { return steps_.empty(); }

  // Applies every transform in order to `record`, emitting what comes out of
  // the last. When a transform fails, fills `*failure` and returns its
  // status; statuses returned by `emit` are returned as they are (with
  // `*failure` untouched).
  absl::Status Apply(const Record& record, Transform::Emit emit, TransformFailure* failure);

 private:
  struct Predicate {
    enum class Type { kTopicNameMatches, kHasHeaderKey, kRecordIsTombstone };
    Type type = Type::kRecordIsTombstone;
    std::unique_ptr<JavaRegex> pattern;
    std::string header;
    bool Test(const Record& record) const;
  };
  struct Step {
    std::string name;
    std::string class_name;
    std::unique_ptr<Transform> transform;
    const Predicate* predicate = nullptr;
    bool negate = false;
  };

  absl::Status ApplyFrom(size_t step, const Record& record, Transform::Emit emit,
                         TransformFailure* failure);

  std::vector<std::unique_ptr<Predicate>> predicates_;
  std::vector<Step> steps_;
};

}  // namespace trackops::transforms

#endif  // TRACKOPS_TRANSFORMS_TRANSFORM_CHAIN_H_
