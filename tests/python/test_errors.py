"""The error hierarchy: aecore.Error subclasses that are also the matching built-ins
and carry rule, field, value and detail."""

from __future__ import annotations

import pickle

import pytest

import aecore

AM_ID, AE1_ID = "S0002", "S0003"  # see the `agency` fixture in conftest.py


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (aecore.ValidationError, ValueError),
        (aecore.NotFoundError, KeyError),
        (aecore.StateError, RuntimeError),
        (aecore.SchemaError, ValueError),
        (aecore.IoError, OSError),
    ],
)
def test_hierarchy(cls: type, builtin: type) -> None:
    assert issubclass(cls, aecore.Error)
    assert issubclass(cls, builtin)
    assert cls.__module__ == "aecore"
    assert cls.__doc__


def test_base_class() -> None:
    assert issubclass(aecore.Error, Exception)
    assert aecore.Error.__module__ == "aecore"
    # The subclasses are distinct: catching one does not catch a sibling.
    assert not issubclass(aecore.NotFoundError, aecore.ValidationError)
    assert not issubclass(aecore.SchemaError, aecore.ValidationError)
    assert not issubclass(aecore.StateError, ValueError)


def _raised(fn) -> aecore.Error:
    with pytest.raises(aecore.Error) as ei:
        fn()
    return ei.value


def test_validation_error_attributes() -> None:
    e = _raised(lambda: aecore.Money(1.5, "CNY"))
    assert type(e) is aecore.ValidationError
    assert e.rule == "MB-1"
    assert e.field == "money.amount"
    assert e.value == "1.5"
    assert "float" in e.detail
    assert str(e) == f"{e.field} = {e.value}: {e.detail} [{e.rule}]"


def test_not_found_error_attributes_and_message(agency: aecore.Agency) -> None:
    e = _raised(lambda: agency.get_staff("S9999"))
    assert type(e) is aecore.NotFoundError
    assert (e.rule, e.field, e.value, e.detail) == ("ST-1", "staff.id", '"S9999"', "no such staff member")
    # KeyError would repr() its argument; the message is already readable.
    assert str(e) == 'staff.id = "S9999": no such staff member [ST-1]'
    assert not str(e).startswith("'")
    assert e.args == (str(e),)


def test_not_found_manager_names_the_field(agency: aecore.Agency) -> None:
    e = _raised(lambda: agency.add_staff("New Hire", aecore.Title.AE, manager="S9999"))
    assert type(e) is aecore.NotFoundError
    assert (e.rule, e.field, e.value) == ("ST-1", "staff.manager", '"S9999"')
    assert str(e) == 'staff.manager = "S9999": no such staff member [ST-1]'


def test_state_error_attributes(agency: aecore.Agency) -> None:
    e = _raised(lambda: agency.update_staff(AM_ID, active=False))
    assert type(e) is aecore.StateError
    assert e.rule == "ST-1"
    assert e.field == "staff.active"
    assert AM_ID in e.detail and AE1_ID in e.detail
    assert str(e).endswith("[ST-1]")


def test_schema_error_attributes() -> None:
    newer = aecore.SCHEMA_VERSION + 1
    e = _raised(lambda: aecore.Agency.from_json(f'{{"schema": "aecore.Agency", "version": {newer}}}'))
    assert type(e) is aecore.SchemaError
    assert e.rule == "PS-1"
    assert e.field == "/version"
    assert e.value == str(newer)
    assert "newer" in e.detail


def test_io_error_attributes() -> None:
    missing = "no-such-directory/missing.json"
    e = _raised(lambda: aecore.Agency.load(missing))
    assert type(e) is aecore.IoError
    assert e.rule == "PS-1"
    assert e.field == "path"
    assert e.value == f'"{missing}"'
    assert "No such file" in e.detail


def test_catching_by_builtin_class(agency: aecore.Agency, tmp_path) -> None:
    with pytest.raises(ValueError):
        aecore.Money("1.005", "USD")
    with pytest.raises(KeyError):
        agency.get_staff("nobody")
    with pytest.raises(LookupError):
        agency.direct_reports("nobody")
    with pytest.raises(RuntimeError):
        agency.update_staff(AM_ID, active=False)
    with pytest.raises(ValueError):
        aecore.Agency.from_json("not json")
    with pytest.raises(OSError):
        aecore.Agency.load(tmp_path / "missing.json")


def test_except_clause_order() -> None:
    # A plain try/except on the built-in works in analysts' code.
    try:
        aecore.Money("1", "CNY") + aecore.Money("1", "USD")
    except ValueError as e:
        caught = e
    assert isinstance(caught, aecore.ValidationError)
    assert caught.field == "money.currency"


def test_errors_pickle_with_their_attributes() -> None:
    e = _raised(lambda: aecore.Money(1.5, "CNY"))
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is aecore.ValidationError
    assert str(back) == str(e)
    assert (back.rule, back.field, back.value, back.detail) == (e.rule, e.field, e.value, e.detail)


def test_errors_can_be_raised_from_python() -> None:
    with pytest.raises(aecore.Error, match="custom"):
        raise aecore.StateError("custom")
