// A Sink for tests: keeps a copy of every record and transaction, and lets
// the test wait for a condition instead of sleeping.

#ifndef TRACKOPS_TESTS_INTEGRATION_RECORDING_SINK_H_
#define TRACKOPS_TESTS_INTEGRATION_RECORDING_SINK_H_

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "trackops/sink.h"

namespace trackops::testing {

struct StoredRecord {
  std::string topic;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<std::pair<std::string, std::string>> headers;
  Xid xid;         // Of the transaction it belongs to.
  Lsn commit_lsn;  // Of the transaction it belongs to.
};

class RecordingSink : public Sink {
 public:
  absl::Status BeginTransaction(const TransactionInfo& txn) override {
    absl::MutexLock lock(&mu_);
    open_ = txn;
    pending_.clear();
    return absl::OkStatus();
  }
  absl::Status Write(const Record& r) override {
    absl::MutexLock lock(&mu_);
    StoredRecord s;
    s.topic = std::string(r.topic);
    if (r.key) s.key = std::string(*r.key);
    if (r.value) s.value = std::string(*r.value);
    for (const Header& h : r.headers) s.headers.emplace_back(h.key, h.value);
    s.xid = open_.xid;
    s.commit_lsn = open_.commit_lsn;
    pending_.push_back(std::move(s));
    return absl::OkStatus();
  }
  absl::Status CommitTransaction(const TransactionInfo& txn) override {
    absl::MutexLock lock(&mu_);
    for (StoredRecord& r : pending_) records_.push_back(std::move(r));
    pending_.clear();
    transactions_.push_back(txn);
    durable_.store(txn.end_lsn.value());
    return absl::OkStatus();
  }
  absl::Status AbortTransaction() override {
    absl::MutexLock lock(&mu_);
    pending_.clear();
    return absl::OkStatus();
  }
  absl::Status Flush() override { return absl::OkStatus(); }
  Lsn DurableLsn() const override { return Lsn(durable_.load()); }

  // Waits until `done(records)` holds or `timeout` passes; returns whether it held.
  bool WaitFor(const std::function<bool(const std::vector<StoredRecord>&)>& done,
               absl::Duration timeout = absl::Seconds(60)) {
    absl::MutexLock lock(&mu_);
    auto cond = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) { return done(records_); };
    return mu_.AwaitWithTimeout(absl::Condition(&cond), timeout);
  }
  bool WaitForCount(size_t n, absl::Duration timeout = absl::Seconds(60)) {
    return WaitFor([n](const std::vector<StoredRecord>& r) { return r.size() >= n; }, timeout);
  }

  std::vector<StoredRecord> records() const {
    absl::MutexLock lock(&mu_);
    return records_;
  }
  std::vector<TransactionInfo> transactions() const {
    absl::MutexLock lock(&mu_);
    return transactions_;
  }

 private:
  mutable absl::Mutex mu_;
  TransactionInfo open_ ABSL_GUARDED_BY(mu_);
  std::vector<StoredRecord> pending_ ABSL_GUARDED_BY(mu_);
  std::vector<StoredRecord> records_ ABSL_GUARDED_BY(mu_);
  std::vector<TransactionInfo> transactions_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> durable_{0};
};

}  // namespace trackops::testing

#endif  // TRACKOPS_TESTS_INTEGRATION_RECORDING_SINK_H_
