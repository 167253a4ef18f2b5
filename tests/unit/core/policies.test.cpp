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
                   tmg::linear_scan_lookup, tmg::binary_search_lookup, tmg::branchless_lookup) {
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

// The policies are constexpr (the bit-pattern path of branchless_lookup steps aside at compile time).
constexpr double constexpr_caps[] = {1.0, 2.0, 4.0};
static_assert(tmg::branchless_lookup::find(std::span<const double>(constexpr_caps), 3.0) == 2);
static_assert(tmg::linear_scan_lookup::find(std::span<const double>(constexpr_caps), 0.5) == 0);
