// SPDX-License-Identifier: BSL-1.0
// Throughput helpers: items/s and bytes/s from a per-iteration count, without sign-conversion noise.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>

namespace bench_support {
inline void set_items(benchmark::State& state, std::size_t items_per_iteration) {
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(items_per_iteration));
}
inline void set_bytes(benchmark::State& state, std::size_t bytes_per_iteration) {
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes_per_iteration));
}
}  // namespace bench_support
