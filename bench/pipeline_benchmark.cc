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

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "alloc_counter.h"
#include "benchmark/benchmark.h"
#include "pipeline_replay.h"

namespace trackops::engine {
namespace {

void BM_Pipeline(benchmark::State& state, std::string corpus_name, bool schemas) {
  absl::StatusOr<std::unique_ptr<bench::PipelineReplay>> replay =
      bench::PipelineReplay::Load(corpus_name, schemas);
  if (!replay.ok()) {
    state.SkipWithError(std::string(replay.status().message()).c_str());
    return;
  }
  bench::CountingSink& sink = (*replay)->sink();
  const uint64_t changes = (*replay)->changes_per_pass();
  const uint64_t in_bytes = (*replay)->bytes_per_pass();
  if (!bench::AllocationCounterWorks()) {
    state.SkipWithError("the allocation counter does not work in this build");
    return;
  }
  uint64_t allocations = 0;
  for (auto _ : state) {
    bench::StartCountingAllocations();
    absl::Status s = (*replay)->Pass();
    allocations += bench::StopCountingAllocations();
    if (!s.ok()) {
      state.SkipWithError(std::string(s.message()).c_str());
      return;
    }
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
