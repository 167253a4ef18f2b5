// SPDX-License-Identifier: BSL-1.0
/// @file risk.hpp  All of risk/: VaR and Expected Shortfall estimators.
#pragma once

#include "risk/estimator.hpp"
