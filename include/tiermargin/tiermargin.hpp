// SPDX-License-Identifier: BSL-1.0
/// @file tiermargin.hpp  Umbrella header: the whole library, including the std-only CSV loaders; the JSON
/// loaders (io/json.hpp) need nlohmann_json and are included separately.
#pragma once

#include "calibrate.hpp"
#include "config.hpp"
#include "core.hpp"
#include "fwd.hpp"
#include "io.hpp"
#include "risk.hpp"
#include "tiers.hpp"
#include "venues.hpp"
#include "version.hpp"
