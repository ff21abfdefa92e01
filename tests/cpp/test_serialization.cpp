// Persistence (SPEC PS-1..PS-3): the aecore.Agency JSON document, its validating
// reader (SchemaError names the JSON path), a golden file that must load and save
// byte for byte, determinism, and atomic saves that never damage the previous file.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <linux/magic.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <chrono>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "aecore/serialization.hpp"
#include "atomic_file.hpp"  // internal (this binary sees src/)

#ifndef AECORE_TEST_DATA_DIR
#error "AECORE_TEST_DATA_DIR must point at tests/data"
#endif

namespace {

namespace fs = std::filesystem;
using aecore::Agency;
using aecore::IoError;
using aecore::SchemaError;
using Json = nlohmann::ordered_json;

// Golden files, one per schema version. The file of the CURRENT version
// (agency_v6.json) is written by this library from build_golden_v6_agency(); set
// AECORE_UPDATE_GOLDEN=1 to rewrite it after a deliberate change, then review the diff.
// The files of OLDER versions (agency_v1/v2/v3/v4/v5.json) are fixed points of history and
// never change: each must keep loading (by migration) into the agency its fixture
// builds, for as long as aecore reads that version.
//
// When schema::kVersion is bumped: leave agency_v6.json as it is, turn the GoldenFileV6
// "library still writes it" tests into migration tests like GoldenFileV5's, and add
// agency_v<N>.json from a fixture that extends build_golden_v6_agency().
const fs::path kGoldenFile = fs::path(AECORE_TEST_DATA_DIR) / "agency_v1.json";
const fs::path kGoldenV2File = fs::path(AECORE_TEST_DATA_DIR) / "agency_v2.json";
const fs::path kGoldenV3File = fs::path(AECORE_TEST_DATA_DIR) / "agency_v3.json";
const fs::path kGoldenV4File = fs::path(AECORE_TEST_DATA_DIR) / "agency_v4.json";
const fs::path kGoldenV5File = fs::path(AECORE_TEST_DATA_DIR) / "agency_v5.json";
const fs::path kGoldenV6File = fs::path(AECORE_TEST_DATA_DIR) / "agency_v6.json";

// The opening of every document this build writes: {"schema": ..., "version": kVersion, ...
// (built with append: GCC 12 warns falsely about "literal" + std::string).
std::string current_document_prefix() {
    std::string out = "{\n  \"schema\": \"aecore.Agency\",\n  \"version\": ";
    out.append(std::to_string(aecore::schema::kVersion));
    out.append(",\n");
    return out;
}

// ---------------------------------------------------------------- fixtures

// The agency stored in tests/data/agency_v1.json. To regenerate the file after a
// deliberate schema change, save this agency over it and review the diff.
Agency build_golden_agency() {
    using namespace aecore;
    Agency a("Chengdu Bright Advertising 成都明亮广告", "CD", "CNY");

    Policy& p = a.policy();
    p.set_span_of_control(2, 4);
    p.set_contact_cadence(1, 5);
    p.set_tier_shares(Decimal::parse("0.55"), Decimal::parse("0.85"));
    p.set_tier_a_max_overdue_days(60);
    p.set_min_distribution_for_advertising(50);
    p.set_lead_time_days(JobType::TVCommercial, 25);
    p.set_lead_time_days(JobType::Research, 12);
    p.set_overspend(OverspendPolicy::Stop);
    p.set_escalation_days(2, 10, 20);
    p.set_late_payment_days(45);
    p.set_rating_bands({Decimal::parse("1.8"), Decimal::parse("2.6"), Decimal::parse("3.6"), Decimal::parse("4.4")});

    BusinessCalendar& c = a.calendar();
    c.set_holidays({Date(2026, 10, 1), Date(2026, 5, 1), Date(2026, 5, 4), Date(2026, 5, 5)});
    c.add_working_weekend_day(Date(2026, 5, 9));
    c.add_working_weekend_day(Date(2026, 4, 26));
    c.set_working_hours(boost::posix_time::hours(8) + boost::posix_time::minutes(30),
                        boost::posix_time::hours(17) + boost::posix_time::minutes(30));

    // Staff are added before their managers exist; the reporting lines are set
    // afterwards, so the file lists a report (S0001) before its manager (S0003).
    NewStaff wang;
    wang.name = "Wang Fang";
    wang.title = Title::AE;
    wang.hourly_rate = Money::parse("320.00", "CNY");
    wang.email = "wang.fang@bright.example";
    a.add_staff(wang);  // S0001

    NewStaff li;
    li.name = "李伟";
    li.title = Title::AAE;
    li.hourly_rate = Money::parse("180.50", "CNY");
    li.manager = "S0001";
    a.add_staff(li);  // S0002

    NewStaff chen;
    chen.name = "Chen Jie";
    chen.title = Title::AM;
    chen.hourly_rate = Money::parse("450", "CNY");
    a.add_staff(chen);  // S0003

    NewStaff zhang;
    zhang.id = "AD-01";
    zhang.name = "Zhang Min";
    zhang.title = Title::AD;
    zhang.department = Department::Management;
    zhang.hourly_rate = Money::parse("800.00", "CNY");
    zhang.email = "zhang.min@bright.example";
    a.add_staff(zhang);

    StaffUpdate to_chen;
    to_chen.manager = std::optional<std::string>("S0003");
    a.update_staff("S0001", to_chen);
    StaffUpdate to_zhang;
    to_zhang.manager = std::optional<std::string>("AD-01");
    a.update_staff("S0003", to_zhang);
    return a;
}

// The agency stored in tests/data/agency_v2.json: the version-1 agency plus a book of
// clients (brands, products, contacts, contracts, team and stage history, an archived
// client first contacted in an earlier year) and the account-service routines.
Agency build_golden_v2_agency() {
    using namespace aecore;
    namespace bp = boost::posix_time;
    auto at = [](int y, int m, int d, int hh, int mm, int ss = 0) {
        return DateTime(Date(y, m, d), bp::hours(hh) + bp::minutes(mm) + bp::seconds(ss));
    };
    Agency a = build_golden_agency();
    NewStaff liu;
    liu.name = "Liu Yang";
    liu.title = Title::AE;
    liu.hourly_rate = Money::parse("300.00", "CNY");
    liu.manager = "S0003";
    a.add_staff(liu);  // S0004

    // ---- Acme: Negotiating, then Closed; the owner changes on 2026-04-01
    NewClient acme;
    acme.name = "Acme Foods 艾克美食品";
    acme.short_name = "ACME";
    acme.city = "CD";
    acme.first_contact = Date(2026, 3, 2);
    acme.team.ae = "S0001";
    acme.team.aae = "S0002";
    acme.team.am = "S0003";
    acme.team.ad = "AD-01";
    acme.stage = PipelineStage::Negotiating;
    acme.address = "1 Tianfu Avenue, Chengdu";
    acme.phone = "+86 28 8888 0001";
    acme.fax = "+86 28 8888 0002";
    acme.email = "marketing@acme.example";
    acme.annual_budget = Money::parse("1200000.00", "CNY");
    acme.notes = "Prefers WeChat.\nBudget year starts in April.";
    acme.background = "Mr Zhao founded the company in 2009; ex-FMCG sales.";
    const std::string acme_code = a.register_client(acme).code;  // CD-202603-ACME-001
    a.add_brand(acme_code, "Acme Noodles");
    a.add_brand(acme_code, "Acme Tea");
    a.add_product(acme_code, "Acme Noodles", "Beef Noodle");
    a.add_product(acme_code, "Acme Noodles", "Spicy Noodle");
    a.add_product(acme_code, "Acme Tea", "Green Tea");
    NewContact zhao;
    zhao.name = "Zhao Lei 赵磊";
    zhao.role = DecisionRole::DecisionMaker;
    zhao.job_title = "CEO";
    zhao.phone = "+86 139 0000 0001";
    zhao.email = "zhao@acme.example";
    zhao.primary = true;
    a.add_contact(acme_code, zhao);  // K01
    NewContact qian;
    qian.name = "Qian Yu";
    qian.role = DecisionRole::Influencer;
    qian.job_title = "Marketing Director";
    a.add_contact(acme_code, qian);  // K02
    NewContact sun;
    sun.name = "Sun Hao";
    sun.role = DecisionRole::Executor;
    sun.job_title = "Brand Manager";
    sun.email = "sun@acme.example";
    a.add_contact(acme_code, sun);  // K03
    a.add_contract(acme_code, Date(2026, 4, 1), Date(2027, 3, 31), Money::parse("50000.00", "CNY"),
                   "monthly in arrears, 30 days");
    a.add_contract(acme_code, Date(2026, 4, 1), Date(2026, 6, 30), Money::parse("8000", "CNY"), "prepaid");
    AccountTeam acme_team;
    acme_team.ae = "S0004";
    acme_team.aae = "S0002";
    acme_team.am = "S0003";
    a.assign_team(acme_code, acme_team, Date(2026, 4, 1), "Wang Fang moves to Beta Motors");
    a.set_stage(acme_code, PipelineStage::Closed, Date(2026, 4, 10), "contract signed", Date(2026, 4, 13));

    // ---- Beta: Potential, then Negotiating
    NewClient beta;
    beta.name = "Beta Motors";
    beta.short_name = "BETA";
    beta.city = "SH";
    beta.first_contact = Date(2026, 4, 7);
    beta.team.ae = "S0001";
    beta.team.am = "S0003";
    const std::string beta_code = a.register_client(beta).code;  // SH-202604-BETA-002
    a.add_brand(beta_code, "Beta EV");
    NewContact wu;
    wu.name = "Wu Gang";
    wu.role = DecisionRole::DecisionMaker;
    wu.primary = true;
    a.add_contact(beta_code, wu);  // K01
    a.set_stage(beta_code, PipelineStage::Negotiating, Date(2026, 4, 14), "brief received");

    // ---- Gamma: first contacted in 2025, interrupted, archived
    NewClient gamma;
    gamma.name = "Gamma Bank 伽马银行";
    gamma.short_name = "GAMMA";
    gamma.city = "CD";
    gamma.first_contact = Date(2025, 11, 20);
    gamma.team.ae = "S0001";
    gamma.stage = PipelineStage::Interrupted;
    const std::string gamma_code = a.register_client(gamma).code;  // CD-202511-GAMMA-001
    NewContact he;
    he.name = "He Ping";
    a.add_contact(gamma_code, he);

    // ---- routines
    NewMeetingNotice kickoff;
    kickoff.client = acme_code;
    kickoff.author = "S0001";
    kickoff.issued_at = at(2026, 4, 3, 16, 0);
    kickoff.meeting_at = at(2026, 4, 8, 10, 0);
    kickoff.attendees = {"Wang Fang", "Chen Jie", "Zhao Lei 赵磊", "Qian Yu"};
    kickoff.location = "Acme HQ, meeting room 3";
    kickoff.topic = "Spring campaign kick-off";
    kickoff.items_to_confirm = "Budget split; launch date";
    kickoff.agenda = "1. Objectives\n2. Media split\n3. Next steps";
    const std::string n1 = a.add_meeting_notice(kickoff).id;  // N00001
    NewMeetingNotice launch;
    launch.client = beta_code;
    launch.author = "S0001";
    launch.issued_at = at(2026, 4, 16, 9, 0);
    launch.meeting_at = at(2026, 4, 21, 14, 0);
    launch.attendees = {"Wang Fang"};
    launch.topic = "Launch plan";
    a.add_meeting_notice(launch);  // N00002, incomplete

    NewActivity meeting;
    meeting.kind = ActivityKind::Meeting;
    meeting.when = at(2026, 4, 8, 10, 0);
    meeting.client = acme_code;
    meeting.staff = "S0001";
    meeting.contacts = {"K01", "K02"};
    meeting.summary = "Kick-off of the spring campaign";
    meeting.notice = n1;
    const std::string a1 = a.log_activity(meeting).id;  // A000001
    NewActivity visit;
    visit.kind = ActivityKind::Visit;
    visit.when = at(2026, 4, 10, 14, 30);
    visit.client = acme_code;
    visit.staff = "S0004";
    visit.contacts = {"K03"};
    visit.summary = "Store check with the brand manager";
    const std::string a2 = a.log_activity(visit).id;  // A000002
    NewActivity call;
    call.kind = ActivityKind::Call;
    call.when = at(2026, 4, 14, 9, 15, 30);
    call.client = beta_code;
    call.staff = "S0001";
    call.contacts = {"K01"};
    call.summary = "Price objection on the media plan";
    call.important = true;
    const std::string a3 = a.log_activity(call).id;  // A000003
    NewActivity email;
    email.kind = ActivityKind::Email;
    email.when = at(2026, 4, 15, 18, 2);
    email.client = beta_code;
    email.staff = "S0001";
    email.summary = "Sent the revised estimate";
    a.log_activity(email);  // A000004

    NewContactReport r1;
    r1.activity = a1;
    r1.written_at = at(2026, 4, 8, 17, 0);
    r1.author = "S0001";
    r1.summary = "Agreed objectives; media split to follow.";
    r1.distribution_contacts = {"K01", "K02"};
    r1.distribution_staff = {"S0003", "S0002"};
    a.add_contact_report(r1);  // R00001
    NewContactReport r2;
    r2.activity = a2;
    r2.written_at = at(2026, 4, 13, 9, 0);  // late
    r2.author = "S0004";
    r2.summary = "Shelf space below plan in two stores.";
    r2.distribution_contacts = {"K03"};
    r2.distribution_staff = {"S0003"};
    a.add_contact_report(r2);  // R00002
    NewContactReport r3;
    r3.activity = a3;
    r3.written_at = at(2026, 4, 14, 11, 0);
    r3.author = "S0001";
    r3.summary = "Client accepts the plan if TV drops to 40 %.";
    a.add_contact_report(r3);  // R00003

    auto report = [&](ReportKind kind, const char* author, Date period, DateTime submitted, const char* summary) {
        NewStatusReport s;
        s.kind = kind;
        s.author = author;
        s.period = period;
        s.submitted_at = submitted;
        s.summary = summary;
        a.submit_status_report(s);
    };
    report(ReportKind::Monthly, "S0001", Date(2026, 3, 1), at(2026, 3, 31, 17, 0), "March: Acme pitch won.");
    report(ReportKind::Weekly, "S0001", Date(2026, 4, 6), at(2026, 4, 13, 9, 0), "Acme kick-off held.");
    report(ReportKind::Weekly, "S0004", Date(2026, 4, 6), at(2026, 4, 13, 10, 30), "Took over Acme.");

    a.archive_client(gamma_code);
    return a;
}

// The agency stored in tests/data/agency_v3.json: the version-2 agency plus 4P marketing
// plans for Acme (all created through the API, so every invariant holds):
//   MP0001  Acme Noodles / Beef Noodle, H2 2026: approved 2026-05-12 by K01, then
//           superseded by its own version 2 (MP0002) on 2026-08-10;
//   MP0002  version 2 of MP0001 with a re-split promotion mix, approved 2026-08-10;
//   MP0003  Acme Tea / Green Tea launch, still a Draft: objectives of every shape (with
//           and without a baseline, qualitative BrandImage) and measured actuals.
Agency build_golden_v3_agency() {
    using namespace aecore;
    namespace bp = boost::posix_time;
    auto at = [](int y, int m, int d, int hh, int mm) { return DateTime(Date(y, m, d), bp::hours(hh) + bp::minutes(mm)); };
    auto cny = [](const char* amount) { return Money::parse(amount, "CNY"); };
    Agency a = build_golden_v2_agency();
    const std::string acme = "CD-202603-ACME-001";

    NewPlan noodles;
    noodles.client = acme;
    noodles.brand = "Acme Noodles";
    noodles.product = "Beef Noodle";
    noodles.period_start = Date(2026, 7, 1);
    noodles.period_end = Date(2026, 12, 31);
    noodles.market = MarketType::Consumer;
    noodles.title = "Beef Noodle H2 2026 牛肉面";
    noodles.author = "S0004";
    noodles.created_at = at(2026, 4, 20, 10, 0);
    const std::string p1 = a.create_plan(noodles).id;  // MP0001
    a.set_product_section(p1, ProductSection{.stage = LifeCycleStage::Growth,
                                             .usp = "Real braised beef in every bowl",
                                             .tangible_benefits = {"150 g of beef", "ready in 3 minutes"},
                                             .intangible_benefits = {"a taste of home 家的味道"},
                                             .improvement_note = ""});
    a.set_price(p1, PriceSection{.list_price = cny("12.50"),
                                 .positioning = PricePositioning::Premium,
                                 .consumer_acceptance = "Accepted at up to 13 CNY in the March store test.",
                                 .competitors = {{"Master Kong", cny("9.90")}, {"Uni-President", cny("10.50")}}});
    a.set_place(p1, PlaceSection{.channels = {"supermarkets", "convenience stores", "e-commerce"},
                                 .outlets_current = 1200,
                                 .outlets_target = 2000,
                                 .coverage_percent = Decimal::parse("72.5")});
    PromotionSection promotion{.budget = cny("800000.00"),
                               .mix = {{MixElement::Advertising, cny("500000.00")},
                                       {MixElement::SalesPromotion, cny("200000.00")},
                                       {MixElement::PublicRelations, cny("50000.00")}},
                               .objective = PromotionObjective::Persuade};
    a.set_promotion(p1, promotion);
    a.set_strategy(p1, Strategy{"Office workers aged 22-35 in Chengdu who eat lunch at their desks.",
                                "The instant noodle with real beef.",
                                "15-second lunchtime TV and short-video spots; in-store tasting."});
    NewObjective share;
    share.kind = ObjectiveKind::MarketShare;
    share.description = "Share of premium instant noodles in Chengdu";
    share.baseline = Decimal::parse("8.5");
    share.target = Decimal::parse("12");
    share.deadline = Date(2026, 12, 31);
    a.add_objective(p1, share);  // O1
    NewObjective outlets;
    outlets.kind = ObjectiveKind::RetailOutlets;
    outlets.description = "Outlets stocking Beef Noodle";
    outlets.baseline = Decimal(1200);
    outlets.target = Decimal(2000);
    outlets.deadline = Date(2026, 10, 31);
    a.add_objective(p1, outlets);  // O2
    a.propose_plan(p1, "S0004", at(2026, 5, 6, 15, 0), "sent to Mr Zhao");
    a.approve_plan(p1, "K01", at(2026, 5, 12, 11, 30), "approved at the quarterly review");
    a.record_actual(p1, "O1", Date(2026, 7, 31), Decimal::parse("9.1"));

    const std::string p2 = a.new_plan_version(p1, "S0004", at(2026, 8, 3, 9, 0)).id;  // MP0002
    promotion.mix[0].budget = cny("450000.00");
    promotion.mix.push_back({MixElement::DirectMarketing, cny("100000.00")});
    a.set_promotion(p2, promotion);
    a.propose_plan(p2, "S0003", at(2026, 8, 5, 14, 0));
    a.approve_plan(p2, "K02", at(2026, 8, 10, 10, 0), "TV cut to fund direct mail");
    a.record_actual(p2, "O1", Date(2026, 8, 31), Decimal::parse("9.8"));
    a.record_actual(p2, "O2", Date(2026, 8, 31), Decimal(1450));

    NewPlan tea;
    tea.client = acme;
    tea.brand = "Acme Tea";
    tea.product = "Green Tea";
    tea.period_start = Date(2026, 9, 1);
    tea.period_end = Date(2027, 8, 31);
    tea.market = MarketType::Reseller;
    tea.author = "S0004";
    tea.created_at = at(2026, 8, 20, 16, 45);
    const std::string p3 = a.create_plan(tea).id;  // MP0003, default title "Acme Tea 2026"
    a.set_product_section(p3, ProductSection{.stage = LifeCycleStage::Launch,
                                             .usp = "Cold-brewed, never bitter",
                                             .tangible_benefits = {"no sugar"},
                                             .intangible_benefits = {},
                                             .improvement_note = ""});
    a.set_place(p3, PlaceSection{.channels = {"tea shops"}, .outlets_current = 0, .outlets_target = 300,
                                 .coverage_percent = Decimal::parse("45")});  // below the Policy's 50 %: MP-8c
    a.set_promotion(p3, PromotionSection{.budget = cny("300000.00"),
                                         .mix = {{MixElement::Advertising, cny("100000.00")},
                                                 {MixElement::PublicRelations, cny("80000.00")}},
                                         .objective = PromotionObjective::Inform});
    NewObjective awareness;
    awareness.kind = ObjectiveKind::BrandAwareness;
    awareness.description = "Aided awareness among tea-shop customers";
    awareness.baseline = Decimal(0);
    awareness.target = Decimal(40);
    awareness.deadline = Date(2027, 2, 28);
    a.add_objective(p3, awareness);  // O1
    NewObjective image;
    image.kind = ObjectiveKind::BrandImage;
    image.description = "Seen as the fresh, modern tea";
    a.add_objective(p3, image);  // O2
    NewObjective volume;
    volume.kind = ObjectiveKind::SalesVolume;
    volume.description = "Bottles sold";
    volume.target = Decimal(500000);
    volume.deadline = Date(2027, 8, 31);
    a.add_objective(p3, volume);  // O3
    // recorded out of order: the history is kept in date order
    a.record_actual(p3, "O1", Date(2026, 12, 31), Decimal::parse("21"));
    a.record_actual(p3, "O1", Date(2026, 10, 31), Decimal::parse("12.5"));
    a.record_actual(p3, "O3", Date(2026, 9, 30), Decimal(41000));
    return a;
}

// The agency stored in tests/data/agency_v4.json: the version-3 agency plus job tickets
// and time sheets, all made through the API (the calendar has 2026-10-01 as a holiday
// and works 08:30-17:30; a TV commercial needs 25 business days, research 12):
//   /jobs/0 CR-202609-01     Creative TV commercial for Acme Noodles / Beef Noodle, the
//                            whole workflow with one client change request (revision
//                            round), issued under plan MP0002, Closed on 2026-10-16;
//   /jobs/1 MD-202609-01     Media plan, InProgress;
//   /jobs/2 RS-202609-01     Research for Acme Tea, approved by the AD, then Cancelled;
//   /jobs/3 CR-202609-01-R1  Revision of CR-202609-01 inside the lead time, with the
//                            AD's written override, Draft;
//   /jobs/4 PD-202610-01     Production point-of-sale for Beta EV, Approved;
//   /jobs/5 AC-202609-01     Account concept worksheet for Acme Tea, Draft, brief
//                            still incomplete.
//   /time_entries/0 TE000001 S0001 7.5 h on CR-202609-01, approved by her manager S0003;
//   /time_entries/1 TE000002 S0002 1.25 h at 180.50 (cost 225.62, half to even), Submitted;
//   /time_entries/2 TE000003 S0001 -1.5 h correcting TE000001, Submitted;
//   /time_entries/3 TE000004 S0004 10 h (2 h overtime) on MD-202609-01, approved by S0003.
// The revision is the fourth ticket opened (see JobRevisions.* in test_jobs.cpp).
Agency build_golden_v4_agency() {
    using namespace aecore;
    namespace bp = boost::posix_time;
    auto at = [](int y, int m, int d, int hh, int mm) { return DateTime(Date(y, m, d), bp::hours(hh) + bp::minutes(mm)); };
    auto cny = [](const char* amount) { return Money::parse(amount, "CNY"); };
    Agency a = build_golden_v3_agency();
    const std::string acme = "CD-202603-ACME-001";
    const std::string beta = "SH-202604-BETA-002";
    auto step = [&](const std::string& number, TicketStatus to, const char* actor, DateTime when, std::string note = {}) {
        a.advance_job(number, to, actor, when, std::move(note));
    };

    // ---- CR-202609-01: the full workflow
    NewJob tv;
    tv.client = acme;
    tv.brand = "Acme Noodles";
    tv.product = "Beef Noodle";
    tv.department = Department::Creative;
    tv.job_type = JobType::TVCommercial;
    tv.title = "Beef Noodle lunchtime spot 午餐广告";
    tv.brief.objective = "Make Beef Noodle the desk-lunch choice of Chengdu office workers";
    tv.brief.target_audience = "Office workers aged 22-35 in Chengdu";
    tv.brief.key_message = "The instant noodle with real beef.";
    tv.brief.mandatories = "Logo end frame; 'real beef' claim cleared by legal";
    tv.brief.deliverables = {{"TV", "15-second spot, 1080p"}, {"Short video", "6-second cut-down, 9:16"}};
    tv.brief.budget = cny("600000.00");
    tv.cost_estimate = cny("580000.00");
    tv.client_deadline = at(2026, 10, 23, 17, 0);
    tv.assignees = {"S0004", "S0001"};
    tv.issuer = "S0004";
    tv.opened_at = at(2026, 9, 1, 10, 0);
    const std::string cr = a.open_job(tv).number;  // CR-202609-01
    step(cr, TicketStatus::Approved, "S0003", at(2026, 9, 1, 14, 0), "signed");
    step(cr, TicketStatus::Issued, "S0004", at(2026, 9, 2, 9, 0));
    step(cr, TicketStatus::InProgress, "S0004", at(2026, 9, 2, 10, 0));

    NewTimeEntry storyboard;
    storyboard.staff = "S0001";
    storyboard.job = cr;
    storyboard.date = Date(2026, 9, 3);
    storyboard.hours = Decimal::parse("7.5");
    storyboard.activity = "storyboard review";
    storyboard.recorded_at = at(2026, 9, 3, 18, 0);
    const std::string te1 = a.log_time(storyboard).id;  // TE000001
    NewTimeEntry notes;
    notes.staff = "S0002";
    notes.job = cr;
    notes.date = Date(2026, 9, 3);
    notes.hours = Decimal::parse("1.25");
    notes.activity = "meeting notes 会议记录";
    notes.recorded_at = at(2026, 9, 3, 18, 5);
    a.log_time(notes);  // TE000002
    a.approve_time(te1, "S0003", at(2026, 9, 4, 10, 0));
    a.correct_time(te1, Decimal::parse("-1.5"), "the review meeting was counted twice", at(2026, 9, 5, 9, 0));  // TE000003

    step(cr, TicketStatus::InternalReview, "S0003", at(2026, 9, 15, 16, 0));
    step(cr, TicketStatus::ClientReview, "S0004", at(2026, 9, 17, 10, 0), "presented to Mr Zhao");
    step(cr, TicketStatus::InProgress, "S0004", at(2026, 9, 18, 11, 0), "client asks for a warmer ending");
    step(cr, TicketStatus::InternalReview, "S0003", at(2026, 9, 25, 15, 0));
    step(cr, TicketStatus::ClientReview, "S0004", at(2026, 9, 28, 10, 0));
    step(cr, TicketStatus::ClientApproved, "S0004", at(2026, 10, 9, 11, 0), "signed off by K01");
    step(cr, TicketStatus::Closed, "S0003", at(2026, 10, 16, 17, 0));

    // ---- MD-202609-01: a media plan in progress, with overtime
    NewJob media = tv;
    media.product.reset();
    media.department = Department::Media;
    media.job_type = JobType::MediaPlan;
    media.title = "H2 media plan";
    media.brief.deliverables = {{"Media plan", "TV and short-video flighting, Sep-Dec"}};
    media.brief.budget = cny("450000.00");
    media.brief.media_objectives = "Reach 70 % of the target at 3+ frequency in October";
    media.cost_estimate.reset();
    media.client_deadline = at(2026, 9, 30, 17, 0);
    media.assignees = {"S0004"};
    media.opened_at = at(2026, 9, 1, 11, 0);
    const std::string md = a.open_job(media).number;  // MD-202609-01
    step(md, TicketStatus::Approved, "S0003", at(2026, 9, 1, 15, 0));
    step(md, TicketStatus::Issued, "S0004", at(2026, 9, 2, 9, 30));
    step(md, TicketStatus::InProgress, "S0004", at(2026, 9, 7, 9, 0));
    NewTimeEntry flighting;
    flighting.staff = "S0004";
    flighting.job = md;
    flighting.date = Date(2026, 9, 7);
    flighting.hours = Decimal(10);
    flighting.activity = "flighting plan";
    flighting.recorded_at = at(2026, 9, 7, 20, 0);
    const std::string te4 = a.log_time(flighting).id;  // TE000004
    a.approve_time(te4, "S0003", at(2026, 9, 8, 9, 0));

    // ---- RS-202609-01: research, cancelled with a reason
    NewJob study;
    study.client = acme;
    study.brand = "Acme Tea";
    study.department = Department::Research;
    study.job_type = JobType::Research;
    study.title = "Tea-shop usage and attitude study";
    study.brief.objective = "Size the cold-brew tea opportunity";
    study.brief.target_audience = "Tea-shop customers aged 18-30";
    study.brief.key_message = "n/a (research)";
    study.brief.mandatories = "Three cities";
    study.brief.deliverables = {{"Report", "40 pages with a top-line summary"}};
    study.brief.budget = cny("120000.00");
    study.brief.research_objective = "Usage, attitudes and price acceptance";
    study.brief.research_method = "Intercept survey";
    study.brief.research_sample = "n = 600, quota by city";
    study.client_deadline = at(2026, 10, 16, 12, 0);
    study.issuer = "S0004";
    study.opened_at = at(2026, 9, 3, 9, 0);
    const std::string rs = a.open_job(study).number;  // RS-202609-01
    step(rs, TicketStatus::Approved, "AD-01", at(2026, 9, 4, 9, 0));
    step(rs, TicketStatus::Cancelled, "S0003", at(2026, 9, 10, 17, 0), "client postponed the study to 2027");

    // ---- CR-202609-01-R1: a revision inside the lead time, with a written override
    NewJob revision;
    revision.kind = TicketKind::Revision;
    revision.parent = cr;
    revision.title = "Beef Noodle spot: Mid-Autumn end frame";
    revision.brief = tv.brief;
    revision.brief.deliverables = {{"TV", "new 3-second end frame"}};
    revision.brief.budget = cny("40000.00");
    revision.client_deadline = at(2026, 10, 30, 17, 0);
    revision.issuer = "S0004";
    revision.opened_at = at(2026, 10, 19, 9, 0);
    revision.lead_time_override = LeadTimeOverride{"AD-01", "the festival date is fixed; the crew is already booked"};
    a.open_job(revision);  // CR-202609-01-R1

    // ---- PD-202610-01: production for Beta, approved
    NewJob pos;
    pos.client = beta;
    pos.brand = "Beta EV";
    pos.department = Department::Production;
    pos.job_type = JobType::PointOfSale;
    pos.title = "Showroom standees";
    pos.brief = study.brief;
    pos.brief.research_objective.clear();
    pos.brief.research_method.clear();
    pos.brief.research_sample.clear();
    pos.brief.deliverables = {{"Standee", "1.8 m, two designs"}};
    pos.client_deadline = at(2026, 10, 30, 12, 0);
    pos.issuer = "S0001";
    pos.opened_at = at(2026, 10, 8, 9, 0);
    const std::string pd = a.open_job(pos).number;  // PD-202610-01
    step(pd, TicketStatus::Approved, "S0003", at(2026, 10, 9, 9, 0));

    // ---- AC-202609-01: a concept worksheet whose brief is still being written
    NewJob worksheet;
    worksheet.kind = TicketKind::ConceptWorksheet;
    worksheet.client = acme;
    worksheet.brand = "Acme Tea";
    worksheet.product = "Green Tea";
    worksheet.department = Department::Account;
    worksheet.job_type = JobType::Other;
    worksheet.title = "Green Tea worksheet worksheet";
    worksheet.brief.objective = "Find the one thing Green Tea can own";
    worksheet.client_deadline = at(2026, 9, 25, 12, 0);
    worksheet.issuer = "S0004";
    worksheet.opened_at = at(2026, 9, 14, 9, 0);
    a.open_job(worksheet);  // AC-202609-01
    return a;
}

// The agency stored in tests/data/agency_v5.json: the version-4 agency plus cost
// estimates and a ledger with an entry of every kind, all made through the API (the
// Policy's overspend rule is Stop, so every commitment and cost fits its estimate):
//   /estimates/0  CR-202609-01/v1 580000.00, approved by K01 on 2026-09-02, Superseded;
//   /estimates/1  MD-202609-01/v1 450000.00, approved by K02 on 2026-09-03;
//   /estimates/2  CR-202609-01/v2 620000.00, a change order withdrawn by v3;
//   /estimates/3  CR-202609-01/v3 640000.00, approved by K01 on 2026-09-22 (+60000.00).
//   /ledger/0..1  the approved time of TE000001 and TE000004 (version 4);
//   /ledger/2..3  the Estimate entries of the two first approvals;
//   /ledger/4     purchase order PO-2026-091 on CR-202609-01;
//   /ledger/5..6  purchase order PO-2026-092 and its reversal (keyed twice);
//   /ledger/7     media booking on MD-202609-01 with the client's written confirmation;
//   /ledger/8     the Estimate entry of the change order;
//   /ledger/9     vendor invoice VI-7781;
//   /ledger/10    invoice INV-2026-0101 of CR-202609-01;
//   /ledger/11    invoice INV-2026-0102 of Beta's PD-202610-01;
//   /ledger/12    credit note CN-2026-0001 (-20000.00);
//   /ledger/13    the October service fee FEE-2026-10 of Acme's contract T01 (client level);
//   /ledger/14    a partial payment of INV-2026-0101;
//   /ledger/15..16 a cheque for INV-2026-0101 that bounced (payment and its reversal).
Agency build_golden_v5_agency() {
    using namespace aecore;
    namespace bp = boost::posix_time;
    auto at = [](int y, int m, int d, int hh, int mm) { return DateTime(Date(y, m, d), bp::hours(hh) + bp::minutes(mm)); };
    auto cny = [](const char* amount) { return Money::parse(amount, "CNY"); };
    Agency a = build_golden_v4_agency();
    const std::string acme = "CD-202603-ACME-001";
    const std::string cr = "CR-202609-01";
    const std::string md = "MD-202609-01";
    const std::string pd = "PD-202610-01";
    auto estimate = [&](const std::string& job, const char* amount, const char* note, DateTime prepared) {
        return a.prepare_estimate(NewEstimate{.job = job, .amount = cny(amount), .note = note, .prepared_by = "S0004",
                                              .prepared_at = prepared})
            .version;
    };
    const int cr1 = estimate(cr, "580000.00", "15-second spot and 6-second cut-down as briefed", at(2026, 9, 1, 11, 0));
    a.approve_estimate(cr, cr1, "K01", at(2026, 9, 2, 9, 30));
    const int md1 = estimate(md, "450000.00", "TV and short-video flighting, September to December", at(2026, 9, 1, 12, 0));
    a.approve_estimate(md, md1, "K02", at(2026, 9, 3, 10, 0));
    a.commit_cost(NewCommitment{.job = cr, .date = Date(2026, 9, 5), .amount = cny("300000.00"),
                                .reference = "PO-2026-091 film crew", .recorded_by = "S0004", .media_booking = false,
                                .confirmation = std::nullopt});
    const LedgerEntry twice = a.commit_cost(NewCommitment{.job = cr, .date = Date(2026, 9, 6), .amount = cny("15000.00"),
                                                          .reference = "PO-2026-092 studio", .recorded_by = "S0004",
                                                          .media_booking = false, .confirmation = std::nullopt});
    a.reverse_entry(twice.id, Date(2026, 9, 7), "keyed twice: the studio is in PO-2026-091", "S0003");
    a.commit_cost(NewCommitment{.job = md, .date = Date(2026, 9, 10), .amount = cny("400000.00"),
                                .reference = "CCTV-5 October flight", .recorded_by = "S0004", .media_booking = true,
                                .confirmation = std::string("K02 e-mail of 2026-09-09")});
    // the change order: v2 is replaced by v3 before the client signs
    estimate(cr, "620000.00", "warmer ending: one more shoot day", at(2026, 9, 18, 9, 0));
    const int cr3 = estimate(cr, "640000.00", "one more shoot day and a second cut-down", at(2026, 9, 21, 10, 0));
    a.approve_estimate(cr, cr3, "K01", at(2026, 9, 22, 15, 0));
    a.record_cost(NewActualCost{.job = cr, .date = Date(2026, 10, 12), .amount = cny("280000.00"),
                                .reference = "VI-7781 film crew", .recorded_by = "S0004"});
    a.issue_invoice(NewInvoice{.number = "INV-2026-0101", .job = cr, .client = std::nullopt, .contract = std::nullopt,
                               .date = Date(2026, 10, 16), .due = Date(2026, 11, 15), .amount = cny("600000.00"),
                               .recorded_by = "S0004"});
    a.issue_invoice(NewInvoice{.number = "INV-2026-0102", .job = pd, .client = std::nullopt, .contract = std::nullopt,
                               .date = Date(2026, 10, 20), .due = Date(2026, 11, 19), .amount = cny("12000.00"),
                               .recorded_by = "S0001"});
    a.issue_invoice(NewInvoice{.number = "CN-2026-0001", .job = cr, .client = std::nullopt, .contract = std::nullopt,
                               .date = Date(2026, 10, 30), .due = Date(2026, 10, 30), .amount = cny("-20000.00"),
                               .recorded_by = "S0004"});
    a.issue_invoice(NewInvoice{.number = "FEE-2026-10", .job = std::nullopt, .client = acme,
                               .contract = std::string("T01"), .date = Date(2026, 10, 31), .due = Date(2026, 11, 30),
                               .amount = cny("50000.00"), .recorded_by = "S0003"});
    a.record_payment(NewPayment{.invoice = "INV-2026-0101", .date = Date(2026, 11, 10), .amount = cny("350000.00"),
                                .reference = "BOC 2026-11-10", .recorded_by = "S0003"});
    const LedgerEntry cheque = a.record_payment(NewPayment{.invoice = "INV-2026-0101", .date = Date(2026, 11, 12),
                                                           .amount = cny("10000.00"), .reference = "cheque 0042",
                                                           .recorded_by = "S0003"});
    a.reverse_entry(cheque.id, Date(2026, 11, 13), "cheque 0042 bounced", "S0003");
    return a;
}

// The agency stored in tests/data/agency_v6.json: the version-5 agency plus a custom
// rubric and performance evaluations in every state, all made through the API (staff:
// S0001 Wang Fang AE -> S0003, S0002 李伟 AAE -> S0001, S0003 Chen Jie AM -> AD-01,
// S0004 Liu Yang AE -> S0003, AD-01 Zhang Min AD; rating bands 1.8 / 2.6 / 3.6 / 4.4):
//   /rubrics/0..1   the built-in account-service and 5A;
//   /rubrics/2      golden-custom: briefing 40 / 30 / 20 / 10, client_care 60 / 45.5 / 30 / 20,
//                   coaching 0 / 24.5 / 50 / 70 (AAE / AE / AM / AD);
//   /evaluations/0  EV0001 S0001 by S0003, reviewer AD-01, account-service, Annual 2026,
//                   every criterion scored, three KPIs, comments, Finalized;
//   /evaluations/1  EV0002 S0002 by S0001 (no reviewers), golden-custom, Q3 2026, both AAE
//                   criteria scored, comments, Discussed;
//   /evaluations/2  EV0003 S0004 by S0003, reviewer AD-01, 5A, second half of 2026, all five
//                   scored, Reviewed;
//   /evaluations/3  EV0004 S0003 by AD-01, reviewer S0001 (AD-01 has no manager), golden-custom,
//                   AdHoc 2026-09-01..10-31, one score, SharedWithEvaluatee;
//   /evaluations/4  EV0005 S0001 by S0003, account-service, Q1 2027, Draft.
Agency build_golden_v6_agency() {
    using namespace aecore;
    namespace bp = boost::posix_time;
    auto at = [](int y, int m, int d, int hh, int mm) { return DateTime(Date(y, m, d), bp::hours(hh) + bp::minutes(mm)); };
    auto dec = [](const char* text) { return Decimal::parse(text); };
    Agency a = build_golden_v5_agency();
    auto criterion = [&](const char* id, const char* area, const char* name, const char* description,
                         std::array<const char*, 4> weights, std::vector<EvidenceMetric> evidence) {
        Criterion c;
        c.id = id;
        c.area = area;
        c.name = name;
        c.description = description;
        for (std::size_t t = 0; t < 4; ++t) c.weights[t] = dec(weights[t]);
        c.evidence = std::move(evidence);
        return c;
    };
    Rubric custom;
    custom.id = "golden-custom";
    custom.name = "Account handling 客户管理";
    custom.criteria = {
        criterion("briefing", "Craft", "Briefing 简报", "Briefs are complete before a ticket is opened",
                  {"40", "30", "20", "10"}, {EvidenceMetric::JobsOnTime, EvidenceMetric::RevisionRounds}),
        criterion("client_care", "Client", "Client care", "Contact within the cadence, reports within 48 hours",
                  {"60", "45.5", "30", "20"}, {EvidenceMetric::ContactCadence, EvidenceMetric::ContactReportsOnTime}),
        criterion("coaching", "Leadership", "Coaching", "", {"0", "24.5", "50", "70"}, {}),
    };
    a.add_rubric(custom);

    auto start = [&](const char* evaluatee, const char* evaluator, std::vector<std::string> reviewers, const char* rubric,
                     EvaluationPeriod period, Date first, std::optional<Date> end, DateTime created) {
        NewEvaluation n;
        n.evaluatee = evaluatee;
        n.evaluator = evaluator;
        n.reviewers = std::move(reviewers);
        n.rubric = rubric;
        n.period = period;
        n.start = first;
        n.end = end;
        n.created_at = created;
        return a.start_evaluation(n).id;
    };

    // ---- EV0001: the whole workflow; every account-service criterion 4 except these
    const std::string ev1 = start("S0001", "S0003", {"AD-01"}, "account-service", EvaluationPeriod::Annual,
                                  Date(2026, 1, 1), std::nullopt, at(2026, 11, 20, 9, 0));
    for (const Criterion& c : a.rubric("account-service").criteria) a.score_criterion(ev1, c.id, 4);
    a.score_criterion(ev1, "market_knowledge", 5, "knows the noodle category cold");
    a.score_criterion(ev1, "attitude", 3, "impatient with production");
    a.score_criterion(ev1, "training_juniors", 2, "李伟 needs more of her time");
    a.score_criterion(ev1, "money_mindedness", 5, "the lunchtime spot came in under its estimate");
    a.set_kpis(ev1, {Kpi{"billings", dec("0.5"), dec("1.08")}, Kpi{"margin", dec("0.3"), dec("0.92")},
                     Kpi{"collection", dec("0.2"), dec("0.85")}});
    a.set_evaluatee_comments(ev1, "Agreed. I will coach 李伟 on briefs in 2027.");
    a.advance_evaluation(ev1, EvaluationStatus::SharedWithEvaluatee, "S0003", at(2026, 12, 1, 10, 0), "please read before Thursday");
    a.advance_evaluation(ev1, EvaluationStatus::Discussed, "S0001", at(2026, 12, 3, 15, 30));
    a.advance_evaluation(ev1, EvaluationStatus::Reviewed, "AD-01", at(2026, 12, 10, 9, 0), "calibrated with the AM team");
    a.advance_evaluation(ev1, EvaluationStatus::Finalized, "S0003", at(2026, 12, 18, 17, 0));

    // ---- EV0002: the AAE on the custom rubric, discussed
    const std::string ev2 = start("S0002", "S0001", {}, "golden-custom", EvaluationPeriod::Quarterly, Date(2026, 7, 1),
                                  std::nullopt, at(2026, 9, 21, 9, 0));
    a.score_criterion(ev2, "client_care", 3, "two contact reports were late");
    a.score_criterion(ev2, "briefing", 4);
    a.advance_evaluation(ev2, EvaluationStatus::SharedWithEvaluatee, "S0001", at(2026, 9, 25, 16, 0));
    a.advance_evaluation(ev2, EvaluationStatus::Discussed, "S0002", at(2026, 9, 28, 11, 0));
    a.set_evaluatee_comments(ev2, "谢谢，我会改进。");

    // ---- EV0003: 5A, reviewed
    const std::string ev3 = start("S0004", "S0003", {"AD-01"}, "5A", EvaluationPeriod::SemiAnnual, Date(2026, 7, 1),
                                  Date(2026, 12, 31), at(2026, 11, 30, 9, 0));
    const std::array<std::pair<const char*, int>, 5> five{
        {{"analysis", 4}, {"approach", 3}, {"attach", 4}, {"attack", 4}, {"account", 3}}};
    for (const auto& [id, score] : five) a.score_criterion(ev3, id, score);
    a.advance_evaluation(ev3, EvaluationStatus::SharedWithEvaluatee, "S0003", at(2026, 12, 2, 10, 0));
    a.advance_evaluation(ev3, EvaluationStatus::Discussed, "S0003", at(2026, 12, 4, 10, 0), "in the Friday one-to-one");
    a.advance_evaluation(ev3, EvaluationStatus::Reviewed, "AD-01", at(2026, 12, 8, 14, 0));

    // ---- EV0004: the AM, ad hoc after the Beta launch, shared
    const std::string ev4 = start("S0003", "AD-01", {"S0001"}, "golden-custom", EvaluationPeriod::AdHoc,
                                  Date(2026, 9, 1), Date(2026, 10, 31), at(2026, 11, 2, 9, 0));
    a.score_criterion(ev4, "coaching", 5, "brought Liu Yang through his first media plan");
    a.advance_evaluation(ev4, EvaluationStatus::SharedWithEvaluatee, "AD-01", at(2026, 11, 2, 11, 0));

    // ---- EV0005: next year's first quarter, just started
    start("S0001", "S0003", {}, "account-service", EvaluationPeriod::Quarterly, Date(2027, 1, 1), std::nullopt,
          at(2026, 12, 20, 9, 0));
    return a;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

// A fresh directory under the system temp directory, removed with its contents.
class TempDir {
public:
    TempDir() {
        static std::atomic<int> counter{0};
        std::random_device rd;
        for (int attempt = 0; attempt < 100; ++attempt) {
            path_ = fs::temp_directory_path() /
                    ("aecore-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
                     std::to_string(rd()));
            if (fs::create_directory(path_)) return;
        }
        throw std::runtime_error("cannot create a temporary directory");
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    [[nodiscard]] const fs::path& path() const { return path_; }
    [[nodiscard]] fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

// Names of leftover temporary files (".<name>.tmp-XXXXXX") in `dir`.
std::vector<std::string> temp_files_in(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name.find(".tmp-") != std::string::npos) out.push_back(name);
    }
    return out;
}

// The committed version-1 document (agency, policy, calendar, staff).
Json golden_document() { return Json::parse(read_file(kGoldenFile)); }
// The committed version-2 document: a real document of an older version, for the
// migration tests.
Json committed_v2_document() { return Json::parse(read_file(kGoldenV2File)); }
// The current-version document of build_golden_v2_agency(): a book of clients and
// routines without plans (from the library, so that these tests do not depend on a
// committed file being up to date).
Json book_document() { return Json::parse(build_golden_v2_agency().to_json()); }
// The current-version document of build_golden_v3_agency(): the book with plans.
//   /plans/0 MP0001 Superseded, /plans/1 MP0002 ClientApproved, /plans/2 MP0003 Draft.
Json plans_document() { return Json::parse(build_golden_v3_agency().to_json()); }

// from_json must throw SchemaError whose field() is `path` and whose what() names it.
std::optional<SchemaError> expect_schema_error(const std::string& text, const std::string& path) {
    try {
        (void)Agency::from_json(text);
        ADD_FAILURE() << "document accepted; expected a SchemaError at " << path;
    } catch (const SchemaError& e) {
        EXPECT_EQ(e.field(), path) << e.what();
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("[PS-1]"), std::string::npos) << e.what();
        return e;
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected SchemaError at " << path << ", got: " << e.what();
    }
    return std::nullopt;
}

// Applies `edit` to the golden document and expects a SchemaError at `path`.
std::optional<SchemaError> expect_schema_error(const std::function<void(Json&)>& edit, const std::string& path) {
    Json doc = golden_document();
    edit(doc);
    return expect_schema_error(doc.dump(2), path);
}

// The same on the book document (clients and routines).
std::optional<SchemaError> expect_book_schema_error(const std::function<void(Json&)>& edit, const std::string& path) {
    Json doc = book_document();
    edit(doc);
    return expect_schema_error(doc.dump(2), path);
}

// The same on the document with plans.
std::optional<SchemaError> expect_plans_schema_error(const std::function<void(Json&)>& edit, const std::string& path) {
    Json doc = plans_document();
    edit(doc);
    return expect_schema_error(doc.dump(2), path);
}

// The current-version document of build_golden_v4_agency(): the book with job tickets
// and time sheets (layout in the comment above build_golden_v4_agency()).
Json jobs_document() { return Json::parse(build_golden_v4_agency().to_json()); }
// The committed version-3 document: a real document of an older version.
Json committed_v3_document() { return Json::parse(read_file(kGoldenV3File)); }

// The same on the document with job tickets and time sheets.
std::optional<SchemaError> expect_jobs_schema_error(const std::function<void(Json&)>& edit, const std::string& path) {
    Json doc = jobs_document();
    edit(doc);
    return expect_schema_error(doc.dump(2), path);
}

// The same on the committed version-3 document (read through the migrations).
std::optional<SchemaError> expect_v3_file_schema_error(const std::function<void(Json&)>& edit, const std::string& path) {
    Json doc = committed_v3_document();
    edit(doc);
    return expect_schema_error(doc.dump(2), path);
}

// The same on the committed version-2 document (read through the migrations).
std::optional<SchemaError> expect_v2_file_schema_error(const std::function<void(Json&)>& edit, const std::string& path) {
    Json doc = committed_v2_document();
    edit(doc);
    return expect_schema_error(doc.dump(2), path);
}

void expect_detail(const std::optional<SchemaError>& e, const std::string& text) {
    ASSERT_TRUE(e.has_value());
    EXPECT_NE(std::string(e->what()).find(text), std::string::npos) << e->what();
}

Json::json_pointer ptr(const char* p) { return Json::json_pointer(p); }

// ---------------------------------------------------------------- round trips

TEST(Serialization, RoundTripIsByteIdenticalAndEqual) {
    const Agency original = build_golden_agency();
    const std::string json = original.to_json();
    const Agency loaded = Agency::from_json(json);
    EXPECT_EQ(loaded.to_json(), json);
    EXPECT_TRUE(loaded == original);
    // the loaded agency behaves like the original
    ASSERT_EQ(loaded.staff_members().size(), 4u);
    EXPECT_EQ(loaded.staff("S0002").name, "李伟");
    EXPECT_EQ(loaded.staff("S0001").manager, std::optional<std::string>("S0003"));
    EXPECT_EQ(loaded.direct_reports("S0003").size(), 1u);
    EXPECT_EQ(loaded.policy().tier_a_share().to_string(), "0.55");
    EXPECT_TRUE(loaded.calendar().is_business_day(aecore::Date(2026, 5, 9)));
    EXPECT_FALSE(loaded.calendar().is_business_day(aecore::Date(2026, 5, 4)));
}

TEST(Serialization, DocumentShape) {
    const std::string json = Agency().to_json();
    EXPECT_EQ(json.rfind(current_document_prefix(), 0), 0u) << json;
    ASSERT_FALSE(json.empty());
    EXPECT_EQ(json.back(), '\n');
    EXPECT_EQ(aecore::schema::kName, "aecore.Agency");
    static_assert(aecore::schema::kVersion >= 4, "version 4 brought the job tickets and time sheets");
    EXPECT_EQ(aecore::schema::kVersion, 6);
    // the top-level sections, in their fixed order
    std::vector<std::string> keys;
    const Json parsed = Json::parse(json);
    for (const auto& [key, value] : parsed.items()) keys.push_back(key);
    EXPECT_EQ(keys, (std::vector<std::string>{"schema", "version", "agency", "policy", "calendar", "staff", "clients",
                                              "activities", "contact_reports", "meeting_notices", "status_reports",
                                              "plans", "jobs", "time_entries", "estimates", "ledger", "rubrics",
                                              "evaluations", "sequences"}));
    EXPECT_EQ(parsed["version"], aecore::schema::kVersion);
    EXPECT_EQ(parsed["plans"], Json::array());
    EXPECT_EQ(parsed["jobs"], Json::array());
    EXPECT_EQ(parsed["time_entries"], Json::array());
    EXPECT_EQ(parsed["estimates"], Json::array());
    EXPECT_EQ(parsed["ledger"], Json::array());
    // every book carries the built-in rubrics (PE-2)
    ASSERT_EQ(parsed["rubrics"].size(), 2u);
    EXPECT_EQ(parsed["rubrics"][0]["id"], "account-service");
    EXPECT_EQ(parsed["rubrics"][1]["id"], "5A");
    EXPECT_EQ(parsed["evaluations"], Json::array());
    EXPECT_EQ(parsed["sequences"].dump(),
              R"({"staff":1,"clients":{},"activities":1,"contact_reports":1,"meeting_notices":1,"status_reports":1,)"
              R"("plans":1,"jobs":{},"time_entries":1,"evaluations":1})");
    // non-ASCII text is written as UTF-8, not as \u escapes
    EXPECT_NE(build_golden_agency().to_json().find("\"李伟\""), std::string::npos);
}

// A plan's record: its keys in their fixed order, optional values as null.
TEST(Serialization, PlanRecordShape) {
    const Json doc = plans_document();
    std::vector<std::string> keys;
    for (const auto& [key, value] : doc[ptr("/plans/0")].items()) keys.push_back(key);
    EXPECT_EQ(keys, (std::vector<std::string>{"id", "client", "brand", "product", "period_start", "period_end", "market",
                                              "title", "version", "supersedes", "superseded_by", "product_section",
                                              "price", "place", "promotion", "objectives", "strategy", "status",
                                              "history", "approved_by", "approved_at"}));
    EXPECT_EQ(doc[ptr("/plans/0/price/list_price")], Json::parse(R"({"amount": "12.50", "currency": "CNY"})"));
    EXPECT_EQ(doc[ptr("/plans/0/place/coverage_percent")], "72.5");
    EXPECT_TRUE(doc[ptr("/plans/0/supersedes")].is_null());
    EXPECT_TRUE(doc[ptr("/plans/2/approved_by")].is_null());
    EXPECT_TRUE(doc[ptr("/plans/2/approved_at")].is_null());
    EXPECT_TRUE(doc[ptr("/plans/2/objectives/2/baseline")].is_null());
    EXPECT_TRUE(doc[ptr("/plans/2/objectives/1/deadline")].is_null());
    EXPECT_EQ(doc[ptr("/plans/1/approved_at")], "2026-08-10T10:00:00");
    EXPECT_EQ(doc[ptr("/plans/2/objectives/0/actuals/0")], Json::parse(R"({"date": "2026-10-31", "value": "12.5"})"));
}

// A job ticket's and a time entry's records: keys in their fixed order, optional values
// as null, money as {amount, currency}, hours as a decimal string.
TEST(Serialization, JobAndTimeRecordShape) {
    const Json doc = jobs_document();
    std::vector<std::string> keys;
    for (const auto& [key, value] : doc[ptr("/jobs/0")].items()) keys.push_back(key);
    EXPECT_EQ(keys, (std::vector<std::string>{"number", "kind", "parent", "client", "brand", "product", "department",
                                              "job_type", "title", "brief", "cost_estimate", "client_deadline",
                                              "assignees", "issuer", "opened_at", "lead_time_override", "plan",
                                              "status", "history", "revision_rounds", "next_revision"}));
    keys.clear();
    for (const auto& [key, value] : doc[ptr("/jobs/0/brief")].items()) keys.push_back(key);
    EXPECT_EQ(keys, (std::vector<std::string>{"objective", "target_audience", "key_message", "mandatories",
                                              "deliverables", "budget", "media_objectives", "research_objective",
                                              "research_method", "research_sample"}));
    keys.clear();
    for (const auto& [key, value] : doc[ptr("/time_entries/0")].items()) keys.push_back(key);
    EXPECT_EQ(keys, (std::vector<std::string>{"id", "staff", "job", "date", "hours", "activity", "rate", "cost",
                                              "status", "approved_by", "approved_at", "corrects", "recorded_at"}));
    EXPECT_TRUE(doc[ptr("/jobs/0/parent")].is_null());
    EXPECT_TRUE(doc[ptr("/jobs/0/lead_time_override")].is_null());
    EXPECT_TRUE(doc[ptr("/jobs/1/product")].is_null());
    EXPECT_TRUE(doc[ptr("/jobs/1/cost_estimate")].is_null());
    EXPECT_TRUE(doc[ptr("/jobs/2/plan")].is_null());
    EXPECT_TRUE(doc[ptr("/jobs/5/brief/budget")].is_null());
    EXPECT_EQ(doc[ptr("/jobs/0/cost_estimate")], Json::parse(R"({"amount": "580000.00", "currency": "CNY"})"));
    EXPECT_EQ(doc[ptr("/jobs/0/history/0")],
              Json::parse(R"({"from": "Draft", "to": "Approved", "at": "2026-09-01T14:00:00", "actor": "S0003",)"
                          R"( "note": "signed"})"));
    EXPECT_EQ(doc[ptr("/jobs/3/lead_time_override")],
              Json::parse(R"({"approver": "AD-01", "reason": "the festival date is fixed; the crew is already booked"})"));
    EXPECT_EQ(doc[ptr("/time_entries/1/hours")], "1.25");
    EXPECT_EQ(doc[ptr("/time_entries/1/cost")], Json::parse(R"({"amount": "225.62", "currency": "CNY"})"));
    EXPECT_EQ(doc[ptr("/time_entries/2/hours")], "-1.5");
    EXPECT_EQ(doc[ptr("/time_entries/2/corrects")], "TE000001");
    EXPECT_TRUE(doc[ptr("/time_entries/1/approved_by")].is_null());
    EXPECT_TRUE(doc[ptr("/time_entries/1/approved_at")].is_null());
    EXPECT_EQ(doc[ptr("/time_entries/0/approved_at")], "2026-09-04T10:00:00");
}

TEST(Serialization, EmptyAgencyRoundTrips) {
    const Agency a;
    const Agency b = Agency::from_json(a.to_json());
    EXPECT_TRUE(a == b);
    EXPECT_EQ(b.to_json(), a.to_json());
}

TEST(Serialization, SequencesSurviveARoundTrip) {
    Agency a;
    a.add_staff([] {
        aecore::NewStaff s;
        s.name = "One";
        return s;
    }());
    Agency b = Agency::from_json(a.to_json());
    aecore::NewStaff next;
    next.name = "Two";
    EXPECT_EQ(b.add_staff(next).id, "S0002");
    EXPECT_EQ(a.add_staff(next).id, "S0002");
    EXPECT_EQ(a.to_json(), b.to_json());
}

TEST(Serialization, InactiveStaffAndInactiveManagerRoundTrip) {
    Agency a = build_golden_agency();
    aecore::StaffUpdate leave;
    leave.active = false;
    a.update_staff("S0002", leave);
    a.update_staff("S0001", leave);  // its only report has left
    const Agency b = Agency::from_json(a.to_json());
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(b.staff("S0001").active);
    EXPECT_EQ(b.to_json(), a.to_json());
}

// ---------------------------------------------------------------- golden files

// An old-version golden file `old_text` loads through the migrations into `fixture`
// and saves as a document of the current version: every section the old version had is
// carried over unchanged, the sections added since start empty (their sequences at 1)
// unless the migration derives them from the old data (`derived`, e.g. the ledger of a
// version-4 book, which carries the cost of its approved time, or the rubrics, which the
// 5 -> 6 migration fills with exactly the built-in ones), and the saved document loads
// back byte for byte.
// The rubrics section of a book without custom rubrics: the built-in ones (PE-2).
Json builtin_rubrics_json() { return Json::parse(Agency().to_json()).at("rubrics"); }

void expect_migrates_to_current_version(const std::string& old_text, const Agency& fixture,
                                        std::initializer_list<std::string> derived = {}) {
    const Agency loaded = Agency::from_json(old_text);
    EXPECT_TRUE(loaded == fixture);
    const std::string current = loaded.to_json();
    EXPECT_EQ(current, fixture.to_json());
    EXPECT_EQ(current.rfind(current_document_prefix(), 0), 0u) << current.substr(0, 80);
    const Json old_doc = Json::parse(old_text);
    const Json new_doc = Json::parse(current);
    EXPECT_LT(old_doc.at("version").get<int>(), aecore::schema::kVersion);
    EXPECT_EQ(new_doc.at("version"), aecore::schema::kVersion);
    for (const auto& [key, value] : old_doc.items()) {
        if (key == "version" || key == "sequences") continue;
        ASSERT_TRUE(new_doc.contains(key)) << key;
        EXPECT_EQ(new_doc.at(key), value) << key;
    }
    const Json& old_seq = old_doc.at("sequences");
    const Json& new_seq = new_doc.at("sequences");
    for (const auto& [key, value] : old_seq.items()) {
        ASSERT_TRUE(new_seq.contains(key)) << key;
        EXPECT_EQ(new_seq.at(key), value) << key;
    }
    int added = 0;
    for (const auto& [key, value] : new_doc.items()) {
        if (!old_doc.contains(key)) {
            ++added;
            if (std::find(derived.begin(), derived.end(), key) == derived.end()) {
                EXPECT_EQ(value, Json::array()) << key;
            }
            if (key == "rubrics") {
                EXPECT_EQ(value, builtin_rubrics_json()) << "the migration adds exactly the built-in rubrics";
            }
        }
    }
    for (const auto& [key, value] : new_seq.items()) {
        if (!old_seq.contains(key)) {
            EXPECT_TRUE(value == Json(1) || value == Json::object()) << key << " = " << value;
        }
    }
    EXPECT_GT(added, 0) << "an older version lacks at least one section";
    // the current-version document loads back into the same agency, byte for byte
    const Agency again = Agency::from_json(current);
    EXPECT_TRUE(again == loaded);
    EXPECT_EQ(again.to_json(), current);
    TempDir dir;
    loaded.save(dir / "upgraded.json");
    EXPECT_EQ(read_file(dir / "upgraded.json"), current);
}

// The committed version-1 file is a fixed point of history: it stays as it was written.
TEST(GoldenFileV1, TheCommittedFileIsStillAVersion1Document) {
    const Json doc = golden_document();
    EXPECT_EQ(doc["version"], 1);
    EXPECT_FALSE(doc.contains("clients"));
    EXPECT_FALSE(doc.contains("plans"));
    EXPECT_FALSE(doc["sequences"].contains("clients"));
    EXPECT_FALSE(doc["sequences"].contains("plans"));
    EXPECT_FALSE(doc.contains("jobs"));
    EXPECT_FALSE(doc.contains("time_entries"));
}

TEST(GoldenFileV1, LoadsByMigrationIntoTheAgencyTheTestBuilds) {
    const Agency loaded = Agency::load(kGoldenFile);
    EXPECT_TRUE(loaded == build_golden_agency());
    EXPECT_TRUE(loaded.clients().empty());
    EXPECT_TRUE(loaded.activities().empty());
    EXPECT_TRUE(loaded.contact_reports().empty());
    EXPECT_TRUE(loaded.meeting_notices().empty());
    EXPECT_TRUE(loaded.status_reports().empty());
    EXPECT_TRUE(loaded.plans().empty());
    EXPECT_TRUE(loaded.jobs().empty());
    EXPECT_TRUE(loaded.time_entries().empty());
    EXPECT_EQ(loaded.staff("S0002").name, "李伟");
}

TEST(GoldenFileV1, SavingItWritesTheCurrentVersion) {
    expect_migrates_to_current_version(read_file(kGoldenFile), build_golden_agency(), {"rubrics"});
}

// A migrated book is a normal book: clients can be added and it still round-trips.
TEST(GoldenFileV1, AMigratedBookTakesClients) {
    Agency a = Agency::load(kGoldenFile);
    aecore::NewClient c;
    c.name = "New Client";
    c.short_name = "NEW";
    c.city = "CD";
    c.first_contact = aecore::Date(2026, 6, 1);
    c.team.ae = "S0001";
    EXPECT_EQ(a.register_client(c).code, "CD-202606-NEW-001");
    const std::string json = a.to_json();
    EXPECT_EQ(Agency::from_json(json).to_json(), json);
}

// The committed version-2 file is history too: written by the version-2 library from
// build_golden_v2_agency(), it never changes.
TEST(GoldenFileV2, TheCommittedFileIsStillAVersion2Document) {
    const Json doc = committed_v2_document();
    EXPECT_EQ(doc["version"], 2);
    EXPECT_TRUE(doc.contains("clients"));
    EXPECT_FALSE(doc.contains("plans"));
    EXPECT_TRUE(doc["sequences"].contains("clients"));
    EXPECT_FALSE(doc["sequences"].contains("plans"));
    EXPECT_FALSE(doc.contains("jobs"));
    EXPECT_FALSE(doc["sequences"].contains("jobs"));
}

TEST(GoldenFileV2, LoadsByMigrationIntoTheAgencyTheTestBuilds) {
    const Agency loaded = Agency::load(kGoldenV2File);
    EXPECT_TRUE(loaded == build_golden_v2_agency());
    EXPECT_EQ(loaded.clients().size(), 3u);
    EXPECT_TRUE(loaded.plans().empty());
    EXPECT_TRUE(loaded.jobs().empty());
    EXPECT_TRUE(loaded.time_entries().empty());
}

TEST(GoldenFileV2, SavingItWritesTheCurrentVersion) {
    expect_migrates_to_current_version(read_file(kGoldenV2File), build_golden_v2_agency(), {"rubrics"});
}

TEST(GoldenFileV2, TheLoadedBookBehavesLikeTheOriginal) {
    const Agency original = build_golden_v2_agency();
    Agency loaded = Agency::load(kGoldenV2File);
    ASSERT_EQ(loaded.clients().size(), 3u);
    const aecore::Client& acme = loaded.client("CD-202603-ACME-001");
    EXPECT_EQ(acme.name, "Acme Foods 艾克美食品");
    EXPECT_EQ(acme.brands.size(), 2u);
    EXPECT_EQ(acme.primary_contact()->id, "K01");
    EXPECT_EQ(acme.team_history.size(), 2u);
    EXPECT_EQ(acme.team().ae, "S0004");
    EXPECT_EQ(acme.stage(), aecore::PipelineStage::Closed);
    EXPECT_EQ(acme.stage_history.back().delivered_on, std::optional<aecore::Date>(aecore::Date(2026, 4, 13)));
    EXPECT_TRUE(loaded.client("CD-202511-GAMMA-001").archived);
    ASSERT_NE(loaded.contact_report_for("A000002"), nullptr);
    EXPECT_EQ(loaded.contact_report_for("A000002")->id, "R00002");
    EXPECT_EQ(loaded.meeting_notice("N00002").missing_elements().size(), 3u);
    // derived indexes are rebuilt: queries agree with the original
    for (const aecore::Date& d : {aecore::Date(2026, 4, 15), aecore::Date(2026, 4, 22), aecore::Date(2026, 5, 20)}) {
        EXPECT_EQ(loaded.audit(d), original.audit(d)) << d;
        EXPECT_EQ(loaded.overdue_contacts(d), original.overdue_contacts(d)) << d;
        EXPECT_EQ(loaded.next_follow_up("SH-202604-BETA-002", d), original.next_follow_up("SH-202604-BETA-002", d));
        EXPECT_EQ(loaded.last_contact("SH-202604-BETA-002", d), original.last_contact("SH-202604-BETA-002", d));
    }
    // and every sequence goes on where it stopped
    Agency grown = original;
    aecore::NewClient c;
    c.name = "Delta";
    c.short_name = "DELTA";
    c.city = "CD";
    c.first_contact = aecore::Date(2026, 5, 4);
    c.team.ae = "S0001";
    EXPECT_EQ(loaded.register_client(c).code, "CD-202605-DELTA-003");
    c.first_contact = aecore::Date(2025, 12, 1);
    c.name = "Delta Old";
    EXPECT_EQ(loaded.register_client(c).code, "CD-202512-DELTA-002");
    aecore::NewActivity call;
    call.kind = aecore::ActivityKind::Visit;
    call.when = boost::posix_time::ptime(aecore::Date(2026, 4, 20), boost::posix_time::hours(10));
    call.client = "SH-202604-BETA-002";
    call.staff = "S0001";
    EXPECT_EQ(loaded.log_activity(call).id, "A000005");
    aecore::NewContactReport rep;
    rep.activity = "A000005";
    rep.written_at = call.when;
    rep.author = "S0001";
    EXPECT_EQ(loaded.add_contact_report(rep).id, "R00004");
    aecore::NewMeetingNotice n;
    n.client = "SH-202604-BETA-002";
    n.author = "S0001";
    n.issued_at = call.when;
    n.meeting_at = call.when + boost::posix_time::hours(48);
    EXPECT_EQ(loaded.add_meeting_notice(n).id, "N00003");
    aecore::NewStatusReport w;
    w.author = "S0001";
    w.period = aecore::Date(2026, 4, 13);
    w.submitted_at = call.when;
    EXPECT_EQ(loaded.submit_status_report(w).id, "W00004");
    // the plans sequence, new in version 3, starts at 1
    aecore::NewPlan plan;
    plan.client = "SH-202604-BETA-002";
    plan.brand = "Beta EV";
    plan.period_start = aecore::Date(2026, 7, 1);
    plan.period_end = aecore::Date(2026, 12, 31);
    plan.author = "S0001";
    plan.created_at = call.when;
    EXPECT_EQ(loaded.create_plan(plan).id, "MP0001");
}

TEST(GoldenFileV2, RoutinesOfEveryKindAreInTheFile) {
    const Json doc = Json::parse(read_file(kGoldenV2File));
    EXPECT_EQ(doc["version"], 2);
    EXPECT_EQ(doc["clients"].size(), 3u);
    EXPECT_EQ(doc["activities"].size(), 4u);
    EXPECT_EQ(doc["contact_reports"].size(), 3u);
    EXPECT_EQ(doc["meeting_notices"].size(), 2u);
    EXPECT_EQ(doc["status_reports"].size(), 3u);
    EXPECT_EQ(doc["sequences"]["clients"], Json::parse(R"({"2025": 2, "2026": 3})"));
    EXPECT_EQ(doc[ptr("/activities/2/when")], "2026-04-14T09:15:30");
    EXPECT_EQ(doc[ptr("/clients/0/team_history/1/aae")], "S0002");
    EXPECT_TRUE(doc[ptr("/clients/0/team_history/1/ad")].is_null());
}

// The committed version-3 file is history since version 4: written by the version-3
// library from build_golden_v3_agency(), it never changes.
TEST(GoldenFileV3, TheCommittedFileIsStillAVersion3Document) {
    const Json doc = committed_v3_document();
    EXPECT_EQ(doc["version"], 3);
    EXPECT_TRUE(doc.contains("plans"));
    EXPECT_TRUE(doc["sequences"].contains("plans"));
    EXPECT_FALSE(doc.contains("jobs"));
    EXPECT_FALSE(doc.contains("time_entries"));
    EXPECT_FALSE(doc["sequences"].contains("jobs"));
    EXPECT_FALSE(doc["sequences"].contains("time_entries"));
}

TEST(GoldenFileV3, LoadsByMigrationIntoTheAgencyTheTestBuilds) {
    const Agency loaded = Agency::load(kGoldenV3File);
    EXPECT_TRUE(loaded == build_golden_v3_agency());
    EXPECT_EQ(loaded.plans().size(), 3u);
    EXPECT_TRUE(loaded.jobs().empty());
    EXPECT_TRUE(loaded.time_entries().empty());
}

TEST(GoldenFileV3, SavingItWritesTheCurrentVersion) {
    expect_migrates_to_current_version(read_file(kGoldenV3File), build_golden_v3_agency(), {"rubrics"});
    const Json saved = Json::parse(Agency::load(kGoldenV3File).to_json());
    EXPECT_EQ(saved["jobs"], Json::array());
    EXPECT_EQ(saved["time_entries"], Json::array());
    EXPECT_EQ(saved[ptr("/sequences/jobs")], Json::object());
    EXPECT_EQ(saved[ptr("/sequences/time_entries")], 1);
}

TEST(GoldenFileV3, PlansOfEveryKindAreInTheFile) {
    const Json doc = Json::parse(read_file(kGoldenV3File));
    EXPECT_EQ(doc["version"], 3);
    ASSERT_EQ(doc["plans"].size(), 3u);
    EXPECT_EQ(doc["sequences"]["plans"], 4);
    EXPECT_EQ(doc[ptr("/plans/0/status")], "Superseded");
    EXPECT_EQ(doc[ptr("/plans/0/superseded_by")], "MP0002");
    EXPECT_EQ(doc[ptr("/plans/1/status")], "ClientApproved");
    EXPECT_EQ(doc[ptr("/plans/1/supersedes")], "MP0001");
    EXPECT_EQ(doc[ptr("/plans/1/version")], 2);
    EXPECT_EQ(doc[ptr("/plans/1/approved_by")], "K02");
    EXPECT_EQ(doc[ptr("/plans/2/status")], "Draft");
    EXPECT_EQ(doc[ptr("/plans/2/title")], "Acme Tea 2026");
    EXPECT_EQ(doc[ptr("/plans/2/objectives")].size(), 3u);
    EXPECT_EQ(doc[ptr("/plans/2/objectives/0/actuals")].size(), 2u);
    EXPECT_EQ(doc[ptr("/plans/2/objectives/0/actuals/1/date")], "2026-12-31");
    EXPECT_EQ(doc[ptr("/plans/2/objectives/1/kind")], "BrandImage");
    EXPECT_EQ(doc[ptr("/plans/0/history")].size(), 4u);  // created, proposed, approved, superseded
    EXPECT_EQ(doc[ptr("/plans/0/history/3/to")], "Superseded");
    EXPECT_EQ(doc[ptr("/plans/0/history/3/actor")], "client:K02");
}

TEST(GoldenFileV3, TheLoadedBookBehavesLikeTheOriginal) {
    using aecore::Date;
    namespace bp = boost::posix_time;
    const Agency original = build_golden_v3_agency();
    Agency loaded = Agency::load(kGoldenV3File);
    const std::string acme = "CD-202603-ACME-001";
    ASSERT_EQ(loaded.plans().size(), 3u);
    // approved plan as of any day agrees: none, then MP0001, then MP0002
    const std::vector<std::pair<Date, const char*>> approved{{Date(2026, 5, 11), nullptr},
                                                             {Date(2026, 5, 12), "MP0001"},
                                                             {Date(2026, 8, 9), "MP0001"},
                                                             {Date(2026, 8, 10), "MP0002"},
                                                             {Date(2027, 1, 1), "MP0002"}};
    for (const auto& [day, id] : approved) {
        const aecore::MarketingPlan* p = loaded.approved_plan(acme, "Acme Noodles", day);
        const aecore::MarketingPlan* q = original.approved_plan(acme, "Acme Noodles", day);
        if (id == nullptr) {
            EXPECT_EQ(p, nullptr) << day;
            EXPECT_EQ(q, nullptr) << day;
        } else {
            ASSERT_NE(p, nullptr) << day;
            ASSERT_NE(q, nullptr) << day;
            EXPECT_EQ(p->id, id) << day;
            EXPECT_EQ(q->id, id) << day;
        }
    }
    EXPECT_EQ(loaded.approved_plan(acme, "Acme Tea", Date(2027, 1, 1)), nullptr);
    for (const char* id : {"MP0001", "MP0002", "MP0003"}) EXPECT_EQ(loaded.review_plan(id), original.review_plan(id)) << id;
    for (const Date& d : {Date(2026, 5, 1), Date(2026, 7, 15), Date(2026, 9, 2), Date(2026, 11, 2), Date(2027, 3, 1)})
        EXPECT_EQ(loaded.audit(d), original.audit(d)) << d;
    const aecore::Objective* awareness = loaded.plan("MP0003").find_objective("O1");
    ASSERT_NE(awareness, nullptr);
    EXPECT_EQ(awareness->progress(Date(2027, 1, 1)), std::optional(aecore::Decimal::parse("0.525")));
    // the plan sequence goes on where it stopped, objective ids too
    const aecore::DateTime later(Date(2026, 9, 1), bp::hours(9));
    EXPECT_EQ(loaded.new_plan_version("MP0002", "S0004", later).id, "MP0004");
    aecore::NewObjective o;
    o.kind = aecore::ObjectiveKind::SalesRevenue;
    o.target = aecore::Decimal(1000000);
    o.deadline = Date(2027, 8, 31);
    EXPECT_EQ(loaded.add_objective("MP0003", o).id, "O4");
    // the job and time sequences, new in version 4, start empty: the first ticket of a
    // department and month is -01
    aecore::NewJob job;
    job.client = acme;
    job.brand = "Acme Noodles";
    job.department = aecore::Department::Creative;
    job.title = "First ticket";
    job.client_deadline = aecore::DateTime(Date(2026, 9, 30), bp::hours(12));
    job.issuer = "S0004";
    job.opened_at = later;
    EXPECT_EQ(loaded.open_job(job).number, "CR-202609-01");
    const std::string json = loaded.to_json();
    EXPECT_EQ(Agency::from_json(json).to_json(), json);
}

// The committed version-4 file is written by this library from build_golden_v4_agency().
// The committed version-4 file is history since version 5: written by the version-4
// library from build_golden_v4_agency(), it never changes.
TEST(GoldenFileV4, TheCommittedFileIsStillAVersion4Document) {
    const Json doc = Json::parse(read_file(kGoldenV4File));
    EXPECT_EQ(doc["version"], 4);
    EXPECT_TRUE(doc.contains("jobs"));
    EXPECT_TRUE(doc.contains("time_entries"));
    EXPECT_FALSE(doc.contains("estimates"));
    EXPECT_FALSE(doc.contains("ledger"));
}

// MB-3: approved time is actual cost. A version-4 book has approved time but no ledger,
// so the 4 -> 5 migration posts one ActualCost entry per approved (or billed) time entry
// with a cost, in the order of the time entries, exactly as approve_time posts it today.
TEST(GoldenFileV4, LoadsByMigrationIntoTheAgencyTheTestBuilds) {
    using aecore::Date;
    const Agency loaded = Agency::load(kGoldenV4File);
    const Agency fixture = build_golden_v4_agency();
    EXPECT_TRUE(loaded == fixture);
    EXPECT_EQ(loaded.jobs().size(), 6u);
    EXPECT_EQ(loaded.time_entries().size(), 4u);
    EXPECT_TRUE(loaded.cost_estimates().empty());
    // TE000002 and the correction TE000003 are only Submitted: no cost yet
    ASSERT_EQ(loaded.ledger_size(), 2u);
    const aecore::LedgerEntry first = loaded.ledger_entry("L00000001");
    EXPECT_EQ(first.kind, aecore::EntryKind::ActualCost);
    EXPECT_EQ(first.time_entry, std::optional<std::string>("TE000001"));
    EXPECT_EQ(first.reference, "TE000001");
    EXPECT_EQ(first.job, std::optional<std::string>("CR-202609-01"));
    EXPECT_EQ(first.client, "CD-202603-ACME-001");
    EXPECT_EQ(first.date, Date(2026, 9, 3));
    EXPECT_EQ(first.amount.amount_string(), "2400.00");  // 7.5 h x 320.00
    EXPECT_EQ(first.recorded_by, "S0003") << "the approver";
    const aecore::LedgerEntry second = loaded.ledger_entry("L00000002");
    EXPECT_EQ(second.kind, aecore::EntryKind::ActualCost);
    EXPECT_EQ(second.time_entry, std::optional<std::string>("TE000004"));
    EXPECT_EQ(second.job, std::optional<std::string>("MD-202609-01"));
    EXPECT_EQ(second.date, Date(2026, 9, 7));
    EXPECT_EQ(second.amount.amount_string(), "3000.00");  // 10 h x 300.00
    EXPECT_EQ(second.recorded_by, "S0003");
    EXPECT_EQ(loaded.ledger_entries(), fixture.ledger_entries());
    // the reports see the migrated cost
    const aecore::ReconciliationReport r = loaded.reconcile("CD-202603-ACME-001", aecore::YearMonth{2026, 9});
    EXPECT_EQ(r.total.month.actual.amount_string(), "5400.00");
    const auto p = loaded.profitability(Date(2026, 9, 1), Date(2026, 9, 30), false);
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[0].time_cost.amount_string(), "2400.00");
    EXPECT_EQ(p[1].time_cost.amount_string(), "3000.00");
}

TEST(GoldenFileV4, SavingItWritesTheCurrentVersion) {
    expect_migrates_to_current_version(read_file(kGoldenV4File), build_golden_v4_agency(), {"ledger", "rubrics"});
    const Json saved = Json::parse(Agency::load(kGoldenV4File).to_json());
    EXPECT_EQ(saved["estimates"], Json::array());
    ASSERT_EQ(saved["ledger"].size(), 2u);
    EXPECT_EQ(saved[ptr("/ledger/0/time_entry")], "TE000001");
    EXPECT_EQ(saved[ptr("/ledger/1/time_entry")], "TE000004");
    EXPECT_EQ(saved[ptr("/ledger/1/amount")], "3000.00");
}

// Billed time is approved time too; the entries follow the order of the time sheet.
TEST(GoldenFileV4, TheMigrationPostsApprovedAndBilledTimeInTheOrderOfTheTimeEntries) {
    Json doc = Json::parse(read_file(kGoldenV4File));
    doc[ptr("/time_entries/1/status")] = "Billed";
    doc[ptr("/time_entries/1/approved_by")] = "S0001";
    doc[ptr("/time_entries/1/approved_at")] = "2026-09-04T11:00:00";
    const Agency a = Agency::from_json(doc.dump(2));
    ASSERT_EQ(a.ledger_size(), 3u);
    EXPECT_EQ(a.ledger_entry("L00000001").time_entry, std::optional<std::string>("TE000001"));
    const aecore::LedgerEntry billed = a.ledger_entry("L00000002");
    EXPECT_EQ(billed.time_entry, std::optional<std::string>("TE000002"));
    EXPECT_EQ(billed.amount.amount_string(), "225.62");  // 1.25 h x 180.50, half to even
    EXPECT_EQ(billed.recorded_by, "S0001");
    EXPECT_EQ(a.ledger_entry("L00000003").time_entry, std::optional<std::string>("TE000004"));
    const std::string json = a.to_json();
    EXPECT_EQ(Agency::from_json(json).to_json(), json);
}

// The version-4 file extends the version-3 book: everything of version 3 is in it
// unchanged, the jobs and time sheets are added.
TEST(GoldenFileV4, ExtendsTheVersion3Book) {
    const Json v3 = Json::parse(build_golden_v3_agency().to_json());
    const Json v4 = Json::parse(read_file(kGoldenV4File));
    for (const char* key : {"agency", "policy", "calendar", "staff", "clients", "activities", "contact_reports",
                            "meeting_notices", "status_reports", "plans"})
        EXPECT_EQ(v4.at(key), v3.at(key)) << key;
    for (const char* key : {"staff", "clients", "activities", "contact_reports", "meeting_notices", "status_reports",
                            "plans"})
        EXPECT_EQ(v4.at("sequences").at(key), v3.at("sequences").at(key)) << key;
}

TEST(GoldenFileV4, JobsAndTimeOfEveryKindAreInTheFile) {
    const Json doc = Json::parse(read_file(kGoldenV4File));
    EXPECT_EQ(doc["version"], 4);
    ASSERT_EQ(doc["jobs"].size(), 6u);
    ASSERT_EQ(doc["time_entries"].size(), 4u);
    EXPECT_EQ(doc[ptr("/sequences/jobs")],
              Json::parse(R"({"AC-202609": 2, "CR-202609": 2, "MD-202609": 2, "PD-202610": 2, "RS-202609": 2})"));
    EXPECT_EQ(doc[ptr("/sequences/time_entries")], 5);
    // one ticket per department, with every kind
    std::vector<std::string> numbers;
    for (const Json& j : doc["jobs"]) numbers.push_back(j["number"].get<std::string>());
    EXPECT_EQ(numbers, (std::vector<std::string>{"CR-202609-01", "MD-202609-01", "RS-202609-01", "CR-202609-01-R1",
                                                 "PD-202610-01", "AC-202609-01"}));
    EXPECT_EQ(doc[ptr("/jobs/0/kind")], "Requisition");
    EXPECT_EQ(doc[ptr("/jobs/3/kind")], "Revision");
    EXPECT_EQ(doc[ptr("/jobs/5/kind")], "ConceptWorksheet");
    // the closed ticket: the whole workflow with one client change request
    EXPECT_EQ(doc[ptr("/jobs/0/status")], "Closed");
    EXPECT_EQ(doc[ptr("/jobs/0/history")].size(), 10u);
    EXPECT_EQ(doc[ptr("/jobs/0/history/5/from")], "ClientReview");
    EXPECT_EQ(doc[ptr("/jobs/0/history/5/to")], "InProgress");
    EXPECT_EQ(doc[ptr("/jobs/0/revision_rounds")], 1);
    EXPECT_EQ(doc[ptr("/jobs/0/next_revision")], 2);
    EXPECT_EQ(doc[ptr("/jobs/0/plan")], "MP0002");
    EXPECT_EQ(doc[ptr("/jobs/0/history/9/to")], "Closed");
    // the revision names its parent and carries the override
    EXPECT_EQ(doc[ptr("/jobs/3/parent")], "CR-202609-01");
    EXPECT_EQ(doc[ptr("/jobs/3/department")], "Creative");
    EXPECT_EQ(doc[ptr("/jobs/3/job_type")], "TVCommercial");
    EXPECT_EQ(doc[ptr("/jobs/3/lead_time_override/approver")], "AD-01");
    // the cancelled ticket keeps its number and the reason
    EXPECT_EQ(doc[ptr("/jobs/2/status")], "Cancelled");
    EXPECT_EQ(doc[ptr("/jobs/2/history/1/note")], "client postponed the study to 2027");
    EXPECT_EQ(doc[ptr("/jobs/1/status")], "InProgress");
    EXPECT_EQ(doc[ptr("/jobs/4/status")], "Approved");
    EXPECT_EQ(doc[ptr("/jobs/5/status")], "Draft");
    // time: approved, submitted, a correction
    EXPECT_EQ(doc[ptr("/time_entries/0/status")], "Approved");
    EXPECT_EQ(doc[ptr("/time_entries/0/approved_by")], "S0003");
    EXPECT_EQ(doc[ptr("/time_entries/1/status")], "Submitted");
    EXPECT_EQ(doc[ptr("/time_entries/2/corrects")], "TE000001");
    EXPECT_EQ(doc[ptr("/time_entries/2/cost/amount")], "-480.00");
    EXPECT_EQ(doc[ptr("/time_entries/3/hours")], "10");
    EXPECT_EQ(doc[ptr("/time_entries/3/cost/amount")], "3000.00");
}

TEST(GoldenFileV4, TheLoadedBookBehavesLikeTheOriginal) {
    using aecore::Date;
    using aecore::Decimal;
    namespace bp = boost::posix_time;
    const Agency original = build_golden_v4_agency();
    Agency loaded = Agency::load(kGoldenV4File);
    ASSERT_EQ(loaded.jobs().size(), 6u);
    for (const aecore::JobTicket& t : original.jobs()) {
        EXPECT_TRUE(loaded.job(t.number) == t) << t.number;
        EXPECT_EQ(loaded.internal_due(loaded.job(t.number)), original.internal_due(t)) << t.number;
    }
    // internal due on the agency calendar: Friday 2026-10-23 17:00 minus 4.5 working hours
    EXPECT_EQ(loaded.internal_due(loaded.job("CR-202609-01")), aecore::DateTime(Date(2026, 10, 23), bp::hours(12) + bp::minutes(30)));
    EXPECT_EQ(loaded.hours_on("S0001", Date(2026, 9, 3)), Decimal::parse("6"));
    EXPECT_EQ(loaded.overtime_on("S0004", Date(2026, 9, 7)), Decimal::parse("2"));
    for (const Date& monday : {Date(2026, 8, 31), Date(2026, 9, 7), Date(2026, 9, 14), Date(2026, 10, 12)}) {
        const aecore::WeeklyStatus w = loaded.weekly_status(monday);
        const aecore::WeeklyStatus v = original.weekly_status(monday);
        EXPECT_EQ(w.rows, v.rows) << monday;
        EXPECT_EQ(w.opened, v.opened) << monday;
        EXPECT_EQ(w.closed, v.closed) << monday;
    }
    for (bool per_client : {false, true}) {
        const auto m = loaded.delivery_metrics(Date(2026, 9, 1), Date(2026, 12, 31), per_client);
        const auto n = original.delivery_metrics(Date(2026, 9, 1), Date(2026, 12, 31), per_client);
        ASSERT_EQ(m.size(), 1u);
        ASSERT_EQ(n.size(), 1u);
        EXPECT_EQ(m[0].key, per_client ? "CD-202603-ACME-001" : "S0004");
        EXPECT_EQ(m[0].key, n[0].key);
        EXPECT_EQ(m[0].delivered, 1);
        EXPECT_EQ(m[0].on_time_rate, n[0].on_time_rate);
        EXPECT_EQ(m[0].avg_cycle_days, n[0].avg_cycle_days);
    }
    for (const Date& d : {Date(2026, 9, 3), Date(2026, 9, 20), Date(2026, 10, 2), Date(2026, 11, 2)})
        EXPECT_EQ(loaded.audit(d), original.audit(d)) << d;
    // every sequence goes on where it stopped
    const aecore::DateTime later(Date(2026, 9, 21), bp::hours(9));
    aecore::NewJob job;
    job.client = "CD-202603-ACME-001";
    job.brand = "Acme Noodles";
    job.department = aecore::Department::Creative;
    job.title = "Second creative ticket of September";
    job.client_deadline = aecore::DateTime(Date(2026, 9, 30), bp::hours(12));
    job.issuer = "S0004";
    job.opened_at = later;
    EXPECT_EQ(loaded.open_job(job).number, "CR-202609-02");
    aecore::NewJob revision;
    revision.kind = aecore::TicketKind::Revision;
    revision.parent = "CR-202609-01";
    revision.title = "Second revision";
    revision.client_deadline = aecore::DateTime(Date(2026, 12, 18), bp::hours(12));
    revision.issuer = "S0004";
    revision.opened_at = aecore::DateTime(Date(2026, 10, 20), bp::hours(9));
    EXPECT_EQ(loaded.open_job(revision).number, "CR-202609-01-R2");
    aecore::NewTimeEntry more;
    more.staff = "S0004";
    more.job = "MD-202609-01";
    more.date = Date(2026, 9, 8);
    more.hours = Decimal(2);
    more.recorded_at = aecore::DateTime(Date(2026, 9, 8), bp::hours(18));
    EXPECT_EQ(loaded.log_time(more).id, "TE000005");
    // approving it posts its cost after the migrated entries
    loaded.approve_time("TE000005", "S0003", aecore::DateTime(Date(2026, 9, 9), bp::hours(9)));
    ASSERT_EQ(loaded.ledger_size(), 3u);
    EXPECT_EQ(loaded.ledger_entry("L00000003").time_entry, std::optional<std::string>("TE000005"));
    const std::string json = loaded.to_json();
    EXPECT_EQ(Agency::from_json(json).to_json(), json);
}

// The committed version-5 file is history since version 6: written by the version-5
// library from build_golden_v5_agency(), it never changes.
TEST(GoldenFileV5, TheCommittedFileIsStillAVersion5Document) {
    const Json doc = Json::parse(read_file(kGoldenV5File));
    EXPECT_EQ(doc["version"], 5);
    EXPECT_TRUE(doc.contains("estimates"));
    EXPECT_TRUE(doc.contains("ledger"));
    EXPECT_FALSE(doc.contains("rubrics"));
    EXPECT_FALSE(doc.contains("evaluations"));
    EXPECT_FALSE(doc["sequences"].contains("evaluations"));
}

// PE-2: every book carries the built-in rubrics, so the 5 -> 6 migration adds exactly
// them; a version-5 book has no evaluations and its evaluation sequence starts at 1.
TEST(GoldenFileV5, LoadsByMigrationIntoTheAgencyTheTestBuilds) {
    const Agency loaded = Agency::load(kGoldenV5File);
    const Agency fixture = build_golden_v5_agency();
    EXPECT_TRUE(loaded == fixture);
    EXPECT_EQ(loaded.rubrics(), aecore::builtin_rubrics());
    EXPECT_TRUE(loaded.evaluations().empty());
    EXPECT_EQ(loaded.cost_estimates(), fixture.cost_estimates());
    EXPECT_EQ(loaded.ledger_entries(), fixture.ledger_entries());
    // the evaluation sequence starts at 1
    Agency grown = Agency::load(kGoldenV5File);
    aecore::NewEvaluation n;
    n.evaluatee = "S0004";
    n.evaluator = "S0003";
    n.period = aecore::EvaluationPeriod::Annual;
    n.start = aecore::Date(2026, 1, 1);
    n.created_at = aecore::DateTime(aecore::Date(2026, 12, 1), boost::posix_time::hours(9));
    EXPECT_EQ(grown.start_evaluation(n).id, "EV0001");
}

TEST(GoldenFileV5, SavingItWritesTheCurrentVersion) {
    expect_migrates_to_current_version(read_file(kGoldenV5File), build_golden_v5_agency(), {"rubrics"});
    const Json saved = Json::parse(Agency::load(kGoldenV5File).to_json());
    ASSERT_EQ(saved["rubrics"].size(), 2u);
    EXPECT_EQ(saved[ptr("/rubrics/0/id")], "account-service");
    EXPECT_EQ(saved[ptr("/rubrics/1/id")], "5A");
    EXPECT_EQ(saved["rubrics"], builtin_rubrics_json());
    EXPECT_EQ(saved["evaluations"], Json::array());
    EXPECT_EQ(saved[ptr("/sequences/evaluations")], 1);
    // everything of version 5 is carried over unchanged
    const Json v5 = Json::parse(read_file(kGoldenV5File));
    for (const auto& [key, value] : v5.items())
        if (key != "version" && key != "sequences") {
            EXPECT_EQ(saved.at(key), value) << key;
        }
    for (const auto& [key, value] : v5.at("sequences").items()) EXPECT_EQ(saved.at("sequences").at(key), value) << key;
}

// The version-5 file extends the version-4 book: everything of version 4 is in it
// unchanged (its ledger of approved time opens the version-5 ledger), the estimates and
// the rest of the ledger are added.
TEST(GoldenFileV5, ExtendsTheVersion4Book) {
    const Json v4 = Json::parse(build_golden_v4_agency().to_json());
    const Json v5 = Json::parse(read_file(kGoldenV5File));
    for (const char* key : {"agency", "policy", "calendar", "staff", "clients", "activities", "contact_reports",
                            "meeting_notices", "status_reports", "plans", "jobs", "time_entries"})
        EXPECT_EQ(v5.at(key), v4.at(key)) << key;
    for (const auto& [key, value] : v5.at("sequences").items()) EXPECT_EQ(v4.at("sequences").at(key), value) << key;
    EXPECT_EQ(v4.at("estimates"), Json::array());
    ASSERT_EQ(v4.at("ledger").size(), 2u);
    ASSERT_GT(v5.at("ledger").size(), v4.at("ledger").size());
    for (std::size_t i = 0; i < v4.at("ledger").size(); ++i) EXPECT_EQ(v5["ledger"][i], v4["ledger"][i]) << i;
}

TEST(GoldenFileV5, EstimatesAndLedgerEntriesOfEveryKindAreInTheFile) {
    const Json doc = Json::parse(read_file(kGoldenV5File));
    EXPECT_EQ(doc["version"], 5);
    ASSERT_EQ(doc["estimates"].size(), 4u);
    EXPECT_EQ(doc[ptr("/estimates/0/job")], "CR-202609-01");
    EXPECT_EQ(doc[ptr("/estimates/0/status")], "Superseded");
    EXPECT_EQ(doc[ptr("/estimates/0/approved_by")], "K01");
    EXPECT_EQ(doc[ptr("/estimates/1/status")], "ClientApproved");
    EXPECT_EQ(doc[ptr("/estimates/1/approved_by")], "K02");
    EXPECT_EQ(doc[ptr("/estimates/2/version")], 2);
    EXPECT_EQ(doc[ptr("/estimates/2/status")], "Withdrawn");
    EXPECT_TRUE(doc[ptr("/estimates/2/approved_at")].is_null());
    EXPECT_EQ(doc[ptr("/estimates/3/version")], 3);
    EXPECT_EQ(doc[ptr("/estimates/3/status")], "ClientApproved");
    EXPECT_EQ(doc[ptr("/estimates/3/amount/amount")], "640000.00");

    const Json& ledger = doc["ledger"];
    ASSERT_EQ(ledger.size(), 17u);
    std::vector<std::string> kinds;
    for (const Json& e : ledger) kinds.push_back(e["kind"].get<std::string>());
    EXPECT_EQ(kinds, (std::vector<std::string>{"ActualCost", "ActualCost", "Estimate", "Estimate", "Commitment",
                                               "Commitment", "Commitment", "Commitment", "Estimate", "ActualCost",
                                               "Invoice", "Invoice", "Invoice", "Invoice", "Payment", "Payment",
                                               "Payment"}));
    for (std::size_t i = 0; i < ledger.size(); ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "L%08u", static_cast<unsigned>(i + 1));
        EXPECT_EQ(ledger[i]["id"], id);
    }
    EXPECT_EQ(ledger[0]["time_entry"], "TE000001");
    EXPECT_EQ(ledger[2]["estimate_version"], 1);
    EXPECT_EQ(ledger[2]["amount"], "580000.00");
    EXPECT_EQ(ledger[8]["estimate_version"], 3);
    EXPECT_EQ(ledger[8]["amount"], "60000.00");  // 640000 - 580000
    EXPECT_EQ(ledger[8]["reference"], "CR-202609-01/v3");
    EXPECT_FALSE(ledger[4].contains("media_booking"));
    EXPECT_EQ(ledger[6]["reverses"], "L00000006");
    EXPECT_EQ(ledger[6]["amount"], "-15000.00");
    EXPECT_EQ(ledger[7]["media_booking"], true);
    EXPECT_EQ(ledger[7]["confirmation"], "K02 e-mail of 2026-09-09");
    EXPECT_EQ(ledger[9]["reference"], "VI-7781 film crew");
    EXPECT_EQ(ledger[10]["due"], "2026-11-15");
    EXPECT_EQ(ledger[11]["client"], "SH-202604-BETA-002");
    EXPECT_EQ(ledger[12]["amount"], "-20000.00");
    EXPECT_TRUE(ledger[13]["job"].is_null());
    EXPECT_EQ(ledger[13]["contract"], "T01");
    EXPECT_EQ(ledger[14]["invoice"], "INV-2026-0101");
    EXPECT_EQ(ledger[14]["amount"], "350000.00");
    EXPECT_EQ(ledger[16]["reverses"], "L00000016");
    EXPECT_EQ(ledger[16]["invoice"], "INV-2026-0101");
    EXPECT_EQ(ledger[16]["amount"], "-10000.00");
}

TEST(GoldenFileV5, TheLoadedBookBehavesLikeTheOriginal) {
    using aecore::Date;
    namespace bp = boost::posix_time;
    const Agency original = build_golden_v5_agency();
    Agency loaded = Agency::load(kGoldenV5File);
    const std::string acme = "CD-202603-ACME-001";
    const std::string beta = "SH-202604-BETA-002";
    EXPECT_EQ(loaded.cost_estimates(), original.cost_estimates());
    EXPECT_EQ(loaded.ledger_entries(), original.ledger_entries());
    EXPECT_EQ(loaded.approved_estimate("CR-202609-01", Date(2026, 9, 21)),
              std::optional<aecore::Money>(aecore::Money::parse("580000.00", "CNY")));
    EXPECT_EQ(loaded.approved_estimate("CR-202609-01", Date(2026, 9, 22)),
              std::optional<aecore::Money>(aecore::Money::parse("640000.00", "CNY")));
    EXPECT_EQ(loaded.open_balance("INV-2026-0101").amount_string(), "250000.00");  // 600000 - 350000
    EXPECT_EQ(loaded.open_balance("INV-2026-0101", Date(2026, 11, 12)).amount_string(), "240000.00");
    for (int month = 9; month <= 12; ++month)
        for (const std::string& client : {acme, beta}) {
            const auto x = loaded.reconcile(client, aecore::YearMonth{2026, month});
            const auto y = original.reconcile(client, aecore::YearMonth{2026, month});
            EXPECT_EQ(x.rows, y.rows) << client << " " << month;
            EXPECT_EQ(x.total, y.total) << client << " " << month;
        }
    // the aging of 2026-11-30: INV-2026-0101 15 days past due, the credit note 31, the fee due today
    const aecore::AgingReport aging = loaded.aging(Date(2026, 11, 30));
    ASSERT_EQ(aging.rows.size(), 2u);
    EXPECT_EQ(aging.rows[0].client, acme);
    EXPECT_EQ(aging.rows[0].buckets.current.amount_string(), "50000.00");
    EXPECT_EQ(aging.rows[0].buckets.days_1_30.amount_string(), "250000.00");
    EXPECT_EQ(aging.rows[0].buckets.days_31_60.amount_string(), "-20000.00");
    EXPECT_EQ(aging.rows[0].buckets.total.amount_string(), "280000.00");
    EXPECT_EQ(aging.rows[1].buckets.days_1_30.amount_string(), "12000.00");
    // escalation days 2/10/20 in this book's Policy: both invoices are with the AM (S0003)
    const auto chase = loaded.collections(Date(2026, 11, 30));
    ASSERT_EQ(chase.size(), 2u);
    EXPECT_EQ(chase[0].invoice, "INV-2026-0101");
    EXPECT_EQ(chase[0].level, aecore::Escalation::AM);
    EXPECT_EQ(chase[0].owner, std::optional<std::string>("S0003"));
    EXPECT_EQ(chase[1].invoice, "INV-2026-0102");
    const aecore::HandoverStatement t1 = loaded.handover_statement(acme, "T01");
    EXPECT_EQ(t1.months, 12);
    EXPECT_EQ(t1.fees_due.amount_string(), "600000.00");
    EXPECT_EQ(t1.fees_invoiced.amount_string(), "50000.00");
    EXPECT_TRUE(t1.fees_collected.is_zero());
    for (const Date& d : {Date(2026, 9, 30), Date(2026, 10, 31), Date(2026, 11, 30), Date(2027, 1, 31)}) {
        for (const auto basis : {aecore::AgingBasis::DueDate, aecore::AgingBasis::InvoiceDate}) {
            EXPECT_EQ(loaded.aging(d, basis).rows, original.aging(d, basis).rows) << d;
            EXPECT_EQ(loaded.aging(d, basis).items, original.aging(d, basis).items) << d;
        }
        EXPECT_EQ(loaded.collections(d), original.collections(d)) << d;
        EXPECT_EQ(loaded.credit_status(acme, d), original.credit_status(acme, d)) << d;
        EXPECT_EQ(loaded.tiers(d), original.tiers(d)) << d;
        EXPECT_EQ(loaded.audit(d), original.audit(d)) << d;
        for (const char* t : {"T01", "T02"}) EXPECT_EQ(loaded.handover_statement(acme, t, d), original.handover_statement(acme, t, d));
    }
    for (bool per_client : {false, true})
        EXPECT_EQ(loaded.profitability(Date(2026, 9, 1), Date(2026, 12, 31), per_client),
                  original.profitability(Date(2026, 9, 1), Date(2026, 12, 31), per_client));
    // the book goes on where it stopped
    const int v4 = loaded.prepare_estimate(aecore::NewEstimate{.job = "CR-202609-01",
                                                               .amount = aecore::Money::parse("650000.00", "CNY"),
                                                               .note = "another cut-down",
                                                               .prepared_by = "S0004",
                                                               .prepared_at = aecore::DateTime(Date(2026, 10, 1), bp::hours(9))})
                       .version;
    EXPECT_EQ(v4, 4);
    const aecore::LedgerEntry next = loaded.record_payment(aecore::NewPayment{.invoice = "INV-2026-0101",
                                                                              .date = Date(2026, 12, 1),
                                                                              .amount = aecore::Money::parse("250000.00", "CNY"),
                                                                              .reference = "BOC 2026-12-01",
                                                                              .recorded_by = "S0003"});
    EXPECT_EQ(next.id, "L00000018");
    EXPECT_TRUE(loaded.open_balance("INV-2026-0101").is_zero());
    EXPECT_THROW(loaded.reverse_entry("L00000016", Date(2026, 12, 1), "again", "S0003"), aecore::StateError);
    const std::string json = loaded.to_json();
    EXPECT_EQ(Agency::from_json(json).to_json(), json);
}

// The committed version-6 file is written by this library from build_golden_v6_agency().
TEST(GoldenFileV6, LibraryStillWritesTheCommittedFile) {
    const std::string written = build_golden_v6_agency().to_json();
    if (const char* update = std::getenv("AECORE_UPDATE_GOLDEN"); update != nullptr && std::string(update) == "1") {
        write_file(kGoldenV6File, written);
    }
    ASSERT_TRUE(fs::exists(kGoldenV6File)) << kGoldenV6File;
    EXPECT_EQ(written, read_file(kGoldenV6File))
        << "the writer's output changed; if the schema changed on purpose, bump the version and add a migration";
    EXPECT_EQ(written.rfind(current_document_prefix(), 0), 0u);
}

TEST(GoldenFileV6, LoadThenSaveReproducesTheFileByteForByte) {
    const std::string golden = read_file(kGoldenV6File);
    const Agency loaded = Agency::load(kGoldenV6File);
    EXPECT_EQ(loaded.to_json(), golden);
    EXPECT_TRUE(loaded == build_golden_v6_agency());
    TempDir dir;
    loaded.save(dir / "copy.json");
    EXPECT_EQ(read_file(dir / "copy.json"), golden);
}

// The version-6 file extends the version-5 book: everything of version 5 is in it
// unchanged; the built-in rubrics open the rubrics, the custom rubric and the
// evaluations are added.
// Tickets and estimates are written as text straight from the book (no DOM of each): every
// field as nlohmann writes it, fractions of a second and escaped or non-ASCII text included.
TEST(GoldenFileV6, TicketsAndEstimatesKeepFractionsOfASecondAndEveryCharacter) {
    Json doc = Json::parse(read_file(kGoldenV6File));
    Json* with_history = nullptr;
    for (Json& j : doc["jobs"])
        if (!j["history"].empty()) with_history = &j;
    ASSERT_NE(with_history, nullptr);
    Json& job = *with_history;
    job["title"] = "Quote \" and backslash \\ \u5e7f\u544a \u00fcn\u00efcode";
    job["history"].back()["at"] = job["history"].back()["at"].get<std::string>() + ".000001";
    job["history"].back()["note"] = "Tab\there, line\nthere";
    Json* approved = nullptr;
    for (Json& e : doc["estimates"])
        if (e["approved_at"].is_string()) approved = &e;
    ASSERT_NE(approved, nullptr);
    (*approved)["approved_at"] = (*approved)["approved_at"].get<std::string>() + ".500000";
    (*approved)["note"] = "\u00e9t\u00e9 \"quoted\"";
    const std::string text = doc.dump(2) + "\n";
    EXPECT_EQ(Agency::from_json(text).to_json(), text);
}

TEST(GoldenFileV6, ExtendsTheVersion5Book) {
    const Json v5 = Json::parse(build_golden_v5_agency().to_json());
    const Json v6 = Json::parse(read_file(kGoldenV6File));
    for (const char* key : {"agency", "policy", "calendar", "staff", "clients", "activities", "contact_reports",
                            "meeting_notices", "status_reports", "plans", "jobs", "time_entries", "estimates", "ledger"})
        EXPECT_EQ(v6.at(key), v5.at(key)) << key;
    for (const auto& [key, value] : v5.at("sequences").items())
        if (key != "evaluations") {
            EXPECT_EQ(v6.at("sequences").at(key), value) << key;
        }
    EXPECT_EQ(v5.at("rubrics"), builtin_rubrics_json());
    ASSERT_EQ(v6.at("rubrics").size(), 3u);
    EXPECT_EQ(v6[ptr("/rubrics/0")], v5[ptr("/rubrics/0")]);
    EXPECT_EQ(v6[ptr("/rubrics/1")], v5[ptr("/rubrics/1")]);
    EXPECT_EQ(v5.at("evaluations"), Json::array());
    EXPECT_EQ(v5[ptr("/sequences/evaluations")], 1);
}

TEST(GoldenFileV6, RubricsAndEvaluationsOfEveryKindAreInTheFile) {
    const Json doc = Json::parse(read_file(kGoldenV6File));
    EXPECT_EQ(doc["version"], 6);
    ASSERT_EQ(doc["rubrics"].size(), 3u);
    EXPECT_EQ(doc[ptr("/rubrics/2/id")], "golden-custom");
    EXPECT_EQ(doc[ptr("/rubrics/2/name")], "Account handling 客户管理");
    EXPECT_EQ(doc[ptr("/rubrics/2/criteria/1/weights")], Json::parse(R"({"AAE": "60", "AE": "45.5", "AM": "30", "AD": "20"})"));
    EXPECT_EQ(doc[ptr("/rubrics/2/criteria/0/evidence")], Json::parse(R"(["JobsOnTime", "RevisionRounds"])"));
    EXPECT_EQ(doc[ptr("/rubrics/2/criteria/2/evidence")], Json::array());
    EXPECT_EQ(doc[ptr("/rubrics/2/criteria/2/description")], "");
    const Json& list = doc["evaluations"];
    ASSERT_EQ(list.size(), 5u);
    std::vector<std::string> ids, statuses, periods;
    std::vector<std::size_t> steps;
    for (const Json& e : list) {
        ids.push_back(e["id"].get<std::string>());
        statuses.push_back(e["status"].get<std::string>());
        periods.push_back(e["period"].get<std::string>());
        steps.push_back(e["history"].size());
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"EV0001", "EV0002", "EV0003", "EV0004", "EV0005"}));
    EXPECT_EQ(statuses,
              (std::vector<std::string>{"Finalized", "Discussed", "Reviewed", "SharedWithEvaluatee", "Draft"}));
    EXPECT_EQ(periods, (std::vector<std::string>{"Annual", "Quarterly", "SemiAnnual", "AdHoc", "Quarterly"}));
    EXPECT_EQ(steps, (std::vector<std::size_t>{4, 2, 3, 1, 0}));
    EXPECT_EQ(doc[ptr("/evaluations/0/scores")].size(), 21u);
    EXPECT_EQ(doc[ptr("/evaluations/0/scores/0")],
              Json::parse(R"({"criterion": "market_knowledge", "score": 5, "comment": "knows the noodle category cold"})"));
    ASSERT_EQ(doc[ptr("/evaluations/0/kpis")].size(), 3u);
    EXPECT_EQ(doc[ptr("/evaluations/0/kpis/1")], Json::parse(R"({"name": "margin", "weight": "0.3", "achievement": "0.92"})"));
    EXPECT_EQ(doc[ptr("/evaluations/0/end")], "2026-12-31");
    EXPECT_EQ(doc[ptr("/evaluations/0/history/3/to")], "Finalized");
    EXPECT_EQ(doc[ptr("/evaluations/0/history/2/actor")], "AD-01");
    EXPECT_EQ(doc[ptr("/evaluations/1/title")], "AAE");
    EXPECT_EQ(doc[ptr("/evaluations/1/reviewers")], Json::array());
    EXPECT_EQ(doc[ptr("/evaluations/1/evaluatee_comments")], "谢谢，我会改进。");
    EXPECT_EQ(doc[ptr("/evaluations/1/scores/0/criterion")], "briefing") << "rubric order, not scoring order";
    EXPECT_EQ(doc[ptr("/evaluations/2/end")], "2026-12-31");
    EXPECT_EQ(doc[ptr("/evaluations/2/history/1/note")], "in the Friday one-to-one");
    EXPECT_EQ(doc[ptr("/evaluations/3/title")], "AM");
    EXPECT_EQ(doc[ptr("/evaluations/3/reviewers")], Json::parse(R"(["S0001"])"));
    EXPECT_EQ(doc[ptr("/evaluations/3/end")], "2026-10-31");
    EXPECT_EQ(doc[ptr("/evaluations/4/end")], "2027-03-31");
    EXPECT_EQ(doc[ptr("/evaluations/4/scores")], Json::array());
    EXPECT_EQ(doc[ptr("/sequences/evaluations")], 6);
}

// Weighted scores by hand, with this book's rating bands 1.8 / 2.6 / 3.6 / 4.4:
//   EV0001 AE, account-service: all 4 but market knowledge 5 (w 4), attitude 3 (w 6),
//          training juniors 2 (w 2), money-mindedness 5 (w 4): 400 + 4 - 6 - 4 + 4 = 398 -> 3.98 Exceeds
//   EV0002 AAE, golden-custom: briefing 4 x 40 + client care 3 x 60 = 340 -> 3.40 Meets
//   EV0003 AE, 5A (20 % each): (4 + 3 + 4 + 4 + 3) x 20 = 360 -> 3.60 Exceeds (Meets by the default bands)
//   EV0004 AM: briefing and client care not scored -> none
//   KPI composite of EV0001: 0.5 x 1.08 + 0.3 x 0.92 + 0.2 x 0.85 = 0.54 + 0.276 + 0.17 = 0.9860
//   calibration of AD-01's organisation in 2026: S0001 3.40 (one); S0003 3.98 and 3.60:
//          mean 3.79, spread |3.98 - 3.60| / 2 = 0.19
TEST(GoldenFileV6, TheLoadedBookBehavesLikeTheOriginal) {
    using aecore::Date;
    using aecore::EvaluationStatus;
    using aecore::Rating;
    namespace bp = boost::posix_time;
    const Agency original = build_golden_v6_agency();
    Agency loaded = Agency::load(kGoldenV6File);
    EXPECT_EQ(loaded.rubrics(), original.rubrics());
    EXPECT_EQ(loaded.evaluations(), original.evaluations());
    const std::vector<std::tuple<const char*, std::string, std::optional<Rating>>> scores{
        {"EV0001", "3.98", Rating::Exceeds},
        {"EV0002", "3.40", Rating::Meets},
        {"EV0003", "3.60", Rating::Exceeds},
        {"EV0004", "-", std::nullopt},
        {"EV0005", "-", std::nullopt}};
    for (const auto& [id, score, rating] : scores) {
        const auto s = loaded.weighted_score(id);
        EXPECT_EQ(s ? s->to_string() : "-", score) << id;
        EXPECT_EQ(loaded.rating(id), rating) << id;
        EXPECT_EQ(loaded.weighted_score(id), original.weighted_score(id)) << id;
        EXPECT_EQ(loaded.evidence(id, std::nullopt), original.evidence(id, std::nullopt)) << id;
    }
    EXPECT_EQ(aecore::kpi_composite(loaded.evaluation("EV0001").kpis).to_string(), "0.9860");
    const Date jan1(2026, 1, 1), dec31(2026, 12, 31);
    const auto team = loaded.team_evaluations("AD-01", jan1, dec31);
    const auto team_then = original.team_evaluations("AD-01", jan1, dec31);
    ASSERT_EQ(team.size(), 4u) << "EV0005 is of 2027";
    ASSERT_EQ(team_then.size(), 4u);
    for (std::size_t i = 0; i < team.size(); ++i) {
        EXPECT_EQ(team[i].evaluation, team_then[i].evaluation);
        EXPECT_EQ(team[i].status, team_then[i].status);
        EXPECT_EQ(team[i].score, team_then[i].score);
        EXPECT_EQ(team[i].rating, team_then[i].rating);
        EXPECT_EQ(team[i].evidence, team_then[i].evidence);
    }
    const auto calibration = loaded.calibration("AD-01", jan1, dec31);
    ASSERT_EQ(calibration.size(), 2u);
    EXPECT_EQ(calibration[0].evaluator, "S0001");
    EXPECT_EQ(calibration[0].mean.to_string(), "3.40");
    EXPECT_EQ(calibration[1].evaluator, "S0003");
    EXPECT_EQ(calibration[1].count, 2);
    EXPECT_EQ(calibration[1].mean.to_string(), "3.79");
    EXPECT_EQ(calibration[1].spread.to_string(), "0.19");
    EXPECT_EQ(calibration[1].min.to_string(), "3.60");
    EXPECT_EQ(calibration[1].max.to_string(), "3.98");
    for (const Date& d : {Date(2026, 10, 1), Date(2026, 11, 2), Date(2026, 12, 20), Date(2027, 1, 4)})
        EXPECT_EQ(loaded.audit(d), original.audit(d)) << d;
    // PE-3 on 2027-01-04: EV0002, EV0003 and EV0004 are past their end and not finalized;
    // EV0003 was discussed without comments from the evaluatee
    std::vector<std::string> pe3;
    for (const aecore::Finding& f : loaded.audit(Date(2027, 1, 4)))
        if (f.rule == "PE-3") pe3.push_back(std::string(to_string(f.severity)) + " " + f.subject);
    EXPECT_EQ(pe3, (std::vector<std::string>{"Warning EV0002", "Warning EV0003", "Warning EV0004", "Advice EV0003"}));
    // the book goes on where it stopped
    aecore::NewEvaluation n;
    n.evaluatee = "S0004";
    n.evaluator = "S0003";
    n.rubric = "golden-custom";
    n.period = aecore::EvaluationPeriod::Quarterly;
    n.start = Date(2027, 1, 1);
    n.created_at = aecore::DateTime(Date(2027, 1, 4), bp::hours(9));
    EXPECT_EQ(loaded.start_evaluation(n).id, "EV0006");
    EXPECT_THROW(loaded.score_criterion("EV0001", "attitude", 4), aecore::StateError) << "finalized";
    EXPECT_EQ(loaded.advance_evaluation("EV0003", EvaluationStatus::Finalized, "AD-01",
                                        aecore::DateTime(Date(2027, 1, 4), bp::hours(10)))
                  .status,
              EvaluationStatus::Finalized);
    EXPECT_THROW(loaded.add_rubric(loaded.rubric("golden-custom")), aecore::ValidationError);
    const std::string json = loaded.to_json();
    EXPECT_EQ(Agency::from_json(json).to_json(), json);
}

TEST(Determinism, IndependentlyBuiltAgenciesGiveIdenticalJson) {
    EXPECT_EQ(build_golden_agency().to_json(), build_golden_agency().to_json());

    // Larger books: many staff, built twice, including after a JSON round trip
    // (the id index is a hash map; its order must not leak into the output).
    auto big = [] {
        Agency a("Big Agency", "SH", "CNY");
        for (int i = 0; i < 300; ++i) {
            aecore::NewStaff s;
            s.name = "Person " + std::to_string(i);
            s.title = static_cast<aecore::Title>(i % 4);
            s.hourly_rate = aecore::Money::from_minor(10000 + i, "CNY");
            if (i % 3 == 2) s.id = "X-" + std::to_string(1000 - i);
            if (i > 0) s.manager = a.staff_members()[static_cast<std::size_t>(i / 2)].id;
            a.add_staff(s);
        }
        return a;
    };
    const std::string first = big().to_json();
    EXPECT_EQ(big().to_json(), first);
    EXPECT_EQ(Agency::from_json(first).to_json(), first);
}

// ---------------------------------------------------------------- schema errors (PS-1)

TEST(SchemaErrors, NotJsonAtAll) {
    expect_detail(expect_schema_error(std::string("this is not json"), "/"), "not valid JSON");
    expect_schema_error(std::string(""), "/");
    expect_schema_error(read_file(kGoldenFile).substr(0, 200), "/");  // truncated
    expect_detail(expect_schema_error(std::string("[1, 2]"), "/"), "object");
}

TEST(SchemaErrors, WrongSchemaName) {
    expect_detail(expect_schema_error([](Json& d) { d["schema"] = "aecore.Agenzy"; }, "/schema"), "aecore.Agency");
    expect_schema_error([](Json& d) { d["schema"] = 1; }, "/schema");
}

TEST(SchemaErrors, NewerVersionIsRefused) {
    const int next = aecore::schema::kVersion + 1;
    expect_detail(expect_schema_error([&](Json& d) { d["version"] = next; }, "/version"), "newer");
    expect_schema_error([](Json& d) { d["version"] = 999; }, "/version");
    expect_detail(expect_book_schema_error([&](Json& d) { d["version"] = next; }, "/version"), "newer");
    expect_detail(expect_plans_schema_error([&](Json& d) { d["version"] = next; }, "/version"), "newer");
    // the current version itself loads
    Json doc = plans_document();
    doc["version"] = aecore::schema::kVersion;
    EXPECT_NO_THROW((void)Agency::from_json(doc.dump()));
}

// A version-1 document is read as version 1: the sections that arrived with version 2
// are not in it, so a "clients" key there is unknown rather than silently dropped.
TEST(SchemaErrors, Version1DocumentWithVersion2SectionsIsRefused) {
    expect_schema_error([](Json& d) { d["clients"] = book_document()["clients"]; }, "/clients");
    expect_schema_error([](Json& d) { d["activities"] = Json::array({Json::object()}); }, "/activities");
    expect_schema_error([](Json& d) { d["sequences"]["clients"] = Json::parse(R"({"2026": 4})"); },
                        "/sequences/clients");
    // nor may it carry the plans of version 3
    expect_schema_error([](Json& d) { d["plans"] = Json::array(); }, "/plans");
}

// A version-2 document must have every version-2 section (the committed file is a real
// version-2 document; it is read through the migrations).
TEST(SchemaErrors, Version2DocumentMissingASection) {
    for (const char* key : {"clients", "activities", "contact_reports", "meeting_notices", "status_reports"}) {
        expect_detail(expect_v2_file_schema_error([&](Json& d) { d.erase(key); }, "/"), key);
        expect_detail(expect_book_schema_error([&](Json& d) { d.erase(key); }, "/"), key);
    }
    expect_detail(expect_v2_file_schema_error([](Json& d) { d["sequences"].erase("clients"); }, "/sequences"),
                  "clients");
    expect_detail(expect_book_schema_error([](Json& d) { d["sequences"].erase("clients"); }, "/sequences"), "clients");
}

// A version-2 document is read as version 2: plans arrived with version 3, so a "plans"
// key there is unknown rather than silently dropped or read.
TEST(SchemaErrors, Version2DocumentWithPlansIsRefused) {
    expect_detail(expect_v2_file_schema_error([](Json& d) { d["plans"] = Json::array(); }, "/plans"), "version 2");
    expect_v2_file_schema_error([](Json& d) { d["plans"] = plans_document()["plans"]; }, "/plans");
    expect_detail(expect_v2_file_schema_error([](Json& d) { d["sequences"]["plans"] = 4; }, "/sequences/plans"),
                  "version 2");
    // the untouched file loads
    EXPECT_NO_THROW((void)Agency::from_json(committed_v2_document().dump()));
}

// A version-3 document must have the plans and their sequence.
TEST(SchemaErrors, Version3DocumentMissingPlans) {
    expect_detail(expect_plans_schema_error([](Json& d) { d.erase("plans"); }, "/"), "plans");
    expect_detail(expect_plans_schema_error([](Json& d) { d["sequences"].erase("plans"); }, "/sequences"), "plans");
    expect_book_schema_error([](Json& d) { d["plans"] = Json::object(); }, "/plans");
}

TEST(SchemaErrors, VersionZeroAndNonIntegerVersions) {
    expect_schema_error([](Json& d) { d["version"] = 0; }, "/version");
    expect_schema_error([](Json& d) { d["version"] = -1; }, "/version");
    expect_schema_error([](Json& d) { d["version"] = "1"; }, "/version");
    expect_schema_error([](Json& d) { d["version"] = 1.5; }, "/version");
}

TEST(SchemaErrors, MissingKey) {
    expect_detail(expect_schema_error([](Json& d) { d[ptr("/staff/0")].erase("email"); }, "/staff/0"), "\"email\"");
    expect_detail(expect_schema_error([](Json& d) { d.erase("calendar"); }, "/"), "\"calendar\"");
    expect_detail(expect_schema_error([](Json& d) { d[ptr("/policy")].erase("overspend"); }, "/policy"),
                  "\"overspend\"");
    expect_detail(expect_schema_error([](Json& d) { d[ptr("/policy/lead_time_days")].erase("Research"); },
                                      "/policy/lead_time_days"),
                  "\"Research\"");
}

TEST(SchemaErrors, UnknownKeyIsATypoNotIgnored) {
    expect_detail(expect_schema_error([](Json& d) { d[ptr("/staff/0/emial")] = "x@y.example"; }, "/staff/0/emial"),
                  "unknown key");
    expect_schema_error([](Json& d) { d["comment"] = "hello"; }, "/comment");
    expect_schema_error([](Json& d) { d[ptr("/policy/late_payment_dayz")] = 30; }, "/policy/late_payment_dayz");
    expect_schema_error([](Json& d) { d[ptr("/calendar/working_hours/lunch")] = "12:00"; },
                        "/calendar/working_hours/lunch");
}

TEST(SchemaErrors, WrongType) {
    expect_detail(expect_schema_error([](Json& d) { d[ptr("/staff/0/title")] = 42; }, "/staff/0/title"),
                  "expected a string");
    expect_schema_error([](Json& d) { d[ptr("/staff/2/active")] = "yes"; }, "/staff/2/active");
    expect_schema_error([](Json& d) { d[ptr("/policy/late_payment_days")] = "45"; }, "/policy/late_payment_days");
    expect_schema_error([](Json& d) { d[ptr("/staff")] = Json::object(); }, "/staff");
    expect_schema_error([](Json& d) { d[ptr("/staff/1/hourly_rate")] = "180.50"; }, "/staff/1/hourly_rate");
    expect_schema_error([](Json& d) { d[ptr("/staff/1/manager")] = 1; }, "/staff/1/manager");
}

TEST(SchemaErrors, BadEnum) {
    expect_detail(expect_schema_error([](Json& d) { d[ptr("/staff/1/title")] = "CEO"; }, "/staff/1/title"), "CEO");
    expect_schema_error([](Json& d) { d[ptr("/staff/3/department")] = "Sales"; }, "/staff/3/department");
    expect_schema_error([](Json& d) { d[ptr("/policy/overspend")] = "warn"; }, "/policy/overspend");
    expect_schema_error([](Json& d) { d[ptr("/calendar/weekend/1")] = "Sunday"; }, "/calendar/weekend/1");
}

TEST(SchemaErrors, BadDates) {
    expect_detail(expect_schema_error([](Json& d) { d[ptr("/calendar/holidays/1")] = "2026-02-30"; },
                                      "/calendar/holidays/1"),
                  "YYYY-MM-DD");
    expect_schema_error([](Json& d) { d[ptr("/calendar/holidays/0")] = "2026-5-01"; }, "/calendar/holidays/0");
    expect_schema_error([](Json& d) { d[ptr("/calendar/holidays/0")] = "01/05/2026"; }, "/calendar/holidays/0");
    expect_schema_error([](Json& d) { d[ptr("/calendar/working_weekend_days/0")] = "2026-04-26T00:00:00"; },
                        "/calendar/working_weekend_days/0");
    expect_schema_error([](Json& d) { d[ptr("/calendar/working_hours/end")] = "25:00"; },
                        "/calendar/working_hours/end");
}

TEST(SchemaErrors, UnsortedOrDuplicateHolidays) {
    expect_detail(expect_schema_error(
                      [](Json& d) {
                          std::swap(d[ptr("/calendar/holidays/0")], d[ptr("/calendar/holidays/1")]);
                      },
                      "/calendar/holidays/1"),
                  "sorted");
    expect_schema_error([](Json& d) { d[ptr("/calendar/holidays/2")] = d[ptr("/calendar/holidays/1")]; },
                        "/calendar/holidays/2");
    expect_schema_error(
        [](Json& d) {
            std::swap(d[ptr("/calendar/working_weekend_days/0")], d[ptr("/calendar/working_weekend_days/1")]);
        },
        "/calendar/working_weekend_days/1");
}

TEST(SchemaErrors, BadMoneyAmount) {
    expect_detail(expect_schema_error([](Json& d) { d[ptr("/staff/0/hourly_rate/amount")] = "12.345"; },
                                      "/staff/0/hourly_rate/amount"),
                  "MB-1");
    expect_schema_error([](Json& d) { d[ptr("/staff/0/hourly_rate/amount")] = "twelve"; },
                        "/staff/0/hourly_rate/amount");
    expect_schema_error([](Json& d) { d[ptr("/staff/0/hourly_rate/amount")] = 12; }, "/staff/0/hourly_rate/amount");
}

TEST(SchemaErrors, UnknownCurrency) {
    expect_detail(expect_schema_error([](Json& d) { d[ptr("/staff/0/hourly_rate/currency")] = "XYZ"; },
                                      "/staff/0/hourly_rate/currency"),
                  "XYZ");
    expect_schema_error([](Json& d) { d[ptr("/agency/currency")] = "RMB"; }, "/agency/currency");
}

TEST(SchemaErrors, DuplicateStaffId) {
    expect_detail(expect_schema_error([](Json& d) { d[ptr("/staff/1/id")] = "S0001"; }, "/staff/1/id"), "S0001");
}

// PS-1 asks for "the JSON path of the offending value"; for an unknown manager that is
// the manager reference itself.
// Cross-record staff checks name the offending value's path ("/staff/1/manager"),
// not just the record.
TEST(SchemaErrors, UnknownManager) {
    expect_detail(expect_schema_error([](Json& d) { d[ptr("/staff/1/manager")] = "S0099"; }, "/staff/1/manager"),
                  "S0099");
}

TEST(SchemaErrors, ManagerCycle) {
    // AD-01 -> S0001 -> S0003 -> AD-01
    Json doc = golden_document();
    doc[ptr("/staff/3/manager")] = "S0001";
    try {
        (void)Agency::from_json(doc.dump(2));
        FAIL() << "a reporting cycle was accepted";
    } catch (const SchemaError& e) {
        const std::vector<std::string> cycle_paths{"/staff/0/manager", "/staff/2/manager", "/staff/3/manager"};
        EXPECT_NE(std::find(cycle_paths.begin(), cycle_paths.end(), e.field()), cycle_paths.end()) << e.what();
        EXPECT_NE(std::string(e.what()).find(e.field()), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("cycle"), std::string::npos) << e.what();
    }
}

// A reporting cycle is reported on a member of the cycle, never on a record that merely
// reports into it (with AD-01 <-> S0003, S0001 -> S0003 must not be blamed).
TEST(SchemaErrors, ManagerCycleIsReportedOnAMemberOfTheCycle) {
    Json doc = golden_document();
    doc[ptr("/staff/3/manager")] = "S0003";  // AD-01 <-> S0003; S0001 and S0002 report into it
    try {
        (void)Agency::from_json(doc.dump(2));
        FAIL() << "a reporting cycle was accepted";
    } catch (const SchemaError& e) {
        const std::vector<std::string> cycle_paths{"/staff/2/manager", "/staff/3/manager"};
        EXPECT_NE(std::find(cycle_paths.begin(), cycle_paths.end(), e.field()), cycle_paths.end()) << e.what();
        EXPECT_EQ(std::string(e.what()).find("\"S0001\""), std::string::npos) << e.what();
    }
}

TEST(SchemaErrors, BadPolicy) {
    expect_detail(expect_schema_error([](Json& d) { d[ptr("/policy/tier_shares/A")] = "0.9"; }, "/policy/tier_shares"),
                  "CL-5");
    expect_schema_error([](Json& d) { d[ptr("/policy/tier_shares/B")] = "abc"; }, "/policy/tier_shares/B");
    expect_detail(expect_schema_error([](Json& d) { d[ptr("/policy/span_of_control/min")] = 5; },
                                      "/policy/span_of_control"),
                  "ST-2");
    expect_schema_error([](Json& d) { d[ptr("/policy/late_payment_days")] = -1; }, "/policy/late_payment_days");
    expect_schema_error([](Json& d) { d[ptr("/policy/rating_bands")].erase(std::size_t{0}); }, "/policy/rating_bands");
    expect_schema_error([](Json& d) { d[ptr("/policy/rating_bands/3")] = "5.5"; }, "/policy/rating_bands");
    expect_schema_error([](Json& d) { d[ptr("/policy/escalation_days/AE")] = 40; }, "/policy/escalation_days");
}

TEST(SchemaErrors, BadStaffRecords) {
    expect_schema_error([](Json& d) { d[ptr("/staff/0/name")] = "  Wang Fang"; }, "/staff/0/name");
    expect_schema_error([](Json& d) { d[ptr("/staff/0/name")] = ""; }, "/staff/0/name");
    expect_schema_error([](Json& d) { d[ptr("/agency/home_city")] = "cd"; }, "/agency/home_city");
    expect_schema_error([](Json& d) { d[ptr("/sequences/staff")] = 0; }, "/sequences/staff");
    expect_schema_error([](Json& d) { d[ptr("/calendar/weekend")] = Json::array({"Mon", "Tue", "Wed", "Thu", "Fri",
                                                                                 "Sat", "Sun"}); },
                        "/calendar/weekend");
    expect_schema_error([](Json& d) { d[ptr("/calendar/working_hours/start")] = "18:00"; },
                        "/calendar/working_hours");
}

// Mutates every scalar of `golden` to each of `replacements`; loading must either
// succeed or raise SchemaError, never anything else.
// With `prefixes`, only the scalars whose JSON pointer starts with one of them.
void expect_only_schema_errors(const Json& golden, const std::vector<Json>& replacements,
                               const std::vector<std::string>& prefixes = {}) {
    int failures = 0;
    int mutated = 0;
    const Json flat = golden.flatten();  // items() of a temporary would dangle
    for (const auto& [pointer, value] : flat.items()) {
        if (!prefixes.empty() && std::none_of(prefixes.begin(), prefixes.end(), [&](const std::string& prefix) {
                return pointer.rfind(prefix, 0) == 0;
            }))
            continue;
        ++mutated;
        for (const Json& r : replacements) {
            Json doc = golden;
            doc[Json::json_pointer(pointer)] = r;
            try {
                (void)Agency::from_json(doc.dump());
            } catch (const SchemaError& e) {
                EXPECT_FALSE(e.field().empty());
            } catch (const std::exception& e) {
                ++failures;
                ADD_FAILURE() << pointer << " = " << r.dump() << ": " << e.what();
            }
        }
    }
    EXPECT_EQ(failures, 0);
    EXPECT_GT(mutated, 0);
}

TEST(SchemaErrors, EveryErrorIsASchemaErrorNeverAnotherException) {
    expect_only_schema_errors(golden_document(), {Json(nullptr), Json(-1), Json("?"), Json::array()});
}

// The same sweep over the plans of the version-3 document (the rest is swept above).
TEST(SchemaErrors, EveryPlanErrorIsASchemaErrorNeverAnotherException) {
    expect_only_schema_errors(plans_document(),
                              {Json(nullptr), Json(-1), Json("?"), Json::array(), Json("MP0001"), Json("K01"),
                               Json("Superseded"), Json("2026-08-10T10:00:00"), Json("101")},
                              {"/plans/", "/sequences/plans"});
}

// The same sweep over the book document: clients and routines included.
TEST(SchemaErrors, EveryBookErrorIsASchemaErrorNeverAnotherException) {
    expect_only_schema_errors(book_document(), {Json(nullptr), Json(-1), Json("?"), Json::array(),
                                                     Json("S0001"), Json("2026-04-08T10:00:00")});
}

// ---------------------------------------------------------------- schema errors: clients (CL-1..CL-7, ST-3)

TEST(ClientSchemaErrors, CodeMustMatchCitySerialAndSequence) {
    // the code is built from the client's own city, first-contact month and short name
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/clients/0/code")] = "CD-202603-ACMX-001"; },
                                         "/clients/0/code"),
                  "CL-1");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/city")] = "SH"; }, "/clients/0/code");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/first_contact")] = "2026-04-02"; }, "/clients/0/code");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/code")] = "CD-202603-ACME-01"; }, "/clients/0/code");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/code")] = "CD-202603-ACME-000"; }, "/clients/0/code");
    // duplicate code: Beta made into a second CD-202603-ACME-001
    expect_detail(expect_book_schema_error(
                      [](Json& d) {
                          for (const char* key : {"/code", "/city", "/first_contact", "/short_name"})
                              d[ptr((std::string("/clients/1") + key).c_str())] =
                                  d[ptr((std::string("/clients/0") + key).c_str())];
                      },
                      "/clients/1/code"),
                  "duplicate");
    // a serial at or above the year's sequence could be handed out again
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/sequences/clients/2026")] = 2; }, "/clients/1/code"),
                  "never reused");
    expect_book_schema_error([](Json& d) { d[ptr("/sequences/clients")].erase("2025"); }, "/clients/2/code");
    expect_book_schema_error([](Json& d) { d[ptr("/sequences/clients/2026")] = 0; }, "/sequences/clients/2026");
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/sequences/clients")]["20x6"] = 3; },
                                         "/sequences/clients/20x6"),
                  "year");
    expect_book_schema_error([](Json& d) { d[ptr("/sequences/clients")] = Json::array(); }, "/sequences/clients");
}

TEST(ClientSchemaErrors, RecordFields) {
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/short_name")] = "acme"; }, "/clients/0/short_name");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/city")] = "cd"; }, "/clients/0/city");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/name")] = " Acme"; }, "/clients/0/name");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/email")] = "acme"; }, "/clients/0/email");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/annual_budget/amount")] = "-1.00"; },
                           "/clients/0/annual_budget");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/annual_budget/currency")] = "USD"; },
                           "/clients/0/annual_budget");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/first_contact")] = "2026-3-2"; },
                           "/clients/0/first_contact");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/archived")] = "no"; }, "/clients/0/archived");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0")].erase("fax"); }, "/clients/0");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/wechat")] = "acme"; }, "/clients/0/wechat");
    // CL-2: two clients of one city may not share a name (Gamma is in CD too)
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/clients/2/name")] = d[ptr("/clients/0/name")]; },
                                         "/clients/2/name"),
                  "CL-2");
    // ... but two cities may
    Json doc = book_document();
    doc[ptr("/clients/1/name")] = doc[ptr("/clients/0/name")];
    EXPECT_NO_THROW((void)Agency::from_json(doc.dump()));
}

TEST(ClientSchemaErrors, BrandsContactsContracts) {
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/clients/0/brands/1/name")] = "Acme Noodles"; },
                                         "/clients/0/brands/1/name"),
                  "duplicate brand");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/brands/0/products/1")] = 7; },
                           "/clients/0/brands/0/products/1");
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/clients/0/contacts/1/primary")] = true; },
                                         "/clients/0/contacts/1/primary"),
                  "CL-3");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/contacts/1/id")] = "K01"; }, "/clients/0/contacts/1/id");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/contacts/0/role")] = "Boss"; },
                           "/clients/0/contacts/0/role");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/contacts/0/wechat")] = "zhao"; },
                           "/clients/0/contacts/0/wechat");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/contacts/0/email")] = "zhao@"; },
                           "/clients/0/contacts/0/email");
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/clients/0/contracts/0/end")] = "2026-03-31"; },
                                         "/clients/0/contracts/0/end"),
                  "CL-7");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/contracts/0/monthly_fee/currency")] = "USD"; },
                           "/clients/0/contracts/0/monthly_fee");
}

TEST(ClientSchemaErrors, TeamAndStageHistory) {
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/clients/0/team_history/1/ae")] = "S0999"; },
                                         "/clients/0/team_history/1/ae"),
                  "S0999");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/team_history/0/ad")] = "AD-99"; },
                           "/clients/0/team_history/0/ad");
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/clients/0/team_history/1/effective")] = "2026-03-01"; },
                                         "/clients/0/team_history/1/effective"),
                  "ST-3");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/team_history")] = Json::array(); },
                           "/clients/0/team_history");
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/clients/0/stage_history/1/stage")] = "Won"; },
                                         "/clients/0/stage_history/1/stage"),
                  "Won");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/0/stage_history/1/date")] = "2026-03-01"; },
                           "/clients/0/stage_history/1/date");
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/clients/1/stage_history/0/delivered_on")] = "2026-04-07"; },
                                         "/clients/1/stage_history/0/delivered_on"),
                  "CL-6");
    expect_book_schema_error([](Json& d) { d[ptr("/clients/1/stage_history")] = Json::array(); },
                           "/clients/1/stage_history");
}

// ---------------------------------------------------------------- schema errors: routines (AS-1..AS-3)

TEST(RoutineSchemaErrors, Activities) {
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/activities/0/client")] = "CD-209901-NOPE-001"; },
                                         "/activities/0/client"),
                  "CD-209901-NOPE-001");
    expect_book_schema_error([](Json& d) { d[ptr("/activities/0/staff")] = "S0999"; }, "/activities/0/staff");
    // K03 is a contact of Acme; the call was with Beta, which has only K01
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/activities/2/contacts/0")] = "K03"; },
                                         "/activities/2/contacts/0"),
                  "CL-3");
    expect_book_schema_error([](Json& d) { d[ptr("/activities/0/notice")] = "N00009"; }, "/activities/0/notice");
    expect_book_schema_error([](Json& d) { d[ptr("/activities/0/kind")] = "Lunch"; }, "/activities/0/kind");
    expect_book_schema_error([](Json& d) { d[ptr("/activities/0/when")] = "2026-04-08 10:00"; }, "/activities/0/when");
    expect_book_schema_error([](Json& d) { d[ptr("/activities/1/id")] = "A000001"; }, "/activities/1/id");
    expect_book_schema_error([](Json& d) { d[ptr("/sequences/activities")] = 4; }, "/activities/3/id");
}

TEST(RoutineSchemaErrors, ContactReportsNoticesAndStatusReports) {
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/contact_reports/1/activity")] = "A000001"; },
                                         "/contact_reports/1/activity"),
                  "second contact report");
    expect_book_schema_error([](Json& d) { d[ptr("/contact_reports/0/activity")] = "A000099"; },
                           "/contact_reports/0/activity");
    expect_book_schema_error([](Json& d) { d[ptr("/contact_reports/0/author")] = "S0999"; }, "/contact_reports/0/author");
    expect_book_schema_error([](Json& d) { d[ptr("/sequences/contact_reports")] = 3; }, "/contact_reports/2/id");
    expect_detail(expect_book_schema_error([](Json& d) { d[ptr("/meeting_notices/0/issued_at")] = "2026-04-08T10:00:01"; },
                                         "/meeting_notices/0/issued_at"),
                  "AS-2");
    expect_book_schema_error([](Json& d) { d[ptr("/meeting_notices/0/client")] = "XX-202601-X-001"; },
                           "/meeting_notices/0/client");
    expect_book_schema_error([](Json& d) { d[ptr("/meeting_notices/1/id")] = "N00001"; }, "/meeting_notices/1/id");
    expect_book_schema_error([](Json& d) { d[ptr("/status_reports/0/author")] = "S0999"; }, "/status_reports/0/author");
    expect_book_schema_error([](Json& d) { d[ptr("/status_reports/0/kind")] = "Daily"; }, "/status_reports/0/kind");
    expect_book_schema_error([](Json& d) { d[ptr("/sequences/status_reports")] = 1; }, "/status_reports/0/id");
}

// Loading validates everything (PS-1): a document that the API could never have produced
// is refused, at the path of the offending value, instead of loading a book that breaks
// the rules the Agency enforces.
TEST(RoutineSchemaInvariants, ContactReportIdsAreUnique) {
    expect_book_schema_error([](Json& d) { d[ptr("/contact_reports/1/id")] = "R00001"; }, "/contact_reports/1/id");
}

TEST(RoutineSchemaInvariants, StatusReportIdsAreUnique) {
    expect_book_schema_error([](Json& d) { d[ptr("/status_reports/1/id")] = "W00001"; }, "/status_reports/1/id");
}

TEST(RoutineSchemaInvariants, ContactReportOnlyForMeetingsVisitsAndImportantCalls) {
    // A000004 is an e-mail
    expect_book_schema_error([](Json& d) { d[ptr("/contact_reports/2/activity")] = "A000004"; },
                           "/contact_reports/2/activity");
}

TEST(RoutineSchemaInvariants, ContactReportNotWrittenBeforeItsActivity) {
    expect_book_schema_error([](Json& d) { d[ptr("/contact_reports/0/written_at")] = "2026-04-08T09:59:00"; },
                           "/contact_reports/0/written_at");
}

TEST(RoutineSchemaInvariants, MeetingNoticeOnlyOnAMeetingOfTheSameClient) {
    expect_book_schema_error([](Json& d) { d[ptr("/activities/1/notice")] = "N00001"; }, "/activities/1/notice");
    expect_book_schema_error([](Json& d) { d[ptr("/activities/0/notice")] = "N00002"; }, "/activities/0/notice");
}

TEST(RoutineSchemaInvariants, WeeklyPeriodIsAMonday) {
    expect_book_schema_error([](Json& d) { d[ptr("/status_reports/1/period")] = "2026-04-07"; },
                           "/status_reports/1/period");
}

// Contact and contract ids are generated from the list length ("K04" after three); a
// loaded book must not be able to make add_contact hand out an id that is taken.
TEST(ClientSchemaInvariants, ContactIdsStayUniqueAfterLoading) {
    Json doc = book_document();
    // K01, K04, K03: rename K02 and the references to it
    doc[ptr("/clients/0/contacts/1/id")] = "K04";
    doc[ptr("/activities/0/contacts/1")] = "K04";
    doc[ptr("/contact_reports/0/distribution_contacts/1")] = "K04";
    try {
        Agency a = Agency::from_json(doc.dump());
        aecore::NewContact k;
        k.name = "New Contact";
        const std::string id = a.add_contact("CD-202603-ACME-001", k).id;
        int same = 0;
        for (const aecore::Contact& c : a.client("CD-202603-ACME-001").contacts) same += c.id == id;
        EXPECT_EQ(same, 1) << "add_contact handed out " << id << ", which was already taken";
    } catch (const SchemaError& e) {
        EXPECT_EQ(e.field(), "/clients/0/contacts/1/id") << e.what();
    }
}

// ---------------------------------------------------------------- schema errors: plans (MP-1..MP-8)
//
// On plans_document(): /plans/0 MP0001 Superseded (Acme Noodles / Beef Noodle), /plans/1
// MP0002 ClientApproved (its version 2), /plans/2 MP0003 Draft (Acme Tea / Green Tea) with
// objectives O1 BrandAwareness (two actuals), O2 BrandImage, O3 SalesVolume.

TEST(PlanSchemaErrors, BadEnums) {
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/product_section/stage")] = "Infancy"; },
                                            "/plans/0/product_section/stage"),
                  "Infancy");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/product_section/stage")] = "launch"; },
                              "/plans/0/product_section/stage");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/market")] = "Government"; }, "/plans/0/market");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/price/positioning")] = "Luxury"; },
                              "/plans/0/price/positioning");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/promotion/objective")] = "Entertain"; },
                              "/plans/0/promotion/objective");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/promotion/mix/0/element")] = "Billboards"; },
                              "/plans/0/promotion/mix/0/element");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/objectives/0/kind")] = "Happiness"; },
                              "/plans/2/objectives/0/kind");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/1/status")] = "Approved"; }, "/plans/1/status");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/1/history/1/to")] = "Sent"; }, "/plans/1/history/1/to");
}

TEST(PlanSchemaErrors, CoverageOutside0To100) {
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/place/coverage_percent")] = "101"; },
                                            "/plans/0/place/coverage_percent"),
                  "MP-4");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/place/coverage_percent")] = "100.01"; },
                              "/plans/0/place/coverage_percent");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/place/coverage_percent")] = "-0.5"; },
                              "/plans/2/place/coverage_percent");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/place/coverage_percent")] = 45; },
                              "/plans/2/place/coverage_percent");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/place/outlets_current")] = -1; },
                              "/plans/0/place/outlets_current");
    // the bounds themselves load
    for (const char* ok : {"0", "100", "100.00"}) {
        Json doc = plans_document();
        doc[ptr("/plans/0/place/coverage_percent")] = ok;
        EXPECT_NO_THROW((void)Agency::from_json(doc.dump())) << ok;
    }
}

TEST(PlanSchemaErrors, MixElementTwice) {
    const auto e = expect_plans_schema_error(
        [](Json& d) { d[ptr("/plans/0/promotion/mix/2/element")] = "Advertising"; }, "/plans/0/promotion/mix/2/element");
    expect_detail(e, "twice");
    expect_detail(e, "MP-5");
}

TEST(PlanSchemaErrors, MoneyIsNonNegativeInTheAgencyCurrency) {
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/promotion/budget/currency")] = "USD"; },
                                            "/plans/0/promotion/budget"),
                  "agency currency");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/promotion/mix/1/budget/amount")] = "-1.00"; },
                              "/plans/0/promotion/mix/1/budget");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/price/list_price/currency")] = "USD"; },
                              "/plans/0/price/list_price");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/price/competitors/0/price/amount")] = "-9.90"; },
                              "/plans/0/price/competitors/0/price");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/promotion/budget/amount")] = "1.234"; },
                              "/plans/0/promotion/budget/amount");
}

TEST(PlanSchemaErrors, UnknownClientBrandProductOrContact) {
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/brand")] = "Acme Soup"; }, "/plans/0/brand"),
                  "MP-1");
    // a brand of another client
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/brand")] = "Beta EV"; }, "/plans/0/brand");
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/client")] = "CD-209901-NOPE-001"; },
                                            "/plans/0/client"),
                  "CD-209901-NOPE-001");
    // Beef Noodle is a product of Acme Noodles, not of Acme Tea
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/product")] = "Beef Noodle"; }, "/plans/2/product");
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/1/approved_by")] = "K09"; },
                                            "/plans/1/approved_by"),
                  "MP-7");
    // a plan for the brand as a whole (no product) loads
    Json doc = plans_document();
    doc[ptr("/plans/2/product")] = nullptr;
    EXPECT_NO_THROW((void)Agency::from_json(doc.dump()));
}

TEST(PlanSchemaErrors, StatusMustBeWhereTheHistoryEnds) {
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/status")] = "Proposed"; }, "/plans/2/status"),
                  "history");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/1/status")] = "Draft"; }, "/plans/1/status");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/history")] = Json::array(); }, "/plans/2/status");
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/1/history/2/at")] = "2026-05-01T00:00:00"; },
                                            "/plans/1/history/2/at"),
                  "forward");
}

TEST(PlanSchemaErrors, ASupersededPlanNamesItsSuccessor) {
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/superseded_by")] = nullptr; },
                                            "/plans/0/superseded_by"),
                  "MP-8");
    // ... and only a superseded plan names one
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/1/superseded_by")] = "MP0003"; }, "/plans/1/superseded_by");
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/superseded_by")] = "MP0099"; },
                                            "/plans/0/superseded_by"),
                  "MP0099");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/1/supersedes")] = "MP0099"; }, "/plans/1/supersedes");
}

TEST(PlanSchemaErrors, ApprovalIsRecordedExactlyForApprovedPlans) {
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/1/approved_by")] = nullptr; }, "/plans/1/approved_by");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/approved_at")] = nullptr; }, "/plans/0/approved_by");
    expect_plans_schema_error(
        [](Json& d) {
            d[ptr("/plans/2/approved_by")] = "K01";
            d[ptr("/plans/2/approved_at")] = "2026-08-21T10:00:00";
        },
        "/plans/2/approved_by");
}

TEST(PlanSchemaErrors, IdsAreUniqueAndBelowTheSequence) {
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/1/id")] = "MP0001"; }, "/plans/1/id");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/id")] = "P0001"; }, "/plans/0/id");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/id")] = "MP"; }, "/plans/0/id");
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/sequences/plans")] = 3; }, "/plans/2/id"), "MP-1");
    expect_plans_schema_error([](Json& d) { d[ptr("/sequences/plans")] = 0; }, "/sequences/plans");
}

TEST(PlanSchemaErrors, ObjectivesAndMeasurements) {
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/objectives/1/id")] = "O1"; },
                                            "/plans/2/objectives/1/id"),
                  "duplicate");
    expect_detail(
        expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/objectives/0/actuals/1/date")] = "2026-10-01"; },
                                  "/plans/2/objectives/0/actuals/1/date"),
        "date order");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/objectives/0/actuals/1/date")] = "2026-10-31"; },
                              "/plans/2/objectives/0/actuals/1/date");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/objectives/0/deadline")] = "2027-02-30"; },
                              "/plans/2/objectives/0/deadline");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/objectives/0/target")] = "forty"; },
                              "/plans/2/objectives/0/target");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/objectives/0/actuals/0/value")] = 12.5; },
                              "/plans/2/objectives/0/actuals/0/value");
}

TEST(PlanSchemaErrors, PeriodAndRecordShape) {
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/period_end")] = "2026-06-30"; },
                                            "/plans/0/period_end"),
                  "MP-1");
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/0")].erase("strategy"); }, "/plans/0"),
                  "\"strategy\"");
    expect_detail(expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/budget")] = "1.00"; }, "/plans/0/budget"),
                  "unknown key");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/product_section")].erase("usp"); },
                              "/plans/0/product_section");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/version")] = 0; }, "/plans/0/version");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/0/history/0/at")] = "2026-04-20"; },
                              "/plans/0/history/0/at");
}

// Loading validates everything (PS-1): a plan the API could never have produced is
// refused at the path of the offending value, instead of loading a book whose later
// operations would break the rules.

// Objective ids are generated from the list length ("O4" after three); a loaded plan
// must not be able to make add_objective hand out an id that is taken.
TEST(PlanSchemaInvariants, ObjectiveIdsStayUniqueAfterLoading) {
    Json doc = plans_document();
    doc[ptr("/plans/2/objectives/0/id")] = "O4";  // O4, O2, O3
    try {
        Agency a = Agency::from_json(doc.dump());
        aecore::NewObjective o;
        o.kind = aecore::ObjectiveKind::SalesRevenue;
        o.target = aecore::Decimal(1000000);
        o.deadline = aecore::Date(2027, 8, 31);
        const std::string id = a.add_objective("MP0003", o).id;
        int same = 0;
        for (const aecore::Objective& x : a.plan("MP0003").objectives) same += x.id == id;
        EXPECT_EQ(same, 1) << "add_objective handed out " << id << ", which was already taken";
    } catch (const SchemaError& e) {
        EXPECT_EQ(e.field(), "/plans/2/objectives/0/id") << e.what();
    }
}

// Approving a plan supersedes the brand's approved plan, so at most one plan per client
// and brand is ClientApproved; a book with two would make approved_plan() ambiguous.
TEST(PlanSchemaInvariants, AtMostOneApprovedPlanPerBrand) {
    Json doc = plans_document();
    // MP0001 back to ClientApproved, as if it had never been superseded
    doc[ptr("/plans/0/status")] = "ClientApproved";
    doc[ptr("/plans/0/superseded_by")] = nullptr;
    doc[ptr("/plans/0/history")].erase(std::size_t{3});
    try {
        (void)Agency::from_json(doc.dump());
        ADD_FAILURE() << "a book with two ClientApproved plans for Acme Noodles was accepted";
    } catch (const SchemaError& e) {
        const std::vector<std::string> paths{"/plans/0/status", "/plans/1/status"};
        EXPECT_NE(std::find(paths.begin(), paths.end(), e.field()), paths.end()) << e.what();
    }
}

// The rules add_objective and record_actual enforce hold for loaded objectives too.
TEST(PlanSchemaInvariants, ObjectiveRulesHoldForLoadedPlans) {
    // deadline before the plan period (MP0003 starts 2026-09-01)
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/objectives/0/deadline")] = "2026-08-31"; },
                              "/plans/2/objectives/0/deadline");
    // a share is a percentage, 0-100
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/objectives/0/target")] = "140"; },
                              "/plans/2/objectives/0/target");
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/objectives/0/actuals/0/value")] = "-3"; },
                              "/plans/2/objectives/0/actuals/0/value");
    // BrandImage is qualitative
    expect_plans_schema_error([](Json& d) { d[ptr("/plans/2/objectives/1/target")] = "5"; },
                              "/plans/2/objectives/1/target");
}

// ---------------------------------------------------------------- schema errors: jobs and time (JT-1..JT-10)
//
// On jobs_document(): /jobs/0 CR-202609-01 Closed (10 transitions, one revision round,
// next_revision 2), /jobs/1 MD-202609-01 InProgress, /jobs/2 RS-202609-01 Cancelled,
// /jobs/3 CR-202609-01-R1 Draft with an override, /jobs/4 PD-202610-01 Approved,
// /jobs/5 AC-202609-01 Draft; /time_entries/0 TE000001 Approved (S0001, 7.5 h at 320.00),
// /1 TE000002 Submitted (S0002, 1.25 h at 180.50), /2 TE000003 correcting TE000001,
// /3 TE000004 Approved (S0004, 10 h).

// A version-3 document is read as version 3: jobs and time sheets arrived with version 4,
// so those keys there are unknown rather than silently dropped or read.
TEST(SchemaErrors, Version3DocumentWithJobsIsRefused) {
    expect_detail(expect_v3_file_schema_error([](Json& d) { d["jobs"] = Json::array(); }, "/jobs"), "version 3");
    expect_v3_file_schema_error([](Json& d) { d["jobs"] = jobs_document()["jobs"]; }, "/jobs");
    expect_detail(expect_v3_file_schema_error([](Json& d) { d["time_entries"] = Json::array(); }, "/time_entries"),
                  "version 3");
    expect_detail(expect_v3_file_schema_error([](Json& d) { d["sequences"]["jobs"] = Json::object(); },
                                              "/sequences/jobs"),
                  "version 3");
    expect_v3_file_schema_error([](Json& d) { d["sequences"]["time_entries"] = 5; }, "/sequences/time_entries");
    // nor may an older document carry them
    expect_schema_error([](Json& d) { d["jobs"] = Json::array(); }, "/jobs");
    expect_v2_file_schema_error([](Json& d) { d["time_entries"] = Json::array(); }, "/time_entries");
    // the untouched file loads
    EXPECT_NO_THROW((void)Agency::from_json(committed_v3_document().dump()));
}

// A version-4 document must have the jobs, the time entries and their sequences.
TEST(SchemaErrors, Version4DocumentMissingJobsOrTime) {
    expect_detail(expect_jobs_schema_error([](Json& d) { d.erase("jobs"); }, "/"), "jobs");
    expect_detail(expect_jobs_schema_error([](Json& d) { d.erase("time_entries"); }, "/"), "time_entries");
    expect_detail(expect_jobs_schema_error([](Json& d) { d["sequences"].erase("jobs"); }, "/sequences"), "jobs");
    expect_detail(expect_jobs_schema_error([](Json& d) { d["sequences"].erase("time_entries"); }, "/sequences"),
                  "time_entries");
    expect_jobs_schema_error([](Json& d) { d["jobs"] = Json::object(); }, "/jobs");
    expect_jobs_schema_error([](Json& d) { d[ptr("/sequences/jobs")] = Json::array(); }, "/sequences/jobs");
    expect_jobs_schema_error([](Json& d) { d[ptr("/sequences/time_entries")] = 0; }, "/sequences/time_entries");
    // the untouched document loads
    EXPECT_NO_THROW((void)Agency::from_json(jobs_document().dump()));
}

// A version-4 document cannot carry the sections of version 5; a version-5 one must.
TEST(SchemaErrors, Version4DocumentWithEstimatesOrLedgerIsRefused) {
    const Json v4 = Json::parse(read_file(kGoldenV4File));
    for (const char* key : {"estimates", "ledger"}) {
        Json doc = v4;
        doc[key] = Json::array();
        expect_detail(expect_schema_error(doc.dump(2), std::string("/") + key), "version 4");
    }
    Json v5 = Json::parse(build_golden_v5_agency().to_json());
    for (const char* key : {"estimates", "ledger"}) {
        Json doc = v5;
        doc.erase(key);
        expect_detail(expect_schema_error(doc.dump(2), "/"), key);
        doc = v5;
        doc[key] = Json::object();
        expect_schema_error(doc.dump(2), std::string("/") + key);
    }
    EXPECT_NO_THROW((void)Agency::from_json(v5.dump()));
}

// A version-5 document cannot carry the sections of version 6; a version-6 one must.
TEST(SchemaErrors, Version5DocumentWithRubricsOrEvaluationsIsRefused) {
    const Json v5 = Json::parse(read_file(kGoldenV5File));
    for (const char* key : {"rubrics", "evaluations"}) {
        Json doc = v5;
        doc[key] = Json::array();
        expect_detail(expect_schema_error(doc.dump(2), std::string("/") + key), "version 5");
    }
    Json doc = v5;
    doc[ptr("/sequences/evaluations")] = 1;
    expect_detail(expect_schema_error(doc.dump(2), "/sequences/evaluations"), "version 5");
    const Json v6 = Json::parse(build_golden_v6_agency().to_json());
    for (const char* key : {"rubrics", "evaluations"}) {
        doc = v6;
        doc.erase(key);
        expect_detail(expect_schema_error(doc.dump(2), "/"), key);
        doc = v6;
        doc[key] = Json::object();
        expect_schema_error(doc.dump(2), std::string("/") + key);
    }
    doc = v6;
    doc["sequences"].erase("evaluations");
    expect_detail(expect_schema_error(doc.dump(2), "/sequences"), "evaluations");
    EXPECT_NO_THROW((void)Agency::from_json(v6.dump()));
    EXPECT_NO_THROW((void)Agency::from_json(v5.dump()));
}

TEST(JobSchemaErrors, BadEnums) {
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/status")] = "Done"; }, "/jobs/0/status"),
                  "Done");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/1/status")] = "inprogress"; }, "/jobs/1/status");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/kind")] = "Order"; }, "/jobs/0/kind");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/department")] = "Sales"; }, "/jobs/0/department");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/job_type")] = "Radio"; }, "/jobs/0/job_type");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/history/1/to")] = "Sent"; }, "/jobs/0/history/1/to");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/history/1/from")] = 3; }, "/jobs/0/history/1/from");
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/status")] = "Paid"; },
                                           "/time_entries/0/status"),
                  "Paid");
}

TEST(JobSchemaErrors, HistoryContinuesFromThePreviousStateAndRunsForward) {
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/history/2/from")] = "Draft"; },
                                           "/jobs/0/history/2/from"),
                  "JT-8");
    // the first transition leaves Draft
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/history/0/from")] = "Approved"; }, "/jobs/0/history/0/from");
    // a step dropped from the middle
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/history")].erase(std::size_t{4}); }, "/jobs/0/history/4/from");
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/history/3/at")] = "2026-09-01T13:00:00"; },
                                           "/jobs/0/history/3/at"),
                  "forward");
    // nothing happens before the ticket is opened
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/history/0/at")] = "2026-09-01T09:59:59"; },
                             "/jobs/0/history/0/at");
    // the status is where the history ends
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/status")] = "ClientApproved"; },
                                           "/jobs/0/status"),
                  "history");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/5/status")] = "Approved"; }, "/jobs/5/status");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/history")] = Json::array(); }, "/jobs/0/status");
}

TEST(JobSchemaErrors, RevisionRoundsCountTheClientChangeRequests) {
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/revision_rounds")] = 0; },
                                           "/jobs/0/revision_rounds"),
                  "JT-8");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/revision_rounds")] = 2; }, "/jobs/0/revision_rounds");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/1/revision_rounds")] = 1; }, "/jobs/1/revision_rounds");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/revision_rounds")] = -1; }, "/jobs/0/revision_rounds");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/revision_rounds")] = "1"; }, "/jobs/0/revision_rounds");
}

TEST(JobSchemaErrors, NumbersAreBelowTheirDepartmentMonthSequence) {
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/sequences/jobs/CR-202609")] = 1; }, "/jobs/0/number"),
                  "JT-1");
    expect_jobs_schema_error([](Json& d) { d[ptr("/sequences/jobs")].erase("RS-202609"); }, "/jobs/2/number");
    expect_jobs_schema_error([](Json& d) { d[ptr("/sequences/jobs/MD-202609")] = 0; }, "/sequences/jobs/MD-202609");
    expect_jobs_schema_error([](Json& d) { d[ptr("/sequences/jobs/MD-202609")] = "2"; }, "/sequences/jobs/MD-202609");
    // the number is built from the department and the month of opening
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/1/number")] = "CR-202609-01"; }, "/jobs/1/number");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/1/department")] = "Research"; }, "/jobs/1/number");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/1/opened_at")] = "2026-08-31T11:00:00"; }, "/jobs/1/number");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/1/number")] = "MD-202609-1"; }, "/jobs/1/number");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/1/number")] = "MD-202609-"; }, "/jobs/1/number");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/1/number")] = "MD-202609-00"; }, "/jobs/1/number");
    // numbers are unique: a second MD-202609-01 (the sequence is raised so that only the duplicate is wrong)
    expect_detail(expect_jobs_schema_error(
                      [](Json& d) {
                          d[ptr("/jobs/5/number")] = "AC-202609-01";
                          d[ptr("/jobs/4/number")] = "AC-202609-01";
                          d[ptr("/jobs/4/department")] = "Account";
                          d[ptr("/jobs/4/opened_at")] = "2026-09-14T09:00:00";
                      },
                      "/jobs/5/number"),
                  "duplicate");
}

TEST(JobSchemaErrors, RevisionNumbersAreBelowTheParentsNextRevision) {
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/next_revision")] = 1; }, "/jobs/3/number"),
                  "JT-2");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/3/number")] = "CR-202609-01-R2"; }, "/jobs/3/number");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/3/number")] = "CR-202609-01-R0"; }, "/jobs/3/number");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/3/number")] = "CR-202609-01-1"; }, "/jobs/3/number");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/next_revision")] = 0; }, "/jobs/0/next_revision");
    // the parent must be an earlier ticket
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/3/parent")] = "CR-202609-09"; },
                                           "/jobs/3/parent"),
                  "CR-202609-09");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/3/parent")] = "PD-202610-01"; }, "/jobs/3/parent");
    // a Revision, and only a Revision, names its parent
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/3/parent")] = nullptr; }, "/jobs/3/parent");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/1/parent")] = "CR-202609-01"; }, "/jobs/1/parent");
    // a higher next_revision is fine (numbers are never reused)
    Json doc = jobs_document();
    doc[ptr("/jobs/0/next_revision")] = 5;
    EXPECT_NO_THROW((void)Agency::from_json(doc.dump()));
}

TEST(JobSchemaErrors, ReferencesAndFields) {
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/client")] = "CD-209901-NOPE-001"; },
                                           "/jobs/0/client"),
                  "CD-209901-NOPE-001");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/brand")] = "Beta EV"; }, "/jobs/0/brand");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/issuer")] = "S0999"; }, "/jobs/0/issuer");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/plan")] = "MP0099"; }, "/jobs/0/plan");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/3/lead_time_override/approver")] = "S0999"; },
                             "/jobs/3/lead_time_override");
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/3/lead_time_override/reason")] = ""; },
                                           "/jobs/3/lead_time_override/reason"),
                  "JT-6");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/client_deadline")] = "2026-09-01T10:00:00"; },
                             "/jobs/0/client_deadline");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/client_deadline")] = "2026-10-23"; },
                             "/jobs/0/client_deadline");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/cost_estimate/currency")] = "USD"; },
                             "/jobs/0/cost_estimate");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/brief/budget/amount")] = "-1.00"; }, "/jobs/0/brief/budget");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/brief")].erase("key_message"); }, "/jobs/0/brief");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/brief/tone")] = "warm"; }, "/jobs/0/brief/tone");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0")].erase("next_revision"); }, "/jobs/0");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/internal_due")] = "2026-10-23T12:30:00"; },
                             "/jobs/0/internal_due");
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/assignees/0")] = 4; }, "/jobs/0/assignees/0");
}

TEST(TimeSchemaErrors, CostIsHoursTimesRate) {
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/1/cost/amount")] = "225.63"; },
                                           "/time_entries/1/cost"),
                  "JT-10");
    // 225.625 rounds half to even; rounding up is wrong
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/1/rate/amount")] = "180.51"; }, "/time_entries/1/cost");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/hours")] = "8"; }, "/time_entries/0/cost");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/2/cost/amount")] = "480.00"; }, "/time_entries/2/cost");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/rate/currency")] = "USD"; }, "/time_entries/0/rate");
    // hours: hundredths, 0 < h <= 24; only a correction is negative
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/hours")] = "7.505"; }, "/time_entries/0/hours");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/hours")] = "25"; }, "/time_entries/0/hours");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/hours")] = "0"; }, "/time_entries/0/hours");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/hours")] = "-7.5"; }, "/time_entries/0/hours");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/hours")] = 7.5; }, "/time_entries/0/hours");
}

TEST(TimeSchemaErrors, ReferencesIdsAndApprovals) {
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/job")] = "CR-209901-01"; },
                                           "/time_entries/0/job"),
                  "CR-209901-01");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/staff")] = "S0999"; }, "/time_entries/0/staff");
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/approved_by")] = "S0001"; },
                                           "/time_entries/0/approved_by"),
                  "themselves");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/approved_by")] = "S0999"; },
                             "/time_entries/0/approved_by");
    // approved entries record who and when, submitted ones neither
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/approved_at")] = nullptr; },
                             "/time_entries/0/approved_by");
    expect_jobs_schema_error(
        [](Json& d) {
            d[ptr("/time_entries/1/approved_by")] = "S0001";
            d[ptr("/time_entries/1/approved_at")] = "2026-09-04T10:00:00";
        },
        "/time_entries/1/approved_by");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/1/status")] = "Billed"; },
                             "/time_entries/1/approved_by");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/2/corrects")] = "TE000009"; },
                             "/time_entries/2/corrects");
    // ids: TE<digits>, unique, below the sequence
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/1/id")] = "TE000001"; }, "/time_entries/1/id");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/1/id")] = "T000002"; }, "/time_entries/1/id");
    expect_detail(expect_jobs_schema_error([](Json& d) { d[ptr("/sequences/time_entries")] = 4; }, "/time_entries/3/id"),
                  "JT-10");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/0/date")] = "2026-09-31"; }, "/time_entries/0/date");
    // a billed entry loads (it is locked like an approved one)
    Json doc = jobs_document();
    doc[ptr("/time_entries/0/status")] = "Billed";
    EXPECT_NO_THROW((void)Agency::from_json(doc.dump()));
}

// Loading validates everything (PS-1): a book the API could never have produced is refused
// at the path of the offending value.

// The history is made of workflow steps (JT-8): Draft -> Closed is not one, nor is
// Closed without ClientApproved (JT-9).
TEST(JobSchemaInvariants, HistoryIsMadeOfWorkflowSteps) {
    const auto expect_refused_under = [](const std::function<void(Json&)>& edit, const std::string& prefix) {
        Json doc = jobs_document();
        edit(doc);
        try {
            (void)Agency::from_json(doc.dump());
            ADD_FAILURE() << "a history with a step the workflow does not have was accepted (expected an error under "
                          << prefix << ")";
        } catch (const SchemaError& e) {
            EXPECT_EQ(e.field().rfind(prefix, 0), 0u) << e.what();
        }
    };
    // AC-202609-01, a Draft, straight to Closed
    expect_refused_under(
        [](Json& d) {
            d[ptr("/jobs/5/history")] = Json::parse(
                R"([{"from": "Draft", "to": "Closed", "at": "2026-09-15T09:00:00", "actor": "S0003", "note": ""}])");
            d[ptr("/jobs/5/status")] = "Closed";
        },
        "/jobs/5");
    // PD-202610-01, Approved, then InProgress without being issued
    expect_refused_under(
        [](Json& d) {
            d[ptr("/jobs/4/history/1")] = Json::parse(
                R"({"from": "Approved", "to": "InProgress", "at": "2026-10-12T09:00:00", "actor": "S0003", "note": ""})");
            d[ptr("/jobs/4/status")] = "InProgress";
        },
        "/jobs/4");
    // the closed ticket with its ClientApproved step removed: ClientReview -> Closed
    expect_refused_under(
        [](Json& d) {
            d[ptr("/jobs/0/history")].erase(std::size_t{8});
            d[ptr("/jobs/0/history/8/from")] = "ClientReview";
        },
        "/jobs/0");
}

// Every transition records its actor (JT-8), a staff member; ids are never deleted.
TEST(JobSchemaInvariants, HistoryActorsAreStaff) {
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/0/history/1/actor")] = "S0999"; },
                             "/jobs/0/history/1/actor");
}

// JT-1: the sequence is zero-padded to two digits; "RS-202609-001" is not a job number
// the agency issues (it would be a second name for RS-202609-01).
TEST(JobSchemaInvariants, NumbersAreWrittenAsTheAgencyIssuesThem) {
    expect_jobs_schema_error([](Json& d) { d[ptr("/jobs/2/number")] = "RS-202609-001"; }, "/jobs/2/number");
}

// JT-10: a submitted entry has not been approved by anyone; an approver without an
// approval time is half an approval the API never writes.
TEST(TimeSchemaInvariants, ASubmittedEntryNamesNoApprover) {
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/1/approved_by")] = "S0001"; },
                             "/time_entries/1/approved_by");
    expect_jobs_schema_error([](Json& d) { d[ptr("/time_entries/1/approved_at")] = "2026-09-04T10:00:00"; },
                             "/time_entries/1/approved_by");
}

// JT-10: at most 24 hours per person per day, in a loaded book too. TE000002 is moved to
// S0004 on 2026-09-07, next to TE000004's 10 h: 15 + 10 = 25 h.
TEST(TimeSchemaInvariants, AtMost24HoursPerPersonPerDay) {
    Json doc = jobs_document();
    doc[ptr("/time_entries/1/staff")] = "S0004";
    doc[ptr("/time_entries/1/date")] = "2026-09-07";
    doc[ptr("/time_entries/1/hours")] = "15";
    doc[ptr("/time_entries/1/rate/amount")] = "300.00";
    doc[ptr("/time_entries/1/cost/amount")] = "4500.00";
    // 14 h is still a valid day
    Json ok = doc;
    ok[ptr("/time_entries/1/hours")] = "14";
    ok[ptr("/time_entries/1/cost/amount")] = "4200.00";
    EXPECT_NO_THROW((void)Agency::from_json(ok.dump()));
    try {
        (void)Agency::from_json(doc.dump());
        ADD_FAILURE() << "a book with 25 h for S0004 on 2026-09-07 was accepted";
    } catch (const SchemaError& e) {
        const std::vector<std::string> paths{"/time_entries/1/hours", "/time_entries/3/hours"};
        EXPECT_NE(std::find(paths.begin(), paths.end(), e.field()), paths.end()) << e.what();
    }
}

// A rate so large that hours x rate overflows is a SchemaError like every other bad value
// (PS-1), not an arithmetic error escaping from the reader.
TEST(TimeSchemaInvariants, AnOverflowingCostIsASchemaError) {
    Json doc = jobs_document();
    doc[ptr("/time_entries/3/rate/amount")] = "90000000000000000.00";
    try {
        (void)Agency::from_json(doc.dump());
        ADD_FAILURE() << "accepted";
    } catch (const SchemaError& e) {
        EXPECT_EQ(e.field().rfind("/time_entries/3/", 0), 0u) << e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "expected a SchemaError under /time_entries/3/, got: " << e.what();
    }
}

// A small book with every kind of job and time record, for the mutation sweep below (a
// small document keeps the sweep fast).
Agency small_jobs_agency() {
    using namespace aecore;
    namespace bp = boost::posix_time;
    auto at = [](int m, int d, int hh) { return DateTime(Date(2026, m, d), bp::hours(hh)); };
    Agency a("Small", "CD", "CNY");
    NewStaff am;
    am.name = "Chen Jie";
    am.title = Title::AM;
    am.hourly_rate = Money::parse("400.00", "CNY");
    a.add_staff(am);  // S0001
    NewStaff ae;
    ae.name = "Wang Fang";
    ae.hourly_rate = Money::parse("180.50", "CNY");
    ae.manager = "S0001";
    a.add_staff(ae);  // S0002
    NewClient c;
    c.name = "Acme";
    c.short_name = "ACME";
    c.city = "CD";
    c.first_contact = Date(2026, 3, 2);
    c.team.ae = "S0002";
    const std::string acme = a.register_client(c).code;
    a.add_brand(acme, "Noodles");
    NewJob j;
    j.client = acme;
    j.brand = "Noodles";
    j.department = Department::Media;
    j.title = "Plan";
    j.brief.objective = "o";
    j.brief.target_audience = "t";
    j.brief.key_message = "k";
    j.brief.mandatories = "m";
    j.brief.deliverables = {{"Plan", "one page"}};
    j.brief.budget = Money::parse("1000.00", "CNY");
    j.brief.media_objectives = "reach";
    j.cost_estimate = Money::parse("900.00", "CNY");
    j.client_deadline = at(6, 30, 17);
    j.issuer = "S0002";
    j.opened_at = at(6, 1, 9);
    const std::string n = a.open_job(j).number;
    a.advance_job(n, TicketStatus::Approved, "S0001", at(6, 1, 10), "ok");
    a.advance_job(n, TicketStatus::Issued, "S0002", at(6, 1, 11));
    a.advance_job(n, TicketStatus::InProgress, "S0002", at(6, 2, 9));
    a.advance_job(n, TicketStatus::InternalReview, "S0002", at(6, 3, 9));
    a.advance_job(n, TicketStatus::ClientReview, "S0002", at(6, 4, 9));
    a.advance_job(n, TicketStatus::InProgress, "S0002", at(6, 5, 9), "change");
    NewTimeEntry t;
    t.staff = "S0002";
    t.job = n;
    t.date = Date(2026, 6, 5);
    t.hours = Decimal::parse("1.25");
    t.recorded_at = at(6, 5, 18);
    const std::string te = a.log_time(t).id;
    a.approve_time(te, "S0001", at(6, 6, 9));
    a.correct_time(te, Decimal::parse("-0.5"), "fix", at(6, 7, 9));
    NewJob r = j;
    r.kind = TicketKind::Revision;
    r.parent = n;
    r.opened_at = at(6, 8, 9);
    r.lead_time_override = LeadTimeOverride{"S0001", "tight"};
    a.open_job(r);
    return a;
}

// Mutates the job and time scalars of a small book; loading must either succeed or raise
// SchemaError, never anything else.
TEST(SchemaErrors, EveryJobAndTimeErrorIsASchemaErrorNeverAnotherException) {
    const Json doc = Json::parse(small_jobs_agency().to_json());
    ASSERT_EQ(doc["jobs"].size(), 2u);
    ASSERT_EQ(doc["time_entries"].size(), 2u);
    ASSERT_NO_THROW((void)Agency::from_json(doc.dump()));
    // the non-text fields of the revision, the workflow fields and one transition (a client
    // change request) of the ticket it revises, every field of the time entries
    std::vector<std::string> prefixes{"/jobs/0/history/5/", "/time_entries/", "/sequences/jobs",
                                      "/sequences/time_entries"};
    for (const char* key : {"number", "kind", "parent", "client", "brand", "department", "job_type", "brief/budget",
                            "cost_estimate", "client_deadline", "opened_at", "issuer", "lead_time_override", "plan",
                            "status", "revision_rounds", "next_revision"})
        prefixes.push_back(std::string("/jobs/1/").append(key));
    for (const char* key : {"number", "status", "revision_rounds", "next_revision"})
        prefixes.push_back(std::string("/jobs/0/").append(key));
    expect_only_schema_errors(doc, {Json(nullptr), Json(-1), Json("?"), Json("-0.5")}, prefixes);
}

// ---------------------------------------------------------------- files (PS-2)

TEST(SaveLoad, SaveThenLoadEquals) {
    TempDir dir;
    const Agency a = build_golden_agency();
    const fs::path path = dir / "agency.json";
    a.save(path);
    EXPECT_EQ(read_file(path), a.to_json());
    const Agency b = Agency::load(path);
    EXPECT_TRUE(a == b);
    // saving again over the existing file replaces it
    Agency c = b;
    c.set_name("Renamed Agency");
    c.save(path);
    EXPECT_EQ(Agency::load(path).name(), "Renamed Agency");
    EXPECT_TRUE(temp_files_in(dir.path()).empty());
}

TEST(SaveLoad, LoadOfAMissingFileThrowsIoError) {
    TempDir dir;
    EXPECT_THROW((void)Agency::load(dir / "missing.json"), IoError);
    EXPECT_THROW((void)Agency::load(dir.path()), IoError);  // a directory
    try {
        (void)Agency::load(dir / "missing.json");
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("missing.json"), std::string::npos) << e.what();
    }
}

TEST(SaveLoad, LoadOfAnInvalidFileThrowsSchemaError) {
    TempDir dir;
    write_file(dir / "bad.json", "{\"schema\": \"something else\"}");
    EXPECT_THROW((void)Agency::load(dir / "bad.json"), SchemaError);
}

TEST(AtomicSave, IntoANonExistentDirectoryThrowsIoError) {
    TempDir dir;
    const fs::path path = dir / "no" / "such" / "dir" / "agency.json";
    EXPECT_THROW(build_golden_agency().save(path), IoError);
    EXPECT_FALSE(fs::exists(dir / "no"));
}

TEST(AtomicSave, OntoAnExistingDirectoryThrowsIoErrorAndLeavesNoTempFiles) {
    TempDir dir;
    const fs::path target = dir / "agency.json";
    fs::create_directory(target);
    write_file(target / "inside.txt", "keep me");
    EXPECT_THROW(build_golden_agency().save(target), IoError);
    EXPECT_TRUE(fs::is_directory(target));
    EXPECT_EQ(read_file(target / "inside.txt"), "keep me");
    EXPECT_TRUE(temp_files_in(dir.path()).empty());
    EXPECT_TRUE(temp_files_in(target).empty());
}

// A write that fails half-way (file size limit) must leave the previous file intact.
TEST(AtomicSave, FailedWriteLeavesThePreviousFileIntact) {
    TempDir dir;
    const fs::path path = dir / "agency.json";
    const Agency old_agency = build_golden_agency();
    old_agency.save(path);
    const std::string old_content = read_file(path);
    ASSERT_GT(old_content.size(), 100u);

    Agency new_agency = build_golden_agency();
    new_agency.set_name("A New Name That Must Never Reach The Disk");
    ASSERT_NE(new_agency.to_json(), old_content);

    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0) << "fork failed";
    if (pid == 0) {
        // Child: at most 100 bytes per file, and EFBIG instead of a SIGXFSZ kill.
        struct rlimit limit {};
        limit.rlim_cur = 100;
        limit.rlim_max = 100;
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(2);
        ::signal(SIGXFSZ, SIG_IGN);
        int code = 1;
        try {
            new_agency.save(path);
        } catch (const IoError&) {
            code = 0;
        } catch (...) {
            code = 3;
        }
        ::_exit(code);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status)) << "child did not exit normally, status " << status;
    EXPECT_EQ(WEXITSTATUS(status), 0) << "1: save() succeeded despite the size limit; 3: wrong exception type";
    EXPECT_EQ(read_file(path), old_content);
    EXPECT_TRUE(temp_files_in(dir.path()).empty());
    EXPECT_TRUE(Agency::load(path) == old_agency);
}


// The replay checks each stored ledger entry against what the ledger holds after posting
// it. Whatever is changed in a stored entry — a field rewritten, added or removed — the
// load either rejects the book or keeps exactly what the document says: an entry never
// loads as something other than what it states. (A field the replay derives, such as a
// payment's client or job, must be rejected when it disagrees.)
TEST(GoldenFileV6, EveryFieldOfAStoredLedgerEntryIsCheckedAgainstWhatItPosts) {
    const Json golden = Json::parse(read_file(kGoldenV6File));
    const auto without_nulls = [](Json e) {
        for (auto it = e.begin(); it != e.end();)
            it = it->is_null() ? e.erase(it) : std::next(it);
        return e;
    };
    using Edit = std::function<void(Json&)>;
    const auto set = [](const char* key, Json value) -> Edit { return [=](Json& e) { e[key] = value; }; };
    const auto drop = [](const char* key) -> Edit { return [=](Json& e) { e.erase(key); }; };
    const std::vector<std::pair<std::string, Edit>> edits = {
        {"client: the other client", set("client", "SH-202604-BETA-002")},
        {"client: acme", set("client", "CD-202603-ACME-001")},
        {"job: another job", set("job", "MD-202609-01")},
        {"job: PD", set("job", "PD-202610-01")},
        {"job: none", set("job", nullptr)},
        {"job: removed", drop("job")},
        {"amount", set("amount", "1.00")},
        {"date", set("date", "2026-11-20")},
        {"reference", [](Json& e) { e["reference"] = e["reference"].get<std::string>() + " x"; }},
        {"recorded_by", set("recorded_by", "S0001")},
        {"due: set", set("due", "2026-12-01")},
        {"due: removed", drop("due")},
        {"invoice: another", set("invoice", "INV-2026-0102")},
        {"invoice: the first", set("invoice", "INV-2026-0101")},
        {"invoice: removed", drop("invoice")},
        {"reverses: another", set("reverses", "L00000005")},
        {"reverses: removed", drop("reverses")},
        {"time_entry: another", set("time_entry", "TE000004")},
        {"time_entry: removed", drop("time_entry")},
        {"estimate_version: 2", set("estimate_version", 2)},
        {"estimate_version: removed", drop("estimate_version")},
        {"media_booking: true", set("media_booking", true)},
        {"media_booking: removed", drop("media_booking")},
        {"confirmation: set", set("confirmation", "phone call")},
        {"confirmation: removed", drop("confirmation")},
        {"contract: T02", set("contract", "T02")},
        {"contract: T01", set("contract", "T01")},
        {"contract: removed", drop("contract")},
    };
    const std::size_t n = golden["ledger"].size();
    ASSERT_EQ(n, 17U);
    std::size_t rejected = 0, kept = 0;
    std::set<std::string> kept_edits;  // "<entry> <edit>"
    for (std::size_t i = 0; i < n; ++i) {
        for (const auto& [what, edit] : edits) {
            Json doc = golden;
            Json& entry = doc["ledger"][i];
            const Json before = entry;
            edit(entry);
            if (without_nulls(entry) == without_nulls(before)) continue;  // nothing changed
            const std::string context = "ledger/" + std::to_string(i) + " " + what + ": " + entry.dump();
            std::optional<Agency> loaded;
            try {
                loaded.emplace(Agency::from_json(doc.dump()));
            } catch (const aecore::Error& e) {
                ++rejected;
                // A disagreement names the field, its stored value and the expected one.
                const std::string message = e.what();
                if (message.find("does not match what the entry refers to") != std::string::npos) {
                    EXPECT_NE(message.find(": entry."), std::string::npos) << context << "\n" << message;
                }
                continue;
            }
            ++kept;
            kept_edits.insert(std::to_string(i) + " " + what);
            const Json saved = Json::parse(loaded->to_json());
            EXPECT_EQ(without_nulls(saved["ledger"][i]), without_nulls(entry)) << context;
            const std::string kind = entry["kind"].get<std::string>();
            const bool derived_client = entry.contains("job") && !entry["job"].is_null();
            if (what.starts_with("client") && derived_client) ADD_FAILURE() << "a job's client was not checked: " << context;
            if (kind == "Payment" && (what.starts_with("job") || what.starts_with("invoice")))
                ADD_FAILURE() << "a payment's job or invoice was not checked: " << context;
        }
    }
    // Most edits contradict the book; some (a date, an amount, a recorder, a reference) are
    // simply what the document says, and must load: the check is not stricter than the book.
    EXPECT_GT(rejected, 200U);
    EXPECT_GT(kept, 10U);
    for (const char* edit : {"9 amount", "9 reference", "9 recorded_by", "4 reference", "14 recorded_by",
                             "14 reference", "7 confirmation: set"})
        EXPECT_TRUE(kept_edits.contains(edit)) << "rejected an edit the book allows: ledger/" << edit;
}


// Past 64 MiB a save writes whole 4 MiB blocks with O_DIRECT (not through the page cache),
// the last part block through the cache; on a file system that refuses O_DIRECT (tmpfs
// before Linux 6.6, some FUSE file systems) everything goes through the cache. Either way
// every byte lands in place, whatever sizes the pieces come in. (The threshold is lowered
// here to 4 MiB; the temporary directory is on disk where TMPDIR is, /dev/shm is tmpfs.)
TEST(AtomicSave, BlocksWrittenDirectlyKeepEveryByteInPlace) {
    std::mt19937_64 random(7);
    const auto content = [&](std::size_t n) {
        std::string out(n, '\0');
        for (char& c : out) c = static_cast<char>('a' + random() % 26);
        return out;
    };
    const TempDir disk;
    std::vector<fs::path> dirs{disk.path()};
    // A directory of our own in /dev/shm (shared), removed whatever happens.
    const auto shm_dir = fs::path("/dev/shm") / ("aecore-test-" + std::to_string(::getpid()));
    struct Remove {
        fs::path path;
        ~Remove() {
            std::error_code ec;
            fs::remove_all(path, ec);
        }
    } remove_shm{shm_dir};
    if (fs::is_directory("/dev/shm") && fs::create_directory(shm_dir)) dirs.push_back(shm_dir);
    for (const fs::path& dir : dirs) {
        for (const std::size_t size : {std::size_t{0}, std::size_t{5}, (std::size_t{4} << 20) - 1, std::size_t{12} << 20,
                                       (std::size_t{21} << 20) + 4097}) {
            const std::string text = content(size);
            const fs::path path = dir / ("aecore-direct-" + std::to_string(::getpid()) + ".txt");
            write_file(path, "the old file");
            aecore::write_file_atomically(
                path,
                [&](const std::function<void(std::string_view)>& write) {
                    std::size_t at = 0;
                    while (at < text.size()) {  // pieces of 1 byte to 3 MiB
                        const std::size_t piece = std::min(text.size() - at, 1 + random() % (std::size_t{3} << 20));
                        write(std::string_view(text).substr(at, piece));
                        at += piece;
                    }
                },
                std::size_t{4} << 20);
            const std::string back = read_file(path);
            EXPECT_EQ(back.size(), text.size()) << dir << " " << size;
            EXPECT_TRUE(back == text) << dir << " " << size;
            EXPECT_TRUE(temp_files_in(dir).empty()) << dir;
            fs::remove(path);
        }
    }
}

// A big book is loaded from a mapping: the loader drops the pages behind it every 64 MiB
// (release_before), which also asks the kernel to read the file ahead. Whatever the
// positions, every byte reads as written, behind and ahead of them; a file under the
// size to map is read instead.
TEST(MappedFile, EveryByteReadsAsWrittenAcrossReleases) {
    std::mt19937_64 random(11);
    std::string text((std::size_t{24} << 20) + 4097, '\0');
    for (char& c : text) c = static_cast<char>(random());
    const TempDir dir;
    const fs::path path = dir.path() / "mapped.bin";
    write_file(path, text);
    const aecore::MappedFile file(path, 0);
    ASSERT_TRUE(file.mapped());
    ASSERT_EQ(file.text().size(), text.size());
    const char* base = file.text().data();
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t step = std::min(text.size() - at, 1 + random() % (std::size_t{3} << 20));
        file.release_before(base + at);
        ASSERT_TRUE(file.text().substr(at, step) == std::string_view(text).substr(at, step)) << at;
        const std::size_t back = random() % (at + 1);  // a page released before: read again
        ASSERT_EQ(file.text()[back], text[back]) << back;
        at += step;
    }
    file.release_before(base + text.size());
    EXPECT_TRUE(file.text() == text);
    const aecore::MappedFile small(path, text.size() + 1);
    EXPECT_FALSE(small.mapped());
    EXPECT_TRUE(small.read_all() == text);
}

// Pages of [from, to) of a mapping that are in the page cache.
static std::size_t cached_pages(const aecore::MappedFile& file, std::size_t from, std::size_t to) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    std::vector<unsigned char> resident((to - from + page - 1) / page);
    if (::mincore(const_cast<char*>(file.text().data() + from), to - from, resident.data()) != 0) return SIZE_MAX;
    std::size_t n = 0;
    for (unsigned char r : resident) n += r & 1;
    return n;
}

// A mapped file mostly not in the page cache is read into it by a thread of the
// MappedFile's own (front to back, never more than 256 MiB past the loader's last
// release), which stops with the file; what the loader releases of it leaves the page
// cache again. A file in the cache gets no thread and keeps its pages.
TEST(MappedFile, AFileNotInThePageCacheIsReadInByAThreadOfItsOwn) {
    const TempDir dir;
    const fs::path sparse = dir.path() / "sparse.bin";
    constexpr std::size_t kSize = (std::size_t{96} << 20) + 4321, kHalf = std::size_t{48} << 20;
    write_file(sparse, "");
    fs::resize_file(sparse, kSize);  // all holes: nothing of it in the page cache
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    {
        const aecore::MappedFile file(sparse, 0);
        ASSERT_TRUE(file.mapped());
        ASSERT_TRUE(file.warming());
        for (int i = 0; i < 6000 && file.warmed() < kSize; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        EXPECT_EQ(file.warmed(), kSize);
        // (On tmpfs the file is its memory: holes read in stay holes, and nothing is dropped.)
        struct statfs fs_info {};
        ASSERT_EQ(::statfs(dir.path().c_str(), &fs_info), 0);
        const bool page_cache = fs_info.f_type != TMPFS_MAGIC;
        if (page_cache) {
            EXPECT_GT(cached_pages(file, kHalf, kSize), (kSize - kHalf) / page / 2);  // read in
        }
        file.release_before(file.text().data() + kHalf + 100);
        if (page_cache) {
            EXPECT_EQ(cached_pages(file, 0, kHalf), 0u);  // released: out of the cache
            EXPECT_GT(cached_pages(file, kHalf, kSize), (kSize - kHalf) / page / 2);  // the rest stays
        }
        EXPECT_EQ(file.text()[kSize - 1], '\0');
    }
    {
        const aecore::MappedFile stopped(sparse, 0);  // destroyed while (maybe) still reading: returns
        (void)stopped.warming();
    }
    const fs::path written = dir.path() / "written.bin";
    write_file(written, std::string(std::size_t{8} << 20, 'x'));  // just written: in the cache
    const aecore::MappedFile cached(written, 0);
    ASSERT_TRUE(cached.mapped());
    EXPECT_FALSE(cached.warming());
    EXPECT_EQ(cached.warmed(), 0u);
    cached.release_before(cached.text().data() + (std::size_t{4} << 20));
    EXPECT_EQ(cached_pages(cached, 0, std::size_t{4} << 20), (std::size_t{4} << 20) / page);  // still cached
}

// The read-ahead keeps 256 MiB ahead of every position the loader releases up to, on
// page boundaries, through the whole file (a sparse file of 700 MiB: no disk used).
TEST(MappedFile, TheKernelIsAskedToReadAheadThroughTheWholeFile) {
    const TempDir dir;
    const fs::path path = dir.path() / "sparse.bin";
    constexpr std::size_t kSize = (std::size_t{700} << 20) + 12345, kAhead = std::size_t{256} << 20;
    write_file(path, "");
    fs::resize_file(path, kSize);
    const aecore::MappedFile file(path, 0);
    ASSERT_TRUE(file.mapped());
    EXPECT_EQ(file.announced(), kAhead);  // from the start, at once
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    for (std::size_t at = 12345; at < kSize; at += (std::size_t{64} << 20) + 777) {  // never on a page boundary
        file.release_before(file.text().data() + at);
        EXPECT_EQ(file.announced(), std::min(kSize, (at + kAhead + page - 1) / page * page)) << at;
    }
    file.release_before(file.text().data() + kSize);
    EXPECT_EQ(file.announced(), kSize);
    EXPECT_EQ(file.announce_errors(), 0u);
    EXPECT_EQ(file.text()[kSize - 1], '\0');
}

}  // namespace
