// SPDX-License-Identifier: BSL-1.0
// libFuzzer target: io::parse_tier_csv (double and decimal<8>). Accepted tables must build, be continuous
// and read back identically after write_tiers.
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_common.hpp"
#include "tiermargin/io/csv_tiers.hpp"

namespace {
template <class Real>
void run(std::string_view text) {
  namespace io = tiermargin::io;
  const auto loaded = io::parse_tier_csv<Real, fuzz::quiet_policies>(text, "fuzz");
  bool threw = false;
  try {
    (void)io::parse_tier_csv<Real>(text, "fuzz");
  } catch (const tiermargin::error&) {
    threw = true;
  }
  fuzz::require(threw == loaded.rows.empty());
  if (loaded.rows.empty()) return;
  fuzz::check_loaded(loaded);
  const std::string written = io::format_tiers(std::span<const tiermargin::tier<Real>>(loaded.rows));
  const auto again = io::parse_tier_csv<Real, fuzz::quiet_policies>(written, "fuzz-written");
  fuzz::require(again.rows.size() == loaded.rows.size());
  for (std::size_t k = 0; k < loaded.rows.size(); ++k) {
    fuzz::require(again.rows[k].floor == loaded.rows[k].floor && again.rows[k].cap == loaded.rows[k].cap &&
                  again.rows[k].maint_rate == loaded.rows[k].maint_rate &&
                  again.rows[k].max_leverage == loaded.rows[k].max_leverage);
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::as_text(data, size);
  run<double>(text);
  run<fuzz::dec8>(text);
  return 0;
}
