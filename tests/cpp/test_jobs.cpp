// Job tickets and time sheets (SPEC JT-1..JT-12, issue #5): job numbers per department and
// month (across month and year boundaries, past 99, never reused, not consumed by a refused
// open), the three kinds with revision numbering per parent, brief completeness, strategy
// first, lead time with the AM/AD override, the internal due time on the agency calendar,
// the traffic workflow with revision rounds, cancellation and closing, time sheets with
// approval and corrections, the weekly status report, delivery metrics, the job and time
// rules of the audit and the JSON round trip. Every refused operation must name field,
// value and rule and leave the agency byte-identical (book::expect_refused).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "aecore/job_ticket.hpp"
#include "aecore/marketing_plan.hpp"
#include "book_fixtures.hpp"

namespace {

using aecore::Agency;
using aecore::Brief;
using aecore::Date;
using aecore::DateTime;
using aecore::Decimal;
using aecore::DeliveryMetrics;
using aecore::Department;
using aecore::Finding;
using aecore::JobTicket;
using aecore::JobType;
using aecore::LeadTimeOverride;
using aecore::Money;
using aecore::NewJob;
using aecore::NewTimeEntry;
using aecore::NotFoundError;
using aecore::PipelineStage;
using aecore::Severity;
using aecore::StateError;
using aecore::TicketKind;
using aecore::TicketStatus;
using aecore::TicketTransition;
using aecore::TimeEntry;
using aecore::TimeStatus;
using aecore::ValidationError;
using aecore::WeeklyStatus;
using aecore::WeeklyTicketRow;
using book::at;
using book::client_spec;
using book::expect_refused;
using book::refused_unchanged;
using book::staffed_agency;

namespace bp = boost::posix_time;
namespace bg = boost::gregorian;

Money cny(const char* amount) { return Money::parse(amount, "CNY"); }
Decimal dec(const char* text) { return Decimal::parse(text); }
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
// A tag naming an error type, for helpers that take the expected error as an argument.
template <class E>
struct As {};

// A brief that is complete for every department (media and research fields included).
Brief complete_brief() {
    Brief b;
    b.objective = "Make Beef Noodle the desk-lunch choice";
    b.target_audience = "Office workers aged 22-35";
    b.key_message = "The instant noodle with real beef.";
    b.mandatories = "Logo end frame";
    b.deliverables = {{"TV", "15-second spot"}, {"Print", "A4 leaflet"}};
    b.budget = cny("100000.00");
    b.media_objectives = "Reach 70 % at 3+";
    b.research_objective = "Usage and attitudes";
    b.research_method = "Intercept survey";
    b.research_sample = "n = 600";
    return b;
}

// A clean 4P plan (its review has no finding), as in test_plans.cpp.
aecore::NewPlan plan_spec(const std::string& client, const std::string& brand, const DateTime& created) {
    aecore::NewPlan p;
    p.client = client;
    p.brand = brand;
    p.period_start = Date(2026, 7, 1);
    p.period_end = Date(2026, 12, 31);
    p.market = aecore::MarketType::Consumer;
    p.author = "S0003";
    p.created_at = created;
    return p;
}

// staffed_agency() (S0001 AD, S0002 AM -> S0001, S0003 AE -> S0002, S0004 AE -> S0002,
// S0005 AAE -> S0003; calendar Mon-Fri 09:00-18:00, no holidays) with hourly rates
//   S0001 500.00, S0002 333.33, S0003 180.50, S0004 200.00, S0005 120.00
// and the clients
//   ACME  (CD, Closed, full team, owner S0003)  brands "Acme Noodles" (Beef Noodle) and
//                                               "Acme Tea"; contact K01 Zhao Lei;
//   BETA  (SH, Negotiating, owner S0004)        brand "Beta EV";
//   GAMMA (CD, archived)                        brand "Gamma Tea".
struct JobBook {
    Agency a = staffed_agency();
    std::string acme, beta, gamma;

    JobBook() {
        for (const auto& [id, rate] : std::vector<std::pair<const char*, const char*>>{
                 {"S0001", "500.00"}, {"S0002", "333.33"}, {"S0003", "180.50"}, {"S0004", "200.00"}, {"S0005", "120.00"}}) {
            aecore::StaffUpdate u;
            u.hourly_rate = cny(rate);
            a.update_staff(id, u);
        }
        aecore::NewClient acme_spec = client_spec("Acme Foods", "ACME", "CD", Date(2026, 3, 2), PipelineStage::Closed);
        acme_spec.team = book::full_team();
        acme = a.register_client(acme_spec).code;
        beta = a.register_client(client_spec("Beta Motors", "BETA", "SH", Date(2026, 4, 6), PipelineStage::Negotiating,
                                             "S0004"))
                   .code;
        gamma = a.register_client(client_spec("Gamma Tea", "GAMMA", "CD", Date(2026, 3, 2))).code;
        a.add_brand(acme, "Acme Noodles");
        a.add_brand(acme, "Acme Tea");
        a.add_product(acme, "Acme Noodles", "Beef Noodle");
        a.add_brand(beta, "Beta EV");
        a.add_brand(gamma, "Gamma Tea");
        a.add_contact(acme, book::contact("Zhao Lei", aecore::DecisionRole::DecisionMaker, true));  // K01
        a.archive_client(gamma);
    }

    // An ACME "Acme Noodles" ticket opened by S0003 on Monday 2026-05-04 09:00, due Monday
    // 2026-06-01 17:00 (19 business days later), with a complete brief.
    [[nodiscard]] NewJob spec(Department department = Department::Media, JobType type = JobType::Other) const {
        NewJob j;
        j.client = acme;
        j.brand = "Acme Noodles";
        j.department = department;
        j.job_type = type;
        j.title = "Lunchtime campaign";
        j.brief = complete_brief();
        j.client_deadline = at(Date(2026, 6, 1), 17);
        j.issuer = "S0003";
        j.opened_at = at(Date(2026, 5, 4), 9);
        return j;
    }
    [[nodiscard]] NewJob spec(Department department, JobType type, const DateTime& opened, const DateTime& deadline) const {
        NewJob j = spec(department, type);
        j.opened_at = opened;
        j.client_deadline = deadline;
        return j;
    }
    [[nodiscard]] NewJob revision_of(const std::string& parent, const DateTime& opened, const DateTime& deadline) const {
        NewJob j;
        j.kind = TicketKind::Revision;
        j.parent = parent;
        j.title = "Revision";
        j.brief = complete_brief();
        j.client_deadline = deadline;
        j.issuer = "S0003";
        j.opened_at = opened;
        return j;
    }
    std::string open(const NewJob& j) { return a.open_job(j).number; }

    // One workflow step; Approved is signed by the AM S0002, the rest done by S0003.
    void step(const std::string& number, TicketStatus to, const DateTime& when, std::string note = {}) {
        if (to == TicketStatus::Cancelled && note.empty()) note = "the client dropped it";
        a.advance_job(number, to, to == TicketStatus::Approved ? "S0002" : "S0003", when, std::move(note));
    }
    // Draft -> Approved -> Issued at `start` and `start` + 1 h.
    void issue(const std::string& number, const DateTime& start) {
        step(number, TicketStatus::Approved, start);
        step(number, TicketStatus::Issued, start + bp::hours(1));
    }
    // Draft -> ... -> `target` along the main path, one hour apart from `start`.
    void walk_to(const std::string& number, TicketStatus target, const DateTime& start) {
        static const std::vector<TicketStatus> path{
            TicketStatus::Draft,          TicketStatus::Approved,     TicketStatus::Issued,
            TicketStatus::InProgress,     TicketStatus::InternalReview, TicketStatus::ClientReview,
            TicketStatus::ClientApproved, TicketStatus::Closed};
        DateTime when = start;
        for (int guard = 0; guard < 8 && a.job(number).status != target; ++guard) {
            const auto it = std::find(path.begin(), path.end(), a.job(number).status);
            ASSERT_TRUE(it != path.end() && it + 1 != path.end()) << number;
            step(number, *(it + 1), when);
            when += bp::hours(1);
        }
        ASSERT_EQ(a.job(number).status, target) << number;
    }

    // A client-approved plan for an ACME brand: created 04-20, proposed `approved` - 1 day,
    // approved by K01 at `approved`.
    std::string approve_strategy(const DateTime& approved, const std::string& brand = "Acme Noodles") {
        const std::string id = a.create_plan(plan_spec(acme, brand, at(Date(2026, 4, 20), 10))).id;
        a.set_product_section(id, aecore::ProductSection{.stage = aecore::LifeCycleStage::Growth,
                                                         .usp = "Real braised beef in every bowl",
                                                         .tangible_benefits = {"150 g of beef"},
                                                         .intangible_benefits = {"a taste of home"},
                                                         .improvement_note = ""});
        a.set_price(id, aecore::PriceSection{.list_price = cny("12.50"),
                                             .positioning = aecore::PricePositioning::Premium,
                                             .consumer_acceptance = "Accepted at up to 13 CNY.",
                                             .competitors = {{"Master Kong", cny("9.90")}}});
        a.set_place(id, aecore::PlaceSection{.channels = {"supermarkets"},
                                             .outlets_current = 800,
                                             .outlets_target = 1000,
                                             .coverage_percent = dec("80")});
        a.set_promotion(id, aecore::PromotionSection{.budget = cny("100000.00"),
                                                     .mix = {{aecore::MixElement::Advertising, cny("60000.00")},
                                                             {aecore::MixElement::SalesPromotion, cny("40000.00")}},
                                                     .objective = aecore::PromotionObjective::Persuade});
        a.set_strategy(id, aecore::Strategy{"Office workers aged 22-35.", "The instant noodle with real beef.",
                                            "15-second lunchtime TV spots."});
        aecore::NewObjective share;
        share.kind = aecore::ObjectiveKind::MarketShare;
        share.description = "Share of premium noodles";
        share.baseline = dec("8");
        share.target = dec("12");
        share.deadline = Date(2026, 12, 31);
        a.add_objective(id, share);
        a.propose_plan(id, "S0003", approved - bp::hours(24));
        a.approve_plan(id, "K01", approved);
        return id;
    }

    NewTimeEntry time(const std::string& staff, const std::string& job, const Date& day, const char* hours) const {
        NewTimeEntry e;
        e.staff = staff;
        e.job = job;
        e.date = day;
        e.hours = dec(hours);
        e.activity = "work";
        e.recorded_at = at(day, 19);
        return e;
    }
    std::string log(const std::string& staff, const std::string& job, const Date& day, const char* hours) {
        return a.log_time(time(staff, job, day, hours)).id;
    }
};

std::vector<Finding> findings(const Agency& a, const Date& as_of, const std::string& rule) {
    std::vector<Finding> out;
    for (const Finding& f : a.audit(as_of))
        if (f.rule == rule) out.push_back(f);
    return out;
}

std::vector<std::string> numbers_of(const std::vector<WeeklyTicketRow>& rows) {
    std::vector<std::string> out;
    for (const WeeklyTicketRow& r : rows) out.push_back(r.number);
    return out;
}

// ---------------------------------------------------------------- JT-1..JT-3 opening a ticket

TEST(JobOpen, OpensADraftWithItsNumberIssuerAndFields) {
    JobBook b;
    NewJob s = b.spec(Department::Creative, JobType::PrintAd);
    s.product = "Beef Noodle";
    s.title = "  Lunchtime leaflet 午餐 ";
    s.cost_estimate = cny("80000.00");
    s.assignees = {"S0003", "S0005"};
    const JobTicket& t = b.a.open_job(s);
    EXPECT_EQ(t.number, "CR-202605-01");
    EXPECT_EQ(t.kind, TicketKind::Requisition);
    EXPECT_FALSE(t.parent.has_value());
    EXPECT_EQ(t.client, b.acme);
    EXPECT_EQ(t.brand, "Acme Noodles");
    EXPECT_EQ(t.product, std::optional<std::string>("Beef Noodle"));
    EXPECT_EQ(t.department, Department::Creative);
    EXPECT_EQ(t.job_type, JobType::PrintAd);
    EXPECT_EQ(t.title, "Lunchtime leaflet 午餐");  // trimmed
    EXPECT_EQ(t.brief, complete_brief());
    EXPECT_EQ(t.cost_estimate, std::optional<Money>(cny("80000.00")));
    EXPECT_EQ(t.client_deadline, at(Date(2026, 6, 1), 17));
    EXPECT_EQ(t.assignees, (std::vector<std::string>{"S0003", "S0005"}));
    EXPECT_EQ(t.issuer, "S0003");
    EXPECT_EQ(t.opened_at, at(Date(2026, 5, 4), 9));
    EXPECT_FALSE(t.lead_time_override.has_value());
    EXPECT_FALSE(t.plan.has_value());
    EXPECT_EQ(t.status, TicketStatus::Draft);
    EXPECT_TRUE(t.history.empty());
    EXPECT_EQ(t.revision_rounds, 0);
    EXPECT_EQ(t.next_revision, 1);
    EXPECT_EQ(&b.a.job("CR-202605-01"), &b.a.jobs().front());
    EXPECT_EQ(b.a.find_job("CR-202605-01"), &b.a.jobs().front());
    EXPECT_EQ(b.a.find_job("CR-202605-02"), nullptr);
    // the issuer is whoever opens it
    NewJob other = b.spec();
    other.issuer = "S0005";
    EXPECT_EQ(b.a.open_job(other).issuer, "S0005");
}

TEST(JobOpen, UnknownJobNumberIsNotFound) {
    JobBook b;
    expect_refused<NotFoundError>(b.a, [](Agency& g) { (void)g.job("CR-202605-01"); }, "job.number", "CR-202605-01",
                                  "JT-1");
    expect_refused<NotFoundError>(
        b.a, [](Agency& g) { g.advance_job("CR-202605-01", TicketStatus::Approved, "S0002", at(Date(2026, 5, 4), 10)); },
        "job.number", "CR-202605-01", "JT-1");
}

TEST(JobNumbers, CountPerDepartmentPerMonthWithTheDepartmentCode) {
    JobBook b;
    const std::vector<std::pair<Department, const char*>> expected{
        {Department::Creative, "CR-202605-01"},   {Department::Creative, "CR-202605-02"},
        {Department::Media, "MD-202605-01"},      {Department::Research, "RS-202605-01"},
        {Department::Production, "PD-202605-01"}, {Department::Account, "AC-202605-01"},
        {Department::Media, "MD-202605-02"},      {Department::Creative, "CR-202605-03"}};
    for (const auto& [department, number] : expected) EXPECT_EQ(b.open(b.spec(department)), number);
    // each department's sequence restarts at 01 in the next month
    NewJob june = b.spec(Department::Creative);
    june.opened_at = at(Date(2026, 6, 1), 9);
    june.client_deadline = at(Date(2026, 6, 30), 17);
    EXPECT_EQ(b.open(june), "CR-202606-01");
    june.department = Department::Account;
    EXPECT_EQ(b.open(june), "AC-202606-01");
    // back in May the sequence goes on
    EXPECT_EQ(b.open(b.spec(Department::Creative)), "CR-202605-04");
}

TEST(JobNumbers, AcrossMonthAndYearBoundaries) {
    JobBook b;
    const DateTime deadline = at(Date(2027, 3, 1), 17);  // a Monday
    auto open_at = [&](const DateTime& opened, Department d = Department::Creative) {
        return b.open(b.spec(d, JobType::Other, opened, deadline));
    };
    EXPECT_EQ(open_at(at(Date(2026, 11, 30), 23, 59, 59)), "CR-202611-01");
    EXPECT_EQ(open_at(at(Date(2026, 12, 1), 0)), "CR-202612-01");
    EXPECT_EQ(open_at(at(Date(2026, 12, 31), 23, 59, 59)), "CR-202612-02");
    EXPECT_EQ(open_at(at(Date(2027, 1, 1), 0)), "CR-202701-01");
    EXPECT_EQ(open_at(at(Date(2027, 1, 4), 9)), "CR-202701-02");
    EXPECT_EQ(open_at(at(Date(2027, 1, 4), 9), Department::Media), "MD-202701-01");
    // the same month of another year is another sequence
    EXPECT_EQ(open_at(at(Date(2026, 1, 5), 9)), "CR-202601-01");
    EXPECT_EQ(open_at(at(Date(2026, 12, 15), 9)), "CR-202612-03");
    EXPECT_EQ(open_at(at(Date(2026, 11, 2), 9)), "CR-202611-02");
    EXPECT_EQ(b.a.jobs().size(), 9u);
    // the numbers survive a round trip and the sequences go on
    Agency loaded = Agency::from_json(b.a.to_json());
    EXPECT_TRUE(loaded == b.a);
    EXPECT_EQ(loaded.open_job(b.spec(Department::Creative, JobType::Other, at(Date(2027, 1, 29), 9), deadline)).number,
              "CR-202701-03");
    EXPECT_EQ(loaded.open_job(b.spec(Department::Creative, JobType::Other, at(Date(2026, 12, 2), 9), deadline)).number,
              "CR-202612-04");
}

// JT-1: two digits up to 99, three past it; every number is unique.
TEST(JobNumbers, A120TicketMonthWidensPast99) {
    JobBook b;
    std::set<std::string> seen;
    for (int i = 1; i <= 120; ++i) {
        NewJob s = b.spec(Department::Creative, JobType::Other, at(Date(2026, 6, 1 + (i % 28)), 9),
                          at(Date(2026, 7, 31), 17));
        const std::string number = b.open(s);
        char expected[32];
        std::snprintf(expected, sizeof expected, "CR-202606-%02d", i);
        ASSERT_EQ(number, expected) << i;
        EXPECT_TRUE(seen.insert(number).second) << number;
    }
    EXPECT_EQ(b.a.jobs()[98].number, "CR-202606-99");
    EXPECT_EQ(b.a.jobs()[99].number, "CR-202606-100");
    EXPECT_EQ(b.a.jobs()[119].number, "CR-202606-120");
    for (const JobTicket& t : b.a.jobs()) EXPECT_EQ(&b.a.job(t.number), &t) << t.number;
    // other departments and months are not affected
    EXPECT_EQ(b.open(b.spec(Department::Media, JobType::Other, at(Date(2026, 6, 2), 9), at(Date(2026, 7, 31), 17))),
              "MD-202606-01");
    EXPECT_EQ(b.open(b.spec(Department::Creative, JobType::Other, at(Date(2026, 7, 1), 9), at(Date(2026, 7, 31), 17))),
              "CR-202607-01");
    // the wide numbers round-trip and the sequence goes on at 121
    Agency loaded = Agency::from_json(b.a.to_json());
    EXPECT_EQ(loaded.to_json(), b.a.to_json());
    EXPECT_EQ(loaded.job("CR-202606-100").number, "CR-202606-100");
    EXPECT_EQ(loaded.open_job(b.spec(Department::Creative, JobType::Other, at(Date(2026, 6, 30), 9),
                                     at(Date(2026, 7, 31), 17)))
                  .number,
              "CR-202606-121");
}

TEST(JobNumbers, CancelledTicketsKeepTheirNumbersWhichAreNeverReused) {
    JobBook b;
    const std::string first = b.open(b.spec());
    const std::string second = b.open(b.spec());
    b.step(second, TicketStatus::Cancelled, at(Date(2026, 5, 4), 10), "duplicate request");
    EXPECT_EQ(b.open(b.spec()), "MD-202605-03");
    ASSERT_NE(b.a.find_job(second), nullptr);
    EXPECT_EQ(b.a.job(second).status, TicketStatus::Cancelled);
    EXPECT_EQ(b.a.job(second).history.back().note, "duplicate request");
    EXPECT_EQ(b.a.jobs().size(), 3u);
    // a cancelled last ticket does not give its number back either
    const std::string third = "MD-202605-03";
    b.step(third, TicketStatus::Cancelled, at(Date(2026, 5, 4), 11));
    EXPECT_EQ(b.open(b.spec()), "MD-202605-04");
    // nor after a round trip
    Agency loaded = Agency::from_json(b.a.to_json());
    EXPECT_EQ(loaded.open_job(b.spec()).number, "MD-202605-05");
    EXPECT_EQ(loaded.job(first).status, TicketStatus::Draft);
}

// Every refused open names field, value and rule, leaves the agency unchanged and
// consumes no number: the first accepted ticket is still -01.
TEST(JobNumbers, RefusedOpensConsumeNothing) {
    JobBook b;
    const auto refuse = [&]<class Err>(As<Err>, const NewJob& s, const std::string& field, const std::string& value,
                                       const std::string& rule) {
        expect_refused<Err>(b.a, [&](Agency& g) { g.open_job(s); }, field, value, rule);
    };
    NewJob s = b.spec();
    s.client = "CD-209901-NOPE-001";
    refuse(As<NotFoundError>{}, s, "job.client", "CD-209901-NOPE-001", "CL-1");
    s = b.spec();
    s.client = b.gamma;
    s.brand = "Gamma Tea";
    refuse(As<StateError>{}, s, "job.client", b.gamma, "CL-2");
    s = b.spec();
    s.brand = "Acme Soup";
    refuse(As<NotFoundError>{}, s, "job.brand", "Acme Soup", "JT-3");
    s.brand = "Beta EV";  // a brand of another client
    refuse(As<NotFoundError>{}, s, "job.brand", "Beta EV", "JT-3");
    s = b.spec();
    s.product = "Chicken Noodle";
    refuse(As<NotFoundError>{}, s, "job.product", "Chicken Noodle", "JT-3");
    for (const auto& [department, name] :
         {std::pair{Department::Finance, "Finance"}, std::pair{Department::Management, "Management"}})
        refuse(As<ValidationError>{}, b.spec(department), "job.department", name, "JT-1");
    s = b.spec();
    s.issuer = "S0099";
    refuse(As<NotFoundError>{}, s, "job.issuer", "S0099", "JT-1");
    s = b.spec();
    s.title = "   ";
    refuse(As<ValidationError>{}, s, "job.title", "\"   \"", "JT-3");
    s = b.spec();
    s.opened_at = DateTime();
    refuse(As<ValidationError>{}, s, "job.opened_at", "not-a-date-time", "JT-1");
    s = b.spec();
    s.client_deadline = DateTime();
    refuse(As<ValidationError>{}, s, "job.client_deadline", "not-a-date-time", "JT-6");
    s = b.spec();
    s.assignees = {"S0003", "S0042"};
    refuse(As<NotFoundError>{}, s, "job.assignees", "S0042", "JT-3");
    s = b.spec();
    s.cost_estimate = cny("-1.00");
    refuse(As<ValidationError>{}, s, "job.cost_estimate", "-1.00", "JT-3");
    s.cost_estimate = Money::parse("100.00", "USD");
    refuse(As<ValidationError>{}, s, "job.cost_estimate", "USD", "JT-3");
    s = b.spec();
    s.brief.budget = Money::parse("100.00", "USD");
    refuse(As<ValidationError>{}, s, "brief.budget", "USD", "JT-4");
    s = b.spec();
    s.brief.objective = std::string("bad\x01text");
    refuse(As<ValidationError>{}, s, "brief.objective", "bad", "JT-4");
    // a deadline in the past (before or at the opening) ...
    s = b.spec();
    s.client_deadline = at(Date(2026, 5, 1), 17);
    refuse(As<ValidationError>{}, s, "job.client_deadline", "2026-05-01T17:00:00", "JT-6");
    s.client_deadline = s.opened_at;
    refuse(As<ValidationError>{}, s, "job.client_deadline", "2026-05-04T09:00:00", "JT-6");
    // ... or on a non-business day (a Saturday, a holiday)
    s = b.spec();
    s.client_deadline = at(Date(2026, 5, 30), 12);
    refuse(As<ValidationError>{}, s, "job.client_deadline", "2026-05-30T12:00:00", "JT-7");
    EXPECT_TRUE(b.a.jobs().empty());
    EXPECT_EQ(b.open(b.spec()), "MD-202605-01");
    b.a.calendar().add_holiday(Date(2026, 6, 1));
    refuse(As<ValidationError>{}, b.spec(), "job.client_deadline", "2026-06-01T17:00:00", "JT-7");
    // the next ticket takes the next number
    s = b.spec();
    s.client_deadline = at(Date(2026, 6, 2), 17);
    EXPECT_EQ(b.open(s), "MD-202605-02");
}

TEST(JobNumbers, AnIssuerWhoHasLeftCannotOpenATicket) {
    JobBook b;
    aecore::StaffUpdate leave;
    leave.active = false;
    b.a.update_staff("S0005", leave);
    NewJob s = b.spec();
    s.issuer = "S0005";
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(s); }, "job.issuer", "S0005", "JT-1");
    s = b.spec();
    s.assignees = {"S0005"};
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(s); }, "job.assignees", "S0005", "JT-3");
    EXPECT_EQ(b.open(b.spec()), "MD-202605-01");
}

// JT-2: the three kinds.
TEST(JobKinds, RequisitionConceptWorksheetAndRevision) {
    JobBook b;
    NewJob s = b.spec();
    s.kind = TicketKind::ConceptWorksheet;
    s.department = Department::Account;
    const JobTicket& worksheet = b.a.open_job(s);
    EXPECT_EQ(worksheet.kind, TicketKind::ConceptWorksheet);
    EXPECT_EQ(worksheet.number, "AC-202605-01");
    EXPECT_EQ(b.a.open_job(b.spec()).kind, TicketKind::Requisition);
    b.open(b.spec());
    const JobTicket& rev = b.a.open_job(b.revision_of("AC-202605-01", at(Date(2026, 5, 5), 9), at(Date(2026, 6, 1), 17)));
    EXPECT_EQ(rev.kind, TicketKind::Revision);
    EXPECT_EQ(rev.parent, std::optional<std::string>("AC-202605-01"));
}

// JT-2: {parent}-R{n}, n counting per parent; the revision continues its parent's job.
TEST(JobRevisions, AreNumberedPerParentAndLinkedToIt) {
    JobBook b;
    // Eight tickets first, so that no revision below is opened while the list of tickets
    // reallocates (TheParentsCounterAdvancesWhenTheListGrows covers that case).
    for (int i = 0; i < 8; ++i) b.open(b.spec(Department::Account));
    NewJob tv = b.spec(Department::Production, JobType::TVCommercial);  // 20 business days to 06-01: enough
    tv.product = "Beef Noodle";
    const std::string parent = b.open(tv);
    ASSERT_EQ(parent, "PD-202605-01");
    const DateTime late = at(Date(2026, 7, 31), 17);
    NewJob r = b.revision_of(parent, at(Date(2026, 6, 1), 9), late);
    r.client = b.beta;  // ignored: a revision continues its parent's job
    r.brand = "Beta EV";
    r.department = Department::Media;
    r.job_type = JobType::Other;
    const JobTicket& r1 = b.a.open_job(r);
    EXPECT_EQ(r1.number, "PD-202605-01-R1");
    EXPECT_EQ(r1.kind, TicketKind::Revision);
    EXPECT_EQ(r1.parent, std::optional<std::string>(parent));
    EXPECT_EQ(r1.client, b.acme);
    EXPECT_EQ(r1.brand, "Acme Noodles");
    EXPECT_EQ(r1.product, std::optional<std::string>("Beef Noodle"));
    EXPECT_EQ(r1.department, Department::Production);
    EXPECT_EQ(r1.job_type, JobType::TVCommercial);
    EXPECT_EQ(r1.status, TicketStatus::Draft);
    EXPECT_EQ(b.a.job(parent).next_revision, 2);
    EXPECT_EQ(b.open(b.revision_of(parent, at(Date(2026, 6, 2), 9), late)), "PD-202605-01-R2");
    EXPECT_EQ(b.a.job(parent).next_revision, 3);
    // another parent starts at R1; a revision can itself be revised
    const std::string other = b.open(b.spec(Department::Production));
    EXPECT_EQ(other, "PD-202605-02");
    EXPECT_EQ(b.open(b.revision_of(other, at(Date(2026, 5, 6), 9), late)), "PD-202605-02-R1");
    EXPECT_EQ(b.open(b.revision_of("PD-202605-01-R1", at(Date(2026, 6, 3), 9), late)), "PD-202605-01-R1-R1");
    EXPECT_EQ(b.open(b.revision_of(parent, at(Date(2026, 6, 3), 9), late)), "PD-202605-01-R3");
    // a Closed parent can still be revised
    b.walk_to(other, TicketStatus::Closed, at(Date(2026, 5, 6), 10));
    EXPECT_EQ(b.open(b.revision_of(other, at(Date(2026, 6, 3), 9), late)), "PD-202605-02-R2");
    // revisions do not use the department's sequence
    EXPECT_EQ(b.open(b.spec(Department::Production)), "PD-202605-03");
    // and the revision numbers survive a round trip
    Agency loaded = Agency::from_json(b.a.to_json());
    EXPECT_EQ(loaded.to_json(), b.a.to_json());
    EXPECT_EQ(loaded.open_job(b.revision_of(parent, at(Date(2026, 6, 4), 9), late)).number, "PD-202605-01-R4");
}

// Agency::job_texts(): the unchanging texts of every ticket in columns, in step with jobs()
// through opens, revisions, refused opens, workflow and edits, copies and a JSON round trip.
void expect_texts_in_step(const Agency& a) {
    const aecore::JobTextColumns& texts = a.job_texts();
    ASSERT_EQ(texts.size(), a.jobs().size());
    using C = aecore::JobTextColumns::Column;
    std::string numbers, parents, titles;
    for (std::size_t j = 0; j < a.jobs().size(); ++j) {
        const JobTicket& t = a.jobs()[j];
        EXPECT_TRUE(texts.matches(j, t)) << t.number;
        EXPECT_EQ(texts.value(C::Number, j), t.number);
        EXPECT_EQ(texts.has_parent(j), t.parent.has_value());
        EXPECT_EQ(texts.value(C::Parent, j), t.parent.value_or(""));
        EXPECT_EQ(texts.value(C::Client, j), t.client);
        EXPECT_EQ(texts.value(C::Brand, j), t.brand);
        EXPECT_EQ(texts.value(C::Issuer, j), t.issuer);
        numbers += t.number;
        parents += t.parent.value_or("");
        titles += t.title;
    }
    EXPECT_EQ(texts.bytes(C::Number), numbers);
    EXPECT_EQ(texts.bytes(C::Parent), parents);
    EXPECT_EQ(texts.bytes(C::Title), titles);
    EXPECT_EQ(texts.offset(C::Title, 0), 0u);
    EXPECT_EQ(texts.offset(C::Title, texts.size()), titles.size());
    if (texts.size() != 0) {
        EXPECT_EQ(texts.ends(C::Title)[texts.size() - 1], titles.size());
    }
}

TEST(JobTexts, StayInStepWithTheTicketsThroughEveryChange) {
    JobBook b;
    expect_texts_in_step(b.a);
    const DateTime late = at(Date(2026, 7, 31), 17);
    NewJob tv = b.spec(Department::Production, JobType::TVCommercial);
    tv.title = "熊猫 🐼 a title longer than the sixteen bytes kept inside a string";
    const std::string parent = b.open(tv);
    for (int i = 0; i < 5; ++i) b.open(b.spec(Department::Account));
    const std::string r1 = b.open(b.revision_of(parent, at(Date(2026, 6, 1), 9), late));
    b.open(b.revision_of(r1, at(Date(2026, 6, 2), 9), late));
    expect_texts_in_step(b.a);
    // refused opens add nothing
    NewJob bad = b.spec();
    bad.title = "";
    EXPECT_THROW(b.a.open_job(bad), ValidationError);
    NewJob bad_revision = b.revision_of(parent, at(Date(2026, 6, 3), 9), late);
    bad_revision.title = "";
    EXPECT_THROW(b.a.open_job(bad_revision), ValidationError);
    expect_texts_in_step(b.a);
    EXPECT_EQ(b.a.job_texts().size(), 8u);
    // workflow and edits change no text
    b.walk_to(parent, TicketStatus::Closed, at(Date(2026, 5, 6), 10));
    b.a.set_client_deadline(r1, at(Date(2026, 8, 31), 17));
    expect_texts_in_step(b.a);
    // copies and a round trip carry them; a moved-from agency has none, and says so
    const Agency copy = b.a;
    expect_texts_in_step(copy);
    Agency moved = b.a;
    const Agency taken = std::move(moved);
    expect_texts_in_step(taken);
    EXPECT_EQ(moved.job_texts().size(), moved.jobs().size());  // NOLINT(bugprone-use-after-move): valid, unspecified
    EXPECT_EQ(moved.job_texts().offset(aecore::JobTextColumns::Title, moved.job_texts().size()),
              moved.job_texts().bytes(aecore::JobTextColumns::Title).size());
    const Agency loaded = Agency::from_json(b.a.to_json());
    expect_texts_in_step(loaded);
    EXPECT_EQ(loaded.job_texts().bytes(aecore::JobTextColumns::Title), b.a.job_texts().bytes(aecore::JobTextColumns::Title));
}

// The list of tickets grows while a revision is opened: the parent's next revision number
// must still advance (the parent is the only ticket, so the list has to reallocate).
TEST(JobRevisions, TheParentsCounterAdvancesWhenTheListGrows) {
    for (int before = 0; before < 9; ++before) {
        JobBook b;
        for (int i = 0; i < before; ++i) b.open(b.spec(Department::Account));
        const std::string parent = b.open(b.spec());
        const DateTime late = at(Date(2026, 7, 31), 17);
        EXPECT_EQ(b.open(b.revision_of(parent, at(Date(2026, 5, 5), 9), late)), parent + "-R1") << before;
        EXPECT_EQ(b.a.job(parent).next_revision, 2) << before << " tickets before the parent";
        EXPECT_NO_THROW({
            EXPECT_EQ(b.open(b.revision_of(parent, at(Date(2026, 5, 6), 9), late)), parent + "-R2") << before;
        }) << before;
        EXPECT_NO_THROW((void)Agency::from_json(b.a.to_json())) << before;
    }
}

TEST(JobRevisions, RefusedRevisionsConsumeNoRevisionNumber) {
    JobBook b;
    const std::string parent = b.open(b.spec());
    b.open(b.spec());
    b.open(b.spec());  // three tickets: the revision is opened without reallocating the list
    const DateTime late = at(Date(2026, 7, 31), 17);
    NewJob r = b.revision_of(parent, at(Date(2026, 5, 5), 9), late);
    r.title = "";
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(r); }, "job.title", "\"\"", "JT-3");
    r = b.revision_of(parent, at(Date(2026, 5, 5), 9), at(Date(2026, 5, 9), 12));  // a Saturday
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(r); }, "job.client_deadline", "2026-05-09T12:00:00",
                                    "JT-7");
    // a revision names its parent, and only a revision has one
    r = b.revision_of(parent, at(Date(2026, 5, 5), 9), late);
    r.parent.reset();
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(r); }, "job.parent", "none", "JT-2");
    NewJob s = b.spec();
    s.parent = parent;
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(s); }, "job.parent", parent, "JT-2");
    r = b.revision_of("MD-202605-77", at(Date(2026, 5, 5), 9), late);
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.open_job(r); }, "job.parent", "MD-202605-77", "JT-1");
    EXPECT_EQ(b.a.job(parent).next_revision, 1);
    EXPECT_EQ(b.open(b.revision_of(parent, at(Date(2026, 5, 5), 9), late)), parent + "-R1");
    // a cancelled ticket is not revised
    b.step(parent, TicketStatus::Cancelled, at(Date(2026, 5, 6), 9));
    r = b.revision_of(parent, at(Date(2026, 5, 7), 9), late);
    expect_refused<StateError>(b.a, [&](Agency& g) { g.open_job(r); }, "job.parent", parent, "JT-2");
}

// A revision continues its parent's client: an archived client gets no new ticket that way
// either (CL-2).
TEST(JobRevisions, AnArchivedClientsTicketIsNotRevised) {
    JobBook b;
    NewJob s = b.spec();
    s.client = b.beta;
    s.brand = "Beta EV";
    const std::string parent = b.open(s);
    b.open(b.spec());
    b.open(b.spec());
    b.a.archive_client(b.beta);
    const NewJob r = b.revision_of(parent, at(Date(2026, 5, 5), 9), at(Date(2026, 6, 1), 17));
    expect_refused<StateError>(b.a, [&](Agency& g) { g.open_job(r); }, "job.client", b.beta, "CL-2");
    EXPECT_EQ(b.a.job(parent).next_revision, 1);
}

// ---------------------------------------------------------------- JT-4 brief completeness

TEST(JobBrief, MissingNamesWhatEachDepartmentStillNeeds) {
    const Brief empty;
    const std::vector<std::string> base{"objective", "target audience", "key message", "mandatories", "deliverables",
                                        "budget"};
    for (Department d : {Department::Creative, Department::Account, Department::Production})
        EXPECT_EQ(empty.missing(d), base) << to_string(d);
    std::vector<std::string> media = base;
    media.push_back("media objectives");
    EXPECT_EQ(empty.missing(Department::Media), media);
    std::vector<std::string> research = base;
    for (const char* m : {"research objective", "research method", "research sample"}) research.push_back(m);
    EXPECT_EQ(empty.missing(Department::Research), research);
    for (Department d : {Department::Creative, Department::Media, Department::Research, Department::Production,
                         Department::Account})
        EXPECT_TRUE(complete_brief().missing(d).empty()) << to_string(d);
    // one field at a time
    Brief b = complete_brief();
    b.key_message.clear();
    EXPECT_EQ(b.missing(Department::Creative), std::vector<std::string>{"key message"});
    b = complete_brief();
    b.budget.reset();
    EXPECT_EQ(b.missing(Department::Media), std::vector<std::string>{"budget"});
    b = complete_brief();
    b.deliverables.clear();
    EXPECT_EQ(b.missing(Department::Account), std::vector<std::string>{"deliverables"});
    b = complete_brief();
    b.media_objectives.clear();
    b.research_sample.clear();
    EXPECT_TRUE(b.missing(Department::Creative).empty());  // neither is asked of creative work
    EXPECT_EQ(b.missing(Department::Media), std::vector<std::string>{"media objectives"});
    EXPECT_EQ(b.missing(Department::Research), std::vector<std::string>{"research sample"});
    // a zero budget is a budget
    b = complete_brief();
    b.budget = cny("0.00");
    EXPECT_TRUE(b.missing(Department::Creative).empty());
}

TEST(JobBrief, NoTicketIsIssuedWithAnIncompleteBrief) {
    JobBook b;
    NewJob s = b.spec(Department::Media);
    s.brief = Brief{};
    s.brief.objective = "Plan the H2 media";
    s.brief.deliverables = {{"Media plan", "flighting"}};
    const std::string n = b.open(s);  // a draft may have an incomplete brief
    b.step(n, TicketStatus::Approved, at(Date(2026, 5, 4), 10));
    const auto e = refused_unchanged<StateError>(
        b.a, [&](Agency& g) { g.advance_job(n, TicketStatus::Issued, "S0003", at(Date(2026, 5, 4), 11)); });
    book::expect_names(e, "job.brief", n, "JT-4");
    ASSERT_TRUE(e.has_value());
    for (const char* missing : {"target audience", "key message", "mandatories", "budget", "media objectives"})
        EXPECT_TRUE(contains(e->what(), missing)) << e->what();
    EXPECT_FALSE(contains(e->what(), "deliverables")) << e->what();
    EXPECT_EQ(b.a.job(n).status, TicketStatus::Approved);
    // completing the brief lets it be issued
    Brief almost = complete_brief();
    almost.media_objectives.clear();
    b.a.set_brief(n, almost);
    book::expect_names(refused_unchanged<StateError>(
                           b.a, [&](Agency& g) { g.advance_job(n, TicketStatus::Issued, "S0003", at(Date(2026, 5, 4), 11)); }),
                       "job.brief", n, "JT-4");
    b.a.set_brief(n, complete_brief());
    EXPECT_EQ(b.a.advance_job(n, TicketStatus::Issued, "S0003", at(Date(2026, 5, 4), 11)).status, TicketStatus::Issued);
    // a research ticket needs objective, method and sample
    NewJob r = b.spec(Department::Research, JobType::Research, at(Date(2026, 5, 4), 9), at(Date(2026, 6, 1), 17));
    r.brief.research_method.clear();
    const std::string rn = b.open(r);
    b.step(rn, TicketStatus::Approved, at(Date(2026, 5, 4), 10));
    const auto re = refused_unchanged<StateError>(
        b.a, [&](Agency& g) { g.advance_job(rn, TicketStatus::Issued, "S0003", at(Date(2026, 5, 4), 11)); });
    book::expect_names(re, "job.brief", rn, "JT-4");
    ASSERT_TRUE(re.has_value());
    EXPECT_TRUE(contains(re->what(), "research method")) << re->what();
}

TEST(JobBrief, TheBriefIsFixedOnceIssued) {
    JobBook b;
    const std::string n = b.open(b.spec());
    Brief changed = complete_brief();
    changed.key_message = "Real beef, real fast.";
    EXPECT_EQ(b.a.set_brief(n, changed).brief.key_message, "Real beef, real fast.");
    b.issue(n, at(Date(2026, 5, 4), 10));
    expect_refused<StateError>(b.a, [&](Agency& g) { g.set_brief(n, complete_brief()); }, "job.status", "Issued", "JT-4");
    Brief bad = complete_brief();
    bad.budget = Money::parse("1.00", "USD");
    const std::string draft = b.open(b.spec());
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_brief(draft, bad); }, "brief.budget", "USD", "JT-4");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.set_brief("MD-202605-99", bad); }, "job.number",
                                  "MD-202605-99", "JT-1");
}

// ---------------------------------------------------------------- JT-5 strategy first

TEST(JobStrategy, ACreativeTicketNeedsAnApprovedPlanForItsBrand) {
    JobBook b;
    const std::string cr = b.open(b.spec(Department::Creative));
    b.step(cr, TicketStatus::Approved, at(Date(2026, 5, 4), 10));
    const auto issue = [&](Agency& g) { g.advance_job(cr, TicketStatus::Issued, "S0003", at(Date(2026, 5, 6), 9)); };
    expect_refused<StateError>(b.a, issue, "job.brand", "Acme Noodles", "JT-5");
    // a plan for another brand of the client does not count
    b.approve_strategy(at(Date(2026, 4, 28), 10), "Acme Tea");
    expect_refused<StateError>(b.a, issue, "job.brand", "Acme Noodles", "JT-5");
    // nor does a plan that is only proposed
    const std::string draft = b.a.create_plan(plan_spec(b.acme, "Acme Noodles", at(Date(2026, 4, 20), 10))).id;
    b.a.propose_plan(draft, "S0003", at(Date(2026, 4, 29), 10));
    expect_refused<StateError>(b.a, issue, "job.brand", "Acme Noodles", "JT-5");
    // a plan approved after the issue date does not count for it either
    const std::string plan = b.approve_strategy(at(Date(2026, 5, 7), 10));
    expect_refused<StateError>(b.a, issue, "job.brand", "Acme Noodles", "JT-5");
    // once approved, the ticket is issued and records the plan it follows
    const JobTicket& t = b.a.advance_job(cr, TicketStatus::Issued, "S0003", at(Date(2026, 5, 7), 11));
    EXPECT_EQ(t.status, TicketStatus::Issued);
    EXPECT_EQ(t.plan, std::optional<std::string>(plan));
    // other departments need no plan: a media ticket for Beta is issued without one
    NewJob media = b.spec(Department::Media);
    media.client = b.beta;
    media.brand = "Beta EV";
    const std::string md = b.open(media);
    b.issue(md, at(Date(2026, 5, 4), 10));
    EXPECT_EQ(b.a.job(md).status, TicketStatus::Issued);
    EXPECT_FALSE(b.a.job(md).plan.has_value());
    // the same holds for production and research
    for (Department d : {Department::Production, Department::Research, Department::Account}) {
        NewJob s = b.spec(d, JobType::Other);
        s.client = b.beta;
        s.brand = "Beta EV";
        const std::string n = b.open(s);
        b.issue(n, at(Date(2026, 5, 4), 10));
        EXPECT_EQ(b.a.job(n).status, TicketStatus::Issued) << n;
    }
}

// JT-5 holds at the moment of issue: a plan the client approves later that same day is not
// yet a strategy at 09:00.
TEST(JobStrategy, APlanApprovedLaterTheSameDayDoesNotCoverAnEarlierIssue) {
    JobBook b;
    const std::string cr = b.open(b.spec(Department::Creative));
    b.step(cr, TicketStatus::Approved, at(Date(2026, 5, 6), 8));
    b.approve_strategy(at(Date(2026, 5, 7), 15));
    expect_refused<StateError>(
        b.a, [&](Agency& g) { g.advance_job(cr, TicketStatus::Issued, "S0003", at(Date(2026, 5, 7), 9)); }, "job.brand",
        "Acme Noodles", "JT-5");
    EXPECT_EQ(b.a.advance_job(cr, TicketStatus::Issued, "S0003", at(Date(2026, 5, 7), 15)).status, TicketStatus::Issued);
    // approved_plan at an instant: the approval itself counts, a moment before it does not
    ASSERT_NE(b.a.approved_plan(b.acme, "Acme Noodles", at(Date(2026, 5, 7), 15)), nullptr);
    EXPECT_EQ(b.a.approved_plan(b.acme, "Acme Noodles", at(Date(2026, 5, 7), 14, 59, 59)), nullptr);
    EXPECT_NE(b.a.approved_plan(b.acme, "Acme Noodles", Date(2026, 5, 7)), nullptr);  // by the close of the day
    EXPECT_EQ(b.a.approved_plan(b.acme, "Acme Noodles", Date(2026, 5, 6)), nullptr);
}

TEST(JobStrategy, ACreativeRevisionNeedsTheStrategyToo) {
    JobBook b;
    const std::string plan = b.approve_strategy(at(Date(2026, 4, 28), 10));
    const std::string cr = b.open(b.spec(Department::Creative));
    b.issue(cr, at(Date(2026, 5, 4), 10));
    EXPECT_EQ(b.a.job(cr).plan, std::optional<std::string>(plan));
    b.open(b.spec());
    b.open(b.spec());
    const std::string rev = b.open(b.revision_of(cr, at(Date(2026, 5, 5), 9), at(Date(2026, 6, 1), 17)));
    b.issue(rev, at(Date(2026, 5, 5), 10));
    EXPECT_EQ(b.a.job(rev).plan, std::optional<std::string>(plan));
    // a new version of the plan supersedes it: later tickets follow the new one
    const std::string v2 = b.a.new_plan_version(plan, "S0003", at(Date(2026, 5, 11), 9)).id;
    b.a.propose_plan(v2, "S0003", at(Date(2026, 5, 11), 10));
    b.a.approve_plan(v2, "K01", at(Date(2026, 5, 12), 10));
    const std::string later = b.open(b.spec(Department::Creative, JobType::Other, at(Date(2026, 5, 12), 11),
                                            at(Date(2026, 6, 1), 17)));
    b.issue(later, at(Date(2026, 5, 12), 12));
    EXPECT_EQ(b.a.job(later).plan, std::optional<std::string>(v2));
}

// ---------------------------------------------------------------- JT-6 lead time

TEST(JobLeadTime, EachJobTypeHasItsDefaultMinimum) {
    const std::vector<std::pair<JobType, int>> defaults{{JobType::TVCommercial, 20}, {JobType::PrintAd, 5},
                                                        {JobType::PointOfSale, 7},   {JobType::MediaPlan, 10},
                                                        {JobType::Research, 15},     {JobType::Other, 3}};
    JobBook b;
    const Date monday(2026, 6, 1);
    int opened = 0;
    for (const auto& [type, days] : defaults) {
        EXPECT_EQ(b.a.policy().lead_time_days(type), days) << to_string(type);
        const Date too_soon = b.a.calendar().add_business_days(monday, days - 1);
        const Date enough = b.a.calendar().add_business_days(monday, days);
        const NewJob short_spec = b.spec(Department::Production, type, at(monday, 9), at(too_soon, 17));
        const auto e = refused_unchanged<ValidationError>(b.a, [&](Agency& g) { g.open_job(short_spec); });
        book::expect_names(e, "job.client_deadline", bp::to_iso_extended_string(at(too_soon, 17)), "JT-6");
        ASSERT_TRUE(e.has_value());
        EXPECT_TRUE(contains(e->what(), std::string("leaves ").append(std::to_string(days - 1)).append(" business days")))
            << e->what();
        EXPECT_TRUE(contains(e->what(), std::string("needs ").append(std::to_string(days)))) << e->what();
        EXPECT_TRUE(contains(e->what(), std::string(to_string(type)))) << e->what();
        EXPECT_NO_THROW(b.a.open_job(b.spec(Department::Production, type, at(monday, 9), at(enough, 17))))
            << to_string(type);
        ++opened;
    }
    EXPECT_EQ(static_cast<int>(b.a.jobs().size()), opened);
    // a print ad opened Monday 05-04 for Friday 05-08 has 4 business days; for Monday 05-11, 5
    const NewJob friday = b.spec(Department::Creative, JobType::PrintAd, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 8), 17));
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(friday); }, "job.client_deadline",
                                    "2026-05-08T17:00:00", "JT-6");
    EXPECT_EQ(b.open(b.spec(Department::Creative, JobType::PrintAd, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 11), 10))),
              "CR-202605-01");
}

TEST(JobLeadTime, ComesFromThePolicyAndTheCalendar) {
    JobBook b;
    b.a.policy().set_lead_time_days(JobType::PrintAd, 7);
    const NewJob s = b.spec(Department::Creative, JobType::PrintAd, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 12), 17));
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(s); }, "job.client_deadline", "2026-05-12T17:00:00",
                                    "JT-6");
    EXPECT_NO_THROW(
        b.a.open_job(b.spec(Department::Creative, JobType::PrintAd, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 13), 17))));
    // a holiday inside the window takes a day away
    b.a.calendar().add_holiday(Date(2026, 5, 6));
    const NewJob t = b.spec(Department::Creative, JobType::PrintAd, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 13), 17));
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(t); }, "job.client_deadline", "2026-05-13T17:00:00",
                                    "JT-6");
    // a lead time of 0 allows the next business day... and the same day
    b.a.policy().set_lead_time_days(JobType::Other, 0);
    EXPECT_NO_THROW(b.a.open_job(b.spec(Department::Media, JobType::Other, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 4), 17))));
}

TEST(JobLeadTime, AnAmOrAdMayOverrideWithAWrittenReason) {
    JobBook b;
    NewJob s = b.spec(Department::Creative, JobType::TVCommercial, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 15), 17));
    // without an override: refused
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(s); }, "job.client_deadline", "2026-05-15T17:00:00",
                                    "JT-6");
    // an AE or AAE may not override
    for (const char* junior : {"S0003", "S0005"}) {
        s.lead_time_override = LeadTimeOverride{junior, "the launch date is fixed"};
        expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(s); }, "job.lead_time_override.approver", junior,
                                        "JT-6");
    }
    s.lead_time_override = LeadTimeOverride{"S0099", "the launch date is fixed"};
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.open_job(s); }, "job.lead_time_override.approver", "S0099",
                                  "JT-6");
    // the reason is written
    for (const char* reason : {"", "   "}) {
        s.lead_time_override = LeadTimeOverride{"S0002", reason};
        expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(s); }, "job.lead_time_override.reason",
                                        std::string("\"") + reason + "\"", "JT-6");
    }
    EXPECT_TRUE(b.a.jobs().empty());
    // an AM ...
    s.lead_time_override = LeadTimeOverride{"S0002", "  the launch date is fixed by the client "};
    const JobTicket& t = b.a.open_job(s);
    EXPECT_EQ(t.number, "CR-202605-01");
    ASSERT_TRUE(t.lead_time_override.has_value());
    EXPECT_EQ(t.lead_time_override->approver, "S0002");
    EXPECT_EQ(t.lead_time_override->reason, "the launch date is fixed by the client");
    // ... or an AD
    s.lead_time_override = LeadTimeOverride{"S0001", "festival"};
    EXPECT_EQ(b.a.open_job(s).lead_time_override, (std::optional<LeadTimeOverride>(LeadTimeOverride{"S0001", "festival"})));
    // the override survives a round trip
    EXPECT_TRUE(Agency::from_json(b.a.to_json()) == b.a);
    // an override does not make a past or non-business-day deadline acceptable
    s.client_deadline = at(Date(2026, 5, 3), 17);
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(s); }, "job.client_deadline", "2026-05-03T17:00:00",
                                    "JT-6");
    s.client_deadline = at(Date(2026, 5, 9), 17);
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(s); }, "job.client_deadline", "2026-05-09T17:00:00",
                                    "JT-7");
    // an AM who has left may not override
    const std::string former = b.a.add_staff(book::person("Former AM", aecore::Title::AM, "S0001")).id;
    aecore::StaffUpdate leave;
    leave.active = false;
    b.a.update_staff(former, leave);
    s.client_deadline = at(Date(2026, 5, 15), 17);
    s.lead_time_override = LeadTimeOverride{former, "reason"};
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.open_job(s); }, "job.lead_time_override.approver", former,
                                    "JT-6");
}

// ---------------------------------------------------------------- JT-7 internal due

TEST(JobInternalDue, IsHalfABusinessDayBeforeTheClientDeadline) {
    JobBook b;
    // Monday 10:00 -> the previous business day (Friday) 14:30, with a 09:00-18:00 day
    const std::string n = b.open(b.spec(Department::Media, JobType::Other, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 11), 10)));
    EXPECT_EQ(b.a.internal_due(b.a.job(n)), at(Date(2026, 5, 8), 14, 30));
    // Wednesday 17:00 -> Wednesday 12:30
    b.a.set_client_deadline(n, at(Date(2026, 5, 13), 17));
    EXPECT_EQ(b.a.job(n).client_deadline, at(Date(2026, 5, 13), 17));
    EXPECT_EQ(b.a.internal_due(b.a.job(n)), at(Date(2026, 5, 13), 12, 30));
    // at the opening of the day: the previous business day 13:30
    b.a.set_client_deadline(n, at(Date(2026, 5, 13), 9));
    EXPECT_EQ(b.a.internal_due(b.a.job(n)), at(Date(2026, 5, 12), 13, 30));
    // after hours counts from the close of business
    b.a.set_client_deadline(n, at(Date(2026, 5, 13), 21));
    EXPECT_EQ(b.a.internal_due(b.a.job(n)), at(Date(2026, 5, 13), 13, 30));
}

TEST(JobInternalDue, FollowsCalendarChanges) {
    JobBook b;
    const std::string n = b.open(b.spec(Department::Media, JobType::Other, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 11), 10)));
    EXPECT_EQ(b.a.internal_due(b.a.job(n)), at(Date(2026, 5, 8), 14, 30));
    // Friday becomes a holiday: Thursday 14:30
    b.a.calendar().add_holiday(Date(2026, 5, 8));
    EXPECT_EQ(b.a.internal_due(b.a.job(n)), at(Date(2026, 5, 7), 14, 30));
    // Saturday 05-09 is worked (调休): Saturday 14:30
    b.a.calendar().add_working_weekend_day(Date(2026, 5, 9));
    EXPECT_EQ(b.a.internal_due(b.a.job(n)), at(Date(2026, 5, 9), 14, 30));
    b.a.calendar().remove_working_weekend_day(Date(2026, 5, 9));
    b.a.calendar().remove_holiday(Date(2026, 5, 8));
    // working hours 09:00-17:00: half a day is 4 h, so Friday 14:00
    b.a.calendar().set_working_hours(bp::hours(9), bp::hours(17));
    EXPECT_EQ(b.a.internal_due(b.a.job(n)), at(Date(2026, 5, 8), 14));
    // a whole new calendar
    aecore::BusinessCalendar cal;
    cal.add_holiday(Date(2026, 5, 8));
    cal.add_holiday(Date(2026, 5, 7));
    b.a.set_calendar(cal);
    EXPECT_EQ(b.a.internal_due(b.a.job(n)), at(Date(2026, 5, 6), 14, 30));
}

TEST(JobInternalDue, DeadlineChangesAreCheckedLikeTheOpening) {
    JobBook b;
    const std::string n = b.open(b.spec());
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_client_deadline(n, at(Date(2026, 5, 16), 12)); },
                                    "job.client_deadline", "2026-05-16T12:00:00", "JT-7");
    b.a.calendar().add_holiday(Date(2026, 5, 20));
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_client_deadline(n, at(Date(2026, 5, 20), 12)); },
                                    "job.client_deadline", "2026-05-20T12:00:00", "JT-7");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_client_deadline(n, at(Date(2026, 5, 4), 9)); },
                                    "job.client_deadline", "2026-05-04T09:00:00", "JT-7");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.set_client_deadline(n, DateTime()); }, "job.client_deadline",
                                    "not-a-date-time", "JT-7");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.set_client_deadline("MD-202605-09", at(Date(2026, 5, 19), 9)); },
                                  "job.number", "MD-202605-09", "JT-1");
    // a closed or cancelled ticket keeps its deadline
    b.walk_to(n, TicketStatus::Closed, at(Date(2026, 5, 5), 9));
    expect_refused<StateError>(b.a, [&](Agency& g) { g.set_client_deadline(n, at(Date(2026, 5, 19), 9)); }, "job.status",
                               "Closed", "JT-7");
    const std::string c = b.open(b.spec());
    b.step(c, TicketStatus::Cancelled, at(Date(2026, 5, 5), 9));
    expect_refused<StateError>(b.a, [&](Agency& g) { g.set_client_deadline(c, at(Date(2026, 5, 19), 9)); }, "job.status",
                               "Cancelled", "JT-7");
    // an open ticket in any other state may move
    const std::string m = b.open(b.spec());
    b.walk_to(m, TicketStatus::ClientReview, at(Date(2026, 5, 5), 9));
    EXPECT_EQ(b.a.set_client_deadline(m, at(Date(2026, 5, 19), 9)).client_deadline, at(Date(2026, 5, 19), 9));
}

// ---------------------------------------------------------------- JT-8 / JT-9 workflow

TEST(JobWorkflow, TheWholePathWithItsHistory) {
    JobBook b;
    const std::string n = b.open(b.spec());
    const Date d(2026, 5, 4);
    const std::vector<std::tuple<TicketStatus, const char*, DateTime, const char*>> steps{
        {TicketStatus::Approved, "S0002", at(d, 10), "signed by the AM"},
        {TicketStatus::Issued, "S0003", at(d, 11), ""},
        {TicketStatus::InProgress, "S0005", at(d, 13), "started"},
        {TicketStatus::InternalReview, "S0002", at(d + bg::days(1), 9), ""},
        {TicketStatus::InProgress, "S0003", at(d + bg::days(1), 10), "internal rework"},  // not a revision round
        {TicketStatus::InternalReview, "S0002", at(d + bg::days(2), 9), ""},
        {TicketStatus::ClientReview, "S0003", at(d + bg::days(2), 15), "sent to Mr Zhao"},
        {TicketStatus::InProgress, "S0003", at(d + bg::days(3), 9), "client wants a warmer ending"},
        {TicketStatus::InternalReview, "S0002", at(d + bg::days(4), 9), ""},
        {TicketStatus::ClientReview, "S0003", at(d + bg::days(4), 15), ""},
        {TicketStatus::InProgress, "S0003", at(d + bg::days(7), 9), "and a different product shot"},
        {TicketStatus::InternalReview, "S0002", at(d + bg::days(8), 9), ""},
        {TicketStatus::ClientReview, "S0003", at(d + bg::days(8), 10), ""},
        {TicketStatus::ClientApproved, "S0003", at(d + bg::days(9), 10), "signed off"},
        {TicketStatus::Closed, "S0001", at(d + bg::days(10), 17), ""}};
    std::vector<TicketTransition> history;
    TicketStatus from = TicketStatus::Draft;
    int rounds = 0;
    for (const auto& [to, actor, when, note] : steps) {
        const JobTicket& t = b.a.advance_job(n, to, actor, when, note);
        rounds += from == TicketStatus::ClientReview && to == TicketStatus::InProgress;
        history.push_back(TicketTransition{from, to, when, actor, note});
        EXPECT_EQ(t.status, to);
        EXPECT_EQ(t.history, history);
        EXPECT_EQ(t.revision_rounds, rounds) << to_string(to);
        from = to;
    }
    const JobTicket& t = b.a.job(n);
    EXPECT_EQ(t.revision_rounds, 2);
    EXPECT_EQ(t.history.size(), 15u);
    // the history answers "what was the status then?" and "when was it first reached?"
    EXPECT_EQ(t.status_before(at(d, 9)), std::nullopt);  // not yet opened
    EXPECT_EQ(t.status_before(at(d, 9, 0, 1)), std::optional(TicketStatus::Draft));
    EXPECT_EQ(t.status_before(at(d, 10)), std::optional(TicketStatus::Draft));
    EXPECT_EQ(t.status_before(at(d, 10, 0, 1)), std::optional(TicketStatus::Approved));
    EXPECT_EQ(t.status_before(at(d + bg::days(3), 12)), std::optional(TicketStatus::InProgress));
    EXPECT_EQ(t.status_before(at(d + bg::days(30), 0)), std::optional(TicketStatus::Closed));
    EXPECT_EQ(t.reached(TicketStatus::InProgress), std::optional(at(d, 13)));
    EXPECT_EQ(t.reached(TicketStatus::ClientReview), std::optional(at(d + bg::days(2), 15)));
    EXPECT_EQ(t.reached(TicketStatus::Cancelled), std::nullopt);
    // the history survives a round trip
    const Agency loaded = Agency::from_json(b.a.to_json());
    EXPECT_TRUE(loaded.job(n) == t);
}

TEST(JobWorkflow, InvalidTransitionsAreRefusedAndChangeNothing) {
    JobBook b;
    using S = TicketStatus;
    const std::vector<S> all{S::Draft,          S::Approved,       S::Issued, S::InProgress, S::InternalReview,
                             S::ClientReview,   S::ClientApproved, S::Closed, S::Cancelled};
    const std::set<std::pair<S, S>> allowed{
        {S::Draft, S::Approved},           {S::Approved, S::Issued},           {S::Issued, S::InProgress},
        {S::InProgress, S::InternalReview}, {S::InternalReview, S::ClientReview}, {S::InternalReview, S::InProgress},
        {S::ClientReview, S::ClientApproved}, {S::ClientReview, S::InProgress}, {S::ClientApproved, S::Closed}};
    const DateTime when = at(Date(2026, 5, 20), 9);
    for (S from : all) {
        // a ticket in `from`
        const std::string n = b.open(b.spec());
        if (from == S::Cancelled) {
            b.step(n, S::Cancelled, at(Date(2026, 5, 4), 10));
        } else {
            b.walk_to(n, from, at(Date(2026, 5, 4), 10));
        }
        for (S to : all) {
            const bool ok = allowed.contains({from, to}) || (to == S::Cancelled && from != S::Closed && from != S::Cancelled);
            if (ok) {
                Agency copy = b.a;
                EXPECT_NO_THROW(copy.advance_job(n, to, "S0002", when, "reason")) << to_string(from) << " -> " << to_string(to);
                continue;
            }
            const auto e =
                refused_unchanged<StateError>(b.a, [&](Agency& g) { g.advance_job(n, to, "S0002", when, "reason"); });
            // closing without client approval is JT-9, every other invalid step JT-8
            book::expect_names(e, "job.status", std::string(to_string(from)), to == S::Closed ? "JT-9" : "JT-8");
        }
    }
}

TEST(JobWorkflow, ApprovalIsSignedByAnAmOrAd) {
    JobBook b;
    const std::string n = b.open(b.spec());
    for (const char* junior : {"S0003", "S0004", "S0005"})
        expect_refused<ValidationError>(
            b.a, [&](Agency& g) { g.advance_job(n, TicketStatus::Approved, junior, at(Date(2026, 5, 4), 10)); },
            "job.actor", junior, "JT-8");
    expect_refused<NotFoundError>(
        b.a, [&](Agency& g) { g.advance_job(n, TicketStatus::Approved, "S0099", at(Date(2026, 5, 4), 10)); }, "job.actor",
        "S0099", "JT-8");
    Agency with_ad = b.a;
    EXPECT_EQ(with_ad.advance_job(n, TicketStatus::Approved, "S0001", at(Date(2026, 5, 4), 10)).history.back().actor,
              "S0001");
    EXPECT_EQ(b.a.advance_job(n, TicketStatus::Approved, "S0002", at(Date(2026, 5, 4), 10)).history.back().actor, "S0002");
    // the other steps may be taken by anyone on the staff, but by someone active
    aecore::StaffUpdate leave;
    leave.active = false;
    b.a.update_staff("S0005", leave);
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.advance_job(n, TicketStatus::Issued, "S0005", at(Date(2026, 5, 4), 11)); }, "job.actor",
        "S0005", "JT-8");
    EXPECT_NO_THROW(b.a.advance_job(n, TicketStatus::Issued, "S0004", at(Date(2026, 5, 4), 11)));
}

TEST(JobWorkflow, TimeRunsForwardAndTheNoteIsText) {
    JobBook b;
    const std::string n = b.open(b.spec());
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.advance_job(n, TicketStatus::Approved, "S0002", at(Date(2026, 5, 4), 8)); }, "job.at",
        "2026-05-04T08:00:00", "JT-8");
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.advance_job(n, TicketStatus::Approved, "S0002", DateTime()); }, "job.at",
        "not-a-date-time", "JT-8");
    b.step(n, TicketStatus::Approved, at(Date(2026, 5, 4), 12));
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.advance_job(n, TicketStatus::Issued, "S0003", at(Date(2026, 5, 4), 11, 59)); }, "job.at",
        "2026-05-04T11:59:00", "JT-8");
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.advance_job(n, TicketStatus::Issued, "S0003", at(Date(2026, 5, 4), 13), "a\x02"); },
        "job.note", "a", "JT-8");
    // the same instant as the last change is fine
    EXPECT_NO_THROW(b.a.advance_job(n, TicketStatus::Issued, "S0003", at(Date(2026, 5, 4), 12)));
}

TEST(JobWorkflow, CancellingNeedsAReasonAndWorksFromEveryOpenState) {
    JobBook b;
    const std::string n = b.open(b.spec());
    for (const char* blank : {"", "  \n\t"})
        expect_refused<ValidationError>(
            b.a, [&](Agency& g) { g.advance_job(n, TicketStatus::Cancelled, "S0003", at(Date(2026, 5, 4), 10), blank); },
            "job.note", "\"", "JT-8");
    for (TicketStatus s : {TicketStatus::Draft, TicketStatus::Approved, TicketStatus::Issued, TicketStatus::InProgress,
                           TicketStatus::InternalReview, TicketStatus::ClientReview, TicketStatus::ClientApproved}) {
        const std::string t = b.open(b.spec());
        b.walk_to(t, s, at(Date(2026, 5, 4), 10));
        const JobTicket& c = b.a.advance_job(t, TicketStatus::Cancelled, "S0003", at(Date(2026, 5, 5), 9), "budget cut");
        EXPECT_EQ(c.status, TicketStatus::Cancelled) << to_string(s);
        EXPECT_EQ(c.history.back(), (TicketTransition{s, TicketStatus::Cancelled, at(Date(2026, 5, 5), 9), "S0003",
                                                      "budget cut"}));
    }
    // a cancelled ticket stays cancelled; a closed one cannot be cancelled
    const std::string closed = b.open(b.spec());
    b.walk_to(closed, TicketStatus::Closed, at(Date(2026, 5, 4), 10));
    expect_refused<StateError>(
        b.a, [&](Agency& g) { g.advance_job(closed, TicketStatus::Cancelled, "S0003", at(Date(2026, 5, 6), 9), "oops"); },
        "job.status", "Closed", "JT-8");
}

TEST(JobWorkflow, ClosingNeedsClientApproval) {
    JobBook b;
    for (TicketStatus s : {TicketStatus::Draft, TicketStatus::Approved, TicketStatus::Issued, TicketStatus::InProgress,
                           TicketStatus::InternalReview, TicketStatus::ClientReview}) {
        const std::string n = b.open(b.spec());
        b.walk_to(n, s, at(Date(2026, 5, 4), 10));
        const auto e = refused_unchanged<StateError>(
            b.a, [&](Agency& g) { g.advance_job(n, TicketStatus::Closed, "S0001", at(Date(2026, 5, 6), 9)); });
        book::expect_names(e, "job.status", std::string(to_string(s)), "JT-9");
        ASSERT_TRUE(e.has_value());
        EXPECT_TRUE(contains(e->what(), "ClientApproved")) << e->what();
    }
    const std::string n = b.open(b.spec());
    b.walk_to(n, TicketStatus::ClientApproved, at(Date(2026, 5, 4), 10));
    EXPECT_EQ(b.a.advance_job(n, TicketStatus::Closed, "S0001", at(Date(2026, 5, 6), 9)).status, TicketStatus::Closed);
}

TEST(JobWorkflow, AssigneesAreActiveStaff) {
    JobBook b;
    const std::string n = b.open(b.spec());
    EXPECT_EQ(b.a.set_assignees(n, {"S0004", "S0005"}).assignees, (std::vector<std::string>{"S0004", "S0005"}));
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.set_assignees(n, {"S0004", "S0077"}); }, "job.assignees",
                                  "S0077", "JT-3");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.set_assignees("MD-202605-42", {}); }, "job.number",
                                  "MD-202605-42", "JT-1");
}

// ---------------------------------------------------------------- JT-10 time sheets

TEST(JobTime, IsAcceptedOnlyWhileTheTicketIsBeingWorkedOn) {
    JobBook b;
    using S = TicketStatus;
    const Date day(2026, 5, 6);
    for (S s : {S::Draft, S::Approved, S::Issued, S::InProgress, S::InternalReview, S::ClientReview, S::ClientApproved,
                S::Closed, S::Cancelled}) {
        const std::string n = b.open(b.spec());
        if (s == S::Cancelled)
            b.step(n, S::Cancelled, at(Date(2026, 5, 4), 10));
        else
            b.walk_to(n, s, at(Date(2026, 5, 4), 10));
        EXPECT_EQ(aecore::accepts_time(s), s == S::Issued || s == S::InProgress || s == S::InternalReview ||
                                               s == S::ClientReview);
        if (aecore::accepts_time(s)) {
            EXPECT_EQ(b.a.log_time(b.time("S0005", n, day, "0.5")).job, n) << to_string(s);
        } else {
            const auto e = refused_unchanged<StateError>(b.a, [&](Agency& g) { g.log_time(b.time("S0005", n, day, "0.5")); });
            book::expect_names(e, "time.job", n, "JT-10");
            ASSERT_TRUE(e.has_value());
            EXPECT_TRUE(contains(e->what(), std::string(to_string(s)))) << e->what();
        }
    }
    EXPECT_EQ(b.a.time_entries().size(), 4u);
    EXPECT_TRUE(aecore::is_open(S::ClientApproved));
    EXPECT_FALSE(aecore::is_open(S::Closed));
    EXPECT_FALSE(aecore::is_open(S::Cancelled));
}

TEST(JobTime, EntriesRecordTheRateAndAnExactCost) {
    JobBook b;
    const std::string n = b.open(b.spec());
    b.walk_to(n, TicketStatus::InProgress, at(Date(2026, 5, 4), 10));
    NewTimeEntry s = b.time("S0003", n, Date(2026, 5, 5), "1.25");
    s.activity = "storyboard 分镜";
    s.recorded_at = at(Date(2026, 5, 5), 18, 30);
    const TimeEntry& e = b.a.log_time(s);
    EXPECT_EQ(e.id, "TE000001");
    EXPECT_EQ(e.staff, "S0003");
    EXPECT_EQ(e.job, n);
    EXPECT_EQ(e.date, Date(2026, 5, 5));
    EXPECT_EQ(e.hours.to_string(), "1.25");
    EXPECT_EQ(e.activity, "storyboard 分镜");
    EXPECT_EQ(e.rate, cny("180.50"));
    EXPECT_EQ(e.cost, cny("225.62"));  // 225.625, half to even
    EXPECT_EQ(e.status, TimeStatus::Submitted);
    EXPECT_FALSE(e.approved_by.has_value());
    EXPECT_FALSE(e.approved_at.has_value());
    EXPECT_FALSE(e.corrects.has_value());
    EXPECT_EQ(e.recorded_at, at(Date(2026, 5, 5), 18, 30));
    EXPECT_EQ(&b.a.time_entry("TE000001"), &b.a.time_entries().front());
    // more costs, exactly
    const std::vector<std::tuple<const char*, const char*, const char*>> cases{
        {"S0003", "0.75", "135.38"},   // 135.375 -> even 135.38
        {"S0002", "0.75", "250.00"},   // 249.9975
        {"S0002", "3", "999.99"},      {"S0005", "2.50", "300.00"},
        {"S0004", "0.01", "2.00"},     {"S0001", "7.33", "3665.00"}};
    for (const auto& [staff, hours, cost] : cases) {
        const TimeEntry& t = b.a.log_time(b.time(staff, n, Date(2026, 5, 6), hours));
        EXPECT_EQ(t.cost, cny(cost)) << staff << " " << hours;
        EXPECT_EQ(t.cost, t.rate.multiply(t.hours));
    }
    EXPECT_EQ(b.a.time_entries().back().id, "TE000007");
    // the rate is the one at booking time: a later change does not reprice the entry
    aecore::StaffUpdate raise;
    raise.hourly_rate = cny("200.00");
    b.a.update_staff("S0003", raise);
    EXPECT_EQ(b.a.time_entry("TE000001").cost, cny("225.62"));
    EXPECT_EQ(b.a.log_time(b.time("S0003", n, Date(2026, 5, 7), "1.25")).cost, cny("250.00"));
}

TEST(JobTime, AtMost24HoursPerPersonPerDayAndOvertimeAbove8) {
    JobBook b;
    const std::string n = b.open(b.spec());
    const std::string m = b.open(b.spec());
    b.walk_to(n, TicketStatus::InProgress, at(Date(2026, 5, 4), 10));
    b.walk_to(m, TicketStatus::Issued, at(Date(2026, 5, 4), 10));
    const Date day(2026, 5, 6);
    b.log("S0003", n, day, "6");
    EXPECT_EQ(b.a.hours_on("S0003", day), dec("6"));
    EXPECT_EQ(b.a.overtime_on("S0003", day), dec("0"));
    b.log("S0003", m, day, "2");
    EXPECT_EQ(b.a.overtime_on("S0003", day), dec("0"));  // 8 h is not overtime
    b.log("S0003", n, day, "2.5");
    EXPECT_EQ(b.a.hours_on("S0003", day), dec("10.5"));
    EXPECT_EQ(b.a.overtime_on("S0003", day), dec("2.5"));
    EXPECT_EQ(b.a.overtime_on("S0003", day).to_string(), "2.50");
    b.log("S0003", m, day, "13.5");  // exactly 24 h over two tickets
    EXPECT_EQ(b.a.hours_on("S0003", day), dec("24"));
    EXPECT_EQ(b.a.overtime_on("S0003", day), dec("16"));
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.log_time(b.time("S0003", n, day, "0.01")); }, "time.hours",
                                    "0.01", "JT-10");
    // other people and other days are separate
    b.log("S0005", n, day, "24");
    b.log("S0003", n, day + bg::days(1), "9");
    EXPECT_EQ(b.a.overtime_on("S0003", day + bg::days(1)), dec("1"));
    EXPECT_EQ(b.a.overtime_on("S0004", day), dec("0"));
    // a single entry of 25 hours, zero, negative or finer than hundredths
    for (const char* bad : {"25", "24.01", "0", "0.00", "-1", "1.005"})
        expect_refused<ValidationError>(b.a, [&](Agency& g) { g.log_time(b.time("S0004", n, day, bad)); }, "time.hours",
                                        bad, "JT-10");
    // "1.50" is 1.5 hundredths-wise: fine
    EXPECT_EQ(b.a.log_time(b.time("S0004", n, day, "1.50")).hours, dec("1.5"));
}

TEST(JobTime, BadInputIsRefusedAndConsumesNoId) {
    JobBook b;
    const std::string n = b.open(b.spec());
    b.walk_to(n, TicketStatus::InProgress, at(Date(2026, 5, 4), 10));
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.log_time(b.time("S0042", n, Date(2026, 5, 5), "1")); },
                                  "time.staff", "S0042", "JT-10");
    aecore::StaffUpdate leave;
    leave.active = false;
    b.a.update_staff("S0005", leave);
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.log_time(b.time("S0005", n, Date(2026, 5, 5), "1")); },
                                    "time.staff", "S0005", "JT-10");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.log_time(b.time("S0003", n, Date(), "1")); }, "time.date",
                                    "not-a-date", "JT-10");
    NewTimeEntry e = b.time("S0003", n, Date(2026, 5, 5), "1");
    e.recorded_at = DateTime();
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.log_time(e); }, "time.recorded_at", "not-a-date-time",
                                    "JT-10");
    e = b.time("S0003", n, Date(2026, 5, 5), "1");
    e.activity = std::string("bad\x07");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.log_time(e); }, "time.activity", "bad", "JT-10");
    EXPECT_TRUE(b.a.time_entries().empty());
    EXPECT_EQ(b.log("S0003", n, Date(2026, 5, 5), "1"), "TE000001");
}

// A day before the ticket was opened is a bad date (log_time has the check for it).
TEST(JobTime, ADayBeforeTheTicketWasOpenedIsNamedOnTheDate) {
    JobBook b;
    const std::string n = b.open(b.spec());
    b.walk_to(n, TicketStatus::InProgress, at(Date(2026, 5, 4), 10));
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.log_time(b.time("S0003", n, Date(2026, 5, 3), "1")); },
                                    "time.date", "2026-05-03", "JT-10");
}

// JT-10: the ticket's status on the day the work was done decides, so time can be booked
// afterwards for a day the ticket was being worked on — and not for a day it was not.
TEST(JobTime, TheStatusOnTheDayWorkedDecides) {
    JobBook b;
    using S = TicketStatus;
    const std::string n = b.open(b.spec());
    b.step(n, S::Approved, at(Date(2026, 5, 4), 10));                    // Mon: Draft, then Approved
    b.step(n, S::Issued, at(Date(2026, 5, 5), 15));                      // Tue: issued in the afternoon
    b.step(n, S::InProgress, at(Date(2026, 5, 6), 9));
    b.step(n, S::InternalReview, at(Date(2026, 5, 7), 9));
    b.step(n, S::ClientReview, at(Date(2026, 5, 7), 15));
    b.step(n, S::ClientApproved, at(Date(2026, 5, 8), 15));              // Fri: in review until 15:00
    b.step(n, S::Closed, at(Date(2026, 5, 12), 10));                     // Tue after: closed
    // booked after the close, for the days the ticket was being worked on
    for (const Date& d : {Date(2026, 5, 5), Date(2026, 5, 6), Date(2026, 5, 7), Date(2026, 5, 8)}) {
        NewTimeEntry e = b.time("S0003", n, d, "1");
        e.recorded_at = at(Date(2026, 5, 13), 9);
        EXPECT_EQ(b.a.log_time(e).date, d);
    }
    // not for a day it was only Draft/Approved, ClientApproved or Closed
    for (const Date& d : {Date(2026, 5, 4), Date(2026, 5, 11), Date(2026, 5, 12), Date(2026, 5, 13)}) {
        const auto e = refused_unchanged<StateError>(b.a, [&](Agency& g) { g.log_time(b.time("S0003", n, d, "1")); });
        book::expect_names(e, "time.job", n, "JT-10");
        ASSERT_TRUE(e.has_value());
        EXPECT_TRUE(contains(e->what(), bg::to_iso_extended_string(d))) << e->what();
    }
    // a cancelled ticket takes time for the days before it was cancelled, not after
    const std::string c = b.open(b.spec());
    b.walk_to(c, S::InProgress, at(Date(2026, 5, 4), 10));
    b.step(c, S::Cancelled, at(Date(2026, 5, 6), 12), "client stopped the project");
    EXPECT_NO_THROW(b.a.log_time(b.time("S0005", c, Date(2026, 5, 6), "3")));
    expect_refused<StateError>(b.a, [&](Agency& g) { g.log_time(b.time("S0005", c, Date(2026, 5, 7), "3")); }, "time.job",
                               c, "JT-10");
}

// The entry names the job it is booked to: an unknown one is reported on that field.
TEST(JobTime, UnknownJobIsNamedOnTheTimeEntry) {
    JobBook b;
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.log_time(b.time("S0003", "MD-202605-01", Date(2026, 5, 5), "1")); },
                                  "time.job", "MD-202605-01", "JT-10");
}

TEST(JobTime, ApprovalByTheManagerNeverByThemselves) {
    JobBook b;
    const std::string n = b.open(b.spec());
    b.walk_to(n, TicketStatus::InProgress, at(Date(2026, 5, 4), 10));
    const std::string mine = b.log("S0003", n, Date(2026, 5, 5), "4");   // S0003's manager is S0002
    const std::string li = b.log("S0005", n, Date(2026, 5, 5), "3");     // S0005's manager is S0003
    const std::string boss = b.log("S0001", n, Date(2026, 5, 5), "1");   // S0001 has no manager
    const DateTime later = at(Date(2026, 5, 6), 9);
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.approve_time(mine, "S0003", later); }, "time.approver",
                                    "S0003", "JT-10");
    // not the manager: the manager's manager, a peer, someone junior
    for (const char* other : {"S0001", "S0004", "S0005"})
        expect_refused<ValidationError>(b.a, [&](Agency& g) { g.approve_time(mine, other, later); }, "time.approver",
                                        other, "JT-10");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.approve_time(boss, "S0001", later); }, "time.approver",
                                    "S0001", "JT-10");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.approve_time(boss, "S0002", later); }, "time.approver",
                                    "S0002", "JT-10");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.approve_time(mine, "S0099", later); }, "time.approver", "S0099",
                                  "JT-10");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.approve_time("TE000099", "S0002", later); }, "time.id",
                                  "TE000099", "JT-10");
    // not before the time was recorded (19:00 on the day)
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.approve_time(mine, "S0002", at(Date(2026, 5, 5), 18)); },
                                    "time.approved_at", "2026-05-05T18:00:00", "JT-10");
    const TimeEntry& ok = b.a.approve_time(mine, "S0002", later);
    EXPECT_EQ(ok.status, TimeStatus::Approved);
    EXPECT_EQ(ok.approved_by, std::optional<std::string>("S0002"));
    EXPECT_EQ(ok.approved_at, std::optional<DateTime>(later));
    // an AE approves the AAE who reports to her
    EXPECT_EQ(b.a.approve_time(li, "S0003", later).approved_by, std::optional<std::string>("S0003"));
}

TEST(JobTime, ApprovedEntriesAreLockedAndCorrectedByNewEntries) {
    JobBook b;
    const std::string n = b.open(b.spec());
    b.walk_to(n, TicketStatus::InProgress, at(Date(2026, 5, 4), 10));
    const Date day(2026, 5, 5);
    const std::string id = b.log("S0003", n, day, "8");
    b.a.approve_time(id, "S0002", at(Date(2026, 5, 6), 9));
    const TimeEntry approved = b.a.time_entry(id);
    expect_refused<StateError>(b.a, [&](Agency& g) { g.approve_time(id, "S0002", at(Date(2026, 5, 7), 9)); },
                               "time.status", "Approved", "JT-10");
    // the correction is a new entry; the approved one stays as it was
    const TimeEntry& c = b.a.correct_time(id, dec("-1.5"), "counted the review twice", at(Date(2026, 5, 7), 9));
    EXPECT_EQ(c.id, "TE000002");
    EXPECT_EQ(c.corrects, std::optional<std::string>(id));
    EXPECT_EQ(c.staff, "S0003");
    EXPECT_EQ(c.job, n);
    EXPECT_EQ(c.date, day);
    EXPECT_EQ(c.hours, dec("-1.5"));
    EXPECT_EQ(c.rate, cny("180.50"));
    EXPECT_EQ(c.cost, cny("-270.75"));
    EXPECT_EQ(c.status, TimeStatus::Submitted);
    EXPECT_EQ(c.activity, "counted the review twice");
    EXPECT_EQ(b.a.time_entry(id), approved);
    EXPECT_EQ(b.a.hours_on("S0003", day), dec("6.5"));
    // the correction is approved like any entry
    EXPECT_EQ(b.a.approve_time(c.id, "S0002", at(Date(2026, 5, 7), 10)).status, TimeStatus::Approved);
    // a correction may add time too, but the day stays within 0..24 h
    EXPECT_EQ(b.a.correct_time(id, dec("2"), "forgot the travel", at(Date(2026, 5, 7), 11)).hours, dec("2"));
    EXPECT_EQ(b.a.hours_on("S0003", day), dec("8.5"));
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.correct_time(id, dec("-8.51"), "x", at(Date(2026, 5, 7), 12)); },
                                    "time.hours", "-8.51", "JT-10");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.correct_time(id, dec("15.51"), "x", at(Date(2026, 5, 7), 12)); },
                                    "time.hours", "15.51", "JT-10");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.correct_time(id, dec("0"), "x", at(Date(2026, 5, 7), 12)); },
                                    "time.hours", "0", "JT-10");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.correct_time(id, dec("0.001"), "x", at(Date(2026, 5, 7), 12)); },
                                    "time.hours", "0.001", "JT-10");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.correct_time("TE000042", dec("1"), "x", at(Date(2026, 5, 7), 12)); },
                                  "time.id", "TE000042", "JT-10");
    EXPECT_EQ(b.a.correct_time(id, dec("-8.5"), "all of it was on another job", at(Date(2026, 5, 7), 12)).id, "TE000004");
    EXPECT_EQ(b.a.hours_on("S0003", day), dec("0"));
    // everything round-trips
    const Agency loaded = Agency::from_json(b.a.to_json());
    EXPECT_TRUE(loaded == b.a);
    EXPECT_EQ(loaded.to_json(), b.a.to_json());
}

// ---------------------------------------------------------------- JT-11 weekly status report

// The week of Monday 2026-05-11 (to Sunday 05-17):
//   MD-202605-01  ACME  opened 05-04, InProgress since 05-05, due Wed 05-13 17:00: late;
//                       4 h on 05-11 and 1.5 h on Sunday 05-17 (2 h on Sunday 05-10 are
//                       the week before)
//   MD-202605-02  ACME  opened 05-04, in ClientReview on 05-11, a change request on 05-12,
//                       ClientReview again on 05-14 (ClientApproved 05-19, Closed 05-20 — the
//                       next week); 3 h on 05-12 corrected by -1 h
//   AC-202605-01  ACME  opened 05-06, ClientApproved 05-12, Closed Wed 05-13: closed this week
//   AC-202605-02  BETA  opened Tue 05-12, still a Draft
//   AC-202605-03  ACME  opened Wed 05-13, Cancelled 05-14
//   AC-202605-04  ACME  opened 05-06, ClientApproved Fri 05-15 on its deadline day, not closed
//   MD-202605-03  ACME  opened Mon 05-18: the next week
struct WeeklyBook : JobBook {
    std::string late, review, closed_now, beta_draft, cancelled, approved, next_week;

    WeeklyBook() {
        using S = TicketStatus;
        late = open(spec(Department::Media, JobType::Other, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 13), 17)));
        step(late, S::Approved, at(Date(2026, 5, 4), 10));
        step(late, S::Issued, at(Date(2026, 5, 4), 11));
        step(late, S::InProgress, at(Date(2026, 5, 5), 9));
        review = open(spec(Department::Media, JobType::Other, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 20), 17)));
        step(review, S::Approved, at(Date(2026, 5, 4), 10));
        step(review, S::Issued, at(Date(2026, 5, 4), 11));
        step(review, S::InProgress, at(Date(2026, 5, 5), 9));
        step(review, S::InternalReview, at(Date(2026, 5, 8), 9));
        step(review, S::ClientReview, at(Date(2026, 5, 11), 10));
        step(review, S::InProgress, at(Date(2026, 5, 12), 9), "new pack shot");
        step(review, S::InternalReview, at(Date(2026, 5, 13), 9));
        step(review, S::ClientReview, at(Date(2026, 5, 14), 9));
        closed_now = open(spec(Department::Account, JobType::Other, at(Date(2026, 5, 6), 9), at(Date(2026, 5, 12), 17)));
        walk_to(closed_now, S::ClientReview, at(Date(2026, 5, 6), 10));
        step(closed_now, S::ClientApproved, at(Date(2026, 5, 12), 12));
        step(closed_now, S::Closed, at(Date(2026, 5, 13), 10));
        NewJob b = spec(Department::Account, JobType::Other, at(Date(2026, 5, 12), 9), at(Date(2026, 6, 1), 17));
        b.client = beta;
        b.brand = "Beta EV";
        beta_draft = open(b);
        cancelled = open(spec(Department::Account, JobType::Other, at(Date(2026, 5, 13), 9), at(Date(2026, 6, 1), 17)));
        step(cancelled, S::Cancelled, at(Date(2026, 5, 14), 9));
        approved = open(spec(Department::Account, JobType::Other, at(Date(2026, 5, 6), 9), at(Date(2026, 5, 15), 17)));
        walk_to(approved, S::ClientReview, at(Date(2026, 5, 6), 10));
        step(approved, S::ClientApproved, at(Date(2026, 5, 15), 16));
        next_week = open(spec(Department::Media, JobType::Other, at(Date(2026, 5, 18), 9), at(Date(2026, 6, 1), 17)));
        // time
        log("S0003", late, Date(2026, 5, 10), "2");
        log("S0003", late, Date(2026, 5, 11), "4");
        log("S0005", late, Date(2026, 5, 17), "1.5");
        const std::string te = log("S0005", review, Date(2026, 5, 12), "3");
        a.correct_time(te, dec("-1"), "one hour was on another job", at(Date(2026, 5, 13), 9));
    }
};

TEST(JobWeeklyStatus, ListsEveryOpenTicketPerClientWithTheWeeksActivity) {
    WeeklyBook b;
    const WeeklyStatus w = b.a.weekly_status(Date(2026, 5, 11));
    EXPECT_EQ(w.week_start, Date(2026, 5, 11));
    EXPECT_EQ(w.opened, 2);  // AC-02 (05-12) and AC-03 (05-13)
    EXPECT_EQ(w.closed, 1);  // AC-01 (05-13)
    ASSERT_EQ(numbers_of(w.rows), (std::vector<std::string>{b.approved, b.late, b.review, b.beta_draft}));
    const WeeklyTicketRow& approved = w.rows[0];
    EXPECT_EQ(approved.client, b.acme);
    EXPECT_EQ(approved.status, TicketStatus::ClientApproved);
    EXPECT_FALSE(approved.late);
    EXPECT_EQ(approved.hours, dec("0"));
    const WeeklyTicketRow& late = w.rows[1];
    EXPECT_EQ(late, (WeeklyTicketRow{b.acme, b.late, "Lunchtime campaign", TicketStatus::InProgress,
                                     at(Date(2026, 5, 13), 17), at(Date(2026, 5, 13), 12, 30), true, 0, dec("5.5")}));
    const WeeklyTicketRow& review = w.rows[2];
    EXPECT_EQ(review.status, TicketStatus::ClientReview);
    EXPECT_EQ(review.client_deadline, at(Date(2026, 5, 20), 17));
    EXPECT_EQ(review.internal_due, at(Date(2026, 5, 20), 12, 30));
    EXPECT_FALSE(review.late);
    EXPECT_EQ(review.revision_rounds, 1);
    EXPECT_EQ(review.hours, dec("2"));
    const WeeklyTicketRow& draft = w.rows[3];
    EXPECT_EQ(draft.client, b.beta);
    EXPECT_EQ(draft.status, TicketStatus::Draft);
    EXPECT_FALSE(draft.late);
    EXPECT_EQ(draft.hours, dec("0"));
}

// The report for a past week shows the tickets as they were then.
TEST(JobWeeklyStatus, ShowsTheStatusAsItWasInThatWeek) {
    WeeklyBook b;
    const WeeklyStatus before = b.a.weekly_status(Date(2026, 5, 4));
    EXPECT_EQ(before.opened, 4);  // MD-01, MD-02 (05-04), AC-01, AC-04 (05-06)
    EXPECT_EQ(before.closed, 0);
    ASSERT_EQ(numbers_of(before.rows), (std::vector<std::string>{b.closed_now, b.approved, b.late, b.review}));
    EXPECT_EQ(before.rows[0].status, TicketStatus::ClientReview);
    EXPECT_EQ(before.rows[2].status, TicketStatus::InProgress);
    EXPECT_FALSE(before.rows[2].late);  // due 05-13, not yet
    EXPECT_EQ(before.rows[2].hours, dec("2"));  // Sunday 05-10
    EXPECT_EQ(before.rows[3].status, TicketStatus::InternalReview);
    EXPECT_EQ(before.rows[3].revision_rounds, 0);
    // the week after: the change-requested ticket is approved then closed on 05-20
    b.step(b.review, TicketStatus::ClientApproved, at(Date(2026, 5, 19), 10));
    b.step(b.review, TicketStatus::Closed, at(Date(2026, 5, 20), 10));
    b.step(b.late, TicketStatus::InternalReview, at(Date(2026, 5, 19), 10));
    const WeeklyStatus after = b.a.weekly_status(Date(2026, 5, 18));
    EXPECT_EQ(after.opened, 1);
    EXPECT_EQ(after.closed, 1);
    ASSERT_EQ(numbers_of(after.rows), (std::vector<std::string>{b.approved, b.late, b.next_week, b.beta_draft}));
    EXPECT_EQ(after.rows[1].status, TicketStatus::InternalReview);
    EXPECT_TRUE(after.rows[1].late);
    EXPECT_EQ(after.rows[2].status, TicketStatus::Draft);
    // ... and the week of 05-11 still reads as before
    const WeeklyStatus again = b.a.weekly_status(Date(2026, 5, 11));
    EXPECT_EQ(numbers_of(again.rows), (std::vector<std::string>{b.approved, b.late, b.review, b.beta_draft}));
    EXPECT_EQ(again.rows[2].status, TicketStatus::ClientReview);
    EXPECT_EQ(again.closed, 1);
    // a week before anything was opened is empty
    const WeeklyStatus empty = b.a.weekly_status(Date(2026, 4, 27));
    EXPECT_TRUE(empty.rows.empty());
    EXPECT_EQ(empty.opened, 0);
    EXPECT_EQ(empty.closed, 0);
}

TEST(JobWeeklyStatus, TheWeekStartsOnAMonday) {
    WeeklyBook b;
    for (const Date& d : {Date(2026, 5, 12), Date(2026, 5, 17), Date(2026, 5, 10)})
        expect_refused<ValidationError>(b.a, [&](Agency& g) { (void)g.weekly_status(d); }, "week_start",
                                        bg::to_iso_extended_string(d), "JT-11");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { (void)g.weekly_status(Date()); }, "week_start", "not-a-date",
                                    "JT-11");
}

// Rows come by client, then job number — in the order the numbers were issued, also past 99.
TEST(JobWeeklyStatus, RowsFollowTheNumberOrderPast99) {
    JobBook b;
    std::vector<std::string> issued;
    for (int i = 0; i < 101; ++i)
        issued.push_back(b.open(b.spec(Department::Media, JobType::Other, at(Date(2026, 6, 1), 9), at(Date(2026, 6, 30), 17))));
    const WeeklyStatus w = b.a.weekly_status(Date(2026, 6, 1));
    EXPECT_EQ(w.opened, 101);
    ASSERT_EQ(w.rows.size(), 101u);
    EXPECT_EQ(numbers_of(w.rows), issued);
}

// ---------------------------------------------------------------- JT-12 delivery metrics

// Over May-June 2026 (ACME's owner changes from S0003 to S0004 on 06-01):
//   D1 ACME  issued 05-04 12:00, approved 05-08 12:00 (deadline 05-08 17:00): on time,
//            0 rounds, 4 days
//   D2 ACME  issued 05-04 12:00, approved 05-13 18:00 (deadline 05-13 17:00): late,
//            1 round, 9.25 days
//   D3 ACME  issued 06-01 09:00, approved 06-03 21:00 (deadline 06-05): on time, 2 rounds,
//            2.5 days; owner S0004 by then
//   D4 BETA  issued 05-11 09:00, approved 05-12 09:00 exactly on the deadline: on time,
//            1 round, 1 day
//   D5 ACME  approved 07-01: outside the period;  D6 ACME  never approved (cancelled)
struct MetricsBook : JobBook {
    std::string d1, d2, d3, d4, d5, d6;

    // Approved and issued at `issued` - 2 h and `issued`, InProgress 30 min later; `rounds`
    // client change requests; ClientApproved at `approved`.
    std::string deliver(NewJob s, const DateTime& issued, int rounds, const DateTime& approved) {
        using S = TicketStatus;
        const std::string n = open(s);
        step(n, S::Approved, issued - bp::hours(2));
        step(n, S::Issued, issued);
        step(n, S::InProgress, issued + bp::minutes(30));
        DateTime t = issued + bp::hours(1);
        for (int i = 0; i < rounds; ++i) {
            step(n, S::InternalReview, t);
            step(n, S::ClientReview, t + bp::minutes(1));
            step(n, S::InProgress, t + bp::minutes(2));
            t += bp::minutes(3);
        }
        step(n, S::InternalReview, t);
        step(n, S::ClientReview, t + bp::minutes(1));
        step(n, S::ClientApproved, approved);
        return n;
    }

    MetricsBook() {
        const auto job = [&](const DateTime& opened, const DateTime& deadline, const std::string& client = {}) {
            NewJob s = spec(Department::Media, JobType::Other, opened, deadline);
            if (!client.empty()) {
                s.client = client;
                s.brand = "Beta EV";
            }
            return s;
        };
        d1 = deliver(job(at(Date(2026, 5, 4), 9), at(Date(2026, 5, 8), 17)), at(Date(2026, 5, 4), 12), 0,
                     at(Date(2026, 5, 8), 12));
        d2 = deliver(job(at(Date(2026, 5, 4), 9), at(Date(2026, 5, 13), 17)), at(Date(2026, 5, 4), 12), 1,
                     at(Date(2026, 5, 13), 18));
        d3 = deliver(job(at(Date(2026, 5, 28), 9), at(Date(2026, 6, 5), 17)), at(Date(2026, 6, 1), 9), 2,
                     at(Date(2026, 6, 3), 21));
        d4 = deliver(job(at(Date(2026, 5, 6), 9), at(Date(2026, 5, 12), 9), beta), at(Date(2026, 5, 11), 9), 1,
                     at(Date(2026, 5, 12), 9));
        d5 = deliver(job(at(Date(2026, 6, 1), 9), at(Date(2026, 7, 3), 17)), at(Date(2026, 6, 2), 9), 0,
                     at(Date(2026, 7, 1), 10));
        d6 = open(job(at(Date(2026, 5, 4), 9), at(Date(2026, 5, 29), 17)));
        issue(d6, at(Date(2026, 5, 4), 10));
        step(d6, TicketStatus::Cancelled, at(Date(2026, 5, 20), 9));
        aecore::AccountTeam t = book::full_team();
        t.ae = "S0004";
        a.assign_team(acme, t, Date(2026, 6, 1), "S0003 moves to a new account");
    }
};

void expect_metrics(const DeliveryMetrics& m, const std::string& key, int delivered, int on_time, const char* rate,
                    const char* rounds, const char* cycle) {
    EXPECT_EQ(m.key, key);
    EXPECT_EQ(m.delivered, delivered) << key;
    EXPECT_EQ(m.on_time, on_time) << key;
    ASSERT_TRUE(m.on_time_rate && m.avg_revision_rounds && m.avg_cycle_days) << key;
    EXPECT_EQ(m.on_time_rate->to_string(), rate) << key;
    EXPECT_EQ(m.avg_revision_rounds->to_string(), rounds) << key;
    EXPECT_EQ(m.avg_cycle_days->to_string(), cycle) << key;
}

TEST(JobDeliveryMetrics, PerClient) {
    MetricsBook b;
    const auto m = b.a.delivery_metrics(Date(2026, 5, 1), Date(2026, 6, 30), true);
    ASSERT_EQ(m.size(), 2u);
    // ACME: 2 of 3 on time; (0 + 1 + 2) / 3 rounds; (4 + 9.25 + 2.5) / 3 days
    expect_metrics(m[0], b.acme, 3, 2, "0.6667", "1.00", "5.25");
    expect_metrics(m[1], b.beta, 1, 1, "1.0000", "1.00", "1.00");
}

TEST(JobDeliveryMetrics, PerAccountExecutiveByTheTeamWhenDelivered) {
    MetricsBook b;
    const auto m = b.a.delivery_metrics(Date(2026, 5, 1), Date(2026, 6, 30), false);
    ASSERT_EQ(m.size(), 2u);
    // S0003 owned ACME for D1 and D2: 1 of 2 on time, 0.5 rounds, (4 + 9.25) / 2 = 6.625 -> 6.62 (half to even)
    expect_metrics(m[0], "S0003", 2, 1, "0.5000", "0.50", "6.62");
    // S0004: D3 (ACME from 06-01) and D4 (BETA): (2 + 1) / 2 rounds, (2.5 + 1) / 2 days
    expect_metrics(m[1], "S0004", 2, 2, "1.0000", "1.50", "1.75");
}

TEST(JobDeliveryMetrics, ThePeriodBoundsAreInclusive) {
    MetricsBook b;
    // D1 was approved on 05-08: a one-day period holds it
    auto m = b.a.delivery_metrics(Date(2026, 5, 8), Date(2026, 5, 8), true);
    ASSERT_EQ(m.size(), 1u);
    expect_metrics(m[0], b.acme, 1, 1, "1.0000", "0.00", "4.00");
    // D5 was approved on 07-01
    m = b.a.delivery_metrics(Date(2026, 6, 4), Date(2026, 7, 1), true);
    ASSERT_EQ(m.size(), 1u);
    expect_metrics(m[0], b.acme, 1, 1, "1.0000", "0.00", "29.04");  // 06-02 09:00 -> 07-01 10:00
    EXPECT_TRUE(b.a.delivery_metrics(Date(2026, 6, 4), Date(2026, 6, 30), true).empty());
    EXPECT_TRUE(b.a.delivery_metrics(Date(2026, 1, 1), Date(2026, 4, 30), false).empty());
    expect_refused<ValidationError>(
        b.a, [](Agency& g) { (void)g.delivery_metrics(Date(2026, 6, 30), Date(2026, 5, 1), true); }, "to", "2026-05-01",
        "JT-12");
    expect_refused<ValidationError>(b.a, [](Agency& g) { (void)g.delivery_metrics(Date(), Date(2026, 5, 1), true); },
                                    "from", "not-a-date", "JT-12");
}

// ---------------------------------------------------------------- audit: JT-4, JT-5, JT-7, JT-10

TEST(JobAudit, JT7_TicketsPastTheirInternalDueTime) {
    JobBook b;
    // due Monday 05-11 10:00: internal due Friday 05-08 14:30
    const std::string open_one = b.open(b.spec(Department::Media, JobType::Other, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 11), 10)));
    b.walk_to(open_one, TicketStatus::InProgress, at(Date(2026, 5, 4), 10));
    const std::string draft = b.open(b.spec(Department::Media, JobType::Other, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 11), 10)));
    const std::string delivered = b.open(b.spec(Department::Media, JobType::Other, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 11), 10)));
    b.walk_to(delivered, TicketStatus::ClientReview, at(Date(2026, 5, 4), 10));
    b.step(delivered, TicketStatus::ClientApproved, at(Date(2026, 5, 8), 12));
    const std::string cancelled = b.open(b.spec(Department::Media, JobType::Other, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 11), 10)));
    b.step(cancelled, TicketStatus::Cancelled, at(Date(2026, 5, 6), 9));
    const std::string closed = b.open(b.spec(Department::Media, JobType::Other, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 11), 10)));
    b.walk_to(closed, TicketStatus::Closed, at(Date(2026, 5, 7), 9));

    EXPECT_TRUE(findings(b.a, Date(2026, 5, 7), "JT-7").empty());
    const auto f = findings(b.a, Date(2026, 5, 8), "JT-7");
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[0].subject, open_one);
    EXPECT_EQ(f[1].subject, draft);
    for (const Finding& x : f) {
        EXPECT_EQ(x.severity, Severity::Warning);
        EXPECT_EQ(x.due, std::optional<Date>(Date(2026, 5, 8)));
        EXPECT_TRUE(contains(x.message, "2026-05-08T14:30")) << x.message;
        EXPECT_TRUE(contains(x.message, "2026-05-11T10:00")) << x.message;
    }
    EXPECT_TRUE(contains(f[0].message, "InProgress")) << f[0].message;
    // the internal due time follows the calendar: with Friday a holiday it was Thursday 14:30,
    // when the delivered ticket was still in ClientReview
    b.a.calendar().add_holiday(Date(2026, 5, 8));
    const auto thursday = findings(b.a, Date(2026, 5, 7), "JT-7");
    ASSERT_EQ(thursday.size(), 3u);
    EXPECT_EQ(thursday[2].subject, delivered);
    EXPECT_TRUE(contains(thursday[2].message, "2026-05-07T14:30")) << thursday[2].message;
    // an audit as of a day before the tickets were opened sees none of them
    EXPECT_TRUE(findings(b.a, Date(2026, 5, 1), "JT-7").empty());
    // moving the deadline moves the internal due time
    b.a.calendar().remove_holiday(Date(2026, 5, 8));
    b.a.set_client_deadline(open_one, at(Date(2026, 5, 15), 17));
    b.step(draft, TicketStatus::Cancelled, at(Date(2026, 5, 8), 9));
    EXPECT_TRUE(findings(b.a, Date(2026, 5, 14), "JT-7").empty());
    EXPECT_EQ(findings(b.a, Date(2026, 5, 15), "JT-7").size(), 1u);
}

// JT-4 / JT-5: a ticket issued without a complete brief or without a strategy cannot be
// made through the API; books from older files (or edited by hand) are caught by the audit.
TEST(JobAudit, JT4_JT5_TicketsIssuedWithoutBriefOrStrategyInLoadedBooks) {
    JobBook b;
    b.approve_strategy(at(Date(2026, 4, 28), 10));
    const std::string cr = b.open(b.spec(Department::Creative));
    b.issue(cr, at(Date(2026, 5, 5), 10));
    const std::string md = b.open(b.spec(Department::Media));
    b.issue(md, at(Date(2026, 5, 5), 10));
    const std::string draft = b.open(b.spec(Department::Research));  // never issued
    (void)draft;
    for (const Date& d : {Date(2026, 5, 4), Date(2026, 5, 5), Date(2026, 5, 20)}) {
        EXPECT_TRUE(findings(b.a, d, "JT-4").empty()) << d;
        EXPECT_TRUE(findings(b.a, d, "JT-5").empty()) << d;
    }
    nlohmann::json doc = nlohmann::json::parse(b.a.to_json());
    for (auto& j : doc["jobs"]) {
        if (j["number"] == md) {
            j["brief"]["media_objectives"] = "";
            j["brief"]["budget"] = nullptr;
        }
        if (j["number"] == cr) j["brand"] = "Acme Tea";  // no approved plan for Acme Tea
        if (j["number"] == draft) j["brief"]["research_sample"] = "";
    }
    const Agency loaded = Agency::from_json(doc.dump());
    EXPECT_TRUE(findings(loaded, Date(2026, 5, 4), "JT-4").empty());  // not yet issued
    const auto jt4 = findings(loaded, Date(2026, 5, 5), "JT-4");
    ASSERT_EQ(jt4.size(), 1u);
    EXPECT_EQ(jt4[0].subject, md);
    EXPECT_EQ(jt4[0].severity, Severity::Error);
    EXPECT_EQ(jt4[0].due, std::optional<Date>(Date(2026, 5, 5)));
    EXPECT_TRUE(contains(jt4[0].message, "budget")) << jt4[0].message;
    EXPECT_TRUE(contains(jt4[0].message, "1 more")) << jt4[0].message;
    const auto jt5 = findings(loaded, Date(2026, 5, 20), "JT-5");
    ASSERT_EQ(jt5.size(), 1u);
    EXPECT_EQ(jt5[0].subject, cr);
    EXPECT_EQ(jt5[0].severity, Severity::Error);
    EXPECT_TRUE(contains(jt5[0].message, "Acme Tea")) << jt5[0].message;
    // the draft with an incomplete brief is not a finding: it was never issued
    for (const Finding& f : findings(loaded, Date(2026, 5, 20), "JT-4")) EXPECT_NE(f.subject, draft);
}

// JT-5 in the audit holds at the instant of issue: a plan approved at 15:00 does not cover
// a ticket issued at 11:00 that day (possible only in a loaded book).
TEST(JobAudit, JT5_APlanApprovedAfterTheIssueTheSameDay) {
    JobBook b;
    b.approve_strategy(at(Date(2026, 5, 5), 15));
    const std::string cr = b.open(b.spec(Department::Creative));
    b.step(cr, TicketStatus::Approved, at(Date(2026, 5, 5), 10));
    b.step(cr, TicketStatus::Issued, at(Date(2026, 5, 5), 16));
    EXPECT_TRUE(findings(b.a, Date(2026, 5, 5), "JT-5").empty());
    nlohmann::json doc = nlohmann::json::parse(b.a.to_json());
    doc["jobs"][0]["history"][1]["at"] = "2026-05-05T11:00:00";
    const Agency loaded = Agency::from_json(doc.dump());
    const auto f = findings(loaded, Date(2026, 5, 5), "JT-5");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].subject, cr);
}

TEST(JobAudit, JT10_TimeOnClosedTicketsAndTimeLeftUnapproved) {
    JobBook b;
    const std::string n = b.open(b.spec());
    b.walk_to(n, TicketStatus::InProgress, at(Date(2026, 5, 4), 10));
    const std::string approved = b.log("S0003", n, Date(2026, 5, 5), "3");
    b.a.approve_time(approved, "S0002", at(Date(2026, 5, 6), 9));
    const std::string waiting = b.log("S0005", n, Date(2026, 5, 5), "2");
    const std::string later_ok = b.log("S0004", n, Date(2026, 5, 5), "1");
    b.a.approve_time(later_ok, "S0002", at(Date(2026, 5, 20), 9));
    b.walk_to(n, TicketStatus::Closed, at(Date(2026, 5, 7), 9));  // closed 05-07 12:00
    // unapproved for more than a week: 05-05 + 7 days = 05-12
    auto f = findings(b.a, Date(2026, 5, 12), "JT-10");
    EXPECT_TRUE(f.empty());
    f = findings(b.a, Date(2026, 5, 13), "JT-10");
    ASSERT_EQ(f.size(), 2u);  // S0005's, and S0004's (approved only on 05-20)
    EXPECT_EQ(f[0].subject, waiting);
    EXPECT_EQ(f[1].subject, later_ok);
    EXPECT_EQ(f[0].due, std::optional<Date>(Date(2026, 5, 12)));
    EXPECT_EQ(f[0].severity, Severity::Warning);
    EXPECT_TRUE(contains(f[0].message, "S0005")) << f[0].message;
    f = findings(b.a, Date(2026, 5, 20), "JT-10");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].subject, waiting);
    // a correction recorded later gets its own week, counted from when it was recorded
    Agency corrected = b.a;
    const std::string fix = corrected.correct_time(approved, dec("-1"), "one hour too many", at(Date(2026, 5, 20), 9)).id;
    EXPECT_EQ(findings(corrected, Date(2026, 5, 27), "JT-10").size(), 1u);
    f = findings(corrected, Date(2026, 5, 28), "JT-10");
    ASSERT_EQ(f.size(), 2u);
    EXPECT_EQ(f[1].subject, fix);
    EXPECT_EQ(f[1].due, std::optional<Date>(Date(2026, 5, 27)));
    // time on a closed ticket comes only from loaded books: move S0003's entry past the close
    nlohmann::json doc = nlohmann::json::parse(b.a.to_json());
    doc["time_entries"][0]["date"] = "2026-05-08";
    doc["time_entries"][0]["recorded_at"] = "2026-05-08T19:00:00";
    for (auto& entry : doc["ledger"])  // its approved cost moves with it (MB-3)
        if (entry.value("time_entry", "") == doc["time_entries"][0]["id"]) entry["date"] = "2026-05-08";
    const Agency loaded = Agency::from_json(doc.dump());
    f = findings(loaded, Date(2026, 5, 8), "JT-10");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].subject, approved);
    EXPECT_EQ(f[0].due, std::optional<Date>(Date(2026, 5, 8)));
    EXPECT_TRUE(contains(f[0].message, "closed on 2026-05-07")) << f[0].message;
    EXPECT_TRUE(findings(loaded, Date(2026, 5, 7), "JT-10").empty());
}

// ---------------------------------------------------------------- JSON round trip

TEST(JobRoundTrip, ABookOfTicketsAndTimeSheetsIsByteIdentical) {
    WeeklyBook b;
    b.approve_strategy(at(Date(2026, 4, 28), 10));
    NewJob tv = b.spec(Department::Creative, JobType::TVCommercial, at(Date(2026, 5, 4), 9), at(Date(2026, 5, 15), 17));
    tv.product = "Beef Noodle";
    tv.cost_estimate = cny("500000.00");
    tv.assignees = {"S0003", "S0005"};
    tv.lead_time_override = LeadTimeOverride{"S0002", "launch date fixed"};
    const std::string cr = b.open(tv);
    b.issue(cr, at(Date(2026, 5, 4), 10));
    b.open(b.spec());  // (the revision is not the ticket that makes the list reallocate)
    b.open(b.revision_of(cr, at(Date(2026, 5, 5), 9), at(Date(2026, 6, 30), 17)));
    const std::string json = b.a.to_json();
    const Agency loaded = Agency::from_json(json);
    EXPECT_EQ(loaded.to_json(), json);
    EXPECT_TRUE(loaded == b.a);
    EXPECT_TRUE(loaded.jobs() == b.a.jobs());
    EXPECT_TRUE(loaded.time_entries() == b.a.time_entries());
    const WeeklyStatus w = loaded.weekly_status(Date(2026, 5, 11));
    EXPECT_EQ(w.rows, b.a.weekly_status(Date(2026, 5, 11)).rows);
    EXPECT_EQ(loaded.audit(Date(2026, 5, 20)), b.a.audit(Date(2026, 5, 20)));
    // the copy goes on like the original
    Agency copy = loaded;
    EXPECT_EQ(copy.open_job(b.spec()).number, b.a.open_job(b.spec()).number);
    EXPECT_EQ(copy.to_json(), b.a.to_json());
}

}  // namespace
