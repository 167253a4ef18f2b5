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
/// Randomness (DESIGN.md): the engine is passed explicitly and must produce full 64-bit words
/// (std::mt19937_64, or any engine with min() == 0 and max() == 2^64 - 1). Uniforms are
/// ((word >> 11) + 0.5) 2^-53 in (0, 1); normals are their inverse CDF by Wichura's AS241 (one word per
/// normal, relative accuracy ~1e-16); chi-square draws use Marsaglia-Tsang (2000) on the same streams.
/// std::normal_distribution is never used (its algorithm is implementation-defined), so the same seed
/// gives the same scenarios with libstdc++ and libc++. Bitwise equality across builds additionally needs
/// the same libm log/sqrt/pow and the same floating-point contraction (FMA) setting for Eigen's product.
/// Draw order: scenario by scenario, N normals, then (t only) the chi-square draw of that scenario.
/// Antithetic: each block of 2h rows holds h drawn scenarios and their mirrors z -> -z (same W), so a
/// mirrored pair's centred returns are exact negatives and the symmetric-case mean is exactly zero.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "../core/check.hpp"
#include "../core/policies.hpp"
#include "detail/model_common.hpp"
#include "estimator.hpp"

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
  return (static_cast<double>(w >> 11) + 0.5) * 0x1.0p-53;
}

/// Standard normal quantile, Wichura (1988) AS241 PPND16, for u in (0, 1).
inline double normal_quantile_as241(double u) noexcept {
  const double q = u - 0.5;
  if (std::fabs(q) <= 0.425) {
    const double r = 0.180625 - q * q;
    const double num = (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r +
                              6.7265770927008700853e+4) * r + 4.5921953931549871457e+4) * r +
                            1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r +
                          1.3314166789178437745e+2) * r + 3.3871328727963666080e+0) * q;
    const double den = (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r +
                              3.9307895800092710610e+4) * r + 2.1213794301586595867e+4) * r +
                            5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r +
                          4.2313330701600911252e+1) * r + 1.0);
    return num / den;
  }
  double r = q <= 0.0 ? u : 1.0 - u;
  r = std::sqrt(-std::log(r));
  double num, den;
  if (r <= 5.0) {
    r -= 1.6;
    num = (((((((7.7454501427834140764e-4 * r + 2.2723844989269184583e-2) * r + 2.4178072517745061177e-1) * r +
               1.2704582524523683826e+0) * r + 3.6478483247632046050e+0) * r + 5.7694972214606914055e+0) * r +
            4.6303378461565452959e+0) * r + 1.4234371107496835773e+0);
    den = (((((((1.0507500716444168432e-9 * r + 5.4759380849953449460e-4) * r + 1.5198666563616457197e-2) * r +
               1.4810397642748007459e-1) * r + 6.8976733498510000455e-1) * r + 1.6763848301838038494e+0) * r +
            2.0531916266377588219e+0) * r + 1.0);
  } else {
    r -= 5.0;
    num = (((((((2.0103343992922881327e-7 * r + 2.7115555687434875782e-5) * r + 1.2426609473880784386e-3) * r +
               2.6532189526576123093e-2) * r + 2.9656057182850489123e-1) * r + 1.7848265399172913358e+0) * r +
            5.4637849111641143699e+0) * r + 6.6579046435011037772e+0);
    den = (((((((2.0442631033899397856e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
               7.8686913114561325910e-4) * r + 1.4875361290850614853e-2) * r + 1.3692988092273580531e-1) * r +
            5.9983220655588793769e-1) * r + 1.0);
  }
  const double x = num / den;
  return q < 0.0 ? -x : x;
}

template <full_64bit_engine Rng>
double draw_normal(Rng& rng) {
  return normal_quantile_as241(uniform_from_bits(static_cast<std::uint64_t>(rng())));
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

  /// `mean` (N), `covariance` (N x N, symmetric positive definite), `dof` > 2 for Student-t scenarios or
  /// +inf (default) for normal ones. Errors name the argument: empty or non-finite mean, covariance of
  /// the wrong shape / non-finite / not symmetric / not positive definite, dof not > 0 (dof <= 2 is
  /// allowed: the dispersion matrix still defines the law though X has no covariance).
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
    if (!detail::check<on_error>(dof > 0.0 && !std::isnan(dof), {error_kind::invalid_argument, f, "dof", dof,
                                                                  "must be > 0 (+inf for normal scenarios)"}))
      return;
    const Eigen::LLT<Eigen::MatrixXd> llt(covariance);
    if (!detail::check<on_error>(llt.info() == Eigen::Success,
                                 {error_kind::invalid_argument, f, "covariance", detail::models::nan,
                                  "must be positive definite (Cholesky factorisation failed)"}))
      return;
    m_lower_t = llt.matrixL().transpose();
    m_valid = true;
  }

  bool valid() const noexcept { return m_valid; }
  std::size_t assets() const noexcept { return static_cast<std::size_t>(m_mean.size()); }
  double dof() const noexcept { return m_dof; }
  bool is_student_t() const noexcept { return std::isfinite(m_dof); }
  const Eigen::VectorXd& mean() const noexcept { return m_mean; }
  /// L^T, upper triangular (scenarios are rows: X = Z L^T).
  const Eigen::MatrixXd& cholesky_transposed() const noexcept { return m_lower_t; }

  /// Fill every row of `out` (rows x N) with a scenario, in blocks. `z` is caller scratch resized to
  /// min(rows, block_rows) x N (no allocation once it has that size). O(rows N^2).
  template <full_64bit_engine Rng>
  void generate(Rng& rng, scenario_matrix& out, bool antithetic, scenario_matrix& z) const {
    const Eigen::Index n = m_mean.size();
    if (!m_valid || out.cols() != n) {
      out.setConstant(detail::models::nan);
      return;
    }
    const Eigen::Index total = out.rows();
    for (Eigen::Index start = 0; start < total; start += block_rows) {
      const Eigen::Index rows = std::min(block_rows, total - start);
      fill_block(rng, out.middleRows(start, rows), antithetic, z);
    }
  }
  template <full_64bit_engine Rng>
  void generate(Rng& rng, scenario_matrix& out, bool antithetic = false) const {
    scenario_matrix z;
    generate(rng, out, antithetic, z);
  }

  /// Portfolio losses -w'X of out.size() scenarios, generated block by block (scratch of
  /// 2 * block_rows * N doubles). Errors: weights of the wrong size or non-finite; an invalid generator.
  template <full_64bit_engine Rng>
  void portfolio_losses(std::span<const double> weights, Rng& rng, std::span<double> out,
                        bool antithetic = false) const noexcept(is_noexcept_v<Policies>) {
    if (!check_weights("multivariate_scenarios::portfolio_losses", weights)) {
      std::fill(out.begin(), out.end(), detail::models::nan);
      return;
    }
    losses_impl(weights, rng, out, antithetic);
  }

  /// VaR/ES (k = ceil(S p)-th largest simulated loss; Acerbi-Tasche ES) of the portfolio loss over
  /// `scenarios` draws. Needs S p >= 1 (at least ceil(1/p) scenarios). O(S N^2); allocates S doubles.
  template <full_64bit_engine Rng>
  var_es_result<double> portfolio_var_es(std::span<const double> weights, double p, std::size_t scenarios, Rng& rng,
                                         bool antithetic = false) const noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    using detail::models::nan;
    constexpr const char* f = "multivariate_scenarios::portfolio_var_es";
    if (!detail::check_probability<on_error>(f, "p", p) || !check_weights(f, weights)) return {nan, nan};
    if (!detail::check<on_error>(static_cast<double>(scenarios) * p >= 1.0 - 1e-9,
                                 {error_kind::insufficient_data, f, "scenarios", static_cast<double>(scenarios),
                                  "needs at least ceil(1/p) scenarios"}))
      return {nan, nan};
    std::vector<double> losses(scenarios);
    losses_impl(weights, rng, losses, antithetic);
    return detail::models::empirical_var_es(losses, p);
  }

 private:
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
    const bool t = std::isfinite(m_dof);
    for (Eigen::Index i = 0; i < drawn; ++i) {
      double* row = zd + i * n;
      for (Eigen::Index j = 0; j < n; ++j) row[j] = detail::models::draw_normal(rng);
      if (t) {
        const double chi2 = 2.0 * detail::models::draw_gamma(rng, 0.5 * m_dof);
        const double s = std::sqrt(m_dof / chi2);
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
