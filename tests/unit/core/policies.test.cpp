// SPDX-License-Identifier: BSL-1.0
// Error policies, rounding policies on doubles, lookup policies and the bundle concept.
#include <tiermargin/fwd.hpp>  // first, to prove it agrees with the definitions
#include <tiermargin/core.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "support/catch.hpp"

namespace tmg = tiermargin;

namespace {
struct nan_policies : tmg::default_policies {
  using error = tmg::quiet_nan;
};
struct not_a_policy {};
struct bad_bundle : tmg::default_policies {
  using error = not_a_policy;
};
}  // namespace

TEST_CASE("policy bundle concept accepts overrides and rejects near misses", "[core][policies]") {
  STATIC_REQUIRE(tmg::policy_bundle<tmg::default_policies>);
  STATIC_REQUIRE(tmg::policy_bundle<nan_policies>);
  STATIC_REQUIRE_FALSE(tmg::policy_bundle<bad_bundle>);
  STATIC_REQUIRE_FALSE(tmg::policy_bundle<int>);
  STATIC_REQUIRE(tmg::is_noexcept_v<nan_policies>);
  STATIC_REQUIRE_FALSE(tmg::is_noexcept_v<tmg::default_policies>);
  STATIC_REQUIRE(tmg::real_scalar<double>);
  STATIC_REQUIRE(tmg::real_scalar<float>);
  STATIC_REQUIRE(tmg::real_scalar<tmg::decimal<6>>);
  STATIC_REQUIRE_FALSE(tmg::real_scalar<int>);
}

TEST_CASE("throw_errors maps kinds to the exception hierarchy with a full message", "[core][error]") {
  const tmg::error_info info{tmg::error_kind::invalid_table, "tier_table::tier_table", "maint_rate", 0.002,
                            "must not decrease", 3};
  try {
    tmg::throw_errors::raise<double>(info);
    FAIL("no exception");
  } catch (const tmg::invalid_table& e) {
    CHECK(std::string(e.what()) ==
          "tiermargin::tier_table::tier_table: tier 3 field 'maint_rate' = 0.002: must not decrease");
  }
  CHECK_THROWS_AS(tmg::throw_errors::raise<double>({tmg::error_kind::insufficient_data, "f", "losses", 3.0, "x"}),
                  tmg::insufficient_data);
  CHECK_THROWS_AS(tmg::throw_errors::raise<double>({tmg::error_kind::invalid_argument, "f", "p", 2.0, "x"}),
                  tmg::error);  // every exception derives from tiermargin::error
  CHECK(std::isnan(tmg::quiet_nan::raise<double>(info)));
  CHECK(tmg::quiet_nan::raise<std::size_t>(info) == static_cast<std::size_t>(-1));
}

TEST_CASE("rounding policies treat doubles as the decimals they stand for", "[core][rounding]") {
  // 462.665 is 462.66499999999996... in binary; a venue rounding half-up to cents means 462.67.
  CHECK(tmg::round_half_up<2>::apply(462.665) == 462.67);
  CHECK(tmg::round_down<2>::apply(462.665) == 462.66);
  CHECK(tmg::round_half_even<2>::apply(462.665) == 462.66);
  CHECK(tmg::round_half_even<2>::apply(462.675) == 462.68);
  CHECK(tmg::round_up<2>::apply(462.661) == 462.67);
  CHECK(tmg::round_down<2>::apply(0.29) == 0.29);  // 0.29*100 = 28.999999999999996 must not truncate to 28
  CHECK(tmg::round_down<2>::apply(-1.239) == -1.23);  // toward zero
  CHECK(tmg::round_up<0>::apply(-1.2) == -2.0);       // away from zero
  CHECK(tmg::no_rounding::apply(1.23456) == 1.23456);
  CHECK(std::isnan(tmg::round_half_up<2>::apply(std::nan(""))));
}

TEMPLATE_TEST_CASE("lookup policies agree with a brute-force count on random tables", "[core][lookup]",
                   tmg::linear_scan_lookup, tmg::binary_search_lookup, tmg::branchless_lookup,
                   tmg::bucketed_lookup) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t k = 1 + rng() % 40;
    std::vector<double> caps(k);
    double c = 0.0;
    for (double& cap : caps) cap = c += 1.0 + static_cast<double>(rng() % 5);  // small ints => many ties
    for (int q = 0; q < 60; ++q) {
      const double x = static_cast<double>(rng() % static_cast<unsigned>(c + 3.0));
      // Brute force: the number of caps strictly below x (the first tier whose cap >= x).
      const auto expected = static_cast<std::size_t>(std::count_if(caps.begin(), caps.end(), [&](double v) { return v < x; }));
      REQUIRE(TestType::find(std::span<const double>(caps), x) == expected);
    }
  }
  const std::vector<double> none;
  CHECK(TestType::find(std::span<const double>(none), 1.0) == 0);
  // Edges (branchless_lookup compares doubles by their bit patterns): a cap equal to x contains it, -0.0
  // and negatives land in the first bracket, +inf in an unbounded last one, and values between adjacent
  // doubles are separated.
  const std::vector<double> caps{0.5, 50'000.0, std::nextafter(50'000.0, 1e9), std::numeric_limits<double>::infinity()};
  const std::span<const double> c(caps);
  CHECK(TestType::find(c, 50'000.0) == 1);
  CHECK(TestType::find(c, std::nextafter(50'000.0, 1e9)) == 2);
  CHECK(TestType::find(c, -0.0) == 0);
  CHECK(TestType::find(c, 0.0) == 0);
  CHECK(TestType::find(c, -3.0) == 0);
  CHECK(TestType::find(c, 1e300) == 3);
  CHECK(TestType::find(c, std::numeric_limits<double>::infinity()) == 3);
  CHECK(TestType::find(c, std::numeric_limits<double>::denorm_min()) == 0);
}

TEST_CASE("bucketed lookup index agrees with a brute-force count", "[core][lookup]") {
  const auto brute = [](const std::vector<double>& caps, double x) {
    return static_cast<std::size_t>(std::count_if(caps.begin(), caps.end(), [&](double v) { return v < x; }));
  };
  const auto probes = [](const std::vector<double>& caps, std::mt19937_64& rng) {
    // Every cap, its neighbouring doubles, points in between, and the extremes.
    std::vector<double> xs{-0.0, 0.0, -5.0, std::numeric_limits<double>::denorm_min(), 1e-300,
                           std::numeric_limits<double>::max(), std::numeric_limits<double>::infinity()};
    double previous = 0.0;
    for (const double c : caps) {
      if (!std::isfinite(c)) continue;
      xs.insert(xs.end(), {c, std::nextafter(c, 0.0), std::nextafter(c, 2.0 * c + 1.0), 0.5 * (previous + c)});
      std::uniform_real_distribution<double> u(previous, c);
      for (int q = 0; q < 6; ++q) xs.push_back(u(rng));
      previous = c;
    }
    return xs;
  };
  std::mt19937_64 rng(31);
  std::size_t indexed = 0, fell_back = 0;
  for (int trial = 0; trial < 400; ++trial) {
    // Ratios between adjacent caps from 1.0001 (two caps in one bucket: fallback) to 10; the last cap
    // unbounded half of the time; sometimes a span too wide for the index.
    const std::size_t k = 1 + rng() % 30;
    std::vector<double> caps;
    double c = std::ldexp(1.0 + static_cast<double>(rng() % 1000) / 1000.0, static_cast<int>(rng() % 40) - 10);
    for (std::size_t i = 0; i < k; ++i) {
      caps.push_back(c);
      const double spread = std::pow(static_cast<double>(rng() % 1000) / 1000.0, 3.0);
      c *= trial % 7 == 0 ? 1.0001 : trial % 11 == 0 ? 1e4 : 1.03 + 9.0 * spread;
    }
    if (rng() % 2 == 0) caps.back() = std::numeric_limits<double>::infinity();
    const tmg::bucketed_lookup::index<double> index{std::span<const double>(caps)};
    (index.indexed() ? indexed : fell_back) += 1;
    for (const double x : probes(caps, rng)) REQUIRE(index.find(std::span<const double>(caps), x) == brute(caps, x));
  }
  CHECK(indexed > 200);   // the realistic spacings use the buckets...
  CHECK(fell_back > 40);  // ...and the pathological ones exercise the fallback
  // A real venue table (Binance BTCUSDT, data/binance_usdm_btcusdt_tiers_20241024.csv) is indexed.
  const std::vector<double> binance{5e4, 6e5, 3e6, 1.2e7, 7e7, 1e8, 2.3e8, 4.8e8, 6e8, 8e8, 1.2e9, 1.8e9};
  CHECK(tmg::bucketed_lookup::index<double>{std::span<const double>(binance)}.indexed());
  // Other scalar types have no index and search.
  const std::vector<float> fcaps{1.0f, 2.0f};
  const tmg::bucketed_lookup::index<float> findex{std::span<const float>(fcaps)};
  CHECK_FALSE(findex.indexed());
  CHECK(findex.find(std::span<const float>(fcaps), 1.5f) == 1);
}

// The policies are constexpr (the bit-pattern path of branchless_lookup steps aside at compile time).
constexpr double constexpr_caps[] = {1.0, 2.0, 4.0};
static_assert(tmg::branchless_lookup::find(std::span<const double>(constexpr_caps), 3.0) == 2);
static_assert(tmg::linear_scan_lookup::find(std::span<const double>(constexpr_caps), 0.5) == 0);
