// SPDX-License-Identifier: BSL-1.0
/// @file csv_series.hpp  Read daily or hourly price series from CSV, reporting calendar gaps.
///
/// Format (data/SOURCES.md): one header line, then one row per period, oldest first. The first column is
/// the timestamp: a date `YYYY-MM-DD` (daily data, e.g. `date,open,high,low,close,volume`, `date,price`,
/// `date,open`) or a UTC date-time `YYYY-MM-DDTHH:MM:SSZ` (hourly data, e.g.
/// `datetime_utc,open,high,low,close,volume_btc,volume_usd`). The value column is chosen by name.
///
/// Gaps are reported, never filled: `price_series::gaps` lists every place where one or more calendar
/// days (daily data) or hours (hourly data) are missing, and how many; `missing_ranges` gives them as
/// first/last timestamps (O(gaps)), `missing_timestamps` one string per missing period (bounded). Bad
/// input is reported through the error policy with the file, line and column in the message: a missing
/// column, a malformed or
/// non-finite number, a non-positive price, a negative volume, a malformed or non-increasing timestamp,
/// a row with the wrong number of fields. Under a non-throwing policy the result is an empty series.
/// Std only (no third-party dependency).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "../core/error.hpp"
#include "text.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace io {

/// Sampling period of a series, fixed by the timestamp format (date only: daily; date-time: hourly).
enum class series_frequency { daily, hourly };

/// One hole in a series: `missing` periods are absent between observations `index - 1` and `index`.
struct series_gap {
  std::size_t index = 0;      ///< position (in values/timestamps) of the first observation after the gap
  std::int64_t missing = 0;   ///< number of absent days (daily) or hours (hourly), >= 1
  /// Field-by-field equality.
  friend bool operator==(const series_gap&, const series_gap&) = default;
};

/// A price series as read: timestamps as written in the file, the chosen column, volumes and gaps.
struct price_series {
  std::string source;                    ///< file name (or the name given to parse_price_series)
  std::string column;                    ///< name of the value column
  std::string volume_column;             ///< name of the volume column read, "" when none
  series_frequency frequency = series_frequency::daily;  ///< hourly when the timestamps carry a time
  std::vector<std::string> timestamps;   ///< verbatim, strictly increasing
  std::vector<double> values;            ///< finite and > 0
  std::vector<double> volumes;           ///< finite and >= 0; empty when no volume column was read
  std::vector<series_gap> gaps;          ///< in order of position

  /// Number of observations.
  std::size_t size() const noexcept { return values.size(); }
  /// True when there is no observation.
  bool empty() const noexcept { return values.empty(); }
  /// Total number of missing periods over all gaps.
  std::int64_t missing_periods() const noexcept {
    std::int64_t n = 0;
    for (const series_gap& g : gaps) n += g.missing;
    return n;
  }
};

/// Options of the series readers.
struct series_options {
  /// Volume column to read. Empty (the default) picks `volume`, else `volume_usd`, else none.
  std::string_view volume_column = {};
  /// False: read no volumes even when a volume column exists.
  bool read_volume = true;
};

namespace detail {
/// `parse_price_series` naming `fn`, the public function called, in its errors.
template <error_policy Error>
price_series parse_price_series(const char* fn,
                                std::string_view text, std::string_view column, std::string_view source,
                                const series_options& options) noexcept(Error::is_noexcept) {
  using detail::fail;
  using detail::located;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  price_series out;
  out.source = std::string(source);
  out.column = std::string(column);

  detail::line_reader lines(text);
  std::string_view line;
  std::size_t line_no = 0;
  std::vector<std::string> header, fields;
  const detail::header_status header_read = detail::read_header(lines, header, line_no);
  if (header_read == detail::header_status::unterminated_quote) {
    fail<Error>(error_kind::invalid_argument, fn, located(source, line_no, ""), nan, "header has an unterminated quote");
    return {};
  }
  if (header_read == detail::header_status::empty) {
    fail<Error>(error_kind::insufficient_data, fn, located(source, 1, ""), nan,
                "needs a header line and at least 1 data row; the text is empty");
    return {};
  }
  const auto find_column = [&](std::string_view name) -> std::size_t {
    for (std::size_t c = 0; c < header.size(); ++c)
      if (header[c] == name) return c;
    return header.size();
  };
  std::string header_list;
  for (std::size_t c = 0; c < header.size(); ++c) header_list += (c ? "," : "") + header[c];
  const std::size_t value_col = find_column(column);
  if (value_col == header.size() || value_col == 0) {
    fail<Error>(error_kind::invalid_argument, fn, located(source, line_no, column), nan,
                value_col == 0 ? "is the timestamp column, not a value column"
                               : "no such column; the header is: " + header_list);
    return {};
  }
  std::size_t volume_col = header.size();
  if (options.read_volume) {
    if (!options.volume_column.empty()) {
      volume_col = find_column(options.volume_column);
      if (volume_col == header.size() || volume_col == 0) {
        fail<Error>(error_kind::invalid_argument, fn, located(source, line_no, options.volume_column), nan,
                    "no such volume column; the header is: " + header_list);
        return {};
      }
    } else {
      volume_col = find_column("volume");
      if (volume_col == header.size()) volume_col = find_column("volume_usd");
      if (volume_col == 0) volume_col = header.size();
    }
    if (volume_col < header.size()) out.volume_column = header[volume_col];
  }

  std::int64_t previous = 0;
  std::int64_t period = 86400;
  while (lines.next(line, line_no)) {
    if (detail::is_blank(line)) continue;
    if (!detail::split_csv_line(line, fields)) {
      fail<Error>(error_kind::invalid_argument, fn, located(source, line_no, ""), nan, "unterminated quote");
      return {};
    }
    if (fields.size() != header.size()) {
      fail<Error>(error_kind::invalid_argument, fn, located(source, line_no, ""), static_cast<double>(fields.size()),
                  "number of fields must equal the header's (" + std::to_string(header.size()) + ")");
      return {};
    }
    const auto stamp = detail::parse_timestamp(fields[0]);
    if (!stamp) {
      fail<Error>(error_kind::invalid_argument, fn, located(source, line_no, header[0]), nan,
                  "must be a date YYYY-MM-DD or a UTC date-time YYYY-MM-DDTHH:MM:SSZ, got " + detail::quote_text(fields[0]));
      return {};
    }
    if (out.timestamps.empty()) {
      out.frequency = stamp->has_time ? series_frequency::hourly : series_frequency::daily;
      period = stamp->has_time ? 3600 : 86400;
    } else {
      if (stamp->has_time != (out.frequency == series_frequency::hourly)) {
        fail<Error>(error_kind::invalid_argument, fn, located(source, line_no, header[0]), nan,
                    "mixes dates and date-times, got " + detail::quote_text(fields[0]));
        return {};
      }
      const std::int64_t diff = stamp->seconds - previous;
      if (diff <= 0) {
        fail<Error>(error_kind::invalid_argument, fn, located(source, line_no, header[0]), nan,
                    "timestamps must strictly increase, got " + detail::quote_text(fields[0]) + " after " +
                        detail::quote_text(out.timestamps.back()));
        return {};
      }
      if (diff % period != 0) {
        fail<Error>(error_kind::invalid_argument, fn, located(source, line_no, header[0]), nan,
                    "must lie on the hourly grid of the previous row, got " + detail::quote_text(fields[0]));
        return {};
      }
      if (diff > period) out.gaps.push_back({out.values.size(), diff / period - 1});
    }
    previous = stamp->seconds;

    double value = 0.0;
    const detail::number_status s = detail::parse_number(fields[value_col], value);
    if (s != detail::number_status::ok || !(value > 0.0)) {
      fail<Error>(error_kind::invalid_argument, fn, located(source, line_no, header[value_col]),
                  s == detail::number_status::ok ? value : nan,
                  std::string(s == detail::number_status::ok ? "prices must be > 0" : detail::describe(s)) + ", got " +
                      detail::quote_text(fields[value_col]));
      return {};
    }
    if (volume_col < header.size()) {
      double volume = 0.0;
      const detail::number_status vs = detail::parse_number(fields[volume_col], volume);
      if (vs != detail::number_status::ok || volume < 0.0) {
        fail<Error>(error_kind::invalid_argument, fn, located(source, line_no, header[volume_col]),
                    vs == detail::number_status::ok ? volume : nan,
                    std::string(vs == detail::number_status::ok ? "volumes must be >= 0" : detail::describe(vs)) +
                        ", got " + detail::quote_text(fields[volume_col]));
        return {};
      }
      out.volumes.push_back(volume);
    }
    out.timestamps.emplace_back(detail::trim(fields[0]));
    out.values.push_back(value);
  }
  if (out.values.empty()) {
    fail<Error>(error_kind::insufficient_data, fn, located(source, line_no, ""), nan,
                "needs at least 1 data row after the header");
    return {};
  }
  return out;
}
}  // namespace detail

/// Parse a price series from CSV text. `column` names the value column ("close", "price", "open", ...);
/// `source` names the text in error messages. O(rows). Errors through `Error` (see file comment); under a
/// non-throwing policy an empty series is returned.
template <error_policy Error = throw_errors>
price_series parse_price_series(std::string_view text, std::string_view column, std::string_view source = "<memory>",
                                const series_options& options = {}) noexcept(Error::is_noexcept) {
  return detail::parse_price_series<Error>("io::parse_price_series", text, column, source, options);
}

/// Read a price series from a CSV file; see `parse_price_series`. A file that cannot be opened or read is
/// an `invalid_argument` error naming the path and the reason ("is a directory", "No such file or directory").
/// @code
///   auto btc = tiermargin::io::read_price_series(TIERMARGIN_DATA_DIR "/btc_usd_daily_yahoo_2016_2021.csv", "close");
///   // btc.values: closes, btc.volumes: USD volumes, btc.gaps: the 4 missing days (3 gaps)
/// @endcode
template <error_policy Error = throw_errors>
price_series read_price_series(const std::string& path, std::string_view column,
                               const series_options& options = {}) noexcept(Error::is_noexcept) {
  std::string text;
  if (!detail::read_text_file<Error>("io::read_price_series", path, text)) return {};
  return detail::parse_price_series<Error>("io::read_price_series", text, column, path, options);
}

/// One run of consecutive missing periods: from `first` to `last` (inclusive, formatted like
/// `missing_timestamps`), `count` periods.
struct missing_range {
  std::string first;       ///< first missing timestamp
  std::string last;        ///< last missing timestamp
  std::int64_t count = 0;  ///< number of missing periods, >= 1
  /// Field-by-field equality.
  friend bool operator==(const missing_range&, const missing_range&) = default;
};

/// The missing periods of `series` as one range per gap, in order. O(gaps) time and memory, however
/// long the gaps (a gap of 8,000 years of hours is one entry).
inline std::vector<missing_range> missing_ranges(const price_series& series) {
  std::vector<missing_range> out;
  const bool hourly = series.frequency == series_frequency::hourly;
  const std::int64_t period = hourly ? 3600 : 86400;
  out.reserve(series.gaps.size());
  for (const series_gap& g : series.gaps) {
    if (g.index == 0 || g.index > series.timestamps.size() || g.missing < 1) continue;
    const auto before = detail::parse_timestamp(series.timestamps[g.index - 1]);
    if (!before) continue;
    out.push_back({detail::format_period(before->seconds + period, hourly),
                   detail::format_period(before->seconds + g.missing * period, hourly), g.missing});
  }
  return out;
}

/// Default bound of `missing_timestamps`: a million timestamps (some 30 MB of strings).
inline constexpr std::int64_t missing_timestamps_limit = 1'000'000;

/// Every missing period of `series` as a timestamp ("2020-04-17" or "2024-01-01T05:00:00Z"), in order.
/// O(rows + missing). Listing one string per period is bounded: when `series.missing_periods()` exceeds
/// `limit` it is an `invalid_argument` error through `Error` naming the count (an empty result under a
/// non-throwing policy) -- use `missing_ranges`, which is O(gaps), for such series. A negative `limit` is an
/// error naming it.
template <error_policy Error = throw_errors>
std::vector<std::string> missing_timestamps(const price_series& series,
                                            std::int64_t limit = missing_timestamps_limit) noexcept(Error::is_noexcept) {
  std::vector<std::string> out;
  if (limit < 0) {
    detail::fail<Error>(error_kind::invalid_argument, "io::missing_timestamps", "limit", static_cast<double>(limit),
                        "must be >= 0");
    return out;
  }
  const std::int64_t total = series.missing_periods();
  if (total > limit) {
    detail::fail<Error>(error_kind::invalid_argument, "io::missing_timestamps", "series",
                        static_cast<double>(total),
                        "has more missing periods than the limit (" + std::to_string(limit) +
                            ") of one string each: use io::missing_ranges, or pass a larger limit");
    return out;
  }
  const bool hourly = series.frequency == series_frequency::hourly;
  const std::int64_t period = hourly ? 3600 : 86400;
  out.reserve(static_cast<std::size_t>(total > 0 ? total : 0));
  for (const series_gap& g : series.gaps) {
    if (g.index == 0 || g.index > series.timestamps.size()) continue;
    const auto before = detail::parse_timestamp(series.timestamps[g.index - 1]);
    if (!before) continue;
    for (std::int64_t k = 1; k <= g.missing; ++k) out.push_back(detail::format_period(before->seconds + k * period, hourly));
  }
  return out;
}

}  // namespace io

TIERMARGIN_NAMESPACE_END
