// SPDX-License-Identifier: BSL-1.0
/// @file quantile.hpp  The nine Hyndman-Fan sample quantiles (R's quantile(type = 1..9)).
///
/// Hyndman & Fan (1996), as implemented by R's `stats::quantile` (docs/risk.md section 3): with the sample
/// sorted ascending x_(1) <= ... <= x_(n),
///   Q(p) = (1 - h) x_(j) + h x_(j+1),   j = floor(n p + m + fuzz),   fuzz = 4 * DBL_EPSILON,
/// indices clamped to [1, n]. Types 1-3 are discontinuous:
///   1  inverse ECDF, x_(ceil(n p))          (h = [n p > j])            <- the default, and VaR's definition
///   2  as 1, averaging at discontinuities    (h = ([n p > j] + 1) / 2)
///   3  nearest even order statistic (SAS)    (m = -1/2, h = [n p - 1/2 != j or j odd])
/// Types 4-9 interpolate, with n p + m = a + p (n + 1 - a - b) and h = n p + m - j (0 when |h| < fuzz):
///   4 (a,b) = (0,1)   5 (1/2,1/2) "hazen"   6 (0,0) "weibull"   7 (1,1) R/Excel/numpy default
///   8 (1/3,1/3) median-unbiased   9 (3/8,3/8) normal-unbiased.
/// numpy's methods inverted_cdf ... normal_unbiased are the same nine definitions. As in R, a quantile is
/// exactly an order statistic when h is 0 or 1 or when the two neighbours are equal, so results match R to
/// the last bit whenever R does not interpolate, and to one rounding otherwise.
/// Beware 1 - 0.99 = 0.010000000000000009: pass the tail probability as written (docs/risk.md section 8.1).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "../core/check.hpp"
#include "../core/policies.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// A policy bundle that takes everything from `Base` except the Hyndman-Fan type:
/// `historical<with_hyndman_fan<7>>` is the historical estimator with R's default quantile.
template <int Type, class Base = default_policies>
struct with_hyndman_fan : Base {
  using quantile = hyndman_fan<Type>;  ///< replaces Base's quantile role
};

/// Where a Hyndman-Fan quantile sits in the ascending sorted sample: Q = (1 - h) x[lo] + h x[hi], with
/// 0-based indices lo <= hi < n (hi == lo + 1 unless clamped at an end).
struct quantile_position {
  std::size_t lo;  ///< index of the lower order statistic
  std::size_t hi;  ///< index of the upper order statistic
  double h;        ///< interpolation weight of x[hi], in [0, 1]
};

/// Position of the type-`type` quantile at probability p in [0, 1] of a sample of n >= 1 values, exactly
/// as R computes it (including R's 4*eps fuzz). O(1), no checks (type must be 1..9, n >= 1).
inline quantile_position hyndman_fan_position(int type, std::size_t n, double p) noexcept {
  constexpr double fuzz = 4.0 * std::numeric_limits<double>::epsilon();
  const double nd = static_cast<double>(n);
  double nppm = 0.0;
  double h = 0.0;
  double j = 0.0;
  if (type <= 3) {
    nppm = type == 3 ? nd * p - 0.5 : nd * p;
    j = std::floor(nppm + fuzz);
    const bool above = nppm > j;
    if (type == 1) {
      h = above ? 1.0 : 0.0;
    } else if (type == 2) {
      h = above ? 1.0 : 0.5;
    } else {
      const bool odd = std::fmod(j, 2.0) != 0.0;  // j may be -1: fmod(-1, 2) = -1, odd
      h = (nppm != j || odd) ? 1.0 : 0.0;
    }
  } else {
    double a = 0.0;
    double b = 0.0;
    switch (type) {
      case 4: a = 0.0; b = 1.0; break;
      case 5: a = 0.5; b = 0.5; break;
      case 6: a = 0.0; b = 0.0; break;
      case 7: a = 1.0; b = 1.0; break;
      case 8: a = 1.0 / 3.0; b = 1.0 / 3.0; break;
      default: a = 3.0 / 8.0; b = 3.0 / 8.0; break;
    }
    nppm = a + p * (nd + 1.0 - a - b);
    j = std::floor(nppm + fuzz);
    h = nppm - j;
    if (std::fabs(h) < fuzz) h = 0.0;
  }
  // R pads x as (x1, x1, x1..xn, xn, xn) and reads x[j+2], x[j+3]: clamp the 1-based j, j+1 into [1, n].
  const auto clamp1 = [n](double k) -> std::size_t {
    if (k < 1.0) return 0;
    if (k >= static_cast<double>(n)) return n - 1;
    return static_cast<std::size_t>(k) - 1;
  };
  return {clamp1(j), clamp1(j + 1.0), h};
}

/// (1 - h) a + h b, returning a or b exactly when h is 0 or 1 or a == b (R's rule).
inline double hyndman_fan_interpolate(double a, double b, double h) noexcept {
  if (h == 0.0 || a == b) return a;
  if (h == 1.0) return b;
  return (1.0 - h) * a + h * b;
}

namespace detail::hf {
template <error_policy Error>
bool check_quantile_args(const char* function, std::size_t n, double p) noexcept(Error::is_noexcept) {
  return check<Error>(n >= 1, {error_kind::insufficient_data, function, "sample", 0.0,
                               "needs at least 1 observation"}) &&
         check<Error>(p >= 0.0 && p <= 1.0,
                      {error_kind::invalid_argument, function, "p", p, "must be in the closed interval [0, 1]"});
}
}  // namespace detail::hf

/// Hyndman-Fan quantile (type from `Policies::quantile`) of a sample already sorted ascending. O(1).
/// Precondition (not checked, it would cost O(n)): `sorted` is sorted ascending.
/// Errors: empty sample (insufficient_data), p outside [0, 1], a non-finite order statistic used.
template <policy_bundle Policies = default_policies>
double sample_quantile_sorted(std::span<const double> sorted, double p) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  if (!detail::hf::check_quantile_args<on_error>("sample_quantile_sorted", sorted.size(), p)) return nan;
  const auto pos = hyndman_fan_position(Policies::quantile::type, sorted.size(), p);
  const double a = sorted[pos.lo];
  const double b = sorted[pos.hi];
  if (!std::isfinite(a) || !std::isfinite(b)) {
    const std::size_t bad = std::isfinite(a) ? pos.hi : pos.lo;
    detail::check<on_error>(false, {error_kind::invalid_argument, "sample_quantile_sorted", "sorted",
                                    sorted[bad], "must be finite", static_cast<long>(bad)});
    return nan;
  }
  return hyndman_fan_interpolate(a, b, pos.h);
}

/// Hyndman-Fan quantile of an unsorted sample, by selection (std::nth_element) on a copy in `scratch`
/// (size >= sample.size(), not overlapping `sample`). O(n) expected, no allocation. `sample` is not modified.
/// Errors: empty sample (insufficient_data), p outside [0, 1], a non-finite value (with its index),
/// `scratch` too short or overlapping `sample`.
template <policy_bundle Policies = default_policies>
double sample_quantile(std::span<const double> sample, double p,
                       std::span<double> scratch) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = sample.size();
  if (!detail::hf::check_quantile_args<on_error>("sample_quantile", n, p)) return nan;
  if (!detail::check<on_error>(scratch.size() >= n, {error_kind::invalid_argument, "sample_quantile", "scratch",
                                                     static_cast<double>(scratch.size()),
                                                     "must hold at least sample.size() values"}) ||
      !detail::check_no_overlap<on_error>("sample_quantile", "scratch", scratch, sample))
    return nan;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(sample[i])) {
      detail::check<on_error>(false, {error_kind::invalid_argument, "sample_quantile", "sample", sample[i],
                                      "must be finite", static_cast<long>(i)});
      return nan;
    }
    scratch[i] = sample[i];
  }
  const auto pos = hyndman_fan_position(Policies::quantile::type, n, p);
  double* const x = scratch.data();
  std::nth_element(x, x + pos.lo, x + n);
  const double a = x[pos.lo];
  double b = a;
  if (pos.hi != pos.lo) b = *std::min_element(x + pos.lo + 1, x + n);  // x_(lo+1) is the minimum above lo
  return hyndman_fan_interpolate(a, b, pos.h);
}

/// Allocating convenience form of sample_quantile (one copy of the sample).
template <policy_bundle Policies = default_policies>
double sample_quantile(std::span<const double> sample, double p) {
  std::vector<double> scratch(sample.size());
  return sample_quantile<Policies>(sample, p, scratch);
}

TIERMARGIN_NAMESPACE_END
