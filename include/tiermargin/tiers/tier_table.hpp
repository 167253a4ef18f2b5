// SPDX-License-Identifier: BSL-1.0
/// @file tier_table.hpp  `tier_table<Real, Policies>`: a validated, immutable notional-bracket table.
///
/// Construction validates every invariant once (docs/conventions.md "Tier tables are validated once"):
///  floors start at 0 and strictly increase; caps equal the next floor (no gap, no overlap); every value
///  is finite and non-negative; maintenance rates are in (0, 1] and non-decreasing; max leverage is >= 1
///  and non-increasing; 1/max_leverage >= maint_rate (IMR >= MMR); deductions, when given, equal the
///  recursion cum_1 = 0, cum_k = cum_{k-1} + floor_k (mmr_k - mmr_{k-1}) (cumulative convention) or are 0
///  (flat convention). A violation is reported through `Policies::error` as `invalid_table`, naming the
///  tier, the field and the value. Under a non-throwing policy the table is left empty (`valid()` false)
///  and every query on it reports an error.
///
/// After construction the table is immutable, so a const table is safe to share across threads; queries
/// (see margin.hpp) allocate nothing and are `noexcept` whenever the error policy is.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <span>
#include <vector>

#include "../core/check.hpp"
#include "../core/policies.hpp"
#include "detail/tier_rules.hpp"
#include "tier.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// A validated, immutable tier table over the scalar `Real` (double, float or `decimal`), queried through
/// the functions of margin.hpp. Stores the columns as separate arrays plus the lookup policy's index.
/// Copyable and movable; a const table is safe to share across threads.
template <real_scalar Real = double, policy_bundle Policies = default_policies>
class tier_table {
 public:
  using value_type = Real;                             ///< the scalar type of notionals, rates and margins
  using policies = Policies;                           ///< the policy bundle (see policies.hpp)
  using error_policy = typename Policies::error;       ///< how bad input is reported
  using convention = typename Policies::convention;    ///< cumulative (deductions) or flat
  static constexpr bool is_noexcept = error_policy::is_noexcept;  ///< true when no query can throw

  /// An empty, invalid table (every query reports an error).
  tier_table() = default;

  /// From brackets (floor, maint_rate, max_leverage); deductions follow from the recursion.
  /// @param brackets the tiers in order, the first floor 0; each cap is the next floor.
  /// @param last_cap upper bound of the last bracket (default: unbounded).
  /// Complexity O(K). Errors: `invalid_table` through the policy.
  explicit tier_table(std::span<const bracket<Real>> brackets,
                      Real last_cap = scalar_traits<Real>::unbounded()) noexcept(is_noexcept) {
    std::vector<tier<Real>> rows(brackets.size());
    for (std::size_t k = 0; k < brackets.size(); ++k) {
      rows[k].floor = brackets[k].floor;
      rows[k].cap = k + 1 < brackets.size() ? brackets[k + 1].floor : last_cap;
      rows[k].maint_rate = brackets[k].maint_rate;
      rows[k].max_leverage = brackets[k].max_leverage;
    }
    build(rows, false);
  }
  /// From a braced list of brackets, as the span overload: `tier_table<>({{0, 0.004, 125}, {50'000, 0.005, 100}})`.
  tier_table(std::initializer_list<bracket<Real>> brackets,
             Real last_cap = scalar_traits<Real>::unbounded()) noexcept(is_noexcept)
      : tier_table(std::span<const bracket<Real>>(brackets.begin(), brackets.size()), last_cap) {}

  /// From full rows; the given caps and deductions are checked against the floors and the recursion
  /// (exactly for exact scalars, to a relative 1e-9 for floating point).
  /// Pass a `std::vector<tier<Real>>` or an array; braced lists construct from brackets.
  explicit tier_table(std::span<const tier<Real>> rows) noexcept(is_noexcept) { build(rows, true); }

  /// False for a default-constructed table or one rejected under a non-throwing error policy.
  bool valid() const noexcept { return !m_floors.empty(); }
  /// Number of tiers K (0 when invalid).
  std::size_t size() const noexcept { return m_floors.size(); }
  /// Row k (0-based), by value. Precondition: k < size().
  tier<Real> operator[](std::size_t k) const noexcept {
    return {m_floors[k], m_caps[k], m_rates[k], m_leverages[k], m_amounts[k]};
  }
  /// Every row, as `tier` values (deductions included). O(K); allocates.
  std::vector<tier<Real>> rows() const {
    std::vector<tier<Real>> out;
    out.reserve(size());
    for (std::size_t k = 0; k < size(); ++k) out.push_back((*this)[k]);
    return out;
  }

  /// Lower bounds, one per tier (floors[0] = 0).
  std::span<const Real> floors() const noexcept { return m_floors; }
  /// Upper bounds, one per tier (caps[k] = floors[k+1]; the last may be unbounded).
  std::span<const Real> caps() const noexcept { return m_caps; }
  /// Maintenance-margin rates, one per tier, non-decreasing.
  std::span<const Real> maint_rates() const noexcept { return m_rates; }
  /// Maximum leverages, one per tier, non-increasing.
  std::span<const Real> max_leverages() const noexcept { return m_leverages; }
  /// Deductions (all zero under the flat convention).
  std::span<const Real> maint_amounts() const noexcept { return m_amounts; }
  /// Cap of the last tier (unbounded when open); 0 for an invalid table.
  Real last_cap() const noexcept { return m_caps.empty() ? Real{} : m_caps.back(); }

  /// Index of the tier containing `notional` with the `Policies::lookup` algorithm: the first k with
  /// notional <= cap_k. Precondition: notional is finite, >= 0 and <= last_cap() (use `locate` for the
  /// checked version). O(1) with the default lookup on double, O(log K) otherwise.
  std::size_t tier_index_unchecked(Real notional) const noexcept {
    const std::size_t k = m_index.find(std::span<const Real>(m_caps), notional);
    return k < m_caps.size() ? k : m_caps.size() - 1;
  }

  /// Checked lookup used by every query: validates `notional` (finite, >= 0) and applies the beyond-cap
  /// policy. Returns size() after reporting an error under a non-throwing policy.
  std::size_t locate(const char* function, Real notional) const noexcept(is_noexcept) {
    return locate(function, "notional", notional);
  }

  /// `locate` for a caller whose argument has another name (e.g. "contracts" for a table in contracts):
  /// errors name `argument`.
  std::size_t locate(const char* function, const char* argument, Real notional) const noexcept(is_noexcept) {
    if (!detail::check<error_policy>(valid(), {error_kind::invalid_table, function, "table",
                                               std::numeric_limits<double>::quiet_NaN(),
                                               "is empty or was rejected at construction"}))
      return size();
    if (!detail::check_finite_nonnegative<error_policy>(function, argument, notional)) return size();
    if constexpr (!Policies::beyond_cap::clamp) {
      if (!detail::check<error_policy>(!(m_caps.back() < notional),
                                       {error_kind::invalid_argument, function, argument, to_double(notional),
                                        "must not exceed the last tier's cap (policy beyond_cap_error)"}))
        return size();
    }
    return tier_index_unchecked(notional);
  }

 private:
  std::vector<Real> m_floors, m_caps, m_rates, m_leverages, m_amounts;
  lookup_index_t<typename Policies::lookup, Real> m_index;  // built from m_caps once they are valid

  static const char* field_name(detail::tier_field field) noexcept {
    switch (field) {
      case detail::tier_field::rows: return "rows";
      case detail::tier_field::floor: return "floor";
      case detail::tier_field::cap: return "cap";
      case detail::tier_field::maint_rate: return "maint_rate";
      case detail::tier_field::max_leverage: return "max_leverage";
      case detail::tier_field::maint_amount: break;
    }
    return "maint_amount";
  }

  /// Validates (tiers/detail/tier_rules.hpp) and stores. Returns with an empty table after reporting
  /// under a non-throwing policy; the tier in the message is 0-based, as `operator[]` counts.
  void build(std::span<const tier<Real>> rows, bool amounts_given) noexcept(is_noexcept) {
    detail::tier_violation violation;
    if (!detail::find_tier_violation(rows, amounts_given, convention::uses_deduction, violation)) {
      error_policy::template raise<double>({error_kind::invalid_table, "tier_table::tier_table",
                                            field_name(violation.field), violation.value, violation.requirement,
                                            violation.field == detail::tier_field::rows
                                                ? -1L
                                                : static_cast<long>(violation.tier)});
      return;
    }
    m_floors.reserve(rows.size());
    m_caps.reserve(rows.size());
    m_rates.reserve(rows.size());
    m_leverages.reserve(rows.size());
    m_amounts.reserve(rows.size());
    Real amount{};
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const tier<Real>& row = rows[k];
      if (k > 0) amount = detail::next_deduction(amount, rows[k - 1], row, convention::uses_deduction);
      m_floors.push_back(row.floor);
      m_caps.push_back(row.cap);
      m_rates.push_back(row.maint_rate);
      m_leverages.push_back(row.max_leverage);
      m_amounts.push_back(amounts_given ? row.maint_amount : amount);
    }
    m_index = lookup_index_t<typename Policies::lookup, Real>(std::span<const Real>(m_caps));
  }
};

TIERMARGIN_NAMESPACE_END
