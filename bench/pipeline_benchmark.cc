// In-process end to end: pgoutput bytes in, Kafka-ready Debezium records out.
// engine::ChangePipeline decodes each captured message, tracks transactions,
// encodes row changes (event::ChangeEncoder) and hands the records to a sink
// that only counts them. No database, no I/O: this is the CPU cost TrackOps
// adds on top of the walsender. Results: docs/performance.md.
//
// Corpora: tests/data/pgoutput/bench_*.hex (tools/pgoutput-capture/). The
// first pass over a corpus (warm-up) sees its Relation messages and builds the
// per-table state; timed passes replay the other messages, as a long-lived
// connection does. Reported per second: items = row events, bytes = pgoutput
// bytes in, plus records/s and JSON bytes out; allocs/event must be 0.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "alloc_counter.h"
#include "benchmark/benchmark.h"
#include "engine/change_pipeline.h"
#include "pgoutput/capture_file.h"

namespace trackops::engine {
namespace {

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
  uint64_t bytes = 0;
  Lsn durable;
};

std::filesystem::path CorpusPath(const std::string& name) {
  const char* root = std::getenv("TRACKOPS_SOURCE_DIR");
  return std::filesystem::path(root != nullptr ? root : TRACKOPS_DEFAULT_SOURCE_DIR) / "tests" /
         "data" / "pgoutput" / (name + ".hex");
}

bool IsSchemaMessage(const std::vector<uint8_t>& m) { return m[0] == 'R' || m[0] == 'Y'; }
bool IsChange(const std::vector<uint8_t>& m) { return m[0] == 'I' || m[0] == 'U' || m[0] == 'D'; }

void BM_Pipeline(benchmark::State& state, std::string corpus_name, bool schemas) {
  absl::StatusOr<pgoutput::CaptureFile> corpus = pgoutput::ReadCaptureFile(CorpusPath(corpus_name));
  if (!corpus.ok()) {
    state.SkipWithError(std::string(corpus.status().message()).c_str());
    return;
  }
  ConnectorConfig config;
  config.topic_prefix = "shop";
  config.dbname = "shop";
  config.key_schemas_enable = schemas;
  config.value_schemas_enable = schemas;
  config.header_schemas_enable = schemas;
  config.protocol_version = corpus->options.protocol_version;
  CountingSink sink;
  auto pipeline = ChangePipeline::Create(config, /*catalog=*/nullptr, &sink);
  if (!pipeline.ok()) {
    state.SkipWithError(std::string(pipeline.status().message()).c_str());
    return;
  }
  uint64_t lsn = 0x1000000;
  auto feed = [&](const std::vector<uint8_t>& m) {
    return (*pipeline)->Handle(Lsn(lsn += 64), m);
  };
  // Warm-up with every message; then the replay set without schema messages.
  std::vector<const std::vector<uint8_t>*> replay;
  uint64_t in_bytes = 0, changes = 0;
  for (const std::vector<uint8_t>& m : corpus->messages) {
    absl::Status s = feed(m);
    if (!s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
      return;
    }
    if (IsSchemaMessage(m)) continue;
    replay.push_back(&m);
    in_bytes += m.size();
    changes += IsChange(m) ? 1 : 0;
  }
  if (!bench::AllocationCounterWorks()) {
    state.SkipWithError("the allocation counter does not work in this build");
    return;
  }
  sink.records = sink.bytes = 0;
  uint64_t allocations = 0;
  for (auto _ : state) {
    bench::StartCountingAllocations();
    for (const std::vector<uint8_t>* m : replay) {
      absl::Status s = feed(*m);
      if (!s.ok()) {
        bench::StopCountingAllocations();
        state.SkipWithError(std::string(s.message()).c_str());
        return;
      }
    }
    allocations += bench::StopCountingAllocations();
  }
  const double iterations = static_cast<double>(state.iterations());
  state.SetItemsProcessed(static_cast<int64_t>(iterations * static_cast<double>(changes)));
  state.SetBytesProcessed(static_cast<int64_t>(iterations * static_cast<double>(in_bytes)));
  state.counters["records"] =
      benchmark::Counter(static_cast<double>(sink.records), benchmark::Counter::kIsRate);
  state.counters["json_bytes"] = benchmark::Counter(
      static_cast<double>(sink.bytes), benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
  state.counters["allocs/event"] = static_cast<double>(allocations) /
                                   (iterations * static_cast<double>(changes));
  if (allocations != 0) {
    state.SkipWithError(
        absl::StrCat("the pipeline allocated ", allocations, " times in steady state").c_str());
  }
}

[[maybe_unused]] const bool kRegistered = [] {
  for (const char* name : {"bench_orders", "bench_wide", "bench_jsonb_toast"}) {
    for (bool schemas : {true, false}) {
      benchmark::RegisterBenchmark(
          absl::StrCat("BM_Pipeline/", name, schemas ? "/schemas" : "/no_schemas").c_str(),
          BM_Pipeline, std::string(name), schemas);
    }
  }
  return true;
}();

}  // namespace
}  // namespace trackops::engine
