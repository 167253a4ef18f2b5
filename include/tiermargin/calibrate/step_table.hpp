// SPDX-License-Identifier: BSL-1.0
/// @file step_table.hpp  Optimal step ("risk-limit") table: the whole position is charged its tier's rate
/// (OKX isolated, Bybit risk limits, and every venue's initial margin), docs/calibration.md §4.2 / §7a problem A1.
///
/// Problem (exact, discrete): evaluation grid x_1 < ... < x_N with required margin R_i > 0 and weights w_i >= 0;
/// candidate caps among `boundaries` (the last is x_N). Choose k <= K caps and rates m_1 <= ... <= m_k from the
/// allowed set (free, or `constraints.levels`) minimising the weighted excess sum_i w_i (m_{k(i)} x_i - R_i)
/// subject to coverage m_{k(i)} x_i >= R_i at every evaluation point.
///
/// Reduction: let r_i = R_i / x_i and r~_i = max_{j <= i} r_j (running max). With non-decreasing rates,
/// coverage of r is equivalent to coverage of r~ (m_{k(i)} >= m_{k(j)} >= r_j for j <= i), so a tier ending at
/// boundary b needs exactly m = rho(r~_b), rho = round up to the allowed set (identity for free rates), and a
/// non-monotone (non-convex) required curve is handled exactly, never under-covered. Segment cost with prefix
/// sums P_j = sum_{i<=j} w_i x_i, Q_j = sum_{i<=j} w_i R_i:  C(a, b) = rho(r~_b)(P_b - P_a) - (Q_b - Q_a).
/// Monge (docs/calibration.md §4.2 [D]): for a < a' < b < b',
///   C(a,b) + C(a',b') - C(a,b') - C(a',b) = (P_a' - P_a)(rho(r~_b) - rho(r~_b')) <= 0
/// since P is non-decreasing and rho(r~) is non-decreasing (the Q terms cancel). Hence segmentation.hpp's
/// divide-and-conquer DP is exact; the O(K n^2) DP is the reference. Rates come out non-decreasing, so max
/// leverage comes out non-increasing.
///
/// K never makes coverage infeasible: any table has M(x) <= m_max x, so one tier at the highest allowed rate is
/// feasible whenever any table is. Infeasibility means a required rate R_i/x_i above the highest allowed rate
/// (or above min(1/kappa, 1 - imr_buffer) for free rates): reported with the evaluation index.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "../tiers/tier_table.hpp"
#include "coverage.hpp"
#include "grid.hpp"
#include "rate_levels.hpp"
#include "segmentation.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Policies of a step table: flat (whole-position) convention, otherwise the defaults.
struct step_table_policies : default_policies {
  using convention = flat_convention;  ///< MM = n * mmr_k, no deduction
};

/// Optimal step table (problem above). Returns the table (flat convention), the optimal objective and the
/// coverage re-evaluated on the table. Complexity O(N + K n log n) (divide and conquer) or O(N + K n^2)
/// (quadratic), n = boundaries.size(), N = notionals.size(); allocates O(N + K n).
/// Errors (through Policies::error; under quiet_nan the result has an invalid table and NaN objective):
/// bad grid / R / w (see grid.hpp), K = 0, bad constraints, a required rate above every allowed rate.
template <policy_bundle Policies = step_table_policies>
calibration_result<Policies> optimize_step_table(std::span<const double> notionals,
                                                 std::span<const std::size_t> boundaries,
                                                 std::span<const double> required, std::span<const double> weights,
                                                 const tier_constraints& constraints,
                                                 segmentation_algorithm algorithm =
                                                     segmentation_algorithm::divide_and_conquer) {
  static_assert(!Policies::convention::uses_deduction, "STEP_TABLE_NEEDS_THE_FLAT_CONVENTION");
  using on_error = typename Policies::error;
  constexpr const char* fn = "optimize_step_table";
  calibration_result<Policies> out;
  if (!detail::check_calibration_input<on_error>(fn, notionals, boundaries, required, weights,
                                                 constraints.max_tiers) ||
      !detail::check_constraints<on_error>(fn, constraints))
    return out;
  const std::size_t N = notionals.size(), n = boundaries.size();
  const auto& levels = constraints.levels.maint_rates;
  const double top = levels.empty() ? detail::max_usable_rate(constraints) : levels.back();

  // running max of the required rate, and feasibility
  std::vector<double> running(N);
  double r_max = 0.0;
  for (std::size_t i = 0; i < N; ++i) {
    const double r = required[i] / notionals[i];
    if (!detail::check<on_error>(r <= top, {error_kind::invalid_argument, fn, "required", r,
                                            "required rate R/x exceeds the highest allowed maint rate (or "
                                            "min(1/kappa, 1 - imr_buffer) for free rates): add a higher rate / lower "
                                            "leverage, lower kappa, or lower the largest boundary",
                                            static_cast<long>(i)}))
      return out;
    r_max = r > r_max ? r : r_max;
    running[i] = r_max;
  }

  // rate and level of a tier ending at boundary b (1-based), prefix sums over the evaluation grid
  std::vector<double> rate(n + 1, 0.0);
  std::vector<std::size_t> level(n + 1, levels.size());
  std::vector<std::size_t> end(n + 1, 0);  // prefix count e_b
  std::size_t l = 0;
  for (std::size_t b = 1; b <= n; ++b) {
    end[b] = boundaries[b - 1] + 1;
    const double need = running[end[b] - 1];
    if (levels.empty()) {
      rate[b] = need;
    } else {
      while (levels[l] < need) ++l;  // terminates: need <= top = levels.back()
      rate[b] = levels[l];
      level[b] = l;
    }
  }
  std::vector<double> P(N + 1, 0.0), Q(N + 1, 0.0);
  for (std::size_t i = 0; i < N; ++i) {
    P[i + 1] = P[i] + weights[i] * notionals[i];
    Q[i + 1] = Q[i] + weights[i] * required[i];
  }
  const auto cost = [&](std::size_t a, std::size_t b) noexcept {
    return rate[b] * (P[end[b]] - P[end[a]]) - (Q[end[b]] - Q[end[a]]);
  };
  const detail::segmentation_solution solution = detail::segment(n, constraints.max_tiers, cost, algorithm);

  // table: merge neighbours with equal rate (same margin function, fewer tiers)
  std::vector<bracket<double>> rows;
  double floor = 0.0;
  for (std::size_t j = 0; j < solution.ends.size(); ++j) {
    const std::size_t b = solution.ends[j];
    if (!rows.empty() && rows.back().maint_rate == rate[b]) {
      floor = notionals[end[b] - 1];
      continue;
    }
    rows.push_back({floor, rate[b], detail::leverage_for(constraints, rate[b], level[b])});
    floor = notionals[end[b] - 1];
  }
  out.table = tier_table<double, Policies>(std::span<const bracket<double>>(rows), notionals[N - 1]);
  out.objective = solution.cost;
  out.coverage = evaluate_coverage(out.table, notionals, required, weights);
  return out;
}

/// Same, on a `calibration_grid`.
template <policy_bundle Policies = step_table_policies>
calibration_result<Policies> optimize_step_table(const calibration_grid& grid, std::span<const double> required,
                                                 std::span<const double> weights, const tier_constraints& constraints,
                                                 segmentation_algorithm algorithm =
                                                     segmentation_algorithm::divide_and_conquer) {
  return optimize_step_table<Policies>(grid.notionals, grid.boundaries, required, weights, constraints, algorithm);
}

TIERMARGIN_NAMESPACE_END
