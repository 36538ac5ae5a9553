// A throwaway single-node Apache Kafka broker (KRaft) for tests, started with
// tools/kafka-broker/broker.sh on free loopback ports in a temporary folder,
// stopped and removed by the destructor. Needs scripts/install-kafka.sh.
//
// Thread safety: not thread-safe; use from one thread.

#ifndef TRACKOPS_TESTS_HARNESS_KAFKA_BROKER_H_
#define TRACKOPS_TESTS_HARNESS_KAFKA_BROKER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace trackops::testing {

class KafkaBroker {
 public:
  static absl::StatusOr<std::unique_ptr<KafkaBroker>> Start();
  ~KafkaBroker();

  KafkaBroker(const KafkaBroker&) = delete;
  KafkaBroker& operator=(const KafkaBroker&) = delete;

  // "127.0.0.1:PORT".
  const std::string& bootstrap() const { return bootstrap_; }

  // Stops the broker (cleanly, or with SIGKILL when `crash` is set) and starts
  // it again with the same data and ports.
  absl::Status Restart(bool crash = false);

  // Stop() then StartAgain(): for outages of a chosen length.
  absl::Status Stop(bool crash = false);
  absl::Status StartAgain();

 private:
  KafkaBroker() = default;
  absl::Status Run(const std::string& command);

  std::string script_;
  std::string dir_;
  std::string bootstrap_;
};

}  // namespace trackops::testing

#endif  // TRACKOPS_TESTS_HARNESS_KAFKA_BROKER_H_
