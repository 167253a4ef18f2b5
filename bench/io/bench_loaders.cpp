// SPDX-License-Identifier: BSL-1.0
// Loader throughput on large generated venue dumps (io/json.hpp, io/csv.hpp), beside a naive baseline timed
// in the same iterations (thread CPU time, so a busy neighbour slows both alike):
//  - BM_Json<format>/MB: one loader on a generated document of about MB megabytes (N symbols of 4 tiers,
//    valid for every check of the loader). Counter vs_bare_parse = loader time / time of nlohmann's bare
//    `nlohmann::json::parse` of the same text (a DOM and nothing else: the floor for any loader built on
//    it). Target: <= 3 at 100 MB.
//  - BM_CsvTiers/MB, BM_CsvSeries/MB: one tier table of many tiers; an hourly price series. Counter
//    vs_bare_split = loader time / a bare pass that splits the lines at commas and reads every field with
//    std::from_chars (no validation, no result kept).
// The default run is short (1 MB documents; CI smoke-runs it with --benchmark_min_time=0.001). The 100 MB
// documents (~1.5 GB of DOM at a time) are registered only when the environment asks for them:
//   TIERMARGIN_BENCH_IO_MB=100 build/bench/bench_loaders --benchmark_filter='/100$' --benchmark_min_time=1
#include <tiermargin/io/csv.hpp>
#include <tiermargin/io/json.hpp>

#include <benchmark/benchmark.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "support/counters.hpp"

namespace io = tiermargin::io;

namespace {

// Four tiers per symbol, the same for every symbol (floors in multiples of 100,000):
// rates 0.5%, 1%, 2%, 2.5% at 100x, 50x, 25x, 20x (IMR = 1/leverage = 2 x MMR); deductions by the
// recursion cum_k = cum_{k-1} + floor_k (mmr_k - mmr_{k-1}): 0, 500, 2,500, 4,000.
constexpr int tiers = 4;
constexpr const char* rate[tiers] = {"0.005", "0.01", "0.02", "0.025"};
constexpr const char* initial[tiers] = {"0.01", "0.02", "0.04", "0.05"};
constexpr const char* leverage[tiers] = {"100", "50", "25", "20"};
constexpr const char* cum[tiers] = {"0", "500", "2500", "4000"};
std::string floor_of(int k) { return std::to_string(100000 * k); }
std::string cap_of(int k) { return std::to_string(100000 * (k + 1)); }
std::string symbol(std::size_t i) {
  std::string s = "S";  // built by appends: GCC 12's -Wrestrict misfires on "S" + std::to_string(i) (PR 105329)
  s += std::to_string(i);
  s += "USDT";
  return s;
}

/// Appends `item(i)` separated by commas until `out` reaches `bytes`; returns the count.
std::size_t fill(std::string& out, std::size_t bytes, const std::function<void(std::string&, std::size_t)>& item) {
  std::size_t n = 0;
  while (out.size() < bytes) {
    if (n) out += ",\n";
    item(out, n++);
  }
  return n;
}

/// Generated text (built with append/+=: `text = "..."` trips GCC 12's false -Wrestrict, PR 105329).
struct document {
  std::string text;
  std::size_t symbols = 0;
};

document ccxt(std::size_t bytes) {
  document d;
  d.text.append("{");
  d.symbols = fill(d.text, bytes, [](std::string& o, std::size_t i) {
    const std::string s = symbol(i) + ":USDT";
    o += "\"" + s + "\":[";
    for (int k = 0; k < tiers; ++k)
      o += std::string(k ? "," : "") + "{\"tier\":" + std::to_string(k + 1) + ",\"symbol\":\"" + s +
           "\",\"currency\":\"USDT\",\"minNotional\":" + floor_of(k) + ",\"maxNotional\":" + cap_of(k) +
           ",\"maintenanceMarginRate\":" + rate[k] + ",\"maxLeverage\":" + leverage[k] + ",\"info\":{\"cum\":\"" +
           cum[k] + "\"}}";
    o += "]";
  });
  d.text += "}";
  return d;
}

document binance(std::size_t bytes) {
  document d;
  d.text.append("[");
  d.symbols = fill(d.text, bytes, [](std::string& o, std::size_t i) {
    o += "{\"symbol\":\"" + symbol(i) + "\",\"brackets\":[";
    for (int k = 0; k < tiers; ++k)
      o += std::string(k ? "," : "") + "{\"bracket\":" + std::to_string(k + 1) + ",\"initialLeverage\":" + leverage[k] +
           ",\"notionalCap\":" + cap_of(k) + ",\"notionalFloor\":" + floor_of(k) + ",\"maintMarginRatio\":" + rate[k] +
           ",\"cum\":" + cum[k] + "}";
    o += "]}";
  });
  d.text += "]";
  return d;
}

document bybit(std::size_t bytes) {
  document d;
  d.text.append("{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"category\":\"linear\",\"list\":[");
  d.symbols = fill(d.text, bytes, [](std::string& o, std::size_t i) {
    for (int k = 0; k < tiers; ++k)
      o += std::string(k ? "," : "") + "{\"id\":" + std::to_string(k + 1) + ",\"symbol\":\"" + symbol(i) +
           "\",\"riskLimitValue\":\"" + cap_of(k) + "\",\"maintenanceMargin\":\"" + rate[k] + "\",\"initialMargin\":\"" +
           initial[k] + "\",\"isLowestRisk\":" + (k ? "0" : "1") + ",\"maxLeverage\":\"" + leverage[k] +
           ".00\",\"mmDeduction\":\"" + (k ? cum[k] : "") + "\"}";
  });
  d.text += "]}}";
  return d;
}

document okx(std::size_t bytes) {
  document d;
  d.text.append("{\"code\":\"0\",\"msg\":\"\",\"data\":[");
  d.symbols = fill(d.text, bytes, [](std::string& o, std::size_t i) {
    const std::string s = symbol(i);
    for (int k = 0; k < tiers; ++k)
      o += std::string(k ? "," : "") + "{\"uly\":\"" + s + "\",\"instFamily\":\"" + s + "\",\"instId\":\"\",\"tier\":\"" +
           std::to_string(k + 1) + "\",\"minSz\":\"" + (k ? std::to_string(100000 * k + 1) : "0") + "\",\"maxSz\":\"" +
           cap_of(k) + "\",\"mmr\":\"" + rate[k] + "\",\"imr\":\"" + initial[k] + "\",\"maxLever\":\"" + leverage[k] +
           "\",\"optMgnFactor\":\"0\",\"quoteMaxLoan\":\"\",\"baseMaxLoan\":\"\"}";
  });
  d.text += "]}";
  return d;
}

document hyperliquid_meta(std::size_t bytes) {
  document d;
  d.text.append("{\"universe\":[],\"marginTables\":[");
  d.symbols = fill(d.text, bytes, [](std::string& o, std::size_t i) {
    o += "[" + std::to_string(i) + ",{\"description\":\"tiered 40x\",\"marginTiers\":[";
    for (int k = 0; k < tiers; ++k)
      o += std::string(k ? "," : "") + "{\"lowerBound\":\"" + floor_of(k) + ".0\",\"maxLeverage\":" + leverage[k] + "}";
    o += "]}]";
  });
  d.text += "]}";
  return d;
}

document hyperliquid_docs(std::size_t bytes) {
  document d;
  d.text.append("{\"tiers\":{");
  d.symbols = fill(d.text, bytes, [](std::string& o, std::size_t i) {
    o += "\"C" + std::to_string(i) + "\":{\"margin_table_id\":" + std::to_string(i) +
         ",\"description\":\"tiered\",\"tiers\":[";
    for (int k = 0; k < tiers; ++k)
      o += std::string(k ? "," : "") + "{\"lower_bound_usdc\":" + floor_of(k) + ",\"max_leverage\":" + leverage[k] + "}";
    o += "]}";
  });
  d.text += "}}";
  return d;
}

document binance_maint(std::size_t bytes) {
  document d;
  d.text.append("{\"leverageBrackets\":{");
  d.symbols = fill(d.text, bytes, [](std::string& o, std::size_t i) {
    o += "\"" + symbol(i) + ":USDT\":[";
    for (int k = 0; k < tiers; ++k) o += std::string(k ? "," : "") + "[\"" + floor_of(k) + "\",\"" + rate[k] + "\"]";
    o += "]";
  });
  d.text += "}}";
  return d;
}

std::size_t megabytes(const benchmark::State& state) { return static_cast<std::size_t>(state.range(0)) << 20; }

/// Times `load(text)` and the bare nlohmann parse of the same text in the same iterations.
template <class Load>
void run_json(benchmark::State& state, document (*generate)(std::size_t), Load load) {
  const document d = generate(megabytes(state));
  if (load(d.text) != d.symbols) {
    state.SkipWithError("the loader did not return every generated symbol");
    return;
  }
  double loader_seconds = 0.0, bare_seconds = 0.0;
  for (auto _ : state) {
    const double t0 = bench_support::thread_seconds();
    benchmark::DoNotOptimize(load(d.text));
    const double t1 = bench_support::thread_seconds();
    {
      const nlohmann::json bare = nlohmann::json::parse(d.text);
      benchmark::DoNotOptimize(bare.size());
    }
    const double t2 = bench_support::thread_seconds();
    loader_seconds += t1 - t0;
    bare_seconds += t2 - t1;
  }
  bench_support::set_bytes(state, d.text.size());
  state.counters["symbols"] = static_cast<double>(d.symbols);
  state.counters["vs_bare_parse"] = bare_seconds > 0.0 ? loader_seconds / bare_seconds : 0.0;
}

void BM_JsonCcxt(benchmark::State& state) {
  run_json(state, ccxt, [](std::string_view t) { return io::parse_ccxt_leverage_tiers(t).size(); });
}
void BM_JsonBinance(benchmark::State& state) {
  run_json(state, binance, [](std::string_view t) { return io::parse_binance_leverage_brackets(t).size(); });
}
void BM_JsonBybit(benchmark::State& state) {
  run_json(state, bybit, [](std::string_view t) { return io::parse_bybit_risk_limit(t).size(); });
}
void BM_JsonOkx(benchmark::State& state) {
  run_json(state, okx, [](std::string_view t) { return io::parse_okx_position_tiers(t).size(); });
}
void BM_JsonHyperliquidMeta(benchmark::State& state) {
  run_json(state, hyperliquid_meta, [](std::string_view t) { return io::parse_hyperliquid_margin_tables(t).size(); });
}
void BM_JsonHyperliquidDocs(benchmark::State& state) {
  run_json(state, hyperliquid_docs, [](std::string_view t) { return io::parse_hyperliquid_docs_tiers(t).size(); });
}
void BM_JsonBinanceMaint(benchmark::State& state) {
  run_json(state, binance_maint, [](std::string_view t) {
    return io::parse_binance_maint_brackets(t, io::max_leverage_rule::floor_half_inverse_mmr).size();
  });
}

/// The naive CSV baseline: split lines at commas and read every field that parses as a number.
double bare_split(std::string_view text) {
  double sum = 0.0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find_first_of(",\n", pos);
    if (end == std::string_view::npos) end = text.size();
    double v = 0.0;
    if (std::from_chars(text.data() + pos, text.data() + end, v).ec == std::errc{}) sum += v;
    pos = end + 1;
  }
  return sum;
}

template <class Load>
void run_csv(benchmark::State& state, const std::string& text, std::size_t rows, Load load) {
  if (load(text) != rows) {
    state.SkipWithError("the loader did not return every generated row");
    return;
  }
  double loader_seconds = 0.0, bare_seconds = 0.0;
  for (auto _ : state) {
    const double t0 = bench_support::thread_seconds();
    benchmark::DoNotOptimize(load(text));
    const double t1 = bench_support::thread_seconds();
    benchmark::DoNotOptimize(bare_split(text));
    const double t2 = bench_support::thread_seconds();
    loader_seconds += t1 - t0;
    bare_seconds += t2 - t1;
  }
  bench_support::set_bytes(state, text.size());
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["vs_bare_split"] = bare_seconds > 0.0 ? loader_seconds / bare_seconds : 0.0;
}

void BM_CsvTiers(benchmark::State& state) {
  // One table of many tiers: floors 0, 1000, 2000, ..., all at 0.4% and 125x (equal rates and leverages
  // are allowed), deductions derived (all 0).
  std::string text = "floor,cap,maint_rate,max_leverage\n";
  std::size_t rows = 0;
  while (text.size() < megabytes(state)) {
    text += std::to_string(1000 * rows) + "," + std::to_string(1000 * (rows + 1)) + ",0.004,125\n";
    ++rows;
  }
  run_csv(state, text, rows, [](std::string_view t) { return io::parse_tier_csv(t).rows.size(); });
}

void BM_CsvSeries(benchmark::State& state) {
  // Hourly closes from 2000-01-01, every 7th hour missing (a gap each week of hours).
  std::string text = "datetime_utc,close,volume\n";
  std::size_t rows = 0;
  for (std::int64_t hour = 0; text.size() < megabytes(state); ++hour) {
    if (hour % 7 == 6) continue;
    text += io::detail::format_period(946684800 + 3600 * hour, true) + "," + std::to_string(20000 + hour % 977) +
            ".25,1.5\n";
    ++rows;
  }
  run_csv(state, text, rows, [](std::string_view t) { return io::parse_price_series(t, "close").size(); });
}

/// Registers every benchmark at 1 MB, and at TIERMARGIN_BENCH_IO_MB megabytes when that is set.
int register_sizes() {
  std::vector<std::int64_t> sizes = {1};
  if (const char* mb = std::getenv("TIERMARGIN_BENCH_IO_MB")) {
    const long value = std::strtol(mb, nullptr, 10);
    if (value > 1) sizes.push_back(value);
  }
  const std::pair<const char*, void (*)(benchmark::State&)> all[] = {
      {"BM_JsonCcxt", BM_JsonCcxt},
      {"BM_JsonBinance", BM_JsonBinance},
      {"BM_JsonBybit", BM_JsonBybit},
      {"BM_JsonOkx", BM_JsonOkx},
      {"BM_JsonHyperliquidMeta", BM_JsonHyperliquidMeta},
      {"BM_JsonHyperliquidDocs", BM_JsonHyperliquidDocs},
      {"BM_JsonBinanceMaint", BM_JsonBinanceMaint},
      {"BM_CsvTiers", BM_CsvTiers},
      {"BM_CsvSeries", BM_CsvSeries},
  };
  for (const auto& [name, function] : all) {
    auto* b = benchmark::RegisterBenchmark(name, function)->Unit(benchmark::kMillisecond);
    for (const std::int64_t mb : sizes) b->Arg(mb);
  }
  return 0;
}
[[maybe_unused]] const int registered = register_sizes();

}  // namespace
