// SPDX-License-Identifier: BSL-1.0
// Coverage diagnostics and the side-by-side report on a small hand-computed example.
#include <sstream>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "tiermargin/calibrate/report.hpp"

namespace tmg = tiermargin;

TEST_CASE("coverage and side-by-side runs, by hand", "[calibrate][report]") {
  // calibrated: 1% to 100, 2% above (cum 1) ; venue: flat 1.5% everywhere
  const tmg::tier_table<double> calibrated{{{0.0, 0.01, 50.0}, {100.0, 0.02, 25.0}}, 400.0};
  const tmg::tier_table<double> venue{{{0.0, 0.015, 50.0}}, 300.0};
  // R = 0.8, 1.6, 3.5, 6.5 at x = 100, 200, 300, 400 (rates .008 .008 .01167 .01625)
  const std::vector<double> x{100, 200, 300, 400}, R{0.8, 1.6, 3.5, 6.5}, w{1, 1, 1, 2};
  const auto cov = tmg::evaluate_coverage(calibrated, x, R, w);
  // calibrated MM: 1, 3, 5, 7 -> margins .2 1.4 1.5 .5; weighted excess .2 + 1.4 + 1.5 + 2 * .5 = 4.1
  REQUIRE(cov.tiers.size() == 2);
  CHECK(cov.covered);
  CHECK(cov.tiers[0].points == 1);
  CHECK_THAT(cov.tiers[0].min_margin, WithinAbs(0.2, 1e-12));
  CHECK_THAT(cov.tiers[1].min_margin, WithinAbs(0.5, 1e-12));
  CHECK(cov.tiers[1].min_margin_at == 400.0);
  CHECK_THAT(cov.weighted_excess, WithinAbs(4.1, 1e-12));
  const auto cmp = tmg::compare_tables(calibrated, venue, x, R, w);
  // venue MM 1.5, 3, 4.5, 6 (x = 400 beyond its cap 300, priced with the last tier): covers, covers, covers,
  // under (6 < 6.5): two runs
  CHECK(cmp.existing_coverage.beyond_cap_points == 1);
  CHECK(!cmp.existing_coverage.covered);
  REQUIRE(cmp.ranges.size() == 2);
  CHECK(!cmp.ranges[0].under);
  CHECK(cmp.ranges[0].from == 100.0);
  CHECK(cmp.ranges[0].to == 300.0);
  CHECK_THAT(cmp.ranges[0].extreme_ratio, WithinRel(1.5 / 0.8, 1e-12));  // largest over-charge, at 100
  CHECK(cmp.ranges[1].under);
  CHECK_THAT(cmp.ranges[1].extreme_ratio, WithinRel(6.0 / 6.5, 1e-12));
  CHECK_THAT(cmp.ranges[1].weighted_gap, WithinAbs(2 * (6.0 - 6.5), 1e-12));
  std::ostringstream text, csv, curve;
  tmg::write_table_text(text, calibrated, cov);
  tmg::write_comparison_text(text, cmp, "calibrated", "venue");
  tmg::write_table_csv(csv, calibrated, cov);
  tmg::write_comparison_csv(curve, cmp);
  CHECK(text.str().find("UNDER-COVERS") != std::string::npos);
  CHECK(csv.str().find("tier,floor,cap,maint_rate") == 0);
  CHECK(csv.str().find("2,100,400,0.02,0.04,25,1,") != std::string::npos);  // cum = 100 (0.02 - 0.01)
  CHECK(curve.str().find("400,6.5,7,6\n") != std::string::npos);
  const std::vector<double> bad{-1, 200, 300, 400};
  REQUIRE_THROWS_AS(tmg::evaluate_coverage(calibrated, bad, R, w), tmg::invalid_argument);
}
