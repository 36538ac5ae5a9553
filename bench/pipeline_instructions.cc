// Instructions per row event of the decode + encode path, the repeatable
// figure behind bench/pipeline_benchmark's rates. Run under callgrind (see
// bench/instructions.sh, which does so for every corpus):
//
//   valgrind --tool=callgrind --collect-atstart=no pipeline_instructions CORPUS SCHEMAS PASSES
//
// The warm-up pass is not counted; callgrind collects only while PASSES
// replays of CORPUS (tests/data/pgoutput/CORPUS.hex; SCHEMAS 1 or 0) run.
// Prints "events N": the row events replayed, which divide the Ir callgrind
// reports.

#include <valgrind/callgrind.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "pipeline_replay.h"

int main(int argc, char** argv) {
  if (argc != 4 || std::atoi(argv[3]) < 1) {
    std::fprintf(stderr, "usage: %s CORPUS SCHEMAS(0|1) PASSES\n", argv[0]);
    return 2;
  }
  const int passes = std::atoi(argv[3]);
  absl::StatusOr<std::unique_ptr<trackops::bench::PipelineReplay>> replay =
      trackops::bench::PipelineReplay::Load(argv[1], std::string(argv[2]) == "1");
  if (!replay.ok()) {
    std::fprintf(stderr, "%s: %s\n", argv[1], std::string(replay.status().message()).c_str());
    return 1;
  }
  absl::Status s;
  CALLGRIND_START_INSTRUMENTATION;
  CALLGRIND_TOGGLE_COLLECT;
  for (int i = 0; i < passes && s.ok(); ++i) s = (*replay)->Pass();
  CALLGRIND_TOGGLE_COLLECT;
  CALLGRIND_STOP_INSTRUMENTATION;
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", argv[1], std::string(s.message()).c_str());
    return 1;
  }
  std::printf("events %llu\n",
              static_cast<unsigned long long>((*replay)->changes_per_pass() * passes));
  return 0;
}
