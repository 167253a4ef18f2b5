// SPDX-License-Identifier: BSL-1.0
// The liquidation solver at extreme magnitudes (denormal sizes, 1e-300 prices, 1e300 and DBL_MAX collateral):
//  1. the one-leg fast path (`one_leg_fast_path`, what `liquidation_price` tries first) and the general walk
//     (`solve_liquidation`) give identical statuses, tiers and prices on the same random inputs. Both
//     evaluate the same line of the same piece, so the prices are expected bit for bit; the stated tolerance
//     is 1e-12 relative so that a harmless change of evaluation order does not fail;
//  2. a hedge leg that is empty or denormal (0, 5e-324, 1e-310 units) changes nothing: the two-leg solver
//     gives the one-leg answer for the other leg (status, price within 1e-9 relative, that leg's tier);
//  3. the contract of README §5: a side either `liquidates` at a finite, normal price > 0 with a finite
//     maintenance, or has no price (0) and a status saying why; never NaN or inf (all inputs are valid);
//  4. decimal<8> at the ends of its range: fast path and walk agree exactly.
// The reproduced cases with hand-derived values are in liquidation.test.cpp ("[extreme]").
#include <tiermargin/tiers.hpp>

#include <cfloat>
#include <cmath>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "support/catch.hpp"

namespace tmg = tiermargin;
using tmg::liquidation_status;
using tmg::position_side;

namespace {
struct quiet_strict : tmg::default_policies {
  using error = tmg::quiet_nan;
};
struct quiet_clamp : tmg::default_policies {
  using error = tmg::quiet_nan;
  using beyond_cap = tmg::beyond_cap_clamp;
};

/// A value of magnitude 10^e with e uniform in [lo, hi], or one of the extremes given.
double pick(std::mt19937_64& rng, double lo, double hi, std::initializer_list<double> extremes) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  if (u(rng) < 0.35) {
    std::uniform_int_distribution<std::size_t> which(0, extremes.size() - 1);
    return *(extremes.begin() + static_cast<std::ptrdiff_t>(which(rng)));
  }
  return std::pow(10.0, lo + (hi - lo) * u(rng));
}

struct extreme_case {
  std::vector<tmg::bracket<double>> brackets;
  double last_cap = 0.0;  // 0: open table
  tmg::liquidation_inputs<double> in;
  tmg::position_leg<double> leg;
};

extreme_case make_extreme_case(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  extreme_case c;
  const int tiers = 1 + static_cast<int>(u(rng) * 5.0);
  double floor = 0.0, rate = 0.001 + 0.01 * std::round(u(rng) * 100.0) / 100.0;
  for (int i = 0; i < tiers; ++i) {
    if (i > 0) {
      floor = i == 1 ? pick(rng, -6.0, 12.0, {1e-300, 1e300}) : floor * (2.0 + 8.0 * u(rng));
      rate = std::min(0.5, rate + 0.01 * std::round(u(rng) * 100.0) / 100.0);
    }
    c.brackets.push_back({floor, rate, std::max(1.0, std::floor(1.0 / (2.0 * rate)))});
  }
  if (u(rng) < 0.5) c.last_cap = floor * (2.0 + 8.0 * u(rng)) + 1.0;
  const bool inverse = u(rng) < 0.4;
  c.in.contract = inverse ? tmg::contract_type::inverse : tmg::contract_type::linear;
  c.in.contract_size = u(rng) < 0.7 ? (inverse ? 100.0 : 1.0) : pick(rng, -10.0, 10.0, {1e-300, 1e300});
  const double sign = u(rng) < 0.85 ? 1.0 : -1.0;
  c.in.collateral = sign * pick(rng, -12.0, 12.0, {0.0, 1e300, 1.7e308, DBL_MAX, 1e-300});
  if (u(rng) < 0.3) {
    c.in.other_maintenance = pick(rng, -6.0, 6.0, {0.0, 1e300});
    c.in.other_pnl = (u(rng) < 0.5 ? -1.0 : 1.0) * pick(rng, -6.0, 6.0, {0.0, 1e300});
  }
  if (u(rng) < 0.3) c.in.fee_rate = 0.001 * u(rng);
  c.leg.side = u(rng) < 0.5 ? position_side::long_side : position_side::short_side;
  c.leg.size = pick(rng, -12.0, 12.0, {5e-324, 1e-310, 1e-300, 1e-15, 1e300, DBL_MAX});
  c.leg.entry_price = pick(rng, -8.0, 8.0, {1e-300, 1e-8, 1e300, DBL_MAX});
  if (u(rng) < 0.2) c.in.reference_price = c.leg.entry_price * (0.5 + u(rng));
  return c;
}

template <class P>
tmg::tier_table<double, P> table_of(const extreme_case& c) {
  const std::span<const tmg::bracket<double>> b(c.brackets);
  return c.last_cap > 0.0 ? tmg::tier_table<double, P>(b, c.last_cap) : tmg::tier_table<double, P>(b);
}

void check_contract(const tmg::liquidation_bound<double>& b) {
  if (b.has_price()) {
    CHECK(std::isfinite(b.price));
    CHECK(b.price >= DBL_MIN);  // normal: a subnormal price is `not_representable`
    CHECK(std::isfinite(b.maintenance));
  } else if (b.status != liquidation_status::invalid_input) {
    CHECK(b.price == 0.0);
  }
}

/// Every input of the case, to reproduce a failure.
std::string describe(const extreme_case& c) {
  std::ostringstream os;
  os.precision(17);
  os << "brackets";
  for (const auto& b : c.brackets) os << " (" << b.floor << ", " << b.maint_rate << ", " << b.max_leverage << ")";
  os << " last_cap " << c.last_cap << " inverse " << (c.in.contract == tmg::contract_type::inverse)
     << " contract_size " << c.in.contract_size << " collateral " << c.in.collateral << " other_maintenance "
     << c.in.other_maintenance << " other_pnl " << c.in.other_pnl << " fee " << c.in.fee_rate << " reference "
     << c.in.reference_price << " side " << static_cast<int>(c.leg.side) << " size " << c.leg.size << " entry "
     << c.leg.entry_price;
  return os.str();
}

bool same_price(double a, double b, double rel) { return std::fabs(a - b) <= rel * std::fabs(b); }

/// Returns 1 when the fast path applied and priced a side (to check that the sample reaches it).
template <class P>
int check_extreme_case(const extreme_case& c, int n) {
  const auto table = table_of<P>(c);
  tmg::liquidation_result<double> fast_only;
  const bool fast_applied = tmg::detail::one_leg_fast_path(table, c.in, c.leg, fast_only);
  const auto fast = tmg::liquidation_price(table, c.in, c.leg);  // the fast path, else the walk
  const auto walk = tmg::detail::solve_liquidation<false, 1>(table, "liquidation_price", c.in, &c.leg);
  int priced = 0;
  for (int side = 0; side < 2; ++side) {
    const auto& f = side == 0 ? fast.falling : fast.rising;
    const auto& w = side == 0 ? walk.falling : walk.rising;
    INFO("case " << n << " side " << side << ": " << describe(c) << "; fast path " << fast_applied << " "
                 << static_cast<int>(f.status) << " " << f.price << " walk " << static_cast<int>(w.status) << " "
                 << w.price);
    check_contract(f);
    check_contract(w);
    CHECK(f.status == w.status);
    if (f.has_price() && w.has_price()) {
      priced += fast_applied ? 1 : 0;
      CHECK(same_price(f.price, w.price, 1e-12));
      CHECK(same_price(f.maintenance, w.maintenance, 1e-12));
      CHECK(f.tiers == w.tiers);
    }
    if (fast_applied) {  // what liquidation_price returned is the fast path's own answer
      const auto& o = side == 0 ? fast_only.falling : fast_only.rising;
      CHECK(o.status == f.status);
      CHECK(o.price == f.price);
    }
  }
  CHECK(fast.net_side == walk.net_side);

  // 2. A hedge leg of 0, 5e-324 or 1e-310 units on the other side. Its share of every term is at most
  // 1e-30 of the real leg's (tiny <= 1e-30 size; larger ones are skipped).
  if (std::isfinite(c.leg.size * c.in.contract_size)) {
    for (const double tiny : {0.0, 5e-324, 1e-310}) {
      if (tiny > 1e-30 * c.leg.size) continue;
      const bool is_long = c.leg.side == position_side::long_side;
      const tmg::position_leg<double> other{is_long ? position_side::short_side : position_side::long_side, tiny,
                                            c.leg.entry_price};
      const auto hedge = is_long ? tmg::liquidation_price(table, c.in, c.leg, other)
                                 : tmg::liquidation_price(table, c.in, other, c.leg);
      const std::size_t leg_index = is_long ? 0 : 1;
      for (int side = 0; side < 2; ++side) {
        const auto& f = side == 0 ? fast.falling : fast.rising;
        const auto& h = side == 0 ? hedge.falling : hedge.rising;
        INFO("case " << n << ": " << describe(c) << "; hedge leg " << tiny << " side " << side << " one-leg "
                     << static_cast<int>(f.status) << " " << f.price << " hedge " << static_cast<int>(h.status) << " "
                     << h.price);
        check_contract(h);
        CHECK(f.status == h.status);
        if (f.has_price() && h.has_price()) {
          CHECK(same_price(h.price, f.price, 1e-9));
          CHECK(h.tiers[leg_index] == f.tiers[0]);
        }
      }
    }
  }
  return priced;
}
}  // namespace

TEST_CASE("fast path = general solver at extreme magnitudes, and a denormal hedge leg changes nothing",
          "[venues][liquidation][property][extreme]") {
  std::mt19937_64 rng(20261204);
  int priced = 0;
  for (int n = 0; n < 4000; ++n) {
    const extreme_case c = make_extreme_case(rng);
    priced += n % 2 == 0 ? check_extreme_case<quiet_strict>(c, n) : check_extreme_case<quiet_clamp>(c, n);
  }
  CHECK(priced > 400);  // sides priced by the fast path and compared with the walk (512 with this seed)
}

TEST_CASE("the overflowing-margin case of liquidation.test.cpp through both paths",
          "[venues][liquidation][extreme]") {
  // Hand-derived in liquidation.test.cpp: the price would be 5.9e-324, its notional overflows.
  const tmg::tier_table<double> one_tier({{0, 0.004, 125}});
  tmg::liquidation_inputs<double> in;
  in.contract = tmg::contract_type::inverse;
  in.collateral = 1.7e308;
  const tmg::position_leg<double> leg{position_side::long_side, 1e-15, 60'000.0};
  const auto fast = tmg::liquidation_price(one_tier, in, leg);
  const auto walk = tmg::detail::solve_liquidation<false, 1>(one_tier, "liquidation_price", in, &leg);
  CHECK(fast.falling.status == liquidation_status::not_representable);
  CHECK(walk.falling.status == liquidation_status::not_representable);
}

TEST_CASE("decimal<8>: fast path = general solver at the ends of the decimal range",
          "[venues][liquidation][property][extreme][decimal]") {
  // decimal<8> holds |x| < 9.2e10 with 8 decimals: sizes and prices from one unit (1e-8) to 9e10, wallets up
  // to +-9.2e10, so that products overflow (NaN inside the solver) and roots leave the range. Both paths
  // compute the same decimal operations, so statuses and prices must be equal exactly.
  using dec = tmg::decimal<8>;
  struct dec_quiet : tmg::default_policies {
    using error = tmg::quiet_nan;
  };
  std::mt19937_64 rng(8);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int priced = 0, fast_applied = 0;
  for (int n = 0; n < 3000; ++n) {
    const auto decade = [&](double lo, double hi, std::initializer_list<const char*> extremes) {
      if (u(rng) < 0.35) {
        std::uniform_int_distribution<std::size_t> which(0, extremes.size() - 1);
        return dec(std::string_view(*(extremes.begin() + static_cast<std::ptrdiff_t>(which(rng)))));
      }
      return dec(std::round(std::pow(10.0, lo + (hi - lo) * u(rng)) * 1e4) / 1e4);
    };
    const tmg::tier_table<dec, dec_quiet> table({{dec("0"), dec("0.004"), dec("125")},
                                                 {decade(0.0, 9.0, {"0.00000001", "90000000000"}), dec("0.01"),
                                                  dec("50")},
                                                 {dec("91000000000"), dec("0.05"), dec("10")}});
    if (!table.valid()) continue;  // the random floor must stay below the last one
    tmg::liquidation_inputs<dec> in;
    in.contract = u(rng) < 0.4 ? tmg::contract_type::inverse : tmg::contract_type::linear;
    in.collateral = (u(rng) < 0.8 ? dec("1") : dec("-1")) *
                    decade(-4.0, 10.0, {"0", "92000000000", "0.00000001"});
    const tmg::position_leg<dec> leg{u(rng) < 0.5 ? position_side::long_side : position_side::short_side,
                                     decade(-6.0, 10.0, {"0.00000001", "90000000000"}),
                                     decade(-4.0, 10.0, {"0.00000001", "90000000000"})};
    tmg::liquidation_result<dec> fast_only;
    const bool applied = tmg::detail::one_leg_fast_path(table, in, leg, fast_only);
    fast_applied += applied ? 1 : 0;
    const auto fast = tmg::liquidation_price(table, in, leg);
    const auto walk = tmg::detail::solve_liquidation<false, 1>(table, "liquidation_price", in, &leg);
    for (int side = 0; side < 2; ++side) {
      const auto& f = side == 0 ? fast.falling : fast.rising;
      const auto& w = side == 0 ? walk.falling : walk.rising;
      INFO("case " << n << " side " << side << " floor " << table.floors()[1] << " collateral " << in.collateral
                   << " size " << leg.size << " entry " << leg.entry_price << " inverse "
                   << (in.contract == tmg::contract_type::inverse) << " fast path " << applied << " fast "
                   << static_cast<int>(f.status) << " " << f.price << " walk " << static_cast<int>(w.status) << " "
                   << w.price);
      CHECK(f.status == w.status);
      CHECK(f.price == w.price);
      CHECK(f.tiers == w.tiers);
      if (f.has_price()) {
        priced += applied ? 1 : 0;
        CHECK(tmg::scalar_traits<dec>::isfinite(f.price));
        CHECK(dec() < f.price);
        CHECK(tmg::scalar_traits<dec>::isfinite(f.maintenance));
        CHECK(f.maintenance == w.maintenance);
      }
    }
  }
  CHECK(fast_applied > 300);  // 415 with this seed
  CHECK(priced > 250);        // 327
}
