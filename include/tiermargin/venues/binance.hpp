// SPDX-License-Identifier: BSL-1.0
/// @file binance.hpp  Binance USD-M (linear) and COIN-M (inverse) futures: bracket arithmetic and the
/// liquidation-price formula, as thin layers over `tier_table` and the generic solver.
///
/// Sources (docs/venues.md §1):
///  - brackets and `cum`: §1.1/§1.3, https://developers.binance.com/docs/derivatives/usds-margined-futures/account/rest-api/Notional-and-Leverage-Brackets
///    and https://www.binance.com/en-NG/support/faq/b3c689c1f50a44cabb3a84e663b81d93
///  - IM and open loss: §1.2, https://www.binance.com/en/support/faq/87fa7ee33b574f7084d42bd2ce2e463b
///  - USD-M liquidation price: §1.4, https://www.binance.com/en/support/faq/how-to-calculate-liquidation-price-of-usd%E2%93%A2-m-futures-contracts-b3c689c1f50a44cabb3a84e663b81d93
///  - COIN-M: §1.6, https://www.binance.com/es-MX/support/faq/how-to-calculate-liquidation-price-of-coin-m-futures-contracts-ceccfcfb4e3a45e3b48b0b1bb1a8ae46
///    and https://docs.traderwagon.com/faq/futures-trading-introduction/leverage-and-margin
///
/// A USD-M table is a `tier_table<Real>` with the default (cumulative) convention and notional in quote;
/// a COIN-M table is the same type with floors/caps (`qtylFloor`/`qtyCap`) and `cum` in coin.
#pragma once

#include "../tiers/liquidation.hpp"
#include "../tiers/margin.hpp"
#include "../tiers/tier_table.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace detail {
/// The names Binance's liquidation entry point `function` gives the solver's inputs in its errors.
inline liquidation_names binance_liquidation_names(const char* function) noexcept {
  liquidation_names names;
  names.function = function;
  names.collateral = "wallet_balance";
  return names;
}
}  // namespace detail

namespace binance {

/// USD-M and COIN-M both use the tax-bracket (cumulative) convention: the library default.
using policies = default_policies;

/// The `cum` recursion cum_n = floor_n * (mmr_n - mmr_{n-1}) + cum_{n-1} (docs/venues.md §1.3, §1.6; tier_table
/// applies it to every row). O(1), exact for decimal scalars.
template <real_scalar Real>
constexpr Real next_cum(Real previous_cum, Real floor, Real maint_rate, Real previous_maint_rate) noexcept {
  return detail::deduction_step(previous_cum, floor, maint_rate, previous_maint_rate);
}

/// COIN-M notional in coin: contracts * contract_size / price (docs/venues.md §1.6; BTCUSD contract_size =
/// 100 USD). Errors: contracts < 0, contract_size or price <= 0, non-finite, through `Error`.
template <real_scalar Real, error_policy Error = throw_errors>
Real coin_notional(Real contracts, Real contract_size, Real price) noexcept(Error::is_noexcept) {
  constexpr const char* fn = "binance::coin_notional";
  if (!detail::check_finite_nonnegative<Error>(fn, "contracts", contracts) ||
      !detail::check_finite_positive<Error>(fn, "contract_size", contract_size) ||
      !detail::check_finite_positive<Error>(fn, "price", price))
    return scalar_traits<Real>::quiet_nan();
  return contracts * contract_size / price;
}

/// COIN-M maintenance margin in coin: N_coin * mmr_k - cum_k with N_coin at `mark` and a table in coin
/// (docs/venues.md §1.6, vector M3: 100 contracts at 25,000 -> 0.4 BTC -> 0.0016 BTC).
/// O(1) with the default lookup on double, O(log K) otherwise.
template <real_scalar Real, policy_bundle P>
Real coinm_maintenance_margin(const tier_table<Real, P>& coin_table, Real contracts, Real contract_size,
                              Real mark) noexcept(P::error::is_noexcept) {
  const Real n = coin_notional<Real, typename P::error>(contracts, contract_size, mark);
  if (scalar_traits<Real>::isnan(n)) return n;
  return maintenance_margin(coin_table, n);
}

/// Open loss of an order, Q * |min(0, dir * (mark - order_price))| (docs/venues.md §1.2, vector M2; the cost to
/// open is IM + open loss). Errors through `Error`.
template <real_scalar Real, error_policy Error = throw_errors>
Real open_loss(position_side side, Real size, Real mark, Real order_price) noexcept(Error::is_noexcept) {
  constexpr const char* fn = "binance::open_loss";
  if (!detail::check_finite_nonnegative<Error>(fn, "size", size) ||
      !detail::check_finite_positive<Error>(fn, "mark", mark) ||
      !detail::check_finite_positive<Error>(fn, "order_price", order_price))
    return scalar_traits<Real>::quiet_nan();
  const Real move = side == position_side::long_side ? mark - order_price : order_price - mark;
  return move < Real{} ? size * -move : Real{};
}

/// One leg of Binance's formula with the bracket the caller assumes (mmr, cum).
template <real_scalar Real = double>
struct formula_leg {
  Real size{};          ///< Position1BOTH/LONG/SHORT: absolute size (coin or contracts); 0 when absent
  Real entry_price{};   ///< EP1BOTH/LONG/SHORT (any positive value when size is 0)
  Real maint_rate{};    ///< MMRB/L/S
  Real maint_amount{};  ///< cumB/L/S
};

/// The literal USD-M formula of docs/venues.md §1.4 for the brackets the caller assumes (one pass, no
/// re-bracketing; the generic `usdm_liquidation_price` below re-brackets exactly):
///   LP = (WB - TMM1 + UPNL1 + cumB + cumL + cumS - SideB*B*EPB - L*EPL + S*EPS)
///      / (B*MMRB + L*MMRL + S*MMRS - SideB*B - L + S)
/// Returns the raw value: Binance shows "--" when it is negative, and a zero denominator gives NaN. O(1).
template <real_scalar Real>
Real usdm_formula(Real wallet_balance, Real other_maintenance, Real other_pnl, position_side both_side,
                  const formula_leg<Real>& both, const formula_leg<Real>& long_leg,
                  const formula_leg<Real>& short_leg) noexcept {
  const Real side_b = both_side == position_side::long_side ? from_double<Real>(1.0) : from_double<Real>(-1.0);
  const Real numerator = wallet_balance - other_maintenance + other_pnl + both.maint_amount +
                         long_leg.maint_amount + short_leg.maint_amount - side_b * both.size * both.entry_price -
                         long_leg.size * long_leg.entry_price + short_leg.size * short_leg.entry_price;
  const Real denominator = both.size * both.maint_rate + long_leg.size * long_leg.maint_rate +
                           short_leg.size * short_leg.maint_rate - side_b * both.size - long_leg.size +
                           short_leg.size;
  if (denominator == Real{}) return scalar_traits<Real>::quiet_nan();
  return numerator / denominator;
}

/// The COIN-M formula of docs/venues.md §1.6 (derived there from the MM definition and checked against the
/// forum case), with CM the contract size and B/L/S in contracts:
///   LP = (MMRB*B + MMRL*L + MMRS*S + SideB*B + L - S) * CM
///      / (WB - TMM1 + UPNL1 + cumB + cumL + cumS + (SideB*B/EPB + L/EPL - S/EPS) * CM)
/// Raw value, O(1); NaN on a zero denominator.
template <real_scalar Real>
Real coinm_formula(Real wallet_balance, Real other_maintenance, Real other_pnl, Real contract_size,
                   position_side both_side, const formula_leg<Real>& both, const formula_leg<Real>& long_leg,
                   const formula_leg<Real>& short_leg) noexcept {
  const Real side_b = both_side == position_side::long_side ? from_double<Real>(1.0) : from_double<Real>(-1.0);
  const auto per_entry = [](const formula_leg<Real>& leg) {
    return leg.size == Real{} ? Real{} : leg.size / leg.entry_price;
  };
  const Real numerator = (both.maint_rate * both.size + long_leg.maint_rate * long_leg.size +
                          short_leg.maint_rate * short_leg.size + side_b * both.size + long_leg.size -
                          short_leg.size) *
                         contract_size;
  const Real denominator = wallet_balance - other_maintenance + other_pnl + both.maint_amount +
                           long_leg.maint_amount + short_leg.maint_amount +
                           (side_b * per_entry(both) + per_entry(long_leg) - per_entry(short_leg)) * contract_size;
  if (denominator == Real{}) return scalar_traits<Real>::quiet_nan();
  return numerator / denominator;
}

/// USD-M liquidation price, exact: §1.4's formula with each leg in the bracket that contains its notional
/// *at* the liquidation price ("redo the calculation with that bracket", §1.4), found by the generic
/// solver. Cross: wallet_balance = crossWalletBalance, other_* = TMM1/UPNL1; isolated: the
/// isolatedWalletBalance and zeros. No fee (Binance's formula has none). See `liquidation_price`.
template <real_scalar Real, policy_bundle P>
liquidation_result<Real> usdm_liquidation_price(const tier_table<Real, P>& table, Real wallet_balance,
                                                Real other_maintenance, Real other_pnl,
                                                const position_leg<Real>& leg) noexcept(P::error::is_noexcept) {
  liquidation_inputs<Real> in;
  in.collateral = wallet_balance;
  in.other_maintenance = other_maintenance;
  in.other_pnl = other_pnl;
  return detail::named_liquidation_price(table, detail::binance_liquidation_names("binance::usdm_liquidation_price"), in,
                                         leg);
}

/// USD-M hedge mode in cross: the LONG and SHORT legs share one price (§1.4).
template <real_scalar Real, policy_bundle P>
liquidation_result<Real> usdm_liquidation_price(const tier_table<Real, P>& table, Real wallet_balance,
                                                Real other_maintenance, Real other_pnl,
                                                const position_leg<Real>& long_leg,
                                                const position_leg<Real>& short_leg) noexcept(P::error::is_noexcept) {
  liquidation_inputs<Real> in;
  in.collateral = wallet_balance;
  in.other_maintenance = other_maintenance;
  in.other_pnl = other_pnl;
  return detail::named_liquidation_price(table, detail::binance_liquidation_names("binance::usdm_liquidation_price"), in,
                                         long_leg, short_leg);
}

/// COIN-M liquidation price, exact: §1.6's formula with the bracket (in coin) that contains the coin
/// notional contracts * contract_size / LP. `leg.size` is in contracts; wallet balance, TMM1, UPNL1 in coin.
template <real_scalar Real, policy_bundle P>
liquidation_result<Real> coinm_liquidation_price(const tier_table<Real, P>& coin_table, Real contract_size,
                                                 Real wallet_balance, Real other_maintenance, Real other_pnl,
                                                 const position_leg<Real>& leg) noexcept(P::error::is_noexcept) {
  liquidation_inputs<Real> in;
  in.contract = contract_type::inverse;
  in.contract_size = contract_size;
  in.collateral = wallet_balance;
  in.other_maintenance = other_maintenance;
  in.other_pnl = other_pnl;
  return detail::named_liquidation_price(coin_table, detail::binance_liquidation_names("binance::coinm_liquidation_price"),
                                         in, leg);
}

}  // namespace binance

TIERMARGIN_NAMESPACE_END
