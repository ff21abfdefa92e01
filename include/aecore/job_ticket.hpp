#pragma once
// Job tickets (SPEC JT-1..JT-12): the order that starts agency work. A ticket has a job
// number {DEPT}-{YYYYMM}-{NN} (revisions {parent}-R{n}), a brief that must be complete
// before it is issued, a client deadline with the internal due time derived on the
// agency calendar, the traffic workflow with its full history, revision rounds and time
// sheets. Tickets are owned by the Agency, which enforces every rule.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aecore/calendar.hpp"
#include "aecore/decimal.hpp"
#include "aecore/enum_names.hpp"
#include "aecore/money.hpp"
#include "aecore/policy.hpp"
#include "aecore/staff.hpp"

namespace aecore {

/// JT-2: A requisition, B concept worksheet, C revision of an earlier ticket.
enum class TicketKind : std::uint8_t { Requisition, ConceptWorksheet, Revision };
template <>
struct EnumNames<TicketKind> {
    static constexpr std::string_view type_name = "TicketKind";
    static constexpr std::array<std::pair<TicketKind, std::string_view>, 3> entries{{
        {TicketKind::Requisition, "Requisition"}, {TicketKind::ConceptWorksheet, "ConceptWorksheet"},
        {TicketKind::Revision, "Revision"},
    }};
};

/// JT-8 workflow states.
enum class TicketStatus : std::uint8_t {
    Draft, Approved, Issued, InProgress, InternalReview, ClientReview, ClientApproved, Closed, Cancelled
};
template <>
struct EnumNames<TicketStatus> {
    static constexpr std::string_view type_name = "TicketStatus";
    static constexpr std::array<std::pair<TicketStatus, std::string_view>, 9> entries{{
        {TicketStatus::Draft, "Draft"},
        {TicketStatus::Approved, "Approved"},
        {TicketStatus::Issued, "Issued"},
        {TicketStatus::InProgress, "InProgress"},
        {TicketStatus::InternalReview, "InternalReview"},
        {TicketStatus::ClientReview, "ClientReview"},
        {TicketStatus::ClientApproved, "ClientApproved"},
        {TicketStatus::Closed, "Closed"},
        {TicketStatus::Cancelled, "Cancelled"},
    }};
};

/// JT-10: statuses in which time may be booked.
[[nodiscard]] bool accepts_time(TicketStatus s) noexcept;
/// Open = neither Closed nor Cancelled.
[[nodiscard]] bool is_open(TicketStatus s) noexcept;
/// JT-8: whether the workflow allows the step from -> to.
[[nodiscard]] bool transition_allowed(TicketStatus from, TicketStatus to) noexcept;
/// Job numbers in their natural order: "CR-202611-9" < "CR-202611-10" < "CR-202611-10-R2".
[[nodiscard]] bool job_number_less(std::string_view a, std::string_view b) noexcept;

struct Deliverable {
    std::string media;
    std::string specification;
    friend bool operator==(const Deliverable&, const Deliverable&) = default;
};

/// JT-4: the brief. Media briefs add media objectives; research briefs add the research
/// objective, method and sample.
struct Brief {
    std::string objective{};
    std::string target_audience{};
    std::string key_message{};
    std::string mandatories{};
    std::vector<Deliverable> deliverables{};
    std::optional<Money> budget{};
    std::string media_objectives{};
    std::string research_objective{};
    std::string research_method{};
    std::string research_sample{};
    /// What a brief for `department` still lacks ("objective", "budget", ...). The ticket
    /// supplies the deadline.
    [[nodiscard]] std::vector<std::string> missing(Department department) const;
    friend bool operator==(const Brief&, const Brief&) = default;
};

struct TicketTransition {
    TicketStatus from;
    TicketStatus to;
    DateTime at;
    std::string actor;  ///< staff id
    std::string note;
    friend bool operator==(const TicketTransition&, const TicketTransition&) = default;
};

/// JT-6: a lead-time override by an AM or more senior, with the written reason.
struct LeadTimeOverride {
    std::string approver;
    std::string reason;
    friend bool operator==(const LeadTimeOverride&, const LeadTimeOverride&) = default;
};

struct JobTicket {
    // The fields a whole-book listing reads for every ticket come first, side by side (one
    // or two cache lines of a ticket of some 800 bytes); their texts are kept in columns
    // as well (Agency::job_texts()).
    TicketKind kind = TicketKind::Requisition;
    Department department = Department::Creative;
    JobType job_type = JobType::Other;
    TicketStatus status = TicketStatus::Draft;
    int revision_rounds = 0;              ///< client change requests (JT-8)
    int next_revision = 1;                ///< the n of the next {number}-R{n}
    DateTime client_deadline;
    DateTime opened_at;
    std::string number;                   ///< JT-1 {DEPT}-{YYYYMM}-{NN}, or {parent}-R{n}
    std::optional<std::string> parent{};  ///< the ticket a revision revises
    std::string client;
    std::string brand;
    std::optional<std::string> product{};
    std::string title;
    std::string issuer;                   ///< staff id who opened the ticket
    Brief brief{};
    std::optional<Money> cost_estimate{};
    std::vector<std::string> assignees{};
    std::optional<LeadTimeOverride> lead_time_override{};
    std::optional<std::string> plan{};    ///< the approved plan the work follows (JT-5)
    std::vector<TicketTransition> history{};

    /// The status just before `t` (Draft from opening; nullopt before it was opened).
    [[nodiscard]] std::optional<TicketStatus> status_before(const DateTime& t) const noexcept;
    /// JT-10: whether the ticket was, at some time on `day`, in a status that accepts time.
    [[nodiscard]] bool accepted_time_on(const Date& day) const noexcept;
    /// When the ticket first reached `s`, if it did.
    [[nodiscard]] std::optional<DateTime> reached(TicketStatus s) const noexcept;
    friend bool operator==(const JobTicket&, const JobTicket&) = default;
};

/// The texts of job tickets that never change once a ticket is opened (number, parent,
/// client, brand, title, issuer) in columns, in Arrow's layout: value j of column c is
/// bytes(c)[offset(c, j), offset(c, j + 1)), and ends(c)[j] == offset(c, j + 1). A ticket
/// without a parent has an empty parent value and has_parent(j) false. Agency::job_texts()
/// keeps one in step with Agency::jobs(), for columnar export: Agency.jobs_frame() copies
/// its text columns from here rather than reading some 800 bytes of every ticket.
class JobTextColumns {
public:
    enum Column : std::size_t { Number, Parent, Client, Brand, Title, Issuer };
    static constexpr std::size_t kColumns = 6;

    [[nodiscard]] std::size_t size() const noexcept { return has_parent_.size(); }
    /// Every value of column c, one after another.
    [[nodiscard]] std::string_view bytes(Column c) const noexcept { return bytes_[c]; }
    /// Where each of the size() values of column c ends in bytes(c).
    [[nodiscard]] const std::uint64_t* ends(Column c) const noexcept { return ends_[c].data(); }
    /// Where value j (j <= size()) of column c begins in bytes(c).
    [[nodiscard]] std::uint64_t offset(Column c, std::size_t j) const noexcept { return j == 0 ? 0 : ends_[c][j - 1]; }
    [[nodiscard]] std::string_view value(Column c, std::size_t j) const noexcept {
        const std::uint64_t from = offset(c, j);
        return std::string_view(bytes_[c]).substr(from, ends_[c][j] - from);
    }
    [[nodiscard]] bool has_parent(std::size_t j) const noexcept { return has_parent_[j]; }
    /// Appends ticket t's texts (strong guarantee).
    void push_back(const JobTicket& t);
    /// Removes the last ticket's texts.
    void pop_back() noexcept;
    /// Whether ticket j's texts are t's.
    [[nodiscard]] bool matches(std::size_t j, const JobTicket& t) const noexcept;

private:
    std::array<std::string, kColumns> bytes_;
    std::array<std::vector<std::uint64_t>, kColumns> ends_;
    std::vector<bool> has_parent_;
};

struct NewJob {
    TicketKind kind = TicketKind::Requisition;
    std::optional<std::string> parent{};
    std::string client{};
    std::string brand{};
    std::optional<std::string> product{};
    Department department = Department::Creative;
    JobType job_type = JobType::Other;
    std::string title{};
    Brief brief{};
    std::optional<Money> cost_estimate{};
    DateTime client_deadline{};
    std::vector<std::string> assignees{};
    std::string issuer{};
    DateTime opened_at{};
    std::optional<LeadTimeOverride> lead_time_override{};
};

enum class TimeStatus : std::uint8_t { Submitted, Approved, Billed };
template <>
struct EnumNames<TimeStatus> {
    static constexpr std::string_view type_name = "TimeStatus";
    static constexpr std::array<std::pair<TimeStatus, std::string_view>, 3> entries{{
        {TimeStatus::Submitted, "Submitted"}, {TimeStatus::Approved, "Approved"}, {TimeStatus::Billed, "Billed"},
    }};
};

/// JT-10: hours of one person on one job on one day. Approved and billed entries are
/// locked; a change is a new correcting entry (negative hours allowed there).
struct TimeEntry {
    std::string id;  ///< "TE000001"
    std::string staff;
    std::string job;
    Date date;
    Decimal hours;
    std::string activity;
    Money rate;  ///< the person's hourly cost rate when the time was booked
    Money cost;  ///< hours x rate, rounded half to even (MB-1)
    TimeStatus status = TimeStatus::Submitted;
    std::optional<std::string> approved_by{};
    std::optional<DateTime> approved_at{};
    std::optional<std::string> corrects{};  ///< the entry this one corrects
    DateTime recorded_at;
    friend bool operator==(const TimeEntry&, const TimeEntry&) = default;
};

struct NewTimeEntry {
    std::string staff{};
    std::string job{};
    Date date{};
    Decimal hours{};
    std::string activity{};
    DateTime recorded_at{};
};

/// JT-11: one open ticket in the weekly status report.
struct WeeklyTicketRow {
    std::string client;
    std::string number;
    std::string title;
    TicketStatus status;
    DateTime client_deadline;
    DateTime internal_due;
    bool late = false;  ///< past its client deadline without client approval
    int revision_rounds = 0;
    Decimal hours;      ///< booked in the week
    friend bool operator==(const WeeklyTicketRow&, const WeeklyTicketRow&) = default;
};

struct WeeklyStatus {
    Date week_start;  ///< a Monday
    std::vector<WeeklyTicketRow> rows;  ///< by client, then job number
    int opened = 0;   ///< tickets opened in the week
    int closed = 0;   ///< tickets closed in the week
};

/// JT-12: delivery metrics of one AE or one client over a period.
struct DeliveryMetrics {
    std::string key;          ///< staff id (per AE) or client code (per client)
    int delivered = 0;        ///< tickets client-approved in the period
    int on_time = 0;          ///< ... by their client deadline
    std::optional<Decimal> on_time_rate{};        ///< on_time / delivered, 4 places
    std::optional<Decimal> avg_revision_rounds{}; ///< 2 places
    std::optional<Decimal> avg_cycle_days{};      ///< issued -> client approved, calendar days, 2 places
};

}  // namespace aecore
