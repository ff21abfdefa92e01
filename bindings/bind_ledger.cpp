// Cost estimates, the ledger and the money reports (MB-2..MB-7, CL-5, CL-7) for Python.
// Amounts are Money, or str / int / decimal.Decimal in the agency currency; months are a
// datetime.date (any day of the month) or "YYYY-MM". Reports are read-only snapshots;
// python/aecore/ledger.py adds to_dataframe(), _repr_html_ and plot().

#include <pybind11/stl.h>

#include "aecore/agency.hpp"
#include "casters.hpp"

namespace py = pybind11;

namespace aecore::bind {

namespace {

// Money in the agency currency from Money, str, int or decimal.Decimal.
Money book_money(const Agency& a, const py::handle& value, const std::string& field) {
    if (py::isinstance<Money>(value)) return value.cast<Money>();
    try {
        return Money::parse(amount_text(value, field), a.currency());
    } catch (const ValidationError& e) {
        if (e.field() == field) throw;
        throw ValidationError("MB-1", field, py::repr(value).cast<std::string>(), e.detail());
    }
}

YearMonth month_arg(const py::handle& value) {
    if (PyUnicode_Check(value.ptr())) {
        const std::string text = value.cast<std::string>();
        auto digits = [&](std::size_t from, std::size_t n) {
            for (std::size_t i = from; i < from + n; ++i)
                if (text[i] < '0' || text[i] > '9') return false;
            return true;
        };
        if (text.size() == 7 && text[4] == '-' && digits(0, 4) && digits(5, 2)) {
            const YearMonth ym{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2))};
            if (ym.month >= 1 && ym.month <= 12) return ym;
        }
        throw ValidationError("MB-4", "month", quote(text), "expected \"YYYY-MM\" or a datetime.date");
    }
    // A datetime is a date subclass, but a month is a calendar month: refused like every
    // other date argument.
    py_detail::ensure_datetime_api();
    if (!PyDate_Check(value.ptr()) || PyDateTime_Check(value.ptr()))
        throw py::type_error("month: expected a \"YYYY-MM\" string or a datetime.date, not " +
                             std::string(py::str(py::type::of(value).attr("__name__"))));
    return YearMonth::of(value.cast<Date>());
}

}  // namespace

void ledger(py::module_& m) {
    native_enum_from_names<EntryKind>(m, "MB-3: ledger entry kinds.");
    native_enum_from_names<EstimateStatus>(m, "MB-2: cost estimate version states.");
    native_enum_from_names<AgingBasis>(m, "MB-5: age open invoices from the due date or the invoice date.");
    native_enum_from_names<Escalation>(m, "MB-6: who chases an overdue invoice.");
    native_enum_from_names<CreditStatus>(m, "MB-6: a client's credit status.");

    py::class_<CostEstimate>(m, "CostEstimate", "MB-2: one version of a job's cost estimate (a snapshot).")
        .def_property_readonly("id", &CostEstimate::id, "\"<job>/v<version>\"")
        .def_readonly("job", &CostEstimate::job)
        .def_readonly("version", &CostEstimate::version)
        .def_readonly("amount", &CostEstimate::amount)
        .def_readonly("note", &CostEstimate::note)
        .def_readonly("prepared_by", &CostEstimate::prepared_by)
        .def_readonly("prepared_at", &CostEstimate::prepared_at)
        .def_readonly("status", &CostEstimate::status)
        .def_readonly("approved_by", &CostEstimate::approved_by, "The client contact who approved it.")
        .def_readonly("approved_at", &CostEstimate::approved_at)
        .def("__eq__", [](const CostEstimate& a, const CostEstimate& b) { return a == b; }, py::is_operator());

    py::class_<LedgerEntry>(m, "LedgerEntry", "MB-3: one ledger entry (a snapshot; the ledger is append-only).")
        .def_readonly("id", &LedgerEntry::id)
        .def_readonly("kind", &LedgerEntry::kind)
        .def_readonly("date", &LedgerEntry::date)
        .def_readonly("client", &LedgerEntry::client)
        .def_readonly("job", &LedgerEntry::job)
        .def_readonly("amount", &LedgerEntry::amount)
        .def_readonly("reference", &LedgerEntry::reference)
        .def_readonly("recorded_by", &LedgerEntry::recorded_by)
        .def_readonly("due", &LedgerEntry::due)
        .def_readonly("invoice", &LedgerEntry::invoice)
        .def_readonly("reverses", &LedgerEntry::reverses)
        .def_readonly("reversed", &LedgerEntry::reversed)
        .def_readonly("time_entry", &LedgerEntry::time_entry)
        .def_readonly("estimate_version", &LedgerEntry::estimate_version)
        .def_readonly("media_booking", &LedgerEntry::media_booking)
        .def_readonly("confirmation", &LedgerEntry::confirmation)
        .def_readonly("contract", &LedgerEntry::contract)
        .def("__eq__", [](const LedgerEntry& a, const LedgerEntry& b) { return a == b; }, py::is_operator());

    py::class_<LedgerFlows>(m, "LedgerFlows", "Sums of each entry kind over a period (reversals netted).")
        .def_readonly("estimate", &LedgerFlows::estimate)
        .def_readonly("committed", &LedgerFlows::committed)
        .def_readonly("actual", &LedgerFlows::actual)
        .def_readonly("billed", &LedgerFlows::billed)
        .def_readonly("collected", &LedgerFlows::collected)
        .def("__eq__", [](const LedgerFlows& a, const LedgerFlows& b) { return a == b; }, py::is_operator());
    py::class_<ReconciliationRow>(m, "ReconciliationRow", "MB-4: one job of the reconciliation (job None: client level).")
        .def_readonly("job", &ReconciliationRow::job)
        .def_readonly("title", &ReconciliationRow::title)
        .def_readonly("month", &ReconciliationRow::month)
        .def_readonly("ytd", &ReconciliationRow::ytd)
        .def_readonly("to_date", &ReconciliationRow::to_date)
        .def_readonly("estimate", &ReconciliationRow::estimate)
        .def_readonly("variance", &ReconciliationRow::variance)
        .def_readonly("unbilled_wip", &ReconciliationRow::unbilled_wip)
        .def_readonly("receivable", &ReconciliationRow::receivable)
        .def("__eq__", [](const ReconciliationRow& a, const ReconciliationRow& b) { return a == b; }, py::is_operator());
    py::class_<ReconciliationReport>(m, "ReconciliationReport",
                                     "MB-4: a client's monthly budget reconciliation with year to date.")
        .def_readonly("client", &ReconciliationReport::client)
        .def_property_readonly("month", [](const ReconciliationReport& r) { return r.month.to_string(); },
                               "\"YYYY-MM\"")
        .def_property_readonly("period_start", [](const ReconciliationReport& r) { return r.month.first_day(); })
        .def_property_readonly("period_end", [](const ReconciliationReport& r) { return r.month.last_day(); })
        .def_readonly("rows", &ReconciliationReport::rows)
        .def_readonly("total", &ReconciliationReport::total)
        .def_readonly("annual_budget", &ReconciliationReport::annual_budget)
        .def_readonly("year_billed", &ReconciliationReport::year_billed)
        .def_readonly("budget_remaining", &ReconciliationReport::budget_remaining)
        .def_readonly("budget_used", &ReconciliationReport::budget_used, "year_billed / annual_budget (Decimal, 4 places).");

    py::class_<AgingBuckets>(m, "AgingBuckets", "MB-5: open balances by days past the basis date.")
        .def_readonly("current", &AgingBuckets::current)
        .def_readonly("days_1_30", &AgingBuckets::days_1_30)
        .def_readonly("days_31_60", &AgingBuckets::days_31_60)
        .def_readonly("days_61_90", &AgingBuckets::days_61_90)
        .def_readonly("over_90", &AgingBuckets::over_90)
        .def_readonly("total", &AgingBuckets::total)
        .def("__eq__", [](const AgingBuckets& a, const AgingBuckets& b) { return a == b; }, py::is_operator());
    py::class_<OpenItem>(m, "OpenItem", "MB-5: an invoice or credit note open on the as-of date.")
        .def_readonly("invoice", &OpenItem::invoice)
        .def_readonly("client", &OpenItem::client)
        .def_readonly("job", &OpenItem::job)
        .def_readonly("date", &OpenItem::date)
        .def_readonly("due", &OpenItem::due)
        .def_readonly("amount", &OpenItem::amount)
        .def_readonly("open", &OpenItem::open)
        .def_readonly("days", &OpenItem::days, "Days past the basis date (negative: not yet due).")
        .def("__eq__", [](const OpenItem& a, const OpenItem& b) { return a == b; }, py::is_operator());
    py::class_<AgingRow>(m, "AgingRow", "MB-5: one client's aging and DSO.")
        .def_readonly("client", &AgingRow::client)
        .def_readonly("buckets", &AgingRow::buckets)
        .def_readonly("billed", &AgingRow::billed, "Billings over the DSO window.")
        .def_readonly("dso", &AgingRow::dso, "Days sales outstanding (Decimal, 1 place); None without billings.")
        .def("__eq__", [](const AgingRow& a, const AgingRow& b) { return a == b; }, py::is_operator());
    py::class_<AgingReport>(m, "AgingReport", "MB-5: receivables aging on a date.")
        .def_readonly("as_of", &AgingReport::as_of)
        .def_readonly("basis", &AgingReport::basis)
        .def_readonly("dso_days", &AgingReport::dso_days)
        .def_readonly("rows", &AgingReport::rows)
        .def_readonly("total", &AgingReport::total)
        .def_readonly("items", &AgingReport::items);
    py::class_<CollectionItem>(m, "CollectionItem", "MB-6: an overdue invoice and who chases it.")
        .def_readonly("invoice", &CollectionItem::invoice)
        .def_readonly("client", &CollectionItem::client)
        .def_readonly("due", &CollectionItem::due)
        .def_readonly("days_past_due", &CollectionItem::days_past_due)
        .def_readonly("open", &CollectionItem::open)
        .def_readonly("level", &CollectionItem::level)
        .def_readonly("owner", &CollectionItem::owner)
        .def("__eq__", [](const CollectionItem& a, const CollectionItem& b) { return a == b; }, py::is_operator());
    py::class_<Profitability>(m, "Profitability", "MB-7: billed revenue - (vendor costs + time cost).")
        .def_readonly("client", &Profitability::client)
        .def_readonly("job", &Profitability::job)
        .def_readonly("billed", &Profitability::billed)
        .def_readonly("vendor_cost", &Profitability::vendor_cost)
        .def_readonly("time_cost", &Profitability::time_cost)
        .def_readonly("profit", &Profitability::profit)
        .def_readonly("margin", &Profitability::margin, "profit / billed (Decimal, 4 places); None when nothing billed.")
        .def("__eq__", [](const Profitability& a, const Profitability& b) { return a == b; }, py::is_operator());
    py::class_<HandoverStatement>(m, "HandoverStatement", "CL-7: the finance hand-over statement at a contract's end.")
        .def_readonly("client", &HandoverStatement::client)
        .def_readonly("contract", &HandoverStatement::contract)
        .def_readonly("start", &HandoverStatement::start)
        .def_readonly("end", &HandoverStatement::end)
        .def_readonly("monthly_fee", &HandoverStatement::monthly_fee)
        .def_readonly("months", &HandoverStatement::months)
        .def_readonly("fees_due", &HandoverStatement::fees_due)
        .def_readonly("fees_invoiced", &HandoverStatement::fees_invoiced)
        .def_readonly("fees_collected", &HandoverStatement::fees_collected)
        .def_readonly("unpaid_fees", &HandoverStatement::unpaid_fees)
        .def_readonly("uninvoiced_fees", &HandoverStatement::uninvoiced_fees)
        .def_readonly("invoiced_in_term", &HandoverStatement::invoiced_in_term)
        .def_readonly("open_receivable", &HandoverStatement::open_receivable)
        .def_readonly("as_of", &HandoverStatement::as_of)
        .def("__eq__", [](const HandoverStatement& a, const HandoverStatement& b) { return a == b; }, py::is_operator());

    auto agency = py::reinterpret_borrow<py::class_<Agency>>(m.attr("Agency"));
    agency
        .def(
            "prepare_estimate",
            [](Agency& a, std::string job, const py::object& amount, std::string prepared_by, const DateTime& at,
               std::string note) {
                return a.prepare_estimate(NewEstimate{std::move(job), book_money(a, amount, "estimate.amount"),
                                                      std::move(note), std::move(prepared_by), at});
            },
            py::arg("job"), py::kw_only(), py::arg("amount"), py::arg("prepared_by"), py::arg("prepared_at"),
            py::arg("note") = "", py::return_value_policy::copy,
            "MB-2: a new Draft version of the job's cost estimate (a change order after the first). A pending "
            "Draft is withdrawn by the next one.")
        .def("approve_estimate", &Agency::approve_estimate, py::arg("job"), py::arg("version"), py::kw_only(),
             py::arg("contact"), py::arg("at"), py::return_value_policy::copy,
             "MB-2: the client's contact approves a Draft version; the ledger gets an Estimate entry for the change.")
        .def("estimates", &Agency::estimates, py::arg("job"), "MB-2: every version of the job's estimate.")
        .def_property_readonly("cost_estimates", [](const Agency& a) { return a.cost_estimates(); })
        .def("approved_estimate", &Agency::approved_estimate, py::arg("job"), py::arg("as_of"),
             "MB-2: the client-approved estimate in force on `as_of` (Money), or None.")
        .def(
            "commit_cost",
            [](Agency& a, std::string job, const Date& date, const py::object& amount, std::string reference,
               std::string recorded_by, bool media_booking, std::optional<std::string> confirmation) {
                return a.commit_cost(NewCommitment{std::move(job), date, book_money(a, amount, "commitment.amount"),
                                                   std::move(reference), std::move(recorded_by), media_booking,
                                                   std::move(confirmation)});
            },
            py::arg("job"), py::kw_only(), py::arg("date"), py::arg("amount"), py::arg("reference"),
            py::arg("recorded_by"), py::arg("media_booking") = false, py::arg("confirmation") = py::none(),
            "MB-3: a purchase order or media booking (which needs the client's written confirmation). Needs an "
            "approved estimate; above it the overspend policy applies.")
        .def(
            "record_cost",
            [](Agency& a, std::string job, const Date& date, const py::object& amount, std::string reference,
               std::string recorded_by) {
                return a.record_cost(NewActualCost{std::move(job), date, book_money(a, amount, "cost.amount"),
                                                   std::move(reference), std::move(recorded_by)});
            },
            py::arg("job"), py::kw_only(), py::arg("date"), py::arg("amount"), py::arg("reference"),
            py::arg("recorded_by"),
            "MB-3: a vendor invoice (actual cost). Approved time reaches the ledger by itself.")
        .def(
            "issue_invoice",
            [](Agency& a, std::string number, const Date& date, const Date& due, const py::object& amount,
               std::string recorded_by, std::optional<std::string> job, std::optional<std::string> client,
               std::optional<std::string> contract) {
                return a.issue_invoice(NewInvoice{std::move(number), std::move(job), std::move(client),
                                                  std::move(contract), date, due,
                                                  book_money(a, amount, "invoice.amount"), std::move(recorded_by)});
            },
            py::arg("number"), py::kw_only(), py::arg("date"), py::arg("due"), py::arg("amount"),
            py::arg("recorded_by"), py::arg("job") = py::none(), py::arg("client") = py::none(),
            py::arg("contract") = py::none(),
            "MB-3: an invoice to the client of `job` (or to `client`, e.g. a `contract`'s service fee); a negative "
            "amount is a credit note. Numbers are never reused.")
        .def(
            "record_payment",
            [](Agency& a, std::string invoice, const Date& date, const py::object& amount, std::string recorded_by,
               std::string reference) {
                return a.record_payment(NewPayment{std::move(invoice), date, book_money(a, amount, "payment.amount"),
                                                   std::move(reference), std::move(recorded_by)});
            },
            py::arg("invoice"), py::kw_only(), py::arg("date"), py::arg("amount"), py::arg("recorded_by"),
            py::arg("reference") = "", "MB-3: a payment against an invoice, at most its open balance.")
        .def("reverse_entry", &Agency::reverse_entry, py::arg("entry"), py::kw_only(), py::arg("date"),
             py::arg("reason"), py::arg("recorded_by"),
             "MB-3: correct an entry by a reversing one; entries are never edited.")
        .def_property_readonly("ledger_size", &Agency::ledger_size, "Number of ledger entries.")
        .def("get_ledger_entry", py::overload_cast<std::string_view>(&Agency::ledger_entry, py::const_), py::arg("id"))
        .def("ledger_entries", &Agency::ledger_entries, py::kw_only(), py::arg("client") = py::none(),
             py::arg("job") = py::none(), py::arg("start") = py::none(), py::arg("end") = py::none(),
             "Ledger entries in posting order, optionally of one client or job, dated within [start, end].")
        .def("open_balance", &Agency::open_balance, py::arg("invoice"), py::arg("as_of") = py::none(),
             "An invoice's open balance now, or at the close of `as_of`.")
        .def(
            "reconcile",
            [](const Agency& a, std::string_view client, const py::object& month) {
                return a.reconcile(client, month_arg(month));
            },
            py::arg("client"), py::kw_only(), py::arg("month"),
            "MB-4: the client's budget reconciliation for `month` (a date in it, or \"YYYY-MM\") with year to date.")
        .def("aging", &Agency::aging, py::arg("as_of"), py::kw_only(), py::arg("basis") = AgingBasis::DueDate,
             py::arg("dso_days") = 90,
             "MB-5: receivables aging at the close of `as_of` (payments dated later are ignored), with DSO over "
             "the trailing `dso_days`.")
        .def("collections", &Agency::collections, py::arg("as_of"),
             "MB-6: overdue invoices with the escalation level and who chases each, most overdue first.")
        .def("credit_status", &Agency::credit_status, py::arg("client"), py::arg("as_of"), "MB-6: Good or Late.")
        .def(
            "profitability",
            [](const Agency& a, const Date& start, const Date& end, const std::string& by) {
                if (by != "job" && by != "client")
                    throw ValidationError("MB-7", "by", quote(by), "expected \"job\" or \"client\"");
                return a.profitability(start, end, by == "client");
            },
            py::arg("start"), py::arg("end"), py::kw_only(), py::arg("by") = "job",
            "MB-7: billed revenue - (vendor costs + time cost) per job (by='job') or client (by='client').")
        .def("handover_statement", &Agency::handover_statement, py::arg("client"), py::arg("contract"),
             py::arg("as_of") = py::none(), "CL-7: the finance hand-over statement of a contract.");
}

}  // namespace aecore::bind
