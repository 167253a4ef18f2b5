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

// Moments are computed on x / 2^e, which is exact (a power-of-two scaling), so that squares and higher
// powers neither overflow (|x| near 1e308) nor underflow (|x| near 1e-170): finite answers come out
// wherever they exist.

/// Multiplication by 2^k as two multiplications by representable powers of two: exact (as std::ldexp)
/// unless the result is subnormal, for every k a sample can need (|k| <= 2098), and several times faster
/// than std::ldexp in the inner loops.
struct power_of_two {
  double a;
  double b;
  explicit power_of_two(int k) noexcept : a(std::ldexp(1.0, k / 2)), b(std::ldexp(1.0, k - k / 2)) {}
  double operator()(double v) const noexcept { return v * a * b; }
};

struct mean_sd {
  double mean;  ///< of x / 2^exponent
  double sd;    ///< of x / 2^exponent, n - ddof divisor
  int exponent; ///< the sample's scale: multiply mean and sd by 2^exponent for the original units
};

/// First pass shared by the moment helpers: the exponent to scale by and the mean of x / 2^exponent.
/// Samples whose largest |x| lies in [2^-250, 2^250) need no scaling (fourth powers of deviations stay
/// within the double range), so they keep two passes; others get a third, scaled one.
inline void scaled_mean(std::span<const double> x, int& exponent, double& mean) noexcept {
  const auto n = static_cast<double>(x.size());
  double m = 0.0, sum = 0.0;
  for (const double v : x) {
    const double a = std::fabs(v);
    m = a > m ? a : m;  // not std::fmax: that is a library call here and doubles the pass time
    sum += v;
  }
  const int e = m > 0.0 ? std::ilogb(m) : 0;
  if (e > -250 && e < 250 && std::isfinite(sum)) {
    exponent = 0;
    mean = sum / n;
    return;
  }
  const power_of_two scale(-e);
  sum = 0.0;
  for (const double v : x) sum += scale(v);
  exponent = e;
  mean = sum / n;
}

/// Mean and sample standard deviation (n-1 divisor) of the sample scaled by 2^-exponent (see
/// scaled_mean); requires x.size() >= 2.
/// Mean and sd with divisor n - ddof (1: sample, 0: population).
inline mean_sd sample_mean_sd(std::span<const double> x, double ddof = 1.0) noexcept {
  int e = 0;
  double mean = 0.0;
  scaled_mean(x, e, mean);
  const power_of_two scale(-e);
  const auto n = static_cast<double>(x.size());
  double ss = 0.0;
  for (const double v : x) {
    const double d = scale(v) - mean;
    ss += d * d;
  }
  return {mean, std::sqrt(ss / (n - ddof)), e};
}

struct central_moments {
  double mean;
  double m2;  ///< population (n divisor) central moments of x / 2^exponent, as PerformanceAnalytics'
  double m3;  ///< centeredmoment
  double m4;
  int exponent;
};

inline central_moments sample_central_moments(std::span<const double> x) noexcept {
  int e = 0;
  double mean = 0.0;
  scaled_mean(x, e, mean);
  const power_of_two scale(-e);
  const auto n = static_cast<double>(x.size());
  double s2 = 0.0, s3 = 0.0, s4 = 0.0;
  for (const double v : x) {
    const double d = scale(v) - mean;
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
