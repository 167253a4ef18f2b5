// SPDX-License-Identifier: BSL-1.0
// Throughput helpers: items/s and bytes/s from a per-iteration count, without sign-conversion noise; the
// CPU time of the calling thread, for timing a baseline in the same iterations as the code under test.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <ctime>

namespace bench_support {
inline void set_items(benchmark::State& state, std::size_t items_per_iteration) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(items_per_iteration));
}
inline void set_bytes(benchmark::State& state, std::size_t bytes_per_iteration) {
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes_per_iteration));
}
/// CPU seconds of this thread (POSIX): on a shared machine wall time would mostly measure the neighbours.
inline double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
}  // namespace bench_support
