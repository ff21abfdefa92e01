"""Month-end for the account team, as a script: reconcile every active client's month,
age the receivables, list the invoices to chase and export the tables as CSV.

Run with the project's environment:  .venv/bin/python examples/python/month_end.py [OUT_DIR]
"""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd

import aecore

AS_OF = dt.date(2026, 11, 30)


def reconcile_month(agency: aecore.Agency, month: dt.date) -> pd.DataFrame:
    """One row per client with ledger activity: the month's billed and collected figures
    and the year-to-date actual cost against the annual budget."""
    rows: list[dict[str, object]] = []
    for client in agency.clients:
        if client.archived:
            continue
        report = agency.reconcile(client.code, month=month)
        total = report.total
        if total.to_date.billed.is_zero() and total.to_date.actual.is_zero():
            continue
        rows.append({
            "client": client.code,
            "name": client.name,
            "billed_in_month": total.month.billed.amount,
            "collected_in_month": total.month.collected.amount,
            "actual_ytd": total.ytd.actual.amount,
            "annual_budget": report.annual_budget.amount if report.annual_budget else None,
            "receivable": total.receivable.amount,
        })
    return pd.DataFrame(rows).set_index("client")


def main(out_dir: Path) -> None:
    agency = aecore.sample_agency()
    month = reconcile_month(agency, AS_OF.replace(day=1))
    aging = agency.aging(AS_OF).to_dataframe()
    chase = [c for c in agency.collections(AS_OF) if c.level is not aecore.Escalation.AE]

    print(f"{agency.name}: month-end {AS_OF:%B %Y}")
    print(month.to_string())
    print()
    print(aging.to_string())
    print()
    receivable: Decimal = sum((c.open.amount for c in agency.collections(AS_OF)), Decimal(0))
    print(f"{len(chase)} invoices escalated past the AE; overdue in all: {receivable:,.2f} {agency.currency}")
    for item in chase:
        print(f"  {item.invoice:<14} {item.days_past_due:>4} days  {item.open.format():>16}  -> {item.level.name} {item.owner}")

    out_dir.mkdir(parents=True, exist_ok=True)
    month.to_csv(out_dir / "reconciliation.csv")
    aging.to_csv(out_dir / "aging.csv")
    print(f"wrote {out_dir / 'reconciliation.csv'} and {out_dir / 'aging.csv'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("month-end"))
