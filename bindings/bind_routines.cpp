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
        .def_readonly("id", &Activity::id)
        .def_readonly("kind", &Activity::kind)
        .def_readonly("when", &Activity::when)
        .def_readonly("client", &Activity::client)
        .def_readonly("staff", &Activity::staff)
        .def_readonly("contacts", &Activity::contacts)
        .def_readonly("summary", &Activity::summary)
        .def_readonly("important", &Activity::important)
        .def_readonly("notice", &Activity::notice)
        .def_property_readonly("needs_contact_report", &Activity::needs_contact_report,
                               "AS-1: meetings, visits and important calls need a contact report.");
    py::class_<ContactReport>(m, "ContactReport", "AS-1: the written record of a meeting or important call.")
        .def_readonly("id", &ContactReport::id)
        .def_readonly("activity", &ContactReport::activity)
        .def_readonly("written_at", &ContactReport::written_at)
        .def_readonly("author", &ContactReport::author)
        .def_readonly("summary", &ContactReport::summary)
        .def_readonly("distribution_contacts", &ContactReport::distribution_contacts)
        .def_readonly("distribution_staff", &ContactReport::distribution_staff);
    py::class_<MeetingNotice>(m, "MeetingNotice", "AS-2: a 5W1H meeting notice.")
        .def_readonly("id", &MeetingNotice::id)
        .def_readonly("client", &MeetingNotice::client)
        .def_readonly("author", &MeetingNotice::author)
        .def_readonly("issued_at", &MeetingNotice::issued_at)
        .def_readonly("meeting_at", &MeetingNotice::meeting_at)
        .def_readonly("attendees", &MeetingNotice::attendees)
        .def_readonly("location", &MeetingNotice::location)
        .def_readonly("topic", &MeetingNotice::topic)
        .def_readonly("items_to_confirm", &MeetingNotice::items_to_confirm)
        .def_readonly("agenda", &MeetingNotice::agenda)
        .def("missing_elements", &MeetingNotice::missing_elements, "The 5W1H elements still missing.");
    py::class_<StatusReport>(m, "StatusReport", "AS-3: a weekly status report or monthly work summary.")
        .def_readonly("id", &StatusReport::id)
        .def_readonly("kind", &StatusReport::kind)
        .def_readonly("author", &StatusReport::author)
        .def_readonly("period", &StatusReport::period)
        .def_readonly("submitted_at", &StatusReport::submitted_at)
        .def_readonly("summary", &StatusReport::summary);
    py::class_<Finding>(m, "Finding", "AS-4: one audit finding.")
        .def_readonly("rule", &Finding::rule, "SPEC.md rule id, e.g. 'CL-4'.")
        .def_readonly("severity", &Finding::severity)
        .def_readonly("subject", &Finding::subject, "Id of what the finding is about (client code, staff id, ...).")
        .def_readonly("message", &Finding::message)
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
            "Log a call, meeting, e-mail or visit with a client (when: datetime.datetime; contacts: contact ids).")
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
            "AS-1: the contact report of a meeting, visit or important call (due within 48 h).")
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
            "AS-2: a meeting notice; meeting_at is required, the rest of 5W1H is checked by the audit.")
        .def(
            "submit_status_report",
            [](Agency& a, ReportKind kind, std::string author, const Date& period, const DateTime& submitted_at,
               std::string summary) {
                return a.submit_status_report(
                    NewStatusReport{kind, std::move(author), period, submitted_at, std::move(summary)});
            },
            py::arg("kind"), py::kw_only(), py::arg("author"), py::arg("period"), py::arg("submitted_at"),
            py::arg("summary") = "", py::return_value_policy::copy,
            "AS-3: a weekly report (period = Monday of the week) or monthly summary (period = the 1st).")
        .def_property_readonly("activities", [](const Agency& a) { return a.activities(); })
        .def_property_readonly("contact_reports", [](const Agency& a) { return a.contact_reports(); })
        .def_property_readonly("meeting_notices", [](const Agency& a) { return a.meeting_notices(); })
        .def_property_readonly("status_reports", [](const Agency& a) { return a.status_reports(); })
        .def("get_activity", &Agency::activity, py::arg("id"), py::return_value_policy::copy)
        .def("get_meeting_notice", &Agency::meeting_notice, py::arg("id"), py::return_value_policy::copy)
        .def("audit_findings", &Agency::audit, py::arg("as_of"),
             "AS-4: every finding as a sorted list (Agency.audit wraps this in an AuditReport).");
}

}  // namespace aecore::bind
