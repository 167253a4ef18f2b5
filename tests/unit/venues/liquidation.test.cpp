// SPDX-License-Identifier: BSL-1.0
// Liquidation and bankruptcy prices: every mode x contract type x side of the generic solver with expected
// values derived by hand below (each from the equation equity = maintenance written out in the comment, the
// fraction reduced exactly), the venue formulas against docs/venues.md's worked examples (L7, L9, L12, §1.4/§1.5,
// §3, §4, §5), the "no liquidation price" statuses, and errors through throw_errors and quiet_nan.
// Decimal expectations are the exact fractions rounded half-even to 8 decimals (one rounding in the solver).
#include <tiermargin/venues.hpp>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/scalars.hpp"

namespace tmg = tiermargin;
using test_support::num;
using test_support::same;
using tmg::liquidation_status;
using tmg::position_side;

namespace {
struct clamp_policies : tmg::default_policies {
  using beyond_cap = tmg::beyond_cap_clamp;
};
struct quiet_policies : tmg::default_policies {
  using error = tmg::quiet_nan;
};

/// Binance BTCUSDT 2024-10-24 snapshot (docs/venues.md §1.3): (floor, MMR, max leverage); cums by the recursion.
template <class Real, class P = tmg::default_policies>
tmg::tier_table<Real, P> binance_2024() {
  const char* rows[][3] = {{"0", "0.004", "125"},          {"50000", "0.005", "100"},
                           {"600000", "0.0065", "75"},     {"3000000", "0.01", "50"},
                           {"12000000", "0.02", "25"},     {"70000000", "0.025", "20"},
                           {"100000000", "0.05", "10"},    {"230000000", "0.1", "5"},
                           {"480000000", "0.125", "4"},    {"600000000", "0.15", "3"},
                           {"800000000", "0.25", "2"},     {"1200000000", "0.5", "1"}};
  std::vector<tmg::bracket<Real>> b;
  for (const auto& r : rows) b.push_back({num<Real>(r[0]), num<Real>(r[1]), num<Real>(r[2])});
  return tmg::tier_table<Real, P>(std::span<const tmg::bracket<Real>>(b), num<Real>("1800000000"));
}

/// Illustrative COIN-M table in BTC: 0-5 0.4%, 5-10 0.5%, 10-20 1%, 20-50 2.5%, 50-100 5%, 100+ 10%.
/// cums: 0, 0.005, 0.055, 0.355, 1.605, 6.605 (recursion, by hand).
template <class Real>
tmg::tier_table<Real> coin_table() {
  return tmg::tier_table<Real>({{num<Real>("0"), num<Real>("0.004"), num<Real>("125")},
                                {num<Real>("5"), num<Real>("0.005"), num<Real>("100")},
                                {num<Real>("10"), num<Real>("0.01"), num<Real>("50")},
                                {num<Real>("20"), num<Real>("0.025"), num<Real>("20")},
                                {num<Real>("50"), num<Real>("0.05"), num<Real>("10")},
                                {num<Real>("100"), num<Real>("0.1"), num<Real>("5")}});
}

template <class Real>
tmg::position_leg<Real> leg(position_side side, const char* size, const char* entry) {
  return {side, num<Real>(size), num<Real>(entry)};
}

/// Exact for decimal (expected = the fraction rounded half-even to 8 decimals), relative 1e-12 for double.
template <class Real>
void check_price(const tmg::liquidation_bound<Real>& b, const char* expected_dec8, double expected) {
  REQUIRE(b.status == liquidation_status::liquidates);
  if constexpr (tmg::scalar_traits<Real>::is_exact)
    CHECK(b.price == num<Real>(expected_dec8));
  else
    CHECK_THAT(tmg::to_double(b.price), WithinRel(expected, 1e-12));
}
}  // namespace

TEMPLATE_TEST_CASE("linear (USD-M) isolated and cross, one-way, long and short", "[venues][liquidation]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  const auto table = binance_2024<Real>();
  tmg::liquidation_inputs<Real> in;

  SECTION("isolated long, tier unchanged") {
    // 2 BTC @ 60,000 (N 120,000: tier 2, 0.5%, cum 50), WB 3,000:
    // 3,000 + 2(P - 60,000) = 2P x 0.005 - 50 -> P = (3,000 + 50 - 120,000)/(0.01 - 2) = 11,695,000/199
    // = 58,768.8442211...; N(P) = 117,537.7 is in tier 2.
    in.collateral = num<Real>("3000");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "2", "60000"));
    check_price(r.falling, "58768.84422111", 11695000.0 / 199.0);
    CHECK(r.falling.tiers[0] == 1);
    CHECK(&r.adverse() == &r.falling);
    CHECK(r.rising.status == liquidation_status::never_liquidated);
    // Equity there equals the maintenance reported (equation above), up to the price's last-digit rounding.
    CHECK_THAT(tmg::to_double(r.falling.maintenance),
               WithinAbs(tmg::to_double(num<Real>("3000") + num<Real>("2") * (r.falling.price - num<Real>("60000"))),
                         1e-7));
  }
  SECTION("isolated long, the tier changes between entry and LP") {
    // 10 BTC @ 62,000: N 620,000 in tier 3 (0.65%, cum 950); WB 40,000.
    // Tier 3 candidate: (40,000 + 950 - 620,000)/(0.065 - 10) = 58,283.84 -> N 582,838 < 600,000: not tier 3.
    // Tier 2: (40,000 + 50 - 620,000)/(0.05 - 10) = 11,599,000/199 = 58,286.4321608 -> N 582,864 in tier 2.
    in.collateral = num<Real>("40000");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "10", "62000"));
    check_price(r.falling, "58286.43216080", 11599000.0 / 199.0);
    CHECK(r.falling.tiers[0] == 1);
  }
  SECTION("isolated short, the tier changes upward") {
    // Short 10 BTC @ 58,000 (N 580,000, tier 2), WB 40,000: 40,000 - 10(P - 58,000) = 10P x mmr - cum.
    // Tier 2: 620,050/10.05 = 61,696.5 -> N 616,965 > 600,000. Tier 3: (40,000 + 950 + 580,000)/10.065
    // = 11,290,000/183 = 61,693.9890710 -> N 616,940 in tier 3.
    in.collateral = num<Real>("40000");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::short_side, "10", "58000"));
    check_price(r.rising, "61693.98907104", 11290000.0 / 183.0);
    CHECK(r.rising.tiers[0] == 2);
    CHECK(&r.adverse() == &r.rising);
    CHECK(r.falling.status == liquidation_status::fully_collateralised);
  }
  SECTION("cross long with other positions' MM and PnL") {
    // WB 100,000, TMM1 5,000, UPNL1 -20,000; long 5 @ 60,000 (tier 2):
    // (100,000 - 5,000 - 20,000 + 50 - 300,000)/(0.025 - 5) = 8,998,000/199 = 45,216.0804020; N 226,080 tier 2.
    in.collateral = num<Real>("100000");
    in.other_maintenance = num<Real>("5000");
    in.other_pnl = num<Real>("-20000");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "5", "60000"));
    check_price(r.falling, "45216.08040201", 8998000.0 / 199.0);
  }
  SECTION("cross short") {
    // WB 100,000, TMM1 5,000, UPNL1 +10,000; short 5 @ 60,000:
    // (100,000 - 5,000 + 10,000 + 50 + 300,000)/(0.025 + 5) = 16,202,000/201 = 80,606.9651741; N 403,035 tier 2.
    in.collateral = num<Real>("100000");
    in.other_maintenance = num<Real>("5000");
    in.other_pnl = num<Real>("10000");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::short_side, "5", "60000"));
    check_price(r.rising, "80606.96517413", 16202000.0 / 201.0);
  }
  SECTION("isolated long with a closing fee (OKX/Gate form, §3)") {
    // 2 @ 60,000, WB 3,000, fee 0.05%, one tier 0.4%: (60,000 - 1,500)/(1 - 0.0045) = 117,000,000/1,991.
    const tmg::tier_table<Real> flat_one({{num<Real>("0"), num<Real>("0.004"), num<Real>("125")}});
    in.collateral = num<Real>("3000");
    in.fee_rate = num<Real>("0.0005");
    const auto r = tmg::liquidation_price(flat_one, in, leg<Real>(position_side::long_side, "2", "60000"));
    check_price(r.falling, "58764.43997991", 117000000.0 / 1991.0);
    const auto okx = tmg::okx::isolated_liquidation_price(position_side::long_side, num<Real>("2"),
                                                          num<Real>("60000"), num<Real>("3000"),
                                                          num<Real>("0.004"), num<Real>("0.0005"));
    CHECK(same(okx.price, r.falling.price, 1e-12));
  }
}

TEMPLATE_TEST_CASE("hedge mode in cross: the long and short legs share one price", "[venues][liquidation]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  const auto table = binance_2024<Real>();
  tmg::liquidation_inputs<Real> in;
  SECTION("net long, legs in different tiers") {
    // Long 3 @ 60,000 and short 1 @ 61,000, WB 20,000 (§1.4 formula with MMR_L, cum_L, MMR_S, cum_S):
    // LP = (20,000 + 50 + 0 - 180,000 + 61,000)/(3 x 0.005 + 1 x 0.004 - 3 + 1) = 98,950,000/1,981
    // = 49,949.5204442; the long leg's N 149,849 is in tier 2 and the short's 49,950 in tier 1.
    in.collateral = num<Real>("20000");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "3", "60000"),
                                          leg<Real>(position_side::short_side, "1", "61000"));
    check_price(r.falling, "49949.52044422", 98950000.0 / 1981.0);
    CHECK(r.falling.tiers[0] == 1);
    CHECK(r.falling.tiers[1] == 0);
    // Rising: slope 3(1 - mmr) - 1(1 + mmr) = 2 - 4 mmr >= 0 up to the last tier (mmr 0.5): never.
    CHECK(r.rising.status == liquidation_status::never_liquidated);
    // The literal §1.4 formula with the same brackets gives the same price.
    const tmg::binance::formula_leg<Real> none{Real{}, num<Real>("1"), Real{}, Real{}};
    const tmg::binance::formula_leg<Real> l{num<Real>("3"), num<Real>("60000"), num<Real>("0.005"), num<Real>("50")};
    const tmg::binance::formula_leg<Real> s{num<Real>("1"), num<Real>("61000"), num<Real>("0.004"), num<Real>("0")};
    CHECK(same(tmg::binance::usdm_formula(num<Real>("20000"), Real{}, Real{}, position_side::long_side, none, l, s),
               r.falling.price, 1e-12));
  }
  SECTION("fully hedged: equity is constant, MM grows with the price") {
    // Long 2 and short 2 @ 60,000, WB 2,000: f(P) = 2,000 - 2 MM(2P). Tier 1: 2,000 = 4P x 0.004 -> P 125,000,
    // N 250,000 not in tier 1; tier 2: 2,000 = 4P x 0.005 - 100 -> P = 105,000, N 210,000 in tier 2.
    // Falling: f(0) = 2,000 >= 0, so no falling price.
    in.collateral = num<Real>("2000");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "2", "60000"),
                                          leg<Real>(position_side::short_side, "2", "60000"));
    check_price(r.rising, "105000", 105000.0);
    CHECK(r.falling.status == liquidation_status::fully_collateralised);
  }
}

TEMPLATE_TEST_CASE("inverse (COIN-M) isolated and cross, long and short", "[venues][liquidation][inverse]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  const auto table = coin_table<Real>();
  tmg::liquidation_inputs<Real> in;
  in.contract = tmg::contract_type::inverse;
  in.contract_size = num<Real>("100");
  SECTION("isolated long") {
    // 1,000 contracts x 100 USD @ 50,000 (2 BTC, tier 1), WB 0.2 BTC:
    // 0.2 + 1e5 (1/50,000 - 1/P) = 1e5/P x 0.004 -> P = 100,400/2.2 = 502,000/11 = 45,636.3636...; N 2.19 BTC.
    in.collateral = num<Real>("0.2");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "1000", "50000"));
    check_price(r.falling, "45636.36363636", 502000.0 / 11.0);
    CHECK(r.rising.status == liquidation_status::never_liquidated);
    // Same through the Binance COIN-M wrapper and the literal §1.6 formula.
    const auto b = tmg::binance::coinm_liquidation_price(table, num<Real>("100"), num<Real>("0.2"), Real{}, Real{},
                                                         leg<Real>(position_side::long_side, "1000", "50000"));
    CHECK(same(b.falling.price, r.falling.price));
    const tmg::binance::formula_leg<Real> both{num<Real>("1000"), num<Real>("50000"), num<Real>("0.004"), Real{}};
    const tmg::binance::formula_leg<Real> none{Real{}, num<Real>("1"), Real{}, Real{}};
    CHECK(same(tmg::binance::coinm_formula(num<Real>("0.2"), Real{}, Real{}, num<Real>("100"),
                                           position_side::long_side, both, none, none),
               r.falling.price, 1e-12));
  }
  SECTION("isolated short") {
    // Short 1,000 x 100 @ 50,000, WB 0.2: 0.2 + 1e5 (1/P - 1/50,000) = 1e5/P x 0.004
    // -> P = 99,600/1.8 = 166,000/3 = 55,333.333...; N 1.81 BTC, tier 1.
    in.collateral = num<Real>("0.2");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::short_side, "1000", "50000"));
    check_price(r.rising, "55333.33333333", 166000.0 / 3.0);
    CHECK(r.falling.status == liquidation_status::fully_collateralised);
  }
  SECTION("isolated long, the coin notional grows into the next tier as the price falls") {
    // 30,000 contracts @ 50,000 = 60 BTC (tier 5: 5%, cum 1.605), WB 50 BTC:
    // tier 5: 3e6 x 1.05/(50 + 1.605 + 60) = 28,224.5 -> N 106.3 > 100; tier 6 (10%, cum 6.605):
    // P = 3e6 x 1.1/(50 + 6.605 + 60) = 660,000,000/23,321 = 28,300.6732130 -> N 106.007 in tier 6.
    in.collateral = num<Real>("50");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "30000", "50000"));
    check_price(r.falling, "28300.67321298", 660000000.0 / 23321.0);
    CHECK(r.falling.tiers[0] == 5);
  }
  SECTION("cross long") {
    // WB 10, TMM1 0.5, UPNL1 -1 (BTC); long 1,000 @ 50,000: C = 8.5. Tier 1: 100,400/10.5 = 9,561.9 -> N 10.46
    // (tier 3); tier 3 (1%, cum 0.055): P = 101,000/(8.5 + 0.055 + 2) = 20,200,000/2,111 = 9,568.9246802.
    in.collateral = num<Real>("10");
    in.other_maintenance = num<Real>("0.5");
    in.other_pnl = num<Real>("-1");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "1000", "50000"));
    check_price(r.falling, "9568.92468025", 20200000.0 / 2111.0);
    CHECK(r.falling.tiers[0] == 2);
  }
  SECTION("cross short") {
    // WB 1, TMM1 0.1, UPNL1 +0.2 (C = 1.1); short 2,000 x 100 @ 40,000 (5 BTC, tier 1 inclusive of its cap):
    // 1.1 + 2e5 (1/P - 1/40,000) = 2e5/P x 0.004 -> 2e5 x 0.996/P = 5 - 1.1 -> P = 199,200/3.9
    // = 1,992,000/39 = 51,076.9230769...; N = 3.92 BTC, tier 1.
    in.collateral = num<Real>("1");
    in.other_maintenance = num<Real>("0.1");
    in.other_pnl = num<Real>("0.2");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::short_side, "2000", "40000"));
    check_price(r.rising, "51076.92307692", 1992000.0 / 39.0);
    CHECK(r.rising.tiers[0] == 0);
    CHECK(r.falling.status == liquidation_status::fully_collateralised);
  }
  SECTION("cross hedge mode: both legs share one price") {
    // Long 1,000 and short 500 contracts of 100 USD, both @ 50,000, WB 0.1 BTC. At P both coin notionals
    // (1e5/P and 5e4/P BTC) stay in tier 1 (0.4%):
    // 0.1 + 1e5 (1/5e4 - 1/P) + 5e4 (1/P - 1/5e4) = (1e5 + 5e4)/P x 0.004
    // -> 0.1 + 2 - 1 = (1e5 x 1.004 - 5e4 x 0.996)/P = 50,600/P -> P = 46,000.
    in.collateral = num<Real>("0.1");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "1000", "50000"),
                                          leg<Real>(position_side::short_side, "500", "50000"));
    check_price(r.falling, "46000", 46000.0);
    CHECK(r.falling.tiers[0] == 0);
    CHECK(r.falling.tiers[1] == 0);
    // Rising price shrinks both coin notionals; f(x -> 0) = 0.1 + 2 - 1 > 0: never liquidated upward.
    CHECK(r.rising.status == liquidation_status::never_liquidated);
    // Bankruptcy (MM = 0): 1.1 = 50,000/P -> P = 45,454.5454...
    const auto b = tmg::bankruptcy_price(in, leg<Real>(position_side::long_side, "1000", "50000"),
                                         leg<Real>(position_side::short_side, "500", "50000"));
    check_price(b.falling, "45454.54545455", 500000.0 / 11.0);
  }
}

TEMPLATE_TEST_CASE("flat convention: MM jumps at tier edges", "[venues][liquidation][flat]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  // Tiers on notional: [0, 100k] 1%, (100k, 200k] 2%, above 5% (flat: MM = N x mmr).
  const tmg::tier_table<Real, tmg::okx::policies> table({{num<Real>("0"), num<Real>("0.01"), num<Real>("50")},
                                                         {num<Real>("100000"), num<Real>("0.02"), num<Real>("25")},
                                                         {num<Real>("200000"), num<Real>("0.05"), num<Real>("10")}});
  tmg::liquidation_inputs<Real> in;
  SECTION("short liquidated at the edge where the rate jumps") {
    // Short 1 @ 95,000, WB 6,500. At N = 100,000 (tier 1): 6,500 - 5,000 - 1,000 = 500 >= 0; just above,
    // 6,500 - 5,000 - 2,000 = -500 < 0; tier 1's own root 101,500/1.01 is above its cap: the LP is the edge.
    in.collateral = num<Real>("6500");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::short_side, "1", "95000"));
    check_price(r.rising, "100000", 100000.0);
    CHECK(r.rising.tiers[0] == 1);
  }
  SECTION("long falls into a lower tier") {
    // Long 1 @ 105,000 (tier 2), WB 8,000. Tier 2: 97,000/0.98 = 98,979.6 < 100,000; tier 1:
    // 8,000 + P - 105,000 = 0.01 P -> P = 9,700,000/99 = 97,979.7979798.
    in.collateral = num<Real>("8000");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "1", "105000"));
    check_price(r.falling, "97979.79797980", 9700000.0 / 99.0);
    CHECK(r.falling.tiers[0] == 0);
  }
  SECTION("long whose root stays in the entry tier") {
    // WB 6,000: tier 2: 6,000 + P - 105,000 = 0.02 P -> 4,950,000/49 = 101,020.408...
    in.collateral = num<Real>("6000");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "1", "105000"));
    check_price(r.falling, "101020.40816327", 4950000.0 / 49.0);
  }
}

TEMPLATE_TEST_CASE("bankruptcy prices (equity = closing fee)", "[venues][liquidation][bankruptcy]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  tmg::liquidation_inputs<Real> in;
  SECTION("linear long, without and with fee") {
    // 3,000 + 2(P - 60,000) = 0 -> 58,500; with fee 0.05%: 3,000 + 2(P - 60,000) = 2P x 0.0005
    // -> P = 117,000/1.999 = 58,529.2646323...
    in.collateral = num<Real>("3000");
    check_price(tmg::bankruptcy_price(in, leg<Real>(position_side::long_side, "2", "60000")).falling, "58500",
                58500.0);
    in.fee_rate = num<Real>("0.0005");
    check_price(tmg::bankruptcy_price(in, leg<Real>(position_side::long_side, "2", "60000")).falling,
                "58529.26463232", 117000000.0 / 1999.0);
  }
  SECTION("L9: Bybit legacy inverse cross") {
    // L9 (§2, help.bybit.com 360039261334): 0.5 BTC, long 10,000 USD @ 8,000, fee 0.075%:
    // BP = 1.00075 x 10,000/(10,000/8,000 + 0.5) = 40,030/7 = 5,718.5714... -> 5,718.57 [S].
    // (The page's LP 5,739.50 is a documented discrepancy with its own equation, not asserted.)
    in.contract = tmg::contract_type::inverse;
    in.collateral = num<Real>("0.5");
    in.fee_rate = num<Real>("0.00075");
    const auto r = tmg::bankruptcy_price(in, leg<Real>(position_side::long_side, "10000", "8000"));
    check_price(r.falling, "5718.57142857", 40030.0 / 7.0);
    CHECK_THAT(tmg::to_double(r.falling.price), WithinAbs(5718.57, 0.01));
  }
  SECTION("hedge legs") {
    // Long 2 @ 60,000 and short 1 @ 62,000, WB 1,000: 1,000 + 2(P - 60,000) - (P - 62,000) = 0
    // -> P = 120,000 - 62,000 - 1,000 = 57,000.
    in.collateral = num<Real>("1000");
    const auto r = tmg::bankruptcy_price(in, leg<Real>(position_side::long_side, "2", "60000"),
                                         leg<Real>(position_side::short_side, "1", "62000"));
    check_price(r.falling, "57000", 57000.0);
  }
}

TEMPLATE_TEST_CASE("venue liquidation formulas against worked examples", "[venues][liquidation]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  SECTION("L7: Bybit USDT isolated long") {
    // 1 BTC @ 20,000, 50x, MMR 0.5%, MMD 0: IM 400, MM 100, LP = 20,000 - 300 = 19,700 [S].
    const auto b = tmg::bybit::linear_isolated_liquidation_price(position_side::long_side, num<Real>("1"),
                                                                 num<Real>("20000"), num<Real>("50"),
                                                                 num<Real>("0.005"), Real{});
    check_price(b, "19700", 19700.0);
    // Short mirror: 20,000 + 300 = 20,300.
    check_price(tmg::bybit::linear_isolated_liquidation_price(position_side::short_side, num<Real>("1"),
                                                              num<Real>("20000"), num<Real>("50"),
                                                              num<Real>("0.005"), Real{}),
                "20300", 20300.0);
  }
  SECTION("Bybit inverse isolated (older UTA page)") {
    // Long 60,000 USD @ 50,000, 10x, MMR 0.5%: PV 1.2, IM 0.12, MM 0.006 [S, D];
    // LP = 60,000/(1.2 + 0.114) = 10,000,000/219 = 45,662.100456...
    check_price(tmg::bybit::inverse_isolated_liquidation_price(position_side::long_side, num<Real>("60000"),
                                                               num<Real>("50000"), num<Real>("10"),
                                                               num<Real>("0.005"), Real{}),
                "45662.10045662", 10000000.0 / 219.0);
  }
  SECTION("Bybit inverse isolated (newer UTA page) equals the generic solver without extra/MMD") {
    // Long 60,000 USD @ 50,000, 10x, MMR 0.5%: 60,000 x 1.005/(1.2 + 0.12) = 45,681.8181... = generic with
    // WB = IM = 0.12 BTC and one 0.5% tier.
    const auto uta = tmg::bybit::inverse_isolated_liquidation_price_uta(
        position_side::long_side, num<Real>("60000"), num<Real>("50000"), num<Real>("10"), num<Real>("0.005"), Real{});
    check_price(uta, "45681.81818182", 60300.0 / 1.32);
    const tmg::tier_table<Real> one({{num<Real>("0"), num<Real>("0.005"), num<Real>("100")}});
    tmg::liquidation_inputs<Real> in;
    in.contract = tmg::contract_type::inverse;
    in.collateral = num<Real>("0.12");
    const auto g = tmg::liquidation_price(one, in, leg<Real>(position_side::long_side, "60000", "50000"));
    CHECK(same(g.falling.price, uta.price, 1e-12));
  }
  SECTION("Gate ETH check (§3, freqtrade issue 7294)") {
    // (1,680.05 - 182.81/0.5423)/(1 - (0.005 + 7.5e-6)) = 1,349.7074244494...
    const auto g = tmg::okx::gate_isolated_liquidation_price(position_side::long_side, num<Real>("0.5423"),
                                                             num<Real>("1680.05"), num<Real>("182.81"),
                                                             num<Real>("0.005"), num<Real>("0.0000075"));
    REQUIRE(g.has_price());
    CHECK_THAT(tmg::to_double(g.price), WithinAbs(1349.707424449413, 1e-7));
  }
  SECTION("Hyperliquid closed form equals the tiered solver in one tier") {
    // BTC table (40x: 1.25%), long 2 @ 60,000 with 3,000 isolated margin: margin_available = 3,000 - 1,500;
    // docs: 60,000 - 1,500/2/(1 - 0.0125) = 4,680,000/79 = 59,240.5063291...; generic:
    // (3,000 - 120,000)/(0.025 - 2) = the same fraction.
    const tmg::hyperliquid::margin_tier<Real> btc[] = {{num<Real>("0"), num<Real>("40")},
                                                       {num<Real>("150000000"), num<Real>("20")}};
    const auto table = tmg::hyperliquid::make_table<Real>(std::span<const tmg::hyperliquid::margin_tier<Real>>(btc));
    const auto closed = tmg::hyperliquid::liquidation_price(num<Real>("60000"), position_side::long_side,
                                                            num<Real>("1500"), num<Real>("2"), num<Real>("0.0125"));
    CHECK_THAT(tmg::to_double(closed.price), WithinRel(4680000.0 / 79.0, 1e-9));
    const auto tiered = tmg::hyperliquid::liquidation_price(table, num<Real>("3000"), Real{}, Real{},
                                                            leg<Real>(position_side::long_side, "2", "60000"));
    check_price(tiered.falling, "59240.50632911", 4680000.0 / 79.0);
  }
  SECTION("dYdX isolated (§5) and L12 fillable / bankruptcy") {
    // e = 1,000, s = -3, p = 3,000, MMF 5%: p' = (1,000 + 9,000)/(0.15 + 3) = 200,000/63 = 3,174.6031746...
    check_price(tmg::dydx::isolated_liquidation_price(num<Real>("1000"), num<Real>("-3"), num<Real>("3000"),
                                                      num<Real>("0.05")),
                "3174.60317460", 200000.0 / 63.0);
    // L12: long 1 @ 50,000, MMF 3%, TNC 1,000, TMMR 1,500, BA 1, SMMR 1.5: ABR = 1 - 2/3 = 1/3,
    // fillable = 50,000 - (1/3)(1.5)(1,500) = 49,250; bankruptcy = 50,000 - 1,000 x 1,500/1,500 = 49,000.
    tmg::dydx::liquidation_order<Real> o;
    o.signed_size = num<Real>("1");
    o.oracle_price = num<Real>("50000");
    o.maintenance_fraction = num<Real>("0.03");
    o.total_net_collateral = num<Real>("1000");
    o.total_maintenance = num<Real>("1500");
    // (decimal<8> rounds 1/3 to 0.33333333, hence the 1e-4 tolerance.)
    CHECK_THAT(tmg::to_double(tmg::dydx::fillable_price(o)), WithinAbs(49250.0, 1e-4));
    CHECK(same(tmg::dydx::bankruptcy_price(o), num<Real>("49000")));
    // Short mirror: fillable 50,000 x (1 + 0.015) = 50,750; bankruptcy 51,000.
    o.signed_size = num<Real>("-1");
    CHECK_THAT(tmg::to_double(tmg::dydx::fillable_price(o)), WithinAbs(50750.0, 1e-4));
    CHECK(same(tmg::dydx::bankruptcy_price(o), num<Real>("51000")));
  }
  SECTION("§1.5 cross example: BTC leg with ETH as the other position (derived)") {
    // WB 1,535,443.01; ETH long 3,683.979 (entry 1,456.84, mark 1,335.18): TMM1 = 356,512.508122,
    // UPNL1 = 3,683.979 x (1,335.18 - 1,456.84) = -448,192.88514; BTC long 109.488 @ 32,481.98 on the 2021 table.
    // §1.4 one-way: (WB - TMM1 + UPNL1 + 16,300 - 109.488 x 32,481.98)/(109.488 x 0.025 - 109.488)
    // = 1,404,674,704,751/53,375,400 = 26,316.8932645...; N there 2,881,384 (the 2.5% / 16,300 bracket).
    // The source's own LP is not in the note (docs/venues.md "Gaps"), so this checks the formula only.
    const tmg::tier_table<Real> old({{num<Real>("0"), num<Real>("0.004"), num<Real>("125")},
                                     {num<Real>("50000"), num<Real>("0.005"), num<Real>("100")},
                                     {num<Real>("250000"), num<Real>("0.01"), num<Real>("50")},
                                     {num<Real>("1000000"), num<Real>("0.025"), num<Real>("20")}});
    const auto r = tmg::binance::usdm_liquidation_price(old, num<Real>("1535443.01"), num<Real>("356512.508122"),
                                                        num<Real>("-448192.88514"),
                                                        leg<Real>(position_side::long_side, "109.488", "32481.98"));
    check_price(r.falling, "26316.89326452", 1404674704751.0 / 53375400.0);
    CHECK(r.falling.tiers[0] == 3);
  }
}

TEMPLATE_TEST_CASE("no liquidation price is reported by status", "[venues][liquidation]", double, tmg::decimal<8>) {
  using Real = TestType;
  const auto table = binance_2024<Real>();
  tmg::liquidation_inputs<Real> in;
  SECTION("fully collateralised long") {
    // WB 130,000 >= 2 x 60,000 + MM at every price (MM(0) = 0 and f increasing): no falling price.
    in.collateral = num<Real>("130000");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "2", "60000"));
    CHECK(r.falling.status == liquidation_status::fully_collateralised);
    CHECK_FALSE(r.falling.has_price());
    CHECK(r.falling.price == Real{});
    CHECK(r.rising.status == liquidation_status::never_liquidated);
  }
  SECTION("cross equity never below maintenance for a hedged book") {
    // Long 1 and short 1 @ 60,000, WB 1e9: equity 1e9, MM(2 legs) at the last cap 1.8e9/1 = 2 x (1.8e9 x 0.5 -
    // 421,481,450) = 957,037,100 < 1e9: no rising price within the table; falling: f(0) = 1e9.
    in.collateral = num<Real>("1000000000");
    const auto t = binance_2024<Real, clamp_policies>();
    const auto r = tmg::liquidation_price(t, in, leg<Real>(position_side::long_side, "1", "60000"),
                                          leg<Real>(position_side::short_side, "1", "60000"));
    CHECK(r.falling.status == liquidation_status::fully_collateralised);
    // With the last tier extended (clamp), MM = 2(P x 0.5 - 421,481,450) = P - 842,962,900 reaches 1e9 at
    // P = 1,842,962,900 (N 1.84e9 > the last cap 1.8e9).
    check_price(r.rising, "1842962900", 1842962900.0);
    // Under beyond_cap_error that root is beyond the last cap: reported, not priced.
    const auto strict = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "1", "60000"),
                                               leg<Real>(position_side::short_side, "1", "60000"));
    CHECK(strict.rising.status == liquidation_status::beyond_last_cap);
    CHECK(strict.rising.price == Real{});
  }
  SECTION("already liquidatable at the reference price") {
    // WB 100 on 2 @ 60,000: MM at entry = 120,000 x 0.5% - 50 = 550 > 100.
    in.collateral = num<Real>("100");
    const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "2", "60000"));
    CHECK(r.falling.status == liquidation_status::liquidatable_at_reference);
    CHECK(r.rising.status == liquidation_status::liquidatable_at_reference);
    // Seen from a mark of 70,000 the position is safe: 100 + 20,000 >= 140,000 x 0.5% - 50; same LP formula:
    // (100 + 50 - 120,000)/(0.01 - 2) = 11,985,000/199 = 60,226.1306533 (N 120,452, tier 2).
    in.reference_price = num<Real>("70000");
    const auto m = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "2", "60000"));
    check_price(m.falling, "60226.13065327", 11985000.0 / 199.0);
  }
  SECTION("venue closed forms") {
    // Bybit long with IM - MM >= PV: LP <= 0 -> fully collateralised (1x leverage, MMR 0, extra 1).
    CHECK(tmg::bybit::linear_isolated_liquidation_price(position_side::long_side, num<Real>("1"), num<Real>("100"),
                                                        num<Real>("1"), Real{}, Real{}, num<Real>("1"))
              .status == liquidation_status::fully_collateralised);
    // Bybit inverse short with PV - (IM - MM) <= 0: 1x, MMR 0 -> never liquidated.
    CHECK(tmg::bybit::inverse_isolated_liquidation_price(position_side::short_side, num<Real>("100"),
                                                         num<Real>("100"), num<Real>("1"), Real{}, Real{})
              .status == liquidation_status::never_liquidated);
    // OKX long with margin >= entry value.
    CHECK(tmg::okx::isolated_liquidation_price(position_side::long_side, num<Real>("1"), num<Real>("100"),
                                               num<Real>("100"), num<Real>("0.01"), Real{})
              .status == liquidation_status::fully_collateralised);
  }
}

TEST_CASE("liquidation errors through throw_errors and quiet_nan", "[venues][liquidation][errors]") {
  const tmg::tier_table<double> table({{0.0, 0.004, 125.0}, {50000.0, 0.005, 100.0}});
  tmg::liquidation_inputs<double> in;
  in.collateral = 1000.0;
  const auto expect_message = [](auto&& call, const char* function, const char* argument) {
    try {
      call();
      FAIL("no exception");
    } catch (const tmg::error& e) {
      CHECK(std::string(e.what()).find(function) != std::string::npos);
      CHECK(std::string(e.what()).find(argument) != std::string::npos);
    }
  };
  expect_message([&] { (void)tmg::liquidation_price(table, in, {tmg::position_side::long_side, -1.0, 100.0}); },
                 "liquidation_price", "leg.size");
  expect_message([&] { (void)tmg::liquidation_price(table, in, {tmg::position_side::long_side, 1.0, 0.0}); },
                 "liquidation_price", "leg.entry_price");
  auto bad_fee = in;
  bad_fee.fee_rate = 1.5;
  expect_message([&] { (void)tmg::liquidation_price(table, bad_fee, {tmg::position_side::long_side, 1.0, 100.0}); },
                 "liquidation_price", "fee_rate");
  auto nan_wb = in;
  nan_wb.collateral = std::nan("");
  expect_message([&] { (void)tmg::liquidation_price(table, nan_wb, {tmg::position_side::long_side, 1.0, 100.0}); },
                 "liquidation_price", "collateral");
  expect_message([&] { (void)tmg::bankruptcy_price(in, {tmg::position_side::long_side, 1.0, -5.0}); },
                 "bankruptcy_price", "leg.entry_price");
  expect_message([&] { (void)tmg::liquidation_price(tmg::tier_table<double>(), in, {tmg::position_side::long_side, 1.0, 100.0}); },
                 "liquidation_price", "table");
  // beyond_cap_error: the reference notional above the last cap (2 tiers, last cap open here, so use a capped one).
  const tmg::tier_table<double> capped({{0.0, 0.004, 125.0}}, 1000.0);
  // (reference_price left at 0: the entry price is the reference, so the error names it.)
  expect_message([&] { (void)tmg::liquidation_price(capped, in, {tmg::position_side::long_side, 1.0, 2000.0}); },
                 "liquidation_price", "leg.entry_price");
  expect_message(
      [&] {
        (void)tmg::bybit::linear_isolated_liquidation_price(tmg::position_side::long_side, 1.0, 100.0, 0.5, 0.01, 0.0);
      },
      "bybit::linear_isolated_liquidation_price", "leverage");
  expect_message([&] { (void)tmg::okx::isolated_liquidation_price(tmg::position_side::long_side, 1.0, 100.0, 1.0, 0.6, 0.5); },
                 "okx::isolated_liquidation_price", "taker_fee");
  expect_message([&] { (void)tmg::dydx::isolated_liquidation_price(1000.0, 0.0, 100.0, 0.05); },
                 "dydx::isolated_liquidation_price", "signed_size");
  tmg::dydx::liquidation_order<double> o;
  o.signed_size = 1.0;
  o.oracle_price = 100.0;
  o.total_maintenance = 0.0;
  expect_message([&] { (void)tmg::dydx::fillable_price(o); }, "dydx::fillable_price", "total_maintenance");

  SECTION("quiet_nan: status invalid_input and NaN prices") {
    const tmg::tier_table<double, quiet_policies> q({{0.0, 0.004, 125.0}});
    const auto r = tmg::liquidation_price(q, in, {tmg::position_side::long_side, -1.0, 100.0});
    CHECK(r.falling.status == tmg::liquidation_status::invalid_input);
    CHECK(r.rising.status == tmg::liquidation_status::invalid_input);
    CHECK(std::isnan(r.falling.price));
    CHECK(std::isnan(r.rising.price));
    CHECK(tmg::bankruptcy_price<double, tmg::quiet_nan>(in, {tmg::position_side::long_side, 1.0, -5.0}).falling.status ==
          tmg::liquidation_status::invalid_input);
    const auto b = tmg::bybit::linear_isolated_liquidation_price<double, tmg::quiet_nan>(
        tmg::position_side::long_side, 1.0, 100.0, 0.5, 0.01, 0.0);
    CHECK(b.status == tmg::liquidation_status::invalid_input);
    CHECK(std::isnan(b.price));
    CHECK(std::isnan(tmg::dydx::fillable_price<double, tmg::quiet_nan>(o)));
    CHECK(std::isnan(tmg::dydx::isolated_liquidation_price<double, tmg::quiet_nan>(1000.0, 0.0, 100.0, 0.05).price));
  }
}

TEST_CASE("a price outside the scalar's range is reported, not returned as NaN", "[venues][liquidation]") {
  // A 10M cross wallet and a 0.0001 BTC short: equity covers maintenance up to ~1e11, beyond decimal<8>'s
  // ~9.2e10 range. double finds the price; decimal must say it cannot represent it.
  using dec = tmg::decimal<8>;
  const tmg::tier_table<dec> table({{dec("0"), dec("0.004"), dec("125")}, {dec("50000"), dec("0.005"), dec("100")}});
  tmg::liquidation_inputs<dec> in;
  in.collateral = dec("10000000");
  const tmg::position_leg<dec> leg{position_side::short_side, dec("0.0001"), dec("100000")};
  const auto lp = tmg::liquidation_price(table, in, leg);
  CHECK(lp.rising.status == liquidation_status::not_representable);
  CHECK_FALSE(lp.rising.has_price());
  CHECK(tmg::bankruptcy_price(in, leg).rising.status == liquidation_status::not_representable);
  // In double: 1e7 + 1e-4 (1e5 - P) = 1e-4 P * 0.004 -> P = (1e7 + 10) / (1.004e-4) = 99,601,693,227.09...
  const tmg::tier_table<double> table_d({{0, 0.004, 125}, {50'000, 0.005, 100}});
  tmg::liquidation_inputs<double> in_d;
  in_d.collateral = 1e7;
  const auto lp_d = tmg::liquidation_price(table_d, in_d, {position_side::short_side, 1e-4, 1e5});
  REQUIRE(lp_d.rising.status == liquidation_status::liquidates);
  // The notional there (~9.96e6) is in tier 4 of nothing: this table has two tiers, so tier 2 applies:
  // 1e7 + 1e-4 (1e5 - P) = 1e-4 P * 0.005 - 50 -> P = (1e7 + 10 + 50) / 1.005e-4.
  CHECK_THAT(lp_d.rising.price, WithinRel((1e7 + 60.0) / 1.005e-4, 1e-12));
}

TEST_CASE("hedge mode with an empty first leg takes the reference price from the other leg", "[venues][liquidation]") {
  // Inverse table in coin with a finite last cap; the long leg is empty (its entry price a placeholder).
  const tmg::tier_table<double> table({{0, 0.004, 125}, {5, 0.005, 100}, {10, 0.01, 50}}, 1000.0);
  tmg::liquidation_inputs<double> in;
  in.contract = tmg::contract_type::inverse;
  in.contract_size = 100;
  in.collateral = 0.05;
  const tmg::position_leg<double> empty_long{position_side::long_side, 0.0, 1.0};
  const tmg::position_leg<double> short_leg{position_side::short_side, 100.0, 50'000.0};
  const auto hedge = tmg::liquidation_price(table, in, empty_long, short_leg);
  const auto one_way = tmg::liquidation_price(table, in, short_leg);
  REQUIRE(one_way.rising.status == liquidation_status::liquidates);
  CHECK(hedge.rising.status == liquidation_status::liquidates);
  CHECK_THAT(hedge.rising.price, WithinRel(one_way.rising.price, 1e-12));
}

namespace {
/// ETHUSDT-like table (docs/venues.md §1.1 shows ETHUSDT's first bracket: cap 10,000, 75x, 0.65%):
/// (0, 0.65%, 75x), (10,000, 1%, 50x), (100,000, 2%, 25x), last cap 1,000,000.
/// cums by the recursion, by hand: 0; 10,000 x (0.01 - 0.0065) = 35; 35 + 100,000 x (0.02 - 0.01) = 1,035.
tmg::tier_table<double> eth_like_table() {
  return tmg::tier_table<double>({{0, 0.0065, 75}, {10'000, 0.01, 50}, {100'000, 0.02, 25}}, 1'000'000.0);
}
}  // namespace

TEST_CASE("a denormal hedge leg changes neither the other leg's tier nor its price",
          "[venues][liquidation][extreme]") {
  // Short 5 ETH @ 3,000 (notional 15,000: tier index 1, 1%, cum 35), cross wallet 1,924.92. Rising root:
  // 1,924.92 - 5 (P - 3,000) = 5 P x 0.01 - 35  ->  P = (1,924.92 + 15,000 + 35) / 5.05 = 16,959.92 / 5.05
  // = 3,358.4; notional 5 x 3,358.4 = 16,792, inside tier index 1 (10,000, 100,000]: self-consistent.
  // Falling: f(P = 0) = 1,924.92 + 15,000 > 0, so fully collateralised.
  // A long leg of 5e-324 or 1e-310 ETH adds < 1e-300 to either side of the equation: the same answer, with
  // that leg in tier 0 (its notional is ~1e-320).
  const auto table = eth_like_table();
  tmg::liquidation_inputs<double> in;
  in.collateral = 1'924.92;
  const tmg::position_leg<double> short_leg{position_side::short_side, 5.0, 3'000.0};
  const auto one_way = tmg::liquidation_price(table, in, short_leg);
  REQUIRE(one_way.rising.status == liquidation_status::liquidates);
  CHECK_THAT(one_way.rising.price, WithinRel(3'358.4, 1e-12));
  CHECK(one_way.rising.tiers[0] == 1);
  for (const double tiny : {5e-324, 1e-310, 1e-300}) {
    INFO("hedge leg size " << tiny);
    const tmg::position_leg<double> tiny_long{position_side::long_side, tiny, 3'000.0};
    const auto hedge = tmg::liquidation_price(table, in, tiny_long, short_leg);
    CHECK(hedge.falling.status == liquidation_status::fully_collateralised);
    REQUIRE(hedge.rising.status == liquidation_status::liquidates);
    CHECK_THAT(hedge.rising.price, WithinRel(3'358.4, 1e-12));
    CHECK(hedge.rising.tiers[0] == 0);
    CHECK(hedge.rising.tiers[1] == 1);  // 16,792 is in (10,000, 100,000]
    CHECK(hedge.net_side == position_side::short_side);
    // The mirror image: the long leg carries the position, the short leg is denormal. Long 5 @ 3,000,
    // wallet 1,000: 1,000 + 5 (P - 3,000) = 5 P x 0.01 - 35 -> P = (15,000 - 1,035) / 4.95 = 2,821.2121...;
    // notional 14,106.06 in tier index 1.
    const tmg::position_leg<double> long_leg{position_side::long_side, 5.0, 3'000.0};
    const tmg::position_leg<double> tiny_short{position_side::short_side, tiny, 3'000.0};
    tmg::liquidation_inputs<double> in_long;
    in_long.collateral = 1'000.0;
    const auto mirror = tmg::liquidation_price(table, in_long, long_leg, tiny_short);
    REQUIRE(mirror.falling.status == liquidation_status::liquidates);
    CHECK_THAT(mirror.falling.price, WithinRel(13'965.0 / 4.95, 1e-12));
    CHECK(mirror.falling.tiers[0] == 1);
    CHECK(mirror.falling.tiers[1] == 0);
    CHECK(mirror.rising.status == liquidation_status::never_liquidated);
  }
}

TEST_CASE("a margin that overflows double is not_representable on the one-leg path too",
          "[venues][liquidation][extreme]") {
  // Inverse long, 1e-15 contracts of 1 USD @ 60,000, cross wallet 1.7e308 BTC, one open tier (0.4%):
  // 1.7e308 + 1e-15 (1/60,000 - 1/P) = 1e-15 / P x 0.004  ->  P = 1.004e-15 / (1.7e308 + 1.7e-20)
  // = 5.9e-324, below the smallest normal double (2.2e-308): only the denormal 4.94e-324 (one unit, a 16%
  // error) holds it, and the notional there, 1e-15 / 4.94e-324 = 2.02e308, overflows. No price can be
  // reported; the general solver said `not_representable`, the one-leg fast path `liquidates` with an
  // infinite maintenance.
  const tmg::tier_table<double> table({{0, 0.004, 125}});
  tmg::liquidation_inputs<double> in;
  in.contract = tmg::contract_type::inverse;
  in.collateral = 1.7e308;
  const tmg::position_leg<double> leg{position_side::long_side, 1e-15, 60'000.0};
  const auto r = tmg::liquidation_price(table, in, leg);
  CHECK(r.falling.status == liquidation_status::not_representable);
  CHECK_FALSE(r.falling.has_price());
  CHECK(std::isfinite(r.falling.maintenance));
  CHECK(r.rising.status == liquidation_status::never_liquidated);
  // Ten times the size gives P = 1.004e-14 / 1.7e308 = 5.9e-323, still subnormal (12 units of 4.94e-324,
  // 1% steps): also not representable to the precision a price needs.
  const auto r10 = tmg::liquidation_price(table, in, {position_side::long_side, 1e-14, 60'000.0});
  CHECK(r10.falling.status == liquidation_status::not_representable);
  // A normal-range answer at the same wallet is reported: size 1e3 -> P = 1.004e3 / 1.7e308 = 5.906e-306
  // (the s / e = 1e3 / 60,000 term changes alpha by 1e-325 of itself).
  const auto big = tmg::liquidation_price(table, in, {position_side::long_side, 1e3, 60'000.0});
  REQUIRE(big.falling.status == liquidation_status::liquidates);
  CHECK_THAT(big.falling.price, WithinRel(1.004e3 / 1.7e308, 1e-12));
}

TEMPLATE_TEST_CASE("cross hedge with notionals near decimal<8>'s range: the edge test does not overflow",
                   "[venues][liquidation][decimal]", double, tmg::decimal<8>) {
  // Found by the libc++ run of the decimal-vs-double property (its random cases differ from libstdc++'s):
  // the edge test multiplied a leg's size by the other leg's cap notional (1,629.551 x 77,739,000 =
  // 1.27e11, beyond decimal<8>'s 9.2e10), got NaN, passed the edge and returned the wrong tier and price.
  // Hand solution, both legs in the open last tier (8: rate 0.0801, cum 1,565,669.3 by the recursion):
  // C + s0 (P - e0) + s1 (e1 - P) - r (s0 + s1) P + 2 cum = 0
  // -> P = (C - s0 e0 + s1 e1 + 2 cum) / (s1 - s0 + r (s0 + s1)) = 68,328.7412932101... (exact fraction);
  // the notionals there, 82.70M and 111.35M, are both above the last floor, 77.739M.
  using Real = TestType;
  const std::vector<std::array<const char*, 3>> rows{{"0", "0.0025", "200"},        {"93000", "0.0062", "80"},
                                                     {"196000", "0.0174", "28"},    {"647000", "0.0384", "13"},
                                                     {"1997000", "0.0528", "9"},    {"8357000", "0.0569", "8"},
                                                     {"27418000", "0.0632", "7"},   {"77739000", "0.0801", "6"}};
  std::vector<tmg::bracket<Real>> b;
  for (const auto& r : rows) b.push_back({num<Real>(r[0]), num<Real>(r[1]), num<Real>(r[2])});
  const tmg::tier_table<Real> table{std::span<const tmg::bracket<Real>>(b)};
  tmg::liquidation_inputs<Real> in;
  in.collateral = num<Real>("13692184.3");
  const auto r = tmg::liquidation_price(table, in, leg<Real>(position_side::long_side, "1210.255", "57565.37"),
                                        leg<Real>(position_side::short_side, "1629.551", "59548.83"));
  check_price(r.rising, "68328.74129321", 68328.74129321013);
  CHECK(r.rising.tiers[0] == 7);
  CHECK(r.rising.tiers[1] == 7);
}
