// SPDX-License-Identifier: BSL-1.0
/// @file config.hpp  Namespace macros and the versioned inline namespace.
///
/// Every declaration lives in `tiermargin::v0`, an inline namespace, so that two translation units built
/// against different major versions fail to link instead of silently violating the ODR.
#pragma once

#include "version.hpp"

#define TIERMARGIN_NAMESPACE_BEGIN \
  namespace tiermargin {           \
  inline namespace v0 {
#define TIERMARGIN_NAMESPACE_END \
  }                              \
  }
