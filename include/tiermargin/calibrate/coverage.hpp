// SPDX-License-Identifier: BSL-1.0
/// @file coverage.hpp  Coverage diagnostics of any tier table against a required-margin curve, and the
/// result type of the optimizers (table + objective + diagnostics).
///
/// For a table with maintenance margin M and a required margin R on an evaluation grid x_i with weights
/// w_i: per tier and overall, the smallest coverage margin M(x) - R(x) (negative = under-covered) and where
/// it occurs, the smallest ratio M/R, and the weighted excess sum w_i (M(x_i) - R(x_i)). Points above the
/// table's last cap are priced with the last tier and counted in `beyond_cap_points`.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "../tiers/margin.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Coverage of one tier of a table on the evaluation points inside it.
struct tier_coverage {
  /// @{
  /// The tier's bounds: floor (exclusive, except 0 for the first tier) and cap (inclusive).
  double floor = 0.0, cap = 0.0;
  /// @}
  std::size_t points = 0;             ///< evaluation points in (floor, cap]
  double min_margin = std::numeric_limits<double>::infinity();  ///< min M(x) - R(x), money
  double min_margin_at = std::numeric_limits<double>::quiet_NaN();  ///< notional where it occurs
  double min_ratio = std::numeric_limits<double>::infinity();   ///< min M(x) / R(x)
  double max_ratio = 0.0;             ///< max M(x) / R(x) (over-charge)
  double weighted_excess = 0.0;       ///< sum w_i (M(x_i) - R(x_i)) over the tier's points
};

/// Coverage of a whole table.
struct coverage_report {
  std::vector<tier_coverage> tiers;  ///< one entry per tier, in order
  double min_margin = std::numeric_limits<double>::infinity();      ///< min over all points of M(x) - R(x), money
  double min_margin_at = std::numeric_limits<double>::quiet_NaN();  ///< notional where it occurs
  double min_ratio = std::numeric_limits<double>::infinity();       ///< min over all points of M(x) / R(x)
  double weighted_excess = 0.0;  ///< sum w_i (M(x_i) - R(x_i)) over all points
  std::size_t under_covered_points = 0;  ///< points with M < R beyond the tolerance
  std::size_t beyond_cap_points = 0;     ///< points above the table's last cap
  /// True when every point is covered: M(x) >= R(x) - tolerance * R(x).
  bool covered = false;
};

/// The output of a tier optimizer: the table, the optimal objective the optimizer computed, the number of
/// tiers and the coverage diagnostics re-evaluated on the finished table (an independent check).
template <policy_bundle Policies>
struct calibration_result {
  tier_table<double, Policies> table;  ///< the calibrated table
  double objective = std::numeric_limits<double>::quiet_NaN();  ///< sum w_i (M(x_i) - R(x_i))
  coverage_report coverage;  ///< the table re-evaluated on the optimizer's points
};

/// Evaluates `table` (its own convention, cumulative or flat) at every x_i: coverage against R_i, weighted
/// excess with w_i (pass an empty span for unit weights). `tolerance` is relative to R_i (default 1e-9, for
/// floating-point rounding of tight chords). Errors: sizes, non-finite or negative inputs, invalid table.
/// O(N) with the default lookup, O(N log K) otherwise.
template <policy_bundle P>
coverage_report evaluate_coverage(const tier_table<double, P>& table, std::span<const double> notionals,
                                  std::span<const double> required, std::span<const double> weights,
                                  double tolerance = 1e-9) {
  using on_error = typename P::error;
  constexpr const char* fn = "evaluate_coverage";
  coverage_report out;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (!detail::check<on_error>(table.valid(), {error_kind::invalid_table, fn, "table", nan,
                                               "is empty or was rejected at construction"}))
    return out;
  if (!detail::check<on_error>(required.size() == notionals.size(),
                               {error_kind::invalid_argument, fn, "required", static_cast<double>(required.size()),
                                "size must equal notionals.size()"}))
    return out;
  if (!detail::check<on_error>(weights.empty() || weights.size() == notionals.size(),
                               {error_kind::invalid_argument, fn, "weights", static_cast<double>(weights.size()),
                                "must be empty or have notionals.size() entries"}))
    return out;
  if (!detail::check<on_error>(std::isfinite(tolerance) && tolerance >= 0.0,
                               {error_kind::invalid_argument, fn, "tolerance", tolerance, "must be finite and >= 0"}))
    return out;
  out.tiers.resize(table.size());
  for (std::size_t k = 0; k < table.size(); ++k) {
    out.tiers[k].floor = table.floors()[k];
    out.tiers[k].cap = table.caps()[k];
  }
  for (std::size_t i = 0; i < notionals.size(); ++i) {
    const double x = notionals[i], r = required[i];
    const double w = weights.empty() ? 1.0 : weights[i];
    if (!detail::check<on_error>(std::isfinite(x) && x >= 0.0 && std::isfinite(r) && r >= 0.0 &&
                                     std::isfinite(w) && w >= 0.0,
                                 {error_kind::invalid_argument, fn, "notionals/required/weights", x,
                                  "must all be finite and >= 0", static_cast<long>(i)}))
      return coverage_report{};
    if (x > table.last_cap()) ++out.beyond_cap_points;
    const std::size_t k = table.tier_index_unchecked(x);
    const double m = detail::maintenance_in_tier(table, k, x);
    tier_coverage& t = out.tiers[k];
    ++t.points;
    const double margin = m - r;
    if (margin < t.min_margin) {
      t.min_margin = margin;
      t.min_margin_at = x;
    }
    if (r > 0.0) {
      t.min_ratio = std::fmin(t.min_ratio, m / r);
      t.max_ratio = std::fmax(t.max_ratio, m / r);
    }
    t.weighted_excess += w * margin;
    if (margin < -tolerance * r) ++out.under_covered_points;
  }
  for (const tier_coverage& t : out.tiers) {
    if (t.min_margin < out.min_margin) {
      out.min_margin = t.min_margin;
      out.min_margin_at = t.min_margin_at;
    }
    out.min_ratio = std::fmin(out.min_ratio, t.min_ratio);
    out.weighted_excess += t.weighted_excess;
  }
  out.covered = out.under_covered_points == 0 && out.beyond_cap_points == 0;
  return out;
}

TIERMARGIN_NAMESPACE_END
