// SPDX-License-Identifier: BSL-1.0
/// @file student_t.hpp  Location-scale Student-t VaR/ES: closed forms and a maximum-likelihood estimator
/// that fits location, scale AND degrees of freedom.
///
/// Parameterisation: L = mu + s * T with T standard t_nu. `scale` s is NOT the standard deviation:
/// sd = s * sqrt(nu / (nu - 2)) for nu > 2 (`student_t_scale_from_sd` converts). With q = t_nu^{-1}(1 - p):
///   VaR_p = mu + s q,   ES_p = mu + s * g_nu(q) / p * (nu + q^2) / (nu - 1)   (nu > 1)
/// (McNeil-Frey-Embrechts QRM p.45, QRMlib ESst; docs/risk.md section 4). The "unit-variance" t of docs/risk.md is
/// s = sqrt((nu - 2) / nu).
///
/// Fit (profile likelihood): for a fixed nu the location/scale MLE is found by the parameter-expanded EM
/// iteration of Kent, Tyler & Vardi (1994): w_i = (nu + 1) / (nu + d_i^2), d_i = (x_i - mu)/s,
/// mu = sum w x / sum w, s^2 = sum w (x - mu)^2 / sum w (same fixed point as plain EM, since sum w = n at
/// the MLE, and faster). The profile log-likelihood is then maximised over log(nu) in [min_dof, max_dof]
/// by Brent's bracketed 1-D method (boost::math::tools::brent_find_minima). The EM starts at the median
/// and normalised MAD (found allocation-free by bisection on the bit patterns), so one 1e308 loss does not
/// inflate the start; it runs on the sample scaled by a power of two near that scale (exact), divides
/// residuals by the scale before squaring and evaluates w u, w u^2 in overflow-free forms, so losses of
/// 1e-170 or 1e308 neither underflow nor overflow.
///
/// Ties (stale or pegged prices): a value shared by a fraction h of the sample makes the likelihood
/// unbounded (scale -> 0 at that value) for every dof < h / (1 - h) (Kent & Tyler 1991); e.g. 70% zeros
/// give dof < 2.33. The dof search is restricted to [max(min_dof, h / (1 - h)), max_dof], where the
/// fixed-dof MLE exists. `fit` reports convergence and bounds by value in `student_t_fit` (a status the
/// caller must read); `var`, `es` and `var_es` report a fit that did not converge, or whose dof sits at
/// the lower bound, as insufficient_data instead of a number (the upper bound is the normal limit and
/// is accepted).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <bit>
#include <numbers>
#include <span>

#include <boost/math/distributions/students_t.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/tools/minima.hpp>

#include "../core/boost_policy.hpp"
#include "../core/check.hpp"
#include "../core/policies.hpp"
#include "detail/model_common.hpp"
#include "estimator.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Result of a Student-t maximum-likelihood fit, with its convergence diagnostics.
struct student_t_fit {
  double location;        ///< t location mu (the median and, for nu > 1, the mean)
  double scale;           ///< t scale s (not the standard deviation)
  double dof;             ///< degrees of freedom nu
  double log_likelihood;  ///< at the reported parameters
  int iterations;         ///< outer (nu) iterations; inner EM iterations are not counted
  bool converged;         ///< the dof search and the location/scale EM at the reported dof met their tolerances
  bool dof_at_bound;      ///< nu ended within 1e-4 (relative) of its lower bound (min_dof, raised by heavy ties:
                          ///< see the file comment) or of max_dof: the MLE may lie outside
  /// Standard deviation s * sqrt(nu / (nu - 2)); +inf for nu <= 2.
  double sd() const noexcept {
    return dof > 2.0 ? scale * std::sqrt(dof / (dof - 2.0)) : std::numeric_limits<double>::infinity();
  }
};

/// Options of the fit. `fixed_dof > 0` fixes nu and fits location and scale only. The search range
/// [min_dof, max_dof] is narrowed to dof > h / (1 - h) when a value holds a share h of the sample (see the
/// file comment).
struct student_t_fit_options {
  double fixed_dof = 0.0;    ///< nu to fix (> 0), or 0 to estimate it
  double min_dof = 1.0;      ///< lower end of the nu search, > 0
  double max_dof = 1000.0;   ///< upper end of the nu search, finite and > min_dof
  int max_iterations = 200;  ///< for the outer Brent search and for each inner EM
};

namespace detail::models {

template <error_policy Error>
bool check_t_args(const char* function, double mu, double scale, double dof, double p, bool need_mean,
                  bool upper_tail_allowed) noexcept(Error::is_noexcept) {
  if (!(check_finite<Error>(function, "location", mu) && check_finite_positive<Error>(function, "scale", scale) &&
        check_finite_positive<Error>(function, "dof", dof) &&
        check_tail_probability<Error>(function, "p", p, upper_tail_allowed)))
    return false;
  if (need_mean)
    return check<Error>(dof > 1.0, {error_kind::invalid_argument, function, "dof", dof,
                                    "must be > 1 for the Expected Shortfall (the mean must exist)"});
  return true;
}

/// Standard t_nu: {q = t^{-1}(1 - p), ES of the standard t} (ES only meaningful for nu > 1).
inline var_es_result<double> standard_t_tail(double dof, double p) noexcept {
  const boost::math::students_t_distribution<double, boost_math_policy> t(dof);
  const double q = quantile(complement(t, p));
  const double es = dof > 1.0 ? pdf(t, q) / p * (dof + q * q) / (dof - 1.0) : nan;
  return {q, es};
}

/// The closed forms at (mu, s, nu): VaR and (when `need_es`) ES, or an error naming 'dof' when the
/// standard t quantile or tail mean itself is beyond the largest double (tiny dof), else 'scale' when
/// mu + s * q is.
template <error_policy Error>
var_es_result<double> t_closed_form(const char* function, double mu, double s, double dof, double p,
                                    bool need_es) noexcept(Error::is_noexcept) {
  const auto t = standard_t_tail(dof, p);
  if (!check<Error>(std::isfinite(t.var) && (!need_es || std::isfinite(t.es)),
                    {error_kind::invalid_argument, function, "dof", dof,
                     "is too small: the standard t quantile (or tail mean) at p is beyond the largest double"}))
    return {nan, nan};
  const var_es_result<double> r{scaled_affine(mu, s, t.var, 0), need_es ? scaled_affine(mu, s, t.es, 0) : nan};
  if (!check<Error>(std::isfinite(r.var) && (!need_es || std::isfinite(r.es)),
                    {error_kind::invalid_argument, function, "scale", s,
                     "is too large: location + scale * quantile is beyond the largest double"}))
    return {nan, nan};
  return r;
}

/// log(1 + (diff / s)^2 / nu) without overflow of the quotient or its square.
inline double log1p_square_over(double diff, double s, double nu) noexcept {
  const double a = std::fabs(diff) / s;
  if (a < 1e150) return std::log1p(a * a / nu);
  return 2.0 * (std::log(std::fabs(diff)) - std::log(s)) - std::log(nu) + std::log1p(nu / a / a);
}

/// Log-likelihood of the sample scaled by 2^-exponent at (mu, s) in those units; add
/// -n * exponent * ln 2 for the likelihood in the original units.
inline double t_log_likelihood(std::span<const double> x, double mu, double s, double nu, int exponent) noexcept {
  const auto n = static_cast<double>(x.size());
  const boost_math_policy pol;
  const power_of_two scale(-exponent);
  double sum = 0.0;
  for (const double v : x) sum += log1p_square_over(scale(v) - mu, s, nu);
  return n * (boost::math::lgamma((nu + 1.0) / 2.0, pol) - boost::math::lgamma(nu / 2.0, pol) -
              0.5 * std::log(nu * std::numbers::pi) - std::log(s)) -
         (nu + 1.0) / 2.0 * sum;
}

struct t_location_scale {
  double mu;
  double s;
  bool converged;
};

/// Location/scale MLE for fixed nu by the Kent-Tyler-Vardi EM iteration on x / 2^exponent, started at
/// (mu0, s0) in those units. With u = (x - mu)/s and w = (nu + 1)/(nu + u^2), the products w u and w u^2
/// are evaluated as (nu + 1)/(nu/u + u) and (nu + 1)/(nu/u^2 + 1) for |u| > 1, so that a residual of
/// 1e308 scales (u = inf) contributes its limits 0 and nu + 1 instead of 0 * inf.
inline t_location_scale t_em(std::span<const double> x, double nu, double mu0, double s0, int max_iter,
                             int exponent) noexcept {
  const power_of_two scale(-exponent);
  double mu = mu0;
  double s = s0;
  for (int it = 0; it < max_iter; ++it) {
    double sw = 0.0, swu = 0.0, swu2 = 0.0;
    for (const double v : x) {
      const double u = (scale(v) - mu) / s;
      const double w = (nu + 1.0) / (nu + u * u);
      const bool large = std::fabs(u) > 1.0;
      sw += w;
      swu += large ? (nu + 1.0) / (nu / u + u) : w * u;
      swu2 += large ? (nu + 1.0) / (nu / u / u + 1.0) : w * u * u;
    }
    // mu_new = mu + s delta with delta = sum w u / sum w; sum w r^2 = sum w (u - delta)^2 in units of s^2.
    const double delta = swu / sw;
    const double mu_new = mu + s * delta;
    const double swr = swu2 - 2.0 * delta * swu + delta * delta * sw;
    const double s_new = s * std::sqrt(std::fmax(swr, 0.0) / sw);
    const bool done = std::fabs(mu_new - mu) <= 1e-12 * s_new + 1e-300 && std::fabs(s_new - s) <= 0.5e-12 * s_new;
    mu = mu_new;
    s = s_new;
    if (done) return {mu, s, true};
  }
  return {mu, s, false};
}

/// Monotone map of a double to an unsigned key (order-preserving for finite values).
inline std::uint64_t order_key(double v) noexcept {
  const auto bits = std::bit_cast<std::uint64_t>(v);
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}
inline double from_order_key(std::uint64_t k) noexcept {
  return std::bit_cast<double>((k >> 63) != 0 ? k & ~(std::uint64_t{1} << 63) : ~k);
}

/// The k-th smallest (0-based) of |x_i - center| (absolute = true) or of x_i, without allocation:
/// bisection over the ordered bit patterns of doubles, 64 counting passes. O(64 n).
inline double kth_smallest(std::span<const double> x, std::size_t k, bool absolute, double center) noexcept {
  auto value = [&](double v) { return absolute ? std::fabs(v - center) : v; };
  std::uint64_t lo = 0, hi = ~std::uint64_t{0};
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    std::size_t at_most = 0;
    for (const double v : x) at_most += order_key(value(v)) <= mid ? std::size_t{1} : std::size_t{0};
    if (at_most > k) hi = mid;
    else lo = mid + 1;
  }
  return from_order_key(lo);
}

/// Share of the sample held by its most repeated value (exact count), found allocation-free by the
/// Misra-Gries heavy-hitter pass with 15 counters: any value holding more than 1/16 of the sample is found;
/// below that the returned share may be that of a smaller atom (never more than the true largest). O(15 n).
inline double largest_tie_share(std::span<const double> x) noexcept {
  constexpr std::size_t slots = 15;
  double value[slots] = {};
  std::size_t count[slots] = {};
  for (const double v : x) {
    std::size_t free_slot = slots;
    bool found = false;
    for (std::size_t j = 0; j < slots && !found; ++j) {
      if (count[j] > 0 && value[j] == v) {
        ++count[j];
        found = true;
      } else if (count[j] == 0 && free_slot == slots) {
        free_slot = j;
      }
    }
    if (found) continue;
    if (free_slot < slots) {
      value[free_slot] = v;
      count[free_slot] = 1;
    } else {
      for (std::size_t& c : count) --c;
    }
  }
  std::size_t exact[slots] = {};
  for (const double v : x)
    for (std::size_t j = 0; j < slots; ++j) exact[j] += count[j] > 0 && value[j] == v ? std::size_t{1} : std::size_t{0};
  std::size_t best = x.empty() ? 0 : 1;
  for (const std::size_t c : exact) best = c > best ? c : best;
  return static_cast<double>(best) / static_cast<double>(x.size());
}

}  // namespace detail::models

/// Student-t VaR and ES at tail probability p. O(1). Errors: non-finite location, scale <= 0, dof <= 0,
/// p outside (0, 0.5] (see allow_upper_tail), dof <= 1 (the ES needs a finite mean), a VaR or ES beyond the
/// largest double (on 'dof' when the standard t quantile overflows, e.g. dof = 5e-324; else on 'scale').
template <policy_bundle Policies = default_policies>
var_es_result<double> student_t_var_es(double location, double scale, double dof, double p) noexcept(
    is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::models::check_t_args<on_error>("student_t_var_es", location, scale, dof, p, true,
                                              upper_tail_allowed_v<Policies>))
    return {detail::models::nan, detail::models::nan};
  return detail::models::t_closed_form<on_error>("student_t_var_es", location, scale, dof, p, true);
}

/// Student-t VaR mu + s * t_nu^{-1}(1 - p). O(1). Errors: as student_t_var_es except that any dof > 0 with a
/// representable quantile works.
template <policy_bundle Policies = default_policies>
double student_t_var(double location, double scale, double dof, double p) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::models::check_t_args<on_error>("student_t_var", location, scale, dof, p, false,
                                              upper_tail_allowed_v<Policies>))
    return detail::models::nan;
  return detail::models::t_closed_form<on_error>("student_t_var", location, scale, dof, p, false).var;
}

/// Student-t ES. O(1). Errors as student_t_var_es (dof <= 1 is an error).
template <policy_bundle Policies = default_policies>
double student_t_es(double location, double scale, double dof, double p) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::models::check_t_args<on_error>("student_t_es", location, scale, dof, p, true,
                                              upper_tail_allowed_v<Policies>))
    return detail::models::nan;
  return detail::models::t_closed_form<on_error>("student_t_es", location, scale, dof, p, true).es;
}

/// The t scale s that gives standard deviation `sd` at `dof` > 2: s = sd * sqrt((nu - 2) / nu).
template <policy_bundle Policies = default_policies>
double student_t_scale_from_sd(double sd, double dof) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  if (!detail::check_finite_positive<on_error>("student_t_scale_from_sd", "sd", sd)) return detail::models::nan;
  if (!detail::check<on_error>(std::isfinite(dof) && dof > 2.0,
                               {error_kind::invalid_argument, "student_t_scale_from_sd", "dof", dof,
                                "must be finite and > 2 (the variance must exist)"}))
    return detail::models::nan;
  return sd * std::sqrt((dof - 2.0) / dof);
}

/// Student-t estimator: maximum-likelihood fit of location, scale and dof (see the file comment), then
/// the closed forms. Satisfies `risk_estimator`. O(n * EM iterations * Brent iterations); allocation-free.
/// Needs at least 10 finite observations with non-zero spread; options are validated at use
/// (0 < min_dof < max_dof finite; fixed_dof >= 0).
template <policy_bundle Policies = default_policies>
class student_t_estimator {
 public:
  student_t_estimator() = default;
  /// With fit options (validated at use).
  explicit student_t_estimator(student_t_fit_options options) noexcept : m_options(options) {}

  /// The fit options.
  const student_t_fit_options& options() const noexcept { return m_options; }

  /// Maximum-likelihood fit with diagnostics; all-NaN parameters under quiet_nan on bad input.
  student_t_fit fit(std::span<const double> losses) const noexcept(is_noexcept_v<Policies>) {
    return fit_impl("student_t_estimator::fit", losses);
  }

  /// VaR and ES of `losses` (positive = loss) at tail probability `p` in (0, 1), e.g. 0.01 for 99%.
  /// Errors (p outside (0, 1), a bad or too short sample) through `Policies::error`; NaNs under `quiet_nan`.
  var_es_result<double> var_es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate("student_t_estimator::var_es", losses, p, true);
  }
  /// VaR only; as `var_es`.
  double var(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate("student_t_estimator::var", losses, p, false).var;
  }
  /// ES only; as `var_es`.
  double es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return evaluate("student_t_estimator::es", losses, p, true).es;
  }

 private:
  student_t_fit_options m_options{};

  /// A fit in the units of the sample scaled by 2^exponent, and the Kent-Tyler dof bound used.
  struct scaled_fit {
    student_t_fit fit;  ///< location and scale in scaled units; log_likelihood in original units
    int exponent;
    double tie_share;   ///< largest share of tied observations
    double dof_floor;   ///< max(min_dof, tie_share / (1 - tie_share))
    bool at_lower_bound;
    bool tie_limited;   ///< the dof (fixed or fitted) is at or below the tie bound h / (1 - h)
  };

  var_es_result<double> evaluate(const char* function, std::span<const double> losses, double p,
                                 bool need_es) const noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    using detail::models::nan;
    if (!detail::check_tail_probability<on_error>(function, "p", p, upper_tail_allowed_v<Policies>)) return {nan, nan};
    const scaled_fit sf = fit_scaled(function, losses);
    const student_t_fit& f = sf.fit;
    if (std::isnan(f.scale)) return {nan, nan};  // fit_scaled reported why
    // A fit that did not converge, or whose dof sits at its lower bound, is not a maximum of the
    // likelihood: report it instead of returning the (often absurd, e.g. 1e-44) closed form. The upper
    // bound is benign: the profile likelihood is still rising towards its normal limit there, and the
    // VaR/ES differ from that limit by O(1 / max_dof).
    if (!detail::check<on_error>(!sf.tie_limited, {error_kind::insufficient_data, function, "losses", sf.tie_share,
                                         "has this share of observations tied at one value (stale or pegged "
                                         "prices?): the Student-t likelihood is unbounded for dof < share / (1 - "
                                         "share) and its maximum sits at that bound; use a historical estimator "
                                         "or fix options.fixed_dof well above the bound"}) ||
        !detail::check<on_error>(!sf.at_lower_bound,
                                 {error_kind::insufficient_data, function, "losses", f.dof,
                                  "gives a maximum-likelihood dof at options.min_dof (the likelihood rises "
                                  "below it); lower min_dof or fix the dof (value: the fitted dof)"}) ||
        !detail::check<on_error>(f.converged, {error_kind::insufficient_data, function, "losses",
                                               static_cast<double>(f.iterations),
                                               "did not give a converged Student-t maximum-likelihood fit within "
                                               "options.max_iterations (value: outer iterations)"}))
      return {nan, nan};
    if (need_es && !detail::check<on_error>(f.dof > 1.0, {error_kind::insufficient_data, function, "losses", f.dof,
                                                          "fitted dof must be > 1 for the Expected Shortfall"}))
      return {nan, nan};
    const auto t = detail::models::standard_t_tail(f.dof, p);
    const var_es_result<double> r{detail::models::scaled_affine(f.location, f.scale, t.var, sf.exponent),
                                  need_es ? detail::models::scaled_affine(f.location, f.scale, t.es, sf.exponent)
                                          : nan};
    if (!detail::check<on_error>(std::isfinite(r.var) && (!need_es || std::isfinite(r.es)),
                                 {error_kind::invalid_argument, function, "losses",
                                  std::ldexp(f.scale, sf.exponent),
                                  "give a fitted VaR/ES beyond the largest double (value: fitted scale)"}))
      return {nan, nan};
    return r;
  }

  student_t_fit fit_impl(const char* function, std::span<const double> x) const noexcept(is_noexcept_v<Policies>) {
    scaled_fit sf = fit_scaled(function, x);
    sf.fit.location = std::ldexp(sf.fit.location, sf.exponent);
    sf.fit.scale = std::ldexp(sf.fit.scale, sf.exponent);
    return sf.fit;
  }

  scaled_fit fit_scaled(const char* function, std::span<const double> x) const noexcept(is_noexcept_v<Policies>) {
    using on_error = typename Policies::error;
    using detail::models::nan;
    const scaled_fit bad{{nan, nan, nan, nan, 0, false, false}, 0, nan, nan, false, false};
    const auto& o = m_options;
    if (!detail::check<on_error>(std::isfinite(o.fixed_dof) && o.fixed_dof >= 0.0,
                                 {error_kind::invalid_argument, function, "options.fixed_dof", o.fixed_dof,
                                  "must be finite and >= 0 (0 estimates the dof)"}) ||
        !detail::check<on_error>(o.min_dof > 0.0 && o.max_dof > o.min_dof && std::isfinite(o.max_dof),
                                 {error_kind::invalid_argument, function, "options.min_dof", o.min_dof,
                                  "must satisfy 0 < min_dof < max_dof < inf"}) ||
        !detail::check<on_error>(o.max_iterations > 0, {error_kind::invalid_argument, function,
                                                        "options.max_iterations",
                                                        static_cast<double>(o.max_iterations), "must be > 0"}))
      return bad;
    if (!detail::models::check_sample<on_error>(function, "losses", x, 10, "needs at least 10 observations"))
      return bad;
    const auto moments = detail::models::sample_mean_sd(x);
    if (!detail::check<on_error>(moments.sd > 0.0, {error_kind::insufficient_data, function, "losses", 0.0,
                                                    "needs at least 2 distinct values (standard deviation is 0)"}))
      return bad;
    // Start: median and normalised MAD (robust to a 1e308 outlier, which would otherwise inflate the
    // starting scale by hundreds of orders of magnitude); mean and sd when the MAD is 0 (more than half
    // the sample tied). The fit then runs on x / 2^e (exact) with 2^e the start scale's binade, so that
    // the bulk of the sample is O(1) (the log-likelihood differences that drive the dof search keep full
    // precision for losses near 1e-170), raised if needed so that differences of losses cannot overflow;
    // residuals are divided by the scale before squaring.
    const std::size_t mid = (x.size() - 1) / 2;
    const double median = detail::models::kth_smallest(x, mid, false, 0.0);
    const double mad = 1.482602218505602 * detail::models::kth_smallest(x, mid, true, median);
    const double start_scale = mad > 0.0 ? mad : std::ldexp(moments.sd, moments.exponent);
    const int e = std::max(std::isfinite(start_scale) ? std::ilogb(start_scale) : moments.exponent,
                           moments.exponent - 1019);
    const struct {
      double mean, sd;
    } start = mad > 0.0 ? decltype(start){std::ldexp(median, -e), std::ldexp(mad, -e)}
                        : decltype(start){std::ldexp(moments.mean, moments.exponent - e),
                                          std::ldexp(moments.sd, moments.exponent - e)};
    const double log_units = -static_cast<double>(x.size()) * static_cast<double>(e) * std::numbers::ln2;
    // Kent & Tyler (1991): a value shared by a fraction h of the sample makes the location-scale
    // likelihood unbounded (s -> 0 at that value) for every dof < h / (1 - h), and only there. The dof
    // search is restricted to the region where the fixed-dof MLE exists, so heavy ties (stale prices)
    // cannot drive the fit to a collapsed scale; if the maximum then sits at that floor the estimators
    // report it (see evaluate).
    const double h = detail::models::largest_tie_share(x);
    const double tie_floor = h < 1.0 ? h / (1.0 - h) : std::numeric_limits<double>::infinity();
    const double dof_floor = std::fmax(o.min_dof, tie_floor);

    if (o.fixed_dof > 0.0) {
      const auto ls = detail::models::t_em(x, o.fixed_dof, start.mean, start.sd, o.max_iterations, e);
      // A dof so small (e.g. 1e-300) that the EM weights underflow leaves no finite scale: report it.
      if (!detail::check<on_error>(std::isfinite(ls.s) && ls.s > 0.0 && std::isfinite(ls.mu),
                                   {error_kind::invalid_argument, function, "options.fixed_dof", o.fixed_dof,
                                    "is too small: the location/scale fit at this dof has no finite solution"}))
        return bad;
      return {{ls.mu, ls.s, o.fixed_dof, detail::models::t_log_likelihood(x, ls.mu, ls.s, o.fixed_dof, e) + log_units,
               0, ls.converged, false},
              e, h, dof_floor, false, o.fixed_dof <= tie_floor};
    }
    if (!(dof_floor < o.max_dof)) {
      return {{start.mean, start.sd, dof_floor, nan, 0, false, true}, e, h, dof_floor, true, tie_floor >= o.min_dof};
    }
    // A trial EM that stops at max_iterations (e.g. dof 1000 with an outlier, far from the optimum) gives
    // a lower bound of the profile at that dof (EM never decreases the likelihood), so it can only make
    // that dof look worse; convergence is judged on the Brent search and on the EM at the chosen dof.
    const int max_iter = o.max_iterations;
    auto negative_profile = [&](double log_nu) {
      const double nu = std::exp(log_nu);
      const auto ls = detail::models::t_em(x, nu, start.mean, start.sd, max_iter, e);
      const double ll = detail::models::t_log_likelihood(x, ls.mu, ls.s, nu, e);
      return std::isfinite(ll) ? -ll : std::numeric_limits<double>::max();
    };
    std::uintmax_t iterations = static_cast<std::uintmax_t>(max_iter);
    const auto best = boost::math::tools::brent_find_minima(negative_profile, std::log(dof_floor),
                                                            std::log(o.max_dof), 30, iterations);
    const double nu = std::exp(best.first);
    const auto ls = detail::models::t_em(x, nu, start.mean, start.sd, max_iter, e);
    const bool at_lower = nu <= dof_floor * (1.0 + 1e-4);
    const bool at_bound = at_lower || nu >= o.max_dof * (1.0 - 1e-4);
    if (!detail::check<on_error>(std::isfinite(ls.s) && ls.s > 0.0 && std::isfinite(ls.mu),
                                 {error_kind::insufficient_data, function, "losses", nu,
                                  "give no finite Student-t location/scale at the fitted dof (value: dof; a tiny "
                                  "options.min_dof lets the dof search reach values where the EM underflows)"}))
      return bad;
    return {{ls.mu, ls.s, nu, detail::models::t_log_likelihood(x, ls.mu, ls.s, nu, e) + log_units,
             static_cast<int>(iterations),
             ls.converged && iterations < static_cast<std::uintmax_t>(max_iter), at_bound},
            e, h, dof_floor, at_lower, at_lower && tie_floor >= o.min_dof};
  }
};

static_assert(risk_estimator<student_t_estimator<>>);

TIERMARGIN_NAMESPACE_END
