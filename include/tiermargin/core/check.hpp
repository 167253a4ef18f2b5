// SPDX-License-Identifier: BSL-1.0
/// @file check.hpp  Argument checks shared by every public function: each reports through the error
/// policy with the function and argument names, and returns true when the argument is fine.
#pragma once

#include "error.hpp"
#include "scalar.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace detail {
/// Report `info` through `Error` when `ok` is false. With a throwing policy this does not return; with
/// `quiet_nan` the caller returns NaN itself when this yields false.
template <error_policy Error>
bool check(bool ok, const error_info& info) noexcept(Error::is_noexcept) {
  if (!ok) Error::template raise<double>(info);
  return ok;
}

template <error_policy Error, real_scalar Real>
bool check_finite_nonnegative(const char* function, const char* argument, Real v) noexcept(Error::is_noexcept) {
  return check<Error>(scalar_traits<Real>::isfinite(v) && !(v < Real{}),
                      {error_kind::invalid_argument, function, argument, to_double(v), "must be finite and >= 0"});
}

template <error_policy Error, real_scalar Real>
bool check_finite_positive(const char* function, const char* argument, Real v) noexcept(Error::is_noexcept) {
  return check<Error>(scalar_traits<Real>::isfinite(v) && Real{} < v,
                      {error_kind::invalid_argument, function, argument, to_double(v), "must be finite and > 0"});
}

template <error_policy Error, real_scalar Real>
bool check_finite(const char* function, const char* argument, Real v) noexcept(Error::is_noexcept) {
  return check<Error>(scalar_traits<Real>::isfinite(v),
                      {error_kind::invalid_argument, function, argument, to_double(v), "must be finite"});
}

/// A probability strictly inside (0, 1), e.g. a tail probability or a confidence level.
template <error_policy Error>
bool check_probability(const char* function, const char* argument, double p) noexcept(Error::is_noexcept) {
  return check<Error>(p > 0.0 && p < 1.0,
                      {error_kind::invalid_argument, function, argument, p, "must be in the open interval (0, 1)"});
}
}  // namespace detail

TIERMARGIN_NAMESPACE_END
