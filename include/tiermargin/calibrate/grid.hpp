// SPDX-License-Identifier: BSL-1.0
/// @file grid.hpp  The calibration grid: candidate tier boundaries (round numbers) and the finer grid on
/// which coverage and the weighted excess are evaluated.
///
/// The optimizers (step_table.hpp, bracket_table.hpp) choose tier caps among `boundaries`, indices into the
/// evaluation grid `notionals` x_1 < ... < x_N; the required margin R and the weights w live on that grid.
/// `make_calibration_grid(b, 10)` puts 10 evaluation points in every boundary interval (B_{j-1}, B_j]
/// (B_0 = 0), so coverage M(x) >= R(x) is checked on a grid 10x finer than the boundary grid.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "../core/check.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Evaluation grid plus candidate boundaries. Invariants (checked by every optimizer): `notionals` finite,
/// > 0, strictly increasing; `boundaries` strictly increasing indices into `notionals`, the last one N-1
/// (the table's final cap).
struct calibration_grid {
  std::vector<double> notionals;         ///< evaluation grid x_1 < ... < x_N
  std::vector<std::size_t> boundaries;   ///< candidate caps, as indices into `notionals`

  /// The candidate caps as notionals.
  std::vector<double> boundary_values() const {
    std::vector<double> out;
    out.reserve(boundaries.size());
    for (const std::size_t i : boundaries) out.push_back(notionals[i]);
    return out;
  }
};

/// Largest evaluation grid make_calibration_grid builds (2^24 points, 128 MiB of notionals): far above any
/// grid the optimizers can use, and low enough that a wrong `refine` is reported instead of failing in the
/// allocator.
inline constexpr std::size_t max_calibration_grid_points = std::size_t{1} << 24;

/// Largest segmentation table (`(min(max_tiers, n) + 1) x (n + 1)` indices for n candidate boundaries) an
/// optimizer allocates: 2^28 entries, 1 GiB.
inline constexpr std::size_t max_segmentation_entries = std::size_t{1} << 28;

/// Round numbers m * 10^e (m from `mantissas`, default the 1-2-5 series) in [lo, hi], ascending.
/// Errors: lo, hi must be finite with 0 < lo <= hi; mantissas in [1, 10); at most
/// max_calibration_grid_points candidates (decades x mantissas). O(log10(hi/lo) * |mantissas|).
template <error_policy Error = throw_errors>
std::vector<double> round_number_grid(double lo, double hi, std::span<const double> mantissas) {
  constexpr const char* fn = "round_number_grid";
  std::vector<double> out;
  if (!detail::check_finite_positive<Error>(fn, "lo", lo)) return out;
  if (!detail::check<Error>(std::isfinite(hi) && hi >= lo,
                            {error_kind::invalid_argument, fn, "hi", hi, "must be finite and >= lo"}))
    return out;
  for (std::size_t j = 0; j < mantissas.size(); ++j) {
    const double m = mantissas[j];
    if (!detail::check<Error>(m >= 1.0 && m < 10.0 && (j == 0 || m > mantissas[j - 1]),
                              {error_kind::invalid_argument, fn, "mantissas", m,
                               "must be strictly increasing and in [1, 10)", static_cast<long>(j)}))
      return out;
  }
  const int e0 = static_cast<int>(std::floor(std::log10(lo))) - 1;
  const int e1 = static_cast<int>(std::ceil(std::log10(hi))) + 1;
  std::size_t candidates = 0;  // decades x mantissas: an upper bound on the output size
  if (!detail::check<Error>(detail::checked_multiply(static_cast<std::size_t>(e1 - e0 + 1), mantissas.size(),
                                                     candidates) &&
                                candidates <= max_calibration_grid_points,
                            {error_kind::invalid_argument, fn, "mantissas", static_cast<double>(mantissas.size()),
                             "decades in [lo, hi] times mantissas.size() must be <= max_calibration_grid_points"}))
    return out;
  for (int e = e0; e <= e1; ++e) {
    const double scale = std::pow(10.0, static_cast<double>(std::abs(e)));
    for (const double m : mantissas) {
      const double v = e >= 0 ? m * scale : m / scale;
      if (v >= lo * (1.0 - 1e-12) && v <= hi * (1.0 + 1e-12)) out.push_back(v);
    }
  }
  return out;
}

/// 1-2-5 series in [lo, hi].
template <error_policy Error = throw_errors>
std::vector<double> round_number_grid(double lo, double hi) {
  static constexpr double series[] = {1.0, 2.0, 5.0};
  return round_number_grid<Error>(lo, hi, std::span<const double>(series));
}

/// Evaluation grid with `refine` equally spaced points in every interval (B_{j-1}, B_j] of the candidate
/// boundaries B_1 < ... < B_n (B_0 = 0); B_j is the last point of its interval. Errors: boundaries finite,
/// > 0, strictly increasing, non-empty; refine >= 1 and n * refine <= max_calibration_grid_points (checked
/// without overflow, reported naming 'refine'). O(n * refine).
template <error_policy Error = throw_errors>
calibration_grid make_calibration_grid(std::span<const double> boundary_values, std::size_t refine = 10) {
  constexpr const char* fn = "make_calibration_grid";
  calibration_grid grid;
  if (!detail::check<Error>(!boundary_values.empty(), {error_kind::invalid_argument, fn, "boundary_values", 0.0,
                                                       "needs at least one candidate boundary"}))
    return grid;
  if (!detail::check<Error>(refine >= 1, {error_kind::invalid_argument, fn, "refine",
                                          static_cast<double>(refine), "must be >= 1"}))
    return grid;
  std::size_t points = 0;
  if (!detail::check<Error>(detail::checked_multiply(boundary_values.size(), refine, points) &&
                                points <= max_calibration_grid_points,
                            {error_kind::invalid_argument, fn, "refine", static_cast<double>(refine),
                             "boundary_values.size() * refine must be <= max_calibration_grid_points = 2^24"}))
    return grid;
  double previous = 0.0;
  for (std::size_t j = 0; j < boundary_values.size(); ++j) {
    const double b = boundary_values[j];
    if (!detail::check<Error>(std::isfinite(b) && b > previous,
                              {error_kind::invalid_argument, fn, "boundary_values", b,
                               "must be finite, > 0 and strictly increasing", static_cast<long>(j)}))
      return calibration_grid{};
    previous = b;
  }
  grid.notionals.reserve(points);
  grid.boundaries.reserve(boundary_values.size());
  double lo = 0.0;
  for (const double b : boundary_values) {
    for (std::size_t t = 1; t < refine; ++t)
      grid.notionals.push_back(lo + (b - lo) * static_cast<double>(t) / static_cast<double>(refine));
    grid.notionals.push_back(b);
    grid.boundaries.push_back(grid.notionals.size() - 1);
    lo = b;
  }
  return grid;
}

namespace detail {
/// Shared validation of an optimizer's inputs; reports the first violation through `Error`.
template <error_policy Error>
bool check_calibration_input(const char* fn, std::span<const double> x, std::span<const std::size_t> boundaries,
                             std::span<const double> required, std::span<const double> weights,
                             std::size_t max_tiers) noexcept(Error::is_noexcept) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (!check<Error>(!x.empty(), {error_kind::insufficient_data, fn, "notionals", nan,
                                 "needs at least one evaluation point"}))
    return false;
  if (!check<Error>(required.size() == x.size(), {error_kind::invalid_argument, fn, "required",
                                                  static_cast<double>(required.size()),
                                                  "size must equal notionals.size()"}))
    return false;
  if (!check<Error>(weights.size() == x.size(), {error_kind::invalid_argument, fn, "weights",
                                                 static_cast<double>(weights.size()),
                                                 "size must equal notionals.size()"}))
    return false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!check<Error>(std::isfinite(x[i]) && x[i] > (i == 0 ? 0.0 : x[i - 1]),
                      {error_kind::invalid_argument, fn, "notionals", x[i],
                       "must be finite, > 0 and strictly increasing", static_cast<long>(i)}))
      return false;
    if (!check<Error>(std::isfinite(required[i]) && required[i] > 0.0,
                      {error_kind::invalid_argument, fn, "required", required[i],
                       "must be finite and > 0 (a required margin in money)", static_cast<long>(i)}))
      return false;
    if (!check<Error>(std::isfinite(weights[i]) && weights[i] >= 0.0,
                      {error_kind::invalid_argument, fn, "weights", weights[i], "must be finite and >= 0",
                       static_cast<long>(i)}))
      return false;
  }
  if (!check<Error>(!boundaries.empty() && boundaries.size() < 0xffffffffu,
                    {error_kind::invalid_argument, fn, "boundaries", static_cast<double>(boundaries.size()),
                     "needs between 1 and 2^32 - 2 candidate boundaries"}))
    return false;
  for (std::size_t j = 0; j < boundaries.size(); ++j) {
    if (!check<Error>(boundaries[j] < x.size() && (j == 0 || boundaries[j] > boundaries[j - 1]),
                      {error_kind::invalid_argument, fn, "boundaries", static_cast<double>(boundaries[j]),
                       "must be strictly increasing indices into notionals", static_cast<long>(j)}))
      return false;
  }
  if (!check<Error>(boundaries.back() + 1 == x.size(),
                    {error_kind::invalid_argument, fn, "boundaries", static_cast<double>(boundaries.back()),
                     "the last candidate boundary must be the last notional (the table's cap)"}))
    return false;
  if (!check<Error>(max_tiers >= 1, {error_kind::invalid_argument, fn, "max_tiers",
                                     static_cast<double>(max_tiers), "must be >= 1"}))
    return false;
  const std::size_t n = boundaries.size();
  const std::size_t layers = max_tiers < n ? max_tiers : n;
  std::size_t entries = 0;
  return check<Error>(checked_multiply(layers + 1, n + 1, entries) && entries <= max_segmentation_entries,
                      {error_kind::invalid_argument, fn, "boundaries", static_cast<double>(n),
                       "(min(max_tiers, boundaries) + 1) * (boundaries + 1) must be <= max_segmentation_entries "
                       "= 2^28: use fewer candidate boundaries or a smaller max_tiers"});
}
}  // namespace detail

TIERMARGIN_NAMESPACE_END
