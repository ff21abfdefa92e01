// The concurrency contract (agency.hpp): const methods may run on one agency from many
// threads at once. Each reader thread repeats the queries and compares with what one
// thread computed alone. Built and run under ThreadSanitizer by scripts/test.sh
// (build/tsan, AECORE_SANITIZE_THREAD): a data race there fails the suite.

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <tuple>
#include <utility>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "aecore/synthetic.hpp"
#include "book_fixtures.hpp"

namespace {

using aecore::Agency;
using aecore::Date;

struct Answers {
    std::string json;
    std::optional<aecore::ReconciliationReport> month;
    std::vector<aecore::AgingRow> aging;
    std::vector<std::int64_t> flows;
    std::vector<aecore::CollectionItem> collections;
    std::vector<aecore::Profitability> profit;
    std::vector<aecore::Finding> findings;
    std::size_t entries = 0;
};

Answers ask(const Agency& a, const std::string& client) {
    const Date as_of(2021, 6, 30);
    Answers out;
    out.json = a.to_json();
    out.month = a.reconcile(client, aecore::YearMonth{2020, 3});
    out.aging = a.aging(as_of).rows;
    const aecore::MonthlyFlows f = a.monthly_flows();
    for (const auto& kind : f.sums) out.flows.insert(out.flows.end(), kind.begin(), kind.end());
    out.collections = a.collections(as_of);
    out.profit = a.profitability(Date(2019, 1, 1), Date(2020, 12, 31), true);
    out.findings = a.audit(as_of);
    out.entries = a.ledger_entries(client).size();
    return out;
}

TEST(ConcurrentReaders, ConstQueriesFromManyThreadsAgreeWithOneThread) {
    aecore::SyntheticSpec spec;
    spec.clients = 12;
    spec.jobs_per_client = 5;
    spec.entries = 6000;
    spec.seed = 11;
    spec.start = Date(2016, 1, 4);
    spec.days = 2000;
    const Agency a = aecore::synthetic_agency(spec);
    const std::string client = a.clients().front().code;
    const Answers expected = ask(a, client);
    ASSERT_GT(expected.entries, 0u);
    ASSERT_FALSE(expected.flows.empty());

    constexpr int kThreads = 4;
    std::atomic<int> mismatches{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> readers;
    for (int t = 0; t < kThreads; ++t)
        readers.emplace_back([&] {
            while (!go.load()) std::this_thread::yield();
            for (int round = 0; round < 3; ++round) {
                const Answers got = ask(a, client);
                mismatches += got.json != expected.json;
                mismatches += !(got.month->rows == expected.month->rows && got.month->total == expected.month->total);
                mismatches += got.aging != expected.aging;
                mismatches += got.flows != expected.flows;
                mismatches += got.collections != expected.collections;
                mismatches += got.profit != expected.profit;
                mismatches += got.findings != expected.findings;
                mismatches += got.entries != expected.entries;
            }
        });
    go = true;
    for (std::thread& t : readers) t.join();
    EXPECT_EQ(mismatches.load(), 0);
}

// aecore's own helper threads, run here under ThreadSanitizer too: to_json formats every
// other block of a big ledger on a second thread; a load whose ledger text passes 4 MiB
// is scanned on a second thread, and past 65,536 entries its month index is built on one
// thread while the replay's whole-ledger checks run on another; monthly_flows() over
// more than 131,072 entries shares its passes between two threads.
TEST(HelperThreads, ABigLoadAndTheWholeBookFlowsAgreeWithTheBook) {
    aecore::SyntheticSpec spec;
    spec.clients = 30;
    spec.jobs_per_client = 4;
    spec.entries = 140000;
    spec.seed = 5;
    spec.start = Date(2016, 1, 4);
    spec.days = 1500;
    const Agency a = aecore::synthetic_agency(spec);
    ASSERT_GT(a.ledger_size(), std::size_t{1} << 17);
    const std::string text = a.to_json();
    const Agency b = Agency::from_json(text);
    EXPECT_EQ(b.to_json(), text);

    const aecore::MonthlyFlows f = b.monthly_flows();
    std::array<std::int64_t, 5> flows{}, ledger{};
    for (std::size_t k = 0; k < 5; ++k)
        for (const std::int64_t v : f.sums[k]) flows[k] += v;
    for (const aecore::LedgerEntry& e : b.ledger_entries()) ledger[static_cast<std::size_t>(e.kind)] += e.amount.minor_units();
    EXPECT_EQ(flows, ledger);
    for (std::size_t i = 1; i < f.size(); ++i)  // ordered by client, month, job
        EXPECT_LT(std::make_tuple(f.client[i - 1], f.month[i - 1], f.job[i - 1]), std::make_tuple(f.client[i], f.month[i], f.job[i])) << i;
}

// A list of more than 256 KiB (600 job tickets) is read with elements parsed ahead on a
// second thread, which also frees them, and by the reader when it would otherwise wait:
// under ThreadSanitizer too.
TEST(HelperThreads, ABigListOfTicketsReadsBackByteForByte) {
    const std::string& text = book::many_tickets_text();
    for (int round = 0; round < 3; ++round) {  // the two threads meet at different elements each time
        const Agency b = Agency::from_json(text);
        EXPECT_EQ(b.jobs().size(), 600u);
        EXPECT_EQ(b.to_json(), text);
    }
}

// A load that fails part way through a big list stops the helper thread wherever it is
// (parsing ahead, waiting, freeing) and names the element: a bad ticket, an element that
// is not JSON (parsed again by the reader to report it), each early and late in the list.
TEST(HelperThreads, ALoadThatFailsInABigListNamesTheElementAndStopsTheHelper) {
    const std::string& good = book::many_tickets_text();
    const std::size_t jobs = good.find("\"jobs\": [");
    const auto nth = [&](const std::string& what, int n) {
        std::size_t at = jobs;
        for (int k = 0; k <= n; ++k) at = good.find(what, at + 1);
        return at;
    };
    for (const int n : {3, 4, 300, 301, 598, 599}) {
        std::string bad_client = good;
        bad_client.replace(nth("\"client\": \"", n), 11, "\"client\": \"NOPE");
        std::string not_json = good;
        not_json.replace(nth("\"title\": ", n), 9, "\"title\" ");
        for (const auto& [text, expected] : {std::pair{&bad_client, "/jobs/" + std::to_string(n) + "/client"},
                                            std::pair{&not_json, std::string("not valid JSON")}}) {
            try {
                (void)Agency::from_json(*text);
                ADD_FAILURE() << n << ": loaded";
            } catch (const aecore::SchemaError& e) {
                EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << n << ": " << e.what();
            }
        }
    }
}

}  // namespace
