// SPDX-License-Identifier: BSL-1.0
// Tier-table calibration time against the boundary-grid size n and the tier count K, for each DP variant beside
// the O(K n^2) reference. Each instance: n geometric candidate caps 10k .. 1B, 10 evaluation points per
// interval (N = 10 n), convex required margin R(x) = x (0.004 + 0.0005 sqrt(x / 1M)), log-uniform weights.
// Timings include validation, prefix sums, the DP and the coverage re-evaluation of the finished table.
//   bench_calibrate --benchmark_min_time=0.001
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "tiermargin/calibrate/bracket_table.hpp"
#include "tiermargin/calibrate/step_table.hpp"

namespace tmg = tiermargin;

namespace {
struct problem {
  tmg::calibration_grid grid;
  std::vector<double> required, weights;
};

problem make_problem(std::size_t n) {
  std::vector<double> caps(n);
  for (std::size_t j = 0; j < n; ++j)
    caps[j] = 1e4 * std::pow(1e5, static_cast<double>(j + 1) / static_cast<double>(n));
  problem p;
  p.grid = tmg::make_calibration_grid(caps, 10);
  for (std::size_t i = 0; i < p.grid.notionals.size(); ++i) {
    const double x = p.grid.notionals[i];
    p.required.push_back(x * (0.004 + 0.0005 * std::sqrt(x / 1e6)));
    p.weights.push_back((x - (i ? p.grid.notionals[i - 1] : 0.0)) / x);
  }
  return p;
}

tmg::tier_constraints constraints_for(std::size_t K) {
  tmg::tier_constraints c;
  c.max_tiers = K;
  return c;
}

template <class Run>
void run_case(benchmark::State& state, Run run) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto K = static_cast<std::size_t>(state.range(1));
  const problem p = make_problem(n);
  const tmg::tier_constraints c = constraints_for(K);
  double objective = 0.0;
  for (auto _ : state) {
    objective = run(p, c);
    benchmark::DoNotOptimize(objective);
  }
  state.SetComplexityN(static_cast<benchmark::IterationCount>(n));
  state.SetItemsProcessed(state.iterations() * static_cast<benchmark::IterationCount>(n * K));
  state.counters["objective"] = objective;
}

void step_dc(benchmark::State& state) {
  run_case(state, [](const problem& p, const tmg::tier_constraints& c) {
    return tmg::optimize_step_table(p.grid, p.required, p.weights, c, tmg::segmentation_algorithm::divide_and_conquer)
        .objective;
  });
}
void step_quadratic_reference(benchmark::State& state) {
  run_case(state, [](const problem& p, const tmg::tier_constraints& c) {
    return tmg::optimize_step_table(p.grid, p.required, p.weights, c, tmg::segmentation_algorithm::quadratic).objective;
  });
}
void bracket_chord_dc(benchmark::State& state) {
  run_case(state, [](const problem& p, const tmg::tier_constraints& c) {
    return tmg::optimize_bracket_table(p.grid, p.required, p.weights, c,
                                       tmg::segmentation_algorithm::divide_and_conquer)
        .objective;
  });
}
void bracket_chord_quadratic_reference(benchmark::State& state) {
  run_case(state, [](const problem& p, const tmg::tier_constraints& c) {
    return tmg::optimize_bracket_table(p.grid, p.required, p.weights, c, tmg::segmentation_algorithm::quadratic)
        .objective;
  });
}
// Exact label DP over (breakpoint, leverage level, tiers) for Binance's 12 leverage levels, kappa = 2.
void bracket_levels_label_dp(benchmark::State& state) {
  const double leverages[] = {125, 100, 75, 50, 25, 20, 10, 5, 4, 3, 2, 1};
  const tmg::rate_levels levels = tmg::leverage_levels(leverages, 2.0);
  run_case(state, [&](const problem& p, tmg::tier_constraints c) {
    c.levels = levels;
    return tmg::optimize_bracket_table(p.grid, p.required, p.weights, c).objective;
  });
}

// n sweep at K = 12 (with Complexity; n = 10, 20 locate the crossover), K sweep at n = 1000 (the reference is
// limited to n <= 1000).
void n_sweep(benchmark::internal::Benchmark* b, long max_n) {
  for (const long n : {10L, 20L, 50L, 100L, 200L, 500L, 1000L, 2000L})
    if (n <= max_n) b->Args({n, 12});
}
void k_sweep(benchmark::internal::Benchmark* b, long n) {
  for (const long K : {2L, 4L, 8L, 12L, 20L}) b->Args({n, K});
}
}  // namespace

BENCHMARK(step_dc)->Apply([](auto* b) { n_sweep(b, 2000); })->Complexity(benchmark::oNLogN)->Unit(benchmark::kMicrosecond);
BENCHMARK(step_quadratic_reference)->Apply([](auto* b) { n_sweep(b, 1000); })->Complexity(benchmark::oNSquared)->Unit(benchmark::kMicrosecond);
BENCHMARK(bracket_chord_dc)->Apply([](auto* b) { n_sweep(b, 2000); })->Complexity(benchmark::oNLogN)->Unit(benchmark::kMicrosecond);
BENCHMARK(bracket_chord_quadratic_reference)->Apply([](auto* b) { n_sweep(b, 1000); })->Complexity(benchmark::oNSquared)->Unit(benchmark::kMicrosecond);
BENCHMARK(step_dc)->Name("step_dc/K_sweep")->Apply([](auto* b) { k_sweep(b, 1000); })->Unit(benchmark::kMicrosecond);
BENCHMARK(step_quadratic_reference)->Name("step_quadratic_reference/K_sweep")->Apply([](auto* b) { k_sweep(b, 1000); })->Unit(benchmark::kMicrosecond);
BENCHMARK(bracket_chord_dc)->Name("bracket_chord_dc/K_sweep")->Apply([](auto* b) { k_sweep(b, 1000); })->Unit(benchmark::kMicrosecond);
BENCHMARK(bracket_levels_label_dp)->Args({50, 12})->Args({100, 12})->Args({200, 12})->Unit(benchmark::kMicrosecond);
