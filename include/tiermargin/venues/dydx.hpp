// SPDX-License-Identifier: BSL-1.0
/// @file dydx.hpp  dYdX v4 liquidity tiers: IMF/MMF in ppm, the open-interest-scaled IMF in quote quantums
/// (integer arithmetic, rounded up), the isolated liquidation price and the liquidation order's fillable
/// and bankruptcy prices.
///
/// Sources (docs/venues.md §5):
///  - LiquidityTier fields: https://nautilustrader.io/docs/core-latest/nautilus_dydx/proto/dydxprotocol/perpetuals/struct.LiquidityTier.html
///  - MMF_ppm = IMF_ppm x maintenance_fraction_ppm / 1e6 (`GetMaintenanceMarginPpm`, `lib.BigIntMulPpm`,
///    integer division) and the OIMF (`GetInitialMarginQuoteQuantums`, rounded up, capped at the full
///    notional): https://github.com/dydxprotocol/v4-chain/blob/main/protocol/x/perpetuals/types/liquidity_tier.go,
///    vectors T10-T16 from liquidity_tier_test.go; docs https://docs.dydx.exchange/concepts-trading/margin
///  - isolated liquidation price p' = (e - s p) / (|s| MMF - s):
///    https://dydx-documentation-six.vercel.app/concepts/trading/liquidations
///  - fillable and bankruptcy prices (`protocol/x/clob/keeper/liquidations.go`; vector L12):
///    https://help.dydx.exchange/en/articles/8580691-liquidations-on-dydx-chain
///
/// The integer functions take quote quantums (USDC has 6 decimals: 1 USDC = 1e6 quantums).
#pragma once

#include <cstdint>
#include <limits>

#include "../core/check.hpp"
#include "../tiers/liquidation.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace dydx {

/// One in parts per million (ppm), the unit of dYdX's margin fractions: 1,000,000 ppm = 100%.
inline constexpr std::uint32_t one_million = 1'000'000;

/// MMF in ppm: imf_ppm x maintenance_fraction_ppm / 1e6, truncated like Go's big.Int division in
/// `BigIntMulPpm` (T10: 150,000/800,000 -> 120,000; T11: 450,000/770,000 -> 346,500; T12: 637,239/289,284 ->
/// 184,343 since the exact product is 184,343.046876). Errors: an argument above 1e6, through `Error`
/// (under `quiet_nan` the result is UINT32_MAX). O(1).
template <error_policy Error = throw_errors>
std::uint32_t maintenance_margin_ppm(std::uint32_t initial_margin_ppm,
                                     std::uint32_t maintenance_fraction_ppm) noexcept(Error::is_noexcept) {
  constexpr const char* fn = "dydx::maintenance_margin_ppm";
  if (!tiermargin::detail::check<Error>(initial_margin_ppm <= one_million,
                            {error_kind::invalid_argument, fn, "initial_margin_ppm",
                             static_cast<double>(initial_margin_ppm), "must be <= 1,000,000"}) ||
      !tiermargin::detail::check<Error>(maintenance_fraction_ppm <= one_million,
                            {error_kind::invalid_argument, fn, "maintenance_fraction_ppm",
                             static_cast<double>(maintenance_fraction_ppm), "must be <= 1,000,000"}))
    return std::numeric_limits<std::uint32_t>::max();
  return static_cast<std::uint32_t>(std::uint64_t{initial_margin_ppm} * maintenance_fraction_ppm / one_million);
}

namespace detail {
__extension__ typedef unsigned __int128 u128;

/// ceil(a * b / d) for a < 2^64, b < 2^100, 0 < d < 2^126, computed exactly (256-bit product, bitwise
/// long division; not a hot path).
inline u128 mul_div_ceil(std::uint64_t a, u128 b, u128 d) noexcept {
  const u128 mask = (u128{1} << 64) - 1;
  const u128 low_part = u128{a} * (b & mask);          // < 2^128
  const u128 high_part = u128{a} * (b >> 64);          // < 2^100
  u128 lo = low_part + ((high_part & mask) << 64);
  u128 hi = (high_part >> 64) + (lo < low_part ? 1 : 0);
  u128 quotient = 0, remainder = 0;
  for (int bit = 255; bit >= 0; --bit) {
    const u128 word = bit >= 128 ? hi : lo;
    const int shift = bit >= 128 ? bit - 128 : bit;
    remainder = (remainder << 1) | ((word >> shift) & 1);
    quotient <<= 1;  // the quotient fits in 128 bits for the callers' ranges
    if (remainder >= d) {
      remainder -= d;
      quotient |= 1;
    }
  }
  return remainder != 0 ? quotient + 1 : quotient;
}
}  // namespace detail

/// Initial margin in quote quantums with the open-interest-scaled IMF (OIMF), exactly as
/// `GetInitialMarginQuoteQuantums`:
///  - upper_cap != 0 and OI >= upper_cap: the full `quote_quantums`;
///  - upper_cap == 0 (OIMF off) or OI <= lower_cap: ceil(quote x IMF);
///  - else IMF_eff = IMF + (OI - lower)/(upper - lower) x (1 - IMF), IM = min(ceil(IMF_eff x quote), quote).
/// Exact integer arithmetic (T13-T16). Errors: IMF > 1e6, lower_cap > upper_cap, through `Error`
/// (UINT64_MAX under `quiet_nan`). O(1).
template <error_policy Error = throw_errors>
std::uint64_t initial_margin_quote_quantums(std::uint32_t initial_margin_ppm, std::uint64_t open_interest_lower_cap,
                                            std::uint64_t open_interest_upper_cap, std::uint64_t quote_quantums,
                                            std::uint64_t open_interest_quote_quantums) noexcept(Error::is_noexcept) {
  constexpr const char* fn = "dydx::initial_margin_quote_quantums";
  if (!tiermargin::detail::check<Error>(initial_margin_ppm <= one_million,
                                        {error_kind::invalid_argument, fn, "initial_margin_ppm",
                                         static_cast<double>(initial_margin_ppm), "must be <= 1,000,000"}) ||
      !tiermargin::detail::check<Error>(open_interest_lower_cap <= open_interest_upper_cap,
                                        {error_kind::invalid_argument, fn, "open_interest_lower_cap",
                                         static_cast<double>(open_interest_lower_cap),
                                         "must be <= open_interest_upper_cap"}))
    return std::numeric_limits<std::uint64_t>::max();
  using detail::u128;
  if (open_interest_upper_cap != 0 && open_interest_quote_quantums >= open_interest_upper_cap) return quote_quantums;
  if (open_interest_upper_cap == 0 || open_interest_quote_quantums <= open_interest_lower_cap)
    return static_cast<std::uint64_t>(detail::mul_div_ceil(quote_quantums, initial_margin_ppm, one_million));
  const u128 range = open_interest_upper_cap - open_interest_lower_cap;
  const u128 above = open_interest_quote_quantums - open_interest_lower_cap;
  // IMF_eff = (imf * range + above * (1e6 - imf)) / (1e6 * range)
  const u128 numerator = u128{initial_margin_ppm} * range + above * (one_million - initial_margin_ppm);
  const u128 im = detail::mul_div_ceil(quote_quantums, numerator, u128{one_million} * range);
  return im >= quote_quantums ? quote_quantums : static_cast<std::uint64_t>(im);
}

/// Isolated liquidation price p' = (e - s p) / (|s| MMF - s), with e the position's equity at price p and
/// s the signed size (docs/venues.md §5). The generic solver's equation in a single flat tier of rate MMF.
/// Status `fully_collateralised` / `never_liquidated` when the formula gives no positive price. O(1).
template <real_scalar Real, error_policy Error = throw_errors>
liquidation_bound<Real> isolated_liquidation_price(Real equity, Real signed_size, Real price,
                                                   Real maintenance_fraction) noexcept(Error::is_noexcept) {
  constexpr const char* fn = "dydx::isolated_liquidation_price";
  if (!tiermargin::detail::check_finite<Error>(fn, "equity", equity) ||
      !tiermargin::detail::check<Error>(scalar_traits<Real>::isfinite(signed_size) && !(signed_size == Real{}),
                                        {error_kind::invalid_argument, fn, "signed_size", to_double(signed_size),
                                         "must be finite and non-zero"}) ||
      !tiermargin::detail::check_finite_positive<Error>(fn, "price", price) ||
      !tiermargin::detail::check<Error>(scalar_traits<Real>::isfinite(maintenance_fraction) &&
                                            Real{} < maintenance_fraction &&
                                            maintenance_fraction < from_double<Real>(1.0),
                                        {error_kind::invalid_argument, fn, "maintenance_fraction",
                                         to_double(maintenance_fraction), "must be in (0, 1)"}))
    return tiermargin::detail::invalid_liquidation_bound<Real>();
  const position_side side = Real{} < signed_size ? position_side::long_side : position_side::short_side;
  const Real abs_size = Real{} < signed_size ? signed_size : -signed_size;
  return tiermargin::detail::closed_form_bound((equity - signed_size * price) /
                                                   (abs_size * maintenance_fraction - signed_size),
                                               tiermargin::detail::no_root_status(side));
}

/// Inputs of a liquidation order (docs/venues.md §5, genesis defaults: bankruptcy_adjustment 1.0,
/// spread_to_maintenance_margin_ratio 1.5).
template <real_scalar Real = double>
struct liquidation_order {
  Real signed_size{};               ///< PS: position size, > 0 long, < 0 short
  Real oracle_price{};              ///< P
  Real maintenance_fraction{};      ///< MMF of the market
  Real total_net_collateral{};      ///< TNC of the subaccount
  Real total_maintenance{};         ///< TMMR of the subaccount, > 0
  Real bankruptcy_adjustment = from_double<Real>(1.0);   ///< BA
  Real spread_to_maintenance = from_double<Real>(1.5);   ///< SMMR
};

namespace detail {
template <real_scalar Real, error_policy Error>
bool check_order(const char* fn, const liquidation_order<Real>& o) noexcept(Error::is_noexcept) {
  using tiermargin::detail::check;
  return check<Error>(scalar_traits<Real>::isfinite(o.signed_size) && !(o.signed_size == Real{}),
                      {error_kind::invalid_argument, fn, "signed_size", to_double(o.signed_size),
                       "must be finite and non-zero"}) &&
         tiermargin::detail::check_finite_positive<Error>(fn, "oracle_price", o.oracle_price) &&
         tiermargin::detail::check_finite_nonnegative<Error>(fn, "maintenance_fraction", o.maintenance_fraction) &&
         tiermargin::detail::check_finite<Error>(fn, "total_net_collateral", o.total_net_collateral) &&
         tiermargin::detail::check_finite_positive<Error>(fn, "total_maintenance", o.total_maintenance) &&
         tiermargin::detail::check_finite_nonnegative<Error>(fn, "bankruptcy_adjustment", o.bankruptcy_adjustment) &&
         tiermargin::detail::check_finite_nonnegative<Error>(fn, "spread_to_maintenance", o.spread_to_maintenance);
}
}  // namespace detail

/// Fillable price of the liquidation order closing the position:
///   ABR = clamp(BA (1 - TNC/TMMR), 0, 1),  fillable = (PNNV - ABR x SMMR x PMMR) / PS,
/// with PNNV = PS x P and PMMR = |PS| x P x MMF (L12: long 1 @ 50,000, MMF 3%, TNC 1,000, TMMR 1,500 ->
/// ABR 1/3, 49,250). Unrounded (the chain rounds to subticks). O(1). NaN on bad input (`quiet_nan`).
template <real_scalar Real, error_policy Error = throw_errors>
Real fillable_price(const liquidation_order<Real>& o) noexcept(Error::is_noexcept) {
  if (!detail::check_order<Real, Error>("dydx::fillable_price", o)) return scalar_traits<Real>::quiet_nan();
  const Real one = from_double<Real>(1.0);
  Real abr = o.bankruptcy_adjustment * (one - o.total_net_collateral / o.total_maintenance);
  if (abr < Real{}) abr = Real{};
  if (one < abr) abr = one;
  const Real abs_size = Real{} < o.signed_size ? o.signed_size : -o.signed_size;
  const Real pnnv = o.signed_size * o.oracle_price;
  const Real pmmr = abs_size * o.oracle_price * o.maintenance_fraction;
  return (pnnv - abr * o.spread_to_maintenance * pmmr) / o.signed_size;
}

/// Bankruptcy price of closing the whole position: the quote the close must yield,
/// -DNNV - TNC x |DMMR| / TMMR with DNNV = -PS x P and DMMR = -|PS| x P x MMF, per unit of size
/// (L12 -> 49,000). Unrounded (the chain rounds it so that the insurance fund is never needed). O(1).
template <real_scalar Real, error_policy Error = throw_errors>
Real bankruptcy_price(const liquidation_order<Real>& o) noexcept(Error::is_noexcept) {
  if (!detail::check_order<Real, Error>("dydx::bankruptcy_price", o)) return scalar_traits<Real>::quiet_nan();
  const Real abs_size = Real{} < o.signed_size ? o.signed_size : -o.signed_size;
  const Real dnnv = -(o.signed_size * o.oracle_price);
  const Real dmmr = abs_size * o.oracle_price * o.maintenance_fraction;
  const Real quote = -dnnv - o.total_net_collateral * dmmr / o.total_maintenance;
  return quote / o.signed_size;
}

}  // namespace dydx

TIERMARGIN_NAMESPACE_END
