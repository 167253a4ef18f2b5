// SPDX-License-Identifier: BSL-1.0
// Liquidation and bankruptcy prices on two venues' real tier tables (bundled data, data/README.md):
// Binance USD-M BTCUSDT (2024-10-24 snapshot) and Hyperliquid BTC (docs). For each venue an isolated and a
// cross position; prints the tier at the liquidation price, the maintenance margin there, the liquidation
// price and the bankruptcy price. No arguments; the data directory comes from TIERMARGIN_DATA_DIR.
#include <tiermargin/io/csv_tiers.hpp>
#include <tiermargin/venues.hpp>

#include <cstdio>
#include <string>

namespace tmg = tiermargin;

namespace {
const char* status_text(tmg::liquidation_status s) {
  switch (s) {
    case tmg::liquidation_status::liquidates: return "liquidates";
    case tmg::liquidation_status::fully_collateralised: return "fully collateralised";
    case tmg::liquidation_status::never_liquidated: return "never liquidated";
    case tmg::liquidation_status::liquidatable_at_reference: return "liquidatable now";
    case tmg::liquidation_status::beyond_last_cap: return "beyond the last tier";
    case tmg::liquidation_status::not_representable: return "out of the scalar's range";
    case tmg::liquidation_status::invalid_input: return "invalid input";
  }
  return "?";
}

void report(const char* venue, const char* mode, const tmg::liquidation_inputs<double>& in,
            const tmg::position_leg<double>& leg, const tmg::tier_table<double>& table) {
  const auto lp = tmg::liquidation_price(table, in, leg);
  const auto bp = tmg::bankruptcy_price(in, leg);
  const auto& adverse = lp.adverse();
  const auto& bankrupt = bp.adverse();
  std::printf("%-12s %-9s %-5s %8.3f @ %9.2f  ", venue, mode,
              leg.side == tmg::position_side::long_side ? "long" : "short", leg.size, leg.entry_price);
  if (adverse.has_price()) {
    std::printf("tier %2zu  MM %11.2f  liquidation %10.2f", adverse.tiers[0] + 1, adverse.maintenance, adverse.price);
  } else {
    std::printf("no liquidation price (%s)", status_text(adverse.status));
  }
  if (bankrupt.has_price())
    std::printf("  bankruptcy %10.2f\n", bankrupt.price);
  else
    std::printf("  bankruptcy: %s\n", status_text(bankrupt.status));
}
}  // namespace

int main() {
  const std::string dir = TIERMARGIN_DATA_DIR;
  const auto binance = tmg::io::read_tier_table<double>(dir + "/binance_usdm_btcusdt_tiers_20241024.csv");
  const auto hyperliquid = tmg::io::read_tier_table<double>(dir + "/hyperliquid_btc_tiers_docs.csv");
  std::printf("Binance BTCUSDT: %zu tiers; Hyperliquid BTC: %zu tiers\n\n", binance.size(), hyperliquid.size());

  // Isolated: 10 BTC long at 62,000 with 40,000 USDT of margin (entry tier 3 at Binance; at the LP the
  // notional has fallen into tier 2, so the solver re-brackets as Binance's FAQ says, docs/venues.md §1.4).
  tmg::liquidation_inputs<double> isolated;
  isolated.collateral = 40'000.0;
  const tmg::position_leg<double> iso_long{tmg::position_side::long_side, 10.0, 62'000.0};
  report("Binance", "isolated", isolated, iso_long, binance);
  report("Hyperliquid", "isolated", isolated, iso_long, hyperliquid);

  // Cross: 250 BTC short at 60,000 (15M notional) with a 2,000,000 USDT wallet, other positions holding
  // 150,000 of maintenance margin and -100,000 of unrealised PnL.
  tmg::liquidation_inputs<double> cross;
  cross.collateral = 2'000'000.0;
  cross.other_maintenance = 150'000.0;
  cross.other_pnl = -100'000.0;
  const tmg::position_leg<double> cross_short{tmg::position_side::short_side, 250.0, 60'000.0};
  report("Binance", "cross", cross, cross_short, binance);
  report("Hyperliquid", "cross", cross, cross_short, hyperliquid);

  // Hedge mode in cross at Binance: both legs of BTCUSDT share one price (docs/venues.md §1.4).
  tmg::liquidation_inputs<double> hedge;
  hedge.collateral = 20'000.0;
  const auto h = tmg::liquidation_price(binance, hedge, {tmg::position_side::long_side, 3.0, 60'000.0},
                                        {tmg::position_side::short_side, 1.0, 61'000.0});
  std::printf("\nBinance hedge (long 3 @ 60,000 / short 1 @ 61,000, cross 20,000): falling %s %.2f "
              "(long tier %zu, short tier %zu), rising: %s\n",
              status_text(h.falling.status), h.falling.price, h.falling.tiers[0] + 1, h.falling.tiers[1] + 1,
              status_text(h.rising.status));
  return 0;
}
