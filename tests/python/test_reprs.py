"""Every aecore object an analyst can reach prints readably: no '<... object at 0x...>',
one line, and it names what it is. The walk starts at the sample book and its reports."""

from __future__ import annotations

import datetime as dt
import enum
import inspect
from typing import Any

import aecore

AS_OF = dt.date(2026, 11, 23)


def _reachable() -> dict[type, list[Any]]:
    a = aecore.sample_agency()
    roots: list[Any] = [
        a, a.calendar, a.policy, aecore.Money("1234.56", "CNY"),
        a.reconcile("SH-202503-GHFOOD-001", month="2026-11"), a.aging(AS_OF), a.collections(AS_OF),
        a.tiers(AS_OF), a.profitability(dt.date(2026, 1, 1), AS_OF), a.handover_statement("SH-202503-GHFOOD-001", "T01"),
        a.weekly_status(dt.date(2026, 11, 16)), a.delivery_metrics(dt.date(2026, 9, 1), AS_OF), a.audit(AS_OF),
        a.review_plan(a.plans[-1].id), a.team_evaluations("S0001", dt.date(2026, 1, 1), AS_OF),
        a.calibration("S0001", dt.date(2026, 1, 1), AS_OF), a.rubrics, a.ledger_entries(), a.cost_estimates,
        a.activities, a.contact_reports, a.meeting_notices, a.status_reports, a.evaluations,
        a.get_evaluation("EV0001").evidence(), a.time_entries, a.get_evaluation("EV0001").kpis,
        [c.contracts for c in a.clients], list(a.audit(AS_OF)), a.overdue_contacts(AS_OF),
        a.review_plan_findings(a.plans[-1].id), [o.actuals for p in a.plans for o in p.objectives], [p.price.competitors for p in a.plans],
        [j for j in a.jobs if j.lead_time_override is not None],
    ]
    seen: dict[type, list[Any]] = {}
    stack, visited = list(roots), set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, (list, tuple)):
            stack.extend(obj)
            continue
        if isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
            continue
        if type(obj).__module__.split(".")[0] != "aecore" or isinstance(obj, enum.Enum) or id(obj) in visited:
            continue
        visited.add(id(obj))
        seen.setdefault(type(obj), []).append(obj)
        if len(seen[type(obj)]) > 3:
            continue  # a few of each kind is enough
        for name in dir(type(obj)):
            if name.startswith("_") or not isinstance(getattr(type(obj), name, None), property):
                continue
            try:
                stack.append(getattr(obj, name))
            except Exception:  # noqa: BLE001 - a property refusing this object is not a repr problem
                continue
    return seen


def test_every_reachable_object_has_a_readable_repr() -> None:
    seen = _reachable()
    for cls, objects in seen.items():
        for obj in objects:
            text = repr(obj)
            assert "object at 0x" not in text, text
            assert "\n" not in text, f"{cls.__name__}: multi-line repr"
            assert text.startswith(cls.__name__ + "(") or text.startswith("aecore."), text


def test_the_walk_reaches_the_public_classes() -> None:
    seen = {cls.__name__ for cls in _reachable()}
    public = {n for n in aecore.__all__ if inspect.isclass(getattr(aecore, n))
              and not issubclass(getattr(aecore, n), (enum.Enum, BaseException))}
    assert public - seen == set(), "the repr walk misses these classes"


def test_money_prints_as_its_constructor() -> None:
    m = aecore.Money("1234.56", "CNY")
    assert repr(m) == "Money('1234.56', 'CNY')"
    assert eval(repr(m), {"Money": aecore.Money}) == m  # noqa: S307 - our own repr
