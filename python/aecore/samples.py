"""The embedded sample agency used by the demo, the examples and the notebooks."""

from __future__ import annotations

import datetime as _dt

from . import _core

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


def sample_agency() -> _core.Agency:
    """A small, realistic agency: Sunrise Advertising in Shanghai, its account team
    (an AD, two AMs, four AEs and two AAEs), creative and media leads, and a 2026
    holiday calendar. Returns a new, independent Agency each call."""
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
    return agency
