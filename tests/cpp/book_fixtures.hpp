#pragma once
// Shared helpers for the client and routine tests (SPEC ST-2, ST-3, CL-1..CL-7,
// AS-1..AS-4): a small agency with a complete account team, builders for the
// specs the Agency takes, and the "refused and unchanged" check every failing
// case goes through.

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "aecore/synthetic.hpp"

namespace book {

using aecore::Agency;
using aecore::Date;
using aecore::DateTime;

/// The text of a book of 600 job tickets and as many estimates (30 clients x 20 jobs, 2,000
/// ledger entries): lists of more than 256 KiB of text, which a load parses on two threads.
inline const std::string& many_tickets_text() {
    static const std::string text = [] {
        aecore::SyntheticSpec spec;
        spec.clients = 30;
        spec.jobs_per_client = 20;
        spec.entries = 2000;
        spec.seed = 3;
        return aecore::synthetic_agency(spec).to_json();
    }();
    return text;
}

/// A brief complete for every department (media and research fields included), with one
/// deliverable.
inline aecore::Brief complete_brief(std::string media = "Print", std::string specification = "A4 spread") {
    aecore::Brief b;
    b.objective = "Make the brand the desk-lunch choice";
    b.target_audience = "Office workers aged 22-35";
    b.key_message = "Real beef.";
    b.mandatories = "Logo end frame";
    b.deliverables = {{std::move(media), std::move(specification)}};
    b.budget = aecore::Money::parse("100000.00", "CNY");
    b.media_objectives = "Reach 70 % at 3+";
    b.research_objective = "Usage and attitudes";
    b.research_method = "Intercept survey";
    b.research_sample = "n = 600";
    return b;
}

inline DateTime at(const Date& d, int hour, int minute = 0, int second = 0) {
    return DateTime(d, boost::posix_time::hours(hour) + boost::posix_time::minutes(minute) +
                           boost::posix_time::seconds(second));
}

inline aecore::NewStaff person(std::string name, aecore::Title title, std::optional<std::string> manager = {}) {
    aecore::NewStaff s;
    s.name = std::move(name);
    s.title = title;
    s.manager = std::move(manager);
    return s;
}

// Home city CD, Saturday/Sunday off, no holidays.
//   S0001 AD  Zhang Min
//   S0002 AM  Chen Jie    -> S0001
//   S0003 AE  Wang Fang   -> S0002
//   S0004 AE  Liu Yang    -> S0002
//   S0005 AAE Li Wei      -> S0003
// The span of control is inside the default 1..3 for both supervisors.
inline Agency staffed_agency() {
    Agency a("Chengdu Bright Ads", "CD", "CNY");
    a.add_staff(person("Zhang Min", aecore::Title::AD));
    a.add_staff(person("Chen Jie", aecore::Title::AM, "S0001"));
    a.add_staff(person("Wang Fang", aecore::Title::AE, "S0002"));
    a.add_staff(person("Liu Yang", aecore::Title::AE, "S0002"));
    a.add_staff(person("Li Wei", aecore::Title::AAE, "S0003"));
    return a;
}

inline aecore::AccountTeam owner(std::string ae) {
    aecore::AccountTeam t;
    t.ae = std::move(ae);
    return t;
}

inline aecore::AccountTeam full_team() {
    aecore::AccountTeam t;
    t.ae = "S0003";
    t.aae = "S0005";
    t.am = "S0002";
    t.ad = "S0001";
    return t;
}

inline aecore::NewClient client_spec(std::string name, std::string short_name, std::string city, const Date& first,
                                     aecore::PipelineStage stage = aecore::PipelineStage::Potential,
                                     std::string ae = "S0003") {
    aecore::NewClient c;
    c.name = std::move(name);
    c.short_name = std::move(short_name);
    c.city = std::move(city);
    c.first_contact = first;
    c.team = owner(std::move(ae));
    c.stage = stage;
    return c;
}

inline aecore::NewContact contact(std::string name, aecore::DecisionRole role, bool primary = false) {
    aecore::NewContact k;
    k.name = std::move(name);
    k.role = role;
    k.primary = primary;
    return k;
}

inline aecore::NewActivity activity(aecore::ActivityKind kind, const DateTime& when, std::string client,
                                    std::string staff = "S0003") {
    aecore::NewActivity a;
    a.kind = kind;
    a.when = when;
    a.client = std::move(client);
    a.staff = std::move(staff);
    a.summary = "contact";
    return a;
}

inline aecore::NewContactReport report(std::string activity, const DateTime& written, std::string author = "S0003") {
    aecore::NewContactReport r;
    r.activity = std::move(activity);
    r.written_at = written;
    r.author = std::move(author);
    r.summary = "what was agreed";
    return r;
}

// A complete (5W1H) notice.
inline aecore::NewMeetingNotice notice(std::string client, const DateTime& issued, const DateTime& meeting,
                                       std::string author = "S0003") {
    aecore::NewMeetingNotice n;
    n.client = std::move(client);
    n.author = std::move(author);
    n.issued_at = issued;
    n.meeting_at = meeting;
    n.attendees = {"Wang Fang", "Mr Zhao"};
    n.location = "Client office, room 3";
    n.topic = "Spring campaign";
    n.items_to_confirm = "Budget split, launch date";
    n.agenda = "1. Review 2. Decide 3. Next steps";
    return n;
}

inline aecore::NewStatusReport status(aecore::ReportKind kind, std::string author, const Date& period,
                                      const DateTime& submitted) {
    aecore::NewStatusReport s;
    s.kind = kind;
    s.author = std::move(author);
    s.period = period;
    s.submitted_at = submitted;
    s.summary = "status";
    return s;
}

// Runs `op`, which must throw exactly `Err`; the agency must be unchanged afterwards
// (JSON byte-identical and operator==). Returns the error for message checks.
template <class Err>
std::optional<Err> refused_unchanged(Agency& agency, const std::function<void(Agency&)>& op) {
    const std::string json_before = agency.to_json();
    const Agency copy_before = agency;
    std::optional<Err> caught;
    try {
        op(agency);
        ADD_FAILURE() << "the operation was accepted";
    } catch (const Err& e) {
        caught.emplace(e);
    } catch (const std::exception& e) {
        ADD_FAILURE() << "unexpected exception type: " << e.what();
    }
    EXPECT_EQ(agency.to_json(), json_before) << "a refused operation changed the agency";
    EXPECT_TRUE(agency == copy_before) << "a refused operation changed the agency";
    return caught;
}

// The error names `field` (exactly), contains `value` and cites `rule` in what().
inline void expect_names(const std::optional<aecore::Error>& e, const std::string& field, const std::string& value,
                         const std::string& rule) {
    ASSERT_TRUE(e.has_value());
    const std::string what = e->what();
    EXPECT_EQ(e->field(), field) << what;
    EXPECT_EQ(e->rule(), rule) << what;
    EXPECT_NE(what.find(field), std::string::npos) << what;
    EXPECT_NE(what.find(value), std::string::npos) << what;
    EXPECT_NE(what.find("[" + rule + "]"), std::string::npos) << what;
}

// Refused with `Err`, agency unchanged, message names field, value and rule.
template <class Err>
void expect_refused(Agency& agency, const std::function<void(Agency&)>& op, const std::string& field,
                    const std::string& value, const std::string& rule) {
    const std::optional<Err> e = refused_unchanged<Err>(agency, op);
    if (!e) return;
    expect_names(std::optional<aecore::Error>(*e), field, value, rule);
}

}  // namespace book
