// A Sink that hands each record to a function: the simplest way for a host
// service to receive change events in-process.
//
//   trackops::CallbackSink sink([](const trackops::Record& r) {
//     Handle(r.topic, r.key, r.value);  // Copy what you keep.
//     return absl::OkStatus();
//   });
//
// A transaction counts as delivered (and its WAL may be released) once every
// record callback and the commit callback returned OK. A non-OK status stops
// the engine; the transaction is delivered again after a restart.

#ifndef TRACKOPS_CALLBACK_SINK_H_
#define TRACKOPS_CALLBACK_SINK_H_

#include <atomic>
#include <functional>

#include "trackops/sink.h"

namespace trackops {

class CallbackSink : public Sink {
 public:
  using RecordFn = std::function<absl::Status(const Record&)>;
  using CommitFn = std::function<absl::Status(const TransactionInfo&)>;

  explicit CallbackSink(RecordFn on_record, CommitFn on_commit = nullptr)
      : on_record_(std::move(on_record)), on_commit_(std::move(on_commit)) {}

  absl::Status BeginTransaction(const TransactionInfo& txn) override { return absl::OkStatus(); }
  absl::Status Write(const Record& record) override { return on_record_(record); }
  absl::Status CommitTransaction(const TransactionInfo& txn) override {
    if (on_commit_) {
      absl::Status s = on_commit_(txn);
      if (!s.ok()) return s;
    }
    durable_.store(txn.end_lsn.value(), std::memory_order_release);
    return absl::OkStatus();
  }
  absl::Status Flush() override { return absl::OkStatus(); }
  Lsn DurableLsn() const override { return Lsn(durable_.load(std::memory_order_acquire)); }

 private:
  RecordFn on_record_;
  CommitFn on_commit_;
  std::atomic<uint64_t> durable_{0};
};

}  // namespace trackops

#endif  // TRACKOPS_CALLBACK_SINK_H_
