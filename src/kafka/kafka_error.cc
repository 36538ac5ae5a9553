#include "kafka/kafka_error.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace trackops::kafka {

absl::Status FromError(rd_kafka_error_t* error, absl::string_view context) {
  if (error == nullptr) return absl::OkStatus();
  std::string text = absl::StrCat(context, ": ", rd_kafka_error_string(error), " (",
                                  rd_kafka_error_name(error), ")");
  absl::Status status;
  if (rd_kafka_error_is_fatal(error)) {
    status = absl::InternalError(absl::StrCat("fatal Kafka error: ", text));
  } else if (rd_kafka_error_txn_requires_abort(error)) {
    status = absl::AbortedError(text);
  } else if (rd_kafka_error_is_retriable(error)) {
    status = absl::UnavailableError(text);
  } else {
    // librdkafka's transactional API: anything without a flag is fatal.
    status = absl::InternalError(absl::StrCat("fatal Kafka error: ", text));
  }
  rd_kafka_error_destroy(error);
  return status;
}

absl::Status FromResponse(rd_kafka_resp_err_t err, absl::string_view context) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return absl::OkStatus();
  std::string text =
      absl::StrCat(context, ": ", rd_kafka_err2str(err), " (", rd_kafka_err2name(err), ")");
  switch (err) {
    case RD_KAFKA_RESP_ERR__FATAL:
    case RD_KAFKA_RESP_ERR__FENCED:
    case RD_KAFKA_RESP_ERR_PRODUCER_FENCED:
    case RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH:
      return absl::InternalError(absl::StrCat("fatal Kafka error: ", text));
    default:
      return IsPermanent(err) ? absl::FailedPreconditionError(text) : absl::UnavailableError(text);
  }
}

bool IsPermanent(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:  // An invalid topic name.
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:
    case RD_KAFKA_RESP_ERR_INVALID_PARTITIONS:
    case RD_KAFKA_RESP_ERR_INVALID_CONFIG:
    case RD_KAFKA_RESP_ERR_POLICY_VIOLATION:
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
      return true;
    default:
      return false;
  }
}

bool IsFatal(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInternal &&
         absl::StartsWith(status.message(), "fatal Kafka error");
}

}  // namespace trackops::kafka
