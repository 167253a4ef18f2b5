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

/// Power-of-two exponent e with max|x| / 2^e in [1, 2) (0 for an all-zero sample). Moments are computed
/// on x / 2^e, which is exact (a power-of-two scaling), so that squares and higher powers neither
/// overflow (|x| near 1e308) nor underflow (|x| near 1e-170) and finite answers come out where they exist.
inline int scale_exponent(std::span<const double> x) noexcept {
  double m = 0.0;
  for (const double v : x) m = std::fmax(m, std::fabs(v));
  return m > 0.0 ? std::ilogb(m) : 0;
}

struct mean_sd {
  double mean;  ///< of x / 2^exponent
  double sd;    ///< of x / 2^exponent, n-1 divisor
  int exponent; ///< the sample's scale: multiply mean and sd by 2^exponent for the original units
};

/// Two-pass mean and sample standard deviation (n-1 divisor) of the sample scaled by 2^-exponent;
/// requires x.size() >= 2.
inline mean_sd sample_mean_sd(std::span<const double> x) noexcept {
  const int e = scale_exponent(x);
  const auto n = static_cast<double>(x.size());
  double sum = 0.0;
  for (const double v : x) sum += std::ldexp(v, -e);
  const double mean = sum / n;
  double ss = 0.0;
  for (const double v : x) {
    const double d = std::ldexp(v, -e) - mean;
    ss += d * d;
  }
  return {mean, std::sqrt(ss / (n - 1.0)), e};
}

struct central_moments {
  double mean;
  double m2;  ///< population (n divisor) central moments of x / 2^exponent, as PerformanceAnalytics'
  double m3;  ///< centeredmoment
  double m4;
  int exponent;
};

inline central_moments sample_central_moments(std::span<const double> x) noexcept {
  const int e = scale_exponent(x);
  const auto n = static_cast<double>(x.size());
  double sum = 0.0;
  for (const double v : x) sum += std::ldexp(v, -e);
  const double mean = sum / n;
  double s2 = 0.0, s3 = 0.0, s4 = 0.0;
  for (const double v : x) {
    const double d = std::ldexp(v, -e) - mean;
    const double d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  return {mean, s2 / n, s3 / n, s4 / n, e};
}

/// (mu + sigma * z) * 2^exponent without a spurious overflow of an intermediate: +-inf only when the
/// result itself is beyond the largest double.
inline double scaled_affine(double mu, double sigma, double z, int exponent) noexcept {
  const double direct = mu + sigma * z;
  if (std::isfinite(direct)) return std::ldexp(direct, exponent);
  return std::ldexp(std::ldexp(mu, -4) + std::ldexp(sigma, -4) * z, exponent + 4);
}

}  // namespace detail::models

TIERMARGIN_NAMESPACE_END
