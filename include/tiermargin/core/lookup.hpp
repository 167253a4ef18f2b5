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

/// Branch-free binary search: a fixed ceil(log2(K+1)) steps of conditional moves, so the time does not
/// depend on the data and mispredictions cannot happen. The default.
struct branchless_lookup {
  template <class Real>
  static constexpr std::size_t find(std::span<const Real> caps, Real x) noexcept {
    std::size_t n = caps.size();
    if (n == 0) return 0;
    const Real* base = caps.data();
    while (n > 1) {
      const std::size_t half = n / 2;
      base = (base[half] < x) ? base + half : base;  // compiles to cmov
      n -= half;
    }
    return static_cast<std::size_t>(base - caps.data()) + static_cast<std::size_t>(*base < x);
  }
};

static_assert(lookup_policy<linear_scan_lookup> && lookup_policy<binary_search_lookup> &&
              lookup_policy<branchless_lookup>);

TIERMARGIN_NAMESPACE_END
