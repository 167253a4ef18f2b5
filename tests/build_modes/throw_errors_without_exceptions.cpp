// SPDX-License-Identifier: BSL-1.0
// Must NOT compile with -fno-exceptions: the default policy throw_errors needs exceptions. The test
// (tests/CMakeLists.txt) builds this file and passes only if the compiler prints the static_assert message.
#include <tiermargin/tiers.hpp>

int main() {
  const tiermargin::tier_table<double> table({{0, 0.004, 125}}, 50'000);
  return tiermargin::maintenance_margin(table, 1.0) > 0 ? 0 : 1;
}
