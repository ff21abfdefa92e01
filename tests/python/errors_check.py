"""Shared assertion for refused operations: the exact aecore error class, also the
matching built-in, and a message that names the field and cites the rule."""

from __future__ import annotations

import aecore


def assert_error(e: BaseException, error: type, builtin: type, field: str, rule: str) -> None:
    assert type(e) is error
    assert isinstance(e, builtin)
    assert isinstance(e, aecore.Error)
    assert e.field == field
    assert e.rule == rule
    assert field in str(e), str(e)
    assert f"[{rule}]" in str(e), str(e)
