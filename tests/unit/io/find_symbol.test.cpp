// SPDX-License-Identifier: BSL-1.0
// find_symbol returns an optional reference (no unchecked nullptr); symbol_table reports a missing symbol
// through the error policy, naming it and how many symbols were loaded.
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"
#include "tiermargin/io/symbol_tiers.hpp"
#include "tiermargin/tiers/margin.hpp"

namespace tmg = tiermargin;
namespace io = tiermargin::io;
using test_support::contains;
using test_support::message_of;
using test_support::nan_policies;

namespace {
/// Two symbols with the same valid two-tier schedule: 0.4% to 10,000 (125x), then 0.5% (100x); the
/// deduction of tier 2 is 10,000 * (0.005 - 0.004) = 10.
std::vector<io::symbol_tiers<double>> loaded() {
  const double inf = std::numeric_limits<double>::infinity();
  io::symbol_tiers<double> btc;
  btc.symbol = "BTCUSDT";
  btc.rows = {{0.0, 10000.0, 0.004, 125.0, 0.0}, {10000.0, inf, 0.005, 100.0, 10.0}};
  btc.maint_amount_given = true;
  io::symbol_tiers<double> eth = btc;
  eth.symbol = "ETHUSDT";
  return {btc, eth};
}

template <class T>
concept finds_in_temporary = requires { io::find_symbol(std::declval<T>(), "BTCUSDT"); };
}  // namespace

TEST_CASE("find_symbol returns an optional reference into the loaded vector", "[io][find_symbol]") {
  const auto all = loaded();
  using result = decltype(io::find_symbol(all, "BTCUSDT"));
  STATIC_REQUIRE(std::is_same_v<result, std::optional<std::reference_wrapper<const io::symbol_tiers<double>>>>);
  // a temporary vector would leave the reference dangling: refused at compile time
  STATIC_REQUIRE(finds_in_temporary<const std::vector<io::symbol_tiers<double>>&>);
  STATIC_REQUIRE_FALSE(finds_in_temporary<std::vector<io::symbol_tiers<double>>>);

  const auto eth = io::find_symbol(all, "ETHUSDT");
  REQUIRE(eth.has_value());
  CHECK(&eth->get() == &all[1]);
  CHECK_FALSE(io::find_symbol(all, "ethusdt").has_value());  // exact, case-sensitive
  CHECK_FALSE(io::find_symbol(all, "SOLUSDT").has_value());
  CHECK_THROWS_AS(io::find_symbol(all, "SOLUSDT").value(), std::bad_optional_access);
}

TEST_CASE("symbol_table builds the table or reports the missing symbol", "[io][find_symbol]") {
  const auto all = loaded();
  SECTION("found: the venue's table; MM(20,000) = 20,000 * 0.005 - 10 = 90") {
    const auto table = io::symbol_table(all, "BTCUSDT");
    REQUIRE(table.size() == 2);
    CHECK(std::fabs(tmg::maintenance_margin(table, 20000.0) - 90.0) < 1e-9);
  }
  SECTION("missing under throw_errors: names the function, the argument, the symbol and the count") {
    const std::string what = message_of([&] { (void)io::symbol_table(all, "SOLUSDT"); });
    INFO(what);
    CHECK(contains(what, "tiermargin::io::symbol_table"));
    CHECK(contains(what, "'symbol'"));
    CHECK(contains(what, "'SOLUSDT' is not among the 2 symbols loaded"));
    CHECK(contains(what, "e.g. 'BTCUSDT'"));
    CHECK_THROWS_AS(io::symbol_table(all, "SOLUSDT"), tmg::invalid_argument);
    const std::vector<io::symbol_tiers<double>> none;
    CHECK(contains(message_of([&] { (void)io::symbol_table(none, "BTCUSDT"); }), "not among the 0 symbols loaded"));
  }
  SECTION("missing under quiet_nan: an empty table") {
    CHECK(io::symbol_table<nan_policies>(all, "SOLUSDT").size() == 0);
  }
}
