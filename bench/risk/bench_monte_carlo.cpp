// SPDX-License-Identifier: BSL-1.0
// Multi-asset Monte Carlo scenario generation, 20 assets.
//  - BM_McScenarios<Engine>/antithetic: one block of 16384 scenarios x 20 assets per iteration (ziggurat
//    normals from std::mt19937_64 or xoshiro256++, X = Z L^T by Eigen GEMM), in scenarios/s; counter
//    pct_of_gemm_floor = this rate as a % of the rate of the bare matrix product of the same shape,
//    measured once at start-up (the compute floor: best of 50 timed products). Both in thread CPU time.
//  - BM_GemmFloor: that matrix product alone (Z prefilled), with its GFLOP/s.
//  - BM_NaiveScenarios: the loop people write first: std::normal_distribution and a per-scenario
//    triangular mat-vec.
//  - BM_McPortfolioVarEs: VaR/ES of 1e6 simulated portfolio losses (one full run per iteration).
#include <tiermargin/risk/monte_carlo.hpp>
#include <tiermargin/risk/xoshiro256.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <random>
#include <vector>

namespace tmg = tiermargin;

namespace {
// CPU time of this thread (POSIX): the machine is shared, so wall time would mostly measure the neighbours.
double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

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

// Scenarios/s of the bare product Z L^T for one block (best of a few repetitions).
double gemm_floor_rate() {
  static const double rate = [] {
    tmg::scenario_matrix z = tmg::scenario_matrix::Random(block, assets), x(block, assets);
    const Eigen::MatrixXd& lt = generator().cholesky_transposed();
    double best = 1e30;
    for (int rep = 0; rep < 50; ++rep) {
      const double t0 = thread_seconds();
      x.noalias() = z * lt;
      benchmark::DoNotOptimize(x.data());
      best = std::min(best, thread_seconds() - t0);
    }
    return static_cast<double>(block) / best;
  }();
  return rate;
}

template <class Engine>
void BM_McScenarios(benchmark::State& state) {
  const bool antithetic = state.range(0) != 0;
  const auto& gen = generator();
  tmg::scenario_matrix x(block, assets), z;
  Engine rng(2026);
  const double floor_rate = gemm_floor_rate();
  gen.generate(rng, x, antithetic, z);  // warm-up: sizes the scratch, faults the pages in
  const double t0 = thread_seconds();
  for (auto _ : state) {
    gen.generate(rng, x, antithetic, z);
    benchmark::DoNotOptimize(x.data());
    benchmark::ClobberMemory();
  }
  const double seconds = thread_seconds() - t0;
  const double scenarios = static_cast<double>(state.iterations()) * static_cast<double>(block);
  state.SetItemsProcessed(static_cast<std::int64_t>(scenarios));
  state.counters["GFLOPs_equiv"] =
      benchmark::Counter(scenarios * 2.0 * assets * assets * 1e-9, benchmark::Counter::kIsRate);
  state.counters["gemm_floor_scen_per_s"] = floor_rate;
  state.counters["pct_of_gemm_floor"] = 100.0 * scenarios / seconds / floor_rate;
}
BENCHMARK_TEMPLATE(BM_McScenarios, std::mt19937_64)->ArgName("antithetic")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK_TEMPLATE(BM_McScenarios, tmg::xoshiro256pp)->ArgName("antithetic")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

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
