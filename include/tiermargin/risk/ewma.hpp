// SPDX-License-Identifier: BSL-1.0
/// @file ewma.hpp  RiskMetrics EWMA volatility and filtered historical simulation (Hull-White scaling).
///
/// EWMA (RiskMetrics Technical Document 1996; risk.md section 4), zero mean:
///   sigma_1^2 = initial variance,  sigma_{i+1}^2 = lambda sigma_i^2 + (1 - lambda) x_i^2,
/// so sigma_i is the forecast for observation i made before seeing it, and sigma_T = sigma_{n+1} is the
/// current forecast. The recursion works on returns or losses alike (only squares enter).
/// Initialisation: an explicit `initial_variance` > 0, or 0 (the default) for the mean of the squared
/// observations over the whole sample (zero-mean sample variance); the seed weighs lambda^n and is
/// immaterial after a few hundred observations at lambda = 0.94 (0.94^250 = 2e-7).
///
/// Filtered historical simulation (Hull & White 1998; Barone-Adesi et al. 1999): x*_i = x_i sigma_T/sigma_i,
/// then the empirical VaR/ES of the rescaled losses (k = ceil(n p)-th largest loss; Acerbi-Tasche ES).
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "../core/boost_policy.hpp"
#include "../core/check.hpp"
#include "../core/policies.hpp"
#include "detail/model_common.hpp"
#include "estimator.hpp"
#include "historical.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace detail::models {
template <error_policy Error>
bool check_ewma_args(const char* function, std::span<const double> x, double lambda,
                     double initial_variance) noexcept(Error::is_noexcept) {
  return check<Error>(lambda > 0.0 && lambda < 1.0, {error_kind::invalid_argument, function, "lambda", lambda,
                                                     "must be in the open interval (0, 1)"}) &&
         check<Error>(std::isfinite(initial_variance) && initial_variance >= 0.0,
                      {error_kind::invalid_argument, function, "initial_variance", initial_variance,
                       "must be finite and >= 0 (0 selects the sample mean square)"}) &&
         check_sample<Error>(function, "x", x, 1, "needs at least 1 observation");
}

/// The seed actually used: `initial_variance`, or the mean square of x when it is 0.
inline double ewma_seed(std::span<const double> x, double initial_variance) noexcept {
  if (initial_variance > 0.0) return initial_variance;
  double s = 0.0;
  for (const double v : x) s += v * v;
  return s / static_cast<double>(x.size());
}

template <error_policy Error>
bool check_seed(const char* function, double seed) noexcept(Error::is_noexcept) {
  return check<Error>(seed > 0.0, {error_kind::insufficient_data, function, "x", seed,
                                   "needs a non-zero observation or a positive initial_variance"});
}
}  // namespace detail::models

/// EWMA variance forecasts: writes sigma_i^2 (the forecast made before x_i) to `forecasts[i]` and returns
/// the current forecast sigma_T^2 after the last observation. O(n), no allocation.
/// Errors: lambda outside (0, 1), initial_variance < 0 or non-finite, empty or non-finite x, all-zero x
/// with initial_variance 0, forecasts.size() != x.size().
template <policy_bundle Policies = default_policies>
double ewma_variance(std::span<const double> x, double lambda, double initial_variance,
                     std::span<double> forecasts) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  constexpr const char* f = "ewma_variance";
  if (!detail::models::check_ewma_args<on_error>(f, x, lambda, initial_variance)) return detail::models::nan;
  if (!detail::check<on_error>(forecasts.size() == x.size(),
                               {error_kind::invalid_argument, f, "forecasts",
                                static_cast<double>(forecasts.size()), "must have the size of x"}))
    return detail::models::nan;
  double v = detail::models::ewma_seed(x, initial_variance);
  if (!detail::models::check_seed<on_error>(f, v)) return detail::models::nan;
  for (std::size_t i = 0; i < x.size(); ++i) {
    forecasts[i] = v;
    v = lambda * v + (1.0 - lambda) * x[i] * x[i];
  }
  return v;
}

/// Current EWMA volatility sigma_T (square root of the forecast after the last observation). O(n).
/// Errors as ewma_variance.
template <policy_bundle Policies = default_policies>
double ewma_volatility(std::span<const double> x, double lambda, double initial_variance = 0.0) noexcept(
    is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  constexpr const char* f = "ewma_volatility";
  if (!detail::models::check_ewma_args<on_error>(f, x, lambda, initial_variance)) return detail::models::nan;
  double v = detail::models::ewma_seed(x, initial_variance);
  if (!detail::models::check_seed<on_error>(f, v)) return detail::models::nan;
  for (const double xi : x) v = lambda * v + (1.0 - lambda) * xi * xi;
  return std::sqrt(v);
}

/// Hull-White volatility-scaled observations x_i * sigma_T / sigma_i written to `out` (same size as x).
/// Returns sigma_T. O(n), no allocation. Errors as ewma_variance (`out` plays the role of forecasts).
template <policy_bundle Policies = default_policies>
double hull_white_scale(std::span<const double> x, double lambda, double initial_variance,
                        std::span<double> out) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  constexpr const char* f = "hull_white_scale";
  if (!detail::models::check_ewma_args<on_error>(f, x, lambda, initial_variance)) return detail::models::nan;
  if (!detail::check<on_error>(out.size() == x.size(), {error_kind::invalid_argument, f, "out",
                                                        static_cast<double>(out.size()), "must have the size of x"}))
    return detail::models::nan;
  double v = detail::models::ewma_seed(x, initial_variance);
  if (!detail::models::check_seed<on_error>(f, v)) return detail::models::nan;
  for (std::size_t i = 0; i < x.size(); ++i) {
    out[i] = x[i] / std::sqrt(v);  // standardized residual
    v = lambda * v + (1.0 - lambda) * x[i] * x[i];
  }
  const double sigma_t = std::sqrt(v);
  for (double& o : out) o *= sigma_t;
  return sigma_t;
}

/// RiskMetrics estimator: zero-mean normal losses with the current EWMA volatility,
/// VaR = sigma_T z, ES = sigma_T phi(z)/p, z = Phi^{-1}(1 - p). Satisfies `risk_estimator`. O(n),
/// allocation-free. Constructor: lambda (default 0.94, the RiskMetrics daily value) and initial variance
/// (0 = sample mean square), validated at use.
template <policy_bundle Policies = default_policies>
class ewma_estimator {
 public:
  ewma_estimator() = default;
  explicit ewma_estimator(double lambda, double initial_variance = 0.0) noexcept
      : m_lambda(lambda), m_initial_variance(initial_variance) {}

  double lambda() const noexcept { return m_lambda; }
  double initial_variance() const noexcept { return m_initial_variance; }

  var_es_result<double> var_es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    using detail::models::nan;
    constexpr const char* f = "ewma_estimator::var_es";
    if (!detail::check_probability<on_error>(f, "p", p) ||
        !detail::models::check_ewma_args<on_error>(f, losses, m_lambda, m_initial_variance))
      return {nan, nan};
    double v = detail::models::ewma_seed(losses, m_initial_variance);
    if (!detail::models::check_seed<on_error>(f, v)) return {nan, nan};
    for (const double x : losses) v = m_lambda * v + (1.0 - m_lambda) * x * x;
    const double sigma = std::sqrt(v);
    const boost::math::normal_distribution<double, boost_math_policy> standard(0.0, 1.0);
    const double z = quantile(complement(standard, p));
    return {sigma * z, sigma * pdf(standard, z) / p};
  }
  double var(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return var_es(losses, p).var;
  }
  double es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return var_es(losses, p).es;
  }

 private:
  double m_lambda = 0.94;
  double m_initial_variance = 0.0;
};

/// Filtered historical simulation: `historical<Policies>` VaR/ES (same quantile type and conventions) of
/// the Hull-White rescaled losses; needs n p >= 1. Satisfies `risk_estimator`. O(n) expected; allocates
/// one buffer of n doubles per call (use `hull_white_scale` with your own buffer to avoid it).
template <policy_bundle Policies = default_policies>
class filtered_historical_estimator {
 public:
  filtered_historical_estimator() = default;
  explicit filtered_historical_estimator(double lambda, double initial_variance = 0.0) noexcept
      : m_lambda(lambda), m_initial_variance(initial_variance) {}

  double lambda() const noexcept { return m_lambda; }
  double initial_variance() const noexcept { return m_initial_variance; }

  var_es_result<double> var_es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    using detail::models::nan;
    constexpr const char* f = "filtered_historical_estimator::var_es";
    if (!detail::check_probability<on_error>(f, "p", p) ||
        !detail::models::check_ewma_args<on_error>(f, losses, m_lambda, m_initial_variance))
      return {nan, nan};
    if (!detail::check<on_error>(static_cast<double>(losses.size()) * p >= 1.0 - 1e-9,
                                 {error_kind::insufficient_data, f, "losses", static_cast<double>(losses.size()),
                                  "needs at least ceil(1/p) observations (n p >= 1)"}))
      return {nan, nan};
    const double seed = detail::models::ewma_seed(losses, m_initial_variance);
    if (!detail::models::check_seed<on_error>(f, seed)) return {nan, nan};
    std::vector<double> scaled(losses.size());
    hull_white_scale<Policies>(losses, m_lambda, seed, scaled);
    return historical<Policies>{}.var_es(std::span<const double>(scaled), p);
  }
  double var(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return var_es(losses, p).var;
  }
  double es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return var_es(losses, p).es;
  }

 private:
  double m_lambda = 0.94;
  double m_initial_variance = 0.0;
};

static_assert(risk_estimator<ewma_estimator<>> && risk_estimator<filtered_historical_estimator<>>);

TIERMARGIN_NAMESPACE_END
