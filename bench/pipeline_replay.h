// A capture replayed through engine::ChangePipeline, as bench/pipeline_benchmark
// times it and bench/pipeline_instructions counts its instructions: one
// warm-up pass over every message builds the per-table state (Relation
// messages), then Pass() feeds the other messages again, as a long-lived
// connection sees them. The sink only counts what it is handed.

#ifndef TRACKOPS_BENCH_PIPELINE_REPLAY_H_
#define TRACKOPS_BENCH_PIPELINE_REPLAY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/change_pipeline.h"
#include "pgoutput/capture_file.h"

namespace trackops::bench {

class CountingSink : public Sink {
 public:
  absl::Status BeginTransaction(const TransactionInfo&) override { return absl::OkStatus(); }
  absl::Status Write(const Record& r) override {
    ++records;
    bytes += r.topic.size() + (r.key ? r.key->size() : 0) + (r.value ? r.value->size() : 0);
    return absl::OkStatus();
  }
  absl::Status CommitTransaction(const TransactionInfo& t) override {
    durable = t.end_lsn;
    return absl::OkStatus();
  }
  absl::Status Flush() override { return absl::OkStatus(); }
  Lsn DurableLsn() const override { return durable; }

  uint64_t records = 0;
  uint64_t bytes = 0;  // Topic, key and value bytes.
  Lsn durable;
};

class PipelineReplay {
 public:
  // Loads tests/data/pgoutput/<corpus>.hex (under $TRACKOPS_SOURCE_DIR, default
  // the source tree) and makes the warm-up pass, JSON schemas on or off.
  static absl::StatusOr<std::unique_ptr<PipelineReplay>> Load(const std::string& corpus,
                                                              bool schemas);

  // Feeds every message but Relation and Type messages once more.
  absl::Status Pass();

  uint64_t changes_per_pass() const { return changes_; }   // Insert, Update, Delete.
  uint64_t bytes_per_pass() const { return in_bytes_; }    // pgoutput bytes.
  CountingSink& sink() { return sink_; }

 private:
  PipelineReplay() = default;

  pgoutput::CaptureFile corpus_;
  CountingSink sink_;
  std::unique_ptr<engine::ChangePipeline> pipeline_;
  std::vector<const std::vector<uint8_t>*> replay_;
  uint64_t lsn_ = 0x1000000;
  uint64_t changes_ = 0;
  uint64_t in_bytes_ = 0;
};

}  // namespace trackops::bench

#endif  // TRACKOPS_BENCH_PIPELINE_REPLAY_H_
