# SPDX-License-Identifier: BSL-1.0
# Settings for tiermargin's own tests, benchmarks and examples. Never applied to tiermargin::tiermargin.
option(TIERMARGIN_WARNINGS_AS_ERRORS "Treat warnings as errors in our own targets" ON)
option(TIERMARGIN_SANITIZE "Build our own targets with AddressSanitizer + UndefinedBehaviorSanitizer" OFF)
option(TIERMARGIN_TSAN "Build our own targets with ThreadSanitizer (CI runs tests/unit/concurrency with it)" OFF)
option(TIERMARGIN_BENCH_NATIVE "Compile benchmarks with -march=native (shows vectorised paths)" OFF)

add_library(tiermargin_dev INTERFACE)
target_link_libraries(tiermargin_dev INTERFACE tiermargin::tiermargin)
target_compile_options(tiermargin_dev INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wdouble-promotion
  $<$<BOOL:${TIERMARGIN_WARNINGS_AS_ERRORS}>:-Werror>)
if(TIERMARGIN_SANITIZE)
  target_compile_options(tiermargin_dev INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(tiermargin_dev INTERFACE -fsanitize=address,undefined -fno-sanitize-recover=all)
endif()
if(TIERMARGIN_TSAN)
  if(TIERMARGIN_SANITIZE)
    message(FATAL_ERROR "TIERMARGIN_TSAN and TIERMARGIN_SANITIZE cannot be combined")
  endif()
  target_compile_options(tiermargin_dev INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(tiermargin_dev INTERFACE -fsanitize=thread)
endif()
# Directory holding the bundled real data, for tests and examples.
set(TIERMARGIN_DATA_DIR "${PROJECT_SOURCE_DIR}/data")
