#!/usr/bin/env bash
# The test command (README, and what CI runs): installs missing packages, then
#  1. g++   Release: unit tests, header self-containment, the three consumer builds, every example,
#                    each benchmark binary once with a tiny --benchmark_min_time;
#                    then the Doxygen API reference (scripts/docs.sh: any warning fails);
#  2. clang++ Debug: unit tests (+ the loader fuzzers for a bounded time when libFuzzer is available);
#  3. clang++ with libc++ (Debug): unit tests, header self-containment, the examples;
#  4. g++   Debug with AddressSanitizer + UndefinedBehaviorSanitizer: unit tests;
#  5. g++   with ThreadSanitizer: the concurrency tests (tests/unit/concurrency).
# Every build also compiles and runs the -fno-exceptions consumers (quiet_nan, terminate_errors) and the
# compile-fail checks (throw_errors without exceptions, C++17) that tests/CMakeLists.txt registers.
# Warnings are errors on our own targets in every build. Build trees go to ${BUILD_ROOT:-build}.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install_deps.sh"
out="${BUILD_ROOT:-$root/build}"
jobs="${JOBS:-$(nproc)}"
start=$SECONDS

step() { printf '\n=== %s (%ds elapsed)\n' "$*" $((SECONDS - start)); }

step "g++ Release: configure and build"
cmake -S "$root" -B "$out/gcc" -G Ninja -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Release
cmake --build "$out/gcc" -j "$jobs"
step "g++ Release: tests"
ctest --test-dir "$out/gcc" --output-on-failure -j "$jobs"
step "API reference (Doxygen, warnings are errors)"
bash "$root/scripts/docs.sh"
step "examples"
example_dir="$(mktemp -d)"
for exe in "$out"/gcc/examples/*; do
  [ -x "$exe" ] && [ -f "$exe" ] || continue
  echo "--- $(basename "$exe")"
  (cd "$example_dir" && "$exe")
done
step "benchmarks, once each"
for exe in "$out"/gcc/bench/bench_*; do
  [ -x "$exe" ] && [ -f "$exe" ] || continue
  echo "--- $(basename "$exe")"
  "$exe" --benchmark_min_time=0.001 > "$out/gcc/$(basename "$exe").smoke.txt"
  tail -n 3 "$out/gcc/$(basename "$exe").smoke.txt"
done

fuzz=OFF
if ls /usr/lib/llvm-14/lib/clang/14*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then fuzz=ON; fi
step "clang++ Debug: configure and build (fuzzers: $fuzz)"
cmake -S "$root" -B "$out/clang" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
      -DTIERMARGIN_BUILD_BENCHMARKS=OFF -DTIERMARGIN_BUILD_EXAMPLES=OFF -DTIERMARGIN_BUILD_FUZZERS=$fuzz
cmake --build "$out/clang" -j "$jobs"
step "clang++ Debug: tests"
ctest --test-dir "$out/clang" --output-on-failure -j "$jobs" -E "consumer_|headers_"

step "clang++ + libc++ Debug: configure and build"
cmake -S "$root" -B "$out/libcxx" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_CXX_FLAGS=-stdlib=libc++ -DCMAKE_EXE_LINKER_FLAGS=-stdlib=libc++ \
      -DTIERMARGIN_CATCH_MAIN_FROM_SOURCE=ON -DTIERMARGIN_BUILD_BENCHMARKS=OFF
cmake --build "$out/libcxx" -j "$jobs"
step "clang++ + libc++: tests and examples"
ctest --test-dir "$out/libcxx" --output-on-failure -j "$jobs" -E "consumer_"
for exe in "$out"/libcxx/examples/quickstart "$out"/libcxx/examples/liquidation_price; do
  echo "--- $(basename "$exe") (libc++)"
  (cd "$example_dir" && "$exe" > /dev/null)
done

step "g++ Debug + ASan + UBSan: configure and build"
cmake -S "$root" -B "$out/asan" -G Ninja -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=Debug \
      -DTIERMARGIN_SANITIZE=ON -DTIERMARGIN_BUILD_BENCHMARKS=OFF -DTIERMARGIN_BUILD_EXAMPLES=OFF
cmake --build "$out/asan" -j "$jobs"
step "g++ ASan + UBSan: tests"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$out/asan" --output-on-failure -j "$jobs" -E "consumer_|headers_"

step "g++ + ThreadSanitizer: configure and build the concurrency tests"
cmake -S "$root" -B "$out/tsan" -G Ninja -DCMAKE_CXX_COMPILER=g++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DTIERMARGIN_TSAN=ON -DTIERMARGIN_BUILD_BENCHMARKS=OFF -DTIERMARGIN_BUILD_EXAMPLES=OFF
cmake --build "$out/tsan" -j "$jobs" --target test_concurrency
step "g++ + ThreadSanitizer: tests"
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir "$out/tsan" --output-on-failure -R "^concurrency$"

step "all builds passed"
