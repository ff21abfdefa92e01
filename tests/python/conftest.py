"""Shared fixtures for the aecore pytest suite.

`agency` is a small agency with a known shape (ids are generated in this order):

    S0001  AD  Chen Jing   (no manager)
    S0002  AM  Li Wei      reports to S0001
    S0003  AE  Wang Fang   reports to S0002
    S0004  AE  Zhang Lei   reports to S0002
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Callable, ContextManager, Iterator

import pytest

import aecore

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "tests" / "data"


def cny(amount: str) -> aecore.Money:
    return aecore.Money(amount, "CNY")


def build_small_agency() -> aecore.Agency:
    agency = aecore.Agency(name="Sunrise Advertising", home_city="SH", currency="CNY")
    ad = agency.add_staff("Chen Jing", aecore.Title.AD, hourly_rate=cny("680"), email="chen.jing@sunrise.example")
    am = agency.add_staff("Li Wei", aecore.Title.AM, manager=ad.id, hourly_rate=cny("420"))
    agency.add_staff(
        "Wang Fang", aecore.Title.AE, manager=am.id, hourly_rate=cny("260"), email="wang.fang@sunrise.example"
    )
    agency.add_staff("Zhang Lei", aecore.Title.AE, manager=am.id, hourly_rate=cny("255.50"))
    return agency


@pytest.fixture
def agency() -> aecore.Agency:
    """A fresh small agency: an AD, an AM reporting to the AD, two AEs reporting to the AM."""
    return build_small_agency()


@pytest.fixture
def sample() -> aecore.Agency:
    """The embedded sample agency (a new, independent copy per test)."""
    return aecore.sample_agency()


@pytest.fixture
def cal() -> aecore.BusinessCalendar:
    """A default calendar: Saturday and Sunday off, no holidays, 09:00-18:00."""
    return aecore.BusinessCalendar()


@pytest.fixture
def json_path(tmp_path: Path) -> Path:
    """Where a test may save an agency document."""
    return tmp_path / "agency.json"


@pytest.fixture
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture
def unchanged() -> Callable[[aecore.Agency], ContextManager[None]]:
    """`with unchanged(agency), pytest.raises(...):` — the agency's JSON must be
    byte-identical after the block (the strong exception guarantee)."""

    @contextlib.contextmanager
    def check(agency: aecore.Agency) -> Iterator[None]:
        before = agency.to_json()
        yield
        assert agency.to_json() == before, "a failed operation changed the agency"

    return check


# ----------------------------------------------------------------- clients (issue 3)

# Codes of the `book` fixture's clients (CL-1: serials count per year across cities).
HOME_CODE = "SH-202603-GHFOOD-001"  # home city SH, CLOSED, owner S0003, team AM S0002 / AD S0001
AWAY_CODE = "BJ-202605-PANDA-002"  # elsewhere (BJ), NEGOTIATING, owner S0004, AM S0002


def build_book() -> aecore.Agency:
    """The small agency with two clients: one in the home city, one elsewhere.

    HOME_CODE  Golden Harvest Foods, SH, first contact 2026-03-02, CLOSED,
               contacts K01 Xu Hong (decision maker, primary), K02 Lin Tao (executor)
    AWAY_CODE  Panda Mobile, BJ, first contact 2026-05-11, NEGOTIATING,
               contact K01 Song Kai (decision maker, primary)
    """
    import datetime as dt

    agency = build_small_agency()
    home = agency.register_client(
        "Golden Harvest Foods", "GHFOOD", "SH", dt.date(2026, 3, 2), "S0003",
        am="S0002", ad="S0001", stage=aecore.PipelineStage.CLOSED, annual_budget=cny("12000000"),
    )
    agency.add_contact(home.code, "Xu Hong", role=aecore.DecisionRole.DECISION_MAKER, job_title="Marketing Director", primary=True)
    agency.add_contact(home.code, "Lin Tao", role=aecore.DecisionRole.EXECUTOR, job_title="Brand Manager")
    away = agency.register_client(
        "Panda Mobile", "PANDA", "BJ", dt.date(2026, 5, 11), "S0004", am="S0002",
        stage=aecore.PipelineStage.NEGOTIATING,
    )
    agency.add_contact(away.code, "Song Kai", role=aecore.DecisionRole.DECISION_MAKER, primary=True)
    assert (home.code, away.code) == (HOME_CODE, AWAY_CODE)
    return agency


@pytest.fixture
def book() -> aecore.Agency:
    """A fresh small agency with two clients (see build_book)."""
    return build_book()
