// SPDX-License-Identifier: BSL-1.0
// Historical VaR + ES (p = 0.01, Acerbi-Tasche) of n = 1e3 .. 1e7 losses, beside what it is meant to beat:
//  - BM_HistoricalScratch/n   historical<>::var_es with a caller scratch span (no allocation)
//  - BM_HistoricalAlloc/n     the convenience overload (allocates an uninitialised n-double buffer for n >= 4096)
//  - BM_FullSort/n            naive: copy, std::sort, read the k-th worst and sum the tail
//  - BM_NthElement/n          one std::nth_element pass on a copy (the usual "fast" way; docs/conventions.md's limit)
//  - BM_Sum/n                 one plain summing pass over the same array: the physical floor
// Same data for all (bench/risk/lcg_losses.hpp). Complexity(oN) on every series. The target:
// HistoricalScratch within 3x of Sum for n >= 1e5.
#include <tiermargin/risk/historical.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "risk/lcg_losses.hpp"
#include "support/counters.hpp"

namespace tmg = tiermargin;

namespace {
constexpr double p = 0.01;

const std::vector<double>& data(std::size_t n) {
  static const std::vector<double> all = bench_risk::lcg_losses(10'000'000);
  static std::vector<double> prefix;
  prefix.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
  return prefix;
}

void finish(benchmark::State& state, std::size_t n) {
  bench_support::set_items(state, n);
  bench_support::set_bytes(state, n * sizeof(double));
  state.SetComplexityN(static_cast<benchmark::IterationCount>(n));
}

void BM_HistoricalScratch(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& x = data(n);
  std::vector<double> scratch(tmg::historical<>::scratch_size(n));
  const tmg::historical<> estimator;
  for (auto _ : state) {
    const auto r = estimator.var_es(x, p, scratch);
    benchmark::DoNotOptimize(r);
  }
  finish(state, n);
}

void BM_HistoricalAlloc(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& x = data(n);
  const tmg::historical<> estimator;
  for (auto _ : state) {
    const auto r = estimator.var_es(x, p);
    benchmark::DoNotOptimize(r);
  }
  finish(state, n);
}

void BM_FullSort(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& x = data(n);
  std::vector<double> copy(n);
  const auto k = static_cast<std::size_t>(std::ceil(static_cast<double>(n) * p));
  for (auto _ : state) {
    std::copy(x.begin(), x.end(), copy.begin());
    std::sort(copy.begin(), copy.end(), std::greater<>());
    double sum = 0.0;
    for (std::size_t i = 0; i < k; ++i) sum += copy[i];
    benchmark::DoNotOptimize(copy[k - 1]);
    benchmark::DoNotOptimize(sum);
  }
  finish(state, n);
}

void BM_NthElement(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& x = data(n);
  std::vector<double> copy(n);
  const auto k = static_cast<std::size_t>(std::ceil(static_cast<double>(n) * p));
  for (auto _ : state) {
    std::copy(x.begin(), x.end(), copy.begin());
    std::nth_element(copy.begin(), copy.begin() + static_cast<std::ptrdiff_t>(k - 1), copy.end(), std::greater<>());
    benchmark::DoNotOptimize(copy[k - 1]);
  }
  finish(state, n);
}

void BM_Sum(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& x = data(n);
  for (auto _ : state) {
    double sum = 0.0;
    for (double v : x) sum += v;
    benchmark::DoNotOptimize(sum);
  }
  finish(state, n);
}

#define TIERMARGIN_SIZES RangeMultiplier(10)->Range(1'000, 10'000'000)->Complexity(benchmark::oN)
BENCHMARK(BM_HistoricalScratch)->TIERMARGIN_SIZES;
BENCHMARK(BM_HistoricalAlloc)->TIERMARGIN_SIZES;
BENCHMARK(BM_FullSort)->TIERMARGIN_SIZES;
BENCHMARK(BM_NthElement)->TIERMARGIN_SIZES;
BENCHMARK(BM_Sum)->TIERMARGIN_SIZES;
}  // namespace
