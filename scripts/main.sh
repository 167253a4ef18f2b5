#!/usr/bin/env bash
# The main job: install what is missing, build the examples, and calibrate a tier table from the bundled
# real BTC data (99% ES, stated liquidity model), printing the report and writing CSV + PNG to ./out.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install_deps.sh"
build="${BUILD_ROOT:-$root/build}/main"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTIERMARGIN_BUILD_TESTS=OFF \
      -DTIERMARGIN_BUILD_BENCHMARKS=OFF -DTIERMARGIN_BUILD_EXAMPLES=ON > /dev/null
cmake --build "$build" --target calibrate_tiers quickstart
mkdir -p "$root/out"
"$build/examples/quickstart"
echo
"$build/examples/calibrate_tiers" "$root/out"
