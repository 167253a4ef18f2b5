// SPDX-License-Identifier: BSL-1.0
// The only header tests include for Catch2: v3's split headers where present, else v2's single header.
// Tests stay inside the common subset (TEST_CASE, SECTION, REQUIRE/CHECK, TEMPLATE_TEST_CASE,
// REQUIRE_THAT with WithinRel/WithinAbs, REQUIRE_THROWS_*).
#pragma once
#if __has_include(<catch2/catch_test_macros.hpp>)
#include <catch2/catch_template_test_macros.hpp>
#include <catch2/catch_test_macros.hpp>
#include <catch2/generators/catch_generators.hpp>
#include <catch2/matchers/catch_matchers_exception.hpp>
#include <catch2/matchers/catch_matchers_floating_point.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#else
#include <catch2/catch.hpp>
#endif

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
