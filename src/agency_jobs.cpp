// Agency: job tickets, the traffic workflow, time sheets, the weekly status report and
// delivery metrics (SPEC JT-1..JT-12). Every change is validated first and committed
// without throwing, so a refused operation changes nothing — not even the number sequence.

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <map>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "ids.hpp"
#include "text_checks.hpp"

namespace aecore {

namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

namespace {

__extension__ typedef __int128 i128;

std::string time_text(const DateTime& t) { return bp::to_iso_extended_string(t); }
std::string status_name(TicketStatus s) { return std::string(to_string(s)); }

bool issues_tickets(Department d) {
    return d == Department::Account || d == Department::Creative || d == Department::Media ||
           d == Department::Research || d == Department::Production;
}

// Hours as hundredths: time sheets book at most two decimal places, and a day at most 24 h,
// so callers bound the value first; the range check keeps a mistake from wrapping.
std::int64_t hundredths(const Decimal& hours) {
    const Decimal h = hours.normalized();
    if (h.scale() > 2 || h < Decimal(-100000) || Decimal(100000) < h)
        throw ValidationError("JT-10", "time.hours", hours.to_string(), "must be a number of hours in hundredths");
    return static_cast<std::int64_t>(static_cast<i128>(h.units()) * pow10(2 - h.scale()));
}

Decimal ratio(std::int64_t num, std::int64_t den, int places) {
    const i128 scale = pow10(places);
    const i128 n = static_cast<i128>(num) * scale;
    i128 q = n / den;
    const i128 r = n % den;
    if (2 * r > den || (2 * r == den && q % 2 != 0)) ++q;
    return Decimal::from_units(static_cast<std::int64_t>(q), places);
}

}  // namespace

// ---------------------------------------------------------------- lookups

const JobTicket* Agency::find_job(std::string_view number) const noexcept {
    auto it = job_index_.find(number);
    return it == job_index_.end() ? nullptr : &jobs_[it->second];
}

const JobTicket& Agency::job(std::string_view number) const {
    if (const JobTicket* j = find_job(number)) return *j;
    throw NotFoundError("JT-1", "job.number", quote(number), "no such job ticket");
}

JobTicket& Agency::mutable_job(std::string_view number, std::string_view field) {
    auto it = job_index_.find(number);
    if (it == job_index_.end()) throw NotFoundError("JT-1", std::string(field), quote(number), "no such job ticket");
    return jobs_[it->second];
}

template <class Edit>
const JobTicket& Agency::edit_job(std::string_view number, Edit&& edit) {
    JobTicket& target = mutable_job(number, "job.number");
    JobTicket copy = target;
    edit(copy);
    assert(job_texts_.matches(index_of(target), copy));  // no edit changes a ticket's texts
    target = std::move(copy);
    return target;
}

DateTime Agency::internal_due(const JobTicket& t) const { return calendar_.subtract_half_business_day(t.client_deadline); }

const TimeEntry& Agency::time_entry(std::string_view id) const {
    auto it = time_index_.find(id);
    if (it == time_index_.end()) throw NotFoundError("JT-10", "time.id", quote(id), "no such time entry");
    return time_entries_[it->second];
}

// ---------------------------------------------------------------- opening

namespace {
void check_brief(const Brief& b, Currency currency) {
    for (const auto& [field, text] : {std::pair{"brief.objective", &b.objective},
                                      std::pair{"brief.target_audience", &b.target_audience},
                                      std::pair{"brief.key_message", &b.key_message},
                                      std::pair{"brief.mandatories", &b.mandatories},
                                      std::pair{"brief.media_objectives", &b.media_objectives},
                                      std::pair{"brief.research_objective", &b.research_objective},
                                      std::pair{"brief.research_method", &b.research_method},
                                      std::pair{"brief.research_sample", &b.research_sample}})
        check_text(*text, field, "JT-4");
    for (const Deliverable& d : b.deliverables) {
        check_text(d.media, "brief.deliverables.media", "JT-4", 200);
        check_text(d.specification, "brief.deliverables.specification", "JT-4", 2000);
    }
    if (b.budget && (b.budget->currency() != currency || b.budget->is_negative()))
        throw ValidationError("JT-4", "brief.budget", b.budget->to_string(),
                              "must be a non-negative amount in the agency currency " + std::string(currency.code()));
}
}  // namespace

const JobTicket& Agency::open_job(const NewJob& spec) {
    require_valid(spec.opened_at, "job.opened_at", "JT-1");
    require_valid(spec.client_deadline, "job.client_deadline", "JT-6");
    const Staff& issuer = active_staff(spec.issuer, "job.issuer", "JT-1");
    JobTicket t;
    t.kind = spec.kind;
    // The parent is referred to by index: the push_back below may move the tickets.
    const JobTicket* parent = nullptr;
    std::size_t parent_index = 0;
    if (spec.kind == TicketKind::Revision) {
        if (!spec.parent)
            throw ValidationError("JT-2", "job.parent", "none", "a revision ticket names the ticket it revises");
        parent = &mutable_job(*spec.parent, "job.parent");
        parent_index = static_cast<std::size_t>(parent - jobs_.data());
        if (parent->status == TicketStatus::Cancelled)
            throw StateError("JT-2", "job.parent", quote(parent->number), "a cancelled ticket cannot be revised");
        if (client(parent->client).archived)
            throw StateError("CL-2", "job.client", quote(parent->client), "the client is archived");
        // A revision continues its parent's job: same client, brand, department and type.
        t.parent = parent->number;
        t.client = parent->client;
        t.brand = parent->brand;
        t.product = parent->product;
        t.department = parent->department;
        t.job_type = parent->job_type;
    } else {
        if (spec.parent)
            throw ValidationError("JT-2", "job.parent", quote(*spec.parent), "only a Revision ticket has a parent");
        const Client* c = find_client(spec.client);
        if (!c) throw NotFoundError("CL-1", "job.client", quote(spec.client), "no such client");
        if (c->archived) throw StateError("CL-2", "job.client", quote(c->code), "the client is archived");
        const Brand* b = c->find_brand(spec.brand);
        if (!b) throw NotFoundError("JT-3", "job.brand", quote(spec.brand), "is not a brand of client " + c->code);
        if (spec.product && std::find(b->products.begin(), b->products.end(), *spec.product) == b->products.end())
            throw NotFoundError("JT-3", "job.product", quote(*spec.product), "is not a product of brand " + spec.brand);
        if (!issues_tickets(spec.department))
            throw ValidationError("JT-1", "job.department", std::string(to_string(spec.department)),
                                  "does not issue job tickets (AC, CR, MD, RS, PD do)");
        t.client = c->code;
        t.brand = spec.brand;
        t.product = spec.product;
        t.department = spec.department;
        t.job_type = spec.job_type;
    }
    if (!(spec.opened_at < spec.client_deadline))
        throw ValidationError("JT-6", "job.client_deadline", time_text(spec.client_deadline),
                              "is not after the ticket is opened (" + time_text(spec.opened_at) + ")");
    const Date due_day = spec.client_deadline.date();
    if (!calendar_.is_business_day(due_day))
        throw ValidationError("JT-7", "job.client_deadline", time_text(spec.client_deadline),
                              "falls on a non-business day; agree a business day with the client");
    const int needed = policy_.lead_time_days(t.job_type);
    const int available = calendar_.business_days_between(spec.opened_at.date(), due_day);
    if (spec.lead_time_override) {
        const Staff& approver = active_staff(spec.lead_time_override->approver, "job.lead_time_override.approver", "JT-6");
        if (approver.title < Title::AM)
            throw ValidationError("JT-6", "job.lead_time_override.approver", quote(approver.id),
                                  "is " + std::string(to_string(approver.title)) + "; only an AM or AD may override the lead time");
        const std::string reason = checked_name(spec.lead_time_override->reason, "job.lead_time_override.reason", "JT-6");
        t.lead_time_override = LeadTimeOverride{approver.id, reason};
    } else if (available < needed) {
        throw ValidationError("JT-6", "job.client_deadline", time_text(spec.client_deadline),
                              "leaves " + std::to_string(available) + " business days; a " +
                                  std::string(to_string(t.job_type)) + " needs " + std::to_string(needed) +
                                  " (an AM or AD may override with a written reason)");
    }
    t.title = checked_name(spec.title, "job.title", "JT-3");
    check_brief(spec.brief, currency_);
    t.brief = spec.brief;
    if (spec.cost_estimate && (spec.cost_estimate->currency() != currency_ || spec.cost_estimate->is_negative()))
        throw ValidationError("JT-3", "job.cost_estimate", spec.cost_estimate->to_string(),
                              "must be a non-negative amount in the agency currency " + std::string(currency_.code()));
    t.cost_estimate = spec.cost_estimate;
    for (const std::string& a : spec.assignees) (void)active_staff(a, "job.assignees", "JT-3");
    t.assignees = spec.assignees;
    t.client_deadline = spec.client_deadline;
    t.issuer = issuer.id;
    t.opened_at = spec.opened_at;

    // Number the ticket (JT-1): per department per month, or {parent}-R{n}.
    std::string key;
    std::uint32_t serial = 0;
    if (parent) {
        require_serial_left(static_cast<std::uint64_t>(parent->next_revision), "job.next_revision");
        t.number = parent->number + "-R" + std::to_string(parent->next_revision);
    } else {
        char month[16];
        std::snprintf(month, sizeof month, "-%04d%02d", static_cast<int>(spec.opened_at.date().year()),
                      static_cast<int>(spec.opened_at.date().month()));
        key = std::string(department_code(t.department)) + month;
        auto it = job_sequences_.find(key);
        serial = it == job_sequences_.end() ? 1 : it->second;
        require_serial_left(serial, "sequences.jobs." + key);
        char num[16];
        std::snprintf(num, sizeof num, "-%02u", serial);
        t.number = key + num;
    }
    if (job_index_.contains(t.number))
        throw ValidationError("JT-1", "job.number", quote(t.number), "is already taken; job numbers are never reused");
    const bool revision = parent != nullptr;
    parent = nullptr;  // not valid past the push_back
    // Commit.
    jobs_.push_back(std::move(t));
    try {
        job_texts_.push_back(jobs_.back());
        try {
            job_index_.emplace(jobs_.back().number, jobs_.size() - 1);
            try {
                if (!revision) job_sequences_[key] = serial + 1;
            } catch (...) {
                job_index_.erase(jobs_.back().number);
                throw;
            }
        } catch (...) {
            job_texts_.pop_back();
            throw;
        }
    } catch (...) {
        jobs_.pop_back();
        throw;
    }
    if (revision) ++jobs_[parent_index].next_revision;
    return jobs_.back();
}

// ---------------------------------------------------------------- workflow

const JobTicket& Agency::advance_job(std::string_view number, TicketStatus to, std::string_view actor, const DateTime& at,
                                     std::string note) {
    const JobTicket& current = job(number);
    const TicketStatus from = current.status;
    if (!transition_allowed(from, to)) {
        if (to == TicketStatus::Closed)
            throw StateError("JT-9", "job.status", status_name(from),
                             "ticket " + current.number + " cannot be Closed without client approval (ClientApproved)");
        throw StateError("JT-8", "job.status", status_name(from),
                         "ticket " + current.number + " cannot go from " + status_name(from) + " to " + status_name(to));
    }
    const Staff& who = active_staff(actor, "job.actor", "JT-8");
    if (to == TicketStatus::Approved && who.title < Title::AM)
        throw ValidationError("JT-8", "job.actor", quote(who.id),
                              "is " + std::string(to_string(who.title)) + "; a ticket is approved (signed) by an AM or AD");
    require_valid(at, "job.at", "JT-8");
    const DateTime last = current.history.empty() ? current.opened_at : current.history.back().at;
    if (at < last)
        throw ValidationError("JT-8", "job.at", time_text(at), "is before the ticket's last change " + time_text(last));
    check_text(note, "job.note", "JT-8", 2000);
    if (to == TicketStatus::Cancelled && note.find_first_not_of(" \t\r\n") == std::string::npos)
        throw ValidationError("JT-8", "job.note", quote(note), "cancelling a ticket needs a reason");
    std::optional<std::string> plan_id = current.plan;
    if (to == TicketStatus::Issued) {
        const auto missing = current.brief.missing(current.department);
        if (!missing.empty()) {
            std::string list;
            for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
            throw StateError("JT-4", "job.brief", current.number, "the brief is incomplete; it lacks " + list);
        }
        if (current.department == Department::Creative) {
            const MarketingPlan* plan = approved_plan(current.client, current.brand, at);
            if (!plan)
                throw StateError("JT-5", "job.brand", quote(current.brand),
                                 "has no client-approved marketing plan; no creative work without a strategy");
            plan_id = plan->id;
        }
    }
    return edit_job(number, [&](JobTicket& t) {
        t.history.push_back(TicketTransition{from, to, at, who.id, std::move(note)});
        t.status = to;
        t.plan = plan_id;
        if (from == TicketStatus::ClientReview && to == TicketStatus::InProgress) ++t.revision_rounds;
    });
}

const JobTicket& Agency::set_brief(std::string_view number, const Brief& brief) {
    const JobTicket& t = job(number);
    if (t.status != TicketStatus::Draft && t.status != TicketStatus::Approved)
        throw StateError("JT-4", "job.status", status_name(t.status),
                         "the brief of an issued ticket is fixed; open a Revision ticket for changes");
    check_brief(brief, currency_);
    return edit_job(number, [&](JobTicket& copy) { copy.brief = brief; });
}

const JobTicket& Agency::set_client_deadline(std::string_view number, const DateTime& deadline) {
    const JobTicket& t = job(number);
    if (!is_open(t.status))
        throw StateError("JT-7", "job.status", status_name(t.status), "the ticket is no longer open");
    require_valid(deadline, "job.client_deadline", "JT-7");
    if (!(t.opened_at < deadline))
        throw ValidationError("JT-7", "job.client_deadline", time_text(deadline), "is not after the ticket was opened");
    if (!calendar_.is_business_day(deadline.date()))
        throw ValidationError("JT-7", "job.client_deadline", time_text(deadline),
                              "falls on a non-business day; agree a business day with the client");
    return edit_job(number, [&](JobTicket& copy) { copy.client_deadline = deadline; });
}

const JobTicket& Agency::set_assignees(std::string_view number, std::vector<std::string> staff) {
    (void)job(number);
    for (const std::string& a : staff) (void)active_staff(a, "job.assignees", "JT-3");
    return edit_job(number, [&](JobTicket& copy) { copy.assignees = std::move(staff); });
}

// ---------------------------------------------------------------- time sheets

namespace {
std::string day_key(std::string_view staff, const Date& day) {
    char digits[16];  // bg::to_iso_string(day), without the string stream it builds
    std::snprintf(digits, sizeof digits, "%04d%02d%02d", static_cast<int>(day.year()), static_cast<int>(day.month()),
                  static_cast<int>(day.day()));
    std::string key(staff);
    key += '|';
    key += digits;
    return key;
}
}  // namespace

Decimal Agency::hours_on(std::string_view staff, const Date& day) const {
    auto it = day_hours_.find(day_key(staff, day));
    return Decimal::from_units(it == day_hours_.end() ? 0 : it->second, 2);
}

// Appends an entry with its index and day total, or nothing when anything throws.
void Agency::append_time_entry(TimeEntry entry) {
    const std::string key = day_key(entry.staff, entry.date);
    const std::int64_t delta = hundredths(entry.hours);
    time_entries_.push_back(std::move(entry));
    try {
        time_index_.emplace(time_entries_.back().id, time_entries_.size() - 1);
        try {
            day_hours_[key] += delta;
        } catch (...) {
            time_index_.erase(time_entries_.back().id);
            throw;
        }
    } catch (...) {
        time_entries_.pop_back();
        throw;
    }
}

Decimal Agency::overtime_on(std::string_view staff, const Date& day) const {
    const std::int64_t total = hundredths(hours_on(staff, day));
    return Decimal::from_units(total > 800 ? total - 800 : 0, 2);
}

const TimeEntry& Agency::log_time(const NewTimeEntry& spec) {
    const JobTicket* found = find_job(spec.job);
    if (!found) throw NotFoundError("JT-10", "time.job", quote(spec.job), "no such job ticket");
    const JobTicket& t = *found;
    const Staff& who = active_staff(spec.staff, "time.staff", "JT-10");
    require_valid(spec.date, "time.date", "JT-10");
    if (spec.date < t.opened_at.date())
        throw ValidationError("JT-10", "time.date", bg::to_iso_extended_string(spec.date),
                              "is before ticket " + t.number + " was opened");
    // The status on the day the work was done decides, so time can be booked afterwards.
    if (!t.accepted_time_on(spec.date))
        throw StateError("JT-10", "time.job", quote(t.number),
                         "was not Issued, InProgress, InternalReview or ClientReview on " +
                             bg::to_iso_extended_string(spec.date) + " (it is " + status_name(t.status) +
                             " now); time is accepted only in those states");
    require_valid(spec.recorded_at, "time.recorded_at", "JT-10");
    if (spec.hours.normalized().scale() > 2 || !(Decimal(0) < spec.hours) || Decimal(24) < spec.hours)
        throw ValidationError("JT-10", "time.hours", spec.hours.to_string(), "must be more than 0 and at most 24, in hundredths");
    const std::int64_t day = hundredths(hours_on(who.id, spec.date)) + hundredths(spec.hours.normalized());
    if (day > 2400)
        throw ValidationError("JT-10", "time.hours", spec.hours.to_string(),
                              "would make " + Decimal::from_units(day, 2).to_string() + " h for " + who.id + " on " +
                                  bg::to_iso_extended_string(spec.date) + "; a day has at most 24");
    check_text(spec.activity, "time.activity", "JT-10", 500);
    char id[24];
    std::snprintf(id, sizeof id, "TE%06llu", static_cast<unsigned long long>(next_time_serial_));
    TimeEntry e{id, who.id, t.number, spec.date, spec.hours.normalized(), spec.activity, who.hourly_rate,
                who.hourly_rate.multiply(spec.hours), TimeStatus::Submitted, std::nullopt, std::nullopt, std::nullopt,
                spec.recorded_at};
    append_time_entry(std::move(e));
    ++next_time_serial_;
    return time_entries_.back();
}

const TimeEntry& Agency::approve_time(std::string_view id, std::string_view approver, const DateTime& at) {
    const TimeEntry& e = time_entry(id);
    if (e.status != TimeStatus::Submitted)
        throw StateError("JT-10", "time.status", std::string(to_string(e.status)),
                         "entry " + e.id + " is already " + std::string(to_string(e.status)) + " and locked");
    const Staff& who = active_staff(approver, "time.approver", "JT-10");
    if (who.id == e.staff)
        throw ValidationError("JT-10", "time.approver", quote(who.id), "nobody approves their own time");
    const Staff& person = staff(e.staff);
    if (!person.manager || *person.manager != who.id)
        throw ValidationError("JT-10", "time.approver", quote(who.id),
                              "is not the manager of " + person.id + " " + person.name +
                                  (person.manager ? " (" + *person.manager + " is)" : " (who has no manager)"));
    require_valid(at, "time.approved_at", "JT-10");
    if (at < e.recorded_at)
        throw ValidationError("JT-10", "time.approved_at", time_text(at), "is before the time was recorded");
    const std::size_t index = time_index_.at(e.id);
    TimeEntry copy = time_entries_[index];
    copy.status = TimeStatus::Approved;
    copy.approved_by = who.id;
    copy.approved_at = at;
    post_time_cost(index, who.id);  // MB-3: approved time flows into the ledger as actual cost
    TimeEntry& target = time_entries_[index];
    target = std::move(copy);
    return target;
}

const TimeEntry& Agency::correct_time(std::string_view id, const Decimal& delta, std::string activity,
                                      const DateTime& recorded_at) {
    const TimeEntry& e = time_entry(id);
    require_valid(recorded_at, "time.recorded_at", "JT-10");
    if (delta.is_zero() || delta.normalized().scale() > 2 || delta < Decimal(-24) || Decimal(24) < delta)
        throw ValidationError("JT-10", "time.hours", delta.to_string(),
                              "a correction is a non-zero number of hundredths between -24 and 24");
    const std::int64_t day = hundredths(hours_on(e.staff, e.date)) + hundredths(delta.normalized());
    if (day < 0 || day > 2400)
        throw ValidationError("JT-10", "time.hours", delta.to_string(),
                              "would make " + Decimal::from_units(day, 2).to_string() + " h for " + e.staff + " on " +
                                  bg::to_iso_extended_string(e.date) + "; a day has 0 to 24");
    check_text(activity, "time.activity", "JT-10", 500);
    char buf[24];
    std::snprintf(buf, sizeof buf, "TE%06llu", static_cast<unsigned long long>(next_time_serial_));
    TimeEntry c{buf, e.staff, e.job, e.date, delta.normalized(), std::move(activity), e.rate, e.rate.multiply(delta),
                TimeStatus::Submitted, std::nullopt, std::nullopt, e.id, recorded_at};
    append_time_entry(std::move(c));
    ++next_time_serial_;
    return time_entries_.back();
}

// ---------------------------------------------------------------- reports

WeeklyStatus Agency::weekly_status(const Date& monday) const {
    require_valid(monday, "week_start", "JT-11");
    if (weekday_of(monday) != Weekday::Monday)
        throw ValidationError("JT-11", "week_start", bg::to_iso_extended_string(monday), "must be a Monday");
    const DateTime start(monday);
    const DateTime end(monday + bg::days(7));
    const Date last_day = monday + bg::days(6);
    std::map<std::string, std::int64_t> hours;  // job -> hundredths booked in the week
    for (const TimeEntry& e : time_entries_)
        if (e.date >= monday && e.date <= last_day) hours[e.job] += hundredths(e.hours);
    WeeklyStatus out{monday, {}, 0, 0};
    for (const JobTicket& t : jobs_) {
        if (t.opened_at >= start && t.opened_at < end) ++out.opened;
        for (const TicketTransition& h : t.history)
            if (h.to == TicketStatus::Closed && h.at >= start && h.at < end) ++out.closed;
        const auto status = t.status_before(end);
        if (!status || !is_open(*status)) continue;
        int rounds = 0;
        for (const TicketTransition& h : t.history)
            rounds += h.at < end && h.from == TicketStatus::ClientReview && h.to == TicketStatus::InProgress;
        const bool delivered = *status == TicketStatus::ClientApproved;
        auto it = hours.find(t.number);
        out.rows.push_back(WeeklyTicketRow{t.client, t.number, t.title, *status, t.client_deadline, internal_due(t),
                                           !delivered && t.client_deadline < end, rounds,
                                           Decimal::from_units(it == hours.end() ? 0 : it->second, 2)});
    }
    std::sort(out.rows.begin(), out.rows.end(), [](const WeeklyTicketRow& a, const WeeklyTicketRow& b) {
        if (a.client != b.client) return a.client < b.client;
        return job_number_less(a.number, b.number);
    });
    return out;
}

std::vector<DeliveryMetrics> Agency::delivery_metrics(const Date& from, const Date& to, bool per_client) const {
    require_valid(from, "from", "JT-12");
    require_valid(to, "to", "JT-12");
    if (to < from) throw ValidationError("JT-12", "to", bg::to_iso_extended_string(to), "is before `from`");
    struct Acc {
        int delivered = 0, on_time = 0, rounds = 0;
        std::int64_t cycle_minutes = 0;
        int cycles = 0;
    };
    std::map<std::string, Acc> acc;
    for (const JobTicket& t : jobs_) {
        const auto approved = t.reached(TicketStatus::ClientApproved);
        if (!approved || approved->date() < from || approved->date() > to) continue;
        std::string key = t.client;
        if (!per_client) {
            const Client& c = client(t.client);
            const TeamAssignment* team = c.team_on(approved->date());
            key = team ? team->team.ae : c.team().ae;
        }
        Acc& a = acc[key];
        ++a.delivered;
        a.on_time += *approved <= t.client_deadline;
        a.rounds += t.revision_rounds;
        if (const auto issued = t.reached(TicketStatus::Issued)) {
            a.cycle_minutes += (*approved - *issued).total_seconds() / 60;
            ++a.cycles;
        }
    }
    std::vector<DeliveryMetrics> out;
    for (const auto& [key, a] : acc) {
        DeliveryMetrics m{key, a.delivered, a.on_time, ratio(a.on_time, a.delivered, 4), ratio(a.rounds, a.delivered, 2),
                          std::nullopt};
        if (a.cycles > 0) m.avg_cycle_days = ratio(a.cycle_minutes, static_cast<std::int64_t>(a.cycles) * 1440, 2);
        out.push_back(std::move(m));
    }
    return out;
}

}  // namespace aecore
