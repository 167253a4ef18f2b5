// SPDX-License-Identifier: BSL-1.0
/// @file model_common.hpp  Private helpers shared by the model-based estimators (normal, Student-t,
/// Cornish-Fisher, EWMA/FHS, EVT, Monte Carlo, portfolio): sample validation and moments. Not part of
/// the public API.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>
#include <span>

#include "../../core/check.hpp"
#include "../../core/error.hpp"
#include "../estimator.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace detail::models {

inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Validate a sample: at least `min_n` observations (reported as insufficient_data with `requirement`,
/// which must say how many are needed) and every element finite (invalid_argument naming the element).
template <error_policy Error>
bool check_sample(const char* function, const char* argument, std::span<const double> x, std::size_t min_n,
                  const char* requirement) noexcept(Error::is_noexcept) {
  if (!check<Error>(x.size() >= min_n && !x.empty(), {error_kind::insufficient_data, function, argument,
                                                      static_cast<double>(x.size()), requirement}))
    return false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]))
      return check<Error>(false, {error_kind::invalid_argument, function, argument, x[i], "must be finite",
                                  static_cast<long>(i)});
  }
  return true;
}

struct mean_sd {
  double mean;
  double sd;  ///< n-1 divisor
};

/// Two-pass mean and sample standard deviation (n-1 divisor); requires x.size() >= 2.
inline mean_sd sample_mean_sd(std::span<const double> x) noexcept {
  const auto n = static_cast<double>(x.size());
  double sum = 0.0;
  for (const double v : x) sum += v;
  const double mean = sum / n;
  double ss = 0.0;
  for (const double v : x) ss += (v - mean) * (v - mean);
  return {mean, std::sqrt(ss / (n - 1.0))};
}

struct central_moments {
  double mean;
  double m2;  ///< population (n divisor) central moments, as PerformanceAnalytics' centeredmoment
  double m3;
  double m4;
};

inline central_moments sample_central_moments(std::span<const double> x) noexcept {
  const auto n = static_cast<double>(x.size());
  double sum = 0.0;
  for (const double v : x) sum += v;
  const double mean = sum / n;
  double s2 = 0.0, s3 = 0.0, s4 = 0.0;
  for (const double v : x) {
    const double d = v - mean;
    const double d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  return {mean, s2 / n, s3 / n, s4 / n};
}

}  // namespace detail::models

TIERMARGIN_NAMESPACE_END
