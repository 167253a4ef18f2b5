// SPDX-License-Identifier: BSL-1.0
/// @file losses.hpp  Prices -> returns -> losses of a long or a short, and the "both tails" VaR/ES a
/// margin must cover.
///
/// Losses are positive and per unit of notional held at the start of the period (docs/conventions.md):
///  - simple return r = P1/P0 - 1:  long loss = -r,          short loss = r;
///  - log return    r = ln(P1/P0):  long loss = 1 - exp(r),  short loss = exp(r) - 1.
/// So a log return is turned into the money loss of the position, not just negated: a short that sees the
/// price double (r = ln 2) loses 100% of notional, a long that sees it halve loses 50%.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "../core/check.hpp"
#include "../core/policies.hpp"
#include "estimator.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// How a return is measured: simple P1/P0 - 1 or logarithmic ln(P1/P0).
enum class return_kind { simple, log };

/// Direction of the position whose losses are wanted.
enum class exposure_side { long_exposure, short_exposure };

/// Loss per unit notional of a position over one period with return `r` of kind `kind`. O(1), no checks
/// (a NaN return gives a NaN loss).
inline double loss_from_return(double r, return_kind kind, exposure_side side) noexcept {
  const double simple = kind == return_kind::simple ? r : std::expm1(r);
  return side == exposure_side::long_exposure ? -simple : simple;
}

/// Inverse of loss_from_return: the return of kind `kind` that makes a `side` position lose `loss` per
/// unit notional. O(1), no checks (a long loss >= 1 gives -inf or NaN for log returns).
inline double return_from_loss(double loss, return_kind kind, exposure_side side) noexcept {
  const double simple = side == exposure_side::long_exposure ? -loss : loss;
  return kind == return_kind::simple ? simple : std::log1p(simple);
}

namespace detail::ret {
/// First index of a non-finite value, or -1.
inline long first_non_finite(std::span<const double> x) noexcept {
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i])) return static_cast<long>(i);
  return -1;
}

template <error_policy Error>
bool check_all_finite(const char* function, const char* argument, std::span<const double> x) noexcept(
    Error::is_noexcept) {
  const long bad = first_non_finite(x);
  if (bad < 0) return true;
  return check<Error>(false, {error_kind::invalid_argument, function, argument, x[static_cast<std::size_t>(bad)],
                              "must be finite", bad});
}

template <error_policy Error>
bool check_output_size(const char* function, std::size_t have, std::size_t need) noexcept(Error::is_noexcept) {
  return check<Error>(have >= need, {error_kind::invalid_argument, function, "out", static_cast<double>(have),
                                     "output span is shorter than the number of results"});
}

inline void fill_nan(std::span<double> out) noexcept {
  for (double& v : out) v = std::numeric_limits<double>::quiet_NaN();
}
}  // namespace detail::ret

/// Losses of a `side` position for each return: out[i] = loss_from_return(returns[i], kind, side).
/// O(n), no allocation. Returns the number of values written (returns.size()). In place is allowed:
/// `out` may start at returns.data(); any other overlap is reported.
/// Errors: a non-finite return (reported with its index), a log return whose loss exp(r) - 1 overflows (r >
/// ~709.78), `out` shorter than `returns` or partly overlapping it. Under quiet_nan the first min(out.size(), n) slots are set to NaN and that count is
/// returned.
template <policy_bundle Policies = default_policies>
std::size_t losses_from_returns(std::span<const double> returns, std::span<double> out, return_kind kind,
                                exposure_side side) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  const std::size_t n = returns.size();
  if (!detail::ret::check_output_size<on_error>("losses_from_returns", out.size(), n) ||
      !detail::check_in_place_or_disjoint<on_error>("losses_from_returns", "out", out, returns) ||
      !detail::ret::check_all_finite<on_error>("losses_from_returns", "returns", returns)) {
    const std::size_t m = n < out.size() ? n : out.size();
    detail::ret::fill_nan(out.first(m));
    return m;
  }
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = loss_from_return(returns[i], kind, side);
    if (!detail::check<on_error>(std::isfinite(out[i]),  // a log return above ~709.78: exp(r) - 1 overflows
                                 {error_kind::invalid_argument, "losses_from_returns", "returns", returns[i],
                                  "the loss of this log return, exp(r) - 1, overflows a double",
                                  static_cast<long>(i)})) {
      detail::ret::fill_nan(out.first(n));
      return n;
    }
  }
  return n;
}

/// Allocating convenience form of losses_from_returns.
template <policy_bundle Policies = default_policies>
std::vector<double> losses_from_returns(std::span<const double> returns, return_kind kind, exposure_side side) {
  std::vector<double> out(returns.size());
  losses_from_returns<Policies>(returns, out, kind, side);
  return out;
}

/// One-period returns of a price series: out[t] = P[t+1]/P[t] - 1 (computed as (P[t+1]-P[t])/P[t]) or
/// ln(P[t+1]/P[t]) (computed with log1p of the same ratio, accurate for small moves). n prices give n-1
/// returns; O(n), no allocation. Returns the number of values written. In place is allowed: `out` may
/// start at prices.data() (out[t] is written after prices[t + 1] is read); any other overlap is reported.
/// Errors: a price that is not finite and > 0 (reported with its index), fewer than 2 prices
/// (insufficient_data), `out` too short or partly overlapping `prices`, a simple return that overflows a
/// double (P[t+1]/P[t] > ~1.8e308; reported as element t+1 of 'prices'; log returns never overflow).
/// Under quiet_nan the output slots are NaN.
template <policy_bundle Policies = default_policies>
std::size_t returns_from_prices(std::span<const double> prices, std::span<double> out,
                                return_kind kind) noexcept(is_noexcept_v<Policies>);

/// Allocating convenience form of returns_from_prices (n - 1 values; empty on error under quiet_nan when
/// fewer than 2 prices are given).
template <policy_bundle Policies = default_policies>
std::vector<double> returns_from_prices(std::span<const double> prices, return_kind kind) {
  std::vector<double> out(prices.size() > 1 ? prices.size() - 1 : 0);
  returns_from_prices<Policies>(prices, out, kind);
  return out;
}

namespace detail::ret {
/// Validate a price series (the caller's `argument`) for an h-period return: finite, > 0, at least h + 1
/// prices, room for n - h values in `out`.
template <error_policy Error>
bool check_prices(const char* function, const char* argument, std::span<const double> prices, std::size_t h,
                  std::size_t out_size) noexcept(Error::is_noexcept) {
  if (!check<Error>(prices.size() > h,
                    {error_kind::insufficient_data, function, argument, static_cast<double>(prices.size()),
                     h == 1 ? "needs at least 2 prices" : "needs at least h + 1 prices"}))
    return false;
  for (std::size_t i = 0; i < prices.size(); ++i) {
    const double v = prices[i];
    if (!(std::isfinite(v) && v > 0.0))
      return check<Error>(false, {error_kind::invalid_argument, function, argument, v, "must be finite and > 0",
                                  static_cast<long>(i)});
  }
  return check_output_size<Error>(function, out_size, prices.size() - h);
}

/// Return of kind `kind` from price a to price b (both finite and > 0). A log return stays finite for any
/// such prices (ln b - ln a when the ratio overflows); a simple return is +inf when b / a overflows.
inline double period_return(double a, double b, return_kind kind) noexcept {
  const double simple = (b - a) / a;
  if (kind == return_kind::simple) return simple;
  // log1p is accurate for ordinary moves; where the ratio overflows, or rounds to -1 (b/a < ~1.1e-16), the
  // difference of logs is exact enough and finite.
  return std::isfinite(simple) && simple > -1.0 ? std::log1p(simple) : std::log(b) - std::log(a);
}

/// out[t] = period_return(prices[t], prices[t + h], kind) for t = 0..n-h-1, prices already validated
/// (check_prices). A simple return that overflows a double is reported as element t + h of `argument`;
/// false then. In place (out.data() == prices.data()) is safe: out[t] is written after both prices are read.
template <error_policy Error>
bool h_period_returns(const char* function, const char* argument, std::span<const double> prices, std::size_t h,
                      return_kind kind, std::span<double> out) noexcept(Error::is_noexcept) {
  for (std::size_t t = 0; t + h < prices.size(); ++t) {
    out[t] = period_return(prices[t], prices[t + h], kind);
    if (!check<Error>(std::isfinite(out[t]),
                      {error_kind::invalid_argument, function, argument, prices[t + h],
                       "the simple return to this price overflows a double (use log returns)",
                       static_cast<long>(t + h)}))
      return false;
  }
  return true;
}
}  // namespace detail::ret

template <policy_bundle Policies>
std::size_t returns_from_prices(std::span<const double> prices, std::span<double> out,
                                return_kind kind) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  constexpr const char* fn = "returns_from_prices";
  const auto fail = [&] {
    const std::size_t want = prices.size() > 1 ? prices.size() - 1 : 0;
    const std::size_t m = want < out.size() ? want : out.size();
    detail::ret::fill_nan(out.first(m));
    return m;
  };
  if (!detail::ret::check_prices<on_error>(fn, "prices", prices, 1, out.size()) ||
      !detail::check_in_place_or_disjoint<on_error>(fn, "out", out, prices) ||
      !detail::ret::h_period_returns<on_error>(fn, "prices", prices, 1, kind, out))
    return fail();
  return prices.size() - 1;
}

/// VaR and ES of a long and of a short on the same return sample, and the worse of the two.
struct both_tails_result {
  var_es_result<double> long_position;   ///< losses of a long (left tail of the returns)
  var_es_result<double> short_position;  ///< losses of a short (right tail of the returns)
  var_es_result<double> worse;           ///< componentwise maximum: var = max of VaRs, es = max of ESs
};

namespace detail::ret {
/// max that propagates NaN (std::max would drop it depending on the argument order).
inline double nan_max(double a, double b) noexcept {
  if (std::isnan(a) || std::isnan(b)) return std::numeric_limits<double>::quiet_NaN();
  return a < b ? b : a;
}
}  // namespace detail::ret

/// Both tails for margin: converts `returns` to losses of a long and of a short (loss_from_return) into
/// `scratch` (size >= returns.size()) and runs `estimator.var_es(losses, p)` on each. `worse` takes the
/// larger VaR and the larger ES separately (they may come from different sides): a margin rate must cover
/// whichever side a trader holds. Cost: two estimator calls plus O(n); no allocation.
/// Errors: `scratch` too short or overlapping `returns` (invalid_argument, NaN results under quiet_nan: the
/// second pass re-reads the returns), a return that is not finite or whose loss overflows (named 'returns'
/// with its index); everything else (bad p, too short a sample) is reported by the estimator through its
/// own error policy.
template <policy_bundle Policies = default_policies, risk_estimator Estimator>
both_tails_result both_tails(const Estimator& estimator, std::span<const double> returns, double p,
                             return_kind kind, std::span<double> scratch) {
  using on_error = typename Policies::error;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (!detail::check<on_error>(scratch.size() >= returns.size(),
                               {error_kind::invalid_argument, "both_tails", "scratch",
                                static_cast<double>(scratch.size()), "must hold at least returns.size() values"}) ||
      !detail::check_no_overlap<on_error>("both_tails", "scratch", scratch, returns))
    return {{nan, nan}, {nan, nan}, {nan, nan}};
  const std::span<double> losses = scratch.first(returns.size());
  both_tails_result r{};
  // Each side's losses, vetted here so that a bad return is reported as the caller's 'returns' (a NaN or inf
  // return, or a log return whose loss exp(r) - 1 overflows), not as the estimator's 'losses'.
  const auto side_losses = [&](exposure_side side) {
    for (std::size_t i = 0; i < returns.size(); ++i) {
      losses[i] = loss_from_return(returns[i], kind, side);
      if (!detail::check<on_error>(std::isfinite(losses[i]),
                                   {error_kind::invalid_argument, "both_tails", "returns", returns[i],
                                    "must be finite, with a finite loss (a log return's loss is exp(r) - 1)",
                                    static_cast<long>(i)}))
        return false;
    }
    return true;
  };
  if (!side_losses(exposure_side::long_exposure)) return {{nan, nan}, {nan, nan}, {nan, nan}};
  r.long_position = estimator.var_es(std::span<const double>(losses), p);
  if (!side_losses(exposure_side::short_exposure)) return {{nan, nan}, {nan, nan}, {nan, nan}};
  r.short_position = estimator.var_es(std::span<const double>(losses), p);
  r.worse = {detail::ret::nan_max(r.long_position.var, r.short_position.var),
             detail::ret::nan_max(r.long_position.es, r.short_position.es)};
  return r;
}

/// Allocating convenience form of both_tails (one vector of returns.size() doubles).
template <policy_bundle Policies = default_policies, risk_estimator Estimator>
both_tails_result both_tails(const Estimator& estimator, std::span<const double> returns, double p,
                             return_kind kind) {
  std::vector<double> scratch(returns.size());
  return both_tails<Policies>(estimator, returns, p, kind, scratch);
}

TIERMARGIN_NAMESPACE_END
