// The engine on a thread of its own, as an application runs it: for the
// integration tests that drive it in-process.

#ifndef TRACKOPS_TESTS_INTEGRATION_ENGINE_RUNNER_H_
#define TRACKOPS_TESTS_INTEGRATION_ENGINE_RUNNER_H_

#include <atomic>
#include <memory>
#include <thread>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "trackops/engine.h"

namespace trackops::testing {

class EngineRunner {
 public:
  ~EngineRunner() { Stop(); }

  // Creates the engine for `config` and `sink` (which must outlive it) and
  // runs it on a new thread (stopping the previous run first).
  void Start(const Config& config, Sink* sink) {
    Stop();
    auto engine = Engine::Create(config, sink);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    running_ = true;
    thread_ = std::thread([this] {
      status_ = engine_->Run();
      running_ = false;
    });
  }

  // Stops the engine and waits for Run() to return; expects it to return OK.
  // The engine (and its stats) stays until the next Start.
  void Stop() {
    if (!thread_.joinable()) return;
    engine_->Stop();
    thread_.join();
    EXPECT_TRUE(status_.ok()) << status_;
  }

  Engine* engine() const { return engine_.get(); }
  // Whether Run() has not returned yet.
  bool running() const { return running_.load(); }
  // What Run() returned (OK while it runs).
  const absl::Status& status() const { return status_; }

 private:
  std::unique_ptr<Engine> engine_;
  std::thread thread_;
  std::atomic<bool> running_{false};
  absl::Status status_;
};

}  // namespace trackops::testing

#endif  // TRACKOPS_TESTS_INTEGRATION_ENGINE_RUNNER_H_
