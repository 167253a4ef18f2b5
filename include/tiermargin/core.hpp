// SPDX-License-Identifier: BSL-1.0
/// @file core.hpp  All of core/: scalars, decimal, rounding, errors, lookup, policy bundle.
#pragma once

#include "core/boost_policy.hpp"
#include "core/check.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/lookup.hpp"
#include "core/policies.hpp"
#include "core/rounding.hpp"
#include "core/scalar.hpp"
