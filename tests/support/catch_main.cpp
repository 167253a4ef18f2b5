// SPDX-License-Identifier: BSL-1.0
// Catch2 v2's main, compiled with the tests' own standard library (TIERMARGIN_CATCH_MAIN_FROM_SOURCE).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
