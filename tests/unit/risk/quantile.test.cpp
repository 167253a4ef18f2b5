// SPDX-License-Identifier: BSL-1.0
// Hyndman-Fan sample quantiles against R's quantile(type = 1..9) (docs/risk.md section 9, table T3).
#include <tiermargin/risk/quantile.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "support/catch.hpp"

namespace tmg = tiermargin;

namespace {
template <int T>
using hf = tmg::with_hyndman_fan<T>;

template <int T>
double sorted_q(const std::vector<double>& sorted, double p) {
  return tmg::sample_quantile_sorted<hf<T>>(sorted, p);
}

/// Type-t quantile of a sorted sample through the compile-time policy, t given at run time.
double q_by_type(int t, const std::vector<double>& sorted, double p) {
  switch (t) {
    case 1: return sorted_q<1>(sorted, p);
    case 2: return sorted_q<2>(sorted, p);
    case 3: return sorted_q<3>(sorted, p);
    case 4: return sorted_q<4>(sorted, p);
    case 5: return sorted_q<5>(sorted, p);
    case 6: return sorted_q<6>(sorted, p);
    case 7: return sorted_q<7>(sorted, p);
    case 8: return sorted_q<8>(sorted, p);
    default: return sorted_q<9>(sorted, p);
  }
}

double unsorted_q(int t, const std::vector<double>& x, double p) {
  switch (t) {
    case 1: return tmg::sample_quantile<hf<1>>(x, p);
    case 2: return tmg::sample_quantile<hf<2>>(x, p);
    case 3: return tmg::sample_quantile<hf<3>>(x, p);
    case 4: return tmg::sample_quantile<hf<4>>(x, p);
    case 5: return tmg::sample_quantile<hf<5>>(x, p);
    case 6: return tmg::sample_quantile<hf<6>>(x, p);
    case 7: return tmg::sample_quantile<hf<7>>(x, p);
    case 8: return tmg::sample_quantile<hf<8>>(x, p);
    default: return tmg::sample_quantile<hf<9>>(x, p);
  }
}

std::vector<double> range(int from, int to, int sign) {
  std::vector<double> v;
  for (int i = from; i <= to; ++i) v.push_back(sign * static_cast<double>(i));
  std::sort(v.begin(), v.end());
  return v;
}
}  // namespace

TEST_CASE("Hyndman-Fan types 1-9 reproduce R quantile() on simple vectors", "[risk][quantile]") {
  // docs/risk.md section 9 T3 (R quantile(type = 1..9); numpy's nine methods agree).
  struct vector_case {
    std::vector<double> sorted;
    double p;
    std::array<double, 9> expected;
  };
  const std::vector<vector_case> cases = {
      {range(1, 10, 1), 0.25, {3, 3, 2, 2.5, 3, 2.75, 3.25, 2.9166666666666667, 2.9375}},
      {range(1, 250, -1),
       0.01,
       {-248, -248, -249, -248.5, -248, -248.49, -247.51, -248.16333333333333, -248.1225}},
      {range(1, 1000, -1),
       0.01,
       {-991, -990.5, -991, -991, -990.5, -990.99, -990.01, -990.66333333333333, -990.6225}},
  };
  for (const auto& c : cases) {
    for (int t = 1; t <= 9; ++t) {
      INFO("n = " << c.sorted.size() << " type " << t);
      CHECK_THAT(q_by_type(t, c.sorted, c.p), WithinAbs(c.expected[static_cast<std::size_t>(t - 1)], 1e-9));
      // the unsorted form (selection on a copy) agrees bit for bit with the sorted form
      std::vector<double> shuffled = c.sorted;
      std::mt19937_64 rng(static_cast<unsigned>(t));
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      CHECK(unsorted_q(t, shuffled, c.p) == q_by_type(t, c.sorted, c.p));
    }
  }
}

TEST_CASE("Hyndman-Fan positions: end points, discontinuities and the 1 - 0.99 trap", "[risk][quantile]") {
  const std::vector<double> x = range(1, 10, 1);
  // p = 0 and p = 1 give the extremes for every type (R: quantile(1:10, c(0, 1), type = t) = 1, 10)
  for (int t = 1; t <= 9; ++t) {
    INFO("type " << t);
    CHECK(q_by_type(t, x, 0.0) == 1.0);
    CHECK(q_by_type(t, x, 1.0) == 10.0);
  }
  // n p integer: type 1 takes x_(np), type 2 averages x_(np) and x_(np+1) (definition, docs/risk.md section 3)
  CHECK(sorted_q<1>(x, 0.3) == 3.0);
  CHECK(sorted_q<2>(x, 0.3) == 3.5);
  // Type 3 (R): n p - 1/2 = 2.5 is not an integer -> x_(3); n p - 1/2 = 2 (p = 0.25) -> j = 2 even -> x_(2)
  CHECK(sorted_q<3>(x, 0.3) == 3.0);
  CHECK(sorted_q<3>(x, 0.25) == 2.0);
  // docs/risk.md section 1/8: 1000 * (1 - 0.99) = 10.000000000000009 selects x_(11) under type 1 (R, numpy, QuantLib)
  const std::vector<double> y = range(1, 1000, -1);
  CHECK(sorted_q<1>(y, 1.0 - 0.99) == -990.0);
  CHECK(sorted_q<1>(y, 0.01) == -991.0);
  // a single observation is every quantile
  const std::vector<double> one{4.5};
  for (int t = 1; t <= 9; ++t) CHECK(q_by_type(t, one, 0.37) == 4.5);
}

TEST_CASE("sample_quantile equals sorting on random samples with ties", "[risk][quantile]") {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t n = 1 + rng() % 300;
    std::vector<double> x(n);
    for (double& v : x) v = static_cast<double>(rng() % 17) - 8.0;  // many ties
    std::vector<double> sorted = x;
    std::sort(sorted.begin(), sorted.end());
    const double p = static_cast<double>(rng() % 1001) / 1000.0;
    for (int t = 1; t <= 9; ++t) CHECK(unsorted_q(t, x, p) == q_by_type(t, sorted, p));
  }
}

TEST_CASE("sample_quantile errors", "[risk][quantile]") {
  const std::vector<double> empty;
  const std::vector<double> x{1.0, 2.0, std::numeric_limits<double>::quiet_NaN(), 4.0};
  const std::vector<double> ok{1.0, 2.0, 3.0};
  const auto message = [](auto&& f) {
    try {
      f();
    } catch (const tmg::error& e) {
      return std::string(e.what());
    }
    return std::string("no exception");
  };
  SECTION("throw_errors names the function and the argument") {
    REQUIRE_THROWS_AS(tmg::sample_quantile(empty, 0.5), tmg::insufficient_data);
    REQUIRE_THROWS_AS(tmg::sample_quantile(ok, 1.5), tmg::invalid_argument);
    REQUIRE_THROWS_AS(tmg::sample_quantile(ok, std::numeric_limits<double>::quiet_NaN()), tmg::invalid_argument);
    const std::string m = message([&] { return tmg::sample_quantile(x, 0.5); });
    CHECK(m.find("sample_quantile") != std::string::npos);
    CHECK(m.find("element 2 of 'sample'") != std::string::npos);
    const std::string mp = message([&] { return tmg::sample_quantile_sorted(ok, -0.1); });
    CHECK(mp.find("sample_quantile_sorted") != std::string::npos);
    CHECK(mp.find("'p'") != std::string::npos);
    std::vector<double> scratch(2);
    REQUIRE_THROWS_AS(tmg::sample_quantile(ok, 0.5, scratch), tmg::invalid_argument);
  }
  SECTION("quiet_nan returns NaN") {
    struct quiet : tmg::default_policies {
      using error = tmg::quiet_nan;
    };
    CHECK(std::isnan(tmg::sample_quantile<quiet>(empty, 0.5)));
    CHECK(std::isnan(tmg::sample_quantile<quiet>(x, 0.5)));
    CHECK(std::isnan(tmg::sample_quantile<quiet>(ok, 2.0)));
    CHECK(std::isnan(tmg::sample_quantile_sorted<quiet>(empty, 0.5)));
    CHECK(tmg::sample_quantile<quiet>(ok, 0.5) == 2.0);
  }
}
