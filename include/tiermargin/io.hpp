// SPDX-License-Identifier: BSL-1.0
/// @file io.hpp  The dependency-free part of io/: CSV price series and tier tables.
/// The JSON tier loaders are in io/json.hpp, which needs nlohmann_json and is included separately.
#pragma once

#include "io/csv.hpp"
#include "io/symbol_tiers.hpp"
