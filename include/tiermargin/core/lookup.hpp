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
#include <cstdint>
#include <span>
#include <type_traits>

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
/// to the end of the array, then log2 halvings, unrolled through a fall-through switch. Each step adds
/// `step * (cap < x)` to the index, arithmetic rather than a conditional (compilers turn `c ? a + s : a`
/// back into a branch, which mispredicts half the time on random notionals), so the time does not depend
/// on the data. The default.
/// For double the comparisons are on the IEEE bit patterns as signed integers, which order every double
/// >= +0 (and +inf) as the values do and put -0.0 and negatives first; this shortens each step's
/// dependency chain (about 1.5x faster). Precondition for double: caps >= +0, as tier caps are; x may be
/// anything but NaN (a negative x, like -0.0, lands in the first bracket, as with value comparison).
struct branchless_lookup {
  template <class Real>
  static constexpr std::size_t find(std::span<const Real> caps, Real x) noexcept {
    if constexpr (std::is_same_v<Real, double>) {
      if (!std::is_constant_evaluated())
        return search(caps.data(), caps.size(), std::bit_cast<std::int64_t>(x),
                      [](const double& cap) noexcept { return std::bit_cast<std::int64_t>(cap); });
    }
    return search(caps.data(), caps.size(), x, [](const Real& cap) noexcept -> const Real& { return cap; });
  }

 private:
  /// The search on keys: key(c[k]) < kx.
  template <class Real, class Key, class KeyOf>
  static constexpr std::size_t search(const Real* c, std::size_t n, Key kx, KeyOf key) noexcept {
    if (n == 0) return 0;
    const auto below = [&](std::size_t k) noexcept { return static_cast<std::size_t>(key(c[k]) < kx); };
    const std::size_t step = std::bit_floor(n);
    // Window [i, i + step): either the first `step` caps or the last `step` ones.
    std::size_t i = step != n ? below(n - step - 1) * (n - step) : 0;
    // Invariant: the answer lies in [i, i + step].
    switch (std::bit_width(step) - 1) {
      default:
        for (std::size_t s = step / 2; s > 64; s /= 2) i += below(i + s - 1) * s;
        [[fallthrough]];
      case 7: i += below(i + 63) * 64; [[fallthrough]];
      case 6: i += below(i + 31) * 32; [[fallthrough]];
      case 5: i += below(i + 15) * 16; [[fallthrough]];
      case 4: i += below(i + 7) * 8; [[fallthrough]];
      case 3: i += below(i + 3) * 4; [[fallthrough]];
      case 2: i += below(i + 1) * 2; [[fallthrough]];
      case 1: i += below(i); [[fallthrough]];
      case 0: break;
    }
    return i + below(i);
  }
};

static_assert(lookup_policy<linear_scan_lookup> && lookup_policy<binary_search_lookup> &&
              lookup_policy<branchless_lookup>);

TIERMARGIN_NAMESPACE_END
