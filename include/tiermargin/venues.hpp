// SPDX-License-Identifier: BSL-1.0
/// @file venues.hpp  All of venues/: each venue's margin conventions and liquidation formulas, with the
/// single-position tier arithmetic they build on (tiers/batch_margin.hpp and its SIMD kernels are not
/// included: add tiers.hpp for them).
#pragma once

#include "core/decimal.hpp"
#include "core/policies.hpp"
#include "tiers/liquidation.hpp"
#include "tiers/margin.hpp"
#include "tiers/tier_table.hpp"
#include "venues/binance.hpp"
#include "venues/bybit.hpp"
#include "venues/dydx.hpp"
#include "venues/hyperliquid.hpp"
#include "venues/okx.hpp"
