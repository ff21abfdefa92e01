// The synthetic book generator and the whole-book monthly flows (issue #9): the flows
// equal a brute-force sum over every ledger row by (client, job, month, kind), on both of
// their paths (the dense table and the per-client index), and the generator is
// deterministic and refuses arguments out of range.

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <string>
#include <tuple>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "aecore/synthetic.hpp"

namespace {

using namespace aecore;
using Key = std::tuple<std::int32_t, std::int32_t, std::int32_t>;  // client, month, job (-1 first)

std::map<Key, std::array<std::int64_t, 5>> brute_force(const Agency& a) {
    std::map<std::string, std::int32_t> client_index;
    for (std::size_t c = 0; c < a.clients().size(); ++c) client_index[a.clients()[c].code] = static_cast<std::int32_t>(c);
    std::map<std::string, std::int32_t> job_index;
    for (std::size_t j = 0; j < a.jobs().size(); ++j) job_index[a.jobs()[j].number] = static_cast<std::int32_t>(j);
    std::map<Key, std::array<std::int64_t, 5>> sums;
    for (const LedgerEntry& e : a.ledger_entries()) {
        const std::int32_t month = static_cast<std::int32_t>(e.date.year()) * 12 + e.date.month() - 1;
        const std::int32_t job = e.job ? job_index.at(*e.job) : -1;
        auto& cell = sums[{client_index.at(e.client), month, job}];
        cell[static_cast<std::size_t>(e.kind)] += e.amount.minor_units();
    }
    return sums;
}

void expect_flows_match(const Agency& a) {
    const MonthlyFlows f = a.monthly_flows();
    const auto expected = brute_force(a);
    ASSERT_EQ(f.size(), expected.size());
    std::size_t i = 0;
    for (const auto& [key, sums] : expected) {  // std::map order is client, month, job
        EXPECT_EQ(std::make_tuple(f.client[i], f.month[i], f.job[i]), key) << i;
        for (std::size_t k = 0; k < 5; ++k) EXPECT_EQ(f.sums[k][i], sums[k]) << i << " kind " << k;
        ++i;
    }
}

TEST(MonthlyFlows, EqualsABruteForceSumOnTheDenseTablePath) {
    // 20 clients x 5 jobs over ~3 years with 20,000 entries: the (slot, month) table is small
    const Agency a = synthetic_agency({.clients = 20, .jobs_per_client = 5, .entries = 20000, .seed = 9, .days = 1000});
    expect_flows_match(a);
}

TEST(MonthlyFlows, EqualsABruteForceSumWhenTwoThreadsShareTheDenseTable) {
    // 300,000 entries: past the size at which two threads each take half the rows, then half
    // the partitions, and at which the partitioned rows (16 bytes each) take a mapping of
    // their own; months at the start and end of the range and client-level invoices
    // included (the synthetic book posts both).
    const Agency a = synthetic_agency({.clients = 300, .jobs_per_client = 12, .entries = 300000, .seed = 21, .days = 2000});
    ASSERT_GE(a.ledger_size(), std::size_t{1} << 17);
    ASSERT_GE(a.ledger_size() * 16, std::size_t{4} << 20);
    expect_flows_match(a);
}

TEST(MonthlyFlows, EqualsABruteForceSumOnTheIndexPath) {
    // entries spread over a century: the table would dwarf the ledger, so the index is read
    const Agency a = synthetic_agency({.clients = 30, .jobs_per_client = 20, .entries = 3000, .seed = 4, .days = 36500});
    expect_flows_match(a);
}

TEST(MonthlyFlows, AnEmptyLedgerHasNoFlowsAndClientLevelEntriesComeFirst) {
    EXPECT_EQ(Agency("Empty", "SH", "CNY").monthly_flows().size(), 0u);
    Agency a = synthetic_agency({.clients = 1, .jobs_per_client = 2, .entries = 0});
    const std::string client = a.clients().front().code;
    const std::string ae = a.staff_members().front().id;
    a.issue_invoice({"FEE-1", std::nullopt, client, std::nullopt, Date(2016, 2, 1), Date(2016, 3, 1),
                     Money(500000, Currency("CNY")), ae});
    const MonthlyFlows f = a.monthly_flows();
    // the two estimate rows (December 2015) and the fee (February 2016)
    ASSERT_EQ(f.size(), 3u);
    EXPECT_EQ(f.job[2], -1);
    EXPECT_EQ(f.month[2], 2016 * 12 + 1);
    EXPECT_EQ(f.sums[static_cast<std::size_t>(EntryKind::Invoice)][2], 500000);
    expect_flows_match(a);
}

TEST(Synthetic, TheSameSpecGivesTheSameBookByteForByte) {
    const SyntheticSpec spec{.clients = 5, .jobs_per_client = 3, .entries = 500, .seed = 77};
    const Agency one = synthetic_agency(spec);
    EXPECT_EQ(one.to_json(), synthetic_agency(spec).to_json());
    EXPECT_GE(one.ledger_size(), 500u + 15u);  // the entries plus one estimate per job
    EXPECT_EQ(one.clients().size(), 5u);
    EXPECT_EQ(one.jobs().size(), 15u);
    SyntheticSpec other = spec;
    other.seed = 78;
    EXPECT_NE(one.to_json(), synthetic_agency(other).to_json());
}

TEST(Synthetic, ArgumentsOutOfRangeAreRefused) {
    for (const auto& [spec, field] : std::vector<std::pair<SyntheticSpec, std::string>>{
             {{.clients = 0}, "synthetic.clients"},
             {{.jobs_per_client = 1001}, "synthetic.jobs_per_client"},
             {{.days = 0}, "synthetic.days"},
             {{.start = Date(1900, 1, 1)}, "synthetic.start"}}) {
        try {
            (void)synthetic_agency(spec);
            ADD_FAILURE() << field << " accepted";
        } catch (const ValidationError& e) {
            EXPECT_EQ(e.field(), field);
            EXPECT_EQ(e.rule(), "MB-3");
        }
    }
}

}  // namespace
