// SPDX-License-Identifier: BSL-1.0
/// @file policies.hpp  The policy bundle: one struct naming the policy for every role.
///
/// Override one role by inheritance and keep the rest:
/// @code
///   struct my_policies : tiermargin::default_policies { using error = tiermargin::quiet_nan; };
///   tiermargin::tier_table<double, my_policies> table(...);
/// @endcode
/// Roles: `error` (error.hpp), `rounding` (rounding.hpp), `lookup` (lookup.hpp), `convention`
/// (cumulative or flat maintenance margin), `beyond_cap` (what a query above the last cap does),
/// `quantile` (Hyndman-Fan sample-quantile type used by the historical estimators).
#pragma once

#include "error.hpp"
#include "lookup.hpp"
#include "rounding.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Tax-bracket maintenance margin: MM(n) = n*mmr_k - cum_k, continuous and convex (Binance, Bybit,
/// Hyperliquid). The default.
struct cumulative_convention {
  static constexpr bool uses_deduction = true;  ///< subtract the cumulative deduction cum_k
};
/// Whole-position rate: MM(n) = n*mmr_k, jumps at tier edges (OKX isolated).
struct flat_convention {
  static constexpr bool uses_deduction = false;  ///< no deduction: the tier's rate applies to all of n
};
template <class P>
concept convention_policy = requires {
  { P::uses_deduction } -> std::convertible_to<bool>;
};

/// A query above the last tier's cap is an error (reported through the error policy). The default.
struct beyond_cap_error {
  static constexpr bool clamp = false;  ///< report instead of clamping
};
/// A query above the last tier's cap is priced with the last tier.
struct beyond_cap_clamp {
  static constexpr bool clamp = true;  ///< price with the last tier
};
template <class P>
concept beyond_cap_policy = requires {
  { P::clamp } -> std::convertible_to<bool>;
};

/// Hyndman-Fan sample-quantile definition, types 1..9 (type 1, the inverse empirical CDF, is the default
/// and the definition VaR uses).
template <int Type>
struct hyndman_fan {
  static_assert(Type >= 1 && Type <= 9, "HYNDMAN_FAN_TYPE_MUST_BE_1_TO_9");
  static constexpr int type = Type;  ///< the Hyndman-Fan type, 1..9
};
template <class P>
concept quantile_policy = requires {
  { P::type } -> std::convertible_to<int>;
};

/// The defaults: throw on bad input, no rounding, bucketed lookup (O(1) on double, branch-free binary
/// search otherwise), cumulative convention, error above the last cap, Hyndman-Fan type 1.
struct default_policies {
  using error = throw_errors;                ///< bad input throws (`error_policy`)
  using rounding = no_rounding;              ///< results as computed (`rounding_policy`)
  using lookup = bucketed_lookup;            ///< O(1) on double (`lookup_policy`)
  using convention = cumulative_convention;  ///< tax-bracket margin (`convention_policy`)
  using beyond_cap = beyond_cap_error;       ///< error above the last cap (`beyond_cap_policy`)
  using quantile = hyndman_fan<1>;           ///< inverse empirical CDF (`quantile_policy`)
};

/// A bundle names a valid policy for every role.
template <class B>
concept policy_bundle = error_policy<typename B::error> && rounding_policy<typename B::rounding> &&
                        lookup_policy<typename B::lookup> && convention_policy<typename B::convention> &&
                        beyond_cap_policy<typename B::beyond_cap> && quantile_policy<typename B::quantile>;

static_assert(policy_bundle<default_policies>);

/// `noexcept` of a public function under bundle `B`.
template <policy_bundle B>
inline constexpr bool is_noexcept_v = B::error::is_noexcept;

TIERMARGIN_NAMESPACE_END
