"""The analyst's tour notebook (examples/notebooks/agency_tour.ipynb) runs top to bottom on
a real ipykernel, headless, against the installed package: any cell error fails the suite.
The executed notebook is then checked for the tables and plots an analyst is meant to see."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import nbformat
import pytest
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "notebooks" / "agency_tour.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    workdir = tmp_path_factory.mktemp("tour")
    # The kernel is this interpreter (the test environment), started like Jupyter starts it.
    client = NotebookClient(nb, timeout=300, kernel_name=NATIVE_KERNEL_NAME,
                            resources={"metadata": {"path": str(workdir)}})
    client.execute()
    return nb


def _code_cells(nb: Any) -> list[Any]:
    return [c for c in nb.cells if c.cell_type == "code"]


def _outputs(cell: Any, kind: str) -> list[str]:
    out = []
    for o in cell.get("outputs", []):
        if o.output_type == "stream" and kind == "text/plain":
            out.append(o.text)
        elif o.output_type in ("execute_result", "display_data") and kind in o.data:
            out.append(o.data[kind])
    return out


def _cell(nb: Any, needle: str) -> Any:
    matches = [c for c in _code_cells(nb) if needle in c.source]
    assert len(matches) == 1, f"expected one cell containing {needle!r}"
    return matches[0]


def test_the_notebook_is_stored_without_outputs_and_runs_in_order() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in _code_cells(nb))
    assert len(_code_cells(nb)) >= 20


def test_every_cell_ran_without_error(executed: Any) -> None:
    cells = _code_cells(executed)
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1))
    for c in cells:
        assert not [o for o in c.outputs if o.output_type == "error"], c.source


def test_tables_render_as_html(executed: Any) -> None:
    # the cells whose last line shows an object: each renders as an HTML table in Jupyter
    shown = {c.source.splitlines()[-1]: c for c in _code_cells(executed)}
    for last_line in ("agency", "report", "month", "aging", "wang", "week", "frame", "chase", "tiers", "mix",
                      "agency.evaluations_frame()", "aging.to_dataframe()"):
        html = _outputs(shown[last_line], "text/html")
        assert html and "<table" in html[-1], f"no HTML table from the cell ending {last_line!r}"


def test_plots_are_real_images(executed: Any) -> None:
    for needle in ("mix.plot.bar", "month.plot()", "aging.plot()", "wang.plot()"):
        pngs = _outputs(_cell(executed, needle), "image/png")
        assert pngs, f"no figure from {needle}"
        data = base64.b64decode(pngs[0])
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_the_figures_the_tour_reports(executed: Any) -> None:
    # The exact reconciliation check ran inside the notebook (an assert); its result is shown.
    assert "Decimal('681520.00')" in _outputs(_cell(executed, "jobs_only = frame.drop"), "text/plain")[0]
    refused = "".join(_outputs(_cell(executed, "before = agency.to_json()"), "text/plain"))
    assert "ValidationError | score.score | 6 | PE-1" in refused
    saved = "".join(_outputs(_cell(executed, "agency.save(path)"), "text/plain"))
    assert "reloaded equal: True; same bytes: True" in saved
