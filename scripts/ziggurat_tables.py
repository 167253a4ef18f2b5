#!/usr/bin/env python3
"""Ziggurat tables for the standard normal in risk/monte_carlo.hpp (Marsaglia & Tsang 2000, ZIGNOR form
of Doornik 2005), recomputed from the definition with mpmath (Debian: python3-mpmath).

f(x) = exp(-x^2/2); N layers of equal area V. The edge r = x_1 is solved so that the recursion
x_{i+1} = sqrt(-2 ln(V/x_i + f(x_i))) closes with x_N = 0, where V = r f(r) + int_r^inf f. The base strip
gets the pseudo-width x_0 = V/f(r). Printed: r, V, then x_0..x_N, ratio_i = x_{i+1}/x_i and f(x_i),
each rounded once to double (repr gives the shortest round-tripping decimal).
Usage: python3 scripts/ziggurat_tables.py [N=256]
"""
import sys

import mpmath as mp

mp.mp.dps = 60
N = int(sys.argv[1]) if len(sys.argv) > 1 else 256


def f(x):
    return mp.exp(-x * x / 2)


def area(r):
    return r * f(r) + mp.sqrt(mp.pi / 2) * mp.erfc(r / mp.sqrt(2))


def closure(r):
    """> 0 when the layers reach the top too early (r too small), < 0 when they fall short."""
    v, x = area(r), r
    for _ in range(2, N):
        a = v / x + f(x)
        if a >= 1:
            return mp.mpf(1)
        x = mp.sqrt(-2 * mp.log(a))
    return v / x + f(x) - 1


lo, hi = mp.mpf(2.5), mp.mpf(4.5)
for _ in range(220):
    mid = (lo + hi) / 2
    if closure(mid) > 0:
        lo = mid
    else:
        hi = mid
r = (lo + hi) / 2
v = area(r)
x = [v / f(r), r]
for _ in range(2, N):
    x.append(mp.sqrt(-2 * mp.log(v / x[-1] + f(x[-1]))))
x.append(mp.mpf(0))
ratio = [x[i + 1] / x[i] for i in range(N)]


def table(values):
    out = [repr(float(value)) for value in values]
    return ",\n".join("    " + ", ".join(out[i:i + 4]) for i in range(0, len(out), 4))


print(f"// N = {N}: r = {float(r)!r}, V = {float(v)!r}, closure residual {mp.nstr(closure(r), 3)}")
print(f"inline constexpr double zig_x[{N + 1}] = {{\n{table(x)}}};")
print(f"inline constexpr double zig_ratio[{N}] = {{\n{table(ratio)}}};")
print(f"inline constexpr double zig_f[{N + 1}] = {{\n{table([f(xi) for xi in x])}}};")
