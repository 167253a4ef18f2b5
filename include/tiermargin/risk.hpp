// SPDX-License-Identifier: BSL-1.0
/// @file risk.hpp  All of risk/: VaR and Expected Shortfall estimators.
#pragma once

#include "risk/estimator.hpp"
#include "risk/losses.hpp"
#include "risk/horizon.hpp"
#include "risk/quantile.hpp"
#include "risk/historical.hpp"
