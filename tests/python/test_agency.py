"""The Agency aggregate root: profile, staff (ST-1), the live policy, the strong
exception guarantee, copies, pickling and the pythonic views."""

from __future__ import annotations

import copy
import datetime as dt
import enum
import html
import pickle
import subprocess
import sys
from decimal import Decimal

import pytest

import aecore
from aecore import Department, Money, Title

# Ids of the `agency` fixture (conftest.py): AD <- AM <- two AEs.
AD_ID, AM_ID, AE1_ID, AE2_ID = "S0001", "S0002", "S0003", "S0004"


def cny(amount: str) -> Money:
    return Money(amount, "CNY")


# ----------------------------------------------------------------- construction


def test_keyword_construction() -> None:
    a = aecore.Agency(name="Harbour Lights", home_city="HK", currency="HKD")
    assert (a.name, a.home_city, a.currency) == ("Harbour Lights", "HK", "HKD")
    assert a.staff == []


def test_defaults() -> None:
    a = aecore.Agency()
    assert (a.name, a.home_city, a.currency) == ("Agency", "SH", "CNY")


def test_positional_construction_is_refused() -> None:
    with pytest.raises(TypeError):
        aecore.Agency("Sunrise", "SH", "CNY")  # type: ignore[call-arg]


def test_name_is_trimmed() -> None:
    assert aecore.Agency(name="  Sunrise  ").name == "Sunrise"


@pytest.mark.parametrize("city", ["sh", "", "S1", "Sh", "ABCDEFGHI", "上海"])
def test_bad_home_city(city: str) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        aecore.Agency(name="X", home_city=city)
    assert ei.value.field == "agency.home_city"
    assert ei.value.rule == "CL-1"
    assert "agency.home_city" in str(ei.value) and "[CL-1]" in str(ei.value)


@pytest.mark.parametrize("currency", ["XYZ", "cny", ""])
def test_unknown_currency(currency: str) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        aecore.Agency(name="X", currency=currency)
    assert ei.value.field == "currency"
    assert ei.value.rule == "MB-1"


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_bad_agency_name(name: str) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        aecore.Agency(name=name)
    assert ei.value.field == "agency.name"


def test_profile_setters(agency: aecore.Agency, unchanged) -> None:
    agency.name = "Sunrise Group"
    agency.home_city = "BJ"
    assert (agency.name, agency.home_city) == ("Sunrise Group", "BJ")
    with unchanged(agency), pytest.raises(aecore.ValidationError):
        agency.home_city = "bj"
    with unchanged(agency), pytest.raises(aecore.ValidationError):
        agency.name = " "
    with pytest.raises(AttributeError):
        agency.currency = "USD"  # type: ignore[misc]


# ----------------------------------------------------------------- staff


def test_generated_ids(agency: aecore.Agency) -> None:
    assert [s.id for s in agency.staff] == [AD_ID, AM_ID, AE1_ID, AE2_ID]
    assert agency.add_staff("New Hire", Title.AAE).id == "S0005"


def test_explicit_id_and_generated_ids_skip_it() -> None:
    a = aecore.Agency()
    assert a.add_staff("Chen", Title.AD, id="chen.jing_01").id == "chen.jing_01"
    assert a.add_staff("Li", Title.AM, id="S0002").id == "S0002"
    assert a.add_staff("Wang", Title.AE).id == "S0001"
    assert a.add_staff("Zhang", Title.AE).id == "S0003"  # S0002 is taken


def test_add_staff_defaults(agency: aecore.Agency) -> None:
    s = agency.add_staff("New Hire", Title.AE)
    assert s.name == "New Hire"
    assert s.title is Title.AE
    assert s.department is Department.ACCOUNT
    assert s.hourly_rate == Money.zero("CNY")
    assert s.manager is None
    assert s.email == ""
    assert s.active is True


def test_add_staff_all_fields(agency: aecore.Agency) -> None:
    s = agency.add_staff(
        "Ma Jun 马骏",
        Title.AD,
        department=Department.CREATIVE,
        hourly_rate=cny("720.50"),
        manager=AD_ID,
        email="ma.jun@sunrise.example",
        id="MJ",
    )
    assert (s.id, s.name, s.title, s.department) == ("MJ", "Ma Jun 马骏", Title.AD, Department.CREATIVE)
    assert s.hourly_rate == cny("720.50")
    assert (s.manager, s.email, s.active) == (AD_ID, "ma.jun@sunrise.example", True)
    assert agency.get_staff("MJ") == s


def test_add_staff_options_are_keyword_only(agency: aecore.Agency, unchanged) -> None:
    with unchanged(agency), pytest.raises(TypeError):
        agency.add_staff("X", Title.AE, Department.MEDIA)  # type: ignore[misc]


def test_add_staff_title_must_be_a_title(agency: aecore.Agency, unchanged) -> None:
    with unchanged(agency), pytest.raises(TypeError):
        agency.add_staff("X", "AE")  # type: ignore[arg-type]


def test_get_and_find_staff(agency: aecore.Agency) -> None:
    s = agency.get_staff(AE1_ID)
    assert isinstance(s, aecore.Staff)
    assert s.name == "Wang Fang"
    assert agency.find_staff(AE1_ID) == s
    assert agency.find_staff("S9999") is None
    with pytest.raises(aecore.NotFoundError) as ei:
        agency.get_staff("S9999")
    assert ei.value.field == "staff.id"


def test_staff_property(agency: aecore.Agency) -> None:
    staff = agency.staff
    assert [s.name for s in staff] == ["Chen Jing", "Li Wei", "Wang Fang", "Zhang Lei"]
    assert [s.title for s in staff] == [Title.AD, Title.AM, Title.AE, Title.AE]
    assert [s.manager for s in staff] == [None, AD_ID, AM_ID, AM_ID]
    assert staff[3].hourly_rate == cny("255.50")


def test_direct_reports(agency: aecore.Agency) -> None:
    assert [s.id for s in agency.direct_reports(AD_ID)] == [AM_ID]
    assert [s.id for s in agency.direct_reports(AM_ID)] == [AE1_ID, AE2_ID]
    assert agency.direct_reports(AE1_ID) == []
    with pytest.raises(aecore.NotFoundError):
        agency.direct_reports("S9999")


def test_update_staff(agency: aecore.Agency) -> None:
    s = agency.update_staff(AE1_ID, name="Wang Fang 王芳", title=Title.AM, email="wf@sunrise.example")
    assert (s.name, s.title, s.email) == ("Wang Fang 王芳", Title.AM, "wf@sunrise.example")
    assert agency.get_staff(AE1_ID) == s
    s = agency.update_staff(AE1_ID, hourly_rate=cny("300"), department=Department.MEDIA)
    assert s.hourly_rate == cny("300") and s.department is Department.MEDIA
    assert s.name == "Wang Fang 王芳"  # untouched fields stay


def test_update_staff_manager_none_removes_the_manager(agency: aecore.Agency) -> None:
    s = agency.update_staff(AE1_ID, manager=None)
    assert s.manager is None
    assert agency.get_staff(AE1_ID).manager is None
    assert [r.id for r in agency.direct_reports(AM_ID)] == [AE2_ID]
    assert agency.update_staff(AE1_ID, manager=AD_ID).manager == AD_ID


def test_update_staff_deactivate_a_leaf(agency: aecore.Agency) -> None:
    s = agency.update_staff(AE2_ID, active=False)
    assert s.active is False
    assert agency.get_staff(AE2_ID).active is False
    assert len(agency.staff) == 4  # people who left keep their record and id


def test_update_staff_unknown_keyword(agency: aecore.Agency, unchanged) -> None:
    with unchanged(agency), pytest.raises(TypeError, match="salary"):
        agency.update_staff(AE1_ID, salary=cny("1"))


@pytest.mark.parametrize(
    "changes",
    [{"title": "AE"}, {"name": 5}, {"hourly_rate": "300"}, {"manager": 1}, {"active": "no"}],
    ids=["title-str", "name-int", "rate-str", "manager-int", "active-str"],
)
def test_update_staff_wrong_value_type_is_a_type_error(agency: aecore.Agency, unchanged, changes) -> None:
    # As for add_staff, a value of the wrong Python type is a TypeError (and changes nothing).
    with unchanged(agency), pytest.raises(TypeError):
        agency.update_staff(AE1_ID, **changes)


def test_staff_are_snapshots(agency: aecore.Agency) -> None:
    before = agency.get_staff(AE1_ID)
    listed = agency.staff[2]
    agency.update_staff(AE1_ID, name="Renamed", manager=None)
    assert before.name == "Wang Fang" and before.manager == AM_ID
    assert listed.name == "Wang Fang"
    assert agency.get_staff(AE1_ID).name == "Renamed"
    with pytest.raises(AttributeError):
        before.name = "Changed"  # type: ignore[misc]


def test_staff_repr_and_to_dict(agency: aecore.Agency) -> None:
    s = agency.get_staff(AE1_ID)
    assert repr(s) == "Staff(id='S0003', name='Wang Fang', title=AE, department=ACCOUNT, manager='S0002')"
    left = agency.update_staff(AE2_ID, active=False)
    assert repr(left).endswith(", active=False)")
    d = s.to_dict()
    assert d == {
        "id": AE1_ID,
        "name": "Wang Fang",
        "title": Title.AE,
        "department": Department.ACCOUNT,
        "hourly_rate": cny("260"),
        "manager": AM_ID,
        "email": "wang.fang@sunrise.example",
        "active": True,
    }


# ----------------------------------------------------------------- enums


def test_enums_are_real_enums() -> None:
    for member in (Title.AE, Department.MEDIA, aecore.OverspendPolicy.STOP, aecore.JobType.TV_COMMERCIAL, aecore.Weekday.MON):
        assert isinstance(member, enum.Enum)
    assert [t.name for t in Title] == ["AAE", "AE", "AM", "AD"]
    assert Title["AM"] is Title.AM
    assert [d.name for d in Department] == ["ACCOUNT", "CREATIVE", "MEDIA", "RESEARCH", "PRODUCTION", "FINANCE", "MANAGEMENT"]
    assert [p.name for p in aecore.OverspendPolicy] == ["STOP", "WARN", "IGNORE"]
    assert [j.name for j in aecore.JobType] == ["TV_COMMERCIAL", "PRINT_AD", "POINT_OF_SALE", "MEDIA_PLAN", "RESEARCH", "OTHER"]


def test_title_rank_orders_titles() -> None:
    assert [aecore.title_rank(t) for t in (Title.AAE, Title.AE, Title.AM, Title.AD)] == [0, 1, 2, 3]
    assert sorted([Title.AD, Title.AAE, Title.AM, Title.AE], key=aecore.title_rank) == [Title.AAE, Title.AE, Title.AM, Title.AD]
    with pytest.raises(TypeError):
        aecore.title_rank("AE")  # type: ignore[arg-type]


def test_department_codes() -> None:
    assert [aecore.department_code(d) for d in Department] == ["AC", "CR", "MD", "RS", "PD", "FN", "MG"]


# ----------------------------------------------------------------- policy


def test_policy_defaults(agency: aecore.Agency) -> None:
    p = agency.policy
    assert p.overspend is aecore.OverspendPolicy.WARN
    assert p.span_of_control == (1, 3)
    assert p.contact_cadence_days == (1, 3)
    assert p.tier_shares == (Decimal("0.50"), Decimal("0.80"))
    assert all(type(x) is Decimal for x in p.tier_shares)
    assert p.escalation_days == (1, 15, 30)
    assert p.rating_bands == (Decimal("2.0"), Decimal("2.75"), Decimal("3.75"), Decimal("4.5"))
    assert p.lead_times == {
        aecore.JobType.TV_COMMERCIAL: 20,
        aecore.JobType.PRINT_AD: 5,
        aecore.JobType.POINT_OF_SALE: 7,
        aecore.JobType.MEDIA_PLAN: 10,
        aecore.JobType.RESEARCH: 15,
        aecore.JobType.OTHER: 3,
    }


def test_policy_is_live(agency: aecore.Agency, json_path) -> None:
    agency.policy.overspend = aecore.OverspendPolicy.STOP
    assert agency.policy.overspend is aecore.OverspendPolicy.STOP
    assert '"overspend": "Stop"' in agency.to_json()
    p = agency.policy
    p.late_payment_days = 45
    assert agency.policy.late_payment_days == 45
    agency.save(json_path)
    loaded = aecore.Agency.load(json_path)
    assert loaded.policy.overspend is aecore.OverspendPolicy.STOP
    assert loaded.policy.late_payment_days == 45
    assert loaded.policy == agency.policy


def test_policy_setter_replaces(agency: aecore.Agency) -> None:
    agency.policy.overspend = aecore.OverspendPolicy.STOP
    agency.policy = aecore.Policy()
    assert agency.policy.overspend is aecore.OverspendPolicy.WARN


def test_lead_time_days(agency: aecore.Agency) -> None:
    tv = aecore.JobType.TV_COMMERCIAL
    agency.policy.set_lead_time_days(tv, 25)
    assert agency.policy.lead_time_days(tv) == 25
    assert agency.policy.lead_times[tv] == 25
    assert '"TVCommercial": 25' in agency.to_json()
    # lead_times is a copy
    agency.policy.lead_times[tv] = 1
    assert agency.policy.lead_time_days(tv) == 25


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        (lambda p: setattr(p, "tier_shares", (Decimal("0.9"), Decimal("0.8"))), "policy.tier_shares", "CL-5"),
        (lambda p: setattr(p, "tier_shares", (Decimal("0"), Decimal("0.8"))), "policy.tier_shares", "CL-5"),
        (lambda p: setattr(p, "tier_shares", (Decimal("0.5"), Decimal("1.01"))), "policy.tier_shares", "CL-5"),
        (lambda p: setattr(p, "tier_shares", ("0.5", "abc")), "decimal", "MB-1"),
        (lambda p: setattr(p, "span_of_control", (3, 1)), "policy.span_of_control", "ST-2"),
        (lambda p: setattr(p, "contact_cadence_days", (0, 3)), "policy.contact_cadence_home_days", "CL-4"),
        (lambda p: setattr(p, "escalation_days", (30, 15, 1)), "policy.escalation_days", "MB-6"),
        (lambda p: setattr(p, "late_payment_days", -1), "policy.late_payment_days", "MB-6"),
        (lambda p: setattr(p, "min_distribution_for_advertising", 101), "policy.min_distribution_for_advertising", "MP-8c"),
        (
            lambda p: setattr(p, "rating_bands", (Decimal("2"), Decimal("2"), Decimal("3"), Decimal("4"))),
            "policy.rating_bands",
            "PE-4",
        ),
        (lambda p: p.set_lead_time_days(aecore.JobType.TV_COMMERCIAL, -1), "policy.lead_time_days.TVCommercial", "JT-6"),
        (lambda p: p.set_lead_time_days(aecore.JobType.OTHER, 261), "policy.lead_time_days.Other", "JT-6"),
    ],
    ids=[
        "tier-order",
        "tier-zero",
        "tier-above-one",
        "tier-not-a-number",
        "span",
        "cadence",
        "escalation",
        "late-payment",
        "distribution",
        "rating-bands",
        "lead-negative",
        "lead-too-long",
    ],
)
def test_policy_is_validated_and_unchanged_on_error(agency: aecore.Agency, unchanged, change, field, rule) -> None:
    before = (agency.policy.tier_shares, agency.policy.span_of_control, agency.policy.lead_times)
    with unchanged(agency), pytest.raises(aecore.ValidationError) as ei:
        change(agency.policy)
    assert ei.value.field == field
    assert ei.value.rule == rule
    assert field in str(ei.value) and f"[{rule}]" in str(ei.value)
    assert (agency.policy.tier_shares, agency.policy.span_of_control, agency.policy.lead_times) == before


def test_policy_refuses_float_shares(agency: aecore.Agency) -> None:
    with pytest.raises(TypeError):
        agency.policy.tier_shares = (0.5, 0.8)  # type: ignore[assignment]
    assert agency.policy.tier_shares == (Decimal("0.50"), Decimal("0.80"))


def test_policy_repr() -> None:
    assert repr(aecore.Policy()) == (
        "Policy(overspend=WARN, contact_cadence_days=(1, 3), tier_shares=(0.50, 0.80), span_of_control=(1, 3))"
    )


# ----------------------------------------------------------------- strong guarantee


BAD_OPERATIONS = [
    # (id, operation, exception, field, rule)
    ("empty-name", lambda a: a.add_staff("", Title.AE), aecore.ValidationError, "staff.name", "ST-1"),
    ("whitespace-name", lambda a: a.add_staff(" \t\n ", Title.AE), aecore.ValidationError, "staff.name", "ST-1"),
    ("control-char-name", lambda a: a.add_staff("Wang\x07Fang", Title.AE), aecore.ValidationError, "staff.name", "ST-1"),
    ("too-long-name", lambda a: a.add_staff("x" * 201, Title.AE), aecore.ValidationError, "staff.name", "ST-1"),
    ("id-with-space", lambda a: a.add_staff("X", Title.AE, id="a b"), aecore.ValidationError, "staff.id", "ST-1"),
    ("id-with-slash", lambda a: a.add_staff("X", Title.AE, id="S/1"), aecore.ValidationError, "staff.id", "ST-1"),
    ("id-non-ascii", lambda a: a.add_staff("X", Title.AE, id="王芳"), aecore.ValidationError, "staff.id", "ST-1"),
    ("id-too-long", lambda a: a.add_staff("X", Title.AE, id="x" * 33), aecore.ValidationError, "staff.id", "ST-1"),
    ("duplicate-id", lambda a: a.add_staff("X", Title.AE, id=AE1_ID), aecore.ValidationError, "staff.id", "ST-1"),
    (
        "negative-rate",
        lambda a: a.add_staff("X", Title.AE, hourly_rate=cny("-0.01")),
        aecore.ValidationError,
        "staff.hourly_rate",
        "ST-1",
    ),
    (
        "usd-rate",
        lambda a: a.add_staff("X", Title.AE, hourly_rate=Money("100", "USD")),
        aecore.ValidationError,
        "staff.hourly_rate",
        "MB-1",
    ),
    ("bad-email", lambda a: a.add_staff("X", Title.AE, email="not-an-email"), aecore.ValidationError, "staff.email", "ST-1"),
    ("unknown-manager", lambda a: a.add_staff("X", Title.AE, manager="S9999"), aecore.NotFoundError, "staff.manager", "ST-1"),
    ("self-manager", lambda a: a.update_staff(AM_ID, manager=AM_ID), aecore.ValidationError, "staff.manager", "ST-1"),
    ("cycle-direct", lambda a: a.update_staff(AD_ID, manager=AM_ID), aecore.ValidationError, "staff.manager", "ST-1"),
    ("cycle-indirect", lambda a: a.update_staff(AD_ID, manager=AE1_ID), aecore.ValidationError, "staff.manager", "ST-1"),
    ("deactivate-manager", lambda a: a.update_staff(AM_ID, active=False), aecore.StateError, "staff.active", "ST-1"),
    ("update-unknown-id", lambda a: a.update_staff("S9999", name="X"), aecore.NotFoundError, "staff.id", "ST-1"),
    ("update-empty-name", lambda a: a.update_staff(AE1_ID, name="  "), aecore.ValidationError, "staff.name", "ST-1"),
    (
        "update-usd-rate",
        lambda a: a.update_staff(AE1_ID, hourly_rate=Money("1", "USD")),
        aecore.ValidationError,
        "staff.hourly_rate",
        "MB-1",
    ),
    (
        "update-unknown-manager",
        lambda a: a.update_staff(AE1_ID, manager="S9999"),
        aecore.NotFoundError,
        "staff.manager",
        "ST-1",
    ),
    ("agency-name", lambda a: setattr(a, "name", ""), aecore.ValidationError, "agency.name", "ST-1"),
    ("agency-city", lambda a: setattr(a, "home_city", "sh"), aecore.ValidationError, "agency.home_city", "CL-1"),
    (
        "calendar-weekend",
        lambda a: setattr(a.calendar, "weekend", list(aecore.Weekday)),
        aecore.ValidationError,
        "calendar.weekend",
        "JT-7",
    ),
]


@pytest.mark.parametrize(
    ("operation", "error", "field", "rule"),
    [case[1:] for case in BAD_OPERATIONS],
    ids=[case[0] for case in BAD_OPERATIONS],
)
def test_failed_operation_changes_nothing(agency: aecore.Agency, unchanged, operation, error, field, rule) -> None:
    with unchanged(agency), pytest.raises(error) as ei:
        operation(agency)
    e = ei.value
    assert type(e) is error
    assert e.field == field
    assert e.rule == rule
    assert field in str(e)
    assert f"[{rule}]" in str(e)


def test_failed_add_does_not_consume_a_generated_id(agency: aecore.Agency) -> None:
    with pytest.raises(aecore.NotFoundError):
        agency.add_staff("X", Title.AE, manager="S9999")
    with pytest.raises(aecore.ValidationError):
        agency.add_staff("", Title.AE)
    assert agency.add_staff("Next", Title.AE).id == "S0005"


def test_inactive_manager_is_refused(agency: aecore.Agency, unchanged) -> None:
    agency.update_staff(AE2_ID, active=False)
    with unchanged(agency), pytest.raises(aecore.ValidationError) as ei:
        agency.add_staff("X", Title.AAE, manager=AE2_ID)
    assert ei.value.field == "staff.manager"
    assert "inactive" in str(ei.value)


def test_reactivation_after_reassigning_reports(agency: aecore.Agency) -> None:
    agency.update_staff(AE1_ID, manager=AD_ID)
    agency.update_staff(AE2_ID, manager=AD_ID)
    assert agency.update_staff(AM_ID, active=False).active is False
    assert agency.update_staff(AM_ID, active=True).active is True


# ----------------------------------------------------------------- copies and pickling


def test_copy_is_independent(agency: aecore.Agency) -> None:
    for twin in (agency.copy(), copy.copy(agency), copy.deepcopy(agency)):
        assert twin == agency
        assert twin is not agency
        before = agency.to_json()
        twin.add_staff("Only In The Copy", Title.AE)
        twin.update_staff(AE1_ID, name="Renamed In Copy")
        twin.policy.overspend = aecore.OverspendPolicy.IGNORE
        twin.calendar.add_holiday(dt.date(2026, 1, 2))
        assert agency.to_json() == before
        assert twin != agency
        assert len(agency.staff) == 4


def test_copy_within_containers(agency: aecore.Agency) -> None:
    book = {"main": agency}
    clone = copy.deepcopy(book)
    clone["main"].name = "Clone"
    assert agency.name == "Sunrise Advertising"


def test_pickle_round_trip(agency: aecore.Agency, sample: aecore.Agency) -> None:
    agency.policy.overspend = aecore.OverspendPolicy.STOP
    for original in (agency, sample):
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            back = pickle.loads(pickle.dumps(original, protocol=protocol))
            assert type(back) is aecore.Agency
            assert back == original
            assert back.to_json() == original.to_json()
    # The generated-id sequence survives too.
    back = pickle.loads(pickle.dumps(agency))
    assert back.add_staff("Next", Title.AE).id == agency.add_staff("Next", Title.AE).id == "S0005"


def test_pickle_old_protocols_do_not_crash() -> None:
    # Run in a child process: a broken implementation aborts the interpreter.
    code = (
        "import pickle, aecore\n"
        "a = aecore.sample_agency()\n"
        "for protocol in (0, 1):\n"
        "    assert pickle.loads(pickle.dumps(a, protocol=protocol)) == a, protocol\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_equality(agency: aecore.Agency) -> None:
    other = aecore.Agency.from_json(agency.to_json())
    assert other == agency
    other.update_staff(AE1_ID, email="")
    assert other != agency
    assert agency != "Sunrise Advertising"


# ----------------------------------------------------------------- repr and HTML


def test_repr(agency: aecore.Agency) -> None:
    assert repr(agency) == "Agency(name='Sunrise Advertising', home_city='SH', currency='CNY', staff=4)"
    assert repr(aecore.Agency()) == "Agency(name='Agency', home_city='SH', currency='CNY', staff=0)"


def test_repr_html(agency: aecore.Agency) -> None:
    agency.update_staff(AE2_ID, active=False)
    page = agency._repr_html_()
    assert "<b>Sunrise Advertising</b>" in page
    assert "home city SH" in page and "book currency CNY" in page and "4 staff" in page
    assert page.count("<tr>") == 1 + 4  # header + one row per person
    for header in ("id", "name", "title", "department", "hourly rate", "manager", "active"):
        assert f"<th>{header}</th>" in page
    assert "<td>S0001</td><td>Chen Jing</td><td>AD</td><td>ACCOUNT</td><td>CNY 680.00</td><td></td><td>yes</td>" in page
    assert "<td>S0004</td><td>Zhang Lei</td><td>AE</td><td>ACCOUNT</td><td>CNY 255.50</td><td>S0002</td><td>left</td>" in page


def test_repr_html_escapes_text() -> None:
    a = aecore.Agency(name="Smith & <Jones>")
    a.add_staff('Eve "<script>"', Title.AE)
    page = a._repr_html_()
    assert "<script>" not in page
    assert html.escape("Smith & <Jones>") in page
    assert html.escape('Eve "<script>"') in page


# ----------------------------------------------------------------- staff_frame


def test_staff_frame_shape(agency: aecore.Agency) -> None:
    frame = agency.staff_frame()
    assert frame.index.name == "id"
    assert list(frame.index) == [AD_ID, AM_ID, AE1_ID, AE2_ID]
    assert list(frame.columns) == [
        "name",
        "title",
        "department",
        "hourly_rate",
        "currency",
        "manager",
        "email",
        "active",
        "direct_reports",
    ]


def test_staff_frame_values(agency: aecore.Agency) -> None:
    agency.update_staff(AE2_ID, active=False)
    frame = agency.staff_frame()
    missing = frame.drop(columns="manager").isna().any()
    assert not missing.any(), f"staff_frame() lost the values of {list(missing[missing].index)}"
    assert frame["name"].tolist() == ["Chen Jing", "Li Wei", "Wang Fang", "Zhang Lei"]
    assert frame.loc[AE1_ID, "name"] == "Wang Fang"
    assert frame["currency"].tolist() == ["CNY"] * 4
    assert frame["manager"].dtype == "string"
    assert frame["manager"].isna().tolist() == [True, False, False, False]
    assert frame["manager"].tolist()[1:] == [AD_ID, AM_ID, AM_ID]
    assert frame["email"].tolist() == ["chen.jing@sunrise.example", "", "wang.fang@sunrise.example", ""]
    assert frame["active"].tolist() == [True, True, True, False]
    assert str(frame["active"].dtype) == "bool"


def test_staff_frame_hourly_rate_is_exact_decimal(agency: aecore.Agency) -> None:
    rates = agency.staff_frame()["hourly_rate"].tolist()
    assert all(type(r) is Decimal for r in rates)
    assert rates == [Decimal("680.00"), Decimal("420.00"), Decimal("260.00"), Decimal("255.50")]
    assert sum(rates, Decimal(0)) == Decimal("1615.50")


def test_staff_frame_direct_report_counts(agency: aecore.Agency, sample: aecore.Agency) -> None:
    frame = agency.staff_frame()
    assert frame["direct_reports"].tolist() == [1, 2, 0, 0]
    assert str(frame["direct_reports"].dtype) == "int64"
    sample_frame = sample.staff_frame()
    for s in sample.staff:
        assert sample_frame.loc[s.id, "direct_reports"] == len(sample.direct_reports(s.id))


def test_staff_frame_title_is_ordered_by_seniority(sample: aecore.Agency) -> None:
    frame = sample.staff_frame()
    title = frame["title"]
    assert str(title.dtype) == "category"
    assert title.cat.ordered
    assert list(title.cat.categories) == ["AAE", "AE", "AM", "AD"]
    assert title.tolist() == [s.title.name for s in sample.staff]
    ranks = [aecore.title_rank(Title[t]) for t in frame.sort_values("title", kind="stable")["title"]]
    assert ranks == sorted(ranks)
    assert set(frame.index[frame["title"] >= "AM"]) == {s.id for s in sample.staff if s.title in (Title.AM, Title.AD)}
    assert list(frame["department"].cat.categories) == [d.name for d in Department]


def test_staff_frame_of_an_empty_agency() -> None:
    frame = aecore.Agency().staff_frame()
    assert len(frame) == 0
    assert frame.index.name == "id"
    assert "hourly_rate" in frame.columns
