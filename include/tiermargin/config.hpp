// SPDX-License-Identifier: BSL-1.0
/// @file config.hpp  Namespace macros and the versioned inline namespace.
///
/// Every declaration lives in `tiermargin::v0`, an inline namespace, so that two translation units built
/// against different major versions fail to link instead of silently violating the ODR.
#pragma once

// C++20 is required (concepts, std::span, <bit>). Older modes would bury this in hundreds of errors, so stop
// at the first one: the #error names the problem and the missing include makes it fatal on GCC and Clang.
#if defined(_MSVC_LANG)
/// The language version in effect (`_MSVC_LANG` on MSVC, whose `__cplusplus` is 199711L by default).
#define TIERMARGIN_CPLUSPLUS _MSVC_LANG
#else
/// The language version in effect (`__cplusplus`).
#define TIERMARGIN_CPLUSPLUS __cplusplus
#endif
#if TIERMARGIN_CPLUSPLUS < 202002L
#error "tiermargin needs C++20: compile with -std=c++20 (or /std:c++20), or link the CMake target tiermargin::tiermargin, which requests cxx_std_20"
#include <tiermargin_requires_cpp20_see_error_above>
#endif

#include "version.hpp"

/// Opens `namespace tiermargin { inline namespace v0 {`; every public header wraps its declarations in it.
#define TIERMARGIN_NAMESPACE_BEGIN \
  namespace tiermargin {           \
  inline namespace v0 {
/// Closes what TIERMARGIN_NAMESPACE_BEGIN opened.
#define TIERMARGIN_NAMESPACE_END \
  }                              \
  }
