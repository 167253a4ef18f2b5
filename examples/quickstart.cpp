// SPDX-License-Identifier: BSL-1.0
// Quick start: the real Binance USD-M BTCUSDT tier table (2024-10-24, data/README.md) and the margin
// numbers a trading bot asks for before it sends an order. Quoted in the README.
#include <tiermargin/tiermargin.hpp>

#include <cstdio>
#include <vector>

int main() {
  namespace tmg = tiermargin;
  // floor, cap, maintenance rate, max leverage, maintenance amount (cum): validated on construction.
  const std::vector<tmg::tier<double>> rows{
      {0, 50e3, 0.004, 125, 0},          {50e3, 600e3, 0.005, 100, 50},     {600e3, 3e6, 0.0065, 75, 950},
      {3e6, 12e6, 0.01, 50, 11'450},     {12e6, 70e6, 0.02, 25, 131'450},   {70e6, 100e6, 0.025, 20, 481'450},
      {100e6, 230e6, 0.05, 10, 2'981'450}, {230e6, 480e6, 0.1, 5, 14'481'450}, {480e6, 600e6, 0.125, 4, 26'481'450},
      {600e6, 800e6, 0.15, 3, 41'481'450}, {800e6, 1.2e9, 0.25, 2, 121'481'450}, {1.2e9, 1.8e9, 0.5, 1, 421'481'450}};
  const tmg::tier_table<double> btcusdt(rows);

  std::printf("%14s %5s %12s %12s %8s %10s\n", "notional", "tier", "maint.", "initial@max", "max lev", "eff. rate");
  for (double notional : {10e3, 100e3, 600e3, 5e6, 20e6, 150e6}) {
    std::printf("%14.2f %5zu %12.2f %12.2f %8.0f %9.4f%%\n", notional, tmg::tier_index(btcusdt, notional) + 1,
                tmg::maintenance_margin(btcusdt, notional), tmg::initial_margin(btcusdt, notional),
                tmg::max_leverage(btcusdt, notional), 100 * tmg::effective_rate(btcusdt, notional));
  }
  std::printf("largest position at 20x: %.0f USDT\n", tmg::max_notional(btcusdt, 20.0));

  // Exact decimal money: the same table in decimal<8>, with Binance's truncation to cents for margins.
  struct cents : tmg::default_policies {
    using rounding = tmg::round_down<2>;
  };
  using money = tmg::decimal<8>;
  const tmg::tier_table<money, cents> exact({{money(0), money("0.004"), money(125)},
                                             {money(50'000), money("0.005"), money(100)}},
                                            money(600'000));
  std::printf("decimal: MM(123456.78) = %s, IM(9253.30 @ 20x) = %s\n",
              tmg::maintenance_margin(exact, money("123456.78")).to_string().c_str(),
              tmg::initial_margin(exact, money("9253.30"), money(20)).to_string().c_str());
  return 0;
}
