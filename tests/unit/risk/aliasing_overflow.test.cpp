// SPDX-License-Identifier: BSL-1.0
// Input/output aliasing and overflow of finite inputs: every function taking an input span and an output or
// scratch span either reports an overlap naming the output argument, or (where documented) works in place;
// finite prices whose simple return overflows are reported, never returned as inf.
#include <tiermargin/risk/historical.hpp>
#include <tiermargin/risk/horizon.hpp>
#include <tiermargin/risk/losses.hpp>
#include <tiermargin/risk/quantile.hpp>
#include <tiermargin/risk/rolling.hpp>

#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"

namespace tmg = tiermargin;
using test_support::check_error_names;
using test_support::nan_policies;

namespace {
/// 0.5, 1.5, ..., n - 0.5 in a scrambled order (i * 7919 mod n is a permutation for n coprime to 7919).
std::vector<double> scrambled_half_integers(std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<double>((i * 7919) % n) + 0.5;
  return v;
}
}  // namespace

TEST_CASE("historical::var_es reports a scratch that overlaps the losses", "[risk][historical][aliasing]") {
  constexpr std::size_t n = 100000;
  std::vector<double> losses = scrambled_half_integers(n);
  const std::vector<double> original = losses;
  const std::span<const double> in(losses);
  const tmg::historical<> hist;
  // Reference by hand: losses are {0.5, ..., n - 0.5}; at p = 0.01, k = n p = 1000 and the 1000th worst is
  // n - 1000 + 0.5 = 99000.5 (type 1); the Acerbi-Tasche ES is the mean of the 1000 worst, 99500.
  std::vector<double> separate(n);
  const auto ok = hist.var_es(in, 0.01, separate);
  CHECK(ok.var == 99000.5);
  CHECK(ok.es == 99500.0);

  SECTION("scratch is the losses themselves") {
    check_error_names([&] { (void)hist.var_es(in, 0.01, std::span<double>(losses)); }, "historical::var_es",
                      "scratch");
    check_error_names([&] { (void)hist.var(in, 0.01, std::span<double>(losses)); }, "historical::var", "scratch");
    check_error_names([&] { (void)hist.es(in, 0.01, std::span<double>(losses)); }, "historical::es", "scratch");
  }
  SECTION("partial overlap, quiet policy: NaN and the const input untouched") {
    std::vector<double> storage(n + n / 2);
    std::copy(original.begin(), original.end(), storage.begin());
    const std::span<const double> head(storage.data(), n);
    const std::span<double> overlapping(storage.data() + n / 2, n);
    const auto r = tmg::historical<nan_policies>{}.var_es(head, 0.01, overlapping);
    CHECK(std::isnan(r.var));
    CHECK(std::isnan(r.es));
    CHECK(std::equal(original.begin(), original.end(), storage.begin()));
  }
  SECTION("adjacent, non-overlapping buffers are accepted") {
    std::vector<double> storage(2 * n);
    std::copy(original.begin(), original.end(), storage.begin());
    const auto r = hist.var_es(std::span<const double>(storage.data(), n), 0.01,
                               std::span<double>(storage.data() + n, n));
    CHECK(r.var == 99000.5);
    CHECK(r.es == 99500.0);
  }
  CHECK(losses == original);
}

TEST_CASE("sample_quantile reports a scratch that overlaps the sample", "[risk][quantile][aliasing]") {
  std::vector<double> sample{3.0, 1.0, 2.0, 5.0, 4.0};
  const std::span<const double> in(sample);
  check_error_names([&] { (void)tmg::sample_quantile(in, 0.5, std::span<double>(sample)); }, "sample_quantile",
                    "scratch");
  CHECK(std::isnan(tmg::sample_quantile<nan_policies>(std::span<const double>(sample), 0.5,
                                                      std::span<double>(sample).subspan(1, 4))));
  CHECK(sample == std::vector<double>{3.0, 1.0, 2.0, 5.0, 4.0});
}

TEST_CASE("both_tails reports a scratch that overlaps the returns", "[risk][losses][aliasing]") {
  std::vector<double> returns(200, 0.0);
  returns[10] = -0.10;
  returns[20] = 0.05;
  const tmg::historical<> hist;
  // Separate scratch, by hand (p = 0.01, n p = 2, Acerbi-Tasche = mean of the 2 worst): long ES (0.10 + 0)/2,
  // short ES (0.05 + 0)/2.
  std::vector<double> scratch(200);
  const auto r = tmg::both_tails(hist, returns, 0.01, tmg::return_kind::simple, scratch);
  CHECK_THAT(r.long_position.es, WithinAbs(0.05, 1e-17));
  CHECK_THAT(r.short_position.es, WithinAbs(0.025, 1e-17));
  // In place the second pass would read the long losses as returns and report the long tail for the short.
  check_error_names([&] { (void)tmg::both_tails(hist, returns, 0.01, tmg::return_kind::simple, returns); },
                    "both_tails", "scratch");
  const auto q = tmg::both_tails<nan_policies>(hist, returns, 0.01, tmg::return_kind::simple, returns);
  CHECK(std::isnan(q.worse.es));
  CHECK(returns[10] == -0.10);
}

TEST_CASE("losses_from_returns and returns_from_prices: in place allowed, partial overlap reported",
          "[risk][losses][aliasing]") {
  SECTION("losses in place: long simple loss = -r") {
    std::vector<double> x{0.01, -0.02, 0.5};
    CHECK(tmg::losses_from_returns(std::span<const double>(x), std::span<double>(x), tmg::return_kind::simple,
                                   tmg::exposure_side::long_exposure) == 3);
    CHECK(x == std::vector<double>{-0.01, 0.02, -0.5});
  }
  SECTION("losses shifted by one slot") {
    std::vector<double> x{0.01, -0.02, 0.5, 0.0};
    const std::span<const double> in(x.data(), 3);
    check_error_names([&] {
      (void)tmg::losses_from_returns(in, std::span<double>(x).subspan(1), tmg::return_kind::simple,
                                     tmg::exposure_side::long_exposure);
    }, "losses_from_returns", "out");
  }
  SECTION("returns in place: 100 -> 110 -> 99 gives +10% and -10%") {
    std::vector<double> p{100.0, 110.0, 99.0};
    CHECK(tmg::returns_from_prices(std::span<const double>(p), std::span<double>(p), tmg::return_kind::simple) == 2);
    CHECK_THAT(p[0], WithinAbs(0.1, 1e-15));
    CHECK_THAT(p[1], WithinAbs(-0.1, 1e-15));
  }
  SECTION("returns written one slot after the prices") {
    std::vector<double> p{100.0, 110.0, 99.0, 0.0};
    const std::span<const double> in(p.data(), 3);
    check_error_names(
        [&] { (void)tmg::returns_from_prices(in, std::span<double>(p).subspan(1), tmg::return_kind::simple); },
        "returns_from_prices", "out");
  }
}

TEST_CASE("returns_from_prices: finite prices whose simple return overflows", "[risk][losses][overflow]") {
  const std::vector<double> prices{1e-300, 1e300};
  std::vector<double> out(1);
  const std::string what = test_support::message_of(
      [&] { (void)tmg::returns_from_prices(prices, out, tmg::return_kind::simple); });
  check_error_names([&] { (void)tmg::returns_from_prices(prices, out, tmg::return_kind::simple); },
                    "returns_from_prices", "prices");
  CHECK(test_support::contains(what, "element 1"));
  CHECK(tmg::returns_from_prices<nan_policies>(prices, out, tmg::return_kind::simple) == 1);
  CHECK(std::isnan(out[0]));
  // The log return stays finite: ln(1e300) - ln(1e-300) = 600 ln 10 = 1381.5510557964274 (600 * 2.302585092994046).
  CHECK(tmg::returns_from_prices(prices, out, tmg::return_kind::log) == 1);
  CHECK_THAT(out[0], WithinRel(600.0 * 2.302585092994046, 1e-14));
}

TEST_CASE("rolling_var_es: var_out in place over the losses, other overlaps reported", "[risk][rolling][aliasing]") {
  // window 4, p = 0.25: n p = 1, VaR = ES = the largest loss in the window (by hand):
  // [1 5 2 3] -> 5, [5 2 3 4] -> 5, [2 3 4 0] -> 4.
  std::vector<double> x{1.0, 5.0, 2.0, 3.0, 4.0, 0.0};
  std::vector<double> es(3);
  const std::span<const double> in(x);
  CHECK(tmg::rolling_var_es(in, 4, 0.25, std::span<double>(x), es) == 3);
  CHECK(x[0] == 5.0);
  CHECK(x[1] == 5.0);
  CHECK(x[2] == 4.0);
  CHECK(es == std::vector<double>{5.0, 5.0, 4.0});

  std::vector<double> y{1.0, 5.0, 2.0, 3.0, 4.0, 0.0};
  const std::span<const double> yin(y);
  check_error_names([&] { (void)tmg::rolling_var_es(yin, 4, 0.25, std::span<double>(y).subspan(1), es); },
                    "rolling_var_es", "var_out");
  std::vector<double> both(3);
  check_error_names([&] { (void)tmg::rolling_var_es(yin, 4, 0.25, both, both); }, "rolling_var_es", "es_out");
  CHECK(test_support::contains(test_support::message_of([&] { (void)tmg::rolling_var_es(yin, 4, 0.25, both, both); }),
                               "must not overlap var_out"));
  CHECK(tmg::rolling_var_es<nan_policies>(yin, 4, 0.25, both, both) == 3);
  CHECK(std::isnan(both[0]));
}

TEST_CASE("rolling window: an absurd window is reported, not failed in the allocator", "[risk][rolling][limits]") {
  // 2^32 - 4 passed the old 32-bit-slot check and then asked for ~112 GB of state.
  const std::size_t absurd = (std::size_t{1} << 32) - 4;
  check_error_names([&] { tmg::rolling_historical<> r(absurd, 0.01); }, "rolling_historical::rolling_historical",
                    "window");
  const tmg::rolling_historical<nan_policies> quiet(absurd, 0.01);
  CHECK(std::isnan(quiet.var_es().var));
  check_error_names([] { tmg::rolling_historical<> r(tmg::max_rolling_window + 1, 0.5); },
                    "rolling_historical::rolling_historical", "window");
}

TEST_CASE("overlapping_returns: in place allowed, partial overlap and overflow reported", "[risk][horizon][aliasing]") {
  SECTION("in place, h = 2: 100 -> 121 over two periods is +21%, 110 -> 99 is -10%") {
    std::vector<double> p{100.0, 110.0, 121.0, 99.0};
    CHECK(tmg::overlapping_returns(std::span<const double>(p), 2, tmg::return_kind::simple, std::span<double>(p)) == 2);
    CHECK_THAT(p[0], WithinAbs(0.21, 1e-15));
    CHECK_THAT(p[1], WithinAbs(-0.1, 1e-15));
  }
  SECTION("written one slot after the prices") {
    std::vector<double> p{100.0, 110.0, 121.0, 0.0};
    const std::span<const double> in(p.data(), 3);
    check_error_names([&] {
      (void)tmg::overlapping_returns(in, 1, tmg::return_kind::simple, std::span<double>(p).subspan(1));
    }, "overlapping_returns", "out");
  }
  SECTION("a simple return beyond the largest double") {
    const std::vector<double> prices{1e-300, 1.0, 1e300};
    std::vector<double> out(1);
    const std::string what = test_support::message_of(
        [&] { (void)tmg::overlapping_returns(prices, 2, tmg::return_kind::simple, std::span<double>(out)); });
    CHECK(test_support::contains(what, "overlapping_returns"));
    CHECK(test_support::contains(what, "element 2"));
    CHECK(tmg::overlapping_returns<nan_policies>(prices, 2, tmg::return_kind::simple, std::span<double>(out)) == 1);
    CHECK(std::isnan(out[0]));
    // Log: ln(1e300) - ln(1e-300) = 600 ln 10, finite.
    CHECK(tmg::overlapping_returns(prices, 2, tmg::return_kind::log, std::span<double>(out)) == 1);
    CHECK_THAT(out[0], WithinRel(600.0 * 2.302585092994046, 1e-14));
  }
}

TEST_CASE("log returns: tiny and huge price ratios are finite, their short losses overflow loudly",
          "[risk][losses][overflow]") {
  SECTION("returns_from_prices {1, 1e-17}: ln(1e-17) = -39.143946580898778 (17 ln 10), not an overflow") {
    // (b - a) / a rounds to exactly -1 here, so log1p would give -inf; the difference of logs is finite.
    const std::vector<double> prices{1.0, 1e-17};
    const auto r = tmg::returns_from_prices(prices, tmg::return_kind::log);
    REQUIRE(r.size() == 1);
    CHECK_THAT(r[0], WithinRel(-17.0 * 2.302585092994046, 1e-14));
    const std::vector<double> down{1e17, 1.0};
    CHECK_THAT(tmg::returns_from_prices(down, tmg::return_kind::log)[0], WithinRel(-17.0 * 2.302585092994046, 1e-14));
    const std::vector<double> subnormal{1.0, 5e-324};
    // ln(4.94e-324) = -744.44007192138127 (the smallest subnormal is 2^-1074: -1074 ln 2).
    CHECK_THAT(tmg::returns_from_prices(subnormal, tmg::return_kind::log)[0], WithinRel(-1074.0 * 0.6931471805599453, 1e-14));
  }
  SECTION("losses_from_returns: a short's loss on a log return of 710 is exp(710) - 1 > DBL_MAX") {
    const std::vector<double> returns{0.01, 710.0};
    std::vector<double> out(2);
    const std::string what = test_support::message_of([&] {
      (void)tmg::losses_from_returns(returns, out, tmg::return_kind::log, tmg::exposure_side::short_exposure);
    });
    CHECK(test_support::contains(what, "tiermargin::losses_from_returns: element 1 of 'returns' = 710"));
    CHECK(tmg::losses_from_returns<nan_policies>(returns, out, tmg::return_kind::log,
                                                 tmg::exposure_side::short_exposure) == 2);
    CHECK(std::isnan(out[1]));
    CHECK_FALSE(std::isinf(out[0]));
    // The long's loss, 1 - exp(710), is -inf as well: same report.
    check_error_names([&] {
      (void)tmg::losses_from_returns(returns, out, tmg::return_kind::log, tmg::exposure_side::long_exposure);
    }, "losses_from_returns", "returns");
  }
  SECTION("both_tails names its own 'returns', not the estimator's 'losses'") {
    std::vector<double> returns(20, 0.001);
    returns[2] = 710.0;
    const std::string what = test_support::message_of(
        [&] { (void)tmg::both_tails(tmg::historical<>{}, returns, 0.1, tmg::return_kind::log); });
    CHECK(test_support::contains(what, "tiermargin::both_tails: element 2 of 'returns' = 710"));
    returns[2] = std::numeric_limits<double>::quiet_NaN();
    check_error_names([&] { (void)tmg::both_tails(tmg::historical<>{}, returns, 0.1, tmg::return_kind::simple); },
                      "both_tails", "returns");
    const auto quiet = tmg::both_tails<nan_policies>(tmg::historical<nan_policies>{}, returns, 0.1,
                                                     tmg::return_kind::simple);
    CHECK(std::isnan(quiet.worse.var));
  }
}
