"""Account-service routines (AS-1..AS-3), span of control (ST-2) and the agency-wide
audit (AS-4) through the Python API, with the sample agency and persistence of the
routine records."""

from __future__ import annotations

import collections.abc
import copy
import datetime as dt
import enum
import html
import pickle
from pathlib import Path

import pandas as pd
import pytest

import aecore
from errors_check import assert_error
from aecore import ActivityKind, PipelineStage, ReportKind, Severity, Title
from conftest import AWAY_CODE, HOME_CODE, build_book, build_small_agency

AD_ID, AM_ID, AE1_ID, AE2_ID = "S0001", "S0002", "S0003", "S0004"  # the `agency` fixture
D = dt.date
T = dt.datetime
SAMPLE_AS_OF = D(2026, 11, 23)


def of_rule(agency: aecore.Agency, as_of: dt.date, rule: str) -> list[aecore.Finding]:
    return agency.audit(as_of).by_rule(rule)


def meeting(agency, code=HOME_CODE, when=T(2026, 11, 10, 9, 0), staff=AE1_ID, **kw) -> aecore.Activity:
    return agency.log_activity(code, ActivityKind.MEETING, when, staff, **kw)


def complete_notice(agency, code=HOME_CODE, *, issued_at, meeting_at, author=AE1_ID) -> aecore.MeetingNotice:
    return agency.add_meeting_notice(
        code, author=author, issued_at=issued_at, meeting_at=meeting_at, attendees=["Xu Hong", "Wang Fang"],
        location="Client HQ, room 3", topic="Q4 review", items_to_confirm="Q1 budget", agenda="results; plan; budget",
    )


def activity_tuple(a: aecore.Activity) -> tuple:
    return (a.id, a.kind, a.when, a.client, a.staff, a.contacts, a.summary, a.important, a.notice)


def report_tuple(r: aecore.ContactReport) -> tuple:
    return (r.id, r.activity, r.written_at, r.author, r.summary, r.distribution_contacts, r.distribution_staff)


def notice_tuple(n: aecore.MeetingNotice) -> tuple:
    return (n.id, n.client, n.author, n.issued_at, n.meeting_at, n.attendees, n.location, n.topic,
            n.items_to_confirm, n.agenda)


def status_tuple(s: aecore.StatusReport) -> tuple:
    return (s.id, s.kind, s.author, s.period, s.submitted_at, s.summary)


def sort_key(f: aecore.Finding) -> tuple:
    return (f.severity.value, f.rule, f.subject, (f.due is not None, f.due or D.min), f.message)


@pytest.fixture
def routines() -> aecore.Agency:
    """The `book` agency with routine records:

    N00001  complete notice for HOME's meeting of 2026-11-10 09:00, issued 11-09 10:00
    A000001 HOME meeting 2026-11-10 09:00 (S0003, contacts K01 K02, notice N00001), no report
    A000002 HOME e-mail 2026-11-10 11:00, marked important
    A000003 HOME call 2026-11-10 12:00, not important
    A000004 HOME visit 2026-11-10 15:00, report R00001 written 11-11 10:00
    W00001  weekly report of S0003 for the week of 2026-11-02, submitted 11-09 09:00
    """
    agency = build_book()
    n = complete_notice(agency, issued_at=T(2026, 11, 9, 10, 0), meeting_at=T(2026, 11, 10, 9, 0))
    assert n.id == "N00001"
    assert meeting(agency, contacts=["K01", "K02"], notice=n.id).id == "A000001"
    assert agency.log_activity(HOME_CODE, ActivityKind.EMAIL, T(2026, 11, 10, 11, 0), AE1_ID, important=True).id == "A000002"
    assert agency.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 10, 12, 0), AE1_ID).id == "A000003"
    visit = agency.log_activity(HOME_CODE, ActivityKind.VISIT, T(2026, 11, 10, 15, 0), AE1_ID)
    assert visit.id == "A000004"
    assert agency.add_contact_report(visit.id, written_at=T(2026, 11, 11, 10, 0), author=AE1_ID).id == "R00001"
    w = agency.submit_status_report(ReportKind.WEEKLY, author=AE1_ID, period=D(2026, 11, 2), submitted_at=T(2026, 11, 9, 9, 0))
    assert w.id == "W00001"
    return agency


# ----------------------------------------------------------------- AS-1 activities and contact reports


def test_log_activity_records_every_field(book: aecore.Agency) -> None:
    a = book.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 10, 9, 30, 15, 123456), AE1_ID,
                          contacts=["K01", "K02"], summary="price objection", important=True)
    assert isinstance(a, aecore.Activity)
    assert activity_tuple(a) == (
        "A000001", ActivityKind.CALL, T(2026, 11, 10, 9, 30, 15, 123456), HOME_CODE, AE1_ID, ["K01", "K02"],
        "price objection", True, None,
    )
    assert type(a.when) is dt.datetime
    second = book.log_activity(AWAY_CODE, ActivityKind.EMAIL, T(2026, 11, 10, 10, 0), AE2_ID)
    assert (second.id, second.contacts, second.summary, second.important) == ("A000002", [], "", False)
    assert [x.id for x in book.activities] == ["A000001", "A000002"]
    assert activity_tuple(book.get_activity("A000001")) == activity_tuple(a)


@pytest.mark.parametrize(
    ("kind", "important", "needs"),
    [
        (ActivityKind.MEETING, False, True),
        (ActivityKind.VISIT, False, True),
        (ActivityKind.CALL, True, True),
        (ActivityKind.CALL, False, False),
        (ActivityKind.EMAIL, False, False),
        (ActivityKind.EMAIL, True, False),
    ],
)
def test_which_activities_need_a_contact_report(book: aecore.Agency, kind, important, needs) -> None:
    a = book.log_activity(HOME_CODE, kind, T(2026, 11, 10, 9, 0), AE1_ID, important=important)
    assert a.needs_contact_report is needs


def test_add_contact_report(routines: aecore.Agency) -> None:
    r = routines.add_contact_report(
        "A000001", written_at=T(2026, 11, 11, 9, 0, 0, 500), author=AE1_ID, summary="Q1 plan agreed",
        distribution_contacts=["K01", "K02"], distribution_staff=[AM_ID, AD_ID],
    )
    assert isinstance(r, aecore.ContactReport)
    assert report_tuple(r) == (
        "R00002", "A000001", T(2026, 11, 11, 9, 0, 0, 500), AE1_ID, "Q1 plan agreed", ["K01", "K02"], [AM_ID, AD_ID],
    )
    assert [x.id for x in routines.contact_reports] == ["R00001", "R00002"]
    # an important call gets a report too; written the same minute as the call is fine
    call = routines.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 12, 9, 0), AE1_ID, important=True)
    assert routines.add_contact_report(call.id, written_at=T(2026, 11, 12, 9, 0), author=AE2_ID).activity == call.id


def test_meeting_links_to_its_notice(routines: aecore.Agency) -> None:
    assert routines.get_activity("A000001").notice == "N00001"
    n = routines.get_meeting_notice("N00001")
    assert n.meeting_at == routines.get_activity("A000001").when


# ----------------------------------------------------------------- AS-2 meeting notices


def test_add_meeting_notice(book: aecore.Agency) -> None:
    n = complete_notice(book, issued_at=T(2026, 11, 9, 10, 0), meeting_at=T(2026, 11, 10, 9, 0))
    assert isinstance(n, aecore.MeetingNotice)
    assert notice_tuple(n) == (
        "N00001", HOME_CODE, AE1_ID, T(2026, 11, 9, 10, 0), T(2026, 11, 10, 9, 0), ["Xu Hong", "Wang Fang"],
        "Client HQ, room 3", "Q4 review", "Q1 budget", "results; plan; budget",
    )
    assert n.missing_elements() == []
    bare = book.add_meeting_notice(AWAY_CODE, author=AE2_ID, issued_at=T(2026, 11, 9, 10, 0), meeting_at=T(2026, 11, 10, 9, 0))
    assert bare.id == "N00002"
    assert bare.missing_elements() == [
        "who (attendees)", "where (location)", "what (topic)", "what (items to confirm)", "how (agenda)",
    ]
    partial = book.add_meeting_notice(AWAY_CODE, author=AE2_ID, issued_at=T(2026, 11, 9, 10, 0),
                                      meeting_at=T(2026, 11, 10, 9, 0), attendees=["Song Kai"], topic="P8 launch")
    assert partial.missing_elements() == ["where (location)", "what (items to confirm)", "how (agenda)"]
    assert [x.id for x in book.meeting_notices] == ["N00001", "N00002", "N00003"]
    assert notice_tuple(book.get_meeting_notice("N00003")) == notice_tuple(partial)


def test_meeting_at_none_is_refused(book: aecore.Agency, unchanged) -> None:
    with unchanged(book), pytest.raises(aecore.ValidationError) as ei:
        book.add_meeting_notice(HOME_CODE, author=AE1_ID, issued_at=T(2026, 11, 9, 10, 0), meeting_at=None,
                                attendees=["Xu Hong"], location="HQ", topic="t", items_to_confirm="i", agenda="a")
    assert_error(ei.value, aecore.ValidationError, ValueError, "notice.meeting_at", "AS-2")


def test_meeting_at_is_required(book: aecore.Agency, unchanged) -> None:
    with unchanged(book), pytest.raises(TypeError):
        book.add_meeting_notice(HOME_CODE, author=AE1_ID, issued_at=T(2026, 11, 9, 10, 0))  # type: ignore[call-arg]


def test_notice_issued_at_the_meeting_time_is_accepted(book: aecore.Agency) -> None:
    n = complete_notice(book, issued_at=T(2026, 11, 10, 9, 0), meeting_at=T(2026, 11, 10, 9, 0))
    assert n.issued_at == n.meeting_at


# ----------------------------------------------------------------- AS-3 status reports


def test_submit_status_reports(book: aecore.Agency) -> None:
    w = book.submit_status_report(ReportKind.WEEKLY, author=AE1_ID, period=D(2026, 11, 16),
                                  submitted_at=T(2026, 11, 23, 9, 0), summary="all jobs on track")
    assert isinstance(w, aecore.StatusReport)
    assert status_tuple(w) == ("W00001", ReportKind.WEEKLY, AE1_ID, D(2026, 11, 16), T(2026, 11, 23, 9, 0), "all jobs on track")
    m = book.submit_status_report(ReportKind.MONTHLY, author=AE1_ID, period=D(2026, 10, 1), submitted_at=T(2026, 10, 30, 17, 0))
    assert (m.id, m.kind, m.period) == ("W00002", ReportKind.MONTHLY, D(2026, 10, 1))
    # the same period by another author, or the other kind, is not a duplicate
    book.submit_status_report(ReportKind.WEEKLY, author=AE2_ID, period=D(2026, 11, 16), submitted_at=T(2026, 11, 23, 9, 0))
    book.submit_status_report(ReportKind.MONTHLY, author=AE1_ID, period=D(2026, 11, 1), submitted_at=T(2026, 11, 30, 9, 0))
    assert [status_tuple(s)[:4] for s in book.status_reports] == [
        ("W00001", ReportKind.WEEKLY, AE1_ID, D(2026, 11, 16)),
        ("W00002", ReportKind.MONTHLY, AE1_ID, D(2026, 10, 1)),
        ("W00003", ReportKind.WEEKLY, AE2_ID, D(2026, 11, 16)),
        ("W00004", ReportKind.MONTHLY, AE1_ID, D(2026, 11, 1)),
    ]


# ----------------------------------------------------------------- every bad input: the strong guarantee

BAD_OPERATIONS = [
    # (id, operation, exception, built-in, field, rule)
    ("activity-unknown-client",
     lambda a: a.log_activity("SH-202603-NOPE-001", ActivityKind.CALL, T(2026, 11, 12, 9, 0), AE1_ID),
     aecore.NotFoundError, KeyError, "activity.client", "CL-1"),
    ("activity-unknown-staff",
     lambda a: a.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 12, 9, 0), "S9999"),
     aecore.NotFoundError, KeyError, "activity.staff", "CL-4"),
    ("activity-before-first-contact",
     lambda a: a.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 3, 1, 23, 59), AE1_ID),
     aecore.ValidationError, ValueError, "activity.when", "CL-4"),
    ("activity-unknown-contact",
     lambda a: a.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 12, 9, 0), AE1_ID, contacts=["K01", "K09"]),
     aecore.NotFoundError, KeyError, "activity.contacts", "CL-3"),
    ("activity-notice-on-a-call",
     lambda a: a.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 12, 9, 0), AE1_ID, notice="N00001"),
     aecore.ValidationError, ValueError, "activity.notice", "AS-2"),
    ("activity-unknown-notice",
     lambda a: meeting(a, when=T(2026, 11, 12, 9, 0), notice="N00099"),
     aecore.NotFoundError, KeyError, "activity.notice", "AS-2"),
    ("activity-notice-of-another-client",
     lambda a: meeting(a, AWAY_CODE, T(2026, 11, 12, 9, 0), AE2_ID, notice="N00001"),
     aecore.ValidationError, ValueError, "activity.notice", "AS-2"),
    ("activity-control-char-summary",
     lambda a: a.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 12, 9, 0), AE1_ID, summary="bad\x00"),
     aecore.ValidationError, ValueError, "activity.summary", "AS-1"),
    ("activity-aware-datetime",
     lambda a: a.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 12, 9, 0, tzinfo=dt.timezone.utc), AE1_ID),
     aecore.ValidationError, ValueError, "datetime", "JT-7"),
    ("report-unknown-activity",
     lambda a: a.add_contact_report("A000099", written_at=T(2026, 11, 11, 9, 0), author=AE1_ID),
     aecore.NotFoundError, KeyError, "report.activity", "AS-1"),
    ("report-on-an-email",
     lambda a: a.add_contact_report("A000002", written_at=T(2026, 11, 11, 9, 0), author=AE1_ID),
     aecore.ValidationError, ValueError, "report.activity", "AS-1"),
    ("report-on-a-plain-call",
     lambda a: a.add_contact_report("A000003", written_at=T(2026, 11, 11, 9, 0), author=AE1_ID),
     aecore.ValidationError, ValueError, "report.activity", "AS-1"),
    ("report-written-before-the-meeting",
     lambda a: a.add_contact_report("A000001", written_at=T(2026, 11, 10, 8, 59, 59), author=AE1_ID),
     aecore.ValidationError, ValueError, "report.written_at", "AS-1"),
    ("report-second-for-an-activity",
     lambda a: a.add_contact_report("A000004", written_at=T(2026, 11, 11, 11, 0), author=AE1_ID),
     aecore.ValidationError, ValueError, "report.activity", "AS-1"),
    ("report-unknown-author",
     lambda a: a.add_contact_report("A000001", written_at=T(2026, 11, 11, 9, 0), author="S9999"),
     aecore.NotFoundError, KeyError, "report.author", "AS-1"),
    ("report-unknown-distribution-contact",
     lambda a: a.add_contact_report("A000001", written_at=T(2026, 11, 11, 9, 0), author=AE1_ID, distribution_contacts=["K07"]),
     aecore.NotFoundError, KeyError, "report.distribution_contacts", "AS-1"),
    ("report-unknown-distribution-staff",
     lambda a: a.add_contact_report("A000001", written_at=T(2026, 11, 11, 9, 0), author=AE1_ID, distribution_staff=["S9999"]),
     aecore.NotFoundError, KeyError, "report.distribution_staff", "AS-1"),
    ("notice-meeting-at-none",
     lambda a: a.add_meeting_notice(HOME_CODE, author=AE1_ID, issued_at=T(2026, 11, 11, 9, 0), meeting_at=None),
     aecore.ValidationError, ValueError, "notice.meeting_at", "AS-2"),
    ("notice-issued-after-the-meeting",
     lambda a: complete_notice(a, issued_at=T(2026, 11, 12, 9, 1), meeting_at=T(2026, 11, 12, 9, 0)),
     aecore.ValidationError, ValueError, "notice.issued_at", "AS-2"),
    ("notice-unknown-client",
     lambda a: complete_notice(a, "SH-202603-NOPE-001", issued_at=T(2026, 11, 11, 9, 0), meeting_at=T(2026, 11, 12, 9, 0)),
     aecore.NotFoundError, KeyError, "notice.client", "CL-1"),
    ("notice-unknown-author",
     lambda a: complete_notice(a, issued_at=T(2026, 11, 11, 9, 0), meeting_at=T(2026, 11, 12, 9, 0), author="S9999"),
     aecore.NotFoundError, KeyError, "notice.author", "AS-2"),
    ("notice-control-char-location",
     lambda a: a.add_meeting_notice(HOME_CODE, author=AE1_ID, issued_at=T(2026, 11, 11, 9, 0),
                                    meeting_at=T(2026, 11, 12, 9, 0), location="room\x1b3"),
     aecore.ValidationError, ValueError, "notice.location", "AS-2"),
    ("weekly-not-a-monday",
     lambda a: a.submit_status_report(ReportKind.WEEKLY, author=AE1_ID, period=D(2026, 11, 10), submitted_at=T(2026, 11, 16, 9, 0)),
     aecore.ValidationError, ValueError, "status_report.period", "AS-3"),
    ("weekly-a-sunday",
     lambda a: a.submit_status_report(ReportKind.WEEKLY, author=AE1_ID, period=D(2026, 11, 8), submitted_at=T(2026, 11, 16, 9, 0)),
     aecore.ValidationError, ValueError, "status_report.period", "AS-3"),
    ("monthly-not-the-1st",
     lambda a: a.submit_status_report(ReportKind.MONTHLY, author=AE1_ID, period=D(2026, 10, 31), submitted_at=T(2026, 11, 2, 9, 0)),
     aecore.ValidationError, ValueError, "status_report.period", "AS-3"),
    ("weekly-duplicate",
     lambda a: a.submit_status_report(ReportKind.WEEKLY, author=AE1_ID, period=D(2026, 11, 2), submitted_at=T(2026, 11, 10, 9, 0)),
     aecore.ValidationError, ValueError, "status_report.period", "AS-3"),
    ("status-submitted-before-the-period",
     lambda a: a.submit_status_report(ReportKind.WEEKLY, author=AE1_ID, period=D(2026, 11, 16), submitted_at=T(2026, 11, 15, 9, 0)),
     aecore.ValidationError, ValueError, "status_report.submitted_at", "AS-3"),
    ("status-unknown-author",
     lambda a: a.submit_status_report(ReportKind.WEEKLY, author="S9999", period=D(2026, 11, 16), submitted_at=T(2026, 11, 23, 9, 0)),
     aecore.NotFoundError, KeyError, "status_report.author", "AS-3"),
    ("get-activity-unknown", lambda a: a.get_activity("A000099"), aecore.NotFoundError, KeyError, "activity.id", "AS-1"),
    ("get-notice-unknown", lambda a: a.get_meeting_notice("N00099"), aecore.NotFoundError, KeyError, "notice.id", "AS-2"),
]


@pytest.mark.parametrize(
    ("operation", "error", "builtin", "field", "rule"),
    [case[1:] for case in BAD_OPERATIONS],
    ids=[case[0] for case in BAD_OPERATIONS],
)
def test_failed_operation_changes_nothing(routines: aecore.Agency, unchanged, operation, error, builtin, field, rule) -> None:
    with unchanged(routines), pytest.raises(error) as ei:
        operation(routines)
    assert_error(ei.value, error, builtin, field, rule)


def test_failed_records_do_not_consume_ids(routines: aecore.Agency) -> None:
    for operation in (c[1] for c in BAD_OPERATIONS):
        with pytest.raises(aecore.Error):
            operation(routines)
    assert routines.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 12, 9, 0), AE1_ID).id == "A000005"
    assert complete_notice(routines, issued_at=T(2026, 11, 11, 9, 0), meeting_at=T(2026, 11, 12, 9, 0)).id == "N00002"
    assert routines.add_contact_report("A000001", written_at=T(2026, 11, 11, 9, 0), author=AE1_ID).id == "R00002"
    assert routines.submit_status_report(ReportKind.WEEKLY, author=AE1_ID, period=D(2026, 11, 9),
                                         submitted_at=T(2026, 11, 16, 9, 0)).id == "W00002"


@pytest.mark.parametrize(
    ("operation", "field"),
    [
        (lambda a: a.log_activity(AWAY_CODE, ActivityKind.CALL, T(2026, 11, 12, 9, 0), AE2_ID), "activity.client"),
        (lambda a: complete_notice(a, AWAY_CODE, issued_at=T(2026, 11, 11, 9, 0), meeting_at=T(2026, 11, 12, 9, 0),
                                   author=AE2_ID), "notice.client"),
    ],
    ids=["activity", "notice"],
)
def test_no_new_routines_for_an_archived_client(routines: aecore.Agency, unchanged, operation, field) -> None:
    routines.archive_client(AWAY_CODE)
    with unchanged(routines), pytest.raises(aecore.StateError) as ei:
        operation(routines)
    assert_error(ei.value, aecore.StateError, RuntimeError, field, "CL-2")


@pytest.mark.parametrize(
    ("operation", "field", "rule"),
    [
        (lambda a: a.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 12, 9, 0), AE2_ID), "activity.staff", "CL-4"),
        (lambda a: a.add_contact_report("A000001", written_at=T(2026, 11, 11, 9, 0), author=AE2_ID), "report.author", "AS-1"),
        (lambda a: complete_notice(a, issued_at=T(2026, 11, 11, 9, 0), meeting_at=T(2026, 11, 12, 9, 0), author=AE2_ID),
         "notice.author", "AS-2"),
        (lambda a: a.submit_status_report(ReportKind.WEEKLY, author=AE2_ID, period=D(2026, 11, 9),
                                          submitted_at=T(2026, 11, 16, 9, 0)), "status_report.author", "AS-3"),
    ],
    ids=["activity", "report", "notice", "status-report"],
)
def test_staff_who_left_cannot_record_routines(routines: aecore.Agency, unchanged, operation, field, rule) -> None:
    routines.update_staff(AE2_ID, active=False)
    with unchanged(routines), pytest.raises(aecore.ValidationError) as ei:
        operation(routines)
    assert_error(ei.value, aecore.ValidationError, ValueError, field, rule)
    assert "inactive" in str(ei.value)


@pytest.mark.parametrize(
    "operation",
    [
        lambda a: a.log_activity(HOME_CODE, ActivityKind.CALL, D(2026, 11, 12), AE1_ID),
        lambda a: a.log_activity(HOME_CODE, "CALL", T(2026, 11, 12, 9, 0), AE1_ID),
        lambda a: a.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 12, 9, 0), AE1_ID, ["K01"]),
        lambda a: a.log_activity(HOME_CODE, ActivityKind.CALL, "2026-11-12T09:00", AE1_ID),
        lambda a: a.add_contact_report("A000001", T(2026, 11, 11, 9, 0), AE1_ID),
        lambda a: a.add_contact_report("A000001", written_at=D(2026, 11, 11), author=AE1_ID),
        lambda a: a.add_meeting_notice(HOME_CODE, AE1_ID, T(2026, 11, 11, 9, 0), T(2026, 11, 12, 9, 0)),
        lambda a: a.add_meeting_notice(HOME_CODE, author=AE1_ID, issued_at=T(2026, 11, 11, 9, 0), meeting_at=D(2026, 11, 12)),
        lambda a: a.submit_status_report("WEEKLY", author=AE1_ID, period=D(2026, 11, 9), submitted_at=T(2026, 11, 16, 9, 0)),
        lambda a: a.submit_status_report(ReportKind.WEEKLY, author=AE1_ID, period=T(2026, 11, 9, 0, 0),
                                         submitted_at=T(2026, 11, 16, 9, 0)),
        lambda a: a.audit(T(2026, 11, 23, 9, 0)),
        lambda a: a.audit("2026-11-23"),
    ],
    ids=[
        "activity-when-date",
        "activity-kind-str",
        "activity-contacts-positional",
        "activity-when-str",
        "report-positional",
        "report-written-date",
        "notice-positional",
        "notice-meeting-date",
        "status-kind-str",
        "status-period-datetime",
        "audit-datetime",
        "audit-str",
    ],
)
def test_wrong_python_types_are_type_errors(routines: aecore.Agency, unchanged, operation) -> None:
    with unchanged(routines), pytest.raises(TypeError):
        operation(routines)


# ----------------------------------------------------------------- AS-1 in the audit


def test_missing_contact_report_is_flagged_after_48_hours(book: aecore.Agency) -> None:
    a = meeting(book, when=T(2026, 11, 10, 1, 0))
    assert of_rule(book, D(2026, 11, 11), "AS-1") == []  # 47 hours at the close of 11-11
    (f,) = of_rule(book, D(2026, 11, 12), "AS-1")
    assert (f.rule, f.severity, f.subject, f.due) == ("AS-1", Severity.WARNING, a.id, D(2026, 11, 12))
    assert "no contact report" in f.message and "2026-11-12T01:00" in f.message
    assert "Golden Harvest Foods" in f.message and AE1_ID in f.message


def test_missing_contact_report_at_49_hours(book: aecore.Agency) -> None:
    a = meeting(book, when=T(2026, 11, 9, 23, 0))
    (f,) = of_rule(book, D(2026, 11, 11), "AS-1")  # 49 hours at the close of 11-11
    assert (f.subject, f.severity, f.due) == (a.id, Severity.WARNING, D(2026, 11, 11))


def test_contact_report_exactly_at_the_deadline_is_on_time(book: aecore.Agency) -> None:
    a = meeting(book, when=T(2026, 11, 10, 9, 0))
    book.add_contact_report(a.id, written_at=T(2026, 11, 12, 9, 0), author=AE1_ID)
    assert of_rule(book, D(2026, 11, 30), "AS-1") == []


def test_late_contact_report_is_an_advice(book: aecore.Agency) -> None:
    a = meeting(book, when=T(2026, 11, 10, 9, 0))
    book.add_contact_report(a.id, written_at=T(2026, 11, 12, 9, 1), author=AE1_ID)
    (f,) = of_rule(book, D(2026, 11, 30), "AS-1")
    assert (f.severity, f.subject, f.due) == (Severity.ADVICE, a.id, D(2026, 11, 12))
    assert "written 2026-11-12T09:01" in f.message and "48-hour" in f.message


def test_report_written_after_as_of_does_not_count_yet(book: aecore.Agency) -> None:
    a = meeting(book, when=T(2026, 11, 10, 9, 0))
    book.add_contact_report(a.id, written_at=T(2026, 11, 13, 10, 0), author=AE1_ID)
    (missing,) = of_rule(book, D(2026, 11, 12), "AS-1")
    assert missing.severity is Severity.WARNING
    (late,) = of_rule(book, D(2026, 11, 13), "AS-1")
    assert late.severity is Severity.ADVICE


def test_only_meetings_visits_and_important_calls_need_a_report(book: aecore.Agency) -> None:
    book.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 2, 9, 0), AE1_ID)
    book.log_activity(HOME_CODE, ActivityKind.EMAIL, T(2026, 11, 2, 9, 0), AE1_ID, important=True)
    assert of_rule(book, D(2026, 11, 30), "AS-1") == []
    visit = book.log_activity(HOME_CODE, ActivityKind.VISIT, T(2026, 11, 2, 9, 0), AE1_ID)
    call = book.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 2, 10, 0), AE1_ID, important=True)
    assert [f.subject for f in of_rule(book, D(2026, 11, 30), "AS-1")] == [visit.id, call.id]


def test_future_meetings_are_not_audited(book: aecore.Agency) -> None:
    meeting(book, when=T(2026, 11, 20, 9, 0))
    assert of_rule(book, D(2026, 11, 19), "AS-1") == []
    assert of_rule(book, D(2026, 11, 19), "AS-2") == []
    assert len(of_rule(book, D(2026, 11, 20), "AS-2")) == 1


# ----------------------------------------------------------------- AS-2 in the audit


def test_meeting_without_a_notice(book: aecore.Agency) -> None:
    a = meeting(book, when=T(2026, 11, 12, 14, 0))  # Thursday
    (f,) = of_rule(book, D(2026, 11, 12), "AS-2")
    assert (f.rule, f.severity, f.subject, f.due) == ("AS-2", Severity.WARNING, a.id, D(2026, 11, 11))
    assert "without a meeting notice" in f.message and "2026-11-12T14:00" in f.message
    # a visit needs no notice
    book.log_activity(HOME_CODE, ActivityKind.VISIT, T(2026, 11, 13, 14, 0), AE1_ID)
    assert len(of_rule(book, D(2026, 11, 13), "AS-2")) == 1


def test_complete_notice_one_business_day_ahead_has_no_finding(book: aecore.Agency) -> None:
    n = complete_notice(book, issued_at=T(2026, 11, 11, 17, 59), meeting_at=T(2026, 11, 12, 14, 0))
    meeting(book, when=T(2026, 11, 12, 14, 0), notice=n.id)
    # Friday's notice for a Monday meeting is a business day ahead too
    friday = complete_notice(book, issued_at=T(2026, 11, 13, 18, 0), meeting_at=T(2026, 11, 16, 9, 0))
    meeting(book, when=T(2026, 11, 16, 9, 0), notice=friday.id)
    assert of_rule(book, D(2026, 11, 30), "AS-2") == []


@pytest.mark.parametrize(
    ("issued_at", "meeting_at", "deadline"),
    [
        (T(2026, 11, 12, 9, 0), T(2026, 11, 12, 14, 0), D(2026, 11, 11)),  # the same day
        (T(2026, 11, 14, 10, 0), T(2026, 11, 16, 9, 0), D(2026, 11, 13)),  # Saturday for Monday
        (T(2026, 11, 16, 8, 0), T(2026, 11, 16, 9, 0), D(2026, 11, 13)),
    ],
    ids=["same-day", "saturday-for-monday", "monday-morning"],
)
def test_late_notice(book: aecore.Agency, issued_at, meeting_at, deadline) -> None:
    n = complete_notice(book, issued_at=issued_at, meeting_at=meeting_at)
    (f,) = of_rule(book, D(2026, 11, 30), "AS-2")
    assert (f.severity, f.subject, f.due) == (Severity.WARNING, n.id, deadline)
    assert f"by {deadline.isoformat()}" in f.message
    assert f"issued {issued_at.isoformat(timespec='minutes')}" in f.message


def test_incomplete_notice_lists_the_missing_elements(book: aecore.Agency) -> None:
    n = book.add_meeting_notice(AWAY_CODE, author=AE2_ID, issued_at=T(2026, 11, 9, 10, 0),
                                meeting_at=T(2026, 11, 12, 9, 0), attendees=["Song Kai"], topic="P8 launch")
    (f,) = of_rule(book, D(2026, 11, 30), "AS-2")
    assert (f.severity, f.subject, f.due) == (Severity.WARNING, n.id, D(2026, 11, 11))
    assert "incomplete (5W1H)" in f.message
    assert f.message.endswith("missing where (location), what (items to confirm), how (agenda)")
    assert "who (attendees)" not in f.message and "what (topic)" not in f.message


def test_notice_issued_after_as_of_is_ignored(book: aecore.Agency) -> None:
    book.add_meeting_notice(HOME_CODE, author=AE1_ID, issued_at=T(2026, 11, 20, 10, 0), meeting_at=T(2026, 11, 20, 11, 0))
    assert of_rule(book, D(2026, 11, 19), "AS-2") == []
    assert len(of_rule(book, D(2026, 11, 20), "AS-2")) == 2  # late and incomplete


# ----------------------------------------------------------------- AS-3 in the audit


def file_all(agency: aecore.Agency, author: str) -> None:
    agency.submit_status_report(ReportKind.WEEKLY, author=author, period=D(2026, 11, 16), submitted_at=T(2026, 11, 23, 9, 0))
    agency.submit_status_report(ReportKind.MONTHLY, author=author, period=D(2026, 10, 1), submitted_at=T(2026, 10, 30, 17, 0))


def test_missing_weekly_report_and_monthly_summary(book: aecore.Agency) -> None:
    findings = of_rule(book, D(2026, 11, 23), "AS-3")
    assert [(f.subject, f.due) for f in findings] == [
        (AE1_ID, D(2026, 10, 30)),
        (AE1_ID, D(2026, 11, 23)),
        (AE2_ID, D(2026, 10, 30)),
        (AE2_ID, D(2026, 11, 23)),
    ]
    assert all(f.severity is Severity.WARNING for f in findings)
    assert "monthly work summary" in findings[0].message and "2026-10" in findings[0].message
    assert "weekly status report" in findings[1].message and "week of 2026-11-16" in findings[1].message


def test_no_finding_when_filed(book: aecore.Agency) -> None:
    file_all(book, AE1_ID)
    assert [f.subject for f in of_rule(book, D(2026, 11, 23), "AS-3")] == [AE2_ID, AE2_ID]
    file_all(book, AE2_ID)
    assert of_rule(book, D(2026, 11, 23), "AS-3") == []


def test_weekly_report_is_due_by_the_close_of_monday(book: aecore.Agency) -> None:
    book.submit_status_report(ReportKind.WEEKLY, author=AE1_ID, period=D(2026, 11, 16), submitted_at=T(2026, 11, 24, 9, 0))
    assert [f.due for f in of_rule(book, D(2026, 11, 23), "AS-3") if f.subject == AE1_ID] == [D(2026, 10, 30), D(2026, 11, 23)]
    assert [f.due for f in of_rule(book, D(2026, 11, 24), "AS-3") if f.subject == AE1_ID] == [D(2026, 10, 30)]


def test_weekly_report_audited_midweek_is_last_weeks(book: aecore.Agency) -> None:
    book.submit_status_report(ReportKind.WEEKLY, author=AE1_ID, period=D(2026, 11, 9), submitted_at=T(2026, 11, 16, 9, 0))
    weekly = [f for f in of_rule(book, D(2026, 11, 20), "AS-3") if "weekly" in f.message]
    assert [(f.subject, f.due) for f in weekly] == [(AE2_ID, D(2026, 11, 16))]


def test_only_aes_who_own_a_client_report(book: aecore.Agency) -> None:
    book.add_staff("New AE", Title.AE, manager=AM_ID)  # owns nothing
    assert {f.subject for f in of_rule(book, D(2026, 11, 23), "AS-3")} == {AE1_ID, AE2_ID}


# ----------------------------------------------------------------- ST-2 span of control


def span_agency() -> aecore.Agency:
    a = aecore.Agency(name="Span", home_city="SH", currency="CNY")
    ad = a.add_staff("Director", Title.AD)
    wide = a.add_staff("Wide AM", Title.AM, manager=ad.id)  # S0002: 4 AEs
    idle = a.add_staff("Idle AM", Title.AM, manager=ad.id)  # S0003: no AEs
    fine = a.add_staff("Fine AM", Title.AM, manager=ad.id)  # S0004: 3 AEs
    for i in range(4):
        a.add_staff(f"Wide AE {i}", Title.AE, manager=wide.id)  # S0005..S0008
    for i in range(3):
        a.add_staff(f"Fine AE {i}", Title.AE, manager=fine.id)  # S0009..S0011
    a.add_staff("Idle AAE", Title.AAE, manager=idle.id)  # an AAE is not an AE
    return a


def test_span_of_control_outside_1_to_3_is_an_advice() -> None:
    a = span_agency()
    findings = a.audit(D(2026, 11, 23))
    assert [f.rule for f in findings] == ["ST-2", "ST-2"]
    wide, idle = findings
    assert (wide.severity, wide.subject, wide.due) == (Severity.ADVICE, "S0002", None)
    assert "supervises 4 AEs" in wide.message and "1-3" in wide.message
    assert (idle.severity, idle.subject, idle.due) == (Severity.ADVICE, "S0003", None)
    assert "supervises 0 AEs" in idle.message
    assert repr(idle) == "Finding(ST-2 ADVICE S0003: 'AM Idle AM supervises 0 AEs; the span of control is 1-3')"


def test_span_of_control_counts_active_staff_and_follows_the_policy() -> None:
    a = span_agency()
    a.update_staff("S0008", active=False)  # the wide AM is down to 3
    assert [f.subject for f in a.audit(D(2026, 11, 23))] == ["S0003"]
    a.policy.span_of_control = (4, 5)
    assert [f.subject for f in a.audit(D(2026, 11, 23))] == ["S0001", "S0002", "S0003", "S0004"]
    assert "supervises 3 AMs; the span of control is 4-5" in a.audit(D(2026, 11, 23))[0].message


def test_small_agency_within_span_has_no_findings(agency: aecore.Agency) -> None:
    report = agency.audit(D(2026, 11, 23))
    assert len(report) == 0
    assert list(report) == []


# ----------------------------------------------------------------- AS-4 the audit report


def test_audit_returns_an_audit_report(sample: aecore.Agency) -> None:
    report = sample.audit(SAMPLE_AS_OF)
    assert isinstance(report, aecore.AuditReport)
    assert isinstance(report, collections.abc.Sequence)
    assert report.as_of == SAMPLE_AS_OF
    assert len(report) > 0
    assert all(isinstance(f, aecore.Finding) for f in report)
    assert report[0] == list(report)[0] and report[-1] == list(report)[-1]
    assert report[1:3] == list(report)[1:3]
    assert list(report) == sample.audit_findings(SAMPLE_AS_OF)
    for f in report:
        assert isinstance(f.rule, str) and isinstance(f.subject, str) and isinstance(f.message, str)
        assert isinstance(f.severity, Severity) and isinstance(f.severity, enum.Enum)
        assert f.due is None or type(f.due) is dt.date
    assert [s.name for s in Severity] == ["ERROR", "WARNING", "ADVICE"]


def test_findings_are_sorted_by_severity_rule_subject_due_message(sample: aecore.Agency) -> None:
    report = sample.audit(SAMPLE_AS_OF)
    findings = list(report)
    assert findings == sorted(findings, key=sort_key)
    severities = [f.severity for f in findings]
    assert severities.index(Severity.ADVICE) > max(i for i, s in enumerate(severities) if s is Severity.WARNING)
    # the two AS-2 findings on one notice are ordered by message
    n2 = [f.message for f in report.by_rule("AS-2")]
    assert n2 == sorted(n2)


def test_audit_is_deterministic(sample: aecore.Agency) -> None:
    first = sample.audit(SAMPLE_AS_OF)
    assert sample.audit(SAMPLE_AS_OF) == first
    assert aecore.sample_agency().audit(SAMPLE_AS_OF) == first
    assert aecore.Agency.from_json(sample.to_json()).audit(SAMPLE_AS_OF) == first
    assert copy.deepcopy(sample).audit(SAMPLE_AS_OF) == first
    assert [repr(f) for f in sample.audit(SAMPLE_AS_OF)] == [repr(f) for f in first]
    assert sample.audit(D(2026, 11, 24)) != first


def test_audit_does_not_change_the_agency(sample: aecore.Agency, unchanged) -> None:
    with unchanged(sample):
        sample.audit(SAMPLE_AS_OF)
        sample.audit(D(2020, 1, 1))


def history_book() -> aecore.Agency:
    """`book` with some history up to 2026-11-11, whose audit that day has findings."""
    a = build_book()
    a.log_activity(HOME_CODE, ActivityKind.CALL, T(2026, 11, 11, 9, 0), AE1_ID)
    meeting(a, when=T(2026, 11, 9, 9, 0))  # no notice, no report yet
    return a


LATER_RECORDS = [
    ("activity", lambda a: meeting(a, when=T(2026, 11, 12, 0, 0))),
    ("call", lambda a: a.log_activity(AWAY_CODE, ActivityKind.CALL, T(2026, 11, 12, 9, 0), AE2_ID)),
    ("contact-report", lambda a: a.add_contact_report("A000002", written_at=T(2026, 11, 12, 8, 0), author=AE1_ID)),
    ("meeting-notice", lambda a: a.add_meeting_notice(HOME_CODE, author=AE1_ID, issued_at=T(2026, 11, 12, 0, 0),
                                                      meeting_at=T(2026, 11, 12, 10, 0))),
    ("status-report", lambda a: a.submit_status_report(ReportKind.WEEKLY, author=AE1_ID, period=D(2026, 11, 2),
                                                       submitted_at=T(2026, 11, 12, 9, 0))),
    ("monthly-summary", lambda a: a.submit_status_report(ReportKind.MONTHLY, author=AE2_ID, period=D(2026, 10, 1),
                                                         submitted_at=T(2026, 11, 12, 9, 0))),
    ("client-first-contacted-later", lambda a: a.register_client("Later Client", "LATER", "GZ", D(2026, 11, 20), AE1_ID)),
    ("stage-change", lambda a: a.set_stage(AWAY_CODE, PipelineStage.POTENTIAL, on=D(2026, 11, 20), note="went quiet")),
    ("team-change", lambda a: a.assign_team(HOME_CODE, ae=AE2_ID, effective=D(2026, 11, 20), note="handover")),
]


@pytest.mark.parametrize("later", [c[1] for c in LATER_RECORDS], ids=[c[0] for c in LATER_RECORDS])
def test_historical_audit_ignores_later_records(later) -> None:
    a = history_book()
    as_of = D(2026, 11, 11)
    before = a.audit(as_of)
    assert {"AS-1", "AS-2", "AS-3", "CL-6"} <= set(before.counts()), repr(before)
    later(a)
    after = a.audit(as_of)
    assert [repr(f) for f in after] == [repr(f) for f in before]
    assert after == before


def test_todays_audit_sees_the_later_records() -> None:
    a = history_book()
    before = a.audit(D(2026, 11, 11))
    a.add_contact_report("A000002", written_at=T(2026, 11, 12, 8, 0), author=AE1_ID)
    assert a.audit(D(2026, 11, 12)) != before
    assert [f.severity for f in a.audit(D(2026, 11, 12)).by_rule("AS-1")] == [Severity.ADVICE]


def test_counts_by_rule_and_by_severity(sample: aecore.Agency) -> None:
    report = sample.audit(SAMPLE_AS_OF)
    counts = report.counts()
    assert list(counts) == sorted(counts)
    assert sum(counts.values()) == len(report)
    for rule, n in counts.items():
        found = report.by_rule(rule)
        assert len(found) == n and all(f.rule == rule for f in found)
    assert report.by_rule("XX-9") == []
    advice = report.by_severity(Severity.ADVICE)
    assert advice and all(f.severity is Severity.ADVICE for f in advice)
    assert len(advice) + len(report.by_severity(Severity.WARNING)) + len(report.by_severity(Severity.ERROR)) == len(report)


def test_to_dataframe(sample: aecore.Agency) -> None:
    report = sample.audit(SAMPLE_AS_OF)
    frame = report.to_dataframe()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["rule", "severity", "subject", "due", "message"]
    assert len(frame) == len(report)
    assert frame["rule"].tolist() == [f.rule for f in report]
    assert frame["subject"].tolist() == [f.subject for f in report]
    assert frame["message"].tolist() == [f.message for f in report]
    sev = frame["severity"]
    assert str(sev.dtype) == "category" and sev.cat.ordered
    assert list(sev.cat.categories) == ["ERROR", "WARNING", "ADVICE"]
    assert sev.tolist() == [f.severity.name for f in report]
    assert sev.is_monotonic_increasing
    assert str(frame["due"].dtype).startswith("datetime64")
    for value, f in zip(frame["due"], report):
        if f.due is None:
            assert pd.isna(value)
        else:
            assert value == pd.Timestamp(f.due)
    assert frame["due"].isna().any() and frame["due"].notna().any()


def test_empty_report(agency: aecore.Agency) -> None:
    report = agency.audit(D(2026, 11, 23))
    assert repr(report) == "AuditReport(as_of=2026-11-23, 0 findings; no findings)"
    assert report.counts() == {}
    frame = report.to_dataframe()
    assert list(frame.columns) == ["rule", "severity", "subject", "due", "message"]
    assert len(frame) == 0
    assert "0 findings" in report._repr_html_()


def test_report_repr_and_html(sample: aecore.Agency) -> None:
    report = sample.audit(SAMPLE_AS_OF)
    summary = ", ".join(f"{rule}: {n}" for rule, n in report.counts().items())
    assert repr(report) == f"AuditReport(as_of=2026-11-23, {len(report)} findings; {summary})"
    page = report._repr_html_()
    assert "<b>Audit as of 2026-11-23</b>" in page
    assert f"{len(report)} findings" in page
    assert page.count("<tr>") == 1 + len(report)
    for header in ("severity", "rule", "subject", "due", "message"):
        assert f"<th>{header}</th>" in page
    for f in report:
        assert html.escape(f.message) in page


def test_report_html_escapes() -> None:
    a = build_small_agency()
    c = a.register_client("Smith & <Jones>", "SJ", "SH", D(2026, 11, 2), AE1_ID)
    a.log_activity(c.code, ActivityKind.MEETING, T(2026, 11, 2, 9, 0), AE1_ID)
    page = a.audit(D(2026, 11, 23))._repr_html_()
    assert "<Jones>" not in page
    assert html.escape("Smith & <Jones>") in page


def test_finding_repr_and_equality(sample: aecore.Agency) -> None:
    report = sample.audit(SAMPLE_AS_OF)
    with_due = report.by_rule("CL-4")[0]
    assert repr(with_due) == (
        f"Finding(CL-4 WARNING {with_due.subject}: {with_due.message!r}, due={with_due.due.isoformat()})"
    )
    (no_due,) = report.by_rule("CL-3")
    assert no_due.due is None
    assert repr(no_due) == f"Finding(CL-3 ADVICE {no_due.subject}: {no_due.message!r})"
    assert with_due == sample.audit(SAMPLE_AS_OF).by_rule("CL-4")[0]
    assert with_due != no_due


def test_report_is_read_only(sample: aecore.Agency) -> None:
    report = sample.audit(SAMPLE_AS_OF)
    with pytest.raises(TypeError):
        report[0] = report[1]  # type: ignore[index]
    with pytest.raises(AttributeError):
        report.extra = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        hash(report)


# ----------------------------------------------------------------- the sample agency


def test_sample_audit_has_findings_of_every_routine(sample: aecore.Agency) -> None:
    report = sample.audit(SAMPLE_AS_OF)
    assert len(report) > 0
    assert {"CL-4", "AS-1", "AS-2", "AS-3"} <= set(report.counts())
    codes = {c.short_name: c.code for c in sample.clients}
    panda_meeting = next(a for a in sample.activities
                         if a.client == codes["PANDAMOB"] and a.kind is ActivityKind.MEETING)
    spice_call = next(a for a in sample.activities if a.client == codes["SPICE"] and a.important)
    as1 = {(f.subject, f.severity) for f in report.by_rule("AS-1")}
    assert as1 == {(panda_meeting.id, Severity.WARNING), (spice_call.id, Severity.ADVICE)}
    as2 = report.by_rule("AS-2")
    assert {f.subject for f in as2} == {panda_meeting.notice}
    assert any("incomplete" in f.message for f in as2) and any("was issued" in f.message for f in as2)
    assert ("S0005", D(2026, 10, 30)) in {(f.subject, f.due) for f in report.by_rule("AS-3")}
    assert codes["SPICE"] in {f.subject for f in report.by_rule("CL-4")}
    assert codes["GHFOOD"] not in {f.subject for f in report.by_rule("CL-4")}  # called every business day


def test_sample_json_round_trip_is_byte_identical(sample: aecore.Agency) -> None:
    text = sample.to_json()
    back = aecore.Agency.from_json(text)
    assert back.to_json() == text
    assert back == sample


def test_save_and_load_preserve_clients_and_routines(sample: aecore.Agency, tmp_path: Path) -> None:
    codes = {c.short_name: c.code for c in sample.clients}
    precise = sample.log_activity(codes["GHFOOD"], ActivityKind.MEETING, T(2026, 11, 24, 14, 5, 7, 654321), "S0004",
                                  contacts=["K01"], summary="micro-timed")
    sample.add_contact_report(precise.id, written_at=T(2026, 11, 25, 8, 0, 0, 1), author="S0004")
    path = tmp_path / "sunrise.json"
    sample.save(path)
    loaded = aecore.Agency.load(path)
    assert loaded == sample
    assert loaded.to_json() == sample.to_json() == path.read_text(encoding="utf-8")
    assert loaded.clients == sample.clients
    assert [activity_tuple(a) for a in loaded.activities] == [activity_tuple(a) for a in sample.activities]
    assert loaded.get_activity(precise.id).when == T(2026, 11, 24, 14, 5, 7, 654321)
    assert loaded.contact_reports[-1].written_at == T(2026, 11, 25, 8, 0, 0, 1)
    assert [report_tuple(r) for r in loaded.contact_reports] == [report_tuple(r) for r in sample.contact_reports]
    assert [notice_tuple(n) for n in loaded.meeting_notices] == [notice_tuple(n) for n in sample.meeting_notices]
    assert [status_tuple(s) for s in loaded.status_reports] == [status_tuple(s) for s in sample.status_reports]
    assert loaded.audit(SAMPLE_AS_OF) == sample.audit(SAMPLE_AS_OF)
    # the id sequences continue after a load
    nxt = loaded.log_activity(codes["GHFOOD"], ActivityKind.CALL, T(2026, 11, 25, 9, 0), "S0004")
    assert nxt.id == sample.log_activity(codes["GHFOOD"], ActivityKind.CALL, T(2026, 11, 25, 9, 0), "S0004").id


def test_pickle_an_agency_with_routines(sample: aecore.Agency) -> None:
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(sample, protocol=protocol))
        assert back == sample
        assert back.to_json() == sample.to_json()
        assert back.audit(SAMPLE_AS_OF) == sample.audit(SAMPLE_AS_OF)


def test_sample_tiers_from_sample_billings(sample: aecore.Agency) -> None:
    codes = {c.short_name: c.code for c in sample.clients}
    billings = {codes[short]: amount for short, amount in aecore.sample_billings().items()}
    tiers = {t.client: t.tier for t in sample.tiers(SAMPLE_AS_OF, billings=billings)}
    # Of 44.0 million (15.4 + 9.8 + 6.2 + 3.9 + 3.1 + 2.3 + 2.1 + 1.2), 15.4 + 9.8 = 25.2 reach
    # 50 % (22.0); + 6.2 = 31.4 falls short of 80 % (35.2), + 3.9 = 35.3 reaches it: Northern
    # Motors is the last Tier B client (never A: its June invoice is over 90 days overdue).
    assert tiers[codes["PANDAMOB"]] is aecore.Tier.A
    assert tiers[codes["GHFOOD"]] is aecore.Tier.A
    assert tiers[codes["BLUERIV"]] is aecore.Tier.B
    assert tiers[codes["NMOTOR"]] is aecore.Tier.B
    assert {tiers[codes[s]] for s in ("RIVHOTEL", "WLTEA", "LOTUS", "JLPHARM", "SPICE", "HBBANK", "SUNNYKID",
                                      "TERRA")} == {aecore.Tier.C}
    assert len(tiers) == 12
    frame = sample.clients_frame(SAMPLE_AS_OF, billings=billings)
    assert frame.loc[codes["PANDAMOB"], "tier"] == "A"
    assert frame.loc[codes["GHFOOD"], "last_contact"] == pd.Timestamp(2026, 11, 20, 9, 30)


def test_activity_and_routine_reprs(routines: aecore.Agency) -> None:
    assert repr(routines.get_activity("A000001")) == (
        f"Activity(id='A000001', kind=MEETING, when=2026-11-10T09:00, client='{HOME_CODE}', staff='S0003')"
    )
    assert repr(routines.contact_reports[0]) == "ContactReport(id='R00001', activity='A000004', written_at=2026-11-11T10:00)"
    assert repr(routines.get_meeting_notice("N00001")) == (
        f"MeetingNotice(id='N00001', client='{HOME_CODE}', meeting_at=2026-11-10T09:00, missing=[])"
    )
    assert repr(routines.status_reports[0]) == "StatusReport(id='W00001', kind=WEEKLY, author='S0003', period=2026-11-02)"
    for cls in (ActivityKind, ReportKind, Severity):
        assert issubclass(cls, enum.Enum)
    assert [k.name for k in ActivityKind] == ["CALL", "MEETING", "EMAIL", "VISIT"]
    assert [k.name for k in ReportKind] == ["WEEKLY", "MONTHLY"]
