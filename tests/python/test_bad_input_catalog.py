"""Issue #9: a catalog of bad inputs across every area of the library.

Every case is one refused call against a fresh copy of the shipped sample book
(``aecore.sample_agency()``, see python/aecore/samples.py). For each case the test checks

* the exact aecore error class, and the built-in exception it also derives from;
* ``err.rule`` and ``err.field`` (a JSON path for a SchemaError);
* that ``str(err)`` names the field, the offending value and ``[RULE]``;
* that the agency serialises byte-identically before and after the failed call, and is
  still equal to a copy taken before it (the strong exception guarantee).

The expected field / value / rule of each case come from the throw sites in src/*.cpp
(and bindings/*.cpp for argument conversion). Each case exercises a distinct rule or
field. A case that exposes a library bug stays in the table with a ``# LIBRARY BUG``
comment; its assertion is not weakened.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, NamedTuple

import pytest

import aecore

D = dt.date
T = dt.datetime
S = aecore.TicketStatus
E = aecore.EvaluationStatus

# Client codes of the sample book.
GH = "SH-202503-GHFOOD-001"  # Golden Harvest Foods, SH: contacts K01 (primary) K02, contract T01
BLUE = "SH-202506-BLUERIV-002"  # Blue River: team re-assigned 2026-10-01
PANDA = "BJ-202509-PANDAMOB-003"  # Panda Mobile: contract T01, plan MP0005 proposed with errors
LOTUS = "GZ-202604-LOTUS-002"  # Lotus: stage changed to CLOSED on 2026-11-10
NMOTOR = "BJ-202411-NMOTOR-001"  # Northern Motors: an old invoice and a credit note
TERRA = "XA-202610-TERRA-006"  # Terracotta Travel: first contact 2026-10-12

def complete_brief() -> aecore.Brief:
    """A brief that is complete for a creative ticket (JT-4)."""
    return aecore.Brief(
        objective="launch awareness",
        target_audience="urban 18-35",
        key_message="two-day battery",
        mandatories="logo lock-up",
        deliverables=[aecore.Deliverable("TV master", "30s, 1080p")],
        budget=aecore.Money("500000", "CNY"),
    )


def cny(amount: str) -> aecore.Money:
    return aecore.Money(amount, "CNY")


def prepared_sample() -> aecore.Agency:
    """The sample book plus two steps it does not contain, through the public API, so that
    two rules can be reached with one refused call:

    * CR-202611-02 (Panda creative TVC, Draft, no brief) gets a complete brief and is
      approved by its AM: issuing it then meets JT-5 (Panda has no approved plan);
    * EV0003 (Liu Yang on the 5A rubric, 2 of 5 criteria scored) is shared, discussed and
      reviewed: finalizing it then meets PE-3 (every weighted criterion must be scored).
    """
    agency = aecore.sample_agency()
    agency.set_brief("CR-202611-02", complete_brief())
    agency.advance_job("CR-202611-02", S.APPROVED, actor="S0003", at=T(2026, 11, 18, 14, 0))
    ev = agency.get_evaluation("EV0003")
    ev.advance(E.SHARED_WITH_EVALUATEE, actor="S0003", at=T(2026, 11, 20, 10, 0))
    ev.advance(E.DISCUSSED, actor="S0003", at=T(2026, 11, 20, 11, 0))
    ev.advance(E.REVIEWED, actor="S0001", at=T(2026, 11, 20, 12, 0))  # no reviewers: the evaluator's manager
    return agency


def mutated(agency: aecore.Agency, edit: Callable[[dict[str, Any]], None]) -> str:
    """The agency's JSON document after `edit` (for the schema cases)."""
    doc = json.loads(agency.to_json())
    edit(doc)
    return json.dumps(doc)


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        node: Any = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


def _assign(target: Any, name: str, value: Any) -> None:
    setattr(target, name, value)


class Case(NamedTuple):
    id: str
    call: Callable[[aecore.Agency], Any]
    error: type[aecore.Error]
    field: str
    value: str  # as it appears in the message
    rule: str


V, NF, ST, SC, IO = aecore.ValidationError, aecore.NotFoundError, aecore.StateError, aecore.SchemaError, aecore.IoError
BUILTIN: dict[type[aecore.Error], type[Exception]] = {V: ValueError, NF: KeyError, ST: RuntimeError, SC: ValueError, IO: OSError}

MISSING_FILE = Path("/nonexistent-aecore-dir/sub/agency.json")
FLOAT_AMOUNT: Any = 0.1  # refused at run time; typed Any so the stub's refusal does not stop mypy

CASES: list[Case] = [
    # ------------------------------------------------------------------ money (MB-1)
    Case("money-too-many-decimals", lambda a: aecore.Money("1.234", "CNY"), V, "money.amount", "1.234", "MB-1"),
    Case("money-unknown-currency", lambda a: aecore.Money("1", "XYZ"), V, "currency", '"XYZ"', "MB-1"),
    Case("money-mixed-currency-add", lambda a: cny("1") + aecore.Money("1", "USD"), V, "money.currency",
         "CNY + USD", "MB-1"),
    Case("money-overflow-add", lambda a: aecore.Money.from_minor(2**63 - 1, "CNY") + aecore.Money.from_minor(1, "CNY"),
         V, "money", "92233720368547758.07 CNY + 0.01 CNY", "MB-1"),
    Case("money-float-refused", lambda a: aecore.Money(FLOAT_AMOUNT, "CNY"), V, "money.amount", "0.1", "MB-1"),
    Case("money-split-zero-parts", lambda a: cny("10").split(0), V, "split.parts", "0", "MB-1"),
    Case("money-allocate-negative-weight", lambda a: cny("10").allocate([1, -1]), V, "allocate.weights[1]", "-1",
         "MB-1"),
    Case("money-not-a-number", lambda a: aecore.Money("12,30", "CNY"), V, "money.amount", '"12,30"', "MB-1"),
    # ------------------------------------------------------------------ calendar (JT-7)
    Case("calendar-holiday-invalid-date", lambda a: a.calendar.add_holiday(D(1300, 1, 1)), V, "date", "1300-01-01",
         "JT-7"),
    Case("calendar-weekend-all-days", lambda a: _assign(a.calendar, "weekend", list(aecore.Weekday)), V,
         "calendar.weekend", "all seven days", "JT-7"),
    Case("calendar-working-hours-reversed",
         lambda a: _assign(a.calendar, "working_hours", (dt.time(18, 0), dt.time(9, 0))), V,
         "calendar.working_hours", "18:00:00–09:00:00", "JT-7"),
    Case("calendar-negative-business-time",
         lambda a: a.calendar.subtract_business_time(T(2026, 11, 23, 10, 0), dt.timedelta(hours=-1)), V, "amount",
         "-01:00:00", "JT-7"),
    # ------------------------------------------------------------------ staff and policy (ST-1, ST-2, ...)
    Case("staff-manager-cycle", lambda a: a.update_staff("S0001", manager="S0004"), V, "staff.manager", '"S0004"',
         "ST-1"),
    Case("staff-unknown-manager", lambda a: a.add_staff("New Person", aecore.Title.AE, manager="S9999"), NF,
         "staff.manager", '"S9999"', "ST-1"),
    Case("staff-deactivate-with-reports", lambda a: a.update_staff("S0002", active=False), ST, "staff.active", "false",
         "ST-1"),
    Case("staff-empty-name", lambda a: a.add_staff("   ", aecore.Title.AE), V, "staff.name", '"   "', "ST-1"),
    Case("staff-bad-email", lambda a: a.update_staff("S0004", email="wang.fang"), V, "staff.email", '"wang.fang"',
         "ST-1"),
    Case("staff-rate-other-currency",
         lambda a: a.add_staff("New Person", aecore.Title.AE, hourly_rate=aecore.Money("50", "USD")), V,
         "staff.hourly_rate", "50.00 USD", "MB-1"),
    Case("staff-unknown-id", lambda a: a.update_staff("S9999", name="Nobody"), NF, "staff.id", '"S9999"', "ST-1"),
    Case("agency-home-city-lowercase", lambda a: _assign(a, "home_city", "sh"), V, "agency.home_city", '"sh"', "CL-1"),
    Case("policy-span-of-control-min-above-max", lambda a: _assign(a.policy, "span_of_control", (3, 1)), V,
         "policy.span_of_control", "3..1", "ST-2"),
    Case("policy-contact-cadence-zero", lambda a: _assign(a.policy, "contact_cadence_days", (0, 3)), V,
         "policy.contact_cadence_home_days", "0", "CL-4"),
    Case("policy-tier-shares-not-increasing",
         lambda a: _assign(a.policy, "tier_shares", (Decimal("0.9"), Decimal("0.8"))), V, "policy.tier_shares",
         "0.9, 0.8", "CL-5"),
    Case("policy-escalation-decreasing", lambda a: _assign(a.policy, "escalation_days", (30, 15, 1)), V,
         "policy.escalation_days", "30, 15, 1", "MB-6"),
    Case("policy-rating-bands-not-increasing",
         lambda a: _assign(a.policy, "rating_bands", (Decimal("3"), Decimal("2"), Decimal("4"), Decimal("4.5"))), V,
         "policy.rating_bands", "3, 2, 4, 4.5", "PE-4"),
    Case("policy-lead-time-out-of-range", lambda a: a.policy.set_lead_time_days(aecore.JobType.PRINT_AD, 300), V,
         "policy.lead_time_days.PrintAd", "300", "JT-6"),
    Case("policy-min-distribution-over-100", lambda a: _assign(a.policy, "min_distribution_for_advertising", 101), V,
         "policy.min_distribution_for_advertising", "101", "MP-8c"),
    Case("policy-late-payment-negative", lambda a: _assign(a.policy, "late_payment_days", -1), V,
         "policy.late_payment_days", "-1", "MB-6"),
    # ------------------------------------------------------------------ clients, contacts, teams, stages, contracts
    Case("client-city-lowercase", lambda a: a.register_client("New Co", "NEWCO", "sh", D(2026, 11, 2), "S0004"), V,
         "client.city", '"sh"', "CL-1"),
    Case("client-short-name-with-space",
         lambda a: a.register_client("New Co", "NEW CO", "SH", D(2026, 11, 2), "S0004"), V, "client.short_name",
         '"NEW CO"', "CL-1"),
    Case("client-owner-not-an-ae", lambda a: a.register_client("New Co", "NEWCO", "SH", D(2026, 11, 2), "S0002"), V,
         "client.team.ae", '"S0002"', "ST-3"),
    Case("client-duplicate-name-in-city",
         lambda a: a.register_client("Golden Harvest Foods", "GHF2", "SH", D(2026, 11, 2), "S0004"), V, "client.name",
         '"Golden Harvest Foods"', "CL-2"),
    Case("client-unknown-code", lambda a: a.add_brand("SH-209901-NOPE-001", "Nope"), NF, "client.code",
         '"SH-209901-NOPE-001"', "CL-1"),
    Case("client-duplicate-brand", lambda a: a.add_brand(GH, "Harvest Gold"), V, "client.brand", '"Harvest Gold"',
         "CL-2"),
    Case("client-bad-email", lambda a: a.update_client(GH, email="info at ghfood"), V, "client.email",
         '"info at ghfood"', "CL-2"),
    Case("client-budget-other-currency", lambda a: a.update_client(GH, annual_budget=aecore.Money("1000", "USD")), V,
         "client.annual_budget", "1000.00 USD", "MB-1"),
    Case("contact-second-primary", lambda a: a.add_contact(GH, "Ma Li", primary=True), V, "contact.primary", "true",
         "CL-3"),
    Case("contact-unknown-primary", lambda a: a.set_primary_contact(GH, "K09"), NF, "contact.id", '"K09"', "CL-3"),
    Case("contact-bad-email", lambda a: a.add_contact(GH, "Ma Li", email="ma.li@"), V, "contact.email", '"ma.li@"',
         "CL-3"),
    Case("team-effective-before-current",
         lambda a: a.assign_team(BLUE, ae="S0005", effective=D(2026, 9, 1)), V, "team.effective", "2026-09-01",
         "ST-3"),
    Case("stage-date-before-last", lambda a: a.set_stage(LOTUS, aecore.PipelineStage.NEGOTIATING, on=D(2026, 11, 1)),
         V, "stage.date", "2026-11-01", "CL-6"),
    Case("stage-delivery-date-not-closed",
         lambda a: a.set_stage(LOTUS, aecore.PipelineStage.POTENTIAL, on=D(2026, 11, 23), delivered_on=D(2026, 11, 20)),
         V, "stage.delivered_on", "2026-11-20", "CL-6"),
    Case("contract-end-before-start",
         lambda a: a.add_contract(GH, start=D(2027, 1, 1), end=D(2026, 12, 31), monthly_fee=cny("1000")), V,
         "contract.end", "2026-12-31", "CL-7"),
    Case("contract-negative-fee",
         lambda a: a.add_contract(GH, start=D(2027, 1, 1), end=D(2027, 12, 31), monthly_fee=cny("-1")), V,
         "contract.monthly_fee", "-1.00 CNY", "CL-7"),
    # ------------------------------------------------------------------ routines (AS-1..AS-3, CL-4)
    Case("activity-before-first-contact",
         lambda a: a.log_activity(TERRA, aecore.ActivityKind.CALL, T(2026, 10, 1, 10, 0), "S0006"), V,
         "activity.when", "2026-10-01T10:00:00", "CL-4"),
    Case("activity-unknown-contact",
         lambda a: a.log_activity(GH, aecore.ActivityKind.CALL, T(2026, 11, 23, 9, 30), "S0004", contacts=["K09"]), NF,
         "activity.contacts", '"K09"', "CL-3"),
    Case("activity-unknown-staff",
         lambda a: a.log_activity(GH, aecore.ActivityKind.CALL, T(2026, 11, 23, 9, 30), "S9999"), NF,
         "activity.staff", '"S9999"', "CL-4"),
    Case("activity-notice-on-a-call",
         lambda a: a.log_activity(GH, aecore.ActivityKind.CALL, T(2026, 11, 23, 9, 30), "S0004", notice="N00001"), V,
         "activity.notice", '"N00001"', "AS-2"),
    Case("contact-report-for-plain-call",
         lambda a: a.add_contact_report("A000001", written_at=T(2026, 11, 23, 9, 0), author="S0004"), V,
         "report.activity", '"A000001"', "AS-1"),
    Case("contact-report-before-meeting",
         lambda a: a.add_contact_report("A000030", written_at=T(2026, 11, 17, 9, 0), author="S0006"), V,
         "report.written_at", "2026-11-17T09:00:00", "AS-1"),
    Case("contact-report-unknown-distribution-staff",
         lambda a: a.add_contact_report("A000030", written_at=T(2026, 11, 18, 9, 0), author="S0006",
                                        distribution_staff=["S0099"]), NF,
         "report.distribution_staff", '"S0099"', "AS-1"),
    Case("meeting-notice-issued-after-meeting",
         lambda a: a.add_meeting_notice(GH, author="S0004", issued_at=T(2026, 11, 25, 9, 0),
                                        meeting_at=T(2026, 11, 24, 9, 0)), V,
         "notice.issued_at", "2026-11-25T09:00:00", "AS-2"),
    Case("meeting-notice-without-time",
         lambda a: a.add_meeting_notice(GH, author="S0004", issued_at=T(2026, 11, 23, 9, 0), meeting_at=None), V,
         "notice.meeting_at", "none", "AS-2"),
    Case("status-report-weekly-not-monday",
         lambda a: a.submit_status_report(aecore.ReportKind.WEEKLY, author="S0005", period=D(2026, 11, 17),
                                          submitted_at=T(2026, 11, 23, 9, 0)), V,
         "status_report.period", "2026-11-17", "AS-3"),
    Case("status-report-submitted-before-period",
         lambda a: a.submit_status_report(aecore.ReportKind.MONTHLY, author="S0005", period=D(2026, 11, 1),
                                          submitted_at=T(2026, 10, 30, 9, 0)), V,
         "status_report.submitted_at", "2026-10-30T09:00:00", "AS-3"),
    # ------------------------------------------------------------------ marketing plans (MP-1..MP-8)
    Case("plan-approve-with-review-errors", lambda a: a.approve_plan("MP0005", contact="K01", at=T(2026, 11, 23, 10, 0)),
         ST, "plan.review", "MP0005", "MP-8"),
    Case("plan-edit-approved", lambda a: a.set_strategy("MP0002", positioning="cheaper"), ST, "plan.status",
         "ClientApproved", "MP-8"),
    Case("plan-approved-by-stranger", lambda a: a.approve_plan("MP0005", contact="K09", at=T(2026, 11, 23, 10, 0)), NF,
         "plan.approved_by", '"K09"', "MP-7"),
    Case("plan-unknown-brand",
         lambda a: a.create_plan(GH, "Golden Noodle", period_start=D(2027, 1, 1), period_end=D(2027, 12, 31),
                                 author="S0004", created_at=T(2026, 11, 23, 9, 0)), NF,
         "plan.brand", '"Golden Noodle"', "MP-1"),
    Case("plan-period-end-before-start",
         lambda a: a.create_plan(GH, "Harvest Gold", period_start=D(2027, 1, 1), period_end=D(2026, 12, 1),
                                 author="S0004", created_at=T(2026, 11, 23, 9, 0)), V,
         "plan.period_end", "2026-12-01", "MP-1"),
    Case("plan-unknown-id", lambda a: a.propose_plan("MP9999", actor="S0004", at=T(2026, 11, 23, 9, 0)), NF, "plan.id",
         '"MP9999"', "MP-1"),
    Case("objective-share-over-100",
         lambda a: a.add_objective("MP0006", aecore.ObjectiveKind.MARKET_SHARE, target="120",
                                   deadline=D(2027, 12, 31)), V,
         "objective.target", "120", "MP-6"),
    Case("objective-deadline-before-period",
         lambda a: a.add_objective("MP0006", aecore.ObjectiveKind.SALES_VOLUME, target="1000",
                                   deadline=D(2026, 6, 30)), V,
         "objective.deadline", "2026-06-30", "MP-6"),
    Case("objective-second-actual-same-day", lambda a: a.record_actual("MP0002", "O1", D(2026, 9, 30), "13.2"), V,
         "objective.actual_date", "2026-09-30", "MP-6"),
    Case("plan-coverage-over-100", lambda a: a.set_place("MP0006", coverage_percent="120"), V,
         "plan.place.coverage_percent", "120", "MP-4"),
    Case("plan-negative-promotion-budget", lambda a: a.set_promotion("MP0006", budget=cny("-1")), V,
         "plan.promotion.budget", "-1.00 CNY", "MP-5"),
    Case("plan-list-price-other-currency", lambda a: a.set_price("MP0006", list_price=aecore.Money("9.90", "USD")), V,
         "plan.price.list_price", "9.90 USD", "MB-1"),
    # ------------------------------------------------------------------ job tickets and time sheets (JT-1..JT-12)
    Case("job-inside-lead-time",
         lambda a: a.open_job(GH, "Harvest Gold", department=aecore.Department.PRODUCTION,
                              job_type=aecore.JobType.PRINT_AD, title="Shelf talker",
                              client_deadline=T(2026, 11, 25, 17, 0), issuer="S0004", opened_at=T(2026, 11, 23, 9, 0)),
         V, "job.client_deadline", "2026-11-25T17:00:00", "JT-6"),
    Case("job-deadline-on-holiday",
         lambda a: a.open_job(GH, "Harvest Gold", department=aecore.Department.PRODUCTION,
                              job_type=aecore.JobType.PRINT_AD, title="Shelf talker",
                              client_deadline=T(2026, 10, 1, 17, 0), issuer="S0004", opened_at=T(2026, 8, 3, 9, 0)),
         V, "job.client_deadline", "2026-10-01T17:00:00", "JT-7"),
    Case("job-department-issues-no-tickets",
         lambda a: a.open_job(GH, "Harvest Gold", department=aecore.Department.FINANCE, job_type=aecore.JobType.OTHER,
                              title="Budget", client_deadline=T(2027, 1, 29, 17, 0), issuer="S0004",
                              opened_at=T(2026, 11, 23, 9, 0)),
         V, "job.department", "Finance", "JT-1"),
    Case("job-lead-time-override-by-ae",
         lambda a: a.open_job(GH, "Harvest Gold", department=aecore.Department.PRODUCTION,
                              job_type=aecore.JobType.PRINT_AD, title="Shelf talker",
                              client_deadline=T(2026, 11, 25, 17, 0), issuer="S0004", opened_at=T(2026, 11, 23, 9, 0),
                              override_by="S0005", override_reason="rush"),
         V, "job.lead_time_override.approver", '"S0005"', "JT-6"),
    Case("job-unknown-number", lambda a: a.advance_job("CR-209901-99", S.APPROVED, actor="S0002", at=T(2026, 11, 23, 9, 0)),
         NF, "job.number", '"CR-209901-99"', "JT-1"),
    Case("job-invalid-transition",
         lambda a: a.advance_job("MD-202611-01", S.CLIENT_APPROVED, actor="S0006", at=T(2026, 11, 23, 9, 0)), ST,
         "job.status", "InProgress", "JT-8"),
    Case("job-close-without-client-approval",
         lambda a: a.advance_job("CR-202611-01", S.CLOSED, actor="S0004", at=T(2026, 11, 23, 9, 0)), ST, "job.status",
         "ClientReview", "JT-9"),
    Case("job-approved-by-ae",
         lambda a: a.advance_job("CR-202610-01-R1", S.APPROVED, actor="S0004", at=T(2026, 11, 23, 9, 0)), V,
         "job.actor", '"S0004"', "JT-8"),
    Case("job-transition-back-in-time",
         lambda a: a.advance_job("MD-202611-01", S.INTERNAL_REVIEW, actor="S0011", at=T(2026, 11, 1, 9, 0)), V,
         "job.at", "2026-11-01T09:00:00", "JT-8"),
    Case("job-cancel-without-reason",
         lambda a: a.advance_job("CR-202610-01-R1", S.CANCELLED, actor="S0004", at=T(2026, 11, 23, 9, 0), note="  "), V,
         "job.note", '"  "', "JT-8"),
    Case("job-creative-without-approved-plan",
         lambda a: a.advance_job("CR-202611-02", S.ISSUED, actor="S0006", at=T(2026, 11, 23, 9, 0)), ST, "job.brand",
         '"Panda"', "JT-5"),
    Case("job-brief-of-issued-ticket", lambda a: a.set_brief("MD-202611-01", aecore.Brief(objective="new")), ST,
         "job.status", "InProgress", "JT-4"),
    Case("job-revision-of-cancelled",
         lambda a: a.open_revision("RS-202611-01", title="Taste test v2", client_deadline=T(2027, 1, 29, 17, 0),
                                   issuer="S0007", opened_at=T(2026, 11, 23, 9, 0)), ST,
         "job.parent", '"RS-202611-01"', "JT-2"),
    Case("job-deadline-of-closed-ticket", lambda a: a.set_client_deadline("CR-202610-01", T(2026, 12, 18, 17, 0)), ST,
         "job.status", "Closed", "JT-7"),
    Case("time-over-24h-a-day",
         lambda a: a.log_time("CR-202611-01", staff="S0008", date=D(2026, 11, 18), hours="15",
                              recorded_at=T(2026, 11, 23, 9, 0)), V,
         "time.hours", "15", "JT-10"),
    Case("time-on-closed-ticket",
         lambda a: a.log_time("CR-202610-01", staff="S0004", date=D(2026, 11, 17), hours="1",
                              recorded_at=T(2026, 11, 23, 9, 0)), ST,
         "time.job", '"CR-202610-01"', "JT-10"),
    Case("time-approving-own", lambda a: a.approve_time("TE000002", approver="S0010", at=T(2026, 11, 23, 9, 0)), V,
         "time.approver", '"S0010"', "JT-10"),
    Case("time-approving-locked-entry",
         lambda a: a.approve_time("TE000001", approver="S0002", at=T(2026, 11, 23, 9, 0)), ST, "time.status",
         "Approved", "JT-10"),
    Case("time-date-before-ticket-opened",
         lambda a: a.log_time("CR-202611-01", staff="S0004", date=D(2026, 10, 30), hours="1",
                              recorded_at=T(2026, 11, 23, 9, 0)), V,
         "time.date", "2026-10-30", "JT-10"),
    Case("weekly-status-not-monday", lambda a: a.weekly_status(D(2026, 11, 17)), V, "week_start", "2026-11-17",
         "JT-11"),
    Case("delivery-metrics-reversed-range", lambda a: a.delivery_metrics(D(2026, 11, 30), D(2026, 11, 1)), V, "to",
         "2026-11-01", "JT-12"),
    # ------------------------------------------------------------------ estimates and the ledger (MB-2, MB-3)
    Case("payment-above-open-balance",
         lambda a: a.record_payment("SF-GH-202610", date=D(2026, 11, 23), amount="70000", recorded_by="S0004"), V,
         "payment.amount", "70000.00 CNY", "MB-3"),
    Case("payment-unknown-invoice",
         lambda a: a.record_payment("INV-2099-0001", date=D(2026, 11, 23), amount="1", recorded_by="S0004"), NF,
         "payment.invoice", '"INV-2099-0001"', "MB-3"),
    Case("media-booking-without-confirmation",
         lambda a: a.commit_cost("CR-202611-01", date=D(2026, 11, 20), amount="1000", reference="Dec TV slot",
                                 recorded_by="S0004", media_booking=True), V,
         "commitment.confirmation", "none", "MB-3"),
    Case("reversal-twice",
         lambda a: a.reverse_entry("L00000030", date=D(2026, 11, 23), reason="again", recorded_by="S0002"), ST,
         "reversal.entry", '"L00000030"', "MB-3"),
    Case("reversal-of-an-estimate",
         lambda a: a.reverse_entry("L00000015", date=D(2026, 11, 23), reason="wrong", recorded_by="S0002"), ST,
         "reversal.entry", '"L00000015"', "MB-2"),
    Case("reversal-of-time-cost",
         lambda a: a.reverse_entry("L00000001", date=D(2026, 11, 23), reason="wrong", recorded_by="S0002"), ST,
         "reversal.entry", '"L00000001"', "JT-10"),
    Case("reversal-before-entry-date",
         lambda a: a.reverse_entry("L00000029", date=D(2026, 11, 19), reason="wrong", recorded_by="S0002"), V,
         "reversal.date", "2026-11-19", "MB-3"),
    Case("invoice-number-reused",
         lambda a: a.issue_invoice("INV-2026-0412", job="CR-202610-01", date=D(2026, 11, 23), due=D(2026, 12, 23),
                                   amount="1000", recorded_by="S0004"), V,
         "invoice.number", '"INV-2026-0412"', "MB-3"),
    Case("credit-note-zero-amount",
         lambda a: a.issue_invoice("CN-2026-0008", client=NMOTOR, date=D(2026, 11, 23), due=D(2026, 11, 23),
                                   amount="0", recorded_by="S0006"), V,
         "invoice.amount", "0.00 CNY", "MB-3"),
    Case("credit-note-due-before-date",
         lambda a: a.issue_invoice("CN-2026-0008", client=NMOTOR, date=D(2026, 11, 23), due=D(2026, 11, 1),
                                   amount="-5000", recorded_by="S0006"), V,
         "invoice.due", "2026-11-01", "MB-3"),
    Case("invoice-other-currency",
         lambda a: a.issue_invoice("INV-2026-0999", client=GH, date=D(2026, 11, 23), due=D(2026, 12, 23),
                                   amount=aecore.Money("10", "USD"), recorded_by="S0004"), V,
         "invoice.amount", "10.00 USD", "MB-1"),
    Case("invoice-unknown-contract",
         lambda a: a.issue_invoice("SF-GH-202612", client=GH, contract="T09", date=D(2026, 12, 1), due=D(2026, 12, 31),
                                   amount="120000", recorded_by="S0004"), NF,
         "invoice.contract", '"T09"', "CL-7"),
    Case("cost-without-approved-estimate",
         lambda a: a.record_cost("MD-202611-01", date=D(2026, 11, 20), amount="1000", reference="Reach data",
                                 recorded_by="S0006"), ST,
         "cost.job", '"MD-202611-01"', "MB-2"),
    Case("cost-negative-amount",
         lambda a: a.record_cost("CR-202611-01", date=D(2026, 11, 20), amount="-5", reference="Refund",
                                 recorded_by="S0004"), V,
         "cost.amount", "-5.00 CNY", "MB-3"),
    Case("estimate-unknown-version",
         lambda a: a.approve_estimate("MD-202611-01", 5, contact="K01", at=T(2026, 11, 23, 9, 0)), NF,
         "estimate.version", "5", "MB-2"),
    Case("estimate-approved-by-stranger",
         lambda a: a.approve_estimate("MD-202611-01", 1, contact="K09", at=T(2026, 11, 23, 9, 0)), NF,
         "estimate.approved_by", '"K09"', "MB-2"),
    Case("estimate-on-cancelled-job",
         lambda a: a.prepare_estimate("RS-202611-01", amount="1000", prepared_by="S0007",
                                      prepared_at=T(2026, 11, 23, 9, 0)), ST,
         "estimate.job", '"RS-202611-01"', "MB-2"),
    # The ledger store's own 64-bit checks are reported under the posting's field, with the
    # amount as passed (they once said "amount = 9223372036854775807").
    Case("cost-job-total-overflow",
         lambda a: a.record_cost("CR-202610-01", date=D(2026, 11, 20), amount="92233720368547758.07",
                                 reference="Overflow", recorded_by="S0004"), V,
         "cost.amount", "92233720368547758.07 CNY", "MB-1"),
    # The one amount a reversal cannot negate (INT64_MIN minor units), likewise.
    Case("credit-note-unreversible-amount",
         lambda a: a.issue_invoice("CN-2026-0009", client=NMOTOR, date=D(2026, 11, 23), due=D(2026, 11, 23),
                                   amount="-92233720368547758.08", recorded_by="S0006"), V,
         "invoice.amount", "-92233720368547758.08 CNY", "MB-1"),
    Case("estimate-zero-amount",
         lambda a: a.prepare_estimate("MD-202611-01", amount="0", prepared_by="S0006", prepared_at=T(2026, 11, 23, 9, 0)),
         V, "estimate.amount", "0.00 CNY", "MB-2"),
    # ------------------------------------------------------------------ reconciliation, aging and reports (MB-4..MB-7)
    Case("reconcile-month-13", lambda a: a.reconcile(GH, month="2026-13"), V, "month", '"2026-13"', "MB-4"),
    Case("aging-dso-days-zero", lambda a: a.aging(D(2026, 11, 30), dso_days=0), V, "dso_days", "0", "MB-5"),
    Case("open-balance-unknown-invoice", lambda a: a.open_balance("INV-2099-0001"), NF, "invoice", '"INV-2099-0001"',
         "MB-3"),
    Case("profitability-reversed-range", lambda a: a.profitability(D(2026, 11, 30), D(2026, 1, 1)), V, "to",
         "2026-01-01", "MB-7"),
    Case("profitability-unknown-grouping", lambda a: a.profitability(D(2026, 1, 1), D(2026, 11, 30), by="region"), V,
         "by", '"region"', "MB-7"),
    Case("handover-unknown-contract", lambda a: a.handover_statement(GH, "T09"), NF, "contract", '"T09"', "CL-7"),
    Case("tiers-billings-unknown-client", lambda a: a.tiers(D(2026, 11, 30), billings={"GHFOOD": cny("1")}), NF,
         "billings", '"GHFOOD"', "CL-5"),
    # ------------------------------------------------------------------ evaluations (PE-1..PE-6)
    Case("score-zero", lambda a: a.get_evaluation("EV0003").score("analysis", 0), V, "score.score", "0", "PE-1"),
    Case("score-six", lambda a: a.get_evaluation("EV0001").score("attitude", 6), V, "score.score", "6", "PE-1"),
    Case("score-unknown-criterion", lambda a: a.get_evaluation("EV0003").score("charisma", 3), NF, "score.criterion",
         '"charisma"', "PE-1"),
    Case("evaluation-wrong-evaluator",
         lambda a: a.evaluate("S0004", evaluator="S0003", start=D(2027, 1, 1), created_at=T(2026, 11, 23, 9, 0)), V,
         "evaluation.evaluator", '"S0003"', "PE-3"),
    Case("evaluation-evaluatee-as-reviewer",
         lambda a: a.evaluate("S0006", evaluator="S0003", start=D(2027, 1, 1), created_at=T(2026, 11, 23, 9, 0),
                              reviewers=["S0006"]), V,
         "evaluation.reviewers", '"S0006"', "PE-3"),
    Case("evaluation-ad-hoc-without-end",
         lambda a: a.evaluate("S0006", evaluator="S0003", start=D(2027, 1, 1), created_at=T(2026, 11, 23, 9, 0),
                              period=aecore.EvaluationPeriod.AD_HOC), V,
         "evaluation.end", "none", "PE-3"),
    Case("evaluation-reviewed-by-non-reviewer",
         lambda a: a.get_evaluation("EV0001").advance(E.REVIEWED, actor="S0003", at=T(2026, 11, 23, 9, 0)), V,
         "evaluation.actor", '"S0003"', "PE-3"),
    Case("evaluation-finalize-incomplete",
         lambda a: a.get_evaluation("EV0003").advance(E.FINALIZED, actor="S0003", at=T(2026, 11, 23, 9, 0)), ST,
         "evaluation.scores", "3 missing", "PE-3"),
    Case("evaluation-edit-finalized", lambda a: a.get_evaluation("EV0002").score("attitude", 3), ST,
         "evaluation.status", "Finalized", "PE-3"),
    Case("evaluation-comments-control-char",
         lambda a: _assign(a.get_evaluation("EV0001"), "evaluatee_comments", "ok\x07"), V,
         "evaluation.evaluatee_comments", '"ok\\u0007"', "PE-3"),
    Case("rubric-weights-not-100",
         lambda a: a.add_rubric(aecore.Rubric("custom", "Custom", [
             aecore.Criterion("c1", "Area", "One", weights=[50, 50, 50, 50])])), V,
         "rubric.weights", "50.00 %", "PE-1"),
    Case("rubric-criterion-weight-over-100",
         lambda a: a.add_rubric(aecore.Rubric("custom", "Custom", [
             aecore.Criterion("c1", "Area", "One", weights=[150, 100, 100, 100])])), V,
         "criterion.weights", "150", "PE-1"),
    Case("rubric-duplicate-id", lambda a: a.add_rubric(a.get_rubric("5A")), V, "rubric.id", '"5A"', "PE-1"),
    Case("kpi-weights-not-one",
         lambda a: a.get_evaluation("EV0001").set_kpis([aecore.Kpi("billings", weight="0.5", achievement="1")]), V,
         "kpis.weights", "0.5", "PE-6"),
    Case("kpi-weight-over-one",
         lambda a: a.get_evaluation("EV0001").set_kpis([aecore.Kpi("billings", weight="1.5", achievement="1")]), V,
         "kpi.weight", "1.5", "PE-6"),
    # ------------------------------------------------------------------ persistence (PS-1, PS-2)
    # A syntax error has no JSON path or value: the field is the root "/" and the
    # message says why (the parser's own text, with the byte offset).
    Case("json-malformed", lambda a: aecore.Agency.from_json(a.to_json()[:-20]), SC, "/", "not valid JSON", "PS-1"),
    Case("json-wrong-schema-name",
         lambda a: aecore.Agency.from_json(mutated(a, _set(["schema"], "aecore.Other"))), SC, "/schema",
         '"aecore.Other"', "PS-1"),
    Case("json-newer-version", lambda a: aecore.Agency.from_json(mutated(a, _set(["version"], 99))), SC, "/version",
         "99", "PS-1"),
    Case("json-unknown-key", lambda a: aecore.Agency.from_json(mutated(a, _set(["agency", "motto"], "x"))), SC,
         "/agency/motto", '"x"', "PS-1"),
    Case("json-unknown-manager",
         lambda a: aecore.Agency.from_json(mutated(a, _set(["staff", 3, "manager"], "S9999"))), SC,
         "/staff/3/manager", '"S9999"', "PS-1"),
    Case("json-money-too-many-decimals",
         lambda a: aecore.Agency.from_json(mutated(a, _set(["clients", 0, "annual_budget", "amount"], "1.234"))), SC,
         "/clients/0/annual_budget/amount", '"1.234"', "PS-1"),
    Case("json-impossible-date",
         lambda a: aecore.Agency.from_json(mutated(a, _set(["calendar", "holidays", 0], "2026-02-30"))), SC,
         "/calendar/holidays/0", '"2026-02-30"', "PS-1"),
    Case("json-bad-enum",
         lambda a: aecore.Agency.from_json(mutated(a, _set(["staff", 0, "title"], "CEO"))), SC, "/staff/0/title",
         '"CEO"', "PS-1"),
    Case("json-payment-above-invoice",
         lambda a: aecore.Agency.from_json(mutated(a, _set(["ledger", 17, "amount"], "300000.00"))), SC,
         "/ledger/17/amount", '"300000.00"', "PS-1"),
    Case("load-missing-file", lambda a: aecore.Agency.load(MISSING_FILE), IO, "path", f'"{MISSING_FILE}"',
         "PS-1"),
    Case("save-into-missing-directory", lambda a: a.save(MISSING_FILE), IO, "path", f'"{MISSING_FILE}"',
         "PS-2"),
]


def test_catalog_size_and_distinct_checks() -> None:
    """At least 60 cases, unique ids, and no two cases checking the same (class, rule,
    field, value): the catalog is not one check in many variants."""
    assert len(CASES) >= 60
    assert len({c.id for c in CASES}) == len(CASES)
    checks = [(c.error, c.rule, c.field, c.value) for c in CASES]
    duplicates = {k for k in checks if checks.count(k) > 1}
    assert not duplicates, duplicates


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case) -> None:
    agency = prepared_sample()  # a fresh sample book for every case
    before = agency.to_json()
    snapshot = agency.copy()
    with pytest.raises(aecore.Error) as info:
        case.call(agency)
    err = info.value
    message = str(err)
    # Every check runs, so a library bug shows all that is wrong with it at once.
    problems = []
    if type(err) is not case.error:
        problems.append(f"raised {type(err).__name__}, expected {case.error.__name__}")
    if not isinstance(err, BUILTIN[case.error]):
        problems.append(f"is not a {BUILTIN[case.error].__name__}")
    if err.rule != case.rule:
        problems.append(f"rule {err.rule!r}, expected {case.rule!r}")
    if err.field != case.field:
        problems.append(f"field {err.field!r}, expected {case.field!r}")
    for part in (case.field, case.value, f"[{case.rule}]"):
        if part not in message:
            problems.append(f"the message does not contain {part!r}")
    if agency.to_json() != before or agency != snapshot:
        problems.append("the refused call changed the agency (no strong guarantee)")
    assert not problems, f"{message}\n  " + "\n  ".join(problems)
