#include "aecore/synthetic.hpp"

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "aecore/error.hpp"

namespace aecore {

namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

namespace {

void check_range(std::string_view name, std::int64_t value, std::int64_t lo, std::int64_t hi) {
    if (value < lo || value > hi)
        throw ValidationError("MB-3", "synthetic." + std::string(name), std::to_string(value),
                              "must be within " + std::to_string(lo) + ".." + std::to_string(hi));
}

}  // namespace

Agency synthetic_agency(const SyntheticSpec& spec) {
    check_range("clients", spec.clients, 1, 100000);
    check_range("jobs_per_client", spec.jobs_per_client, 1, 1000);
    check_range("entries", static_cast<std::int64_t>(spec.entries), 0, 500'000'000);
    check_range("days", spec.days, 1, 36500);
    require_valid(spec.start, "synthetic.start", "MB-3");
    if (spec.start < Date(1990, 1, 1) || spec.start > Date(2900, 1, 1))
        throw ValidationError("MB-3", "synthetic.start", bg::to_iso_extended_string(spec.start),
                              "must be within 1990-2900");

    Agency a("Synthetic Agency", "SH", "CNY");
    const Currency cny("CNY");
    a.policy().set_overspend(OverspendPolicy::Ignore);
    const std::string ae = a.add_staff({.name = "Synthetic AE", .title = Title::AE, .hourly_rate = Money(25000, cny)}).id;
    // Tickets open a month before the first posting, on a Monday-to-Friday morning.
    Date opened = spec.start - bg::days(35);
    while (opened.day_of_week() == boost::date_time::Saturday || opened.day_of_week() == boost::date_time::Sunday)
        opened += bg::days(1);
    const DateTime opened_at(opened, bp::hours(9));
    Date deadline = opened + bg::days(28);
    while (deadline.day_of_week() == boost::date_time::Saturday || deadline.day_of_week() == boost::date_time::Sunday)
        deadline += bg::days(1);
    const DateTime deadline_at(deadline, bp::hours(17));

    std::vector<std::string> jobs;
    jobs.reserve(static_cast<std::size_t>(spec.clients) * static_cast<std::size_t>(spec.jobs_per_client));
    for (int c = 0; c < spec.clients; ++c) {
        NewClient client;
        client.name = "Client " + std::to_string(c);
        client.short_name = "C" + std::to_string(c);
        client.city = "SH";
        client.first_contact = opened - bg::days(c % 3000);
        client.team.ae = ae;
        client.stage = PipelineStage::Closed;
        const std::string code = a.register_client(client).code;
        a.add_brand(code, "Brand");
        a.add_contact(code, NewContact{.name = "Buyer", .role = DecisionRole::DecisionMaker, .primary = true});
        for (int j = 0; j < spec.jobs_per_client; ++j) {
            NewJob job;
            job.client = code;
            job.brand = "Brand";
            job.department = Department::Production;
            job.job_type = JobType::Other;
            job.title = "Job " + std::to_string(j);
            job.issuer = ae;
            job.opened_at = opened_at;
            job.client_deadline = deadline_at;
            std::string number = a.open_job(job).number;
            a.prepare_estimate({number, Money(INT64_C(1) << 50, cny), "", ae, opened_at + bp::hours(1)});
            a.approve_estimate(number, 1, "K01", opened_at + bp::hours(2));
            jobs.push_back(std::move(number));
        }
    }

    std::mt19937 rng(spec.seed);
    std::vector<std::pair<std::string, Date>> open_invoices;
    std::size_t invoices = 0;
    char ref[48];
    const std::size_t target = a.ledger_size() + spec.entries;
    while (a.ledger_size() < target) {
        const std::string& job = jobs[rng() % jobs.size()];
        const Date day = spec.start + bg::days(static_cast<int>(rng() % static_cast<unsigned>(spec.days)));
        const std::int64_t amount = 10000 + static_cast<std::int64_t>(rng() % 5000000);
        switch (rng() % 4) {
            case 0:
                std::snprintf(ref, sizeof ref, "PO-%07u", static_cast<unsigned>(rng() % 10000000));
                a.commit_cost({job, day, Money(amount, cny), ref, ae, false, std::nullopt});
                break;
            case 1:
                std::snprintf(ref, sizeof ref, "VINV-%07u", static_cast<unsigned>(rng() % 10000000));
                a.record_cost({job, day, Money(amount, cny), ref, ae});
                break;
            case 2:
                std::snprintf(ref, sizeof ref, "INV-%09zu", ++invoices);
                a.issue_invoice({ref, job, std::nullopt, std::nullopt, day, day + bg::days(30), Money(amount, cny), ae});
                open_invoices.emplace_back(ref, day);
                break;
            default: {
                if (open_invoices.empty()) break;
                const std::size_t k = rng() % open_invoices.size();
                const auto [number, invoiced] = open_invoices[k];
                open_invoices[k] = open_invoices.back();
                open_invoices.pop_back();
                const Money open = a.open_balance(number);
                if (rng() % 2 && open.minor_units() > 1) {  // two instalments
                    a.record_payment({number, invoiced + bg::days(20), Money(open.minor_units() / 2, cny), "BANK", ae});
                    a.record_payment({number, invoiced + bg::days(50), a.open_balance(number), "BANK", ae});
                } else {
                    a.record_payment({number, invoiced + bg::days(static_cast<int>(rng() % 90)), open, "BANK", ae});
                }
                break;
            }
        }
    }
    return a;
}

}  // namespace aecore
