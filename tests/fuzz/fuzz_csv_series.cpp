// SPDX-License-Identifier: BSL-1.0
// libFuzzer target: io::parse_price_series. Accepted series must be strictly increasing, positive, with
// consistent gap bookkeeping.
#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"
#include "tiermargin/io/csv_series.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace io = tiermargin::io;
  const auto text = fuzz::as_text(data, size);
  for (const char* column : {"close", "price", "open"}) {
    const auto quiet = io::parse_price_series<tiermargin::quiet_nan>(text, column, "fuzz");
    io::price_series thrown;
    bool threw = false;
    try {
      thrown = io::parse_price_series(text, column, "fuzz");
    } catch (const tiermargin::error&) {
      threw = true;
    }
    fuzz::require(threw == quiet.empty());  // both policies agree on what is an error
    if (threw) continue;
    fuzz::require(quiet.values == thrown.values && quiet.gaps == thrown.gaps);
    fuzz::require(quiet.timestamps.size() == quiet.values.size());
    fuzz::require(quiet.volumes.empty() || quiet.volumes.size() == quiet.values.size());
    for (double v : quiet.values) fuzz::require(v > 0.0 && std::isfinite(v));
    for (const auto& g : quiet.gaps) fuzz::require(g.missing >= 1 && g.index >= 1 && g.index < quiet.values.size());
    // Ranges are O(gaps) whatever the gap lengths; the per-period list is bounded by its limit.
    const auto ranges = io::missing_ranges(quiet);
    fuzz::require(ranges.size() == quiet.gaps.size());
    std::int64_t ranged = 0;
    for (const auto& r : ranges) ranged += r.count;
    fuzz::require(ranged == quiet.missing_periods());
    const auto listed = io::missing_timestamps<tiermargin::quiet_nan>(quiet, 10000);
    fuzz::require(quiet.missing_periods() > 10000 ? listed.empty()
                                                  : listed.size() == static_cast<std::size_t>(quiet.missing_periods()));
    if (!listed.empty()) fuzz::require(listed.front() == ranges.front().first && listed.back() == ranges.back().last);
  }
  return 0;
}
