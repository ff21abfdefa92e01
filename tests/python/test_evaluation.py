"""Performance evaluation (SPEC PE-1..PE-6) through the Python API: rubric validation and
the built-in rubrics, who may evaluate whom, scores and the workflow with its actors,
every refusal leaving the agency unchanged, the weighted score and its rating bands
(configurable in the Policy), the KPI composite, the evidence computed from a small book
built here (with `as_of` truncation) and the criteria it informs, the live Evaluation
view, the DataFrames / notebook view / plot, the team view and calibration, the PE-3
audit findings, persistence and the sample agency's three evaluations.

Every expected number is derived by hand from the rules (see the comments)."""

from __future__ import annotations

import copy
import datetime as dt
import gc
import json
import pickle
from decimal import Decimal
from typing import Any, Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

import aecore  # noqa: E402
from aecore import Criterion, Kpi, Rubric, Title  # noqa: E402
from aecore import EvaluationPeriod as P  # noqa: E402
from aecore import EvaluationStatus as S  # noqa: E402
from aecore import EvidenceMetric as M  # noqa: E402
from aecore import Rating as R  # noqa: E402
from conftest import AWAY_CODE, HOME_CODE, build_book, build_small_agency  # noqa: E402
from errors_check import assert_error  # noqa: E402

AD_ID, AM_ID, AE1_ID, AE2_ID = "S0001", "S0002", "S0003", "S0004"  # the `agency` fixture
AAE_ID = "S0005"  # added by `build_flow`: an AAE reporting to the AM
D = dt.date
T = dt.datetime
CREATED = T(2026, 1, 5, 9, 0)
Refusal = Callable[[aecore.Agency], Any]

# PE-2: the account-service criteria of seed 000, in the SPEC's order, with their areas
# and weights per title (AAE, AE, AM, AD; percent) and the metrics that inform them.
ACCOUNT_SERVICE: list[tuple[str, str, str, tuple[int, int, int, int], list[M]]] = [
    ("market_knowledge", "Knowledge", "Market knowledge", (3, 4, 6, 8), []),
    ("client_business", "Knowledge", "Client business knowledge", (5, 6, 7, 7), []),
    ("information_analysis", "Knowledge", "Information gathering and analysis", (6, 5, 5, 5), []),
    ("media_production", "Knowledge", "Media and production knowledge", (6, 5, 4, 3), []),
    ("creative_evaluation", "Knowledge", "Creative evaluation", (3, 4, 5, 5), [M.REVISION_ROUNDS]),
    ("organising_information", "Organisation", "Organising information", (6, 5, 4, 3), []),
    ("internal_reporting", "Organisation", "Internal reporting", (7, 6, 4, 3),
     [M.CONTACT_REPORTS_ON_TIME, M.WEEKLY_REPORTS_ON_TIME]),
    ("company_knowledge", "Organisation", "Company knowledge", (4, 2, 3, 3), []),
    ("prioritisation", "Organisation", "Prioritisation", (5, 5, 5, 5), []),
    ("progress_follow_up", "Organisation", "Progress and follow-up", (8, 7, 5, 4), [M.JOBS_ON_TIME, M.REVISION_ROUNDS]),
    ("meetings", "Organisation", "Meetings", (4, 5, 5, 5), []),
    ("work_habits", "Organisation", "Work habits", (6, 5, 2, 2), []),
    ("external_communication", "Communication", "External communication", (3, 6, 7, 7),
     [M.CONTACT_CADENCE, M.CONTACT_REPORTS_ON_TIME]),
    ("internal_communication", "Communication", "Internal communication", (6, 5, 5, 4), []),
    ("team_spirit", "Attitude", "Team spirit", (6, 5, 5, 5), []),
    ("company_advocacy", "Attitude", "Company advocacy", (2, 3, 4, 5), []),
    ("helpfulness_to_clients", "Attitude", "Helpfulness to clients", (5, 6, 5, 4), [M.CONTACT_CADENCE]),
    ("new_ideas", "Attitude", "New ideas", (4, 4, 5, 5), []),
    ("attitude", "Attitude", "Attitude", (8, 6, 4, 3), []),
    ("training_juniors", "Leadership", "Training juniors", (0, 2, 5, 8), []),
    ("money_mindedness", "Leadership", "Money-mindedness", (3, 4, 5, 6),
     [M.ESTIMATE_OVERRUNS, M.COLLECTION_RATE, M.DSO]),
]
AS_IDS = [c[0] for c in ACCOUNT_SERVICE]
AE_WEIGHT = {c[0]: c[3][1] for c in ACCOUNT_SERVICE}

# The metrics in the order the library lists them, and the account-service criteria each
# informs for an AE (every account-service criterion is weighted for an AE).
METRICS = [M.CONTACT_REPORTS_ON_TIME, M.WEEKLY_REPORTS_ON_TIME, M.JOBS_ON_TIME, M.REVISION_ROUNDS,
           M.ESTIMATE_OVERRUNS, M.COLLECTION_RATE, M.DSO, M.CONTACT_CADENCE]
AS_CRITERIA = {
    M.CONTACT_REPORTS_ON_TIME: ["internal_reporting", "external_communication"],
    M.WEEKLY_REPORTS_ON_TIME: ["internal_reporting"],
    M.JOBS_ON_TIME: ["progress_follow_up"],
    M.REVISION_ROUNDS: ["creative_evaluation", "progress_follow_up"],
    M.ESTIMATE_OVERRUNS: ["money_mindedness"],
    M.COLLECTION_RATE: ["money_mindedness"],
    M.DSO: ["money_mindedness"],
    M.CONTACT_CADENCE: ["external_communication", "helpfulness_to_clients"],
}


def crit(id: str, weights: Any, *, area: str = "Craft", evidence: list[M] | None = None) -> Criterion:
    return Criterion(id, area, id.replace("_", " ").capitalize(), weights=weights, evidence=evidence or [])


def fine_rubric(id: str = "fine") -> Rubric:
    """Five criteria weighted 25/25/25/24/1 % for every title: the weighted score is
    0.25 (s1 + s2 + s3) + 0.24 s4 + 0.01 s5, so any hundredth from 1.00 to 5.00 is easy to hit."""
    return Rubric(id, "Fine-grained", [
        crit("c1", [25] * 4), crit("c2", [25] * 4), crit("c3", [25] * 4, area="Client"),
        crit("c4", [24] * 4, area="Client"), crit("c5", [1] * 4, area="Money"),
    ])


def build_flow() -> aecore.Agency:
    """The small agency plus an AAE (S0005, Zhao Qiang) reporting to the AM, the `fine`
    rubric, and two evaluations:

        EV0001  S0003 (AE) by S0002, reviewer S0001, Annual 2026, account-service, Draft,
                market_knowledge scored 4 ("knows the category")
        EV0002  S0004 (AE) by S0002, no reviewers, Quarterly 2026-01-01..03-31, fine,
                every criterion 3, Finalized (steps on 2026-04-01..04)."""
    agency = build_small_agency()
    agency.add_staff("Zhao Qiang", Title.AAE, manager=AM_ID)
    agency.add_rubric(fine_rubric())
    first = agency.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED, reviewers=[AD_ID])
    first.score("market_knowledge", 4, "knows the category")
    done = agency.evaluate(AE2_ID, evaluator=AM_ID, start=D(2026, 1, 1), period=P.QUARTERLY, rubric="fine",
                           created_at=CREATED)
    for c in ("c1", "c2", "c3", "c4", "c5"):
        done.score(c, 3)
    done.advance(S.SHARED_WITH_EVALUATEE, actor=AM_ID, at=T(2026, 4, 1, 10, 0))
    done.advance(S.DISCUSSED, actor=AE2_ID, at=T(2026, 4, 2, 10, 0))
    done.advance(S.REVIEWED, actor=AD_ID, at=T(2026, 4, 3, 10, 0))
    done.advance(S.FINALIZED, actor=AM_ID, at=T(2026, 4, 4, 10, 0))
    assert (first.id, done.id) == ("EV0001", "EV0002")
    return agency


@pytest.fixture
def flow() -> aecore.Agency:
    return build_flow()


def fine_eval(agency: aecore.Agency, evaluatee: str = AE1_ID, evaluator: str = AM_ID, **kw: Any) -> aecore.Evaluation:
    if "fine" not in [r.id for r in agency.rubrics]:
        agency.add_rubric(fine_rubric())
    args: dict[str, Any] = dict(start=D(2026, 1, 1), created_at=CREATED, rubric="fine")
    args.update(kw)
    return agency.evaluate(evaluatee, evaluator=evaluator, **args)


def score_fine(ev: aecore.Evaluation, scores: tuple[int, int, int, int, int]) -> aecore.Evaluation:
    for c, s in zip(("c1", "c2", "c3", "c4", "c5"), scores):
        ev.score(c, s)
    return ev


# ====================================================================== PE-1 rubrics


def test_criterion_weights_as_a_dict_or_four_values_of_decimal_int_or_str() -> None:
    as_dict = Criterion("x", "Area", "X", weights={Title.AE: Decimal("12.5"), Title.AM: 30, Title.AD: "7.25"})
    assert as_dict.weights == {Title.AAE: Decimal(0), Title.AE: Decimal("12.5"), Title.AM: Decimal(30),
                               Title.AD: Decimal("7.25")}
    assert all(type(w) is Decimal for w in as_dict.weights.values())
    assert as_dict.weight(Title.AAE) == 0 and as_dict.weight(Title.AD) == Decimal("7.25")
    as_list = Criterion("x", "Area", "X", weights=[0, Decimal("12.5"), "30", "7.25"])
    assert as_list == as_dict
    assert Criterion("x", "Area", "X", weights=(0, "12.5", 30, "7.25")) == as_dict
    assert (as_dict.id, as_dict.area, as_dict.name, as_dict.description, as_dict.evidence) == ("x", "Area", "X", "", [])
    assert repr(as_dict) == "Criterion(id='x', area='Area', name='X')"
    with_evidence = Criterion("y", "Area", "Y", description="why", weights=[1, 2, 3, 4],
                              evidence=[M.DSO, M.JOBS_ON_TIME])
    assert (with_evidence.description, with_evidence.evidence) == ("why", [M.DSO, M.JOBS_ON_TIME])
    assert with_evidence != as_dict


def test_criterion_needs_exactly_four_weights() -> None:
    for weights in ([25, 25, 25], [1, 2, 3, 4, 5], []):
        with pytest.raises(aecore.ValidationError) as ei:
            Criterion("x", "Area", "X", weights=weights)
        assert_error(ei.value, aecore.ValidationError, ValueError, "criterion.weights", "PE-1")
        assert f"{len(weights)} values" in str(ei.value)


@pytest.mark.parametrize("weights", [{Title.AE: 12.5}, [25.0, 25, 25, 25], [True, 0, 0, 0]],
                         ids=["dict-float", "list-float", "list-bool"])
def test_float_or_bool_weights_are_refused_as_a_type_or_value_error(weights: Any) -> None:
    # Weights are exact percentages (decimal.Decimal, int or str); a float is refused like
    # everywhere else in aecore — as a TypeError or a ValidationError naming the field,
    # not as a RuntimeError (the base of aecore.StateError).
    with pytest.raises((TypeError, aecore.ValidationError)) as ei:
        Criterion("x", "Area", "X", weights=weights)
    assert not isinstance(ei.value, RuntimeError)


@pytest.mark.parametrize(
    ("weights", "title", "total"),
    [
        ([[100, 100, 100, 99]], "AD", "99.00"),
        ([[100, 100, "99.5", 100]], "AM", "99.50"),
        ([[60, 50, 50, 50], [41, 50, 50, 50]], "AAE", "101.00"),
        ([[50, 50, 50, 50], [50, "50.01", 50, 50]], "AE", "100.01"),
        ([{Title.AE: 100, Title.AM: 100, Title.AD: 100}], "AAE", "0.00"),  # titles left out weigh 0
    ],
)
def test_rubric_weights_per_title_must_sum_to_100(weights: list[Any], title: str, total: str) -> None:
    criteria = [crit(f"c{i}", w) for i, w in enumerate(weights)]
    with pytest.raises(aecore.ValidationError) as ei:
        Rubric("custom", "Custom", criteria)
    assert_error(ei.value, aecore.ValidationError, ValueError, "rubric.weights", "PE-1")
    assert ei.value.value == f"{total} %"
    assert f"the weights for {title} in rubric custom sum to {total} %, not 100 %" in str(ei.value)


def test_rubric_weights_summing_to_100_for_every_title_are_accepted() -> None:
    rubric = Rubric("custom", "Custom", [
        crit("a", {Title.AAE: "33.33", Title.AE: 50, Title.AM: Decimal("12.5"), Title.AD: 100}),
        crit("b", ["33.33", 50, "87.50", 0]),
        crit("c", ["33.34", 0, 0, 0], area="Other"),
    ])
    assert (rubric.id, rubric.name, [c.id for c in rubric.criteria]) == ("custom", "Custom", ["a", "b", "c"])
    assert sum(c.weight(Title.AAE) for c in rubric.criteria) == 100
    assert repr(rubric) == "Rubric(id='custom', criteria=3, areas=['Craft', 'Other'])"
    # Equality is by value: 87.50 and 87.5 are the same weight.
    twin = Rubric("custom", "Custom", [
        crit("a", ["33.33", 50, "12.50", 100]), crit("b", ["33.33", 50, "87.5", 0]),
        crit("c", ["33.34", 0, 0, 0], area="Other"),
    ])
    assert twin == rubric
    assert Rubric("other", "Custom", twin.criteria) != rubric


@pytest.mark.parametrize(
    ("weight", "shown"),
    [("-1", "-1"), ("100.01", "100.01"), ("12.345", "12.345")],
    ids=["negative", "over-100", "three-decimals"],
)
def test_a_weight_is_a_percentage_with_at_most_two_decimals(weight: str, shown: str) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        Rubric("custom", "Custom", [crit("a", [100, 100, weight, 100])])
    assert_error(ei.value, aecore.ValidationError, ValueError, "criterion.weights", "PE-1")
    assert ei.value.value == shown
    assert "criterion a: a weight for AM is a percentage 0-100 with at most 2 decimals" in str(ei.value)


def test_rubric_structure_is_validated() -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        Rubric("custom", "Custom", [])
    assert_error(ei.value, aecore.ValidationError, ValueError, "rubric.criteria", "PE-1")
    with pytest.raises(aecore.ValidationError) as ei:
        Rubric("custom", "Custom", [crit("a", [50] * 4), crit("a", [50] * 4)])
    assert_error(ei.value, aecore.ValidationError, ValueError, "criterion.id", "PE-1")
    assert "appears twice in rubric custom" in str(ei.value)
    with pytest.raises(aecore.ValidationError) as ei:
        Rubric("custom", "Custom", [crit("a", [100] * 4, evidence=[M.DSO, M.DSO])])
    assert_error(ei.value, aecore.ValidationError, ValueError, "criterion.evidence", "PE-5")
    with pytest.raises(aecore.ValidationError) as ei:
        Rubric("", "Custom", [crit("a", [100] * 4)])
    assert_error(ei.value, aecore.ValidationError, ValueError, "rubric.id", "PE-1")
    with pytest.raises(aecore.ValidationError) as ei:
        Rubric("custom", "Custom", [Criterion("a", "", "A", weights=[100] * 4)])
    assert_error(ei.value, aecore.ValidationError, ValueError, "criterion.area", "PE-1")


def test_add_rubric_and_get_rubric(agency: aecore.Agency, unchanged) -> None:
    assert [r.id for r in agency.rubrics] == ["account-service", "5A"]
    added = agency.add_rubric(fine_rubric())
    assert added == fine_rubric()
    assert [r.id for r in agency.rubrics] == ["account-service", "5A", "fine"]
    assert agency.get_rubric("fine") == fine_rubric()
    assert agency.get_rubric("5A") == aecore.builtin_rubrics()[1]
    for taken in ("fine", "5A", "account-service"):
        with unchanged(agency), pytest.raises(aecore.ValidationError) as ei:
            agency.add_rubric(fine_rubric(taken))
        assert_error(ei.value, aecore.ValidationError, ValueError, "rubric.id", "PE-1")
        assert "a rubric with this id exists" in str(ei.value)
    with pytest.raises(aecore.NotFoundError) as ei:
        agency.get_rubric("360-degree")
    assert_error(ei.value, aecore.NotFoundError, KeyError, "rubric", "PE-1")


# ====================================================================== PE-2 built-in rubrics


def test_builtin_account_service_rubric_is_seed_000() -> None:
    account, five_a = aecore.builtin_rubrics()
    assert (account.id, account.name) == ("account-service", "Account service (seed 000)")
    assert [(c.id, c.area, c.name) for c in account.criteria] == [(i, a, n) for i, a, n, _, _ in ACCOUNT_SERVICE]
    # SPEC PE-2's list, in order.
    assert [c.name.lower() for c in account.criteria] == [
        "market knowledge", "client business knowledge", "information gathering and analysis",
        "media and production knowledge", "creative evaluation", "organising information", "internal reporting",
        "company knowledge", "prioritisation", "progress and follow-up", "meetings", "work habits",
        "external communication", "internal communication", "team spirit", "company advocacy",
        "helpfulness to clients", "new ideas", "attitude", "training juniors", "money-mindedness",
    ]
    for c, (_, _, _, weights, evidence) in zip(account.criteria, ACCOUNT_SERVICE):
        assert [c.weight(t) for t in Title] == [Decimal(w) for w in weights], c.id
        assert c.evidence == evidence, c.id
        assert c.description
    for t in Title:
        assert sum(c.weight(t) for c in account.criteria) == 100, t
    assert five_a.id == "5A"


def test_builtin_5a_rubric_is_seed_002() -> None:
    five_a = aecore.builtin_rubrics()[1]
    assert (five_a.id, five_a.name) == ("5A", "5A account service (seed 002)")
    assert [(c.id, c.name, c.area) for c in five_a.criteria] == [
        ("analysis", "Analysis", "5A"), ("approach", "Approach", "5A"), ("attach", "Attach", "5A"),
        ("attack", "Attack", "5A"), ("account", "Account", "5A"),
    ]
    assert [[int(c.weight(t)) for t in Title] for c in five_a.criteria] == [
        [25, 20, 20, 20], [20, 20, 20, 25], [20, 20, 20, 15], [20, 20, 20, 15], [15, 20, 20, 25],
    ]
    assert [c.evidence for c in five_a.criteria] == [
        [], [M.REVISION_ROUNDS], [M.CONTACT_CADENCE, M.CONTACT_REPORTS_ON_TIME],
        [M.JOBS_ON_TIME, M.WEEKLY_REPORTS_ON_TIME],
        [M.ESTIMATE_OVERRUNS, M.COLLECTION_RATE, M.DSO],
    ]
    assert repr(five_a) == "Rubric(id='5A', criteria=5, areas=['5A'])"


def test_every_agency_starts_with_the_builtin_rubrics(agency: aecore.Agency) -> None:
    assert agency.rubrics == aecore.builtin_rubrics() == aecore.Agency().rubrics
    # Reading a rubric gives a copy: the agency's rubrics cannot be changed through it.
    criteria = agency.get_rubric("5A").criteria
    criteria.pop()
    assert len(agency.get_rubric("5A").criteria) == 5


# ====================================================================== PE-3 starting an evaluation


def test_evaluate_starts_a_draft_with_the_period_end(agency: aecore.Agency) -> None:
    ev = agency.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED, reviewers=[AD_ID])
    assert isinstance(ev, aecore.Evaluation)
    assert (ev.id, ev.evaluatee, ev.title, ev.evaluator, ev.reviewers) == ("EV0001", AE1_ID, Title.AE, AM_ID, [AD_ID])
    assert (ev.rubric.id, ev.period, ev.start, ev.end) == ("account-service", P.ANNUAL, D(2026, 1, 1), D(2026, 12, 31))
    assert (ev.status, ev.history, ev.scores, ev.kpis, ev.evaluatee_comments) == (S.DRAFT, [], [], [], "")
    assert (ev.created_at, ev.weighted_score, ev.rating, ev.kpi_composite) == (CREATED, None, None, None)
    assert ev.missing == AS_IDS  # every criterion is weighted for an AE
    assert ev.agency is agency
    assert repr(ev) == ("Evaluation(id='EV0001', evaluatee='S0003', evaluator='S0002', period=ANNUAL, "
                        "2026-01-01..2026-12-31, status=DRAFT, score=None, rating=None)")
    # Ends follow from the period; an AdHoc one names its end.
    cases = [(P.SEMI_ANNUAL, D(2026, 7, 1), None, D(2026, 12, 31)), (P.QUARTERLY, D(2026, 7, 1), None, D(2026, 9, 30)),
             (P.QUARTERLY, D(2026, 10, 1), D(2026, 12, 31), D(2026, 12, 31)),
             (P.AD_HOC, D(2026, 3, 16), D(2026, 3, 16), D(2026, 3, 16)),
             (P.AD_HOC, D(2026, 3, 16), D(2026, 5, 1), D(2026, 5, 1))]
    for i, (period, start, end, expected) in enumerate(cases, start=2):
        e = agency.evaluate(AE2_ID, evaluator=AM_ID, start=start, period=period, end=end, created_at=CREATED,
                            rubric="5A")
        assert (e.id, e.period, e.start, e.end, e.rubric.id) == (f"EV{i:04d}", period, start, expected, "5A")
    assert [e.id for e in agency.evaluations] == [f"EV{i:04d}" for i in range(1, 7)]


def test_the_title_when_the_evaluation_starts_picks_the_weights(agency: aecore.Agency) -> None:
    ev = agency.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED)
    agency.update_staff(AE1_ID, title=Title.AM)  # promoted during the year
    assert ev.title == Title.AE
    ev.score("training_juniors", 5)  # weighted 2 % for an AE (0 for an AAE, 5 for an AM)
    assert ev.to_dataframe().loc["training_juniors", "weight"] == Decimal(2)
    later = agency.evaluate(AE1_ID, evaluator=AM_ID, start=D(2027, 1, 1), created_at=CREATED)
    assert later.title == Title.AM


START_REFUSALS: list[tuple[str, Refusal, type, type, str, str, str]] = [
    ("the AD is not the AE's direct manager",
     lambda a: a.evaluate(AE1_ID, evaluator=AD_ID, start=D(2026, 1, 1), created_at=CREATED),
     aecore.ValidationError, ValueError, "evaluation.evaluator", "PE-3",
     'evaluation.evaluator = "S0001": is not the direct manager of S0003 Wang Fang (S0002 is)'),
    ("a peer",
     lambda a: a.evaluate(AE1_ID, evaluator=AE2_ID, start=D(2026, 1, 1), created_at=CREATED),
     aecore.ValidationError, ValueError, "evaluation.evaluator", "PE-3", "(S0002 is)"),
    ("oneself",
     lambda a: a.evaluate(AE1_ID, evaluator=AE1_ID, start=D(2026, 1, 1), created_at=CREATED),
     aecore.ValidationError, ValueError, "evaluation.evaluator", "PE-3", "is not the direct manager"),
    ("the evaluatee's report",
     lambda a: a.evaluate(AM_ID, evaluator=AE1_ID, start=D(2026, 1, 1), created_at=CREATED),
     aecore.ValidationError, ValueError, "evaluation.evaluator", "PE-3", "of S0002 Li Wei (S0001 is)"),
    ("someone without a manager",
     lambda a: a.evaluate(AD_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED),
     aecore.ValidationError, ValueError, "evaluation.evaluator", "PE-3", "(who has no manager)"),
    ("an unknown rubric",
     lambda a: a.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED, rubric="360"),
     aecore.NotFoundError, KeyError, "rubric", "PE-1", "no such rubric"),
    ("an unknown evaluatee",
     lambda a: a.evaluate("S0099", evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED),
     aecore.NotFoundError, KeyError, "evaluation.evaluatee", "PE-3", "no such staff member"),
    ("an unknown reviewer",
     lambda a: a.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED, reviewers=["S0099"]),
     aecore.NotFoundError, KeyError, "evaluation.reviewers", "PE-3", "no such staff member"),
    ("the evaluatee as reviewer",
     lambda a: a.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED, reviewers=[AE1_ID]),
     aecore.ValidationError, ValueError, "evaluation.reviewers", "PE-3", "other than the evaluatee and the evaluator"),
    ("the evaluator as reviewer",
     lambda a: a.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED, reviewers=[AM_ID]),
     aecore.ValidationError, ValueError, "evaluation.reviewers", "PE-3", "listed once"),
    ("a reviewer twice",
     lambda a: a.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED, reviewers=[AD_ID, AD_ID]),
     aecore.ValidationError, ValueError, "evaluation.reviewers", "PE-3", "listed once"),
    ("an AdHoc period without an end",
     lambda a: a.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED, period=P.AD_HOC),
     aecore.ValidationError, ValueError, "evaluation.end", "PE-3", "an AdHoc evaluation needs an end date"),
    ("an end before the start",
     lambda a: a.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED, period=P.AD_HOC,
                          end=D(2025, 12, 31)),
     aecore.ValidationError, ValueError, "evaluation.end", "PE-3", "is before the start 2026-01-01"),
    ("an end that is not the period's",
     lambda a: a.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED, end=D(2026, 12, 30)),
     aecore.ValidationError, ValueError, "evaluation.end", "PE-3", "period starting 2026-01-01 ends on 2026-12-31"),
]


@pytest.mark.parametrize(("case", "action", "error", "builtin", "field", "rule", "text"), START_REFUSALS,
                         ids=[c[0] for c in START_REFUSALS])
def test_evaluate_refusals_leave_the_agency_unchanged(agency: aecore.Agency, unchanged, case: str, action: Refusal,
                                                      error: type, builtin: type, field: str, rule: str,
                                                      text: str) -> None:
    with unchanged(agency), pytest.raises(error) as ei:
        action(agency)
    assert_error(ei.value, error, builtin, field, rule)
    assert text in str(ei.value)
    assert agency.evaluations == []
    # The refusal used no id: the next evaluation is still EV0001.
    assert agency.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED).id == "EV0001"


# ====================================================================== PE-1 / PE-3 scores


def test_scores_are_kept_in_rubric_order_and_replaced(flow: aecore.Agency) -> None:
    ev = flow.get_evaluation("EV0001")
    assert ev.score("money_mindedness", 2, "see the DSO") is not None
    ev.score("client_business", 5)
    ev.score("market_knowledge", 3)  # replaces the 4, and its comment
    assert [(s.criterion, s.score, s.comment) for s in ev.scores] == [
        ("market_knowledge", 3, ""), ("client_business", 5, ""), ("money_mindedness", 2, "see the DSO")]
    assert [repr(s) for s in ev.scores][::2] == [
        "CriterionScore(criterion='market_knowledge', score=3)",
        "CriterionScore(criterion='money_mindedness', score=2, comment='see the DSO')"]
    assert ev.missing == [c for c in AS_IDS if c not in ("market_knowledge", "client_business", "money_mindedness")]
    assert ev.weighted_score is None and ev.rating is None  # not every weighted criterion is scored
    for score in (1, 5):  # the bounds of the scale
        assert ev.score("meetings", score) == ev
        assert {s.criterion: s.score for s in ev.scores}["meetings"] == score


def test_a_criterion_weighted_0_for_the_title_is_not_assessed(flow: aecore.Agency, unchanged) -> None:
    ev = flow.evaluate(AAE_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED)
    assert ev.title == Title.AAE
    assert "training_juniors" not in ev.missing and len(ev.missing) == 20
    with unchanged(flow), pytest.raises(aecore.ValidationError) as ei:
        ev.score("training_juniors", 3)
    assert_error(ei.value, aecore.ValidationError, ValueError, "score.criterion", "PE-1")
    assert "is weighted 0 for AAE in rubric account-service: it is not assessed" in str(ei.value)
    assert "training_juniors" not in ev.to_dataframe().index
    # Every other criterion scored 3: the AAE's weights (summing to 100) give exactly 3.00.
    for c in ev.missing:
        ev.score(c, 3)
    assert (ev.missing, ev.weighted_score, ev.rating) == ([], Decimal("3.00"), R.MEETS)


SCORE_REFUSALS: list[tuple[str, Refusal, type, type, str, str, str]] = [
    ("score 0", lambda a: a.get_evaluation("EV0001").score("meetings", 0),
     aecore.ValidationError, ValueError, "score.score", "PE-1", "a score is 1 (unsatisfactory) to 5 (outstanding)"),
    ("score 6", lambda a: a.get_evaluation("EV0001").score("meetings", 6),
     aecore.ValidationError, ValueError, "score.score", "PE-1", "score.score = 6"),
    ("score -1", lambda a: a.get_evaluation("EV0001").score("market_knowledge", -1),
     aecore.ValidationError, ValueError, "score.score", "PE-1", "score.score = -1"),
    ("a criterion of another rubric", lambda a: a.get_evaluation("EV0001").score("analysis", 3),
     aecore.NotFoundError, KeyError, "score.criterion", "PE-1", "is not a criterion of rubric account-service"),
    ("an unknown criterion", lambda a: a.get_evaluation("EV0001").score("charisma", 3),
     aecore.NotFoundError, KeyError, "score.criterion", "PE-1", '"charisma"'),
    ("a comment too long", lambda a: a.get_evaluation("EV0001").score("meetings", 3, "x" * 4001),
     aecore.ValidationError, ValueError, "score.comment", "PE-3", "at most 4000 bytes"),
    ("an unknown evaluation", lambda a: a.get_evaluation("EV0009"),
     aecore.NotFoundError, KeyError, "evaluation", "PE-3", "no such evaluation"),
]


@pytest.mark.parametrize(("case", "action", "error", "builtin", "field", "rule", "text"), SCORE_REFUSALS,
                         ids=[c[0] for c in SCORE_REFUSALS])
def test_score_refusals_leave_the_agency_unchanged(flow: aecore.Agency, unchanged, case: str, action: Refusal,
                                                   error: type, builtin: type, field: str, rule: str,
                                                   text: str) -> None:
    with unchanged(flow), pytest.raises(error) as ei:
        action(flow)
    assert_error(ei.value, error, builtin, field, rule)
    assert text in str(ei.value)
    assert [(s.criterion, s.score) for s in flow.get_evaluation("EV0001").scores] == [("market_knowledge", 4)]


def test_a_score_must_be_an_integer(flow: aecore.Agency, unchanged) -> None:
    ev = flow.get_evaluation("EV0001")
    for bad in (3.0, 3.5, "3", None):
        with unchanged(flow), pytest.raises(TypeError):
            ev.score("meetings", bad)


@pytest.mark.parametrize("bad", [Decimal("3.7"), Decimal("4.5"), True], ids=["decimal-3.7", "decimal-4.5", "bool"])
def test_a_fractional_or_boolean_score_is_refused_not_truncated(flow: aecore.Agency, unchanged, bad: Any) -> None:
    # PE-1: scores are integers 1-5. A float is refused; a Decimal("3.7") must not quietly
    # become a 3, nor True a 1.
    ev = flow.get_evaluation("EV0001")
    with unchanged(flow), pytest.raises((TypeError, aecore.ValidationError)):
        ev.score("meetings", bad)


# ====================================================================== PE-3 the workflow


def test_workflow_with_reviewers(flow: aecore.Agency) -> None:
    ev = flow.get_evaluation("EV0001")
    for c in AS_IDS:
        ev.score(c, 3)
    returned = ev.advance(S.SHARED_WITH_EVALUATEE, actor=AM_ID, at=CREATED, note="sent")  # at == created_at is fine
    assert returned == ev and returned.status == S.SHARED_WITH_EVALUATEE
    ev.advance(S.DISCUSSED, actor=AE1_ID, at=T(2026, 12, 10, 15, 0))  # the evaluatee may record the discussion
    ev.advance(S.REVIEWED, actor=AD_ID, at=T(2026, 12, 11, 9, 0))  # a reviewer
    ev.advance(S.FINALIZED, actor=AD_ID, at=T(2026, 12, 11, 9, 0), note="calibrated")  # ... or the evaluator
    assert ev.status == S.FINALIZED
    assert [(h.from_status, h.to_status, h.at, h.actor, h.note) for h in ev.history] == [
        (S.DRAFT, S.SHARED_WITH_EVALUATEE, CREATED, AM_ID, "sent"),
        (S.SHARED_WITH_EVALUATEE, S.DISCUSSED, T(2026, 12, 10, 15, 0), AE1_ID, ""),
        (S.DISCUSSED, S.REVIEWED, T(2026, 12, 11, 9, 0), AD_ID, ""),
        (S.REVIEWED, S.FINALIZED, T(2026, 12, 11, 9, 0), AD_ID, "calibrated"),
    ]
    assert repr(ev.history[0]) == ("EvaluationStep(from_status=DRAFT, to_status=SHARED_WITH_EVALUATEE, "
                                   "at=2026-01-05T09:00, actor='S0002')")


def test_workflow_without_reviewers_is_reviewed_by_the_evaluators_manager(flow: aecore.Agency) -> None:
    done = flow.get_evaluation("EV0002")
    assert done.reviewers == [] and done.status == S.FINALIZED
    assert [(h.to_status, h.actor) for h in done.history] == [
        (S.SHARED_WITH_EVALUATEE, AM_ID), (S.DISCUSSED, AE2_ID), (S.REVIEWED, AD_ID), (S.FINALIZED, AM_ID)]


def _at(step: int) -> dt.datetime:
    return T(2026, 6, 1, 9, 0) + dt.timedelta(days=step)


def _to_status(agency: aecore.Agency, status: aecore.EvaluationStatus) -> aecore.Evaluation:
    """EV0001 (reviewer S0001) fully scored, advanced to `status` by the proper actors."""
    ev = agency.get_evaluation("EV0001")
    for c in AS_IDS:
        ev.score(c, 3)
    actors = {S.SHARED_WITH_EVALUATEE: AM_ID, S.DISCUSSED: AM_ID, S.REVIEWED: AD_ID, S.FINALIZED: AM_ID}
    for step in list(S)[1:list(S).index(status) + 1]:
        ev.advance(step, actor=actors[step], at=_at(step.value))
    assert ev.status == status
    return ev


WORKFLOW_REFUSALS: list[tuple[str, Any, Any, str, Any, type, type, str, str]] = [
    # (case, status now, to, actor, at, error, builtin, field, text)
    ("skipping a step", S.DRAFT, S.DISCUSSED, AM_ID, _at(1), aecore.StateError, RuntimeError, "evaluation.status",
     "evaluation EV0001 is Draft; the next step is SharedWithEvaluatee"),
    ("back to Draft", S.SHARED_WITH_EVALUATEE, S.DRAFT, AM_ID, _at(2), aecore.StateError, RuntimeError,
     "evaluation.status", "the next step is Discussed"),
    ("the same step again", S.DISCUSSED, S.DISCUSSED, AM_ID, _at(3), aecore.StateError, RuntimeError,
     "evaluation.status", "evaluation EV0001 is Discussed; the next step is Reviewed"),
    ("the evaluatee shares it", S.DRAFT, S.SHARED_WITH_EVALUATEE, AE1_ID, _at(1), aecore.ValidationError, ValueError,
     "evaluation.actor", "may not move evaluation EV0001 to SharedWithEvaluatee; that is for the evaluator S0002"),
    ("the reviewer shares it", S.DRAFT, S.SHARED_WITH_EVALUATEE, AD_ID, _at(1), aecore.ValidationError, ValueError,
     "evaluation.actor", "that is for the evaluator S0002"),
    ("a reviewer records the discussion", S.SHARED_WITH_EVALUATEE, S.DISCUSSED, AD_ID, _at(2), aecore.ValidationError,
     ValueError, "evaluation.actor", "that is for the evaluator or the evaluatee"),
    ("the evaluator reviews it", S.DISCUSSED, S.REVIEWED, AM_ID, _at(3), aecore.ValidationError, ValueError,
     "evaluation.actor", "that is for a reviewer"),
    ("the evaluatee reviews it", S.DISCUSSED, S.REVIEWED, AE1_ID, _at(3), aecore.ValidationError, ValueError,
     "evaluation.actor", "that is for a reviewer"),
    ("the evaluatee finalizes it", S.REVIEWED, S.FINALIZED, AE1_ID, _at(4), aecore.ValidationError, ValueError,
     "evaluation.actor", "that is for the evaluator or a reviewer"),
    ("an unknown actor", S.DRAFT, S.SHARED_WITH_EVALUATEE, "S0099", _at(1), aecore.NotFoundError, KeyError,
     "evaluation.actor", "no such staff member"),
    ("a step before the previous one", S.SHARED_WITH_EVALUATEE, S.DISCUSSED, AM_ID, _at(1) - dt.timedelta(minutes=1),
     aecore.ValidationError, ValueError, "evaluation.at", "is before the previous step (2026-06-02T09:00:00)"),
    ("a first step before the evaluation was created", S.DRAFT, S.SHARED_WITH_EVALUATEE, AM_ID,
     CREATED - dt.timedelta(seconds=1), aecore.ValidationError, ValueError, "evaluation.at",
     "is before the previous step (2026-01-05T09:00:00)"),
]


@pytest.mark.parametrize(("case", "now", "to", "actor", "at", "error", "builtin", "field", "text"), WORKFLOW_REFUSALS,
                         ids=[c[0] for c in WORKFLOW_REFUSALS])
def test_workflow_order_and_actors(flow: aecore.Agency, unchanged, case: str, now: Any, to: Any, actor: str,
                                   at: dt.datetime, error: type, builtin: type, field: str, text: str) -> None:
    ev = _to_status(flow, now)
    with unchanged(flow), pytest.raises(error) as ei:
        ev.advance(to, actor=actor, at=at)
    assert_error(ei.value, error, builtin, field, "PE-3")
    assert text in str(ei.value)
    assert ev.status == now


def test_finalizing_needs_every_weighted_criterion_scored(flow: aecore.Agency, unchanged) -> None:
    ev = flow.get_evaluation("EV0001")
    for c in AS_IDS[:-2]:  # training_juniors and money_mindedness are left
        ev.score(c, 4)
    ev.advance(S.SHARED_WITH_EVALUATEE, actor=AM_ID, at=_at(1))  # sharing, discussing and reviewing may come first
    ev.advance(S.DISCUSSED, actor=AE1_ID, at=_at(2))
    ev.advance(S.REVIEWED, actor=AD_ID, at=_at(3))
    with unchanged(flow), pytest.raises(aecore.StateError) as ei:
        ev.advance(S.FINALIZED, actor=AM_ID, at=_at(4))
    assert_error(ei.value, aecore.StateError, RuntimeError, "evaluation.scores", "PE-3")
    assert ei.value.value == "2 missing"
    assert ("evaluation EV0001 cannot be finalized before every weighted criterion is scored: "
            "training_juniors, money_mindedness") in str(ei.value)
    ev.score("training_juniors", 4)
    with unchanged(flow), pytest.raises(aecore.StateError) as ei:
        ev.advance(S.FINALIZED, actor=AD_ID, at=_at(4))
    assert ei.value.value == "1 missing"
    ev.score("money_mindedness", 4)
    assert ev.advance(S.FINALIZED, actor=AD_ID, at=_at(4)).status == S.FINALIZED
    assert (ev.weighted_score, ev.rating) == (Decimal("4.00"), R.EXCEEDS)


FINALIZED_EDITS: list[tuple[str, Callable[[aecore.Evaluation], Any]]] = [
    ("score", lambda e: e.score("c1", 4)),
    ("re-score with the same value", lambda e: e.score("c1", 3)),
    ("evaluatee comments", lambda e: setattr(e, "evaluatee_comments", "I disagree")),
    ("KPIs", lambda e: e.set_kpis([Kpi("billings", weight=1, achievement="1.1")])),
    ("clearing KPIs", lambda e: e.set_kpis([])),
    ("advance", lambda e: e.advance(S.FINALIZED, actor=AM_ID, at=T(2026, 5, 1))),
    ("back to Draft", lambda e: e.advance(S.DRAFT, actor=AM_ID, at=T(2026, 5, 1))),
]


@pytest.mark.parametrize(("case", "edit"), FINALIZED_EDITS, ids=[c[0] for c in FINALIZED_EDITS])
def test_a_finalized_evaluation_is_immutable(flow: aecore.Agency, unchanged, case: str,
                                             edit: Callable[[aecore.Evaluation], Any]) -> None:
    done = flow.get_evaluation("EV0002")
    with unchanged(flow), pytest.raises(aecore.StateError) as ei:
        edit(done)
    assert_error(ei.value, aecore.StateError, RuntimeError, "evaluation.status", "PE-3")
    assert ei.value.value == "Finalized"
    assert "evaluation EV0002 is finalized and can no longer change" in str(ei.value)
    assert (done.weighted_score, done.status) == (Decimal("3.00"), S.FINALIZED)


def test_evaluatee_comments_until_finalized(flow: aecore.Agency, unchanged) -> None:
    ev = flow.get_evaluation("EV0001")
    ev.evaluatee_comments = "Fair; I want media training."  # allowed in any status before Finalized
    assert ev.evaluatee_comments == "Fair; I want media training."
    ev.evaluatee_comments = ""
    assert ev.evaluatee_comments == ""
    with unchanged(flow), pytest.raises(aecore.ValidationError) as ei:
        ev.evaluatee_comments = "x" * 20001
    assert_error(ei.value, aecore.ValidationError, ValueError, "evaluation.evaluatee_comments", "PE-3")


def test_an_evaluation_accepted_by_evaluate_can_be_finalized(agency: aecore.Agency) -> None:
    # PE-3: the workflow leads to Finalized. Li Wei (AM) reports to Chen Jing (AD), who has
    # no manager; with no reviewers, Reviewed is "for the evaluator's manager" — nobody.
    # Either evaluate() should refuse (ask for a reviewer) or someone must be able to review.
    try:
        ev = agency.evaluate(AM_ID, evaluator=AD_ID, start=D(2026, 1, 1), created_at=CREATED)
    except aecore.ValidationError as e:
        assert e.field == "evaluation.reviewers"
        return
    ev.advance(S.SHARED_WITH_EVALUATEE, actor=AD_ID, at=_at(1))
    ev.advance(S.DISCUSSED, actor=AM_ID, at=_at(2))
    can_review = []
    for person in agency.staff:
        trial = copy.deepcopy(agency)
        try:
            trial.get_evaluation(ev.id).advance(S.REVIEWED, actor=person.id, at=_at(3))
        except aecore.ValidationError:
            continue
        can_review.append(person.id)
    assert can_review, "evaluation EV0001 can never be reviewed, so never finalized"


# ====================================================================== PE-4 weighted score and rating


def test_weighted_score_by_hand(agency: aecore.Agency) -> None:
    ev = agency.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 1, 1), created_at=CREATED)
    scores = {c: 1 + i % 5 for i, c in enumerate(AS_IDS)}  # 1, 2, 3, 4, 5, 1, 2, ...
    for c, s in scores.items():
        ev.score(c, s)
    # Σ score × AE weight / 100:
    #  1·4 + 2·6 + 3·5 + 4·5 + 5·4 + 1·5 + 2·6 + 3·2 + 4·5 + 5·7 + 1·5 + 2·5 + 3·6 + 4·5 + 5·5
    #  + 1·3 + 2·6 + 3·4 + 4·6 + 5·2 + 1·4 = 292 → 2.92
    assert sum(s * AE_WEIGHT[c] for c, s in scores.items()) == 292
    assert ev.weighted_score == Decimal("2.92")
    assert str(ev.weighted_score) == "2.92"
    assert ev.rating == R.MEETS
    for c in AS_IDS:
        ev.score(c, 5)
    assert (ev.weighted_score, ev.rating) == (Decimal("5.00"), R.OUTSTANDING)
    for c in AS_IDS:
        ev.score(c, 1)
    assert (ev.weighted_score, ev.rating) == (Decimal("1.00"), R.UNSATISFACTORY)


@pytest.mark.parametrize(
    ("scores", "expected", "rating"),
    [
        ((1, 1, 1, 1, 1), "1.00", R.UNSATISFACTORY),
        ((2, 2, 2, 2, 1), "1.99", R.UNSATISFACTORY),  # 1.50 + 0.48 + 0.01
        ((2, 2, 2, 2, 2), "2.00", R.NEEDS_IMPROVEMENT),
        ((3, 3, 3, 2, 1), "2.74", R.NEEDS_IMPROVEMENT),  # 2.25 + 0.48 + 0.01
        ((3, 3, 3, 2, 2), "2.75", R.MEETS),
        ((4, 4, 4, 3, 2), "3.74", R.MEETS),  # 3.00 + 0.72 + 0.02
        ((4, 4, 4, 3, 3), "3.75", R.EXCEEDS),
        ((5, 5, 5, 3, 2), "4.49", R.EXCEEDS),  # 3.75 + 0.72 + 0.02
        ((5, 5, 5, 3, 3), "4.50", R.OUTSTANDING),
        ((5, 5, 5, 5, 5), "5.00", R.OUTSTANDING),
    ],
)
def test_rating_bands_at_their_bounds(agency: aecore.Agency, scores: tuple[int, int, int, int, int], expected: str,
                                      rating: aecore.Rating) -> None:
    ev = score_fine(fine_eval(agency), scores)
    assert ev.weighted_score == Decimal(expected)
    assert ev.rating == rating


def test_rating_bands_come_from_the_policy(agency: aecore.Agency, unchanged, json_path) -> None:
    assert agency.policy.rating_bands == (Decimal("2.0"), Decimal("2.75"), Decimal("3.75"), Decimal("4.5"))
    two = score_fine(fine_eval(agency), (2, 2, 2, 2, 2))  # 2.00
    high = score_fine(fine_eval(agency, AE2_ID), (5, 5, 5, 3, 2))  # 4.49
    assert (two.rating, high.rating) == (R.NEEDS_IMPROVEMENT, R.EXCEEDS)
    agency.policy.rating_bands = ("1.5", "2", Decimal("3"), 4)
    assert agency.policy.rating_bands == (Decimal("1.5"), Decimal("2"), Decimal("3"), Decimal("4"))
    # The same evaluations, read again, fall in the new bands; the scores do not change.
    assert (two.weighted_score, two.rating) == (Decimal("2.00"), R.MEETS)
    assert (high.weighted_score, high.rating) == (Decimal("4.49"), R.OUTSTANDING)
    assert agency.evaluations_frame()["rating"].tolist() == ["MEETS", "OUTSTANDING"]
    agency.save(json_path)
    loaded = aecore.Agency.load(json_path)
    assert loaded.policy.rating_bands == agency.policy.rating_bands
    assert [e.rating for e in loaded.evaluations] == [R.MEETS, R.OUTSTANDING]
    agency.policy = aecore.Policy()
    assert (two.rating, high.rating) == (R.NEEDS_IMPROVEMENT, R.EXCEEDS)


@pytest.mark.parametrize(
    "bands",
    [("2.0", "2.0", "3", "4"), ("1", "2", "3", "4"), ("2", "3", "4", "5.01"), ("3", "2", "4", "4.5"),
     ("0.5", "2", "3", "4")],
    ids=["not-increasing", "first-at-1", "last-above-5", "decreasing", "below-1"],
)
def test_rating_bands_must_increase_within_1_and_5(agency: aecore.Agency, unchanged, bands: tuple[str, ...]) -> None:
    with unchanged(agency), pytest.raises(aecore.ValidationError) as ei:
        agency.policy.rating_bands = bands
    assert_error(ei.value, aecore.ValidationError, ValueError, "policy.rating_bands", "PE-4")
    assert "bounds must increase strictly within (1, 5]" in str(ei.value)


def test_rating_bands_refuse_floats(agency: aecore.Agency, unchanged) -> None:
    with unchanged(agency), pytest.raises(TypeError):
        agency.policy.rating_bands = (2.0, 2.75, 3.75, 4.5)
    agency.policy.rating_bands = ("2", "3", "4", "5")  # the last bound may be 5: only 5.00 is outstanding
    assert agency.policy.rating_bands[-1] == 5


# ====================================================================== PE-6 KPI composite


def test_kpi_composite_is_exact() -> None:
    kpis = [Kpi("billings vs target", weight="0.5", achievement="0.92"),
            Kpi("client satisfaction", weight=Decimal("0.3"), achievement="1.05"),
            Kpi("collection", weight="0.2", achievement="0.80")]
    # 0.5 × 0.92 + 0.3 × 1.05 + 0.2 × 0.80 = 0.46 + 0.315 + 0.16 = 0.935
    assert aecore.kpi_composite(kpis) == Decimal("0.935")
    assert str(aecore.kpi_composite(kpis)) == "0.9350"
    assert aecore.kpi_composite([Kpi("all", weight=1, achievement=1)]) == Decimal("1.0000")
    assert aecore.kpi_composite([Kpi("all", weight=1, achievement="100")]) == Decimal(100)
    assert aecore.kpi_composite([Kpi("a", weight="0.25", achievement=0), Kpi("b", weight="0.75", achievement=2)]) == \
        Decimal("1.5")
    # Weights with 18 decimals summing to exactly 1: 3 × 0.333333333333333334 = 1.000000000000000002.
    thirds = [Kpi("a", weight="0.333333333333333334", achievement=3),
              Kpi("b", weight="0.333333333333333333", achievement=0),
              Kpi("c", weight="0.333333333333333333", achievement=0)]
    assert aecore.kpi_composite(thirds) == Decimal("1.0000")
    k = kpis[1]
    assert (k.name, k.weight, k.achievement) == ("client satisfaction", Decimal("0.3"), Decimal("1.05"))
    assert k == Kpi("client satisfaction", weight="0.30", achievement="1.050") and k != kpis[0]
    assert repr(k) == "Kpi(name='client satisfaction', weight=0.3, achievement=1.05)"


@pytest.mark.parametrize(("achievement", "composite"),
                         [("0.12345", "0.1234"), ("0.12355", "0.1236"), ("0.123451", "0.1235"), ("0.12344", "0.1234")])
def test_kpi_composite_keeps_4_decimals_rounding_half_to_even(achievement: str, composite: str) -> None:
    assert str(aecore.kpi_composite([Kpi("a", weight=1, achievement=achievement)])) == composite


@pytest.mark.parametrize(
    ("kpis", "field", "value"),
    [
        ([("a", "0.5", "1"), ("b", "0.4", "1")], "kpis.weights", "0.9"),
        ([("a", "0.6", "1"), ("b", "0.5", "1")], "kpis.weights", "1.1"),
        ([("a", "0.5", "1")], "kpis.weights", "0.5"),
        ([("a", "1.5", "1"), ("b", "-0.5", "1")], "kpi.weight", "1.5"),
        ([("a", "-0.5", "1"), ("b", "1.5", "1")], "kpi.weight", "-0.5"),
        ([("a", "1", "-0.1")], "kpi.achievement", "-0.1"),
        ([("a", "1", "100.01")], "kpi.achievement", "100.01"),
        ([("a", "0.5", "1"), ("a", "0.5", "1")], "kpi.name", '"a"'),
        ([("", "1", "1")], "kpi.name", '""'),
        ([], "kpis", "[]"),
    ],
)
def test_kpi_composite_refusals(flow: aecore.Agency, unchanged, kpis: list[tuple[str, str, str]], field: str,
                                value: str) -> None:
    values = [Kpi(n, weight=w, achievement=a) for n, w, a in kpis]
    with pytest.raises(aecore.ValidationError) as ei:
        aecore.kpi_composite(values)
    assert_error(ei.value, aecore.ValidationError, ValueError, field, "PE-6")
    assert ei.value.value == value
    if values:  # an evaluation refuses the same KPIs (an empty list clears them)
        ev = flow.get_evaluation("EV0001")
        with unchanged(flow), pytest.raises(aecore.ValidationError) as ei:
            ev.set_kpis(values)
        assert_error(ei.value, aecore.ValidationError, ValueError, field, "PE-6")
        assert ev.kpis == []


def test_kpi_weight_sum_error_names_the_exact_sum() -> None:
    # 3 × 0.333333333333333333 = 0.999999999999999999: refused (not exactly 1), and the
    # message must not claim the weights "sum to 1".
    kpis = [Kpi(n, weight="0.333333333333333333", achievement=1) for n in "abc"]
    with pytest.raises(aecore.ValidationError) as ei:
        aecore.kpi_composite(kpis)
    assert_error(ei.value, aecore.ValidationError, ValueError, "kpis.weights", "PE-6")
    assert ei.value.value == "0.999999999999999999", str(ei.value)


def test_kpi_weights_must_be_exact() -> None:
    with pytest.raises(TypeError):
        Kpi("a", weight=0.5, achievement=1)
    with pytest.raises(TypeError):
        Kpi("a", weight="0.5", achievement=0.9)


def test_evaluation_kpis(flow: aecore.Agency) -> None:
    ev = flow.get_evaluation("EV0001")
    kpis = [Kpi("billings", weight="0.6", achievement="1.10"), Kpi("satisfaction", weight="0.4", achievement="0.85")]
    # 0.6 × 1.10 + 0.4 × 0.85 = 0.66 + 0.34 = 1.00
    assert ev.set_kpis(kpis).kpi_composite == Decimal("1.0000")
    assert ev.kpis == kpis
    assert flow.get_evaluation("EV0001").kpi_composite == Decimal("1.0000")
    ev.set_kpis([Kpi("billings", weight=1, achievement="0.875")])
    assert ev.kpi_composite == Decimal("0.875")
    assert ev.set_kpis([]).kpi_composite is None and ev.kpis == []
    assert ev.weighted_score is None  # KPIs do not score the rubric


# ====================================================================== PE-5 evidence


ACTIVITIES_START = D(2026, 6, 1)  # a Monday; the evidence period is June 2026
EVAL_END = D(2026, 6, 30)  # a Tuesday


def brief() -> aecore.Brief:
    return aecore.Brief(objective="shelf stand-out", target_audience="shoppers", key_message="new look",
                        mandatories="logo", deliverables=[aecore.Deliverable("POS", "wobbler")],
                        budget=aecore.Money("40000", "CNY"))


def build_evidence_book() -> aecore.Agency:
    """The `book` agency (default calendar: Saturday and Sunday off, no holidays) with a
    June 2026 of Wang Fang's (S0003, AE of the home client HOME_CODE, cadence 1 business
    day) work, and an AdHoc evaluation EV0001 of her by Li Wei for 2026-06-01..06-30:

    Activities with the home client (all count as contacts, CL-4):
        Fri 05-29 10:00 call                          (before the period)
        Mon 06-01 10:00 meeting    report 06-02 09:00 (within 48 h)
        Wed 06-03 15:00 important call, report 06-05 16:00 (48 h ended 06-05 15:00: late)
        Wed 06-10 11:00 visit      no report
        Fri 06-12 16:00 call       (needs no report)
        Mon 06-29 14:00 meeting    report 06-29 18:00 (its 48 h end after the period)
    Weekly status reports (AS-3, due by the end of the next Monday):
        week of 06-01 on 06-08 17:00 (on time), 06-08 on 06-16 09:00 (late), 06-15 none,
        06-22 on 06-29 08:00 (on time)
    Production tickets (brief complete), opened 05-25, client-approved:
        PD-202605-01 home, deadline 06-12 17:00, approved 06-10 16:00, 1 change request
        PD-202605-02 home, deadline 06-18 17:00, approved 06-19 10:00, 2 change requests
        PD-202605-03 home, deadline 06-24 17:00, approved 06-24 17:00 (at the deadline), none
        PD-202605-04 away client (not hers), approved 06-15, 3 change requests
        PD-202605-05 home, deadline 07-03 17:00, approved 07-02 (after the period), 1 request
    Estimates (client-approved) and vendor costs:
        -01 CNY 10,000 (05-26), cost 12,000 on 06-05 (over)
        -02 CNY 20,000 (05-26), cost 20,000 on 06-05 (not over), +1 on 07-03
        -03 CNY 5,000 approved 07-05 (after the period)
        -05 CNY 1,000 (05-26), cost 500 on 06-06
        -04 (away) CNY 1,000, cost 5,000
    Invoices and payments:
        INV-A home 05-15 CNY 100,000 (due 06-14), paid 30,000 on 05-20 and 50,000 on 06-10
        INV-B home 06-05 CNY 200,000, paid in full on 06-25
        INV-C home 06-20 CNY 80,000, paid on 07-03
        INV-D away 06-05 CNY 500,000 (not hers)"""
    A, K, TS = aecore.ActivityKind, aecore.ReportKind, aecore.TicketStatus
    a = build_book()
    a.add_brand(HOME_CODE, "Harvest Gold")
    a.add_brand(AWAY_CODE, "Panda")

    def act(kind: aecore.ActivityKind, when: dt.datetime, important: bool = False) -> aecore.Activity:
        return a.log_activity(HOME_CODE, kind, when, AE1_ID, contacts=["K01"], important=important)

    act(A.CALL, T(2026, 5, 29, 10, 0))
    meeting = act(A.MEETING, T(2026, 6, 1, 10, 0))
    a.add_contact_report(meeting.id, written_at=T(2026, 6, 2, 9, 0), author=AE1_ID, summary="kick-off")
    call = act(A.CALL, T(2026, 6, 3, 15, 0), important=True)
    a.add_contact_report(call.id, written_at=T(2026, 6, 5, 16, 0), author=AE1_ID, summary="pricing")
    act(A.VISIT, T(2026, 6, 10, 11, 0))
    act(A.CALL, T(2026, 6, 12, 16, 0))
    last = act(A.MEETING, T(2026, 6, 29, 14, 0))
    a.add_contact_report(last.id, written_at=T(2026, 6, 29, 18, 0), author=AE1_ID, summary="H2 plan")
    for monday, submitted in [(D(2026, 6, 1), T(2026, 6, 8, 17, 0)), (D(2026, 6, 8), T(2026, 6, 16, 9, 0)),
                              (D(2026, 6, 22), T(2026, 6, 29, 8, 0))]:
        a.submit_status_report(K.WEEKLY, author=AE1_ID, period=monday, submitted_at=submitted)

    def deliver(client: str, brand: str, deadline: dt.datetime, approved: dt.datetime, rounds: int,
                issuer: str = AE1_ID) -> str:
        number = a.open_job(client, brand, department=aecore.Department.PRODUCTION, job_type=aecore.JobType.OTHER,
                            title="Shelf wobblers", client_deadline=deadline, issuer=issuer,
                            opened_at=T(2026, 5, 25, 9, 0), brief=brief()).number
        steps = [(TS.APPROVED, AM_ID), (TS.ISSUED, issuer), (TS.IN_PROGRESS, issuer), (TS.INTERNAL_REVIEW, issuer),
                 (TS.CLIENT_REVIEW, issuer)]
        steps += [(TS.IN_PROGRESS, issuer), (TS.INTERNAL_REVIEW, issuer), (TS.CLIENT_REVIEW, issuer)] * rounds
        for i, (to, who) in enumerate(steps):
            a.advance_job(number, to, actor=who, at=T(2026, 5, 25, 10, 0) + dt.timedelta(hours=i))
        a.advance_job(number, TS.CLIENT_APPROVED, actor=issuer, at=approved)
        return number

    j1 = deliver(HOME_CODE, "Harvest Gold", T(2026, 6, 12, 17, 0), T(2026, 6, 10, 16, 0), 1)
    j2 = deliver(HOME_CODE, "Harvest Gold", T(2026, 6, 18, 17, 0), T(2026, 6, 19, 10, 0), 2)
    j3 = deliver(HOME_CODE, "Harvest Gold", T(2026, 6, 24, 17, 0), T(2026, 6, 24, 17, 0), 0)
    j4 = deliver(AWAY_CODE, "Panda", T(2026, 6, 12, 17, 0), T(2026, 6, 15, 10, 0), 3, issuer=AE2_ID)
    j5 = deliver(HOME_CODE, "Harvest Gold", T(2026, 7, 3, 17, 0), T(2026, 7, 2, 10, 0), 1)
    assert [j1, j2, j3, j4, j5] == [f"PD-202605-0{i}" for i in range(1, 6)]

    def estimate(job: str, amount: str, approved: dt.datetime, by: str = AE1_ID) -> None:
        version = a.prepare_estimate(job, amount=amount, prepared_by=by, prepared_at=approved - dt.timedelta(hours=2))
        a.approve_estimate(job, version.version, contact="K01", at=approved)

    def cost(job: str, day: dt.date, amount: str, by: str = AE1_ID) -> None:
        a.record_cost(job, date=day, amount=amount, reference=f"vendor {job} {day}", recorded_by=by)

    estimate(j1, "10000", T(2026, 5, 26, 10, 0))
    cost(j1, D(2026, 6, 5), "12000")
    estimate(j2, "20000", T(2026, 5, 26, 11, 0))
    cost(j2, D(2026, 6, 5), "20000")
    cost(j2, D(2026, 7, 3), "1")
    estimate(j3, "5000", T(2026, 7, 5, 10, 0))
    estimate(j5, "1000", T(2026, 5, 26, 12, 0))
    cost(j5, D(2026, 6, 6), "500")
    estimate(j4, "1000", T(2026, 5, 26, 12, 0), by=AE2_ID)
    cost(j4, D(2026, 6, 6), "5000", by=AE2_ID)

    def invoice(number: str, client: str, day: dt.date, amount: str) -> None:
        a.issue_invoice(number, client=client, date=day, due=day + dt.timedelta(days=30), amount=amount,
                        recorded_by=AE1_ID)

    def pay(number: str, day: dt.date, amount: str) -> None:
        a.record_payment(number, date=day, amount=amount, recorded_by=AE1_ID)

    invoice("INV-A", HOME_CODE, D(2026, 5, 15), "100000")
    pay("INV-A", D(2026, 5, 20), "30000")
    pay("INV-A", D(2026, 6, 10), "50000")
    invoice("INV-B", HOME_CODE, D(2026, 6, 5), "200000")
    pay("INV-B", D(2026, 6, 25), "200000")
    invoice("INV-C", HOME_CODE, D(2026, 6, 20), "80000")
    pay("INV-C", D(2026, 7, 3), "80000")
    invoice("INV-D", AWAY_CODE, D(2026, 6, 5), "500000")
    ev = a.evaluate(AE1_ID, evaluator=AM_ID, start=ACTIVITIES_START, period=P.AD_HOC, end=EVAL_END,
                    created_at=T(2026, 7, 1, 9, 0))
    assert ev.id == "EV0001"
    return a


@pytest.fixture(scope="module")
def ebook_shared() -> aecore.Agency:
    return build_evidence_book()


@pytest.fixture
def ebook(ebook_shared: aecore.Agency) -> aecore.Agency:
    return copy.deepcopy(ebook_shared)


def metrics(items: list[aecore.EvidenceItem]) -> dict[aecore.EvidenceMetric, tuple[Any, int, int]]:
    return {i.metric: (i.value, i.numerator, i.denominator) for i in items}


# Full period, 2026-06-01..06-30.
FULL = {
    # due: the meeting of 06-01 and the call of 06-03 and the visit of 06-10; the meeting of
    # 06-29 is due 07-01 14:00, after the period. On time: only the 06-01 meeting. 1/3.
    M.CONTACT_REPORTS_ON_TIME: (Decimal("0.3333"), 1, 3),
    # Mondays 06-01, 06-08, 06-15, 06-22 (each next Monday is in the period; 06-29's is not):
    # on time 06-01 and 06-22. 2/4.
    M.WEEKLY_REPORTS_ON_TIME: (Decimal("0.5"), 2, 4),
    # Home tickets approved in June: -01 (on time), -02 (late), -03 (at the deadline: on time). 2/3.
    M.JOBS_ON_TIME: (Decimal("0.6667"), 2, 3),
    # Change requests on those three: 1 + 2 + 0 = 3 → 3/3 = 1.00 per ticket.
    M.REVISION_ROUNDS: (Decimal("1.00"), 3, 3),
    # Home jobs with an estimate approved by 06-30: -01, -02, -05; over it: -01 (12,000 > 10,000).
    M.ESTIMATE_OVERRUNS: (Decimal(1), 1, 3),
    # Open on 05-31: INV-A 100,000 - 30,000 = 70,000; billed in June: 200,000 + 80,000;
    # collected in June: 50,000 + 200,000. 250,000 / 350,000 = 0.714285… → 0.7143 (fen).
    M.COLLECTION_RATE: (Decimal("0.7143"), 25_000_000, 35_000_000),
    # Receivable on 06-30: INV-A 20,000 + INV-C 80,000 = 100,000; billed in the 90 days
    # 04-02..06-30: 100,000 + 200,000 + 80,000 = 380,000. 100,000 × 90 / 380,000 = 23.68… → 23.7.
    M.DSO: (Decimal("23.7"), 10_000_000, 38_000_000),
    # 22 business days; within the 1-business-day cadence: 06-01..04 (contacts 06-01, 06-03),
    # 06-10..12 and Monday 06-15 (contacts 06-10, 06-12), 06-29..30 (contact 06-29). 10/22.
    M.CONTACT_CADENCE: (Decimal("0.4545"), 10, 22),
}
# Truncated at Friday 2026-06-12.
TO_JUNE_12 = {
    M.CONTACT_REPORTS_ON_TIME: (Decimal("0.3333"), 1, 3),  # the visit's 48 h ended 06-12 11:00
    M.WEEKLY_REPORTS_ON_TIME: (Decimal(1), 1, 1),  # only the week of 06-01 is due (06-15 > 06-12)
    M.JOBS_ON_TIME: (Decimal(1), 1, 1),  # -01 only
    M.REVISION_ROUNDS: (Decimal("1.00"), 1, 1),
    M.ESTIMATE_OVERRUNS: (Decimal(1), 1, 3),  # the same jobs; -05's cost of 06-06 is 500
    # Open at the start 70,000 + billed 200,000; collected 50,000 → 0.185185… → 0.1852.
    M.COLLECTION_RATE: (Decimal("0.1852"), 5_000_000, 27_000_000),
    # Receivable 20,000 + 200,000 = 220,000 against 300,000 billed: 220 × 90 / 300 = 66.0.
    M.DSO: (Decimal("66.0"), 22_000_000, 30_000_000),
    M.CONTACT_CADENCE: (Decimal("0.7"), 7, 10),  # 06-01..04, 06-10..12 of 10 business days
}
# Truncated at Friday 2026-06-05.
TO_JUNE_5 = {
    M.CONTACT_REPORTS_ON_TIME: (Decimal("0.5"), 1, 2),  # the call's 48 h ended 06-05 15:00: due, late
    M.WEEKLY_REPORTS_ON_TIME: (None, 0, 0),  # no week whose report is due by 06-05
    M.JOBS_ON_TIME: (None, 0, 0),
    M.REVISION_ROUNDS: (None, 0, 0),
    M.ESTIMATE_OVERRUNS: (Decimal(1), 1, 3),  # -01's 12,000 was posted on 06-05
    M.COLLECTION_RATE: (Decimal(0), 0, 27_000_000),
    M.DSO: (Decimal("81.0"), 27_000_000, 30_000_000),  # 270 × 90 / 300
    M.CONTACT_CADENCE: (Decimal("0.8"), 4, 5),  # Friday 06-05 is overdue (last contact 06-03)
}


@pytest.mark.parametrize(("as_of", "expected"),
                         [(None, FULL), (EVAL_END, FULL), (D(2026, 7, 31), FULL), (D(2026, 6, 12), TO_JUNE_12),
                          (D(2026, 6, 5), TO_JUNE_5)],
                         ids=["period", "as-of-the-end", "as-of-after-the-end", "as-of-06-12", "as-of-06-05"])
def test_evidence_from_the_book(ebook: aecore.Agency, as_of: dt.date | None, expected: dict[Any, Any]) -> None:
    items = ebook.get_evaluation("EV0001").evidence(as_of)
    assert [i.metric for i in items] == METRICS
    got = metrics(items)
    for metric in METRICS:
        value, num, den = got[metric]
        want_value, want_num, want_den = expected[metric]
        assert (value, num, den) == (want_value, want_num, want_den), metric
        assert value is None or type(value) is Decimal
    # Every metric informs the account-service criteria that list it.
    assert {i.metric: i.criteria for i in items} == AS_CRITERIA


def test_evidence_details_are_readable(ebook: aecore.Agency) -> None:
    details = {i.metric: i.detail for i in ebook.get_evaluation("EV0001").evidence()}
    assert details == {
        M.CONTACT_REPORTS_ON_TIME: "1 of 3 contact reports written within 48 hours",
        M.WEEKLY_REPORTS_ON_TIME: "2 of 4 weekly status reports on time",
        M.JOBS_ON_TIME: "2 of 3 tickets delivered by the deadline",
        M.REVISION_ROUNDS: "3 client change requests on 3 delivered tickets",
        M.ESTIMATE_OVERRUNS: "1 of 3 estimated jobs over their estimate",
        M.COLLECTION_RATE: ("collected CNY 250,000.00 of CNY 70,000.00 open at the start plus CNY 280,000.00 billed "
                            "(71.43 %)"),
        M.DSO: "DSO 23.7 days: CNY 100,000.00 receivable against CNY 380,000.00 billed in 90 days",
        M.CONTACT_CADENCE: "10 of 22 client-days within the contact cadence",
    }
    item = ebook.get_evaluation("EV0001").evidence()[0]
    assert repr(item) == ("EvidenceItem(metric=CONTACT_REPORTS_ON_TIME, value=0.3333, "
                          "criteria=['internal_reporting', 'external_communication'])")


def test_agency_evidence_of_a_person_has_no_criteria(ebook: aecore.Agency) -> None:
    items = ebook.evidence(AE1_ID, ACTIVITIES_START, EVAL_END)
    assert [i.metric for i in items] == METRICS
    assert metrics(items) == {m: FULL[m] for m in METRICS}
    assert all(i.criteria == [] for i in items)
    assert metrics(ebook.evidence(AE1_ID, ACTIVITIES_START, D(2026, 6, 12))) == TO_JUNE_12
    # Zhang Lei owns the away client: none of Wang Fang's work counts for him. His ticket
    # -04 was client-approved 06-15, after its deadline of 06-12, with 3 change requests;
    # his job -04 is over its estimate; INV-D is open: 500,000 × 90 / 500,000 = 90.0 days.
    his = metrics(ebook.evidence(AE2_ID, ACTIVITIES_START, EVAL_END))
    assert his[M.CONTACT_REPORTS_ON_TIME] == (None, 0, 0)
    assert his[M.JOBS_ON_TIME] == (Decimal(0), 0, 1)
    assert his[M.REVISION_ROUNDS] == (Decimal("3.00"), 3, 1)
    assert his[M.ESTIMATE_OVERRUNS] == (Decimal(1), 1, 1)
    assert his[M.COLLECTION_RATE] == (Decimal(0), 0, 50_000_000)
    assert his[M.DSO] == (Decimal("90.0"), 50_000_000, 50_000_000)


def test_evidence_refusals(ebook: aecore.Agency) -> None:
    ev = ebook.get_evaluation("EV0001")
    with pytest.raises(aecore.ValidationError) as ei:
        ev.evidence(D(2026, 5, 31))
    assert_error(ei.value, aecore.ValidationError, ValueError, "as_of", "PE-5")
    assert "is before the evaluation period starts" in str(ei.value)
    with pytest.raises(aecore.ValidationError) as ei:
        ebook.evidence(AE1_ID, D(2026, 6, 30), D(2026, 6, 1))
    assert_error(ei.value, aecore.ValidationError, ValueError, "to", "PE-5")
    with pytest.raises(aecore.NotFoundError) as ei:
        ebook.evidence("S0099", D(2026, 6, 1), D(2026, 6, 30))
    assert isinstance(ei.value, KeyError)


def test_evidence_informs_only_criteria_weighted_for_the_title(ebook: aecore.Agency) -> None:
    # A rubric whose DSO criterion is weighted for an AE and whose on-time criterion only
    # for the others: Wang Fang (AE) gets the DSO only, and metrics informing nothing are left out.
    ebook.add_rubric(Rubric("mini", "Mini", [
        crit("cash", [0, 100, 0, 0], evidence=[M.DSO, M.COLLECTION_RATE]),
        crit("delivery", [100, 0, 100, 100], evidence=[M.JOBS_ON_TIME]),
    ]))
    ev = ebook.evaluate(AE1_ID, evaluator=AM_ID, start=ACTIVITIES_START, period=P.AD_HOC, end=EVAL_END,
                        rubric="mini", created_at=T(2026, 7, 1, 9, 0))
    items = ev.evidence()
    assert [(i.metric, i.criteria) for i in items] == [(M.COLLECTION_RATE, ["cash"]), (M.DSO, ["cash"])]
    assert metrics(items) == {M.COLLECTION_RATE: FULL[M.COLLECTION_RATE], M.DSO: FULL[M.DSO]}
    # The 5A rubric: each metric informs its 5A criteria.
    five = ebook.evaluate(AE1_ID, evaluator=AM_ID, start=ACTIVITIES_START, period=P.AD_HOC, end=EVAL_END,
                          rubric="5A", created_at=T(2026, 7, 1, 9, 0))
    assert {i.metric: i.criteria for i in five.evidence()} == {
        M.CONTACT_REPORTS_ON_TIME: ["attach"], M.WEEKLY_REPORTS_ON_TIME: ["attack"], M.JOBS_ON_TIME: ["attack"],
        M.REVISION_ROUNDS: ["approach"], M.ESTIMATE_OVERRUNS: ["account"], M.COLLECTION_RATE: ["account"],
        M.DSO: ["account"], M.CONTACT_CADENCE: ["attach"]}


def test_evidence_informs_but_does_not_score(ebook: aecore.Agency) -> None:
    ev = ebook.get_evaluation("EV0001")
    assert ev.scores == [] and ev.weighted_score is None
    ev.score("internal_reporting", 5, "reports improved in July")  # a person's judgement, whatever the metrics say
    assert ev.scores[0].score == 5


# ====================================================================== the live view


def test_an_evaluation_is_a_live_view(flow: aecore.Agency) -> None:
    first = flow.get_evaluation("EV0001")
    second = flow.get_evaluation("EV0001")
    listed = flow.evaluations[0]
    assert first == second == listed and first is not second
    assert hash(first) == hash(second) == hash(listed)
    assert len({first, second, listed}) == 1
    assert first != flow.get_evaluation("EV0002")
    assert first != "EV0001"
    # A change through one view shows in the others, and in the agency's document.
    second.score("meetings", 2, "late agendas")
    assert [(s.criterion, s.score) for s in first.scores] == [("market_knowledge", 4), ("meetings", 2)]
    assert json.loads(flow.to_json())["evaluations"][0]["scores"][1] == {
        "criterion": "meetings", "score": 2, "comment": "late agendas"}
    listed.evaluatee_comments = "noted"
    assert first.evaluatee_comments == "noted"
    first.advance(S.SHARED_WITH_EVALUATEE, actor=AM_ID, at=_at(1))
    assert (second.status, listed.status) == (S.SHARED_WITH_EVALUATEE, S.SHARED_WITH_EVALUATEE)
    assert first.agency is flow


def test_views_of_different_agencies_differ(flow: aecore.Agency) -> None:
    twin = copy.deepcopy(flow)
    mine, theirs = flow.get_evaluation("EV0001"), twin.get_evaluation("EV0001")
    assert mine != theirs
    theirs.score("meetings", 5)
    assert [s.criterion for s in mine.scores] == ["market_knowledge"]
    assert [s.criterion for s in theirs.scores] == ["market_knowledge", "meetings"]


def test_a_view_keeps_its_agency_alive() -> None:
    def make() -> aecore.Evaluation:
        return build_flow().get_evaluation("EV0002")

    view = make()
    gc.collect()
    assert view.weighted_score == Decimal("3.00")
    assert view.agency.name == "Sunrise Advertising"
    assert view.agency.get_evaluation("EV0002") == view


# ====================================================================== DataFrames, HTML, plot


def test_to_dataframe(ebook: aecore.Agency) -> None:
    ebook.add_rubric(Rubric("mini", "Mini", [
        Criterion("reporting", "Organisation", "Reporting", weights=[0, 60, 50, 50],
                  evidence=[M.CONTACT_REPORTS_ON_TIME, M.WEEKLY_REPORTS_ON_TIME]),
        Criterion("coaching", "Leadership", "Coaching", weights=[100, 0, 25, 25], evidence=[M.JOBS_ON_TIME]),
        Criterion("money", "Leadership", "Money & <cash>", weights=[0, "40", 25, 25], evidence=[M.DSO]),
    ]))
    ev = ebook.evaluate(AE1_ID, evaluator=AM_ID, start=ACTIVITIES_START, period=P.AD_HOC, end=EVAL_END,
                        rubric="mini", created_at=T(2026, 7, 1, 9, 0))
    ev.score("reporting", 3, "one report late")
    frame = ev.to_dataframe()
    assert list(frame.columns) == ["area", "name", "weight", "score", "weighted", "comment", "evidence"]
    assert frame.index.name == "criterion" and str(frame.index.dtype) == "string"
    assert list(frame.index) == ["reporting", "money"]  # coaching is weighted 0 for an AE
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "area": "string", "name": "string", "weight": "object", "score": "Int64", "weighted": "object",
        "comment": "string", "evidence": "string"}
    assert frame.loc["reporting", "weight"] == Decimal(60) and type(frame.loc["reporting", "weight"]) is Decimal
    assert frame.loc["money", "weight"] == Decimal(40)
    assert frame.loc["reporting", "score"] == 3 and frame.loc["money", "score"] is pd.NA
    assert frame.loc["reporting", "weighted"] == Decimal("1.8") and str(frame.loc["reporting", "weighted"]) == "1.8000"
    assert frame.loc["money", "weighted"] is None
    assert (frame.loc["reporting", "comment"], frame.loc["money", "comment"]) == ("one report late", "")
    assert frame.loc["reporting", "evidence"] == ("1 of 3 contact reports written within 48 hours; "
                                                  "2 of 4 weekly status reports on time")
    assert frame.loc["money", "evidence"] == ("DSO 23.7 days: CNY 100,000.00 receivable against CNY 380,000.00 "
                                              "billed in 90 days")
    assert (frame.loc["money", "area"], frame.loc["money", "name"]) == ("Leadership", "Money & <cash>")
    ev.score("money", 5)
    again = ev.to_dataframe()
    assert again["score"].tolist() == [3, 5]
    # 60 % × 3 + 40 % × 5 = 1.8 + 2.0 = 3.80; the weighted column sums to the score.
    assert sum(again["weighted"]) == ev.weighted_score == Decimal("3.80")


def test_repr_html(ebook: aecore.Agency) -> None:
    ebook.add_rubric(Rubric("mini", "Mini", [
        Criterion("reporting", "Organisation", "Reporting", weights=[0, 60, 50, 50],
                  evidence=[M.WEEKLY_REPORTS_ON_TIME]),
        Criterion("coaching", "Leadership", "Coaching", weights=[100, 0, 25, 25]),
        Criterion("money", "Leadership", "Money & <cash>", weights=[0, "40", 25, 25]),
    ]))
    ev = ebook.evaluate(AE1_ID, evaluator=AM_ID, start=ACTIVITIES_START, period=P.AD_HOC, end=EVAL_END,
                        rubric="mini", created_at=T(2026, 7, 1, 9, 0))
    ev.score("reporting", 4, "<b>solid</b>")
    page = ev._repr_html_()
    assert page.startswith("<p><b>Evaluation EV0002</b> of S0003 (AE) by S0002 &middot; AD_HOC 2026-06-01 to "
                           "2026-06-30 &middot; DRAFT &middot; weighted score not yet complete</p><table>")
    assert "<th>area</th><th>criterion</th><th>weight</th><th>score</th><th>comment</th><th>evidence</th>" in page
    assert ("<tr><td>Organisation</td><td>Reporting</td><td>60 %</td><td>4</td><td>&lt;b&gt;solid&lt;/b&gt;</td>"
            "<td>2 of 4 weekly status reports on time</td></tr>") in page
    assert ("<tr><td>Leadership</td><td>Money &amp; &lt;cash&gt;</td><td>40 %</td><td></td><td></td><td></td></tr>"
            in page)
    assert "Coaching" not in page  # weighted 0 for an AE
    assert "Evaluatee's comments" not in page
    ev.score("money", 2)
    ev.evaluatee_comments = "Cash came in <late> & slow"
    page = ev._repr_html_()
    # 60 % × 4 + 40 % × 2 = 2.40 + 0.80 = 3.20: meets.
    assert "weighted score 3.20 (meets)</p>" in page
    assert page.endswith("<p><i>Evaluatee's comments:</i> Cash came in &lt;late&gt; &amp; slow</p>")


def test_plot_returns_an_axes_of_area_averages(sample: aecore.Agency) -> None:
    wang = sample.get_evaluation("EV0001")
    ax = wang.plot()
    try:
        assert isinstance(ax, Axes)
        assert ax.get_xlim() == (0.0, 5.0)
        assert ax.get_title() == "EV0001: S0004 (ANNUAL 2026)"
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == ["Knowledge", "Organisation", "Communication", "Attitude", "Leadership"]
        widths = [p.get_width() for p in ax.patches]
        # Weight-averaged scores of Wang Fang's areas (AE weights; scores from samples.py):
        #   Knowledge     (4·3 + 6·4 + 5·4 + 5·3 + 4·3) / 24       = 83 / 24
        #   Organisation  (5·4 + 6·2 + 2·4 + 5·3 + 7·4 + 5·3 + 5·4) / 35 = 118 / 35
        #   Communication (6·4 + 5·3) / 11                      = 39 / 11
        #   Attitude      (5·5 + 3·3 + 6·4 + 4·3 + 6·5) / 24       = 100 / 24
        #   Leadership    (2·3 + 4·2) / 6                       = 14 / 6
        assert widths == pytest.approx([83 / 24, 118 / 35, 39 / 11, 100 / 24, 14 / 6])
    finally:
        plt.close(ax.figure)
    fig, given = plt.subplots()
    try:
        assert sample.get_evaluation("EV0003").plot(ax=given) is given
        # Liu Yang's 5A evaluation: analysis 4 and attach 3, both weighted 20 % → (80 + 60) / 40.
        assert [p.get_width() for p in given.patches] == pytest.approx([3.5])
    finally:
        plt.close(fig)


def test_evaluations_frame_and_its_filters(sample: aecore.Agency) -> None:
    frame = sample.evaluations_frame()
    assert list(frame.index) == ["EV0001", "EV0002", "EV0003"] and frame.index.name == "id"
    assert list(frame.columns) == ["evaluatee", "title", "evaluator", "rubric", "period", "start", "end", "status",
                                   "score", "rating", "kpi_composite"]
    assert {c: str(t) for c, t in frame.dtypes.items() if c not in ("start", "end")} == {
        "evaluatee": "string", "title": "category", "evaluator": "string", "rubric": "string", "period": "category",
        "status": "category", "score": "object", "rating": "category", "kpi_composite": "object"}
    assert pd.api.types.is_datetime64_any_dtype(frame["start"]) and pd.api.types.is_datetime64_any_dtype(frame["end"])
    assert list(frame["rating"].cat.categories) == [r.name for r in R]
    assert list(frame["status"].cat.categories) == [s.name for s in S]
    assert frame["evaluatee"].tolist() == ["S0004", "S0005", "S0006"]
    assert frame["rubric"].tolist() == ["account-service", "account-service", "5A"]
    assert frame["period"].tolist() == ["ANNUAL", "QUARTERLY", "QUARTERLY"]
    assert frame["status"].tolist() == ["DISCUSSED", "FINALIZED", "DRAFT"]
    assert frame["score"].tolist() == [Decimal("3.54"), Decimal("3.26"), None]
    assert frame["rating"].tolist()[:2] == ["MEETS", "MEETS"] and pd.isna(frame["rating"].iloc[2])
    assert frame["kpi_composite"].tolist() == [Decimal("0.9350"), None, None]
    assert frame.loc["EV0002", "end"] == pd.Timestamp("2026-09-30")
    assert list(sample.evaluations_frame(period=P.QUARTERLY).index) == ["EV0002", "EV0003"]
    assert list(sample.evaluations_frame(period=P.SEMI_ANNUAL).index) == []
    assert list(sample.evaluations_frame(start=D(2026, 10, 1)).index) == ["EV0001"]  # ends on or after
    assert list(sample.evaluations_frame(start=D(2026, 9, 30)).index) == ["EV0001", "EV0002", "EV0003"]
    assert list(sample.evaluations_frame(end=D(2026, 6, 30)).index) == ["EV0001"]  # starts on or before
    assert list(sample.evaluations_frame(end=D(2026, 7, 1), period=P.QUARTERLY).index) == ["EV0002", "EV0003"]
    empty = aecore.Agency().evaluations_frame()
    assert len(empty) == 0 and list(empty.columns) == list(frame.columns)


# ====================================================================== team view and calibration


def build_team() -> aecore.Agency:
    """The small agency plus Liu Yang (S0005, AE under the AM) and, on the `fine` rubric:

        EV0001  S0003 by S0002, Annual 2026, 3.00      EV0002  S0004 by S0002, Annual 2026, 3.50
        EV0003  S0005 by S0002, Annual 2026, 4.00      EV0004  S0002 by S0001, Annual 2026, 5.00
        EV0005  S0003 by S0002, Quarterly 2025-01-01..03-31, account-service, unscored"""
    agency = build_small_agency()
    agency.add_staff("Liu Yang", Title.AE, manager=AM_ID)
    score_fine(fine_eval(agency, AE1_ID), (3, 3, 3, 3, 3))
    score_fine(fine_eval(agency, AE2_ID), (4, 4, 3, 3, 3))  # 1.00 + 1.00 + 0.75 + 0.72 + 0.03
    score_fine(fine_eval(agency, "S0005"), (4, 4, 4, 4, 4))
    score_fine(fine_eval(agency, AM_ID, evaluator=AD_ID, reviewers=[AE2_ID]), (5, 5, 5, 5, 5))  # the AD has no manager: a reviewer is named
    agency.evaluate(AE1_ID, evaluator=AM_ID, start=D(2025, 1, 1), period=P.QUARTERLY, created_at=T(2025, 1, 2, 9, 0))
    return agency


def test_team_evaluations() -> None:
    team = build_team()
    rows = team.team_evaluations(AD_ID, D(2026, 1, 1), D(2026, 12, 31))
    assert [(r.evaluation, r.evaluatee, r.title, r.evaluator, r.status, r.score, r.rating) for r in rows] == [
        ("EV0001", AE1_ID, Title.AE, AM_ID, S.DRAFT, Decimal("3.00"), R.MEETS),
        ("EV0002", AE2_ID, Title.AE, AM_ID, S.DRAFT, Decimal("3.50"), R.MEETS),
        ("EV0003", "S0005", Title.AE, AM_ID, S.DRAFT, Decimal("4.00"), R.EXCEEDS),
        ("EV0004", AM_ID, Title.AM, AD_ID, S.DRAFT, Decimal("5.00"), R.OUTSTANDING),
    ]
    assert repr(rows[0]) == ("TeamEvaluationRow(evaluation='EV0001', evaluatee='S0003', status=DRAFT, score=3.00, "
                             "rating=MEETS)")
    # The `fine` rubric lists no metrics: no evidence informs it.
    assert all(r.evidence == [] for r in rows)
    # The AM's organisation: the AEs' evaluations of both years overlapping 2025-03..2026-01; not her own.
    mine = team.team_evaluations(AM_ID, D(2025, 3, 31), D(2026, 1, 1))
    assert [(r.evaluation, r.score, r.rating) for r in mine] == [
        ("EV0001", Decimal("3.00"), R.MEETS), ("EV0002", Decimal("3.50"), R.MEETS),
        ("EV0003", Decimal("4.00"), R.EXCEEDS), ("EV0005", None, None)]
    assert [r.evaluation for r in team.team_evaluations(AM_ID, D(2025, 4, 1), D(2025, 12, 31))] == []
    assert team.team_evaluations(AE1_ID, D(2025, 1, 1), D(2026, 12, 31)) == []  # nobody reports to an AE
    with pytest.raises(aecore.NotFoundError):
        team.team_evaluations("S0099", D(2026, 1, 1), D(2026, 12, 31))


def test_team_evidence_is_the_evaluations_evidence_up_to_the_end(ebook: aecore.Agency) -> None:
    (row,) = ebook.team_evaluations(AM_ID, D(2026, 6, 1), D(2026, 6, 12))
    assert row.evaluation == "EV0001"
    assert row.evidence == ebook.get_evaluation("EV0001").evidence(D(2026, 6, 12))
    assert metrics(row.evidence) == TO_JUNE_12
    (row,) = ebook.team_evaluations(AD_ID, D(2026, 6, 20), D(2026, 12, 31))
    assert metrics(row.evidence) == FULL


def test_calibration() -> None:
    team = build_team()
    rows = team.calibration(AD_ID, D(2026, 1, 1), D(2026, 12, 31))
    assert [(r.evaluator, r.count, r.mean, r.spread, r.min, r.max) for r in rows] == [
        # Chen Jing: one evaluation, 5.00.
        (AD_ID, 1, Decimal("5.00"), Decimal("0.00"), Decimal("5.00"), Decimal("5.00")),
        # Li Wei: 3.00, 3.50, 4.00 → mean 3.50; population sd √((0.25 + 0 + 0.25) / 3) = 0.408… → 0.41.
        (AM_ID, 3, Decimal("3.50"), Decimal("0.41"), Decimal("3.00"), Decimal("4.00")),
    ]
    assert str(rows[1].mean) == "3.50" and str(rows[0].spread) == "0.00"
    assert repr(rows[1]) == "CalibrationRow(evaluator='S0002', count=3, mean=3.50, spread=0.41)"
    # Unscored evaluations do not count; an evaluator without a complete score has no row.
    assert [(r.evaluator, r.count) for r in team.calibration(AM_ID, D(2025, 1, 1), D(2026, 12, 31))] == [(AM_ID, 3)]
    assert team.calibration(AM_ID, D(2025, 1, 1), D(2025, 12, 31)) == []


# ====================================================================== audit (PE-3)


def test_audit_finds_evaluations_not_finalized_after_their_period(agency: aecore.Agency) -> None:
    ev = score_fine(fine_eval(agency, period=P.QUARTERLY), (3, 3, 3, 3, 3))  # 2026-01-01..03-31
    assert agency.audit(D(2026, 3, 31)).by_rule("PE-3") == []  # the period has not ended yet
    (finding,) = agency.audit(D(2026, 4, 1)).by_rule("PE-3")
    assert (finding.severity, finding.subject, finding.due) == (aecore.Severity.WARNING, "EV0001", D(2026, 3, 31))
    assert finding.message == ("the Quarterly evaluation EV0001 of S0003 Wang Fang for 2026-01-01 to 2026-03-31 "
                               "is still Draft after its period ended")
    ev.advance(S.SHARED_WITH_EVALUATEE, actor=AM_ID, at=T(2026, 4, 6, 9, 0))
    ev.advance(S.DISCUSSED, actor=AE1_ID, at=T(2026, 4, 7, 9, 0))
    ev.advance(S.REVIEWED, actor=AD_ID, at=T(2026, 4, 8, 9, 0))
    # Looking back: on 04-06 it was shared; on 04-07 discussed, with no comments from Wang Fang.
    assert [f.message for f in agency.audit(D(2026, 4, 6)).by_rule("PE-3")] == [
        "the Quarterly evaluation EV0001 of S0003 Wang Fang for 2026-01-01 to 2026-03-31 is still "
        "SharedWithEvaluatee after its period ended"]
    advice, warning = sorted(agency.audit(D(2026, 4, 7)).by_rule("PE-3"), key=lambda f: f.severity.value,
                             reverse=True)
    assert (advice.severity, advice.subject, advice.due) == (aecore.Severity.ADVICE, "EV0001", None)
    assert advice.message == "evaluation EV0001 of S0003 Wang Fang was discussed but has no comments from the evaluatee"
    assert "is still Discussed after its period ended" in warning.message
    ev.evaluatee_comments = "Agreed."
    ev.advance(S.FINALIZED, actor=AM_ID, at=T(2026, 4, 9, 9, 0))
    assert [f.severity for f in agency.audit(D(2026, 4, 8)).by_rule("PE-3")] == [aecore.Severity.WARNING]
    assert agency.audit(D(2026, 4, 9)).by_rule("PE-3") == []
    # An evaluation created after the audit date is not looked at.
    late = fine_eval(agency, AE2_ID, period=P.QUARTERLY, created_at=T(2026, 5, 4, 9, 0))
    assert agency.audit(D(2026, 5, 1)).by_rule("PE-3") == []
    assert [f.subject for f in agency.audit(D(2026, 5, 4)).by_rule("PE-3")] == [late.id]


# ====================================================================== persistence


def test_json_round_trip_is_byte_identical(ebook: aecore.Agency, json_path) -> None:
    ebook.add_rubric(Rubric("mini", "Mini", [
        crit("cash", [0, "62.5", 0, 0], evidence=[M.DSO]), crit("delivery", [100, "37.50", 100, 100]),
    ]))
    ev = ebook.get_evaluation("EV0001")
    for c in AS_IDS:
        ev.score(c, 4, "ok" if c == "meetings" else "")
    ev.advance(S.SHARED_WITH_EVALUATEE, actor=AM_ID, at=T(2026, 7, 2, 10, 0), note="sent")
    ev.set_kpis([Kpi("billings", weight="0.7", achievement="1.2"),
                 Kpi("satisfaction", weight="0.3", achievement="0.9")])
    ev.evaluatee_comments = "Weekly reports: agreed. 周报按时。"
    mini = ebook.evaluate(AE1_ID, evaluator=AM_ID, start=D(2026, 7, 1), period=P.QUARTERLY, rubric="mini",
                          created_at=T(2026, 7, 1, 9, 0), reviewers=[AD_ID])
    mini.score("cash", 2)
    text = ebook.to_json()
    doc = json.loads(text)
    assert list(doc)[-3:] == ["rubrics", "evaluations", "sequences"]
    assert doc["sequences"]["evaluations"] == 3
    assert [r["id"] for r in doc["rubrics"]] == ["account-service", "5A", "mini"]
    assert doc["rubrics"][2] == {"id": "mini", "name": "Mini", "criteria": [
        {"id": "cash", "area": "Craft", "name": "Cash", "description": "",
         "weights": {"AAE": "0", "AE": "62.5", "AM": "0", "AD": "0"}, "evidence": ["Dso"]},
        {"id": "delivery", "area": "Craft", "name": "Delivery", "description": "",
         "weights": {"AAE": "100", "AE": "37.50", "AM": "100", "AD": "100"}, "evidence": []}]}
    assert doc["evaluations"][1] == {
        "id": "EV0002", "evaluatee": AE1_ID, "title": "AE", "evaluator": AM_ID, "reviewers": [AD_ID], "rubric": "mini",
        "period": "Quarterly", "start": "2026-07-01", "end": "2026-09-30",
        "scores": [{"criterion": "cash", "score": 2, "comment": ""}], "evaluatee_comments": "", "kpis": [],
        "status": "Draft", "history": [], "created_at": "2026-07-01T09:00:00"}
    first = doc["evaluations"][0]
    assert (first["period"], first["end"], first["status"]) == ("AdHoc", "2026-06-30", "SharedWithEvaluatee")
    assert first["history"] == [{"from": "Draft", "to": "SharedWithEvaluatee", "at": "2026-07-02T10:00:00",
                                 "actor": AM_ID, "note": "sent"}]
    assert first["kpis"] == [{"name": "billings", "weight": "0.7", "achievement": "1.2"},
                             {"name": "satisfaction", "weight": "0.3", "achievement": "0.9"}]
    back = aecore.Agency.from_json(text)
    assert back == ebook and back.to_json() == text
    assert back.get_rubric("mini") == ebook.get_rubric("mini")
    again = back.get_evaluation("EV0001")
    assert (again.weighted_score, again.rating, again.kpi_composite) == (Decimal("4.00"), R.EXCEEDS, Decimal("1.1100"))
    assert again.evidence() == ev.evidence()
    ebook.save(json_path)
    assert aecore.Agency.load(json_path).to_json() == text
    # The reloaded book numbers its next evaluation where the original left off.
    assert fine_eval(back, AE2_ID).id == fine_eval(ebook, AE2_ID).id == "EV0003"


def test_pickle_and_deepcopy_of_the_agency(flow: aecore.Agency) -> None:
    text = flow.to_json()
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(flow, protocol=protocol))
        assert again == flow and again.to_json() == text
        assert again.get_evaluation("EV0002").weighted_score == Decimal("3.00")
        assert again.get_evaluation("EV0001") != flow.get_evaluation("EV0001")  # another agency
    twin = copy.deepcopy(flow)
    twin.get_evaluation("EV0001").score("meetings", 1)
    assert flow.to_json() == text


def _tamper(agency: aecore.Agency, change: Callable[[dict[str, Any]], Any]) -> str:
    doc = json.loads(agency.to_json())
    change(doc)
    return json.dumps(doc, ensure_ascii=False, indent=2)


TAMPERS: list[tuple[str, Callable[[dict[str, Any]], Any], str, str]] = [
    ("score 6", lambda d: d["evaluations"][0]["scores"][0].__setitem__("score", 6), "/evaluations/0/scores/0/score",
     "out of range 1..5"),
    ("score 0", lambda d: d["evaluations"][1]["scores"][4].__setitem__("score", 0), "/evaluations/1/scores/4/score",
     "out of range 1..5"),
    ("status that is not the last step", lambda d: d["evaluations"][0].__setitem__("status", "Finalized"),
     "/evaluations/0/status", "must be the last step of the history"),
    ("a step skipped", lambda d: d["evaluations"][1]["history"].pop(1), "/evaluations/1/history/1/to",
     "one step at a time"),
    ("a step back in time", lambda d: d["evaluations"][1]["history"][2].__setitem__("at", "2026-04-01T09:00:00"),
     "/evaluations/1/history/2/at", "before the previous step"),
    ("finalized with a score missing", lambda d: d["evaluations"][1]["scores"].pop(), "/evaluations/1/scores",
     "c5 is missing"),
    ("unknown rubric", lambda d: d["evaluations"][0].__setitem__("rubric", "360"), "/evaluations/0/rubric",
     'no such rubric "360"'),
    ("score of a criterion of another rubric", lambda d: d["evaluations"][0]["scores"][0].__setitem__(
        "criterion", "analysis"), "/evaluations/0/scores/0/criterion", "a weighted criterion of the rubric"),
    ("score of a criterion weighted 0 for the title", lambda d: (
        d["evaluations"][0].__setitem__("title", "AAE"),
        d["evaluations"][0]["scores"][0].__setitem__("criterion", "training_juniors")),
     "/evaluations/0/scores/0/criterion", "a weighted criterion of the rubric"),
    ("rubric weights summing to 101", lambda d: d["rubrics"][2]["criteria"][4]["weights"].__setitem__("AD", "2"),
     "/rubrics/2", "the weights for AD in rubric fine sum to 101.00 %"),
    ("duplicate rubric", lambda d: d["rubrics"].append(d["rubrics"][1]), "/rubrics/3/id", 'duplicate rubric id "5A"'),
    ("KPI weights summing to 0.9", lambda d: d["evaluations"][0]["kpis"].append(
        {"name": "billings", "weight": "0.9", "achievement": "1"}), "/evaluations/0/kpis", "not exactly 1"),
    ("end that is not the period's", lambda d: d["evaluations"][1].__setitem__("end", "2026-03-30"),
     "/evaluations/1/end", "does not match the period"),
    ("evaluation id beyond the sequence", lambda d: d["sequences"].__setitem__("evaluations", 2),
     "/evaluations/1/id", "not below its sequence"),
    ("unknown key", lambda d: d["evaluations"][0].__setitem__("grade", "A"), "/evaluations/0/grade", "unknown key"),
]


@pytest.mark.parametrize(("case", "change", "path", "text"), TAMPERS, ids=[c[0] for c in TAMPERS])
def test_loading_validates_rubrics_and_evaluations(flow: aecore.Agency, case: str,
                                                   change: Callable[[dict[str, Any]], Any], path: str,
                                                   text: str) -> None:
    with pytest.raises(aecore.SchemaError) as ei:
        aecore.Agency.from_json(_tamper(flow, change))
    assert ei.value.field == path, str(ei.value)
    assert ei.value.rule == "PS-1"
    assert text in str(ei.value)


# ====================================================================== the sample agency


def test_sample_wang_fang_annual_evaluation(sample: aecore.Agency) -> None:
    wang = sample.get_evaluation("EV0001")
    assert (wang.evaluatee, wang.title, wang.evaluator, wang.reviewers) == ("S0004", Title.AE, "S0002", ["S0001"])
    assert (wang.period, wang.start, wang.end, wang.rubric.id) == (P.ANNUAL, D(2026, 1, 1), D(2026, 12, 31),
                                                                   "account-service")
    assert wang.status == S.DISCUSSED
    assert [(h.to_status, h.actor, h.at) for h in wang.history] == [
        (S.SHARED_WITH_EVALUATEE, "S0002", T(2026, 11, 18, 10, 0)), (S.DISCUSSED, "S0002", T(2026, 11, 20, 15, 0))]
    assert wang.history[1].note == "one-to-one; agreed reporting plan"
    scores = {"market_knowledge": 3, "client_business": 4, "information_analysis": 4, "media_production": 3,
              "creative_evaluation": 3, "organising_information": 4, "internal_reporting": 2, "company_knowledge": 4,
              "prioritisation": 3, "progress_follow_up": 4, "meetings": 3, "work_habits": 4,
              "external_communication": 4, "internal_communication": 3, "team_spirit": 5, "company_advocacy": 3,
              "helpfulness_to_clients": 4, "new_ideas": 3, "attitude": 5, "training_juniors": 3, "money_mindedness": 2}
    assert {s.criterion: s.score for s in wang.scores} == scores
    assert [s.criterion for s in wang.scores if s.comment] == ["internal_reporting", "money_mindedness"]
    # 12 + 24 + 20 + 15 + 12 + 20 + 12 + 8 + 15 + 28 + 15 + 20 + 24 + 15 + 25 + 9 + 24 + 12 + 30 + 6 + 8 = 354
    assert sum(AE_WEIGHT[c] * s for c, s in scores.items()) == 354
    assert (wang.weighted_score, wang.rating, wang.missing) == (Decimal("3.54"), R.MEETS, [])
    # KPIs: 0.5 × 0.92 + 0.3 × 1.05 + 0.2 × 0.80 = 0.935.
    assert wang.kpi_composite == Decimal("0.9350")
    assert [k.name for k in wang.kpis] == ["billings vs target", "client satisfaction", "collection"]
    assert wang.evaluatee_comments.startswith("Agree on reporting")


def test_sample_wang_fang_evidence(sample: aecore.Agency) -> None:
    got = metrics(sample.get_evaluation("EV0001").evidence())
    assert got == {
        # The Q4 review of 11-12 14:00, reported 11-13 10:00; her calls are routine.
        M.CONTACT_REPORTS_ON_TIME: (Decimal(1), 1, 1),
        # She owns Golden Harvest all year: Mondays 01-05..12-21 are 51 weeks; on time the
        # weeks of 11-09 (filed 11-16) and 11-16 (filed 11-23). 2 / 51 = 0.0392.
        M.WEEKLY_REPORTS_ON_TIME: (Decimal("0.0392"), 2, 51),
        # The TVC: client-approved 11-12 16:00 before its deadline 11-13 17:00, one change request.
        M.JOBS_ON_TIME: (Decimal(1), 1, 1),
        M.REVISION_ROUNDS: (Decimal("1.00"), 1, 1),
        # TVC (620,000 approved; 455,000 + 95,000 spent) and print ad (120,000; 48,000 + 80,000): 1 of 2.
        M.ESTIMATE_OVERRUNS: (Decimal(1), 1, 2),
        # Golden Harvest and Lotus billed 290,000 + 330,000 + 3 × 120,000 + 210,000 = 1,190,000 in 2026;
        # collected 290,000 + 120,000 + 60,000 + 210,000 = 680,000 → 0.5714.
        M.COLLECTION_RATE: (Decimal("0.5714"), 68_000_000, 119_000_000),
        # Open on 12-31: 330,000 + 60,000 + 120,000 = 510,000; billed 10-03..12-31: 290,000 +
        # 210,000 + 120,000 + 330,000 = 950,000. 510 × 90 / 950 = 48.3.
        M.DSO: (Decimal("48.3"), 51_000_000, 95_000_000),
        # Client-days: Golden Harvest's 247 business days of 2026 (261 weekdays - 18 holidays +
        # 4 make-up Saturdays) and Lotus's 175 from 04-21 (183 - 10 + 2) = 422; within the cadence:
        # Golden Harvest 11-02..11-23 (16, daily calls to 11-20) and Lotus (3 business days
        # from its first contact) 04-21..04-24 (4). 20 / 422 = 0.0474.
        M.CONTACT_CADENCE: (Decimal("0.0474"), 20, 422),
    }


def test_sample_zhang_lei_finalized_quarter(sample: aecore.Agency, unchanged) -> None:
    zhang = sample.get_evaluation("EV0002")
    assert (zhang.evaluatee, zhang.evaluator, zhang.reviewers, zhang.period) == ("S0005", "S0002", [], P.QUARTERLY)
    assert (zhang.start, zhang.end, zhang.status) == (D(2026, 7, 1), D(2026, 9, 30), S.FINALIZED)
    assert [(h.to_status, h.actor) for h in zhang.history] == [
        (S.SHARED_WITH_EVALUATEE, "S0002"), (S.DISCUSSED, "S0005"), (S.REVIEWED, "S0001"), (S.FINALIZED, "S0002")]
    # Criterion i (0..20) scored 3 + (i % 3 == 0) - (i % 7 == 0):
    expected = [3, 3, 3, 4, 3, 3, 4, 2, 3, 4, 3, 3, 4, 3, 2, 4, 3, 3, 4, 3, 3]
    assert [s.score for s in zhang.scores] == expected
    assert [s.criterion for s in zhang.scores] == AS_IDS
    # 12 + 18 + 15 + 20 + 12 + 15 + 24 + 4 + 15 + 28 + 15 + 15 + 24 + 15 + 10 + 12 + 18 + 12 + 24 + 6 + 12 = 326
    assert sum(AE_WEIGHT[c] * s for c, s in zip(AS_IDS, expected)) == 326
    assert (zhang.weighted_score, zhang.rating) == (Decimal("3.26"), R.MEETS)
    assert zhang.evaluatee_comments == "Fair; I want more media training."
    with unchanged(sample), pytest.raises(aecore.StateError):
        zhang.score("meetings", 5)
    # Q3 evidence: on 09-30 he is the AE of Blue River (SH), Harbour Bank (SZ, Potential),
    # Riverside Hotels (WH) and Jinling Pharmacy (NJ). He owns Blue River all quarter
    # (Mondays 07-06..09-21: 12 weeks, no reports).
    got = metrics(zhang.evidence())
    assert got[M.WEEKLY_REPORTS_ON_TIME] == (Decimal(0), 0, 12)
    # CL-4 counts the Closed and Negotiating clients: Blue River, Riverside and Jinling (Harbour
    # Bank is Potential). The sample logs no contact with any of them in Q3 (its calls are all in
    # November), so every client-day is overdue: 3 x 65 business days (66 weekdays - 09-25).
    assert got[M.CONTACT_CADENCE] == (Decimal(0), 0, 195)
    # Client-approved in Q3: only MD-202609-01 (Riverside), 09-17 15:00 by its deadline
    # 09-18 18:00, no change request (RS-202609-01 was approved 10-15, after the quarter).
    assert got[M.JOBS_ON_TIME] == (Decimal(1), 1, 1)
    assert got[M.REVISION_ROUNDS] == (Decimal(0), 0, 1)
    # Approved estimates by 09-30: MD-202609-01 (360,000) and RS-202609-01 (150,000); actual by
    # then only approved time: 2.5 h + 3 h x 255 = 1,402.50 and 6 h x 255 + 7.5 h x 160 = 2,730.
    assert got[M.ESTIMATE_OVERRUNS] == (Decimal(0), 0, 2)
    # Nothing open on 06-30; billed in Q3 INV-2026-0388 360,000 (09-20), paid only on 10-19.
    assert got[M.COLLECTION_RATE] == (Decimal(0), 0, 36_000_000)
    # DSO on 09-30: 360,000 receivable against the same 360,000 billed in 07-03..09-30: 90.0.
    assert got[M.DSO] == (Decimal("90.0"), 36_000_000, 36_000_000)
    assert got[M.CONTACT_REPORTS_ON_TIME] == (None, 0, 0)  # his calls and meetings are in November


def test_sample_liu_yang_5a_draft(sample: aecore.Agency) -> None:
    liu = sample.get_evaluation("EV0003")
    assert (liu.evaluatee, liu.evaluator, liu.rubric.id, liu.period) == ("S0006", "S0003", "5A", P.QUARTERLY)
    assert (liu.start, liu.end, liu.status, liu.history) == (D(2026, 7, 1), D(2026, 9, 30), S.DRAFT, [])
    assert [(s.criterion, s.score) for s in liu.scores] == [("analysis", 4), ("attach", 3)]
    assert liu.missing == ["approach", "attack", "account"]
    assert (liu.weighted_score, liu.rating, liu.kpi_composite) == (None, None, None)
    got = metrics(liu.evidence())
    # Panda Mobile and Northern Motors: open on 06-30 INV-2026-0219's 300,000; billed in Q3
    # SF-PM-2026Q3 600,000 and credit note -20,000; collected 600,000 + 100,000 → 700 / 880 = 0.7955.
    assert got[M.COLLECTION_RATE] == (Decimal("0.7955"), 70_000_000, 88_000_000)
    # DSO on 09-30: receivable 180,000 against -20,000 billed in 07-03..09-30 (the credit note): none.
    assert got[M.DSO] == (None, 18_000_000, -2_000_000)


def test_sample_team_calibration_and_audit(sample: aecore.Agency) -> None:
    rows = sample.team_evaluations("S0001", D(2026, 1, 1), D(2026, 12, 31))
    assert [(r.evaluation, r.score, r.rating) for r in rows] == [
        ("EV0001", Decimal("3.54"), R.MEETS), ("EV0002", Decimal("3.26"), R.MEETS), ("EV0003", None, None)]
    # Li Wei's two scores 3.54 and 3.26: mean 3.40, population sd 0.14.
    assert [(c.evaluator, c.count, c.mean, c.spread, c.min, c.max) for c in
            sample.calibration("S0001", D(2026, 1, 1), D(2026, 12, 31))] == [
        ("S0002", 2, Decimal("3.40"), Decimal("0.14"), Decimal("3.26"), Decimal("3.54"))]
    (finding,) = sample.audit(D(2026, 11, 20)).by_rule("PE-3")
    assert (finding.severity, finding.subject, finding.due) == (aecore.Severity.WARNING, "EV0003", D(2026, 9, 30))
    assert finding.message == ("the Quarterly evaluation EV0003 of S0006 Liu Yang 刘洋 for 2026-07-01 to 2026-09-30 "
                               "is still Draft after its period ended")
    # The next evaluation of the sample is EV0004.
    nxt = sample.evaluate("S0007", evaluator="S0003", start=D(2027, 1, 1), created_at=T(2026, 12, 1, 9, 0))
    assert nxt.id == "EV0004"
