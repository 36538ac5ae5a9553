// librdkafka errors as absl::Status, in one place, the original error kept in
// the message. Codes by what the caller does next:
//   kUnavailable  retriable: retry the same call (or reconnect and resume)
//   kAborted      the Kafka transaction must be aborted and redone
//   kInternal     fatal (fenced, sequence desynchronisation, ...): destroy the
//                 producer, create it again and redo the start-up protocol
//   kInvalidArgument  a configuration librdkafka refused
//   kFailedPrecondition  retrying cannot help (an invalid topic name, a record
//                 larger than the broker accepts, no authorisation): stop and
//                 tell the operator

#ifndef TRACKOPS_KAFKA_KAFKA_ERROR_H_
#define TRACKOPS_KAFKA_KAFKA_ERROR_H_

#include <librdkafka/rdkafka.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace trackops::kafka {

// Takes ownership of `error` (may be null: OK).
absl::Status FromError(rd_kafka_error_t* error, absl::string_view context);

absl::Status FromResponse(rd_kafka_resp_err_t err, absl::string_view context);

// True for a status FromError built from a fatal error.
bool IsFatal(const absl::Status& status);

// True for an error that no retry, reconnection or new producer can cure.
bool IsPermanent(rd_kafka_resp_err_t err);

}  // namespace trackops::kafka

#endif  // TRACKOPS_KAFKA_KAFKA_ERROR_H_
