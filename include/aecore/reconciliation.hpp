#pragma once

#include <array>
// The money reports (SPEC MB-4..MB-7, CL-7): the monthly budget reconciliation of a
// client, receivables aging with DSO, collection escalations and credit status,
// profitability, and the contract-end finance hand-over statement. Every figure is exact
// Money in the agency currency and is computed from the ledger alone.

#include <optional>
#include <string>
#include <vector>

#include "aecore/calendar.hpp"
#include "aecore/decimal.hpp"
#include "aecore/enum_names.hpp"
#include "aecore/ledger.hpp"
#include "aecore/money.hpp"
#include "aecore/staff.hpp"

namespace aecore {

/// Sums of the ledger's entry kinds over one period (reversals netted).
struct LedgerFlows {
    Money estimate;   ///< approved estimate changes
    Money committed;
    Money actual;     ///< vendor invoices and time cost
    Money billed;     ///< invoices net of credit notes
    Money collected;
    friend bool operator==(const LedgerFlows&, const LedgerFlows&) = default;
};

/// MB-4: one job of the reconciliation (or the client-level line, job = none).
struct ReconciliationRow {
    std::optional<std::string> job{};
    std::string title;
    LedgerFlows month;     ///< entries dated in the month
    LedgerFlows ytd;       ///< entries dated from 1 January to the month's end
    LedgerFlows to_date;   ///< every entry up to the month's end
    Money estimate;        ///< the approved estimate at the month's end (= to_date.estimate)
    Money variance;        ///< to-date actual - estimate
    Money unbilled_wip;    ///< to-date actual - billed
    Money receivable;      ///< to-date billed - collected
    friend bool operator==(const ReconciliationRow&, const ReconciliationRow&) = default;
};

/// MB-4 monthly budget reconciliation of one client. Sums of the rows equal `total`, and
/// `total` equals the ledger's sums for the client exactly (checked when it is built).
struct ReconciliationReport {
    std::string client;
    YearMonth month;
    std::vector<ReconciliationRow> rows;  ///< by job number; the client-level line last
    ReconciliationRow total;
    Money annual_budget;
    Money year_billed;                    ///< = total.ytd.billed
    Money budget_remaining;               ///< annual_budget - year_billed
    std::optional<Decimal> budget_used{}; ///< year_billed / annual_budget, 4 places; none without a budget
};

/// MB-5: what the aging counts days from.
enum class AgingBasis : std::uint8_t { DueDate, InvoiceDate };
template <>
struct EnumNames<AgingBasis> {
    static constexpr std::string_view type_name = "AgingBasis";
    static constexpr std::array<std::pair<AgingBasis, std::string_view>, 2> entries{{
        {AgingBasis::DueDate, "DueDate"}, {AgingBasis::InvoiceDate, "InvoiceDate"},
    }};
};

/// MB-5 buckets of open balances: days <= 0 (not yet due), 1-30, 31-60, 61-90, > 90.
struct AgingBuckets {
    Money current;
    Money days_1_30;
    Money days_31_60;
    Money days_61_90;
    Money over_90;
    Money total;
    friend bool operator==(const AgingBuckets&, const AgingBuckets&) = default;
};

/// One open invoice (or credit note) on the as-of date.
struct OpenItem {
    std::string invoice;
    std::string client;
    std::optional<std::string> job{};
    Date date;
    Date due;
    Money amount;      ///< as invoiced
    Money open;        ///< after payments up to the as-of date
    int days = 0;      ///< days past the basis date (negative: not yet due)
    friend bool operator==(const OpenItem&, const OpenItem&) = default;
};

struct AgingRow {
    std::string client;
    AgingBuckets buckets;
    Money billed;                ///< billings over the DSO window
    std::optional<Decimal> dso{};///< days sales outstanding, 1 place; none without billings
    friend bool operator==(const AgingRow&, const AgingRow&) = default;
};

struct AgingReport {
    Date as_of;
    AgingBasis basis = AgingBasis::DueDate;
    int dso_days = 90;
    std::vector<AgingRow> rows;   ///< clients with a non-zero open balance, by client code
    AgingRow total;               ///< client = ""
    std::vector<OpenItem> items;  ///< the open invoices behind the buckets, by client then date
};

/// MB-6: who chases an overdue invoice.
enum class Escalation : std::uint8_t { AE, AM, AD };
template <>
struct EnumNames<Escalation> {
    static constexpr std::string_view type_name = "Escalation";
    static constexpr std::array<std::pair<Escalation, std::string_view>, 3> entries{{
        {Escalation::AE, "AE"}, {Escalation::AM, "AM"}, {Escalation::AD, "AD"},
    }};
};

struct CollectionItem {
    std::string invoice;
    std::string client;
    Date due;
    int days_past_due = 0;
    Money open;
    Escalation level = Escalation::AE;
    std::optional<std::string> owner{};  ///< the team member at that level on the as-of date
    friend bool operator==(const CollectionItem&, const CollectionItem&) = default;
};

/// MB-6 credit status: Late after a payment more than Policy::late_payment_days late
/// (or an invoice still open that long after its due date) in the trailing 12 months.
enum class CreditStatus : std::uint8_t { Good, Late };
template <>
struct EnumNames<CreditStatus> {
    static constexpr std::string_view type_name = "CreditStatus";
    static constexpr std::array<std::pair<CreditStatus, std::string_view>, 2> entries{{
        {CreditStatus::Good, "Good"}, {CreditStatus::Late, "Late"},
    }};
};

/// MB-7: billed revenue - (vendor costs + time cost) of a job, or of a client (job = none).
struct Profitability {
    std::string client;
    std::optional<std::string> job{};
    Money billed;
    Money vendor_cost;
    Money time_cost;
    Money profit;
    std::optional<Decimal> margin{};  ///< profit / billed, 4 places; none when nothing was billed
    friend bool operator==(const Profitability&, const Profitability&) = default;
};

/// CL-7: the finance hand-over statement at a contract's end.
struct HandoverStatement {
    std::string client;
    std::string contract;
    Date start;
    Date end;
    Money monthly_fee;
    int months = 0;              ///< service months from the start date (a part month counts whole)
    Money fees_due;              ///< monthly_fee x months
    Money fees_invoiced;         ///< invoices against the contract up to the as-of date
    Money fees_collected;        ///< payments on those invoices up to the as-of date
    Money unpaid_fees;           ///< fees_due - fees_collected
    Money uninvoiced_fees;       ///< fees_due - fees_invoiced
    Money invoiced_in_term;      ///< every invoice to the client dated within the contract
    Money open_receivable;       ///< the client's whole open balance on the as-of date
    Date as_of;
    friend bool operator==(const HandoverStatement&, const HandoverStatement&) = default;
};

/// The whole ledger summed by (client, job, month, entry kind), in columns: one element per
/// (client, job or client level, month) with any entry, ordered by client, then month,
/// then job (client level first). The engine behind whole-book monthly reconciliation:
/// O(entries), read through the ledger's (client, month) index.
struct MonthlyFlows {
    std::vector<std::int32_t> client;  ///< index into Agency::clients()
    std::vector<std::int32_t> job;     ///< index into Agency::jobs(), -1 for client-level entries
    std::vector<std::int32_t> month;   ///< year * 12 + month - 1
    std::array<std::vector<std::int64_t>, 5> sums;  ///< minor units by EntryKind (Estimate..Payment)
    [[nodiscard]] std::size_t size() const noexcept { return client.size(); }
};

}  // namespace aecore
