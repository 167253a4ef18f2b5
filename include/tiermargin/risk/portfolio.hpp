// SPDX-License-Identifier: BSL-1.0
/// @file portfolio.hpp  Portfolio VaR/ES with Euler decomposition: delta-normal (Gaussian) and modified
/// (Cornish-Fisher / Boudt-Peterson-Croux), component and marginal contributions.
///
/// Assets have returns R (N-vector), the portfolio loss is L = -w'R (losses positive), tail probability p,
/// z = Phi^{-1}(1 - p). Every risk measure here is homogeneous of degree 1 in w, so the Euler components
/// w_i dRisk/dw_i sum exactly (to rounding) to the total (docs/risk.md section 2, PerformanceAnalytics'
/// portfolio_method = "component"):
///  - delta-normal: sigma_p = sqrt(w' Sigma w), VaR = -w'mu + z sigma_p, ES = -w'mu + sigma_p phi(z)/p,
///    marginal VaR_i = -mu_i + z (Sigma w)_i / sigma_p, marginal ES_i = -mu_i + phi(z)/p (Sigma w)_i / sigma_p.
///  - modified: from a T x N return sample, m2 = w' Sigma w with the n-1 covariance (as PerformanceAnalytics'
///    cov(R)), m3 = mean((c'w)^3), m4 = mean((c'w)^4) on centred returns c (1/T, as PA's M3.MM / M4.MM,
///    computed from the sample directly instead of N x N^2 tensors). The loss skew is S = -m3/m2^1.5 and
///    K = m4/m2^2 - 3; VaR and ES are the Cornish-Fisher / BPC formulas of cornish_fisher.hpp at those
///    moments, and their gradients follow analytically from dm2 = 2 Sigma w, dm3 = 3 c'(c w)^2 / T,
///    dm4 = 4 c'(c w)^3 / T (Boudt, Peterson, Croux 2008). With `operational` ES < VaR is replaced by VaR
///    and its components (flag `es_floored`).
#pragma once

#include <cmath>
#include <cstddef>

#include <boost/math/distributions/normal.hpp>
#include <Eigen/Core>

#include "../core/boost_policy.hpp"
#include "../core/check.hpp"
#include "../core/policies.hpp"
#include "cornish_fisher.hpp"
#include "detail/model_common.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Portfolio VaR/ES with Euler decomposition. component_* sum to the totals; marginal_* = d/dw_i.
struct portfolio_risk {
  double var;                     ///< portfolio VaR (positive loss)
  double es;                      ///< portfolio ES
  Eigen::VectorXd marginal_var;   ///< d VaR / d w_i
  Eigen::VectorXd component_var;  ///< w_i * marginal_var_i
  Eigen::VectorXd marginal_es;    ///< d ES / d w_i
  Eigen::VectorXd component_es;   ///< w_i * marginal_es_i
  bool monotone = true;           ///< modified only: Cornish-Fisher expansion monotone at (S, K)
  bool es_floored = false;        ///< modified only: the operational guard replaced ES by VaR
};

/// Sample mean (N) and covariance (N x N, n-1 divisor) of a T x N return matrix (one row per period).
struct mean_covariance {
  Eigen::VectorXd mean;        ///< column means, N entries
  Eigen::MatrixXd covariance;  ///< N x N sample covariance, n-1 divisor
};

namespace detail::models {
inline portfolio_risk nan_portfolio(Eigen::Index n) {
  const Eigen::VectorXd v = Eigen::VectorXd::Constant(n, nan);
  return {nan, nan, v, v, v, v, false, false};
}

template <error_policy Error>
bool check_returns(const char* f, const Eigen::Ref<const Eigen::MatrixXd>& r, Eigen::Index min_rows,
                   const char* requirement) noexcept(Error::is_noexcept) {
  if (!check<Error>(r.rows() >= min_rows && r.cols() > 0,
                    {error_kind::insufficient_data, f, "returns", static_cast<double>(r.rows()), requirement}))
    return false;
  return check<Error>(r.allFinite(), {error_kind::invalid_argument, f, "returns", nan, "must be finite"});
}

/// Every figure of `r` finite; otherwise report `argument` (the input whose size made the result overflow).
template <error_policy Error>
bool check_portfolio_finite(const char* f, const char* argument, const portfolio_risk& r) noexcept(Error::is_noexcept) {
  const bool ok = std::isfinite(r.var) && std::isfinite(r.es) && r.marginal_var.allFinite() &&
                  r.marginal_es.allFinite() && r.component_var.allFinite() && r.component_es.allFinite();
  return check<Error>(ok, {error_kind::invalid_argument, f, argument, r.var,
                           "the VaR, ES or an Euler component overflows a double (inputs too large)"});
}

template <error_policy Error>
bool check_weight_vector(const char* f, const Eigen::Ref<const Eigen::VectorXd>& w,
                         Eigen::Index n) noexcept(Error::is_noexcept) {
  return check<Error>(w.size() == n, {error_kind::invalid_argument, f, "weights", static_cast<double>(w.size()),
                                      "must have one entry per asset"}) &&
         check<Error>(w.allFinite(), {error_kind::invalid_argument, f, "weights", nan, "must be finite"});
}
}  // namespace detail::models

/// Mean and n-1 covariance of the columns of `returns` (T x N, T >= 2). O(T N^2).
template <policy_bundle Policies = default_policies>
mean_covariance sample_mean_covariance(const Eigen::Ref<const Eigen::MatrixXd>& returns) noexcept(
    is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  const Eigen::Index n = returns.cols();
  if (!detail::models::check_returns<on_error>("sample_mean_covariance", returns, 2,
                                               "needs at least 2 rows (observations)"))
    return {Eigen::VectorXd::Constant(n, detail::models::nan), Eigen::MatrixXd::Constant(n, n, detail::models::nan)};
  const Eigen::VectorXd mean = returns.colwise().mean().transpose();
  const Eigen::MatrixXd c = returns.rowwise() - mean.transpose();
  const Eigen::MatrixXd cov = (c.transpose() * c) / static_cast<double>(returns.rows() - 1);
  return {mean, cov};
}

/// Delta-normal (Gaussian) portfolio VaR/ES with Euler components. O(N^2).
/// Errors: sizes differ, non-finite input, covariance giving w' Sigma w <= 0 (not positive for these
/// weights), p outside (0, 0.5] (see allow_upper_tail); finite inputs so large that w' Sigma w, w' mean or a result
/// overflows a double (named 'covariance', 'mean' or 'weights').
template <policy_bundle Policies = default_policies>
portfolio_risk delta_normal_portfolio(const Eigen::Ref<const Eigen::VectorXd>& mean,
                                      const Eigen::Ref<const Eigen::MatrixXd>& covariance,
                                      const Eigen::Ref<const Eigen::VectorXd>& weights,
                                      double p) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  constexpr const char* f = "delta_normal_portfolio";
  const Eigen::Index n = mean.size();
  using detail::models::nan;
  if (!detail::check<on_error>(n > 0 && mean.allFinite(), {error_kind::invalid_argument, f, "mean",
                                                           static_cast<double>(n), "must be non-empty and finite"}) ||
      !detail::check<on_error>(covariance.rows() == n && covariance.cols() == n && covariance.allFinite(),
                               {error_kind::invalid_argument, f, "covariance", static_cast<double>(covariance.rows()),
                                "must be finite and square with the size of mean"}) ||
      !detail::check<on_error>(
          (covariance - covariance.transpose()).cwiseAbs().maxCoeff() <= 1e-12 * covariance.cwiseAbs().maxCoeff(),
          {error_kind::invalid_argument, f, "covariance", (covariance - covariance.transpose()).cwiseAbs().maxCoeff(),
           "must be symmetric"}) ||
      !detail::models::check_weight_vector<on_error>(f, weights, n) ||
      !detail::check_tail_probability<on_error>(f, "p", p, upper_tail_allowed_v<Policies>))
    return detail::models::nan_portfolio(n);
  const Eigen::VectorXd sw = covariance * weights;
  const double m2 = weights.dot(sw);
  if (!detail::check<on_error>(m2 > 0.0, {error_kind::invalid_argument, f, "covariance", m2,
                                          "must give a positive portfolio variance w' Sigma w"}) ||
      !detail::check<on_error>(std::isfinite(m2) && sw.allFinite(),
                               {error_kind::invalid_argument, f, "covariance", m2,
                                "Sigma w and w' Sigma w must not overflow a double (covariance or weights too "
                                "large)"}) ||
      !detail::check<on_error>(std::isfinite(weights.dot(mean)),
                               {error_kind::invalid_argument, f, "mean", weights.dot(mean),
                                "w' mean must not overflow a double (mean or weights too large)"}))
    return detail::models::nan_portfolio(n);
  const double sigma = std::sqrt(m2);
  const boost::math::normal_distribution<double, boost_math_policy> standard(0.0, 1.0);
  const double z = quantile(complement(standard, p));
  const double e = pdf(standard, z) / p;
  portfolio_risk r;
  r.marginal_var = -mean + (z / sigma) * sw;
  r.marginal_es = -mean + (e / sigma) * sw;
  r.component_var = weights.cwiseProduct(r.marginal_var);
  r.component_es = weights.cwiseProduct(r.marginal_es);
  const double wmu = weights.dot(mean);
  r.var = -wmu + z * sigma;
  r.es = -wmu + e * sigma;
  if (!detail::models::check_portfolio_finite<on_error>(f, "weights", r)) return detail::models::nan_portfolio(n);
  return r;
}

/// Modified (Cornish-Fisher VaR, Boudt-Peterson-Croux ES) portfolio risk from a T x N return sample with
/// Euler components (see file comment). O(T N + N^2 T) for the covariance. Needs T >= 4 finite rows.
/// Errors: too few rows, non-finite returns or weights, p outside (0, 0.5] (see allow_upper_tail), constant portfolio
/// returns; finite returns so large that the 4th moment or a result overflows a double (named 'returns').
template <policy_bundle Policies = default_policies>
portfolio_risk modified_portfolio(const Eigen::Ref<const Eigen::MatrixXd>& returns,
                                  const Eigen::Ref<const Eigen::VectorXd>& weights, double p,
                                  bool operational = true) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  constexpr const char* f = "modified_portfolio";
  const Eigen::Index n = returns.cols();
  if (!detail::models::check_returns<on_error>(f, returns, 4, "needs at least 4 rows (observations)") ||
      !detail::models::check_weight_vector<on_error>(f, weights, n) ||
      !detail::check_tail_probability<on_error>(f, "p", p, upper_tail_allowed_v<Policies>))
    return detail::models::nan_portfolio(n);
  const auto t = static_cast<double>(returns.rows());
  const Eigen::VectorXd mu = returns.colwise().mean().transpose();
  const Eigen::MatrixXd c = returns.rowwise() - mu.transpose();
  const Eigen::VectorXd rp = c * weights;  // centred portfolio returns
  const Eigen::VectorXd sw = c.transpose() * rp / (t - 1.0);  // Sigma w, n-1 covariance
  const double m2 = weights.dot(sw);
  if (!detail::check<on_error>(m2 > 0.0, {error_kind::insufficient_data, f, "returns", m2,
                                          "portfolio returns must not be constant (variance is 0)"}))
    return detail::models::nan_portfolio(n);
  const Eigen::ArrayXd rp2 = rp.array().square();
  const double m3 = (rp2 * rp.array()).mean();
  const double m4 = (rp2 * rp2).mean();
  if (!detail::check<on_error>(std::isfinite(m2) && std::isfinite(m4),
                               {error_kind::invalid_argument, f, "returns", m4,
                                "the portfolio return moments (up to the 4th power) must not overflow a double "
                                "(returns or weights too large)"}))
    return detail::models::nan_portfolio(n);
  const Eigen::VectorXd dm2 = 2.0 * sw;
  const Eigen::VectorXd dm3 = 3.0 * (c.transpose() * rp2.matrix()) / t;
  const Eigen::VectorXd dm4 = 4.0 * (c.transpose() * (rp2 * rp.array()).matrix()) / t;
  const double sd = std::sqrt(m2);
  // Loss moments: skew changes sign with L = -R.
  const double skew = -m3 / (m2 * sd);
  const double kurt = m4 / (m2 * m2) - 3.0;
  const Eigen::VectorXd dskew = -(dm3 / (m2 * sd) - (1.5 * m3 / (m2 * m2 * sd)) * dm2);
  const Eigen::VectorXd dkurt = dm4 / (m2 * m2) - (2.0 * m4 / (m2 * m2 * m2)) * dm2;

  const boost::math::normal_distribution<double, boost_math_policy> standard(0.0, 1.0);
  const double z = quantile(complement(standard, p));
  const double z2 = z * z, z3 = z2 * z;
  const double h = cornish_fisher_expansion(z, skew, kurt);
  const double h_s = (z2 - 1.0) / 6.0 - (2.0 * z3 - 5.0 * z) * skew / 18.0;
  const double h_k = (z3 - 3.0 * z) / 24.0;
  const Eigen::VectorXd dh = h_s * dskew + h_k * dkurt;
  const double h2 = h * h, h3 = h2 * h, h4 = h2 * h2, h6 = h3 * h3;
  const double b = 1.0 + h3 * skew / 6.0 + (h6 - 9.0 * h4 + 9.0 * h2 + 3.0) * skew * skew / 72.0 +
                   (h4 - 2.0 * h2 - 1.0) * kurt / 24.0;
  const double b_h = h2 * skew / 2.0 + (6.0 * h4 * h - 36.0 * h3 + 18.0 * h) * skew * skew / 72.0 +
                     (4.0 * h3 - 4.0 * h) * kurt / 24.0;
  const double b_s = h3 / 6.0 + (h6 - 9.0 * h4 + 9.0 * h2 + 3.0) * skew / 36.0;
  const double b_k = (h4 - 2.0 * h2 - 1.0) / 24.0;
  const double phi = pdf(standard, h);
  const double e = phi * b / p;
  const Eigen::VectorXd de = (phi / p) * ((b_h - h * b) * dh + b_s * dskew + b_k * dkurt);

  portfolio_risk r;
  const double wmu = weights.dot(mu);
  r.var = -wmu + sd * h;
  r.marginal_var = -mu + (h / (2.0 * sd)) * dm2 + sd * dh;
  r.es = -wmu + sd * e;
  r.marginal_es = -mu + (e / (2.0 * sd)) * dm2 + sd * de;
  r.monotone = cornish_fisher_monotone(skew, kurt);
  if (operational && r.es < r.var) {
    r.es = r.var;
    r.marginal_es = r.marginal_var;
    r.es_floored = true;
  }
  r.component_var = weights.cwiseProduct(r.marginal_var);
  r.component_es = weights.cwiseProduct(r.marginal_es);
  if (!detail::models::check_portfolio_finite<on_error>(f, "returns", r)) return detail::models::nan_portfolio(n);
  return r;
}

TIERMARGIN_NAMESPACE_END
