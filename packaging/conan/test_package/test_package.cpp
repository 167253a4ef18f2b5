// SPDX-License-Identifier: BSL-1.0
#include <tiermargin/tiermargin.hpp>

#include <cstdio>

int main() {
  // Binance BTCUSDT brackets (docs/venues.md): MM(100,000) = 100,000 * 0.005 - cum, cum = 50,000 * (0.005 -
  // 0.004) = 50, so 450.
  const tiermargin::tier_table<double> table({{0, 0.004, 125}, {50'000, 0.005, 100}, {600'000, 0.0065, 75}});
  const double mm = tiermargin::maintenance_margin(table, 100'000.0);
  std::printf("tiermargin %d.%d.%d: MM = %.2f\n", TIERMARGIN_VERSION_MAJOR, TIERMARGIN_VERSION_MINOR,
              TIERMARGIN_VERSION_PATCH, mm);
  return mm > 449.999 && mm < 450.001 ? 0 : 1;
}
