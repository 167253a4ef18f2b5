// SPDX-License-Identifier: BSL-1.0
// Must NOT compile as C++17: the test (tests/CMakeLists.txt) passes only if the compiler stops at the one
// #error naming C++20 instead of printing hundreds of unrelated errors.
#include <tiermargin/tiermargin.hpp>

int main() { return 0; }
