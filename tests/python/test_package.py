"""The installed package: version, public names, typing files, the demo and examples."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import aecore

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = Path(aecore.__file__).resolve().parent


def _run_python(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120, env=env
    )


# ----------------------------------------------------------------- version and names


def test_version_matches_the_distribution() -> None:
    assert isinstance(aecore.__version__, str)
    assert aecore.__version__ == importlib.metadata.version("aecore")
    assert aecore._core.__version__ == aecore.__version__


def test_version_matches_pyproject() -> None:
    text = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'(?m)^version\s*=\s*"([^"]+)"', text)
    assert match is not None
    assert aecore.__version__ == match.group(1)


def test_all_names_exist() -> None:
    assert len(aecore.__all__) == len(set(aecore.__all__))
    missing = [name for name in aecore.__all__ if not hasattr(aecore, name)]
    assert missing == []


def test_dir_is_the_sorted_public_api() -> None:
    assert dir(aecore) == sorted(aecore.__all__)


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from aecore import *", namespace)
    assert {n for n in namespace if n != "__builtins__"} == set(aecore.__all__)


def test_public_api_contents() -> None:
    expected = {
        "Agency",
        "BusinessCalendar",
        "Department",
        "Error",
        "IoError",
        "JobType",
        "Money",
        "NotFoundError",
        "OverspendPolicy",
        "Policy",
        "SchemaError",
        "Staff",
        "StateError",
        "Title",
        "ValidationError",
        "Weekday",
        "currencies",
        "department_code",
        "sample_agency",
        "title_rank",
        "SCHEMA_NAME",
        "SCHEMA_VERSION",
        "__version__",
    }
    assert expected <= set(aecore.__all__)
    # Cost estimates, the ledger and the money reports (issue #6).
    ledger = {
        "AgingBasis", "AgingBuckets", "AgingReport", "AgingRow", "CollectionItem", "CostEstimate", "CreditStatus",
        "EntryKind", "Escalation", "EstimateStatus", "HandoverStatement", "LedgerEntry", "LedgerFlows", "OpenItem",
        "Profitability", "ReconciliationReport", "ReconciliationRow",
    }
    assert ledger <= set(aecore.__all__)
    assert all(getattr(aecore, name) is getattr(aecore._core, name) for name in ledger)
    # Performance evaluation (issue #7).
    evaluation = {
        "CalibrationRow", "Criterion", "CriterionScore", "Evaluation", "EvaluationPeriod", "EvaluationStatus",
        "EvaluationStep", "EvidenceItem", "EvidenceMetric", "Kpi", "Rating", "Rubric", "TeamEvaluationRow",
        "builtin_rubrics", "kpi_composite",
    }
    assert evaluation <= set(aecore.__all__)
    assert all(getattr(aecore, name) is getattr(aecore._core, name) for name in evaluation)


# ----------------------------------------------------------------- typing files


@pytest.mark.parametrize("name", ["py.typed", "_core.pyi"])
def test_typing_files_ship_in_the_installed_package(name: str) -> None:
    assert (PACKAGE_DIR / name).is_file(), f"{name} is missing from {PACKAGE_DIR}"
    recorded = {Path(str(f)).as_posix() for f in importlib.metadata.files("aecore") or []}
    assert f"aecore/{name}" in recorded, f"{name} is not in the wheel's RECORD"


def test_stub_is_valid_python() -> None:
    import ast

    tree = ast.parse((PACKAGE_DIR / "_core.pyi").read_text(encoding="utf-8"))
    names = {node.name for node in tree.body if isinstance(node, (ast.ClassDef, ast.FunctionDef))}
    assert {"Money", "Agency", "BusinessCalendar", "Policy", "Staff"} <= names


# ----------------------------------------------------------------- the demo and the examples


def test_demo_runs(tmp_path: Path) -> None:
    proc = _run_python(["-m", "aecore"], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "re-saved byte-identical: True" in out
    assert "agency unchanged: True" in out
    assert "reloaded equal: True" in out
    assert f"aecore {aecore.__version__}" in out
    assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []  # the demo cleans up after itself


def test_quickstart_example_runs(tmp_path: Path) -> None:
    script = REPO_ROOT / "examples" / "python" / "quickstart.py"
    assert script.is_file()
    proc = _run_python([str(script)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
    assert "Traceback" not in proc.stderr


def test_readme_python_example_runs(tmp_path: Path) -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert blocks, "README.md has no python example"
    script = tmp_path / "readme_example.py"
    script.write_text("\n\n".join(blocks), encoding="utf-8")
    proc = _run_python([str(script)], cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "ST-1 staff.manager" in proc.stdout
    assert (tmp_path / "sunrise.json").is_file()
