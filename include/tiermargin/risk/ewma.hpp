// SPDX-License-Identifier: BSL-1.0
/// @file ewma.hpp  RiskMetrics EWMA volatility and filtered historical simulation (Hull-White scaling).
///
/// EWMA (RiskMetrics Technical Document 1996; docs/risk.md section 4), zero mean:
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
#include "normal.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace detail::models {
/// The EWMA recursion is run on x / 2^e with e the exponent of max(|x_i|, sqrt(initial_variance)), an
/// exact power-of-two scaling under which the recursion is invariant: squares of losses near 1e308 do not
/// overflow and those near 1e-170 do not underflow. Variances are in units of 2^(2e), volatilities 2^e.
struct ewma_scaled {
  double seed;  ///< sigma_1^2 / 2^(2e)
  int exponent; ///< e
};

inline ewma_scaled ewma_scaled_seed(std::span<const double> x, double initial_variance) noexcept {
  double m = std::sqrt(initial_variance);
  for (const double v : x) {
    const double a = std::fabs(v);
    m = a > m ? a : m;
  }
  int e = m > 0.0 ? std::ilogb(m) : 0;
  if (e > -250 && e < 250) e = 0;  // squares stay well inside the double range: no scaling needed
  if (initial_variance > 0.0) return {std::ldexp(initial_variance, -2 * e), e};
  const power_of_two scale(-e);
  double s = 0.0;
  for (const double v : x) {
    const double y = scale(v);
    s += y * y;
  }
  return {s / static_cast<double>(x.size()), e};
}

/// Validate the arguments and compute the scaled seed; `argument` is the caller's name of the sample.
template <error_policy Error>
bool ewma_start(const char* function, const char* argument, std::span<const double> x, double lambda,
                double initial_variance, ewma_scaled& out) noexcept(Error::is_noexcept) {
  if (!(check<Error>(lambda > 0.0 && lambda < 1.0, {error_kind::invalid_argument, function, "lambda", lambda,
                                                    "must be in the open interval (0, 1)"}) &&
        check<Error>(std::isfinite(initial_variance) && initial_variance >= 0.0,
                     {error_kind::invalid_argument, function, "initial_variance", initial_variance,
                      "must be finite and >= 0 (0 selects the sample mean square)"}) &&
        check_sample<Error>(function, argument, x, 1, "needs at least 1 observation")))
    return false;
  out = ewma_scaled_seed(x, initial_variance);
  return check<Error>(out.seed > 0.0, {error_kind::insufficient_data, function, argument, 0.0,
                                       "needs a non-zero observation or a positive initial_variance"});
}

/// The scaled forecast after the last observation.
inline double ewma_last(std::span<const double> x, double lambda, const ewma_scaled& start) noexcept {
  double v = start.seed;
  if (start.exponent == 0) {
    for (const double xi : x) v = lambda * v + (1.0 - lambda) * xi * xi;
    return v;
  }
  const power_of_two scale(-start.exponent);
  for (const double xi : x) {
    const double y = scale(xi);
    v = lambda * v + (1.0 - lambda) * y * y;
  }
  return v;
}

/// Hull-White rescaling into `out` (size of x) in original units; returns sigma_T, or a non-finite value
/// (with `bad_index` set) when a rescaled observation is beyond the largest double.
inline double hull_white_into(std::span<const double> x, double lambda, const ewma_scaled& start,
                              std::span<double> out, long& bad_index) noexcept {
  const power_of_two scale(-start.exponent);
  double v = start.seed;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double y = scale(x[i]);
    out[i] = y / std::sqrt(v);  // standardized residual (scale-free)
    v = lambda * v + (1.0 - lambda) * y * y;
  }
  const double sigma_scaled = std::sqrt(v);
  bad_index = -1;
  const power_of_two unscale(start.exponent);
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = unscale(out[i] * sigma_scaled);
    if (!std::isfinite(out[i]) && bad_index < 0) bad_index = static_cast<long>(i);
  }
  return std::ldexp(sigma_scaled, start.exponent);
}
}  // namespace detail::models

/// EWMA variance forecasts: writes sigma_i^2 (the forecast made before x_i) to `forecasts[i]` and returns
/// the current forecast sigma_T^2 after the last observation. O(n), no allocation.
/// Errors: lambda outside (0, 1), initial_variance < 0 or non-finite, empty or non-finite x, all-zero x
/// with initial_variance 0, forecasts.size() != x.size(), a forecast beyond the largest double (|x| above
/// about 1e154; reported on 'x').
template <policy_bundle Policies = default_policies>
double ewma_variance(std::span<const double> x, double lambda, double initial_variance,
                     std::span<double> forecasts) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  constexpr const char* f = "ewma_variance";
  detail::models::ewma_scaled start{};
  if (!detail::models::ewma_start<on_error>(f, "x", x, lambda, initial_variance, start)) return detail::models::nan;
  if (!detail::check<on_error>(forecasts.size() == x.size(),
                               {error_kind::invalid_argument, f, "forecasts",
                                static_cast<double>(forecasts.size()), "must have the size of x"}))
    return detail::models::nan;
  const detail::models::power_of_two scale(-start.exponent), unscale_variance(2 * start.exponent);
  double v = start.seed;
  for (std::size_t i = 0; i < x.size(); ++i) {
    forecasts[i] = unscale_variance(v);
    const double y = scale(x[i]);
    v = lambda * v + (1.0 - lambda) * y * y;
  }
  const double last = std::ldexp(v, 2 * start.exponent);
  bool finite = std::isfinite(last);
  for (const double fc : forecasts) finite = finite && std::isfinite(fc);
  if (!detail::check<on_error>(finite, {error_kind::invalid_argument, f, "x", std::ldexp(std::sqrt(v), start.exponent),
                                        "gives a variance forecast beyond the largest double (value: the current "
                                        "volatility; use ewma_volatility)"}))
    return detail::models::nan;
  return last;
}

/// Current EWMA volatility sigma_T (square root of the forecast after the last observation). O(n).
/// Errors as ewma_variance, except that any finite x works (the recursion runs on x scaled by a power of 2).
template <policy_bundle Policies = default_policies>
double ewma_volatility(std::span<const double> x, double lambda, double initial_variance = 0.0) noexcept(
    is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  detail::models::ewma_scaled start{};
  if (!detail::models::ewma_start<on_error>("ewma_volatility", "x", x, lambda, initial_variance, start))
    return detail::models::nan;
  return std::ldexp(std::sqrt(detail::models::ewma_last(x, lambda, start)), start.exponent);
}

/// Hull-White volatility-scaled observations x_i * sigma_T / sigma_i written to `out` (same size as x).
/// Returns sigma_T. O(n), no allocation. Errors as ewma_variance (`out` plays the role of forecasts), and a
/// rescaled observation beyond the largest double (reported on 'x' with its index).
template <policy_bundle Policies = default_policies>
double hull_white_scale(std::span<const double> x, double lambda, double initial_variance,
                        std::span<double> out) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  constexpr const char* f = "hull_white_scale";
  detail::models::ewma_scaled start{};
  if (!detail::models::ewma_start<on_error>(f, "x", x, lambda, initial_variance, start)) return detail::models::nan;
  if (!detail::check<on_error>(out.size() == x.size(), {error_kind::invalid_argument, f, "out",
                                                        static_cast<double>(out.size()), "must have the size of x"}))
    return detail::models::nan;
  long bad = -1;
  const double sigma_t = detail::models::hull_white_into(x, lambda, start, out, bad);
  if (!detail::check<on_error>(bad < 0, {error_kind::invalid_argument, f, "x", bad < 0 ? 0.0 : x[static_cast<std::size_t>(bad)],
                                         "its volatility-rescaled value is beyond the largest double", bad}))
    return detail::models::nan;
  return sigma_t;
}

/// RiskMetrics estimator: zero-mean normal losses with the current EWMA volatility,
/// VaR = sigma_T z, ES = sigma_T phi(z)/p, z = Phi^{-1}(1 - p). Satisfies `risk_estimator`. O(n),
/// allocation-free. Constructor: lambda (default 0.94, the RiskMetrics daily value) and initial variance
/// (0 = sample mean square), validated at use. Any finite losses work (the recursion runs on the losses
/// scaled by a power of 2); a VaR/ES beyond the largest double is an invalid_argument on 'losses'.
template <policy_bundle Policies = default_policies>
class ewma_estimator {
 public:
  ewma_estimator() = default;
  /// Decay `lambda` in (0, 1) and initial variance (>= 0; 0 = the sample mean square), checked at use.
  explicit ewma_estimator(double lambda, double initial_variance = 0.0) noexcept
      : m_lambda(lambda), m_initial_variance(initial_variance) {}

  /// The decay factor.
  double lambda() const noexcept { return m_lambda; }
  /// The initial variance (0: the sample mean square).
  double initial_variance() const noexcept { return m_initial_variance; }

  /// VaR and ES of `losses` (positive = loss) at tail probability `p` in (0, 1), e.g. 0.01 for 99%.
  /// Errors (p outside (0, 1), a bad or too short sample) through `Policies::error`; NaNs under `quiet_nan`.
  var_es_result<double> var_es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate("ewma_estimator::var_es", losses, p);
  }
  /// VaR only; as `var_es`.
  double var(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate("ewma_estimator::var", losses, p).var;
  }
  /// ES only; as `var_es`.
  double es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate("ewma_estimator::es", losses, p).es;
  }

 private:
  var_es_result<double> evaluate(const char* f, std::span<const double> losses, double p) const
      noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    using detail::models::nan;
    detail::models::ewma_scaled start{};
    if (!detail::check_tail_probability<on_error>(f, "p", p, upper_tail_allowed_v<Policies>) ||
        !detail::models::ewma_start<on_error>(f, "losses", losses, m_lambda, m_initial_variance, start))
      return {nan, nan};
    const double sigma = std::sqrt(detail::models::ewma_last(losses, m_lambda, start));
    const auto t = detail::models::standard_normal_tail(p);
    const var_es_result<double> r{detail::models::scaled_affine(0.0, sigma, t.var, start.exponent),
                                  detail::models::scaled_affine(0.0, sigma, t.es, start.exponent)};
    if (!detail::check<on_error>(std::isfinite(r.var) && std::isfinite(r.es),
                                 {error_kind::invalid_argument, f, "losses", std::ldexp(sigma, start.exponent),
                                  "give a VaR/ES sigma_T * z beyond the largest double (value: sigma_T)"}))
      return {nan, nan};
    return r;
  }

  double m_lambda = 0.94;
  double m_initial_variance = 0.0;
};

/// Filtered historical simulation: `historical<Policies>` VaR/ES (same quantile type and conventions) of
/// the Hull-White rescaled losses; needs n p >= 1. Satisfies `risk_estimator`. A rescaled loss beyond the
/// largest double is an invalid_argument on 'losses' naming its index. O(n) expected; allocates
/// one buffer of n doubles per call (use `hull_white_scale` with your own buffer to avoid it).
template <policy_bundle Policies = default_policies>
class filtered_historical_estimator {
 public:
  filtered_historical_estimator() = default;
  /// Decay `lambda` in (0, 1) and initial variance (>= 0; 0 = the sample mean square), checked at use.
  explicit filtered_historical_estimator(double lambda, double initial_variance = 0.0) noexcept
      : m_lambda(lambda), m_initial_variance(initial_variance) {}

  /// The decay factor.
  double lambda() const noexcept { return m_lambda; }
  /// The initial variance (0: the sample mean square).
  double initial_variance() const noexcept { return m_initial_variance; }

  /// VaR and ES of `losses` (positive = loss) at tail probability `p` in (0, 1), e.g. 0.01 for 99%.
  /// Errors (p outside (0, 1), a bad or too short sample) through `Policies::error`; NaNs under `quiet_nan`.
  var_es_result<double> var_es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate("filtered_historical_estimator::var_es", losses, p);
  }
  /// VaR only; as `var_es`.
  double var(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate("filtered_historical_estimator::var", losses, p).var;
  }
  /// ES only; as `var_es`.
  double es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate("filtered_historical_estimator::es", losses, p).es;
  }

 private:
  var_es_result<double> evaluate(const char* f, std::span<const double> losses, double p) const
      noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    using detail::models::nan;
    detail::models::ewma_scaled start{};
    if (!detail::check_tail_probability<on_error>(f, "p", p, upper_tail_allowed_v<Policies>) ||
        !detail::models::ewma_start<on_error>(f, "losses", losses, m_lambda, m_initial_variance, start))
      return {nan, nan};
    if (!detail::check<on_error>(static_cast<double>(losses.size()) * p >= 1.0 - 1e-9,
                                 {error_kind::insufficient_data, f, "losses", static_cast<double>(losses.size()),
                                  "needs at least ceil(1/p) observations (n p >= 1)"}))
      return {nan, nan};
    std::vector<double> scaled(losses.size());
    long bad = -1;
    (void)detail::models::hull_white_into(losses, m_lambda, start, scaled, bad);
    if (!detail::check<on_error>(bad < 0, {error_kind::invalid_argument, f, "losses",
                                           bad < 0 ? 0.0 : losses[static_cast<std::size_t>(bad)],
                                           "its volatility-rescaled value is beyond the largest double", bad}))
      return {nan, nan};
    return historical<Policies>{}.var_es(std::span<const double>(scaled), p);
  }

  double m_lambda = 0.94;
  double m_initial_variance = 0.0;
};

static_assert(risk_estimator<ewma_estimator<>> && risk_estimator<filtered_historical_estimator<>>);

TIERMARGIN_NAMESPACE_END
