// SPDX-License-Identifier: BSL-1.0
// The single-position headers stay cheap to compile: a user of the per-position margin queries, the
// liquidation solver, the venue formulas or the CSV loaders must not compile Eigen or Boost (about 2 s and
// 300 MB per translation unit; bench/compile/header_cost.sh measures it). Fails to compile when one of them
// pulls either in.
#include <tiermargin/io/csv.hpp>
#include <tiermargin/tiers/liquidation.hpp>
#include <tiermargin/tiers/margin.hpp>
#include <tiermargin/venues.hpp>

#if defined(EIGEN_CORE_H) || defined(EIGEN_WORLD_VERSION)
#error "a single-position header includes Eigen"
#endif
#if defined(BOOST_CONFIG_HPP) || defined(BOOST_VERSION)
#error "a single-position header includes Boost"
#endif

int main() { return 0; }
