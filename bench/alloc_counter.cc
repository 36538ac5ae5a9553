#include "alloc_counter.h"

#include <cstdlib>
#include <new>

#include "benchmark/benchmark.h"

namespace {
thread_local bool t_counting = false;
thread_local uint64_t t_allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  if (t_counting) ++t_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
// GCC 12 sees free() of memory from "new" once these are inlined: that is
// the point of a replacement, hence the pragma.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace trackops::bench {

void StartCountingAllocations() {
  t_allocations = 0;
  t_counting = true;
}

uint64_t StopCountingAllocations() {
  t_counting = false;
  return t_allocations;
}

bool AllocationCounterWorks() {
  StartCountingAllocations();
  int* probe = new int(1);
  benchmark::DoNotOptimize(probe);
  delete probe;
  return StopCountingAllocations() == 1;
}

}  // namespace trackops::bench
