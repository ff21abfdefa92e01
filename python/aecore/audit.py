"""AuditReport: the result of ``Agency.audit(as_of)`` (SPEC AS-4) — a sorted, read-only
sequence of findings that also renders as a table in notebooks and converts to a
pandas DataFrame."""

from __future__ import annotations

import datetime as _dt
import html
from collections import Counter
from typing import TYPE_CHECKING, Any, Iterator, Sequence, overload

from . import _core

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


class AuditReport(Sequence["_core.Finding"]):
    """Every finding of an audit, sorted by severity, rule, subject, due date and message."""

    __slots__ = ("_as_of", "_findings")

    def __init__(self, as_of: _dt.date, findings: list[_core.Finding]) -> None:
        self._as_of = as_of
        self._findings = list(findings)

    @property
    def as_of(self) -> _dt.date:
        """The date the audit was taken at (close of business)."""
        return self._as_of

    @overload
    def __getitem__(self, index: int) -> _core.Finding: ...
    @overload
    def __getitem__(self, index: slice) -> list[_core.Finding]: ...
    def __getitem__(self, index: int | slice) -> _core.Finding | list[_core.Finding]:
        return self._findings[index]

    def __len__(self) -> int:
        return len(self._findings)

    def __iter__(self) -> Iterator[_core.Finding]:
        return iter(self._findings)

    def counts(self) -> dict[str, int]:
        """Number of findings per rule id, in rule order."""
        return dict(sorted(Counter(f.rule for f in self._findings).items()))

    def by_rule(self, rule: str) -> list[_core.Finding]:
        """The findings of one rule (e.g. ``"CL-4"``)."""
        return [f for f in self._findings if f.rule == rule]

    def by_severity(self, severity: _core.Severity) -> list[_core.Finding]:
        """The findings of one severity (``aecore.Severity.ERROR``, ``WARNING`` or ``ADVICE``)."""
        return [f for f in self._findings if f.severity == severity]

    def to_dataframe(self) -> pd.DataFrame:
        """One row per finding: rule, severity (ordered categorical), subject, due
        (datetime64, NaT when none) and message."""
        from ._sugar import _require_pandas

        pd = _require_pandas()
        severities = [s.name for s in _core.Severity]
        return pd.DataFrame(
            {
                "rule": pd.Series([f.rule for f in self._findings], dtype="string"),
                "severity": pd.Categorical([f.severity.name for f in self._findings], categories=severities, ordered=True),
                "subject": pd.Series([f.subject for f in self._findings], dtype="string"),
                "due": pd.to_datetime(pd.Series([f.due for f in self._findings], dtype="object")),
                "message": pd.Series([f.message for f in self._findings], dtype="string"),
            }
        )

    def __repr__(self) -> str:
        summary = ", ".join(f"{rule}: {n}" for rule, n in self.counts().items()) or "no findings"
        return f"AuditReport(as_of={self._as_of.isoformat()}, {len(self)} findings; {summary})"

    def _repr_html_(self) -> str:
        colours = {"ERROR": "#b00020", "WARNING": "#a15c00", "ADVICE": "#33658a"}
        rows = "".join(
            "<tr>"
            f"<td style='color:{colours.get(f.severity.name, 'inherit')}'>{f.severity.name.lower()}</td>"
            f"<td>{html.escape(f.rule)}</td><td>{html.escape(f.subject)}</td>"
            f"<td>{f.due.isoformat() if f.due else ''}</td><td>{html.escape(f.message)}</td></tr>"
            for f in self._findings
        )
        return (
            f"<p><b>Audit as of {self._as_of.isoformat()}</b> &middot; {len(self)} findings</p>"
            "<table><thead><tr><th>severity</th><th>rule</th><th>subject</th><th>due</th><th>message</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AuditReport):
            return NotImplemented
        return self._as_of == other._as_of and self._findings == other._findings

    __hash__ = None  # type: ignore[assignment]


class PlanReview(Sequence["_core.PlanFinding"]):
    """The MP-8 review of one marketing plan: its findings, most severe first."""

    __slots__ = ("_plan", "_findings")

    def __init__(self, plan: str, findings: list[_core.PlanFinding]) -> None:
        self._plan = plan
        order = {s: i for i, s in enumerate(_core.Severity)}
        self._findings = sorted(findings, key=lambda f: (order[f.severity], f.rule))

    @property
    def plan(self) -> str:
        """Id of the reviewed plan."""
        return self._plan

    @property
    def errors(self) -> list[_core.PlanFinding]:
        """The findings that block client approval."""
        return [f for f in self._findings if f.severity == _core.Severity.ERROR]

    @property
    def approvable(self) -> bool:
        """True when no Error finding stands (MP-8)."""
        return not self.errors

    @overload
    def __getitem__(self, index: int) -> _core.PlanFinding: ...
    @overload
    def __getitem__(self, index: slice) -> list[_core.PlanFinding]: ...
    def __getitem__(self, index: int | slice) -> _core.PlanFinding | list[_core.PlanFinding]:
        return self._findings[index]

    def __len__(self) -> int:
        return len(self._findings)

    def __iter__(self) -> Iterator[_core.PlanFinding]:
        return iter(self._findings)

    def to_dataframe(self) -> pd.DataFrame:
        """One row per finding: rule, severity (ordered categorical), message."""
        from ._sugar import _require_pandas

        pd = _require_pandas()
        return pd.DataFrame(
            {
                "rule": pd.Series([f.rule for f in self._findings], dtype="string"),
                "severity": pd.Categorical(
                    [f.severity.name for f in self._findings], categories=[s.name for s in _core.Severity], ordered=True
                ),
                "message": pd.Series([f.message for f in self._findings], dtype="string"),
            }
        )

    def __repr__(self) -> str:
        rules = ", ".join(f"{f.rule} {f.severity.name}" for f in self._findings) or "no findings"
        return f"PlanReview(plan={self._plan!r}, {rules})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{f.severity.name.lower()}</td><td>{html.escape(f.rule)}</td><td>{html.escape(f.message)}</td></tr>"
            for f in self._findings
        )
        verdict = "can be approved" if self.approvable else f"{len(self.errors)} error(s) block approval"
        return (
            f"<p><b>Review of plan {html.escape(self._plan)}</b> &middot; {verdict}</p>"
            f"<table><thead><tr><th>severity</th><th>rule</th><th>message</th></tr></thead><tbody>{rows}</tbody></table>"
        )
