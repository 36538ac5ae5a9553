#include "engine/status_keeper.h"

#include <algorithm>

#include "util/log.h"

namespace trackops::engine {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

StatusKeeper::StatusKeeper(replication::ReplicationStream* stream,
                           std::chrono::milliseconds interval)
    : stream_(stream), interval_(interval), last_sent_ns_(NowNs()) {
  thread_ = std::thread([this] { Run(); });
}

StatusKeeper::~StatusKeeper() {
  {
    absl::MutexLock l(&stop_mu_);
    stop_ = true;
  }
  thread_.join();
}

void StatusKeeper::Sent(Lsn write, Lsn flush) {
  write_.store(write.value(), std::memory_order_relaxed);
  flush_.store(flush.value(), std::memory_order_relaxed);
  last_sent_ns_.store(NowNs(), std::memory_order_relaxed);
}

void StatusKeeper::Run() {
  const int64_t interval_ns = std::chrono::nanoseconds(interval_).count();
  // Checks often enough to keep within a tenth of the interval (at most 100 ms).
  const absl::Duration tick = absl::Milliseconds(std::clamp<int64_t>(interval_.count() / 10, 1, 100));
  absl::MutexLock stop_lock(&stop_mu_);
  while (!stop_mu_.AwaitWithTimeout(absl::Condition(&stop_), tick)) {
    if (NowNs() - last_sent_ns_.load(std::memory_order_relaxed) < interval_ns) continue;
    // Only while the engine thread is not using the stream.
    if (!mu_.TryLock()) continue;
    Lsn write(write_.load(std::memory_order_relaxed));
    Lsn flush(flush_.load(std::memory_order_relaxed));
    absl::Status s = stream_->SendStatus(write, flush, flush, false);
    mu_.Unlock();
    last_sent_ns_.store(NowNs(), std::memory_order_relaxed);
    if (s.ok()) {
      sent_by_keeper_.fetch_add(1, std::memory_order_relaxed);
    } else {
      // The engine thread sees the broken connection at its next read.
      Log(LogLevel::kDebug, "status while the sink is busy: %s", s.message());
    }
  }
}

}  // namespace trackops::engine
