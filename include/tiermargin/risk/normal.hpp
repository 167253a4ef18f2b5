// SPDX-License-Identifier: BSL-1.0
/// @file normal.hpp  Parametric normal VaR/ES: closed forms on (mu, sigma, p) and an estimator that fits
/// the location and scale from a sample of losses.
///
/// Loss L ~ N(mu, sigma^2), tail probability p, z = Phi^{-1}(1 - p):
///   VaR_p = mu + sigma * z,   ES_p = mu + sigma * phi(z) / p   (docs/risk.md section 4, QRMlib ESnorm).
/// The estimator fits mu = sample mean and sigma = sample standard deviation with the n-1 divisor by default
/// (QuantLib's gaussianValueAtRisk convention); `variance_convention::population` gives PerformanceAnalytics'
/// univariate "gaussian" (n divisor, a relative difference of sqrt(n/(n-1)) - 1 in the sigma term).
#pragma once

#include <cmath>
#include <cstddef>
#include <span>

#include <boost/math/distributions/normal.hpp>

#include "../core/boost_policy.hpp"
#include "../core/check.hpp"
#include "../core/policies.hpp"
#include "detail/model_common.hpp"
#include "estimator.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Location and scale of a normal loss distribution.
struct normal_params {
  double mean;  ///< mean loss
  double sd;    ///< standard deviation (n-1 divisor when fitted)
};

namespace detail::models {
/// z = Phi^{-1}(1 - p) and phi(z), computed from the complement so that small p keeps full accuracy.
inline var_es_result<double> standard_normal_tail(double p) noexcept {
  const boost::math::normal_distribution<double, boost_math_policy> standard(0.0, 1.0);
  const double z = quantile(complement(standard, p));
  return {z, pdf(standard, z) / p};
}

template <error_policy Error>
bool check_normal_args(const char* function, double mu, double sigma, double p,
                       bool upper_tail_allowed) noexcept(Error::is_noexcept) {
  return check_finite<Error>(function, "mu", mu) && check_finite_positive<Error>(function, "sigma", sigma) &&
         check_tail_probability<Error>(function, "p", p, upper_tail_allowed);
}

/// The closed forms at (mu, sigma): both figures, or an error naming `sigma` when one of them is beyond
/// the largest double (z <= 38.5 for every double p, so only a huge sigma or mu can overflow).
template <error_policy Error>
var_es_result<double> normal_closed_form(const char* function, double mu, double sigma,
                                         double p) noexcept(Error::is_noexcept) {
  const auto t = standard_normal_tail(p);
  const var_es_result<double> r{scaled_affine(mu, sigma, t.var, 0), scaled_affine(mu, sigma, t.es, 0)};
  if (!check<Error>(std::isfinite(r.var) && std::isfinite(r.es),
                    {error_kind::invalid_argument, function, "sigma", sigma,
                     "is too large: the VaR/ES mu + sigma * z is beyond the largest double"}))
    return {nan, nan};
  return r;
}
}  // namespace detail::models

/// Normal VaR and ES at tail probability p of a loss with mean `mu` and standard deviation `sigma`.
/// O(1). Errors: non-finite mu, sigma <= 0 or non-finite, p outside (0, 0.5] (see allow_upper_tail), a VaR or ES beyond
/// the largest double (reported on 'sigma'; normal_var and normal_es report it alike).
template <policy_bundle Policies = default_policies>
var_es_result<double> normal_var_es(double mu, double sigma, double p) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::models::check_normal_args<on_error>("normal_var_es", mu, sigma, p, upper_tail_allowed_v<Policies>))
    return {detail::models::nan, detail::models::nan};
  return detail::models::normal_closed_form<on_error>("normal_var_es", mu, sigma, p);
}

/// Normal VaR mu + sigma * Phi^{-1}(1 - p). O(1). Errors as normal_var_es.
template <policy_bundle Policies = default_policies>
double normal_var(double mu, double sigma, double p) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::models::check_normal_args<on_error>("normal_var", mu, sigma, p, upper_tail_allowed_v<Policies>))
    return detail::models::nan;
  return detail::models::normal_closed_form<on_error>("normal_var", mu, sigma, p).var;
}

/// Normal ES mu + sigma * phi(z) / p. O(1). Errors as normal_var_es.
template <policy_bundle Policies = default_policies>
double normal_es(double mu, double sigma, double p) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::models::check_normal_args<on_error>("normal_es", mu, sigma, p, upper_tail_allowed_v<Policies>))
    return detail::models::nan;
  return detail::models::normal_closed_form<on_error>("normal_es", mu, sigma, p).es;
}

/// Parametric normal estimator: fits mean and sd (n-1 divisor by default, see variance_convention) to the
/// losses, then applies the closed forms. Satisfies `risk_estimator`. O(n), no allocation. Needs at least 2 observations, all finite,
/// not all equal (a zero standard deviation is reported as insufficient_data). Moments are taken on the
/// sample scaled by a power of two, so losses near 1e-170 or 1e308 fit; a fitted sd or VaR/ES beyond the
/// largest double is an invalid_argument on 'losses'.
template <policy_bundle Policies = default_policies>
class normal_estimator {
 public:
  normal_estimator() = default;
  /// An estimator whose sd uses the divisor of `variance` (n - 1 for `sample`, the default; n for
  /// `population`). O(1).
  explicit normal_estimator(variance_convention variance) noexcept : m_variance(variance) {}

  /// The variance divisor in use.
  [[nodiscard]] variance_convention variance() const noexcept { return m_variance; }

  /// Sample mean and standard deviation (divisor per variance()); NaNs under quiet_nan on bad input.
  normal_params fit(std::span<const double> losses) const noexcept(is_noexcept_v<Policies>) {
    return fit_impl("normal_estimator::fit", losses);
  }

  /// VaR and ES of `losses` (positive = loss) at tail probability `p` in (0, 1), e.g. 0.01 for 99%.
  /// Errors (p outside (0, 1), a bad or too short sample) through `Policies::error`; NaNs under `quiet_nan`.
  var_es_result<double> var_es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate("normal_estimator::var_es", losses, p);
  }
  /// VaR only; as `var_es`.
  double var(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate("normal_estimator::var", losses, p).var;
  }
  /// ES only; as `var_es`.
  double es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate("normal_estimator::es", losses, p).es;
  }

 private:
  variance_convention m_variance = variance_convention::sample;

  double ddof() const noexcept { return m_variance == variance_convention::sample ? 1.0 : 0.0; }

  var_es_result<double> evaluate(const char* function, std::span<const double> losses, double p) const
      noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    if (!detail::check_tail_probability<on_error>(function, "p", p, upper_tail_allowed_v<Policies>))
      return {detail::models::nan, detail::models::nan};
    if (!detail::models::check_sample<on_error>(function, "losses", losses, 2, "needs at least 2 observations"))
      return {detail::models::nan, detail::models::nan};
    const auto f = detail::models::sample_mean_sd(losses, ddof());
    if (!check_spread(function, f)) return {detail::models::nan, detail::models::nan};
    // Closed forms in the sample's scale, then back: finite whenever the true VaR/ES is.
    const auto t = detail::models::standard_normal_tail(p);
    const var_es_result<double> r{detail::models::scaled_affine(f.mean, f.sd, t.var, f.exponent),
                                  detail::models::scaled_affine(f.mean, f.sd, t.es, f.exponent)};
    if (!detail::check<on_error>(std::isfinite(r.var) && std::isfinite(r.es),
                                 {error_kind::invalid_argument, function, "losses", std::ldexp(f.sd, f.exponent),
                                  "are too spread: the fitted VaR/ES mean + sd * z is beyond the largest double "
                                  "(value: fitted sd)"}))
      return {detail::models::nan, detail::models::nan};
    return r;
  }

  normal_params fit_impl(const char* function, std::span<const double> losses) const
      noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    if (!detail::models::check_sample<on_error>(function, "losses", losses, 2, "needs at least 2 observations"))
      return {detail::models::nan, detail::models::nan};
    const auto f = detail::models::sample_mean_sd(losses, ddof());
    if (!check_spread(function, f)) return {detail::models::nan, detail::models::nan};
    const normal_params r{std::ldexp(f.mean, f.exponent), std::ldexp(f.sd, f.exponent)};
    if (!detail::check<on_error>(std::isfinite(r.sd), {error_kind::invalid_argument, function, "losses", r.sd,
                                                       "are too spread: the standard deviation is beyond the "
                                                       "largest double"}))
      return {detail::models::nan, detail::models::nan};
    return r;
  }

  static bool check_spread(const char* function, const detail::models::mean_sd& f) noexcept(
      is_noexcept_v<Policies>) {
    return detail::check<typename Policies::error>(
        f.sd > 0.0, {error_kind::insufficient_data, function, "losses", 0.0,
                     "needs at least 2 distinct values (standard deviation is 0)"});
  }
};

static_assert(risk_estimator<normal_estimator<>>);

TIERMARGIN_NAMESPACE_END
