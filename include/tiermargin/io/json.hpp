// SPDX-License-Identifier: BSL-1.0
/// @file json.hpp  Load venue tier tables from their JSON API responses (needs nlohmann_json).
///
/// This is the only header of the library that needs nlohmann_json (>= 3.10, header-only; link
/// `nlohmann_json::nlohmann_json` or put <nlohmann/json.hpp> on the include path). It is not included by
/// tiermargin.hpp or io.hpp: include it yourself.
///
/// Formats (reference: docs/venues.md, section numbers below):
///  - ccxt unified `LeverageTier` lists (§7), both field spellings: `minNotional/maxNotional/
///    maintenanceMarginRate` and the older `notionalFloor/notionalCap/maintenanceMarginRatio`, plus
///    `maxLeverage`; Binance's `cum` is read from `info.cum` when present. A missing `minNotional` is the
///    previous tier's `maxNotional` (ccxt PR 21828); a floor equal to the previous cap + 1 is OKX's
///    integer-contract convention (§3) and is read as contiguous.
///  - Binance `leverageBracket` (§1.1, §1.6): array or single object; USD-M `notionalFloor/notionalCap`
///    or COIN-M `qtylFloor` (sic; `qtyFloor` also accepted) `/qtyCap`, with `maintMarginRatio`,
///    `initialLeverage`, `cum`. `notionalCoef` is ignored (the brackets are already the user's). A cap of
///    2^63-1 is Binance's "no limit" and means open-ended.
///  - Bybit v5 risk-limit (§2): `riskLimitValue` is the cap, the floor is the previous tier's
///    riskLimitValue (0 for the first), `maintenanceMargin`, `initialMargin`, `maxLeverage`, `mmDeduction`.
///    Units (see `bybit_units`) are normalised to fractions on load.
///  - OKX position-tiers (§3): `minSz/maxSz/mmr/imr/maxLever` (strings), tiers in **contracts**; minSz =
///    previous maxSz + 1 becomes floor = previous maxSz. OKX charges the whole-position rate, so the result
///    is marked `flat` (no deduction).
///  - Hyperliquid `marginTable` (§4): `{description, marginTiers:[{lowerBound, maxLeverage}]}`, or the
///    `meta` response's `marginTables: [[id, table], ...]`; mmr = 1/(2 maxLeverage) computed in `Real`,
///    deductions by the recursion.
///  - The bundled data/binance_maint_margin_brackets_ccxt.json (`leverageBrackets[symbol] = [[floor, mmr],
///    ...]`) and data/hyperliquid_margin_tiers_docs.json.
///
/// Numbers may be JSON numbers or strings (most venues send strings). Strings are parsed exactly (for
/// `decimal<S>` digits beyond S decimals are an error, never rounded); JSON numbers go through the shortest
/// text of their double. Every row is validated (symbol_tiers.hpp): malformed, missing or inconsistent
/// fields are reported through the error policy as `invalid_table`, naming the source, the symbol, the
/// tier (1-based, as venues number them) and the field as the venue spells it. The text itself is checked
/// first, as `invalid_argument` errors naming "<source> line L column C": malformed JSON, a number beyond
/// the range of a double (1e400), and a key repeated within one object (a second `maintenanceMarginRate`,
/// a symbol listed twice: which copy "wins" differs between parsers, so neither is taken), with the key,
/// the path of its object and the enclosing symbol. Under a non-throwing policy a loader returns an empty
/// result (never a partial or silently wrong table). Loading is O(text size) (objects with many keys are
/// indexed by a hash table) and allocates; it is not a hot path.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "../core/error.hpp"
#include "../core/policies.hpp"
#include "../tiers/tier.hpp"
#include "../venues/bybit.hpp"
#include "../venues/hyperliquid.hpp"
#include "../venues/okx.hpp"
#include "symbol_tiers.hpp"
#include "text.hpp"

TIERMARGIN_NAMESPACE_BEGIN

namespace io {

/// Units of Bybit's `maintenanceMargin` / `initialMargin` (docs/venues.md §2: the v5 docs' inverse example is in
/// percent, linear responses are fractions).
enum class bybit_units {
  /// Decide per symbol: if every row has initialMargin, the units are fractions when initialMargin x
  /// maxLeverage is 1 (within 1%) on every row and percent when it is 100 (within 1%); anything else is an
  /// error. Without initialMargin, `result.category` decides: "linear" fractions, "inverse" percent;
  /// otherwise an error asking for an explicit unit.
  automatic,
  fraction,  ///< 0.005 means 0.5%
  percent    ///< 0.5 means 0.5% (divided by 100 on load, exactly)
};

/// How `read_binance_maint_brackets` fills the max leverage that the ccxt fixture does not contain.
enum class max_leverage_rule {
  /// floor(1 / (2 mmr)): the rule Binance's published BTCUSDT leverages follow (125x at 0.4%, data/README.md)
  floor_half_inverse_mmr,
  /// floor(1 / mmr): the largest leverage the IMR >= MMR invariant allows
  floor_inverse_mmr
};

namespace detail {

using json = nlohmann::ordered_json;

/// Short description of a JSON value for messages (never recursive).
inline std::string describe_json(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::string: return quote_text(v.get_ref<const std::string&>());
    case json::value_t::number_integer: return std::to_string(v.get<std::int64_t>());
    case json::value_t::number_unsigned: return std::to_string(v.get<std::uint64_t>());
    case json::value_t::number_float: {
      std::string s;
      ::tiermargin::detail::append_number(s, v.get<double>());
      return s;
    }
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "a value of unexpected type";
  }
}

/// Null, or an empty string (Bybit sends "" for an absent mmDeduction).
inline bool is_absent(const json& v) noexcept {
  return v.is_null() || (v.is_string() && trim(v.get_ref<const std::string&>()).empty());
}

/// A JSON number or numeric string as `Real` (see the file comment for exactness).
template <real_scalar Real>
number_status json_to_real(const json& v, Real& out) {
  if (v.is_string()) return parse_number(v.get_ref<const std::string&>(), out);
  if (v.is_number_float()) return from_json_double(v.get<double>(), out);
  if (v.is_number_unsigned() || v.is_number_integer()) {
    const std::string text = v.is_number_unsigned() ? std::to_string(v.get<std::uint64_t>())
                                                    : std::to_string(v.get<std::int64_t>());
    return parse_number(text, out);
  }
  return number_status::malformed;
}

/// Binance's "no limit" cap, 2^63 - 1, as a number or a string.
inline bool is_int64_max(const json& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>() == 9223372036854775807ULL;
  if (v.is_number_integer()) return v.get<std::int64_t>() == std::numeric_limits<std::int64_t>::max();
  return v.is_string() && trim(v.get_ref<const std::string&>()) == "9223372036854775807";
}

/// Parse state shared by every loader: where we are, for messages.
template <real_scalar Real, error_policy Error>
struct json_reader {
  const char* function;
  std::string_view source;
  std::string symbol;

  /// Error about tier k (0-based), field as the venue spells it.
  bool fail_tier(std::size_t k, std::string_view field, double value, const std::string& requirement) const {
    return tier_fail<Error>(function, source, symbol, k, field, value, requirement);
  }
  /// Error about the document or a symbol as a whole.
  bool fail_doc(std::string_view what, const std::string& requirement) const {
    return fail<Error>(error_kind::invalid_table, function, tier_where(what, symbol, source),
                       std::numeric_limits<double>::quiet_NaN(), requirement);
  }

  enum class got { absent, ok, error };

  /// Field `name` of `obj` as a number: `absent` when missing, null or "".
  got optional(const json& obj, const char* name, std::size_t k, Real& out) const {
    if (!obj.is_object()) return got::absent;
    const auto it = obj.find(name);
    if (it == obj.end() || is_absent(*it)) return got::absent;
    const number_status s = json_to_real(*it, out);
    if (s == number_status::ok) return got::ok;
    fail_tier(k, name, std::numeric_limits<double>::quiet_NaN(),
              std::string(s == number_status::malformed ? "must be a number or a numeric string" : describe(s)) +
                  ", got " + describe_json(*it));
    return got::error;
  }
  /// Field `name` of `obj` as a number; missing is an error.
  bool required(const json& obj, const char* name, std::size_t k, Real& out) const {
    const got g = optional(obj, name, k, out);
    if (g == got::absent) return fail_tier(k, name, std::numeric_limits<double>::quiet_NaN(), "is missing");
    return g == got::ok;
  }
  /// The first present spelling among `a`, `b`; both present must agree. Returns the spelling used in
  /// `used` (nullptr when absent).
  got either(const json& obj, const char* a, const char* b, std::size_t k, Real& out, const char*& used) const {
    Real va{}, vb{};
    const got ga = optional(obj, a, k, va);
    if (ga == got::error) return got::error;
    const got gb = optional(obj, b, k, vb);
    if (gb == got::error) return got::error;
    if (ga == got::ok && gb == got::ok && !(va == vb)) {
      fail_tier(k, b, to_double(vb),
                std::string("inconsistent with '") + a + "' = " + describe_json(obj.find(a).value()) +
                    " (two spellings of one field must agree)");
      return got::error;
    }
    used = ga == got::ok ? a : gb == got::ok ? b : nullptr;
    out = ga == got::ok ? va : vb;
    return used ? got::ok : got::absent;
  }
};

/// A `const char*` that also records, in `*last_read`, how far the JSON lexer has read: a duplicate key is
/// detected in the SAX `key` event, which carries no position.
struct tracked_char_iterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* at = nullptr;
  const char** last_read = nullptr;

  reference operator*() const noexcept { return *at; }
  tracked_char_iterator& operator++() noexcept {
    *last_read = ++at;
    return *this;
  }
  tracked_char_iterator operator++(int) noexcept {
    tracked_char_iterator before = *this;
    ++*this;
    return before;
  }
  friend bool operator==(const tracked_char_iterator& a, const tracked_char_iterator& b) noexcept { return a.at == b.at; }
};

/// 1-based line and column of `text[index]` (index clamped to the text).
inline std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t index) noexcept {
  index = std::min(index, text.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < index; ++i)
    if (text[i] == '\n') ++line, line_start = i + 1;
  return {line, index - line_start + 1};
}

/// "<source> line <l> column <c>" for the character `text[index]`.
inline std::string json_position(std::string_view source, std::string_view text, std::size_t index) {
  const auto [line, column] = line_column(text, index);
  std::string where(source);
  where += " line " + std::to_string(line) + " column " + std::to_string(column);
  return where;
}

/// SAX handler building an `ordered_json` document in O(size). nlohmann's own DOM builder inserts each key
/// with a linear search of `ordered_map` (quadratic in the keys of one object: 80k symbols took 17 s), and
/// the map's growth copies its const keys. Here the members of each open object are staged in a vector
/// (reused from one object to the next at the same depth) and moved into the object, reserved to size,
/// when it closes. A key repeated within one object stops the parse: it would otherwise silently keep
/// one of the two values. Errors are recorded, not thrown.
class json_document_builder {
 public:
  using object_entries = std::vector<std::pair<const std::string, json>>;
  using staged_members = std::vector<std::pair<std::string, json>>;
  static_assert(std::is_base_of_v<object_entries, json::object_t>, "nlohmann::ordered_map must be a vector of pairs");

  json_document_builder(json& root, std::string_view source, std::string_view text, const char* const& last_read)
      : m_root(root), m_text(text), m_last_read(last_read), m_source(source) {}

  bool null() { return value(nullptr); }
  bool boolean(bool v) { return value(v); }
  bool number_integer(json::number_integer_t v) { return value(v); }
  bool number_unsigned(json::number_unsigned_t v) { return value(v); }
  bool number_float(json::number_float_t v, const std::string&) { return value(v); }
  bool string(std::string& v) { return value(std::move(v)); }
  bool binary(json::binary_t& v) { return value(std::move(v)); }
  bool start_object(std::size_t) { return open(json::value_t::object); }
  bool start_array(std::size_t) { return open(json::value_t::array); }
  bool key(std::string& name) {
    open_container& object = m_open[m_depth - 1];
    staged_members& members = object.members;
    if (members.size() < linear_search_limit) {
      for (const auto& member : members)
        if (member.first == name) return duplicate(name);
      members.emplace_back(std::move(name), nullptr);
    } else {
      // Large objects (symbol maps): append, then look the key up in the object's hash index.
      members.emplace_back(std::move(name), nullptr);
      if (object.keys.repeats_last(members)) {
        const std::string repeated = std::move(members.back().first);
        members.pop_back();
        return duplicate(repeated);
      }
    }
    m_member = &members.back().second;
    return true;
  }
  bool end_object() {
    open_container& object = m_open[--m_depth];
    auto& entries = static_cast<object_entries&>(object.value->get_ref<json::object_t&>());
    entries.reserve(object.members.size());
    for (auto& member : object.members) entries.emplace_back(std::move(member.first), std::move(member.second));
    object.members.clear();
    return true;
  }
  bool end_array() {
    --m_depth;
    return true;
  }
  bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& e) {
    // nlohmann's position counts the characters read: the error is at the last one (one past the end for
    // truncated text), except for a number out of range (1e400), reported where the number starts.
    std::size_t index = position > 0 ? position - 1 : 0;
    std::string reason = e.what();
    if (e.id == 406) {
      index = position >= last_token.size() ? position - last_token.size() : 0;
      reason += " (beyond the range of a double)";
    }
    // "[json.exception.parse_error.101] parse error at line 1, column 3: syntax error ..." -> "syntax error ..."
    if (const std::size_t tag = reason.find("] "); tag != std::string::npos) reason.erase(0, tag + 2);
    if (reason.rfind("parse error", 0) == 0)
      if (const std::size_t colon = reason.find(": "); colon != std::string::npos) reason.erase(0, colon + 2);
    m_where = json_position(m_source, m_text, index);
    m_requirement = "is not valid JSON: " + reason;
    return false;
  }

  /// After a failed parse: the position ("<source> line 3 column 17") and the reason.
  const std::string& where() const noexcept { return m_where; }
  const std::string& requirement() const noexcept { return m_requirement; }

 private:
  /// Open-addressing set of the keys of one large object, as indices into its members (no key copies).
  class key_index {
   public:
    /// True when `members.back()` repeats an earlier key; otherwise records it.
    bool repeats_last(const staged_members& members) {
      if (2 * (members.size() + 1) > m_slots.size()) rebuild(members);
      return !insert(members, members.size() - 1);
    }
    void clear() noexcept { m_slots.clear(); }

   private:
    bool insert(const staged_members& members, std::size_t i) {
      const std::size_t mask = m_slots.size() - 1;
      for (std::size_t slot = std::hash<std::string_view>{}(members[i].first) & mask;; slot = (slot + 1) & mask) {
        if (m_slots[slot] == 0) {
          m_slots[slot] = i + 1;
          return true;
        }
        if (members[m_slots[slot] - 1].first == members[i].first) return false;
      }
    }
    void rebuild(const staged_members& members) {
      std::size_t size = 64;
      while (size < 4 * members.size()) size *= 2;
      m_slots.assign(size, 0);
      for (std::size_t i = 0; i + 1 < members.size(); ++i) insert(members, i);
    }
    std::vector<std::size_t> m_slots;  ///< member index + 1; 0 = empty
  };

  struct open_container {
    json* value = nullptr;   ///< the object or array being filled
    staged_members members;  ///< an object's members until it closes
    key_index keys;          ///< used once an object outgrows a linear search
  };
  static constexpr std::size_t linear_search_limit = 16;

  bool open(json::value_t type) {
    value(json(type));
    if (m_depth == m_open.size()) m_open.emplace_back();
    open_container& c = m_open[m_depth++];
    c.value = m_placed;
    c.members.clear();
    c.keys.clear();
    return true;
  }
  template <class V>
  bool value(V&& v) {
    if (m_depth == 0) {
      m_root = json(std::forward<V>(v));
      m_placed = &m_root;
    } else if (m_open[m_depth - 1].value->is_array()) {
      auto& items = m_open[m_depth - 1].value->get_ref<json::array_t&>();
      items.emplace_back(std::forward<V>(v));
      m_placed = &items.back();
    } else {
      *m_member = json(std::forward<V>(v));
      m_placed = m_member;
    }
    return true;
  }
  /// Records the error for a key repeated in the innermost open object: where (the key's opening quote),
  /// which object (its path from the root, and the symbol of the nearest enclosing object naming one).
  bool duplicate(const std::string& name) {
    // The lexer has just read the key's closing quote; its opening quote is the nearest earlier quote
    // not escaped by an odd run of backslashes.
    std::size_t close = static_cast<std::size_t>(m_last_read - m_text.data());
    close = close > 0 ? close - 1 : 0;
    std::size_t open_quote = close;
    while (open_quote > 0) {
      --open_quote;
      if (m_text[open_quote] != '"') continue;
      std::size_t backslashes = 0;
      while (backslashes < open_quote && m_text[open_quote - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) break;
    }
    std::string path;
    std::string symbol;
    for (std::size_t d = 0; d < m_depth; ++d) {
      const open_container& c = m_open[d];
      if (c.value->is_object()) {
        // The innermost object naming a symbol wins; within one, the first of these fields that is set.
        bool found = false;
        for (const char* field : {"symbol", "pair", "instId", "instFamily", "uly"}) {
          for (const auto& [name_of, v] : c.members)
            if (name_of == field && v.is_string() && !v.get_ref<const std::string&>().empty()) {
              symbol = v.get<std::string>();
              found = true;
              break;
            }
          if (found) break;
        }
        if (d + 1 < m_depth) path.append("[").append(quote_text(c.members.back().first)).append("]");
      } else if (d + 1 < m_depth) {
        path.append("[").append(std::to_string(c.value->size() - 1)).append("]");
      }
    }
    m_where = json_position(m_source, m_text, open_quote);
    // Built by appends: GCC 12 -O3 misreports `"literal" + std::string` under -Wrestrict (PR 105329).
    m_requirement.assign("duplicate key ").append(quote_text(name)).append(" in the object at ");
    m_requirement.append(path.empty() ? std::string_view("the top level") : std::string_view(path));
    if (!symbol.empty()) m_requirement.append(" of symbol ").append(quote_text(symbol));
    m_requirement += " (each key may appear once: parsers disagree on which copy wins)";
    return false;
  }

  json& m_root;
  std::string_view m_text;
  const char* const& m_last_read;
  std::string_view m_source;
  std::vector<open_container> m_open;  ///< containers open at depth 0 .. m_depth - 1 (the rest are reused)
  std::size_t m_depth = 0;
  json* m_member = nullptr;
  json* m_placed = nullptr;
  std::string m_where, m_requirement;
};

/// Parse JSON text into `out` in O(size), in document order. Malformed text (with its line and column), a
/// number beyond double range and a key repeated within one object are reported through `Error`.
template <error_policy Error>
bool parse_json(const char* function, std::string_view source, std::string_view text, json& out) {
  const char* last_read = text.data();
  json_document_builder builder(out, source, text, last_read);
  const tracked_char_iterator first{text.data(), &last_read};
  const tracked_char_iterator last{text.data() + text.size(), &last_read};
  if (json::sax_parse(first, last, &builder)) return true;
  out = json();
  return fail<Error>(error_kind::invalid_argument, function, builder.where(), std::numeric_limits<double>::quiet_NaN(),
                     builder.requirement());
}

/// The string field `name` of `obj`, or "" when absent or not a string.
inline std::string string_field(const json& obj, const char* name) {
  if (!obj.is_object()) return {};
  const auto it = obj.find(name);
  if (it == obj.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer() || it->is_number_unsigned()) return describe_json(*it);
  return {};
}

/// Floors equal to the previous cap + 1 (OKX's integer contracts, docs/venues.md §3) become the previous cap;
/// then a first floor of 1 in such a table becomes 0. Anything else is left for validation to report.
template <real_scalar Real>
void join_plus_one_floors(std::vector<tier<Real>>& rows) {
  bool plus_one = false;
  for (std::size_t k = 1; k < rows.size(); ++k) {
    if (scalar_traits<Real>::isfinite(rows[k - 1].cap) && rows[k].floor == okx::next_min_size(rows[k - 1].cap)) {
      rows[k].floor = rows[k - 1].cap;
      plus_one = true;
    }
  }
  if (plus_one && !rows.empty() && rows[0].floor == okx::next_min_size(Real{})) rows[0].floor = Real{};
}

/// Deductions must be given on every tier or on none; the first tier alone may omit its (zero) one.
/// `any` tells whether they were given.
template <real_scalar Real, error_policy Error>
bool amounts_all_or_none(const json_reader<Real, Error>& r, const std::vector<bool>& given, const char* field,
                         bool& any) {
  any = false;
  for (const bool g : given) any = any || g;
  if (!any) return true;
  for (std::size_t k = 1; k < given.size(); ++k)
    if (!given[k])
      return r.fail_tier(k, field, std::numeric_limits<double>::quiet_NaN(), "is missing (present on other tiers)");
  return true;
}

/// Reads a file and runs `parse(function, text, path)`: every error names the public reader `function`.
template <error_policy Error, class Result, class Parse>
Result read_json_file(const char* function, const std::string& path, Parse&& parse) {
  std::string text;
  if (!read_text_file<Error>(function, path, text)) return Result{};
  return parse(function, std::string_view(text), std::string_view(path));
}

/// ccxt tier rows of one symbol.
template <real_scalar Real, error_policy Error>
bool ccxt_rows(json_reader<Real, Error>& r, const json& list, symbol_tiers<Real>& out) {
  if (!list.is_array() || list.empty()) return r.fail_doc("tiers", "must be a non-empty array of tier objects");
  std::vector<bool> cum_given;
  std::vector<bool> floor_given;
  for (std::size_t k = 0; k < list.size(); ++k) {
    const json& row = list[k];
    if (!row.is_object()) return r.fail_tier(k, "tier", std::numeric_limits<double>::quiet_NaN(), "must be an object");
    tier<Real> t{};
    const char* used = nullptr;
    const auto gf = r.either(row, "minNotional", "notionalFloor", k, t.floor, used);
    if (gf == json_reader<Real, Error>::got::error) return false;
    floor_given.push_back(gf == json_reader<Real, Error>::got::ok);
    const auto cap_new = row.find("maxNotional");
    const auto cap_old = row.find("notionalCap");
    const json* cap_value = cap_new != row.end() ? &*cap_new : cap_old != row.end() ? &*cap_old : nullptr;
    if (cap_value && is_int64_max(*cap_value)) {
      t.cap = scalar_traits<Real>::unbounded();
    } else {
      const auto gc = r.either(row, "maxNotional", "notionalCap", k, t.cap, used);
      if (gc == json_reader<Real, Error>::got::error) return false;
      if (gc == json_reader<Real, Error>::got::absent) {
        if (k + 1 < list.size())
          return r.fail_tier(k, "maxNotional", std::numeric_limits<double>::quiet_NaN(),
                             "is missing (only the last tier may be open-ended)");
        t.cap = scalar_traits<Real>::unbounded();
      }
    }
    const auto gr = r.either(row, "maintenanceMarginRate", "maintenanceMarginRatio", k, t.maint_rate, used);
    if (gr == json_reader<Real, Error>::got::error) return false;
    if (gr == json_reader<Real, Error>::got::absent)
      return r.fail_tier(k, "maintenanceMarginRate", std::numeric_limits<double>::quiet_NaN(), "is missing");
    if (!r.required(row, "maxLeverage", k, t.max_leverage)) return false;
    const auto info = row.find("info");
    Real cum{};
    const auto gcum = info != row.end() ? r.optional(*info, "cum", k, cum) : json_reader<Real, Error>::got::absent;
    if (gcum == json_reader<Real, Error>::got::error) return false;
    cum_given.push_back(gcum == json_reader<Real, Error>::got::ok);
    t.maint_amount = cum;
    out.rows.push_back(t);
  }
  // A missing floor is the previous tier's cap (0 for the first).
  for (std::size_t k = 0; k < out.rows.size(); ++k)
    if (!floor_given[k]) out.rows[k].floor = k == 0 ? Real{} : out.rows[k - 1].cap;
  join_plus_one_floors(out.rows);
  bool any = false;
  if (!amounts_all_or_none(r, cum_given, "info.cum", any)) return false;
  out.maint_amount_given = any;
  return true;
}

}  // namespace detail

// ---- ccxt unified ---------------------------------------------------------------------------------

namespace detail {
/// `parse_ccxt_leverage_tiers` naming `fn`, the public function called, in its errors.
template <real_scalar Real, error_policy Error>
std::vector<symbol_tiers<Real>> parse_ccxt_leverage_tiers(const char* fn,
    std::string_view text, std::string_view source, std::string_view symbol) noexcept(Error::is_noexcept) {
  detail::json doc;
  if (!detail::parse_json<Error>(fn, source, text, doc)) return {};
  detail::json_reader<Real, Error> r{fn, source, std::string(symbol)};
  std::vector<symbol_tiers<Real>> out;
  const auto one = [&](const std::string& name, const detail::json& list) {
    r.symbol = name;
    symbol_tiers<Real> s;
    s.symbol = name;
    s.unit = "notional";
    if (!detail::ccxt_rows(r, list, s)) return false;
    if (!detail::validate_tiers<Error>(fn, source, s,
                                       {"minNotional", "maxNotional", "maintenanceMarginRate", "maxLeverage", "info.cum"}))
      return false;
    out.push_back(std::move(s));
    return true;
  };
  if (doc.is_array()) {
    std::string name(symbol);
    if (name.empty() && !doc.empty()) name = detail::string_field(doc[0], "symbol");
    for (std::size_t k = 0; k < doc.size(); ++k) {
      const std::string row_symbol = detail::string_field(doc[k], "symbol");
      if (!row_symbol.empty() && row_symbol != name) {
        r.symbol = name;
        r.fail_tier(k, "symbol", std::numeric_limits<double>::quiet_NaN(),
                    "differs from the first tier's (" + detail::quote_text(row_symbol) + "): one list is one market");
        return {};
      }
    }
    if (!one(name, doc)) return {};
  } else if (doc.is_object() && !doc.empty()) {
    for (const auto& [name, list] : doc.items()) {
      if (!one(name, list)) return {};
    }
  } else {
    r.fail_doc("document", "must be an object symbol -> tiers or an array of tiers");
    return {};
  }
  return out;
}
}  // namespace detail

/// ccxt `fetchLeverageTiers` output (an object symbol -> list of tiers) or `fetchMarketLeverageTiers`
/// output (one list; its symbol is the rows' `symbol` field, else `symbol`). Both field spellings
/// (docs/venues.md §7). Result in document order. O(tiers). Errors: see the file comment.
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> parse_ccxt_leverage_tiers(std::string_view text, std::string_view source = "<memory>",
                                                          std::string_view symbol = {}) noexcept(Error::is_noexcept) {
  return detail::parse_ccxt_leverage_tiers<Real, Error>("io::parse_ccxt_leverage_tiers", text, source, symbol);
}

/// As `parse_ccxt_leverage_tiers` on the file at `path` (its name is the error source). An unreadable file is an
/// `invalid_argument` naming the path; a non-throwing policy then returns an empty result.
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> read_ccxt_leverage_tiers(const std::string& path,
                                                         std::string_view symbol = {}) noexcept(Error::is_noexcept) {
  return detail::read_json_file<Error, std::vector<symbol_tiers<Real>>>(
      "io::read_ccxt_leverage_tiers", path,
      [&](const char* fn, std::string_view text, std::string_view src) {
        return detail::parse_ccxt_leverage_tiers<Real, Error>(fn, text, src, symbol);
      });
}

// ---- Binance leverageBracket ----------------------------------------------------------------------

namespace detail {
/// `parse_binance_leverage_brackets` naming `fn`, the public function called, in its errors.
template <real_scalar Real, error_policy Error>
std::vector<symbol_tiers<Real>> parse_binance_leverage_brackets(const char* fn,
    std::string_view text, std::string_view source) noexcept(
    Error::is_noexcept) {
  using got = typename detail::json_reader<Real, Error>::got;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  detail::json doc;
  if (!detail::parse_json<Error>(fn, source, text, doc)) return {};
  detail::json_reader<Real, Error> r{fn, source, {}};
  if (!doc.is_array() && !doc.is_object()) {
    r.fail_doc("document", "must be an array of {symbol, brackets} or one such object");
    return {};
  }
  const std::size_t items = doc.is_array() ? doc.size() : 1;
  if (items == 0) {
    r.fail_doc("document", "must not be an empty array");
    return {};
  }
  std::vector<symbol_tiers<Real>> out;
  std::unordered_map<std::string, std::size_t> entry_of;  // symbol -> 1-based entry, to reject a repeat
  for (std::size_t i = 0; i < items; ++i) {
    const detail::json& item = doc.is_array() ? doc[i] : doc;
    std::string name = detail::string_field(item, "symbol");
    if (name.empty()) name = detail::string_field(item, "pair");
    r.symbol = name.empty() ? "#" + std::to_string(i + 1) : name;
    if (name.empty()) {
      r.fail_doc("symbol", "is missing (neither 'symbol' nor 'pair')");
      return {};
    }
    if (const auto [seen, fresh] = entry_of.emplace(name, i + 1); !fresh) {
      std::string requirement = "appears again in entry ";
      requirement.append(std::to_string(i + 1)).append(" after entry ").append(std::to_string(seen->second));
      requirement.append(" (one bracket list per symbol: which copy would win is undefined)");
      r.fail_doc("symbol", requirement);
      return {};
    }
    const auto brackets = item.find("brackets");
    if (brackets == item.end() || !brackets->is_array() || brackets->empty()) {
      r.fail_doc("brackets", "must be a non-empty array");
      return {};
    }
    symbol_tiers<Real> s;
    s.symbol = name;
    bool coin = false;
    std::vector<bool> cum_given;
    for (std::size_t k = 0; k < brackets->size(); ++k) {
      const detail::json& b = (*brackets)[k];
      if (!b.is_object()) {
        r.fail_tier(k, "bracket", nan, "must be an object");
        return {};
      }
      const bool has_notional = b.contains("notionalFloor") || b.contains("notionalCap");
      const bool has_qty = b.contains("qtylFloor") || b.contains("qtyFloor") || b.contains("qtyCap");
      if (has_notional == has_qty) {
        r.fail_tier(k, has_qty ? "qtyCap" : "notionalFloor", nan,
                    has_qty ? "mixes USD-M notionalFloor/notionalCap with COIN-M qtylFloor/qtyCap"
                            : "is missing (need notionalFloor/notionalCap or COIN-M qtylFloor/qtyCap)");
        return {};
      }
      if (k == 0) coin = has_qty;
      if (coin != has_qty) {
        r.fail_tier(k, has_qty ? "qtyCap" : "notionalCap", nan, "bracket units differ from the first bracket's");
        return {};
      }
      tier<Real> t{};
      const char* floor_name = has_qty ? (b.contains("qtylFloor") ? "qtylFloor" : "qtyFloor") : "notionalFloor";
      const char* cap_name = has_qty ? "qtyCap" : "notionalCap";
      const char* used = nullptr;
      if (has_qty) {
        const got g = r.either(b, "qtylFloor", "qtyFloor", k, t.floor, used);
        if (g == got::error) return {};
        if (g == got::absent) {
          r.fail_tier(k, floor_name, nan, "is missing");
          return {};
        }
      } else if (!r.required(b, floor_name, k, t.floor)) {
        return {};
      }
      const auto cap_it = b.find(cap_name);
      if (cap_it != b.end() && detail::is_int64_max(*cap_it)) {
        t.cap = scalar_traits<Real>::unbounded();
      } else if (!r.required(b, cap_name, k, t.cap)) {
        return {};
      }
      if (!r.required(b, "maintMarginRatio", k, t.maint_rate)) return {};
      if (!r.required(b, "initialLeverage", k, t.max_leverage)) return {};
      const got gc = r.optional(b, "cum", k, t.maint_amount);
      if (gc == got::error) return {};
      cum_given.push_back(gc == got::ok);
      s.rows.push_back(t);
    }
    bool any = false;
    if (!detail::amounts_all_or_none(r, cum_given, "cum", any)) return {};
    s.maint_amount_given = any;
    s.unit = coin ? "coin notional" : "quote notional";
    const field_names names = coin ? field_names{"qtylFloor", "qtyCap", "maintMarginRatio", "initialLeverage", "cum"}
                                   : field_names{"notionalFloor", "notionalCap", "maintMarginRatio", "initialLeverage", "cum"};
    if (!detail::validate_tiers<Error>(fn, source, s, names)) return {};
    out.push_back(std::move(s));
  }
  return out;
}
}  // namespace detail

/// Binance `GET /fapi/v1/leverageBracket` (USD-M; array, or one object when called with a symbol) or
/// `GET /dapi/v{1,2}/leverageBracket` (COIN-M, `qtylFloor`/`qtyCap` in coin; `pair` accepted for the
/// symbol). docs/venues.md §1.1, §1.6. `cum` is checked against the recursion. O(tiers).
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> parse_binance_leverage_brackets(std::string_view text,
                                                                std::string_view source = "<memory>") noexcept(
    Error::is_noexcept) {
  return detail::parse_binance_leverage_brackets<Real, Error>("io::parse_binance_leverage_brackets", text, source);
}

/// As `parse_binance_leverage_brackets` on the file at `path` (its name is the error source). An unreadable file is an
/// `invalid_argument` naming the path; a non-throwing policy then returns an empty result.
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> read_binance_leverage_brackets(const std::string& path) noexcept(Error::is_noexcept) {
  return detail::read_json_file<Error, std::vector<symbol_tiers<Real>>>(
      "io::read_binance_leverage_brackets", path,
      [](const char* fn, std::string_view text, std::string_view src) {
        return detail::parse_binance_leverage_brackets<Real, Error>(fn, text, src);
      });
}

// ---- Bybit risk-limit -----------------------------------------------------------------------------

namespace detail {
/// `parse_bybit_risk_limit` naming `fn`, the public function called, in its errors.
template <real_scalar Real, error_policy Error>
std::vector<symbol_tiers<Real>> parse_bybit_risk_limit(const char* fn,
    std::string_view text, std::string_view source, bybit_units units) noexcept(
    Error::is_noexcept) {
  using got = typename detail::json_reader<Real, Error>::got;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  detail::json doc;
  if (!detail::parse_json<Error>(fn, source, text, doc)) return {};
  detail::json_reader<Real, Error> r{fn, source, {}};
  const detail::json* list = &doc;
  std::string category;
  if (doc.is_object()) {
    const auto code = doc.find("retCode");
    if (code != doc.end() && !(code->is_number() && code->get<double>() == 0.0)) {
      r.fail_doc("retCode", "must be 0, got " + detail::describe_json(*code) + " (" +
                                detail::quote_text(detail::string_field(doc, "retMsg")) + ")");
      return {};
    }
    const detail::json* result = &doc;
    if (doc.contains("result")) result = &doc["result"];
    category = detail::string_field(*result, "category");
    if (!result->is_object() || !result->contains("list")) {
      r.fail_doc("result.list", "is missing");
      return {};
    }
    list = &(*result)["list"];
  }
  if (!list->is_array() || list->empty()) {
    r.fail_doc("list", "must be a non-empty array of risk-limit rows");
    return {};
  }
  // Group rows by symbol, keeping document order.
  std::vector<std::string> names;  // in order of first appearance
  std::vector<std::vector<std::size_t>> members;
  std::unordered_map<std::string, std::size_t> group_of;  // name -> index in names
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string name = detail::string_field((*list)[i], "symbol");
    if (name.empty()) {
      r.symbol.clear();
      r.fail_tier(i, "symbol", nan, "is missing");
      return {};
    }
    const auto [group, added] = group_of.try_emplace(name, names.size());
    if (added) {
      names.push_back(name);
      members.emplace_back();
    }
    members[group->second].push_back(i);
  }
  std::vector<symbol_tiers<Real>> out;
  for (std::size_t g = 0; g < names.size(); ++g) {
    r.symbol = names[g];
    symbol_tiers<Real> s;
    s.symbol = names[g];
    s.unit = category == "inverse" ? "coin notional" : category == "linear" ? "quote notional" : "notional";
    std::vector<bool> mmd_given;
    std::vector<Real> imr;
    bool all_imr = true;
    for (std::size_t k = 0; k < members[g].size(); ++k) {
      const detail::json& row = (*list)[members[g][k]];
      if (!row.is_object()) {
        r.fail_tier(k, "row", nan, "must be an object");
        return {};
      }
      tier<Real> t{};
      if (!r.required(row, "riskLimitValue", k, t.cap)) return {};
      if (!r.required(row, "maintenanceMargin", k, t.maint_rate)) return {};
      if (!r.required(row, "maxLeverage", k, t.max_leverage)) return {};
      Real initial{};
      const got gi = r.optional(row, "initialMargin", k, initial);
      if (gi == got::error) return {};
      all_imr = all_imr && gi == got::ok;
      imr.push_back(initial);
      const got gm = r.optional(row, "mmDeduction", k, t.maint_amount);
      if (gm == got::error) return {};
      mmd_given.push_back(gm == got::ok);
      t.floor = k == 0 ? Real{} : s.rows[k - 1].cap;
      s.rows.push_back(t);
    }
    // Units.
    bool percent = units == bybit_units::percent;
    if (units == bybit_units::automatic) {
      if (all_imr) {
        bool fraction_ok = true, percent_ok = true;
        for (std::size_t k = 0; k < s.rows.size(); ++k) {
          const double q = to_double(imr[k]) * to_double(s.rows[k].max_leverage);
          fraction_ok = fraction_ok && std::fabs(q - 1.0) <= 0.01;
          percent_ok = percent_ok && std::fabs(q - 100.0) <= 1.0;
        }
        if (!fraction_ok && !percent_ok) {
          r.fail_doc("initialMargin", "inconsistent units: initialMargin x maxLeverage must be 1 on every tier "
                                      "(fractions) or 100 on every tier (percent)");
          return {};
        }
        percent = percent_ok;
      } else if (category == "linear" || category == "inverse") {
        percent = bybit::default_rate_unit(category == "inverse" ? bybit::category::inverse : bybit::category::linear) ==
                  bybit::rate_unit::percent;
      } else {
        r.fail_doc("maintenanceMargin", "units unknown (no initialMargin and no category): pass bybit_units::fraction "
                                        "or bybit_units::percent");
        return {};
      }
    }
    for (std::size_t k = 0; k < s.rows.size(); ++k) {
      if (percent) {
        constexpr bybit::rate_unit unit = bybit::rate_unit::percent;
        const Real rate = bybit::rate_as_fraction(s.rows[k].maint_rate, unit);
        const Real initial = bybit::rate_as_fraction(imr[k], unit);
        if (scalar_traits<Real>::is_exact && (!(bybit::rate_in_unit(rate, unit) == s.rows[k].maint_rate) ||
                                              !(bybit::rate_in_unit(initial, unit) == imr[k]))) {
          r.fail_tier(k, "maintenanceMargin", to_double(s.rows[k].maint_rate),
                      "percent value has more decimals than the scalar holds after division by 100");
          return {};
        }
        s.rows[k].maint_rate = rate;
        imr[k] = initial;
      }
      if (all_imr) {
        const double q = to_double(imr[k]) * to_double(s.rows[k].max_leverage);
        if (std::fabs(q - 1.0) > 0.01) {
          r.fail_tier(k, "initialMargin", to_double(imr[k]),
                      std::string("inconsistent with maxLeverage: initialMargin x maxLeverage must be 1 within 1% ") +
                          (percent ? "(units: percent)" : "(units: fraction)"));
          return {};
        }
        if (imr[k] < s.rows[k].maint_rate) {
          r.fail_tier(k, "maintenanceMargin", to_double(s.rows[k].maint_rate), "must be <= initialMargin");
          return {};
        }
      }
    }
    // mmDeduction: all non-first tiers or none; an absent first one is 0.
    bool any = false;
    if (!detail::amounts_all_or_none(r, mmd_given, "mmDeduction", any)) return {};
    s.maint_amount_given = any;
    if (!detail::validate_tiers<Error>(fn, source, s,
                                       {"riskLimitValue", "riskLimitValue", "maintenanceMargin", "maxLeverage", "mmDeduction"}))
      return {};
    out.push_back(std::move(s));
  }
  return out;
}
}  // namespace detail

/// Bybit `GET /v5/market/risk-limit` (docs/venues.md §2): the whole response, its `result`, or the `list` array.
/// Rows are grouped by `symbol` (document order) and must be in increasing `riskLimitValue` within a
/// symbol. Floors are the previous tier's riskLimitValue; rates are normalised to fractions per `units`;
/// `mmDeduction` ("" or absent on the first tier means 0) is checked against the recursion. A response with
/// `retCode` != 0 is an error. O(tiers).
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> parse_bybit_risk_limit(std::string_view text, std::string_view source = "<memory>",
                                                       bybit_units units = bybit_units::automatic) noexcept(
    Error::is_noexcept) {
  return detail::parse_bybit_risk_limit<Real, Error>("io::parse_bybit_risk_limit", text, source, units);
}

/// As `parse_bybit_risk_limit` on the file at `path` (its name is the error source). An unreadable file is an
/// `invalid_argument` naming the path; a non-throwing policy then returns an empty result.
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> read_bybit_risk_limit(const std::string& path,
                                                      bybit_units units = bybit_units::automatic) noexcept(Error::is_noexcept) {
  return detail::read_json_file<Error, std::vector<symbol_tiers<Real>>>(
      "io::read_bybit_risk_limit", path,
      [&](const char* fn, std::string_view text, std::string_view src) {
        return detail::parse_bybit_risk_limit<Real, Error>(fn, text, src, units);
      });
}

// ---- OKX position-tiers ---------------------------------------------------------------------------

namespace detail {
/// `parse_okx_position_tiers` naming `fn`, the public function called, in its errors.
template <real_scalar Real, error_policy Error>
std::vector<symbol_tiers<Real>> parse_okx_position_tiers(const char* fn,
    std::string_view text, std::string_view source) noexcept(
    Error::is_noexcept) {
  using got = typename detail::json_reader<Real, Error>::got;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  detail::json doc;
  if (!detail::parse_json<Error>(fn, source, text, doc)) return {};
  detail::json_reader<Real, Error> r{fn, source, {}};
  const detail::json* list = &doc;
  if (doc.is_object()) {
    const auto code = doc.find("code");
    if (code != doc.end() && detail::describe_json(*code) != "\"0\"" && detail::describe_json(*code) != "0") {
      r.fail_doc("code", "must be \"0\", got " + detail::describe_json(*code) + " (" +
                             detail::quote_text(detail::string_field(doc, "msg")) + ")");
      return {};
    }
    if (!doc.contains("data")) {
      r.fail_doc("data", "is missing");
      return {};
    }
    list = &doc["data"];
  }
  if (!list->is_array() || list->empty()) {
    r.fail_doc("data", "must be a non-empty array of position tiers");
    return {};
  }
  std::vector<std::string> names;  // in order of first appearance
  std::vector<std::vector<std::size_t>> members;
  std::unordered_map<std::string, std::size_t> group_of;  // name -> index in names
  for (std::size_t i = 0; i < list->size(); ++i) {
    const detail::json& row = (*list)[i];
    std::string name = detail::string_field(row, "instId");
    if (name.empty()) name = detail::string_field(row, "instFamily");
    if (name.empty()) name = detail::string_field(row, "uly");
    if (name.empty()) {
      r.symbol.clear();
      r.fail_tier(i, "instId", nan, "is missing (need instId, instFamily or uly)");
      return {};
    }
    const auto [group, added] = group_of.try_emplace(name, names.size());
    if (added) {
      names.push_back(name);
      members.emplace_back();
    }
    members[group->second].push_back(i);
  }
  std::vector<symbol_tiers<Real>> out;
  for (std::size_t g = 0; g < names.size(); ++g) {
    r.symbol = names[g];
    symbol_tiers<Real> s;
    s.symbol = names[g];
    s.unit = "contracts";
    s.flat = true;
    for (std::size_t k = 0; k < members[g].size(); ++k) {
      const detail::json& row = (*list)[members[g][k]];
      tier<Real> t{};
      Real min_size{};
      if (!r.required(row, "minSz", k, min_size)) return {};
      if (!r.required(row, "maxSz", k, t.cap)) return {};
      if (!r.required(row, "mmr", k, t.maint_rate)) return {};
      if (!r.required(row, "maxLever", k, t.max_leverage)) return {};
      Real initial{};
      const got gi = r.optional(row, "imr", k, initial);
      if (gi == got::error) return {};
      if (gi == got::ok && std::fabs(to_double(initial) * to_double(t.max_leverage) - 1.0) > 0.01) {
        r.fail_tier(k, "imr", to_double(initial), "inconsistent with maxLever: imr x maxLever must be 1 within 1%");
        return {};
      }
      if (k == 0) {
        if (!okx::first_min_size_valid(min_size)) {
          r.fail_tier(k, "minSz", to_double(min_size), "the first tier must start at 0 or 1 contract");
          return {};
        }
        t.floor = Real{};
      } else {
        const Real previous = s.rows[k - 1].cap;
        const Real expected = okx::next_min_size(previous);
        if (!(min_size == expected) && !(min_size == previous)) {  // equal: a feed that already joined the floors
          r.fail_tier(k, "minSz", to_double(min_size),
                      (expected < min_size ? std::string("gap") : std::string("overlap")) +
                          ": must be the previous tier's maxSz + 1 (" + detail::format_number(expected) + ")");
          return {};
        }
        t.floor = previous;
      }
      s.rows.push_back(t);
    }
    if (!detail::validate_tiers<Error>(fn, source, s, {"minSz", "maxSz", "mmr", "maxLever", "maint_amount"})) return {};
    out.push_back(std::move(s));
  }
  return out;
}
}  // namespace detail

/// OKX `GET /api/v5/public/position-tiers` (docs/venues.md §3): the whole response (`code` must be "0") or its
/// `data` array. Symbol: `instId`, else `instFamily`, else `uly`. Floors and caps in contracts: the first
/// `minSz` must be 0 or 1, each later one the previous `maxSz` + 1 (or equal to it). `imr` x `maxLever` must
/// be 1 within 1% when `imr` is given. The result is `flat` (MM = notional x mmr, no deduction). O(tiers).
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> parse_okx_position_tiers(std::string_view text, std::string_view source = "<memory>") noexcept(
    Error::is_noexcept) {
  return detail::parse_okx_position_tiers<Real, Error>("io::parse_okx_position_tiers", text, source);
}

/// As `parse_okx_position_tiers` on the file at `path` (its name is the error source). An unreadable file is an
/// `invalid_argument` naming the path; a non-throwing policy then returns an empty result.
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> read_okx_position_tiers(const std::string& path) noexcept(Error::is_noexcept) {
  return detail::read_json_file<Error, std::vector<symbol_tiers<Real>>>(
      "io::read_okx_position_tiers", path,
      [](const char* fn, std::string_view text, std::string_view src) {
        return detail::parse_okx_position_tiers<Real, Error>(fn, text, src);
      });
}

// ---- Hyperliquid ----------------------------------------------------------------------------------

namespace detail {
/// Hyperliquid tiers from (lower bound, max leverage) pairs: mmr = 1/(2 maxLev), caps = next lower bound.
template <real_scalar Real, error_policy Error>
bool hyperliquid_rows(json_reader<Real, Error>& r, const json& tiers, const char* lower_name, const char* lev_name,
                      symbol_tiers<Real>& s) {
  if (!tiers.is_array() || tiers.empty())
    return r.fail_doc("marginTiers", "must be a non-empty array of {lowerBound, maxLeverage}");
  for (std::size_t k = 0; k < tiers.size(); ++k) {
    tier<Real> t{};
    if (!r.required(tiers[k], lower_name, k, t.floor)) return false;
    if (!r.required(tiers[k], lev_name, k, t.max_leverage)) return false;
    if (!hyperliquid::max_leverage_valid(t.max_leverage))
      return r.fail_tier(k, lev_name, to_double(t.max_leverage), derived_rate_leverage_requirement);
    t.maint_rate = hyperliquid::maintenance_rate_for(t.max_leverage);
    t.cap = scalar_traits<Real>::unbounded();
    if (k > 0) s.rows[k - 1].cap = t.floor;
    s.rows.push_back(t);
  }
  s.unit = "USDC notional";
  return validate_tiers<Error>(r.function, r.source, s, {lower_name, lower_name, "maintenance rate 1/(2*maxLeverage)", lev_name, "deduction"});
}
}  // namespace detail

namespace detail {
/// `parse_hyperliquid_margin_table` naming `fn`, the public function called, in its errors.
template <real_scalar Real, error_policy Error>
symbol_tiers<Real> parse_hyperliquid_margin_table(const char* fn,
    std::string_view text, std::string_view source, std::string_view name) noexcept(Error::is_noexcept) {
  detail::json doc;
  if (!detail::parse_json<Error>(fn, source, text, doc)) return {};
  symbol_tiers<Real> s;
  s.symbol = name.empty() ? detail::string_field(doc, "description") : std::string(name);
  detail::json_reader<Real, Error> r{fn, source, s.symbol};
  if (!doc.is_object() || !doc.contains("marginTiers")) {
    r.fail_doc("marginTiers", "is missing (expected {description, marginTiers:[{lowerBound, maxLeverage}]})");
    return {};
  }
  if (!detail::hyperliquid_rows(r, doc["marginTiers"], "lowerBound", "maxLeverage", s)) return {};
  return s;
}
}  // namespace detail

/// Hyperliquid `{"type":"marginTable","id":N}` response `{description, marginTiers:[{lowerBound,
/// maxLeverage}]}` (docs/venues.md §4). The symbol is `name`, else the description. mmr = 1/(2 maxLeverage)
/// computed in `Real` (for `decimal<S>` rounded to S decimals, e.g. 1/30 -> 0.03333333 at S = 8); deductions
/// by the recursion. Under a non-throwing policy a failed parse returns empty rows. O(tiers).
template <real_scalar Real = double, error_policy Error = throw_errors>
symbol_tiers<Real> parse_hyperliquid_margin_table(std::string_view text, std::string_view source = "<memory>",
                                                  std::string_view name = {}) noexcept(Error::is_noexcept) {
  return detail::parse_hyperliquid_margin_table<Real, Error>("io::parse_hyperliquid_margin_table", text, source, name);
}

/// As `parse_hyperliquid_margin_table` on the file at `path` (its name is the error source). An unreadable file is an
/// `invalid_argument` naming the path; a non-throwing policy then returns an empty result.
template <real_scalar Real = double, error_policy Error = throw_errors>
symbol_tiers<Real> read_hyperliquid_margin_table(const std::string& path, std::string_view name = {}) noexcept(
    Error::is_noexcept) {
  return detail::read_json_file<Error, symbol_tiers<Real>>(
      "io::read_hyperliquid_margin_table", path, [&](const char* fn, std::string_view text, std::string_view src) {
        return detail::parse_hyperliquid_margin_table<Real, Error>(fn, text, src, name);
      });
}

namespace detail {
/// `parse_hyperliquid_margin_tables` naming `fn`, the public function called, in its errors.
template <real_scalar Real, error_policy Error>
std::vector<symbol_tiers<Real>> parse_hyperliquid_margin_tables(const char* fn,
    std::string_view text, std::string_view source) noexcept(
    Error::is_noexcept) {
  detail::json doc;
  if (!detail::parse_json<Error>(fn, source, text, doc)) return {};
  detail::json_reader<Real, Error> r{fn, source, {}};
  const detail::json* tables = &doc;
  if (doc.is_object() && doc.contains("marginTables")) tables = &doc["marginTables"];
  if (!tables->is_array() || tables->empty()) {
    r.fail_doc("marginTables", "must be a non-empty array of [id, {description, marginTiers}]");
    return {};
  }
  std::vector<symbol_tiers<Real>> out;
  for (std::size_t i = 0; i < tables->size(); ++i) {
    const detail::json& entry = (*tables)[i];
    r.symbol = "#" + std::to_string(i + 1);
    if (!entry.is_array() || entry.size() != 2 || !(entry[0].is_number_integer() || entry[0].is_number_unsigned()) ||
        !entry[1].is_object() || !entry[1].contains("marginTiers")) {
      r.fail_doc("marginTables", "entry must be [id, {description, marginTiers:[...]}]");
      return {};
    }
    symbol_tiers<Real> s;
    s.symbol = detail::describe_json(entry[0]);
    r.symbol = s.symbol;
    if (!detail::hyperliquid_rows(r, entry[1]["marginTiers"], "lowerBound", "maxLeverage", s)) return {};
    out.push_back(std::move(s));
  }
  return out;
}
}  // namespace detail

/// Hyperliquid `meta` margin tables: the `marginTables` array of a `meta` response, `[[id, {description,
/// marginTiers}], ...]`, or the whole response holding it. One entry per table in document order, named by
/// its id ("56"); tiers as `parse_hyperliquid_margin_table`. O(tiers).
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> parse_hyperliquid_margin_tables(std::string_view text,
                                                                std::string_view source = "<memory>") noexcept(
    Error::is_noexcept) {
  return detail::parse_hyperliquid_margin_tables<Real, Error>("io::parse_hyperliquid_margin_tables", text, source);
}

/// As `parse_hyperliquid_margin_tables` on the file at `path` (its name is the error source). An unreadable file is an
/// `invalid_argument` naming the path; a non-throwing policy then returns an empty result.
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> read_hyperliquid_margin_tables(const std::string& path) noexcept(Error::is_noexcept) {
  return detail::read_json_file<Error, std::vector<symbol_tiers<Real>>>(
      "io::read_hyperliquid_margin_tables", path,
      [](const char* fn, std::string_view text, std::string_view src) {
        return detail::parse_hyperliquid_margin_tables<Real, Error>(fn, text, src);
      });
}

namespace detail {
/// `parse_hyperliquid_docs_tiers` naming `fn`, the public function called, in its errors.
template <real_scalar Real, error_policy Error>
std::vector<symbol_tiers<Real>> parse_hyperliquid_docs_tiers(const char* fn,
    std::string_view text, std::string_view source) noexcept(
    Error::is_noexcept) {
  detail::json doc;
  if (!detail::parse_json<Error>(fn, source, text, doc)) return {};
  detail::json_reader<Real, Error> r{fn, source, {}};
  const auto coins = doc.is_object() ? doc.find("tiers") : doc.end();
  if (coins == doc.end() || !coins->is_object() || coins->empty()) {
    r.fail_doc("tiers", "must be an object coin -> {tiers:[{lower_bound_usdc, max_leverage}]}");
    return {};
  }
  std::vector<symbol_tiers<Real>> out;
  for (const auto& [coin, entry] : coins->items()) {
    r.symbol = coin;
    symbol_tiers<Real> s;
    s.symbol = coin;
    const auto list = entry.is_object() ? entry.find("tiers") : entry.end();
    if (list == entry.end()) {
      r.fail_doc("tiers", "is missing");
      return {};
    }
    if (!detail::hyperliquid_rows(r, *list, "lower_bound_usdc", "max_leverage", s)) return {};
    out.push_back(std::move(s));
  }
  return out;
}
}  // namespace detail

/// data/hyperliquid_margin_tiers_docs.json: `tiers[coin] = {margin_table_id, description, tiers:
/// [{lower_bound_usdc, max_leverage}]}`; one entry per coin in document order, as
/// `parse_hyperliquid_margin_table`. The file's `derived_by_formula_not_in_source` values are not read.
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> parse_hyperliquid_docs_tiers(std::string_view text,
                                                             std::string_view source = "<memory>") noexcept(
    Error::is_noexcept) {
  return detail::parse_hyperliquid_docs_tiers<Real, Error>("io::parse_hyperliquid_docs_tiers", text, source);
}

/// As `parse_hyperliquid_docs_tiers` on the file at `path` (its name is the error source). An unreadable file is an
/// `invalid_argument` naming the path; a non-throwing policy then returns an empty result.
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> read_hyperliquid_docs_tiers(const std::string& path) noexcept(Error::is_noexcept) {
  return detail::read_json_file<Error, std::vector<symbol_tiers<Real>>>(
      "io::read_hyperliquid_docs_tiers", path,
      [](const char* fn, std::string_view text, std::string_view src) {
        return detail::parse_hyperliquid_docs_tiers<Real, Error>(fn, text, src);
      });
}

// ---- Binance maintenance brackets (ccxt fixture) --------------------------------------------------

namespace detail {
/// `parse_binance_maint_brackets` naming `fn`, the public function called, in its errors.
template <real_scalar Real, error_policy Error>
std::vector<symbol_tiers<Real>> parse_binance_maint_brackets(const char* fn,
    std::string_view text, max_leverage_rule rule, std::string_view source) noexcept(
    Error::is_noexcept) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  detail::json doc;
  if (!detail::parse_json<Error>(fn, source, text, doc)) return {};
  detail::json_reader<Real, Error> r{fn, source, {}};
  const detail::json* symbols = &doc;
  if (doc.is_object() && doc.contains("leverageBrackets")) symbols = &doc["leverageBrackets"];
  if (!symbols->is_object() || symbols->empty()) {
    r.fail_doc("leverageBrackets", "must be an object symbol -> [[floor, mmr], ...]");
    return {};
  }
  std::vector<symbol_tiers<Real>> out;
  const Real one = from_double<Real>(1.0);
  const Real divisor = rule == max_leverage_rule::floor_half_inverse_mmr ? from_double<Real>(2.0) : one;
  for (const auto& [name, list] : symbols->items()) {
    r.symbol = name;
    symbol_tiers<Real> s;
    s.symbol = name;
    const std::size_t slash = name.find('/');
    const std::size_t colon = name.find(':');
    const std::string_view view(name);
    const bool quote_margined = slash != std::string::npos && colon != std::string::npos && colon > slash &&
                                view.substr(slash + 1, colon - slash - 1) == view.substr(colon + 1);
    s.unit = quote_margined ? "quote notional" : "coin notional";
    if (!list.is_array() || list.empty()) {
      r.fail_doc("brackets", "must be a non-empty array of [floor, mmr] pairs");
      return {};
    }
    for (std::size_t k = 0; k < list.size(); ++k) {
      const detail::json& pair = list[k];
      if (!pair.is_array() || pair.size() != 2) {
        r.fail_tier(k, "[floor, mmr]", nan, "must be a pair [floor, maint_margin_ratio]");
        return {};
      }
      tier<Real> t{};
      for (std::size_t j = 0; j < 2; ++j) {
        Real& target = j == 0 ? t.floor : t.maint_rate;
        const detail::number_status st = detail::json_to_real(pair[j], target);
        if (st != detail::number_status::ok) {
          r.fail_tier(k, j == 0 ? "floor" : "mmr", nan,
                      std::string(st == detail::number_status::malformed ? "must be a number or a numeric string"
                                                                         : detail::describe(st)) +
                          ", got " + detail::describe_json(pair[j]));
          return {};
        }
      }
      if (Real{} < t.maint_rate)
        t.max_leverage = scalar_traits<Real>::round(one / (divisor * t.maint_rate), rounding_mode::down, 0);
      t.cap = scalar_traits<Real>::unbounded();
      if (k > 0) s.rows[k - 1].cap = t.floor;
      s.rows.push_back(t);
    }
    if (!detail::validate_tiers<Error>(fn, source, s, {"floor", "floor", "mmr", "max_leverage (derived)", "cum"}))
      return {};
    out.push_back(std::move(s));
  }
  return out;
}
}  // namespace detail

/// data/binance_maint_margin_brackets_ccxt.json: `leverageBrackets[symbol] = [[floor, mmr], ...]` (or that
/// object itself). The fixture has no max leverage and no `cum`: the leverage is filled by `rule` (a
/// required, explicit choice: it is **derived**, not data) and the deductions by the recursion. Caps are
/// the next floors, the last tier is open. Unit: quote notional for `X/Q:Q` symbols, coin notional
/// otherwise (the COIN-M floors' unit is unverified, data/SOURCES.md). O(tiers).
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> parse_binance_maint_brackets(std::string_view text, max_leverage_rule rule,
                                                             std::string_view source = "<memory>") noexcept(
    Error::is_noexcept) {
  return detail::parse_binance_maint_brackets<Real, Error>("io::parse_binance_maint_brackets", text, rule, source);
}

/// As `parse_binance_maint_brackets` on the file at `path` (its name is the error source). An unreadable file is an
/// `invalid_argument` naming the path; a non-throwing policy then returns an empty result.
template <real_scalar Real = double, error_policy Error = throw_errors>
std::vector<symbol_tiers<Real>> read_binance_maint_brackets(const std::string& path,
                                                            max_leverage_rule rule) noexcept(Error::is_noexcept) {
  return detail::read_json_file<Error, std::vector<symbol_tiers<Real>>>(
      "io::read_binance_maint_brackets", path,
      [&](const char* fn, std::string_view text, std::string_view src) {
        return detail::parse_binance_maint_brackets<Real, Error>(fn, text, rule, src);
      });
}

}  // namespace io

TIERMARGIN_NAMESPACE_END
