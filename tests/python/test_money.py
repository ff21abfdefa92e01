"""Money (MB-1): exact amounts, no floats, no silent rounding, one currency at a time."""

from __future__ import annotations

import copy
import pickle
import random
import subprocess
import sys
from decimal import Decimal

import pytest

import aecore
from aecore import Money

INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)


# ----------------------------------------------------------------- construction


def test_construct_from_str() -> None:
    m = Money("1234.56", "CNY")
    assert m.minor_units == 123456
    assert m.currency == "CNY"
    assert m.digits == 2


def test_construct_from_int_is_whole_units() -> None:
    m = Money(100, "USD")
    assert m.minor_units == 10000
    assert m.amount_string() == "100.00"
    assert m == Money("100.00", "USD")


def test_construct_from_decimal() -> None:
    m = Money(Decimal("9.99"), "EUR")
    assert m.minor_units == 999
    assert m.currency == "EUR"


def test_constructors_agree() -> None:
    expected = Money("1234.56", "CNY")
    assert Money.from_minor(123456, "CNY") == expected
    assert Money.from_decimal(Decimal("1234.56"), "CNY") == expected
    assert Money(Decimal("1234.560"), "CNY") == expected
    assert Money(Decimal("1.23456E+3"), "CNY") == expected


def test_zero() -> None:
    z = Money.zero("JPY")
    assert z.minor_units == 0
    assert z.currency == "JPY"
    assert z.is_zero()
    assert z == Money(0, "JPY")


def test_negative_amounts() -> None:
    m = Money("-0.05", "CNY")
    assert m.minor_units == -5
    assert str(m) == "-0.05 CNY"


@pytest.mark.parametrize("amount", [1.5, 0.1, 100.0, float("nan")])
def test_float_is_refused(amount: float) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        Money(amount, "CNY")
    assert isinstance(ei.value, ValueError)
    assert "money.amount" in str(ei.value)
    assert "[MB-1]" in str(ei.value)
    assert ei.value.rule == "MB-1"
    assert ei.value.field == "money.amount"


def test_bool_is_not_an_amount() -> None:
    with pytest.raises(aecore.ValidationError, match=r"money\.amount.*\[MB-1\]"):
        Money(True, "CNY")


def test_from_decimal_refuses_float() -> None:
    with pytest.raises(TypeError):
        Money.from_decimal(1.5, "CNY")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("1.005", "USD"), ("0.001", "CNY"), ("1.5", "JPY"), ("0.0001", "KWD"), (Decimal("9.999"), "EUR")],
)
def test_too_many_decimals_is_refused(amount: object, currency: str) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        Money(amount, currency)
    assert ei.value.field == "money.amount"
    assert ei.value.rule == "MB-1"
    assert currency in str(ei.value)


def test_from_decimal_too_many_decimals() -> None:
    with pytest.raises(aecore.ValidationError, match=r"\[MB-1\]"):
        Money.from_decimal(Decimal("1.005"), "USD")


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("1.50", "USD", 150), ("1.500", "USD", 150), ("7", "JPY", 7), ("7.000", "JPY", 7), ("1.234", "KWD", 1234)],
)
def test_trailing_zeros_beyond_the_currency_are_accepted(amount: str, currency: str, minor: int) -> None:
    assert Money(amount, currency).minor_units == minor


def test_jpy_has_no_minor_digits() -> None:
    m = Money("1234", "JPY")
    assert m.digits == 0
    assert m.minor_units == 1234
    assert m.amount == Decimal("1234")
    assert m.amount.as_tuple().exponent == 0
    assert str(m) == "1234 JPY"
    assert m.format() == "JPY 1,234"


@pytest.mark.parametrize("code", ["XXX", "cny", "", "CNYY", "RMB"])
def test_unknown_currency(code: str) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        Money("1", code)
    assert ei.value.field == "currency"
    assert ei.value.rule == "MB-1"
    with pytest.raises(aecore.ValidationError):
        Money.zero(code)


@pytest.mark.parametrize("text", ["abc", "", " 1", "1,000", "1.2.3", "NaN", "Infinity", "--1"])
def test_malformed_amount(text: str) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        Money(text, "CNY")
    assert ei.value.field == "money.amount"


# ----------------------------------------------------------------- arithmetic


def test_add_and_subtract() -> None:
    a, b = Money("0.10", "CNY"), Money("0.20", "CNY")
    assert a + b == Money("0.30", "CNY")
    assert b - a == Money("0.10", "CNY")
    assert a - b == Money("-0.10", "CNY")


def test_unary_operators_and_abs() -> None:
    m = Money("12.34", "CNY")
    assert -m == Money("-12.34", "CNY")
    assert +m == m
    assert abs(-m) == m
    assert abs(m) == m
    assert -(-m) == m


def test_multiply_by_int() -> None:
    m = Money("12.34", "CNY")
    assert m * 3 == Money("37.02", "CNY")
    assert 3 * m == Money("37.02", "CNY")
    assert m * -2 == Money("-24.68", "CNY")
    assert m * 0 == Money.zero("CNY")


def test_multiply_by_float_is_refused() -> None:
    with pytest.raises(TypeError):
        Money("1", "CNY") * 0.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        0.5 * Money("1", "CNY")  # type: ignore[operator]


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [
        ("0.05", "0.5", "0.02"),  # 0.025 -> 0.02 (half to even)
        ("0.15", "0.5", "0.08"),  # 0.075 -> 0.08
        ("0.25", "0.5", "0.12"),  # 0.125 -> 0.12
        ("0.35", "0.5", "0.18"),  # 0.175 -> 0.18
        ("-0.05", "0.5", "-0.02"),
        ("-0.15", "0.5", "-0.08"),
        ("0.07", "0.5", "0.04"),  # 0.035 -> 0.04
        ("1.00", "0.333", "0.33"),
        ("1.00", "0.335", "0.34"),  # 0.335 is above half: rounds up
        ("100000.00", "0.1765", "17650.00"),
        ("19.99", "1", "19.99"),
    ],
)
def test_multiply_by_decimal_rounds_half_to_even(amount: str, rate: str, expected: str) -> None:
    m = Money(amount, "CNY")
    assert m * Decimal(rate) == Money(expected, "CNY")
    assert Decimal(rate) * m == Money(expected, "CNY")


def test_sum() -> None:
    parts = [Money("1.10", "CNY"), Money("2.20", "CNY"), Money("-0.30", "CNY")]
    assert sum(parts) == Money("3.00", "CNY")
    assert sum(parts, Money.zero("CNY")) == Money("3.00", "CNY")
    assert sum([], Money.zero("USD")) == Money.zero("USD")


def test_sum_of_mixed_currencies_raises() -> None:
    with pytest.raises(aecore.ValidationError):
        sum([Money("1", "CNY"), Money("1", "USD")])


@pytest.mark.parametrize(
    "op",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
    ],
    ids=["add", "sub"],
)
def test_mixing_currencies_raises(op) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        op(Money("1", "CNY"), Money("1", "USD"))
    assert ei.value.field == "money.currency"
    assert ei.value.rule == "MB-1"
    assert "CNY" in str(ei.value) and "USD" in str(ei.value)


# ----------------------------------------------------------------- comparison and hashing


def test_equality_across_currencies_is_false_without_raising() -> None:
    assert (Money("1", "CNY") == Money("1", "USD")) is False
    assert (Money("1", "CNY") != Money("1", "USD")) is True
    assert Money("1", "CNY") != Money("1", "EUR")


def test_equality_with_other_types_is_false() -> None:
    assert Money("0", "CNY") != 0
    assert Money("1", "CNY") != "1.00 CNY"
    assert Money("1", "CNY") is not None


@pytest.mark.parametrize(
    "op",
    [lambda a, b: a < b, lambda a, b: a <= b, lambda a, b: a > b, lambda a, b: a >= b],
    ids=["lt", "le", "gt", "ge"],
)
def test_ordering_across_currencies_raises(op) -> None:
    with pytest.raises(aecore.ValidationError, match=r"\[MB-1\]"):
        op(Money("1", "CNY"), Money("2", "USD"))


def test_ordering_within_a_currency() -> None:
    a, b = Money("1.00", "CNY"), Money("1.01", "CNY")
    assert a < b and a <= b and b > a and b >= a
    assert a <= Money("1", "CNY") and a >= Money("1", "CNY")
    assert not a < Money("1", "CNY")
    values = [Money(x, "CNY") for x in ("3", "-1", "0.01", "2.50", "0")]
    assert sorted(values) == [Money(x, "CNY") for x in ("-1", "0", "0.01", "2.50", "3")]
    assert max(values) == Money("3", "CNY")
    assert min(values) == Money("-1", "CNY")


def test_hashing() -> None:
    a, b = Money("1", "CNY"), Money("1.00", "CNY")
    assert a == b and hash(a) == hash(b)
    table = {a: "one yuan", Money("1", "USD"): "one dollar"}
    assert table[b] == "one yuan"
    assert table[Money(Decimal("1.0"), "USD")] == "one dollar"
    assert len({Money("1", "CNY"), Money("1.00", "CNY"), Money.from_minor(100, "CNY"), Money("1", "USD")}) == 2


def test_bool() -> None:
    assert not Money("0", "CNY")
    assert not Money.zero("USD")
    assert Money("0.01", "CNY")
    assert Money("-0.01", "CNY")


# ----------------------------------------------------------------- decimals and text


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [("100", "USD", "100.00"), ("1234.56", "CNY", "1234.56"), ("5", "JPY", "5"), ("0.5", "KWD", "0.500"), ("-0.05", "CNY", "-0.05")],
)
def test_to_decimal_has_the_currency_places(amount: str, currency: str, text: str) -> None:
    m = Money(amount, currency)
    for d in (m.to_decimal(), m.amount):
        assert type(d) is Decimal
        assert str(d) == text
        assert d.as_tuple().exponent == -m.digits
        assert d == Decimal(amount)


def test_to_decimal_round_trips() -> None:
    m = Money("-98765.43", "CNY")
    assert Money(m.to_decimal(), "CNY") == m
    assert Money.from_decimal(m.amount, m.currency) == m


@pytest.mark.parametrize(
    ("amount", "currency", "formatted"),
    [
        ("1234.56", "CNY", "CNY 1,234.56"),
        ("0", "CNY", "CNY 0.00"),
        ("999.99", "USD", "USD 999.99"),
        ("1000", "USD", "USD 1,000.00"),
        ("-1234567.5", "CNY", "CNY -1,234,567.50"),
        ("1234567", "JPY", "JPY 1,234,567"),
        ("12345.678", "KWD", "KWD 12,345.678"),
    ],
)
def test_format(amount: str, currency: str, formatted: str) -> None:
    assert Money(amount, currency).format() == formatted


def test_repr_and_str() -> None:
    m = Money("1234.56", "CNY")
    assert repr(m) == "Money('1234.56', 'CNY')"
    assert str(m) == "1234.56 CNY"
    assert repr(Money(100, "USD")) == "Money('100.00', 'USD')"
    assert eval(repr(m), {"Money": Money}) == m


def test_html_view() -> None:
    assert "CNY 1,234.56" in Money("1234.56", "CNY")._repr_html_()


# ----------------------------------------------------------------- allocation


def test_allocate_largest_remainder() -> None:
    fee = Money("100000.00", "CNY")
    parts = fee.allocate([3, 3, 1])
    # Exact shares are 42857.142857..., 42857.142857..., 14285.714285...: the cent left
    # over goes to the part with the largest remainder, the third.
    assert parts == [Money("42857.14", "CNY"), Money("42857.14", "CNY"), Money("14285.72", "CNY")]
    assert sum(parts) == fee


def test_allocate_ties_go_to_the_earlier_part() -> None:
    assert Money.from_minor(100, "CNY").allocate([1, 1, 1]) == [Money.from_minor(m, "CNY") for m in (34, 33, 33)]
    assert Money.from_minor(5, "CNY").allocate([1, 2]) == [Money.from_minor(m, "CNY") for m in (2, 3)]


def test_allocate_negative_amount_is_symmetric() -> None:
    pos = Money("0.05", "CNY").allocate([1, 1])
    neg = Money("-0.05", "CNY").allocate([1, 1])
    assert neg == [-p for p in pos]


def test_allocate_zero_weight_gets_nothing() -> None:
    assert Money("10", "USD").allocate([0, 1, 0]) == [Money.zero("USD"), Money("10", "USD"), Money.zero("USD")]


def test_split() -> None:
    assert Money("1", "CNY").split(3) == [Money("0.34", "CNY"), Money("0.33", "CNY"), Money("0.33", "CNY")]
    assert Money("7", "JPY").split(1) == [Money("7", "JPY")]


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1]])
def test_allocate_bad_weights(weights: list[int]) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        Money("1", "CNY").allocate(weights)
    assert ei.value.field.startswith("allocate.weights")


@pytest.mark.parametrize("parts", [0, -1])
def test_split_bad_parts(parts: int) -> None:
    with pytest.raises(aecore.ValidationError) as ei:
        Money("1", "CNY").split(parts)
    assert ei.value.field == "split.parts"


def test_allocate_random_amounts_sum_exactly() -> None:
    rng = random.Random(20260401)
    for _ in range(2000):
        currency = rng.choice(["CNY", "JPY", "KWD"])
        minor = rng.randint(-10**12, 10**12) if rng.random() < 0.8 else rng.randint(-50, 50)
        amount = Money.from_minor(minor, currency)
        weights = [rng.choice([0, 1, 2, 3, 7, 100, rng.randint(0, 10**6)]) for _ in range(rng.randint(1, 9))]
        if sum(weights) == 0:
            weights[0] = 1
        total = sum(weights)
        parts = amount.allocate(weights)
        assert len(parts) == len(weights)
        assert all(p.currency == currency for p in parts)
        assert sum(parts, Money.zero(currency)) == amount
        for part, w in zip(parts, weights):
            # Each part is the exact share rounded down or up by less than one minor unit.
            assert abs(part.minor_units * total - minor * w) < total


def test_split_random_amounts_sum_exactly() -> None:
    rng = random.Random(7)
    for _ in range(1000):
        amount = Money.from_minor(rng.randint(-10**9, 10**9), "CNY")
        n = rng.randint(1, 40)
        parts = amount.split(n)
        assert len(parts) == n
        assert sum(parts, Money.zero("CNY")) == amount
        units = [p.minor_units for p in parts]
        assert max(units) - min(units) <= 1


# ----------------------------------------------------------------- overflow


@pytest.mark.parametrize(
    "op",
    [
        lambda: Money.from_minor(INT64_MAX, "CNY") + Money.from_minor(1, "CNY"),
        lambda: Money.from_minor(INT64_MIN, "CNY") - Money.from_minor(1, "CNY"),
        lambda: Money.from_minor(2**62, "CNY") * 4,
        lambda: 4 * Money.from_minor(2**62, "CNY"),
        lambda: Money.from_minor(2**62, "CNY") * Decimal("2.5"),
        lambda: -Money.from_minor(INT64_MIN, "CNY"),
        lambda: abs(Money.from_minor(INT64_MIN, "CNY")),
        lambda: sum([Money.from_minor(INT64_MAX, "CNY"), Money.from_minor(INT64_MAX, "CNY")]),
        lambda: Money("92233720368547758.08", "CNY"),
        lambda: Money(10**20, "CNY"),
    ],
    ids=["add", "sub", "mul", "rmul", "mul-rate", "neg", "abs", "sum", "parse", "int"],
)
def test_overflow_raises(op) -> None:
    with pytest.raises(aecore.ValidationError, match=r"\[MB-1\]"):
        op()


def test_extremes_are_exact() -> None:
    top = Money.from_minor(INT64_MAX, "CNY")
    assert top.amount_string() == "92233720368547758.07"
    assert Money("92233720368547758.07", "CNY") == top
    assert Money.from_minor(INT64_MIN, "CNY").minor_units == INT64_MIN


# ----------------------------------------------------------------- pickling and the currency table


@pytest.mark.parametrize(
    "m", [Money("1234.56", "CNY"), Money("-0.01", "USD"), Money("5", "JPY"), Money("1.234", "KWD"), Money.from_minor(INT64_MIN, "CNY")]
)
def test_pickle_round_trip(m: Money) -> None:
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(m, protocol=protocol))
        assert type(back) is Money
        assert back == m
        assert back.currency == m.currency and back.minor_units == m.minor_units


def test_pickle_old_protocols_do_not_crash() -> None:
    # Protocols 0 and 1 go through copyreg._reduce_ex; run them in a child process
    # because a broken implementation aborts the interpreter instead of raising.
    code = (
        "import pickle, aecore\n"
        "m = aecore.Money('1234.56', 'CNY')\n"
        "for protocol in (0, 1):\n"
        "    assert pickle.loads(pickle.dumps(m, protocol=protocol)) == m, protocol\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


def test_copy_module() -> None:
    m = Money("1234.56", "CNY")
    assert copy.copy(m) == m
    assert copy.deepcopy(m) == m


def test_currencies_table() -> None:
    table = aecore.currencies()
    codes = [code for code, _, _ in table]
    assert codes == sorted(codes)
    assert len(codes) == len(set(codes))
    assert ("CNY", 2, "Yuan Renminbi") in table
    assert ("USD", 2, "US Dollar") in table
    assert ("JPY", 0, "Yen") in table
    assert ("KWD", 3, "Kuwaiti Dinar") in table
    assert {"EUR", "GBP", "HKD"} <= set(codes)
    for code, digits, name in table:
        assert len(code) == 3 and code.isupper()
        assert isinstance(name, str) and name
        assert Money.zero(code).digits == digits
