// SPDX-License-Identifier: BSL-1.0
/// @file calibrate.hpp  All of calibrate/: liquidity models, required-margin curve, tier optimizers, report.
#pragma once

#include "risk.hpp"
#include "tiers.hpp"

#include "calibrate/bracket_table.hpp"
#include "calibrate/coverage.hpp"
#include "calibrate/grid.hpp"
#include "calibrate/liquidity.hpp"
#include "calibrate/rate_levels.hpp"
#include "calibrate/report.hpp"
#include "calibrate/required_margin.hpp"
#include "calibrate/segmentation.hpp"
#include "calibrate/step_table.hpp"
