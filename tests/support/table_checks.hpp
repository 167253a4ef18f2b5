// SPDX-License-Identifier: BSL-1.0
// A table-level check shared by the loader tests: every docs/conventions.md tier invariant, read directly from the
// rows, and maintenance-margin continuity at each boundary.
#pragma once

#include <tiermargin/tiers/tier_table.hpp>

#include "catch.hpp"
#include "scalars.hpp"

namespace test_support {

/// Equal for exact scalars; within 1e-9 relative for floating point (derived deductions carry rounding).
template <class Real>
bool near(Real a, Real b) {
  return same(a, b, 1e-9);
}

/// Floors from 0, caps equal to the next floor, non-decreasing rates, non-increasing leverage,
/// IMR >= MMR, and floor_{k+1} * mmr_k - cum_k == floor_{k+1} * mmr_{k+1} - cum_{k+1}.
template <class Real, class P>
void check_table(const tiermargin::tier_table<Real, P>& table) {
  REQUIRE(table.valid());
  const auto rows = table.rows();
  CHECK(rows.front().floor == Real{});
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    CHECK(r.floor < r.cap);
    CHECK(Real{} < r.maint_rate);
    CHECK(!(tiermargin::from_double<Real>(1.0) < r.max_leverage * r.maint_rate));
    if (k + 1 < rows.size()) {
      const auto& n = rows[k + 1];
      CHECK(r.cap == n.floor);
      CHECK(!(n.maint_rate < r.maint_rate));
      CHECK(!(r.max_leverage < n.max_leverage));
      const Real left = n.floor * r.maint_rate - r.maint_amount;
      const Real right = n.floor * n.maint_rate - n.maint_amount;
      INFO("boundary " << tiermargin::to_double(n.floor) << ": " << tiermargin::to_double(left) << " vs "
                       << tiermargin::to_double(right));
      CHECK(near(left, right));
    }
  }
}

}  // namespace test_support
