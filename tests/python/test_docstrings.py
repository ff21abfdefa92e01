"""Every public name of aecore has a docstring that help() can show (issue #8).

The walk covers the module's functions, its classes, and every public method and
property each class defines (an enum or an exception needs its class docstring only).
A docstring that is empty, or only the signature line pybind11 generates for a binding
without a doc string, counts as missing. Key methods must also name the errors they
raise and the SPEC rule ids they enforce, and every rule id a docstring cites must be
one of SPEC.md's."""

from __future__ import annotations

import enum
import inspect
import pydoc
import re
from typing import Any, Iterator

import pytest

import aecore

# The rule ids of SPEC.md (the rule book is not shipped with the package).
SPEC_RULES: dict[str, int] = {"ST": 3, "CL": 7, "MP": 8, "JT": 12, "MB": 7, "AS": 4, "PE": 6, "PS": 3}
MP8_SUBRULES = "abcdefg"
RULE_ID = re.compile(r"\b(ST|CL|MP|JT|MB|AS|PE|PS)-(\d+)([a-z]?)\b")


def _is_error_class(obj: Any) -> bool:
    return inspect.isclass(obj) and issubclass(obj, BaseException)


def _public_api() -> Iterator[tuple[str, Any, str | None]]:
    """(qualified name, member name, docstring) of every public name of aecore."""
    for name in sorted(aecore.__all__):
        if name.startswith("_"):
            continue
        obj = getattr(aecore, name)
        if inspect.isclass(obj):
            yield name, name, obj.__doc__
            if issubclass(obj, enum.Enum) or _is_error_class(obj):
                continue
            for member, value in vars(obj).items():
                if member.startswith("_"):
                    continue
                if isinstance(value, (staticmethod, classmethod)):
                    value = value.__func__
                if isinstance(value, property):
                    yield f"{name}.{member}", member, value.__doc__
                elif callable(value):
                    yield f"{name}.{member}", member, getattr(value, "__doc__", None)
        elif callable(obj):
            yield name, name, obj.__doc__


def _text_beyond_signature(member: str, doc: str | None) -> str:
    """The docstring without the signature line(s) pybind11 puts first."""
    signature = re.compile(rf"^\s*(\d+\.\s+)?{re.escape(member)}\(.*\)(\s*->\s*.+)?\s*$")
    lines = (doc or "").splitlines()
    kept = [line for line in lines if not signature.match(line) and line.strip() != "Overloaded function."]
    return "\n".join(kept).strip()


def test_the_walk_sees_the_whole_public_api() -> None:
    names = {qualified for qualified, _, _ in _public_api()}
    # A sample of each kind: function, class, enum, error, method, property, static
    # method, method added in Python, Python class.
    for expected in (
        "kpi_composite",
        "Agency",
        "TicketStatus",
        "ValidationError",
        "Agency.open_job",
        "Client.annual_budget",
        "Money.zero",
        "Agency.audit",
        "AuditReport.by_severity",
    ):
        assert expected in names
    assert len(names) > 600


def test_every_public_name_has_a_docstring() -> None:
    missing = [qualified for qualified, member, doc in _public_api() if not _text_beyond_signature(member, doc)]
    assert missing == [], f"{len(missing)} public names without a docstring: {missing}"


def test_the_signature_only_check_catches_a_bare_binding() -> None:
    assert _text_beyond_signature("get_job", "get_job(self: aecore._core.Agency, number: str) -> JobTicket\n") == ""
    assert _text_beyond_signature("zero", "zero(currency: str) -> aecore._core.Money") == ""
    assert _text_beyond_signature("zero", "zero(currency: str) -> aecore._core.Money\n\nZero in `currency`.") != ""


def test_every_cited_rule_id_is_a_spec_rule() -> None:
    bad = []
    for qualified, _, doc in _public_api():
        for prefix, number, sub in RULE_ID.findall(doc or ""):
            n = int(number)
            ok = 1 <= n <= SPEC_RULES[prefix] and (not sub or ((prefix, n) == ("MP", 8) and sub in MP8_SUBRULES))
            if not ok:
                bad.append(f"{qualified}: {prefix}-{number}{sub}")
    assert bad == []


def test_every_named_error_exists() -> None:
    known = {name for name in dir(aecore) if _is_error_class(getattr(aecore, name))}
    known |= {"TypeError", "ValueError", "KeyError", "RuntimeError", "OSError"}
    bad = [
        f"{qualified}: {error}"
        for qualified, _, doc in _public_api()
        for error in re.findall(r"\b([A-Z][A-Za-z]*Error)\b", doc or "")
        if error not in known
    ]
    assert bad == []


# Key methods: what help() shows names the errors raised and the rules enforced.
KEY_METHODS: dict[str, tuple[set[str], set[str]]] = {
    "Agency.open_job": ({"NotFoundError", "StateError", "ValidationError"}, {"JT-1", "JT-6", "JT-7", "CL-2"}),
    "Agency.open_revision": ({"NotFoundError", "StateError", "ValidationError"}, {"JT-2", "JT-6"}),
    "Agency.advance_job": ({"NotFoundError", "StateError", "ValidationError"}, {"JT-4", "JT-5", "JT-8", "JT-9"}),
    "Agency.log_time": ({"NotFoundError", "StateError", "ValidationError"}, {"JT-10"}),
    "Agency.approve_time": ({"NotFoundError", "StateError", "ValidationError"}, {"JT-10"}),
    "Agency.record_payment": ({"NotFoundError", "StateError", "ValidationError"}, {"MB-3", "MB-1"}),
    "Agency.issue_invoice": ({"NotFoundError", "StateError", "ValidationError"}, {"MB-3", "CL-7"}),
    "Agency.commit_cost": ({"NotFoundError", "StateError", "ValidationError"}, {"MB-2", "MB-3"}),
    "Agency.reverse_entry": ({"NotFoundError", "StateError", "ValidationError"}, {"MB-3"}),
    "Agency.reconcile": ({"NotFoundError", "ValidationError"}, {"MB-4", "CL-1"}),
    "Agency.aging": ({"ValidationError"}, {"MB-5"}),
    "Agency.evaluate": ({"NotFoundError", "ValidationError"}, {"PE-3", "PE-1"}),
    "Evaluation.advance": ({"NotFoundError", "StateError", "ValidationError"}, {"PE-3"}),
    "Evaluation.score": ({"NotFoundError", "StateError", "ValidationError"}, {"PE-1", "PE-3"}),
    "Agency.register_client": ({"NotFoundError", "ValidationError"}, {"CL-1", "ST-3"}),
    "Agency.approve_plan": ({"NotFoundError", "StateError", "ValidationError"}, {"MP-8"}),
    "Agency.add_staff": ({"NotFoundError", "ValidationError"}, {"ST-1"}),
}


def _help_text(qualified: str) -> str:
    obj: Any = aecore
    for part in qualified.split("."):
        obj = getattr(obj, part)
    return pydoc.plain(pydoc.render_doc(obj))


@pytest.mark.parametrize("qualified", sorted(KEY_METHODS))
def test_help_of_key_methods_names_errors_and_rules(qualified: str) -> None:
    errors, rules = KEY_METHODS[qualified]
    text = _help_text(qualified)
    assert "Raises" in text
    for error in errors:
        assert error in text, f"{qualified}: help() does not mention {error}"
    cited = {f"{p}-{n}" for p, n, _ in RULE_ID.findall(text)}
    assert rules <= cited, f"{qualified}: help() does not cite {sorted(rules - cited)}"


def test_help_of_a_property_says_what_the_value_is() -> None:
    text = _help_text("Client.annual_budget")
    assert "Money" in text and "agency currency" in text
    assert "None" in _help_text("JobTicket.product")
