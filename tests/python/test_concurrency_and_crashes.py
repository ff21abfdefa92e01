"""Issue #9: long operations release the GIL (other Python threads make progress while
they run in C++), concurrent readers of one agency agree with a single reader, and a save
killed at any moment leaves the file holding the old book or the new one, complete."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import aecore

AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def big() -> aecore.Agency:
    # large enough that each call below runs for tens of milliseconds
    return aecore.samples.synthetic(clients=300, jobs_per_client=10, entries=300_000, seed=7)


@pytest.fixture(scope="module")
def medium() -> aecore.Agency:
    # for the JSON paths (which serialise through a DOM today: about 10 MB/s)
    return aecore.samples.synthetic(clients=100, jobs_per_client=10, entries=30_000, seed=11)


def _ticks_during(call: object) -> tuple[int, float]:
    """Runs `call` in a thread; counts how often the main thread's Python loop ran meanwhile."""
    done = threading.Event()

    def worker() -> None:
        try:
            call()  # type: ignore[operator]
        finally:
            done.set()

    t = threading.Thread(target=worker)
    ticks = 0
    start = time.perf_counter()
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0)  # a Python-level step that needs the GIL
    elapsed = time.perf_counter() - start
    t.join()
    return ticks, elapsed


@pytest.mark.parametrize("operation", ["to_json", "from_json", "aging", "audit", "collections", "synthetic"])
def test_long_operations_release_the_gil(big: aecore.Agency, medium: aecore.Agency, operation: str) -> None:
    text = medium.to_json() if operation == "from_json" else ""
    calls = {
        "to_json": lambda: medium.to_json(),
        "from_json": lambda: aecore.Agency.from_json(text),
        "aging": lambda: [big.aging(AS_OF) for _ in range(20)],
        "audit": lambda: [big.audit_findings(AS_OF) for _ in range(5)],
        "collections": lambda: [big.collections(AS_OF) for _ in range(20)],
        "synthetic": lambda: aecore.samples.synthetic(clients=100, jobs_per_client=5, entries=200_000),
    }
    call = calls[operation]

    def for_a_while() -> None:  # long enough to tell, however fast the machine
        start = time.perf_counter()
        call()
        while time.perf_counter() - start < 0.05:
            call()

    ticks, elapsed = _ticks_during(for_a_while)
    # Holding the GIL for the whole call would allow only a handful of switches (the
    # interpreter's 5 ms switch interval between Python-level steps of the worker, and one
    # at each return to Python: a few dozen here).
    assert ticks > 200, f"{operation}: the main thread ran {ticks} times in {elapsed:.3f} s"


def test_concurrent_readers_see_what_one_reader_sees(big: aecore.Agency) -> None:
    expected = (repr(big.aging(AS_OF)), [repr(c) for c in big.collections(AS_OF)], len(big.audit_findings(AS_OF)))
    results: list[tuple[str, list[str], int]] = []
    errors: list[BaseException] = []

    def reader() -> None:
        try:
            for _ in range(3):
                results.append((repr(big.aging(AS_OF)), [repr(c) for c in big.collections(AS_OF)],
                                len(big.audit_findings(AS_OF))))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 12 and all(r == expected for r in results)


_CHILD = """
import sys, aecore
agency = aecore.Agency.from_json(open(sys.argv[1], encoding="utf-8").read())
print("ready", flush=True)
agency.save(sys.argv[2])
print("saved", flush=True)
"""


def test_a_save_killed_at_any_point_leaves_the_old_or_the_new_book(medium: aecore.Agency, tmp_path: Path) -> None:
    big = medium
    new_json = tmp_path / "new.json"
    big.save(new_json)
    new_bytes = new_json.read_bytes()
    old = aecore.sample_agency()
    target = tmp_path / "book.json"
    old.save(target)
    old_bytes = target.read_bytes()
    started = time.perf_counter()
    big.save(tmp_path / "timing.json")
    save_seconds = time.perf_counter() - started

    outcomes = []
    # kill points from "immediately" to past the time the save takes, and last once the
    # child says it has saved (not a guess of how long a fresh process takes on a busy machine)
    for fraction in (0.0, 0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1.0, 1.5, None):
        target.write_bytes(old_bytes)
        child = subprocess.Popen([sys.executable, "-c", _CHILD, str(new_json), str(target)],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        if fraction is None:
            assert child.stdout.readline().strip() == "saved"
        else:
            time.sleep(fraction * save_seconds)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
        child.stdout.close()
        content = target.read_bytes()
        when = "after the save" if fraction is None else f"at {fraction:.2f} of the save"
        assert content in (old_bytes, new_bytes), f"a kill {when} left a torn file"
        loaded = aecore.Agency.load(target)
        assert loaded.to_json().encode() == content.rstrip(b"\n") or loaded.to_json().encode() == content
        outcomes.append("new" if content == new_bytes else "old")
        for stray in tmp_path.glob(".book.json.tmp-*"):
            stray.unlink()  # a killed save may leave its temporary file; the book is never touched
    assert outcomes[0] == "old", "a kill right at the start must leave the old book"
    assert outcomes[-1] == "new", "a kill after the save must find the new book"
