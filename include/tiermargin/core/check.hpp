// SPDX-License-Identifier: BSL-1.0
/// @file check.hpp  Argument checks shared by every public function: each reports through the error
/// policy with the function and argument names, and returns true when the argument is fine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

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

/// A leverage: finite and >= 1 (max leverage of a tier, leverage of a position).
template <error_policy Error, real_scalar Real>
bool check_leverage(const char* function, const char* argument, Real v) noexcept(Error::is_noexcept) {
  return check<Error>(scalar_traits<Real>::isfinite(v) && !(v < from_double<Real>(1.0)),
                      {error_kind::invalid_argument, function, argument, to_double(v), "must be finite and >= 1"});
}

/// A fee rate: finite and in [0, 1) (a fraction of the position value).
template <error_policy Error, real_scalar Real>
bool check_fee_rate(const char* function, const char* argument, Real v) noexcept(Error::is_noexcept) {
  return check<Error>(scalar_traits<Real>::isfinite(v) && !(v < Real{}) && v < from_double<Real>(1.0),
                      {error_kind::invalid_argument, function, argument, to_double(v), "must be finite and in [0, 1)"});
}

/// A probability strictly inside (0, 1), e.g. a tail probability or a confidence level.
template <error_policy Error>
bool check_probability(const char* function, const char* argument, double p) noexcept(Error::is_noexcept) {
  return check<Error>(p > 0.0 && p < 1.0,
                      {error_kind::invalid_argument, function, argument, p, "must be in the open interval (0, 1)"});
}

/// True when the memory of `a` and `b` overlaps (an empty span overlaps nothing). O(1); the addresses are
/// compared as integers, which is portable where the built-in `<` on unrelated pointers is not.
template <class T, class U>
bool spans_overlap(std::span<T> a, std::span<U> b) noexcept {
  if (a.empty() || b.empty()) return false;
  const auto a_begin = reinterpret_cast<std::uintptr_t>(a.data());
  const auto b_begin = reinterpret_cast<std::uintptr_t>(b.data());
  return a_begin < b_begin + b.size_bytes() && b_begin < a_begin + a.size_bytes();
}

/// Report `output` (argument `argument` of `function`) when it overlaps `input`: for functions that read
/// the input while writing the output, so that an aliased buffer would give a wrong result.
template <error_policy Error, class T, class U>
bool check_no_overlap(const char* function, const char* argument, std::span<T> output, std::span<U> input,
                      const char* requirement = "must not overlap the input span (pass a separate buffer)") noexcept(
    Error::is_noexcept) {
  return check<Error>(!spans_overlap(output, input),
                      {error_kind::invalid_argument, function, argument, static_cast<double>(output.size()),
                       requirement});
}

/// `output` either starts where `input` starts (in-place use, for transforms that read input[i..] before
/// writing output[i]) or does not overlap it; any other overlap is reported naming `argument`.
template <error_policy Error, class T, class U>
bool check_in_place_or_disjoint(const char* function, const char* argument, std::span<T> output,
                                std::span<U> input) noexcept(Error::is_noexcept) {
  if (!output.empty() && !input.empty() &&
      reinterpret_cast<std::uintptr_t>(output.data()) == reinterpret_cast<std::uintptr_t>(input.data()))
    return true;
  return check<Error>(!spans_overlap(output, input),
                      {error_kind::invalid_argument, function, argument, static_cast<double>(output.size()),
                       "must either start at the input (in place) or not overlap it"});
}

/// `a * b` without wrap-around: false (and `product` untouched) when it would exceed SIZE_MAX.
inline bool checked_multiply(std::size_t a, std::size_t b, std::size_t& product) noexcept {
  if (a != 0 && b > static_cast<std::size_t>(-1) / a) return false;
  product = a * b;
  return true;
}
}  // namespace detail

namespace detail {
/// A tail probability p of the loss distribution: in (0, 1), and <= 0.5 unless `upper_tail_allowed` (the
/// caller's bundle is `allow_upper_tail<...>`, risk/estimator.hpp). A p above 0.5 is almost always a
/// confidence level passed by mistake (0.99 for 99%), which would give a VaR from the wrong tail; the message
/// says how to pass either. O(1).
template <error_policy Error>
bool check_tail_probability(const char* function, const char* argument, double p,
                            bool upper_tail_allowed) noexcept(Error::is_noexcept) {
  if (!check_probability<Error>(function, argument, p)) return false;
  return check<Error>(upper_tail_allowed || p <= 0.5,
                      {error_kind::invalid_argument, function, argument, p,
                       "is a tail probability (0.01 for 99%) and must be <= 0.5; for a confidence level use "
                       "from_confidence(0.99); for an upper tail on purpose use the policy bundle "
                       "allow_upper_tail<...>"});
}
}  // namespace detail

TIERMARGIN_NAMESPACE_END
