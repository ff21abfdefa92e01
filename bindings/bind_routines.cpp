// Account-service routines (AS-1..AS-3) and the audit (AS-4) for Python.

#include <pybind11/stl.h>

#include "aecore/agency.hpp"
#include "casters.hpp"

namespace py = pybind11;

namespace aecore::bind {

void routines(py::module_& m) {
    native_enum_from_names<ActivityKind>(m, "Kinds of client contact: call, meeting, e-mail, visit.");
    native_enum_from_names<ReportKind>(m, "AS-3 status reports: weekly report or monthly work summary.");
    native_enum_from_names<Severity>(m, "Audit finding severity.");

    py::class_<Activity>(m, "Activity", "A logged client contact (snapshot).")
        .def_readonly("id", &Activity::id, "Activity id (str), e.g. 'A000001'.")
        .def_readonly("kind", &Activity::kind, "aecore.ActivityKind: call, meeting, e-mail or visit.")
        .def_readonly("when", &Activity::when, "When the contact took place (datetime.datetime, agency local time).")
        .def_readonly("client", &Activity::client, "Client code (str).")
        .def_readonly("staff", &Activity::staff, "Staff id of who made the contact (str).")
        .def_readonly("contacts", &Activity::contacts, "Ids of the client's contacts involved (list of str).")
        .def_readonly("summary", &Activity::summary, "What was discussed (str).")
        .def_readonly("important", &Activity::important,
                      "True for an important call, which needs a contact report (AS-1).")
        .def_readonly("notice", &Activity::notice, "Id of the meeting notice of a meeting (AS-2), or None.")
        .def_property_readonly("needs_contact_report", &Activity::needs_contact_report,
                               "AS-1: meetings, visits and important calls need a contact report.");
    py::class_<ContactReport>(m, "ContactReport", "AS-1: the written record of a meeting or important call.")
        .def_readonly("id", &ContactReport::id, "Contact report id (str), e.g. 'R00001'.")
        .def_readonly("activity", &ContactReport::activity, "Id of the activity it reports on (str).")
        .def_readonly("written_at", &ContactReport::written_at,
                      "When it was written (datetime.datetime); on time within 48 h of the activity (AS-1).")
        .def_readonly("author", &ContactReport::author, "Staff id of the author (str).")
        .def_readonly("summary", &ContactReport::summary, "The report's text (str).")
        .def_readonly("distribution_contacts", &ContactReport::distribution_contacts,
                      "Ids of the client contacts it was sent to (list of str).")
        .def_readonly("distribution_staff", &ContactReport::distribution_staff,
                      "Ids of the staff it was sent to (list of str).");
    py::class_<MeetingNotice>(m, "MeetingNotice", "AS-2: a 5W1H meeting notice.")
        .def_readonly("id", &MeetingNotice::id, "Meeting notice id (str), e.g. 'N00001'.")
        .def_readonly("client", &MeetingNotice::client, "Client code (str).")
        .def_readonly("author", &MeetingNotice::author, "Staff id of the author (str).")
        .def_readonly("issued_at", &MeetingNotice::issued_at,
                      "When it was issued (datetime.datetime); due a business day before the meeting (AS-2).")
        .def_readonly("meeting_at", &MeetingNotice::meeting_at, "When: the meeting's time (datetime.datetime).")
        .def_readonly("attendees", &MeetingNotice::attendees, "Who: the attendees (list of str).")
        .def_readonly("location", &MeetingNotice::location, "Where: the meeting place (str; '' when missing).")
        .def_readonly("topic", &MeetingNotice::topic, "What: the topic (str; '' when missing).")
        .def_readonly("items_to_confirm", &MeetingNotice::items_to_confirm,
                      "What: the items to confirm (str; '' when missing).")
        .def_readonly("agenda", &MeetingNotice::agenda, "How: the agenda (str; '' when missing).")
        .def("missing_elements", &MeetingNotice::missing_elements,
             "AS-2: the 5W1H elements still missing, e.g. ['where (location)'] (list of str; empty when complete).");
    py::class_<StatusReport>(m, "StatusReport", "AS-3: a weekly status report or monthly work summary.")
        .def_readonly("id", &StatusReport::id, "Status report id (str), e.g. 'W00001'.")
        .def_readonly("kind", &StatusReport::kind, "aecore.ReportKind: WEEKLY report or MONTHLY summary.")
        .def_readonly("author", &StatusReport::author, "Staff id of the author (str).")
        .def_readonly("period", &StatusReport::period,
                      "Period reported on (datetime.date): the Monday of the week, or the 1st of the month.")
        .def_readonly("submitted_at", &StatusReport::submitted_at, "When it was submitted (datetime.datetime).")
        .def_readonly("summary", &StatusReport::summary, "The report's text (str).");
    py::class_<Finding>(m, "Finding", "AS-4: one audit finding.")
        .def_readonly("rule", &Finding::rule, "SPEC.md rule id, e.g. 'CL-4'.")
        .def_readonly("severity", &Finding::severity, "aecore.Severity: ERROR, WARNING or ADVICE.")
        .def_readonly("subject", &Finding::subject, "Id of what the finding is about (client code, staff id, ...).")
        .def_readonly("message", &Finding::message, "A sentence an account manager can read aloud (str).")
        .def_readonly("due", &Finding::due, "The date by which it was due, or None.")
        .def("__eq__", [](const Finding& a, const Finding& b) { return a == b; }, py::is_operator());

    auto agency = py::reinterpret_borrow<py::class_<Agency>>(m.attr("Agency"));
    agency
        .def(
            "log_activity",
            [](Agency& a, std::string client, ActivityKind kind, const DateTime& when, std::string staff,
               std::vector<std::string> contacts, std::string summary, bool important, std::optional<std::string> notice) {
                return a.log_activity(NewActivity{kind, when, std::move(client), std::move(staff), std::move(contacts),
                                                  std::move(summary), important, std::move(notice)});
            },
            py::arg("client"), py::arg("kind"), py::arg("when"), py::arg("staff"), py::kw_only(),
            py::arg("contacts") = std::vector<std::string>{}, py::arg("summary") = "", py::arg("important") = false,
            py::arg("notice") = py::none(), py::return_value_policy::copy,
            R"doc(Log a call, meeting, e-mail or visit with a client and return it (id 'A000001', ...).

client: client code; kind: aecore.ActivityKind; when: datetime.datetime; staff: staff id of
who made the contact; contacts: contact ids of the client; important: an important call
needs a contact report (AS-1); notice: the meeting notice id of a meeting (AS-2). Every
activity counts for the contact cadence (CL-4). Raises NotFoundError (CL-1 client, CL-4
staff, CL-3 contact, AS-2 notice), StateError (CL-2, archived client), ValidationError
(CL-4 before the first contact, inactive staff; AS-2 a notice of another client, issued
after the meeting or on a non-meeting).)doc")
        .def(
            "add_contact_report",
            [](Agency& a, std::string activity, const DateTime& written_at, std::string author, std::string summary,
               std::vector<std::string> contacts, std::vector<std::string> staff) {
                return a.add_contact_report(NewContactReport{std::move(activity), written_at, std::move(author),
                                                             std::move(summary), std::move(contacts), std::move(staff)});
            },
            py::arg("activity"), py::kw_only(), py::arg("written_at"), py::arg("author"), py::arg("summary") = "",
            py::arg("distribution_contacts") = std::vector<std::string>{},
            py::arg("distribution_staff") = std::vector<std::string>{}, py::return_value_policy::copy,
            R"doc(AS-1: the contact report of a meeting, visit or important call (due within 48 h).

activity: the activity id; written_at: datetime.datetime; author: staff id;
distribution_contacts / distribution_staff: who it goes to. Returns the ContactReport (id
'R00001', ...). Raises NotFoundError (AS-1: unknown activity, contact or staff),
ValidationError (AS-1: an activity that needs no report or already has one, written before
the activity, inactive author).)doc")
        .def(
            "add_meeting_notice",
            [](Agency& a, std::string client, std::string author, const DateTime& issued_at,
               const std::optional<DateTime>& meeting_at, std::vector<std::string> attendees, std::string location,
               std::string topic, std::string items, std::string agenda) {
                return a.add_meeting_notice(NewMeetingNotice{std::move(client), std::move(author), issued_at,
                                                             meeting_at.value_or(DateTime()), std::move(attendees),
                                                             std::move(location), std::move(topic), std::move(items),
                                                             std::move(agenda)});
            },
            py::arg("client"), py::kw_only(), py::arg("author"), py::arg("issued_at"), py::arg("meeting_at"),
            py::arg("attendees") = std::vector<std::string>{}, py::arg("location") = "", py::arg("topic") = "",
            py::arg("items_to_confirm") = "", py::arg("agenda") = "", py::return_value_policy::copy,
            R"doc(AS-2: issue a meeting notice (id 'N00001', ...) for the client `client`.

meeting_at / issued_at: datetime.datetime; attendees, location, topic, items_to_confirm,
agenda: the rest of 5W1H, checked by the audit (missing_elements()). Raises NotFoundError
(CL-1 client, AS-2 author), StateError (CL-2, archived client), ValidationError (AS-2:
meeting_at None, issued after the meeting, inactive author).)doc")
        .def(
            "submit_status_report",
            [](Agency& a, ReportKind kind, std::string author, const Date& period, const DateTime& submitted_at,
               std::string summary) {
                return a.submit_status_report(
                    NewStatusReport{kind, std::move(author), period, submitted_at, std::move(summary)});
            },
            py::arg("kind"), py::kw_only(), py::arg("author"), py::arg("period"), py::arg("submitted_at"),
            py::arg("summary") = "", py::return_value_policy::copy,
            R"doc(AS-3: submit a weekly report (period = Monday of the week) or monthly summary (period = the 1st).

kind: aecore.ReportKind; author: staff id; period: datetime.date; submitted_at:
datetime.datetime. Raises NotFoundError (AS-3, unknown author) or ValidationError (AS-3: a
period that is not a Monday / the 1st, submitted before the period, a second report of the
author for the same period, inactive author).)doc")
        .def_property_readonly("activities", [](const Agency& a) { return a.activities(); },
                               "Every logged Activity (snapshots), in the order logged.")
        .def_property_readonly("contact_reports", [](const Agency& a) { return a.contact_reports(); },
                               "Every ContactReport (snapshots), in the order written (AS-1).")
        .def_property_readonly("meeting_notices", [](const Agency& a) { return a.meeting_notices(); },
                               "Every MeetingNotice (snapshots), in the order issued (AS-2).")
        .def_property_readonly("status_reports", [](const Agency& a) { return a.status_reports(); },
                               "Every StatusReport (snapshots), in the order submitted (AS-3).")
        .def("get_activity", &Agency::activity, py::arg("id"), py::return_value_policy::copy,
             "The Activity with `id` (e.g. 'A000001'); raises NotFoundError (AS-1).")
        .def("get_meeting_notice", &Agency::meeting_notice, py::arg("id"), py::return_value_policy::copy,
             "The MeetingNotice with `id` (e.g. 'N00001'); raises NotFoundError (AS-2).")
        .def("audit_findings", &Agency::audit, py::arg("as_of"), py::call_guard<py::gil_scoped_release>(),
             "AS-4: every finding as a sorted list (Agency.audit wraps this in an AuditReport).");
}

}  // namespace aecore::bind
