// SPDX-License-Identifier: BSL-1.0
// Multi-asset: Monte Carlo scenarios (normal, Student-t, antithetic, determinism) and portfolio VaR/ES
// with Euler decomposition (delta-normal, modified).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <boost/math/distributions/normal.hpp>

#include "support/catch.hpp"
#include "support/errors.hpp"
#include <tiermargin/risk/cornish_fisher.hpp>
#include <tiermargin/risk/monte_carlo.hpp>
#include <tiermargin/risk/normal.hpp>
#include <tiermargin/risk/portfolio.hpp>
#include <tiermargin/risk/student_t.hpp>
#include <tiermargin/risk/xoshiro256.hpp>

namespace tmg = tiermargin;

namespace {
using test_support::check_error_names;
using test_support::nan_policies;
// The two-asset example used throughout (hand-chosen).
Eigen::VectorXd example_mean() { return Eigen::Vector2d(0.001, 0.002); }
Eigen::MatrixXd example_cov() {
  Eigen::MatrixXd s(2, 2);
  s << 0.0004, 0.0001, 0.0001, 0.0009;
  return s;
}
const std::vector<double> example_w{0.6, 0.4};
}  // namespace

TEST_CASE("Monte Carlo engine and normal sampler", "[risk_models][monte_carlo]") {
  using tmg::detail::models::uniform_from_bits;
  // Uniforms lie strictly inside (0, 1): by hand, word 0 -> 2^-54, word 2^64-1 -> 1 - 2^-54.
  CHECK(uniform_from_bits(0) == 0x1.0p-54);
  CHECK(uniform_from_bits(~std::uint64_t{0}) == 1.0 - 0x1.0p-54);
  // The ziggurat's signed uniform (2m + 1) 2^-52 - 1 from the top 52 bits m, by hand: m = 0, 2^52 - 1 and
  // 2^51 give -1 + 2^-52, 1 - 2^-52 and 2^-52; the layer is bits 0-7, untouched by the uniform.
  using tmg::detail::models::ziggurat_layer;
  using tmg::detail::models::ziggurat_uniform;
  CHECK(ziggurat_uniform(0x0FFFu) == -1.0 + 0x1.0p-52);
  CHECK(ziggurat_uniform(~std::uint64_t{0}) == 1.0 - 0x1.0p-52);
  CHECK(ziggurat_uniform(std::uint64_t{1} << 63) == 0x1.0p-52);
  CHECK(ziggurat_layer(0x1234'5678'9ABC'DEF5ULL) == 0xF5u);
  // The tables define 256 layers of one area V (the ziggurat's defining property, checked with std::exp
  // and std::erfc rather than the generator's mpmath): base strip r f(r) + int_r^inf f = x_0 f(r) = V,
  // layer i >= 1 x_i (f(x_{i+1}) - f(x_i)) = V, the top edge x_256 = 0; ratio_i = x_{i+1} / x_i; the wedge
  // test's f_i = exp(-x_i^2 / 2) (rounding x_i moves the exponent by up to x_i^2 2^-53 <= 1.7e-15).
  {
    namespace z = tmg::detail::models;
    const double r = z::zig_r_edge, fr = std::exp(-0.5 * r * r);
    const double tail = std::sqrt(std::acos(-1.0) / 2.0) * std::erfc(r / std::sqrt(2.0));
    CHECK_THAT(r * fr + tail, WithinRel(z::zig_area, 1e-13));
    CHECK_THAT(z::zig_x[0] * fr, WithinRel(z::zig_area, 1e-13));
    CHECK(z::zig_x[1] == r);
    CHECK(z::zig_x[z::zig_layers] == 0.0);
    for (std::size_t i = 0; i <= z::zig_layers; ++i) {
      const double x = z::zig_x[i];
      CHECK_THAT(z::zig_f[i], WithinRel(std::exp(-0.5 * x * x), 3e-15));
      if (i >= 1 && i < z::zig_layers)
        CHECK_THAT(x * (z::zig_f[i + 1] - z::zig_f[i]), WithinRel(z::zig_area, 1e-10));
      if (i < z::zig_layers) CHECK_THAT(z::zig_ratio[i], WithinRel(z::zig_x[i + 1] / x, 1e-15));
    }
  }
  // std::mt19937_64 is fully specified: its 10000th output is 9981545732273789042 ([rand.predef]).
  std::mt19937_64 engine;
  engine.discard(9999);
  CHECK(engine() == 9981545732273789042ULL);
  // xoshiro256++ seeded by splitmix64: outputs 1, 2 and 1000 for seed 42 from an independent Python
  // implementation of the published algorithms (whose splitmix64(0) first output 0xe220a8397b1dcdaf
  // matches the reference).
  tmg::xoshiro256pp x(42);
  CHECK(x() == 15021278609987233951ULL);
  CHECK(x() == 5881210131331364753ULL);
  for (int i = 2; i < 999; ++i) (void)x();
  CHECK(x() == 11812103565718292368ULL);
  STATIC_REQUIRE(std::uniform_random_bit_generator<tmg::xoshiro256pp>);
  STATIC_REQUIRE(tmg::full_64bit_engine<tmg::xoshiro256pp>);
  // Ziggurat draws follow N(0,1): the fraction below Phi^{-1}(q) (Boost.Math) within 4.5 SE for 1e6 draws,
  // including the tails beyond R = 3.654 (q = 1e-4: z = -3.719; sampled from the base strip) and the
  // wedges; mean and variance within 4.5 SE; Kolmogorov-Smirnov distance below its 0.1% critical value
  // 1.95 / sqrt(n).
  const boost::math::normal_distribution<> standard;
  const double qs[] = {0.0001, 0.0005, 0.01, 0.1, 0.3, 0.5, 0.8, 0.99, 0.9995, 0.9999};
  double cut[10];
  for (std::size_t j = 0; j < 10; ++j) cut[j] = quantile(standard, qs[j]);
  double below[10] = {};
  double sum = 0.0, sum2 = 0.0;
  const double n = 1e6;
  tmg::xoshiro256pp rng(7);
  std::vector<double> draws(1000000);
  for (double& z : draws) {
    z = tmg::detail::models::draw_normal(rng);
    sum += z;
    sum2 += z * z;
    for (std::size_t j = 0; j < 10; ++j) below[j] += z < cut[j] ? 1.0 : 0.0;
  }
  for (std::size_t j = 0; j < 10; ++j)
    CHECK_THAT(below[j] / n, WithinAbs(qs[j], 4.5 * std::sqrt(qs[j] * (1 - qs[j]) / n)));
  CHECK_THAT(sum / n, WithinAbs(0.0, 4.5e-3));
  CHECK_THAT(sum2 / n, WithinAbs(1.0, 4.5 * std::sqrt(2.0 / n)));
  std::sort(draws.begin(), draws.end());
  double ks = 0.0;
  for (std::size_t k = 0; k < draws.size(); ++k) {
    const double phi = cdf(standard, draws[k]);
    ks = std::max({ks, static_cast<double>(k + 1) / n - phi, phi - static_cast<double>(k) / n});
  }
  CHECK(ks < 1.95 / std::sqrt(n));
}

TEST_CASE("Monte Carlo normal portfolio VaR/ES agree with the closed form", "[risk_models][monte_carlo]") {
  const tmg::multivariate_scenarios<> gen(example_mean(), example_cov());
  REQUIRE(gen.valid());
  CHECK(gen.assets() == 2);
  // Closed form (normal.hpp, hand values in the portfolio test): loss ~ N(-w'mu, w'Sigma w).
  const double mu_l = -(0.6 * 0.001 + 0.4 * 0.002), sigma = std::sqrt(0.000336);
  const auto exact = tmg::normal_var_es(mu_l, sigma, 0.01);
  std::mt19937_64 rng(123);
  const std::size_t s = 200000;
  const auto mc = gen.portfolio_var_es(example_w, 0.01, s, rng);
  // Standard errors: VaR sqrt(p(1-p)/s)/phi(z) sigma = 1.5e-4; ES about 1.8e-4. 4 SE.
  CHECK_THAT(mc.var, WithinAbs(exact.var, 6e-4));
  CHECK_THAT(mc.es, WithinAbs(exact.es, 7.5e-4));
  std::mt19937_64 rng2(123);
  const auto anti = gen.portfolio_var_es(example_w, 0.01, s, rng2, true);
  CHECK_THAT(anti.var, WithinAbs(exact.var, 6e-4));
  CHECK_THAT(anti.es, WithinAbs(exact.es, 7.5e-4));
  // Scenario moments: sample covariance of 100k scenarios within ~4 SE (SE of a variance 0.0004 is
  // 0.0004 sqrt(2/1e5) = 1.8e-6).
  tmg::scenario_matrix x(100000, 2);
  gen.generate(rng, x);
  const Eigen::MatrixXd xd = x;
  const auto mc_cov = tmg::sample_mean_covariance(xd);
  CHECK_THAT(mc_cov.covariance(0, 0), WithinAbs(0.0004, 8e-6));
  CHECK_THAT(mc_cov.covariance(1, 1), WithinAbs(0.0009, 1.8e-5));
  CHECK_THAT(mc_cov.covariance(0, 1), WithinAbs(0.0001, 8e-6));
  CHECK_THAT(mc_cov.mean(1), WithinAbs(0.002, 4e-4));  // SE 0.03 / sqrt(1e5) = 9.5e-5: 4.2 SE
}

TEST_CASE("Monte Carlo Student-t portfolio VaR/ES agree with the closed form", "[risk_models][monte_carlo]") {
  // X = mu + sqrt(nu/W) L z: w'X is univariate t_nu with location w'mu and scale sqrt(w'Sigma w), so
  // the loss VaR/ES are student_t.hpp's closed forms (docs/risk.md section 4 recommends exactly this).
  const double nu = 5.0;
  const tmg::multivariate_scenarios<> gen(example_mean(), example_cov(), nu);
  CHECK(gen.is_student_t());
  const auto exact = tmg::student_t_var_es(-(0.6 * 0.001 + 0.4 * 0.002), std::sqrt(0.000336), nu, 0.01);
  std::mt19937_64 rng(99);
  const auto mc = gen.portfolio_var_es(example_w, 0.01, 300000, rng);
  // Standard errors (asymptotic, loss scale sqrt(w'Sigma w) = 0.01833, t_{0.99,5} = 3.3649):
  // VaR sqrt(p(1-p)/S) / f_t5(q) * scale = 3.05e-4 (0.51% of VaR 0.0603); ES
  // sqrt((Var(T | T > q) + (1-p)(ES_T - q)^2) / (S p)) * scale = 5.8e-4 (0.72% of ES 0.0802), with the tail
  // moments integrated numerically from the t_5 density. Tolerances: about 4 SE each.
  CHECK_THAT(mc.var, WithinRel(exact.var, 0.021));
  CHECK_THAT(mc.es, WithinRel(exact.es, 0.029));
  // dof < 2 uses the shape < 1 gamma branch: t_1.5 quantile, looser (heavier tail).
  const tmg::multivariate_scenarios<> heavy(example_mean(), example_cov(), 1.5);
  const double q = tmg::student_t_var(-(0.6 * 0.001 + 0.4 * 0.002), std::sqrt(0.000336), 1.5, 0.05);
  std::vector<double> losses(100000);
  heavy.portfolio_losses(example_w, rng, losses);
  std::size_t above = 0;
  for (const double l : losses) above += l > q ? 1 : 0;
  CHECK_THAT(static_cast<double>(above) / 1e5, WithinAbs(0.05, 0.003));  // SE sqrt(.05 .95 / 1e5) = 6.9e-4: 4.3 SE
}

TEST_CASE("Monte Carlo is deterministic and antithetic pairs cancel exactly", "[risk_models][monte_carlo]") {
  Eigen::MatrixXd cov(3, 3);
  cov << 0.04, 0.01, -0.005, 0.01, 0.09, 0.02, -0.005, 0.02, 0.0225;
  const tmg::multivariate_scenarios<> gen(Eigen::VectorXd::Zero(3), cov);
  const std::vector<double> w{1.0, -0.5, 2.0};
  std::vector<double> a(5000), b(5000), c(5000);
  std::mt19937_64 r1(7), r2(7), r3(8);
  gen.portfolio_losses(w, r1, a);
  gen.portfolio_losses(w, r2, b);
  gen.portfolio_losses(w, r3, c);
  CHECK(a == b);
  CHECK(a != c);
  // Antithetic, zero mean: within each block of 1024 rows the second half mirrors the first.
  std::vector<double> anti(4096);
  std::mt19937_64 r4(11);
  gen.portfolio_losses(w, r4, anti, true);
  bool pairs_cancel = true;
  double pairwise_sum = 0.0;
  for (std::size_t blk = 0; blk < anti.size(); blk += 1024)
    for (std::size_t i = 0; i < 512; ++i) {
      pairs_cancel = pairs_cancel && anti[blk + i] + anti[blk + 512 + i] == 0.0;
      pairwise_sum += anti[blk + i] + anti[blk + 512 + i];
    }
  CHECK(pairs_cancel);
  CHECK(pairwise_sum == 0.0);
  // Scenario matrix: mirrored rows are exact negatives, so every column mean is exactly 0 summed pairwise.
  tmg::scenario_matrix x(2048, 3);
  std::mt19937_64 r5(11);
  gen.generate(r5, x, true);
  for (Eigen::Index j = 0; j < 3; ++j) {
    double s = 0.0;
    for (Eigen::Index blk = 0; blk < 2048; blk += 1024)
      for (Eigen::Index i = 0; i < 512; ++i) s += x(blk + i, j) + x(blk + 512 + i, j);
    CHECK(s == 0.0);
  }
  // Same seed, same scenario matrix.
  tmg::scenario_matrix y(2048, 3);
  std::mt19937_64 r6(11);
  gen.generate(r6, y, true);
  CHECK(x == y);
}

TEST_CASE("Monte Carlo errors", "[risk_models][monte_carlo][errors]") {
  Eigen::MatrixXd not_pd(2, 2);
  not_pd << 1.0, 2.0, 2.0, 1.0;  // eigenvalues 3, -1
  check_error_names([&] { tmg::multivariate_scenarios<> g(Eigen::VectorXd::Zero(2), not_pd); },
                    "multivariate_scenarios", "covariance");
  Eigen::MatrixXd asym(2, 2);
  asym << 1.0, 0.5, 0.0, 1.0;
  check_error_names([&] { tmg::multivariate_scenarios<> g(Eigen::VectorXd::Zero(2), asym); },
                    "multivariate_scenarios", "covariance");
  check_error_names([&] { tmg::multivariate_scenarios<> g(Eigen::VectorXd::Zero(3), example_cov()); },
                    "multivariate_scenarios", "covariance");
  check_error_names([&] { tmg::multivariate_scenarios<> g(example_mean(), example_cov(), 0.0); },
                    "multivariate_scenarios", "dof");
  Eigen::VectorXd bad_mean = example_mean();
  bad_mean(0) = std::numeric_limits<double>::quiet_NaN();
  check_error_names([&] { tmg::multivariate_scenarios<> g(bad_mean, example_cov()); }, "multivariate_scenarios",
                    "mean");
  const tmg::multivariate_scenarios<> gen(example_mean(), example_cov());
  std::mt19937_64 rng(1);
  const std::vector<double> w3{1.0, 2.0, 3.0};
  check_error_names([&] { (void)gen.portfolio_var_es(w3, 0.01, 1000, rng); }, "portfolio_var_es", "weights");
  check_error_names([&] { (void)gen.portfolio_var_es(example_w, 1.0, 1000, rng); }, "portfolio_var_es", "p");
  try {
    (void)gen.portfolio_var_es(example_w, 0.01, 99, rng);
    FAIL("no exception");
  } catch (const tmg::insufficient_data& e) {
    CHECK(std::string(e.what()).find("ceil(1/p)") != std::string::npos);
  }
  // quiet_nan: construction marks the generator invalid, every output is NaN.
  const tmg::multivariate_scenarios<nan_policies> quiet(Eigen::VectorXd::Zero(2), not_pd);
  CHECK_FALSE(quiet.valid());
  CHECK(std::isnan(quiet.portfolio_var_es(example_w, 0.01, 1000, rng).var));
  std::vector<double> out(10);
  quiet.portfolio_losses(example_w, rng, out);
  CHECK(std::isnan(out[0]));
  tmg::scenario_matrix x(4, 2);
  quiet.generate(rng, x);
  CHECK(std::isnan(x(3, 1)));
  const tmg::multivariate_scenarios<nan_policies> ok(example_mean(), example_cov());
  CHECK(std::isnan(ok.portfolio_var_es(example_w, 0.01, 10, rng).es));
}

TEST_CASE("delta-normal portfolio: hand values, Euler sums, marginal by finite differences", "[risk_models][portfolio]") {
  // Hand-derived (Python, PerformanceAnalytics' component formulas of docs/risk.md section 2 with z = qnorm(a) < 0):
  // Sigma w = (2.8e-4, 4.2e-4), w'Sigma w = 3.36e-4.
  const Eigen::Vector2d w(0.6, 0.4);
  const auto r = tmg::delta_normal_portfolio(example_mean(), example_cov(), w, 0.01);
  CHECK_THAT(r.var, WithinRel(0.041242660902366994, 1e-12));
  CHECK_THAT(r.es, WithinRel(0.04745418363202952, 1e-12));
  CHECK_THAT(r.component_var(0), WithinRel(0.020721330451183493, 1e-12));
  CHECK_THAT(r.component_var(1), WithinRel(0.020521330451183494, 1e-12));
  CHECK_THAT(r.component_es(0), WithinRel(0.023827091816014754, 1e-12));
  CHECK_THAT(r.component_es(1), WithinRel(0.023627091816014755, 1e-12));
  CHECK_THAT(r.component_var.sum(), WithinRel(r.var, 1e-14));
  CHECK_THAT(r.component_es.sum(), WithinRel(r.es, 1e-14));
  // Agrees with the univariate normal closed form on the portfolio.
  CHECK_THAT(r.var, WithinRel(tmg::normal_var(-0.0014, std::sqrt(0.000336), 0.01), 1e-14));
  const double h = 1e-6;
  for (Eigen::Index i = 0; i < 2; ++i) {
    Eigen::Vector2d up = w, down = w;
    up(i) += h;
    down(i) -= h;
    const double fd = (tmg::delta_normal_portfolio(example_mean(), example_cov(), up, 0.01).var -
                       tmg::delta_normal_portfolio(example_mean(), example_cov(), down, 0.01).var) / (2 * h);
    // central difference: truncation h^2 |f'''| / 6 ~ 1e-12 and rounding eps |VaR| / h ~ 1e-11, so 1e-9 keeps
    // a margin of 100 (the check passes at 1e-11; the old 1e-7 accepted a gradient wrong in the 6th digit)
    CHECK_THAT(r.marginal_var(i), WithinAbs(fd, 1e-9));
  }
}

TEST_CASE("modified portfolio: Euler sums, finite differences, one-asset reduction", "[risk_models][portfolio]") {
  // A skewed, fat-tailed 3-asset sample: normal factors plus an exponential jump in asset 0.
  std::mt19937_64 rng(17);
  std::normal_distribution<double> z;
  std::exponential_distribution<double> jump(1.0);
  Eigen::MatrixXd ret(600, 3);
  for (Eigen::Index t = 0; t < ret.rows(); ++t) {
    const double f = z(rng);
    ret(t, 0) = 0.01 * f + 0.01 * z(rng) - 0.02 * (jump(rng) > 3.0 ? jump(rng) : 0.0);
    ret(t, 1) = 0.005 * f + 0.02 * z(rng);
    ret(t, 2) = -0.004 * f + 0.015 * z(rng) + 0.003;
  }
  const Eigen::Vector3d w(0.5, 0.3, 0.2);
  for (const double p : {0.05, 0.01}) {
    const auto r = tmg::modified_portfolio(ret, w, p, false);
    CHECK_THAT(r.component_var.sum(), WithinRel(r.var, 1e-12));
    CHECK_THAT(r.component_es.sum(), WithinRel(r.es, 1e-12));
    const double h = 1e-6;
    for (Eigen::Index i = 0; i < 3; ++i) {
      Eigen::Vector3d up = w, down = w;
      up(i) += h;
      down(i) -= h;
      const auto ru = tmg::modified_portfolio(ret, up, p, false);
      const auto rd = tmg::modified_portfolio(ret, down, p, false);
      // central difference with h = 1e-6: rounding eps |VaR| / h ~ 1e-11, truncation h^2 |f'''| / 6 ~ 1e-11
      // for O(1) third derivatives; 1e-8 (was 1e-6, i.e. 1e-4 relative to gradients of 0.01-0.05) keeps a
      // margin of 100 (the check passes at 1e-10) while catching a wrong term in the chain rule.
      CHECK_THAT(r.marginal_var(i), WithinAbs((ru.var - rd.var) / (2 * h), 1e-8));
      CHECK_THAT(r.marginal_es(i), WithinAbs((ru.es - rd.es) / (2 * h), 1e-8));
    }
  }
  // One asset: the loss moments computed independently here (n-1 variance, 1/T third and fourth moments)
  // fed to the univariate closed form.
  const Eigen::MatrixXd one = ret.col(0);
  const Eigen::VectorXd w1 = Eigen::VectorXd::Constant(1, 1.0);
  const auto r1 = tmg::modified_portfolio(one, w1, 0.01);
  double mean = 0.0;
  for (Eigen::Index t = 0; t < one.rows(); ++t) mean += one(t, 0);
  mean /= 600.0;
  double s2 = 0.0, s3 = 0.0, s4 = 0.0;
  for (Eigen::Index t = 0; t < one.rows(); ++t) {
    const double d = -(one(t, 0) - mean);  // loss deviation
    s2 += d * d;
    s3 += d * d * d;
    s4 += d * d * d * d;
  }
  const double var_n1 = s2 / 599.0;
  const auto cf = tmg::cornish_fisher_var_es(-mean, std::sqrt(var_n1), (s3 / 600.0) / std::pow(var_n1, 1.5),
                                             (s4 / 600.0) / (var_n1 * var_n1) - 3.0, 0.01);
  CHECK_THAT(r1.var, WithinRel(cf.var, 1e-12));
  CHECK_THAT(r1.es, WithinRel(cf.es, 1e-12));
  CHECK(r1.monotone == cf.monotone);
}

TEST_CASE("sample covariance and portfolio errors", "[risk_models][portfolio][errors]") {
  // Hand example: rows (1,2), (3,6), (5,4): means (3,4), variances 4 and 4, covariance 2 (n-1 divisor).
  Eigen::MatrixXd r(3, 2);
  r << 1, 2, 3, 6, 5, 4;
  const auto mc = tmg::sample_mean_covariance(r);
  CHECK(mc.mean(0) == 3.0);
  CHECK(mc.mean(1) == 4.0);
  CHECK_THAT(mc.covariance(0, 0), WithinAbs(4.0, 1e-14));
  CHECK_THAT(mc.covariance(1, 1), WithinAbs(4.0, 1e-14));
  CHECK_THAT(mc.covariance(0, 1), WithinAbs(2.0, 1e-14));
  const Eigen::Vector2d w(0.6, 0.4);
  const Eigen::Vector3d w3(1, 1, 1);
  check_error_names([&] { (void)tmg::delta_normal_portfolio(example_mean(), example_cov(), w3, 0.01); },
                    "delta_normal_portfolio", "weights");
  check_error_names([&] { (void)tmg::delta_normal_portfolio(example_mean(), example_cov(), w, 0.0); },
                    "delta_normal_portfolio", "p");
  check_error_names([&] { (void)tmg::delta_normal_portfolio(example_mean(), Eigen::MatrixXd::Zero(2, 2), w, 0.01); },
                    "delta_normal_portfolio", "covariance");
  try {
    (void)tmg::modified_portfolio(r, w, 0.01);
    FAIL("no exception");
  } catch (const tmg::insufficient_data& e) {
    CHECK(std::string(e.what()).find("at least 4") != std::string::npos);
  }
  Eigen::MatrixXd bad = Eigen::MatrixXd::Ones(5, 2);
  bad(2, 1) = std::numeric_limits<double>::infinity();
  check_error_names([&] { (void)tmg::modified_portfolio(bad, w, 0.01); }, "modified_portfolio", "returns");
  CHECK(std::isnan(tmg::delta_normal_portfolio<nan_policies>(example_mean(), example_cov(), w3, 0.01).var));
  CHECK(std::isnan(tmg::modified_portfolio<nan_policies>(bad, w, 0.01).component_es(1)));
  CHECK(std::isnan(tmg::sample_mean_covariance<nan_policies>(bad.topRows(1)).covariance(0, 0)));
}

TEST_CASE("shape and symmetry errors are reported, not turned into silent NaN or wrong marginals",
          "[risk][monte_carlo][portfolio][errors]") {
  // A non-symmetric "covariance" gives marginals that disagree with finite differences: it is rejected.
  Eigen::MatrixXd asymmetric(2, 2);
  asymmetric << 1.0, 1.0, 0.0, 1.0;
  const Eigen::Vector2d w(1.0, 1.0);
  check_error_names([&] { (void)tmg::delta_normal_portfolio(Eigen::Vector2d::Zero(), asymmetric, w, 0.01); },
                    "delta_normal_portfolio", "covariance");
  CHECK(std::isnan(tmg::delta_normal_portfolio<nan_policies>(Eigen::Vector2d::Zero(), asymmetric, w, 0.01).var));
  // generate() into an output with the wrong number of columns.
  const tmg::multivariate_scenarios<> gen(example_mean(), example_cov());
  tmg::xoshiro256pp rng(3);
  tmg::scenario_matrix wrong(4, 3);
  check_error_names([&] { gen.generate(rng, wrong); }, "multivariate_scenarios::generate", "out.cols()");
  const tmg::multivariate_scenarios<nan_policies> quiet(example_mean(), example_cov());
  quiet.generate(rng, wrong);
  CHECK(std::isnan(wrong(0, 0)));
}

TEST_CASE("Monte Carlo: parameters that would give non-finite scenarios, sizes and aliasing",
          "[risk_models][monte_carlo][limits]") {
  using tmg::multivariate_scenarios;
  tmg::xoshiro256pp rng(7);
  SECTION("dof too small for finite scenarios is reported naming 'dof'") {
    // dof = 1e-300: the chi-square draw is U^(2/dof) = 0, the scale sqrt(dof/0) = inf.
    check_error_names([] { multivariate_scenarios<> g(example_mean(), example_cov(), 1e-300); },
                      "multivariate_scenarios", "dof");
    check_error_names([] { multivariate_scenarios<> g(example_mean(), example_cov(), 0.49); },
                      "multivariate_scenarios", "dof");
    const multivariate_scenarios<> at_bound(example_mean(), example_cov(), multivariate_scenarios<>::min_dof);
    CHECK(at_bound.valid());
    const multivariate_scenarios<nan_policies> quiet(example_mean(), example_cov(), 1e-300);
    CHECK_FALSE(quiet.valid());
    CHECK(std::isnan(quiet.portfolio_var_es(example_w, 0.01, 1000, rng).var));
    // At the bound every simulated loss is finite, so the estimate is (VaR and ES are finite numbers).
    const auto r = at_bound.portfolio_var_es(example_w, 0.01, 20000, rng);
    CHECK(std::isfinite(r.var));
    CHECK(std::isfinite(r.es));
  }
  SECTION("overflowing losses are reported by portfolio_var_es itself, naming 'weights'") {
    // Asset sds 2e148 and 3e148 (covariance scaled by 1e300) and weights 1e200: |w_i X_i| is about 1e348 for
    // every scenario with |z| > 1e-30, far beyond DBL_MAX = 1.8e308, so the first loss is already infinite.
    const Eigen::MatrixXd big = example_cov() * 1e300;
    const multivariate_scenarios<> wide(example_mean(), big);
    const std::vector<double> w{1e200, 1e200};
    const std::string what = test_support::message_of([&] { (void)wide.portfolio_var_es(w, 0.01, 1000, rng); });
    check_error_names([&] { (void)wide.portfolio_var_es(w, 0.01, 1000, rng); },
                      "multivariate_scenarios::portfolio_var_es", "weights");
    CHECK_FALSE(test_support::contains(what, "historical"));
    const multivariate_scenarios<nan_policies> quiet_wide(example_mean(), big);
    const auto q = quiet_wide.portfolio_var_es(w, 0.01, 1000, rng);
    CHECK(std::isnan(q.var));
    CHECK(std::isnan(q.es));
    std::vector<double> losses(16);
    check_error_names([&] { wide.portfolio_losses(w, rng, losses); }, "multivariate_scenarios::portfolio_losses",
                      "weights");
    quiet_wide.portfolio_losses(w, rng, losses);
    for (const double l : losses) CHECK(std::isnan(l));
  }
  SECTION("a scenario count that cannot be allocated is reported, not thrown by the allocator") {
    const std::size_t absurd = std::numeric_limits<std::size_t>::max() / 8;
    const multivariate_scenarios<> g(example_mean(), example_cov());
    check_error_names([&] { (void)g.portfolio_var_es(example_w, 0.01, absurd, rng); },
                      "multivariate_scenarios::portfolio_var_es", "scenarios");
    CHECK_THROWS_AS(g.portfolio_var_es(example_w, 0.01, absurd, rng), tmg::invalid_argument);
    const multivariate_scenarios<nan_policies> quiet(example_mean(), example_cov());
    CHECK(std::isnan(quiet.portfolio_var_es(example_w, 0.01, absurd, rng).var));  // used to terminate
    CHECK(std::isnan(quiet.portfolio_var_es(example_w, 0.01, multivariate_scenarios<>::max_scenarios + 1, rng).es));
    // fewer than ceil(1/p) = 100 scenarios
    check_error_names([&] { (void)g.portfolio_var_es(example_w, 0.01, 99, rng); },
                      "multivariate_scenarios::portfolio_var_es", "scenarios");
  }
  SECTION("aliased outputs") {
    const multivariate_scenarios<> g(example_mean(), example_cov());
    tmg::scenario_matrix m(8, 2);
    check_error_names([&] { g.generate(rng, m, false, m); }, "multivariate_scenarios::generate", "z");
    std::vector<double> buffer{0.6, 0.4, 0.0, 0.0};
    const std::span<const double> w(buffer.data(), 2);
    check_error_names([&] { g.portfolio_losses(w, rng, std::span<double>(buffer).subspan(1, 3)); },
                      "multivariate_scenarios::portfolio_losses", "out");
    // adjacent output after the weights is fine
    g.portfolio_losses(w, rng, std::span<double>(buffer).subspan(2, 2));
    CHECK(std::isfinite(buffer[2]));
    CHECK(buffer[0] == 0.6);
  }
}

TEST_CASE("portfolio VaR/ES: finite inputs that overflow are reported, never returned as inf or NaN",
          "[risk_models][portfolio][overflow]") {
  SECTION("delta-normal: w' Sigma w overflows") {
    // Sigma * 1e300 and w * 1e10: w' Sigma w = 3.36e-4 * 1e300 * 1e20 = 3.4e316 > DBL_MAX.
    const Eigen::MatrixXd big = example_cov() * 1e300;
    const Eigen::Vector2d w(0.6e10, 0.4e10);
    check_error_names([&] { (void)tmg::delta_normal_portfolio(example_mean(), big, w, 0.01); },
                      "delta_normal_portfolio", "covariance");
    const auto q = tmg::delta_normal_portfolio<nan_policies>(example_mean(), big, w, 0.01);
    CHECK(std::isnan(q.var));
    CHECK(std::isnan(q.es));
  }
  SECTION("delta-normal: w' mean overflows") {
    const Eigen::Vector2d mean(1e308, 1e308);
    const Eigen::Vector2d w(1.0, 1.0);  // w' mean = 2e308
    check_error_names([&] { (void)tmg::delta_normal_portfolio(mean, example_cov(), w, 0.01); },
                      "delta_normal_portfolio", "mean");
  }
  SECTION("modified: the 4th moment of huge returns overflows") {
    // Returns of size 1e80: (w'c)^4 ~ 1e320 > DBL_MAX while every return is finite.
    Eigen::MatrixXd ret(6, 2);
    ret << 1e80, -2e80, -1e80, 3e80, 2e80, 1e80, -3e80, -1e80, 1e80, 2e80, 0.0, -1e80;
    const Eigen::Vector2d w(0.5, 0.5);
    check_error_names([&] { (void)tmg::modified_portfolio(ret, w, 0.05); }, "modified_portfolio", "returns");
    const auto q = tmg::modified_portfolio<nan_policies>(ret, w, 0.05);
    CHECK(std::isnan(q.var));
    CHECK(std::isnan(q.es));
  }
}
