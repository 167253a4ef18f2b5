// SPDX-License-Identifier: BSL-1.0
/// @file tiers.hpp  All of tiers/: tier rows, tier tables, the margin arithmetic on them (single and batch)
/// and liquidation prices, with the core/ headers they use (not the Boost.Math adapter, which only risk/
/// needs).
#pragma once

#include "core/check.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/lookup.hpp"
#include "core/policies.hpp"
#include "core/rounding.hpp"
#include "core/scalar.hpp"
#include "tiers/batch_margin.hpp"
#include "tiers/liquidation.hpp"
#include "tiers/margin.hpp"
#include "tiers/tier.hpp"
#include "tiers/tier_table.hpp"
