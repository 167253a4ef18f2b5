// SPDX-License-Identifier: BSL-1.0
// Venue conventions against the vectors of docs/venues.md §9 (T1-T16, M1-M4) and the worked
// examples of §1.5, §1.6, §2, §3, §4: brackets, deductions, units, IM/MM. Money tests run for double and
// decimal<8> (exact to the unit for decimal).
#include <tiermargin/venues.hpp>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/scalars.hpp"

namespace tmg = tiermargin;
using test_support::num;
using test_support::same;

namespace {
struct cents_down : tmg::default_policies {
  using rounding = tmg::round_down<2>;
};
struct cents_half_up : tmg::default_policies {
  using rounding = tmg::round_half_up<2>;
};
struct quiet_policies : tmg::default_policies {
  using error = tmg::quiet_nan;
};

/// Binance BTCUSDT 2021 brackets (docs/venues.md §1.3 "older copies": caps 50k/250k/1M/..., cums 0/50/1,300/16,300);
/// the cap of the 1M bracket is not in the note, so the last bracket is left open.
template <class Real>
tmg::tier_table<Real> binance_btcusdt_2021() {
  return tmg::tier_table<Real>({{num<Real>("0"), num<Real>("0.004"), num<Real>("125")},
                                {num<Real>("50000"), num<Real>("0.005"), num<Real>("100")},
                                {num<Real>("250000"), num<Real>("0.01"), num<Real>("50")},
                                {num<Real>("1000000"), num<Real>("0.025"), num<Real>("20")}});
}

/// Rows of a bundled tier CSV (floor,cap,maint_rate,max_leverage,maint_amount; empty cap = open).
template <class Real>
std::vector<tmg::tier<Real>> read_tier_csv(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);  // header
  std::vector<tmg::tier<Real>> rows;
  while (std::getline(file, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    while (cells.size() < 5) cells.emplace_back();
    rows.push_back({num<Real>(cells[0].c_str()),
                    cells[1].empty() ? tmg::scalar_traits<Real>::unbounded() : num<Real>(cells[1].c_str()),
                    num<Real>(cells[2].c_str()), num<Real>(cells[3].c_str()), num<Real>(cells[4].c_str())});
  }
  return rows;
}
}  // namespace

TEMPLATE_TEST_CASE("Binance cum recursion: T1, T2 and the bundled snapshots (T3-T6)", "[venues][binance]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  // T1 (docs/venues.md §1.3, Binance FAQ b3c689...): level 3 = 250,000 x (1% - 0.5%) + 50 = 1,300.
  CHECK(same(tmg::binance::next_cum(num<Real>("50"), num<Real>("250000"), num<Real>("0.01"), num<Real>("0.005")),
             num<Real>("1300")));
  // T2 (§1.6, FAQ ceccfcfb...): COIN-M level 5 = 50 BTC x (5% - 2.5%) + 0.56 = 1.81 BTC.
  CHECK(same(tmg::binance::next_cum(num<Real>("0.56"), num<Real>("50"), num<Real>("0.05"), num<Real>("0.025")),
             num<Real>("1.81")));
  // The 2021 table derives cum 0/50/1,300/16,300 (§1.3 older copy), §1.5's BTC bracket (2.5%, 16,300).
  const auto old = binance_btcusdt_2021<Real>();
  CHECK(same(old.maint_amounts()[3], num<Real>("16300")));

  // T6 on the bundled 2024-10-24 BTCUSDT snapshot (data/, transcribed from docs/venues.md §1.3): building from
  // full rows checks every cum against the recursion and every cap against the next floor.
  const auto rows = read_tier_csv<Real>(std::string(TIERMARGIN_DATA_DIR) + "/binance_usdm_btcusdt_tiers_20241024.csv");
  REQUIRE(rows.size() == 12);
  const tmg::tier_table<Real> table{std::span<const tmg::tier<Real>>(rows)};
  REQUIRE(table.valid());
  for (std::size_t k = 1; k < rows.size(); ++k) {
    CHECK(same(rows[k - 1].cap, rows[k].floor));
    CHECK(same(rows[k].maint_amount, tmg::binance::next_cum(rows[k - 1].maint_amount, rows[k].floor,
                                                             rows[k].maint_rate, rows[k - 1].maint_rate)));
  }
  // The two older bundled Binance bracket files (ccxt fixture, cums by the recursion; data/README.md) pass too.
  for (const char* name : {"/binance_usdm_btcusdt_brackets_ccxt.csv", "/binance_usdm_ethusdt_brackets_ccxt.csv"}) {
    const auto older = read_tier_csv<Real>(std::string(TIERMARGIN_DATA_DIR) + name);
    REQUIRE(older.size() == 10);
    CHECK(tmg::tier_table<Real>{std::span<const tmg::tier<Real>>(older)}.valid());
    for (std::size_t k = 1; k < older.size(); ++k)
      CHECK(same(older[k].maint_amount, tmg::binance::next_cum(older[k - 1].maint_amount, older[k].floor,
                                                                older[k].maint_rate, older[k - 1].maint_rate)));
  }
  // T3: N = 100,000 -> MMR 0.005, cum 50, MM = 500 - 50 = 450.
  const std::size_t k3 = tmg::tier_index(table, num<Real>("100000"));
  CHECK(same(table.maint_rates()[k3], num<Real>("0.005")));
  CHECK(same(table.maint_amounts()[k3], num<Real>("50")));
  CHECK(same(tmg::maintenance_margin(table, num<Real>("100000")), num<Real>("450")));
  // T4: N = 600,000: tier 2 gives 3,000 - 50 and tier 3 gives 3,900 - 950, both 2,950 (continuity).
  CHECK(same(tmg::maintenance_margin(table, num<Real>("600000")), num<Real>("2950")));
  CHECK(same(num<Real>("600000") * table.maint_rates()[2] - table.maint_amounts()[2], num<Real>("2950")));
  // T5: 5,000,000 x 1% - 11,450 = 38,550; 20,000,000 x 2% - 131,450 = 268,550.
  CHECK(same(tmg::maintenance_margin(table, num<Real>("5000000")), num<Real>("38550")));
  CHECK(same(tmg::maintenance_margin(table, num<Real>("20000000")), num<Real>("268550")));
}

TEMPLATE_TEST_CASE("Binance §1.5 MM values and M1/M2 initial margin and open loss", "[venues][binance]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  // §1.5: BTCUSDT 109.488 at mark 31,967.27 -> N = 3,500,032.45776 (exact product), in the 2.5% / 16,300
  // bracket: MM = 87,500.811444 - 16,300 = 71,200.811444 (the source prints 71,200.81144).
  const auto table = binance_btcusdt_2021<Real>();
  const Real n = num<Real>("109.488") * num<Real>("31967.27");
  CHECK(same(n, num<Real>("3500032.45776")));
  CHECK(same(tmg::maintenance_margin(table, n), num<Real>("71200.811444")));
  // ETHUSDT 3,683.979 at 1,335.18 -> 4,918,775.08122 x 10% - 135,365 = 356,512.508122 (source: 356,512.508).
  const tmg::binance::formula_leg<Real> eth{num<Real>("3683.979"), num<Real>("1335.18"), num<Real>("0.1"),
                                            num<Real>("135365")};
  CHECK(same(eth.size * eth.entry_price * eth.maint_rate - eth.maint_amount, num<Real>("356512.508122")));

  // M1 (§1.2): 1 BTC at 9,253.30 with 20x: IM = 462.665 exactly; Binance shows 462.66, i.e. truncation to
  // cents. The rounding policy decides: round_down<2> -> 462.66, round_half_up<2> -> 462.67.
  const auto rows = table.rows();
  const tmg::tier_table<Real, cents_down> down{std::span<const tmg::tier<Real>>(rows)};
  const tmg::tier_table<Real, cents_half_up> half_up{std::span<const tmg::tier<Real>>(rows)};
  const Real im_down = tmg::initial_margin(down, num<Real>("9253.30"), num<Real>("20"));
  CHECK(same(im_down, num<Real>("462.66")));
  CHECK(same(tmg::initial_margin(half_up, num<Real>("9253.30"), num<Real>("20")), num<Real>("462.67")));
  CHECK(same(tmg::initial_margin(table, num<Real>("9253.30"), num<Real>("20")), num<Real>("462.665")));
  // M2: mark 9,259.84: long open loss 0; short 1 x |min(0, -(9,259.84 - 9,253.30))| = 6.54; cost 469.20.
  CHECK(same(tmg::binance::open_loss(tmg::position_side::long_side, num<Real>("1"), num<Real>("9259.84"),
                                     num<Real>("9253.30")),
             num<Real>("0")));
  const Real short_loss = tmg::binance::open_loss(tmg::position_side::short_side, num<Real>("1"),
                                                  num<Real>("9259.84"), num<Real>("9253.30"));
  CHECK(same(short_loss, num<Real>("6.54"), 1e-9));
  CHECK(same(im_down + short_loss, num<Real>("469.20"), 1e-9));
}

TEMPLATE_TEST_CASE("Binance COIN-M: M3 and the §1.6 formula", "[venues][binance][inverse]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  // An illustrative COIN-M table in BTC whose level 1 is 0.4% (docs/venues.md §1.6, M3); floors 0/5/10 BTC.
  const tmg::tier_table<Real> coin({{num<Real>("0"), num<Real>("0.004"), num<Real>("125")},
                                    {num<Real>("5"), num<Real>("0.005"), num<Real>("100")},
                                    {num<Real>("10"), num<Real>("0.01"), num<Real>("50")}});
  // M3: 100 contracts x 100 USD / 25,000 = 0.4 BTC, level 1: MM = 0.4 x 0.4% = 0.0016 BTC.
  CHECK(same(tmg::binance::coin_notional(num<Real>("100"), num<Real>("100"), num<Real>("25000")), num<Real>("0.4")));
  CHECK(same(tmg::binance::coinm_maintenance_margin(coin, num<Real>("100"), num<Real>("100"), num<Real>("25000")),
             num<Real>("0.0016")));
  // §1.6 forum case (cross long): WB 101 BTC, EP 45,000, 100,000 contracts of 100 USD, MMR 12.5%, cum 11.81:
  // LP = (0.125 x 1e5 + 1e5) x 100 / (101 + 11.81 + 1e7/45,000) = 10,125,000,000/301,529 = 33,578.8597448...
  // With the newer page's cum 11.605: 20,250,000,000/602,689 = 33,599.4186056... (the stale-table gap).
  const tmg::binance::formula_leg<Real> none{num<Real>("0"), num<Real>("1"), num<Real>("0"), num<Real>("0")};
  const tmg::binance::formula_leg<Real> both{num<Real>("100000"), num<Real>("45000"), num<Real>("0.125"),
                                             num<Real>("11.81")};
  const Real lp = tmg::binance::coinm_formula(num<Real>("101"), Real{}, Real{}, num<Real>("100"),
                                              tmg::position_side::long_side, both, none, none);
  CHECK_THAT(tmg::to_double(lp), WithinAbs(33578.85974483383, 1e-4));
  auto newer = both;
  newer.maint_amount = num<Real>("11.605");
  CHECK_THAT(tmg::to_double(tmg::binance::coinm_formula(num<Real>("101"), Real{}, Real{}, num<Real>("100"),
                                                        tmg::position_side::long_side, newer, none, none)),
             WithinAbs(33599.41860561583, 1e-4));
}

TEMPLATE_TEST_CASE("Bybit: MMD recursion (T7), risk-limit tables and rate units", "[venues][bybit]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  // T7 (§2): RL_1 300,000, MMR 0.0033 -> 0.005: MMD_2 = 300,000 x 0.0017 = 510.
  CHECK(same(tmg::bybit::mm_deduction(num<Real>("0"), num<Real>("300000"), num<Real>("0.005"), num<Real>("0.0033")),
             num<Real>("510")));
  const tmg::bybit::risk_limit<Real> rows[] = {{num<Real>("300000"), num<Real>("0.0033"), num<Real>("100")},
                                               {num<Real>("600000"), num<Real>("0.005"), num<Real>("50")}};
  const auto table = tmg::bybit::make_table<Real>(std::span<const tmg::bybit::risk_limit<Real>>(rows));
  REQUIRE(table.size() == 2);
  CHECK(same(table.floors()[1], num<Real>("300000")));  // floor = previous riskLimitValue
  CHECK(same(table.caps()[1], num<Real>("600000")));
  CHECK(same(table.maint_amounts()[1], num<Real>("510")));
  // MM = PV x MMR - MMD: 400,000 x 0.005 - 510 = 1,490.
  CHECK(same(tmg::maintenance_margin(table, num<Real>("400000")), num<Real>("1490")));
  // Units (§2 "units trap"): inverse "0.5" is percent -> 0.005; linear "0.005" is already a fraction.
  CHECK(same(tmg::bybit::normalise_rate(num<Real>("0.5"), tmg::bybit::category::inverse), num<Real>("0.005")));
  CHECK(same(tmg::bybit::normalise_rate(num<Real>("0.005"), tmg::bybit::category::linear), num<Real>("0.005")));
  CHECK(same(tmg::bybit::normalise_rate(num<Real>("1"), tmg::bybit::rate_unit::percent), num<Real>("0.01")));
}

TEMPLATE_TEST_CASE("OKX: contract tiers with minSz = previous maxSz + 1, flat MM", "[venues][okx]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  // §3: tier 2 starts at 20,001 contracts. Rows (minSz, maxSz, mmr, maxLever) are illustrative.
  const tmg::okx::position_tier<Real> rows[] = {
      {num<Real>("1"), num<Real>("20000"), num<Real>("0.004"), num<Real>("125")},
      {num<Real>("20001"), num<Real>("40000"), num<Real>("0.005"), num<Real>("100")},
      {num<Real>("40001"), num<Real>("100000"), num<Real>("0.01"), num<Real>("50")}};
  const auto table = tmg::okx::make_table<Real>(std::span<const tmg::okx::position_tier<Real>>(rows));
  REQUIRE(table.size() == 3);
  CHECK(same(table.floors()[1], num<Real>("20000")));
  CHECK(same(table.maint_amounts()[1], num<Real>("0")));  // flat: no deduction
  CHECK(tmg::tier_index(table, num<Real>("20000")) == 0);  // maxSz of tier 1
  CHECK(tmg::tier_index(table, num<Real>("20001")) == 1);  // minSz of tier 2
  // MM = contracts x face value x mark x mmr: 20,000 x 0.01 x 60,000 x 0.4% = 48,000 ...
  CHECK(same(tmg::okx::maintenance_margin(table, num<Real>("20000"), num<Real>("0.01"), num<Real>("60000")),
             num<Real>("48000")));
  // ... and one contract more jumps to 20,001 x 0.01 x 60,000 x 0.5% = 60,003 (no deduction: a jump of 12,003).
  CHECK(same(tmg::okx::maintenance_margin(table, num<Real>("20001"), num<Real>("0.01"), num<Real>("60000")),
             num<Real>("60003")));
  SECTION("a gap between maxSz and the next minSz is rejected") {
    const tmg::okx::position_tier<Real> bad[] = {
        {num<Real>("1"), num<Real>("20000"), num<Real>("0.004"), num<Real>("125")},
        {num<Real>("20002"), num<Real>("40000"), num<Real>("0.005"), num<Real>("100")}};
    try {
      (void)tmg::okx::make_table<Real>(std::span<const tmg::okx::position_tier<Real>>(bad));
      FAIL("no exception");
    } catch (const tmg::invalid_table& e) {
      CHECK(std::string(e.what()).find("okx::make_table") != std::string::npos);
      CHECK(std::string(e.what()).find("min_size") != std::string::npos);
    }
  }
}

TEMPLATE_TEST_CASE("Hyperliquid: rates (T8, T9), table ids and M4", "[venues][hyperliquid]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  // T9 (§4): 20x -> MMR 1/(2 x 20) = 2.5%.
  CHECK(same(tmg::hyperliquid::maint_rate(num<Real>("20")), num<Real>("0.025")));
  // T8: BTC 40x then 20x at 150M: MMR 1.25% / 2.5%, deduction_2 = 150M x 1.25% = 1,875,000.
  const tmg::hyperliquid::margin_tier<Real> btc[] = {{num<Real>("0"), num<Real>("40")},
                                                     {num<Real>("150000000"), num<Real>("20")}};
  const auto table = tmg::hyperliquid::make_table<Real>(std::span<const tmg::hyperliquid::margin_tier<Real>>(btc));
  REQUIRE(table.size() == 2);
  CHECK(same(table.maint_rates()[0], num<Real>("0.0125")));
  CHECK(same(table.maint_rates()[1], num<Real>("0.025")));
  CHECK(same(table.maint_amounts()[1], num<Real>("1875000")));
  // The bundled docs CSV gives the same rows (data/hyperliquid_btc_tiers_docs.csv).
  const auto rows = read_tier_csv<Real>(std::string(TIERMARGIN_DATA_DIR) + "/hyperliquid_btc_tiers_docs.csv");
  REQUIRE(rows.size() == 2);
  CHECK(same(rows[1].maint_amount, table.maint_amounts()[1]));
  // M4 (community wiki): 10,000 USD position on a 20x table: IM 1,000 at 10x, 500 at 20x; MM 250 either way.
  const auto t20 = tmg::hyperliquid::table_from_id<Real>(20);
  CHECK(same(tmg::initial_margin(t20, num<Real>("10000"), num<Real>("10")), num<Real>("1000")));
  CHECK(same(tmg::initial_margin(t20, num<Real>("10000"), num<Real>("20")), num<Real>("500")));
  CHECK(same(tmg::maintenance_margin(t20, num<Real>("10000")), num<Real>("250")));
}

TEST_CASE("dYdX: MMF ppm (T10-T12) and open-interest IMF in quantums (T13-T16)", "[venues][dydx]") {
  // T10-T12 (liquidity_tier_test.go): IMF x fraction / 1e6, truncated.
  CHECK(tmg::dydx::maintenance_margin_ppm(150'000, 800'000) == 120'000);
  CHECK(tmg::dydx::maintenance_margin_ppm(450'000, 770'000) == 346'500);
  CHECK(tmg::dydx::maintenance_margin_ppm(637'239, 289'284) == 184'343);  // exact 184,343.046876
  // T13: caps 0/0 (OIMF off): 20% of 500,000 = 100,000.
  CHECK(tmg::dydx::initial_margin_quote_quantums(200'000, 0, 0, 500'000, 1'500'000'000'000) == 100'000);
  // T14: caps 1e12/2e12, OI 1.5e12: scaling 0.5, IMF 0.2 + 0.5 x 0.8 = 0.6 -> 300,000.
  CHECK(tmg::dydx::initial_margin_quote_quantums(200'000, 1'000'000'000'000, 2'000'000'000'000, 500'000,
                                                 1'500'000'000'000) == 300'000);
  // T15: OI 80e12 >= upper cap 50e12: the full notional 500,000.
  CHECK(tmg::dydx::initial_margin_quote_quantums(200'000, 25'000'000'000'000, 50'000'000'000'000, 500'000,
                                                 80'000'000'000'000) == 500'000);
  // T16: OI at the lower cap: base IMF, 100,000.
  CHECK(tmg::dydx::initial_margin_quote_quantums(200'000, 25'000'000'000'000, 50'000'000'000'000, 500'000,
                                                 25'000'000'000'000) == 100'000);
  // Rounded UP: 20% of 3 quantums = 0.6 -> 1; scaled: IMF 0.2 + (1/3) x 0.8 = 7/15, x 7 = 3.27 -> 4.
  CHECK(tmg::dydx::initial_margin_quote_quantums(200'000, 0, 0, 3, 0) == 1);
  CHECK(tmg::dydx::initial_margin_quote_quantums(200'000, 0, 3, 7, 1) == 4);
  // Large values stay exact (no 128-bit overflow): 2^63 quantums at IMF 0.2 + 0.5 x 0.8 = 0.6 -> ceil(0.6 x 2^63).
  const std::uint64_t big = std::uint64_t{1} << 63;
  CHECK(tmg::dydx::initial_margin_quote_quantums(200'000, 0, 18'000'000'000'000'000'000u, big,
                                                 9'000'000'000'000'000'000u) == 5'534'023'222'112'865'485u);
  SECTION("errors") {
    try {
      (void)tmg::dydx::maintenance_margin_ppm(1'000'001, 1);
      FAIL("no exception");
    } catch (const tmg::invalid_argument& e) {
      CHECK(std::string(e.what()).find("dydx::maintenance_margin_ppm") != std::string::npos);
      CHECK(std::string(e.what()).find("initial_margin_ppm") != std::string::npos);
    }
    REQUIRE_THROWS_AS(tmg::dydx::initial_margin_quote_quantums(200'000, 5, 4, 1, 1), tmg::invalid_argument);
    CHECK(tmg::dydx::initial_margin_quote_quantums<tmg::quiet_nan>(200'000, 5, 4, 1, 1) == UINT64_MAX);
    CHECK(tmg::dydx::maintenance_margin_ppm<tmg::quiet_nan>(1'000'001, 1) == UINT32_MAX);
  }
}

TEST_CASE("venue helpers report errors through the policy", "[venues][errors]") {
  try {
    (void)tmg::binance::coin_notional(100.0, 100.0, 0.0);
    FAIL("no exception");
  } catch (const tmg::invalid_argument& e) {
    CHECK(std::string(e.what()).find("binance::coin_notional") != std::string::npos);
    CHECK(std::string(e.what()).find("'price'") != std::string::npos);
  }
  CHECK(std::isnan(tmg::binance::coin_notional<double, tmg::quiet_nan>(100.0, 100.0, 0.0)));
  try {
    (void)tmg::hyperliquid::maint_rate(0.5);
    FAIL("no exception");
  } catch (const tmg::invalid_argument& e) {
    CHECK(std::string(e.what()).find("hyperliquid::maint_rate") != std::string::npos);
    CHECK(std::string(e.what()).find("max_leverage") != std::string::npos);
  }
  CHECK(std::isnan(tmg::hyperliquid::maint_rate<double, tmg::quiet_nan>(0.5)));
  CHECK(std::isnan(tmg::bybit::normalise_rate<double, tmg::quiet_nan>(-1.0, tmg::bybit::rate_unit::fraction)));
  REQUIRE_THROWS_AS(tmg::bybit::normalise_rate(-1.0, tmg::bybit::category::linear), tmg::invalid_argument);
  REQUIRE_THROWS_AS(tmg::hyperliquid::table_from_id<double>(77), tmg::invalid_argument);
  CHECK_FALSE(tmg::hyperliquid::table_from_id<double, quiet_policies>(77).valid());
}
