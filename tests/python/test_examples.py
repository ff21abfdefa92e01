"""The Python examples run, print what they promise, and type-check under mypy --strict
against the package's stubs (an analyst's editor sees the same types)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
from mypy import api as mypy_api

import aecore

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "python"


def run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_examples_pass_mypy_strict() -> None:
    stdout, stderr, status = mypy_api.run(["--strict", "--no-incremental", "--cache-dir=/dev/null", str(EXAMPLES)])
    assert status == 0, stdout + stderr
    assert "Success: no issues found in" in stdout


def test_mypy_strict_catches_a_misuse_of_the_api(tmp_path: Path) -> None:
    # the stubs are precise enough to reject wrong argument types (not Any everywhere)
    bad = tmp_path / "bad.py"
    bad.write_text("import aecore\n"
                   "a = aecore.sample_agency()\n"
                   "a.aging('2026-11-30')\n"
                   "m: aecore.Money = a.reconcile('X', month='2026-11').total\n", encoding="utf-8")
    stdout, _, status = mypy_api.run(["--strict", "--no-incremental", "--cache-dir=/dev/null", str(bad)])
    assert status == 1
    assert 'bad.py:3: error: Argument 1 to "aging" of "Agency" has incompatible type "str"' in stdout
    assert "bad.py:4: error: Incompatible types in assignment" in stdout


def test_quickstart_runs() -> None:
    out = run("quickstart.py")
    assert "reloaded equal: True" in out
    assert "retainer split 50/30/20" in out


def test_month_end_reconciles_ages_and_exports(tmp_path: Path) -> None:
    out = run("month_end.py", str(tmp_path))
    assert out.startswith("Sunrise Advertising (Shanghai): month-end November 2026")
    month = pd.read_csv(tmp_path / "reconciliation.csv", index_col="client", dtype=str)
    aging = pd.read_csv(tmp_path / "aging.csv", index_col="client", dtype=str)
    agency = aecore.sample_agency()
    # the exported figures are the library's, to the fen
    golden = agency.reconcile("SH-202503-GHFOOD-001", month="2026-11").total
    assert month.loc["SH-202503-GHFOOD-001", "billed_in_month"] == str(golden.month.billed.amount)
    report = agency.aging(dt.date(2026, 11, 30))
    assert aging.loc["Total", "total"] == str(report.total.buckets.total.amount)
    chased = [c for c in agency.collections(dt.date(2026, 11, 30))
              if c.level is not aecore.Escalation.AE]
    assert f"{len(chased)} invoices escalated past the AE" in out
    for item in chased:
        assert item.invoice in out
