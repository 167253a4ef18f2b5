#!/usr/bin/env bash
# Compile cost of each public module header: wall time of a translation unit that includes only that header
# (best of 3, -O0), the compiler's peak memory, the number of headers it pulls in, and how many of those
# come from Eigen and Boost. Needs /usr/bin/time (Debian package `time`). A per-position user of tiers/ should pay for neither.
#   bash bench/compile/header_cost.sh [compiler] [header ...]      (default: g++, every module header)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cxx="${1:-g++}"
shift || true
headers=("$@")
if [ ${#headers[@]} -eq 0 ]; then
  headers=(tiermargin/core.hpp tiermargin/core/decimal.hpp tiermargin/tiers/tier_table.hpp
           tiermargin/tiers/margin.hpp tiermargin/tiers/batch_margin.hpp tiermargin/tiers/liquidation.hpp
           tiermargin/tiers.hpp tiermargin/venues.hpp tiermargin/risk.hpp tiermargin/calibrate.hpp
           tiermargin/io/csv.hpp tiermargin/io/json.hpp tiermargin/tiermargin.hpp)
fi
flags=(-std=c++20 -O0 -I "$root/include" -isystem /usr/include/eigen3)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '%-36s %9s %8s %8s %6s %6s\n' header seconds max_MiB headers eigen boost
for h in "${headers[@]}"; do
  [ -f "$root/include/$h" ] || { printf '%-36s (absent)\n' "$h"; continue; }
  printf '#include <%s>\nint main() {}\n' "$h" > "$work/tu.cpp"
  "$cxx" "${flags[@]}" -H -fsyntax-only "$work/tu.cpp" 2> "$work/deps.txt" >/dev/null
  total=$(grep -c '^\.' "$work/deps.txt" || true)
  eigen=$(grep '^\.' "$work/deps.txt" | grep -ci 'eigen' || true)
  boost=$(grep '^\.' "$work/deps.txt" | grep -c '/boost/' || true)
  best=""
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    "$cxx" "${flags[@]}" -c "$work/tu.cpp" -o "$work/tu.o"
    t=$(awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { print a - b }')
    best=$(awk -v a="$t" -v b="$best" 'BEGIN { print (b == "" || a < b) ? a : b }')
  done
  /usr/bin/time -f '%M' -o "$work/rss.txt" "$cxx" "${flags[@]}" -c "$work/tu.cpp" -o "$work/tu.o"
  mib=$(awk '{ printf "%.0f", $1 / 1024 }' "$work/rss.txt")
  printf '%-36s %9.2f %8d %8d %6d %6d\n' "$h" "$best" "$mib" "$total" "$eigen" "$boost"
done
