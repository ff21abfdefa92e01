"""aecore quick start: build a small agency, print it, save it and load it back.

Run with the project's environment:  .venv/bin/python examples/python/quickstart.py
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import aecore


def build_agency() -> aecore.Agency:
    agency = aecore.Agency(name="Harbour Lights Advertising", home_city="HK", currency="HKD")
    agency.calendar.holidays = [dt.date(2026, 12, 25), dt.date(2026, 12, 26)]
    ad = agency.add_staff("Karen Lau", aecore.Title.AD, hourly_rate=aecore.Money("900", "HKD"))
    am = agency.add_staff("Peter Wong", aecore.Title.AM, manager=ad.id, hourly_rate=aecore.Money("600", "HKD"))
    agency.add_staff("Mandy Chan", aecore.Title.AE, manager=am.id, hourly_rate=aecore.Money("380", "HKD"))
    agency.add_staff("Jason Ho", aecore.Title.AAE, manager=am.id, hourly_rate=aecore.Money("240", "HKD"))
    agency.policy.overspend = aecore.OverspendPolicy.STOP
    return agency


def main() -> None:
    agency = build_agency()
    print(agency)
    for person in agency.staff:
        print(" ", person)

    retainer = aecore.Money("250000.00", "HKD")
    shares = retainer.allocate([50, 30, 20])
    print("retainer split 50/30/20:", [s.format() for s in shares], "sum", sum(shares))
    print("retainer x 7.5% service fee:", (retainer * Decimal("0.075")).format())

    deadline = dt.datetime(2026, 12, 28, 11, 0)
    print("deadline", deadline, "-> internal due", agency.calendar.subtract_half_business_day(deadline))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "harbour.json"
        agency.save(path)
        loaded = aecore.Agency.load(path)
        print(f"saved {path.stat().st_size} bytes; reloaded equal: {loaded == agency}")


if __name__ == "__main__":
    main()
