// SPDX-License-Identifier: BSL-1.0
// The loaders apply the venue rules of venues/ (not copies): a table loaded from a venue's JSON equals the
// table the venue header builds from the same published numbers (docs/venues.md §2-§4).
#include <span>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"
#include "support/scalars.hpp"
#include "tiermargin/core/decimal.hpp"
#include "tiermargin/io/csv.hpp"
#include "tiermargin/io/json.hpp"
#include "tiermargin/venues.hpp"

namespace tmg = tiermargin;
namespace io = tiermargin::io;
using test_support::num;

namespace {
template <class Real, class P>
std::vector<tmg::tier<Real>> rows_of(const tmg::tier_table<Real, P>& table) {
  REQUIRE(table.valid());
  return table.rows();
}
}  // namespace

TEMPLATE_TEST_CASE("Loaded venue tables equal the venue headers' tables", "[io][json][venue_rules]", double,
                   tmg::decimal<8>) {
  using Real = TestType;
  SECTION("Hyperliquid: 30x then 10x (1/60 is rounded once, the same way, in decimal<8>)") {
    const auto loaded = io::parse_hyperliquid_margin_table<Real>(
        R"({"description":"t","marginTiers":[{"lowerBound":"0","maxLeverage":30},{"lowerBound":"1000000","maxLeverage":10}]})");
    const tmg::hyperliquid::margin_tier<Real> tiers[] = {{num<Real>("0"), num<Real>("30")},
                                                         {num<Real>("1000000"), num<Real>("10")}};
    const auto venue = tmg::hyperliquid::make_table<Real>(std::span<const tmg::hyperliquid::margin_tier<Real>>(tiers));
    CHECK(rows_of(io::make_tier_table(loaded)) == rows_of(venue));
  }
  SECTION("Bybit inverse: percent rates (0.5 -> 0.005) as bybit::normalise_rate gives them") {
    const auto loaded = io::parse_bybit_risk_limit<Real>(R"({"retCode":0,"result":{"category":"inverse","list":[
 {"symbol":"BTCUSD","riskLimitValue":"300000","maintenanceMargin":"0.33","maxLeverage":"150"},
 {"symbol":"BTCUSD","riskLimitValue":"600000","maintenanceMargin":"0.5","maxLeverage":"100"}]}})");
    REQUIRE(loaded.size() == 1);
    using tmg::bybit::category;
    const tmg::bybit::risk_limit<Real> limits[] = {
        {num<Real>("300000"), tmg::bybit::normalise_rate(num<Real>("0.33"), category::inverse), num<Real>("150")},
        {num<Real>("600000"), tmg::bybit::normalise_rate(num<Real>("0.5"), category::inverse), num<Real>("100")}};
    const auto venue = tmg::bybit::make_table<Real>(std::span<const tmg::bybit::risk_limit<Real>>(limits));
    CHECK(rows_of(io::make_tier_table(loaded[0])) == rows_of(venue));
  }
  SECTION("OKX: minSz = previous maxSz + 1 floors as okx::make_table sets them") {
    const auto loaded = io::parse_okx_position_tiers<Real>(R"({"code":"0","data":[
 {"instId":"BTC-USDT-SWAP","minSz":"1","maxSz":"20000","mmr":"0.004","maxLever":"125"},
 {"instId":"BTC-USDT-SWAP","minSz":"20001","maxSz":"40000","mmr":"0.005","maxLever":"100"}]})");
    REQUIRE(loaded.size() == 1);
    const tmg::okx::position_tier<Real> rows[] = {
        {num<Real>("1"), num<Real>("20000"), num<Real>("0.004"), num<Real>("125")},
        {num<Real>("20001"), num<Real>("40000"), num<Real>("0.005"), num<Real>("100")}};
    const auto venue = tmg::okx::make_table<Real>(std::span<const tmg::okx::position_tier<Real>>(rows));
    CHECK(rows_of(io::make_tier_table<tmg::okx::policies>(loaded[0])) == rows_of(venue));
  }
}

TEST_CASE("A tier CSV without maint_rate applies Hyperliquid's rule only to a valid max leverage",
          "[io][csv_tiers][venue_rules]") {
  // 0.1x would give the rate 1/(2 x 0.1) = 5: the error is the leverage the file holds, not a derived
  // maint_rate column the file does not have. Same requirement as io::parse_hyperliquid_margin_table.
  const std::string csv = "floor,max_leverage\n0,0.1\n";
  CHECK(test_support::message_of([&] { (void)io::parse_tier_csv(csv, "t.csv"); }) ==
        "tiermargin::io::parse_tier_csv: argument 't.csv line 2 column 'max_leverage'' = 0.1: must be finite and >= 1 "
        "(the maintenance rate 1/(2 max_leverage) is derived from it)");
  CHECK(test_support::message_of([] {
          (void)io::parse_hyperliquid_margin_table<double>(
              R"({"description":"t","marginTiers":[{"lowerBound":"0","maxLeverage":0.1}]})");
        }) == "tiermargin::io::parse_hyperliquid_margin_table: tier 1 field 'maxLeverage' of symbol 't' in '<memory>' "
              "= 0.1: must be finite and >= 1 (the maintenance rate 1/(2 max_leverage) is derived from it)");
  CHECK(io::parse_tier_csv<double, test_support::nan_policies>(csv, "t.csv").rows.empty());
}
