// SPDX-License-Identifier: BSL-1.0
/// @file liquidity.hpp  Liquidity models for calibration: liquidation horizon, market impact (square-root
/// law, linear, order-book walk), half-spread and liquidation fee, all per unit of notional.
///
/// docs/calibration.md §2 and docs/conventions.md "The optimizers, stated exactly": a position of notional x (quote
/// currency, e.g. USD) is unwound at participation rate pi of the average daily volume V after a delay h0:
///   horizon  h(x) = h0 + x / (pi V)                        (days)
///   impact   square root: (2/3) Y sigma sqrt(x / V)        (average shortfall of a square-root-law unwind:
///            the peak impact Y sigma sqrt(Q/V) averaged over the unwind, Tóth et al. 2011 / §2)
///            linear:      (1/2) Y sigma x / V               (average of a linear impact Y sigma q/V)
///            order book:  (touch - average fill) / mid of walking a book snapshot, the worse of bids and asks
///   costs    half_spread + fee                              (Bangia et al. constant-spread term, §2)
/// Every term is non-decreasing in x. An impact model is anything with `double rate(double notional) const`.
#pragma once

#include <algorithm>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include "../core/check.hpp"
#include "../core/policies.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Role concept of a market-impact model: average liquidation cost per unit notional of unwinding x,
/// finite and >= 0, never throwing. A model may also offer `template <error_policy E> bool validate(const
/// char* fn) const`, which `liquidity_model::validate` calls.
template <class M>
concept impact_model = requires(const M& m, double x) {
  { m.rate(x) } noexcept -> std::convertible_to<double>;
};

namespace detail {
/// Shared check of the (Y, sigma, V) parameters of the closed-form impact laws.
template <error_policy Error>
bool check_impact_parameters(const char* fn, double Y, double sigma, double daily_volume) noexcept(Error::is_noexcept) {
  return check_finite_nonnegative<Error>(fn, "liquidity.impact.Y", Y) &&
         check_finite_nonnegative<Error>(fn, "liquidity.impact.sigma", sigma) &&
         check_finite_positive<Error>(fn, "liquidity.impact.daily_volume", daily_volume);
}
}  // namespace detail

/// Square-root law, average shortfall (2/3) Y sigma sqrt(x / V). sigma: daily volatility (fraction), V: daily
/// volume in quote currency, Y: prefactor of order one. O(1).
struct square_root_impact {
  double Y = 1.0;             ///< prefactor, of order one
  double sigma = 0.0;         ///< daily volatility, fraction of price
  double daily_volume = 1.0;  ///< V, average daily volume in quote currency
  /// Cost rate (fraction of notional) of liquidating `notional` (quote currency): (2/3) Y sigma sqrt(x / V).
  double rate(double notional) const noexcept { return 2.0 / 3.0 * Y * sigma * std::sqrt(notional / daily_volume); }
  /// Y, sigma >= 0 and V > 0, all finite.
  template <error_policy Error>
  bool validate(const char* fn) const noexcept(Error::is_noexcept) {
    return detail::check_impact_parameters<Error>(fn, Y, sigma, daily_volume);
  }
};

/// Linear impact alternative, average shortfall (1/2) Y sigma x / V (Almgren-Chriss linear temporary
/// impact averaged over the unwind). Grows faster than the square-root law for x > (16/9) V. O(1).
struct linear_impact {
  double Y = 1.0;             ///< prefactor, of order one
  double sigma = 0.0;         ///< daily volatility, fraction of price
  double daily_volume = 1.0;  ///< V, average daily volume in quote currency
  /// Cost rate (fraction of notional) of liquidating `notional` (quote currency): (1/2) Y sigma x / V.
  double rate(double notional) const noexcept { return 0.5 * Y * sigma * notional / daily_volume; }
  /// Y, sigma >= 0 and V > 0, all finite.
  template <error_policy Error>
  bool validate(const char* fn) const noexcept(Error::is_noexcept) {
    return detail::check_impact_parameters<Error>(fn, Y, sigma, daily_volume);
  }
};

/// No impact (for tests and for isolating the price-risk term).
struct no_impact {
  /// Zero for every notional.
  double rate(double) const noexcept { return 0.0; }
};

static_assert(impact_model<square_root_impact> && impact_model<linear_impact> && impact_model<no_impact>);

/// Impact from an order-book snapshot. Liquidating a long sells into the bids, a short buys from the asks;
/// for notional x (valued at mid, quantity x / mid) the cost rate beyond the half-spread is
/// (touch - average fill price) / mid on the bid side ((average fill - touch) / mid on the asks), and `rate`
/// is the worse side. Inside the snapshot's depth this is the exact book walk (piecewise, non-decreasing).
/// **Beyond the depth** D of a side (the notional of its whole visible book at mid) the book is extrapolated by
/// the square-root law, never as zero: rate(x) = max(rate(D) sqrt(x / D), c sqrt(x)), where c is the
/// least-squares fit of rate(x_j) = c sqrt(x_j) over the cumulative notionals x_j at the end of each level
/// (c = sum rate_j sqrt(x_j) / sum x_j). The first term continues the book continuously, the second keeps the
/// whole book's square-root shape; both are stated in `depth()` / `sqrt_coefficient()`.
/// Construction O(L log L) (levels are sorted by price), `rate` O(log L), no allocation after construction.
template <policy_bundle Policies = default_policies>
class order_book_impact {
 public:
  order_book_impact() = default;

  /// From the two sides of a snapshot (any order within a side; quantities in base units, > 0).
  /// Errors (through Policies::error; the model is then invalid and `rate` returns NaN): empty side, a
  /// non-finite or non-positive price or quantity, a side whose notional overflows a double, crossed book
  /// (best bid >= best ask).
  order_book_impact(std::span<const double> bid_prices, std::span<const double> bid_quantities,
                    std::span<const double> ask_prices, std::span<const double> ask_quantities) {
    constexpr const char* fn = "order_book_impact::order_book_impact";
    if (!build_side(fn, "bid_prices", bid_prices, bid_quantities, true, m_bids) ||
        !build_side(fn, "ask_prices", ask_prices, ask_quantities, false, m_asks))
      return;
    const double best_bid = m_bids.price.front(), best_ask = m_asks.price.front();
    if (!detail::check<on_error>(best_bid < best_ask, {error_kind::invalid_argument, fn, "bid_prices", best_bid,
                                                       "best bid must be below best ask (crossed book)"}))
      return;
    m_mid = 0.5 * best_bid + 0.5 * best_ask;  // no overflow for prices near DBL_MAX
    finish_side(m_bids, true);
    finish_side(m_asks, false);
    if (!detail::check<on_error>(std::isfinite(m_bids.depth) && std::isfinite(m_bids.coefficient),
                                 {error_kind::invalid_argument, fn, "bid_quantities", m_bids.depth,
                                  "the bid side's depth at mid overflows a double"}) ||
        !detail::check<on_error>(std::isfinite(m_asks.depth) && std::isfinite(m_asks.coefficient),
                                 {error_kind::invalid_argument, fn, "ask_quantities", m_asks.depth,
                                  "the ask side's depth at mid overflows a double"}))
      return;
    m_valid = true;
  }

  /// False when construction rejected the book under a non-throwing policy.
  bool valid() const noexcept { return m_valid; }
  /// Mid price (best bid + best ask) / 2.
  double mid() const noexcept { return m_mid; }
  /// Half-spread as a fraction of mid, (ask - bid) / (2 mid).
  double half_spread() const noexcept { return m_valid ? (m_asks.price.front() - m_bids.price.front()) / (2 * m_mid) : 0.0; }
  /// Notional (at mid) of the visible book on the bid (long liquidation) or ask side.
  double depth(bool bid_side) const noexcept { return bid_side ? m_bids.depth : m_asks.depth; }
  /// Least-squares square-root coefficient c of a side (rate ~ c sqrt(x)).
  double sqrt_coefficient(bool bid_side) const noexcept { return bid_side ? m_bids.coefficient : m_asks.coefficient; }

  /// Cost rate of liquidating notional x on one side (see the class comment).
  double side_rate(double notional, bool bid_side) const noexcept {
    if (!m_valid || !(notional >= 0.0)) return std::numeric_limits<double>::quiet_NaN();
    const side& s = bid_side ? m_bids : m_asks;
    if (notional <= s.depth) return walk(s, notional, bid_side);
    return std::fmax(walk(s, s.depth, bid_side) * std::sqrt(notional / s.depth), s.coefficient * std::sqrt(notional));
  }
  /// Worse of the two sides. O(log L).
  double rate(double notional) const noexcept {
    return std::fmax(side_rate(notional, true), side_rate(notional, false));
  }

 private:
  using on_error = typename Policies::error;
  struct side {
    std::vector<double> price, cum_quantity, cum_value;  ///< level prices, prefix sums of q and p q
    double depth = 0.0, coefficient = 0.0;
  };
  side m_bids, m_asks;
  double m_mid = 0.0;
  bool m_valid = false;

  bool build_side(const char* fn, const char* arg, std::span<const double> prices, std::span<const double> quantities,
                  bool descending, side& out) {
    if (!detail::check<on_error>(!prices.empty() && prices.size() == quantities.size(),
                                 {error_kind::insufficient_data, fn, arg, static_cast<double>(prices.size()),
                                  "needs at least one level and one quantity per price"}))
      return false;
    std::vector<std::size_t> order(prices.size());
    for (std::size_t j = 0; j < order.size(); ++j) {
      if (!detail::check<on_error>(std::isfinite(prices[j]) && prices[j] > 0.0 && std::isfinite(quantities[j]) &&
                                       quantities[j] > 0.0,
                                   {error_kind::invalid_argument, fn, arg, prices[j],
                                    "prices and quantities must be finite and > 0", static_cast<long>(j)}))
        return false;
      order[j] = j;
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return descending ? prices[a] > prices[b] : prices[a] < prices[b];
    });
    double q = 0.0, v = 0.0;
    out.cum_quantity.push_back(0.0);
    out.cum_value.push_back(0.0);
    for (const std::size_t j : order) {
      out.price.push_back(prices[j]);
      q += quantities[j];
      v += prices[j] * quantities[j];
      out.cum_quantity.push_back(q);
      out.cum_value.push_back(v);
    }
    return detail::check<on_error>(std::isfinite(v) && std::isfinite(q),
                                   {error_kind::invalid_argument, fn, arg, v,
                                    "the side's total quantity or notional (sum of price * quantity) overflows a "
                                    "double"});
  }

  void finish_side(side& s, bool bid_side) const {
    s.depth = s.cum_quantity.back() * m_mid;
    double num = 0.0, den = 0.0;
    for (std::size_t j = 1; j < s.cum_quantity.size(); ++j) {
      const double x = s.cum_quantity[j] * m_mid;
      num += walk(s, x, bid_side) * std::sqrt(x);
      den += x;
    }
    s.coefficient = den > 0.0 ? num / den : 0.0;
  }

  /// Exact walk for notional x <= depth.
  double walk(const side& s, double notional, bool bid_side) const noexcept {
    if (notional <= 0.0) return 0.0;
    const double quantity = std::fmin(notional / m_mid, s.cum_quantity.back());
    // first level whose cumulative quantity reaches `quantity`
    const auto it = std::lower_bound(s.cum_quantity.begin() + 1, s.cum_quantity.end(), quantity);
    const auto j = static_cast<std::size_t>(it - s.cum_quantity.begin());  // 1..L
    const std::size_t level = j - 1;
    const double value = s.cum_value[level] + (quantity - s.cum_quantity[level]) * s.price[level];
    const double average = value / quantity;
    const double touch = s.price.front();
    return std::fmax(0.0, (bid_side ? touch - average : average - touch) / m_mid);
  }
};

/// The liquidity side of the required-margin curve: horizon, impact, half-spread and fee.
template <impact_model Impact = square_root_impact>
struct liquidity_model {
  double daily_volume = 1.0;   ///< V, average daily volume in quote currency
  double participation = 0.1;  ///< pi, fraction of V the liquidation may take
  double delay_days = 0.0;     ///< h0, days before the unwind starts
  double half_spread = 0.0;    ///< spread / 2, fraction of price
  double fee = 0.0;            ///< liquidation fee / insurance buffer, fraction of notional
  Impact impact{};             ///< the impact model (cost rate beyond half-spread and fee)

  /// Liquidation horizon h(x) = h0 + x / (pi V) in days. O(1).
  double horizon_days(double notional) const noexcept { return delay_days + notional / (participation * daily_volume); }
  /// Liquidation cost rate impact(x) + half_spread + fee. O(1) (O(log L) for a book).
  double cost_rate(double notional) const noexcept { return impact.rate(notional) + half_spread + fee; }

  /// Validates the parameters through `Error`: V, pi > 0 finite, pi <= 1, h0, half_spread, fee >= 0 finite
  /// and h(x) > 0 for x > 0; and the impact model's own parameters when it has a `validate`.
  template <error_policy Error>
  bool validate(const char* fn) const noexcept(Error::is_noexcept) {
    if constexpr (requires { impact.template validate<Error>(fn); })
      if (!impact.template validate<Error>(fn)) return false;
    return detail::check_finite_positive<Error>(fn, "liquidity.daily_volume", daily_volume) &&
           detail::check<Error>(std::isfinite(participation) && participation > 0.0 && participation <= 1.0,
                                {error_kind::invalid_argument, fn, "liquidity.participation", participation,
                                 "must be in (0, 1]"}) &&
           detail::check_finite_nonnegative<Error>(fn, "liquidity.delay_days", delay_days) &&
           detail::check_finite_nonnegative<Error>(fn, "liquidity.half_spread", half_spread) &&
           detail::check_finite_nonnegative<Error>(fn, "liquidity.fee", fee);
  }
};

namespace detail {
/// Mean as sum(x_i / n): for values whose plain sum overflows a double (each term is <= DBL_MAX / n).
inline double overflow_safe_mean(std::span<const double> x) noexcept {
  double mean = 0.0;
  const auto n = static_cast<double>(x.size());
  for (const double v : x) mean += v / n;
  return mean;
}
}  // namespace detail

/// Mean of the last `window` values of a volume column (all of them when window is 0 or larger than the
/// column): the V of the liquidity model; volumes whose sum overflows are averaged as sum(v / n), so a finite
/// column always has a finite mean. Errors: empty column, a non-finite or negative volume, a zero mean.
/// O(window).
template <error_policy Error = throw_errors>
double average_daily_volume(std::span<const double> volumes, std::size_t window = 0) noexcept(Error::is_noexcept) {
  constexpr const char* fn = "average_daily_volume";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (!detail::check<Error>(!volumes.empty(), {error_kind::insufficient_data, fn, "volumes", nan,
                                               "needs at least 1 volume (read the series with its volume column)"}))
    return nan;
  const std::size_t count = window == 0 || window > volumes.size() ? volumes.size() : window;
  double sum = 0.0;
  for (std::size_t i = volumes.size() - count; i < volumes.size(); ++i) {
    if (!detail::check<Error>(std::isfinite(volumes[i]) && volumes[i] >= 0.0,
                              {error_kind::invalid_argument, fn, "volumes", volumes[i], "must be finite and >= 0",
                               static_cast<long>(i)}))
      return nan;
    sum += volumes[i];
  }
  double mean = sum / static_cast<double>(count);
  if (!std::isfinite(mean)) mean = detail::overflow_safe_mean(volumes.last(count));
  if (!detail::check<Error>(mean > 0.0, {error_kind::invalid_argument, fn, "volumes", mean,
                                         "average volume must be > 0"}))
    return nan;
  return mean;
}

/// Sample standard deviation of the last `window` returns (all when 0): the daily sigma of the impact law.
/// Finite returns whose sum or squares overflow are rescaled, so the result is exact to rounding whenever it
/// is representable. Errors: fewer than 2 returns (insufficient_data), a non-finite return (with its
/// index), a standard deviation above DBL_MAX. O(window).
template <error_policy Error = throw_errors>
double daily_volatility(std::span<const double> returns, std::size_t window = 0) noexcept(Error::is_noexcept) {
  constexpr const char* fn = "daily_volatility";
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t count = window == 0 || window > returns.size() ? returns.size() : window;
  if (!detail::check<Error>(count >= 2, {error_kind::insufficient_data, fn, "returns", static_cast<double>(count),
                                         "needs at least 2 returns"}))
    return nan;
  const std::span<const double> x = returns.last(count);
  double mean = 0.0;
  for (std::size_t i = 0; i < count; ++i) {
    if (!detail::check<Error>(std::isfinite(x[i]),
                              {error_kind::invalid_argument, fn, "returns", x[i], "must be finite",
                               static_cast<long>(returns.size() - count + i)}))
      return nan;
    mean += x[i];
  }
  mean /= static_cast<double>(count);
  if (!std::isfinite(mean)) mean = detail::overflow_safe_mean(x);
  double ss = 0.0;
  for (const double v : x) ss += (v - mean) * (v - mean);
  double sd = std::sqrt(ss / static_cast<double>(count - 1));
  if (!std::isfinite(sd)) {  // squares overflow: scale the deviations by the largest one
    double scale = 0.0;
    for (const double v : x) scale = std::fmax(scale, std::fabs(v - mean));
    double scaled = 0.0;
    for (const double v : x) scaled += ((v - mean) / scale) * ((v - mean) / scale);
    sd = scale * std::sqrt(scaled / static_cast<double>(count - 1));
  }
  if (!detail::check<Error>(std::isfinite(sd), {error_kind::invalid_argument, fn, "returns", sd,
                                                "the standard deviation overflows a double"}))
    return nan;
  return sd;
}

TIERMARGIN_NAMESPACE_END
