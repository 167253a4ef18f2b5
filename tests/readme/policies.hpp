// SPDX-License-Identifier: BSL-1.0
// README snippet prelude `policies`: the `rows` the README's policy fragment builds its table from
// (the first three Binance BTCUSDT brackets as full rows in decimal<8>, deductions 0, 50 and 950).
#pragma once
#include <tiermargin/core/decimal.hpp>
#include <tiermargin/tiers/tier_table.hpp>

#include <vector>

inline const std::vector<tiermargin::tier<tiermargin::decimal<8>>> rows = [] {
  using money = tiermargin::decimal<8>;
  std::vector<tiermargin::tier<money>> r(3);
  r[0] = {money(0), money(50'000), money("0.004"), money(125), money(0)};
  r[1] = {money(50'000), money(600'000), money("0.005"), money(100), money(50)};
  r[2] = {money(600'000), money(3'000'000), money("0.0065"), money(75), money(950)};
  return r;
}();
