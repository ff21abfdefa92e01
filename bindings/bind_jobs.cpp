// Job tickets and time sheets (JT-1..JT-12) for Python: enums, the Brief (built from
// Python with keyword arguments), read-only ticket and time snapshots, reports, and the
// Agency methods of the traffic workflow.

#include <pybind11/stl.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aecore/agency.hpp"
#include "casters.hpp"
#include "frame_columns.hpp"

namespace py = pybind11;

namespace aecore::bind {

namespace {

__extension__ typedef __int128 i128;  // GCC/Clang extension; -Wpedantic-clean
__extension__ typedef unsigned __int128 u128;

// The exact sum of decimals, as Python's sum(values, Decimal(0)) computes it: the scale is
// the largest scale of the terms (0 for no terms).
struct DecimalSum {
    i128 units = 0;
    int scale = 0;
    void add(std::int64_t term, int term_scale) {
        for (; scale < term_scale; ++scale) units *= 10;
        i128 t = term;
        for (int s = term_scale; s < scale; ++s) t *= 10;
        units += t;
    }
    [[nodiscard]] std::string text() const {
        const bool negative = units < 0;
        u128 v = negative ? -static_cast<u128>(units) : static_cast<u128>(units);
        std::string digits;
        do {
            digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
            v /= 10;
        } while (v != 0);
        while (static_cast<int>(digits.size()) <= scale) digits.push_back('0');
        std::string out = negative ? "-" : "";
        for (auto i = digits.size(); i-- > 0;) {
            out.push_back(digits[i]);
            if (scale > 0 && i == static_cast<std::size_t>(scale)) out.push_back('.');
        }
        return out;
    }
};

// One decimal.Decimal per distinct sum (by value and scale), shared by the tickets with
// that sum: a Decimal is immutable, and most tickets' sums repeat (Decimal(0) above all).
class DecimalCache {
public:
    PyObject* get(const DecimalSum& sum) {
        auto [it, added] = objects_.try_emplace(std::pair{sum.units, sum.scale});
        if (added) {
            try {
                it->second = py_detail::decimal_type()(sum.text());
            } catch (...) {
                objects_.erase(it);
                throw;
            }
        }
        return it->second.ptr();
    }

private:
    std::map<std::pair<i128, int>, py::object> objects_;
};

}  // namespace

// Agency._jobs_frame_columns(): the columns of Agency.jobs_frame(), one element per ticket in
// the order opened. Text columns are numpy object arrays of str (`missing` for no parent),
// or with arrow=True Arrow large_string buffers (ArrowTextColumn; nulls for no parent);
// hours an object array of decimal.Decimal (the sum over every time entry of the ticket,
// Decimal(0) without one), cost likewise or with minor=True int64 minor units of the agency
// currency; times datetime64[us].
py::dict jobs_frame_columns(const Agency& a, const py::object& missing, bool arrow, bool minor) {
    const std::vector<JobTicket>& tickets = a.jobs();
    const auto n = static_cast<py::ssize_t>(tickets.size());
    // The time booked on each ticket: booked[j] is 0 for none, else 1 + the position of the
    // ticket's sums in `hours` and `cost` (few tickets of a big book have time entries: a
    // sum per ticket would be tens of megabytes of new memory per frame).
    std::vector<DecimalSum> hours, cost;
    std::vector<std::uint32_t> booked;
    if (!a.time_entries().empty()) {
        booked.assign(tickets.size(), 0);
        for (const TimeEntry& e : a.time_entries()) {
            const JobTicket* job = a.find_job(e.job);
            if (!job) continue;
            if (minor && e.cost.currency() != a.currency())  // cannot happen: rates are in the agency currency (MB-1)
                throw ValidationError("MB-1", "time.cost", e.cost.to_string(), "is not in the agency currency");
            std::uint32_t& at = booked[static_cast<std::size_t>(job - tickets.data())];
            if (at == 0) {
                hours.emplace_back();
                cost.emplace_back();
                at = static_cast<std::uint32_t>(hours.size());
            }
            hours[at - 1].add(e.hours.units(), e.hours.scale());
            cost[at - 1].add(e.cost.minor_units(), e.cost.currency().digits());
        }
    }
    // The sums of ticket j, if any time is booked on it.
    const auto sums_of = [&](std::size_t j) -> std::uint32_t { return booked.empty() ? 0 : booked[j]; };
    // Text: str objects, or Arrow columns copied block by block from the agency's text
    // columns (a column per part when a big frame is built in parts on several threads,
    // build_in_parts); the tickets themselves are read only for the other fields.
    const JobTextColumns& texts_of = a.job_texts();
    using Column = JobTextColumns::Column;
    const std::size_t parts = arrow ? frame_parts(n) : 1;
    std::optional<ObjectColumn> number, parent, client, brand, title, issuer;
    struct Texts {  // number, parent, client, brand, title, issuer of the rows of one part
        std::optional<ArrowTextColumn> column[6];
    };
    std::vector<Texts> texts(parts);
    if (!arrow)
        for (std::optional<ObjectColumn>* c : {&number, &parent, &client, &brand, &title, &issuer}) c->emplace(n);
    ObjectColumn hours_column(n);
    std::optional<ObjectColumn> cost_column;
    // Numeric columns: every element is written below (NumericColumn: memory a dropped
    // frame left may be reused as it is).
    std::optional<NumericColumn<std::int64_t>> cost_minor;
    if (minor)
        cost_minor.emplace(n);
    else
        cost_column.emplace(n);
    NumericColumn<std::int8_t> kind(n), department(n), job_type(n), status(n);
    NumericColumn<std::int64_t> opened_at(n, "datetime64[us]"), client_deadline(n, "datetime64[us]"),
        internal_due(n, "datetime64[us]"), revision_rounds(n);
    const DateTime epoch(Date(1970, 1, 1));
    auto micros = [&](const DateTime& t) -> std::int64_t {
        return t.is_special() ? INT64_MIN : (t - epoch).total_microseconds();
    };
    auto* opened = opened_at.data();
    auto* deadline = client_deadline.data();
    auto* due = internal_due.data();
    auto* kinds = kind.data();
    auto* departments = department.data();
    auto* types = job_type.data();
    auto* statuses = status.data();
    auto* rounds = revision_rounds.data();
    auto* minor_units = minor ? cost_minor->data() : nullptr;
    // Client, brand and issuer strs are shared by the tickets with the same text; tickets of
    // one client tend to follow each other, so the previous ticket's strs are tried before
    // the hash tables.
    StrByText clients, brands, staff;
    PyObject* shared[3] = {nullptr, nullptr, nullptr};
    // The fields read from the tickets lie side by side at the start of each (JobTicket);
    // the ticket kAhead on starts loading now.
    constexpr std::size_t kAhead = 8;
    // The Python objects of row p: str texts, Decimal hours (and cost). Only on this thread.
    DecimalCache decimals;
    PyObject* zero = decimals.get(DecimalSum{});
    const auto objects = [&](py::ssize_t p) {
        const auto j = static_cast<std::size_t>(p);
        if (!arrow) {
            number->put(p, new_str(texts_of.value(Column::Number, j)));
            if (texts_of.has_parent(j))
                parent->put(p, new_str(texts_of.value(Column::Parent, j)));
            else
                parent->share(p, missing.ptr());
            const auto same = [&](Column c) { return j > 0 && texts_of.value(c, j - 1) == texts_of.value(c, j); };
            if (!same(Column::Client)) shared[0] = clients.get(texts_of.value(Column::Client, j));
            if (!same(Column::Brand)) shared[1] = brands.get(texts_of.value(Column::Brand, j));
            if (!same(Column::Issuer)) shared[2] = staff.get(texts_of.value(Column::Issuer, j));
            client->share(p, shared[0]);
            brand->share(p, shared[1]);
            title->put(p, new_str(texts_of.value(Column::Title, j)));
            issuer->share(p, shared[2]);
        }
        const std::uint32_t at = sums_of(j);
        hours_column.share(p, at != 0 ? decimals.get(hours[at - 1]) : zero);
        if (!minor) cost_column->share(p, at != 0 ? decimals.get(cost[at - 1]) : zero);
    };
    // The rows [begin, end); with several parts (build_in_parts) everything but the Python
    // objects, which come after.
    const auto build = [&](std::size_t part, py::ssize_t begin, py::ssize_t end) {
        if (arrow) {
            std::optional<ArrowTextColumn>* column = texts[part].column;
            static constexpr const char* kTags[6] = {"jobs.number", "jobs.parent", "jobs.client",
                                                     "jobs.brand", "jobs.title", "jobs.issuer"};
            for (std::size_t c = 0; c < 6; ++c) {
                const auto col = static_cast<Column>(c);
                const auto first = static_cast<std::size_t>(begin), last = static_cast<std::size_t>(end);
                const std::uint64_t from = texts_of.offset(col, first);
                column[c].emplace(end - begin, static_cast<std::size_t>(texts_of.offset(col, last) - from), c == Column::Parent,
                                  kTags[c]);
                column[c]->add_block(0, texts_of.bytes(col).data(), from, texts_of.ends(col) + first, end - begin);
            }
            for (py::ssize_t p = begin; p < end; ++p)
                if (!texts_of.has_parent(static_cast<std::size_t>(p))) column[Column::Parent]->make_null(p - begin);
        }
        std::int64_t last_due = 0;
        for (py::ssize_t p = begin; p < end; ++p) {
            const auto j = static_cast<std::size_t>(p);
            if (j + kAhead < static_cast<std::size_t>(end)) {
                prefetch_read(&tickets[j + kAhead].kind);
                prefetch_read(&tickets[j + kAhead].opened_at);
            }
            const JobTicket& t = tickets[j];
            kinds[p] = static_cast<std::int8_t>(t.kind);
            departments[p] = static_cast<std::int8_t>(t.department);
            types[p] = static_cast<std::int8_t>(t.job_type);
            statuses[p] = static_cast<std::int8_t>(t.status);
            opened[p] = micros(t.opened_at);
            deadline[p] = micros(t.client_deadline);
            if (p == begin || t.client_deadline != tickets[j - 1].client_deadline) last_due = micros(a.internal_due(t));
            due[p] = last_due;  // a function of the deadline (and the calendar), as the previous ticket's
            rounds[p] = t.revision_rounds;
            if (minor) {
                const std::uint32_t at = sums_of(j);
                const i128 units = at != 0 ? cost[at - 1].units : 0;  // at the agency currency's scale (checked above)
                if (units > INT64_MAX || units < INT64_MIN)
                    throw std::overflow_error("jobs_frame: the time cost of job " + t.number + " overflows int64 minor units");
                minor_units[p] = static_cast<std::int64_t>(units);
            }
            if (parts == 1) objects(p);
        }
    };
    if (parts == 1) {
        build(0, 0, n);
    } else {
        build_in_parts(n, parts, build);
        for (py::ssize_t p = 0; p < n; ++p) objects(p);
    }
    py::dict out;
    static constexpr const char* kTextNames[6] = {"number", "parent", "client", "brand", "title", "issuer"};
    if (arrow) {
        for (std::size_t c = 0; c < 6; ++c) {
            for (Texts& part : texts) part.column[c]->check_utf8();
            out[kTextNames[c]] = text_chunks(parts, [&](std::size_t k) -> ArrowTextColumn& { return *texts[k].column[c]; });
        }
    } else {
        std::optional<ObjectColumn>* columns[6] = {&number, &parent, &client, &brand, &title, &issuer};
        for (std::size_t c = 0; c < 6; ++c) out[kTextNames[c]] = (*columns[c])->array();
    }
    out["kind"] = kind.finish();
    out["department"] = department.finish();
    out["job_type"] = job_type.finish();
    out["status"] = status.finish();
    out["opened_at"] = opened_at.finish();
    out["client_deadline"] = client_deadline.finish();
    out["internal_due"] = internal_due.finish();
    out["revision_rounds"] = revision_rounds.finish();
    out["hours"] = hours_column.array();
    out["cost"] = minor ? py::object(cost_minor->finish()) : py::object(cost_column->array());
    return out;
}

void jobs(py::module_& m) {
    native_enum_from_names<TicketKind>(m, "JT-2: A requisition, B concept worksheet, C revision.");
    native_enum_from_names<TicketStatus>(m, "JT-8: job ticket workflow states.");
    native_enum_from_names<TimeStatus>(m, "JT-10: time entry states; approved and billed entries are locked.");

    py::class_<Deliverable>(m, "Deliverable", "A deliverable of a brief: media and specification.")
        .def(py::init<std::string, std::string>(), py::arg("media"), py::arg("specification") = "")
        .def_readonly("media", &Deliverable::media, "The medium, e.g. 'TV 30s' (str).")
        .def_readonly("specification", &Deliverable::specification, "Specification: size, length, format (str).")
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
        .def_readonly("objective", &Brief::objective, "What the work must achieve (str; '' = missing, JT-4).")
        .def_readonly("target_audience", &Brief::target_audience, "Whom the work addresses (str; '' = missing).")
        .def_readonly("key_message", &Brief::key_message, "The key message (str; '' = missing).")
        .def_readonly("mandatories", &Brief::mandatories,
                      "Mandatory elements such as logo and legal lines (str; '' = missing).")
        .def_readonly("deliverables", &Brief::deliverables, "What is to be delivered (list of Deliverable; empty = missing).")
        .def_readonly("budget", &Brief::budget, "Budget (Money, agency currency), or None = missing (JT-4).")
        .def_readonly("media_objectives", &Brief::media_objectives,
                      "Media objectives (str); required for a Media department ticket.")
        .def_readonly("research_objective", &Brief::research_objective,
                      "Research objective (str); required for a Research department ticket.")
        .def_readonly("research_method", &Brief::research_method,
                      "Research method (str); required for a Research department ticket.")
        .def_readonly("research_sample", &Brief::research_sample,
                      "Research sample (str); required for a Research department ticket.")
        .def("missing", &Brief::missing, py::arg("department"),
             "JT-4: the elements still missing for a ticket of `department` (aecore.Department), e.g. "
             "['key message', 'budget'] (list of str; empty when complete; the ticket supplies the deadline).")
        .def("__eq__", [](const Brief& a, const Brief& b) { return a == b; }, py::is_operator());
    py::class_<TicketTransition>(m, "TicketTransition", "One step of a ticket's workflow history.")
        .def_readonly("from_status", &TicketTransition::from, "aecore.TicketStatus before the step.")
        .def_readonly("to_status", &TicketTransition::to, "aecore.TicketStatus after the step.")
        .def_readonly("at", &TicketTransition::at, "When the step was taken (datetime.datetime).")
        .def_readonly("actor", &TicketTransition::actor, "Staff id of who took the step (str).")
        .def_readonly("note", &TicketTransition::note, "Note recorded with the step; the reason of a cancellation (str).");
    py::class_<LeadTimeOverride>(m, "LeadTimeOverride", "JT-6: who overrode the lead time, and why.")
        .def_readonly("approver", &LeadTimeOverride::approver,
                      "Staff id of the AM or AD who accepted the shorter lead time (str).")
        .def_readonly("reason", &LeadTimeOverride::reason, "The written reason (str).");
    py::class_<JobTicket>(m, "JobTicket", "A job ticket (JT-1..JT-9): a snapshot taken from the Agency.")
        .def_readonly("number", &JobTicket::number,
                      "Job number (str): '{DEPT}-{YYYYMM}-{NN}' (JT-1), or '{parent}-R{n}' for a revision (JT-2).")
        .def_readonly("kind", &JobTicket::kind, "aecore.TicketKind (JT-2).")
        .def_readonly("parent", &JobTicket::parent, "Number of the ticket a revision revises (str), or None.")
        .def_readonly("client", &JobTicket::client, "Client code (str).")
        .def_readonly("brand", &JobTicket::brand, "Brand name (str).")
        .def_readonly("product", &JobTicket::product, "Product name (str), or None.")
        .def_readonly("department", &JobTicket::department,
                      "aecore.Department that issued the ticket; its code starts the number (JT-1).")
        .def_readonly("job_type", &JobTicket::job_type, "aecore.JobType; it sets the minimum lead time (JT-6).")
        .def_readonly("title", &JobTicket::title, "Title (str).")
        .def_readonly("brief", &JobTicket::brief, "The Brief (JT-4); it must be complete before the ticket is issued.")
        .def_readonly("cost_estimate", &JobTicket::cost_estimate,
                      "Cost estimate given when the ticket was opened (Money, agency currency), or None; the "
                      "client-approved versions are in Agency.estimates() (MB-2).")
        .def_readonly("client_deadline", &JobTicket::client_deadline,
                      "The client's deadline (datetime.datetime on a business day); the internal due time is half a "
                      "business day earlier (JT-7).")
        .def_readonly("assignees", &JobTicket::assignees, "Staff ids working on the job (list of str).")
        .def_readonly("issuer", &JobTicket::issuer, "Staff id of who opened the ticket (str, JT-1).")
        .def_readonly("opened_at", &JobTicket::opened_at,
                      "When the ticket was opened (datetime.datetime); its year and month are in the number.")
        .def_readonly("lead_time_override", &JobTicket::lead_time_override,
                      "The LeadTimeOverride when an AM or AD accepted a shorter lead time (JT-6), else None.")
        .def_readonly("plan", &JobTicket::plan, "The approved plan the creative work follows (JT-5).")
        .def_readonly("status", &JobTicket::status, "aecore.TicketStatus, the current workflow state (JT-8).")
        .def_readonly("history", &JobTicket::history, "Every workflow step (list of TicketTransition), oldest first.")
        .def_readonly("revision_rounds", &JobTicket::revision_rounds,
                      "Client change requests so far (int): ClientReview -> InProgress steps (JT-8).")
        .def("reached", &JobTicket::reached, py::arg("status"), "When the ticket first reached `status`, or None.")
        .def("__eq__", [](const JobTicket& a, const JobTicket& b) { return a == b; }, py::is_operator());
    py::class_<TimeEntry>(m, "TimeEntry", "JT-10: hours of one person on one job on one day (snapshot).")
        .def_readonly("id", &TimeEntry::id, "Time entry id (str), e.g. 'TE000001'.")
        .def_readonly("staff", &TimeEntry::staff, "Staff id of who did the work (str).")
        .def_readonly("job", &TimeEntry::job, "Job number (str).")
        .def_readonly("date", &TimeEntry::date, "Day the work was done (datetime.date).")
        .def_readonly("hours", &TimeEntry::hours,
                      "Hours (Decimal, at most 2 places); negative only on a correcting entry.")
        .def_readonly("activity", &TimeEntry::activity, "What was done (str).")
        .def_readonly("rate", &TimeEntry::rate,
                      "The person's hourly cost rate when the time was booked (Money, agency currency).")
        .def_readonly("cost", &TimeEntry::cost, "hours x rate, rounded half to even (MB-1).")
        .def_readonly("status", &TimeEntry::status,
                      "aecore.TimeStatus; APPROVED and BILLED entries are locked (JT-10).")
        .def_readonly("approved_by", &TimeEntry::approved_by, "Staff id of the approving manager (str), or None.")
        .def_readonly("approved_at", &TimeEntry::approved_at, "When it was approved (datetime.datetime), or None.")
        .def_readonly("corrects", &TimeEntry::corrects, "Id of the entry this one corrects (str), or None.")
        .def_readonly("recorded_at", &TimeEntry::recorded_at, "When the time was booked (datetime.datetime).");
    py::class_<WeeklyTicketRow>(m, "WeeklyTicketRow", "JT-11: one open ticket in the weekly status report.")
        .def_readonly("client", &WeeklyTicketRow::client, "Client code (str).")
        .def_readonly("number", &WeeklyTicketRow::number, "Job number (str).")
        .def_readonly("title", &WeeklyTicketRow::title, "Ticket title (str).")
        .def_readonly("status", &WeeklyTicketRow::status, "aecore.TicketStatus at the end of the week.")
        .def_readonly("client_deadline", &WeeklyTicketRow::client_deadline, "The client's deadline (datetime.datetime).")
        .def_readonly("internal_due", &WeeklyTicketRow::internal_due,
                      "JT-7 internal due time (datetime.datetime), on the current calendar.")
        .def_readonly("late", &WeeklyTicketRow::late,
                      "True when the client deadline falls before the week's end and the work is not client-approved.")
        .def_readonly("revision_rounds", &WeeklyTicketRow::revision_rounds,
                      "Client change requests up to the week's end (int).")
        .def_readonly("hours", &WeeklyTicketRow::hours, "Hours booked on the ticket in the week (Decimal).");
    py::class_<WeeklyStatus>(m, "WeeklyStatus", "JT-11: the weekly status report (Friday tally included).")
        .def_readonly("week_start", &WeeklyStatus::week_start, "The Monday the week starts on (datetime.date).")
        .def_readonly("rows", &WeeklyStatus::rows,
                      "Every ticket open at the week's end (list of WeeklyTicketRow), by client, then job number.")
        .def_readonly("opened", &WeeklyStatus::opened, "Tickets opened in the week (int).")
        .def_readonly("closed", &WeeklyStatus::closed, "Tickets closed in the week (int).");
    py::class_<DeliveryMetrics>(m, "DeliveryMetrics", "JT-12: delivery metrics of one AE or client.")
        .def_readonly("key", &DeliveryMetrics::key, "Staff id (per AE) or client code (per client).")
        .def_readonly("delivered", &DeliveryMetrics::delivered, "Tickets client-approved in the period (int).")
        .def_readonly("on_time", &DeliveryMetrics::on_time,
                      "Of those, the tickets client-approved by their client deadline (int).")
        .def_readonly("on_time_rate", &DeliveryMetrics::on_time_rate, "on_time / delivered (Decimal, 4 places).")
        .def_readonly("avg_revision_rounds", &DeliveryMetrics::avg_revision_rounds,
                      "Average revision rounds per delivered ticket (Decimal, 2 places).")
        .def_readonly("avg_cycle_days", &DeliveryMetrics::avg_cycle_days,
                      "Average calendar days from Issued to ClientApproved (Decimal, 2 places); None when no "
                      "delivered ticket went through Issued.");

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

Args:
    client, brand: client code and one of its brands; product: one of the brand's products.
    department: aecore.Department issuing it (Account, Creative, Media, Research or
        Production; JT-1); job_type: aecore.JobType, whose lead time in business days comes
        from the Policy (JT-6); title: the ticket's title.
    client_deadline, opened_at: datetime.datetime (naive, agency local time); the deadline
        must be on a business day, after opened_at (JT-6, JT-7).
    issuer: staff id of who opens it; assignees: staff ids (active staff).
    kind: REQUISITION or CONCEPT_WORKSHEET (revisions: open_revision; JT-2).
    brief: the Brief (it may still be incomplete: it is checked when the ticket is issued,
        JT-4); cost_estimate: Money in the agency currency.
    override_by, override_reason: an AM or AD may accept a deadline inside the lead time
        with a written reason (JT-6).

Returns the new JobTicket (status DRAFT). A refused open consumes no number.

Raises:
    NotFoundError: unknown client (CL-1), brand or product (JT-3), issuer (JT-1),
        assignee (JT-3) or override approver (JT-6).
    StateError: the client is archived (CL-2).
    ValidationError: a department that issues no tickets or an inactive issuer (JT-1);
        kind=REVISION (JT-2); a deadline not after opened_at, or inside the job type's lead
        time without an override, or an override by an AAE/AE or without a reason (JT-6);
        a deadline on a non-business day (JT-7); a bad title, cost estimate or assignee
        (JT-3); a brief budget in another currency (JT-4).)doc")
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
            R"doc(JT-2: open a Revision ticket {parent}-R{n} continuing the parent's client, brand, department and type.

parent: the job number revised; the other arguments are those of open_job. Returns the new
Draft JobTicket. Raises NotFoundError (JT-1 unknown parent or issuer), StateError (JT-2
cancelled parent, CL-2 archived client), ValidationError (as for open_job: JT-6 lead time
and deadline, JT-7 non-business day, JT-3 fields).)doc")
        .def("advance_job", &Agency::advance_job, py::arg("number"), py::arg("to"), py::kw_only(), py::arg("actor"),
             py::arg("at"), py::arg("note") = "", py::return_value_policy::copy,
             R"doc(JT-8/JT-9: move a ticket along the workflow and return it.

to: the next aecore.TicketStatus; actor: staff id; at: datetime.datetime, not before the
ticket's last step; note: the reason, required for CANCELLED. ClientReview -> InProgress is
a client change request and adds a revision round. Raises NotFoundError (JT-1 ticket, JT-8
actor), StateError (JT-8 a step the workflow does not allow, JT-9 Closed without
ClientApproved, JT-4 issuing with an incomplete brief, JT-5 issuing creative work without a
client-approved plan for the brand), ValidationError (JT-8: Approved by an AAE/AE, `at`
before the last step, cancelling without a reason, inactive actor).)doc")
        .def("set_brief", &Agency::set_brief, py::arg("number"), py::arg("brief"), py::return_value_policy::copy,
             "JT-4: replace the Brief of a ticket not yet issued (Draft or Approved); returns the ticket. Raises "
             "NotFoundError (JT-1), StateError (JT-4) once the ticket is issued (open a revision instead), "
             "ValidationError (JT-4) for a budget in another currency or negative, or over-long text.")
        .def("set_client_deadline", &Agency::set_client_deadline, py::arg("number"), py::arg("deadline"),
             py::return_value_policy::copy,
             "JT-7: move the client deadline (datetime.datetime) of an open ticket; the internal due time follows. "
             "Returns the ticket. Raises NotFoundError (JT-1), StateError (JT-7) for a Closed or Cancelled ticket, "
             "ValidationError (JT-7) for a deadline not after the opening or on a non-business day.")
        .def("set_assignees", &Agency::set_assignees, py::arg("number"), py::arg("staff"), py::return_value_policy::copy,
             "JT-3: replace the staff assigned to the ticket (list of staff ids); returns the ticket. Raises "
             "NotFoundError (JT-1 ticket, JT-3 staff) or ValidationError (JT-3) for inactive staff.")
        .def("get_job", &Agency::job, py::arg("number"), py::return_value_policy::copy,
             "The JobTicket with `number`; raises NotFoundError (JT-1).")
        .def(
            "find_job",
            [](const Agency& a, std::string_view number) -> std::optional<JobTicket> {
                if (const JobTicket* t = a.find_job(number)) return *t;
                return std::nullopt;
            },
            py::arg("number"), "The JobTicket with `number`, or None.")
        .def_property_readonly("jobs", [](const Agency& a) { return a.jobs(); },
                               "Every JobTicket (snapshots), revisions included, in the order opened.")
        .def("_jobs_frame_columns", &jobs_frame_columns, py::kw_only(), py::arg("missing") = py::none(),
             py::arg("arrow") = false, py::arg("minor") = false,
             R"doc(The columns behind Agency.jobs_frame(), one element per ticket in the order opened, built in C++.

Returns a dict of numpy arrays: number, parent, client, brand, title, issuer (object arrays
of str, `missing` for no parent), kind, department, job_type, status (int8 enum values),
opened_at, client_deadline, internal_due (datetime64[us]), revision_rounds (int64), hours
and cost (object arrays of decimal.Decimal: the sums over the ticket's time entries; one
object per distinct sum). With arrow=True each text column is instead a tuple (offsets,
data, validity, null_count) of Arrow large_string buffers (see _ledger_frame_columns;
nulls for no parent); with minor=True cost is int64 minor units of the agency currency.)doc")
        .def(
            "internal_due", [](const Agency& a, std::string_view number) { return a.internal_due(a.job(number)); },
            py::arg("number"),
            "JT-7: the internal due time (datetime.datetime), half a business day before the client deadline on "
            "the current calendar. Raises NotFoundError (JT-1).")
        .def(
            "log_time",
            [](Agency& a, std::string job, std::string staff, const Date& date, const Decimal& hours,
               std::string activity, const DateTime& recorded_at) {
                return a.log_time(NewTimeEntry{std::move(staff), std::move(job), date, hours, std::move(activity), recorded_at});
            },
            py::arg("job"), py::kw_only(), py::arg("staff"), py::arg("date"), py::arg("hours"),
            py::arg("activity") = "", py::arg("recorded_at"), py::return_value_policy::copy,
            R"doc(JT-10: book hours on a ticket and return the TimeEntry (id 'TE000001', ...; status SUBMITTED).

job: job number; staff: staff id; date: datetime.date the work was done; hours: Decimal,
int or str, more than 0 and at most 24, in hundredths; recorded_at: datetime.datetime. The
cost is hours x the person's hourly rate (MB-1). Raises NotFoundError (JT-10 unknown job
or staff), StateError (JT-10) unless the ticket was Issued, InProgress, InternalReview or
ClientReview on `date`, ValidationError (JT-10: hours out of range, more than 24 h for the
person that day, a date before the ticket was opened, inactive staff).)doc")
        .def("approve_time", &Agency::approve_time, py::arg("entry"), py::kw_only(), py::arg("approver"), py::arg("at"),
             py::return_value_policy::copy,
             "JT-10: the person's manager `approver` approves a SUBMITTED entry at `at` (datetime.datetime); the "
             "entry is locked and its cost posts to the ledger as an actual cost (MB-3). Raises NotFoundError "
             "(JT-10), StateError (JT-10) for an entry already approved or billed, ValidationError (JT-10: "
             "approving one's own time, an approver who is not the manager, `at` before the booking).")
        .def(
            "correct_time",
            [](Agency& a, std::string_view entry, const Decimal& hours, std::string activity, const DateTime& at) {
                return a.correct_time(entry, hours, std::move(activity), at);
            },
            py::arg("entry"), py::kw_only(), py::arg("hours"), py::arg("activity") = "", py::arg("recorded_at"),
            py::return_value_policy::copy,
            "JT-10: book a correcting entry for `entry` (hours: non-zero Decimal/int/str between -24 and 24, in "
            "hundredths, may be negative); returns the new SUBMITTED entry. Raises NotFoundError (JT-10) or "
            "ValidationError (JT-10) for hours out of that range or a day total that would leave 0-24 h.")
        .def_property_readonly("time_entries", [](const Agency& a) { return a.time_entries(); },
                               "Every TimeEntry (snapshots), corrections included, in the order booked.")
        .def("get_time_entry", &Agency::time_entry, py::arg("id"), py::return_value_policy::copy,
             "The TimeEntry with `id` (e.g. 'TE000001'); raises NotFoundError (JT-10).")
        .def("hours_on", &Agency::hours_on, py::arg("staff"), py::arg("date"),
             "JT-10: hours booked by the staff id `staff` on `date` (Decimal, corrections included; 0 when none).")
        .def("overtime_on", &Agency::overtime_on, py::arg("staff"), py::arg("date"), "JT-10: hours above 8 on a day.")
        .def("weekly_status", &Agency::weekly_status, py::arg("week_start"),
             "JT-11: the weekly status report (WeeklyStatus) of the week starting on the Monday `week_start` "
             "(datetime.date). Raises ValidationError (JT-11) for another weekday.")
        .def(
            "delivery_metrics",
            [](const Agency& a, const Date& start, const Date& end, const std::string& by) {
                if (by != "ae" && by != "client")
                    throw ValidationError("JT-12", "by", quote(by), "expected \"ae\" or \"client\"");
                return a.delivery_metrics(start, end, by == "client");
            },
            py::arg("start"), py::arg("end"), py::kw_only(), py::arg("by") = "ae",
            "JT-12: on-time rate, average revision rounds and cycle time of the tickets client-approved in "
            "[start, end], per responsible AE (by='ae') or client (by='client'); list of DeliveryMetrics. Raises "
            "ValidationError (JT-12) for end before start or another `by`.");
}

}  // namespace aecore::bind
