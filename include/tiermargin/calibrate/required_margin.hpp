// SPDX-License-Identifier: BSL-1.0
/// @file required_margin.hpp  The required-margin curve r(x) = risk(p, h(x)) + impact(x) + spread/2 + fee on a
/// grid of notionals, from any `risk_estimator` over the liquidation horizon h(x), with EMIR-style
/// anti-procyclicality options. R(x) = x r(x) is the required margin in money.
///
/// Price risk over a horizon of h periods (the sampling period of `prices`; `periods_per_day` converts the
/// horizon in days): the estimator runs on the losses of a long and of a short on the exact overlapping
/// h-period returns P[t+h]/P[t] - 1 (risk/horizon.hpp) and the worse tail is taken (risk/losses.hpp
/// `both_tails`), for every integer h = 1..H. H, the longest exact horizon, is where the history allows:
/// the largest h whose count of non-overlapping h-periods, floor((n-1)/h), still holds ceil(1/p)
/// observations (at least one tail observation of independent data) — or the caller's `max_exact_horizon`.
/// The integer-horizon figures are made non-decreasing in h (running max: risk cannot fall with a longer
/// unwind; the empirical estimates are noisy), interpolated linearly between integers, scaled by sqrt(h)
/// below one period (from the one-period figure) and by sqrt(h / H) beyond H (square-root of time from the
/// longest exact horizon; see risk/horizon.hpp for its assumptions). So r is non-decreasing in x.
///
/// Anti-procyclicality (EMIR RTS 153/2013 art. 28, docs/calibration.md §1.4), each optional:
///  (a) `apc_buffer` b: the whole rate is multiplied by (1 + b) (EMIR: b >= 0.25, releasable in stress);
///  (b) `stressed_weight` w: risk = (1 - w) risk(current prices) + w risk(stressed-period prices) (EMIR: w >= 0.25);
///  (c) `long_lookback_floor`: risk >= risk(long-lookback prices, e.g. 10 years).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "../risk/estimator.hpp"
#include "../risk/horizon.hpp"
#include "../risk/losses.hpp"
#include "liquidity.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Which tail figure of the estimator is the price-risk term.
enum class risk_measure { value_at_risk, expected_shortfall };

/// Options of the required-margin curve (see the file comment).
struct required_margin_options {
  double p = 0.01;                                           ///< tail probability (0.01 = 99%)
  risk_measure measure = risk_measure::expected_shortfall;  ///< ES (default) or VaR
  return_kind kind = return_kind::simple;                    ///< returns the losses are computed from
  double periods_per_day = 1.0;                              ///< sampling periods per day of `prices`
  std::size_t max_exact_horizon = 0;                         ///< longest exact h in periods; 0 = automatic
  double apc_buffer = 0.0;                                   ///< (a) rate multiplied by 1 + apc_buffer
  double stressed_weight = 0.0;                              ///< (b) weight on the stressed period, in [0, 1]
  bool long_lookback_floor = false;                          ///< (c) floor at the long-lookback risk
};

/// The curve on a grid of notionals, with its components (rates are per unit notional).
struct required_margin_curve {
  std::vector<double> notionals;     ///< x_i
  std::vector<double> horizon_days;  ///< h(x_i)
  std::vector<double> risk_rate;     ///< price risk over h(x_i), after (b) and (c)
  std::vector<double> cost_rate;     ///< impact + half-spread + fee
  std::vector<double> rate;          ///< r(x_i) = (1 + apc_buffer)(risk + cost)
  std::vector<double> required;      ///< R(x_i) = x_i r(x_i), money
  std::size_t max_exact_horizon = 0; ///< H in periods, of the current-period prices
};

/// Price risk as a function of the horizon (in periods) from one price history (see the file comment).
class horizon_risk {
 public:
  horizon_risk() = default;
  /// From the risk at horizons 1..H periods (element h - 1), made non-decreasing in h. O(H).
  explicit horizon_risk(std::vector<double> by_integer_horizon) : m_risk(std::move(by_integer_horizon)) {
    for (std::size_t h = 1; h < m_risk.size(); ++h) m_risk[h] = std::fmax(m_risk[h], m_risk[h - 1]);
  }
  /// Longest exact horizon H.
  std::size_t max_exact_horizon() const noexcept { return m_risk.size(); }
  /// Risk over h > 0 periods: sqrt(h) scaling below 1, linear interpolation on [1, H], sqrt(h/H) beyond.
  double at(double h) const noexcept {
    if (m_risk.empty() || !(h >= 0.0)) return std::numeric_limits<double>::quiet_NaN();
    const double top = static_cast<double>(m_risk.size());
    if (h <= 1.0) return m_risk[0] * std::sqrt(h);
    if (h >= top) return m_risk.back() * std::sqrt(h / top);
    const double lo = std::floor(h);
    const auto j = static_cast<std::size_t>(lo);  // 1 <= j < H
    return m_risk[j - 1] + (h - lo) * (m_risk[j] - m_risk[j - 1]);
  }

 private:
  std::vector<double> m_risk;  ///< index h - 1
};

namespace detail {
/// Smallest count of independent observations an estimate at tail probability p needs: ceil(1/p).
/// Saturates at 2^62 for tiny p (no history is that long), so the conversion is always defined.
inline std::size_t tail_observations(double p) noexcept {
  const double k = std::ceil(1.0 / p - 1e-9);
  if (!(k < 0x1p62)) return static_cast<std::size_t>(0x1p62);
  return static_cast<std::size_t>(k < 1.0 ? 1.0 : k);
}

template <policy_bundle Policies, risk_estimator Estimator>
horizon_risk make_horizon_risk(const char* fn, const char* argument, const Estimator& estimator,
                               std::span<const double> prices, const required_margin_options& options) {
  using on_error = typename Policies::error;
  const std::size_t need = tail_observations(options.p);
  const std::size_t n = prices.size();
  if (!check<on_error>(need < n, {error_kind::insufficient_data, fn, argument, static_cast<double>(n),
                                       "history too short: needs at least ceil(1/p) + 1 prices for one-period "
                                       "returns; give a longer history or a larger p"}))
    return {};
  const std::size_t automatic = (n - 1) / need;  // >= 1
  std::size_t H = automatic;
  if (options.max_exact_horizon != 0) {
    if (!check<on_error>(options.max_exact_horizon <= automatic,
                         {error_kind::insufficient_data, fn, "max_exact_horizon",
                          static_cast<double>(options.max_exact_horizon),
                          "history too short for this exact horizon h: needs at least h * ceil(1/p) + 1 prices; "
                          "lower max_exact_horizon (0 = automatic) or give a longer history"}))
      return {};
    H = options.max_exact_horizon;
  }
  if (!ret::check_prices<on_error>(fn, argument, prices, 1, n)) return {};
  std::vector<double> risk(H);
  std::vector<double> returns(n), scratch(n);
  for (std::size_t h = 1; h <= H; ++h) {
    // The exact h-period returns of overlapping_returns, through the same helper so that errors name this
    // function and its argument.
    const std::size_t m = n - h;
    if (!ret::h_period_returns<on_error>(fn, argument, prices, h, options.kind, std::span<double>(returns)))
      return {};
    const both_tails_result tails = both_tails<Policies>(estimator, std::span<const double>(returns.data(), m),
                                                         options.p, options.kind, std::span<double>(scratch));
    risk[h - 1] = options.measure == risk_measure::expected_shortfall ? tails.worse.es : tails.worse.var;
    if (!check<on_error>(std::isfinite(risk[h - 1]),
                         {error_kind::insufficient_data, fn, argument, risk[h - 1],
                          "the risk estimate over an exact horizon is not finite (the estimator reported an error)",
                          static_cast<long>(h)}))
      return {};
  }
  return horizon_risk(std::move(risk));
}
}  // namespace detail

/// Required-margin curve on `notionals` (strictly increasing, > 0): r(x) = (1 + apc_buffer) * (risk(h(x)) +
/// liquidity.cost_rate(x)), risk from `estimator` on `prices` (with the stressed and long-lookback price
/// histories when options (b) / (c) are on). O(H (n + estimator)) + O(N) for N notionals; allocates.
/// Errors (through Policies::error; NaN-filled / empty curve under quiet_nan): p outside (0, 1); a history
/// too short for the horizon (insufficient_data, saying how many prices are needed); bad prices (from
/// risk/horizon.hpp); non-monotone, non-finite or non-positive notionals; bad liquidity parameters; apc_buffer
/// < 0, stressed_weight outside [0, 1], or an option on without its price history; a horizon, price risk,
/// cost rate, rate or required margin that overflows a double (finite but huge fee, spread, volume, price
/// or notional), reported naming 'liquidity', 'prices', 'options.apc_buffer' or 'notionals' with the
/// notional's index; a simple return between two finite prices that overflows (named after the price
/// history, with the price's index). Errors of the estimator itself go through the estimator's policy.
template <policy_bundle Policies = default_policies, risk_estimator Estimator, impact_model Impact>
required_margin_curve required_margin(const Estimator& estimator, std::span<const double> prices,
                                      const liquidity_model<Impact>& liquidity, std::span<const double> notionals,
                                      const required_margin_options& options = {},
                                      std::span<const double> stressed_prices = {},
                                      std::span<const double> long_lookback_prices = {}) {
  using on_error = typename Policies::error;
  constexpr const char* fn = "required_margin";
  required_margin_curve out;
  if (!detail::check_tail_probability<on_error>(fn, "options.p", options.p, upper_tail_allowed_v<Policies>))
    return out;
  if (!detail::check_finite_positive<on_error>(fn, "options.periods_per_day", options.periods_per_day)) return out;
  if (!detail::check_finite_nonnegative<on_error>(fn, "options.apc_buffer", options.apc_buffer)) return out;
  if (!detail::check<on_error>(options.stressed_weight >= 0.0 && options.stressed_weight <= 1.0,
                               {error_kind::invalid_argument, fn, "options.stressed_weight", options.stressed_weight,
                                "must be in [0, 1]"}))
    return out;
  if (!detail::check<on_error>(options.stressed_weight == 0.0 || !stressed_prices.empty(),
                               {error_kind::invalid_argument, fn, "stressed_prices", 0.0,
                                "stressed_weight > 0 needs the stressed period's prices"}))
    return out;
  if (!detail::check<on_error>(!options.long_lookback_floor || !long_lookback_prices.empty(),
                               {error_kind::invalid_argument, fn, "long_lookback_prices", 0.0,
                                "long_lookback_floor needs the long-lookback prices"}))
    return out;
  if (!liquidity.template validate<on_error>(fn)) return out;
  if (!detail::check<on_error>(!notionals.empty(), {error_kind::insufficient_data, fn, "notionals", 0.0,
                                                    "needs at least one notional"}))
    return out;
  for (std::size_t i = 0; i < notionals.size(); ++i)
    if (!detail::check<on_error>(std::isfinite(notionals[i]) && notionals[i] > (i == 0 ? 0.0 : notionals[i - 1]),
                                 {error_kind::invalid_argument, fn, "notionals", notionals[i],
                                  "must be finite, > 0 and strictly increasing", static_cast<long>(i)}))
      return out;

  const horizon_risk current = detail::make_horizon_risk<Policies>(fn, "prices", estimator, prices, options);
  if (current.max_exact_horizon() == 0) return out;
  horizon_risk stressed, floor;
  if (options.stressed_weight > 0.0) {
    stressed = detail::make_horizon_risk<Policies>(fn, "stressed_prices", estimator, stressed_prices, options);
    if (stressed.max_exact_horizon() == 0) return out;
  }
  if (options.long_lookback_floor) {
    required_margin_options long_options = options;
    long_options.max_exact_horizon = 0;  // the long history has its own, longer H
    floor = detail::make_horizon_risk<Policies>(fn, "long_lookback_prices", estimator, long_lookback_prices,
                                                long_options);
    if (floor.max_exact_horizon() == 0) return out;
  }
  const std::size_t N = notionals.size();
  out.max_exact_horizon = current.max_exact_horizon();
  out.notionals.assign(notionals.begin(), notionals.end());
  out.horizon_days.resize(N);
  out.risk_rate.resize(N);
  out.cost_rate.resize(N);
  out.rate.resize(N);
  out.required.resize(N);
  const auto overflow = [&](const char* argument, double value, const char* requirement, std::size_t i) {
    return detail::check<on_error>(false, {error_kind::invalid_argument, fn, argument, value, requirement,
                                           static_cast<long>(i)});
  };
  for (std::size_t i = 0; i < N; ++i) {
    const double x = notionals[i];
    const double h = liquidity.horizon_days(x);
    const double periods = h * options.periods_per_day;
    if (!std::isfinite(periods)) {
      overflow("liquidity", h, "the liquidation horizon h(x) in periods overflows a double", i);
      return {};
    }
    double risk = current.at(periods);
    if (options.stressed_weight > 0.0)
      risk = (1.0 - options.stressed_weight) * risk + options.stressed_weight * stressed.at(periods);
    if (options.long_lookback_floor) risk = std::fmax(risk, floor.at(periods));
    if (!std::isfinite(risk)) {
      overflow("prices", risk, "the price risk over the liquidation horizon overflows a double", i);
      return {};
    }
    out.horizon_days[i] = h;
    out.risk_rate[i] = risk;
    out.cost_rate[i] = liquidity.cost_rate(x);
    if (!detail::check<on_error>(std::isfinite(out.cost_rate[i]) && out.cost_rate[i] >= 0.0,
                                 {error_kind::invalid_argument, fn, "liquidity", out.cost_rate[i],
                                  "the cost rate impact(x) + half_spread + fee at this notional must be finite "
                                  "and >= 0",
                                  static_cast<long>(i)}))
      return {};
    const double unbuffered = risk + out.cost_rate[i];
    out.rate[i] = (1.0 + options.apc_buffer) * unbuffered;
    if (!std::isfinite(out.rate[i])) {
      if (!std::isfinite(unbuffered))
        overflow(out.cost_rate[i] >= risk ? "liquidity" : "prices", unbuffered,
                 "price risk + cost rate overflows a double", i);
      else
        overflow("options.apc_buffer", options.apc_buffer, "(1 + apc_buffer) * rate overflows a double", i);
      return {};
    }
    out.required[i] = x * out.rate[i];
    if (!std::isfinite(out.required[i])) {
      overflow("notionals", x, "the required margin x * r(x) overflows a double", i);
      return {};
    }
  }
  return out;
}

TIERMARGIN_NAMESPACE_END
