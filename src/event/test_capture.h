// Test-only: encoder options for tests and a sink that keeps what an encoder
// emits.

#ifndef TRACKOPS_EVENT_TEST_CAPTURE_H_
#define TRACKOPS_EVENT_TEST_CAPTURE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "event/change_encoder.h"
#include "trackops/record.h"

namespace trackops::event {

struct Captured {
  std::string topic;
  std::optional<std::string> key;
  std::optional<std::string> value;
  size_t headers = 0;
  Lsn lsn;
};

// Options of the conformance runs: topic.prefix "conf", database "postgres".
inline EncoderOptions TestOptions(bool schemas) {
  EncoderOptions o;
  o.topic_prefix = "conf";
  o.database_name = "postgres";
  o.key_schemas_enable = schemas;
  o.value_schemas_enable = schemas;
  return o;
}

// A fixture whose sink_ copies every emitted record into records_.
class CapturingTest : public ::testing::Test {
 protected:
  std::function<absl::Status(const Record&)> sink_ = [this](const Record& r) {
    Captured c;
    c.topic = std::string(r.topic);
    if (r.key) c.key = std::string(*r.key);
    if (r.value) c.value = std::string(*r.value);
    c.headers = r.headers.size();
    c.lsn = r.lsn;
    records_.push_back(std::move(c));
    return absl::OkStatus();
  };
  std::vector<Captured> records_;
};

}  // namespace trackops::event

#endif  // TRACKOPS_EVENT_TEST_CAPTURE_H_
