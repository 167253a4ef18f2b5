// SPDX-License-Identifier: BSL-1.0
/// @file text.hpp  Text primitives shared by the CSV and JSON loaders: exact number parsing into any
/// `real_scalar`, calendar dates, CSV records, file reading and located error messages.
///
/// Everything here is in `tiermargin::io::detail`; the public loaders are in csv_series.hpp,
/// csv_tiers.hpp and json.hpp.
#pragma once

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#include "../core/check.hpp"
#include "../core/decimal.hpp"
#include "../core/error.hpp"
#include "../core/scalar.hpp"
#include "detail/parse_double.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace io::detail {

/// Outcome of parsing one number.
enum class number_status { ok, empty, malformed, not_finite, out_of_range, inexact };

/// Human-readable reason for a failed parse, used as (part of) the error requirement.
inline const char* describe(number_status s) noexcept {
  switch (s) {
    case number_status::ok: return "ok";
    case number_status::empty: return "must not be empty";
    case number_status::malformed: return "must be a decimal number such as 0.004 or 1e-4";
    case number_status::not_finite: return "must be finite";
    case number_status::out_of_range: return "is out of range for the scalar type";
    case number_status::inexact: return "has more decimals than the decimal scalar holds (would be rounded)";
  }
  return "invalid";
}

inline std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

template <class T>
struct is_decimal_scalar : std::false_type {};
template <int S, rounding_mode M>
struct is_decimal_scalar<decimal<S, M>> : std::true_type {
  static constexpr int scale = S;
};

/// Parse `text` into `out` exactly: doubles correctly rounded (detail/parse_double.hpp), decimals digit by
/// digit, rejecting text that the decimal cannot hold without rounding. Accepts an optional sign,
/// digits with an optional point and an optional exponent; rejects "nan", "inf", hex and trailing text.
template <real_scalar Real>
number_status parse_number(std::string_view text, Real& out) noexcept {
  text = trim(text);
  if (text.empty()) return number_status::empty;
  // Only [+-]digits[.digits][(e|E)[+-]digits] is a number (this rejects nan/inf/hex for every scalar).
  {
    std::size_t i = 0;
    if (text[i] == '+' || text[i] == '-') ++i;
    std::size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
    }
    if (digits == 0) return number_status::malformed;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
      ++i;
      if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
      std::size_t exp_digits = 0;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++exp_digits;
      if (exp_digits == 0) return number_status::malformed;
    }
    if (i != text.size()) return number_status::malformed;
  }
  if constexpr (std::is_floating_point_v<Real>) {
    std::string_view body = text;
    if (body.front() == '+') body.remove_prefix(1);
    double v = 0.0;
    const double_parse parsed = parse_double(body, v);
    if (parsed == double_parse::out_of_range) return number_status::out_of_range;
    if (parsed != double_parse::ok) return number_status::malformed;
    if (!std::isfinite(v)) return number_status::not_finite;
    out = static_cast<Real>(v);
    return number_status::ok;
  } else if constexpr (is_decimal_scalar<Real>::value) {
    constexpr int scale = is_decimal_scalar<Real>::scale;
    const auto down = decimal<scale, rounding_mode::down>::parse(text);
    const auto up = decimal<scale, rounding_mode::up>::parse(text);
    if (!down || !up) return number_status::malformed;
    if (down->is_nan() || up->is_nan()) return number_status::out_of_range;
    if (down->raw() != up->raw()) return number_status::inexact;
    out = Real::from_raw(down->raw());
    if (!scalar_traits<Real>::isfinite(out)) return number_status::out_of_range;
    return number_status::ok;
  } else {
    // A user scalar: go through double (documented: exact only to double precision).
    double v = 0.0;
    const number_status s = parse_number<double>(text, v);
    if (s != number_status::ok) return s;
    out = from_double<Real>(v);
    return scalar_traits<Real>::isfinite(out) ? number_status::ok : number_status::out_of_range;
  }
}

/// Convert a double that came from a JSON number. Decimals go through the shortest text that reads back
/// as `v` ("0.004", not 0.00400000000000000008), so JSON numbers written with <= 15 significant digits
/// load exactly.
template <real_scalar Real>
number_status from_json_double(double v, Real& out) noexcept {
  if (!std::isfinite(v)) return number_status::not_finite;
  if constexpr (std::is_floating_point_v<Real>) {
    out = static_cast<Real>(v);
    return number_status::ok;
  } else {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    if (result.ec != std::errc{}) return number_status::malformed;
    return parse_number<Real>(std::string_view(buffer, static_cast<std::size_t>(result.ptr - buffer)), out);
  }
}

/// Exact text of a scalar for writing: shortest round-trip form for doubles, trailing zeros stripped for
/// decimals ("0.004" rather than "0.00400000"), "" for the unbounded value.
template <real_scalar Real>
std::string format_number(Real v) {
  if (!scalar_traits<Real>::isfinite(v)) return std::string();
  if constexpr (std::is_floating_point_v<Real>) {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, static_cast<double>(v));
    return std::string(buffer, result.ptr);
  } else if constexpr (is_decimal_scalar<Real>::value) {
    std::string s = v.to_string();
    if (s.find('.') != std::string::npos) {
      while (!s.empty() && s.back() == '0') s.pop_back();
      if (!s.empty() && s.back() == '.') s.pop_back();
    }
    return s == "-0" ? std::string("0") : s;
  } else {
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, to_double(v));
    return std::string(buffer, result.ptr);
  }
}

// ---- calendar ------------------------------------------------------------------------------------

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct civil_date {
  std::int64_t year;
  unsigned month, day;
};

/// Inverse of `days_from_civil`.
constexpr civil_date civil_from_days(std::int64_t z) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

constexpr bool is_leap(std::int64_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
constexpr unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
  constexpr unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29u : days[m - 1];
}

inline bool read_digits(std::string_view s, std::size_t pos, std::size_t count, unsigned& out) noexcept {
  if (pos + count > s.size()) return false;
  unsigned v = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  out = v;
  return true;
}

/// A parsed timestamp: seconds since the epoch, and whether the text had a time of day.
struct timestamp {
  std::int64_t seconds = 0;
  bool has_time = false;
};

/// Parses "YYYY-MM-DD" or "YYYY-MM-DD[T| ]HH[:MM[:SS]][Z]" (UTC). Validates month, day and time fields.
inline std::optional<timestamp> parse_timestamp(std::string_view s) noexcept {
  s = trim(s);
  unsigned year = 0, month = 0, day = 0;
  if (s.size() < 10 || !read_digits(s, 0, 4, year) || s[4] != '-' || !read_digits(s, 5, 2, month) || s[7] != '-' ||
      !read_digits(s, 8, 2, day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  timestamp t;
  t.seconds = days_from_civil(year, month, day) * 86400;
  if (s.size() == 10) return t;
  if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
  unsigned hour = 0, minute = 0, second = 0;
  std::size_t pos = 11;
  if (!read_digits(s, pos, 2, hour) || hour > 23) return std::nullopt;
  pos += 2;
  if (pos < s.size() && s[pos] == ':') {
    if (!read_digits(s, pos + 1, 2, minute) || minute > 59) return std::nullopt;
    pos += 3;
    if (pos < s.size() && s[pos] == ':') {
      if (!read_digits(s, pos + 1, 2, second) || second > 60) return std::nullopt;
      pos += 3;
    }
  }
  if (pos < s.size() && s[pos] == 'Z') ++pos;
  if (pos != s.size()) return std::nullopt;
  t.seconds += static_cast<std::int64_t>(hour) * 3600 + static_cast<std::int64_t>(minute) * 60 + second;
  t.has_time = true;
  return t;
}

/// "YYYY-MM-DD" (daily) or "YYYY-MM-DDTHH:MM:SSZ" (hourly) of a time in seconds since the epoch.
inline std::string format_period(std::int64_t seconds, bool hourly) {
  const std::int64_t days = (seconds >= 0 ? seconds : seconds - 86399) / 86400;
  const civil_date c = civil_from_days(days);
  const auto in_day = static_cast<int>(seconds - days * 86400);
  char buffer[64];
  int n = 0;
  if (hourly)
    n = std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(c.year),
                      c.month, c.day, in_day / 3600, in_day / 60 % 60, in_day % 60);
  else
    n = std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month, c.day);
  return std::string(buffer, n > 0 ? static_cast<std::size_t>(n) : 0u);
}

// ---- CSV records ----------------------------------------------------------------------------------

/// Splits one CSV line into fields: commas separate, a field in double quotes may contain commas and
/// doubled quotes (""). Returns false on an unterminated quote. Fields are trimmed of blanks.
inline bool split_csv_line(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  std::size_t i = 0;
  while (true) {
    field.clear();
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
          } else {
            ++i;
            closed = true;
            break;
          }
        } else {
          field.push_back(line[i++]);
        }
      }
      if (!closed) return false;
      while (i < line.size() && line[i] != ',') {
        if (line[i] != ' ' && line[i] != '\t') return false;  // text after the closing quote
        ++i;
      }
    } else {
      while (i < line.size() && line[i] != ',') field.push_back(line[i++]);
      field = std::string(trim(field));
    }
    fields.push_back(field);
    if (i >= line.size()) break;
    ++i;  // the comma
  }
  return true;
}

/// Iterates the lines of a text: handles \n and \r\n, skips a UTF-8 byte-order mark.
class line_reader {
 public:
  explicit line_reader(std::string_view text) noexcept : m_text(text) {
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF") m_text.remove_prefix(3);
  }
  /// Next line (without terminator); false at the end. `number` is 1-based.
  bool next(std::string_view& line, std::size_t& number) noexcept {
    if (m_pos >= m_text.size()) return false;
    const std::size_t end = m_text.find('\n', m_pos);
    const std::size_t stop = end == std::string_view::npos ? m_text.size() : end;
    line = m_text.substr(m_pos, stop - m_pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    m_pos = stop + 1;
    number = ++m_line;
    return true;
  }

 private:
  std::string_view m_text;
  std::size_t m_pos = 0;
  std::size_t m_line = 0;
};

inline bool is_blank(std::string_view line) noexcept { return trim(line).empty(); }

enum class header_status { ok, empty, unterminated_quote };

/// Reads the first non-blank line of `lines` into `header` (its line number into `line_no`).
inline header_status read_header(line_reader& lines, std::vector<std::string>& header, std::size_t& line_no) {
  std::string_view line;
  while (lines.next(line, line_no)) {
    if (is_blank(line)) continue;
    return split_csv_line(line, header) ? header_status::ok : header_status::unterminated_quote;
  }
  return header_status::empty;
}

// ---- files and errors -----------------------------------------------------------------------------

/// Whole file into `out`. False when it cannot be opened or read, with the reason in `reason` ("is a
/// directory", "No such file or directory", "Permission denied", ...). O(file size).
inline bool read_file(const std::string& path, std::string& out, std::string& reason) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    reason = "is a directory";
    return false;
  }
  errno = 0;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    reason = errno != 0 ? std::error_code(errno, std::generic_category()).message() : "cannot be opened";
    return false;
  }
  std::string text;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (!ec && size < text.max_size()) text.reserve(static_cast<std::size_t>(size));
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  const bool failed = std::ferror(file) != 0;
  const int error_number = errno;
  std::fclose(file);
  if (failed) {
    reason = "cannot be read: " + (error_number != 0 ? std::error_code(error_number, std::generic_category()).message()
                                                     : std::string("read error"));
    return false;
  }
  out = std::move(text);
  return true;
}

/// Reports an error whose argument and requirement are built at run time (file, line, column, symbol,
/// tier). The strings live until the policy has formatted the message. Always returns false.
template <error_policy Error>
bool fail(error_kind kind, const char* function, const std::string& where, double value,
          const std::string& requirement, long index = -1) noexcept(Error::is_noexcept) {
  error_info info;
  info.kind = kind;
  info.function = function;
  info.argument = where.c_str();
  info.value = value;
  info.requirement = requirement.c_str();
  info.index = index;
  Error::template raise<double>(info);
  return false;
}

/// Reads the file `path` for the public loader `function`; a file that cannot be opened or read is an
/// `invalid_argument` error on its argument 'path' naming the file and the reason. Returns false then.
template <error_policy Error>
bool read_text_file(const char* function, const std::string& path, std::string& out) noexcept(Error::is_noexcept) {
  std::string reason;
  if (read_file(path, out, reason)) return true;
  return fail<Error>(error_kind::invalid_argument, function, "path", std::numeric_limits<double>::quiet_NaN(),
                     "cannot open file \"" + path + "\": " + reason);
}

/// "<source> line <n> column '<column>'" for parse errors.
inline std::string located(std::string_view source, std::size_t line, std::string_view column) {
  std::string where(source);
  where += " line ";
  where += std::to_string(line);
  if (!column.empty()) {
    where += " column '";
    where.append(column);
    where += "'";
  }
  return where;
}

/// `text` quoted for an error message, cut to 40 characters.
inline std::string quote_text(std::string_view text) {
  std::string out = "\"";
  out.append(text.substr(0, 40));
  if (text.size() > 40) out += "...";
  out += "\"";
  return out;
}

}  // namespace io::detail

TIERMARGIN_NAMESPACE_END
