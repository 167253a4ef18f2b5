// SPDX-License-Identifier: BSL-1.0
// Multi-asset Monte Carlo scenario generation, 20 assets.
//  - BM_McScenarios<Engine>/antithetic: one block of 16384 scenarios x 20 assets per iteration (ziggurat
//    normals from std::mt19937_64 or xoshiro256++, X = Z L^T by Eigen GEMM), in
//    scenarios/s; counter pct_of_gemm_floor = this rate as a % of the rate of the bare matrix product of
//    the same shape (the compute floor), timed in the same iterations (one product after each block), so
//    a busy neighbour slows both alike. Thread CPU time throughout.
//  - BM_GemmFloor: that matrix product alone (Z prefilled), with its GFLOP/s.
//  - BM_NaiveScenarios: the loop people write first: std::normal_distribution and a per-scenario
//    triangular mat-vec.
//  - BM_McPortfolioVarEs: VaR/ES of 1e6 simulated portfolio losses (one full run per iteration).
#include <tiermargin/risk/monte_carlo.hpp>
#include <tiermargin/risk/xoshiro256.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "support/counters.hpp"

namespace tmg = tiermargin;

namespace {
using bench_support::thread_seconds;

constexpr Eigen::Index assets = 20;
constexpr Eigen::Index block = 16384;

Eigen::MatrixXd make_covariance() {
  // Equicorrelated (rho = 0.3) assets with vols from 1% to 3%: positive definite.
  Eigen::MatrixXd c(assets, assets);
  for (Eigen::Index i = 0; i < assets; ++i)
    for (Eigen::Index j = 0; j < assets; ++j) {
      const double si = 0.01 + 0.02 * static_cast<double>(i) / (assets - 1);
      const double sj = 0.01 + 0.02 * static_cast<double>(j) / (assets - 1);
      c(i, j) = (i == j ? 1.0 : 0.3) * si * sj;
    }
  return c;
}

const tmg::multivariate_scenarios<>& generator() {
  static const tmg::multivariate_scenarios<> g(Eigen::VectorXd::Zero(assets), make_covariance());
  return g;
}

template <class Engine>
void BM_McScenarios(benchmark::State& state) {
  const bool antithetic = state.range(0) != 0;
  const auto& gen = generator();
  tmg::scenario_matrix x(block, assets), z;
  Engine rng(2026);
  // The floor, timed in the same iterations so that both see the same machine: the bare product Z L^T
  // of the same shape on prefilled Z.
  const tmg::scenario_matrix zf = tmg::scenario_matrix::Random(block, assets);
  tmg::scenario_matrix xf(block, assets);
  const Eigen::MatrixXd& lt = gen.cholesky_transposed();
  gen.generate(rng, x, antithetic, z);  // warm-up: sizes the scratch, faults the pages in
  xf.noalias() = zf * lt;
  double generate_seconds = 0.0, gemm_seconds = 0.0;
  for (auto _ : state) {
    const double t0 = thread_seconds();
    gen.generate(rng, x, antithetic, z);
    benchmark::DoNotOptimize(x.data());
    benchmark::ClobberMemory();
    const double t1 = thread_seconds();
    xf.noalias() = zf * lt;
    benchmark::DoNotOptimize(xf.data());
    benchmark::ClobberMemory();
    const double t2 = thread_seconds();
    generate_seconds += t1 - t0;
    gemm_seconds += t2 - t1;
    state.SetIterationTime(t1 - t0);
  }
  const double scenarios = static_cast<double>(state.iterations()) * static_cast<double>(block);
  state.SetItemsProcessed(static_cast<std::int64_t>(scenarios));
  state.counters["GFLOPs_equiv"] =
      benchmark::Counter(scenarios * 2.0 * assets * assets * 1e-9, benchmark::Counter::kIsRate);
  state.counters["pct_of_gemm_floor"] = 100.0 * gemm_seconds / generate_seconds;
}
BENCHMARK_TEMPLATE(BM_McScenarios, std::mt19937_64)
    ->ArgName("antithetic")
    ->Arg(0)
    ->Arg(1)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_McScenarios, tmg::xoshiro256pp)
    ->ArgName("antithetic")
    ->Arg(0)
    ->Arg(1)
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

void BM_GemmFloor(benchmark::State& state) {
  tmg::scenario_matrix z = tmg::scenario_matrix::Random(block, assets), x(block, assets);
  const Eigen::MatrixXd& lt = generator().cholesky_transposed();
  x.noalias() = z * lt;  // warm-up
  for (auto _ : state) {
    x.noalias() = z * lt;
    benchmark::DoNotOptimize(x.data());
    benchmark::ClobberMemory();
  }
  const double scenarios = static_cast<double>(state.iterations()) * static_cast<double>(block);
  state.SetItemsProcessed(static_cast<std::int64_t>(scenarios));
  state.counters["GFLOPs"] = benchmark::Counter(scenarios * 2.0 * assets * assets * 1e-9, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GemmFloor)->Unit(benchmark::kMicrosecond);

void BM_NaiveScenarios(benchmark::State& state) {
  const Eigen::MatrixXd lower = generator().cholesky_transposed().transpose();
  std::vector<double> l(static_cast<std::size_t>(assets * assets));
  for (Eigen::Index i = 0; i < assets; ++i)
    for (Eigen::Index j = 0; j < assets; ++j) l[static_cast<std::size_t>(i * assets + j)] = lower(i, j);
  std::vector<double> out(static_cast<std::size_t>(block * assets));
  std::mt19937_64 rng(2026);
  std::normal_distribution<double> normal;
  double zs[assets];
  for (auto _ : state) {
    for (std::size_t s = 0; s < static_cast<std::size_t>(block); ++s) {
      for (double& v : zs) v = normal(rng);
      for (std::size_t i = 0; i < static_cast<std::size_t>(assets); ++i) {
        double acc = 0.0;
        for (std::size_t j = 0; j <= i; ++j) acc += l[i * static_cast<std::size_t>(assets) + j] * zs[j];
        out[s * static_cast<std::size_t>(assets) + i] = acc;
      }
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * block);
}
BENCHMARK(BM_NaiveScenarios)->Unit(benchmark::kMicrosecond);

void BM_McPortfolioVarEs(benchmark::State& state) {
  const auto& gen = generator();
  const std::vector<double> w(static_cast<std::size_t>(assets), 1.0 / assets);
  const auto scenarios = static_cast<std::size_t>(state.range(0));
  std::mt19937_64 rng(7);
  for (auto _ : state) {
    const auto r = gen.portfolio_var_es(w, 0.01, scenarios, rng);
    benchmark::DoNotOptimize(r.var);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_McPortfolioVarEs)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
}  // namespace
