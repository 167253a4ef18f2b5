// SPDX-License-Identifier: BSL-1.0
// Batch queries and the max-affine kernels (tiers/detail/max_affine.hpp) against an independent model of the
// table (support/tier_oracle.hpp: brute-force tier search, deductions and margins in long double). Every output
// slot is pre-filled with a sentinel the query never returns (NaN, or SIZE_MAX for tier indices), each kernel
// and call gets its own buffer, lengths sit around the SIMD-vector and 64-position chunk edges, spans start
// aligned or one element past the allocation, and guard slots after the span must stay untouched.
#include <tiermargin/tiers.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <functional>
#include <iomanip>
#include <limits>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"
#include "support/tier_oracle.hpp"

namespace tmg = tiermargin;
using test_support::guarded_output;
using test_support::tier_oracle;

namespace {
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double guard = -7.25;  // any value: guard slots are compared bit for bit
constexpr std::size_t no_index = std::numeric_limits<std::size_t>::max();
constexpr auto eps = static_cast<long double>(std::numeric_limits<double>::epsilon());

/// The elements of one call that miss their expected value: how many, and the first described.
struct mismatches {
  std::size_t count = 0;
  std::string first = "none";
  template <class Got, class Want, class Tolerance>
  void note(std::size_t i, double input, Got got, Want want, Tolerance tolerance) {
    if (count++ > 0) return;
    std::ostringstream text;
    text << std::setprecision(17) << "element " << i << ": input " << input << " gave " << got << ", expected " << want
         << " +- " << tolerance;
    first = text.str();
  }
};

/// |got - want| <= tolerance; NaN (the pre-filled sentinel) never matches, an infinity only itself.
bool matches(double got, long double want, long double tolerance) {
  if (std::isnan(got)) return false;
  if (std::isinf(want)) return static_cast<long double>(got) == want;
  return std::fabs(static_cast<long double>(got) - want) <= tolerance;
}

enum class pattern { uniform, sorted, one_tier, boundaries, with_invalid };
constexpr pattern all_patterns[] = {pattern::uniform, pattern::sorted, pattern::one_tier, pattern::boundaries,
                                    pattern::with_invalid};
const char* name_of(pattern p) {
  switch (p) {
    case pattern::uniform:
      return "uniform";
    case pattern::sorted:
      return "sorted (chunks span one or two tiers)";
    case pattern::one_tier:
      return "all in one tier";
    case pattern::boundaries:
      return "floors, caps and their neighbours";
    case pattern::with_invalid:
      return "uniform with NaN, -1, +inf and above-cap inputs";
  }
  return "?";
}

/// `n` notionals of the given pattern for the table `t` (whose last cap is finite).
std::vector<double> draw_notionals(const tier_oracle& t, pattern p, std::size_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, t.caps.back());
  std::vector<double> x(n);
  for (double& v : x) v = u(rng);
  if (p == pattern::sorted) std::sort(x.begin(), x.end());
  if (p == pattern::one_tier) {
    const std::size_t k = rng() % t.size();
    std::uniform_real_distribution<double> in_tier(t.floors[k], t.caps[k]);
    for (double& v : x) v = in_tier(rng);
  }
  if (p == pattern::boundaries) {
    std::vector<double> edges{0.0, -0.0, t.caps.back(), std::nextafter(t.caps.back(), 0.0)};
    for (std::size_t k = 1; k < t.size(); ++k)
      edges.insert(edges.end(), {t.floors[k], std::nextafter(t.floors[k], 0.0), std::nextafter(t.floors[k], inf)});
    for (std::size_t i = 0; i < n; ++i) x[i] = edges[(i * 7 + rng() % 3) % edges.size()];
  }
  if (p == pattern::with_invalid && n > 0) {
    const double bad[] = {not_a_number, -1.0, inf, 1.5 * t.caps.back()};
    // first and last element, the last of the first chunk, the first of the tail, and a random one
    const std::size_t at[] = {0, n - 1, std::min<std::size_t>(63, n - 1), n - n % 64, rng() % n};
    for (std::size_t j = 0; j < std::size(at); ++j)
      if (at[j] < n) x[at[j]] = bad[(j + rng()) % std::size(bad)];
  }
  return x;
}

/// The notionals, copied to a buffer starting `offset` elements past its allocation.
class offset_input {
 public:
  offset_input(const std::vector<double>& values, std::size_t offset)
      : m_storage(offset + values.size()), m_offset(offset) {
    std::copy(values.begin(), values.end(), m_storage.begin() + static_cast<std::ptrdiff_t>(offset));
  }
  std::span<const double> span() const noexcept { return {m_storage.data() + m_offset, m_storage.size() - m_offset}; }

 private:
  std::vector<double> m_storage;
  std::size_t m_offset;
};

/// A table whose last cap is finite (above-cap inputs exist) with its model.
struct table_case {
  std::vector<tmg::bracket<double>> brackets;
  double last_cap;
  tier_oracle oracle;
  explicit table_case(std::mt19937_64& rng)
      : brackets(test_support::random_brackets(rng)),
        last_cap(1.2 * brackets.back().floor + 2e5),
        oracle(brackets, last_cap) {}
};

/// A kernel bound to one table: (in, out, count) -> number of invalid inputs.
struct kernel {
  const char* name;
  std::function<std::size_t(const double*, double*, std::size_t)> run;
};

/// Every kernel this build has and this CPU runs, each called directly (not through the dispatch).
std::vector<kernel> kernels_for(const tmg::tier_table<double>& table) {
  const tmg::detail::max_affine_pieces<double> p{table.maint_rates().data(), table.maint_amounts().data(), table.size(),
                                                 table.last_cap()};
  const auto tier_of = [&table](double x) noexcept { return table.tier_index_unchecked(x); };
  std::vector<kernel> out{{"portable", [=](const double* in, double* o, std::size_t c) {
                             return tmg::detail::max_affine_portable(p, tier_of, in, o, c);
                           }}};
#if TIERMARGIN_DETAIL_SIMD_DISPATCH
  if (tmg::detail::cpu_has_avx2())
    out.push_back({"avx2", [=](const double* in, double* o, std::size_t c) {
                     return tmg::detail::max_affine_avx2(p, tier_of, in, o, c);
                   }});
  if (tmg::detail::cpu_has_avx512f())
    out.push_back({"avx512", [=](const double* in, double* o, std::size_t c) {
                     return tmg::detail::max_affine_avx512(p, tier_of, in, o, c);
                   }});
#endif
  out.push_back({"dispatched", [=](const double* in, double* o, std::size_t c) {
                   return tmg::detail::max_affine_chunks(p, tier_of, in, o, c);
                 }});
  return out;
}

constexpr std::size_t kernel_lengths[] = {0, 64, 128, 192, 1024, 1088};  // whole 64-position chunks only
constexpr std::size_t batch_lengths[] = {0, 1, 7, 8, 63, 64, 65, 127, 128, 129, 1000, 1029};
}  // namespace

TEST_CASE("every max-affine kernel stores each output correctly and nothing past it", "[tiers][batch][kernels]") {
  std::mt19937_64 rng(77);
  std::size_t kernel_count = 0;
  for (int trial = 0; trial < 24; ++trial) {
    const table_case t(rng);
    const tmg::tier_table<double> table(t.brackets, t.last_cap);
    const auto kernels = kernels_for(table);
    kernel_count = kernels.size();
    for (const std::size_t n : kernel_lengths)
      for (const std::size_t offset : {std::size_t{0}, std::size_t{1}})
        for (const pattern p : all_patterns) {
          const auto notionals = draw_notionals(t.oracle, p, n, rng);
          const offset_input in(notionals, offset);
          std::size_t expected_invalid = 0;
          for (const double x : notionals) expected_invalid += t.oracle.valid(x) ? 0u : 1u;
          std::vector<guarded_output<double>> outs;  // one buffer per kernel, NaN until stored
          for (const kernel& k : kernels) {
            INFO("kernel " << k.name << ", table " << trial << " (" << t.oracle.size() << " tiers), n = " << n
                           << ", offset " << offset << ", " << name_of(p));
            outs.emplace_back(n, offset, not_a_number, guard);
            guarded_output<double>& out = outs.back();
            CHECK(k.run(in.span().data(), out.data(), n) == expected_invalid);
            mismatches bad;  // outputs of invalid inputs are unspecified for the kernels
            for (std::size_t i = 0; i < n; ++i)
              if (t.oracle.valid(notionals[i]) &&
                  !matches(out[i], t.oracle.maintenance(notionals[i]), t.oracle.maintenance_tolerance(notionals[i])))
                bad.note(i, notionals[i], out[i], t.oracle.maintenance(notionals[i]),
                         t.oracle.maintenance_tolerance(notionals[i]));
            INFO("first mismatch: " << bad.first);
            CHECK(bad.count == 0);
            CHECK(out.guards_intact());
            // Documented contract: the kernels are bit-identical to the portable one (same IEEE operations).
            std::size_t differ = 0;
            for (std::size_t i = 0; i < n; ++i)
              differ +=
                  t.oracle.valid(notionals[i]) && std::memcmp(&out[i], &outs.front()[i], sizeof(double)) != 0 ? 1u : 0u;
            CHECK(differ == 0);
          }
        }
  }
#if TIERMARGIN_DETAIL_SIMD_DISPATCH
  if (!tmg::detail::cpu_has_avx2())
    WARN("no AVX2 on this CPU: only the portable kernel was exercised");
  else if (!tmg::detail::cpu_has_avx512f())
    WARN("no AVX-512 on this CPU: the AVX-512 kernel was not exercised");
#endif
  CHECK(kernel_count >= 2);  // portable and dispatched at least
}

TEST_CASE("batch maintenance margin: every length, alignment and input pattern against the model", "[tiers][batch]") {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 16; ++trial) {
    const table_case t(rng);
    const tmg::tier_table<double> strict(t.brackets, t.last_cap);
    const tmg::tier_table<double, test_support::nan_policies> quiet(t.brackets, t.last_cap);
    for (const std::size_t n : batch_lengths)
      for (const std::size_t offset : {std::size_t{0}, std::size_t{1}})
        for (const pattern p : all_patterns) {
          INFO("table " << trial << " (" << t.oracle.size() << " tiers), n = " << n << ", offset " << offset << ", "
                        << name_of(p));
          const auto notionals = draw_notionals(t.oracle, p, n, rng);
          const offset_input in(notionals, offset);
          guarded_output<double> out(n, offset, not_a_number, guard);
          if (p == pattern::with_invalid)
            tmg::maintenance_margin(quiet, in.span(), out.span());  // invalid elements: NaN, the rest valid
          else
            tmg::maintenance_margin(strict, in.span(), out.span());
          mismatches bad;
          for (std::size_t i = 0; i < n; ++i) {
            const double x = notionals[i];
            if (!t.oracle.valid(x)) {
              if (!std::isnan(out[i])) bad.note(i, x, out[i], not_a_number, 0);
            } else if (!matches(out[i], t.oracle.maintenance(x), t.oracle.maintenance_tolerance(x))) {
              bad.note(i, x, out[i], t.oracle.maintenance(x), t.oracle.maintenance_tolerance(x));
            }
          }
          INFO("first mismatch: " << bad.first);
          CHECK(bad.count == 0);
          CHECK(out.guards_intact());
        }
  }
}

TEST_CASE("batch tier index, initial margin, max leverage, effective rate and margin ratio against the model",
          "[tiers][batch]") {
  std::mt19937_64 rng(21);
  for (int trial = 0; trial < 12; ++trial) {
    const table_case t(rng);
    const tmg::tier_table<double> strict(t.brackets, t.last_cap);
    const tmg::tier_table<double, test_support::nan_policies> quiet(t.brackets, t.last_cap);
    std::uniform_real_distribution<double> equity_draw(-1e4, 1e6);
    for (const std::size_t n : batch_lengths)
      for (const std::size_t offset : {std::size_t{0}, std::size_t{1}})
        for (const pattern p : all_patterns) {
          INFO("table " << trial << " (" << t.oracle.size() << " tiers), n = " << n << ", offset " << offset << ", "
                        << name_of(p));
          const auto notionals = draw_notionals(t.oracle, p, n, rng);
          std::vector<double> equity_values(n);
          for (std::size_t i = 0; i < n; ++i) equity_values[i] = i % 11 == 3 ? 0.0 : equity_draw(rng);
          if (p == pattern::with_invalid && n > 2) {
            equity_values[1] = inf;  // the notional there may be valid: only the ratio is NaN
            equity_values[n - 2] = not_a_number;
          }
          const offset_input in(notionals, offset), equities(equity_values, offset);
          guarded_output<std::size_t> k(n, offset, no_index, no_index - 1);
          guarded_output<double> im(n, offset, not_a_number, guard), lev(n, offset, not_a_number, guard),
              rate(n, offset, not_a_number, guard), ratio(n, offset, not_a_number, guard);
          const auto run = [&](const auto& table) {
            tmg::tier_index(table, in.span(), k.span());
            tmg::initial_margin(table, in.span(), im.span());
            tmg::max_leverage(table, in.span(), lev.span());
            tmg::effective_rate(table, in.span(), rate.span());
            tmg::margin_ratio(table, in.span(), equities.span(), ratio.span());
          };
          if (p == pattern::with_invalid)
            run(quiet);
          else
            run(strict);
          mismatches bad_k, bad_im, bad_lev, bad_rate, bad_ratio;
          for (std::size_t i = 0; i < n; ++i) {
            const double x = notionals[i], e = equity_values[i];
            if (!t.oracle.valid(x)) {
              if (k[i] != t.oracle.size()) bad_k.note(i, x, k[i], t.oracle.size(), 0);
              if (!std::isnan(im[i])) bad_im.note(i, x, im[i], not_a_number, 0);
              if (!std::isnan(lev[i])) bad_lev.note(i, x, lev[i], not_a_number, 0);
              if (!std::isnan(rate[i])) bad_rate.note(i, x, rate[i], not_a_number, 0);
              if (!std::isnan(ratio[i])) bad_ratio.note(i, x, ratio[i], not_a_number, 0);
              continue;
            }
            const std::size_t tier = t.oracle.tier(x);
            if (k[i] != tier) bad_k.note(i, x, k[i], tier, 0);
            // x / L_k is one correctly rounded division: within eps/2 relative.
            const long double im_want =
                static_cast<long double>(x) / static_cast<long double>(t.oracle.leverages[tier]);
            if (!matches(im[i], im_want, eps * im_want)) bad_im.note(i, x, im[i], im_want, eps * im_want);
            if (!matches(lev[i], static_cast<long double>(t.oracle.leverages[tier]), 0))
              bad_lev.note(i, x, lev[i], t.oracle.leverages[tier], 0);
            // MM / x and MM / e: the margin's error bound divided, plus the division's own rounding.
            const long double mm = t.oracle.maintenance(x), mm_tol = t.oracle.maintenance_tolerance(x);
            const long double rate_want =
                x == 0.0 ? static_cast<long double>(t.oracle.rates[0]) : mm / static_cast<long double>(x);
            const long double rate_tol = x == 0.0 ? 0.0L : mm_tol / static_cast<long double>(x) + eps * rate_want;
            if (!matches(rate[i], rate_want, rate_tol)) bad_rate.note(i, x, rate[i], rate_want, rate_tol);
            if (!std::isfinite(e)) {
              if (!std::isnan(ratio[i])) bad_ratio.note(i, e, ratio[i], not_a_number, 0);
            } else {
              const long double ratio_want = e > 0.0 ? mm / static_cast<long double>(e) : static_cast<long double>(inf);
              const long double ratio_tol = e > 0.0 ? mm_tol / static_cast<long double>(e) + eps * ratio_want : 0.0L;
              if (!matches(ratio[i], ratio_want, ratio_tol)) bad_ratio.note(i, e, ratio[i], ratio_want, ratio_tol);
            }
          }
          INFO("tier_index: " << bad_k.first << "; initial_margin: " << bad_im.first
                              << "; max_leverage: " << bad_lev.first << "; effective_rate: " << bad_rate.first
                              << "; margin_ratio: " << bad_ratio.first);
          CHECK(bad_k.count == 0);
          CHECK(bad_im.count == 0);
          CHECK(bad_lev.count == 0);
          CHECK(bad_rate.count == 0);
          CHECK(bad_ratio.count == 0);
          CHECK(k.guards_intact());
          CHECK(im.guards_intact());
          CHECK(lev.guards_intact());
          CHECK(rate.guards_intact());
          CHECK(ratio.guards_intact());
        }
  }
}

namespace {
struct flat_policies : tmg::default_policies {
  using convention = tmg::flat_convention;
};
struct cents_down : tmg::default_policies {
  using rounding = tmg::round_down<2>;
};
}  // namespace

TEST_CASE("batch maintenance margin under the flat convention and with cent rounding", "[tiers][batch]") {
  // Flat: MM = n mmr_k, one correctly rounded product (within eps/2 relative). round_down<2> after the
  // cumulative kernel: the exact MM truncated to cents, where the double MM (within the model's bound) may
  // sit on either side of a cent: the result must be a cent value between the truncations of mm - bound and
  // mm + bound (1e-9 slack for a cent's binary representation).
  std::mt19937_64 rng(404);
  for (int trial = 0; trial < 12; ++trial) {
    const table_case t(rng);
    const tmg::tier_table<double, flat_policies> flat(t.brackets, t.last_cap);
    const tmg::tier_table<double, cents_down> cents(t.brackets, t.last_cap);
    for (const std::size_t n : batch_lengths)
      for (const std::size_t offset : {std::size_t{0}, std::size_t{1}})
        for (const pattern p : {pattern::uniform, pattern::sorted, pattern::boundaries}) {
          INFO("table " << trial << " (" << t.oracle.size() << " tiers), n = " << n << ", offset " << offset << ", "
                        << name_of(p));
          const auto notionals = draw_notionals(t.oracle, p, n, rng);
          const offset_input in(notionals, offset);
          guarded_output<double> flat_out(n, offset, not_a_number, guard), cents_out(n, offset, not_a_number, guard);
          tmg::maintenance_margin(flat, in.span(), flat_out.span());
          tmg::maintenance_margin(cents, in.span(), cents_out.span());
          mismatches bad_flat, bad_cents;
          for (std::size_t i = 0; i < n; ++i) {
            const double x = notionals[i];
            const long double flat_want =
                static_cast<long double>(x) * static_cast<long double>(t.oracle.rates[t.oracle.tier(x)]);
            if (!matches(flat_out[i], flat_want, eps * flat_want))
              bad_flat.note(i, x, flat_out[i], flat_want, eps * flat_want);
            const long double mm = t.oracle.maintenance(x), bound = t.oracle.maintenance_tolerance(x);
            const long double lo = std::floor((mm - bound) * 100.0L) / 100.0L,
                              hi = std::floor((mm + bound) * 100.0L) / 100.0L;
            const long double slack = 1e-9L * std::max(1.0L, hi), got = static_cast<long double>(cents_out[i]);
            const bool on_cent = std::fabs(got * 100.0L - std::round(got * 100.0L)) <= 100.0L * slack;
            if (std::isnan(cents_out[i]) || !on_cent || got < lo - slack || got > hi + slack)
              bad_cents.note(i, x, cents_out[i], mm, bound);
          }
          INFO("flat: " << bad_flat.first << "; cents: " << bad_cents.first);
          CHECK(bad_flat.count == 0);
          CHECK(bad_cents.count == 0);
          CHECK(flat_out.guards_intact());
          CHECK(cents_out.guards_intact());
        }
  }
}

TEST_CASE("batch queries report an output span that overlaps an input span", "[tiers][batch][aliasing]") {
  // Before: maintenance_margin(t, buf[0..64), buf[1..65)) returned silently wrong values (the kernel reads a
  // 64-position chunk ahead of its writes). Every overlap is now reported as 'out', in place included (bad
  // elements are reported from the input after the pass, which in place would already be overwritten).
  const tmg::tier_table<double> table({{0, 0.004, 125}, {50'000, 0.005, 100}}, 600'000);
  std::vector<double> buf(65, 1000.0);
  const std::span<const double> in(buf.data(), 64);
  for (const std::size_t shift : {0u, 1u, 8u}) {
    INFO("shift " << shift);
    const std::span<double> out(buf.data() + shift, 64);
    test_support::check_error_names([&] { tmg::maintenance_margin(table, in, out); }, "maintenance_margin(batch)", "out");
    test_support::check_error_names([&] { tmg::initial_margin(table, in, out); }, "initial_margin(batch)", "out");
    test_support::check_error_names([&] { tmg::margin_ratio(table, in, std::span<const double>(buf.data() + 1, 64), out); },
                                    "margin_ratio(batch)", "out");
  }
  // Adjacent buffers are fine: 64 notionals of 1,000 -> MM 4 each (1,000 x 0.004).
  std::vector<double> both(128, 1000.0);
  tmg::maintenance_margin(table, std::span<const double>(both.data(), 64), std::span<double>(both.data() + 64, 64));
  CHECK(both[64] == 4.0);
  CHECK(both[127] == 4.0);
}
