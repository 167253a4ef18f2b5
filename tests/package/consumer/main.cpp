#include <tiermargin/tiermargin.hpp>

#include <cstdio>

int main() {
  // Binance BTCUSDT brackets (docs/venues.md §1.3): MM(100,000) = 100,000 * 0.005 - 50 = 450.
  const tiermargin::tier_table<double> table({{0, 0.004, 125}, {50'000, 0.005, 100}, {600'000, 0.0065, 75}});
  const double mm = tiermargin::maintenance_margin(table, 100'000.0);
  std::printf("MM = %.2f\n", mm);
  return mm > 449.999 && mm < 450.001 ? 0 : 1;
}
