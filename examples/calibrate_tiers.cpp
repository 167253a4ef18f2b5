// SPDX-License-Identifier: BSL-1.0
// Design a BTC tier table from market data: daily BTC-USD history (2016-2021) -> 99% Expected Shortfall over
// the liquidation horizon of each position size + square-root impact + half-spread + liquidation fee ->
// the cheapest tax-bracket table (Binance-style cumulative maintenance amounts, leverage levels from
// Binance's list, IMR = 2 MMR) that covers it -> report next to Binance's real BTCUSDT table.
//
//   calibrate_tiers [output_dir [data_dir]]
// Writes calibrated_tiers.csv, calibration_curve.csv and (when gnuplot is on PATH) calibration.png to
// output_dir (default: the current directory); reads data from data_dir (default: TIERMARGIN_DATA_DIR).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "tiermargin/calibrate.hpp"
#include "tiermargin/io/csv.hpp"
#include "tiermargin/risk/historical.hpp"

#ifndef TIERMARGIN_DATA_DIR
#define TIERMARGIN_DATA_DIR "data"
#endif

namespace tmg = tiermargin;

namespace {
// An L2 snapshot "side,level,price,qty[,n_orders]" as an order-book impact model.
tmg::order_book_impact<> read_book(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::vector<double> bid_p, bid_q, ask_p, ask_q;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
      f.push_back(line.substr(start, comma - start));
    f.push_back(line.substr(start));
    if (f.size() < 4) continue;
    (f[0] == "bid" ? bid_p : ask_p).push_back(std::stod(f[2]));
    (f[0] == "bid" ? bid_q : ask_q).push_back(std::stod(f[3]));
  }
  return tmg::order_book_impact<>(bid_p, bid_q, ask_p, ask_q);
}
}  // namespace

int main(int argc, char** argv) try {
  const std::string out_dir = argc > 1 ? argv[1] : ".";
  const std::string data_dir = argc > 2 ? argv[2] : TIERMARGIN_DATA_DIR;

  // 1. market data: daily closes and USD volumes
  const tmg::io::price_series btc =
      tmg::io::read_price_series(data_dir + "/btc_usd_daily_yahoo_2016_2021.csv", "close");
  const std::vector<double> log_returns = tmg::returns_from_prices(btc.values, tmg::return_kind::log);

  // 2. liquidity model, every parameter stated
  tmg::liquidity_model<tmg::square_root_impact> liquidity;
  liquidity.daily_volume = tmg::average_daily_volume(btc.volumes, 365);  // V: mean USD volume, last 365 days
  liquidity.participation = 0.10;                                       // pi: liquidator takes 10% of V
  liquidity.delay_days = 1.0 / 24.0;                                    // h0: one hour before the unwind
  liquidity.half_spread = 0.0001;                                       // spread/2: 1 bp
  liquidity.fee = 0.003;                                                // liquidation fee 0.3% (BTCUSDT)
  liquidity.impact = {1.0, tmg::daily_volatility(log_returns, 365), liquidity.daily_volume};  // Y = 1

  // 3. candidate boundaries: round numbers 10k .. 1.8B (Binance's last cap), 10 evaluation points each
  const double mantissas[] = {1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0};
  std::vector<double> caps = tmg::round_number_grid(1e4, 1.8e9, mantissas);
  if (caps.back() < 1.8e9) caps.push_back(1.8e9);
  const tmg::calibration_grid grid = tmg::make_calibration_grid(caps, 10);
  // weights: log-uniform density of position sizes (every decade of size equally likely), w_i = dx_i / x_i
  std::vector<double> weights(grid.notionals.size());
  for (std::size_t i = 0; i < weights.size(); ++i)
    weights[i] = (grid.notionals[i] - (i ? grid.notionals[i - 1] : 0.0)) / grid.notionals[i];

  // 4. required margin: historical 99% ES (p = 0.01), worse of long and short, over h(x)
  tmg::required_margin_options options;
  options.p = 0.01;
  options.measure = tmg::risk_measure::expected_shortfall;
  const tmg::required_margin_curve curve =
      tmg::required_margin(tmg::historical<>{}, btc.values, liquidity, grid.notionals, options);

  // 5. the cheapest covering tax-bracket table: Binance's leverage list, IMR = 2 MMR, at most 12 tiers
  const double leverages[] = {125, 100, 75, 50, 25, 20, 10, 5, 4, 3, 2, 1};
  tmg::tier_constraints constraints;
  constraints.max_tiers = 12;
  constraints.kappa = 2.0;
  constraints.levels = tmg::leverage_levels(leverages, constraints.kappa);
  const auto result = tmg::optimize_bracket_table(grid, curve.required, weights, constraints);
  // free rates for comparison: the chord DP, exact when R is convex (it is on this data; for a non-convex R it
  // works on the convex majorant and gives an upper bound, so the "price of restricting rates" could be negative)
  tmg::tier_constraints free_rates = constraints;
  free_rates.levels = {};
  const auto free_result = tmg::optimize_bracket_table(grid, curve.required, weights, free_rates);

  // 6. Binance's real table
  const auto binance = tmg::io::read_tier_table<double>(data_dir + "/binance_usdm_btcusdt_tiers_20241024.csv");
  const tmg::table_comparison comparison =
      tmg::compare_tables(result.table, binance, grid.notionals, curve.required, weights);

  // 7. report
  std::size_t at_100k = 0;
  while (at_100k + 1 < grid.notionals.size() && grid.notionals[at_100k] < 1e5) ++at_100k;
  std::cout << "Tier-table calibration, BTC-USD daily closes " << btc.timestamps.front() << " .. "
            << btc.timestamps.back() << " (" << btc.values.size() << " prices, " << btc.missing_periods()
            << " missing days)\n"
            << "risk: historical ES, p = " << options.p << " (99%), worse of long and short, exact overlapping "
            << "returns up to " << curve.max_exact_horizon << " days, sqrt-time beyond / below 1 day\n"
            << "liquidity: V = " << tmg::detail::money_text(liquidity.daily_volume)
            << " USD/day (mean of the last 365 days' volume column), pi = " << liquidity.participation
            << ", h0 = " << liquidity.delay_days << " day, Y = " << liquidity.impact.Y
            << ", sigma = " << liquidity.impact.sigma << " (daily, last 365 days), half-spread = "
            << liquidity.half_spread << ", fee = " << liquidity.fee << '\n'
            << "  r(x) = ES(h0 + x/(pi V)) + (2/3) Y sigma sqrt(x/V) + spread/2 + fee;  e.g. r(100k) = "
            << curve.rate[at_100k] << ", r(1.8B) = " << curve.rate.back()
            << ", h(1.8B) = " << curve.horizon_days.back() << " days\n"
            << "grid: " << caps.size() << " round-number boundaries, " << grid.notionals.size()
            << " evaluation points (10 per interval), weights log-uniform\n"
            << "constraints: K <= " << constraints.max_tiers << ", leverage in {125,100,75,50,25,20,10,5,4,3,2,1}, "
            << "MMR = 1/(2 L), IMR = 2 MMR\n\n"
            << "Calibrated tax-bracket table (exact label DP), objective sum w (M - R) = "
            << tmg::detail::money_text(result.objective) << ":\n";
  tmg::write_table_text(std::cout, result.table, result.coverage);
  std::cout << "\n(free-rate chord table, " << free_result.table.size() << " tiers: objective "
            << tmg::detail::money_text(free_result.objective) << " — the price of restricting rates to the leverage "
            << "list is " << tmg::detail::money_text(result.objective - free_result.objective) << ")\n\n"
            << "Binance BTCUSDT (2024-10-24) on the same requirement:\n";
  tmg::write_table_text(std::cout, binance, comparison.existing_coverage);
  std::cout << "\nSide by side:\n";
  tmg::write_comparison_text(std::cout, comparison, "calibrated", "Binance");

  // 8. the impact term seen through real order books (snapshot walk, sqrt extrapolation beyond the depth)
  const auto binance_book = read_book(data_dir + "/binance_usdm_btcusdt_book_snapshot_20240808.csv");
  const auto hyper_book = read_book(data_dir + "/hyperliquid_btc_l2_snapshot_20250126.csv");
  std::cout << "\nImpact cost per unit notional (beyond the half-spread): square-root law above vs order-book walks\n"
            << "(Binance BTCUSDT 2024-08-08, 1000 levels a side, bid depth "
            << tmg::detail::money_text(binance_book.depth(true)) << "; Hyperliquid BTC 2025-01-26, 20 levels, bid depth "
            << tmg::detail::money_text(hyper_book.depth(true)) << "; beyond a book's depth: sqrt extrapolation)\n";
  for (const double x : {1e5, 1e6, 1e7, 1e8, 1e9})
    std::cout << "  " << std::setw(6) << tmg::detail::money_text(x) << "  sqrt law " << std::setw(11)
              << liquidity.impact.rate(x) << "  Binance book " << std::setw(11) << binance_book.rate(x)
              << "  Hyperliquid book " << std::setw(11) << hyper_book.rate(x) << '\n';

  // 9. files
  const std::string table_csv = out_dir + "/calibrated_tiers.csv", curve_csv = out_dir + "/calibration_curve.csv";
  {
    std::ofstream f(table_csv);
    tmg::write_table_csv(f, result.table, result.coverage);
    std::ofstream g(curve_csv);
    tmg::write_comparison_csv(g, comparison);
    if (!f || !g) {
      std::cerr << "cannot write to " << out_dir << '\n';
      return 1;
    }
  }
  std::cout << "\nwrote " << table_csv << " and " << curve_csv << '\n';
  if (std::system("command -v gnuplot > /dev/null 2>&1") == 0) {
    const std::string png = out_dir + "/calibration.png", script = out_dir + "/calibration.gp";
    {
      std::ofstream gp(script);
      gp << "set terminal pngcairo size 1100,700\nset output '" << png << "'\n"
         << "set datafile separator ','\nset logscale xy\nset key top left\n"
         << "set xlabel 'position notional (USD)'\nset ylabel 'margin (USD)'\n"
         << "set title 'BTC: required margin (99% ES over the liquidation horizon + costs) vs tier tables'\n"
         << "plot '" << curve_csv << "' every ::1 using 1:2 with lines lw 2 title 'required R(x)', "
         << "'' every ::1 using 1:3 with lines lw 2 title 'calibrated MM(x)', "
         << "'' every ::1 using 1:4 with lines lw 2 title 'Binance MM(x)'\n";
    }
    if (std::system(("gnuplot '" + script + "'").c_str()) == 0)
      std::cout << "wrote " << png << '\n';
    else
      std::cout << "gnuplot failed; plot skipped\n";
  } else {
    std::cout << "gnuplot not found on PATH; plot skipped\n";
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "calibrate_tiers: " << e.what() << '\n';
  return 1;
}
