// SPDX-License-Identifier: BSL-1.0
/// @file csv_tiers.hpp  Read and write tier tables as CSV (the format of data/README.md).
///
/// Format: one header line naming the columns, then one tier per line in floor order:
/// `floor,cap,maint_rate,max_leverage,maint_amount`.
///  - `floor` and `max_leverage` are required; no other column names are accepted (a typo is an error,
///    not a silently ignored column).
///  - `cap` may be empty on the last line (open-ended); without a `cap` column each cap is the next
///    floor and the last tier is open.
///  - without `maint_rate` the rate is 1/(2 max_leverage) (Hyperliquid's rule, docs/venues.md §4), computed in
///    `Real` (for `decimal<S>` rounded to S decimals with the decimal's mode).
///  - without `maint_amount` the deductions follow the recursion of the table's convention; with it they
///    are checked against it (cumulative) or must be 0 (flat).
/// Numbers are parsed exactly for `decimal<S>` (text with more than S decimals is an error, never rounded)
/// and correctly rounded for double. Errors go through `Policies::error`, naming the file, the line and
/// column (parse errors) or the tier (1-based) and field (invariant violations); under a non-throwing
/// policy the result is empty (an invalid table). Std only.
#pragma once

#include <cstddef>
#include <fstream>
#include <limits>
#include <ostream>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "../core/error.hpp"
#include "../core/policies.hpp"
#include "../tiers/tier.hpp"
#include "../tiers/tier_table.hpp"
#include "../venues/hyperliquid.hpp"
#include "symbol_tiers.hpp"
#include "text.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace io {

namespace detail {
/// `parse_tier_csv` naming `fn`, the public function called, in its errors.
template <real_scalar Real, policy_bundle Policies>
symbol_tiers<Real> parse_tier_csv(const char* fn,
    std::string_view text, std::string_view source) noexcept(
    Policies::error::is_noexcept) {
  using Error = typename Policies::error;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  using detail::fail;
  using detail::located;
  symbol_tiers<Real> out;
  out.flat = !Policies::convention::uses_deduction;
  out.unit = "quote notional";

  detail::line_reader lines(text);
  std::string_view line;
  std::size_t line_no = 0;
  std::vector<std::string> header, fields;
  const detail::header_status header_read = detail::read_header(lines, header, line_no);
  if (header_read == detail::header_status::unterminated_quote) {
    fail<Error>(error_kind::invalid_argument, fn, located(source, line_no, ""), nan, "unterminated quote");
    return {};
  }
  if (header_read == detail::header_status::empty) {
    fail<Error>(error_kind::invalid_table, fn, located(source, 1, ""), nan,
                "needs a header line (floor,cap,maint_rate,max_leverage,maint_amount) and at least one tier");
    return {};
  }
  enum column_id : std::size_t { c_floor, c_cap, c_rate, c_leverage, c_amount, c_count };
  static constexpr const char* column_names[c_count] = {"floor", "cap", "maint_rate", "max_leverage", "maint_amount"};
  std::size_t position[c_count];
  for (std::size_t& p : position) p = header.size();
  for (std::size_t c = 0; c < header.size(); ++c) {
    std::size_t id = c_count;
    for (std::size_t n = 0; n < c_count; ++n)
      if (header[c] == column_names[n]) id = n;
    if (id == c_count || position[id] != header.size()) {
      fail<Error>(error_kind::invalid_table, fn, located(source, line_no, header[c]), nan,
                  id == c_count ? "unknown column; expected floor,cap,maint_rate,max_leverage,maint_amount"
                                : "duplicated column");
      return {};
    }
    position[id] = c;
  }
  for (const std::size_t required : {std::size_t{c_floor}, std::size_t{c_leverage}}) {
    if (position[required] == header.size()) {
      fail<Error>(error_kind::invalid_table, fn, located(source, line_no, column_names[required]), nan,
                  "required column is missing");
      return {};
    }
  }
  const bool has_cap = position[c_cap] != header.size();
  const bool has_rate = position[c_rate] != header.size();
  out.maint_amount_given = position[c_amount] != header.size();

  std::vector<bool> cap_empty;
  std::vector<std::size_t> line_of;
  while (lines.next(line, line_no)) {
    if (detail::is_blank(line)) continue;
    if (!detail::split_csv_line(line, fields)) {
      fail<Error>(error_kind::invalid_argument, fn, located(source, line_no, ""), nan, "unterminated quote");
      return {};
    }
    if (fields.size() != header.size()) {
      fail<Error>(error_kind::invalid_table, fn, located(source, line_no, ""), static_cast<double>(fields.size()),
                  "number of fields must equal the header's (" + std::to_string(header.size()) + ")");
      return {};
    }
    tier<Real> row{};
    bool empty_cap = false;
    for (std::size_t id = 0; id < c_count; ++id) {
      if (position[id] == header.size()) continue;
      const std::string& field = fields[position[id]];
      if (id == c_cap && detail::trim(field).empty()) {
        empty_cap = true;
        continue;
      }
      Real value{};
      const detail::number_status s = detail::parse_number(field, value);
      if (s != detail::number_status::ok) {
        fail<Error>(error_kind::invalid_table, fn, located(source, line_no, column_names[id]), nan,
                    std::string(detail::describe(s)) + ", got " + detail::quote_text(field));
        return {};
      }
      switch (id) {
        case c_floor: row.floor = value; break;
        case c_cap: row.cap = value; break;
        case c_rate: row.maint_rate = value; break;
        case c_leverage: row.max_leverage = value; break;
        default: row.maint_amount = value; break;
      }
    }
    if (!has_rate) {
      if (!hyperliquid::max_leverage_valid(row.max_leverage)) {
        fail<Error>(error_kind::invalid_table, fn, located(source, line_no, "max_leverage"),
                    to_double(row.max_leverage), detail::derived_rate_leverage_requirement);
        return {};
      }
      row.maint_rate = hyperliquid::maintenance_rate_for(row.max_leverage);
    }
    out.rows.push_back(row);
    cap_empty.push_back(empty_cap);
    line_of.push_back(line_no);
  }
  const std::size_t n = out.rows.size();
  for (std::size_t k = 0; k < n; ++k) {
    if (!has_cap) {
      out.rows[k].cap = k + 1 < n ? out.rows[k + 1].floor : scalar_traits<Real>::unbounded();
    } else if (cap_empty[k]) {
      if (k + 1 < n) {
        fail<Error>(error_kind::invalid_table, fn, located(source, line_of[k], "cap"), nan,
                    "only the last tier may have an empty (open) cap");
        return {};
      }
      out.rows[k].cap = scalar_traits<Real>::unbounded();
    }
  }
  if (!detail::validate_tiers<Error>(fn, source, out)) return {};
  return out;
}
}  // namespace detail

/// Parse a tier CSV into validated rows (see file comment). `source` names the text in messages.
/// The table's convention (`Policies::convention`) decides how `maint_amount` is checked or derived.
/// O(K). Under a non-throwing policy a failed parse returns an empty `rows`.
template <real_scalar Real = double, policy_bundle Policies = default_policies>
symbol_tiers<Real> parse_tier_csv(std::string_view text, std::string_view source = "<memory>") noexcept(
    Policies::error::is_noexcept) {
  return detail::parse_tier_csv<Real, Policies>("io::parse_tier_csv", text, source);
}

namespace detail {
/// `read_tier_csv` for the public reader `function` (named in the error when the file cannot be read).
template <real_scalar Real, policy_bundle Policies>
symbol_tiers<Real> read_tier_csv_for(const char* function, const std::string& path) noexcept(Policies::error::is_noexcept) {
  std::string text;
  if (!read_text_file<typename Policies::error>(function, path, text)) return {};
  return detail::parse_tier_csv<Real, Policies>(function, text, path);
}
}  // namespace detail

/// Read a tier CSV file; see `parse_tier_csv`. A file that cannot be opened or read is an
/// `invalid_argument` error naming the path and the reason ("is a directory", "No such file or directory").
template <real_scalar Real = double, policy_bundle Policies = default_policies>
symbol_tiers<Real> read_tier_csv(const std::string& path) noexcept(Policies::error::is_noexcept) {
  return detail::read_tier_csv_for<Real, Policies>("io::read_tier_csv", path);
}

/// Rows of a tier CSV file (validated; deductions derived when the file has none). O(K).
template <real_scalar Real = double, policy_bundle Policies = default_policies>
std::vector<tier<Real>> read_tiers(const std::string& path) noexcept(Policies::error::is_noexcept) {
  return detail::read_tier_csv_for<Real, Policies>("io::read_tiers", path).rows;
}

/// Brackets (floor, maint_rate, max_leverage) of a tier CSV file. The last cap is dropped: use
/// `read_tiers` or `read_tier_table` when it is finite. O(K).
template <real_scalar Real = double, policy_bundle Policies = default_policies>
std::vector<bracket<Real>> read_brackets(const std::string& path) noexcept(Policies::error::is_noexcept) {
  const std::vector<tier<Real>> rows = detail::read_tier_csv_for<Real, Policies>("io::read_brackets", path).rows;
  return to_brackets(std::span<const tier<Real>>(rows));
}

/// A validated `tier_table` straight from a tier CSV file (an invalid, empty table after an error under a
/// non-throwing policy). O(K).
template <real_scalar Real = double, policy_bundle Policies = default_policies>
tier_table<Real, Policies> read_tier_table(const std::string& path) noexcept(Policies::error::is_noexcept) {
  const symbol_tiers<Real> loaded = detail::read_tier_csv_for<Real, Policies>("io::read_tier_table", path);
  if (loaded.rows.empty()) return {};
  return make_tier_table<Policies>(loaded);
}

/// A validated `tier_table` from tier CSV text.
template <real_scalar Real = double, policy_bundle Policies = default_policies>
tier_table<Real, Policies> parse_tier_table(std::string_view text, std::string_view source = "<memory>") noexcept(
    Policies::error::is_noexcept) {
  const symbol_tiers<Real> loaded = detail::parse_tier_csv<Real, Policies>("io::parse_tier_table", text, source);
  if (loaded.rows.empty()) return {};
  return make_tier_table<Policies>(loaded);
}

/// Write rows as `floor,cap,maint_rate,max_leverage,maint_amount` (open cap as an empty field), each
/// number in its exact shortest text, so reading the output back gives the same rows. O(K).
template <real_scalar Real>
void write_tiers(std::ostream& out, std::span<const tier<Real>> rows) {
  out << "floor,cap,maint_rate,max_leverage,maint_amount\n";
  for (const tier<Real>& r : rows) {
    out << detail::format_number(r.floor) << ',' << detail::format_number(r.cap) << ','
        << detail::format_number(r.maint_rate) << ',' << detail::format_number(r.max_leverage) << ','
        << detail::format_number(r.maint_amount) << '\n';
  }
}

/// As the span overload.
template <real_scalar Real>
void write_tiers(std::ostream& out, const std::vector<tier<Real>>& rows) {
  write_tiers(out, std::span<const tier<Real>>(rows));
}

/// The CSV text of `rows` (see the stream overload).
template <real_scalar Real>
std::string format_tiers(std::span<const tier<Real>> rows) {
  std::ostringstream out;
  write_tiers(out, rows);
  return std::move(out).str();
}

/// As the span overload.
template <real_scalar Real>
std::string format_tiers(const std::vector<tier<Real>>& rows) {
  return format_tiers(std::span<const tier<Real>>(rows));
}

/// Write rows to a file. A file that cannot be written is an `invalid_argument` error naming the path;
/// returns false then (under a non-throwing policy).
template <error_policy Error = throw_errors, real_scalar Real>
bool write_tiers(const std::string& path, std::span<const tier<Real>> rows) noexcept(Error::is_noexcept) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (file) write_tiers(file, rows);
  if (file) file.flush();
  if (!file)
    return detail::fail<Error>(error_kind::invalid_argument, "io::write_tiers", "path",
                               std::numeric_limits<double>::quiet_NaN(), "cannot write file " + detail::quote_text(path));
  return true;
}

}  // namespace io

TIERMARGIN_NAMESPACE_END
