// SPDX-License-Identifier: BSL-1.0
// Properties of the exact liquidation solver on many random positions and tables:
//  1. fixed point: at the returned price, equity equals maintenance (recomputed independently with
//     `maintenance_margin`, i.e. the table's own lookup at the notional there) within the scalar's tolerance,
//     and the tier the solver reports contains the notional at that price;
//  2. a second algorithm: a brute-force scan of equity - MM over a fine geometric price grid (plus every tier
//     edge) from the reference price outward, then bisection, finds the same first crossing; sides the solver
//     reports without a price have no crossing on the grid;
//  3. decimal<8> agrees with double to the unit (8 decimals) on the same positions.
#include <tiermargin/tiers.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "support/catch.hpp"

namespace tmg = tiermargin;
using tmg::liquidation_status;
using tmg::position_side;

namespace {
struct clamp_flat : tmg::default_policies {
  using convention = tmg::flat_convention;
  using beyond_cap = tmg::beyond_cap_clamp;
};
struct clamp_cumulative : tmg::default_policies {
  using beyond_cap = tmg::beyond_cap_clamp;
};

double round_to(double x, double step) { return std::round(x / step) * step; }

/// Random brackets: 1-8 tiers, floors growing geometrically, rates non-decreasing (4 decimals), leverage
/// floor(1/(2 mmr)).
std::vector<tmg::bracket<double>> random_brackets(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> count(1, 8);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const int k = count(rng);
  std::vector<tmg::bracket<double>> b;
  double floor = 0.0, rate = round_to(0.002 + 0.01 * u(rng), 1e-4);
  for (int i = 0; i < k; ++i) {
    if (i > 0) {
      floor = i == 1 ? round_to(10000.0 + 90000.0 * u(rng), 1000.0) : round_to(floor * (1.5 + 3.0 * u(rng)), 1000.0);
      rate = std::min(0.5, round_to(rate + 0.03 * u(rng), 1e-4));
    }
    b.push_back({floor, rate, std::max(1.0, std::floor(1.0 / (2.0 * rate)))});
  }
  return b;
}

struct random_case {
  std::vector<tmg::bracket<double>> brackets;
  tmg::liquidation_inputs<double> in;
  tmg::position_leg<double> legs[2];
  std::size_t count = 1;
};

random_case make_case(std::mt19937_64& rng, bool allow_fee) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  random_case c;
  c.brackets = random_brackets(rng);
  const bool inverse = u(rng) < 0.35;
  c.in.contract = inverse ? tmg::contract_type::inverse : tmg::contract_type::linear;
  c.in.contract_size = inverse ? 100.0 : 1.0;
  c.count = u(rng) < 0.3 ? 2 : 1;
  const double entry = round_to(1000.0 + 99000.0 * u(rng), 0.01);
  double exposure = 0.0;  // notional at entry, in the table's unit
  for (std::size_t i = 0; i < c.count; ++i) {
    const position_side side = (c.count == 2 ? i == 0 : u(rng) < 0.5) ? position_side::long_side
                                                                      : position_side::short_side;
    // Notional at entry spread over the table: up to ~3x its last floor (or 200k).
    const double top = std::max(200000.0, 3.0 * c.brackets.back().floor) / (inverse ? 50000.0 : 1.0);
    const double notional = top * std::pow(u(rng), 2.0) + (inverse ? 0.01 : 100.0);
    double size = inverse ? round_to(notional * entry / 100.0, 1.0) : round_to(notional / entry, 0.001);
    if (size <= 0.0) size = inverse ? 1.0 : 0.001;
    const double e = i == 0 ? entry : round_to(entry * (0.9 + 0.2 * u(rng)), 0.01);
    c.legs[i] = {side, size, e};
    exposure += inverse ? size * 100.0 / e : size * e;
  }
  // Collateral for a leverage in [1, 120]; cross: other positions' MM and PnL.
  const double leverage = 1.0 + 119.0 * u(rng) * u(rng);
  c.in.collateral = round_to(exposure / leverage, inverse ? 1e-6 : 0.01);
  if (u(rng) < 0.4) {
    c.in.other_maintenance = round_to(0.05 * exposure * u(rng), inverse ? 1e-6 : 0.01);
    c.in.other_pnl = round_to(0.2 * exposure * (u(rng) - 0.5), inverse ? 1e-6 : 0.01);
  }
  if (allow_fee && u(rng) < 0.3) c.in.fee_rate = round_to(0.001 * u(rng), 1e-5);
  return c;
}

double notional(const random_case& c, std::size_t i, double price) {
  const double s = c.legs[i].size * c.in.contract_size;
  return c.in.contract == tmg::contract_type::inverse ? s / price : s * price;
}

/// equity - (maintenance + fee) at `price`, by a path independent of the solver: PnL by definition,
/// MM by the table's lookup at each leg's notional.
template <class P>
double slack(const tmg::tier_table<double, P>& table, const random_case& c, double price) {
  double equity = c.in.collateral - c.in.other_maintenance + c.in.other_pnl, mm = 0.0;
  for (std::size_t i = 0; i < c.count; ++i) {
    const double sigma = c.legs[i].side == position_side::long_side ? 1.0 : -1.0;
    const double s = c.legs[i].size * c.in.contract_size, e = c.legs[i].entry_price;
    equity += c.in.contract == tmg::contract_type::inverse ? sigma * s * (1.0 / e - 1.0 / price)
                                                           : sigma * s * (price - e);
    const double n = notional(c, i, price);
    mm += tmg::maintenance_margin(table, n) + n * c.in.fee_rate;
  }
  return equity - mm;
}

double scale(const random_case& c, double price) {
  double s = std::fabs(c.in.collateral) + c.in.other_maintenance + std::fabs(c.in.other_pnl);
  for (std::size_t i = 0; i < c.count; ++i)
    s += notional(c, i, price) + (c.in.contract == tmg::contract_type::inverse
                                      ? c.legs[i].size * c.in.contract_size / c.legs[i].entry_price
                                      : c.legs[i].size * c.legs[i].entry_price);
  return s;
}

/// First crossing of slack < 0 walking from `reference` toward `direction` (-1 falling, +1 rising) over a
/// geometric grid spanning 6 decades plus every tier edge, refined by bisection. Returns 0 if none.
template <class P>
double brute_force(const tmg::tier_table<double, P>& table, const random_case& c, double reference, int direction) {
  std::vector<double> grid;
  const int steps = 1500;
  for (int j = 1; j <= steps; ++j) grid.push_back(reference * std::pow(10.0, direction * 6.0 * j / steps));
  for (std::size_t i = 0; i < c.count; ++i) {
    const double s = c.legs[i].size * c.in.contract_size;
    for (double cap : table.caps()) {
      if (!std::isfinite(cap)) continue;
      const double edge = c.in.contract == tmg::contract_type::inverse ? s / cap : cap / s;
      for (double p : {edge, std::nextafter(edge, direction * 1e300), std::nextafter(edge, -direction * 1e300)})
        if ((p - reference) * direction > 0 && p > reference * 1e-6 && p < reference * 1e6) grid.push_back(p);
    }
  }
  if (direction < 0)
    std::sort(grid.begin(), grid.end(), std::greater<>());
  else
    std::sort(grid.begin(), grid.end());
  double safe = reference;
  for (double p : grid) {
    if (slack(table, c, p) < 0.0) {
      double a = safe, b = p;  // slack(a) >= 0 > slack(b)
      for (int it = 0; it < 200 && a != b; ++it) {
        const double m = 0.5 * (a + b);
        if (m == a || m == b) break;
        (slack(table, c, m) < 0.0 ? b : a) = m;
      }
      return a;  // the last safe price (the boundary itself when the crossing is at a cap)
    }
    safe = p;
  }
  return 0.0;
}

/// Returns the number of sides whose price was compared with the brute force.
template <class P>
int check_case(const random_case& c) {
  int compared = 0;
  const tmg::tier_table<double, P> table{std::span<const tmg::bracket<double>>(c.brackets)};
  const auto r = c.count == 1 ? tmg::liquidation_price(table, c.in, c.legs[0])
                              : tmg::liquidation_price(table, c.in, c.legs[0], c.legs[1]);
  if (c.count == 1) {
    // The one-leg fast path (used by liquidation_price when it applies) and the general walk agree exactly.
    const auto general = tmg::detail::solve_liquidation<false, 1>(table, "test", c.in, &c.legs[0]);
    CHECK(general.falling.status == r.falling.status);
    CHECK(general.rising.status == r.rising.status);
    CHECK(general.falling.price == r.falling.price);
    CHECK(general.rising.price == r.rising.price);
    CHECK(general.adverse().tiers == r.adverse().tiers);
  }
  const double reference = c.legs[0].entry_price;
  if (slack(table, c, reference) < -1e-9 * scale(c, reference)) {
    CHECK(r.falling.status == liquidation_status::liquidatable_at_reference);
    return 0;
  }
  if (r.falling.status == liquidation_status::liquidatable_at_reference) {
    // Only on the knife edge where slack(reference) ~ 0 within rounding.
    CHECK(std::fabs(slack(table, c, reference)) <= 1e-9 * scale(c, reference));
    return 0;
  }
  for (int direction : {-1, +1}) {
    const auto& b = direction < 0 ? r.falling : r.rising;
    const double brute = brute_force(table, c, reference, direction);
    INFO("direction " << direction << " price " << b.price << " brute " << brute << " legs " << c.count
                      << " inverse " << (c.in.contract == tmg::contract_type::inverse) << " tiers "
                      << c.brackets.size());
    if (b.has_price()) {
      REQUIRE(std::isfinite(b.price));
      REQUIRE(b.price > 0.0);
      // 1. fixed point. Under the flat convention an edge price is a jump, not a zero: slack >= 0 there.
      const double tol = 1e-9 * scale(c, b.price);
      if (P::convention::uses_deduction) CHECK(std::fabs(slack(table, c, b.price)) <= tol);
      // ... and the reported MM is the recomputed one (zero slack or an edge).
      for (std::size_t i = 0; i < c.count; ++i) {
        const double n = notional(c, i, b.price);
        const std::size_t k = tmg::tier_index(table, n);
        const bool near_edge = std::any_of(table.caps().begin(), table.caps().end(), [&](double cap) {
          return std::fabs(n - cap) <= 1e-9 * std::max(1.0, cap);
        });
        if (!near_edge) CHECK(b.tiers[i] == k);
      }
      // 2. brute force.
      if (b.price > reference * 1e-6 && b.price < reference * 1e6) {
        CHECK_THAT(brute, WithinRel(b.price, 1e-8));
        ++compared;
      }
    } else {
      CHECK((b.status == liquidation_status::fully_collateralised ||
             b.status == liquidation_status::never_liquidated));
      CHECK(brute == 0.0);
    }
  }
  return compared;
}
}  // namespace

TEST_CASE("exact solver = fixed point = brute force, cumulative convention", "[venues][liquidation][property]") {
  std::mt19937_64 rng(20261124);
  int compared = 0;
  for (int n = 0; n < 1500; ++n) compared += check_case<clamp_cumulative>(make_case(rng, true));
  CHECK(compared > 900);
}

TEST_CASE("exact solver = first crossing by brute force, flat convention", "[venues][liquidation][property]") {
  std::mt19937_64 rng(7);
  int compared = 0;
  for (int n = 0; n < 600; ++n) compared += check_case<clamp_flat>(make_case(rng, true));
  CHECK(compared > 350);
}

TEST_CASE("decimal<8> solver agrees with double to the unit", "[venues][liquidation][property][decimal]") {
  using dec = tmg::decimal<8>;
  std::mt19937_64 rng(99);
  int priced = 0;
  for (int n = 0; n < 400; ++n) {
    const random_case c = make_case(rng, true);
    const tmg::tier_table<double, clamp_cumulative> td{std::span<const tmg::bracket<double>>(c.brackets)};
    std::vector<tmg::bracket<dec>> bd;
    for (const auto& b : c.brackets) bd.push_back({dec(b.floor), dec(b.maint_rate), dec(b.max_leverage)});
    const tmg::tier_table<dec, clamp_cumulative> tq{std::span<const tmg::bracket<dec>>(bd)};
    tmg::liquidation_inputs<dec> in;
    in.contract = c.in.contract;
    in.contract_size = dec(c.in.contract_size);
    in.collateral = dec(c.in.collateral);
    in.other_maintenance = dec(c.in.other_maintenance);
    in.other_pnl = dec(c.in.other_pnl);
    in.fee_rate = dec(c.in.fee_rate);
    tmg::position_leg<dec> legs[2];
    for (std::size_t i = 0; i < c.count; ++i)
      legs[i] = {c.legs[i].side, dec(c.legs[i].size), dec(c.legs[i].entry_price)};
    const auto rd = c.count == 1 ? tmg::liquidation_price(td, c.in, c.legs[0])
                                 : tmg::liquidation_price(td, c.in, c.legs[0], c.legs[1]);
    const auto rq = c.count == 1 ? tmg::liquidation_price(tq, in, legs[0]) : tmg::liquidation_price(tq, in, legs[0], legs[1]);
    for (int side = 0; side < 2; ++side) {
      const auto& a = side == 0 ? rd.falling : rd.rising;
      const auto& q = side == 0 ? rq.falling : rq.rising;
      INFO("case " << n << " side " << side << " double " << a.price << " decimal " << q.price);
      CHECK(a.status == q.status);
      if (a.has_price() && q.has_price()) {
        ++priced;
        // Linear: exact inputs give exact alpha and beta and one rounding of the quotient, so the decimal is
        // within one unit (1e-8) of the double (whose own error is ~1e-16 relative). Inverse: alpha holds
        // s/e, rounded to 8 decimals per leg, so P = -beta/alpha carries a relative error <= 1e-8/|alpha|.
        double tol = 1e-8 + 1e-14 * a.price;
        if (c.in.contract == tmg::contract_type::inverse) {
          double alpha = c.in.collateral - c.in.other_maintenance + c.in.other_pnl;
          for (std::size_t i = 0; i < c.count; ++i)
            alpha += (c.legs[i].side == position_side::long_side ? 1.0 : -1.0) * c.legs[i].size * 100.0 /
                     c.legs[i].entry_price;
          tol += a.price * 2e-8 / std::max(1e-3, std::fabs(alpha));
        }
        CHECK(std::fabs(q.price.to_double() - a.price) <= tol);
        CHECK(a.tiers == q.tiers);
      }
    }
  }
  CHECK(priced > 200);
}
