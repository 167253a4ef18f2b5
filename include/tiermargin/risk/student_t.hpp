// SPDX-License-Identifier: BSL-1.0
/// @file student_t.hpp  Location-scale Student-t VaR/ES: closed forms and a maximum-likelihood estimator
/// that fits location, scale AND degrees of freedom.
///
/// Parameterisation: L = mu + s * T with T standard t_nu. `scale` s is NOT the standard deviation:
/// sd = s * sqrt(nu / (nu - 2)) for nu > 2 (`student_t_scale_from_sd` converts). With q = t_nu^{-1}(1 - p):
///   VaR_p = mu + s q,   ES_p = mu + s * g_nu(q) / p * (nu + q^2) / (nu - 1)   (nu > 1)
/// (McNeil-Frey-Embrechts QRM p.45, QRMlib ESst; risk.md section 4). The "unit-variance" t of risk.md is
/// s = sqrt((nu - 2) / nu).
///
/// Fit (profile likelihood): for a fixed nu the location/scale MLE is found by the parameter-expanded EM
/// iteration of Kent, Tyler & Vardi (1994): w_i = (nu + 1) / (nu + d_i^2), d_i = (x_i - mu)/s,
/// mu = sum w x / sum w, s^2 = sum w (x - mu)^2 / sum w (same fixed point as plain EM, since sum w = n at
/// the MLE, and faster). The profile log-likelihood is then maximised over log(nu) in [min_dof, max_dof]
/// by Brent's bracketed 1-D method (boost::math::tools::brent_find_minima). Convergence is reported by
/// value in `student_t_fit`, never by an error.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>

#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/minima.hpp>

#include "../core/boost_policy.hpp"
#include "../core/check.hpp"
#include "../core/policies.hpp"
#include "detail/model_common.hpp"
#include "estimator.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Result of a Student-t maximum-likelihood fit, with its convergence diagnostics.
struct student_t_fit {
  double location;
  double scale;           ///< t scale s (not the standard deviation)
  double dof;             ///< degrees of freedom nu
  double log_likelihood;  ///< at the reported parameters
  int iterations;         ///< outer (nu) iterations; inner EM iterations are not counted
  bool converged;         ///< outer and every inner iteration met its tolerance
  bool dof_at_bound;      ///< nu ended within 1e-4 (relative) of min_dof or max_dof: the MLE may lie outside
  /// Standard deviation s * sqrt(nu / (nu - 2)); +inf for nu <= 2.
  double sd() const noexcept {
    return dof > 2.0 ? scale * std::sqrt(dof / (dof - 2.0)) : std::numeric_limits<double>::infinity();
  }
};

/// Options of the fit. `fixed_dof > 0` fixes nu and fits location and scale only.
struct student_t_fit_options {
  double fixed_dof = 0.0;
  double min_dof = 1.0;
  double max_dof = 1000.0;
  int max_iterations = 200;  ///< for the outer Brent search and for each inner EM
};

namespace detail::models {

template <error_policy Error>
bool check_t_args(const char* function, double mu, double scale, double dof, double p,
                  bool need_mean) noexcept(Error::is_noexcept) {
  if (!(check_finite<Error>(function, "location", mu) && check_finite_positive<Error>(function, "scale", scale) &&
        check_finite_positive<Error>(function, "dof", dof) && check_probability<Error>(function, "p", p)))
    return false;
  if (need_mean)
    return check<Error>(dof > 1.0, {error_kind::invalid_argument, function, "dof", dof,
                                    "must be > 1 for the Expected Shortfall (the mean must exist)"});
  return true;
}

/// Standard t_nu: {q = t^{-1}(1 - p), ES of the standard t} (ES only meaningful for nu > 1).
inline var_es_result<double> standard_t_tail(double dof, double p) noexcept {
  const boost::math::students_t_distribution<double, boost_math_policy> t(dof);
  const double q = quantile(complement(t, p));
  const double es = dof > 1.0 ? pdf(t, q) / p * (dof + q * q) / (dof - 1.0) : nan;
  return {q, es};
}

inline double t_log_likelihood(std::span<const double> x, double mu, double s, double nu) noexcept {
  const auto n = static_cast<double>(x.size());
  const boost_math_policy pol;
  double sum = 0.0;
  for (const double v : x) {
    const double d = (v - mu) / s;
    sum += std::log1p(d * d / nu);
  }
  return n * (boost::math::lgamma((nu + 1.0) / 2.0, pol) - boost::math::lgamma(nu / 2.0, pol) -
              0.5 * std::log(nu * std::numbers::pi) - std::log(s)) -
         (nu + 1.0) / 2.0 * sum;
}

struct t_location_scale {
  double mu;
  double s;
  bool converged;
};

/// Location/scale MLE for fixed nu by the Kent-Tyler-Vardi EM iteration, started at (mu0, s0).
inline t_location_scale t_em(std::span<const double> x, double nu, double mu0, double s0, int max_iter) noexcept {
  double mu = mu0;
  double s2 = s0 * s0;
  for (int it = 0; it < max_iter; ++it) {
    double sw = 0.0, swx = 0.0;
    for (const double v : x) {
      const double d = v - mu;
      const double w = (nu + 1.0) / (nu + d * d / s2);
      sw += w;
      swx += w * v;
    }
    const double mu_new = swx / sw;
    double swr = 0.0;
    for (const double v : x) {
      const double d = v - mu;
      const double w = (nu + 1.0) / (nu + d * d / s2);
      const double r = v - mu_new;
      swr += w * r * r;
    }
    const double s2_new = swr / sw;
    const bool done = std::fabs(mu_new - mu) <= 1e-12 * std::sqrt(s2_new) + 1e-300 &&
                      std::fabs(s2_new - s2) <= 1e-12 * s2_new;
    mu = mu_new;
    s2 = s2_new;
    if (done) return {mu, std::sqrt(s2), true};
  }
  return {mu, std::sqrt(s2), false};
}

}  // namespace detail::models

/// Student-t VaR and ES at tail probability p. O(1). Errors: non-finite location, scale <= 0, dof <= 0,
/// p outside (0, 1), dof <= 1 (the ES needs a finite mean).
template <policy_bundle Policies = default_policies>
var_es_result<double> student_t_var_es(double location, double scale, double dof, double p) noexcept(
    is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::models::check_t_args<on_error>("student_t_var_es", location, scale, dof, p, true))
    return {detail::models::nan, detail::models::nan};
  const auto t = detail::models::standard_t_tail(dof, p);
  return {location + scale * t.var, location + scale * t.es};
}

/// Student-t VaR mu + s * t_nu^{-1}(1 - p). O(1). Errors: as student_t_var_es except that any dof > 0 works.
template <policy_bundle Policies = default_policies>
double student_t_var(double location, double scale, double dof, double p) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::models::check_t_args<on_error>("student_t_var", location, scale, dof, p, false))
    return detail::models::nan;
  return location + scale * detail::models::standard_t_tail(dof, p).var;
}

/// Student-t ES. O(1). Errors as student_t_var_es (dof <= 1 is an error).
template <policy_bundle Policies = default_policies>
double student_t_es(double location, double scale, double dof, double p) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::models::check_t_args<on_error>("student_t_es", location, scale, dof, p, true))
    return detail::models::nan;
  return location + scale * detail::models::standard_t_tail(dof, p).es;
}

/// The t scale s that gives standard deviation `sd` at `dof` > 2: s = sd * sqrt((nu - 2) / nu).
template <policy_bundle Policies = default_policies>
double student_t_scale_from_sd(double sd, double dof) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::check_finite_positive<on_error>("student_t_scale_from_sd", "sd", sd)) return detail::models::nan;
  if (!detail::check<on_error>(std::isfinite(dof) && dof > 2.0,
                               {error_kind::invalid_argument, "student_t_scale_from_sd", "dof", dof,
                                "must be finite and > 2 (the variance must exist)"}))
    return detail::models::nan;
  return sd * std::sqrt((dof - 2.0) / dof);
}

/// Student-t estimator: maximum-likelihood fit of location, scale and dof (see the file comment), then
/// the closed forms. Satisfies `risk_estimator`. O(n * EM iterations * Brent iterations); allocation-free.
/// Needs at least 10 finite observations with non-zero spread; options are validated at use
/// (0 < min_dof < max_dof finite; fixed_dof >= 0).
template <policy_bundle Policies = default_policies>
class student_t_estimator {
 public:
  student_t_estimator() = default;
  explicit student_t_estimator(student_t_fit_options options) noexcept : m_options(options) {}

  const student_t_fit_options& options() const noexcept { return m_options; }

  /// Maximum-likelihood fit with diagnostics; all-NaN parameters under quiet_nan on bad input.
  student_t_fit fit(std::span<const double> losses) const noexcept(is_noexcept_v<Policies>) {
    return fit_impl("student_t_estimator::fit", losses);
  }

  var_es_result<double> var_es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    constexpr const char* function = "student_t_estimator::var_es";
    if (!detail::check_probability<on_error>(function, "p", p)) return {detail::models::nan, detail::models::nan};
    const student_t_fit f = fit_impl(function, losses);
    if (std::isnan(f.scale)) return {detail::models::nan, detail::models::nan};
    if (!detail::check<on_error>(f.dof > 1.0, {error_kind::insufficient_data, function, "losses", f.dof,
                                               "fitted dof must be > 1 for the Expected Shortfall"}))
      return {detail::models::nan, detail::models::nan};
    const auto t = detail::models::standard_t_tail(f.dof, p);
    return {f.location + f.scale * t.var, f.location + f.scale * t.es};
  }
  double var(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    constexpr const char* function = "student_t_estimator::var";
    if (!detail::check_probability<on_error>(function, "p", p)) return detail::models::nan;
    const student_t_fit f = fit_impl(function, losses);
    if (std::isnan(f.scale)) return detail::models::nan;
    return f.location + f.scale * detail::models::standard_t_tail(f.dof, p).var;
  }
  double es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return var_es(losses, p).es;
  }

 private:
  student_t_fit_options m_options{};

  student_t_fit fit_impl(const char* function, std::span<const double> x) const noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    using detail::models::nan;
    const student_t_fit bad{nan, nan, nan, nan, 0, false, false};
    const auto& o = m_options;
    if (!detail::check<on_error>(std::isfinite(o.fixed_dof) && o.fixed_dof >= 0.0,
                                 {error_kind::invalid_argument, function, "options.fixed_dof", o.fixed_dof,
                                  "must be finite and >= 0 (0 estimates the dof)"}) ||
        !detail::check<on_error>(o.min_dof > 0.0 && o.max_dof > o.min_dof && std::isfinite(o.max_dof),
                                 {error_kind::invalid_argument, function, "options.min_dof", o.min_dof,
                                  "must satisfy 0 < min_dof < max_dof < inf"}) ||
        !detail::check<on_error>(o.max_iterations > 0, {error_kind::invalid_argument, function,
                                                        "options.max_iterations",
                                                        static_cast<double>(o.max_iterations), "must be > 0"}))
      return bad;
    if (!detail::models::check_sample<on_error>(function, "losses", x, 10, "needs at least 10 observations"))
      return bad;
    const auto start = detail::models::sample_mean_sd(x);
    if (!detail::check<on_error>(start.sd > 0.0, {error_kind::insufficient_data, function, "losses", start.sd,
                                                  "needs at least 2 distinct values (standard deviation is 0)"}))
      return bad;

    if (o.fixed_dof > 0.0) {
      const auto ls = detail::models::t_em(x, o.fixed_dof, start.mean, start.sd, o.max_iterations);
      return {ls.mu, ls.s, o.fixed_dof, detail::models::t_log_likelihood(x, ls.mu, ls.s, o.fixed_dof), 0,
              ls.converged, false};
    }
    bool inner_ok = true;
    const int max_iter = o.max_iterations;
    auto negative_profile = [&](double log_nu) {
      const double nu = std::exp(log_nu);
      const auto ls = detail::models::t_em(x, nu, start.mean, start.sd, max_iter);
      inner_ok = inner_ok && ls.converged;
      const double ll = detail::models::t_log_likelihood(x, ls.mu, ls.s, nu);
      return std::isfinite(ll) ? -ll : std::numeric_limits<double>::max();
    };
    std::uintmax_t iterations = static_cast<std::uintmax_t>(max_iter);
    const auto best = boost::math::tools::brent_find_minima(negative_profile, std::log(o.min_dof),
                                                            std::log(o.max_dof), 30, iterations);
    const double nu = std::exp(best.first);
    const auto ls = detail::models::t_em(x, nu, start.mean, start.sd, max_iter);
    const bool at_bound = nu <= o.min_dof * (1.0 + 1e-4) || nu >= o.max_dof * (1.0 - 1e-4);
    return {ls.mu,
            ls.s,
            nu,
            detail::models::t_log_likelihood(x, ls.mu, ls.s, nu),
            static_cast<int>(iterations),
            inner_ok && ls.converged && iterations < static_cast<std::uintmax_t>(max_iter),
            at_bound};
  }
};

static_assert(risk_estimator<student_t_estimator<>>);

TIERMARGIN_NAMESPACE_END
