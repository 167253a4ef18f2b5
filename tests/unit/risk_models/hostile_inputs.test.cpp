// SPDX-License-Identifier: BSL-1.0
// Inputs a hostile reviewer tried after the hardening pass: a Student-t dof so small that the EM underflows,
// and EWMA outputs aliasing their input. Each used to give a silent wrong number (NaN under throw_errors, or
// forecasts computed from overwritten inputs); each is now reported naming the caller's argument.
#include <tiermargin/risk/ewma.hpp>
#include <tiermargin/risk/student_t.hpp>

#include <cmath>
#include <random>
#include <span>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"

namespace tmg = tiermargin;
using test_support::check_error_names;
using test_support::nan_policies;

TEST_CASE("Student-t with a fixed dof of 1e-300 is an error, not NaN", "[risk_models][student_t][hostile]") {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> z(0.0, 0.05);
  std::vector<double> x(500);
  for (double& v : x) v = z(rng);
  for (const double dof : {1e-300, 5e-324, 1e-10}) {
    INFO("fixed dof " << dof);
    const tmg::student_t_estimator<> est(tmg::student_t_fit_options{dof, 1.0, 1000.0, 500});
    check_error_names([&] { (void)est.var_es(x, 0.01); }, "student_t_estimator::var_es", "options.fixed_dof");
    check_error_names([&] { (void)est.fit(x); }, "student_t_estimator::fit", "options.fixed_dof");
    const tmg::student_t_estimator<nan_policies> quiet(tmg::student_t_fit_options{dof, 1.0, 1000.0, 500});
    CHECK(std::isnan(quiet.var_es(x, 0.01).var));
  }
  // A sane fixed dof on the same sample still gives a finite, positive VaR (the check is about the guard
  // not firing; the t(5) values themselves are tested against closed forms in parametric.test.cpp).
  const tmg::student_t_estimator<> five(tmg::student_t_fit_options{5.0, 1.0, 1000.0, 500});
  const double var = five.var(x, 0.01);
  CHECK(std::isfinite(var));
  CHECK(var > 0.0);
}

TEST_CASE("EWMA outputs that alias their input are reported", "[risk_models][ewma][aliasing][hostile]") {
  // Before: ewma_variance(x, 0.94, 0, x) wrote forecast i over x[i] before reading it (0.00025322 instead of
  // 0.00034422, no error).
  std::vector<double> x{0.01, -0.02, 0.015, -0.005, 0.03};
  std::vector<double> separate(x.size());
  const double expected = tmg::ewma_variance(std::span<const double>(x), 0.94, 0.0, std::span<double>(separate));
  CHECK(std::isfinite(expected));
  check_error_names([&] { (void)tmg::ewma_variance(std::span<const double>(x), 0.94, 0.0, std::span<double>(x)); },
                    "ewma_variance", "forecasts");
  check_error_names(
      [&] { (void)tmg::hull_white_scale(std::span<const double>(x), 0.94, 0.0, std::span<double>(x)); },
      "hull_white_scale", "out");
  std::vector<double> longer(x.size() + 1);
  std::copy(x.begin(), x.end(), longer.begin());
  check_error_names([&] {
    (void)tmg::ewma_variance(std::span<const double>(longer).first(5), 0.94, 0.0, std::span<double>(longer).subspan(1));
  }, "ewma_variance", "forecasts");
  CHECK(x == std::vector<double>{0.01, -0.02, 0.015, -0.005, 0.03});  // the input is untouched
}
