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

const fs::path kGoldenFile = fs::path(AECORE_TEST_DATA_DIR) / "agency_v1.json";

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
    EXPECT_EQ(json.rfind("{\n  \"schema\": \"aecore.Agency\",\n  \"version\": 1,\n", 0), 0u) << json;
    ASSERT_FALSE(json.empty());
    EXPECT_EQ(json.back(), '\n');
    EXPECT_EQ(aecore::schema::kName, "aecore.Agency");
    EXPECT_EQ(aecore::schema::kVersion, 1);
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

// ---------------------------------------------------------------- golden file

TEST(GoldenFile, LibraryStillWritesTheCommittedFile) {
    EXPECT_EQ(build_golden_agency().to_json(), read_file(kGoldenFile))
        << "the writer's output changed; if the schema changed on purpose, bump the version and add a migration";
}

TEST(GoldenFile, LoadThenSaveReproducesTheFileByteForByte) {
    const std::string golden = read_file(kGoldenFile);
    const Agency loaded = Agency::load(kGoldenFile);
    EXPECT_EQ(loaded.to_json(), golden);
    EXPECT_TRUE(loaded == build_golden_agency());
    TempDir dir;
    loaded.save(dir / "copy.json");
    EXPECT_EQ(read_file(dir / "copy.json"), golden);
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
    expect_detail(expect_schema_error([](Json& d) { d["version"] = 2; }, "/version"), "newer");
    expect_schema_error([](Json& d) { d["version"] = 999; }, "/version");
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

TEST(SchemaErrors, EveryErrorIsASchemaErrorNeverAnotherException) {
    // Mutate every scalar of the golden document to a few wrong values; loading must
    // either succeed or raise SchemaError, never anything else.
    const Json golden = golden_document();
    const Json flat = golden.flatten();
    const std::vector<Json> replacements{Json(nullptr), Json(-1), Json("?"), Json::array()};
    int failures = 0;
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
