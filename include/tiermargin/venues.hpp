// SPDX-License-Identifier: BSL-1.0
/// @file venues.hpp  All of venues/: each venue's margin conventions and liquidation formulas.
#pragma once

#include "tiers.hpp"
#include "venues/binance.hpp"
#include "venues/bybit.hpp"
#include "venues/dydx.hpp"
#include "venues/hyperliquid.hpp"
#include "venues/okx.hpp"
