// SPDX-License-Identifier: BSL-1.0
/// @file lookup.hpp  Lookup policies: find the bracket that contains a value in sorted upper bounds.
///
/// Given caps c_0 < c_1 < ... < c_{K-1}, `find(caps, x)` returns the first k with x <= c_k, i.e. the number
/// of caps strictly below x (K when x is above every cap). A tier therefore contains its cap and not its
/// floor, except the first tier, which contains 0: a 50,000 USDT position is in Binance's 0-50,000 bracket.
/// All three policies return the same index for every input (tested); they differ in speed only.
#pragma once

#include <bit>
#include <cstddef>
#include <span>

#include "../config.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Role concept of a lookup policy.
template <class P>
concept lookup_policy = requires(std::span<const double> caps, double x) {
  { P::find(caps, x) } -> std::same_as<std::size_t>;
};

/// Scan from the first tier; fastest for 1-4 tiers and for notionals that are mostly in tier 0.
/// O(K) comparisons with an early exit.
struct linear_scan_lookup {
  template <class Real>
  static constexpr std::size_t find(std::span<const Real> caps, Real x) noexcept {
    std::size_t k = 0;
    while (k < caps.size() && caps[k] < x) ++k;
    return k;
  }
};

/// Classic binary search (branches on data): O(log K).
struct binary_search_lookup {
  template <class Real>
  static constexpr std::size_t find(std::span<const Real> caps, Real x) noexcept {
    std::size_t lo = 0, hi = caps.size();
    while (lo < hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (caps[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
    return lo;
  }
};

/// Branch-free binary search with power-of-two steps (Shar's method): one step that aligns the window
/// to the end of the array, then log2 halvings, unrolled through a fall-through switch so that every step
/// is a load, a compare and a conditional move. The time does not depend on the data. The default.
struct branchless_lookup {
  template <class Real>
  static constexpr std::size_t find(std::span<const Real> caps, Real x) noexcept {
    const std::size_t n = caps.size();
    if (n == 0) return 0;
    const Real* base = caps.data();
    std::size_t step = std::bit_floor(n);
    // Window [base, base + step): either the first `step` caps or the last `step` ones.
    if (step != n) base = (caps[n - step - 1] < x) ? base + (n - step) : base;
    // Invariant: the answer lies in [base - caps, base - caps + step].
    switch (std::bit_width(step) - 1) {
      default:
        for (std::size_t s = step / 2; s > 64; s /= 2) base = (base[s - 1] < x) ? base + s : base;
        [[fallthrough]];
      case 7: base = (base[63] < x) ? base + 64 : base; [[fallthrough]];
      case 6: base = (base[31] < x) ? base + 32 : base; [[fallthrough]];
      case 5: base = (base[15] < x) ? base + 16 : base; [[fallthrough]];
      case 4: base = (base[7] < x) ? base + 8 : base; [[fallthrough]];
      case 3: base = (base[3] < x) ? base + 4 : base; [[fallthrough]];
      case 2: base = (base[1] < x) ? base + 2 : base; [[fallthrough]];
      case 1: base = (base[0] < x) ? base + 1 : base; [[fallthrough]];
      case 0: break;
    }
    return static_cast<std::size_t>(base - caps.data()) + static_cast<std::size_t>(*base < x);
  }
};

static_assert(lookup_policy<linear_scan_lookup> && lookup_policy<binary_search_lookup> &&
              lookup_policy<branchless_lookup>);

TIERMARGIN_NAMESPACE_END
