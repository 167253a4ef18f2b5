// SPDX-License-Identifier: BSL-1.0
/// @file cornish_fisher.hpp  Modified (Cornish-Fisher) VaR and the Boudt-Peterson-Croux modified ES, as in
/// PerformanceAnalytics VaR(method="modified") / ES(method="modified") (docs/risk.md section 2).
///
/// Moments are those of the losses with the n divisor (PerformanceAnalytics' centeredmoment): sd =
/// sqrt(m2), S = m3 / m2^1.5, K = m4 / m2^2 - 3. With z = Phi^{-1}(1 - p) (positive, the loss tail):
///   h = z + (z^2 - 1) S/6 + (z^3 - 3z) K/24 - (2z^3 - 5z) S^2/36,       VaR = mean + sd * h
///   E = phi(h) [1 + h^3 S/6 + (h^6 - 9h^4 + 9h^2 + 3) S^2/72 + (h^4 - 2h^2 - 1) K/24] / p,
///   ES = mean + sd * E,   and with `operational` (the default, as PA) ES = max(ES, VaR).
/// These are PA's formulas written for losses: PA works on returns R = -L, whose skew is -S and whose
/// quantile is -h; every term is invariant under that reflection, so the numbers are identical
/// (PA's VaR with invert=FALSE, sign flipped).
///
/// The expansion z -> h(z) is a valid quantile function only if it is increasing in z: dh/dz =
/// (K/8 - S^2/6) z^2 + (S/3) z + (1 - K/8 + 5 S^2/36) must be positive for every z (Maillard 2012).
/// `monotone` in the result reports that test; outside that domain the numbers are still returned (as PA
/// does) but are not quantiles of any distribution.
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

/// Modified VaR/ES with diagnostics.
struct cornish_fisher_result {
  double var;            ///< modified (Cornish-Fisher) VaR
  double es;             ///< after the operational guard when it is on
  double es_raw;         ///< Boudt-Peterson-Croux ES before the guard (may be < var, even negative)
  double h;              ///< the Cornish-Fisher standardized quantile
  bool monotone;         ///< the expansion is increasing for these S, K (see file comment)
  bool es_floored;       ///< the operational guard replaced es_raw by var
};

/// True when the Cornish-Fisher expansion is increasing in z for every z (skew S, excess kurtosis K).
inline bool cornish_fisher_monotone(double skew, double excess_kurtosis) noexcept {
  const double a = excess_kurtosis / 8.0 - skew * skew / 6.0;
  const double b = skew / 3.0;
  const double c = 1.0 - excess_kurtosis / 8.0 + 5.0 * skew * skew / 36.0;
  if (a > 0.0) return b * b - 4.0 * a * c < 0.0;
  if (a == 0.0) return b == 0.0 && c > 0.0;
  return false;
}

/// Cornish-Fisher quantile h(z, S, K) of a standardized variable at the standard-normal quantile z. O(1).
inline double cornish_fisher_expansion(double z, double skew, double excess_kurtosis) noexcept {
  const double z2 = z * z;
  const double z3 = z2 * z;
  return z + (z2 - 1.0) * skew / 6.0 + (z3 - 3.0 * z) * excess_kurtosis / 24.0 -
         (2.0 * z3 - 5.0 * z) * skew * skew / 36.0;
}

namespace detail::models {
/// The modified VaR/ES at (mean, sd, S, K) where mean and sd are in units of 2^exponent (0 for the closed
/// form); non-finite var/es only when the true value is beyond the largest double.
inline cornish_fisher_result cornish_fisher_eval(double mean, double sd, double skew, double kurt, double p,
                                                 bool operational, int exponent = 0) noexcept {
  const boost::math::normal_distribution<double, boost_math_policy> standard(0.0, 1.0);
  const double z = quantile(complement(standard, p));
  const double h = cornish_fisher_expansion(z, skew, kurt);
  const double h2 = h * h;
  const double h3 = h2 * h;
  const double h4 = h2 * h2;
  const double h6 = h3 * h3;
  const double e = pdf(standard, h) *
                   (1.0 + h3 * skew / 6.0 + (h6 - 9.0 * h4 + 9.0 * h2 + 3.0) * skew * skew / 72.0 +
                    (h4 - 2.0 * h2 - 1.0) * kurt / 24.0) /
                   p;
  cornish_fisher_result r{};
  r.h = h;
  r.var = scaled_affine(mean, sd, h, exponent);
  r.es_raw = scaled_affine(mean, sd, e, exponent);
  r.es_floored = operational && r.es_raw < r.var;
  r.es = r.es_floored ? r.var : r.es_raw;
  r.monotone = cornish_fisher_monotone(skew, kurt);
  return r;
}

/// Report a modified VaR/ES that is not representable (huge sd, or an expansion h blown up by extreme
/// skew/kurtosis) on the caller's `argument`.
template <error_policy Error>
bool check_cornish_fisher_result(const char* function, const char* argument, double value,
                                 const cornish_fisher_result& r) noexcept(Error::is_noexcept) {
  return check<Error>(std::isfinite(r.var) && std::isfinite(r.es) && std::isfinite(r.es_raw),
                      {error_kind::invalid_argument, function, argument, value,
                       "gives a modified VaR/ES beyond the largest double (mean + sd * h overflows)"});
}
}  // namespace detail::models

/// Modified VaR/ES of a loss with the given mean, sd, skewness and excess kurtosis at tail probability p.
/// O(1). Errors: non-finite mean/skew/kurtosis, sd <= 0, p outside (0, 0.5] (see allow_upper_tail), a VaR/ES beyond the
/// largest double (reported on 'sd').
template <policy_bundle Policies = default_policies>
cornish_fisher_result cornish_fisher_var_es(double mean, double sd, double skew, double excess_kurtosis, double p,
                                            bool operational = true) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  constexpr const char* f = "cornish_fisher_var_es";
  using detail::models::nan;
  if (!(detail::check_finite<on_error>(f, "mean", mean) && detail::check_finite_positive<on_error>(f, "sd", sd) &&
        detail::check_finite<on_error>(f, "skew", skew) &&
        detail::check_finite<on_error>(f, "excess_kurtosis", excess_kurtosis) &&
        detail::check_tail_probability<on_error>(f, "p", p, upper_tail_allowed_v<Policies>)))
    return {nan, nan, nan, nan, false, false};
  const auto r = detail::models::cornish_fisher_eval(mean, sd, skew, excess_kurtosis, p, operational);
  if (!detail::models::check_cornish_fisher_result<on_error>(f, "sd", sd, r)) return {nan, nan, nan, nan, false, false};
  return r;
}

/// Modified (Cornish-Fisher) estimator on a sample of losses, moments with the n divisor as
/// PerformanceAnalytics (variance_convention::sample gives the n - 1 sd). Satisfies `risk_estimator`;
/// `evaluate` also returns the diagnostics. O(n), allocation-free. Needs at least 4 finite observations, not all equal. A VaR/ES beyond the largest double
/// (e.g. one loss of 1e308 among ordinary ones) is an invalid_argument on 'losses' (value: the fitted sd).
template <policy_bundle Policies = default_policies>
class cornish_fisher_estimator {
 public:
  cornish_fisher_estimator() = default;
  /// `operational` = true (default) floors ES at VaR as PerformanceAnalytics' operational=TRUE.
  explicit cornish_fisher_estimator(bool operational) noexcept : m_operational(operational) {}
  /// Also choose the variance divisor: `population` (n, the default, as PerformanceAnalytics) or `sample`
  /// (n - 1: sd scaled by sqrt(n / (n - 1)); skewness and excess kurtosis stay the moment ratios m3 / m2^1.5
  /// and m4 / m2^2 - 3, not QuantLib's bias-adjusted ones). O(1).
  cornish_fisher_estimator(bool operational, variance_convention variance) noexcept
      : m_operational(operational), m_variance(variance) {}

  /// Whether ES is floored at VaR.
  bool operational() const noexcept { return m_operational; }
  /// The variance divisor in use.
  [[nodiscard]] variance_convention variance() const noexcept { return m_variance; }

  /// VaR, ES and the expansion's diagnostics at tail probability `p`; errors as `var_es`.
  cornish_fisher_result evaluate(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate_impl("cornish_fisher_estimator::evaluate", losses, p);
  }
  /// VaR and ES of `losses` (positive = loss) at tail probability `p` in (0, 1), e.g. 0.01 for 99%.
  /// Errors (p outside (0, 1), a bad or too short sample) through `Policies::error`; NaNs under `quiet_nan`.
  var_es_result<double> var_es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    const auto r = evaluate_impl("cornish_fisher_estimator::var_es", losses, p);
    return {r.var, r.es};
  }
  /// VaR only; as `var_es`.
  double var(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate_impl("cornish_fisher_estimator::var", losses, p).var;
  }
  /// ES only; as `var_es`.
  double es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate_impl("cornish_fisher_estimator::es", losses, p).es;
  }

 private:
  bool m_operational = true;
  variance_convention m_variance = variance_convention::population;

  cornish_fisher_result evaluate_impl(const char* function, std::span<const double> x, double p) const
      noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    using detail::models::nan;
    const cornish_fisher_result bad{nan, nan, nan, nan, false, false};
    if (!detail::check_tail_probability<on_error>(function, "p", p, upper_tail_allowed_v<Policies>)) return bad;
    if (!detail::models::check_sample<on_error>(function, "losses", x, 4, "needs at least 4 observations"))
      return bad;
    // Moments of the sample scaled by a power of two (exact): no overflow near 1e308, no underflow of
    // the squares near 1e-170.
    const auto m = detail::models::sample_central_moments(x);
    if (!detail::check<on_error>(m.m2 > 0.0, {error_kind::insufficient_data, function, "losses", 0.0,
                                              "needs at least 2 distinct values (variance is 0)"}))
      return bad;
    const double sd_population = std::sqrt(m.m2);
    const double skew = m.m3 / (m.m2 * sd_population);
    const double kurt = m.m4 / (m.m2 * m.m2) - 3.0;
    const auto n = static_cast<double>(x.size());
    const double sd =
        m_variance == variance_convention::sample ? std::sqrt(m.m2 * (n / (n - 1.0))) : sd_population;
    const auto r = detail::models::cornish_fisher_eval(m.mean, sd, skew, kurt, p, m_operational, m.exponent);
    if (!detail::models::check_cornish_fisher_result<on_error>(function, "losses", std::ldexp(sd, m.exponent), r))
      return bad;
    return r;
  }
};

static_assert(risk_estimator<cornish_fisher_estimator<>>);

TIERMARGIN_NAMESPACE_END
