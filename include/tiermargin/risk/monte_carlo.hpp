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
/// ((word >> 11) + 0.5) 2^-53 in (0, 1); normals come from a 128-layer ziggurat with constant tables (one
/// word per normal in ~98.8% of draws); chi-square draws use Marsaglia-Tsang (2000) on the same stream.
/// std::normal_distribution is never used (its algorithm is implementation-defined), so the same seed
/// gives the same scenarios with libstdc++ and libc++. The ziggurat's fast path is integer arithmetic and
/// one exact multiply; log/exp/pow (libm, not correctly rounded everywhere) enter only the ~1.2% of draws
/// that miss it and the chi-square draws. Bitwise equality across builds therefore also needs the same
/// libm and the same floating-point contraction (FMA) setting for Eigen's product.
/// Speed: the engine matters. std::mt19937_64 costs several ns per word, more than the GEMM per scenario
/// at N = 20; tiermargin::xoshiro256pp (xoshiro256.hpp) is about 1 ns. bench/risk/bench_monte_carlo.cpp
/// compares both with the bare GEMM.
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

/// Ziggurat tables for the standard normal, 128 layers (Marsaglia & Tsang 2000, in Doornik's 2005 ZIGNOR
/// form): R = 3.442619855899, V = 9.91256303526217e-3, x_0 = V/f(R), x_1 = R,
/// x_i = sqrt(-2 ln(V/x_{i-1} + f(x_{i-1}))), x_128 = 0, f(x) = exp(-x^2/2); ratio_i = x_{i+1}/x_i.
/// Computed with mpmath at 50 digits and rounded once to double, so every platform uses identical tables.
inline constexpr double zig_r_edge = 3.442619855899;
inline constexpr double zig_x[129] = {
    3.7130862467425474, 3.442619855899, 3.2230849845811416, 3.083228858216868, 2.97869625264778,
    2.894344007021529, 2.8231253505489105, 2.761169372387177, 2.7061135731218195, 2.6564064112613597,
    2.6109722484318474, 2.5690336259249373, 2.5300096723888275, 2.493454522095372, 2.4590181774118305,
    2.42642064553375, 2.3954342780110625, 2.3658713701176386, 2.3375752413392368, 2.310413683698763,
    2.2842740596774718, 2.259059573869198, 2.234686395590979, 2.211081408878703, 2.1881804320760483,
    2.1659267937489215, 2.144270182360395, 2.123165708673976, 2.1025731351892376, 2.0824562379920164,
    2.062782274508308, 2.043521536655067, 2.0246469733773846, 2.006133869963471, 1.9879595741276188,
    1.9701032608543254, 1.9525457295535555, 1.9352692282966217, 1.9182573008645087, 1.9014946531051502,
    1.884967035707758, 1.8686611409944875, 1.8525645117280898, 1.8366654602584447, 1.8209529965961242,
    1.8054167642192271, 1.7900469825998573, 1.7748343955860681, 1.7597702248995923, 1.744846128113799,
    1.7300541605637292, 1.7153867407136663, 1.7008366185699155, 1.6863968467791668, 1.6720607540975998,
    1.657821920954023, 1.6436741568628674, 1.6296114794706336, 1.6156280950431596, 1.6017183802213766,
    1.5878768648905746, 1.5740982160229993, 1.5603772223661674, 1.5467087798599088, 1.5330878776740418,
    1.5195095847659383, 1.5059690368632017, 1.4924614237813525, 1.4789819769899226, 1.4655259573427089,
    1.4520886428892226, 1.4386653166845615, 1.425251254514058, 1.4118417124470557, 1.3984319141310033,
    1.3850170377326498, 1.3715922024273406, 1.3581524543301413, 1.3446927517535447, 1.331207949665625,
    1.3176927832094119, 1.3041418501286146, 1.2905495919261945, 1.2769102735601534, 1.2632179614546188,
    1.2494664995730662, 1.2356494832633604, 1.2217602305399942, 1.2077917504159472, 1.1937367078331262,
    1.1795873846639857, 1.16533563616475, 1.150972842148865, 1.1364898520131583, 1.1218769225825398,
    1.1071236475340338, 1.0922188769072751, 1.0771506248928933, 1.0619059636948216, 1.0464709007640425,
    1.0308302360681927, 1.0149673952513274, 0.9988642334929804, 0.9825008035154258, 0.9658550794011466,
    0.948902625511303, 0.9316161966151473, 0.9139652510230287, 0.895915352580934, 0.8774274291129196,
    0.8584568431938092, 0.8389522142975734, 0.8188539067003531, 0.7980920606440526, 0.7765839878947555,
    0.7542306644540511, 0.7309119106424841, 0.7064796113354315, 0.6807479186691494, 0.6534786387399697,
    0.6243585973360447, 0.5929629424714419, 0.5586921784081783, 0.5206560387620528, 0.4774378372966809,
    0.42654798635541274, 0.36287143109701797, 0.2723208648139427, 0.0};
inline constexpr double zig_ratio[128] = {
    0.9271586026096688, 0.9362302895738892, 0.9566079929529229, 0.9660963845448882, 0.9716814879827811,
    0.9753938521821022, 0.9780541171685178, 0.980060694640489, 0.9816315315239645, 0.9828963811271866,
    0.9839375456663325, 0.9848098704733534, 0.9855513792328944, 0.9861893030819736, 0.9867436799867864,
    0.9872295978111943, 0.9876586437103296, 0.9880398701570177, 0.9883804563121088, 0.9886861715693078,
    0.9889617072428544, 0.9892109183130243, 0.9894370025436909, 0.9896426351781105, 0.9898300715969689,
    0.9900012265183524, 0.9901577357834697, 0.9903010050508024, 0.9904322485336945, 0.9905525200843218,
    0.9906627383358567, 0.9907637071892195, 0.9908561326209718, 0.9909406365607181, 0.991017768416579,
    0.9910880146997187, 0.991151807102165, 0.991209529308185, 0.9912615227624552, 0.9913080915739613,
    0.9913495066999153, 0.9913860095266758, 0.9914178149430195, 0.9914451139838447, 0.9914680761085328,
    0.991486851167012, 0.9915015710974835, 0.9915123513923666, 0.9915192923629307, 0.9915224802280644,
    0.9915219880484645, 0.9915178765240442, 0.9915101946694387, 0.9914989803800052, 0.9914842608986052,
    0.9914660531916395, 0.9914443642412228, 0.991419191259001, 0.9913905218258714, 0.9913583339607497,
    0.9913225961204966, 0.9912832671321499, 0.9912402960576856, 0.991193621990624, 0.991143173782899,
    0.9910888696994811, 0.9910306169972894, 0.9909683114239041, 0.9909018366304911, 0.9908310634921466,
    0.9907558493275226, 0.9906760370080956, 0.9905914539457294, 0.9905019109452362, 0.9904072009063883,
    0.990307097357238, 0.9902013527975628, 0.9900896968277136, 0.9899718340339568, 0.9898474415964779,
    0.9897161665803524, 0.9895776228628199, 0.9894313876418466, 0.9892769974609422, 0.9891139436730952,
    0.9889416672520417, 0.9887595528412437, 0.9885669219091596, 0.9883630248526033, 0.9881470318569457,
    0.9879180222809051, 0.9876749722825309, 0.9874167403388365, 0.9871420502305995, 0.9868494709610887,
    0.9865373929461655, 0.9862039996442389, 0.9858472335755387, 0.9854647553940897, 0.9850538942989906,
    0.9846115875710346, 0.984134306349457, 0.9836179638544746, 0.9830578010168336, 0.9824482427525726,
    0.9817827157061125, 0.9810534148544755, 0.9802510014227664, 0.9793642073274504, 0.9783793105963308,
    0.9772794298852919, 0.9760435609386312, 0.9746452378300762, 0.9730506368752242, 0.9712158326862982,
    0.9690827290502088, 0.9665728537853813, 0.9635775863118788, 0.9599421765659003, 0.9554384188286951,
    0.9497153478809152, 0.9422042060159364, 0.9319193267489484, 0.9169927970716897, 0.8934105197245917,
    0.8507165493794231, 0.7504610213889626, 0.0};

/// Rejected first try of the ziggurat (about 1.2% of draws): the base strip samples the tail beyond R
/// (Marsaglia 1964), a wedge is accepted under the density, otherwise a fresh draw starts.
template <class Rng>
double draw_normal_slow(Rng& rng, std::uint64_t w);

/// Standard normal draw by the ziggurat: one 64-bit word per draw in ~98.8% of cases (bits 0-6 pick the
/// layer, bits 11-63 the uniform u in (-1, 1)); wedges and the tail use exp/log and further words.
template <full_64bit_engine Rng>
inline double draw_normal(Rng& rng) {
  const auto w = static_cast<std::uint64_t>(rng());
  const auto i = static_cast<std::size_t>(w & 0x7Fu);
  const double u = (static_cast<double>(static_cast<std::int64_t>(w >> 11)) + 0.5) * 0x1.0p-52 - 1.0;
  if (std::fabs(u) < zig_ratio[i]) [[likely]]
    return u * zig_x[i];
  return draw_normal_slow(rng, w);
}

template <class Rng>
double draw_normal_slow(Rng& rng, std::uint64_t w) {
  for (;;) {
    const auto i = static_cast<std::size_t>(w & 0x7Fu);
    const double u = (static_cast<double>(static_cast<std::int64_t>(w >> 11)) + 0.5) * 0x1.0p-52 - 1.0;
    if (std::fabs(u) < zig_ratio[i]) return u * zig_x[i];
    if (i == 0) {  // base strip: sample the tail beyond R
      double x, y;
      do {
        x = std::log(uniform_from_bits(static_cast<std::uint64_t>(rng()))) / zig_r_edge;
        y = std::log(uniform_from_bits(static_cast<std::uint64_t>(rng())));
      } while (-2.0 * y < x * x);
      return u < 0.0 ? x - zig_r_edge : zig_r_edge - x;
    }
    const double x = u * zig_x[i];
    const double f0 = std::exp(-0.5 * (zig_x[i] * zig_x[i] - x * x));
    const double f1 = std::exp(-0.5 * (zig_x[i + 1] * zig_x[i + 1] - x * x));
    if (f1 + uniform_from_bits(static_cast<std::uint64_t>(rng())) * (f0 - f1) < 1.0) return x;
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
  /// min(rows, block_rows) x N (no allocation once it has that size). O(rows N^2). An invalid generator or
  /// an `out` without N columns is reported through the error policy (and `out` is set to NaN).
  template <full_64bit_engine Rng>
  void generate(Rng& rng, scenario_matrix& out, bool antithetic, scenario_matrix& z) const
      noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    constexpr const char* f = "multivariate_scenarios::generate";
    const Eigen::Index n = m_mean.size();
    if (!detail::check<on_error>(m_valid, {error_kind::invalid_argument, f, "this", detail::models::nan,
                                           "generator was constructed from invalid arguments"}) ||
        !detail::check<on_error>(out.cols() == n, {error_kind::invalid_argument, f, "out.cols()",
                                                   static_cast<double>(out.cols()), "must equal the number of assets"})) {
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
    return historical<Policies>{}.var_es(std::span<const double>(losses), p);
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
    if (!std::isfinite(m_dof)) {
      const Eigen::Index count = drawn * n;  // same draw order as row by row
      for (Eigen::Index k = 0; k < count; ++k) zd[k] = detail::models::draw_normal(rng);
    } else {
      for (Eigen::Index i = 0; i < drawn; ++i) {
        double* row = zd + i * n;
        for (Eigen::Index j = 0; j < n; ++j) row[j] = detail::models::draw_normal(rng);
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
