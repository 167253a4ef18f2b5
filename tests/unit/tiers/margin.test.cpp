// SPDX-License-Identifier: BSL-1.0
// Margin arithmetic on tier tables against published vectors (docs/venues.md), run for double
// and for decimal<8> (exact to the unit).
#include <tiermargin/tiers.hpp>

#include <limits>
#include <vector>

#include "support/catch.hpp"
#include "support/scalars.hpp"

namespace tmg = tiermargin;
using test_support::num;
using test_support::same;

namespace {
/// Binance USD-M BTCUSDT, freqtrade snapshot of 2024-10-24 (docs/venues.md §1.3, label [F]):
/// (floor, cap, MMR, cum, max leverage) exactly as listed there.
template <class Real>
std::vector<tmg::tier<Real>> binance_btcusdt_2024() {
  const char* rows[][5] = {
      {"0", "50000", "0.004", "0", "125"},
      {"50000", "600000", "0.005", "50", "100"},
      {"600000", "3000000", "0.0065", "950", "75"},
      {"3000000", "12000000", "0.01", "11450", "50"},
      {"12000000", "70000000", "0.02", "131450", "25"},
      {"70000000", "100000000", "0.025", "481450", "20"},
      {"100000000", "230000000", "0.05", "2981450", "10"},
      {"230000000", "480000000", "0.1", "14481450", "5"},
      {"480000000", "600000000", "0.125", "26481450", "4"},
      {"600000000", "800000000", "0.15", "41481450", "3"},
      {"800000000", "1200000000", "0.25", "121481450", "2"},
      {"1200000000", "1800000000", "0.5", "421481450", "1"},
  };
  std::vector<tmg::tier<Real>> out;
  for (const auto& r : rows)
    out.push_back({num<Real>(r[0]), num<Real>(r[1]), num<Real>(r[2]), num<Real>(r[4]), num<Real>(r[3])});
  return out;
}
}  // namespace

TEMPLATE_TEST_CASE("cum recursion reproduces Binance's published examples", "[tiers][margin]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  // The 2021 BTCUSDT brackets (docs/venues.md §1.3, "older copies"): 0/50k/250k/1M at 0.4%/0.5%/1%/2.5%.
  const tmg::tier_table<Real> table({{num<Real>("0"), num<Real>("0.004"), num<Real>("125")},
                                     {num<Real>("50000"), num<Real>("0.005"), num<Real>("100")},
                                     {num<Real>("250000"), num<Real>("0.01"), num<Real>("50")},
                                     {num<Real>("1000000"), num<Real>("0.025"), num<Real>("20")}});
  // T1 (Binance FAQ b3c689...): level 3 cum = 250,000 * (1% - 0.5%) + 50 = 1,300.
  CHECK(same(table.maint_amounts()[1], num<Real>("50")));
  CHECK(same(table.maint_amounts()[2], num<Real>("1300")));
  // The same FAQ's older table lists cum 16,300 for level 4: 1300 + 1,000,000 * (2.5% - 1%).
  CHECK(same(table.maint_amounts()[3], num<Real>("16300")));
  // "a position of 264,000 USDT gets MMR 1%" (same FAQ).
  CHECK(tmg::tier_index(table, num<Real>("264000")) == 2);
  CHECK(same(table.maint_rates()[tmg::tier_index(table, num<Real>("264000"))], num<Real>("0.01")));
}

TEMPLATE_TEST_CASE("maintenance margin on the real 2024 BTCUSDT table", "[tiers][margin]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  const auto rows = binance_btcusdt_2024<Real>();
  const tmg::tier_table<Real> table(rows);  // T6: the given cums satisfy the recursion, or this throws
  REQUIRE(table.size() == 12);
  // T3: N = 100,000 -> MMR 0.005, cum 50, MM = 500 - 50 = 450.
  CHECK(tmg::tier_index(table, num<Real>("100000")) == 1);
  CHECK(same(tmg::maintenance_margin(table, num<Real>("100000")), num<Real>("450")));
  // T4: N = 600,000 is the cap of tier 2: 600,000 * 0.005 - 50 = 2,950 = 600,000 * 0.0065 - 950.
  CHECK(same(tmg::maintenance_margin(table, num<Real>("600000")), num<Real>("2950")));
  CHECK(tmg::tier_index(table, num<Real>("600000")) == 1);  // caps are inclusive
  // T5: 5,000,000 -> 50,000 - 11,450 = 38,550; 20,000,000 -> 400,000 - 131,450 = 268,550.
  CHECK(same(tmg::maintenance_margin(table, num<Real>("5000000")), num<Real>("38550")));
  CHECK(same(tmg::maintenance_margin(table, num<Real>("20000000")), num<Real>("268550")));
  // MM at 0 is 0; effective rate at 0 is the first tier's rate; at 20M it is 268,550 / 20M = 0.0134275.
  CHECK(same(tmg::maintenance_margin(table, num<Real>("0")), num<Real>("0")));
  CHECK(same(tmg::effective_rate(table, num<Real>("0")), num<Real>("0.004")));
  CHECK(same(tmg::effective_rate(table, num<Real>("20000000")), num<Real>("0.0134275")));
  // Margin ratio = MM / equity: 450 / 900 = 0.5; non-positive equity is "unbounded" (liquidatable).
  CHECK(same(tmg::margin_ratio(table, num<Real>("100000"), num<Real>("900")), num<Real>("0.5")));
  CHECK(tmg::margin_ratio(table, num<Real>("100000"), num<Real>("0")) == tmg::scalar_traits<Real>::unbounded());
}

TEMPLATE_TEST_CASE("continuity at every boundary of the real tables", "[tiers][margin]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  const tmg::tier_table<Real> table(binance_btcusdt_2024<Real>());
  for (std::size_t k = 1; k < table.size(); ++k) {
    const Real b = table.floors()[k];
    // Priced with the tier below and with the tier above, the boundary gives the same margin.
    const Real below = b * table.maint_rates()[k - 1] - table.maint_amounts()[k - 1];
    const Real above = b * table.maint_rates()[k] - table.maint_amounts()[k];
    INFO("boundary " << k);
    CHECK(same(below, above));
    CHECK(same(tmg::maintenance_margin(table, b), below));
  }
  // Hyperliquid BTC (T8, docs/venues.md §4): 40x then 20x at 150M -> MMR 1.25% / 2.5%, deduction 1,875,000.
  const tmg::tier_table<Real> hl({{num<Real>("0"), num<Real>("0.0125"), num<Real>("40")},
                                  {num<Real>("150000000"), num<Real>("0.025"), num<Real>("20")}});
  CHECK(same(hl.maint_amounts()[1], num<Real>("1875000")));
  CHECK(same(tmg::maintenance_margin(hl, num<Real>("150000000")), num<Real>("1875000")));
  CHECK(same(tmg::maintenance_margin(hl, num<Real>("200000000")), num<Real>("3125000")));  // 5M - 1.875M
}

TEMPLATE_TEST_CASE("initial margin, max leverage and max notional", "[tiers][margin]", double, tmg::decimal<8>) {
  using Real = TestType;
  const tmg::tier_table<Real> table(binance_btcusdt_2024<Real>());
  // IM = notional / leverage: 100,000 at 50x = 2,000; at the tier max (100x) = 1,000.
  CHECK(same(tmg::initial_margin(table, num<Real>("100000"), num<Real>("50")), num<Real>("2000")));
  CHECK(same(tmg::initial_margin(table, num<Real>("100000")), num<Real>("1000")));
  CHECK_THROWS_AS(tmg::initial_margin(table, num<Real>("100000"), num<Real>("101")), tmg::invalid_argument);
  CHECK_THROWS_AS(tmg::initial_margin(table, num<Real>("100000"), num<Real>("0.5")), tmg::invalid_argument);
  CHECK(same(tmg::max_leverage(table, num<Real>("50000")), num<Real>("125")));
  CHECK(same(tmg::max_leverage(table, num<Real>("50000.01")), num<Real>("100")));
  // The largest cap among tiers whose max leverage >= L (docs/venues.md §8): 20x -> 100M, 21x -> 70M,
  // 125x -> 50k, 1x -> 1.8B.
  CHECK(same(tmg::max_notional(table, num<Real>("20")), num<Real>("100000000")));
  CHECK(same(tmg::max_notional(table, num<Real>("21")), num<Real>("70000000")));
  CHECK(same(tmg::max_notional(table, num<Real>("125")), num<Real>("50000")));
  CHECK(same(tmg::max_notional(table, num<Real>("1")), num<Real>("1800000000")));
  CHECK_THROWS_AS(tmg::max_notional(table, num<Real>("126")), tmg::invalid_argument);
  // Hyperliquid M4 (docs/venues.md §9): 10,000 USD, 20x max: IM 1,000 at 10x and 500 at 20x; MM 250 either way.
  const tmg::tier_table<Real> hl({{num<Real>("0"), num<Real>("0.025"), num<Real>("20")}});
  CHECK(same(tmg::initial_margin(hl, num<Real>("10000"), num<Real>("10")), num<Real>("1000")));
  CHECK(same(tmg::initial_margin(hl, num<Real>("10000"), num<Real>("20")), num<Real>("500")));
  CHECK(same(tmg::maintenance_margin(hl, num<Real>("10000")), num<Real>("250")));
}

TEMPLATE_TEST_CASE("max notional of an open last tier stays unbounded through arithmetic", "[tiers][margin][unbounded]",
                   double, tmg::decimal<8>) {
  using Real = TestType;
  using traits = tmg::scalar_traits<Real>;
  // Open table (no last cap): 50x is allowed in the open tier 2 (100x max), so the largest notional at 50x
  // has no bound, and the margin that notional needs at 50x has none either. IEEE: inf / 50 = inf, and
  // decimal must agree (it returned 1844674407.37 = INT64_MAX / 1e8 / 50 before).
  const tmg::tier_table<Real> open({{num<Real>("0"), num<Real>("0.004"), num<Real>("125")},
                                    {num<Real>("50000"), num<Real>("0.005"), num<Real>("100")}});
  const Real cap = tmg::max_notional(open, num<Real>("50"));
  CHECK(cap == traits::unbounded());
  const Real per_leverage = cap / num<Real>("50");
  CHECK_FALSE(traits::isfinite(per_leverage));
  CHECK(per_leverage == traits::unbounded());
  CHECK(traits::to_double(per_leverage) == std::numeric_limits<double>::infinity());
  CHECK(cap - num<Real>("1") == traits::unbounded());
  CHECK(cap * num<Real>("0.5") == traits::unbounded());
  CHECK(-cap < num<Real>("-1e9"));
  CHECK(traits::to_double(-cap) == -std::numeric_limits<double>::infinity());
}

namespace {
struct cents_down : tmg::default_policies {
  using rounding = tmg::round_down<2>;
};
struct flat : tmg::default_policies {
  using convention = tmg::flat_convention;
};
struct clamped : tmg::default_policies {
  using beyond_cap = tmg::beyond_cap_clamp;
};
}  // namespace

TEMPLATE_TEST_CASE("rounding, flat convention and the beyond-cap policy", "[tiers][margin]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  // M1 (docs/venues.md §1.2): 1 BTC at 9,253.30 and 20x -> IM 462.665, shown by Binance as 462.66.
  const tmg::tier_table<Real, cents_down> cents({{num<Real>("0"), num<Real>("0.004"), num<Real>("125")}});
  CHECK(same(tmg::initial_margin(cents, num<Real>("9253.30"), num<Real>("20")), num<Real>("462.66")));
  // Flat (OKX isolated): MM = n * mmr_k, jumping at the edge: 100 * 1% = 1 in tier 1, 100.01 * 2% in tier 2.
  const tmg::tier_table<Real, flat> okx({{num<Real>("0"), num<Real>("0.01"), num<Real>("50")},
                                         {num<Real>("100"), num<Real>("0.02"), num<Real>("25")}});
  CHECK(same(okx.maint_amounts()[1], num<Real>("0")));
  CHECK(same(tmg::maintenance_margin(okx, num<Real>("100")), num<Real>("1")));
  CHECK(same(tmg::maintenance_margin(okx, num<Real>("100.01")), num<Real>("2.0002")));
  // Beyond the last cap: an error by default, the last tier under beyond_cap_clamp.
  const std::vector<tmg::tier<Real>> rows{{num<Real>("0"), num<Real>("1000"), num<Real>("0.01"), num<Real>("50"),
                                           num<Real>("0")}};
  const tmg::tier_table<Real> strict(rows);
  const tmg::tier_table<Real, clamped> lenient(rows);
  CHECK_THROWS_AS(tmg::maintenance_margin(strict, num<Real>("1000.5")), tmg::invalid_argument);
  CHECK(same(tmg::maintenance_margin(lenient, num<Real>("2000")), num<Real>("20")));
}
