// SPDX-License-Identifier: BSL-1.0
/// @file max_affine.hpp  Kernels of the batch maintenance margin (tiers/margin.hpp) for floating point under
/// the cumulative convention, where MM(x) = max_k (x r_k - a_k) (the table is convex). Not public API.
///
/// The input is taken in chunks of 64 positions. One pass over a chunk finds its smallest and largest
/// notional and a NaN probe (their sum); only the pieces of the tiers between those of the smallest and the
/// largest can be the maximum (the piece of x's own tier is MM(x) and dominates the others), so a chunk of
/// mostly small positions touches one or two tiers. A chunk holding an invalid input uses every tier and
/// counts its invalid inputs; the caller reports them.
///
/// The kernels compute the same IEEE operations (a multiply, a subtract and a max per piece and lane, no
/// fused multiply-add) and so give bit-identical results: the portable one on Eigen packets of the build's
/// instruction set, and, on x86-64 builds with GCC or Clang that do not already target AVX-512, an AVX-512
/// or AVX2 one chosen at run time from the CPU (`target` attribute): a baseline SSE2 build is
/// compute-bound here (README, Benchmarks). Define TIERMARGIN_NO_RUNTIME_DISPATCH to
/// compile the portable kernel only.
#pragma once

#include <cstddef>
#include <type_traits>

#include <Eigen/Core>

#include "../../config.hpp"

#if !defined(TIERMARGIN_NO_RUNTIME_DISPATCH) && defined(__GNUC__) && defined(__x86_64__) && !defined(__AVX512F__)
#define TIERMARGIN_DETAIL_SIMD_DISPATCH 1
#else
#define TIERMARGIN_DETAIL_SIMD_DISPATCH 0
#endif

TIERMARGIN_NAMESPACE_BEGIN

namespace detail {

inline constexpr std::size_t max_affine_chunk = 64;

/// The affine pieces of a convex table and the largest valid notional.
template <class Real>
struct max_affine_pieces {
  const Real* rates;
  const Real* amounts;
  std::size_t tiers;
  Real limit;
};

/// Portable kernel: out[i] = max over the chunk's tier window of (x r_k - a_k) for `count` positions
/// (a multiple of 64). `tier_of(x)` is the table's unchecked tier index. Returns the number of inputs that
/// are NaN, negative or above `limit` (their outputs are unspecified). O(count K) worst case.
template <class Real, class TierOf>
std::size_t max_affine_portable(const max_affine_pieces<Real>& p, TierOf tier_of, const Real* in, Real* out,
                                std::size_t count) noexcept {
  constexpr int lanes = 8;
  constexpr std::size_t chunk = max_affine_chunk;
  using block = Eigen::Array<Real, lanes, 1>;
  using chunk_array = Eigen::Array<Real, static_cast<int>(chunk), 1>;
  Real invalid = 0;
  for (std::size_t i = 0; i < count; i += chunk) {
    block lo = Eigen::Map<const block>(in + i), hi = lo, sum = lo;  // one pass: range and a NaN probe
    for (std::size_t j = lanes; j < chunk; j += lanes) {
      const block x = Eigen::Map<const block>(in + i + j);
      lo = lo.min(x);
      hi = hi.max(x);
      sum += x;
    }
    const Real smallest = lo.minCoeff(), largest = hi.maxCoeff(), total = sum.sum();
    std::size_t first = 0, last = p.tiers - 1;
    // Finite bounds rule out infinities, so a NaN total means a NaN input (a finite sum cannot be NaN).
    if (smallest >= Real(0) && largest <= p.limit && total == total) {
      first = tier_of(smallest);
      last = tier_of(largest);
    } else {
      const auto x = Eigen::Map<const chunk_array>(in + i);
      invalid += (x >= Real(0) && x <= p.limit).select(chunk_array::Zero(), chunk_array::Ones()).sum();
    }
    for (std::size_t j = 0; j < chunk; j += lanes) {
      const block x = Eigen::Map<const block>(in + i + j);
      block mm = x * p.rates[first] - p.amounts[first];
      for (std::size_t k = first + 1; k <= last; ++k) mm = mm.max(x * p.rates[k] - p.amounts[k]);
      Eigen::Map<block>(out + i + j) = mm;
    }
  }
  return static_cast<std::size_t>(invalid);
}

#if TIERMARGIN_DETAIL_SIMD_DISPATCH
using vec4d = double __attribute__((vector_size(32)));
using vec8d = double __attribute__((vector_size(64)));
/// A vector at any double's address: one unaligned move per load or store (the packed struct is how
/// compilers' own intrinsic headers do it; a typedef's reduced alignment is lost in a template argument,
/// and a memcpy through the stack stalls on store forwarding).
template <class vec>
struct [[gnu::packed, gnu::may_alias]] unaligned_vector {
  vec v;
};

/// max_affine_portable for double written with GCC/Clang vector extensions, so that one body compiles to
/// AVX2 (vec4d) or AVX-512 (vec8d) inside the `target` entry points below; the vector must be the
/// target's register width (wider ones are split lane by lane). Same contract, bit-identical results: the
/// same multiply, subtract and max per piece.
// Keeps a product rounded to double before the subtraction that follows, whatever -ffp-contract says (a
// fused multiply-subtract rounds once and would break bit-identity with the portable kernel). GCC: an empty
// asm makes the product an opaque register (operands are checked after inlining into the target function).
// Clang checks asm operands before inlining, so the body switches contraction off with its pragma instead.
#if defined(__clang__)
#define TIERMARGIN_DETAIL_KEEP_ROUNDED(value) static_cast<void>(value)
#else
#define TIERMARGIN_DETAIL_KEEP_ROUNDED(value) __asm__("" : "+v"(value))
#endif

template <class vec, class TierOf>
[[gnu::always_inline]] inline std::size_t max_affine_vector_body(const max_affine_pieces<double>& p, TierOf tier_of,
                                                                 const double* in, double* out,
                                                                 std::size_t count) noexcept {
#if defined(__clang__)
#pragma clang fp contract(off)
#endif
  constexpr std::size_t lanes = sizeof(vec) / sizeof(double), chunk = max_affine_chunk;
  std::size_t invalid = 0;
  // Vectors are only ever locals here: passing them to a function compiled for another target changes the ABI.
  const auto* src = reinterpret_cast<const unaligned_vector<vec>*>(in);  // src[q]: q lanes .. q lanes + lanes - 1
  auto* dst = reinterpret_cast<unaligned_vector<vec>*>(out);
  for (std::size_t i = 0; i < count; i += chunk) {
    const std::size_t q0 = i / lanes;
    vec lo = src[q0].v, hi = lo, sum = lo;
    for (std::size_t q = q0 + 1; q < q0 + chunk / lanes; ++q) {
      const vec x = src[q].v;
      lo = x < lo ? x : lo;
      hi = x > hi ? x : hi;
      sum += x;
    }
    double smallest = lo[0], largest = hi[0], total = sum[0];
    for (std::size_t j = 1; j < lanes; ++j) {
      smallest = lo[j] < smallest ? lo[j] : smallest;
      largest = hi[j] > largest ? hi[j] : largest;
      total += sum[j];
    }
    std::size_t first = 0, last = p.tiers - 1;
    if (smallest >= 0.0 && largest <= p.limit && total == total) {
      first = tier_of(smallest);
      last = tier_of(largest);
    } else {
      for (std::size_t j = 0; j < chunk; ++j) invalid += (in[i + j] >= 0.0 && in[i + j] <= p.limit) ? 0u : 1u;
    }
    // Four vectors per step: independent max chains keep the floating-point units busy.
    for (std::size_t q = q0; q < q0 + chunk / lanes; q += 4) {
      const vec x[4] = {src[q].v, src[q + 1].v, src[q + 2].v, src[q + 3].v};
      vec m[4];
      for (int v = 0; v < 4; ++v) {
        vec product = x[v] * p.rates[first];
        TIERMARGIN_DETAIL_KEEP_ROUNDED(product);
        m[v] = product - p.amounts[first];
      }
      for (std::size_t k = first + 1; k <= last; ++k) {
        const double r = p.rates[k], a = p.amounts[k];
        for (int v = 0; v < 4; ++v) {
          vec product = x[v] * r;
          TIERMARGIN_DETAIL_KEEP_ROUNDED(product);
          const vec piece = product - a;
          m[v] = piece > m[v] ? piece : m[v];
        }
      }
      for (std::size_t v = 0; v < 4; ++v) dst[q + v].v = m[v];
    }
  }
  return invalid;
}

template <class TierOf>
[[gnu::target("avx512f")]] std::size_t max_affine_avx512(const max_affine_pieces<double>& p, TierOf tier_of,
                                                         const double* in, double* out, std::size_t count) noexcept {
  return max_affine_vector_body<vec8d>(p, tier_of, in, out, count);
}
template <class TierOf>
[[gnu::target("avx2")]] std::size_t max_affine_avx2(const max_affine_pieces<double>& p, TierOf tier_of,
                                                    const double* in, double* out, std::size_t count) noexcept {
  return max_affine_vector_body<vec4d>(p, tier_of, in, out, count);
}

#undef TIERMARGIN_DETAIL_KEEP_ROUNDED

/// Instruction sets of the running CPU (cpuid, read by the compiler runtime at start-up).
inline bool cpu_has_avx512f() noexcept { return __builtin_cpu_supports("avx512f") != 0; }
inline bool cpu_has_avx2() noexcept { return __builtin_cpu_supports("avx2") != 0; }
#endif

/// The fastest kernel for this build and CPU (see the file comment).
template <class Real, class TierOf>
std::size_t max_affine_chunks(const max_affine_pieces<Real>& p, TierOf tier_of, const Real* in, Real* out,
                              std::size_t count) noexcept {
#if TIERMARGIN_DETAIL_SIMD_DISPATCH
  if constexpr (std::is_same_v<Real, double>) {
    if (cpu_has_avx512f()) return max_affine_avx512(p, tier_of, in, out, count);
    if (cpu_has_avx2()) return max_affine_avx2(p, tier_of, in, out, count);
  }
#endif
  return max_affine_portable(p, tier_of, in, out, count);
}

}  // namespace detail

TIERMARGIN_NAMESPACE_END
