// SPDX-License-Identifier: BSL-1.0
// Historical VaR/ES: published vectors (docs/risk.md), properties on random samples, and the fast selection
// against a full-sort reference.
#include <tiermargin/risk/historical.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "support/catch.hpp"

namespace tmg = tiermargin;

namespace {
struct quiet : tmg::default_policies {
  using error = tmg::quiet_nan;
};
template <int T>
using hf = tmg::with_hyndman_fan<T>;

std::vector<double> losses_1_to(int n) {
  std::vector<double> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 1.0);
  std::mt19937_64 rng(static_cast<unsigned>(n));
  std::shuffle(v.begin(), v.end(), rng);  // order must not matter
  return v;
}

/// Reference by full sort, written from the definitions in docs/risk.md section 3 (not from the library):
/// VaR = -Q_p(P&L) with R's type-t rule; ES by convention.
/// `pnl` is the P&L (negated losses) sorted ascending.
tmg::var_es_result<double> reference_sorted(const std::vector<double>& pnl, double p, int type,
                                            tmg::es_convention conv) {
  const std::size_t n = pnl.size();
  const double nd = static_cast<double>(n);
  const double fuzz = 4 * std::numeric_limits<double>::epsilon();
  // R stats::quantile, the code path of quantile.default (R 4.2), 1-based order statistics
  double nppm, h;
  double j;
  if (type <= 3) {
    nppm = type == 3 ? nd * p - 0.5 : nd * p;
    j = std::floor(nppm + fuzz);
    if (type == 1) h = nppm > j ? 1 : 0;
    else if (type == 2) h = nppm > j ? 1 : 0.5;
    else h = (nppm != j || std::fmod(j, 2.0) != 0.0) ? 1 : 0;
  } else {
    const double ab[6][2] = {{0, 1}, {0.5, 0.5}, {0, 0}, {1, 1}, {1.0 / 3, 1.0 / 3}, {3.0 / 8, 3.0 / 8}};
    const double a = ab[type - 4][0], b = ab[type - 4][1];
    nppm = a + p * (nd + 1 - a - b);
    j = std::floor(nppm + fuzz);
    h = nppm - j;
    if (std::fabs(h) < fuzz) h = 0;
  }
  const auto at = [&](double k) {  // x_(k) with R's padding
    const double c = std::min(std::max(k, 1.0), nd);
    return pnl[static_cast<std::size_t>(c) - 1];
  };
  const double lo = at(j), hi = at(j + 1);
  double q = lo;
  if (h == 1) q = hi;
  else if (h > 0 && lo != hi) q = (1 - h) * lo + h * hi;
  tmg::var_es_result<double> r{-q, 0.0};
  const auto worst = [&](std::size_t i) { return -pnl[i]; };  // losses sorted from the worst
  const double na = nd * p;
  double m = std::floor(na + fuzz);
  double frac = na - m;
  if (frac < fuzz) frac = 0;
  switch (conv) {
    case tmg::es_convention::acerbi_tasche: {
      double s = 0;
      for (std::size_t i = 0; i < static_cast<std::size_t>(m); ++i) s += worst(i);
      if (frac > 0) s += frac * worst(static_cast<std::size_t>(m));
      r.es = s / (m + frac);
      break;
    }
    case tmg::es_convention::worst_k: {
      const auto k = static_cast<std::size_t>(m + (frac > 0 ? 1 : 0));
      double s = 0;
      for (std::size_t i = 0; i < k; ++i) s += worst(i);
      r.es = s / static_cast<double>(k);
      break;
    }
    case tmg::es_convention::beyond_var: {
      double s = 0;
      int c = 0;
      for (std::size_t i = 0; i < n && worst(i) > r.var; ++i) s += worst(i), ++c;
      r.es = c > 0 ? s / c : std::numeric_limits<double>::quiet_NaN();
      break;
    }
  }
  r.es = std::max(r.es, r.var);
  return r;
}

std::vector<double> sorted_pnl(const std::vector<double>& losses) {
  std::vector<double> pnl(losses.size());
  std::transform(losses.begin(), losses.end(), pnl.begin(), [](double l) { return -l; });
  std::sort(pnl.begin(), pnl.end());
  return pnl;
}

tmg::var_es_result<double> reference(const std::vector<double>& losses, double p, int type, tmg::es_convention conv) {
  return reference_sorted(sorted_pnl(losses), p, type, conv);
}

template <int T>
tmg::var_es_result<double> fast(const std::vector<double>& x, double p, tmg::es_convention conv) {
  // the property test below also covers p in (0.5, 1): the upper tail is opted in explicitly
  return tmg::historical<tmg::allow_upper_tail<tmg::with_hyndman_fan<T, quiet>>>(conv).var_es(x, p);
}
tmg::var_es_result<double> fast_by_type(int t, const std::vector<double>& x, double p, tmg::es_convention conv) {
  switch (t) {
    case 1: return fast<1>(x, p, conv);
    case 2: return fast<2>(x, p, conv);
    case 3: return fast<3>(x, p, conv);
    case 4: return fast<4>(x, p, conv);
    case 5: return fast<5>(x, p, conv);
    case 6: return fast<6>(x, p, conv);
    case 7: return fast<7>(x, p, conv);
    case 8: return fast<8>(x, p, conv);
    default: return fast<9>(x, p, conv);
  }
}

bool close(double a, double b, double rel = 1e-12) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::fabs(a - b) <= rel * std::max(1.0, std::max(std::fabs(a), std::fabs(b)));
}
}  // namespace

TEST_CASE("historical VaR/ES on published vectors", "[risk][historical]") {
  SECTION("losses 1..10, p = 0.25 (docs/risk.md section 6: Boost.Accumulators right tail, Acerbi-Tasche 9.2)") {
    const auto x = losses_1_to(10);
    const auto at = tmg::historical<>{}.var_es(x, 0.25);
    CHECK(at.var == 8.0);                      // ceil(2.5) = 3rd worst
    CHECK_THAT(at.es, WithinAbs(9.2, 1e-14));  // (10 + 9 + 0.5 * 8) / 2.5
    // non_coherent_tail_mean = mean of the ceil(n a) = 3 worst = 9 (docs/risk.md section 6)
    CHECK_THAT(tmg::historical<>(tmg::es_convention::worst_k).es(x, 0.25), WithinAbs(9.0, 1e-14));
    // strictly beyond VaR: mean(10, 9) (QuantLib's strict "<")
    CHECK_THAT(tmg::historical<>(tmg::es_convention::beyond_var).es(x, 0.25), WithinAbs(9.5, 1e-14));
  }
  SECTION("P&L -1..-1000 (losses 1..1000), docs/risk.md sections 1 and 8.1") {
    const auto x = losses_1_to(1000);
    // literal p = 0.01: k = 10, VaR = 10th worst = 991, ES = mean of the 10 worst = 995.5
    const auto r = tmg::historical<>{}.var_es(x, 0.01);
    CHECK(r.var == 991.0);
    CHECK_THAT(r.es, WithinAbs(995.5, 1e-12));
    CHECK(tmg::historical<>{}.var(x, tmg::from_confidence(0.99)) == 991.0);
    // p = 1 - 0.99 = 0.010000000000000009: 11th worst = 990, QuantLib's valueAtRisk(0.99) (R, section 1)
    CHECK(tmg::historical<>{}.var(x, 1.0 - 0.99) == 990.0);
  }
  SECTION("docs/risk.md T3 through the loss-side estimator: VaR = -quantile(P&L, p, type)") {
    const auto x250 = losses_1_to(250);
    const auto x1000 = losses_1_to(1000);
    const double t250[9] = {-248, -248, -249, -248.5, -248, -248.49, -247.51, -248.16333333333333, -248.1225};
    const double t1000[9] = {-991, -990.5, -991, -991, -990.5, -990.99, -990.01, -990.66333333333333, -990.6225};
    for (int t = 1; t <= 9; ++t) {
      INFO("type " << t);
      CHECK_THAT(fast_by_type(t, x250, 0.01, tmg::es_convention::acerbi_tasche).var, WithinAbs(-t250[t - 1], 1e-9));
      CHECK_THAT(fast_by_type(t, x1000, 0.01, tmg::es_convention::acerbi_tasche).var,
                 WithinAbs(-t1000[t - 1], 1e-9));
    }
  }
  SECTION("PerformanceAnalytics historical (docs/risk.md section 2): type-7 VaR, ES strictly beyond it") {
    // P&L -(1..250), p = 0.01: VaR = -quantile(type 7) = 247.51 (T3); ES = mean(248, 249, 250) = 249
    const auto x = losses_1_to(250);
    const auto r = tmg::historical<hf<7>>(tmg::es_convention::beyond_var).var_es(x, 0.01);
    CHECK_THAT(r.var, WithinAbs(247.51, 1e-9));
    CHECK_THAT(r.es, WithinAbs(249.0, 1e-12));
  }
  SECTION("LCH SwapClear style: average of the 6 worst of 2500 (docs/risk.md section 3)") {
    const auto x = losses_1_to(2500);
    const double p = 6.0 / 2500.0;
    CHECK_THAT(tmg::historical<>(tmg::es_convention::worst_k).es(x, p), WithinAbs((2500 + 2499 + 2498 + 2497 + 2496 + 2495) / 6.0, 1e-9));
  }
}

TEST_CASE("historical fast selection equals a full sort", "[risk][historical]") {
  std::mt19937_64 rng(20261124);
  std::normal_distribution<double> normal;
  const tmg::es_convention conventions[] = {tmg::es_convention::acerbi_tasche, tmg::es_convention::worst_k,
                                            tmg::es_convention::beyond_var};
  int checked = 0;
  for (int trial = 0; trial < 120; ++trial) {
    std::size_t n;
    switch (trial % 4) {
      case 0: n = 1 + rng() % 40; break;          // tiny
      case 1: n = 40 + rng() % 4000; break;       // copy-everything path
      default: n = 4096 + rng() % 30000; break;   // sampled-threshold path
    }
    std::vector<double> x(n);
    const int shape = trial % 5;
    for (std::size_t i = 0; i < n; ++i) {
      if (shape == 0) x[i] = static_cast<double>(rng() % 9);                    // heavy ties
      else if (shape == 1) x[i] = std::exp(2.0 * normal(rng));                 // skewed
      else if (shape == 2) x[i] = static_cast<double>(i % 1000) * 1e-3;        // periodic
      else x[i] = normal(rng);
    }
    double p;
    if (trial % 3 == 0) p = static_cast<double>(1 + rng() % std::max<std::size_t>(1, n / 2)) / static_cast<double>(n);  // n p integer
    else p = std::uniform_real_distribution<double>(0.0005, 0.6)(rng);
    if (std::floor(static_cast<double>(n) * p + 1e-15) < 1.0) p = std::min(0.99, 1.5 / static_cast<double>(n));
    if (std::floor(static_cast<double>(n) * p + 1e-15) < 1.0) continue;  // n = 1: no p in (0, 1) is enough
    const auto pnl = sorted_pnl(x);
    INFO("n = " << n << " p = " << p);
    for (int t = 1; t <= 9; ++t)
      for (auto conv : conventions) {
        const auto got = fast_by_type(t, x, p, conv);
        const auto want = reference_sorted(pnl, p, t, conv);
        INFO("type " << t << " convention " << static_cast<int>(conv));
        if (std::isnan(want.es)) {  // beyond_var with nothing above VaR: an error, NaN under quiet_nan
          CHECK(std::isnan(got.var));
          CHECK(std::isnan(got.es));
        } else {
          CHECK(got.var == want.var);
          CHECK(close(got.es, want.es));
        }
        ++checked;
      }
  }
  CHECK(checked > 80 * 27);
}

TEST_CASE("historical: the threshold sample can miss, the result cannot", "[risk][historical]") {
  // Large losses exactly on the strided sample positions (stride n / s with s = 64 n / need, see
  // historical.hpp) make the sampled threshold far too high; the estimator must fall back to the full copy.
  const std::size_t n = 100000;
  const double p = 0.01;
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i)
    x[i] = i % 15 == 0 ? 1000.0 + static_cast<double>(i) * 1e-3 : static_cast<double>((i * 37) % 1000) * 1e-3;
  for (auto conv : {tmg::es_convention::acerbi_tasche, tmg::es_convention::worst_k}) {
    const auto got = tmg::historical<>(conv).var_es(x, p);
    const auto want = reference(x, p, 1, conv);
    CHECK(got.var == want.var);
    CHECK(close(got.es, want.es));
  }
  // the opposite trap: small losses on the sampled positions make the threshold far too low, so nearly every
  // value is a candidate and overflows the allocating members' small candidate buffer (they retry with n)
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i)
    y[i] = i % 15 == 0 ? -1000.0 - static_cast<double>(i) : static_cast<double>((i * 7919) % 100003) * 1e-2;
  for (auto conv : {tmg::es_convention::acerbi_tasche, tmg::es_convention::beyond_var}) {
    const auto got = tmg::historical<>(conv).var_es(y, p);
    const auto want = reference(y, p, 1, conv);
    CHECK(got.var == want.var);
    CHECK(close(got.es, want.es));
  }
  // and the scratch overload gives the same answer without allocating
  std::vector<double> scratch(tmg::historical<>::scratch_size(n));
  CHECK(tmg::historical<>{}.var_es(x, p, scratch).var == reference(x, p, 1, tmg::es_convention::acerbi_tasche).var);
}

TEST_CASE("historical properties on random samples", "[risk][historical]") {
  std::mt19937_64 rng(7);
  std::student_t_distribution<double> t3(3.0);
  const tmg::historical<> at;
  for (int trial = 0; trial < 40; ++trial) {
    const std::size_t n = trial % 2 == 0 ? 500 + rng() % 500 : 5000 + rng() % 20000;
    std::vector<double> x(n), y(n);
    for (auto& v : x) v = t3(rng);
    for (auto& v : y) v = t3(rng);
    const double ps[] = {0.2, 0.1, 0.05, 0.025, 0.01};
    double prev_var = -std::numeric_limits<double>::infinity(), prev_es = prev_var;
    for (double p : ps) {
      const auto r = at.var_es(x, p);
      CHECK(r.es >= r.var);
      // monotone in confidence: a smaller tail probability never lowers VaR or ES
      CHECK(r.var >= prev_var);
      CHECK(r.es >= prev_es);
      prev_var = r.var;
      prev_es = r.es;
      // translation and positive-scale equivariance: rho(a L + c) = a rho(L) + c
      std::vector<double> z(n);
      const double a = 3.5, c = -2.25;
      std::transform(x.begin(), x.end(), z.begin(), [&](double v) { return a * v + c; });
      const auto rz = at.var_es(z, p);
      CHECK(close(rz.var, a * r.var + c, 1e-13));
      CHECK(close(rz.es, a * r.es + c, 1e-12));
      // subadditivity of the Acerbi-Tasche ES (a coherent measure on the empirical scenarios):
      // independent pair (x, y) and comonotone pair (x, x sorted alike = x + 0.5 x)
      std::vector<double> s(n), cm(n), half(n);
      for (std::size_t i = 0; i < n; ++i) {
        s[i] = x[i] + y[i];
        half[i] = 0.5 * x[i];
        cm[i] = x[i] + half[i];
      }
      CHECK(at.es(s, p) <= at.es(x, p) + at.es(y, p) + 1e-12);
      // comonotone: ES is additive (up to rounding)
      CHECK(close(at.es(cm, p), at.es(x, p) + at.es(half, p), 1e-12));
    }
  }
}

TEST_CASE("historical errors", "[risk][historical]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<double> ok = losses_1_to(200);
  const std::vector<double> empty;
  std::vector<double> with_nan = ok;
  with_nan[17] = nan;
  std::vector<double> big(20000, 1.0);
  big[12345] = -inf;
  const std::vector<double> flat(300, 2.0);
  const auto message = [](auto&& f) {
    try {
      f();
    } catch (const tmg::error& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  SECTION("throw_errors") {
    const tmg::historical<> h;
    REQUIRE_THROWS_AS(h.var_es(empty, 0.01), tmg::insufficient_data);
    REQUIRE_THROWS_AS(h.var_es(ok, 0.0), tmg::invalid_argument);
    REQUIRE_THROWS_AS(h.var_es(ok, 1.0), tmg::invalid_argument);
    REQUIRE_THROWS_AS(h.var_es(ok, nan), tmg::invalid_argument);
    REQUIRE_THROWS_AS(h.var_es(ok, 0.004), tmg::insufficient_data);  // 200 * 0.004 = 0.8 < 1
    CHECK(tmg::historical<>::min_observations(0.004) == 250);
    CHECK(tmg::historical<>::min_observations(0.01) == 100);
    CHECK(tmg::historical<>::min_observations(0.03) == 34);
    CHECK_NOTHROW(h.var_es(losses_1_to(100), 0.01));
    const std::string m_nan = message([&] { return h.var_es(with_nan, 0.05); });
    CHECK(m_nan.find("historical::var_es") != std::string::npos);
    CHECK(m_nan.find("element 17 of 'losses'") != std::string::npos);
    const std::string m_inf = message([&] { return h.es(big, 0.01); });
    CHECK(m_inf.find("historical::es") != std::string::npos);
    CHECK(m_inf.find("element 12345 of 'losses'") != std::string::npos);
    const std::string m_short = message([&] { return h.var(ok, 0.001); });
    CHECK(m_short.find("historical::var") != std::string::npos);
    CHECK(m_short.find("ceil(1/p)") != std::string::npos);
    const std::string m_p = message([&] { return h.var_es(ok, 1.5); });
    CHECK(m_p.find("argument 'p'") != std::string::npos);
    std::vector<double> scratch(10);
    REQUIRE_THROWS_AS(h.var_es(ok, 0.05, scratch), tmg::invalid_argument);
    // beyond_var has nothing above VaR in a flat sample
    REQUIRE_THROWS_AS(tmg::historical<>(tmg::es_convention::beyond_var).es(flat, 0.05), tmg::insufficient_data);
    CHECK(h.es(flat, 0.05) == 2.0);
    // the tail sum of two losses near DBL_MAX overflows: reported, not returned as inf
    std::vector<double> huge(100, 1.0);
    huge[3] = huge[9] = 1.5e308;
    const std::string m_big = message([&] { return h.var_es(huge, 0.02); });
    CHECK(m_big.find("overflows") != std::string::npos);
  }
  SECTION("quiet_nan") {
    const tmg::historical<quiet> h;
    const auto is_nan = [](tmg::var_es_result<double> r) { return std::isnan(r.var) && std::isnan(r.es); };
    CHECK(is_nan(h.var_es(empty, 0.01)));
    CHECK(is_nan(h.var_es(ok, 0.0)));
    CHECK(is_nan(h.var_es(ok, 1.0)));
    CHECK(is_nan(h.var_es(ok, 0.004)));
    CHECK(is_nan(h.var_es(with_nan, 0.05)));
    CHECK(is_nan(h.var_es(big, 0.01)));
    CHECK(std::isnan(tmg::historical<quiet>(tmg::es_convention::beyond_var).es(flat, 0.05)));
    CHECK(h.var(ok, 0.05) == 191.0);  // 200 * 0.05 = 10: 10th worst of 1..200
  }
}

TEST_CASE("historical: ES is never below VaR, even when type 3 puts VaR deep in the tail", "[risk][historical]") {
  // losses {10, 10, 0 x 8}, p = 0.24 (n p = 2.4). Type 3 (R): n p - 1/2 = 1.9, j = 1, h = 1 -> x_(2), so
  // VaR = 10; the Acerbi-Tasche mean is (10 + 10 + 0.4 * 0) / 2.4 = 8.33 < VaR, reported as max = 10.
  std::vector<double> x(10, 0.0);
  x[3] = 10.0;
  x[7] = 10.0;
  const auto r = tmg::historical<hf<3>>{}.var_es(x, 0.24);
  CHECK(r.var == 10.0);
  CHECK(r.es == 10.0);
  // type 1 on the same data: VaR = ceil(2.4) = 3rd worst = 0, ES = 8.33...
  const auto r1 = tmg::historical<>{}.var_es(x, 0.24);
  CHECK(r1.var == 0.0);
  CHECK_THAT(r1.es, WithinAbs(20.0 / 2.4, 1e-12));
}
