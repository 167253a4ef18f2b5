// SPDX-License-Identifier: BSL-1.0
// Helpers to write one test for double and decimal: literals from text, and a comparison that is exact for
// exact scalars and relative for floating point.
#pragma once

#include <tiermargin/core/decimal.hpp>

#include <cmath>
#include <string>
#include <type_traits>

namespace test_support {

/// A literal in the scalar under test, read from its decimal text (exact for decimal types).
template <class Real>
Real num(const char* text) {
  if constexpr (std::is_floating_point_v<Real>)
    return static_cast<Real>(std::stod(text));
  else
    return Real(std::string_view(text));
}

/// Exact equality for exact scalars; |a - b| <= rel * max(1, |b|) for floating point.
template <class Real>
bool same(Real a, Real b, double rel = 1e-12) {
  if constexpr (tiermargin::scalar_traits<Real>::is_exact) {
    return a == b;
  } else {
    const double x = static_cast<double>(a), y = static_cast<double>(b);
    return std::fabs(x - y) <= rel * std::fmax(1.0, std::fabs(y));
  }
}

}  // namespace test_support
