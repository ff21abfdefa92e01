// Performance evaluation (SPEC PE-1..PE-6) on the Agency: rubrics, evaluations and their
// workflow, weighted scores, evidence computed from the book, the team view.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_set>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "ids.hpp"
#include "rounding.hpp"
#include "text_checks.hpp"

namespace aecore {

namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

namespace {

std::string day_text(const Date& d) { return bg::to_iso_extended_string(d); }
std::string time_text(const DateTime& t) { return bp::to_iso_extended_string(t); }
std::string status_name(EvaluationStatus s) { return std::string(to_string(s)); }

std::optional<Decimal> ratio(i128 num, i128 den, int places) {
    if (den <= 0) return std::nullopt;
    return divide_half_even(num, den, places);
}

std::string percent(const std::optional<Decimal>& share) {
    if (!share) return "n/a";
    return Decimal::from_units(share->units(), share->scale() - 2).to_string() + " %";  // a 4-place share
}

}  // namespace

// ---------------------------------------------------------------- rubrics (PE-1, PE-2)

const Rubric& Agency::add_rubric(const Rubric& r) {
    r.validate();
    if (std::any_of(rubrics_.begin(), rubrics_.end(), [&](const Rubric& x) { return x.id == r.id; }))
        throw ValidationError("PE-1", "rubric.id", quote(r.id), "a rubric with this id exists");
    rubrics_.push_back(r);
    return rubrics_.back();
}

const Rubric& Agency::rubric(std::string_view id) const {
    for (const Rubric& r : rubrics_)
        if (r.id == id) return r;
    throw NotFoundError("PE-1", "rubric", quote(id), "no such rubric");
}

// ---------------------------------------------------------------- evaluations (PE-3)

const Evaluation& Agency::evaluation(std::string_view id) const {
    auto it = evaluation_index_.find(id);
    if (it == evaluation_index_.end()) throw NotFoundError("PE-3", "evaluation", quote(id), "no such evaluation");
    return evaluations_[it->second];
}

Evaluation& Agency::editable_evaluation(std::string_view id) {
    Evaluation& e = evaluations_[evaluation_index_.find(std::string(evaluation(id).id))->second];
    if (e.status == EvaluationStatus::Finalized)
        throw StateError("PE-3", "evaluation.status", "Finalized",
                         "evaluation " + e.id + " is finalized and can no longer change");
    return e;
}

template <class Edit>
const Evaluation& Agency::edit_evaluation(std::string_view id, Edit&& edit) {
    Evaluation& target = editable_evaluation(id);
    Evaluation copy = target;
    edit(copy);
    target = std::move(copy);  // noexcept move: the strong guarantee holds
    return target;
}

const Evaluation& Agency::start_evaluation(const NewEvaluation& spec) {
    const Staff& evaluatee = active_staff(spec.evaluatee, "evaluation.evaluatee", "PE-3");
    const Staff& evaluator = active_staff(spec.evaluator, "evaluation.evaluator", "PE-3");
    if (!evaluatee.manager || *evaluatee.manager != evaluator.id)
        throw ValidationError("PE-3", "evaluation.evaluator", quote(evaluator.id),
                              "is not the direct manager of " + evaluatee.id + " " + evaluatee.name +
                                  (evaluatee.manager ? " (" + *evaluatee.manager + " is)" : " (who has no manager)"));
    if (spec.reviewers.empty() && !evaluator.manager)
        throw ValidationError("PE-3", "evaluation.reviewers", "[]",
                              "the evaluator " + evaluator.id + " has no manager to review the evaluation; name a reviewer");
    std::set<std::string> seen;
    for (const std::string& r : spec.reviewers) {
        (void)active_staff(r, "evaluation.reviewers", "PE-3");
        if (r == evaluatee.id || r == evaluator.id || !seen.insert(r).second)
            throw ValidationError("PE-3", "evaluation.reviewers", quote(r),
                                  "a reviewer is someone other than the evaluatee and the evaluator, listed once");
    }
    const Rubric& rub = rubric(spec.rubric);
    require_valid(spec.start, "evaluation.start", "PE-3");
    require_valid(spec.created_at, "evaluation.created_at", "PE-3");
    if (spec.start > Date(9990, 1, 1))
        throw ValidationError("PE-3", "evaluation.start", day_text(spec.start), "must be before the year 9990");
    const std::optional<Date> fixed_end = period_end(spec.period, spec.start);
    if (!fixed_end && !spec.end)
        throw ValidationError("PE-3", "evaluation.end", "none", "an AdHoc evaluation needs an end date");
    const Date end = fixed_end ? *fixed_end : *spec.end;
    if (spec.end && *spec.end != end)
        throw ValidationError("PE-3", "evaluation.end", day_text(*spec.end),
                              "a " + std::string(to_string(spec.period)) + " period starting " + day_text(spec.start) +
                                  " ends on " + day_text(end));
    require_valid(end, "evaluation.end", "PE-3");
    if (end < spec.start)
        throw ValidationError("PE-3", "evaluation.end", day_text(end), "is before the start " + day_text(spec.start));
    require_serial_left(next_evaluation_serial_, "sequences.evaluations");
    char buf[24];
    std::snprintf(buf, sizeof buf, "EV%04u", next_evaluation_serial_);
    Evaluation e{buf, evaluatee.id, evaluatee.title, evaluator.id, spec.reviewers, rub.id, spec.period, spec.start, end,
                 {}, {}, {}, EvaluationStatus::Draft, {}, spec.created_at};
    append_indexed(evaluations_, evaluation_index_, std::move(e), std::string(buf));
    ++next_evaluation_serial_;
    return evaluations_.back();
}

const Evaluation& Agency::score_criterion(std::string_view id, std::string_view criterion, int score,
                                          std::string comment) {
    const Evaluation& e = editable_evaluation(id);
    const Rubric& rub = rubric(e.rubric);
    const Criterion* c = rub.find(criterion);
    if (c == nullptr)
        throw NotFoundError("PE-1", "score.criterion", quote(criterion), "is not a criterion of rubric " + rub.id);
    if (c->weight(e.title).is_zero())
        throw ValidationError("PE-1", "score.criterion", quote(criterion),
                              "is weighted 0 for " + std::string(to_string(e.title)) + " in rubric " + rub.id +
                                  ": it is not assessed");
    if (score < 1 || score > 5)
        throw ValidationError("PE-1", "score.score", std::to_string(score),
                              "a score is 1 (unsatisfactory) to 5 (outstanding)");
    check_text(comment, "score.comment", "PE-3", 4000);
    return edit_evaluation(id, [&](Evaluation& x) {
        CriterionScore s{c->id, score, std::move(comment)};
        if (auto it = std::find_if(x.scores.begin(), x.scores.end(), [&](const CriterionScore& o) { return o.criterion == c->id; });
            it != x.scores.end()) {
            *it = std::move(s);
            return;
        }
        x.scores.push_back(std::move(s));
        // Keep rubric order.
        auto order = [&](const CriterionScore& o) {
            return std::find_if(rub.criteria.begin(), rub.criteria.end(),
                                [&](const Criterion& k) { return k.id == o.criterion; }) -
                   rub.criteria.begin();
        };
        std::stable_sort(x.scores.begin(), x.scores.end(),
                         [&](const CriterionScore& a, const CriterionScore& b) { return order(a) < order(b); });
    });
}

const Evaluation& Agency::set_evaluatee_comments(std::string_view id, std::string comments) {
    (void)editable_evaluation(id);
    check_text(comments, "evaluation.evaluatee_comments", "PE-3", 20000);
    return edit_evaluation(id, [&](Evaluation& x) { x.evaluatee_comments = std::move(comments); });
}

const Evaluation& Agency::set_kpis(std::string_view id, std::vector<Kpi> kpis) {
    (void)editable_evaluation(id);
    if (!kpis.empty()) (void)kpi_composite(kpis);
    return edit_evaluation(id, [&](Evaluation& x) { x.kpis = std::move(kpis); });
}

const Evaluation& Agency::advance_evaluation(std::string_view id, EvaluationStatus to, std::string_view actor,
                                             const DateTime& at, std::string note) {
    const Evaluation& e = editable_evaluation(id);
    const auto next = static_cast<EvaluationStatus>(static_cast<int>(e.status) + 1);
    if (to != next)
        throw StateError("PE-3", "evaluation.status", status_name(to),
                         "evaluation " + e.id + " is " + status_name(e.status) + "; the next step is " + status_name(next));
    const Staff& who = active_staff(actor, "evaluation.actor", "PE-3");
    const bool is_reviewer = std::find(e.reviewers.begin(), e.reviewers.end(), who.id) != e.reviewers.end();
    bool allowed = false;
    std::string expected;
    switch (to) {
        case EvaluationStatus::SharedWithEvaluatee:
            allowed = who.id == e.evaluator;
            expected = "the evaluator " + e.evaluator;
            break;
        case EvaluationStatus::Discussed:
            allowed = who.id == e.evaluator || who.id == e.evaluatee;
            expected = "the evaluator or the evaluatee";
            break;
        case EvaluationStatus::Reviewed:
            if (e.reviewers.empty()) {
                const Staff& boss = staff(e.evaluator);
                allowed = boss.manager && *boss.manager == who.id;
                expected = "the evaluator's manager (there are no reviewers)";
            } else {
                allowed = is_reviewer;
                expected = "a reviewer";
            }
            break;
        case EvaluationStatus::Finalized:
            allowed = who.id == e.evaluator || is_reviewer;
            expected = "the evaluator or a reviewer";
            break;
        case EvaluationStatus::Draft: break;
    }
    if (!allowed)
        throw ValidationError("PE-3", "evaluation.actor", quote(who.id),
                              "may not move evaluation " + e.id + " to " + status_name(to) + "; that is for " + expected);
    require_valid(at, "evaluation.at", "PE-3");
    const DateTime last = e.history.empty() ? e.created_at : e.history.back().at;
    if (at < last)
        throw ValidationError("PE-3", "evaluation.at", time_text(at), "is before the previous step (" + time_text(last) + ")");
    check_text(note, "evaluation.note", "PE-3", 4000);
    if (to == EvaluationStatus::Finalized) {
        const Rubric& rub = rubric(e.rubric);
        std::vector<std::string> missing;
        for (const Criterion& c : rub.criteria)
            if (!c.weight(e.title).is_zero() && !e.score_of(c.id)) missing.push_back(c.id);
        if (!missing.empty()) {
            std::string list;
            for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
            throw StateError("PE-3", "evaluation.scores", std::to_string(missing.size()) + " missing",
                             "evaluation " + e.id + " cannot be finalized before every weighted criterion is scored: " +
                                 list);
        }
    }
    const EvaluationStatus from = e.status;
    return edit_evaluation(id, [&](Evaluation& x) {
        x.history.push_back(EvaluationStep{from, to, at, who.id, std::move(note)});
        x.status = to;
    });
}

// ---------------------------------------------------------------- PE-4

std::optional<Decimal> Agency::weighted_score(std::string_view id) const {
    const Evaluation& e = evaluation(id);
    const Rubric& rub = rubric(e.rubric);
    i128 total = 0;  // score x hundredths of a percent
    for (const Criterion& c : rub.criteria) {
        const std::int64_t w = to_hundredths(c.weight(e.title));
        if (w == 0) continue;
        const CriterionScore* s = e.score_of(c.id);
        if (!s) return std::nullopt;
        total += static_cast<i128>(s->score) * w;
    }
    return ratio(total, 10000, 2);
}

std::optional<Rating> Agency::rating(std::string_view id) const {
    const auto score = weighted_score(id);
    if (!score) return std::nullopt;
    return rating_of(*score, policy_.rating_bands());
}

// ---------------------------------------------------------------- PE-5 evidence

std::vector<EvidenceItem> Agency::evidence(std::string_view who, const Date& from, const Date& to) const {
    const Staff& person = staff(who);
    require_valid(from, "from", "PE-5");
    require_valid(to, "to", "PE-5");
    if (to < from) throw ValidationError("PE-5", "to", day_text(to), "is before " + day_text(from));
    if (from < Date(1401, 1, 1) || to > Date(9998, 12, 31))
        throw ValidationError("PE-5", "from", day_text(from), "the period must be within the years 1401-9998");
    const DateTime end(to + bg::days(1));
    std::vector<EvidenceItem> out;
    auto item = [&](EvidenceMetric m, std::optional<Decimal> value, std::int64_t num, std::int64_t den, std::string detail) {
        out.push_back(EvidenceItem{m, value, num, den, std::move(detail), {}});
    };

    // Their clients: those whose team on `to` includes the person in any role.
    std::vector<const Client*> mine;
    std::vector<char> mine_at(clients_.size(), 0);  // by client index
    for (std::size_t ci = 0; ci < clients_.size(); ++ci) {
        const Client& c = clients_[ci];
        const TeamAssignment* t = c.team_on(to);
        if (!t || c.archived) continue;
        const AccountTeam& team = t->team;
        if (team.ae == person.id || team.aae == person.id || team.am == person.id || team.ad == person.id) {
            mine.push_back(&c);
            mine_at[ci] = 1;
        }
    }
    auto is_mine = [&](std::string_view code) {
        const auto it = client_index_.find(code);
        return it != client_index_.end() && mine_at[it->second];
    };

    // AS-1: contact reports within 48 hours of their meetings, visits and important calls.
    std::int64_t due = 0, on_time = 0;
    for (const Activity& act : activities_) {
        if (act.staff != person.id || !act.needs_contact_report() || act.when.date() < from) continue;
        const DateTime deadline = act.when + bp::hours(48);
        if (deadline >= end) continue;  // not yet due at the period's end
        ++due;
        const ContactReport* r = contact_report_for(act.id);
        on_time += r && r->written_at <= deadline;
    }
    item(EvidenceMetric::ContactReportsOnTime, ratio(on_time, due, 4), on_time, due,
         std::to_string(on_time) + " of " + std::to_string(due) + " contact reports written within 48 hours");

    // AS-3: weekly reports for the weeks they owned a client, by the following Monday.
    std::int64_t weeks = 0, weekly_on_time = 0;
    Date monday = from + bg::days((7 - (static_cast<int>(weekday_of(from)) + 6) % 7) % 7);
    for (; monday + bg::days(7) <= to; monday += bg::days(7)) {
        const Date sunday = monday + bg::days(6);
        const bool owner = std::any_of(clients_.begin(), clients_.end(), [&](const Client& c) {
            const TeamAssignment* t = c.team_on(sunday);
            return !c.archived && t && t->team.ae == person.id;
        });
        if (!owner) continue;
        ++weeks;
        const DateTime deadline(monday + bg::days(8));  // the end of the next Monday
        const StatusReport* report = status_report_for(person.id, ReportKind::Weekly, monday);
        weekly_on_time += report && report->submitted_at < deadline;
    }
    item(EvidenceMetric::WeeklyReportsOnTime, ratio(weekly_on_time, weeks, 4), weekly_on_time, weeks,
         std::to_string(weekly_on_time) + " of " + std::to_string(weeks) + " weekly status reports on time");

    // JT-12: their clients' tickets client-approved in the period.
    std::int64_t delivered = 0, delivered_on_time = 0, rounds = 0;
    for (const JobTicket& t : jobs_) {
        const auto approved = t.reached(TicketStatus::ClientApproved);
        if (!approved || approved->date() < from || approved->date() > to || !is_mine(t.client)) continue;
        ++delivered;
        delivered_on_time += *approved <= t.client_deadline;
        rounds += t.revision_rounds;
    }
    item(EvidenceMetric::JobsOnTime, ratio(delivered_on_time, delivered, 4), delivered_on_time, delivered,
         std::to_string(delivered_on_time) + " of " + std::to_string(delivered) + " tickets delivered by the deadline");
    item(EvidenceMetric::RevisionRounds, ratio(rounds, delivered, 2), rounds, delivered,
         std::to_string(rounds) + " client change requests on " + std::to_string(delivered) + " delivered tickets");

    // MB-2: jobs of their clients over the approved estimate at the period's end.
    std::int64_t estimated = 0, overruns = 0;
    const auto last_day = static_cast<std::int32_t>(to.day_number());
    // Only their clients' rows (a job's rows are its client's): the month buckets up to `to`.
    std::vector<std::int64_t> actual(jobs_.size(), 0);
    std::int64_t opening = 0, billed = 0, collected = 0;
    const auto first_day = static_cast<std::int32_t>(from.day_number());
    const std::int32_t last_month = to.year() * 12 + to.month() - 1;
    for (std::size_t ci = 0; ci < clients_.size(); ++ci) {
        const MonthIndex* months = mine_at[ci] ? ledger_.months_of(ci) : nullptr;
        if (!months) continue;
        for (const auto& [month, bucket] : *months) {
            if (month > last_month) break;
            for (const std::uint32_t i : bucket) {
                const Ledger::Row& r = ledger_.row(i);
                if (r.day > last_day) continue;
                if ((r.flags & Ledger::kHasJob) && r.kind == EntryKind::ActualCost) actual[r.owner] += r.amount;
                if (r.kind == EntryKind::Invoice && r.day >= first_day) billed += r.amount;
                if (r.kind == EntryKind::Payment && r.day >= first_day) collected += r.amount;
                if (const std::uint32_t k = Ledger::own_invoice(r); k != Ledger::kNone && r.day < first_day)
                    opening += invoice_open_at(k, first_day - 1);
            }
        }
    }
    for (std::size_t j = 0; j < jobs_.size(); ++j) {
        if (!is_mine(jobs_[j].client)) continue;
        const auto estimate = approved_estimate(jobs_[j].number, to);
        if (!estimate) continue;
        ++estimated;
        overruns += actual[j] > estimate->minor_units();
    }
    item(EvidenceMetric::EstimateOverruns, estimated ? std::optional<Decimal>(Decimal(overruns)) : std::nullopt, overruns,
         estimated, std::to_string(overruns) + " of " + std::to_string(estimated) + " estimated jobs over their estimate");

    // MB-3: collection rate of their clients.
    const auto rate = ratio(collected, static_cast<i128>(opening) + billed, 4);
    item(EvidenceMetric::CollectionRate, rate, collected, opening + billed,
         "collected " + Money(collected, currency_).format() + " of " + Money(opening, currency_).format() +
             " open at the start plus " + Money(billed, currency_).format() + " billed (" + percent(rate) + ")");

    // MB-5: DSO of their clients at the period's end.
    const AgingReport aged = aging(to);
    std::int64_t receivable = 0, window_billed = 0;
    for (const AgingRow& row : aged.rows)
        if (is_mine(row.client)) {
            receivable += row.buckets.total.minor_units();
            window_billed += row.billed.minor_units();
        }
    // window_billed of clients without an open balance is not in the rows: add it.
    std::unordered_set<std::string_view> aged_clients;
    for (const AgingRow& row : aged.rows) aged_clients.insert(row.client);
    for (const Client* c : mine)
        if (!aged_clients.contains(c->code))
            for (const LedgerEntry& le : ledger_entries(c->code, std::nullopt, to - bg::days(aged.dso_days - 1), to))
                if (le.kind == EntryKind::Invoice) window_billed += le.amount.minor_units();
    const auto dso = ratio(static_cast<i128>(receivable) * aged.dso_days, window_billed, 1);
    item(EvidenceMetric::Dso, dso, receivable, window_billed,
         "DSO " + (dso ? dso->to_string() : std::string("n/a")) + " days: " + Money(receivable, currency_).format() +
             " receivable against " + Money(window_billed, currency_).format() + " billed in " +
             std::to_string(aged.dso_days) + " days");

    // CL-4: client-days within the contact cadence (business days, at most the last 400 days).
    std::int64_t client_days = 0, compliant = 0;
    Date d = std::max(from, to - bg::days(399));
    for (; d <= to; d += bg::days(1)) {
        if (!calendar_.is_business_day(d)) continue;
        for (const Client* c : mine) {
            const StageChange* s = c->stage_on(d);
            if (c->first_contact > d || !s ||
                (s->stage != PipelineStage::Closed && s->stage != PipelineStage::Negotiating))
                continue;
            ++client_days;
            compliant += !overdue_contact(*c, d);  // only their clients, not the whole book's list
        }
    }
    item(EvidenceMetric::ContactCadence, ratio(compliant, client_days, 4), compliant, client_days,
         std::to_string(compliant) + " of " + std::to_string(client_days) + " client-days within the contact cadence");
    return out;
}

std::vector<EvidenceItem> Agency::evidence(std::string_view id, std::optional<Date> as_of) const {
    const Evaluation& e = evaluation(id);
    const Rubric& rub = rubric(e.rubric);
    Date to = e.end;
    if (as_of) {
        require_valid(*as_of, "as_of", "PE-5");
        if (*as_of < e.start)
            throw ValidationError("PE-5", "as_of", day_text(*as_of), "is before the evaluation period starts");
        to = std::min(to, *as_of);
    }
    std::vector<EvidenceItem> items = evidence(e.evaluatee, e.start, to);
    for (EvidenceItem& item : items)
        for (const Criterion& c : rub.criteria)
            if (!c.weight(e.title).is_zero() &&
                std::find(c.evidence.begin(), c.evidence.end(), item.metric) != c.evidence.end())
                item.criteria.push_back(c.id);
    std::erase_if(items, [](const EvidenceItem& i) { return i.criteria.empty(); });
    return items;
}

// ---------------------------------------------------------------- team view

std::vector<TeamEvaluationRow> Agency::team_evaluations(std::string_view lead, const Date& from, const Date& to) const {
    const Staff& head = staff(lead);
    require_valid(from, "from", "PE-3");
    require_valid(to, "to", "PE-3");
    if (to < from) throw ValidationError("PE-3", "to", day_text(to), "is before " + day_text(from));
    auto reports_to_head = [&](const Staff& s) {
        const Staff* cur = &s;
        for (std::size_t steps = 0; cur->manager && steps <= staff_.size(); ++steps) {
            if (*cur->manager == head.id) return true;
            cur = find_staff(*cur->manager);
            if (!cur) return false;
        }
        return false;
    };
    std::vector<TeamEvaluationRow> out;
    for (const Evaluation& e : evaluations_) {
        if (e.end < from || e.start > to || !reports_to_head(staff(e.evaluatee))) continue;
        out.push_back(TeamEvaluationRow{e.id, e.evaluatee, e.title, e.evaluator, e.status, weighted_score(e.id),
                                        rating(e.id), evidence(e.id, to)});
    }
    return out;
}

std::vector<CalibrationRow> Agency::calibration(std::string_view lead, const Date& from, const Date& to) const {
    std::map<std::string, std::vector<std::int64_t>> scores;  // evaluator -> hundredths
    for (const TeamEvaluationRow& row : team_evaluations(lead, from, to))
        if (row.score) scores[row.evaluator].push_back(to_hundredths(*row.score));
    std::vector<CalibrationRow> out;
    for (const auto& [evaluator, xs] : scores) {
        const auto n = static_cast<std::int64_t>(xs.size());
        i128 sum = 0;
        for (std::int64_t x : xs) sum += x;
        // variance x n^2 in hundredths^2: n * Σx² - (Σx)²
        i128 sq = 0;
        for (std::int64_t x : xs) sq += static_cast<i128>(x) * x;
        const i128 var_n2 = static_cast<i128>(n) * sq - sum * sum;
        // spread = sqrt(var_n2) / n hundredths, rounded once, half even, from the exact value:
        // k = floor(sqrt(V) / n) = floor(isqrt(V) / n); round up when sqrt(V) / n > k + 1/2,
        // i.e. 4V > n^2 (2k + 1)^2, and on an exact tie when k is odd.
        i128 root = static_cast<i128>(std::sqrt(static_cast<long double>(var_n2)));
        while (root * root > var_n2) --root;
        while ((root + 1) * (root + 1) <= var_n2) ++root;
        i128 k = root / n;
        const i128 tie = static_cast<i128>(n) * n * (2 * k + 1) * (2 * k + 1);
        if (4 * var_n2 > tie || (4 * var_n2 == tie && k % 2 != 0)) ++k;
        out.push_back(CalibrationRow{evaluator, static_cast<int>(n), Decimal::from_units(0, 2).normalized(), {}, {}, {}});
        CalibrationRow& row = out.back();
        row.mean = *ratio(sum, static_cast<i128>(n) * 100, 2);
        row.spread = Decimal::from_units(static_cast<std::int64_t>(k), 2);
        row.min = Decimal::from_units(*std::min_element(xs.begin(), xs.end()), 2);
        row.max = Decimal::from_units(*std::max_element(xs.begin(), xs.end()), 2);
    }
    return out;
}

}  // namespace aecore
