// SPDX-License-Identifier: BSL-1.0
// Const objects are thread-safe (README §2): eight threads query one tier table (with its bucket index),
// the batch kernels, the liquidation solver, the estimators, the scenario generator (each thread with its
// own engine) and the loaders at the same time, and every thread gets bit for bit what one thread gets.
// CI also runs this executable under ThreadSanitizer (scripts/test.sh), which reports any data race.
#include <tiermargin/io/csv.hpp>
#include <tiermargin/tiermargin.hpp>

#include <bit>
#include <cstdint>
#include <random>
#include <thread>
#include <vector>

#include "support/catch.hpp"

namespace tmg = tiermargin;

namespace {
constexpr int thread_count = 8;

const char* const table_csv =
    "floor,cap,maint_rate,max_leverage,maint_amount\n"
    "0,50000,0.004,125,0\n50000,600000,0.005,100,50\n600000,3000000,0.0065,75,950\n"
    "3000000,12000000,0.01,50,11450\n12000000,70000000,0.02,25,131450\n";

/// Everything one thread computes from the shared objects, folded into bit patterns.
std::vector<std::uint64_t> work(const tmg::tier_table<double>& table, const std::vector<double>& notionals,
                                const std::vector<double>& losses, const tmg::multivariate_scenarios<>& scenarios) {
  std::vector<std::uint64_t> out;
  const auto push = [&out](double v) { out.push_back(std::bit_cast<std::uint64_t>(v)); };
  for (const double n : notionals) {
    push(tmg::maintenance_margin(table, n));
    push(tmg::max_leverage(table, n));
    out.push_back(tmg::tier_index(table, n));
  }
  std::vector<double> batch(notionals.size());
  tmg::maintenance_margin(table, std::span<const double>(notionals), std::span<double>(batch));
  for (const double v : batch) push(v);

  tmg::liquidation_inputs<double> in;
  in.collateral = 40'000;
  for (int i = 1; i <= 50; ++i) {
    const auto lp = tmg::liquidation_price(table, in, {tmg::position_side::long_side, 0.5 * i, 62'000.0});
    push(lp.falling.price);
  }

  const tmg::historical<> historical;
  const auto h = historical.var_es(losses, 0.01);
  push(h.var);
  push(h.es);
  const auto n = tmg::normal_estimator<>().var_es(losses, 0.01);
  push(n.var);
  push(n.es);

  std::mt19937_64 engine(7);  // each thread its own engine: the generator object is shared
  const std::vector<double> weights{0.6, 0.4};
  const auto mc = scenarios.portfolio_var_es(weights, 0.01, 20'000, engine);
  push(mc.var);
  push(mc.es);

  const auto parsed = tmg::io::parse_tier_table<double>(table_csv);
  push(tmg::maintenance_margin(parsed, 1e6));
  return out;
}
}  // namespace

TEST_CASE("eight threads on shared const objects get what one thread gets", "[concurrency]") {
  const auto table = tmg::io::parse_tier_table<double>(table_csv);
  std::mt19937_64 rng(20261204);
  std::lognormal_distribution<double> size(10.0, 2.0);
  std::vector<double> notionals(4096);
  for (double& x : notionals) x = std::min(size(rng), 70e6);
  std::normal_distribution<double> returns(0.0, 0.03);
  std::vector<double> losses(5000);
  for (double& x : losses) x = returns(rng);
  const tmg::multivariate_scenarios<> scenarios(Eigen::Vector2d(0.001, 0.002),
                                                (Eigen::Matrix2d() << 0.0004, 0.0001, 0.0001, 0.0009).finished());
  REQUIRE(scenarios.valid());

  const std::vector<std::uint64_t> expected = work(table, notionals, losses, scenarios);
  std::vector<std::vector<std::uint64_t>> results(thread_count);
  {
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t)
      threads.emplace_back([&, t] { results[static_cast<std::size_t>(t)] = work(table, notionals, losses, scenarios); });
    for (auto& thread : threads) thread.join();
  }
  for (const auto& r : results) CHECK(r == expected);
}
