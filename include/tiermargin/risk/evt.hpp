// SPDX-License-Identifier: BSL-1.0
/// @file evt.hpp  Extreme value theory: peaks over threshold with a generalized Pareto tail (maximum
/// likelihood, probability-weighted moments as start and fallback), the POT VaR/ES closed forms, the Hill
/// estimator and the Weissman quantile (docs/risk.md section 7).
///
/// Excesses Y = L - u | L > u ~ GPD(xi, beta), G(y) = 1 - (1 + xi y / beta)^(-1/xi) (1 - exp(-y/beta) at
/// xi = 0). With zeta = N_u / n the exceedance fraction and p <= zeta the tail probability:
///   VaR_p = u + (beta/xi) [ (p/zeta)^(-xi) - 1 ]  (u + beta ln(zeta/p) at xi = 0),
///   ES_p  = (VaR_p + beta - xi u) / (1 - xi)      (xi < 1)      (McNeil-Frey 2000; Cotter-Dowd 2006).
/// GPD fit: maximum likelihood by Grimshaw's (1993) reduction to one dimension: with theta = xi/beta the
/// profile gives xi(theta) = mean(log(1 + theta y)), beta = xi/theta and
/// l(theta) = -n log(beta) - n xi - n, maximised by Brent's method over theta * mean(y) in
/// (-mean(y)/max(y), 1000). The probability-weighted-moment estimator of Hosking & Wallis (1987),
/// xi = 2 - a0/(a0 - 2 a1), beta = 2 a0 a1/(a0 - 2 a1) with a1 = mean((1 - (j - 0.35)/n) y_(j)), is used when
/// the likelihood optimum is not regular (xi < -0.5, the MLE's regularity bound, or a non-finite value).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <numbers>
#include <span>
#include <vector>

#include <boost/math/tools/minima.hpp>

#include "../core/check.hpp"
#include "../core/policies.hpp"
#include "detail/model_common.hpp"
#include "estimator.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// How a GPD fit was obtained.
enum class gpd_fit_method { maximum_likelihood, probability_weighted_moments };

/// Fitted generalized Pareto parameters with diagnostics (reported by value).
struct gpd_fit {
  double xi;              ///< shape (tail index; > 0 heavy tail)
  double beta;            ///< scale > 0
  double log_likelihood;  ///< at (xi, beta)
  int iterations;         ///< Brent iterations of the likelihood search
  bool converged;         ///< the likelihood search met its tolerance (false when PWM was used)
  gpd_fit_method method;  ///< which estimator produced (xi, beta)
};

/// Hill estimate of the tail index from the k largest losses.
struct hill_result {
  double xi;         ///< (1/k) sum_{i<=k} ln X_(i) - ln X_(k+1), descending order statistics
  double threshold;  ///< X_(k+1)
  std::size_t k;     ///< number of upper order statistics used
  std::size_t n;     ///< sample size
};

/// A fitted peaks-over-threshold model.
struct pot_model {
  double threshold;            ///< u
  double exceedance_fraction;  ///< zeta = N_u / n
  std::size_t exceedances;     ///< N_u
  gpd_fit gpd;                 ///< GPD fit of the N_u excesses over u
};

namespace detail::models {

inline double gpd_log_likelihood(std::span<const double> y, double xi, double beta) noexcept {
  const auto n = static_cast<double>(y.size());
  double s = 0.0;
  if (std::fabs(xi) < 1e-12) {
    for (const double v : y) s += v;
    return -n * std::log(beta) - s / beta;
  }
  for (const double v : y) {
    const double t = 1.0 + xi * v / beta;
    if (!(t > 0.0)) return -std::numeric_limits<double>::infinity();
    s += std::log(t);
  }
  return -n * std::log(beta) - (1.0 + 1.0 / xi) * s;
}

/// PWM estimate on the excesses (sorted copy). Requires a non-empty sample with positive mean.
inline gpd_fit gpd_pwm(std::span<const double> y) {
  std::vector<double> sorted(y.begin(), y.end());
  std::sort(sorted.begin(), sorted.end());
  const auto n = static_cast<double>(sorted.size());
  double a0 = 0.0, a1 = 0.0;
  for (std::size_t j = 0; j < sorted.size(); ++j) {
    a0 += sorted[j];
    a1 += (1.0 - (static_cast<double>(j + 1) - 0.35) / n) * sorted[j];
  }
  a0 /= n;
  a1 /= n;
  const double d = a0 - 2.0 * a1;
  const double xi = 2.0 - a0 / d;
  const double beta = 2.0 * a0 * a1 / d;
  return {xi, beta, gpd_log_likelihood(y, xi, beta), 0, false, gpd_fit_method::probability_weighted_moments};
}

/// Profile log-likelihood at theta (Grimshaw); writes xi and beta.
inline double gpd_profile(std::span<const double> y, double theta, double mean, double& xi, double& beta) noexcept {
  const auto n = static_cast<double>(y.size());
  if (std::fabs(theta) * mean < 1e-10) {  // exponential limit
    xi = 0.0;
    beta = mean;
    return -n * std::log(mean) - n;
  }
  double s = 0.0;
  for (const double v : y) s += std::log1p(theta * v);
  xi = s / n;
  beta = xi / theta;
  if (!(beta > 0.0) || !std::isfinite(xi)) return -std::numeric_limits<double>::infinity();
  return -n * std::log(beta) - n * xi - n;
}

inline gpd_fit gpd_mle(std::span<const double> y, int max_iterations) {
  double mean = 0.0, ymax = 0.0;
  for (const double v : y) {
    mean += v;
    ymax = std::max(ymax, v);
  }
  mean /= static_cast<double>(y.size());
  auto negative = [&](double t) {
    double xi = 0.0, beta = 0.0;
    const double ll = gpd_profile(y, t / mean, mean, xi, beta);
    return std::isfinite(ll) ? -ll : std::numeric_limits<double>::max();
  };
  const double lo = -(1.0 - 1e-9) * mean / ymax;
  std::uintmax_t iterations = static_cast<std::uintmax_t>(max_iterations);
  const auto best = boost::math::tools::brent_find_minima(negative, lo, 1000.0, 40, iterations);
  double xi = 0.0, beta = 0.0;
  const double ll = gpd_profile(y, best.first / mean, mean, xi, beta);
  return {xi, beta, ll, static_cast<int>(iterations), iterations < static_cast<std::uintmax_t>(max_iterations),
          gpd_fit_method::maximum_likelihood};
}

inline gpd_fit gpd_fit_unscaled(std::span<const double> y, int max_iterations) {
  gpd_fit mle = gpd_mle(y, max_iterations);
  if (std::isfinite(mle.log_likelihood) && std::isfinite(mle.xi) && mle.xi >= -0.5 && mle.beta > 0.0) return mle;
  gpd_fit pwm = gpd_pwm(y);
  pwm.iterations = mle.iterations;
  return pwm;
}

/// The GPD fit is scale-equivariant (xi unchanged, beta proportional): excesses far from 1 (beyond 2^+-500,
/// where sums and the moments of the PWM would overflow or underflow) are fitted on a copy scaled by a
/// power of two (exact) and beta is scaled back; beta is +inf only when it is beyond the largest double.
inline gpd_fit gpd_fit_impl(std::span<const double> y, int max_iterations) {
  double m = 0.0;
  for (const double v : y) m = v > m ? v : m;
  const int e = std::ilogb(m);
  if (e > -500 && e < 500) return gpd_fit_unscaled(y, max_iterations);
  std::vector<double> scaled(y.size());
  for (std::size_t i = 0; i < y.size(); ++i) scaled[i] = std::ldexp(y[i], -e);
  gpd_fit f = gpd_fit_unscaled(scaled, max_iterations);
  f.beta = std::ldexp(f.beta, e);
  f.log_likelihood -= static_cast<double>(y.size()) * static_cast<double>(e) * std::numbers::ln2;
  return f;
}

template <error_policy Error>
bool check_excesses(const char* function, std::span<const double> y) noexcept(Error::is_noexcept) {
  if (!check_sample<Error>(function, "excesses", y, 10, "needs at least 10 excesses")) return false;
  double sum = 0.0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (y[i] < 0.0)
      return check<Error>(false, {error_kind::invalid_argument, function, "excesses", y[i], "must be >= 0",
                                  static_cast<long>(i)});
    sum += y[i];
  }
  return check<Error>(sum > 0.0, {error_kind::insufficient_data, function, "excesses", sum,
                                  "needs at least one positive excess"});
}

template <error_policy Error>
bool check_pot_args(const char* function, double u, double xi, double beta, double zeta, double p, bool need_es,
                    bool upper_tail_allowed) noexcept(Error::is_noexcept) {
  if (!(check_finite<Error>(function, "threshold", u) && check_finite<Error>(function, "xi", xi) &&
        check_finite_positive<Error>(function, "beta", beta) &&
        check<Error>(zeta > 0.0 && zeta <= 1.0,
                     {error_kind::invalid_argument, function, "exceedance_fraction", zeta, "must be in (0, 1]"}) &&
        check_tail_probability<Error>(function, "p", p, upper_tail_allowed)))
    return false;
  if (!check<Error>(p <= zeta, {error_kind::invalid_argument, function, "p", p,
                                "must be <= the exceedance fraction (the quantile must lie above the threshold)"}))
    return false;
  if (need_es)
    return check<Error>(xi < 1.0, {error_kind::invalid_argument, function, "xi", xi,
                                   "must be < 1 for the Expected Shortfall (the tail mean must exist)"});
  return true;
}

inline double pot_var_raw(double u, double xi, double beta, double zeta, double p) noexcept {
  const double r = std::log(zeta / p);  // >= 0
  const double growth = std::fabs(xi) < 1e-15 ? r : std::expm1(xi * r) / xi;
  return scaled_affine(u, beta, growth, 0);
}

inline double pot_es_raw(double var, double u, double xi, double beta) noexcept {
  // (VaR + beta - xi u) / (1 - xi), halved first so that the sum cannot overflow spuriously
  return std::ldexp((0.5 * var + 0.5 * beta - 0.5 * xi * u) / (1.0 - xi), 1);
}

/// Report a POT VaR/ES that is beyond the largest double on the caller's `argument`.
template <error_policy Error>
bool check_pot_result(const char* function, const char* argument, double value, double var,
                      double es) noexcept(Error::is_noexcept) {
  return check<Error>(std::isfinite(var) && std::isfinite(es),
                      {error_kind::invalid_argument, function, argument, value,
                       "gives a POT VaR/ES beyond the largest double"});
}

}  // namespace detail::models

/// Fit a GPD to threshold excesses (>= 0, at least 10, not all 0) by maximum likelihood, falling back to
/// probability-weighted moments (see file comment). O(n * iterations); allocates one sorted copy for the
/// fallback. NaN parameters under quiet_nan on bad input.
template <policy_bundle Policies = default_policies>
gpd_fit fit_gpd(std::span<const double> excesses, int max_iterations = 200) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  using detail::models::nan;
  if (!detail::models::check_excesses<on_error>("fit_gpd", excesses) ||
      !detail::check<on_error>(max_iterations > 0, {error_kind::invalid_argument, "fit_gpd", "max_iterations",
                                                    static_cast<double>(max_iterations), "must be > 0"}))
    return {nan, nan, nan, 0, false, gpd_fit_method::maximum_likelihood};
  return detail::models::gpd_fit_impl(excesses, max_iterations);
}

/// Probability-weighted-moment GPD estimate (Hosking-Wallis 1987). O(n log n). Errors as fit_gpd.
template <policy_bundle Policies = default_policies>
gpd_fit fit_gpd_pwm(std::span<const double> excesses) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  using detail::models::nan;
  if (!detail::models::check_excesses<on_error>("fit_gpd_pwm", excesses))
    return {nan, nan, nan, 0, false, gpd_fit_method::probability_weighted_moments};
  return detail::models::gpd_pwm(excesses);
}

/// POT VaR and ES: threshold u, GPD (xi, beta), exceedance fraction zeta = N_u/n, tail probability p <= zeta.
/// O(1). Errors: non-finite u or xi, beta <= 0, zeta outside (0, 1], p outside (0, 0.5] (see allow_upper_tail) or above
/// zeta, xi >= 1, a VaR/ES beyond the largest double (reported on 'beta').
template <policy_bundle Policies = default_policies>
var_es_result<double> pot_var_es(double threshold, double xi, double beta, double exceedance_fraction,
                                 double p) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  using detail::models::nan;
  if (!detail::models::check_pot_args<on_error>("pot_var_es", threshold, xi, beta, exceedance_fraction, p, true,
                                                upper_tail_allowed_v<Policies>))
    return {nan, nan};
  const double var = detail::models::pot_var_raw(threshold, xi, beta, exceedance_fraction, p);
  const double es = detail::models::pot_es_raw(var, threshold, xi, beta);
  if (!detail::models::check_pot_result<on_error>("pot_var_es", "beta", beta, var, es)) return {nan, nan};
  return {var, es};
}

/// POT VaR (any finite xi). O(1). Errors as pot_var_es except xi >= 1 is allowed.
template <policy_bundle Policies = default_policies>
double pot_var(double threshold, double xi, double beta, double exceedance_fraction, double p) noexcept(
    is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::models::check_pot_args<on_error>("pot_var", threshold, xi, beta, exceedance_fraction, p, false,
                                                upper_tail_allowed_v<Policies>))
    return detail::models::nan;
  const double var = detail::models::pot_var_raw(threshold, xi, beta, exceedance_fraction, p);
  if (!detail::models::check_pot_result<on_error>("pot_var", "beta", beta, var, 0.0)) return detail::models::nan;
  return var;
}

/// POT ES (xi < 1). O(1). Errors as pot_var_es.
template <policy_bundle Policies = default_policies>
double pot_es(double threshold, double xi, double beta, double exceedance_fraction, double p) noexcept(
    is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::models::check_pot_args<on_error>("pot_es", threshold, xi, beta, exceedance_fraction, p, true,
                                                upper_tail_allowed_v<Policies>))
    return detail::models::nan;
  const double var = detail::models::pot_var_raw(threshold, xi, beta, exceedance_fraction, p);
  const double es = detail::models::pot_es_raw(var, threshold, xi, beta);
  if (!detail::models::check_pot_result<on_error>("pot_es", "beta", beta, var, es)) return detail::models::nan;
  return es;
}

/// Hill estimator from the k largest of the losses: needs 1 <= k < n and X_(k+1) > 0. O(n) expected;
/// allocates one copy. Errors: empty/non-finite sample, k out of range, non-positive X_(k+1).
template <policy_bundle Policies = default_policies>
hill_result hill(std::span<const double> losses, std::size_t k) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  using detail::models::nan;
  constexpr const char* f = "hill";
  const hill_result bad{nan, nan, k, losses.size()};
  if (!detail::models::check_sample<on_error>(f, "losses", losses, 2, "needs at least 2 observations") ||
      !detail::check<on_error>(k >= 1 && k < losses.size(), {error_kind::invalid_argument, f, "k",
                                                             static_cast<double>(k), "must be in [1, n-1]"}))
    return bad;
  std::vector<double> x(losses.begin(), losses.end());
  const auto kk = static_cast<std::ptrdiff_t>(k);
  std::nth_element(x.begin(), x.begin() + kk, x.end(), std::greater<>());
  const double threshold = x[k];  // X_(k+1); x[0..k-1] are the k largest
  if (!detail::check<on_error>(threshold > 0.0, {error_kind::invalid_argument, f, "losses", threshold,
                                                 "the (k+1)-th largest loss must be > 0"}))
    return bad;
  double s = 0.0;
  for (std::size_t i = 0; i < k; ++i) s += std::log(x[i]);
  return {s / static_cast<double>(k) - std::log(threshold), threshold, k, losses.size()};
}

/// Weissman quantile X_(k+1) (k / (n p))^xi from a Hill estimate, tail probability p. O(1).
/// Errors: p outside (0, 0.5] (see allow_upper_tail), a NaN Hill result, a quantile beyond the largest double (reported
/// on 'p').
template <policy_bundle Policies = default_policies>
double weissman_quantile(const hill_result& h, double p) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::check_tail_probability<on_error>("weissman_quantile", "p", p, upper_tail_allowed_v<Policies>) ||
      !detail::check_finite<on_error>("weissman_quantile", "h.xi", h.xi))
    return detail::models::nan;
  const double q = h.threshold * std::pow(static_cast<double>(h.k) / (static_cast<double>(h.n) * p), h.xi);
  if (!detail::check<on_error>(std::isfinite(q), {error_kind::invalid_argument, "weissman_quantile", "p", p,
                                                  "is too small for this tail: the extrapolated quantile is "
                                                  "beyond the largest double"}))
    return detail::models::nan;
  return q;
}

/// Peaks-over-threshold estimator: the threshold u is the (k+1)-th largest loss with
/// k = ceil(n * tail_fraction) exceedances (default 10%), the k excesses X_(i) - u are fitted by `fit_gpd`,
/// and VaR/ES follow from the POT closed forms with zeta = k/n. Satisfies `risk_estimator`.
/// Needs k >= 10 and k < n, p <= k/n, fitted xi < 1 for ES. Allocates a copy of the sample.
template <policy_bundle Policies = default_policies>
class pot_estimator {
 public:
  pot_estimator() = default;
  /// Fraction of the sample used as exceedances, in (0, 1) (default 0.1), checked at use.
  explicit pot_estimator(double tail_fraction) noexcept : m_tail_fraction(tail_fraction) {}

  /// The exceedance fraction.
  double tail_fraction() const noexcept { return m_tail_fraction; }

  /// Threshold, exceedance fraction and GPD fit; NaNs under quiet_nan on bad input.
  pot_model fit(std::span<const double> losses) const noexcept(is_noexcept_v<Policies>) {
    return fit_impl("pot_estimator::fit", losses);
  }

  /// VaR and ES of `losses` (positive = loss) at tail probability `p` in (0, 1), e.g. 0.01 for 99%.
  /// Errors (p outside (0, 1), a bad or too short sample) through `Policies::error`; NaNs under `quiet_nan`.
  var_es_result<double> var_es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return eval("pot_estimator::var_es", losses, p, true);
  }
  /// VaR only; as `var_es`.
  double var(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return eval("pot_estimator::var", losses, p, false).var;
  }
  /// ES only; as `var_es`.
  double es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return eval("pot_estimator::es", losses, p, true).es;
  }

 private:
  double m_tail_fraction = 0.1;

  var_es_result<double> eval(const char* function, std::span<const double> losses, double p, bool need_es) const
      noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    using detail::models::nan;
    if (!detail::check_tail_probability<on_error>(function, "p", p, upper_tail_allowed_v<Policies>)) return {nan, nan};
    const pot_model m = fit_impl(function, losses);
    if (std::isnan(m.gpd.xi)) return {nan, nan};
    // The fitted parameters are not the caller's arguments: problems with them are reported on
    // 'losses' (or on 'p', which the caller passed).
    if (!detail::check<on_error>(std::isfinite(m.gpd.xi) && std::isfinite(m.gpd.beta) && m.gpd.beta > 0.0,
                                 {error_kind::invalid_argument, function, "losses", m.gpd.beta,
                                  "give a fitted GPD scale beta that is not a finite positive double (value: beta)"}) ||
        !detail::check<on_error>(p <= m.exceedance_fraction,
                                 {error_kind::invalid_argument, function, "p", p,
                                  "must be <= the exceedance fraction ceil(n * tail_fraction) / n (the quantile "
                                  "must lie above the threshold)"}) ||
        (need_es && !detail::check<on_error>(m.gpd.xi < 1.0, {error_kind::insufficient_data, function, "losses",
                                                              m.gpd.xi,
                                                              "give a fitted tail index xi >= 1: the Expected "
                                                              "Shortfall does not exist (value: xi)"})))
      return {nan, nan};
    const double var =
        detail::models::pot_var_raw(m.threshold, m.gpd.xi, m.gpd.beta, m.exceedance_fraction, p);
    const double es = need_es ? detail::models::pot_es_raw(var, m.threshold, m.gpd.xi, m.gpd.beta) : 0.0;
    if (!detail::models::check_pot_result<on_error>(function, "losses", m.gpd.beta, var, es)) return {nan, nan};
    return {var, need_es ? es : nan};
  }

  pot_model fit_impl(const char* function, std::span<const double> losses) const noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    using detail::models::nan;
    const pot_model bad{nan, nan, 0, {nan, nan, nan, 0, false, gpd_fit_method::maximum_likelihood}};
    if (!detail::check<on_error>(m_tail_fraction > 0.0 && m_tail_fraction < 1.0,
                                 {error_kind::invalid_argument, function, "tail_fraction", m_tail_fraction,
                                  "must be in the open interval (0, 1)"}) ||
        !detail::models::check_sample<on_error>(function, "losses", losses, 11, "needs at least 11 observations"))
      return bad;
    const double n = static_cast<double>(losses.size());
    const auto k = static_cast<std::size_t>(std::ceil(n * m_tail_fraction - 1e-9));
    if (!detail::check<on_error>(k >= 10 && k < losses.size(),
                                 {error_kind::insufficient_data, function, "losses", n,
                                  "needs ceil(n * tail_fraction) >= 10 exceedances and fewer than n"}))
      return bad;
    std::vector<double> x(losses.begin(), losses.end());
    std::nth_element(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(k), x.end(), std::greater<>());
    const double u = x[k];
    x.resize(k);
    for (double& v : x) v -= u;
    for (std::size_t i = 0; i < k; ++i)
      if (!detail::check<on_error>(std::isfinite(x[i]), {error_kind::invalid_argument, function, "losses", u,
                                                         "span more than the largest double (an excess over the "
                                                         "threshold overflows; value: threshold)"}))
        return bad;
    double sum = 0.0;
    for (const double v : x) sum += v;
    if (!detail::check<on_error>(sum > 0.0, {error_kind::insufficient_data, function, "losses", sum,
                                             "needs losses above the threshold (the tail is constant)"}))
      return bad;
    return {u, static_cast<double>(k) / n, k, detail::models::gpd_fit_impl(x, 200)};
  }
};

static_assert(risk_estimator<pot_estimator<>>);

TIERMARGIN_NAMESPACE_END
