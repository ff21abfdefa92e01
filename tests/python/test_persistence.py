"""Persistence (PS-1..PS-3): one deterministic JSON document, validated on load with
the JSON path of any bad value, and atomic saves."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pytest

import aecore
from aecore import Money, Title

AD_ID, AM_ID, AE1_ID, AE2_ID = "S0001", "S0002", "S0003", "S0004"  # the `agency` fixture


def customised(agency: aecore.Agency) -> aecore.Agency:
    """The small agency with every section moved away from its defaults."""
    agency.policy.overspend = aecore.OverspendPolicy.STOP
    agency.policy.tier_shares = ("0.6", "0.85")
    agency.policy.set_lead_time_days(aecore.JobType.PRINT_AD, 8)
    agency.calendar.holidays = [dt.date(2026, 10, d) for d in (1, 2, 5, 6, 7)]
    agency.calendar.working_weekend_days = [dt.date(2026, 10, 10)]
    agency.calendar.working_hours = (dt.time(8, 30), dt.time(17, 30))
    agency.add_staff("Zhao Qiang 赵强", Title.AAE, manager=AM_ID, hourly_rate=Money("160.25", "CNY"), id="zq")
    agency.update_staff(AE2_ID, active=False)
    return agency


# ----------------------------------------------------------------- round trips


def test_to_json_from_json_round_trip_is_byte_identical(agency: aecore.Agency, sample: aecore.Agency) -> None:
    for original in (agency, sample, customised(aecore.Agency.from_json(agency.to_json())), aecore.Agency()):
        text = original.to_json()
        back = aecore.Agency.from_json(text)
        assert back == original
        assert back.to_json() == text


def test_document_header(agency: aecore.Agency) -> None:
    doc = json.loads(agency.to_json())
    assert doc["schema"] == aecore.SCHEMA_NAME == "aecore.Agency"
    assert doc["version"] == aecore.SCHEMA_VERSION == 6
    assert list(doc) == [
        "schema", "version", "agency", "policy", "calendar", "staff", "clients", "activities",
        "contact_reports", "meeting_notices", "status_reports", "plans", "jobs", "time_entries", "estimates", "ledger",
        "rubrics", "evaluations", "sequences",
    ]
    assert (doc["estimates"], doc["ledger"], doc["evaluations"]) == ([], [], [])
    # PE-2 (v6): every book carries the built-in rubrics; evaluations are numbered from EV0001.
    assert [r["id"] for r in doc["rubrics"]] == ["account-service", "5A"]
    assert list(doc["sequences"])[-1] == "evaluations" and doc["sequences"]["evaluations"] == 1
    assert doc["agency"] == {"name": "Sunrise Advertising", "home_city": "SH", "currency": "CNY"}
    assert doc["staff"][3]["hourly_rate"] == {"amount": "255.50", "currency": "CNY"}


def test_text_is_readable_utf8(sample: aecore.Agency) -> None:
    text = sample.to_json()
    assert "Chen Jing 陈静" in text
    assert "\\u" not in text
    assert text.endswith("}\n")


@pytest.mark.parametrize("as_type", [str, Path], ids=["str", "pathlib"])
def test_save_and_load(agency: aecore.Agency, tmp_path: Path, as_type) -> None:
    customised(agency)
    path = tmp_path / "sunrise.json"
    agency.save(as_type(path))
    assert path.read_text(encoding="utf-8") == agency.to_json()
    loaded = aecore.Agency.load(as_type(path))
    assert loaded == agency
    assert loaded.to_json() == agency.to_json()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sunrise.json"]  # no temporary files left


def test_load_then_save_is_byte_identical(sample: aecore.Agency, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    sample.save(first)
    aecore.Agency.load(first).save(second)
    assert first.read_bytes() == second.read_bytes()


def test_a_book_past_64_mib_saves_every_byte_and_loads_back(tmp_path: Path) -> None:
    # Past 64 MiB a save writes whole blocks with O_DIRECT and the last part block through
    # the page cache: the file is still exactly to_json(), and loads into the same book.
    book = aecore.samples.synthetic(clients=200, jobs_per_client=10, entries=260_000, seed=3)
    text = book.to_json().encode("utf-8")
    assert len(text) > (64 << 20) + (4 << 20)  # some blocks go directly, and a last part block
    path = tmp_path / "big.json"
    book.save(path)
    assert path.stat().st_size == len(text)
    assert path.read_bytes() == text
    again = tmp_path / "again.json"
    aecore.Agency.load(path).save(again)
    assert again.read_bytes() == text


def test_save_replaces_an_existing_file_and_keeps_its_permissions(agency: aecore.Agency, json_path: Path) -> None:
    aecore.sample_agency().save(json_path)
    os.chmod(json_path, 0o640)
    agency.save(json_path)
    assert json_path.read_text(encoding="utf-8") == agency.to_json()
    assert stat.S_IMODE(json_path.stat().st_mode) == 0o640


def test_loaded_agency_continues_its_id_sequence(agency: aecore.Agency, json_path: Path) -> None:
    agency.add_staff("Temp", Title.AE, id="S0005")
    agency.save(json_path)
    loaded = aecore.Agency.load(json_path)
    assert loaded.add_staff("Next", Title.AE).id == agency.add_staff("Next", Title.AE).id == "S0006"


# ----------------------------------------------------------------- I/O errors


def test_load_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(aecore.IoError) as ei:
        aecore.Agency.load(missing)
    assert isinstance(ei.value, OSError)
    assert ei.value.field == "path"
    assert "cannot open" in ei.value.detail
    assert "[PS-1]" in str(ei.value)


def test_io_error_names_the_whole_path(agency: aecore.Agency, tmp_path: Path) -> None:
    # The file name is the most useful part of the message: it must not be cut off,
    # however deep the directory is.
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    missing = deep / "client-book-2026.json"
    with pytest.raises(aecore.IoError) as ei:
        aecore.Agency.load(missing)
    assert str(missing) in ei.value.value
    assert str(missing) in str(ei.value)
    with pytest.raises(aecore.IoError) as ei:
        agency.save(deep / "no-such-dir" / "client-book-2026.json")
    assert "client-book-2026.json" in str(ei.value)


def test_load_a_directory(tmp_path: Path) -> None:
    with pytest.raises(aecore.IoError):
        aecore.Agency.load(tmp_path)


def test_load_invalid_file_is_a_schema_error(json_path: Path) -> None:
    json_path.write_text('{"schema": "aecore.Agency", "version": 99}', encoding="utf-8")
    with pytest.raises(aecore.SchemaError) as ei:
        aecore.Agency.load(json_path)
    assert ei.value.field == "/version"


def test_failed_save_into_a_missing_directory(agency: aecore.Agency, tmp_path: Path) -> None:
    target = tmp_path / "no-such-dir" / "agency.json"
    with pytest.raises(aecore.IoError) as ei:
        agency.save(target)
    assert isinstance(ei.value, OSError)
    assert ei.value.rule == "PS-2"
    assert "no-such-dir" in str(ei.value)
    assert list(tmp_path.iterdir()) == []


def test_failed_save_onto_a_directory(agency: aecore.Agency, tmp_path: Path) -> None:
    target = tmp_path / "book"
    target.mkdir()
    (target / "inside.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(aecore.IoError) as ei:
        agency.save(target)
    assert ei.value.rule == "PS-2"
    assert target.is_dir()
    assert (target / "inside.txt").read_text(encoding="utf-8") == "keep me"
    leftovers = [p.name for p in tmp_path.rglob("*") if ".tmp-" in p.name]
    assert leftovers == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book"]


def test_save_to_an_empty_path(agency: aecore.Agency) -> None:
    with pytest.raises(aecore.IoError):
        agency.save("")


_SAVE_UNDER_A_FILE_SIZE_LIMIT = textwrap.dedent(
    """
    import resource, signal, sys
    import aecore

    path = sys.argv[1]
    agency = aecore.sample_agency()
    # Writes past 200 bytes fail with EFBIG instead of killing the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))
    try:
        agency.save(path)
    except aecore.IoError as e:
        print("IoError:", e)
        sys.exit(0)
    except BaseException as e:
        print("unexpected:", type(e).__name__, e)
        sys.exit(2)
    print("the save succeeded")
    sys.exit(1)
    """
)


def test_failed_write_leaves_the_old_file_intact(agency: aecore.Agency, tmp_path: Path) -> None:
    target = tmp_path / "book.json"
    agency.save(target)  # a different agency, written earlier
    before = target.read_bytes()
    assert len(aecore.sample_agency().to_json()) > 200

    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run(
        [sys.executable, "-c", _SAVE_UNDER_A_FILE_SIZE_LIMIT, str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "[PS-2]" in proc.stdout

    assert target.read_bytes() == before
    assert aecore.Agency.load(target) == agency
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.json"]  # the temporary file is gone


# ----------------------------------------------------------------- schema errors (PS-1)


def _mutated(agency: aecore.Agency, change: Callable[[dict[str, Any]], None]) -> str:
    doc = json.loads(agency.to_json())
    change(doc)
    return json.dumps(doc, ensure_ascii=False, indent=2)


def _set(*path_and_value: Any) -> Callable[[dict[str, Any]], None]:
    *path, value = path_and_value

    def change(doc: dict[str, Any]) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


def _delete(*path: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return change


SCHEMA_CASES = [
    # (id, change to the document, JSON paths the error may name)
    ("wrong-schema", _set("schema", "aecore.Client"), ["/schema"]),
    ("missing-schema", _delete("schema"), ["/", "/schema"]),
    ("version-newer", _set("version", aecore.SCHEMA_VERSION + 1), ["/version"]),
    ("version-0", _set("version", 0), ["/version"]),
    ("version-negative", _set("version", -1), ["/version"]),
    ("version-string", _set("version", "1"), ["/version"]),
    ("version-fraction", _set("version", 1.5), ["/version"]),
    ("unknown-top-key", _set("comment", "hi"), ["/comment"]),
    ("unknown-staff-key", _set("staff", 0, "nickname", "CJ"), ["/staff/0/nickname"]),
    ("unknown-policy-key", _set("policy", "max_hours", 8), ["/policy/max_hours"]),
    ("bad-title", _set("staff", 0, "title", "CEO"), ["/staff/0/title"]),
    ("lower-case-title", _set("staff", 0, "title", "ad"), ["/staff/0/title"]),
    ("bad-department", _set("staff", 0, "department", "Sales"), ["/staff/0/department"]),
    ("amount-too-precise", _set("staff", 1, "hourly_rate", "amount", "1.005"), ["/staff/1/hourly_rate/amount"]),
    ("amount-not-a-number", _set("staff", 1, "hourly_rate", "amount", "abc"), ["/staff/1/hourly_rate/amount"]),
    ("amount-is-a-number", _set("staff", 1, "hourly_rate", "amount", 420), ["/staff/1/hourly_rate/amount"]),
    ("unknown-currency", _set("staff", 1, "hourly_rate", "currency", "XYZ"), ["/staff/1/hourly_rate/currency"]),
    ("impossible-holiday", _set("calendar", "holidays", ["2026-02-30"]), ["/calendar/holidays/0"]),
    ("slashed-holiday", _set("calendar", "holidays", ["2026-01-01", "2026/05/01"]), ["/calendar/holidays/1"]),
    ("unsorted-holidays", _set("calendar", "holidays", ["2026-05-01", "2026-01-01"]), ["/calendar/holidays/1"]),
    ("bad-weekday", _set("calendar", "weekend", ["Saturday"]), ["/calendar/weekend/0"]),
    ("bad-working-hours", _set("calendar", "working_hours", "start", "9:00"), ["/calendar/working_hours/start"]),
    ("bad-overspend", _set("policy", "overspend", "Never"), ["/policy/overspend"]),
    ("tier-shares-order", _set("policy", "tier_shares", {"A": "0.9", "B": "0.8"}), ["/policy/tier_shares"]),
    ("rating-band-count", _set("policy", "rating_bands", ["2.0", "3.0"]), ["/policy/rating_bands"]),
    ("active-not-bool", _set("staff", 0, "active", "yes"), ["/staff/0/active"]),
    ("duplicate-id", _set("staff", 1, "id", AD_ID), ["/staff/1/id"]),
    ("reporting-cycle", _set("staff", 0, "manager", AE1_ID), ["/staff/0/manager"]),
    ("padded-name", _set("staff", 0, "name", " Chen Jing"), ["/staff/0/name"]),
    ("staff-not-a-list", _set("staff", {}), ["/staff"]),
    ("bad-sequence", _set("sequences", "staff", 0), ["/sequences/staff"]),
    # The path of the offending value itself, not only of the record that holds it:
    ("bad-home-city", _set("agency", "home_city", "sh"), ["/agency/home_city"]),
    ("unknown-manager", _set("staff", 1, "manager", "S9999"), ["/staff/1/manager"]),
    (
        "rate-in-a-foreign-currency",
        _set("staff", 1, "hourly_rate", {"amount": "420.00", "currency": "USD"}),
        ["/staff/1/hourly_rate", "/staff/1/hourly_rate/currency"],
    ),
]


@pytest.mark.parametrize(("change", "paths"), [c[1:] for c in SCHEMA_CASES], ids=[c[0] for c in SCHEMA_CASES])
def test_schema_error_names_the_json_path(agency: aecore.Agency, change, paths: list[str]) -> None:
    text = _mutated(agency, change)
    with pytest.raises(aecore.SchemaError) as ei:
        aecore.Agency.from_json(text)
    e = ei.value
    assert isinstance(e, ValueError)
    assert e.field in paths, f"{e.field!r} is not one of {paths}: {e}"
    assert str(e).startswith(e.field)
    assert "[PS-1]" in str(e)


@pytest.mark.parametrize("text", ["", "{nope", "not json", '{"schema": "aecore.Agency",}', "[]", "null", '"aecore.Agency"'])
def test_not_an_agency_document(text: str) -> None:
    with pytest.raises(aecore.SchemaError) as ei:
        aecore.Agency.from_json(text)
    assert ei.value.field == "/"
    assert ei.value.rule == "PS-1"


def test_schema_error_keeps_the_domain_rule(agency: aecore.Agency) -> None:
    text = _mutated(agency, _set("staff", 1, "hourly_rate", "amount", "1.005"))
    with pytest.raises(aecore.SchemaError) as ei:
        aecore.Agency.from_json(text)
    assert "[MB-1]" in str(ei.value)


# ----------------------------------------------------------------- determinism (PS-3)


def test_sample_agency_is_deterministic() -> None:
    first, second = aecore.sample_agency(), aecore.sample_agency()
    assert first is not second
    assert first.to_json() == second.to_json()
    assert first.to_json() == first.to_json()


def test_output_does_not_depend_on_insertion_order() -> None:
    holidays = [dt.date(2026, 1, 1), dt.date(2026, 5, 1), dt.date(2026, 10, 1)]
    a, b = aecore.Agency(), aecore.Agency()
    a.calendar.holidays = holidays
    for day in reversed(holidays):
        b.calendar.add_holiday(day)
    a.calendar.weekend = [aecore.Weekday.SAT, aecore.Weekday.SUN]
    b.calendar.weekend = [aecore.Weekday.SUN, aecore.Weekday.SAT]
    assert a.to_json() == b.to_json()


@pytest.mark.parametrize("version", range(1, aecore.SCHEMA_VERSION))
def test_golden_files_of_older_versions_still_load_and_save_as_the_current_version(data_dir: Path, version: int) -> None:
    golden = data_dir / f"agency_v{version}.json"
    old = json.loads(golden.read_text(encoding="utf-8"))
    assert old["version"] == version
    agency = aecore.Agency.load(golden)
    saved = json.loads(agency.to_json())
    assert saved["version"] == aecore.SCHEMA_VERSION
    # Every section the old version had survives the upgrade unchanged; newer ones are empty.
    for key in old:
        if key in ("version", "sequences"):
            continue
        assert saved[key] == old[key], key
    for key, value in old["sequences"].items():
        assert saved["sequences"][key] == value, key
    for key in set(saved) - set(old) - {"ledger", "rubrics"}:
        assert saved[key] == [], key
    # PE-2 (v6): the upgrade adds the built-in rubrics, and evaluations start at EV0001.
    assert saved["rubrics"] == json.loads(aecore.Agency().to_json())["rubrics"]
    assert [r.id for r in agency.rubrics] == ["account-service", "5A"]
    assert agency.rubrics == aecore.builtin_rubrics()
    assert saved["sequences"]["evaluations"] == 1
    if version >= 5:
        return  # the ledger was already in the document (compared above)
    # MB-3 (v5): approved time carries its cost into the ledger, so the upgrade posts one
    # ActualCost per approved (or billed) time entry with a cost, in time-entry order.
    client_of = {j["number"]: j["client"] for j in old.get("jobs", [])}
    carried = [t for t in old.get("time_entries", []) if t["status"] != "Submitted" and Decimal(t["cost"]["amount"])]
    assert saved["ledger"] == [
        {"id": f"L{i:08d}", "kind": "ActualCost", "date": t["date"], "client": client_of[t["job"]], "job": t["job"],
         "amount": t["cost"]["amount"], "reference": t["id"], "recorded_by": t["approved_by"], "time_entry": t["id"]}
        for i, t in enumerate(carried, start=1)
    ]
    if version == 4:
        assert len(saved["ledger"]) == 2  # TE000001 and TE000004 are approved; the others wait
    for entry in agency.ledger_entries():
        assert agency.get_time_entry(entry.time_entry).cost == entry.amount


def test_golden_current_file_load_save_is_byte_identical(data_dir: Path, tmp_path: Path) -> None:
    golden = data_dir / f"agency_v{aecore.SCHEMA_VERSION}.json"
    original = golden.read_bytes()
    text = original.decode("utf-8")
    assert json.loads(text)["version"] == aecore.SCHEMA_VERSION

    agency = aecore.Agency.load(golden)
    assert agency.to_json() == text
    assert aecore.Agency.from_json(text) == agency

    out = tmp_path / golden.name
    agency.save(out)
    assert out.read_bytes() == original
