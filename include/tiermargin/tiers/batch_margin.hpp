// SPDX-License-Identifier: BSL-1.0
/// @file batch_margin.hpp  The per-position queries of margin.hpp over spans of notionals, into caller
/// buffers: tier index, maintenance and initial margin, max leverage, effective rate and margin ratio.
///
/// Separate from margin.hpp because the SIMD maintenance kernel needs <Eigen/Core>, which a user of the
/// single-position queries should not compile. Bad elements are reported with their index after the pass
/// (under `quiet_nan` they get NaN, or `table.size()` for tier indices, and the rest stay valid). No
/// function here allocates.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
#include <span>
#include <type_traits>

#include "detail/max_affine.hpp"
#include "margin.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace detail {
/// Common start of the batch queries: `out` must have one slot per notional and the table must be valid
/// (if it is not, every slot gets `bad`). False after reporting through the policy.
template <class Out, real_scalar Real, policy_bundle P>
bool batch_ready(const tier_table<Real, P>& table, const char* function, std::span<const Real> notionals,
                 std::span<Out> out, Out bad) noexcept(P::error::is_noexcept) {
  using on_error = typename P::error;
  if (!check<on_error>(notionals.size() == out.size(), {error_kind::invalid_argument, function, "out.size()",
                                                        static_cast<double>(out.size()),
                                                        "must equal notionals.size()"}))
    return false;
  if (check<on_error>(table.valid(), {error_kind::invalid_table, function, "table",
                                      std::numeric_limits<double>::quiet_NaN(),
                                      "is empty or was rejected at construction"}))
    return true;
  for (Out& v : out) v = bad;
  return false;
}

/// A valid notional for a batch query: finite, >= 0 and <= `limit`.
template <real_scalar Real>
bool batch_notional_ok(Real x, Real limit) noexcept {
  return scalar_traits<Real>::isfinite(x) && !(x < Real{}) && !(limit < x);
}

/// Common end of the batch queries, once a pass found bad elements: each gets `bad` and is reported with
/// its index (the first report throws under throw_errors). `extra_ok(i)` vets another per-element input,
/// named `extra_name`, with value `extra_value(i)`.
template <class Out, real_scalar Real, policy_bundle P, class ExtraOk, class ExtraValue>
void report_bad_elements(const char* function, std::span<const Real> notionals, Real limit, std::span<Out> out,
                         Out bad, const char* extra_name, ExtraOk extra_ok,
                         ExtraValue extra_value) noexcept(P::error::is_noexcept) {
  using on_error = typename P::error;
  for (std::size_t i = 0; i < notionals.size(); ++i) {
    if (!batch_notional_ok(notionals[i], limit)) {
      out[i] = bad;
      on_error::template raise<double>({error_kind::invalid_argument, function, "notionals",
                                        to_double(notionals[i]), "must be finite, >= 0 and <= the last cap",
                                        static_cast<long>(i)});
    } else if (!extra_ok(i)) {
      out[i] = bad;
      on_error::template raise<double>({error_kind::invalid_argument, function, extra_name, extra_value(i),
                                        "must be finite", static_cast<long>(i)});
    }
  }
}

template <class Out, real_scalar Real, policy_bundle P>
void report_bad_elements(const char* function, std::span<const Real> notionals, Real limit, std::span<Out> out,
                         Out bad) noexcept(P::error::is_noexcept) {
  report_bad_elements<Out, Real, P>(function, notionals, limit, out, bad, "", [](std::size_t) { return true; },
                                    [](std::size_t) { return 0.0; });
}

/// Shared loop of the per-position batch queries: out[i] = value(k_i, i) with k_i the tier of
/// notionals[i], for every valid element; the others get `bad` and are reported after the pass with their
/// index. `extra_ok` / `extra_name` / `extra_value` as in report_bad_elements. O(N) lookups; no allocation.
template <class Out, real_scalar Real, policy_bundle P, class Value, class ExtraOk, class ExtraValue>
void batch_by_tier(const tier_table<Real, P>& table, const char* function, std::span<const Real> notionals,
                   std::span<Out> out, Out bad, Value value, const char* extra_name, ExtraOk extra_ok,
                   ExtraValue extra_value) noexcept(P::error::is_noexcept) {
  if (!batch_ready(table, function, notionals, out, bad)) return;
  const Real limit = P::beyond_cap::clamp ? scalar_traits<Real>::unbounded() : table.last_cap();
  bool all_valid = true;
  for (std::size_t i = 0; i < notionals.size(); ++i) {
    const Real x = notionals[i];
    const bool ok = batch_notional_ok(x, limit) && extra_ok(i);
    all_valid = all_valid && ok;
    out[i] = ok ? value(table.tier_index_unchecked(x), i) : bad;
  }
  if (!all_valid)
    report_bad_elements<Out, Real, P>(function, notionals, limit, out, bad, extra_name, extra_ok, extra_value);
}

template <class Out, real_scalar Real, policy_bundle P, class Value>
void batch_by_tier(const tier_table<Real, P>& table, const char* function, std::span<const Real> notionals,
                   std::span<Out> out, Out bad, Value value) noexcept(P::error::is_noexcept) {
  batch_by_tier(table, function, notionals, out, bad, value, "", [](std::size_t) { return true; },
                [](std::size_t) { return 0.0; });
}
}  // namespace detail

/// Batch maintenance margin: out[i] = maintenance_margin(table, notionals[i]).
/// Sizes must match. For floating point under the cumulative convention the loop evaluates
/// max_k (n*mmr_k - cum_k), the convex form, branch-free on SIMD registers over the tiers each chunk of 64
/// positions can touch (tiers/detail/max_affine.hpp; an AVX-512 or AVX2 kernel chosen at run time from the
/// CPU on x86-64 builds with GCC or Clang that do not already target AVX-512); otherwise each element is
/// looked up. Bad elements are reported with their index after the pass
/// (under `quiet_nan` they are set to NaN and the rest are valid). O(N K) at most on the SIMD path (a chunk
/// touches only the tiers its positions span), otherwise N lookups (O(1) each with the default lookup on
/// double, O(log K) otherwise); no allocation.
template <real_scalar Real, policy_bundle P>
void maintenance_margin(const tier_table<Real, P>& table, std::span<const Real> notionals,
                        std::span<Real> out) noexcept(P::error::is_noexcept) {
  constexpr const char* f = "maintenance_margin(batch)";
  const Real nan = scalar_traits<Real>::quiet_nan();
  if constexpr (std::is_floating_point_v<Real> && P::convention::uses_deduction) {
    if (!detail::batch_ready(table, f, notionals, out, nan)) return;
    // Largest valid notional, finite for the kernels: the last cap, or under beyond_cap_clamp the largest
    // finite value.
    const Real limit = P::beyond_cap::clamp ? std::numeric_limits<Real>::max()
                                            : std::min(table.last_cap(), std::numeric_limits<Real>::max());
    const Real* rates = table.maint_rates().data();
    const Real* amounts = table.maint_amounts().data();
    const std::size_t n = notionals.size(), tiers = table.size();
    const Real* in = notionals.data();
    Real* dst = out.data();
    const std::size_t whole = n - n % detail::max_affine_chunk;
    const std::size_t invalid = detail::max_affine_chunks(
        detail::max_affine_pieces<Real>{rates, amounts, tiers, limit},
        [&table](Real x) noexcept { return table.tier_index_unchecked(x); }, in, dst, whole);
    bool all_valid = invalid == 0;
    for (std::size_t i = whole; i < n; ++i) {
      const Real x = in[i];
      all_valid &= (x >= Real(0)) & (x <= limit);
      Real mm = x * rates[0] - amounts[0];
      for (std::size_t k = 1; k < tiers; ++k) {
        const Real piece = x * rates[k] - amounts[k];
        mm = piece > mm ? piece : mm;
      }
      dst[i] = mm;
    }
    if constexpr (!std::is_same_v<typename P::rounding, no_rounding>)
      for (Real& v : out) v = P::rounding::apply(v);
    if (!all_valid)
      detail::report_bad_elements<Real, Real, P>(f, notionals, limit, out, nan);
  } else {
    detail::batch_by_tier(table, f, notionals, out, nan, [&](std::size_t k, std::size_t i) {
      return detail::maintenance_in_tier(table, k, notionals[i]);
    });
  }
}

/// Batch tier index: out[i] = tier_index(table, notionals[i]); a bad element gets table.size(). Errors
/// name the element (reported after the pass). O(N) with the default lookup; no allocation.
template <real_scalar Real, policy_bundle P>
void tier_index(const tier_table<Real, P>& table, std::span<const Real> notionals,
                std::span<std::size_t> out) noexcept(P::error::is_noexcept) {
  detail::batch_by_tier(table, "tier_index(batch)", notionals, out, table.size(),
                        [](std::size_t k, std::size_t) { return k; });
}

/// Batch initial margin at the tiers' max leverage: out[i] = initial_margin(table, notionals[i]) (NaN for
/// a bad element; errors name the element, reported after the pass). No allocation.
template <real_scalar Real, policy_bundle P>
void initial_margin(const tier_table<Real, P>& table, std::span<const Real> notionals,
                    std::span<Real> out) noexcept(P::error::is_noexcept) {
  const Real* leverages = table.max_leverages().data();
  detail::batch_by_tier(table, "initial_margin(batch)", notionals, out, scalar_traits<Real>::quiet_nan(),
                        [&](std::size_t k, std::size_t i) { return P::rounding::apply(notionals[i] / leverages[k]); });
}

/// Batch max leverage: out[i] = max_leverage(table, notionals[i]) (NaN for a bad element). No allocation.
template <real_scalar Real, policy_bundle P>
void max_leverage(const tier_table<Real, P>& table, std::span<const Real> notionals,
                  std::span<Real> out) noexcept(P::error::is_noexcept) {
  const Real* leverages = table.max_leverages().data();
  detail::batch_by_tier(table, "max_leverage(batch)", notionals, out, scalar_traits<Real>::quiet_nan(),
                        [&](std::size_t k, std::size_t) { return leverages[k]; });
}

/// Batch effective rate: out[i] = effective_rate(table, notionals[i]) (NaN for a bad element).
template <real_scalar Real, policy_bundle P>
void effective_rate(const tier_table<Real, P>& table, std::span<const Real> notionals,
                    std::span<Real> out) noexcept(P::error::is_noexcept) {
  detail::batch_by_tier(table, "effective_rate(batch)", notionals, out, scalar_traits<Real>::quiet_nan(),
                        [&](std::size_t k, std::size_t i) {
                          const Real x = notionals[i];
                          return x == Real{} ? table.maint_rates()[0] : detail::maintenance_in_tier(table, k, x) / x;
                        });
}

/// Batch margin ratio: out[i] = margin_ratio(table, notionals[i], equities[i]); equities.size() must
/// equal notionals.size(). NaN for a bad element (a non-finite equity names `equities` and the element).
template <real_scalar Real, policy_bundle P>
void margin_ratio(const tier_table<Real, P>& table, std::span<const Real> notionals, std::span<const Real> equities,
                  std::span<Real> out) noexcept(P::error::is_noexcept) {
  using on_error = typename P::error;
  if (!detail::check<on_error>(equities.size() == notionals.size(),
                               {error_kind::invalid_argument, "margin_ratio(batch)", "equities.size()",
                                static_cast<double>(equities.size()), "must equal notionals.size()"}))
    return;
  detail::batch_by_tier(
      table, "margin_ratio(batch)", notionals, out, scalar_traits<Real>::quiet_nan(),
      [&](std::size_t k, std::size_t i) {
        return Real{} < equities[i] ? detail::maintenance_in_tier(table, k, notionals[i]) / equities[i]
                                    : scalar_traits<Real>::unbounded();
      },
      "equities", [&](std::size_t i) { return scalar_traits<Real>::isfinite(equities[i]); },
      [&](std::size_t i) { return to_double(equities[i]); });
}

TIERMARGIN_NAMESPACE_END
