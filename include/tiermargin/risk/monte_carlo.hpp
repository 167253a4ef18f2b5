// SPDX-License-Identifier: BSL-1.0
/// @file monte_carlo.hpp  Multi-asset Monte Carlo: multivariate normal and Student-t scenarios of asset
/// returns, portfolio losses for a weight vector, and their VaR/ES. Reproducible from a seeded engine.
///
/// Model: X = mu + sqrt(nu / W) * L z (Student-t, W ~ chi2_nu) or X = mu + L z (normal, nu = inf), with
/// z ~ N(0, I) and L the lower Cholesky factor of `covariance` (Sigma = L L^T). For the t, Sigma is the
/// dispersion (scale) matrix; the covariance of X is nu/(nu-2) Sigma (the univariate convention of
/// student_t.hpp). Portfolio loss = -w'X (losses positive; weights in the units of X).
///
/// Scenarios are produced in blocks of `block_rows`: a row-major matrix Z (block x N) of normals, then one
/// matrix product X = Z L^T (Eigen GEMM), so the cost approaches the FLOP rate of that product.
///
/// Randomness (docs/conventions.md): the engine is passed explicitly and must produce full 64-bit words
/// (std::mt19937_64, or any engine with min() == 0 and max() == 2^64 - 1). Uniforms are
/// ((word >> 11) + 0.5) 2^-53 in (0, 1); normals come from a 256-layer ziggurat with constant tables (one
/// word per normal in ~98.5% of draws); chi-square draws use Marsaglia-Tsang (2000) on the same stream.
/// std::normal_distribution is never used (its algorithm is implementation-defined), so the same seed
/// gives the same scenarios with libstdc++ and libc++. The ziggurat's fast path is bit operations, exact
/// arithmetic and one IEEE multiply; log/exp/pow (libm, not correctly rounded everywhere) enter only the
/// ~1.5% of draws that miss it and the chi-square draws. Bitwise equality across builds therefore also
/// needs the same libm and the same floating-point contraction (FMA) setting for Eigen's product.
/// Speed: the engine matters. At N = 20 std::mt19937_64 costs more per scenario than the GEMM;
/// tiermargin::xoshiro256pp (xoshiro256.hpp) is much cheaper. bench/risk/bench_monte_carlo.cpp compares both
/// with the bare GEMM (README, Benchmarks).
/// Draw order, per block: the N normals of each drawn scenario, row after row, then (t only) one
/// chi-square draw per scenario, in row order.
/// Antithetic: each block of 2h rows holds h drawn scenarios and their mirrors z -> -z (same W), so a
/// mirrored pair's centred returns are exact negatives and the symmetric-case mean is exactly zero.
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <span>
#include <utility>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "../core/check.hpp"
#include "../core/policies.hpp"
#include "detail/model_common.hpp"
#include "detail/ziggurat_tables.hpp"
#include "estimator.hpp"
#include "historical.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Row-major dynamic matrix: one scenario per row.
using scenario_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// An engine usable by the Monte Carlo code: full 64-bit output words.
template <class Rng>
concept full_64bit_engine = requires(Rng& r) {
  { r() } -> std::convertible_to<std::uint64_t>;
  requires Rng::min() == 0 && Rng::max() == std::numeric_limits<std::uint64_t>::max();
};

namespace detail::models {

/// Uniform in the open interval (0, 1) from the top 53 bits of a 64-bit word.
inline double uniform_from_bits(std::uint64_t w) noexcept {
  return (static_cast<double>(static_cast<std::int64_t>(w >> 11)) + 0.5) * 0x1.0p-53;
}

/// The ziggurat's signed uniform in (-1, 1) from bits 12-63 of a word: (2m + 1) 2^-52 - 1 for the 52-bit
/// m, built from the bits without an integer-to-double conversion (every step is exact, so no rounding
/// mode or contraction can change it; it vectorises with SSE2).
inline double ziggurat_uniform(std::uint64_t w) noexcept {
  const double one_to_two = std::bit_cast<double>((w >> 12) | 0x3FF0000000000000ULL);  // 1 + m 2^-52
  return (one_to_two - 1.5) * 2.0 + 0x1.0p-52;
}
/// The ziggurat layer of a word: bits 0-7 (independent of the uniform's bits).
inline std::size_t ziggurat_layer(std::uint64_t w) noexcept {
  return static_cast<std::size_t>(w & (zig_layers - 1));
}

/// Rejected first try of the ziggurat (about 1.5% of draws): the base strip samples the tail beyond R
/// (Marsaglia 1964), a wedge is accepted under the density, otherwise a fresh draw starts.
template <class Rng>
double draw_normal_slow(Rng& rng, std::uint64_t w);

/// Standard normal draw by the ziggurat: one 64-bit word per draw in ~98.5% of cases (bits 0-7 pick the
/// layer, bits 12-63 the uniform u in (-1, 1)); wedges and the tail use exp/log and further words.
template <full_64bit_engine Rng>
inline double draw_normal(Rng& rng) {
  const auto w = static_cast<std::uint64_t>(rng());
  const std::size_t i = ziggurat_layer(w);
  const double u = ziggurat_uniform(w);
  if (std::fabs(u) < zig_ratio[i]) [[likely]]
    return u * zig_x[i];
  return draw_normal_slow(rng, w);
}

template <class Rng>
double draw_normal_slow(Rng& rng, std::uint64_t w) {
  for (;;) {
    const std::size_t i = ziggurat_layer(w);
    const double u = ziggurat_uniform(w);
    if (std::fabs(u) < zig_ratio[i]) return u * zig_x[i];
    if (i == 0) {  // base strip: sample the tail beyond R
      double x, y;
      do {
        x = std::log(uniform_from_bits(static_cast<std::uint64_t>(rng()))) / zig_r_edge;
        y = std::log(uniform_from_bits(static_cast<std::uint64_t>(rng())));
      } while (-2.0 * y < x * x);
      return u < 0.0 ? x - zig_r_edge : zig_r_edge - x;
    }
    // Wedge: a point uniform in height between f(x_i) and f(x_{i+1}), accepted under the density.
    const double x = u * zig_x[i];
    const double v = uniform_from_bits(static_cast<std::uint64_t>(rng()));
    const double height = zig_f[i + 1] + v * (zig_f[i] - zig_f[i + 1]);
    if (height < std::exp(-0.5 * x * x)) return x;
    w = static_cast<std::uint64_t>(rng());
  }
}

/// Gamma(shape, 1) by Marsaglia-Tsang; shape < 1 via Gamma(shape + 1) U^(1/shape).
template <full_64bit_engine Rng>
double draw_gamma(Rng& rng, double shape) {
  const double boost = shape < 1.0 ? shape + 1.0 : shape;
  const double d = boost - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  double g;
  for (;;) {
    const double x = draw_normal(rng);
    double v = 1.0 + c * x;
    if (v <= 0.0) continue;
    v = v * v * v;
    const double u = uniform_from_bits(static_cast<std::uint64_t>(rng()));
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) {
      g = d * v;
      break;
    }
  }
  if (shape < 1.0) g *= std::pow(uniform_from_bits(static_cast<std::uint64_t>(rng())), 1.0 / shape);
  return g;
}

}  // namespace detail::models

/// Multivariate normal / Student-t scenario generator (see file comment). Construction validates and
/// factorises once (O(N^3)); const objects are thread-safe to share, each thread using its own engine.
/// Under a non-throwing error policy a failed construction leaves `valid() == false` and every output NaN.
template <policy_bundle Policies = default_policies>
class multivariate_scenarios {
 public:
  /// Rows per generated block (the GEMM panel height).
  static constexpr Eigen::Index block_rows = 1024;

  multivariate_scenarios() = default;

  /// Smallest accepted degrees of freedom. Below it the chi-square draw W underflows with real probability
  /// (P(W < 1e-308) is about 3% at dof = 0.01) and the scale sqrt(dof / W) makes scenarios infinite; at
  /// dof >= 0.5 the shape-boost factor U^(2/dof) >= 2^-216 keeps the scale finite.
  static constexpr double min_dof = 0.5;
  /// Largest `scenarios` accepted by portfolio_var_es (2^31 losses, 16 GiB of doubles): a documented
  /// bound so that a wrong count is reported instead of failing inside the allocator.
  static constexpr std::size_t max_scenarios = std::size_t{1} << 31;

  /// `mean` (N), `covariance` (N x N, symmetric positive definite), `dof` > 2 for Student-t scenarios or
  /// +inf (default) for normal ones. Errors name the argument: empty or non-finite mean, covariance of
  /// the wrong shape / non-finite / not symmetric / not positive definite, dof NaN or below min_dof = 0.5
  /// (dof in [0.5, 2] is allowed: the dispersion matrix still defines the law though X has no covariance).
  multivariate_scenarios(Eigen::VectorXd mean, const Eigen::MatrixXd& covariance,
                         double dof = std::numeric_limits<double>::infinity()) noexcept(is_noexcept_v<Policies>)
      : m_mean(std::move(mean)), m_dof(dof) {
    using on_error = typename Policies::error;
    constexpr const char* f = "multivariate_scenarios";
    const Eigen::Index n = m_mean.size();
    if (!detail::check<on_error>(n > 0 && m_mean.allFinite(),
                                 {error_kind::invalid_argument, f, "mean", static_cast<double>(n),
                                  "must be non-empty and finite"}))
      return;
    if (!detail::check<on_error>(covariance.rows() == n && covariance.cols() == n,
                                 {error_kind::invalid_argument, f, "covariance", static_cast<double>(covariance.rows()),
                                  "must be square with the size of mean"}) ||
        !detail::check<on_error>(covariance.allFinite(), {error_kind::invalid_argument, f, "covariance",
                                                          detail::models::nan, "must be finite"}))
      return;
    const double scale = covariance.cwiseAbs().maxCoeff();
    const double asym = (covariance - covariance.transpose()).cwiseAbs().maxCoeff();
    if (!detail::check<on_error>(asym <= 1e-12 * scale, {error_kind::invalid_argument, f, "covariance", asym,
                                                         "must be symmetric"}))
      return;
    if (!detail::check<on_error>(dof >= min_dof,
                                 {error_kind::invalid_argument, f, "dof", dof,
                                  "must be >= 0.5 (+inf for normal scenarios); smaller dof make the simulated "
                                  "scale sqrt(dof / chi2) overflow to infinity"}))
      return;
    const Eigen::LLT<Eigen::MatrixXd> llt(covariance);
    if (!detail::check<on_error>(llt.info() == Eigen::Success,
                                 {error_kind::invalid_argument, f, "covariance", detail::models::nan,
                                  "must be positive definite (Cholesky factorisation failed)"}))
      return;
    m_lower_t = llt.matrixL().transpose();
    m_valid = true;
  }

  /// False when construction rejected its arguments under a non-throwing policy (`generate` then reports).
  bool valid() const noexcept { return m_valid; }
  /// Number of assets N (columns of a scenario matrix).
  std::size_t assets() const noexcept { return static_cast<std::size_t>(m_mean.size()); }
  /// Degrees of freedom of the multivariate t; +inf for the normal.
  double dof() const noexcept { return m_dof; }
  /// True for the multivariate t (finite dof), false for the normal.
  bool is_student_t() const noexcept { return std::isfinite(m_dof); }
  /// The mean vector, N entries.
  const Eigen::VectorXd& mean() const noexcept { return m_mean; }
  /// L^T, upper triangular (scenarios are rows: X = Z L^T).
  const Eigen::MatrixXd& cholesky_transposed() const noexcept { return m_lower_t; }

  /// Fill every row of `out` (rows x N) with a scenario, in blocks. `z` is caller scratch resized to
  /// min(rows, block_rows) x N (no allocation once it has that size). O(rows N^2). An invalid generator,
  /// an `out` without N columns, or `z` being the same matrix as `out` is reported through the error policy
  /// (and `out` is set to NaN).
  template <full_64bit_engine Rng>
  void generate(Rng& rng, scenario_matrix& out, bool antithetic, scenario_matrix& z) const
      noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    constexpr const char* f = "multivariate_scenarios::generate";
    const Eigen::Index n = m_mean.size();
    if (!detail::check<on_error>(m_valid, {error_kind::invalid_argument, f, "this", detail::models::nan,
                                           "generator was constructed from invalid arguments"}) ||
        !detail::check<on_error>(out.cols() == n,
                                 {error_kind::invalid_argument, f, "out.cols()", static_cast<double>(out.cols()),
                                  "must equal the number of assets"}) ||
        !detail::check<on_error>(&z != &out, {error_kind::invalid_argument, f, "z", static_cast<double>(z.size()),
                                              "must be a different matrix from out (it is overwritten per block)"})) {
      out.setConstant(detail::models::nan);
      return;
    }
    const Eigen::Index total = out.rows();
    for (Eigen::Index start = 0; start < total; start += block_rows) {
      const Eigen::Index rows = std::min(block_rows, total - start);
      fill_block(rng, out.middleRows(start, rows), antithetic, z);
    }
  }
  /// As the overload above with its own scratch matrix (allocates min(rows, block_rows) x N per call).
  template <full_64bit_engine Rng>
  void generate(Rng& rng, scenario_matrix& out, bool antithetic = false) const {
    scenario_matrix z;
    generate(rng, out, antithetic, z);
  }

  /// Portfolio losses -w'X of out.size() scenarios, generated block by block (scratch of
  /// 2 * block_rows * N doubles). Errors (every slot of `out` NaN under quiet_nan): weights of the wrong
  /// size or non-finite; an invalid generator; `out` overlapping `weights` (the weights are read for every
  /// block); a loss that overflows a double (named 'weights', with the scenario index).
  template <full_64bit_engine Rng>
  void portfolio_losses(std::span<const double> weights, Rng& rng, std::span<double> out,
                        bool antithetic = false) const noexcept(is_noexcept_v<Policies>) {
    constexpr const char* f = "multivariate_scenarios::portfolio_losses";
    if (!check_weights(f, weights) ||
        !detail::check_no_overlap<typename Policies::error>(f, "out", out, weights)) {
      std::fill(out.begin(), out.end(), detail::models::nan);
      return;
    }
    losses_impl(weights, rng, out, antithetic);
    if (!check_losses_finite(f, out)) std::fill(out.begin(), out.end(), detail::models::nan);
  }

  /// VaR/ES (k = ceil(S p)-th largest simulated loss; Acerbi-Tasche ES) of the portfolio loss over
  /// `scenarios` draws. Needs S p >= 1 (at least historical::min_observations(p) scenarios) and
  /// S <= max_scenarios. O(S N^2); allocates S doubles (plus historical's tail buffer).
  /// Errors (all named after this function): bad p or weights, S out of range, an allocation failure
  /// (reported naming 'scenarios'), a simulated loss that is not finite (weights times scenarios overflow a
  /// double; reported naming 'weights' with the scenario index), a tail sum that overflows.
  template <full_64bit_engine Rng>
  var_es_result<double> portfolio_var_es(std::span<const double> weights, double p, std::size_t scenarios, Rng& rng,
                                         bool antithetic = false) const noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    using detail::models::nan;
    constexpr const char* f = "multivariate_scenarios::portfolio_var_es";
    if (!detail::check_tail_probability<on_error>(f, "p", p, upper_tail_allowed_v<Policies>) ||
        !check_weights(f, weights))
      return {nan, nan};
    if (!detail::check<on_error>(scenarios >= historical<Policies>::min_observations(p),
                                 {error_kind::insufficient_data, f, "scenarios", static_cast<double>(scenarios),
                                  "needs at least ceil(1/p) scenarios (historical::min_observations(p))"}) ||
        !detail::check<on_error>(scenarios <= max_scenarios,
                                 {error_kind::invalid_argument, f, "scenarios", static_cast<double>(scenarios),
                                  "must be <= max_scenarios = 2^31"}))
      return {nan, nan};
    const std::unique_ptr<double[]> buffer(new (std::nothrow) double[scenarios]);
    if (!detail::check<on_error>(buffer != nullptr, {error_kind::insufficient_data, f, "scenarios",
                                                     static_cast<double>(scenarios),
                                                     "could not allocate the simulated losses"}))
      return {nan, nan};
    const std::span<double> losses(buffer.get(), scenarios);
    losses_impl(weights, rng, losses, antithetic);
    if (!check_losses_finite(f, losses)) return {nan, nan};
    // every argument is checked: compute quietly and name this function if the estimate still fails
    const auto r = historical<quiet_policies>{}.var_es(std::span<const double>(losses), p);
    if (!detail::check<on_error>(std::isfinite(r.var) && std::isfinite(r.es),
                                 {error_kind::invalid_argument, f, "scenarios", static_cast<double>(scenarios),
                                  "the tail sum of the simulated losses overflows a double, or the estimator's "
                                  "buffer could not be allocated"}))
      return {nan, nan};
    return r;
  }

 private:
  struct quiet_policies : Policies {
    using error = quiet_nan;
  };
  Eigen::VectorXd m_mean;
  Eigen::MatrixXd m_lower_t;
  double m_dof = std::numeric_limits<double>::infinity();
  bool m_valid = false;

  bool check_weights(const char* f, std::span<const double> w) const noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    if (!detail::check<on_error>(m_valid, {error_kind::invalid_argument, f, "this", detail::models::nan,
                                           "generator was constructed from invalid arguments"}))
      return false;
    if (!detail::check<on_error>(w.size() == assets(), {error_kind::invalid_argument, f, "weights",
                                                        static_cast<double>(w.size()),
                                                        "must have one entry per asset"}))
      return false;
    for (std::size_t i = 0; i < w.size(); ++i)
      if (!std::isfinite(w[i]))
        return detail::check<on_error>(false, {error_kind::invalid_argument, f, "weights", w[i], "must be finite",
                                               static_cast<long>(i)});
    return true;
  }

  /// Every simulated loss finite; otherwise report 'weights' with the first bad scenario's index.
  bool check_losses_finite(const char* f, std::span<const double> losses) const noexcept(is_noexcept_v<Policies>) {
    for (std::size_t i = 0; i < losses.size(); ++i) {
      if (std::isfinite(losses[i])) continue;
      return detail::check<typename Policies::error>(
          false, {error_kind::invalid_argument, f, "weights", losses[i],
                  "the simulated portfolio loss of this scenario is not finite (weights times scenarios overflow "
                  "a double)",
                  static_cast<long>(i)});
    }
    return true;
  }

  template <class Rng>
  void losses_impl(std::span<const double> weights, Rng& rng, std::span<double> out, bool antithetic) const {
    const Eigen::Index n = m_mean.size();
    const Eigen::Map<const Eigen::VectorXd> w(weights.data(), n);
    const double wmu = w.dot(m_mean);
    scenario_matrix x(std::min<Eigen::Index>(block_rows, static_cast<Eigen::Index>(out.size())), n);
    scenario_matrix z;
    const auto total = static_cast<Eigen::Index>(out.size());
    for (Eigen::Index start = 0; start < total; start += block_rows) {
      const Eigen::Index rows = std::min(block_rows, total - start);
      auto block = x.topRows(rows);
      fill_block(rng, block, antithetic, z, false);  // centred scenarios (no mean added)
      Eigen::Map<Eigen::VectorXd> dst(out.data() + start, rows);
      dst.noalias() = -(block * w);
      dst.array() -= wmu;
    }
  }

  /// One block: rows scenarios into `dst` (rows x N). With `add_mean` false the block holds L z only.
  template <class Rng, class Block>
  void fill_block(Rng& rng, Block&& dst, bool antithetic, scenario_matrix& z, bool add_mean = true) const {
    const Eigen::Index rows = dst.rows();
    const Eigen::Index n = m_mean.size();
    const Eigen::Index drawn = antithetic ? (rows + 1) / 2 : rows;
    if (z.rows() < drawn || z.cols() != n) z.resize(std::max<Eigen::Index>(drawn, std::min(block_rows, rows)), n);
    double* zd = z.data();  // row-major: scenario i occupies zd[i*n .. i*n+n-1]
    const Eigen::Index count = drawn * n;  // the normals of each drawn scenario, row after row
    for (Eigen::Index k = 0; k < count; ++k) zd[k] = detail::models::draw_normal(rng);
    if (std::isfinite(m_dof)) {
      for (Eigen::Index i = 0; i < drawn; ++i) {
        const double chi2 = 2.0 * detail::models::draw_gamma(rng, 0.5 * m_dof);
        const double s = std::sqrt(m_dof / chi2);
        double* row = zd + i * n;
        for (Eigen::Index j = 0; j < n; ++j) row[j] *= s;
      }
    }
    dst.topRows(drawn).noalias() = z.topRows(drawn) * m_lower_t;
    if (antithetic) {
      const Eigen::Index mirrored = rows - drawn;
      dst.bottomRows(mirrored) = -dst.topRows(mirrored);
    }
    if (add_mean) dst.rowwise() += m_mean.transpose();
  }
};

TIERMARGIN_NAMESPACE_END
