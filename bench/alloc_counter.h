// Counts heap allocations on the calling thread, through a replacement of the
// global operator new linked into each benchmark binary (alloc_counter.cc).
//
//   bench::StartCountingAllocations();
//   ... code under test ...
//   uint64_t n = bench::StopCountingAllocations();

#ifndef TRACKOPS_BENCH_ALLOC_COUNTER_H_
#define TRACKOPS_BENCH_ALLOC_COUNTER_H_

#include <cstdint>

namespace trackops::bench {

void StartCountingAllocations();
// Stops counting; returns the allocations since StartCountingAllocations().
uint64_t StopCountingAllocations();
// True when the counter sees an allocation made on purpose (it could be
// bypassed by a sanitizer runtime or an allocator that replaces operator new).
bool AllocationCounterWorks();

}  // namespace trackops::bench

#endif  // TRACKOPS_BENCH_ALLOC_COUNTER_H_
