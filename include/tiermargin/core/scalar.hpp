// SPDX-License-Identifier: BSL-1.0
/// @file scalar.hpp  The `real_scalar` concept and `scalar_traits`, the few operations generic code needs
/// beyond arithmetic (conversion, NaN, finiteness, largest value, rounding to decimals).
///
/// `double` and `float` are supported out of the box; `tiermargin::decimal<Scale>` specialises the traits in
/// decimal.hpp. A user type becomes usable everywhere by specialising `scalar_traits` the same way.
#pragma once

#include <cmath>
#include <concepts>
#include <limits>

#include "../config.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// How a value is brought to a number of decimals. Names follow java.math.RoundingMode, the convention
/// payment systems use: `down` is toward zero (truncation), `up` away from zero, `half_up` ties away
/// from zero, `half_even` ties to the even neighbour (banker's rounding).
enum class rounding_mode { down, up, half_up, half_even };

/// Customisation point; the primary template is intentionally undefined.
template <class T>
struct scalar_traits;

namespace detail {
/// Round `x` to `decimals` places treating doubles as the decimal numbers they were meant to be: a
/// value within a few ulps of a tie (or of an integer, for down/up) is snapped first, so that
/// 462.665 (stored as 462.66499999...) rounds half-up to 462.67 and 0.29 (0.28999...) rounds down to 0.29.
template <std::floating_point T>
T round_floating(T x, rounding_mode mode, int decimals) noexcept {
  if (!std::isfinite(x)) return x;
  const T scale = std::pow(T(10), T(decimals));
  const T y = x * scale;
  const T tolerance = T(8) * std::numeric_limits<T>::epsilon() * std::fabs(y);
  const T magnitude = std::fabs(y);
  const T nearest = std::nearbyint(magnitude);
  T rounded;
  if (std::fabs(magnitude - nearest) <= tolerance) {
    rounded = nearest;  // already (numerically) on the grid
  } else {
    const T low = std::floor(magnitude);
    const T fraction = magnitude - low;
    switch (mode) {
      case rounding_mode::down: rounded = low; break;
      case rounding_mode::up: rounded = low + T(1); break;
      case rounding_mode::half_up:
        rounded = (fraction >= T(0.5) - tolerance) ? low + T(1) : low;
        break;
      case rounding_mode::half_even:
      default:
        if (std::fabs(fraction - T(0.5)) <= tolerance)
          rounded = std::fmod(low, T(2)) == T(0) ? low : low + T(1);
        else
          rounded = fraction > T(0.5) ? low + T(1) : low;
        break;
    }
  }
  return std::copysign(rounded, x) / scale;
}
}  // namespace detail

/// `scalar_traits` for float, double and long double: thin wrappers over std::isnan, std::isfinite and friends.
template <std::floating_point T>
struct scalar_traits<T> {
  /// False: arithmetic rounds in binary; true for decimal types whose +, - are exact.
  static constexpr bool is_exact = false;
  /// `v` converted to T (rounded to nearest when T is narrower than double).
  static constexpr T from_double(double v) noexcept { return static_cast<T>(v); }
  /// `v` as double (exact for float and double).
  static constexpr double to_double(T v) noexcept { return static_cast<double>(v); }
  /// A quiet NaN of T: what `quiet_nan` error policies return.
  static constexpr T quiet_nan() noexcept { return std::numeric_limits<T>::quiet_NaN(); }
  /// Value used for "no upper bound" (the open cap of a last tier). Arithmetic keeps it unbounded
  /// (inf - 1 = inf, inf / 10 = inf); `decimal` follows the same IEEE rules (see decimal.hpp).
  static constexpr T unbounded() noexcept { return std::numeric_limits<T>::infinity(); }
  /// True when `v` is NaN.
  static bool isnan(T v) noexcept { return std::isnan(v); }
  /// True when `v` is neither NaN nor infinite.
  static bool isfinite(T v) noexcept { return std::isfinite(v); }
  /// `v` rounded to `decimals` places with `mode`, a value within a few ulps of a tie or of the grid snapped
  /// first (462.665, stored as 462.66499..., rounds half-up to 462.67). NaN and inf pass through.
  static T round(T v, rounding_mode mode, int decimals) noexcept {
    return detail::round_floating(v, mode, decimals);
  }
};

/// A number type every money-valued function accepts: ordered field arithmetic plus `scalar_traits`.
template <class T>
concept real_scalar = std::regular<T> && std::totally_ordered<T> && requires(T a, T b, double d) {
  { a + b } -> std::convertible_to<T>;
  { a - b } -> std::convertible_to<T>;
  { a * b } -> std::convertible_to<T>;
  { a / b } -> std::convertible_to<T>;
  { -a } -> std::convertible_to<T>;
  { scalar_traits<T>::from_double(d) } -> std::same_as<T>;
  { scalar_traits<T>::to_double(a) } -> std::same_as<double>;
  { scalar_traits<T>::quiet_nan() } -> std::same_as<T>;
  { scalar_traits<T>::unbounded() } -> std::same_as<T>;
  { scalar_traits<T>::isnan(a) } -> std::same_as<bool>;
  { scalar_traits<T>::isfinite(a) } -> std::same_as<bool>;
  { scalar_traits<T>::round(a, rounding_mode::half_even, 2) } -> std::same_as<T>;
  { scalar_traits<T>::is_exact } -> std::convertible_to<bool>;
};

/// Shorthands used throughout the library.
/// `scalar_traits<T>::from_double(v)`.
template <real_scalar T>
constexpr T from_double(double v) noexcept { return scalar_traits<T>::from_double(v); }
/// `scalar_traits<T>::to_double(v)`.
template <real_scalar T>
constexpr double to_double(T v) noexcept { return scalar_traits<T>::to_double(v); }
/// `scalar_traits<T>::isfinite(v)`: neither NaN nor unbounded.
template <real_scalar T>
bool is_finite(T v) noexcept { return scalar_traits<T>::isfinite(v); }

TIERMARGIN_NAMESPACE_END
