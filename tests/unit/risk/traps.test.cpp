// SPDX-License-Identifier: BSL-1.0
// Traps closed by the "one regular API" issue: a confidence level passed where a tail probability is
// expected is reported (unless the bundle opts in with allow_upper_tail).
#include <tiermargin/risk.hpp>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"

namespace tmg = tiermargin;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using test_support::contains;
using test_support::message_of;
using test_support::nan_policies;

namespace {
/// A deterministic, non-degenerate sample of 250 losses (skewed, no ties).
std::vector<double> sample_losses() {
  std::vector<double> x(250);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double t = static_cast<double>(i);
    x[i] = std::sin(0.37 * t) + 0.25 * std::cos(1.3 * t) + 0.001 * t;
  }
  return x;
}

/// `f()` throws naming `function`, 'p' and 0.99, and the message points at from_confidence.
template <class F>
void check_confidence_trap(F&& f, const std::string& function) {
  const std::string what = message_of(f);
  INFO(function << ": " << what);
  CHECK(contains(what, "tiermargin::" + function));
  CHECK(contains(what, "'p'"));
  CHECK(contains(what, "0.99"));
  CHECK(contains(what, "tail probability"));
  CHECK(contains(what, "from_confidence(0.99)"));
  CHECK(contains(what, "allow_upper_tail"));
}
}  // namespace

TEST_CASE("a confidence level passed as a tail probability is reported by every estimator",
          "[risk][traps][tail_probability]") {
  const auto x = sample_losses();
  const double p = 0.99;  // the trap: 99% confidence instead of p = 0.01
  check_confidence_trap([&] { (void)tmg::normal_var(0.0, 1.0, p); }, "normal_var");
  check_confidence_trap([&] { (void)tmg::normal_es(0.0, 1.0, p); }, "normal_es");
  check_confidence_trap([&] { (void)tmg::normal_var_es(0.0, 1.0, p); }, "normal_var_es");
  check_confidence_trap([&] { (void)tmg::student_t_var(0.0, 1.0, 4.0, p); }, "student_t_var");
  check_confidence_trap([&] { (void)tmg::student_t_es(0.0, 1.0, 4.0, p); }, "student_t_es");
  check_confidence_trap([&] { (void)tmg::student_t_var_es(0.0, 1.0, 4.0, p); }, "student_t_var_es");
  check_confidence_trap([&] { (void)tmg::cornish_fisher_var_es(0.0, 1.0, 0.1, 0.5, p); }, "cornish_fisher_var_es");
  check_confidence_trap([&] { (void)tmg::pot_var(1.0, 0.2, 0.5, 1.0, p); }, "pot_var");
  check_confidence_trap([&] { (void)tmg::pot_es(1.0, 0.2, 0.5, 1.0, p); }, "pot_es");
  check_confidence_trap([&] { (void)tmg::pot_var_es(1.0, 0.2, 0.5, 1.0, p); }, "pot_var_es");
  check_confidence_trap([&] { (void)tmg::weissman_quantile(tmg::hill(x, 20), p); }, "weissman_quantile");
  check_confidence_trap([&] { (void)tmg::historical<>{}.var(x, p); }, "historical::var");
  check_confidence_trap([&] { (void)tmg::historical<>{}.es(x, p); }, "historical::es");
  check_confidence_trap([&] { (void)tmg::historical<>{}.var_es(x, p); }, "historical::var_es");
  check_confidence_trap([&] { (void)tmg::normal_estimator<>{}.var(x, p); }, "normal_estimator::var");
  check_confidence_trap([&] { (void)tmg::cornish_fisher_estimator<>{}.es(x, p); }, "cornish_fisher_estimator::es");
  check_confidence_trap([&] { (void)tmg::student_t_estimator<>{}.var_es(x, p); }, "student_t_estimator::var_es");
  check_confidence_trap([&] { (void)tmg::ewma_estimator<>(0.94).var(x, p); }, "ewma_estimator::var");
  check_confidence_trap([&] { (void)tmg::filtered_historical_estimator<>(0.94).var(x, p); },
                        "filtered_historical_estimator::var");
  check_confidence_trap([&] { (void)tmg::pot_estimator<>{}.var(x, p); }, "pot_estimator::var");
  check_confidence_trap([&] { tmg::rolling_historical<> r(100, p); }, "rolling_historical::rolling_historical");
  std::vector<double> var_out(x.size()), es_out(x.size());
  check_confidence_trap([&] { (void)tmg::rolling_var_es(x, 100, p, var_out, es_out); }, "rolling_var_es");
}

TEST_CASE("p > 0.5 gives NaN under quiet_nan; 0.5 itself and from_confidence are accepted",
          "[risk][traps][tail_probability]") {
  const auto x = sample_losses();
  CHECK(std::isnan(tmg::normal_var<nan_policies>(0.0, 1.0, 0.99)));
  CHECK(std::isnan(tmg::student_t_var<nan_policies>(0.0, 1.0, 4.0, 0.75)));
  CHECK(std::isnan(tmg::historical<nan_policies>{}.var(x, 0.51)));
  CHECK(std::isnan(tmg::normal_estimator<nan_policies>{}.es(x, 0.95)));
  CHECK(std::isnan(tmg::cornish_fisher_var_es<nan_policies>(0.0, 1.0, 0.0, 0.0, 0.9).var));
  // p = 0.5 is the median, a legitimate (if unusual) tail probability: Phi^{-1}(0.5) = 0.
  CHECK(tmg::normal_var(3.0, 2.0, 0.5) == 3.0);
  // The fix the message suggests: from_confidence(0.99) == 0.01, z_0.99 = 2.3263478740408408 (normal tables).
  CHECK_THAT(tmg::normal_var(0.0, 1.0, tmg::from_confidence(0.99)), WithinRel(2.3263478740408408, 1e-14));
}

TEST_CASE("allow_upper_tail opts in to p > 0.5 at the call site", "[risk][traps][tail_probability]") {
  using upper = tmg::allow_upper_tail<>;
  STATIC_REQUIRE(tmg::upper_tail_allowed_v<upper>);
  STATIC_REQUIRE_FALSE(tmg::upper_tail_allowed_v<tmg::default_policies>);
  STATIC_REQUIRE(tmg::policy_bundle<tmg::allow_upper_tail<nan_policies>>);

  // Normal, p = 0.99: VaR = Phi^{-1}(0.01) = -2.3263478740408408 (normal tables, by symmetry);
  // ES = E[L | L >= VaR] = phi(VaR) / P(L >= VaR) = phi(2.3263478740408408) / 0.99.
  const double z = 2.3263478740408408;
  const double phi = std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi);
  const auto r = tmg::normal_var_es<upper>(0.0, 1.0, 0.99);
  CHECK_THAT(r.var, WithinAbs(-z, 1e-13));
  CHECK_THAT(r.es, WithinRel(phi / 0.99, 1e-12));

  // Historical, losses 1..10, p = 0.9: VaR is the ceil(10 * 0.9) = 9th largest loss = 2; the Acerbi-Tasche
  // ES is the mean of the 9 largest, (10 + 9 + ... + 2) / 9 = 54 / 9 = 6.
  const std::vector<double> ten{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const auto h = tmg::historical<upper>{}.var_es(ten, 0.9);
  CHECK(h.var == 2.0);
  CHECK_THAT(h.es, WithinAbs(6.0, 1e-14));

  // The opt-in composes with quiet_nan and still rejects p outside (0, 1).
  CHECK(std::isnan(tmg::normal_var<tmg::allow_upper_tail<nan_policies>>(0.0, 1.0, 1.0)));
  CHECK_THAT(tmg::normal_var<tmg::allow_upper_tail<nan_policies>>(0.0, 1.0, 0.99), WithinAbs(-z, 1e-13));
}
