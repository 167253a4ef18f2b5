// SPDX-License-Identifier: BSL-1.0
/// @file tier_rules.hpp  The invariants of a tier table, checked in one place for `tier_table` and for every
/// loader (io/symbol_tiers.hpp), and the deduction recursion both use. Each caller only names the function,
/// the tier (0-based for the table API, 1-based for files) and the field as its source spells it. Not
/// public API. Std only, allocation-free.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <span>

#include "../../core/scalar.hpp"
#include "../tier.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace detail {

/// Which part of a table a violation is about.
enum class tier_field { rows, floor, cap, maint_rate, max_leverage, maint_amount };

/// The first invariant a table breaks: `tier` is the 0-based row (0 for `tier_field::rows`), `value` the
/// offending value (the row count for `tier_field::rows`), `requirement` the rule, as the message states it.
struct tier_violation {
  std::size_t tier = 0;
  tier_field field = tier_field::rows;
  double value = 0.0;
  const char* requirement = nullptr;
};

/// One step of the deduction recursion cum_k = cum_{k-1} + floor_k (mmr_k - mmr_{k-1}) (docs/conventions.md):
/// the single statement of it, behind `tier_table`, the loaders, `binance::next_cum` and `bybit::mm_deduction`.
/// O(1), exact for decimal scalars.
template <real_scalar Real>
constexpr Real deduction_step(Real previous_amount, Real floor, Real maint_rate, Real previous_maint_rate) noexcept {
  return previous_amount + floor * (maint_rate - previous_maint_rate);
}

/// The deduction of `row` after `previous` (whose deduction is `previous_amount`) under the table's
/// convention: `deduction_step` when `cumulative`, 0 under the flat convention. O(1).
template <real_scalar Real>
Real next_deduction(Real previous_amount, const tier<Real>& previous, const tier<Real>& row, bool cumulative) noexcept {
  if (!cumulative) return Real{};
  return deduction_step(previous_amount, row.floor, row.maint_rate, previous.maint_rate);
}

/// A published deduction agrees with the recursion: exactly for exact scalars, to a relative 1e-9 (of
/// max(1, |expected|)) for floating point, which absorbs the venues' decimal rounding of `cum`.
template <real_scalar Real>
bool deduction_agrees(Real given, Real expected) noexcept {
  if constexpr (scalar_traits<Real>::is_exact) {
    return given == expected;
  } else {
    const double g = to_double(given), e = to_double(expected);
    return std::fabs(g - e) <= 1e-9 * std::max(1.0, std::fabs(e));
  }
}

/// Check every tier-table invariant on `rows` (floors from 0, strictly increasing; each cap the next floor,
/// only the last open; rates in (0, 1], non-decreasing; max leverage finite, >= 1, non-increasing;
/// 1/max_leverage >= rate; deductions, when `amounts_given`, equal to the recursion of the convention
/// (`cumulative`) and otherwise derivable without overflow). Returns true, or false with the first
/// violation in `out`. O(K), no allocation.
template <real_scalar Real>
bool find_tier_violation(std::span<const tier<Real>> rows, bool amounts_given, bool cumulative,
                         tier_violation& out) noexcept {
  const Real zero{};
  const Real one = from_double<Real>(1.0);
  const auto fail = [&out](std::size_t k, tier_field field, Real value, const char* requirement) {
    out = {k, field, to_double(value), requirement};
    return false;
  };
  if (rows.empty()) return fail(0, tier_field::rows, zero, "a table needs at least one tier");
  for (std::size_t k = 1; k < rows.size(); ++k)  // first, so that unsorted input is named as such
    if (!(rows[k - 1].floor < rows[k].floor))
      return fail(k, tier_field::floor, rows[k].floor, "floors must strictly increase (tiers unsorted or duplicated)");
  const auto finite = [](Real v) { return scalar_traits<Real>::isfinite(v); };
  Real amount = zero;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const tier<Real>& row = rows[k];
    if (!finite(row.floor) || row.floor < zero) return fail(k, tier_field::floor, row.floor, "must be finite and >= 0");
    if (k == 0 && !(row.floor == zero)) return fail(k, tier_field::floor, row.floor, "the first tier must start at 0");
    if (scalar_traits<Real>::isnan(row.cap) || !(row.floor < row.cap))
      return fail(k, tier_field::cap, row.cap, "must be greater than the tier's floor");
    if (k + 1 < rows.size() && !finite(row.cap))
      return fail(k, tier_field::cap, row.cap, "only the last tier may be open-ended");
    if (!finite(row.maint_rate) || !(zero < row.maint_rate) || one < row.maint_rate)
      return fail(k, tier_field::maint_rate, row.maint_rate, "must be in (0, 1] (a fraction, 0.004 = 0.4%)");
    if (!finite(row.max_leverage) || row.max_leverage < one)
      return fail(k, tier_field::max_leverage, row.max_leverage, "must be finite and >= 1");
    if (one < row.max_leverage * row.maint_rate)
      return fail(k, tier_field::max_leverage, row.max_leverage,
                  "initial rate 1/max_leverage must be >= the maintenance rate (IMR >= MMR)");
    if (k > 0) {
      const tier<Real>& previous = rows[k - 1];
      if (previous.cap < row.floor)
        return fail(k, tier_field::floor, row.floor, "gap: must equal the previous tier's cap");
      if (row.floor < previous.cap)
        return fail(k, tier_field::floor, row.floor, "overlap: must equal the previous tier's cap");
      if (row.maint_rate < previous.maint_rate)
        return fail(k, tier_field::maint_rate, row.maint_rate, "must not decrease from the previous tier");
      if (previous.max_leverage < row.max_leverage)
        return fail(k, tier_field::max_leverage, row.max_leverage, "must not increase from the previous tier");
      amount = next_deduction(amount, previous, row, cumulative);
    }
    if (amounts_given) {
      if (!finite(row.maint_amount) || !deduction_agrees(row.maint_amount, amount))
        return fail(k, tier_field::maint_amount, row.maint_amount,
                    cumulative ? "inconsistent: must equal cum_{k-1} + floor_k * (mmr_k - mmr_{k-1}) "
                                 "(deduction recursion)"
                               : "must be 0 under the flat convention");
    } else if (!finite(amount)) {
      return fail(k, tier_field::maint_amount, amount, "the derived deduction overflows the scalar type");
    }
  }
  return true;
}

}  // namespace detail

TIERMARGIN_NAMESPACE_END
