// SPDX-License-Identifier: BSL-1.0
/// @file rolling.hpp  Exact rolling (sliding-window) historical VaR and ES: a streaming object and a batch
/// function, identical to running `historical` on every window from scratch.
///
/// Structure: the window's values are split into T, the K largest (K = the number of worst losses any
/// estimate at this window length needs, ~ ceil(W p) + 1), kept as a small array sorted descending, and R,
/// the other W - K, kept in an indexed binary max-heap (every value knows its heap slot, so the value that
/// leaves the window is removed in O(log W) without lazy deletion). Invariant: every value in T is >= every
/// value in R. A step removes the oldest value and inserts the new one; T changes only when one of them
/// belongs to the top K, and only then are VaR and the ES tail sum recomputed from T (in descending order,
/// so nothing drifts: every result is computed from the window's values, never by adding and subtracting).
/// Cost per step: O(log W) for the heap, plus O(K) on the steps where the tail set changes (probability
/// about 2K/W on exchangeable data, so O(log W + K^2/W) expected; O(log W + K) worst case, e.g. on a
/// trending series). Memory O(W), allocated once at construction; push() never allocates.
///
/// The estimates follow historical.hpp exactly (VaR from the Hyndman-Fan type in `Policies::quantile`, ES
/// by es_convention). VaR is bitwise identical to `historical` on the same window; ES sums the tail in
/// descending order, so it equals a from-scratch descending sum bitwise and `historical` (which sums in
/// selection order) to a few ulps.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <ranges>
#include <span>
#include <vector>

#include "../core/check.hpp"
#include "../core/policies.hpp"
#include "estimator.hpp"
#include "historical.hpp"
#include "losses.hpp"
#include "quantile.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace detail::roll {
struct entry {
  double value;
  std::uint32_t slot;  ///< ring position of the value in the window
};
inline constexpr std::uint32_t in_tail = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint32_t not_finite = in_tail - 1;
inline constexpr std::uint32_t empty = in_tail - 2;

/// `B` with errors turned into NaN (used after the arguments have been checked under the caller's policy).
template <class B>
struct quiet_errors : B {
  using error = quiet_nan;
};

/// Read access of the batch functions to a rolling_historical's state (defined after the class).
struct batch_access;

}  // namespace detail::roll

/// Largest window of rolling_historical / rolling_var_es: 2^27 losses (about 28 bytes of state each, 3.5 GiB),
/// so that an absurd window is reported instead of failing inside the allocator.
inline constexpr std::size_t max_rolling_window = std::size_t{1} << 27;

namespace detail::roll {
template <error_policy Error>
bool validate(const char* function, std::size_t window, double p,
              bool upper_tail_allowed) noexcept(Error::is_noexcept) {
  static_assert(max_rolling_window < empty, "slot indices are 32-bit");
  if (!check<Error>(window >= 1 && window <= max_rolling_window,
                    {error_kind::invalid_argument, function, "window", static_cast<double>(window),
                     "must be >= 1 and <= max_rolling_window = 2^27"}))
    return false;
  if (!check_tail_probability<Error>(function, "p", p, upper_tail_allowed)) return false;
  return check<Error>(
      std::floor(static_cast<double>(window) * p + hist::fuzz) >= 1.0,
      {error_kind::insufficient_data, function, "window", static_cast<double>(window),
       "is too short: the tail must hold at least one observation, window*p >= 1, i.e. window >= ceil(1/p)"});
}
}  // namespace detail::roll

/// Streaming exact historical VaR/ES over the last `window` losses (see the file comment).
/// push() a loss per step; var_es() reads the estimate for the values currently in the window (fewer than
/// `window` while it fills). A const object is a pure value: reading is thread-safe.
///
/// Errors (through `Policies::error`): constructor: window == 0 or > max_rolling_window, p outside (0, 0.5] (see
/// allow_upper_tail), window * p < 1 (insufficient_data: the full window could never hold a tail observation); under
/// quiet_nan such an object reports NaN forever. push(): a non-finite loss (invalid_argument; under throw_errors the
/// object is unchanged, under quiet_nan the value occupies its place in the window and every estimate is NaN until it
/// has left). var_es(): fewer than historical::min_observations(p) values in the window (insufficient_data); beyond_var
/// with no loss strictly above VaR (insufficient_data); an ES tail sum that overflows a double.
template <policy_bundle Policies = default_policies>
class rolling_historical {
 public:
  using policies = Policies;  ///< the policy bundle (error and quantile roles are used)

  /// A window of `window` losses at tail probability p. Allocates O(window) once.
  rolling_historical(std::size_t window, double p, es_convention convention = es_convention::acerbi_tasche)
      : m_window(window), m_p(p), m_convention(convention) {
    m_valid = detail::roll::validate<on_error>("rolling_historical::rolling_historical", window, p,
                                               upper_tail_allowed_v<Policies>);
    if (!m_valid) return;
    m_k = detail::hist::make_plan(Policies::quantile::type, window, p, true, convention).need;
    m_ring.assign(window, 0.0);
    m_where.assign(window, detail::roll::empty);
    m_heap.reserve(window);
    m_tail.reserve(m_k + 1);
  }

  /// Window length W.
  [[nodiscard]] std::size_t window() const noexcept { return m_window; }
  /// Tail probability p.
  [[nodiscard]] double tail_probability() const noexcept { return m_p; }
  /// Number of losses currently in the window (min(pushed, W)).
  [[nodiscard]] std::size_t size() const noexcept { return m_count; }
  /// True once W losses have been pushed.
  [[nodiscard]] bool full() const noexcept { return m_count == m_window; }

  /// Forget every value (keeps the allocation).
  void clear() noexcept {
    m_count = 0;
    m_next = 0;
    m_bad = 0;
    m_heap.clear();
    m_tail.clear();
    std::fill(m_where.begin(), m_where.end(), detail::roll::empty);
    m_result = {nan, nan};
    m_result_ok = false;
  }

  /// Add the newest loss, dropping the oldest once the window is full. O(log W), plus O(K) on the steps
  /// where the set of the K largest changes (see the file comment). Never allocates.
  void push(double loss) noexcept(is_noexcept_v<Policies>) {
    if (!m_valid) return;
    const bool finite = std::isfinite(loss);
    if (!finite && !detail::check<on_error>(false, {error_kind::invalid_argument, "rolling_historical::push",
                                                    "loss", loss, "must be finite", static_cast<long>(m_pushed)})) {
      // quiet policy: the value still takes its place in the window
    }
    ++m_pushed;
    const auto slot = static_cast<std::uint32_t>(m_next);
    bool tail_changed = m_count < m_window;  // the plan changes while the window fills
    if (m_count == m_window) tail_changed |= remove(slot);
    else ++m_count;
    m_ring[slot] = loss;
    if (finite) {
      tail_changed |= insert(loss, slot);
    } else {
      m_where[slot] = detail::roll::not_finite;
      ++m_bad;
    }
    m_next = m_next + 1 == m_window ? 0 : m_next + 1;
    if (tail_changed) refresh();
  }

  /// VaR and ES of the losses in the window. O(1) (the estimate is kept up to date by push()).
  [[nodiscard]] var_es_result<double> var_es() const noexcept(is_noexcept_v<Policies>) {
    if (!m_valid) return {nan, nan};
    if (m_bad > 0) return {nan, nan};  // quiet_nan only: a non-finite loss is in the window
    if (!detail::check<on_error>(m_count >= historical<Policies>::min_observations(m_p),
                                 {error_kind::insufficient_data, "rolling_historical::var_es", "window",
                                  static_cast<double>(m_count),
                                  "holds too few losses: needs n*p >= 1, i.e. at least ceil(1/p) "
                                  "(historical::min_observations(p))"}))
      return {nan, nan};
    if (!detail::check<on_error>(m_result_ok, {error_kind::insufficient_data, "rolling_historical::var_es",
                                               "window", static_cast<double>(m_count),
                                               "the beyond_var ES needs at least one loss strictly greater "
                                               "than VaR"}))
      return {nan, nan};
    if (!detail::check<on_error>(std::isfinite(m_result.es),
                                 {error_kind::invalid_argument, "rolling_historical::var_es", "window", m_result.es,
                                  "tail sum overflows a double"}))
      return {nan, nan};
    return m_result;
  }
  /// VaR of the losses in the window.
  [[nodiscard]] double var() const noexcept(is_noexcept_v<Policies>) { return var_es().var; }
  /// ES of the losses in the window.
  [[nodiscard]] double es() const noexcept(is_noexcept_v<Policies>) { return var_es().es; }

 private:
  friend struct detail::roll::batch_access;
  using on_error = typename Policies::error;
  using entry = detail::roll::entry;
  static constexpr double nan = std::numeric_limits<double>::quiet_NaN();

  // --- indexed max-heap R ---------------------------------------------------------------------------
  void heap_set(std::size_t i, entry e) noexcept {
    m_heap[i] = e;
    m_where[e.slot] = static_cast<std::uint32_t>(i);
  }
  void sift_up(std::size_t i) noexcept {
    const entry e = m_heap[i];
    while (i > 0) {
      const std::size_t parent = (i - 1) / 2;
      if (!(m_heap[parent].value < e.value)) break;
      heap_set(i, m_heap[parent]);
      i = parent;
    }
    heap_set(i, e);
  }
  void sift_down(std::size_t i) noexcept {
    const std::size_t n = m_heap.size();
    const entry e = m_heap[i];
    for (;;) {
      std::size_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && m_heap[child].value < m_heap[child + 1].value) ++child;
      if (!(e.value < m_heap[child].value)) break;
      heap_set(i, m_heap[child]);
      i = child;
    }
    heap_set(i, e);
  }
  void heap_push(entry e) noexcept {
    m_heap.push_back(e);  // capacity reserved: never allocates
    sift_up(m_heap.size() - 1);
  }
  void heap_erase(std::size_t i) noexcept {
    const entry last = m_heap.back();
    m_heap.pop_back();
    if (i == m_heap.size()) return;
    m_heap[i] = last;
    m_where[last.slot] = static_cast<std::uint32_t>(i);
    if (i > 0 && m_heap[(i - 1) / 2].value < last.value) sift_up(i);
    else sift_down(i);
  }
  entry heap_pop() noexcept {
    const entry top = m_heap.front();
    heap_erase(0);
    return top;
  }

  // --- sorted tail T (descending) -------------------------------------------------------------------
  void tail_insert(entry e) noexcept {
    // after the last element >= e.value: ties keep arrival order, irrelevant for the order statistics
    auto it = std::upper_bound(m_tail.begin(), m_tail.end(), e.value,
                               [](double v, const entry& x) { return v > x.value; });
    m_tail.insert(it, e);  // capacity m_k + 1 reserved: never allocates
    m_where[e.slot] = detail::roll::in_tail;
  }
  void tail_erase(std::uint32_t slot, double value) noexcept {
    auto it = std::lower_bound(m_tail.begin(), m_tail.end(), value,
                               [](const entry& x, double v) { return x.value > v; });
    while (it->slot != slot) ++it;  // present by invariant
    m_tail.erase(it);
  }

  /// Remove the value in `slot`; true when the tail set changed.
  bool remove(std::uint32_t slot) noexcept {
    const std::uint32_t where = m_where[slot];
    m_where[slot] = detail::roll::empty;
    if (where == detail::roll::not_finite) {
      --m_bad;
      return true;  // the estimate may become available again
    }
    if (where != detail::roll::in_tail) {
      heap_erase(where);
      return false;
    }
    tail_erase(slot, m_ring[slot]);
    if (!m_heap.empty()) {
      const entry top = heap_pop();
      m_tail.push_back(top);  // top <= every tail value: it goes last
      m_where[top.slot] = detail::roll::in_tail;
    }
    return true;
  }

  /// Insert a finite value; true when the tail set changed.
  bool insert(double value, std::uint32_t slot) noexcept {
    const entry e{value, slot};
    if (m_tail.size() < m_k) {
      tail_insert(e);
      return true;
    }
    if (value > m_tail.back().value) {
      const entry out = m_tail.back();
      m_tail.pop_back();
      tail_insert(e);
      heap_push(out);
      return true;
    }
    heap_push(e);
    return false;
  }

  /// Recompute the estimate from T.
  void refresh() noexcept {
    const std::size_t finite_count = m_count - m_bad;
    m_result = {nan, nan};
    m_result_ok = false;
    if (m_bad > 0 || finite_count < 1) return;
    const auto plan = detail::hist::make_plan(Policies::quantile::type, m_count, m_p, true, m_convention);
    if (plan.need > m_tail.size()) return;  // cannot happen for a valid window: T holds min(count, K)
    evaluate_tail(plan);
  }

  void evaluate_tail(const detail::hist::tail_plan& plan) noexcept {
    const auto at = [this](std::size_t i) { return m_tail[i].value; };
    var_es_result<double> r{hyndman_fan_interpolate(at(plan.var.lo), at(plan.var.hi), plan.var.h), 0.0};
    bool ok = true;
    switch (m_convention) {
      case es_convention::acerbi_tasche: {
        double s = 0.0;
        for (std::size_t i = 0; i < plan.m; ++i) s += at(i);
        if (plan.frac > 0.0) s += plan.frac * at(plan.m);
        r.es = s / plan.denom;
        break;
      }
      case es_convention::worst_k: {
        double s = 0.0;
        for (std::size_t i = 0; i < plan.k; ++i) s += at(i);
        r.es = s / static_cast<double>(plan.k);
        break;
      }
      case es_convention::beyond_var: {
        double s = 0.0;
        std::size_t c = 0;
        for (std::size_t i = 0; i <= plan.var.hi && at(i) > r.var; ++i) {
          s += at(i);
          ++c;
        }
        ok = c > 0;
        r.es = ok ? s / static_cast<double>(c) : r.var;
        break;
      }
    }
    if (r.es < r.var) r.es = r.var;
    m_result = r;
    m_result_ok = ok;
  }

  std::size_t m_window;
  double m_p;
  es_convention m_convention;
  bool m_valid = false;
  std::size_t m_k = 0;           ///< |T| once the window holds at least K values
  std::size_t m_count = 0;       ///< values in the window
  std::size_t m_next = 0;        ///< ring slot of the next push
  std::size_t m_bad = 0;         ///< non-finite values in the window (quiet policies only)
  std::size_t m_pushed = 0;      ///< values pushed since construction (for error messages)
  std::vector<double> m_ring;    ///< value of each ring slot
  std::vector<std::uint32_t> m_where;  ///< heap index of each slot, or in_tail / not_finite / empty
  std::vector<entry> m_heap;     ///< R, max-heap by value
  std::vector<entry> m_tail;     ///< T, sorted descending
  var_es_result<double> m_result{nan, nan};
  bool m_result_ok = false;
};

namespace detail::roll {
struct batch_access {
  /// The estimate of a full window under a quiet bundle, with the VaR kept when only the ES is undefined
  /// (beyond_var with nothing above VaR, or an ES tail sum that overflows): {VaR, NaN}.
  template <class Rolling>
  static var_es_result<double> var_es(const Rolling& state) noexcept {
    var_es_result<double> r = state.var_es();
    if (std::isnan(r.es) && state.m_valid && state.m_bad == 0 && std::isfinite(state.m_result.var))
      r.var = state.m_result.var;
    return r;
  }
};

/// The pass shared by the batch forms (arguments already checked): slot t-window+1 of the outputs gets the
/// window ending at losses[t]. O(n (log W + K)); allocates the O(W) state once.
template <policy_bundle Policies>
void rolling_pass(std::span<const double> losses, std::size_t window, double p, es_convention convention,
                  double* var_out, double* es_out) {
  rolling_historical<quiet_errors<Policies>> state(window, p, convention);  // errors already reported
  for (std::size_t t = 0; t < losses.size(); ++t) {
    state.push(losses[t]);
    if (t + 1 >= window) {
      const auto r = batch_access::var_es(state);
      var_out[t + 1 - window] = r.var;
      es_out[t + 1 - window] = r.es;
    }
  }
}
}  // namespace detail::roll

/// Batch rolling VaR/ES: for every full window of `window` consecutive losses, i.e. for
/// t = window-1 .. n-1, writes the estimate of losses[t-window+1 .. t] to var_out[t-window+1] and
/// es_out[t-window+1] (n - window + 1 values each). Same definitions and cost as rolling_historical, whose
/// O(window) state it allocates once. Returns the number of values written. In place is allowed: var_out
/// (or es_out) may start at losses.data(), since slot t-window+1 is written after losses[t] is read; any
/// other overlap with `losses`, or between var_out and es_out, is reported.
/// Errors: invalid window/p as for rolling_historical; fewer than `window` losses (insufficient_data);
/// output spans shorter than n - window + 1 or overlapping as above; a non-finite loss (with its index;
/// under quiet_nan every window containing it gets NaN). A window whose ES is undefined (beyond_var with
/// no loss strictly above VaR, or a tail sum that overflows) gets its VaR and a NaN ES, and the first such
/// window is reported after the pass with its index (insufficient_data), so the outputs are complete even
/// when that report throws; the allocating overload returns those windows in `undefined` instead.
template <policy_bundle Policies = default_policies>
std::size_t rolling_var_es(std::span<const double> losses, std::size_t window, double p, std::span<double> var_out,
                           std::span<double> es_out,
                           es_convention convention = es_convention::acerbi_tasche) noexcept(is_noexcept_v<Policies>) {
  using on_error = typename Policies::error;
  constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = losses.size();
  const std::size_t count = n >= window && window > 0 ? n - window + 1 : 0;
  const auto fail = [&] {
    for (std::size_t i = 0; i < count && i < var_out.size(); ++i) var_out[i] = nan;
    for (std::size_t i = 0; i < count && i < es_out.size(); ++i) es_out[i] = nan;
    return count < var_out.size() ? count : var_out.size();
  };
  if (!detail::roll::validate<on_error>("rolling_var_es", window, p, upper_tail_allowed_v<Policies>) ||
      !detail::check<on_error>(n >= window, {error_kind::insufficient_data, "rolling_var_es", "losses",
                                             static_cast<double>(n), "needs at least `window` losses"}) ||
      !detail::check<on_error>(var_out.size() >= count && es_out.size() >= count,
                               {error_kind::invalid_argument, "rolling_var_es", "var_out",
                                static_cast<double>(std::min(var_out.size(), es_out.size())),
                                "var_out and es_out must each hold n - window + 1 values"}) ||
      !detail::check_in_place_or_disjoint<on_error>("rolling_var_es", "var_out", var_out, losses) ||
      !detail::check_in_place_or_disjoint<on_error>("rolling_var_es", "es_out", es_out, losses) ||
      !detail::check_no_overlap<on_error>("rolling_var_es", "es_out", es_out, std::span<const double>(var_out)))
    return fail();
  const long bad = detail::ret::first_non_finite(losses);
  if (bad >= 0 && !detail::check<on_error>(false, {error_kind::invalid_argument, "rolling_var_es", "losses",
                                                   losses[static_cast<std::size_t>(bad)], "must be finite", bad})) {
    // quiet policy: continue, the windows holding the value come out NaN
  }
  detail::roll::rolling_pass<Policies>(losses, window, p, convention, var_out.data(), es_out.data());
  if (bad < 0) {
    for (std::size_t i = 0; i < count; ++i) {
      if (!std::isnan(es_out[i])) continue;
      detail::check<on_error>(false, {error_kind::insufficient_data, "rolling_var_es", "losses", nan,
                                      "the ES of the window starting at this element is undefined (beyond_var "
                                      "with no loss strictly greater than VaR, or a tail sum that overflows)",
                                      static_cast<long>(i)});
      break;  // quiet policies: the NaN stays in that window's slot
    }
  }
  return count;
}

/// Rolling VaR/ES of the allocating rolling_var_es overloads, one slot per full window, aligned with the
/// input: slot i is the window losses[end_index[i] - window + 1 .. end_index[i]], so var[i] / es[i] is the
/// forecast made with data up to end_index[i], to compare with the realised loss end_index[i] + 1.
template <class Timestamp = std::size_t>
struct rolling_series {
  std::vector<std::size_t> end_index;  ///< position in `losses` of each window's newest loss: window-1 .. n-1
  std::vector<Timestamp> timestamps;   ///< the timestamp given for losses[end_index[i]]; empty without timestamps
  std::vector<double> var;             ///< VaR of each window (NaN: a non-finite loss in it, quiet_nan only)
  std::vector<double> es;              ///< ES of each window (NaN where undefined, see `undefined`)
  std::vector<std::size_t> undefined;  ///< slots whose ES is NaN, increasing (beyond_var with nothing above VaR, a
                                       ///< tail sum that overflows, or under quiet_nan a non-finite loss)
  /// Number of windows, n - window + 1.
  [[nodiscard]] std::size_t size() const noexcept { return var.size(); }
};

namespace detail::roll {
template <policy_bundle Policies, class Timestamp, class Timestamps>
rolling_series<Timestamp> series(std::span<const double> losses, const Timestamps* timestamps, std::size_t window,
                                 double p, es_convention convention) {
  using on_error = typename Policies::error;
  constexpr const char* f = "rolling_var_es";
  const std::size_t n = losses.size();
  const std::size_t count = n >= window && window > 0 ? n - window + 1 : 0;
  rolling_series<Timestamp> out;
  out.end_index.resize(count);
  for (std::size_t i = 0; i < count; ++i) out.end_index[i] = i + window - 1;
  out.var.assign(count, std::numeric_limits<double>::quiet_NaN());
  out.es.assign(count, std::numeric_limits<double>::quiet_NaN());
  const auto fail = [&] {  // quiet policies: every slot NaN and listed
    out.undefined.resize(count);
    for (std::size_t i = 0; i < count; ++i) out.undefined[i] = i;
    return out;
  };
  if (!validate<on_error>(f, window, p, upper_tail_allowed_v<Policies>) ||
      !check<on_error>(n >= window, {error_kind::insufficient_data, f, "losses", static_cast<double>(n),
                                     "needs at least `window` losses"}))
    return fail();
  if (timestamps != nullptr) {
    const auto given = static_cast<std::size_t>(std::ranges::size(*timestamps));
    if (!check<on_error>(given == n, {error_kind::invalid_argument, f, "timestamps", static_cast<double>(given),
                                      "must hold one timestamp per loss (for losses from prices, the prices' "
                                      "timestamps from the second one on)"}))
      return fail();
  }
  const long bad = ret::first_non_finite(losses);
  if (bad >= 0 && !check<on_error>(false, {error_kind::invalid_argument, f, "losses",
                                           losses[static_cast<std::size_t>(bad)], "must be finite", bad})) {
    // quiet policy: the windows holding the value come out NaN and are listed in `undefined`
  }
  rolling_pass<Policies>(losses, window, p, convention, out.var.data(), out.es.data());
  for (std::size_t i = 0; i < count; ++i)
    if (std::isnan(out.es[i])) out.undefined.push_back(i);
  if (timestamps != nullptr) {
    out.timestamps.reserve(count);
    const auto first = std::ranges::begin(*timestamps);
    for (std::size_t i = 0; i < count; ++i)
      out.timestamps.push_back(first[static_cast<std::ranges::range_difference_t<Timestamps>>(out.end_index[i])]);
  }
  return out;
}
}  // namespace detail::roll

/// Allocating rolling VaR/ES: the estimate of every full window with the position of its newest loss
/// (rolling_series::end_index). Same definitions as the span overload. A window whose ES is undefined
/// (beyond_var with no loss strictly above VaR, or a tail sum that overflows) is not an error here: it keeps
/// its VaR, gets a NaN ES and its slot is listed in `undefined`, so one such window never discards the batch.
/// O(n (log W + K)); allocates the result and O(W) state. Errors (through `Policies::error`; under quiet_nan
/// every slot NaN and listed in `undefined`): invalid window/p as for rolling_historical, fewer than `window`
/// losses; a non-finite loss (with its index; under quiet_nan only the windows holding it are NaN).
template <policy_bundle Policies = default_policies>
rolling_series<> rolling_var_es(std::span<const double> losses, std::size_t window, double p,
                                es_convention convention = es_convention::acerbi_tasche) {
  return detail::roll::series<Policies, std::size_t, std::span<const std::size_t>>(losses, nullptr, window, p,
                                                                                  convention);
}

/// Allocating rolling VaR/ES with timestamps: as above, and rolling_series::timestamps[i] is
/// `timestamps[end_index[i]]`, the time of the window's newest loss (e.g. `price_series::timestamps` from the
/// second price on for losses computed from those prices: `std::span(series.timestamps).subspan(1)`).
/// Errors: as above, and `timestamps` not holding exactly one element per loss (invalid_argument). O(n (log W
/// + K)); copies one timestamp per window.
template <policy_bundle Policies = default_policies, std::ranges::random_access_range Timestamps>
  requires std::ranges::sized_range<Timestamps>
rolling_series<std::ranges::range_value_t<Timestamps>> rolling_var_es(
    std::span<const double> losses, const Timestamps& timestamps, std::size_t window, double p,
    es_convention convention = es_convention::acerbi_tasche) {
  return detail::roll::series<Policies, std::ranges::range_value_t<Timestamps>, Timestamps>(losses, &timestamps,
                                                                                           window, p, convention);
}

TIERMARGIN_NAMESPACE_END
