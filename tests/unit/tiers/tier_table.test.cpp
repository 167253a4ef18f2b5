// SPDX-License-Identifier: BSL-1.0
// Tier-table validation (one table per violated invariant), error policies, and properties of the margin
// functions over random valid tables checked against brute-force/second-method computations.
#include <tiermargin/tiers.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <ios>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"
#include "support/tier_oracle.hpp"

namespace tmg = tiermargin;
using rows_t = std::vector<tmg::tier<double>>;
using test_support::random_brackets;

namespace {
struct nan_policies : tmg::default_policies {
  using error = tmg::quiet_nan;
};
template <class Lookup>
struct lookup_policies : tmg::default_policies {
  using lookup = Lookup;
};

const rows_t good_rows{{0, 50'000, 0.004, 125, 0}, {50'000, 250'000, 0.005, 100, 50}, {250'000, 1e6, 0.01, 50, 1300}};

/// The message the table reports for `rows`, or "" when it is accepted.
std::string rejection(const rows_t& rows) {
  try {
    tmg::tier_table<double> table(rows);
  } catch (const tmg::invalid_table& e) {
    return e.what();
  }
  return "";
}
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("every invariant violation is rejected with tier, field and reason", "[tiers][validation]") {
  CHECK(rejection(good_rows).empty());
  rows_t r = good_rows;
  r[1].floor = 60'000;  // gap between 50k and 60k
  CHECK(contains(rejection(r), "tier 1 field 'floor' = 60000: gap"));
  r = good_rows;
  r[1].floor = 40'000;
  CHECK(contains(rejection(r), "tier 1 field 'floor' = 40000: overlap"));
  try {  // unsorted floors: 250k before 50k
    tmg::tier_table<double>({{0, 0.004, 125}, {250'000, 0.005, 100}, {50'000, 0.01, 50}});
    FAIL("no exception");
  } catch (const tmg::invalid_table& e) {
    CHECK(contains(e.what(), "tier 2 field 'floor' = 50000: floors must strictly increase"));
  }
  r = good_rows;
  r[2].maint_rate = 0.0045;
  CHECK(contains(rejection(r), "tier 2 field 'maint_rate' = 0.0045: must not decrease"));
  r = good_rows;
  r[1].max_leverage = 130;  // above tier 0's 125 (and 1/130 >= 0.005, so only monotonicity fails)
  CHECK(contains(rejection(r), "tier 1 field 'max_leverage' = 130: must not increase"));
  r = good_rows;
  r[1].maint_rate = std::numeric_limits<double>::quiet_NaN();
  CHECK(contains(rejection(r), "tier 1 field 'maint_rate'"));
  r = good_rows;
  r[0].floor = -1;
  CHECK(contains(rejection(r), "tier 0 field 'floor' = -1"));
  r = good_rows;
  r[0].floor = 10;
  CHECK(contains(rejection(r), "first tier must start at 0"));
  r = good_rows;
  r[2].maint_amount = 1200;  // recursion says 1,300
  CHECK(contains(rejection(r), "tier 2 field 'maint_amount' = 1200"));
  r = good_rows;
  r[0].max_leverage = 300;  // 1/300 < 0.004: IMR below MMR
  CHECK(contains(rejection(r), "IMR >= MMR"));
  r = good_rows;
  r[2].cap = 250'000;  // empty tier
  CHECK(contains(rejection(r), "tier 2 field 'cap'"));
  CHECK(contains(rejection({}), "at least one tier"));
  CHECK_THROWS_AS(tmg::tier_table<double>({{0, 0.004, 125}, {50'000, 0.0, 100}}), tmg::invalid_table);
}

TEST_CASE("bad notionals through each error policy", "[tiers][errors]") {
  const tmg::tier_table<double> strict(good_rows);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  try {
    (void)tmg::maintenance_margin(strict, -5.0);
    FAIL("no exception");
  } catch (const tmg::invalid_argument& e) {
    CHECK(std::string(e.what()) == "tiermargin::maintenance_margin: argument 'notional' = -5: must be finite and >= 0");
  }
  CHECK_THROWS_AS(tmg::maintenance_margin(strict, nan), tmg::invalid_argument);
  CHECK_THROWS_AS(tmg::maintenance_margin(strict, std::numeric_limits<double>::infinity()), tmg::invalid_argument);

  const tmg::tier_table<double, nan_policies> quiet(good_rows);
  STATIC_REQUIRE(noexcept(tmg::maintenance_margin(quiet, 1.0)));
  STATIC_REQUIRE_FALSE(noexcept(tmg::maintenance_margin(strict, 1.0)));
  CHECK(std::isnan(tmg::maintenance_margin(quiet, -5.0)));
  CHECK(std::isnan(tmg::maintenance_margin(quiet, nan)));
  CHECK(std::isnan(tmg::initial_margin(quiet, 1000.0, 500.0)));
  CHECK(std::isnan(tmg::max_notional(quiet, 0.5)));
  CHECK(tmg::tier_index(quiet, nan) == quiet.size());
  CHECK(tmg::maintenance_margin(quiet, 100'000.0) == 100'000.0 * 0.005 - 50);

  // An invalid table under quiet_nan is empty and every query on it is NaN.
  rows_t bad = good_rows;
  bad[1].floor = 60'000;
  const tmg::tier_table<double, nan_policies> rejected(bad);
  CHECK_FALSE(rejected.valid());
  CHECK(std::isnan(tmg::maintenance_margin(rejected, 1.0)));
  // A default-constructed table reports through the policy too.
  CHECK_THROWS_AS(tmg::maintenance_margin(tmg::tier_table<double>{}, 1.0), tmg::invalid_table);
}

TEST_CASE("batch maintenance margin equals the scalar function and reports bad elements", "[tiers][batch]") {
  // Outputs start as NaN, so an element the batch never stores fails. The batch evaluates max_k (n r_k - a_k)
  // and the scalar function its own tier's piece: both are within the model's error bound of MM(n)
  // (support/tier_oracle.hpp), so they agree within twice that bound. (Lengths, alignment, chunk patterns
  // and the kernels one by one: batch.test.cpp.)
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 50; ++trial) {
    const auto brackets = random_brackets(rng);
    const tmg::tier_table<double> table(brackets);
    const test_support::tier_oracle oracle(brackets, std::numeric_limits<double>::infinity());
    std::vector<double> n(257), out(257, std::numeric_limits<double>::quiet_NaN());
    std::uniform_real_distribution<double> u(0.0, 1.3 * brackets.back().floor + 1e5);
    for (double& x : n) x = u(rng);
    tmg::maintenance_margin(table, std::span<const double>(n), std::span<double>(out));
    for (std::size_t i = 0; i < n.size(); ++i)
      REQUIRE_THAT(out[i], WithinAbs(tmg::maintenance_margin(table, n[i]),
                                     2.0 * static_cast<double>(oracle.maintenance_tolerance(n[i]))));
  }
  // Sorted inputs (each 64-position chunk spans few tiers), and one NaN inside a chunk under quiet_nan:
  // every valid element must still equal MM(n) from the model.
  {
    std::mt19937_64 sorted_rng(5);
    const auto brackets = random_brackets(sorted_rng);
    const tmg::tier_table<double, nan_policies> table(brackets);
    const test_support::tier_oracle oracle(brackets, std::numeric_limits<double>::infinity());
    std::vector<double> n(1000), out(1000, -7.25);  // -7.25: no margin is negative, so "never stored"
    for (std::size_t i = 0; i < n.size(); ++i) n[i] = 1.3 * brackets.back().floor * static_cast<double>(i) / 999.0;
    n[130] = std::numeric_limits<double>::quiet_NaN();
    tmg::maintenance_margin(table, std::span<const double>(n), std::span<double>(out));
    for (std::size_t i = 0; i < n.size(); ++i) {
      if (i == 130) {
        CHECK(std::isnan(out[i]));
        continue;
      }
      REQUIRE_THAT(out[i], WithinAbs(static_cast<double>(oracle.maintenance(n[i])),
                                     static_cast<double>(oracle.maintenance_tolerance(n[i]))));
    }
  }
  // Under beyond_cap_clamp a huge notional is priced with the last tier, but +inf is still invalid.
  {
    struct quiet_clamp : tmg::default_policies {
      using error = tmg::quiet_nan;
      using beyond_cap = tmg::beyond_cap_clamp;
    };
    const tmg::tier_table<double, quiet_clamp> table(good_rows);
    std::vector<double> n(70, 2e6), out(70, std::numeric_limits<double>::quiet_NaN());
    n[3] = std::numeric_limits<double>::infinity();
    tmg::maintenance_margin(table, std::span<const double>(n), std::span<double>(out));
    CHECK(std::isnan(out[3]));
    // By hand: last tier, 2e6 * 1% - 1,300 = 18,700; a few roundings of numbers below 2.2e4: within 1e-10.
    for (std::size_t i = 0; i < n.size(); ++i)
      if (i != 3) REQUIRE_THAT(out[i], WithinAbs(18'700.0, 1e-10));
  }
  const tmg::tier_table<double> table(good_rows);
  std::vector<double> n{1.0, -2.0, 3.0}, out(3);
  try {
    tmg::maintenance_margin(table, std::span<const double>(n), std::span<double>(out));
    FAIL("no exception");
  } catch (const tmg::invalid_argument& e) {
    CHECK(contains(e.what(), "element 1 of 'notionals' = -2"));
  }
  std::vector<double> short_out(2);
  CHECK_THROWS_AS(tmg::maintenance_margin(table, std::span<const double>(n), std::span<double>(short_out)),
                  tmg::invalid_argument);
  const tmg::tier_table<double, nan_policies> quiet(good_rows);
  std::fill(out.begin(), out.end(), -7.25);  // not a margin: each slot must be stored
  tmg::maintenance_margin(quiet, std::span<const double>(n), std::span<double>(out));
  CHECK(out[0] == 0.004);
  CHECK(std::isnan(out[1]));
  CHECK(out[2] == 0.012);
}

TEST_CASE("batch tier index, initial margin, max leverage, effective rate and margin ratio", "[tiers][batch]") {
  // Each batch query equals its scalar function element by element (same formula, so exactly), valid
  // elements stay valid beside bad ones under quiet_nan, and bad elements are reported with their index.
  const auto same = [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); };
  std::mt19937_64 rng(21);
  for (int trial = 0; trial < 30; ++trial) {
    const auto brackets = random_brackets(rng);
    const tmg::tier_table<double, nan_policies> table(brackets, 1.2 * brackets.back().floor + 1e5);
    std::uniform_real_distribution<double> u(0.0, 1.3 * brackets.back().floor + 2e5);
    std::vector<double> n(300), equity(300);
    for (double& x : n) x = u(rng);
    for (double& e : equity) e = u(rng) * 0.01 - 100.0;  // some negative
    n[0] = 0.0;
    n[7] = std::numeric_limits<double>::quiet_NaN();
    n[8] = -1.0;
    equity[9] = std::numeric_limits<double>::infinity();
    // Sentinels no query returns (not NaN, which a bad element must get), so every slot must be stored.
    std::vector<std::size_t> k(n.size(), std::numeric_limits<std::size_t>::max());
    std::vector<double> im(n.size(), -7.25), lev(n.size(), -7.25), rate(n.size(), -7.25), ratio(n.size(), -7.25);
    tmg::tier_index(table, std::span<const double>(n), std::span<std::size_t>(k));
    tmg::initial_margin(table, std::span<const double>(n), std::span<double>(im));
    tmg::max_leverage(table, std::span<const double>(n), std::span<double>(lev));
    tmg::effective_rate(table, std::span<const double>(n), std::span<double>(rate));
    tmg::margin_ratio(table, std::span<const double>(n), std::span<const double>(equity), std::span<double>(ratio));
    for (std::size_t i = 0; i < n.size(); ++i) {
      REQUIRE(k[i] == tmg::tier_index(table, n[i]));
      REQUIRE(same(im[i], tmg::initial_margin(table, n[i])));
      REQUIRE(same(lev[i], tmg::max_leverage(table, n[i])));
      REQUIRE(same(rate[i], tmg::effective_rate(table, n[i])));
      REQUIRE(same(ratio[i], tmg::margin_ratio(table, n[i], equity[i])));
    }
    CHECK(k[7] == table.size());
    CHECK(std::isnan(im[8]));
    CHECK(std::isnan(ratio[9]));
  }
  // throw_errors: the message names the batch function, the argument and the element.
  const tmg::tier_table<double> table(good_rows);
  const std::vector<double> n{1.0, 2.0, -3.0}, equity{1.0, std::numeric_limits<double>::quiet_NaN(), 1.0};
  std::vector<double> out(3);
  using test_support::message_of;
  CHECK(contains(message_of([&] { tmg::max_leverage(table, std::span<const double>(n), std::span<double>(out)); }),
                 "element 2 of 'notionals' = -3"));
  const std::vector<double> ok_n{1.0, 2.0, 3.0};
  const std::string bad_equity = message_of([&] {
    tmg::margin_ratio(table, std::span<const double>(ok_n), std::span<const double>(equity), std::span<double>(out));
  });
  CHECK(contains(bad_equity, "margin_ratio(batch)"));
  CHECK(contains(bad_equity, "element 1 of 'equities'"));
  std::vector<double> short_out(2);
  CHECK(contains(message_of([&] {
                   tmg::effective_rate(table, std::span<const double>(ok_n), std::span<double>(short_out));
                 }),
                 "out.size()"));
  CHECK(contains(message_of([&] {
                   tmg::margin_ratio(table, std::span<const double>(ok_n), std::span<const double>(short_out),
                                     std::span<double>(out));
                 }),
                 "equities.size()"));
  // Decimal tables: the same batch, exact to the unit.
  using money = tmg::decimal<8>;
  const tmg::tier_table<money> dtable{{money(0), money("0.004"), money(125)},
                                      {money(50'000), money("0.005"), money(100)},
                                      {money(250'000), money("0.01"), money(50)}};
  const std::vector<money> dn{money(0), money("49999.5"), money(50'000), money("123456.78"), money(300'000)};
  std::vector<money> dim(dn.size()), dlev(dn.size());
  tmg::initial_margin(dtable, std::span<const money>(dn), std::span<money>(dim));
  tmg::max_leverage(dtable, std::span<const money>(dn), std::span<money>(dlev));
  for (std::size_t i = 0; i < dn.size(); ++i) {
    CHECK(dim[i] == tmg::initial_margin(dtable, dn[i]));
    CHECK(dlev[i] == tmg::max_leverage(dtable, dn[i]));
  }
  CHECK(dim[3] == money("1234.5678"));  // by hand: 123456.78 is in the 50k-250k tier, max leverage 100
}

TEST_CASE("properties over random valid tables", "[tiers][properties]") {
  std::mt19937_64 rng(2026);
  for (int trial = 0; trial < 200; ++trial) {
    const auto brackets = random_brackets(rng);
    const tmg::tier_table<double> table(brackets);
    const test_support::tier_oracle oracle(brackets, std::numeric_limits<double>::infinity());
    const tmg::tier_table<double, lookup_policies<tmg::linear_scan_lookup>> linear(brackets);
    const tmg::tier_table<double, lookup_policies<tmg::binary_search_lookup>> binary(brackets);
    const double top = 1.2 * brackets.back().floor + 1e4;
    std::uniform_real_distribution<double> u(0.0, top);
    for (int q = 0; q < 50; ++q) {
      const double a = u(rng), b = u(rng);
      const double lo = std::min(a, b), hi = std::max(a, b);
      // Second method: the model's MM (brute-force tier, deductions re-derived from the brackets, long double),
      // within the error bound of a double evaluation (support/tier_oracle.hpp).
      const double mm_lo = tmg::maintenance_margin(table, lo);
      REQUIRE_THAT(mm_lo, WithinAbs(static_cast<double>(oracle.maintenance(lo)),
                                    static_cast<double>(oracle.maintenance_tolerance(lo))));
      // Brute-force tier: the tier whose [floor, cap] holds lo.
      std::size_t expected = 0;
      while (expected + 1 < brackets.size() && brackets[expected + 1].floor < lo) ++expected;
      REQUIRE(tmg::tier_index(table, lo) == expected);
      REQUIRE(tmg::tier_index(linear, lo) == expected);
      REQUIRE(tmg::tier_index(binary, lo) == expected);
      // Monotone and convex (midpoint inequality).
      const double mm_hi = tmg::maintenance_margin(table, hi);
      REQUIRE(mm_lo <= mm_hi + 1e-9);
      const double mid = tmg::maintenance_margin(table, 0.5 * (lo + hi));
      REQUIRE(mid <= 0.5 * (mm_lo + mm_hi) + 1e-9 * std::max(1.0, mm_hi));
    }
    // Continuity at each boundary: the floor f of tier k is the cap of tier k - 1 (a tier contains its cap),
    // so MM(f) is priced by tier k - 1 and MM(next double above f) by tier k. Exactly, they differ by
    // r_k * ulp(f); each evaluation is within the model's error bound.
    for (std::size_t k = 1; k < table.size(); ++k) {
      const double f = table.floors()[k], above = std::nextafter(f, 2.0 * f);
      REQUIRE(tmg::tier_index(table, f) == k - 1);
      REQUIRE(tmg::tier_index(table, above) == k);
      const double jump_bound = static_cast<double>(2.0L * oracle.maintenance_tolerance(above)) +
                                table.maint_rates()[k] * (above - f);
      REQUIRE_THAT(tmg::maintenance_margin(table, above), WithinAbs(tmg::maintenance_margin(table, f), jump_bound));
    }
    // max_notional and max_leverage are inverse: the cap returned allows L, anything above it does not.
    for (std::size_t k = 0; k < table.size(); ++k) {
      const double leverage = table.max_leverages()[k];
      const double cap = tmg::max_notional(table, leverage);
      if (std::isinf(cap)) continue;
      REQUIRE(tmg::max_leverage(table, cap) >= leverage);
      REQUIRE(tmg::max_leverage(table, std::nextafter(cap, 2 * cap)) < leverage);
    }
  }
}

TEST_CASE("decimal tables: exact continuity and the max-of-pieces identity", "[tiers][properties][decimal]") {
  using money = tmg::decimal<8>;
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 200; ++trial) {
    // Random table with integer floors, rates on a 0.0001 grid and leverage floor(1/(2 rate)).
    std::vector<tmg::bracket<money>> brackets;
    std::int64_t floor = 0, rate_bp = 10 + static_cast<std::int64_t>(rng() % 90);  // rate in basis points
    const std::size_t k = 1 + rng() % 10;
    for (std::size_t i = 0; i < k; ++i) {
      const money rate = money::from_raw(rate_bp * 10'000);  // bp * 1e-4 at scale 1e8
      const auto leverage = std::max<std::int64_t>(1, 10'000 / (2 * rate_bp));
      brackets.push_back({money(floor), rate, money(leverage)});
      floor += 1 + static_cast<std::int64_t>(rng() % 5'000'000);
      rate_bp = std::min<std::int64_t>(5'000, rate_bp + static_cast<std::int64_t>(rng() % 200));
    }
    const tmg::tier_table<money> table(brackets);
    for (std::size_t i = 1; i < table.size(); ++i) {  // exact equality, no tolerance
      const money b = table.floors()[i];
      REQUIRE(b * table.maint_rates()[i - 1] - table.maint_amounts()[i - 1] ==
              b * table.maint_rates()[i] - table.maint_amounts()[i]);
    }
    for (int q = 0; q < 50; ++q) {
      // Whole units up to the last floor plus a random number of cents.
      const auto units = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(floor + 1));
      const auto cents = static_cast<std::int64_t>(rng() % 100);
      const money n = money::from_raw(units * 100'000'000 + cents * 1'000'000);
      money best = n * table.maint_rates()[0] - table.maint_amounts()[0];
      for (std::size_t i = 1; i < table.size(); ++i)
        best = std::max(best, n * table.maint_rates()[i] - table.maint_amounts()[i]);
      REQUIRE(tmg::maintenance_margin(table, n) == best);
    }
  }
}
