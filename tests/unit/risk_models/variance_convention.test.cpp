// SPDX-License-Identifier: BSL-1.0
// variance_convention: the normal and Cornish-Fisher estimators with the n - 1 and the n divisor, against
// moments worked out by hand.
#include <tiermargin/risk.hpp>

#include <cmath>
#include <numbers>
#include <vector>

#include "support/catch.hpp"

namespace tmg = tiermargin;
using Catch::Matchers::WithinRel;

namespace {
// Losses {1, 2, 3, 4, 10}: mean 4, deviations -3, -2, -1, 0, 6.
//   sum d^2 = 9 + 4 + 1 + 0 + 36 = 50  -> sample variance 50 / 4 = 12.5, population variance 50 / 5 = 10
//   sum d^3 = -27 - 8 - 1 + 0 + 216 = 180, sum d^4 = 81 + 16 + 1 + 0 + 1296 = 1394
//   m2 = 10, m3 = 36, m4 = 278.8 -> skew 36 / 10^1.5, excess kurtosis 278.8 / 100 - 3 = -0.212
const std::vector<double> losses{1.0, 2.0, 3.0, 4.0, 10.0};
constexpr double mean = 4.0;
const double sd_sample = std::sqrt(12.5);
const double sd_population = std::sqrt(10.0);
// z = Phi^{-1}(0.99) from normal tables; phi(z) by its definition.
constexpr double z = 2.3263478740408408;
const double phi_z = std::exp(-0.5 * z * z) / std::sqrt(2.0 * std::numbers::pi);
}  // namespace

TEST_CASE("normal_estimator: sample (n-1, default) and population (n) variance", "[risk][variance_convention]") {
  const double p = 0.01;
  SECTION("default is the n - 1 divisor") {
    const tmg::normal_estimator<> est;
    CHECK(est.variance() == tmg::variance_convention::sample);
    const auto fit = est.fit(losses);
    CHECK_THAT(fit.mean, WithinRel(mean, 1e-15));
    CHECK_THAT(fit.sd, WithinRel(sd_sample, 1e-15));
    const auto r = est.var_es(losses, p);
    CHECK_THAT(r.var, WithinRel(mean + sd_sample * z, 1e-13));
    CHECK_THAT(r.es, WithinRel(mean + sd_sample * phi_z / p, 1e-12));
  }
  SECTION("population: the n divisor, as PerformanceAnalytics' univariate gaussian") {
    const tmg::normal_estimator<> est(tmg::variance_convention::population);
    CHECK(est.variance() == tmg::variance_convention::population);
    CHECK_THAT(est.fit(losses).sd, WithinRel(sd_population, 1e-15));
    const auto r = est.var_es(losses, p);
    CHECK_THAT(r.var, WithinRel(mean + sd_population * z, 1e-13));
    CHECK_THAT(r.es, WithinRel(mean + sd_population * phi_z / p, 1e-12));
  }
}

TEST_CASE("cornish_fisher_estimator: population (n, default) and sample (n-1) variance",
          "[risk][variance_convention]") {
  const double p = 0.01;
  const double skew = 36.0 / std::pow(10.0, 1.5);
  const double kurt = 278.8 / 100.0 - 3.0;
  // h(z) written out from the Cornish-Fisher expansion (docs/risk.md section 2):
  const double h = z + (z * z - 1.0) * skew / 6.0 + (z * z * z - 3.0 * z) * kurt / 24.0 -
                   (2.0 * z * z * z - 5.0 * z) * skew * skew / 36.0;
  SECTION("default is the n divisor") {
    const tmg::cornish_fisher_estimator<> est;
    CHECK(est.variance() == tmg::variance_convention::population);
    const auto r = est.evaluate(losses, p);
    CHECK_THAT(r.h, WithinRel(h, 1e-12));
    CHECK_THAT(r.var, WithinRel(mean + sd_population * h, 1e-12));
    // the closed form at the hand moments gives the same figures
    const auto closed = tmg::cornish_fisher_var_es(mean, sd_population, skew, kurt, p);
    CHECK_THAT(r.es, WithinRel(closed.es, 1e-12));
  }
  SECTION("sample: sd sqrt(12.5), the same skewness and kurtosis") {
    const tmg::cornish_fisher_estimator<> est(true, tmg::variance_convention::sample);
    CHECK(est.variance() == tmg::variance_convention::sample);
    CHECK(est.operational());
    const auto r = est.evaluate(losses, p);
    CHECK_THAT(r.h, WithinRel(h, 1e-12));
    CHECK_THAT(r.var, WithinRel(mean + sd_sample * h, 1e-12));
    const auto closed = tmg::cornish_fisher_var_es(mean, sd_sample, skew, kurt, p);
    CHECK_THAT(r.es, WithinRel(closed.es, 1e-12));
    CHECK_THAT(r.es_raw, WithinRel(closed.es_raw, 1e-12));
  }
}
