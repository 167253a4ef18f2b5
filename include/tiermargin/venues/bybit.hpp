// SPDX-License-Identifier: BSL-1.0
/// @file bybit.hpp  Bybit risk-limit tiers (mmDeduction), API rate units and isolated liquidation prices.
///
/// Sources (docs/venues.md §2):
///  - risk-limit rows: https://bybit-exchange.github.io/docs/v5/market/risk-limit (units trap: the inverse
///    example shows percent, "0.5"; linear fixtures show fractions, "0.005")
///  - MMD_n = RiskLimit_{n-1} (MMR_n - MMR_{n-1}) + MMD_{n-1}: https://bybit-tr.com/en-TR/announcement-info/margin-parameters
///  - USDT isolated LP: https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract
///  - inverse isolated LP (UTA, older and newer page):
///    https://testnet.bybit.com/ar-SA/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account
///    https://www.kbybit.com/en/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account
///
/// A Bybit table is a `tier_table` whose floors are the previous tiers' riskLimitValue: the MMD recursion
/// is then exactly the table's cumulative-deduction recursion (no copy of the arithmetic here).
#pragma once

#include <span>
#include <vector>

#include "../tiers/liquidation.hpp"
#include "../tiers/tier_table.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace detail {
/// The position arguments every Bybit isolated price (venues/bybit.hpp) takes: `size_name` > 0, entry_price > 0, leverage >= 1.
template <error_policy Error, real_scalar Real>
bool bybit_position_valid(const char* fn, const char* size_name, Real size, Real entry_price,
                    Real leverage) noexcept(Error::is_noexcept) {
  return check_finite_positive<Error>(fn, size_name, size) && check_finite_positive<Error>(fn, "entry_price", entry_price) &&
         check_leverage<Error>(fn, "leverage", leverage);
}
}  // namespace detail

namespace bybit {

/// Cumulative deduction, like Binance's cum.
using policies = default_policies;

/// `GET /v5/market/risk-limit` category.
enum class category : unsigned char { linear, inverse };
/// How the API writes `maintenanceMargin` / `initialMargin`.
enum class rate_unit : unsigned char { fraction, percent };

/// The unit a category's rates come in: percent for inverse (the docs' example "0.5" = 0.5%), fractions
/// for linear (public fixtures "0.005"). Override with the `rate_unit` overload when a feed differs.
constexpr rate_unit default_rate_unit(category c) noexcept {
  return c == category::inverse ? rate_unit::percent : rate_unit::fraction;
}

/// The unit rule itself, unchecked: `api_value` / 100 for percent, unchanged for fractions (one rounded
/// quotient for `decimal<S>`). The single implementation behind `normalise_rate` and io's Bybit loader. O(1).
template <real_scalar Real>
constexpr Real rate_as_fraction(Real api_value, rate_unit unit) noexcept {
  return unit == rate_unit::percent ? api_value / from_double<Real>(100.0) : api_value;
}

/// The inverse of `rate_as_fraction`: `fraction` as the API writes it in `unit` (x 100 for percent). A loader
/// compares it with the text it read to detect a percent value that lost decimals in the division. O(1).
template <real_scalar Real>
constexpr Real rate_in_unit(Real fraction, rate_unit unit) noexcept {
  return unit == rate_unit::percent ? fraction * from_double<Real>(100.0) : fraction;
}

/// An API rate as a fraction: value / 100 for percent. Errors: non-finite or negative, through `Error`.
template <real_scalar Real, error_policy Error = throw_errors>
Real normalise_rate(Real api_value, rate_unit unit) noexcept(Error::is_noexcept) {
  if (!detail::check_finite_nonnegative<Error>("bybit::normalise_rate", "api_value", api_value))
    return scalar_traits<Real>::quiet_nan();
  return rate_as_fraction(api_value, unit);
}
/// An API rate as a fraction, in the category's default unit.
template <real_scalar Real, error_policy Error = throw_errors>
Real normalise_rate(Real api_value, category c) noexcept(Error::is_noexcept) {
  return normalise_rate<Real, Error>(api_value, default_rate_unit(c));
}

/// One step of the MMD recursion (docs/venues.md §2, vector T7: 300,000 x (0.005 - 0.0033) = 510).
template <real_scalar Real>
constexpr Real mm_deduction(Real previous_deduction, Real previous_risk_limit, Real maint_rate,
                            Real previous_maint_rate) noexcept {
  return detail::deduction_step(previous_deduction, previous_risk_limit, maint_rate, previous_maint_rate);
}

/// A risk-limit row as the API returns it (rates already normalised to fractions).
template <real_scalar Real = double>
struct risk_limit {
  Real risk_limit_value{};  ///< the tier's cap (position value)
  Real maint_rate{};        ///< `maintenanceMargin`
  Real max_leverage{};      ///< `maxLeverage`
};

/// Table from risk-limit rows sorted by riskLimitValue: floor_k = riskLimitValue_{k-1} (ccxt's choice,
/// https://github.com/ccxt/ccxt/pull/21828), cap = riskLimitValue_k; the deductions follow from the
/// recursion. O(K), allocates; errors (`invalid_table`) through `P::error` as for `tier_table`.
template <real_scalar Real, policy_bundle P = policies>
tier_table<Real, P> make_table(std::span<const risk_limit<Real>> rows) noexcept(P::error::is_noexcept) {
  std::vector<bracket<Real>> brackets;
  brackets.reserve(rows.size());
  for (std::size_t k = 0; k < rows.size(); ++k)
    brackets.push_back({k == 0 ? Real{} : rows[k - 1].risk_limit_value, rows[k].maint_rate, rows[k].max_leverage});
  if (rows.empty()) return tier_table<Real, P>(std::span<const bracket<Real>>(brackets));
  return tier_table<Real, P>(std::span<const bracket<Real>>(brackets), rows.back().risk_limit_value);
}

/// USDT (linear) isolated liquidation price, docs/venues.md §2:
///   LP(long) = EP - (IM - MM)/Size - Extra/Size,  LP(short) = EP + (IM - MM)/Size + Extra/Size,
///   PV = Size*EP, IM = PV/leverage, MM = PV*MMR - MMD (MM at the *entry* value, as Bybit's page does).
/// Vector L7: long 1 BTC @ 20,000, 50x, MMR 0.5% -> 19,700. Returns status `fully_collateralised` when
/// the long's LP would be <= 0. Errors through `Error`. O(1).
template <real_scalar Real, error_policy Error = throw_errors>
liquidation_bound<Real> linear_isolated_liquidation_price(position_side side, Real size, Real entry_price,
                                                          Real leverage, Real maint_rate, Real deduction,
                                                          Real extra_margin = Real{}) noexcept(Error::is_noexcept) {
  constexpr const char* fn = "bybit::linear_isolated_liquidation_price";
  if (!detail::bybit_position_valid<Error>(fn, "size", size, entry_price, leverage) ||
      !detail::check_finite_nonnegative<Error>(fn, "maint_rate", maint_rate) ||
      !detail::check_finite_nonnegative<Error>(fn, "deduction", deduction) ||
      !detail::check_finite_nonnegative<Error>(fn, "extra_margin", extra_margin))
    return detail::invalid_liquidation_bound<Real>();
  const Real value = size * entry_price;
  const Real im = value / leverage;
  const Real mm = value * maint_rate - deduction;
  const Real move = (im - mm) / size + extra_margin / size;
  return detail::closed_form_bound(side == position_side::long_side ? entry_price - move : entry_price + move,
                                   detail::no_root_status(side));
}

/// Same, with MMR and MMD from the table's tier at the entry position value.
template <real_scalar Real, policy_bundle P>
liquidation_bound<Real> linear_isolated_liquidation_price(const tier_table<Real, P>& table, position_side side,
                                                          Real size, Real entry_price, Real leverage,
                                                          Real extra_margin = Real{}) noexcept(P::error::is_noexcept) {
  constexpr const char* fn = "bybit::linear_isolated_liquidation_price";
  // The caller's arguments first, so that a bad one is named rather than the notional derived from it.
  if (!detail::bybit_position_valid<typename P::error>(fn, "size", size, entry_price, leverage))
    return detail::invalid_liquidation_bound<Real>();
  const std::size_t k = table.locate(fn, "size * entry_price", size * entry_price);
  if (k >= table.size()) return detail::invalid_liquidation_bound<Real>();
  auto b = linear_isolated_liquidation_price<Real, typename P::error>(
      side, size, entry_price, leverage, table.maint_rates()[k], table.maint_amounts()[k], extra_margin);
  b.tiers[0] = k;
  return b;
}

/// Inverse isolated liquidation price, older UTA page (docs/venues.md §2): with Qty in USD,
///   PV = Qty/EP, IM = PV/leverage, MM = PV*MMR - MMD,
///   LP(long) = Qty / (PV + (IM - MM)),  LP(short) = Qty / (PV - (IM - MM)).
/// A short whose denominator is <= 0 is never liquidated (status `never_liquidated`). O(1).
template <real_scalar Real, error_policy Error = throw_errors>
liquidation_bound<Real> inverse_isolated_liquidation_price(position_side side, Real quantity, Real entry_price,
                                                           Real leverage, Real maint_rate,
                                                           Real deduction) noexcept(Error::is_noexcept) {
  constexpr const char* fn = "bybit::inverse_isolated_liquidation_price";
  if (!detail::bybit_position_valid<Error>(fn, "quantity", quantity, entry_price, leverage) ||
      !detail::check_finite_nonnegative<Error>(fn, "maint_rate", maint_rate) ||
      !detail::check_finite_nonnegative<Error>(fn, "deduction", deduction))
    return detail::invalid_liquidation_bound<Real>();
  const Real value = quantity / entry_price;
  const Real cushion = value / leverage - (value * maint_rate - deduction);
  const Real denominator = side == position_side::long_side ? value + cushion : value - cushion;
  if (!(Real{} < denominator)) return detail::closed_form_bound(Real{}, detail::no_root_status(side));
  return detail::closed_form_bound(quantity / denominator, detail::no_root_status(side));
}

/// Inverse isolated liquidation price, newer UTA page (docs/venues.md §2), MM valued at the LP and the taker
/// fee on the extra margin:
///   LP(long)  = Size (1 + MMR) / (Size/EP + Size/EP/L + Extra/(1 + taker) + MMD)
///   LP(short) = Size (1 - MMR) / (Size/EP - Size/EP/L - Extra/(1 - taker) - MMD)
/// With Extra = MMD = 0 this is the generic solver's inverse isolated price. O(1).
template <real_scalar Real, error_policy Error = throw_errors>
liquidation_bound<Real> inverse_isolated_liquidation_price_uta(position_side side, Real size, Real entry_price,
                                                               Real leverage, Real maint_rate, Real deduction,
                                                               Real extra_margin = Real{},
                                                               Real taker_fee = Real{}) noexcept(Error::is_noexcept) {
  constexpr const char* fn = "bybit::inverse_isolated_liquidation_price_uta";
  const Real one = from_double<Real>(1.0);
  if (!detail::bybit_position_valid<Error>(fn, "size", size, entry_price, leverage) ||
      !detail::check_finite_nonnegative<Error>(fn, "maint_rate", maint_rate) ||
      !detail::check_finite_nonnegative<Error>(fn, "deduction", deduction) ||
      !detail::check_finite_nonnegative<Error>(fn, "extra_margin", extra_margin) ||
      !detail::check_fee_rate<Error>(fn, "taker_fee", taker_fee))
    return detail::invalid_liquidation_bound<Real>();
  const Real value = size / entry_price;
  if (side == position_side::long_side)
    return detail::closed_form_bound(
        size * (one + maint_rate) / (value + value / leverage + extra_margin / (one + taker_fee) + deduction),
        liquidation_status::fully_collateralised);
  const Real denominator = value - value / leverage - extra_margin / (one - taker_fee) - deduction;
  if (!(Real{} < denominator)) return detail::closed_form_bound(Real{}, liquidation_status::never_liquidated);
  return detail::closed_form_bound(size * (one - maint_rate) / denominator, liquidation_status::never_liquidated);
}

}  // namespace bybit

TIERMARGIN_NAMESPACE_END
