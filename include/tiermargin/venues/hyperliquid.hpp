// SPDX-License-Identifier: BSL-1.0
/// @file hyperliquid.hpp  Hyperliquid margin tiers (mmr = 1/(2 max leverage), deduction recursion) and its
/// liquidation price.
///
/// Sources (docs/venues.md §4):
///  - tiers, MMR = 1/(2 maxLev), deduction_n = deduction_{n-1} + lowerBound_n (MMR_n - MMR_{n-1}), marginTable
///    ids < 50 = one tier of that max leverage: https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers
///  - liq_price = price - side * margin_available / position_size / (1 - l * side), l = 1/maintenance
///    leverage = MMR: https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
///  - IM = size x mark / leverage; the community wiki's example (M4):
///    https://hyperliquid-co.gitbook.io/wiki/architecture/hypercore/dex/clearinghouse/margin-management
///
/// A Hyperliquid table is a `tier_table` (cumulative convention) built from (lowerBound, maxLeverage) pairs;
/// the deduction recursion is the table's own.
#pragma once

#include <span>
#include <vector>

#include "../tiers/liquidation.hpp"
#include "../tiers/tier_table.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace hyperliquid {

/// Hyperliquid's bundle: the defaults (cumulative convention, as its deductions follow the recursion).
using policies = default_policies;

/// The domain of `maintenance_rate_for`: a finite max leverage >= 1. O(1).
template <real_scalar Real>
constexpr bool max_leverage_valid(Real max_leverage) noexcept {
  return scalar_traits<Real>::isfinite(max_leverage) && !(max_leverage < from_double<Real>(1.0));
}

/// The rule itself, unchecked: 1 / (2 max_leverage), computed in `Real` (one rounded quotient for
/// `decimal<S>`). The single implementation behind `maint_rate` and the loaders (io/json.hpp, io/csv_tiers.hpp),
/// which check `max_leverage` themselves to name their own source. Precondition: max_leverage finite and >= 1.
/// O(1).
template <real_scalar Real>
constexpr Real maintenance_rate_for(Real max_leverage) noexcept {
  return from_double<Real>(1.0) / (from_double<Real>(2.0) * max_leverage);
}

/// Maintenance rate of a tier, half the initial rate at its max leverage: 1 / (2 max_leverage)
/// (T9: 20x -> 2.5%). Errors: max_leverage < 1 or non-finite, through `Error`.
template <real_scalar Real, error_policy Error = throw_errors>
Real maint_rate(Real max_leverage) noexcept(Error::is_noexcept) {
  if (!detail::check_leverage<Error>("hyperliquid::maint_rate", "max_leverage", max_leverage))
    return scalar_traits<Real>::quiet_nan();
  return maintenance_rate_for(max_leverage);
}

/// One `marginTiers` entry: notional where the tier starts and its max leverage.
template <real_scalar Real = double>
struct margin_tier {
  Real lower_bound{};   ///< `lowerBound`: notional (USD) where the tier starts; 0 for the first
  Real max_leverage{};  ///< `maxLeverage`: highest leverage in the tier, >= 1
};

/// Table from `marginTiers` (lowerBound ascending from 0): rates 1/(2 maxLev), deductions by the
/// recursion (T8: BTC 40x then 20x at 150M -> 1.25%/2.5%, deduction 1,875,000). The last tier is open.
/// O(K), allocates; errors through `P::error`.
template <real_scalar Real, policy_bundle P = policies>
tier_table<Real, P> make_table(std::span<const margin_tier<Real>> tiers) noexcept(P::error::is_noexcept) {
  std::vector<bracket<Real>> brackets;
  brackets.reserve(tiers.size());
  for (const margin_tier<Real>& t : tiers) {
    const Real rate = maint_rate<Real, typename P::error>(t.max_leverage);
    if (scalar_traits<Real>::isnan(rate)) return tier_table<Real, P>();
    brackets.push_back({t.lower_bound, rate, t.max_leverage});
  }
  return tier_table<Real, P>(std::span<const bracket<Real>>(brackets));
}

/// The table of a `marginTableId` below 50: one tier whose max leverage equals the id.
template <real_scalar Real, policy_bundle P = policies>
tier_table<Real, P> table_from_id(unsigned id) noexcept(P::error::is_noexcept) {
  if (!detail::check<typename P::error>(id >= 1 && id < 50,
                                        {error_kind::invalid_argument, "hyperliquid::table_from_id", "id",
                                         static_cast<double>(id), "must be in [1, 50) (larger ids name a tiered table)"}))
    return tier_table<Real, P>();
  const margin_tier<Real> one_tier[1] = {{Real{}, from_double<Real>(static_cast<double>(id))}};
  return make_table<Real, P>(std::span<const margin_tier<Real>>(one_tier, 1));
}

/// The docs' closed form in one tier: liq = price - side * margin_available / size / (1 - mmr * side),
/// where margin_available = isolated margin (or account value) minus the MM requirement at `price`.
/// Equal to the generic solver in a single tier. Status `fully_collateralised` when a long's result
/// would be <= 0. O(1). Errors through `Error`.
template <real_scalar Real, error_policy Error = throw_errors>
liquidation_bound<Real> liquidation_price(Real price, position_side side, Real margin_available, Real size,
                                          Real maint_rate) noexcept(Error::is_noexcept) {
  constexpr const char* fn = "hyperliquid::liquidation_price";
  const Real one = from_double<Real>(1.0);
  if (!detail::check_finite_positive<Error>(fn, "price", price) ||
      !detail::check_finite<Error>(fn, "margin_available", margin_available) ||
      !detail::check_finite_positive<Error>(fn, "size", size) ||
      !detail::check<Error>(scalar_traits<Real>::isfinite(maint_rate) && Real{} < maint_rate && maint_rate < one,
                            {error_kind::invalid_argument, fn, "maint_rate", to_double(maint_rate), "must be in (0, 1)"}))
    return detail::invalid_liquidation_bound<Real>();
  const bool is_long = side == position_side::long_side;
  const Real move = margin_available / size / (is_long ? one - maint_rate : one + maint_rate);
  return detail::closed_form_bound(is_long ? price - move : price + move, detail::no_root_status(side));
}

/// Exact tiered liquidation price (linear, USDC): equity = notional x MMR_k - deduction_k at the price,
/// with the tier containing the notional there. `collateral` is the isolated margin (isolated) or the
/// account value without this position's PnL (cross), with `other_maintenance` the other positions' MM.
template <real_scalar Real, policy_bundle P>
liquidation_result<Real> liquidation_price(const tier_table<Real, P>& table, Real collateral, Real other_maintenance,
                                           Real other_pnl, const position_leg<Real>& leg) noexcept(P::error::is_noexcept) {
  liquidation_inputs<Real> in;
  in.collateral = collateral;
  in.other_maintenance = other_maintenance;
  in.other_pnl = other_pnl;
  detail::liquidation_names names;
  names.function = "hyperliquid::liquidation_price";
  return detail::named_liquidation_price(table, names, in, leg);
}

}  // namespace hyperliquid

TIERMARGIN_NAMESPACE_END
