// Job tickets and time sheets (JT-1..JT-12) for Python: enums, the Brief (built from
// Python with keyword arguments), read-only ticket and time snapshots, reports, and the
// Agency methods of the traffic workflow.

#include <pybind11/stl.h>

#include "aecore/agency.hpp"
#include "casters.hpp"

namespace py = pybind11;

namespace aecore::bind {

void jobs(py::module_& m) {
    native_enum_from_names<TicketKind>(m, "JT-2: A requisition, B concept worksheet, C revision.");
    native_enum_from_names<TicketStatus>(m, "JT-8: job ticket workflow states.");
    native_enum_from_names<TimeStatus>(m, "JT-10: time entry states; approved and billed entries are locked.");

    py::class_<Deliverable>(m, "Deliverable", "A deliverable of a brief: media and specification.")
        .def(py::init<std::string, std::string>(), py::arg("media"), py::arg("specification") = "")
        .def_readonly("media", &Deliverable::media)
        .def_readonly("specification", &Deliverable::specification)
        .def("__eq__", [](const Deliverable& a, const Deliverable& b) { return a == b; }, py::is_operator());
    py::class_<Brief>(m, "Brief", R"doc(JT-4: what the work must achieve.

Brief(objective=..., target_audience=..., key_message=..., mandatories=..., deliverables=[...],
budget=Money(...)); media briefs add media_objectives, research briefs research_objective,
research_method and research_sample. brief.missing(department) names what is still missing.)doc")
        .def(py::init([](std::string objective, std::string audience, std::string message, std::string mandatories,
                         std::vector<Deliverable> deliverables, std::optional<Money> budget, std::string media,
                         std::string research_objective, std::string method, std::string sample) {
                 return Brief{std::move(objective), std::move(audience), std::move(message), std::move(mandatories),
                              std::move(deliverables), budget, std::move(media), std::move(research_objective),
                              std::move(method), std::move(sample)};
             }),
             py::kw_only(), py::arg("objective") = "", py::arg("target_audience") = "", py::arg("key_message") = "",
             py::arg("mandatories") = "", py::arg("deliverables") = std::vector<Deliverable>{},
             py::arg("budget") = py::none(), py::arg("media_objectives") = "", py::arg("research_objective") = "",
             py::arg("research_method") = "", py::arg("research_sample") = "")
        .def_readonly("objective", &Brief::objective)
        .def_readonly("target_audience", &Brief::target_audience)
        .def_readonly("key_message", &Brief::key_message)
        .def_readonly("mandatories", &Brief::mandatories)
        .def_readonly("deliverables", &Brief::deliverables)
        .def_readonly("budget", &Brief::budget)
        .def_readonly("media_objectives", &Brief::media_objectives)
        .def_readonly("research_objective", &Brief::research_objective)
        .def_readonly("research_method", &Brief::research_method)
        .def_readonly("research_sample", &Brief::research_sample)
        .def("missing", &Brief::missing, py::arg("department"), "JT-4: the elements still missing for a department.")
        .def("__eq__", [](const Brief& a, const Brief& b) { return a == b; }, py::is_operator());
    py::class_<TicketTransition>(m, "TicketTransition", "One step of a ticket's workflow history.")
        .def_readonly("from_status", &TicketTransition::from)
        .def_readonly("to_status", &TicketTransition::to)
        .def_readonly("at", &TicketTransition::at)
        .def_readonly("actor", &TicketTransition::actor)
        .def_readonly("note", &TicketTransition::note);
    py::class_<LeadTimeOverride>(m, "LeadTimeOverride", "JT-6: who overrode the lead time, and why.")
        .def_readonly("approver", &LeadTimeOverride::approver)
        .def_readonly("reason", &LeadTimeOverride::reason);
    py::class_<JobTicket>(m, "JobTicket", "A job ticket (JT-1..JT-9): a snapshot taken from the Agency.")
        .def_readonly("number", &JobTicket::number)
        .def_readonly("kind", &JobTicket::kind)
        .def_readonly("parent", &JobTicket::parent)
        .def_readonly("client", &JobTicket::client)
        .def_readonly("brand", &JobTicket::brand)
        .def_readonly("product", &JobTicket::product)
        .def_readonly("department", &JobTicket::department)
        .def_readonly("job_type", &JobTicket::job_type)
        .def_readonly("title", &JobTicket::title)
        .def_readonly("brief", &JobTicket::brief)
        .def_readonly("cost_estimate", &JobTicket::cost_estimate)
        .def_readonly("client_deadline", &JobTicket::client_deadline)
        .def_readonly("assignees", &JobTicket::assignees)
        .def_readonly("issuer", &JobTicket::issuer)
        .def_readonly("opened_at", &JobTicket::opened_at)
        .def_readonly("lead_time_override", &JobTicket::lead_time_override)
        .def_readonly("plan", &JobTicket::plan, "The approved plan the creative work follows (JT-5).")
        .def_readonly("status", &JobTicket::status)
        .def_readonly("history", &JobTicket::history)
        .def_readonly("revision_rounds", &JobTicket::revision_rounds)
        .def("reached", &JobTicket::reached, py::arg("status"), "When the ticket first reached `status`, or None.")
        .def("__eq__", [](const JobTicket& a, const JobTicket& b) { return a == b; }, py::is_operator());
    py::class_<TimeEntry>(m, "TimeEntry", "JT-10: hours of one person on one job on one day (snapshot).")
        .def_readonly("id", &TimeEntry::id)
        .def_readonly("staff", &TimeEntry::staff)
        .def_readonly("job", &TimeEntry::job)
        .def_readonly("date", &TimeEntry::date)
        .def_readonly("hours", &TimeEntry::hours)
        .def_readonly("activity", &TimeEntry::activity)
        .def_readonly("rate", &TimeEntry::rate)
        .def_readonly("cost", &TimeEntry::cost, "hours x rate, rounded half to even (MB-1).")
        .def_readonly("status", &TimeEntry::status)
        .def_readonly("approved_by", &TimeEntry::approved_by)
        .def_readonly("approved_at", &TimeEntry::approved_at)
        .def_readonly("corrects", &TimeEntry::corrects)
        .def_readonly("recorded_at", &TimeEntry::recorded_at);
    py::class_<WeeklyTicketRow>(m, "WeeklyTicketRow", "JT-11: one open ticket in the weekly status report.")
        .def_readonly("client", &WeeklyTicketRow::client)
        .def_readonly("number", &WeeklyTicketRow::number)
        .def_readonly("title", &WeeklyTicketRow::title)
        .def_readonly("status", &WeeklyTicketRow::status)
        .def_readonly("client_deadline", &WeeklyTicketRow::client_deadline)
        .def_readonly("internal_due", &WeeklyTicketRow::internal_due)
        .def_readonly("late", &WeeklyTicketRow::late)
        .def_readonly("revision_rounds", &WeeklyTicketRow::revision_rounds)
        .def_readonly("hours", &WeeklyTicketRow::hours);
    py::class_<WeeklyStatus>(m, "WeeklyStatus", "JT-11: the weekly status report (Friday tally included).")
        .def_readonly("week_start", &WeeklyStatus::week_start)
        .def_readonly("rows", &WeeklyStatus::rows)
        .def_readonly("opened", &WeeklyStatus::opened)
        .def_readonly("closed", &WeeklyStatus::closed);
    py::class_<DeliveryMetrics>(m, "DeliveryMetrics", "JT-12: delivery metrics of one AE or client.")
        .def_readonly("key", &DeliveryMetrics::key, "Staff id (per AE) or client code (per client).")
        .def_readonly("delivered", &DeliveryMetrics::delivered)
        .def_readonly("on_time", &DeliveryMetrics::on_time)
        .def_readonly("on_time_rate", &DeliveryMetrics::on_time_rate)
        .def_readonly("avg_revision_rounds", &DeliveryMetrics::avg_revision_rounds)
        .def_readonly("avg_cycle_days", &DeliveryMetrics::avg_cycle_days);

    auto override_of = [](const std::optional<std::string>& by, const std::optional<std::string>& reason) {
        std::optional<LeadTimeOverride> o;
        if (by || reason) o = LeadTimeOverride{by.value_or(""), reason.value_or("")};
        return o;
    };
    auto agency = py::reinterpret_borrow<py::class_<Agency>>(m.attr("Agency"));
    agency
        .def(
            "open_job",
            [override_of](Agency& a, std::string client, std::string brand, Department department, JobType job_type,
                          std::string title, const DateTime& deadline, std::string issuer, const DateTime& opened_at,
                          TicketKind kind, std::optional<std::string> product, std::optional<Brief> brief,
                          std::optional<Money> estimate, std::vector<std::string> assignees,
                          std::optional<std::string> override_by, std::optional<std::string> override_reason) {
                if (kind == TicketKind::Revision)
                    throw ValidationError("JT-2", "job.kind", "Revision", "open revisions with open_revision(parent, ...)");
                return a.open_job(NewJob{kind, std::nullopt, std::move(client), std::move(brand), std::move(product),
                                         department, job_type, std::move(title), brief.value_or(Brief{}), estimate,
                                         deadline, std::move(assignees), std::move(issuer), opened_at,
                                         override_of(override_by, override_reason)});
            },
            py::arg("client"), py::arg("brand"), py::kw_only(), py::arg("department"), py::arg("job_type"),
            py::arg("title"), py::arg("client_deadline"), py::arg("issuer"), py::arg("opened_at"),
            py::arg("kind") = TicketKind::Requisition, py::arg("product") = py::none(), py::arg("brief") = py::none(),
            py::arg("cost_estimate") = py::none(), py::arg("assignees") = std::vector<std::string>{},
            py::arg("override_by") = py::none(), py::arg("override_reason") = py::none(), py::return_value_policy::copy,
            R"doc(Open a Draft job ticket and issue its number {DEPT}-{YYYYMM}-{NN} (JT-1..JT-7).

client_deadline / opened_at: datetime.datetime; job_type: aecore.JobType (its lead time comes
from the Policy, JT-6); override_by / override_reason: an AM or AD may accept a shorter lead
time with a written reason. A deadline on a non-business day is refused (agree a business
day). A refused open consumes no number.)doc")
        .def(
            "open_revision",
            [override_of](Agency& a, std::string parent, std::string title, const DateTime& deadline, std::string issuer,
                          const DateTime& opened_at, std::optional<Brief> brief, std::optional<Money> estimate,
                          std::vector<std::string> assignees, std::optional<std::string> override_by,
                          std::optional<std::string> override_reason) {
                return a.open_job(NewJob{TicketKind::Revision, std::move(parent), {}, {}, std::nullopt,
                                         Department::Creative, JobType::Other, std::move(title), brief.value_or(Brief{}),
                                         estimate, deadline, std::move(assignees), std::move(issuer), opened_at,
                                         override_of(override_by, override_reason)});
            },
            py::arg("parent"), py::kw_only(), py::arg("title"), py::arg("client_deadline"), py::arg("issuer"),
            py::arg("opened_at"), py::arg("brief") = py::none(), py::arg("cost_estimate") = py::none(),
            py::arg("assignees") = std::vector<std::string>{}, py::arg("override_by") = py::none(),
            py::arg("override_reason") = py::none(), py::return_value_policy::copy,
            "JT-2: a Revision ticket {parent}-R{n} continuing the parent's client, brand, department and job type.")
        .def("advance_job", &Agency::advance_job, py::arg("number"), py::arg("to"), py::kw_only(), py::arg("actor"),
             py::arg("at"), py::arg("note") = "", py::return_value_policy::copy,
             "JT-8/JT-9: move a ticket along the workflow (Approved needs an AM/AD; Issued needs a complete brief "
             "and, for creative work, an approved plan; Cancelled needs a reason in `note`).")
        .def("set_brief", &Agency::set_brief, py::arg("number"), py::arg("brief"), py::return_value_policy::copy)
        .def("set_client_deadline", &Agency::set_client_deadline, py::arg("number"), py::arg("deadline"),
             py::return_value_policy::copy)
        .def("set_assignees", &Agency::set_assignees, py::arg("number"), py::arg("staff"), py::return_value_policy::copy)
        .def("get_job", &Agency::job, py::arg("number"), py::return_value_policy::copy)
        .def(
            "find_job",
            [](const Agency& a, std::string_view number) -> std::optional<JobTicket> {
                if (const JobTicket* t = a.find_job(number)) return *t;
                return std::nullopt;
            },
            py::arg("number"))
        .def_property_readonly("jobs", [](const Agency& a) { return a.jobs(); })
        .def(
            "internal_due", [](const Agency& a, std::string_view number) { return a.internal_due(a.job(number)); },
            py::arg("number"), "JT-7: half a business day before the client deadline, on the current calendar.")
        .def(
            "log_time",
            [](Agency& a, std::string job, std::string staff, const Date& date, const Decimal& hours,
               std::string activity, const DateTime& recorded_at) {
                return a.log_time(NewTimeEntry{std::move(staff), std::move(job), date, hours, std::move(activity), recorded_at});
            },
            py::arg("job"), py::kw_only(), py::arg("staff"), py::arg("date"), py::arg("hours"),
            py::arg("activity") = "", py::arg("recorded_at"), py::return_value_policy::copy,
            "JT-10: book hours (Decimal/int/str, hundredths) on a ticket that accepts time.")
        .def("approve_time", &Agency::approve_time, py::arg("entry"), py::kw_only(), py::arg("approver"), py::arg("at"),
             py::return_value_policy::copy, "JT-10: approval by the person's manager; locks the entry.")
        .def(
            "correct_time",
            [](Agency& a, std::string_view entry, const Decimal& hours, std::string activity, const DateTime& at) {
                return a.correct_time(entry, hours, std::move(activity), at);
            },
            py::arg("entry"), py::kw_only(), py::arg("hours"), py::arg("activity") = "", py::arg("recorded_at"),
            py::return_value_policy::copy, "JT-10: a correcting entry (hours may be negative).")
        .def_property_readonly("time_entries", [](const Agency& a) { return a.time_entries(); })
        .def("get_time_entry", &Agency::time_entry, py::arg("id"), py::return_value_policy::copy)
        .def("hours_on", &Agency::hours_on, py::arg("staff"), py::arg("date"))
        .def("overtime_on", &Agency::overtime_on, py::arg("staff"), py::arg("date"), "JT-10: hours above 8 on a day.")
        .def("weekly_status", &Agency::weekly_status, py::arg("week_start"),
             "JT-11: the weekly status report of the week starting on the Monday `week_start`.")
        .def(
            "delivery_metrics",
            [](const Agency& a, const Date& start, const Date& end, const std::string& by) {
                if (by != "ae" && by != "client")
                    throw ValidationError("JT-12", "by", quote(by), "expected \"ae\" or \"client\"");
                return a.delivery_metrics(start, end, by == "client");
            },
            py::arg("start"), py::arg("end"), py::kw_only(), py::arg("by") = "ae",
            "JT-12: on-time rate, average revision rounds and cycle time per AE (by='ae') or client (by='client').");
}

}  // namespace aecore::bind
