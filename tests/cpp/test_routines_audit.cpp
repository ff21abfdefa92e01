// Account-service routines (SPEC AS-1..AS-3) and the agency-wide audit (AS-4) over
// ST-2, ST-3, CL-3, CL-4, CL-6 and AS-1..AS-3: each rule produces its finding in a
// failing scenario and none in a compliant one; the output is sorted and
// deterministic, and an audit as of an earlier day ignores later records.

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "book_fixtures.hpp"

namespace {

using aecore::ActivityKind;
using aecore::Agency;
using aecore::Date;
using aecore::DateTime;
using aecore::Finding;
using aecore::NotFoundError;
using aecore::PipelineStage;
using aecore::ReportKind;
using aecore::Severity;
using aecore::StateError;
using aecore::ValidationError;
using book::activity;
using book::at;
using book::client_spec;
using book::expect_refused;
using book::notice;
using book::report;
using book::staffed_agency;
using book::status;

// ---------------------------------------------------------------- the compliant book
//
// As of Wednesday 2026-04-15 every rule is met:
//   ACME  (CD, home)  Closed since 03-02, full team, met Tuesday 04-14 with a notice
//                     issued Friday 04-10 and a contact report the same day;
//   BETA  (SH)        Negotiating since Monday 04-06, owner S0004, called Monday 04-13;
//   GAMMA (CD)        Potential since 03-02 (next follow-up in June);
// every client has a primary contact; both owners filed the weekly report for the week
// of 04-06 and the March summary.
struct Book {
    Agency a = staffed_agency();
    std::string acme, beta, gamma;
    std::string meeting;  // ACME's meeting of 04-14
    std::string call;     // BETA's call of 04-13
    std::string acme_notice;

    Book() {
        aecore::NewClient acme_spec = client_spec("Acme Foods", "ACME", "CD", Date(2026, 3, 2), PipelineStage::Closed);
        acme_spec.team = book::full_team();
        acme = a.register_client(acme_spec).code;
        beta = a.register_client(client_spec("Beta Motors", "BETA", "SH", Date(2026, 4, 6), PipelineStage::Negotiating,
                                             "S0004"))
                   .code;
        gamma = a.register_client(client_spec("Gamma Tea", "GAMMA", "CD", Date(2026, 3, 2))).code;
        a.add_contact(acme, book::contact("Zhao Lei", aecore::DecisionRole::DecisionMaker, true));
        a.add_contact(acme, book::contact("Qian Yu", aecore::DecisionRole::Influencer));
        a.add_contact(beta, book::contact("Sun Hao", aecore::DecisionRole::DecisionMaker, true));
        a.add_contact(gamma, book::contact("Zhou Na", aecore::DecisionRole::Executor, true));

        acme_notice = a.add_meeting_notice(notice(acme, at(Date(2026, 4, 10), 9), at(Date(2026, 4, 14), 10))).id;
        aecore::NewActivity m = activity(ActivityKind::Meeting, at(Date(2026, 4, 14), 10), acme);
        m.contacts = {"K01", "K02"};
        m.notice = acme_notice;
        meeting = a.log_activity(m).id;
        aecore::NewContactReport r = report(meeting, at(Date(2026, 4, 14), 17));
        r.distribution_contacts = {"K01"};
        r.distribution_staff = {"S0002", "S0005"};
        a.add_contact_report(r);
        call = a.log_activity(activity(ActivityKind::Call, at(Date(2026, 4, 13), 11), beta, "S0004")).id;

        for (const char* ae : {"S0003", "S0004"}) {
            a.submit_status_report(status(ReportKind::Weekly, ae, Date(2026, 4, 6), at(Date(2026, 4, 13), 9)));
            a.submit_status_report(status(ReportKind::Monthly, ae, Date(2026, 3, 1), at(Date(2026, 3, 31), 17)));
        }
    }
};

const Date kAsOf(2026, 4, 15);

std::vector<Finding> of_rule(const std::vector<Finding>& all, const std::string& rule) {
    std::vector<Finding> out;
    std::copy_if(all.begin(), all.end(), std::back_inserter(out), [&](const Finding& f) { return f.rule == rule; });
    return out;
}

std::string dump(const std::vector<Finding>& findings) {
    std::string out;
    for (const Finding& f : findings)
        out += f.rule + " " + std::string(to_string(f.severity)) + " " + f.subject + " " +
               (f.due ? boost::gregorian::to_iso_extended_string(*f.due) : "-") + " " + f.message + "\n";
    return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// ---------------------------------------------------------------- log_activity

TEST(Activities, LoggedWithIdsAndEveryField) {
    Book b;
    const aecore::Activity& first = b.a.activity(b.meeting);
    EXPECT_EQ(first.id, "A000001");
    EXPECT_EQ(first.kind, ActivityKind::Meeting);
    EXPECT_EQ(first.when, at(Date(2026, 4, 14), 10));
    EXPECT_EQ(first.client, b.acme);
    EXPECT_EQ(first.staff, "S0003");
    EXPECT_EQ(first.contacts, (std::vector<std::string>{"K01", "K02"}));
    EXPECT_EQ(first.notice, std::optional<std::string>(b.acme_notice));
    EXPECT_EQ(b.call, "A000002");
    aecore::NewActivity important = activity(ActivityKind::Call, at(Date(2026, 4, 15), 9, 30, 15), b.beta, "S0004");
    important.important = true;
    important.summary = "price objection";
    const aecore::Activity& c = b.a.log_activity(important);
    EXPECT_EQ(c.id, "A000003");
    EXPECT_TRUE(c.important);
    EXPECT_EQ(c.summary, "price objection");
    EXPECT_TRUE(c.needs_contact_report());
    EXPECT_FALSE(b.a.activity(b.call).needs_contact_report());
    EXPECT_EQ(b.a.activities().size(), 3u);
    EXPECT_EQ(b.a.last_contact(b.beta, Date(2026, 4, 15)), std::optional<DateTime>(at(Date(2026, 4, 15), 9, 30, 15)));
    EXPECT_THROW((void)b.a.activity("A000099"), NotFoundError);
}

TEST(ActivitiesRefused, UnknownClientOrStaffOrContact) {
    Book b;
    expect_refused<NotFoundError>(
        b.a, [](Agency& g) { g.log_activity(activity(ActivityKind::Call, at(Date(2026, 4, 15), 9), "CD-209901-X-001")); },
        "activity.client", "CD-209901-X-001", "CL-1");
    expect_refused<NotFoundError>(
        b.a, [&](Agency& g) { g.log_activity(activity(ActivityKind::Call, at(Date(2026, 4, 15), 9), b.acme, "S0999")); },
        "activity.staff", "S0999", "CL-4");
    aecore::StaffUpdate leave;
    leave.active = false;
    b.a.update_staff("S0004", leave);
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.log_activity(activity(ActivityKind::Call, at(Date(2026, 4, 15), 9), b.beta, "S0004")); },
        "activity.staff", "S0004", "CL-4");
    // K02 is a contact of ACME, not of BETA
    aecore::NewActivity foreign = activity(ActivityKind::Call, at(Date(2026, 4, 15), 9), b.beta);
    foreign.contacts = {"K01", "K02"};
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.log_activity(foreign); }, "activity.contacts", "K02", "CL-3");
    // the refusals used no id
    EXPECT_EQ(b.a.log_activity(activity(ActivityKind::Call, at(Date(2026, 4, 15), 9), b.beta)).id, "A000003");
}

TEST(ActivitiesRefused, BeforeFirstContactArchivedClientBadTimeAndText) {
    Book b;
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.log_activity(activity(ActivityKind::Call, at(Date(2026, 4, 5), 23, 59), b.beta)); },
        "activity.when", "2026-04-05T23:59:00", "CL-4");
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.log_activity(activity(ActivityKind::Call, DateTime(), b.beta)); }, "activity.when", "",
        "CL-4");
    aecore::NewActivity bad_text = activity(ActivityKind::Call, at(Date(2026, 4, 15), 9), b.beta);
    bad_text.summary = std::string("a\x07");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.log_activity(bad_text); }, "activity.summary", "a",
                                    "AS-1");
    // on the day of the first contact is fine
    b.a.log_activity(activity(ActivityKind::Call, at(Date(2026, 4, 6), 0), b.beta));
    b.a.archive_client(b.gamma);
    expect_refused<StateError>(
        b.a, [&](Agency& g) { g.log_activity(activity(ActivityKind::Call, at(Date(2026, 4, 15), 9), b.gamma)); },
        "activity.client", b.gamma, "CL-2");
}

TEST(ActivitiesRefused, MeetingNoticeOnlyOnAMeetingOfTheSameClient) {
    Book b;
    aecore::NewActivity call = activity(ActivityKind::Call, at(Date(2026, 4, 14), 10), b.acme);
    call.notice = b.acme_notice;
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.log_activity(call); }, "activity.notice", b.acme_notice,
                                    "AS-2");
    aecore::NewActivity visit = activity(ActivityKind::Visit, at(Date(2026, 4, 14), 10), b.acme);
    visit.notice = b.acme_notice;
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.log_activity(visit); }, "activity.notice", b.acme_notice,
                                    "AS-2");
    aecore::NewActivity other_client = activity(ActivityKind::Meeting, at(Date(2026, 4, 14), 10), b.beta);
    other_client.notice = b.acme_notice;
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.log_activity(other_client); }, "activity.notice",
                                    b.acme_notice, "AS-2");
    aecore::NewActivity unknown = activity(ActivityKind::Meeting, at(Date(2026, 4, 14), 10), b.acme);
    unknown.notice = "N09999";
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.log_activity(unknown); }, "activity.notice", "N09999", "AS-2");
}

// ---------------------------------------------------------------- AS-1 contact reports

TEST(ContactReports, WrittenForMeetingsVisitsAndImportantCalls) {
    Book b;
    const aecore::ContactReport* r = b.a.contact_report_for(b.meeting);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->id, "R00001");
    EXPECT_EQ(r->activity, b.meeting);
    EXPECT_EQ(r->written_at, at(Date(2026, 4, 14), 17));
    EXPECT_EQ(r->author, "S0003");
    EXPECT_EQ(r->distribution_contacts, std::vector<std::string>{"K01"});
    EXPECT_EQ(r->distribution_staff, (std::vector<std::string>{"S0002", "S0005"}));
    const std::string visit = b.a.log_activity(activity(ActivityKind::Visit, at(Date(2026, 4, 15), 14), b.beta)).id;
    aecore::NewActivity call = activity(ActivityKind::Call, at(Date(2026, 4, 15), 15), b.beta);
    call.important = true;
    const std::string important = b.a.log_activity(call).id;
    EXPECT_EQ(b.a.add_contact_report(report(visit, at(Date(2026, 4, 15), 14))).id, "R00002");  // the same minute
    EXPECT_EQ(b.a.add_contact_report(report(important, at(Date(2026, 4, 20), 9), "S0004")).id, "R00003");  // late is allowed
    EXPECT_EQ(b.a.contact_reports().size(), 3u);
    EXPECT_EQ(b.a.contact_report_for(b.call), nullptr);
}

TEST(ContactReportsRefused, UnknownOrUnsuitableActivityEarlyOrDuplicate) {
    Book b;
    expect_refused<NotFoundError>(b.a, [](Agency& g) { g.add_contact_report(report("A000999", at(Date(2026, 4, 15), 9))); },
                                  "report.activity", "A000999", "AS-1");
    const std::string email = b.a.log_activity(activity(ActivityKind::Email, at(Date(2026, 4, 15), 9), b.beta)).id;
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_contact_report(report(email, at(Date(2026, 4, 15), 10))); },
                                    "report.activity", email, "AS-1");
    // an ordinary call needs no report and gets none
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_contact_report(report(b.call, at(Date(2026, 4, 13), 12))); },
                                    "report.activity", b.call, "AS-1");
    const std::string visit = b.a.log_activity(activity(ActivityKind::Visit, at(Date(2026, 4, 15), 14), b.beta)).id;
    expect_refused<ValidationError>(
        b.a, [&](Agency& g) { g.add_contact_report(report(visit, at(Date(2026, 4, 15), 13, 59))); }, "report.written_at",
        "2026-04-15T13:59:00", "AS-1");
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_contact_report(report(b.meeting, at(Date(2026, 4, 15), 9))); },
                                    "report.activity", b.meeting, "AS-1");
    expect_refused<NotFoundError>(
        b.a, [&](Agency& g) { g.add_contact_report(report(visit, at(Date(2026, 4, 15), 16), "S0404")); }, "report.author",
        "S0404", "AS-1");
    aecore::NewContactReport foreign = report(visit, at(Date(2026, 4, 15), 16));
    foreign.distribution_contacts = {"K02"};  // ACME's contact, the visit was to BETA
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.add_contact_report(foreign); },
                                  "report.distribution_contacts", "K02", "AS-1");
    aecore::NewContactReport nobody = report(visit, at(Date(2026, 4, 15), 16));
    nobody.distribution_staff = {"S0003", "S0042"};
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.add_contact_report(nobody); }, "report.distribution_staff",
                                  "S0042", "AS-1");
    EXPECT_EQ(b.a.add_contact_report(report(visit, at(Date(2026, 4, 15), 16))).id, "R00002");
}

// ---------------------------------------------------------------- AS-2 meeting notices

TEST(MeetingNotices, RecordedWithIdsAndTheirMissingElements) {
    Book b;
    const aecore::MeetingNotice& n = b.a.meeting_notice(b.acme_notice);
    EXPECT_EQ(n.id, "N00001");
    EXPECT_EQ(n.client, b.acme);
    EXPECT_EQ(n.meeting_at, at(Date(2026, 4, 14), 10));
    EXPECT_TRUE(n.missing_elements().empty());
    aecore::NewMeetingNotice bare;
    bare.client = b.beta;
    bare.author = "S0004";
    bare.issued_at = at(Date(2026, 4, 15), 9);
    bare.meeting_at = at(Date(2026, 4, 15), 9);  // issued at the very time of the meeting
    const aecore::MeetingNotice& m = b.a.add_meeting_notice(bare);
    EXPECT_EQ(m.id, "N00002");
    EXPECT_EQ(m.missing_elements(), (std::vector<std::string>{"who (attendees)", "where (location)", "what (topic)",
                                                              "what (items to confirm)", "how (agenda)"}));
    EXPECT_THROW((void)b.a.meeting_notice("N00003"), NotFoundError);
}

TEST(MeetingNoticesRefused, NoMeetingTimeIssuedAfterTheMeetingAndBadReferences) {
    Book b;
    aecore::NewMeetingNotice no_time = notice(b.beta, at(Date(2026, 4, 15), 9), DateTime());
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_meeting_notice(no_time); }, "notice.meeting_at", "none",
                                    "AS-2");
    aecore::NewMeetingNotice late = notice(b.beta, at(Date(2026, 4, 16), 10, 1), at(Date(2026, 4, 16), 10));
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_meeting_notice(late); }, "notice.issued_at",
                                    "2026-04-16T10:01:00", "AS-2");
    aecore::NewMeetingNotice unissued = notice(b.beta, DateTime(), at(Date(2026, 4, 16), 10));
    expect_refused<ValidationError>(b.a, [&](Agency& g) { g.add_meeting_notice(unissued); }, "notice.issued_at", "",
                                    "AS-2");
    aecore::NewMeetingNotice unknown = notice("SH-202604-NOPE-001", at(Date(2026, 4, 15), 9), at(Date(2026, 4, 16), 10));
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.add_meeting_notice(unknown); }, "notice.client",
                                  "SH-202604-NOPE-001", "CL-1");
    aecore::NewMeetingNotice stranger = notice(b.beta, at(Date(2026, 4, 15), 9), at(Date(2026, 4, 16), 10), "S0077");
    expect_refused<NotFoundError>(b.a, [&](Agency& g) { g.add_meeting_notice(stranger); }, "notice.author", "S0077",
                                  "AS-2");
    b.a.archive_client(b.gamma);
    aecore::NewMeetingNotice archived = notice(b.gamma, at(Date(2026, 4, 15), 9), at(Date(2026, 4, 16), 10));
    expect_refused<StateError>(b.a, [&](Agency& g) { g.add_meeting_notice(archived); }, "notice.client", b.gamma,
                               "CL-2");
    EXPECT_EQ(b.a.add_meeting_notice(notice(b.beta, at(Date(2026, 4, 15), 9), at(Date(2026, 4, 16), 10))).id, "N00002");
}

// ---------------------------------------------------------------- AS-3 status reports

TEST(StatusReports, WeeklyOnMondaysMonthlyOnThe1st) {
    Book b;
    ASSERT_EQ(b.a.status_reports().size(), 4u);
    EXPECT_EQ(b.a.status_reports()[0].id, "W00001");
    EXPECT_EQ(b.a.status_reports()[0].kind, ReportKind::Weekly);
    EXPECT_EQ(b.a.status_reports()[1].kind, ReportKind::Monthly);
    const aecore::StatusReport& w =
        b.a.submit_status_report(status(ReportKind::Weekly, "S0003", Date(2026, 4, 13), at(Date(2026, 4, 13), 18)));
    EXPECT_EQ(w.id, "W00005");
    EXPECT_EQ(w.period, Date(2026, 4, 13));
    EXPECT_EQ(w.summary, "status");
    // the same period from another author, or of the other kind, is a different report
    b.a.submit_status_report(status(ReportKind::Weekly, "S0004", Date(2026, 4, 13), at(Date(2026, 4, 20), 9)));
    b.a.submit_status_report(status(ReportKind::Monthly, "S0003", Date(2026, 6, 1), at(Date(2026, 6, 30), 9)));
}

TEST(StatusReportsRefused, WrongPeriodDuplicateOrEarlySubmission) {
    Book b;
    expect_refused<ValidationError>(
        b.a,
        [](Agency& g) { g.submit_status_report(status(ReportKind::Weekly, "S0003", Date(2026, 4, 14), at(Date(2026, 4, 20), 9))); },
        "status_report.period", "2026-04-14", "AS-3");
    expect_refused<ValidationError>(
        b.a,
        [](Agency& g) { g.submit_status_report(status(ReportKind::Monthly, "S0003", Date(2026, 4, 2), at(Date(2026, 4, 30), 9))); },
        "status_report.period", "2026-04-02", "AS-3");
    const auto dup = book::refused_unchanged<ValidationError>(b.a, [](Agency& g) {
        g.submit_status_report(status(ReportKind::Weekly, "S0003", Date(2026, 4, 6), at(Date(2026, 4, 14), 9)));
    });
    book::expect_names(std::optional<aecore::Error>(dup), "status_report.period", "2026-04-06", "AS-3");
    ASSERT_TRUE(dup.has_value());
    EXPECT_TRUE(contains(dup->what(), "W00001")) << dup->what();
    // a loaded book knows its reports as well
    Agency loaded = Agency::from_json(b.a.to_json());
    const auto again = book::refused_unchanged<ValidationError>(loaded, [](Agency& g) {
        g.submit_status_report(status(ReportKind::Weekly, "S0003", Date(2026, 4, 6), at(Date(2026, 4, 14), 9)));
    });
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE(contains(again->what(), "W00001")) << again->what();
    expect_refused<ValidationError>(
        b.a,
        [](Agency& g) { g.submit_status_report(status(ReportKind::Weekly, "S0003", Date(2026, 4, 13), at(Date(2026, 4, 12), 9))); },
        "status_report.submitted_at", "2026-04-12T09:00:00", "AS-3");
    expect_refused<NotFoundError>(
        b.a,
        [](Agency& g) { g.submit_status_report(status(ReportKind::Weekly, "S0009", Date(2026, 4, 13), at(Date(2026, 4, 20), 9))); },
        "status_report.author", "S0009", "AS-3");
    expect_refused<ValidationError>(
        b.a, [](Agency& g) { g.submit_status_report(status(ReportKind::Weekly, "S0003", Date(), at(Date(2026, 4, 20), 9))); },
        "status_report.period", "", "AS-3");
}

// ---------------------------------------------------------------- AS-4 audit: the compliant book

TEST(Audit, CompliantBookHasNoFindings) {
    const Book b;
    EXPECT_EQ(dump(b.a.audit(kAsOf)), "");
    EXPECT_EQ(dump(b.a.audit(Date(2026, 4, 14))), "");
}

TEST(Audit, InvalidAsOfIsRefused) {
    const Book b;
    try {
        (void)b.a.audit(Date());
        FAIL() << "accepted";
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.field(), "as_of");
        EXPECT_EQ(e.rule(), "AS-4");
    }
}

// ---------------------------------------------------------------- ST-2 span of control

TEST(AuditSpanOfControl, AnAMWithFourAEs) {
    Book b;
    b.a.add_staff(book::person("Extra One", aecore::Title::AE, "S0002"));   // S0006
    EXPECT_EQ(dump(of_rule(b.a.audit(kAsOf), "ST-2")), "") << "three AEs is within 1..3";
    b.a.add_staff(book::person("Extra Two", aecore::Title::AE, "S0002"));   // S0007
    const auto f = of_rule(b.a.audit(kAsOf), "ST-2");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].severity, Severity::Advice);
    EXPECT_EQ(f[0].subject, "S0002");
    EXPECT_FALSE(f[0].due.has_value());
    EXPECT_TRUE(contains(f[0].message, "4 AEs")) << f[0].message;
    // a report who has left does not count
    aecore::StaffUpdate leave;
    leave.active = false;
    b.a.update_staff("S0007", leave);
    EXPECT_EQ(dump(of_rule(b.a.audit(kAsOf), "ST-2")), "");
}

TEST(AuditSpanOfControl, AnAMOrADWithNobody) {
    Book b;
    b.a.add_staff(book::person("Lonely AM", aecore::Title::AM, "S0001"));  // S0006, no AEs
    b.a.add_staff(book::person("Lonely AD", aecore::Title::AD));           // S0007, no AMs
    const auto f = of_rule(b.a.audit(kAsOf), "ST-2");
    ASSERT_EQ(f.size(), 2u) << dump(f);
    EXPECT_EQ(f[0].subject, "S0006");
    EXPECT_TRUE(contains(f[0].message, "0 AEs")) << f[0].message;
    EXPECT_EQ(f[1].subject, "S0007");
    EXPECT_TRUE(contains(f[1].message, "0 AMs")) << f[1].message;
    EXPECT_EQ(f[1].severity, Severity::Advice);
}

TEST(AuditSpanOfControl, BoundsComeFromThePolicy) {
    Book b;
    b.a.policy().set_span_of_control(2, 3);  // the AD has one AM
    const auto f = of_rule(b.a.audit(kAsOf), "ST-2");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].subject, "S0001");
    EXPECT_TRUE(contains(f[0].message, "1 AM;")) << f[0].message;
}

// ---------------------------------------------------------------- ST-3 account team

TEST(AuditAccountTeam, OwnerWhoLeftIsAFindingUntilReassigned) {
    Book b;
    aecore::StaffUpdate leave;
    leave.active = false;
    b.a.update_staff("S0004", leave);
    const auto f = of_rule(b.a.audit(kAsOf), "ST-3");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].severity, Severity::Warning);
    EXPECT_EQ(f[0].subject, b.beta);
    EXPECT_TRUE(contains(f[0].message, "S0004")) << f[0].message;
    b.a.assign_team(b.beta, book::owner("S0003"), Date(2026, 4, 15), "Liu Yang left");
    EXPECT_EQ(dump(of_rule(b.a.audit(kAsOf), "ST-3")), "");
}

TEST(AuditAccountTeam, SupportingMemberWhoLeft) {
    Book b;
    aecore::StaffUpdate leave;
    leave.active = false;
    b.a.update_staff("S0005", leave);  // ACME's AAE
    const auto f = of_rule(b.a.audit(kAsOf), "ST-3");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].subject, b.acme);
    EXPECT_TRUE(contains(f[0].message, "AAE S0005")) << f[0].message;
}

// ST-3: the owner must be an AE. Someone promoted out of the title no longer is.
TEST(AuditAccountTeam, OwnerWhoIsNoLongerAnAE) {
    Book b;
    aecore::StaffUpdate promote;
    promote.title = aecore::Title::AM;
    b.a.update_staff("S0004", promote);
    const auto f = of_rule(b.a.audit(kAsOf), "ST-3");
    ASSERT_EQ(f.size(), 1u) << "BETA's owner S0004 is now an AM:\n" << dump(b.a.audit(kAsOf));
    EXPECT_EQ(f[0].subject, b.beta);
}

// ---------------------------------------------------------------- CL-3 primary contact

TEST(AuditPrimaryContact, ClientWithoutPrimaryContact) {
    Book b;
    const std::string delta = b.a.register_client(client_spec("Delta", "DELTA", "CD", Date(2026, 4, 1))).code;
    b.a.add_contact(delta, book::contact("Wu", aecore::DecisionRole::Executor));
    auto f = of_rule(b.a.audit(kAsOf), "CL-3");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].severity, Severity::Advice);
    EXPECT_EQ(f[0].subject, delta);
    EXPECT_TRUE(contains(f[0].message, "Delta")) << f[0].message;
    b.a.set_primary_contact(delta, "K01");
    EXPECT_EQ(dump(of_rule(b.a.audit(kAsOf), "CL-3")), "");
}

// ---------------------------------------------------------------- CL-4 contact cadence

TEST(AuditContactCadence, OverdueClientsAreFindings) {
    const Book b;
    EXPECT_EQ(dump(of_rule(b.a.audit(kAsOf), "CL-4")), "");
    const auto f = of_rule(b.a.audit(Date(2026, 4, 17)), "CL-4");
    ASSERT_EQ(f.size(), 2u) << dump(f);
    EXPECT_EQ(f[0].subject, b.acme);  // home city: due the day after Tuesday's meeting
    EXPECT_EQ(f[0].due, std::optional<Date>(Date(2026, 4, 15)));
    EXPECT_EQ(f[0].severity, Severity::Warning);
    EXPECT_TRUE(contains(f[0].message, "2026-04-14")) << f[0].message;
    EXPECT_EQ(f[1].subject, b.beta);  // elsewhere: 3 business days after Monday's call
    EXPECT_EQ(f[1].due, std::optional<Date>(Date(2026, 4, 16)));
    // one finding per overdue_contacts row
    EXPECT_EQ(b.a.overdue_contacts(Date(2026, 4, 17)).size(), f.size());
}

// ---------------------------------------------------------------- CL-6 follow-ups

TEST(AuditFollowUp, OverdueFollowUpIsAWarning) {
    const Book b;
    EXPECT_EQ(dump(of_rule(b.a.audit(Date(2026, 4, 16)), "CL-6")), "") << "due today is not overdue";
    const auto f = of_rule(b.a.audit(Date(2026, 4, 17)), "CL-6");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].severity, Severity::Warning);
    EXPECT_EQ(f[0].subject, b.beta);
    EXPECT_EQ(f[0].due, std::optional<Date>(Date(2026, 4, 16)));
    EXPECT_TRUE(contains(f[0].message, "Negotiating")) << f[0].message;
}

TEST(AuditFollowUp, NegotiatingLongerThanAMonthIsAnAdvice) {
    Book b;
    // keep following up every three days so that only the one-month advice remains
    for (const Date& d : {Date(2026, 4, 16), Date(2026, 4, 20), Date(2026, 4, 23), Date(2026, 4, 27),
                          Date(2026, 4, 30), Date(2026, 5, 4)})
        b.a.log_activity(activity(ActivityKind::Call, at(d, 10), b.beta, "S0004"));
    EXPECT_EQ(dump(of_rule(b.a.audit(Date(2026, 5, 6)), "CL-6")), "") << "a month to the day is still in time";
    const auto f = of_rule(b.a.audit(Date(2026, 5, 7)), "CL-6");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].severity, Severity::Advice);
    EXPECT_EQ(f[0].subject, b.beta);
    EXPECT_EQ(f[0].due, std::optional<Date>(Date(2026, 5, 6)));
    EXPECT_TRUE(contains(f[0].message, "2026-04-06")) << f[0].message;
    // closing the deal ends the advice
    b.a.set_stage(b.beta, PipelineStage::Closed, Date(2026, 5, 7));
    EXPECT_EQ(dump(of_rule(b.a.audit(Date(2026, 5, 7)), "CL-6")), "");
}

// ---------------------------------------------------------------- AS-1 contact reports

TEST(AuditContactReports, MissingAfter48Hours) {
    Book b;
    const std::string m = b.a.log_activity(activity(ActivityKind::Visit, at(Date(2026, 4, 13), 10), b.beta, "S0004")).id;
    EXPECT_EQ(dump(of_rule(b.a.audit(Date(2026, 4, 14)), "AS-1")), "") << "not yet due";
    const auto f = of_rule(b.a.audit(kAsOf), "AS-1");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].severity, Severity::Warning);
    EXPECT_EQ(f[0].subject, m);
    EXPECT_EQ(f[0].due, std::optional<Date>(Date(2026, 4, 15)));
    EXPECT_TRUE(contains(f[0].message, "2026-04-15T10:00")) << f[0].message;
    b.a.add_contact_report(report(m, at(Date(2026, 4, 15), 9, 59), "S0004"));
    EXPECT_EQ(dump(of_rule(b.a.audit(kAsOf), "AS-1")), "") << "written within 48 hours";
}

TEST(AuditContactReports, NotYetDueAt47Hours) {
    Book b;
    // at the close of Tuesday 04-14, 47 hours have passed since Monday 01:00
    b.a.log_activity(activity(ActivityKind::Visit, at(Date(2026, 4, 13), 1), b.beta, "S0004"));
    EXPECT_EQ(dump(of_rule(b.a.audit(Date(2026, 4, 14)), "AS-1")), "");
    EXPECT_EQ(of_rule(b.a.audit(kAsOf), "AS-1").size(), 1u);
}

TEST(AuditContactReports, LateReportIsAnAdvice) {
    Book b;
    const std::string m = b.a.log_activity(activity(ActivityKind::Visit, at(Date(2026, 4, 13), 10), b.beta, "S0004")).id;
    b.a.add_contact_report(report(m, at(Date(2026, 4, 15), 11), "S0004"));
    const auto f = of_rule(b.a.audit(kAsOf), "AS-1");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].severity, Severity::Advice);
    EXPECT_EQ(f[0].subject, m);
    EXPECT_EQ(f[0].due, std::optional<Date>(Date(2026, 4, 15)));
    EXPECT_TRUE(contains(f[0].message, "2026-04-15T11:00")) << f[0].message;
}

TEST(AuditContactReports, OnlyMeetingsVisitsAndImportantCallsNeedOne) {
    Book b;
    b.a.log_activity(activity(ActivityKind::Email, at(Date(2026, 4, 13), 10), b.beta, "S0004"));
    b.a.log_activity(activity(ActivityKind::Call, at(Date(2026, 4, 13), 11), b.beta, "S0004"));
    EXPECT_EQ(dump(of_rule(b.a.audit(kAsOf), "AS-1")), "");
    aecore::NewActivity important = activity(ActivityKind::Call, at(Date(2026, 4, 13), 12), b.beta, "S0004");
    important.important = true;
    const std::string id = b.a.log_activity(important).id;
    const auto f = of_rule(b.a.audit(kAsOf), "AS-1");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].subject, id);
}

// ---------------------------------------------------------------- AS-2 meeting notices

TEST(AuditMeetingNotices, MeetingWithoutANotice) {
    Book b;
    const std::string m = b.a.log_activity(activity(ActivityKind::Meeting, at(Date(2026, 4, 13), 10), b.beta, "S0004")).id;
    b.a.add_contact_report(report(m, at(Date(2026, 4, 13), 12), "S0004"));
    const auto f = of_rule(b.a.audit(kAsOf), "AS-2");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].severity, Severity::Warning);
    EXPECT_EQ(f[0].subject, m);
    EXPECT_EQ(f[0].due, std::optional<Date>(Date(2026, 4, 10)));  // the business day before Monday
    EXPECT_TRUE(contains(f[0].message, "without a meeting notice")) << f[0].message;
    // a future meeting is not audited yet
    b.a.log_activity(activity(ActivityKind::Meeting, at(Date(2026, 4, 16), 10), b.beta, "S0004"));
    EXPECT_EQ(of_rule(b.a.audit(kAsOf), "AS-2").size(), 1u);
}

TEST(AuditMeetingNotices, NoticeIssuedTheDayOfTheMeetingIsLate) {
    Book b;
    const std::string late = b.a.add_meeting_notice(notice(b.beta, at(Date(2026, 4, 13), 8), at(Date(2026, 4, 13), 10),
                                                           "S0004"))
                                 .id;
    const std::string on_time = b.a.add_meeting_notice(notice(b.beta, at(Date(2026, 4, 10), 17), at(Date(2026, 4, 13), 15),
                                                              "S0004"))
                                    .id;  // Friday for Monday: one business day ahead
    const auto f = of_rule(b.a.audit(kAsOf), "AS-2");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].severity, Severity::Warning);
    EXPECT_EQ(f[0].subject, late);
    EXPECT_EQ(f[0].due, std::optional<Date>(Date(2026, 4, 10)));
    EXPECT_TRUE(contains(f[0].message, "2026-04-13T08:00")) << f[0].message;
    EXPECT_NE(on_time, late);
}

TEST(AuditMeetingNotices, IncompleteNoticeListsTheMissingElements) {
    Book b;
    aecore::NewMeetingNotice n = notice(b.beta, at(Date(2026, 4, 10), 9), at(Date(2026, 4, 14), 10), "S0004");
    n.attendees.clear();
    n.agenda.clear();
    const std::string id = b.a.add_meeting_notice(n).id;
    const auto f = of_rule(b.a.audit(kAsOf), "AS-2");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].subject, id);
    EXPECT_TRUE(contains(f[0].message, "who (attendees)")) << f[0].message;
    EXPECT_TRUE(contains(f[0].message, "how (agenda)")) << f[0].message;
    EXPECT_FALSE(contains(f[0].message, "where")) << f[0].message;
    EXPECT_FALSE(contains(f[0].message, "topic")) << f[0].message;
}

// A notice issued after the meeting it is linked to did not announce it: either the
// link is refused or the audit reports the meeting.
TEST(AuditMeetingNotices, NoticeIssuedAfterTheLinkedMeeting) {
    Book b;
    const std::string n =
        b.a.add_meeting_notice(notice(b.beta, at(Date(2026, 4, 14), 9), at(Date(2026, 4, 16), 10), "S0004")).id;
    aecore::NewActivity m = activity(ActivityKind::Meeting, at(Date(2026, 4, 13), 10), b.beta, "S0004");
    m.notice = n;
    try {
        const std::string id = b.a.log_activity(m).id;
        b.a.add_contact_report(report(id, at(Date(2026, 4, 13), 12), "S0004"));
        const auto f = of_rule(b.a.audit(kAsOf), "AS-2");
        EXPECT_EQ(f.size(), 1u) << "the meeting of 04-13 had no notice issued before it:\n" << dump(f);
    } catch (const ValidationError& e) {
        EXPECT_EQ(e.rule(), "AS-2") << e.what();
        EXPECT_EQ(e.field(), "activity.notice") << e.what();
    }
}

// ---------------------------------------------------------------- AS-3 status reports

TEST(AuditStatusReports, MissingWeeklyReportForLastWeekUntilFiled) {
    Book b;
    const Date wednesday(2026, 4, 22);  // the week of 04-13 was due Monday 04-20
    auto f = of_rule(b.a.audit(wednesday), "AS-3");
    ASSERT_EQ(f.size(), 2u) << dump(f);
    EXPECT_EQ(f[0].subject, "S0003");
    EXPECT_EQ(f[1].subject, "S0004");
    EXPECT_EQ(f[0].severity, Severity::Warning);
    EXPECT_EQ(f[0].due, std::optional<Date>(Date(2026, 4, 20)));
    EXPECT_TRUE(contains(f[0].message, "2026-04-13")) << f[0].message;
    b.a.submit_status_report(status(ReportKind::Weekly, "S0003", Date(2026, 4, 13), at(Date(2026, 4, 20), 9)));
    f = of_rule(b.a.audit(wednesday), "AS-3");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].subject, "S0004");
    // only owners are asked: the AAE, AM and AD are not
    for (const Finding& x : f) EXPECT_NE(x.subject, "S0005");
}

TEST(AuditStatusReports, DueOnMondayAtTheCloseOfBusiness) {
    Book b;
    EXPECT_EQ(of_rule(b.a.audit(Date(2026, 4, 20)), "AS-3").size(), 2u);
    b.a.submit_status_report(status(ReportKind::Weekly, "S0003", Date(2026, 4, 13), at(Date(2026, 4, 20), 17, 59)));
    b.a.submit_status_report(status(ReportKind::Weekly, "S0004", Date(2026, 4, 13), at(Date(2026, 4, 20), 23, 59)));
    EXPECT_EQ(dump(of_rule(b.a.audit(Date(2026, 4, 20)), "AS-3")), "");
}

TEST(AuditStatusReports, MissingMonthlySummary) {
    Book b;
    for (const char* ae : {"S0003", "S0004"}) {
        b.a.submit_status_report(status(ReportKind::Weekly, ae, Date(2026, 4, 27), at(Date(2026, 5, 4), 9)));
    }
    b.a.submit_status_report(status(ReportKind::Monthly, "S0003", Date(2026, 4, 1), at(Date(2026, 4, 30), 17)));
    const auto f = of_rule(b.a.audit(Date(2026, 5, 6)), "AS-3");
    ASSERT_EQ(f.size(), 1u) << dump(f);
    EXPECT_EQ(f[0].subject, "S0004");
    EXPECT_EQ(f[0].due, std::optional<Date>(Date(2026, 4, 30)));
    EXPECT_TRUE(contains(f[0].message, "2026-04")) << f[0].message;
    b.a.submit_status_report(status(ReportKind::Monthly, "S0004", Date(2026, 4, 1), at(Date(2026, 5, 5), 9)));
    EXPECT_EQ(dump(of_rule(b.a.audit(Date(2026, 5, 6)), "AS-3")), "");
}

// The monthly summary is due on the month's last business day; at the close of that
// day a missing summary is a finding, as the weekly report is on its Monday.
TEST(AuditStatusReports, MonthlySummaryIsDueOnTheLastBusinessDay) {
    Book b;
    for (const char* ae : {"S0003", "S0004"})
        b.a.submit_status_report(status(ReportKind::Weekly, ae, Date(2026, 4, 20), at(Date(2026, 4, 27), 9)));
    const Date last_business_day(2026, 4, 30);  // Thursday
    const auto f = of_rule(b.a.audit(last_business_day), "AS-3");
    ASSERT_EQ(f.size(), 2u) << "the April summaries are due today and missing:\n" << dump(f);
    EXPECT_EQ(f[0].due, std::optional<Date>(last_business_day));
    EXPECT_TRUE(contains(f[0].message, "2026-04")) << f[0].message;
}

// ---------------------------------------------------------------- AS-4 order and determinism

// A book that breaks a bit of everything as of 2026-05-07.
Book troubled_book() {
    Book b;
    b.a.add_staff(book::person("Lonely AM", aecore::Title::AM, "S0001"));
    const std::string delta = b.a.register_client(client_spec("Delta", "DELTA", "SH", Date(2026, 4, 1),
                                                              PipelineStage::Negotiating, "S0004"))
                                  .code;
    (void)delta;
    b.a.log_activity(activity(ActivityKind::Meeting, at(Date(2026, 4, 20), 10), b.beta, "S0004"));
    aecore::NewMeetingNotice n = notice(b.acme, at(Date(2026, 4, 28), 9), at(Date(2026, 4, 28), 15));
    n.location.clear();
    b.a.add_meeting_notice(n);
    const std::string visit = b.a.log_activity(activity(ActivityKind::Visit, at(Date(2026, 4, 21), 10), b.acme)).id;
    b.a.add_contact_report(report(visit, at(Date(2026, 4, 24), 10)));
    aecore::StaffUpdate leave;
    leave.active = false;
    b.a.update_staff("S0005", leave);
    return b;
}

TEST(AuditOrder, SortedBySeverityRuleSubjectDueMessage) {
    const Book b = troubled_book();
    const auto all = b.a.audit(Date(2026, 5, 7));
    ASSERT_GE(all.size(), 10u) << dump(all);
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), aecore::finding_less)) << dump(all);
    auto key = [](const Finding& f) { return std::tie(f.severity, f.rule, f.subject, f.due, f.message); };
    for (std::size_t i = 1; i < all.size(); ++i) EXPECT_FALSE(key(all[i]) < key(all[i - 1])) << dump(all);
    // errors before warnings before advice
    EXPECT_LT(static_cast<int>(Severity::Error), static_cast<int>(Severity::Warning));
    EXPECT_LT(static_cast<int>(Severity::Warning), static_cast<int>(Severity::Advice));
    EXPECT_EQ(all.back().severity, Severity::Advice);
    // every rule of the audit shows up
    for (const char* rule : {"ST-2", "ST-3", "CL-3", "CL-4", "CL-6", "AS-1", "AS-2", "AS-3"})
        EXPECT_FALSE(of_rule(all, rule).empty()) << rule << " missing from\n" << dump(all);
}

TEST(AuditOrder, FindingLessOrdersByEachKeyInTurn) {
    const Finding base{"CL-4", Severity::Warning, "B", "m", Date(2026, 4, 2)};
    Finding f = base;
    f.severity = Severity::Error;
    EXPECT_TRUE(aecore::finding_less(f, base));
    f = base;
    f.rule = "AS-1";
    EXPECT_TRUE(aecore::finding_less(f, base));
    f = base;
    f.subject = "A";
    f.rule = "CL-4";
    EXPECT_TRUE(aecore::finding_less(f, base));
    f = base;
    f.due = Date(2026, 4, 1);
    EXPECT_TRUE(aecore::finding_less(f, base));
    f = base;
    f.due = std::nullopt;  // no due date sorts first
    EXPECT_TRUE(aecore::finding_less(f, base));
    f = base;
    f.message = "z";
    EXPECT_FALSE(aecore::finding_less(f, base));
    EXPECT_TRUE(aecore::finding_less(base, f));
    EXPECT_FALSE(aecore::finding_less(base, base));
}

TEST(AuditOrder, DeterministicAcrossCallsAndIndependentBuilds) {
    const Book one = troubled_book();
    const Book two = troubled_book();
    const auto first = one.a.audit(Date(2026, 5, 7));
    EXPECT_EQ(one.a.audit(Date(2026, 5, 7)), first);
    EXPECT_EQ(two.a.audit(Date(2026, 5, 7)), first);
    const Agency copy = one.a;
    EXPECT_EQ(copy.audit(Date(2026, 5, 7)), first);
}

TEST(AuditOrder, SameFindingsAfterAJsonRoundTrip) {
    const Book b = troubled_book();
    const Agency loaded = Agency::from_json(b.a.to_json());
    EXPECT_EQ(loaded.audit(Date(2026, 5, 7)), b.a.audit(Date(2026, 5, 7)));
}

// ---------------------------------------------------------------- AS-4 audits of earlier days

// A book with findings as of 04-15: BETA's meeting of Monday 04-13 had neither a notice
// nor a contact report.
Book book_with_findings() {
    Book b;
    b.a.log_activity(activity(ActivityKind::Meeting, at(Date(2026, 4, 13), 10), b.beta, "S0004"));
    return b;
}

TEST(AuditHistory, LaterActivitiesReportsNoticesAndStatusReportsAreIgnored) {
    Book b = book_with_findings();
    const auto before = b.a.audit(kAsOf);
    ASSERT_EQ(before.size(), 2u) << dump(before);
    // everything below happens after the close of 04-15
    b.a.add_contact_report(report("A000003", at(Date(2026, 4, 16), 9), "S0004"));
    b.a.log_activity(activity(ActivityKind::Call, at(Date(2026, 4, 16), 9), b.acme));
    b.a.log_activity(activity(ActivityKind::Meeting, at(Date(2026, 4, 16), 0), b.beta, "S0004"));
    aecore::NewMeetingNotice incomplete = notice(b.beta, at(Date(2026, 4, 16), 0), at(Date(2026, 4, 17), 10), "S0004");
    incomplete.topic.clear();
    b.a.add_meeting_notice(incomplete);
    b.a.submit_status_report(status(ReportKind::Weekly, "S0003", Date(2026, 4, 13), at(Date(2026, 4, 20), 9)));
    b.a.submit_status_report(status(ReportKind::Monthly, "S0004", Date(2026, 4, 1), at(Date(2026, 4, 30), 9)));
    b.a.add_staff(book::person("New AE", aecore::Title::AE, "S0002"));
    EXPECT_EQ(dump(b.a.audit(kAsOf)), dump(before));
    EXPECT_EQ(b.a.audit(kAsOf), before);
    // and today's audit does see them
    EXPECT_NE(b.a.audit(Date(2026, 4, 17)), before);
}

TEST(AuditHistory, ClientsFirstContactedLaterAreIgnored) {
    Book b = book_with_findings();
    const auto before = b.a.audit(kAsOf);
    // first contacted after as_of, no contacts yet, Negotiating
    b.a.register_client(client_spec("Epsilon", "EPS", "SH", Date(2026, 4, 20), PipelineStage::Negotiating, "S0004"));
    EXPECT_EQ(dump(b.a.audit(kAsOf)), dump(before));
}

TEST(AuditHistory, StageChangesAfterAsOfAreIgnored) {
    Book b;
    for (const Date& d : {Date(2026, 4, 16), Date(2026, 4, 20), Date(2026, 4, 23), Date(2026, 4, 27),
                          Date(2026, 4, 30), Date(2026, 5, 4)})
        b.a.log_activity(activity(ActivityKind::Call, at(d, 10), b.beta, "S0004"));
    const Date as_of(2026, 5, 7);
    const auto before = b.a.audit(as_of);
    ASSERT_EQ(of_rule(before, "CL-6").size(), 1u) << dump(before);  // negotiating for more than a month
    b.a.set_stage(b.beta, PipelineStage::Closed, Date(2026, 5, 11), "signed");
    EXPECT_EQ(dump(b.a.audit(as_of)), dump(before));
}

TEST(AuditHistory, OverdueFollowUpMessageNamesTheStageOfThatDay) {
    Book b;
    const auto before = b.a.audit(Date(2026, 4, 17));
    ASSERT_EQ(of_rule(before, "CL-6").size(), 1u) << dump(before);
    b.a.set_stage(b.beta, PipelineStage::Potential, Date(2026, 4, 30), "went quiet");
    EXPECT_EQ(dump(b.a.audit(Date(2026, 4, 17))), dump(before));
}

TEST(AuditHistory, TeamChangesAfterAsOfAreIgnored) {
    Book b;
    ASSERT_EQ(dump(b.a.audit(kAsOf)), "");
    b.a.add_staff(book::person("New AE", aecore::Title::AE, "S0002"));  // S0006
    b.a.assign_team(b.beta, book::owner("S0006"), Date(2026, 4, 20), "handover");
    // on 04-15 BETA still belonged to S0004, who filed every report; S0006 owned nothing
    EXPECT_EQ(dump(b.a.audit(kAsOf)), "");
}

}  // namespace
