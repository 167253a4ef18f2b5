// SPDX-License-Identifier: BSL-1.0
// libFuzzer target: the hyperliquid JSON loader of io/json.hpp (double and decimal<8>). Throwing and quiet
// policies must agree; every accepted table must build and be continuous.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"
#include "tiermargin/io/json.hpp"

namespace {
template <class Real>
void run(std::string_view text) {
  namespace io = tiermargin::io;
  fuzz::check_policies_agree([&]<class E>() { return io::parse_hyperliquid_margin_table<Real, E>(text, "fuzz"); });
  // The meta marginTables form of the same loader.
  fuzz::check_policies_agree([&]<class E>() { return io::parse_hyperliquid_margin_tables<Real, E>(text, "fuzz"); });
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  run<double>(text);
  run<fuzz::dec8>(text);
  return 0;
}
