// SPDX-License-Identifier: BSL-1.0
/// @file tier.hpp  One row of a tier table, and the two ways to describe a table's rows.
#pragma once

#include "../core/scalar.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// A bracket as venues publish it: where it starts, its maintenance rate and its max leverage.
/// The maintenance amount (Binance `cum`, Bybit `mmDeduction`, Hyperliquid deduction) is derived.
template <real_scalar Real = double>
struct bracket {
  Real floor{};         ///< notional where the bracket starts (0 for the first)
  Real maint_rate{};    ///< maintenance-margin rate, a fraction (0.004 = 0.4%)
  Real max_leverage{};  ///< highest leverage allowed in the bracket; initial rate = 1/max_leverage
};

/// A full row: both bounds, the rates and the maintenance amount, as Binance's leverageBracket returns.
template <real_scalar Real = double>
struct tier {
  Real floor{};         ///< lower bound (exclusive, except 0 for the first tier)
  Real cap{};           ///< upper bound (inclusive); `scalar_traits<Real>::unbounded()` when open
  Real maint_rate{};    ///< maintenance-margin rate
  Real max_leverage{};  ///< highest leverage allowed
  Real maint_amount{};  ///< deduction: MM = notional * maint_rate - maint_amount (0 under flat convention)

  /// Initial-margin rate at the tier's max leverage, 1 / max_leverage.
  constexpr Real initial_rate() const noexcept { return Real(from_double<Real>(1.0)) / max_leverage; }
  /// Field-by-field equality.
  friend constexpr bool operator==(const tier&, const tier&) = default;
};

TIERMARGIN_NAMESPACE_END
