// SPDX-License-Identifier: BSL-1.0
/// @file tiermargin.hpp  Umbrella header: the whole library except the optional io/json.hpp loaders
/// (which need nlohmann_json).
#pragma once

#include "calibrate.hpp"
#include "config.hpp"
#include "core.hpp"
#include "fwd.hpp"
#include "risk.hpp"
#include "tiers.hpp"
#include "venues.hpp"
#include "version.hpp"
