// SPDX-License-Identifier: BSL-1.0
// The venue liquidation wrappers validate through the shared checks (tiers/liquidation.hpp, core/check.hpp):
// a bad argument is reported naming the venue function the caller called and the caller's own argument,
// and under quiet_nan every invalid bound is the same (status invalid_input, NaN price and maintenance).
#include <tiermargin/venues.hpp>

#include <cmath>
#include <limits>
#include <span>
#include <string>

#include "support/catch.hpp"
#include "support/errors.hpp"

namespace tmg = tiermargin;
using tmg::liquidation_status;
using tmg::position_side;
using test_support::message_of;

namespace {
const double qnan = std::numeric_limits<double>::quiet_NaN();

bool invalid(const tmg::liquidation_bound<double>& b) {
  return b.status == liquidation_status::invalid_input && std::isnan(b.price) && std::isnan(b.maintenance);
}
}  // namespace

TEST_CASE("Table-based venue wrappers name their own function and arguments", "[venues][liquidation][errors]") {
  const tmg::tier_table<double> table({{0.0, 0.004, 125.0}, {50'000.0, 0.005, 100.0}});
  const tmg::position_leg<double> leg{position_side::long_side, 1.0, 20'000.0};
  // Binance calls the collateral the wallet balance.
  CHECK(message_of([&] { (void)tmg::binance::usdm_liquidation_price(table, qnan, 0.0, 0.0, leg); }) ==
        "tiermargin::binance::usdm_liquidation_price: argument 'wallet_balance' = nan: must be finite");
  const tmg::position_leg<double> short_leg{position_side::short_side, 1.0, 20'000.0};
  CHECK(message_of([&] { (void)tmg::binance::usdm_liquidation_price(table, 1'000.0, -1.0, 0.0, leg, short_leg); }) ==
        "tiermargin::binance::usdm_liquidation_price: argument 'other_maintenance' = -1: must be finite and >= 0");
  CHECK(message_of([&] { (void)tmg::binance::coinm_liquidation_price(table, 0.0, 1.0, 0.0, 0.0, leg); }) ==
        "tiermargin::binance::coinm_liquidation_price: argument 'contract_size' = 0: must be finite and > 0");
  CHECK(message_of([&] { (void)tmg::hyperliquid::liquidation_price(table, qnan, 0.0, 0.0, leg); }) ==
        "tiermargin::hyperliquid::liquidation_price: argument 'collateral' = nan: must be finite");
  // The generic entry point keeps its own name.
  tmg::liquidation_inputs<double> in;
  in.collateral = qnan;
  CHECK(message_of([&] { (void)tmg::liquidation_price(table, in, leg); }) ==
        "tiermargin::liquidation_price: argument 'collateral' = nan: must be finite");
  // Bybit and OKX: the argument the caller passed, not the notional the wrapper derives from it.
  CHECK(message_of([&] {
          (void)tmg::bybit::linear_isolated_liquidation_price(table, position_side::long_side, qnan, 20'000.0, 50.0);
        }) == "tiermargin::bybit::linear_isolated_liquidation_price: argument 'size' = nan: must be finite and > 0");
  CHECK(message_of([&] {
          (void)tmg::okx::isolated_liquidation_price(table, position_side::long_side, -1.0, 0.01, 20'000.0, 100.0,
                                                     0.0005);
        }) == "tiermargin::okx::isolated_liquidation_price: argument 'contracts' = -1: must be finite and >= 0");
}

TEST_CASE("Venue closed forms share the leverage and fee checks", "[venues][liquidation][errors]") {
  // One wording for a leverage below 1 and for a fee outside [0, 1) (core/check.hpp), as the generic solver's fee_rate.
  CHECK(message_of([] {
          (void)tmg::bybit::linear_isolated_liquidation_price(position_side::long_side, 1.0, 20'000.0, 0.5, 0.005, 0.0);
        }) == "tiermargin::bybit::linear_isolated_liquidation_price: argument 'leverage' = 0.5: must be finite and >= 1");
  CHECK(message_of([] {
          (void)tmg::bybit::inverse_isolated_liquidation_price_uta(position_side::long_side, 100.0, 20'000.0, 10.0, 0.005,
                                                                   0.0, 0.0, 1.0);
        }) ==
        "tiermargin::bybit::inverse_isolated_liquidation_price_uta: argument 'taker_fee' = 1: must be finite and in [0, 1)");
  CHECK(message_of([] { (void)tmg::hyperliquid::maint_rate(0.5); }) ==
        "tiermargin::hyperliquid::maint_rate: argument 'max_leverage' = 0.5: must be finite and >= 1");
}

TEST_CASE("Under quiet_nan every venue wrapper returns the same invalid bound", "[venues][liquidation][errors]") {
  using quiet = tmg::quiet_nan;
  // NaN maintenance as well as price: an invalid bound carries no number that could be mistaken for a result.
  CHECK(invalid(tmg::bybit::linear_isolated_liquidation_price<double, quiet>(position_side::long_side, qnan, 20'000.0,
                                                                             50.0, 0.005, 0.0)));
  CHECK(invalid(tmg::bybit::inverse_isolated_liquidation_price<double, quiet>(position_side::long_side, 100.0, 20'000.0,
                                                                              0.5, 0.005, 0.0)));
  CHECK(invalid(tmg::bybit::inverse_isolated_liquidation_price_uta<double, quiet>(position_side::long_side, 100.0,
                                                                                  20'000.0, 10.0, 0.005, 0.0, 0.0, 1.0)));
  CHECK(invalid(tmg::okx::isolated_liquidation_price<double, quiet>(position_side::long_side, 1.0, qnan, 100.0, 0.01,
                                                                    0.0005)));
  CHECK(invalid(tmg::hyperliquid::liquidation_price<double, quiet>(20'000.0, position_side::long_side, 100.0, 1.0, 1.5)));
  CHECK(invalid(tmg::dydx::isolated_liquidation_price<double, quiet>(1'000.0, 0.0, 50'000.0, 0.03)));
  const tmg::tier_table<double, test_support::nan_policies> table({{0.0, 0.004, 125.0}, {50'000.0, 0.005, 100.0}});
  CHECK(invalid(tmg::bybit::linear_isolated_liquidation_price(table, position_side::long_side, qnan, 20'000.0, 50.0)));
  CHECK(invalid(tmg::okx::isolated_liquidation_price(table, position_side::long_side, -1.0, 0.01, 20'000.0, 100.0,
                                                     0.0005)));
  const tmg::position_leg<double> leg{position_side::long_side, 1.0, 20'000.0};
  const auto r = tmg::binance::usdm_liquidation_price(table, qnan, 0.0, 0.0, leg);
  CHECK(invalid(r.falling));
  CHECK(invalid(r.rising));
}

TEST_CASE("a notional beyond the table at the default reference names the entry price the caller passed",
          "[venues][liquidation][errors]") {
  // Found by review: a long of 1e-300 @ 1e308 with reference_price left at 0 was reported as
  // "'reference_price' = 1e+308", an argument the caller never set. The notional there, 1e8, is above
  // this table's last cap (600,000).
  const tmg::tier_table<double> table({{0, 0.004, 125}, {50'000, 0.005, 100}}, 600'000);
  tmg::liquidation_inputs<double> in;
  in.collateral = 1'000;
  const tmg::position_leg<double> leg{tmg::position_side::long_side, 1e-300, 1e308};
  const std::string m = test_support::message_of([&] { (void)tmg::liquidation_price(table, in, leg); });
  INFO(m);
  CHECK(test_support::contains(m, "argument 'leg.entry_price' = 1e+308"));
  CHECK(test_support::contains(m, "pass reference_price"));
  in.reference_price = 1e308;
  CHECK(test_support::contains(test_support::message_of([&] { (void)tmg::liquidation_price(table, in, leg); }),
                               "argument 'reference_price' = 1e+308"));
}
