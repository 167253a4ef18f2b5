// SPDX-License-Identifier: BSL-1.0
// Tier lookup and batch maintenance margin.
//  - BM_Lookup<Policy>/K: tier index for 4096 in-cache notionals, K = 1..32 tiers, beside BM_LookupNaive, the
//    loop people write first (array of row structs, test floor <= n < cap per row).
//  - BM_BatchMaintenance/N/book: MM over N notionals into a caller buffer, in bytes/s (8 read + 8 written per
//    position; book 0 = uniform over the tiers, 1 = log-normal). Counter vs_copy = its time / the time of a
//    memcpy of the same bytes (the memory-bound limit), the copy timed in the same iterations so that a
//    busy neighbour slows both alike (thread CPU time). BM_Copy: that copy alone, in bytes/s.
//  - BM_BatchMaintenancePortable / BM_BatchMaintenanceAvx2: the same through one kernel of
//    tiers/detail/max_affine.hpp, bypassing the run-time choice: the portable Eigen kernel (SSE2 in a
//    baseline x86-64 build) and the AVX2 one (what a CPU without AVX-512 gets).
//  - BM_BatchMaintenanceScalarLoop: the loop people write first, the scalar function per position.
#include <tiermargin/tiers.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "support/counters.hpp"

namespace tmg = tiermargin;

namespace {
std::vector<tmg::bracket<double>> make_brackets(std::size_t k) {
  std::vector<tmg::bracket<double>> out;
  double rate = 0.004, leverage = 125;
  for (std::size_t i = 0; i < k; ++i) {
    out.push_back({i == 0 ? 0.0 : 50'000.0 * static_cast<double>(i * i), rate, leverage});
    rate = std::min(0.5, rate * 1.2);
    leverage = std::max(1.0, std::min(leverage, std::floor(1.0 / (2.0 * rate))));
  }
  return out;
}
std::vector<double> make_notionals(std::size_t n, double top, unsigned seed = 42) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, top);
  std::vector<double> out(n);
  for (double& x : out) x = u(rng);
  return out;
}

template <class Lookup>
struct with_lookup : tmg::default_policies {
  using lookup = Lookup;
};

template <class Lookup>
void BM_Lookup(benchmark::State& state) {
  const auto k = static_cast<std::size_t>(state.range(0));
  const auto brackets = make_brackets(k);
  const tmg::tier_table<double, with_lookup<Lookup>> table(brackets);
  const auto notionals = make_notionals(4096, brackets.back().floor * 1.1 + 1.0);
  for (auto _ : state) {
    std::size_t sum = 0;
    for (double n : notionals) sum += table.tier_index_unchecked(n);
    benchmark::DoNotOptimize(sum);
  }
  bench_support::set_items(state, notionals.size());
}

struct naive_row {
  double floor, cap, rate, amount;
};
void BM_LookupNaive(benchmark::State& state) {
  const auto k = static_cast<std::size_t>(state.range(0));
  const auto brackets = make_brackets(k);
  std::vector<naive_row> rows;
  for (std::size_t i = 0; i < k; ++i)
    rows.push_back({brackets[i].floor, i + 1 < k ? brackets[i + 1].floor : 1e300, brackets[i].maint_rate, 0.0});
  const auto notionals = make_notionals(4096, brackets.back().floor * 1.1 + 1.0);
  for (auto _ : state) {
    std::size_t sum = 0;
    for (double n : notionals)
      for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].floor <= n && n < rows[i].cap) {
          sum += i;
          break;
        }
    benchmark::DoNotOptimize(sum);
  }
  bench_support::set_items(state, notionals.size());
}

/// A book like an exchange's: log-normal notionals, median 20k, most positions in the first tiers.
std::vector<double> make_realistic_notionals(std::size_t n, unsigned seed = 7) {
  std::mt19937_64 rng(seed);
  std::lognormal_distribution<double> d(std::log(20'000.0), 1.5);
  std::vector<double> out(n);
  for (double& x : out) x = std::min(d(rng), 5e6);
  return out;
}

enum class kernel { dispatched, portable, avx2 };

template <kernel Kernel>
void BM_BatchMaintenance(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const tmg::tier_table<double> table(make_brackets(12));
  const auto notionals = state.range(1) ? make_realistic_notionals(n) : make_notionals(n, 5e6);
  std::vector<double> out(n, 0.0), copy(n, 0.0);
  const tmg::detail::max_affine_pieces<double> pieces{table.maint_rates().data(), table.maint_amounts().data(),
                                                      table.size(), table.last_cap()};
  const auto tier_of = [&table](double x) noexcept { return table.tier_index_unchecked(x); };
#if TIERMARGIN_DETAIL_SIMD_DISPATCH
  if (Kernel == kernel::avx2 && !tmg::detail::cpu_has_avx2()) {
    state.SkipWithError("this CPU has no AVX2");
    return;
  }
#endif
  double batch_seconds = 0.0, copy_seconds = 0.0;
  for (auto _ : state) {
    const double t0 = bench_support::thread_seconds();
    if constexpr (Kernel == kernel::portable)
      benchmark::DoNotOptimize(
          tmg::detail::max_affine_portable(pieces, tier_of, notionals.data(), out.data(), n - n % 64));
#if TIERMARGIN_DETAIL_SIMD_DISPATCH
    else if constexpr (Kernel == kernel::avx2)
      benchmark::DoNotOptimize(tmg::detail::max_affine_avx2(pieces, tier_of, notionals.data(), out.data(), n - n % 64));
#endif
    else
      tmg::maintenance_margin(table, std::span<const double>(notionals), std::span<double>(out));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
    const double t1 = bench_support::thread_seconds();
    std::memcpy(copy.data(), notionals.data(), n * sizeof(double));
    benchmark::DoNotOptimize(copy.data());
    benchmark::ClobberMemory();
    const double t2 = bench_support::thread_seconds();
    batch_seconds += t1 - t0;
    copy_seconds += t2 - t1;
    state.SetIterationTime(t1 - t0);
  }
  bench_support::set_bytes(state, n * 2 * sizeof(double));
  bench_support::set_items(state, n);
  state.counters["vs_copy"] = batch_seconds / copy_seconds;
}

/// Naive batch: a lookup per element through the scalar API (what a user loop over positions does).
void BM_BatchMaintenanceScalarLoop(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const tmg::tier_table<double> table(make_brackets(12));
  const auto notionals = state.range(1) ? make_realistic_notionals(n) : make_notionals(n, 5e6);
  std::vector<double> out(n);
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) out[i] = tmg::maintenance_margin(table, notionals[i]);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  bench_support::set_bytes(state, n * 2 * sizeof(double));
  bench_support::set_items(state, n);
}

void BM_Copy(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto in = make_notionals(n, 5e6);
  std::vector<double> out(n);
  for (auto _ : state) {
    std::memcpy(out.data(), in.data(), n * sizeof(double));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  bench_support::set_bytes(state, n * 2 * sizeof(double));
  bench_support::set_items(state, n);
}
}  // namespace

BENCHMARK(BM_LookupNaive)->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(12)->Arg(16)->Arg(32);
BENCHMARK(BM_Lookup<tmg::linear_scan_lookup>)->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(12)->Arg(16)->Arg(32);
BENCHMARK(BM_Lookup<tmg::binary_search_lookup>)->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(12)->Arg(16)->Arg(32);
BENCHMARK(BM_Lookup<tmg::branchless_lookup>)->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(12)->Arg(16)->Arg(32);
BENCHMARK(BM_Lookup<tmg::bucketed_lookup>)->Arg(1)->Arg(2)->Arg(4)->Arg(8)->Arg(12)->Arg(16)->Arg(32);
BENCHMARK(BM_Copy)->Arg(1 << 16)->Arg(10'000'000)->Unit(benchmark::kMillisecond);
// Second argument: 0 = notionals uniform over 10 of the 12 tiers, 1 = log-normal book (mostly tiers 1-3).
BENCHMARK_TEMPLATE(BM_BatchMaintenance, kernel::dispatched)
    ->Name("BM_BatchMaintenance")
    ->ArgsProduct({{1 << 16, 10'000'000}, {0, 1}})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_BatchMaintenance, kernel::portable)
    ->Name("BM_BatchMaintenancePortable")
    ->ArgsProduct({{1 << 16, 10'000'000}, {0, 1}})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
#if TIERMARGIN_DETAIL_SIMD_DISPATCH
// Only where the CPU has AVX2 (skipped otherwise).
BENCHMARK_TEMPLATE(BM_BatchMaintenance, kernel::avx2)
    ->Name("BM_BatchMaintenanceAvx2")
    ->ArgsProduct({{1 << 16, 10'000'000}, {0, 1}})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
#endif
BENCHMARK(BM_BatchMaintenanceScalarLoop)->ArgsProduct({{1 << 16, 10'000'000}, {0, 1}})->Unit(benchmark::kMillisecond);
