"""The pythonic layer over performance evaluation (SPEC PE-1..PE-6): readable reprs, a
DataFrame of an evaluation's criteria, the agency's evaluations as a DataFrame, an HTML
view with criteria, weights, scores and evidence, and a bar chart of the areas."""

from __future__ import annotations

import datetime as _dt
import decimal
import html
from typing import TYPE_CHECKING, Any

from . import _core
from ._sugar import _attach, _record_repr, _require_pandas, _show, _table

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.axes import Axes

_record_repr(_core.Criterion, "id", "area", "name")
_record_repr(_core.CriterionScore, "criterion", "score", when_set=("comment",))
_record_repr(_core.Kpi, "name", "weight", "achievement")
_record_repr(_core.EvidenceItem, "metric", "value", "criteria")
_record_repr(_core.EvaluationStep, "from_status", "to_status", "at", "actor")
_record_repr(_core.TeamEvaluationRow, "evaluation", "evaluatee", "status", "score", "rating")
_record_repr(_core.CalibrationRow, "evaluator", "count", "mean", "spread")


@_attach(_core.Rubric, "__repr__")
def _rubric_repr(self: _core.Rubric) -> str:
    areas = list(dict.fromkeys(c.area for c in self.criteria))
    return f"Rubric(id={self.id!r}, criteria={len(self.criteria)}, areas={areas!r})"


@_attach(_core.Evaluation, "__repr__")
def _evaluation_repr(self: _core.Evaluation) -> str:
    return (
        f"Evaluation(id={self.id!r}, evaluatee={self.evaluatee!r}, evaluator={self.evaluator!r}, "
        f"period={self.period.name}, {self.start.isoformat()}..{self.end.isoformat()}, status={self.status.name}, "
        f"score={_show(self.weighted_score)}, rating={_show(self.rating)})"
    )


def _rows(ev: _core.Evaluation) -> list[dict[str, Any]]:
    scores = {s.criterion: s for s in ev.scores}
    evidence: dict[str, list[str]] = {}
    for item in ev.evidence():
        for c in item.criteria:
            evidence.setdefault(c, []).append(item.detail)
    rows = []
    for c in ev.rubric.criteria:
        weight = c.weight(ev.title)
        if not weight:
            continue
        s = scores.get(c.id)
        rows.append({
            "criterion": c.id, "area": c.area, "name": c.name, "weight": weight,
            "score": s.score if s else None,
            "weighted": (weight * s.score / 100).quantize(decimal.Decimal("0.0001")) if s else None,
            "comment": s.comment if s else "",
            "evidence": "; ".join(evidence.get(c.id, [])),
        })
    return rows


@_attach(_core.Evaluation, "to_dataframe")
def _evaluation_frame(self: _core.Evaluation) -> pd.DataFrame:
    """One row per criterion weighted for the evaluatee's title, indexed by criterion id:
    area, name, weight (Decimal percent), score (Int64, <NA> until scored), weighted
    (Decimal score x weight / 100), comment and the evidence that informs it."""
    pd = _require_pandas()
    rows = _rows(self)
    index = pd.Index([r["criterion"] for r in rows], name="criterion", dtype="string")
    return pd.DataFrame(
        {
            "area": pd.Series([r["area"] for r in rows], index=index, dtype="string"),
            "name": pd.Series([r["name"] for r in rows], index=index, dtype="string"),
            "weight": pd.Series([r["weight"] for r in rows], index=index, dtype="object"),
            "score": pd.Series([r["score"] for r in rows], index=index, dtype="Int64"),
            "weighted": pd.Series([r["weighted"] for r in rows], index=index, dtype="object"),
            "comment": pd.Series([r["comment"] for r in rows], index=index, dtype="string"),
            "evidence": pd.Series([r["evidence"] for r in rows], index=index, dtype="string"),
        },
        index=index,
    )


@_attach(_core.Evaluation, "_repr_html_")
def _evaluation_html(self: _core.Evaluation) -> str:
    rows = [[r["area"], r["name"], f"{r['weight']} %", "" if r["score"] is None else str(r["score"]), r["comment"],
             r["evidence"]] for r in _rows(self)]
    score = "not yet complete" if self.weighted_score is None else f"{self.weighted_score} ({self.rating.name.lower()})"
    head = (
        f"<p><b>Evaluation {html.escape(self.id)}</b> of {html.escape(self.evaluatee)} ({self.title.name}) by "
        f"{html.escape(self.evaluator)} &middot; {self.period.name} {self.start.isoformat()} to {self.end.isoformat()}"
        f" &middot; {self.status.name} &middot; weighted score {html.escape(score)}</p>"
    )
    comments = (f"<p><i>Evaluatee's comments:</i> {html.escape(self.evaluatee_comments)}</p>"
                if self.evaluatee_comments else "")
    return head + _table(["area", "criterion", "weight", "score", "comment", "evidence"], rows) + comments


@_attach(_core.Evaluation, "plot")
def _evaluation_plot(self: _core.Evaluation, ax: Axes | None = None) -> Axes:
    """The weight-averaged score of each area as horizontal bars on the 1-5 scale (matplotlib)."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("plot() needs matplotlib: pip install matplotlib") from exc
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    sums: dict[str, list[decimal.Decimal]] = {}
    for r in _rows(self):
        if r["score"] is not None:
            acc = sums.setdefault(r["area"], [decimal.Decimal(0), decimal.Decimal(0)])
            acc[0] += r["weight"] * r["score"]
            acc[1] += r["weight"]
    areas = list(sums)
    ax.barh(areas, [float(sums[a][0] / sums[a][1]) for a in areas])
    ax.set_xlim(0, 5)
    ax.set_xlabel("score (1-5, weighted within the area)")
    ax.set_title(f"{self.id}: {self.evaluatee} ({self.period.name} {self.start.year})")
    return ax


@_attach(_core.Agency, "evaluations_frame")
def _evaluations_frame(self: _core.Agency, *, period: _core.EvaluationPeriod | None = None,
                       start: _dt.date | None = None, end: _dt.date | None = None) -> pd.DataFrame:
    """Every evaluation (optionally of one period kind, overlapping [start, end]) indexed
    by id: evaluatee, title, evaluator, rubric, period (categorical), start and end
    (datetime64), status (ordered categorical), score (Decimal, None until complete), rating
    (ordered categorical), kpi_composite (Decimal or None)."""
    pd = _require_pandas()
    evs = [e for e in self.evaluations
           if (period is None or e.period == period) and (start is None or e.end >= start)
           and (end is None or e.start <= end)]
    index = pd.Index([e.id for e in evs], name="id", dtype="string")

    def cat(values: list[Any], enum_type: Any, ordered: bool = True) -> Any:
        return pd.Categorical(values, categories=[m.name for m in enum_type], ordered=ordered)

    return pd.DataFrame(
        {
            "evaluatee": pd.Series([e.evaluatee for e in evs], index=index, dtype="string"),
            "title": cat([e.title.name for e in evs], _core.Title),
            "evaluator": pd.Series([e.evaluator for e in evs], index=index, dtype="string"),
            "rubric": pd.Series([e.rubric.id for e in evs], index=index, dtype="string"),
            "period": cat([e.period.name for e in evs], _core.EvaluationPeriod, ordered=False),
            "start": pd.to_datetime(pd.Series([e.start for e in evs], index=index, dtype="object")),
            "end": pd.to_datetime(pd.Series([e.end for e in evs], index=index, dtype="object")),
            "status": cat([e.status.name for e in evs], _core.EvaluationStatus),
            "score": pd.Series([e.weighted_score for e in evs], index=index, dtype="object"),
            "rating": cat([e.rating.name if e.rating else None for e in evs], _core.Rating),
            "kpi_composite": pd.Series([e.kpi_composite for e in evs], index=index, dtype="object"),
        },
        index=index,
    )
