// SPDX-License-Identifier: BSL-1.0
/// @file venues.hpp  All of venues/: each venue's margin conventions and liquidation formulas.
#pragma once

#include "tiers.hpp"
