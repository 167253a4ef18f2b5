// SPDX-License-Identifier: BSL-1.0
/// @file lookup.hpp  Lookup policies: find the bracket that contains a value in sorted upper bounds.
///
/// Given caps c_0 < c_1 < ... < c_{K-1}, `find(caps, x)` returns the first k with x <= c_k, i.e. the number
/// of caps strictly below x (K when x is above every cap). A tier therefore contains its cap and not its
/// floor, except the first tier, which contains 0: a 50,000 USDT position is in Binance's 0-50,000 bracket.
/// All policies return the same index for every input within their preconditions (tested); they differ in
/// speed only. A policy may also offer an `index<Real>` that a tier table builds once from its caps and
/// queries instead (bucketed_lookup, the default, does).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <type_traits>
#include <vector>

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
  /// The first k with x <= caps[k] (caps.size() when x is above every cap). O(K).
  template <class Real>
  static constexpr std::size_t find(std::span<const Real> caps, Real x) noexcept {
    std::size_t k = 0;
    while (k < caps.size() && caps[k] < x) ++k;
    return k;
  }
};

/// Classic binary search (branches on data): O(log K).
struct binary_search_lookup {
  /// The first k with x <= caps[k] (caps.size() when x is above every cap). O(log K).
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
/// on the data. bucketed_lookup's fallback.
/// For double the comparisons are on the IEEE bit patterns as signed integers, which order every double
/// >= +0 (and +inf) as the values do and put -0.0 and negatives first; this shortens each step's
/// dependency chain. Precondition for double: caps >= +0, as tier caps are; x may be
/// anything but NaN (a negative x, like -0.0, lands in the first bracket, as with value comparison).
struct branchless_lookup {
  /// The first k with x <= caps[k] (caps.size() when x is above every cap). O(log K), no data-dependent
  /// branches.
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

/// O(1) lookup for double through an index a tier table builds once from its caps. The notional's IEEE
/// bit pattern, shifted, numbers a bucket of 1/32 of a binade (2.2% of the value or less); per bucket the
/// index stores how many caps lie below it and the cap inside it, if any (at most one), so a lookup is a
/// shift, two clamps, two independent loads and one comparison: no chain of dependent loads, whatever the
/// number of tiers. A real table (caps 50k to 1.8e9, adjacent caps 25% or more apart) takes ~480 buckets,
/// 9 bytes each. Tables with more than 255 tiers, finite caps spanning more than 64 binades, or two caps in
/// one bucket fall back to branchless_lookup, as do other scalar types and a bare span (static `find`).
/// Preconditions as branchless_lookup (caps >= +0, ascending; x not NaN). The default.
struct bucketed_lookup {
  /// Without an index: `branchless_lookup::find`, O(log K). Tier tables query their `index` instead.
  template <class Real>
  static constexpr std::size_t find(std::span<const Real> caps, Real x) noexcept {
    return branchless_lookup::find(caps, x);
  }

  /// The per-table index (O(buckets + K) to build; allocates).
  template <class Real>
  class index {
   public:
    index() = default;
    /// Builds the index of `caps` (ascending, >= +0). O(buckets + K); allocates.
    explicit index(std::span<const Real> caps) { build(caps); }

    /// The first k with x <= caps[k] (caps.size() when x is above every cap); `caps` must be the span the
    /// index was built from. O(1); O(log K) on the fallback.
    std::size_t find(std::span<const Real> caps, Real x) const noexcept {
      if constexpr (std::is_same_v<Real, double>) {
        if (indexed()) {
          std::int64_t b = (std::bit_cast<std::int64_t>(x) >> shift) - m_first_key;
          b = b < 0 ? 0 : b;
          b = b < m_buckets ? b : m_buckets - 1;
          const auto at = static_cast<std::size_t>(b);
          return m_below[at] + static_cast<std::size_t>(m_cap_inside[at] < x);
        }
      }
      return branchless_lookup::find(caps, x);
    }

    /// True when lookups use the buckets (false: the branchless fallback).
    bool indexed() const noexcept { return m_buckets != 0; }

   private:
    static constexpr int shift = 52 - 5;               // 2^5 buckets per binade; a constant shift is one instruction
    static constexpr std::int64_t max_buckets = 2048;  // finite caps spanning up to 64 binades
    std::vector<std::uint8_t> m_below;   // per bucket: the number of caps in earlier buckets
    std::vector<double> m_cap_inside;    // per bucket: its cap, or +inf
    std::int64_t m_first_key = 0, m_buckets = 0;  // m_buckets == 0: no index (fallback)

    void build(std::span<const Real> caps) {
      if constexpr (std::is_same_v<Real, double>) {
        std::size_t finite = caps.size();
        while (finite > 0 && !(caps[finite - 1] < std::numeric_limits<double>::infinity())) --finite;
        if (finite == 0 || caps.size() > 255 || !(caps[0] > 0.0)) return;
        const auto key = [](double v) { return std::bit_cast<std::int64_t>(v) >> shift; };
        for (std::size_t k = 1; k < finite; ++k)
          if (key(caps[k]) == key(caps[k - 1])) return;  // two caps in one bucket
        const std::int64_t first = key(caps[0]), count = key(caps[finite - 1]) - first + 1;
        if (count > max_buckets) return;
        m_below.assign(static_cast<std::size_t>(count), 0);
        m_cap_inside.assign(static_cast<std::size_t>(count), std::numeric_limits<double>::infinity());
        std::size_t k = 0;  // the first cap not in an earlier bucket
        for (std::int64_t b = 0; b < count; ++b) {
          m_below[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(k);
          if (k < finite && key(caps[k]) - first == b) m_cap_inside[static_cast<std::size_t>(b)] = caps[k++];
        }
        m_first_key = first;
        m_buckets = count;
      } else {
        (void)caps;
      }
    }
  };
};

namespace detail {
/// A lookup policy's per-table index: its own `index<Real>` when it has one, else a stateless wrapper.
template <class Lookup, class Real>
struct lookup_index {
  struct type {
    type() = default;
    explicit type(std::span<const Real>) {}
    std::size_t find(std::span<const Real> caps, Real x) const noexcept { return Lookup::find(caps, x); }
  };
};
template <class Lookup, class Real>
  requires requires { typename Lookup::template index<Real>; }
struct lookup_index<Lookup, Real> {
  using type = typename Lookup::template index<Real>;
};
}  // namespace detail

/// The index a table with lookup policy `Lookup` keeps (an empty wrapper for the stateless policies).
template <class Lookup, class Real>
using lookup_index_t = typename detail::lookup_index<Lookup, Real>::type;

static_assert(lookup_policy<linear_scan_lookup> && lookup_policy<binary_search_lookup> &&
              lookup_policy<branchless_lookup> && lookup_policy<bucketed_lookup>);

TIERMARGIN_NAMESPACE_END
