// SPDX-License-Identifier: BSL-1.0
/// @file report.hpp  Calibration report: a tier table with its coverage per tier, and a side-by-side with an
/// existing (venue) table on the same required-margin curve — where the venue under-covers the estimated
/// liquidation loss and where it over-charges. Text and CSV, written to any std::ostream.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdio>
#include <iomanip>
#include <limits>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "coverage.hpp"

TIERMARGIN_NAMESPACE_BEGIN

/// A run of consecutive evaluation points on which the existing table is on one side of the requirement.
struct comparison_range {
  /// @{
  /// First and last notional of the run.
  double from = 0.0, to = 0.0;
  /// @}
  bool under = false;            ///< true: existing M < R (under-covers); false: M >= R (over-charges)
  double extreme_ratio = 0.0;    ///< smallest M/R of the run when under, largest when over
  double extreme_at = 0.0;       ///< notional of that extreme
  double weighted_gap = 0.0;     ///< sum w_i (M_i - R_i) over the run (negative when under)
};

/// Both tables evaluated on the same curve.
struct table_comparison {
  /// @{
  /// The curves, one element per evaluation point: x_i, R_i, M_cal(x_i), M_existing(x_i).
  std::vector<double> notionals, required, calibrated, existing;
  /// @}
  /// @{
  /// Coverage of the calibrated and of the existing table (as `evaluate_coverage`).
  coverage_report calibrated_coverage, existing_coverage;
  /// @}
  std::vector<comparison_range> ranges;  ///< existing vs R, maximal runs in notional order
};

namespace detail {
template <policy_bundle P>
double margin_at(const tier_table<double, P>& table, double x) noexcept {
  return maintenance_in_tier(table, table.tier_index_unchecked(x), x);
}
}  // namespace detail

/// Evaluates both tables on (x_i, R_i, w_i) and splits the notional axis into runs where `existing`
/// under-covers (M < R beyond `tolerance` R) or over-charges. Points above a table's last cap are priced with
/// its last tier and counted in its coverage's `beyond_cap_points`. Errors: as `evaluate_coverage`.
/// O(N) with the default lookup, O(N log K) otherwise.
template <policy_bundle P1, policy_bundle P2>
table_comparison compare_tables(const tier_table<double, P1>& calibrated, const tier_table<double, P2>& existing,
                                std::span<const double> notionals, std::span<const double> required,
                                std::span<const double> weights, double tolerance = 1e-9) {
  table_comparison out;
  out.calibrated_coverage = evaluate_coverage(calibrated, notionals, required, weights, tolerance);
  out.existing_coverage = evaluate_coverage(existing, notionals, required, weights, tolerance);
  if (!calibrated.valid() || !existing.valid() || out.calibrated_coverage.tiers.empty() ||
      out.existing_coverage.tiers.empty())
    return out;
  out.notionals.assign(notionals.begin(), notionals.end());
  out.required.assign(required.begin(), required.end());
  for (std::size_t i = 0; i < notionals.size(); ++i) {
    const double x = notionals[i], r = required[i], w = weights.empty() ? 1.0 : weights[i];
    out.calibrated.push_back(detail::margin_at(calibrated, x));
    const double m = detail::margin_at(existing, x);
    out.existing.push_back(m);
    const bool under = m < r - tolerance * r;
    const double ratio = r > 0.0 ? m / r : std::numeric_limits<double>::infinity();
    if (out.ranges.empty() || out.ranges.back().under != under) {
      out.ranges.push_back({x, x, under, ratio, x, 0.0});
    }
    comparison_range& run = out.ranges.back();
    run.to = x;
    if (under ? ratio < run.extreme_ratio : ratio > run.extreme_ratio) {
      run.extreme_ratio = ratio;
      run.extreme_at = x;
    }
    run.weighted_gap += w * (m - r);
  }
  return out;
}

namespace detail {
/// Restores a stream's flags and precision on scope exit.
struct stream_state_guard {
  std::ostream& stream;
  std::ios_base::fmtflags flags;
  std::streamsize precision;
  explicit stream_state_guard(std::ostream& s) : stream(s), flags(s.flags()), precision(s.precision()) {}
  ~stream_state_guard() {
    stream.flags(flags);
    stream.precision(precision);
  }
  stream_state_guard(const stream_state_guard&) = delete;
  stream_state_guard& operator=(const stream_state_guard&) = delete;
};

/// Shortest text that reads back as v (CSV output).
inline std::string exact_text(double v) {
  std::string out;
  append_number(out, v);
  return out;
}

inline std::string money_text(double v) {
  const double a = std::fabs(v);
  const char* suffix = "";
  double scaled = v;
  if (a >= 1e9) {
    scaled = v / 1e9;
    suffix = "B";
  } else if (a >= 1e6) {
    scaled = v / 1e6;
    suffix = "M";
  } else if (a >= 1e3) {
    scaled = v / 1e3;
    suffix = "k";
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g%s", scaled, suffix);
  return buffer;
}
}  // namespace detail

/// The table with its coverage, one row per tier: floor, cap, MMR, IMR, max leverage, maintenance amount,
/// evaluation points, least coverage margin min(M - R) and where, least and largest M/R, weighted excess.
template <policy_bundle P>
void write_table_text(std::ostream& out, const tier_table<double, P>& table, const coverage_report& coverage) {
  const detail::stream_state_guard guard(out);
  out << std::left << std::setw(5) << "tier" << std::right << std::setw(10) << "floor" << std::setw(10) << "cap"
      << std::setw(9) << "MMR %" << std::setw(9) << "IMR %" << std::setw(8) << "maxlev" << std::setw(12)
      << "maint amt" << std::setw(7) << "points" << std::setw(13) << "min(M-R)" << std::setw(10) << "at"
      << std::setw(9) << "min M/R" << std::setw(9) << "max M/R" << std::setw(14) << "w.excess" << '\n';
  for (std::size_t k = 0; k < table.size(); ++k) {
    const tier<double> row = table[k];
    const bool has = k < coverage.tiers.size() && coverage.tiers[k].points > 0;
    out << std::left << std::setw(5) << k + 1 << std::right << std::setw(10) << detail::money_text(row.floor)
        << std::setw(10) << detail::money_text(row.cap) << std::setw(9) << std::setprecision(4)
        << 100.0 * row.maint_rate << std::setw(9) << 100.0 * row.initial_rate() << std::setw(8)
        << std::setprecision(5) << row.max_leverage << std::setw(12) << detail::money_text(row.maint_amount)
        << std::setw(7) << (has ? coverage.tiers[k].points : 0);
    if (has) {
      const tier_coverage& t = coverage.tiers[k];
      out << std::setw(13) << detail::money_text(t.min_margin) << std::setw(10) << detail::money_text(t.min_margin_at)
          << std::setw(9) << std::setprecision(4) << t.min_ratio << std::setw(9) << t.max_ratio << std::setw(14)
          << detail::money_text(t.weighted_excess);
    }
    out << '\n';
  }
  out << "total weighted excess " << detail::money_text(coverage.weighted_excess) << ", least coverage margin "
      << detail::money_text(coverage.min_margin) << " at " << detail::money_text(coverage.min_margin_at)
      << ", least M/R " << std::setprecision(6) << coverage.min_ratio << ", "
      << (coverage.covered ? "covers R everywhere" : "UNDER-COVERS R") << " (" << coverage.under_covered_points
      << " points under, " << coverage.beyond_cap_points << " beyond the last cap)\n";
}

/// Same as CSV: tier,floor,cap,maint_rate,initial_rate,max_leverage,maint_amount,points,min_margin,
/// min_margin_at,min_ratio,max_ratio,weighted_excess (shortest exact text of each double).
template <policy_bundle P>
void write_table_csv(std::ostream& out, const tier_table<double, P>& table, const coverage_report& coverage) {
  using detail::exact_text;
  out << "tier,floor,cap,maint_rate,initial_rate,max_leverage,maint_amount,points,min_margin,min_margin_at,"
         "min_ratio,max_ratio,weighted_excess\n";
  for (std::size_t k = 0; k < table.size(); ++k) {
    const tier<double> row = table[k];
    out << k + 1 << ',' << exact_text(row.floor) << ',' << exact_text(row.cap) << ',' << exact_text(row.maint_rate)
        << ',' << exact_text(row.initial_rate()) << ',' << exact_text(row.max_leverage) << ','
        << exact_text(row.maint_amount);
    if (k < coverage.tiers.size() && coverage.tiers[k].points > 0) {
      const tier_coverage& t = coverage.tiers[k];
      out << ',' << t.points << ',' << exact_text(t.min_margin) << ',' << exact_text(t.min_margin_at) << ','
          << exact_text(t.min_ratio) << ',' << exact_text(t.max_ratio) << ',' << exact_text(t.weighted_excess)
          << '\n';
    } else {
      out << ",0,,,,,0\n";
    }
  }
}

/// The side-by-side: both totals, then every run where the existing table under-covers or over-charges.
inline void write_comparison_text(std::ostream& out, const table_comparison& c, const std::string& calibrated_name,
                                  const std::string& existing_name) {
  const detail::stream_state_guard guard(out);
  out << std::setprecision(6);
  out << calibrated_name << ": weighted excess " << detail::money_text(c.calibrated_coverage.weighted_excess)
      << ", least M/R " << c.calibrated_coverage.min_ratio << ", "
      << (c.calibrated_coverage.covered ? "covers" : "UNDER-COVERS") << '\n';
  out << existing_name << ": weighted excess " << detail::money_text(c.existing_coverage.weighted_excess)
      << ", least M/R " << c.existing_coverage.min_ratio << ", " << c.existing_coverage.under_covered_points
      << " of " << c.notionals.size() << " points under-covered, " << c.existing_coverage.beyond_cap_points
      << " beyond its last cap\n";
  for (const comparison_range& r : c.ranges) {
    out << "  " << std::setw(9) << detail::money_text(r.from) << " .. " << std::setw(9) << detail::money_text(r.to)
        << ": " << existing_name << (r.under ? " UNDER-COVERS, worst M/R " : " over-charges, largest M/R ")
        << std::setprecision(4) << r.extreme_ratio << " at " << detail::money_text(r.extreme_at)
        << ", weighted gap " << detail::money_text(r.weighted_gap) << '\n';
  }
}

/// The curves for plotting: notional,required,calibrated,existing (shortest exact text).
inline void write_comparison_csv(std::ostream& out, const table_comparison& c) {
  using detail::exact_text;
  out << "notional,required,calibrated,existing\n";
  for (std::size_t i = 0; i < c.notionals.size(); ++i)
    out << exact_text(c.notionals[i]) << ',' << exact_text(c.required[i]) << ',' << exact_text(c.calibrated[i])
        << ',' << exact_text(c.existing[i]) << '\n';
}

TIERMARGIN_NAMESPACE_END
