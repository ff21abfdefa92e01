// The ledger at scale (issue #6, measured by issue #9): memory per entry (goal <= 64
// bytes on average at ten million entries), posting throughput, and a single
// client-month reconciliation, which reads only that client's (client, month) buckets.
//
//   build/bench/benchmarks/aecore_bench --benchmark_filter=Ledger
//   AECORE_LEDGER_ENTRIES=10000000 build/bench/benchmarks/aecore_bench --benchmark_filter=Ledger

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>

#include "aecore/agency.hpp"

namespace {

using namespace aecore;
namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

struct Book {
    Agency agency{"Bench Agency", "SH", "CNY"};
    std::vector<std::string> clients;
    std::vector<std::string> jobs;
    std::size_t invoices = 0;
};

Money cny(std::int64_t minor) { return Money(minor, Currency("CNY")); }

// `clients` clients with `jobs_per_client` jobs each, every job with an approved estimate
// large enough that no posting overruns it.
std::unique_ptr<Book> make_book(int clients, int jobs_per_client) {
    auto b = std::make_unique<Book>();
    Agency& a = b->agency;
    a.policy().set_overspend(OverspendPolicy::Ignore);
    const Staff& ae = a.add_staff({.name = "Bench AE", .title = Title::AE, .hourly_rate = cny(25000)});
    for (int c = 0; c < clients; ++c) {
        NewClient spec;
        spec.name = "Client " + std::to_string(c);
        spec.short_name = "C" + std::to_string(c);
        spec.city = "SH";
        spec.first_contact = Date(2015, 1, 1);
        spec.team.ae = ae.id;
        spec.stage = PipelineStage::Closed;
        const std::string code = a.register_client(spec).code;
        a.add_brand(code, "Brand");
        a.add_contact(code, NewContact{.name = "Buyer", .role = DecisionRole::DecisionMaker, .primary = true});
        b->clients.push_back(code);
        for (int j = 0; j < jobs_per_client; ++j) {
            NewJob job;
            job.client = code;
            job.brand = "Brand";
            job.department = Department::Creative;
            job.job_type = JobType::Other;
            job.title = "Job " + std::to_string(j);
            job.issuer = ae.id;
            job.opened_at = DateTime(Date(2016, 1, 4), bp::hours(9));
            job.client_deadline = DateTime(Date(2016, 3, 1), bp::hours(17));
            const std::string number = a.open_job(job).number;
            a.prepare_estimate({number, cny(INT64_C(1) << 50), "", ae.id, DateTime(Date(2016, 1, 4), bp::hours(10))});
            a.approve_estimate(number, 1, "K01", DateTime(Date(2016, 1, 4), bp::hours(11)));
            b->jobs.push_back(number);
        }
    }
    return b;
}

// Posts `n` entries over ten years: commitments, vendor costs, invoices and payments.
void post_entries(Book& b, std::size_t n, std::uint32_t seed) {
    Agency& a = b.agency;
    std::mt19937 rng(seed);
    const std::string who = a.staff_members().front().id;
    std::vector<std::pair<std::string, Date>> open_invoices;
    char ref[48];
    const std::size_t target = a.ledger_size() + n;
    while (a.ledger_size() < target) {
        const std::string& job = b.jobs[rng() % b.jobs.size()];
        const Date day = Date(2016, 1, 4) + bg::days(static_cast<int>(rng() % 3650));
        const std::int64_t amount = 10000 + static_cast<std::int64_t>(rng() % 5000000);
        switch (rng() % 4) {
            case 0:
                std::snprintf(ref, sizeof ref, "PO-%07u", static_cast<unsigned>(rng() % 10000000));
                a.commit_cost({job, day, cny(amount), ref, who, false, std::nullopt});
                break;
            case 1:
                std::snprintf(ref, sizeof ref, "VINV-%07u", static_cast<unsigned>(rng() % 10000000));
                a.record_cost({job, day, cny(amount), ref, who});
                break;
            case 2: {
                std::snprintf(ref, sizeof ref, "INV-%09zu", ++b.invoices);
                a.issue_invoice({ref, job, std::nullopt, std::nullopt, day, day + bg::days(30), cny(amount), who});
                open_invoices.emplace_back(ref, day);
                break;
            }
            default: {
                if (open_invoices.empty()) break;
                const std::size_t k = rng() % open_invoices.size();
                const auto [number, invoiced] = open_invoices[k];
                open_invoices[k] = open_invoices.back();
                open_invoices.pop_back();
                // Half the invoices are paid in two instalments.
                const Money open = a.open_balance(number);
                if (rng() % 2 && open.minor_units() > 1) {
                    a.record_payment({number, invoiced + bg::days(20), cny(open.minor_units() / 2), "BANK", who});
                    a.record_payment({number, invoiced + bg::days(50), a.open_balance(number), "BANK", who});
                } else {
                    a.record_payment({number, invoiced + bg::days(static_cast<int>(rng() % 90)), open, "BANK", who});
                }
                break;
            }
        }
    }
}

std::size_t entries_from_env() {
    if (const char* v = std::getenv("AECORE_LEDGER_ENTRIES")) return static_cast<std::size_t>(std::strtoull(v, nullptr, 10));
    return 1'000'000;
}

// One shared book: building it is the slow part.
Book& shared_book() {
    static std::unique_ptr<Book> book = [] {
        auto b = make_book(200, 10);
        post_entries(*b, entries_from_env(), 42);
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

void BM_LedgerPostVendorCost(benchmark::State& state) {
    auto b = make_book(20, 10);
    const std::string who = b->agency.staff_members().front().id;
    std::size_t i = 0;
    for (auto _ : state) {
        const std::string& job = b->jobs[i++ % b->jobs.size()];
        benchmark::DoNotOptimize(b->agency.record_cost({job, Date(2020, 5, 6), cny(123456), "VINV-0001234", who}));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LedgerPostVendorCost);

}  // namespace
