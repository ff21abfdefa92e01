"""The aecore demo: a tour of the sample agency printed to the terminal."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from decimal import Decimal

import aecore


def _rule(title: str) -> None:
    print(f"\n== {title} " + "=" * max(0, 70 - len(title)))


def main() -> int:
    agency = aecore.sample_agency()
    print(f"aecore {aecore.__version__} — demo on the embedded sample agency")
    print(agency)

    _rule("Account staff (ST-1)")
    by_id = {s.id: s for s in agency.staff}
    for s in agency.staff:
        boss = by_id[s.manager].name if s.manager else "-"
        print(f"  {s.id}  {s.title.name:<3}  {s.department.name:<10} {s.name:<16} rate {s.hourly_rate.format():>12}   reports to {boss}")
    ad = agency.staff[0]
    print(f"  {ad.name} has {len(agency.direct_reports(ad.id))} direct reports")

    _rule("Exact money (MB-1)")
    a, b = aecore.Money("0.10", "CNY"), aecore.Money("0.20", "CNY")
    print(f"  {a} + {b} = {a + b}   (a float would give {0.1 + 0.2!r})")
    fee = aecore.Money("100000.00", "CNY")
    parts = fee.allocate([3, 3, 1])
    print(f"  {fee.format()} split 3:3:1 -> {', '.join(p.format() for p in parts)}  (sum {sum(parts)})")
    print(f"  agency commission 17.65% of {fee.format()} = {(fee * Decimal('0.1765')).format()}")
    print(f"  half-even rounding: CNY 0.05 x 0.5 = {aecore.Money('0.05', 'CNY') * Decimal('0.5')}")
    try:
        a + aecore.Money("1", "USD")
    except aecore.ValidationError as e:
        print(f"  mixing currencies raises: {e}")

    _rule("Business calendar (JT-7)")
    cal = agency.calendar
    print(f"  {cal}")
    deadline = dt.datetime(2026, 10, 12, 10, 0)
    print(f"  client deadline {deadline:%a %Y-%m-%d %H:%M} -> internal due {cal.subtract_half_business_day(deadline):%a %Y-%m-%d %H:%M}"
          "  (half a working day earlier, across the National Day holiday)")
    start = dt.date(2026, 9, 28)
    print(f"  20 business days (a TV commercial's lead time) after {start} is {cal.add_business_days(start, 20)}")
    print(f"  business days in October 2026: {cal.business_days_between(dt.date(2026, 9, 30), dt.date(2026, 10, 31))}")

    _rule("Clients (CL-1..CL-7) and tiers (CL-5)")
    as_of = dt.date(2026, 11, 23)
    codes = {c.short_name: c.code for c in agency.clients}
    tiers = {t.client: t for t in agency.tiers(as_of)}  # billings and overdue receivables from the ledger
    for c in agency.clients:
        t = tiers[c.code]
        follow = agency.next_follow_up(c.code, as_of)
        print(f"  {c.code:<24} {c.name:<22} {c.stage.name:<11} owner {c.owner}  tier {t.tier.name} "
              f"({t.share * 100:.2f}% of billings, visits: {t.visits.name.lower()}, "
              f"terms: {t.payment_terms.name.lower()}{' - late payer' if t.late_credit else ''})  "
              f"next follow-up {follow.isoformat() if follow else '-'}")

    _rule(f"Audit as of {as_of} (AS-4): what the account team is missing")
    report = agency.audit(as_of)
    print(f"  {report}")
    for f in report[:8]:
        print(f"  {f.severity.name:<7} {f.rule:<5} {f.subject:<24} {f.message}")
    if len(report) > 8:
        print(f"  ... and {len(report) - 8} more (report.to_dataframe() in a notebook)")

    _rule("4P marketing plans (MP-1..MP-8)")
    for plan in agency.plans:
        print(f"  {plan.id} v{plan.version} {plan.title:<18} {plan.brand:<13} {plan.status.name:<15} "
              f"{plan.period_start} - {plan.period_end}")
    harvest = agency.approved_plan(codes["GHFOOD"], "Harvest Gold", as_of)
    assert harvest is not None
    print(f"  strategy approved for Harvest Gold on {as_of}: {harvest.id} (version {harvest.version}, "
          f"approved by contact {harvest.approved_by} on {harvest.approved_at:%Y-%m-%d})")
    for o in harvest.objectives:
        progress = o.progress(as_of)
        print(f"    objective {o.id} {o.kind.name.lower()}: {o.baseline} -> {o.target}, "
              f"progress {'-' if progress is None else f'{progress:.0%}'}")
    launch = next(p for p in agency.plans if p.status == aecore.PlanStatus.PROPOSED)
    review = agency.review_plan(launch.id)
    print(f"  review of {launch.id} ({launch.title}): {len(review)} findings, approvable: {review.approvable}")
    for f in review:
        print(f"    {f.severity.name:<7} {f.rule:<6} {f.message}")
    try:
        agency.approve_plan(launch.id, contact="K01", at=dt.datetime(2026, 11, 23, 10, 0))
    except aecore.StateError as e:
        print(f"  approval refused: {str(e)[:110]}...")

    _rule("Job tickets and time sheets (JT-1..JT-12)")
    for job in agency.jobs:
        due = agency.internal_due(job.number)
        print(f"  {job.number:<16} {job.status.name:<15} {job.title:<34} client deadline {job.client_deadline:%m-%d %H:%M}"
              f"  internal due {due:%m-%d %H:%M}")
    tvc = agency.jobs[0]
    print(f"  {tvc.number} went " + " -> ".join(t.to_status.name.lower() for t in tvc.history)
          + f" ({tvc.revision_rounds} client change request)")
    week = agency.weekly_status(dt.date(2026, 11, 16))
    print(f"  weekly status for the week of {week.week_start}: {len(week.rows)} open tickets, "
          f"{sum(r.late for r in week.rows)} late, {week.opened} opened, {week.closed} closed")
    for row in week.rows:
        print(f"    {row.number:<16} {row.status.name:<14} {'LATE' if row.late else '':<5} {row.hours} h this week")
    try:
        agency.open_job(codes["GHFOOD"], "Harvest Gold", department=aecore.Department.CREATIVE,
                        job_type=aecore.JobType.TV_COMMERCIAL, title="Rush TVC", issuer="S0004",
                        opened_at=dt.datetime(2026, 11, 23, 9, 0), client_deadline=dt.datetime(2026, 11, 30, 17, 0))
    except aecore.ValidationError as e:
        print(f"  lead time (JT-6): {e}")

    _rule("Cost estimates and the ledger (MB-2, MB-3)")
    tvc_number = agency.jobs[0].number
    for e in agency.estimates(tvc_number):
        print(f"  estimate {e.id:<18} {e.amount.format():>16}  {e.status.name:<14} {e.note}")
    print(f"  the ledger holds {agency.ledger_size} entries; the TVC's:")
    for e in agency.ledger_entries(job=tvc_number):
        print(f"    {e.id} {e.date} {e.kind.name:<10} {e.amount.format():>16}  {e.reference}")
    pos = next(j.number for j in agency.jobs if j.title == "Green Tea shelf wobblers")
    agency.policy.overspend = aecore.OverspendPolicy.STOP
    try:
        agency.record_cost(pos, date=dt.date(2026, 11, 23), amount="9000", reference="Apex Print INV 0931",
                           recorded_by="S0005")
    except aecore.ValidationError as e:
        print(f"  overspend policy Stop: {e}")
    agency.policy.overspend = aecore.OverspendPolicy.WARN

    _rule("Monthly budget reconciliation (MB-4): Golden Harvest Foods, November 2026")
    rec = agency.reconcile(codes["GHFOOD"], month="2026-11")
    print(f"  {'job':<16} {'estimate':>14} {'committed':>14} {'actual':>14} {'billed':>14} {'collected':>14} "
          f"{'variance':>14} {'receivable':>14}")
    for row in [*rec.rows, rec.total]:
        label = row.job or ("Total" if row is rec.total else "(client level)")
        print(f"  {label:<16} " + " ".join(f"{v.amount:>14,}" for v in (
            row.estimate, row.to_date.committed, row.to_date.actual, row.to_date.billed, row.to_date.collected,
            row.variance, row.receivable)))
    print(f"  annual budget {rec.annual_budget.format()}, billed in 2026 {rec.year_billed.format()} "
          f"({rec.budget_used * 100:.2f}%), remaining {rec.budget_remaining.format()}")

    _rule(f"Receivables aging as of {as_of} (MB-5) and collections (MB-6)")
    aging = agency.aging(as_of)
    print(f"  {'client':<24} {'current':>12} {'1-30':>12} {'31-60':>12} {'61-90':>12} {'>90':>12} {'total':>12}  DSO")
    for r in [*aging.rows, aging.total]:
        b = r.buckets
        print(f"  {r.client or 'Total':<24} " + " ".join(f"{m.amount:>12,}" for m in (
            b.current, b.days_1_30, b.days_31_60, b.days_61_90, b.over_90, b.total)) + f"  {r.dso if r.dso is not None else '-'}")
    for c in agency.collections(as_of):
        print(f"  chase {c.invoice:<14} {c.days_past_due:>4} days past due, {c.open.format():>16} open -> {c.level.name} {c.owner}")
    for p in agency.profitability(dt.date(2026, 1, 1), as_of, by="client")[:3]:
        print(f"  profit (MB-7) {p.client:<24} billed {p.billed.format():>16}  profit {p.profit.format():>16}"
              f"  margin {'-' if p.margin is None else f'{p.margin:.1%}'}")
    hand = agency.handover_statement(codes["GHFOOD"], "T01")
    print(f"  hand-over (CL-7) {hand.client} {hand.contract} ending {hand.end}: fees due {hand.fees_due.format()}, "
          f"invoiced {hand.fees_invoiced.format()}, unpaid {hand.unpaid_fees.format()}")

    _rule("Performance evaluation (PE-1..PE-6)")
    rubric = agency.get_rubric("account-service")
    print(f"  {rubric}")
    for e in agency.evaluations:
        print(f"  {e.id} {e.evaluatee} ({e.title.name}) by {e.evaluator}, {e.period.name} {e.start}..{e.end}: "
              f"{e.status.name:<10} score {e.weighted_score or '-':<5} {e.rating.name.lower() if e.rating else ''}")
    wang = agency.evaluations[0]
    print(f"  {wang.id} evidence to {as_of} (PE-5; it informs, the scores stay human):")
    for item in wang.evidence(as_of=as_of):
        print(f"    {item.metric.name:<24} {str(item.value) if item.value is not None else '-':>8}  {item.detail}"
              f"  -> {', '.join(item.criteria)}")
    print(f"  KPI composite (PE-6): {wang.kpi_composite}")
    for c in agency.calibration("S0001", dt.date(2026, 1, 1), dt.date(2026, 12, 31)):
        print(f"  calibration: {c.evaluator} scored {c.count} evaluations, mean {c.mean}, spread {c.spread}")
    try:
        wang.score("training_juniors", 6)
    except aecore.ValidationError as e:
        print(f"  {e}")

    _rule("Policy (SPEC defaults, configurable)")
    print(f"  {agency.policy}")
    print("  lead times: " + ", ".join(f"{k.name} {v}d" for k, v in agency.policy.lead_times.items()))

    _rule("Errors name field, value and rule — and change nothing")
    before = agency.to_json()
    for attempt in (
        lambda: agency.add_staff("", aecore.Title.AE),
        lambda: agency.add_staff("New Hire", aecore.Title.AE, manager="S9999"),
        lambda: agency.update_staff(ad.id, manager=agency.staff[1].id),
    ):
        try:
            attempt()
        except aecore.Error as e:
            print(f"  {type(e).__name__}: {e}")
    print(f"  agency unchanged: {agency.to_json() == before}")

    _rule("Persistence (PS-1..3)")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "sunrise.json")
        agency.save(path)
        size = os.path.getsize(path)
        again = aecore.Agency.load(path)
        again.save(path)
        with open(path, encoding="utf-8") as fh:
            same = fh.read() == before
        print(f"  saved {size} bytes (schema {aecore.SCHEMA_NAME} v{aecore.SCHEMA_VERSION}); "
              f"reloaded equal: {again == agency}; re-saved byte-identical: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
