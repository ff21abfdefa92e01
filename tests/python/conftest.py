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
