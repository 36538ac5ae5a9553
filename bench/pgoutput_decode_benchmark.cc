// Decode throughput of pgoutput::Decoder over corpora captured from
// PostgreSQL 15 (tests/data/pgoutput/bench_*.hex, recorded by
// tools/pgoutput-capture/; workloads in its scenarios/ folder). Results and
// the command to reproduce them: docs/performance.md.
//
// One iteration decodes every message of a corpus, in order, with one
// Decoder per capture file (created and warmed up once, as a replication
// connection keeps its Decoder). Reported per second:
//   items      pgoutput messages (Begin, Relation, Insert, Commit, ...)
//   bytes      message bytes (the XLogData payloads)
//   changes    Insert/Update/Delete messages, i.e. row events
// and per message:
//   allocs/msg heap allocations inside Decode after the warm-up pass, counted
//              by the replacement global operator new (alloc_counter.h); the benchmark
//              fails if it is not 0 (the decoder allocates nothing in steady
//              state).
//
// The corpora are found under $TRACKOPS_SOURCE_DIR/tests/data/pgoutput,
// default: the source tree this binary was built from.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "alloc_counter.h"
#include "benchmark/benchmark.h"
#include "pgoutput/capture_file.h"
#include "pgoutput/decoder.h"

namespace trackops::pgoutput {
namespace {

std::filesystem::path CorpusDir() {
  const char* root = std::getenv("TRACKOPS_SOURCE_DIR");
  return std::filesystem::path(root != nullptr ? root : TRACKOPS_DEFAULT_SOURCE_DIR) / "tests" /
         "data" / "pgoutput";
}

struct Corpus {
  std::vector<CaptureFile> files;
  size_t messages = 0;
  size_t bytes = 0;
  size_t changes = 0;
};

bool IsChange(const std::vector<uint8_t>& message) {
  return message[0] == 'I' || message[0] == 'U' || message[0] == 'D';
}

// Loads `names` (capture file stems) once; later calls return the cache.
absl::StatusOr<const Corpus*> LoadCorpus(const std::vector<std::string>& names) {
  static auto* cache = new std::map<std::vector<std::string>, Corpus>();
  if (auto it = cache->find(names); it != cache->end()) return &it->second;
  Corpus corpus;
  for (const std::string& name : names) {
    absl::StatusOr<CaptureFile> file = ReadCaptureFile(CorpusDir() / (name + ".hex"));
    if (!file.ok()) return file.status();
    for (const std::vector<uint8_t>& message : file->messages) {
      ++corpus.messages;
      corpus.bytes += message.size();
      if (IsChange(message)) ++corpus.changes;
    }
    corpus.files.push_back(*std::move(file));
  }
  return &cache->emplace(names, std::move(corpus)).first->second;
}

// Decodes every message of `corpus` with `decoders` (one per file). Returns
// false after the first error, which goes to `*error`.
bool DecodeCorpus(const Corpus& corpus, std::vector<std::unique_ptr<Decoder>>& decoders,
                  Message& message, absl::Status* error) {
  for (size_t f = 0; f < corpus.files.size(); ++f) {
    Decoder& decoder = *decoders[f];
    for (const std::vector<uint8_t>& bytes : corpus.files[f].messages) {
      absl::Status status = decoder.Decode(bytes, &message);
      if (!status.ok()) {
        *error = std::move(status);
        return false;
      }
      benchmark::DoNotOptimize(message);
    }
  }
  return true;
}

void BM_Decode(benchmark::State& state, std::vector<std::string> names) {
  absl::StatusOr<const Corpus*> loaded = LoadCorpus(names);
  if (!loaded.ok()) {
    state.SkipWithError(std::string(loaded.status().message()).c_str());
    return;
  }
  const Corpus& corpus = **loaded;
  std::vector<std::unique_ptr<Decoder>> decoders;
  for (const CaptureFile& file : corpus.files) {
    absl::StatusOr<std::unique_ptr<Decoder>> decoder = Decoder::Create(file.options);
    if (!decoder.ok()) {
      state.SkipWithError(std::string(decoder.status().message()).c_str());
      return;
    }
    decoders.push_back(*std::move(decoder));
  }
  Message message;
  absl::Status error;
  // Warm-up: the decoders' column buffers grow to the largest message.
  if (!DecodeCorpus(corpus, decoders, message, &error)) {
    state.SkipWithError(std::string(error.message()).c_str());
    return;
  }
  if (!bench::AllocationCounterWorks()) {
    state.SkipWithError("the allocation counter does not work in this build");
    return;
  }
  uint64_t allocations = 0;
  for (auto _ : state) {
    bench::StartCountingAllocations();
    const bool ok = DecodeCorpus(corpus, decoders, message, &error);
    allocations += bench::StopCountingAllocations();
    if (!ok) {
      state.SkipWithError(std::string(error.message()).c_str());
      return;
    }
  }
  const auto iterations = static_cast<int64_t>(state.iterations());
  state.SetItemsProcessed(iterations * static_cast<int64_t>(corpus.messages));
  state.SetBytesProcessed(iterations * static_cast<int64_t>(corpus.bytes));
  state.counters["changes"] =
      benchmark::Counter(static_cast<double>(iterations) * static_cast<double>(corpus.changes),
                         benchmark::Counter::kIsRate);
  state.counters["msgs"] = static_cast<double>(corpus.messages);
  state.counters["bytes/msg"] =
      static_cast<double>(corpus.bytes) / static_cast<double>(corpus.messages);
  state.counters["allocs/msg"] =
      static_cast<double>(allocations) /
      (static_cast<double>(iterations) * static_cast<double>(corpus.messages));
  if (allocations != 0) {
    state.SkipWithError(
        absl::StrCat("the decoder allocated ", allocations, " times in steady state").c_str());
  }
}

// The benchmark corpora, then every scenario capture together (all message
// types, protocols 1 to 3).
[[maybe_unused]] const bool kRegistered = [] {
  for (const char* name : {"bench_orders", "bench_wide", "bench_jsonb_toast"}) {
    benchmark::RegisterBenchmark(absl::StrCat("BM_Decode/", name).c_str(), BM_Decode,
                                 std::vector<std::string>{name});
  }
  benchmark::RegisterBenchmark(
      "BM_Decode/all_scenarios", BM_Decode,
      std::vector<std::string>{"basic", "binary", "custom_type", "messages", "origin",
                               "replica_identity", "stream_prepare", "streaming", "toast",
                               "truncate", "two_phase"});
  return true;
}();

}  // namespace
}  // namespace trackops::pgoutput
