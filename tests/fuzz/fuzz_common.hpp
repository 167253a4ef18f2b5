// SPDX-License-Identifier: BSL-1.0
// Shared checks for the io fuzz targets: whatever a loader accepts must build a valid tier table under
// both conventions, with maintenance margin continuous at every boundary (cumulative convention).
// A violated property calls std::abort(), which libFuzzer reports as a crash.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "tiermargin/core/decimal.hpp"
#include "tiermargin/io/symbol_tiers.hpp"
#include "tiermargin/tiers/margin.hpp"

namespace fuzz {

namespace tmg = tiermargin;

struct flat_policies : tmg::default_policies {
  using error = tmg::quiet_nan;
  using convention = tmg::flat_convention;
};
struct quiet_policies : tmg::default_policies {
  using error = tmg::quiet_nan;
};

inline void require(bool ok) {
  if (!ok) std::abort();
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

template <class Real>
bool continuous(Real left, Real right, double terms) {
  if constexpr (tmg::scalar_traits<Real>::is_exact) {
    // Each side rounds its product once to the last decimal; the recursion rounds its own once.
    (void)terms;
    const auto diff = left.raw() - right.raw();
    return diff >= -3 && diff <= 3;
  } else {
    // n*mmr - cum cancels: the error is a few ulps of the products and deductions (`terms`, their
    // magnitudes), not of the difference (a 1e-44 rate at a 5e45 boundary gives MM 50 beside 2.5e43 terms).
    const double l = tmg::to_double(left), r = tmg::to_double(right);
    return std::fabs(l - r) <= 1e-9 * (terms + std::fabs(l) + std::fabs(r) + 1.0);
  }
}

/// Properties of loaded rows: tables build under both conventions; queries at every floor and cap work;
/// MM is continuous at every boundary.
template <class Real>
void check_loaded(const tmg::io::symbol_tiers<Real>& loaded) {
  require(!loaded.rows.empty());
  // The venue's own convention through make_tier_table (the other one must be refused), and both
  // conventions from the brackets.
  if (loaded.flat) {
    require(tmg::io::make_tier_table<flat_policies>(loaded).valid());
    require(!tmg::io::make_tier_table<quiet_policies>(loaded).valid());
  } else {
    require(tmg::io::make_tier_table<quiet_policies>(loaded).valid());
    require(!tmg::io::make_tier_table<flat_policies>(loaded).valid());
  }
  const auto brackets = tmg::io::to_brackets(std::span<const tmg::tier<Real>>(loaded.rows));
  const tmg::tier_table<Real, quiet_policies> table(std::span<const tmg::bracket<Real>>(brackets),
                                                    loaded.rows.back().cap);
  require(table.valid());
  require(table.size() == loaded.rows.size());
  const tmg::tier_table<Real, flat_policies> flat(std::span<const tmg::bracket<Real>>(brackets),
                                                 loaded.rows.back().cap);
  require(flat.valid());
  const auto rows = table.rows();
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const Real mm = tmg::maintenance_margin(table, rows[k].floor);
    require(!tmg::scalar_traits<Real>::isnan(mm) || !tmg::scalar_traits<Real>::is_exact);
    (void)tmg::maintenance_margin(flat, rows[k].floor);
    (void)tmg::initial_margin(table, rows[k].floor);
    if (k + 1 < rows.size()) {
      const Real b = rows[k + 1].floor;
      const Real left = b * rows[k].maint_rate - rows[k].maint_amount;
      const Real right = b * rows[k + 1].maint_rate - rows[k + 1].maint_amount;
      const double terms = std::fabs(tmg::to_double(b * rows[k].maint_rate)) +
                           std::fabs(tmg::to_double(rows[k].maint_amount)) +
                           std::fabs(tmg::to_double(b * rows[k + 1].maint_rate)) +
                           std::fabs(tmg::to_double(rows[k + 1].maint_amount));
      if (!tmg::scalar_traits<Real>::isnan(left) && !tmg::scalar_traits<Real>::isnan(right))
        require(continuous(left, right, terms));
    }
  }
}

template <class Real>
void check_all(const std::vector<tmg::io::symbol_tiers<Real>>& all) {
  for (const auto& s : all) check_loaded(s);
}

template <class Real>
bool empty_result(const tmg::io::symbol_tiers<Real>& one) { return one.rows.empty(); }
template <class Real>
bool empty_result(const std::vector<tmg::io::symbol_tiers<Real>>& all) { return all.empty(); }
template <class Real>
void check_result(const tmg::io::symbol_tiers<Real>& one) { check_loaded(one); }
template <class Real>
void check_result(const std::vector<tmg::io::symbol_tiers<Real>>& all) { check_all(all); }

/// `load.template operator()<ErrorPolicy>()` must fail under throw_errors exactly when it returns an empty
/// result under quiet_nan, and whatever it accepts must pass `check_loaded`.
template <class Load>
void check_policies_agree(const Load& load) {
  const auto quiet = load.template operator()<tmg::quiet_nan>();
  bool threw = false;
  try {
    (void)load.template operator()<tmg::throw_errors>();
  } catch (const tmg::error&) {
    threw = true;
  }
  require(threw == empty_result(quiet));
  if (!threw) check_result(quiet);
}

using dec8 = tmg::decimal<8>;

}  // namespace fuzz
