// SPDX-License-Identifier: BSL-1.0
// Every file reader says why a path cannot be read (a directory, a missing file) instead of reporting an
// empty or invalid text, under both error policies.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"
#include "tiermargin/io/csv.hpp"
#if TIERMARGIN_HAVE_JSON
#include "tiermargin/io/json.hpp"
#endif
#include "unit/io/temp_path.hpp"

namespace tmg = tiermargin;
namespace io = tiermargin::io;
using test_support::contains;
using test_support::message_of;

namespace {
struct quiet_policies : tmg::default_policies {
  using error = tmg::quiet_nan;
};

/// Runs every path-taking reader on `path`; `check(function, message, quiet_result_empty)` per reader.
template <class Check>
void for_each_reader(const std::string& path, Check&& check) {
  const auto run = [&](const char* function, auto&& loud, auto&& quiet) { check(function, message_of(loud), quiet()); };
  run("io::read_price_series", [&] { (void)io::read_price_series(path, "close"); },
      [&] { return io::read_price_series<tmg::quiet_nan>(path, "close").empty(); });
  run("io::read_tier_csv", [&] { (void)io::read_tier_csv(path); },
      [&] { return io::read_tier_csv<double, quiet_policies>(path).rows.empty(); });
  run("io::read_tiers", [&] { (void)io::read_tiers(path); },
      [&] { return io::read_tiers<double, quiet_policies>(path).empty(); });
  run("io::read_brackets", [&] { (void)io::read_brackets(path); },
      [&] { return io::read_brackets<double, quiet_policies>(path).empty(); });
  run("io::read_tier_table", [&] { (void)io::read_tier_table(path); },
      [&] { return !io::read_tier_table<double, quiet_policies>(path).valid(); });
#if TIERMARGIN_HAVE_JSON
  run("io::read_ccxt_leverage_tiers", [&] { (void)io::read_ccxt_leverage_tiers(path); },
      [&] { return io::read_ccxt_leverage_tiers<double, tmg::quiet_nan>(path).empty(); });
  run("io::read_binance_leverage_brackets", [&] { (void)io::read_binance_leverage_brackets(path); },
      [&] { return io::read_binance_leverage_brackets<double, tmg::quiet_nan>(path).empty(); });
  run("io::read_bybit_risk_limit", [&] { (void)io::read_bybit_risk_limit(path); },
      [&] { return io::read_bybit_risk_limit<double, tmg::quiet_nan>(path).empty(); });
  run("io::read_okx_position_tiers", [&] { (void)io::read_okx_position_tiers(path); },
      [&] { return io::read_okx_position_tiers<double, tmg::quiet_nan>(path).empty(); });
  run("io::read_hyperliquid_margin_table", [&] { (void)io::read_hyperliquid_margin_table(path); },
      [&] { return io::read_hyperliquid_margin_table<double, tmg::quiet_nan>(path).rows.empty(); });
  run("io::read_hyperliquid_margin_tables", [&] { (void)io::read_hyperliquid_margin_tables(path); },
      [&] { return io::read_hyperliquid_margin_tables<double, tmg::quiet_nan>(path).empty(); });
  run("io::read_hyperliquid_docs_tiers", [&] { (void)io::read_hyperliquid_docs_tiers(path); },
      [&] { return io::read_hyperliquid_docs_tiers<double, tmg::quiet_nan>(path).empty(); });
  run("io::read_binance_maint_brackets",
      [&] { (void)io::read_binance_maint_brackets(path, io::max_leverage_rule::floor_half_inverse_mmr); },
      [&] {
        return io::read_binance_maint_brackets<double, tmg::quiet_nan>(path, io::max_leverage_rule::floor_half_inverse_mmr)
            .empty();
      });
#endif
}
}  // namespace

TEST_CASE("A directory is reported as a directory by every reader", "[io][files]") {
  const test_support::temp_path dir("tiermargin_io_dir", "");
  REQUIRE(std::filesystem::create_directory(dir.path()));
  for_each_reader(dir.string(), [&](const char* function, const std::string& m, bool quiet_empty) {
    INFO(function << " -> " << m);
    CHECK(contains(m, std::string("tiermargin::") + function + ": argument 'path'"));
    CHECK(contains(m, "cannot open file \"" + dir.string() + "\": is a directory"));
    CHECK(!contains(m, "header"));
    CHECK(!contains(m, "JSON"));
    CHECK(quiet_empty);
  });
}

TEST_CASE("A missing file names the path and the system's reason", "[io][files]") {
  const test_support::temp_path dir("tiermargin_io_missing", "");
  // A long path: the message must carry it whole (not cut at 40 characters).
  const std::string path = dir.string() + "/no/such/directory/with/a/long/name/tiers.csv";
  for_each_reader(path, [&](const char* function, const std::string& m, bool quiet_empty) {
    INFO(function << " -> " << m);
    CHECK(contains(m, "cannot open file \"" + path + "\": No such file or directory"));
    CHECK(quiet_empty);
  });
}

TEST_CASE("An empty regular file still reaches the parser's own message", "[io][files]") {
  const test_support::temp_path file("tiermargin_io_empty", ".csv");
  { std::ofstream create(file.path()); }
  CHECK(contains(message_of([&] { (void)io::read_tier_csv(file.string()); }), "needs a header line"));
}

TEST_CASE("An unreadable file names the system's reason", "[io][files]") {
  const test_support::temp_path file("tiermargin_io_unreadable", ".csv");
  { std::ofstream create(file.path()); create << "floor,max_leverage\n0,10\n"; }
  std::filesystem::permissions(file.path(), std::filesystem::perms::none);
  if (std::ifstream(file.path()).is_open()) {
    WARN("running with permission to read any file (root?): the permission case cannot be exercised");
    return;
  }
  for_each_reader(file.string(), [&](const char* function, const std::string& m, bool quiet_empty) {
    INFO(function << " -> " << m);
    CHECK(contains(m, "cannot open file \"" + file.string() + "\": Permission denied"));
    CHECK(quiet_empty);
  });
}

TEST_CASE("Errors in a file's content name the reader that was called and the file", "[io][files][names]") {
  const test_support::temp_path file("tiermargin_io_bad", ".json");
  { std::ofstream create(file.path()); create << "{not json\n"; }
  for_each_reader(file.string(), [&](const char* function, const std::string& m, bool quiet_empty) {
    INFO(function << " -> " << m);
    CHECK(contains(m, std::string("tiermargin::") + function + ": "));
    CHECK(contains(m, file.string()));
    CHECK(quiet_empty);
  });
  // The JSON readers report where the text is broken: '{' then "no", the 'o' at line 1 column 3.
#if TIERMARGIN_HAVE_JSON
  CHECK(contains(message_of([&] { (void)io::read_okx_position_tiers(file.string()); }),
                 "tiermargin::io::read_okx_position_tiers: argument '" + file.string() + " line 1 column 3'"));
#endif
}
