// A Sink that applies a TransformChain to every record before handing it to
// the sink it wraps. A record a transform cannot process goes, when a
// dead-letter topic is configured, to that topic through the same sink (so
// in the same Kafka transaction as its neighbours): the original key, value
// and headers plus headers naming the error; otherwise the write fails with
// a message naming the transform, the topic and the LSN, and nothing is
// confirmed past it. Counted either way.

#ifndef TRACKOPS_TRANSFORMS_TRANSFORMING_SINK_H_
#define TRACKOPS_TRANSFORMS_TRANSFORMING_SINK_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "trackops/sink.h"
#include "transforms/transform_chain.h"

namespace trackops::transforms {

struct TransformCounters {
  uint64_t dead_lettered = 0;
};

class TransformingSink final : public Sink {
 public:
  // `sink` must outlive this. `dead_letter_topic` empty: failures stop.
  TransformingSink(std::unique_ptr<TransformChain> chain, Sink* sink, std::string dead_letter_topic,
                   RecordFormat format);

  absl::Status BeginTransaction(const TransactionInfo& txn) override {
    return sink_->BeginTransaction(txn);
  }
  absl::Status Write(const Record& record) override;
  absl::Status CommitTransaction(const TransactionInfo& txn) override {
    return sink_->CommitTransaction(txn);
  }
  absl::Status AbortTransaction() override { return sink_->AbortTransaction(); }
  absl::Status Flush() override { return sink_->Flush(); }
  Lsn DurableLsn() const override { return sink_->DurableLsn(); }
  bool KeepsPosition() const override { return sink_->KeepsPosition(); }
  absl::StatusOr<Lsn> Open() override { return sink_->Open(); }
  bool SnapshotIncomplete() const override { return sink_->SnapshotIncomplete(); }
  std::optional<SnapshotPosition> SnapshotResume() const override {
    return sink_->SnapshotResume();
  }
  std::string IncrementalSnapshotState() const override {
    return sink_->IncrementalSnapshotState();
  }
  absl::Status Tick(Lsn idle_lsn, bool caught_up) override {
    return sink_->Tick(idle_lsn, caught_up);
  }
  std::chrono::milliseconds NextTickIn() const override { return sink_->NextTickIn(); }

  uint64_t dead_lettered() const { return dead_lettered_.load(std::memory_order_relaxed); }

 private:
  absl::Status DeadLetter(const Record& record, const TransformFailure& failure);

  std::unique_ptr<TransformChain> chain_;
  Sink* const sink_;
  const std::string dead_letter_topic_;
  const RecordFormat format_;
  std::atomic<uint64_t> dead_lettered_{0};
  std::vector<std::string> header_values_;
  std::vector<Header> headers_;
};

}  // namespace trackops::transforms

#endif  // TRACKOPS_TRANSFORMS_TRANSFORMING_SINK_H_
