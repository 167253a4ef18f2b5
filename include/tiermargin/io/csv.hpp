// SPDX-License-Identifier: BSL-1.0
/// @file csv.hpp  All CSV readers and writers: price series (csv_series.hpp) and tier tables (csv_tiers.hpp).
/// Std only; no third-party dependency.
#pragma once

#include "csv_series.hpp"
#include "csv_tiers.hpp"
