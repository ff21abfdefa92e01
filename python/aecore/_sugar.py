"""The pythonic layer over aecore._core: readable reprs, notebook HTML views and
DataFrame helpers, attached to the compiled classes so that every object the core
returns has them."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Callable

from . import _core

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


def _attach(cls: type, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.__qualname__ = f"{cls.__name__}.{name}"
        setattr(cls, name, fn)
        return fn

    return register


def _require_pandas() -> Any:
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("this needs pandas: pip install 'aecore[dataframe]' (or pip install pandas)") from exc
    return pandas


def _enum_name(value: Any) -> str:
    return value.name if value is not None else "None"


def _table(headers: list[str], rows: list[list[str]], caption: str = "") -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# ----------------------------------------------------------------- Money


@_attach(_core.Money, "__repr__")
def _money_repr(self: _core.Money) -> str:
    return f"{type(self).__name__}({self.amount_string()!r}, {self.currency!r})"


@_attach(_core.Money, "_repr_html_")
def _money_html(self: _core.Money) -> str:
    return f"<span style='font-variant-numeric: tabular-nums'>{html.escape(self.format())}</span>"


def _money_from_minor(minor_units: int, currency: str) -> _core.Money:
    return _core.Money.from_minor(minor_units, currency)


@_attach(_core.Money, "__reduce__")
def _money_reduce(self: _core.Money) -> tuple[Any, ...]:
    # Module-level restore function: picklable by name with every protocol.
    return (_money_from_minor, (self.minor_units, self.currency))


# ----------------------------------------------------------------- Staff


@_attach(_core.Staff, "__repr__")
def _staff_repr(self: _core.Staff) -> str:
    parts = [
        f"id={self.id!r}",
        f"name={self.name!r}",
        f"title={self.title.name}",
        f"department={self.department.name}",
        f"manager={self.manager!r}",
    ]
    if not self.active:
        parts.append("active=False")
    return f"{type(self).__name__}({', '.join(parts)})"


@_attach(_core.Staff, "to_dict")
def _staff_to_dict(self: _core.Staff) -> dict[str, Any]:
    """The record as a plain dict (enums and Money kept as objects)."""
    return {
        "id": self.id,
        "name": self.name,
        "title": self.title,
        "department": self.department,
        "hourly_rate": self.hourly_rate,
        "manager": self.manager,
        "email": self.email,
        "active": self.active,
    }


# ----------------------------------------------------------------- Policy and calendar


@_attach(_core.Policy, "__repr__")
def _policy_repr(self: _core.Policy) -> str:
    return (
        f"{type(self).__name__}(overspend={self.overspend.name}, "
        f"contact_cadence_days={self.contact_cadence_days}, "
        f"tier_shares=({self.tier_shares[0]}, {self.tier_shares[1]}), "
        f"span_of_control={self.span_of_control})"
    )


@_attach(_core.Policy, "to_dict")
def _policy_to_dict(self: _core.Policy) -> dict[str, Any]:
    """Every setting by name (lead times keyed by JobType)."""
    return {
        "span_of_control": self.span_of_control,
        "contact_cadence_days": self.contact_cadence_days,
        "tier_shares": self.tier_shares,
        "tier_a_max_overdue_days": self.tier_a_max_overdue_days,
        "min_distribution_for_advertising": self.min_distribution_for_advertising,
        "lead_times": self.lead_times,
        "overspend": self.overspend,
        "escalation_days": self.escalation_days,
        "late_payment_days": self.late_payment_days,
        "rating_bands": self.rating_bands,
    }


@_attach(_core.BusinessCalendar, "__repr__")
def _calendar_repr(self: _core.BusinessCalendar) -> str:
    start, end = self.working_hours
    weekend = ", ".join(d.name for d in self.weekend)
    return (
        f"{type(self).__name__}(weekend=[{weekend}], hours={start:%H:%M}-{end:%H:%M}, "
        f"holidays={len(self.holidays)}, working_weekend_days={len(self.working_weekend_days)})"
    )


# ----------------------------------------------------------------- Agency


@_attach(_core.Agency, "__repr__")
def _agency_repr(self: _core.Agency) -> str:
    return (
        f"{type(self).__name__}(name={self.name!r}, home_city={self.home_city!r}, "
        f"currency={self.currency!r}, staff={len(self.staff)})"
    )


@_attach(_core.Agency, "staff_frame")
def _staff_frame(self: _core.Agency) -> pd.DataFrame:
    """Staff as a pandas DataFrame indexed by staff id.

    Columns: name, title and department (categoricals, in seniority / declaration
    order), hourly_rate (exact decimal.Decimal), currency, manager (id or None),
    email, active, direct_reports (count).
    """
    pd = _require_pandas()
    staff = self.staff
    reports: dict[str, int] = {}
    for s in staff:
        if s.manager is not None:
            reports[s.manager] = reports.get(s.manager, 0) + 1
    titles = [t.name for t in _core.Title]
    departments = [d.name for d in _core.Department]
    index = pd.Index([s.id for s in staff], name="id", dtype="string")

    def column(values: list[Any], dtype: str) -> pd.Series:
        return pd.Series(values, index=index, dtype=dtype)

    return pd.DataFrame(
        {
            "name": column([s.name for s in staff], "string"),
            "title": pd.Categorical([s.title.name for s in staff], categories=titles, ordered=True),
            "department": pd.Categorical([s.department.name for s in staff], categories=departments),
            "hourly_rate": column([s.hourly_rate.amount for s in staff], "object"),
            "currency": column([s.hourly_rate.currency for s in staff], "string"),
            "manager": column([s.manager for s in staff], "object"),
            "email": column([s.email for s in staff], "string"),
            "active": column([s.active for s in staff], "bool"),
            "direct_reports": column([reports.get(s.id, 0) for s in staff], "int64"),
        },
        index=index,
    )


@_attach(_core.Agency, "_repr_html_")
def _agency_html(self: _core.Agency) -> str:
    rows = [
        [
            s.id,
            s.name,
            s.title.name,
            s.department.name,
            s.hourly_rate.format(),
            s.manager or "",
            "yes" if s.active else "left",
        ]
        for s in self.staff
    ]
    header = (
        f"<p><b>{html.escape(self.name)}</b> &middot; home city {html.escape(self.home_city)} "
        f"&middot; book currency {html.escape(self.currency)} &middot; {len(rows)} staff</p>"
    )
    return header + _table(["id", "name", "title", "department", "hourly rate", "manager", "active"], rows)


def _agency_from_json(document: str) -> _core.Agency:
    return _core.Agency.from_json(document)


@_attach(_core.Agency, "__reduce__")
def _agency_reduce(self: _core.Agency) -> tuple[Any, ...]:
    # An agency pickles as its JSON document: the same validated, versioned format as a file.
    return (_agency_from_json, (self.to_json(),))
