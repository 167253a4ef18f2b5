// SPDX-License-Identifier: BSL-1.0
/// @file liquidation.hpp  Exact liquidation and bankruptcy prices on a tier table: linear and inverse
/// contracts, isolated and cross margin, one-way and hedge mode.
///
/// **The equation.** For the legs i of one symbol (one leg in one-way mode; the long and the short leg in
/// hedge mode, which in cross share one price) with side sigma_i = +1/-1, size q_i, entry e_i and
/// s_i = q_i * contract_size, the account is liquidated at the price P where equity equals maintenance:
///
///     linear :  C + sum_i sigma_i s_i (P - e_i)       = sum_i [ s_i P   (mmr_k(i) + fee) - cum_k(i) ]
///     inverse:  C + sum_i sigma_i s_i (1/e_i - 1/P)   = sum_i [ s_i / P (mmr_k(i) + fee) - cum_k(i) ]
///
/// with C = collateral - other_maintenance + other_pnl (WB - TMM1 + UPNL1; isolated: TMM1 = UPNL1 = 0) and
/// k(i) the tier that contains leg i's notional *at P* (s_i P quote, or s_i / P coin). With one bracket
/// per leg this is exactly Binance's USD-M formula (docs/venues.md §1.4,
/// https://www.binance.com/en/support/faq/how-to-calculate-liquidation-price-of-usd%E2%93%A2-m-futures-contracts-b3c689c1f50a44cabb3a84e663b81d93)
/// and its COIN-M form (§1.6); the fee term is OKX/Gate's isolated form (§3) and Bybit's closing fee (§2).
/// Bankruptcy prices solve the same equation with mmr = cum = 0 (equity = closing fee).
///
/// **Exact solve.** In x = P (linear) or x = 1/P (inverse) both sides are affine on each *piece* (a choice
/// of one tier per leg), so f(x) = equity - maintenance = alpha + beta x there. Under the cumulative
/// convention f is continuous and concave (maintenance is convex), so the prices where the account is safe
/// form one interval around the reference price and each end is the root of exactly one piece: the
/// self-consistent tier (the root computed with tier k's mmr/cum has its notional inside tier k). The solver
/// starts at the piece of the reference price (the entry tier by default) and walks tier by tier in the
/// direction of the move, testing the sign of f at each tier edge, so it tries only the tiers between the
/// entry and the liquidation notional (usually one). Under the flat convention (OKX) maintenance jumps at
/// tier edges: the walk stops at the first edge where the jump makes equity fall below maintenance and
/// reports that edge price (the safe set need not be one interval there: the solver reports the ends of
/// the part that contains the reference price). O(1) tests skip a side that has no root (cumulative
/// convention), and a one-leg position whose reference tier is already self-consistent is priced without
/// a walk (`one_leg_fast_path`: the same input test, the same edge test, line and reporting as the walk's
/// first step; the tests check it against the walk on random inputs from denormal sizes to DBL_MAX).
/// Legs are never divided into one another's slopes (f at an edge is alpha + sum_i rate_i n_i), so a
/// denormal or empty hedge leg leaves the other leg's answer unchanged.
///
/// Prices are not rounded (`Policies::rounding` rounds money, not prices; round the result to the tick
/// size yourself); `maintenance` is reported unrounded so that it equals the equity at `price`.
///
/// **No liquidation price** is reported through `liquidation_status`, never as a negative or infinite
/// number: e.g. a long whose collateral covers its whole entry value (`fully_collateralised`), the rising
/// side of a long (`never_liquidated`), a position already liquidatable at the reference price, or a root
/// beyond the last tier's cap under `beyond_cap_error`.
///
/// Works for `double` and `decimal<S>`; arguments are validated through the table's error policy (under
/// `quiet_nan` the result has status `invalid_input` and NaN prices). Nothing allocates.
#pragma once

#include <array>
#include <cstddef>
#include <limits>
#include <type_traits>

#include "margin.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Linear (USD-M: notional = size * contract_size * price, PnL in quote) or inverse (COIN-M: notional in
/// coin = size * contract_size / price, PnL in coin).
enum class contract_type : unsigned char { linear, inverse };

/// Direction of a position (leg).
enum class position_side : signed char { long_side = 1, short_side = -1 };

/// One leg of a position in one symbol.
template <real_scalar Real = double>
struct position_leg {
  position_side side = position_side::long_side;  ///< long or short
  Real size{};         ///< absolute quantity: base units (linear) or contracts (inverse); >= 0
  Real entry_price{};  ///< average entry price, > 0
};

/// Account and contract data shared by the legs of one symbol.
template <real_scalar Real = double>
struct liquidation_inputs {
  contract_type contract = contract_type::linear;  ///< linear (USD-M) or inverse (COIN-M)
  /// Multiplier: linear notional = size * contract_size * price (1 for Binance USD-M, the face value at
  /// OKX); inverse notional in coin = size * contract_size / price (100 USD for Binance BTCUSD).
  Real contract_size = from_double<Real>(1.0);
  Real collateral{};         ///< WB: isolated wallet balance (isolated) or cross wallet balance (cross)
  Real other_maintenance{};  ///< TMM1: maintenance margin of every other position (0 when isolated), >= 0
  Real other_pnl{};          ///< UPNL1: unrealised PnL of every other position (0 when isolated)
  Real fee_rate{};           ///< closing (taker/liquidation) fee rate charged on the notional at the price
  /// A price at which the account is assumed safe (the mark price); 0 means the entry price of the first
  /// leg that holds a position.
  Real reference_price{};
};

/// Why a side has or has no liquidation price.
enum class liquidation_status : unsigned char {
  liquidates,                 ///< `price` is the liquidation (or bankruptcy) price on this side
  fully_collateralised,       ///< falling side: equity >= maintenance all the way down (e.g. WB >= Q * EP)
  never_liquidated,           ///< rising side: equity never falls below maintenance as the price rises
  liquidatable_at_reference,  ///< equity < maintenance already at the reference price: no safe interval
  beyond_last_cap,            ///< the root lies beyond the last tier's cap (policy `beyond_cap_error`)
  not_representable,          ///< the price (or its margin) overflows `Real` (e.g. decimal range exceeded),
                              ///< or a floating-point price falls below the smallest normal number
  invalid_input               ///< an argument was rejected under a non-throwing error policy
};

/// One side (falling or rising price) of the solution.
template <real_scalar Real = double>
struct liquidation_bound {
  liquidation_status status = liquidation_status::never_liquidated;  ///< whether and why there is a price
  Real price{};                         ///< the price when `status == liquidates`, otherwise 0 (NaN if invalid)
  std::array<std::size_t, 2> tiers{};   ///< tier (0-based) of each leg at `price`
  Real maintenance{};                   ///< maintenance (+ fee) of the symbol's legs at `price`
  /// True when `status == liquidates`, i.e. `price` is meaningful.
  bool has_price() const noexcept { return status == liquidation_status::liquidates; }
};

/// Both ends of the interval of safe prices around the reference price.
template <real_scalar Real = double>
struct liquidation_result {
  liquidation_bound<Real> falling;  ///< liquidated when the price falls to `falling.price` (longs)
  liquidation_bound<Real> rising;   ///< liquidated when the price rises to `rising.price` (shorts)
  position_side net_side = position_side::long_side;  ///< net direction (long when the long size >= short size)
  /// The side the net position loses on: `falling` for a net long, `rising` for a net short.
  const liquidation_bound<Real>& adverse() const noexcept {
    return net_side == position_side::long_side ? falling : rising;
  }
};

namespace detail {

/// Conjunction without short-circuit (every operand is evaluated; no branch per operand).
template <class... B>
constexpr bool all_true(B... b) noexcept {
  return (true & ... & static_cast<bool>(b));
}

/// Solver state for the `Legs` (1 or 2) legs of one symbol; see the file comment for alpha/beta.
template <real_scalar Real, std::size_t Legs>
struct liquidation_problem {
  static constexpr std::size_t legs = Legs;
  bool inverse = false;
  Real s[Legs]{};      // size * contract_size
  Real sigma[Legs]{};  // +1 / -1 (price side)
  Real base{};         // C + sum_i a_i, a_i = -sigma s e (linear) or sigma s / e (inverse)
  Real fee{};
};

/// The bound every entry point returns after reporting bad input: status `invalid_input`, NaN price and
/// maintenance (the venue closed forms return it too).
template <real_scalar Real>
inline liquidation_bound<Real> invalid_liquidation_bound() noexcept {
  liquidation_bound<Real> b;
  b.status = liquidation_status::invalid_input;
  b.price = scalar_traits<Real>::quiet_nan();
  b.maintenance = scalar_traits<Real>::quiet_nan();
  return b;
}

template <real_scalar Real>
inline liquidation_result<Real> invalid_liquidation_result() noexcept {
  liquidation_result<Real> r;
  r.falling = r.rising = invalid_liquidation_bound<Real>();
  return r;
}

/// How a public entry point names the solver's inputs in its errors: the function the caller called and
/// the caller's own argument names (a venue wrapper passes e.g. "wallet_balance" for `collateral`).
struct liquidation_names {
  const char* function = "liquidation_price";
  const char* collateral = "collateral";
  const char* other_maintenance = "other_maintenance";
  const char* other_pnl = "other_pnl";
  const char* contract_size = "contract_size";
};

/// Per-leg slope in x of f on tier rate `mmr`: sigma - mmr - fee (linear) or -(sigma + mmr + fee) (inverse).
template <real_scalar Real, std::size_t Legs>
inline Real leg_rate(const liquidation_problem<Real, Legs>& p, std::size_t i, Real mmr) noexcept {
  return p.inverse ? -(p.sigma[i] + mmr + p.fee) : p.sigma[i] - mmr - p.fee;
}

/// The line f = alpha + beta x of one piece, and each leg's slope per unit of its size.
template <real_scalar Real, std::size_t Legs>
struct piece_line {
  Real alpha{}, beta{};
  Real rate[Legs]{};
};

template <bool Bankrupt, real_scalar Real, policy_bundle P, std::size_t Legs>
inline piece_line<Real, Legs> make_line(const tier_table<Real, P>& table, const liquidation_problem<Real, Legs>& p,
                                        const std::size_t* k) noexcept {
  piece_line<Real, Legs> line;
  line.alpha = p.base;
  for (std::size_t i = 0; i < Legs; ++i) {
    if constexpr (Bankrupt) {
      line.rate[i] = leg_rate(p, i, Real{});
    } else {
      line.rate[i] = leg_rate(p, i, table.maint_rates()[k[i]]);
      line.alpha = line.alpha + table.maint_amounts()[k[i]];
    }
    line.beta = i == 0 ? p.s[0] * line.rate[0] : line.beta + p.s[i] * line.rate[i];
  }
  return line;
}

/// f at the x where leg j's notional equals `n` (s_j > 0). Every leg's notional is n_i = s_i x, so
/// f = alpha + sum_i rate_i n_i (exact for one leg). Floating point takes n_i = s_i n / s_j: no beta / s_j,
/// which a denormal s_j or a huge beta would turn into inf. A fixed-point decimal takes n_i = s_i (n / s_j)
/// instead: its range is small (about 9.2e10 for decimal<8>), so the product s_i n of a large notional
/// would overflow to NaN and the sign test would silently pass the edge.
template <real_scalar Real, std::size_t Legs>
inline Real value_at_notional(const liquidation_problem<Real, Legs>& p, const piece_line<Real, Legs>& line,
                              std::size_t j, Real n) noexcept {
  Real f = line.alpha + line.rate[j] * n;
  for (std::size_t i = 0; i < Legs; ++i) {
    if (i == j || p.s[i] == Real{}) continue;
    if constexpr (std::is_floating_point_v<Real>)
      f = f + line.rate[i] * (p.s[i] * n / p.s[j]);
    else
      f = f + line.rate[i] * (p.s[i] * (n / p.s[j]));
  }
  return f;
}

/// Price of the root x* = -alpha/beta: P = x* (linear) or 1/x* = -beta/alpha (inverse).
template <real_scalar Real, std::size_t Legs>
inline Real root_price(const liquidation_problem<Real, Legs>& p, const piece_line<Real, Legs>& line) noexcept {
  return p.inverse ? -line.beta / line.alpha : -line.alpha / line.beta;
}

/// Price at which leg j's notional equals `n`.
template <real_scalar Real, std::size_t Legs>
inline Real price_at_notional(const liquidation_problem<Real, Legs>& p, std::size_t j, Real n) noexcept {
  return p.inverse ? p.s[j] / n : n / p.s[j];
}

template <real_scalar Real, std::size_t Legs>
inline Real notional_at_price(const liquidation_problem<Real, Legs>& p, std::size_t i, Real price) noexcept {
  return p.inverse ? p.s[i] / price : p.s[i] * price;
}

/// f at a price: alpha + sum_i rate_i n_i(price), with no division by a leg's size.
template <real_scalar Real, std::size_t Legs>
inline Real value_at_price(const liquidation_problem<Real, Legs>& p, const piece_line<Real, Legs>& line,
                           Real price) noexcept {
  Real f = line.alpha;
  for (std::size_t i = 0; i < Legs; ++i) f = f + line.rate[i] * notional_at_price(p, i, price);
  return f;
}

template <bool Bankrupt, real_scalar Real, policy_bundle P, std::size_t Legs>
inline void finish_bound(const tier_table<Real, P>& table, const liquidation_problem<Real, Legs>& p,
                         const std::size_t* k, Real price, liquidation_bound<Real>& out) noexcept {
  // Not representable: a decimal overflow (NaN value), an infinite price, or a floating-point price below
  // the smallest normal number (a subnormal holds it with a few bits at best, and the notional there can
  // overflow).
  bool representable = scalar_traits<Real>::isfinite(price) && Real{} < price;
  if constexpr (std::is_floating_point_v<Real>)
    representable = representable && !(price < std::numeric_limits<Real>::min());
  if (!representable) {
    out = {};
    out.status = liquidation_status::not_representable;
    return;
  }
  out.status = liquidation_status::liquidates;
  out.price = price;
  Real mm{};
  bool beyond_cap = false;
  for (std::size_t i = 0; i < Legs; ++i) {
    out.tiers[i] = k[i];
    const Real n = notional_at_price(p, i, price);
    if constexpr (Bankrupt)
      mm = mm + n * p.fee;
    else
      mm = mm + n * (table.maint_rates()[k[i]] + p.fee) - table.maint_amounts()[k[i]];
    if constexpr (!Bankrupt && !P::beyond_cap::clamp) beyond_cap = beyond_cap || table.last_cap() < n;
  }
  out.maintenance = mm;
  if (!scalar_traits<Real>::isfinite(mm)) {
    out = {};
    out.status = liquidation_status::not_representable;
  } else if (beyond_cap) {
    out = {};
    out.status = liquidation_status::beyond_last_cap;
  }
}

/// Walk toward smaller x (smaller notional) from piece `k` where f >= 0 (its line is `line`); finds the
/// root where f turns < 0.
template <bool Bankrupt, real_scalar Real, policy_bundle P, std::size_t Legs>
inline bool walk_down(const tier_table<Real, P>& table, const liquidation_problem<Real, Legs>& p, std::size_t* k,
                      piece_line<Real, Legs> line, liquidation_bound<Real>& out) noexcept {
  for (;;) {
    // The piece's lower end: the leg whose current floor is highest in x (none: x = 0).
    std::size_t j = Legs;
    if constexpr (!Bankrupt) {
      if constexpr (Legs == 1) {
        if (k[0] != 0) j = 0;
      } else {
        Real edge_x{};
        for (std::size_t i = 0; i < Legs; ++i) {
          if (k[i] == 0 || p.s[i] == Real{}) continue;
          const Real x = table.floors()[k[i]] / p.s[i];
          if (!scalar_traits<Real>::isfinite(x)) continue;
          if (j == Legs || edge_x < x) j = i, edge_x = x;
        }
      }
    }
    const Real g = j == Legs ? line.alpha : value_at_notional(p, line, j, table.floors()[k[j]]);
    if (g < Real{}) {
      finish_bound<Bankrupt>(table, p, k, root_price(p, line), out);
      return true;
    }
    if (j == Legs) return false;  // f(0) >= 0: no root below
    --k[j];
    line = make_line<Bankrupt>(table, p, k);
  }
}

/// Walk toward larger x from piece `k` where f >= 0; finds the root where f turns < 0 (or an edge where
/// a flat-convention jump makes it negative).
template <bool Bankrupt, real_scalar Real, policy_bundle P, std::size_t Legs>
inline bool walk_up(const tier_table<Real, P>& table, const liquidation_problem<Real, Legs>& p, std::size_t* k,
                    piece_line<Real, Legs> line, liquidation_bound<Real>& out) noexcept {
  for (;;) {
    std::size_t j = Legs;
    if constexpr (!Bankrupt) {
      const std::size_t last = table.size() - 1;
      if constexpr (Legs == 1) {
        if (k[0] < last) j = 0;
      } else {
        Real edge_x{};
        for (std::size_t i = 0; i < Legs; ++i) {
          if (k[i] >= last || p.s[i] == Real{}) continue;
          const Real x = table.caps()[k[i]] / p.s[i];
          if (!scalar_traits<Real>::isfinite(x)) continue;  // a (denormal) leg that never reaches its cap
          if (j == Legs || x < edge_x) j = i, edge_x = x;
        }
      }
    }
    if (j == Legs) {  // the last piece extends without bound
      if (!(line.beta < Real{})) return false;
      finish_bound<Bankrupt>(table, p, k, root_price(p, line), out);
      return true;
    }
    const Real cap = table.caps()[k[j]];
    if (value_at_notional(p, line, j, cap) < Real{}) {
      finish_bound<Bankrupt>(table, p, k, root_price(p, line), out);
      return true;
    }
    ++k[j];
    line = make_line<Bankrupt>(table, p, k);
    if constexpr (!P::convention::uses_deduction) {
      // Flat convention: maintenance jumps up across the edge; liquidated just above it.
      if (value_at_notional(p, line, j, cap) < Real{}) {
        finish_bound<Bankrupt>(table, p, k, price_at_notional(p, j, cap), out);
        return true;
      }
    }
  }
}

/// The general path: walk from the reference piece toward each side whose O(1) test allows a root, and
/// give a side without one its "no root" status. Kept out of the per-position fast path's code.
template <bool Bankrupt, real_scalar Real, policy_bundle P, std::size_t Legs>
void walk_sides(const tier_table<Real, P>& table, const liquidation_problem<Real, Legs>& p,
                const std::size_t* anchor, const piece_line<Real, Legs>& anchor_line, bool try_down, bool try_up,
                liquidation_result<Real>& result) noexcept {
  // Down in x = falling price (linear) / rising price (inverse); up in x the other way.
  liquidation_bound<Real>& down = p.inverse ? result.rising : result.falling;
  liquidation_bound<Real>& up = p.inverse ? result.falling : result.rising;
  std::size_t k[Legs];
  if (try_down) {
    for (std::size_t i = 0; i < Legs; ++i) k[i] = anchor[i];
    if (!walk_down<Bankrupt>(table, p, k, anchor_line, down))
      down.status = p.inverse ? liquidation_status::never_liquidated : liquidation_status::fully_collateralised;
  }
  if (try_up) {
    for (std::size_t i = 0; i < Legs; ++i) k[i] = anchor[i];
    if (!walk_up<Bankrupt>(table, p, k, anchor_line, up))
      up.status = p.inverse ? liquidation_status::fully_collateralised : liquidation_status::never_liquidated;
  }
}

/// The one input test of every entry point: true when every argument is valid (one combined test, no
/// branch per argument); `validate_liquidation` then names the culprit of a failure.
template <bool Bankrupt, std::size_t Legs, real_scalar Real, policy_bundle P>
inline bool inputs_valid(const tier_table<Real, P>& table, const liquidation_inputs<Real>& in,
                         const position_leg<Real>* legs) noexcept {
  using traits = scalar_traits<Real>;
  const Real zero{};
  const Real one = from_double<Real>(1.0);
  bool ok = all_true(Bankrupt || table.valid(), traits::isfinite(in.contract_size), zero < in.contract_size,
                     traits::isfinite(in.collateral), traits::isfinite(in.other_maintenance),
                     !(in.other_maintenance < zero), traits::isfinite(in.other_pnl), traits::isfinite(in.fee_rate),
                     !(in.fee_rate < zero), in.fee_rate < one, traits::isfinite(in.reference_price),
                     !(in.reference_price < zero));
  for (std::size_t i = 0; i < Legs; ++i)
    ok = all_true(ok, traits::isfinite(legs[i].size), Legs == 1 ? zero < legs[i].size : !(legs[i].size < zero),
                  traits::isfinite(legs[i].entry_price), zero < legs[i].entry_price,
                  legs[i].side == position_side::long_side || legs[i].side == position_side::short_side);
  if constexpr (Legs == 2) ok = all_true(ok, zero < legs[0].size + legs[1].size);
  return ok;
}

/// Reports the first bad argument through the policy (the slow path after the fast combined test failed).
template <bool Bankrupt, real_scalar Real, policy_bundle P, std::size_t Legs>
bool validate_liquidation(const tier_table<Real, P>& table, const liquidation_names& names,
                          const liquidation_inputs<Real>& in, const position_leg<Real>* legs) noexcept(P::error::is_noexcept) {
  using on_error = typename P::error;
  const Real zero{};
  const char* const function = names.function;
  if constexpr (!Bankrupt) {
    if (!check<on_error>(table.valid(), {error_kind::invalid_table, function, "table",
                                         std::numeric_limits<double>::quiet_NaN(),
                                         "is empty or was rejected at construction"}))
      return false;
  }
  if (!check_finite_positive<on_error>(function, names.contract_size, in.contract_size)) return false;
  if (!check_finite<on_error>(function, names.collateral, in.collateral)) return false;
  if (!check_finite_nonnegative<on_error>(function, names.other_maintenance, in.other_maintenance)) return false;
  if (!check_finite<on_error>(function, names.other_pnl, in.other_pnl)) return false;
  if (!check_fee_rate<on_error>(function, "fee_rate", in.fee_rate)) return false;
  if (!check_finite_nonnegative<on_error>(function, "reference_price", in.reference_price)) return false;
  for (std::size_t i = 0; i < Legs; ++i) {
    const position_leg<Real>& leg = legs[i];
    const char* size_name = i == 0 ? "leg.size" : "short_leg.size";
    const char* entry_name = i == 0 ? "leg.entry_price" : "short_leg.entry_price";
    const bool size_ok = Legs == 1 ? check_finite_positive<on_error>(function, size_name, leg.size)
                                   : check_finite_nonnegative<on_error>(function, size_name, leg.size);
    if (!size_ok) return false;
    if (!check_finite_positive<on_error>(function, entry_name, leg.entry_price)) return false;
    if (!check<on_error>(leg.side == position_side::long_side || leg.side == position_side::short_side,
                         {error_kind::invalid_argument, function, "side", static_cast<double>(leg.side),
                          "must be long_side or short_side"}))
      return false;
  }
  if constexpr (Legs == 2) {
    if (!check<on_error>(zero < legs[0].size + legs[1].size,
                         {error_kind::invalid_argument, function, "leg.size", to_double(legs[0].size),
                          "the two legs must not both be empty"}))
      return false;
  }
  return true;
}

/// The general solver behind every public entry point: the one validation, the piece of the reference
/// price, the O(1) no-root tests and the walks.
template <bool Bankrupt, std::size_t Legs, real_scalar Real, policy_bundle P>
liquidation_result<Real> solve_liquidation(const tier_table<Real, P>& table, const liquidation_names& names,
                                           const liquidation_inputs<Real>& in,
                                           const position_leg<Real>* legs) noexcept(P::error::is_noexcept) {
  using on_error = typename P::error;
  using traits = scalar_traits<Real>;
  const Real zero{};
  const Real one = from_double<Real>(1.0);

  if (!inputs_valid<Bankrupt, Legs>(table, in, legs)) [[unlikely]] {
    validate_liquidation<Bankrupt, Real, P, Legs>(table, names, in, legs);  // names the culprit
    return invalid_liquidation_result<Real>();
  }

  liquidation_problem<Real, Legs> p;
  p.inverse = in.contract == contract_type::inverse;
  p.fee = in.fee_rate;
  p.base = in.collateral - in.other_maintenance + in.other_pnl;
  Real net{};
  for (std::size_t i = 0; i < Legs; ++i) {
    const position_leg<Real>& leg = legs[i];
    const bool is_long = leg.side == position_side::long_side;
    p.sigma[i] = is_long ? one : -one;
    p.s[i] = leg.size * in.contract_size;
    const Real a = p.inverse ? p.s[i] / leg.entry_price : p.s[i] * leg.entry_price;
    p.base = (is_long != p.inverse) ? p.base - a : p.base + a;
    net = is_long ? net + leg.size : net - leg.size;
  }

  liquidation_result<Real> result;
  result.net_side = net < zero ? position_side::short_side : position_side::long_side;
  // Default reference: the entry price of the first leg that holds a position (an empty hedge leg's entry
  // price is only a placeholder).
  const Real reference = in.reference_price == zero
                             ? (Legs > 1 && legs[0].size == zero ? legs[Legs - 1].entry_price : legs[0].entry_price)
                             : in.reference_price;

  // Piece of the reference price: each leg's tier at its notional there.
  std::size_t anchor[Legs] = {};
  if constexpr (!Bankrupt) {
    for (std::size_t i = 0; i < Legs; ++i) {
      const Real n = notional_at_price(p, i, reference);
      bool fits = traits::isfinite(n);
      if constexpr (!P::beyond_cap::clamp) fits = fits && !(table.last_cap() < n);
      if (!fits) [[unlikely]] {  // the report is built only on failure (this runs for every position)
        // Name what the caller passed: the reference price, or (when it was left at 0) the entry price used.
        const bool defaulted = in.reference_price == zero;
        const bool second = Legs > 1 && legs[0].size == zero;
        check<on_error>(false, {error_kind::invalid_argument, names.function,
                                !defaulted ? "reference_price" : second ? "short_leg.entry_price" : "leg.entry_price",
                                to_double(reference),
                                defaulted ? "the notional there (the default reference price) must be finite and "
                                            "within the last tier's cap; pass reference_price to choose another"
                                          : "the notional there must be finite and within the last tier's cap"});
        return invalid_liquidation_result<Real>();
      }
      anchor[i] = table.tier_index_unchecked(n);
    }
  }
  const piece_line<Real, Legs> anchor_line = make_line<Bankrupt>(table, p, anchor);
  {
    if (value_at_price(p, anchor_line, reference) < zero) {
      result.falling.status = result.rising.status = liquidation_status::liquidatable_at_reference;
      return result;
    }
  }

  // Down in x = falling price (linear) / rising price (inverse); up in x the other way.
  liquidation_bound<Real>& down = p.inverse ? result.rising : result.falling;
  liquidation_bound<Real>& up = p.inverse ? result.falling : result.rising;
  const liquidation_status down_none =
      p.inverse ? liquidation_status::never_liquidated : liquidation_status::fully_collateralised;
  const liquidation_status up_none =
      p.inverse ? liquidation_status::fully_collateralised : liquidation_status::never_liquidated;
  down.status = down_none;
  up.status = up_none;

  // O(1) tests for a side without a root (f concave under the cumulative convention).
  bool try_down = true, try_up = true;
  if constexpr (P::convention::uses_deduction || Bankrupt) {
    try_down = p.base < zero;  // f(x = 0) = base, every leg in tier 0 (cum 0)
    Real beta_last{};
    for (std::size_t i = 0; i < Legs; ++i) {
      Real rate = zero;
      if constexpr (!Bankrupt) rate = table.maint_rates()[table.size() - 1];
      beta_last = beta_last + p.s[i] * leg_rate(p, i, rate);
    }
    try_up = beta_last < zero;
  }
  walk_sides<Bankrupt>(table, p, anchor, anchor_line, try_down, try_up, result);
  return result;
}

/// The solver with the default argument names and `function` as the public function.
template <bool Bankrupt, std::size_t Legs, real_scalar Real, policy_bundle P>
liquidation_result<Real> solve_liquidation(const tier_table<Real, P>& table, const char* function,
                                           const liquidation_inputs<Real>& in,
                                           const position_leg<Real>* legs) noexcept(P::error::is_noexcept) {
  liquidation_names names;
  names.function = function;
  return solve_liquidation<Bankrupt, Legs>(table, names, in, legs);
}

/// The one-leg fast path (cumulative convention), one tier lookup and no walk: the common case where the root
/// of the reference tier's own line is the answer (the walk would stop at its first step: f < 0 at the
/// tier's edge on the side the line falls toward) and the O(1) concavity tests leave no root on the other
/// side. It runs the same `inputs_valid` test, builds the same alpha/beta as `make_line` (the same
/// operations in the same order) and reports through the walk's `finish_bound`, so it returns exactly
/// what `solve_liquidation` returns. Returns false, having touched nothing the caller keeps, when any of
/// that fails (the general solver then handles and reports the case, including invalid arguments).
template <real_scalar Real, policy_bundle P>
inline bool one_leg_fast_path(const tier_table<Real, P>& table, const liquidation_inputs<Real>& in,
                              const position_leg<Real>& leg, liquidation_result<Real>& result) noexcept {
  if constexpr (!P::convention::uses_deduction) {
    return false;
  } else {
    using traits = scalar_traits<Real>;
    const Real zero{};
    const Real one = from_double<Real>(1.0);
    if (!inputs_valid<false, 1>(table, in, &leg)) return false;
    liquidation_problem<Real, 1> p;  // as in solve_liquidation
    p.inverse = in.contract == contract_type::inverse;
    p.fee = in.fee_rate;
    const bool is_long = leg.side == position_side::long_side;
    p.sigma[0] = is_long ? one : -one;
    p.s[0] = leg.size * in.contract_size;
    const Real a = p.inverse ? p.s[0] / leg.entry_price : p.s[0] * leg.entry_price;
    const Real c = in.collateral - in.other_maintenance + in.other_pnl;
    p.base = (is_long != p.inverse) ? c - a : c + a;
    const Real reference = in.reference_price == zero ? leg.entry_price : in.reference_price;
    const Real n0 = notional_at_price(p, 0, reference);
    if (!traits::isfinite(n0) || (!P::beyond_cap::clamp && table.last_cap() < n0)) return false;
    const std::size_t k = table.tier_index_unchecked(n0);
    const std::size_t last = table.size() - 1;
    const Real mmr = table.maint_rates()[k];
    const Real rate = leg_rate(p, 0, mmr);
    const Real alpha = p.base + table.maint_amounts()[k];
    const Real beta = p.s[0] * rate;
    const bool down_possible = p.base < zero;                                            // try_down
    const bool up_possible = p.s[0] * leg_rate(p, 0, table.maint_rates()[last]) < zero;  // try_up
    const bool rises = zero < beta;  // f increases with x: the root is below the reference in x
    // The walk's first step, test for test: toward smaller x the root is in tier k when f < 0 at the
    // tier's floor (at x = 0 for the first tier), toward larger x when f < 0 at its cap (when f falls,
    // for the open last tier); the O(1) tests must rule out the other side.
    const bool root_in_tier = rises ? (k == 0 ? alpha < zero : alpha + rate * table.floors()[k] < zero)
                                    : (k == last ? beta < zero : alpha + rate * table.caps()[k] < zero);
    const bool consistent = all_true(!(alpha + rate * n0 < zero),  // safe at the reference
                                     root_in_tier,
                                     rises ? down_possible && !up_possible : up_possible && !down_possible);
    const Real root = p.inverse ? -beta / alpha : -alpha / beta;  // root_price
    if (!consistent) return false;
    // x falls (rises == true) = the price falls for linear, rises for inverse.
    const bool falling = rises != p.inverse;
    liquidation_bound<Real>& hit = falling ? result.falling : result.rising;
    liquidation_bound<Real>& none = falling ? result.rising : result.falling;
    finish_bound<false>(table, p, &k, root, hit);
    none.status = falling ? liquidation_status::never_liquidated : liquidation_status::fully_collateralised;
    result.net_side = is_long ? position_side::long_side : position_side::short_side;
    return true;
  }
}

/// The default bundle with another error policy (used where no table is involved).
template <error_policy Error>
struct error_only_policies : default_policies {
  using error = Error;
};

/// A closed-form venue price as a bound: `liquidates` when it is finite and > 0, else `none`.
template <real_scalar Real>
inline liquidation_bound<Real> closed_form_bound(Real price, liquidation_status none) noexcept {
  liquidation_bound<Real> b;
  if (scalar_traits<Real>::isfinite(price) && Real{} < price) {
    b.status = liquidation_status::liquidates;
    b.price = price;
  } else {
    b.status = none;
  }
  return b;
}

/// The status of a side without a root for a position of `side`: falling side of a long is fully
/// collateralised, rising side of a short never liquidated.
inline liquidation_status no_root_status(position_side side) noexcept {
  return side == position_side::long_side ? liquidation_status::fully_collateralised
                                          : liquidation_status::never_liquidated;
}

/// `liquidation_price` (one leg) reporting errors under `names`: the entry of the venue wrappers.
template <real_scalar Real, policy_bundle P>
liquidation_result<Real> named_liquidation_price(const tier_table<Real, P>& table, const liquidation_names& names,
                                                 const liquidation_inputs<Real>& in,
                                                 const position_leg<Real>& leg) noexcept(P::error::is_noexcept) {
  liquidation_result<Real> result;
  if (one_leg_fast_path(table, in, leg, result)) return result;
  return solve_liquidation<false, 1>(table, names, in, &leg);
}

/// `liquidation_price` (hedge mode, two legs) reporting errors under `names`.
template <real_scalar Real, policy_bundle P>
liquidation_result<Real> named_liquidation_price(const tier_table<Real, P>& table, const liquidation_names& names,
                                                 const liquidation_inputs<Real>& in, const position_leg<Real>& long_leg,
                                                 const position_leg<Real>& short_leg) noexcept(P::error::is_noexcept) {
  const position_leg<Real> legs[2] = {long_leg, short_leg};
  return solve_liquidation<false, 2>(table, names, in, legs);
}

}  // namespace detail

/// Liquidation prices of a one-way position (one leg) on `table`: both ends of the safe price interval
/// around `in.reference_price`; `result.adverse()` is the usual "liquidation price" (falling for a long).
/// Cross margin: pass the cross wallet balance and the other positions' MM and PnL; isolated: the
/// position's margin and zeros. Complexity: one tier lookup (O(1) with the default lookup on double,
/// O(log K) otherwise) plus O(number of tiers between the entry and the liquidation notional).
/// Errors through `P::error` (status `invalid_input` under `quiet_nan`).
template <real_scalar Real, policy_bundle P>
liquidation_result<Real> liquidation_price(const tier_table<Real, P>& table, const liquidation_inputs<Real>& in,
                                           const position_leg<Real>& leg) noexcept(P::error::is_noexcept) {
  return detail::named_liquidation_price(table, detail::liquidation_names{}, in, leg);
}

/// Hedge mode in cross margin: the long and the short leg of one symbol share one liquidation price;
/// each leg is priced in the tier of its own notional (Binance's MMR_L/cum_L and MMR_S/cum_S).
/// Isolated hedge-mode legs are independent: call the one-leg overload once per leg.
template <real_scalar Real, policy_bundle P>
liquidation_result<Real> liquidation_price(const tier_table<Real, P>& table, const liquidation_inputs<Real>& in,
                                           const position_leg<Real>& long_leg,
                                           const position_leg<Real>& short_leg) noexcept(P::error::is_noexcept) {
  return detail::named_liquidation_price(table, detail::liquidation_names{}, in, long_leg, short_leg);
}

/// Bankruptcy prices (equity = closing fee, no maintenance) of a one-way position; the same equation with
/// mmr = cum = 0, so no table is needed. O(1). Errors through `Error`.
template <real_scalar Real, error_policy Error = throw_errors>
liquidation_result<Real> bankruptcy_price(const liquidation_inputs<Real>& in,
                                          const position_leg<Real>& leg) noexcept(Error::is_noexcept) {
  const tier_table<Real, detail::error_only_policies<Error>> none;
  return detail::solve_liquidation<true, 1>(none, "bankruptcy_price", in, &leg);
}

/// Bankruptcy prices of the two legs of one symbol in cross hedge mode.
template <real_scalar Real, error_policy Error = throw_errors>
liquidation_result<Real> bankruptcy_price(const liquidation_inputs<Real>& in, const position_leg<Real>& long_leg,
                                          const position_leg<Real>& short_leg) noexcept(Error::is_noexcept) {
  const tier_table<Real, detail::error_only_policies<Error>> none;
  const position_leg<Real> legs[2] = {long_leg, short_leg};
  return detail::solve_liquidation<true, 2>(none, "bankruptcy_price", in, legs);
}

TIERMARGIN_NAMESPACE_END
