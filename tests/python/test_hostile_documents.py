"""Hostile documents end in aecore.SchemaError (a ValueError) naming where: duplicate keys,
numbers out of range, NaN, invalid UTF-8, deep nesting, truncation - never another
exception or a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

import aecore


@pytest.fixture(scope="module")
def text() -> str:
    return aecore.sample_agency().to_json()


def refused(doc: str) -> aecore.SchemaError:
    with pytest.raises(aecore.SchemaError) as ei:
        aecore.Agency.from_json(doc)
    assert isinstance(ei.value, ValueError) and ei.value.rule == "PS-1"
    return ei.value


def test_a_duplicate_key_is_refused_at_its_path(text: str) -> None:
    at = text.index('"amount"', text.index('"ledger"'))
    err = refused(text[:at] + '"amount": "1.00 CNY", ' + text[at:])
    assert err.field == "/ledger/0/amount" and err.value == '"amount"'
    assert "a key appears twice in one object" in str(err)
    err = refused('{"schema": "aecore.Agency", "schema": "aecore.Agency", "version": 6}')
    assert err.field == "/schema"


@pytest.mark.parametrize("version", ["1e999999", "-1e999999", "NaN", "Infinity", "-0", "6.5", "1" + "0" * 40])
def test_numbers_out_of_range_nan_and_negative_zero_are_refused(text: str, version: str) -> None:
    refused(text.replace('"version": 6', f'"version": {version}', 1))


def test_deep_nesting_truncation_and_garbage_are_refused(text: str) -> None:
    refused("[" * 200_000 + "]" * 200_000)
    refused('{"a":' * 100_000 + "1" + "}" * 100_000)
    for cut in (1, len(text) // 2, len(text) - 2):
        refused(text[:cut])
    refused("")
    refused("\x00\x00")


def test_invalid_utf8_in_a_file_is_refused(text: str, tmp_path: Path) -> None:
    # (a Python str cannot hold invalid UTF-8: such bytes arrive through a file)
    at = text.index('"name": "') + len('"name": "')
    path = tmp_path / "bad.json"
    path.write_bytes(text[:at].encode() + b"\xff\xfe\xc3\x28" + text[at:].encode())
    with pytest.raises(aecore.SchemaError) as ei:
        aecore.Agency.load(path)
    assert ei.value.rule == "PS-1"
