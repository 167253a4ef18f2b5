// SPDX-License-Identifier: BSL-1.0
/// @file horizon.hpp  Multi-period losses: exact overlapping h-period returns, and square-root-of-time
/// scaling of one-period risk figures.
///
/// Two ways to get an h-day VaR/ES from daily data:
///  1. Exact: overlapping h-period returns r_t = P[t+h]/P[t] - 1 (or ln) for t = 0..n-h-1, then any
///     estimator on their losses. No distributional assumption, but consecutive returns share h-1 periods,
///     so the n-h observations are strongly autocorrelated: the estimate is valid, its effective sample
///     size is about (n-h)/h, and backtests on overlapping returns need that correction.
///  2. Square-root of time: VaR_h = sqrt(h) * VaR_1 (same for ES). Exact only when one-period returns are
///     i.i.d. normal with zero mean (then the h-period loss is N(0, h sigma^2) and every quantile scales by
///     sqrt(h)). It ignores drift (a mean mu
///     scales by h, not sqrt(h)), autocorrelation and volatility clustering, and understates fat-tailed
///     multi-period quantiles at short horizons / overstates them at long horizons (tails thin under
///     aggregation). Regulators accept it (e.g. Basel 10-day from 1-day) as a convention, not a law.
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "../core/check.hpp"
#include "../core/policies.hpp"
#include "estimator.hpp"
#include "losses.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Exact overlapping h-period returns of a price series: out[t] = return from prices[t] to prices[t+h] of
/// kind `kind` (simple: (P[t+h]-P[t])/P[t]; log: log1p of that ratio), t = 0..n-h-1. Each return is computed
/// from the two prices directly (not by compounding one-period returns), so there is no error build-up.
/// O(n), no allocation; returns the number of values written (n - h).
/// `out` may be `prices` itself (in place: out[t] is written after prices[t] and prices[t+h] are read).
/// Errors: h == 0, fewer than h + 1 prices (insufficient_data), a price not finite and > 0 (with its index),
/// `out` shorter than n - h or partly overlapping `prices`, a simple return beyond the largest double (named
/// by the later price's index). Under quiet_nan the output slots are NaN.
template <policy_bundle Policies = default_policies>
std::size_t overlapping_returns(std::span<const double> prices, std::size_t h, return_kind kind,
                                std::span<double> out) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  const std::size_t want = prices.size() > h ? prices.size() - h : 0;
  constexpr const char* fn = "overlapping_returns";
  const auto fail = [&] {
    const std::size_t m = want < out.size() ? want : out.size();
    detail::ret::fill_nan(out.first(m));
    return m;
  };
  if (!detail::check<on_error>(h >= 1, {error_kind::invalid_argument, fn, "h", static_cast<double>(h), "must be >= 1"}) ||
      !detail::ret::check_prices<on_error>(fn, "prices", prices, h, out.size()) ||
      !detail::check_in_place_or_disjoint<on_error>(fn, "out", out, prices) ||
      !detail::ret::h_period_returns<on_error>(fn, "prices", prices, h, kind, out))
    return fail();
  return want;
}

/// Allocating convenience form: a vector of n - h overlapping returns (empty when n <= h under quiet_nan).
template <policy_bundle Policies = default_policies>
std::vector<double> overlapping_returns(std::span<const double> prices, std::size_t h, return_kind kind) {
  std::vector<double> out(prices.size() > h ? prices.size() - h : 0);
  overlapping_returns<Policies>(prices, h, kind, out);
  return out;
}

/// Square-root-of-time scaling of a one-period VaR or ES to h periods: value * sqrt(h). See the file
/// comment for the assumptions (i.i.d., zero mean, normal). O(1).
/// Errors: h not finite and > 0 (h may be fractional, e.g. 0.5 day); value not finite; a result beyond the
/// largest double (reported on 'h').
template <policy_bundle Policies = default_policies>
double sqrt_time_scale(double one_period_value, double h) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::check_finite<on_error>("sqrt_time_scale", "one_period_value", one_period_value) ||
      !detail::check_finite_positive<on_error>("sqrt_time_scale", "h", h))
    return std::numeric_limits<double>::quiet_NaN();
  const double scaled = one_period_value * std::sqrt(h);
  if (!detail::check<on_error>(std::isfinite(scaled),
                               {error_kind::invalid_argument, "sqrt_time_scale", "h", h,
                                "is too large for this value: value * sqrt(h) is beyond the largest double"}))
    return std::numeric_limits<double>::quiet_NaN();
  return scaled;
}

/// Square-root-of-time scaling of both figures of a one-period VaR/ES result.
template <policy_bundle Policies = default_policies>
var_es_result<double> sqrt_time_scale(var_es_result<double> one_period, double h) noexcept(is_noexcept_v<Policies>) {
  return {sqrt_time_scale<Policies>(one_period.var, h), sqrt_time_scale<Policies>(one_period.es, h)};
}

TIERMARGIN_NAMESPACE_END
