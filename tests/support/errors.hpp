// SPDX-License-Identifier: BSL-1.0
// Helpers for error tests: a quiet_nan bundle, the message an expression throws, and a check that the
// message names the function and the argument.
#pragma once

#include <tiermargin/core/policies.hpp>

#include <string>

#include "catch.hpp"

namespace test_support {

/// The default bundle with errors returned as NaN.
struct nan_policies : tiermargin::default_policies {
  using error = tiermargin::quiet_nan;
};

/// The text of the `tiermargin::error` that `f()` throws, or "" when it does not throw.
template <class F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const tiermargin::error& e) {
    return e.what();
  }
  return {};
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// `f()` must throw a `tiermargin::error` whose message names `function` and `'argument'`.
template <class F>
void check_error_names(F&& f, const std::string& function, const std::string& argument) {
  const std::string what = message_of(f);
  INFO("expected an error naming " << function << " / " << argument << ", got: " << what);
  CHECK(contains(what, function));
  CHECK(contains(what, "'" + argument + "'"));
}

/// Path of a bundled data file.
inline std::string data_path(const char* name) { return std::string(TIERMARGIN_DATA_DIR) + "/" + name; }

}  // namespace test_support
