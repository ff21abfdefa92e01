"""The sample book ships inside the package as JSON, is exactly what its builder makes, and
holds what the tour notebook promises an analyst."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import aecore
from aecore import samples

AS_OF = dt.date(2026, 11, 23)


def test_the_shipped_json_is_what_the_builder_makes_byte_for_byte() -> None:
    shipped = resources.files("aecore").joinpath("data", "demo.json").read_text(encoding="utf-8")
    built = samples.build("demo")
    assert shipped.rstrip("\n") == built.to_json().rstrip("\n"), \
        "the builder changed: refresh the shipped book with scripts/update_sample_book.py"
    assert samples.load("demo") == built == aecore.sample_agency()


def test_each_call_is_a_new_independent_agency() -> None:
    one, two = aecore.sample_agency(), aecore.sample_agency()
    assert one == two and one is not two
    one.add_staff("New Hire", aecore.Title.AAE, manager="S0002", hourly_rate=aecore.Money("150", "CNY"))
    assert len(one.staff) == len(two.staff) + 1


def test_unknown_sample_names_are_refused() -> None:
    assert samples.NAMES == ("demo",)
    for call in (samples.load, samples.build):
        with pytest.raises(aecore.NotFoundError) as ei:
            call("tiny")
        err = ei.value
        assert isinstance(err, KeyError)
        assert (err.rule, err.field, err.value) == ("PS-1", "sample", "'tiny'")
        assert "no such sample book; choose one of demo" in str(err)


def test_write_saves_every_sample(tmp_path: Path) -> None:
    paths = samples.write(tmp_path / "out")
    assert [p.name for p in paths] == ["demo.json"]
    assert aecore.Agency.load(paths[0]) == aecore.sample_agency()


def test_the_book_has_what_the_tour_needs() -> None:
    a = aecore.sample_agency()
    clients = [c for c in a.clients if not c.archived]
    assert len(clients) == 12
    assert len({c.city for c in clients}) == 9
    assert {t.tier for t in a.tiers(AS_OF)} == {aecore.Tier.A, aecore.Tier.B, aecore.Tier.C}
    assert {s.title for s in a.staff} == {aecore.Title.AAE, aecore.Title.AE, aecore.Title.AM, aecore.Title.AD}
    assert {p.status for p in a.plans} == {aecore.PlanStatus.DRAFT, aecore.PlanStatus.PROPOSED,
                                         aecore.PlanStatus.CLIENT_APPROVED, aecore.PlanStatus.SUPERSEDED}
    jobs = a.jobs_frame()
    assert (jobs["kind"] == "REVISION").sum() == 2
    assert jobs["opened_at"].min() < dt.datetime(2026, 9, 2) and jobs["opened_at"].max() > dt.datetime(2026, 11, 15)
    assert (jobs["revision_rounds"] > 0).sum() >= 2
    assert len(a.time_entries) >= 15
    ledger = a.ledger_frame()
    invoices = ledger[ledger["kind"] == "INVOICE"]
    assert (invoices["amount"] < 0).sum() == 1, "one credit note"
    paid = ledger[ledger["kind"] == "PAYMENT"].groupby("invoice")["amount"].sum()
    partly = [inv for inv in paid.index if Decimal(0) < a.open_balance(inv, AS_OF).amount]
    assert sorted(partly) == ["INV-2026-0219", "INV-2026-0429", "SF-GH-202610"]
    assert Counter(e.status for e in a.evaluations) == Counter(
        {aecore.EvaluationStatus.DISCUSSED: 1, aecore.EvaluationStatus.FINALIZED: 1, aecore.EvaluationStatus.DRAFT: 1})


def test_a_missing_extension_gives_a_clear_import_error(tmp_path: Path) -> None:
    # a copy of the installed package without its compiled part, as after a broken install
    # or a build for another Python (whose _core carries another ABI tag)
    pkg = Path(aecore.__file__).parent
    shutil.copytree(pkg, tmp_path / "aecore", ignore=shutil.ignore_patterns("_core*.so", "_core*.pyd", "__pycache__"))
    (tmp_path / "aecore" / "_core.cpython-39-x86_64-linux-gnu.so").write_bytes(b"not for this Python")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", "import aecore"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=60, check=False)
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: aecore's compiled extension aecore._core could not be imported")
    assert f"this is Python {sys.version_info.major}.{sys.version_info.minor} at {sys.executable}" in last
    assert "pip install ." in last


def _readme_block_after(marker: str) -> list[str]:
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = text.index("```text", text.index(marker)) + len("```text\n")
    return text[start:text.index("```", start)].rstrip("\n").splitlines()


def _lines(frame: Any) -> list[str]:
    return [line.rstrip() for line in frame.to_string().splitlines()]


def test_the_readme_tables_are_the_sample_books() -> None:
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", 50):
        a = aecore.sample_agency()
        month = a.reconcile("SH-202503-GHFOOD-001", month="2026-11").to_dataframe()
        columns = ["title", "estimate", "actual", "billed", "collected", "variance", "unbilled_wip", "receivable"]
        assert _readme_block_after("Golden Harvest's November reconciliation") == _lines(month[columns])
        aging = a.aging(AS_OF).to_dataframe()
        columns = ["current", "days_1_30", "days_31_60", "days_61_90", "over_90", "total", "dso"]
        assert _readme_block_after("Receivables aging by due date as of 2026-11-23") == _lines(aging[columns])
