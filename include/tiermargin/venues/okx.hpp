// SPDX-License-Identifier: BSL-1.0
/// @file okx.hpp  OKX position tiers (counted in contracts, flat maintenance rate) and the OKX/Gate isolated
/// liquidation price with the taker fee.
///
/// Sources (docs/venues.md §3):
///  - `GET /api/v5/public/position-tiers` rows (minSz, maxSz, mmr, imr, maxLever):
///    https://nautilustrader.io/docs/core-latest/nautilus_okx/http/models/struct.OKXPositionTier.html,
///    web page https://www.okx.com/trade-market/position/margin
///  - tiers in contracts, minSz = previous maxSz + 1: https://www.chouyi.info/en-ae/help/okx-position-tiers-to-be-adjusted
///  - MM = face value x contracts x mark x mmr, no deduction (jumps at tier edges; third-party summaries
///    https://www.bilikayo.com/14432.html, https://wuyelx.com/7028.html; official page https://tr.okx.com/help/tier)
///  - isolated LP with taker fee (freqtrade, citing OKX article 360053909592; Gate uses the same form,
///    https://github.com/freqtrade/freqtrade/issues/7294)
///
/// **Note: an OKX tier is chosen by the number of contracts, not by notional.** The table's floors and caps
/// are therefore contract counts, and the tier of a position does not move with the price: the
/// liquidation price is a closed form in the tier of the position size (no fixed point needed). The
/// isolated tier counts one direction; the cross tier sums long and short contracts (§3, [S-copy]).
#pragma once

#include <span>
#include <vector>

#include "../core/policies.hpp"
#include "../tiers/liquidation.hpp"
#include "../tiers/tier_table.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace okx {

/// OKX's bundle: the flat convention (MM = value x mmr_k, no deduction). Override other roles by inheritance.
struct policies : default_policies {
  using convention = flat_convention;  ///< MM = value x mmr_k, no deduction
};

/// A position-tier row in contracts, as the API returns it.
template <real_scalar Real = double>
struct position_tier {
  Real min_size{};      ///< `minSz`: first contract count of the tier (previous maxSz + 1; 0 or 1 for tier 1)
  Real max_size{};      ///< `maxSz`: last contract count of the tier
  Real maint_rate{};    ///< `mmr`
  Real max_leverage{};  ///< `maxLever`
};

/// Whether `min_size` may start tier 1: 0 or 1 contract (docs/venues.md §3). O(1).
template <real_scalar Real>
constexpr bool first_min_size_valid(Real min_size) noexcept {
  return min_size == Real{} || min_size == from_double<Real>(1.0);
}

/// The `minSz` of the tier after one ending at `previous_max_size`: previous maxSz + 1 (whole contracts,
/// docs/venues.md §3). That tier's table floor is `previous_max_size` itself, so that a count c is in the
/// tier with floor < c <= cap. The single statement of the rule for `make_table` and the loaders. O(1).
template <real_scalar Real>
constexpr Real next_min_size(Real previous_max_size) noexcept {
  return previous_max_size + from_double<Real>(1.0);
}

/// Table in contracts from position-tier rows: floor_k = maxSz_{k-1} = minSz_k - 1 (so a count c is in
/// the tier with floor < c <= cap, exactly minSz <= c <= maxSz for whole contracts), cap_k = maxSz_k.
/// Checks minSz_k = maxSz_{k-1} + 1 (`invalid_table`, field "min_size") and everything `tier_table` checks.
/// O(K), allocates.
template <real_scalar Real, policy_bundle P = policies>
tier_table<Real, P> make_table(std::span<const position_tier<Real>> rows) noexcept(P::error::is_noexcept) {
  std::vector<bracket<Real>> brackets;
  brackets.reserve(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (k == 0) {
      if (!detail::check<typename P::error>(first_min_size_valid(rows[0].min_size),
                                            {error_kind::invalid_table, "okx::make_table", "min_size",
                                             to_double(rows[0].min_size), "tier 1 must start at 0 or 1 contract",
                                             0}))
        return tier_table<Real, P>();
    } else if (!detail::check<typename P::error>(rows[k].min_size == next_min_size(rows[k - 1].max_size),
                                                 {error_kind::invalid_table, "okx::make_table", "min_size",
                                                  to_double(rows[k].min_size),
                                                  "must equal the previous tier's max_size + 1",
                                                  static_cast<long>(k)})) {
      return tier_table<Real, P>();
    }
    brackets.push_back({k == 0 ? Real{} : rows[k - 1].max_size, rows[k].maint_rate, rows[k].max_leverage});
  }
  if (rows.empty()) return tier_table<Real, P>(std::span<const bracket<Real>>(brackets));
  return tier_table<Real, P>(std::span<const bracket<Real>>(brackets), rows.back().max_size);
}

/// Position value = contracts x face_value x mark; MM = value x mmr of the tier of `contracts` (flat).
/// O(1) with the default lookup on double, O(log K) otherwise. Errors through `P::error`.
template <real_scalar Real, policy_bundle P>
Real maintenance_margin(const tier_table<Real, P>& contract_table, Real contracts, Real face_value,
                        Real mark) noexcept(P::error::is_noexcept) {
  constexpr const char* fn = "okx::maintenance_margin";
  const std::size_t k = contract_table.locate(fn, contracts);
  if (k >= contract_table.size()) return scalar_traits<Real>::quiet_nan();
  if (!detail::check_finite_positive<typename P::error>(fn, "face_value", face_value) ||
      !detail::check_finite_positive<typename P::error>(fn, "mark", mark))
    return scalar_traits<Real>::quiet_nan();
  return P::rounding::apply(contracts * face_value * mark * contract_table.maint_rates()[k]);
}

/// Isolated linear liquidation price with the taker fee (OKX and Gate), Q = contracts x face_value:
///   LP(long)  = (EP - WB/Q) / (1 - (MMR + taker)),   LP(short) = (EP + WB/Q) / (1 + (MMR + taker)).
/// This is the generic equation (equity = value x (mmr + fee) at the LP) in one fixed tier. Status
/// `fully_collateralised` when the long's LP would be <= 0. O(1). Errors through `Error`.
template <real_scalar Real, error_policy Error = throw_errors>
liquidation_bound<Real> isolated_liquidation_price(position_side side, Real quantity, Real entry_price,
                                                   Real margin, Real maint_rate,
                                                   Real taker_fee) noexcept(Error::is_noexcept) {
  constexpr const char* fn = "okx::isolated_liquidation_price";
  const Real one = from_double<Real>(1.0);
  if (!detail::check_finite_positive<Error>(fn, "quantity", quantity) ||
      !detail::check_finite_positive<Error>(fn, "entry_price", entry_price) ||
      !detail::check_finite_nonnegative<Error>(fn, "margin", margin) ||
      !detail::check_finite_nonnegative<Error>(fn, "maint_rate", maint_rate) ||
      !detail::check<Error>(scalar_traits<Real>::isfinite(taker_fee) && !(taker_fee < Real{}) &&
                                maint_rate + taker_fee < one,
                            {error_kind::invalid_argument, fn, "taker_fee", to_double(taker_fee),
                             "must be >= 0 with maint_rate + taker_fee < 1"}))
    return detail::invalid_liquidation_bound<Real>();
  const Real rate = maint_rate + taker_fee;
  if (side == position_side::long_side)
    return detail::closed_form_bound((entry_price - margin / quantity) / (one - rate),
                                     liquidation_status::fully_collateralised);
  return detail::closed_form_bound((entry_price + margin / quantity) / (one + rate),
                                   liquidation_status::never_liquidated);
}

/// Same, with MMR from the contract table's tier of `contracts`; the tier index is reported in `tiers[0]`.
template <real_scalar Real, policy_bundle P>
liquidation_bound<Real> isolated_liquidation_price(const tier_table<Real, P>& contract_table, position_side side,
                                                   Real contracts, Real face_value, Real entry_price, Real margin,
                                                   Real taker_fee) noexcept(P::error::is_noexcept) {
  constexpr const char* fn = "okx::isolated_liquidation_price";
  const std::size_t k = contract_table.locate(fn, "contracts", contracts);
  if (k >= contract_table.size()) return detail::invalid_liquidation_bound<Real>();
  if (!detail::check_finite_positive<typename P::error>(fn, "face_value", face_value))
    return detail::invalid_liquidation_bound<Real>();
  auto b = isolated_liquidation_price<Real, typename P::error>(side, contracts * face_value, entry_price, margin,
                                                               contract_table.maint_rates()[k], taker_fee);
  b.tiers[0] = k;
  return b;
}

/// Gate.io uses the same isolated form (docs/venues.md §3, freqtrade issue 7294).
template <real_scalar Real, error_policy Error = throw_errors>
liquidation_bound<Real> gate_isolated_liquidation_price(position_side side, Real quantity, Real entry_price,
                                                        Real margin, Real maint_rate,
                                                        Real taker_fee) noexcept(Error::is_noexcept) {
  return isolated_liquidation_price<Real, Error>(side, quantity, entry_price, margin, maint_rate, taker_fee);
}

}  // namespace okx

TIERMARGIN_NAMESPACE_END
