// Persistence (SPEC PS-1..PS-3): the aecore.Agency JSON document, its validating
// reader (SchemaError names the JSON path), a golden file that must load and save
// byte for byte, determinism, and atomic saves that never damage the previous file.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "aecore/serialization.hpp"

#ifndef AECORE_TEST_DATA_DIR
#error "AECORE_TEST_DATA_DIR must point at tests/data"
#endif

namespace {

namespace fs = std::filesystem;
using aecore::Agency;
using aecore::IoError;
using aecore::SchemaError;
using Json = nlohmann::ordered_json;

// agency_v1.json is the golden file of schema version 1 and never changes: it must
// keep loading (by migration) for as long as aecore reads version 1.
const fs::path kGoldenFile = fs::path(AECORE_TEST_DATA_DIR) / "agency_v1.json";
// agency_v2.json is written by this library from build_golden_v2_agency(). Set
// AECORE_UPDATE_GOLDEN=1 to rewrite it after a deliberate change, then review the diff.
const fs::path kGoldenV2File = fs::path(AECORE_TEST_DATA_DIR) / "agency_v2.json";

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

Json golden_document() { return Json::parse(read_file(kGoldenFile)); }
// The version-2 document of build_golden_v2_agency() (from the library, so that these
// tests do not depend on the committed file being up to date).
Json golden_v2_document() { return Json::parse(build_golden_v2_agency().to_json()); }

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

// The same on the version-2 golden document (clients and routines).
std::optional<SchemaError> expect_v2_schema_error(const std::function<void(Json&)>& edit, const std::string& path) {
    Json doc = golden_v2_document();
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
    EXPECT_EQ(json.rfind("{\n  \"schema\": \"aecore.Agency\",\n  \"version\": 2,\n", 0), 0u) << json;
    ASSERT_FALSE(json.empty());
    EXPECT_EQ(json.back(), '\n');
    EXPECT_EQ(aecore::schema::kName, "aecore.Agency");
    EXPECT_EQ(aecore::schema::kVersion, 2);
    // the top-level sections, in their fixed order
    std::vector<std::string> keys;
    const Json parsed = Json::parse(json);
    for (const auto& [key, value] : parsed.items()) keys.push_back(key);
    EXPECT_EQ(keys, (std::vector<std::string>{"schema", "version", "agency", "policy", "calendar", "staff", "clients",
                                              "activities", "contact_reports", "meeting_notices", "status_reports",
                                              "sequences"}));
    const Json empty = Json::parse(json);
    EXPECT_EQ(empty["sequences"].dump(),
              R"({"staff":1,"clients":{},"activities":1,"contact_reports":1,"meeting_notices":1,"status_reports":1})");
    // non-ASCII text is written as UTF-8, not as \u escapes
    EXPECT_NE(build_golden_agency().to_json().find("\"李伟\""), std::string::npos);
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

// The committed version-1 file is a fixed point of history: it stays as it was written.
TEST(GoldenFileV1, TheCommittedFileIsStillAVersion1Document) {
    const Json doc = golden_document();
    EXPECT_EQ(doc["version"], 1);
    EXPECT_FALSE(doc.contains("clients"));
    EXPECT_FALSE(doc["sequences"].contains("clients"));
}

TEST(GoldenFileV1, LoadsByMigrationIntoTheAgencyTheTestBuilds) {
    const Agency loaded = Agency::load(kGoldenFile);
    EXPECT_TRUE(loaded == build_golden_agency());
    EXPECT_TRUE(loaded.clients().empty());
    EXPECT_TRUE(loaded.activities().empty());
    EXPECT_TRUE(loaded.contact_reports().empty());
    EXPECT_TRUE(loaded.meeting_notices().empty());
    EXPECT_TRUE(loaded.status_reports().empty());
    EXPECT_EQ(loaded.staff("S0002").name, "李伟");
}

TEST(GoldenFileV1, SavingItWritesAVersion2Document) {
    const std::string v1 = read_file(kGoldenFile);
    const Agency loaded = Agency::from_json(v1);
    const std::string v2 = loaded.to_json();
    EXPECT_EQ(v2, build_golden_agency().to_json());
    EXPECT_EQ(v2.rfind("{\n  \"schema\": \"aecore.Agency\",\n  \"version\": 2,\n", 0), 0u) << v2;
    const Json old_doc = Json::parse(v1);
    const Json new_doc = Json::parse(v2);
    // every version-1 section is carried over unchanged
    for (const char* key : {"schema", "agency", "policy", "calendar", "staff"}) EXPECT_EQ(new_doc[key], old_doc[key]) << key;
    EXPECT_EQ(new_doc["sequences"]["staff"], old_doc["sequences"]["staff"]);
    // the new sections start empty, the new sequences at 1
    for (const char* key : {"clients", "activities", "contact_reports", "meeting_notices", "status_reports"})
        EXPECT_EQ(new_doc[key], Json::array()) << key;
    EXPECT_EQ(new_doc["sequences"]["clients"], Json::object());
    for (const char* key : {"activities", "contact_reports", "meeting_notices", "status_reports"})
        EXPECT_EQ(new_doc["sequences"][key], 1) << key;
    // and the version-2 document loads back into the same agency, byte for byte
    const Agency again = Agency::from_json(v2);
    EXPECT_TRUE(again == loaded);
    EXPECT_EQ(again.to_json(), v2);
    TempDir dir;
    loaded.save(dir / "upgraded.json");
    EXPECT_EQ(read_file(dir / "upgraded.json"), v2);
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

TEST(GoldenFileV2, LibraryStillWritesTheCommittedFile) {
    const std::string written = build_golden_v2_agency().to_json();
    if (const char* update = std::getenv("AECORE_UPDATE_GOLDEN"); update != nullptr && std::string(update) == "1") {
        write_file(kGoldenV2File, written);
    }
    ASSERT_TRUE(fs::exists(kGoldenV2File)) << kGoldenV2File;
    EXPECT_EQ(written, read_file(kGoldenV2File))
        << "the writer's output changed; if the schema changed on purpose, bump the version and add a migration";
}

TEST(GoldenFileV2, LoadThenSaveReproducesTheFileByteForByte) {
    const std::string golden = read_file(kGoldenV2File);
    const Agency loaded = Agency::load(kGoldenV2File);
    EXPECT_EQ(loaded.to_json(), golden);
    EXPECT_TRUE(loaded == build_golden_v2_agency());
    TempDir dir;
    loaded.save(dir / "copy.json");
    EXPECT_EQ(read_file(dir / "copy.json"), golden);
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
    expect_detail(expect_schema_error([](Json& d) { d["version"] = 3; }, "/version"), "newer");
    expect_schema_error([](Json& d) { d["version"] = 999; }, "/version");
    expect_detail(expect_v2_schema_error([](Json& d) { d["version"] = 3; }, "/version"), "newer");
}

// A version-1 document is read as version 1: the sections that arrived with version 2
// are not in it, so a "clients" key there is unknown rather than silently dropped.
TEST(SchemaErrors, Version1DocumentWithVersion2SectionsIsRefused) {
    expect_schema_error([](Json& d) { d["clients"] = golden_v2_document()["clients"]; }, "/clients");
    expect_schema_error([](Json& d) { d["activities"] = Json::array({Json::object()}); }, "/activities");
    expect_schema_error([](Json& d) { d["sequences"]["clients"] = Json::parse(R"({"2026": 4})"); },
                        "/sequences/clients");
}

// A version-2 document must have every version-2 section.
TEST(SchemaErrors, Version2DocumentMissingASection) {
    for (const char* key : {"clients", "activities", "contact_reports", "meeting_notices", "status_reports"})
        expect_detail(expect_v2_schema_error([&](Json& d) { d.erase(key); }, "/"), key);
    expect_detail(expect_v2_schema_error([](Json& d) { d["sequences"].erase("clients"); }, "/sequences"), "clients");
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
void expect_only_schema_errors(const Json& golden, const std::vector<Json>& replacements) {
    int failures = 0;
    const Json flat = golden.flatten();  // items() of a temporary would dangle
    for (const auto& [pointer, value] : flat.items()) {
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
}

TEST(SchemaErrors, EveryErrorIsASchemaErrorNeverAnotherException) {
    expect_only_schema_errors(golden_document(), {Json(nullptr), Json(-1), Json("?"), Json::array()});
}

// The same sweep over the version-2 document: clients and routines included.
TEST(SchemaErrors, EveryVersion2ErrorIsASchemaErrorNeverAnotherException) {
    expect_only_schema_errors(golden_v2_document(), {Json(nullptr), Json(-1), Json("?"), Json::array(),
                                                     Json("S0001"), Json("2026-04-08T10:00:00")});
}

// ---------------------------------------------------------------- schema errors: clients (CL-1..CL-7, ST-3)

TEST(ClientSchemaErrors, CodeMustMatchCitySerialAndSequence) {
    // the code is built from the client's own city, first-contact month and short name
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/code")] = "CD-202603-ACMX-001"; },
                                         "/clients/0/code"),
                  "CL-1");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/city")] = "SH"; }, "/clients/0/code");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/first_contact")] = "2026-04-02"; }, "/clients/0/code");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/code")] = "CD-202603-ACME-01"; }, "/clients/0/code");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/code")] = "CD-202603-ACME-000"; }, "/clients/0/code");
    // duplicate code: Beta made into a second CD-202603-ACME-001
    expect_detail(expect_v2_schema_error(
                      [](Json& d) {
                          for (const char* key : {"/code", "/city", "/first_contact", "/short_name"})
                              d[ptr((std::string("/clients/1") + key).c_str())] =
                                  d[ptr((std::string("/clients/0") + key).c_str())];
                      },
                      "/clients/1/code"),
                  "duplicate");
    // a serial at or above the year's sequence could be handed out again
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/sequences/clients/2026")] = 2; }, "/clients/1/code"),
                  "never reused");
    expect_v2_schema_error([](Json& d) { d[ptr("/sequences/clients")].erase("2025"); }, "/clients/2/code");
    expect_v2_schema_error([](Json& d) { d[ptr("/sequences/clients/2026")] = 0; }, "/sequences/clients/2026");
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/sequences/clients")]["20x6"] = 3; },
                                         "/sequences/clients/20x6"),
                  "year");
    expect_v2_schema_error([](Json& d) { d[ptr("/sequences/clients")] = Json::array(); }, "/sequences/clients");
}

TEST(ClientSchemaErrors, RecordFields) {
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/short_name")] = "acme"; }, "/clients/0/short_name");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/city")] = "cd"; }, "/clients/0/city");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/name")] = " Acme"; }, "/clients/0/name");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/email")] = "acme"; }, "/clients/0/email");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/annual_budget/amount")] = "-1.00"; },
                           "/clients/0/annual_budget");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/annual_budget/currency")] = "USD"; },
                           "/clients/0/annual_budget");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/first_contact")] = "2026-3-2"; },
                           "/clients/0/first_contact");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/archived")] = "no"; }, "/clients/0/archived");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0")].erase("fax"); }, "/clients/0");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/wechat")] = "acme"; }, "/clients/0/wechat");
    // CL-2: two clients of one city may not share a name (Gamma is in CD too)
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/clients/2/name")] = d[ptr("/clients/0/name")]; },
                                         "/clients/2/name"),
                  "CL-2");
    // ... but two cities may
    Json doc = golden_v2_document();
    doc[ptr("/clients/1/name")] = doc[ptr("/clients/0/name")];
    EXPECT_NO_THROW((void)Agency::from_json(doc.dump()));
}

TEST(ClientSchemaErrors, BrandsContactsContracts) {
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/brands/1/name")] = "Acme Noodles"; },
                                         "/clients/0/brands/1/name"),
                  "duplicate brand");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/brands/0/products/1")] = 7; },
                           "/clients/0/brands/0/products/1");
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/contacts/1/primary")] = true; },
                                         "/clients/0/contacts/1/primary"),
                  "CL-3");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/contacts/1/id")] = "K01"; }, "/clients/0/contacts/1/id");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/contacts/0/role")] = "Boss"; },
                           "/clients/0/contacts/0/role");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/contacts/0/wechat")] = "zhao"; },
                           "/clients/0/contacts/0/wechat");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/contacts/0/email")] = "zhao@"; },
                           "/clients/0/contacts/0/email");
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/contracts/0/end")] = "2026-03-31"; },
                                         "/clients/0/contracts/0/end"),
                  "CL-7");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/contracts/0/monthly_fee/currency")] = "USD"; },
                           "/clients/0/contracts/0/monthly_fee");
}

TEST(ClientSchemaErrors, TeamAndStageHistory) {
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/team_history/1/ae")] = "S0999"; },
                                         "/clients/0/team_history/1/ae"),
                  "S0999");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/team_history/0/ad")] = "AD-99"; },
                           "/clients/0/team_history/0/ad");
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/team_history/1/effective")] = "2026-03-01"; },
                                         "/clients/0/team_history/1/effective"),
                  "ST-3");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/team_history")] = Json::array(); },
                           "/clients/0/team_history");
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/stage_history/1/stage")] = "Won"; },
                                         "/clients/0/stage_history/1/stage"),
                  "Won");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/0/stage_history/1/date")] = "2026-03-01"; },
                           "/clients/0/stage_history/1/date");
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/clients/1/stage_history/0/delivered_on")] = "2026-04-07"; },
                                         "/clients/1/stage_history/0/delivered_on"),
                  "CL-6");
    expect_v2_schema_error([](Json& d) { d[ptr("/clients/1/stage_history")] = Json::array(); },
                           "/clients/1/stage_history");
}

// ---------------------------------------------------------------- schema errors: routines (AS-1..AS-3)

TEST(RoutineSchemaErrors, Activities) {
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/activities/0/client")] = "CD-209901-NOPE-001"; },
                                         "/activities/0/client"),
                  "CD-209901-NOPE-001");
    expect_v2_schema_error([](Json& d) { d[ptr("/activities/0/staff")] = "S0999"; }, "/activities/0/staff");
    // K03 is a contact of Acme; the call was with Beta, which has only K01
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/activities/2/contacts/0")] = "K03"; },
                                         "/activities/2/contacts/0"),
                  "CL-3");
    expect_v2_schema_error([](Json& d) { d[ptr("/activities/0/notice")] = "N00009"; }, "/activities/0/notice");
    expect_v2_schema_error([](Json& d) { d[ptr("/activities/0/kind")] = "Lunch"; }, "/activities/0/kind");
    expect_v2_schema_error([](Json& d) { d[ptr("/activities/0/when")] = "2026-04-08 10:00"; }, "/activities/0/when");
    expect_v2_schema_error([](Json& d) { d[ptr("/activities/1/id")] = "A000001"; }, "/activities/1/id");
    expect_v2_schema_error([](Json& d) { d[ptr("/sequences/activities")] = 4; }, "/activities/3/id");
}

TEST(RoutineSchemaErrors, ContactReportsNoticesAndStatusReports) {
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/contact_reports/1/activity")] = "A000001"; },
                                         "/contact_reports/1/activity"),
                  "second contact report");
    expect_v2_schema_error([](Json& d) { d[ptr("/contact_reports/0/activity")] = "A000099"; },
                           "/contact_reports/0/activity");
    expect_v2_schema_error([](Json& d) { d[ptr("/contact_reports/0/author")] = "S0999"; }, "/contact_reports/0/author");
    expect_v2_schema_error([](Json& d) { d[ptr("/sequences/contact_reports")] = 3; }, "/contact_reports/2/id");
    expect_detail(expect_v2_schema_error([](Json& d) { d[ptr("/meeting_notices/0/issued_at")] = "2026-04-08T10:00:01"; },
                                         "/meeting_notices/0/issued_at"),
                  "AS-2");
    expect_v2_schema_error([](Json& d) { d[ptr("/meeting_notices/0/client")] = "XX-202601-X-001"; },
                           "/meeting_notices/0/client");
    expect_v2_schema_error([](Json& d) { d[ptr("/meeting_notices/1/id")] = "N00001"; }, "/meeting_notices/1/id");
    expect_v2_schema_error([](Json& d) { d[ptr("/status_reports/0/author")] = "S0999"; }, "/status_reports/0/author");
    expect_v2_schema_error([](Json& d) { d[ptr("/status_reports/0/kind")] = "Daily"; }, "/status_reports/0/kind");
    expect_v2_schema_error([](Json& d) { d[ptr("/sequences/status_reports")] = 1; }, "/status_reports/0/id");
}

// Loading validates everything (PS-1): a document that the API could never have produced
// is refused, at the path of the offending value, instead of loading a book that breaks
// the rules the Agency enforces.
TEST(RoutineSchemaInvariants, ContactReportIdsAreUnique) {
    expect_v2_schema_error([](Json& d) { d[ptr("/contact_reports/1/id")] = "R00001"; }, "/contact_reports/1/id");
}

TEST(RoutineSchemaInvariants, StatusReportIdsAreUnique) {
    expect_v2_schema_error([](Json& d) { d[ptr("/status_reports/1/id")] = "W00001"; }, "/status_reports/1/id");
}

TEST(RoutineSchemaInvariants, ContactReportOnlyForMeetingsVisitsAndImportantCalls) {
    // A000004 is an e-mail
    expect_v2_schema_error([](Json& d) { d[ptr("/contact_reports/2/activity")] = "A000004"; },
                           "/contact_reports/2/activity");
}

TEST(RoutineSchemaInvariants, ContactReportNotWrittenBeforeItsActivity) {
    expect_v2_schema_error([](Json& d) { d[ptr("/contact_reports/0/written_at")] = "2026-04-08T09:59:00"; },
                           "/contact_reports/0/written_at");
}

TEST(RoutineSchemaInvariants, MeetingNoticeOnlyOnAMeetingOfTheSameClient) {
    expect_v2_schema_error([](Json& d) { d[ptr("/activities/1/notice")] = "N00001"; }, "/activities/1/notice");
    expect_v2_schema_error([](Json& d) { d[ptr("/activities/0/notice")] = "N00002"; }, "/activities/0/notice");
}

TEST(RoutineSchemaInvariants, WeeklyPeriodIsAMonday) {
    expect_v2_schema_error([](Json& d) { d[ptr("/status_reports/1/period")] = "2026-04-07"; },
                           "/status_reports/1/period");
}

// Contact and contract ids are generated from the list length ("K04" after three); a
// loaded book must not be able to make add_contact hand out an id that is taken.
TEST(ClientSchemaInvariants, ContactIdsStayUniqueAfterLoading) {
    Json doc = golden_v2_document();
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

}  // namespace
