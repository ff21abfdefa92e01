// The ledger at scale (issue #6, measured by issue #9): memory per entry (goal <= 64
// bytes on average at ten million entries), posting throughput, and a single
// client-month reconciliation, which reads only that client's (client, month) buckets.
//
//   build/bench/benchmarks/aecore_bench --benchmark_filter=Ledger
//   AECORE_LEDGER_ENTRIES=10000000 build/bench/benchmarks/aecore_bench --benchmark_filter=Ledger
//   AECORE_LEDGER_ENTRIES=10000000 build/bench/benchmarks/aecore_bench --benchmark_filter=MonthlyFlows

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "aecore/agency.hpp"
#include "aecore/synthetic.hpp"

namespace {

using namespace aecore;

struct Book {
    Agency agency;
    std::vector<std::string> clients;
};

Money cny(std::int64_t minor) { return Money(minor, Currency("CNY")); }

std::size_t entries_from_env() {
    if (const char* v = std::getenv("AECORE_LEDGER_ENTRIES")) return static_cast<std::size_t>(std::strtoull(v, nullptr, 10));
    return 1'000'000;
}

// One shared book (200 clients x 10 jobs, entries over ten years): building it is the slow part.
Book& shared_book() {
    static std::unique_ptr<Book> book = [] {
        auto b = std::make_unique<Book>(Book{synthetic_agency({.clients = 200, .jobs_per_client = 10,
                                                               .entries = entries_from_env(), .seed = 42}),
                                             {}});
        for (const Client& c : b->agency.clients()) b->clients.push_back(c.code);
        return b;
    }();
    return *book;
}

void BM_LedgerMemoryPerEntry(benchmark::State& state) {
    Book& b = shared_book();
    const std::size_t entries = b.agency.ledger_size();
    const std::size_t bytes = b.agency.ledger().memory_bytes();
    for (auto _ : state) benchmark::DoNotOptimize(b.agency.ledger().memory_bytes());
    state.counters["entries"] = static_cast<double>(entries);
    state.counters["bytes_per_entry"] = static_cast<double>(bytes) / static_cast<double>(entries);
    std::printf("ledger: %zu entries in %.1f MiB = %.1f bytes per entry (goal <= 64)\n", entries,
                static_cast<double>(bytes) / (1024.0 * 1024.0), static_cast<double>(bytes) / static_cast<double>(entries));
}
BENCHMARK(BM_LedgerMemoryPerEntry)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_LedgerReconcileClientMonth(benchmark::State& state) {
    Book& b = shared_book();
    std::mt19937 rng(5);
    for (auto _ : state) {
        const std::string& client = b.clients[rng() % b.clients.size()];
        const YearMonth month{2016 + static_cast<int>(rng() % 10), 1 + static_cast<int>(rng() % 12)};
        benchmark::DoNotOptimize(b.agency.reconcile(client, month));
    }
    state.counters["ledger_entries"] = static_cast<double>(b.agency.ledger_size());
}
BENCHMARK(BM_LedgerReconcileClientMonth)->Unit(benchmark::kMicrosecond);

// The whole-book flows (issue #9 goal: >= 20 million entries per second from C++) on a book
// of benchmarks/compare.py's shape: 1,000 clients per million entries, 20 jobs each.
void BM_LedgerMonthlyFlows(benchmark::State& state) {
    static const Agency book = [] {
        const std::size_t n = entries_from_env();
        return synthetic_agency({.clients = static_cast<int>(std::max<std::size_t>(1000, n / 1000)), .jobs_per_client = 20,
                                 .entries = n, .seed = 1});
    }();
    for (auto _ : state) benchmark::DoNotOptimize(book.monthly_flows());
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(book.ledger_size()));
    state.counters["ledger_entries"] = static_cast<double>(book.ledger_size());
}
BENCHMARK(BM_LedgerMonthlyFlows)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LedgerPostVendorCost(benchmark::State& state) {
    Agency a = synthetic_agency({.clients = 20, .jobs_per_client = 10, .entries = 0});
    const std::string who = a.staff_members().front().id;
    std::vector<std::string> jobs;
    for (const JobTicket& j : a.jobs()) jobs.push_back(j.number);
    std::size_t i = 0;
    for (auto _ : state) {
        const std::string& job = jobs[i++ % jobs.size()];
        benchmark::DoNotOptimize(a.record_cost({job, Date(2020, 5, 6), cny(123456), "VINV-0001234", who}));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LedgerPostVendorCost);

}  // namespace
