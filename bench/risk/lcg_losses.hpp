// SPDX-License-Identifier: BSL-1.0
// Deterministic fat-tailed losses shared by the risk benchmarks and bench/risk/pandas_rolling.py.
//
// Generator (implemented identically in pandas_rolling.py, so both time the SAME numbers, bit for bit):
//   x_{i+1} = x_i * 6364136223846793005 + 1442695040888963407  (mod 2^64),  x_0 = seed (default 20261124)
//   u_i     = ((x_{i+1} >> 12) + 0.5) * 2^-52                    in (0, 1), exact in double
//   loss_i  = 0.01 * ((u_i - 0.5) / sqrt(u_i * (1 - u_i)))      tails ~ x^-2, like daily returns of a
//                                                               volatile asset; only IEEE +,-,*,/,sqrt,
//                                                               all correctly rounded in C++ and Python.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace bench_risk {
inline std::vector<double> lcg_losses(std::size_t n, std::uint64_t seed = 20261124) {
  std::vector<double> out(n);
  std::uint64_t x = seed;
  for (double& v : out) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const double u = (static_cast<double>(x >> 12) + 0.5) * 0x1p-52;
    v = 0.01 * ((u - 0.5) / std::sqrt(u * (1.0 - u)));
  }
  return out;
}
}  // namespace bench_risk
