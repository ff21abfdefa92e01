"""The pythonic layer over aecore._core: readable reprs, notebook HTML views and
DataFrame helpers, attached to the compiled classes so that every object the core
returns has them."""

from __future__ import annotations

import datetime as _dt
import decimal
import enum
import functools
import html
from typing import TYPE_CHECKING, Any, Callable, Literal

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


# ----------------------------------------------------------------- columns built by the core

def _arrow_strings(pd: Any) -> bool:
    """Whether dtype="string" means pyarrow storage (with pd.NA) under the current pandas
    options: then the core builds text columns as Arrow buffers, else as str objects."""
    dtype = pd.StringDtype()
    return getattr(dtype, "storage", None) == "pyarrow" and getattr(dtype, "na_value", None) is pd.NA


def _text_array(pd: Any, values: Any) -> Any:
    """The "string" dtype array of a text column from the core (its *_frame_columns
    bindings, called with missing=pd.NA): either a numpy object array of str and pd.NA
    (arrow=False) or a tuple of Arrow large_string buffers (arrow=True).

    The python-storage StringArray wraps an object array as it is: pandas' per-element
    check and copy would cost more than building the strs did. Arrow buffers become a
    pyarrow array without a copy or a Python object per value; a list of such tuples (a
    column built in parts on several threads) a ChunkedArray of them. Anything else goes
    the public way."""
    dtype = pd.StringDtype()  # what dtype="string" means with the current options
    if isinstance(values, tuple):
        return _arrow_text(pd, dtype, _arrow_chunk(*values))
    if isinstance(values, list):
        import pyarrow as pa

        return _arrow_text(pd, dtype, pa.chunked_array([_arrow_chunk(*chunk) for chunk in values], pa.large_string()))
    string_array = pd.arrays.StringArray
    if (getattr(dtype, "storage", None) == "python" and getattr(dtype, "na_value", pd.NA) is pd.NA
            and hasattr(string_array, "_simple_new")):
        return string_array._simple_new(values, dtype)
    return pd.array(values, dtype=dtype)


def _arrow_chunk(offsets: Any, data: Any, validity: Any, nulls: int) -> Any:
    """The pyarrow large_string array of Arrow buffers: int64 offsets (n + 1), UTF-8 bytes,
    the validity bitmap (None without nulls) and the null count."""
    import pyarrow as pa

    buffers = [None if validity is None else pa.py_buffer(validity), pa.py_buffer(offsets), pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.large_string(), len(offsets) - 1, buffers, null_count=nulls)


def _arrow_text(pd: Any, dtype: Any, array: Any) -> Any:
    """The "string" array of a pyarrow large_string Array or ChunkedArray: pyarrow storage
    without a copy."""
    if dtype.storage != "pyarrow":  # the caller asked for Arrow buffers under other options
        if hasattr(array, "combine_chunks"):
            array = array.combine_chunks()
        return pd.array(array, dtype=dtype)
    try:
        return pd.arrays.ArrowStringArray(array, dtype=dtype)
    except TypeError:  # pandas < 3: no dtype argument (and no other pyarrow "string" dtype)
        return pd.arrays.ArrowStringArray(array)


def _text_dtype_key(pd: Any) -> tuple[str, ...]:
    """What pandas makes of a list of str under the current options (the categories of a
    categorical): ("str", storage) when it infers the str dtype, ("object",) when not."""
    try:
        from pandas._config import using_string_dtype  # pandas >= 2.2.2
    except ImportError:  # pragma: no cover - older pandas: object categories
        return ("object",)
    if not using_string_dtype():
        return ("object",)
    import numpy as np

    return ("str", pd.StringDtype(na_value=np.nan).storage)


@functools.lru_cache(maxsize=None)
def _enum_categories(pd: Any, enum_type: Any, key: tuple[str, ...]) -> tuple[Any, Any]:
    """The CategoricalDtype of enum member names (in declaration order) under the options
    `key` stands for, and the position of each member value among them (an int8 table;
    None when every member's value is its position)."""
    import numpy as np

    members = list(enum_type)
    position = np.zeros(max(m.value for m in members) + 1, dtype=np.int8)
    for i, m in enumerate(members):
        position[m.value] = i
    identity = len(position) == len(members) and bool((position == np.arange(len(members))).all())
    return pd.CategoricalDtype(categories=[m.name for m in members]), None if identity else position


def _categorical(pd: Any, values: Any, enum_type: Any) -> Any:
    """A categorical of enum member names (categories in declaration order, as
    pd.Categorical(names, categories=...) makes them) from a numpy int8 array of the
    members' values (which it may keep as its codes)."""
    dtype, position = _enum_categories(pd, enum_type, _text_dtype_key(pd))
    codes = values if position is None else position[values]
    try:
        return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)  # codes valid by construction
    except TypeError:  # pragma: no cover - pandas < 2.1: no validate argument
        return pd.Categorical.from_codes(codes, dtype=dtype)


@functools.lru_cache(maxsize=None)
def _inferred_datetime64(pd: Any, sample: str) -> Any:
    """The dtype pd.to_datetime gives a Series of datetime.date objects (sample "date"),
    of datetime.datetime objects ("datetime") or of None only ("none"): datetime64[s],
    [us] and [s] with pandas 3, [ns] before."""
    values = {"date": [_dt.date(2000, 1, 1)], "datetime": [_dt.datetime(2000, 1, 1, 9, 30)], "none": [None]}[sample]
    return pd.to_datetime(pd.Series(values, dtype="object")).dtype


def _datetimes(pd: Any, values: Any, sample: str) -> Any:
    """A numpy datetime64 column from the core as pd.to_datetime would have made it from the
    datetime.date (sample "date") or datetime.datetime ("datetime") objects, None for NaT."""
    import numpy as np

    dtype = _inferred_datetime64(pd, sample)
    none = _inferred_datetime64(pd, "none")
    # all NaT (the smallest int64) or no values at all: what pd.to_datetime makes of None
    if dtype != none and (len(values) == 0 or values.view(np.int64).max() == np.iinfo(np.int64).min):
        dtype = none
    return values if values.dtype == dtype else values.astype(dtype)


def _repeated_text(pd: Any, value: str, n: int, arrow: bool = False) -> Any:
    """The "string" dtype array of `value` n times: one shared str, or with `arrow` the
    Arrow buffers of n copies of its UTF-8 bytes."""
    import numpy as np

    if arrow:
        raw = value.encode("utf-8")
        offsets = np.arange(0, (n + 1) * len(raw), len(raw), dtype=np.int64) if raw else np.zeros(n + 1, np.int64)
        data = np.frombuffer(raw * n, dtype=np.uint8) if raw else np.zeros(0, dtype=np.uint8)
        return _text_array(pd, (offsets, data, None, 0))
    values = np.empty(n, dtype=object)
    values.fill(value)  # np.full would convert `value` to a numpy str and make n new strs
    return _text_array(pd, values)


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
            "manager": column([s.manager for s in staff], "string"),
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


# ----------------------------------------------------------------- clients and routines


@_attach(_core.Client, "__repr__")
def _client_repr(self: _core.Client) -> str:
    extra = ", archived=True" if self.archived else ""
    return (
        f"{type(self).__name__}(code={self.code!r}, name={self.name!r}, city={self.city!r}, "
        f"stage={self.stage.name}, owner={self.owner!r}{extra})"
    )


@_attach(_core.Client, "_repr_html_")
def _client_html(self: _core.Client) -> str:
    team = self.team
    team_text = ", ".join(f"{role} {sid}" for role, sid in (("AE", team.ae), ("AAE", team.aae), ("AM", team.am), ("AD", team.ad)) if sid)
    brands = "; ".join(f"{b.name} ({', '.join(b.products)})" if b.products else b.name for b in self.brands) or "—"
    contacts = [[k.id, k.name, k.job_title, k.role.name, "yes" if k.primary else "", k.phone, k.email] for k in self.contacts]
    head = (
        f"<p><b>{html.escape(self.name)}</b> <code>{html.escape(self.code)}</code> &middot; {html.escape(self.city)}"
        f" &middot; stage {self.stage.name} &middot; first contact {self.first_contact.isoformat()}"
        f"{' &middot; <i>archived</i>' if self.archived else ''}</p>"
        f"<p>team: {html.escape(team_text)} &middot; annual budget {html.escape(self.annual_budget.format())}"
        f" &middot; brands: {html.escape(brands)}</p>"
    )
    return head + _table(["id", "contact", "job title", "role", "primary", "phone", "e-mail"], contacts)












def _show(value: Any) -> str:
    """A field value as a record repr shows it: enums by name, dates in ISO form."""
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, _dt.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return repr(value)


def _record_repr(cls: type, *fields: str, when_set: tuple[str, ...] = ()) -> None:
    """Gives a snapshot class a repr listing `fields`, plus each of `when_set` that is truthy."""

    def __repr__(self: Any) -> str:
        shown = [*fields, *(f for f in when_set if getattr(self, f))]
        return f"{type(self).__name__}({', '.join(f'{f}={_show(getattr(self, f))}' for f in shown)})"

    __repr__.__qualname__ = f"{cls.__name__}.__repr__"
    setattr(cls, "__repr__", __repr__)


_record_repr(_core.Contact, "id", "name", "role", when_set=("primary",))
_record_repr(_core.Brand, "name", "products")
_record_repr(_core.Contract, "id", "start", "end", "monthly_fee")
_record_repr(_core.AccountTeam, "ae", "aae", "am", "ad")
_record_repr(_core.TeamAssignment, "effective", "team", "note")
_record_repr(_core.StageChange, "date", "stage", when_set=("delivered_on",))
_record_repr(_core.OverdueContact, "client", "last_contact", "due", "business_days_overdue")
_record_repr(_core.Activity, "id", "kind", "when", "client", "staff")
_record_repr(_core.ContactReport, "id", "activity", "written_at")
_record_repr(_core.StatusReport, "id", "kind", "author", "period")


@_attach(_core.MeetingNotice, "__repr__")
def _notice_repr(self: _core.MeetingNotice) -> str:
    return (
        f"{type(self).__name__}(id={self.id!r}, client={self.client!r}, "
        f"meeting_at={self.meeting_at.isoformat(timespec='minutes')}, missing={self.missing_elements()!r})"
    )



@_attach(_core.Finding, "__repr__")
def _finding_repr(self: _core.Finding) -> str:
    due = f", due={self.due.isoformat()}" if self.due else ""
    return f"{type(self).__name__}({self.rule} {self.severity.name} {self.subject}: {self.message!r}{due})"


@_attach(_core.Agency, "audit")
def _agency_audit(self: _core.Agency, as_of: _dt.date) -> Any:
    """AS-4: every finding across every rule as of the close of business on ``as_of``.

    Returns an :class:`aecore.AuditReport` (a sorted sequence of Finding) with
    ``to_dataframe()`` and a notebook HTML view."""
    from .audit import AuditReport

    return AuditReport(as_of, self.audit_findings(as_of))


@_attach(_core.Agency, "clients_frame")
def _clients_frame(
    self: _core.Agency,
    as_of: _dt.date | None = None,
    *,
    billings: dict[str, _core.Money] | None = None,
    days_overdue: dict[str, int] | None = None,
) -> pd.DataFrame:
    """Clients as a pandas DataFrame indexed by client code.

    Columns: name, city, first_contact, stage (categorical), owner (AE id), owner_name,
    am, ad, primary_contact, annual_budget (Decimal), currency, tier (categorical; from
    the ledger, or from ``billings``/``days_overdue`` when given), last_contact, next_follow_up
    (datetime64), archived. Stage and team are those in force on ``as_of`` (missing for a
    client not yet met then); ``as_of`` defaults to today.
    """
    pd = _require_pandas()
    as_of = as_of or _dt.date.today()
    clients = self.clients
    names = {s.id: s.name for s in self.staff}
    tier_of = {t.client: t.tier.name for t in self.tiers(as_of, billings=billings, days_overdue=days_overdue)}
    index = pd.Index([c.code for c in clients], name="code", dtype="string")

    def column(values: list[Any], dtype: str) -> pd.Series:
        return pd.Series(values, index=index, dtype=dtype)

    def when(values: list[Any]) -> pd.Series:
        return pd.to_datetime(pd.Series(values, index=index, dtype="object"))

    def in_force(history: list[Any], date_of: Callable[[Any], _dt.date]) -> Any:
        found = None
        for entry in history:
            if date_of(entry) > as_of:
                break
            found = entry
        return found

    stages = [in_force(c.stage_history, lambda s: s.date) for c in clients]
    teams = [in_force(c.team_history, lambda t: t.effective) for c in clients]
    last = [self.last_contact(c.code, as_of) for c in clients]
    follow = [None if c.archived else self.next_follow_up(c.code, as_of) for c in clients]
    primary = [c.primary_contact.name if c.primary_contact else None for c in clients]
    return pd.DataFrame(
        {
            "name": column([c.name for c in clients], "string"),
            "city": column([c.city for c in clients], "string"),
            "first_contact": when([c.first_contact for c in clients]),
            "stage": pd.Categorical(
                [s.stage.name if s else None for s in stages], categories=[s.name for s in _core.PipelineStage]
            ),
            "owner": column([t.team.ae if t else None for t in teams], "string"),
            "owner_name": column([names.get(t.team.ae) if t else None for t in teams], "string"),
            "am": column([t.team.am if t else None for t in teams], "string"),
            "ad": column([t.team.ad if t else None for t in teams], "string"),
            "primary_contact": column(primary, "string"),
            "annual_budget": column([c.annual_budget.amount for c in clients], "object"),
            "currency": column([c.annual_budget.currency for c in clients], "string"),
            "tier": pd.Categorical([tier_of.get(c.code) for c in clients], categories=[t.name for t in _core.Tier], ordered=True),
            "last_contact": when(last),
            "next_follow_up": when(follow),
            "archived": column([c.archived for c in clients], "bool"),
        },
        index=index,
    )


# ----------------------------------------------------------------- marketing plans

_record_repr(_core.ProductSection, "stage", "usp")
_record_repr(_core.CompetitorPrice, "competitor", "price")
_record_repr(_core.PriceSection, "list_price", "positioning")
_record_repr(_core.PlaceSection, "coverage_percent", "outlets_current", "outlets_target", "channels")
_record_repr(_core.MixBudget, "element", "budget")
_record_repr(_core.PromotionSection, "budget", "objective", "mix")
_record_repr(_core.Measurement, "date", "value")
_record_repr(_core.Objective, "id", "kind", "baseline", "target", "deadline")
_record_repr(_core.Strategy, "target_audience", "positioning", "execution")
_record_repr(_core.PlanTransition, "from_status", "to_status", "at", "actor")
_record_repr(_core.PlanFinding, "rule", "severity", "message")
_record_repr(_core.MarketingPlan, "id", "client", "brand", "status", "version", "period_start", "period_end")


@_attach(_core.MarketingPlan, "review")
def _plan_review(self: _core.MarketingPlan, policy: _core.Policy | None = None) -> Any:
    """MP-8 review of this plan snapshot; returns an aecore.PlanReview.

    ``policy`` supplies the configurable thresholds (MP-8c); pass ``agency.policy``, or
    use ``agency.review_plan(plan_id)``, to review with an agency's own settings. Without
    it the SPEC defaults apply."""
    from .audit import PlanReview

    return PlanReview(self.id, self.review_findings(policy if policy is not None else _core.Policy()))


@_attach(_core.Agency, "review_plan")
def _agency_review_plan(self: _core.Agency, id: str) -> Any:
    """MP-8 review of plan ``id`` with this agency's Policy; returns an aecore.PlanReview."""
    from .audit import PlanReview

    return PlanReview(id, self.review_plan_findings(id))


@_attach(_core.MarketingPlan, "mix_frame")
def _plan_mix_frame(self: _core.MarketingPlan) -> pd.DataFrame:
    """The promotion mix as a DataFrame indexed by element: budget (exact Decimal),
    share_of_mix and share_of_budget (Decimal fractions, 4 places; missing without a
    promotion budget)."""
    pd = _require_pandas()
    mix = self.promotion.mix
    total = sum((m.budget.minor_units for m in mix), 0)
    budget = self.promotion.budget.minor_units if self.promotion.budget else 0
    quantum = decimal.Decimal("0.0001")

    def share(part: int, whole: int) -> decimal.Decimal | None:
        if whole <= 0:
            return None
        return (decimal.Decimal(part) / decimal.Decimal(whole)).quantize(quantum, rounding=decimal.ROUND_HALF_EVEN)

    index = pd.Index([m.element.name for m in mix], name="element", dtype="string")
    return pd.DataFrame(
        {
            "budget": pd.Series([m.budget.amount for m in mix], index=index, dtype="object"),
            "currency": pd.Series([m.budget.currency for m in mix], index=index, dtype="string"),
            "share_of_mix": pd.Series([share(m.budget.minor_units, total) for m in mix], index=index, dtype="object"),
            "share_of_budget": pd.Series([share(m.budget.minor_units, budget) for m in mix], index=index, dtype="object"),
        },
        index=index,
    )


@_attach(_core.MarketingPlan, "_repr_html_")
def _plan_html(self: _core.MarketingPlan) -> str:
    ps, price, place, promo = self.product_section, self.price, self.place, self.promotion
    benefits = ", ".join(ps.tangible_benefits + ps.intangible_benefits) or "—"
    mix = ", ".join(f"{m.element.name.lower()} {m.budget.format()}" for m in promo.mix) or "—"
    objectives = "".join(
        f"<li>{o.id} {o.kind.name.lower()}: {o.baseline} → {o.target} by {o.deadline or '—'}"
        f"{f' ({html.escape(o.description)})' if o.description else ''}</li>"
        for o in self.objectives
    )
    cells = [
        ("Product", f"{ps.stage.name.lower()} stage; USP: {html.escape(ps.usp or '—')}; benefits: {html.escape(benefits)}"),
        (
            "Price",
            f"{price.positioning.name.lower()}"
            f"{'; list ' + html.escape(price.list_price.format()) if price.list_price else ''}"
            f"; competitors: {html.escape(', '.join(f'{c.competitor} {c.price.format()}' for c in price.competitors) or '—')}",
        ),
        ("Place", f"coverage {place.coverage_percent}%; outlets {place.outlets_current} → {place.outlets_target}; "
                  f"channels: {html.escape(', '.join(place.channels) or '—')}"),
        ("Promotion", f"{promo.objective.name.lower()}; budget "
                      f"{html.escape(promo.budget.format() if promo.budget else '—')}; mix: {html.escape(mix)}"),
    ]
    grid = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in cells)
    return (
        f"<p><b>{html.escape(self.title)}</b> <code>{self.id}</code> v{self.version} &middot; {self.status.name} &middot; "
        f"{html.escape(self.client)} / {html.escape(self.brand)} &middot; {self.period_start} – {self.period_end}</p>"
        f"<table>{grid}</table><p>Objectives:</p><ul>{objectives or '<li>none</li>'}</ul>"
    )


# ----------------------------------------------------------------- job tickets and time sheets

_record_repr(_core.Deliverable, "media", "specification")
_record_repr(_core.TicketTransition, "from_status", "to_status", "at", "actor")
_record_repr(_core.LeadTimeOverride, "approver", "reason")
_record_repr(_core.JobTicket, "number", "kind", "client", "brand", "status", "client_deadline")
_record_repr(_core.TimeEntry, "id", "staff", "job", "date", "hours", "cost", "status")
_record_repr(_core.WeeklyTicketRow, "number", "status", "late", "hours")
_record_repr(_core.DeliveryMetrics, "key", "delivered", "on_time_rate", "avg_revision_rounds", "avg_cycle_days")


@_attach(_core.Brief, "__repr__")
def _brief_repr(self: _core.Brief) -> str:
    filled = [f for f in ("objective", "target_audience", "key_message", "mandatories") if getattr(self, f)]
    return f"Brief(filled={filled}, deliverables={len(self.deliverables)}, budget={_show(self.budget)})"


@_attach(_core.WeeklyStatus, "__repr__")
def _weekly_repr(self: _core.WeeklyStatus) -> str:
    late = sum(r.late for r in self.rows)
    return (
        f"WeeklyStatus(week_start={self.week_start.isoformat()}, open={len(self.rows)}, late={late}, "
        f"opened={self.opened}, closed={self.closed})"
    )


@_attach(_core.WeeklyStatus, "to_dataframe")
def _weekly_frame(self: _core.WeeklyStatus) -> pd.DataFrame:
    """One row per open ticket, indexed by job number: client, title, status
    (categorical), client_deadline and internal_due (datetime64), late, revision_rounds,
    hours (Decimal, booked in the week)."""
    pd = _require_pandas()
    rows = self.rows
    index = pd.Index([r.number for r in rows], name="number", dtype="string")
    return pd.DataFrame(
        {
            "client": pd.Series([r.client for r in rows], index=index, dtype="string"),
            "title": pd.Series([r.title for r in rows], index=index, dtype="string"),
            "status": pd.Categorical([r.status.name for r in rows], categories=[s.name for s in _core.TicketStatus]),
            "client_deadline": pd.to_datetime(pd.Series([r.client_deadline for r in rows], index=index, dtype="object")),
            "internal_due": pd.to_datetime(pd.Series([r.internal_due for r in rows], index=index, dtype="object")),
            "late": pd.Series([r.late for r in rows], index=index, dtype="bool"),
            "revision_rounds": pd.Series([r.revision_rounds for r in rows], index=index, dtype="int64"),
            "hours": pd.Series([r.hours for r in rows], index=index, dtype="object"),
        },
        index=index,
    )


@_attach(_core.WeeklyStatus, "_repr_html_")
def _weekly_html(self: _core.WeeklyStatus) -> str:
    rows = [
        [r.client, r.number, r.title, r.status.name.lower(), f"{r.client_deadline:%Y-%m-%d %H:%M}",
         f"{r.internal_due:%Y-%m-%d %H:%M}", "LATE" if r.late else "", str(r.revision_rounds), str(r.hours)]
        for r in self.rows
    ]
    head = (
        f"<p><b>Weekly status, week of {self.week_start.isoformat()}</b> &middot; {len(rows)} open tickets"
        f" &middot; opened {self.opened}, closed {self.closed}</p>"
    )
    return head + _table(["client", "job", "title", "status", "client deadline", "internal due", "", "revisions", "hours"], rows)


@_attach(_core.JobTicket, "_repr_html_")
def _job_html(self: _core.JobTicket) -> str:
    steps = " → ".join(
        [f"<span title='opened {self.opened_at:%Y-%m-%d %H:%M} by {html.escape(self.issuer)}'>draft</span>"]
        + [
            f"<span title='{t.at:%Y-%m-%d %H:%M} by {html.escape(t.actor)}: {html.escape(t.note)}'>"
            f"{t.to_status.name.lower()}</span>"
            for t in self.history
        ]
    )
    missing = self.brief.missing(self.department)
    return (
        f"<p><b>{html.escape(self.number)}</b> {html.escape(self.title)} &middot; {self.kind.name.lower()} &middot; "
        f"{html.escape(self.client)} / {html.escape(self.brand)} &middot; {self.department.name.lower()} "
        f"{self.job_type.name.lower()}</p>"
        f"<p>client deadline {self.client_deadline:%Y-%m-%d %H:%M} &middot; revision rounds {self.revision_rounds}"
        f" &middot; brief {'complete' if not missing else 'missing ' + html.escape(', '.join(missing))}</p>"
        f"<p>{steps}</p>"
    )


@_attach(_core.Agency, "jobs_frame")
def _jobs_frame(self: _core.Agency, *, money: Literal["decimal", "minor"] = "decimal") -> pd.DataFrame:
    """Job tickets as a DataFrame indexed by job number: kind, parent, client, brand,
    department, job_type, status (categoricals), title, issuer, opened_at,
    client_deadline, internal_due (datetime64), revision_rounds, hours (Decimal, all
    time booked), cost (time cost) and currency (the agency's).

    cost is exact either way: decimal.Decimal with ``money="decimal"`` (the default), int64
    minor units with ``money="minor"``. hours are not money: they stay exact Decimal in
    both styles (time sheets book hundredths, JT-10; one Decimal per distinct total, shared
    by the tickets with that total). Text columns have the "string" dtype: with pyarrow
    storage (pandas' default when pyarrow is installed) they are built from Arrow buffers
    made in C++, else from str objects."""
    pd = _require_pandas()
    if money not in ("decimal", "minor"):
        raise ValueError(f'money={money!r}: expected "decimal" (exact Decimal) or "minor" (int64 minor units)')
    arrow = _arrow_strings(pd)
    # Built in C++ (no JobTicket or TimeEntry per row); hours and cost summed there exactly.
    c = self._jobs_frame_columns(missing=pd.NA, arrow=arrow, minor=money == "minor")
    n = len(c["kind"])

    return pd.DataFrame(
        {
            "kind": _categorical(pd, c["kind"], _core.TicketKind),
            "parent": _text_array(pd, c["parent"]),
            "client": _text_array(pd, c["client"]),
            "brand": _text_array(pd, c["brand"]),
            "department": _categorical(pd, c["department"], _core.Department),
            "job_type": _categorical(pd, c["job_type"], _core.JobType),
            "status": _categorical(pd, c["status"], _core.TicketStatus),
            "title": _text_array(pd, c["title"]),
            "issuer": _text_array(pd, c["issuer"]),
            "opened_at": _datetimes(pd, c["opened_at"], "datetime"),
            "client_deadline": _datetimes(pd, c["client_deadline"], "datetime"),
            "internal_due": _datetimes(pd, c["internal_due"], "datetime"),
            "revision_rounds": c["revision_rounds"],
            "hours": c["hours"],
            "cost": c["cost"],
            "currency": _repeated_text(pd, self.currency, n, arrow),
        },
        index=pd.Index(_text_array(pd, c["number"]), name="number"),
        copy=False,  # every array is new and owned by the frame alone
    )


@_attach(_core.Agency, "timesheet_frame")
def _timesheet_frame(self: _core.Agency) -> pd.DataFrame:
    """Time entries as a DataFrame indexed by entry id: staff, job, date (datetime64),
    hours, rate and cost (exact Decimal), currency, status (categorical), approved_by,
    corrects, overtime (the person's day total is above 8 h)."""
    pd = _require_pandas()
    entries = self.time_entries
    day_total: dict[tuple[str, _dt.date], decimal.Decimal] = {}
    for e in entries:
        day_total[(e.staff, e.date)] = day_total.get((e.staff, e.date), decimal.Decimal(0)) + e.hours
    index = pd.Index([e.id for e in entries], name="id", dtype="string")

    def col(values: list[Any], dtype: str) -> pd.Series:
        return pd.Series(values, index=index, dtype=dtype)

    return pd.DataFrame(
        {
            "staff": col([e.staff for e in entries], "string"),
            "job": col([e.job for e in entries], "string"),
            "date": pd.to_datetime(col([e.date for e in entries], "object")),
            "hours": col([e.hours for e in entries], "object"),
            "rate": col([e.rate.amount for e in entries], "object"),
            "cost": col([e.cost.amount for e in entries], "object"),
            "currency": col([e.cost.currency for e in entries], "string"),
            "status": pd.Categorical([e.status.name for e in entries], categories=[s.name for s in _core.TimeStatus]),
            "approved_by": col([e.approved_by for e in entries], "string"),
            "corrects": col([e.corrects for e in entries], "string"),
            "overtime": col([day_total[(e.staff, e.date)] > 8 for e in entries], "bool"),
        },
        index=index,
    )
