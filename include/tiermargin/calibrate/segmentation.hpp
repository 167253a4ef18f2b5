// SPDX-License-Identifier: BSL-1.0
/// @file segmentation.hpp  Optimal k-segmentation of a line under a Monge segment cost: the DP behind the
/// step and tax-bracket table optimizers, as an O(K n^2) reference and an exact O(K n log n)
/// divide-and-conquer variant.
///
/// Problem: candidate ends 1..n (0 is the origin); a segmentation into k segments is 0 = a_0 < a_1 < ... <
/// a_k = n with cost sum_j C(a_{j-1}, a_j). Minimise over k <= K:
///   D_1(b) = C(0, b),  D_k(b) = min_{k-1 <= a < b} D_{k-1}(a) + C(a, b),  answer min_{k <= K} D_k(n).
///
/// Divide and conquer (the "D&C optimisation" of the 1-D k-means / optimal-histogram literature,
/// docs/calibration.md §4.4): if C satisfies the quadrangle (Monge) inequality
///   C(a, b) + C(a', b') <= C(a, b') + C(a', b)   for all a < a' < b < b',
/// then so does F(a, b) = D_{k-1}(a) + C(a, b) (the added term depends on a only), and the leftmost minimiser
/// opt(b) of F(., b) is non-decreasing in b. Proof: let b < b' and suppose a'' = opt(b') < a = opt(b). The
/// quadrangle inequality gives F(a'', b) + F(a, b') <= F(a'', b') + F(a, b); a is the leftmost minimiser at b, so
/// F(a'', b) > F(a, b), hence F(a, b') < F(a'', b'), contradicting the minimality of a'' at b'. So each layer is
/// solved by evaluating the middle column over its admissible range and recursing on both halves with the
/// range split at the minimiser: O(n log n) evaluations per layer.
///
/// Exactness in floating point: both variants evaluate the same expressions D_{k-1}(a) + C(a, b) and keep the
/// leftmost strict minimum, so they return bit-identical results whenever the computed matrix is Monge (e.g.
/// when the arithmetic is exact, as on integer-scaled data). Ties between k prefer the smaller k.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "../config.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Which DP evaluates the segmentation.
enum class segmentation_algorithm {
  quadratic,           ///< O(K n^2) reference: every split point of every end
  divide_and_conquer,  ///< O(K n log n), exact for Monge costs (the default)
};

namespace detail {

struct segmentation_solution {
  double cost = std::numeric_limits<double>::infinity();
  std::vector<std::size_t> ends;  ///< a_1 < ... < a_k = n
};

template <class Cost>
struct segmentation_layer {
  const Cost& cost;
  const std::vector<double>& previous;
  std::vector<double>& current;
  std::uint32_t* argmin;
  std::size_t first_split;  ///< k - 1

  void quadratic(std::size_t first_end, std::size_t n) const {
    for (std::size_t b = first_end; b <= n; ++b) scan(b, first_split, b - 1);
  }

  /// Leftmost minimiser of previous[a] + C(a, b) over a in [lo, hi].
  std::size_t scan(std::size_t b, std::size_t lo, std::size_t hi) const {
    double best = std::numeric_limits<double>::infinity();
    std::size_t best_a = lo;
    for (std::size_t a = lo; a <= hi; ++a) {
      const double value = previous[a] + cost(a, b);
      if (value < best) {
        best = value;
        best_a = a;
      }
    }
    current[b] = best;
    argmin[b] = static_cast<std::uint32_t>(best_a);
    return best_a;
  }

  void divide(std::size_t lo, std::size_t hi, std::size_t opt_lo, std::size_t opt_hi) const {
    while (lo <= hi) {
      const std::size_t mid = lo + (hi - lo) / 2;
      const std::size_t top = opt_hi < mid - 1 ? opt_hi : mid - 1;
      const std::size_t best = scan(mid, opt_lo, top);
      // recurse on the smaller side, loop on the other (bounded stack depth)
      if (mid - lo < hi - mid) {
        if (mid > lo) divide(lo, mid - 1, opt_lo, best);
        lo = mid + 1;
        opt_lo = best;
      } else {
        if (mid < hi) divide(mid + 1, hi, best, opt_hi);
        if (mid == lo) return;
        hi = mid - 1;
        opt_hi = best;
      }
    }
  }
};

/// Solves the segmentation DP above. `cost(a, b)` for 0 <= a < b <= n must be finite. Allocates
/// O(K n); time O(K n^2) (quadratic) or O(K n log n) (divide and conquer, exact for Monge costs).
template <class Cost>
segmentation_solution segment(std::size_t n, std::size_t max_segments, const Cost& cost,
                              segmentation_algorithm algorithm) {
  segmentation_solution out;
  if (n == 0 || max_segments == 0) return out;
  const std::size_t layers = max_segments < n ? max_segments : n;
  std::vector<double> previous(n + 1, std::numeric_limits<double>::infinity());
  std::vector<double> current(n + 1, std::numeric_limits<double>::infinity());
  std::vector<std::uint32_t> argmin((layers + 1) * (n + 1), 0);
  for (std::size_t b = 1; b <= n; ++b) current[b] = cost(0, b);
  std::size_t best_k = 1;
  out.cost = current[n];
  for (std::size_t k = 2; k <= layers; ++k) {
    previous.swap(current);
    for (std::size_t b = 0; b < k; ++b) current[b] = std::numeric_limits<double>::infinity();
    const segmentation_layer<Cost> layer{cost, previous, current, argmin.data() + k * (n + 1), k - 1};
    if (algorithm == segmentation_algorithm::quadratic)
      layer.quadratic(k, n);
    else
      layer.divide(k, n, k - 1, n - 1);
    if (current[n] < out.cost) {
      out.cost = current[n];
      best_k = k;
    }
  }
  out.ends.assign(best_k, 0);
  std::size_t b = n;
  for (std::size_t k = best_k; k >= 1; --k) {
    out.ends[k - 1] = b;
    b = k == 1 ? 0 : argmin[k * (n + 1) + b];
  }
  return out;
}
}  // namespace detail

TIERMARGIN_NAMESPACE_END
