// Keeps the walsender answered while the engine thread is busy elsewhere.
//
// The engine thread reads the replication stream and hands each transaction
// to the sink; a sink call can block as long as its destination makes it (a
// Kafka commit waits for the broker, up to the sink's timeout). The walsender
// drops a client that sends no standby status for wal_sender_timeout. While
// the engine thread is not using the stream, a StatusKeeper thread repeats the
// last status it sent (never a newer position) every status interval, so a
// slow sink slows the stream down instead of losing the connection.
//
// The engine thread holds lock() around every use of the stream and tells the
// keeper each status it sends (Sent).

#ifndef TRACKOPS_ENGINE_STATUS_KEEPER_H_
#define TRACKOPS_ENGINE_STATUS_KEEPER_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "replication/replication_stream.h"
#include "trackops/types.h"

namespace trackops::engine {

class StatusKeeper {
 public:
  // `stream` must outlive the keeper; the thread starts at once.
  StatusKeeper(replication::ReplicationStream* stream, std::chrono::milliseconds interval);
  ~StatusKeeper();  // Stops and joins the thread.

  StatusKeeper(const StatusKeeper&) = delete;
  StatusKeeper& operator=(const StatusKeeper&) = delete;

  // Held by the engine thread while it uses the stream.
  absl::Mutex& lock() { return mu_; }

  // The engine thread sent a status with these positions (under lock()).
  void Sent(Lsn write, Lsn flush);

  // Statuses the keeper sent itself.
  uint64_t sent_by_keeper() const { return sent_by_keeper_.load(std::memory_order_relaxed); }

 private:
  void Run();

  replication::ReplicationStream* const stream_;
  const std::chrono::milliseconds interval_;
  absl::Mutex mu_;
  std::atomic<uint64_t> write_{0};
  std::atomic<uint64_t> flush_{0};
  std::atomic<int64_t> last_sent_ns_;
  std::atomic<uint64_t> sent_by_keeper_{0};
  absl::Mutex stop_mu_;
  bool stop_ ABSL_GUARDED_BY(stop_mu_) = false;
  std::thread thread_;
};

}  // namespace trackops::engine

#endif  // TRACKOPS_ENGINE_STATUS_KEEPER_H_
