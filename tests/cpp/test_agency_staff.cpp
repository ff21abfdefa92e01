// Agency staff (SPEC ST-1): adding, finding and updating staff, and every way of
// getting it wrong. Every refused operation must leave the agency exactly as it was
// (strong exception guarantee): same JSON, byte for byte, and operator==.

#include "book_fixtures.hpp"
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"

namespace {

using aecore::Agency;
using aecore::Department;
using aecore::Money;
using aecore::NewStaff;
using aecore::NotFoundError;
using aecore::StaffUpdate;
using aecore::StateError;
using aecore::Title;
using aecore::ValidationError;

NewStaff person(std::string name, Title title = Title::AE, std::optional<std::string> manager = std::nullopt) {
    NewStaff s;
    s.name = std::move(name);
    s.title = title;
    s.manager = std::move(manager);
    return s;
}

NewStaff with_id(NewStaff s, std::string id) {
    s.id = std::move(id);
    return s;
}

// A small team: S0001 AD, S0002 AM (reports to S0001), S0003 and S0004 AEs (report to S0002).
Agency team() {
    Agency a("Shanghai Bright Ads", "SH", "CNY");
    NewStaff ad = person("Zhang Min", Title::AD);
    ad.department = Department::Management;
    ad.hourly_rate = Money::parse("800.00", "CNY");
    ad.email = "zhang.min@bright.example";
    a.add_staff(ad);
    NewStaff am = person("李伟", Title::AM, "S0001");
    am.hourly_rate = Money::parse("450.50", "CNY");
    a.add_staff(am);
    a.add_staff(person("Wang Fang", Title::AE, "S0002"));
    a.add_staff(person("Chen Jie", Title::AE, "S0002"));
    return a;
}

// The message names the field, the offending value and the rule.
void expect_message(const aecore::Error& e, const std::string& field, const std::string& value,
                    const std::string& rule) {
    const std::string what = e.what();
    EXPECT_EQ(e.field(), field) << what;
    EXPECT_EQ(e.rule(), rule) << what;
    EXPECT_NE(what.find(field), std::string::npos) << what;
    EXPECT_NE(what.find(value), std::string::npos) << what;
    EXPECT_NE(what.find("[" + rule + "]"), std::string::npos) << what;
}

// ---------------------------------------------------------------- adding and finding

TEST(AgencyStaff, GeneratedIdsCountFromS0001) {
    Agency a;
    EXPECT_EQ(a.add_staff(person("A")).id, "S0001");
    EXPECT_EQ(a.add_staff(person("B")).id, "S0002");
    EXPECT_EQ(a.add_staff(person("C")).id, "S0003");
    ASSERT_EQ(a.staff_members().size(), 3u);
    EXPECT_EQ(a.staff_members()[2].name, "C");
}

TEST(AgencyStaff, RecordsEveryField) {
    const Agency a = team();
    const aecore::Staff& ad = a.staff("S0001");
    EXPECT_EQ(ad.name, "Zhang Min");
    EXPECT_EQ(ad.title, Title::AD);
    EXPECT_EQ(ad.department, Department::Management);
    EXPECT_EQ(ad.hourly_rate, Money::parse("800", "CNY"));
    EXPECT_EQ(ad.email, "zhang.min@bright.example");
    EXPECT_FALSE(ad.manager.has_value());
    EXPECT_TRUE(ad.active);
    const aecore::Staff& am = a.staff("S0002");
    EXPECT_EQ(am.name, "李伟");
    EXPECT_EQ(am.manager, std::optional<std::string>("S0001"));
    // the rate defaults to zero in the agency currency
    EXPECT_EQ(a.staff("S0003").hourly_rate, Money::zero(aecore::Currency("CNY")));
    EXPECT_EQ(a.staff("S0003").department, Department::Account);
}

TEST(AgencyStaff, NamesAreTrimmed) {
    Agency a;
    EXPECT_EQ(a.add_staff(person("  Liu Yang \t")).name, "Liu Yang");
}

TEST(AgencyStaff, ExplicitIdsAndGeneratedIdsSkipTakenOnes) {
    Agency a;
    EXPECT_EQ(a.add_staff(with_id(person("Explicit"), "ae-lee_01.x")).id, "ae-lee_01.x");
    EXPECT_EQ(a.add_staff(with_id(person("Taken"), "S0002")).id, "S0002");
    EXPECT_EQ(a.add_staff(person("Gen 1")).id, "S0001");
    EXPECT_EQ(a.add_staff(person("Gen 2")).id, "S0003");  // S0002 is taken
    EXPECT_EQ(a.staff("ae-lee_01.x").name, "Explicit");
}

TEST(AgencyStaff, FindAndStaffAndNotFound) {
    const Agency a = team();
    ASSERT_NE(a.find_staff("S0003"), nullptr);
    EXPECT_EQ(a.find_staff("S0003")->name, "Wang Fang");
    EXPECT_EQ(a.find_staff("S0099"), nullptr);
    EXPECT_EQ(a.find_staff(""), nullptr);
    EXPECT_EQ(&a.staff("S0004"), a.find_staff("S0004"));
    try {
        (void)a.staff("S0099");
        FAIL() << "expected NotFoundError";
    } catch (const NotFoundError& e) {
        expect_message(e, "staff.id", "\"S0099\"", "ST-1");
    }
}

TEST(AgencyStaff, DirectReportsInOrderOfAddition) {
    const Agency a = team();
    const auto reports = a.direct_reports("S0002");
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[0]->id, "S0003");
    EXPECT_EQ(reports[1]->id, "S0004");
    ASSERT_EQ(a.direct_reports("S0001").size(), 1u);
    EXPECT_EQ(a.direct_reports("S0001")[0]->id, "S0002");
    EXPECT_TRUE(a.direct_reports("S0004").empty());
    EXPECT_TRUE(a.direct_reports("nobody").empty());
}

TEST(AgencyStaff, UpdateChangesOnlyTheFieldsThatAreSet) {
    Agency a = team();
    StaffUpdate u;
    u.title = Title::AM;
    u.email = "wang.fang@bright.example";
    u.manager = std::optional<std::string>("S0001");
    const aecore::Staff& s = a.update_staff("S0003", u);
    EXPECT_EQ(s.title, Title::AM);
    EXPECT_EQ(s.email, "wang.fang@bright.example");
    EXPECT_EQ(s.manager, std::optional<std::string>("S0001"));
    EXPECT_EQ(s.name, "Wang Fang");
    EXPECT_EQ(s.department, Department::Account);
    EXPECT_EQ(a.direct_reports("S0001").size(), 2u);
    EXPECT_EQ(a.direct_reports("S0002").size(), 1u);

    StaffUpdate clear;
    clear.manager = std::optional<std::string>{};  // remove the manager
    clear.name = " Wang Fang (senior) ";
    clear.hourly_rate = Money::parse("300", "CNY");
    clear.department = Department::Media;
    const aecore::Staff& t = a.update_staff("S0003", clear);
    EXPECT_FALSE(t.manager.has_value());
    EXPECT_EQ(t.name, "Wang Fang (senior)");
    EXPECT_EQ(t.hourly_rate, Money::parse("300.00", "CNY"));
    EXPECT_EQ(t.department, Department::Media);
}

TEST(AgencyStaff, DeactivateAndReactivate) {
    Agency a = team();
    StaffUpdate leave;
    leave.active = false;
    EXPECT_FALSE(a.update_staff("S0004", leave).active);
    EXPECT_NE(a.find_staff("S0004"), nullptr) << "ids are never reused: the record stays";
    // the generated sequence does not reuse the id either
    EXPECT_EQ(a.add_staff(person("New AE", Title::AE, "S0002")).id, "S0005");
    StaffUpdate back;
    back.active = true;
    EXPECT_TRUE(a.update_staff("S0004", back).active);
}

// ---------------------------------------------------------------- refused operations

TEST(AgencyStaffRefused, EmptyOrBlankName) {
    Agency a = team();
    for (const char* bad : {"", "   ", "\t\n"}) {
        auto e = book::refused_unchanged<ValidationError>(a, [&](Agency& x) { x.add_staff(person(bad)); });
        ASSERT_TRUE(e.has_value()) << '"' << bad << '"';
        expect_message(*e, "staff.name", aecore::quote(bad), "ST-1");
        EXPECT_NE(std::string(e->what()).find("must not be empty"), std::string::npos) << e->what();
    }
    StaffUpdate u;
    u.name = "  ";
    auto e = book::refused_unchanged<ValidationError>(a, [&](Agency& x) { x.update_staff("S0003", u); });
    ASSERT_TRUE(e.has_value());
    expect_message(*e, "staff.name", "\"  \"", "ST-1");
}

TEST(AgencyStaffRefused, NameWithControlCharactersOrBadUtf8OrTooLong) {
    Agency a = team();
    for (const std::string& bad : {std::string("Li\x01Wei"), std::string("\xff\xfe"), std::string("\xe6\x9d"),
                                   std::string(201, 'x')}) {
        auto e = book::refused_unchanged<ValidationError>(a, [&](Agency& x) { x.add_staff(person(bad)); });
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ(e->field(), "staff.name");
        EXPECT_NE(std::string(e->what()).find("[ST-1]"), std::string::npos) << e->what();
    }
}

TEST(AgencyStaffRefused, BadIdCharacters) {
    Agency a = team();
    for (const std::string& bad : {std::string("S 01"), std::string("S/01"), std::string("李"), std::string("a@b"),
                                   std::string(33, 'A')}) {
        auto e = book::refused_unchanged<ValidationError>(
            a, [&](Agency& x) { x.add_staff(with_id(person("Someone"), bad)); });
        ASSERT_TRUE(e.has_value()) << bad;
        expect_message(*e, "staff.id", aecore::quote(bad), "ST-1");
    }
}

TEST(AgencyStaffRefused, DuplicateId) {
    Agency a = team();
    auto e = book::refused_unchanged<ValidationError>(
        a, [](Agency& x) { x.add_staff(with_id(person("Twin"), "S0002")); });
    ASSERT_TRUE(e.has_value());
    expect_message(*e, "staff.id", "\"S0002\"", "ST-1");
    EXPECT_NE(std::string(e->what()).find("already taken"), std::string::npos) << e->what();
}

TEST(AgencyStaffRefused, NegativeRate) {
    Agency a = team();
    NewStaff s = person("Cheap");
    s.hourly_rate = Money::parse("-0.01", "CNY");
    auto e = book::refused_unchanged<ValidationError>(a, [&](Agency& x) { x.add_staff(s); });
    ASSERT_TRUE(e.has_value());
    expect_message(*e, "staff.hourly_rate", "-0.01 CNY", "ST-1");

    StaffUpdate u;
    u.hourly_rate = Money::parse("-100", "CNY");
    auto f = book::refused_unchanged<ValidationError>(a, [&](Agency& x) { x.update_staff("S0003", u); });
    ASSERT_TRUE(f.has_value());
    expect_message(*f, "staff.hourly_rate", "-100.00 CNY", "ST-1");
}

TEST(AgencyStaffRefused, RateInAnotherCurrency) {
    Agency a = team();
    NewStaff s = person("Expat");
    s.hourly_rate = Money::parse("50.00", "USD");
    auto e = book::refused_unchanged<ValidationError>(a, [&](Agency& x) { x.add_staff(s); });
    ASSERT_TRUE(e.has_value());
    expect_message(*e, "staff.hourly_rate", "50.00 USD", "MB-1");
    EXPECT_NE(std::string(e->what()).find("CNY"), std::string::npos) << e->what();
}

TEST(AgencyStaffRefused, BadEmail) {
    Agency a = team();
    for (const char* bad : {"no-at-sign", "@bright.example", "a@b", "a b@c.com", "a@b@c.com", "a@c."}) {
        NewStaff s = person("Mail");
        s.email = bad;
        auto e = book::refused_unchanged<ValidationError>(a, [&](Agency& x) { x.add_staff(s); });
        ASSERT_TRUE(e.has_value()) << bad;
        expect_message(*e, "staff.email", aecore::quote(bad), "ST-1");
    }
}

// Regression: e-mail addresses are checked for valid UTF-8 like names; accepting
// "\xff@x.com" once made Agency::to_json() (and so save()) throw a JSON type error.
TEST(AgencyStaffRefused, EmailThatIsNotUtf8) {
    Agency a = team();
    NewStaff s = person("Mojibake");
    s.email = "\xff@bright.example";
    const std::string before = a.to_json();
    EXPECT_THROW(a.add_staff(s), ValidationError);
    std::string after;
    EXPECT_NO_THROW(after = a.to_json()) << "an agency accepted by the API must serialise";
    EXPECT_EQ(after, before);
}

TEST(AgencyStaffRefused, UnknownManager) {
    Agency a = team();
    auto e = book::refused_unchanged<NotFoundError>(
        a, [](Agency& x) { x.add_staff(person("Orphan", Title::AE, "S0099")); });
    ASSERT_TRUE(e.has_value());
    expect_message(*e, "staff.manager", "\"S0099\"", "ST-1");

    StaffUpdate u;
    u.manager = std::optional<std::string>("ghost");
    auto f = book::refused_unchanged<NotFoundError>(a, [&](Agency& x) { x.update_staff("S0003", u); });
    ASSERT_TRUE(f.has_value());
    expect_message(*f, "staff.manager", "\"ghost\"", "ST-1");
}

TEST(AgencyStaffRefused, UpdateOfUnknownStaff) {
    Agency a = team();
    StaffUpdate u;
    u.name = "Nobody";
    auto e = book::refused_unchanged<NotFoundError>(a, [&](Agency& x) { x.update_staff("S0042", u); });
    ASSERT_TRUE(e.has_value());
    expect_message(*e, "staff.id", "\"S0042\"", "ST-1");
}

TEST(AgencyStaffRefused, InactiveManager) {
    Agency a = team();
    StaffUpdate leave;
    leave.active = false;
    a.update_staff("S0004", leave);  // S0004 has no reports, may leave
    auto e = book::refused_unchanged<ValidationError>(
        a, [](Agency& x) { x.add_staff(person("Newbie", Title::AAE, "S0004")); });
    ASSERT_TRUE(e.has_value());
    expect_message(*e, "staff.manager", "\"S0004\"", "ST-1");
    EXPECT_NE(std::string(e->what()).find("inactive"), std::string::npos) << e->what();

    StaffUpdate move;
    move.manager = std::optional<std::string>("S0004");
    auto f = book::refused_unchanged<ValidationError>(a, [&](Agency& x) { x.update_staff("S0003", move); });
    ASSERT_TRUE(f.has_value());
    expect_message(*f, "staff.manager", "\"S0004\"", "ST-1");
}

TEST(AgencyStaffRefused, SelfManager) {
    Agency a = team();
    StaffUpdate u;
    u.manager = std::optional<std::string>("S0003");
    auto e = book::refused_unchanged<ValidationError>(a, [&](Agency& x) { x.update_staff("S0003", u); });
    ASSERT_TRUE(e.has_value());
    expect_message(*e, "staff.manager", "\"S0003\"", "ST-1");
    EXPECT_NE(std::string(e->what()).find("themselves"), std::string::npos) << e->what();

    // On add, the new person does not exist yet, so naming oneself is an unknown manager.
    auto f = book::refused_unchanged<NotFoundError>(
        a, [](Agency& x) { x.add_staff(with_id(person("Narcissus", Title::AE, "NX"), "NX")); });
    ASSERT_TRUE(f.has_value());
    expect_message(*f, "staff.manager", "\"NX\"", "ST-1");
}

TEST(AgencyStaffRefused, ManagerCycleViaUpdate) {
    Agency a;
    a.add_staff(with_id(person("A", Title::AM), "A"));
    a.add_staff(with_id(person("B", Title::AE, "A"), "B"));
    StaffUpdate u;
    u.manager = std::optional<std::string>("B");  // A -> B -> A
    auto e = book::refused_unchanged<ValidationError>(a, [&](Agency& x) { x.update_staff("A", u); });
    ASSERT_TRUE(e.has_value());
    expect_message(*e, "staff.manager", "\"B\"", "ST-1");
    EXPECT_NE(std::string(e->what()).find("cycle"), std::string::npos) << e->what();

    // a longer cycle through the team: AD S0001 -> reports to AE S0004 (S0004 -> S0002 -> S0001)
    Agency t = team();
    StaffUpdate v;
    v.manager = std::optional<std::string>("S0004");
    auto f = book::refused_unchanged<ValidationError>(t, [&](Agency& x) { x.update_staff("S0001", v); });
    ASSERT_TRUE(f.has_value());
    expect_message(*f, "staff.manager", "\"S0004\"", "ST-1");
}

TEST(AgencyStaffRefused, DeactivatingSomeoneWithActiveReports) {
    Agency a = team();
    StaffUpdate leave;
    leave.active = false;
    auto e = book::refused_unchanged<StateError>(a, [&](Agency& x) { x.update_staff("S0002", leave); });
    ASSERT_TRUE(e.has_value());
    expect_message(*e, "staff.active", "false", "ST-1");
    EXPECT_NE(std::string(e->what()).find("S0003"), std::string::npos) << e->what();

    // Once the reports have left too, the manager may leave.
    a.update_staff("S0003", leave);
    a.update_staff("S0004", leave);
    EXPECT_FALSE(a.update_staff("S0002", leave).active);

    // and a report cannot come back under an inactive manager
    StaffUpdate back;
    back.active = true;
    auto f = book::refused_unchanged<ValidationError>(a, [&](Agency& x) { x.update_staff("S0003", back); });
    ASSERT_TRUE(f.has_value());
    expect_message(*f, "staff.manager", "\"S0002\"", "ST-1");
}

TEST(AgencyStaffRefused, FailedAddDoesNotConsumeAGeneratedId) {
    Agency a;
    EXPECT_TRUE(book::refused_unchanged<ValidationError>(a, [](Agency& x) { x.add_staff(person("")); }));
    EXPECT_TRUE(book::refused_unchanged<NotFoundError>(
        a, [](Agency& x) { x.add_staff(person("X", Title::AE, "nobody")); }));
    EXPECT_EQ(a.add_staff(person("First")).id, "S0001");
}

// ---------------------------------------------------------------- agency profile

TEST(AgencyProfile, NameAndHomeCityAreValidated) {
    Agency a("  Bright  ", "CD", "CNY");
    EXPECT_EQ(a.name(), "Bright");
    EXPECT_EQ(a.home_city(), "CD");
    EXPECT_EQ(a.currency(), aecore::Currency("CNY"));
    auto e = book::refused_unchanged<ValidationError>(a, [](Agency& x) { x.set_name("   "); });
    ASSERT_TRUE(e.has_value());
    expect_message(*e, "agency.name", "\"   \"", "ST-1");
    for (const char* bad : {"sh", "", "ABCDEFGHI", "S1"}) {
        auto f = book::refused_unchanged<ValidationError>(a, [&](Agency& x) { x.set_home_city(bad); });
        ASSERT_TRUE(f.has_value()) << bad;
        expect_message(*f, "agency.home_city", aecore::quote(bad), "CL-1");
    }
    EXPECT_THROW((void)Agency("X", "SH", "XXX"), ValidationError);
    EXPECT_THROW((void)Agency("X", "S1", "CNY"), ValidationError);
    EXPECT_THROW((void)Agency("", "SH", "CNY"), ValidationError);
}

TEST(AgencyProfile, PolicyAndCalendarAreOwnedCopies) {
    Agency a;
    aecore::BusinessCalendar cal;
    cal.add_holiday(aecore::Date(2026, 5, 1));
    a.set_calendar(cal);
    cal.add_holiday(aecore::Date(2026, 5, 4));
    EXPECT_EQ(a.calendar().holidays().size(), 1u);
    aecore::Policy p;
    p.set_late_payment_days(45);
    a.set_policy(p);
    p.set_late_payment_days(50);
    EXPECT_EQ(a.policy().late_payment_days(), 45);
    Agency b = a;
    b.calendar().add_holiday(aecore::Date(2026, 10, 1));
    b.policy().set_overspend(aecore::OverspendPolicy::Stop);
    EXPECT_EQ(a.calendar().holidays().size(), 1u);
    EXPECT_EQ(a.policy().overspend(), aecore::OverspendPolicy::Warn);
    EXPECT_FALSE(a == b);
}

}  // namespace
