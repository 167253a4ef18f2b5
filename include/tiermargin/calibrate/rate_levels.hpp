// SPDX-License-Identifier: BSL-1.0
/// @file rate_levels.hpp  Constraints on a calibrated table: allowed maintenance rates (free, a leverage
/// list, a rate tick), the initial-margin rule and the number of tiers.
///
/// Initial margin: a level built from a leverage L has IMR = 1/L (so `leverage_levels(L, kappa)` gives
/// MMR = 1/(kappa L), IMR = kappa MMR, Binance's and Hyperliquid's rule, docs/calibration.md §1.1). A free rate or a
/// level without a leverage gets IMR = max(kappa * MMR, MMR + imr_buffer) and max leverage 1/IMR (EMIR-style
/// "IMR >= MMR + buffer" when kappa = 1). A table needs max leverage >= 1, so usable rates are at most
/// min(1/kappa, 1 - imr_buffer).
#pragma once

#include <cmath>
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "../core/check.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Allowed maintenance rates, ascending. Empty `maint_rates` means free (any real rate).
struct rate_levels {
  std::vector<double> maint_rates;    ///< strictly increasing, in (0, 1]; empty = free rates
  std::vector<double> max_leverages;  ///< empty, or one per rate (non-increasing): the leverage offered

  /// True when any rate is allowed (`maint_rates` empty).
  bool free() const noexcept { return maint_rates.empty(); }
};

/// Everything an optimizer must respect besides coverage.
struct tier_constraints {
  std::size_t max_tiers = 12;  ///< K, at most this many tiers
  double kappa = 2.0;          ///< IMR = max(kappa * MMR, MMR + imr_buffer) for levels without a leverage
  double imr_buffer = 0.0;     ///< absolute IMR add-on over MMR (0 = none)
  rate_levels levels{};        ///< allowed maintenance rates (default free)
};

/// Levels from a list of leverages (any order, each >= 1): MMR = 1/(kappa L), max leverage L.
/// Errors: kappa >= 1 and finite; leverages finite, >= 1, distinct. O(m log m).
template <error_policy Error = throw_errors>
rate_levels leverage_levels(std::span<const double> leverages, double kappa = 2.0) {
  constexpr const char* fn = "leverage_levels";
  rate_levels out;
  if (!detail::check<Error>(std::isfinite(kappa) && kappa >= 1.0,
                            {error_kind::invalid_argument, fn, "kappa", kappa, "must be finite and >= 1"}))
    return out;
  std::vector<double> sorted(leverages.begin(), leverages.end());
  for (std::size_t j = 0; j < sorted.size(); ++j)
    if (!detail::check<Error>(std::isfinite(sorted[j]) && sorted[j] >= 1.0,
                              {error_kind::invalid_argument, fn, "leverages", sorted[j], "must be finite and >= 1",
                               static_cast<long>(j)}))
      return out;
  // descending leverage = ascending rate
  for (std::size_t j = 1; j < sorted.size(); ++j)
    for (std::size_t i = j; i > 0 && sorted[i - 1] < sorted[i]; --i) std::swap(sorted[i - 1], sorted[i]);
  for (std::size_t j = 0; j < sorted.size(); ++j) {
    if (!detail::check<Error>(j == 0 || sorted[j] < sorted[j - 1],
                              {error_kind::invalid_argument, fn, "leverages", sorted[j], "must be distinct"}))
      return rate_levels{};
    out.maint_rates.push_back(1.0 / (kappa * sorted[j]));
    out.max_leverages.push_back(sorted[j]);
  }
  return out;
}

/// Levels tick, 2 tick, ..., up to max_rate (a rate tick, e.g. 0.0005 = 5 bp). Errors: 0 < tick <= max_rate
/// <= 1 and at most 1e6 levels.
template <error_policy Error = throw_errors>
rate_levels tick_levels(double tick, double max_rate) {
  constexpr const char* fn = "tick_levels";
  rate_levels out;
  if (!detail::check_finite_positive<Error>(fn, "tick", tick)) return out;
  if (!detail::check<Error>(std::isfinite(max_rate) && max_rate >= tick && max_rate <= 1.0 &&
                                max_rate / tick <= 1e6,
                            {error_kind::invalid_argument, fn, "max_rate", max_rate,
                             "must be in [tick, 1] with at most 1e6 levels"}))
    return out;
  const auto count = static_cast<std::size_t>(std::floor(max_rate / tick * (1.0 + 1e-12)));
  for (std::size_t j = 1; j <= count; ++j) out.maint_rates.push_back(tick * static_cast<double>(j));
  return out;
}

namespace detail {
/// Largest maintenance rate whose derived max leverage is >= 1.
inline double max_usable_rate(const tier_constraints& c) noexcept {
  return std::fmin(1.0 / c.kappa, 1.0 - c.imr_buffer);
}

/// Max leverage of a tier with maintenance rate `m` at level `level` (levels.size() for a free rate);
/// guaranteed >= 1 and with leverage * m <= 1 (IMR >= MMR) in floating point when m <= max_usable_rate.
inline double leverage_for(const tier_constraints& c, double m, std::size_t level) noexcept {
  if (level < c.levels.max_leverages.size()) return c.levels.max_leverages[level];
  const double imr = std::fmax(c.kappa * m, m + c.imr_buffer);
  double leverage = 1.0 / imr;
  while (leverage * m > 1.0 && leverage > 1.0) leverage = std::nextafter(leverage, 0.0);
  return leverage < 1.0 ? 1.0 : leverage;
}

template <error_policy Error>
bool check_constraints(const char* fn, const tier_constraints& c) noexcept(Error::is_noexcept) {
  if (!check<Error>(std::isfinite(c.kappa) && c.kappa >= 1.0,
                    {error_kind::invalid_argument, fn, "kappa", c.kappa, "must be finite and >= 1 (IMR >= MMR)"}))
    return false;
  if (!check<Error>(std::isfinite(c.imr_buffer) && c.imr_buffer >= 0.0 && c.imr_buffer < 1.0,
                    {error_kind::invalid_argument, fn, "imr_buffer", c.imr_buffer, "must be in [0, 1)"}))
    return false;
  const auto& rates = c.levels.maint_rates;
  const auto& leverages = c.levels.max_leverages;
  if (!check<Error>(leverages.empty() || leverages.size() == rates.size(),
                    {error_kind::invalid_argument, fn, "levels.max_leverages", static_cast<double>(leverages.size()),
                     "must be empty or have one entry per maint rate"}))
    return false;
  for (std::size_t j = 0; j < rates.size(); ++j) {
    if (!check<Error>(std::isfinite(rates[j]) && rates[j] > 0.0 && rates[j] <= 1.0 &&
                          (j == 0 || rates[j] > rates[j - 1]),
                      {error_kind::invalid_argument, fn, "levels.maint_rates", rates[j],
                       "must be in (0, 1] and strictly increasing", static_cast<long>(j)}))
      return false;
    if (leverages.empty()) {
      if (!check<Error>(rates[j] <= max_usable_rate(c),
                        {error_kind::invalid_argument, fn, "levels.maint_rates", rates[j],
                         "must be <= min(1/kappa, 1 - imr_buffer) so that max leverage >= 1; drop the level or "
                         "lower kappa",
                         static_cast<long>(j)}))
        return false;
    } else {
      const double l = leverages[j];
      if (!check<Error>(std::isfinite(l) && l >= 1.0 && l * rates[j] <= 1.0 && (j == 0 || l <= leverages[j - 1]),
                        {error_kind::invalid_argument, fn, "levels.max_leverages", l,
                         "must be >= 1, non-increasing, with 1/leverage >= maint rate (IMR >= MMR)",
                         static_cast<long>(j)}))
        return false;
    }
  }
  return true;
}
}  // namespace detail

TIERMARGIN_NAMESPACE_END
