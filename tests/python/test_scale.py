"""Issue #9's fast paths, checked for equality with the slow, obvious ones: the numpy
ledger columns against ledger_frame(), the whole-book monthly flows against a pandas
groupby of the ledger, and the synthetic book generator (deterministic, validated)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

import aecore


@pytest.fixture(scope="module", params=["sample", "synthetic"])
def book(request: pytest.FixtureRequest) -> aecore.Agency:
    if request.param == "sample":
        return aecore.sample_agency()
    return aecore.samples.synthetic(clients=40, jobs_per_client=6, entries=5000, seed=5, days=900)


def test_ledger_columns_hold_what_the_ledger_frame_holds(book: aecore.Agency) -> None:
    cols = book.ledger_columns()
    frame = book.ledger_frame(money="minor")
    n = book.ledger_size
    assert all(len(cols[k]) == n for k in ("kind", "date", "due", "client", "job", "amount", "link", "recorded_by",
                                           "reversal", "reversed"))
    assert cols["currency"] == book.currency
    assert [aecore.EntryKind(k).name for k in cols["kind"]] == frame["kind"].astype(str).tolist()
    assert (cols["date"] == frame["date"].to_numpy().astype("datetime64[D]")).all()
    assert (cols["amount"] == frame["amount"].to_numpy()).all()
    assert [cols["clients"][c] for c in cols["client"]] == frame["client"].tolist()
    jobs = [None if j < 0 else cols["jobs"][j] for j in cols["job"]]
    assert jobs == [None if pd.isna(j) else j for j in frame["job"]]
    assert [cols["staff"][s] for s in cols["recorded_by"]] == frame["recorded_by"].tolist()
    due = pd.Series(cols["due"])
    assert due.isna().tolist() == frame["due"].isna().tolist()
    assert (due.dropna().to_numpy() == frame["due"].dropna().to_numpy().astype("datetime64[D]")).all()
    assert cols["reversed"].tolist() == frame["reversed"].tolist()
    assert cols["reversal"].tolist() == frame["reverses"].notna().tolist()
    ids = frame.index.tolist()
    for i, link in enumerate(cols["link"]):
        kind = aecore.EntryKind(cols["kind"][i])
        if cols["reversal"][i]:
            assert ids[link] == frame["reverses"].iloc[i]
        elif kind == aecore.EntryKind.PAYMENT:
            assert frame["reference"].iloc[link] == frame["invoice"].iloc[i]
        elif kind == aecore.EntryKind.INVOICE:
            assert link == i
        else:
            assert link == -1


def test_monthly_flows_equal_a_pandas_groupby_of_the_ledger(book: aecore.Agency) -> None:
    frame = book.ledger_frame(money="minor")
    frame["month"] = frame["date"].dt.strftime("%Y-%m")
    frame["job"] = frame["job"].fillna("(client level)")
    expected = (frame.groupby(["client", "job", "month", "kind"], observed=True)["amount"].sum()
                .unstack("kind", fill_value=0))
    flows = book.monthly_flows_frame()
    assert sorted(flows.index.tolist()) == sorted(expected.index.tolist())
    names = {"ESTIMATE": "estimate", "COMMITMENT": "committed", "ACTUAL_COST": "actual", "INVOICE": "billed",
             "PAYMENT": "collected"}
    for kind, column in names.items():
        want = expected[kind] if kind in expected else pd.Series(0, index=expected.index)
        assert (flows[column] == want.reindex(flows.index)).all(), column
    assert (flows["variance"] == flows["estimate"] - flows["actual"]).all()
    assert (flows["unbilled_wip"] == flows["actual"] - flows["billed"]).all()
    assert (flows["receivable"] == flows["billed"] - flows["collected"]).all()
    # ordered by client (book order), then month, then job with the client level first
    order = {c.code: i for i, c in enumerate(book.clients)}
    keys = [(order[c], m, j != "(client level)") for c, j, m in flows.index]
    assert keys == sorted(keys)
    exact = book.monthly_flows_frame(money="decimal")
    assert all(type(v) is Decimal for v in exact["billed"])
    assert [int(v * 100) for v in exact["billed"]] == flows["billed"].tolist()


def test_monthly_flows_balance_with_the_client_month_reconciliation() -> None:
    book = aecore.sample_agency()
    flows = book.monthly_flows_frame(money="decimal")
    golden = flows.xs(("SH-202503-GHFOOD-001", "2026-11"), level=("client", "month"))
    month = book.reconcile("SH-202503-GHFOOD-001", month="2026-11").total.month
    assert golden["billed"].sum() == month.billed.amount
    assert golden["collected"].sum() == month.collected.amount
    assert golden["actual"].sum() == month.actual.amount


def test_the_synthetic_book_is_deterministic_and_obeys_the_rules() -> None:
    one = aecore.samples.synthetic(clients=4, jobs_per_client=3, entries=400, seed=1)
    assert one.to_json() == aecore.samples.synthetic(clients=4, jobs_per_client=3, entries=400, seed=1).to_json()
    assert one.to_json() != aecore.samples.synthetic(clients=4, jobs_per_client=3, entries=400, seed=2).to_json()
    assert len(one.clients) == 4 and len(one.jobs) == 12 and one.ledger_size >= 412
    assert aecore.Agency.from_json(one.to_json()) == one  # the loader's checks accept it
    dates = one.ledger_frame()["date"]
    assert dates.min() >= pd.Timestamp("2015-11-01") and dates.max() < pd.Timestamp("2026-01-01")
    assert one.ledger_memory_bytes > 32 * one.ledger_size


@pytest.mark.parametrize("kwargs, field", [
    (dict(clients=0), "synthetic.clients"),
    (dict(jobs_per_client=5000), "synthetic.jobs_per_client"),
    (dict(days=0), "synthetic.days"),
    (dict(start=dt.date(1800, 1, 1)), "synthetic.start"),
])
def test_synthetic_arguments_out_of_range_are_refused(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        aecore.samples.synthetic(**kwargs)  # type: ignore[arg-type]
    assert isinstance(ei.value, ValueError)
    assert (ei.value.rule, ei.value.field) == ("MB-3", field)


def test_columns_are_numpy_buffers() -> None:
    book = aecore.samples.synthetic(clients=2, jobs_per_client=2, entries=100)
    cols = book.ledger_columns()
    assert cols["kind"].dtype == np.int8 and cols["amount"].dtype == np.int64
    assert cols["date"].dtype == np.dtype("datetime64[D]") and cols["client"].dtype == np.int32
    assert all(cols[k].flags["C_CONTIGUOUS"] for k in ("kind", "date", "client", "job", "amount", "link"))
    # a snapshot the caller owns: writing to it leaves the ledger as it was
    assert cols["amount"].flags["OWNDATA"] and cols["amount"].flags["WRITEABLE"]
    cols["amount"][:] = 0
    assert book.ledger_columns()["amount"].sum() == book.ledger_frame(money="minor")["amount"].sum() != 0
