// SPDX-License-Identifier: BSL-1.0
// Sizes taken from arguments: the grid builder and the optimizers check the products of sizes they allocate
// (overflow-safe) and report them through the error policy instead of failing inside the allocator.
#include <cstddef>
#include <limits>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"
#include "tiermargin/calibrate/bracket_table.hpp"
#include "tiermargin/calibrate/grid.hpp"
#include "tiermargin/calibrate/rate_levels.hpp"
#include "tiermargin/calibrate/step_table.hpp"

namespace tmg = tiermargin;
using test_support::check_error_names;

TEST_CASE("make_calibration_grid: refine that overflows or exceeds the grid bound", "[calibrate][grid][limits]") {
  const std::vector<double> b{1e4, 1e5};
  // 2 * (SIZE_MAX / 4) does not wrap (about SIZE_MAX / 2) but is far above the bound; 4 * (SIZE_MAX/4 + 1)
  // wraps to 0 in size_t arithmetic.
  const std::size_t quarter = std::numeric_limits<std::size_t>::max() / 4;
  check_error_names([&] { (void)tmg::make_calibration_grid(b, quarter); }, "make_calibration_grid", "refine");
  const std::vector<double> four{1.0, 2.0, 3.0, 4.0};
  check_error_names([&] { (void)tmg::make_calibration_grid(four, quarter + 1); }, "make_calibration_grid",
                    "refine");
  CHECK_THROWS_AS(tmg::make_calibration_grid(b, quarter), tmg::invalid_argument);
  // quiet policy: an empty grid, no foreign exception
  const auto quiet = tmg::make_calibration_grid<tmg::quiet_nan>(b, quarter);
  CHECK(quiet.notionals.empty());
  // the bound itself: 2 * 2^23 points is accepted up to 2^24, one more refine step is not
  const std::size_t half = tmg::max_calibration_grid_points / 2;
  check_error_names([&] { (void)tmg::make_calibration_grid(b, half + 1); }, "make_calibration_grid", "refine");
  const auto g = tmg::make_calibration_grid(b, 3);
  // by hand: (0, 1e4] in thirds, then (1e4, 1e5] in thirds (step 3e4)
  REQUIRE(g.notionals.size() == 6);
  CHECK(g.notionals[3] == 4e4);
  CHECK(g.boundaries == std::vector<std::size_t>{2, 5});
}

TEST_CASE("optimizers: state spaces above the documented bounds are reported", "[calibrate][limits]") {
  // n = 20000 candidate boundaries, one grid point each, required rate 1%.
  const std::size_t n = 20000;
  std::vector<double> x(n), R(n), w(n, 1.0);
  std::vector<std::size_t> boundaries(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = 1000.0 * static_cast<double>(i + 1);
    R[i] = 0.01 * x[i];
    boundaries[i] = i;
  }
  SECTION("segmentation: (min(K, n) + 1)(n + 1) = 20001^2 = 4.0e8 > 2^28") {
    tmg::tier_constraints c;
    c.max_tiers = n;
    check_error_names([&] { (void)tmg::optimize_step_table(x, boundaries, R, w, c); }, "optimize_step_table",
                      "boundaries");
    check_error_names([&] { (void)tmg::optimize_bracket_table(x, boundaries, R, w, c); }, "optimize_bracket_table",
                      "boundaries");
  }
  SECTION("label DP: (n + 1) * levels * (K + 1) = 1002 * 10000 * 13 = 1.3e8 > 2^26") {
    const std::vector<double> xs(x.begin(), x.begin() + 1001), Rs(R.begin(), R.begin() + 1001),
        ws(w.begin(), w.begin() + 1001);
    const std::vector<std::size_t> bs(boundaries.begin(), boundaries.begin() + 1001);
    tmg::tier_constraints c;
    c.max_tiers = 12;
    c.levels = tmg::tick_levels(1e-5, 0.1);  // 10000 levels
    REQUIRE(c.levels.maint_rates.size() == 10000);
    check_error_names([&] { (void)tmg::optimize_bracket_table(xs, bs, Rs, ws, c); }, "optimize_bracket_table",
                      "constraints.levels");
  }
}

TEST_CASE("round_number_grid: decades x mantissas above the grid bound", "[calibrate][grid][limits]") {
  // lo = 1e-300, hi = 1e300: 603 candidate decades (10^-301 .. 10^301); 30000 mantissas give 1.8e7 > 2^24.
  std::vector<double> mantissas(30000);
  for (std::size_t i = 0; i < mantissas.size(); ++i) mantissas[i] = 1.0 + 3e-4 * static_cast<double>(i);
  check_error_names([&] { (void)tmg::round_number_grid(1e-300, 1e300, mantissas); }, "round_number_grid",
                    "mantissas");
  CHECK(tmg::round_number_grid<tmg::quiet_nan>(1e-300, 1e300, mantissas).empty());
  // the 1-2-5 series over the same range is small: 3 per decade, 600 decades from 1e-300 to 1e299 plus 1e300
  CHECK(tmg::round_number_grid(1e-300, 1e300).size() == 3 * 600 + 1);
}
