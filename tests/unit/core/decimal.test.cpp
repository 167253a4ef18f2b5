// SPDX-License-Identifier: BSL-1.0
// decimal<Scale>: exact arithmetic, rounding modes, parsing and the NaN value.
// Expected values are hand-computed decimal arithmetic (shown in each comment).
#include <tiermargin/core/decimal.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "support/catch.hpp"

using tiermargin::decimal;
using tiermargin::rounding_mode;
using D8 = decimal<8>;
using D2 = decimal<2>;

TEST_CASE("decimal parses text exactly", "[core][decimal]") {
  CHECK(D8("0.004").raw() == 400'000);
  CHECK(D8("-1234.5678").raw() == -123'456'780'000);
  CHECK(D8("1e-4").raw() == 10'000);
  CHECK(D8("+2.5E3").raw() == 250'000'000'000);
  CHECK(D8(" 7 ").raw() == 700'000'000);
  CHECK(D2("1.005").raw() == 100);   // half-even: 100.5 cents -> 100
  CHECK(D2("1.015").raw() == 102);   // half-even: 101.5 cents -> 102
  CHECK(decimal<2, rounding_mode::half_up>("1.005").raw() == 101);
  CHECK(decimal<2, rounding_mode::down>("-1.009").raw() == -100);  // toward zero
  CHECK(decimal<2, rounding_mode::up>("-1.001").raw() == -101);    // away from zero
  CHECK(D8("123.4567890123456789").raw() == 12'345'678'901);  // 9th decimal 0 < half: rounded down
}

TEST_CASE("decimal rejects malformed text", "[core][decimal]") {
  for (const char* bad : {"", "-", "1..2", "abc", "1e", "1.2.3", "12x", "e5"}) {
    CHECK_FALSE(D8::parse(bad).has_value());
    CHECK_THROWS_AS(D8(bad), tiermargin::invalid_argument);
  }
  try {
    D8("12x");
    FAIL("no exception");
  } catch (const tiermargin::invalid_argument& e) {
    CHECK(std::string(e.what()).find("text") != std::string::npos);
  }
  CHECK(D8::parse("1e300")->is_nan());  // out of range is NaN, not garbage
}

TEST_CASE("decimal arithmetic is exact and rounds products once", "[core][decimal]") {
  // Binance T3: 100,000 * 0.005 - 50 = 450 exactly.
  CHECK((D8("100000") * D8("0.005") - D8("50")) == D8("450"));
  // docs/venues.md §1.5: 3,500,032.458 * 2.5% - 16,300 = 71,200.81145 exactly (the page shows 71,200.81144).
  CHECK((D8("3500032.458") * D8("0.025") - D8("16300")) == D8("71200.81145"));
  // Division: 1/3 at 8 decimals, half-even -> 0.33333333; 2/3 -> 0.66666667.
  CHECK(D8("1") / D8("3") == D8("0.33333333"));
  CHECK(D8("2") / D8("3") == D8("0.66666667"));
  // Product needing rounding: 0.00000001 * 0.5 = 0.000000005 -> half-even -> 0.
  CHECK((D8("0.00000001") * D8("0.5")).raw() == 0);
  CHECK((D8("0.00000003") * D8("0.5")).raw() == 2);  // 1.5 units -> 2 (even)
  CHECK(-D8("1.5") == D8("-1.5"));
  CHECK(D8("0.1") + D8("0.2") == D8("0.3"));  // unlike binary floating point
}

TEST_CASE("decimal NaN: overflow, division by zero and propagation", "[core][decimal]") {
  const D8 big = D8::from_raw(std::numeric_limits<std::int64_t>::max() - 1);
  CHECK((big + D8("1")).is_nan());
  CHECK((big * D8("2")).is_nan());
  CHECK((D8("1") / D8("0")).is_nan());
  CHECK((D8::nan() + D8("1")).is_nan());
  CHECK(D8::nan() < D8("-1e9"));  // NaN orders first (total order)
  CHECK(tiermargin::scalar_traits<D8>::isnan(D8(std::numeric_limits<double>::quiet_NaN())));
  CHECK_FALSE(tiermargin::scalar_traits<D8>::isfinite(D8::unbounded()));
}

TEST_CASE("decimal converts from and to double as the shortest decimal", "[core][decimal]") {
  CHECK(D2(0.1).raw() == 10);             // 0.1 is 0.1000000000000000055... in binary; we mean 0.1
  CHECK(D8(462.665).raw() == 46'266'500'000);
  CHECK(D2(462.665).raw() == 46'266);     // tie -> even (46266)
  CHECK(decimal<2, rounding_mode::half_up>(462.665).raw() == 46'267);
  CHECK(D8("71200.81145").to_double() == 71200.81145);
  CHECK(D8("-0.5").to_string() == "-0.50000000");
  CHECK(decimal<0>(42).to_string() == "42");
  CHECK(D8(-3).raw() == -300'000'000);
}

TEST_CASE("decimal rounding to fewer decimals", "[core][decimal]") {
  // Binance M1 (docs/venues.md §1.2): IM = 9,253.30 / 20 = 462.665; the page shows 462.66 (truncation).
  const D8 im = D8("9253.30") / D8("20");
  CHECK(im == D8("462.665"));
  CHECK(im.rounded(rounding_mode::down, 2) == D8("462.66"));
  CHECK(im.rounded(rounding_mode::half_up, 2) == D8("462.67"));
  CHECK(im.rounded(rounding_mode::half_even, 2) == D8("462.66"));
  CHECK(im.rounded(rounding_mode::up, 2) == D8("462.67"));
  CHECK(D8("-2.5").rounded(rounding_mode::half_even, 0) == D8("-2"));
  CHECK(D8("-2.5").rounded(rounding_mode::half_up, 0) == D8("-3"));
  CHECK(D8("1.23").rounded(rounding_mode::up, 5) == D8("1.23"));
}

TEST_CASE("decimal from integers that do not fit is NaN", "[core][decimal]") {
  CHECK(decimal<0>(18446744073709551615ull).is_nan());  // UINT64_MAX > INT64_MAX
  CHECK(D8(std::uint64_t{100'000'000'000}).is_nan());   // 1e11 * 1e8 overflows int64
  CHECK(D8(std::uint64_t{92'000'000'000}).raw() == 9'200'000'000'000'000'000);
  CHECK(D8(-92'000'000'000LL).raw() == -9'200'000'000'000'000'000);
}

TEST_CASE("decimal parsing keeps digits beyond 30 significant ones in the rounding", "[core][decimal]") {
  // 0.1 followed by 33 zeros and a 1: strictly above 0.1, so rounding up must give 0.10000001 and the
  // default half-even 0.1; a long string of exact zeros stays exact.
  const char* text = "0.1000000000000000000000000000000001";
  CHECK(decimal<8, rounding_mode::up>(text).raw() == 10'000'001);
  CHECK(decimal<8, rounding_mode::down>(text).raw() == 10'000'000);
  CHECK(D8(text).raw() == 10'000'000);
  CHECK(decimal<8, rounding_mode::up>("0.1000000000000000000000000000000000").raw() == 10'000'000);
  // A tie followed far away by a non-zero digit is above the tie: half-even rounds up.
  CHECK(decimal<0>("2.5000000000000000000000000000000001").raw() == 3);
  CHECK(decimal<0>("2.5").raw() == 2);
}

// ---- Special values: NaN, +unbounded, -unbounded behave like IEEE double's NaN and +-inf. ----
// Oracle: IEEE double evaluated on the same operand classes (the hardware is the independent reference);
// decimal's documented departures from IEEE (division by zero is NaN, NaN is ordered first) are handled
// explicitly below.
namespace {
/// The decimal a double stands for: NaN -> NaN, +-inf -> +-unbounded, finite -> the exact decimal.
D8 expected_from_ieee(double v) {
  if (std::isnan(v)) return D8::nan();
  if (std::isinf(v)) return v > 0 ? D8::unbounded() : -D8::unbounded();
  return D8(v);
}
}  // namespace

TEST_CASE("decimal special values follow IEEE inf/NaN for every operator and operand class",
          "[core][decimal][unbounded]") {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // One operand per class: NaN, -inf, negative finite, zero, positive finite, +inf. The finite values are
  // binary and decimal exact and every finite result below (e.g. -2.5 / 0.5 = -5, 0.5 / -2.5 = -0.2,
  // -2.5 * 0.5 = -1.25) is exact at 8 decimals, so the comparison can be exact.
  const double values[] = {nan, -inf, -2.5, 0.0, 0.5, inf};
  const char* names[] = {"nan", "-inf", "-2.5", "0", "0.5", "inf"};
  for (std::size_t i = 0; i < 6; ++i) {
    const D8 a = expected_from_ieee(values[i]);
    INFO("a = " << names[i]);
    CHECK((-a).raw() == expected_from_ieee(-values[i]).raw());
    CHECK((a.to_double() == values[i] || (std::isnan(values[i]) && std::isnan(a.to_double()))));
    CHECK(tiermargin::scalar_traits<D8>::isfinite(a) == std::isfinite(values[i]));
    for (std::size_t j = 0; j < 6; ++j) {
      const D8 b = expected_from_ieee(values[j]);
      const double x = values[i], y = values[j];
      INFO("b = " << names[j]);
      CHECK((a + b).raw() == expected_from_ieee(x + y).raw());
      CHECK((a - b).raw() == expected_from_ieee(x - y).raw());
      CHECK((a * b).raw() == expected_from_ieee(x * y).raw());
      // Documented departure: x / 0 is NaN (IEEE: +-inf or NaN).
      const D8 quotient = y == 0.0 ? D8::nan() : expected_from_ieee(x / y);
      CHECK((a / b).raw() == quotient.raw());
      D8 c = a;
      c += b;
      CHECK(c.raw() == (a + b).raw());
      c = a;
      c -= b;
      CHECK(c.raw() == (a - b).raw());
      c = a;
      c *= b;
      CHECK(c.raw() == (a * b).raw());
      c = a;
      c /= b;
      CHECK(c.raw() == (a / b).raw());
      if (!std::isnan(x) && !std::isnan(y)) {  // ordered classes compare like IEEE
        CHECK((a < b) == (x < y));
        CHECK((a <= b) == (x <= y));
        CHECK((a > b) == (x > y));
        CHECK((a >= b) == (x >= y));
        CHECK((a == b) == (x == y));
        CHECK((a != b) == (x != y));
      } else {  // documented total order: NaN first, NaN == NaN
        CHECK((a < b) == (std::isnan(x) && !std::isnan(y)));
        CHECK((a == b) == (std::isnan(x) && std::isnan(y)));
      }
    }
  }
}

TEST_CASE("decimal unbounded is sticky (the reproduced cases)", "[core][decimal][unbounded]") {
  const D8 inf = D8::unbounded();
  CHECK((inf - D8("1")) == inf);
  CHECK((inf * D8("0.5")) == inf);
  CHECK((inf / D8("10")) == inf);  // was 9223372036.85477581
  CHECK((inf / D8("-10")) == -inf);
  CHECK((D8("10") / inf).raw() == 0);
  CHECK((-inf).to_double() == -std::numeric_limits<double>::infinity());
  CHECK((-inf).to_string() == "-inf");
  CHECK(-inf < -D8::largest());
  CHECK((inf * D8("0")).is_nan());
  CHECK((inf - inf).is_nan());
  CHECK((inf + -inf).is_nan());
  CHECK((inf / inf).is_nan());
  CHECK(inf.rounded(rounding_mode::half_even, 2) == inf);
  CHECK((-inf).rounded(rounding_mode::down, 0) == -inf);
  CHECK(D8(std::numeric_limits<double>::infinity()) == inf);
  CHECK(D8(-std::numeric_limits<double>::infinity()) == -inf);
  CHECK_FALSE(tiermargin::scalar_traits<D8>::isfinite(-inf));
}

TEST_CASE("decimal finite range is symmetric and finite overflow is NaN", "[core][decimal][unbounded]") {
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  const D8 largest = D8::largest();
  const D8 lowest = -largest;
  const D8 ulp = D8::from_raw(1);
  CHECK(largest.raw() == max - 1);
  CHECK(lowest.raw() == -(max - 1));
  CHECK(-lowest == largest);  // was +unbounded: the old lowest finite (-INT64_MAX) had no finite negation
  CHECK(tiermargin::scalar_traits<D8>::isfinite(lowest));
  // Overflow of finite operands is NaN in every direction, never unbounded.
  CHECK((largest + ulp).is_nan());
  CHECK((lowest - ulp).is_nan());
  CHECK((largest * D8("2")).is_nan());
  CHECK((lowest * D8("2")).is_nan());
  CHECK((largest / D8("0.5")).is_nan());
  CHECK((lowest / D8("0.5")).is_nan());
  CHECK(D8::from_raw(max - 2) + ulp == largest);  // the edge itself is still finite
  // Integer extremes: INT64_MIN and INT64_MAX as integers do not fit; their negation is no UB.
  CHECK(decimal<0>(std::numeric_limits<std::int64_t>::min()).is_nan());
  CHECK(decimal<0>(max).is_nan());
  CHECK(decimal<0>(max - 1) == decimal<0>::largest());
  CHECK((-decimal<0>(std::numeric_limits<std::int64_t>::min())).is_nan());
  CHECK(D8::parse("-92233720368.54775807")->is_nan());  // |raw| = INT64_MAX: out of the finite range
  CHECK(D8::parse("-92233720368.54775806")->raw() == -(max - 1));
}
