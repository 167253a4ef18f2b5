// SPDX-License-Identifier: BSL-1.0
// A consumer built with -fno-exceptions (tests/CMakeLists.txt): the umbrella header and the JSON loaders
// compile, and under quiet_nan good input gives the right numbers while bad input gives NaN (or an empty
// result), without ever throwing. Exits non-zero on the first mismatch. Reference values are the
// hand-computed ones below (Binance's first two brackets: MM = n*mmr - cum).
#include <tiermargin/io/json.hpp>
#include <tiermargin/tiermargin.hpp>

#include <cmath>
#include <cstdio>
#include <vector>

namespace tmg = tiermargin;

struct quiet : tmg::default_policies {
  using error = tmg::quiet_nan;
};

static int failures = 0;
static void expect(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "no_exceptions: FAILED %s\n", what);
    ++failures;
  }
}
static bool near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::fmax(1.0, std::fabs(b)); }

int main() {
#if TIERMARGIN_HAS_EXCEPTIONS
  std::fputs("no_exceptions: built with exceptions enabled; the build flags are wrong\n", stderr);
  return 2;
#else
  const tmg::tier_table<double, quiet> table({{0, 0.004, 125}, {50'000, 0.005, 100}}, 600'000);
  // 100,000 * 0.005 - 50,000 * (0.005 - 0.004) = 450.
  expect(near(tmg::maintenance_margin(table, 100'000.0), 450.0), "maintenance_margin(100k) = 450");
  expect(std::isnan(tmg::maintenance_margin(table, -1.0)), "maintenance_margin(-1) is NaN");
  expect(std::isnan(tmg::maintenance_margin(table, 700'000.0)), "maintenance_margin above the last cap is NaN");

  const std::vector<double> notionals{10'000, 100'000, -5};
  std::vector<double> out(notionals.size(), 0.0);
  tmg::maintenance_margin(table, std::span<const double>(notionals), std::span<double>(out));
  expect(near(out[0], 40.0) && near(out[1], 450.0) && std::isnan(out[2]), "batch maintenance margin");

  const tmg::tier_table<double, quiet> broken({{0, 0.004, 125}, {50'000, 0.003, 100}}, 600'000);
  expect(std::isnan(tmg::maintenance_margin(broken, 1.0)), "an invalid table answers NaN");

  // Historical VaR of 1..100 at p = 0.05: the ceil(100 * 0.05) = 5th largest loss, 96; ES = mean(96..100) = 98.
  std::vector<double> losses;
  for (int i = 1; i <= 100; ++i) losses.push_back(i);
  const tmg::historical<quiet> hist;
  const auto r = hist.var_es(losses, 0.05);
  expect(near(r.var, 96.0) && near(r.es, 98.0), "historical VaR/ES of 1..100");
  expect(std::isnan(hist.var_es(losses, 1.5).var), "historical with p = 1.5 is NaN");

  const auto csv = tmg::io::parse_tier_table<double, quiet>(
      "floor,cap,maint_rate,max_leverage,maint_amount\n0,50000,0.004,125,0\n50000,600000,0.005,100,50\n");
  expect(near(tmg::maintenance_margin(csv, 100'000.0), 450.0), "CSV table MM(100k) = 450");
  const auto bad_csv = tmg::io::parse_tier_csv<double, quiet>("floor,cap\nx,y\n");
  expect(bad_csv.rows.empty(), "malformed CSV gives an empty result");

  const auto bad_json = tmg::io::parse_ccxt_leverage_tiers<double, tmg::quiet_nan>("{ not json");
  expect(bad_json.empty(), "malformed JSON gives an empty result");

  if (failures == 0) std::puts("no_exceptions: all checks passed");
  return failures == 0 ? 0 : 1;
#endif
}
