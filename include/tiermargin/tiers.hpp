// SPDX-License-Identifier: BSL-1.0
/// @file tiers.hpp  All of tiers/: tier rows, tier tables, the margin arithmetic on them and liquidation prices.
#pragma once

#include "core.hpp"
#include "tiers/liquidation.hpp"
#include "tiers/margin.hpp"
#include "tiers/tier.hpp"
#include "tiers/tier_table.hpp"
