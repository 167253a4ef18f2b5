// SPDX-License-Identifier: BSL-1.0
// Tier-table CSV reader/writer: every bundled table (data/README.md) loads into a valid table with
// continuous MM, reads back exactly after writing, and every malformed input is reported.
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"
#include "support/table_checks.hpp"
#include "tiermargin/core/decimal.hpp"
#include "tiermargin/io/csv.hpp"
#include "tiermargin/tiers/margin.hpp"
#include "unit/io/temp_path.hpp"

namespace tmg = tiermargin;
namespace io = tiermargin::io;
using dec8 = tmg::decimal<8>;

namespace {
std::string data(const char* name) { return test_support::data_path(name); }
using test_support::contains;
using test_support::message_of;

using test_support::check_table;
using test_support::near;
}  // namespace

TEMPLATE_TEST_CASE("Bundled tier CSVs load into valid continuous tables", "[io][csv_tiers]", double, dec8) {
  using Real = TestType;
  const auto R = [](const char* s) { return Real(tmg::from_double<Real>(std::stod(s))); };
  for (const char* name : {"binance_usdm_btcusdt_tiers_20241024.csv", "binance_usdm_btcusdt_brackets_ccxt.csv",
                           "binance_usdm_ethusdt_brackets_ccxt.csv", "hyperliquid_btc_tiers_docs.csv",
                           "hyperliquid_eth_tiers_docs.csv"}) {
    INFO(name);
    const auto table = io::read_tier_table<Real>(data(name));
    check_table(table);
  }
  SECTION("Binance BTCUSDT 2024-10-24 (docs/venues.md §1.3 and T3-T5)") {
    const auto table = io::read_tier_table<Real>(data("binance_usdm_btcusdt_tiers_20241024.csv"));
    REQUIRE(table.size() == 12);
    CHECK(table[11].cap == R("1800000000"));  // 1.2B-1.8B at 1x, a finite last cap
    CHECK(table[11].maint_amount == R("421481450"));
    CHECK(near(tmg::maintenance_margin(table, R("100000")), R("450")));       // T3
    CHECK(near(tmg::maintenance_margin(table, R("600000")), R("2950")));      // T4
    CHECK(near(tmg::maintenance_margin(table, R("5000000")), R("38550")));    // T5
    CHECK(near(tmg::maintenance_margin(table, R("20000000")), R("268550")));  // T5
  }
  SECTION("Hyperliquid ETH: rate 1/(2 maxLev) and derived deduction (docs/venues.md §4)") {
    const auto rows = io::read_tiers<Real>(data("hyperliquid_eth_tiers_docs.csv"));
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].maint_rate == tmg::from_double<Real>(1.0) / tmg::from_double<Real>(50.0));
    CHECK(rows[1].maint_rate == tmg::from_double<Real>(1.0) / tmg::from_double<Real>(30.0));
    // data/hyperliquid_margin_tiers_docs.json "derived_by_formula_not_in_source": 1,333,333.33.
    // decimal<8> holds 1/30 as 0.03333333 (half-even), so its deduction may differ by up to
    // 1e8 * 0.5e-8 = 0.5; the recursion itself holds exactly.
    REQUIRE_THAT(tmg::to_double(rows[1].maint_amount),
                 Catch::Matchers::WithinAbs(1333333.33, tmg::scalar_traits<Real>::is_exact ? 0.5 : 0.01));
    CHECK(rows[1].maint_amount == rows[1].floor * (rows[1].maint_rate - rows[0].maint_rate));
    CHECK(!tmg::scalar_traits<Real>::isfinite(rows[1].cap));
    const auto brackets = io::read_brackets<Real>(data("hyperliquid_btc_tiers_docs.csv"));
    REQUIRE(brackets.size() == 2);
    CHECK(brackets[1].floor == R("150000000"));
    CHECK(brackets[1].max_leverage == R("20"));
  }
  SECTION("write then read gives identical rows") {
    for (const char* name : {"binance_usdm_btcusdt_tiers_20241024.csv", "hyperliquid_eth_tiers_docs.csv",
                             "binance_usdm_ethusdt_brackets_ccxt.csv"}) {
      const auto rows = io::read_tiers<Real>(data(name));
      const std::string text = io::format_tiers(rows);
      CHECK(io::parse_tier_csv<Real>(text).rows == rows);
    }
    // A path unique to this process and run (ctest runs binaries in parallel), removed at scope exit.
    std::filesystem::path written;
    {
      const test_support::temp_path file("tiermargin_io_roundtrip", ".csv");
      written = file.path();
      const auto rows = io::read_tiers<Real>(data("binance_usdm_btcusdt_tiers_20241024.csv"));
      REQUIRE(io::write_tiers(file.string(), std::span<const tmg::tier<Real>>(rows)));
      CHECK(io::read_tiers<Real>(file.string()) == rows);
    }
    CHECK(!std::filesystem::exists(written));
  }
}

namespace {
struct flat_policies : tmg::default_policies {
  using convention = tmg::flat_convention;
};
struct quiet_policies : tmg::default_policies {
  using error = tmg::quiet_nan;
};
}  // namespace

TEST_CASE("Tier CSV conventions: flat tables and derived columns", "[io][csv_tiers]") {
  const char* flat = "floor,cap,maint_rate,max_leverage,maint_amount\n0,100,0.01,50,0\n100,,0.02,25,0\n";
  const auto t = io::parse_tier_table<double, flat_policies>(flat);
  REQUIRE(t.valid());
  // Flat: MM(n) = n * mmr_k (jumps at 100): 100 * 0.01 = 1 and 101 * 0.02 = 2.02.
  CHECK(tmg::maintenance_margin(t, 100.0) == 1.0);
  REQUIRE_THAT(tmg::maintenance_margin(t, 101.0), Catch::Matchers::WithinAbs(2.02, 1e-12));
  // The same file under the cumulative convention: its zero deduction contradicts the recursion (100*0.01 = 1).
  const std::string m = message_of([&] { (void)io::parse_tier_csv(flat, "flat.csv"); });
  CHECK(contains(m, "tier 2 field 'maint_amount' in 'flat.csv' = 0"));
  CHECK(contains(m, "recursion"));
    // A Binance table read under the flat convention: its non-zero maint_amount column is rejected, not ignored.
  CHECK(contains(message_of([] {
                   (void)io::read_tier_table<double, flat_policies>(data("binance_usdm_btcusdt_brackets_ccxt.csv"));
                 }),
                 "tier 2 field 'maint_amount'"));
  // Without a cap column caps are the next floors and the last tier is open.
  const auto rows = io::parse_tier_csv("floor,max_leverage,maint_rate\n0,100,0.004\n50000,50,0.005\n").rows;
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].cap == 50000.0);
  CHECK(std::isinf(rows[1].cap));
  REQUIRE_THAT(rows[1].maint_amount, Catch::Matchers::WithinAbs(50.0, 1e-12));  // 50000 * (0.005 - 0.004)
}

TEST_CASE("Malformed tier CSVs name file, line/tier and field", "[io][csv_tiers]") {
  const std::string head = "floor,cap,maint_rate,max_leverage,maint_amount\n0,50000,0.004,125,0\n";
  struct bad_case {
    std::string text;
    const char* expect1;
    const char* expect2;
  };
  const std::vector<bad_case> cases = {
      {head + "50000,,0.0x5,100,50\n", "t.csv line 3 column 'maint_rate'", "0.0x5"},
      {head + "50000,,,100,50\n", "line 3 column 'maint_rate'", "must not be empty"},
      {head + "50000,,0.005,inf,50\n", "line 3 column 'max_leverage'", "must be a decimal number"},
      {head + "50000,,0.005,100\n", "line 3", "number of fields"},
      {"floor,cap,maint_rate,max_lev\n0,,0.004,125\n", "column 'max_lev'", "unknown column"},
      {"floor,cap,maint_rate,floor\n", "column 'floor'", "duplicated"},
      {"floor,cap,maint_rate\n0,,0.01\n", "column 'max_leverage'", "required column is missing"},
      {head + "50000,60000,0.005,100,50\n60000,,0.006,90,111\n", "tier 3 field 'maint_amount'", "= 111"},
      {"floor,cap,maint_rate,max_leverage\n0,,0.004,125\n50000,,0.005,100\n", "line 2 column 'cap'", "only the last"},
      {head + "60000,,0.005,100,60\n", "tier 2 field 'floor' in 't.csv' = 60000", "gap"},
      {head + "40000,,0.005,100,40\n", "tier 2 field 'floor'", "overlap"},
      {head + "50000,,0.003,100,-50\n", "tier 2 field 'maint_rate' in 't.csv' = 0.003", "must not decrease"},
      {head + "50000,,0.005,150,50\n", "tier 2 field 'max_leverage'", "must not increase"},
      {head + "50000,,0.005,100,51\n", "tier 2 field 'maint_amount' in 't.csv' = 51", "recursion"},
      {"floor,cap,maint_rate,max_leverage\n10,,0.004,125\n", "tier 1 field 'floor'", "start at 0"},
      {"floor,cap,maint_rate,max_leverage\n0,,0.02,100\n", "tier 1 field 'max_leverage'", "IMR >= MMR"},
      {"floor,cap,maint_rate,max_leverage\n0,,1.5,1\n", "tier 1 field 'maint_rate'", "(0, 1]"},
      {"floor,cap,maint_rate,max_leverage\n", "tiers' in 't.csv'", "at least one tier"},
      {"", "t.csv", "header"},
  };
  for (const auto& c : cases) {
    const std::string m = message_of([&] { (void)io::parse_tier_csv(c.text, "t.csv"); });
    INFO(c.text << " -> " << m);
    CHECK(contains(m, "io::parse_tier_csv"));
    CHECK(contains(m, c.expect1));
    CHECK(contains(m, c.expect2));
    CHECK(io::parse_tier_csv<double, quiet_policies>(c.text, "t.csv").rows.empty());
    CHECK(!io::parse_tier_table<double, quiet_policies>(c.text, "t.csv").valid());
  }
  // decimal<2> cannot hold 0.004 exactly: an error, not a rounded rate.
  const std::string m = message_of([&] { (void)io::parse_tier_csv<tmg::decimal<2>>(head, "t.csv"); });
  CHECK(contains(m, "line 2 column 'maint_rate'"));
  CHECK(contains(m, "more decimals"));
  const test_support::temp_path absent("tiermargin_io_absent", ".csv");  // unique, never created
  CHECK(contains(message_of([&] { (void)io::read_tiers(absent.string()); }), absent.string()));
}
