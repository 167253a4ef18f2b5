// SPDX-License-Identifier: BSL-1.0
/// @file tiers.hpp  All of tiers/: tier rows, tier tables and the margin arithmetic on them.
#pragma once

#include "core.hpp"
#include "tiers/margin.hpp"
#include "tiers/tier.hpp"
#include "tiers/tier_table.hpp"
