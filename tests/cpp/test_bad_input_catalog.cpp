// Issue #9: a catalog of bad inputs across every area of the library, in C++.
//
// Each row of the table is one refused call against a copy of the catalog book (built
// below with the book_fixtures.hpp helpers). For every row the test checks the error
// kind (the aecore::Error subclass), e.rule() and e.field(), that e.what() contains the
// field, the offending value and "[RULE]", and that the agency is unchanged afterwards:
// to_json() byte-identical and operator== (book::refused_unchanged / book::expect_names).
//
// The expected field / value / rule of each row come from the throw sites in src/*.cpp.
// Each row exercises a distinct rule or field. A row that exposes a library bug stays in
// the table with a "LIBRARY BUG" comment; its expectation is not weakened.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "book_fixtures.hpp"

namespace {

using aecore::ActivityKind;
using aecore::Agency;
using aecore::Date;
using aecore::DateTime;
using aecore::Decimal;
using aecore::Department;
using aecore::EvaluationPeriod;
using aecore::EvaluationStatus;
using aecore::JobType;
using aecore::Money;
using aecore::PipelineStage;
using aecore::ReportKind;
using aecore::TicketKind;
using aecore::TicketStatus;
using aecore::Title;
using book::at;
using Json = nlohmann::ordered_json;

namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

Money cny(const char* amount) { return Money::parse(amount, "CNY"); }
Money usd(const char* amount) { return Money::parse(amount, "USD"); }
Decimal dec(const char* text) { return Decimal::parse(text); }

// ---------------------------------------------------------------- the catalog book

// Codes and numbers of the catalog book (deterministic: CL-1 and JT-1 numbering).
const std::string kAcme = "CD-202601-ACME-001";   // home city, Closed, full team, contract T01
const std::string kBeta = "SH-202603-BETA-002";   // Negotiating, owner S0004, plan MP0002 proposed with errors
const std::string kGamma = "CD-202602-GAMMA-003";  // archived
const std::string kPrint = "CR-202606-01";        // ACME creative print ad, InProgress, estimate approved
const std::string kMedia = "MD-202606-01";        // ACME media plan, Draft, a Draft estimate only
const std::string kStudy = "RS-202606-01";        // BETA research, Cancelled
const std::string kFilm = "CR-202606-02";         // BETA creative TVC, Approved, complete brief


aecore::NewJob job_spec(const std::string& client, const std::string& brand, Department dept, JobType type,
                        const DateTime& deadline, const std::string& issuer, const DateTime& opened) {
    aecore::NewJob j;
    j.client = client;
    j.brand = brand;
    j.department = dept;
    j.job_type = type;
    j.title = "Catalog job";
    j.brief = book::complete_brief();
    j.client_deadline = deadline;
    j.issuer = issuer;
    j.opened_at = opened;
    return j;
}

// book::staffed_agency() (S0001 AD; S0002 AM -> S0001; S0003, S0004 AE -> S0002;
// S0005 AAE -> S0003; home city CD, Mon-Fri) with hourly rates, a holiday on 2026-10-01, and
//   clients  ACME (K01 primary, K02; brand "Acme Noodles"/"Beef Noodles"; contract T01),
//            BETA (K01; brand "Beta EV"), GAMMA (archived);
//   routines A000001 a plain call, A000002 a meeting with notice N00001 and report R00001,
//            A000003 a meeting at BETA without a report, weekly report W00001;
//   plans    MP0001 ACME approved (objective O1 measured on 2026-06-30),
//            MP0002 BETA proposed, its review has errors (no USP, no deadline);
//   jobs     kPrint InProgress (TE000001 S0003 8 h submitted, TE000002 S0005 6 h approved),
//            kMedia Draft, kStudy Cancelled, kFilm Approved;
//   ledger   L00000001 estimate kPrint v1, L00000002 time cost of TE000002, L00000003 PO,
//            L00000004 vendor invoice, L00000005 its duplicate reversed by L00000006,
//            L00000007 INV-2026-001 (50000, paid 20000 by L00000008), L00000009 SF-2026-06,
//            L00000010 credit note CN-2026-001;
//   evaluations EV0001 S0003 Discussed (all scored), EV0002 S0004 Finalized (5A),
//            EV0003 S0005 (an AAE) Reviewed with one criterion scored.
Agency build_catalog_book() {
    Agency a = book::staffed_agency();
    for (const auto& [id, rate] : std::vector<std::pair<const char*, const char*>>{
             {"S0001", "500"}, {"S0002", "300"}, {"S0003", "200"}, {"S0004", "150"}, {"S0005", "120"}}) {
        aecore::StaffUpdate u;
        u.hourly_rate = cny(rate);
        a.update_staff(id, u);
    }
    a.calendar().add_holiday(Date(2026, 10, 1));

    aecore::NewClient acme = book::client_spec("Acme Foods", "ACME", "CD", Date(2026, 1, 5), PipelineStage::Closed);
    acme.team = book::full_team();
    acme.annual_budget = cny("600000");
    a.register_client(acme);
    a.register_client(book::client_spec("Beta Motors", "BETA", "SH", Date(2026, 3, 2), PipelineStage::Negotiating,
                                        "S0004"));
    a.register_client(book::client_spec("Gamma Tea", "GAMMA", "CD", Date(2026, 2, 2)));
    a.archive_client(kGamma);
    a.add_brand(kAcme, "Acme Noodles");
    a.add_product(kAcme, "Acme Noodles", "Beef Noodles");
    a.add_brand(kBeta, "Beta EV");
    a.add_contact(kAcme, book::contact("Zhao Lei", aecore::DecisionRole::DecisionMaker, true));  // K01
    a.add_contact(kAcme, book::contact("Qian Yu", aecore::DecisionRole::Influencer));            // K02
    a.add_contact(kBeta, book::contact("Sun Bo", aecore::DecisionRole::DecisionMaker, true));    // K01
    a.add_contract(kAcme, Date(2026, 1, 15), Date(2026, 12, 31), cny("10000"), "monthly, net 30");

    // Routines.
    a.log_activity(book::activity(ActivityKind::Call, at(Date(2026, 6, 1), 10), kAcme));  // A000001
    a.add_meeting_notice(book::notice(kAcme, at(Date(2026, 6, 1), 9), at(Date(2026, 6, 3), 14)));  // N00001
    aecore::NewActivity meeting = book::activity(ActivityKind::Meeting, at(Date(2026, 6, 3), 14), kAcme);
    meeting.notice = "N00001";
    a.log_activity(meeting);                                                // A000002
    a.add_contact_report(book::report("A000002", at(Date(2026, 6, 4), 10)));  // R00001
    a.log_activity(book::activity(ActivityKind::Meeting, at(Date(2026, 6, 5), 15), kBeta, "S0004"));  // A000003
    a.submit_status_report(book::status(ReportKind::Weekly, "S0003", Date(2026, 6, 1), at(Date(2026, 6, 8), 9)));

    // Plans.
    aecore::NewPlan p1;
    p1.client = kAcme;
    p1.brand = "Acme Noodles";
    p1.period_start = Date(2026, 1, 1);
    p1.period_end = Date(2026, 12, 31);
    p1.author = "S0003";
    p1.created_at = at(Date(2026, 1, 10), 9);
    const std::string mp1 = a.create_plan(p1).id;  // MP0001
    a.set_product_section(mp1, aecore::ProductSection{.stage = aecore::LifeCycleStage::Growth, .usp = "Real beef"});
    a.set_place(mp1, aecore::PlaceSection{.channels = {"supermarkets"}, .coverage_percent = Decimal(80)});
    a.set_promotion(mp1, aecore::PromotionSection{.budget = cny("100000"),
                                                  .mix = {{aecore::MixElement::Advertising, cny("60000")}},
                                                  .objective = aecore::PromotionObjective::Persuade});
    a.add_objective(mp1, aecore::NewObjective{.kind = aecore::ObjectiveKind::SalesRevenue,
                                              .baseline = Decimal(100),
                                              .target = Decimal(120),
                                              .deadline = Date(2026, 12, 31)});  // O1
    a.propose_plan(mp1, "S0003", at(Date(2026, 1, 12), 10));
    a.approve_plan(mp1, "K01", at(Date(2026, 1, 15), 10));
    a.record_actual(mp1, "O1", Date(2026, 6, 30), Decimal(110));
    aecore::NewPlan p2;
    p2.client = kBeta;
    p2.brand = "Beta EV";
    p2.period_start = Date(2026, 7, 1);
    p2.period_end = Date(2027, 6, 30);
    p2.author = "S0004";
    p2.created_at = at(Date(2026, 6, 1), 9);
    const std::string mp2 = a.create_plan(p2).id;  // MP0002
    a.add_objective(mp2, aecore::NewObjective{.kind = aecore::ObjectiveKind::SalesVolume, .target = Decimal(1000)});
    a.propose_plan(mp2, "S0004", at(Date(2026, 6, 2), 10));

    // Jobs.
    const DateTime opened = at(Date(2026, 6, 1), 9);
    a.open_job(job_spec(kAcme, "Acme Noodles", Department::Creative, JobType::PrintAd, at(Date(2026, 6, 30), 17),
                        "S0003", opened));  // kPrint
    a.advance_job(kPrint, TicketStatus::Approved, "S0002", at(Date(2026, 6, 1), 10));
    a.advance_job(kPrint, TicketStatus::Issued, "S0003", at(Date(2026, 6, 1), 11));
    a.advance_job(kPrint, TicketStatus::InProgress, "S0003", at(Date(2026, 6, 1), 12));
    a.open_job(job_spec(kAcme, "Acme Noodles", Department::Media, JobType::MediaPlan, at(Date(2026, 7, 15), 17),
                        "S0003", opened));  // kMedia
    a.open_job(job_spec(kBeta, "Beta EV", Department::Research, JobType::Research, at(Date(2026, 7, 31), 17), "S0004",
                        opened));  // kStudy
    a.advance_job(kStudy, TicketStatus::Cancelled, "S0004", at(Date(2026, 6, 2), 9), "client postponed the study");
    a.open_job(job_spec(kBeta, "Beta EV", Department::Creative, JobType::TVCommercial, at(Date(2026, 8, 31), 17),
                        "S0004", opened));  // kFilm
    a.advance_job(kFilm, TicketStatus::Approved, "S0002", at(Date(2026, 6, 1), 10));
    a.log_time(aecore::NewTimeEntry{"S0003", kPrint, Date(2026, 6, 2), Decimal(8), "layout", at(Date(2026, 6, 2), 18)});
    a.log_time(aecore::NewTimeEntry{"S0005", kPrint, Date(2026, 6, 2), Decimal(6), "proofs", at(Date(2026, 6, 2), 18)});

    // Estimates and the ledger.
    a.prepare_estimate(aecore::NewEstimate{kPrint, cny("100000"), "print ad", "S0003", at(Date(2026, 6, 1), 13)});
    a.approve_estimate(kPrint, 1, "K01", at(Date(2026, 6, 2), 10));         // L00000001
    a.approve_time("TE000002", "S0003", at(Date(2026, 6, 2), 19));          // L00000002
    a.commit_cost(aecore::NewCommitment{kPrint, Date(2026, 6, 3), cny("40000"), "PO-1 Studio", "S0003"});  // L00000003
    a.record_cost(aecore::NewActualCost{kPrint, Date(2026, 6, 10), cny("30000"), "Studio INV 1", "S0003"});  // L00000004
    const std::string duplicate =
        a.record_cost(aecore::NewActualCost{kPrint, Date(2026, 6, 10), cny("30000"), "Studio INV 1", "S0003"}).id;
    a.reverse_entry(duplicate, Date(2026, 6, 11), "Studio INV 1 posted twice", "S0002");  // L00000006
    a.issue_invoice(aecore::NewInvoice{.number = "INV-2026-001", .job = kPrint, .date = Date(2026, 6, 15),
                                       .due = Date(2026, 7, 15), .amount = cny("50000"),
                                       .recorded_by = "S0003"});  // L00000007
    a.record_payment(
        aecore::NewPayment{"INV-2026-001", Date(2026, 6, 30), cny("20000"), "BANK 0630", "S0003"});  // L00000008
    a.issue_invoice(aecore::NewInvoice{.number = "SF-2026-06", .client = kAcme, .contract = "T01",
                                       .date = Date(2026, 6, 1), .due = Date(2026, 7, 1), .amount = cny("10000"),
                                       .recorded_by = "S0003"});  // L00000009
    a.issue_invoice(aecore::NewInvoice{.number = "CN-2026-001", .client = kAcme, .date = Date(2026, 6, 20),
                                       .due = Date(2026, 6, 20), .amount = cny("-1000"),
                                       .recorded_by = "S0003"});  // L00000010
    a.prepare_estimate(aecore::NewEstimate{kMedia, cny("20000"), "media plan", "S0003", at(Date(2026, 6, 1), 14)});

    // Evaluations.
    aecore::NewEvaluation e1;
    e1.evaluatee = "S0003";
    e1.evaluator = "S0002";
    e1.reviewers = {"S0001"};
    e1.start = Date(2026, 1, 1);
    e1.created_at = at(Date(2026, 6, 1), 9);
    const std::string ev1 = a.start_evaluation(e1).id;  // EV0001
    for (const aecore::Criterion& c : a.rubric("account-service").criteria)
        if (!c.weight(Title::AE).is_zero()) a.score_criterion(ev1, c.id, 3);
    a.advance_evaluation(ev1, EvaluationStatus::SharedWithEvaluatee, "S0002", at(Date(2026, 6, 2), 9));
    a.advance_evaluation(ev1, EvaluationStatus::Discussed, "S0002", at(Date(2026, 6, 3), 9));
    aecore::NewEvaluation e2;
    e2.evaluatee = "S0004";
    e2.evaluator = "S0002";
    e2.rubric = "5A";
    e2.period = EvaluationPeriod::Quarterly;
    e2.start = Date(2026, 4, 1);
    e2.created_at = at(Date(2026, 6, 1), 9);
    const std::string ev2 = a.start_evaluation(e2).id;  // EV0002
    for (const aecore::Criterion& c : a.rubric("5A").criteria) a.score_criterion(ev2, c.id, 4);
    a.advance_evaluation(ev2, EvaluationStatus::SharedWithEvaluatee, "S0002", at(Date(2026, 6, 2), 9));
    a.advance_evaluation(ev2, EvaluationStatus::Discussed, "S0004", at(Date(2026, 6, 3), 9));
    a.advance_evaluation(ev2, EvaluationStatus::Reviewed, "S0001", at(Date(2026, 6, 4), 9));
    a.advance_evaluation(ev2, EvaluationStatus::Finalized, "S0002", at(Date(2026, 6, 5), 9));
    aecore::NewEvaluation e3;
    e3.evaluatee = "S0005";
    e3.evaluator = "S0003";
    e3.period = EvaluationPeriod::Quarterly;
    e3.start = Date(2026, 4, 1);
    e3.created_at = at(Date(2026, 6, 1), 9);
    const std::string ev3 = a.start_evaluation(e3).id;  // EV0003
    a.score_criterion(ev3, "market_knowledge", 3);
    a.advance_evaluation(ev3, EvaluationStatus::SharedWithEvaluatee, "S0003", at(Date(2026, 6, 2), 9));
    a.advance_evaluation(ev3, EvaluationStatus::Discussed, "S0003", at(Date(2026, 6, 3), 9));
    a.advance_evaluation(ev3, EvaluationStatus::Reviewed, "S0002", at(Date(2026, 6, 4), 9));  // S0003's manager
    return a;
}

const Agency& catalog_book() {
    static const Agency book = build_catalog_book();
    return book;
}

// ---------------------------------------------------------------- the table

enum class Kind { Validation, NotFound, State, Schema, Io };

const char* kind_name(Kind k) {
    switch (k) {
        case Kind::Validation: return "ValidationError";
        case Kind::NotFound: return "NotFoundError";
        case Kind::State: return "StateError";
        case Kind::Schema: return "SchemaError";
        case Kind::Io: return "IoError";
    }
    return "?";
}

std::optional<Kind> kind_of(const aecore::Error& e) {
    if (dynamic_cast<const aecore::ValidationError*>(&e)) return Kind::Validation;
    if (dynamic_cast<const aecore::NotFoundError*>(&e)) return Kind::NotFound;
    if (dynamic_cast<const aecore::StateError*>(&e)) return Kind::State;
    if (dynamic_cast<const aecore::SchemaError*>(&e)) return Kind::Schema;
    if (dynamic_cast<const aecore::IoError*>(&e)) return Kind::Io;
    return std::nullopt;
}

struct Case {
    std::string name;  // the test name: letters, digits and '_'
    std::function<void(Agency&)> op;
    Kind kind;
    std::string field;
    std::string value;  // as it appears in the message
    std::string rule;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

constexpr auto V = Kind::Validation;
constexpr auto NF = Kind::NotFound;
constexpr auto ST = Kind::State;
constexpr auto SC = Kind::Schema;
constexpr auto IO = Kind::Io;

const std::filesystem::path kMissingFile = "/nonexistent-aecore-dir/sub/agency.json";

std::string quoted_missing_file() {
    std::string q = "\"";
    q += kMissingFile.string();
    q += '"';
    return q;
}

// The agency's document after `edit`, for the schema rows.
std::string edited(const Agency& a, const std::function<void(Json&)>& edit) {
    Json doc = Json::parse(a.to_json());
    edit(doc);
    return doc.dump();
}

aecore::NewStaff staff_with(const char* name, Title title) { return book::person(name, title); }

aecore::NewJob print_job(const DateTime& deadline, const DateTime& opened) {
    aecore::NewJob j =
        job_spec(kAcme, "Acme Noodles", Department::Production, JobType::PrintAd, deadline, "S0003", opened);
    j.brief = {};
    return j;
}

aecore::NewInvoice invoice(const char* number, const std::string& client, const Date& date, const Date& due,
                           const Money& amount) {
    return aecore::NewInvoice{
        .number = number, .client = client, .date = date, .due = due, .amount = amount, .recorded_by = "S0003"};
}

aecore::NewEvaluation evaluation_of(const char* evaluatee, const char* evaluator) {
    aecore::NewEvaluation e;
    e.evaluatee = evaluatee;
    e.evaluator = evaluator;
    e.start = Date(2027, 1, 1);
    e.created_at = at(Date(2026, 6, 20), 9);
    return e;
}

aecore::Rubric one_criterion_rubric(int weight) {
    const Decimal w(weight);
    aecore::Criterion c{"c1", "Area", "One", "", {w, w, w, w}, {}};
    return aecore::Rubric{"custom", "Custom", {c}};
}

const DateTime kNow = at(Date(2026, 6, 22), 9);  // a Monday after everything in the book

std::vector<Case> catalog() {
    return {
        // ---------------------------------------------------------- money (MB-1)
        {"MoneyTooManyDecimals", [](Agency&) { (void)Money::parse("1.234", "CNY"); }, V, "money.amount", "1.234",
         "MB-1"},
        {"MoneyUnknownCurrency", [](Agency&) { (void)Money::parse("1", "XYZ"); }, V, "currency", "\"XYZ\"", "MB-1"},
        {"MoneyMixedCurrencyAdd", [](Agency&) { (void)(cny("1") + usd("1")); }, V, "money.currency", "CNY + USD",
         "MB-1"},
        {"MoneyOverflowAdd",
         [](Agency&) { (void)(Money::from_minor(INT64_MAX, "CNY") + Money::from_minor(1, "CNY")); }, V, "money",
         "92233720368547758.07 CNY + 0.01 CNY", "MB-1"},
        {"MoneyNotANumber", [](Agency&) { (void)Money::parse("12,30", "CNY"); }, V, "money.amount", "\"12,30\"",
         "MB-1"},
        {"MoneySplitZeroParts", [](Agency&) { (void)cny("10").split(0); }, V, "split.parts", "0", "MB-1"},
        {"MoneyAllocateNegativeWeight",
         [](Agency&) {
             const std::vector<std::int64_t> weights{1, -1};
             (void)cny("10").allocate(weights);
         },
         V, "allocate.weights[1]", "-1", "MB-1"},
        // ---------------------------------------------------------- calendar (JT-7)
        {"CalendarHolidayInvalidDate", [](Agency& a) { a.calendar().add_holiday(Date(bg::not_a_date_time)); }, V,
         "calendar.holiday", "not-a-date", "JT-7"},
        {"CalendarWeekendAllDays",
         [](Agency& a) {
             using W = aecore::Weekday;
             const std::vector<W> all{W::Monday, W::Tuesday,  W::Wednesday, W::Thursday,
                                      W::Friday, W::Saturday, W::Sunday};
             a.calendar().set_weekend(all);
         },
         V, "calendar.weekend", "all seven days", "JT-7"},
        {"CalendarWorkingHoursReversed", [](Agency& a) { a.calendar().set_working_hours(bp::hours(18), bp::hours(9)); },
         V, "calendar.working_hours", "18:00:00–09:00:00", "JT-7"},
        {"CalendarNegativeBusinessTime",
         [](Agency& a) { (void)a.calendar().subtract_business_time(kNow, bp::hours(-1)); }, V, "amount", "-01:00:00",
         "JT-7"},
        // ---------------------------------------------------------- staff and policy
        {"StaffManagerCycle",
         [](Agency& a) {
             aecore::StaffUpdate u;
             u.manager = std::optional<std::string>("S0004");
             a.update_staff("S0001", u);
         },
         V, "staff.manager", "\"S0004\"", "ST-1"},
        {"StaffUnknownManager", [](Agency& a) { a.add_staff(book::person("New Person", Title::AE, "S9999")); }, NF,
         "staff.manager", "\"S9999\"", "ST-1"},
        {"StaffDeactivateWithReports",
         [](Agency& a) {
             aecore::StaffUpdate u;
             u.active = false;
             a.update_staff("S0002", u);
         },
         ST, "staff.active", "false", "ST-1"},
        {"StaffEmptyName", [](Agency& a) { a.add_staff(staff_with("   ", Title::AE)); }, V, "staff.name", "\"   \"",
         "ST-1"},
        {"StaffBadEmail",
         [](Agency& a) {
             aecore::StaffUpdate u;
             u.email = "wang.fang";
             a.update_staff("S0003", u);
         },
         V, "staff.email", "\"wang.fang\"", "ST-1"},
        {"StaffRateOtherCurrency",
         [](Agency& a) {
             aecore::NewStaff s = staff_with("New Person", Title::AE);
             s.hourly_rate = usd("50");
             a.add_staff(s);
         },
         V, "staff.hourly_rate", "50.00 USD", "MB-1"},
        {"StaffDuplicateId",
         [](Agency& a) {
             aecore::NewStaff s = staff_with("New Person", Title::AE);
             s.id = "S0001";
             a.add_staff(s);
         },
         V, "staff.id", "\"S0001\"", "ST-1"},
        {"AgencyHomeCityLowercase", [](Agency& a) { a.set_home_city("cd"); }, V, "agency.home_city", "\"cd\"", "CL-1"},
        {"PolicySpanOfControlMinAboveMax", [](Agency& a) { a.policy().set_span_of_control(3, 1); }, V,
         "policy.span_of_control", "3..1", "ST-2"},
        {"PolicyContactCadenceZero", [](Agency& a) { a.policy().set_contact_cadence(0, 3); }, V,
         "policy.contact_cadence_home_days", "0", "CL-4"},
        {"PolicyTierSharesNotIncreasing", [](Agency& a) { a.policy().set_tier_shares(dec("0.9"), dec("0.8")); }, V,
         "policy.tier_shares", "0.9, 0.8", "CL-5"},
        {"PolicyEscalationDecreasing", [](Agency& a) { a.policy().set_escalation_days(30, 15, 1); }, V,
         "policy.escalation_days", "30, 15, 1", "MB-6"},
        {"PolicyRatingBandsNotIncreasing",
         [](Agency& a) { a.policy().set_rating_bands({dec("3"), dec("2"), dec("4"), dec("4.5")}); }, V,
         "policy.rating_bands", "3, 2, 4, 4.5", "PE-4"},
        {"PolicyLeadTimeOutOfRange", [](Agency& a) { a.policy().set_lead_time_days(JobType::PrintAd, 300); }, V,
         "policy.lead_time_days.PrintAd", "300", "JT-6"},
        {"PolicyMinDistributionOver100", [](Agency& a) { a.policy().set_min_distribution_for_advertising(101); }, V,
         "policy.min_distribution_for_advertising", "101", "MP-8c"},
        {"PolicyLatePaymentNegative", [](Agency& a) { a.policy().set_late_payment_days(-1); }, V,
         "policy.late_payment_days", "-1", "MB-6"},
        // ---------------------------------------------------------- clients, contacts, teams, stages, contracts
        {"ClientCityLowercase",
         [](Agency& a) { a.register_client(book::client_spec("New Co", "NEWCO", "cd", Date(2026, 6, 1))); }, V,
         "client.city", "\"cd\"", "CL-1"},
        {"ClientShortNameWithSpace",
         [](Agency& a) { a.register_client(book::client_spec("New Co", "NEW CO", "CD", Date(2026, 6, 1))); }, V,
         "client.short_name", "\"NEW CO\"", "CL-1"},
        {"ClientOwnerNotAnAe",
         [](Agency& a) {
             a.register_client(
                 book::client_spec("New Co", "NEWCO", "CD", Date(2026, 6, 1), PipelineStage::Potential, "S0002"));
         },
         V, "client.team.ae", "\"S0002\"", "ST-3"},
        {"ClientDuplicateNameInCity",
         [](Agency& a) { a.register_client(book::client_spec("Acme Foods", "ACME2", "CD", Date(2026, 6, 1))); }, V,
         "client.name", "\"Acme Foods\"", "CL-2"},
        {"ClientUnknownCode", [](Agency& a) { a.add_brand("CD-209901-NOPE-001", "Nope"); }, NF, "client.code",
         "\"CD-209901-NOPE-001\"", "CL-1"},
        {"ClientArchived", [](Agency& a) { a.add_brand(kGamma, "Gamma Green"); }, ST, "client.code",
         "\"CD-202602-GAMMA-003\"", "CL-2"},
        {"ClientDuplicateBrand", [](Agency& a) { a.add_brand(kAcme, "Acme Noodles"); }, V, "client.brand",
         "\"Acme Noodles\"", "CL-2"},
        {"ClientBadEmail",
         [](Agency& a) {
             aecore::ClientUpdate u;
             u.email = "info at acme";
             a.update_client(kAcme, u);
         },
         V, "client.email", "\"info at acme\"", "CL-2"},
        {"ClientBudgetOtherCurrency",
         [](Agency& a) {
             aecore::ClientUpdate u;
             u.annual_budget = usd("1000");
             a.update_client(kAcme, u);
         },
         V, "client.annual_budget", "1000.00 USD", "MB-1"},
        {"ContactSecondPrimary",
         [](Agency& a) { a.add_contact(kAcme, book::contact("Ma Li", aecore::DecisionRole::Executor, true)); }, V,
         "contact.primary", "true", "CL-3"},
        {"ContactUnknownPrimary", [](Agency& a) { a.set_primary_contact(kAcme, "K09"); }, NF, "contact.id", "\"K09\"",
         "CL-3"},
        {"ContactBadEmail",
         [](Agency& a) {
             aecore::NewContact k = book::contact("Ma Li", aecore::DecisionRole::Executor);
             k.email = "ma.li@";
             a.add_contact(kAcme, k);
         },
         V, "contact.email", "\"ma.li@\"", "CL-3"},
        {"TeamEffectiveBeforeCurrent", [](Agency& a) { a.assign_team(kAcme, book::full_team(), Date(2025, 12, 1)); }, V,
         "team.effective", "2025-12-01", "ST-3"},
        {"StageDateBeforeLast", [](Agency& a) { a.set_stage(kAcme, PipelineStage::Negotiating, Date(2025, 12, 1)); }, V,
         "stage.date", "2025-12-01", "CL-6"},
        {"StageDeliveryDateNotClosed",
         [](Agency& a) { a.set_stage(kBeta, PipelineStage::Potential, Date(2026, 6, 10), "", Date(2026, 6, 9)); }, V,
         "stage.delivered_on", "2026-06-09", "CL-6"},
        {"ContractEndBeforeStart",
         [](Agency& a) { a.add_contract(kAcme, Date(2027, 1, 1), Date(2026, 12, 31), cny("1000"), ""); }, V,
         "contract.end", "2026-12-31", "CL-7"},
        {"ContractNegativeFee",
         [](Agency& a) { a.add_contract(kAcme, Date(2027, 1, 1), Date(2027, 12, 31), cny("-1"), ""); }, V,
         "contract.monthly_fee", "-1.00 CNY", "CL-7"},
        // ---------------------------------------------------------- routines (AS-1..AS-3, CL-4)
        {"ActivityBeforeFirstContact",
         [](Agency& a) { a.log_activity(book::activity(ActivityKind::Call, at(Date(2026, 1, 2), 10), kAcme)); }, V,
         "activity.when", "2026-01-02T10:00:00", "CL-4"},
        {"ActivityUnknownContact",
         [](Agency& a) {
             aecore::NewActivity x = book::activity(ActivityKind::Call, kNow, kAcme);
             x.contacts = {"K09"};
             a.log_activity(x);
         },
         NF, "activity.contacts", "\"K09\"", "CL-3"},
        {"ActivityUnknownStaff",
         [](Agency& a) { a.log_activity(book::activity(ActivityKind::Call, kNow, kAcme, "S9999")); }, NF,
         "activity.staff", "\"S9999\"", "CL-4"},
        {"ActivityNoticeOnACall",
         [](Agency& a) {
             aecore::NewActivity x = book::activity(ActivityKind::Call, kNow, kAcme);
             x.notice = "N00001";
             a.log_activity(x);
         },
         V, "activity.notice", "\"N00001\"", "AS-2"},
        {"ContactReportForPlainCall", [](Agency& a) { a.add_contact_report(book::report("A000001", kNow)); }, V,
         "report.activity", "\"A000001\"", "AS-1"},
        {"ContactReportBeforeMeeting",
         [](Agency& a) { a.add_contact_report(book::report("A000003", at(Date(2026, 6, 5), 9), "S0004")); }, V,
         "report.written_at", "2026-06-05T09:00:00", "AS-1"},
        {"ContactReportUnknownDistributionStaff",
         [](Agency& a) {
             aecore::NewContactReport r = book::report("A000003", at(Date(2026, 6, 6), 9), "S0004");
             r.distribution_staff = {"S0099"};
             a.add_contact_report(r);
         },
         NF, "report.distribution_staff", "\"S0099\"", "AS-1"},
        {"MeetingNoticeIssuedAfterMeeting",
         [](Agency& a) {
             a.add_meeting_notice(book::notice(kAcme, at(Date(2026, 6, 25), 9), at(Date(2026, 6, 24), 9)));
         },
         V, "notice.issued_at", "2026-06-25T09:00:00", "AS-2"},
        {"MeetingNoticeWithoutTime",
         [](Agency& a) { a.add_meeting_notice(book::notice(kAcme, kNow, DateTime(bg::not_a_date_time))); }, V,
         "notice.meeting_at", "none", "AS-2"},
        {"StatusReportWeeklyNotMonday",
         [](Agency& a) { a.submit_status_report(book::status(ReportKind::Weekly, "S0004", Date(2026, 6, 2), kNow)); }, V,
         "status_report.period", "2026-06-02", "AS-3"},
        {"StatusReportSubmittedBeforePeriod",
         [](Agency& a) {
             a.submit_status_report(book::status(ReportKind::Monthly, "S0004", Date(2026, 7, 1), at(Date(2026, 6, 30), 9)));
         },
         V, "status_report.submitted_at", "2026-06-30T09:00:00", "AS-3"},
        // ---------------------------------------------------------- marketing plans (MP-1..MP-8)
        {"PlanApproveWithReviewErrors", [](Agency& a) { a.approve_plan("MP0002", "K01", kNow); }, ST, "plan.review",
         "MP0002", "MP-8"},
        {"PlanEditApproved",
         [](Agency& a) { a.set_strategy("MP0001", aecore::Strategy{.positioning = "cheaper"}); }, ST, "plan.status",
         "ClientApproved", "MP-8"},
        {"PlanApprovedByStranger", [](Agency& a) { a.approve_plan("MP0002", "K09", kNow); }, NF, "plan.approved_by",
         "\"K09\"", "MP-7"},
        {"PlanUnknownBrand",
         [](Agency& a) {
             aecore::NewPlan p{.client = kAcme, .brand = "Acme Rice", .period_start = Date(2027, 1, 1),
                               .period_end = Date(2027, 12, 31), .author = "S0003", .created_at = kNow};
             a.create_plan(p);
         },
         NF, "plan.brand", "\"Acme Rice\"", "MP-1"},
        {"PlanPeriodEndBeforeStart",
         [](Agency& a) {
             aecore::NewPlan p{.client = kAcme, .brand = "Acme Noodles", .period_start = Date(2027, 1, 1),
                               .period_end = Date(2026, 12, 1), .author = "S0003", .created_at = kNow};
             a.create_plan(p);
         },
         V, "plan.period_end", "2026-12-01", "MP-1"},
        {"PlanUnknownId", [](Agency& a) { a.propose_plan("MP9999", "S0003", kNow); }, NF, "plan.id", "\"MP9999\"", "MP-1"},
        {"ObjectiveShareOver100",
         [](Agency& a) {
             a.add_objective("MP0002", aecore::NewObjective{.kind = aecore::ObjectiveKind::MarketShare,
                                                            .target = Decimal(120),
                                                            .deadline = Date(2027, 6, 30)});
         },
         V, "objective.target", "120", "MP-6"},
        {"ObjectiveDeadlineBeforePeriod",
         [](Agency& a) {
             a.add_objective("MP0002", aecore::NewObjective{.kind = aecore::ObjectiveKind::SalesVolume,
                                                            .target = Decimal(1000),
                                                            .deadline = Date(2026, 6, 30)});
         },
         V, "objective.deadline", "2026-06-30", "MP-6"},
        {"ObjectiveSecondActualSameDay", [](Agency& a) { a.record_actual("MP0001", "O1", Date(2026, 6, 30), Decimal(111)); },
         V, "objective.actual_date", "2026-06-30", "MP-6"},
        {"PlanCoverageOver100",
         [](Agency& a) { a.set_place("MP0002", aecore::PlaceSection{.coverage_percent = Decimal(120)}); }, V,
         "plan.place.coverage_percent", "120", "MP-4"},
        {"PlanNegativePromotionBudget",
         [](Agency& a) { a.set_promotion("MP0002", aecore::PromotionSection{.budget = cny("-1")}); }, V,
         "plan.promotion.budget", "-1.00 CNY", "MP-5"},
        {"PlanListPriceOtherCurrency",
         [](Agency& a) { a.set_price("MP0002", aecore::PriceSection{.list_price = usd("9.90")}); }, V,
         "plan.price.list_price", "9.90 USD", "MB-1"},
        // ---------------------------------------------------------- job tickets and time sheets (JT-1..JT-12)
        {"JobInsideLeadTime", [](Agency& a) { a.open_job(print_job(at(Date(2026, 6, 24), 17), kNow)); }, V,
         "job.client_deadline", "2026-06-24T17:00:00", "JT-6"},
        {"JobDeadlineOnHoliday", [](Agency& a) { a.open_job(print_job(at(Date(2026, 10, 1), 17), kNow)); }, V,
         "job.client_deadline", "2026-10-01T17:00:00", "JT-7"},
        {"JobDepartmentIssuesNoTickets",
         [](Agency& a) {
             aecore::NewJob j = print_job(at(Date(2026, 9, 30), 17), kNow);
             j.department = Department::Finance;
             a.open_job(j);
         },
         V, "job.department", "Finance", "JT-1"},
        {"JobLeadTimeOverrideByAe",
         [](Agency& a) {
             aecore::NewJob j = print_job(at(Date(2026, 6, 24), 17), kNow);
             j.lead_time_override = aecore::LeadTimeOverride{"S0004", "rush"};
             a.open_job(j);
         },
         V, "job.lead_time_override.approver", "\"S0004\"", "JT-6"},
        {"JobUnknownNumber", [](Agency& a) { a.advance_job("CR-209901-99", TicketStatus::Approved, "S0002", kNow); }, NF,
         "job.number", "\"CR-209901-99\"", "JT-1"},
        {"JobInvalidTransition", [](Agency& a) { a.advance_job(kPrint, TicketStatus::ClientApproved, "S0003", kNow); }, ST,
         "job.status", "InProgress", "JT-8"},
        {"JobCloseWithoutClientApproval", [](Agency& a) { a.advance_job(kPrint, TicketStatus::Closed, "S0003", kNow); },
         ST, "job.status", "InProgress", "JT-9"},
        {"JobApprovedByAe", [](Agency& a) { a.advance_job(kMedia, TicketStatus::Approved, "S0003", kNow); }, V,
         "job.actor", "\"S0003\"", "JT-8"},
        {"JobTransitionBackInTime",
         [](Agency& a) { a.advance_job(kPrint, TicketStatus::InternalReview, "S0003", at(Date(2026, 6, 1), 11)); }, V,
         "job.at", "2026-06-01T11:00:00", "JT-8"},
        {"JobCancelWithoutReason", [](Agency& a) { a.advance_job(kMedia, TicketStatus::Cancelled, "S0003", kNow, " "); },
         V, "job.note", "\" \"", "JT-8"},
        {"JobCreativeWithoutApprovedPlan", [](Agency& a) { a.advance_job(kFilm, TicketStatus::Issued, "S0004", kNow); },
         ST, "job.brand", "\"Beta EV\"", "JT-5"},
        {"JobBriefOfIssuedTicket", [](Agency& a) { a.set_brief(kPrint, aecore::Brief{}); }, ST, "job.status",
         "InProgress", "JT-4"},
        {"JobRevisionOfCancelled",
         [](Agency& a) {
             aecore::NewJob j;
             j.kind = TicketKind::Revision;
             j.parent = kStudy;
             j.title = "Study v2";
             j.client_deadline = at(Date(2026, 9, 30), 17);
             j.issuer = "S0004";
             j.opened_at = kNow;
             a.open_job(j);
         },
         ST, "job.parent", "\"RS-202606-01\"", "JT-2"},
        {"JobDeadlineOfCancelledTicket", [](Agency& a) { a.set_client_deadline(kStudy, at(Date(2026, 9, 30), 17)); }, ST,
         "job.status", "Cancelled", "JT-7"},
        {"TimeOver24hADay",
         [](Agency& a) { a.log_time(aecore::NewTimeEntry{"S0003", kPrint, Date(2026, 6, 2), Decimal(17), "", kNow}); },
         V, "time.hours", "17", "JT-10"},
        {"TimeOnCancelledTicket",
         [](Agency& a) { a.log_time(aecore::NewTimeEntry{"S0004", kStudy, Date(2026, 6, 3), Decimal(1), "", kNow}); },
         ST, "time.job", "\"RS-202606-01\"", "JT-10"},
        {"TimeApprovingOwn", [](Agency& a) { a.approve_time("TE000001", "S0003", kNow); }, V, "time.approver",
         "\"S0003\"", "JT-10"},
        {"TimeApprovingLockedEntry", [](Agency& a) { a.approve_time("TE000002", "S0003", kNow); }, ST, "time.status",
         "Approved", "JT-10"},
        {"TimeDateBeforeTicketOpened",
         [](Agency& a) { a.log_time(aecore::NewTimeEntry{"S0003", kPrint, Date(2026, 5, 29), Decimal(1), "", kNow}); },
         V, "time.date", "2026-05-29", "JT-10"},
        {"WeeklyStatusNotMonday", [](Agency& a) { (void)a.weekly_status(Date(2026, 6, 2)); }, V, "week_start",
         "2026-06-02", "JT-11"},
        {"DeliveryMetricsReversedRange",
         [](Agency& a) { (void)a.delivery_metrics(Date(2026, 6, 30), Date(2026, 6, 1), false); }, V, "to", "2026-06-01",
         "JT-12"},
        // ---------------------------------------------------------- estimates and the ledger (MB-2, MB-3)
        {"PaymentAboveOpenBalance",
         [](Agency& a) { a.record_payment(aecore::NewPayment{"INV-2026-001", kNow.date(), cny("40000"), "BANK", "S0003"}); },
         V, "payment.amount", "40000.00 CNY", "MB-3"},
        {"PaymentUnknownInvoice",
         [](Agency& a) { a.record_payment(aecore::NewPayment{"INV-2099-0001", kNow.date(), cny("1"), "BANK", "S0003"}); },
         NF, "payment.invoice", "\"INV-2099-0001\"", "MB-3"},
        {"MediaBookingWithoutConfirmation",
         [](Agency& a) {
             a.commit_cost(aecore::NewCommitment{kPrint, kNow.date(), cny("1000"), "July insertion", "S0003", true});
         },
         V, "commitment.confirmation", "none", "MB-3"},
        {"ReversalTwice", [](Agency& a) { a.reverse_entry("L00000005", kNow.date(), "again", "S0002"); }, ST,
         "reversal.entry", "\"L00000005\"", "MB-3"},
        {"ReversalOfAnEstimate", [](Agency& a) { a.reverse_entry("L00000001", kNow.date(), "wrong", "S0002"); }, ST,
         "reversal.entry", "\"L00000001\"", "MB-2"},
        {"ReversalOfTimeCost", [](Agency& a) { a.reverse_entry("L00000002", kNow.date(), "wrong", "S0002"); }, ST,
         "reversal.entry", "\"L00000002\"", "JT-10"},
        {"ReversalBeforeEntryDate", [](Agency& a) { a.reverse_entry("L00000004", Date(2026, 6, 9), "wrong", "S0002"); },
         V, "reversal.date", "2026-06-09", "MB-3"},
        {"InvoiceNumberReused",
         [](Agency& a) { a.issue_invoice(invoice("INV-2026-001", kAcme, kNow.date(), Date(2026, 7, 22), cny("1000"))); },
         V, "invoice.number", "\"INV-2026-001\"", "MB-3"},
        {"CreditNoteZeroAmount",
         [](Agency& a) { a.issue_invoice(invoice("CN-2026-002", kAcme, kNow.date(), kNow.date(), cny("0"))); }, V,
         "invoice.amount", "0.00 CNY", "MB-3"},
        {"CreditNoteDueBeforeDate",
         [](Agency& a) { a.issue_invoice(invoice("CN-2026-002", kAcme, kNow.date(), Date(2026, 6, 1), cny("-500"))); }, V,
         "invoice.due", "2026-06-01", "MB-3"},
        {"InvoiceOtherCurrency",
         [](Agency& a) { a.issue_invoice(invoice("INV-2026-099", kAcme, kNow.date(), Date(2026, 7, 22), usd("10"))); }, V,
         "invoice.amount", "10.00 USD", "MB-1"},
        {"InvoiceUnknownContract",
         [](Agency& a) {
             a.issue_invoice(aecore::NewInvoice{.number = "SF-2026-07", .client = kAcme, .contract = "T09",
                                                .date = Date(2026, 7, 1), .due = Date(2026, 7, 31), .amount = cny("10000"),
                                                .recorded_by = "S0003"});
         },
         NF, "invoice.contract", "\"T09\"", "CL-7"},
        {"CostWithoutApprovedEstimate",
         [](Agency& a) { a.record_cost(aecore::NewActualCost{kMedia, kNow.date(), cny("1000"), "Reach data", "S0003"}); },
         ST, "cost.job", "\"MD-202606-01\"", "MB-2"},
        {"CostNegativeAmount",
         [](Agency& a) { a.record_cost(aecore::NewActualCost{kPrint, kNow.date(), cny("-5"), "Refund", "S0003"}); }, V,
         "cost.amount", "-5.00 CNY", "MB-3"},
        // The ledger store's own 64-bit checks are reported under the posting's field, with the
        // amount as passed (they once said "amount = 9223372036854775807").
        {"CostJobTotalOverflow",
         [](Agency& a) {
             a.record_cost(aecore::NewActualCost{kPrint, kNow.date(), Money::from_minor(INT64_MAX, "CNY"), "Overflow",
                                                 "S0003"});
         },
         V, "cost.amount", "92233720368547758.07 CNY", "MB-1"},
        // The one amount a reversal cannot negate (INT64_MIN minor units), likewise.
        {"CreditNoteUnreversibleAmount",
         [](Agency& a) {
             a.issue_invoice(invoice("CN-2026-003", kAcme, kNow.date(), kNow.date(), Money::from_minor(INT64_MIN, "CNY")));
         },
         V, "invoice.amount", "-92233720368547758.08 CNY", "MB-1"},
        {"EstimateUnknownVersion", [](Agency& a) { a.approve_estimate(kMedia, 5, "K01", kNow); }, NF, "estimate.version",
         "5", "MB-2"},
        {"EstimateApprovedByStranger", [](Agency& a) { a.approve_estimate(kMedia, 1, "K09", kNow); }, NF,
         "estimate.approved_by", "\"K09\"", "MB-2"},
        {"EstimateOnCancelledJob",
         [](Agency& a) { a.prepare_estimate(aecore::NewEstimate{kStudy, cny("1000"), "", "S0004", kNow}); }, ST,
         "estimate.job", "\"RS-202606-01\"", "MB-2"},
        {"EstimateZeroAmount",
         [](Agency& a) { a.prepare_estimate(aecore::NewEstimate{kMedia, cny("0"), "", "S0003", kNow}); }, V,
         "estimate.amount", "0.00 CNY", "MB-2"},
        // ---------------------------------------------------------- reconciliation, aging, reports (MB-4..MB-7)
        {"ReconcileMonth13", [](Agency& a) { (void)a.reconcile(kAcme, aecore::YearMonth{2026, 13}); }, V, "month",
         "2026-13", "MB-4"},
        {"AgingDsoDaysZero", [](Agency& a) { (void)a.aging(Date(2026, 6, 30), aecore::AgingBasis::DueDate, 0); }, V,
         "dso_days", "0", "MB-5"},
        {"OpenBalanceUnknownInvoice", [](Agency& a) { (void)a.open_balance("INV-2099-0001"); }, NF, "invoice",
         "\"INV-2099-0001\"", "MB-3"},
        {"ProfitabilityReversedRange", [](Agency& a) { (void)a.profitability(Date(2026, 6, 30), Date(2026, 1, 1), false); },
         V, "to", "2026-01-01", "MB-7"},
        {"HandoverUnknownContract", [](Agency& a) { (void)a.handover_statement(kAcme, "T09"); }, NF, "contract",
         "\"T09\"", "CL-7"},
        {"TiersBeforeSupportedYears", [](Agency& a) { (void)a.tiers(Date(1400, 6, 1)); }, V, "as_of", "1400-06-01",
         "CL-5"},
        {"CollectionsBeforeSupportedYears", [](Agency& a) { (void)a.collections(Date(1400, 6, 1)); }, V, "as_of",
         "1400-06-01", "MB-6"},
        // ---------------------------------------------------------- evaluations (PE-1..PE-6)
        {"ScoreZero", [](Agency& a) { a.score_criterion("EV0003", "attitude", 0); }, V, "score.score", "0", "PE-1"},
        {"ScoreSix", [](Agency& a) { a.score_criterion("EV0001", "attitude", 6); }, V, "score.score", "6", "PE-1"},
        {"ScoreUnknownCriterion", [](Agency& a) { a.score_criterion("EV0003", "charisma", 3); }, NF, "score.criterion",
         "\"charisma\"", "PE-1"},
        {"ScoreCriterionWeightedZero", [](Agency& a) { a.score_criterion("EV0003", "training_juniors", 3); }, V,
         "score.criterion", "\"training_juniors\"", "PE-1"},
        {"EvaluationWrongEvaluator", [](Agency& a) { a.start_evaluation(evaluation_of("S0003", "S0001")); }, V,
         "evaluation.evaluator", "\"S0001\"", "PE-3"},
        {"EvaluationEvaluateeAsReviewer",
         [](Agency& a) {
             aecore::NewEvaluation e = evaluation_of("S0004", "S0002");
             e.reviewers = {"S0004"};
             a.start_evaluation(e);
         },
         V, "evaluation.reviewers", "\"S0004\"", "PE-3"},
        {"EvaluationAdHocWithoutEnd",
         [](Agency& a) {
             aecore::NewEvaluation e = evaluation_of("S0004", "S0002");
             e.period = EvaluationPeriod::AdHoc;
             a.start_evaluation(e);
         },
         V, "evaluation.end", "none", "PE-3"},
        {"EvaluationReviewedByNonReviewer",
         [](Agency& a) { a.advance_evaluation("EV0001", EvaluationStatus::Reviewed, "S0002", kNow); }, V,
         "evaluation.actor", "\"S0002\"", "PE-3"},
        {"EvaluationFinalizeIncomplete",
         [](Agency& a) { a.advance_evaluation("EV0003", EvaluationStatus::Finalized, "S0003", kNow); }, ST,
         "evaluation.scores", "19 missing", "PE-3"},
        {"EvaluationEditFinalized", [](Agency& a) { a.score_criterion("EV0002", "analysis", 3); }, ST,
         "evaluation.status", "Finalized", "PE-3"},
        {"EvaluationCommentsControlChar", [](Agency& a) { a.set_evaluatee_comments("EV0001", "ok\x07"); }, V,
         "evaluation.evaluatee_comments", "\"ok\\u0007\"", "PE-3"},
        {"RubricWeightsNot100", [](Agency& a) { a.add_rubric(one_criterion_rubric(50)); }, V, "rubric.weights",
         "50.00 %", "PE-1"},
        {"RubricCriterionWeightOver100", [](Agency& a) { a.add_rubric(one_criterion_rubric(150)); }, V,
         "criterion.weights", "150", "PE-1"},
        {"RubricDuplicateId", [](Agency& a) { a.add_rubric(a.rubric("5A")); }, V, "rubric.id", "\"5A\"", "PE-1"},
        {"KpiWeightsNotOne", [](Agency& a) { a.set_kpis("EV0001", {aecore::Kpi{"billings", dec("0.5"), dec("1")}}); }, V,
         "kpis.weights", "0.5", "PE-6"},
        {"KpiWeightOverOne", [](Agency& a) { a.set_kpis("EV0001", {aecore::Kpi{"billings", dec("1.5"), dec("1")}}); }, V,
         "kpi.weight", "1.5", "PE-6"},
        // ---------------------------------------------------------- persistence (PS-1, PS-2)
        // A syntax error has no JSON path or value: the field is the root "/" and the
        // message says why (the parser's own text, with the byte offset).
        {"JsonMalformed",
         [](Agency& a) {
             const std::string text = a.to_json();
             (void)Agency::from_json(std::string_view(text).substr(0, text.size() - 20));
         },
         SC, "/", "not valid JSON", "PS-1"},
        {"JsonWrongSchemaName",
         [](Agency& a) { (void)Agency::from_json(edited(a, [](Json& d) { d["schema"] = "aecore.Other"; })); }, SC,
         "/schema", "\"aecore.Other\"", "PS-1"},
        {"JsonNewerVersion", [](Agency& a) { (void)Agency::from_json(edited(a, [](Json& d) { d["version"] = 99; })); }, SC,
         "/version", "99", "PS-1"},
        {"JsonUnknownKey",
         [](Agency& a) { (void)Agency::from_json(edited(a, [](Json& d) { d["agency"]["motto"] = "x"; })); }, SC,
         "/agency/motto", "\"x\"", "PS-1"},
        {"JsonUnknownManager",
         [](Agency& a) { (void)Agency::from_json(edited(a, [](Json& d) { d["staff"][3]["manager"] = "S9999"; })); }, SC,
         "/staff/3/manager", "\"S9999\"", "PS-1"},
        {"JsonMoneyTooManyDecimals",
         [](Agency& a) {
             (void)Agency::from_json(edited(a, [](Json& d) { d["clients"][0]["annual_budget"]["amount"] = "1.234"; }));
         },
         SC, "/clients/0/annual_budget/amount", "\"1.234\"", "PS-1"},
        {"JsonImpossibleDate",
         [](Agency& a) { (void)Agency::from_json(edited(a, [](Json& d) { d["calendar"]["holidays"][0] = "2026-02-30"; })); },
         SC, "/calendar/holidays/0", "\"2026-02-30\"", "PS-1"},
        {"JsonBadEnum",
         [](Agency& a) { (void)Agency::from_json(edited(a, [](Json& d) { d["staff"][0]["title"] = "CEO"; })); }, SC,
         "/staff/0/title", "\"CEO\"", "PS-1"},
        {"JsonPaymentAboveInvoice",
         [](Agency& a) { (void)Agency::from_json(edited(a, [](Json& d) { d["ledger"][7]["amount"] = "60000.00"; })); },
         SC, "/ledger/7/amount", "\"60000.00\"", "PS-1"},
        {"LoadMissingFile", [](Agency&) { (void)Agency::load(kMissingFile); }, IO, "path", quoted_missing_file(), "PS-1"},
        {"SaveIntoMissingDirectory", [](Agency& a) { a.save(kMissingFile); }, IO, "path", quoted_missing_file(), "PS-2"},
    };
}

// ---------------------------------------------------------------- the tests

class BadInputCatalog : public testing::TestWithParam<Case> {};

TEST_P(BadInputCatalog, IsRefusedWithItsRuleAndLeavesTheAgencyUnchanged) {
    const Case& c = GetParam();
    Agency agency = catalog_book();  // a fresh copy for every case
    std::optional<Kind> raised;
    // book::refused_unchanged: the call must throw an aecore::Error, and the agency must
    // serialise byte-identically (and compare equal) afterwards.
    const std::optional<aecore::Error> e = book::refused_unchanged<aecore::Error>(agency, [&](Agency& a) {
        try {
            c.op(a);
        } catch (const aecore::Error& err) {
            raised = kind_of(err);
            throw;
        }
    });
    ASSERT_TRUE(e.has_value());
    EXPECT_TRUE(raised == c.kind) << "raised " << (raised ? kind_name(*raised) : "aecore::Error") << ", expected "
                                  << kind_name(c.kind) << ": " << e->what();
    book::expect_names(e, c.field, c.value, c.rule);  // field(), rule(), and what() names field, value, [RULE]
}

INSTANTIATE_TEST_SUITE_P(BadInput, BadInputCatalog, testing::ValuesIn(catalog()),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

// At least 60 rows, unique names, and no two rows checking the same (kind, rule, field,
// value): the catalog is not one check in many variants. Every error kind appears.
TEST(BadInputCatalogTable, HasSixtyDistinctChecksOfEveryKind) {
    const std::vector<Case> cases = catalog();
    EXPECT_GE(cases.size(), 60u);
    std::set<std::string> names;
    std::set<std::tuple<Kind, std::string, std::string, std::string>> checks;
    std::set<Kind> kinds;
    for (const Case& c : cases) {
        EXPECT_TRUE(names.insert(c.name).second) << "duplicate name " << c.name;
        EXPECT_TRUE(checks.emplace(c.kind, c.rule, c.field, c.value).second) << "duplicate check " << c.name;
        kinds.insert(c.kind);
    }
    EXPECT_EQ(kinds.size(), 5u);
}

// The fixture itself is what the table assumes.
TEST(BadInputCatalogTable, CatalogBookHasTheRecordsTheTableNames) {
    const Agency& a = catalog_book();
    EXPECT_EQ(a.clients().size(), 3u);
    EXPECT_EQ(a.job(kPrint).status, TicketStatus::InProgress);
    EXPECT_EQ(a.job(kMedia).status, TicketStatus::Draft);
    EXPECT_EQ(a.job(kStudy).status, TicketStatus::Cancelled);
    EXPECT_EQ(a.job(kFilm).status, TicketStatus::Approved);
    EXPECT_EQ(a.ledger_entry("L00000001").kind, aecore::EntryKind::Estimate);
    EXPECT_EQ(a.ledger_entry("L00000002").time_entry, std::optional<std::string>("TE000002"));
    EXPECT_TRUE(a.ledger_entry("L00000005").reversed);
    EXPECT_EQ(a.ledger_entry("L00000008").kind, aecore::EntryKind::Payment);
    EXPECT_EQ(a.open_balance("INV-2026-001"), cny("30000"));
    EXPECT_EQ(a.plan("MP0001").status, aecore::PlanStatus::ClientApproved);
    EXPECT_EQ(a.plan("MP0002").status, aecore::PlanStatus::Proposed);
    EXPECT_EQ(a.evaluation("EV0002").status, EvaluationStatus::Finalized);
    EXPECT_EQ(a.evaluation("EV0003").status, EvaluationStatus::Reviewed);
}

}  // namespace
