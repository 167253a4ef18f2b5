// SPDX-License-Identifier: BSL-1.0
/// @file estimator.hpp  What every VaR/ES estimator provides, and how tail probabilities are passed.
///
/// Conventions (docs/conventions.md): losses are positive; VaR_a is the a-quantile of the loss distribution,
/// inf{l : P(L <= l) >= a}; ES_a is the Acerbi-Tasche tail mean, so ES >= VaR. Estimators take the
/// *tail probability* p = 1 - a directly (0.01 for 99%): 1 - 0.99 is 0.010000000000000009 in binary and
/// would select the wrong order statistic for n*p integer. `from_confidence(0.99)` snaps 1 - a to the
/// decimal it denotes for callers who think in confidence levels.
///
/// On a finite sample of n losses the population definition is ambiguous exactly when n*p is an integer
/// (the empirical CDF is flat there). The sample estimators follow docs/risk.md section 3: VaR is the k-th
/// largest loss with k = ceil(n*p) (Hyndman-Fan type 1 on the P&L at p, as QuantLib, R and numpy compute
/// it), i.e. for n = 1000, p = 0.01 the 10th worst; this is inf{l : P(L <= l) > 1 - p}, which equals
/// inf{l : P(L <= l) >= 1 - p} whenever n*p is not an integer. The Acerbi-Tasche ES does not depend on
/// this choice. See historical.hpp for the other quantile types and ES conventions.
#pragma once

#include <concepts>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "../config.hpp"
#include "../core/policies.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// A VaR and the matching Expected Shortfall, both as positive losses.
template <class Real = double>
struct var_es_result {
  Real var;  ///< Value at Risk: the loss quantile at 1 - p
  Real es;   ///< Expected Shortfall: mean loss in the tail beyond VaR, >= var
};

/// Divisor of the variance a parametric estimator fits: `sample` divides the sum of squared deviations by
/// n - 1 (the unbiased variance; QuantLib, R's sd()), `population` by n (the maximum-likelihood variance;
/// PerformanceAnalytics' univariate methods). The sd, and so VaR - mean and ES - mean, differ by the factor
/// sqrt(n / (n - 1)). Defaults: normal_estimator `sample`, cornish_fisher_estimator `population`.
enum class variance_convention {
  sample,     ///< n - 1 divisor
  population  ///< n divisor
};

/// Tail probability for a confidence level: 1 - confidence rounded to 15 significant digits, so that
/// from_confidence(0.99) == 0.01 exactly as written.
inline double from_confidence(double confidence) noexcept {
  const double p = 1.0 - confidence;
  if (!(p > 0.0) || !(p < 1.0)) return p;  // the estimator reports the domain error
  char text[32];
  std::snprintf(text, sizeof text, "%.15g", p);
  return std::strtod(text, nullptr);
}

/// Policy bundle `Base` that also accepts tail probabilities p in (0.5, 1): the opt-in for the upper tail of
/// the loss distribution (the quantile of the gains side, e.g. a backtest of both tails with one estimator).
/// Without it every estimator and closed form reports p > 0.5 as a confidence level passed by mistake.
/// Written at the call site, e.g. `normal_var<allow_upper_tail<>>(0.0, 1.0, 0.99)`; composes with any bundle
/// (`allow_upper_tail<my_quiet_policies>`). No run-time cost.
template <policy_bundle Base = default_policies>
struct allow_upper_tail : Base {
  static constexpr bool upper_tail_allowed = true;  ///< read by upper_tail_allowed_v
};

/// True when bundle `P` opted in to p > 0.5 through allow_upper_tail.
template <class P>
inline constexpr bool upper_tail_allowed_v = requires {
  requires P::upper_tail_allowed;
};

/// Role concept of a VaR/ES estimator on a sample of losses: `var`, `es` and `var_es` at tail probability
/// p in (0, 0.5] ((0, 1) under allow_upper_tail). Errors (empty or non-finite sample, p outside that range,
/// too few observations) go through the estimator's error policy.
template <class E>
concept risk_estimator = requires(const E& e, std::span<const double> losses, double p) {
  { e.var(losses, p) } -> std::convertible_to<double>;
  { e.es(losses, p) } -> std::convertible_to<double>;
  { e.var_es(losses, p) } -> std::same_as<var_es_result<double>>;
};

TIERMARGIN_NAMESPACE_END
