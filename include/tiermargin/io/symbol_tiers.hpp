// SPDX-License-Identifier: BSL-1.0
/// @file symbol_tiers.hpp  `symbol_tiers`: the tier rows of one symbol as a loader read them, their
/// validation with located messages, and the conversion to `tier_table`.
///
/// Every loader (csv_tiers.hpp, json.hpp) validates the rows it returns with the same invariants as
/// `tier_table` (floors from 0, strictly increasing, caps equal to the next floor, rates in (0, 1] and
/// non-decreasing, max leverage >= 1 and non-increasing, IMR >= MMR, published deductions equal to the
/// recursion), but names the source, the symbol, the tier (1-based, as venues number them) and the
/// field *as the source spells it* ("maintMarginRatio", "mmr", ...). A table built from loaded rows
/// therefore never fails validation. Std only.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "../core/error.hpp"
#include "../core/policies.hpp"
#include "../tiers/tier.hpp"
#include "../tiers/tier_table.hpp"
#include "text.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace io {

/// The tier rows of one symbol (or one table) as loaded.
///
/// `rows` always holds full rows: `cap` of an open last tier is `scalar_traits<Real>::unbounded()`, and
/// `maint_amount` holds the source's deductions when `maint_amount_given`, otherwise the cumulative
/// recursion cum_1 = 0, cum_k = cum_{k-1} + floor_k (mmr_k - mmr_{k-1}) (or 0 when `flat`).
template <real_scalar Real = double>
struct symbol_tiers {
  std::string symbol;               ///< venue symbol or table name ("" for single-table files)
  std::vector<tier<Real>> rows;     ///< validated rows, floor order
  bool maint_amount_given = false;  ///< deductions were published by the source (Binance cum, Bybit mmDeduction)
  bool flat = false;                ///< venue charges the whole-position rate (OKX): maint_amount all 0
  std::string unit;                 ///< what floors/caps count: "quote notional", "coin notional", "contracts"
};

/// The rows as (floor, maint_rate, max_leverage) brackets; the last cap is `rows.back().cap`.
template <real_scalar Real>
std::vector<bracket<Real>> to_brackets(std::span<const tier<Real>> rows) {
  std::vector<bracket<Real>> out;
  out.reserve(rows.size());
  for (const tier<Real>& r : rows) out.push_back({r.floor, r.maint_rate, r.max_leverage});
  return out;
}

/// Build a validated `tier_table` from loaded rows, under the convention the venue uses: a flat source
/// (OKX) needs `Policies::convention = flat_convention`, any other source the cumulative convention; a
/// mismatch would price the venue's positions with the wrong formula, so it is reported through
/// `Policies::error` as `invalid_table` (to re-price rows under another convention on purpose, build the
/// table from `to_brackets(rows)`). Otherwise errors are those of `tier_table` (cannot happen for rows a
/// loader returned). O(K).
template <policy_bundle Policies = default_policies, real_scalar Real>
tier_table<Real, Policies> make_tier_table(const symbol_tiers<Real>& loaded) noexcept(Policies::error::is_noexcept) {
  if (loaded.flat == Policies::convention::uses_deduction) {
    Policies::error::template raise<double>(
        {error_kind::invalid_table, "io::make_tier_table", "Policies::convention",
         loaded.flat ? 0.0 : 1.0,
         loaded.flat ? "the source charges the flat whole-position rate (OKX): use flat_convention"
                     : "the source uses cumulative deductions: use cumulative_convention"});
    return tier_table<Real, Policies>{};
  }
  if constexpr (Policies::convention::uses_deduction) {
    return tier_table<Real, Policies>(std::span<const tier<Real>>(loaded.rows));
  } else {
    const std::vector<bracket<Real>> brackets = to_brackets(std::span<const tier<Real>>(loaded.rows));
    return tier_table<Real, Policies>(std::span<const bracket<Real>>(brackets),
                                      loaded.rows.empty() ? scalar_traits<Real>::unbounded() : loaded.rows.back().cap);
  }
}

/// The entry for `symbol` (exact, case-sensitive) in a loader's result, or std::nullopt: the caller must
/// test the result (`if (auto s = find_symbol(all, "BTCUSDT")) use(s->get());`) or use `.value()`, which
/// throws std::bad_optional_access. The reference points into `all`; a temporary vector is refused at
/// compile time. O(symbols); never allocates. To raise a located error instead, use symbol_table.
template <real_scalar Real>
std::optional<std::reference_wrapper<const symbol_tiers<Real>>> find_symbol(const std::vector<symbol_tiers<Real>>& all,
                                                                           std::string_view symbol) noexcept {
  for (const symbol_tiers<Real>& s : all)
    if (s.symbol == symbol) return std::cref(s);
  return std::nullopt;
}

/// Deleted: the result would refer into a vector destroyed at the end of the full expression.
template <real_scalar Real>
void find_symbol(const std::vector<symbol_tiers<Real>>&& all, std::string_view symbol) = delete;

/// The validated tier table of `symbol` (exact, case-sensitive) in a loader's result: find_symbol then
/// make_tier_table<Policies>. O(symbols + K); allocates the table. Errors through `Policies::error`: a symbol
/// that is not loaded (invalid_argument on 'symbol', naming it and how many symbols were loaded), and those of
/// make_tier_table; under a non-throwing policy an empty table is returned.
template <policy_bundle Policies = default_policies, real_scalar Real>
tier_table<Real, Policies> symbol_table(const std::vector<symbol_tiers<Real>>& all, std::string_view symbol) {
  if (const auto found = find_symbol(all, symbol)) return make_tier_table<Policies>(found->get());
  std::string requirement = "'";
  requirement.append(symbol);
  requirement += "' is not among the ";
  requirement += std::to_string(all.size());
  requirement += all.size() == 1 ? " symbol loaded" : " symbols loaded";
  if (!all.empty()) {
    requirement += " (names are exact and case-sensitive, e.g. '";
    requirement += all.front().symbol;
    requirement += "')";
  }
  detail::fail<typename Policies::error>(error_kind::invalid_argument, "io::symbol_table", "symbol",
                                         std::numeric_limits<double>::quiet_NaN(), requirement);
  return tier_table<Real, Policies>{};
}

/// How the source spells each field, for error messages.
struct field_names {
  const char* floor = "floor";                ///< name of the lower bound, e.g. "notionalFloor"
  const char* cap = "cap";                    ///< name of the upper bound, e.g. "notionalCap"
  const char* maint_rate = "maint_rate";      ///< name of the maintenance rate, e.g. "maintMarginRatio"
  const char* max_leverage = "max_leverage";  ///< name of the max leverage, e.g. "initialLeverage"
  const char* maint_amount = "maint_amount";  ///< name of the deduction, e.g. "cum"
};

namespace detail {

/// "<field>' of symbol 'BTCUSDT' in '<source>": formatted by `format_error` as
/// "tier 3 field '<field>' of symbol 'BTCUSDT' in '<source>' = ...".
inline std::string tier_where(std::string_view field, std::string_view symbol, std::string_view source) {
  std::string where(field);
  if (!symbol.empty()) {
    where += "' of symbol '";
    where.append(symbol);
  }
  where += "' in '";
  where.append(source);
  return where;
}

/// Report an invalid field of tier `k` (0-based; printed 1-based). Always returns false.
template <error_policy Error>
bool tier_fail(const char* function, std::string_view source, std::string_view symbol, std::size_t k,
               std::string_view field, double value, const std::string& requirement) noexcept(Error::is_noexcept) {
  return fail<Error>(error_kind::invalid_table, function, tier_where(field, symbol, source), value, requirement,
                     static_cast<long>(k + 1));
}

template <real_scalar Real>
bool amounts_close(Real given, Real expected) noexcept {
  if constexpr (scalar_traits<Real>::is_exact) {
    return given == expected;
  } else {
    const double g = to_double(given), e = to_double(expected);
    return std::fabs(g - e) <= 1e-9 * std::max(1.0, std::fabs(e));
  }
}

/// Check every tier invariant on `t.rows` and fill derived deductions. True when valid; otherwise the
/// first violation is reported through `Error` (naming source, symbol, tier and field) and false returned.
template <error_policy Error, real_scalar Real>
bool validate_tiers(const char* function, std::string_view source, symbol_tiers<Real>& t,
                    const field_names& names = {}) noexcept(Error::is_noexcept) {
  const Real zero{};
  const Real one = from_double<Real>(1.0);
  const auto& rows = t.rows;
  const auto bad = [&](std::size_t k, const char* field, Real v, const char* requirement) {
    return tier_fail<Error>(function, source, t.symbol, k, field, to_double(v), requirement);
  };
  if (rows.empty())
    return fail<Error>(error_kind::invalid_table, function, tier_where("tiers", t.symbol, source),
                       std::numeric_limits<double>::quiet_NaN(), "a table needs at least one tier");
  Real cumulative = zero;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const tier<Real>& row = rows[k];
    const auto finite = [](Real v) { return scalar_traits<Real>::isfinite(v); };
    if (!finite(row.floor) || row.floor < zero) return bad(k, names.floor, row.floor, "must be finite and >= 0");
    if (k == 0 && !(row.floor == zero)) return bad(k, names.floor, row.floor, "the first tier must start at 0");
    if (scalar_traits<Real>::isnan(row.cap) || !(row.floor < row.cap))
      return bad(k, names.cap, row.cap, "must be greater than the tier's floor");
    if (k + 1 < rows.size() && !finite(row.cap))
      return bad(k, names.cap, row.cap, "only the last tier may be open-ended");
    if (!finite(row.maint_rate) || !(zero < row.maint_rate) || one < row.maint_rate)
      return bad(k, names.maint_rate, row.maint_rate, "must be in (0, 1] (a fraction, 0.004 = 0.4%)");
    if (!finite(row.max_leverage) || row.max_leverage < one)
      return bad(k, names.max_leverage, row.max_leverage, "must be finite and >= 1");
    if (one < row.max_leverage * row.maint_rate)
      return bad(k, names.max_leverage, row.max_leverage,
                 "initial rate 1/max_leverage must be >= the maintenance rate (IMR >= MMR)");
    if (k > 0) {
      const tier<Real>& previous = rows[k - 1];
      if (!(previous.floor < row.floor))
        return bad(k, names.floor, row.floor, "floors must strictly increase (tiers unsorted or duplicated)");
      if (previous.cap < row.floor) return bad(k, names.floor, row.floor, "gap: must equal the previous tier's cap");
      if (row.floor < previous.cap)
        return bad(k, names.floor, row.floor, "overlap: must equal the previous tier's cap");
      if (row.maint_rate < previous.maint_rate)
        return bad(k, names.maint_rate, row.maint_rate, "must not decrease from the previous tier");
      if (previous.max_leverage < row.max_leverage)
        return bad(k, names.max_leverage, row.max_leverage, "must not increase from the previous tier");
      if (!t.flat) cumulative = cumulative + row.floor * (row.maint_rate - previous.maint_rate);
    }
    if (t.maint_amount_given) {
      if (!finite(row.maint_amount) || !amounts_close(row.maint_amount, cumulative))
        return bad(k, names.maint_amount, row.maint_amount,
                   t.flat ? "must be 0 under the flat convention"
                          : "inconsistent: must equal cum_{k-1} + floor_k * (mmr_k - mmr_{k-1}) (deduction recursion)");
    }
  }
  if (!t.maint_amount_given) {
    cumulative = zero;
    for (std::size_t k = 0; k < t.rows.size(); ++k) {
      if (k > 0 && !t.flat) cumulative = cumulative + t.rows[k].floor * (t.rows[k].maint_rate - t.rows[k - 1].maint_rate);
      if (!scalar_traits<Real>::isfinite(cumulative))
        return bad(k, names.maint_amount, cumulative, "the derived deduction overflows the scalar type");
      t.rows[k].maint_amount = cumulative;
    }
  }
  return true;
}

}  // namespace detail

}  // namespace io

TIERMARGIN_NAMESPACE_END
