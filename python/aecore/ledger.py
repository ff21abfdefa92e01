"""The pythonic layer over the ledger and the money reports (SPEC MB-2..MB-7, CL-7):
readable reprs, notebook tables, ``to_dataframe()`` with exact amounts and ``plot()``.

Amounts in DataFrames are exact: ``money="decimal"`` (the default) gives
``decimal.Decimal`` objects, ``money="minor"`` gives int64 minor units; either way a
``currency`` column says which currency. Floats appear only inside ``plot()``, which
draws pictures, never figures anyone adds up.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import html
from typing import TYPE_CHECKING, Any, Literal

from . import _core
from ._sugar import (_arrow_strings, _attach, _categorical, _datetimes, _record_repr, _repeated_text, _require_pandas,
                     _show, _table, _text_array)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes

MoneyStyle = Literal["decimal", "minor"]

_FLOWS = ("estimate", "committed", "actual", "billed", "collected")
_BUCKETS = ("current", "days_1_30", "days_31_60", "days_61_90", "over_90", "total")
_BUCKET_LABELS = ("current", "1-30", "31-60", "61-90", ">90", "total")


def _money_series(pd: Any, values: list[_core.Money], index: Any, money: MoneyStyle) -> Any:
    if money not in ("decimal", "minor"):
        raise ValueError(f'money={money!r}: expected "decimal" (exact Decimal) or "minor" (int64 minor units)')
    if money == "decimal":
        return pd.Series([m.amount for m in values], index=index, dtype="object")
    return pd.Series([m.minor_units for m in values], index=index, dtype="int64")


def _require_pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("plot() needs matplotlib: pip install matplotlib") from exc
    return plt


def _fmt(m: _core.Money) -> str:
    return m.format()


# ----------------------------------------------------------------- reprs

_record_repr(_core.CostEstimate, "id", "amount", "status", when_set=("approved_by",))
_record_repr(
    _core.LedgerEntry, "id", "kind", "date", "client", "job", "amount", "reference",
    when_set=("due", "invoice", "reverses", "reversed", "time_entry", "media_booking", "contract"),
)
_record_repr(_core.LedgerFlows, *_FLOWS)
_record_repr(_core.ReconciliationRow, "job", "title", "estimate", "variance", "unbilled_wip", "receivable")
_record_repr(_core.AgingBuckets, *_BUCKETS)
_record_repr(_core.AgingRow, "client", "buckets", "dso")
_record_repr(_core.OpenItem, "invoice", "client", "due", "open", "days")
_record_repr(_core.CollectionItem, "invoice", "client", "days_past_due", "open", "level", "owner")
_record_repr(_core.Profitability, "client", "job", "billed", "profit", "margin")
_record_repr(_core.TierAssignment, "client", "tier", "billings", "share", when_set=("demoted", "late_credit"))


@_attach(_core.ReconciliationReport, "__repr__")
def _reconciliation_repr(self: _core.ReconciliationReport) -> str:
    t = self.total
    return (
        f"ReconciliationReport(client={self.client!r}, month={self.month!r}, jobs={len(self.rows)}, "
        f"estimate={_show(t.estimate)}, actual={_show(t.to_date.actual)}, billed={_show(t.to_date.billed)}, "
        f"receivable={_show(t.receivable)})"
    )


@_attach(_core.AgingReport, "__repr__")
def _aging_repr(self: _core.AgingReport) -> str:
    return (
        f"AgingReport(as_of={self.as_of.isoformat()}, basis={self.basis.name}, clients={len(self.rows)}, "
        f"open={_show(self.total.buckets.total)}, over_90={_show(self.total.buckets.over_90)}, "
        f"dso={_show(self.total.dso)})"
    )


@_attach(_core.HandoverStatement, "__repr__")
def _handover_repr(self: _core.HandoverStatement) -> str:
    return (
        f"HandoverStatement(client={self.client!r}, contract={self.contract!r}, end={self.end.isoformat()}, "
        f"fees_due={_show(self.fees_due)}, invoiced={_show(self.fees_invoiced)}, unpaid={_show(self.unpaid_fees)})"
    )


# ----------------------------------------------------------------- reconciliation (MB-4)

def _row_label(row: _core.ReconciliationRow) -> str:
    return row.job if row.job is not None else "(client level)"


@_attach(_core.ReconciliationReport, "to_dataframe")
def _reconciliation_frame(self: _core.ReconciliationReport, *, money: MoneyStyle = "decimal",
                          totals: bool = True) -> pd.DataFrame:
    """One row per job, indexed by job number ("(client level)" for client-level bills,
    "Total" for the totals row unless ``totals=False``): title; the to-date columns
    estimate, committed, actual, billed, collected, variance, unbilled_wip, receivable;
    the month's and the year's movements as month_<kind> and ytd_<kind>; currency.
    Amounts are exact: Decimal (``money="decimal"``) or int64 minor units (``"minor"``)."""
    pd = _require_pandas()
    rows = list(self.rows) + ([self.total] if totals else [])
    labels = [_row_label(r) for r in rows[: len(self.rows)]] + (["Total"] if totals else [])
    index = pd.Index(labels, name="job", dtype="string")
    currency = self.total.estimate.currency
    data: dict[str, Any] = {"title": pd.Series([r.title for r in rows], index=index, dtype="string")}
    for name in ("estimate", "committed", "actual", "billed", "collected"):
        data[name] = _money_series(pd, [getattr(r.to_date, name) for r in rows], index, money)
    for name in ("variance", "unbilled_wip", "receivable"):
        data[name] = _money_series(pd, [getattr(r, name) for r in rows], index, money)
    for period in ("month", "ytd"):
        for name in _FLOWS:
            data[f"{period}_{name}"] = _money_series(pd, [getattr(getattr(r, period), name) for r in rows], index, money)
    data["currency"] = pd.Series([currency] * len(rows), index=index, dtype="string")
    return pd.DataFrame(data, index=index)


@_attach(_core.ReconciliationReport, "_repr_html_")
def _reconciliation_html(self: _core.ReconciliationReport) -> str:
    def line(label: str, r: _core.ReconciliationRow) -> list[str]:
        return [label, r.title, _fmt(r.estimate), _fmt(r.to_date.committed), _fmt(r.to_date.actual),
                 _fmt(r.to_date.billed), _fmt(r.to_date.collected), _fmt(r.variance), _fmt(r.unbilled_wip),
                 _fmt(r.receivable), _fmt(r.month.actual), _fmt(r.month.billed)]

    rows = [line(_row_label(r), r) for r in self.rows] + [line("Total", self.total)]
    used = f"{self.budget_used * 100:.2f} %" if self.budget_used is not None else "n/a"
    head = (
        f"<p><b>Budget reconciliation {html.escape(self.client)}, {html.escape(self.month)}</b> &middot; "
        f"annual budget {html.escape(_fmt(self.annual_budget))}, billed this year "
        f"{html.escape(_fmt(self.year_billed))} ({html.escape(used)}), remaining "
        f"{html.escape(_fmt(self.budget_remaining))}</p>"
    )
    return head + _table(
        ["job", "title", "estimate", "committed", "actual", "billed", "collected", "variance", "unbilled WIP",
         "receivable", "actual (month)", "billed (month)"],
        rows,
    )


@_attach(_core.ReconciliationReport, "plot")
def _reconciliation_plot(self: _core.ReconciliationReport, ax: Axes | None = None) -> Axes:
    """Estimate, actual and billed to date per job as grouped bars (matplotlib)."""
    plt = _require_pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 1.2 * len(self.rows) + 2), 4))
    labels = [_row_label(r) for r in self.rows]
    series = [("estimate", [r.estimate for r in self.rows]), ("actual", [r.to_date.actual for r in self.rows]),
              ("billed", [r.to_date.billed for r in self.rows])]
    width = 0.8 / len(series)
    for k, (name, values) in enumerate(series):
        xs = [i + (k - 1) * width for i in range(len(labels))]
        ax.bar(xs, [float(v.amount) for v in values], width=width, label=name)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=20, ha="right")
    currency = self.total.estimate.currency
    ax.set_ylabel(currency)
    ax.set_title(f"{self.client} — {self.month}: estimate, actual and billed to date")
    ax.legend()
    return ax


# ----------------------------------------------------------------- aging (MB-5)

@_attach(_core.AgingReport, "to_dataframe")
def _aging_frame(self: _core.AgingReport, *, money: MoneyStyle = "decimal", totals: bool = True) -> pd.DataFrame:
    """One row per client with an open balance, indexed by client code ("Total" last
    unless ``totals=False``): the buckets current, days_1_30, days_31_60, days_61_90,
    over_90 and total (exact amounts; named like the AgingBuckets properties), billed (over
    the DSO window), dso (Decimal days, None without billings), currency."""
    pd = _require_pandas()
    rows = list(self.rows) + ([self.total] if totals else [])
    index = pd.Index([r.client for r in self.rows] + (["Total"] if totals else []), name="client", dtype="string")
    data: dict[str, Any] = {}
    for attr in _BUCKETS:
        data[attr] = _money_series(pd, [getattr(r.buckets, attr) for r in rows], index, money)
    data["billed"] = _money_series(pd, [r.billed for r in rows], index, money)
    data["dso"] = pd.Series([r.dso for r in rows], index=index, dtype="object")
    data["currency"] = pd.Series([r.buckets.total.currency for r in rows], index=index, dtype="string")
    return pd.DataFrame(data, index=index)


@_attach(_core.AgingReport, "items_to_dataframe")
def _aging_items_frame(self: _core.AgingReport, *, money: MoneyStyle = "decimal") -> pd.DataFrame:
    """The open invoices behind the buckets, indexed by invoice number: client, job, date
    and due (datetime64), amount and open (exact), days past the basis date, currency."""
    pd = _require_pandas()
    items = list(self.items)
    index = pd.Index([i.invoice for i in items], name="invoice", dtype="string")
    return pd.DataFrame(
        {
            "client": pd.Series([i.client for i in items], index=index, dtype="string"),
            "job": pd.Series([i.job for i in items], index=index, dtype="string"),
            "date": pd.to_datetime(pd.Series([i.date for i in items], index=index, dtype="object")),
            "due": pd.to_datetime(pd.Series([i.due for i in items], index=index, dtype="object")),
            "amount": _money_series(pd, [i.amount for i in items], index, money),
            "open": _money_series(pd, [i.open for i in items], index, money),
            "days": pd.Series([i.days for i in items], index=index, dtype="int64"),
            "currency": pd.Series([i.open.currency for i in items], index=index, dtype="string"),
        },
        index=index,
    )


@_attach(_core.AgingReport, "_repr_html_")
def _aging_html(self: _core.AgingReport) -> str:
    def line(label: str, r: _core.AgingRow) -> list[str]:
        return [label, *(_fmt(getattr(r.buckets, b)) for b in _BUCKETS), "" if r.dso is None else str(r.dso)]

    rows = [line(r.client, r) for r in self.rows] + [line("Total", self.total)]
    basis = "due date" if self.basis == _core.AgingBasis.DUE_DATE else "invoice date"
    head = (
        f"<p><b>Receivables aging as of {self.as_of.isoformat()}</b> &middot; days past the {basis} &middot; "
        f"DSO over {self.dso_days} days</p>"
    )
    return head + _table(["client", *_BUCKET_LABELS, "DSO"], rows)


@_attach(_core.AgingReport, "plot")
def _aging_plot(self: _core.AgingReport, ax: Axes | None = None) -> Axes:
    """Open balances per client as stacked bars by aging bucket (matplotlib)."""
    plt = _require_pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(self.rows) + 2), 4))
    labels = [r.client for r in self.rows]
    bottoms_pos = [0.0] * len(labels)
    bottoms_neg = [0.0] * len(labels)
    for attr, label in zip(_BUCKETS[:-1], _BUCKET_LABELS[:-1]):
        values = [float(getattr(r.buckets, attr).amount) for r in self.rows]
        bottoms = [bp if v >= 0 else bn for v, bp, bn in zip(values, bottoms_pos, bottoms_neg)]
        ax.bar(range(len(labels)), values, bottom=bottoms, label=label)
        bottoms_pos = [bp + max(v, 0.0) for v, bp in zip(values, bottoms_pos)]
        bottoms_neg = [bn + min(v, 0.0) for v, bn in zip(values, bottoms_neg)]
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=20, ha="right")
    ax.set_ylabel(self.total.buckets.total.currency)
    ax.set_title(f"Receivables aging as of {self.as_of.isoformat()}")
    ax.legend(title="days")
    return ax


# ----------------------------------------------------------------- the ledger itself

@_attach(_core.Agency, "ledger_frame")
def _ledger_frame(self: _core.Agency, *, client: str | None = None, job: str | None = None,
                  start: _dt.date | None = None, end: _dt.date | None = None,
                  money: MoneyStyle = "decimal") -> pd.DataFrame:
    """The ledger (optionally one client's or job's, dated within [start, end]) indexed by
    entry id: kind (categorical), date (datetime64), client, job, amount (exact),
    currency, reference, recorded_by, due (datetime64, NaT unless an invoice), invoice,
    reverses, reversed, time_entry. Text columns have the "string" dtype: with pyarrow
    storage (pandas' default when pyarrow is installed) they are built from Arrow buffers
    made in C++, else from str objects."""
    pd = _require_pandas()
    arrow = _arrow_strings(pd)
    # The entries of ledger_entries(...) as columns built in C++ (no LedgerEntry per row).
    c = self._ledger_frame_columns(client=client, job=job, start=start, end=end, missing=pd.NA, arrow=arrow)
    if money not in ("decimal", "minor"):
        raise ValueError(f'money={money!r}: expected "decimal" (exact Decimal) or "minor" (int64 minor units)')
    n = len(c["amount"])
    index = pd.Index(_text_array(pd, c["id"]), name="id")
    amount = c["amount"] if money == "minor" else _decimal_amounts(c["amount"], c["currency"])
    return pd.DataFrame(
        {
            "kind": _categorical(pd, c["kind"], _core.EntryKind),
            "date": _datetimes(pd, c["date"], "date"),
            "client": _text_array(pd, c["client"]),
            "job": _text_array(pd, c["job"]),
            "amount": amount,
            "currency": _repeated_text(pd, c["currency"], n, arrow),
            "reference": _text_array(pd, c["reference"]),
            "recorded_by": _text_array(pd, c["recorded_by"]),
            "due": _datetimes(pd, c["due"], "date"),
            "invoice": _text_array(pd, c["invoice"]),
            "reverses": _text_array(pd, c["reverses"]),
            "reversed": c["reversed"],
            "time_entry": _text_array(pd, c["time_entry"]),
        },
        index=index,
        copy=False,  # every array is new and owned by the frame alone
    )


# Enough digits for any int64 amount: scaleb in this context never rounds.
_EXACT = decimal.Context(prec=40)


def _decimal_amounts(minor: Any, currency: str) -> Any:
    """An object array of the exact decimal.Decimal amounts (what Money.amount gives) of
    int64 minor units: Decimal(12345) scaled by 10**-2 is Decimal('123.45')."""
    import numpy as np

    digits = _core.Money.from_minor(0, currency).digits
    scaleb = _EXACT.scaleb
    out = np.empty(len(minor), dtype=object)
    out[:] = [scaleb(v, -digits) for v in minor.tolist()]
    return out


@_attach(_core.Agency, "monthly_flows_frame")
def _monthly_flows_frame(self: _core.Agency, *, money: MoneyStyle = "minor") -> pd.DataFrame:
    """MB-4 for the whole book, one row per (client, job, month) with entries, indexed by
    client code, job number ("(client level)" for client-level entries) and month
    ("YYYY-MM"): estimate, committed, actual, billed, collected (sums of the ledger entries
    of each kind), variance (estimate - actual), unbilled_wip (actual - billed), receivable
    (billed - collected) and currency. Money is int64 minor units by default (the frame can
    have millions of rows); money="decimal" gives exact Decimal objects instead. Built from
    Agency.monthly_flows(), which sums in C++ without the GIL."""
    import numpy as np

    pd = _require_pandas()
    if money not in ("decimal", "minor"):
        raise ValueError(f'money={money!r}: expected "decimal" (exact Decimal) or "minor" (int64 minor units)')
    f = self.monthly_flows()
    clients = pd.Categorical.from_codes(f["client"], categories=f["clients"])
    job_names = np.array([*f["jobs"], "(client level)"], dtype=object)
    jobs = job_names[np.where(f["job"] < 0, len(f["jobs"]), f["job"])]
    months = np.char.mod("%04d-", f["month"] // 12).astype(object) + np.char.mod("%02d", f["month"] % 12 + 1)
    index = pd.MultiIndex.from_arrays(
        [pd.Index(np.asarray(clients), dtype="string"), pd.Index(jobs, dtype="string"),
         pd.Index(months, dtype="string")], names=["client", "job", "month"])
    sums = {k: f[k] for k in _FLOWS}
    derived = {"variance": sums["estimate"] - sums["actual"], "unbilled_wip": sums["actual"] - sums["billed"],
               "receivable": sums["billed"] - sums["collected"]}
    data: dict[str, Any] = {}
    for name, values in {**sums, **derived}.items():
        if money == "minor":
            data[name] = pd.Series(values, index=index, dtype="int64")
        else:
            data[name] = pd.Series([_core.Money.from_minor(int(v), f["currency"]).amount for v in values],
                                   index=index, dtype="object")
    data["currency"] = pd.Series(f["currency"], index=index, dtype="string")
    return pd.DataFrame(data, index=index)


@_attach(_core.Agency, "profitability_frame")
def _profitability_frame(self: _core.Agency, start: _dt.date, end: _dt.date, *, by: str = "job",
                         money: MoneyStyle = "decimal") -> pd.DataFrame:
    """MB-7 as a DataFrame: billed, vendor_cost, time_cost, profit (exact), margin (Decimal
    fraction, 4 places; None without billings) and currency. by="job" (the default) is
    indexed by (client, job), client-level bills under the job "(client level)"; by="client"
    is indexed by client code. Raises aecore.ValidationError for another `by` or an end
    before the start [MB-7]."""
    pd = _require_pandas()
    rows = self.profitability(start, end, by=by)
    clients = pd.Index([r.client for r in rows], name="client", dtype="string")
    if by == "client":
        index = clients
    else:
        jobs = [r.job if r.job is not None else "(client level)" for r in rows]
        index = pd.MultiIndex.from_arrays([clients, pd.Index(jobs, name="job", dtype="string")])
    data: dict[str, Any] = {}
    for name in ("billed", "vendor_cost", "time_cost", "profit"):
        data[name] = _money_series(pd, [getattr(r, name) for r in rows], index, money)
    data["margin"] = pd.Series([r.margin for r in rows], index=index, dtype="object")
    data["currency"] = pd.Series([r.billed.currency for r in rows], index=index, dtype="string")
    return pd.DataFrame(data, index=index)


@_attach(_core.HandoverStatement, "_repr_html_")
def _handover_html(self: _core.HandoverStatement) -> str:
    rows = [
        ["contract", f"{self.contract} ({self.start.isoformat()} to {self.end.isoformat()})"],
        ["monthly fee", _fmt(self.monthly_fee)],
        ["months", str(self.months)],
        ["service fees due", _fmt(self.fees_due)],
        ["invoiced (contract)", _fmt(self.fees_invoiced)],
        ["collected (contract)", _fmt(self.fees_collected)],
        ["unpaid service fees", _fmt(self.unpaid_fees)],
        ["not yet invoiced", _fmt(self.uninvoiced_fees)],
        ["invoiced in term (all work)", _fmt(self.invoiced_in_term)],
        ["open receivable", _fmt(self.open_receivable)],
    ]
    return _table(["", ""], rows, caption=f"Finance hand-over statement {self.client}, as of {self.as_of.isoformat()}")
