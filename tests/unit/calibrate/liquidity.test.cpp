// SPDX-License-Identifier: BSL-1.0
// Liquidity models and the required-margin curve: closed forms worked by hand, a hand-walked order book,
// exact horizons vs square-root-of-time, anti-procyclicality options, and bad input.
#include <cmath>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"
#include "tiermargin/calibrate/liquidity.hpp"
#include "tiermargin/calibrate/required_margin.hpp"
#include "tiermargin/risk/historical.hpp"

namespace tmg = tiermargin;

namespace {
// 201 prices, flat at 100 except one -10% day (100 -> 90) and one +5% day (90 -> 94.5): the 200 simple
// returns are 198 zeros, -0.10 and +0.05. At p = 0.01 (n p = 2) the Acerbi-Tasche ES is the mean of the two
// largest losses (docs/conventions.md conventions): long (0.10 + 0)/2 = 0.05, short (0.05 + 0)/2 = 0.025; worse 0.05.
std::vector<double> one_drop(double drop) {
  std::vector<double> p(201, 100.0);
  for (std::size_t t = 51; t < p.size(); ++t) p[t] = 100.0 * (1.0 - drop);
  for (std::size_t t = 151; t < p.size(); ++t) p[t] = 100.0 * (1.0 - drop) * 1.05;
  return p;
}
}  // namespace

TEST_CASE("impact laws and horizon: closed forms", "[calibrate][liquidity]") {
  // (2/3) Y sigma sqrt(x/V) = 2/3 * 1.5 * 0.03 * sqrt(0.25) = 0.015
  CHECK_THAT((tmg::square_root_impact{1.5, 0.03, 1e6}.rate(2.5e5)), WithinRel(0.015, 1e-14));
  // (1/2) Y sigma x / V = 0.5 * 1 * 0.03 * 0.25 = 0.00375
  CHECK_THAT((tmg::linear_impact{1.0, 0.03, 1e6}.rate(2.5e5)), WithinRel(0.00375, 1e-14));
  tmg::liquidity_model<tmg::square_root_impact> liq{1e6, 0.1, 0.5, 0.0002, 0.001, {1.0, 0.04, 1e6}};
  // h(x) = h0 + x/(pi V) = 0.5 + 2e5/1e5 = 2.5 days
  CHECK_THAT(liq.horizon_days(2e5), WithinRel(2.5, 1e-14));
  // cost = 2/3 * 0.04 * sqrt(0.04) + 0.0002 + 0.001 = 0.0053333.. + 0.0012
  CHECK_THAT(liq.cost_rate(4e4), WithinRel(2.0 / 3.0 * 0.04 * 0.2 + 0.0012, 1e-13));
  const double vol[] = {1.0, 2.0, 3.0, 6.0};
  CHECK(tmg::average_daily_volume(vol) == 3.0);
  CHECK(tmg::average_daily_volume(vol, 2) == 4.5);
  const double r[] = {0.01, -0.01, 0.03, -0.03};  // mean 0, sum of squares 0.002, / 3
  CHECK_THAT(tmg::daily_volatility(r), WithinRel(std::sqrt(0.002 / 3.0), 1e-13));
}

TEST_CASE("order-book impact walks the book and extrapolates beyond its depth", "[calibrate][liquidity]") {
  // bids 100 x1, 99 x2, 98 x5; asks 102 x1, 103 x1; mid 101 (given out of order on purpose)
  const double bp[] = {99.0, 100.0, 98.0}, bq[] = {2.0, 1.0, 5.0};
  const double ap[] = {102.0, 103.0}, aq[] = {1.0, 1.0};
  const tmg::order_book_impact<> book(bp, bq, ap, aq);
  REQUIRE(book.valid());
  CHECK(book.mid() == 101.0);
  CHECK_THAT(book.half_spread(), WithinRel(1.0 / 101.0, 1e-14));
  // x = 202 (2 units): bids fill 100 + 99, average 99.5, (100 - 99.5)/101; asks 102 + 103, (102.5 - 102)/101
  CHECK_THAT(book.side_rate(202.0, true), WithinRel(0.5 / 101.0, 1e-13));
  CHECK_THAT(book.side_rate(202.0, false), WithinRel(0.5 / 101.0, 1e-13));
  CHECK(book.side_rate(101.0, true) == 0.0);  // the touch level alone
  // whole bid book (8 units, 808): 100 + 198 + 490 = 788, average 98.5 -> 1.5/101
  CHECK(book.depth(true) == 808.0);
  CHECK_THAT(book.side_rate(808.0, true), WithinRel(1.5 / 101.0, 1e-13));
  // asks beyond their depth 202: anchored sqrt (0.5/101) sqrt(808/202) = 1/101 beats the fit
  // c = (0.5/101) sqrt(202) / (101 + 202), c sqrt(808) = (0.5/101)(404/303)
  CHECK_THAT(book.sqrt_coefficient(false), WithinRel(0.5 / 101.0 * std::sqrt(202.0) / 303.0, 1e-13));
  CHECK_THAT(book.side_rate(808.0, false), WithinRel(1.0 / 101.0, 1e-13));
  CHECK_THAT(book.rate(808.0), WithinRel(1.5 / 101.0, 1e-13));
  // never zero, non-decreasing far beyond the snapshot
  double previous = 0.0;
  for (double x = 1.0; x < 1e9; x *= 1.7) {
    const double v = book.rate(x);
    CHECK(v >= previous);
    previous = v;
  }
  CHECK(book.rate(1e8) > 0.1);
  // the book as the impact policy of a liquidity model: cost = walk + half-spread + fee
  tmg::liquidity_model<tmg::order_book_impact<>> with_book{1e6, 0.1, 0.0, 1.0 / 101.0, 0.001, book};
  CHECK_THAT(with_book.cost_rate(202.0), WithinRel(0.5 / 101.0 + 1.0 / 101.0 + 0.001, 1e-13));
  const double bad[] = {100.0, -1.0, 98.0};
  REQUIRE_THROWS_AS(tmg::order_book_impact<>(bp, bad, ap, aq), tmg::invalid_argument);
  const double crossed[] = {99.0};
  const double one[] = {1.0};
  REQUIRE_THROWS_AS(tmg::order_book_impact<>(bp, bq, crossed, one), tmg::invalid_argument);
}

TEST_CASE("required-margin curve: exact horizons, sqrt-time scaling, APC options", "[calibrate][required]") {
  const tmg::historical<> hist;
  const std::vector<double> prices = one_drop(0.10);
  tmg::liquidity_model<tmg::no_impact> liq{1e6, 0.1, 0.0, 0.001, 0.002, {}};
  const std::vector<double> x{2.5e4, 1e5, 4e5};
  tmg::required_margin_options opt;
  opt.max_exact_horizon = 1;
  const auto curve = tmg::required_margin(hist, prices, liq, x, opt);
  REQUIRE(curve.rate.size() == 3);
  CHECK(curve.max_exact_horizon == 1);
  // h = x/(pi V): 0.25, 1, 4 days; risk = ES_1 sqrt(h) = 0.05 * (0.5, 1, 2); + spread/2 + fee = 0.003
  CHECK_THAT(curve.horizon_days[2], WithinRel(4.0, 1e-14));
  CHECK_THAT(curve.rate[0], WithinRel(0.025 + 0.003, 1e-12));
  CHECK_THAT(curve.rate[1], WithinRel(0.05 + 0.003, 1e-12));
  CHECK_THAT(curve.rate[2], WithinRel(0.10 + 0.003, 1e-12));
  CHECK_THAT(curve.required[2], WithinRel(4e5 * 0.103, 1e-12));

  SECTION("automatic exact horizon: floor(200 / ceil(1/p)) = 2 periods") {
    tmg::required_margin_options automatic;
    const auto c2 = tmg::required_margin(hist, prices, liq, x, automatic);
    CHECK(c2.max_exact_horizon == 2);
    // 2-day overlapping returns hold the -10% twice (n p = 1.99): ES = (0.1 + 0.99 * 0.1)/1.99 = 0.1;
    // beyond H = 2 the 4-day risk is 0.1 * sqrt(4/2)
    CHECK_THAT(c2.risk_rate[2], WithinRel(0.1 * std::sqrt(2.0), 1e-12));
    CHECK_THAT(c2.risk_rate[1], WithinRel(0.05, 1e-12));
  }
  SECTION("EMIR buffer, stressed weight, long-lookback floor") {
    tmg::required_margin_options apc = opt;
    apc.apc_buffer = 0.25;
    CHECK_THAT(tmg::required_margin(hist, prices, liq, x, apc).rate[1], WithinRel(1.25 * 0.053, 1e-12));
    const std::vector<double> stressed = one_drop(0.20);  // ES_1 = (0.2 + 0)/2 = 0.1
    apc = opt;
    apc.stressed_weight = 0.5;
    CHECK_THAT(tmg::required_margin(hist, prices, liq, x, apc, stressed).risk_rate[1],
               WithinRel(0.5 * 0.05 + 0.5 * 0.1, 1e-12));
    apc = opt;
    apc.long_lookback_floor = true;
    const std::vector<double> long_history = one_drop(0.30);  // ES_1 = 0.15
    const auto floored = tmg::required_margin(hist, prices, liq, x, apc, {}, long_history);
    CHECK_THAT(floored.risk_rate[1], WithinRel(0.15, 1e-12));
  }
}

TEST_CASE("required-margin curve reports bad input", "[calibrate][required][errors]") {
  const tmg::historical<> hist;
  tmg::liquidity_model<tmg::no_impact> liq{1e6, 0.1, 0.0, 0.001, 0.002, {}};
  const std::vector<double> x{1e4, 2e4};
  const auto message = [](auto f) {
    try {
      f();
    } catch (const tmg::error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::vector<double> short_history(50, 100.0);
  const std::string m = message([&] { (void)tmg::required_margin(hist, short_history, liq, x); });
  CHECK(m.find("required_margin") != std::string::npos);
  CHECK(m.find("history too short") != std::string::npos);
  REQUIRE_THROWS_AS(tmg::required_margin(hist, short_history, liq, x), tmg::insufficient_data);
  const std::vector<double> prices = one_drop(0.1);
  tmg::required_margin_options opt;
  opt.max_exact_horizon = 5;
  CHECK(message([&] { (void)tmg::required_margin(hist, prices, liq, x, opt); }).find("max_exact_horizon") !=
        std::string::npos);
  const std::vector<double> bad_x{2e4, 1e4};
  CHECK(message([&] { (void)tmg::required_margin(hist, prices, liq, bad_x); }).find("notionals") != std::string::npos);
  auto bad_liq = liq;
  bad_liq.participation = 0.0;
  CHECK(message([&] { (void)tmg::required_margin(hist, prices, bad_liq, x); }).find("participation") !=
        std::string::npos);
  opt = {};
  opt.stressed_weight = 0.3;
  CHECK(message([&] { (void)tmg::required_margin(hist, prices, liq, x, opt); }).find("stressed") != std::string::npos);
  REQUIRE_THROWS(tmg::required_margin(hist, std::vector<double>(200, -1.0), liq, x));
  const double vol[] = {1.0, -2.0};
  CHECK(message([&] { (void)tmg::average_daily_volume(vol); }).find("volumes") != std::string::npos);
  struct quiet : tmg::default_policies {
    using error = tmg::quiet_nan;
  };
  CHECK(std::isnan(tmg::average_daily_volume<tmg::quiet_nan>(vol)));
  const auto q = tmg::required_margin<quiet>(tmg::historical<quiet>{}, short_history, liq, x);
  CHECK(q.rate.empty());
}

TEST_CASE("bad impact parameters and extreme p are reported", "[calibrate][required][errors]") {
  const tmg::historical<> hist;
  const std::vector<double> prices = one_drop(0.10);
  const std::vector<double> x{2.5e4, 1e5};
  tmg::required_margin_options opt;
  const auto message = [&](const tmg::square_root_impact& impact) {
    tmg::liquidity_model<tmg::square_root_impact> liq{1e6, 0.1, 0.0, 0.001, 0.002, impact};
    try {
      (void)tmg::required_margin(hist, prices, liq, x, opt);
    } catch (const tmg::error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(message({1.0, std::nan(""), 1e6}).find("liquidity.impact.sigma") != std::string::npos);
  CHECK(message({1.0, -0.5, 1e6}).find("liquidity.impact.sigma") != std::string::npos);
  CHECK(message({1.0, 0.04, 0.0}).find("liquidity.impact.daily_volume") != std::string::npos);
  CHECK(message({-1.0, 0.04, 1e6}).find("liquidity.impact.Y") != std::string::npos);
  // A tail probability so small that ceil(1/p) does not fit a size_t: a clear "history too short", no UB.
  tmg::liquidity_model<tmg::no_impact> liq{1e6, 0.1, 0.0, 0.001, 0.002, {}};
  opt.p = 1e-25;
  CHECK_THROWS_AS(tmg::required_margin(hist, prices, liq, x, opt), tmg::insufficient_data);
  CHECK(tmg::historical<>::min_observations(1e-25) >= (std::size_t{1} << 62));
}

TEST_CASE("required-margin curve: finite but huge inputs are reported, never returned as inf",
          "[calibrate][required][overflow]") {
  using test_support::check_error_names;
  const tmg::historical<> hist;
  const std::vector<double> prices = one_drop(0.10);
  tmg::required_margin_options opt;
  opt.max_exact_horizon = 1;
  SECTION("fee near DBL_MAX: the rate is finite, x * rate overflows") {
    // r = ES + fee = 0.05 sqrt(h) + 1e308 (rounds to 1e308); R = 10 * 1e308 > DBL_MAX = 1.797e308.
    const tmg::liquidity_model<tmg::no_impact> liq{1e6, 0.1, 0.0, 0.0, 1e308, {}};
    const std::vector<double> x{10.0};
    check_error_names([&] { (void)tmg::required_margin(hist, prices, liq, x, opt); }, "required_margin",
                      "notionals");
    const auto quiet = tmg::required_margin<test_support::nan_policies>(hist, prices, liq, x, opt);
    for (const double r : quiet.required) CHECK_FALSE(std::isinf(r));
    // x = 1: R = 1e308 is representable and returned.
    const std::vector<double> one{1.0};
    CHECK_THAT(tmg::required_margin(hist, prices, liq, one, opt).required[0], WithinRel(1e308, 1e-15));
  }
  SECTION("half-spread + fee overflow the cost rate") {
    const tmg::liquidity_model<tmg::no_impact> liq{1e6, 0.1, 0.0, 1e308, 1e308, {}};
    const std::vector<double> x{1.0};
    check_error_names([&] { (void)tmg::required_margin(hist, prices, liq, x, opt); }, "required_margin",
                      "liquidity");
  }
  SECTION("finite prices whose simple return overflows: named after required_margin, not the estimator") {
    // 1e-300 -> 1e300 is a simple return of 1e600: inf. Element 100 is the first 1e300 price.
    std::vector<double> jump(201, 1e-300);
    for (std::size_t t = 100; t < jump.size(); ++t) jump[t] = 1e300;
    const tmg::liquidity_model<tmg::no_impact> liq{1e6, 0.1, 0.0, 0.0, 0.0, {}};
    const std::vector<double> x{1.0};
    const std::string what =
        test_support::message_of([&] { (void)tmg::required_margin(hist, jump, liq, x, opt); });
    check_error_names([&] { (void)tmg::required_margin(hist, jump, liq, x, opt); }, "required_margin", "prices");
    CHECK(test_support::contains(what, "element 100"));
    CHECK_FALSE(test_support::contains(what, "historical"));
  }
  SECTION("prices near DBL_MAX: the price risk is huge, the required margin overflows") {
    // 200 returns: 199 zeros and one jump 1 -> 1e308 (simple return 1e308 - 1). Short loss of the jump 1e308;
    // at p = 0.01 (n p = 2) the short ES is (1e308 + 0) / 2 = 5e307. x = 1e6: h = x/(pi V) = 10 days > H = 1,
    // risk = 5e307 sqrt(10) = 1.58e308 (finite), R = 1e6 * 1.58e308 = inf.
    std::vector<double> jump(201, 1.0);
    for (std::size_t t = 100; t < jump.size(); ++t) jump[t] = 1e308;
    const tmg::liquidity_model<tmg::no_impact> liq{1e6, 0.1, 0.0, 0.0, 0.0, {}};
    const std::vector<double> x{1e6};
    check_error_names([&] { (void)tmg::required_margin(hist, jump, liq, x, opt); }, "required_margin",
                      "notionals");
  }
}

TEST_CASE("average_daily_volume and daily_volatility: finite inputs near DBL_MAX", "[calibrate][liquidity][overflow]") {
  // Mean of equal values is that value; the plain sum 2e308 overflows.
  const double big_volumes[] = {1e308, 1e308};
  CHECK_THAT(tmg::average_daily_volume(big_volumes), WithinRel(1e308, 1e-15));
  // {1e200, -1e200}: mean 0, n-1 = 1, sd = sqrt(2e400) = sqrt(2) 1e200 although each square overflows.
  const double big_returns[] = {1e200, -1e200};
  CHECK_THAT(tmg::daily_volatility(big_returns), WithinRel(1.4142135623730951e200, 1e-15));
  // {1.7e308, 1.7e308, 1.7e308}: the sum overflows, the mean is 1.7e308, sd 0.
  const double same[] = {1.7e308, 1.7e308, 1.7e308};
  CHECK(tmg::daily_volatility(same) == 0.0);
  // {1.7e308, -1.7e308}: sd = sqrt(2) 1.7e308 = 2.4e308 > DBL_MAX: reported, NaN under quiet_nan.
  const double huge[] = {1.7e308, -1.7e308};
  test_support::check_error_names([&] { (void)tmg::daily_volatility(huge); }, "daily_volatility", "returns");
  CHECK(std::isnan(tmg::daily_volatility<tmg::quiet_nan>(huge)));
}

TEST_CASE("order_book_impact: a side whose notional overflows is reported", "[calibrate][liquidity][overflow]") {
  // bid 1e10 x 1e300 = 1e310 > DBL_MAX
  const double bp[] = {1e10}, bq[] = {1e300}, ap[] = {1.1e10}, aq[] = {1.0};
  test_support::check_error_names([&] { tmg::order_book_impact<> book(bp, bq, ap, aq); },
                                  "order_book_impact::order_book_impact", "bid_prices");
  const tmg::order_book_impact<test_support::nan_policies> quiet(bp, bq, ap, aq);
  CHECK_FALSE(quiet.valid());
  CHECK(std::isnan(quiet.rate(1.0)));
  // 1.75e298 at 1e10: side notional 1.75e308 fits, but the depth at mid, 1.05e10 x 1.75e298 = 1.8375e308,
  // exceeds DBL_MAX = 1.797e308: reported on the depth.
  const double bq2[] = {1.75e298};
  test_support::check_error_names([&] { tmg::order_book_impact<> book(bp, bq2, ap, aq); },
                                  "order_book_impact::order_book_impact", "bid_quantities");
}

TEST_CASE("required_margin: a confidence level passed as the tail probability is reported by required_margin",
          "[calibrate][required][traps]") {
  const tmg::historical<> hist;
  const std::vector<double> prices = one_drop(0.10);
  const tmg::liquidity_model<tmg::no_impact> liq{1e6, 0.1, 0.0, 0.001, 0.002, {}};
  const std::vector<double> x{2.5e4};
  tmg::required_margin_options opt;
  opt.p = 0.99;  // meant 99%: the tail probability is 0.01
  const std::string what = test_support::message_of([&] { (void)tmg::required_margin(hist, prices, liq, x, opt); });
  CHECK(test_support::contains(what, "tiermargin::required_margin: argument 'options.p' = 0.99"));
  CHECK(test_support::contains(what, "from_confidence"));
  CHECK(tmg::required_margin<test_support::nan_policies>(hist, prices, liq, x, opt).rate.empty());
}
