// Makes the sink a configuration names (debezium.sink.type).

#ifndef TRACKOPS_SINK_SINK_FACTORY_H_
#define TRACKOPS_SINK_SINK_FACTORY_H_

#include <cstdio>
#include <memory>

#include "absl/status/statusor.h"
#include "trackops/config.h"
#include "trackops/sink.h"

namespace trackops::sink {

// stdout writes to `out`. kInvalidArgument naming the property on a bad
// debezium.sink.<type>.* value.
absl::StatusOr<std::unique_ptr<Sink>> NewSink(const Config& config, FILE* out = stdout);

}  // namespace trackops::sink

#endif  // TRACKOPS_SINK_SINK_FACTORY_H_
