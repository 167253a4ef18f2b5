// SPDX-License-Identifier: BSL-1.0
// One set of tier-table rules (tiers/detail/tier_rules.hpp): `tier_table` and the CSV loader reject the same
// rows with the same message, apart from the function, the tier numbering (0-based like `operator[]` for
// the table, 1-based like the file) and the file named by the loader.
#include <limits>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/errors.hpp"
#include "tiermargin/io/csv.hpp"
#include "tiermargin/tiers/tier_table.hpp"

namespace tmg = tiermargin;
namespace io = tiermargin::io;

namespace {
using rows_t = std::vector<tmg::tier<double>>;
using test_support::message_of;

struct rule_case {
  const char* rule;
  rows_t rows;       // the rows for tier_table
  std::string csv;   // the same rows as a tier CSV
  int tier;          // 0-based tier the violation is about (by hand, from the rows)
  const char* field;
  const char* tail;  // "<value>: <requirement>", identical for both
};

std::string table_message(const rows_t& rows) {
  return message_of([&] { tmg::tier_table<double> table(rows); });
}
std::string csv_message(const std::string& csv) {
  return message_of([&] { (void)io::parse_tier_csv(csv, "t.csv"); });
}
}  // namespace

TEST_CASE("tier_table and the CSV loader report a broken rule with one message", "[io][tier_rules]") {
  const double open = std::numeric_limits<double>::infinity();
  const std::string head = "floor,cap,maint_rate,max_leverage,maint_amount\n";
  // Hand-checked valid rows: cum_2 = 50,000 x (0.005 - 0.004) = 50, cum_3 = 50 + 250,000 x (0.01 - 0.005) = 1,300.
  const std::vector<rule_case> cases = {
      {"gap", {{0, 50'000, 0.004, 125, 0}, {60'000, 250'000, 0.005, 100, 50}},
       head + "0,50000,0.004,125,0\n60000,250000,0.005,100,50\n", 1, "floor",
       "60000: gap: must equal the previous tier's cap"},
      // Unsorted floors are named as such before the caps that they also break.
      {"unsorted", {{0, 250'000, 0.004, 125, 0}, {250'000, 50'000, 0.005, 100, 50}, {50'000, 1e6, 0.01, 50, 1300}},
       head + "0,250000,0.004,125,0\n250000,50000,0.005,100,50\n50000,1000000,0.01,50,1300\n", 2, "floor",
       "50000: floors must strictly increase (tiers unsorted or duplicated)"},
      {"rate decreases", {{0, 50'000, 0.004, 125, 0}, {50'000, 250'000, 0.005, 100, 50}, {250'000, 1e6, 0.0045, 50, 1300}},
       head + "0,50000,0.004,125,0\n50000,250000,0.005,100,50\n250000,1000000,0.0045,50,1300\n", 2, "maint_rate",
       "0.0045: must not decrease from the previous tier"},
      {"rate above 1", {{0, open, 1.5, 1, 0}}, head + "0,,1.5,1,0\n", 0, "maint_rate",
       "1.5: must be in (0, 1] (a fraction, 0.004 = 0.4%)"},
      // 1/300 = 0.0033 < 0.004.
      {"IMR below MMR", {{0, 50'000, 0.004, 300, 0}, {50'000, open, 0.005, 100, 50}},
       head + "0,50000,0.004,300,0\n50000,,0.005,100,50\n", 0, "max_leverage",
       "300: initial rate 1/max_leverage must be >= the maintenance rate (IMR >= MMR)"},
      {"deduction off the recursion",
       {{0, 50'000, 0.004, 125, 0}, {50'000, 250'000, 0.005, 100, 50}, {250'000, 1e6, 0.01, 50, 1200}},
       head + "0,50000,0.004,125,0\n50000,250000,0.005,100,50\n250000,1000000,0.01,50,1200\n", 2, "maint_amount",
       "1200: inconsistent: must equal cum_{k-1} + floor_k * (mmr_k - mmr_{k-1}) (deduction recursion)"},
      {"first floor", {{10, open, 0.004, 125, 0}}, head + "10,,0.004,125,0\n", 0, "floor",
       "10: the first tier must start at 0"},
  };
  for (const rule_case& c : cases) {
    INFO(c.rule);
    const std::string tail = std::string(" = ") + c.tail;
    CHECK(table_message(c.rows) == "tiermargin::tier_table::tier_table: tier " + std::to_string(c.tier) + " field '" +
                                       c.field + "'" + tail);
    CHECK(csv_message(c.csv) == "tiermargin::io::parse_tier_csv: tier " + std::to_string(c.tier + 1) + " field '" +
                                    c.field + "' in 't.csv'" + tail);
    // quiet_nan: neither accepts the rows.
    CHECK(!tmg::tier_table<double, test_support::nan_policies>(c.rows).valid());
    CHECK(io::parse_tier_csv<double, test_support::nan_policies>(c.csv, "t.csv").rows.empty());
  }
  // No rows: the table names its argument, the loader the file's tiers; value (the row count) and rule agree.
  CHECK(table_message({}) == "tiermargin::tier_table::tier_table: argument 'rows' = 0: a table needs at least one tier");
  CHECK(csv_message(head) ==
        "tiermargin::io::parse_tier_csv: argument 'tiers' in 't.csv' = 0: a table needs at least one tier");
}
