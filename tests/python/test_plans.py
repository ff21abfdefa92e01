"""4P marketing plans (MP-1..MP-8) through the Python API: the sections, objectives and
their measured actuals, the MP-8 review (PlanReview), the Draft -> Proposed ->
ClientApproved -> Superseded workflow with versions and approved_plan(as_of), the
audit rules on plans, the notebook views and JSON persistence."""

from __future__ import annotations

import ast
import collections.abc
import datetime as dt
import decimal
import inspect
import random
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import pytest

import aecore
from errors_check import assert_error
from aecore import (
    LifeCycleStage,
    MarketType,
    MixElement,
    Money,
    ObjectiveKind,
    PlanStatus,
    PricePositioning,
    PromotionObjective,
    Severity,
)
from conftest import AWAY_CODE, HOME_CODE, build_book

AD_ID, AM_ID, AE1_ID, AE2_ID = "S0001", "S0002", "S0003", "S0004"  # the `agency` fixture
D = dt.date
T = dt.datetime
BRAND = "Harvest Gold"
PRODUCT = "Rice Noodles"
START, END = D(2027, 1, 1), D(2027, 12, 31)
CREATED = T(2026, 11, 2, 9, 0)
PROPOSED = T(2026, 11, 10, 15, 0)
APPROVED = T(2026, 11, 20, 11, 0)
ADV, SP, PR, PS, DM = (
    MixElement.ADVERTISING,
    MixElement.SALES_PROMOTION,
    MixElement.PUBLIC_RELATIONS,
    MixElement.PERSONAL_SELLING,
    MixElement.DIRECT_MARKETING,
)


def cny(amount: str) -> Money:
    return Money(amount, "CNY")


def usd(amount: str) -> Money:
    return Money(amount, "USD")


def build_plan_book() -> aecore.Agency:
    """The `book` agency with brands: Harvest Gold (Rice Noodles, Soy Sauce) for the home
    client, Panda (P7 Phone) for the away client."""
    agency = build_book()
    agency.add_brand(HOME_CODE, BRAND)
    agency.add_product(HOME_CODE, BRAND, PRODUCT)
    agency.add_product(HOME_CODE, BRAND, "Soy Sauce")
    agency.add_brand(AWAY_CODE, "Panda")
    agency.add_product(AWAY_CODE, "Panda", "P7 Phone")
    return agency


def new_plan(agency: aecore.Agency, *, start: dt.date = START, end: dt.date = END, created: dt.datetime = CREATED,
             brand: str = BRAND, client: str = HOME_CODE, **kw: Any) -> str:
    return agency.create_plan(client, brand, period_start=start, period_end=end, author=AE1_ID, created_at=created,
                              **kw).id


def fill_clean(agency: aecore.Agency, plan: str) -> None:
    """Sections that give a review without findings (Growth, Persuade, 72 % coverage,
    mix within budget, a measurable objective, a USP)."""
    agency.set_product_section(plan, stage=LifeCycleStage.GROWTH, usp="Hand-pulled texture in 3 minutes",
                               tangible_benefits=["ready in 3 minutes", "no additives"],
                               intangible_benefits=["a taste of home"])
    agency.set_price(plan, list_price=cny("12.80"), positioning=PricePositioning.PREMIUM,
                     consumer_acceptance="accepted by young families",
                     competitors={"Master Kong": cny("9.50"), "Uni-President": cny("9.90")})
    agency.set_place(plan, channels=["hypermarkets", "e-commerce"], outlets_current=18000, outlets_target=26000,
                     coverage_percent="72")
    agency.set_promotion(plan, budget=cny("6000000"), objective=PromotionObjective.PERSUADE,
                         mix={ADV: cny("3600000"), SP: cny("1500000"), PR: cny("600000")})
    agency.set_strategy(plan, target_audience="urban families, 25-40", positioning="the quickest real noodle",
                        execution="TV + short video, in-store tasting")
    agency.add_objective(plan, ObjectiveKind.MARKET_SHARE, baseline="11.5", target="14", deadline=END,
                         description="instant noodles, tier-1 cities")


def clean_plan(agency: aecore.Agency, **kw: Any) -> str:
    plan = new_plan(agency, **kw)
    fill_clean(agency, plan)
    return plan


def approve(agency: aecore.Agency, plan: str, proposed: dt.datetime = PROPOSED, approved: dt.datetime = APPROVED,
            contact: str = "K01") -> aecore.MarketingPlan:
    agency.propose_plan(plan, actor=AE1_ID, at=proposed)
    return agency.approve_plan(plan, contact=contact, at=approved)


# Public fields of the plan's value snapshots (compared field by field: these classes
# have no __eq__ of their own).
SNAP_FIELDS: dict[type, tuple[str, ...]] = {
    aecore.ProductSection: ("stage", "usp", "tangible_benefits", "intangible_benefits", "improvement_note"),
    aecore.PriceSection: ("list_price", "positioning", "consumer_acceptance", "competitors"),
    aecore.CompetitorPrice: ("competitor", "price"),
    aecore.PlaceSection: ("channels", "outlets_current", "outlets_target", "coverage_percent"),
    aecore.PromotionSection: ("budget", "mix", "objective"),
    aecore.MixBudget: ("element", "budget"),
    aecore.Objective: ("id", "kind", "description", "baseline", "target", "deadline", "actuals"),
    aecore.Measurement: ("date", "value"),
    aecore.Strategy: ("target_audience", "positioning", "execution"),
    aecore.PlanTransition: ("from_status", "to_status", "at", "actor", "note"),
}


def snap(x: Any) -> Any:
    """A comparable value for a snapshot (recursively), Money/Decimal/enums as they are."""
    if isinstance(x, list):
        return [snap(i) for i in x]
    fields = SNAP_FIELDS.get(type(x))
    if fields is None:
        return x
    return (type(x).__name__, *(snap(getattr(x, f)) for f in fields))


def rules(review: Any) -> list[str]:
    return [f.rule for f in review]


@pytest.fixture
def pbook() -> aecore.Agency:
    """The `book` agency with brands for plans (see build_plan_book)."""
    return build_plan_book()


@pytest.fixture
def clean(pbook: aecore.Agency) -> tuple[aecore.Agency, str]:
    """An agency with one Draft plan MP0001 whose review has no findings."""
    return pbook, clean_plan(pbook)


# ----------------------------------------------------------------- MP-1 the plan


def test_create_plan_for_client_brand_product_and_period(pbook: aecore.Agency) -> None:
    p = pbook.create_plan(HOME_CODE, BRAND, period_start=START, period_end=END, author=AE1_ID, created_at=CREATED,
                          product=PRODUCT, market=MarketType.INDUSTRIAL, title="Rice noodles 2027")
    assert type(p) is aecore.MarketingPlan
    assert (p.id, p.client, p.brand, p.product) == ("MP0001", HOME_CODE, BRAND, PRODUCT)
    assert (p.period_start, p.period_end) == (START, END)
    assert type(p.period_start) is dt.date
    assert p.market is MarketType.INDUSTRIAL
    assert (p.title, p.version, p.status) == ("Rice noodles 2027", 1, PlanStatus.DRAFT)
    assert (p.supersedes, p.superseded_by, p.approved_by, p.approved_at) == (None, None, None, None)
    [created] = p.history
    assert (created.from_status, created.to_status, created.at, created.actor, created.note) == (
        PlanStatus.DRAFT, PlanStatus.DRAFT, CREATED, AE1_ID, "created")
    assert pbook.get_plan("MP0001") == p
    assert pbook.plans == [p]


def test_create_plan_defaults_and_sequential_ids(pbook: aecore.Agency) -> None:
    p = pbook.create_plan(AWAY_CODE, "Panda", period_start=START, period_end=START, author=AE2_ID, created_at=CREATED)
    assert p.id == "MP0001"
    assert p.product is None
    assert p.market is MarketType.CONSUMER
    assert p.title == "Panda 2027"  # brand and the period's year
    assert p.product_section.stage is LifeCycleStage.LAUNCH
    assert p.price.positioning is PricePositioning.PARITY
    assert p.promotion.objective is PromotionObjective.INFORM
    assert (p.promotion.budget, p.promotion.mix, p.objectives) == (None, [], [])
    assert p.place.coverage_percent == Decimal(0)
    assert new_plan(pbook) == "MP0002"
    assert [x.id for x in pbook.plans] == ["MP0001", "MP0002"]


def test_plan_arguments_are_keyword_only_and_enums(pbook: aecore.Agency) -> None:
    with pytest.raises(TypeError):
        pbook.create_plan(HOME_CODE, BRAND, START, END, AE1_ID, CREATED)  # type: ignore[misc]
    with pytest.raises(TypeError):
        pbook.create_plan(HOME_CODE, BRAND, period_start=START, period_end=END, author=AE1_ID, created_at=CREATED,
                          market="Consumer")  # type: ignore[arg-type]
    plan = new_plan(pbook)
    with pytest.raises(TypeError):
        pbook.set_product_section(plan, "Growth")  # type: ignore[misc]
    with pytest.raises(TypeError):
        pbook.set_promotion(plan, objective="Inform")  # type: ignore[arg-type]
    assert pbook.get_plan(plan).product_section.stage is LifeCycleStage.LAUNCH


def test_plan_snapshots_do_not_follow_later_changes(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    before = agency.get_plan(plan)
    agency.set_place(plan, coverage_percent="10")
    assert before.place.coverage_percent == Decimal("72")
    assert agency.get_plan(plan).place.coverage_percent == Decimal("10")
    assert before != agency.get_plan(plan)


BAD_PLANS = [
    ("unknown-brand", {"brand": "Golden Rice"}, aecore.NotFoundError, KeyError, "plan.brand", "MP-1"),
    ("brand-of-other-client", {"brand": "Panda"}, aecore.NotFoundError, KeyError, "plan.brand", "MP-1"),
    ("unknown-product", {"product": "Green Tea"}, aecore.NotFoundError, KeyError, "plan.product", "MP-1"),
    ("unknown-client", {"client": "SH-202603-NOBODY-009"}, aecore.NotFoundError, KeyError, "plan.client", "CL-1"),
    ("end-before-start", {"end": D(2026, 12, 31)}, aecore.ValidationError, ValueError, "plan.period_end", "MP-1"),
    ("unknown-author", {"author": "S0999"}, aecore.NotFoundError, KeyError, "plan.author", "MP-1"),
    ("title-control-char", {"title": "Plan\x01"}, aecore.ValidationError, ValueError, "plan.title", "MP-1"),
]


@pytest.mark.parametrize(("case", "kwargs", "error", "builtin", "field", "rule"), BAD_PLANS,
                         ids=[row[0] for row in BAD_PLANS])
def test_create_plan_refuses_bad_input(pbook, unchanged, case, kwargs, error, builtin, field, rule) -> None:
    spec = {"client": HOME_CODE, "brand": BRAND, "start": START, "end": END, "author": AE1_ID, **kwargs}
    with unchanged(pbook), pytest.raises(aecore.Error) as ei:
        pbook.create_plan(spec.pop("client"), spec.pop("brand"), period_start=spec.pop("start"),
                          period_end=spec.pop("end"), author=spec.pop("author"), created_at=CREATED, **spec)
    assert_error(ei.value, error, builtin, field, rule)
    # a failed creation does not consume a plan id
    assert new_plan(pbook) == "MP0001"


def test_create_plan_for_archived_client_is_a_state_error(pbook: aecore.Agency, unchanged) -> None:
    pbook.archive_client(AWAY_CODE)
    with unchanged(pbook), pytest.raises(aecore.StateError) as ei:
        new_plan(pbook, client=AWAY_CODE, brand="Panda")
    assert_error(ei.value, aecore.StateError, RuntimeError, "plan.client", "CL-2")


def test_unknown_plan_id_is_not_found(pbook: aecore.Agency, unchanged) -> None:
    with unchanged(pbook), pytest.raises(aecore.NotFoundError) as ei:
        pbook.get_plan("MP0099")
    assert_error(ei.value, aecore.NotFoundError, KeyError, "plan.id", "MP-1")
    assert str(ei.value) == 'plan.id = "MP0099": no such marketing plan [MP-1]'


# ----------------------------------------------------------------- MP-2..MP-5, MP-7 sections


def test_sections_are_stored_as_given(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    p = agency.get_plan(plan)
    ps = p.product_section
    assert ps.stage is LifeCycleStage.GROWTH
    assert ps.usp == "Hand-pulled texture in 3 minutes"
    assert ps.tangible_benefits == ["ready in 3 minutes", "no additives"]
    assert ps.intangible_benefits == ["a taste of home"]
    assert ps.improvement_note == ""
    assert p.price.list_price == cny("12.80")
    assert p.price.positioning is PricePositioning.PREMIUM
    assert p.price.consumer_acceptance == "accepted by young families"
    assert [(c.competitor, c.price) for c in p.price.competitors] == [
        ("Master Kong", cny("9.50")), ("Uni-President", cny("9.90"))]
    assert p.place.channels == ["hypermarkets", "e-commerce"]
    assert (p.place.outlets_current, p.place.outlets_target) == (18000, 26000)
    assert p.place.coverage_percent == Decimal("72")
    assert type(p.place.coverage_percent) is Decimal
    assert p.promotion.budget == cny("6000000")
    assert [(m.element, m.budget) for m in p.promotion.mix] == [
        (ADV, cny("3600000")), (SP, cny("1500000")), (PR, cny("600000"))]
    assert p.promotion.objective is PromotionObjective.PERSUADE
    assert p.promotion.largest_element is ADV
    s = p.strategy
    assert (s.target_audience, s.positioning, s.execution) == (
        "urban families, 25-40", "the quickest real noodle", "TV + short video, in-store tasting")


def test_setters_return_the_updated_plan_and_replace_the_section(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    p = agency.set_promotion(plan, budget=cny("100"), mix=[(PS, cny("40")), (DM, cny("60"))],
                             objective=PromotionObjective.REMIND)
    assert p == agency.get_plan(plan)
    assert [(m.element, m.budget) for m in p.promotion.mix] == [(PS, cny("40")), (DM, cny("60"))]
    assert p.promotion.largest_element is DM
    p = agency.set_promotion(plan)
    assert (p.promotion.budget, p.promotion.mix, p.promotion.objective) == (None, [], PromotionObjective.INFORM)
    assert p.promotion.largest_element is None
    p = agency.set_price(plan)
    assert (p.price.list_price, p.price.competitors, p.price.positioning) == (None, [], PricePositioning.PARITY)


@pytest.mark.parametrize(
    "mix",
    [
        {SP: cny("1500000"), ADV: cny("3600000"), PR: cny("600000")},
        [(SP, cny("1500000")), (ADV, cny("3600000")), (PR, cny("600000"))],
        ((SP, cny("1500000")), (ADV, cny("3600000")), (PR, cny("600000"))),
    ],
    ids=["dict", "list-of-pairs", "tuple-of-pairs"],
)
def test_promotion_mix_from_dict_or_pairs_keeps_the_given_order(clean: tuple[aecore.Agency, str], mix) -> None:
    agency, plan = clean
    p = agency.set_promotion(plan, budget=cny("6000000"), mix=mix, objective=PromotionObjective.PERSUADE)
    assert [(m.element, m.budget) for m in p.promotion.mix] == [
        (SP, cny("1500000")), (ADV, cny("3600000")), (PR, cny("600000"))]
    assert all(type(m) is aecore.MixBudget for m in p.promotion.mix)


@pytest.mark.parametrize(
    "competitors",
    [
        {"Uni-President": cny("9.90"), "Master Kong": cny("9.50")},
        [("Uni-President", cny("9.90")), ("Master Kong", cny("9.50"))],
        (("Uni-President", cny("9.90")), ("Master Kong", cny("9.50"))),
    ],
    ids=["dict", "list-of-pairs", "tuple-of-pairs"],
)
def test_competitor_prices_from_dict_or_pairs(clean: tuple[aecore.Agency, str], competitors) -> None:
    agency, plan = clean
    p = agency.set_price(plan, list_price=cny("12.80"), competitors=competitors)
    assert [(c.competitor, c.price) for c in p.price.competitors] == [
        ("Uni-President", cny("9.90")), ("Master Kong", cny("9.50"))]
    assert all(type(c) is aecore.CompetitorPrice for c in p.price.competitors)


def test_coverage_bounds_are_inclusive_and_numbers_come_as_int_str_or_decimal(pbook: aecore.Agency) -> None:
    plan = new_plan(pbook)
    for value, expected in [(0, "0"), (100, "100"), ("100.00", "100.00"), (Decimal("59.99"), "59.99"), ("0.5", "0.5")]:
        got = pbook.set_place(plan, coverage_percent=value).place.coverage_percent
        assert got == Decimal(expected) and str(got) == expected


def test_approval_covers_the_strategy(clean: tuple[aecore.Agency, str], unchanged) -> None:
    """MP-7: client approval of the plan approves the strategy; it cannot change afterwards."""
    agency, plan = clean
    p = approve(agency, plan)
    assert p.strategy.positioning == "the quickest real noodle"
    assert (p.approved_by, p.approved_at) == ("K01", APPROVED)
    with unchanged(agency), pytest.raises(aecore.StateError) as ei:
        agency.set_strategy(plan, positioning="something else")
    assert_error(ei.value, aecore.StateError, RuntimeError, "plan.status", "MP-8")


# Bad section input: each row is (case, call(agency, plan), error, builtin, field, rule).
BAD_SECTIONS: list[tuple[str, Callable[[aecore.Agency, str], Any], type, type, str, str]] = [
    ("coverage-below-0", lambda a, p: a.set_place(p, coverage_percent="-0.01"),
     aecore.ValidationError, ValueError, "plan.place.coverage_percent", "MP-4"),
    ("coverage-above-100", lambda a, p: a.set_place(p, coverage_percent="100.01"),
     aecore.ValidationError, ValueError, "plan.place.coverage_percent", "MP-4"),
    ("coverage-250", lambda a, p: a.set_place(p, coverage_percent=250),
     aecore.ValidationError, ValueError, "plan.place.coverage_percent", "MP-4"),
    ("outlets-negative", lambda a, p: a.set_place(p, coverage_percent="50", outlets_current=-1),
     aecore.ValidationError, ValueError, "plan.place.outlets_current", "MP-4"),
    ("outlets-target-negative", lambda a, p: a.set_place(p, coverage_percent="50", outlets_target=-5),
     aecore.ValidationError, ValueError, "plan.place.outlets_target", "MP-4"),
    ("promotion-budget-negative", lambda a, p: a.set_promotion(p, budget=cny("-0.01")),
     aecore.ValidationError, ValueError, "plan.promotion.budget", "MP-5"),
    ("promotion-budget-usd", lambda a, p: a.set_promotion(p, budget=usd("1000")),
     aecore.ValidationError, ValueError, "plan.promotion.budget", "MB-1"),
    ("mix-negative", lambda a, p: a.set_promotion(p, budget=cny("100"), mix={ADV: cny("-1")}),
     aecore.ValidationError, ValueError, "plan.promotion.mix.Advertising", "MP-5"),
    ("mix-mixed-currency", lambda a, p: a.set_promotion(p, budget=cny("100"), mix={ADV: cny("10"), SP: usd("10")}),
     aecore.ValidationError, ValueError, "plan.promotion.mix.SalesPromotion", "MB-1"),
    ("mix-duplicate-element", lambda a, p: a.set_promotion(p, mix=[(ADV, cny("1")), (ADV, cny("2"))]),
     aecore.ValidationError, ValueError, "plan.promotion.mix.Advertising", "MP-5"),
    ("list-price-usd", lambda a, p: a.set_price(p, list_price=usd("1.99")),
     aecore.ValidationError, ValueError, "plan.price.list_price", "MB-1"),
    ("list-price-negative", lambda a, p: a.set_price(p, list_price=cny("-1")),
     aecore.ValidationError, ValueError, "plan.price.list_price", "MP-3"),
    ("competitor-usd", lambda a, p: a.set_price(p, competitors={"Master Kong": usd("1.30")}),
     aecore.ValidationError, ValueError, "plan.price.competitors.Master Kong", "MB-1"),
    ("competitor-negative", lambda a, p: a.set_price(p, competitors=[("Master Kong", cny("-9.50"))]),
     aecore.ValidationError, ValueError, "plan.price.competitors.Master Kong", "MP-3"),
    ("usp-control-char", lambda a, p: a.set_product_section(p, stage=LifeCycleStage.GROWTH, usp="fast\x07"),
     aecore.ValidationError, ValueError, "plan.product.usp", "MP-2"),
    ("benefit-control-char",
     lambda a, p: a.set_product_section(p, stage=LifeCycleStage.GROWTH, usp="x", tangible_benefits=["a\x00b"]),
     aecore.ValidationError, ValueError, "plan.product.tangible_benefits", "MP-2"),
    ("acceptance-too-long", lambda a, p: a.set_price(p, consumer_acceptance="x" * 2001),
     aecore.ValidationError, ValueError, "plan.price.consumer_acceptance", "MP-3"),
    ("strategy-control-char", lambda a, p: a.set_strategy(p, target_audience="families\x1b"),
     aecore.ValidationError, ValueError, "plan.strategy.target_audience", "MP-7"),
    ("objective-deadline-before-period",
     lambda a, p: a.add_objective(p, ObjectiveKind.SALES_VOLUME, target="1000", deadline=D(2026, 12, 31)),
     aecore.ValidationError, ValueError, "objective.deadline", "MP-6"),
    ("objective-share-target-above-100",
     lambda a, p: a.add_objective(p, ObjectiveKind.MARKET_SHARE, target="100.5", deadline=END),
     aecore.ValidationError, ValueError, "objective.target", "MP-6"),
    ("objective-awareness-baseline-negative",
     lambda a, p: a.add_objective(p, ObjectiveKind.BRAND_AWARENESS, baseline="-1", target="50", deadline=END),
     aecore.ValidationError, ValueError, "objective.baseline", "MP-6"),
    ("objective-brand-image-with-target",
     lambda a, p: a.add_objective(p, ObjectiveKind.BRAND_IMAGE, target="5"),
     aecore.ValidationError, ValueError, "objective.target", "MP-6"),
    ("objective-bad-decimal", lambda a, p: a.add_objective(p, ObjectiveKind.SALES_VOLUME, target="lots"),
     aecore.ValidationError, ValueError, "decimal", "MB-1"),
    ("actual-duplicate-date", lambda a, p: a.record_actual(p, "O1", D(2027, 3, 31), "12.0"),
     aecore.ValidationError, ValueError, "objective.actual_date", "MP-6"),
    ("actual-share-above-100", lambda a, p: a.record_actual(p, "O1", D(2027, 4, 30), "101"),
     aecore.ValidationError, ValueError, "objective.value", "MP-6"),
    ("actual-share-negative", lambda a, p: a.record_actual(p, "O1", D(2027, 4, 30), "-0.1"),
     aecore.ValidationError, ValueError, "objective.value", "MP-6"),
    ("actual-unknown-objective", lambda a, p: a.record_actual(p, "O9", D(2027, 4, 30), "12"),
     aecore.NotFoundError, KeyError, "objective.id", "MP-6"),
    ("actual-brand-image", lambda a, p: a.record_actual(p, "O2", D(2027, 4, 30), "3"),
     aecore.ValidationError, ValueError, "objective.value", "MP-6"),
    ("edit-unknown-plan", lambda a, p: a.set_place("MP0042", coverage_percent="50"),
     aecore.NotFoundError, KeyError, "plan.id", "MP-1"),
    ("actual-unknown-plan", lambda a, p: a.record_actual("MP0042", "O1", D(2027, 4, 30), "12"),
     aecore.NotFoundError, KeyError, "plan.id", "MP-1"),
]


@pytest.mark.parametrize(("case", "call", "error", "builtin", "field", "rule"), BAD_SECTIONS,
                         ids=[row[0] for row in BAD_SECTIONS])
def test_bad_section_input_is_refused_and_changes_nothing(clean, unchanged, case, call, error, builtin, field, rule):
    agency, plan = clean
    agency.add_objective(plan, ObjectiveKind.BRAND_IMAGE, description="modern, trusted")  # O2
    agency.record_actual(plan, "O1", D(2027, 3, 31), "11.9")
    with unchanged(agency), pytest.raises(aecore.Error) as ei:
        call(agency, plan)
    assert_error(ei.value, error, builtin, field, rule)


def test_brand_image_baseline_error_names_the_baseline(clean, unchanged) -> None:
    """A qualitative objective given only a baseline: the error should name the field
    that is wrong (objective.baseline) and its value, not objective.target = "baseline"."""
    agency, plan = clean
    with unchanged(agency), pytest.raises(aecore.ValidationError) as ei:
        agency.add_objective(plan, ObjectiveKind.BRAND_IMAGE, baseline="3")
    assert_error(ei.value, aecore.ValidationError, ValueError, "objective.baseline", "MP-6")
    assert ei.value.value == "3"


# Floats are refused for money and numbers (each row: case, call(agency, plan)).
FLOATS: list[tuple[str, Callable[[aecore.Agency, str], Any]]] = [
    ("coverage", lambda a, p: a.set_place(p, coverage_percent=72.5)),
    ("outlets", lambda a, p: a.set_place(p, coverage_percent="50", outlets_target=1.5)),
    ("objective-target", lambda a, p: a.add_objective(p, ObjectiveKind.SALES_VOLUME, target=1000.0, deadline=END)),
    ("objective-baseline", lambda a, p: a.add_objective(p, ObjectiveKind.MARKET_SHARE, baseline=11.5, target="14")),
    ("actual", lambda a, p: a.record_actual(p, "O1", D(2027, 3, 31), 12.6)),
    ("promotion-budget", lambda a, p: a.set_promotion(p, budget=6000000.0)),
    ("list-price", lambda a, p: a.set_price(p, list_price=12.8)),
    ("mix-dict", lambda a, p: a.set_promotion(p, budget=cny("100"), mix={ADV: 50.0})),
    ("mix-pairs", lambda a, p: a.set_promotion(p, budget=cny("100"), mix=[(ADV, 50.0)])),
    ("competitors-dict", lambda a, p: a.set_price(p, competitors={"Master Kong": 9.5})),
    ("competitors-pairs", lambda a, p: a.set_price(p, competitors=[("Master Kong", 9.5)])),
]


@pytest.mark.parametrize(("case", "call"), FLOATS, ids=[row[0] for row in FLOATS])
def test_floats_are_refused_with_a_type_error(clean, unchanged, case, call) -> None:
    """A float where Money or an exact number belongs is the wrong Python type: TypeError,
    as everywhere else in aecore (never the RuntimeError that StateError also derives from)."""
    agency, plan = clean
    with unchanged(agency), pytest.raises(TypeError):
        call(agency, plan)


@pytest.mark.parametrize(
    ("case", "kwargs"),
    [
        ("mix-key-not-an-enum", {"mix": {"Advertising": cny("1")}}),
        ("mix-value-not-money", {"mix": {ADV: 100}}),
        ("mix-not-pairs", {"mix": [(ADV, cny("1"), cny("2"))]}),
    ],
    ids=["mix-key-not-an-enum", "mix-value-not-money", "mix-not-pairs"],
)
def test_wrong_types_in_the_mix_are_type_errors(clean, unchanged, case, kwargs) -> None:
    agency, plan = clean
    with unchanged(agency), pytest.raises(TypeError):
        agency.set_promotion(plan, budget=cny("100"), **kwargs)


def test_money_itself_refuses_floats() -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        Money(9.5, "CNY")  # type: ignore[arg-type]
    assert_error(ei.value, aecore.ValidationError, ValueError, "money.amount", "MB-1")


# ----------------------------------------------------------------- MP-6 objectives and progress


def test_objectives_get_sequential_ids_and_keep_their_numbers(pbook: aecore.Agency) -> None:
    plan = new_plan(pbook)
    o1 = pbook.add_objective(plan, ObjectiveKind.MARKET_SHARE, baseline="11.5", target=14, deadline=END,
                             description="tier-1 cities")
    o2 = pbook.add_objective(plan, ObjectiveKind.SALES_REVENUE, baseline=Decimal("180000000"), target="230000000.00")
    o3 = pbook.add_objective(plan, ObjectiveKind.BRAND_IMAGE, description="modern and trusted")
    assert type(o1) is aecore.Objective
    assert [o.id for o in (o1, o2, o3)] == ["O1", "O2", "O3"]
    assert (o1.kind, o1.baseline, o1.target, o1.deadline, o1.description) == (
        ObjectiveKind.MARKET_SHARE, Decimal("11.5"), Decimal("14"), END, "tier-1 cities")
    assert str(o2.target) == "230000000.00"
    assert (o3.baseline, o3.target, o3.deadline, o3.actuals) == (None, None, None, [])
    assert [o.id for o in pbook.get_plan(plan).objectives] == ["O1", "O2", "O3"]
    # percentages accept the bounds
    pbook.add_objective(plan, ObjectiveKind.BRAND_AWARENESS, baseline=0, target=100, deadline=START)


def test_record_actual_keeps_every_measurement_sorted_by_date(pbook: aecore.Agency, unchanged) -> None:
    plan = new_plan(pbook)
    pbook.add_objective(plan, ObjectiveKind.MARKET_SHARE, baseline="10", target="14", deadline=END)
    pbook.record_actual(plan, "O1", D(2027, 6, 30), "12")
    pbook.record_actual(plan, "O1", D(2027, 3, 31), "11")
    o = pbook.record_actual(plan, "O1", D(2027, 9, 30), Decimal("13.50"))
    assert type(o) is aecore.Objective
    assert [(m.date, m.value) for m in o.actuals] == [
        (D(2027, 3, 31), Decimal("11")), (D(2027, 6, 30), Decimal("12")), (D(2027, 9, 30), Decimal("13.50"))]
    assert all(type(m) is aecore.Measurement for m in o.actuals)
    assert snap(pbook.get_plan(plan).objectives[0]) == snap(o)
    # latest(as_of) and progress(as_of) follow the measurement in force on the day
    assert o.latest(D(2027, 3, 30)) is None
    assert o.latest(D(2027, 3, 31)).value == Decimal("11")
    assert o.latest(D(2027, 7, 1)).value == Decimal("12")
    assert o.latest(D(2030, 1, 1)).value == Decimal("13.50")
    assert o.progress(D(2027, 3, 30)) is None
    assert o.progress(D(2027, 4, 1)) == Decimal("0.25")
    assert o.progress(D(2027, 6, 30)) == Decimal("0.5")
    assert o.progress(D(2027, 12, 31)) == Decimal("0.875")
    # a second measurement on a date is refused: measurements are kept, not edited
    with unchanged(pbook), pytest.raises(aecore.ValidationError) as ei:
        pbook.record_actual(plan, "O1", D(2027, 6, 30), "12.5")
    assert_error(ei.value, aecore.ValidationError, ValueError, "objective.actual_date", "MP-6")
    assert "2027-06-30" in str(ei.value) and "O1" in str(ei.value)


def test_actuals_can_be_recorded_on_an_approved_plan(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    approve(agency, plan)
    o = agency.record_actual(plan, "O1", D(2027, 6, 30), "12.6")
    assert o.progress(D(2027, 6, 30)) == Decimal("0.4400")
    assert agency.get_plan(plan).status is PlanStatus.CLIENT_APPROVED


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "expected"),
    [
        ("11.5", "14", "12.6", "0.4400"),
        ("0", "3", "1", "0.3333"),
        ("0", "3", "2", "0.6667"),
        ("10", "5", "7.5", "0.5000"),  # a falling target
        ("100", "200", "250", "1.5000"),  # beyond the target
        ("100", "200", "50", "-0.5000"),  # below the baseline
        ("1", "2", "1", "0.0000"),
        ("0.001", "0.004", "0.002", "0.3333"),  # different scales
        # ties at the fifth place round half to even
        ("0", "20000", "1", "0.0000"),  # 0.00005
        ("0", "20000", "3", "0.0002"),  # 0.00015
        ("0", "20000", "5", "0.0002"),  # 0.00025 (half-up would give 0.0003)
        ("0", "20000", "7", "0.0004"),  # 0.00035
        ("0", "20000", "-5", "-0.0002"),  # -0.00025
        ("0", "20000", "-3", "-0.0002"),  # -0.00015
        ("0", "1", "0.12345", "0.1234"),
        ("0", "1", "0.12355", "0.1236"),
        ("5", "-5", "4.99975", "0.0000"),  # 0.000025: below half, not a tie
        ("0", "8", "1", "0.1250"),
    ],
)
def test_progress_is_an_exact_decimal_rounded_half_even_to_4_places(pbook, baseline, target, actual, expected) -> None:
    plan = new_plan(pbook)
    pbook.add_objective(plan, ObjectiveKind.SALES_VOLUME, baseline=baseline, target=target, deadline=END)
    o = pbook.record_actual(plan, "O1", D(2027, 6, 30), actual)
    got = o.progress(D(2027, 6, 30))
    assert type(got) is Decimal
    assert str(got) == expected
    assert got.as_tuple().exponent == -4


def test_progress_matches_python_decimal_half_even(pbook: aecore.Agency) -> None:
    rng = random.Random(20270101)
    plan = new_plan(pbook)
    cases = []
    for i in range(150):
        scale = rng.choice([0, 1, 2, 3])
        base = Decimal(rng.randint(-5000, 5000)).scaleb(-scale)
        target = base + Decimal(rng.choice([-1, 1]) * rng.randint(1, 4000)).scaleb(-rng.choice([0, 1, 2]))
        actual = Decimal(rng.randint(-9000, 9000)).scaleb(-rng.choice([0, 1, 2, 3, 4]))
        pbook.add_objective(plan, ObjectiveKind.SALES_REVENUE, baseline=base, target=target, deadline=END)
        pbook.record_actual(plan, f"O{i + 1}", D(2027, 6, 30), actual)
        cases.append((base, target, actual))
    ctx = decimal.Context(prec=60)
    for o, (base, target, actual) in zip(pbook.get_plan(plan).objectives, cases):
        exact = ctx.divide(ctx.subtract(actual, base), ctx.subtract(target, base))
        want = exact.quantize(Decimal("0.0001"), rounding=decimal.ROUND_HALF_EVEN, context=ctx)
        assert o.progress(D(2027, 6, 30)) == want, (base, target, actual)


def test_progress_is_none_without_baseline_target_or_actual(pbook: aecore.Agency) -> None:
    plan = new_plan(pbook)
    pbook.add_objective(plan, ObjectiveKind.SALES_VOLUME, target="100", deadline=END)  # no baseline
    pbook.add_objective(plan, ObjectiveKind.SALES_VOLUME, baseline="100", deadline=END)  # no target
    pbook.add_objective(plan, ObjectiveKind.SALES_VOLUME, baseline="100", target="100.0", deadline=END)  # no range
    pbook.add_objective(plan, ObjectiveKind.SALES_VOLUME, baseline="0", target="100", deadline=END)  # no actual
    pbook.add_objective(plan, ObjectiveKind.BRAND_IMAGE, description="trusted")
    for oid in ("O1", "O2", "O3"):
        pbook.record_actual(plan, oid, D(2027, 6, 30), "50")
    assert [o.progress(D(2030, 1, 1)) for o in pbook.get_plan(plan).objectives] == [None] * 5


# ----------------------------------------------------------------- MP-8 review rules


def _edit(**edits: Callable[[aecore.Agency, str], Any]) -> Callable[[aecore.Agency, str], None]:
    def apply(agency: aecore.Agency, plan: str) -> None:
        for fn in edits.values():
            fn(agency, plan)

    return apply


def stage(s: LifeCycleStage, objective: PromotionObjective, note: str = "", usp: str = "Hand-pulled texture"):
    def apply(agency: aecore.Agency, plan: str) -> None:
        agency.set_product_section(plan, stage=s, usp=usp, improvement_note=note)
        p = agency.get_plan(plan).promotion
        agency.set_promotion(plan, budget=p.budget, mix=[(m.element, m.budget) for m in p.mix], objective=objective)

    return apply


def awareness(agency: aecore.Agency, plan: str) -> None:
    agency.add_objective(plan, ObjectiveKind.BRAND_AWARENESS, baseline="0", target="40", deadline=END)


def mix(budget: str | None, **elements: str) -> Callable[[aecore.Agency, str], Any]:
    names = {"adv": ADV, "sp": SP, "pr": PR, "ps": PS, "dm": DM}

    def apply(agency: aecore.Agency, plan: str) -> None:
        objective = agency.get_plan(plan).promotion.objective
        agency.set_promotion(plan, budget=cny(budget) if budget is not None else None,
                             mix={names[k]: cny(v) for k, v in elements.items()}, objective=objective)

    return apply


def coverage(value: str) -> Callable[[aecore.Agency, str], Any]:
    return lambda agency, plan: agency.set_place(plan, coverage_percent=value)


# (case, edit, expected rules with severities); every case starts from the clean plan.
REVIEW_CASES = [
    ("clean", _edit(), []),
    # a. objective vs stage
    ("8a-launch-inform", _edit(s=stage(LifeCycleStage.LAUNCH, PromotionObjective.INFORM), a=awareness), []),
    ("8a-growth-persuade", _edit(s=stage(LifeCycleStage.GROWTH, PromotionObjective.PERSUADE)), []),
    ("8a-maturity-remind", _edit(s=stage(LifeCycleStage.MATURITY, PromotionObjective.REMIND)), []),
    ("8a-decline-remind", _edit(s=stage(LifeCycleStage.DECLINE, PromotionObjective.REMIND, note="new recipe")), []),
    ("8a-growth-inform", _edit(s=stage(LifeCycleStage.GROWTH, PromotionObjective.INFORM)), [("MP-8a", "WARNING")]),
    ("8a-launch-persuade", _edit(s=stage(LifeCycleStage.LAUNCH, PromotionObjective.PERSUADE), a=awareness),
     [("MP-8a", "WARNING")]),
    ("8a-maturity-persuade", _edit(s=stage(LifeCycleStage.MATURITY, PromotionObjective.PERSUADE)),
     [("MP-8a", "WARNING")]),
    ("8a-decline-inform", _edit(s=stage(LifeCycleStage.DECLINE, PromotionObjective.INFORM, note="repositioned")),
     [("MP-8a", "WARNING")]),
    # b. a launch needs an awareness objective
    ("8b-launch-without-awareness", _edit(s=stage(LifeCycleStage.LAUNCH, PromotionObjective.INFORM)),
     [("MP-8b", "WARNING")]),
    ("8b-growth-without-awareness-is-fine", _edit(s=stage(LifeCycleStage.GROWTH, PromotionObjective.PERSUADE)), []),
    # c. advertising and distribution coverage (default threshold 60 %)
    ("8c-coverage-below-60", _edit(c=coverage("59.99")), [("MP-8c", "WARNING")]),
    ("8c-coverage-exactly-60", _edit(c=coverage("60")), []),
    ("8c-low-coverage-no-advertising", _edit(c=coverage("10"), m=mix("6000000", sp="1500000", pr="600000")), []),
    ("8c-low-coverage-zero-advertising", _edit(c=coverage("10"), m=mix("6000000", adv="0", sp="1500000")), []),
    # d. decline: advertising the largest element needs an improvement / repositioning note
    ("8d-decline-advertising-largest", _edit(s=stage(LifeCycleStage.DECLINE, PromotionObjective.REMIND)),
     [("MP-8d", "WARNING")]),
    ("8d-decline-with-note", _edit(s=stage(LifeCycleStage.DECLINE, PromotionObjective.REMIND, note="new recipe")),
     []),
    ("8d-decline-promotion-largest",
     _edit(s=stage(LifeCycleStage.DECLINE, PromotionObjective.REMIND), m=mix("6000000", adv="100", sp="2000000")), []),
    ("8d-maturity-advertising-largest", _edit(s=stage(LifeCycleStage.MATURITY, PromotionObjective.REMIND)), []),
    # e. measurable objectives
    ("8e-no-deadline", _edit(o=lambda a, p: a.add_objective(p, ObjectiveKind.SALES_VOLUME, target="400000")),
     [("MP-8e", "ERROR")]),
    ("8e-no-target", _edit(o=lambda a, p: a.add_objective(p, ObjectiveKind.RETAIL_OUTLETS, deadline=END)),
     [("MP-8e", "ERROR")]),
    ("8e-neither", _edit(o=lambda a, p: a.add_objective(p, ObjectiveKind.PROFIT_MARGIN, baseline="12")),
     [("MP-8e", "ERROR")]),
    ("8e-brand-image-is-qualitative",
     _edit(o=lambda a, p: a.add_objective(p, ObjectiveKind.BRAND_IMAGE, description="modern")), []),
    ("8e-target-and-deadline",
     _edit(o=lambda a, p: a.add_objective(p, ObjectiveKind.ANNUAL_GROWTH_RATE, target="8", deadline=START)), []),
    # f. the mix within the promotion budget, exactly
    ("8f-mix-over-budget-by-a-fen", _edit(m=mix("5699999.99", adv="3600000", sp="1500000", pr="600000")),
     [("MP-8f", "ERROR")]),
    ("8f-mix-equals-budget", _edit(m=mix("5700000.00", adv="3600000", sp="1500000", pr="600000")), []),
    ("8f-mix-without-budget", _edit(m=mix(None, adv="3600000")), [("MP-8f", "ERROR")]),
    ("8f-no-budget-no-mix", _edit(m=mix(None)), []),
    ("8f-no-budget-zero-mix", _edit(m=mix(None, adv="0", pr="0")), []),
    # g. a USP
    ("8g-no-usp", _edit(s=stage(LifeCycleStage.GROWTH, PromotionObjective.PERSUADE, usp="")), [("MP-8g", "ERROR")]),
    # several at once, most severe first
    ("several", _edit(s=stage(LifeCycleStage.LAUNCH, PromotionObjective.PERSUADE, usp=""), c=coverage("35"),
                      m=mix("100", adv="101")),
     [("MP-8f", "ERROR"), ("MP-8g", "ERROR"), ("MP-8a", "WARNING"), ("MP-8b", "WARNING"), ("MP-8c", "WARNING")]),
]


@pytest.mark.parametrize(("case", "edit", "expected"), REVIEW_CASES, ids=[c[0] for c in REVIEW_CASES])
def test_review_rules(clean: tuple[aecore.Agency, str], case, edit, expected) -> None:
    agency, plan = clean
    edit(agency, plan)
    review = agency.review_plan(plan)
    assert [(f.rule, f.severity.name) for f in review] == expected
    assert review.approvable == all(sev != "ERROR" for _, sev in expected)
    assert all(type(f) is aecore.PlanFinding and f.message.endswith(".") for f in review)
    # the snapshot's review with the agency's policy agrees
    assert list(agency.get_plan(plan).review(agency.policy)) == list(review)
    assert agency.review_plan_findings(plan) == agency.get_plan(plan).review_findings(agency.policy)


def test_review_messages_are_readable(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    stage(LifeCycleStage.GROWTH, PromotionObjective.INFORM, usp="")(agency, plan)
    coverage("59.99")(agency, plan)
    mix("6000000", adv="3600000", sp="2400000.01")(agency, plan)
    agency.add_objective(plan, ObjectiveKind.SALES_VOLUME, target="400000")
    agency.add_objective(plan, ObjectiveKind.PROFIT_MARGIN)
    got = {(f.rule, f.message) for f in agency.review_plan(plan)}
    assert got == {
        ("MP-8a", "In the Growth stage promotion should aim to Persuade; the plan aims to Inform."),
        ("MP-8c", "Advertising is budgeted at CNY 3,600,000.00 while distribution covers only 59.99% (below 60%): "
                  "mass advertising should follow adequate distribution."),
        ("MP-8e", "Objective O2 (SalesVolume) needs a deadline."),
        ("MP-8e", "Objective O3 (ProfitMargin) needs a numeric target and a deadline."),
        ("MP-8f", "The promotion mix adds up to CNY 6,000,000.01, more than the promotion budget of CNY 6,000,000.00."),
        ("MP-8g", "The plan states no unique selling proposition (USP)."),
    }
    stage(LifeCycleStage.DECLINE, PromotionObjective.PERSUADE)(agency, plan)
    by_rule = {f.rule: f.message for f in agency.review_plan(plan)}
    assert by_rule["MP-8a"] == "In the Decline stage promotion should only remind, with minimal support; " \
                               "the plan aims to Persuade."
    assert by_rule["MP-8d"] == ("The product is in decline and advertising is the largest mix element, but the plan "
                                "notes no product improvement or repositioning.")
    stage(LifeCycleStage.LAUNCH, PromotionObjective.INFORM)(agency, plan)
    assert {f.rule: f.message for f in agency.review_plan(plan)}["MP-8b"] == (
        "A launch needs a brand-awareness objective: awareness comes first.")


def test_review_threshold_comes_from_the_policy(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    coverage("55")(agency, plan)
    p = agency.get_plan(plan)
    assert rules(p.review(agency.policy)) == ["MP-8c"]
    lenient = aecore.Policy()
    lenient.min_distribution_for_advertising = 50
    assert rules(p.review(lenient)) == []
    strict = aecore.Policy()
    strict.min_distribution_for_advertising = 80
    strict_review = agency.get_plan(plan).review(strict)
    assert rules(strict_review) == ["MP-8c"] and "(below 80%)" in strict_review[0].message
    # the agency's own (live) policy drives Agency.review_plan
    agency.policy.min_distribution_for_advertising = 50
    assert rules(agency.review_plan(plan)) == []
    coverage("49.99")(agency, plan)
    assert rules(agency.review_plan(plan)) == ["MP-8c"]
    assert "(below 50%)" in agency.review_plan(plan)[0].message
    with pytest.raises(aecore.ValidationError) as ei:
        agency.policy.min_distribution_for_advertising = 101
    assert ei.value.rule == "MP-8c"


def test_plan_review_stub_and_runtime_agree_on_the_policy_argument() -> None:
    """_core.pyi declares MarketingPlan.review(policy: Policy | None = None); the runtime
    method must accept exactly what the stub promises (or the stub must say policy is required)."""
    tree = ast.parse(Path(aecore.__file__).with_name("_core.pyi").read_text(encoding="utf-8"))
    [cls] = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "MarketingPlan"]
    [fn] = [n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "review"]
    stub_optional = len(fn.args.defaults) == 1
    runtime = inspect.signature(aecore.MarketingPlan.review).parameters["policy"]
    assert stub_optional == (runtime.default is not inspect.Parameter.empty)
    if stub_optional:  # without a policy the SPEC defaults apply
        # The P8 launch plan (MP0005), whose review has findings to compare.
        p = aecore.sample_agency().get_plan("MP0005")
        assert p.title == "P8 launch" and len(p.review()) == 6
        assert list(p.review()) == list(p.review(aecore.Policy()))


# ----------------------------------------------------------------- PlanReview API


def test_plan_review_api(pbook: aecore.Agency) -> None:
    plan = new_plan(pbook)
    pbook.set_place(plan, coverage_percent="35")
    pbook.set_promotion(plan, budget=cny("100"), mix={ADV: cny("150")}, objective=PromotionObjective.PERSUADE)
    pbook.add_objective(plan, ObjectiveKind.SALES_VOLUME, target="400000")
    review = pbook.review_plan(plan)
    assert type(review) is aecore.PlanReview
    assert isinstance(review, collections.abc.Sequence)
    assert review.plan == plan
    assert len(review) == 6
    assert rules(review) == ["MP-8e", "MP-8f", "MP-8g", "MP-8a", "MP-8b", "MP-8c"]
    order = list(Severity)
    assert [order.index(f.severity) for f in review] == sorted(order.index(f.severity) for f in review)
    assert review[0].rule == "MP-8e" and review[-1].rule == "MP-8c"
    assert rules(review[1:3]) == ["MP-8f", "MP-8g"]
    assert [f.rule for f in review.errors] == ["MP-8e", "MP-8f", "MP-8g"]
    assert all(f.severity is Severity.ERROR for f in review.errors)
    assert review.approvable is False
    assert review[0] in review
    assert repr(review) == (f"PlanReview(plan={plan!r}, MP-8e ERROR, MP-8f ERROR, MP-8g ERROR, "
                            "MP-8a WARNING, MP-8b WARNING, MP-8c WARNING)")
    assert repr(review[0]) == "PlanFinding(rule='MP-8e', severity=ERROR, message='Objective O1 (SalesVolume) needs a deadline.')"


def test_plan_review_to_dataframe(pbook: aecore.Agency) -> None:
    plan = new_plan(pbook)
    pbook.set_place(plan, coverage_percent="35")
    pbook.set_promotion(plan, budget=cny("100"), mix={ADV: cny("10")})
    review = pbook.review_plan(plan)
    df = review.to_dataframe()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["rule", "severity", "message"]
    assert str(df["rule"].dtype) == "string"
    assert str(df["message"].dtype) == "string"
    assert isinstance(df["severity"].dtype, pd.CategoricalDtype)
    assert df["severity"].cat.ordered
    assert list(df["severity"].cat.categories) == ["ERROR", "WARNING", "ADVICE"]
    assert list(df["rule"]) == ["MP-8g", "MP-8b", "MP-8c"]
    assert list(df["severity"]) == ["ERROR", "WARNING", "WARNING"]
    assert list(df["message"]) == [f.message for f in review]
    assert df["severity"].min() == "ERROR" and df["severity"].max() == "WARNING"  # ordered categorical
    assert len(df) == len(review)


def test_clean_review_is_approvable_and_empty(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    review = agency.review_plan(plan)
    assert (len(review), list(review), review.errors, review.approvable) == (0, [], [], True)
    assert repr(review) == f"PlanReview(plan={plan!r}, no findings)"
    assert "can be approved" in review._repr_html_()
    df = review.to_dataframe()
    assert len(df) == 0
    assert list(df.columns) == ["rule", "severity", "message"]
    assert str(df["rule"].dtype) == "string"
    assert isinstance(df["severity"].dtype, pd.CategoricalDtype)


def test_plan_review_html(pbook: aecore.Agency) -> None:
    plan = new_plan(pbook)
    pbook.set_place(plan, coverage_percent="35")
    pbook.set_promotion(plan, budget=cny("100"), mix={ADV: cny("150")})
    review = pbook.review_plan(plan)
    page = review._repr_html_()
    assert f"Review of plan {plan}" in page
    assert "2 error(s) block approval" in page
    assert page.count("<tr>") == 1 + len(review)
    for f in review:
        assert f"<td>{f.rule}</td>" in page
        assert f"<td>{f.severity.name.lower()}</td>" in page
    assert page.index("MP-8f") < page.index("MP-8c")  # most severe first


# ----------------------------------------------------------------- workflow


def test_workflow_draft_proposed_approved(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    p = agency.propose_plan(plan, actor=AE1_ID, at=PROPOSED, note="for the annual review")
    assert p.status is PlanStatus.PROPOSED
    assert agency.get_plan(plan).status is PlanStatus.PROPOSED
    # a Proposed plan can still be edited before the client approves it
    agency.set_strategy(plan, target_audience="urban families, 25-45", positioning="the quickest real noodle",
                        execution="TV + short video")
    p = agency.approve_plan(plan, contact="K02", at=APPROVED, note="approved at the annual review")
    assert p.status is PlanStatus.CLIENT_APPROVED
    assert (p.approved_by, p.approved_at) == ("K02", APPROVED)
    assert type(p.approved_at) is dt.datetime
    assert [(h.from_status, h.to_status, h.at, h.actor, h.note) for h in p.history] == [
        (PlanStatus.DRAFT, PlanStatus.DRAFT, CREATED, AE1_ID, "created"),
        (PlanStatus.DRAFT, PlanStatus.PROPOSED, PROPOSED, AE1_ID, "for the annual review"),
        (PlanStatus.PROPOSED, PlanStatus.CLIENT_APPROVED, APPROVED, "client:K02", "approved at the annual review"),
    ]
    assert agency.get_plan(plan) == p


def test_approval_with_only_warnings_is_allowed(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    coverage("30")(agency, plan)
    assert rules(agency.review_plan(plan)) == ["MP-8c"]
    assert approve(agency, plan).status is PlanStatus.CLIENT_APPROVED


def test_approval_is_refused_while_errors_stand(clean: tuple[aecore.Agency, str], unchanged) -> None:
    agency, plan = clean
    stage(LifeCycleStage.GROWTH, PromotionObjective.PERSUADE, usp="")(agency, plan)
    mix("100", adv="150")(agency, plan)
    agency.propose_plan(plan, actor=AE1_ID, at=PROPOSED)
    with unchanged(agency), pytest.raises(aecore.StateError) as ei:
        agency.approve_plan(plan, contact="K01", at=APPROVED)
    e = ei.value
    assert_error(e, aecore.StateError, RuntimeError, "plan.review", "MP-8")
    assert e.value == plan
    for f in agency.review_plan(plan).errors:
        assert f"{f.rule}: {f.message}" in str(e)
    assert "MP-8c" not in str(e)  # warnings do not block and are not listed
    # fix the errors on the Proposed plan, then the client can approve
    stage(LifeCycleStage.GROWTH, PromotionObjective.PERSUADE)(agency, plan)
    mix("150", adv="150")(agency, plan)
    assert agency.approve_plan(plan, contact="K01", at=APPROVED).status is PlanStatus.CLIENT_APPROVED


def _approved(agency: aecore.Agency, plan: str) -> None:
    approve(agency, plan)


def _superseded(agency: aecore.Agency, plan: str) -> None:
    approve(agency, plan)
    v2 = agency.new_plan_version(plan, author=AE1_ID, at=T(2026, 12, 1, 9, 0)).id
    approve(agency, v2, T(2026, 12, 2, 9, 0), T(2026, 12, 3, 9, 0))


def _proposed(agency: aecore.Agency, plan: str) -> None:
    agency.propose_plan(plan, actor=AE1_ID, at=PROPOSED)


EDITS: list[tuple[str, Callable[[aecore.Agency, str], Any]]] = [
    ("product", lambda a, p: a.set_product_section(p, stage=LifeCycleStage.MATURITY, usp="new")),
    ("price", lambda a, p: a.set_price(p, list_price=cny("13.50"))),
    ("place", lambda a, p: a.set_place(p, coverage_percent="80")),
    ("promotion", lambda a, p: a.set_promotion(p, budget=cny("7000000"))),
    ("strategy", lambda a, p: a.set_strategy(p, execution="outdoor")),
    ("objective", lambda a, p: a.add_objective(p, ObjectiveKind.SALES_VOLUME, target="1", deadline=END)),
    ("propose", lambda a, p: a.propose_plan(p, actor=AE1_ID, at=T(2027, 1, 5, 9, 0))),
]


@pytest.mark.parametrize("state", [_approved, _superseded], ids=["approved", "superseded"])
@pytest.mark.parametrize(("case", "edit"), EDITS, ids=[e[0] for e in EDITS])
def test_an_approved_or_superseded_plan_cannot_be_edited(clean, unchanged, state, case, edit) -> None:
    agency, plan = clean
    state(agency, plan)
    with unchanged(agency), pytest.raises(aecore.StateError) as ei:
        edit(agency, plan)
    assert_error(ei.value, aecore.StateError, RuntimeError, "plan.status", "MP-8")
    assert "new_plan_version" in str(ei.value)


WORKFLOW_ERRORS = [
    ("approve-draft", None, lambda a, p: a.approve_plan(p, contact="K01", at=APPROVED),
     aecore.StateError, RuntimeError, "plan.status", "MP-8"),
    ("approve-approved", _approved, lambda a, p: a.approve_plan(p, contact="K01", at=T(2026, 11, 21)),
     aecore.StateError, RuntimeError, "plan.status", "MP-8"),
    ("approve-superseded", _superseded, lambda a, p: a.approve_plan(p, contact="K01", at=T(2026, 12, 5)),
     aecore.StateError, RuntimeError, "plan.status", "MP-8"),
    ("propose-proposed", _proposed, lambda a, p: a.propose_plan(p, actor=AE1_ID, at=T(2026, 11, 11)),
     aecore.StateError, RuntimeError, "plan.status", "MP-8"),
    ("new-version-of-draft", None, lambda a, p: a.new_plan_version(p, author=AE1_ID, at=T(2026, 11, 11)),
     aecore.StateError, RuntimeError, "plan.status", "MP-8"),
    ("new-version-of-proposed", _proposed, lambda a, p: a.new_plan_version(p, author=AE1_ID, at=T(2026, 11, 11)),
     aecore.StateError, RuntimeError, "plan.status", "MP-8"),
    ("new-version-of-superseded", _superseded,
     lambda a, p: a.new_plan_version(p, author=AE1_ID, at=T(2026, 12, 5)),
     aecore.StateError, RuntimeError, "plan.status", "MP-8"),
    ("approve-unknown-contact", _proposed, lambda a, p: a.approve_plan(p, contact="K09", at=APPROVED),
     aecore.NotFoundError, KeyError, "plan.approved_by", "MP-7"),
    ("approve-before-proposal", _proposed, lambda a, p: a.approve_plan(p, contact="K01", at=T(2026, 11, 10, 14, 59)),
     aecore.ValidationError, ValueError, "plan.at", "MP-8"),
    ("propose-before-creation", None, lambda a, p: a.propose_plan(p, actor=AE1_ID, at=T(2026, 11, 1)),
     aecore.ValidationError, ValueError, "plan.at", "MP-8"),
    ("propose-unknown-staff", None, lambda a, p: a.propose_plan(p, actor="S0999", at=PROPOSED),
     aecore.NotFoundError, KeyError, "plan.actor", "MP-8"),
    ("new-version-unknown-author", _approved, lambda a, p: a.new_plan_version(p, author="S0999", at=T(2026, 12, 1)),
     aecore.NotFoundError, KeyError, "plan.author", "MP-8"),
    ("new-version-before-approval", _approved,
     lambda a, p: a.new_plan_version(p, author=AE1_ID, at=T(2026, 11, 20, 10, 0)),
     aecore.ValidationError, ValueError, "plan.at", "MP-8"),
    ("approve-unknown-plan", None, lambda a, p: a.approve_plan("MP0042", contact="K01", at=APPROVED),
     aecore.NotFoundError, KeyError, "plan.id", "MP-1"),
]


@pytest.mark.parametrize(("case", "state", "call", "error", "builtin", "field", "rule"), WORKFLOW_ERRORS,
                         ids=[w[0] for w in WORKFLOW_ERRORS])
def test_workflow_errors(clean, unchanged, case, state, call, error, builtin, field, rule) -> None:
    agency, plan = clean
    if state:
        state(agency, plan)
    with unchanged(agency), pytest.raises(aecore.Error) as ei:
        call(agency, plan)
    assert_error(ei.value, error, builtin, field, rule)


def test_new_version_then_approval_supersedes_and_approved_plan_follows_history(clean, unchanged) -> None:
    agency, plan = clean
    assert agency.approved_plan(HOME_CODE, BRAND, D(2026, 11, 19)) is None
    agency.propose_plan(plan, actor=AE1_ID, at=PROPOSED)
    assert agency.approved_plan(HOME_CODE, BRAND, D(2026, 11, 30)) is None  # proposed is not approved
    v1 = agency.approve_plan(plan, contact="K01", at=APPROVED)
    assert agency.approved_plan(HOME_CODE, BRAND, D(2026, 11, 19)) is None  # before approval
    assert agency.approved_plan(HOME_CODE, BRAND, D(2026, 11, 20)) == v1  # the day of approval
    agency.record_actual(plan, "O1", D(2027, 3, 31), "12.1")

    v2 = agency.new_plan_version(plan, author=AE2_ID, at=T(2027, 4, 2, 9, 0))
    assert (v2.id, v2.version, v2.supersedes, v2.superseded_by) == ("MP0002", 2, plan, None)
    assert (v2.status, v2.approved_by, v2.approved_at) == (PlanStatus.DRAFT, None, None)
    assert [(h.from_status, h.to_status, h.at, h.actor, h.note) for h in v2.history] == [
        (PlanStatus.DRAFT, PlanStatus.DRAFT, T(2027, 4, 2, 9, 0), AE2_ID, f"version 2 of {plan}")]
    old = agency.get_plan(plan)
    assert (v2.client, v2.brand, v2.product, v2.period_start, v2.period_end, v2.market, v2.title) == (
        old.client, old.brand, old.product, old.period_start, old.period_end, old.market, old.title)
    assert snap([v2.product_section, v2.price, v2.place, v2.promotion, v2.strategy]) == snap(
        [old.product_section, old.price, old.place, old.promotion, old.strategy])
    assert snap(v2.objectives) == snap(old.objectives)  # with the measured actuals
    assert len(v2.objectives[0].actuals) == 1
    assert old.status is PlanStatus.CLIENT_APPROVED  # still in force while v2 is prepared
    agency.set_promotion(v2.id, budget=cny("6800000"), objective=PromotionObjective.PERSUADE,
                         mix={ADV: cny("3600000"), SP: cny("2300000"), PR: cny("600000")})
    assert agency.get_plan(plan).promotion.budget == cny("6000000")  # the approved plan is untouched
    agency.propose_plan(v2.id, actor=AE2_ID, at=T(2027, 4, 5, 10, 0))
    assert agency.approved_plan(HOME_CODE, BRAND, D(2027, 4, 6)) == agency.get_plan(plan)
    v2 = agency.approve_plan(v2.id, contact="K01", at=T(2027, 4, 8, 16, 0))

    v1 = agency.get_plan(plan)
    assert (v1.status, v1.superseded_by) == (PlanStatus.SUPERSEDED, "MP0002")
    assert (v1.approved_by, v1.approved_at) == ("K01", APPROVED)  # kept
    last = v1.history[-1]
    assert (last.from_status, last.to_status, last.at, last.actor, last.note) == (
        PlanStatus.CLIENT_APPROVED, PlanStatus.SUPERSEDED, T(2027, 4, 8, 16, 0), "client:K01", "superseded by MP0002")
    assert v2.status is PlanStatus.CLIENT_APPROVED
    # approved_plan as of any day: None before v1's approval, v1 until v2's approval, then v2
    assert agency.approved_plan(HOME_CODE, BRAND, D(2026, 11, 19)) is None
    assert agency.approved_plan(HOME_CODE, BRAND, D(2026, 11, 20)).id == plan
    assert agency.approved_plan(HOME_CODE, BRAND, D(2027, 4, 7)).id == plan
    assert agency.approved_plan(HOME_CODE, BRAND, D(2027, 4, 8)) == v2
    assert agency.approved_plan(HOME_CODE, BRAND, D(2030, 1, 1)) == v2
    assert agency.approved_plan(HOME_CODE, "Little Chef", D(2030, 1, 1)) is None
    assert agency.approved_plan(AWAY_CODE, BRAND, D(2030, 1, 1)) is None
    # a superseded plan cannot be approved again nor be the source of a version
    with unchanged(agency), pytest.raises(aecore.StateError):
        agency.approve_plan(plan, contact="K01", at=T(2027, 5, 1))
    with unchanged(agency), pytest.raises(aecore.StateError):
        agency.new_plan_version(plan, author=AE1_ID, at=T(2027, 5, 1))
    # a third version follows the same path
    v3 = agency.new_plan_version(v2.id, author=AE1_ID, at=T(2027, 6, 1))
    assert (v3.id, v3.version, v3.supersedes) == ("MP0003", 3, "MP0002")
    approve(agency, v3.id, T(2027, 6, 2), T(2027, 6, 3))
    assert agency.get_plan("MP0002").superseded_by == "MP0003"
    assert [agency.approved_plan(HOME_CODE, BRAND, d).id for d in (D(2027, 1, 1), D(2027, 5, 1), D(2027, 6, 3))] == [
        "MP0001", "MP0002", "MP0003"]
    # a refused approval of a new version leaves the approved plan in force
    v4 = agency.new_plan_version(v3.id, author=AE1_ID, at=T(2027, 7, 1)).id
    stage(LifeCycleStage.GROWTH, PromotionObjective.PERSUADE, usp="")(agency, v4)
    agency.propose_plan(v4, actor=AE1_ID, at=T(2027, 7, 2))
    with unchanged(agency), pytest.raises(aecore.StateError):
        agency.approve_plan(v4, contact="K01", at=T(2027, 7, 3))
    assert agency.get_plan("MP0003").status is PlanStatus.CLIENT_APPROVED
    assert agency.approved_plan(HOME_CODE, BRAND, D(2027, 7, 4)).id == "MP0003"


def test_approving_another_plan_for_the_brand_supersedes_the_approved_one(pbook: aecore.Agency) -> None:
    a = clean_plan(pbook)
    approve(pbook, a)
    other = clean_plan(pbook, brand="Panda", client=AWAY_CODE)
    approve(pbook, other)  # another client's brand: nothing superseded
    b = clean_plan(pbook, created=T(2026, 12, 1))
    approve(pbook, b, T(2026, 12, 2), T(2026, 12, 3))
    assert [p.status for p in pbook.plans] == [PlanStatus.SUPERSEDED, PlanStatus.CLIENT_APPROVED,
                                               PlanStatus.CLIENT_APPROVED]
    assert pbook.get_plan(a).superseded_by == b
    assert pbook.get_plan(b).supersedes is None  # not a version of a, but it replaces it
    assert pbook.approved_plan(HOME_CODE, BRAND, D(2026, 12, 2)).id == a
    assert pbook.approved_plan(HOME_CODE, BRAND, D(2026, 12, 3)).id == b
    assert pbook.approved_plan(AWAY_CODE, "Panda", D(2026, 12, 3)).id == other


def test_superseding_approval_dated_before_the_previous_approval_keeps_history_in_order(pbook: aecore.Agency) -> None:
    """Plan A is approved on 22 July; plan B for the same brand, proposed in June, is then
    approved with a June date. The approval either has to be refused (plan.at) or leave
    every plan's history running forward in time — otherwise the agency writes a JSON
    document that Agency.from_json refuses ("history must run forward in time")."""
    a = clean_plan(pbook, created=T(2026, 6, 1))
    b = clean_plan(pbook, created=T(2026, 6, 1))
    approve(pbook, a, T(2026, 7, 1), T(2026, 7, 22))
    pbook.propose_plan(b, actor=AE1_ID, at=T(2026, 6, 2))
    before = pbook.to_json()
    try:
        pbook.approve_plan(b, contact="K01", at=T(2026, 6, 3))
    except aecore.ValidationError as e:
        assert e.field == "plan.at"
        assert pbook.to_json() == before
    for p in pbook.plans:
        times = [h.at for h in p.history]
        assert times == sorted(times), (p.id, times)
    back = aecore.Agency.from_json(pbook.to_json())
    assert back.to_json() == pbook.to_json()


# ----------------------------------------------------------------- audit (AS-4) on plans


def plan_findings(agency: aecore.Agency, as_of: dt.date) -> list[tuple[str, str, str, dt.date | None]]:
    return [(f.rule, f.severity.name, f.subject, f.due) for f in agency.audit(as_of) if f.rule.startswith("MP-")]


def test_audit_mp1_plan_not_approved_when_its_period_begins(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    assert plan_findings(agency, D(2026, 12, 31)) == []
    assert plan_findings(agency, START) == [("MP-1", "WARNING", plan, START)]
    [f] = agency.audit(START).by_rule("MP-1")
    assert f.message == (f"plan {plan} (Harvest Gold 2027, Golden Harvest Foods) is still Draft although its "
                         "period began on 2027-01-01")
    agency.propose_plan(plan, actor=AE1_ID, at=T(2027, 1, 3, 9, 0))
    agency.approve_plan(plan, contact="K01", at=T(2027, 1, 5, 9, 0))
    # historical: still Draft on the 2nd, Proposed on the 4th, approved from the 5th
    assert "still Draft" in agency.audit(D(2027, 1, 2)).by_rule("MP-1")[0].message
    assert "still Proposed" in agency.audit(D(2027, 1, 4)).by_rule("MP-1")[0].message
    assert agency.audit(D(2027, 1, 5)).by_rule("MP-1") == []
    assert plan_findings(agency, D(2027, 2, 1)) == []


def test_audit_mp1_ignores_plans_not_yet_created(pbook: aecore.Agency) -> None:
    plan = clean_plan(pbook, created=T(2027, 2, 1, 9, 0))  # made after its period began
    assert plan_findings(pbook, D(2027, 1, 15)) == []
    assert plan_findings(pbook, D(2027, 2, 1)) == [("MP-1", "WARNING", plan, START)]


def test_audit_mp6_objective_past_deadline_without_an_actual(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    agency.add_objective(plan, ObjectiveKind.SALES_VOLUME, baseline="0", target="1000", deadline=D(2027, 6, 30))
    agency.add_objective(plan, ObjectiveKind.BRAND_IMAGE, description="modern")  # qualitative: never flagged
    approve(agency, plan)
    assert plan_findings(agency, D(2027, 6, 30)) == []  # the deadline day itself is fine
    assert plan_findings(agency, D(2027, 7, 1)) == [("MP-6", "WARNING", plan, D(2027, 6, 30))]
    [f] = agency.audit(D(2027, 7, 1)).by_rule("MP-6")
    assert f.message == (f"objective O2 (SalesVolume) of plan {plan} (Harvest Gold 2027, Golden Harvest Foods) "
                         "passed its deadline 2027-06-30 without a measured actual")
    agency.record_actual(plan, "O2", D(2027, 7, 5), "900")
    assert plan_findings(agency, D(2027, 7, 4)) == [("MP-6", "WARNING", plan, D(2027, 6, 30))]  # as it stood then
    assert plan_findings(agency, D(2027, 7, 5)) == []
    # O1 (deadline 2027-12-31) without an actual is flagged from 2028-01-01
    assert plan_findings(agency, D(2028, 1, 1)) == [("MP-6", "WARNING", plan, END)]


def test_audit_mp8_warnings_of_approved_plans(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    stage(LifeCycleStage.MATURITY, PromotionObjective.PERSUADE)(agency, plan)  # MP-8a warning
    agency.propose_plan(plan, actor=AE1_ID, at=PROPOSED)
    assert plan_findings(agency, D(2026, 11, 15)) == []  # not approved yet: the review is the AE's business
    agency.approve_plan(plan, contact="K01", at=APPROVED)
    assert plan_findings(agency, D(2026, 11, 19)) == []  # historical: before the approval
    assert plan_findings(agency, D(2026, 11, 20)) == [("MP-8a", "WARNING", plan, None)]
    [f] = agency.audit(D(2026, 11, 20)).by_rule("MP-8a")
    assert f.message == (f"approved plan {plan} (Harvest Gold 2027, Golden Harvest Foods): In the Maturity stage "
                         "promotion should aim to Remind; the plan aims to Persuade.")
    # the configurable threshold reaches the audit too
    agency.policy.min_distribution_for_advertising = 80
    assert [r for r, *_ in plan_findings(agency, D(2026, 11, 20))] == ["MP-8a", "MP-8c"]
    agency.policy.min_distribution_for_advertising = 60
    # once superseded, the plan's warnings are no longer reported, except as of earlier days
    v2 = agency.new_plan_version(plan, author=AE1_ID, at=T(2026, 11, 25)).id
    stage(LifeCycleStage.MATURITY, PromotionObjective.REMIND)(agency, v2)
    approve(agency, v2, T(2026, 11, 26), T(2026, 11, 27))
    assert plan_findings(agency, D(2026, 11, 26)) == [("MP-8a", "WARNING", plan, None)]
    assert plan_findings(agency, D(2026, 11, 27)) == []


# ----------------------------------------------------------------- notebook views


def test_mix_frame(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    agency.set_promotion(plan, budget=cny("6000000"), mix={ADV: cny("1000000"), SP: cny("1000000"),
                                                           PR: cny("1000000.01")})
    df = agency.get_plan(plan).mix_frame()
    assert isinstance(df, pd.DataFrame)
    assert list(df.index) == ["ADVERTISING", "SALES_PROMOTION", "PUBLIC_RELATIONS"]
    assert df.index.name == "element"
    assert str(df.index.dtype) == "string"
    assert list(df.columns) == ["budget", "currency", "share_of_mix", "share_of_budget"]
    assert [str(t) for t in df.dtypes] == ["object", "string", "object", "object"]
    assert list(df["budget"]) == [Decimal("1000000.00"), Decimal("1000000.00"), Decimal("1000000.01")]
    assert all(type(v) is Decimal for v in df["budget"])
    assert list(df["currency"]) == ["CNY"] * 3
    shares = list(df["share_of_mix"])
    assert all(type(s) is Decimal and s.as_tuple().exponent == -4 for s in shares)
    assert shares == [Decimal("0.3333"), Decimal("0.3333"), Decimal("0.3333")]
    assert abs(sum(shares) - 1) <= Decimal("0.00005") * len(shares)
    assert list(df["share_of_budget"]) == [Decimal("0.1667"), Decimal("0.1667"), Decimal("0.1667")]
    assert df.loc["ADVERTISING", "budget"] == Decimal("1000000.00")


@pytest.mark.parametrize(
    "amounts",
    [["3600000", "1500000", "600000"], ["1", "1", "1", "1", "3"], ["0.01", "999.99"], ["7"], ["1", "2", "3", "4", "5"]],
)
def test_mix_shares_sum_to_one_within_rounding(clean: tuple[aecore.Agency, str], amounts: list[str]) -> None:
    agency, plan = clean
    elements = [ADV, SP, PR, PS, DM][: len(amounts)]
    agency.set_promotion(plan, budget=cny("100000000"), mix=dict(zip(elements, map(cny, amounts))))
    df = agency.get_plan(plan).mix_frame()
    assert list(df.index) == [e.name for e in elements]
    total = sum(df["share_of_mix"])
    assert abs(total - 1) <= Decimal("0.00005") * len(amounts)
    exact_total = sum(Decimal(a) for a in amounts)
    for value, amount in zip(df["share_of_mix"], amounts):
        assert value == (Decimal(amount) / exact_total).quantize(Decimal("0.0001"), rounding=decimal.ROUND_HALF_EVEN)


def test_mix_frame_without_budget_or_mix(pbook: aecore.Agency) -> None:
    plan = new_plan(pbook)
    empty = pbook.get_plan(plan).mix_frame()
    assert len(empty) == 0
    assert list(empty.columns) == ["budget", "currency", "share_of_mix", "share_of_budget"]
    assert empty.index.name == "element"
    p = pbook.set_promotion(plan, mix={ADV: cny("300"), PR: cny("100")})  # no promotion budget
    df = p.mix_frame()
    assert list(df["share_of_mix"]) == [Decimal("0.7500"), Decimal("0.2500")]
    assert all(v is None or pd.isna(v) for v in df["share_of_budget"])
    zero = pbook.set_promotion(plan, budget=cny("100"), mix={ADV: cny("0")}).mix_frame()
    assert all(v is None or pd.isna(v) for v in zero["share_of_mix"])
    assert list(zero["share_of_budget"]) == [Decimal("0.0000")]


def test_plan_html_shows_the_four_ps(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    page = agency.get_plan(plan)._repr_html_()
    for p in ("Product", "Price", "Place", "Promotion"):
        assert f"<th>{p}</th>" in page
    assert "Harvest Gold 2027" in page and plan in page and "DRAFT" in page
    assert "growth stage" in page and "Hand-pulled texture in 3 minutes" in page
    assert "premium" in page and "Master Kong" in page and "CNY 12.80" in page
    assert "coverage 72%" in page and "18000 → 26000" in page and "hypermarkets" in page
    assert "persuade" in page and "CNY 6,000,000.00" in page and "advertising CNY 3,600,000.00" in page
    assert "O1 market_share" in page and "tier-1 cities" in page


def test_plan_html_escapes_text(pbook: aecore.Agency) -> None:
    plan = new_plan(pbook, title="Noodles & <Co>")
    pbook.set_product_section(plan, stage=LifeCycleStage.GROWTH, usp="<script>alert(1)</script>",
                              tangible_benefits=["<b>fast</b>"])
    pbook.set_price(plan, competitors={"<i>Rival</i>": cny("1")})
    pbook.set_place(plan, channels=["<u>shops</u>"], coverage_percent="10")
    pbook.add_objective(plan, ObjectiveKind.BRAND_IMAGE, description="<em>trusted</em>")
    page = pbook.get_plan(plan)._repr_html_()
    for raw in ("<script>", "<b>fast", "<i>Rival", "<u>shops", "<em>trusted", "<Co>"):
        assert raw not in page
    assert "&lt;script&gt;" in page and "Noodles &amp; &lt;Co&gt;" in page


def test_plan_reprs(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    p = agency.get_plan(plan)
    assert repr(p) == (f"MarketingPlan(id={plan!r}, client={HOME_CODE!r}, brand='Harvest Gold', status=DRAFT, "
                       "version=1, period_start=2027-01-01, period_end=2027-12-31)")
    assert repr(p.objectives[0]) == "Objective(id='O1', kind=MARKET_SHARE, baseline=11.5, target=14, deadline=2027-12-31)"
    assert repr(p.promotion.mix[0]) == "MixBudget(element=ADVERTISING, budget=Money('3600000.00', 'CNY'))"


# ----------------------------------------------------------------- persistence


def test_json_round_trip_with_plans_is_byte_identical(clean: tuple[aecore.Agency, str]) -> None:
    agency, plan = clean
    agency.add_objective(plan, ObjectiveKind.BRAND_IMAGE, description="trusted")
    agency.record_actual(plan, "O1", D(2027, 3, 31), "12.05")
    agency.record_actual(plan, "O1", D(2027, 1, 31), "11.60")
    approve(agency, plan)
    v2 = agency.new_plan_version(plan, author=AE1_ID, at=T(2027, 4, 1)).id
    approve(agency, v2, T(2027, 4, 2), T(2027, 4, 3))
    new_plan(agency, client=AWAY_CODE, brand="Panda", product="P7 Phone", market=MarketType.RESELLER)  # Draft
    proposed = clean_plan(agency, created=T(2027, 4, 4))
    agency.propose_plan(proposed, actor=AE2_ID, at=T(2027, 4, 5), note="Q3 refresh")
    text = agency.to_json()
    back = aecore.Agency.from_json(text)
    assert back.to_json() == text
    assert back.plans == agency.plans
    assert [p.status for p in back.plans] == [PlanStatus.SUPERSEDED, PlanStatus.CLIENT_APPROVED, PlanStatus.DRAFT,
                                              PlanStatus.PROPOSED]
    assert back.approved_plan(HOME_CODE, BRAND, D(2027, 4, 2)).id == plan
    assert back.get_plan(plan).objectives[0].progress(D(2027, 3, 31)) == Decimal("0.2200")
    # the plan sequence continues after loading
    assert new_plan(back) == "MP0005"


# ----------------------------------------------------------------- sample agency


def test_sample_plans(sample: aecore.Agency) -> None:
    # Ids in order of creation (_add_plans): Harvest Gold 2026 and its version 2, then the two
    # compact plans of West Lake and Riverside (_simple_plan), the P8 launch and Spice House's draft.
    assert [(p.id, p.title, p.status) for p in sample.plans] == [
        ("MP0001", "Harvest Gold 2026", PlanStatus.SUPERSEDED),
        ("MP0002", "Harvest Gold 2026", PlanStatus.CLIENT_APPROVED),
        ("MP0003", "West Lake 2026 spring harvest", PlanStatus.CLIENT_APPROVED),
        ("MP0004", "Riverside 2026 H2 getaways", PlanStatus.CLIENT_APPROVED),
        ("MP0005", "P8 launch", PlanStatus.PROPOSED),
        ("MP0006", "Spice House 2027 (draft)", PlanStatus.DRAFT)]
    p1, p2, p3 = (sample.get_plan(i) for i in ("MP0001", "MP0002", "MP0005"))
    g = sample.find_client(p1.client)
    assert g.short_name == "GHFOOD"
    assert (p1.id, p1.status, p1.version, p1.superseded_by) == ("MP0001", PlanStatus.SUPERSEDED, 1, "MP0002")
    assert (p2.id, p2.status, p2.version, p2.supersedes) == ("MP0002", PlanStatus.CLIENT_APPROVED, 2, "MP0001")
    assert (p1.approved_by, p1.approved_at) == ("K01", T(2025, 12, 8, 11, 0))
    assert (p2.approved_by, p2.approved_at) == ("K01", T(2026, 7, 22, 16, 0))
    assert [h.to_status for h in p1.history] == [PlanStatus.DRAFT, PlanStatus.PROPOSED, PlanStatus.CLIENT_APPROVED,
                                                 PlanStatus.SUPERSEDED]
    assert p1.history[-1].note == "superseded by MP0002"
    assert p2.promotion.budget == cny("6800000")
    assert p1.promotion.budget == cny("6000000")
    assert list(sample.review_plan("MP0002")) == []
    share = p2.objectives[0]
    assert [(m.date, m.value) for m in share.actuals] == [(D(2026, 6, 30), Decimal("12.6")),
                                                          (D(2026, 9, 30), Decimal("13.1"))]
    assert share.progress(D(2026, 12, 31)) == Decimal("0.6400")
    # the approved plan for Harvest Gold through time
    assert sample.approved_plan(p1.client, "Harvest Gold", D(2025, 12, 7)) is None
    assert sample.approved_plan(p1.client, "Harvest Gold", D(2025, 12, 8)).id == "MP0001"
    assert sample.approved_plan(p1.client, "Harvest Gold", D(2026, 7, 21)).id == "MP0001"
    assert sample.approved_plan(p1.client, "Harvest Gold", D(2026, 7, 22)).id == "MP0002"
    # P8 launch: proposed, with errors that block approval
    assert (p3.id, p3.status, p3.brand, p3.product) == ("MP0005", PlanStatus.PROPOSED, "Panda", "P7 Phone")
    review = sample.review_plan("MP0005")
    assert [(f.rule, f.severity.name) for f in review] == [
        ("MP-8e", "ERROR"), ("MP-8f", "ERROR"), ("MP-8g", "ERROR"),
        ("MP-8a", "WARNING"), ("MP-8b", "WARNING"), ("MP-8c", "WARNING")]
    assert not review.approvable
    contact = sample.get_client(p3.client).contacts[0].id
    before = sample.to_json()
    with pytest.raises(aecore.StateError) as ei:
        sample.approve_plan("MP0005", contact=contact, at=T(2026, 11, 25, 10, 0))
    assert all(r in str(ei.value) for r in ("MP-8e", "MP-8f", "MP-8g"))
    assert sample.to_json() == before
    assert sample.approved_plan(p3.client, "Panda", D(2027, 1, 1)) is None
    # The compact H2 2026 plans: proposed 7 days after drafting, approved by K01 7 days later
    # (West Lake drafted 07-20 10:00, Riverside 07-01 10:00); the promotion budget split
    # 70 % advertising, 30 % sales promotion; one sales-revenue objective 10.0 M -> 11.5 M.
    codes = {c.short_name: c.code for c in sample.clients}
    for pid, short, brand, drafted, budget, advertising, promotion in [
            ("MP0003", "WLTEA", "West Lake", T(2026, 7, 20, 10, 0), "1200000", "840000", "360000"),
            ("MP0004", "RIVHOTEL", "Riverside", T(2026, 7, 1, 10, 0), "2000000", "1400000", "600000")]:
        p = sample.get_plan(pid)
        assert (p.client, p.brand, p.status, p.version) == (codes[short], brand, PlanStatus.CLIENT_APPROVED, 1)
        assert (p.period_start, p.period_end) == (D(2026, 7, 1), D(2026, 12, 31))
        assert [(h.to_status, h.at) for h in p.history] == [
            (PlanStatus.DRAFT, drafted), (PlanStatus.PROPOSED, drafted + dt.timedelta(days=7)),
            (PlanStatus.CLIENT_APPROVED, drafted + dt.timedelta(days=14))]
        assert (p.approved_by, p.approved_at) == ("K01", drafted + dt.timedelta(days=14))
        assert p.promotion.budget == cny(budget)
        assert [(m.element, m.budget) for m in p.promotion.mix] == [
            (MixElement.ADVERTISING, cny(advertising)), (MixElement.SALES_PROMOTION, cny(promotion))]
        # Maturity with Remind (MP-8a), coverage exactly 60 % (MP-8c needs less than 60), a USP,
        # a target and deadline on the objective and the mix within the budget: nothing to find.
        assert list(sample.review_plan(pid)) == []
    # West Lake's plan covers its brand from 08-03 10:00 (drafted 07-20 + 14 days), in time for
    # the print campaign issued 09-02 (JT-5).
    assert sample.approved_plan(codes["WLTEA"], "West Lake", D(2026, 8, 2)) is None
    assert sample.approved_plan(codes["WLTEA"], "West Lake", D(2026, 8, 3)).id == "MP0003"
    assert sample.approved_plan(codes["RIVHOTEL"], "Riverside", D(2026, 7, 15)).id == "MP0004"


def test_sample_plan_audit_history(sample: aecore.Agency) -> None:
    # 07-12: Harvest Gold v2 in draft; Riverside's plan (MP0004, period from 07-01) proposed on
    # 07-08 but not approved before 07-15.
    assert plan_findings(sample, D(2026, 7, 12)) == [("MP-1", "WARNING", "MP0002", D(2026, 1, 1)),
                                                      ("MP-1", "WARNING", "MP0004", D(2026, 7, 1))]
    # 07-23: v2 approved 07-22, Riverside 07-15; West Lake's (MP0003, drafted 07-20) is still a
    # draft three weeks into its period.
    assert plan_findings(sample, D(2026, 7, 23)) == [("MP-1", "WARNING", "MP0003", D(2026, 7, 1))]
    assert plan_findings(sample, D(2026, 8, 2)) == [("MP-1", "WARNING", "MP0003", D(2026, 7, 1))]  # proposed 07-27
    assert plan_findings(sample, D(2026, 8, 3)) == []  # approved 08-03 10:00
    assert plan_findings(sample, D(2026, 11, 30)) == []
    # The P8 launch plan MP0005 is still proposed when its period begins on 12-01.
    assert plan_findings(sample, D(2026, 12, 1)) == [("MP-1", "WARNING", "MP0005", D(2026, 12, 1))]
    # On 2027-01-01 Spice House's draft (MP0006, period from 2027-01-01) joins it, and the
    # sales-revenue objectives of MP0002, MP0003 and MP0004 (deadline 12-31) have no actual
    # (MP0002's market share has 13.1 of 09-30).
    assert plan_findings(sample, D(2027, 1, 1)) == [
        ("MP-1", "WARNING", "MP0005", D(2026, 12, 1)), ("MP-1", "WARNING", "MP0006", D(2027, 1, 1)),
        ("MP-6", "WARNING", "MP0002", D(2026, 12, 31)), ("MP-6", "WARNING", "MP0003", D(2026, 12, 31)),
        ("MP-6", "WARNING", "MP0004", D(2026, 12, 31))]


def test_sample_round_trip_keeps_plans(sample: aecore.Agency) -> None:
    text = sample.to_json()
    back = aecore.Agency.from_json(text)
    assert back.to_json() == text
    assert back.plans == sample.plans
    assert [list(back.review_plan(p.id)) for p in back.plans] == [list(sample.review_plan(p.id)) for p in sample.plans]
