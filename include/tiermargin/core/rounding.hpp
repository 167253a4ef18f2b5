// SPDX-License-Identifier: BSL-1.0
/// @file rounding.hpp  Rounding policies: where a venue rounds money, the policy says how.
///
/// A rounding policy is a stateless struct with `static Real apply(Real)`. `no_rounding` is the default;
/// `round_down<2>` truncates to cents, `round_half_even<6>` is banker's rounding to 6 decimals, etc.
/// For doubles the value is treated as the decimal it approximates (see `detail::round_floating`);
/// for `decimal<Scale>` the rounding is exact.
#pragma once

#include "scalar.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Role concept of a rounding policy.
template <class P>
concept rounding_policy = requires(double x) {
  { P::apply(x) } -> std::same_as<double>;
};

/// Leave values as computed.
struct no_rounding {
  /// Returns `x` unchanged.
  template <real_scalar Real>
  static constexpr Real apply(Real x) noexcept { return x; }
};

/// Round to `Decimals` places with `Mode` (java.math.RoundingMode semantics).
template <rounding_mode Mode, int Decimals>
struct decimal_rounding {
  static_assert(Decimals >= 0 && Decimals <= 18, "ROUNDING_DECIMALS_MUST_BE_IN_0_TO_18");
  static constexpr rounding_mode mode = Mode;  ///< how ties and discarded digits round
  static constexpr int decimals = Decimals;    ///< places kept after the decimal point
  /// `x` rounded to `Decimals` places with `Mode` (`scalar_traits<Real>::round`); NaN stays NaN.
  template <real_scalar Real>
  static Real apply(Real x) noexcept { return scalar_traits<Real>::round(x, Mode, Decimals); }
};

/// Truncate toward zero to `Decimals` places.
template <int Decimals> using round_down = decimal_rounding<rounding_mode::down, Decimals>;
/// Round away from zero to `Decimals` places.
template <int Decimals> using round_up = decimal_rounding<rounding_mode::up, Decimals>;
/// Round to nearest, ties away from zero, to `Decimals` places.
template <int Decimals> using round_half_up = decimal_rounding<rounding_mode::half_up, Decimals>;
/// Round to nearest, ties to even (banker's rounding), to `Decimals` places.
template <int Decimals> using round_half_even = decimal_rounding<rounding_mode::half_even, Decimals>;

static_assert(rounding_policy<no_rounding> && rounding_policy<round_half_even<2>>);

TIERMARGIN_NAMESPACE_END
