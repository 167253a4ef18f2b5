// SPDX-License-Identifier: BSL-1.0
// Returns -> losses for longs and shorts, price returns, overlapping h-period returns, both tails,
// square-root-of-time scaling.
#include <tiermargin/risk/historical.hpp>
#include <tiermargin/risk/horizon.hpp>
#include <tiermargin/risk/losses.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"

namespace tmg = tiermargin;

namespace {
struct quiet : tmg::default_policies {
  using error = tmg::quiet_nan;
};
constexpr auto simple = tmg::return_kind::simple;
constexpr auto log_kind = tmg::return_kind::log;
constexpr auto long_side = tmg::exposure_side::long_exposure;
constexpr auto short_side = tmg::exposure_side::short_exposure;
using test_support::message_of;
}  // namespace

TEST_CASE("loss_from_return for longs and shorts", "[risk][losses]") {
  // money loss per unit notional (closed forms): price 100 -> 90 is a simple return of -10%
  CHECK(tmg::loss_from_return(-0.1, simple, long_side) == 0.1);
  CHECK(tmg::loss_from_return(-0.1, simple, short_side) == -0.1);
  // log returns: the price doubles (r = ln 2): a short loses 100%, a long gains 100% (loss -1)
  CHECK_THAT(tmg::loss_from_return(std::log(2.0), log_kind, short_side), WithinAbs(1.0, 1e-15));
  CHECK_THAT(tmg::loss_from_return(std::log(2.0), log_kind, long_side), WithinAbs(-1.0, 1e-15));
  // the price halves (r = -ln 2): a long loses 50%
  CHECK_THAT(tmg::loss_from_return(-std::log(2.0), log_kind, long_side), WithinAbs(0.5, 1e-15));
  // round trips
  for (double r : {-0.3, -0.01, 0.0, 0.002, 0.25}) {
    for (auto kind : {simple, log_kind})
      for (auto side : {long_side, short_side}) {
        const double l = tmg::loss_from_return(r, kind, side);
        CHECK_THAT(tmg::return_from_loss(l, kind, side), WithinAbs(r, 1e-15));
      }
  }
}

TEST_CASE("returns_from_prices and overlapping_returns", "[risk][losses][horizon]") {
  const std::vector<double> prices{100.0, 110.0, 99.0, 121.0, 121.0};
  const auto r1 = tmg::returns_from_prices(prices, simple);
  REQUIRE(r1.size() == 4);
  // (110 - 100)/100, (99 - 110)/110, (121 - 99)/99, 0
  CHECK_THAT(r1[0], WithinAbs(0.1, 1e-15));
  CHECK_THAT(r1[1], WithinAbs(-0.1, 1e-15));
  CHECK_THAT(r1[2], WithinAbs(22.0 / 99.0, 1e-15));
  CHECK(r1[3] == 0.0);
  const auto l1 = tmg::returns_from_prices(prices, log_kind);
  CHECK_THAT(l1[0], WithinAbs(std::log(1.1), 1e-15));
  CHECK_THAT(l1[2], WithinAbs(std::log(121.0 / 99.0), 1e-15));
  // h = 2: 99/100 - 1, 121/110 - 1, 121/99 - 1
  const auto r2 = tmg::overlapping_returns(prices, 2, simple);
  REQUIRE(r2.size() == 3);
  CHECK_THAT(r2[0], WithinAbs(-0.01, 1e-15));
  CHECK_THAT(r2[1], WithinAbs(0.1, 1e-15));
  CHECK_THAT(r2[2], WithinAbs(22.0 / 99.0, 1e-15));
  // log h-period returns are the sums of the one-period log returns (exact identity, up to rounding)
  const auto l3 = tmg::overlapping_returns(prices, 3, log_kind);
  REQUIRE(l3.size() == 2);
  CHECK_THAT(l3[0], WithinAbs(l1[0] + l1[1] + l1[2], 1e-15));
  CHECK_THAT(l3[1], WithinAbs(l1[1] + l1[2] + l1[3], 1e-15));
  // h = n - 1: one return; h = 1 is returns_from_prices
  CHECK(tmg::overlapping_returns(prices, 4, simple).size() == 1);
  CHECK(tmg::overlapping_returns(prices, 1, simple) == r1);
  // span form writes n - h values
  std::vector<double> out(10, -7.0);
  CHECK(tmg::overlapping_returns(prices, 2, simple, out) == 3);
  CHECK(out[3] == -7.0);
}

TEST_CASE("both_tails takes the worse of a long and a short", "[risk][losses]") {
  // returns 1%, 2%, ..., 20% losses on the left, only small gains on the right: the long is worse
  std::vector<double> returns;
  for (int i = 1; i <= 20; ++i) returns.push_back(-0.01 * i);
  for (int i = 1; i <= 80; ++i) returns.push_back(0.001 * i);
  const tmg::historical<> h;
  const auto bt = tmg::both_tails(h, returns, 0.05, simple);
  // long losses: 0.20, 0.19, ..., 5th worst = 0.16; ES = mean of the 5 worst = 0.18 (n p = 5)
  CHECK_THAT(bt.long_position.var, WithinAbs(0.16, 1e-15));
  CHECK_THAT(bt.long_position.es, WithinAbs(0.18, 1e-15));
  // short losses: 0.080, 0.079, ..., 5th worst = 0.076; ES = 0.078
  CHECK_THAT(bt.short_position.var, WithinAbs(0.076, 1e-15));
  CHECK_THAT(bt.short_position.es, WithinAbs(0.078, 1e-15));
  CHECK(bt.worse.var == bt.long_position.var);
  CHECK(bt.worse.es == bt.long_position.es);
  // negating the returns swaps the sides
  std::vector<double> flipped(returns.size());
  for (std::size_t i = 0; i < returns.size(); ++i) flipped[i] = -returns[i];
  const auto bf = tmg::both_tails(h, flipped, 0.05, simple);
  CHECK(bf.short_position.var == bt.long_position.var);
  CHECK(bf.worse.var == bt.worse.var);
  // log returns: the short's loss exp(r) - 1 exceeds the long's 1 - exp(-r) for the same |r|
  const std::vector<double> sym{-0.5, 0.5, 0.0, 0.0};
  const auto bl = tmg::both_tails(h, sym, 0.25, log_kind);
  CHECK_THAT(bl.short_position.var, WithinAbs(std::expm1(0.5), 1e-15));
  CHECK_THAT(bl.long_position.var, WithinAbs(-std::expm1(-0.5), 1e-15));
  CHECK(bl.worse.var == bl.short_position.var);
}

TEST_CASE("sqrt_time_scale", "[risk][horizon]") {
  CHECK_THAT(tmg::sqrt_time_scale(0.02, 10.0), WithinAbs(0.02 * std::sqrt(10.0), 1e-17));
  const auto r = tmg::sqrt_time_scale(tmg::var_es_result<double>{0.03, 0.04}, 4.0);
  CHECK_THAT(r.var, WithinAbs(0.06, 1e-16));
  CHECK_THAT(r.es, WithinAbs(0.08, 1e-16));
}

TEST_CASE("losses and horizon errors", "[risk][losses][horizon]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> prices{100.0, 101.0, -3.0, 99.0};
  const std::vector<double> good{100.0, 101.0, 102.0};
  SECTION("throw_errors") {
    const std::string m = message_of([&] { return tmg::overlapping_returns(prices, 1, simple); });
    CHECK(m.find("overlapping_returns") != std::string::npos);
    CHECK(m.find("element 2 of 'prices'") != std::string::npos);
    REQUIRE_THROWS_AS(tmg::overlapping_returns(good, 3, simple), tmg::insufficient_data);
    REQUIRE_THROWS_AS(tmg::overlapping_returns(good, 0, simple), tmg::invalid_argument);
    REQUIRE_THROWS_AS(tmg::returns_from_prices(std::vector<double>{1.0}, simple), tmg::insufficient_data);
    std::vector<double> out(1);
    REQUIRE_THROWS_AS(tmg::overlapping_returns(good, 1, simple, out), tmg::invalid_argument);
    const std::vector<double> r{0.1, nan};
    const std::string mr = message_of([&] { return tmg::losses_from_returns(r, simple, long_side); });
    CHECK(mr.find("losses_from_returns") != std::string::npos);
    CHECK(mr.find("element 1 of 'returns'") != std::string::npos);
    REQUIRE_THROWS_AS(tmg::sqrt_time_scale(0.1, 0.0), tmg::invalid_argument);
    REQUIRE_THROWS_AS(tmg::sqrt_time_scale(nan, 1.0), tmg::invalid_argument);
    // both_tails vets the returns itself, so a NaN return is reported as the caller's 'returns'
    const std::string mb = message_of([&] { return tmg::both_tails(tmg::historical<>{}, r, 0.5, simple); });
    CHECK(mb.find("both_tails: element 1 of 'returns'") != std::string::npos);
  }
  SECTION("quiet_nan") {
    const auto r = tmg::overlapping_returns<quiet>(prices, 1, simple);
    REQUIRE(r.size() == 3);
    for (double v : r) CHECK(std::isnan(v));
    CHECK(tmg::overlapping_returns<quiet>(good, 3, simple).empty());
    CHECK(std::isnan(tmg::sqrt_time_scale<quiet>(0.1, -1.0)));
    const std::vector<double> bad{0.1, nan};
    const auto l = tmg::losses_from_returns<quiet>(bad, simple, long_side);
    CHECK((std::isnan(l[0]) && std::isnan(l[1])));
    const auto bt = tmg::both_tails<quiet>(tmg::historical<quiet>{}, bad, 0.5, simple);
    CHECK(std::isnan(bt.worse.var));
    CHECK(std::isnan(bt.worse.es));
  }
}
