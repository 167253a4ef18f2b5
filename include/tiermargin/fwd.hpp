// SPDX-License-Identifier: BSL-1.0
/// @file fwd.hpp  Cheap forward declarations (no standard headers) of the policy structs, for headers that
/// only name them. Class templates are declared in their own headers, next to their constraints.
#pragma once

#include "config.hpp"

TIERMARGIN_NAMESPACE_BEGIN
struct default_policies;
struct throw_errors;
struct quiet_nan;
struct terminate_errors;
struct no_rounding;
struct linear_scan_lookup;
struct binary_search_lookup;
struct branchless_lookup;
struct bucketed_lookup;
struct cumulative_convention;
struct flat_convention;
struct beyond_cap_error;
struct beyond_cap_clamp;
TIERMARGIN_NAMESPACE_END
