// SPDX-License-Identifier: BSL-1.0
// libFuzzer target: the hyperliquid docs JSON loader of io/json.hpp (double and decimal<8>). Throwing and quiet
// policies must agree; every accepted table must build and be continuous.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"
#include "tiermargin/io/json.hpp"

namespace {
template <class Real>
void run(std::string_view text) {
  namespace io = tiermargin::io;
  const auto load = [&]<class E>() { return io::parse_hyperliquid_docs_tiers<Real, E>(text, "fuzz"); };
  const auto quiet = load.template operator()<tiermargin::quiet_nan>();
  bool threw = false;
  try {
    (void)load.template operator()<tiermargin::throw_errors>();
  } catch (const tiermargin::error&) {
    threw = true;
  }
  fuzz::require(threw == quiet.empty());
  if (!threw) fuzz::check_all(quiet);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  run<double>(text);
  run<fuzz::dec8>(text);
  return 0;
}
