// The agency-wide audit (SPEC AS-4). Each rule is one function over the agency; the
// table kRules lists them. To add a rule: write `void rule_x(const Agency&, const AuditContext&,
// std::vector<Finding>&)` and add it to kRules.

#include <algorithm>
#include <array>
#include <tuple>

#include "aecore/agency.hpp"

namespace aecore {

namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

namespace {

struct AuditContext {
    Date as_of;
    DateTime end;  // the close of as_of: records at or after this are in the future
    std::vector<std::vector<std::uint32_t>> rows_by_job;  // ledger rows by job index, in posting order
    // By job index: the day its first estimate version was client-approved (INT32_MAX if
    // none): a vendor cost dated before it had no approved estimate.
    std::vector<std::int32_t> first_approved;
};

std::string day(const Date& d) { return bg::to_iso_extended_string(d); }
std::string minute(const DateTime& t) { return bp::to_iso_extended_string(t).substr(0, 16); }

std::string staff_label(const Agency& a, const std::string& id) {
    const Staff* s = a.find_staff(id);
    return s ? id + " " + s->name : id;
}

// ST-2: span of control of the account department's AMs (over AEs) and ADs (over AMs).
void rule_span_of_control(const Agency& a, const AuditContext&, std::vector<Finding>& out) {
    const int lo = a.policy().span_of_control_min();
    const int hi = a.policy().span_of_control_max();
    for (const Staff& s : a.staff_members()) {
        if (!s.active || s.department != Department::Account || (s.title != Title::AM && s.title != Title::AD)) continue;
        const Title reports = s.title == Title::AM ? Title::AE : Title::AM;
        int n = 0;
        for (const Staff* r : a.direct_reports(s.id)) n += r->active && r->title == reports;
        if (n < lo || n > hi)
            out.push_back({"ST-2", Severity::Advice, s.id,
                           std::string(to_string(s.title)) + " " + s.name + " supervises " + std::to_string(n) + " " +
                               std::string(to_string(reports)) + (n == 1 ? "" : "s") + "; the span of control is " +
                               std::to_string(lo) + "-" + std::to_string(hi),
                           std::nullopt});
    }
}

// ST-3: every member of a client's current team is still with the agency.
void rule_team_active(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    for (const Client& c : a.clients()) {
        const TeamAssignment* assignment = c.team_on(ctx.as_of);
        if (c.archived || assignment == nullptr) continue;
        const AccountTeam& t = assignment->team;
        for (const auto& [title, id] : std::array<std::pair<Title, std::optional<std::string>>, 4>{
                 {{Title::AE, t.ae}, {Title::AAE, t.aae}, {Title::AM, t.am}, {Title::AD, t.ad}}}) {
            const Staff* s = id ? a.find_staff(*id) : nullptr;
            if (s == nullptr) continue;
            const std::string role(to_string(title));
            if (!s->active)
                out.push_back({"ST-3", Severity::Warning, c.code,
                               role + " " + staff_label(a, *id) + " of client " + c.name +
                                   " has left the agency; assign a new team",
                               std::nullopt});
            else if (s->title != title)
                out.push_back({"ST-3", Severity::Warning, c.code,
                               role + " " + staff_label(a, *id) + " of client " + c.name + " is now " +
                                   std::string(to_string(s->title)) + "; the team needs an " + role + " in that role",
                               std::nullopt});
        }
    }
}

// CL-3: one primary contact per client.
void rule_primary_contact(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    for (const Client& c : a.clients())
        if (!c.archived && c.first_contact <= ctx.as_of && !c.primary_contact())
            out.push_back({"CL-3", Severity::Advice, c.code, "client " + c.name + " has no primary contact", std::nullopt});
}

// CL-4: contact cadence.
void rule_contact_cadence(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    for (const OverdueContact& o : a.overdue_contacts(ctx.as_of)) {
        const Client& c = a.client(o.client);
        out.push_back({"CL-4", Severity::Warning, c.code,
                       "client " + c.name + " (" + c.city + ") was last contacted on " + day(o.last_contact) +
                           "; the next contact was due by " + day(o.due),
                       o.due});
    }
}

// CL-6: follow-ups by the five-step rule, and negotiations that drag on.
void rule_follow_up(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    for (const Client& c : a.clients()) {
        if (c.archived || ctx.as_of < c.first_contact) continue;
        const StageChange* stage = c.stage_on(ctx.as_of);
        if (stage == nullptr) continue;
        if (const auto next = a.next_follow_up(c.code, ctx.as_of); next && *next < ctx.as_of)
            out.push_back({"CL-6", Severity::Warning, c.code,
                           "follow-up of " + std::string(to_string(stage->stage)) + " client " + c.name +
                               " was due on " + day(*next),
                           *next});
        const Date month_later = stage->date + bg::months(1);
        if (stage->stage == PipelineStage::Negotiating && ctx.as_of > month_later)
            out.push_back({"CL-6", Severity::Advice, c.code,
                           "client " + c.name + " has been negotiating since " + day(stage->date) +
                               "; aim to close within a month or change the stage",
                           month_later});
    }
}

// AS-1: a contact report within 48 hours of each meeting, visit or important call.
void rule_contact_reports(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    for (const Activity& act : a.activities()) {
        if (!act.needs_contact_report() || act.when >= ctx.end) continue;
        const DateTime due = act.when + bp::hours(48);
        const ContactReport* r = a.contact_report_for(act.id);
        const bool written = r && r->written_at < ctx.end;
        const std::string what = std::string(to_string(act.kind)) + " with " + a.client(act.client).name + " on " +
                                 minute(act.when) + " by " + staff_label(a, act.staff);
        if (!written && due < ctx.end)
            out.push_back({"AS-1", Severity::Warning, act.id,
                           "no contact report for the " + what + "; it was due by " + minute(due), due.date()});
        else if (written && r->written_at > due)
            out.push_back({"AS-1", Severity::Advice, act.id,
                           "the contact report for the " + what + " was written " + minute(r->written_at) +
                               ", after the 48-hour deadline",
                           due.date()});
    }
}

// AS-2: meeting notices, one business day ahead, with 5W1H.
void rule_meeting_notices(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    for (const Activity& act : a.activities())
        if (act.kind == ActivityKind::Meeting && act.when < ctx.end && !act.notice)
            out.push_back({"AS-2", Severity::Warning, act.id,
                           "meeting with " + a.client(act.client).name + " on " + minute(act.when) +
                               " was held without a meeting notice",
                           a.calendar().add_business_days(act.when.date(), -1)});
    for (const MeetingNotice& n : a.meeting_notices()) {
        if (n.issued_at >= ctx.end) continue;
        const Date deadline = a.calendar().add_business_days(n.meeting_at.date(), -1);
        if (n.issued_at.date() > deadline)
            out.push_back({"AS-2", Severity::Warning, n.id,
                           "notice for the meeting of " + minute(n.meeting_at) + " was issued " + minute(n.issued_at) +
                               "; it was due one business day before, by " + day(deadline),
                           deadline});
        const auto missing = n.missing_elements();
        if (!missing.empty()) {
            std::string list;
            for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
            out.push_back({"AS-2", Severity::Warning, n.id,
                           "notice for the meeting of " + minute(n.meeting_at) + " is incomplete (5W1H): missing " + list,
                           deadline});
        }
    }
}

// AS-3: each AE who owns a client files a weekly report every Monday and a monthly
// summary by the month's last business day.
void rule_status_reports(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    const Date monday = ctx.as_of - bg::days((static_cast<int>(weekday_of(ctx.as_of)) + 6) % 7);
    const Date week = monday - bg::days(7);  // the week reported on this Monday
    // The latest monthly summary due by as_of: this month's once its last business day
    // has come, else last month's.
    const Date this_month(ctx.as_of.year(), ctx.as_of.month(), 1);
    const Date this_due = a.calendar().roll_backward(this_month + bg::months(1) - bg::days(1));
    const bool this_month_due = this_due <= ctx.as_of;
    const Date month_start = this_month_due ? this_month : this_month - bg::months(1);
    const Date month_due = this_month_due ? this_due : a.calendar().roll_backward(this_month - bg::days(1));
    // The AEs who owned a client on `day`, by the team in force then.
    auto owners_on = [&](const Date& day) {
        std::vector<std::string> owners;
        for (const Client& c : a.clients())
            if (const TeamAssignment* t = c.team_on(day); t && !c.archived) owners.push_back(t->team.ae);
        std::sort(owners.begin(), owners.end());
        owners.erase(std::unique(owners.begin(), owners.end()), owners.end());
        return owners;
    };
    auto filed = [&](const std::string& author, ReportKind kind, const Date& period) {
        const StatusReport* r = a.status_report_for(author, kind, period);  // at most one (AS-3)
        return r && r->submitted_at < ctx.end;
    };
    auto active = [&](const std::string& id) {
        const Staff* s = a.find_staff(id);
        return s && s->active;
    };
    // Weekly: AEs who owned a client during the week reported on.
    for (const std::string& ae : owners_on(monday - bg::days(1)))
        if (active(ae) && !filed(ae, ReportKind::Weekly, week))
            out.push_back({"AS-3", Severity::Warning, ae,
                           "no weekly status report from " + staff_label(a, ae) + " for the week of " + day(week) +
                               " (due Monday " + day(monday) + ")",
                           monday});
    // Monthly: AEs who owned a client when last month's summary fell due.
    for (const std::string& ae : owners_on(month_due))
        if (active(ae) && !filed(ae, ReportKind::Monthly, month_start))
            out.push_back({"AS-3", Severity::Warning, ae,
                           "no monthly work summary from " + staff_label(a, ae) + " for " +
                               day(month_start).substr(0, 7) + " (due " + day(month_due) + ")",
                           month_due});
}

// MP-1..MP-8: plans still Draft or Proposed once their period has started, objectives past
// their deadline without an actual, and the review warnings of approved plans.
void rule_plans(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    for (const MarketingPlan& p : a.plans()) {
        const auto status = p.status_before(ctx.end);
        if (!status || *status == PlanStatus::Superseded) continue;
        const std::string label = "plan " + p.id + " (" + p.title + ", " + a.client(p.client).name + ")";
        if ((*status == PlanStatus::Draft || *status == PlanStatus::Proposed) && p.period_start <= ctx.as_of)
            out.push_back({"MP-1", Severity::Warning, p.id,
                           label + " is still " + std::string(to_string(*status)) + " although its period began on " +
                               day(p.period_start),
                           p.period_start});
        for (const Objective& o : p.objectives)
            if (o.deadline && *o.deadline < ctx.as_of && o.kind != ObjectiveKind::BrandImage && !o.latest(ctx.as_of))
                out.push_back({"MP-6", Severity::Warning, p.id,
                               "objective " + o.id + " (" + std::string(to_string(o.kind)) + ") of " + label +
                                   " passed its deadline " + day(*o.deadline) + " without a measured actual",
                               *o.deadline});
        if (*status == PlanStatus::ClientApproved)
            for (const PlanFinding& f : p.review(a.policy()))
                if (f.severity != Severity::Advice)
                    out.push_back({f.rule, f.severity == Severity::Error ? Severity::Error : Severity::Warning, p.id,
                                   "approved " + label + ": " + f.message, std::nullopt});
    }
}

// JT-4, JT-5, JT-7: tickets past their internal due time, and tickets that were issued
// without a complete brief or (creative work) without an approved plan — possible only in
// books written before these checks or edited by hand.
void rule_jobs(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    for (const JobTicket& t : a.jobs()) {
        const auto status = t.status_before(ctx.end);
        if (!status) continue;
        const DateTime due = a.internal_due(t);
        if (is_open(*status) && *status != TicketStatus::ClientApproved && due < ctx.end)
            out.push_back({"JT-7", Severity::Warning, t.number,
                           "ticket " + t.number + " (" + t.title + ") is " + std::string(to_string(*status)) +
                               " past its internal due time " + minute(due) + " (client deadline " +
                               minute(t.client_deadline) + ")",
                           due.date()});
        const auto issued = t.reached(TicketStatus::Issued);
        if (!issued || *issued >= ctx.end) continue;
        if (const auto missing = t.brief.missing(t.department); !missing.empty())
            out.push_back({"JT-4", Severity::Error, t.number,
                           "ticket " + t.number + " was issued with an incomplete brief (missing " + missing.front() +
                               (missing.size() > 1 ? " and " + std::to_string(missing.size() - 1) + " more" : "") + ")",
                           issued->date()});
        if (t.department == Department::Creative && !a.approved_plan(t.client, t.brand, *issued))
            out.push_back({"JT-5", Severity::Error, t.number,
                           "creative ticket " + t.number + " was issued without a client-approved plan for brand " + t.brand,
                           issued->date()});
    }
}

// JT-10: time booked on a ticket after it closed, and time left unapproved for over a week.
void rule_time(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    for (const TimeEntry& e : a.time_entries()) {
        if (e.recorded_at >= ctx.end) continue;
        const JobTicket& t = a.job(e.job);
        if (const auto closed = t.reached(TicketStatus::Closed); closed && e.date > closed->date() && *closed < ctx.end)
            out.push_back({"JT-10", Severity::Warning, e.id,
                           "time entry " + e.id + " books " + e.hours.to_string() + " h on " + day(e.date) + " to ticket " +
                               t.number + ", closed on " + day(closed->date()),
                           e.date});
        // A week counts from when the entry was recorded (a late correction gets its week too).
        const bool approved_then = e.approved_at && *e.approved_at < ctx.end;
        const Date due = e.recorded_at.date() + bg::days(7);
        if (!approved_then && due < ctx.as_of)
            out.push_back({"JT-10", Severity::Warning, e.id,
                           "time entry " + e.id + " of " + staff_label(a, e.staff) + " for " + day(e.date) +
                               " is still unapproved a week after it was recorded",
                           due});
    }
}

// The ledger rows of each job (index = job index), in posting order: one pass over the ledger.
std::vector<std::vector<std::uint32_t>> rows_by_job(const Agency& a) {
    std::vector<std::vector<std::uint32_t>> out(a.jobs().size());
    const Ledger& l = a.ledger();
    for (std::size_t i = 0; i < l.size(); ++i)
        if (l.row(i).flags & Ledger::kHasJob) out[l.row(i).owner].push_back(static_cast<std::uint32_t>(i));
    return out;
}

// MB-2: overruns of the approved estimate (under Warn and Stop — Stop refuses vendor
// postings but approved time still flows in), and costs without an approved estimate
// (only possible in books loaded from older data, or time booked before approval).
void rule_estimates(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    const Ledger& l = a.ledger();
    const auto as_of = static_cast<std::int32_t>(ctx.as_of.day_number());
    for (std::size_t j = 0; j < a.jobs().size(); ++j) {
        const auto* rows = &ctx.rows_by_job[j];
        if (rows->empty()) continue;
        const JobTicket& t = a.jobs()[j];
        std::int64_t estimate = 0, committed = 0, actual = 0, time_cost = 0;
        std::optional<Date> unapproved_vendor_cost;
        for (std::uint32_t i : *rows) {
            const Ledger::Row& r = l.row(i);
            if (r.day > as_of) continue;
            switch (r.kind) {
                case EntryKind::Estimate: estimate += r.amount; break;
                case EntryKind::Commitment: committed += r.amount; break;
                case EntryKind::ActualCost: {
                    actual += r.amount;
                    if (r.flags & Ledger::kTimeCost) time_cost += r.amount;
                    if (!unapproved_vendor_cost && !(r.flags & (Ledger::kTimeCost | Ledger::kReversal | Ledger::kReversed)) &&
                        r.day < ctx.first_approved[j])
                        unapproved_vendor_cost = Date(Date::date_int_type(static_cast<std::uint32_t>(r.day)));
                    break;
                }
                default: break;
            }
        }
        const Currency c = a.currency();
        if (unapproved_vendor_cost)
            out.push_back({"MB-2", Severity::Error, t.number,
                           "job " + t.number + " has vendor costs posted on " + day(*unapproved_vendor_cost) +
                               " without a client-approved cost estimate",
                           *unapproved_vendor_cost});
        if (!a.approved_estimate(t.number, ctx.as_of)) {
            if (time_cost > 0 && !unapproved_vendor_cost)
                out.push_back({"MB-2", Severity::Warning, t.number,
                               "job " + t.number + " carries " + Money(time_cost, c).format() +
                                   " of approved time but has no client-approved cost estimate",
                               std::nullopt});
            continue;
        }
        if (a.policy().overspend() == OverspendPolicy::Ignore) continue;
        for (const auto& [what, value] : {std::pair{"actual costs", actual}, std::pair{"commitments", committed}})
            if (value > estimate)
                out.push_back({"MB-2", Severity::Warning, t.number,
                               "job " + t.number + "'s " + what + " of " + Money(value, c).format() +
                                   " exceed the approved estimate " + Money(estimate, c).format() + " by " +
                                   Money(value - estimate, c).format() + "; raise a change order",
                               std::nullopt});
    }
}

// MB-4: unbilled work in progress older than a month (billings settle the oldest costs first).
void rule_unbilled_wip(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    const Ledger& l = a.ledger();
    const auto as_of = static_cast<std::int32_t>(ctx.as_of.day_number());
    const auto month_ago = static_cast<std::int32_t>((ctx.as_of - bg::months(1)).day_number());
    for (std::size_t j = 0; j < a.jobs().size(); ++j) {
        const auto* rows = &ctx.rows_by_job[j];
        if (rows->empty()) continue;
        std::int64_t actual = 0, billed = 0, recent = 0;
        for (std::uint32_t i : *rows) {
            const Ledger::Row& r = l.row(i);
            if (r.day > as_of) continue;
            if (r.kind == EntryKind::ActualCost) {
                actual += r.amount;
                if (r.day > month_ago) recent += r.amount;
            }
            if (r.kind == EntryKind::Invoice) billed += r.amount;
        }
        const std::int64_t old = std::min(actual - billed, actual - billed - recent);
        if (old > 0)
            out.push_back({"MB-4", Severity::Warning, a.jobs()[j].number,
                           "job " + a.jobs()[j].number + " has " + Money(old, a.currency()).format() +
                               " of costs older than a month still unbilled (unbilled WIP " +
                               Money(actual - billed, a.currency()).format() + ")",
                           ctx.as_of - bg::months(1)});
    }
}

// MB-6: overdue invoices to chase, at the escalation level their lateness has reached.
void rule_collections(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    const Policy& p = a.policy();
    for (const CollectionItem& c : a.collections(ctx.as_of)) {
        const int days = c.level == Escalation::AD ? p.escalation_ad_days()
                         : c.level == Escalation::AM ? p.escalation_am_days()
                                                     : p.escalation_ae_days();
        std::string who(to_string(c.level));
        if (c.owner) who.append(" ").append(staff_label(a, *c.owner));
        out.push_back({"MB-6", c.level == Escalation::AE ? Severity::Advice : Severity::Warning, c.invoice,
                       "invoice " + c.invoice + " of client " + a.client(c.client).name + " is " +
                           std::to_string(c.days_past_due) + " days past due with " + c.open.format() +
                           " open; the " + who + " chases it",
                       c.due + bg::days(days)});
    }
}

// CL-7: contracts ending within 30 days need the finance hand-over statement.
void rule_contract_end(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    for (const Client& c : a.clients()) {
        if (c.archived) continue;
        for (const Contract& t : c.contracts) {
            if (t.end < ctx.as_of || t.end > ctx.as_of + bg::days(30)) continue;
            const HandoverStatement s = a.handover_statement(c.code, t.id, ctx.as_of);
            out.push_back({"CL-7", Severity::Advice, c.code,
                           "contract " + t.id + " of client " + c.name + " ends on " + day(t.end) +
                               "; prepare the finance hand-over statement (service fees unpaid so far " +
                               s.unpaid_fees.format() + ")",
                           t.end});
        }
    }
}

// PE-3: evaluations whose period has ended but which are not finalized, and evaluations
// discussed with the evaluatee that carry no comments from them.
void rule_evaluations(const Agency& a, const AuditContext& ctx, std::vector<Finding>& out) {
    for (const Evaluation& e : a.evaluations()) {
        if (e.created_at >= ctx.end) continue;
        EvaluationStatus status = EvaluationStatus::Draft;
        for (const EvaluationStep& h : e.history)
            if (h.at < ctx.end) status = h.to;
        if (e.end < ctx.as_of && status != EvaluationStatus::Finalized)
            out.push_back({"PE-3", Severity::Warning, e.id,
                           "the " + std::string(to_string(e.period)) + " evaluation " + e.id + " of " +
                               staff_label(a, e.evaluatee) + " for " + day(e.start) + " to " + day(e.end) + " is still " +
                               std::string(to_string(status)) + " after its period ended",
                           e.end});
        if (status >= EvaluationStatus::Discussed && e.evaluatee_comments.empty())
            out.push_back({"PE-3", Severity::Advice, e.id,
                           "evaluation " + e.id + " of " + staff_label(a, e.evaluatee) +
                               " was discussed but has no comments from the evaluatee",
                           std::nullopt});
    }
}

using Rule = void (*)(const Agency&, const AuditContext&, std::vector<Finding>&);
constexpr std::array<Rule, 16> kRules{
    rule_span_of_control, rule_team_active,     rule_primary_contact, rule_contact_cadence,
    rule_follow_up,       rule_contact_reports, rule_meeting_notices, rule_status_reports,
    rule_plans,           rule_jobs,            rule_time,            rule_estimates,
    rule_unbilled_wip,    rule_collections,     rule_contract_end,    rule_evaluations,
};

}  // namespace

bool finding_less(const Finding& a, const Finding& b) {
    return std::tie(a.severity, a.rule, a.subject, a.due, a.message) <
           std::tie(b.severity, b.rule, b.subject, b.due, b.message);
}

std::vector<Finding> Agency::audit(const Date& as_of) const {
    require_valid(as_of, "as_of", "AS-4");
    // The rules look a few months around as_of; keep that inside Boost's 1400-9999.
    if (as_of < Date(1401, 1, 1) || as_of > Date(9998, 12, 31))
        throw ValidationError("AS-4", "as_of", bg::to_iso_extended_string(as_of), "must be within the years 1401-9998");
    std::vector<std::int32_t> first_approved(jobs_.size(), INT32_MAX);
    for (const CostEstimate& e : estimates_)
        if (const JobTicket* t = e.approved_at ? find_job(e.job) : nullptr) {
            std::int32_t& first = first_approved[index_of(*t)];
            first = std::min(first, static_cast<std::int32_t>(e.approved_at->date().day_number()));
        }
    const AuditContext ctx{as_of, DateTime(as_of + bg::days(1)), rows_by_job(*this), std::move(first_approved)};
    std::vector<Finding> out;
    for (Rule rule : kRules) rule(*this, ctx, out);
    std::sort(out.begin(), out.end(), finding_less);
    return out;
}

}  // namespace aecore
