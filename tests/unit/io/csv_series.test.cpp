// SPDX-License-Identifier: BSL-1.0
// Price-series CSV reader: the bundled real files (data/SOURCES.md gives rows, ranges and missing days)
// and every malformed-input path.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"
#include "unit/io/temp_path.hpp"
#include "tiermargin/io/csv_series.hpp"

namespace io = tiermargin::io;

namespace {
std::string data(const char* name) { return test_support::data_path(name); }
using test_support::contains;
using test_support::message_of;
}  // namespace

TEST_CASE("Yahoo BTC daily closes, volumes and the documented missing days", "[io][csv_series]") {
  const auto btc = io::read_price_series(data("btc_usd_daily_yahoo_2016_2021.csv"), "close");
  // SOURCES.md: 2002 rows, 2015-12-31 .. 2021-06-27. Closed form: 2006 calendar days in that range
  // (1 + 366 + 365 + 365 + 365 + 366 + 178) minus the 4 missing days = 2002.
  REQUIRE(btc.size() == 2002);
  CHECK(btc.frequency == io::series_frequency::daily);
  CHECK(btc.timestamps.front() == "2015-12-31");
  CHECK(btc.timestamps.back() == "2021-06-27");
  CHECK(btc.volume_column == "volume");
  REQUIRE(btc.volumes.size() == 2002);
  // First and last rows of the file: close 430.56698608 / 34649.64453125, volume 45996600 / 35511640894.
  CHECK(btc.values.front() == 430.56698608);
  CHECK(btc.values.back() == 34649.64453125);
  CHECK(btc.volumes.front() == 45996600.0);
  CHECK(btc.volumes.back() == 35511640894.0);
  // SOURCES.md: "Days still missing are 2020-04-17, 2020-10-09, 2020-10-12 and 2020-10-13".
  CHECK(io::missing_timestamps(btc) == std::vector<std::string>{"2020-04-17", "2020-10-09", "2020-10-12", "2020-10-13"});
  REQUIRE(btc.gaps.size() == 3);
  CHECK(btc.missing_periods() == 4);
  CHECK(btc.gaps[2].missing == 2);
  CHECK(btc.timestamps[btc.gaps[0].index] == "2020-04-18");
  CHECK(btc.timestamps[btc.gaps[0].index - 1] == "2020-04-16");
  // SOURCES.md crash day: 2020-03-12 close-to-close log return of BTC is -0.465.
  std::size_t i = 0;
  while (btc.timestamps[i] != "2020-03-12") ++i;
  REQUIRE_THAT(std::log(btc.values[i] / btc.values[i - 1]), Catch::Matchers::WithinAbs(-0.465, 0.0005));
}

TEST_CASE("Every bundled series reads with the gaps SOURCES.md lists", "[io][csv_series]") {
  SECTION("ETH daily: the same four days as BTC") {
    const auto eth = io::read_price_series(data("eth_usd_daily_yahoo_2016_2021.csv"), "open");
    CHECK(eth.size() == 2002);
    CHECK(io::missing_timestamps(eth) ==
          std::vector<std::string>{"2020-04-17", "2020-10-09", "2020-10-12", "2020-10-13"});
    // SOURCES.md: ETH 2020-03-12 close-to-close log return -0.551.
    const auto closes = io::read_price_series(data("eth_usd_daily_yahoo_2016_2021.csv"), "close");
    std::size_t i = 0;
    while (closes.timestamps[i] != "2020-03-12") ++i;
    REQUIRE_THAT(std::log(closes.values[i] / closes.values[i - 1]), Catch::Matchers::WithinAbs(-0.551, 0.0005));
  }
  SECTION("blockchain.com date,price: no volume column, 11 missing days") {
    const auto s = io::read_price_series(data("btc_usd_price_daily_blockchaincom_2010_2025.csv"), "price");
    CHECK(s.size() == 5257);
    CHECK(s.volumes.empty());
    CHECK(s.volume_column.empty());
    // SOURCES.md: missing 2010-08-17, 2024-02-17, 2024-06-14 .. 2024-06-17, 2024-12-04 .. 2024-12-08.
    CHECK(io::missing_timestamps(s) ==
          std::vector<std::string>{"2010-08-17", "2024-02-17", "2024-06-14", "2024-06-15", "2024-06-16", "2024-06-17",
                                   "2024-12-04", "2024-12-05", "2024-12-06", "2024-12-07", "2024-12-08"});
    CHECK(s.gaps.size() == 4);
  }
  SECTION("ETH open 2017-2025: 2025-01-15 missing") {
    const auto s = io::read_price_series(data("eth_usd_open_daily_yahoo_2017_2025.csv"), "open");
    CHECK(s.size() == 2625);
    CHECK(io::missing_timestamps(s) == std::vector<std::string>{"2025-01-15"});
  }
  SECTION("Coinbase hourly 2017-2019: no missing hours, volume_usd picked") {
    const auto s = io::read_price_series(data("btc_usd_hourly_coinbase_2017_2019.csv"), "close");
    // 838 days from 2017-07-01 to 2019-10-17 (184 + 365 + 289), 11:00 -> 09:00: 838*24 - 2 steps + 1 row.
    CHECK(s.size() == 838 * 24 - 2 + 1);
    CHECK(s.frequency == io::series_frequency::hourly);
    CHECK(s.gaps.empty());
    CHECK(s.volume_column == "volume_usd");
    CHECK(s.volumes.front() == 287000.32);
    const auto btc_volume = io::read_price_series(data("btc_usd_hourly_coinbase_2017_2019.csv"), "close",
                                                  {.volume_column = "volume_btc"});
    CHECK(btc_volume.volumes.front() == 114.6);
  }
  SECTION("Coinbase hourly 2024: 6115 rows, no gaps") {
    const auto s = io::read_price_series(data("btc_usd_hourly_coinbase_2024.csv"), "close", {.read_volume = false});
    CHECK(s.size() == 6115);
    CHECK(s.gaps.empty());
    CHECK(s.volumes.empty());
  }
}

TEST_CASE("Gaps and hourly grids in small series", "[io][csv_series]") {
  const auto s = io::parse_price_series("datetime_utc,close\n2024-02-28T22:00:00Z,1\n2024-02-28T23:00:00Z,2\n"
                                        "2024-02-29T02:00:00Z,3\n2024-03-01T00:00:00Z,4\n",
                                        "close");
  // 23:00 -> 02:00 misses 00:00 and 01:00; 2024-02-29T02 -> 2024-03-01T00 misses 21 hours (leap day).
  REQUIRE(s.gaps.size() == 2);
  CHECK(s.gaps[0] == io::series_gap{2, 2});
  CHECK(s.gaps[1] == io::series_gap{3, 21});
  const auto missing = io::missing_timestamps(s);
  REQUIRE(missing.size() == 23);
  CHECK(missing.front() == "2024-02-29T00:00:00Z");
  CHECK(missing.back() == "2024-02-29T23:00:00Z");
  // A grid offset from the full hour keeps its minutes.
  const auto offset = io::parse_price_series("datetime_utc,close\n2020-01-01T00:30:00Z,1\n2020-01-01T02:30:00Z,2\n", "close");
  CHECK(io::missing_timestamps(offset) == std::vector<std::string>{"2020-01-01T01:30:00Z"});
  // CRLF line ends, quoted fields and a trailing blank line.
  const auto q = io::parse_price_series("date,\"close\"\r\n1999-12-31,\"1.5\"\r\n2000-01-02,2\r\n\r\n", "close");
  REQUIRE(q.size() == 2);
  CHECK(q.values[0] == 1.5);
  CHECK(io::missing_timestamps(q) == std::vector<std::string>{"2000-01-01"});
}

TEST_CASE("Malformed series are reported with file, line and column", "[io][csv_series]") {
  const std::string good = "date,open,close,volume\n2020-01-01,1,2,3\n";
  struct bad_case {
    std::string text;
    const char* column;
    const char* expect1;
    const char* expect2;
  };
  const std::vector<bad_case> cases = {
      {good + "2020-01-02,1,abc,3\n", "close", "t.csv line 3 column 'close'", "abc"},
      {good + "2020-01-02,1,1e999,3\n", "close", "line 3 column 'close'", "out of range"},
      {good + "2020-01-02,1,nan,3\n", "close", "line 3 column 'close'", "must be a decimal number"},
      {good + "2020-01-02,1,,3\n", "close", "line 3 column 'close'", "must not be empty"},
      {good + "2020-01-02,1,0,3\n", "close", "line 3 column 'close'", "prices must be > 0"},
      {good + "2020-01-02,1,-4,3\n", "close", "line 3 column 'close'", "prices must be > 0"},
      {good + "2020-01-02,1,2,-3\n", "close", "line 3 column 'volume'", "volumes must be >= 0"},
      {good + "2020-01-01,1,2,3\n", "close", "line 3 column 'date'", "strictly increase"},
      {good + "2019-12-31,1,2,3\n", "close", "line 3 column 'date'", "strictly increase"},
      {good + "2020-02-30,1,2,3\n", "close", "line 3 column 'date'", "must be a date"},
      {good + "2020-01-02T01:00:00Z,1,2,3\n", "close", "line 3 column 'date'", "mixes dates"},
      {good + "2020-01-02,1,2\n", "close", "line 3", "number of fields"},
      {good, "closee", "line 1 column 'closee'", "date,open,close,volume"},
      {good, "date", "column 'date'", "timestamp column"},
      {"date,close\n", "close", "t.csv", "at least 1 data row"},
      {"", "close", "t.csv", "header"},
      {"datetime_utc,close\n2020-01-01T00:00:00Z,1\n2020-01-01T00:30:00Z,1\n", "close", "line 3", "hourly grid"},
  };
  for (const auto& c : cases) {
    const std::string m = message_of([&] { (void)io::parse_price_series(c.text, c.column, "t.csv"); });
    INFO(c.text << " -> " << m);
    CHECK(contains(m, "io::parse_price_series"));
    CHECK(contains(m, c.expect1));
    CHECK(contains(m, c.expect2));
    // quiet_nan: no throw, empty result.
    CHECK(io::parse_price_series<tiermargin::quiet_nan>(c.text, c.column, "t.csv").empty());
  }
  const test_support::temp_path absent("tiermargin_io_absent", ".csv");  // unique, never created
  const std::string missing_file = message_of([&] { (void)io::read_price_series(absent.string(), "close"); });
  CHECK(contains(missing_file, "io::read_price_series"));
  CHECK(contains(missing_file, absent.string()));
  const std::string bad_volume =
      message_of([&] { (void)io::parse_price_series(good, "close", "t.csv", {.volume_column = "vol"}); });
  CHECK(contains(bad_volume, "column 'vol'"));
}

TEST_CASE("Missing periods of a huge gap are ranges, not billions of strings", "[io][csv_series][gaps]") {
  // Two hourly rows 8,000 years apart. 2000-01-01 to 10000-01-01 is 20 Gregorian cycles of 146,097 days =
  // 2,921,940 days; the second row is 1 hour before 10000-01-01, so the rows are 2,921,940 x 24 - 1 =
  // 70,126,559 hours apart and 70,126,558 hours are missing (listing them would take > 4 GB).
  const auto s = io::parse_price_series("datetime_utc,close\n2000-01-01T00:00:00Z,1\n9999-12-31T23:00:00Z,2\n", "close");
  REQUIRE(s.gaps.size() == 1);
  CHECK(s.gaps[0] == io::series_gap{1, 70126558});
  CHECK(io::missing_ranges(s) ==
        std::vector<io::missing_range>{{"2000-01-01T01:00:00Z", "9999-12-31T22:00:00Z", 70126558}});
  const std::string m = message_of([&] { (void)io::missing_timestamps(s); });
  CHECK(contains(m, "tiermargin::io::missing_timestamps: argument 'series' = 70126558"));
  CHECK(contains(m, "missing_ranges"));
  CHECK(io::missing_timestamps<tiermargin::quiet_nan>(s).empty());
  // Below the limit the list is unchanged; an explicit limit applies exactly.
  const auto small = io::parse_price_series("date,close\n2020-01-01,1\n2020-01-04,2\n2020-01-06,3\n", "close");
  CHECK(io::missing_ranges(small) ==
        std::vector<io::missing_range>{{"2020-01-02", "2020-01-03", 2}, {"2020-01-05", "2020-01-05", 1}});
  CHECK(io::missing_timestamps(small, 3) == std::vector<std::string>{"2020-01-02", "2020-01-03", "2020-01-05"});
  CHECK(contains(message_of([&] { (void)io::missing_timestamps(small, 2); }), "= 3"));
  // A negative limit is the caller's mistake, named as such (it used to be reported on 'series').
  CHECK(contains(message_of([&] { (void)io::missing_timestamps(small, -1); }),
                 "tiermargin::io::missing_timestamps: argument 'limit' = -1: must be >= 0"));
  CHECK(io::missing_timestamps<tiermargin::quiet_nan>(small, -1).empty());
}
