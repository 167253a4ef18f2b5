// SPDX-License-Identifier: BSL-1.0
// README snippet prelude `binance_btcusdt`: the context the README's liquidation fragment assumes.
// `binance_btcusdt` is the bundled Binance USD-M BTCUSDT table (data/binance_usdm_btcusdt_tiers_20241024.csv)
// and `use` prints what the fragment hands it, so the README's expect comment can check the numbers.
//
// The README's expected line, by hand (Binance isolated, one-way, no fee; docs/venues.md §1.4): 10 BTC long at
// 62,000 with WB = 40,000. Entry notional 620,000 is in tier 3 (600k-3M, mmr 0.0065, cum 950); solving
// there, 40,000 + 10 (P - 62,000) = 0.0065 * 10 P - 950 gives P = 579,050 / 9.935 = 58,283.85, notional
// 582,838 < 600,000: not in tier 3. Tier 2 (50k-600k, mmr 0.005, cum 50): 40,000 + 10 (P - 62,000) =
// 0.005 * 10 P - 50 gives P = 579,950 / 9.95 = 58,286.432..., notional 582,864.32 in (50k, 600k]:
// self-consistent. MM there = 582,864.32 * 0.005 - 50 = 2,864.32 (= equity 40,000 - 37,135.68).
#pragma once
#include <tiermargin/io/csv_tiers.hpp>
#include <tiermargin/tiers/liquidation.hpp>

#include <cstddef>
#include <cstdio>
#include <string>

inline const tiermargin::tier_table<double> binance_btcusdt =
    tiermargin::io::read_tier_table<double>(std::string(TIERMARGIN_DATA_DIR) + "/binance_usdm_btcusdt_tiers_20241024.csv");

inline void use(double price, std::size_t tier_index, double maintenance) {
  std::printf("liquidation %.2f  tier %zu  MM %.2f\n", price, tier_index + 1, maintenance);
}
