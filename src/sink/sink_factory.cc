#include "sink/sink_factory.h"

#include "absl/strings/str_cat.h"
#include "sink/kafka_sink.h"
#include "sink/stdout_sink.h"
#include "util/status_macros.h"

namespace trackops::sink {

absl::StatusOr<std::unique_ptr<Sink>> NewSink(const Config& config, FILE* out) {
  if (config.sink_type == "stdout") {
    return std::unique_ptr<Sink>(new StdoutSink(out, config.sink_pretty));
  }
  if (config.sink_type == "kafka") {
    TRACKOPS_ASSIGN_OR_RETURN(KafkaSinkOptions options, KafkaSinkOptions::FromConfig(config));
    return std::unique_ptr<Sink>(new KafkaSink(std::move(options)));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("invalid value '", config.sink_type, "' for property debezium.sink.type"));
}

}  // namespace trackops::sink
