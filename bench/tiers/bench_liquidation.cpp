// SPDX-License-Identifier: BSL-1.0
// Liquidation price solves for 1M isolated one-way positions on the real Binance BTCUSDT table
// (data/binance_usdm_btcusdt_tiers_20241024.csv, docs/venues.md §1.3), in ns/position:
//  - BM_ExactSolve: `liquidation_price` (validated inputs, tier that contains the notional AT the price,
//    both sides of the safe interval reported);
//  - BM_OnePassEntryTier: the naive baseline on the same data, the §1.4 one-way formula with the bracket
//    of the ENTRY notional (one lookup, one division; wrong whenever the LP's notional is in another tier);
//  - BM_ExactSolveDecimal: the exact solve in decimal<8> on the same positions (money exactness cost).
// Target: BM_ExactSolve within 2x of BM_OnePassEntryTier. The counter `retiered` counts positions whose
// liquidation notional is outside the entry bracket, i.e. where the one-pass formula is wrong.
#include <tiermargin/tiers.hpp>

#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "support/counters.hpp"

namespace tmg = tiermargin;

namespace {
constexpr std::size_t positions = 1'000'000;

tmg::tier_table<double> binance_btcusdt() {
  const tmg::bracket<double> b[] = {{0, 0.004, 125},       {50e3, 0.005, 100},   {600e3, 0.0065, 75},
                                    {3e6, 0.01, 50},       {12e6, 0.02, 25},     {70e6, 0.025, 20},
                                    {100e6, 0.05, 10},     {230e6, 0.1, 5},      {480e6, 0.125, 4},
                                    {600e6, 0.15, 3},      {800e6, 0.25, 2},     {1.2e9, 0.5, 1}};
  return tmg::tier_table<double>(std::span<const tmg::bracket<double>>(b), 1.8e9);
}

/// Struct-of-arrays positions: side, size, entry, isolated margin for a leverage allowed in the entry tier.
struct book {
  std::vector<tmg::position_side> side;
  std::vector<double> size, entry, margin;
};

book make_book(const tmg::tier_table<double>& table) {
  std::mt19937_64 rng(20261124);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  book b;
  b.side.resize(positions);
  b.size.resize(positions);
  b.entry.resize(positions);
  b.margin.resize(positions);
  for (std::size_t i = 0; i < positions; ++i) {
    b.side[i] = u(rng) < 0.5 ? tmg::position_side::long_side : tmg::position_side::short_side;
    b.entry[i] = 20'000.0 + 80'000.0 * u(rng);
    const double notional = std::exp(std::log(1e3) + (std::log(50e6) - std::log(1e3)) * u(rng));  // 1k..50M
    b.size[i] = notional / b.entry[i];
    const double max_leverage = tmg::max_leverage(table, notional);
    b.margin[i] = notional / (1.0 + (max_leverage - 1.0) * u(rng));
  }
  return b;
}

const tmg::tier_table<double>& table() {
  static const tmg::tier_table<double> t = binance_btcusdt();
  return t;
}
const book& data() {
  static const book b = make_book(table());
  return b;
}

void BM_ExactSolve(benchmark::State& state) {
  const auto& t = table();
  const auto& b = data();
  for (auto _ : state) {
    double sum = 0.0;
    for (std::size_t i = 0; i < positions; ++i) {
      tmg::liquidation_inputs<double> in;
      in.collateral = b.margin[i];
      sum += tmg::liquidation_price(t, in, {b.side[i], b.size[i], b.entry[i]}).adverse().price;
    }
    benchmark::DoNotOptimize(sum);
  }
  std::size_t retiered = 0;  // outside the timed loop
  for (std::size_t i = 0; i < positions; ++i) {
    tmg::liquidation_inputs<double> in;
    in.collateral = b.margin[i];
    const auto lp = tmg::liquidation_price(t, in, {b.side[i], b.size[i], b.entry[i]}).adverse();
    retiered += lp.tiers[0] != t.tier_index_unchecked(b.size[i] * b.entry[i]);
  }
  bench_support::set_items(state, positions);
  state.counters["ns_per_position"] = benchmark::Counter(static_cast<double>(positions),
                                                         benchmark::Counter::kIsIterationInvariantRate |
                                                             benchmark::Counter::kInvert);
  state.counters["retiered"] = static_cast<double>(retiered);
}

void BM_OnePassEntryTier(benchmark::State& state) {
  const auto& t = table();
  const auto& b = data();
  const double* rates = t.maint_rates().data();
  const double* cums = t.maint_amounts().data();
  for (auto _ : state) {
    double sum = 0.0;
    for (std::size_t i = 0; i < positions; ++i) {
      // docs/venues.md §1.4 one-way: LP = (WB + cum - side Q EP) / (Q MMR - side Q), bracket at entry.
      const double q = b.size[i], ep = b.entry[i];
      const double side = b.side[i] == tmg::position_side::long_side ? 1.0 : -1.0;
      const std::size_t k = t.tier_index_unchecked(q * ep);
      const double lp = (b.margin[i] + cums[k] - side * q * ep) / (q * rates[k] - side * q);
      sum += lp > 0.0 ? lp : 0.0;
    }
    benchmark::DoNotOptimize(sum);
  }
  bench_support::set_items(state, positions);
  state.counters["ns_per_position"] = benchmark::Counter(static_cast<double>(positions),
                                                         benchmark::Counter::kIsIterationInvariantRate |
                                                             benchmark::Counter::kInvert);
}

void BM_ExactSolveDecimal(benchmark::State& state) {
  using dec = tmg::decimal<8>;
  const auto& b = data();
  std::vector<tmg::bracket<dec>> brackets;
  const auto& t = table();
  for (std::size_t k = 0; k < t.size(); ++k)
    brackets.push_back({dec(t.floors()[k]), dec(t.maint_rates()[k]), dec(t.max_leverages()[k])});
  const tmg::tier_table<dec> td(std::span<const tmg::bracket<dec>>(brackets), dec(1.8e9));
  const std::size_t n = positions / 10;  // decimal division is slower: a tenth of the book
  std::vector<dec> size(n), entry(n), margin(n);
  for (std::size_t i = 0; i < n; ++i) {
    size[i] = dec(std::round(b.size[i] * 1e3) / 1e3 + 0.001);
    entry[i] = dec(std::round(b.entry[i] * 100.0) / 100.0);
    margin[i] = dec(std::round(b.margin[i] * 100.0) / 100.0);
  }
  for (auto _ : state) {
    dec sum{};
    for (std::size_t i = 0; i < n; ++i) {
      tmg::liquidation_inputs<dec> in;
      in.collateral = margin[i];
      sum += tmg::liquidation_price(td, in, {b.side[i], size[i], entry[i]}).adverse().price;
    }
    benchmark::DoNotOptimize(sum);
  }
  bench_support::set_items(state, n);
  state.counters["ns_per_position"] = benchmark::Counter(static_cast<double>(n),
                                                         benchmark::Counter::kIsIterationInvariantRate |
                                                             benchmark::Counter::kInvert);
}
}  // namespace

BENCHMARK(BM_OnePassEntryTier)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExactSolve)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ExactSolveDecimal)->Unit(benchmark::kMillisecond);
