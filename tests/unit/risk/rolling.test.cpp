// SPDX-License-Identifier: BSL-1.0
// Rolling VaR/ES: equal to a from-scratch computation on every window, and to pandas' rolling quantile.
#include <tiermargin/risk/historical.hpp>
#include <tiermargin/risk/rolling.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "support/catch.hpp"

namespace tmg = tiermargin;

namespace {
struct quiet : tmg::default_policies {
  using error = tmg::quiet_nan;
};

/// From scratch on one window: sort descending, type-1 VaR = k-th worst, ES summed in descending order
/// (the order rolling_historical uses, so the comparison can be exact). Definitions: docs/risk.md section 3.
tmg::var_es_result<double> sorted_reference(std::vector<double> w, double p, tmg::es_convention conv) {
  std::sort(w.begin(), w.end(), std::greater<>());
  const double na = static_cast<double>(w.size()) * p;
  const double fuzz = 4 * std::numeric_limits<double>::epsilon();
  const double m = std::floor(na + fuzz);
  double frac = na - m;
  if (frac < fuzz) frac = 0;
  const auto k = static_cast<std::size_t>(m + (frac > 0 ? 1 : 0));
  tmg::var_es_result<double> r{w[k - 1], 0.0};
  double s = 0;
  if (conv == tmg::es_convention::acerbi_tasche) {
    for (std::size_t i = 0; i < static_cast<std::size_t>(m); ++i) s += w[i];
    if (frac > 0) s += frac * w[static_cast<std::size_t>(m)];
    r.es = s / (m + frac);
  } else {
    for (std::size_t i = 0; i < k; ++i) s += w[i];
    r.es = s / static_cast<double>(k);
  }
  r.es = std::max(r.es, r.var);
  return r;
}

std::vector<double> series(std::size_t n, int shape, std::mt19937_64& rng) {
  std::vector<double> x(n);
  std::normal_distribution<double> normal;
  for (std::size_t i = 0; i < n; ++i) {
    switch (shape) {
      case 0: x[i] = normal(rng); break;
      case 1: x[i] = static_cast<double>(rng() % 6); break;               // ties
      case 2: x[i] = static_cast<double>(i) * 0.01 + 0.1 * normal(rng); break;  // up-trend: every value enters the tail
      default: x[i] = -static_cast<double>(i) + 0.1 * normal(rng); break;       // down-trend
    }
  }
  return x;
}

// lcg_losses of bench/risk/lcg_losses.hpp (repeated here so the test does not depend on bench/)
std::vector<double> lcg_losses(std::size_t n) {
  std::vector<double> out(n);
  std::uint64_t x = 20261124;
  for (double& v : out) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = (static_cast<double>(x >> 12) + 0.5) * 0x1p-52;
    v = 0.01 * ((u - 0.5) / std::sqrt(u * (1.0 - u)));
  }
  return out;
}

#include "pandas_rolling_expected.ipp"
}  // namespace

TEST_CASE("rolling VaR/ES equals the from-scratch computation on every window", "[risk][rolling]") {
  std::mt19937_64 rng(99);
  std::size_t windows = 0;
  for (int trial = 0; trial < 48; ++trial) {
    const std::size_t w = 1 + rng() % 400;
    double p = std::uniform_real_distribution<double>(0.002, 0.5)(rng);
    if (trial % 3 == 0) p = static_cast<double>(1 + rng() % w) / static_cast<double>(w) * 0.5;  // w p integer-ish
    if (std::floor(static_cast<double>(w) * p + 1e-15) < 1.0) p = std::min(0.99, 1.0 / static_cast<double>(w));
    if (std::floor(static_cast<double>(w) * p + 1e-15) < 1.0) continue;
    const std::size_t n = w + rng() % 1500;
    const auto x = series(n, trial % 4, rng);
    const auto conv = trial % 2 == 0 ? tmg::es_convention::acerbi_tasche : tmg::es_convention::worst_k;
    INFO("trial " << trial << " W = " << w << " p = " << p << " n = " << n);
    std::vector<double> var(n - w + 1), es(n - w + 1);
    REQUIRE(tmg::rolling_var_es(x, w, p, var, es, conv) == n - w + 1);
    const tmg::historical<> h(conv);
    for (std::size_t i = 0; i + w <= n; ++i) {
      const std::vector<double> window(x.begin() + static_cast<std::ptrdiff_t>(i),
                                       x.begin() + static_cast<std::ptrdiff_t>(i + w));
      const auto ref = sorted_reference(window, p, conv);
      // bit for bit against the descending-sum reference, and VaR bit for bit against historical
      CHECK(var[i] == ref.var);
      CHECK(es[i] == ref.es);
      CHECK(var[i] == h.var(window, p));
      ++windows;
    }
  }
  CHECK(windows > 10000);
}

TEST_CASE("rolling_historical streams: filling phase, all Hyndman-Fan types, beyond_var", "[risk][rolling]") {
  std::mt19937_64 rng(5);
  const std::size_t w = 120;
  const double p = 0.05;
  const auto x = series(700, 0, rng);
  const auto run = [&](auto policies, tmg::es_convention conv) {
    using P = decltype(policies);
    tmg::rolling_historical<P> roll(w, p, conv);
    const tmg::historical<P> h(conv);
    int mismatches = 0;
    for (std::size_t t = 0; t < x.size(); ++t) {
      roll.push(x[t]);
      const std::size_t first = t + 1 > w ? t + 1 - w : 0;
      const std::vector<double> window(x.begin() + static_cast<std::ptrdiff_t>(first),
                                       x.begin() + static_cast<std::ptrdiff_t>(t + 1));
      CHECK(roll.size() == window.size());
      if (window.size() < tmg::historical<>::min_observations(p)) continue;  // 20 observations needed
      const auto got = roll.var_es();
      const auto want = h.var_es(window, p);
      if (std::isnan(want.es)) {  // beyond_var with nothing above VaR (e.g. type 3 at n p = 1): both NaN
        if (!(std::isnan(got.var) && std::isnan(got.es))) ++mismatches;
      } else if (!(got.var == want.var && std::fabs(got.es - want.es) <= 1e-13 * std::max(1.0, std::fabs(want.es)))) {
        ++mismatches;
      }
    }
    return mismatches;
  };
  CHECK(run(quiet{}, tmg::es_convention::acerbi_tasche) == 0);
  CHECK(run(tmg::with_hyndman_fan<2, quiet>{}, tmg::es_convention::worst_k) == 0);
  CHECK(run(tmg::with_hyndman_fan<3, quiet>{}, tmg::es_convention::beyond_var) == 0);
  CHECK(run(tmg::with_hyndman_fan<5, quiet>{}, tmg::es_convention::acerbi_tasche) == 0);
  CHECK(run(tmg::with_hyndman_fan<7, quiet>{}, tmg::es_convention::beyond_var) == 0);
  CHECK(run(tmg::with_hyndman_fan<9, quiet>{}, tmg::es_convention::acerbi_tasche) == 0);
}

TEST_CASE("rolling type-7 VaR equals pandas rolling(W).quantile(1 - p)", "[risk][rolling]") {
  // Expected values generated by pandas 1.5.3 (bench/risk/pandas_rolling.py --emit-test 400 50 0.05) on the
  // LCG losses; pandas interpolates linearly between the order statistics (Hyndman-Fan type 7), which is
  // symmetric, so quantile(1 - p) of the losses is VaR at tail probability p.
  const auto x = lcg_losses(400);
  const std::size_t w = 50;
  const std::size_t count = sizeof(pandas_rolling_expected) / sizeof(double);
  REQUIRE(count == 400 - w + 1);
  std::vector<double> var(count), es(count);
  tmg::rolling_var_es<tmg::with_hyndman_fan<7>>(x, w, 0.05, var, es);
  double worst = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    CHECK_THAT(var[i], WithinRel(pandas_rolling_expected[i], 1e-13));
    worst = std::max(worst, std::fabs(var[i] - pandas_rolling_expected[i]) / std::fabs(pandas_rolling_expected[i]));
  }
  // Not bit for bit: pandas forms the weight as q (W - 1) - floor(q (W - 1)) = 46.55 - 46, which carries the
  // rounding of 46.55 (~7e-15 absolute); R's rule forms 1 + p (W - 1) - 3 = 0.45 (~4e-16). On the 1e6-step
  // benchmark series the largest relative difference is 1.3e-14 (W = 250), with identical order statistics.
  CHECK(worst < 1e-14);
}

TEST_CASE("rolling errors and non-finite values", "[risk][rolling]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto message = [](auto&& f) {
    try {
      f();
    } catch (const tmg::error& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  std::vector<double> x(60);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>((i * 7) % 60);
  std::vector<double> var(60), es(60);
  SECTION("throw_errors") {
    REQUIRE_THROWS_AS(tmg::rolling_historical<>(0, 0.1), tmg::invalid_argument);
    REQUIRE_THROWS_AS(tmg::rolling_historical<>(20, 0.0), tmg::invalid_argument);
    REQUIRE_THROWS_AS(tmg::rolling_historical<>(20, 1.0), tmg::invalid_argument);
    REQUIRE_THROWS_AS(tmg::rolling_historical<>(20, 0.01), tmg::insufficient_data);  // 20 * 0.01 < 1
    const std::string m_w = message([] { return tmg::rolling_historical<>(20, 0.01).window(); });
    CHECK(m_w.find("rolling_historical") != std::string::npos);
    CHECK(m_w.find("window >= ceil(1/p)") != std::string::npos);
    tmg::rolling_historical<> roll(20, 0.1);
    roll.push(1.0);
    REQUIRE_THROWS_AS(roll.var_es(), tmg::insufficient_data);  // 1 value, 10 needed
    const std::string m_nan = message([&] {
      roll.push(nan);
      return 0;
    });
    CHECK(m_nan.find("rolling_historical::push") != std::string::npos);
    CHECK(roll.size() == 1);  // a rejected value does not enter the window
    REQUIRE_THROWS_AS(tmg::rolling_var_es(x, 61, 0.1, var, es), tmg::insufficient_data);
    std::vector<double> small(5);
    REQUIRE_THROWS_AS(tmg::rolling_var_es(x, 20, 0.1, small, es), tmg::invalid_argument);
    std::vector<double> bad = x;
    bad[33] = -std::numeric_limits<double>::infinity();
    const std::string m_bad = message([&] { return tmg::rolling_var_es(bad, 20, 0.1, var, es); });
    CHECK(m_bad.find("rolling_var_es") != std::string::npos);
    CHECK(m_bad.find("element 33 of 'losses'") != std::string::npos);
    const std::vector<double> flat(40, 1.0);
    REQUIRE_THROWS_AS(tmg::rolling_var_es(flat, 20, 0.1, var, es, tmg::es_convention::beyond_var),
                      tmg::insufficient_data);
    tmg::rolling_historical<> huge(10, 0.2);
    for (int i = 0; i < 10; ++i) huge.push(i < 2 ? 1.5e308 : 1.0);
    REQUIRE_THROWS_AS(huge.var_es(), tmg::invalid_argument);  // the tail sum overflows
    std::vector<double> big_losses(30, 1.0);
    big_losses[12] = big_losses[13] = 1.5e308;
    REQUIRE_THROWS_AS(tmg::rolling_var_es(big_losses, 10, 0.2, var, es), tmg::insufficient_data);
  }
  SECTION("quiet_nan: a non-finite loss makes exactly the windows that hold it NaN") {
    std::vector<double> bad = x;
    bad[33] = nan;
    const std::size_t w = 20;
    REQUIRE(tmg::rolling_var_es<quiet>(bad, w, 0.1, var, es) == 41);
    std::vector<double> clean_var(41), clean_es(41);
    tmg::rolling_var_es(x, w, 0.1, clean_var, clean_es);
    for (std::size_t i = 0; i < 41; ++i) {
      const bool holds = i <= 33 && 33 < i + w;
      INFO("window " << i);
      CHECK(std::isnan(var[i]) == holds);
      CHECK(std::isnan(es[i]) == holds);
      if (!holds) {
        CHECK(var[i] == clean_var[i]);
        CHECK(es[i] == clean_es[i]);
      }
    }
    CHECK(std::isnan(tmg::rolling_historical<quiet>(0, 0.1).var()));
    CHECK(std::isnan(tmg::rolling_historical<quiet>(20, 0.01).es()));
    CHECK(tmg::rolling_var_es<quiet>(x, 61, 0.1, var, es) == 0);
  }
}
