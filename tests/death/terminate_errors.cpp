// SPDX-License-Identifier: BSL-1.0
// Under terminate_errors a bad notional prints the message and aborts (run by tests/death/expect_abort.cmake).
#include <tiermargin/tiers.hpp>

struct abort_policies : tiermargin::default_policies {
  using error = tiermargin::terminate_errors;
};

int main() {
  const tiermargin::tier_table<double, abort_policies> table({{0, 0.004, 125}});
  static_assert(noexcept(tiermargin::maintenance_margin(table, 1.0)));
  return tiermargin::maintenance_margin(table, -1.0) < 0 ? 0 : 0;  // must not return
}
