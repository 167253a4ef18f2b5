// SPDX-License-Identifier: BSL-1.0
/// @file historical.hpp  Historical-simulation VaR and Expected Shortfall of a loss sample, in about one
/// pass over the data (selection, never a full sort).
///
/// Definitions (losses positive, tail probability p; L[1] >= L[2] >= ... >= L[n] the losses from the
/// worst, so the P&L X = -L sorted ascending is x_(i) = -L[i]):
///  - VaR_p = -Q_p(X), Q the Hyndman-Fan sample quantile of the P&L at p (type from `Policies::quantile`,
///    quantile.hpp). Type 1 (the default) is the k-th worst loss, k = ceil(n p): docs/risk.md section 3's
///    recommendation, QuantLib's percentile, R quantile(type=1) and numpy 'inverted_cdf' on the P&L,
///    Strata's IndexAboveQuantileMethod. As a quantile of the loss sample this is inf{l : P(L <= l) > 1-p};
///    it equals docs/conventions.md's inf{l : P(L <= l) >= 1 - p} except when n p is an integer, where that
///    lower quantile would be the (k+1)-th worst (docs/risk.md section 8.1 shows the same split in practice).
///    Type 7 reproduces PerformanceAnalytics' historical VaR (and pandas' linear rolling quantile).
///  - ES (es_convention):
///    acerbi_tasche (default): ES = [ L[1] + ... + L[m] + (n p - m) L[m+1] ] / (n p), m = floor(n p): the
///      tail mean with a fractional weight on the boundary observation (Acerbi-Tasche 2002, docs/risk.md
///      section 3); equals the mean of the k worst when n p is an integer. Coherent (subadditive).
///    worst_k: mean of the k = ceil(n p) worst losses (LCH SwapClear's "average of the 6 worst of 2500",
///      Boost.Accumulators' non_coherent_tail_mean).
///    beyond_var: mean of the losses strictly greater than VaR (QuantLib expectedShortfall; the
///      PerformanceAnalytics 'historical' ES with type 7). Needs at least one loss above VaR.
///  ES is reported as max(ES, VaR), so ES >= VaR always holds. With type 1 (and the Acerbi-Tasche or
///  worst_k ES) the max never binds beyond an ulp of rounding on a flat tail; it can bind when a quantile
///  type puts VaR deeper in the tail than the averaged set (type 3, e.g. losses {10, 10, 0, ...} at
///  n p = 2.4 has type-3 VaR 10 and Acerbi-Tasche mean 8.33).
///
/// Algorithm (docs/conventions.md performance model): for n >= 4096 and a tail of need << n observations, a
/// deterministic strided sample (at most 65536 values) gives a threshold t slightly inside the tail; one
/// pass validates every value and copies the candidates x >= t into the scratch buffer (blocks of 8 are
/// screened with a vectorisable comparison, only blocks holding a candidate are copied); if the
/// candidates do not cover the `need` order statistics (unlucky or adversarial data) the whole sample is
/// copied instead. A few std::nth_element calls on the candidates then place exactly the order statistics
/// needed. Expected cost O(n) with a constant close to one streaming pass; the result never depends on
/// the sample (the fallback keeps it exact). Scratch: n doubles (the common case touches only the
/// sample and the candidates).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <new>
#include <span>

#include "../core/check.hpp"
#include "../core/policies.hpp"
#include "estimator.hpp"
#include "quantile.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Which observations the historical Expected Shortfall averages (see historical.hpp).
enum class es_convention {
  acerbi_tasche,  ///< fractional weight on the boundary observation (default; coherent)
  worst_k,        ///< plain mean of the k = ceil(n p) worst losses
  beyond_var,     ///< mean of the losses strictly greater than VaR
};

namespace detail::hist {
inline constexpr double fuzz = 4.0 * std::numeric_limits<double>::epsilon();
inline constexpr std::size_t small_n = 4096;       ///< below this: copy everything, stack buffer
inline constexpr std::size_t max_sample = 65536;  ///< threshold sample size cap

/// Which order statistics (0-based indices into the losses sorted descending) a request needs.
struct tail_plan {
  quantile_position var;  ///< VaR = (1 - h) L[lo] + h L[hi]
  std::size_t m = 0;      ///< Acerbi-Tasche: number of whole observations
  double frac = 0.0;      ///<   weight of L[m]
  double denom = 1.0;     ///<   m + frac (= n p up to the fuzz)
  std::size_t k = 1;      ///< worst_k: number of worst losses averaged
  std::size_t need = 1;   ///< the `need` largest losses determine everything
  std::array<std::size_t, 5> positions{};  ///< indices to place with nth_element, any order
  std::size_t n_positions = 0;
};

inline void add_position(tail_plan& plan, std::size_t q) noexcept {
  if (plan.n_positions < plan.positions.size()) plan.positions[plan.n_positions++] = q;
  if (q + 1 > plan.need) plan.need = q + 1;
}

inline tail_plan make_plan(int type, std::size_t n, double p, bool want_es, es_convention conv) noexcept {
  tail_plan plan;
  plan.var = hyndman_fan_position(type, n, p);  // positions in the ascending P&L = descending losses
  plan.need = 0;
  add_position(plan, plan.var.lo);
  if (plan.var.hi != plan.var.lo) add_position(plan, plan.var.hi);
  const double na = static_cast<double>(n) * p;
  const double whole = std::floor(na + fuzz);
  plan.m = static_cast<std::size_t>(whole);
  plan.frac = na - whole;
  if (plan.frac < fuzz) plan.frac = 0.0;
  if (plan.m >= n) {
    plan.m = n;
    plan.frac = 0.0;
  }
  plan.denom = static_cast<double>(plan.m) + plan.frac;
  plan.k = plan.m + (plan.frac > 0.0 ? 1 : 0);
  if (plan.k < 1) plan.k = 1;
  if (plan.k > n) plan.k = n;
  if (want_es) {
    switch (conv) {
      case es_convention::acerbi_tasche:
        if (plan.m >= 1) add_position(plan, plan.m - 1);
        if (plan.frac > 0.0) add_position(plan, plan.m);
        break;
      case es_convention::worst_k: add_position(plan, plan.k - 1); break;
      case es_convention::beyond_var: break;  // losses > VaR are among the top hi + 1, already placed
    }
  }
  return plan;
}

/// Copy x into buf (buf has room for x.size()), returning the index of the first non-finite value or -1.
inline long copy_checked(std::span<const double> x, double* buf) noexcept {
  bool ok = true;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double v = x[i];
    ok &= std::fabs(v) <= std::numeric_limits<double>::max();
    buf[i] = v;
  }
  if (ok) return -1;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i])) return static_cast<long>(i);
  return -1;
}

inline constexpr std::size_t npos = static_cast<std::size_t>(-1);

/// Copy every x >= t into buf (room for `cap` values), return the count, or npos when more than about
/// `cap` candidates turn up; `ok` becomes false on a non-finite value. Blocks of 8 are screened with a
/// vectorisable OR of comparisons; only blocks holding a candidate (or a non-finite value) take the
/// branch-free copy loop, whose stores stay below cnt + 8 <= cap.
inline std::size_t filter(std::span<const double> x, double t, double* buf, std::size_t cap, bool& ok) noexcept {
  constexpr double big = std::numeric_limits<double>::max();
  constexpr std::size_t block = 8;
  const std::size_t n = x.size();
  const double* p = x.data();
  std::size_t cnt = 0;
  std::size_t i = 0;
  const auto copy = [&](std::size_t from, std::size_t to) {
    for (std::size_t j = from; j < to; ++j) {
      const double v = p[j];
      ok &= std::fabs(v) <= big;
      buf[cnt] = v;
      cnt += v >= t ? 1U : 0U;
    }
  };
  for (; i + block <= n; i += block) {
    unsigned flag = 0;
    for (std::size_t j = 0; j < block; ++j) {
      const double v = p[i + j];
      flag |= static_cast<unsigned>(v >= t) | static_cast<unsigned>(!(std::fabs(v) <= big));
    }
    if (flag == 0) continue;
    if (cnt + block > cap) return npos;
    copy(i, i + block);
  }
  if (cnt + (n - i) > cap) return npos;
  copy(i, n);
  return cnt;
}

/// Threshold sample size for n values of which the `need` largest matter, or 0 when the sample-and-filter
/// path does not pay (small n, or a tail that is not much smaller than n).
inline std::size_t sample_size(std::size_t n, std::size_t need) noexcept {
  if (n < small_n || need > n / 16) return 0;
  std::size_t s = need > 0 ? 64 * (n / need) : max_sample;
  s = std::clamp<std::size_t>(s, 2048, max_sample);
  return s > n / 4 ? n / 4 : s;
}

/// Sample rank (from the top) used as the threshold: the expected tail count in the sample plus a margin of
/// four standard deviations and four observations.
inline std::size_t sample_rank(std::size_t n, std::size_t need, std::size_t s) noexcept {
  const double expected = static_cast<double>(s) * static_cast<double>(need) / static_cast<double>(n);
  return static_cast<std::size_t>(std::ceil(expected + 4.0 * std::sqrt(expected) + 4.0));
}

/// Buffer the sample-and-filter path needs for n values and `need` order statistics: the sample, and twice
/// the expected number of candidates (the filter reports an overflow beyond that). n when that path
/// does not apply.
inline std::size_t fast_capacity(std::size_t n, std::size_t need) noexcept {
  const std::size_t s = sample_size(n, need);
  if (s == 0) return n;
  const double candidates = static_cast<double>(sample_rank(n, need, s)) * static_cast<double>(n) /
                            static_cast<double>(s);
  const auto cap = static_cast<std::size_t>(2.0 * candidates) + 1024;
  return std::min(n, std::max(s, cap));
}

/// Put into buf[0, cnt) a multiset containing the `need` largest values of x (cnt >= need); buf has room
/// for `cap` values. Returns cnt; npos when `cap` < x.size() turned out too small (retry with n); sets `bad`
/// to the index of the first non-finite value (and returns 0).
inline std::size_t gather_tail(std::span<const double> x, std::size_t need, double* buf, std::size_t cap,
                               long& bad) noexcept {
  const std::size_t n = x.size();
  bad = -1;
  const std::size_t s = sample_size(n, need);
  if (s != 0 && s <= cap) {
    const std::size_t stride = n / s;
    bool ok = true;
    for (std::size_t i = 0; i < s; ++i) {
      const double v = x[i * stride];
      ok &= std::fabs(v) <= std::numeric_limits<double>::max();
      buf[i] = v;
    }
    const std::size_t r = sample_rank(n, need, s);
    std::size_t cnt = npos;
    if (ok && r < s) {
      std::nth_element(buf, buf + (r - 1), buf + s, std::greater<>());
      cnt = filter(x, buf[r - 1], buf, cap, ok);
      if (ok && cnt != npos && cnt >= need) return cnt;
    }
    if (!ok) {
      for (std::size_t i = 0; i < n; ++i)
        if (!std::isfinite(x[i])) {
          bad = static_cast<long>(i);
          return 0;
        }
    }
  }
  if (cap < n) return npos;
  bad = copy_checked(x, buf);  // small sample, large tail, or the threshold missed: take everything
  return n;
}

/// Place the planned order statistics in buf[0, cnt) (descending order), so that for every planned q,
/// buf[q] = L[q] and buf[0, q) holds the q largest.
inline void place(const tail_plan& plan, double* buf, std::size_t cnt) noexcept {
  // at most 5 positions: a hand-written insertion sort (descending), duplicates skipped below
  std::array<std::size_t, 5> q = plan.positions;
  const std::size_t count = std::min(plan.n_positions, q.size());
  for (std::size_t i = 1; i < count; ++i) {
    const std::size_t v = q[i];
    std::size_t j = i;
    for (; j > 0 && q[j - 1] < v; --j) q[j] = q[j - 1];
    q[j] = v;
  }
  std::size_t end = cnt;
  for (std::size_t i = 0; i < count; ++i) {
    if (q[i] >= end) continue;  // duplicate of the previous position
    std::nth_element(buf, buf + q[i], buf + end, std::greater<>());
    end = q[i];
  }
}

inline double sum(const double* x, std::size_t m) noexcept {
  double s = 0.0;
  for (std::size_t i = 0; i < m; ++i) s += x[i];
  return s;
}

/// The estimate once the order statistics are in place. `ok` is false for beyond_var with no loss above
/// VaR.
inline var_es_result<double> evaluate(const tail_plan& plan, const double* buf, bool want_es, es_convention conv,
                                      bool& ok) noexcept {
  ok = true;
  var_es_result<double> r{hyndman_fan_interpolate(buf[plan.var.lo], buf[plan.var.hi], plan.var.h), 0.0};
  if (!want_es) return r;
  switch (conv) {
    case es_convention::acerbi_tasche: {
      double s = sum(buf, plan.m);
      if (plan.frac > 0.0) s += plan.frac * buf[plan.m];
      r.es = s / plan.denom;
      break;
    }
    case es_convention::worst_k: r.es = sum(buf, plan.k) / static_cast<double>(plan.k); break;
    case es_convention::beyond_var: {
      double s = 0.0;
      std::size_t c = 0;
      for (std::size_t i = 0; i <= plan.var.hi; ++i)
        if (buf[i] > r.var) {
          s += buf[i];
          ++c;
        }
      ok = c > 0;
      r.es = ok ? s / static_cast<double>(c) : r.var;
      break;
    }
  }
  if (r.es < r.var) r.es = r.var;
  return r;
}

/// Smallest n with floor(n p + fuzz) >= 1.
inline std::size_t min_observations(double p) noexcept {
  if (!(p > 0.0 && p < 1.0)) return 0;
  constexpr double saturated = 0x1p62;  // no sample is that long; keeps the conversion below defined
  if (!((1.0 - fuzz) / p < saturated)) return static_cast<std::size_t>(saturated);
  auto n = static_cast<std::size_t>(std::ceil((1.0 - fuzz) / p));
  while (n > 1 && std::floor(static_cast<double>(n - 1) * p + fuzz) >= 1.0) --n;
  while (std::floor(static_cast<double>(n) * p + fuzz) < 1.0) ++n;
  return n;
}
}  // namespace detail::hist

/// Historical-simulation VaR/ES estimator (see the file comment for the exact definitions).
/// `Policies::quantile` picks the Hyndman-Fan type of VaR (default type 1), `Policies::error` the error
/// behaviour; the ES convention is a run-time choice (default Acerbi-Tasche). Stateless apart from that
/// choice, so a const object is safe to share across threads.
///
/// Every member taking `scratch` needs scratch.size() >= scratch_size(n) = n and a scratch that does not
/// overlap `losses` (checked in O(1) and reported naming 'scratch': the selection reorders it), does
/// no allocation and is O(n) expected. The members without `scratch` use a stack buffer for n < 4096;
/// above that they allocate one uninitialised buffer for the threshold sample and about twice the expected
/// number of tail candidates (a few times n p doubles), and one of n doubles only in the rare case where the
/// sampled threshold misses. If an allocation fails the error policy reports insufficient_data.
///
/// Errors (through `Policies::error`; NaN results under quiet_nan): p outside (0, 0.5] (see allow_upper_tail); empty
/// sample or n p < 1, i.e. fewer than min_observations(p) = ceil(1/p) observations (insufficient_data: the tail would
/// hold less than one observation); a NaN or infinite loss (reported with its element index); scratch too
/// short or overlapping `losses`; beyond_var with no loss strictly above VaR (insufficient_data); an ES
/// sum that overflows.
template <policy_bundle Policies = default_policies>
class historical {
 public:
  using policies = Policies;  ///< the policy bundle (error and quantile roles are used)

  constexpr historical() noexcept = default;
  /// With an ES convention other than the default Acerbi-Tasche tail mean.
  constexpr explicit historical(es_convention convention) noexcept : m_convention(convention) {}

  /// The ES convention in use.
  [[nodiscard]] constexpr es_convention convention() const noexcept { return m_convention; }

  /// Scratch doubles needed for a sample of n losses (n).
  [[nodiscard]] static constexpr std::size_t scratch_size(std::size_t n) noexcept { return n; }

  /// Smallest sample size accepted at tail probability p: the least n with n p >= 1 (ceil(1/p) up to
  /// rounding), 0 for p outside (0, 1).
  [[nodiscard]] static std::size_t min_observations(double p) noexcept { return detail::hist::min_observations(p); }

  /// VaR and ES at tail probability p, using `scratch` (no allocation).
  [[nodiscard]] var_es_result<double> var_es(std::span<const double> losses, double p,
                                             std::span<double> scratch) const noexcept(is_noexcept_v<Policies>) {
    return compute("historical::var_es", losses, p, scratch, true);
  }
  /// VaR and ES at tail probability p (allocates for n >= 4096, see the class comment).
  [[nodiscard]] var_es_result<double> var_es(std::span<const double> losses, double p) const
      noexcept(is_noexcept_v<Policies>) {
    return with_buffer("historical::var_es", losses, p, true);
  }

  /// VaR at tail probability p, using `scratch`.
  [[nodiscard]] double var(std::span<const double> losses, double p, std::span<double> scratch) const
      noexcept(is_noexcept_v<Policies>) {
    return compute("historical::var", losses, p, scratch, false).var;
  }
  /// VaR at tail probability p.
  [[nodiscard]] double var(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return with_buffer("historical::var", losses, p, false).var;
  }

  /// ES at tail probability p, using `scratch`.
  [[nodiscard]] double es(std::span<const double> losses, double p, std::span<double> scratch) const
      noexcept(is_noexcept_v<Policies>) {
    return compute("historical::es", losses, p, scratch, true).es;
  }
  /// ES at tail probability p.
  [[nodiscard]] double es(std::span<const double> losses, double p) const noexcept(is_noexcept_v<Policies>) {
    return with_buffer("historical::es", losses, p, true).es;
  }

 private:
  using on_error = typename Policies::error;
  static constexpr double nan = std::numeric_limits<double>::quiet_NaN();

  /// Argument checks that need no pass over the data.
  static bool check_args(const char* function, std::size_t n, double p) noexcept(is_noexcept_v<Policies>) {
    if (!detail::check_tail_probability<on_error>(function, "p", p, upper_tail_allowed_v<Policies>)) return false;
    if (!detail::check<on_error>(n >= 1, {error_kind::insufficient_data, function, "losses", 0.0,
                                          "needs at least 1 observation"}))
      return false;
    return detail::check<on_error>(
        std::floor(static_cast<double>(n) * p + detail::hist::fuzz) >= 1.0,
        {error_kind::insufficient_data, function, "losses", static_cast<double>(n),
         "sample size too small: the tail must hold at least one observation, n*p >= 1, i.e. at least "
         "ceil(1/p) observations (historical::min_observations(p))"});
  }

  var_es_result<double> with_buffer(const char* function, std::span<const double> losses, double p,
                                    bool want_es) const noexcept(is_noexcept_v<Policies>) {
    const std::size_t n = losses.size();
    if (n < detail::hist::small_n) {
      std::array<double, detail::hist::small_n> buffer;  // NOLINT: every used slot is written first
      return compute(function, losses, p, buffer.data(), n, want_es);
    }
    if (!check_args(function, n, p)) return {nan, nan};
    // first try a buffer sized for the sample and the expected candidates, then (rarely) one of n
    const auto plan = detail::hist::make_plan(Policies::quantile::type, n, p, want_es, m_convention);
    std::size_t cap = detail::hist::fast_capacity(n, plan.need);
    for (;;) {
      const std::unique_ptr<double[]> buffer(new (std::nothrow) double[cap]);
      if (!detail::check<on_error>(buffer != nullptr,
                                   {error_kind::insufficient_data, function, "losses", static_cast<double>(n),
                                    "could not allocate the scratch buffer; pass a scratch span"}))
        return {nan, nan};
      bool retry = false;
      const auto r = compute(function, losses, p, buffer.get(), cap, want_es, &retry);
      if (!retry) return r;
      cap = n;
    }
  }

  var_es_result<double> compute(const char* function, std::span<const double> losses, double p,
                                std::span<double> scratch, bool want_es) const noexcept(is_noexcept_v<Policies>) {
    if (!detail::check<on_error>(scratch.size() >= losses.size(),
                                 {error_kind::invalid_argument, function, "scratch", static_cast<double>(scratch.size()),
                                  "must hold at least scratch_size(n) = n values"}) ||
        !detail::check_no_overlap<on_error>(function, "scratch", scratch, losses))
      return {nan, nan};
    return compute(function, losses, p, scratch.data(), scratch.size(), want_es);
  }

  /// The estimate with a buffer of `cap` values; when cap < n turns out too small, sets *retry (if given).
  var_es_result<double> compute(const char* function, std::span<const double> losses, double p, double* buf,
                                std::size_t cap, bool want_es, bool* retry = nullptr) const
      noexcept(is_noexcept_v<Policies>) {
    const std::size_t n = losses.size();
    if (!check_args(function, n, p)) return {nan, nan};
    const auto plan = detail::hist::make_plan(Policies::quantile::type, n, p, want_es, m_convention);
    long bad = -1;
    const std::size_t cnt = detail::hist::gather_tail(losses, plan.need, buf, cap, bad);
    if (bad >= 0) {
      detail::check<on_error>(false, {error_kind::invalid_argument, function, "losses",
                                      losses[static_cast<std::size_t>(bad)], "must be finite", bad});
      return {nan, nan};
    }
    if (cnt == detail::hist::npos) {  // only when cap < n (the allocating members)
      if (retry != nullptr) *retry = true;
      return {nan, nan};
    }
    detail::hist::place(plan, buf, cnt);
    bool ok = true;
    const auto r = detail::hist::evaluate(plan, buf, want_es, m_convention, ok);
    if (!detail::check<on_error>(ok, {error_kind::insufficient_data, function, "losses", static_cast<double>(n),
                                      "the beyond_var ES needs at least one loss strictly greater than VaR"}))
      return {nan, nan};
    if (!detail::check<on_error>(std::isfinite(r.es), {error_kind::invalid_argument, function, "losses", r.es,
                                                       "tail sum overflows a double"}))
      return {nan, nan};
    return r;
  }

  es_convention m_convention = es_convention::acerbi_tasche;
};

static_assert(risk_estimator<historical<>>);

TIERMARGIN_NAMESPACE_END
