// SPDX-License-Identifier: BSL-1.0
// Exact rolling historical VaR + ES over 1e6 losses (p = 0.01), windows W = 250 and 1000.
//  - BM_RollingStream<type>/W   rolling_historical: push() + var_es() at every step (HF type 1 and 7)
//  - BM_RollingBatch/W          rolling_var_es into caller buffers (type 1)
//  - BM_RollingTrend/W          worst case of the tail structure: an up-trending series, so every new loss
//                               enters the top K and the tail (K ~ W p + 1 values) is re-summed each step
//  - BM_NaiveResort/W           naive: copy the window, std::sort, read VaR and sum the tail, every step;
//                               run on the first 20000 steps only (it is O(W log W) per step)
//  - BM_NaiveHistorical/W       recompute with historical<>::var_es (selection, O(W)) on each window;
//                               first 20000 steps
// Counter time_per_step is the CPU time per window step; compare it with bench/risk/pandas_rolling.py, which
// generates the same 1e6 losses (bench/risk/lcg_losses.hpp) and times pandas' rolling(W).quantile.
#include <tiermargin/risk/historical.hpp>
#include <tiermargin/risk/rolling.hpp>

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
constexpr std::size_t n_obs = 1'000'000;
constexpr std::size_t naive_steps = 20'000;

const std::vector<double>& data() {
  static const std::vector<double> x = bench_risk::lcg_losses(n_obs);
  return x;
}

void per_step(benchmark::State& state, std::size_t steps) {
  bench_support::set_items(state, steps);
  state.counters["time_per_step"] = benchmark::Counter(
      static_cast<double>(steps), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

template <int Type>
void BM_RollingStream(benchmark::State& state) {
  const auto w = static_cast<std::size_t>(state.range(0));
  const auto& x = data();
  tmg::rolling_historical<tmg::with_hyndman_fan<Type>> roll(w, p);
  for (auto _ : state) {
    roll.clear();
    double acc = 0.0;
    for (std::size_t t = 0; t < w - 1; ++t) roll.push(x[t]);
    for (std::size_t t = w - 1; t < x.size(); ++t) {
      roll.push(x[t]);
      const auto r = roll.var_es();
      acc += r.var + r.es;
    }
    benchmark::DoNotOptimize(acc);
  }
  per_step(state, x.size() - w + 1);
}

void BM_RollingBatch(benchmark::State& state) {
  const auto w = static_cast<std::size_t>(state.range(0));
  const auto& x = data();
  std::vector<double> var(x.size() - w + 1), es(x.size() - w + 1);
  for (auto _ : state) {
    tmg::rolling_var_es(x, w, p, var, es);
    benchmark::DoNotOptimize(var.data());
    benchmark::DoNotOptimize(es.data());
  }
  per_step(state, var.size());
}

void BM_RollingTrend(benchmark::State& state) {
  const auto w = static_cast<std::size_t>(state.range(0));
  const auto& noise = data();
  std::vector<double> x(noise.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 1e-4 * static_cast<double>(i) + 0.01 * noise[i];
  std::vector<double> var(x.size() - w + 1), es(x.size() - w + 1);
  for (auto _ : state) {
    tmg::rolling_var_es(x, w, p, var, es);
    benchmark::DoNotOptimize(var.data());
    benchmark::DoNotOptimize(es.data());
  }
  per_step(state, var.size());
}

void BM_NaiveResort(benchmark::State& state) {
  const auto w = static_cast<std::size_t>(state.range(0));
  const auto& x = data();
  std::vector<double> window(w);
  const auto k = static_cast<std::size_t>(std::ceil(static_cast<double>(w) * p));
  for (auto _ : state) {
    double acc = 0.0;
    for (std::size_t s = 0; s < naive_steps; ++s) {
      std::copy(x.begin() + static_cast<std::ptrdiff_t>(s), x.begin() + static_cast<std::ptrdiff_t>(s + w),
                window.begin());
      std::sort(window.begin(), window.end(), std::greater<>());
      double sum = 0.0;
      for (std::size_t i = 0; i < k; ++i) sum += window[i];
      acc += window[k - 1] + sum / static_cast<double>(k);
    }
    benchmark::DoNotOptimize(acc);
  }
  per_step(state, naive_steps);
}

void BM_NaiveHistorical(benchmark::State& state) {
  const auto w = static_cast<std::size_t>(state.range(0));
  const auto& x = data();
  std::vector<double> scratch(w);
  const tmg::historical<> estimator;
  for (auto _ : state) {
    double acc = 0.0;
    for (std::size_t s = 0; s < naive_steps; ++s) {
      const auto r = estimator.var_es(std::span<const double>(x.data() + s, w), p, scratch);
      acc += r.var + r.es;
    }
    benchmark::DoNotOptimize(acc);
  }
  per_step(state, naive_steps);
}

BENCHMARK_TEMPLATE(BM_RollingStream, 1)->Arg(250)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_RollingStream, 7)->Arg(250)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RollingBatch)->Arg(250)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RollingTrend)->Arg(250)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NaiveResort)->Arg(250)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NaiveHistorical)->Arg(250)->Arg(1000)->Unit(benchmark::kMillisecond);
}  // namespace
