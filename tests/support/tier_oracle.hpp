// SPDX-License-Identifier: BSL-1.0
// An independent model of a cumulative tier table for checking the margin queries: built from the brackets
// alone (never from a tier_table's derived arrays), tier by linear search over the caps, deductions by the
// recursion and margins in long double. Also: random valid bracket tables, and output buffers pre-filled
// with a sentinel and fenced by guard slots, to catch outputs that are not stored or stored out of bounds.
#pragma once

#include <tiermargin/tiers/tier.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <random>
#include <span>
#include <vector>

namespace test_support {

/// A random valid bracket table: 1-12 tiers, increasing floors, non-decreasing rates, non-increasing leverage.
inline std::vector<tiermargin::bracket<double>> random_brackets(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const std::size_t k = 1 + rng() % 12;
  std::vector<tiermargin::bracket<double>> out;
  double floor = 0.0, rate = 0.001 + 0.01 * u(rng), leverage = std::floor(1.0 / (2.0 * rate));
  for (std::size_t i = 0; i < k; ++i) {
    out.push_back({floor, rate, leverage});
    floor += 1'000.0 + std::floor(1e6 * u(rng));
    rate = std::min(0.5, rate * (1.0 + 2.0 * u(rng)));
    leverage = std::max(1.0, std::min(leverage, std::floor(1.0 / (2.0 * rate))));
  }
  return out;
}

/// The tier table of README §2 computed directly from its definition. A tier contains its cap; the first
/// contains 0; cum_0 = 0, cum_k = cum_{k-1} + floor_k (mmr_k - mmr_{k-1}); MM(n) = n mmr_k - cum_k.
struct tier_oracle {
  std::vector<double> floors, caps, rates, leverages;
  std::vector<long double> cums;

  tier_oracle(std::span<const tiermargin::bracket<double>> brackets, double last_cap) {
    for (std::size_t k = 0; k < brackets.size(); ++k) {
      floors.push_back(brackets[k].floor);
      caps.push_back(k + 1 < brackets.size() ? brackets[k + 1].floor : last_cap);
      rates.push_back(brackets[k].maint_rate);
      leverages.push_back(brackets[k].max_leverage);
      cums.push_back(k == 0 ? 0.0L : cums.back() + wide(floors[k]) * (wide(rates[k]) - wide(rates[k - 1])));
    }
  }
  static long double wide(double v) { return static_cast<long double>(v); }
  std::size_t size() const { return floors.size(); }
  /// Finite, >= 0 and within the last cap.
  bool valid(double n) const { return std::isfinite(n) && n >= 0.0 && n <= caps.back(); }
  /// The first tier whose cap is >= n, by linear search. Precondition: valid(n).
  std::size_t tier(double n) const {
    std::size_t k = 0;
    while (caps[k] < n) ++k;
    return k;
  }
  /// MM(n) = n mmr_k - cum_k in long double (64-bit significand: within 2^-63 relative of the exact value,
  /// negligible beside the double evaluation's error bound below).
  long double maintenance(double n) const {
    const std::size_t k = tier(n);
    return wide(n) * wide(rates[k]) - cums[k];
  }
  /// A bound on |double evaluation of MM(n) - MM(n)| for the library's forms (own piece, or max over pieces).
  /// With u = eps/2: the library's deduction a_j (the same recursion in double, j steps of a subtraction,
  /// a product and a sum of non-negative terms) is within 3 j u cum_j of cum_j; fl(n r_j) within u n r_j;
  /// the final subtraction adds u (n r_j + a_j). So every computed piece is within (3K + 2) u M of its exact
  /// value, M = n r_{K-1} + cum_{K-1} the largest product and deduction (rates and cums are non-decreasing),
  /// and the max over computed pieces is within the same bound of the exact max, which is MM(n) by
  /// convexity. Twice that bound is returned: (3K + 2) eps M, plus the smallest positive double (M is 0 for
  /// n = 0 in a one-tier table, where MM must be exactly +-0).
  long double maintenance_tolerance(double n) const {
    const long double eps = wide(std::numeric_limits<double>::epsilon());
    const long double magnitude = wide(n) * wide(rates.back()) + cums.back();
    return (3.0L * static_cast<long double>(size()) + 2.0L) * eps * magnitude +
           wide(std::numeric_limits<double>::denorm_min());
  }
};

/// Output slots [offset, offset + n) pre-filled with `fill` (a value the query never returns for a valid
/// input, e.g. NaN), fenced on both sides by `guard` slots that the query must leave untouched: `offset`
/// slots before (so the span starts `offset` elements past the allocation, unaligned for offset 1) and
/// `guard_slots` after.
template <class T>
class guarded_output {
 public:
  static constexpr std::size_t guard_slots = 8;  // one AVX-512 vector of doubles
  guarded_output(std::size_t n, std::size_t offset, T fill, T guard)
      : m_storage(offset + n + guard_slots, guard), m_offset(offset), m_n(n), m_guard(guard) {
    for (std::size_t i = 0; i < n; ++i) m_storage[offset + i] = fill;
  }
  std::span<T> span() noexcept { return std::span<T>(m_storage.data() + m_offset, m_n); }
  T* data() noexcept { return m_storage.data() + m_offset; }
  const T& operator[](std::size_t i) const noexcept { return m_storage[m_offset + i]; }
  /// Every guard slot still holds the guard, bit for bit.
  bool guards_intact() const noexcept {
    for (std::size_t i = 0; i < m_storage.size(); ++i) {
      if (i >= m_offset && i < m_offset + m_n) continue;
      if (std::memcmp(&m_storage[i], &m_guard, sizeof(T)) != 0) return false;
    }
    return true;
  }

 private:
  std::vector<T> m_storage;
  std::size_t m_offset, m_n;
  T m_guard;
};

}  // namespace test_support
