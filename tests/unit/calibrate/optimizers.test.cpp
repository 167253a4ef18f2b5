// SPDX-License-Identifier: BSL-1.0
// Tier optimizers against brute force over every boundary set (and every non-decreasing rate sequence) on
// hundreds of seeded random small instances; fast DP variants against the O(K n^2) reference bit for bit;
// non-convex required curves never under-covered; bad input.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "support/catch.hpp"
#include "tiermargin/calibrate/bracket_table.hpp"
#include "tiermargin/calibrate/step_table.hpp"

namespace tmg = tiermargin;

namespace {
constexpr double inf = std::numeric_limits<double>::infinity();

struct instance {
  std::vector<double> x, R, w;
  std::vector<std::size_t> boundaries;
};

std::uint64_t draw(std::mt19937_64& rng, std::uint64_t lo, std::uint64_t hi) { return lo + rng() % (hi - lo + 1); }

// Integer notionals and weights; boundaries a random subset of the evaluation points containing the last.
instance random_grid(std::mt19937_64& rng, std::size_t max_points, double unit = 1.0) {
  instance in;
  const auto N = static_cast<std::size_t>(draw(rng, 1, max_points));
  double x = 0.0;
  for (std::size_t i = 0; i < N; ++i) {
    x += unit * static_cast<double>(draw(rng, 1, 6));
    in.x.push_back(x);
    in.w.push_back(static_cast<double>(draw(rng, 0, 4)));
  }
  for (std::size_t i = 0; i + 1 < N; ++i)
    if (draw(rng, 0, 2) == 0) in.boundaries.push_back(i);
  in.boundaries.push_back(N - 1);
  return in;
}

// Dyadic rates j/64: every product with an integer notional is exact in double.
std::vector<double> dyadic_levels(std::mt19937_64& rng, std::size_t count) {
  std::vector<double> levels;
  while (levels.size() < count) {
    const double v = static_cast<double>(draw(rng, 1, 32)) / 64.0;
    if (std::find(levels.begin(), levels.end(), v) == levels.end()) levels.push_back(v);
  }
  std::sort(levels.begin(), levels.end());
  return levels;
}

// Enumerate every subset of candidate caps (the last always included) with at most K tiers.
template <class Visit>
void for_each_boundary_set(const instance& in, std::size_t K, Visit visit) {
  const std::size_t free_count = in.boundaries.size() - 1;
  for (std::uint64_t mask = 0; mask < (std::uint64_t{1} << free_count); ++mask) {
    std::vector<std::size_t> caps;  // indices into x
    for (std::size_t j = 0; j < free_count; ++j)
      if (mask >> j & 1u) caps.push_back(in.boundaries[j]);
    caps.push_back(in.boundaries.back());
    if (caps.size() <= K) visit(caps);
  }
}

// Every non-decreasing sequence of `length` level indices.
template <class Visit>
void for_each_rate_sequence(std::size_t length, std::size_t levels, Visit visit) {
  std::vector<std::size_t> seq(length, 0);
  while (true) {
    visit(seq);
    std::size_t j = length;
    while (j > 0 && seq[j - 1] + 1 == levels) --j;
    if (j == 0) return;
    ++seq[j - 1];
    for (std::size_t t = j; t < length; ++t) seq[t] = seq[j - 1];
  }
}

// Tier of evaluation point i under caps (indices).
std::size_t tier_of(const std::vector<std::size_t>& caps, std::size_t i) {
  std::size_t k = 0;
  while (caps[k] < i) ++k;
  return k;
}

// Step table by brute force, rate levels: every boundary set x every non-decreasing rate sequence; coverage
// and objective evaluated directly at every point.
double brute_step_levels(const instance& in, const std::vector<double>& m, std::size_t K) {
  double best = inf;
  for_each_boundary_set(in, K, [&](const std::vector<std::size_t>& caps) {
    for_each_rate_sequence(caps.size(), m.size(), [&](const std::vector<std::size_t>& seq) {
      double total = 0.0;
      for (std::size_t i = 0; i < in.x.size(); ++i) {
        const double margin = m[seq[tier_of(caps, i)]] * in.x[i];
        if (margin < in.R[i]) return;
        total += in.w[i] * (margin - in.R[i]);
      }
      best = std::min(best, total);
    });
  });
  return best;
}

// Step table by brute force, free rates: for fixed caps the least feasible non-decreasing rates are the
// running max of each tier's largest R/x (componentwise minimal, so optimal for w >= 0).
double brute_step_free(const instance& in, std::size_t K) {
  double best = inf;
  for_each_boundary_set(in, K, [&](const std::vector<std::size_t>& caps) {
    std::vector<double> rate(caps.size(), 0.0);
    for (std::size_t i = 0; i < in.x.size(); ++i) {
      const std::size_t k = tier_of(caps, i);
      rate[k] = std::max(rate[k], in.R[i] / in.x[i]);
    }
    for (std::size_t k = 1; k < rate.size(); ++k) rate[k] = std::max(rate[k], rate[k - 1]);
    double total = 0.0;
    for (std::size_t i = 0; i < in.x.size(); ++i) total += in.w[i] * (rate[tier_of(caps, i)] * in.x[i] - in.R[i]);
    best = std::min(best, total);
  });
  return best;
}

// Tax-bracket MM at point i: sum_j m_j |(B_{j-1}, B_j] ∩ (0, x_i]| (docs/calibration.md §4.3), evaluated directly.
double bracket_mm(const instance& in, const std::vector<std::size_t>& caps, const std::vector<double>& rates,
                  std::size_t i) {
  double mm = 0.0, lo = 0.0;
  for (std::size_t k = 0; k < caps.size(); ++k) {
    const double hi = in.x[caps[k]];
    if (in.x[i] > lo) mm += rates[k] * (std::min(in.x[i], hi) - lo);
    lo = hi;
  }
  return mm;
}

double brute_bracket_levels(const instance& in, const std::vector<double>& m, std::size_t K) {
  double best = inf;
  for_each_boundary_set(in, K, [&](const std::vector<std::size_t>& caps) {
    std::vector<double> rates(caps.size());
    for_each_rate_sequence(caps.size(), m.size(), [&](const std::vector<std::size_t>& seq) {
      for (std::size_t k = 0; k < caps.size(); ++k) rates[k] = m[seq[k]];
      double total = 0.0;
      for (std::size_t i = 0; i < in.x.size(); ++i) {
        const double mm = bracket_mm(in, caps, rates, i);
        if (mm < in.R[i]) return;
        total += in.w[i] * (mm - in.R[i]);
      }
      best = std::min(best, total);
    });
  });
  return best;
}

// Chord interpolant of a convex curve G through the breakpoints (and the origin), evaluated directly.
// Cheapest chord table of G over all boundary sets whose chord slopes are all <= rate_cap.
double brute_bracket_chord(const instance& in, const std::vector<double>& G, std::size_t K, double rate_cap = inf) {
  double best = inf;
  for_each_boundary_set(in, K, [&](const std::vector<std::size_t>& caps) {
    double total = 0.0;
    for (std::size_t k = 0; k < caps.size(); ++k) {
      const double x0 = k == 0 ? 0.0 : in.x[caps[k - 1]], g0 = k == 0 ? 0.0 : G[caps[k - 1]];
      if ((G[caps[k]] - g0) / (in.x[caps[k]] - x0) > rate_cap) return;
    }
    for (std::size_t i = 0; i < in.x.size(); ++i) {
      const std::size_t k = tier_of(caps, i);
      const double x0 = k == 0 ? 0.0 : in.x[caps[k - 1]], g0 = k == 0 ? 0.0 : G[caps[k - 1]];
      const double x1 = in.x[caps[k]], g1 = G[caps[k]];
      total += in.w[i] * (g0 + (g1 - g0) / (x1 - x0) * (in.x[i] - x0) - in.R[i]);
    }
    best = std::min(best, total);
  });
  return best;
}

// Oracle for the greedy convex majorant of the chord DP (bracket_table.hpp: G(0) = 0, G >= R on the grid,
// slopes non-decreasing), derived from what it is rather than how the library builds it. A least convex
// majorant does not exist in general (x = {1, 2, 3}, R = {0.1, 0.9, 0.95}: the greedy G_3 = 1.7, but 0.45 x is
// another convex majorant through the origin with 1.35 at x = 3), so the object is the lexicographically least
// one: G_1 as small as possible, then G_2, and so on. With G_1 .. G_{i-1} fixed, the points (0, 0), (x_1, G_1),
// ... are convex iff no point lies below the line through two earlier points (the three-point inequality for
// a < b < c), and later points can always be placed high enough, so the least admissible value is
//   G_i = max(R_i, max over a < b < i of the line through points a and b, at x_i)   (the origin is point -1).
// Brute force over every pair, in long double: O(n^3).
std::vector<long double> lexicographic_convex_majorant(const std::vector<double>& x, const std::vector<double>& R) {
  std::vector<long double> px{0.0L}, pg{0.0L};  // the origin, then each point once its value is fixed
  std::vector<long double> G;
  for (std::size_t i = 0; i < x.size(); ++i) {
    long double g = static_cast<long double>(R[i]);
    for (std::size_t a = 0; a < px.size(); ++a)
      for (std::size_t b = a + 1; b < px.size(); ++b)
        g = std::max(g, pg[b] + (pg[b] - pg[a]) / (px[b] - px[a]) * (static_cast<long double>(x[i]) - px[b]));
    G.push_back(g);
    px.push_back(static_cast<long double>(x[i]));
    pg.push_back(g);
  }
  return G;
}

std::vector<double> to_double(const std::vector<long double>& v) {
  std::vector<double> out;
  for (const long double e : v) out.push_back(static_cast<double>(e));
  return out;
}

bool close(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

template <class Result>
void check_table_sane(const Result& res, std::size_t K, const instance& in) {
  REQUIRE(res.table.valid());
  CHECK(res.table.size() <= K);
  CHECK(res.coverage.covered);
  CHECK(res.coverage.beyond_cap_points == 0);
  CHECK(res.table.last_cap() == in.x.back());
  for (std::size_t k = 1; k < res.table.size(); ++k) {
    CHECK(res.table.maint_rates()[k] > res.table.maint_rates()[k - 1]);
    CHECK(res.table.max_leverages()[k] <= res.table.max_leverages()[k - 1]);
  }
  // the table's own margin arithmetic reproduces the optimizer's objective
  CHECK(close(res.coverage.weighted_excess, res.objective));
}
}  // namespace

namespace {
/// A random instance with 1-4 dyadic rate levels, K in [1, max_tiers] and integer R_i <= x_i * top (x are
/// multiples of 64, so x_i * top >= 1); every 8th trial is made infeasible (its last R exceeds x * top).
std::pair<instance, tmg::tier_constraints> level_instance(std::mt19937_64& rng, int trial, std::size_t max_points,
                                                          std::uint64_t max_tiers) {
  instance in = random_grid(rng, max_points, 64.0);
  tmg::tier_constraints c;
  c.max_tiers = static_cast<std::size_t>(draw(rng, 1, max_tiers));
  c.kappa = 1.0;
  c.levels.maint_rates = dyadic_levels(rng, static_cast<std::size_t>(draw(rng, 1, 4)));
  const double top = c.levels.maint_rates.back();
  for (double xi : in.x) in.R.push_back(static_cast<double>(draw(rng, 1, static_cast<std::uint64_t>(xi * top))));
  if (trial % 8 == 0) in.R.back() = in.x.back() * top + 1.0;
  return {in, c};
}
}  // namespace

TEST_CASE("step table equals brute force over all boundary sets and rate sequences", "[calibrate][step]") {
  std::mt19937_64 rng(20261124);
  int checked = 0, infeasible = 0;
  for (int trial = 0; trial < 300; ++trial) {
    auto [in, c] = level_instance(rng, trial, 10, 4);
    const std::size_t K = c.max_tiers;
    const double brute = brute_step_levels(in, c.levels.maint_rates, K);
    if (brute == inf) {  // the top level cannot cover: must be reported, not under-covered
      REQUIRE_THROWS_AS(tmg::optimize_step_table(in.x, in.boundaries, in.R, in.w, c), tmg::invalid_argument);
      ++infeasible;
      continue;
    }
    for (const auto alg : {tmg::segmentation_algorithm::quadratic, tmg::segmentation_algorithm::divide_and_conquer}) {
      const auto res = tmg::optimize_step_table(in.x, in.boundaries, in.R, in.w, c, alg);
      CHECK(res.objective == brute);  // exact arithmetic: integers times dyadic rates
      check_table_sane(res, K, in);
    }
    ++checked;
  }
  CHECK(checked > 150);
  CHECK(infeasible > 5);
}

TEST_CASE("step table with free rates equals brute force, non-monotone required rates", "[calibrate][step]") {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    instance in = random_grid(rng, 10);
    const std::size_t K = static_cast<std::size_t>(draw(rng, 1, 4));
    tmg::tier_constraints c;
    c.max_tiers = K;
    for (double xi : in.x) in.R.push_back(xi * static_cast<double>(draw(rng, 1, 60)) / 256.0);  // rate <= 0.23
    const double brute = brute_step_free(in, K);
    const auto res = tmg::optimize_step_table(in.x, in.boundaries, in.R, in.w, c);
    CHECK(close(res.objective, brute));
    check_table_sane(res, K, in);
    // IMR = kappa * MMR = 2 MMR
    for (std::size_t k = 0; k < res.table.size(); ++k)
      CHECK(close(1.0 / res.table.max_leverages()[k], 2.0 * res.table.maint_rates()[k]));
  }
}

TEST_CASE("tax-bracket table with rate levels equals brute force (exact label DP)", "[calibrate][bracket]") {
  std::mt19937_64 rng(99);
  int checked = 0, infeasible = 0;
  for (int trial = 0; trial < 300; ++trial) {
    auto [in, c] = level_instance(rng, trial, 9, 3);  // arbitrary (mostly non-convex) integer required margins
    const std::size_t K = c.max_tiers;
    const double brute = brute_bracket_levels(in, c.levels.maint_rates, K);
    if (brute == inf) {
      // infeasible only when even one tier at the top rate fails (MM <= m_max x for every table)
      bool top_fails = false;
      for (std::size_t i = 0; i < in.x.size(); ++i) top_fails |= c.levels.maint_rates.back() * in.x[i] < in.R[i];
      CHECK(top_fails);
      REQUIRE_THROWS_AS(tmg::optimize_bracket_table(in.x, in.boundaries, in.R, in.w, c), tmg::invalid_argument);
      ++infeasible;
      continue;
    }
    const auto res = tmg::optimize_bracket_table(in.x, in.boundaries, in.R, in.w, c);
    CHECK(res.objective == brute);  // exact arithmetic
    check_table_sane(res, K, in);
    ++checked;
  }
  CHECK(checked > 150);
  CHECK(infeasible > 5);
}

TEST_CASE("convex majorant equals the brute-force lexicographic oracle", "[calibrate][bracket][majorant]") {
  using tmg::detail::convex_majorant;
  // By hand (the oracle's counterexample): slopes 0.1 then 0.8; R_3 = 0.95 is below 0.9 + 0.8, so G_3 = 1.7.
  {
    const std::vector<double> x{1.0, 2.0, 3.0}, R{0.1, 0.9, 0.95};
    const auto G = convex_majorant(x, R);
    REQUIRE(G.size() == 3);
    CHECK(G[0] == 0.1);
    CHECK(G[1] == 0.9);
    CHECK_THAT(G[2], WithinAbs(1.7, 1e-15));
  }
  // R = x^2 is convex with R(0) = 0: G = R exactly (every slope is "needed": 1, 3, 5).
  {
    const std::vector<double> x{1.0, 2.0, 3.0}, R{1.0, 4.0, 9.0};
    CHECK(convex_majorant(x, R) == R);
  }
  // A dip below the chord of its neighbours is lifted onto the extension of the previous slope: x = 1..4,
  // R = {1, 3, 2, 10}: slopes 1, 2; R_3 = 2 < 3 + 2, so G_3 = 5; then (10 - 5) / 1 = 5 >= 2, G_4 = 10.
  {
    const std::vector<double> x{1.0, 2.0, 3.0, 4.0}, R{1.0, 3.0, 2.0, 10.0};
    CHECK(convex_majorant(x, R) == std::vector<double>{1.0, 3.0, 5.0, 10.0});
  }
  // Random grids, convex and non-convex R, against the oracle. Tolerance: each G_i takes a few roundings and
  // a slope error is carried at most x_N / min dx <= 60 times further (integer grid, steps 1 to 6), so the
  // library is within ~1e-13 relative of the exact value; 1e-9 is loose by orders of magnitude yet far below
  // the O(R) change any wrong branch makes.
  std::mt19937_64 rng(8080);
  long double worst = 0.0L;
  int lifted = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    instance in = random_grid(rng, 12);
    const int kind = trial % 3;
    const double a = 0.002 + 0.01 * static_cast<double>(draw(rng, 0, 100)) / 100.0;
    for (double xi : in.x) {
      if (kind == 0) in.R.push_back(xi * (a + 0.001 * std::sqrt(xi)));                        // convex
      if (kind == 1) in.R.push_back(xi * 0.01 * static_cast<double>(draw(rng, 1, 20)));       // random rates
      if (kind == 2) in.R.push_back(static_cast<double>(draw(rng, 1, 100)));                  // arbitrary
    }
    const std::vector<double> G = convex_majorant(in.x, in.R);
    const std::vector<long double> oracle = lexicographic_convex_majorant(in.x, in.R);
    REQUIRE(G.size() == in.x.size());
    std::size_t off = 0, below = 0, concave = 0;
    double previous_slope = -inf, previous_x = 0.0, previous_g = 0.0;
    for (std::size_t i = 0; i < G.size(); ++i) {
      const long double error = std::fabs(static_cast<long double>(G[i]) - oracle[i]);
      worst = std::max(worst, error / std::max(1.0L, std::fabs(oracle[i])));
      off += error <= 1e-9L * std::max(1.0L, std::fabs(oracle[i])) ? 0u : 1u;
      below += G[i] >= in.R[i] ? 0u : 1u;  // a majorant, exactly
      const double slope = (G[i] - previous_g) / (in.x[i] - previous_x);
      concave += slope >= previous_slope - 1e-9 * std::max(1.0, std::fabs(previous_slope)) ? 0u : 1u;
      previous_slope = slope;
      previous_x = in.x[i];
      previous_g = G[i];
      lifted += oracle[i] > static_cast<long double>(in.R[i]) * (1.0L + 1e-9L) ? 1 : 0;
    }
    INFO("trial " << trial << ", kind " << kind << ", " << in.x.size() << " points");
    CHECK(off == 0);
    CHECK(below == 0);
    CHECK(concave == 0);
    if (kind == 0) {  // convex with R(0) = 0 (the oracle's lines never bind): G = R
      std::size_t moved = 0;
      for (std::size_t i = 0; i < G.size(); ++i) moved += close(G[i], in.R[i]) ? 0u : 1u;
      CHECK(moved == 0);
    }
  }
  INFO("largest relative difference from the oracle: " << static_cast<double>(worst));
  CHECK(worst < 1e-12L);
  CHECK(lifted > 1000);  // the non-convex instances really exercised the lifting branch
}

TEST_CASE("tax-bracket chord DP equals brute force on convex curves, covers non-convex ones",
          "[calibrate][bracket]") {
  std::mt19937_64 rng(31337);
  for (int trial = 0; trial < 400; ++trial) {
    instance in = random_grid(rng, 10);
    const std::size_t K = static_cast<std::size_t>(draw(rng, 1, 4));
    tmg::tier_constraints c;
    c.max_tiers = K;
    c.kappa = 1.0;
    const bool convex = trial % 2 == 0;
    const double a = 0.002 + 0.01 * static_cast<double>(draw(rng, 0, 100)) / 100.0;
    const double s = 0.001 * static_cast<double>(draw(rng, 0, 100)) / 100.0;
    for (double xi : in.x) {
      // convex: x (a + s sqrt(x)) (docs/calibration.md §2: R convex); non-convex: random rates
      const double r = convex ? a + s * std::sqrt(xi) : 0.01 * static_cast<double>(draw(rng, 1, 20));
      in.R.push_back(xi * r);
    }
    const std::vector<double> G = convex ? in.R : to_double(lexicographic_convex_majorant(in.x, in.R));
    double steepest = 0.0;  // the last cell of a convex G has its largest slope
    for (std::size_t i = 0; i < G.size(); ++i)
      steepest = std::max(steepest, (G[i] - (i ? G[i - 1] : 0.0)) / (in.x[i] - (i ? in.x[i - 1] : 0.0)));
    if (steepest > 1.0) {  // some chord may need a rate above 1/kappa: either reported or not needed
      try {
        const auto res = tmg::optimize_bracket_table(in.x, in.boundaries, in.R, in.w, c);
        CHECK(res.coverage.covered);
      } catch (const tmg::invalid_argument& e) {
        CHECK(std::string(e.what()).find("kappa") != std::string::npos);
      }
      continue;
    }
    const double brute = brute_bracket_chord(in, G, K);
    for (const auto alg : {tmg::segmentation_algorithm::quadratic, tmg::segmentation_algorithm::divide_and_conquer}) {
      const auto res = tmg::optimize_bracket_table(in.x, in.boundaries, in.R, in.w, c, alg);
      CHECK(close(res.objective, brute));
      check_table_sane(res, K, in);  // includes M >= R at every evaluation point
    }
  }
}

TEST_CASE("chord DP when the rate cap 1/kappa binds", "[calibrate][bracket]") {
  // Review case: x = {0.5, 1}, R = {0.125, 0.5}, kappa = 2 (cap 0.5). Two chords need 0.25 then 0.75 > 0.5;
  // the best capped table is the single chord 0 -> 1 at rate 0.5 (excess 1 * (0.25 - 0.125) = 0.125).
  {
    const std::vector<double> x{0.5, 1.0}, R{0.125, 0.5}, w{1.0, 1.0};
    const std::vector<std::size_t> bd{0, 1};
    tmg::tier_constraints c;
    c.max_tiers = 2;
    c.kappa = 2.0;
    const auto res = tmg::optimize_bracket_table(x, bd, R, w, c);
    REQUIRE(res.table.size() == 1);
    CHECK_THAT(res.table.maint_rates()[0], WithinAbs(0.5, 1e-15));
    CHECK_THAT(res.objective, WithinAbs(0.125, 1e-15));
    CHECK(res.coverage.covered);
  }
  // Non-convex review case: the greedy majorant is steeper than the cap everywhere, but one tier at
  // max R/x = 0.45 covers R: 0.45 * {1, 2, 3} = {0.45, 0.9, 1.35} >= {0.1, 0.9, 0.95}.
  {
    const std::vector<double> x{1.0, 2.0, 3.0}, R{0.1, 0.9, 0.95}, w{1.0, 1.0, 1.0};
    const std::vector<std::size_t> bd{0, 1, 2};
    tmg::tier_constraints c;
    c.max_tiers = 3;
    c.kappa = 2.0;
    const auto res = tmg::optimize_bracket_table(x, bd, R, w, c);
    REQUIRE(res.table.size() == 1);
    CHECK_THAT(res.table.maint_rates()[0], WithinAbs(0.45, 1e-15));
    CHECK(res.coverage.covered);
  }
  // Random convex curves whose steepest chord exceeds the cap: the optimizer equals the capped brute force
  // (both DP variants: the capped problem always runs the quadratic DP).
  std::mt19937_64 rng(4242);
  int binding = 0;
  for (int trial = 0; trial < 300; ++trial) {
    instance in = random_grid(rng, 9);
    const std::size_t K = static_cast<std::size_t>(draw(rng, 1, 4));
    tmg::tier_constraints c;
    c.max_tiers = K;
    c.kappa = 1.0;
    const double a = 0.05 * static_cast<double>(draw(rng, 1, 10));
    const double s = 0.02 * static_cast<double>(draw(rng, 1, 50));
    const double top = in.x.back();
    for (double xi : in.x) in.R.push_back(xi * (a + s * xi / top));  // rate a + s x/top, convex R
    const double brute = brute_bracket_chord(in, in.R, K, 1.0);
    if (brute == inf) {
      CHECK_THROWS_AS(tmg::optimize_bracket_table(in.x, in.boundaries, in.R, in.w, c), tmg::invalid_argument);
      continue;
    }
    binding += brute > brute_bracket_chord(in, in.R, K) + 1e-12 ? 1 : 0;
    for (const auto alg : {tmg::segmentation_algorithm::quadratic, tmg::segmentation_algorithm::divide_and_conquer}) {
      const auto res = tmg::optimize_bracket_table(in.x, in.boundaries, in.R, in.w, c, alg);
      CHECK(close(res.objective, brute));
      check_table_sane(res, K, in);
    }
  }
  CHECK(binding > 20);  // the cap really changed the answer in many instances
}

TEST_CASE("chord DP is pointwise minimal among tax-bracket tables on convex curves", "[calibrate][bracket]") {
  // docs/calibration.md §4.3: for convex R the chord table is optimal for every weighting; so with all caps allowed
  // and K = n it equals R at every breakpoint, and the label DP over a fine tick can never beat it.
  std::mt19937_64 rng(4242);
  for (int trial = 0; trial < 100; ++trial) {
    instance in = random_grid(rng, 8);
    tmg::tier_constraints c;
    c.max_tiers = static_cast<std::size_t>(draw(rng, 1, 3));
    for (double xi : in.x) in.R.push_back(xi * (0.01 + 0.002 * std::sqrt(xi)));
    const auto chord = tmg::optimize_bracket_table(in.x, in.boundaries, in.R, in.w, c);
    tmg::tier_constraints d = c;
    d.levels = tmg::tick_levels(1.0 / 256.0, 0.125);
    d.kappa = 1.0;
    const auto discrete = tmg::optimize_bracket_table(in.x, in.boundaries, in.R, in.w, d);
    CHECK(discrete.objective >= chord.objective - 1e-9 * std::max(1.0, chord.objective));
  }
}

TEST_CASE("fast DP variants equal the O(K n^2) reference bit for bit", "[calibrate][segmentation]") {
  std::mt19937_64 rng(555);
  for (int trial = 0; trial < 200; ++trial) {
    instance in = random_grid(rng, 400);
    const std::size_t K = static_cast<std::size_t>(draw(rng, 1, 20));
    tmg::tier_constraints c;
    c.max_tiers = K;
    c.kappa = 1.0;
    // dyadic rates r_i = j/1024, non-monotone: R = x r exact, R/x exact
    for (double xi : in.x) in.R.push_back(xi * static_cast<double>(draw(rng, 1, 400)) / 1024.0);
    if (trial % 2 == 0) c.levels = tmg::tick_levels(1.0 / 128.0, 0.5);
    const auto slow = tmg::optimize_step_table(in.x, in.boundaries, in.R, in.w, c, tmg::segmentation_algorithm::quadratic);
    const auto fast =
        tmg::optimize_step_table(in.x, in.boundaries, in.R, in.w, c, tmg::segmentation_algorithm::divide_and_conquer);
    CHECK(slow.objective == fast.objective);
    CHECK(slow.table.rows() == fast.table.rows());
    // chord DP on a convex curve
    instance cv = in;
    for (std::size_t i = 0; i < cv.x.size(); ++i) cv.R[i] = cv.x[i] * (0.004 + 0.0005 * std::sqrt(cv.x[i]));
    tmg::tier_constraints f;
    f.max_tiers = K;
    const auto chord_slow =
        tmg::optimize_bracket_table(cv.x, cv.boundaries, cv.R, cv.w, f, tmg::segmentation_algorithm::quadratic);
    const auto chord_fast =
        tmg::optimize_bracket_table(cv.x, cv.boundaries, cv.R, cv.w, f, tmg::segmentation_algorithm::divide_and_conquer);
    CHECK(chord_slow.objective == chord_fast.objective);
    CHECK(chord_slow.table.rows() == chord_fast.table.rows());
  }
}

TEST_CASE("calibration grid and rate levels", "[calibrate][grid]") {
  const auto grid125 = tmg::round_number_grid(1e4, 1e6);
  // 1-2-5 series by hand: 1e4 2e4 5e4 1e5 2e5 5e5 1e6
  REQUIRE(grid125 == std::vector<double>{1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6});
  const double b[] = {10.0, 30.0};
  const auto g = tmg::make_calibration_grid(b, 4);
  CHECK(g.notionals == std::vector<double>{2.5, 5.0, 7.5, 10.0, 15.0, 20.0, 25.0, 30.0});
  CHECK(g.boundaries == std::vector<std::size_t>{3, 7});
  const double lev[] = {20.0, 125.0, 50.0};
  const auto levels = tmg::leverage_levels(lev, 2.0);
  // MMR = 1/(2 L): 1/250, 1/100, 1/40 ascending
  CHECK(levels.maint_rates == std::vector<double>{1.0 / 250.0, 1.0 / 100.0, 1.0 / 40.0});
  CHECK(levels.max_leverages == std::vector<double>{125.0, 50.0, 20.0});
  // a step table with leverage levels offers exactly those leverages
  tmg::tier_constraints c;
  c.levels = levels;
  c.max_tiers = 3;
  const std::vector<double> x{1, 2, 3, 4}, w{1, 1, 1, 1}, R{0.003, 0.009, 0.02, 0.09};
  const std::vector<std::size_t> bd{0, 1, 2, 3};
  const auto res = tmg::optimize_step_table(x, bd, R, w, c);
  // by hand: r = .003 .0045 .00667 .0225 -> levels .004 .01 .01 .025; best 3 tiers (1],(3],(4]
  REQUIRE(res.table.size() == 3);
  CHECK(res.table.max_leverages()[0] == 125.0);
  CHECK(res.table.max_leverages()[2] == 20.0);
  CHECK(res.table.caps()[1] == 3.0);
  CHECK(close(res.objective, (0.004 - 0.003) + (0.02 - 0.009) + (0.03 - 0.02) + (0.1 - 0.09)));
}

TEST_CASE("optimizers report bad input through the error policy", "[calibrate][errors]") {
  const std::vector<double> x{1, 2, 3}, w{1, 1, 1}, R{0.01, 0.02, 0.03};
  const std::vector<std::size_t> bd{0, 2};
  tmg::tier_constraints c;
  const auto message = [](auto f) {
    try {
      f();
    } catch (const tmg::error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  SECTION("non-monotone notionals") {
    const std::vector<double> bad{1, 3, 2};
    const auto m = message([&] { (void)tmg::optimize_step_table(bad, bd, R, w, c); });
    CHECK(m.find("optimize_step_table") != std::string::npos);
    CHECK(m.find("notionals") != std::string::npos);
  }
  SECTION("negative weight") {
    const std::vector<double> bad{1, -1, 1};
    CHECK(message([&] { (void)tmg::optimize_bracket_table(x, bd, R, bad, c); }).find("weights") != std::string::npos);
  }
  SECTION("last boundary must be the cap") {
    const std::vector<std::size_t> bad{0, 1};
    CHECK(message([&] { (void)tmg::optimize_step_table(x, bad, R, w, c); }).find("boundaries") != std::string::npos);
  }
  SECTION("K = 0") {
    c.max_tiers = 0;
    CHECK(message([&] { (void)tmg::optimize_step_table(x, bd, R, w, c); }).find("max_tiers") != std::string::npos);
  }
  SECTION("coverage impossible with the allowed rates") {
    const double lev[] = {125.0, 100.0};
    c.levels = tmg::leverage_levels(lev);
    const auto m = message([&] { (void)tmg::optimize_bracket_table(x, bd, R, w, c); });
    CHECK(m.find("highest allowed maint rate") != std::string::npos);
    CHECK(message([&] { (void)tmg::optimize_step_table(x, bd, R, w, c); }).find("required") != std::string::npos);
  }
  SECTION("free rates beyond 1/kappa") {
    const std::vector<double> big{0.6, 1.2, 1.8};
    CHECK(message([&] { (void)tmg::optimize_step_table(x, bd, big, w, c); }).find("kappa") != std::string::npos);
    CHECK(message([&] { (void)tmg::optimize_bracket_table(x, bd, big, w, c); }).find("kappa") != std::string::npos);
  }
  SECTION("bad constraints and levels") {
    c.kappa = 0.5;
    CHECK(message([&] { (void)tmg::optimize_step_table(x, bd, R, w, c); }).find("kappa") != std::string::npos);
    const double lev[] = {0.5};
    REQUIRE_THROWS_AS(tmg::leverage_levels(lev), tmg::invalid_argument);
    REQUIRE_THROWS_AS(tmg::tick_levels(0.0, 0.1), tmg::invalid_argument);
  }
  SECTION("quiet_nan returns an invalid table and NaN") {
    struct quiet_step : tmg::step_table_policies {
      using error = tmg::quiet_nan;
    };
    struct quiet_bracket : tmg::default_policies {
      using error = tmg::quiet_nan;
    };
    const std::vector<double> bad{1, 3, 2};
    const auto s = tmg::optimize_step_table<quiet_step>(bad, bd, R, w, c);
    CHECK(!s.table.valid());
    CHECK(std::isnan(s.objective));
    const auto b = tmg::optimize_bracket_table<quiet_bracket>(x, bd, R, w, tmg::tier_constraints{0});
    CHECK(!b.table.valid());
    CHECK(std::isnan(b.objective));
  }
}

TEST_CASE("segment costs satisfy the quadrangle (Monge) inequality the D&C DP relies on", "[calibrate][segmentation]") {
  // docs/calibration.md §4.2 / §4.3 [D], §7a verification (2): C(a,b) + C(a',b') <= C(a,b') + C(a',b) for
  // a < a' < b < b', with the costs summed directly point by point (not via the optimizers' prefix sums).
  std::mt19937_64 rng(2718);
  int violations = 0, quadruples = 0;
  for (int trial = 0; trial < 60; ++trial) {
    instance in = random_grid(rng, 24);
    for (double xi : in.x) in.R.push_back(xi * (0.003 + 0.001 * std::sqrt(xi)));  // convex
    std::vector<double> r(in.x.size());
    double running = 0.0;  // step: rate needed by a tier ending at i is the running max of R/x
    for (std::size_t i = 0; i < in.x.size(); ++i) r[i] = running = std::max(running, in.R[i] / in.x[i]);
    const std::size_t n = in.boundaries.size();
    const auto end_of = [&](std::size_t b) { return b == 0 ? std::size_t{0} : in.boundaries[b - 1] + 1; };
    const auto step_cost = [&](std::size_t a, std::size_t b) {
      double c = 0.0;
      for (std::size_t i = end_of(a); i < end_of(b); ++i) c += in.w[i] * (r[end_of(b) - 1] * in.x[i] - in.R[i]);
      return c;
    };
    const auto chord_cost = [&](std::size_t a, std::size_t b) {
      const double x0 = a == 0 ? 0.0 : in.x[end_of(a) - 1], g0 = a == 0 ? 0.0 : in.R[end_of(a) - 1];
      const double x1 = in.x[end_of(b) - 1], g1 = in.R[end_of(b) - 1];
      double c = 0.0;
      for (std::size_t i = end_of(a); i < end_of(b); ++i)
        c += in.w[i] * (g0 + (g1 - g0) / (x1 - x0) * (in.x[i] - x0) - in.R[i]);
      return c;
    };
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t a2 = a + 1; a2 < n; ++a2)
        for (std::size_t b = a2 + 1; b <= n; ++b)
          for (std::size_t b2 = b + 1; b2 <= n; ++b2) {
            ++quadruples;
            for (const auto& cost : {std::function<double(std::size_t, std::size_t)>(step_cost),
                                     std::function<double(std::size_t, std::size_t)>(chord_cost)}) {
              const double lhs = cost(a, b) + cost(a2, b2), rhs = cost(a, b2) + cost(a2, b);
              if (lhs > rhs + 1e-9 * std::max(1.0, std::fabs(rhs))) ++violations;
            }
          }
  }
  CHECK(quadruples > 1000);
  CHECK(violations == 0);
}
