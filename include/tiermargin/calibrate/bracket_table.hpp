// SPDX-License-Identifier: BSL-1.0
/// @file bracket_table.hpp  Optimal tax-bracket table (cumulative maintenance amounts, continuous convex MM:
/// Binance, Bybit, Hyperliquid), docs/calibration.md §4.3 / §7a problem A2.
///
/// Problem (exact, discrete): evaluation grid x_1 < ... < x_N, required margin R_i > 0, weights w_i >= 0,
/// candidate caps among `boundaries` (the last is x_N). Choose k <= K breakpoints B_1 < ... < B_k = x_N and
/// marginal rates m_1 <= ... <= m_k; MM(x) = sum_j m_j |(B_{j-1}, B_j] ∩ (0, x]| (= x m_j - cum_j, cum by the
/// recursion). Minimise sum_i w_i (MM(x_i) - R_i) subject to MM(x_i) >= R_i at every evaluation point.
/// IMR is a step table on the same breakpoints: IMR_k = 1/L_k (leverage levels) or max(kappa m_k, m_k + buffer).
///
/// **Free rates: chord DP.** With breakpoints fixed, a continuous piecewise-linear MM >= R is fixed by its
/// breakpoint values v_j >= R(B_j) and is their linear interpolation, so it is pointwise >= the chord
/// interpolant of R; for convex R the chord interpolant is feasible, hence pointwise minimal and optimal for
/// every weighting (docs/calibration.md §4.3 [D]). Segment cost C(a, b) = sum_{(a,b]} w_i (R_a + s_ab (x_i - B_a) -
/// R_i), O(1) from prefix sums of w, w x, w R. Monge (§4.3 [D]): for a < a' < b < b' the R_i terms cancel; on
/// (a, a'] the chord to b' lies above the chord to b (the secant slope from a fixed left end increases with
/// the right end, by convexity); on [b, b') the chord from a lies above the chord from a' (mirror argument);
/// on (a', b) the difference of the two sides is affine and >= 0 at both ends. So segmentation.hpp's D&C DP
/// is exact. A NON-CONVEX R is first replaced by the convex majorant G built greedily on the evaluation grid
/// (G(0) = 0, slope s_i = max(s_{i-1}, (R_i - G_{i-1}) / (x_i - x_{i-1}))): G >= R at every point, G = R
/// exactly when R is convex. The chord DP is then exact for G and never under-covers R; it is an upper bound
/// for R's problem (which is an LP for free rates) — for an exact answer with a non-convex R use rate levels
/// (e.g. `tick_levels`), which the exact method below solves for any R.
/// Rates are capped at min(1/kappa, 1 - imr_buffer) (max leverage >= 1). When the unconstrained optimum
/// has a steeper chord, chords above the cap get an infinite cost and the O(K n^2) DP solves that capped
/// problem exactly (infinite costs are not Monge, so the D&C variant is not used there). When no chord table
/// respects the cap (only possible for a non-convex R), the single tier at max R/x is returned if usable.
///
/// **Rate levels: exact label DP** (DP over breakpoint x rate states, docs/calibration.md §7a). State: a breakpoint
/// b, the level l of the tier ending there and the number of tiers k. The rest of the history enters only
/// through v = MM(B_b): future coverage is monotone in v (higher is more feasible) and the objective splits as
/// g + (future increments independent of v), where g = sum of w_i MM(x_i) with every x_i beyond B_b counted at
/// v. A tier (a, b] at rate m is feasible iff v_a >= max_{x_i in (B_a, B_b]} (R_i - m (x_i - B_a)) and moves
/// (v, g) to (v + m (B_b - B_a), g + m T(a, b)) with T(a, b) = sum_{x_i > B_a} w_i (min(x_i, B_b) - B_a). Labels
/// (v, g) of one state are kept on their Pareto front (drop (v, g) if another label has v' >= v and g' <= g),
/// which loses no optimum; rates strictly increase between tiers (equal neighbours merge into one tier with
/// the same MM). Labels with v below max_{x_i > B_b} (R_i - m_max (x_i - B_b)) cannot be completed and are
/// dropped. For a tier at level l the predecessors of all levels < l are merged into one Pareto front first (a
/// lower level only leaves more options). Labels that cannot be extended (no tier or no higher level left before
/// the last cap) are dropped, and so is every label whose lower bound g + max(sum_{x_i > B_b} w_i R_i - W_after v,
/// m_{l+1} T(b, n)) exceeds an incumbent found first by the same DP with fronts thinned to 8 labels (always
/// keeping the largest v, so the thinned pass finds a feasible table whenever one exists). Exact for any R
/// (convex or not). Time O(n^2 L K F) with F the surviving front size plus O(n L N) for the feasibility maxima;
/// worst case exponential in K (fronts), in practice ~0.05 s at n = 50 and ~1.2 s at n = 200 with 12 leverage
/// levels and K = 12 (bench_calibrate): meant for boundary grids up to a few hundred candidates.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "../tiers/tier_table.hpp"
#include "coverage.hpp"
#include "grid.hpp"
#include "rate_levels.hpp"
#include "segmentation.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// Largest state space of the exact label DP, (boundaries + 1) x rate levels x (max tiers + 1) slots of four
/// 32-bit indices each (2^26 slots, 1 GiB): larger problems are reported naming 'constraints.levels'.
inline constexpr std::size_t max_label_dp_states = std::size_t{1} << 26;

namespace detail {

/// Greedy convex majorant G of R on the grid (see file comment); G = R exactly where R is convex.
inline std::vector<double> convex_majorant(std::span<const double> x, std::span<const double> R) {
  std::vector<double> G(x.size());
  double slope = -std::numeric_limits<double>::infinity();
  double previous_x = 0.0, previous_g = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - previous_x;
    const double needed = (R[i] - previous_g) / dx;
    if (needed >= slope) {
      slope = needed;
      G[i] = R[i];
    } else {
      G[i] = std::fmax(previous_g + slope * dx, R[i]);
    }
    previous_x = x[i];
    previous_g = G[i];
  }
  return G;
}

template <policy_bundle Policies>
void finish_bracket_table(calibration_result<Policies>& out, const tier_constraints& constraints,
                          std::span<const double> notionals, std::span<const double> required,
                          std::span<const double> weights, const std::vector<double>& floors,
                          const std::vector<double>& rates, const std::vector<std::size_t>& levels) {
  std::vector<bracket<double>> rows;
  for (std::size_t j = 0; j < rates.size(); ++j) {
    if (!rows.empty() && rows.back().maint_rate == rates[j]) continue;  // same MM, one tier fewer
    rows.push_back({floors[j], rates[j], leverage_for(constraints, rates[j], levels[j])});
  }
  out.table = tier_table<double, Policies>(std::span<const bracket<double>>(rows), notionals.back());
  out.coverage = evaluate_coverage(out.table, notionals, required, weights);
}

template <policy_bundle Policies>
calibration_result<Policies> bracket_chord_dp(std::span<const double> x, std::span<const std::size_t> boundaries,
                                              std::span<const double> R, std::span<const double> w,
                                              const tier_constraints& constraints,
                                              segmentation_algorithm algorithm) {
  using on_error = typename Policies::error;
  constexpr const char* fn = "optimize_bracket_table";
  calibration_result<Policies> out;
  const std::size_t N = x.size(), n = boundaries.size();
  const std::vector<double> G = convex_majorant(x, R);
  std::vector<double> W(N + 1, 0.0), WX(N + 1, 0.0), WR(N + 1, 0.0);
  for (std::size_t i = 0; i < N; ++i) {
    W[i + 1] = W[i] + w[i];
    WX[i + 1] = WX[i] + w[i] * x[i];
    WR[i + 1] = WR[i] + w[i] * R[i];
  }
  std::vector<std::size_t> end(n + 1, 0);
  std::vector<double> B(n + 1, 0.0), GB(n + 1, 0.0);
  for (std::size_t b = 1; b <= n; ++b) {
    end[b] = boundaries[b - 1] + 1;
    B[b] = x[end[b] - 1];
    GB[b] = G[end[b] - 1];
  }
  const auto cost = [&](std::size_t a, std::size_t b) noexcept {
    const double sw = W[end[b]] - W[end[a]];
    const double slope = (GB[b] - GB[a]) / (B[b] - B[a]);
    return GB[a] * sw + slope * ((WX[end[b]] - WX[end[a]]) - B[a] * sw) - (WR[end[b]] - WR[end[a]]);
  };
  const double cap = max_usable_rate(constraints);
  const auto slope = [&](std::size_t a, std::size_t b) noexcept { return (GB[b] - GB[a]) / (B[b] - B[a]); };
  const auto within_cap = [&](const segmentation_solution& s) noexcept {
    std::size_t from = 0;
    for (const std::size_t to : s.ends) {
      if (!(slope(from, to) <= cap)) return false;
      from = to;
    }
    return true;
  };
  segmentation_solution solution = segment(n, constraints.max_tiers, cost, algorithm);
  if (!within_cap(solution)) {
    // The rate cap binds: exclude chords steeper than it. +inf costs break the Monge property, so the
    // O(K n^2) DP (exact for any cost) solves the capped problem.
    const auto capped = [&](std::size_t a, std::size_t b) noexcept {
      return slope(a, b) <= cap ? cost(a, b) : std::numeric_limits<double>::infinity();
    };
    solution = segment(n, constraints.max_tiers, capped, segmentation_algorithm::quadratic);
  }
  std::vector<double> floors, rates;
  std::vector<std::size_t> levels;
  if (!(solution.cost < std::numeric_limits<double>::infinity())) {
    // No chord table of G respects the cap (possible only for a non-convex R, whose majorant G exceeds it):
    // one tier at the largest required rate max R/x still covers R when that rate is usable.
    double top = 0.0;
    std::size_t at = 0;
    for (std::size_t i = 0; i < N; ++i)
      if (R[i] / x[i] > top) top = R[i] / x[i], at = i;
    if (!check<on_error>(top <= cap, {error_kind::invalid_argument, fn, "required", top,
                                      "required rate R/x exceeds min(1/kappa, 1 - imr_buffer) (max leverage would "
                                      "be < 1): lower the largest boundary or kappa",
                                      static_cast<long>(at)}))
      return out;
    floors.push_back(0.0);
    rates.push_back(top);
    levels.push_back(constraints.levels.maint_rates.size());
    out.objective = 0.0;
    for (std::size_t i = 0; i < N; ++i) out.objective += w[i] * (top * x[i] - R[i]);
    finish_bracket_table(out, constraints, x, R, w, floors, rates, levels);
    return out;
  }
  std::size_t a = 0;
  for (const std::size_t b : solution.ends) {
    // chord slopes of a convex G never decrease; clamp the rounding noise of nearly collinear chords upward
    floors.push_back(B[a]);
    rates.push_back(std::fmax(slope(a, b), rates.empty() ? 0.0 : rates.back()));
    levels.push_back(constraints.levels.maint_rates.size());
    a = b;
  }
  out.objective = solution.cost;
  finish_bracket_table(out, constraints, x, R, w, floors, rates, levels);
  return out;
}

struct bracket_label {
  double v, g;
  std::uint32_t parent;  ///< arena index, or `none`
  std::uint32_t boundary, level;
  static constexpr std::uint32_t none = 0xffffffffu;
};

template <policy_bundle Policies>
calibration_result<Policies> bracket_label_dp(std::span<const double> x, std::span<const std::size_t> boundaries,
                                              std::span<const double> R, std::span<const double> w,
                                              const tier_constraints& constraints) {
  using on_error = typename Policies::error;
  constexpr const char* fn = "optimize_bracket_table";
  calibration_result<Policies> out;
  const std::vector<double>& m = constraints.levels.maint_rates;
  const std::size_t N = x.size(), n = boundaries.size(), L = m.size();
  const std::size_t K = std::min(constraints.max_tiers, std::min(n, L));
  const double m_max = m.back();
  for (std::size_t i = 0; i < N; ++i)
    if (!check<on_error>(R[i] / x[i] <= m_max,
                         {error_kind::invalid_argument, fn, "required", R[i] / x[i],
                          "required rate R/x exceeds the highest allowed maint rate, so no table covers it: add a "
                          "higher rate (lower leverage) or lower the largest boundary",
                          static_cast<long>(i)}))
      return out;
  if (!check<on_error>(n < 0xffffffffu && N < 0xffffffffu,
                       {error_kind::invalid_argument, fn, "notionals", static_cast<double>(N), "too many points"}))
    return out;

  std::vector<double> W(N + 1, 0.0), WX(N + 1, 0.0);
  for (std::size_t i = 0; i < N; ++i) {
    W[i + 1] = W[i] + w[i];
    WX[i + 1] = WX[i] + w[i] * x[i];
  }
  const double w_total = W[N];
  std::vector<std::size_t> end(n + 1, 0);
  std::vector<double> B(n + 1, 0.0), future(n + 1, -std::numeric_limits<double>::infinity());
  for (std::size_t b = 1; b <= n; ++b) {
    end[b] = boundaries[b - 1] + 1;
    B[b] = x[end[b] - 1];
  }
  {  // least MM(B_b) from which the rest can still be covered (at the top rate)
    double suffix = -std::numeric_limits<double>::infinity();
    std::size_t i = N;
    for (std::size_t b = n; b-- > 0;) {
      for (; i > end[b]; --i) suffix = std::fmax(suffix, R[i - 1] - m_max * x[i - 1]);
      future[b] = suffix + m_max * B[b];
    }
  }
  const auto T = [&](std::size_t a, std::size_t b) noexcept {
    return (WX[end[b]] - WX[end[a]]) + B[b] * (w_total - W[end[b]]) - B[a] * (w_total - W[end[a]]);
  };

  // Lower bound on the final g of any completion of a label (v, g) at (b, l), b < n: every later MM(x_i) - v is
  // >= R_i - v and >= m_{l+1} (x_i - B_b) (later rates are > m_l), so
  // final g >= g + max(sum_{x_i > B_b} w_i R_i - W_after(b) v, m_{l+1} T(b, n)).
  std::vector<double> wr_after(n + 1, 0.0), w_after(n + 1, 0.0), t_to_end(n + 1, 0.0);
  {
    std::vector<double> WR(N + 1, 0.0);
    for (std::size_t i = 0; i < N; ++i) WR[i + 1] = WR[i] + w[i] * R[i];
    for (std::size_t b = 0; b <= n; ++b) {
      wr_after[b] = WR[N] - WR[end[b]];
      w_after[b] = w_total - W[end[b]];
      t_to_end[b] = b < n ? T(b, n) : 0.0;
    }
  }
  const auto lower_bound = [&](const bracket_label& c) noexcept {
    const double next_rate = c.level + 1 < L ? m[c.level + 1] : m[c.level];
    return c.g + std::fmax(wr_after[c.boundary] - w_after[c.boundary] * c.v, next_rate * t_to_end[c.boundary]);
  };

  // One pass of the label DP. beam == 0: exact (labels whose lower bound exceeds `incumbent` are dropped,
  // which cannot drop an optimum better than the incumbent); beam > 0: at most `beam` labels per front, spread
  // over the front and always keeping the largest v (which completes whenever anything does), giving a
  // feasible incumbent fast. Returns the best complete chain (first tier first) and its final g.
  //
  // front of state (b, l, k): arena[front_begin[s] .. front_end[s]) (v descending, g strictly descending);
  // upto front of (b, l, k): ids[upto_begin[s] .. upto_end[s]), the Pareto front of the fronts of levels <= l,
  // i.e. every useful predecessor of a tier at a level > l (a lower level leaves more options, so dominance
  // across levels is valid there)
  std::size_t slots = 0, level_states = 0;
  if (!check<on_error>(checked_multiply(n + 1, L, level_states) && checked_multiply(level_states, K + 1, slots) &&
                           slots <= max_label_dp_states,
                       {error_kind::invalid_argument, fn, "constraints.levels",
                        static_cast<double>(L),
                        "(boundaries + 1) * rate levels * (tiers + 1) must be <= max_label_dp_states = 2^26: "
                        "use fewer candidate boundaries, rate levels or a smaller max_tiers"}))
    return out;
  const auto slot = [&](std::size_t b, std::size_t l, std::size_t k) { return (b * L + l) * (K + 1) + k; };
  std::vector<double> need((n + 1) * L);
  const auto solve = [&](std::size_t beam, double incumbent, std::vector<bracket_label>& chain) {
    std::vector<bracket_label> arena;
    std::vector<std::uint32_t> ids;
    std::vector<std::uint32_t> front_begin(slots, 0), front_end(slots, 0), upto_begin(slots, 0), upto_end(slots, 0);
    std::vector<bracket_label> candidates, kept;
    const double slack = incumbent + 1e-12 * std::fabs(incumbent);
    for (std::size_t b = 1; b <= n; ++b) {
      for (std::size_t l = 0; l < L; ++l) {
        // need[l][a] = max over x_i in (B_a, B_b] of R_i - m_l (x_i - B_a): v_a must reach it
        double running = -std::numeric_limits<double>::infinity();
        std::size_t i = end[b];
        for (std::size_t a = b; a-- > 0;) {
          for (; i > end[a]; --i) running = std::fmax(running, R[i - 1] - m[l] * x[i - 1]);
          need[l * (n + 1) + a] = running + m[l] * B[a];
        }
      }
      for (std::size_t k = 1; k <= K; ++k) {
        for (std::size_t l = 0; l < L; ++l) {
          const double* need_l = need.data() + l * (n + 1);
          candidates.clear();
          // before the last cap a label must be extendable: a tier left (k < K) and a higher level (l < L - 1)
          if (b < n && (k == K || l + 1 == L)) {
          } else if (k == 1) {
            if (0.0 >= need_l[0])
              candidates.push_back({m[l] * B[b], m[l] * T(0, b), bracket_label::none, static_cast<std::uint32_t>(b),
                                    static_cast<std::uint32_t>(l)});
          } else if (l > 0) {
            for (std::size_t a = k - 1; a < b; ++a) {
              const double dv = m[l] * (B[b] - B[a]), dg = m[l] * T(a, b);
              const std::size_t s = slot(a, l - 1, k - 1);
              for (std::uint32_t q = upto_begin[s]; q < upto_end[s]; ++q) {
                const bracket_label& from = arena[ids[q]];
                if (from.v < need_l[a]) break;  // v descending: the rest are infeasible too
                candidates.push_back({from.v + dv, from.g + dg, ids[q], static_cast<std::uint32_t>(b),
                                      static_cast<std::uint32_t>(l)});
              }
            }
          }
          // completable and promising only; Pareto front: v descending, keep strictly improving g
          std::sort(candidates.begin(), candidates.end(), [](const bracket_label& p, const bracket_label& q) {
            return p.v > q.v || (p.v == q.v && (p.g < q.g || (p.g == q.g && p.parent < q.parent)));
          });
          kept.clear();
          double best_g = std::numeric_limits<double>::infinity();
          for (const bracket_label& c : candidates) {
            if (c.v < future[b]) break;  // sorted by v: the rest cannot be completed either
            if (c.g < best_g) {
              best_g = c.g;
              if (!(lower_bound(c) > slack)) kept.push_back(c);
            }
          }
          const std::size_t s = slot(b, l, k);
          front_begin[s] = static_cast<std::uint32_t>(arena.size());
          if (beam > 0 && kept.size() > beam) {
            for (std::size_t j = 0; j < beam; ++j) arena.push_back(kept[j * (kept.size() - 1) / (beam - 1)]);
          } else {
            arena.insert(arena.end(), kept.begin(), kept.end());
          }
          front_end[s] = static_cast<std::uint32_t>(arena.size());
          // upto front: merge the previous level's upto front with this front (both v descending)
          upto_begin[s] = static_cast<std::uint32_t>(ids.size());
          std::uint32_t p = l > 0 ? upto_begin[slot(b, l - 1, k)] : 0;
          const std::uint32_t p_end = l > 0 ? upto_end[slot(b, l - 1, k)] : 0;
          std::uint32_t q = front_begin[s];
          best_g = std::numeric_limits<double>::infinity();
          while (p < p_end || q < front_end[s]) {
            const bool take_p = q == front_end[s] || (p < p_end && arena[ids[p]].v >= arena[q].v);
            const std::uint32_t id = take_p ? ids[p++] : q++;
            if (arena[id].g < best_g) {
              best_g = arena[id].g;
              ids.push_back(id);
            }
          }
          upto_end[s] = static_cast<std::uint32_t>(ids.size());
        }
      }
    }
    // best complete table: smallest g, then fewer tiers
    std::uint32_t best = bracket_label::none;
    double best_g = std::numeric_limits<double>::infinity();
    for (std::size_t k = 1; k <= K; ++k)
      for (std::size_t l = 0; l < L; ++l) {
        const std::size_t s = slot(n, l, k);
        for (std::uint32_t q = front_begin[s]; q < front_end[s]; ++q)
          if (arena[q].g < best_g) {
            best_g = arena[q].g;
            best = q;
          }
      }
    chain.clear();
    for (std::uint32_t q = best; q != bracket_label::none; q = arena[q].parent) chain.push_back(arena[q]);
    std::reverse(chain.begin(), chain.end());
    return best_g;
  };
  std::vector<bracket_label> chain, exact_chain;
  const double incumbent = solve(8, std::numeric_limits<double>::infinity(), chain);
  if (!check<on_error>(!chain.empty(),
                       {error_kind::invalid_argument, fn, "constraints", static_cast<double>(K),
                        "no table with these rate levels covers the required margin: add a higher rate level"}))
    return out;
  double best_g = incumbent;
  const double exact = solve(0, incumbent, exact_chain);
  if (!exact_chain.empty() && exact < best_g) {
    best_g = exact;
    chain.swap(exact_chain);
  }
  std::vector<double> floors, rates;
  std::vector<std::size_t> levels;
  double floor = 0.0;
  for (const bracket_label& label : chain) {
    floors.push_back(floor);
    rates.push_back(m[label.level]);
    levels.push_back(label.level);
    floor = B[label.boundary];
  }
  double wr = 0.0;
  for (std::size_t i = 0; i < N; ++i) wr += w[i] * R[i];
  out.objective = best_g - wr;
  finish_bracket_table(out, constraints, x, R, w, floors, rates, levels);
  return out;
}
}  // namespace detail

/// Optimal tax-bracket table (problem above): the chord DP for free rates (`constraints.levels` empty;
/// `algorithm` picks the O(K n^2) reference or the O(K n log n) D&C), the exact label DP for rate levels
/// (`algorithm` ignored). Returns the table (cumulative convention; deductions from the recursion), the
/// optimal objective and the coverage re-evaluated on the table. Allocates. Errors (through Policies::error;
/// under quiet_nan: invalid table, NaN objective): bad grid / R / w, K = 0, bad constraints, a required rate
/// above every allowed rate, a free marginal rate above min(1/kappa, 1 - imr_buffer).
template <policy_bundle Policies = default_policies>
calibration_result<Policies> optimize_bracket_table(std::span<const double> notionals,
                                                    std::span<const std::size_t> boundaries,
                                                    std::span<const double> required,
                                                    std::span<const double> weights,
                                                    const tier_constraints& constraints,
                                                    segmentation_algorithm algorithm =
                                                        segmentation_algorithm::divide_and_conquer) {
  static_assert(Policies::convention::uses_deduction, "BRACKET_TABLE_NEEDS_THE_CUMULATIVE_CONVENTION");
  using on_error = typename Policies::error;
  constexpr const char* fn = "optimize_bracket_table";
  if (!detail::check_calibration_input<on_error>(fn, notionals, boundaries, required, weights,
                                                 constraints.max_tiers) ||
      !detail::check_constraints<on_error>(fn, constraints))
    return {};
  if (constraints.levels.free())
    return detail::bracket_chord_dp<Policies>(notionals, boundaries, required, weights, constraints, algorithm);
  return detail::bracket_label_dp<Policies>(notionals, boundaries, required, weights, constraints);
}

/// Same, on a `calibration_grid`.
template <policy_bundle Policies = default_policies>
calibration_result<Policies> optimize_bracket_table(const calibration_grid& grid, std::span<const double> required,
                                                    std::span<const double> weights,
                                                    const tier_constraints& constraints,
                                                    segmentation_algorithm algorithm =
                                                        segmentation_algorithm::divide_and_conquer) {
  return optimize_bracket_table<Policies>(grid.notionals, grid.boundaries, required, weights, constraints,
                                          algorithm);
}

TIERMARGIN_NAMESPACE_END
