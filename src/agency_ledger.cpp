// Cost estimates (MB-2) and the ledger (MB-3): the Agency validates every posting and
// appends it to the compact store, or changes nothing. The loader replays saved entries
// through the same checks (replay mode), except those that depend on who is still
// employed and on the overspend policy of the day: those were checked when the entry was
// posted, and the audit reports what they would say today. The same goes for a cost
// without an approved estimate: a loaded book keeps its history (older or imported data)
// and the audit reports it as an MB-2 error.

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstdio>

#include "aecore/agency.hpp"
#include "aecore/error.hpp"
#include "ledger_internal.hpp"
#include "text_checks.hpp"

namespace aecore {

namespace bg = boost::gregorian;
namespace bp = boost::posix_time;

namespace {

// Ledger::append names what it checks itself (the amount's 64-bit limits) "amount", in
// minor units; a posting reports them under its own field, with the amount as Money.
void append_posting(Ledger& ledger, const Ledger::Row& row, std::string_view reference, std::size_t client,
                    std::string_view field, const Money& amount, std::optional<Ledger::Invoice> invoice = std::nullopt,
                    std::optional<std::string_view> confirmation = std::nullopt) {
    try {
        ledger.append(row, reference, client, invoice, confirmation);
    } catch (const ValidationError& e) {
        if (e.field() != "amount") throw;
        throw ValidationError(e.rule(), std::string(field), amount.to_string(), e.detail());
    }
}

std::string day_text(const Date& d) { return bg::to_iso_extended_string(d); }
std::string time_text(const DateTime& t) { return bp::to_iso_extended_string(t); }

// Invoice numbers: 1-64 printable ASCII characters without spaces.
void check_invoice_number(std::string_view n, std::string_view field) {
    bool ok = !n.empty() && n.size() <= 64;
    for (char c : n) ok = ok && c > ' ' && c < 127;
    if (!ok)
        throw ValidationError("MB-3", std::string(field), quote(n),
                              "an invoice number is 1-64 printable characters without spaces");
}

void check_reference(std::string_view r, std::string_view field, bool required) {
    if (required && r.empty()) throw ValidationError("MB-3", std::string(field), quote(r), "is required");
    check_text(r, field, "MB-3", 255);
}

}  // namespace

// ---------------------------------------------------------------- shared checks

void Agency::check_money_in_book(const Money& m, std::string_view field) const {
    if (m.currency() != currency_)
        throw ValidationError("MB-1", std::string(field), m.to_string(),
                              "must be in the agency currency " + std::string(currency_.code()) +
                                  "; the ledger never mixes currencies");
}

void Agency::check_entry_date(const Client& c, const Date& d, std::string_view field) const {
    require_valid(d, field, "MB-3");
    if (d < c.first_contact)
        throw ValidationError("MB-3", std::string(field), day_text(d),
                              "is before client " + c.code + "'s first contact on " + day_text(c.first_contact));
    if (d > Date(9998, 12, 31))
        throw ValidationError("MB-3", std::string(field), day_text(d), "must be in the years up to 9998");
}

std::size_t Agency::recorder(std::string_view id, std::string_view field, bool replay) const {
    if (!replay) return index_of(active_staff(id, field, "MB-3"));
    const Staff* s = find_staff(id);  // a stored entry may name someone who has left since
    if (!s) throw NotFoundError("MB-3", std::string(field), quote(id), "no such staff member");
    return index_of(*s);
}

const Client& Agency::client_of(const JobTicket& job) const {
    // A job never changes client: once it has rows, the ledger knows which.
    if (const std::uint32_t k = ledger_.client_of_job(index_of(job)); k != Ledger::kNone) return clients_[k];
    return client(job.client);
}

const JobTicket& Agency::ledger_job(std::string_view number, std::string_view field, bool allow_cancelled,
                                    std::string_view rule, const JobTicket* hint) const {
    assert(!hint || hint->number == number);
    const JobTicket* j = hint ? hint : find_job(number);
    if (j == nullptr) throw NotFoundError(std::string(rule), std::string(field), quote(number), "no such job ticket");
    if (!allow_cancelled && j->status == TicketStatus::Cancelled)
        throw StateError(std::string(rule), std::string(field), quote(number),
                         "is Cancelled; it takes no new estimates, commitments, costs or invoices");
    return *j;
}

std::int64_t Agency::job_total(std::size_t job, EntryKind kind) const {
    return ledger_.job_totals(job)[static_cast<std::size_t>(kind)];
}

const CostEstimate* Agency::approved_version(std::string_view job, const DateTime& end) const {
    auto it = estimates_by_job_.find(std::string(job));
    if (it == estimates_by_job_.end()) return nullptr;
    const CostEstimate* best = nullptr;
    for (std::size_t i : it->second) {
        const CostEstimate& e = estimates_[i];
        if (e.approved_at && *e.approved_at < end && (!best || *e.approved_at >= *best->approved_at)) best = &e;
    }
    return best;
}

void Agency::check_spend(const JobTicket& job, EntryKind kind, const Money& amount, const Date& date,
                         std::string_view prefix) const {
    const std::string p(prefix);
    const DateTime end(date + bg::days(1));
    if (approved_version(job.number, end) == nullptr)
        throw StateError("MB-2", p + ".job", quote(job.number),
                         "has no client-approved cost estimate on " + day_text(date) +
                             "; the client approves the estimate before money is committed or spent");
    if (policy_.overspend() != OverspendPolicy::Stop) return;  // Warn: the audit reports it; Ignore: nothing
    // Stop: on every day from the posting's date on, the job's entries of this kind dated
    // up to that day (this one included) fit the estimate in force that day. The sums
    // change only on entry dates and the estimate only on approval dates, so those days
    // (and the posting's own) are the ones to check.
    const auto owner = static_cast<std::uint32_t>(index_of(job));
    const auto day = static_cast<std::int32_t>(date.day_number());
    std::vector<std::pair<std::int32_t, std::int64_t>> dated;  // (day, amount) of the job's entries of `kind`
    std::vector<std::int32_t> checkpoints{day};
    if (const auto* months = ledger_.months_of(client_index_.at(job.client)))
        for (const auto& [month, bucket] : *months)
            for (std::uint32_t i : bucket) {
                const Ledger::Row& r = ledger_.row(i);
                if (!(r.flags & Ledger::kHasJob) || r.owner != owner || r.kind != kind) continue;
                dated.emplace_back(r.day, r.amount);
                if (r.day > day) checkpoints.push_back(r.day);
            }
    for (std::size_t i : estimates_by_job_.at(job.number))
        if (const auto& at = estimates_[i].approved_at; at && static_cast<std::int32_t>(at->date().day_number()) > day)
            checkpoints.push_back(static_cast<std::int32_t>(at->date().day_number()));
    std::sort(dated.begin(), dated.end());
    std::sort(checkpoints.begin(), checkpoints.end());
    checkpoints.erase(std::unique(checkpoints.begin(), checkpoints.end()), checkpoints.end());
    std::int64_t total = amount.minor_units();
    std::size_t next = 0;
    for (std::int32_t check : checkpoints) {
        for (; next < dated.size() && dated[next].first <= check; ++next)
            total = checked_add(total, dated[next].second, p + ".amount");
        const Date d = day_date(check);
        const CostEstimate* in_force = approved_version(job.number, DateTime(d + bg::days(1)));
        const std::int64_t estimate = in_force->amount.minor_units();
        if (total <= estimate) continue;
        const bool commit = kind == EntryKind::Commitment;
        throw ValidationError("MB-2", p + ".amount", amount.to_string(),
                              "would take job " + job.number + "'s " + (commit ? "commitments" : "actual costs") +
                                  " on " + day_text(d) + " to " + Money(total, currency_).to_string() +
                                  ", above the estimate then in force, " + in_force->id() + " of " +
                                  in_force->amount.to_string() + " approved on " +
                                  day_text(in_force->approved_at->date()) + " (overspend policy Stop)");
    }
}

// ---------------------------------------------------------------- cost estimates (MB-2)

const CostEstimate& Agency::prepare_estimate(const NewEstimate& spec) {
    const JobTicket& job = ledger_job(spec.job, "estimate.job", false, "MB-2");
    check_money_in_book(spec.amount, "estimate.amount");
    if (!spec.amount.is_positive())
        throw ValidationError("MB-2", "estimate.amount", spec.amount.to_string(), "must be more than zero");
    check_text(spec.note, "estimate.note", "MB-2", 2000);
    (void)active_staff(spec.prepared_by, "estimate.prepared_by", "MB-2");
    require_valid(spec.prepared_at, "estimate.prepared_at", "MB-2");
    if (spec.prepared_at < job.opened_at)
        throw ValidationError("MB-2", "estimate.prepared_at", time_text(spec.prepared_at),
                              "is before job " + job.number + " was opened");
    auto found = estimates_by_job_.find(job.number);
    std::optional<std::size_t> draft;
    if (found != estimates_by_job_.end()) {
        const CostEstimate& last = estimates_[found->second.back()];
        const DateTime latest = std::max(last.prepared_at, last.approved_at.value_or(last.prepared_at));
        if (spec.prepared_at < latest)
            throw ValidationError("MB-2", "estimate.prepared_at", time_text(spec.prepared_at),
                                  "is before version " + std::to_string(last.version) + " of the estimate (" +
                                      time_text(latest) + ")");
        if (last.status == EstimateStatus::Draft) draft = found->second.back();
        if (found->second.size() >= 999)
            throw StateError("MB-2", "estimate.job", quote(job.number), "already has 999 estimate versions");
    }
    CostEstimate e{job.number,
                   found == estimates_by_job_.end() ? 1 : static_cast<int>(found->second.size()) + 1,
                   spec.amount,
                   spec.note,
                   spec.prepared_by,
                   spec.prepared_at,
                   EstimateStatus::Draft,
                   std::nullopt,
                   std::nullopt};
    append_estimate(std::move(e));
    if (draft) estimates_[*draft].status = EstimateStatus::Withdrawn;
    return estimates_.back();
}

void Agency::append_estimate(CostEstimate e) {
    const std::string job = e.job;
    auto [slot, inserted] = estimates_by_job_.try_emplace(job);
    try {
        slot->second.reserve(slot->second.size() + 1);
        estimates_.push_back(std::move(e));
    } catch (...) {
        if (inserted) estimates_by_job_.erase(slot);
        throw;
    }
    slot->second.push_back(estimates_.size() - 1);  // capacity reserved: cannot throw
}

const CostEstimate& Agency::approve_estimate(std::string_view job_number, int version, std::string_view contact,
                                             const DateTime& at) {
    const JobTicket& job = ledger_job(job_number, "estimate.job", false, "MB-2");
    auto found = estimates_by_job_.find(job.number);
    if (found == estimates_by_job_.end() || version < 1 || static_cast<std::size_t>(version) > found->second.size())
        throw NotFoundError("MB-2", "estimate.version", std::to_string(version),
                            "job " + job.number + " has no such estimate version");
    const std::size_t index = found->second[static_cast<std::size_t>(version - 1)];
    const CostEstimate& e = estimates_[index];
    if (e.status != EstimateStatus::Draft)
        throw StateError("MB-2", "estimate.status", std::string(to_string(e.status)),
                         "version " + std::to_string(version) + " of job " + job.number + "'s estimate is " +
                             std::string(to_string(e.status)) + "; only a Draft is approved");
    const Client& c = client_of(job);
    if (!c.find_contact(contact))
        throw NotFoundError("MB-2", "estimate.approved_by", quote(contact), "is not a contact of client " + c.code);
    require_valid(at, "estimate.approved_at", "MB-2");
    if (at < e.prepared_at)
        throw ValidationError("MB-2", "estimate.approved_at", time_text(at), "is before the estimate was prepared");
    const CostEstimate* previous = approved_version(job.number, DateTime(bg::date(9999, 12, 31)));
    const std::int64_t before = previous ? previous->amount.minor_units() : 0;
    if (previous && at < *previous->approved_at)
        throw ValidationError("MB-2", "estimate.approved_at", time_text(at),
                              "is before version " + std::to_string(previous->version) + " was approved");
    check_entry_date(c, at.date(), "estimate.approved_at");
    const std::int64_t delta = checked_sub(e.amount.minor_units(), before, "estimate.amount");
    std::string approver(contact);  // allocated before the ledger changes
    if (delta != 0) {
        Ledger::Row row{delta, static_cast<std::int32_t>(at.date().day_number()),
                        static_cast<std::uint32_t>(index_of(job)), static_cast<std::uint32_t>(version), 0,
                        static_cast<std::uint32_t>(staff_index_.at(e.prepared_by)), EntryKind::Estimate,
                        Ledger::kHasJob, 0};
        ledger_.append(row, e.id(), index_of(c));
    }
    // Nothing below throws.
    if (previous) estimates_[static_cast<std::size_t>(previous - estimates_.data())].status = EstimateStatus::Superseded;
    CostEstimate& target = estimates_[index];
    target.status = EstimateStatus::ClientApproved;
    target.approved_by = std::move(approver);
    target.approved_at = at;
    return target;
}

std::vector<CostEstimate> Agency::estimates(std::string_view job) const {
    (void)this->job(job);
    std::vector<CostEstimate> out;
    if (auto it = estimates_by_job_.find(std::string(job)); it != estimates_by_job_.end())
        for (std::size_t i : it->second) out.push_back(estimates_[i]);
    return out;
}

std::optional<Money> Agency::approved_estimate(std::string_view job, const Date& as_of) const {
    (void)this->job(job);
    require_valid(as_of, "as_of", "MB-2");
    const CostEstimate* e = approved_version(job, DateTime(as_of + bg::days(1)));
    if (!e) return std::nullopt;
    return e->amount;
}

// ---------------------------------------------------------------- postings (MB-3)

LedgerEntry Agency::commit_cost(const NewCommitment& spec) { return ledger_entry(commit_impl(spec, false)); }

std::size_t Agency::commit_impl(const NewCommitment& spec, bool replay, const JobTicket* job_hint) {
    const JobTicket& job = ledger_job(spec.job, "commitment.job", replay, "MB-3", job_hint);
    const Client& c = client_of(job);
    check_entry_date(c, spec.date, "commitment.date");
    check_money_in_book(spec.amount, "commitment.amount");
    if (!spec.amount.is_positive())
        throw ValidationError("MB-3", "commitment.amount", spec.amount.to_string(),
                              "must be more than zero; a correction is a reversing entry");
    check_reference(spec.reference, "commitment.reference", true);
    if (spec.media_booking && (!spec.confirmation || spec.confirmation->empty()))
        throw ValidationError("MB-3", "commitment.confirmation", "none",
                              "a media booking needs the client's written confirmation reference");
    if (!spec.media_booking && spec.confirmation)
        throw ValidationError("MB-3", "commitment.confirmation", quote(*spec.confirmation),
                              "only a media booking carries a client confirmation");
    if (spec.confirmation) check_reference(*spec.confirmation, "commitment.confirmation", true);
    const std::size_t who = recorder(spec.recorded_by, "commitment.recorded_by", replay);
    if (!replay) check_spend(job, EntryKind::Commitment, spec.amount, spec.date, "commitment");
    const auto flags = static_cast<std::uint8_t>(Ledger::kHasJob | (spec.media_booking ? Ledger::kMediaBooking : 0));
    Ledger::Row row{spec.amount.minor_units(), static_cast<std::int32_t>(spec.date.day_number()),
                    static_cast<std::uint32_t>(index_of(job)), 0, 0, static_cast<std::uint32_t>(who),
                    EntryKind::Commitment, flags, 0};
    std::optional<std::string_view> confirmation;
    if (spec.confirmation) confirmation = *spec.confirmation;
    append_posting(ledger_, row, spec.reference, index_of(c), "commitment.amount", spec.amount,
                   std::nullopt, confirmation);
    return ledger_.size() - 1;
}

LedgerEntry Agency::record_cost(const NewActualCost& spec) { return ledger_entry(cost_impl(spec, false)); }

std::size_t Agency::cost_impl(const NewActualCost& spec, bool replay, const JobTicket* job_hint) {
    const JobTicket& job = ledger_job(spec.job, "cost.job", replay, "MB-3", job_hint);
    const Client& c = client_of(job);
    check_entry_date(c, spec.date, "cost.date");
    check_money_in_book(spec.amount, "cost.amount");
    if (!spec.amount.is_positive())
        throw ValidationError("MB-3", "cost.amount", spec.amount.to_string(),
                              "must be more than zero; a correction is a reversing entry");
    check_reference(spec.reference, "cost.reference", true);
    const std::size_t who = recorder(spec.recorded_by, "cost.recorded_by", replay);
    if (!replay) check_spend(job, EntryKind::ActualCost, spec.amount, spec.date, "cost");
    Ledger::Row row{spec.amount.minor_units(), static_cast<std::int32_t>(spec.date.day_number()),
                    static_cast<std::uint32_t>(index_of(job)), 0, 0, static_cast<std::uint32_t>(who),
                    EntryKind::ActualCost, Ledger::kHasJob, 0};
    append_posting(ledger_, row, spec.reference, index_of(c), "cost.amount", spec.amount);
    return ledger_.size() - 1;
}

void Agency::post_time_cost(std::size_t time_index, std::string_view approver) {
    const TimeEntry& e = time_entries_[time_index];
    if (e.cost.is_zero()) return;
    const JobTicket& job = this->job(e.job);
    Ledger::Row row{e.cost.minor_units(), static_cast<std::int32_t>(e.date.day_number()),
                    static_cast<std::uint32_t>(index_of(job)), static_cast<std::uint32_t>(time_index), 0,
                    static_cast<std::uint32_t>(staff_index_.at(std::string(approver))), EntryKind::ActualCost,
                    static_cast<std::uint8_t>(Ledger::kHasJob | Ledger::kTimeCost), 0};
    ledger_.append(row, e.id, index_of(client_of(job)));
}

LedgerEntry Agency::issue_invoice(const NewInvoice& spec) { return ledger_entry(invoice_impl(spec, false)); }

std::size_t Agency::invoice_impl(const NewInvoice& spec, bool replay, const JobTicket* job_hint) {
    check_invoice_number(spec.number, "invoice.number");
    if (const std::size_t k = ledger_.find_invoice(spec.number); k != static_cast<std::size_t>(-1))
        throw ValidationError("MB-3", "invoice.number", quote(spec.number),
                              "is already used by ledger entry " + entry_id(ledger_.invoice(k).row) +
                                  "; invoice numbers are never reused");
    const JobTicket* job = nullptr;
    if (spec.job) job = &ledger_job(*spec.job, "invoice.job", replay, "MB-3", job_hint);
    if (!job && !spec.client)
        throw ValidationError("MB-3", "invoice.client", "none", "an invoice bills a job or a client");
    // A job's client from the ledger's job-to-client index once the job has rows (the
    // ticket itself is not read: replaying a big ledger would wait for it).
    const Client* c = job ? &client_of(*job) : find_client(*spec.client);
    if (c == nullptr) throw NotFoundError("MB-3", "invoice.client", quote(*spec.client), "no such client");
    if (job && spec.client && *spec.client != c->code)
        throw ValidationError("MB-3", "invoice.client", quote(*spec.client),
                              "job " + job->number + " belongs to client " + c->code);
    std::uint32_t contract = 0;
    if (spec.contract) {
        auto it = std::find_if(c->contracts.begin(), c->contracts.end(),
                               [&](const Contract& t) { return t.id == *spec.contract; });
        if (it == c->contracts.end())
            throw NotFoundError("CL-7", "invoice.contract", quote(*spec.contract), "is not a contract of client " + c->code);
        contract = static_cast<std::uint32_t>(it - c->contracts.begin()) + 1;
    }
    check_entry_date(*c, spec.date, "invoice.date");
    require_valid(spec.due, "invoice.due", "MB-3");
    if (spec.due < spec.date)
        throw ValidationError("MB-3", "invoice.due", day_text(spec.due), "is before the invoice date " + day_text(spec.date));
    if (spec.due > Date(9998, 12, 31))
        throw ValidationError("MB-3", "invoice.due", day_text(spec.due), "must be in the years up to 9998");
    check_money_in_book(spec.amount, "invoice.amount");
    if (spec.amount.is_zero())
        throw ValidationError("MB-3", "invoice.amount", spec.amount.to_string(),
                              "must not be zero (a credit note is a negative invoice)");
    const std::size_t who = recorder(spec.recorded_by, "invoice.recorded_by", replay);
    const std::uint32_t owner =
        static_cast<std::uint32_t>(job ? index_of(*job) : index_of(*c));
    Ledger::Row row{spec.amount.minor_units(), static_cast<std::int32_t>(spec.date.day_number()), owner, 0, 0,
                    static_cast<std::uint32_t>(who), EntryKind::Invoice,
                    static_cast<std::uint8_t>(job ? Ledger::kHasJob : 0), 0};
    Ledger::Invoice inv{0, static_cast<std::int32_t>(spec.due.day_number()), spec.amount.minor_units(), contract, 0};
    append_posting(ledger_, row, spec.number, index_of(*c), "invoice.amount", spec.amount, inv);
    return ledger_.size() - 1;
}

LedgerEntry Agency::record_payment(const NewPayment& spec) { return ledger_entry(payment_impl(spec, false)); }

std::size_t Agency::payment_impl(const NewPayment& spec, bool replay) {
    const std::size_t k = ledger_.find_invoice(spec.invoice);
    if (k == static_cast<std::size_t>(-1))
        throw NotFoundError("MB-3", "payment.invoice", quote(spec.invoice), "no such invoice");
    const Ledger::Invoice& inv = ledger_.invoice(k);
    const Ledger::Row& inv_row = ledger_.row(inv.row);
    const std::size_t client_index = client_of_row(inv_row);
    const Client& c = clients_[client_index];
    if (inv_row.flags & Ledger::kReversed)
        throw StateError("MB-3", "payment.invoice", quote(spec.invoice), "was reversed; it takes no payments");
    check_entry_date(c, spec.date, "payment.date");
    const Date invoiced = day_date(inv_row.day);
    if (spec.date < invoiced)
        throw ValidationError("MB-3", "payment.date", day_text(spec.date),
                              "is before invoice " + spec.invoice + " was issued on " + day_text(invoiced));
    check_money_in_book(spec.amount, "payment.amount");
    if (!spec.amount.is_positive())
        throw ValidationError("MB-3", "payment.amount", spec.amount.to_string(),
                              "must be more than zero; a correction is a reversing entry");
    // Never more than the open balance, now or on any day from the payment's date on (a
    // payment dated in the past must not have overpaid the invoice at any time since).
    std::int64_t lowest = inv.open;
    const auto pay_day = static_cast<std::int32_t>(spec.date.day_number());
    if (inv.last_day > pay_day) {
        ledger_.index_pending_months();  // a loader defers the month index; it is read here
        lowest = std::min(lowest, invoice_open_at(k, pay_day));
        for_each_invoice_event(k, pay_day, [&](std::int32_t day) { lowest = std::min(lowest, invoice_open_at(k, day)); });
    }
    if (spec.amount.minor_units() > lowest)
        throw ValidationError("MB-3", "payment.amount", spec.amount.to_string(),
                              "is more than the open balance " + Money(lowest, currency_).to_string() +
                                  " of invoice " + spec.invoice +
                                  (lowest != inv.open ? " on a day since " + day_text(spec.date) : std::string()));
    check_reference(spec.reference, "payment.reference", false);
    const std::size_t who = recorder(spec.recorded_by, "payment.recorded_by", replay);
    Ledger::Row row{spec.amount.minor_units(), static_cast<std::int32_t>(spec.date.day_number()), inv_row.owner,
                    inv.row, 0, static_cast<std::uint32_t>(who), EntryKind::Payment,
                    static_cast<std::uint8_t>(inv_row.flags & Ledger::kHasJob), 0};
    append_posting(ledger_, row, spec.reference, client_index, "payment.amount", spec.amount);
    ledger_.add_to_open(k, -spec.amount.minor_units(), row.day);
    return ledger_.size() - 1;
}

LedgerEntry Agency::reverse_entry(std::string_view id, const Date& date, std::string reason, std::string_view recorded_by) {
    return ledger_entry(reverse_impl(id, date, reason, recorded_by, false));
}

std::size_t Agency::reverse_impl(std::string_view id, const Date& date, std::string_view reason,
                                 std::string_view recorded_by, bool replay) {
    const std::size_t i = entry_index(id, "reversal.entry");
    const Ledger::Row original = ledger_.row(i);
    if (original.flags & Ledger::kReversal)
        throw StateError("MB-3", "reversal.entry", quote(id), "is itself a reversal; post a new entry instead");
    if (original.flags & Ledger::kReversed)
        throw StateError("MB-3", "reversal.entry", quote(id), "is already reversed");
    if (original.kind == EntryKind::Estimate)
        throw StateError("MB-2", "reversal.entry", quote(id),
                         "is an approved estimate; an estimate changes by a new version the client approves");
    if (original.flags & Ledger::kTimeCost)
        throw StateError("JT-10", "reversal.entry", quote(id),
                         "carries approved time " + time_entries_[original.link].id + "; correct the time entry instead");
    if (original.kind == EntryKind::Invoice) {
        const Ledger::Invoice& inv = ledger_.invoice(original.link);
        if (inv.open != original.amount)
            throw StateError("MB-3", "reversal.entry", quote(id),
                             "invoice " + std::string(ledger_.reference(i)) + " has payments of " +
                                 Money(original.amount - inv.open, currency_).to_string() + "; reverse them first");
    }
    const std::size_t client_index = client_of_row(original);
    require_valid(date, "reversal.date", "MB-3");
    if (date < day_date(original.day))
        throw ValidationError("MB-3", "reversal.date", day_text(date),
                              "is before the entry it reverses (" + day_text(day_date(original.day)) + ")");
    if (date > Date(9998, 12, 31))
        throw ValidationError("MB-3", "reversal.date", day_text(date), "must be in the years up to 9998");
    if (original.kind == EntryKind::Invoice && static_cast<std::int32_t>(date.day_number()) < ledger_.invoice(original.link).last_day)
        throw ValidationError("MB-3", "reversal.date", day_text(date),
                              "is before the invoice's last payment or correction (" +
                                  day_text(day_date(ledger_.invoice(original.link).last_day)) + ")");
    check_reference(reason, "reversal.reason", true);
    const std::size_t who = recorder(recorded_by, "reversal.recorded_by", replay);
    Ledger::Row row{-original.amount, static_cast<std::int32_t>(date.day_number()), original.owner,
                    static_cast<std::uint32_t>(i), 0, static_cast<std::uint32_t>(who), original.kind,
                    static_cast<std::uint8_t>(Ledger::kReversal | (original.flags & Ledger::kHasJob)), 0};
    ledger_.append(row, reason, client_index);
    // Nothing below throws.
    ledger_.mark_reversed(i);
    if (original.kind == EntryKind::Invoice) ledger_.add_to_open(original.link, -original.amount, row.day);
    if (original.kind == EntryKind::Payment) ledger_.add_to_open(ledger_.row(original.link).link, original.amount, row.day);
    return ledger_.size() - 1;
}

// ---------------------------------------------------------------- reading

std::size_t Agency::client_of_row(const Ledger::Row& r) const noexcept { return ledger_.client_of(r); }

std::string Agency::entry_id(std::size_t index) {
    // "L%08zu" of index + 1, without printf (loading calls this for every entry).
    char buf[24];
    char* end = buf + sizeof buf;
    char* p = end;
    std::size_t n = index + 1;
    do {
        *--p = static_cast<char>('0' + n % 10);
        n /= 10;
    } while (n != 0);
    while (end - p < 8) *--p = '0';
    *--p = 'L';
    return std::string(p, end);
}

std::size_t Agency::entry_index(std::string_view id, std::string_view field) const {
    std::size_t n = 0;
    const bool shaped = id.size() >= 9 && id[0] == 'L';
    if (shaped) {
        auto [p, ec] = std::from_chars(id.data() + 1, id.data() + id.size(), n);
        if (ec != std::errc() || p != id.data() + id.size() || n == 0 || entry_id(n - 1) != id) n = 0;  // canonical only
    }
    if (n == 0 || n > ledger_.size()) throw NotFoundError("MB-3", std::string(field), quote(id), "no such ledger entry");
    return n - 1;
}

LedgerEntry Agency::ledger_entry(std::string_view id) const { return ledger_entry(entry_index(id, "entry")); }

LedgerEntry Agency::ledger_entry(std::size_t index) const {
    if (index >= ledger_.size())
        throw NotFoundError("MB-3", "entry", std::to_string(index), "no such ledger entry");
    LedgerEntry e{.id = {}, .date = {}, .client = {}, .amount = Money(0, currency_), .reference = {}, .recorded_by = {}};
    fill_entry(index, e);
    return e;
}

void Agency::fill_entry(std::size_t index, LedgerEntry& e) const {
    const Ledger::Row& r = ledger_.row(index);
    e.id = entry_id(index);
    e.kind = r.kind;
    e.date = day_date(r.day);
    e.client = clients_[client_of_row(r)].code;
    if (r.flags & Ledger::kHasJob) e.job = jobs_[r.owner].number;
    else e.job.reset();
    e.amount = Money(r.amount, currency_);
    e.reference.assign(ledger_.reference(index));
    e.recorded_by = staff_[r.recorded_by].id;
    e.due.reset();
    e.invoice.reset();
    e.reverses.reset();
    e.time_entry.reset();
    e.estimate_version.reset();
    e.media_booking = false;
    e.confirmation.reset();
    e.contract.reset();
    e.reversed = (r.flags & Ledger::kReversed) != 0;
    constexpr std::uint32_t none = Ledger::kNone;
    if (const std::uint32_t k = Ledger::reversed_row(r); k != none) e.reverses = entry_id(k);
    if (const std::uint32_t k = ledger_.paid_invoice_row(r); k != none) e.invoice = ledger_.reference(k);
    if (const std::uint32_t k = Ledger::estimate_version_of(r); k != none) e.estimate_version = static_cast<int>(k);
    if (const std::uint32_t k = Ledger::time_entry_of(r); k != none) e.time_entry = time_entries_[k].id;
    if (const std::uint32_t k = Ledger::own_invoice(r); k != none) {
        const Ledger::Invoice& inv = ledger_.invoice(k);
        e.due = day_date(inv.due);
        if (inv.contract) e.contract = clients_[client_of_row(r)].contracts[inv.contract - 1].id;
    }
    if (r.kind == EntryKind::Commitment && !(r.flags & Ledger::kReversal)) {
        e.media_booking = (r.flags & Ledger::kMediaBooking) != 0;
        if (auto c = ledger_.confirmation(index)) e.confirmation = std::string(*c);
    }
}

bool Agency::entry_matches(std::size_t index, const LedgerEntry& e, const JobTicket* job) const {
    // Field by field what fill_entry(index) writes, compared in place (the load replays
    // millions of entries: no copy of a string). Keep the two in step.
    const Ledger::Row& r = ledger_.row(index);
    constexpr std::uint32_t none = Ledger::kNone;
    if (e.kind != r.kind || e.date != day_date(r.day) || e.amount != Money(r.amount, currency_)) return false;
    if (e.reversed != ((r.flags & Ledger::kReversed) != 0)) return false;
    if (e.id != entry_id(index) || e.client != clients_[client_of_row(r)].code) return false;
    if (r.flags & Ledger::kHasJob) {
        // The same ticket means the same number (and the ticket's memory is not read again).
        assert(!job || (e.job && job->number == *e.job));
        if (!e.job || !((job && r.owner == index_of(*job)) || *e.job == jobs_[r.owner].number)) return false;
    } else if (e.job) {
        return false;
    }
    if (e.reference != ledger_.reference(index) || e.recorded_by != staff_[r.recorded_by].id) return false;
    const auto same = [](const auto& stored, bool present, const auto& derived) {
        return present ? stored.has_value() && *stored == derived : !stored.has_value();
    };
    const std::uint32_t reversed = Ledger::reversed_row(r);
    if (!same(e.reverses, reversed != none, reversed != none ? entry_id(reversed) : std::string())) return false;
    const std::uint32_t paid = ledger_.paid_invoice_row(r);
    if (!same(e.invoice, paid != none, paid != none ? ledger_.reference(paid) : std::string_view())) return false;
    const std::uint32_t version = Ledger::estimate_version_of(r);
    if (!same(e.estimate_version, version != none, static_cast<int>(version))) return false;
    const std::uint32_t time = Ledger::time_entry_of(r);
    if (!same(e.time_entry, time != none, time != none ? std::string_view(time_entries_[time].id) : std::string_view()))
        return false;
    const std::uint32_t own = Ledger::own_invoice(r);
    const Ledger::Invoice* inv = own != none ? &ledger_.invoice(own) : nullptr;
    if (!same(e.due, inv != nullptr, inv ? day_date(inv->due) : Date())) return false;
    const bool has_contract = inv && inv->contract;
    if (!same(e.contract, has_contract,
              has_contract ? std::string_view(clients_[client_of_row(r)].contracts[inv->contract - 1].id) : std::string_view()))
        return false;
    if (r.kind == EntryKind::Commitment && !(r.flags & Ledger::kReversal)) {
        if (e.media_booking != ((r.flags & Ledger::kMediaBooking) != 0)) return false;
        const std::optional<std::string_view> c = ledger_.confirmation(index);
        return same(e.confirmation, c.has_value(), c.value_or(std::string_view()));
    }
    return !e.media_booking && !e.confirmation;
}

std::vector<LedgerEntry> Agency::ledger_entries(std::optional<std::string> client_code, std::optional<std::string> job_number,
                                                std::optional<Date> from, std::optional<Date> to) const {
    if (from) require_valid(*from, "from", "MB-3");
    if (to) require_valid(*to, "to", "MB-3");
    std::vector<std::uint32_t> rows;
    if (job_number) {
        const JobTicket& j = job(*job_number);
        const auto owner = static_cast<std::uint32_t>(job_index_.at(j.number));
        if (!client_code || j.client == *client_code)
            if (const auto* months = ledger_.months_of(client_index_.at(j.client)))
                for (const auto& [month, bucket] : *months)
                    for (std::uint32_t i : bucket) {
                        const Ledger::Row& r = ledger_.row(i);
                        if ((r.flags & Ledger::kHasJob) && r.owner == owner) rows.push_back(i);
                    }
        std::sort(rows.begin(), rows.end());
    } else if (client_code) {
        (void)client(*client_code);
        if (const auto* months = ledger_.months_of(client_index_.at(*client_code)))
            for (const auto& [month, bucket] : *months) rows.insert(rows.end(), bucket.begin(), bucket.end());
        std::sort(rows.begin(), rows.end());
    } else {
        rows.resize(ledger_.size());
        for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<std::uint32_t>(i);
    }
    std::vector<LedgerEntry> out;
    for (std::uint32_t i : rows) {
        const std::int32_t d = ledger_.row(i).day;
        if (from && d < static_cast<std::int32_t>(from->day_number())) continue;
        if (to && d > static_cast<std::int32_t>(to->day_number())) continue;
        out.push_back(ledger_entry(i));
    }
    return out;
}

std::int64_t Agency::invoice_open_at(std::size_t k, std::int32_t day) const {
    // The invoice, its reversal and its payments (and their reversals) dated up to `day`.
    const Ledger::Invoice& inv = ledger_.invoice(k);
    const Ledger::Row& r = ledger_.row(inv.row);
    if (r.day > day) return 0;
    if (inv.last_day <= day) return inv.open;  // nothing happened to it after `day`
    std::int64_t open = r.amount;
    const std::size_t client = client_of_row(r);
    const auto* months = ledger_.months_of(client);
    const Date first = day_date(r.day);
    const std::int32_t from_month = static_cast<std::int32_t>(first.year()) * 12 + first.month() - 1;
    const Date last = day_date(day);
    const std::int32_t to_month = static_cast<std::int32_t>(last.year()) * 12 + last.month() - 1;
    for (auto it = months->lower_bound(from_month); it != months->end() && it->first <= to_month; ++it)
        for (std::uint32_t i : it->second) {
            const Ledger::Row& x = ledger_.row(i);
            if (x.day > day) continue;
            if (x.kind == EntryKind::Invoice && Ledger::reversed_row(x) == inv.row) open += x.amount;
            if (ledger_.paid_invoice_row(x) == inv.row) open -= x.amount;
        }
    return open;
}

template <class F>
void Agency::for_each_invoice_event(std::size_t k, std::int32_t after, F&& f) const {
    // Days after `after` on which a payment of invoice k, or a reversal touching it, is dated.
    const Ledger::Invoice& inv = ledger_.invoice(k);
    const auto* months = ledger_.months_of(client_of_row(ledger_.row(inv.row)));
    const std::int32_t from_month = month_key(day_date(after));
    const std::int32_t to_month = month_key(day_date(inv.last_day));
    for (auto it = months->lower_bound(from_month); it != months->end() && it->first <= to_month; ++it)
        for (std::uint32_t i : it->second) {
            const Ledger::Row& x = ledger_.row(i);
            if (x.day <= after) continue;
            const bool touches = ledger_.paid_invoice_row(x) == inv.row ||
                                 (x.kind == EntryKind::Invoice && Ledger::reversed_row(x) == inv.row);
            if (touches) f(x.day);
        }
}

Money Agency::open_balance(std::string_view invoice, std::optional<Date> as_of) const {
    const std::size_t k = ledger_.find_invoice(invoice);
    if (k == static_cast<std::size_t>(-1))
        throw NotFoundError("MB-3", "invoice", quote(invoice), "no such invoice");
    if (!as_of) return Money(ledger_.invoice(k).open, currency_);
    require_valid(*as_of, "as_of", "MB-5");
    return Money(invoice_open_at(k, static_cast<std::int32_t>(as_of->day_number())), currency_);
}

// ---------------------------------------------------------------- loading

void Agency::replay_entry(const LedgerEntry& e, const JobTicket* job) {
    if (const std::string expected = entry_id(ledger_.size()); e.id != expected)
        throw ValidationError("PS-1", "entry.id", quote(e.id), "ledger entries are numbered in order; expected " + expected);
    if (e.reverses) {
        const std::size_t target = entry_index(*e.reverses, "entry.reverses");
        if (ledger_.row(target).kind != e.kind)
            throw ValidationError("MB-3", "entry.kind", std::string(to_string(e.kind)), "differs from the entry it reverses");
        (void)reverse_impl(*e.reverses, e.date, e.reference, e.recorded_by, true);
    } else {
        switch (e.kind) {
            case EntryKind::Estimate: {
                const JobTicket& owner = ledger_job(e.job.value_or(""), "entry.job", true, "MB-3", job);
                if (!e.estimate_version) throw ValidationError("MB-2", "entry.estimate_version", "none", "is required");
                const std::size_t who = recorder(e.recorded_by, "entry.recorded_by", true);
                Ledger::Row row{e.amount.minor_units(), static_cast<std::int32_t>(e.date.day_number()),
                                static_cast<std::uint32_t>(index_of(owner)),
                                static_cast<std::uint32_t>(*e.estimate_version), 0, static_cast<std::uint32_t>(who),
                                EntryKind::Estimate, Ledger::kHasJob, 0};
                ledger_.append(row, e.reference, index_of(client_of(owner)));
                break;  // checked against the estimate versions in finish_replay()
            }
            case EntryKind::Commitment:
                (void)commit_impl({e.job.value_or(""), e.date, e.amount, e.reference, e.recorded_by, e.media_booking, e.confirmation}, true, job);
                break;
            case EntryKind::ActualCost:
                if (e.time_entry) {
                    auto it = time_index_.find(*e.time_entry);
                    if (it == time_index_.end())
                        throw NotFoundError("JT-10", "entry.time_entry", quote(*e.time_entry), "no such time entry");
                    if (time_entries_[it->second].cost.is_zero())
                        throw ValidationError("JT-10", "entry.time_entry", quote(*e.time_entry),
                                              "has no cost; only time with a cost reaches the ledger");
                    (void)recorder(e.recorded_by, "entry.recorded_by", true);
                    post_time_cost(it->second, e.recorded_by);  // content checked in finish_replay()
                } else {
                    (void)cost_impl({e.job.value_or(""), e.date, e.amount, e.reference, e.recorded_by}, true, job);
                }
                break;
            case EntryKind::Invoice:
                (void)invoice_impl({e.reference, e.job, e.client, e.contract, e.date, e.due.value_or(Date()), e.amount,
                                    e.recorded_by},
                                   true, job);
                break;
            case EntryKind::Payment:
                (void)payment_impl({e.invoice.value_or(""), e.date, e.amount, e.reference, e.recorded_by}, true);
                break;
        }
    }
    // The stored entry must say exactly what the ledger now holds: a field that disagrees
    // with what it refers to (the job's client, the invoice of a payment, ...) is an error.
    if (!entry_matches(ledger_.size() - 1, e, job)) {
        LedgerEntry held{.id = {}, .date = {}, .client = {}, .amount = Money(0, currency_), .reference = {}, .recorded_by = {}};
        fill_entry(ledger_.size() - 1, held);
        // The first field that differs, named with the stored and the expected value (an
        // optional field the entry should not have is expected to be "none").
        auto opt = [](const auto& v) { return v ? quote(*v) : std::string("none"); };
        auto opt_day = [](const std::optional<Date>& d) { return d ? day_text(*d) : std::string("none"); };
        auto opt_int = [](const std::optional<int>& v) { return v ? std::to_string(*v) : std::string("none"); };
        auto yes_no = [](bool b) { return std::string(b ? "true" : "false"); };
        std::string field = "entry", stored, expected;
        if (held.client != e.client) field = "entry.client", stored = quote(e.client), expected = quote(held.client);
        else if (held.job != e.job) field = "entry.job", stored = opt(e.job), expected = opt(held.job);
        else if (held.invoice != e.invoice) field = "entry.invoice", stored = opt(e.invoice), expected = opt(held.invoice);
        else if (held.amount != e.amount) field = "entry.amount", stored = e.amount.to_string(), expected = held.amount.to_string();
        else if (held.date != e.date) field = "entry.date", stored = day_text(e.date), expected = day_text(held.date);
        else if (held.reference != e.reference) field = "entry.reference", stored = quote(e.reference), expected = quote(held.reference);
        else if (held.recorded_by != e.recorded_by) field = "entry.recorded_by", stored = quote(e.recorded_by), expected = quote(held.recorded_by);
        else if (held.due != e.due) field = "entry.due", stored = opt_day(e.due), expected = opt_day(held.due);
        else if (held.contract != e.contract) field = "entry.contract", stored = opt(e.contract), expected = opt(held.contract);
        else if (held.reverses != e.reverses) field = "entry.reverses", stored = opt(e.reverses), expected = opt(held.reverses);
        else if (held.time_entry != e.time_entry) field = "entry.time_entry", stored = opt(e.time_entry), expected = opt(held.time_entry);
        else if (held.estimate_version != e.estimate_version)
            field = "entry.estimate_version", stored = opt_int(e.estimate_version), expected = opt_int(held.estimate_version);
        else if (held.media_booking != e.media_booking)
            field = "entry.media_booking", stored = yes_no(e.media_booking), expected = yes_no(held.media_booking);
        else if (held.confirmation != e.confirmation)
            field = "entry.confirmation", stored = opt(e.confirmation), expected = opt(held.confirmation);
        else if (held.kind != e.kind) field = "entry.kind", stored = std::string(to_string(e.kind)), expected = std::string(to_string(held.kind));
        else stored = quote(e.id), expected = quote(held.id);
        throw ValidationError("MB-3", field, stored, "does not match what the entry refers to (expected " + expected + ")");
    }
}

void Agency::finish_replay() const {
    // MB-2: the Estimate entries of each job are exactly its approvals, in order.
    std::unordered_map<std::string, std::vector<std::uint32_t>> estimate_rows;
    std::vector<std::uint32_t> carried(time_entries_.size(), 0);
    for (std::size_t i = 0; i < ledger_.size(); ++i) {
        const Ledger::Row& r = ledger_.row(i);
        if (r.kind == EntryKind::Estimate) estimate_rows[jobs_[r.owner].number].push_back(static_cast<std::uint32_t>(i));
        if (r.flags & Ledger::kTimeCost) {
            if (carried[r.link]++)
                throw ValidationError("JT-10", "ledger." + std::to_string(i), entry_id(i),
                                      "carries time entry " + time_entries_[r.link].id + " a second time");
            const TimeEntry& t = time_entries_[r.link];
            if (t.status == TimeStatus::Submitted || r.amount != t.cost.minor_units() ||
                r.day != static_cast<std::int32_t>(t.date.day_number()) || !t.approved_by ||
                staff_[r.recorded_by].id != *t.approved_by || jobs_[r.owner].number != t.job)
                throw ValidationError("JT-10", "ledger." + std::to_string(i), entry_id(i),
                                      "does not carry approved time entry " + t.id +
                                          " as approved (job, date, cost and approver must match)");
        }
    }
    for (std::size_t t = 0; t < time_entries_.size(); ++t)
        if (time_entries_[t].status != TimeStatus::Submitted && !time_entries_[t].cost.is_zero() && !carried[t])
            throw ValidationError("JT-10", "ledger", quote(time_entries_[t].id),
                                  "approved time with a cost has no ActualCost entry in the ledger");
    for (const auto& [job, indexes] : estimates_by_job_) {
        std::vector<const CostEstimate*> approved;
        for (std::size_t i : indexes)
            if (estimates_[i].approved_at) approved.push_back(&estimates_[i]);
        std::stable_sort(approved.begin(), approved.end(),
                  [](const CostEstimate* a, const CostEstimate* b) { return *a->approved_at < *b->approved_at; });
        std::int64_t before = 0;
        const auto& rows = estimate_rows[job];
        std::size_t n = 0;
        for (const CostEstimate* e : approved) {
            const std::int64_t delta = e->amount.minor_units() - before;
            before = e->amount.minor_units();
            if (delta == 0) continue;
            if (n >= rows.size()) break;
            const Ledger::Row& r = ledger_.row(rows[n]);
            if (r.amount != delta || r.link != static_cast<std::uint32_t>(e->version) ||
                r.day != static_cast<std::int32_t>(e->approved_at->date().day_number()) ||
                staff_[r.recorded_by].id != e->prepared_by || ledger_.reference(rows[n]) != e->id())
                throw ValidationError("MB-2", "ledger." + std::to_string(rows[n]), entry_id(rows[n]),
                                      "does not match the approval of estimate " + e->id() + " (amount " +
                                          Money(delta, currency_).to_string() + " on " + day_text(e->approved_at->date()) +
                                          ")");
            ++n;
        }
        std::size_t needed = 0;
        before = 0;
        for (const CostEstimate* e : approved) {
            needed += e->amount.minor_units() != before;
            before = e->amount.minor_units();
        }
        if (n != rows.size() || n != needed)
            throw ValidationError("MB-2", rows.empty() ? std::string("ledger") : "ledger." + std::to_string(rows[std::min(n, rows.size() - 1)]), quote(job),
                                  "the job's Estimate entries do not match its approved estimate versions");
        estimate_rows.erase(job);
    }
    for (const auto& [job, rows] : estimate_rows)
        if (!rows.empty())
            throw ValidationError("MB-2", "ledger." + std::to_string(rows.front()), entry_id(rows.front()),
                                  "job " + job + " has no approved estimate version");
}

}  // namespace aecore
