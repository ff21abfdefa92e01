"""Agency.ledger_frame() and Agency.jobs_frame() are built from numpy columns made in C++
(Agency._ledger_frame_columns, Agency._jobs_frame_columns) instead of one Python object per
row. They must hand back exactly the frames the object-by-object implementations built:
the same index, columns, values (Decimal exponents included), dtypes and errors. The old
implementations are kept here, verbatim, as the reference."""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest

import aecore
from aecore import EntryKind
from aecore import _core
from aecore._sugar import _text_array
from aecore.ledger import _decimal_amounts
from test_ledger import build_money_book, build_profit_book, build_random_ledger

D = dt.date


# ----------------------------------------------------------------- the reference (the old implementations)

def _money_series(values: list[_core.Money], index: Any, money: str) -> Any:
    if money not in ("decimal", "minor"):
        raise ValueError(f'money={money!r}: expected "decimal" (exact Decimal) or "minor" (int64 minor units)')
    if money == "decimal":
        return pd.Series([m.amount for m in values], index=index, dtype="object")
    return pd.Series([m.minor_units for m in values], index=index, dtype="int64")


def reference_ledger_frame(self: _core.Agency, *, client: str | None = None, job: str | None = None,
                           start: dt.date | None = None, end: dt.date | None = None,
                           money: str = "decimal") -> pd.DataFrame:
    entries = self.ledger_entries(client=client, job=job, start=start, end=end)
    index = pd.Index([e.id for e in entries], name="id", dtype="string")

    def text(values: list[Any]) -> Any:
        return pd.Series(values, index=index, dtype="string")

    return pd.DataFrame(
        {
            "kind": pd.Categorical([e.kind.name for e in entries], categories=[k.name for k in _core.EntryKind]),
            "date": pd.to_datetime(pd.Series([e.date for e in entries], index=index, dtype="object")),
            "client": text([e.client for e in entries]),
            "job": text([e.job for e in entries]),
            "amount": _money_series([e.amount for e in entries], index, money),
            "currency": text([e.amount.currency for e in entries]),
            "reference": text([e.reference for e in entries]),
            "recorded_by": text([e.recorded_by for e in entries]),
            "due": pd.to_datetime(pd.Series([e.due for e in entries], index=index, dtype="object")),
            "invoice": text([e.invoice for e in entries]),
            "reverses": text([e.reverses for e in entries]),
            "reversed": pd.Series([e.reversed for e in entries], index=index, dtype="bool"),
            "time_entry": text([e.time_entry for e in entries]),
        },
        index=index,
    )


def reference_jobs_frame(self: _core.Agency) -> pd.DataFrame:
    jobs = self.jobs
    hours: dict[str, decimal.Decimal] = {}
    cost: dict[str, decimal.Decimal] = {}
    for e in self.time_entries:
        hours[e.job] = hours.get(e.job, decimal.Decimal(0)) + e.hours
        cost[e.job] = cost.get(e.job, decimal.Decimal(0)) + e.cost.amount
    index = pd.Index([j.number for j in jobs], name="number", dtype="string")

    def cat(values: list[str], enum_type: Any) -> pd.Categorical:
        return pd.Categorical(values, categories=[m.name for m in enum_type])

    def when(values: list[Any]) -> pd.Series:
        return pd.to_datetime(pd.Series(values, index=index, dtype="object"))

    return pd.DataFrame(
        {
            "kind": cat([j.kind.name for j in jobs], _core.TicketKind),
            "parent": pd.Series([j.parent for j in jobs], index=index, dtype="string"),
            "client": pd.Series([j.client for j in jobs], index=index, dtype="string"),
            "brand": pd.Series([j.brand for j in jobs], index=index, dtype="string"),
            "department": cat([j.department.name for j in jobs], _core.Department),
            "job_type": cat([j.job_type.name for j in jobs], _core.JobType),
            "status": cat([j.status.name for j in jobs], _core.TicketStatus),
            "title": pd.Series([j.title for j in jobs], index=index, dtype="string"),
            "issuer": pd.Series([j.issuer for j in jobs], index=index, dtype="string"),
            "opened_at": when([j.opened_at for j in jobs]),
            "client_deadline": when([j.client_deadline for j in jobs]),
            "internal_due": when([self.internal_due(j.number) for j in jobs]),
            "revision_rounds": pd.Series([j.revision_rounds for j in jobs], index=index, dtype="int64"),
            "hours": pd.Series([hours.get(j.number, decimal.Decimal(0)) for j in jobs], index=index, dtype="object"),
            "cost": pd.Series([cost.get(j.number, decimal.Decimal(0)) for j in jobs], index=index, dtype="object"),
            "currency": pd.Series([self.currency] * len(jobs), index=index, dtype="string"),
        },
        index=index,
    )


def assert_same_frame(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True, check_index_type=True, check_column_type=True,
                                  check_categorical=True, check_names=True)
    assert list(got.columns) == list(want.columns)
    assert [str(t) for t in got.dtypes] == [str(t) for t in want.dtypes]
    assert str(got.index.dtype) == str(want.index.dtype) and got.index.name == want.index.name
    for name in got.columns:
        if got[name].dtype == object:  # Decimal: the same exponent too, not only the same value
            assert [repr(v) for v in got[name]] == [repr(v) for v in want[name]], name
        elif isinstance(got[name].dtype, pd.CategoricalDtype):
            cats, want_cats = got[name].cat.categories, want[name].cat.categories
            assert list(cats) == list(want_cats) and cats.dtype == want_cats.dtype, name


# ----------------------------------------------------------------- books


def logged(agency: aecore.Agency) -> aecore.Agency:
    """Time in hundredths and halves on the demo's open tickets, approved or not, and a
    negative correction: hours sums of several scales."""
    open_ = [j for j in agency.jobs if j.status in (aecore.TicketStatus.ISSUED, aecore.TicketStatus.IN_PROGRESS)]
    assert open_
    staff = {s.id: s for s in agency.staff}
    worker = next(s for s in agency.staff if s.manager is not None and s.active)
    day = max(j.opened_at for j in open_).date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    recorded = dt.datetime.combine(day, dt.time(18, 0))
    for k, job in enumerate(open_):
        try:
            e = agency.log_time(job.number, staff=worker.id, date=day, hours=["1.25", "0.5", "2"][k % 3],
                                recorded_at=recorded)
        except aecore.Error:
            continue
        if k % 2 == 0:
            agency.approve_time(e.id, approver=staff[worker.id].manager, at=recorded + dt.timedelta(hours=1))
            agency.correct_time(e.id, hours="-0.25", recorded_at=recorded + dt.timedelta(hours=2))
    return agency


def synthetic_with_corrections() -> aecore.Agency:
    """A small synthetic book with reversed payments, costs, commitments and an invoice."""
    a = aecore.samples.synthetic(clients=12, jobs_per_client=3, entries=1500, seed=7)
    entries = a.ledger_entries()
    staff = a.staff[0].id
    kinds_done: dict[EntryKind, int] = {}
    paid = {e.invoice for e in entries if e.kind == EntryKind.PAYMENT}
    for e in entries[::-1]:
        want = {EntryKind.PAYMENT: 4, EntryKind.ACTUAL_COST: 2, EntryKind.COMMITMENT: 2, EntryKind.INVOICE: 1}
        if kinds_done.get(e.kind, 0) >= want.get(e.kind, 0):
            continue
        if e.kind == EntryKind.INVOICE and e.reference in paid:
            continue
        try:
            a.reverse_entry(e.id, date=e.date + dt.timedelta(days=3), reason=f"undo {e.id}", recorded_by=staff)
        except aecore.Error:
            continue
        kinds_done[e.kind] = kinds_done.get(e.kind, 0) + 1
    assert kinds_done.get(EntryKind.PAYMENT) == 4
    return a


BOOKS: dict[str, Callable[[], aecore.Agency]] = {
    "empty": lambda: aecore.Agency(),
    "demo": lambda: aecore.samples.build("demo"),
    "demo+time": lambda: logged(aecore.samples.build("demo")),
    "sample": aecore.sample_agency,
    "money": build_money_book,
    "profit": build_profit_book,
    "random-1": lambda: build_random_ledger(1),
    "random-2": lambda: build_random_ledger(2),
    "random-3": lambda: build_random_ledger(3),
    "synthetic": lambda: aecore.samples.synthetic(clients=15, jobs_per_client=4, entries=3000, seed=3),
    "synthetic+reversals": synthetic_with_corrections,
}


@pytest.fixture(scope="module", params=list(BOOKS))
def book(request: pytest.FixtureRequest) -> aecore.Agency:
    return BOOKS[request.param]()


def filters(a: aecore.Agency) -> list[dict[str, Any]]:
    """Every combination of: no client / two clients; no job / a job of the first client /
    a client-level-only client's job; no start / a start; no end / an end (some windows
    empty, some cutting a payment off its invoice and a reversal off what it reverses)."""
    entries = a.ledger_entries()
    clients: list[str | None] = [None, *[c.code for c in a.clients][:2]]
    jobs: list[str | None] = [None, *[j.number for j in a.jobs][:1], *[j.number for j in a.jobs][-1:]]
    days = sorted({e.date for e in entries})
    starts: list[dt.date | None] = [None]
    ends: list[dt.date | None] = [None]
    if days:
        starts += [days[len(days) // 3], days[-1] + dt.timedelta(days=1)]
        ends += [days[2 * len(days) // 3], days[0] - dt.timedelta(days=1)]
    out = []
    for client, job, start, end in itertools.product(clients, jobs, starts, ends):
        kw = {k: v for k, v in dict(client=client, job=job, start=start, end=end).items() if v is not None}
        out.append(kw)
    return out


# ----------------------------------------------------------------- ledger_frame


@pytest.mark.parametrize("money", ["decimal", "minor"])
def test_ledger_frame_is_the_frame_of_the_ledger_entries(book: aecore.Agency, money: str) -> None:
    for kw in filters(book):
        assert_same_frame(book.ledger_frame(money=money, **kw), reference_ledger_frame(book, money=money, **kw))


def test_ledger_frame_default_money_is_decimal(book: aecore.Agency) -> None:
    assert_same_frame(book.ledger_frame(), reference_ledger_frame(book))


def test_the_books_have_what_the_fast_paths_derive() -> None:
    """The books above reach every branch: payment reversals (invoice of a reversal), time
    cost, client-level invoices and their payments, credit notes, reversed invoices."""
    seen: set[str] = set()
    for name, build in BOOKS.items():
        if name == "empty":
            continue
        for e in build().ledger_entries():
            if e.reverses and e.kind == EntryKind.PAYMENT:
                assert e.invoice is not None
                seen.add("payment reversal")
            if e.reverses and e.kind == EntryKind.INVOICE:
                seen.add("invoice reversal")
            if e.time_entry:
                seen.add("time cost")
            if e.kind == EntryKind.PAYMENT and e.job is None:
                seen.add("client-level payment")
            if e.kind == EntryKind.INVOICE and e.amount.minor_units < 0:
                seen.add("credit note")
    assert seen == {"payment reversal", "invoice reversal", "time cost", "client-level payment", "credit note"}


@pytest.mark.parametrize("kw", [dict(client="XX-000000-NOPE-001"), dict(job="XX-000000-99"),
                                dict(client="XX-000000-NOPE-001", job="XX-000000-99")])
def test_ledger_frame_filters_fail_like_ledger_entries(kw: dict[str, Any]) -> None:
    a = aecore.samples.build("demo")
    with pytest.raises(aecore.NotFoundError) as want:
        a.ledger_entries(**kw)
    with pytest.raises(aecore.NotFoundError) as got:
        a.ledger_frame(**kw)
    assert str(got.value) == str(want.value)
    # an unknown client beside a known job: the job's entries are not the client's, no error
    job = a.jobs[0].number
    assert_same_frame(a.ledger_frame(client="XX-000000-NOPE-001", job=job),
                      reference_ledger_frame(a, client="XX-000000-NOPE-001", job=job))


def test_ledger_frame_refuses_another_money_style_after_the_filters() -> None:
    a = aecore.samples.build("demo")
    with pytest.raises(ValueError, match="money="):
        a.ledger_frame(money="cents")  # type: ignore[arg-type]
    with pytest.raises(aecore.NotFoundError):
        a.ledger_frame(client="XX-000000-NOPE-001", money="cents")  # type: ignore[arg-type]


def test_ledger_frame_columns_are_owned_by_the_frame() -> None:
    a = aecore.samples.build("demo")
    frame = a.ledger_frame(money="minor")
    again = a.ledger_frame(money="minor")
    frame.loc[frame.index[0], "amount"] = 1
    frame.loc[frame.index[0], "reference"] = "changed"
    assert_same_frame(again, reference_ledger_frame(a, money="minor"))
    assert_same_frame(a.ledger_frame(money="minor"), reference_ledger_frame(a, money="minor"))


@pytest.mark.parametrize("currency", ["JPY", "CNY", "USD", "KWD"])
def test_decimal_amounts_are_money_amounts(currency: str) -> None:
    minor = [0, 1, -1, 5, -5, 10, 100, 12300, -12345, 999_999_999, 2**63 - 1, -(2**63)]
    got = _decimal_amounts(np.array(minor, dtype=np.int64), currency)
    assert got.dtype == object
    assert [repr(v) for v in got] == [repr(_core.Money.from_minor(v, currency).amount) for v in minor]
    with decimal.localcontext() as ctx:  # whatever the caller's context: still exact
        ctx.prec = 3
        assert [repr(v) for v in _decimal_amounts(np.array(minor, dtype=np.int64), currency)] == \
            [repr(v) for v in got]


# ----------------------------------------------------------------- jobs_frame


def test_jobs_frame_is_the_frame_of_the_tickets(book: aecore.Agency) -> None:
    assert_same_frame(book.jobs_frame(), reference_jobs_frame(book))


def test_jobs_frame_of_no_tickets_has_the_dtypes_of_no_datetimes() -> None:
    a = aecore.Agency()
    frame = a.jobs_frame()
    assert len(frame) == 0 and str(frame["opened_at"].dtype) == "datetime64[s]"
    assert_same_frame(frame, reference_jobs_frame(a))


def test_jobs_frame_hours_keep_the_scale_of_what_was_booked() -> None:
    a = logged(aecore.samples.build("demo"))
    frame = a.jobs_frame()
    booked = {e.job for e in a.time_entries}
    assert {repr(v) for v in frame["hours"]} >= {"Decimal('0')"}
    assert any(v.as_tuple().exponent == -2 for v in frame["hours"])  # 1.25 h
    assert all(frame.loc[j, "cost"].as_tuple().exponent == -2 for j in booked)
    assert all(repr(frame.loc[j.number, "cost"]) == "Decimal('0')" for j in a.jobs if j.number not in booked)


# ----------------------------------------------------------------- the building blocks


def test_text_array_is_what_the_string_dtype_makes_of_the_values() -> None:
    values = np.array(["a", pd.NA, "b", "天", ""], dtype=object)
    got = _text_array(pd, values.copy())
    want = pd.array(values.copy(), dtype="string")
    pd.testing.assert_extension_array_equal(got, want)
    assert got.dtype == pd.StringDtype() == pd.Series([], dtype="string").dtype


def test_the_columns_are_numpy_arrays_of_one_length() -> None:
    a = logged(aecore.samples.build("demo"))
    cols = a._ledger_frame_columns(missing=pd.NA)
    n = a.ledger_size
    for name, v in cols.items():
        if name != "currency":
            assert isinstance(v, np.ndarray) and v.shape == (n,), name
    assert cols["currency"] == "CNY"
    assert {type(v) for v in cols["invoice"]} == {str, type(pd.NA)}
    assert cols["kind"].dtype == np.int8 and cols["date"].dtype == np.dtype("datetime64[s]")
    # `missing` defaults to None
    assert a._ledger_frame_columns()["job"].tolist().count(None) == sum(e.job is None for e in a.ledger_entries())
    jobs = a._jobs_frame_columns()
    assert jobs["parent"].tolist() == [j.parent for j in a.jobs]
    assert jobs["opened_at"].dtype == np.dtype("datetime64[us]")
    assert jobs["hours"].tolist() == reference_jobs_frame(a)["hours"].tolist()


def test_reversals_outside_the_window_still_name_what_they_reverse() -> None:
    a = synthetic_with_corrections()
    reversal = next(e for e in a.ledger_entries() if e.reverses and e.kind == EntryKind.PAYMENT)
    kw = dict(start=reversal.date, end=reversal.date)
    frame = a.ledger_frame(**kw)
    assert frame.loc[reversal.id, "reverses"] == reversal.reverses
    assert frame.loc[reversal.id, "invoice"] == reversal.invoice
    assert reversal.reverses not in frame.index
    assert_same_frame(frame, reference_ledger_frame(a, **kw))
