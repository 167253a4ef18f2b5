// SPDX-License-Identifier: BSL-1.0
// JSON tier loaders (io/json.hpp): the bundled JSON tables, one inline fixture per venue format written
// from the field lists in docs/venues.md (section cited at each fixture), and every
// malformed / missing / inconsistent case with the message checked for symbol, tier and field.
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"
#include "unit/io/temp_path.hpp"
#include "support/table_checks.hpp"
#include "tiermargin/core/decimal.hpp"
#include "tiermargin/io/csv.hpp"
#include "tiermargin/io/json.hpp"
#include "tiermargin/tiers/margin.hpp"

namespace tmg = tiermargin;
namespace io = tiermargin::io;
using dec8 = tmg::decimal<8>;

namespace {
std::string data(const char* name) { return test_support::data_path(name); }
using test_support::contains;
using test_support::message_of;

template <class Real>
Real R(const char* text) {
  return test_support::num<Real>(text);
}
using test_support::check_table;
using test_support::near;

/// Rows equal field by field (exactly for decimals, to 1e-9 relative for doubles, where a derived deduction
/// such as 100,000 x (0.0065 - 0.005) carries rounding).
template <class Real>
bool same_rows(const std::vector<tmg::tier<Real>>& a, const std::vector<tmg::tier<Real>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k)
    if (!(a[k].floor == b[k].floor && a[k].cap == b[k].cap && a[k].maint_rate == b[k].maint_rate &&
          a[k].max_leverage == b[k].max_leverage && near(a[k].maint_amount, b[k].maint_amount)))
      return false;
  return true;
}

struct quiet_policies : tmg::default_policies {
  using error = tmg::quiet_nan;
};
struct flat_policies : tmg::default_policies {
  using convention = tmg::flat_convention;
};

// docs/venues.md §1.3: Binance BTCUSDT snapshot 2024-10-24 (floor, cap, MMR, cum, maxLev), as a §1.1
// leverageBracket response (array form, numbers as JSON numbers like the docs' example).
const char* const binance_usdm = R"([{"symbol":"BTCUSDT","brackets":[
 {"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0.0},
 {"bracket":2,"initialLeverage":100,"notionalCap":600000,"notionalFloor":50000,"maintMarginRatio":0.005,"cum":50.0},
 {"bracket":3,"initialLeverage":75,"notionalCap":3000000,"notionalFloor":600000,"maintMarginRatio":0.0065,"cum":950.0},
 {"bracket":4,"initialLeverage":50,"notionalCap":12000000,"notionalFloor":3000000,"maintMarginRatio":0.01,"cum":11450.0},
 {"bracket":5,"initialLeverage":25,"notionalCap":70000000,"notionalFloor":12000000,"maintMarginRatio":0.02,"cum":131450.0},
 {"bracket":6,"initialLeverage":20,"notionalCap":100000000,"notionalFloor":70000000,"maintMarginRatio":0.025,"cum":481450.0},
 {"bracket":7,"initialLeverage":10,"notionalCap":230000000,"notionalFloor":100000000,"maintMarginRatio":0.05,"cum":2981450.0},
 {"bracket":8,"initialLeverage":5,"notionalCap":480000000,"notionalFloor":230000000,"maintMarginRatio":0.1,"cum":14481450.0},
 {"bracket":9,"initialLeverage":4,"notionalCap":600000000,"notionalFloor":480000000,"maintMarginRatio":0.125,"cum":26481450.0},
 {"bracket":10,"initialLeverage":3,"notionalCap":800000000,"notionalFloor":600000000,"maintMarginRatio":0.15,"cum":41481450.0},
 {"bracket":11,"initialLeverage":2,"notionalCap":1200000000,"notionalFloor":800000000,"maintMarginRatio":0.25,"cum":121481450.0},
 {"bracket":12,"initialLeverage":1,"notionalCap":1800000000,"notionalFloor":1200000000,"maintMarginRatio":0.5,"cum":421481450.0}]}])";

// ccxt unified tiers (docs/venues.md §7) for the first three BTCUSDT brackets of §1.3, new and old spellings,
// numbers and strings mixed, Binance cum in info.cum.
const char* const ccxt_new = R"({"BTC/USDT:USDT":[
 {"tier":1,"symbol":"BTC/USDT:USDT","currency":"USDT","minNotional":0,"maxNotional":50000,"maintenanceMarginRate":0.004,"maxLeverage":125,"info":{"cum":"0.0"}},
 {"tier":2,"symbol":"BTC/USDT:USDT","currency":"USDT","minNotional":50000,"maxNotional":600000,"maintenanceMarginRate":0.005,"maxLeverage":100,"info":{"cum":"50.0"}},
 {"tier":3,"symbol":"BTC/USDT:USDT","currency":"USDT","minNotional":600000,"maxNotional":3000000,"maintenanceMarginRate":"0.0065","maxLeverage":75,"info":{"cum":"950.0"}}]})";
const char* const ccxt_old = R"({"BTC/USDT:USDT":[
 {"tier":1,"currency":"USDT","notionalFloor":"0","notionalCap":"50000","maintenanceMarginRatio":"0.004","maxLeverage":"125","info":{"cum":0}},
 {"tier":2,"currency":"USDT","notionalFloor":"50000","notionalCap":"600000","maintenanceMarginRatio":"0.005","maxLeverage":"100","info":{"cum":50}},
 {"tier":3,"currency":"USDT","notionalFloor":"600000","notionalCap":"3000000","maintenanceMarginRatio":"0.0065","maxLeverage":"75","info":{"cum":950}}]})";

// Bybit v5 risk-limit (docs/venues.md §2), T7: tier 1 limit 300,000 at MMR 0.0033, tier 2 MMR 0.005 -> MMD 510.
// Initial margins are 1/maxLeverage (IM = PV / leverage, §2).
const char* const bybit_fraction = R"({"retCode":0,"retMsg":"OK","result":{"category":"linear","list":[
 {"id":1,"symbol":"BTCUSDT","riskLimitValue":"300000","maintenanceMargin":"0.0033","initialMargin":"0.0067","isLowestRisk":1,"maxLeverage":"150.00","mmDeduction":""},
 {"id":2,"symbol":"BTCUSDT","riskLimitValue":"600000","maintenanceMargin":"0.005","initialMargin":"0.01","isLowestRisk":0,"maxLeverage":"100.00","mmDeduction":"510"}]}})";
// The same in percent (the docs' inverse example shows "maintenanceMargin":"0.5","initialMargin":"1").
const char* const bybit_percent = R"({"retCode":0,"result":{"category":"inverse","list":[
 {"id":1,"symbol":"BTCUSDT","riskLimitValue":"300000","maintenanceMargin":"0.33","initialMargin":"0.67","maxLeverage":"150.00","mmDeduction":""},
 {"id":2,"symbol":"BTCUSDT","riskLimitValue":"600000","maintenanceMargin":"0.5","initialMargin":"1","maxLeverage":"100.00","mmDeduction":"510"}]}})";

// OKX position-tiers (docs/venues.md §3): strings, contracts, minSz = previous maxSz + 1 ("tier 2 starts at
// 20,001 contracts"), MMR/IMR +0.5% per tier.
const char* const okx = R"({"code":"0","msg":"","data":[
 {"uly":"BTC-USDT","instFamily":"BTC-USDT","instId":"","tier":"1","minSz":"0","maxSz":"20000","mmr":"0.004","imr":"0.008","maxLever":"125","optMgnFactor":"0","quoteMaxLoan":"","baseMaxLoan":""},
 {"uly":"BTC-USDT","instFamily":"BTC-USDT","instId":"","tier":"2","minSz":"20001","maxSz":"80000","mmr":"0.005","imr":"0.01","maxLever":"100","optMgnFactor":"0","quoteMaxLoan":"","baseMaxLoan":""},
 {"uly":"BTC-USDT","instFamily":"BTC-USDT","instId":"","tier":"3","minSz":"80001","maxSz":"140000","mmr":"0.01","imr":"0.015","maxLever":"66.67","optMgnFactor":"0","quoteMaxLoan":"","baseMaxLoan":""}]})";

// Hyperliquid marginTable (docs/venues.md §4), BTC mainnet: 0-150M 40x, >150M 20x.
const char* const hyperliquid = R"({"description":"tiered 40x","marginTiers":[{"lowerBound":"0.0","maxLeverage":40},{"lowerBound":"150000000.0","maxLeverage":20}]})";
}  // namespace

TEMPLATE_TEST_CASE("Bundled JSON tables load, match the bundled CSVs and are continuous", "[io][json]", double, dec8) {
  using Real = TestType;
  SECTION("binance_maint_margin_brackets_ccxt.json") {
    const auto all = io::read_binance_maint_brackets<Real>(data("binance_maint_margin_brackets_ccxt.json"),
                                                           io::max_leverage_rule::floor_half_inverse_mmr);
    REQUIRE(all.size() == 5);  // SOURCES.md: BTC, ETH, LTC, ADA USDT-M and BTC COIN-M, 46 brackets
    std::size_t brackets = 0;
    for (const auto& s : all) {
      INFO(s.symbol);
      brackets += s.rows.size();
      check_table(io::make_tier_table(s));
      CHECK(!s.maint_amount_given);
    }
    CHECK(brackets == 46);
    CHECK(all[0].symbol == "BTC/USDT:USDT");  // document order
    CHECK(io::find_symbol(all, "BTC/USD:BTC").value().get().unit == "coin notional");
    CHECK(io::find_symbol(all, "ETH/USDT:USDT").value().get().unit == "quote notional");
    // data/README.md: the bundled BTCUSDT/ETHUSDT CSVs were derived from this fixture with the same rule
    // (max leverage floor(1/(2 MMR)), cum by the recursion); the data files are the expected values.
    CHECK(same_rows(io::find_symbol(all, "BTC/USDT:USDT").value().get().rows,
                    io::read_tiers<Real>(data("binance_usdm_btcusdt_brackets_ccxt.csv"))));
    CHECK(same_rows(io::find_symbol(all, "ETH/USDT:USDT").value().get().rows,
                    io::read_tiers<Real>(data("binance_usdm_ethusdt_brackets_ccxt.csv"))));
    // The flat copy of the same fixture, binance_maint_margin_brackets_ccxt.csv (symbol, bracket, floor,
    // cap, mmr), read here with a plain line split: every bracket matches, caps included.
    std::ifstream flat_csv(data("binance_maint_margin_brackets_ccxt.csv"));
    std::string line;
    std::getline(flat_csv, line);  // header
    std::size_t lines = 0;
    while (std::getline(flat_csv, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();  // the file has CRLF line ends
      std::vector<std::string> f;
      std::stringstream split(line);
      for (std::string cell; std::getline(split, cell, ',');) f.push_back(cell);
      if (f.size() == 4) f.emplace_back();  // getline drops a trailing empty field
      REQUIRE(f.size() == 5);
      const auto s = io::find_symbol(all, f[0]);
      REQUIRE(s.has_value());
      const auto& row = s->get().rows.at(std::stoul(f[1]) - 1);
      CHECK(row.floor == R<Real>(f[2].c_str()));
      if (f[3].empty())
        CHECK(!tmg::scalar_traits<Real>::isfinite(row.cap));
      else
        CHECK(row.cap == R<Real>(f[3].c_str()));
      CHECK(row.maint_rate == R<Real>(f[4].c_str()));
      ++lines;
    }
    CHECK(lines == 46);
    // The other rule: floor(1/MMR) gives 250x for 0.4%.
    const auto inverse = io::read_binance_maint_brackets<Real>(data("binance_maint_margin_brackets_ccxt.json"),
                                                               io::max_leverage_rule::floor_inverse_mmr);
    CHECK(inverse[0].rows[0].max_leverage == R<Real>("250"));
    CHECK(inverse[0].rows[9].max_leverage == R<Real>("2"));
  }
  SECTION("hyperliquid_margin_tiers_docs.json") {
    const auto all = io::read_hyperliquid_docs_tiers<Real>(data("hyperliquid_margin_tiers_docs.json"));
    REQUIRE(all.size() == 2);
    CHECK(all[0].symbol == "BTC");
    for (const auto& s : all) check_table(io::make_tier_table(s));
    // The file's own derived_by_formula_not_in_source block and docs/venues.md T8: BTC 1.25%/2.5%, 1,875,000.
    CHECK(same_rows(all[0].rows, io::read_tiers<Real>(data("hyperliquid_btc_tiers_docs.csv"))));
    CHECK(all[0].rows[1].maint_amount == R<Real>("1875000"));
    CHECK(same_rows(all[1].rows, io::read_tiers<Real>(data("hyperliquid_eth_tiers_docs.csv"))));
    REQUIRE_THAT(tmg::to_double(all[1].rows[1].maint_amount), Catch::Matchers::WithinAbs(1333333.33, 0.5));
    CHECK(all[1].rows[0].maint_rate == R<Real>("0.02"));
  }
}

TEMPLATE_TEST_CASE("Venue formats from inline fixtures", "[io][json]", double, dec8) {
  using Real = TestType;
  SECTION("Binance USD-M leverageBracket equals the §1.3 snapshot CSV; T3-T5") {
    const auto all = io::parse_binance_leverage_brackets<Real>(binance_usdm);
    REQUIRE(all.size() == 1);
    CHECK(all[0].symbol == "BTCUSDT");
    CHECK(all[0].maint_amount_given);
    CHECK(all[0].unit == "quote notional");
    CHECK(same_rows(all[0].rows, io::read_tiers<Real>(data("binance_usdm_btcusdt_tiers_20241024.csv"))));
    const auto table = io::make_tier_table(all[0]);
    check_table(table);
    CHECK(near(tmg::maintenance_margin(table, R<Real>("100000")), R<Real>("450")));       // T3
    CHECK(near(tmg::maintenance_margin(table, R<Real>("5000000")), R<Real>("38550")));    // T5
    CHECK(near(tmg::maintenance_margin(table, R<Real>("20000000")), R<Real>("268550")));  // T5
  }
  SECTION("Binance single object (the §1.1 docs example) and the 2^63-1 open cap") {
    const auto one = io::parse_binance_leverage_brackets<Real>(
        R"({"symbol":"ETHUSDT","notionalCoef":1.50,"brackets":[{"bracket":1,"initialLeverage":75,"notionalCap":10000,"notionalFloor":0,"maintMarginRatio":0.0065,"cum":0.0}]})");
    REQUIRE(one.size() == 1);
    REQUIRE(one[0].rows.size() == 1);
    CHECK(one[0].rows[0].cap == R<Real>("10000"));
    CHECK(one[0].rows[0].max_leverage == R<Real>("75"));
    const auto open = io::parse_binance_leverage_brackets<Real>(
        R"({"symbol":"X","brackets":[{"initialLeverage":"20","notionalCap":"9223372036854775807","notionalFloor":"0","maintMarginRatio":"0.01","cum":"0"}]})");
    CHECK(!tmg::scalar_traits<Real>::isfinite(open[0].rows[0].cap));
  }
  SECTION("Binance COIN-M qtylFloor/qtyCap (§1.6): T2 cum 50 x (5% - 2.5%) + 0.56 = 1.81 BTC") {
    // Tiers 1-2 are chosen so that cum_2 = 28 x (0.025 - 0.005) = 0.56; tier 3 is the §1.6 example.
    const char* coin = R"([{"pair":"BTCUSD","brackets":[
      {"bracket":1,"initialLeverage":125,"qtyCap":28,"qtylFloor":0,"maintMarginRatio":0.005,"cum":0},
      {"bracket":2,"initialLeverage":20,"qtyCap":50,"qtylFloor":28,"maintMarginRatio":0.025,"cum":0.56},
      {"bracket":3,"initialLeverage":10,"qtyCap":100,"qtylFloor":50,"maintMarginRatio":0.05,"cum":1.81}]}])";
    const auto all = io::parse_binance_leverage_brackets<Real>(coin);
    REQUIRE(all.size() == 1);
    CHECK(all[0].symbol == "BTCUSD");
    CHECK(all[0].unit == "coin notional");
    CHECK(all[0].rows[2].maint_amount == R<Real>("1.81"));
    check_table(io::make_tier_table(all[0]));
    std::string bad = coin;
    bad.replace(bad.find("1.81"), 4, "1.82");
    const std::string m = message_of([&] { (void)io::parse_binance_leverage_brackets<Real>(bad, "coinm.json"); });
    CHECK(contains(m, "tier 3 field 'cum' of symbol 'BTCUSD' in 'coinm.json' = 1.82"));
    CHECK(contains(m, "recursion"));
  }
  SECTION("ccxt: both spellings give identical tables, cum from info.cum") {
    const auto a = io::parse_ccxt_leverage_tiers<Real>(ccxt_new);
    const auto b = io::parse_ccxt_leverage_tiers<Real>(ccxt_old);
    REQUIRE(a.size() == 1);
    REQUIRE(b.size() == 1);
    CHECK(a[0].rows == b[0].rows);  // identical, not just close
    CHECK(a[0].maint_amount_given);
    CHECK(a[0].rows[2].maint_amount == R<Real>("950"));
    const auto binance = io::parse_binance_leverage_brackets<Real>(binance_usdm)[0].rows;
    for (std::size_t k = 0; k < 3; ++k) {
      CHECK(a[0].rows[k].floor == binance[k].floor);
      CHECK(a[0].rows[k].maint_amount == binance[k].maint_amount);
    }
    CHECK(io::make_tier_table(a[0]).caps()[2] == R<Real>("3000000"));
  }
  SECTION("ccxt list form; missing minNotional (Bybit via ccxt, PR 21828); OKX +1 floors (PR 11938)") {
    const auto bybit = io::parse_ccxt_leverage_tiers<Real>(
        R"([{"tier":1,"symbol":"BTC/USDT:USDT","maxNotional":300000,"maintenanceMarginRate":0.0033,"maxLeverage":150},
            {"tier":2,"symbol":"BTC/USDT:USDT","minNotional":null,"maxNotional":600000,"maintenanceMarginRate":0.005,"maxLeverage":100}])");
    REQUIRE(bybit.size() == 1);
    CHECK(bybit[0].symbol == "BTC/USDT:USDT");
    CHECK(bybit[0].rows[1].floor == R<Real>("300000"));
    CHECK(near(bybit[0].rows[1].maint_amount, R<Real>("510")));  // T7, derived
    const auto okx_ccxt = io::parse_ccxt_leverage_tiers<Real>(
        R"([{"tier":99,"minNotional":1,"maxNotional":972000,"maintenanceMarginRate":0.004,"maxLeverage":125},
            {"tier":100,"minNotional":972001,"maxNotional":982000,"maintenanceMarginRate":0.005,"maxLeverage":100}])",
        "<memory>", "BTC-USDT");
    REQUIRE(okx_ccxt.size() == 1);
    CHECK(okx_ccxt[0].symbol == "BTC-USDT");
    CHECK(okx_ccxt[0].rows[0].floor == Real{});
    CHECK(okx_ccxt[0].rows[1].floor == R<Real>("972000"));
  }
  SECTION("Bybit: fractions, percent normalised, mmDeduction checked (T7)") {
    const auto f = io::parse_bybit_risk_limit<Real>(bybit_fraction);
    const auto p = io::parse_bybit_risk_limit<Real>(bybit_percent);
    REQUIRE(f.size() == 1);
    REQUIRE(p.size() == 1);
    CHECK(same_rows(f[0].rows, p[0].rows));
    CHECK(f[0].rows[0].maint_rate == R<Real>("0.0033"));
    CHECK(p[0].rows[1].maint_rate == R<Real>("0.005"));
    CHECK(f[0].rows[1].floor == R<Real>("300000"));
    CHECK(f[0].rows[1].maint_amount == R<Real>("510"));
    CHECK(f[0].maint_amount_given);
    CHECK(p[0].unit == "coin notional");
    check_table(io::make_tier_table(f[0]));
    // Explicit units agree with the automatic rule; the wrong explicit unit is an inconsistency.
    CHECK(same_rows(io::parse_bybit_risk_limit<Real>(bybit_percent, "b.json", io::bybit_units::percent)[0].rows, f[0].rows));
    const std::string m = message_of(
        [&] { (void)io::parse_bybit_risk_limit<Real>(bybit_percent, "b.json", io::bybit_units::fraction); });
    CHECK(contains(m, "tier 1 field 'initialMargin' of symbol 'BTCUSDT' in 'b.json'"));
    CHECK(contains(m, "inconsistent"));
    // Without initialMargin the category decides: inverse -> percent (the docs' example), linear -> fraction.
    const auto by_category = io::parse_bybit_risk_limit<Real>(
        R"({"result":{"category":"inverse","list":[{"symbol":"BTCUSD","riskLimitValue":"150","maintenanceMargin":"0.5","maxLeverage":"100"}]}})");
    CHECK(by_category[0].rows[0].maint_rate == R<Real>("0.005"));
    CHECK(by_category[0].rows[0].maint_amount == Real{});
    const std::string unknown = message_of([&] {
      (void)io::parse_bybit_risk_limit<Real>(
          R"([{"symbol":"BTCUSD","riskLimitValue":"150","maintenanceMargin":"0.5","maxLeverage":"100"}])");
    });
    CHECK(contains(unknown, "bybit_units::fraction"));
  }
  SECTION("OKX: minSz = previous maxSz + 1, contracts, flat convention") {
    const auto all = io::parse_okx_position_tiers<Real>(okx);
    REQUIRE(all.size() == 1);
    CHECK(all[0].symbol == "BTC-USDT");
    CHECK(all[0].flat);
    CHECK(all[0].unit == "contracts");
    REQUIRE(all[0].rows.size() == 3);
    CHECK(all[0].rows[1].floor == R<Real>("20000"));
    CHECK(all[0].rows[2].floor == R<Real>("80000"));
    CHECK(all[0].rows[2].cap == R<Real>("140000"));
    CHECK(all[0].rows[2].maint_amount == Real{});
    const auto table = io::make_tier_table<flat_policies>(all[0]);
    REQUIRE(table.valid());
    // Flat MM jumps at the edge (§3): 20,000 x 0.4% = 80; 20,001 x 0.5% = 100.005.
    CHECK(near(tmg::maintenance_margin(table, R<Real>("20000")), R<Real>("80")));
    CHECK(near(tmg::maintenance_margin(table, R<Real>("20001")), R<Real>("100.005")));
    // Pricing OKX's flat tiers with the cumulative formula would be wrong: make_tier_table refuses.
    CHECK(contains(message_of([&] { (void)io::make_tier_table(all[0]); }), "use flat_convention"));
    // Built deliberately from the brackets, the cumulative table gets derived deductions and is continuous.
    const auto brackets = io::to_brackets(std::span<const tmg::tier<Real>>(all[0].rows));
    check_table(tmg::tier_table<Real>(std::span<const tmg::bracket<Real>>(brackets), all[0].rows.back().cap));
  }
  SECTION("Hyperliquid marginTable: T8 and the testnet 3-tier example") {
    const auto btc = io::parse_hyperliquid_margin_table<Real>(hyperliquid);
    CHECK(btc.symbol == "tiered 40x");
    REQUIRE(btc.rows.size() == 2);
    CHECK(btc.rows[0].maint_rate == R<Real>("0.0125"));
    CHECK(btc.rows[1].maint_rate == R<Real>("0.025"));  // T9: 20x -> 2.5%
    CHECK(btc.rows[1].maint_amount == R<Real>("1875000"));
    // Testnet: 0-20k 10x; 20-100k 5x; >100k 3x. MMR 5%, 10%, 1/6; deductions 20,000 x 0.05 = 1,000 and
    // 1,000 + 100,000 x (1/6 - 1/10) = 7,666.67.
    const auto testnet = io::parse_hyperliquid_margin_table<Real>(
        R"({"description":"testnet","marginTiers":[{"lowerBound":0,"maxLeverage":10},{"lowerBound":20000,"maxLeverage":5},{"lowerBound":100000,"maxLeverage":3}]})",
        "<memory>", "DOGE");
    CHECK(testnet.symbol == "DOGE");
    CHECK(testnet.rows[1].maint_amount == R<Real>("1000"));
    REQUIRE_THAT(tmg::to_double(testnet.rows[2].maint_amount), Catch::Matchers::WithinAbs(7666.67, 0.01));
    check_table(io::make_tier_table(testnet));
    // The meta response's marginTables list (§4: ids 56 / 55 in data/hyperliquid_margin_tiers_docs.json).
    const auto tables = io::parse_hyperliquid_margin_tables<Real>(
        R"({"universe":[],"marginTables":[[56,{"description":"tiered 40x","marginTiers":[{"lowerBound":"0.0","maxLeverage":40},{"lowerBound":"150000000.0","maxLeverage":20}]}],
                                           [55,{"description":"tiered 25x","marginTiers":[{"lowerBound":"0.0","maxLeverage":25},{"lowerBound":"100000000.0","maxLeverage":15}]}]]})");
    REQUIRE(tables.size() == 2);
    CHECK(tables[0].symbol == "56");
    CHECK(tables[0].rows == btc.rows);
    CHECK(tables[1].rows[1].max_leverage == R<Real>("15"));
  }
}

namespace {
/// Runs loader `format` (0 ccxt, 1 Binance leverageBracket, 2 Bybit, 3 OKX, 4 Hyperliquid marginTable,
/// 5 Binance maint brackets, 6 Hyperliquid docs, 7 Hyperliquid meta) on `text` as "f.json" under error
/// policy E; true when the result is empty (what a quiet policy returns on bad input).
template <class E>
bool loads_empty(int format, const std::string& text) {
  switch (format) {
    case 0: return io::parse_ccxt_leverage_tiers<double, E>(text, "f.json").empty();
    case 1: return io::parse_binance_leverage_brackets<double, E>(text, "f.json").empty();
    case 2: return io::parse_bybit_risk_limit<double, E>(text, "f.json").empty();
    case 3: return io::parse_okx_position_tiers<double, E>(text, "f.json").empty();
    case 4: return io::parse_hyperliquid_margin_table<double, E>(text, "f.json").rows.empty();
    case 5:
      return io::parse_binance_maint_brackets<double, E>(text, io::max_leverage_rule::floor_half_inverse_mmr, "f.json")
          .empty();
    case 6: return io::parse_hyperliquid_docs_tiers<double, E>(text, "f.json").empty();
    default: return io::parse_hyperliquid_margin_tables<double, E>(text, "f.json").empty();
  }
}
}  // namespace

TEST_CASE("Malformed, missing and inconsistent JSON fields name symbol, tier and field", "[io][json]") {
  struct bad_case {
    int format;  // 0 ccxt, 1 binance, 2 bybit, 3 okx, 4 hyperliquid, 5 maint brackets, 6 hl docs, 7 hl meta
    std::string text;
    std::vector<const char*> expect;
  };
  const auto sub = [](std::string s, const char* from, const char* to) {
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, std::string(from).size(), to);
  };
  const std::vector<bad_case> cases = {
      {1, sub(binance_usdm, "\"maintMarginRatio\":0.005", "\"maintMarginRatio\":\"abc\""),
       {"tier 2 field 'maintMarginRatio' of symbol 'BTCUSDT' in 'f.json'", "\"abc\""}},
      {1, sub(binance_usdm, "\"initialLeverage\":75,", ""), {"tier 3 field 'initialLeverage' of symbol 'BTCUSDT'", "missing"}},
      {1, sub(binance_usdm, "\"cum\":950.0", "\"cum\":951.0"), {"tier 3 field 'cum' of symbol 'BTCUSDT'", "= 951", "recursion"}},
      {1, sub(binance_usdm, ",\"cum\":950.0", ""), {"tier 3 field 'cum'", "present on other tiers"}},
      {1, sub(binance_usdm, "\"notionalFloor\":600000", "\"notionalFloor\":650000"), {"tier 3 field 'notionalFloor'", "gap"}},
      {1, sub(binance_usdm, "\"maintMarginRatio\":0.0065", "\"maintMarginRatio\":0.0045"), {"tier 3 field 'maintMarginRatio'", "must not decrease"}},
      {1, sub(binance_usdm, "\"notionalFloor\":600000", "\"qtylFloor\":600000"), {"tier 3 field 'qtyCap'", "mixes"}},
      {1, sub(binance_usdm, "\"symbol\":\"BTCUSDT\",", ""), {"symbol", "missing"}},
      {1, sub(binance_usdm, "\"maintMarginRatio\":0.5", "\"maintMarginRatio\":true"), {"tier 12 field 'maintMarginRatio'", "got true"}},
      {1, "[{\"symbol\":\"X\",\"brackets\":[]}]", {"'brackets' of symbol 'X'", "non-empty"}},
      {0, sub(ccxt_new, "\"maintenanceMarginRate\":0.005", "\"maintenanceMarginRatio\":0.005,\"maintenanceMarginRate\":0.006"),
       {"tier 2 field 'maintenanceMarginRatio' of symbol 'BTC/USDT:USDT'", "must agree"}},
      {0, sub(ccxt_new, "\"maxLeverage\":100,", ""), {"tier 2 field 'maxLeverage' of symbol 'BTC/USDT:USDT'", "missing"}},
      {0, sub(ccxt_new, "\"maintenanceMarginRate\":\"0.0065\"", "\"maintenanceMarginRate\":\"0.0065x\""),
       {"tier 3 field 'maintenanceMarginRate'", "0.0065x"}},
      {0, sub(ccxt_new, "\"cum\":\"50.0\"", "\"cum\":\"40.0\""), {"tier 2 field 'info.cum' of symbol 'BTC/USDT:USDT'", "= 40"}},
      {0, sub(ccxt_new, "\"maxNotional\":50000,", ""), {"tier 1 field 'maxNotional'", "only the last tier"}},
      {0, sub(ccxt_new, "\"maxLeverage\":75", "\"maxLeverage\":110"), {"tier 3 field 'maxLeverage'", "= 110", "must not increase"}},
      {2, sub(bybit_fraction, "\"mmDeduction\":\"510\"", "\"mmDeduction\":\"500\""), {"tier 2 field 'mmDeduction' of symbol 'BTCUSDT'", "= 500"}},
      {2, sub(bybit_fraction, "\"riskLimitValue\":\"600000\",", ""), {"tier 2 field 'riskLimitValue' of symbol 'BTCUSDT'", "missing"}},
      {2, sub(bybit_fraction, "\"initialMargin\":\"0.01\"", "\"initialMargin\":\"0.02\""), {"'initialMargin' of symbol 'BTCUSDT'", "inconsistent units"}},
      {2, sub(bybit_fraction, "\"riskLimitValue\":\"600000\"", "\"riskLimitValue\":\"200000\""), {"tier 2 field 'riskLimitValue'", "greater than the tier's floor"}},
      {2, sub(bybit_fraction, "\"retCode\":0", "\"retCode\":10001"), {"retCode", "must be 0"}},
      {3, sub(okx, "\"minSz\":\"80001\"", "\"minSz\":\"80002\""), {"tier 3 field 'minSz' of symbol 'BTC-USDT'", "gap", "80001"}},
      {3, sub(okx, "\"minSz\":\"80001\"", "\"minSz\":\"70001\""), {"tier 3 field 'minSz'", "overlap"}},
      {3, sub(okx, "\"imr\":\"0.01\"", "\"imr\":\"0.02\""), {"tier 2 field 'imr' of symbol 'BTC-USDT'", "inconsistent"}},
      {3, sub(okx, "\"mmr\":\"0.01\"", "\"mmr\":\"\""), {"tier 3 field 'mmr'", "missing"}},
      {3, sub(okx, "\"code\":\"0\"", "\"code\":\"51000\""), {"code", "51000"}},
      {4, sub(hyperliquid, "\"maxLeverage\":20", "\"maxLeverage\":\"twenty\""), {"tier 2 field 'maxLeverage' of symbol 'tiered 40x'", "twenty"}},
      {4, sub(hyperliquid, "\"maxLeverage\":20", "\"maxLeverage\":50"), {"tier 2 field 'maintenance rate 1/(2*maxLeverage)'", "= 0.01", "must not decrease"}},
      {4, "{\"description\":\"x\"}", {"marginTiers", "missing"}},
      {7, "{\"marginTables\":[[56,{\"marginTiers\":[{\"lowerBound\":0,\"maxLeverage\":40},{\"maxLeverage\":20}]}]]}",
       {"tier 2 field 'lowerBound' of symbol '56'", "missing"}},
      {7, "{\"marginTables\":[[\"x\",{}]]}", {"marginTables", "entry must be"}},
      {5, "{\"leverageBrackets\":{\"BTC/USDT:USDT\":[[\"0\",\"0.004\"],[\"50000\"]]}}", {"tier 2 field '[floor, mmr]' of symbol 'BTC/USDT:USDT'", "pair"}},
      {5, "{\"leverageBrackets\":{\"BTC/USDT:USDT\":[[\"0\",\"0.004\"],[\"40\",\"0.003\"]]}}", {"tier 2 field 'mmr'", "must not decrease"}},
      {6, "{\"tiers\":{\"BTC\":{\"tiers\":[{\"lower_bound_usdc\":5,\"max_leverage\":40}]}}}", {"tier 1 field 'lower_bound_usdc' of symbol 'BTC'", "start at 0"}},
      {0, "{not json", {"f.json", "not valid JSON"}},
      {2, "[]", {"list", "non-empty"}},
  };
  for (const auto& c : cases) {
    const auto run = [&]<class E>() { return loads_empty<E>(c.format, c.text); };
    const std::string m = message_of([&] { (void)run.template operator()<tmg::throw_errors>(); });
    INFO(c.text.substr(0, 200) << "\n -> " << m);
    CHECK(contains(m, "tiermargin::io::parse_"));
    for (const char* e : c.expect) CHECK(contains(m, e));
    CHECK(run.template operator()<tmg::quiet_nan>());
  }
  const test_support::temp_path absent("tiermargin_io_absent", ".json");  // unique, never created
  CHECK(contains(message_of([&] { (void)io::read_okx_position_tiers(absent.string()); }), absent.string()));
  // decimal<2> cannot hold Bybit's 0.0033: an error naming the field, not a rounded rate.
  CHECK(contains(message_of([] { (void)io::parse_bybit_risk_limit<tmg::decimal<2>>(bybit_fraction); }),
                 "tier 1 field 'maintenanceMargin' of symbol 'BTCUSDT'"));
  // A quiet loader's empty result makes an invalid table, not a crash.
  CHECK(!io::make_tier_table<quiet_policies>(io::symbol_tiers<double>{}).valid());
}

TEST_CASE("A key repeated within one object is rejected with the key, symbol and position", "[io][json][duplicate]") {
  SECTION("a repeated field: the second maintenanceMarginRate must not win") {
    // Line 2, counted by hand: ' ' (1), '{' (2), "minNotional":0, = 16 chars (3-18), "maxNotional":50000, = 20
    // chars (19-38), "maintenanceMarginRate":0.004, = 30 chars (39-68): the repeated key starts at column 69.
    const std::string text = "{\"ETH/USDT:USDT\":[\n"
                             " {\"minNotional\":0,\"maxNotional\":50000,\"maintenanceMarginRate\":0.004,"
                             "\"maintenanceMarginRate\":0.9,\"maxLeverage\":1}]}";
    const std::string m = message_of([&] { (void)io::parse_ccxt_leverage_tiers(text, "dup.json"); });
    INFO(m);
    CHECK(contains(m, "tiermargin::io::parse_ccxt_leverage_tiers: argument 'dup.json line 2 column 69'"));
    CHECK(contains(m, "duplicate key \"maintenanceMarginRate\""));
    CHECK(contains(m, "[\"ETH/USDT:USDT\"][0]"));
    CHECK(io::parse_ccxt_leverage_tiers<double, tmg::quiet_nan>(text, "dup.json").empty());
  }
  SECTION("a repeated symbol must not replace the first table") {
    const std::string text = "{\"ETH/USDT:USDT\":[{\"maxNotional\":50000,\"maintenanceMarginRate\":0.01,\"maxLeverage\":50}],\n"
                             "\"ETH/USDT:USDT\":[{\"maxNotional\":90000,\"maintenanceMarginRate\":0.02,\"maxLeverage\":25}]}";
    const std::string m = message_of([&] { (void)io::parse_ccxt_leverage_tiers(text, "dup.json"); });
    INFO(m);
    CHECK(contains(m, "argument 'dup.json line 2 column 1'"));
    CHECK(contains(m, "duplicate key \"ETH/USDT:USDT\" in the object at the top level"));
    CHECK(io::parse_ccxt_leverage_tiers<double, tmg::quiet_nan>(text, "dup.json").empty());
  }
  SECTION("every format, and a large object (past the linear search) with a late repeat") {
    struct dup_case {
      int format;  // as in the malformed-field table above
      std::string text;
      std::vector<std::string> expect;
    };
    const auto twice = [](std::string s, const std::string& member, const std::string& again) {
      const auto at = s.find(member);
      REQUIRE(at != std::string::npos);
      return s.insert(at + member.size(), "," + again);
    };
    // 40 distinct symbols, then the 7th again: detected through the hash set of a large object.
    std::string many = "{\"leverageBrackets\":{";
    for (int i = 0; i < 40; ++i) many += "\"S" + std::to_string(i) + "\":[[0,0.01]],";
    many += "\"S7\":[[0,0.02]]}}";
    const std::vector<dup_case> cases = {
        {0, twice(ccxt_new, "\"maxLeverage\":100", "\"maxLeverage\":50"),
         {"duplicate key \"maxLeverage\"", "[\"BTC/USDT:USDT\"][1]", "of symbol \"BTC/USDT:USDT\""}},
        {1, twice(binance_usdm, "\"cum\":950.0", "\"cum\":0"), {"duplicate key \"cum\"", "[0][\"brackets\"][2]", "of symbol \"BTCUSDT\""}},
        {2, twice(bybit_fraction, "\"mmDeduction\":\"510\"", "\"mmDeduction\":\"0\""),
         {"duplicate key \"mmDeduction\"", "[\"result\"][\"list\"][1]", "of symbol \"BTCUSDT\""}},
        {3, twice(okx, "\"mmr\":\"0.01\"", "\"mmr\":\"0.02\""), {"duplicate key \"mmr\"", "[\"data\"][2]", "of symbol \"BTC-USDT\""}},
        {4, twice(hyperliquid, "\"maxLeverage\":40", "\"maxLeverage\":50"), {"duplicate key \"maxLeverage\"", "[\"marginTiers\"][0]"}},
        {5, many, {"duplicate key \"S7\"", "[\"leverageBrackets\"]"}},
        {6, "{\"tiers\":{\"BTC\":{\"tiers\":[{\"lower_bound_usdc\":0,\"max_leverage\":40}],\"tiers\":[]}}}",
         {"duplicate key \"tiers\"", "[\"tiers\"][\"BTC\"]"}},
        {7, "{\"marginTables\":[[56,{\"description\":\"a\",\"description\":\"b\",\"marginTiers\":[]}]]}",
         {"duplicate key \"description\"", "[\"marginTables\"][0][1]"}},
    };
    for (const auto& c : cases) {
      const auto run = [&]<class E>() { return loads_empty<E>(c.format, c.text); };
      const std::string m = message_of([&] { (void)run.template operator()<tmg::throw_errors>(); });
      INFO(c.text.substr(0, 120) << "\n -> " << m);
      CHECK(contains(m, "tiermargin::io::parse_"));
      CHECK(contains(m, "argument 'f.json line "));
      for (const auto& e : c.expect) CHECK(contains(m, e));
      CHECK(run.template operator()<tmg::quiet_nan>());
    }
  }
  SECTION("the same key in different objects is fine") {
    CHECK(io::parse_ccxt_leverage_tiers(ccxt_new).size() == 1);  // "tier", "symbol", ... in every row
  }
}

TEST_CASE("JSON syntax errors carry line and column", "[io][json][syntax]") {
  struct syntax_case {
    std::string text;
    std::vector<const char*> expect;
  };
  const std::vector<syntax_case> cases = {
      // '{' then "no": 'o' cannot continue a literal (null), so the error is at the 'o', column 3.
      {"{not json", {"argument 'f.json line 1 column 3'", "not valid JSON", "invalid literal"}},
      // Line 2 is "2,,]}": the second comma (column 3) is where a value was expected.
      {"{\"BTC\":[1,\n2,,]}", {"argument 'f.json line 2 column 3'", "not valid JSON", "unexpected ','"}},
      // Line 2 is ' {"maxNotional":1e400}]}': ' ' (1), '{' (2), "maxNotional" (3-15), ':' (16), the number
      // starts at column 17. 1e400 > DBL_MAX (~1.8e308): it must not load as inf.
      {"{\"BTC\":[\n {\"maxNotional\":1e400}]}", {"argument 'f.json line 2 column 17'", "1e400", "range of a double"}},
      // Truncated text of 7 characters: the end of input is column 8, one past the last character.
      {"{\"a\":[1", {"argument 'f.json line 1 column 8'", "unexpected end of input"}},
  };
  for (const auto& c : cases) {
    const std::string m = message_of([&] { (void)io::parse_ccxt_leverage_tiers(c.text, "f.json"); });
    INFO(c.text << "\n -> " << m);
    CHECK(contains(m, "tiermargin::io::parse_ccxt_leverage_tiers"));
    for (const char* e : c.expect) CHECK(contains(m, e));
    CHECK(io::parse_ccxt_leverage_tiers<double, tmg::quiet_nan>(c.text, "f.json").empty());
    CHECK(io::parse_bybit_risk_limit<double, tmg::quiet_nan>(c.text, "f.json").empty());
  }
}

TEST_CASE("Large symbol maps load completely, in document order", "[io][json][order]") {
  // 40 symbols (past the 16-key linear search) named Z39 .. Z00, i.e. in reverse alphabetical order, so
  // document order differs from any sorted map. Tier i of symbol k: cap 1000 (k + 1), rate 0.01, 50x.
  std::string text = "{";
  for (int k = 39; k >= 0; --k) {
    const std::string name = std::string("Z") + (k < 10 ? "0" : "") + std::to_string(k);
    text += "\"" + name + "\":[{\"maxNotional\":" + std::to_string(1000 * (k + 1)) +
            ",\"maintenanceMarginRate\":0.01,\"maxLeverage\":50}]" + (k ? "," : "}");
  }
  const auto all = io::parse_ccxt_leverage_tiers(text);
  REQUIRE(all.size() == 40);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const int k = 39 - static_cast<int>(i);
    INFO(i);
    CHECK(all[i].symbol == std::string("Z") + (k < 10 ? "0" : "") + std::to_string(k));
    REQUIRE(all[i].rows.size() == 1);
    CHECK(all[i].rows[0].cap == 1000.0 * (k + 1));
  }
}

TEST_CASE("Binance leverageBracket: a symbol listed twice is rejected and not loaded twice", "[io][json][duplicate]") {
  // Found by review: [{"symbol":"X",...}, {"symbol":"X",...}] used to load two tables named X (mmr 0.004 and
  // 0.02); a caller's find_symbol then picked whichever came first.
  const std::string text = R"([{"symbol":"X","brackets":[{"bracket":1,"initialLeverage":125,"notionalCap":50000,)"
                           R"("notionalFloor":0,"maintMarginRatio":0.004,"cum":0}]},)"
                           R"({"symbol":"X","brackets":[{"bracket":1,"initialLeverage":20,"notionalCap":50000,)"
                           R"("notionalFloor":0,"maintMarginRatio":0.02,"cum":0}]}])";
  const std::string m = message_of([&] { (void)io::parse_binance_leverage_brackets(text, "twice.json"); });
  INFO(m);
  CHECK(contains(m, "appears again in entry 2 after entry 1"));
  CHECK(contains(m, "'X'"));
  CHECK(io::parse_binance_leverage_brackets<double, tmg::quiet_nan>(text).empty());
}
