"""The sample agency shipped with aecore, used by the demo, the examples and the notebooks.

The book is stored inside the package as JSON (``aecore/data/demo.json``), so
``aecore.sample_agency()`` needs no files of its own and loads in milliseconds. This module
also holds the code that built it: ``build("demo")`` replays every posting through the
public API, and a test checks the shipped JSON is byte for byte what ``build`` produces.
After changing the builder, refresh the shipped file with ``scripts/update_sample_book.py``.
"""

from __future__ import annotations

import datetime as _dt
import os as _os
from decimal import Decimal as _Decimal
from importlib import resources as _resources
from pathlib import Path as _Path
from typing import Any

from . import _core

#: The sample books shipped with the package.
NAMES = ("demo",)

# Public holidays and make-up working days (调休) of the sample agency's 2026 calendar.
_HOLIDAYS_2026 = [
    _dt.date(2026, 1, 1),
    *[_dt.date(2026, 2, d) for d in (16, 17, 18, 19, 20, 23)],
    _dt.date(2026, 4, 6),
    _dt.date(2026, 5, 1),
    _dt.date(2026, 5, 4),
    _dt.date(2026, 5, 5),
    _dt.date(2026, 6, 19),
    _dt.date(2026, 9, 25),
    *[_dt.date(2026, 10, d) for d in (1, 2, 5, 6, 7)],
]
_MAKE_UP_DAYS_2026 = [_dt.date(2026, 2, 14), _dt.date(2026, 2, 28), _dt.date(2026, 5, 9), _dt.date(2026, 10, 10)]


def _unknown_sample(name: str) -> _core.NotFoundError:
    detail = f"no such sample book; choose one of {', '.join(NAMES)}"
    err = _core.NotFoundError(f"sample = {name!r}: {detail} [PS-1]")
    err.rule, err.field, err.value, err.detail = "PS-1", "sample", repr(name), detail
    return err


def sample_agency() -> _core.Agency:
    """The sample book: Sunrise Advertising in Shanghai, as of late November 2026.

    Its account team (an AD, two AMs, four AEs and two AAEs) with creative and media
    leads; a 2026 holiday calendar with make-up working days; twelve clients across nine
    cities, every pipeline stage and all three tiers; three weeks of account-service work
    in November 2026 (calls, meetings, notices, contact and status reports, with a few
    lapses for the audit to find); marketing plans (approved, superseded by an approved
    version 2, a proposed launch plan whose review still has errors, and a draft);
    September-November job tickets with client change requests, revision tickets and time
    sheets; cost estimates with a change order, purchase orders, vendor invoices, a
    duplicate posting reversed, invoices paid on time, late, partly and not at all, and a
    credit note; and performance evaluations of three account executives.

    Loaded from the JSON shipped inside the package; returns a new, independent Agency
    each call. Same as ``aecore.samples.load("demo")``."""
    return load("demo")


def synthetic(*, clients: int = 1000, jobs_per_client: int = 20, entries: int = 100_000, seed: int = 42,
              start: _dt.date = _dt.date(2016, 1, 4), days: int = 3650) -> _core.Agency:
    """A synthetic book of any size, for benchmarks, load tests and volume experiments.

    `clients` clients (1-100000) with `jobs_per_client` open job tickets each (1-1000), every
    ticket with an approved estimate, and at least `entries` ledger entries - commitments,
    vendor costs, invoices and payments (half in two instalments) - dated within
    [start, start + days). Built in C++ through the public API (so every rule holds) without
    the GIL: a million entries take about a second. The same arguments give the same book,
    byte for byte. Raises aecore.ValidationError (MB-3) for an argument out of range."""
    return _core.synthetic_agency(clients=clients, jobs_per_client=jobs_per_client, entries=entries, seed=seed,
                                  start=start, days=days)


def load(name: str = "demo") -> _core.Agency:
    """The shipped sample book `name` (one of ``aecore.samples.NAMES``) as a new Agency.

    Raises aecore.NotFoundError (a KeyError) for an unknown name."""
    if name not in NAMES:
        raise _unknown_sample(name)
    text = _resources.files(__package__).joinpath("data", f"{name}.json").read_text(encoding="utf-8")
    return _core.Agency.from_json(text)


def build(name: str = "demo") -> _core.Agency:
    """Builds the sample book `name` from code, posting everything through the public API
    (slower than ``load``; the shipped JSON is what this returns, saved)."""
    if name not in NAMES:
        raise _unknown_sample(name)
    return _build_demo()


def _build_demo() -> _core.Agency:
    agency = _core.Agency(name="Sunrise Advertising (Shanghai)", home_city="SH", currency="CNY")
    cal = agency.calendar
    cal.holidays = _HOLIDAYS_2026
    cal.working_weekend_days = _MAKE_UP_DAYS_2026

    def rate(yuan: str) -> _core.Money:
        return _core.Money(yuan, "CNY")

    T, D = _core.Title, _core.Department
    ad = agency.add_staff("Chen Jing 陈静", T.AD, hourly_rate=rate("680"), email="chen.jing@sunrise.example")
    am1 = agency.add_staff("Li Wei 李伟", T.AM, manager=ad.id, hourly_rate=rate("420"), email="li.wei@sunrise.example")
    am2 = agency.add_staff("Zhou Min 周敏", T.AM, manager=ad.id, hourly_rate=rate("410"), email="zhou.min@sunrise.example")
    agency.add_staff("Wang Fang 王芳", T.AE, manager=am1.id, hourly_rate=rate("260"), email="wang.fang@sunrise.example")
    agency.add_staff("Zhang Lei 张磊", T.AE, manager=am1.id, hourly_rate=rate("255"), email="zhang.lei@sunrise.example")
    agency.add_staff("Liu Yang 刘洋", T.AE, manager=am2.id, hourly_rate=rate("250"), email="liu.yang@sunrise.example")
    agency.add_staff("Huang Li 黄丽", T.AE, manager=am2.id, hourly_rate=rate("265"), email="huang.li@sunrise.example")
    agency.add_staff("Zhao Qiang 赵强", T.AAE, manager=am1.id, hourly_rate=rate("160"))
    agency.add_staff("Sun Yue 孙悦", T.AAE, manager=am2.id, hourly_rate=rate("155"))
    agency.add_staff("Ma Jun 马骏", T.AD, department=D.CREATIVE,
                     hourly_rate=rate("720"), email="ma.jun@sunrise.example")
    agency.add_staff("Gao Ning 高宁", T.AM, department=D.MEDIA, hourly_rate=rate("450"))
    codes = _add_clients(agency)
    _add_routines(agency, codes)
    _add_plans(agency, codes)
    _add_jobs(agency, codes)
    _add_money(agency, codes)
    _add_evaluations(agency)
    return agency


# Clients of the sample agency: (name, short name, city, first contact, owner AE, AAE,
# AM, stage, annual budget in yuan, brands {brand: [products]}).
_CLIENTS = [
    ("Golden Harvest Foods", "GHFOOD", "SH", _dt.date(2025, 3, 12), "S0004", "S0008", "S0002",
     "CLOSED", "12000000", {"Harvest Gold": ["Rice Noodles", "Soy Sauce"], "Little Chef": ["Frozen Dumplings"]}),
    ("Blue River Beverages", "BLUERIV", "SH", _dt.date(2025, 6, 3), "S0005", None, "S0002",
     "CLOSED", "8500000", {"Blue River": ["Green Tea", "Sparkling Water"]}),
    ("Panda Mobile", "PANDAMOB", "BJ", _dt.date(2025, 9, 18), "S0006", "S0009", "S0003",
     "CLOSED", "20000000", {"Panda": ["P7 Phone", "Panda Buds"]}),
    ("Chengdu Spice House", "SPICE", "CD", _dt.date(2026, 2, 9), "S0007", None, "S0003",
     "NEGOTIATING", "3000000", {"Spice House": ["Hotpot Base"]}),
    ("Lotus Cosmetics", "LOTUS", "GZ", _dt.date(2026, 4, 21), "S0004", None, "S0002",
     "CLOSED", "6000000", {"Lotus": ["Night Cream", "Sun Shield"]}),
    ("Harbour Bank", "HBBANK", "SZ", _dt.date(2026, 7, 6), "S0005", None, "S0002",
     "POTENTIAL", "15000000", {"Harbour Bank": ["Credit Card"]}),
    ("Northern Motors", "NMOTOR", "BJ", _dt.date(2024, 11, 2), "S0006", None, "S0003",
     "INTERRUPTED", "25000000", {"Northern": ["N5 Sedan"]}),
    ("Sunny Kids Toys", "SUNNYKID", "SH", _dt.date(2026, 9, 1), "S0007", None, "S0003",
     "NEGOTIATING", "1800000", {"Sunny Kids": ["Building Blocks"]}),
    ("West Lake Tea", "WLTEA", "HZ", _dt.date(2025, 8, 20), "S0007", None, "S0003",
     "CLOSED", "2400000", {"West Lake": ["Longjing Spring Tea"]}),
    ("Riverside Hotels", "RIVHOTEL", "WH", _dt.date(2025, 12, 1), "S0005", None, "S0002",
     "CLOSED", "3600000", {"Riverside": ["Weekend Getaways"]}),
    ("Jinling Pharmacy", "JLPHARM", "NJ", _dt.date(2026, 3, 15), "S0005", "S0008", "S0002",
     "CLOSED", "1500000", {"Jinling": ["Cold & Flu Range"]}),
    ("Terracotta Travel", "TERRA", "XA", _dt.date(2026, 10, 12), "S0006", None, "S0003",
     "POTENTIAL", "900000", {"Terracotta": ["Heritage Tours"]}),
]

_CONTACTS = {
    "GHFOOD": [("Xu Hong 徐红", "DECISION_MAKER", "Marketing Director", True), ("Lin Tao 林涛", "EXECUTOR", "Brand Manager", False)],
    "BLUERIV": [("He Ping 何平", "DECISION_MAKER", "CMO", True), ("Yu Jie 于洁", "INFLUENCER", "Sales Director", False)],
    "PANDAMOB": [("Song Kai 宋凯", "DECISION_MAKER", "VP Marketing", True), ("Guo Ying 郭颖", "EXECUTOR", "Media Manager", False)],
    "SPICE": [("Deng Rong 邓蓉", "DECISION_MAKER", "Owner", True)],
    "LOTUS": [("Tang Wen 唐雯", "EXECUTOR", "Brand Manager", False)],
    "HBBANK": [("Feng Yu 冯宇", "INFLUENCER", "Head of Retail Marketing", True)],
    "NMOTOR": [("Wei Dong 魏东", "DECISION_MAKER", "Marketing GM", True)],
    "SUNNYKID": [("Qian Li 钱丽", "DECISION_MAKER", "General Manager", True)],
    "WLTEA": [("Shen Yi 沈怡", "DECISION_MAKER", "Brand Director", True)],
    "RIVHOTEL": [("Kong Bo 孔博", "DECISION_MAKER", "Marketing Director", True),
                 ("Lu Xin 陆欣", "EXECUTOR", "E-commerce Manager", False)],
    "JLPHARM": [("Cao Mei 曹梅", "DECISION_MAKER", "Category Director", True)],
    "TERRA": [("Han Bing 韩冰", "INFLUENCER", "Product Manager", True)],
}


def _add_clients(agency: _core.Agency) -> dict[str, str]:
    """Registers the sample clients; returns short name -> client code."""
    codes: dict[str, str] = {}
    for name, short, city, first, ae, aae, am, stage, budget, brands in _CLIENTS:
        client = agency.register_client(
            name, short, city, first, ae, aae=aae, am=am, ad="S0001",
            stage=_core.PipelineStage[stage], annual_budget=_core.Money(budget, "CNY"),
            address=f"{city} business district", phone="+86 21 5555 0100",
        )
        codes[short] = client.code
        for brand, products in brands.items():
            agency.add_brand(client.code, brand)
            for product in products:
                agency.add_product(client.code, brand, product)
        for contact, role, job, primary in _CONTACTS[short]:
            agency.add_contact(client.code, contact, role=_core.DecisionRole[role], job_title=job, primary=primary)
    g = codes["GHFOOD"]
    agency.add_contract(g, start=_dt.date(2026, 1, 1), end=_dt.date(2026, 12, 31),
                        monthly_fee=_core.Money("120000", "CNY"), payment_terms="monthly, net 30")
    agency.add_contract(codes["PANDAMOB"], start=_dt.date(2026, 1, 1), end=_dt.date(2027, 6, 30),
                        monthly_fee=_core.Money("200000", "CNY"), payment_terms="quarterly in advance")
    agency.set_stage(codes["LOTUS"], _core.PipelineStage.CLOSED, on=_dt.date(2026, 11, 10),
                     note="launch campaign delivered", delivered_on=_dt.date(2026, 11, 12))
    agency.assign_team(codes["BLUERIV"], ae="S0005", am="S0002", ad="S0001", effective=_dt.date(2026, 10, 1),
                       note="AAE moved to Panda Mobile")
    return codes


def _add_routines(agency: _core.Agency, codes: dict[str, str]) -> None:
    """Three weeks of account-service work in November 2026, with a few lapses for the audit."""
    A, K = _core.ActivityKind, _core.ReportKind
    at = _dt.datetime
    g, b, p = codes["GHFOOD"], codes["BLUERIV"], codes["PANDAMOB"]
    # Daily calls to the home-city clients, the far ones every few days.
    for day in range(2, 21):
        d = _dt.date(2026, 11, day)
        if not agency.calendar.is_business_day(d):
            continue
        agency.log_activity(g, A.CALL, at(2026, 11, day, 9, 30), "S0004", contacts=["K02"], summary="daily check-in")
        if day % 2 == 0:
            agency.log_activity(b, A.CALL, at(2026, 11, day, 10, 15), "S0005", contacts=["K01"], summary="status call")
        if day % 3 == 0:
            agency.log_activity(p, A.EMAIL, at(2026, 11, day, 16, 0), "S0006", contacts=["K02"], summary="media plan update")
    # A quarterly review with a proper notice and contact report.
    notice = agency.add_meeting_notice(
        g, author="S0004", issued_at=at(2026, 11, 9, 11, 0), meeting_at=at(2026, 11, 12, 14, 0),
        attendees=["Xu Hong", "Lin Tao", "Chen Jing", "Wang Fang"], location="Client HQ, room 3",
        topic="Q4 review", items_to_confirm="Q1 media budget", agenda="results; Q1 plan; budget")
    review = agency.log_activity(g, A.MEETING, at(2026, 11, 12, 14, 0), "S0004", contacts=["K01", "K02"],
                                 summary="Q4 review; Q1 plan agreed in principle", notice=notice.id)
    agency.add_contact_report(review.id, written_at=at(2026, 11, 13, 10, 0), author="S0004",
                              summary="Q1 plan agreed in principle; budget to confirm by 30 Nov",
                              distribution_contacts=["K01", "K02"], distribution_staff=["S0002", "S0001"])
    # A meeting at Panda Mobile whose notice came late and incomplete, and no report yet.
    late = agency.add_meeting_notice(p, author="S0006", issued_at=at(2026, 11, 17, 9, 0),
                                     meeting_at=at(2026, 11, 17, 15, 0), attendees=["Song Kai"], topic="P8 launch")
    agency.log_activity(p, A.MEETING, at(2026, 11, 17, 15, 0), "S0006", contacts=["K01"],
                        summary="P8 launch brief", notice=late.id)
    # An important call with Spice House, reported late.
    call = agency.log_activity(codes["SPICE"], A.CALL, at(2026, 11, 16, 11, 0), "S0007", contacts=["K01"],
                               summary="pricing objections", important=True)
    agency.add_contact_report(call.id, written_at=at(2026, 11, 19, 17, 0), author="S0007", summary="pricing objections")
    # Weekly reports: not everyone files them.
    for ae in ("S0004", "S0005", "S0006"):
        agency.submit_status_report(K.WEEKLY, author=ae, period=_dt.date(2026, 11, 9), submitted_at=at(2026, 11, 16, 9, 0))
    agency.submit_status_report(K.WEEKLY, author="S0004", period=_dt.date(2026, 11, 16), submitted_at=at(2026, 11, 23, 9, 0))
    for ae in ("S0004", "S0006", "S0007"):
        agency.submit_status_report(K.MONTHLY, author=ae, period=_dt.date(2026, 10, 1), submitted_at=at(2026, 10, 30, 17, 0))


def sample_billings() -> dict[str, _core.Money]:
    """Illustrative trailing-12-month billings of the sample clients (by short name), for
    trying tiering with other figures: ``agency.tiers(as_of, billings=...)``. By default
    tiers come from the sample agency's ledger."""
    yuan = {"GHFOOD": "9800000", "BLUERIV": "6200000", "PANDAMOB": "15400000", "SPICE": "0",
            "LOTUS": "2100000", "HBBANK": "0", "NMOTOR": "3900000", "SUNNYKID": "0",
            "WLTEA": "2300000", "RIVHOTEL": "3100000", "JLPHARM": "1200000", "TERRA": "0"}
    return {short: _core.Money(v, "CNY") for short, v in yuan.items()}


def _add_plans(agency: _core.Agency, codes: dict[str, str]) -> None:
    """Marketing plans: Harvest Gold's 2026 plan approved, then replaced by an approved
    version 2; Panda's P8 launch plan proposed with review findings still open."""
    at, D, M = _dt.datetime, _dt.date, _core.MixElement
    yuan = lambda v: _core.Money(v, "CNY")  # noqa: E731 - a local shorthand
    g, p = codes["GHFOOD"], codes["PANDAMOB"]
    plan = agency.create_plan(g, "Harvest Gold", period_start=D(2026, 1, 1), period_end=D(2026, 12, 31),
                              author="S0004", created_at=at(2025, 11, 20, 10, 0), title="Harvest Gold 2026")
    agency.set_product_section(plan.id, stage=_core.LifeCycleStage.GROWTH, usp="Hand-pulled texture in 3 minutes",
                               tangible_benefits=["ready in 3 minutes", "no additives"],
                               intangible_benefits=["a taste of home"])
    agency.set_price(plan.id, list_price=yuan("12.80"), positioning=_core.PricePositioning.PREMIUM,
                     consumer_acceptance="accepted by young families in tier-1 cities",
                     competitors={"Master Kong": yuan("9.50"), "Uni-President": yuan("9.90")})
    agency.set_place(plan.id, channels=["hypermarkets", "convenience stores", "e-commerce"],
                     outlets_current=18000, outlets_target=26000, coverage_percent="72")
    agency.set_promotion(plan.id, budget=yuan("6000000"), objective=_core.PromotionObjective.PERSUADE,
                         mix={M.ADVERTISING: yuan("3600000"), M.SALES_PROMOTION: yuan("1500000"),
                              M.PUBLIC_RELATIONS: yuan("600000")})
    agency.set_strategy(plan.id, target_audience="urban families, 25-40, cooking on weeknights",
                        positioning="the quickest real noodle", execution="TV + short video, in-store tasting")
    share = agency.add_objective(plan.id, _core.ObjectiveKind.MARKET_SHARE, baseline="11.5", target="14",
                                 deadline=D(2026, 12, 31), description="instant noodles, tier-1 cities")
    agency.add_objective(plan.id, _core.ObjectiveKind.SALES_REVENUE, baseline="180000000", target="230000000",
                         deadline=D(2026, 12, 31))
    agency.propose_plan(plan.id, actor="S0004", at=at(2025, 12, 1, 15, 0))
    agency.approve_plan(plan.id, contact="K01", at=at(2025, 12, 8, 11, 0), note="approved at the annual review")
    agency.record_actual(plan.id, share.id, D(2026, 6, 30), "12.6")
    v2 = agency.new_plan_version(plan.id, author="S0004", at=at(2026, 7, 10, 9, 0))
    agency.set_promotion(v2.id, budget=yuan("6800000"), objective=_core.PromotionObjective.PERSUADE,
                         mix={M.ADVERTISING: yuan("3600000"), M.SALES_PROMOTION: yuan("2300000"),
                              M.PUBLIC_RELATIONS: yuan("600000")})
    agency.propose_plan(v2.id, actor="S0004", at=at(2026, 7, 15, 10, 0), note="H2: more in-store promotion")
    agency.approve_plan(v2.id, contact="K01", at=at(2026, 7, 22, 16, 0))
    agency.record_actual(v2.id, share.id, D(2026, 9, 30), "13.1")

    _simple_plan(agency, codes["WLTEA"], "West Lake", "West Lake 2026 spring harvest", "S0007",
                 at(2026, 7, 20, 10, 0), "1200000", "12-25 business parks, tea gifting")
    _simple_plan(agency, codes["RIVHOTEL"], "Riverside", "Riverside 2026 H2 getaways", "S0005",
                 at(2026, 7, 1, 10, 0), "2000000", "Wuhan families with children, weekends")

    launch = agency.create_plan(p, "Panda", product="P7 Phone", period_start=D(2026, 12, 1), period_end=D(2027, 5, 31),
                                author="S0006", created_at=at(2026, 11, 2, 14, 0), title="P8 launch")
    agency.set_product_section(launch.id, stage=_core.LifeCycleStage.LAUNCH,
                               tangible_benefits=["two-day battery", "periscope camera"])
    agency.set_place(launch.id, channels=["flagship stores", "operators", "e-commerce"], outlets_current=900,
                     outlets_target=4000, coverage_percent="35")
    agency.set_promotion(launch.id, budget=yuan("15000000"), objective=_core.PromotionObjective.PERSUADE,
                         mix={M.ADVERTISING: yuan("12000000"), M.PUBLIC_RELATIONS: yuan("2000000"),
                              M.DIRECT_MARKETING: yuan("2000000")})
    agency.add_objective(launch.id, _core.ObjectiveKind.SALES_VOLUME, target="400000")
    agency.propose_plan(launch.id, actor="S0006", at=at(2026, 11, 18, 10, 0))

    # Spice House is still negotiating: a first draft to show at the next meeting.
    draft = agency.create_plan(codes["SPICE"], "Spice House", period_start=D(2027, 1, 1), period_end=D(2027, 12, 31),
                               author="S0007", created_at=at(2026, 11, 19, 15, 0), title="Spice House 2027 (draft)")
    agency.set_product_section(draft.id, stage=_core.LifeCycleStage.GROWTH, usp="Sichuan heat, home-cooked",
                               tangible_benefits=["real chilli oil"])
    agency.set_strategy(draft.id, target_audience="young professionals cooking with friends",
                        positioning="restaurant hotpot at home", execution="to be agreed")


def _simple_plan(agency: _core.Agency, client: str, brand: str, title: str, author: str, created: _dt.datetime,
                 budget: str, audience: str) -> None:
    """A compact approved H2 2026 plan: every 4P section filled, one objective, proposed a
    week after drafting and approved by the client's primary contact a week later."""
    yuan = lambda v: _core.Money(v, "CNY")  # noqa: E731 - a local shorthand
    M = _core.MixElement
    plan = agency.create_plan(client, brand, period_start=_dt.date(2026, 7, 1), period_end=_dt.date(2026, 12, 31),
                              author=author, created_at=created, title=title)
    agency.set_product_section(plan.id, stage=_core.LifeCycleStage.MATURITY, usp=f"{brand}, trusted locally",
                               tangible_benefits=["quality"], intangible_benefits=["local pride"])
    agency.set_price(plan.id, list_price=yuan("98"), positioning=_core.PricePositioning.PREMIUM,
                     consumer_acceptance="accepted by regular customers")
    agency.set_place(plan.id, channels=["own stores", "e-commerce"], outlets_current=40, outlets_target=55,
                     coverage_percent="60")
    total = _core.Money(budget, "CNY")
    agency.set_promotion(plan.id, budget=total, objective=_core.PromotionObjective.REMIND,
                         mix={M.ADVERTISING: total * _Decimal("0.7"), M.SALES_PROMOTION: total * _Decimal("0.3")})
    agency.set_strategy(plan.id, target_audience=audience, positioning="the local favourite",
                        execution="print, outdoor and local TV")
    agency.add_objective(plan.id, _core.ObjectiveKind.SALES_REVENUE, baseline="10000000", target="11500000",
                         deadline=_dt.date(2026, 12, 31))
    agency.propose_plan(plan.id, actor=author, at=created + _dt.timedelta(days=7))
    agency.approve_plan(plan.id, contact="K01", at=created + _dt.timedelta(days=14))


def _advance(agency: _core.Agency, number: str, steps: list[tuple[Any, ...]]) -> None:
    """Walks a ticket through (status, actor, when[, note]) steps of its workflow."""
    for to, actor, when, *note in steps:
        agency.advance_job(number, to, actor=actor, at=when, note=note[0] if note else "")


def _brief(objective: str, budget: str, *, media: str = "", research: tuple[str, str, str] | None = None) -> _core.Brief:
    r_objective, r_method, r_sample = research or ("", "", "")
    return _core.Brief(
        objective=objective, target_audience="urban families, 25-40", key_message="ready in 3 minutes, real taste",
        mandatories="logo lock-up, legal line", budget=_core.Money(budget, "CNY"),
        deliverables=[_core.Deliverable("master file", "per media specification")], media_objectives=media,
        research_objective=r_objective, research_method=r_method, research_sample=r_sample,
    )


def _add_jobs(agency: _core.Agency, codes: dict[str, str]) -> None:
    """October-November 2026 job tickets: a TV commercial delivered after one client
    change request and its revision ticket, a print ad late in client review, a media
    plan in progress, a point-of-sale job with a lead-time override, a cancelled research
    job, and time sheets with approvals, an overtime day and an unapproved entry."""
    at, D = _dt.datetime, _dt.date
    S, JT, Dep = _core.TicketStatus, _core.JobType, _core.Department
    g, b, p, spice = codes["GHFOOD"], codes["BLUERIV"], codes["PANDAMOB"], codes["SPICE"]
    tvc = agency.open_job(g, "Harvest Gold", department=Dep.CREATIVE, job_type=JT.TV_COMMERCIAL,
                          title="Harvest Gold 15s TVC", client_deadline=at(2026, 11, 13, 17, 0), issuer="S0004",
                          opened_at=at(2026, 10, 8, 9, 30), brief=_brief("relaunch awareness", "800000"),
                          assignees=["S0010"])
    flow = [(S.APPROVED, "S0002", at(2026, 10, 8, 14, 0), "signed"), (S.ISSUED, "S0004", at(2026, 10, 9, 9, 0), ""),
            (S.IN_PROGRESS, "S0010", at(2026, 10, 9, 10, 0), ""), (S.INTERNAL_REVIEW, "S0010", at(2026, 10, 28, 16, 0), ""),
            (S.CLIENT_REVIEW, "S0004", at(2026, 10, 30, 10, 0), "storyboard v1"),
            (S.IN_PROGRESS, "S0004", at(2026, 11, 2, 11, 0), "client asks for a warmer ending"),
            (S.INTERNAL_REVIEW, "S0010", at(2026, 11, 9, 15, 0), ""), (S.CLIENT_REVIEW, "S0004", at(2026, 11, 10, 10, 0), "v2"),
            (S.CLIENT_APPROVED, "S0004", at(2026, 11, 12, 16, 0), "signed off by Xu Hong"),
            (S.CLOSED, "S0004", at(2026, 11, 16, 9, 0), "")]
    _advance(agency, tvc.number, flow)
    agency.open_revision(tvc.number, title="Harvest Gold 15s TVC: 5s cut-down", client_deadline=at(2026, 12, 18, 17, 0),
                         issuer="S0004", opened_at=at(2026, 11, 16, 10, 0), brief=_brief("cut-down for online", "60000"))
    ad = agency.open_job(g, "Harvest Gold", department=Dep.CREATIVE, job_type=JT.PRINT_AD, title="Harvest Gold print ad",
                         client_deadline=at(2026, 11, 20, 12, 0), issuer="S0004", opened_at=at(2026, 11, 2, 9, 0),
                         brief=_brief("in-store magazine", "120000"))
    _advance(agency, ad.number, [(S.APPROVED, "S0002", at(2026, 11, 2, 15, 0)), (S.ISSUED, "S0004", at(2026, 11, 3, 9, 0)),
                                 (S.IN_PROGRESS, "S0010", at(2026, 11, 3, 10, 0)),
                                 (S.INTERNAL_REVIEW, "S0010", at(2026, 11, 16, 17, 0)),
                                 (S.CLIENT_REVIEW, "S0004", at(2026, 11, 18, 11, 0))])
    media = agency.open_job(p, "Panda", department=Dep.MEDIA, job_type=JT.MEDIA_PLAN, title="P8 launch media plan",
                            client_deadline=at(2026, 11, 27, 18, 0), issuer="S0006", opened_at=at(2026, 11, 3, 10, 0),
                            brief=_brief("launch reach", "150000", media="70% reach of 18-35 in tier-1 cities"),
                            assignees=["S0011"])
    _advance(agency, media.number, [(S.APPROVED, "S0003", at(2026, 11, 3, 16, 0)), (S.ISSUED, "S0006", at(2026, 11, 4, 9, 0)),
                                    (S.IN_PROGRESS, "S0011", at(2026, 11, 4, 10, 0))])
    agency.open_job(p, "Panda", department=Dep.CREATIVE, job_type=JT.TV_COMMERCIAL, title="P8 launch film",
                    client_deadline=at(2027, 1, 29, 17, 0), issuer="S0006", opened_at=at(2026, 11, 18, 11, 0))
    pos = agency.open_job(b, "Blue River", department=Dep.PRODUCTION, job_type=JT.POINT_OF_SALE,
                          title="Green Tea shelf wobblers", client_deadline=at(2026, 11, 19, 17, 0), issuer="S0005",
                          opened_at=at(2026, 11, 16, 9, 0), brief=_brief("shelf stand-out", "40000"),
                          override_by="S0002", override_reason="hypermarket shelf reset on 20 Nov; print run pre-booked")
    _advance(agency, pos.number, [(S.APPROVED, "S0002", at(2026, 11, 16, 10, 0)), (S.ISSUED, "S0005", at(2026, 11, 16, 11, 0)),
                                  (S.IN_PROGRESS, "S0005", at(2026, 11, 16, 12, 0))])
    research = agency.open_job(spice, "Spice House", department=Dep.RESEARCH, job_type=JT.RESEARCH,
                               title="Hotpot base taste test", client_deadline=at(2026, 12, 18, 17, 0), issuer="S0007",
                               opened_at=at(2026, 11, 10, 9, 0))
    agency.advance_job(research.number, S.CANCELLED, actor="S0007", at=at(2026, 11, 17, 9, 0),
                       note="client postponed the study to 2027")
    # Time sheets.
    entries = [
        (tvc.number, "S0004", D(2026, 11, 2), "2.5", "change request meeting"),
        (tvc.number, "S0010", D(2026, 11, 5), "7", "re-edit"),
        (ad.number, "S0004", D(2026, 11, 3), "1.5", "brief walkthrough"),
        (ad.number, "S0008", D(2026, 11, 17), "6", "proof checks"),
        (ad.number, "S0008", D(2026, 11, 18), "9.5", "client review prep"),
        (media.number, "S0006", D(2026, 11, 4), "3", "briefing the media team"),
        (media.number, "S0011", D(2026, 11, 12), "8", "reach modelling"),
        (pos.number, "S0005", D(2026, 11, 16), "4", "printer briefing"),
    ]
    logged = [agency.log_time(job, staff=who, date=day, hours=hours, activity=what,
                              recorded_at=at(day.year, day.month, day.day, 18, 0))
              for job, who, day, hours, what in entries]
    managers = {s.id: s.manager for s in agency.staff}
    for e in logged:
        if e.staff in ("S0010", "S0011"):
            continue  # creative and media leads have no manager in the book: their time waits
        approver = managers[e.staff]
        assert approver is not None
        agency.approve_time(e.id, approver=approver, at=at(2026, 11, 20, 17, 0))
    agency.correct_time(logged[2].id, hours="-0.5", activity="walkthrough was 1 h", recorded_at=at(2026, 11, 20, 17, 30))
    _add_september_jobs(agency, codes)


def _add_september_jobs(agency: _core.Agency, codes: dict[str, str]) -> None:
    """September-October 2026 work for West Lake Tea, Riverside Hotels and Jinling Pharmacy:
    a print campaign delivered after a client change request, with an outdoor adaptation
    opened as its revision ticket; a National Day media plan; a shopper study; time sheets."""
    at, D = _dt.datetime, _dt.date
    S, JT, Dep = _core.TicketStatus, _core.JobType, _core.Department
    tea = agency.open_job(codes["WLTEA"], "West Lake", department=Dep.CREATIVE, job_type=JT.PRINT_AD,
                          title="Longjing spring tea print campaign", client_deadline=at(2026, 9, 24, 17, 0),
                          issuer="S0007", opened_at=at(2026, 9, 1, 9, 30),
                          brief=_brief("pre-order the spring harvest", "180000"), assignees=["S0010"])
    _advance(agency, tea.number, [
        (S.APPROVED, "S0003", at(2026, 9, 1, 15, 0), ""), (S.ISSUED, "S0007", at(2026, 9, 2, 9, 0), ""),
        (S.IN_PROGRESS, "S0010", at(2026, 9, 2, 10, 0), ""),
        (S.INTERNAL_REVIEW, "S0010", at(2026, 9, 14, 16, 0), ""),
        (S.CLIENT_REVIEW, "S0007", at(2026, 9, 15, 10, 0), "layouts v1"),
        (S.IN_PROGRESS, "S0007", at(2026, 9, 16, 11, 0), "client wants the tea garden, not the cup"),
        (S.INTERNAL_REVIEW, "S0010", at(2026, 9, 21, 15, 0), ""),
        (S.CLIENT_REVIEW, "S0007", at(2026, 9, 22, 10, 0), "layouts v2"),
        (S.CLIENT_APPROVED, "S0007", at(2026, 9, 24, 11, 0), "signed off by Shen Yi"),
        (S.CLOSED, "S0007", at(2026, 9, 28, 9, 0), "")])
    outdoor = agency.open_revision(tea.number, title="Longjing spring tea: outdoor adaptation",
                                   client_deadline=at(2026, 10, 23, 17, 0), issuer="S0007",
                                   opened_at=at(2026, 9, 28, 10, 0), brief=_brief("metro light boxes", "60000"))
    _advance(agency, outdoor.number, [(S.APPROVED, "S0003", at(2026, 9, 28, 14, 0)), (S.ISSUED, "S0007", at(2026, 9, 29, 9, 0)),
                                      (S.IN_PROGRESS, "S0007", at(2026, 9, 29, 10, 0)),
                                      (S.INTERNAL_REVIEW, "S0007", at(2026, 10, 16, 16, 0)),
                                      (S.CLIENT_REVIEW, "S0007", at(2026, 10, 19, 10, 0)),
                                      (S.CLIENT_APPROVED, "S0007", at(2026, 10, 21, 11, 0)),
                                      (S.CLOSED, "S0007", at(2026, 10, 22, 9, 0))])
    hotel = agency.open_job(codes["RIVHOTEL"], "Riverside", department=Dep.MEDIA, job_type=JT.MEDIA_PLAN,
                            title="National Day getaway media plan", client_deadline=at(2026, 9, 18, 18, 0),
                            issuer="S0005", opened_at=at(2026, 9, 2, 10, 0),
                            brief=_brief("fill October weekends", "360000", media="60% reach of Wuhan families"),
                            assignees=["S0011"])
    _advance(agency, hotel.number, [(S.APPROVED, "S0002", at(2026, 9, 2, 16, 0)), (S.ISSUED, "S0005", at(2026, 9, 3, 9, 0)),
                                    (S.IN_PROGRESS, "S0011", at(2026, 9, 3, 10, 0)),
                                    (S.INTERNAL_REVIEW, "S0011", at(2026, 9, 14, 17, 0)),
                                    (S.CLIENT_REVIEW, "S0005", at(2026, 9, 15, 11, 0)),
                                    (S.CLIENT_APPROVED, "S0005", at(2026, 9, 17, 15, 0)),
                                    (S.CLOSED, "S0005", at(2026, 9, 30, 9, 0))])
    study = agency.open_job(codes["JLPHARM"], "Jinling", department=Dep.RESEARCH, job_type=JT.RESEARCH,
                            title="Flu-season shopper study", client_deadline=at(2026, 10, 16, 17, 0), issuer="S0005",
                            opened_at=at(2026, 9, 7, 9, 0),
                            brief=_brief("why shoppers switch brands", "150000",
                                         research=("brand switching at the shelf", "accompanied shops", "n=60")))
    _advance(agency, study.number, [(S.APPROVED, "S0002", at(2026, 9, 7, 14, 0)), (S.ISSUED, "S0005", at(2026, 9, 8, 9, 0)),
                                    (S.IN_PROGRESS, "S0005", at(2026, 9, 8, 10, 0)),
                                    (S.INTERNAL_REVIEW, "S0005", at(2026, 10, 12, 16, 0)),
                                    (S.CLIENT_REVIEW, "S0005", at(2026, 10, 13, 10, 0)),
                                    (S.CLIENT_APPROVED, "S0005", at(2026, 10, 15, 16, 0)),
                                    (S.CLOSED, "S0005", at(2026, 10, 16, 9, 0))])
    entries = [
        (tea.number, "S0007", D(2026, 9, 2), "3", "briefing the studio"),
        (tea.number, "S0007", D(2026, 9, 16), "2", "change request call"),
        (outdoor.number, "S0007", D(2026, 10, 16), "5", "light box proofs"),
        (hotel.number, "S0005", D(2026, 9, 3), "2.5", "media briefing"),
        (hotel.number, "S0005", D(2026, 9, 15), "3", "plan presentation"),
        (study.number, "S0005", D(2026, 9, 21), "6", "accompanied shops"),
        (study.number, "S0008", D(2026, 9, 22), "7.5", "accompanied shops"),
        (study.number, "S0008", D(2026, 10, 12), "8", "debrief deck"),
    ]
    managers = {s.id: s.manager for s in agency.staff}
    for job, who, day, hours, what in entries:
        e = agency.log_time(job, staff=who, date=day, hours=hours, activity=what,
                            recorded_at=at(day.year, day.month, day.day, 18, 0))
        approver = managers[who]
        assert approver is not None
        agency.approve_time(e.id, approver=approver, at=at(day.year, day.month, day.day, 19, 0))


def _add_money(agency: _core.Agency, codes: dict[str, str]) -> None:
    """Cost estimates and the ledger, June-November 2026 (MB-2..MB-7): the TVC's estimate
    with a change order, a purchase order and vendor invoices, a deposit invoice paid on
    time and a balance invoice open; a print ad whose media booking carries the client's
    confirmation and whose photography overruns its estimate; a shelf-wobbler job with a
    vendor invoice posted twice and reversed; a media plan with only a draft estimate;
    monthly and quarterly service-fee invoices (one paid late, one partly paid, one
    overdue); an old Northern Motors invoice more than 90 days overdue with a credit note."""
    at, D = _dt.datetime, _dt.date
    g, p, n, lotus = codes["GHFOOD"], codes["PANDAMOB"], codes["NMOTOR"], codes["LOTUS"]
    jobs = {j.title: j.number for j in agency.jobs}
    tvc, ad = jobs["Harvest Gold 15s TVC"], jobs["Harvest Gold print ad"]
    media, pos = jobs["P8 launch media plan"], jobs["Green Tea shelf wobblers"]

    # Harvest Gold TVC: estimate, change order, production.
    agency.prepare_estimate(tvc, amount="580000", prepared_by="S0004", prepared_at=at(2026, 10, 8, 15, 0),
                            note="15s TVC: production, post, music")
    agency.approve_estimate(tvc, 1, contact="K01", at=at(2026, 10, 9, 11, 0))
    agency.commit_cost(tvc, date=D(2026, 10, 12), amount="450000", reference="PO-2026-118 Bright Films",
                       recorded_by="S0004")
    agency.issue_invoice("INV-2026-0412", job=tvc, date=D(2026, 10, 12), due=D(2026, 11, 11), amount="290000",
                         recorded_by="S0004")
    agency.record_payment("INV-2026-0412", date=D(2026, 11, 10), amount="290000", reference="BOC 1110-0042",
                          recorded_by="S0004")
    agency.prepare_estimate(tvc, amount="620000", prepared_by="S0004", prepared_at=at(2026, 11, 2, 15, 0),
                            note="change order: warmer ending, extra shoot half-day")
    agency.approve_estimate(tvc, 2, contact="K01", at=at(2026, 11, 4, 10, 0))
    agency.record_cost(tvc, date=D(2026, 11, 14), amount="455000", reference="Bright Films INV 7781",
                       recorded_by="S0004")
    agency.record_cost(tvc, date=D(2026, 11, 15), amount="95000", reference="Melody Lab licence 2026-33",
                       recorded_by="S0004")
    agency.issue_invoice("INV-2026-0458", job=tvc, date=D(2026, 11, 16), due=D(2026, 12, 16), amount="330000",
                         recorded_by="S0004")

    # Print ad: media booking with the client's written confirmation; photography overruns.
    agency.prepare_estimate(ad, amount="120000", prepared_by="S0004", prepared_at=at(2026, 11, 2, 16, 0),
                            note="magazine spread: photography, layout, insertion")
    agency.approve_estimate(ad, 1, contact="K01", at=at(2026, 11, 3, 9, 30))
    agency.commit_cost(ad, date=D(2026, 11, 5), amount="80000", reference="Food & Home Dec insertion",
                       recorded_by="S0004", media_booking=True, confirmation="GH e-mail 2026-11-05 Xu Hong")
    agency.record_cost(ad, date=D(2026, 11, 18), amount="48000", reference="Studio 9 photography INV 2211",
                       recorded_by="S0004")
    agency.record_cost(ad, date=D(2026, 11, 19), amount="80000", reference="Food & Home INV 55-1203",
                       recorded_by="S0004")

    # Shelf wobblers: a vendor invoice posted twice, the duplicate reversed.
    agency.prepare_estimate(pos, amount="40000", prepared_by="S0005", prepared_at=at(2026, 11, 16, 9, 30))
    agency.approve_estimate(pos, 1, contact="K01", at=at(2026, 11, 16, 10, 30))
    agency.commit_cost(pos, date=D(2026, 11, 16), amount="32000", reference="PO-2026-131 Apex Print",
                       recorded_by="S0005")
    agency.record_cost(pos, date=D(2026, 11, 20), amount="31500", reference="Apex Print INV 0923", recorded_by="S0005")
    twice = agency.record_cost(pos, date=D(2026, 11, 20), amount="31500", reference="Apex Print INV 0923",
                               recorded_by="S0005")
    agency.reverse_entry(twice.id, date=D(2026, 11, 20), reason="Apex Print INV 0923 posted twice", recorded_by="S0002")
    agency.issue_invoice("INV-2026-0466", job=pos, date=D(2026, 11, 20), due=D(2026, 12, 20), amount="40000",
                         recorded_by="S0005")

    # P8 media plan: the estimate still waits for the client.
    agency.prepare_estimate(media, amount="150000", prepared_by="S0006", prepared_at=at(2026, 11, 4, 9, 30))

    # Service fees (CL-7): Golden Harvest monthly, Panda Mobile quarterly in advance.
    for month, paid, amount in [(9, D(2026, 9, 28), "120000"), (10, D(2026, 11, 5), "60000"), (11, None, None)]:
        number = f"SF-GH-2026{month:02d}"
        agency.issue_invoice(number, client=g, contract="T01", date=D(2026, month, 1),
                             due=D(2026, month, 1) + _dt.timedelta(days=30), amount="120000", recorded_by="S0004")
        if paid is not None:
            agency.record_payment(number, date=paid, amount=amount, reference=f"BOC {paid:%m%d}", recorded_by="S0004")
    agency.issue_invoice("SF-PM-2026Q3", client=p, contract="T01", date=D(2026, 7, 1), due=D(2026, 7, 31),
                         amount="600000", recorded_by="S0006")
    agency.record_payment("SF-PM-2026Q3", date=D(2026, 9, 15), amount="600000", reference="ICBC 0915",
                          recorded_by="S0006")  # 46 days late: Panda Mobile's credit is Late (MB-6)
    agency.issue_invoice("SF-PM-2026Q4", client=p, contract="T01", date=D(2026, 10, 1), due=D(2026, 10, 31),
                         amount="600000", recorded_by="S0006")

    # Lotus launch campaign, billed and paid a day late; Northern Motors, long overdue.
    agency.issue_invoice("INV-2026-0437", client=lotus, date=D(2026, 10, 20), due=D(2026, 11, 19), amount="210000",
                         recorded_by="S0004")
    agency.record_payment("INV-2026-0437", date=D(2026, 11, 20), amount="210000", reference="CMB 1120",
                          recorded_by="S0004")
    agency.issue_invoice("INV-2026-0219", client=n, date=D(2026, 6, 1), due=D(2026, 7, 1), amount="300000",
                         recorded_by="S0006")
    agency.issue_invoice("CN-2026-0007", client=n, date=D(2026, 8, 15), due=D(2026, 8, 15), amount="-20000",
                         recorded_by="S0006")
    agency.record_payment("INV-2026-0219", date=D(2026, 8, 20), amount="100000", reference="CCB 0820",
                          recorded_by="S0006")

    # The September quarter: West Lake Tea's campaign and its adaptation (partly paid),
    # Riverside Hotels' media plan (paid), Jinling Pharmacy's study (overdue).
    tea = jobs["Longjing spring tea print campaign"]
    outdoor = jobs["Longjing spring tea: outdoor adaptation"]
    hotel, study = jobs["National Day getaway media plan"], jobs["Flu-season shopper study"]
    for job, amount, who, when, contact in [(tea, "180000", "S0007", at(2026, 9, 1, 16, 0), "K01"),
                                            (outdoor, "60000", "S0007", at(2026, 9, 28, 15, 0), "K01"),
                                            (hotel, "360000", "S0005", at(2026, 9, 2, 17, 0), "K01"),
                                            (study, "150000", "S0005", at(2026, 9, 7, 15, 0), "K01")]:
        agency.prepare_estimate(job, amount=amount, prepared_by=who, prepared_at=when)
        agency.approve_estimate(job, 1, contact=contact, at=when + _dt.timedelta(hours=20))
    agency.record_cost(tea, date=D(2026, 9, 20), amount="96000", reference="Hills Studio INV 0931", recorded_by="S0007")
    agency.record_cost(outdoor, date=D(2026, 10, 20), amount="38000", reference="Metro Media INV 10-77",
                       recorded_by="S0007")
    agency.commit_cost(hotel, date=D(2026, 9, 18), amount="250000", reference="Wuhan TV spot booking 0918",
                       recorded_by="S0005", media_booking=True, confirmation="Riverside PO 2026-044 Kong Bo")
    agency.record_cost(hotel, date=D(2026, 10, 8), amount="250000", reference="Wuhan TV INV 2026-1008",
                       recorded_by="S0005")
    agency.record_cost(study, date=D(2026, 10, 9), amount="72000", reference="FieldPro INV 3310", recorded_by="S0005")
    agency.issue_invoice("INV-2026-0391", job=tea, date=D(2026, 9, 30), due=D(2026, 10, 30), amount="180000",
                         recorded_by="S0007")
    agency.record_payment("INV-2026-0391", date=D(2026, 10, 28), amount="180000", reference="HZB 1028",
                          recorded_by="S0007")
    agency.issue_invoice("INV-2026-0429", job=outdoor, date=D(2026, 10, 22), due=D(2026, 11, 21), amount="60000",
                         recorded_by="S0007")
    agency.record_payment("INV-2026-0429", date=D(2026, 11, 20), amount="30000", reference="HZB 1120",
                          recorded_by="S0007")
    agency.issue_invoice("INV-2026-0388", job=hotel, date=D(2026, 9, 20), due=D(2026, 10, 20), amount="360000",
                         recorded_by="S0005")
    agency.record_payment("INV-2026-0388", date=D(2026, 10, 19), amount="360000", reference="WHCB 1019",
                          recorded_by="S0005")
    agency.issue_invoice("INV-2026-0425", job=study, date=D(2026, 10, 16), due=D(2026, 11, 15), amount="150000",
                         recorded_by="S0005")


def _add_evaluations(agency: _core.Agency) -> None:
    """Performance evaluations (PE-1..PE-6): Wang Fang's 2026 annual evaluation, scored
    and discussed with her (awaiting review), with KPIs; Zhang Lei's Q3 evaluation,
    finalized; and Liu Yang's Q3 evaluation on the 5A rubric, still a draft after its quarter
    ended (the audit finds it)."""
    at, D = _dt.datetime, _dt.date
    S = _core.EvaluationStatus
    wang = agency.evaluate("S0004", evaluator="S0002", start=D(2026, 1, 1), reviewers=["S0001"],
                           created_at=at(2026, 11, 16, 9, 0))
    scores = {"market_knowledge": 3, "client_business": 4, "information_analysis": 4, "media_production": 3,
              "creative_evaluation": 3, "organising_information": 4, "internal_reporting": 2, "company_knowledge": 4,
              "prioritisation": 3, "progress_follow_up": 4, "meetings": 3, "work_habits": 4,
              "external_communication": 4, "internal_communication": 3, "team_spirit": 5, "company_advocacy": 3,
              "helpfulness_to_clients": 4, "new_ideas": 3, "attitude": 5, "training_juniors": 3, "money_mindedness": 2}
    for criterion, score in scores.items():
        wang.score(criterion, score, "see evidence" if criterion in ("internal_reporting", "money_mindedness") else "")
    wang.advance(S.SHARED_WITH_EVALUATEE, actor="S0002", at=at(2026, 11, 18, 10, 0))
    wang.advance(S.DISCUSSED, actor="S0002", at=at(2026, 11, 20, 15, 0), note="one-to-one; agreed reporting plan")
    wang.evaluatee_comments = "Agree on reporting; the print-ad overrun came from the client's late reshoot request."
    wang.set_kpis([_core.Kpi("billings vs target", weight="0.5", achievement="0.92"),
                   _core.Kpi("client satisfaction", weight="0.3", achievement="1.05"),
                   _core.Kpi("collection", weight="0.2", achievement="0.80")])

    zhang = agency.evaluate("S0005", evaluator="S0002", start=D(2026, 7, 1), period=_core.EvaluationPeriod.QUARTERLY,
                            created_at=at(2026, 10, 8, 9, 0))
    for i, c in enumerate(agency.get_rubric("account-service").criteria):
        if c.weight(_core.Title.AE):
            zhang.score(c.id, 3 + (i % 3 == 0) - (i % 7 == 0))
    zhang.advance(S.SHARED_WITH_EVALUATEE, actor="S0002", at=at(2026, 10, 9, 10, 0))
    zhang.evaluatee_comments = "Fair; I want more media training."
    zhang.advance(S.DISCUSSED, actor="S0005", at=at(2026, 10, 12, 16, 0))
    zhang.advance(S.REVIEWED, actor="S0001", at=at(2026, 10, 14, 11, 0))  # no reviewers: the evaluator's manager
    zhang.advance(S.FINALIZED, actor="S0002", at=at(2026, 10, 15, 9, 0))

    liu = agency.evaluate("S0006", evaluator="S0003", start=D(2026, 7, 1), rubric="5A",
                          period=_core.EvaluationPeriod.QUARTERLY, created_at=at(2026, 10, 20, 9, 0))
    liu.score("analysis", 4)
    liu.score("attach", 3)



def write(directory: str | _os.PathLike[str]) -> list[_Path]:
    """Saves every sample book, built from code, as ``<directory>/<name>.json``; returns the
    paths. ``scripts/update_sample_book.py`` uses it to refresh the shipped JSON after the
    builder changes."""
    target = _Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in NAMES:
        path = target / f"{name}.json"
        build(name).save(path)
        paths.append(path)
    return paths
