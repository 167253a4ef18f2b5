// SPDX-License-Identifier: BSL-1.0
/// @file error.hpp  Exception hierarchy, error descriptions and the three error policies.
///
/// Every bad input is reported through an *error policy*, a stateless struct chosen at compile time:
///  - `throw_errors` (default) throws an exception derived from `tiermargin::error`;
///  - `quiet_nan` returns a quiet NaN of the result type (no global state, no errno);
///  - `terminate_errors` prints the message to stderr and calls `std::abort()` (for -fno-exceptions builds).
/// Public functions are `noexcept(error_policy::is_noexcept)`, so the choice also fixes `noexcept`.
///
/// Builds without exceptions (-fno-exceptions, /EHs-c-): every header compiles; `quiet_nan` and
/// `terminate_errors` work as usual, and instantiating anything that reports through `throw_errors` (the
/// default) stops compilation with a static_assert that names the two policies to choose instead.
#pragma once

#include <charconv>
#include <cmath>
#include <concepts>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>

#include "../config.hpp"

/// 1 when the build has C++ exceptions (`__cpp_exceptions`, `__EXCEPTIONS` or `_CPPUNWIND`), else 0; with 0,
/// `throw_errors` is a compile error and `quiet_nan` / `terminate_errors` are the error policies to use.
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
#define TIERMARGIN_HAS_EXCEPTIONS 1
#else
#define TIERMARGIN_HAS_EXCEPTIONS 0
#endif

TIERMARGIN_NAMESPACE_BEGIN

/// Base of every exception the library throws.
class error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
/// A tier table violates an invariant (gap, overlap, unsorted floors, decreasing rate, ...).
class invalid_table : public error {
 public:
  using error::error;
};
/// A function argument is outside its domain (NaN, negative notional, alpha outside (0,1), ...).
class invalid_argument : public error {
 public:
  using error::error;
};
/// A sample is too short or too degenerate for the requested estimate.
class insufficient_data : public error {
 public:
  using error::error;
};

/// Which exception an error maps to under `throw_errors`.
enum class error_kind { invalid_argument, invalid_table, insufficient_data };

/// Everything needed to describe an error; built without allocation so that non-throwing
/// policies pay nothing for the message. `index` is the tier or observation index, or -1.
struct error_info {
  error_kind kind = error_kind::invalid_argument;  ///< which exception `throw_errors` throws
  const char* function = "";     ///< fully qualified public function, e.g. "tier_table::maintenance_margin"
  const char* argument = "";     ///< argument or field name, e.g. "notional" or "maint_rate"
  double value = std::numeric_limits<double>::quiet_NaN();  ///< offending value (NaN when not numeric)
  const char* requirement = "";  ///< what was expected, e.g. "must be finite and >= 0"
  long index = -1;               ///< tier / element index, or -1 when not applicable
};

namespace detail {
/// Shortest text that reads back as `v` ("0.003", not "0.0030000000000000001").
inline void append_number(std::string& out, double v) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, result.ptr);
}
}  // namespace detail

/// The human-readable message for an error: "tiermargin::<function>: tier 3 field 'maint_rate' = 0.002:
/// must not decrease". Allocates; only called by policies that report text.
inline std::string format_error(const error_info& e) {
  std::string out = "tiermargin::";
  out += e.function;
  out += ": ";
  if (e.index >= 0) {
    out += e.kind == error_kind::invalid_table ? "tier " : "element ";
    out += std::to_string(e.index);
    out += e.kind == error_kind::invalid_table ? " field '" : " of '";
  } else {
    out += "argument '";
  }
  out += e.argument;
  out += "'";
  if (!std::isnan(e.value) || e.kind != error_kind::insufficient_data) {
    out += " = ";
    detail::append_number(out, e.value);
  }
  out += ": ";
  out += e.requirement;
  return out;
}

/// A scalar type an error policy can return: floating point, or anything with a NaN in its traits.
template <class T>
concept nan_constructible = requires { T(std::numeric_limits<double>::quiet_NaN()); };

/// Role concept of an error policy.
template <class P>
concept error_policy = requires(const error_info& e) {
  { P::is_noexcept } -> std::convertible_to<bool>;
  { P::template raise<double>(e) } -> std::same_as<double>;
};

namespace detail {
template <class T>
inline constexpr bool dependent_false = false;
}  // namespace detail

/// Default policy: throw the exception matching `error_info::kind`. Needs exceptions: in a build without
/// them, using it is a compile error (choose `quiet_nan` or `terminate_errors` in the policy bundle).
struct throw_errors {
  static constexpr bool is_noexcept = false;  ///< functions reporting through this policy may throw
  /// Throws the exception of `e.kind` with `format_error(e)` as its message; never returns.
  template <class T>
  [[noreturn]] static T raise(const error_info& e) {
#if TIERMARGIN_HAS_EXCEPTIONS
    switch (e.kind) {
      case error_kind::invalid_table: throw invalid_table(format_error(e));
      case error_kind::insufficient_data: throw insufficient_data(format_error(e));
      case error_kind::invalid_argument: break;
    }
    throw invalid_argument(format_error(e));
#else
    static_assert(detail::dependent_false<T>,
                  "tiermargin: exceptions are disabled, so the error policy throw_errors (the default) cannot be "
                  "used; set `using error = tiermargin::quiet_nan;` or `tiermargin::terminate_errors` in the policy "
                  "bundle (see README, Policies)");
    (void)e;
    std::abort();
#endif
  }
};

/// Return a quiet NaN of the result type; never throws, never touches global state.
/// For integer results (tier indices) the policy returns the type's maximum, documented per function.
struct quiet_nan {
  static constexpr bool is_noexcept = true;  ///< functions reporting through this policy never throw
  /// Returns NaN of T (T's maximum for integer T, nothing for void); allocates nothing.
  template <class T>
  static T raise(const error_info&) noexcept {
    if constexpr (std::is_integral_v<T>) {
      return std::numeric_limits<T>::max();
    } else if constexpr (std::is_void_v<T>) {
      return;
    } else {
      return T(std::numeric_limits<double>::quiet_NaN());
    }
  }
};

/// Print the message and abort: for builds without exceptions that must not continue on bad input.
struct terminate_errors {
  static constexpr bool is_noexcept = true;  ///< functions reporting through this policy never throw
  /// Prints `format_error(e)` to stderr and calls `std::abort()`; never returns.
  template <class T>
  [[noreturn]] static T raise(const error_info& e) noexcept {
    std::string message;
#if TIERMARGIN_HAS_EXCEPTIONS
    try {
      message = format_error(e);
    } catch (...) {
      message = "tiermargin: error (message could not be formatted)";
    }
#else
    message = format_error(e);  // without exceptions an allocation failure aborts here, as intended
#endif
    std::fputs(message.c_str(), stderr);
    std::fputc('\n', stderr);
    std::abort();
  }
};

static_assert(error_policy<throw_errors> && error_policy<quiet_nan> && error_policy<terminate_errors>);

TIERMARGIN_NAMESPACE_END
