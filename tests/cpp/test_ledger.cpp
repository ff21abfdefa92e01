// Cost estimates, the ledger and the money reports (SPEC MB-1..MB-7, CL-5, CL-7, issue #6):
// estimate versions and their client approval, the overspend policy, every posting kind
// with its refusals (each refused operation leaves the agency byte-identical), reversals,
// the monthly budget reconciliation, receivables aging with DSO, collection escalation
// and credit status, tiering from the ledger, profitability, the contract hand-over
// statement, randomised ledgers checked against independent sums, and persistence.
//
// Expected figures are worked out by hand in the comments next to them.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "aecore/ledger.hpp"
#include "aecore/reconciliation.hpp"
#include "aecore/synthetic.hpp"
#include "book_fixtures.hpp"

namespace {

using aecore::AgingBasis;
using aecore::AgingReport;
using aecore::AgingRow;
using aecore::CostEstimate;
using aecore::CreditStatus;
using aecore::Date;
using aecore::DateTime;
using aecore::Decimal;
using aecore::EntryKind;
using aecore::Escalation;
using aecore::EstimateStatus;
using aecore::LedgerEntry;
using aecore::LedgerFlows;
using aecore::Money;
using aecore::NotFoundError;
using aecore::OverspendPolicy;
using aecore::PipelineStage;
using aecore::ReconciliationReport;
using aecore::ReconciliationRow;
using aecore::SchemaError;
using aecore::StateError;
using aecore::TicketStatus;
using aecore::Tier;
using aecore::ValidationError;
using aecore::YearMonth;
using book::Agency;
using book::at;
using book::client_spec;
using book::expect_refused;
using book::refused_unchanged;
using book::staffed_agency;
using Json = nlohmann::ordered_json;

namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

Money cny(const char* amount) { return Money::parse(amount, "CNY"); }
Money usd(const char* amount) { return Money::parse(amount, "USD"); }
Decimal dec(const char* text) { return Decimal::parse(text); }
std::string text(const Money& m) { return m.amount_string(); }
bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// "estimate committed actual billed collected" as plain amounts, for readable failures.
std::string flows(const LedgerFlows& f) {
    return text(f.estimate) + " " + text(f.committed) + " " + text(f.actual) + " " + text(f.billed) + " " +
           text(f.collected);
}
// "current 1-30 31-60 61-90 >90 | total"
std::string buckets(const aecore::AgingBuckets& b) {
    return text(b.current) + " " + text(b.days_1_30) + " " + text(b.days_31_60) + " " + text(b.days_61_90) + " " +
           text(b.over_90) + " | " + text(b.total);
}


// staffed_agency() (S0001 AD, S0002 AM -> S0001, S0003 AE -> S0002, S0004 AE -> S0002,
// S0005 AAE -> S0003; Mon-Fri, no holidays) with hourly rates
//   S0001 500.00, S0002 300.00, S0003 200.00, S0004 150.00, S0005 120.00
// and the clients
//   ACME CD-202511-ACME-001  first contact 2025-11-03, Closed, full team (AE S0003, AAE S0005,
//                            AM S0002, AD S0001), annual budget 600000.00, contacts K01 K02,
//                            contract T01 2026-01-15..2026-06-10 at 10000.00 a month;
//   BETA SH-202601-BETA-001  first contact 2026-01-12, owner S0004 only, no budget,
//                            contacts K01 K02 K03.
// and three media tickets (Draft):
//   j1 MD-202512-01  ACME, opened 2025-12-01 09:00
//   j2 MD-202601-01  ACME, opened 2026-01-05 09:00
//   jb MD-202601-02  BETA, opened 2026-01-12 09:00
struct LedgerBook {
    Agency a = staffed_agency();
    std::string acme, beta, j1, j2, jb;

    LedgerBook() {
        for (const auto& [id, rate] : std::vector<std::pair<const char*, const char*>>{
                 {"S0001", "500.00"}, {"S0002", "300.00"}, {"S0003", "200.00"}, {"S0004", "150.00"}, {"S0005", "120.00"}}) {
            aecore::StaffUpdate u;
            u.hourly_rate = cny(rate);
            a.update_staff(id, u);
        }
        aecore::NewClient acme_spec = client_spec("Acme Foods", "ACME", "CD", Date(2025, 11, 3), PipelineStage::Closed);
        acme_spec.team = book::full_team();
        acme_spec.annual_budget = cny("600000.00");
        acme = a.register_client(acme_spec).code;
        beta = a.register_client(
                    client_spec("Beta Motors", "BETA", "SH", Date(2026, 1, 12), PipelineStage::Negotiating, "S0004"))
                   .code;
        a.add_brand(acme, "Acme Noodles");
        a.add_brand(beta, "Beta EV");
        a.add_contact(acme, book::contact("Zhao Lei", aecore::DecisionRole::DecisionMaker, true));  // K01
        a.add_contact(acme, book::contact("Qian Yu", aecore::DecisionRole::Influencer));            // K02
        a.add_contact(beta, book::contact("Wu Gang", aecore::DecisionRole::DecisionMaker, true));   // K01
        a.add_contact(beta, book::contact("Zhou Min", aecore::DecisionRole::Influencer));           // K02
        a.add_contact(beta, book::contact("Sun Hao", aecore::DecisionRole::Executor));              // K03
        a.add_contract(acme, Date(2026, 1, 15), Date(2026, 6, 10), cny("10000.00"), "monthly in arrears");  // T01
        j1 = open(acme, "Acme Noodles", at(Date(2025, 12, 1), 9), "S0003");
        j2 = open(acme, "Acme Noodles", at(Date(2026, 1, 5), 9), "S0003");
        jb = open(beta, "Beta EV", at(Date(2026, 1, 12), 9), "S0004");
    }

    std::string open(const std::string& client, const std::string& brand, const DateTime& opened,
                     const std::string& issuer) {
        aecore::NewJob j;
        j.client = client;
        j.brand = brand;
        j.department = aecore::Department::Media;
        j.job_type = aecore::JobType::Other;
        j.title = "Campaign for " + brand;
        j.brief = book::complete_brief("Media plan", "Q1-Q4 flighting");
        j.client_deadline = at(Date(2026, 12, 18), 17);
        j.issuer = issuer;
        j.opened_at = opened;
        return a.open_job(j).number;
    }

    // Draft -> Approved (AM S0002) -> Issued (S0003), one hour apart.
    void issue(const std::string& job, const DateTime& start) {
        a.advance_job(job, TicketStatus::Approved, "S0002", start);
        a.advance_job(job, TicketStatus::Issued, "S0003", start + bp::hours(1));
    }

    static aecore::NewEstimate estimate_spec(const std::string& job, const char* amount, const DateTime& prepared,
                                             const std::string& by = "S0003") {
        return aecore::NewEstimate{.job = job, .amount = cny(amount), .note = "scope", .prepared_by = by,
                                   .prepared_at = prepared};
    }
    // Prepares a version and has the client (K01) approve it; returns the version.
    int approve(const std::string& job, const char* amount, const DateTime& prepared, const DateTime& approved,
                const std::string& contact = "K01") {
        const int v = a.prepare_estimate(estimate_spec(job, amount, prepared)).version;
        a.approve_estimate(job, v, contact, approved);
        return v;
    }

    static aecore::NewCommitment commitment(const std::string& job, const Date& d, const char* amount,
                                            const std::string& ref = "PO-1", bool media = false,
                                            std::optional<std::string> confirmation = std::nullopt) {
        return aecore::NewCommitment{.job = job, .date = d, .amount = cny(amount), .reference = ref,
                                     .recorded_by = "S0003", .media_booking = media,
                                     .confirmation = std::move(confirmation)};
    }
    LedgerEntry commit(const std::string& job, const Date& d, const char* amount, const std::string& ref = "PO-1") {
        return a.commit_cost(commitment(job, d, amount, ref));
    }
    static aecore::NewActualCost vendor_cost(const std::string& job, const Date& d, const char* amount,
                                             const std::string& ref = "VI-1") {
        return aecore::NewActualCost{.job = job, .date = d, .amount = cny(amount), .reference = ref,
                                     .recorded_by = "S0003"};
    }
    LedgerEntry cost(const std::string& job, const Date& d, const char* amount, const std::string& ref = "VI-1") {
        return a.record_cost(vendor_cost(job, d, amount, ref));
    }
    static aecore::NewInvoice job_invoice(const std::string& number, const std::string& job, const Date& d,
                                          const Date& due, const char* amount) {
        return aecore::NewInvoice{.number = number, .job = job, .client = std::nullopt, .contract = std::nullopt,
                                  .date = d, .due = due, .amount = cny(amount), .recorded_by = "S0003"};
    }
    LedgerEntry invoice(const std::string& number, const std::string& job, const Date& d, const Date& due,
                        const char* amount) {
        return a.issue_invoice(job_invoice(number, job, d, due, amount));
    }
    static aecore::NewInvoice client_invoice(const std::string& number, const std::string& client, const Date& d,
                                             const Date& due, const char* amount,
                                             std::optional<std::string> contract = std::nullopt) {
        return aecore::NewInvoice{.number = number, .job = std::nullopt, .client = client, .contract = std::move(contract),
                                  .date = d, .due = due, .amount = cny(amount), .recorded_by = "S0003"};
    }
    LedgerEntry fee(const std::string& number, const std::string& client, const Date& d, const Date& due,
                    const char* amount, std::optional<std::string> contract = std::nullopt) {
        return a.issue_invoice(client_invoice(number, client, d, due, amount, std::move(contract)));
    }
    static aecore::NewPayment payment(const std::string& invoice, const Date& d, const char* amount,
                                      const std::string& ref = "bank") {
        return aecore::NewPayment{.invoice = invoice, .date = d, .amount = cny(amount), .reference = ref,
                                  .recorded_by = "S0003"};
    }
    LedgerEntry pay(const std::string& invoice, const Date& d, const char* amount, const std::string& ref = "bank") {
        return a.record_payment(payment(invoice, d, amount, ref));
    }
    LedgerEntry reverse(const std::string& id, const Date& d, const std::string& reason = "posted in error") {
        return a.reverse_entry(id, d, reason, "S0003");
    }
    // Logs `hours` of `staff` on `job` for `day` (recorded that evening) and has the
    // manager approve it the next morning; returns the time entry id.
    std::string approved_time(const std::string& staff, const std::string& job, const Date& day, const char* hours,
                              const std::string& approver) {
        aecore::NewTimeEntry e;
        e.staff = staff;
        e.job = job;
        e.date = day;
        e.hours = dec(hours);
        e.activity = "work";
        e.recorded_at = at(day, 19);
        const std::string id = a.log_time(e).id;
        a.approve_time(id, approver, at(day + bg::days(1), 9));
        return id;
    }
};

std::vector<aecore::Finding> findings(const Agency& a, const Date& as_of, const std::string& rule,
                                      const std::string& subject) {
    std::vector<aecore::Finding> out;
    for (const aecore::Finding& f : a.audit(as_of))
        if (f.rule == rule && f.subject == subject) out.push_back(f);
    return out;
}

// ================================================================ MB-2 cost estimates

TEST(Estimates, ADraftIsApprovedByAClientContactAndPostsTheEstimate) {
    LedgerBook b;
    {
        const CostEstimate& e = b.a.prepare_estimate(LedgerBook::estimate_spec(b.j2, "100.00", at(Date(2026, 1, 6), 10)));
        EXPECT_EQ(e.job, b.j2);
        EXPECT_EQ(e.version, 1);
        EXPECT_EQ(e.id(), b.j2 + "/v1");
        EXPECT_EQ(text(e.amount), "100.00");
        EXPECT_EQ(e.note, "scope");
        EXPECT_EQ(e.prepared_by, "S0003");
        EXPECT_EQ(e.status, EstimateStatus::Draft);
        EXPECT_FALSE(e.approved_by.has_value());
        EXPECT_FALSE(e.approved_at.has_value());
    }
    EXPECT_EQ(b.a.ledger_size(), 0u) << "a draft is not in the ledger";
    EXPECT_FALSE(b.a.approved_estimate(b.j2, Date(2026, 12, 31)).has_value());

    // the client approves: a staff id or another client's contact is no contact of ACME
    expect_refused<NotFoundError>(
        b.a, [&](Agency& a) { a.approve_estimate(b.j2, 1, "S0003", at(Date(2026, 1, 7), 15)); },
        "estimate.approved_by", "S0003", "MB-2");
    expect_refused<NotFoundError>(
        b.a, [&](Agency& a) { a.approve_estimate(b.j2, 1, "K03", at(Date(2026, 1, 7), 15)); },  // BETA's K03
        "estimate.approved_by", "K03", "MB-2");

    const CostEstimate approved = b.a.approve_estimate(b.j2, 1, "K02", at(Date(2026, 1, 7), 15));
    EXPECT_EQ(approved.status, EstimateStatus::ClientApproved);
    EXPECT_EQ(approved.approved_by, std::optional<std::string>("K02"));
    EXPECT_EQ(approved.approved_at, std::optional<DateTime>(at(Date(2026, 1, 7), 15)));

    ASSERT_EQ(b.a.ledger_size(), 1u);
    const LedgerEntry l = b.a.ledger_entry("L00000001");
    EXPECT_EQ(l.id, "L00000001");
    EXPECT_EQ(l.kind, EntryKind::Estimate);
    EXPECT_EQ(l.date, Date(2026, 1, 7));
    EXPECT_EQ(l.client, b.acme);
    EXPECT_EQ(l.job, std::optional<std::string>(b.j2));
    EXPECT_EQ(text(l.amount), "100.00");
    EXPECT_EQ(l.reference, b.j2 + "/v1");
    EXPECT_EQ(l.recorded_by, "S0003");
    EXPECT_EQ(l.estimate_version, std::optional<int>(1));
    EXPECT_FALSE(l.reversed);
    EXPECT_FALSE(l.reverses || l.invoice || l.due || l.time_entry || l.confirmation || l.contract);
    EXPECT_EQ(b.a.ledger_entry(std::size_t{0}), l);

    // in force from the close of the approval day
    EXPECT_FALSE(b.a.approved_estimate(b.j2, Date(2026, 1, 6)).has_value());
    EXPECT_EQ(b.a.approved_estimate(b.j2, Date(2026, 1, 7)), std::optional<Money>(cny("100.00")));
    EXPECT_EQ(b.a.approved_estimate(b.j2, Date(2027, 1, 1)), std::optional<Money>(cny("100.00")));
    EXPECT_EQ(b.a.estimates(b.j2).size(), 1u);
    EXPECT_TRUE(b.a.estimates(b.j1).empty());
    EXPECT_THROW((void)b.a.estimates("MD-209901-01"), NotFoundError);
}

// v2 = 120 after v1 = 100 posts +20; a reduction posts a negative entry; every version is kept.
TEST(Estimates, ChangeOrdersPostTheDifferenceAndKeepEveryVersion) {
    LedgerBook b;
    b.approve(b.j2, "100.00", at(Date(2026, 1, 6), 10), at(Date(2026, 1, 7), 15));
    b.approve(b.j2, "120.00", at(Date(2026, 1, 20), 10), at(Date(2026, 1, 21), 11));
    b.approve(b.j2, "90.00", at(Date(2026, 2, 2), 10), at(Date(2026, 2, 3), 11));

    const std::vector<CostEstimate> versions = b.a.estimates(b.j2);
    ASSERT_EQ(versions.size(), 3u);
    EXPECT_EQ(versions[0].status, EstimateStatus::Superseded);
    EXPECT_EQ(versions[1].status, EstimateStatus::Superseded);
    EXPECT_EQ(versions[2].status, EstimateStatus::ClientApproved);
    for (int v = 0; v < 3; ++v) {
        EXPECT_EQ(versions[static_cast<std::size_t>(v)].version, v + 1);
        EXPECT_TRUE(versions[static_cast<std::size_t>(v)].approved_at.has_value()) << "an approval is kept";
    }

    const std::vector<LedgerEntry> entries = b.a.ledger_entries(std::nullopt, b.j2);
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(text(entries[0].amount), "100.00");
    EXPECT_EQ(text(entries[1].amount), "20.00");
    EXPECT_EQ(entries[1].estimate_version, std::optional<int>(2));
    EXPECT_EQ(entries[1].reference, b.j2 + "/v2");
    EXPECT_EQ(entries[1].date, Date(2026, 1, 21));
    EXPECT_EQ(text(entries[2].amount), "-30.00");
    EXPECT_EQ(entries[2].estimate_version, std::optional<int>(3));
    Money sum = cny("0");
    for (const LedgerEntry& e : entries) sum += e.amount;
    EXPECT_EQ(text(sum), "90.00") << "the Estimate entries add up to the approved estimate";

    EXPECT_EQ(b.a.approved_estimate(b.j2, Date(2026, 1, 20)), std::optional<Money>(cny("100.00")));
    EXPECT_EQ(b.a.approved_estimate(b.j2, Date(2026, 1, 21)), std::optional<Money>(cny("120.00")));
    EXPECT_EQ(b.a.approved_estimate(b.j2, Date(2026, 2, 2)), std::optional<Money>(cny("120.00")));
    EXPECT_EQ(b.a.approved_estimate(b.j2, Date(2026, 2, 3)), std::optional<Money>(cny("90.00")));

    // a change order of the same amount is approved but moves nothing in the ledger
    b.approve(b.j2, "90.00", at(Date(2026, 2, 10), 10), at(Date(2026, 2, 10), 12));
    EXPECT_EQ(b.a.ledger_size(), 3u);
    EXPECT_EQ(b.a.estimates(b.j2).back().status, EstimateStatus::ClientApproved);
    EXPECT_EQ(b.a.estimates(b.j2)[2].status, EstimateStatus::Superseded);
    // an approved version stays in force while a newer draft waits
    b.a.prepare_estimate(LedgerBook::estimate_spec(b.j2, "500.00", at(Date(2026, 2, 11), 10)));
    EXPECT_EQ(b.a.estimates(b.j2)[3].status, EstimateStatus::ClientApproved);
    EXPECT_EQ(b.a.approved_estimate(b.j2, Date(2026, 12, 31)), std::optional<Money>(cny("90.00")));
}

TEST(Estimates, APendingDraftIsWithdrawnByTheNextPrepare) {
    LedgerBook b;
    b.a.prepare_estimate(LedgerBook::estimate_spec(b.j2, "100.00", at(Date(2026, 1, 6), 10)));
    b.a.prepare_estimate(LedgerBook::estimate_spec(b.j2, "150.00", at(Date(2026, 1, 8), 10)));
    ASSERT_EQ(b.a.estimates(b.j2).size(), 2u);
    EXPECT_EQ(b.a.estimates(b.j2)[0].status, EstimateStatus::Withdrawn);
    EXPECT_EQ(b.a.estimates(b.j2)[1].status, EstimateStatus::Draft);
    // only a Draft is approved
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.approve_estimate(b.j2, 1, "K01", at(Date(2026, 1, 9), 10)); }, "estimate.status",
        "Withdrawn", "MB-2");
    b.a.approve_estimate(b.j2, 2, "K01", at(Date(2026, 1, 9), 10));
    ASSERT_EQ(b.a.ledger_size(), 1u);
    EXPECT_EQ(text(b.a.ledger_entry("L00000001").amount), "150.00") << "no earlier version was ever approved";
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.approve_estimate(b.j2, 2, "K01", at(Date(2026, 1, 9), 11)); }, "estimate.status",
        "ClientApproved", "MB-2");
    b.approve(b.j2, "160.00", at(Date(2026, 1, 12), 10), at(Date(2026, 1, 12), 11));
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.approve_estimate(b.j2, 2, "K01", at(Date(2026, 1, 13), 10)); }, "estimate.status",
        "Superseded", "MB-2");
    // versions that do not exist
    expect_refused<NotFoundError>(
        b.a, [&](Agency& a) { a.approve_estimate(b.j2, 9, "K01", at(Date(2026, 1, 13), 10)); }, "estimate.version",
        "9", "MB-2");
    expect_refused<NotFoundError>(
        b.a, [&](Agency& a) { a.approve_estimate(b.j2, 0, "K01", at(Date(2026, 1, 13), 10)); }, "estimate.version",
        "0", "MB-2");
    expect_refused<NotFoundError>(
        b.a, [&](Agency& a) { a.approve_estimate(b.j1, 1, "K01", at(Date(2026, 1, 13), 10)); }, "estimate.version",
        "1", "MB-2");
}

TEST(Estimates, BadEstimatesAreRefusedAndChangeNothing) {
    LedgerBook b;
    // prepared before the ticket was opened (09:00)
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.prepare_estimate(LedgerBook::estimate_spec(b.j2, "100.00", at(Date(2026, 1, 5), 8))); },
        "estimate.prepared_at", "2026-01-05T08:00:00", "MB-2");
    b.a.prepare_estimate(LedgerBook::estimate_spec(b.jb, "100.00", at(Date(2026, 1, 12), 9)));  // the opening minute is fine
    b.a.prepare_estimate(LedgerBook::estimate_spec(b.j2, "100.00", at(Date(2026, 1, 6), 10)));
    // before the previous version
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.prepare_estimate(LedgerBook::estimate_spec(b.j2, "100.00", at(Date(2026, 1, 6), 9))); },
        "estimate.prepared_at", "2026-01-06T09:00:00", "MB-2");
    // approved before it was prepared
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.approve_estimate(b.j2, 1, "K01", at(Date(2026, 1, 6), 9, 30)); }, "estimate.approved_at",
        "2026-01-06T09:30:00", "MB-2");
    // amounts: positive, in the book's currency
    for (const char* bad : {"0.00", "-10.00"})
        expect_refused<ValidationError>(
            b.a, [&](Agency& a) { a.prepare_estimate(LedgerBook::estimate_spec(b.j2, bad, at(Date(2026, 1, 7), 9))); },
            "estimate.amount", bad, "MB-2");
    expect_refused<ValidationError>(
        b.a,
        [&](Agency& a) {
            a.prepare_estimate(aecore::NewEstimate{.job = b.j2, .amount = usd("100.00"), .note = "", .prepared_by = "S0003",
                                                   .prepared_at = at(Date(2026, 1, 7), 9)});
        },
        "estimate.amount", "100.00 USD", "MB-1");
    // who prepares it: a staff member
    expect_refused<NotFoundError>(
        b.a,
        [&](Agency& a) { a.prepare_estimate(LedgerBook::estimate_spec(b.j2, "100.00", at(Date(2026, 1, 7), 9), "K01")); },
        "estimate.prepared_by", "K01", "MB-2");
    // the ticket must exist and not be cancelled
    expect_refused<NotFoundError>(
        b.a,
        [&](Agency& a) { a.prepare_estimate(LedgerBook::estimate_spec("MD-209901-01", "1.00", at(Date(2026, 1, 7), 9))); },
        "estimate.job", "MD-209901-01", "MB-2");
    b.a.advance_job(b.j1, TicketStatus::Cancelled, "S0003", at(Date(2025, 12, 2), 9), "client dropped it");
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.prepare_estimate(LedgerBook::estimate_spec(b.j1, "1.00", at(Date(2026, 1, 7), 9))); },
        "estimate.job", b.j1, "MB-2");
    // a Draft of a ticket cancelled since is not approved either
    b.a.advance_job(b.jb, TicketStatus::Cancelled, "S0003", at(Date(2026, 1, 12), 11), "client dropped it");
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.approve_estimate(b.jb, 1, "K01", at(Date(2026, 1, 12), 12)); }, "estimate.job", b.jb,
        "MB-2");
    EXPECT_EQ(b.a.ledger_size(), 0u);
}

// ================================================================ MB-2 overspend policy

TEST(Overspend, WithoutAnApprovedEstimateNothingIsCommittedOrSpent) {
    LedgerBook b;
    auto refused = [&](const std::function<void(Agency&)>& op) {
        const auto e = refused_unchanged<StateError>(b.a, op);
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->rule(), "MB-2") << e->what();
        EXPECT_TRUE(contains(e->what(), b.j2)) << e->what();
        EXPECT_TRUE(contains(e->what(), "[MB-2]")) << e->what();
    };
    refused([&](Agency& a) { a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 1, 6), "10.00")); });
    refused([&](Agency& a) { a.record_cost(LedgerBook::vendor_cost(b.j2, Date(2026, 1, 6), "10.00")); });
    // a draft is not enough
    b.a.prepare_estimate(LedgerBook::estimate_spec(b.j2, "100.00", at(Date(2026, 1, 6), 10)));
    refused([&](Agency& a) { a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 1, 8), "10.00")); });
    b.a.approve_estimate(b.j2, 1, "K01", at(Date(2026, 1, 7), 15));
    // the estimate counts from its approval day: the day before is still refused
    refused([&](Agency& a) { a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 1, 6), "10.00")); });
    refused([&](Agency& a) { a.record_cost(LedgerBook::vendor_cost(b.j2, Date(2026, 1, 6), "10.00")); });
    EXPECT_EQ(b.commit(b.j2, Date(2026, 1, 7), "10.00").kind, EntryKind::Commitment);
    EXPECT_EQ(b.cost(b.j2, Date(2026, 1, 7), "10.00").kind, EntryKind::ActualCost);
    // invoices need no estimate
    EXPECT_EQ(b.invoice("INV-1", b.j1, Date(2025, 12, 20), Date(2026, 1, 19), "5.00").kind, EntryKind::Invoice);
}

// The error names the field the value belongs to: without an approved estimate the
// problem is the job, whose number is the value reported.
TEST(Overspend, AMissingEstimateIsReportedOnTheJobField) {
    LedgerBook b;
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 1, 6), "10.00")); },
        "commitment.job", b.j2, "MB-2");
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.record_cost(LedgerBook::vendor_cost(b.j2, Date(2026, 1, 6), "10.00")); }, "cost.job",
        b.j2, "MB-2");
}

TEST(Overspend, StopRefusesCommitmentsAndCostsAboveTheApprovedEstimate) {
    LedgerBook b;
    b.a.policy().set_overspend(OverspendPolicy::Stop);
    b.approve(b.j2, "1000.00", at(Date(2026, 1, 6), 10), at(Date(2026, 1, 7), 15));
    b.commit(b.j2, Date(2026, 1, 8), "600.00");
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 1, 9), "400.01")); },
        "commitment.amount", "400.01 CNY", "MB-2");
    b.commit(b.j2, Date(2026, 1, 9), "400.00");  // exactly the estimate
    // actual costs are held to the estimate on their own
    b.cost(b.j2, Date(2026, 1, 10), "999.99");
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.record_cost(LedgerBook::vendor_cost(b.j2, Date(2026, 1, 10), "0.02")); }, "cost.amount",
        "0.02 CNY", "MB-2");
    b.cost(b.j2, Date(2026, 1, 10), "0.01");
    // a reversal makes room again
    const LedgerEntry first = b.a.ledger_entries(std::nullopt, b.j2)[1];
    ASSERT_EQ(first.kind, EntryKind::Commitment);
    b.reverse(first.id, Date(2026, 1, 11), "purchase order cancelled");
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 1, 12), "600.01")); },
        "commitment.amount", "600.01 CNY", "MB-2");
    b.commit(b.j2, Date(2026, 1, 12), "600.00");
    // a change order raises the ceiling
    b.approve(b.j2, "1500.00", at(Date(2026, 1, 13), 10), at(Date(2026, 1, 13), 11));
    b.commit(b.j2, Date(2026, 1, 14), "500.00");
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 1, 14), "0.01")); },
        "commitment.amount", "0.01 CNY", "MB-2");
    // approved time is work done: it is posted even above the estimate, and then the
    // audit reports the overrun (1000.00 vendor + 8 h x 120.00 = 1960.00 > 1500.00)
    b.issue(b.j2, at(Date(2026, 1, 5), 10));
    const std::string te = b.approved_time("S0005", b.j2, Date(2026, 1, 15), "8", "S0003");
    EXPECT_EQ(b.a.ledger_entries(std::nullopt, b.j2).back().time_entry, std::optional<std::string>(te));
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.record_cost(LedgerBook::vendor_cost(b.j2, Date(2026, 1, 16), "0.01")); }, "cost.amount",
        "0.01 CNY", "MB-2");
    const auto f = findings(b.a, Date(2026, 1, 31), "MB-2", b.j2);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, aecore::Severity::Warning);
    EXPECT_TRUE(contains(f[0].message, "actual costs")) << f[0].message;
    EXPECT_TRUE(contains(f[0].message, "1,960.00")) << f[0].message;
}

// Stop and back-dated postings. The oracle is the audit, which compares, as of any day,
// the entries dated up to that day with the estimate approved by then: under Stop an
// accepted commitment or cost must never make the audit report an overrun (MB-2 "spend
// only within the cost estimate"), and one that keeps every day within the estimate
// must be accepted.
std::vector<std::string> overrun_messages(const Agency& a, const std::string& job) {
    std::vector<std::string> out;
    for (const Date& d : {Date(2026, 1, 31), Date(2026, 2, 1), Date(2026, 2, 28), Date(2026, 3, 2), Date(2026, 3, 31),
                          Date(2026, 12, 31)})
        for (const aecore::Finding& f : findings(a, d, "MB-2", job))
            out.push_back(bg::to_iso_extended_string(d) + ": " + f.message);
    return out;
}

// v1 1000.00 approved 01-07, a change order to 2000.00 approved 03-02.
LedgerBook stop_book_with_a_raise() {
    LedgerBook b;
    b.a.policy().set_overspend(OverspendPolicy::Stop);
    b.approve(b.j2, "1000.00", at(Date(2026, 1, 6), 10), at(Date(2026, 1, 7), 15));
    b.approve(b.j2, "2000.00", at(Date(2026, 3, 2), 9), at(Date(2026, 3, 2), 15));
    return b;
}

// 1500.00 dated 02-01, when 1000.00 was approved: the audit of February would report it.
TEST(Overspend, StopRefusesABackDatedEntryAboveTheEstimateInForceOnItsDate) {
    LedgerBook b = stop_book_with_a_raise();
    const auto e = refused_unchanged<ValidationError>(
        b.a, [&](Agency& a) { a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 2, 1), "1500.00")); });
    if (e) {
        EXPECT_EQ(e->field(), "commitment.amount");
        EXPECT_EQ(e->rule(), "MB-2");
    }
    for (const std::string& m : overrun_messages(b.a, b.j2)) ADD_FAILURE() << "accepted under Stop; the audit says " << m;
    b.commit(b.j2, Date(2026, 3, 2), "1500.00");  // from the change order's day it fits
}

// 1500.00 dated 03-02 and then 500.00 dated 02-01: 500 <= 1000 in February, 2000 <= 2000
// from March. No day is over its estimate, so Stop has nothing to stop.
TEST(Overspend, StopAcceptsABackDatedEntryThatFitsOnEveryDay) {
    LedgerBook b = stop_book_with_a_raise();
    b.commit(b.j2, Date(2026, 3, 2), "1500.00");
    try {
        b.commit(b.j2, Date(2026, 2, 1), "500.00");
    } catch (const aecore::Error& e) {
        ADD_FAILURE() << "refused: " << e.what();
    }
    EXPECT_EQ(b.a.ledger_size(), 4u);
    for (const std::string& m : overrun_messages(b.a, b.j2)) ADD_FAILURE() << "the audit says " << m;
}

// v1 1000.00, then the client cuts the estimate to 500.00 on 03-02. A purchase order of
// 600.00 posted now, dated 02-01, fits February but leaves the job over its estimate from
// 03-02 on, which the audit reports.
TEST(Overspend, StopRefusesABackDatedEntryAboveALaterReducedEstimate) {
    LedgerBook b;
    b.a.policy().set_overspend(OverspendPolicy::Stop);
    b.approve(b.j2, "1000.00", at(Date(2026, 1, 6), 10), at(Date(2026, 1, 7), 15));
    b.approve(b.j2, "500.00", at(Date(2026, 3, 2), 9), at(Date(2026, 3, 2), 15));
    const auto e = refused_unchanged<ValidationError>(
        b.a, [&](Agency& a) { a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 2, 1), "600.00")); });
    if (e) {
        EXPECT_EQ(e->field(), "commitment.amount");
        EXPECT_EQ(e->rule(), "MB-2");
    }
    for (const std::string& m : overrun_messages(b.a, b.j2)) ADD_FAILURE() << "accepted under Stop; the audit says " << m;
    b.commit(b.j2, Date(2026, 2, 1), "500.00");  // within the estimate on every day
    EXPECT_TRUE(overrun_messages(b.a, b.j2).empty());
}

TEST(Overspend, WarnAcceptsWithAnOverrunFindingAndIgnoreAcceptsSilently) {
    EXPECT_EQ(aecore::Policy().overspend(), OverspendPolicy::Warn) << "Warn is the default";
    for (const OverspendPolicy policy : {OverspendPolicy::Warn, OverspendPolicy::Ignore}) {
        SCOPED_TRACE(std::string(aecore::to_string(policy)));
        LedgerBook b;
        b.a.policy().set_overspend(policy);
        b.approve(b.j2, "1000.00", at(Date(2026, 1, 6), 10), at(Date(2026, 1, 7), 15));
        EXPECT_TRUE(findings(b.a, Date(2026, 1, 31), "MB-2", b.j2).empty());
        b.commit(b.j2, Date(2026, 1, 8), "1200.00");
        b.cost(b.j2, Date(2026, 1, 9), "1100.00");
        EXPECT_EQ(b.a.ledger_size(), 3u);
        const auto f = findings(b.a, Date(2026, 1, 31), "MB-2", b.j2);
        if (policy == OverspendPolicy::Ignore) {
            EXPECT_TRUE(f.empty());
        } else {
            ASSERT_EQ(f.size(), 2u);
            std::string all;
            for (const auto& x : f) all += x.message + "\n";
            EXPECT_TRUE(contains(all, "commitments of CNY 1,200.00")) << all;
            EXPECT_TRUE(contains(all, "actual costs of CNY 1,100.00")) << all;
            // before the overrun was posted there was nothing to report
            EXPECT_TRUE(findings(b.a, Date(2026, 1, 7), "MB-2", b.j2).empty());
        }
    }
}

TEST(TimeCost, ApprovedTimeIsPostedAsActualCostEvenWithoutAnEstimate) {
    LedgerBook b;
    b.issue(b.j2, at(Date(2026, 1, 5), 10));
    aecore::NewTimeEntry e;
    e.staff = "S0005";
    e.job = b.j2;
    e.date = Date(2026, 1, 6);
    e.hours = dec("8");
    e.activity = "media buying";
    e.recorded_at = at(Date(2026, 1, 6), 19);
    const std::string te = b.a.log_time(e).id;
    EXPECT_EQ(b.a.ledger_size(), 0u) << "submitted time is not yet a cost";
    b.a.approve_time(te, "S0003", at(Date(2026, 1, 8), 9));
    ASSERT_EQ(b.a.ledger_size(), 1u);
    const LedgerEntry l = b.a.ledger_entry("L00000001");
    EXPECT_EQ(l.kind, EntryKind::ActualCost);
    EXPECT_EQ(l.time_entry, std::optional<std::string>(te));
    EXPECT_EQ(l.date, Date(2026, 1, 6)) << "the day the work was done";
    EXPECT_EQ(l.client, b.acme);
    EXPECT_EQ(l.job, std::optional<std::string>(b.j2));
    EXPECT_EQ(text(l.amount), "960.00");  // 8 h x 120.00
    EXPECT_EQ(l.reference, te);
    EXPECT_EQ(l.recorded_by, "S0003") << "the approver";
    // the audit notes the cost without an estimate
    const auto f = findings(b.a, Date(2026, 1, 9), "MB-2", b.j2);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_TRUE(contains(f[0].message, "approved time")) << f[0].message;

    // a correction is a cost once approved: negative for fewer hours
    const std::string fix = b.a.correct_time(te, dec("-1.5"), "double counted", at(Date(2026, 1, 9), 9)).id;
    EXPECT_EQ(b.a.ledger_size(), 1u);
    b.a.approve_time(fix, "S0003", at(Date(2026, 1, 9), 10));
    ASSERT_EQ(b.a.ledger_size(), 2u);
    const LedgerEntry c = b.a.ledger_entry("L00000002");
    EXPECT_EQ(c.kind, EntryKind::ActualCost);
    EXPECT_EQ(c.time_entry, std::optional<std::string>(fix));
    EXPECT_EQ(text(c.amount), "-180.00");  // -1.5 h x 120.00
    EXPECT_EQ(c.date, Date(2026, 1, 6));
    EXPECT_FALSE(c.reverses.has_value());

    // time cost changes only through time corrections
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.reverse_entry("L00000001", Date(2026, 1, 10), "wrong", "S0003"); }, "reversal.entry",
        "L00000001", "JT-10");
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.reverse_entry("L00000002", Date(2026, 1, 10), "wrong", "S0003"); }, "reversal.entry",
        "L00000002", "JT-10");
    const auto r = b.a.reconcile(b.acme, YearMonth{2026, 1});
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(text(r.rows[0].month.actual), "780.00");
}

// ================================================================ MB-3 postings

TEST(Postings, EveryKindIsRecordedWithItsFields) {
    LedgerBook b;
    b.approve(b.j2, "50000.00", at(Date(2026, 1, 6), 10), at(Date(2026, 1, 7), 15));  // L1
    const LedgerEntry po = b.commit(b.j2, Date(2026, 1, 8), "1000.00", "PO-0815");      // L2
    EXPECT_EQ(po.id, "L00000002");
    EXPECT_EQ(po.kind, EntryKind::Commitment);
    EXPECT_EQ(po.date, Date(2026, 1, 8));
    EXPECT_EQ(po.client, b.acme);
    EXPECT_EQ(po.job, std::optional<std::string>(b.j2));
    EXPECT_EQ(text(po.amount), "1000.00");
    EXPECT_EQ(po.reference, "PO-0815");
    EXPECT_EQ(po.recorded_by, "S0003");
    EXPECT_FALSE(po.media_booking);
    EXPECT_FALSE(po.confirmation.has_value());

    const LedgerEntry booking = b.a.commit_cost(
        LedgerBook::commitment(b.j2, Date(2026, 1, 9), "20000.00", "CCTV-1 March flight", true, "K01 e-mail 2026-01-09"));
    EXPECT_EQ(booking.id, "L00000003");
    EXPECT_TRUE(booking.media_booking);
    EXPECT_EQ(booking.confirmation, std::optional<std::string>("K01 e-mail 2026-01-09"));

    const LedgerEntry vi = b.cost(b.j2, Date(2026, 1, 20), "800.00", "VI-77");
    EXPECT_EQ(vi.kind, EntryKind::ActualCost);
    EXPECT_FALSE(vi.time_entry.has_value());

    const LedgerEntry inv = b.invoice("INV-001", b.j2, Date(2026, 1, 31), Date(2026, 3, 2), "30000.00");
    EXPECT_EQ(inv.kind, EntryKind::Invoice);
    EXPECT_EQ(inv.reference, "INV-001");
    EXPECT_EQ(inv.due, std::optional<Date>(Date(2026, 3, 2)));
    EXPECT_FALSE(inv.contract.has_value());
    EXPECT_EQ(text(b.a.open_balance("INV-001")), "30000.00");

    const LedgerEntry fee = b.fee("FEE-2026-01", b.acme, Date(2026, 1, 31), Date(2026, 2, 28), "10000.00", "T01");
    EXPECT_EQ(fee.client, b.acme);
    EXPECT_FALSE(fee.job.has_value()) << "a client-level bill";
    EXPECT_EQ(fee.contract, std::optional<std::string>("T01"));

    const LedgerEntry paid = b.pay("INV-001", Date(2026, 2, 10), "12000.00", "BOC 0210");
    EXPECT_EQ(paid.kind, EntryKind::Payment);
    EXPECT_EQ(paid.invoice, std::optional<std::string>("INV-001"));
    EXPECT_EQ(paid.job, std::optional<std::string>(b.j2));
    EXPECT_EQ(paid.reference, "BOC 0210");
    EXPECT_EQ(text(b.a.open_balance("INV-001")), "18000.00");
    EXPECT_EQ(text(b.a.open_balance("INV-001", Date(2026, 2, 9))), "30000.00");
    EXPECT_EQ(text(b.a.open_balance("INV-001", Date(2026, 1, 30))), "0.00") << "not yet issued";

    const LedgerEntry credit = b.invoice("CN-001", b.j2, Date(2026, 2, 12), Date(2026, 2, 12), "-500.00");
    EXPECT_EQ(credit.kind, EntryKind::Invoice);
    EXPECT_EQ(text(credit.amount), "-500.00");
    EXPECT_EQ(text(b.a.open_balance("CN-001")), "-500.00");

    const LedgerEntry beta_bill = b.invoice("INV-B1", b.jb, Date(2026, 1, 31), Date(2026, 3, 2), "700.00");
    EXPECT_EQ(beta_bill.client, b.beta);

    // reading back: by id and index, by client, job and dates
    ASSERT_EQ(b.a.ledger_size(), 9u);
    for (std::size_t i = 0; i < b.a.ledger_size(); ++i) {
        const LedgerEntry e = b.a.ledger_entry(i);
        EXPECT_EQ(b.a.ledger_entry(e.id), e);
        char id[32];
        std::snprintf(id, sizeof id, "L%08zu", i + 1);
        EXPECT_EQ(e.id, id);
    }
    EXPECT_EQ(b.a.ledger_entries().size(), 9u);
    EXPECT_EQ(b.a.ledger_entries(b.beta).size(), 1u);
    EXPECT_EQ(b.a.ledger_entries(b.acme).size(), 8u);
    EXPECT_EQ(b.a.ledger_entries(std::nullopt, b.j2).size(), 7u);
    EXPECT_EQ(b.a.ledger_entries(b.beta, b.j2).size(), 0u) << "j2 is not BETA's";
    const auto january = b.a.ledger_entries(b.acme, std::nullopt, Date(2026, 1, 1), Date(2026, 1, 31));
    EXPECT_EQ(january.size(), 6u);  // L1..L5 and the fee
    EXPECT_THROW((void)b.a.ledger_entry("L00000010"), NotFoundError);
    EXPECT_THROW((void)b.a.ledger_entry("L0000001"), NotFoundError);
    EXPECT_THROW((void)b.a.ledger_entry(std::size_t{9}), NotFoundError);
    EXPECT_THROW((void)b.a.open_balance("NOPE"), NotFoundError);
}

TEST(Postings, AMediaBookingNeedsTheClientsWrittenConfirmation) {
    LedgerBook b;
    b.approve(b.j2, "50000.00", at(Date(2026, 1, 6), 10), at(Date(2026, 1, 7), 15));
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 1, 8), "100.00", "TV", true)); },
        "commitment.confirmation", "none", "MB-3");
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 1, 8), "100.00", "TV", true, "")); },
        "commitment.confirmation", "", "MB-3");
    // a purchase order carries no client confirmation
    expect_refused<ValidationError>(
        b.a,
        [&](Agency& a) {
            a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 1, 8), "100.00", "PO", false, "K01 e-mail"));
        },
        "commitment.confirmation", "K01 e-mail", "MB-3");
    const LedgerEntry ok =
        b.a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 1, 8), "100.00", "TV", true, "K01 e-mail"));
    EXPECT_TRUE(ok.media_booking);
    EXPECT_EQ(ok.confirmation, std::optional<std::string>("K01 e-mail"));
}

TEST(Postings, TheLedgerNeverMixesCurrencies) {
    LedgerBook b;
    b.approve(b.j2, "50000.00", at(Date(2026, 1, 6), 10), at(Date(2026, 1, 7), 15));
    b.invoice("INV-1", b.j2, Date(2026, 1, 8), Date(2026, 2, 7), "100.00");
    auto commitment = LedgerBook::commitment(b.j2, Date(2026, 1, 8), "1.00");
    commitment.amount = usd("100.00");
    expect_refused<ValidationError>(b.a, [&](Agency& a) { a.commit_cost(commitment); }, "commitment.amount",
                                    "100.00 USD", "MB-1");
    auto cost = LedgerBook::vendor_cost(b.j2, Date(2026, 1, 8), "1.00");
    cost.amount = usd("100.00");
    expect_refused<ValidationError>(b.a, [&](Agency& a) { a.record_cost(cost); }, "cost.amount", "100.00 USD", "MB-1");
    auto invoice = LedgerBook::job_invoice("INV-2", b.j2, Date(2026, 1, 8), Date(2026, 2, 7), "1.00");
    invoice.amount = usd("100.00");
    expect_refused<ValidationError>(b.a, [&](Agency& a) { a.issue_invoice(invoice); }, "invoice.amount", "100.00 USD",
                                    "MB-1");
    auto payment = LedgerBook::payment("INV-1", Date(2026, 1, 9), "1.00");
    payment.amount = usd("50.00");
    expect_refused<ValidationError>(b.a, [&](Agency& a) { a.record_payment(payment); }, "payment.amount", "50.00 USD",
                                    "MB-1");
    payment.amount = Money::parse("50", "JPY");
    expect_refused<ValidationError>(b.a, [&](Agency& a) { a.record_payment(payment); }, "payment.amount", "50 JPY",
                                    "MB-1");
}

TEST(Postings, APaymentIsNeverMoreThanTheOpenBalance) {
    LedgerBook b;
    b.invoice("INV-1", b.j2, Date(2026, 1, 8), Date(2026, 2, 7), "1000.00");
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.record_payment(LedgerBook::payment("INV-1", Date(2026, 1, 9), "1000.01")); },
        "payment.amount", "1000.01 CNY", "MB-3");
    b.pay("INV-1", Date(2026, 1, 9), "600.00");
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.record_payment(LedgerBook::payment("INV-1", Date(2026, 1, 10), "400.01")); },
        "payment.amount", "400.01 CNY", "MB-3");
    b.pay("INV-1", Date(2026, 1, 10), "400.00");
    EXPECT_TRUE(b.a.open_balance("INV-1").is_zero());
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.record_payment(LedgerBook::payment("INV-1", Date(2026, 1, 11), "0.01")); },
        "payment.amount", "0.01 CNY", "MB-3");
    for (const char* bad : {"0.00", "-5.00"})
        expect_refused<ValidationError>(
            b.a, [&](Agency& a) { a.record_payment(LedgerBook::payment("INV-1", Date(2026, 1, 11), bad)); },
            "payment.amount", bad, "MB-3");
    // never before the invoice itself
    b.invoice("INV-2", b.j2, Date(2026, 1, 20), Date(2026, 2, 19), "10.00");
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.record_payment(LedgerBook::payment("INV-2", Date(2026, 1, 19), "10.00")); },
        "payment.date", "2026-01-19", "MB-3");
    // a credit note takes no payment
    b.invoice("CN-1", b.j2, Date(2026, 1, 21), Date(2026, 1, 21), "-10.00");
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.record_payment(LedgerBook::payment("CN-1", Date(2026, 1, 22), "10.00")); },
        "payment.amount", "10.00 CNY", "MB-3");
}

TEST(Postings, UnknownInvoicesJobsClientsAndContractsAreNotFound) {
    LedgerBook b;
    expect_refused<NotFoundError>(
        b.a, [&](Agency& a) { a.record_payment(LedgerBook::payment("INV-404", Date(2026, 1, 9), "1.00")); },
        "payment.invoice", "INV-404", "MB-3");
    expect_refused<NotFoundError>(
        b.a, [&](Agency& a) { a.commit_cost(LedgerBook::commitment("MD-209901-01", Date(2026, 1, 9), "1.00")); },
        "commitment.job", "MD-209901-01", "MB-3");
    expect_refused<NotFoundError>(
        b.a, [&](Agency& a) { a.record_cost(LedgerBook::vendor_cost("MD-209901-01", Date(2026, 1, 9), "1.00")); },
        "cost.job", "MD-209901-01", "MB-3");
    expect_refused<NotFoundError>(
        b.a,
        [&](Agency& a) {
            a.issue_invoice(LedgerBook::job_invoice("INV-9", "MD-209901-01", Date(2026, 1, 9), Date(2026, 2, 9), "1.00"));
        },
        "invoice.job", "MD-209901-01", "MB-3");
    expect_refused<NotFoundError>(
        b.a,
        [&](Agency& a) {
            a.issue_invoice(LedgerBook::client_invoice("INV-9", "CD-209901-NOPE-001", Date(2026, 1, 9), Date(2026, 2, 9), "1.00"));
        },
        "invoice.client", "CD-209901-NOPE-001", "MB-3");
    expect_refused<NotFoundError>(
        b.a,
        [&](Agency& a) {
            a.issue_invoice(LedgerBook::client_invoice("INV-9", b.acme, Date(2026, 1, 9), Date(2026, 2, 9), "1.00", "T02"));
        },
        "invoice.contract", "T02", "CL-7");
    expect_refused<NotFoundError>(
        b.a,
        [&](Agency& a) {
            a.issue_invoice(LedgerBook::client_invoice("INV-9", b.beta, Date(2026, 1, 19), Date(2026, 2, 9), "1.00", "T01"));
        },
        "invoice.contract", "T01", "CL-7");  // ACME's contract, not BETA's
    // an invoice bills a job or a client, and a job's invoice goes to the job's client
    expect_refused<ValidationError>(
        b.a,
        [&](Agency& a) {
            auto spec = LedgerBook::client_invoice("INV-9", b.acme, Date(2026, 1, 9), Date(2026, 2, 9), "1.00");
            spec.client.reset();
            a.issue_invoice(spec);
        },
        "invoice.client", "none", "MB-3");
    expect_refused<ValidationError>(
        b.a,
        [&](Agency& a) {
            auto spec = LedgerBook::job_invoice("INV-9", b.j2, Date(2026, 1, 19), Date(2026, 2, 9), "1.00");
            spec.client = b.beta;
            a.issue_invoice(spec);
        },
        "invoice.client", b.beta, "MB-3");
    expect_refused<NotFoundError>(
        b.a, [&](Agency& a) { a.reverse_entry("L00000001", Date(2026, 1, 9), "x", "S0003"); }, "reversal.entry",
        "L00000001", "MB-3");
    expect_refused<NotFoundError>(
        b.a, [&](Agency& a) { a.reverse_entry("PO-1", Date(2026, 1, 9), "x", "S0003"); }, "reversal.entry", "PO-1",
        "MB-3");
    // the recorder is a staff member
    expect_refused<NotFoundError>(
        b.a,
        [&](Agency& a) {
            auto spec = LedgerBook::job_invoice("INV-9", b.j2, Date(2026, 1, 9), Date(2026, 2, 9), "1.00");
            spec.recorded_by = "S0099";
            a.issue_invoice(spec);
        },
        "invoice.recorded_by", "S0099", "MB-3");
}

TEST(Postings, InvoiceNumbersAreUniqueForEver) {
    LedgerBook b;
    const LedgerEntry first = b.invoice("INV-2026-001", b.j2, Date(2026, 1, 8), Date(2026, 2, 7), "100.00");
    expect_refused<ValidationError>(
        b.a,
        [&](Agency& a) {
            a.issue_invoice(LedgerBook::job_invoice("INV-2026-001", b.jb, Date(2026, 1, 20), Date(2026, 2, 7), "5.00"));
        },
        "invoice.number", "INV-2026-001", "MB-3");
    b.reverse(first.id, Date(2026, 1, 9), "wrong amount");
    expect_refused<ValidationError>(
        b.a,
        [&](Agency& a) {
            a.issue_invoice(LedgerBook::job_invoice("INV-2026-001", b.j2, Date(2026, 1, 9), Date(2026, 2, 7), "90.00"));
        },
        "invoice.number", "INV-2026-001", "MB-3");
    for (const char* bad : {"", "INV 2026", "INV-\t1"})
        expect_refused<ValidationError>(
            b.a,
            [&](Agency& a) {
                a.issue_invoice(LedgerBook::job_invoice(bad, b.j2, Date(2026, 1, 9), Date(2026, 2, 7), "90.00"));
            },
            "invoice.number", "", "MB-3");
    // due date not before the invoice date, amount not zero
    expect_refused<ValidationError>(
        b.a,
        [&](Agency& a) {
            a.issue_invoice(LedgerBook::job_invoice("INV-X", b.j2, Date(2026, 1, 9), Date(2026, 1, 8), "90.00"));
        },
        "invoice.due", "2026-01-08", "MB-3");
    expect_refused<ValidationError>(
        b.a,
        [&](Agency& a) {
            a.issue_invoice(LedgerBook::job_invoice("INV-X", b.j2, Date(2026, 1, 9), Date(2026, 1, 9), "0.00"));
        },
        "invoice.amount", "0.00", "MB-3");
}

TEST(Postings, EveryInvoiceOfThousandsIsFoundByItsNumberAndNoOtherNumberIs) {
    // Past a few thousand invoices the number index has grown several times and its probe
    // runs are long enough for slots whose tag (8 bits of the hash) matches another number.
    LedgerBook b;
    std::vector<std::string> numbers;
    for (int k = 0; k < 3000; ++k) {
        numbers.push_back("INV-" + std::to_string(100000 + (k * 7919) % 90001));
        b.invoice(numbers.back(), b.j2, Date(2026, 1, 8), Date(2026, 2, 7), k % 2 ? "1.00" : "2.00");
    }
    b.pay(numbers[1234], Date(2026, 1, 9), "1.00");
    const auto check = [&](const Agency& a) {
        for (std::size_t k = 0; k < numbers.size(); ++k)
            ASSERT_EQ(text(a.open_balance(numbers[k])), k % 2 || k == 1234 ? "1.00" : "2.00") << numbers[k];
        for (int k = 0; k < 3000; ++k) {  // the same shape, none issued
            const std::string other = "INV-" + std::to_string(200000 + k);
            ASSERT_THROW((void)a.open_balance(other), aecore::NotFoundError) << other;
        }
    };
    check(b.a);
    const Agency copy = b.a;
    check(copy);
    const Agency loaded = Agency::from_json(b.a.to_json());
    check(loaded);
    expect_refused<ValidationError>(
        b.a,
        [&](Agency& a) {
            a.issue_invoice(LedgerBook::job_invoice(numbers[2999], b.j2, Date(2026, 1, 9), Date(2026, 2, 7), "5.00"));
        },
        "invoice.number", numbers[2999], "MB-3");
}

TEST(Postings, ACancelledJobTakesNoNewMoneyButOldInvoicesAreStillCollected) {
    LedgerBook b;
    b.approve(b.j2, "5000.00", at(Date(2026, 1, 6), 10), at(Date(2026, 1, 7), 15));
    const LedgerEntry po = b.commit(b.j2, Date(2026, 1, 8), "1000.00");
    b.invoice("INV-1", b.j2, Date(2026, 1, 9), Date(2026, 2, 8), "1000.00");
    b.a.advance_job(b.j2, TicketStatus::Cancelled, "S0003", at(Date(2026, 1, 10), 9), "client postponed");
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 1, 11), "1.00")); },
        "commitment.job", b.j2, "MB-3");
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.record_cost(LedgerBook::vendor_cost(b.j2, Date(2026, 1, 11), "1.00")); }, "cost.job",
        b.j2, "MB-3");
    expect_refused<StateError>(
        b.a,
        [&](Agency& a) {
            a.issue_invoice(LedgerBook::job_invoice("INV-2", b.j2, Date(2026, 1, 11), Date(2026, 2, 8), "1.00"));
        },
        "invoice.job", b.j2, "MB-3");
    // money already owed is still collected, and a cancelled purchase order is reversed
    b.pay("INV-1", Date(2026, 1, 20), "1000.00");
    b.reverse(po.id, Date(2026, 1, 11), "order cancelled with the job");
    EXPECT_TRUE(b.a.open_balance("INV-1").is_zero());
}

TEST(Postings, NothingIsDatedBeforeTheClientsFirstContact) {
    LedgerBook b;
    b.approve(b.j1, "5000.00", at(Date(2025, 12, 1), 10), at(Date(2025, 12, 2), 10));
    expect_refused<ValidationError>(
        b.a,
        [&](Agency& a) {
            a.issue_invoice(LedgerBook::job_invoice("INV-1", b.j1, Date(2025, 11, 2), Date(2025, 12, 2), "1.00"));
        },
        "invoice.date", "2025-11-02", "MB-3");
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.commit_cost(LedgerBook::commitment(b.j1, Date(2025, 11, 2), "1.00")); },
        "commitment.date", "2025-11-02", "MB-3");
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.record_cost(LedgerBook::vendor_cost(b.j1, Date(2025, 11, 2), "1.00")); }, "cost.date",
        "2025-11-02", "MB-3");
    expect_refused<ValidationError>(
        b.a,
        [&](Agency& a) {
            a.issue_invoice(LedgerBook::client_invoice("FEE-1", b.beta, Date(2026, 1, 11), Date(2026, 2, 11), "1.00"));
        },
        "invoice.date", "2026-01-11", "MB-3");
    // the first-contact day itself is fine
    b.invoice("INV-1", b.j1, Date(2025, 11, 3), Date(2025, 12, 3), "1.00");
    b.fee("FEE-1", b.beta, Date(2026, 1, 12), Date(2026, 2, 11), "1.00");
}

TEST(Reversals, ACorrectionIsAReversingEntryNeverAnEdit) {
    LedgerBook b;
    b.approve(b.j2, "5000.00", at(Date(2026, 1, 6), 10), at(Date(2026, 1, 7), 15));  // L1
    const LedgerEntry po = b.commit(b.j2, Date(2026, 1, 8), "700.00", "PO-7");         // L2
    const LedgerEntry rev = b.reverse(po.id, Date(2026, 1, 9), "keyed twice");         // L3
    EXPECT_EQ(rev.id, "L00000003");
    EXPECT_EQ(rev.kind, EntryKind::Commitment);
    EXPECT_EQ(text(rev.amount), "-700.00");
    EXPECT_EQ(rev.reverses, std::optional<std::string>(po.id));
    EXPECT_EQ(rev.reference, "keyed twice");
    EXPECT_EQ(rev.job, std::optional<std::string>(b.j2));
    EXPECT_EQ(rev.date, Date(2026, 1, 9));
    EXPECT_FALSE(rev.reversed);
    const LedgerEntry original = b.a.ledger_entry(po.id);
    EXPECT_TRUE(original.reversed);
    EXPECT_EQ(text(original.amount), "700.00") << "the original is never edited";
    EXPECT_EQ(original.reference, "PO-7");

    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.reverse_entry(po.id, Date(2026, 1, 10), "again", "S0003"); }, "reversal.entry", po.id,
        "MB-3");
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.reverse_entry(rev.id, Date(2026, 1, 10), "undo", "S0003"); }, "reversal.entry", rev.id,
        "MB-3");
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.reverse_entry("L00000001", Date(2026, 1, 10), "too high", "S0003"); }, "reversal.entry",
        "L00000001", "MB-2");
    const LedgerEntry vi = b.cost(b.j2, Date(2026, 1, 10), "300.00");
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.reverse_entry(vi.id, Date(2026, 1, 9), "wrong", "S0003"); }, "reversal.date",
        "2026-01-09", "MB-3");
    expect_refused<ValidationError>(
        b.a, [&](Agency& a) { a.reverse_entry(vi.id, Date(2026, 1, 10), "", "S0003"); }, "reversal.reason", "",
        "MB-3");
    expect_refused<NotFoundError>(
        b.a, [&](Agency& a) { a.reverse_entry(vi.id, Date(2026, 1, 10), "wrong", "S0099"); }, "reversal.recorded_by",
        "S0099", "MB-3");
    const LedgerEntry vi_rev = b.reverse(vi.id, Date(2026, 1, 10), "wrong vendor");
    EXPECT_EQ(vi_rev.kind, EntryKind::ActualCost);
    EXPECT_EQ(text(vi_rev.amount), "-300.00");
}

TEST(Reversals, AnInvoiceWithPaymentsIsReversedAfterItsPayments) {
    LedgerBook b;
    const LedgerEntry inv = b.invoice("INV-1", b.j2, Date(2026, 1, 8), Date(2026, 2, 7), "1000.00");
    const LedgerEntry p1 = b.pay("INV-1", Date(2026, 1, 20), "300.00", "cheque 41");
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.reverse_entry(inv.id, Date(2026, 1, 21), "wrong amount", "S0003"); }, "reversal.entry",
        inv.id, "MB-3");
    // reversing the payment reopens the balance
    const LedgerEntry bounced = b.reverse(p1.id, Date(2026, 1, 22), "cheque 41 bounced");
    EXPECT_EQ(bounced.kind, EntryKind::Payment);
    EXPECT_EQ(text(bounced.amount), "-300.00");
    EXPECT_EQ(bounced.invoice, std::optional<std::string>("INV-1"));
    EXPECT_EQ(text(b.a.open_balance("INV-1")), "1000.00");
    // the reopened balance can be paid again in full
    const LedgerEntry p2 = b.pay("INV-1", Date(2026, 1, 25), "1000.00");
    EXPECT_TRUE(b.a.open_balance("INV-1").is_zero());
    b.reverse(p2.id, Date(2026, 1, 26), "paid to the wrong invoice");
    // now the invoice itself can be reversed; it takes no more payments
    const LedgerEntry gone = b.reverse(inv.id, Date(2026, 1, 27), "wrong amount");
    EXPECT_EQ(gone.kind, EntryKind::Invoice);
    EXPECT_EQ(text(gone.amount), "-1000.00");
    EXPECT_TRUE(b.a.open_balance("INV-1").is_zero());
    EXPECT_EQ(text(b.a.open_balance("INV-1", Date(2026, 1, 26))), "1000.00");
    expect_refused<StateError>(
        b.a, [&](Agency& a) { a.record_payment(LedgerBook::payment("INV-1", Date(2026, 1, 28), "1.00")); },
        "payment.invoice", "INV-1", "MB-3");
    // a credit note is an invoice with a negative amount, reversed like one
    const LedgerEntry cn = b.invoice("CN-1", b.j2, Date(2026, 1, 28), Date(2026, 1, 28), "-250.00");
    EXPECT_EQ(text(b.a.open_balance("CN-1")), "-250.00");
    const LedgerEntry cn_rev = b.reverse(cn.id, Date(2026, 1, 29), "issued to the wrong job");
    EXPECT_EQ(text(cn_rev.amount), "250.00");
    EXPECT_TRUE(b.a.open_balance("CN-1").is_zero());
}

// A payment that is reversed later (a bounced cheque) was still paid on the days in
// between: the balance on such a day is what it was then (MB-5, "a past date reproduces").
TEST(Reversals, OpenBalanceBeforeALaterPaymentReversalIsWhatItWasThen) {
    LedgerBook b;
    b.invoice("INV-1", b.j2, Date(2026, 1, 8), Date(2026, 1, 15), "1000.00");
    const LedgerEntry paid = b.pay("INV-1", Date(2026, 1, 20), "1000.00", "cheque 41");
    const Agency before_bounce = b.a;
    ASSERT_TRUE(before_bounce.open_balance("INV-1", Date(2026, 1, 25)).is_zero());
    b.reverse(paid.id, Date(2026, 2, 1), "cheque 41 bounced");
    EXPECT_EQ(text(b.a.open_balance("INV-1")), "1000.00");
    EXPECT_EQ(text(b.a.open_balance("INV-1", Date(2026, 1, 19))), "1000.00");
    EXPECT_EQ(text(b.a.open_balance("INV-1", Date(2026, 1, 25))), "0.00") << "paid on 01-20, bounced only on 02-01";
    EXPECT_EQ(b.a.aging(Date(2026, 1, 25)).items, before_bounce.aging(Date(2026, 1, 25)).items);
    EXPECT_EQ(b.a.collections(Date(2026, 1, 25)), before_bounce.collections(Date(2026, 1, 25)));
}

// ================================================================ MB-4 reconciliation

// The book of the reconciliation tests (amounts in CNY):
//  j1 MD-202512-01 (ACME)
//    2025-12-02 Estimate v1 10000.00
//    2025-12-05 Commitment 4000.00      2025-12-15 ActualCost 3000.00
//    2025-12-20 Invoice INV-2512-01 5000.00 (due 2026-01-19)  2026-01-15 Payment 5000.00
//    2026-02-10 ActualCost 2500.00
//    2026-02-25 Invoice INV-2602-01 6000.00 (due 2026-03-27)  2026-03-05 Payment 2000.00
//  j2 MD-202601-01 (ACME), issued 2026-01-05
//    2026-01-06 Estimate v1 20000.00    2026-03-02 Estimate v2 25000.00 (+5000.00)
//    2026-03-03 media booking 8000.00   2026-03-04 PO 500.00, reversed 2026-03-06
//    2026-03-10 ActualCost 7000.00      2026-03-11 time 8 h x 120.00 = 960.00
//    2026-03-20 Invoice INV-2603-01 9000.00   2026-03-25 credit note CN-2603-01 -1000.00
//    2026-04-02 ActualCost 1000.00      2026-04-10 Invoice INV-2604-01 2000.00
//  ACME client level
//    2026-03-31 Invoice FEE-2603 3000.00 (contract T01), paid the same day
//  jb MD-202601-02 (BETA)
//    2026-01-13 Estimate v1 5000.00     2026-03-15 ActualCost 1000.00
//    2026-03-20 Invoice INV-B-01 1500.00
LedgerBook reconciliation_book() {
    LedgerBook b;
    b.approve(b.j1, "10000.00", at(Date(2025, 12, 1), 10), at(Date(2025, 12, 2), 10));
    b.commit(b.j1, Date(2025, 12, 5), "4000.00", "PO-J1");
    b.cost(b.j1, Date(2025, 12, 15), "3000.00", "VI-J1-1");
    b.invoice("INV-2512-01", b.j1, Date(2025, 12, 20), Date(2026, 1, 19), "5000.00");
    b.pay("INV-2512-01", Date(2026, 1, 15), "5000.00");
    b.cost(b.j1, Date(2026, 2, 10), "2500.00", "VI-J1-2");
    b.invoice("INV-2602-01", b.j1, Date(2026, 2, 25), Date(2026, 3, 27), "6000.00");
    b.pay("INV-2602-01", Date(2026, 3, 5), "2000.00");

    b.issue(b.j2, at(Date(2026, 1, 5), 10));
    b.approve(b.j2, "20000.00", at(Date(2026, 1, 5), 12), at(Date(2026, 1, 6), 10));
    b.approve(b.j2, "25000.00", at(Date(2026, 3, 2), 9), at(Date(2026, 3, 2), 15));
    b.a.commit_cost(LedgerBook::commitment(b.j2, Date(2026, 3, 3), "8000.00", "CCTV March", true, "K01 e-mail 03-02"));
    const LedgerEntry po = b.commit(b.j2, Date(2026, 3, 4), "500.00", "PO-J2");
    b.reverse(po.id, Date(2026, 3, 6), "duplicate order");
    b.cost(b.j2, Date(2026, 3, 10), "7000.00", "VI-J2-1");
    b.approved_time("S0005", b.j2, Date(2026, 3, 11), "8", "S0003");
    b.invoice("INV-2603-01", b.j2, Date(2026, 3, 20), Date(2026, 4, 19), "9000.00");
    b.invoice("CN-2603-01", b.j2, Date(2026, 3, 25), Date(2026, 3, 25), "-1000.00");
    b.cost(b.j2, Date(2026, 4, 2), "1000.00", "VI-J2-2");
    b.invoice("INV-2604-01", b.j2, Date(2026, 4, 10), Date(2026, 5, 10), "2000.00");

    b.fee("FEE-2603", b.acme, Date(2026, 3, 31), Date(2026, 4, 30), "3000.00", "T01");
    b.pay("FEE-2603", Date(2026, 3, 31), "3000.00");

    b.approve(b.jb, "5000.00", at(Date(2026, 1, 12), 10), at(Date(2026, 1, 13), 10));
    b.cost(b.jb, Date(2026, 3, 15), "1000.00", "VI-B");
    b.invoice("INV-B-01", b.jb, Date(2026, 3, 20), Date(2026, 4, 19), "1500.00");
    return b;
}

void expect_rows_sum_to_total(const ReconciliationReport& r) {
    std::array<Money, 15> sum{cny("0"), cny("0"), cny("0"), cny("0"), cny("0"), cny("0"), cny("0"), cny("0"),
                              cny("0"), cny("0"), cny("0"), cny("0"), cny("0"), cny("0"), cny("0")};
    for (const ReconciliationRow& row : r.rows) {
        std::size_t i = 0;
        for (const LedgerFlows* f : {&row.month, &row.ytd, &row.to_date}) {
            sum[i++] += f->estimate;
            sum[i++] += f->committed;
            sum[i++] += f->actual;
            sum[i++] += f->billed;
            sum[i++] += f->collected;
        }
    }
    const LedgerFlows sums[3] = {{sum[0], sum[1], sum[2], sum[3], sum[4]},
                                 {sum[5], sum[6], sum[7], sum[8], sum[9]},
                                 {sum[10], sum[11], sum[12], sum[13], sum[14]}};
    EXPECT_EQ(flows(sums[0]), flows(r.total.month));
    EXPECT_EQ(flows(sums[1]), flows(r.total.ytd));
    EXPECT_EQ(flows(sums[2]), flows(r.total.to_date));
}

TEST(Reconciliation, PerJobMonthYearToDateAndToDateWithTheClientLevelLineLast) {
    const LedgerBook b = reconciliation_book();
    const ReconciliationReport r = b.a.reconcile(b.acme, YearMonth{2026, 3});
    EXPECT_EQ(r.client, b.acme);
    EXPECT_EQ(r.month, (YearMonth{2026, 3}));
    ASSERT_EQ(r.rows.size(), 3u);

    const ReconciliationRow& j1 = r.rows[0];
    EXPECT_EQ(j1.job, std::optional<std::string>(b.j1));
    EXPECT_EQ(j1.title, b.a.job(b.j1).title);
    EXPECT_EQ(flows(j1.month), "0.00 0.00 0.00 0.00 2000.00");
    EXPECT_EQ(flows(j1.ytd), "0.00 0.00 2500.00 6000.00 7000.00");  // 2025 left out of the year to date
    EXPECT_EQ(flows(j1.to_date), "10000.00 4000.00 5500.00 11000.00 7000.00");
    EXPECT_EQ(text(j1.estimate), "10000.00");
    EXPECT_EQ(text(j1.variance), "-4500.00");       // 5500 - 10000
    EXPECT_EQ(text(j1.unbilled_wip), "-5500.00");   // 5500 - 11000
    EXPECT_EQ(text(j1.receivable), "4000.00");      // 11000 - 7000

    const ReconciliationRow& j2 = r.rows[1];
    EXPECT_EQ(j2.job, std::optional<std::string>(b.j2));
    // committed 8000 + 500 - 500; actual 7000 + 960 time; billed 9000 - 1000 credit note;
    // April's cost and invoice are left out
    EXPECT_EQ(flows(j2.month), "5000.00 8000.00 7960.00 8000.00 0.00");
    EXPECT_EQ(flows(j2.ytd), "25000.00 8000.00 7960.00 8000.00 0.00");
    EXPECT_EQ(flows(j2.to_date), "25000.00 8000.00 7960.00 8000.00 0.00");
    EXPECT_EQ(text(j2.estimate), "25000.00");
    EXPECT_EQ(text(j2.variance), "-17040.00");
    EXPECT_EQ(text(j2.unbilled_wip), "-40.00");
    EXPECT_EQ(text(j2.receivable), "8000.00");

    const ReconciliationRow& client = r.rows[2];
    EXPECT_FALSE(client.job.has_value());
    EXPECT_EQ(flows(client.month), "0.00 0.00 0.00 3000.00 3000.00");
    EXPECT_EQ(flows(client.ytd), "0.00 0.00 0.00 3000.00 3000.00");
    EXPECT_EQ(flows(client.to_date), "0.00 0.00 0.00 3000.00 3000.00");
    EXPECT_EQ(text(client.estimate), "0.00");
    EXPECT_EQ(text(client.unbilled_wip), "-3000.00");
    EXPECT_EQ(text(client.receivable), "0.00");

    EXPECT_FALSE(r.total.job.has_value());
    EXPECT_EQ(flows(r.total.month), "5000.00 8000.00 7960.00 11000.00 5000.00");
    EXPECT_EQ(flows(r.total.ytd), "25000.00 8000.00 10460.00 17000.00 10000.00");
    EXPECT_EQ(flows(r.total.to_date), "35000.00 12000.00 13460.00 22000.00 10000.00");
    EXPECT_EQ(text(r.total.estimate), "35000.00");
    EXPECT_EQ(text(r.total.variance), "-21540.00");
    EXPECT_EQ(text(r.total.unbilled_wip), "-8540.00");
    EXPECT_EQ(text(r.total.receivable), "12000.00");
    expect_rows_sum_to_total(r);

    // the annual budget against the year's billings
    EXPECT_EQ(text(r.annual_budget), "600000.00");
    EXPECT_EQ(text(r.year_billed), "17000.00");
    EXPECT_EQ(text(r.budget_remaining), "583000.00");
    ASSERT_TRUE(r.budget_used.has_value());
    EXPECT_EQ(r.budget_used->to_string(), "0.0283");  // 17000 / 600000 = 0.02833...
}

TEST(Reconciliation, LaterMonthsAreLeftOutAndTheYearStartsInJanuary) {
    const LedgerBook b = reconciliation_book();
    {
        const ReconciliationReport r = b.a.reconcile(b.acme, YearMonth{2026, 2});
        ASSERT_EQ(r.rows.size(), 2u) << "no client-level billing yet";
        EXPECT_EQ(flows(r.rows[0].month), "0.00 0.00 2500.00 6000.00 0.00");
        EXPECT_EQ(flows(r.rows[0].ytd), "0.00 0.00 2500.00 6000.00 5000.00");
        EXPECT_EQ(flows(r.rows[0].to_date), "10000.00 4000.00 5500.00 11000.00 5000.00");
        EXPECT_EQ(text(r.rows[0].receivable), "6000.00");
        EXPECT_EQ(flows(r.rows[1].month), "0.00 0.00 0.00 0.00 0.00");
        EXPECT_EQ(flows(r.rows[1].ytd), "20000.00 0.00 0.00 0.00 0.00");
        EXPECT_EQ(flows(r.rows[1].to_date), "20000.00 0.00 0.00 0.00 0.00");
        EXPECT_EQ(text(r.rows[1].variance), "-20000.00");
        EXPECT_EQ(text(r.year_billed), "6000.00");
        EXPECT_EQ(r.budget_used->to_string(), "0.0100");
        expect_rows_sum_to_total(r);
    }
    {
        const ReconciliationReport r = b.a.reconcile(b.acme, YearMonth{2026, 1});
        ASSERT_EQ(r.rows.size(), 2u);
        EXPECT_EQ(flows(r.rows[0].month), "0.00 0.00 0.00 0.00 5000.00");
        EXPECT_EQ(flows(r.rows[0].ytd), "0.00 0.00 0.00 0.00 5000.00");
        EXPECT_EQ(flows(r.rows[0].to_date), "10000.00 4000.00 3000.00 5000.00 5000.00");
        EXPECT_EQ(flows(r.rows[1].month), "20000.00 0.00 0.00 0.00 0.00");
        EXPECT_TRUE(r.year_billed.is_zero());
        EXPECT_EQ(r.budget_used->to_string(), "0.0000");
        expect_rows_sum_to_total(r);
    }
    {
        const ReconciliationReport r = b.a.reconcile(b.acme, YearMonth{2025, 12});
        ASSERT_EQ(r.rows.size(), 1u);
        EXPECT_EQ(flows(r.rows[0].month), "10000.00 4000.00 3000.00 5000.00 0.00");
        EXPECT_EQ(flows(r.rows[0].ytd), "10000.00 4000.00 3000.00 5000.00 0.00");
        EXPECT_EQ(flows(r.rows[0].to_date), "10000.00 4000.00 3000.00 5000.00 0.00");
        EXPECT_EQ(text(r.year_billed), "5000.00");
        expect_rows_sum_to_total(r);
    }
    {
        const ReconciliationReport r = b.a.reconcile(b.acme, YearMonth{2025, 11});
        EXPECT_TRUE(r.rows.empty());
        EXPECT_EQ(flows(r.total.to_date), "0.00 0.00 0.00 0.00 0.00");
    }
    {
        // April: the later cost and invoice arrive; March's entries move out of the month
        const ReconciliationReport r = b.a.reconcile(b.acme, YearMonth{2026, 4});
        ASSERT_EQ(r.rows.size(), 3u);
        EXPECT_EQ(flows(r.rows[1].month), "0.00 0.00 1000.00 2000.00 0.00");
        EXPECT_EQ(flows(r.rows[1].to_date), "25000.00 8000.00 8960.00 10000.00 0.00");
        EXPECT_EQ(flows(r.rows[2].month), "0.00 0.00 0.00 0.00 0.00");
        expect_rows_sum_to_total(r);
    }
}

TEST(Reconciliation, AClientWithoutABudgetAndBadArguments) {
    const LedgerBook b = reconciliation_book();
    const ReconciliationReport r = b.a.reconcile(b.beta, YearMonth{2026, 3});
    ASSERT_EQ(r.rows.size(), 1u);
    EXPECT_EQ(r.rows[0].job, std::optional<std::string>(b.jb));
    EXPECT_EQ(flows(r.rows[0].month), "0.00 0.00 1000.00 1500.00 0.00");
    EXPECT_EQ(flows(r.rows[0].ytd), "5000.00 0.00 1000.00 1500.00 0.00");
    EXPECT_TRUE(r.annual_budget.is_zero());
    EXPECT_FALSE(r.budget_used.has_value());
    EXPECT_EQ(text(r.budget_remaining), "-1500.00");
    EXPECT_THROW((void)b.a.reconcile("CD-209901-NOPE-001", YearMonth{2026, 3}), NotFoundError);
    for (const YearMonth bad : {YearMonth{2026, 0}, YearMonth{2026, 13}, YearMonth{1400, 12}}) {
        try {
            (void)b.a.reconcile(b.acme, bad);
            ADD_FAILURE() << "accepted month " << bad.year << "-" << bad.month;
        } catch (const ValidationError& e) {
            EXPECT_EQ(e.field(), "month");
            EXPECT_EQ(e.rule(), "MB-4");
        }
    }
}

// ================================================================ MB-5 aging

// As of 2026-06-30, ACME (j2) and BETA (jb) invoices at every bucket boundary:
//   invoice  date        due         amount    due-date days  invoice-date days
//   AG-01    06-20       07-10        100.00   -10 current     10 1-30
//   AG-02    06-01       06-30        200.00     0 current     29 1-30
//   AG-03    05-30       06-29        300.00     1 1-30        31 31-60
//   AG-04    05-01       05-31       1000.00    30 1-30        60 31-60   400.00 paid 06-10
//   AG-05    04-30       05-30        500.00    31 31-60       61 61-90   paid in full 07-05
//   AG-06    04-01       05-01        600.00    60 31-60       90 61-90
//   AG-07    03-31       04-30        700.00    61 61-90       91 >90
//   AG-08    03-02       04-01        800.00    90 61-90      120 >90
//   AG-09    03-01       03-31        900.00    91 >90        121 >90
//   AG-CN1   06-15       06-15       -250.00    15 1-30        15 1-30    credit note
//   AG-10    06-01       06-30         50.00   paid in full on 06-30
//   AG-11    07-01       07-31         75.00   issued after the as-of date
//   AG-B1    05-15 BETA  06-14       1000.00    16 1-30        46 31-60
LedgerBook aging_book() {
    LedgerBook b;
    struct Row {
        const char* number;
        Date date, due;
        const char* amount;
    };
    const std::vector<Row> rows{
        {"AG-01", Date(2026, 6, 20), Date(2026, 7, 10), "100.00"},
        {"AG-02", Date(2026, 6, 1), Date(2026, 6, 30), "200.00"},
        {"AG-03", Date(2026, 5, 30), Date(2026, 6, 29), "300.00"},
        {"AG-04", Date(2026, 5, 1), Date(2026, 5, 31), "1000.00"},
        {"AG-05", Date(2026, 4, 30), Date(2026, 5, 30), "500.00"},
        {"AG-06", Date(2026, 4, 1), Date(2026, 5, 1), "600.00"},
        {"AG-07", Date(2026, 3, 31), Date(2026, 4, 30), "700.00"},
        {"AG-08", Date(2026, 3, 2), Date(2026, 4, 1), "800.00"},
        {"AG-09", Date(2026, 3, 1), Date(2026, 3, 31), "900.00"},
        {"AG-CN1", Date(2026, 6, 15), Date(2026, 6, 15), "-250.00"},
        {"AG-10", Date(2026, 6, 1), Date(2026, 6, 30), "50.00"},
        {"AG-11", Date(2026, 7, 1), Date(2026, 7, 31), "75.00"},
    };
    for (const Row& r : rows) b.invoice(r.number, b.j2, r.date, r.due, r.amount);
    b.invoice("AG-B1", b.jb, Date(2026, 5, 15), Date(2026, 6, 14), "1000.00");
    b.pay("AG-04", Date(2026, 6, 10), "400.00");
    b.pay("AG-05", Date(2026, 7, 5), "500.00");
    b.pay("AG-10", Date(2026, 6, 30), "50.00");
    return b;
}

TEST(Aging, BucketsByDaysPastTheDueDate) {
    const LedgerBook b = aging_book();
    const AgingReport r = b.a.aging(Date(2026, 6, 30));
    EXPECT_EQ(r.as_of, Date(2026, 6, 30));
    EXPECT_EQ(r.basis, AgingBasis::DueDate);
    EXPECT_EQ(r.dso_days, 90);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(r.rows[0].client, b.acme);
    EXPECT_EQ(buckets(r.rows[0].buckets), "300.00 650.00 1100.00 1500.00 900.00 | 4450.00");
    EXPECT_EQ(r.rows[1].client, b.beta);
    EXPECT_EQ(buckets(r.rows[1].buckets), "0.00 1000.00 0.00 0.00 0.00 | 1000.00");
    EXPECT_EQ(r.total.client, "");
    EXPECT_EQ(buckets(r.total.buckets), "300.00 1650.00 1100.00 1500.00 900.00 | 5450.00");

    // the open items behind the buckets: by client, then date
    std::vector<std::string> numbers;
    for (const aecore::OpenItem& i : r.items) numbers.push_back(i.invoice);
    EXPECT_EQ(numbers, (std::vector<std::string>{"AG-09", "AG-08", "AG-07", "AG-06", "AG-05", "AG-04", "AG-03",
                                                 "AG-02", "AG-CN1", "AG-01", "AG-B1"}));
    const auto item = [&](const std::string& n) {
        return *std::find_if(r.items.begin(), r.items.end(), [&](const aecore::OpenItem& i) { return i.invoice == n; });
    };
    const aecore::OpenItem partly = item("AG-04");
    EXPECT_EQ(text(partly.amount), "1000.00");
    EXPECT_EQ(text(partly.open), "600.00") << "partial payments age only the remainder";
    EXPECT_EQ(partly.days, 30);
    EXPECT_EQ(partly.due, Date(2026, 5, 31));
    EXPECT_EQ(partly.date, Date(2026, 5, 1));
    EXPECT_EQ(partly.job, std::optional<std::string>(b.j2));
    EXPECT_EQ(partly.client, b.acme);
    EXPECT_EQ(item("AG-01").days, -10);
    EXPECT_EQ(item("AG-02").days, 0);
    EXPECT_EQ(item("AG-09").days, 91);
    EXPECT_EQ(text(item("AG-CN1").open), "-250.00");
    EXPECT_EQ(text(item("AG-05").open), "500.00") << "the payment of 07-05 is after the as-of date";
}

TEST(Aging, BucketsByDaysSinceTheInvoiceDate) {
    const LedgerBook b = aging_book();
    const AgingReport r = b.a.aging(Date(2026, 6, 30), AgingBasis::InvoiceDate);
    EXPECT_EQ(r.basis, AgingBasis::InvoiceDate);
    ASSERT_EQ(r.rows.size(), 2u);
    EXPECT_EQ(buckets(r.rows[0].buckets), "0.00 50.00 900.00 1100.00 2400.00 | 4450.00");
    EXPECT_EQ(buckets(r.rows[1].buckets), "0.00 0.00 1000.00 0.00 0.00 | 1000.00");
    EXPECT_EQ(buckets(r.total.buckets), "0.00 50.00 1900.00 1100.00 2400.00 | 5450.00");
}

TEST(Aging, PaymentsAfterTheAsOfDateAreIgnoredSoAPastDateReproducesTheAgingOfThen) {
    LedgerBook b = aging_book();
    // 07-05: the payment of AG-05 arrives, AG-11 is issued
    const AgingReport july = b.a.aging(Date(2026, 7, 5));
    EXPECT_EQ(text(july.rows[0].buckets.total), "4025.00");  // 4450 - 500 + 75
    // a snapshot of the book on 06-30, then later postings dated after it
    LedgerBook later = b;
    const LedgerEntry late_inv = later.invoice("AG-12", later.j2, Date(2026, 7, 2), Date(2026, 8, 1), "40.00");
    later.pay("AG-09", Date(2026, 7, 3), "900.00");
    later.pay("AG-B1", Date(2026, 7, 3), "1000.00");
    later.reverse(late_inv.id, Date(2026, 7, 4), "sent twice");
    for (const AgingBasis basis : {AgingBasis::DueDate, AgingBasis::InvoiceDate}) {
        const AgingReport then = b.a.aging(Date(2026, 6, 30), basis);
        const AgingReport now = later.a.aging(Date(2026, 6, 30), basis);
        EXPECT_EQ(now.rows, then.rows);
        EXPECT_EQ(now.total, then.total);
        EXPECT_EQ(now.items, then.items);
    }
    EXPECT_EQ(later.a.aging(Date(2026, 7, 5)).rows.size(), 1u) << "BETA paid up";
}

TEST(Aging, BucketSumsEqualTheTotalAndTheOpenItems) {
    const LedgerBook b = aging_book();
    for (const Date& as_of : {Date(2026, 3, 31), Date(2026, 5, 15), Date(2026, 6, 30), Date(2026, 7, 5), Date(2027, 1, 1)})
        for (const AgingBasis basis : {AgingBasis::DueDate, AgingBasis::InvoiceDate}) {
            SCOPED_TRACE(bg::to_iso_extended_string(as_of));
            const AgingReport r = b.a.aging(as_of, basis);
            Money total = cny("0"), items = cny("0");
            for (const AgingRow& row : r.rows) {
                const auto& k = row.buckets;
                EXPECT_EQ(k.current + k.days_1_30 + k.days_31_60 + k.days_61_90 + k.over_90, k.total);
                EXPECT_FALSE(k.total.is_zero()) << "clients with a balance only";
                total += k.total;
            }
            for (const aecore::OpenItem& i : r.items) {
                items += i.open;
                EXPECT_EQ(i.open, b.a.open_balance(i.invoice, as_of)) << i.invoice;
            }
            const auto& k = r.total.buckets;
            EXPECT_EQ(k.current + k.days_1_30 + k.days_31_60 + k.days_61_90 + k.over_90, k.total);
            EXPECT_EQ(k.total, total);
            EXPECT_EQ(k.total, items);
        }
}

// The open items come in client code order (not the order the clients were registered
// in), then by invoice date, then by invoice number: every invoice open on the as-of date
// once, with its own client; the rows follow the same client order.
TEST(Aging, OpenItemsAreEveryOpenInvoiceInClientCodeDateAndNumberOrder) {
    // synthetic clients registered later have earlier first contacts, so smaller codes
    const Agency a = aecore::synthetic_agency({.clients = 40, .jobs_per_client = 2, .entries = 20000, .seed = 5});
    ASSERT_FALSE(std::is_sorted(a.clients().begin(), a.clients().end(),
                                [](const aecore::Client& x, const aecore::Client& y) { return x.code < y.code; }));
    for (const Date& as_of : {Date(2018, 6, 30), Date(2024, 1, 15)}) {
        using Key = std::tuple<std::string, Date, std::string>;
        std::vector<Key> expected;
        for (const aecore::LedgerEntry& e : a.ledger_entries())
            if (e.kind == aecore::EntryKind::Invoice && !e.reverses && e.date <= as_of &&
                !a.open_balance(e.reference, as_of).is_zero())
                expected.emplace_back(e.client, e.date, e.reference);
        std::sort(expected.begin(), expected.end());
        const AgingReport r = a.aging(as_of, AgingBasis::DueDate);
        ASSERT_EQ(r.items.size(), expected.size());
        ASSERT_GT(expected.size(), 50u);
        for (std::size_t i = 0; i < expected.size(); ++i)
            EXPECT_EQ(Key(r.items[i].client, r.items[i].date, r.items[i].invoice), expected[i]) << i;
        EXPECT_TRUE(std::is_sorted(r.rows.begin(), r.rows.end(),
                                   [](const aecore::AgingRow& x, const aecore::AgingRow& y) { return x.client < y.client; }));
    }
}

// DSO = receivable x days / billings in the trailing window, one place, half to even.
TEST(Aging, DaysSalesOutstanding) {
    const LedgerBook b = aging_book();
    const AgingReport r = b.a.aging(Date(2026, 6, 30));
    // window 04-02..06-30: ACME billed 100 + 200 + 300 + 1000 + 500 - 250 + 50 = 1900.00
    EXPECT_EQ(text(r.rows[0].billed), "1900.00");
    ASSERT_TRUE(r.rows[0].dso.has_value());
    EXPECT_EQ(r.rows[0].dso->to_string(), "210.8");  // 4450 x 90 / 1900 = 210.789...
    EXPECT_EQ(text(r.rows[1].billed), "1000.00");
    EXPECT_EQ(r.rows[1].dso->to_string(), "90.0");
    EXPECT_EQ(text(r.total.billed), "2900.00");
    EXPECT_EQ(r.total.dso->to_string(), "169.1");  // 5450 x 90 / 2900 = 169.137...
    // a 30-day window
    const AgingReport month = b.a.aging(Date(2026, 6, 30), AgingBasis::DueDate, 30);
    EXPECT_EQ(month.dso_days, 30);
    EXPECT_EQ(text(month.rows[0].billed), "100.00");  // 06-01..06-30: 100 + 200 - 250 + 50
    EXPECT_EQ(month.rows[0].dso->to_string(), "1335.0");  // 4450 x 30 / 100
    // no billings in the window: no DSO
    const AgingReport later = b.a.aging(Date(2027, 3, 1));
    ASSERT_FALSE(later.rows.empty());
    EXPECT_TRUE(later.rows[0].billed.is_zero());
    EXPECT_FALSE(later.rows[0].dso.has_value());
    EXPECT_FALSE(later.total.dso.has_value());
    for (int bad : {0, -1, 3661})
        EXPECT_THROW((void)b.a.aging(Date(2026, 6, 30), AgingBasis::DueDate, bad), ValidationError) << bad;
}

TEST(Aging, DsoRoundsHalfToEven) {
    for (const auto& [paid, expected] :
         std::vector<std::pair<const char*, const char*>>{{"75.00", "0.2"}, {"65.00", "0.4"}, {"50.00", "0.5"}}) {
        LedgerBook b;
        b.invoice("INV-1", b.j2, Date(2026, 5, 4), Date(2026, 6, 3), "100.00");
        b.pay("INV-1", Date(2026, 5, 4), paid);
        // open 25.00 (or 35.00, 50.00) x 1 day / 100.00 billed = 0.25 -> 0.2, 0.35 -> 0.4, 0.5
        const AgingReport r = b.a.aging(Date(2026, 5, 4), AgingBasis::DueDate, 1);
        ASSERT_EQ(r.rows.size(), 1u);
        ASSERT_TRUE(r.rows[0].dso.has_value());
        EXPECT_EQ(r.rows[0].dso->to_string(), expected) << paid;
    }
}

// ================================================================ MB-6 collections

TEST(Collections, EscalateFromTheAeToTheAmToTheAd) {
    LedgerBook b;
    b.fee("COL-1", b.acme, Date(2026, 4, 1), Date(2026, 5, 1), "1000.00");
    EXPECT_TRUE(b.a.collections(Date(2026, 5, 1)).empty()) << "due today is not past due";
    const std::vector<std::tuple<Date, int, Escalation, std::string>> steps{
        {Date(2026, 5, 2), 1, Escalation::AE, "S0003"},  {Date(2026, 5, 15), 14, Escalation::AE, "S0003"},
        {Date(2026, 5, 16), 15, Escalation::AM, "S0002"}, {Date(2026, 5, 30), 29, Escalation::AM, "S0002"},
        {Date(2026, 5, 31), 30, Escalation::AD, "S0001"}, {Date(2026, 9, 1), 123, Escalation::AD, "S0001"}};
    for (const auto& [day, days, level, owner] : steps) {
        const auto c = b.a.collections(day);
        ASSERT_EQ(c.size(), 1u) << day;
        EXPECT_EQ(c[0].invoice, "COL-1");
        EXPECT_EQ(c[0].client, b.acme);
        EXPECT_EQ(c[0].due, Date(2026, 5, 1));
        EXPECT_EQ(c[0].days_past_due, days) << day;
        EXPECT_EQ(c[0].level, level) << day;
        EXPECT_EQ(c[0].owner, std::optional<std::string>(owner)) << day;
        EXPECT_EQ(text(c[0].open), "1000.00");
    }
    // a partial payment leaves the rest to chase; payment in full ends it
    b.pay("COL-1", Date(2026, 5, 20), "400.00");
    EXPECT_EQ(text(b.a.collections(Date(2026, 5, 31))[0].open), "600.00");
    EXPECT_EQ(text(b.a.collections(Date(2026, 5, 19))[0].open), "1000.00");
    b.pay("COL-1", Date(2026, 6, 5), "600.00");
    EXPECT_TRUE(b.a.collections(Date(2026, 6, 5)).empty());
    EXPECT_EQ(b.a.collections(Date(2026, 6, 4)).size(), 1u);
    // the audit reports what collections lists
    const auto f = findings(b.a, Date(2026, 5, 31), "MB-6", "COL-1");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].severity, aecore::Severity::Warning);
}

TEST(Collections, DaysComeFromThePolicyAndTheOwnerFromTheTeamOfTheDay) {
    LedgerBook b;
    b.a.policy().set_escalation_days(2, 10, 20);
    b.fee("COL-1", b.acme, Date(2026, 4, 1), Date(2026, 5, 1), "1000.00");
    EXPECT_TRUE(b.a.collections(Date(2026, 5, 2)).empty());
    EXPECT_EQ(b.a.collections(Date(2026, 5, 3))[0].level, Escalation::AE);
    EXPECT_EQ(b.a.collections(Date(2026, 5, 10))[0].level, Escalation::AE);
    EXPECT_EQ(b.a.collections(Date(2026, 5, 11))[0].level, Escalation::AM);
    EXPECT_EQ(b.a.collections(Date(2026, 5, 20))[0].level, Escalation::AM);
    EXPECT_EQ(b.a.collections(Date(2026, 5, 21))[0].level, Escalation::AD);
    // a new AE from 05-06: the reminder goes to whoever owns the client on the day
    aecore::AccountTeam team = book::full_team();
    team.ae = "S0004";
    team.aae.reset();
    b.a.assign_team(b.acme, team, Date(2026, 5, 6), "handover");
    EXPECT_EQ(b.a.collections(Date(2026, 5, 5))[0].owner, std::optional<std::string>("S0003"));
    EXPECT_EQ(b.a.collections(Date(2026, 5, 6))[0].owner, std::optional<std::string>("S0004"));
    // BETA's team has no AM or AD: nobody named at those levels
    b.invoice("COL-B", b.jb, Date(2026, 4, 1), Date(2026, 4, 20), "50.00");
    const auto c = b.a.collections(Date(2026, 5, 3));  // COL-B 13 days (AM), COL-1 2 days (AE)
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].invoice, "COL-B") << "most overdue first";
    EXPECT_EQ(c[0].level, Escalation::AM);
    EXPECT_FALSE(c[0].owner.has_value());
    EXPECT_EQ(c[1].invoice, "COL-1");
    // a credit note is never chased
    b.invoice("CN-B", b.jb, Date(2026, 4, 2), Date(2026, 4, 2), "-20.00");
    EXPECT_EQ(b.a.collections(Date(2026, 5, 3)).size(), 2u);
}

TEST(CreditStatus, LateAfterAPaymentMoreThan30DaysLate) {
    for (const auto& [paid_on, expected] : std::vector<std::pair<Date, CreditStatus>>{
             {Date(2026, 5, 31), CreditStatus::Good},   // 30 days after the due date
             {Date(2026, 6, 1), CreditStatus::Late}}) {  // 31 days
        LedgerBook b;
        b.fee("INV-1", b.acme, Date(2026, 4, 1), Date(2026, 5, 1), "1000.00");
        b.pay("INV-1", paid_on, "1000.00");
        EXPECT_EQ(b.a.credit_status(b.acme, Date(2026, 6, 15)), expected) << paid_on;
        EXPECT_EQ(b.a.credit_status(b.beta, Date(2026, 6, 15)), CreditStatus::Good);
    }
    LedgerBook b;
    b.fee("INV-1", b.acme, Date(2026, 4, 1), Date(2026, 5, 1), "1000.00");
    EXPECT_EQ(b.a.credit_status(b.acme, Date(2026, 5, 31)), CreditStatus::Good);
    EXPECT_EQ(b.a.credit_status(b.acme, Date(2026, 6, 1)), CreditStatus::Late) << "still open 31 days after due";
    b.pay("INV-1", Date(2026, 6, 10), "1000.00");
    // the trailing 12 months of 2027-06-09 start on 2026-06-10
    EXPECT_EQ(b.a.credit_status(b.acme, Date(2027, 6, 9)), CreditStatus::Late) << "within the trailing 12 months";
    EXPECT_EQ(b.a.credit_status(b.acme, Date(2027, 6, 10)), CreditStatus::Good) << "a year later it has aged out";
    // the policy sets the lateness
    b.a.policy().set_late_payment_days(45);
    EXPECT_EQ(b.a.credit_status(b.acme, Date(2026, 6, 15)), CreditStatus::Good);  // paid 40 days late
    // a late payment that is reversed (it was posted with the wrong date) is no payment:
    // the corrected payment, dated when the money came, is on time
    LedgerBook r;
    r.fee("INV-1", r.acme, Date(2026, 4, 1), Date(2026, 5, 1), "1000.00");
    const LedgerEntry wrong = r.pay("INV-1", Date(2026, 6, 10), "1000.00");
    EXPECT_EQ(r.a.credit_status(r.acme, Date(2026, 6, 15)), CreditStatus::Late);
    // reversed on its own date: on no day was the invoice paid twice, so the backdated
    // payment fits under the open balance of every day since 2026-04-20
    r.reverse(wrong.id, Date(2026, 6, 10), "wrong value date");
    r.pay("INV-1", Date(2026, 4, 20), "1000.00");
    EXPECT_EQ(r.a.credit_status(r.acme, Date(2026, 6, 15)), CreditStatus::Good);
}

// CL-5 from the ledger: billings are invoices net of credit notes over the trailing 12
// months; a receivable more than 90 days overdue keeps a client out of tier A; late
// credit (MB-6) tightens the payment terms by one step.
TEST(TiersFromTheLedger, BillingsOverdueReceivablesAndLateCredit) {
    LedgerBook b;
    const std::string chi = b.a.register_client(client_spec("Chi Drinks", "CHI", "CD", Date(2026, 1, 5))).code;
    b.fee("OLD-1", b.acme, Date(2025, 11, 20), Date(2025, 12, 20), "10000.00");  // outside every window below
    b.pay("OLD-1", Date(2025, 12, 10), "10000.00");
    b.fee("A-1", b.acme, Date(2026, 3, 1), Date(2026, 3, 31), "6000.00");
    b.pay("A-1", Date(2026, 3, 20), "6000.00");
    b.fee("B-1", b.beta, Date(2026, 5, 1), Date(2026, 5, 31), "3000.00");
    b.pay("B-1", Date(2026, 5, 20), "3000.00");
    b.fee("C-1", chi, Date(2026, 6, 1), Date(2026, 6, 30), "1000.00");
    b.pay("C-1", Date(2026, 6, 15), "1000.00");
    b.fee("C-CN", chi, Date(2026, 6, 20), Date(2026, 6, 20), "-200.00");
    {
        // the trailing 12 months of 2026-11-21 start on 2025-11-22: 6000 + 3000 + 800 = 9800
        const auto t = b.a.tiers(Date(2026, 11, 21));
        ASSERT_EQ(t.size(), 3u);
        EXPECT_EQ(t[0].client, b.acme);
        EXPECT_EQ(t[0].tier, Tier::A);
        EXPECT_EQ(text(t[0].billings), "6000.00");
        EXPECT_EQ(t[0].share.to_string(), "0.6122");
        EXPECT_EQ(t[1].client, b.beta);
        EXPECT_EQ(t[1].tier, Tier::B);
        EXPECT_EQ(t[2].client, chi);
        EXPECT_EQ(t[2].tier, Tier::C);
        EXPECT_EQ(text(t[2].billings), "800.00") << "net of the credit note";
        EXPECT_EQ(t[0].payment_terms(), aecore::PaymentTerms::Credit);
        EXPECT_FALSE(t[0].late_credit);
    }
    // ACME's unpaid 100.00, due 09-01: 90 days overdue on 11-30, 91 on 12-01
    b.fee("A-2", b.acme, Date(2026, 8, 1), Date(2026, 9, 1), "100.00");
    {
        const auto t = b.a.tiers(Date(2026, 11, 30));
        ASSERT_EQ(t[0].client, b.acme);
        EXPECT_EQ(t[0].days_overdue, 90);
        EXPECT_EQ(t[0].tier, Tier::A);
        EXPECT_FALSE(t[0].demoted);
        EXPECT_TRUE(t[0].late_credit) << "an invoice open more than 30 days past due";
        EXPECT_EQ(t[0].payment_terms(), aecore::PaymentTerms::Deposit);
        EXPECT_EQ(t[0].visits(), aecore::VisitOwner::SeniorManagement);
        EXPECT_EQ(t[1].payment_terms(), aecore::PaymentTerms::Deposit);
    }
    {
        const auto t = b.a.tiers(Date(2026, 12, 1));
        ASSERT_EQ(t[0].client, b.acme);
        EXPECT_EQ(t[0].days_overdue, 91);
        EXPECT_EQ(t[0].tier, Tier::B);
        EXPECT_TRUE(t[0].demoted);
        EXPECT_EQ(t[0].payment_terms(), aecore::PaymentTerms::Prepayment);
        EXPECT_EQ(t[1].client, b.beta);
        EXPECT_EQ(t[1].tier, Tier::B);
        EXPECT_EQ(t[2].tier, Tier::C);
    }
    // paid: back to A, but the late payment still marks the credit Late for a year
    b.pay("A-2", Date(2026, 12, 2), "100.00");
    {
        const auto t = b.a.tiers(Date(2026, 12, 2));
        EXPECT_EQ(t[0].tier, Tier::A);
        EXPECT_EQ(t[0].days_overdue, 0);
        EXPECT_TRUE(t[0].late_credit);
        EXPECT_EQ(t[0].payment_terms(), aecore::PaymentTerms::Deposit);
    }
    // a year on, March's billings have left the window: everyone has less
    {
        const auto t = b.a.tiers(Date(2027, 3, 2));
        ASSERT_EQ(t.size(), 3u);
        EXPECT_EQ(t[0].client, b.beta);
        EXPECT_EQ(text(t[0].billings), "3000.00");
    }
}

// ================================================================ MB-7 profitability

TEST(Profitability, BilledRevenueLessVendorAndTimeCostPerJobAndPerClient) {
    LedgerBook b;
    b.approve(b.j1, "5000.00", at(Date(2025, 12, 1), 10), at(Date(2025, 12, 2), 10));
    b.issue(b.j2, at(Date(2026, 1, 5), 10));
    b.approve(b.j2, "50000.00", at(Date(2026, 1, 5), 12), at(Date(2026, 1, 6), 10));
    b.approve(b.jb, "5000.00", at(Date(2026, 1, 12), 10), at(Date(2026, 1, 13), 10));
    b.cost(b.j1, Date(2026, 2, 5), "3000.00");
    b.commit(b.j2, Date(2026, 2, 6), "9000.00");  // commitments are not costs
    b.cost(b.j2, Date(2026, 2, 10), "6000.00");
    const std::string te = b.approved_time("S0005", b.j2, Date(2026, 2, 11), "8", "S0003");  // 960.00
    const std::string fix = b.a.correct_time(te, dec("-1"), "one hour too many", at(Date(2026, 2, 13), 9)).id;
    b.a.approve_time(fix, "S0003", at(Date(2026, 2, 13), 10));  // -120.00
    b.invoice("INV-1", b.j2, Date(2026, 2, 20), Date(2026, 3, 22), "10000.00");
    b.invoice("CN-1", b.j2, Date(2026, 2, 25), Date(2026, 2, 25), "-1000.00");
    const LedgerEntry wrong = b.cost(b.j2, Date(2026, 2, 26), "500.00");
    b.reverse(wrong.id, Date(2026, 2, 27), "not ours");
    b.fee("FEE-1", b.acme, Date(2026, 2, 28), Date(2026, 3, 30), "3000.00", "T01");
    b.cost(b.jb, Date(2026, 2, 15), "1000.00");
    b.invoice("INV-B", b.jb, Date(2026, 2, 20), Date(2026, 3, 22), "3000.00");
    b.cost(b.j2, Date(2026, 3, 5), "4000.00");  // after the period

    const auto jobs = b.a.profitability(Date(2026, 2, 1), Date(2026, 2, 28), false);
    ASSERT_EQ(jobs.size(), 4u);
    EXPECT_EQ(jobs[0].client, b.acme);
    EXPECT_EQ(jobs[0].job, std::optional<std::string>(b.j1));
    EXPECT_TRUE(jobs[0].billed.is_zero());
    EXPECT_EQ(text(jobs[0].vendor_cost), "3000.00");
    EXPECT_EQ(text(jobs[0].profit), "-3000.00");
    EXPECT_FALSE(jobs[0].margin.has_value()) << "nothing billed";

    EXPECT_EQ(jobs[1].job, std::optional<std::string>(b.j2));
    EXPECT_EQ(text(jobs[1].billed), "9000.00");
    EXPECT_EQ(text(jobs[1].vendor_cost), "6000.00");
    EXPECT_EQ(text(jobs[1].time_cost), "840.00");
    EXPECT_EQ(text(jobs[1].profit), "2160.00");  // 9000 - (6000 + 840)
    EXPECT_EQ(jobs[1].margin->to_string(), "0.2400");

    EXPECT_EQ(jobs[2].client, b.acme);
    EXPECT_FALSE(jobs[2].job.has_value()) << "the client-level line after the client's jobs";
    EXPECT_EQ(text(jobs[2].billed), "3000.00");
    EXPECT_EQ(text(jobs[2].profit), "3000.00");
    EXPECT_EQ(jobs[2].margin->to_string(), "1.0000");

    EXPECT_EQ(jobs[3].client, b.beta);
    EXPECT_EQ(jobs[3].job, std::optional<std::string>(b.jb));
    EXPECT_EQ(text(jobs[3].profit), "2000.00");
    EXPECT_EQ(jobs[3].margin->to_string(), "0.6667");  // 2000 / 3000

    const auto clients = b.a.profitability(Date(2026, 2, 1), Date(2026, 2, 28), true);
    ASSERT_EQ(clients.size(), 2u);
    EXPECT_EQ(clients[0].client, b.acme);
    EXPECT_FALSE(clients[0].job.has_value());
    EXPECT_EQ(text(clients[0].billed), "12000.00");
    EXPECT_EQ(text(clients[0].vendor_cost), "9000.00");
    EXPECT_EQ(text(clients[0].time_cost), "840.00");
    EXPECT_EQ(text(clients[0].profit), "2160.00");  // 12000 - 9840
    EXPECT_EQ(clients[0].margin->to_string(), "0.1800");
    EXPECT_EQ(clients[1].client, b.beta);
    EXPECT_EQ(text(clients[1].profit), "2000.00");

    // the period bounds are inclusive; March's cost joins when March is included
    const auto q1 = b.a.profitability(Date(2026, 1, 1), Date(2026, 3, 31), true);
    EXPECT_EQ(text(q1[0].vendor_cost), "13000.00");
    EXPECT_EQ(b.a.profitability(Date(2026, 2, 28), Date(2026, 2, 28), false).size(), 1u) << "only the fee of 02-28";
    EXPECT_THROW((void)b.a.profitability(Date(2026, 3, 1), Date(2026, 2, 1), true), ValidationError);
}

// ================================================================ CL-7 hand-over statement

// ACME's T01 runs 2026-01-15..2026-06-10 at 10000.00 a month: it touches six months.
TEST(Handover, FeesDueInvoicedCollectedAndTheOpenReceivable) {
    LedgerBook b;
    b.fee("F-01", b.acme, Date(2026, 1, 31), Date(2026, 2, 28), "10000.00", "T01");
    b.pay("F-01", Date(2026, 2, 20), "10000.00");
    b.fee("F-02", b.acme, Date(2026, 2, 28), Date(2026, 3, 30), "10000.00", "T01");
    b.pay("F-02", Date(2026, 3, 25), "10000.00");
    b.fee("F-03", b.acme, Date(2026, 3, 31), Date(2026, 4, 30), "10000.00", "T01");
    b.pay("F-03", Date(2026, 4, 20), "5000.00");
    const LedgerEntry f4 = b.fee("F-04", b.acme, Date(2026, 4, 30), Date(2026, 5, 30), "10000.00", "T01");
    b.reverse(f4.id, Date(2026, 5, 2), "wrong month");
    b.fee("F-05", b.acme, Date(2026, 5, 5), Date(2026, 6, 4), "10000.00", "T01");
    b.fee("F-06", b.acme, Date(2026, 6, 30), Date(2026, 7, 30), "10000.00", "T01");  // after the end
    b.invoice("INV-J", b.j2, Date(2026, 3, 10), Date(2026, 4, 9), "4000.00");       // not a service fee
    b.pay("INV-J", Date(2026, 4, 1), "1000.00");
    b.invoice("INV-K", b.j2, Date(2026, 6, 20), Date(2026, 7, 20), "2000.00");
    b.fee("BETA-1", b.beta, Date(2026, 3, 1), Date(2026, 3, 31), "999.00");  // another client

    const aecore::HandoverStatement s = b.a.handover_statement(b.acme, "T01");
    EXPECT_EQ(s.client, b.acme);
    EXPECT_EQ(s.contract, "T01");
    EXPECT_EQ(s.start, Date(2026, 1, 15));
    EXPECT_EQ(s.end, Date(2026, 6, 10));
    EXPECT_EQ(s.as_of, Date(2026, 6, 10)) << "as of the contract's end by default";
    EXPECT_EQ(text(s.monthly_fee), "10000.00");
    // service months from the start: 01-15..02-14, 02-15..03-14, 03-15..04-14, 04-15..05-14
    // and the part month 05-15..06-10, which counts whole
    EXPECT_EQ(s.months, 5);
    EXPECT_EQ(text(s.fees_due), "50000.00");
    EXPECT_EQ(text(s.fees_invoiced), "40000.00");    // F-01..F-05 less the reversed F-04
    EXPECT_EQ(text(s.fees_collected), "25000.00");   // 10000 + 10000 + 5000
    EXPECT_EQ(text(s.unpaid_fees), "25000.00");      // 50000 - 25000
    EXPECT_EQ(text(s.uninvoiced_fees), "10000.00");  // 50000 - 40000
    EXPECT_EQ(text(s.invoiced_in_term), "44000.00"); // 40000 of fees + INV-J 4000
    EXPECT_EQ(text(s.open_receivable), "18000.00");  // F-03 5000 + F-05 10000 + INV-J 3000

    const aecore::HandoverStatement later = b.a.handover_statement(b.acme, "T01", Date(2026, 7, 31));
    EXPECT_EQ(later.as_of, Date(2026, 7, 31));
    EXPECT_EQ(text(later.fees_due), "50000.00");
    EXPECT_EQ(text(later.fees_invoiced), "50000.00");  // + F-06, dated after the end
    EXPECT_EQ(text(later.uninvoiced_fees), "0.00");
    EXPECT_EQ(text(later.unpaid_fees), "25000.00");
    EXPECT_EQ(text(later.invoiced_in_term), "44000.00") << "only invoices dated within the contract";
    EXPECT_EQ(text(later.open_receivable), "30000.00");  // + F-06 10000 + INV-K 2000

    // a second contract sees none of T01's invoices
    b.a.add_contract(b.acme, Date(2026, 7, 1), Date(2026, 12, 31), cny("5000.00"), "prepaid");  // T02
    const aecore::HandoverStatement t2 = b.a.handover_statement(b.acme, "T02", Date(2026, 7, 31));
    EXPECT_EQ(t2.months, 6);
    EXPECT_EQ(text(t2.fees_due), "30000.00");
    EXPECT_TRUE(t2.fees_invoiced.is_zero());
    EXPECT_TRUE(t2.fees_collected.is_zero());
    EXPECT_TRUE(t2.invoiced_in_term.is_zero()) << "nothing was invoiced in July";

    try {
        (void)b.a.handover_statement(b.acme, "T09");
        ADD_FAILURE() << "an unknown contract was accepted";
    } catch (const NotFoundError& e) {
        EXPECT_EQ(e.field(), "contract");
        EXPECT_EQ(e.rule(), "CL-7");
    }
    EXPECT_THROW((void)b.a.handover_statement(b.beta, "T01"), NotFoundError);
}

// ================================================================ properties of random ledgers

// A random book for one seed: estimates, change orders, commitments (some media
// bookings), vendor costs, approved time and its corrections, job invoices, credit
// notes, client-level fee invoices, partial and full payments, bounced payments and
// reversals of every kind, dated at random within 2025-12..2026-12 (payments and
// reversals up to a few months later). Operations the ledger refuses are counted and
// skipped: a refusal changes nothing.
struct RandomLedger {
    LedgerBook b;
    std::mt19937 rng;
    std::map<std::string, int> posted;
    int refused = 0;
    int serial = 0;
    std::map<std::string, DateTime> last_estimate;  // job -> last prepared/approved time
    std::map<std::string, Date> first_day;          // job -> first day with an approved estimate
    std::vector<std::string> time_ids;

    explicit RandomLedger(unsigned seed) : rng(seed) {
        b.approve(b.j1, "50000.00", at(Date(2025, 12, 1), 10), at(Date(2025, 12, 2), 10));
        b.issue(b.j2, at(Date(2026, 1, 5), 10));
        b.approve(b.j2, "80000.00", at(Date(2026, 1, 5), 12), at(Date(2026, 1, 6), 10));
        b.issue(b.jb, at(Date(2026, 1, 12), 10));
        b.approve(b.jb, "30000.00", at(Date(2026, 1, 12), 12), at(Date(2026, 1, 13), 10));
        last_estimate = {{b.j1, at(Date(2025, 12, 2), 10)}, {b.j2, at(Date(2026, 1, 6), 10)}, {b.jb, at(Date(2026, 1, 13), 10)}};
        first_day = {{b.j1, Date(2025, 12, 2)}, {b.j2, Date(2026, 1, 6)}, {b.jb, Date(2026, 1, 13)}};
        for (int i = 0; i < 320; ++i) step();
    }

    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
    Money money(std::int64_t lo, std::int64_t hi) {
        return Money(std::uniform_int_distribution<std::int64_t>(lo, hi)(rng), b.a.currency());
    }
    Date day_between(const Date& first, const Date& last) {
        return first + bg::days(uniform(0, static_cast<int>((last - first).days())));
    }
    const std::string& any_job() {
        const int k = uniform(0, 2);
        return k == 0 ? b.j1 : k == 1 ? b.j2 : b.jb;
    }
    std::vector<LedgerEntry> open_invoices() {
        std::vector<LedgerEntry> out;
        for (const LedgerEntry& e : b.a.ledger_entries())
            if (e.kind == EntryKind::Invoice && !e.reverses && b.a.open_balance(e.reference).is_positive()) out.push_back(e);
        return out;
    }

    void step() {
        const int r = uniform(0, 99);
        const Date end(2026, 12, 31);
        try {
            if (r < 4) {  // change order
                const std::string job = any_job();
                const DateTime prepared = last_estimate[job] + bg::days(uniform(1, 25));
                if (prepared.date() > end) return;
                const int v = b.a.prepare_estimate(aecore::NewEstimate{.job = job, .amount = money(1000000, 15000000),
                                                                       .note = "change order", .prepared_by = "S0003",
                                                                       .prepared_at = prepared})
                                  .version;
                if (uniform(0, 3) > 0) {
                    b.a.approve_estimate(job, v, "K01", prepared + bp::hours(2));
                    last_estimate[job] = prepared + bp::hours(2);
                } else {
                    last_estimate[job] = prepared;  // left as a draft (withdrawn by the next one)
                }
                ++posted["estimate"];
            } else if (r < 16) {  // purchase order or media booking
                const std::string job = any_job();
                const bool media = uniform(0, 2) == 0;
                b.a.commit_cost(aecore::NewCommitment{
                    .job = job, .date = day_between(first_day[job], end), .amount = money(100, 2000000),
                    .reference = "PO-" + std::to_string(++serial), .recorded_by = "S0003", .media_booking = media,
                    .confirmation = media ? std::optional<std::string>("client e-mail") : std::nullopt});
                ++posted[media ? "media booking" : "commitment"];
            } else if (r < 30) {  // vendor invoice
                const std::string job = any_job();
                b.a.record_cost(aecore::NewActualCost{.job = job, .date = day_between(first_day[job], end),
                                                      .amount = money(100, 1500000),
                                                      .reference = "VI-" + std::to_string(++serial),
                                                      .recorded_by = "S0003"});
                ++posted["cost"];
            } else if (r < 56) {  // job invoice or credit note
                const std::string job = any_job();
                const bool credit = r >= 51;
                const Date d = day_between(first_day[job], end);
                b.a.issue_invoice(aecore::NewInvoice{
                    .number = "R-" + std::to_string(++serial), .job = job, .client = std::nullopt, .contract = std::nullopt,
                    .date = d, .due = d + bg::days(credit ? 0 : uniform(0, 60)),
                    .amount = credit ? -money(100, 300000) : money(100, 2500000), .recorded_by = "S0003"});
                ++posted[credit ? "credit note" : "invoice"];
            } else if (r < 61) {  // client-level invoice, a service fee for ACME
                const bool acme = uniform(0, 1) == 0;
                const Date d = day_between(acme ? Date(2025, 11, 3) : Date(2026, 1, 12), end);
                b.a.issue_invoice(aecore::NewInvoice{
                    .number = "F-" + std::to_string(++serial), .job = std::nullopt, .client = acme ? b.acme : b.beta,
                    .contract = acme ? std::optional<std::string>("T01") : std::nullopt, .date = d,
                    .due = d + bg::days(uniform(0, 45)), .amount = money(100, 1000000), .recorded_by = "S0003"});
                ++posted["client invoice"];
            } else if (r < 80) {  // payment, in full or in part
                const auto open = open_invoices();
                if (open.empty()) return;
                const LedgerEntry& inv = open[static_cast<std::size_t>(uniform(0, static_cast<int>(open.size()) - 1))];
                const Money balance = b.a.open_balance(inv.reference);
                const Money amount = uniform(0, 1) == 0 ? balance : money(1, balance.minor_units());
                b.a.record_payment(aecore::NewPayment{.invoice = inv.reference,
                                                      .date = inv.date + bg::days(uniform(0, 120)), .amount = amount,
                                                      .reference = "bank", .recorded_by = "S0003"});
                ++posted["payment"];
            } else if (r < 84) {  // paid in full, then the payment bounces
                const auto open = open_invoices();
                if (open.empty()) return;
                const LedgerEntry& inv = open[static_cast<std::size_t>(uniform(0, static_cast<int>(open.size()) - 1))];
                const Date paid = inv.date + bg::days(uniform(0, 60));
                const LedgerEntry p = b.a.record_payment(aecore::NewPayment{
                    .invoice = inv.reference, .date = paid, .amount = b.a.open_balance(inv.reference),
                    .reference = "cheque", .recorded_by = "S0003"});
                b.a.reverse_entry(p.id, paid + bg::days(uniform(1, 30)), "cheque bounced", "S0003");
                ++posted["bounced payment"];
            } else if (r < 92) {  // reversal of any entry (many are refused: estimates, time, ...)
                const std::size_t i = static_cast<std::size_t>(uniform(0, static_cast<int>(b.a.ledger_size()) - 1));
                const LedgerEntry e = b.a.ledger_entry(i);
                b.a.reverse_entry(e.id, e.date + bg::days(uniform(0, 45)), "correction", "S0003");
                ++posted["reversal"];
            } else {  // approved time, sometimes corrected
                const std::string job = uniform(0, 1) == 0 ? b.j2 : b.jb;
                aecore::NewTimeEntry t;
                t.staff = "S0005";
                t.job = job;
                t.date = day_between(Date(2026, 1, 14), Date(2026, 12, 18));
                t.hours = Decimal::from_units(uniform(25, 600), 2);
                t.activity = "work";
                t.recorded_at = at(t.date, 20);
                const std::string id = b.a.log_time(t).id;
                b.a.approve_time(id, "S0003", at(t.date + bg::days(1), 9));
                ++posted["time"];
                if (uniform(0, 3) == 0) {
                    const std::string fix = b.a.correct_time(id, Decimal::from_units(-25, 2), "less", at(t.date + bg::days(2), 9)).id;
                    b.a.approve_time(fix, "S0003", at(t.date + bg::days(2), 10));
                    ++posted["time correction"];
                }
            }
        } catch (const aecore::Error&) {
            ++refused;
        }
    }
};

const std::vector<unsigned> kSeeds{1u, 7u, 2026u, 424242u, 99991u};

std::vector<Date> month_ends(const Date& first, const Date& last) {
    std::vector<Date> out;
    for (Date d = first.end_of_month(); d <= last; d = (d + bg::days(1)).end_of_month()) out.push_back(d);
    return out;
}

TEST(LedgerProperties, RandomBooksPostEveryKind) {
    for (unsigned seed : kSeeds) {
        const RandomLedger g(seed);
        SCOPED_TRACE("seed " + std::to_string(seed));
        for (const char* kind : {"estimate", "commitment", "media booking", "cost", "invoice", "credit note",
                                 "client invoice", "payment", "bounced payment", "reversal", "time"}) {
            const auto it = g.posted.find(kind);
            EXPECT_TRUE(it != g.posted.end() && it->second >= 1) << kind;
        }
        std::string summary = std::to_string(g.refused) + " refused;";
        for (const auto& [kind, n] : g.posted) summary += " " + kind + " " + std::to_string(n) + ",";
        RecordProperty("seed_" + std::to_string(seed), summary);
        EXPECT_GE(g.posted.at("invoice"), 20);
        EXPECT_GE(g.posted.at("payment"), 10);
        EXPECT_GT(g.b.a.ledger_size(), 150u);
    }
}

// MB-4: every month's report balances against independent sums over ledger_entries().
TEST(LedgerProperties, ReconciliationTotalsEqualIndependentSumsForEveryMonth) {
    using Sums = std::array<std::array<std::int64_t, 5>, 3>;  // month, ytd, to date
    for (unsigned seed : kSeeds) {
        const RandomLedger g(seed);
        const Agency& a = g.b.a;
        const aecore::Currency c = a.currency();
        auto as_flows = [&](const std::array<std::int64_t, 5>& s) {
            return LedgerFlows{Money(s[0], c), Money(s[1], c), Money(s[2], c), Money(s[3], c), Money(s[4], c)};
        };
        for (const std::string& client : {g.b.acme, g.b.beta}) {
            const std::vector<LedgerEntry> entries = a.ledger_entries(client);
            for (const Date& end : month_ends(Date(2025, 11, 1), Date(2027, 4, 30))) {
                const YearMonth m = YearMonth::of(end);
                SCOPED_TRACE("seed " + std::to_string(seed) + " " + client + " " + m.to_string());
                std::map<std::optional<std::string>, Sums> by_job;
                Sums total{};
                for (const LedgerEntry& e : entries) {
                    if (e.date > m.last_day()) continue;
                    const auto k = static_cast<std::size_t>(e.kind);
                    const std::int64_t v = e.amount.minor_units();
                    Sums& s = by_job[e.job];
                    s[2][k] += v;
                    total[2][k] += v;
                    if (static_cast<int>(e.date.year()) == m.year) {
                        s[1][k] += v;
                        total[1][k] += v;
                    }
                    if (YearMonth::of(e.date) == m) {
                        s[0][k] += v;
                        total[0][k] += v;
                    }
                }
                const ReconciliationReport r = a.reconcile(client, m);
                EXPECT_EQ(flows(r.total.month), flows(as_flows(total[0])));
                EXPECT_EQ(flows(r.total.ytd), flows(as_flows(total[1])));
                EXPECT_EQ(flows(r.total.to_date), flows(as_flows(total[2])));
                EXPECT_EQ(r.year_billed, Money(total[1][3], c));
                expect_rows_sum_to_total(r);
                ASSERT_EQ(r.rows.size(), by_job.size());
                for (const ReconciliationRow& row : r.rows) {
                    ASSERT_TRUE(by_job.contains(row.job)) << row.job.value_or("client level");
                    const Sums& s = by_job.at(row.job);
                    EXPECT_EQ(flows(row.month), flows(as_flows(s[0])));
                    EXPECT_EQ(flows(row.ytd), flows(as_flows(s[1])));
                    EXPECT_EQ(flows(row.to_date), flows(as_flows(s[2])));
                    EXPECT_EQ(row.estimate, Money(s[2][0], c));
                    EXPECT_EQ(row.variance, Money(s[2][2] - s[2][0], c));
                    EXPECT_EQ(row.unbilled_wip, Money(s[2][2] - s[2][3], c));
                    EXPECT_EQ(row.receivable, Money(s[2][3] - s[2][4], c));
                }
                if (by_job.contains(std::nullopt)) {
                    EXPECT_FALSE(r.rows.back().job.has_value()) << "client level last";
                }
                // the approved estimate of each job at the month's end is its Estimate entries' sum
                for (const ReconciliationRow& row : r.rows)
                    if (row.job) {
                        const auto approved = a.approved_estimate(*row.job, m.last_day());
                        EXPECT_EQ(row.estimate, approved.value_or(Money(0, c))) << *row.job;
                    }
            }
        }
    }
}

// MB-5: buckets sum to the total, the total to the open balances of the invoices.
TEST(LedgerProperties, AgingBucketsTotalsAndOpenBalancesAgree) {
    for (unsigned seed : kSeeds) {
        const RandomLedger g(seed);
        const Agency& a = g.b.a;
        const aecore::Currency c = a.currency();
        std::vector<LedgerEntry> invoices;
        for (const LedgerEntry& e : a.ledger_entries())
            if (e.kind == EntryKind::Invoice && !e.reverses) invoices.push_back(e);
        std::vector<Date> dates = month_ends(Date(2025, 12, 1), Date(2027, 3, 31));
        dates.push_back(Date(2026, 7, 15));
        dates.push_back(Date(2026, 2, 28));
        for (const Date& as_of : dates)
            for (const AgingBasis basis : {AgingBasis::DueDate, AgingBasis::InvoiceDate}) {
                SCOPED_TRACE("seed " + std::to_string(seed) + " as of " + bg::to_iso_extended_string(as_of) +
                             (basis == AgingBasis::DueDate ? " by due date" : " by invoice date"));
                std::map<std::string, std::array<std::int64_t, 6>> expected;  // client -> buckets + total
                std::size_t open_items = 0;
                for (const LedgerEntry& inv : invoices) {
                    if (inv.date > as_of) continue;
                    const std::int64_t open = a.open_balance(inv.reference, as_of).minor_units();
                    if (open == 0) continue;
                    ++open_items;
                    const int days = static_cast<int>((as_of - (basis == AgingBasis::DueDate ? *inv.due : inv.date)).days());
                    const std::size_t k = days <= 0 ? 0 : days <= 30 ? 1 : days <= 60 ? 2 : days <= 90 ? 3 : 4;
                    expected[inv.client][k] += open;
                    expected[inv.client][5] += open;
                }
                const AgingReport r = a.aging(as_of, basis);
                std::array<std::int64_t, 6> all{};
                ASSERT_EQ(r.rows.size(), static_cast<std::size_t>(std::count_if(
                                             expected.begin(), expected.end(), [](const auto& x) { return x.second[5] != 0; })));
                for (const AgingRow& row : r.rows) {
                    const auto& k = row.buckets;
                    EXPECT_EQ(k.current + k.days_1_30 + k.days_31_60 + k.days_61_90 + k.over_90, k.total) << row.client;
                    const auto& e = expected[row.client];
                    EXPECT_EQ(buckets(k), buckets(aecore::AgingBuckets{Money(e[0], c), Money(e[1], c), Money(e[2], c),
                                                                       Money(e[3], c), Money(e[4], c), Money(e[5], c)}))
                        << row.client;
                    for (std::size_t x = 0; x < 6; ++x) all[x] += e[x];
                }
                EXPECT_EQ(buckets(r.total.buckets), buckets(aecore::AgingBuckets{Money(all[0], c), Money(all[1], c),
                                                                                  Money(all[2], c), Money(all[3], c),
                                                                                  Money(all[4], c), Money(all[5], c)}));
                const auto& t = r.total.buckets;
                EXPECT_EQ(t.current + t.days_1_30 + t.days_31_60 + t.days_61_90 + t.over_90, t.total);
                EXPECT_EQ(r.items.size(), open_items);
                Money items = Money(0, c);
                for (const aecore::OpenItem& i : r.items) items += i.open;
                EXPECT_EQ(items, t.total);
            }
    }
}

// MB-5: the open balance of an invoice on a date, replayed independently from the
// entries dated up to then (the invoice, its reversal, its payments and their reversals).
TEST(LedgerProperties, OpenBalancesOnEveryDateEqualAnIndependentReplay) {
    for (unsigned seed : kSeeds) {
        const RandomLedger g(seed);
        const Agency& a = g.b.a;
        const std::vector<LedgerEntry> entries = a.ledger_entries();
        int mismatches = 0;
        for (const LedgerEntry& inv : entries) {
            if (inv.kind != EntryKind::Invoice || inv.reverses) continue;
            std::vector<Date> dates = month_ends(Date(2025, 12, 1), Date(2027, 3, 31));
            for (const LedgerEntry& e : entries)  // and the day before and of every related posting
                if (e.invoice == inv.reference || e.reverses == inv.id) {
                    dates.push_back(e.date);
                    dates.push_back(e.date - bg::days(1));
                }
            for (const Date& as_of : dates) {
                std::int64_t expected = 0;
                for (const LedgerEntry& e : entries) {
                    if (e.date > as_of) continue;
                    if (e.kind == EntryKind::Invoice && (e.id == inv.id || e.reverses == inv.id)) expected += e.amount.minor_units();
                    if (e.kind == EntryKind::Payment && e.invoice == inv.reference) expected -= e.amount.minor_units();
                }
                const std::int64_t got = a.open_balance(inv.reference, as_of).minor_units();
                if (got != expected && ++mismatches <= 5)
                    ADD_FAILURE() << "seed " << seed << ": open balance of " << inv.reference << " on "
                                  << bg::to_iso_extended_string(as_of) << " is " << got << " minor units, replay gives "
                                  << expected;
            }
        }
        EXPECT_EQ(mismatches, 0) << "seed " << seed;
    }
}

TEST(LedgerProperties, RandomBooksRoundTripThroughJson) {
    for (unsigned seed : kSeeds) {
        const RandomLedger g(seed);
        SCOPED_TRACE("seed " + std::to_string(seed));
        const std::string json = g.b.a.to_json();
        const Agency loaded = Agency::from_json(json);
        EXPECT_TRUE(loaded == g.b.a);
        EXPECT_EQ(loaded.to_json(), json);
        EXPECT_EQ(loaded.ledger_entries(), g.b.a.ledger_entries());
        EXPECT_EQ(loaded.cost_estimates(), g.b.a.cost_estimates());
        EXPECT_EQ(loaded.aging(Date(2026, 9, 30)).rows, g.b.a.aging(Date(2026, 9, 30)).rows);
        EXPECT_EQ(loaded.collections(Date(2026, 9, 30)), g.b.a.collections(Date(2026, 9, 30)));
    }
}

// ================================================================ persistence

// The reconciliation book plus a withdrawn draft, a pending draft and a submitted time entry.
LedgerBook persisted_book() {
    LedgerBook b = reconciliation_book();
    b.a.prepare_estimate(LedgerBook::estimate_spec(b.jb, "6000.00", at(Date(2026, 4, 1), 10)));  // withdrawn by v3
    b.a.prepare_estimate(LedgerBook::estimate_spec(b.jb, "6500.00", at(Date(2026, 4, 2), 10)));  // pending
    aecore::NewTimeEntry t;
    t.staff = "S0005";
    t.job = b.j2;
    t.date = Date(2026, 4, 6);
    t.hours = dec("2");
    t.activity = "waiting for approval";
    t.recorded_at = at(Date(2026, 4, 6), 19);
    b.a.log_time(t);  // TE000002, Submitted
    return b;
}

TEST(LedgerPersistence, EstimatesAndTheLedgerRoundTripByteForByte) {
    const LedgerBook b = persisted_book();
    const std::string json = b.a.to_json();
    const Agency loaded = Agency::from_json(json);
    EXPECT_TRUE(loaded == b.a);
    EXPECT_EQ(loaded.to_json(), json);
    EXPECT_EQ(loaded.cost_estimates(), b.a.cost_estimates());
    ASSERT_EQ(loaded.ledger_size(), 24u);
    EXPECT_EQ(loaded.ledger_entries(), b.a.ledger_entries());
    const std::vector<CostEstimate> jb = loaded.estimates(b.jb);
    ASSERT_EQ(jb.size(), 3u);
    EXPECT_EQ(jb[1].status, EstimateStatus::Withdrawn);
    EXPECT_EQ(jb[2].status, EstimateStatus::Draft);
    // the reports agree
    for (int month = 1; month <= 12; ++month)
        for (const std::string& client : {b.acme, b.beta}) {
            const auto x = loaded.reconcile(client, YearMonth{2026, month});
            const auto y = b.a.reconcile(client, YearMonth{2026, month});
            EXPECT_EQ(x.rows, y.rows);
            EXPECT_EQ(x.total, y.total);
        }
    for (const Date& d : {Date(2026, 1, 31), Date(2026, 3, 31), Date(2026, 6, 30)}) {
        EXPECT_EQ(loaded.aging(d).rows, b.a.aging(d).rows);
        EXPECT_EQ(loaded.aging(d).items, b.a.aging(d).items);
        EXPECT_EQ(loaded.collections(d), b.a.collections(d));
        EXPECT_EQ(loaded.tiers(d), b.a.tiers(d));
        EXPECT_EQ(loaded.audit(d), b.a.audit(d));
    }
    EXPECT_EQ(loaded.profitability(Date(2026, 1, 1), Date(2026, 12, 31), false),
              b.a.profitability(Date(2026, 1, 1), Date(2026, 12, 31), false));
    EXPECT_EQ(loaded.handover_statement(b.acme, "T01"), b.a.handover_statement(b.acme, "T01"));
    // the loaded book goes on where it stopped: numbering, unique invoice numbers, reversed flags
    Agency more = loaded;
    const LedgerEntry next = more.issue_invoice(LedgerBook::job_invoice("INV-2605-01", b.j2, Date(2026, 5, 4), Date(2026, 6, 3), "1.00"));
    EXPECT_EQ(next.id, "L00000025");
    EXPECT_THROW(more.issue_invoice(LedgerBook::job_invoice("INV-2603-01", b.j2, Date(2026, 5, 4), Date(2026, 6, 3), "1.00")),
                 ValidationError);
    const LedgerEntry po = more.ledger_entries(std::nullopt, b.j2)[3];
    ASSERT_EQ(po.reference, "PO-J2");
    EXPECT_TRUE(po.reversed);
    EXPECT_THROW(more.reverse_entry(po.id, Date(2026, 5, 4), "again", "S0003"), StateError);
    more.approve_estimate(b.jb, 3, "K02", at(Date(2026, 4, 3), 10));
    EXPECT_EQ(text(more.ledger_entry(more.ledger_size() - 1).amount), "1500.00");  // 6500 - 5000
    EXPECT_EQ(text(more.open_balance("INV-2602-01")), "4000.00");
}

TEST(LedgerPersistence, EntriesAreWrittenWithTheirOwnKeysOnly) {
    const LedgerBook b = persisted_book();
    const Json doc = Json::parse(b.a.to_json());
    EXPECT_EQ(doc["version"], 6);
    ASSERT_EQ(doc["ledger"].size(), 24u);
    ASSERT_EQ(doc["estimates"].size(), 6u);
    auto keys = [](const Json& j) {
        std::vector<std::string> out;
        for (const auto& [k, v] : j.items()) out.push_back(k);
        return out;
    };
    const std::vector<std::string> common{"id", "kind", "date", "client", "job", "amount", "reference", "recorded_by"};
    auto with = [&](std::initializer_list<const char*> extra) {
        std::vector<std::string> out = common;
        out.insert(out.end(), extra.begin(), extra.end());
        return out;
    };
    const Json& ledger = doc["ledger"];
    EXPECT_EQ(keys(ledger[0]), with({"estimate_version"}));
    EXPECT_EQ(ledger[0]["amount"], "10000.00");
    EXPECT_EQ(ledger[0]["reference"], b.j1 + "/v1");
    EXPECT_EQ(keys(ledger[1]), common);  // a purchase order
    EXPECT_EQ(keys(ledger[3]), with({"due"}));
    EXPECT_EQ(ledger[3]["due"], "2026-01-19");
    EXPECT_EQ(keys(ledger[4]), with({"invoice"}));
    EXPECT_EQ(ledger[4]["invoice"], "INV-2512-01");
    EXPECT_EQ(keys(ledger[10]), with({"media_booking", "confirmation"}));
    EXPECT_EQ(ledger[10]["media_booking"], true);
    EXPECT_EQ(keys(ledger[12]), with({"reverses"}));
    EXPECT_EQ(ledger[12]["amount"], "-500.00");
    EXPECT_EQ(keys(ledger[14]), with({"time_entry"}));
    EXPECT_EQ(ledger[14]["time_entry"], "TE000001");
    EXPECT_EQ(ledger[16]["amount"], "-1000.00");
    EXPECT_EQ(keys(ledger[19]), with({"due", "contract"}));
    EXPECT_TRUE(ledger[19]["job"].is_null());
    EXPECT_EQ(ledger[19]["contract"], "T01");
    EXPECT_EQ(doc[Json::json_pointer("/estimates/0/status")], "ClientApproved");
    EXPECT_EQ(doc[Json::json_pointer("/estimates/1/status")], "Superseded");
    EXPECT_EQ(doc[Json::json_pointer("/estimates/4/status")], "Withdrawn");
    EXPECT_TRUE(doc[Json::json_pointer("/estimates/4/approved_by")].is_null());
}

// ---------------------------------------------------------------- hand-edited documents

Json persisted_document() { return Json::parse(persisted_book().a.to_json()); }

// The index of the first ledger entry for which `pred` holds.
std::size_t entry_where(const Json& doc, const std::function<bool(const Json&)>& pred) {
    const Json& ledger = doc["ledger"];
    for (std::size_t i = 0; i < ledger.size(); ++i)
        if (pred(ledger[i])) return i;
    ADD_FAILURE() << "no such ledger entry";
    return 0;
}
std::size_t vendor_cost_entry(const Json& doc) {
    return entry_where(doc, [](const Json& e) { return e["kind"] == "ActualCost" && !e.contains("time_entry"); });
}
std::size_t time_cost_entry(const Json& doc) {
    return entry_where(doc, [](const Json& e) { return e.contains("time_entry"); });
}
std::string at_index(const char* prefix, std::size_t i, const char* suffix = "") {
    return std::string(prefix) + std::to_string(i) + suffix;
}

// Loading `doc` must throw a SchemaError (PS-1) whose path starts with `path_prefix`
// and whose message contains every one of `words`; returns it.
std::optional<SchemaError> refused_document(const Json& doc, const std::string& path_prefix,
                                            std::initializer_list<std::string> words = {}) {
    try {
        (void)Agency::from_json(doc.dump(2));
        ADD_FAILURE() << "document accepted; expected a SchemaError under " << path_prefix;
    } catch (const SchemaError& e) {
        EXPECT_EQ(e.field().rfind(path_prefix, 0), 0u) << e.what();
        EXPECT_TRUE(contains(e.what(), "[PS-1]")) << e.what();
        for (const std::string& w : words) EXPECT_TRUE(contains(e.what(), w)) << "missing '" << w << "' in " << e.what();
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected a SchemaError, got: " << e.what();
    }
    return std::nullopt;
}
// The same, at exactly `path`.
void refused_at(const Json& doc, const std::string& path, std::initializer_list<std::string> words = {}) {
    const auto e = refused_document(doc, "/", words);
    if (e) {
        EXPECT_EQ(e->field(), path) << e->what();
    }
}

TEST(LedgerSchemaErrors, AmountsAreCanonicalStringsInTheBookCurrency) {
    Json doc = persisted_document();
    const std::size_t i = vendor_cost_entry(doc);
    ASSERT_EQ(doc["ledger"][i]["amount"], "3000.00");
    for (const Json& bad : {Json("1.5"), Json("3000"), Json("3000.0"), Json("3,000.00"), Json("3000.001"), Json(3000.0),
                           Json(nullptr), Json("")}) {
        Json edited = doc;
        edited["ledger"][i]["amount"] = bad;
        refused_at(edited, at_index("/ledger/", i, "/amount"));
    }
    EXPECT_NO_THROW((void)Agency::from_json(doc.dump()));
}

TEST(LedgerSchemaErrors, ReferencesThatDoNotResolve) {
    const Json doc = persisted_document();
    {  // a payment of an invoice that does not exist
        Json edited = doc;
        const std::size_t i = entry_where(edited, [](const Json& e) { return e["kind"] == "Payment"; });
        edited["ledger"][i]["invoice"] = "INV-404";
        refused_at(edited, at_index("/ledger/", i, "/invoice"), {"INV-404"});
    }
    {  // a payment above the open balance
        Json edited = doc;
        const std::size_t i = entry_where(edited, [](const Json& e) { return e.value("invoice", "") == "INV-2602-01"; });
        edited["ledger"][i]["amount"] = "6000.01";
        refused_at(edited, at_index("/ledger/", i, "/amount"));
    }
    {  // an invoice lowered below what was paid on it: the payment no longer fits
        Json edited = doc;
        const std::size_t i = entry_where(edited, [](const Json& e) { return e["reference"] == "INV-2512-01"; });
        const std::size_t p = entry_where(edited, [](const Json& e) { return e.value("invoice", "") == "INV-2512-01"; });
        edited["ledger"][i]["amount"] = "4000.00";
        refused_at(edited, at_index("/ledger/", p, "/amount"));
    }
    {  // an unknown job, an unknown contract, an unknown recorder, a duplicate invoice number
        Json edited = doc;
        const std::size_t i = vendor_cost_entry(edited);
        edited["ledger"][i]["job"] = "MD-209901-01";
        refused_at(edited, at_index("/ledger/", i, "/job"));
        edited = doc;
        const std::size_t f = entry_where(edited, [](const Json& e) { return e.contains("contract"); });
        edited["ledger"][f]["contract"] = "T07";
        refused_at(edited, at_index("/ledger/", f, "/contract"));
        edited = doc;
        edited["ledger"][i]["recorded_by"] = "S0099";
        refused_at(edited, at_index("/ledger/", i, "/recorded_by"));
        edited = doc;
        const std::size_t inv = entry_where(edited, [](const Json& e) { return e["reference"] == "INV-2603-01"; });
        edited["ledger"][inv]["reference"] = "INV-2512-01";
        refused_document(edited, at_index("/ledger/", inv), {"INV-2512-01"});
    }
    {  // unknown keys and keys written only when they apply
        Json edited = doc;
        edited["ledger"][0]["note"] = "x";
        refused_at(edited, "/ledger/0/note");
        edited = doc;
        edited["ledger"][1]["media_booking"] = false;
        refused_at(edited, "/ledger/1/media_booking");
        edited = doc;
        edited["ledger"][1]["media_booking"] = true;  // a media booking without confirmation
        refused_document(edited, "/ledger/1", {"confirmation"});
    }
    EXPECT_NO_THROW((void)Agency::from_json(doc.dump()));
}

// Hand edits that only the cross-checks find: the Estimate entries against the approved
// versions (MB-2), time cost against the time sheets (JT-10), amounts against what
// they carry. Each is refused with a SchemaError naming the ledger and the entry.
TEST(LedgerSchemaErrors, EntriesThatDisagreeWithWhatTheyCarryAreRefused) {
    const Json doc = persisted_document();
    {  // an Estimate entry that does not match the approval of its version
        Json edited = doc;
        const std::size_t i = entry_where(edited, [](const Json& e) { return e["kind"] == "Estimate"; });
        edited["ledger"][i]["amount"] = "9999.00";
        refused_document(edited, "/ledger", {edited["ledger"][i]["id"].get<std::string>(), "MB-2"});
    }
    {  // an estimate version approved in the estimates but not in the ledger
        Json edited = doc;
        edited[Json::json_pointer("/estimates/5/status")] = "ClientApproved";
        edited[Json::json_pointer("/estimates/5/approved_by")] = "K01";
        edited[Json::json_pointer("/estimates/5/approved_at")] = "2026-04-03T10:00:00";
        edited[Json::json_pointer("/estimates/3/status")] = "Superseded";
        refused_document(edited, "/ledger", {"MB-2"});
    }
    {  // time cost carried for a time entry that is only Submitted
        Json edited = doc;
        const std::size_t i = time_cost_entry(edited);
        edited[Json::json_pointer("/time_entries/0/status")] = "Submitted";
        edited[Json::json_pointer("/time_entries/0/approved_by")] = nullptr;
        edited[Json::json_pointer("/time_entries/0/approved_at")] = nullptr;
        refused_document(edited, "/ledger", {edited["ledger"][i]["id"].get<std::string>(), "TE000001", "JT-10"});
    }
    {  // approved time whose cost never reached the ledger
        Json edited = doc;
        edited[Json::json_pointer("/time_entries/1/status")] = "Approved";
        edited[Json::json_pointer("/time_entries/1/approved_by")] = "S0003";
        edited[Json::json_pointer("/time_entries/1/approved_at")] = "2026-04-07T09:00:00";
        refused_document(edited, "/ledger", {"TE000002", "JT-10"});
    }
    {  // a time cost whose amount was tampered with
        Json edited = doc;
        const std::size_t i = time_cost_entry(edited);
        ASSERT_EQ(edited["ledger"][i]["amount"], "960.00");
        edited["ledger"][i]["amount"] = "961.00";
        refused_document(edited, at_index("/ledger/", i), {"961.00", "960.00"});
    }
    {  // an entry filed under another client than its job's
        Json edited = doc;
        const std::size_t i = vendor_cost_entry(edited);
        edited["ledger"][i]["client"] = edited["clients"][1]["code"];
        refused_document(edited, at_index("/ledger/", i), {"client"});
    }
    {  // ids out of order
        Json edited = doc;
        edited["ledger"][2]["id"] = "L00000009";
        refused_document(edited, "/ledger/2", {"L00000003"});
    }
    {  // a reversal of another kind than what it reverses
        Json edited = doc;
        const std::size_t i = entry_where(edited, [](const Json& e) { return e.contains("reverses"); });
        edited["ledger"][i]["kind"] = "ActualCost";
        refused_document(edited, at_index("/ledger/", i), {"kind"});
    }
    {  // estimate versions: a Draft followed by a newer version is Withdrawn; approvers are contacts
        Json edited = doc;
        edited[Json::json_pointer("/estimates/4/status")] = "Draft";
        refused_at(edited, "/estimates/4/status");
        edited = doc;
        edited[Json::json_pointer("/estimates/0/approved_by")] = "K09";
        refused_at(edited, "/estimates/0/approved_by");
        edited = doc;
        edited[Json::json_pointer("/estimates/1/status")] = "ClientApproved";
        refused_document(edited, "/estimates/");
    }
}

// PS-1: "a schema error that names the JSON path of the offending value". The cross-checks
// above find the right entry; these name the exact value.
TEST(LedgerSchemaPaths, ATamperedTimeCostAmountIsNamedAtItsAmount) {
    Json doc = persisted_document();
    const std::size_t i = time_cost_entry(doc);
    doc["ledger"][i]["amount"] = "961.00";
    refused_at(doc, at_index("/ledger/", i, "/amount"));
}

TEST(LedgerSchemaPaths, AnEntryFiledUnderTheWrongClientIsNamedAtItsClient) {
    Json doc = persisted_document();
    const std::size_t i = vendor_cost_entry(doc);
    doc["ledger"][i]["client"] = doc["clients"][1]["code"];
    refused_at(doc, at_index("/ledger/", i, "/client"));
}

TEST(LedgerSchemaPaths, AnEstimateEntryNotMatchingItsApprovalIsNamedAtTheEntry) {
    Json doc = persisted_document();
    const std::size_t i = entry_where(doc, [](const Json& e) { return e["kind"] == "Estimate"; });
    doc["ledger"][i]["amount"] = "9999.00";
    refused_at(doc, at_index("/ledger/", i));
}

TEST(LedgerSchemaPaths, ATimeCostForASubmittedTimeEntryIsNamedAtTheEntry) {
    Json doc = persisted_document();
    const std::size_t i = time_cost_entry(doc);
    doc[Json::json_pointer("/time_entries/0/status")] = "Submitted";
    doc[Json::json_pointer("/time_entries/0/approved_by")] = nullptr;
    doc[Json::json_pointer("/time_entries/0/approved_at")] = nullptr;
    refused_at(doc, at_index("/ledger/", i));
}

// MB-2 holds for loaded books too: a vendor cost dated before the job had a client-approved
// estimate could never have been posted, so a document holding one is refused.
// A book keeps its history: a vendor cost posted before the estimate was approved (older
// or imported data) loads, and the audit reports it as an MB-2 error.
TEST(LedgerSchemaErrors, AVendorCostDatedBeforeTheEstimateWasApprovedLoadsAndTheAuditReportsIt) {
    Json doc = persisted_document();
    const std::size_t i = entry_where(doc, [](const Json& e) { return e["reference"] == "VI-J2-1"; });
    doc["ledger"][i]["date"] = "2026-01-02";  // j2's estimate was approved on 2026-01-06
    const std::string job = doc["ledger"][i]["job"];
    const Agency loaded = Agency::from_json(doc.dump());
    int errors = 0;
    for (const aecore::Finding& f : loaded.audit(Date(2026, 12, 31)))
        if (f.rule == "MB-2" && f.severity == aecore::Severity::Error && f.subject == job) {
            ++errors;
            EXPECT_NE(f.message.find("2026-01-02"), std::string::npos) << f.message;
            EXPECT_EQ(f.due, std::optional<Date>(Date(2026, 1, 2)));
        }
    EXPECT_EQ(errors, 1);
    // the same book as posted (cost after the approval) has no such finding
    const Agency original = Agency::from_json(persisted_document().dump());
    for (const aecore::Finding& f : original.audit(Date(2026, 12, 31)))
        EXPECT_FALSE(f.rule == "MB-2" && f.severity == aecore::Severity::Error) << f.message;
}

TEST(LedgerRows, AJobsClientIsKnownOnlyOnceTheJobHasRows) {
    // Job 3 posts first: jobs 0-2 (no rows yet) must read as unknown, not as client 0.
    aecore::Ledger l;
    const auto day = static_cast<std::int32_t>(Date(2020, 5, 6).day_number());
    aecore::Ledger::Row row{12345, day, 3, 0, 0, 0, aecore::EntryKind::ActualCost, aecore::Ledger::kHasJob, 0};
    l.append(row, "VINV-1", 5);
    for (std::size_t job = 0; job < 3; ++job) EXPECT_EQ(l.client_of_job(job), aecore::Ledger::kNone) << job;
    EXPECT_EQ(l.client_of_job(3), 5u);
    EXPECT_EQ(l.client_of_job(4), aecore::Ledger::kNone);
    EXPECT_EQ(l.client_of(l.row(0)), 5u);
    aecore::Ledger::Row fee{500, day + 1, 2, 0, 0, 0, aecore::EntryKind::Invoice, 0, 0};  // client-level
    l.append(fee, "FEE-1", 2, aecore::Ledger::Invoice{0, day + 30, 500, 0, 0});
    EXPECT_EQ(l.client_of(l.row(1)), 2u);
    EXPECT_EQ(l.client_of_job(2), aecore::Ledger::kNone);
}

}  // namespace

