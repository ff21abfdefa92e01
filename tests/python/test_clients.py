"""Clients (CL-1..CL-7), account teams (ST-3), contact cadence (CL-4), tiering (CL-5)
and the pipeline with its follow-ups (CL-6), through the Python API."""

from __future__ import annotations

import copy
import datetime as dt
import enum
import html
import pickle
import re
from decimal import Decimal

import pandas as pd
import pytest

import aecore
from errors_check import assert_error
from aecore import ActivityKind, DecisionRole, Money, PipelineStage, Tier, Title
from conftest import AWAY_CODE, HOME_CODE, build_small_agency

AD_ID, AM_ID, AE1_ID, AE2_ID = "S0001", "S0002", "S0003", "S0004"  # the `agency` fixture
D = dt.date
T = dt.datetime


def cny(amount: str) -> Money:
    return Money(amount, "CNY")


def register(agency: aecore.Agency, name: str, short: str, city: str, first: dt.date, owner: str = AE1_ID, **kw):
    return agency.register_client(name, short, city, first, owner, **kw)


def call(agency: aecore.Agency, code: str, when: dt.datetime, staff: str = AE1_ID) -> aecore.Activity:
    return agency.log_activity(code, ActivityKind.CALL, when, staff)


# ----------------------------------------------------------------- CL-1 client codes


CODE_RE = re.compile(r"^[A-Z]+-\d{4}(0[1-9]|1[0-2])-[A-Z0-9]{1,12}-\d{3}$")


def test_code_is_city_year_month_short_name_serial(book: aecore.Agency) -> None:
    home = book.get_client(HOME_CODE)
    assert home.code == "SH-202603-GHFOOD-001"
    assert CODE_RE.match(home.code)
    assert (home.city, home.short_name) == ("SH", "GHFOOD")
    assert home.first_contact == D(2026, 3, 2)
    assert type(home.first_contact) is dt.date
    assert [c.code for c in book.clients] == [HOME_CODE, AWAY_CODE]


def test_serial_counts_per_year_across_cities_and_restarts_each_year(agency: aecore.Agency) -> None:
    codes = [
        register(agency, "Acme", "ACME", "CD", D(2026, 4, 21)).code,
        register(agency, "Beta", "BETA", "BJ", D(2026, 11, 2)).code,
        register(agency, "Gamma", "GAMMA", "SH", D(2025, 12, 31)).code,
        register(agency, "Delta", "DELTA", "GZ", D(2027, 1, 1)).code,
        register(agency, "Epsilon", "EPS", "SH", D(2026, 1, 5)).code,  # earlier month, next 2026 serial
        register(agency, "Zeta", "ZETA", "SH", D(2025, 1, 2)).code,
    ]
    assert codes == [
        "CD-202604-ACME-001",
        "BJ-202611-BETA-002",
        "SH-202512-GAMMA-001",
        "GZ-202701-DELTA-001",
        "SH-202601-EPS-003",
        "SH-202501-ZETA-002",
    ]
    assert all(CODE_RE.match(c) for c in codes)


def test_same_short_name_in_two_cities_gets_two_codes(agency: aecore.Agency) -> None:
    a = register(agency, "Acme Chengdu", "ACME", "CD", D(2026, 4, 1))
    b = register(agency, "Acme Beijing", "ACME", "BJ", D(2026, 4, 1))
    assert (a.code, b.code) == ("CD-202604-ACME-001", "BJ-202604-ACME-002")


def test_codes_are_never_reused_after_archive(book: aecore.Agency) -> None:
    book.archive_client(AWAY_CODE)
    archived = book.get_client(AWAY_CODE)
    assert archived.archived is True
    assert book.find_client(AWAY_CODE) == archived
    assert [c.code for c in book.clients] == [HOME_CODE, AWAY_CODE]  # kept, not renumbered
    new = register(book, "Panda Mobile Group", "PANDA", "BJ", D(2026, 5, 11), AE2_ID)
    assert new.code == "BJ-202605-PANDA-003"
    assert len({c.code for c in book.clients}) == 3
    # ... also after a save / load cycle
    back = aecore.Agency.from_json(book.to_json())
    assert register(back, "Next", "NEXT", "SH", D(2026, 12, 1)).code == "SH-202612-NEXT-004"


def test_failed_registration_does_not_consume_a_serial(book: aecore.Agency) -> None:
    with pytest.raises(aecore.ValidationError):
        register(book, "Bad", "bad", "SH", D(2026, 6, 1))
    with pytest.raises(aecore.NotFoundError):
        register(book, "Nobody", "NOBODY", "SH", D(2026, 6, 1), owner="S9999")
    assert register(book, "Good", "GOOD", "SH", D(2026, 6, 1)).code == "SH-202606-GOOD-003"


@pytest.mark.parametrize(
    ("short_name", "city", "field"),
    [
        ("acme", "SH", "client.short_name"),
        ("", "SH", "client.short_name"),
        ("AC-ME", "SH", "client.short_name"),
        ("AC ME", "SH", "client.short_name"),
        ("A" * 13, "SH", "client.short_name"),
        ("ÄCME", "SH", "client.short_name"),
        ("ACME", "sh", "client.city"),
        ("ACME", "", "client.city"),
        ("ACME", "S1", "client.city"),
        ("ACME", "ABCDEFGHI", "client.city"),
        ("ACME", "上海", "client.city"),
        ("ACME", "S-H", "client.city"),
    ],
    ids=[
        "short-lower",
        "short-empty",
        "short-hyphen",
        "short-space",
        "short-too-long",
        "short-non-ascii",
        "city-lower",
        "city-empty",
        "city-digit",
        "city-too-long",
        "city-chinese",
        "city-hyphen",
    ],
)
def test_bad_short_name_or_city_is_refused(book: aecore.Agency, unchanged, short_name, city, field) -> None:
    with unchanged(book), pytest.raises(aecore.ValidationError) as ei:
        register(book, "New Client", short_name, city, D(2026, 6, 1))
    assert_error(ei.value, aecore.ValidationError, ValueError, field, "CL-1")


def test_longest_short_name_and_city_are_accepted(agency: aecore.Agency) -> None:
    c = register(agency, "Long", "A1B2C3D4E5F6", "ABCDEFGH", D(2026, 6, 1))
    assert c.code == "ABCDEFGH-202606-A1B2C3D4E5F6-001"


# ----------------------------------------------------------------- CL-2 the client record


def test_register_with_every_field(agency: aecore.Agency) -> None:
    c = agency.register_client(
        "Lotus Cosmetics 莲花", "LOTUS", "GZ", D(2026, 4, 21), AE1_ID,
        am=AM_ID, ad=AD_ID, stage=PipelineStage.NEGOTIATING, address="1 Pearl Road", phone="+86 20 5555 0100",
        fax="+86 20 5555 0101", email="mkt@lotus.example", annual_budget=cny("6000000.50"),
        notes="pitch in May", background="GM Tang Wen ex-P&G",
    )
    assert isinstance(c, aecore.Client)
    assert (c.code, c.name, c.city, c.short_name) == ("GZ-202604-LOTUS-001", "Lotus Cosmetics 莲花", "GZ", "LOTUS")
    assert (c.address, c.phone, c.fax, c.email) == ("1 Pearl Road", "+86 20 5555 0100", "+86 20 5555 0101", "mkt@lotus.example")
    assert c.annual_budget == cny("6000000.50")
    assert (c.notes, c.background) == ("pitch in May", "GM Tang Wen ex-P&G")
    assert c.stage is PipelineStage.NEGOTIATING
    assert (c.brands, c.contacts, c.contracts, c.archived) == ([], [], [], False)
    assert agency.get_client(c.code) == c


def test_register_defaults(agency: aecore.Agency) -> None:
    c = register(agency, "Plain", "PLAIN", "SH", D(2026, 6, 1))
    assert c.stage is PipelineStage.POTENTIAL
    assert c.annual_budget == Money.zero("CNY")
    assert (c.address, c.phone, c.fax, c.email, c.notes, c.background) == ("",) * 6
    assert isinstance(c.team, aecore.AccountTeam)
    assert (c.team.ae, c.team.aae, c.team.am, c.team.ad) == (AE1_ID, None, None, None)
    assert c.primary_contact is None


def test_register_options_are_keyword_only(agency: aecore.Agency, unchanged) -> None:
    with unchanged(agency), pytest.raises(TypeError):
        agency.register_client("X", "X", "SH", D(2026, 6, 1), AE1_ID, None, AM_ID)  # type: ignore[misc]


def test_name_is_trimmed(agency: aecore.Agency) -> None:
    assert register(agency, "  Acme  ", "ACME", "SH", D(2026, 6, 1)).name == "Acme"


def test_duplicate_name_in_the_same_city_is_refused(book: aecore.Agency, unchanged) -> None:
    with unchanged(book), pytest.raises(aecore.ValidationError) as ei:
        register(book, "Golden Harvest Foods", "GHF2", "SH", D(2026, 6, 1))
    assert_error(ei.value, aecore.ValidationError, ValueError, "client.name", "CL-2")
    assert HOME_CODE in str(ei.value)


def test_same_name_in_another_city_is_allowed(book: aecore.Agency) -> None:
    other = register(book, "Golden Harvest Foods", "GHFOOD", "CD", D(2026, 6, 1))
    assert other.code == "CD-202606-GHFOOD-003"
    assert [c.name for c in book.clients].count("Golden Harvest Foods") == 2


def test_renaming_onto_a_name_taken_in_the_city_is_refused(book: aecore.Agency, unchanged) -> None:
    other = register(book, "Blue River", "BLUE", "SH", D(2026, 6, 1))
    with unchanged(book), pytest.raises(aecore.ValidationError) as ei:
        book.update_client(other.code, name="Golden Harvest Foods")
    assert_error(ei.value, aecore.ValidationError, ValueError, "client.name", "CL-2")
    # a client in another city may take the name
    assert book.update_client(AWAY_CODE, name="Blue River").name == "Blue River"


def test_update_client_changes_only_the_given_fields(book: aecore.Agency) -> None:
    before = book.get_client(HOME_CODE)
    after = book.update_client(HOME_CODE, phone="+86 21 1234", annual_budget=cny("13000000"), notes="renewal due")
    assert isinstance(after, aecore.Client)
    assert (after.phone, after.annual_budget, after.notes) == ("+86 21 1234", cny("13000000"), "renewal due")
    assert (after.name, after.code, after.city, after.address) == (before.name, before.code, before.city, before.address)
    assert book.get_client(HOME_CODE) == after
    every = book.update_client(
        HOME_CODE, name="GH Foods", address="8 Bund", fax="+86 21 9", email="a@gh.example", background="family-owned"
    )
    assert (every.name, every.address, every.fax, every.email, every.background) == (
        "GH Foods", "8 Bund", "+86 21 9", "a@gh.example", "family-owned",
    )
    assert every.code == HOME_CODE  # the code never changes
    assert book.update_client(HOME_CODE) == every  # no changes is fine


def test_clients_are_snapshots(book: aecore.Agency) -> None:
    snap = book.get_client(HOME_CODE)
    listed = book.clients[0]
    book.update_client(HOME_CODE, name="Renamed")
    book.add_brand(HOME_CODE, "Harvest Gold")
    assert snap.name == listed.name == "Golden Harvest Foods"
    assert snap.brands == []
    assert snap != book.get_client(HOME_CODE)
    with pytest.raises(AttributeError):
        snap.name = "Changed"  # type: ignore[misc]


def test_update_client_is_keyword_only(book: aecore.Agency, unchanged) -> None:
    with unchanged(book), pytest.raises(TypeError):
        book.update_client(HOME_CODE, "New Name")  # type: ignore[misc]


def test_update_client_unknown_keyword_is_a_type_error(book: aecore.Agency, unchanged) -> None:
    with unchanged(book), pytest.raises(TypeError, match="budget"):
        book.update_client(HOME_CODE, budget=cny("1"))
    with unchanged(book), pytest.raises(TypeError, match="city"):
        book.update_client(HOME_CODE, city="BJ")  # the code's parts cannot change


@pytest.mark.parametrize(
    "changes",
    [
        {"name": 5},
        {"address": None},
        {"phone": 12345},
        {"fax": b"123"},
        {"email": ["a@b.example"]},
        {"notes": 1.5},
        {"background": None},
        {"annual_budget": "100"},
        {"annual_budget": Decimal("100")},
        {"annual_budget": None},
        {"name": "Fine", "annual_budget": 100},
    ],
    ids=[
        "name-int",
        "address-none",
        "phone-int",
        "fax-bytes",
        "email-list",
        "notes-float",
        "background-none",
        "budget-str",
        "budget-decimal",
        "budget-none",
        "valid-then-wrong",
    ],
)
def test_update_client_wrong_type_is_a_type_error(book: aecore.Agency, unchanged, changes) -> None:
    with unchanged(book), pytest.raises(TypeError) as ei:
        book.update_client(HOME_CODE, **changes)
    assert not isinstance(ei.value, aecore.Error)


def test_brands_and_products(book: aecore.Agency) -> None:
    book.add_brand(HOME_CODE, "Harvest Gold")
    book.add_brand(HOME_CODE, "Little Chef")
    book.add_product(HOME_CODE, "Harvest Gold", "Rice Noodles")
    book.add_product(HOME_CODE, "Harvest Gold", "Soy Sauce")
    book.add_product(HOME_CODE, "Little Chef", "Frozen Dumplings")
    brands = book.get_client(HOME_CODE).brands
    assert all(isinstance(b, aecore.Brand) for b in brands)
    assert [(b.name, b.products) for b in brands] == [
        ("Harvest Gold", ["Rice Noodles", "Soy Sauce"]),
        ("Little Chef", ["Frozen Dumplings"]),
    ]
    assert repr(brands[1]) == "Brand(name='Little Chef', products=['Frozen Dumplings'])"
    # the same product name under another brand, or another client, is fine
    book.add_product(HOME_CODE, "Little Chef", "Soy Sauce")
    book.add_brand(AWAY_CODE, "Harvest Gold")
    assert book.get_client(AWAY_CODE).brands[0].name == "Harvest Gold"


def test_add_product_to_an_unknown_brand(book: aecore.Agency, unchanged) -> None:
    book.add_brand(HOME_CODE, "Harvest Gold")
    with unchanged(book), pytest.raises(aecore.NotFoundError) as ei:
        book.add_product(HOME_CODE, "Harvest Silver", "Rice")
    assert_error(ei.value, aecore.NotFoundError, KeyError, "client.brand", "CL-2")
    assert "Harvest Silver" in str(ei.value)


def test_duplicate_brand_or_product_is_refused(book: aecore.Agency, unchanged) -> None:
    book.add_brand(HOME_CODE, "Harvest Gold")
    book.add_product(HOME_CODE, "Harvest Gold", "Rice Noodles")
    with unchanged(book), pytest.raises(aecore.ValidationError) as ei:
        book.add_brand(HOME_CODE, "Harvest Gold")
    assert_error(ei.value, aecore.ValidationError, ValueError, "client.brand", "CL-2")
    with unchanged(book), pytest.raises(aecore.ValidationError) as ei:
        book.add_product(HOME_CODE, "Harvest Gold", "Rice Noodles")
    assert_error(ei.value, aecore.ValidationError, ValueError, "client.product", "CL-2")


def test_get_and_find_client(book: aecore.Agency) -> None:
    assert book.get_client(HOME_CODE).name == "Golden Harvest Foods"
    assert book.find_client(AWAY_CODE).name == "Panda Mobile"
    assert book.find_client("SH-202603-NOPE-009") is None
    with pytest.raises(aecore.NotFoundError) as ei:
        book.get_client("SH-202603-NOPE-009")
    assert_error(ei.value, aecore.NotFoundError, KeyError, "client.code", "CL-1")


# ----------------------------------------------------------------- CL-3 contacts


def test_contacts_get_ids_and_roles(book: aecore.Agency) -> None:
    k = book.add_contact(AWAY_CODE, "Guo Ying", role=DecisionRole.INFLUENCER, job_title="Media Manager",
                         phone="+86 10 1", email="guo.ying@panda.example")
    assert isinstance(k, aecore.Contact)
    assert (k.id, k.name, k.role, k.job_title, k.phone, k.email, k.primary) == (
        "K02", "Guo Ying", DecisionRole.INFLUENCER, "Media Manager", "+86 10 1", "guo.ying@panda.example", False,
    )
    assert book.add_contact(AWAY_CODE, "Third").role is DecisionRole.EXECUTOR  # default role
    contacts = book.get_client(AWAY_CODE).contacts
    assert [c.id for c in contacts] == ["K01", "K02", "K03"]
    assert [c.role for c in book.get_client(HOME_CODE).contacts] == [DecisionRole.DECISION_MAKER, DecisionRole.EXECUTOR]
    assert isinstance(DecisionRole.INFLUENCER, enum.Enum)
    assert [r.name for r in DecisionRole] == ["DECISION_MAKER", "INFLUENCER", "EXECUTOR"]


def test_one_primary_contact(book: aecore.Agency, unchanged) -> None:
    home = book.get_client(HOME_CODE)
    assert home.primary_contact.id == "K01"
    with unchanged(book), pytest.raises(aecore.ValidationError) as ei:
        book.add_contact(HOME_CODE, "Another Boss", primary=True)
    assert_error(ei.value, aecore.ValidationError, ValueError, "contact.primary", "CL-3")
    assert "K01" in str(ei.value)
    # a first primary contact of a client without one is fine
    other = register(book, "No Contacts", "NOCON", "SH", D(2026, 6, 1))
    assert book.add_contact(other.code, "Boss", primary=True).primary is True


def test_set_primary_contact_switches(book: aecore.Agency) -> None:
    assert book.set_primary_contact(HOME_CODE, "K02") is None
    contacts = book.get_client(HOME_CODE).contacts
    assert [(c.id, c.primary) for c in contacts] == [("K01", False), ("K02", True)]
    assert book.get_client(HOME_CODE).primary_contact.name == "Lin Tao"
    book.set_primary_contact(HOME_CODE, "K02")  # idempotent
    assert sum(c.primary for c in book.get_client(HOME_CODE).contacts) == 1
    book.set_primary_contact(HOME_CODE, "K01")
    assert book.get_client(HOME_CODE).primary_contact.id == "K01"


def test_set_primary_contact_unknown_id(book: aecore.Agency, unchanged) -> None:
    with unchanged(book), pytest.raises(aecore.NotFoundError) as ei:
        book.set_primary_contact(HOME_CODE, "K09")
    assert_error(ei.value, aecore.NotFoundError, KeyError, "contact.id", "CL-3")


def test_contact_role_must_be_a_decision_role(book: aecore.Agency, unchanged) -> None:
    with unchanged(book), pytest.raises(TypeError):
        book.add_contact(HOME_CODE, "X", role="INFLUENCER")  # type: ignore[arg-type]


# ----------------------------------------------------------------- CL-7 contracts


def test_add_contract(book: aecore.Agency) -> None:
    t = book.add_contract(HOME_CODE, start=D(2026, 1, 1), end=D(2026, 12, 31), monthly_fee=cny("120000"),
                          payment_terms="monthly, net 30")
    assert isinstance(t, aecore.Contract)
    assert (t.id, t.start, t.end, t.monthly_fee, t.payment_terms) == (
        "T01", D(2026, 1, 1), D(2026, 12, 31), cny("120000"), "monthly, net 30",
    )
    one_day = book.add_contract(HOME_CODE, start=D(2027, 1, 1), end=D(2027, 1, 1), monthly_fee=cny("0"))
    assert one_day.id == "T02"
    assert book.get_client(HOME_CODE).contracts == [t, one_day]
    assert repr(t) == "Contract(id='T01', start=2026-01-01, end=2026-12-31, monthly_fee=Money('120000.00', 'CNY'))"


def test_contract_arguments_are_keyword_only(book: aecore.Agency, unchanged) -> None:
    with unchanged(book), pytest.raises(TypeError):
        book.add_contract(HOME_CODE, D(2026, 1, 1), D(2026, 12, 31), cny("1"))  # type: ignore[misc]


# ----------------------------------------------------------------- ST-3 account teams


def test_team_and_owner(book: aecore.Agency) -> None:
    home = book.get_client(HOME_CODE)
    assert isinstance(home.team, aecore.AccountTeam)
    assert (home.team.ae, home.team.aae, home.team.am, home.team.ad) == (AE1_ID, None, AM_ID, AD_ID)
    assert home.owner == AE1_ID
    (initial,) = home.team_history
    assert (initial.effective, initial.team, initial.note) == (D(2026, 3, 2), home.team, "initial team")


def test_team_with_an_aae(book: aecore.Agency) -> None:
    aae = book.add_staff("Zhao Qiang", Title.AAE, manager=AM_ID)
    c = register(book, "Team Client", "TEAM", "SH", D(2026, 6, 1), aae=aae.id, am=AM_ID, ad=AD_ID)
    assert c.team.aae == aae.id


@pytest.mark.parametrize(
    ("owner", "kw", "error", "builtin", "field"),
    [
        (AM_ID, {}, aecore.ValidationError, ValueError, "client.team.ae"),
        (AD_ID, {}, aecore.ValidationError, ValueError, "client.team.ae"),
        ("", {}, aecore.ValidationError, ValueError, "client.team.ae"),
        ("S9999", {}, aecore.NotFoundError, KeyError, "client.team.ae"),
        (AE1_ID, {"am": AE2_ID}, aecore.ValidationError, ValueError, "client.team.am"),
        (AE1_ID, {"ad": AM_ID}, aecore.ValidationError, ValueError, "client.team.ad"),
        (AE1_ID, {"aae": AE2_ID}, aecore.ValidationError, ValueError, "client.team.aae"),
        (AE1_ID, {"am": "S9999"}, aecore.NotFoundError, KeyError, "client.team.am"),
        (AE1_ID, {"ad": "S9999"}, aecore.NotFoundError, KeyError, "client.team.ad"),
    ],
    ids=["owner-am", "owner-ad", "owner-empty", "owner-unknown", "am-is-ae", "ad-is-am", "aae-is-ae", "am-unknown", "ad-unknown"],
)
def test_register_team_is_checked(book: aecore.Agency, unchanged, owner, kw, error, builtin, field) -> None:
    with unchanged(book), pytest.raises(error) as ei:
        register(book, "Team Client", "TEAM", "SH", D(2026, 6, 1), owner, **kw)
    assert_error(ei.value, error, builtin, field, "ST-3")


def test_am_as_owner_names_the_field_and_rule(book: aecore.Agency) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        register(book, "Team Client", "TEAM", "SH", D(2026, 6, 1), AM_ID)
    text = str(ei.value)
    assert "client.team.ae" in text and "ST-3" in text
    assert "Li Wei" in text  # who was offered


def test_owner_who_left_is_refused(book: aecore.Agency, unchanged) -> None:
    book.update_staff(AE2_ID, active=False)
    with unchanged(book), pytest.raises(aecore.ValidationError) as ei:
        register(book, "Team Client", "TEAM", "SH", D(2026, 6, 1), AE2_ID)
    assert_error(ei.value, aecore.ValidationError, ValueError, "client.team.ae", "ST-3")
    assert "inactive" in str(ei.value)


def test_assign_team_keeps_the_history(book: aecore.Agency) -> None:
    assert book.assign_team(HOME_CODE, ae=AE2_ID, am=AM_ID, effective=D(2026, 10, 1), note="Wang Fang on leave") is None
    home = book.get_client(HOME_CODE)
    assert home.owner == AE2_ID
    assert (home.team.ae, home.team.aae, home.team.am, home.team.ad) == (AE2_ID, None, AM_ID, None)
    assert [(h.effective, h.team.ae, h.note) for h in home.team_history] == [
        (D(2026, 3, 2), AE1_ID, "initial team"),
        (D(2026, 10, 1), AE2_ID, "Wang Fang on leave"),
    ]
    # the same effective date as the current team is allowed (a same-day correction)
    book.assign_team(HOME_CODE, ae=AE1_ID, effective=D(2026, 10, 1))
    assert [h.team.ae for h in book.get_client(HOME_CODE).team_history] == [AE1_ID, AE2_ID, AE1_ID]
    assert repr(home.team_history[1]) == (
        "TeamAssignment(effective=2026-10-01, team=AccountTeam(ae='S0004', aae=None, am='S0002', ad=None), "
        "note='Wang Fang on leave')"
    )


def test_assign_team_is_keyword_only(book: aecore.Agency, unchanged) -> None:
    with unchanged(book), pytest.raises(TypeError):
        book.assign_team(HOME_CODE, AE2_ID, effective=D(2026, 10, 1))  # type: ignore[misc]
    with unchanged(book), pytest.raises(TypeError):
        book.assign_team(HOME_CODE, ae=AE2_ID)  # type: ignore[call-arg]  # effective is required


# ----------------------------------------------------------------- the strong guarantee, every bad input

BAD_OPERATIONS = [
    # (id, operation, exception, built-in, field, rule)
    ("register-empty-name", lambda a: register(a, " ", "NEW", "SH", D(2026, 6, 1)),
     aecore.ValidationError, ValueError, "client.name", "CL-2"),
    ("register-bad-email", lambda a: register(a, "New", "NEW", "SH", D(2026, 6, 1), email="nope"),
     aecore.ValidationError, ValueError, "client.email", "CL-2"),
    ("register-negative-budget", lambda a: register(a, "New", "NEW", "SH", D(2026, 6, 1), annual_budget=cny("-1")),
     aecore.ValidationError, ValueError, "client.annual_budget", "CL-2"),
    ("register-usd-budget", lambda a: register(a, "New", "NEW", "SH", D(2026, 6, 1), annual_budget=Money("1", "USD")),
     aecore.ValidationError, ValueError, "client.annual_budget", "MB-1"),
    ("register-control-char-phone", lambda a: register(a, "New", "NEW", "SH", D(2026, 6, 1), phone="1\x07"),
     aecore.ValidationError, ValueError, "client.phone", "CL-2"),
    ("update-unknown-code", lambda a: a.update_client("SH-202603-NOPE-001", name="X"),
     aecore.NotFoundError, KeyError, "client.code", "CL-1"),
    ("update-empty-name", lambda a: a.update_client(HOME_CODE, name=""),
     aecore.ValidationError, ValueError, "client.name", "CL-2"),
    ("update-bad-email", lambda a: a.update_client(HOME_CODE, email="a@b"),
     aecore.ValidationError, ValueError, "client.email", "CL-2"),
    ("update-usd-budget", lambda a: a.update_client(HOME_CODE, annual_budget=Money("5", "USD")),
     aecore.ValidationError, ValueError, "client.annual_budget", "MB-1"),
    ("update-negative-budget", lambda a: a.update_client(HOME_CODE, annual_budget=cny("-0.01")),
     aecore.ValidationError, ValueError, "client.annual_budget", "CL-2"),
    ("update-valid-then-invalid", lambda a: a.update_client(HOME_CODE, name="Fine Name", email="bad"),
     aecore.ValidationError, ValueError, "client.email", "CL-2"),
    ("add-brand-empty", lambda a: a.add_brand(HOME_CODE, "  "),
     aecore.ValidationError, ValueError, "client.brand", "CL-2"),
    ("add-brand-unknown-client", lambda a: a.add_brand("SH-202603-NOPE-001", "B"),
     aecore.NotFoundError, KeyError, "client.code", "CL-1"),
    ("add-product-unknown-brand", lambda a: a.add_product(HOME_CODE, "No Brand", "P"),
     aecore.NotFoundError, KeyError, "client.brand", "CL-2"),
    ("second-primary", lambda a: a.add_contact(HOME_CODE, "Boss Two", primary=True),
     aecore.ValidationError, ValueError, "contact.primary", "CL-3"),
    ("contact-empty-name", lambda a: a.add_contact(HOME_CODE, ""),
     aecore.ValidationError, ValueError, "contact.name", "CL-3"),
    ("contact-bad-email", lambda a: a.add_contact(HOME_CODE, "X", email="x@"),
     aecore.ValidationError, ValueError, "contact.email", "CL-3"),
    ("set-primary-unknown", lambda a: a.set_primary_contact(HOME_CODE, "K03"),
     aecore.NotFoundError, KeyError, "contact.id", "CL-3"),
    ("contract-end-before-start",
     lambda a: a.add_contract(HOME_CODE, start=D(2026, 7, 1), end=D(2026, 6, 30), monthly_fee=cny("1")),
     aecore.ValidationError, ValueError, "contract.end", "CL-7"),
    ("contract-usd-fee",
     lambda a: a.add_contract(HOME_CODE, start=D(2026, 1, 1), end=D(2026, 12, 31), monthly_fee=Money("100", "USD")),
     aecore.ValidationError, ValueError, "contract.monthly_fee", "MB-1"),
    ("contract-negative-fee",
     lambda a: a.add_contract(HOME_CODE, start=D(2026, 1, 1), end=D(2026, 12, 31), monthly_fee=cny("-1")),
     aecore.ValidationError, ValueError, "contract.monthly_fee", "CL-7"),
    ("register-owner-am", lambda a: register(a, "New", "NEW", "SH", D(2026, 6, 1), AM_ID),
     aecore.ValidationError, ValueError, "client.team.ae", "ST-3"),
    ("register-owner-unknown", lambda a: register(a, "New", "NEW", "SH", D(2026, 6, 1), "S9999"),
     aecore.NotFoundError, KeyError, "client.team.ae", "ST-3"),
    ("assign-owner-am", lambda a: a.assign_team(HOME_CODE, ae=AM_ID, effective=D(2026, 10, 1)),
     aecore.ValidationError, ValueError, "client.team.ae", "ST-3"),
    ("assign-owner-unknown", lambda a: a.assign_team(HOME_CODE, ae="S9999", effective=D(2026, 10, 1)),
     aecore.NotFoundError, KeyError, "client.team.ae", "ST-3"),
    ("assign-am-unknown", lambda a: a.assign_team(HOME_CODE, ae=AE2_ID, am="S9999", effective=D(2026, 10, 1)),
     aecore.NotFoundError, KeyError, "client.team.am", "ST-3"),
    ("assign-before-current-team", lambda a: a.assign_team(HOME_CODE, ae=AE2_ID, effective=D(2026, 3, 1)),
     aecore.ValidationError, ValueError, "team.effective", "ST-3"),
    ("stage-before-last-change", lambda a: a.set_stage(HOME_CODE, PipelineStage.POTENTIAL, on=D(2026, 3, 1)),
     aecore.ValidationError, ValueError, "stage.date", "CL-6"),
    ("delivered-on-not-closed",
     lambda a: a.set_stage(HOME_CODE, PipelineStage.NEGOTIATING, on=D(2026, 11, 2), delivered_on=D(2026, 11, 3)),
     aecore.ValidationError, ValueError, "stage.delivered_on", "CL-6"),
    ("stage-unknown-client", lambda a: a.set_stage("SH-202603-NOPE-001", PipelineStage.ABANDON, on=D(2026, 11, 2)),
     aecore.NotFoundError, KeyError, "client.code", "CL-1"),
    ("archive-unknown-client", lambda a: a.archive_client("SH-202603-NOPE-001"),
     aecore.NotFoundError, KeyError, "client.code", "CL-1"),
    ("follow-up-unknown-client", lambda a: a.next_follow_up("SH-202603-NOPE-001", D(2026, 11, 2)),
     aecore.NotFoundError, KeyError, "client.code", "CL-1"),
    ("last-contact-unknown-client", lambda a: a.last_contact("SH-202603-NOPE-001", D(2026, 11, 2)),
     aecore.NotFoundError, KeyError, "client.code", "CL-1"),
    ("tiers-usd-billings", lambda a: a.tiers(D(2026, 11, 2), billings={HOME_CODE: Money("100", "USD")}),
     aecore.ValidationError, ValueError, f"billings.{HOME_CODE}", "MB-1"),
    ("tiers-negative-days-overdue", lambda a: a.tiers(D(2026, 11, 2), days_overdue={HOME_CODE: -1}),
     aecore.ValidationError, ValueError, f"days_overdue.{HOME_CODE}", "CL-5"),
]


@pytest.mark.parametrize(
    ("operation", "error", "builtin", "field", "rule"),
    [case[1:] for case in BAD_OPERATIONS],
    ids=[case[0] for case in BAD_OPERATIONS],
)
def test_failed_operation_changes_nothing(book: aecore.Agency, unchanged, operation, error, builtin, field, rule) -> None:
    with unchanged(book), pytest.raises(error) as ei:
        operation(book)
    assert_error(ei.value, error, builtin, field, rule)


ARCHIVED_OPERATIONS = [
    ("update", lambda a: a.update_client(AWAY_CODE, name="X")),
    ("add-brand", lambda a: a.add_brand(AWAY_CODE, "B")),
    ("add-contact", lambda a: a.add_contact(AWAY_CODE, "X")),
    ("set-primary", lambda a: a.set_primary_contact(AWAY_CODE, "K01")),
    ("add-contract", lambda a: a.add_contract(AWAY_CODE, start=D(2026, 1, 1), end=D(2026, 2, 1), monthly_fee=cny("1"))),
    ("assign-team", lambda a: a.assign_team(AWAY_CODE, ae=AE1_ID, effective=D(2026, 10, 1))),
    ("set-stage", lambda a: a.set_stage(AWAY_CODE, PipelineStage.ABANDON, on=D(2026, 11, 2))),
    ("archive-again", lambda a: a.archive_client(AWAY_CODE)),
]


@pytest.mark.parametrize("operation", [c[1] for c in ARCHIVED_OPERATIONS], ids=[c[0] for c in ARCHIVED_OPERATIONS])
def test_an_archived_client_cannot_change(book: aecore.Agency, unchanged, operation) -> None:
    book.archive_client(AWAY_CODE)
    with unchanged(book), pytest.raises(aecore.StateError) as ei:
        operation(book)
    assert_error(ei.value, aecore.StateError, RuntimeError, "client.code", "CL-2")


@pytest.mark.parametrize(
    "operation",
    [
        lambda a: register(a, "New", "NEW", "SH", dt.datetime(2026, 6, 1, 9, 0)),
        lambda a: register(a, "New", "NEW", "SH", "2026-06-01"),
        lambda a: register(a, "New", "NEW", "SH", D(2026, 6, 1), stage="CLOSED"),
        lambda a: register(a, "New", "NEW", "SH", D(2026, 6, 1), annual_budget="100"),
        lambda a: a.set_stage(HOME_CODE, "ABANDON", on=D(2026, 11, 2)),
        lambda a: a.set_stage(HOME_CODE, PipelineStage.ABANDON, D(2026, 11, 2)),
        lambda a: a.set_stage(HOME_CODE, PipelineStage.ABANDON, on=dt.datetime(2026, 11, 2, 9, 0)),
        lambda a: a.tiers(D(2026, 11, 2), {HOME_CODE: cny("1")}),
        lambda a: a.tiers(D(2026, 11, 2), billings={HOME_CODE: Decimal("1")}),
        lambda a: a.next_follow_up(HOME_CODE, dt.datetime(2026, 11, 2, 9, 0)),
    ],
    ids=[
        "first-contact-datetime",
        "first-contact-str",
        "stage-str",
        "budget-str",
        "set-stage-str",
        "set-stage-on-positional",
        "set-stage-on-datetime",
        "tiers-billings-positional",
        "tiers-billings-decimal",
        "follow-up-datetime",
    ],
)
def test_wrong_python_types_are_type_errors(book: aecore.Agency, unchanged, operation) -> None:
    with unchanged(book), pytest.raises(TypeError):
        operation(book)


# ----------------------------------------------------------------- CL-4 contact cadence


def test_cadence_home_city_daily_elsewhere_every_3_business_days(book: aecore.Agency) -> None:
    call(book, HOME_CODE, T(2026, 11, 6, 10, 0))  # Friday
    call(book, AWAY_CODE, T(2026, 11, 5, 16, 30), AE2_ID)  # Thursday
    for as_of in (D(2026, 11, 6), D(2026, 11, 7), D(2026, 11, 8), D(2026, 11, 9)):  # the weekend doesn't count
        assert book.overdue_contacts(as_of) == [], as_of
    (home,) = book.overdue_contacts(D(2026, 11, 10))
    assert isinstance(home, aecore.OverdueContact)
    assert (home.client, home.last_contact, home.due, home.business_days_overdue) == (HOME_CODE, D(2026, 11, 6), D(2026, 11, 9), 1)
    assert type(home.last_contact) is dt.date and type(home.due) is dt.date
    assert repr(home) == (
        f"OverdueContact(client='{HOME_CODE}', last_contact=2026-11-06, due=2026-11-09, business_days_overdue=1)"
    )
    rows = book.overdue_contacts(D(2026, 11, 11))
    assert [(o.client, o.last_contact, o.due, o.business_days_overdue) for o in rows] == [
        (HOME_CODE, D(2026, 11, 6), D(2026, 11, 9), 2),
        (AWAY_CODE, D(2026, 11, 5), D(2026, 11, 10), 1),
    ]


def test_a_contact_on_the_due_day_keeps_the_client_current(book: aecore.Agency) -> None:
    call(book, HOME_CODE, T(2026, 11, 6, 10, 0))
    call(book, HOME_CODE, T(2026, 11, 9, 17, 59))
    call(book, AWAY_CODE, T(2026, 11, 9, 9, 0), AE2_ID)
    assert [o.client for o in book.overdue_contacts(D(2026, 11, 10))] == []
    assert [o.client for o in book.overdue_contacts(D(2026, 11, 11))] == [HOME_CODE]


def test_holidays_do_not_count(book: aecore.Agency) -> None:
    book.calendar.add_holiday(D(2026, 11, 9))
    book.archive_client(AWAY_CODE)
    call(book, HOME_CODE, T(2026, 11, 6, 10, 0))
    assert book.overdue_contacts(D(2026, 11, 10)) == []
    (o,) = book.overdue_contacts(D(2026, 11, 11))
    assert o.due == D(2026, 11, 10)


def test_cadence_comes_from_the_policy(book: aecore.Agency) -> None:
    book.policy.contact_cadence_days = (2, 5)
    call(book, HOME_CODE, T(2026, 11, 6, 10, 0))
    call(book, AWAY_CODE, T(2026, 11, 5, 10, 0), AE2_ID)
    assert book.overdue_contacts(D(2026, 11, 10)) == []
    assert [(o.client, o.due) for o in book.overdue_contacts(D(2026, 11, 11))] == [(HOME_CODE, D(2026, 11, 10))]
    assert [(o.client, o.due) for o in book.overdue_contacts(D(2026, 11, 13))] == [
        (HOME_CODE, D(2026, 11, 10)),
        (AWAY_CODE, D(2026, 11, 12)),
    ]
    book.home_city = "BJ"  # now Panda Mobile is the home-city client
    assert [(o.client, o.due) for o in book.overdue_contacts(D(2026, 11, 13))] == [(AWAY_CODE, D(2026, 11, 9))]
    assert [(o.client, o.due) for o in book.overdue_contacts(D(2026, 11, 16))] == [
        (HOME_CODE, D(2026, 11, 13)),
        (AWAY_CODE, D(2026, 11, 9)),
    ]


@pytest.mark.parametrize(
    ("stage", "watched"),
    [
        (PipelineStage.CLOSED, True),
        (PipelineStage.NEGOTIATING, True),
        (PipelineStage.POTENTIAL, False),
        (PipelineStage.INTERRUPTED, False),
        (PipelineStage.ABANDON, False),
    ],
)
def test_only_closed_and_negotiating_clients_have_a_cadence(book: aecore.Agency, stage, watched) -> None:
    book.set_stage(HOME_CODE, stage, on=D(2026, 11, 2))
    book.set_stage(AWAY_CODE, stage, on=D(2026, 11, 2))
    listed = {o.client for o in book.overdue_contacts(D(2026, 11, 20))}
    assert listed == ({HOME_CODE, AWAY_CODE} if watched else set())


def test_cadence_uses_the_stage_on_the_day(book: aecore.Agency) -> None:
    book.set_stage(HOME_CODE, PipelineStage.POTENTIAL, on=D(2026, 11, 16))
    assert HOME_CODE in {o.client for o in book.overdue_contacts(D(2026, 11, 13))}  # still CLOSED then
    assert HOME_CODE not in {o.client for o in book.overdue_contacts(D(2026, 11, 16))}


def test_never_contacted_counts_from_the_first_contact(book: aecore.Agency) -> None:
    rows = {o.client: o for o in book.overdue_contacts(D(2026, 5, 20))}
    assert rows[HOME_CODE].last_contact == D(2026, 3, 2)
    assert rows[HOME_CODE].due == D(2026, 3, 3)
    assert rows[AWAY_CODE].last_contact == D(2026, 5, 11)
    assert rows[AWAY_CODE].due == D(2026, 5, 14)
    # before its first contact a client is not yet watched
    assert [o.client for o in book.overdue_contacts(D(2026, 5, 8))] == [HOME_CODE]


def test_archived_clients_are_not_watched(book: aecore.Agency) -> None:
    book.archive_client(HOME_CODE)
    assert [o.client for o in book.overdue_contacts(D(2026, 11, 20))] == [AWAY_CODE]


def test_last_contact_is_a_datetime_up_to_the_end_of_the_day(book: aecore.Agency) -> None:
    assert book.last_contact(HOME_CODE, D(2026, 11, 30)) is None
    call(book, HOME_CODE, T(2026, 11, 6, 10, 0, 0, 250))
    call(book, HOME_CODE, T(2026, 11, 9, 23, 59, 59, 999999))
    call(book, HOME_CODE, T(2026, 11, 10, 0, 0))
    assert book.last_contact(HOME_CODE, D(2026, 11, 5)) is None
    assert book.last_contact(HOME_CODE, D(2026, 11, 8)) == T(2026, 11, 6, 10, 0, 0, 250)
    last = book.last_contact(HOME_CODE, D(2026, 11, 9))
    assert type(last) is dt.datetime and last == T(2026, 11, 9, 23, 59, 59, 999999)
    assert book.last_contact(HOME_CODE, D(2026, 11, 10)) == T(2026, 11, 10, 0, 0)
    assert book.last_contact(AWAY_CODE, D(2026, 11, 10)) is None


def test_later_contacts_do_not_change_an_earlier_day(book: aecore.Agency) -> None:
    call(book, HOME_CODE, T(2026, 11, 6, 10, 0))
    before = [(o.client, o.due) for o in book.overdue_contacts(D(2026, 11, 11))]
    call(book, HOME_CODE, T(2026, 11, 12, 10, 0))
    assert [(o.client, o.due) for o in book.overdue_contacts(D(2026, 11, 11))] == before


# ----------------------------------------------------------------- CL-5 tiers


def tier_book(billings: dict[str, str]) -> tuple[aecore.Agency, dict[str, str]]:
    """A small agency with one client per short name; returns it and short name -> code."""
    agency = build_small_agency()
    codes = {}
    for i, short in enumerate(billings):
        codes[short] = register(agency, f"Client {short}", short, "SH", D(2026, 1, 5 + i)).code
    return agency, codes


def tiers_by_short(agency, codes, billings, **kw):
    money = {codes[s]: cny(v) for s, v in billings.items()}
    rows = agency.tiers(D(2026, 11, 23), billings=money, **kw)
    by_code = {v: k for k, v in codes.items()}
    return [(by_code[t.client], t.tier) for t in rows], rows


def test_tiers_a_to_50_b_to_80_c_the_rest() -> None:
    billings = {"V": "5", "W": "40", "X": "15", "Y": "30", "Z": "10", "NIL": "0"}
    agency, codes = tier_book(billings)
    order, rows = tiers_by_short(agency, codes, billings)
    assert order == [("W", Tier.A), ("Y", Tier.A), ("X", Tier.B), ("Z", Tier.C), ("V", Tier.C), ("NIL", Tier.C)]
    assert all(isinstance(t, aecore.TierAssignment) for t in rows)
    assert [t.billings for t in rows] == [cny(v) for v in ("40", "30", "15", "10", "5", "0")]
    assert [t.share for t in rows] == [Decimal(s) for s in ("0.4000", "0.3000", "0.1500", "0.1000", "0.0500", "0.0000")]
    assert [t.cumulative_share for t in rows] == [
        Decimal(s) for s in ("0.4000", "0.7000", "0.8500", "0.9500", "1.0000", "1.0000")
    ]
    assert not any(t.demoted for t in rows)


def test_tier_a_is_the_smallest_set_reaching_the_threshold() -> None:
    billings = {"P": "50", "Q": "30", "R": "20"}
    agency, codes = tier_book(billings)
    order, _ = tiers_by_short(agency, codes, billings)
    assert order == [("P", Tier.A), ("Q", Tier.B), ("R", Tier.C)]  # exactly 50 % already, exactly 80 % already
    billings = {"P": "49.99", "Q": "30", "R": "20.01"}
    agency, codes = tier_book(billings)
    order, _ = tiers_by_short(agency, codes, billings)
    assert order == [("P", Tier.A), ("Q", Tier.A), ("R", Tier.B)]


def test_a_single_client_with_billings_is_tier_a() -> None:
    billings = {"ONLY": "1", "NONE": "0"}
    agency, codes = tier_book(billings)
    order, rows = tiers_by_short(agency, codes, billings)
    assert order == [("ONLY", Tier.A), ("NONE", Tier.C)]
    assert rows[0].share == Decimal("1.0000")


def test_zero_billings_are_tier_c(book: aecore.Agency) -> None:
    rows = book.tiers(D(2026, 11, 23))
    assert [(t.client, t.tier, t.share) for t in rows] == [
        (AWAY_CODE, Tier.C, Decimal("0.0000")),  # equal (zero) billings: by code
        (HOME_CODE, Tier.C, Decimal("0.0000")),
    ]
    assert all(t.billings == Money.zero("CNY") for t in rows)


def test_ties_are_broken_by_client_code(agency: aecore.Agency) -> None:
    alpha = register(agency, "Alpha", "ALPHA", "SH", D(2026, 1, 5)).code  # SH-202601-ALPHA-001
    zed = register(agency, "Zed", "ZED", "CD", D(2026, 1, 6)).code  # CD-202601-ZED-002 sorts first
    big = register(agency, "Big", "BIG", "GZ", D(2026, 1, 7)).code
    assert zed < alpha
    for billings in (
        {alpha: cny("30"), zed: cny("30"), big: cny("40")},
        {big: cny("40"), zed: cny("30"), alpha: cny("30")},
    ):
        rows = agency.tiers(D(2026, 11, 23), billings=billings)
        assert [(t.client, t.tier) for t in rows] == [(big, Tier.A), (zed, Tier.A), (alpha, Tier.B)]
    assert [repr(t) for t in agency.tiers(D(2026, 11, 23), billings={alpha: cny("30"), zed: cny("30"), big: cny("40")})] == [
        repr(t) for t in agency.tiers(D(2026, 11, 23), billings={alpha: cny("30"), zed: cny("30"), big: cny("40")})
    ]


@pytest.mark.parametrize(("days", "tier", "demoted"), [(0, Tier.A, False), (90, Tier.A, False), (91, Tier.B, True), (400, Tier.B, True)])
def test_tier_a_with_a_receivable_over_90_days_overdue_drops_to_b(days, tier, demoted) -> None:
    billings = {"BIG": "60", "SMALL": "40"}
    agency, codes = tier_book(billings)
    assert agency.policy.tier_a_max_overdue_days == 90
    rows = {t.client: t for t in agency.tiers(D(2026, 11, 23), billings={codes[k]: cny(v) for k, v in billings.items()},
                                             days_overdue={codes["BIG"]: days})}
    big = rows[codes["BIG"]]
    assert (big.tier, big.demoted, big.days_overdue) == (tier, demoted, days)
    assert big.share == Decimal("0.6000")  # the figures stay those of its billings
    assert rows[codes["SMALL"]].tier is Tier.B and rows[codes["SMALL"]].days_overdue == 0
    assert ("demoted=True" in repr(big)) is demoted


def test_a_b_client_overdue_is_not_demoted_further() -> None:
    billings = {"BIG": "60", "SMALL": "40"}
    agency, codes = tier_book(billings)
    rows = {t.client: t for t in agency.tiers(D(2026, 11, 23), billings={codes[k]: cny(v) for k, v in billings.items()},
                                             days_overdue={codes["SMALL"]: 365})}
    small = rows[codes["SMALL"]]
    assert (small.tier, small.demoted) == (Tier.B, False)


def test_tier_policy_is_configurable() -> None:
    billings = {"BIG": "60", "MID": "25", "LOW": "15"}
    agency, codes = tier_book(billings)
    agency.policy.tier_a_max_overdue_days = 30
    agency.policy.tier_shares = (Decimal("0.70"), Decimal("0.90"))
    order, rows = tiers_by_short(agency, codes, billings, days_overdue={codes["BIG"]: 31})
    assert order == [("BIG", Tier.B), ("MID", Tier.A), ("LOW", Tier.B)]
    assert rows[0].demoted is True


def test_share_is_a_decimal_with_4_places() -> None:
    billings = {"A1": "100", "A2": "100", "A3": "100"}
    agency, codes = tier_book(billings)
    order, rows = tiers_by_short(agency, codes, billings)
    assert order == [("A1", Tier.A), ("A2", Tier.A), ("A3", Tier.B)]
    for t in rows:
        assert type(t.share) is Decimal and type(t.cumulative_share) is Decimal
        assert t.share.as_tuple().exponent == -4
        assert t.share == Decimal("0.3333")
    assert [t.cumulative_share for t in rows] == [Decimal("0.3333"), Decimal("0.6667"), Decimal("1.0000")]


@pytest.mark.parametrize(
    ("tier", "visits", "terms"),
    [
        (Tier.A, aecore.VisitOwner.SENIOR_MANAGEMENT, aecore.PaymentTerms.CREDIT),
        (Tier.B, aecore.VisitOwner.AM, aecore.PaymentTerms.DEPOSIT),
        (Tier.C, aecore.VisitOwner.AE, aecore.PaymentTerms.PREPAYMENT),
    ],
)
def test_tier_policy_visits_and_payment_terms(tier, visits, terms) -> None:
    billings = {"P": "50", "Q": "30", "R": "20"}
    agency, codes = tier_book(billings)
    _, rows = tiers_by_short(agency, codes, billings)
    (row,) = [t for t in rows if t.tier is tier]
    assert row.visits is visits
    assert row.payment_terms is terms
    assert isinstance(row.visits, enum.Enum) and isinstance(row.payment_terms, enum.Enum)


def test_archived_clients_are_not_tiered(book: aecore.Agency) -> None:
    book.archive_client(HOME_CODE)
    rows = book.tiers(D(2026, 11, 23), billings={HOME_CODE: cny("100"), AWAY_CODE: cny("1")})
    assert [(t.client, t.tier, t.share) for t in rows] == [(AWAY_CODE, Tier.A, Decimal("1.0000"))]


def test_tiers_in_a_foreign_currency_are_refused_for_any_client(book: aecore.Agency, unchanged) -> None:
    with unchanged(book), pytest.raises(aecore.ValidationError) as ei:
        book.tiers(D(2026, 11, 23), billings={HOME_CODE: cny("100"), AWAY_CODE: Money("1", "EUR")})
    assert_error(ei.value, aecore.ValidationError, ValueError, f"billings.{AWAY_CODE}", "MB-1")
    assert "EUR" in str(ei.value)


# ----------------------------------------------------------------- CL-6 pipeline stage and follow-ups


def test_set_stage_keeps_the_history(book: aecore.Agency) -> None:
    assert book.set_stage(HOME_CODE, PipelineStage.INTERRUPTED, on=D(2026, 9, 1), note="budget frozen") is None
    book.set_stage(HOME_CODE, PipelineStage.NEGOTIATING, on=D(2026, 9, 1))  # same day is fine
    book.set_stage(HOME_CODE, PipelineStage.CLOSED, on=D(2026, 11, 2), note="won", delivered_on=D(2026, 11, 3))
    book.set_stage(HOME_CODE, PipelineStage.CLOSED, on=D(2026, 11, 20))
    home = book.get_client(HOME_CODE)
    assert home.stage is PipelineStage.CLOSED
    assert all(isinstance(s, aecore.StageChange) for s in home.stage_history)
    assert [(s.date, s.stage, s.note, s.delivered_on) for s in home.stage_history] == [
        (D(2026, 3, 2), PipelineStage.CLOSED, "registered", D(2026, 3, 2)),
        (D(2026, 9, 1), PipelineStage.INTERRUPTED, "budget frozen", None),
        (D(2026, 9, 1), PipelineStage.NEGOTIATING, "", None),
        (D(2026, 11, 2), PipelineStage.CLOSED, "won", D(2026, 11, 3)),
        (D(2026, 11, 20), PipelineStage.CLOSED, "", D(2026, 11, 20)),  # delivered on the day by default
    ]
    assert repr(home.stage_history[3]) == "StageChange(date=2026-11-02, stage=CLOSED, delivered_on=2026-11-03)"
    assert repr(home.stage_history[1]) == "StageChange(date=2026-09-01, stage=INTERRUPTED)"
    assert [s.name for s in PipelineStage] == ["CLOSED", "NEGOTIATING", "POTENTIAL", "INTERRUPTED", "ABANDON"]


def test_registered_stage_starts_the_history(book: aecore.Agency) -> None:
    away = book.get_client(AWAY_CODE)
    assert [(s.date, s.stage, s.delivered_on) for s in away.stage_history] == [
        (D(2026, 5, 11), PipelineStage.NEGOTIATING, None)
    ]


def test_closed_follow_ups_on_day_3_7_15_after_delivery(book: aecore.Agency) -> None:
    book.set_stage(HOME_CODE, PipelineStage.CLOSED, on=D(2026, 11, 2), delivered_on=D(2026, 11, 3))
    nf = book.next_follow_up(HOME_CODE, D(2026, 11, 3))
    assert nf == D(2026, 11, 6) and type(nf) is dt.date  # day 3: Friday
    call(book, HOME_CODE, T(2026, 11, 6, 10, 0))
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 6)) == D(2026, 11, 10)  # day 7
    call(book, HOME_CODE, T(2026, 11, 10, 10, 0))
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 10)) == D(2026, 11, 18)  # day 15
    call(book, HOME_CODE, T(2026, 11, 18, 10, 0))
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 18)) is None  # the schedule is done
    # as of an earlier day only the contacts up to that day count
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 5)) == D(2026, 11, 6)
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 9)) == D(2026, 11, 10)


def test_closed_follow_up_on_a_weekend_rolls_forward(book: aecore.Agency) -> None:
    book.set_stage(HOME_CODE, PipelineStage.CLOSED, on=D(2026, 11, 4), delivered_on=D(2026, 11, 4))
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 4)) == D(2026, 11, 9)  # day 3 is Saturday 7 Nov
    book.calendar.add_holiday(D(2026, 11, 9))
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 4)) == D(2026, 11, 10)


def test_closed_without_delivery_date_counts_from_the_stage_date(book: aecore.Agency) -> None:
    book.set_stage(HOME_CODE, PipelineStage.CLOSED, on=D(2026, 11, 2))
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 2)) == D(2026, 11, 5)


def test_negotiating_every_3_days_at_most_7(book: aecore.Agency) -> None:
    book.set_stage(AWAY_CODE, PipelineStage.NEGOTIATING, on=D(2026, 11, 2), note="new proposal")
    assert book.next_follow_up(AWAY_CODE, D(2026, 11, 2)) == D(2026, 11, 5)
    days = [3, 4, 5, 6, 9, 10]
    for day in days:
        call(book, AWAY_CODE, T(2026, 11, day, 11, 0), AE2_ID)
    assert book.next_follow_up(AWAY_CODE, D(2026, 11, 5)) == D(2026, 11, 9)  # 8 Nov is a Sunday
    assert book.next_follow_up(AWAY_CODE, D(2026, 11, 10)) == D(2026, 11, 13)  # 6 follow-ups so far
    call(book, AWAY_CODE, T(2026, 11, 11, 11, 0), AE2_ID)
    assert book.next_follow_up(AWAY_CODE, D(2026, 11, 11)) is None  # 7 follow-ups done
    assert book.next_follow_up(AWAY_CODE, D(2026, 11, 10)) == D(2026, 11, 13)


def test_potential_every_90_days(book: aecore.Agency) -> None:
    book.set_stage(HOME_CODE, PipelineStage.POTENTIAL, on=D(2026, 11, 2))
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 2)) == D(2027, 2, 1)  # 31 Jan 2027 is a Sunday
    call(book, HOME_CODE, T(2026, 11, 4, 10, 0))
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 4)) == D(2027, 2, 2)


def test_interrupted_every_180_days(book: aecore.Agency) -> None:
    book.set_stage(HOME_CODE, PipelineStage.INTERRUPTED, on=D(2026, 11, 2))
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 2)) == D(2027, 5, 3)  # 1 May 2027 is a Saturday
    call(book, HOME_CODE, T(2026, 11, 4, 10, 0))
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 4)) == D(2027, 5, 3)


def test_abandon_has_no_follow_up(book: aecore.Agency) -> None:
    book.set_stage(HOME_CODE, PipelineStage.ABANDON, on=D(2026, 11, 2), note="cash before delivery only")
    call(book, HOME_CODE, T(2026, 11, 4, 10, 0))
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 2)) is None
    assert book.next_follow_up(HOME_CODE, D(2026, 12, 31)) is None


def test_follow_up_uses_the_stage_on_the_day(book: aecore.Agency) -> None:
    book.set_stage(HOME_CODE, PipelineStage.ABANDON, on=D(2026, 11, 2))
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 1)) == D(2026, 3, 5)  # CLOSED then: day 3, overdue
    assert book.next_follow_up(HOME_CODE, D(2026, 11, 2)) is None
    assert book.next_follow_up(HOME_CODE, D(2026, 3, 1)) is None  # before the first contact


def test_archived_client_has_no_follow_up(book: aecore.Agency) -> None:
    book.archive_client(AWAY_CODE)
    assert book.next_follow_up(AWAY_CODE, D(2026, 5, 11)) is None


# ----------------------------------------------------------------- Python niceties


def test_client_enums_are_real_enums() -> None:
    for cls in (DecisionRole, PipelineStage, Tier, aecore.VisitOwner, aecore.PaymentTerms):
        assert issubclass(cls, enum.Enum)
        for member in cls:
            assert isinstance(member, enum.Enum)
            assert cls[member.name] is member
    assert [t.name for t in Tier] == ["A", "B", "C"]
    assert [v.name for v in aecore.VisitOwner] == ["SENIOR_MANAGEMENT", "AM", "AE"]
    assert [p.name for p in aecore.PaymentTerms] == ["CREDIT", "DEPOSIT", "PREPAYMENT"]


def test_client_and_contact_reprs(book: aecore.Agency) -> None:
    home = book.get_client(HOME_CODE)
    assert repr(home) == (
        "Client(code='SH-202603-GHFOOD-001', name='Golden Harvest Foods', city='SH', stage=CLOSED, owner='S0003')"
    )
    assert repr(home.contacts[0]) == "Contact(id='K01', name='Xu Hong', role=DECISION_MAKER, primary=True)"
    assert repr(home.contacts[1]) == "Contact(id='K02', name='Lin Tao', role=EXECUTOR)"
    assert repr(home.team) == "AccountTeam(ae='S0003', aae=None, am='S0002', ad='S0001')"
    book.archive_client(AWAY_CODE)
    assert repr(book.get_client(AWAY_CODE)).endswith("owner='S0004', archived=True)")


def test_client_repr_html(book: aecore.Agency) -> None:
    book.add_brand(HOME_CODE, "Harvest Gold")
    book.add_product(HOME_CODE, "Harvest Gold", "Rice Noodles")
    page = book.get_client(HOME_CODE)._repr_html_()
    assert f"<code>{HOME_CODE}</code>" in page
    assert "<b>Golden Harvest Foods</b>" in page
    assert "stage CLOSED" in page and "first contact 2026-03-02" in page
    assert "AE S0003" in page and "AM S0002" in page and "AD S0001" in page
    assert "Harvest Gold (Rice Noodles)" in page
    assert "CNY 12,000,000.00" in page or "12000000.00" in page
    assert "<td>K01</td><td>Xu Hong</td><td>Marketing Director</td><td>DECISION_MAKER</td><td>yes</td>" in page
    assert "<td>K02</td><td>Lin Tao</td>" in page
    assert page.count("<tr>") == 1 + 2


def test_client_repr_html_escapes(agency: aecore.Agency) -> None:
    c = register(agency, "Smith & <Jones>", "SJ", "SH", D(2026, 6, 1))
    agency.add_contact(c.code, '<script>alert("x")</script>')
    page = agency.get_client(c.code)._repr_html_()
    assert "<script>" not in page
    assert html.escape("Smith & <Jones>") in page


def test_clients_frame(book: aecore.Agency) -> None:
    call(book, HOME_CODE, T(2026, 11, 6, 10, 30, 0, 123456))
    book.archive_client(AWAY_CODE)
    other = register(book, "Blue River", "BLUE", "SH", D(2026, 6, 1), AE2_ID, annual_budget=cny("8500000.25"))
    frame = book.clients_frame(D(2026, 11, 6), billings={HOME_CODE: cny("300"), other.code: cny("100")})
    assert isinstance(frame, pd.DataFrame)
    assert frame.index.name == "code"
    assert list(frame.index) == [HOME_CODE, AWAY_CODE, other.code]
    for column in ("name", "city", "stage", "owner", "tier", "next_follow_up", "last_contact", "annual_budget"):
        assert column in frame.columns, column
    assert frame.loc[HOME_CODE, "name"] == "Golden Harvest Foods"
    assert frame["city"].tolist() == ["SH", "BJ", "SH"]
    assert frame["owner"].tolist() == [AE1_ID, AE2_ID, AE2_ID]
    stage = frame["stage"]
    assert str(stage.dtype) == "category"
    assert list(stage.cat.categories) == [s.name for s in PipelineStage]
    assert stage.tolist() == ["CLOSED", "NEGOTIATING", "POTENTIAL"]
    tier = frame["tier"]
    assert str(tier.dtype) == "category" and tier.cat.ordered
    assert tier[HOME_CODE] == "A" and tier[other.code] == "B"
    assert pd.isna(tier[AWAY_CODE])  # archived: not tiered
    assert str(frame["next_follow_up"].dtype).startswith("datetime64")
    assert frame.loc[other.code, "next_follow_up"] == pd.Timestamp(2026, 8, 31)  # POTENTIAL: 1 Jun + 90 days
    assert pd.isna(frame.loc[AWAY_CODE, "next_follow_up"])
    assert str(frame["last_contact"].dtype).startswith("datetime64")
    assert frame.loc[HOME_CODE, "last_contact"] == pd.Timestamp(T(2026, 11, 6, 10, 30, 0, 123456))
    assert pd.isna(frame.loc[other.code, "last_contact"])
    budgets = frame["annual_budget"].tolist()
    assert all(type(b) is Decimal for b in budgets)
    assert budgets == [Decimal("12000000.00"), Decimal("0.00"), Decimal("8500000.25")]
    assert frame["archived"].tolist() == [False, True, False]


def test_clients_frame_without_billings_takes_tiers_from_the_ledger(book: aecore.Agency) -> None:
    frame = book.clients_frame(D(2026, 11, 6))
    assert len(frame) == 2
    # nothing billed yet: every client is tier C, exactly as tiers() says
    assert list(frame["tier"]) == [t.tier.name for t in sorted(book.tiers(D(2026, 11, 6)), key=lambda t: list(frame.index).index(t.client))]
    assert set(frame["tier"]) == {"C"}


def test_pickle_and_copy_an_agency_with_clients(book: aecore.Agency) -> None:
    book.add_brand(HOME_CODE, "Harvest Gold")
    book.add_contract(HOME_CODE, start=D(2026, 1, 1), end=D(2026, 12, 31), monthly_fee=cny("120000"))
    book.assign_team(HOME_CODE, ae=AE2_ID, effective=D(2026, 10, 1))
    book.set_stage(AWAY_CODE, PipelineStage.CLOSED, on=D(2026, 11, 2), delivered_on=D(2026, 11, 3))
    book.archive_client(AWAY_CODE)
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(book, protocol=protocol))
        assert back == book
        assert back.to_json() == book.to_json()
        assert back.clients == book.clients
    twin = copy.deepcopy(book)
    twin.update_client(HOME_CODE, name="Only In The Copy")
    assert book.get_client(HOME_CODE).name == "Golden Harvest Foods"
    # the next serial survives the pickle
    back = pickle.loads(pickle.dumps(book))
    assert register(back, "Next", "NEXT", "SH", D(2026, 12, 1)).code == "SH-202612-NEXT-003"
