// SPDX-License-Identifier: BSL-1.0
// The allocating rolling_var_es: slots aligned with the input (end index, timestamps), and undefined
// windows kept as NaN in their slot instead of discarding the batch.
#include <tiermargin/risk.hpp>

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"

namespace tmg = tiermargin;
using test_support::contains;
using test_support::message_of;
using test_support::nan_policies;

TEST_CASE("allocating rolling_var_es: hand values, end indices and timestamps", "[risk][rolling][rolling_series]") {
  // window 4, p = 0.5, type 1: VaR = the ceil(4 * 0.5) = 2nd largest loss of the window; Acerbi-Tasche ES
  // = the mean of the 2 largest. By hand (each window sorted descending):
  //   [3 1 4 1] -> 4 3 1 1: VaR 3, ES 3.5     [1 4 1 5] -> 5 4 1 1: VaR 4, ES 4.5
  //   [4 1 5 9] -> 9 5 4 1: VaR 5, ES 7       [1 5 9 2] -> 9 5 2 1: VaR 5, ES 7
  //   [5 9 2 6] -> 9 6 5 2: VaR 6, ES 7.5
  const std::vector<double> losses{3, 1, 4, 1, 5, 9, 2, 6};
  const std::vector<std::string> dates{"d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8"};
  const std::vector<double> var{3, 4, 5, 5, 6}, es{3.5, 4.5, 7, 7, 7.5};
  const std::vector<std::size_t> ends{3, 4, 5, 6, 7};

  const auto plain = tmg::rolling_var_es(losses, 4, 0.5);
  REQUIRE(plain.size() == 5);
  CHECK(plain.end_index == ends);
  CHECK(plain.timestamps.empty());
  CHECK(plain.undefined.empty());
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(plain.var[i] == var[i]);
    CHECK(std::fabs(plain.es[i] - es[i]) < 1e-14);
  }

  const auto dated = tmg::rolling_var_es(losses, dates, 4, 0.5);
  CHECK(dated.timestamps == std::vector<std::string>{"d4", "d5", "d6", "d7", "d8"});
  CHECK(dated.var == plain.var);
  CHECK(dated.es == plain.es);

  // Losses computed from prices: loss i is the move into price i + 1, so its time is the price's from the
  // second on. Prices 100, 90, 99, 110 (simple returns -10%, +10%, +11.1%; losses of a long: 0.1, -0.1,
  // -0.111...): window 2, p = 0.5, VaR = the larger loss of each pair.
  const std::vector<double> prices{100, 90, 99, 110};
  const std::vector<std::string> price_dates{"2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"};
  const auto returns = tmg::returns_from_prices(prices, tmg::return_kind::simple);
  const auto long_losses =
      tmg::losses_from_returns(returns, tmg::return_kind::simple, tmg::exposure_side::long_exposure);
  const auto aligned = tmg::rolling_var_es(long_losses, std::span(price_dates).subspan(1), 2, 0.5);
  REQUIRE(aligned.size() == 2);
  CHECK(aligned.timestamps == std::vector<std::string>{"2026-01-03", "2026-01-04"});
  CHECK(std::fabs(aligned.var[0] - 0.1) < 1e-15);
  CHECK(std::fabs(aligned.var[1] - (-0.1)) < 1e-15);
}

TEST_CASE("an undefined beyond_var window is NaN in its slot and does not discard the batch",
          "[risk][rolling][rolling_series]") {
  // window 4, p = 0.5, beyond_var: VaR is the 2nd largest, ES the mean of the losses strictly above it.
  //   [1 5 2 3] VaR 3 ES 5 | [5 2 3 2] VaR 3 ES 5 | [2 3 2 2] VaR 2 ES 3 | [3 2 2 1] VaR 2 ES 3
  //   [2 2 1 0] VaR 2, nothing above 2: ES undefined
  const std::vector<double> losses{1, 5, 2, 3, 2, 2, 1, 0};
  const auto beyond = tmg::es_convention::beyond_var;
  const std::vector<double> var{3, 3, 2, 2, 2}, es{5, 5, 3, 3};

  SECTION("allocating form: listed in `undefined`, no error, VaR kept") {
    const auto r = tmg::rolling_var_es(losses, 4, 0.5, beyond);
    REQUIRE(r.size() == 5);
    CHECK(r.undefined == std::vector<std::size_t>{4});
    CHECK(r.var == var);
    for (std::size_t i = 0; i < 4; ++i) CHECK(r.es[i] == es[i]);
    CHECK(std::isnan(r.es[4]));
  }
  SECTION("span form: reported after the pass with the window's index; the outputs are complete") {
    std::vector<double> var_out(5), es_out(5);
    const std::string what = message_of([&] { (void)tmg::rolling_var_es(losses, 4, 0.5, var_out, es_out, beyond); });
    INFO(what);
    CHECK(contains(what, "tiermargin::rolling_var_es"));
    CHECK(contains(what, "element 4 of 'losses'"));
    CHECK(var_out == var);  // the VaR of the undefined window is defined and kept
    for (std::size_t i = 0; i < 4; ++i) CHECK(es_out[i] == es[i]);
    CHECK(std::isnan(es_out[4]));
    std::fill(var_out.begin(), var_out.end(), 0.0);
    CHECK(tmg::rolling_var_es<nan_policies>(losses, 4, 0.5, var_out, es_out, beyond) == 5);
    CHECK(var_out == var);
    CHECK(std::isnan(es_out[4]));
  }
}

TEST_CASE("allocating rolling_var_es errors", "[risk][rolling][rolling_series]") {
  std::vector<double> x(12);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>((i * 5) % 12);
  const std::vector<std::string> short_dates(11, "d");
  SECTION("throw_errors") {
    const std::string m_ts = message_of([&] { (void)tmg::rolling_var_es(x, short_dates, 4, 0.5); });
    CHECK(contains(m_ts, "tiermargin::rolling_var_es"));
    CHECK(contains(m_ts, "'timestamps' = 11"));
    std::vector<double> bad = x;
    bad[5] = std::numeric_limits<double>::quiet_NaN();
    CHECK(contains(message_of([&] { (void)tmg::rolling_var_es(bad, 4, 0.5); }), "element 5 of 'losses'"));
    CHECK_THROWS_AS(tmg::rolling_var_es(x, 13, 0.5), tmg::insufficient_data);
    CHECK(contains(message_of([&] { (void)tmg::rolling_var_es(x, 4, 0.99); }), "from_confidence"));
  }
  SECTION("quiet_nan: only the windows holding the non-finite loss are NaN, and they are listed") {
    std::vector<double> bad = x;
    bad[5] = std::numeric_limits<double>::infinity();
    const auto r = tmg::rolling_var_es<nan_policies>(bad, 4, 0.5);
    const auto clean = tmg::rolling_var_es(x, 4, 0.5);
    REQUIRE(r.size() == 9);
    CHECK(r.undefined == std::vector<std::size_t>{2, 3, 4, 5});  // windows i with i <= 5 <= i + 3
    for (std::size_t i = 0; i < r.size(); ++i) {
      const bool holds = i >= 2 && i <= 5;
      CHECK(std::isnan(r.var[i]) == holds);
      if (!holds) CHECK(r.es[i] == clean.es[i]);
    }
    const auto invalid = tmg::rolling_var_es<nan_policies>(x, short_dates, 4, 0.5);
    CHECK(invalid.size() == 9);
    CHECK(invalid.undefined.size() == 9);
    CHECK(std::isnan(invalid.var[0]));
    CHECK(tmg::rolling_var_es<nan_policies>(x, 13, 0.5).size() == 0);
  }
}
