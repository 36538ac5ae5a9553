#include "harness/kafka_broker.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "util/status_macros.h"

namespace trackops::testing {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("TRACKOPS_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

}  // namespace

absl::StatusOr<std::unique_ptr<KafkaBroker>> KafkaBroker::Start() {
  std::unique_ptr<KafkaBroker> broker(new KafkaBroker());
  broker->script_ = SourceDir() + "/tools/kafka-broker/broker.sh";
  std::string templ = "/tmp/trackops-kafka-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) return absl::InternalError("mkdtemp failed");
  broker->dir_ = templ;
  TRACKOPS_RETURN_IF_ERROR(broker->Run("start"));
  std::ifstream in(broker->dir_ + "/bootstrap");
  std::getline(in, broker->bootstrap_);
  if (broker->bootstrap_.empty()) return absl::InternalError("the broker wrote no bootstrap");
  return broker;
}

absl::Status KafkaBroker::Run(const std::string& command) {
  std::string cmd = absl::StrCat(script_, " ", command, " ", dir_, " > ", dir_,
                                 "/script.log 2>&1");
  int rc = std::system(cmd.c_str());
  if (rc != 0) {
    std::ifstream in(dir_ + "/script.log");
    std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return absl::InternalError(absl::StrCat("broker.sh ", command, " failed: ", log));
  }
  return absl::OkStatus();
}

absl::Status KafkaBroker::Restart(bool crash) {
  TRACKOPS_RETURN_IF_ERROR(Stop(crash));
  return StartAgain();
}

absl::Status KafkaBroker::Stop(bool crash) { return Run(crash ? "kill" : "stop"); }

absl::Status KafkaBroker::StartAgain() { return Run("start"); }

KafkaBroker::~KafkaBroker() {
  Run("stop").IgnoreError();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace trackops::testing
