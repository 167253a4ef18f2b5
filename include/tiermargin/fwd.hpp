// SPDX-License-Identifier: BSL-1.0
/// @file fwd.hpp  Cheap forward declarations of the main class templates and policies.
#pragma once

#include "config.hpp"

TIERMARGIN_NAMESPACE_BEGIN
struct default_policies;
struct throw_errors;
struct quiet_nan;
struct terminate_errors;
template <class Real> struct bracket;
template <class Real> struct tier;
TIERMARGIN_NAMESPACE_END
