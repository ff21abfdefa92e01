"""One set of conventions for every DataFrame aecore hands an analyst: snake_case column
names, a named index that identifies the row (id, code, number), dates and times as
datetime64, enums as categoricals, money as exact Decimal (or int64 minor units with
money="minor") beside a currency column, text as the string dtype, never a float."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Callable

import pandas as pd
import pytest

import aecore

AS_OF = dt.date(2026, 11, 23)
SNAKE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")
DATE_COLUMNS = {"date", "due", "start", "end", "first_contact", "last_contact", "next_follow_up", "opened_at",
                "client_deadline", "internal_due", "week_start"}
ENUM_COLUMNS = {"kind", "stage", "tier", "department", "job_type", "status", "period", "rating", "severity"}

# frame name -> (how to make it from the sample book, the index names it must have)
FRAMES: dict[str, tuple[Callable[[aecore.Agency], Any], list[str]]] = {
    "staff_frame": (lambda a: a.staff_frame(), ["id"]),
    "clients_frame": (lambda a: a.clients_frame(), ["code"]),
    "jobs_frame": (lambda a: a.jobs_frame(), ["number"]),
    "timesheet_frame": (lambda a: a.timesheet_frame(), ["id"]),
    "ledger_frame": (lambda a: a.ledger_frame(), ["id"]),
    "ledger_frame(minor)": (lambda a: a.ledger_frame(money="minor"), ["id"]),
    "profitability_frame": (lambda a: a.profitability_frame(dt.date(2026, 1, 1), dt.date(2026, 11, 30)),
                            ["client", "job"]),
    "profitability_frame(client)": (
        lambda a: a.profitability_frame(dt.date(2026, 1, 1), dt.date(2026, 11, 30), by="client"), ["client"]),
    "evaluations_frame": (lambda a: a.evaluations_frame(), ["id"]),
    "monthly_flows_frame": (lambda a: a.monthly_flows_frame(), ["client", "job", "month"]),
    "monthly_flows_frame(decimal)": (lambda a: a.monthly_flows_frame(money="decimal"), ["client", "job", "month"]),
    "Evaluation.to_dataframe": (lambda a: a.get_evaluation("EV0001").to_dataframe(), ["criterion"]),
    "ReconciliationReport.to_dataframe": (
        lambda a: a.reconcile("SH-202503-GHFOOD-001", month="2026-11").to_dataframe(), ["job"]),
    "AgingReport.to_dataframe": (lambda a: a.aging(AS_OF).to_dataframe(), ["client"]),
    "AgingReport.to_dataframe(minor)": (lambda a: a.aging(AS_OF).to_dataframe(money="minor"), ["client"]),
    "AgingReport.items_to_dataframe": (lambda a: a.aging(AS_OF).items_to_dataframe(), ["invoice"]),
    "AuditReport.to_dataframe": (lambda a: a.audit(AS_OF).to_dataframe(), [None]),
    "WeeklyStatus.to_dataframe": (lambda a: a.weekly_status(dt.date(2026, 11, 16)).to_dataframe(), ["number"]),
}


@pytest.fixture(scope="module")
def book() -> aecore.Agency:
    return aecore.sample_agency()


def test_every_frame_method_of_the_package_is_covered() -> None:
    methods = {n for n in dir(aecore.Agency) if n.endswith("_frame")}
    covered = {name.split("(")[0] for name in FRAMES if not name[0].isupper()}
    assert methods == covered
    with_to_dataframe = {n for n in dir(aecore) if hasattr(getattr(aecore, n), "to_dataframe")}
    covered_classes = {name.split(".")[0] for name in FRAMES if name[0].isupper()}
    assert with_to_dataframe - {"PlanReview"} == covered_classes  # PlanReview: test_plans.py


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_frame_conventions(book: aecore.Agency, name: str) -> None:
    make, index_names = FRAMES[name]
    frame = make(book)
    assert isinstance(frame, pd.DataFrame) and len(frame) > 0, name
    assert list(frame.index.names) == index_names
    if index_names != [None]:
        assert not frame.index.has_duplicates, "the index identifies the row"
        for level in range(frame.index.nlevels):
            assert str(frame.index.get_level_values(level).dtype) == "string"
    minor = "(minor)" in name
    for column in frame.columns:
        series = frame[column]
        dtype = str(series.dtype)
        assert SNAKE.fullmatch(column), f"{name}: column {column!r} is not snake_case"
        assert not dtype.startswith("float"), f"{name}.{column}: {dtype} (money and scores are exact)"
        if column in DATE_COLUMNS:
            assert dtype.startswith("datetime64"), f"{name}.{column}: {dtype}"
        if column in ENUM_COLUMNS or (column == "title" and name in ("staff_frame", "evaluations_frame")):
            assert dtype == "category", f"{name}.{column}: {dtype}"
        if dtype == "object":
            values = series.dropna().tolist()
            assert all(type(v) is Decimal for v in values), f"{name}.{column}: {set(map(type, values))}"
        if dtype == "int64" and minor:
            assert "currency" in frame.columns
    money_like = [c for c in frame.columns if frame[c].dtype == object and c not in
                  ("score", "weighted", "weight", "kpi_composite", "margin", "dso", "hours")]
    if money_like and name not in ("evaluations_frame", "Evaluation.to_dataframe"):
        assert "currency" in frame.columns, f"{name}: money columns {money_like} without a currency column"


def test_ordered_categoricals_sort_by_rank_not_by_name(book: aecore.Agency) -> None:
    staff = book.staff_frame().sort_values("title")
    assert staff["title"].iloc[0] == "AAE" and staff["title"].iloc[-1] == "AD"
    evaluations = book.evaluations_frame()
    assert evaluations["rating"].cat.ordered and evaluations["status"].cat.ordered
    assert (evaluations.sort_values("status")["status"].tolist()
            == ["DRAFT", "DISCUSSED", "FINALIZED"])
    assert list(book.clients_frame()["tier"].cat.categories) == ["A", "B", "C"]


def test_missing_values_are_pandas_missing(book: aecore.Agency) -> None:
    staff = book.staff_frame()
    assert staff["manager"].dtype == "string" and staff.loc["S0001", "manager"] is pd.NA
    jobs = book.jobs_frame()
    assert jobs.loc["CR-202610-01", "parent"] is pd.NA
    assert jobs.loc["CR-202610-01-R1", "parent"] == "CR-202610-01"
