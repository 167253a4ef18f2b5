// SPDX-License-Identifier: BSL-1.0
/// @file decimal.hpp  `decimal<Scale, Mode>`: a 64-bit fixed-point number with `Scale` decimals.
///
/// The value is `raw / 10^Scale` with `raw` a signed 64-bit integer, so + and - are exact and products
/// or quotients are computed exactly in 128 bits and rounded once with `Mode` (default half-even).
/// Use it wherever a venue computes in decimal: `decimal<8>` holds notionals up to ~9.2e10 with 8
/// decimals, `decimal<6>` up to ~9.2e12.
///
/// **Special values.** Three raw encodings are not finite numbers: NaN (raw = INT64_MIN), +unbounded
/// (raw = INT64_MAX, the value of an open last cap) and -unbounded (raw = -INT64_MAX). The finite range is
/// symmetric, |raw| <= INT64_MAX - 1, so negation is exact and never UB. The special values follow IEEE
/// double's rules for NaN and +-infinity: NaN propagates; unbounded is sticky (inf +- finite = inf,
/// inf * nonzero = +-inf, inf / finite = +-inf, finite / inf = 0, -inf is the negation of inf), and
/// inf - inf, inf * 0 and inf / inf are NaN. Two deliberate differences from IEEE: a finite result that
/// overflows the finite range is NaN (not inf: an overflow is an error, not "unbounded"), and division by
/// zero is NaN. There are no exceptions and no UB in arithmetic; `isnan(d)` tests for NaN.
/// Comparisons are a total order on the raw value: NaN < -unbounded < every finite value < +unbounded
/// (NaN == NaN; unlike IEEE, NaN orders first instead of being unordered).
/// Parsing text that is not a number throws `tiermargin::invalid_argument` (see `decimal::parse` for a
/// non-throwing form).
#pragma once

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>

#include "error.hpp"
#include "scalar.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace detail {
__extension__ typedef __int128 int128;

constexpr std::int64_t pow10_i64(int n) noexcept {
  std::int64_t r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

/// q = n / d rounded with `mode` (d > 0 or d < 0, d != 0).
constexpr int128 divide_rounded(int128 n, int128 d, rounding_mode mode) noexcept {
  int128 q = n / d;
  const int128 r = n % d;
  if (r == 0) return q;
  const bool negative = (n < 0) != (d < 0);
  const int128 abs_r2 = (r < 0 ? -r : r) * 2;
  const int128 abs_d = d < 0 ? -d : d;
  bool away = false;  // move one unit away from zero
  switch (mode) {
    case rounding_mode::down: away = false; break;
    case rounding_mode::up: away = true; break;
    case rounding_mode::half_up: away = abs_r2 >= abs_d; break;
    case rounding_mode::half_even:
      away = abs_r2 > abs_d || (abs_r2 == abs_d && (q % 2) != 0);
      break;
  }
  if (away) q += negative ? -1 : 1;
  return q;
}
}  // namespace detail

/// Fixed-point decimal with `Scale` digits after the point (0 <= Scale <= 18).
/// @tparam Mode rounding applied when a product, quotient or conversion has more digits than `Scale`.
template <int Scale, rounding_mode Mode = rounding_mode::half_even>
class decimal {
  static_assert(Scale >= 0 && Scale <= 18, "DECIMAL_SCALE_MUST_BE_IN_0_TO_18");

 public:
  using raw_type = std::int64_t;  ///< the stored integer: value * 10^Scale
  static constexpr int scale = Scale;          ///< digits after the decimal point
  static constexpr rounding_mode mode = Mode;  ///< rounding of products, quotients and conversions
  static constexpr raw_type one_raw = detail::pow10_i64(Scale);           ///< raw value of 1, 10^Scale
  static constexpr raw_type nan_raw = std::numeric_limits<raw_type>::min();  ///< raw value of NaN, INT64_MIN
  static constexpr raw_type max_raw = std::numeric_limits<raw_type>::max();  ///< raw value of +unbounded, INT64_MAX

  constexpr decimal() noexcept = default;
  /// From an integer, exactly (NaN when it does not fit).
  template <std::integral I>
  constexpr explicit decimal(I v) noexcept
      : m_raw(std::is_unsigned_v<I> && static_cast<unsigned long long>(v) >
                                          static_cast<unsigned long long>(std::numeric_limits<long long>::max())
                  ? nan_raw
                  : from_integer(static_cast<long long>(v))) {}
  /// From a double: the shortest decimal that round-trips to `v`, rounded to `Scale` with `Mode`, so
  /// `decimal<2>(0.1)` is exactly 0.10. NaN gives NaN, +-inf gives +-unbounded, a finite value out of
  /// range gives NaN.
  explicit decimal(double v) noexcept : m_raw(from_double_raw(v)) {}
  /// From text such as "-1234.5678" or "1e-4". Throws `invalid_argument` on malformed text.
  explicit decimal(std::string_view text) : m_raw(parse_or_throw(text)) {}

  /// Build from the raw integer (value = raw / 10^Scale).
  static constexpr decimal from_raw(raw_type raw) noexcept {
    decimal d;
    d.m_raw = raw;
    return d;
  }
  /// Parse without throwing: nullopt for malformed text, NaN when the number is out of range.
  static std::optional<decimal> parse(std::string_view text) noexcept {
    raw_type raw = 0;
    if (!parse_raw(text, raw)) return std::nullopt;
    return from_raw(raw);
  }
  /// The quiet NaN: result of invalid operations (0/0, overflow) and of `quiet_nan` errors.
  static constexpr decimal nan() noexcept { return from_raw(nan_raw); }
  /// +unbounded (+inf); `-unbounded()` is -inf.
  static constexpr decimal unbounded() noexcept { return from_raw(max_raw); }
  /// The largest finite value, (INT64_MAX - 1) / 10^Scale; `-largest()` is the lowest finite value.
  static constexpr decimal largest() noexcept { return from_raw(max_raw - 1); }

  /// The stored integer (value * 10^Scale; `nan_raw` for NaN, +-`max_raw` for +-unbounded).
  constexpr raw_type raw() const noexcept { return m_raw; }
  /// True for NaN.
  constexpr bool is_nan() const noexcept { return m_raw == nan_raw; }
  /// +-unbounded.
  constexpr bool is_unbounded() const noexcept { return m_raw == max_raw || m_raw == -max_raw; }
  /// Neither NaN nor +-unbounded.
  constexpr bool is_finite() const noexcept { return -max_raw < m_raw && m_raw < max_raw; }
  /// The nearest double (NaN for NaN, +-inf for +-unbounded).
  double to_double() const noexcept {
    if (is_nan()) return std::numeric_limits<double>::quiet_NaN();
    if (m_raw == max_raw) return std::numeric_limits<double>::infinity();
    if (m_raw == -max_raw) return -std::numeric_limits<double>::infinity();
    return static_cast<double>(m_raw) / static_cast<double>(one_raw);
  }
  /// Same as `to_double()`.
  explicit operator double() const noexcept { return to_double(); }

  /// Round to `decimals` places (no-op when decimals >= Scale).
  constexpr decimal rounded(rounding_mode m, int decimals) const noexcept {
    if (!is_finite() || decimals >= Scale) return *this;
    const raw_type step = detail::pow10_i64(Scale - (decimals < 0 ? 0 : decimals));
    const detail::int128 q = detail::divide_rounded(m_raw, step, m);
    return checked(q * step);
  }

  /// Exact decimal text, e.g. "1300.00000000"; "nan", "inf" and "-inf" for the special values.
  std::string to_string() const {
    if (is_nan()) return "nan";
    if (m_raw == max_raw) return "inf";
    if (m_raw == -max_raw) return "-inf";
    const bool negative = m_raw < 0;
    detail::int128 magnitude = m_raw;
    if (negative) magnitude = -magnitude;
    std::string digits;
    do {
      digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
      magnitude /= 10;
    } while (magnitude != 0);
    while (static_cast<int>(digits.size()) <= Scale) digits.insert(digits.begin(), '0');
    if (Scale > 0) digits.insert(digits.end() - Scale, '.');
    return negative ? "-" + digits : digits;
  }

  /// Exact sum; inf + finite = inf, inf - inf = NaN, finite overflow = NaN.
  friend constexpr decimal operator+(decimal a, decimal b) noexcept {
    if (!a.is_finite() || !b.is_finite()) [[unlikely]]
      return special_sum(a, b);
    return checked(detail::int128(a.m_raw) + b.m_raw);
  }
  /// Exact difference: a + (-b).
  friend constexpr decimal operator-(decimal a, decimal b) noexcept { return a + -b; }
  /// Exact: the finite range is symmetric and -(+-unbounded) = -+unbounded; NaN stays NaN.
  friend constexpr decimal operator-(decimal a) noexcept {
    return a.is_nan() ? a : from_raw(-a.m_raw);  // |raw| <= INT64_MAX here: no overflow
  }
  /// Exact product rounded once to Scale with Mode; inf * nonzero = +-inf, inf * 0 = NaN.
  friend constexpr decimal operator*(decimal a, decimal b) noexcept {
    if (!a.is_finite() || !b.is_finite()) [[unlikely]] {
      const int sign = a.sign() * b.sign();
      return a.is_nan() || b.is_nan() || sign == 0 ? nan() : signed_unbounded(sign);
    }
    const detail::int128 product = detail::int128(a.m_raw) * b.m_raw;
    return checked(detail::divide_rounded(product, one_raw, Mode));
  }
  /// Exact quotient rounded once to Scale with Mode; NaN on division by zero and for inf / inf;
  /// inf / finite = +-inf, finite / inf = 0.
  friend constexpr decimal operator/(decimal a, decimal b) noexcept {
    if (!a.is_finite() || !b.is_finite() || b.m_raw == 0) [[unlikely]] {
      if (a.is_nan() || b.is_nan() || b.m_raw == 0 || (a.is_unbounded() && b.is_unbounded())) return nan();
      return b.is_unbounded() ? decimal{} : signed_unbounded(a.sign() * b.sign());
    }
    const detail::int128 numerator = detail::int128(a.m_raw) * one_raw;
    return checked(detail::divide_rounded(numerator, b.m_raw, Mode));
  }
  /// `*this = *this + b`.
  constexpr decimal& operator+=(decimal b) noexcept { return *this = *this + b; }
  /// `*this = *this - b`.
  constexpr decimal& operator-=(decimal b) noexcept { return *this = *this - b; }
  /// `*this = *this * b`.
  constexpr decimal& operator*=(decimal b) noexcept { return *this = *this * b; }
  /// `*this = *this / b`.
  constexpr decimal& operator/=(decimal b) noexcept { return *this = *this / b; }

  /// Equality of the raw integers: NaN == NaN here (unlike IEEE), so decimals are `std::regular`.
  friend constexpr bool operator==(decimal, decimal) noexcept = default;
  /// Order of the raw integers: -unbounded < finite values < +unbounded; NaN sorts below everything.
  friend constexpr auto operator<=>(decimal a, decimal b) noexcept { return a.m_raw <=> b.m_raw; }

  /// Writes `to_string()`.
  friend std::ostream& operator<<(std::ostream& os, decimal d) { return os << d.to_string(); }

 private:
  raw_type m_raw = 0;

  constexpr int sign() const noexcept { return m_raw < 0 ? -1 : (m_raw > 0 ? 1 : 0); }
  static constexpr decimal signed_unbounded(int sign) noexcept { return from_raw(sign < 0 ? -max_raw : max_raw); }
  /// a + b when one of them is NaN or +-unbounded.
  static constexpr decimal special_sum(decimal a, decimal b) noexcept {
    if (a.is_nan() || b.is_nan()) return nan();
    if (a.is_unbounded() && b.is_unbounded()) return a.m_raw == b.m_raw ? a : nan();
    return a.is_unbounded() ? a : b;
  }
  /// A finite result, or NaN when it leaves the finite range |raw| <= INT64_MAX - 1.
  static constexpr decimal checked(detail::int128 v) noexcept {
    if (v <= -detail::int128(max_raw) || v >= detail::int128(max_raw)) return nan();
    return from_raw(static_cast<raw_type>(v));
  }
  static constexpr raw_type from_integer(long long v) noexcept {
    return checked(detail::int128(v) * one_raw).m_raw;
  }
  static raw_type from_double_raw(double v) noexcept {
    if (!(v == v)) return nan_raw;
    if (v == std::numeric_limits<double>::infinity()) return max_raw;
    if (v == -std::numeric_limits<double>::infinity()) return -max_raw;
    std::array<char, 64> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), v);
    raw_type raw = nan_raw;
    if (result.ec != std::errc{} ||
        !parse_raw(std::string_view(buffer.data(), static_cast<std::size_t>(result.ptr - buffer.data())), raw))
      return nan_raw;
    return raw;
  }
  static raw_type parse_or_throw(std::string_view text) {
    raw_type raw = 0;
    if (!parse_raw(text, raw)) {
      error_info e;
      e.function = "decimal::decimal(string_view)";
      e.argument = "text";
      e.requirement = "must be a decimal number such as -12.345 or 1e-4";
      throw_errors::raise<void>(e);
    }
    return raw;
  }
  /// Parses [+-]digits[.digits][(e|E)[+-]digits]; false on malformed text, NaN raw when out of range.
  static constexpr bool parse_raw(std::string_view s, raw_type& out) noexcept {
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::size_t end = s.size();
    while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t')) --end;
    bool negative = false;
    if (i < end && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    detail::int128 mantissa = 0;
    int exponent = 0;  // value = mantissa * 10^exponent
    int digits = 0;
    bool seen_point = false;
    bool sticky = false;  // a non-zero digit was dropped
    for (; i < end; ++i) {
      const char c = s[i];
      if (c == '.') {
        if (seen_point) return false;
        seen_point = true;
      } else if (c >= '0' && c <= '9') {
        ++digits;
        if (mantissa < detail::int128(1) << 100) {
          mantissa = mantissa * 10 + (c - '0');
          if (seen_point) --exponent;
        } else {
          if (!seen_point) ++exponent;  // digits beyond ~30 significant ones only shift the exponent...
          sticky = sticky || c != '0';  // ...and, when not zero, make the value slightly larger
        }
      } else {
        break;
      }
    }
    if (digits == 0) return false;
    if (i < end && (s[i] == 'e' || s[i] == 'E')) {
      ++i;
      bool exp_negative = false;
      if (i < end && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
      int e = 0;
      int exp_digits = 0;
      for (; i < end && s[i] >= '0' && s[i] <= '9'; ++i, ++exp_digits) {
        if (e < 10000) e = e * 10 + (s[i] - '0');
      }
      if (exp_digits == 0) return false;
      exponent += exp_negative ? -e : e;
    }
    if (i != end) return false;
    if (sticky) {  // one extra non-zero digit stands for the dropped tail: rounding sees "above", not "exact"
      mantissa = mantissa * 10 + 1;
      --exponent;
    }
    if (negative) mantissa = -mantissa;
    const int shift = exponent + Scale;  // raw = mantissa * 10^shift
    if (shift >= 0) {
      detail::int128 raw = mantissa;
      for (int k = 0; k < shift; ++k) {
        raw *= 10;
        if (raw > detail::int128(max_raw) || raw < -detail::int128(max_raw)) {
          out = nan_raw;
          return true;
        }
      }
      out = checked(raw).m_raw;
    } else if (shift < -36) {
      out = 0;  // far below the last decimal: rounds to zero except for `up`
      if (Mode == rounding_mode::up && mantissa != 0) out = mantissa < 0 ? -1 : 1;
    } else {
      detail::int128 divisor = 1;
      for (int k = 0; k < -shift; ++k) divisor *= 10;
      out = checked(detail::divide_rounded(mantissa, divisor, Mode)).m_raw;
    }
    return true;
  }
};

/// True when T is a `decimal` specialisation.
template <class T>
inline constexpr bool is_decimal_v = false;
/// True: T is a `decimal` specialisation.
template <int S, rounding_mode M>
inline constexpr bool is_decimal_v<decimal<S, M>> = true;

/// True for NaN (found by ADL, like std::isnan for double).
template <int S, rounding_mode M>
constexpr bool isnan(decimal<S, M> d) noexcept { return d.is_nan(); }

/// `scalar_traits` for `decimal`: exact +, -, IEEE-like NaN and unbounded values.
template <int S, rounding_mode M>
struct scalar_traits<decimal<S, M>> {
  using type = decimal<S, M>;  ///< the decimal type
  static constexpr bool is_exact = true;  ///< + and - are exact
  /// `decimal(v)`: the shortest decimal that round-trips to `v`, rounded to S places with M.
  static type from_double(double v) noexcept { return type(v); }
  /// `v.to_double()`.
  static double to_double(type v) noexcept { return v.to_double(); }
  /// `type::nan()`.
  static constexpr type quiet_nan() noexcept { return type::nan(); }
  /// `type::unbounded()`.
  static constexpr type unbounded() noexcept { return type::unbounded(); }
  /// `v.is_nan()`.
  static constexpr bool isnan(type v) noexcept { return v.is_nan(); }
  /// `v.is_finite()`: neither NaN nor +-unbounded.
  static constexpr bool isfinite(type v) noexcept { return v.is_finite(); }
  /// `v.rounded(mode, decimals)`.
  static constexpr type round(type v, rounding_mode mode, int decimals) noexcept {
    return v.rounded(mode, decimals);
  }
};

static_assert(real_scalar<decimal<8>>);

TIERMARGIN_NAMESPACE_END
