// SPDX-License-Identifier: BSL-1.0
/// @file calibrate.hpp  All of calibrate/: liquidity models, required-margin curve, tier optimizers, report.
#pragma once

#include "risk.hpp"
#include "tiers.hpp"
