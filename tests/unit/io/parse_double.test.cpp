// SPDX-License-Identifier: BSL-1.0
// The double parser behind every loader (io/detail/parse_double.hpp) is correctly rounded on every standard
// library: libstdc++'s from_chars where present, the strtod_l fallback on libc++ 14. Oracles: Python's
// correctly rounded float() on exact midpoints between adjacent doubles (scripts/halfway_cases.py), the
// shortest round trip of to_chars (an identity for any correct parser), and, on libstdc++, from_chars itself
// on a million random strings.
#include <tiermargin/io/csv.hpp>

#include <bit>
#include <charconv>
#include <clocale>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <string>

#include "support/catch.hpp"

namespace {
using tiermargin::io::detail::double_parse;
using tiermargin::io::detail::parse_double;
using tiermargin::io::detail::parse_double_strtod;

struct halfway_case {
  const char* text;
  std::uint64_t bits;
  bool overflows;
};
const halfway_case halfway_cases[] = {
#include "parse_double_halfway.ipp"
};

std::string shortest(double v) {
  char buffer[64];
  const auto r = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, r.ptr);
}
}  // namespace

TEST_CASE("parse_double: exact midpoints round half to even, as Python's float() does", "[io][parse_double]") {
  for (const auto& c : halfway_cases) {
    for (auto* parse : {&parse_double, &parse_double_strtod}) {
      double v = -1.0;
      const double_parse r = parse(c.text, v);
      INFO(std::string(c.text).substr(0, 40) << "... (" << std::char_traits<char>::length(c.text) << " chars)");
      if (c.overflows) {
        CHECK(r == double_parse::out_of_range);
      } else {
        REQUIRE(r == double_parse::ok);
        CHECK(std::bit_cast<std::uint64_t>(v) == c.bits);
      }
    }
  }
}

TEST_CASE("parse_double: the shortest text of any double reads back as the same bits", "[io][parse_double]") {
  std::mt19937_64 rng(20261204);
  for (int i = 0; i < 200'000; ++i) {
    const double v = std::bit_cast<double>(rng() & 0x7fffffffffffffffULL);
    if (!std::isfinite(v)) continue;
    for (const std::string& text : {shortest(v), shortest(-v)}) {
      double back = 0.0;
      REQUIRE(parse_double_strtod(text, back) == double_parse::ok);
      REQUIRE(std::bit_cast<std::uint64_t>(back) == std::bit_cast<std::uint64_t>(text[0] == '-' ? -v : v));
    }
  }
}

TEST_CASE("parse_double: range outcomes match from_chars (subnormals are in range)", "[io][parse_double]") {
  struct expectation {
    const char* text;
    double_parse outcome;
    double value;
  };
  const double min_sub = std::numeric_limits<double>::denorm_min();
  const expectation cases[] = {
      {"1e-400", double_parse::out_of_range, 0},           // rounds to 0 from non-zero digits
      {"2.4703282292062327e-324", double_parse::out_of_range, 0},  // just below half the smallest subnormal
      {"2.4703282292062328e-324", double_parse::ok, min_sub},      // just above: rounds up to it
      {"4.9e-324", double_parse::ok, min_sub},
      {"2.2250738585072011e-308", double_parse::ok, 2.2250738585072009e-308},  // subnormal, no error
      {"1e309", double_parse::out_of_range, 0},
      {"1.7976931348623158e308", double_parse::ok, std::numeric_limits<double>::max()},
      {"1.7976931348623159e308", double_parse::out_of_range, 0},  // past the midpoint to 2^1024
      {"0e999999", double_parse::ok, 0.0},
      {"0.000e-999999999999", double_parse::ok, 0.0},
      {"1e-999999999999", double_parse::out_of_range, 0},
      {"123456789012345678901234567890e-10", double_parse::ok, 12345678901234567890.123456789},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    double v = -1.0;
    CHECK(parse_double_strtod(c.text, v) == c.outcome);
    if (c.outcome == double_parse::ok) CHECK(v == c.value);
    double w = -1.0;
    CHECK(parse_double(c.text, w) == c.outcome);
    if (c.outcome == double_parse::ok) CHECK(w == c.value);
  }
  double negative_zero = 1.0;
  REQUIRE(parse_double_strtod("-0.0", negative_zero) == double_parse::ok);
  CHECK(std::signbit(negative_zero));
  double unused = 0.0;
  CHECK(parse_double_strtod("", unused) == double_parse::malformed);
  CHECK(parse_double_strtod("1.5x", unused) == double_parse::malformed);
}

TEST_CASE("parse_double: a comma-decimal C locale does not change the result", "[io][parse_double]") {
  // strtod alone would stop at the '.' under such a locale; the fallback pins the "C" locale. The check
  // runs where one of these locales is installed (Debian's `locales` package), and is skipped elsewhere.
  const char* previous = std::setlocale(LC_NUMERIC, nullptr);
  const std::string saved = previous ? previous : "C";
  bool switched = false;
  for (const char* name : {"de_DE.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8", "de_DE", "fr_FR"})
    if (std::setlocale(LC_NUMERIC, name) != nullptr) {
      switched = true;
      break;
    }
  double v = 0.0;
  const double_parse r = parse_double_strtod("0.5", v);
  std::setlocale(LC_NUMERIC, saved.c_str());
  if (!switched) {
    WARN("no comma-decimal locale installed; locale independence not exercised");
    return;
  }
  CHECK(r == double_parse::ok);
  CHECK(v == 0.5);
}

#if TIERMARGIN_HAS_FLOAT_FROM_CHARS
TEST_CASE("parse_double: strtod_l fallback equals from_chars on random text", "[io][parse_double]") {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int> digit(0, 9), length(1, 40), exponent(-360, 320), form(0, 3);
  std::string text;
  for (int i = 0; i < 1'000'000; ++i) {
    text.clear();
    if (rng() & 1) text += '-';
    const int n = length(rng);
    const int point = form(rng) == 0 ? -1 : static_cast<int>(rng() % static_cast<unsigned>(n + 1));
    for (int d = 0; d < n; ++d) {
      if (d == point) text += d == 0 ? "0." : ".";
      text += static_cast<char>('0' + digit(rng));
    }
    if (form(rng) != 0) text += 'e' + std::to_string(exponent(rng));
    double a = 0.0, b = 0.0;
    const double_parse ra = tiermargin::io::detail::parse_double_from_chars(text, a);
    const double_parse rb = parse_double_strtod(text, b);
    INFO(text);
    REQUIRE(ra == rb);
    if (ra == double_parse::ok) REQUIRE(std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b));
  }
}
#endif
