// io.debezium.transforms.outbox.EventRouter: rows inserted into an outbox
// table become application events on topics of their own (the transactional
// outbox pattern). For each insert: the topic from the route field
// (aggregatetype) through route.topic.regex / route.topic.replacement, the key
// from table.field.event.key (aggregateid), the value from
// table.field.event.payload (payload), an "id" header from
// table.field.event.id (id), and the table.fields.additional.placement
// fields as headers or envelope fields. Deletes and tombstones are dropped,
// updates dropped with a log line (table.op.invalid.behavior=warn|error) or
// refused (fatal); records that are not change events pass unchanged.
//
// table.expand.json.payload=true turns a JSON payload into a struct with an
// inferred schema (json_expansion.h); when Debezium could not expand it, it
// stays a string and a warning is logged, as in Debezium.
//
// Not supported (refused at configuration): table.field.event.timestamp,
// table.field.event.schema.version and the "partition" placement.

#ifndef TRACKOPS_TRANSFORMS_OUTBOX_EVENT_ROUTER_H_
#define TRACKOPS_TRANSFORMS_OUTBOX_EVENT_ROUTER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "transforms/java_regex.h"
#include "transforms/json_expansion.h"
#include "transforms/transform.h"

namespace trackops::transforms {

class OutboxEventRouter final : public Transform {
 public:
  static constexpr char kClassName[] = "io.debezium.transforms.outbox.EventRouter";

  static absl::StatusOr<std::unique_ptr<Transform>> Create(const TransformOptions& options,
                                                           const RecordFormat& format);

  absl::Status Apply(const Record& record, Emit emit) override;

 private:
  enum class InvalidOp { kWarn, kError, kFatal };
  struct Additional {
    std::string field;
    std::string alias;
    std::string alias_json;  // The alias as a JSON string.
    bool header = false;  // Else in the envelope.
  };

  explicit OutboxEventRouter(JavaRegex regex) : topic_regex_(std::move(regex)) {}

  RecordFormat format_;
  InvalidOp invalid_op_ = InvalidOp::kWarn;
  std::string field_id_;
  std::string field_key_;
  std::string field_payload_;
  std::string route_by_field_;
  JavaRegex topic_regex_;
  std::string topic_replacement_;
  bool tombstone_on_empty_payload_ = false;
  bool ignore_missing_additional_ = false;
  std::vector<Additional> additional_;
  bool envelope_ = false;  // Some additional field goes into the envelope.
  std::unique_ptr<JsonExpansion> expansion_;  // table.expand.json.payload.
  std::string expanded_schema_;
  std::string expanded_value_;
  // Envelope value schema names by payload schema: Debezium names the schema
  // after the route of the first event with that payload schema.
  absl::flat_hash_map<std::string, std::string> schema_names_;

  // Reused per record.
  std::string route_;
  std::string topic_;
  std::string key_;
  std::string value_;
  std::string scratch_;
  std::string envelope_schema_;  // Entries of the envelope placements.
  std::string envelope_value_;   // Their members.
  std::vector<std::string> header_values_;
  std::vector<Header> headers_;
};

}  // namespace trackops::transforms

#endif  // TRACKOPS_TRANSFORMS_OUTBOX_EVENT_ROUTER_H_
