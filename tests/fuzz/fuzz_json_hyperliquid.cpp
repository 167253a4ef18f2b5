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
  const auto load = [&]<class E>() { return io::parse_hyperliquid_margin_table<Real, E>(text, "fuzz"); };
  const auto quiet = load.template operator()<tiermargin::quiet_nan>();
  bool threw = false;
  try {
    (void)load.template operator()<tiermargin::throw_errors>();
  } catch (const tiermargin::error&) {
    threw = true;
  }
  fuzz::require(threw == quiet.rows.empty());
  if (!threw) fuzz::check_loaded(quiet);
  // The meta marginTables form of the same loader.
  const auto tables = io::parse_hyperliquid_margin_tables<Real, tiermargin::quiet_nan>(text, "fuzz");
  bool tables_threw = false;
  try {
    (void)io::parse_hyperliquid_margin_tables<Real>(text, "fuzz");
  } catch (const tiermargin::error&) {
    tables_threw = true;
  }
  fuzz::require(tables_threw == tables.empty());
  if (!tables_threw) fuzz::check_all(tables);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  run<double>(text);
  run<fuzz::dec8>(text);
  return 0;
}
