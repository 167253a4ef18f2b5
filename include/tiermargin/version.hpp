// SPDX-License-Identifier: BSL-1.0
/// @file version.hpp  Library version as macros and constants.
#pragma once

/// Major version; the inline namespace `v0` follows it.
#define TIERMARGIN_VERSION_MAJOR 0
/// Minor version.
#define TIERMARGIN_VERSION_MINOR 1
/// Patch version.
#define TIERMARGIN_VERSION_PATCH 0
/// Single integer for `#if` checks: major * 10000 + minor * 100 + patch.
#define TIERMARGIN_VERSION \
  (TIERMARGIN_VERSION_MAJOR * 10000 + TIERMARGIN_VERSION_MINOR * 100 + TIERMARGIN_VERSION_PATCH)
