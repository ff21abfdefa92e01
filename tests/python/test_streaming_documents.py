"""The streamed reader and writer of a book (split_top_level, LazyDocument, EntryScanner,
LedgerWriter, ChunkWriter, MappedFile) behave exactly as one whole-document parse read by
the general reader would: the same books accepted, the same text written, the same error
for a document with one error - and never a crash.

The reference for "the general reader" is the same document with a UTF-8 BOM in front:
nlohmann skips the BOM, but the top-level cutter does not take such a document, so it is
parsed whole into one DOM and every ledger entry is read by read_entry() (no fast scanner,
no lazy arrays)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

import aecore

BOM = "\ufeff"
CORE = ("id", "kind", "date", "client", "job", "amount", "reference", "recorded_by")


# ------------------------------------------------------------------ helpers


@pytest.fixture(scope="module")
def demo() -> str:
    return aecore.samples.build("demo").to_json()


@pytest.fixture(scope="module")
def synthetic() -> str:
    return aecore.samples.synthetic(clients=3, jobs_per_client=4, entries=400, seed=7).to_json()


def dumps(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def outcome(read, arg) -> tuple:
    """("ok", to_json()) or ("err", field, value, message); any other exception propagates."""
    try:
        return ("ok", read(arg).to_json())
    except aecore.SchemaError as e:
        return ("err", e.field, e.value, str(e))


def streamed(text: str) -> tuple:
    return outcome(aecore.Agency.from_json, text)


def whole(text: str) -> tuple:
    return outcome(aecore.Agency.from_json, BOM + text)


def loaded(text: str, tmp_path: Path) -> tuple:
    path = tmp_path / "book.json"
    path.write_text(text, encoding="utf-8")
    return outcome(aecore.Agency.load, path)


def positionless(o: tuple) -> tuple:
    """A syntax error's line and column differ by the BOM on the first line only."""
    if o[0] != "err":
        return o
    return (o[0], o[1], o[2], re.sub(r"line \d+, column \d+", "line L, column C", o[3]))


def refused(text: str) -> aecore.SchemaError:
    with pytest.raises(aecore.SchemaError) as ei:
        aecore.Agency.from_json(text)
    assert ei.value.rule == "PS-1"
    return ei.value


def entry_index(doc: dict, kind: str, *present: str, absent: tuple[str, ...] = ()) -> int:
    for i, e in enumerate(doc["ledger"]):
        if e["kind"] == kind and all(k in e for k in present) and not any(k in e for k in absent):
            return i
    raise LookupError((kind, present))


def with_entry(text: str, index: int, change) -> str:
    doc = json.loads(text)
    change(doc["ledger"][index])
    return dumps(doc)


def run_python(code: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=timeout)


# ------------------------------------------------------------------ writing


def test_python_json_layout_is_nlohmanns_layout_for_the_sample_books(demo: str, synthetic: str) -> None:
    for text in (demo, synthetic, aecore.Agency().to_json()):
        assert dumps(json.loads(text)) == text


@pytest.mark.parametrize(
    "name", ['A "quoted" ]} agency', "back\\slash\\", "trail\\\\", "uni 汉字 é 🎉", "del\x7fchar", 'x\\"]}{[']
)
def test_names_with_quotes_backslashes_unicode_and_del_are_written_and_read_back(name: str) -> None:
    text = aecore.Agency(name=name, home_city="SH", currency="CNY").to_json()
    assert dumps(json.loads(text)) == text
    assert json.loads(text)["agency"]["name"] == name
    assert aecore.Agency.from_json(text).to_json() == text


REFERENCES = ['q"uote', "back\\slash", '\\"', "uni 汉字 é 🎉", "del\x7fchar", "tab\there", "nl\nx", "/slash", "\u2028\u2029", "\ufeffbom", ""]


def test_ledger_rows_with_escaped_references_and_reversals_are_written_as_the_dom_dump(tmp_path: Path) -> None:
    a = aecore.samples.build("demo")
    doc = json.loads(a.to_json())
    c = doc["ledger"][entry_index(doc, "Commitment")]
    day = dt.date.fromisoformat(c["date"])
    for r in REFERENCES:
        a.commit_cost(c["job"], date=day, amount="1.00", reference=r or "x", recorded_by=c["recorded_by"],
                      media_booking=bool(r), confirmation=r or None)
        a.record_cost(c["job"], date=day, amount="0.01", reference=r or "y", recorded_by=c["recorded_by"])
    # reversals of each kind that can be reversed here (a payment carries its invoice)
    for kind, present, absent in (("Payment", ("invoice",), ()), ("Invoice", ("due",), ()),
                                  ("Commitment", ("confirmation",), ()), ("ActualCost", (), ("time_entry",))):
        doc = json.loads(a.to_json())
        candidates = [e for e in doc["ledger"] if e["kind"] == kind and "reverses" not in e
                      and all(k in e for k in present) and not any(k in e for k in absent)]
        for e in candidates:
            try:
                a.reverse_entry(e["id"], date=dt.date(2026, 12, 20), reason=f'undo "{e["id"]}" \\ é\x7f',
                                recorded_by="S0004")
                break
            except aecore.Error:
                continue
    text = a.to_json()
    assert dumps(json.loads(text)) == text
    # every row says what ledger_entries() says, optional keys in write_entry's order
    by_id = {e.id: e for e in a.ledger_entries()}
    order = ["due", "contract", "invoice", "reverses", "time_entry", "estimate_version", "media_booking", "confirmation"]
    for row in json.loads(text)["ledger"]:
        e = by_id[row["id"]]
        assert (row["client"], row["job"], row["reference"], row["recorded_by"], row["date"]) == (
            e.client, e.job, e.reference, e.recorded_by, e.date.isoformat())
        expected = {"due": e.due.isoformat() if e.due else None, "contract": e.contract, "invoice": e.invoice,
                    "reverses": e.reverses, "time_entry": e.time_entry, "estimate_version": e.estimate_version,
                    "media_booking": True if e.media_booking else None, "confirmation": e.confirmation}
        assert {k: v for k, v in row.items() if k not in CORE} == {k: expected[k] for k in order if expected[k] is not None}
        assert list(row)[: len(CORE)] == list(CORE)
    assert sum("reverses" in row for row in json.loads(text)["ledger"]) >= 4
    assert aecore.Agency.from_json(text).to_json() == text
    assert loaded(text, tmp_path) == ("ok", text)


def test_a_chunked_save_equals_to_json(tmp_path: Path) -> None:
    book = aecore.samples.synthetic(clients=5, jobs_per_client=6, entries=40000, seed=3)  # > 4 MiB: several chunks
    text = book.to_json()
    assert len(text) > 2 * (1 << 22)
    path = tmp_path / "big.json"
    book.save(path)
    assert path.read_text(encoding="utf-8") == text
    assert aecore.Agency.load(path).to_json() == text
    assert dumps(json.loads(text)) == text


@pytest.mark.parametrize("limit", [100, 3 << 20, 9 << 20])
def test_a_save_that_fails_while_writing_keeps_the_old_file(tmp_path: Path, limit: int) -> None:
    # The write error happens on the writer thread (file size limit): it reaches the caller
    # as IoError, the old file is untouched and no temporary file is left.
    result = run_python(
        f"""
        import aecore, resource, signal, pathlib
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        book = aecore.samples.synthetic(clients=5, jobs_per_client=6, entries=60000, seed=3)
        path = pathlib.Path({str(tmp_path)!r}) / "book.json"
        path.write_text("old", encoding="utf-8")
        resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))
        try:
            book.save(path)
            print("saved")
        except aecore.IoError as e:
            print("IoError", e.rule)
        print(path.read_text(encoding="utf-8"), sorted(p.name for p in path.parent.iterdir()))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["IoError PS-2", "old ['book.json']"]


# ------------------------------------------------------------------ valid spellings


def _variants(text: str) -> dict[str, str]:
    doc = json.loads(text)
    optional = ["due", "contract", "invoice", "reverses", "time_entry", "estimate_version", "media_booking", "confirmation"]
    return {
        "compact": json.dumps(doc, separators=(",", ":"), ensure_ascii=False),
        "ascii_escapes": json.dumps(doc, indent=2, ensure_ascii=True),
        "indent0": json.dumps(doc, indent=0, ensure_ascii=False),
        "tabs": json.dumps(doc, indent="\t", ensure_ascii=False),
        "crlf": text.replace("\n", "\r\n"),
        "leading_ws": " \n\t\r" + text,
        "trailing_ws": text + " \n\t\r ",
        "no_final_newline": text[:-1],
        "bom": BOM + text,
        "trailing_nul": text + "\x00",  # nlohmann stops at NUL
        "trailing_nul_garbage": text + "\x00garbage",
        "entry_keys_sorted": dumps({**doc, "ledger": [dict(sorted(e.items())) for e in doc["ledger"]]}),
        "top_level_reversed": dumps(dict(reversed(list(doc.items())))),
        "escaped_top_level_key": text.replace('"ledger"', '"\\u006cedger"', 1),
        "escaped_entry_keys": text.replace('"amount": "', '"\\u0061mount": "'),
        "escaped_entry_values": text.replace('"kind": "Invoice"', '"kind": "\\u0049nvoice"'),
        "null_for_absent_keys": dumps({**doc, "ledger": [{**e, **{k: None for k in optional if k not in e}} for e in doc["ledger"]]}),
        "odd_spacing": text.replace('": "', '"  :\t"'),
        "space_before_comma": text.replace('",\n', '" ,\n'),
    }


@pytest.mark.parametrize("book", ["demo", "synthetic"])
def test_every_valid_spelling_reads_the_same_book(book: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    text = request.getfixturevalue(book)
    for name, variant in _variants(text).items():
        assert streamed(variant) == ("ok", text), name
        assert loaded(variant, tmp_path) == ("ok", text), name


@pytest.mark.parametrize("section", ["ledger", "staff", "estimates", "evaluations"])
@pytest.mark.parametrize("blank", ["[ ]", "[\n  ]", "[\t\r\n]"])
def test_empty_arrays_with_white_space(section: str, blank: str) -> None:
    text = aecore.Agency().to_json()
    variant = text.replace(f'"{section}": []', f'"{section}": {blank}', 1)
    assert variant != text
    assert streamed(variant) == ("ok", text)


def test_a_book_in_a_three_digit_currency_reads_and_writes_its_amounts() -> None:
    doc = json.loads(aecore.samples.build("demo").to_json())

    def kwd(x: Any) -> Any:
        if isinstance(x, dict):
            if set(x) == {"amount", "currency"}:
                return {"amount": x["amount"] + "0", "currency": "KWD"}
            return {k: kwd(v) for k, v in x.items()}
        return [kwd(v) for v in x] if isinstance(x, list) else x

    doc = kwd(doc)
    doc["agency"]["currency"] = "KWD"
    for e in doc["ledger"]:
        e["amount"] += "0"
    text = dumps(doc)
    assert streamed(text) == ("ok", text)
    i = entry_index(doc, "Commitment", absent=("confirmation",))
    for amount in ("0.001", "0.010", "100.500"):
        variant = with_entry(text, i, lambda e: e.update(amount=amount))
        assert streamed(variant) == ("ok", variant) == whole(variant)
    for amount in ("0", "1", "100.5", "-0", "-0.000", "0.5", "+1.000", " 1.000", "1.0000"):
        variant = with_entry(text, i, lambda e: e.update(amount=amount))
        err = refused(variant)
        assert err.field == f"/ledger/{i}/amount"
        assert positionless(streamed(variant)) == positionless(whole(variant))


# ------------------------------------------------------------------ ledger entries: fast path == general path

FIELDS = ["id", "kind", "date", "client", "job", "amount", "reference", "recorded_by",
          "due", "contract", "invoice", "reverses", "time_entry", "estimate_version", "media_booking", "confirmation"]
VALUES: list[Any] = [True, False, None, 0, 1, 1.0, 1000, 12345678901234567890, "1.5", "+1.50", " 1.50",
                     "-0.00", "", "2020-02-30", "2021-02-29", "L00000001", "é", 'a"b', "\x00", [], {"a": 1}]
ABSENT = object()


@pytest.mark.parametrize("field", FIELDS)
def test_any_value_of_a_ledger_field_reads_as_the_general_reader_reads_it(demo: str, field: str) -> None:
    doc = json.loads(demo)
    shapes: dict[tuple, int] = {}
    for i, e in enumerate(doc["ledger"]):
        shapes.setdefault((e["kind"],) + tuple(k for k in e if k not in CORE), i)
    mismatches = []
    for shape, i in shapes.items():
        for value in VALUES + [ABSENT]:
            def change(e: dict, value: Any = value) -> None:
                if value is ABSENT:
                    e.pop(field, None)
                else:
                    e[field] = value
            variant = with_entry(demo, i, change)
            got, want = streamed(variant), whole(variant)
            if positionless(got) != positionless(want):
                mismatches.append((shape, "absent" if value is ABSENT else repr(value)[:30], got[:4], want[:4]))
    assert mismatches == []


def test_an_empty_due_date_is_refused_on_every_kind_of_entry(demo: str, synthetic: str) -> None:
    # EntryScanner took "due": "" for "no due date": a Payment/ActualCost/Estimate/Commitment
    # with it loaded, and an Invoice with it got the domain error instead of the date error.
    for text in (demo, synthetic):
        doc = json.loads(text)
        for kind in ("Payment", "ActualCost", "Estimate", "Commitment", "Invoice"):
            try:
                i = entry_index(doc, kind)
            except LookupError:
                continue
            variant = with_entry(text, i, lambda e: e.update(due=""))
            err = refused(variant)
            assert err.field == f"/ledger/{i}/due", (kind, str(err))
            assert "expected a date YYYY-MM-DD" in str(err), (kind, str(err))


def test_a_commitment_without_a_job_is_refused_at_its_job(demo: str, synthetic: str) -> None:
    # replay_entry dereferences the empty optional job of a Commitment; with the scanner's
    # reused entry that is the previous entry's job, so the error named another job or the
    # client instead of the missing job.
    for text in (demo, synthetic):
        doc = json.loads(text)
        for i, e in enumerate(doc["ledger"]):
            if e["kind"] != "Commitment" or "reverses" in e:
                continue
            variant = with_entry(text, i, lambda e: e.update(job=None))
            err = refused(variant)
            assert err.field == f"/ledger/{i}/job", str(err)
            others = {x["job"] for x in doc["ledger"] if x["job"]}
            assert not any(f'"{j}"' in str(err) for j in others), str(err)
            assert positionless(streamed(variant)) == positionless(whole(variant))


@pytest.mark.parametrize(
    ("old", "new", "field_or_syntax"),
    [
        ('"estimate_version": 1', '"estimate_version": 01', "/"),
        ('"estimate_version": 1', '"estimate_version": +1', "/"),
        ('"estimate_version": 1', '"estimate_version": 1e999', "/"),
        ('"estimate_version": 1', '"estimate_version": 999999999999999999999', "estimate_version"),
        ('"estimate_version": 1', '"estimate_version": 1e0', "estimate_version"),
        ('"estimate_version": 1', '"estimate_version": 1.0', "estimate_version"),
        ('"estimate_version": 1', '"estimate_version": -0', "estimate_version"),
        ('"estimate_version": 1', '"estimate_version": 0', "estimate_version"),
        ('"estimate_version": 1', '"estimate_version": 1000', "estimate_version"),
        ('"estimate_version": 1', '"estimate_version": "1"', "estimate_version"),
        ('"media_booking": true', '"media_booking": truee', "/"),
        ('"media_booking": true', '"media_booking": false', "media_booking"),
        ('"media_booking": true', '"media_booking": 1', "media_booking"),
        ('"job": null', '"job": nullx', "/"),
        ('"job": null', '"job": NULL', "/"),
        ('"job": null', '"job": false', "job"),
    ],
)
def test_literals_in_ledger_entries(demo: str, old: str, new: str, field_or_syntax: str) -> None:
    variant = demo.replace(old, new, 1)
    assert variant != demo
    err = refused(variant)
    if field_or_syntax == "/":
        assert err.field == "/" and "not" in str(err) and "valid" in str(err)
    else:
        assert re.fullmatch(rf"/ledger/\d+/{field_or_syntax}", err.field), str(err)
    assert positionless(streamed(variant)) == positionless(whole(variant))


def test_errors_found_after_the_replay_are_placed_on_their_entry(demo: str) -> None:
    doc = json.loads(demo)
    i = entry_index(doc, "ActualCost", "time_entry")
    # the same approved time carried twice: found by finish_replay as "ledger.N"
    j = next(j for j, e in enumerate(doc["ledger"]) if j > i and e["kind"] == "ActualCost" and "time_entry" in e)
    twice = json.loads(demo)
    twice["ledger"][j] = {**doc["ledger"][i], "id": doc["ledger"][j]["id"]}
    text = dumps(twice)
    err = refused(text)
    assert positionless(streamed(text)) == positionless(whole(text))
    assert err.field.startswith(f"/ledger/{j}")
    # approved time with no cost entry: the ledger itself
    missing = with_entry(demo, i, lambda e: e.pop("time_entry"))
    err = refused(missing)
    assert err.field == "/ledger" and "has no ActualCost entry" in str(err)


# ------------------------------------------------------------------ structure


STRUCTURAL = {
    "trailing_garbage": lambda t: t + "x",
    "trailing_object": lambda t: t + "{}",
    "trailing_comma_in_root": lambda t: t.rstrip()[:-1] + ",}",
    "nul_before_root": lambda t: "\x00" + t,
    "nul_in_white_space": lambda t: t.replace('"ledger": [', '"ledger":\x00 [', 1),
    "ledger_trailing_comma": lambda t: t.replace('\n  ],\n  "rubrics"', ',\n  ],\n  "rubrics"', 1),
    "staff_trailing_comma": lambda t: t.replace('\n  ],\n  "clients"', ',\n  ],\n  "clients"', 1),
    "ledger_leading_comma": lambda t: t.replace('"ledger": [', '"ledger": [,', 1),
    "ledger_double_comma": lambda t: t.replace('\n    },\n    {\n      "id": "L00000002"', '\n    },,\n    {\n      "id": "L00000002"', 1),
    "ledger_missing_comma": lambda t: t.replace('\n    },\n    {\n      "id": "L00000002"', '\n    }\n    {\n      "id": "L00000002"', 1),
    "ledger_unclosed": lambda t: t.replace('\n  ],\n  "rubrics"', '\n  ,\n  "rubrics"', 1),
    "bracket_mismatch": lambda t: t.replace('\n    },\n    {\n      "id": "L00000002"', '\n    ],\n    {\n      "id": "L00000002"', 1),
    "entry_trailing_comma": lambda t: t.replace('"time_entry": "TE000001"\n', '"time_entry": "TE000001",\n', 1),
    "entry_extra_brace": lambda t: t.replace('"time_entry": "TE000001"\n    }', '"time_entry": "TE000001"\n    }}', 1),
    "unterminated_string": lambda t: t.replace('"reference": "TE000001"', '"reference": "TE000001', 1),
    "control_character": lambda t: t.replace('"reference": "TE000001"', '"reference": "TE\x01000001"', 1),
    "raw_tab": lambda t: t.replace('"reference": "TE000001"', '"reference": "TE\t000001"', 1),
    "nul_in_string": lambda t: t.replace('"reference": "TE000001"', '"reference": "TE\x00000001"', 1),
    "bad_escape": lambda t: t.replace('"reference": "TE000001"', '"reference": "TE\\q000001"', 1),
    "deep_unbalanced_in_entry": lambda t: t.replace('"time_entry": "TE000001"\n', '"time_entry": "TE000001", "x": ' + "[" * 10000 + "\n", 1),
    "comment": lambda t: t.replace('"ledger": [', '"ledger": /* c */ [', 1),
    "single_quotes": lambda t: t.replace('"reference": "TE000001"', "\"reference\": 'TE000001'", 1),
    "form_feed_white_space": lambda t: t.replace('"ledger": [', '"ledger":\f[', 1),
}


@pytest.mark.parametrize("name", list(STRUCTURAL))
def test_syntax_errors_anywhere_are_reported_for_the_whole_document(demo: str, name: str, tmp_path: Path) -> None:
    variant = STRUCTURAL[name](demo)
    assert variant != demo
    err = refused(variant)
    assert err.field == "/" and "not valid JSON" in str(err), str(err)
    assert positionless(streamed(variant)) == positionless(whole(variant))
    assert loaded(variant, tmp_path) == streamed(variant)


def test_the_line_and_column_of_a_syntax_error_in_the_ledger_are_those_of_the_document(demo: str) -> None:
    at = demo.index('"reference": "TE000001"')
    variant = demo[:at] + '"reference": x' + demo[at + len('"reference": "TE000001"'):]
    line = demo.count("\n", 0, at) + 1
    err = refused(variant)
    assert f"line {line}, column " in str(err)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{}", 'missing required key "schema"'),
        (" { } ", 'missing required key "schema"'),
        ("[]", "expected an aecore.Agency document"),
        ('"x"', "expected an aecore.Agency document"),
        ("", "not valid JSON"),
        ("\x00", "not valid JSON"),
        ("  ", "not valid JSON"),
    ],
)
def test_root_shapes(text: str, message: str) -> None:
    err = refused(text)
    assert err.field == "/" and message in str(err)


def test_top_level_keys(demo: str) -> None:
    body = demo.rstrip()[:-1]
    staff = json.dumps(json.loads(demo)["staff"])
    for variant, field, message in [
        (body + ',\n  "ledger": []\n}', "/ledger", "a key appears twice in one object"),
        (body + ',\n  "staff": ' + staff + "\n}", "/staff", "a key appears twice in one object"),
        (demo.replace('"version": 6,', '"version": 6,\n  "schema": "aecore.Agency",', 1), "/schema", "a key appears twice"),
        (body + ',\n  "extra": [1, 2]\n}', "/extra", 'unknown key "extra"'),
        ('{"extra": [], ' + demo.lstrip()[1:], "/extra", 'unknown key "extra"'),
        (body + ',\n  "extra": 1\n}', "/extra", 'unknown key "extra"'),
        (body + ',\n  "extra": [1\x00]\n}', "/extra", 'unknown key "extra"'),
        (demo.replace('"ledger"', '"led\\"ger"', 1), '/led"ger', "unknown key"),
    ]:
        err = refused(variant)
        assert err.field == field and message in str(err), str(err)


@pytest.mark.parametrize(
    ("value", "field", "message"),
    [
        ({}, "/ledger", "expected an array, found an object"),
        ("x", "/ledger", "expected an array, found a string"),
        (None, "/ledger", "expected an array, found null"),
        ([1], "/ledger/0", "expected an object, found an integer"),
        ([[{}]], "/ledger/0", "expected an object, found an array"),
        (["x"], "/ledger/0", "expected an object, found a string"),
        ([None], "/ledger/0", "expected an object, found null"),
    ],
)
def test_a_ledger_that_is_not_an_array_of_objects(demo: str, value: Any, field: str, message: str) -> None:
    doc = json.loads(demo)
    doc["ledger"] = value
    err = refused(dumps(doc))
    assert err.field == field and message in str(err), str(err)


def test_sections_of_the_wrong_type(demo: str) -> None:
    for key, value, message in [("agency", [], "expected an object, found an array"),
                                ("sequences", [1], "expected an object, found an array"),
                                ("version", [6], "expected an integer, found an array"),
                                ("schema", ["aecore.Agency"], "expected a string, found an array")]:
        doc = json.loads(demo)
        doc[key] = value
        err = refused(dumps(doc))
        assert err.field == f"/{key}" and message in str(err) and err.value == "[...]", str(err)


def test_duplicate_keys_are_named_by_their_path(demo: str) -> None:
    many = ", ".join(f'"k{i}": {i}' for i in range(40))
    for variant, field in [
        (demo.replace('"span_of_control": {', '"span_of_control": {"min": 1, ', 1), "/policy/span_of_control/min"),
        (demo.replace('"name": "', '"name": "x", "name": "', 1), "/agency/name"),
        (demo.replace('"id": "L00000001"', '"id": "L00000001", "id": "L00000001"', 1), "/ledger/0/id"),
        (demo.replace('"id": "L00000001"', '"id": "L00000001", "job": null', 1), "/ledger/0/job"),
        (demo.replace('"id": "L00000001"', f'"id": "L00000001", {many}, "k3": 0', 1), "/ledger/0/k3"),
        (demo.replace('"id": "L00000001"', f'"id": "L00000001", {many}, "id": "x"', 1), "/ledger/0/id"),
        (demo.replace('"id": "L00000001"', '"id": "L00000001", "x": [{"a": 1}, {"b": 1, "b": 2}]', 1), "/ledger/0/x/1/b"),
        (demo.replace('"id": "L00000001"', '"id": "L00000001", "a/b~c": 1, "a/b~c": 2', 1), "/ledger/0/a/b~c"),
        (demo.replace('"id": "L00000001"', '"id": "L00000001", "\\u0069d": "L00000001"', 1), "/ledger/0/id"),
        (demo.replace('"id": "S0001"', '"id": "S0001", "id": "S0001"', 1), "/staff/0/id"),
    ]:
        assert variant != demo
        err = refused(variant)
        assert err.field == field and "a key appears twice in one object" in str(err), str(err)
        assert positionless(streamed(variant)) == positionless(whole(variant))


def test_long_strings_and_wide_objects_in_a_ledger_entry(demo: str) -> None:
    err = refused(demo.replace('"reference": "TE000001"', '"reference": "' + "x" * 10_000_000 + '"', 1))
    assert err.field == "/ledger/0/reference"
    err = refused(demo.replace('"id": "L00000001"', '"id": "L00000001", ' + ", ".join(f'"k{i}": {i}' for i in range(100_000)), 1))
    assert err.field == "/ledger/0/k0" and "unknown key" in str(err)
    err = refused(demo.replace('"time_entry": "TE000001"\n', '"time_entry": "TE000001", "x": "]]]}}}\\""\n', 1))
    assert err.field == "/ledger/0/x"


@pytest.mark.parametrize(
    "anchor",
    [
        '"id": "L00000001"',  # inside a ledger entry (the general path's DOM of one element)
        '"tier_a_max_overdue_days": 90',  # in the non-array part of the document (policy)
        '"id": "S0001"',  # inside an element of another top-level array
    ],
)
def test_deep_nesting_inside_a_section_is_refused_without_a_crash(anchor: str) -> None:
    # A deep value followed by another key: the DOM builder's ordered object copies its
    # members when it grows, recursively - 150 000 levels overflowed the stack (SIGSEGV).
    code = f"""
        import aecore
        text = aecore.samples.build("demo").to_json()
        anchor = {anchor!r}
        variant = text.replace(anchor, anchor + ', "x": ' + "[" * 300000 + "]" * 300000, 1)
        assert variant != text
        try:
            aecore.Agency.from_json(variant)
            print("accepted")
        except aecore.SchemaError as e:
            print("SchemaError", e.field)
        """
    result = run_python(code)
    assert result.returncode == 0, f"crashed with {result.returncode}: {result.stderr[-500:]}"
    assert result.stdout.startswith("SchemaError"), result.stdout


# ------------------------------------------------------------------ files


def test_load_of_special_files(tmp_path: Path, demo: str) -> None:
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    with pytest.raises(aecore.SchemaError, match="not valid JSON"):
        aecore.Agency.load(empty)
    with pytest.raises(aecore.SchemaError, match="not valid JSON"):
        aecore.Agency.load("/dev/null")
    with pytest.raises(aecore.IoError):
        aecore.Agency.load(tmp_path)
    with pytest.raises(aecore.IoError):
        aecore.Agency.load(tmp_path / "missing.json")
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + demo.encode())
    assert aecore.Agency.load(bom).to_json() == demo
    link = tmp_path / "link.json"
    link.symlink_to(bom)
    assert aecore.Agency.load(str(link)).to_json() == demo


def test_load_from_a_fifo(tmp_path: Path, demo: str) -> None:
    fifo = tmp_path / "book.fifo"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as f:
            f.write(demo.encode())

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert aecore.Agency.load(fifo).to_json() == demo
    finally:
        writer.join(timeout=30)


@pytest.mark.parametrize("where", ["ledger reference", "top-level key"])
@pytest.mark.parametrize("bad", [b"\xff", b"\xc0\xaf", b"\xed\xa0\x80"])
def test_invalid_utf8_in_a_file(tmp_path: Path, demo: str, where: str, bad: bytes) -> None:
    data = demo.encode()
    if where == "ledger reference":
        at = data.index(b'"reference": "', data.index(b'"ledger"')) + len(b'"reference": "')
    else:
        at = data.index(b'"ledger"') + 1
    path = tmp_path / "bad.json"
    path.write_bytes(data[:at] + bad + data[at:])
    with pytest.raises(aecore.SchemaError) as ei:
        aecore.Agency.load(path)
    assert ei.value.field == "/" and "not valid JSON" in str(ei.value)


def test_a_ledger_larger_than_the_release_window(tmp_path: Path) -> None:
    # > 64 MiB of ledger: the mapped pages behind the reader are released and read again
    # when an error sends it back to the start of the document.
    book = aecore.samples.synthetic(clients=4, jobs_per_client=5, entries=300000, seed=11)
    path = tmp_path / "big.json"
    book.save(path)
    text = path.read_text(encoding="utf-8")
    assert text.index('"rubrics"') - text.index('"ledger"') > (1 << 26)
    assert aecore.Agency.load(path).to_json() == text
    end = text.index('"rubrics"')
    at = text.rindex('"amount": "', 0, end)
    semantic = text[:at] + '"amount": "+' + text[at + len('"amount": "'):]
    path.write_text(semantic, encoding="utf-8")
    with pytest.raises(aecore.SchemaError) as ei:
        aecore.Agency.load(path)
    assert re.fullmatch(r"/ledger/\d+/amount", ei.value.field) and "canonical amount" in str(ei.value)
    at = text.rindex('"reference": "', 0, end)
    syntax = text[:at] + '"reference": x' + text[at + len('"reference": "'):]
    path.write_text(syntax, encoding="utf-8")
    with pytest.raises(aecore.SchemaError) as ei:
        aecore.Agency.load(path)
    assert ei.value.field == "/" and f"line {text.count(chr(10), 0, at) + 1}, column" in str(ei.value)


def test_a_file_truncated_while_it_is_loaded_does_not_kill_the_process(tmp_path: Path) -> None:
    # Agency.load maps the file; a file cut short under the mapping used to raise SIGBUS in
    # the reader (the old loader read the file into memory first). Whatever the timing,
    # load must end in a book or an exception, never a signal.
    path = tmp_path / "big.json"
    aecore.samples.synthetic(clients=5, jobs_per_client=6, entries=450000, seed=3).save(path)
    for delay in (0.15, 0.3):
        proc = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(f"""
                import aecore
                try:
                    aecore.Agency.load({str(path)!r})
                    print("loaded")
                except Exception as e:
                    print(type(e).__name__)
                """)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        threading.Event().wait(delay)
        with open(path, "r+b") as f:
            size = f.seek(0, 2)
            f.truncate(1000)
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"load died with signal {-proc.returncode}: {err[-300:]}"
        assert out.strip() in {"loaded", "SchemaError"}
        # put the book back for the next round
        aecore.samples.synthetic(clients=5, jobs_per_client=6, entries=450000, seed=3).save(path)
        assert path.stat().st_size == size
