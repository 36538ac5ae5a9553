// Kafka topics as a record stream for trackops-diff: everything committed in
// the topics (a read_committed consumer, up to each partition's end when the
// reader opens), topic by topic in the order given, partition by partition,
// in offset order. Keys, values and header values are taken as the JSON text
// JsonConverter wrote.

#ifndef TRACKOPS_TOOLS_TRACKOPS_DIFF_KAFKA_READER_H_
#define TRACKOPS_TOOLS_TRACKOPS_DIFF_KAFKA_READER_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "trackops-diff/record_diff.h"

namespace trackops::diff {

// True for an input naming Kafka topics: "kafka://HOST:PORT[,HOST:PORT...]/TOPIC[,TOPIC...]".
bool IsKafkaInput(const std::string& input);

// Reads the topics `input` names. Errors: kInvalidArgument (a malformed
// input), kNotFound (a topic the cluster does not have), kDeadlineExceeded
// (the end of a partition not reached within `timeout`), kUnavailable.
absl::StatusOr<std::unique_ptr<RecordReader>> OpenKafkaTopics(const std::string& input,
                                                              std::chrono::milliseconds timeout);

}  // namespace trackops::diff

#endif  // TRACKOPS_TOOLS_TRACKOPS_DIFF_KAFKA_READER_H_
