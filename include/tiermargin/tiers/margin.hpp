// SPDX-License-Identifier: BSL-1.0
/// @file margin.hpp  Margin arithmetic on one position: maintenance and initial margin, leverage limits,
/// margin ratio and effective rate. The batch forms over spans are in batch_margin.hpp.
///
/// Every function validates its arguments through the table's error policy (NaN, negative, above the last
/// cap under `beyond_cap_error`) and is `noexcept` when that policy is. Results are rounded with
/// `Policies::rounding` where they are money (MM, IM). Nothing allocates.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <span>

#include "tier_table.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace detail {
template <real_scalar Real, policy_bundle P>
Real maintenance_in_tier(const tier_table<Real, P>& table, std::size_t k, Real notional) noexcept {
  const Real gross = notional * table.maint_rates()[k];
  if constexpr (P::convention::uses_deduction)
    return P::rounding::apply(gross - table.maint_amounts()[k]);
  else
    return P::rounding::apply(gross);
}
}  // namespace detail

/// Index (0-based) of the tier containing `notional`: the first tier whose cap is >= notional.
/// Under `quiet_nan` an invalid argument returns `table.size()`.
/// O(1) with the default lookup on double, O(log K) otherwise.
template <real_scalar Real, policy_bundle P>
std::size_t tier_index(const tier_table<Real, P>& table, Real notional) noexcept(P::error::is_noexcept) {
  return table.locate("tier_index", notional);
}

/// Maintenance margin of a position of `notional`: n*mmr_k - cum_k (cumulative) or n*mmr_k (flat).
/// O(1) with the default lookup on double, O(log K) otherwise.
template <real_scalar Real, policy_bundle P>
Real maintenance_margin(const tier_table<Real, P>& table, Real notional) noexcept(P::error::is_noexcept) {
  const std::size_t k = table.locate("maintenance_margin", notional);
  if (k >= table.size()) return scalar_traits<Real>::quiet_nan();
  return detail::maintenance_in_tier(table, k, notional);
}

/// Initial margin notional / leverage. `leverage` must be in [1, max leverage of the notional's tier];
/// a higher leverage is rejected (the venue would refuse the order).
/// O(1) with the default lookup on double, O(log K) otherwise.
template <real_scalar Real, policy_bundle P>
Real initial_margin(const tier_table<Real, P>& table, Real notional, Real leverage) noexcept(P::error::is_noexcept) {
  using on_error = typename P::error;
  const std::size_t k = table.locate("initial_margin", notional);
  if (k >= table.size()) return scalar_traits<Real>::quiet_nan();
  const bool leverage_ok = scalar_traits<Real>::isfinite(leverage) && !(leverage < from_double<Real>(1.0)) &&
                           !(table.max_leverages()[k] < leverage);
  if (!detail::check<on_error>(leverage_ok, {error_kind::invalid_argument, "initial_margin", "leverage",
                                          to_double(leverage),
                                          "must be >= 1 and <= the max leverage of the notional's tier"}))
    return scalar_traits<Real>::quiet_nan();
  return P::rounding::apply(notional / leverage);
}

/// Initial margin at the tier's own max leverage, notional / max_leverage_k (the least a venue accepts).
template <real_scalar Real, policy_bundle P>
Real initial_margin(const tier_table<Real, P>& table, Real notional) noexcept(P::error::is_noexcept) {
  const std::size_t k = table.locate("initial_margin", notional);
  if (k >= table.size()) return scalar_traits<Real>::quiet_nan();
  return P::rounding::apply(notional / table.max_leverages()[k]);
}

/// Highest leverage allowed for a position of `notional`. O(1) with the default lookup on double, O(log K) otherwise.
template <real_scalar Real, policy_bundle P>
Real max_leverage(const tier_table<Real, P>& table, Real notional) noexcept(P::error::is_noexcept) {
  const std::size_t k = table.locate("max_leverage", notional);
  if (k >= table.size()) return scalar_traits<Real>::quiet_nan();
  return table.max_leverages()[k];
}

/// Largest notional that may be held at `leverage`: the cap of the last tier whose max leverage is
/// >= leverage (unbounded when that is the open last tier). `leverage` must be in [1, max leverage of
/// the first tier]. Inverse of `max_leverage`: max_leverage(max_notional(L)) >= L. O(K).
template <real_scalar Real, policy_bundle P>
Real max_notional(const tier_table<Real, P>& table, Real leverage) noexcept(P::error::is_noexcept) {
  using on_error = typename P::error;
  if (!detail::check<on_error>(table.valid(), {error_kind::invalid_table, "max_notional", "table",
                                            std::numeric_limits<double>::quiet_NaN(),
                                            "is empty or was rejected at construction"}))
    return scalar_traits<Real>::quiet_nan();
  const auto leverages = table.max_leverages();
  const bool ok = scalar_traits<Real>::isfinite(leverage) && !(leverage < from_double<Real>(1.0)) &&
                  !(leverages[0] < leverage);
  if (!detail::check<on_error>(ok, {error_kind::invalid_argument, "max_notional", "leverage", to_double(leverage),
                                 "must be >= 1 and <= the first tier's max leverage"}))
    return scalar_traits<Real>::quiet_nan();
  std::size_t k = 0;
  while (k + 1 < leverages.size() && !(leverages[k + 1] < leverage)) ++k;
  return table.caps()[k];
}

/// Margin ratio MM(notional) / equity, the venue's liquidation trigger (liquidated at >= 1).
/// Equity <= 0 gives `unbounded()` (+inf for floating point): the account is already liquidatable.
template <real_scalar Real, policy_bundle P>
Real margin_ratio(const tier_table<Real, P>& table, Real notional, Real equity) noexcept(P::error::is_noexcept) {
  const std::size_t k = table.locate("margin_ratio", notional);
  if (k >= table.size()) return scalar_traits<Real>::quiet_nan();
  if (!detail::check_finite<typename P::error>("margin_ratio", "equity", equity))
    return scalar_traits<Real>::quiet_nan();
  if (!(Real{} < equity)) return scalar_traits<Real>::unbounded();
  return detail::maintenance_in_tier(table, k, notional) / equity;
}

/// Effective maintenance rate MM(notional) / notional (the first tier's rate at notional 0).
template <real_scalar Real, policy_bundle P>
Real effective_rate(const tier_table<Real, P>& table, Real notional) noexcept(P::error::is_noexcept) {
  const std::size_t k = table.locate("effective_rate", notional);
  if (k >= table.size()) return scalar_traits<Real>::quiet_nan();
  if (notional == Real{}) return table.maint_rates()[0];
  return detail::maintenance_in_tier(table, k, notional) / notional;
}

TIERMARGIN_NAMESPACE_END
