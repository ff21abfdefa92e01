#pragma once
// The Agency: the aggregate root that owns one agency's whole book of business —
// its Policy, its business calendar and its staff — and enforces the rules that
// span entities. Every mutating operation validates first and changes nothing when
// it throws (strong exception guarantee).
//
// Thread safety: const member functions never modify the agency (no caches, no lazy
// indexes), so any number of threads may call them concurrently on one Agency. A
// mutating call needs exclusive access: no other thread may use the same Agency,
// reading or writing, until it returns. Distinct Agency objects are independent.
// Three calls use a second thread of their own, joined before they return: save(),
// load() / from_json() of a ledger over 4 MiB of text, and monthly_flows() over more
// than 131,072 entries.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <map>
#include <optional>

#include "aecore/audit.hpp"
#include "aecore/calendar.hpp"
#include "aecore/client.hpp"
#include "aecore/evaluation.hpp"
#include "aecore/job_ticket.hpp"
#include "aecore/ledger.hpp"
#include "aecore/marketing_plan.hpp"
#include "aecore/money.hpp"
#include "aecore/policy.hpp"
#include "aecore/reconciliation.hpp"
#include "aecore/routines.hpp"
#include "aecore/staff.hpp"
#include "aecore/tiering.hpp"

namespace aecore {

namespace detail {
/// Hash of the agency's name indexes: looks up a std::string_view without copying it.
/// Deliberately not noexcept: libstdc++ then keeps each key's hash in its node (as it
/// does for std::hash<std::string>), so a lookup compares hashes before strings.
struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
/// Name (id, code, number) -> position in the owning vector.
using NameIndex = std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>>;
}  // namespace detail

class Agency {
public:
    /// `home_city` is the city code of the agency's home (upper-case letters, CL-1/CL-4);
    /// `currency` is the agency's book currency (MB-1).
    explicit Agency(std::string name = "Agency", std::string home_city = "SH", std::string_view currency = "CNY");

    // --- profile -------------------------------------------------------------
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    void set_name(std::string name);
    [[nodiscard]] const std::string& home_city() const noexcept { return home_city_; }
    void set_home_city(std::string city);
    [[nodiscard]] Currency currency() const noexcept { return currency_; }

    // --- policy and calendar (owned, never shared between agencies) ------------
    [[nodiscard]] const Policy& policy() const noexcept { return policy_; }
    /// Mutable access; Policy's setters keep it consistent.
    [[nodiscard]] Policy& policy() noexcept { return policy_; }
    void set_policy(const Policy& policy) noexcept { policy_ = policy; }
    [[nodiscard]] const BusinessCalendar& calendar() const noexcept { return calendar_; }
    [[nodiscard]] BusinessCalendar& calendar() noexcept { return calendar_; }
    /// Copy first, then a non-throwing move: a failed copy leaves the calendar as it was.
    void set_calendar(const BusinessCalendar& calendar) {
        BusinessCalendar copy(calendar);
        calendar_ = std::move(copy);
    }

    // --- staff (ST-1) ----------------------------------------------------------
    /// Adds a staff member. Throws ValidationError for an empty name, a malformed or
    /// duplicate id, a negative rate or one in another currency, an unknown or inactive
    /// manager; NotFoundError for an unknown manager.
    const Staff& add_staff(const NewStaff& spec);
    /// Changes the fields set in `update`; refuses reporting cycles and deactivating a
    /// person who still has active direct reports.
    const Staff& update_staff(std::string_view id, const StaffUpdate& update);
    /// The staff member with `id`; throws NotFoundError.
    [[nodiscard]] const Staff& staff(std::string_view id) const;
    /// The staff member with `id`, or nullptr.
    [[nodiscard]] const Staff* find_staff(std::string_view id) const noexcept;
    /// Every staff member, in the order they were added.
    [[nodiscard]] const std::vector<Staff>& staff_members() const noexcept { return staff_; }
    /// Staff whose manager is `id`, in the order they were added.
    [[nodiscard]] std::vector<const Staff*> direct_reports(std::string_view id) const;

    // --- clients (CL-1..CL-7, ST-3; agency_clients.cpp) -------------------------
    /// Registers a client and generates its code {CITY}-{YYYYMM}-{NAME}-{NNN} (CL-1): the
    /// serial counts clients first contacted in that year and is never reused.
    const Client& register_client(const NewClient& spec);
    const Client& update_client(std::string_view code, const ClientUpdate& update);
    [[nodiscard]] const Client& client(std::string_view code) const;
    [[nodiscard]] const Client* find_client(std::string_view code) const noexcept;
    /// Every client, archived ones included, in the order registered.
    [[nodiscard]] const std::vector<Client>& clients() const noexcept { return clients_; }
    void add_brand(std::string_view code, std::string brand);
    void add_product(std::string_view code, std::string_view brand, std::string product);
    /// CL-3: adds a contact (id "K01", ...); at most one primary contact per client.
    const Contact& add_contact(std::string_view code, const NewContact& contact);
    /// Makes `contact_id` the client's only primary contact.
    void set_primary_contact(std::string_view code, std::string_view contact_id);
    /// CL-7: adds a contract (id "T01", ...); start <= end, fee in the agency currency.
    const Contract& add_contract(std::string_view code, const Date& start, const Date& end, const Money& monthly_fee,
                                 std::string payment_terms);
    /// ST-3: assigns a new account team from `effective` on; the history is kept.
    void assign_team(std::string_view code, const AccountTeam& team, const Date& effective, std::string note = {});
    /// CL-6: moves the client to `stage` on `date`; `delivered_on` (Closed only) starts
    /// the follow-up schedule and defaults to `date`.
    void set_stage(std::string_view code, PipelineStage stage, const Date& date, std::string note = {},
                   std::optional<Date> delivered_on = std::nullopt);
    /// Archives a client: kept in the book, its code never reused, left out of cadence,
    /// follow-ups and tiering.
    void archive_client(std::string_view code);

    /// CL-6: the next follow-up date by the five-step rule, from the last contact (or the
    /// stage change) known on `as_of`; none for Abandon, after the third Closed follow-up
    /// and after the seventh Negotiating one.
    [[nodiscard]] std::optional<Date> next_follow_up(std::string_view code, const Date& as_of) const;
    /// The time of the client's last activity on or before the end of `as_of`.
    [[nodiscard]] std::optional<DateTime> last_contact(std::string_view code, const Date& as_of) const;
    /// CL-4: active clients (stage Closed or Negotiating) past their contact cadence on
    /// `as_of`: home-city clients every business day, others every 3 (Policy).
    [[nodiscard]] std::vector<OverdueContact> overdue_contacts(const Date& as_of) const;
    /// CL-5: tiers of the non-archived clients from trailing-12-month billings to `as_of`.
    [[nodiscard]] std::vector<TierAssignment> tiers(const Date& as_of, const BillingSource& billing) const;

    // --- 4P marketing plans (MP-1..MP-8; agency_plans.cpp) -----------------------
    /// MP-1: a new Draft plan for a client's brand (and optionally one of its products).
    const MarketingPlan& create_plan(const NewPlan& spec);
    /// MP-2..MP-5, MP-7: replace one section of a Draft or Proposed plan (an approved plan
    /// changes only through new_plan_version).
    const MarketingPlan& set_product_section(std::string_view plan, const ProductSection& section);
    const MarketingPlan& set_price(std::string_view plan, const PriceSection& section);
    const MarketingPlan& set_place(std::string_view plan, const PlaceSection& section);
    const MarketingPlan& set_promotion(std::string_view plan, const PromotionSection& section);
    const MarketingPlan& set_strategy(std::string_view plan, const Strategy& strategy);
    /// MP-6: adds an objective (id "O1", ...); its deadline may not precede the period.
    const Objective& add_objective(std::string_view plan, const NewObjective& objective);
    /// MP-6: records a measured actual; every measurement is kept (one per date).
    const Objective& record_actual(std::string_view plan, std::string_view objective, const Date& on, const Decimal& value);
    /// Draft -> Proposed, by a staff member.
    const MarketingPlan& propose_plan(std::string_view plan, std::string_view actor, const DateTime& at, std::string note = {});
    /// Proposed -> ClientApproved, by a contact of the client; refused (StateError listing
    /// them) while the review has an Error. Supersedes the brand's previously approved plan.
    const MarketingPlan& approve_plan(std::string_view plan, std::string_view contact, const DateTime& at,
                                      std::string note = {});
    /// A new Draft version of an approved plan, to change it; approving the new version
    /// supersedes the old one.
    const MarketingPlan& new_plan_version(std::string_view plan, std::string_view author, const DateTime& at);
    [[nodiscard]] const MarketingPlan& plan(std::string_view id) const;
    [[nodiscard]] const std::vector<MarketingPlan>& plans() const noexcept { return plans_; }
    /// MP-8 review of a plan with this agency's Policy.
    [[nodiscard]] std::vector<PlanFinding> review_plan(std::string_view id) const;
    /// JT-5: the client-approved, not superseded plan for the brand at the close of
    /// `as_of`, or nullptr ("strategy approved").
    [[nodiscard]] const MarketingPlan* approved_plan(std::string_view client, std::string_view brand,
                                                     const Date& as_of) const;
    /// The same at an instant: a plan approved at or before `at` counts.
    [[nodiscard]] const MarketingPlan* approved_plan(std::string_view client, std::string_view brand,
                                                     const DateTime& at) const;

    // --- job tickets and time sheets (JT-1..JT-12; agency_jobs.cpp) -------------
    /// JT-1..JT-7: opens a Draft ticket and issues its number. Refused — consuming no
    /// number — for an unknown client/brand/product/parent, a department that does not
    /// issue tickets, a deadline in the past or on a non-business day, or a deadline
    /// inside the job type's lead time without an AM/AD override and a written reason.
    const JobTicket& open_job(const NewJob& spec);
    /// JT-8/JT-9: moves a ticket along the workflow; an invalid transition raises and
    /// leaves it unchanged. Approved needs an AM or AD; Issued needs a complete brief
    /// (JT-4) and, for creative work, an approved plan for the brand (JT-5);
    /// ClientReview -> InProgress is a client change request and adds a revision round;
    /// Cancelled needs a reason.
    const JobTicket& advance_job(std::string_view number, TicketStatus to, std::string_view actor, const DateTime& at,
                                 std::string note = {});
    /// Replaces the brief of a ticket not yet issued.
    const JobTicket& set_brief(std::string_view number, const Brief& brief);
    /// Moves the client deadline of an open ticket (the internal due time follows).
    const JobTicket& set_client_deadline(std::string_view number, const DateTime& deadline);
    const JobTicket& set_assignees(std::string_view number, std::vector<std::string> staff);
    [[nodiscard]] const JobTicket& job(std::string_view number) const;
    [[nodiscard]] const JobTicket* find_job(std::string_view number) const noexcept;
    [[nodiscard]] const std::vector<JobTicket>& jobs() const noexcept { return jobs_; }
    /// The texts of jobs() that never change (number, parent, client, brand, title, issuer)
    /// as columns, value j for jobs()[j]: for listing every ticket without reading each.
    [[nodiscard]] const JobTextColumns& job_texts() const noexcept { return job_texts_; }
    /// JT-7: half a business day before the client deadline, on the current calendar.
    [[nodiscard]] DateTime internal_due(const JobTicket& ticket) const;

    /// JT-10: books time (id "TE000001"); refused unless the ticket accepts time, for
    /// more than 24 h a day per person, or hours <= 0.
    const TimeEntry& log_time(const NewTimeEntry& spec);
    /// JT-10: approval by the person's manager, never by themselves; locks the entry.
    const TimeEntry& approve_time(std::string_view entry, std::string_view approver, const DateTime& at);
    /// JT-10: a correcting entry for a locked one (hours may be negative).
    const TimeEntry& correct_time(std::string_view entry, const Decimal& delta_hours, std::string activity,
                                  const DateTime& recorded_at);
    [[nodiscard]] const std::vector<TimeEntry>& time_entries() const noexcept { return time_entries_; }
    [[nodiscard]] const TimeEntry& time_entry(std::string_view id) const;
    /// Hours booked by `staff` on `day` (corrections included).
    [[nodiscard]] Decimal hours_on(std::string_view staff, const Date& day) const;
    /// JT-10: overtime hours of `staff` on `day` (above 8).
    [[nodiscard]] Decimal overtime_on(std::string_view staff, const Date& day) const;

    /// JT-11: the weekly status report of the week starting `monday`.
    [[nodiscard]] WeeklyStatus weekly_status(const Date& monday) const;
    /// JT-12: delivery metrics over [from, to], per responsible AE or per client.
    [[nodiscard]] std::vector<DeliveryMetrics> delivery_metrics(const Date& from, const Date& to, bool per_client) const;

    // --- cost estimates and the ledger (MB-2, MB-3; agency_ledger.cpp) ------------
    /// MB-2: a new Draft version of the job's cost estimate (version 1, then change
    /// orders). A Draft not yet approved is withdrawn by the next one.
    const CostEstimate& prepare_estimate(const NewEstimate& spec);
    /// MB-2: the client (one of its contacts) approves a Draft version. The previously
    /// approved version is superseded, and the ledger gets an Estimate entry for the change.
    const CostEstimate& approve_estimate(std::string_view job, int version, std::string_view contact, const DateTime& at);
    /// Every version of the job's estimate, oldest first.
    [[nodiscard]] std::vector<CostEstimate> estimates(std::string_view job) const;
    /// Every estimate version of every job, in the order prepared.
    [[nodiscard]] const std::vector<CostEstimate>& cost_estimates() const noexcept { return estimates_; }
    /// The client-approved estimate in force at the close of `as_of`, if any.
    [[nodiscard]] std::optional<Money> approved_estimate(std::string_view job, const Date& as_of) const;
    /// MB-3: a purchase order or media booking. Needs an approved estimate; above it the
    /// overspend policy applies (Stop refuses).
    LedgerEntry commit_cost(const NewCommitment& spec);
    /// MB-3: a vendor invoice. Needs an approved estimate; above it the overspend policy applies.
    LedgerEntry record_cost(const NewActualCost& spec);
    /// MB-3: an invoice to the client; negative = credit note. Numbers are unique for ever.
    LedgerEntry issue_invoice(const NewInvoice& spec);
    /// MB-3: a payment against an invoice, at most its open balance.
    LedgerEntry record_payment(const NewPayment& spec);
    /// MB-3: corrects an entry by a reversing one (the reason is its reference). Estimates
    /// change through change orders and time cost through time corrections, not reversals;
    /// an invoice with payments is reversed after its payments.
    LedgerEntry reverse_entry(std::string_view id, const Date& date, std::string reason, std::string_view recorded_by);
    [[nodiscard]] std::size_t ledger_size() const noexcept { return ledger_.size(); }
    /// The entry with id "L00000001" (or the 0-based posting index); NotFoundError.
    [[nodiscard]] LedgerEntry ledger_entry(std::string_view id) const;
    [[nodiscard]] LedgerEntry ledger_entry(std::size_t index) const;
    /// Entries in posting order, optionally only one client's, one job's, or dated in [from, to].
    [[nodiscard]] std::vector<LedgerEntry> ledger_entries(std::optional<std::string> client = std::nullopt,
                                                          std::optional<std::string> job = std::nullopt,
                                                          std::optional<Date> from = std::nullopt,
                                                          std::optional<Date> to = std::nullopt) const;
    [[nodiscard]] const Ledger& ledger() const noexcept { return ledger_; }
    /// The open balance of an invoice, now or at the close of `as_of`.
    [[nodiscard]] Money open_balance(std::string_view invoice, std::optional<Date> as_of = std::nullopt) const;

    // --- money reports (MB-4..MB-7, CL-5, CL-7; reconciliation.cpp) ---------------
    /// MB-4: the client's budget reconciliation for a month, with year to date.
    [[nodiscard]] ReconciliationReport reconcile(std::string_view client, YearMonth month) const;
    /// MB-4 for the whole book: every (client, job, month) with its sums by entry kind,
    /// ordered by client, month, job (client-level entries first). O(entries); two threads
    /// over 131,072 entries.
    [[nodiscard]] MonthlyFlows monthly_flows() const;
    /// MB-5: receivables aging at the close of `as_of`; DSO over the trailing `dso_days`.
    [[nodiscard]] AgingReport aging(const Date& as_of, AgingBasis basis = AgingBasis::DueDate, int dso_days = 90) const;
    /// MB-6: every invoice past due on `as_of` with an open balance, most overdue first.
    [[nodiscard]] std::vector<CollectionItem> collections(const Date& as_of) const;
    /// MB-6: the client's credit status on `as_of`.
    [[nodiscard]] CreditStatus credit_status(std::string_view client, const Date& as_of) const;
    /// MB-7: per job (or per client) over entries dated in [from, to].
    [[nodiscard]] std::vector<Profitability> profitability(const Date& from, const Date& to, bool per_client) const;
    /// CL-7: the finance hand-over statement of a contract, as of its end (or `as_of`).
    [[nodiscard]] HandoverStatement handover_statement(std::string_view client, std::string_view contract,
                                                       std::optional<Date> as_of = std::nullopt) const;
    /// CL-5 from the ledger: billings, the most overdue receivable and MB-6 credit status.
    [[nodiscard]] std::vector<TierAssignment> tiers(const Date& as_of) const;

    // --- performance evaluation (PE-1..PE-6; agency_evaluations.cpp) ---------------
    /// PE-1: adds a custom rubric (validated: weights per title sum to 100 %); ids are unique.
    const Rubric& add_rubric(const Rubric& rubric);
    /// The rubric with `id` ("account-service", "5A" or a custom one); NotFoundError.
    [[nodiscard]] const Rubric& rubric(std::string_view id) const;
    /// The built-in rubrics first, then custom ones in the order added.
    [[nodiscard]] const std::vector<Rubric>& rubrics() const noexcept { return rubrics_; }
    /// PE-3: starts a Draft evaluation (id "EV0001"). The evaluator must be the evaluatee's
    /// direct manager; reviewers are other active staff.
    const Evaluation& start_evaluation(const NewEvaluation& spec);
    /// PE-1/PE-3: scores one criterion 1-5 with a comment (replacing an earlier score);
    /// refused for a criterion not in the rubric or weighted 0 for the evaluatee's title,
    /// and once the evaluation is Finalized.
    const Evaluation& score_criterion(std::string_view evaluation, std::string_view criterion, int score,
                                      std::string comment = {});
    /// PE-3: the evaluatee's own comments.
    const Evaluation& set_evaluatee_comments(std::string_view evaluation, std::string comments);
    /// PE-6: the KPIs of the evaluation (weights summing to 1).
    const Evaluation& set_kpis(std::string_view evaluation, std::vector<Kpi> kpis);
    /// PE-3: the next workflow step, by who may take it: the evaluator shares it and records
    /// the discussion (or the evaluatee does), a reviewer (or the evaluator's manager when
    /// there are no reviewers) reviews it, the evaluator or a reviewer finalizes it once
    /// every weighted criterion is scored.
    const Evaluation& advance_evaluation(std::string_view evaluation, EvaluationStatus to, std::string_view actor,
                                         const DateTime& at, std::string note = {});
    [[nodiscard]] const Evaluation& evaluation(std::string_view id) const;
    [[nodiscard]] const std::vector<Evaluation>& evaluations() const noexcept { return evaluations_; }
    /// PE-4: Σ score × weight over the title's weights, 2 decimals; none until every
    /// weighted criterion is scored.
    [[nodiscard]] std::optional<Decimal> weighted_score(std::string_view evaluation) const;
    /// PE-4: the rating band of the weighted score with the Policy's bands.
    [[nodiscard]] std::optional<Rating> rating(std::string_view evaluation) const;
    /// PE-5: the metrics of `staff` over [from, to] (criteria left empty).
    [[nodiscard]] std::vector<EvidenceItem> evidence(std::string_view staff, const Date& from, const Date& to) const;
    /// PE-5: the evaluation's evidence over its period (up to `as_of` while the period is
    /// still running), each metric with the weighted rubric criteria it informs.
    [[nodiscard]] std::vector<EvidenceItem> evidence(std::string_view evaluation, std::optional<Date> as_of) const;
    /// Team view: evaluations whose period overlaps [from, to] of everyone reporting
    /// (directly or not) to `lead`, with score, rating and evidence.
    [[nodiscard]] std::vector<TeamEvaluationRow> team_evaluations(std::string_view lead, const Date& from,
                                                                  const Date& to) const;
    /// Calibration of the team view: per evaluator, the count, mean, spread, min and max
    /// of complete weighted scores.
    [[nodiscard]] std::vector<CalibrationRow> calibration(std::string_view lead, const Date& from, const Date& to) const;

    // --- account-service routines (AS-1..AS-3; agency_routines.cpp) --------------
    /// Logs a call, meeting, e-mail or visit (id "A000001").
    const Activity& log_activity(const NewActivity& spec);
    /// AS-1: the contact report of a meeting, visit or important call (id "R00001").
    const ContactReport& add_contact_report(const NewContactReport& spec);
    /// AS-2: a meeting notice (id "N00001"); the meeting time is required, the rest of
    /// 5W1H is checked by the audit.
    const MeetingNotice& add_meeting_notice(const NewMeetingNotice& spec);
    /// AS-3: a weekly report (period = a Monday) or monthly summary (period = the 1st).
    const StatusReport& submit_status_report(const NewStatusReport& spec);
    [[nodiscard]] const std::vector<Activity>& activities() const noexcept { return activities_; }
    [[nodiscard]] const std::vector<ContactReport>& contact_reports() const noexcept { return contact_reports_; }
    [[nodiscard]] const std::vector<MeetingNotice>& meeting_notices() const noexcept { return notices_; }
    [[nodiscard]] const std::vector<StatusReport>& status_reports() const noexcept { return status_reports_; }
    /// The report of this kind by `author` for `period` (there is at most one, AS-3), or nullptr.
    [[nodiscard]] const StatusReport* status_report_for(std::string_view author, ReportKind kind,
                                                        const Date& period) const;
    [[nodiscard]] const Activity& activity(std::string_view id) const;
    [[nodiscard]] const MeetingNotice& meeting_notice(std::string_view id) const;
    /// The contact report written for an activity, or nullptr.
    [[nodiscard]] const ContactReport* contact_report_for(std::string_view activity_id) const noexcept;

    // --- audit (AS-4; audit.cpp) ----------------------------------------------------
    /// Every finding across every rule, as of the close of business on `as_of`, sorted
    /// deterministically (severity, rule, subject, due, message).
    [[nodiscard]] std::vector<Finding> audit(const Date& as_of) const;

    // --- persistence (PS-1..PS-3; implemented in serialization.cpp) -------------
    /// The whole agency as a deterministic JSON document (schema "aecore.Agency").
    [[nodiscard]] std::string to_json() const;
    /// Parses and validates a document; throws SchemaError naming the JSON path.
    [[nodiscard]] static Agency from_json(std::string_view text);
    /// Atomic save: a failed save throws IoError and leaves the old file intact.
    void save(const std::filesystem::path& path) const;
    /// Loads a saved agency; IoError when the file cannot be read, SchemaError when invalid.
    [[nodiscard]] static Agency load(const std::filesystem::path& path);

    friend bool operator==(const Agency& a, const Agency& b);

private:
    friend struct AgencyCodec;

    std::string next_staff_id() const;
    void check_staff_fields(const Staff& s, std::string_view field_prefix) const;
    Client& client_for_update(std::string_view code);
    void check_team(const AccountTeam& team, std::string_view field_prefix) const;
    /// The key of client_names_: a name is unique within its city (CL-2).
    /// The key of plans_by_brand_.
    [[nodiscard]] static std::string brand_key(std::string_view client, std::string_view brand);
    /// Appends a plan to plans_ and both indexes, or changes nothing.
    const MarketingPlan& add_plan(MarketingPlan p);
    /// The key of status_index_.
    [[nodiscard]] static std::string status_key(std::string_view author, ReportKind kind, const Date& period);
    /// The client's entry of overdue_contacts(as_of), if it has one (CL-4).
    [[nodiscard]] std::optional<OverdueContact> overdue_contact(const Client& c, const Date& as_of) const;
    [[nodiscard]] static std::string client_name_key(std::string_view city, std::string_view name);
    void check_client_fields(const Client& c) const;
    const Staff& active_staff(std::string_view id, std::string_view field, std::string_view rule) const;
    void index_activity(std::size_t i);
    MarketingPlan& editable_plan(std::string_view id);
    JobTicket& mutable_job(std::string_view number, std::string_view field);
    void append_time_entry(TimeEntry entry);
    template <class Edit>
    const JobTicket& edit_job(std::string_view number, Edit&& edit);
    void check_plan_money(const Money& m, const std::string& field, std::string_view rule) const;
    template <class Edit>
    const MarketingPlan& edit_plan(std::string_view id, Edit&& edit);
    // ledger (agency_ledger.cpp); `replay` = loading a saved book
    void check_money_in_book(const Money& m, std::string_view field) const;
    void check_entry_date(const Client& c, const Date& d, std::string_view field) const;
    void check_spend(const JobTicket& job, EntryKind kind, const Money& amount, const Date& date, std::string_view field) const;
    [[nodiscard]] std::size_t recorder(std::string_view id, std::string_view field, bool replay) const;
    /// The job a posting names; `hint`, when given, is the ticket numbered `number`, looked
    /// up already by the caller (the load's scanning thread, in its exact number table): it
    /// is taken as it is, without reading the ticket's number again.
    [[nodiscard]] const JobTicket& ledger_job(std::string_view number, std::string_view field, bool allow_cancelled,
                                            std::string_view rule = "MB-3", const JobTicket* hint = nullptr) const;
    [[nodiscard]] std::int64_t job_total(std::size_t job, EntryKind kind) const;
    [[nodiscard]] const CostEstimate* approved_version(std::string_view job, const DateTime& end) const;
    void append_estimate(CostEstimate e);
    // Positions of a job or client held by this agency (references from job(), client()...).
    [[nodiscard]] std::size_t index_of(const JobTicket& j) const noexcept { return static_cast<std::size_t>(&j - jobs_.data()); }
    [[nodiscard]] std::size_t index_of(const Client& c) const noexcept { return static_cast<std::size_t>(&c - clients_.data()); }
    [[nodiscard]] std::size_t index_of(const Staff& s) const noexcept { return static_cast<std::size_t>(&s - staff_.data()); }
    /// The client of a job held by this agency (from the ledger when the job has rows, else
    /// by code).
    [[nodiscard]] const Client& client_of(const JobTicket& job) const;
    // The posting behind each public ledger call; they return the new row's index.
    std::size_t commit_impl(const NewCommitment& spec, bool replay, const JobTicket* job_hint = nullptr);
    std::size_t cost_impl(const NewActualCost& spec, bool replay, const JobTicket* job_hint = nullptr);
    std::size_t invoice_impl(const NewInvoice& spec, bool replay, const JobTicket* job_hint = nullptr);
    std::size_t payment_impl(const NewPayment& spec, bool replay);
    std::size_t reverse_impl(std::string_view id, const Date& date, std::string_view reason, std::string_view recorded_by,
                             bool replay);
    void post_time_cost(std::size_t time_index, std::string_view approver);
    /// `job`: e.job looked up ahead (by the load's scanning thread), or nullptr.
    void replay_entry(const LedgerEntry& e, const JobTicket* job = nullptr);
    /// Writes entry `index` into `e`, reusing its strings.
    void fill_entry(std::size_t index, LedgerEntry& e) const;
    /// Whether `e` says exactly what fill_entry(index) would (the replay's check of a stored
    /// entry), without building that entry. `job`: the ticket numbered *e.job, when known
    /// (then the entry's job is compared by index, not by number).
    [[nodiscard]] bool entry_matches(std::size_t index, const LedgerEntry& e, const JobTicket* job = nullptr) const;
    Evaluation& editable_evaluation(std::string_view id);
    template <class Edit>
    const Evaluation& edit_evaluation(std::string_view id, Edit&& edit);
    void finish_replay() const;
    void dense_flows(const std::vector<std::vector<std::uint32_t>>& slots_of, std::int32_t lo, std::size_t span,
                     MonthlyFlows& out) const;
    [[nodiscard]] static std::string entry_id(std::size_t index);
    [[nodiscard]] std::size_t entry_index(std::string_view id, std::string_view field) const;
    [[nodiscard]] std::size_t client_of_row(const Ledger::Row& r) const noexcept;
    [[nodiscard]] std::int64_t invoice_open_at(std::size_t invoice, std::int32_t day) const;
    template <class F>
    void for_each_invoice_event(std::size_t invoice, std::int32_t after, F&& f) const;

    std::string name_;
    std::string home_city_;
    Currency currency_;
    Policy policy_;
    BusinessCalendar calendar_;
    std::vector<Staff> staff_;
    detail::NameIndex staff_index_;
    std::uint32_t next_staff_serial_ = 1;

    std::vector<Client> clients_;
    detail::NameIndex client_index_;
    detail::NameIndex client_names_;  // client_name_key(city, name) -> position (CL-2: unique per city)
    std::map<int, std::uint32_t> next_client_serial_;  // year of first contact -> next serial

    std::vector<Activity> activities_;
    detail::NameIndex activity_index_;
    std::unordered_map<std::string, std::vector<std::size_t>> activities_by_client_;
    std::vector<ContactReport> contact_reports_;
    detail::NameIndex report_by_activity_;
    std::vector<MeetingNotice> notices_;
    detail::NameIndex notice_index_;
    std::vector<StatusReport> status_reports_;
    detail::NameIndex status_index_;  // status_key(author, kind, period) -> position (AS-3: one each)
    std::vector<JobTicket> jobs_;
    JobTextColumns job_texts_;  // jobs_' unchanging texts in columns, always in step with jobs_
    detail::NameIndex job_index_;
    std::map<std::string, std::uint32_t> job_sequences_;  // "CR-202611" -> next number
    std::vector<TimeEntry> time_entries_;
    detail::NameIndex time_index_;
    std::unordered_map<std::string, std::int64_t> day_hours_;  // "staff|YYYYMMDD" -> hundredths booked
    std::uint64_t next_time_serial_ = 1;
    std::vector<MarketingPlan> plans_;
    detail::NameIndex plan_index_;
    /// brand_key(client, brand) -> positions of the brand's plans, in order (JT-5, MP-8).
    std::unordered_map<std::string, std::vector<std::size_t>, detail::NameHash, std::equal_to<>> plans_by_brand_;
    std::uint32_t next_plan_serial_ = 1;
    std::uint64_t next_activity_serial_ = 1;
    std::uint32_t next_report_serial_ = 1;
    std::uint32_t next_notice_serial_ = 1;
    std::uint32_t next_status_serial_ = 1;
    std::vector<Rubric> rubrics_;
    std::vector<Evaluation> evaluations_;
    detail::NameIndex evaluation_index_;
    std::uint32_t next_evaluation_serial_ = 1;
    std::vector<CostEstimate> estimates_;
    std::unordered_map<std::string, std::vector<std::size_t>> estimates_by_job_;
    Ledger ledger_;
};

}  // namespace aecore
