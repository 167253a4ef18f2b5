// SPDX-License-Identifier: BSL-1.0
// The venue rules that the loaders (io/) call instead of restating them: Hyperliquid's MMR = 1/(2 max
// leverage), Bybit's percent/fraction units, OKX's minSz = previous maxSz + 1 (docs/venues.md §2-§4).
#include <tiermargin/venues.hpp>

#include <span>
#include <string>

#include "support/catch.hpp"
#include "support/errors.hpp"
#include "support/scalars.hpp"

namespace tmg = tiermargin;
using test_support::num;
using test_support::same;

TEMPLATE_TEST_CASE("Venue rules as single functions", "[venues][rules]", double, tmg::decimal<8>) {
  using Real = TestType;
  // Hyperliquid (§4, T9): 20x -> 1/40 = 2.5%; 40x -> 1/80 = 1.25%; 8x -> 1/16 = 6.25% (all exact in decimal<8>).
  CHECK(same(tmg::hyperliquid::maintenance_rate_for(num<Real>("20")), num<Real>("0.025")));
  CHECK(same(tmg::hyperliquid::maintenance_rate_for(num<Real>("40")), num<Real>("0.0125")));
  CHECK(same(tmg::hyperliquid::maintenance_rate_for(num<Real>("8")), num<Real>("0.0625")));
  CHECK(same(tmg::hyperliquid::maint_rate(num<Real>("20")), tmg::hyperliquid::maintenance_rate_for(num<Real>("20"))));
  // Bybit (§2): percent "0.5" is the fraction 0.005; fractions pass unchanged; rate_in_unit inverts.
  using tmg::bybit::rate_unit;
  CHECK(same(tmg::bybit::rate_as_fraction(num<Real>("0.5"), rate_unit::percent), num<Real>("0.005")));
  CHECK(same(tmg::bybit::rate_as_fraction(num<Real>("0.005"), rate_unit::fraction), num<Real>("0.005")));
  CHECK(same(tmg::bybit::rate_in_unit(num<Real>("0.005"), rate_unit::percent), num<Real>("0.5")));
  CHECK(same(tmg::bybit::rate_in_unit(num<Real>("0.005"), rate_unit::fraction), num<Real>("0.005")));
  // OKX (§3): tier 2 of a tier ending at 20,000 contracts starts at minSz 20,001; tier 1 at 0 or 1.
  CHECK(same(tmg::okx::next_min_size(num<Real>("20000")), num<Real>("20001")));
  CHECK(tmg::okx::first_min_size_valid(num<Real>("0")));
  CHECK(tmg::okx::first_min_size_valid(num<Real>("1")));
  CHECK(!tmg::okx::first_min_size_valid(num<Real>("0.5")));
  CHECK(!tmg::okx::first_min_size_valid(num<Real>("2")));
}

TEST_CASE("Bybit percent division that loses decimals is visible through rate_in_unit", "[venues][rules]") {
  // decimal<4>: 0.05% = 0.0005 is exact; 0.005% = 0.00005 needs 5 decimals, so the round trip differs.
  using dec4 = tmg::decimal<4>;
  using tmg::bybit::rate_unit;
  const dec4 exact("0.05"), lossy("0.005");
  CHECK(tmg::bybit::rate_in_unit(tmg::bybit::rate_as_fraction(exact, rate_unit::percent), rate_unit::percent) == exact);
  CHECK(!(tmg::bybit::rate_in_unit(tmg::bybit::rate_as_fraction(lossy, rate_unit::percent), rate_unit::percent) ==
          lossy));
}

TEST_CASE("okx::make_table accepts tier 1 at 0 or 1 contract only, as the loader does", "[venues][rules][okx]") {
  // A first minSz of 0.5 contract is neither 0 nor 1: io::parse_okx_position_tiers rejects it, and so must
  // make_table (it used to accept anything in [0, 1]).
  const tmg::okx::position_tier<double> half[] = {{0.5, 20'000, 0.004, 125}, {20'001, 40'000, 0.005, 100}};
  const std::span<const tmg::okx::position_tier<double>> rows(half);
  const std::string m = test_support::message_of([&] { (void)tmg::okx::make_table<double>(rows); });
  CHECK(m == "tiermargin::okx::make_table: tier 0 field 'min_size' = 0.5: tier 1 must start at 0 or 1 contract");
  struct quiet_okx : tmg::okx::policies {
    using error = tmg::quiet_nan;
  };
  CHECK(!tmg::okx::make_table<double, quiet_okx>(rows).valid());
  const tmg::okx::position_tier<double> zero[] = {{0, 20'000, 0.004, 125}, {20'001, 40'000, 0.005, 100}};
  CHECK(tmg::okx::make_table<double>(std::span<const tmg::okx::position_tier<double>>(zero)).valid());
}
