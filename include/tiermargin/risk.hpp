// SPDX-License-Identifier: BSL-1.0
/// @file risk.hpp  All of risk/: VaR and Expected Shortfall estimators.
#pragma once

#include "risk/estimator.hpp"
#include "risk/losses.hpp"
#include "risk/horizon.hpp"
#include "risk/quantile.hpp"
#include "risk/historical.hpp"
#include "risk/rolling.hpp"
#include "risk/normal.hpp"
#include "risk/student_t.hpp"
#include "risk/cornish_fisher.hpp"
#include "risk/ewma.hpp"
#include "risk/evt.hpp"
#include "risk/xoshiro256.hpp"
#include "risk/monte_carlo.hpp"
#include "risk/portfolio.hpp"
