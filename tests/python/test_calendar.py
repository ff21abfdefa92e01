"""The business calendar (JT-7): weekends, holidays, make-up days, working hours."""

from __future__ import annotations

import copy
import datetime as dt
import random

import pytest

import aecore
from aecore import BusinessCalendar, Weekday

D = dt.date
T = dt.datetime

# January 2026: Thu 1, Fri 2, Sat 3, Sun 4, Mon 5 ... Fri 9, Sat 10, Sun 11, Mon 12.
THU, FRI, SAT, SUN, MON = D(2026, 1, 8), D(2026, 1, 9), D(2026, 1, 10), D(2026, 1, 11), D(2026, 1, 12)


# ----------------------------------------------------------------- types in and out


def test_dates_come_back_as_date(cal: BusinessCalendar) -> None:
    out = cal.add_business_days(MON, 3)
    assert type(out) is dt.date
    assert out == D(2026, 1, 15)
    assert type(cal.roll_forward(SAT)) is dt.date


def test_datetimes_come_back_as_naive_datetime(cal: BusinessCalendar) -> None:
    out = cal.subtract_half_business_day(T(2026, 1, 12, 10, 0))
    assert type(out) is dt.datetime
    assert out.tzinfo is None
    assert type(cal.add_business_time(T(2026, 1, 12, 10, 0), dt.timedelta(hours=1))) is dt.datetime


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.is_business_day(T(2026, 1, 12, 10, 0)),
        lambda c: c.add_business_days(T(2026, 1, 12, 10, 0), 1),
        lambda c: c.business_days_between(T(2026, 1, 12), D(2026, 1, 13)),
        lambda c: c.add_holiday(T(2026, 1, 12)),
        lambda c: setattr(c, "holidays", [T(2026, 1, 12)]),
        lambda c: setattr(c, "working_weekend_days", [T(2026, 1, 10)]),
    ],
    ids=["is_business_day", "add_business_days", "between", "add_holiday", "holidays", "working_weekend_days"],
)
def test_datetime_is_refused_where_a_date_is_expected(cal: BusinessCalendar, call) -> None:
    with pytest.raises(TypeError):
        call(cal)
    assert cal.holidays == [] and cal.working_weekend_days == []


@pytest.mark.parametrize(
    "call",
    [lambda c: c.subtract_half_business_day(D(2026, 1, 12)), lambda c: c.add_business_time(D(2026, 1, 12), dt.timedelta(hours=1))],
    ids=["subtract_half_business_day", "add_business_time"],
)
def test_date_is_refused_where_a_datetime_is_expected(cal: BusinessCalendar, call) -> None:
    with pytest.raises(TypeError):
        call(cal)


@pytest.mark.parametrize("tz", [dt.timezone.utc, dt.timezone(dt.timedelta(hours=8))])
def test_aware_datetime_is_refused(cal: BusinessCalendar, tz: dt.tzinfo) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        cal.subtract_half_business_day(T(2026, 1, 12, 10, 0, tzinfo=tz))
    assert ei.value.rule == "JT-7"
    assert "tzinfo" in str(ei.value)
    with pytest.raises(aecore.ValidationError):
        cal.add_business_time(T(2026, 1, 12, 10, 0, tzinfo=tz), dt.timedelta(hours=1))


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.is_business_day(D(1000, 1, 1)),
        lambda c: c.add_holiday(D(1399, 12, 31)),
        lambda c: c.add_business_days(D(9999, 12, 30), 5),
        lambda c: c.add_business_days(D(1400, 1, 3), -5),
        lambda c: c.subtract_half_business_day(T(1000, 1, 1, 10, 0)),
    ],
    ids=["year-1000", "holiday-1399", "past-9999", "before-1400", "datetime-year-1000"],
)
def test_dates_outside_the_supported_range_raise_validation_error(cal: BusinessCalendar, call) -> None:
    # Python dates span years 1..9999; aecore's calendar supports fewer. Out of range is
    # bad input: an aecore.ValidationError naming the rule, not a bare IndexError.
    with pytest.raises(aecore.ValidationError) as ei:
        call(cal)
    assert ei.value.rule == "JT-7"


# ----------------------------------------------------------------- business days


def test_is_business_day_default_calendar(cal: BusinessCalendar) -> None:
    assert [cal.is_business_day(MON + dt.timedelta(days=i)) for i in range(7)] == [True] * 5 + [False] * 2
    assert cal.is_weekend(SAT) and cal.is_weekend(SUN) and not cal.is_weekend(FRI)
    assert not cal.is_holiday(FRI)


def test_holidays_and_make_up_days(cal: BusinessCalendar) -> None:
    cal.add_holiday(FRI)
    cal.add_working_weekend_day(SAT)
    assert not cal.is_business_day(FRI)
    assert cal.is_holiday(FRI)
    assert cal.is_business_day(SAT)
    assert cal.is_weekend(SAT)  # still a weekend day of the week, but worked
    assert cal.roll_forward(FRI) == SAT
    assert cal.roll_backward(SUN) == SAT
    assert cal.roll_forward(MON) == MON


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (FRI, 1, MON),
        (MON, -1, FRI),
        (SAT, 1, MON),
        (SAT, -1, FRI),
        (SUN, 0, SUN),
        (MON, 0, MON),
        (MON, 5, D(2026, 1, 19)),
        (MON, -5, D(2026, 1, 5)),
        (THU, 2, MON),
        (D(2026, 1, 1), 260, D(2026, 12, 31)),
    ],
)
def test_add_business_days(cal: BusinessCalendar, start: dt.date, days: int, expected: dt.date) -> None:
    assert cal.add_business_days(start, days) == expected


def test_add_business_days_skips_holidays(cal: BusinessCalendar) -> None:
    cal.holidays = [FRI, MON]
    assert cal.add_business_days(THU, 1) == D(2026, 1, 13)
    assert cal.add_business_days(D(2026, 1, 13), -1) == THU


def test_sample_calendar_lead_time(sample: aecore.Agency) -> None:
    # 20 business days from Mon 2026-09-28 across the National Day holidays and the
    # Saturday make-up day of 2026-10-10.
    cal = sample.calendar
    assert cal.add_business_days(D(2026, 9, 28), 20) == D(2026, 10, 30)
    assert cal.business_days_between(D(2026, 9, 30), D(2026, 10, 31)) == 18
    assert cal.is_business_day(D(2026, 10, 10))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (FRI, D(2026, 1, 16), 5),
        (D(2026, 1, 16), FRI, -5),
        (FRI, FRI, 0),
        (FRI, SAT, 0),
        (FRI, MON, 1),
        (SAT, SUN, 0),
        (D(2025, 12, 31), D(2026, 12, 31), 261),
    ],
)
def test_business_days_between(cal: BusinessCalendar, start: dt.date, end: dt.date, expected: int) -> None:
    assert cal.business_days_between(start, end) == expected


def test_between_inverts_add_from_a_business_day() -> None:
    cal = BusinessCalendar()
    cal.holidays = [D(2026, 1, 1), D(2026, 5, 1), D(2026, 10, 1), D(2026, 10, 2)]
    cal.working_weekend_days = [D(2026, 10, 10)]
    rng = random.Random(2026)
    for _ in range(2000):
        start = cal.roll_forward(D(2026, 1, 1) + dt.timedelta(days=rng.randrange(365)))
        n = rng.randint(-80, 80)
        end = cal.add_business_days(start, n)
        assert cal.is_business_day(end)
        assert cal.business_days_between(start, end) == n
        assert cal.add_business_days(start, cal.business_days_between(start, end)) == end


# ----------------------------------------------------------------- configuration


def test_holidays_setter_sorts_and_deduplicates(cal: BusinessCalendar) -> None:
    cal.holidays = [D(2026, 5, 1), D(2026, 1, 1), D(2026, 5, 1), D(2026, 2, 17)]
    assert cal.holidays == [D(2026, 1, 1), D(2026, 2, 17), D(2026, 5, 1)]
    assert all(type(d) is dt.date for d in cal.holidays)


def test_add_and_remove_holiday(cal: BusinessCalendar) -> None:
    cal.add_holiday(D(2026, 5, 1))
    cal.add_holiday(D(2026, 1, 1))
    cal.add_holiday(D(2026, 5, 1))
    assert cal.holidays == [D(2026, 1, 1), D(2026, 5, 1)]
    assert cal.remove_holiday(D(2026, 1, 1)) is True
    assert cal.remove_holiday(D(2026, 1, 1)) is False
    assert cal.holidays == [D(2026, 5, 1)]
    assert cal.is_business_day(D(2026, 1, 1))


def test_working_weekend_days(cal: BusinessCalendar) -> None:
    cal.working_weekend_days = [D(2026, 10, 10), D(2026, 2, 14), D(2026, 10, 10)]
    assert cal.working_weekend_days == [D(2026, 2, 14), D(2026, 10, 10)]
    cal.add_working_weekend_day(D(2026, 2, 28))
    cal.add_working_weekend_day(D(2026, 2, 14))
    assert cal.working_weekend_days == [D(2026, 2, 14), D(2026, 2, 28), D(2026, 10, 10)]
    assert cal.remove_working_weekend_day(D(2026, 2, 14)) is True
    assert cal.remove_working_weekend_day(D(2026, 2, 14)) is False
    assert not cal.is_business_day(D(2026, 2, 14))
    assert cal.is_business_day(D(2026, 2, 28))


def test_weekend_setter(cal: BusinessCalendar) -> None:
    assert cal.weekend == [Weekday.SAT, Weekday.SUN]
    cal.weekend = [Weekday.SAT, Weekday.FRI]
    assert cal.weekend == [Weekday.FRI, Weekday.SAT]  # Monday..Sunday order
    assert not cal.is_business_day(FRI)
    assert cal.is_business_day(SUN)
    assert cal.add_business_days(THU, 1) == SUN
    cal.weekend = []
    assert cal.is_business_day(SAT) and cal.is_business_day(SUN)


def test_weekend_must_leave_a_working_day(cal: BusinessCalendar) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        cal.weekend = list(Weekday)
    assert ei.value.field == "calendar.weekend"
    assert ei.value.rule == "JT-7"
    assert cal.weekend == [Weekday.SAT, Weekday.SUN]


def test_weekend_needs_weekday_members(cal: BusinessCalendar) -> None:
    with pytest.raises(TypeError):
        cal.weekend = [5, 6]  # type: ignore[list-item]
    with pytest.raises(TypeError):
        cal.weekend = ["SAT"]  # type: ignore[list-item]
    assert cal.weekend == [Weekday.SAT, Weekday.SUN]


def test_weekday_enum() -> None:
    assert [d.name for d in Weekday] == ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]


def test_working_hours_default(cal: BusinessCalendar) -> None:
    start, end = cal.working_hours
    assert (start, end) == (dt.time(9, 0), dt.time(18, 0))
    assert type(start) is dt.time and type(end) is dt.time
    assert cal.working_day == dt.timedelta(hours=9)


def test_working_hours_setter(cal: BusinessCalendar) -> None:
    cal.working_hours = (dt.time(8, 30), dt.time(17, 30))
    assert cal.working_hours == (dt.time(8, 30), dt.time(17, 30))
    assert cal.working_day == dt.timedelta(hours=9)
    cal.working_hours = (dt.time(10, 0), dt.time(16, 0))
    assert cal.working_day == dt.timedelta(hours=6)
    # Half of a 6-hour day is 3 hours: Mon 11:00 -> Fri 14:00.
    assert cal.subtract_half_business_day(T(2026, 1, 12, 11, 0)) == T(2026, 1, 9, 14, 0)


@pytest.mark.parametrize(
    ("hours", "error", "field"),
    [
        ((dt.time(18), dt.time(9)), aecore.ValidationError, "calendar.working_hours"),
        ((dt.time(9), dt.time(9)), aecore.ValidationError, "calendar.working_hours"),
        ((dt.time(9, 0, 30), dt.time(18)), aecore.ValidationError, "calendar.working_hours"),
        ((dt.time(9), dt.time(18), dt.time(19)), aecore.ValidationError, "calendar.working_hours"),
        (("09:00", dt.time(18)), aecore.ValidationError, "calendar.working_hours.start"),
        ((dt.time(9), 18), aecore.ValidationError, "calendar.working_hours.end"),
        ([dt.time(9), dt.time(18)], TypeError, None),
    ],
    ids=["reversed", "empty", "seconds", "three", "str-start", "int-end", "list"],
)
def test_working_hours_validation(cal: BusinessCalendar, hours, error, field) -> None:
    with pytest.raises(error) as ei:
        cal.working_hours = hours
    if field is not None:
        assert ei.value.field == field
        assert ei.value.rule == "JT-7"
    assert cal.working_hours == (dt.time(9), dt.time(18))


def test_working_hours_refuse_an_aware_time(cal: BusinessCalendar) -> None:
    # Times are the agency's local time, as for datetimes: a tzinfo must not be dropped silently.
    with pytest.raises(aecore.ValidationError):
        cal.working_hours = (dt.time(9, tzinfo=dt.timezone.utc), dt.time(18))
    assert cal.working_hours == (dt.time(9), dt.time(18))


def test_working_hours_ending_at_midnight_round_trip() -> None:
    # The JSON format allows a working day that ends at 24:00; what Python reads back
    # must be accepted by the setter and keep the same hours.
    text = aecore.Agency().to_json().replace('"end": "18:00"', '"end": "24:00"')
    agency = aecore.Agency.from_json(text)
    cal = agency.calendar
    assert cal.working_day == dt.timedelta(hours=15)
    cal.working_hours = cal.working_hours
    assert cal.working_day == dt.timedelta(hours=15)
    assert agency.to_json() == text


# ----------------------------------------------------------------- working time (JT-7)


def test_subtract_half_business_day(cal: BusinessCalendar) -> None:
    assert cal.subtract_half_business_day(T(2026, 1, 12, 10, 0)) == T(2026, 1, 9, 14, 30)


def test_subtract_half_business_day_over_a_friday_holiday(cal: BusinessCalendar) -> None:
    cal.add_holiday(FRI)
    assert cal.subtract_half_business_day(T(2026, 1, 12, 10, 0)) == T(2026, 1, 8, 14, 30)


def test_subtract_half_business_day_readme_example(cal: BusinessCalendar) -> None:
    cal.holidays = [D(2026, 10, d) for d in (1, 2, 5, 6, 7)]
    assert cal.subtract_half_business_day(T(2026, 10, 12, 10, 0)) == T(2026, 10, 9, 14, 30)


def test_subtract_half_business_day_lands_on_a_make_up_saturday(sample: aecore.Agency) -> None:
    assert sample.calendar.subtract_half_business_day(T(2026, 10, 12, 10, 0)) == T(2026, 10, 10, 14, 30)


@pytest.mark.parametrize(
    ("deadline", "due"),
    [
        (T(2026, 1, 14, 15, 0), T(2026, 1, 14, 10, 30)),  # same day
        (T(2026, 1, 14, 13, 30), T(2026, 1, 14, 9, 0)),  # exactly to the opening
        (T(2026, 1, 14, 9, 0), T(2026, 1, 13, 13, 30)),  # at the opening: from the previous close
        (T(2026, 1, 14, 7, 0), T(2026, 1, 13, 13, 30)),  # before hours
        (T(2026, 1, 14, 20, 0), T(2026, 1, 14, 13, 30)),  # after hours: from the close
        (T(2026, 1, 10, 12, 0), T(2026, 1, 9, 13, 30)),  # Saturday
    ],
)
def test_subtract_half_business_day_table(cal: BusinessCalendar, deadline: dt.datetime, due: dt.datetime) -> None:
    assert cal.subtract_half_business_day(deadline) == due


def test_add_and_subtract_business_time(cal: BusinessCalendar) -> None:
    fri = T(2026, 1, 9, 14, 30)
    mon = T(2026, 1, 12, 10, 0)
    assert cal.add_business_time(fri, dt.timedelta(hours=4, minutes=30)) == mon
    assert cal.subtract_business_time(mon, dt.timedelta(hours=4, minutes=30)) == fri
    # 20 h back from Mon 10:00: 1 h on Monday, 9 h Friday, 9 h Thursday, 1 h Wednesday.
    assert cal.subtract_business_time(mon, dt.timedelta(hours=20)) == T(2026, 1, 7, 17, 0)
    assert cal.add_business_time(T(2026, 1, 7, 17, 0), dt.timedelta(hours=20)) == mon
    assert cal.add_business_time(mon, dt.timedelta(0)) == mon
    assert cal.subtract_business_time(mon, dt.timedelta(0)) == mon


@pytest.mark.parametrize("method", ["add_business_time", "subtract_business_time"])
def test_negative_business_time_is_refused(cal: BusinessCalendar, method: str) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        getattr(cal, method)(T(2026, 1, 12, 10, 0), dt.timedelta(hours=-1))
    assert ei.value.field == "amount"
    assert ei.value.rule == "JT-7"


def test_business_time_round_trips() -> None:
    cal = BusinessCalendar()
    cal.holidays = [D(2026, 1, 1), D(2026, 2, 17), D(2026, 5, 1)]
    cal.working_weekend_days = [D(2026, 2, 14)]
    rng = random.Random(99)
    checked = 0
    while checked < 1000:
        day = D(2025, 12, 1) + dt.timedelta(days=rng.randrange(200))
        if not cal.is_business_day(day):
            continue
        # Strictly inside working hours: 18:00 and the next opening are the same instant
        # of working time, so a round trip from 18:00 may come back as 09:00 next day.
        start = T(day.year, day.month, day.day, 9) + dt.timedelta(minutes=rng.randint(1, 9 * 60 - 1))
        amount = dt.timedelta(minutes=rng.randint(0, 9 * 60 * 15))
        assert cal.subtract_business_time(cal.add_business_time(start, amount), amount) == start
        assert cal.add_business_time(cal.subtract_business_time(start, amount), amount) == start
        checked += 1


# ----------------------------------------------------------------- repr, equality, copies


def test_repr(cal: BusinessCalendar) -> None:
    assert repr(cal) == "BusinessCalendar(weekend=[SAT, SUN], hours=09:00-18:00, holidays=0, working_weekend_days=0)"
    cal.holidays = [D(2026, 1, 1), D(2026, 5, 1)]
    cal.working_hours = (dt.time(8, 30), dt.time(17, 0))
    assert repr(cal) == "BusinessCalendar(weekend=[SAT, SUN], hours=08:30-17:00, holidays=2, working_weekend_days=0)"


def test_equality_and_copies(cal: BusinessCalendar) -> None:
    cal.add_holiday(FRI)
    twin = copy.deepcopy(cal)
    assert twin == cal
    twin.add_holiday(MON)
    assert twin != cal
    assert cal.holidays == [FRI]
    assert copy.copy(cal) == cal


# ----------------------------------------------------------------- the agency's calendar is live


def test_agency_calendar_is_live(agency: aecore.Agency, json_path) -> None:
    cal = agency.calendar
    cal.holidays = [D(2026, 10, 1), D(2026, 10, 2)]
    cal.add_working_weekend_day(D(2026, 10, 10))
    cal.weekend = [Weekday.SUN]
    cal.working_hours = (dt.time(8, 30), dt.time(17, 30))

    again = agency.calendar
    assert again.holidays == [D(2026, 10, 1), D(2026, 10, 2)]
    assert again.working_weekend_days == [D(2026, 10, 10)]
    assert again.weekend == [Weekday.SUN]
    assert not agency.calendar.is_business_day(D(2026, 10, 1))

    text = agency.to_json()
    assert '"2026-10-01"' in text and '"2026-10-10"' in text
    assert '"start": "08:30"' in text and '"end": "17:30"' in text

    agency.save(json_path)
    loaded = aecore.Agency.load(json_path)
    assert loaded.calendar == agency.calendar
    assert loaded.calendar.holidays == [D(2026, 10, 1), D(2026, 10, 2)]


def test_agency_calendar_setter_replaces(agency: aecore.Agency) -> None:
    fresh = BusinessCalendar()
    fresh.add_holiday(FRI)
    agency.calendar = fresh
    assert agency.calendar.holidays == [FRI]
    fresh.add_holiday(MON)  # the agency took a copy
    assert agency.calendar.holidays == [FRI]


def test_calendar_view_outlives_the_agency() -> None:
    agency = aecore.Agency(name="Short Lived")
    cal = agency.calendar
    cal.add_holiday(FRI)
    del agency
    assert cal.holidays == [FRI]
    assert not cal.is_business_day(FRI)
